"""dicomcore.misc against pydicom.misc."""

from __future__ import annotations

from pathlib import Path

import pytest

from dicomcore import misc

pydicom_misc = pytest.importorskip("pydicom.misc")
TESTFILES = Path(__file__).resolve().parents[1] / "testfiles"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("mono8_explicit.dcm", True), ("mono16_explicit_nometa.dcm", False)],
)
def test_is_dicom(name, expected):
    assert misc.is_dicom(TESTFILES / name) is expected
    assert pydicom_misc.is_dicom(TESTFILES / name) is expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (None, None),
        (7, 7),
        ("12", 12),
        ("2 kb", 2000.0),
        ("3 KiB", 3072.0),
        ("1.5 MB", 1500000.0),
        (float("inf"), None),
    ],
)
def test_size_in_bytes(expr, expected):
    assert misc.size_in_bytes(expr) == expected == pydicom_misc.size_in_bytes(expr)


def test_size_in_bytes_with_an_unknown_unit():
    with pytest.raises(ValueError, match="unit 'parsecs'"):
        misc.size_in_bytes("12 parsecs")
