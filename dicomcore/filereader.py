"""pydicom's ``filereader`` module path over :mod:`dicomcore.io`.

:func:`dcmread` is dicomcore's own; the rest take pydicom's arguments (file
objects positioned where pydicom expects them, ``stop_when`` callbacks) and
hand the bytes to dicomcore's reader.

>>> data_element_offset_to_value(False, "OB")
12
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from dicomcore.dataset import Dataset, FileDataset, FileMetaDataset
from dicomcore.errors import InvalidDicomError
from dicomcore.io import dcmread
from dicomcore.io import read_dataset as _read_dataset
from dicomcore.tag import BaseTag, Tag
from dicomcore.vr import LONG_LENGTH_VRS

__all__ = [
    "data_element_offset_to_value",
    "dcmread",
    "read_dataset",
    "read_file_meta_info",
    "read_partial",
    "read_preamble",
]

# Called as stop_when(tag, VR, length): True stops reading before that element.
StopWhen = Callable[[BaseTag, "str | None", int], bool]


def data_element_offset_to_value(is_implicit_VR: bool, VR: str | None) -> int:  # noqa: N803
    """Bytes from an element's tag to its value: 8 in implicit VR, and in
    explicit VR 12 for the VRs with a 32-bit length (PS3.5 7.1.2), else 8."""
    if is_implicit_VR or VR not in LONG_LENGTH_VRS:
        return 8
    return 12


def read_preamble(fp: BinaryIO, force: bool) -> bytes | None:
    """The 128-byte preamble, with ``fp`` left after "DICM". Without the
    "DICM" prefix: with ``force``, None and ``fp`` back where it was;
    otherwise :class:`~dicomcore.errors.InvalidDicomError`."""
    start = fp.tell()
    preamble = fp.read(128)
    if fp.read(4) == b"DICM":
        return preamble
    if not force:
        raise InvalidDicomError(
            "File is missing DICOM File Meta Information header or the 'DICM' "
            "prefix is missing from the header. Use force=True to force "
            "reading.",
            offset=start + 128,
        )
    fp.seek(start)
    return None


def read_file_meta_info(filename: str | os.PathLike[str] | BinaryIO) -> FileMetaDataset:
    """The File Meta Information of a file, without reading its data set."""
    return dcmread(filename, specific_tags=[], force=True).file_meta


def _truncate(dataset: Dataset, stop_when: StopWhen | None) -> None:
    """Drop the top-level elements from the first one ``stop_when`` stops at,
    as if reading had stopped there."""
    if stop_when is None:
        return
    tags = sorted(dataset._dict)
    for position, tag in enumerate(tags):
        elem = dataset._dict[tag]
        length = getattr(elem, "length", None)
        if length is None:
            value = getattr(elem, "_value", None)
            length = len(value) if isinstance(value, (bytes, str)) else 0
        vr = None if getattr(elem, "is_implicit_VR", False) else elem.VR
        if stop_when(BaseTag(tag), vr, length):
            for later in tags[position:]:
                del dataset._dict[later]
            return


def read_partial(
    fileobj: BinaryIO,
    stop_when: StopWhen | None = None,
    defer_size: int | str | float | None = None,
    force: bool = False,
    specific_tags: Iterable[Any] | None = None,
) -> FileDataset:
    """Read a DICOM file from a file object as pydicom's ``read_partial`` does:
    preamble, File Meta Information and data set, up to the first top-level
    element for which ``stop_when(tag, VR, length)`` is true."""
    dataset = dcmread(
        fileobj, force=force, specific_tags=specific_tags, defer_size=defer_size
    )
    _truncate(dataset, stop_when)
    return dataset


def read_dataset(
    fp: BinaryIO,
    is_implicit_VR: bool,  # noqa: N803 - pydicom's name
    is_little_endian: bool,
    bytelength: int | None = None,
    stop_when: StopWhen | None = None,
    defer_size: int | str | float | None = None,
    parent_encoding: str | list[str] | None = None,
    specific_tags: list[Any] | None = None,
    at_top_level: bool = True,
) -> Dataset:
    """A bare data set (no preamble, no file meta) read from ``fp``'s position:
    ``bytelength`` bytes, or to the end. ``stop_when`` stops before the first
    top-level element it is true for."""
    data = fp.read() if bytelength is None else fp.read(bytelength)
    dataset = _read_dataset(
        bytes(data), is_implicit_VR=is_implicit_VR, is_little_endian=is_little_endian
    )
    if specific_tags is not None:
        wanted = {int(Tag(tag)) for tag in specific_tags}
        for tag in [tag for tag in dataset._dict if tag not in wanted]:
            del dataset._dict[tag]
    _truncate(dataset, stop_when)
    return dataset
