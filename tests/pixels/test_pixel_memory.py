"""Frame k of a large file costs one frame of memory; a whole image costs itself.

The 500-frame file (256 x 256 uint16, 65 MB of Pixel Data) is made with our
own set_pixel_data and save_as: this is a memory test, and the values are a
formula of the frame index, checked without holding the whole image.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dicomcore
from dicomcore.pixels import iter_pixels, pixel_array, set_pixel_data

from .traced_memory import traced_growth

FRAMES, ROWS, COLUMNS = 500, 256, 256
FRAME_BYTES = ROWS * COLUMNS * 2
GRID = np.arange(ROWS * COLUMNS, dtype=np.uint32).reshape(ROWS, COLUMNS)


_big_path: list[Path] = []


def expected_frame(index: int) -> np.ndarray:
    return ((GRID + index * 7919) % 65536).astype(np.uint16)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("memory") / "frames500.dcm"
    stack = np.empty((FRAMES, ROWS, COLUMNS), np.uint16)
    for index in range(FRAMES):
        stack[index] = expected_frame(index)
    ds = dicomcore.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"  # Multi-frame Grayscale Word SC
    set_pixel_data(ds, stack, "MONOCHROME2", 16)
    del stack
    ds.save_as(path)
    del ds
    _big_path[:] = [path]
    # warm up: registry, imports and caches are not what is measured
    pixel_array(path, index=0)
    next(iter(iter_pixels(path)))
    yield path


def growth(action: Callable[[], Any]) -> int:
    """Peak traced memory during ``action`` above what was traced before.

    Other tests reset the codec registry; it is rebuilt here, untraced, so
    that one-time work is not counted as decoding.
    """
    from dicomcore.pixels.layout import PixelLayout
    from dicomcore.pixels.registry import choose_decoders

    choose_decoders(PixelLayout.from_dataset(dicomcore.dcmread(_big_path[0])))
    return traced_growth(action)


def test_frame_250_alone(big_file: Path) -> None:
    result: list[np.ndarray] = []
    used = growth(lambda: result.append(pixel_array(big_file, index=250)))
    np.testing.assert_array_equal(result[0], expected_frame(250))
    assert used <= 2 * FRAME_BYTES, used
    ds = dicomcore.dcmread(big_file)
    ds.pixel_array_options(index=499)
    used = growth(lambda: result.append(ds.pixel_array))
    np.testing.assert_array_equal(result[1], expected_frame(499))
    assert used <= 2 * FRAME_BYTES, used


def test_iterating_every_frame(big_file: Path) -> None:
    checked = []
    # made before measuring, and compared by hash, which allocates nothing:
    # checking must not count as decoding
    expected = {
        index: hashlib.sha256(expected_frame(index)).hexdigest()
        for index in range(0, FRAMES, 50)
    }

    def iterate() -> None:
        # no enumerate(): it holds the previous frame while the next is made
        index = 0
        for frame in iter_pixels(big_file):
            if index in expected:
                assert hashlib.sha256(frame).hexdigest() == expected[index]
            checked.append(index)
            index += 1
            del frame

    used = growth(iterate)
    assert checked == list(range(FRAMES))
    assert used <= FRAME_BYTES + FRAME_BYTES // 2, used


def test_whole_image_is_decoded_in_place(big_file: Path) -> None:
    # one array of 500 frames, not 500 frames and then a stacked copy
    result: list[np.ndarray] = []
    used = growth(lambda: result.append(pixel_array(big_file)))
    assert result[0].shape == (FRAMES, ROWS, COLUMNS)
    for index in (0, 1, 250, 499):
        np.testing.assert_array_equal(result[0][index], expected_frame(index))
    assert used <= FRAMES * FRAME_BYTES + 2 * FRAME_BYTES, used


def test_view_only_from_a_path_reads_the_file_once(big_file: Path) -> None:
    # no map of the file (a later truncation would fault it): one read of
    # the frames into the array returned, read-only as a view is
    result: list[np.ndarray] = []
    used = growth(lambda: result.append(pixel_array(big_file, view_only=True)))
    view = result[0]
    assert not view.flags.writeable and view.shape == (FRAMES, ROWS, COLUMNS)
    assert view.flags.owndata
    np.testing.assert_array_equal(view[321], expected_frame(321))
    assert used <= FRAMES * FRAME_BYTES + FRAME_BYTES, used
