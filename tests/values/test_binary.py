"""Binary VRs through decode_value / encode_value."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from dicomcore.errors import DicomValueError
from dicomcore.tag import BaseTag
from dicomcore.values import MultiValue, decode_value, encode_value


@pytest.mark.parametrize(
    ("vr", "value", "little", "big"),
    [
        ("US", 1, b"\x01\x00", b"\x00\x01"),
        ("US", [1, 2], b"\x01\x00\x02\x00", b"\x00\x01\x00\x02"),
        ("US", 65535, b"\xff\xff", b"\xff\xff"),
        ("SS", -2, b"\xfe\xff", b"\xff\xfe"),
        ("UL", 0x01020304, b"\x04\x03\x02\x01", b"\x01\x02\x03\x04"),
        ("SL", -1, b"\xff\xff\xff\xff", b"\xff\xff\xff\xff"),
        ("UV", 2**64 - 1, b"\xff" * 8, b"\xff" * 8),
        ("SV", -(2**63), b"\x00" * 7 + b"\x80", b"\x80" + b"\x00" * 7),
        ("FL", 1.5, b"\x00\x00\xc0\x3f", b"\x3f\xc0\x00\x00"),
        ("FD", -2.0, b"\x00" * 7 + b"\xc0", b"\xc0" + b"\x00" * 7),
        ("FD", [0.5, 1.0], struct.pack("<2d", 0.5, 1), struct.pack(">2d", 0.5, 1)),
    ],
)
def test_numbers_round_trip(vr: str, value: object, little: bytes, big: bytes) -> None:
    assert encode_value(value, vr) == little
    assert encode_value(value, vr, little_endian=False) == big
    assert decode_value(little, vr) == value
    assert decode_value(big, vr, little_endian=False) == value


def test_decode_number_types() -> None:
    assert type(decode_value(b"\x01\x00", "US")) is int
    assert type(decode_value(b"\x00\x00\xc0\x3f", "FL")) is float
    values = decode_value(b"\x01\x00\x02\x00", "US")
    assert isinstance(values, MultiValue)
    assert [type(item) for item in values] == [int, int]


def test_decode_many_numbers_uses_the_same_values() -> None:
    numbers = np.arange(1000, dtype=np.int16) - 500
    for little_endian, order in ((True, "<"), (False, ">")):
        raw = numbers.astype(order + "i2").tobytes()
        values = decode_value(raw, "SS", little_endian=little_endian)
        assert values == numbers.tolist()
        assert type(values[0]) is int


def test_decode_memoryview() -> None:
    buffer = memoryview(b"\xff\x01\x00\x02\x00\xff")
    assert decode_value(buffer[1:5], "US") == [1, 2]


def test_decode_float32_value() -> None:
    assert decode_value(struct.pack("<f", 0.1), "FL") == pytest.approx(0.1, rel=1e-7)
    assert decode_value(struct.pack("<f", 0.1), "FL") == 0.10000000149011612


def test_decode_length_not_multiple_warns_and_drops_partial_value() -> None:
    with pytest.warns(UserWarning, match=r"VR US: length 5 is not a multiple of 2"):
        assert decode_value(b"\x01\x00\x02\x00\x03", "US") == [1, 2]
    with pytest.warns(UserWarning, match=r"VR UL: length 3"):
        assert decode_value(b"\x01\x00\x02", "UL") is None


def test_decode_length_not_multiple_raises(reading_raise: None) -> None:
    with pytest.raises(DicomValueError, match=r"VR FD: length 9 is not a multiple"):
        decode_value(b"\x00" * 9, "FD")


def test_encode_numpy_inputs() -> None:
    assert encode_value(np.uint16(7), "US") == b"\x07\x00"
    assert encode_value(np.array([1, 2], dtype=np.int64), "US") == b"\x01\x00\x02\x00"
    assert encode_value(
        np.array([[1], [2]], dtype=np.uint8), "US", little_endian=False
    ) == (b"\x00\x01\x00\x02")
    assert encode_value(np.array([1.5], dtype=np.float64), "FL") == b"\x00\x00\xc0\x3f"


def test_encode_long_lists() -> None:
    values = list(range(100))
    assert encode_value(values, "UL") == np.arange(100, dtype="<u4").tobytes()
    floats = [value / 4 for value in values]
    assert encode_value(floats, "FD", little_endian=False) == (
        np.array(floats, dtype=">f8").tobytes()
    )


@pytest.mark.parametrize(
    ("vr", "value", "message"),
    [
        ("US", -1, r"VR US: -1 is outside 0..65535"),
        ("US", 65536, r"VR US: 65536 is outside 0..65535"),
        ("SS", [1, 40000], r"VR SS: 40000 is outside -32768..32767"),
        ("UL", 1.5, r"VR UL: 1.5 is not an integer"),
        ("US", "1", r"VR US: '1' is not a number"),
        ("FL", 1e39, r"VR FL: 1e\+39 is too large for FL"),
        ("US", np.array([0, 70000]), r"VR US: 70000 is outside"),
        ("US", np.array([0.5]), r"VR US: dtype\('float64'\) array is not of integers"),
        ("US", list(range(99)) + [-5], r"VR US: -5 is outside"),
        ("FL", np.array([1e39]), r"VR FL: 1e\+39 is too large"),
    ],
)
def test_encode_unrepresentable_numbers_always_raise(
    vr: str, value: object, message: str, writing_warn: None
) -> None:
    with pytest.raises(DicomValueError, match=message):
        encode_value(value, vr)


def test_empty_numbers() -> None:
    assert decode_value(b"", "US") is None
    assert encode_value(None, "US") == b""
    assert encode_value([], "FD") == b""


# AT


def test_at_round_trip() -> None:
    raw = b"\x18\x00\x63\x10"
    tag = decode_value(raw, "AT")
    assert type(tag) is BaseTag
    assert tag == 0x00181063
    assert encode_value(tag, "AT") == raw
    assert encode_value(0x00181063, "AT") == raw
    assert encode_value((0x0018, 0x1063), "AT") == raw
    assert encode_value(0x00181063, "AT", little_endian=False) == b"\x00\x18\x10\x63"
    assert decode_value(b"\x00\x18\x10\x63", "AT", little_endian=False) == 0x00181063


def test_at_multiple() -> None:
    raw = b"\x18\x00\x63\x10\x18\x00\x65\x10"
    tags = decode_value(raw, "AT")
    assert isinstance(tags, MultiValue)
    assert tags == [0x00181063, 0x00181065]
    assert encode_value(tags, "AT") == raw
    assert encode_value([(0x0018, 0x1063), (0x0018, 0x1065)], "AT") == raw


def test_at_invalid() -> None:
    with pytest.raises(DicomValueError, match=r"VR AT: 4294967296 is not a tag"):
        encode_value(2**32, "AT")


# OB OD OF OL OV OW UN


@pytest.mark.parametrize("vr", ["OB", "OD", "OF", "OL", "OV", "OW", "UN"])
def test_bytes_are_unchanged(vr: str) -> None:
    raw = bytes(range(16))
    assert decode_value(raw, vr) == raw
    assert decode_value(raw, vr, little_endian=False) == raw
    assert type(decode_value(memoryview(raw), vr)) is bytes
    assert encode_value(raw, vr) == raw
    assert encode_value(bytearray(raw), vr, little_endian=False) == raw
    assert decode_value(b"", vr) is None


def test_ob_odd_length_is_nul_padded() -> None:
    assert encode_value(b"\x01\x02\x03", "OB") == b"\x01\x02\x03\x00"
    assert encode_value(b"\x01", "UN") == b"\x01\x00"


def test_bytes_vr_from_array() -> None:
    words = np.array([1, 0x0203], dtype=np.uint16)
    assert encode_value(words, "OW") == b"\x01\x00\x03\x02"
    assert encode_value(words, "OW", little_endian=False) == b"\x00\x01\x02\x03"
    assert encode_value(np.array([1.5], dtype="<f4"), "OF") == b"\x00\x00\xc0\x3f"


def test_bytes_vr_length_not_multiple() -> None:
    with pytest.raises(DicomValueError, match=r"VR OF: 6 bytes is not a multiple of 4"):
        encode_value(b"\x00" * 6, "OF")


def test_bytes_vr_rejects_text() -> None:
    with pytest.raises(DicomValueError, match=r"VR OB: a str is not bytes"):
        encode_value("abc", "OB")
