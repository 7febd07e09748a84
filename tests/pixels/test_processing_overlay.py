"""Overlay planes (dicomcore/pixels/overlay.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dicomcore import Dataset, dcmread
from dicomcore.pixels import ProcessingError, get_overlay_array, pack_bits, unpack_bits
from dicomcore.pixels.overlay import OverlayPlane, overlay_groups

FILES = Path(__file__).resolve().parents[2] / "testfiles" / "processing"


def with_overlay(
    bits: np.ndarray,
    *,
    group: int = 0x6000,
    origin: tuple[int, int] = (1, 1),
    image: tuple[int, int, int] = (1, 4, 6),
    frames: int | None = None,
    frame_origin: int | None = None,
    vr: str = "OW",
) -> Dataset:
    ds = Dataset()
    ds.Rows, ds.Columns = image[1], image[2]
    if image[0] > 1:
        ds.NumberOfFrames = image[0]
    tag = group << 16
    ds.add_new(tag | 0x0010, "US", bits.shape[-2])
    ds.add_new(tag | 0x0011, "US", bits.shape[-1])
    ds.add_new(tag | 0x0040, "CS", "G")
    ds.add_new(tag | 0x0050, "SS", list(origin))
    ds.add_new(tag | 0x0100, "US", 1)
    ds.add_new(tag | 0x0102, "US", 0)
    if frames is not None:
        ds.add_new(tag | 0x0015, "IS", frames)
    if frame_origin is not None:
        ds.add_new(tag | 0x0051, "US", frame_origin)
    ds.add_new(tag | 0x3000, vr, pack_bits(bits))
    return ds


def test_overlay_bits_least_significant_first() -> None:
    # PS3.5 8.1.1 order: bit 0 of the first byte is the first overlay pixel
    bits = np.array([[1, 0, 0], [0, 0, 1], [1, 1, 0]], np.uint8)
    ds = with_overlay(bits)
    assert pack_bits(bits) == bytes([0b11100001, 0b0])
    out = get_overlay_array(ds, 0x6000)
    assert out.dtype == np.uint8 and out.tolist() == bits.tolist()
    assert overlay_groups(ds) == [0x6000]
    # the same data as OB
    assert (
        get_overlay_array(with_overlay(bits, vr="OB"), 0x6000).tolist() == bits.tolist()
    )
    assert (
        np.asarray(unpack_bits(pack_bits(bits)))[:9].tolist() == bits.ravel().tolist()
    )


def test_overlay_placed_on_the_image_at_its_origin() -> None:
    bits = np.array([[1, 1], [0, 1]], np.uint8)
    # origin 2\5 (1-based): rows 1-2, columns 4-5 of a 4 x 6 image (0-based)
    on_image = get_overlay_array(
        with_overlay(bits, origin=(2, 5)), 0x6000, on_image=True
    )
    expected = np.zeros((4, 6), np.uint8)
    expected[1:3, 4:6] = bits
    assert on_image.tolist() == expected.tolist()
    # an origin of 0\-0 hangs over the top left corner: what is outside is lost
    corner = get_overlay_array(with_overlay(bits, origin=(0, 0)), 0x6000, on_image=True)
    expected = np.zeros((4, 6), np.uint8)
    expected[0, 0] = 1
    assert corner.tolist() == expected.tolist()
    beyond = get_overlay_array(with_overlay(bits, origin=(9, 9)), 0x6000, on_image=True)
    assert not beyond.any()


def test_multi_frame_overlay_and_image_frame_origin() -> None:
    bits = np.zeros((2, 2, 3), np.uint8)
    bits[0, 0, 0] = bits[1, 1, 2] = 1
    ds = with_overlay(bits, group=0x6002, image=(4, 2, 3), frames=2, frame_origin=2)
    out = get_overlay_array(ds, 0x6002)
    assert out.shape == (2, 2, 3) and out.tolist() == bits.tolist()
    # frames 2 and 3 of the image (1-based) carry overlay frames 1 and 2
    placed = get_overlay_array(ds, 0x6002, on_image=True)
    assert placed.shape == (4, 2, 3)
    assert [int(frame.sum()) for frame in placed] == [0, 1, 1, 0]
    assert placed[1, 0, 0] == 1 and placed[2, 1, 2] == 1
    # frames follow each other without padding: 6 bits each, 12 in all
    assert len(ds[0x60023000].value) == 2


def test_one_frame_overlay_on_every_frame_unless_told_otherwise() -> None:
    bits = np.array([[0, 1]], np.uint8)
    every = get_overlay_array(
        with_overlay(bits, image=(3, 1, 2)), 0x6000, on_image=True
    )
    assert every.tolist() == [[[0, 1]]] * 3
    second = with_overlay(bits, image=(3, 1, 2), frame_origin=2)
    assert get_overlay_array(second, 0x6000, on_image=True).tolist() == [
        [[0, 0]],
        [[0, 1]],
        [[0, 0]],
    ]
    plane = OverlayPlane.from_dataset(second, 0x6000)
    assert plane.image_frames(3) == [1] and plane.origin == (1, 1)


def test_groups_and_missing_attributes() -> None:
    ds = with_overlay(np.ones((2, 2), np.uint8))
    for group in (0x6001, 0x6020, 0x5000):
        with pytest.raises(ValueError, match="even groups"):
            get_overlay_array(ds, group)
    with pytest.raises(ProcessingError, match=r"Overlay Rows \(6002,0010\)"):
        get_overlay_array(ds, 0x6002)
    short = with_overlay(np.ones((2, 2), np.uint8))
    short[0x60000010].value = 40
    with pytest.raises(ProcessingError, match="need 80"):
        get_overlay_array(short, 0x6000)


def test_overlay_testfiles_by_hand() -> None:
    # testfiles/processing/make_processing_files.py draws these
    ds = dcmread(FILES / "overlay.dcm")
    small = np.zeros((5, 7), np.uint8)
    small[::2, ::3] = 1
    small[1, :] = 1
    assert get_overlay_array(ds, 0x6000).tolist() == small.tolist()
    assert get_overlay_array(ds, 0x6002).tolist() == np.eye(16, 24).tolist()
    placed = get_overlay_array(ds, 0x6000, on_image=True)
    assert placed.shape == (16, 24) and placed[2:7, 3:10].tolist() == small.tolist()
    assert int(placed.sum()) == int(small.sum())
    assert overlay_groups(ds) == [0x6000, 0x6002]

    multi = dcmread(FILES / "overlay_multiframe.dcm")
    frames = get_overlay_array(multi, 0x6000)
    assert frames.shape == (2, 6, 10) and int(frames[0].sum()) == 15
    corner = get_overlay_array(multi, 0x6002, on_image=True)
    # 3 x 3 at -1\15 on an 8 x 16 image: its rows fall on image rows -2..0,
    # its columns on 14..16; of its bottom row [1, 0, 0] one pixel lands, at
    # (0, 14), on every frame
    assert corner.shape == (4, 8, 16)
    assert [np.argwhere(frame).tolist() for frame in corner] == [[[0, 14]]] * 4

    embedded = dcmread(FILES / "overlay_embedded.dcm")
    bits = get_overlay_array(embedded, 0x6000)
    marks = (np.arange(8 * 16).reshape(8, 16) % 5 == 0).astype(np.uint8)
    assert bits.tolist() == marks.tolist()
    # the image itself has those bits masked away (Bits Stored 12)
    assert int(embedded.pixel_array.max()) < 4096


def test_matches_pydicom() -> None:
    pydicom = pytest.importorskip("pydicom")
    from pydicom.overlays import get_overlay_array as pydicom_overlay

    for name, groups in (
        ("overlay.dcm", (0x6000, 0x6002)),
        ("overlay_multiframe.dcm", (0x6000, 0x6002)),
    ):
        ours, theirs = dcmread(FILES / name), pydicom.dcmread(FILES / name)
        for group in groups:
            np.testing.assert_array_equal(
                get_overlay_array(ours, group), pydicom_overlay(theirs, group)
            )


def test_dataset_overlay_array_method():
    from interop import TESTFILES

    from dicomcore import dcmread
    from dicomcore.pixels import get_overlay_array

    path = next((TESTFILES / "processing").glob("*overlay*.dcm"))
    ds = dcmread(path)
    import numpy as np

    assert np.array_equal(ds.overlay_array(0x6000), get_overlay_array(ds, 0x6000))
