"""``dicomcore show``: a file, or one element of it, printed as ``pydicom show``
prints it, so that scripts reading either command's output read both.

A file is named as ``FILE`` or ``FILE::ELEMENT``, where ELEMENT is a path of
keywords and item numbers (``BeamSequence[0].ControlPointSequence``). Files
are read as ``pydicom show`` reads them: with ``force``, so a dataset without
preamble and File Meta Information is shown too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from dicomcore.dataset import Dataset
from dicomcore.errors import DicomError
from dicomcore.io.reader import dcmread

__all__ = ["ShowError", "quiet_summary", "show_text", "split_filespec"]

# One step of an element path: a keyword, optionally with an item number.
_STEP: Final = r"[A-Za-z_][A-Za-z0-9_]*(\[(-)?\d+\])?"
_ELEMENT_PATH: Final = re.compile(rf"{_STEP}(\.{_STEP})*")
_INDEXED: Final = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(-?\d+)\])?")


class ShowError(DicomError):
    """The file or element asked for cannot be shown."""


def split_filespec(filespec: str) -> tuple[str, str]:
    """``FILE::ELEMENT`` as (file, element); element is ``""`` when absent.

    The file's own name may hold ``:`` (``C:\\scans\\ct.dcm``); only the last
    ``::`` separates an element.
    """
    *file_parts, last = filespec.split("::")
    if not file_parts:
        return last, ""
    return "".join(file_parts), last


def _check_syntax(element_path: str) -> None:
    if not _ELEMENT_PATH.fullmatch(element_path):
        raise ShowError(
            f"Component '{element_path}' is not valid syntax for a data element, "
            "sequence, or sequence item"
        )


def _resolve(dataset: Dataset, element_path: str) -> Any:
    """The value the element path names in ``dataset``."""
    _check_syntax(element_path)
    value: Any = dataset
    for step in element_path.split("."):
        match = _INDEXED.fullmatch(step)
        assert match is not None  # the whole path matched above
        keyword, index = match.group(1), match.group(2)
        try:
            value = getattr(value, keyword)
        except AttributeError:
            raise ShowError(
                f"Data element '{element_path}' is not in the dataset"
            ) from None
        if index is not None:
            try:
                value = value[int(index)]
            except (IndexError, TypeError) as exc:
                raise ShowError(f"'{element_path}' has an index error: {exc}") from None
    return value


def show_text(
    filespec: str,
    *,
    exclude_private: bool = False,
    top: bool = False,
    quiet: bool = False,
    stop_before_pixels: bool = False,
) -> str:
    """The text ``dicomcore show`` prints for ``filespec`` (without the final
    newline): the dataset, its top level only (``top``), a summary
    (``quiet``), or the one element the spec names."""
    path, element_path = split_filespec(filespec)
    if element_path:
        _check_syntax(element_path)  # before reading, as the file may be large
    dataset = dcmread(path, force=True, stop_before_pixels=stop_before_pixels)
    shown: Any = _resolve(dataset, element_path) if element_path else dataset
    if exclude_private:
        dataset.remove_private_tags()
    if isinstance(shown, Dataset):
        if quiet:
            return quiet_summary(shown)
        if top:
            return shown.top()
    return str(shown)


def _sop_class(dataset: Dataset) -> str | None:
    sop_class = dataset.get("SOPClassUID")
    if sop_class is None:
        return None
    return f"SOPClassUID: {sop_class.name}"


def _image(dataset: Dataset) -> str | None:
    if "SOPClassUID" not in dataset or "Image Storage" not in dataset.SOPClassUID.name:
        return None
    keywords = ("BitsStored", "Modality", "Rows", "Columns", "SliceLocation")
    return "\n".join(
        f"{keyword}: {dataset.get(keyword, 'N/A')}" for keyword in keywords
    )


def _rt_plan(dataset: Dataset) -> str | None:
    if "BeamSequence" not in dataset:
        return None
    name = dataset.get("RTPlanName")
    line = f"Plan Label: {dataset.get('RTPlanLabel')}  "
    if name:
        line += f"Plan Name: {name}"
    lines = [line]
    for group in dataset.get("FractionGroupSequence") or []:
        fractions = group.get("NumberOfFractionsPlanned")
        planned = f"{fractions} fraction(s) planned" if fractions else ""
        lines.append(
            f"Fraction Group {group.get('FractionGroupNumber', '')} "
            f"{group.get('FractionGroupDescription', '')} {planned}"
        )
        setups = group.get("NumberOfBrachyApplicationSetups")
        lines.append(f"   Brachy Application Setups: {setups}")
        for beam in group.get("ReferencedBeamSequence") or []:
            dose, meterset = beam.get("BeamDose"), beam.get("BeamMeterset")
            line = f"   Beam {beam.get('ReferencedBeamNumber')} "
            if dose or meterset:
                line += f"Dose {dose} Meterset {meterset}"
            lines.append(line)
    for beam in dataset.BeamSequence:
        beam_type = beam.get("BeamType")
        line = (
            f"Beam {beam.get('BeamNumber')} '{beam.get('BeamName')}' "
            f"{beam.get('TreatmentDeliveryType')} {beam_type} "
            f"{beam.get('RadiationType')}"
        )
        if beam_type == "STATIC":
            point = beam.ControlPointSequence[0]
            if point:
                line += (
                    f" energy {point.get('NominalBeamEnergy')} gantry "
                    f"{point.get('GantryAngle')}, coll "
                    f"{point.get('BeamLimitingDeviceAngle')}, couch "
                    f"{point.get('PatientSupportAngle')}"
                )
        line += (
            f" ({beam.get('NumberOfWedges')} wedges, "
            f"{beam.get('NumberOfCompensators')} comps, "
            f"{beam.get('NumberOfBoli')} boli, {beam.get('NumberOfBlocks')} blocks)"
        )
        lines.append(line)
    return "\n".join(lines)


# What --quiet shows, in order: summaries, or the value of a keyword.
_QUIET_ITEMS: Final[tuple[Callable[[Dataset], str | None] | str, ...]] = (
    _sop_class,
    "PatientName",
    "PatientID",
    "StudyID",
    "StudyDate",
    "StudyTime",
    "StudyDescription",
    _image,
    _rt_plan,
)


def quiet_summary(dataset: Dataset) -> str:
    """The few lines ``show --quiet`` prints: SOP class, patient, study, and
    an image's size or an RT plan's beams."""
    lines = []
    for item in _QUIET_ITEMS:
        if isinstance(item, str):
            lines.append(f"{item}: {dataset.get(item, 'N/A')}")
            continue
        summary = item(dataset)
        if summary:
            lines.append(summary)
    return "\n".join(lines)
