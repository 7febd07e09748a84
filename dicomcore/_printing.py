"""How datasets, elements and sequences print: the listing pydicom 3 users read.

Scripts written for pydicom compare, log and parse this text, so it is kept
the same character for character:

- an element is one line: its tag ``(gggg,eeee)``, its name cut or padded to
  ``DataElement.descripWidth`` (35) columns, its VR and ``: ``, then its value;
- a value is shown as its ``repr``, except that a single UID shows its
  registered name, a value of a VR that holds long data (LT, UC, UT and the
  byte VRs) longer than ``maxBytesToDisplay`` (16) and any value of more than
  16 values show ``Array of N elements``;
- a sequence in a dataset is a header line (two spaces around the name, the
  item count, ``----``), then each item indented by ``Dataset.indent_chars``
  per level and closed by a line of nine dashes;
- a dataset with File Meta Information shows it first, between two rulers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from dicomcore import config
from dicomcore.tag import BaseTag
from dicomcore.uid import UID
from dicomcore.values import MultiValue

if TYPE_CHECKING:
    from dicomcore.dataelem import DataElement, RawDataElement
    from dicomcore.dataset import Dataset
    from dicomcore.sequence import Sequence

__all__ = [
    "dataset_text",
    "element_text",
    "element_value_text",
    "raw_element_text",
    "sequence_text",
]

# VRs whose values may be long enough to need a summary instead of the value.
_LONG_VALUE_VRS: Final = frozenset(
    {"LT", "UC", "UT", "OB", "OD", "OF", "OL", "OV", "OW", "UN"}
)

_RULER_WIDTH: Final = 49
_ITEM_END: Final = "---------"


def element_value_text(elem: DataElement) -> str:
    """The value part of an element's line (pydicom's ``repval``)."""
    limit = elem.maxBytesToDisplay
    vr = elem.VR
    if vr in _LONG_VALUE_VRS or " or " in vr:
        length = _value_length(elem)
        if length is not None and length > limit:
            return f"Array of {length} elements"
    value = elem.value
    multiplicity = elem.VM
    if multiplicity > limit:
        return f"Array of {multiplicity} elements"
    if isinstance(value, UID):
        return value.name
    if type(value) is list:
        # A plain list shows as the MultiValue it stands for.
        return repr(MultiValue(_unchanged, value))
    return repr(value)


def _unchanged(item: object) -> object:
    return item


def _value_length(elem: DataElement) -> int | None:
    """``len()`` of the value, without reading a value that is still in its
    file (its length is known from the header)."""
    source = elem.deferred_source
    if source is not None:
        return int(source.length)
    try:
        return len(elem.value)
    except TypeError:  # None, or a number that has no length
        return None


def element_text(elem: DataElement) -> str:
    """One element as its line: tag, name, VR and value."""
    width = elem.descripWidth
    name = f"{elem.name[:width]:<{width}}"
    value = element_value_text(elem) or ""
    if elem.showVR:
        return f"{elem.tag} {name} {elem.VR}: {value}"
    return f"{elem.tag} {name} {value}"


def dataset_text(
    dataset: Dataset, indent: int = 0, top_level_only: bool = False
) -> str:
    """The listing of ``dataset``, its items indented ``indent`` levels."""
    lines: list[str] = []
    indent_text = dataset.indent_chars * indent
    item_indent_text = dataset.indent_chars * (indent + 1)
    meta = dataset.__dict__.get("_file_meta")
    # pydicom's module flag: a user may set dicomcore.config.show_file_meta
    shown = getattr(config, "show_file_meta", True)
    if meta is not None and len(meta) and shown:
        lines.append(f"{'Dataset.file_meta ':-<{_RULER_WIDTH}}")
        lines.extend(indent_text + repr(elem) for elem in meta)
        lines.append("-" * _RULER_WIDTH)
    for elem in dataset:
        if elem.VR != "SQ":
            lines.append(indent_text + repr(elem))
            continue
        items = elem.value
        lines.append(
            f"{indent_text}{elem.tag}  {elem.name}  {len(items)} item(s) ---- "
        )
        if top_level_only:
            continue
        for item in items:
            lines.append(dataset_text(item, indent + 1))
            lines.append(item_indent_text + _ITEM_END)
    return "\n".join(lines)


def sequence_text(sequence: Sequence) -> str:
    """``str()`` of a sequence: its items' listings, back to back, in brackets."""
    return "[" + "".join(str(item) for item in sequence) + "]"


def raw_element_text(raw: RawDataElement) -> str:
    """A raw element as pydicom shows its ``RawDataElement`` named tuple.

    pydicom's tuple has ``is_raw`` and ``is_buffered`` where dicomcore's has
    ``is_undefined_length``; the text shows pydicom's fields, and a value
    still in its file shows as ``None``, as pydicom's deferred values do.
    """
    value = raw.value
    if value is not None and not isinstance(value, (bytes, bytearray, memoryview)):
        value = None
    elif isinstance(value, (bytearray, memoryview)):
        value = bytes(value)
    return (
        f"RawDataElement(tag={BaseTag(raw.tag)}, VR={raw.VR!r}, "
        f"length={raw.length!r}, value={value!r}, value_tell={raw.value_tell!r}, "
        f"is_implicit_VR={raw.is_implicit_VR!r}, "
        f"is_little_endian={raw.is_little_endian!r}, is_raw=True, is_buffered=False)"
    )
