"""The decoding pipeline: post-steps, raw/as_rgb/view_only, errors, ds.pixel_array."""

from __future__ import annotations

import hashlib
import json
import mmap
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pydicom.pixels
import pytest
from interop import TESTFILES, run_tool

import dicomcore
from dicomcore import Dataset, FileMetaDataset
from dicomcore.errors import InvalidPixelModuleError, NoCodecError, PixelDataError
from dicomcore.pixels import iter_pixels, pixel_array, set_pixel_data

EXPLICIT_LE = "1.2.840.10008.1.2.1"
EXPLICIT_BE = "1.2.840.10008.1.2.2"
RECORDS = {
    record["file"]: record
    for record in json.loads((TESTFILES / "manifest.json").read_text())
}


def digest(array: np.ndarray) -> str:
    little = np.ascontiguousarray(array, array.dtype.newbyteorder("<"))
    return hashlib.sha256(little.tobytes()).hexdigest()


def dataset(
    pixel_data: bytes,
    *,
    transfer_syntax: str = EXPLICIT_LE,
    vr: str = "OW",
    **attributes: Any,
) -> Dataset:
    """A dataset with Pixel Data and the pixel module set by hand, as pydicom
    users do."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = transfer_syntax
    module = {
        "SamplesPerPixel": 1,
        "PhotometricInterpretation": "MONOCHROME2",
        "BitsAllocated": 16,
        "BitsStored": 16,
        "HighBit": 15,
        "PixelRepresentation": 0,
    }
    module.update(attributes)
    for keyword, value in module.items():
        setattr(ds, keyword, value)
    ds.add_new(0x7FE00010, vr, pixel_data)
    return ds


def mapped(array: np.ndarray) -> bool:
    """True when ``array`` views the file's bytes (the buffer a small file
    was read whole into) rather than a copy; never a memory map."""
    base: Any = array
    while base is not None:
        if isinstance(base, memoryview):
            base = base.obj
        assert not isinstance(base, mmap.mmap)
        if isinstance(base, bytes):
            return True
        base = getattr(base, "base", None)
    return False


# -- raw, as_rgb, colour ---------------------------------------------------------


def test_ybr_full_as_rgb_matches_pydicom_and_raw_keeps_ybr() -> None:
    path = TESTFILES / "ybr_full8_explicit.dcm"
    record = RECORDS["ybr_full8_explicit.dcm"]
    ybr = pixel_array(path, raw=True)
    assert digest(ybr) == record["sha256"]
    np.testing.assert_array_equal(pixel_array(path, as_rgb=False), ybr)
    rgb = pixel_array(path)
    expected = pydicom.pixels.convert_color_space(ybr, "YBR_FULL", "RGB")
    np.testing.assert_array_equal(rgb, expected)
    assert not np.array_equal(rgb, ybr)
    # a grey pixel stays grey: Y=100, CB=CR=128 -> (100, 100, 100)
    grey = dataset(
        bytes([100, 128, 128]),
        vr="OB",
        Rows=1,
        Columns=1,
        SamplesPerPixel=3,
        PhotometricInterpretation="YBR_FULL",
        PlanarConfiguration=0,
        BitsAllocated=8,
        BitsStored=8,
        HighBit=7,
    )
    assert pixel_array(grey).tolist() == [[[100, 100, 100]]]


def test_ybr_full_422_native_is_upsampled_then_converted(tmp_path: Path) -> None:
    # two rows of four pixels: Y1 Y2 CB CR for each pair (PS3.3 C.7.6.3.1.2)
    stored = bytes(
        [10, 20, 100, 150, 30, 40, 110, 160, 50, 60, 120, 170, 70, 80, 130, 180]
    )
    ds = dataset(
        stored,
        vr="OB",
        Rows=2,
        Columns=4,
        SamplesPerPixel=3,
        PhotometricInterpretation="YBR_FULL_422",
        PlanarConfiguration=0,
        BitsAllocated=8,
        BitsStored=8,
        HighBit=7,
    )
    ybr = pixel_array(ds, raw=True)
    assert ybr.tolist() == [
        [[10, 100, 150], [20, 100, 150], [30, 110, 160], [40, 110, 160]],
        [[50, 120, 170], [60, 120, 170], [70, 130, 180], [80, 130, 180]],
    ]
    rgb = pixel_array(ds)
    np.testing.assert_array_equal(
        rgb, pydicom.pixels.convert_color_space(ybr, "YBR_FULL", "RGB")
    )
    # pydicom, reading the same file, agrees
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "2.25.1"
    ds.save_as(tmp_path / "ybr422.dcm")
    theirs = pydicom.pixels.pixel_array(str(tmp_path / "ybr422.dcm"), raw=True)
    np.testing.assert_array_equal(theirs, ybr)


def test_sixteen_bit_ybr_uses_the_bits_stored_midpoint() -> None:
    # Y=1000, CB=CR=2048 (the middle of 12 bits): grey
    values = np.array([1000, 2048, 2048], "<u2").tobytes()
    ds = dataset(
        values,
        Rows=1,
        Columns=1,
        SamplesPerPixel=3,
        PhotometricInterpretation="YBR_FULL",
        PlanarConfiguration=0,
        BitsStored=12,
        HighBit=11,
    )
    assert pixel_array(ds).tolist() == [[[1000, 1000, 1000]]]


def test_planar_configuration_one_is_interleaved() -> None:
    planar = TESTFILES / "rgb8_planar1_explicit.dcm"
    interleaved = TESTFILES / "rgb8_planar0_explicit.dcm"
    np.testing.assert_array_equal(pixel_array(planar), pixel_array(interleaved))
    raw = dicomcore.dcmread(planar).PixelData
    red_plane = np.frombuffer(raw, np.uint8, count=32 * 32).reshape(32, 32)
    np.testing.assert_array_equal(pixel_array(planar)[..., 0], red_plane)


# -- view_only -------------------------------------------------------------------


def test_view_only_from_a_path_views_the_bytes_read() -> None:
    # a small file is read whole: the view is of the bytes read, in memory
    path = TESTFILES / "mono16_5frames_explicit.dcm"
    expected = pixel_array(path)
    view = pixel_array(path, view_only=True)
    assert not view.flags.writeable
    assert mapped(view)
    np.testing.assert_array_equal(view, expected)
    frame = pixel_array(path, index=3, view_only=True)
    assert not frame.flags.writeable and mapped(frame)
    np.testing.assert_array_equal(frame, expected[3])
    # the default is a writeable array of its own
    assert expected.flags.writeable and not mapped(expected)
    # planar data: a transposed view, still no copy
    planar = pixel_array(TESTFILES / "rgb8_planar1_explicit.dcm", view_only=True)
    assert not planar.flags.writeable and mapped(planar)
    np.testing.assert_array_equal(
        planar, pixel_array(TESTFILES / "rgb8_planar0_explicit.dcm")
    )


def test_view_only_in_memory_shares_the_value() -> None:
    pixels = np.arange(24, dtype="<u2").reshape(2, 3, 4)
    ds = dataset(pixels.tobytes(), Rows=3, Columns=4, NumberOfFrames=2)
    view = pixel_array(ds, view_only=True)
    assert not view.flags.writeable
    assert np.shares_memory(view, np.frombuffer(ds.PixelData, np.uint8))
    np.testing.assert_array_equal(view, pixels)
    copy = pixel_array(ds)
    assert copy.flags.writeable
    assert not np.shares_memory(copy, np.frombuffer(ds.PixelData, np.uint8))
    # a bytearray value is viewed read-only too
    ds.PixelData = bytearray(pixels.tobytes())
    view = pixel_array(ds, view_only=True)
    assert not view.flags.writeable
    assert np.shares_memory(view, np.frombuffer(ds.PixelData, np.uint8))


def test_bits_stored_is_applied_only_where_bits_are_dirty() -> None:
    twelve = {"BitsStored": 12, "HighBit": 11, "Rows": 2, "Columns": 2}
    clean = np.array([[[0, 1], [0x0800, 0x0FFF]]] * 2, "<u2")
    ds = dataset(clean.tobytes(), NumberOfFrames=2, **twelve)
    # clean 12-bit data needs no correction: view_only gives a view
    view = pixel_array(ds, view_only=True)
    assert not view.flags.writeable
    assert np.shares_memory(view, np.frombuffer(ds.PixelData, np.uint8))
    assert view.tolist() == clean.tolist()
    frame = pixel_array(ds, index=1, view_only=True)
    assert np.shares_memory(frame, np.frombuffer(ds.PixelData, np.uint8))
    # one dirty value in the last frame: every frame is a copy, masked
    dirty = clean.copy()
    dirty[1, 1, 1] = 0xFFFF
    ds = dataset(dirty.tobytes(), NumberOfFrames=2, **twelve)
    masked = pixel_array(ds, view_only=True)
    assert masked.flags.writeable
    assert masked.tolist() == [[[0, 1], [0x0800, 0x0FFF]]] * 2
    assert ds.PixelData == dirty.tobytes()  # the value itself is untouched
    # signed: 0x0FFF is -1 and 0x0800 is -2048 once sign-extended
    ds = dataset(clean.tobytes(), NumberOfFrames=2, PixelRepresentation=1, **twelve)
    assert pixel_array(ds).tolist() == [[[0, 1], [-2048, -1]]] * 2


def test_view_only_copies_when_a_value_must_change() -> None:
    dirty = TESTFILES / "mono12u_dirty_explicit.dcm"
    masked = pixel_array(dirty, view_only=True)
    assert masked.flags.writeable and not mapped(masked)
    assert masked.max() <= 0x0FFF
    view = pixel_array(dirty, view_only=True, correct_unused_bits=False)
    assert not view.flags.writeable and mapped(view)
    assert view.max() > 0x0FFF
    # big endian: the bytes must be swapped
    swapped = pixel_array(TESTFILES / "mono16_bigendian.dcm", view_only=True)
    assert swapped.flags.writeable and swapped.dtype == np.dtype("uint16")
    assert digest(swapped) == RECORDS["mono16_bigendian.dcm"]["sha256"]
    # colour conversion
    ybr = TESTFILES / "ybr_full8_explicit.dcm"
    assert pixel_array(ybr, view_only=True).flags.writeable
    assert not pixel_array(ybr, view_only=True, raw=True).flags.writeable


# -- big endian --------------------------------------------------------------------


def test_big_endian_eight_bit_ow_with_odd_frames() -> None:
    # 3 frames of 3x3 8-bit pixels: 27 bytes and a pad, written as OW, so
    # every pair of bytes is swapped and frames 1 and 2 start mid-word.
    pixels = np.arange(1, 28, dtype=np.uint8).reshape(3, 3, 3)
    stream = pixels.tobytes() + b"\x00"
    swapped = np.frombuffer(stream, "<u2").byteswap().tobytes()
    attributes = {
        "Rows": 3,
        "Columns": 3,
        "NumberOfFrames": 3,
        "BitsAllocated": 8,
        "BitsStored": 8,
        "HighBit": 7,
    }
    ow = dataset(swapped, transfer_syntax=EXPLICIT_BE, vr="OW", **attributes)
    np.testing.assert_array_equal(pixel_array(ow), pixels)
    np.testing.assert_array_equal(pixel_array(ow, index=1), pixels[1])
    ob = dataset(stream, transfer_syntax=EXPLICIT_BE, vr="OB", **attributes)
    np.testing.assert_array_equal(pixel_array(ob), pixels)


@pytest.mark.parametrize(
    "name",
    ["mono32u_explicit.dcm", "float32_pmap_explicit.dcm", "rgb8_planar1_explicit.dcm"],
)
def test_big_endian_made_by_dcmtk(tmp_path: Path, name: str) -> None:
    # DCMTK writes 32-bit Pixel Data as OW swapped in 16-bit words, Float
    # Pixel Data swapped in 32-bit floats; GDCM reads both back the same way.
    record = RECORDS[name]
    big = tmp_path / "big.dcm"
    run_tool("dcmconv", "+tb", TESTFILES / name, big)
    assert dicomcore.dcmread(big).file_meta.TransferSyntaxUID == EXPLICIT_BE
    arr = pixel_array(big)
    assert arr.dtype == np.dtype(record["dtype"])
    assert digest(arr) == record["sha256"]
    gdcm = tmp_path / "gdcm.dcm"
    if name != "float32_pmap_explicit.dcm":  # gdcmconv --raw skips float data
        run_tool("gdcmconv", "--raw", "--explicit", big, gdcm)
        assert digest(pixel_array(gdcm)) == record["sha256"]


# -- errors ------------------------------------------------------------------------


def test_missing_or_wrong_attributes_are_named() -> None:
    ds = dataset(bytes(8), Rows=2, Columns=2)
    del ds.Rows
    with pytest.raises(InvalidPixelModuleError) as info:
        pixel_array(ds)
    assert info.value.attribute == "Rows"
    assert str(info.value) == "Rows: missing or empty"
    ds.Rows = 2
    ds.BitsAllocated = 12
    with pytest.raises(InvalidPixelModuleError) as info:
        _ = ds.pixel_array
    assert info.value.attribute == "BitsAllocated"
    ds.BitsAllocated = 16
    ds.SamplesPerPixel = 2
    with pytest.raises(
        InvalidPixelModuleError, match="^SamplesPerPixel: must be 1 or 3"
    ):
        pixel_array(ds)
    ds.SamplesPerPixel = 1
    del ds.file_meta.TransferSyntaxUID
    with pytest.raises(InvalidPixelModuleError, match="^TransferSyntaxUID: "):
        pixel_array(ds)


def test_short_pixel_data_says_expected_and_actual() -> None:
    ds = dataset(bytes(20), Rows=2, Columns=3, NumberOfFrames=2)  # needs 24
    with pytest.raises(PixelDataError) as info:
        pixel_array(ds)
    assert str(info.value) == (
        "Pixel Data is too short: 2 frame(s) of 2x3x1 at 16 bits allocated "
        "need 24 bytes but the value holds 20"
    )
    with pytest.raises(PixelDataError, match="need 24 bytes but the value holds 20"):
        list(iter_pixels(ds))
    # frame 0 alone is all there
    assert pixel_array(ds, index=0).tolist() == [[0, 0, 0], [0, 0, 0]]
    with pytest.raises(PixelDataError, match="need 24 bytes"):
        pixel_array(ds, index=1)


def test_excess_frames_warn_and_are_ignored() -> None:
    pixels = np.arange(3 * 4, dtype="<u2").reshape(3, 2, 2)
    ds = dataset(pixels.tobytes(), Rows=2, Columns=2, NumberOfFrames=2)
    with pytest.warns(UserWarning) as record:
        arr = pixel_array(ds)
    assert [str(w.message) for w in record] == [
        "Pixel Data holds 24 bytes but Number of Frames (2) of 2x2x1 at 16 bits "
        "allocated need only 16, room for 1 more frame(s) than Number of "
        "Frames; the excess is ignored"
    ]
    np.testing.assert_array_equal(arr, pixels[:2])
    # the padding byte of an odd value is not excess
    odd = dataset(
        bytes(36), vr="OB", Rows=5, Columns=7, BitsAllocated=8, BitsStored=8, HighBit=7
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pixel_array(odd).shape == (5, 7)


def test_frame_index_and_option_errors() -> None:
    path = TESTFILES / "mono16_5frames_explicit.dcm"
    with pytest.raises(
        IndexError, match="frame index 5 is out of range: the image has 5"
    ):
        pixel_array(path, index=5)
    with pytest.raises(ValueError, match="must be 0 or more"):
        pixel_array(path, index=-1)
    with pytest.raises(IndexError):
        list(iter_pixels(path, indices=[0, 7]))
    with pytest.raises(TypeError, match="unexpected decoding option"):
        pixel_array(path, as_rbg=False)
    with pytest.raises(NoCodecError, match="float"):
        pixel_array(path, decoding_plugin="float")
    named = pixel_array(path, decoding_plugin="native")
    np.testing.assert_array_equal(named, pixel_array(path))


def test_changed_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "copy.dcm"
    shutil.copy(TESTFILES / "mono16_explicit.dcm", path)
    ds = dicomcore.dcmread(path)
    with open(path, "ab") as handle:
        handle.write(b"\x00\x00")
    with pytest.raises(dicomcore.InvalidDicomError, match="changed after it was read"):
        _ = ds.pixel_array


# -- ds.pixel_array ----------------------------------------------------------------


def test_pixel_array_is_cached_until_something_changes() -> None:
    ds = dataset(np.arange(6, dtype="<u2").tobytes(), Rows=2, Columns=3)
    first = ds.pixel_array
    assert ds.pixel_array is first
    assert first.tolist() == [[0, 1, 2], [3, 4, 5]]

    ds.Rows, ds.Columns = 3, 2
    assert ds.pixel_array.tolist() == [[0, 1], [2, 3], [4, 5]]

    ds.PixelData = np.arange(6, 12, dtype="<u2").tobytes()
    assert ds.pixel_array.tolist() == [[6, 7], [8, 9], [10, 11]]

    # a new value set through the element, not the dataset, is noticed too
    ds["PixelData"].value = np.arange(12, 18, dtype="<u2").tobytes()
    assert ds.pixel_array.tolist() == [[12, 13], [14, 15], [16, 17]]

    ds.PixelRepresentation = 1
    assert ds.pixel_array.dtype == np.int16

    ds.file_meta.TransferSyntaxUID = EXPLICIT_BE
    assert ds.pixel_array.tolist() == [
        [12 << 8, 13 << 8],
        [14 << 8, 15 << 8],
        [16 << 8, 17 << 8],
    ]


def test_pixel_array_options() -> None:
    ds = dicomcore.dcmread(TESTFILES / "mono16_5frames_explicit.dcm")
    whole = ds.pixel_array
    ds.pixel_array_options(index=2)
    np.testing.assert_array_equal(ds.pixel_array, whole[2])
    ds.pixel_array_options(view_only=True)
    assert not ds.pixel_array.flags.writeable
    ybr = dicomcore.dcmread(TESTFILES / "ybr_full8_explicit.dcm")
    rgb = ybr.pixel_array
    ybr.pixel_array_options(raw=True)
    assert digest(ybr.pixel_array) == RECORDS["ybr_full8_explicit.dcm"]["sha256"]
    assert not np.array_equal(rgb, ybr.pixel_array)
    with pytest.raises(TypeError, match="unexpected decoding option"):
        ybr.pixel_array_options(nonsense=True)


def test_pixel_array_from_a_file_object_and_ds_out() -> None:
    out = Dataset()
    with open(TESTFILES / "mono16_5frames_explicit.dcm", "rb") as handle:
        arr = pixel_array(handle, index=4, ds_out=out, specific_tags=["PatientID"])
    np.testing.assert_array_equal(
        arr, pixel_array(TESTFILES / "mono16_5frames_explicit.dcm")[4]
    )
    assert out.Rows == 32 and out.NumberOfFrames == 5
    assert out.PatientID == "DCTEST001"
    assert out.file_meta.TransferSyntaxUID == EXPLICIT_LE
    assert "PixelData" not in out and "PatientName" not in out


def test_nometa_file_needs_its_encoding_or_a_named_syntax(tmp_path: Path) -> None:
    record = RECORDS["ct_int16_implicit_nometa.dcm"]
    path = TESTFILES / "ct_int16_implicit_nometa.dcm"
    assert digest(pixel_array(path)) == record["sha256"]
    named = pixel_array(path, transfer_syntax_uid="1.2.840.10008.1.2")
    assert digest(named) == record["sha256"]


def test_dataset_set_pixel_data_round_trip() -> None:
    ds = Dataset()
    pixels = np.array([[1, 2], [3, 4]], np.uint8)
    ds.set_pixel_data(pixels, "MONOCHROME2", 8)
    np.testing.assert_array_equal(ds.pixel_array, pixels)
    set_pixel_data(ds, pixels * 2, "MONOCHROME2", 8)
    np.testing.assert_array_equal(ds.pixel_array, pixels * 2)
