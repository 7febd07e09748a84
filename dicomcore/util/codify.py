"""Python source code that rebuilds a dataset: ``dicomcore codify``.

:func:`code_file` reads a DICOM file and returns a script that builds the same
dataset with dicomcore (its File Meta Information, every element with its VR,
nested sequences) and, on request, saves it.  The script has the shape users
of pydicom's codify know, with ``import dicomcore`` in place of pydicom.

Binary values longer than ``exclude_size`` bytes (Pixel Data, large OB/OW
elements) are kept out of the source.  pydicom writes a comment there, which
leaves a script that does not run; given ``bulk_file``, dicomcore writes the
excluded values to that side file instead, and the script reads them back
from it, so that it runs as generated.

>>> from dicomcore.util.codify import code_file
>>> print(code_file("testfiles/mono8_explicit.dcm", 100,
...                 bulk_file="mono8.bulk"))  # doctest: +SKIP
"""

from __future__ import annotations

import keyword as python_keyword
import math
import os
import re
from collections.abc import Iterable
from typing import Any

from dicomcore.dataelem import DataElement
from dicomcore.dataset import Dataset
from dicomcore.dictionary import dictionary_VR, keyword_for_tag, tag_for_keyword
from dicomcore.errors import DicomValueError
from dicomcore.io.reader import dcmread
from dicomcore.io.writer import atomic_write
from dicomcore.tag import Tag

__all__ = [
    "camel_to_underscore",
    "code_dataelem",
    "code_dataset",
    "code_file",
    "code_file_from_dataset",
    "code_imports",
    "code_sequence",
    "default_name_filter",
    "element_at",
    "split_filespec",
    "tag_repr",
]

# VRs whose values are text; they are coded as the text (DS and IS keep the
# digits as written, PN keeps its component groups).
_TEXT_VRS = frozenset("AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT".split())

_WORD_START = re.compile(r"(.)([A-Z][a-z]+)")
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")


def camel_to_underscore(name: str) -> str:
    """``BeamSequence`` -> ``beam_sequence``."""
    return _LOWER_UPPER.sub(r"\1_\2", _WORD_START.sub(r"\1_\2", name)).lower()


def tag_repr(tag: int) -> str:
    """A tag as Python source: ``(0x0009, 0x1001)``."""
    tag = Tag(tag)
    return f"(0x{tag >> 16:04X}, 0x{tag & 0xFFFF:04X})"


def default_name_filter(name: str) -> str:
    """The variable name for a sequence keyword: snake case, with a few long
    words of radiotherapy keywords shortened so that nested names stay short."""
    name = camel_to_underscore(name)
    for long, short in (
        ("control_point", "cp"),
        ("reference", "ref"),
        ("fraction_group", "frxn_gp"),
    ):
        name = name.replace(long, short)
    return name


def code_imports() -> str:
    """The import lines every generated script starts with."""
    return "\n".join(
        (
            "import dicomcore",
            "from dicomcore import Dataset, FileMetaDataset, Sequence",
        )
    )


class _BulkValues:
    """The excluded values of one script, laid end to end in a side file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.name = os.path.basename(self.path)
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, value: bytes) -> str:
        start = self.size
        self.chunks.append(value)
        self.size += len(value)
        return f"bulk_data[{start}:{self.size}]"

    def write(self) -> None:
        def write_chunks(handle: Any) -> None:
            for chunk in self.chunks:
                handle.write(chunk)

        atomic_write(self.path, write_chunks)

    def loading_lines(self, exclude_size: int | None) -> list[str]:
        return [
            f"# Values longer than {exclude_size} bytes are read from the side "
            f"file {self.name},",
            "# looked for beside this script (or in the working directory).",
            "_here = Path(__file__).parent if '__file__' in globals() else Path()",
            f"bulk_data = (_here / {self.name!r}).read_bytes()",
        ]


class _Coder:
    """The state of one codify run: options, variable names in use, and the
    values sent to the side file."""

    def __init__(
        self,
        exclude_size: int | None,
        include_private: bool,
        bulk: _BulkValues | None,
        name_filter: Any = default_name_filter,
    ) -> None:
        self.exclude_size = exclude_size
        self.include_private = include_private
        self.bulk = bulk
        self.name_filter = name_filter
        self.names_in_use: set[str] = {"ds", "file_meta", "bulk_data", "dicomcore"}

    def unique_name(self, name: str) -> str:
        if python_keyword.iskeyword(name) or not name.isidentifier():
            name = f"{name}_"
        candidate, count = name, 1
        while candidate in self.names_in_use:
            count += 1
            candidate = f"{name}_{count}"
        self.names_in_use.add(candidate)
        return candidate

    def element(self, elem: DataElement, dataset_name: str) -> list[str]:
        if elem.VR == "SQ":
            return self.sequence(elem, dataset_name)
        value = self.value(elem)
        keyword = keyword_for_tag(elem.tag)
        if _keyword_gives_vr(elem):
            return [f"{dataset_name}.{keyword} = {value}"]
        # Private and unknown elements, and those whose VR differs from what
        # assigning the keyword would give, carry their VR explicitly.
        return [f"{dataset_name}.add_new({tag_repr(elem.tag)}, {elem.VR!r}, {value})"]

    def value(self, elem: DataElement) -> str:
        value = elem.value
        if isinstance(value, bytes):
            if self.exclude_size is not None and len(value) > self.exclude_size:
                if self.bulk is None:
                    # pydicom's placeholder; no side file was asked for
                    return f"# XXX Array of {len(value)} bytes excluded"
                return self.bulk.add(value)
            return repr(value)
        if value is None:
            return "None"
        if isinstance(value, str) or not isinstance(value, Iterable):
            return _scalar(value, elem.VR)
        return "[" + ", ".join(_scalar(item, elem.VR) for item in value) + "]"

    def sequence(self, elem: DataElement, dataset_name: str) -> list[str]:
        keyword = keyword_for_tag(elem.tag) or f"Tag{elem.tag:08X}"
        sequence_name = self.name_filter(keyword)
        item_base = sequence_name.removesuffix("_sequence") or "item"
        sequence_variable = self.unique_name(sequence_name)
        title = elem.name
        lines = ["", f"# {title}", f"{sequence_variable} = Sequence()"]
        if _keyword_gives_vr(elem):
            lines.append(f"{dataset_name}.{keyword} = {sequence_variable}")
        else:
            lines.append(
                f"{dataset_name}.add_new({tag_repr(elem.tag)}, 'SQ', "
                f"{sequence_variable})"
            )
        for number, item in enumerate(elem.value, start=1):
            item_variable = self.unique_name(f"{item_base}{number}")
            lines += ["", f"# {title}: item {number}"]
            lines += [f"{item_variable} = Dataset()"]
            lines += [f"{sequence_variable}.append({item_variable})"]
            lines += self.dataset_body(item, item_variable)
        return lines

    def dataset_body(self, dataset: Dataset, dataset_name: str) -> list[str]:
        lines: list[str] = []
        for elem in dataset:
            if elem.tag.is_private and not self.include_private:
                continue
            lines += self.element(elem, dataset_name)
            if elem.VR == "SQ":
                lines.append("")
        while lines and lines[-1] == "":
            lines.pop()
        return lines

    def dataset(
        self, dataset: Dataset, dataset_name: str, is_file_meta: bool
    ) -> list[str]:
        kind = "FileMetaDataset" if is_file_meta else "Dataset"
        return [f"{dataset_name} = {kind}()", *self.dataset_body(dataset, dataset_name)]


def _keyword_gives_vr(elem: DataElement) -> bool:
    """Whether ``ds.Keyword = value`` makes this element: the keyword names
    this very tag (not the first group of a repeating one, 6000-601E), and
    the dictionary's VR is the element's VR (an ambiguous one such as
    ``US or SS`` is decided from other elements and may not be)."""
    keyword = keyword_for_tag(elem.tag)
    if elem.tag.is_private or not keyword or tag_for_keyword(keyword) != elem.tag:
        return False
    try:
        return bool(dictionary_VR(elem.tag) == elem.VR)
    except KeyError:
        return False


def _scalar(value: Any, vr: str) -> str:
    if vr == "AT":
        return f"0x{int(value):08X}"
    if isinstance(value, str):
        # The stored text: a person name prints without its trailing empty
        # groups, but the value (and what is written) keeps them.
        return repr(str.__str__(value))
    if vr in _TEXT_VRS:
        return repr(str(value))
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        number = float(value)
        if math.isfinite(number):
            return repr(number)
        return f"float({str(number)!r})"
    if isinstance(value, bytes):
        return repr(value)
    return repr(value)


def code_dataelem(
    dataelem: DataElement,
    dataset_name: str = "ds",
    exclude_size: int | None = None,
    include_private: bool = False,
) -> str:
    """The line (or, for a sequence, the lines) that set ``dataelem`` in the
    dataset called ``dataset_name``."""
    coder = _Coder(exclude_size, include_private, None)
    return "\n".join(coder.element(dataelem, dataset_name))


def code_sequence(
    dataelem: DataElement,
    dataset_name: str = "ds",
    exclude_size: int | None = None,
    include_private: bool = False,
    name_filter: Any = default_name_filter,
) -> str:
    """The lines that build the sequence ``dataelem`` and its items."""
    coder = _Coder(exclude_size, include_private, None, name_filter)
    return "\n".join(coder.sequence(dataelem, dataset_name))


def code_dataset(
    ds: Dataset,
    dataset_name: str = "ds",
    exclude_size: int | None = None,
    include_private: bool = False,
    is_file_meta: bool = False,
) -> str:
    """The lines that build ``ds`` under the name ``dataset_name``.

    Binary values longer than ``exclude_size`` bytes become pydicom's
    placeholder comment here; :func:`code_file_from_dataset` with
    ``bulk_file`` codes them as reads from a side file instead.
    """
    coder = _Coder(exclude_size, include_private, None)
    return "\n".join(coder.dataset(ds, dataset_name, is_file_meta))


def code_file_from_dataset(
    ds: Dataset,
    exclude_size: int | None = None,
    include_private: bool = False,
    *,
    bulk_file: str | os.PathLike[str] | None = None,
    save_as: str | os.PathLike[str] | None = None,
) -> str:
    """A script that rebuilds ``ds`` (and its File Meta Information).

    Parameters
    ----------
    exclude_size
        Binary values longer than this many bytes are not written into the
        source; ``None`` writes every value.
    include_private
        Code private elements too (they are left out by default, as pydicom
        does).
    bulk_file
        Where to write the excluded values.  The script reads them back from
        a file of that name beside itself (or in the working directory when
        it runs without a file), so save the script in the same folder.
        Without it, an excluded value becomes pydicom's placeholder comment,
        and the script does not run until it is edited.
    save_as
        When given, the script ends by saving the dataset there.
    """
    bulk = _BulkValues(bulk_file) if bulk_file is not None else None
    coder = _Coder(exclude_size, include_private, bulk)
    filename = getattr(ds, "filename", None)
    source = f"DICOM file {str(filename)!r}" if filename else "a dataset"
    lines = [
        "# -*- coding: utf-8 -*-",
        f"# Coded version of {source}",
        "# Produced by dicomcore's codify",
        code_imports(),
    ]
    body: list[str] = []
    has_meta = len(ds.file_meta) > 0 if _has_file_meta(ds) else False
    if has_meta:
        body += ["", "# File meta info data elements"]
        body += coder.dataset(ds.file_meta, "file_meta", is_file_meta=True)
    body += ["", "# Main data elements"]
    body += coder.dataset(ds, "ds", is_file_meta=False)
    body.append("")
    if has_meta:
        body.append("ds.file_meta = file_meta")
    implicit_vr, little_endian = ds.original_encoding
    body.append(f"ds.set_original_encoding({implicit_vr}, {little_endian})")
    if save_as is not None:
        # a sequence item has no file meta to write: it is saved bare
        enforce = ", enforce_file_format=True" if has_meta else ""
        body.append(f"ds.save_as({os.fspath(save_as)!r}{enforce})")
    if bulk is not None and bulk.chunks:
        lines += ["from pathlib import Path", "", *bulk.loading_lines(exclude_size)]
        bulk.write()
    return "\n".join(lines + body) + "\n"


def _has_file_meta(ds: Dataset) -> bool:
    # ``file_meta`` of a dataset built in memory may be absent or empty
    try:
        return ds.file_meta is not None
    except AttributeError:
        return False


_STEP = re.compile(r"(?P<keyword>[A-Za-z][A-Za-z0-9]*)(?:\[(?P<index>-?\d+)\])?")


def split_filespec(filespec: str) -> tuple[str, str | None]:
    """``path::Element`` -> ``("path", "Element")``; a plain path has no
    element.  The element is a path of keywords with item indexes, as
    pydicom's codify takes it (``BeamSequence[0]``)."""
    path, separator, element = filespec.rpartition("::")
    if separator and path and element:
        return path, element
    return filespec, None


def element_at(ds: Dataset, element: str) -> Any:
    """The value that ``element`` (``BeamSequence[0].ControlPointSequence``)
    names in ``ds``; a :class:`DicomValueError` when it names nothing."""
    value: Any = ds
    for step in element.split("."):
        match = _STEP.fullmatch(step)
        if match is None or not isinstance(value, Dataset):
            raise DicomValueError(f"{element!r} is not a path to an element")
        keyword = match["keyword"]
        if keyword not in value:
            raise DicomValueError(f"{keyword} is not in the dataset ({element!r})")
        value = value[keyword].value
        if match["index"] is not None:
            index = int(match["index"])
            if not isinstance(value, list) or not -len(value) <= index < len(value):
                raise DicomValueError(f"{step} names no item ({element!r})")
            value = value[index]
    return value


def code_file(
    filename: str | os.PathLike[str],
    exclude_size: int | None = None,
    include_private: bool = False,
    *,
    bulk_file: str | os.PathLike[str] | None = None,
    save_as: str | os.PathLike[str] | None = None,
) -> str:
    """A script that rebuilds the DICOM file ``filename`` (read with
    ``force=True``); the options are those of :func:`code_file_from_dataset`."""
    ds = dcmread(filename, force=True)
    return code_file_from_dataset(
        ds, exclude_size, include_private, bulk_file=bulk_file, save_as=save_as
    )
