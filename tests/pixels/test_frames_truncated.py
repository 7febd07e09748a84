"""Arrays from a file stay readable after the file is truncated.

An array viewing a memory map of a file faults (SIGBUS) once the file
shrinks under it, and a fault kills the interpreter.  Each case runs in a
child interpreter, so a fault fails the test instead of ending pytest: the
child truncates the file to half after getting its array, sums the array,
and prints the sum; a frame read after the truncation is a PixelDataError.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import dicomcore

ROWS, COLUMNS = 256, 256
FRAME_BYTES = ROWS * COLUMNS * 2

# Written and checked by the child: frame k is (grid + 7919 k) mod 65536.
_PRELUDE = """
import os, sys
import numpy as np
import dicomcore
from dicomcore.errors import DicomError
from dicomcore.pixels import iter_pixels, pixel_array, set_pixel_data

path, frames = sys.argv[1], int(sys.argv[2])
grid = np.arange(256 * 256, dtype=np.uint32).reshape(256, 256)
stack = np.empty((frames, 256, 256), np.uint16)
for index in range(frames):
    stack[index] = (grid + index * 7919) % 65536
ds = dicomcore.Dataset()
ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
set_pixel_data(ds, stack, "MONOCHROME2", 16)
ds.save_as(path)
del ds, stack

def truncate():
    os.truncate(path, os.path.getsize(path) // 2)
"""


def expected_sum(frames: int) -> int:
    grid = np.arange(ROWS * COLUMNS, dtype=np.uint64)
    return sum(int(((grid + k * 7919) % 65536).sum()) for k in range(frames))


def run_child(tmp_path: Path, frames: int, body: str) -> list[str]:
    """The lines the child printed; fails on any exit but 0 (a signal is a
    negative return code)."""
    root = Path(dicomcore.__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    script = _PRELUDE + textwrap.dedent(body)
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "frames.dcm"), str(frames)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    return result.stdout.split()


@pytest.mark.parametrize("frames", [40, 260])  # 5 MiB, and 33 MiB (> 16 MiB)
def test_pixel_array_view_only_survives_truncation(tmp_path: Path, frames: int) -> None:
    out = run_child(
        tmp_path,
        frames,
        """
        arr = pixel_array(path, view_only=True, raw=True)
        truncate()
        print(arr.flags.writeable, arr.shape[0], int(arr.sum(dtype=np.uint64)))
        """,
    )
    assert out == ["False", str(frames), str(expected_sum(frames))]


@pytest.mark.parametrize("frames", [40, 260])
def test_dataset_view_only_survives_truncation(tmp_path: Path, frames: int) -> None:
    # dcmread keeps a file of at most 16 MiB in memory, a larger one's
    # Pixel Data in the file: both read before the truncation
    out = run_child(
        tmp_path,
        frames,
        """
        ds = dicomcore.dcmread(path)
        ds.pixel_array_options(view_only=True, raw=True)
        arr = ds.pixel_array
        truncate()
        print(arr.shape[0], int(arr.sum(dtype=np.uint64)))
        """,
    )
    assert out == [str(frames), str(expected_sum(frames))]


def test_iter_pixels_after_truncation_reads_or_raises(tmp_path: Path) -> None:
    # frames still in the file are read; the first one cut off is an error
    out = run_child(
        tmp_path,
        40,
        """
        sums = []
        try:
            for frame in iter_pixels(path, view_only=True, raw=True):
                if not sums:
                    truncate()
                sums.append(int(frame.sum(dtype=np.uint64)))
        except DicomError as error:
            print(type(error).__name__)
        print(len(sums), sum(sums))
        """,
    )
    # half of the file: its header plus 20 frames less the header's length,
    # so frame 19 is cut and frames 0 to 18 are whole
    assert out == ["PixelDataError", "19", str(expected_sum(19))]


def test_a_single_frame_view_survives_truncation(tmp_path: Path) -> None:
    out = run_child(
        tmp_path,
        40,
        """
        frame = pixel_array(path, index=7, view_only=True)
        truncate()
        print(frame.flags.writeable, int(frame.sum(dtype=np.uint64)))
        """,
    )
    grid = np.arange(ROWS * COLUMNS, dtype=np.uint64)
    assert out == ["False", str(int(((grid + 7 * 7919) % 65536).sum()))]
