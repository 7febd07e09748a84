"""Data elements: a tag, a VR and a value that stays raw bytes until read."""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from dicomcore import config
from dicomcore._printing import element_text, element_value_text, raw_element_text
from dicomcore.dictionary import (
    DictionaryEntry,
    get_entry_or_none,
    private_dictionary_entry,
)
from dicomcore.errors import DicomValueError
from dicomcore.tag import BaseTag, Tag
from dicomcore.values import (
    convert_assigned_value,
    decode_value,
    empty_value_for_VR,
    encode_value,
    validate_value,
)
from dicomcore.values.codec import DECODERS as VALUE_DECODERS
from dicomcore.vr import BYTES_VRS, NUMBER_VRS, TEXT_VRS

__all__ = ["DataElement", "DeferredValue", "RawDataElement"]


class DeferredValue(Protocol):
    """A value left in its source until first used (``defer_size``, or Pixel
    Data read from a path).  The I/O layer provides implementations."""

    offset: int
    length: int

    def load(self) -> bytes:
        """Read the value's bytes from the source."""
        ...


class RawDataElement(NamedTuple):
    """An element as the reader found it: header facts and undecoded bytes.

    ``VR`` is None when the file is implicit VR; ``value`` may be a
    :class:`DeferredValue` instead of bytes.
    """

    tag: int
    VR: str | None
    length: int
    value: Any
    value_tell: int
    is_implicit_VR: bool
    is_little_endian: bool
    is_undefined_length: bool = False

    def __repr__(self) -> str:
        return raw_element_text(self)


class _Undecoded:
    """The one marker of a DataElement whose value has not been decoded
    from its raw bytes yet. Copies and pickles of an element keep the marker
    itself, so that their values are decoded when first read."""

    __slots__ = ()
    _instance: _Undecoded | None = None

    def __new__(cls) -> _Undecoded:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __reduce__(self) -> str:
        # pickled by name: unpickling finds this module's marker
        return "_UNDECODED"

    def __copy__(self) -> _Undecoded:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Undecoded:
        return self

    def __repr__(self) -> str:
        return "<undecoded>"


_UNDECODED: Any = _Undecoded()

# Values of these types may be changed in place, so raw bytes kept beside them
# cannot be trusted at write time.
_MUTABLE_TYPES = (list, bytearray)


class DataElement:
    """One DICOM data element.

    The value is decoded from the bytes read from a file on first access, and
    the bytes are kept so an unchanged element is written back exactly as read.

    >>> elem = DataElement(0x00100010, "PN", "Doe^John")
    >>> elem.keyword, elem.VR, str(elem.value)
    ('PatientName', 'PN', 'Doe^John')
    """

    __slots__ = (
        "tag",
        "_VR",
        "_value",
        "_raw",
        "_raw_little_endian",
        "file_value_tell",
        "is_undefined_length",
        "private_creator",
        "_encodings",
    )

    descripWidth = 35  # noqa: N815 - pydicom's name
    maxBytesToDisplay = 16  # noqa: N815 - pydicom's name
    showVR = True  # noqa: N815 - pydicom's name

    def __init__(
        self,
        tag: int | str | tuple[int, int],
        VR: str,  # noqa: N803 - pydicom's name
        value: Any,
        file_value_tell: int | None = None,
        is_undefined_length: bool = False,
        already_converted: bool = False,
        validation_mode: int | None = None,
    ) -> None:
        self.tag: BaseTag = Tag(tag)
        self._VR = str(VR)
        self._raw: Any = None
        self._raw_little_endian = True
        self.file_value_tell = file_value_tell
        self.is_undefined_length = is_undefined_length
        self.private_creator: str | None = None
        self._encodings: Any = None
        if already_converted:
            self._value = value
        else:
            self._value = _UNDECODED
            self._assign(value, validation_mode)

    @classmethod
    def from_raw(
        cls,
        raw: RawDataElement,
        VR: str,  # noqa: N803 - pydicom's name
        encodings: Any = None,
    ) -> DataElement:
        """An element whose value will be decoded from ``raw`` when first read."""
        elem = cls.__new__(cls)
        elem.tag = BaseTag(raw.tag)
        elem._VR = VR
        elem._value = _UNDECODED
        elem._raw = raw.value
        elem._raw_little_endian = raw.is_little_endian
        elem.file_value_tell = raw.value_tell
        elem.is_undefined_length = raw.is_undefined_length
        elem.private_creator = None
        elem._encodings = encodings
        return elem

    # -- value -----------------------------------------------------------------

    @property
    def VR(self) -> str:  # noqa: N802 - pydicom's name
        return self._VR

    @VR.setter
    def VR(self, vr: str) -> None:  # noqa: N802 - pydicom's name
        vr = str(vr)
        if vr == self._VR:
            return
        if self._raw is None and self._value is not _UNDECODED:
            # A value set by the user: carry it over through its byte form so
            # that, e.g., bytes assigned under OB can become numbers under US.
            value = self._value
            self._VR = vr
            if isinstance(value, (bytes, bytearray)) and vr not in BYTES_VRS:
                self._raw = bytes(value)
                self._raw_little_endian = True
                self._value = _UNDECODED
            else:
                self._value = _UNDECODED
                self._assign(value, config.IGNORE)
            return
        self._VR = vr
        if self._raw is not None:
            self._value = _UNDECODED

    @property
    def value(self) -> Any:
        value = self._value
        if value is _UNDECODED:
            value = self._value = self._decode()
        return value

    @value.setter
    def value(self, value: Any) -> None:
        self._assign(value, None)

    def _assign(self, value: Any, validation_mode: int | None) -> None:
        vr = self._VR
        if " or " in vr:
            # The dictionary's "US or SS" (pydicom's habit:
            # DataElement(tag, dictionary_VR(tag), value)): the dataset it
            # joins picks one VR, which converts the value then.
            self._value = value
            self._raw = None
            return
        if vr == "SQ":
            from dicomcore.sequence import Sequence

            # Compared with "" only when a string: a client's Sequence
            # subclass may define __eq__ for its own kind alone.
            if value is None or (isinstance(value, str) and value == ""):
                value = []
            if not isinstance(value, Sequence):
                value = Sequence(value)
        else:
            value = convert_assigned_value(value, vr)
            mode = (
                config.settings.writing_validation_mode
                if validation_mode is None
                else validation_mode
            )
            if mode != config.IGNORE:
                validate_value(vr, value, mode)
        self._value = value
        self._raw = None

    def _decode(self) -> Any:
        raw = self._raw
        if type(raw) is bytes and raw:
            # The usual case, a value read from a file: its VR's decoder.
            decoder = VALUE_DECODERS.get(self._VR)
            if decoder is not None:
                return decoder(raw, self._raw_little_endian, self._encodings)
        if raw is None:
            return empty_value_for_VR(self._VR)
        if not isinstance(raw, (bytes, bytearray, memoryview)):
            raw = raw.load()
            # Large values stay deferred until now and are then kept.
            self._raw = raw
        return self._decode_bytes(raw)

    def _decode_bytes(self, raw: bytes | bytearray | memoryview) -> Any:
        if self._VR == "SQ":
            raise DicomValueError(
                f"{self.tag}: a sequence must be parsed by the reader, not decoded"
            )
        return decode_value(
            raw,
            self._VR,
            little_endian=self._raw_little_endian,
            encodings=self._encodings,
        )

    @property
    def is_raw(self) -> bool:
        """True while the value has not been decoded from the file's bytes."""
        return self._value is _UNDECODED

    @property
    def is_buffered(self) -> bool:
        return False

    @property
    def is_deferred(self) -> bool:
        """True while the value is still in its source file, unread."""
        raw = self._raw
        return raw is not None and not isinstance(raw, (bytes, bytearray, memoryview))

    @property
    def deferred_source(self) -> DeferredValue | None:
        """Where a value still in its file lives (path, offset, length), so
        the pixel pipeline can read one frame without loading the rest; None
        once the value is in memory."""
        raw = self._raw
        if raw is None or isinstance(raw, (bytes, bytearray, memoryview)):
            return None
        return raw  # type: ignore[no-any-return]

    def encoded_value(self, little_endian: bool = True, encodings: Any = None) -> bytes:
        """The value's bytes for writing, padded to even length.

        An element read from a file and not changed gives back the bytes read,
        so unchanged files round trip exactly.
        """
        raw = self._raw
        value = self._value
        if raw is not None and not isinstance(raw, (bytes, bytearray, memoryview)):
            raw = raw.load()
        if (
            raw is not None
            and encodings is not None
            and self._VR in TEXT_VRS
            and _encoding_terms(encodings) != _encoding_terms(self._encodings)
        ):
            # Read in one character set, written in another: decode, re-encode.
            raw = None
        if raw is not None and (
            value is _UNDECODED
            or not isinstance(value, _MUTABLE_TYPES)
            or _values_equal(value, self._decode_bytes(raw))
        ):
            if little_endian == self._raw_little_endian or not _byte_order_matters(
                self._VR
            ):
                data = bytes(raw)
                if len(data) % 2:
                    data += b"\x00" if self._VR in _NULL_PAD else b" "
                return data
            if self._VR in BYTES_VRS:
                return _swap_words(bytes(raw), self._VR)
        return encode_value(
            self.value,
            self._VR,
            little_endian=little_endian,
            encodings=encodings if encodings is not None else self._encodings,
        )

    def clear(self) -> None:
        """Make the value empty."""
        self._value = empty_value_for_VR(self._VR)
        self._raw = None

    # -- dictionary facts ------------------------------------------------------

    def _entry(self) -> DictionaryEntry | None:
        tag = self.tag
        if tag >> 16 & 1:
            if self.private_creator:
                return private_dictionary_entry(self.private_creator, tag)
            return None
        return get_entry_or_none(tag)

    @property
    def name(self) -> str:
        """The standard's name, e.g. "Patient's Name"; a private element known
        to the private dictionary shows its name there in brackets, others
        "Private tag data" ("Private Creator" for a creator element); an
        unknown public element ``""``, as pydicom names them."""
        tag = self.tag
        if tag >> 16 & 1:
            if self.private_creator:
                entry = self._entry()
                if entry is not None:
                    return f"[{entry.name}]"
            elif tag & 0xFFFF <= 0x00FF:
                return "Private Creator"
            return "Private tag data"
        entry = self._entry()
        if entry is not None:
            return entry.name
        if tag & 0xFFFF == 0:
            return "Group Length"
        return ""

    @property
    def keyword(self) -> str:
        entry = None if self.tag >> 16 & 1 else self._entry()
        return entry.keyword if entry is not None else ""

    @property
    def is_retired(self) -> bool:
        entry = self._entry()
        return bool(entry and entry.retired)

    @property
    def is_private(self) -> bool:
        return bool(self.tag >> 16 & 1)

    @property
    def VM(self) -> int:  # noqa: N802 - pydicom's name
        """The number of values."""
        value = self.value
        if value is None:
            return 0
        if isinstance(value, (str, bytes, bytearray)):
            return 1 if value else 0
        if isinstance(value, list) and self._VR != "SQ":
            return len(value)
        return 1

    @property
    def is_empty(self) -> bool:
        if self._VR == "SQ":
            return len(self.value) == 0
        return self.VM == 0

    @property
    def empty_value(self) -> Any:
        return empty_value_for_VR(self._VR)

    # -- display and comparison ------------------------------------------------

    @property
    def repval(self) -> str:
        """The value as shown in a dataset listing."""
        return element_value_text(self)

    def __str__(self) -> str:
        return element_text(self)

    def __repr__(self) -> str:
        return element_text(self)

    def __eq__(self, other: Any) -> bool:
        if other is self:
            return True
        if not isinstance(other, DataElement):
            return NotImplemented
        if self.tag != other.tag or self._VR != other._VR:
            return False
        if (
            self._value is _UNDECODED
            and other._value is _UNDECODED
            and self._raw_little_endian == other._raw_little_endian
            and isinstance(self._raw, bytes)
            and isinstance(other._raw, bytes)
            and self._raw == other._raw
        ):
            return True
        return _values_equal(self.value, other.value)

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list is

    def __getitem__(self, index: Any) -> Any:
        """Item ``index`` of a sequence or of a multi-valued element, as
        ``ds[0x300A, 0x00B0][0]`` reads in pydicom."""
        value = self.value
        if not isinstance(value, list):
            raise TypeError(f"{self.tag} {self.name} holds a single value")
        return value[index]

    def __deepcopy__(self, memo: dict[int, Any]) -> DataElement:
        import copy

        new = DataElement.__new__(DataElement)
        memo[id(self)] = new
        new.tag = self.tag
        new._VR = self._VR
        raw = self._raw
        if raw is not None and not isinstance(raw, (bytes, bytearray, memoryview)):
            raw = raw.load()
        new._raw = bytes(raw) if isinstance(raw, (bytearray, memoryview)) else raw
        new._raw_little_endian = self._raw_little_endian
        new._value = (
            _UNDECODED
            if self._value is _UNDECODED
            else copy.deepcopy(self._value, memo)
        )
        new.file_value_tell = self.file_value_tell
        new.is_undefined_length = self.is_undefined_length
        new.private_creator = self.private_creator
        new._encodings = self._encodings
        return new


_NULL_PAD = frozenset({"UI", "OB", "UN", "OD", "OF", "OL", "OV", "OW"})


def _byte_order_matters(vr: str) -> bool:
    return vr in NUMBER_VRS or vr in BYTES_VRS and vr not in ("OB", "UN") or vr == "AT"


def _swap_words(data: bytes, vr: str) -> bytes:
    import numpy as np

    size = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}[vr]
    usable = len(data) - len(data) % size
    swapped = np.frombuffer(data, dtype=f"u{size}", count=usable // size).byteswap()
    return swapped.tobytes() + data[usable:]


def _values_equal(left: Any, right: Any) -> bool:
    import numpy as np

    if isinstance(left, np.ndarray) or isinstance(right, np.ndarray):
        return bool(np.array_equal(left, right))
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(
            _values_equal(a, b) for a, b in zip(left, right, strict=True)
        )
    return bool(left == right)


def _encoding_terms(encodings: Any) -> list[str]:
    """Specific Character Set values compared as lists of terms, the default
    repertoire (absent, empty) as []."""
    if not encodings:
        return []
    if isinstance(encodings, str):
        return [encodings.strip()]
    return [str(term).strip() for term in encodings]
