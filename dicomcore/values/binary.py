"""Codecs for the binary VRs: numbers (US SS UL SL UV SV FL FD), AT, and the
byte strings (OB OD OF OL OV OW UN).

Numbers go through :mod:`struct` for a few values and numpy for many. Byte
strings pass through unchanged, in the byte order of the file; swapping OW and
its kin for big endian files is the reader's and writer's work.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from dicomcore.config import settings
from dicomcore.errors import DicomValueError
from dicomcore.tag import BaseTag, Tag
from dicomcore.values._modes import report
from dicomcore.values.convert import ITEM_CONVERTERS
from dicomcore.values.multivalue import MultiValue
from dicomcore.values.validation import at_items, value_problem
from dicomcore.vr import BYTES_VRS, VR

__all__ = ["DECODERS", "ENCODERS"]

Raw = bytes | bytearray | memoryview
Decoder = Callable[[Raw, bool, "Sequence[str] | None"], Any]
Encoder = Callable[[Any, bool, "Sequence[str] | None", int], bytes]

# struct format character of each number VR (standard sizes under "<" / ">").
_STRUCT_CODES = {
    "US": "H",
    "SS": "h",
    "UL": "L",
    "SL": "l",
    "UV": "Q",
    "SV": "q",
    "FL": "f",
    "FD": "d",
}
# Below this many values struct is faster than building a numpy array.
_NUMPY_THRESHOLD = 32


def _byte_order(little_endian: bool) -> str:
    return "<" if little_endian else ">"


def _whole_items(raw: Raw, vr: str, item_size: int) -> Raw:
    """``raw`` cut to a whole number of values, the excess reported per the
    reading mode (when not raised, the trailing partial value is dropped)."""
    excess = len(raw) % item_size
    if excess:
        report(
            f"Invalid value for VR {vr}: length {len(raw)} is not a multiple of "
            f"{item_size}; the last {excess} bytes are dropped",
            settings.reading_validation_mode,
        )
        return raw[: len(raw) - excess]
    return raw


def _number_codec(vr: str) -> tuple[Decoder, Encoder]:
    code = _STRUCT_CODES[vr]
    item_size = struct.calcsize("<" + code)
    converter = ITEM_CONVERTERS[vr]
    single = {True: struct.Struct("<" + code), False: struct.Struct(">" + code)}
    dtypes = {
        True: np.dtype("<" + code.replace("L", "I").replace("l", "i")),
        False: np.dtype(">" + code.replace("L", "I").replace("l", "i")),
    }

    def decode(raw: Raw, little_endian: bool, encodings: Sequence[str] | None) -> Any:
        raw = _whole_items(raw, vr, item_size)
        count = len(raw) // item_size
        if count == 1:
            return single[little_endian].unpack(raw)[0]
        if count == 0:
            return None
        if count < _NUMPY_THRESHOLD:
            layout = f"{_byte_order(little_endian)}{count}{code}"
            values = list(struct.unpack(layout, raw))
        else:
            values = np.frombuffer(raw, dtypes[little_endian], count).tolist()
        return MultiValue._from_converted(converter, values)

    def encode(
        value: Any, little_endian: bool, encodings: Sequence[str] | None, mode: int
    ) -> bytes:
        # A number that does not fit the VR cannot be written at all, so these
        # errors are raised whatever the validation mode.
        if isinstance(value, np.ndarray):
            return _encode_array(value.ravel(), dtypes[little_endian])
        if isinstance(value, (list, tuple)):
            items = value
        elif isinstance(value, str):
            raise DicomValueError(
                f"Invalid value for VR {vr}: {value!r} is not a number"
            )
        else:
            items = [value]
        if len(items) >= _NUMPY_THRESHOLD:
            array = np.asarray(items)
            # object arrays (ints beyond 64 bits, non-numbers) take the slow
            # path below, which names the bad value
            if array.dtype.kind in "biuf":
                return _encode_array(array, dtypes[little_endian])
        try:
            layout = f"{_byte_order(little_endian)}{len(items)}{code}"
            return struct.pack(layout, *items)
        except (struct.error, OverflowError, TypeError):
            problem = value_problem(vr, list(items))
            raise DicomValueError(
                problem or f"Invalid value for VR {vr}: {value!r}"
            ) from None

    def _encode_array(array: np.ndarray, dtype: np.dtype) -> bytes:
        problem = value_problem(vr, array)
        if problem is not None:
            raise DicomValueError(problem)
        return array.astype(dtype, copy=False).tobytes()

    return decode, encode


def _decode_at(raw: Raw, little_endian: bool, encodings: Sequence[str] | None) -> Any:
    raw = _whole_items(raw, "AT", 4)
    count = len(raw) // 4
    if count == 0:
        return None
    numbers = struct.unpack(f"{_byte_order(little_endian)}{2 * count}H", raw)
    tags = [
        BaseTag((group << 16) | element)
        for group, element in zip(numbers[0::2], numbers[1::2], strict=True)
    ]
    if count == 1:
        return tags[0]
    return MultiValue._from_converted(ITEM_CONVERTERS["AT"], tags)


def _encode_at(
    value: Any, little_endian: bool, encodings: Sequence[str] | None, mode: int
) -> bytes:
    numbers: list[int] = []
    for item in at_items(value):
        try:
            tag = Tag(int(item) if isinstance(item, np.integer) else item)
        except (TypeError, ValueError, OverflowError) as exc:
            raise DicomValueError(
                f"Invalid value for VR AT: {item!r} is not a tag ({exc})"
            ) from None
        numbers += (tag >> 16, tag & 0xFFFF)
    return struct.pack(f"{_byte_order(little_endian)}{len(numbers)}H", *numbers)


def _decode_bytes(
    raw: Raw, little_endian: bool, encodings: Sequence[str] | None
) -> bytes:
    return bytes(raw)


def _bytes_encoder(vr: str) -> Encoder:
    item_size = VR(vr).fixed_item_size or 1

    def encode(
        value: Any, little_endian: bool, encodings: Sequence[str] | None, mode: int
    ) -> bytes:
        if isinstance(value, np.ndarray):
            # an array is written in the byte order asked for
            dtype = value.dtype.newbyteorder(_byte_order(little_endian))
            data = value.astype(dtype, copy=False).tobytes()
        elif isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
        else:
            raise DicomValueError(
                f"Invalid value for VR {vr}: a {type(value).__name__} is not bytes"
            )
        if len(data) % item_size:
            report(
                f"Invalid value for VR {vr}: {len(data)} bytes is not a multiple "
                f"of {item_size} bytes",
                mode,
            )
        if len(data) & 1:
            # PS3.5 7.1.1: OB and UN are padded with a NUL byte to even length
            data += b"\x00"
        return data

    return encode


_NUMBER_CODECS = {vr: _number_codec(vr) for vr in _STRUCT_CODES}

DECODERS: dict[str, Decoder] = {
    **{vr: codec[0] for vr, codec in _NUMBER_CODECS.items()},
    **{vr: _decode_bytes for vr in BYTES_VRS},
    "AT": _decode_at,
}
ENCODERS: dict[str, Encoder] = {
    **{vr: codec[1] for vr, codec in _NUMBER_CODECS.items()},
    **{vr: _bytes_encoder(vr) for vr in BYTES_VRS},
    "AT": _encode_at,
}
