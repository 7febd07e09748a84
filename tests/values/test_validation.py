"""validate_value."""

from __future__ import annotations

import datetime
import warnings

import numpy as np
import pytest

from dicomcore.config import IGNORE, RAISE, WARN
from dicomcore.errors import DicomValueError
from dicomcore.values import DSfloat, PersonName, validate_value


@pytest.mark.parametrize(
    ("vr", "value"),
    [
        ("CS", "ORIGINAL"),
        ("CS", ["ORIGINAL", "PRIMARY"]),
        ("CS", "ORIGINAL\\PRIMARY"),
        ("DS", ["1.5", 2, 1 / 3, DSfloat("1e3")]),
        ("IS", ["-12", 7]),
        ("DA", "20200101"),
        ("DA", "20200101-20201231"),
        ("DA", "-20201231"),
        ("DA", datetime.date(2020, 1, 1)),
        ("TM", "101112.123456"),
        ("TM", "1011-1200"),
        ("DT", "20200101120000+0100-20200102"),
        ("PN", PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")),
        ("UI", "1.2.840.10008.1.2.1"),
        ("LT", "line one\r\nline two\\ with backslash\x1b$B"),
        ("US", [0, 65535]),
        ("SS", np.array([-32768, 32767], dtype=np.int16)),
        ("FL", 3.0e38),
        ("FD", float("inf")),
        ("AT", (0x0010, 0x0010)),
        ("OW", b"\x00\x01"),
        ("OB", b"\x00"),
        ("SQ", []),
        ("LO", None),
        ("SH", ""),
    ],
)
def test_valid(vr: str, value: object) -> None:
    validate_value(vr, value, RAISE)


@pytest.mark.parametrize(
    ("vr", "value", "message"),
    [
        ("US", -1, r"VR US: -1 is outside 0..65535"),
        ("SL", 2**31, r"VR SL: 2147483648 is outside"),
        ("UV", -1, r"VR UV: -1 is outside"),
        ("US", 1.0, r"VR US: 1.0 is not an integer"),
        ("FD", "1.0", r"VR FD: '1.0' is not a number"),
        ("FL", 1e39, r"VR FL: 1e\+39 is too large"),
        ("FD", 10**400, r"too large for FD"),
        ("DS", "1.5.2", r"VR DS: '1.5.2' is not a decimal number"),
        ("IS", "1.0", r"VR IS: '1.0' is not an integer"),
        ("IS", "1234567890123", r"VR IS: '1234567890123' is outside"),
        ("DA", "2020-01-01-", r"VR DA"),
        ("DA", "20200101-20201301", r"VR DA"),
        ("AT", 2**33, r"VR AT: 8589934592 is not a tag"),
        ("OW", b"\x00", r"VR OW: '1 bytes' is not a multiple of 2 bytes"),
        ("OB", "text", r"VR OB: 'str' is not bytes"),
        ("UI", "1.2.3.", r"VR UI"),
    ],
)
def test_invalid_raise(vr: str, value: object, message: str) -> None:
    with pytest.raises(DicomValueError, match=message):
        validate_value(vr, value, RAISE)


def test_warn_mode() -> None:
    with pytest.warns(UserWarning, match=r"VR CS: 'lower'"):
        validate_value("CS", "lower", WARN)


def test_ignore_mode() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        validate_value("US", -1, IGNORE)


def test_unknown_vr() -> None:
    with pytest.raises(DicomValueError, match="Unknown VR 'XX'"):
        validate_value("XX", "a", RAISE)


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        validate_value("US", -1, RAISE)


def test_agrees_with_pydicom_on_clear_cases() -> None:
    valuerep = pytest.importorskip("pydicom.valuerep")
    cases = [
        ("CS", "lower"),
        ("CS", "UPPER_1"),
        ("UI", "1.2.840"),
        ("UI", "1.02"),
        ("UI", "1.2.a"),
        ("DS", "1.5e3"),
        ("DS", "1.5.2"),
        ("IS", "12"),
        ("IS", "1.5"),
        ("AS", "042Y"),
        ("AS", "42Y"),
        ("DA", "20200101"),
        ("DA", "20201301"),
        ("DA", "20200101-20201231"),
        ("TM", "2460"),
        ("TM", "101112.5"),
        ("DT", "20200101120000+0100"),
        ("SH", "x" * 17),
        ("LO", "x" * 64),
        ("US", 70000),
        ("SS", -5),
        ("AE", "x" * 17),
    ]
    for vr, value in cases:
        try:
            valuerep.validate_value(vr, value, RAISE)
            theirs = True
        except ValueError:
            theirs = False
        try:
            validate_value(vr, value, RAISE)
            ours = True
        except DicomValueError:
            ours = False
        assert ours == theirs, (vr, value)
