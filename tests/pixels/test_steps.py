"""The pipeline's frame-level steps, on exact values."""

from __future__ import annotations

import numpy as np
import pydicom.pixels
import pytest

from dicomcore.pixels import (
    PixelLayout,
    apply_bits_stored,
    convert_color_space,
    pack_bits,
    unpack_bits,
)
from dicomcore.pixels.steps import (
    downsample_ybr_422,
    interleave_planes,
    native_bytes,
    native_samples,
    realign_bits,
    unused_bits_clean,
    upsample_ybr_422,
    ybr_full_to_rgb,
)


def test_bits_are_packed_least_significant_first() -> None:
    # PS3.5 8.1.1: pixel 0 is bit 0 of byte 0
    pixels = np.array([1, 0, 0, 0, 0, 0, 0, 1, 1, 1], np.uint8)
    assert pack_bits(pixels, pad=False) == bytes([0b10000001, 0b00000011])
    assert pack_bits(pixels[:9]) == bytes([0b10000001, 0b1])
    assert pack_bits(np.array([1, 1, 1], bool)) == bytes([0b111, 0])  # padded
    assert unpack_bits(bytes([0b10000001])).tolist() == [1, 0, 0, 0, 0, 0, 0, 1]
    assert unpack_bits(b"\x03", as_array=False) == bytes([1, 1, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(
        unpack_bits(pack_bits(pixels)), pydicom.pixels.unpack_bits(pack_bits(pixels))
    )
    with pytest.raises(ValueError, match="only 0 and 1"):
        pack_bits(np.array([2], np.uint8))


def test_realign_bits_moves_a_frame_to_bit_zero() -> None:
    data = bytes([0b11100000, 0b00000101])  # bits 5..10 are 1,1,1,1,0,1
    assert realign_bits(data, 5, 6).tolist() == [0b101111]
    assert realign_bits(data, 8, 3).tolist() == [0b101]


def test_apply_bits_stored() -> None:
    unsigned = np.array([0xF123, 0x0FFF], np.uint16)
    assert apply_bits_stored(unsigned, 12).tolist() == [0x0123, 0x0FFF]
    signed = np.array([0x0800, 0x07FF, 0x7FFF], np.int16)
    assert apply_bits_stored(signed, 12).tolist() == [-2048, 2047, -1]
    same = np.array([1, 2], np.uint8)
    assert apply_bits_stored(same, 8) is same


def test_apply_bits_stored_masks_dirty_unsigned_in_place() -> None:
    dirty = np.array([[0xF000, 0x1FFF], [0x8123, 0x0ABC]], np.uint16)
    result = apply_bits_stored(dirty, 12)
    assert result is dirty
    assert dirty.tolist() == [[0x0000, 0x0FFF], [0x0123, 0x0ABC]]


def test_apply_bits_stored_leaves_clean_data_unwritten() -> None:
    clean = np.array([0, 0x0800, 0x0FFF], np.uint16)
    # read-only: clean data is not written, so this does not raise
    clean.flags.writeable = False
    assert unused_bits_clean(clean, 12)
    assert apply_bits_stored(clean, 12) is clean
    assert clean.tolist() == [0, 0x0800, 0x0FFF]
    signed = np.array([-2048, -1, 0, 2047], np.int16)
    signed.flags.writeable = False
    assert apply_bits_stored(signed, 12) is signed
    assert signed.tolist() == [-2048, -1, 0, 2047]


def test_apply_bits_stored_sign_extends_12_bits_in_16() -> None:
    # two's complement 12-bit values with the bits above them clear
    stored = np.array([0x0FFF, 0x0800, 0x07FF, 0x0001, 0x0000], np.uint16)
    signed = stored.view(np.int16)
    assert not unused_bits_clean(signed, 12)
    assert apply_bits_stored(signed, 12) is signed
    assert signed.tolist() == [-1, -2048, 2047, 1, 0]


def test_apply_bits_stored_sign_extends_dirty_high_bits() -> None:
    # whatever the four bits above Bits Stored hold, bit 11 decides
    stored = np.array([0xF7FF, 0x5800, 0xA000, 0x3FFF], np.uint16)
    signed = stored.view(np.int16)
    apply_bits_stored(signed, 12)
    assert signed.tolist() == [2047, -2048, 0, -1]
    # 8 bits in 32: -128 to 127
    wide = np.array([0x000000FF, 0x7FFFFF80, 0x0000007F, -1], np.int32)
    assert not unused_bits_clean(wide, 8)
    assert apply_bits_stored(wide, 8).tolist() == [-1, -128, 127, -1]
    assert unused_bits_clean(wide, 8)


def test_ybr_to_rgb_matches_pydicom_and_rgb_to_ybr_too() -> None:
    rng = np.random.default_rng(5)
    ybr = rng.integers(0, 256, (2, 7, 9, 3), dtype=np.uint8)
    for current, desired in (
        ("YBR_FULL", "RGB"),
        ("RGB", "YBR_FULL"),
        ("YBR_FULL_422", "RGB"),
    ):
        np.testing.assert_array_equal(
            convert_color_space(ybr, current, desired),
            pydicom.pixels.convert_color_space(ybr, current, desired),
        )
    assert convert_color_space(ybr, "RGB", "RGB") is ybr
    # the standard's equations on known values
    assert ybr_full_to_rgb(np.array([[128, 128, 128]], np.uint8)).tolist() == [
        [128, 128, 128]
    ]
    assert ybr_full_to_rgb(np.array([[76, 85, 255]], np.uint8)).tolist() == [
        [254, 0, 0]
    ]
    in_place = np.array([[76, 85, 255]], np.uint8)
    assert ybr_full_to_rgb(in_place, out=in_place) is in_place
    with pytest.raises(NotImplementedError):
        convert_color_space(ybr, "XYB", "RGB")


def test_planes_and_subsampling() -> None:
    layout = PixelLayout(
        rows=1,
        columns=2,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        planar_configuration=1,
    )
    planar = np.array([1, 4, 2, 5, 3, 6], np.uint8)
    view = interleave_planes(planar, layout)
    assert view.tolist() == [[[1, 2, 3], [4, 5, 6]]]
    assert np.shares_memory(view, planar)
    ybr422 = PixelLayout(
        rows=1,
        columns=2,
        samples_per_pixel=3,
        photometric_interpretation="YBR_FULL_422",
    )
    assert ybr422.frame_length == 4
    full = upsample_ybr_422(np.array([10, 20, 30, 40], np.uint8), ybr422)
    assert full.tolist() == [[[10, 30, 40], [20, 30, 40]]]
    assert downsample_ybr_422(full).tolist() == [10, 20, 30, 40]


def test_byte_orders() -> None:
    little = PixelLayout(rows=1, columns=2, bits_allocated=16, bits_stored=16)
    big = PixelLayout(
        rows=1,
        columns=2,
        bits_allocated=16,
        bits_stored=16,
        transfer_syntax="1.2.840.10008.1.2.2",
    )
    data = bytes.fromhex("01020304")
    assert native_samples(data, little).tolist() == [0x0201, 0x0403]
    assert native_samples(data, big).tolist() == [0x0102, 0x0304]
    eight_ow = PixelLayout(
        rows=1, columns=4, transfer_syntax="1.2.840.10008.1.2.2", pixel_vr="OW"
    )
    assert native_samples(data, eight_ow).tolist() == [2, 1, 4, 3]
    eight_ob = PixelLayout(
        rows=1, columns=4, transfer_syntax="1.2.840.10008.1.2.2", pixel_vr="OB"
    )
    assert native_samples(data, eight_ob).tolist() == [1, 2, 3, 4]
    samples = np.array([0x0102, 0x0304], np.uint16)
    assert native_bytes(samples, little) == bytes.fromhex("02010403")
    assert native_bytes(samples, big) == data
