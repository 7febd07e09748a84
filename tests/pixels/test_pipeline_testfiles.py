"""Every native file in testfiles/ decodes to the hash DCMTK and GDCM gave.

The manifest's SHA-256 is of the array's bytes in its dtype, little endian,
C order, masked to Bits Stored and sign-extended; the native YBR_FULL file's
hash is of the YBR values (no colour conversion).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from typing import Any

import numpy as np
import pytest
from interop import TESTFILES

import dicomcore
from dicomcore.pixels import PixelLayout, iter_pixels, pixel_array

MANIFEST: list[dict[str, Any]] = json.loads((TESTFILES / "manifest.json").read_text())
NATIVE_SYNTAXES = {
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2",
}
NATIVE = [
    record
    for record in MANIFEST
    if record["transfer_syntax"] in NATIVE_SYNTAXES and record["pixel_element"]
]
IDS = [record["file"].removesuffix(".dcm") for record in NATIVE]


def digest(array: np.ndarray) -> str:
    little = np.ascontiguousarray(array, array.dtype.newbyteorder("<"))
    return hashlib.sha256(little.tobytes()).hexdigest()


def options(record: dict[str, Any]) -> dict[str, Any]:
    # The manifest holds the YBR values of the native YBR_FULL file.
    return {"as_rgb": record["photometric_interpretation"] != "YBR_FULL"}


def check(array: np.ndarray, record: dict[str, Any]) -> None:
    assert array.dtype == np.dtype(record["dtype"])
    assert list(array.shape) == record["shape"]
    assert digest(array) == record["sha256"]


def test_every_native_layout_is_covered() -> None:
    names = {record["file"] for record in NATIVE}
    assert len(NATIVE) == 24
    for expected in (
        "mono1_3frames_explicit.dcm",
        "mono1_3frames_bigendian.dcm",
        "mono12s_explicit.dcm",
        "mono12u_dirty_explicit.dcm",
        "rgb8_planar1_explicit.dcm",
        "ybr_full8_explicit.dcm",
        "mono32u_explicit.dcm",
        "float32_pmap_explicit.dcm",
        "float64_pmap_explicit.dcm",
        "mono16_deflated.dcm",
        "ct_int16_implicit_nometa.dcm",
        "mono8_odd_bigendian.dcm",
    ):
        assert expected in names


@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_layout_from_dataset(record: dict[str, Any]) -> None:
    ds = dicomcore.dcmread(TESTFILES / record["file"], force=True)
    layout = PixelLayout.from_dataset(ds)
    assert layout.transfer_syntax == record["transfer_syntax"]
    assert layout.rows == record["rows"]
    assert layout.columns == record["columns"]
    assert layout.samples_per_pixel == record["samples_per_pixel"]
    assert layout.photometric_interpretation == record["photometric_interpretation"]
    assert layout.planar_configuration == (record["planar_configuration"] or 0)
    assert layout.bits_allocated == record["bits_allocated"]
    assert layout.number_of_frames == record["number_of_frames"]
    assert layout.pixel_keyword == record["pixel_element"]
    assert layout.dtype == np.dtype(record["dtype"])


@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_pixel_array_from_path(record: dict[str, Any]) -> None:
    check(pixel_array(TESTFILES / record["file"], **options(record)), record)


@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_pixel_array_from_path_left_in_the_file(
    record: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Above the first block's size, Pixel Data stays in the file and frames are
    # read from it: the same pixels, frame by frame too.
    monkeypatch.setattr(dicomcore.io.reader, "HEADER_BLOCK_BYTES", 1024)
    path = TESTFILES / record["file"]
    whole = pixel_array(path, **options(record))
    check(whole, record)
    frames = list(iter_pixels(path, **options(record)))
    assert len(frames) == record["number_of_frames"]
    np.testing.assert_array_equal(np.stack(frames), whole.reshape(-1, *frames[0].shape))


@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_dataset_pixel_array(record: dict[str, Any]) -> None:
    ds = dicomcore.dcmread(TESTFILES / record["file"], force=True)
    ds.pixel_array_options(**options(record))
    check(ds.pixel_array, record)


@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_dataset_in_memory(record: dict[str, Any]) -> None:
    # read from bytes: Pixel Data is in memory, not left in the file
    data = (TESTFILES / record["file"]).read_bytes()
    ds = dicomcore.dcmread(data, force=True)
    assert ds[record["pixel_element"]].deferred_source is None
    check(pixel_array(ds, **options(record)), record)


@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_each_frame_alone_and_iterated(record: dict[str, Any]) -> None:
    path = TESTFILES / record["file"]
    whole = pixel_array(path, **options(record))
    frames = record["number_of_frames"]
    stack = whole if frames > 1 else whole[np.newaxis]
    for index in range(frames):
        frame = pixel_array(path, index=index, **options(record))
        assert frame.dtype == stack.dtype
        np.testing.assert_array_equal(frame, stack[index])
    iterated = list(iter_pixels(path, **options(record)))
    assert len(iterated) == frames
    for index, frame in enumerate(iterated):
        np.testing.assert_array_equal(frame, stack[index])
    backwards = list(
        iter_pixels(path, indices=range(frames - 1, -1, -1), **options(record))
    )
    np.testing.assert_array_equal(np.stack(backwards[::-1]), stack)


def test_no_warnings_for_well_formed_files() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for record in NATIVE:
            pixel_array(TESTFILES / record["file"], **options(record))


def test_one_bit_frames_that_start_inside_a_byte() -> None:
    # 3 frames of 5x5: frame 1 starts at bit 25 (byte 3, bit 1), frame 2 at bit 50
    path = TESTFILES / "mono1_3frames_explicit.dcm"
    raw = dicomcore.dcmread(path).PixelData
    bits = np.unpackbits(np.frombuffer(raw, np.uint8), bitorder="little")
    for index in range(3):
        expected = bits[index * 25 : (index + 1) * 25].reshape(5, 5)
        np.testing.assert_array_equal(pixel_array(path, index=index), expected)


def test_twelve_bit_values_are_masked_and_sign_extended() -> None:
    dirty = TESTFILES / "mono12u_dirty_explicit.dcm"
    stored = np.frombuffer(dicomcore.dcmread(dirty).PixelData, "<u2")
    assert stored.max() > 0x0FFF  # the file really has junk above bit 11
    arr = pixel_array(dirty)
    np.testing.assert_array_equal(arr.ravel(), stored & 0x0FFF)
    # without the correction the junk stays, and the array views the value
    uncorrected = pixel_array(dirty, correct_unused_bits=False)
    np.testing.assert_array_equal(uncorrected.ravel(), stored)

    signed = TESTFILES / "mono12s_explicit.dcm"
    stored = np.frombuffer(dicomcore.dcmread(signed).PixelData, "<i2")
    assert stored.min() >= 0  # bits 12-15 are zero in the file
    arr = pixel_array(signed)
    assert arr.min() < 0
    expected = np.where(stored & 0x0800, stored | -0x1000, stored)
    np.testing.assert_array_equal(arr.ravel(), expected)


@pytest.mark.parametrize("in_file", [False, True], ids=["read-whole", "in-file"])
@pytest.mark.parametrize("record", NATIVE, ids=IDS)
def test_iter_pixels_into_one_array(
    record: dict[str, Any], in_file: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every frame lands in the caller's array, which is what is yielded.
    if in_file:
        monkeypatch.setattr(dicomcore.io.reader, "HEADER_BLOCK_BYTES", 1024)
    path = TESTFILES / record["file"]
    shape = record["shape"][1:] if record["number_of_frames"] > 1 else record["shape"]
    out = np.full(shape, 7, np.dtype(record["dtype"]))
    frames = []
    for frame in iter_pixels(path, out=out, **options(record)):
        assert frame is out
        frames.append(frame.copy())
    assert len(frames) == record["number_of_frames"]
    check(np.stack(frames).reshape(record["shape"]), record)


def test_iter_pixels_into_an_array_of_another_shape_is_refused() -> None:
    path = TESTFILES / "mono16_5frames_explicit.dcm"
    with pytest.raises(ValueError, match=r"shape \(32, 32\) and dtype uint16"):
        next(iter_pixels(path, out=np.empty((32, 33), np.uint16)))
    with pytest.raises(ValueError, match="dtype uint16"):
        next(iter_pixels(path, out=np.empty((32, 32), np.int16)))
