"""Frame 250 over HTTP: dicomcore against pydicom 3, requests, bytes, time.

::

    python -m benchmarks.remote                  # the corpus's 500-frame files
    python -m benchmarks.remote --files a.dcm b.dcm --index 3

Each file is served from a memory map by the Range-capable test server of
``tests/range_server.py`` on 127.0.0.1, which counts requests and the body
bytes it sends.  Both libraries get the same kind of fsspec file object
(``fsspec.open(url).open()``, fsspec's defaults) and the same call,
``pixels.pixel_array(file, index=index)``; dicomcore is also given the URL
itself.  Each side runs ``--rounds`` times;
the table shows the median time, and the requests and bytes of one run.
Needs ``pip install "dicomcore[remote]" pydicom`` (and the pylibjpeg
decoders for pydicom's JPEG side).
"""

from __future__ import annotations

import argparse
import mmap
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))  # the test server
if __package__ in (None, ""):  # run as a script: python benchmarks/remote.py
    sys.path.insert(0, str(REPO_ROOT))


def _sides(index: int) -> dict[str, Callable[[str], Any]]:
    import fsspec
    import pydicom

    from dicomcore.pixels import pixel_array

    def pydicom_side(url: str) -> Any:
        with fsspec.open(url, "rb") as handle:
            return pydicom.pixels.pixel_array(handle, index=index)

    def dicomcore_file_object(url: str) -> Any:
        with fsspec.open(url, "rb") as handle:
            return pixel_array(handle, index=index)

    def dicomcore_url(url: str) -> Any:
        return pixel_array(url, index=index)

    return {
        "pydicom 3 (fsspec file)": pydicom_side,
        "dicomcore (fsspec file)": dicomcore_file_object,
        "dicomcore (URL)": dicomcore_url,
    }


def run(files: Sequence[Path], index: int, rounds: int) -> str:
    import numpy as np
    from range_server import RangeServer

    server = RangeServer()
    maps = []
    lines = [
        f"frame {index} over HTTP (127.0.0.1), median of {rounds} runs",
        "",
        "| file | side | requests | MB sent | ms | time ratio (pydicom / side) |",
        "|---|---|---|---|---|---|",
    ]
    try:
        for path in files:
            with open(path, "rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            maps.append(mapped)
            server.files[path.name] = mapped
            url = server.url(path.name)
            reference = None
            pydicom_time = None
            for name, side in _sides(index).items():
                times = []
                for _ in range(rounds):
                    server.reset()
                    started = time.perf_counter()
                    frame = side(url)
                    times.append(time.perf_counter() - started)
                if reference is None:
                    reference = frame
                elif not np.array_equal(frame, reference):
                    raise SystemExit(f"{name} decodes {path.name} differently")
                median = statistics.median(times)
                pydicom_time = pydicom_time or median
                lines.append(
                    f"| {path.name} | {name} | {len(server.requests)} | "
                    f"{server.bytes_sent / 1e6:.3f} | {median * 1000:.1f} | "
                    f"{pydicom_time / median:.2f} |"
                )
    finally:
        server.stop()
        for mapped in maps:
            mapped.close()
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="+", type=Path, help="files to serve")
    parser.add_argument("--index", type=int, default=250, help="frame (250)")
    parser.add_argument("--rounds", type=int, default=5, help="runs per side (5)")
    arguments = parser.parse_args(argv)
    files = arguments.files
    if not files:
        from benchmarks import corpus as corpus_module

        corpus = corpus_module.ensure()
        files = [corpus.multiframe, corpus.multiframe_rle, corpus.multiframe_jpeg]
    print(run(files, arguments.index, arguments.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
