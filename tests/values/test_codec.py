"""decode_value / encode_value dispatch, every VR, and pydicom as an oracle."""

from __future__ import annotations

import pytest

from dicomcore.errors import DicomValueError
from dicomcore.values import decode_value, encode_value
from dicomcore.vr import VR

# One value per VR of PS3.5 6.2 (SQ excepted) with its exact encoding,
# little endian.
ROUND_TRIPS = {
    "AE": ("ANY-SCP", b"ANY-SCP "),
    "AS": ("018M", b"018M"),
    "AT": (0x7FE00010, b"\xe0\x7f\x10\x00"),
    "CS": (["DERIVED", "SECONDARY"], b"DERIVED\\SECONDARY "),
    "DA": ("20231231", b"20231231"),
    "DS": (["-1.5", "2e-3", "7"], b"-1.5\\2e-3\\7 "),
    "DT": ("20231231235959.5-0800", b"20231231235959.5-0800 "),
    "FL": ([0.5, -2.0], b"\x00\x00\x00\x3f\x00\x00\x00\xc0"),
    "FD": (0.25, b"\x00\x00\x00\x00\x00\x00\xd0\x3f"),
    "IS": (["12", "-3"], b"12\\-3 "),
    "LO": ("Long String", b"Long String "),
    "LT": ("Para one\r\nPara 2", b"Para one\r\nPara 2"),
    "OB": (b"\x01\x02", b"\x01\x02"),
    "OD": (b"\x00" * 8, b"\x00" * 8),
    "OF": (b"\x00\x00\x80\x3f", b"\x00\x00\x80\x3f"),
    "OL": (b"\x01\x00\x00\x00", b"\x01\x00\x00\x00"),
    "OV": (b"\x02" + b"\x00" * 7, b"\x02" + b"\x00" * 7),
    "OW": (b"\x01\x00\x02\x00", b"\x01\x00\x02\x00"),
    "PN": ("Doe^Jane^^Dr", b"Doe^Jane^^Dr"),
    "SH": ("Short", b"Short "),
    "SL": (-100000, b"\x60\x79\xfe\xff"),
    "SS": ([-1, 1], b"\xff\xff\x01\x00"),
    "ST": ("Short text", b"Short text"),
    "SV": (-(2**40), b"\x00\x00\x00\x00\x00\xff\xff\xff"),
    "TM": ("070907.0705", b"070907.0705 "),
    "UC": (["Unlimited", "Chars"], b"Unlimited\\Chars "),
    "UI": ("1.2.840.10008.5.1.4.1.1.2", b"1.2.840.10008.5.1.4.1.1.2\x00"),
    "UL": (4000000000, b"\x00\x28\x6b\xee"),
    "UN": (b"\x05\x06\x07\x08", b"\x05\x06\x07\x08"),
    "UR": ("http://dicom.nema.org", b"http://dicom.nema.org "),
    "US": (512, b"\x00\x02"),
    "UT": ("Unlimited text", b"Unlimited text"),
    "UV": (2**63, b"\x00\x00\x00\x00\x00\x00\x00\x80"),
}


def test_every_vr_is_covered() -> None:
    assert set(ROUND_TRIPS) == {str(vr) for vr in VR} - {"SQ"}


@pytest.mark.parametrize("vr", sorted(ROUND_TRIPS))
def test_round_trip(vr: str) -> None:
    value, raw = ROUND_TRIPS[vr]
    assert encode_value(value, vr) == raw
    decoded = decode_value(raw, vr)
    assert decoded == value
    assert encode_value(decoded, vr) == raw
    assert decode_value(raw, VR(vr)) == value  # VR members work as keys


@pytest.mark.parametrize("vr", sorted(ROUND_TRIPS))
def test_matches_pydicom_decoding(vr: str) -> None:
    pydicom_values = pytest.importorskip("pydicom.values")
    from pydicom.dataelem import RawDataElement

    _, raw = ROUND_TRIPS[vr]
    element = RawDataElement(0x00091000, vr, len(raw), raw, 0, False, True)
    theirs = pydicom_values.convert_value(vr, element)
    ours = decode_value(raw, vr)
    if vr in ("DA", "TM", "DT", "PN"):
        assert str(ours) == str(theirs)
    else:
        assert ours == theirs


def test_unknown_vr() -> None:
    with pytest.raises(DicomValueError, match="Unknown VR 'XX'"):
        decode_value(b"ab", "XX")
    with pytest.raises(DicomValueError, match="unknown or unresolved VR"):
        encode_value(1, "US or SS")
    with pytest.raises(DicomValueError, match="SQ"):
        decode_value(b"", "SQ")


def test_ambiguous_vr_decodes_as_first_choice() -> None:
    assert decode_value(b"\xff\xff", "US or SS") == 65535
    assert decode_value(b"\x01\x02", "OB or OW") == b"\x01\x02"
