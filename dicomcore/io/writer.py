"""Writing DICOM files (PS3.10) in any uncompressed transfer syntax.

Every write to a path goes to a temporary file in the target folder that is
renamed into place, so a failed write never leaves a damaged file and saving
over the file a lazily read dataset came from is safe.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from struct import Struct
from typing import Any, BinaryIO

from dicomcore.config import IGNORE
from dicomcore.dataelem import DataElement, RawDataElement
from dicomcore.dataset import Dataset, FileMetaDataset
from dicomcore.errors import DicomError, DicomValueError, MissingFileMetaError
from dicomcore.io.deferred import EAGER_READ_BYTES, FileValue
from dicomcore.io.encapsulation import index_fragments
from dicomcore.io.remote import is_url, local_path, upload_file
from dicomcore.sequence import Sequence
from dicomcore.values.text import unencodable_character
from dicomcore.vr import LONG_LENGTH_VRS, TEXT_VRS

__all__ = [
    "TEMPORARY_PREFIX",
    "TEMPORARY_SUFFIX",
    "atomic_write",
    "dcmwrite",
    "is_temporary",
    "remove_temporaries",
    "temporary_prefix",
    "validate_file_meta",
    "write_dataset",
    "write_element",
    "write_file_meta_info",
]

_IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2"
_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
_DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99"
_EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2"
_NATIVE_SYNTAXES = frozenset(
    {
        _IMPLICIT_VR_LITTLE_ENDIAN,
        _EXPLICIT_VR_LITTLE_ENDIAN,
        _DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
        _EXPLICIT_VR_BIG_ENDIAN,
    }
)
_UNDEFINED = 0xFFFFFFFF
_ITEM_LE = b"\xfe\xff\x00\xe0"
_ITEM_DELIMITER_LE = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
_SEQUENCE_DELIMITER_LE = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
_ITEM_BE = b"\xff\xfe\xe0\x00"
_ITEM_DELIMITER_BE = b"\xff\xfe\xe0\x0d\x00\x00\x00\x00"
_SEQUENCE_DELIMITER_BE = b"\xff\xfe\xe0\xdd\x00\x00\x00\x00"
_PIXEL_TAGS = frozenset({0x7FE00010, 0x7FE00008, 0x7FE00009})
_COPY_CHUNK = 1 << 22

Sink = Callable[[bytes], Any]


class _Encoding:
    """How one dataset is encoded: VR form and byte order."""

    def __init__(self, implicit_vr: bool, little_endian: bool) -> None:
        self.implicit_vr = implicit_vr
        self.little_endian = little_endian
        order = "<" if little_endian else ">"
        self.tag_length = Struct(order + "HHL")
        self.explicit_short = Struct(order + "HH2sH")
        self.explicit_long = Struct(order + "HH2s2xL")
        self.item = _ITEM_LE if little_endian else _ITEM_BE
        self.item_delimiter = (
            _ITEM_DELIMITER_LE if little_endian else _ITEM_DELIMITER_BE
        )
        self.sequence_delimiter = (
            _SEQUENCE_DELIMITER_LE if little_endian else _SEQUENCE_DELIMITER_BE
        )
        self.length = Struct(order + "L")

    def header(self, tag: int, vr: str, length: int) -> bytes:
        group, element = tag >> 16, tag & 0xFFFF
        if self.implicit_vr:
            return self.tag_length.pack(group, element, length)
        if vr in LONG_LENGTH_VRS:
            return self.explicit_long.pack(group, element, vr.encode(), length)
        return self.explicit_short.pack(group, element, vr.encode(), length)


def _write_elements(dataset: Dataset, encoding: _Encoding, sink: Sink) -> None:
    for elem in dataset.elements():
        _write_element(dataset, elem, encoding, sink)


def _write_element(
    dataset: Dataset,
    elem: DataElement | RawDataElement,
    encoding: _Encoding,
    sink: Sink,
) -> None:
    tag = elem.tag
    if type(elem) is RawDataElement:
        if _raw_passes_through(elem, encoding):
            _write_raw(elem, encoding, sink)
            return
        elem = dataset[tag]
    assert isinstance(elem, DataElement)
    vr = elem.VR
    if vr == "SQ":
        _write_sequence(elem, encoding, sink)
        return
    if tag in _PIXEL_TAGS and elem.is_undefined_length:
        _write_encapsulated(elem, encoding, sink)
        return
    if (
        elem.is_deferred
        and _same_byte_order(elem, encoding)
        and isinstance(elem._raw, FileValue)
    ):
        value_source: FileValue = elem._raw
        length = value_source.length + value_source.length % 2
        _check_length(elem.tag, vr, length, encoding)
        sink(encoding.header(tag, _written_vr(vr, length, encoding), length))
        _copy_file_value(value_source, sink)
        return
    if vr in TEXT_VRS:
        value = _encoded_text(dataset, elem, encoding)
    else:
        value = elem.encoded_value(encoding.little_endian)
    _check_length(tag, vr, len(value), encoding)
    sink(encoding.header(tag, _written_vr(vr, len(value), encoding), len(value)))
    sink(value)


def _encoded_text(dataset: Dataset, elem: DataElement, encoding: _Encoding) -> bytes:
    """A text value in the character set of its dataset: the dataset's own
    Specific Character Set or, in a sequence item without one, the nearest
    enclosing dataset's."""
    try:
        return elem.encoded_value(encoding.little_endian, dataset._text_encodings())
    except DicomValueError as exc:
        raise DicomValueError(f"{elem.tag} {elem.keyword or elem.name}: {exc}") from exc


def _raw_passes_through(raw: RawDataElement, encoding: _Encoding) -> bool:
    """A raw element can be copied as read when its encoding is the target's."""
    return (
        raw.VR is not None
        and not encoding.implicit_vr
        and raw.is_little_endian == encoding.little_endian
        and not raw.is_undefined_length
        and " or " not in raw.VR
    ) or (
        raw.VR is None
        and encoding.implicit_vr
        and raw.is_little_endian == encoding.little_endian
        and not raw.is_undefined_length
    )


def _write_raw(raw: RawDataElement, encoding: _Encoding, sink: Sink) -> None:
    value = raw.value
    length = raw.length
    padded = length + length % 2
    sink(encoding.header(raw.tag, raw.VR or "UN", padded))
    if isinstance(value, FileValue):
        _copy_file_value(value, sink)
    else:
        sink(bytes(value))
    if length % 2:
        sink(b"\x00" if raw.VR in (None, "UI", "OB", "UN") else b" ")


def _copy_file_value(value: FileValue, sink: Sink) -> None:
    value.check_unchanged()
    with open(value.path, "rb") as source:
        source.seek(value.offset)
        remaining = value.length
        while remaining:
            chunk = source.read(min(remaining, _COPY_CHUNK))
            if not chunk:
                raise DicomError(f"'{value.path}' ended inside a value being copied")
            sink(chunk)
            remaining -= len(chunk)
    if value.length % 2:
        sink(b"\x00")


def _same_byte_order(elem: DataElement, encoding: _Encoding) -> bool:
    return elem._raw_little_endian == encoding.little_endian or elem.VR in ("OB", "UN")


def _written_vr(vr: str, length: int, encoding: _Encoding) -> str:
    # A value too long for a 16-bit length field is written as UN
    # (PS3.5 6.2.2 Note).
    if not encoding.implicit_vr and vr not in LONG_LENGTH_VRS and length > 0xFFFF:
        return "UN"
    if " or " in vr:
        return vr.split(" or ")[0]
    return vr


def _check_length(tag: int, vr: str, length: int, encoding: _Encoding) -> None:
    if length >= _UNDEFINED:
        raise DicomValueError(
            f"the value of {tag:08X} is too long for DICOM ({length} bytes)"
        )


def _write_sequence(elem: DataElement, encoding: _Encoding, sink: Sink) -> None:
    sequence: Sequence = elem.value
    undefined = elem.is_undefined_length or getattr(
        sequence, "is_undefined_length", False
    )
    if undefined:
        sink(encoding.header(elem.tag, "SQ", _UNDEFINED))
        for item in sequence:
            _write_item(item, encoding, sink)
        sink(encoding.sequence_delimiter)
        return
    chunks: list[bytes] = []
    for item in sequence:
        _write_item(item, encoding, chunks.append)
    body = b"".join(chunks)
    sink(encoding.header(elem.tag, "SQ", len(body)))
    sink(body)


def _write_item(item: Dataset, encoding: _Encoding, sink: Sink) -> None:
    if item.is_undefined_length_sequence_item:
        sink(encoding.item + encoding.length.pack(_UNDEFINED))
        _write_elements(item, encoding, sink)
        sink(encoding.item_delimiter)
        return
    chunks: list[bytes] = []
    _write_elements(item, encoding, chunks.append)
    body = b"".join(chunks)
    sink(encoding.item + encoding.length.pack(len(body)))
    sink(body)


def _write_encapsulated(elem: DataElement, encoding: _Encoding, sink: Sink) -> None:
    if encoding.implicit_vr or not encoding.little_endian:
        raise DicomError(
            "encapsulated Pixel Data needs an explicit VR little endian "
            "encapsulated transfer syntax; decompress it first"
        )
    sink(encoding.header(elem.tag, "OB", _UNDEFINED))
    raw = elem._raw
    if isinstance(raw, FileValue) and elem.is_raw:
        # The reader keeps the value without its Sequence Delimitation Item.
        _copy_file_value(raw, sink)
        sink(_SEQUENCE_DELIMITER_LE)
        return
    value = bytes(elem.value or b"")  # an empty value reads as None
    sink(value)
    # A value built by encapsulate() ends with the delimiter; one read from a
    # file, or built as pydicom users do, does not.
    if not index_fragments(value).has_delimiter:
        sink(_SEQUENCE_DELIMITER_LE)


def write_dataset(
    target: BinaryIO | Sink,
    dataset: Dataset,
    *,
    implicit_vr: bool,
    little_endian: bool,
) -> None:
    """Write a bare dataset (no preamble, no file meta)."""
    sink = target.write if hasattr(target, "write") else target
    _write_elements(dataset, _Encoding(implicit_vr, little_endian), sink)


def write_element(
    target: BinaryIO | Sink,
    elem: DataElement | RawDataElement,
    dataset: Dataset,
    *,
    implicit_vr: bool,
    little_endian: bool,
) -> None:
    """Write one element of ``dataset`` (whose character set and pixel
    module its value is encoded by); a sequence with its items."""
    sink = target.write if hasattr(target, "write") else target
    _write_element(dataset, elem, _Encoding(implicit_vr, little_endian), sink)


def write_file_meta_info(
    sink: Sink, file_meta: FileMetaDataset, *, group_length: bool = True
) -> None:
    """Write group 0002 in Explicit VR Little Endian, led by its group length
    (computed; left out with ``group_length=False``)."""
    encoding = _Encoding(False, True)
    chunks: list[bytes] = []
    for elem in file_meta.elements():
        if elem.tag == 0x00020000:
            continue
        _write_element(file_meta, elem, encoding, chunks.append)
    body = b"".join(chunks)
    if group_length:
        sink(encoding.header(0x00020000, "UL", 4) + encoding.length.pack(len(body)))
    sink(body)


def _is_empty(file_meta: FileMetaDataset, tag: int) -> bool:
    return tag not in file_meta or file_meta[tag].is_empty


def validate_file_meta(
    file_meta: FileMetaDataset, enforce_standard: bool = True
) -> None:
    """Check ``file_meta`` as PS3.10 7.1 requires, completing it in place.

    With ``enforce_standard`` (as pydicom's function of the same name) the
    File Meta Information Version, and dicomcore's Implementation Class UID
    and Implementation Version Name, are added where absent, and the Media
    Storage SOP Class and Instance UIDs and the Transfer Syntax UID must be
    there: :class:`~dicomcore.errors.MissingFileMetaError` names the ones
    that are not.
    """
    from dicomcore.dictionary import dictionary_description
    from dicomcore.tag import BaseTag
    from dicomcore.uid import (
        DICOMCORE_IMPLEMENTATION_UID,
        DICOMCORE_IMPLEMENTATION_VERSION_NAME,
    )

    outside = [tag for tag in file_meta._dict if tag >> 16 != 0x0002]
    if outside:
        raise ValueError(
            "Only File Meta Information group (0002,eeee) elements may be "
            "present in 'file_meta'."
        )
    if not enforce_standard:
        return
    if _is_empty(file_meta, 0x00020001):
        file_meta.FileMetaInformationVersion = b"\x00\x01"
    if _is_empty(file_meta, 0x00020012):
        file_meta.ImplementationClassUID = DICOMCORE_IMPLEMENTATION_UID
    if 0x00020013 not in file_meta:
        file_meta.ImplementationVersionName = DICOMCORE_IMPLEMENTATION_VERSION_NAME
    missing = [
        f"{BaseTag(tag)} {dictionary_description(tag)}"
        for tag in (0x00020002, 0x00020003, 0x00020010)
        if _is_empty(file_meta, tag)
    ]
    if missing:
        raise MissingFileMetaError(
            "Required File Meta Information elements are either missing or have "
            f"an empty value: {', '.join(missing)}"
        )


def _build_file_meta(
    dataset: Dataset, transfer_syntax: str, enforce: bool
) -> FileMetaDataset:
    """The file meta to write, built the way pydicom builds it.

    With ``enforce`` (``enforce_file_format``): the dataset's own, its Media
    Storage SOP UIDs made those of the dataset, then completed and checked by
    :func:`validate_file_meta`. Otherwise the dataset's own as it is, with a
    Transfer Syntax UID (without one the file could not be read back) and,
    where it names no implementation, dicomcore's. A dataset built in memory
    with no file meta at all gets all of PS3.10 7.1 that it can.
    """
    from dicomcore.uid import (
        DICOMCORE_IMPLEMENTATION_UID,
        DICOMCORE_IMPLEMENTATION_VERSION_NAME,
    )

    meta = FileMetaDataset()
    meta._dict.update(dataset.file_meta._dict)
    if enforce:
        if _is_empty(meta, 0x00020010):
            meta.add_new(0x00020010, "UI", transfer_syntax)
        for meta_tag, keyword in (
            (0x00020002, "SOPClassUID"),
            (0x00020003, "SOPInstanceUID"),
        ):
            value = dataset.get(keyword)
            if value and (meta_tag not in meta or meta[meta_tag].value != value):
                meta.add_new(meta_tag, "UI", value)
        validate_file_meta(meta, enforce_standard=True)
        return meta
    if len(meta) == 0:
        meta.add_new(0x00020001, "OB", b"\x00\x01")
        for meta_tag, keyword in (
            (0x00020002, "SOPClassUID"),
            (0x00020003, "SOPInstanceUID"),
        ):
            value = dataset.get(keyword)
            if value is not None:
                meta.add_new(meta_tag, "UI", value)
    if 0x00020010 not in meta:
        meta.add_new(0x00020010, "UI", transfer_syntax)
    if 0x00020012 not in meta:
        meta.add_new(0x00020012, "UI", DICOMCORE_IMPLEMENTATION_UID)
        if 0x00020013 not in meta:
            meta.add_new(0x00020013, "SH", DICOMCORE_IMPLEMENTATION_VERSION_NAME)
    return meta


def _choose_transfer_syntax(
    dataset: Dataset, implicit_vr: bool | None, little_endian: bool | None
) -> str:
    meta_syntax = None
    if 0x00020010 in dataset.file_meta:
        meta_syntax = str(dataset.file_meta.TransferSyntaxUID).strip("\x00 ")
    if implicit_vr is None and little_endian is None:
        if meta_syntax:
            return meta_syntax
        # pydicom 3 still honours (deprecated) ds.is_implicit_VR and
        # ds.is_little_endian set by hand, before the encoding read.
        implicit_vr, little_endian = dataset.is_implicit_VR, dataset.is_little_endian
        if implicit_vr is None or little_endian is None:
            implicit_vr, little_endian = dataset.original_encoding
        if implicit_vr is None:
            return _EXPLICIT_VR_LITTLE_ENDIAN
    implicit_vr = bool(implicit_vr)
    little_endian = True if little_endian is None else bool(little_endian)
    if implicit_vr and not little_endian:
        raise DicomValueError(
            "Implicit VR and big endian is not a valid encoding combination"
        )
    syntax = (
        _IMPLICIT_VR_LITTLE_ENDIAN
        if implicit_vr
        else _EXPLICIT_VR_LITTLE_ENDIAN
        if little_endian
        else _EXPLICIT_VR_BIG_ENDIAN
    )
    if meta_syntax and meta_syntax != syntax and meta_syntax in _NATIVE_SYNTAXES:
        raise DicomValueError(
            f"implicit_vr/little_endian ask for {syntax} but the file meta's "
            f"Transfer Syntax UID is {meta_syntax}"
        )
    return meta_syntax or syntax


def _encoding_of(transfer_syntax: str) -> tuple[bool, bool]:
    if transfer_syntax == _IMPLICIT_VR_LITTLE_ENDIAN:
        return True, True
    if transfer_syntax == _EXPLICIT_VR_BIG_ENDIAN:
        return False, False
    return False, True


def _check_pixel_encoding(dataset: Dataset, transfer_syntax: str) -> None:
    if 0x7FE00010 not in dataset._dict:
        return
    encapsulated_syntax = transfer_syntax not in _NATIVE_SYNTAXES
    elem = dataset._dict[0x7FE00010]
    if (
        encapsulated_syntax
        and not elem.is_undefined_length
        and isinstance(elem, DataElement)
        and bytes(elem.value[:4]) == _ITEM_LE
    ):
        # Built in memory as pydicom users do: ds.PixelData = encapsulate(...)
        elem.is_undefined_length = True
        elem.VR = "OB"
    if (
        not encapsulated_syntax
        and elem.is_undefined_length
        and isinstance(elem, DataElement)
        and elem._raw is None
        and bytes(elem.value[:4]) != _ITEM_LE
    ):
        # Native pixels assigned over encapsulated ones, with the transfer
        # syntax changed to a native one: ds.PixelData = arr.tobytes().
        elem.is_undefined_length = False
    encapsulated_data = bool(elem.is_undefined_length)
    if encapsulated_data and not encapsulated_syntax:
        raise DicomError(
            f"Pixel Data is encapsulated (compressed) but {transfer_syntax} is a "
            "native transfer syntax: decompress the dataset first"
        )
    if encapsulated_syntax and not encapsulated_data:
        raise DicomError(
            f"{transfer_syntax} needs encapsulated Pixel Data but the dataset holds "
            "native data: use ds.compress()"
        )


def _write_to(
    sink: Sink,
    dataset: Dataset,
    transfer_syntax: str,
    enforce: bool,
    write_meta: bool,
    forced: tuple[bool, bool] | None = None,
) -> None:
    group_2 = [tag for tag in dataset._dict if tag >> 16 == 0x0002]
    if group_2:
        raise DicomError(
            "group 0x0002 elements belong in ds.file_meta, not in the dataset"
        )
    if write_meta:
        preamble = dataset.__dict__.get("preamble") or b"\x00" * 128
        if len(preamble) != 128:
            raise DicomError("the preamble must be 128 bytes")
        sink(preamble + b"DICM")
        write_file_meta_info(sink, _build_file_meta(dataset, transfer_syntax, enforce))
    implicit_vr, little_endian = forced or _encoding_of(transfer_syntax)
    encoding = _Encoding(implicit_vr, little_endian)
    if transfer_syntax == _DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN:
        deflater = zlib.compressobj(
            zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS
        )
        chunks: list[bytes] = []

        def deflate(data: bytes) -> None:
            chunks.append(deflater.compress(data))

        _write_elements(dataset, encoding, deflate)
        chunks.append(deflater.flush())
        deflated = b"".join(chunks)
        sink(deflated)
        if len(deflated) % 2:
            sink(b"\x00")
        return
    _write_elements(dataset, encoding, sink)


def dcmwrite(
    filename: str | os.PathLike[str] | BinaryIO,
    dataset: Dataset,
    write_like_original: bool | None = None,
    /,
    *,
    implicit_vr: bool | None = None,
    little_endian: bool | None = None,
    enforce_file_format: bool = False,
    character_set_fallback: str | None = None,
    **kwargs: Any,
) -> None:
    """Write ``dataset`` to a path or a binary file object.

    The transfer syntax is the file meta's Transfer Syntax UID, or the one
    ``implicit_vr``/``little_endian`` name, or the encoding the dataset was
    read in.  A preamble and File Meta Information are written when the
    dataset has file meta or a preamble, or can be given one (it has SOP Class
    and Instance UIDs); ``enforce_file_format=True`` requires them.

    Text (LO, LT, PN, SH, ST, UC, UT) is encoded in the character set its
    dataset's Specific Character Set (0008,0005) declares. A character it
    cannot hold raises :class:`DicomValueError` naming the element, the value
    and the set (per the writing validation mode), unless
    ``character_set_fallback="ISO_IR 192"``: then the dataset, and each
    sequence item declaring its own set, is switched to ISO_IR 192 (UTF-8,
    which holds every character), every text value is re-encoded, and a
    warning says so.

    As pydicom 3's: ``overwrite=False`` refuses to replace an existing file,
    ``force_encoding=True`` writes the data set in the encoding
    ``implicit_vr``/``little_endian`` give whatever the transfer syntax, and
    the deprecated ``write_like_original=False`` means
    ``enforce_file_format=True`` (with a DeprecationWarning).

    ``filename`` may be an fsspec URL (``s3://bucket/key.dcm``, ``gs://...``;
    ``storage_options=`` go to its file system): the file is written whole
    to a temporary folder here, then uploaded in one piece, so the object
    appears whole or not at all; a write that fails uploads nothing.
    Storage failures raise :class:`~dicomcore.errors.StorageError`.

    >>> dcmwrite("out.dcm", ds)  # doctest: +SKIP
    """
    if "write_like_original" in kwargs:
        if write_like_original is not None:
            raise TypeError(
                "'write_like_original' cannot be used as both a positional and "
                "keyword argument"
            )
        write_like_original = kwargs.pop("write_like_original")
    if write_like_original is not None:
        warnings.warn(
            "'write_like_original' is deprecated and will be removed in v4.0, "
            "please use 'enforce_file_format' instead",
            DeprecationWarning,
            stacklevel=2,
        )
        enforce_file_format = not write_like_original
    overwrite = kwargs.pop("overwrite", True)
    force_encoding = kwargs.pop("force_encoding", False)
    storage_options = kwargs.pop("storage_options", None)
    if kwargs:
        raise TypeError(
            f"Invalid keyword argument(s) for dcmwrite(): {', '.join(kwargs)}"
        )
    url: str | None = None
    if isinstance(filename, str) and is_url(filename):
        path = local_path(filename)
        if path is None:
            url = filename
        else:
            filename = path
    if not overwrite and url is None and isinstance(filename, (str, os.PathLike)):
        if os.path.exists(filename):
            raise FileExistsError(f"'{os.fspath(filename)}' exists already")
    if character_set_fallback is not None:
        _fall_back_to_character_set(dataset, character_set_fallback)
    forced: tuple[bool, bool] | None = None
    if force_encoding:
        # pydicom's escape hatch: the data set in exactly this encoding,
        # whatever the file meta's Transfer Syntax UID says.
        if implicit_vr is None or little_endian is None:
            raise DicomValueError(
                "'implicit_vr' and 'little_endian' are required if "
                "'force_encoding' is used"
            )
        if enforce_file_format:
            raise DicomValueError(
                "'force_encoding' cannot be used with 'enforce_file_format'"
            )
        forced = (bool(implicit_vr), bool(little_endian))
        if 0x00020010 in dataset.file_meta:
            implicit_vr = little_endian = None
    transfer_syntax = _choose_transfer_syntax(dataset, implicit_vr, little_endian)
    _check_pixel_encoding(dataset, transfer_syntax)
    has_meta = (
        len(dataset.file_meta) > 0 or dataset.__dict__.get("preamble") is not None
    )
    # A dataset built in memory becomes a proper file when it can; one read as
    # a bare dataset is written back the way it came.
    built_here = dataset.original_encoding[0] is None
    can_make_meta = "SOPClassUID" in dataset and "SOPInstanceUID" in dataset
    write_meta = enforce_file_format or has_meta or (built_here and can_make_meta)
    if url is not None:
        _write_to_url(
            url,
            dataset,
            transfer_syntax,
            enforce_file_format,
            write_meta,
            forced,
            storage_options,
            overwrite,
        )
        return
    if isinstance(filename, (str, os.PathLike)):
        _atomic_write(
            os.fspath(filename),
            dataset,
            transfer_syntax,
            enforce_file_format,
            write_meta,
            forced,
        )
        return
    if not hasattr(filename, "write"):
        raise TypeError(f"dcmwrite cannot write to {type(filename).__name__}")
    _guard_own_source(filename, dataset)
    _write_to(
        filename.write,
        dataset,
        transfer_syntax,
        enforce_file_format,
        write_meta,
        forced,
    )


# Character sets that hold every character, so a fallback to them always works.
_UNIVERSAL_CHARACTER_SETS = frozenset({"ISO_IR 192"})


def _fall_back_to_character_set(dataset: Dataset, fallback: str) -> None:
    """Switch ``dataset`` to ``fallback`` when some changed text value cannot
    be encoded in the character set its dataset declares (the default
    repertoire counting as ASCII only)."""
    if fallback not in _UNIVERSAL_CHARACTER_SETS:
        raise ValueError(
            f"character_set_fallback must be one of "
            f"{sorted(_UNIVERSAL_CHARACTER_SETS)}, not {fallback!r}"
        )
    found = _first_unencodable(dataset)
    if found is None:
        return
    # Every text value is decoded in its old set before any set changes, and
    # loses its old bytes, so that all of them are written in the new one.
    texts: list[tuple[DataElement, Any]] = []
    _collect_text(dataset, texts)
    for elem, value in texts:
        elem._assign(value, IGNORE)
    _declare_character_set(dataset, fallback)
    elem, character, declared = found
    warnings.warn(
        f"{elem.tag} {elem.keyword or elem.name}: {str(elem.value)[:64]!r} has "
        f"{character!r}, which Specific Character Set {declared!r} cannot "
        f"encode; Specific Character Set is now {fallback!r} and every text "
        "value is written in it",
        UserWarning,
        stacklevel=3,
    )


def _first_unencodable(dataset: Dataset) -> tuple[DataElement, str, Any] | None:
    declared = dataset._text_encodings() or "ISO 2022 IR 6"
    for elem in dataset.elements():
        if not isinstance(elem, DataElement):
            continue  # still as read: written back unchanged
        if elem.VR == "SQ":
            for item in elem.value:
                found = _first_unencodable(item)
                if found is not None:
                    return found
            continue
        if elem.VR not in TEXT_VRS or elem.is_raw:
            continue
        if elem._raw is not None and not isinstance(elem.value, list):
            continue  # unchanged since read: its bytes are written
        character = unencodable_character(elem.value, elem.VR, declared)
        if character is not None:
            return elem, character, declared
    return None


def _collect_text(dataset: Dataset, texts: list[tuple[DataElement, Any]]) -> None:
    for tag in list(dataset._dict):
        elem = dataset[tag]
        if elem.VR == "SQ":
            for item in elem.value:
                _collect_text(item, texts)
        elif elem.VR in TEXT_VRS:
            texts.append((elem, elem.value))


def _declare_character_set(dataset: Dataset, term: str, top: bool = True) -> None:
    if top or 0x00080005 in dataset._dict:
        dataset.SpecificCharacterSet = term
    for elem in dataset:
        if elem.VR == "SQ":
            for item in elem.value:
                _declare_character_set(item, term, top=False)


def _guard_own_source(handle: BinaryIO, dataset: Dataset) -> None:
    """Before anything is written to the file object ``handle``: when it is
    the file that values of ``dataset`` are still deferred in, take those
    values from the copy kept at reading, or refuse when there is none.

    ``open(path, "wb")`` has already emptied that file, so its bytes exist
    only in such a copy (see :mod:`dicomcore.io.deferred`).
    """
    try:
        stat = os.fstat(handle.fileno())
    except (AttributeError, OSError, ValueError):
        return  # not a file on disk (BytesIO, a socket wrapper): no source there
    deferred = [
        (ds, tag, value)
        for ds, tag, value in _deferred_values(dataset)
        if value.in_file(stat)
    ]
    without_copy = [value for _, _, value in deferred if value.copy is None]
    if without_copy:
        value = without_copy[0]
        raise DicomError(
            f"cannot write into '{value.path}' through a file object: values of "
            f"this dataset are still read from that file, and opening it for "
            f"writing has emptied it (files over {EAGER_READ_BYTES // 1024**2} "
            f"MiB keep no copy in memory); use ds.save_as(path), which writes a "
            "new file and renames it into place"
        )
    for ds, tag, value in deferred:
        _replace_deferred(ds, tag, bytes(value.copy))  # type: ignore[arg-type]  # checked above


def _atomic_write(
    path: str,
    dataset: Dataset,
    transfer_syntax: str,
    enforce: bool,
    write_meta: bool,
    forced: tuple[bool, bool] | None = None,
) -> None:
    target = _written_path(path)
    _load_values_from(dataset, target)

    def write(handle: BinaryIO) -> None:
        _write_to(handle.write, dataset, transfer_syntax, enforce, write_meta, forced)

    atomic_write(target, write)


def _write_to_url(
    url: str,
    dataset: Dataset,
    transfer_syntax: str,
    enforce: bool,
    write_meta: bool,
    forced: tuple[bool, bool] | None,
    storage_options: dict[str, Any] | None,
    overwrite: bool,
) -> None:
    """Write the whole file in a temporary folder of this machine, then
    upload it to ``url`` in one piece: a write that fails leaves nothing at
    the URL (and an object already there as it was)."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or "dataset.dcm"
    with tempfile.TemporaryDirectory(prefix="dicomcore-upload-") as folder:
        local = os.path.join(folder, name)
        _atomic_write(local, dataset, transfer_syntax, enforce, write_meta, forced)
        upload_file(local, url, storage_options, overwrite=overwrite)


#: Temporary files are named ``.dicomcore-<target name>.<8 hex digits>.tmp``,
#: hidden, beside their target: :func:`remove_temporaries` finds those of one
#: target from its name alone, so a process killed mid-write can be cleaned
#: up after by whoever writes that target next.
TEMPORARY_PREFIX = ".dicomcore-"
TEMPORARY_SUFFIX = ".tmp"
# Names stay under the usual 255-byte limit: a long target name is cut and a
# hash of the whole name keeps two long names apart.
_LONGEST_NAME_IN_TEMPORARY = 120
_RANDOM_HEX_DIGITS = 8


def temporary_prefix(path: str | os.PathLike[str]) -> str:
    """The name prefix of the temporary files :func:`atomic_write` makes for
    ``path``: ``.dicomcore-<file name>.``"""
    name = os.path.basename(os.fspath(path))
    if len(name) > _LONGEST_NAME_IN_TEMPORARY:
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
        name = f"{name[: _LONGEST_NAME_IN_TEMPORARY - 17]}~{digest[:16]}"
    return f"{TEMPORARY_PREFIX}{name}."


def _temporary_pattern(path: str | os.PathLike[str]) -> re.Pattern[str]:
    return re.compile(
        re.escape(temporary_prefix(path))
        + f"[0-9a-f]{{{_RANDOM_HEX_DIGITS}}}"
        + re.escape(TEMPORARY_SUFFIX)
    )


_ANY_TEMPORARY = re.compile(
    re.escape(TEMPORARY_PREFIX)
    + r".+\."
    + f"[0-9a-f]{{{_RANDOM_HEX_DIGITS}}}"
    + re.escape(TEMPORARY_SUFFIX),
    re.DOTALL,
)


def is_temporary(name: str) -> bool:
    """True when the file name ``name`` is that of a temporary file
    :func:`atomic_write` makes (for any target)."""
    return _ANY_TEMPORARY.fullmatch(name) is not None


def _create_temporary(target: str, mode: int) -> tuple[int, str]:
    folder = os.path.dirname(target)
    prefix = temporary_prefix(target)
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        name = f"{prefix}{secrets.token_hex(_RANDOM_HEX_DIGITS // 2)}{TEMPORARY_SUFFIX}"
        temporary = os.path.join(folder, name)
        try:
            # The kernel applies the umask to ``mode``: the process umask is
            # never read or set, which no thread could do safely.
            return os.open(temporary, flags, mode), temporary
        except FileExistsError:
            continue


def _written_path(path: str | os.PathLike[str]) -> str:
    """The file a write to ``path`` replaces: through a symbolic link to the
    file it names, as ``open(path, "wb")`` writes."""
    absolute = os.path.abspath(os.fspath(path))
    if os.path.islink(absolute):
        return os.path.realpath(absolute)
    return absolute


def atomic_write(
    path: str | os.PathLike[str], write: Callable[[BinaryIO], object]
) -> None:
    """Create or replace the file ``path`` with what ``write(handle)`` writes.

    ``write`` writes to a new temporary file in the same folder (see
    :func:`temporary_prefix`), which is closed and renamed over ``path``:
    readers see the old file or the whole new one, never a part.
    If ``write`` raises, the temporary file is removed and ``path`` is
    untouched.  A replaced file keeps its permission bits; a new one gets
    those the umask allows.  A symbolic link is written through: the file
    it names is replaced and the link stays.  This is the one write path of
    :func:`dcmwrite`.

    >>> atomic_write("out.json", lambda handle: handle.write(b"{}"))  # doctest: +SKIP
    """
    target = _written_path(path)
    try:
        replaced_mode: int | None = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        replaced_mode = None
    # A replaced file's bits from the start (never wider while the data is
    # written); a new file gets 0o666 less the umask, as open() gives.
    creation_mode = 0o666 if replaced_mode is None else replaced_mode & 0o777
    descriptor, temporary = _create_temporary(target, creation_mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            # No fsync: the rename already keeps the old file whole if dicomcore
            # fails; syncing every file would halve batch conversion speed.
        if replaced_mode is not None:
            # The umask may have taken bits the replaced file had.
            os.chmod(temporary, replaced_mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def remove_temporaries(path: str | os.PathLike[str]) -> list[str]:
    """Delete the temporary files left beside ``path`` by writers of ``path``
    that were killed before they could clean up; return their paths.

    Only files named as :func:`atomic_write` names them for this target are
    touched.  Call it only when no other process is writing ``path``: a live
    writer's temporary file would be removed too, and its rename would fail.
    """
    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target)
    pattern = _temporary_pattern(target)
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return removed
    for name in names:
        if pattern.fullmatch(name):
            temporary = os.path.join(folder, name)
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                continue
            removed.append(temporary)
    return removed


def _deferred_values(dataset: Dataset) -> Iterator[tuple[Dataset, int, FileValue]]:
    """Every value of ``dataset`` (sequence items too) still in its file."""
    for tag, elem in dataset._dict.items():
        if isinstance(elem, RawDataElement):
            if isinstance(elem.value, FileValue):
                yield dataset, tag, elem.value
        elif isinstance(elem._raw, FileValue):
            yield dataset, tag, elem._raw
        elif elem.VR == "SQ" and not elem.is_raw:
            for item in elem.value:
                yield from _deferred_values(item)


def _replace_deferred(dataset: Dataset, tag: int, data: bytes) -> None:
    elem = dataset._dict[tag]
    if isinstance(elem, RawDataElement):
        dataset._dict[tag] = elem._replace(value=data)
    else:
        elem._raw = data


def _load_values_from(dataset: Dataset, path: str) -> None:
    """Read into memory every value still deferred in the file at ``path``
    (by whatever name it was read), which is about to be replaced, so the
    dataset stays usable afterwards."""
    try:
        stat = os.stat(path)
    except OSError:
        return  # nothing there yet, so no value lives in it
    for ds, tag, value in list(_deferred_values(dataset)):
        if value.in_file(stat):
            _replace_deferred(ds, tag, value.load())
