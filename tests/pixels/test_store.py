"""set_pixel_data and hand-set Pixel Data, written, read back, and read by DCMTK."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from interop import dcmdump_elements, run_tool

import dicomcore
from dicomcore import Dataset, FileMetaDataset
from dicomcore.errors import PixelDataError
from dicomcore.pixels import pixel_array, set_pixel_data

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
RLE_LOSSLESS = "1.2.840.10008.1.2.5"


def new_dataset() -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.PatientID = "DCTEST001"
    return ds


def dcmtk_pixel_bytes(path: Path, folder: Path) -> bytes:
    """Pixel Data (7FE0,0010) as ``dcmdump +W`` exports it: the raw value."""
    folder.mkdir()
    run_tool("dcmdump", "+W", folder, path)
    (raw,) = folder.glob("*.raw")
    assert raw.name == f"{path.name}.0.raw"
    return raw.read_bytes()


def dcmtk_attribute(path: Path, tag: int) -> tuple[str, str]:
    return dcmdump_elements(path)[(tag,)]


def write_and_check(
    ds: Dataset, expected: np.ndarray, stored: bytes, tmp_path: Path
) -> Path:
    """Save ``ds``; our reader, pydicom and DCMTK must all find ``expected``
    (DCMTK: exactly ``stored`` as the Pixel Data value)."""
    path = tmp_path / "written.dcm"
    ds.save_as(path)
    back = dicomcore.dcmread(path)
    assert back.pixel_array.dtype == expected.dtype
    np.testing.assert_array_equal(back.pixel_array, expected)
    np.testing.assert_array_equal(pixel_array(path), expected)
    theirs = pydicom.dcmread(path).pixel_array
    np.testing.assert_array_equal(theirs, expected)
    assert dcmtk_pixel_bytes(path, tmp_path / "raw") == stored
    return path


def test_eight_bit_even_length(tmp_path: Path) -> None:
    pixels = np.arange(24, dtype=np.uint8).reshape(4, 6) * 10
    ds = new_dataset()
    set_pixel_data(ds, pixels, "MONOCHROME2", 8)
    assert ds["PixelData"].VR == "OB"
    assert (ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit) == (
        4,
        6,
        8,
        8,
        7,
    )
    assert ds.PixelRepresentation == 0 and ds.SamplesPerPixel == 1
    assert "NumberOfFrames" not in ds and "PlanarConfiguration" not in ds
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
    assert ds.SOPInstanceUID == ds.file_meta.MediaStorageSOPInstanceUID
    path = write_and_check(ds, pixels, pixels.tobytes(), tmp_path)
    assert dcmtk_attribute(path, 0x7FE00010)[0] == "OB"
    assert dcmtk_attribute(path, 0x00280010) == ("US", "4")


def test_eight_bit_odd_length_is_padded(tmp_path: Path) -> None:
    pixels = (np.arange(35, dtype=np.uint8) * 7).reshape(5, 7)
    ds = new_dataset()
    set_pixel_data(ds, pixels, "MONOCHROME2", 8)
    assert ds.PixelData == pixels.tobytes() + b"\x00"
    write_and_check(ds, pixels, pixels.tobytes() + b"\x00", tmp_path)


def rgb_frames() -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, (2, 3, 5, 3), dtype=np.uint8)


def test_rgb_two_frames_planar_zero(tmp_path: Path) -> None:
    pixels = rgb_frames()
    ds = new_dataset()
    set_pixel_data(ds, pixels, "RGB", 8)
    assert (ds.NumberOfFrames, ds.SamplesPerPixel, ds.PlanarConfiguration) == (2, 3, 0)
    path = write_and_check(ds, pixels, pixels.tobytes(), tmp_path)
    assert dcmtk_attribute(path, 0x00280008) == ("IS", "[2]")


def test_rgb_two_frames_planar_one_set_by_hand(tmp_path: Path) -> None:
    pixels = rgb_frames()
    planar = np.ascontiguousarray(pixels.transpose(0, 3, 1, 2)).tobytes()
    ds = new_dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = EXPLICIT_LE
    ds.Rows, ds.Columns = 3, 5
    ds.NumberOfFrames = 2
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "RGB"
    ds.PlanarConfiguration = 1
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, 8, 7
    ds.PixelRepresentation = 0
    ds.PixelData = planar
    assert ds["PixelData"].VR == "OB"
    np.testing.assert_array_equal(ds.pixel_array, pixels)
    write_and_check(ds, pixels, planar, tmp_path)


def test_twelve_bit_signed_in_sixteen(tmp_path: Path) -> None:
    pixels = np.array([[-2048, -1, 0], [1, 2047, -300]], np.int16)
    ds = new_dataset()
    set_pixel_data(ds, pixels, "MONOCHROME2", 12)
    assert ds["PixelData"].VR == "OW"
    assert (ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation) == (
        16,
        12,
        11,
        1,
    )
    path = write_and_check(ds, pixels, pixels.astype("<i2").tobytes(), tmp_path)
    assert dcmtk_attribute(path, 0x7FE00010)[0] == "OW"
    assert dcmtk_attribute(path, 0x00280103) == ("US", "1")


def test_float32_becomes_float_pixel_data(tmp_path: Path) -> None:
    pixels = (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 4
    ds = new_dataset()
    set_pixel_data(ds, np.zeros((3, 4), np.uint16), "MONOCHROME2", 16)
    set_pixel_data(ds, pixels, "MONOCHROME2", 32)
    assert "PixelData" not in ds
    assert ds["FloatPixelData"].VR == "OF"
    assert ds.BitsAllocated == 32
    for attribute in ("BitsStored", "HighBit", "PixelRepresentation"):
        assert attribute not in ds
    path = tmp_path / "float.dcm"
    ds.save_as(path)
    np.testing.assert_array_equal(dicomcore.dcmread(path).pixel_array, pixels)
    np.testing.assert_array_equal(pydicom.dcmread(path).pixel_array, pixels)
    listing: dict[str, Any] = json.loads(run_tool("dcm2json", path))
    element = listing["7FE00008"]
    assert element["vr"] == "OF"
    assert base64.b64decode(element["InlineBinary"]) == pixels.astype("<f4").tobytes()
    assert "7FE00010" not in listing


def test_float64_becomes_double_float_pixel_data(tmp_path: Path) -> None:
    pixels = np.linspace(-1, 1, 6, dtype=np.float64).reshape(1, 2, 3)
    ds = new_dataset()
    set_pixel_data(ds, pixels, "MONOCHROME2", 64)
    assert ds["DoubleFloatPixelData"].VR == "OD" and ds.NumberOfFrames == 1
    path = tmp_path / "double.dcm"
    ds.save_as(path)
    np.testing.assert_array_equal(pixel_array(path), pixels[0])
    listing: dict[str, Any] = json.loads(run_tool("dcm2json", path))
    value = base64.b64decode(listing["7FE00009"]["InlineBinary"])
    assert value == pixels.astype("<f8").tobytes()


def test_one_bit_frames_packed_across_bytes(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 2, (2, 3, 5), dtype=np.uint8).astype(bool)
    ds = new_dataset()
    set_pixel_data(ds, pixels, "MONOCHROME2", 1)
    assert (ds.BitsAllocated, ds.BitsStored, ds.HighBit) == (1, 1, 0)
    # 30 bits: 4 bytes, least significant bit first, frame 1 starts at bit 15
    stored = np.packbits(pixels.ravel(), bitorder="little").tobytes()
    assert len(stored) == 4 and ds.PixelData == stored
    expected = pixels.astype(np.uint8)
    write_and_check(ds, expected, stored, tmp_path)
    np.testing.assert_array_equal(
        pixel_array(tmp_path / "written.dcm", index=1), expected[1]
    )
    # 0/1 uint8 with bits_allocated=1 is the same
    other = new_dataset()
    set_pixel_data(other, expected, "MONOCHROME2", 1, bits_allocated=1)
    assert other.PixelData == stored


def test_ybr_full_422_is_stored_subsampled() -> None:
    ybr = np.array(
        [[[10, 100, 150], [20, 101, 151], [30, 110, 160], [40, 111, 161]]], np.uint8
    )
    ds = new_dataset()
    set_pixel_data(ds, ybr, "YBR_FULL_422", 8)
    assert ds.PixelData == bytes([10, 20, 100, 150, 30, 40, 110, 160])
    assert pixel_array(ds, raw=True).tolist() == [
        [[10, 100, 150], [20, 100, 150], [30, 110, 160], [40, 110, 160]]
    ]


def test_dataset_edits_follow_pydicom() -> None:
    ds = new_dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = RLE_LOSSLESS
    ds.NumberOfFrames = 4
    ds.PlanarConfiguration = 1
    set_pixel_data(ds, np.zeros((2, 2), np.uint16), "MONOCHROME1", 16)
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
    assert "NumberOfFrames" not in ds and "PlanarConfiguration" not in ds
    uid = ds.SOPInstanceUID
    set_pixel_data(
        ds, np.zeros((2, 2), np.uint16), "MONOCHROME1", 16, generate_instance_uid=False
    )
    assert ds.SOPInstanceUID == uid
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"
    set_pixel_data(ds, np.zeros((2, 2), np.uint32), "MONOCHROME2", 32)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2"  # native: kept
    assert ds["PixelData"].VR == "OW" and ds.BitsAllocated == 32


def test_refusals_change_nothing() -> None:
    ds = new_dataset()
    set_pixel_data(ds, np.ones((2, 2), np.uint8), "MONOCHROME2", 8)
    before = ds.PixelData
    cases: list[tuple[Any, str, int, type[Exception], str]] = [
        (np.full((2, 2), 16, np.uint8), "MONOCHROME2", 4, ValueError, r"\[16, 16\]"),
        (np.zeros((2, 2), np.uint8), "CMYK", 8, ValueError, "photometric"),
        (np.zeros((1, 2, 2, 3), np.uint8), "MONOCHROME2", 8, ValueError, "dimensions"),
        (np.zeros((2, 2), np.uint8), "RGB", 8, ValueError, r"\(rows, columns, 3\)"),
        (np.zeros((2, 2), np.complex64), "MONOCHROME2", 8, ValueError, "dtype"),
        (np.zeros((2, 2), np.float32), "MONOCHROME2", 16, ValueError, "FloatPixelData"),
        (np.zeros((2, 2), np.uint16), "MONOCHROME2", 17, ValueError, "bits_stored"),
        (np.zeros((2, 2), bool), "MONOCHROME2", 8, ValueError, "1-bit"),
    ]
    for arr, photometric, bits_stored, error, message in cases:
        with pytest.raises(error, match=message):
            set_pixel_data(ds, arr, photometric, bits_stored)
    assert ds.PixelData == before and ds.Rows == 2
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.2"
    with pytest.raises(PixelDataError, match="Big Endian"):
        set_pixel_data(ds, np.zeros((2, 2), np.uint8), "MONOCHROME2", 8)
