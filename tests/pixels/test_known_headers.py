"""Repeated frame reads of one path reuse its header only while it is the same.

The files are written byte by byte here (not by dicomcore's writer): a
Part 10 header, then native Pixel Data of 8 frames of 128 x 128 uint16 (256
KiB, more than the first block read).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest

import dicomcore
from dicomcore.pixels import iter_pixels, known_headers, pixel_array

FRAMES, ROWS, COLUMNS = 8, 128, 128
PIXELS = np.arange(FRAMES * ROWS * COLUMNS, dtype="<u2").reshape(FRAMES, ROWS, COLUMNS)


def explicit(tag: int, vr: bytes, value: bytes) -> bytes:
    group, element = tag >> 16, tag & 0xFFFF
    if vr in (b"OB", b"OW", b"UN", b"UT", b"SQ"):
        return struct.pack("<HH2s2xL", group, element, vr, len(value)) + value
    return struct.pack("<HH2sH", group, element, vr, len(value)) + value


def us(value: int) -> bytes:
    return struct.pack("<H", value)


def part10(
    rows: int = ROWS,
    columns: int = COLUMNS,
    name: bytes = b"Doe^Jane",
    frames: int = FRAMES,
) -> bytes:
    meta_rest = explicit(0x00020010, b"UI", b"1.2.840.10008.1.2.1\x00")
    meta = explicit(0x00020000, b"UL", struct.pack("<L", len(meta_rest))) + meta_rest
    dataset = (
        explicit(0x00100010, b"PN", name)
        + explicit(0x00280002, b"US", us(1))
        + explicit(0x00280004, b"CS", b"MONOCHROME2 ")
        + explicit(0x00280008, b"IS", b"%d " % frames)  # frames < 10: even length
        + explicit(0x00280010, b"US", us(rows))
        + explicit(0x00280011, b"US", us(columns))
        + explicit(0x00280100, b"US", us(16))
        + explicit(0x00280101, b"US", us(16))
        + explicit(0x00280102, b"US", us(15))
        + explicit(0x00280103, b"US", us(0))
        + explicit(0x7FE00010, b"OW", PIXELS[:frames].tobytes())
    )
    return b"\x00" * 128 + b"DICM" + meta + dataset


@pytest.fixture(autouse=True)
def _forget() -> None:
    known_headers.clear()


def test_frames_of_an_unchanged_file_reuse_its_header(tmp_path: Path) -> None:
    path = tmp_path / "eight.dcm"
    path.write_bytes(part10())
    first, _ = known_headers.read(str(path), dicomcore.pixels.api._PIXEL_WANTED)
    second, layout = known_headers.read(str(path), dicomcore.pixels.api._PIXEL_WANTED)
    assert second is first
    assert layout is not None and (layout.rows, layout.number_of_frames) == (128, 8)
    for index in (0, 5, 7):
        np.testing.assert_array_equal(pixel_array(path, index=index), PIXELS[index])
    np.testing.assert_array_equal(np.stack(list(iter_pixels(path))), PIXELS)


def test_a_single_frame_file_is_not_kept(tmp_path: Path) -> None:
    # Its pixels come in one call: keeping its header would only cost.
    single = tmp_path / "one.dcm"
    single.write_bytes(part10(frames=1))
    first, layout = known_headers.read(str(single), dicomcore.pixels.api._PIXEL_WANTED)
    assert layout is not None and layout.number_of_frames == 1
    second, _ = known_headers.read(str(single), dicomcore.pixels.api._PIXEL_WANTED)
    assert second is not first
    np.testing.assert_array_equal(pixel_array(single), PIXELS[0])
    several = tmp_path / "eight.dcm"
    several.write_bytes(part10())
    kept, _ = known_headers.read(str(several), dicomcore.pixels.api._PIXEL_WANTED)
    again, _ = known_headers.read(str(several), dicomcore.pixels.api._PIXEL_WANTED)
    assert again is kept


def test_a_header_edited_in_place_is_read_again(tmp_path: Path) -> None:
    # Same size, same modification time, another header: 64 x 256 frames.
    path = tmp_path / "eight.dcm"
    path.write_bytes(part10())
    np.testing.assert_array_equal(pixel_array(path, index=1), PIXELS[1])
    stat = path.stat()
    edited = part10(rows=64, columns=256)
    assert len(edited) == stat.st_size
    with open(path, "r+b") as handle:
        handle.write(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    frame = pixel_array(path, index=1)
    assert frame.shape == (64, 256)
    np.testing.assert_array_equal(frame, PIXELS[1].reshape(64, 256))


def test_another_file_at_the_path_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "eight.dcm"
    path.write_bytes(part10())
    assert pixel_array(path, index=0).shape == (128, 128)
    replacement = tmp_path / "new.dcm"
    replacement.write_bytes(part10(name=b"Roe^Richard"))
    os.replace(replacement, path)
    ds_out = dicomcore.Dataset()
    np.testing.assert_array_equal(pixel_array(path, index=2, ds_out=ds_out), PIXELS[2])
    assert ds_out.Rows == 128


def test_a_reported_deviation_is_reported_at_every_read(tmp_path: Path) -> None:
    # High Bit 15 with Bits Stored 12 is warned about: never from a kept layout.
    path = tmp_path / "eight.dcm"
    data = part10().replace(
        explicit(0x00280101, b"US", us(16)), explicit(0x00280101, b"US", us(12))
    )
    path.write_bytes(data)
    for _ in range(2):
        with pytest.warns(UserWarning, match="HighBit"):
            pixel_array(path, index=0)
