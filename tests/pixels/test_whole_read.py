"""pixel_array(path) of a small file: read whole, once, into the array it
returns, and what happens when the file is not that simple.

Nothing here is timed; the saving (one open and one read fewer per image)
is measured by benchmarks/ (pixel_array against its floor).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import dicomcore
from dicomcore.io.deferred import FileValue
from dicomcore.io.reader import (
    HEADER_BLOCK_BYTES,
    LONG_HEADER_BYTES,
    read_whole_for_pixels,
)
from dicomcore.pixels import pixel_array, set_pixel_data
from dicomcore.pixels.api import WHOLE_READ_BYTES
from dicomcore.uid import RLELossless

ROWS, COLUMNS = 128, 128


def frames(count: int) -> np.ndarray:
    values = np.arange(count * ROWS * COLUMNS, dtype=np.int64) * 37
    return (values % 4096 - 2048).astype(np.int16).reshape(count, ROWS, COLUMNS)


def write(
    path: Path, count: int, private_bytes: int = 0, rle: bool = False
) -> np.ndarray:
    stack = frames(count)
    ds = dicomcore.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
    ds.SOPInstanceUID = "2.25.1234"
    if private_bytes:
        block = ds.private_block(0x0029, "DICOMCORE TEST", create=True)
        block.add_new(0x10, "OB", bytes(range(256)) * (private_bytes // 256))
    set_pixel_data(ds, stack if count > 1 else stack[0], "MONOCHROME2", 12)
    if rle:
        ds.compress(RLELossless)
    ds.save_as(path, enforce_file_format=True)
    return stack if count > 1 else stack[0]


def root_buffer(arr: np.ndarray) -> object:
    base = arr.base
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    return base.obj if isinstance(base, memoryview) else base


def pixel_value(ds: dicomcore.Dataset) -> FileValue:
    value = ds._dict[0x7FE00010].value
    assert isinstance(value, FileValue)
    return value


def test_pixel_data_keeps_a_private_view_of_the_file_read_once(tmp_path: Path) -> None:
    path = tmp_path / "one.dcm"
    expected = write(path, 1)
    size = path.stat().st_size
    buffers: list[np.ndarray] = []

    def allocate(n: int) -> np.ndarray:
        buffers.append(np.empty(n, np.uint8))
        return buffers[-1]

    ds = read_whole_for_pixels(path, allocate, WHOLE_READ_BYTES)
    assert ds is not None and [b.nbytes for b in buffers] == [size]
    value = pixel_value(ds)
    assert value.private and value.length == expected.nbytes
    assert bytes(value.copy) == buffers[0][value.offset :].tobytes()
    assert bytes(value.copy) == expected.astype("<i2").tobytes()
    assert ds.Rows == ROWS and ds.BitsStored == 12

    arr = pixel_array(path)
    np.testing.assert_array_equal(arr, expected)
    assert root_buffer(arr).nbytes == size


@pytest.mark.parametrize(
    ("max_size", "why"),
    [(HEADER_BLOCK_BYTES, "too large"), (10**9, "read whole anyway")],
)
def test_files_of_other_sizes_are_left_to_the_usual_read(
    tmp_path: Path, max_size: int, why: str
) -> None:
    path = tmp_path / "f.dcm"
    if why == "too large":
        write(path, 1)
    else:
        ds = dicomcore.Dataset()
        ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
        ds.SOPInstanceUID = "2.25.1"
        set_pixel_data(ds, frames(1)[0, :8, :8], "MONOCHROME2", 12)
        ds.save_as(path, enforce_file_format=True)
        assert path.stat().st_size <= HEADER_BLOCK_BYTES
    assert read_whole_for_pixels(path, bytearray, max_size) is None


def test_pixels_beside_much_else_are_copied_out_of_the_buffer(tmp_path: Path) -> None:
    # 64 KiB of private data beside 32 KiB of pixels: the array must not
    # keep the rest of the file alive.
    path = tmp_path / "private.dcm"
    expected = write(path, 1, private_bytes=64 * 1024)
    ds = read_whole_for_pixels(path, bytearray, WHOLE_READ_BYTES)
    assert ds is not None and not pixel_value(ds).private
    arr = pixel_array(path)
    np.testing.assert_array_equal(arr, expected)
    assert arr.flags.owndata  # a copy of the pixels alone


def test_a_header_past_the_long_block_is_read_the_usual_way(tmp_path: Path) -> None:
    path = tmp_path / "long.dcm"
    expected = write(path, 1, private_bytes=LONG_HEADER_BYTES + 4096)
    assert path.stat().st_size <= WHOLE_READ_BYTES
    assert read_whole_for_pixels(path, bytearray, WHOLE_READ_BYTES) is None
    np.testing.assert_array_equal(pixel_array(path), expected)


def test_several_compressed_frames_are_decoded_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rle.dcm"
    expected = write(path, 6, rle=True)
    assert HEADER_BLOCK_BYTES < path.stat().st_size <= WHOLE_READ_BYTES
    np.testing.assert_array_equal(pixel_array(path), expected)
    single = tmp_path / "rle1.dcm"
    write(single, 1, rle=True)
    ds = read_whole_for_pixels(single, bytearray, WHOLE_READ_BYTES)
    assert ds is not None and pixel_value(ds).copy is not None
    np.testing.assert_array_equal(pixel_array(single), frames(1)[0])


def test_a_file_cut_short_after_its_size_was_taken_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cut.dcm"
    expected = write(path, 2)

    def cut(n: int) -> np.ndarray:
        path.write_bytes(path.read_bytes()[: n // 2])
        return np.empty(n, np.uint8)

    assert read_whole_for_pixels(path, cut, WHOLE_READ_BYTES) is None
    write(path, 2)
    np.testing.assert_array_equal(pixel_array(path), expected)


def test_a_tolerated_deviation_is_reported_once(tmp_path: Path) -> None:
    # Several compressed frames are read again the usual way: what the
    # layout reports is still reported once.
    path = tmp_path / "highbit.dcm"
    stack = frames(6)
    ds = dicomcore.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
    ds.SOPInstanceUID = "2.25.4321"
    set_pixel_data(ds, stack, "MONOCHROME2", 12)
    ds.compress(RLELossless)
    ds.HighBit = 15
    ds.save_as(path, enforce_file_format=True)
    assert HEADER_BLOCK_BYTES < path.stat().st_size <= WHOLE_READ_BYTES
    with pytest.warns(UserWarning, match="^HighBit: is 15") as record:
        arr = pixel_array(path)
    assert len([w for w in record if "HighBit" in str(w.message)]) == 1
    np.testing.assert_array_equal(arr, stack)
