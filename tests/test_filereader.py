"""dicomcore.filereader: pydicom's reading functions, against pydicom 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from dicomcore import filereader
from dicomcore.errors import InvalidDicomError

pydicom_filereader = pytest.importorskip("pydicom.filereader")
TESTFILES = Path(__file__).resolve().parents[1] / "testfiles"


@pytest.mark.parametrize(
    ("implicit", "vr", "offset"),
    [
        (True, "OB", 8),
        (False, "OB", 12),
        (False, "UT", 12),
        (False, "US", 8),
        (False, "SQ", 12),
        (True, None, 8),
    ],
)
def test_data_element_offset_to_value(implicit, vr, offset):
    assert filereader.data_element_offset_to_value(implicit, vr) == offset
    assert pydicom_filereader.data_element_offset_to_value(implicit, vr) == offset


def test_read_partial_stops_where_told():
    def before_group_28(tag, vr, length):
        return tag.group >= 0x0028

    with open(TESTFILES / "ct_int16_explicit.dcm", "rb") as handle:
        ours = filereader.read_partial(handle, stop_when=before_group_28)
    with open(TESTFILES / "ct_int16_explicit.dcm", "rb") as handle:
        theirs = pydicom_filereader.read_partial(handle, stop_when=before_group_28)
    assert [int(tag) for tag in ours.keys()] == [int(tag) for tag in theirs.keys()]
    assert max(ours.keys()) == 0x00201041
    assert ours.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"


def test_read_preamble():
    with open(TESTFILES / "mono8_explicit.dcm", "rb") as handle:
        assert filereader.read_preamble(handle, False) == bytes(128)
        assert handle.tell() == 132
    with open(TESTFILES / "mono16_explicit_nometa.dcm", "rb") as handle:
        assert filereader.read_preamble(handle, True) is None
        assert handle.tell() == 0
        with pytest.raises(InvalidDicomError, match="Use force=True"):
            filereader.read_preamble(handle, False)


def test_read_dataset_from_a_file_position():
    with open(TESTFILES / "mono16_explicit_nometa.dcm", "rb") as handle:
        ds = filereader.read_dataset(
            handle, False, True, stop_when=lambda tag, vr, length: tag == 0x7FE00010
        )
    assert "PixelData" not in ds
    assert len(ds) == 26
    assert ds.Rows == 64


def test_read_file_meta_info():
    meta = filereader.read_file_meta_info(TESTFILES / "mono8_explicit.dcm")
    assert meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert all(tag >> 16 == 2 for tag in meta.keys())
