"""Lookup tables as the standard encodes them: a descriptor and its data.

One reader serves every LUT of PS3.3 that has a three-valued descriptor: the
Modality LUT (C.11.1.1.1), the VOI LUT (C.11.2.1.1), the Presentation LUT
(C.11.4.1) and the Red, Green, Blue and Alpha Palette Color LUTs
(C.7.6.3.1.5), including segmented palette data (C.7.9.2).

A descriptor is *number of entries* (0 meaning 2^16), *first stored value
mapped* and *bits per entry*.  Input values below the first mapped value take
the first entry, values beyond the last mapped one take the last entry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from dicomcore.errors import PixelDataError

__all__ = [
    "LookupTable",
    "ProcessingError",
    "descriptor_values",
    "expand_segmented_lut",
    "lut_entries",
    "read_lut",
]

# Input arrays of these types are mapped through a table covering every
# value the type can hold, built once: one gather, no index array.
_SMALL_INTEGER_TYPES: Final = frozenset("bBhH")


class ProcessingError(PixelDataError, ValueError):
    """A LUT, window or palette in a dataset cannot be applied.

    A ``ValueError`` as in pydicom; ``attribute`` is the keyword of the
    offending attribute when one is to blame.
    """

    def __init__(self, message: str, attribute: str | None = None) -> None:
        self.attribute = attribute
        super().__init__(message)


@dataclass(frozen=True, eq=False)
class LookupTable:
    """A one-dimensional LUT: ``entries[0]`` is the output for ``first_mapped``.

    ``entries`` is ``uint8`` when ``bits_per_entry`` is 8 or fewer and
    ``uint16`` otherwise (wider if the data holds wider values than the
    descriptor claims; nothing is ever cut off).
    """

    entries: np.ndarray
    first_mapped: int
    bits_per_entry: int

    @property
    def output_range(self) -> tuple[int, int]:
        """The range of outputs the descriptor promises: 0 to 2^bits - 1."""
        return 0, (1 << self.bits_per_entry) - 1

    def apply(self, arr: np.ndarray) -> np.ndarray:
        """Map ``arr`` through the table; same shape, dtype of ``entries``.

        Non-integer inputs (the output of a rescale with a fractional slope)
        take the entry nearest to them, halves rounding up.
        """
        values = np.asarray(arr)
        last = len(self.entries) - 1
        if values.dtype.char in _SMALL_INTEGER_TYPES:
            return self._apply_by_type(values)
        if values.dtype.kind == "f":
            index = np.floor(values - (self.first_mapped - 0.5))
            np.clip(index, 0, last, out=index)
            return self.entries[index.astype(np.intp)]
        if values.dtype.kind not in "biu":
            raise TypeError(f"cannot look up values of dtype {values.dtype}")
        index = values.astype(np.int64) - self.first_mapped
        np.clip(index, 0, last, out=index)
        return self.entries[index]

    def _apply_by_type(self, values: np.ndarray) -> np.ndarray:
        # Every value an 8- or 16-bit integer can take, mapped once; the
        # array is then viewed as unsigned (two's complement order) and used
        # as the index, so no array of the input's size is made but the output.
        info = np.iinfo(values.dtype)
        unsigned = np.dtype(f"u{values.dtype.itemsize}")
        every = np.arange(1 << (8 * values.dtype.itemsize), dtype=np.int64)
        if info.min < 0:
            every = np.where(every > info.max, every - (1 << info.bits), every)
        index = np.clip(every - self.first_mapped, 0, len(self.entries) - 1)
        table = self.entries[index]
        return table[values.view(unsigned)]


def descriptor_values(value: Any, *, signed: bool) -> tuple[int, int, int]:
    """(entries, first mapped, bits) from a LUT Descriptor value.

    The descriptor's VR is US or SS for all three values (PS3.3 C.11.1.1.1):
    a number of entries read as SS is taken back to unsigned, 0 meaning
    2^16, and the first mapped value is taken as signed when ``signed`` (the
    values it maps may be negative), as unsigned otherwise, whichever VR it
    was read with.
    """
    values = [int(item) for item in _as_list(value)]
    if len(values) != 3:
        raise ProcessingError(
            f"a LUT Descriptor has 3 values, not {len(values)}: {values}",
            "LUTDescriptor",
        )
    entries, first, bits = values
    entries &= 0xFFFF
    first &= 0xFFFF
    if signed and first >= 0x8000:
        first -= 0x10000
    return entries or 0x10000, first, bits


def lut_entries(element: Any, count: int, bits: int) -> np.ndarray:
    """The ``count`` entries of a LUT Data element, ``bits`` bits each.

    The value may be US (numbers), OW (16-bit words, in either byte order of
    the file) or OB.  Entries of 8 bits or fewer are stored either packed two
    to a 16-bit word, first entry in the low byte (as 8-bit Pixel Data in OW
    would be, PS3.5 8.1.1), or one to a word; both occur in files and the
    length tells them apart.  Returned as ``uint8`` or ``uint16``: if 8-bit
    entries stored one to a word hold values above 255 the descriptor is
    wrong and they are kept as 16-bit values rather than cut.
    """
    data = _little_endian_bytes(element)
    if getattr(element, "VR", "") == "OB":
        packed = np.frombuffer(data, np.uint8)
        if len(packed) < count:
            raise _short(element, count, len(packed))
        return packed[:count]
    words = np.frombuffer(data, "<u2", count=len(data) // 2)
    if bits <= 8 and len(words) == math.ceil(count / 2) and count > 1:
        return np.frombuffer(data, np.uint8, count=count)
    if len(words) < count:
        raise _short(element, count, len(words))
    words = words[:count]
    if bits <= 8 and int(words.max(initial=0)) <= 0xFF:
        return words.astype(np.uint8)
    return words.astype(np.uint16)


def read_lut(
    item: Any,
    *,
    signed: bool,
    descriptor: str = "LUTDescriptor",
    data: str = "LUTData",
) -> LookupTable:
    """The LUT that ``descriptor`` and ``data`` of ``item`` define.

    ``signed``: the first mapped value may be negative (see
    :func:`descriptor_values`).
    """
    if descriptor not in item:
        raise ProcessingError(f"{descriptor} is missing", descriptor)
    if data not in item:
        raise ProcessingError(f"{data} is missing", data)
    count, first, bits = descriptor_values(item[descriptor].value, signed=signed)
    if not 1 <= bits <= 16:
        raise ProcessingError(
            f"{descriptor}: {bits} bits per entry; the standard allows 8 to 16",
            descriptor,
        )
    entries = lut_entries(item[data], count, bits)
    return LookupTable(entries=entries, first_mapped=first, bits_per_entry=bits)


# -- segmented palette data (PS3.3 C.7.9.2) ------------------------------------

_DISCRETE, _LINEAR, _INDIRECT = 0, 1, 2


def expand_segmented_lut(segments: np.ndarray, count: int, bits: int) -> np.ndarray:
    """The ``count`` entries described by segmented LUT data (PS3.3 C.7.9.2).

    ``segments`` holds the data as entries of ``bits`` (8 or 16) bits: each
    segment is an opcode, a length, then its values.  Discrete segments
    (opcode 0) list their entries; a linear segment (1) draws a straight line
    from the previous segment's last entry to its one value over ``length``
    entries, each rounded to the nearest integer (halves up; the standard
    does not say); an indirect segment (2) copies ``length`` segments from the
    byte offset its two next values give, least significant 16 bits first.
    Expansion stops at ``count`` entries, so trailing padding is ignored.
    """
    values = [int(v) for v in segments]
    step = 2 if bits > 8 else 1  # bytes per entry: an indirect offset is in bytes
    lut: list[int] = []
    position = 0
    while len(lut) < count and position + 1 < len(values):
        position = _expand_segment(values, position, lut, step, indirect=True)
    if len(lut) < count:
        raise ProcessingError(
            f"segmented LUT data expands to {len(lut)} entries, the descriptor "
            f"says {count}",
            "SegmentedRedPaletteColorLookupTableData",
        )
    dtype = np.uint8 if bits <= 8 else np.uint16
    return np.array(lut[:count], dtype=dtype)


def _expand_segment(
    values: list[int], position: int, lut: list[int], step: int, *, indirect: bool
) -> int:
    """Append the entries of the segment at ``position``; return the next position."""
    opcode, length = values[position], values[position + 1]
    body = position + 2
    if opcode == _DISCRETE:
        if body + length > len(values):
            raise ProcessingError("a discrete segment runs past the end of its data")
        lut.extend(values[body : body + length])
        return body + length
    if opcode == _LINEAR:
        if not lut:
            raise ProcessingError("a linear segment cannot be the first segment")
        if body >= len(values):
            raise ProcessingError("a linear segment has no end value")
        start, end = lut[-1], values[body]
        if length == 0:
            return body + 1
        # y = start + (end - start) * i / length, i = 1..length, rounded half up,
        # in integers so that no value depends on floating point
        lut.extend(
            (2 * (start * length + (end - start) * i) + length) // (2 * length)
            for i in range(1, length + 1)
        )
        return body + 1
    if opcode == _INDIRECT:
        if not indirect:
            raise ProcessingError(
                "an indirect segment shall not copy another indirect segment"
            )
        if not lut:
            raise ProcessingError("an indirect segment cannot be the first segment")
        offset_words = values[body : body + (2 if step == 2 else 4)]
        if step == 2:  # two 16-bit entries: least significant first
            byte_offset = offset_words[0] | offset_words[1] << 16
        else:  # four 8-bit entries, the 32-bit offset little endian
            byte_offset = sum(v << (8 * k) for k, v in enumerate(offset_words))
        if byte_offset % step:
            raise ProcessingError(f"indirect segment offset {byte_offset} is odd")
        source = byte_offset // step
        for _ in range(length):
            if source + 1 >= len(values):
                raise ProcessingError("an indirect segment points past the data")
            source = _expand_segment(values, source, lut, step, indirect=False)
        return body + len(offset_words)
    raise ProcessingError(f"unknown segment opcode {opcode} (C.7.9.2 defines 0-2)")


# -- helpers -------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)) or hasattr(value, "__iter__"):
        if not isinstance(value, (str, bytes)):
            return list(value)
    return [value]


def _little_endian_bytes(element: Any) -> bytes:
    """The element's value as little endian bytes, whatever its VR and file."""
    encoded = getattr(element, "encoded_value", None)
    if encoded is not None:
        return bytes(encoded(little_endian=True))
    value = element.value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return np.asarray(_as_list(value), dtype=np.int64).astype("<u2").tobytes()


def _short(element: Any, needed: int, found: int) -> ProcessingError:
    keyword = getattr(element, "keyword", "") or "LUT data"
    return ProcessingError(
        f"{keyword} holds {found} entries; its descriptor needs {needed}", keyword
    )
