"""dicomcore.filereader: pydicom's reading functions, against pydicom 3."""

from __future__ import annotations

import io
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


@pytest.mark.parametrize(
    ("name", "pixel_data_offset"),
    [
        ("ct_int16_explicit.dcm", 1426),
        ("ct_int16_implicit.dcm", 1420),
        ("ct_int16_bigendian.dcm", 1426),
        ("ct_int16_j2k.dcm", 1606),
        ("mono16_5frames_rle_gdcm.dcm", 906),
    ],
)
def test_stop_before_pixels_leaves_the_file_at_pixel_data(name, pixel_data_offset):
    # Readers of single frames (highdicom's ImageFileReader) read the Pixel
    # Data element from where dcmread left the file object.
    path = TESTFILES / name
    with open(path, "rb") as handle:
        filereader.dcmread(handle, stop_before_pixels=True)
        assert handle.tell() == pixel_data_offset
    with open(path, "rb") as handle:
        pydicom_filereader.dcmread(handle, stop_before_pixels=True)
        assert handle.tell() == pixel_data_offset
    data = path.read_bytes()
    ours, theirs = io.BytesIO(data), io.BytesIO(data)
    filereader.dcmread(ours, stop_before_pixels=True)
    pydicom_filereader.dcmread(theirs, stop_before_pixels=True)
    assert ours.tell() == theirs.tell() == pixel_data_offset


def test_stop_before_pixels_of_a_large_file_object(tmp_path):
    # Over 1 MiB a file object is read lazily: it too is left at Pixel Data.
    import numpy as np
    from pydicom import Dataset as PydicomDataset
    from pydicom import FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    theirs = PydicomDataset()
    theirs.PatientName = "Large^File"
    theirs.Rows, theirs.Columns = 1024, 1024
    theirs.SamplesPerPixel, theirs.PhotometricInterpretation = 1, "MONOCHROME2"
    theirs.BitsAllocated, theirs.BitsStored, theirs.HighBit = 8, 8, 7
    theirs.PixelRepresentation = 0
    theirs.PixelData = np.arange(1024 * 1024, dtype=np.uint8).tobytes()
    theirs.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    theirs.SOPInstanceUID = "1.2.3.4"
    path = tmp_path / "large.dcm"
    theirs.file_meta = FileMetaDataset()
    theirs.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    theirs.save_as(path, enforce_file_format=True)
    assert theirs.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    offset = path.read_bytes().find(b"\xe0\x7f\x10\x00")
    with open(path, "rb") as handle:
        pydicom_filereader.dcmread(handle, stop_before_pixels=True)
        assert handle.tell() == offset
    with open(path, "rb") as handle:
        ours = filereader.dcmread(handle, stop_before_pixels=True)
        assert handle.tell() == offset
    assert ours.PatientName == "Large^File"
    assert "PixelData" not in ours
