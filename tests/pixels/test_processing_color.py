"""RGB and the YBR interpretations of PS3.3 C.7.6.3.1.2 (dicomcore/pixels/color.py)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from dicomcore.pixels import convert_color_space
from dicomcore.pixels.color import COLOR_SPACES

PRIMARIES = np.array(
    [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0]], np.uint8
)


def test_rgb_to_ybr_full_known_triples() -> None:
    # Y = .299R + .587G + .114B; CB = -.1687R - .3313G + .5B + 128;
    # CR = .5R - .4187G - .0813B + 128; rounded half up, clipped to 0..255:
    # red: 76.245, 84.97, 255.5; green: 149.685, 43.53, 21.23;
    # blue: 29.07, 255.5, 107.27
    ybr = convert_color_space(PRIMARIES, "RGB", "YBR_FULL")
    assert ybr.dtype == np.uint8
    assert ybr.tolist() == [
        [76, 85, 255],
        [150, 44, 21],
        [29, 255, 107],
        [255, 128, 128],
        [0, 128, 128],
    ]
    # YBR_FULL_422 (upsampled) converts the same way; none between the two
    assert (
        convert_color_space(PRIMARIES, "RGB", "YBR_FULL_422").tolist() == ybr.tolist()
    )
    assert convert_color_space(ybr, "YBR_FULL", "YBR_FULL_422") is ybr


def test_ybr_full_back_to_rgb_known_triples() -> None:
    # R = Y + 1.402 (CR - 128), G = Y - .344136 (CB - 128) - .714136 (CR - 128),
    # B = Y + 1.772 (CB - 128): (76, 85, 255) -> 254.05, 0.10, -0.20
    ybr = np.array(
        [[76, 85, 255], [150, 44, 21], [29, 255, 107], [128, 128, 128]], np.uint8
    )
    assert convert_color_space(ybr, "YBR_FULL", "RGB").tolist() == [
        [254, 0, 0],
        [0, 255, 1],
        [0, 0, 254],
        [128, 128, 128],
    ]


def test_ybr_partial_known_triples() -> None:
    # Y = .2568R + .5041G + .0979B + 16, CB = -.1482R - .2910G + .4392B + 128,
    # CR = .4392R - .3678G - .0714B + 128 (8 bits): red 81.48, 90.21, 240.00
    ybr = convert_color_space(PRIMARIES, "RGB", "YBR_PARTIAL_422")
    assert ybr.tolist() == [
        [81, 90, 240],
        [145, 54, 34],
        [41, 240, 110],
        [235, 128, 128],
        [16, 128, 128],
    ]
    assert (
        convert_color_space(PRIMARIES, "RGB", "YBR_PARTIAL_420").tolist()
        == ybr.tolist()
    )
    # back through the inverse of that matrix: red 254.44, -0.48, -0.99 and
    # green's blue 0.94 show the rounding of the coefficients to four places
    back = convert_color_space(ybr, "YBR_PARTIAL_422", "RGB")
    assert back.tolist() == [
        [254, 0, 0],
        [0, 255, 1],
        [0, 0, 255],
        [255, 255, 255],
        [0, 0, 0],
    ]
    with pytest.raises(NotImplementedError, match="8-bit samples only"):
        convert_color_space(PRIMARIES.astype(np.uint16), "RGB", "YBR_PARTIAL_422")


def test_ybr_ict_is_centred_on_zero() -> None:
    # Y = .299R + .587G + .114B, CB = -.16875R - .33126G + .5B,
    # CR = .5R - .41869G - .08131B: red 76.245, -43.03, 127.5
    ict = convert_color_space(PRIMARIES, "RGB", "YBR_ICT")
    assert ict.dtype == np.int16
    assert ict.tolist() == [
        [76, -43, 128],
        [150, -84, -107],
        [29, 128, -21],
        [255, 0, 0],
        [0, 0, 0],
    ]
    back = convert_color_space(ict, "YBR_ICT", "RGB")
    assert back.dtype == np.uint8
    np.testing.assert_allclose(back, PRIMARIES, atol=1)
    # unsigned ICT samples are level shifted by 2^(n-1), as a JPEG 2000
    # decoder leaves them without the inverse transform
    shifted = (ict.astype(np.int32) + [0, 128, 128]).astype(np.uint16)
    assert (
        convert_color_space(shifted, "YBR_ICT", "RGB", bits_stored=8).tolist()
        == back.tolist()
    )


def test_ybr_rct_is_exact() -> None:
    # Y = floor((R + 2G + B) / 4), CB = B - G, CR = R - G
    rgb = np.array([[255, 0, 0], [10, 20, 31], [0, 255, 0], [255, 255, 255]], np.uint8)
    rct = convert_color_space(rgb, "RGB", "YBR_RCT")
    assert rct.dtype == np.int16
    assert rct.tolist() == [[63, 0, 255], [20, 11, -10], [127, -255, -255], [255, 0, 0]]
    # G = Y - floor((CR + CB) / 4): for green 127 - floor(-510 / 4) = 127 + 128
    assert convert_color_space(rct, "YBR_RCT", "RGB").tolist() == rgb.tolist()
    every = np.random.default_rng(1).integers(0, 256, (64, 64, 3)).astype(np.uint8)
    np.testing.assert_array_equal(
        convert_color_space(
            convert_color_space(every, "RGB", "YBR_RCT"), "YBR_RCT", "RGB"
        ),
        every,
    )
    wide = every.astype(np.uint16) * 257
    assert convert_color_space(wide, "RGB", "YBR_RCT").dtype == np.int32
    np.testing.assert_array_equal(
        convert_color_space(
            convert_color_space(wide, "RGB", "YBR_RCT"),
            "YBR_RCT",
            "RGB",
            bits_stored=16,
        ),
        wide,
    )


def test_between_two_ybr_forms_through_rgb() -> None:
    ybr = convert_color_space(PRIMARIES, "RGB", "YBR_FULL")
    partial = convert_color_space(ybr, "YBR_FULL", "YBR_PARTIAL_422")
    expected = convert_color_space(
        convert_color_space(ybr, "YBR_FULL", "RGB"), "RGB", "YBR_PARTIAL_422"
    )
    assert partial.tolist() == expected.tolist()


def test_sixteen_bit_ybr_full() -> None:
    # chroma offset 2^15 for 16 bits
    grey = np.array([[1000, 1000, 1000], [65535, 65535, 65535]], np.uint16)
    assert convert_color_space(grey, "RGB", "YBR_FULL").tolist() == [
        [1000, 32768, 32768],
        [65535, 32768, 32768],
    ]
    twelve = np.array([[100, 2048, 2048]], np.uint16)
    assert convert_color_space(twelve, "YBR_FULL", "RGB", bits_stored=12).tolist() == [
        [100, 100, 100]
    ]


def test_unknown_spaces_and_shapes() -> None:
    assert "YBR_RCT" in COLOR_SPACES and "XYB" not in COLOR_SPACES
    with pytest.raises(NotImplementedError, match="XYB"):
        convert_color_space(PRIMARIES, "XYB", "RGB")
    same = np.zeros((2, 2, 3), np.uint8)
    assert convert_color_space(same, "XYB", "XYB") is same
    with pytest.raises(ValueError, match="3 samples"):
        convert_color_space(np.zeros((2, 4), np.uint8), "RGB", "YBR_FULL")


def test_matches_pydicom() -> None:
    pydicom_pixels = pytest.importorskip("pydicom.pixels")
    values = np.random.default_rng(7).integers(0, 256, (3, 33, 35, 3)).astype(np.uint8)
    for current, desired in (
        ("RGB", "YBR_FULL"),
        ("YBR_FULL", "RGB"),
        ("YBR_FULL_422", "RGB"),
    ):
        np.testing.assert_array_equal(
            convert_color_space(values, current, desired),
            pydicom_pixels.convert_color_space(values, current, desired),
        )


def test_volume_converts_in_place_without_a_second_copy() -> None:
    volume = (
        np.random.default_rng(3).integers(0, 256, (16, 512, 512, 3)).astype(np.uint8)
    )
    expected = convert_color_space(volume[:2], "YBR_FULL", "RGB")
    tracemalloc.start()
    try:
        result = convert_color_space(volume, "YBR_FULL", "RGB", per_frame=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result is volume
    # blocks of 65536 pixels: a few MiB at most, against 12 MiB of volume
    assert peak < volume.nbytes // 2
    np.testing.assert_array_equal(result[:2], expected)
    # without per_frame: a new array, and the working memory beside it is small
    tracemalloc.start()
    try:
        fresh = convert_color_space(volume, "RGB", "YBR_FULL")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fresh is not volume and peak < fresh.nbytes * 1.5


def test_strided_views_convert_too() -> None:
    values = np.random.default_rng(4).integers(0, 256, (2, 20, 30, 3)).astype(np.uint8)
    view = values[:, ::2, ::3]
    np.testing.assert_array_equal(
        convert_color_space(view, "RGB", "YBR_FULL"),
        convert_color_space(np.ascontiguousarray(view), "RGB", "YBR_FULL"),
    )
    writable = values.copy()[:, ::2]
    assert convert_color_space(writable, "RGB", "YBR_FULL", per_frame=True) is writable
