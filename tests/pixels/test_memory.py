"""Peak memory of reading pixels from a path, traced (tracemalloc sees
numpy's allocations): the result, at most one frame more, and a constant.

Nothing here is timed.  Files: 40 frames of 256 x 256 uint16 (5 MiB of
Pixel Data, its header read from one 16 KiB block), 140 frames (18 MiB,
above the 16 MiB dcmread reads whole), 12 frames (1.5 MiB, which
pixel_array reads whole into the array it returns), and the 40 and 12
frames RLE encoded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dicomcore
from dicomcore.pixels import iter_pixels, pixel_array, set_pixel_data
from dicomcore.uid import RLELossless

from .traced_memory import traced_growth

ROWS, COLUMNS = 256, 256
FRAME_BYTES = ROWS * COLUMNS * 2
# Headers, datasets, the frame source and numpy's array objects.
CONSTANT = 256 * 1024
GRID = np.arange(ROWS * COLUMNS, dtype=np.uint32).reshape(ROWS, COLUMNS)


def expected_frame(index: int) -> np.ndarray:
    return ((GRID + index * 7919) % 65536).astype(np.uint16)


def write(path: Path, frames: int, rle: bool = False) -> Path:
    stack = np.empty((frames, ROWS, COLUMNS), np.uint16)
    for index in range(frames):
        stack[index] = expected_frame(index)
    ds = dicomcore.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
    set_pixel_data(ds, stack, "MONOCHROME2", 16)
    if rle:
        ds.compress(RLELossless)
    ds.save_as(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("memory")
    return {
        "native": write(folder / "native40.dcm", 40),
        "large": write(folder / "native140.dcm", 140),
        "rle": write(folder / "rle40.dcm", 40, rle=True),
        "small": write(folder / "native12.dcm", 12),
        "small-rle": write(folder / "rle12.dcm", 12, rle=True),
    }


def peak(path: Path, action: Callable[[], Any], **options: Any) -> int:
    """Peak traced memory during ``action`` above what was traced before;
    one frame read first, untraced, so that imports and the codec registry
    are not counted."""
    pixel_array(path, index=0, **options)
    return traced_growth(action)


@pytest.mark.parametrize(
    ("name", "frames"), [("native", 40), ("large", 140), ("small", 12)]
)
def test_pixel_array_costs_the_result_and_a_constant(
    files: dict[str, Path], name: str, frames: int
) -> None:
    result: list[np.ndarray] = []
    used = peak(files[name], lambda: result.append(pixel_array(files[name])))
    arr = result[0]
    assert arr.shape == (frames, ROWS, COLUMNS) and arr.dtype == np.uint16
    for index in (0, frames // 2, frames - 1):
        np.testing.assert_array_equal(arr[index], expected_frame(index))
    assert used <= arr.nbytes + FRAME_BYTES + CONSTANT, (used, arr.nbytes)


@pytest.mark.parametrize("name", ["native", "large"])
def test_iter_pixels_holds_at_most_two_frames(
    files: dict[str, Path], name: str
) -> None:
    sums: list[int] = []

    def iterate() -> None:
        for frame in iter_pixels(files[name]):
            sums.append(int(frame.sum(dtype=np.uint64)))
            del frame

    used = peak(files[name], iterate)
    assert sums[:2] == [int(expected_frame(k).sum(dtype=np.uint64)) for k in (0, 1)]
    assert used <= 2 * FRAME_BYTES + CONSTANT, used


def test_a_small_file_is_read_whole_into_the_array_returned(
    files: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "small.dcm"
    path.write_bytes(files["small"].read_bytes())
    size = path.stat().st_size
    assert size <= dicomcore.pixels.api.WHOLE_READ_BYTES
    result: list[np.ndarray] = []
    used = peak(path, lambda: result.append(pixel_array(path)))
    arr = result[0]
    # One buffer of the file's size holds the array: the header's bytes
    # before the pixels, and no copy of them.
    base = arr.base
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    assert isinstance(base, memoryview) and base.obj.nbytes == size
    header = size - arr.nbytes
    assert 0 < header < 4096
    assert used <= arr.nbytes + header + CONSTANT, (used, arr.nbytes)
    assert arr.flags.writeable and arr.flags.c_contiguous
    arr[0, 0, 0] = 12345  # the caller's own array, not the file's bytes
    path.write_bytes(path.read_bytes()[:4096])
    assert arr[0, 0, 0] == 12345
    np.testing.assert_array_equal(arr[11], expected_frame(11))


@pytest.mark.parametrize("name", ["native", "large", "rle"])
def test_iter_pixels_into_one_array_adds_at_most_a_frame(
    files: dict[str, Path], name: str
) -> None:
    buffer = np.empty((ROWS, COLUMNS), np.uint16)
    seen: list[int] = []

    def iterate() -> None:
        for frame in iter_pixels(files[name], out=buffer):
            assert frame is buffer
            seen.append(int(frame[0, 1]))

    used = peak(files[name], iterate)
    assert seen[:3] == [1, 7920, 15839]
    np.testing.assert_array_equal(buffer, expected_frame(len(seen) - 1))
    # RLE: the decoded frame before it is copied in, and the compressed one
    assert used <= FRAME_BYTES + (FRAME_BYTES if name == "rle" else 0) + CONSTANT, used


@pytest.mark.parametrize("decoder", [None, "rle"])
@pytest.mark.parametrize(("name", "frames"), [("rle", 40), ("small-rle", 12)])
def test_rle_pixel_array_costs_the_result_one_frame_and_its_bytes(
    files: dict[str, Path], decoder: str | None, name: str, frames: int
) -> None:
    # the compressed frames are about equally long: the largest bounds them;
    # a small file's are decoded one by one from the file all the same
    path = files[name]
    ds = dicomcore.dcmread(path)
    frame_lengths = [
        len(frame)
        for frame in dicomcore.encaps.generate_frames(
            ds.PixelData, number_of_frames=frames
        )
    ]
    del ds
    result: list[np.ndarray] = []
    options = {"decoding_plugin": decoder} if decoder else {}
    used = peak(path, lambda: result.append(pixel_array(path, **options)), **options)
    arr = result[0]
    for index in (0, frames // 2, frames - 1):
        np.testing.assert_array_equal(arr[index], expected_frame(index))
    bound = arr.nbytes + FRAME_BYTES + max(frame_lengths) + CONSTANT
    assert used <= bound, (used, bound)
