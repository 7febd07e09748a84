"""dicomcore.pixels.utils against pydicom.pixels.utils on the same files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import dicomcore
from dicomcore.pixels import utils

pydicom = pytest.importorskip("pydicom")
from pydicom.pixels import utils as pydicom_utils  # noqa: E402

TESTFILES = Path(__file__).resolve().parents[2] / "testfiles"
FILES = [
    "mono16_5frames_rle.dcm",
    "rgb8_planar1_explicit.dcm",
    "ct_int16_bigendian.dcm",
    "mono1_3frames_explicit.dcm",
    "processing/ybr_partial_422.dcm",
]


@pytest.mark.parametrize("name", FILES)
def test_lengths_and_options(name):
    ours, theirs = (
        dicomcore.dcmread(TESTFILES / name),
        pydicom.dcmread(TESTFILES / name),
    )
    for unit in ("bytes", "pixels"):
        assert utils.get_expected_length(ours, unit) == (
            pydicom_utils.get_expected_length(theirs, unit)
        )
    assert utils.get_nr_frames(ours) == pydicom_utils.get_nr_frames(theirs)
    assert utils.as_pixel_options(ours) == pydicom_utils.as_pixel_options(theirs)


def test_expected_lengths_by_value():
    ds = dicomcore.dcmread(TESTFILES / "mono1_3frames_explicit.dcm")
    assert (utils.get_expected_length(ds), utils.get_expected_length(ds, "pixels")) == (
        10,
        75,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ct_int16_bigendian.dcm", ">i2"), ("mono16_5frames_rle.dcm", "<u2")],
)
def test_pixel_dtype_in_the_files_byte_order(name, expected):
    ds = dicomcore.dcmread(TESTFILES / name)
    assert utils.pixel_dtype(ds) == np.dtype(expected)
    assert utils.pixel_dtype(ds).str == expected
    assert utils.pixel_dtype(ds, as_float=True).str == expected[0] + "f2"


def test_reshape_interleaves_planes():
    ds = dicomcore.dcmread(TESTFILES / "rgb8_planar1_explicit.dcm")
    flat = np.frombuffer(ds.PixelData, np.uint8)
    shaped = utils.reshape_pixel_array(ds, flat)
    assert shaped.shape == (32, 32, 3)
    assert shaped[0, 0].tolist() == [flat[0], flat[1024], flat[2048]]
    assert np.array_equal(shaped, ds.pixel_array)


def test_expand_ybr422():
    assert utils.expand_ybr422(bytes(range(8)), 8) == bytes(
        [0, 2, 3, 1, 2, 3, 4, 6, 7, 5, 6, 7]
    )
    assert utils.expand_ybr422(bytes(range(8)), 16) == pydicom_utils.expand_ybr422(
        bytes(range(8)), 16
    )


def test_get_j2k_parameters():
    from dicomcore.encaps import generate_frames

    ds = dicomcore.dcmread(TESTFILES / "mono12s_j2k.dcm")
    frame = next(generate_frames(ds.PixelData, number_of_frames=1))
    expected = {"jp2": False, "precision": 16, "is_signed": True}
    assert utils.get_j2k_parameters(frame) == expected
    assert pydicom_utils.get_j2k_parameters(frame) == expected
    assert utils.get_j2k_parameters(b"\xff\xd8\xff\xe0") == {}
