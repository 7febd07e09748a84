"""pydicom's ``filewriter`` module path over :mod:`dicomcore.io.writer`.

:func:`dcmwrite` is dicomcore's own. :func:`write_dataset` and
:func:`write_file_meta_info` take pydicom's arguments: a file object (whose
``is_implicit_VR``/``is_little_endian`` give the encoding, as a
:class:`~dicomcore.filebase.DicomIO` has them) and ``enforce_standard``.

>>> from dicomcore.filebase import DicomBytesIO
>>> buffer = DicomBytesIO()
>>> meta = FileMetaDataset()
>>> meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
>>> write_file_meta_info(buffer, meta, enforce_standard=False)
>>> buffer.getvalue()[:8].hex()  # no group length: meta has none
'0200100055491400'
"""

from __future__ import annotations

from typing import Any, BinaryIO

from dicomcore.dataelem import DataElement, RawDataElement
from dicomcore.dataset import Dataset, FileMetaDataset
from dicomcore.io import writer as _writer
from dicomcore.io.writer import dcmwrite, validate_file_meta

__all__ = [
    "correct_ambiguous_vr",
    "correct_ambiguous_vr_element",
    "dcmwrite",
    "validate_file_meta",
    "write_data_element",
    "write_dataset",
    "write_file_meta_info",
]


def write_file_meta_info(
    fp: BinaryIO, file_meta: FileMetaDataset, enforce_standard: bool = True
) -> None:
    """Write File Meta Information to ``fp`` as pydicom does.

    With ``enforce_standard`` the elements PS3.10 requires are checked and
    completed in ``file_meta`` itself (see :func:`validate_file_meta`;
    dicomcore's implementation UID and name where absent) and File Meta
    Information Group Length is written; without it, the group length is
    written only when ``file_meta`` has one. Either way its value is computed
    and set in ``file_meta``.
    """
    validate_file_meta(file_meta, enforce_standard)
    group_length = enforce_standard or 0x00020000 in file_meta
    chunks: list[bytes] = []
    _writer.write_file_meta_info(chunks.append, file_meta, group_length=group_length)
    data = b"".join(chunks)
    if group_length:
        file_meta.FileMetaInformationGroupLength = len(data) - 12
    fp.write(data)


def _encoding_of(fp: Any, dataset: Dataset) -> tuple[bool, bool]:
    # A DicomIO whose encoding is unset raises AttributeError: None here.
    implicit = getattr(fp, "is_implicit_VR", None)
    little = getattr(fp, "is_little_endian", None)
    if implicit is None or little is None:
        read_implicit, read_little = dataset.original_encoding
        implicit = read_implicit if implicit is None else implicit
        little = read_little if little is None else little
    if implicit is None or little is None:
        raise AttributeError(
            "write_dataset() needs the encoding: set fp.is_implicit_VR and "
            "fp.is_little_endian"
        )
    return bool(implicit), bool(little)


def write_dataset(
    fp: BinaryIO, dataset: Dataset, parent_encoding: str | list[str] | None = None
) -> int:
    """Write ``dataset`` bare (no preamble, no file meta) to ``fp`` in the
    encoding ``fp`` is set to (else the one the dataset was read in); returns
    the number of bytes written."""
    implicit_vr, little_endian = _encoding_of(fp, dataset)
    chunks: list[bytes] = []
    _writer.write_dataset(
        chunks.append, dataset, implicit_vr=implicit_vr, little_endian=little_endian
    )
    data = b"".join(chunks)
    fp.write(data)
    return len(data)


def correct_ambiguous_vr_element(
    elem: DataElement | RawDataElement,
    ds: Dataset,
    is_little_endian: bool,
    ancestors: list[Dataset] | None = None,
) -> DataElement | RawDataElement:
    """The element of ``ds`` with its VR resolved ("US or SS" by Pixel
    Representation, "OB or OW" by Bits Allocated, ...), as dicomcore resolves
    it whenever an element is read or made; sequences' items are resolved
    too."""
    resolved = ds[elem.tag]
    if resolved.VR == "SQ":
        for item in resolved.value:
            correct_ambiguous_vr(item, is_little_endian)
    return resolved


def correct_ambiguous_vr(
    ds: Dataset, is_little_endian: bool, ancestors: list[Dataset] | None = None
) -> Dataset:
    """``ds`` with every ambiguous VR resolved (see
    :func:`correct_ambiguous_vr_element`); returns ``ds``."""
    for elem in list(ds.elements()):
        correct_ambiguous_vr_element(elem, ds, is_little_endian, ancestors)
    return ds


def write_data_element(
    fp: BinaryIO,
    elem: DataElement | RawDataElement,
    encodings: str | list[str] | None = None,
) -> None:
    """Write one element to ``fp`` in the encoding ``fp`` is set to, its text
    in the character set ``encodings`` names (Specific Character Set terms;
    the default repertoire when None)."""
    implicit_vr, little_endian = _encoding_of(fp, Dataset())
    holder = Dataset()
    if encodings:
        holder.add_new(0x00080005, "CS", encodings)
    holder._dict[elem.tag] = elem
    _writer.write_element(
        fp, elem, holder, implicit_vr=implicit_vr, little_endian=little_endian
    )
