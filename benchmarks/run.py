"""Time dicomcore against named peers on the benchmark corpus.

Usage::

    python -m benchmarks.run                  # every workload, 5 rounds
    python -m benchmarks.run --quick          # 3 rounds
    python -m benchmarks.run --only header --only full-read
    python -m benchmarks.run --rebuild        # build the corpus again first

Method (see ``benchmarks/README.md``):

* every side of a workload (dicomcore and each peer) runs once untimed first:
  that warms the page cache and imports, probes dicomcore's capability and
  gives the results that are compared for agreement;
* then N rounds (three times N when one round takes under a second, where
  the machine's own swings weigh most), in each of which every side runs
  once, the order rotating from round to round (the peer an issue's floor
  names always right beside dicomcore); the table shows the median time;
* ratio = peer time / dicomcore time, the median over rounds of the ratio
  within one round (a round slowed by other work on the machine slows both
  sides): above 1 dicomcore is faster.  A ``floor:`` peer is the physical
  reference (plain file reads, numpy copies of the same bytes), so its ratio
  is below 1 and closer to 1 is better;
* peak memory: each side runs again in a fresh interpreter, once untraced
  and once under tracemalloc; the figure is tracemalloc's peak (Python
  objects and numpy buffers; not mapped file pages, not a C library's own
  buffers) plus the peak RSS of the largest child process (a DCMTK tool, a
  worker process).

A workload dicomcore cannot do yet shows "not yet" and its peers' times, and
turns on by itself when the feature lands: capability is found by looking for
the function (``dicomcore.pixels.pixel_array``, ``Dataset.compress``,
``dicomcore.batch.convert``) and by the first untimed run, where
NotImplementedError, ImportError and NoCodecError mean "not yet".

To add a workload: write a setup function for each side (it takes a
``Context`` and returns the zero-argument callable that is timed; it may raise
``NotYet`` or ``Unavailable``) and add a ``Workload`` row to ``WORKLOADS``.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import functools
import gc
import importlib
import importlib.metadata
import importlib.util
import io
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus as corpus_module  # noqa: E402  (after the path fix)
from benchmarks.corpus import Corpus  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"

RLE_LOSSLESS = "1.2.840.10008.1.2.5"
JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70"

FRAME_INDEX = 250
GDCM = "GDCM (python-gdcm)"
GDCM_NOTE = "GDCM's Python binding; its buffer is copied out as bytes"
FRAME_CALLS = 10  # frame 250 is read this many times per timed run


class NotYet(Exception):
    """dicomcore cannot do this yet; the message names what is missing."""


class Unavailable(Exception):
    """A peer is not installed here; the message says how to get it."""


@dataclass
class Context:
    """What a setup function gets: the corpus and a scratch folder of its own."""

    corpus: Corpus
    scratch: Path


Runner = Callable[[], Any]
Setup = Callable[[Context], Runner]


@dataclass(frozen=True)
class Work:
    """How much one timed run does, for the rates: ``count`` ``unit`` and
    ``nbytes`` bytes (file bytes for reading and writing files, pixel bytes
    of the decoded image for pixel workloads)."""

    count: int
    unit: str
    nbytes: int | None = None


@dataclass(frozen=True)
class Peer:
    name: str
    setup: Setup
    note: str = ""


STOP_BEFORE_PIXELS_FLOOR = "floor: stop_before_pixels + np.fromfile"


@dataclass(frozen=True)
class Requirement:
    """An issue's floor: dicomcore at least ``floor`` times as fast as ``peer``."""

    peer: str
    floor: float
    issue: str


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    work: Callable[[Corpus], Work]
    ours: Setup
    peers: tuple[Peer, ...]
    notes: str = ""
    requirement: Requirement | None = None
    # Further floors, judged the same way; the first requirement's peer is
    # the one run beside dicomcore.
    more_requirements: tuple[Requirement, ...] = ()


# --------------------------------------------------------------------------
# helpers for the sides


def _require_module(module: str, install: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise Unavailable(f"pip install {install}")


def _require_tool(tool: str) -> None:
    if shutil.which(tool) is None:
        raise Unavailable(f"{tool} not found (apt-get install dcmtk)")


def _library(name: str) -> Any:
    """``dicomcore`` or a peer library (``pydicom``), imported on first use."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if name == "dicomcore":
            raise
        raise Unavailable(f"pip install {name}") from exc


def _dicomcore_pixels(name: str) -> Callable[..., Any]:
    """``dicomcore.pixels.<name>``, or NotYet."""
    try:
        pixels = importlib.import_module("dicomcore.pixels")
    except ImportError as exc:
        raise NotYet(f"dicomcore.pixels: {exc}") from exc
    function = getattr(pixels, name, None)
    if function is None:
        raise NotYet(f"dicomcore.pixels.{name}")
    return function


def _pydicom_pixels(name: str) -> Callable[..., Any]:
    """``pydicom.pixels.<name>``, or Unavailable."""
    _library("pydicom")
    return getattr(importlib.import_module("pydicom.pixels"), name)


def _dicomcore_compress() -> None:
    import dicomcore

    if not callable(getattr(dicomcore.Dataset, "compress", None)):
        raise NotYet("Dataset.compress")


class _ToolMemory:
    """Peak RSS of the tools run while a memory probe watches.

    A child's own ``ru_maxrss`` cannot tell: the kernel counts the Python
    parent's pages that the child held between fork and exec.  GNU time,
    a small process, reports the tool's true peak (``%M``, in KiB).
    """

    watching = False
    peak: int | None = None
    unmeasured = False  # a tool ran while GNU time was missing
    time_command = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_tool(command: Sequence[str]) -> None:
    """Run a command-line tool; its time counts whole (start-up included)."""
    report = None
    if _ToolMemory.watching and _ToolMemory.time_command:
        report = command[-1] + ".rss"  # beside the tool's output file
        command = [_ToolMemory.time_command, "-f", "%M", "-o", report, *command]
    elif _ToolMemory.watching:
        _ToolMemory.unmeasured = True
    proc = subprocess.run(command, capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({proc.returncode}): "
            f"{proc.stderr.decode(errors='replace')[:300]}"
        )
    if report is not None:
        with open(report) as handle:
            peak = int(handle.read().split()[-1]) * 1024
        _ToolMemory.peak = max(_ToolMemory.peak or 0, peak)


def _pixel_offset(path: Path, nbytes: int) -> int:
    """Where the value of a native Pixel Data element that ends the file
    starts; checked against the element's 32-bit length field."""
    offset = path.stat().st_size - nbytes
    with open(path, "rb") as handle:
        handle.seek(offset - 4)
        if int.from_bytes(handle.read(4), "little") != nbytes:
            raise RuntimeError(f"{path}: Pixel Data is not the last element")
    return offset


def _files_bytes(paths: Sequence[Path]) -> int:
    return sum(path.stat().st_size for path in paths)


FRAME_BYTES = corpus_module.ROWS * corpus_module.COLUMNS * 2
RGB_BYTES = corpus_module.ROWS * corpus_module.COLUMNS * 3


# --------------------------------------------------------------------------
# header: dcmread and five typical elements


def _header_values(ds: Any) -> tuple:
    return (
        str(ds.PatientName),
        tuple(float(v) for v in ds.ImagePositionPatient),
        float(ds.SliceLocation),
        tuple(float(v) for v in ds.PixelSpacing),
        int(ds.InstanceNumber),
    )


def _header(library: str, **options: Any) -> Setup:
    def setup(ctx: Context) -> Runner:
        read = _library(library).dcmread
        paths = [str(path) for path in ctx.corpus.ct]

        def run() -> Any:
            values = None
            for path in paths:
                values = _header_values(read(path, **options))
            return values

        return run

    return setup


# --------------------------------------------------------------------------
# full read: every element, Pixel Data bytes included


def _full_read(library: str) -> Setup:
    def setup(ctx: Context) -> Runner:
        read = _library(library).dcmread
        paths = [str(path) for path in ctx.corpus.ct]

        def run() -> Any:
            pixel_data = b""
            for path in paths:
                ds = read(path)
                pixel_data = ds.PixelData
                len(pixel_data)
            return bytes(pixel_data)

        return run

    return setup


def header_read_floor(ctx: Context) -> Runner:
    """full_read_floor beside header: bytes, not header values, so nothing
    to compare its result with."""
    read = full_read_floor(ctx)

    def run() -> None:
        read()

    return run


def full_read_floor(ctx: Context) -> Runner:
    paths = [str(path) for path in ctx.corpus.ct]

    def run() -> Any:
        data = b""
        for path in paths:
            with open(path, "rb") as handle:
                data = handle.read()
        return data[-FRAME_BYTES:]

    return run


# --------------------------------------------------------------------------
# write: datasets read (Pixel Data in memory) and written back


def _loaded(read: Callable[[str], Any], paths: Sequence[Path]) -> list[tuple[str, Any]]:
    datasets = []
    for path in paths:
        ds = read(str(path))
        len(ds.PixelData)  # in memory before timing: the write is timed alone
        datasets.append((path.name, ds))
    return datasets


def _write_files(library: str) -> Setup:
    def setup(ctx: Context) -> Runner:
        datasets = _loaded(_library(library).dcmread, ctx.corpus.ct)
        targets = [(str(ctx.scratch / name), ds) for name, ds in datasets]

        def run() -> None:
            for target, ds in targets:
                ds.save_as(target)

        return run

    return setup


def _write_buffers(library: str) -> Setup:
    def setup(ctx: Context) -> Runner:
        module = _library(library)
        datasets = [ds for _, ds in _loaded(module.dcmread, ctx.corpus.ct)]
        write = module.dcmwrite

        def run() -> Any:
            buffer = io.BytesIO()
            for ds in datasets:
                buffer = io.BytesIO()
                write(buffer, ds)
            return buffer.getvalue()

        return run

    return setup


def write_floor(ctx: Context) -> Runner:
    blobs = [
        (str(ctx.scratch / path.name), path.read_bytes()) for path in ctx.corpus.ct
    ]

    def run() -> None:
        for target, blob in blobs:
            with open(target, "wb") as handle:
                handle.write(blob)

    return run


# --------------------------------------------------------------------------
# pixels: pixel_array per file, one frame, every frame


def _pixel_array_each(
    pixel_array: Callable[..., Any], paths: Sequence[Path], **options: Any
) -> Runner:
    names = [str(path) for path in paths]

    def run() -> Any:
        array = None
        for name in names:
            array = pixel_array(name, **options)
        return array

    return run


def _pixel_array_setup(select: Callable[[Corpus], Sequence[Path]], **options: Any):
    def ours(ctx: Context) -> Runner:
        return _pixel_array_each(
            _dicomcore_pixels("pixel_array"), select(ctx.corpus), **options
        )

    def peer(ctx: Context) -> Runner:
        pixel_array = _pydicom_pixels("pixel_array")

        return _pixel_array_each(pixel_array, select(ctx.corpus), **options)

    return ours, peer


def _gdcm_each(select: Callable[[Corpus], Sequence[Path]]) -> Setup:
    """GDCM's Python binding (python-gdcm): ImageReader, then the decoded
    buffer as a numpy array of the image's pixel type."""

    def setup(ctx: Context) -> Runner:
        _require_module("gdcm", "python-gdcm")
        import gdcm

        dtypes = {
            gdcm.PixelFormat.UINT8: np.uint8,
            gdcm.PixelFormat.INT8: np.int8,
            gdcm.PixelFormat.UINT16: np.uint16,
            gdcm.PixelFormat.INT16: np.int16,
            gdcm.PixelFormat.UINT32: np.uint32,
            gdcm.PixelFormat.INT32: np.int32,
        }
        names = [str(path) for path in select(ctx.corpus)]

        def run() -> Any:
            array = None
            for name in names:
                reader = gdcm.ImageReader()
                reader.SetFileName(name)
                if not reader.Read():
                    raise RuntimeError(f"GDCM cannot read {name}")
                image = reader.GetImage()
                dtype = dtypes[image.GetPixelFormat().GetScalarType()]
                data = image.GetBuffer().encode("utf-8", errors="surrogateescape")
                rows, columns = image.GetDimension(1), image.GetDimension(0)
                array = np.frombuffer(data, dtype).reshape(rows, columns, -1)
                if array.shape[2] == 1:
                    array = array[:, :, 0]
            return array

        return run

    return setup


def _peer_with_plugin(
    select: Callable[[Corpus], Sequence[Path]], plugin: str, module: str, install: str
) -> Setup:
    def setup(ctx: Context) -> Runner:
        _require_module(module, install)
        pixel_array = _pydicom_pixels("pixel_array")

        return _pixel_array_each(
            pixel_array, select(ctx.corpus), decoding_plugin=plugin
        )

    return setup


def pixel_array_floor(ctx: Context) -> Runner:
    targets = [(str(p), _pixel_offset(p, FRAME_BYTES)) for p in ctx.corpus.ct]
    count = FRAME_BYTES // 2

    def run() -> Any:
        array = None
        for name, offset in targets:
            array = np.fromfile(name, dtype="<i2", count=count, offset=offset)
        return array.reshape(corpus_module.ROWS, corpus_module.COLUMNS)

    return run


def pixel_array_header_floor(ctx: Context) -> Runner:
    dcmread = _dicomcore_dcmread()
    targets = [(str(p), _pixel_offset(p, FRAME_BYTES)) for p in ctx.corpus.ct]
    count = FRAME_BYTES // 2

    def run() -> Any:
        array = None
        for name, offset in targets:
            dcmread(name, stop_before_pixels=True)
            array = np.fromfile(name, dtype="<i2", count=count, offset=offset)
        return array.reshape(corpus_module.ROWS, corpus_module.COLUMNS)

    return run


def _dicomcore_dcmread() -> Callable[..., Any]:
    import dicomcore

    return dicomcore.dcmread  # type: ignore[no-any-return]


def _one_frame(
    pixel_array: Callable[..., Any],
    path: Path,
    before_each: Callable[[], None] | None = None,
) -> Runner:
    name = str(path)

    def run() -> Any:
        frame = None
        for _ in range(FRAME_CALLS):
            if before_each is not None:
                before_each()
            frame = pixel_array(name, index=FRAME_INDEX)
        return frame

    return run


def _frame_cold(ctx: Context) -> Runner:
    """dicomcore's frame 250 with no header kept from the call before."""
    from dicomcore.pixels import known_headers

    return _one_frame(
        _dicomcore_pixels("pixel_array"), ctx.corpus.multiframe, known_headers.clear
    )


def _frame_setups(select: Callable[[Corpus], Path]) -> tuple[Setup, Setup]:
    def ours(ctx: Context) -> Runner:
        return _one_frame(_dicomcore_pixels("pixel_array"), select(ctx.corpus))

    def peer(ctx: Context) -> Runner:
        pixel_array = _pydicom_pixels("pixel_array")

        return _one_frame(pixel_array, select(ctx.corpus))

    return ours, peer


def frame_floor(ctx: Context) -> Runner:
    path = ctx.corpus.multiframe
    frames = corpus_module.MULTIFRAME_FRAMES
    offset = _pixel_offset(path, FRAME_BYTES * frames) + FRAME_INDEX * FRAME_BYTES
    shape = (corpus_module.ROWS, corpus_module.COLUMNS)

    def run() -> Any:
        frame = None
        for _ in range(FRAME_CALLS):
            frame = np.fromfile(
                str(path), dtype="<u2", count=FRAME_BYTES // 2, offset=offset
            )
        return frame.reshape(shape)

    return run


def _all_frames(iter_pixels: Callable[..., Any], path: Path) -> Runner:
    def run() -> Any:
        last = None
        for frame in iter_pixels(str(path)):
            last = frame
        return last

    return run


def _iter_frames(
    library: str,
    select: Callable[[Corpus], Path],
    decoding_plugin: str | None = None,
    module: str | None = None,
) -> Setup:
    """iter_pixels of ``library`` ("dicomcore" or "pydicom") over every frame
    of one file; ``module`` names a codec package the side needs."""

    def setup(ctx: Context) -> Runner:
        if module is not None:
            _require_module(module, f"pylibjpeg pylibjpeg-{module}")
        pixels = _dicomcore_pixels if library == "dicomcore" else _pydicom_pixels
        iter_pixels = pixels("iter_pixels")
        if decoding_plugin is not None:
            iter_pixels = functools.partial(
                iter_pixels, decoding_plugin=decoding_plugin
            )
        return _all_frames(iter_pixels, select(ctx.corpus))

    return setup


def _multiframe_frames(corpus: Corpus) -> Work:
    frames = corpus_module.MULTIFRAME_FRAMES
    return Work(frames, "frames", frames * FRAME_BYTES)


def iter_frames_floor(ctx: Context) -> Runner:
    path = ctx.corpus.multiframe
    frames = corpus_module.MULTIFRAME_FRAMES
    offset = _pixel_offset(path, FRAME_BYTES * frames)
    shape = (corpus_module.ROWS, corpus_module.COLUMNS)

    def run() -> Any:
        frame = None
        with open(path, "rb") as handle:
            handle.seek(offset)
            for _ in range(frames):
                frame = np.fromfile(handle, dtype="<u2", count=FRAME_BYTES // 2)
        return None if frame is None else frame.reshape(shape)

    return run


# --------------------------------------------------------------------------
# encoding: compress each file (read included), and DCMTK tools per file


def _compress_each(
    read: Callable[[str], Any],
    paths: Sequence[Path],
    transfer_syntax: str,
    **options: Any,
) -> Runner:
    names = [str(path) for path in paths]

    # Returns nothing to compare: two correct encoders may write different
    # streams for the same pixels.
    def run() -> None:
        for name in names:
            ds = read(name)
            ds.compress(transfer_syntax, **options)

    return run


def _compress_dicomcore(transfer_syntax: str, plugin: str) -> Setup:
    def setup(ctx: Context) -> Runner:
        import dicomcore

        _dicomcore_compress()
        return _compress_each(
            dicomcore.dcmread,
            ctx.corpus.ct[: len(ctx.corpus.ct_rle)],
            transfer_syntax,
            encoding_plugin=plugin,
        )

    return setup


def _compress_pydicom(
    plugin: str, module: str | None = None, install: str = ""
) -> Setup:
    def setup(ctx: Context) -> Runner:
        if module is not None:
            _require_module(module, install)
        return _compress_each(
            _library("pydicom").dcmread,
            ctx.corpus.ct[: len(ctx.corpus.ct_rle)],
            RLE_LOSSLESS,
            encoding_plugin=plugin,
        )

    return setup


def _tool_each(
    tool: Sequence[str], select: Callable[[Corpus], Sequence[Path]]
) -> Setup:
    def setup(ctx: Context) -> Runner:
        _require_tool(tool[0])
        jobs = [
            [*tool, str(path), str(ctx.scratch / path.name)]
            for path in select(ctx.corpus)
        ]

        def run() -> None:
            for command in jobs:
                run_tool(command)

        return run

    return setup


# --------------------------------------------------------------------------
# conversion of a folder with 1 and 2 workers


def _convert_sources(corpus: Corpus) -> Sequence[Path]:
    # The whole series: on a few dozen files, starting the worker processes
    # would be a large part of the time.
    return corpus.ct


def _convert_dicomcore(workers: int) -> Setup:
    def setup(ctx: Context) -> Runner:
        try:
            batch = importlib.import_module("dicomcore.batch")
        except ImportError as exc:
            raise NotYet("dicomcore.batch") from exc
        convert = getattr(batch, "convert", None)
        if convert is None:
            raise NotYet("dicomcore.batch.convert")
        sources = [str(path) for path in _convert_sources(ctx.corpus)]
        runs = itertools.count()

        def run() -> None:
            # A fresh folder each run: into the same one, a rerun would only
            # resume (skip every finished file).
            destination = str(ctx.scratch / f"run{next(runs)}")
            convert(sources, destination, RLE_LOSSLESS, workers=workers)

        return run

    return setup


def _pydicom_convert_one(source: str, target: str) -> None:
    import pydicom

    ds = pydicom.dcmread(source)
    ds.compress(RLE_LOSSLESS, encoding_plugin="pydicom")
    ds.save_as(target)


def _convert_pydicom(workers: int) -> Setup:
    def setup(ctx: Context) -> Runner:
        sources = [str(path) for path in _convert_sources(ctx.corpus)]
        targets = [str(ctx.scratch / Path(path).name) for path in sources]

        def run() -> None:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                list(pool.map(_pydicom_convert_one, sources, targets))

        return run

    return setup


def _convert_dcmcrle(workers: int) -> Setup:
    def setup(ctx: Context) -> Runner:
        _require_tool("dcmcrle")
        jobs = [
            ["dcmcrle", str(path), str(ctx.scratch / path.name)]
            for path in _convert_sources(ctx.corpus)
        ]

        def run() -> None:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(run_tool, jobs))

        return run

    return setup


# --------------------------------------------------------------------------
# the table of workloads


def _multiframe(corpus: Corpus) -> Path:
    return corpus.multiframe


def _multiframe_rle(corpus: Corpus) -> Path:
    return corpus.multiframe_rle


def _ct(corpus: Corpus) -> Sequence[Path]:
    return corpus.ct


def _ct_rle(corpus: Corpus) -> Sequence[Path]:
    return corpus.ct_rle


def _ct_jpeg(corpus: Corpus) -> Sequence[Path]:
    return corpus.ct_jpeg


def _ct_twin_sources(corpus: Corpus) -> Sequence[Path]:
    return corpus.ct[: len(corpus.ct_rle)]


def _rgb(corpus: Corpus) -> Sequence[Path]:
    return corpus.rgb


def _rgb_rle(corpus: Corpus) -> Sequence[Path]:
    return corpus.rgb_rle


def _rgb_jpeg(corpus: Corpus) -> Sequence[Path]:
    return corpus.rgb_jpeg


def _files(select: Callable[[Corpus], Sequence[Path]], with_bytes: bool = True):
    def work(corpus: Corpus) -> Work:
        paths = select(corpus)
        return Work(len(paths), "files", _files_bytes(paths) if with_bytes else None)

    return work


def _frames(select: Callable[[Corpus], Sequence[Path]], frame_bytes: int = FRAME_BYTES):
    def work(corpus: Corpus) -> Work:
        count = len(select(corpus))
        return Work(count, "frames", count * frame_bytes)

    return work


PYDICOM = "pydicom"
PYDICOM_PYLIBJPEG = "pydicom + pylibjpeg"
PER_PROCESS = "one process per file; its start-up counts"
PYDICOM_OWN_RLE = "pydicom (own RLE decoder)"
DICOMCORE_1_WORKER = "dicomcore, 1 worker"

_pixel_array_ct = _pixel_array_setup(_ct)
_pixel_array_rgb = _pixel_array_setup(_rgb)
_jpeg_decode_ct = _pixel_array_setup(_ct_jpeg)
_jpeg_decode_rgb = _pixel_array_setup(_rgb_jpeg)
_frame_native = _frame_setups(_multiframe)
_frame_rle = _frame_setups(_multiframe_rle)
_frame_jpeg = _frame_setups(lambda corpus: corpus.multiframe_jpeg)


def _pydicom_pylibjpeg(
    select: Callable[[Corpus], Any], *, one_frame: bool = False
) -> Setup:
    """pydicom decoding through its pylibjpeg plugin, named explicitly: left
    to itself pydicom picks GDCM when python-gdcm is installed."""

    def setup(ctx: Context) -> Runner:
        _require_module("libjpeg", "pylibjpeg pylibjpeg-libjpeg")
        pixel_array = functools.partial(
            _pydicom_pixels("pixel_array"), decoding_plugin="pylibjpeg"
        )
        if one_frame:
            return _one_frame(pixel_array, select(ctx.corpus))
        return _pixel_array_each(pixel_array, select(ctx.corpus))

    return setup


def _pydicom_own_rle(select: Callable[[Corpus], Sequence[Path]]) -> Setup:
    def setup(ctx: Context) -> Runner:
        pixel_array = _pydicom_pixels("pixel_array")

        return _pixel_array_each(
            pixel_array, select(ctx.corpus), decoding_plugin="pydicom"
        )

    return setup


def _ours_rle(select: Callable[[Corpus], Sequence[Path]]) -> Setup:
    def setup(ctx: Context) -> Runner:
        return _pixel_array_each(
            _dicomcore_pixels("pixel_array"), select(ctx.corpus), decoding_plugin="rle"
        )

    return setup


# -- the imagecodecs plugin ----------------------------------------------------

PYDICOM_GDCM = "pydicom + GDCM"
IMAGECODECS_JPEG = "imagecodecs-jpeg"


def _rgb_baseline(corpus: Corpus) -> Sequence[Path]:
    """JPEG Baseline (4:2:2 YCbCr) twins of the RGB files, made by DCMTK's
    ``dcmcjpeg +eb`` the first time a workload needs them (outside the
    corpus manifest, so no corpus rebuild)."""
    folder = corpus.root / "rgb_jpeg_baseline"
    twins = [folder / path.name for path in corpus.rgb]
    pairs = zip(corpus.rgb, twins, strict=True)
    missing = [(source, twin) for source, twin in pairs if not twin.exists()]
    if missing:
        _require_tool("dcmcjpeg")
        for source, twin in missing:
            corpus_module.build_twin(["dcmcjpeg", "+eb", "+un"], source, twin)
    return twins


def _ours_imagecodecs(select: Callable[[Corpus], Sequence[Path]]) -> Setup:
    def setup(ctx: Context) -> Runner:
        _require_module("imagecodecs", '"dicomcore[imagecodecs]"')
        return _pixel_array_each(
            _dicomcore_pixels("pixel_array"),
            select(ctx.corpus),
            decoding_plugin=IMAGECODECS_JPEG,
        )

    return setup


def _pydicom_gdcm(select: Callable[[Corpus], Sequence[Path]]) -> Setup:
    return _peer_with_plugin(select, "gdcm", "gdcm", "python-gdcm")


# Lossless archive codecs beside each other: (folder, transfer syntax, encoder)
JPEG_XL_LOSSLESS = (
    "ct_jpegxl",
    "1.2.840.10008.1.2.4.110",
    "imagecodecs-jpegxl-lossless",
)
JPEG_LS_LOSSLESS = (
    "ct_jpegls",
    "1.2.840.10008.1.2.4.80",
    "imagecodecs-jpegls-lossless",
)
HTJ2K_LOSSLESS = ("ct_htj2k", "1.2.840.10008.1.2.4.201", "imagecodecs-htj2k-lossless")


def _ct_twins(codec: tuple[str, str, str]) -> Callable[[Corpus], Sequence[Path]]:
    """Twins of the first 50 CT files in one lossless codec, written by
    dicomcore's compress() the first time a workload needs them (no DCMTK
    tool writes JPEG XL or HTJ2K)."""
    folder_name, transfer_syntax, encoder = codec

    def select(corpus: Corpus) -> Sequence[Path]:
        sources = _ct_twin_sources(corpus)
        folder = corpus.root / folder_name
        twins = [folder / path.name for path in sources]
        pairs = zip(sources, twins, strict=True)
        missing = [(source, twin) for source, twin in pairs if not twin.exists()]
        if missing:
            _require_module("imagecodecs", '"dicomcore[imagecodecs]"')
            import dicomcore

            folder.mkdir(parents=True, exist_ok=True)
            for source, twin in missing:
                ds = dicomcore.dcmread(source)
                ds.compress(transfer_syntax, encoding_plugin=encoder)
                ds.save_as(twin)
        return twins

    return select


def _decode_twins(codec: tuple[str, str, str]) -> Setup:
    def setup(ctx: Context) -> Runner:
        _require_module("imagecodecs", '"dicomcore[imagecodecs]"')
        return _pixel_array_each(
            _dicomcore_pixels("pixel_array"), _ct_twins(codec)(ctx.corpus)
        )

    return setup


def _encode_ct(codec: tuple[str, str, str]) -> Setup:
    def setup(ctx: Context) -> Runner:
        _require_module("imagecodecs", '"dicomcore[imagecodecs]"')
        return _compress_dicomcore(codec[1], codec[2])(ctx)

    return setup


WORKLOADS: tuple[Workload, ...] = (
    Workload(
        "header",
        "dcmread each of the 200 CT files, then PatientName, ImagePositionPatient, "
        "SliceLocation, PixelSpacing and InstanceNumber",
        _files(_ct, with_bytes=False),
        _header("dicomcore"),
        (
            Peer(PYDICOM, _header("pydicom")),
            Peer(
                "floor: open().read()",
                header_read_floor,
                "the file bytes, no parsing: what reading the whole file costs "
                "either library before any element is walked",
            ),
        ),
        "defaults of each library: both read a file of at most 16 MiB whole, "
        "Pixel Data included (dicomcore keeps it as read, in that one buffer: "
        "#28's promise that `open(path, 'wb')` then `save_as(f)` loses nothing), "
        "so the file's bytes bound the ratio; header-no-pixels is the header "
        "walk itself",
        Requirement(PYDICOM, 2.0, "#3"),
    ),
    Workload(
        "header-no-pixels",
        "as header, with stop_before_pixels=True for both: the header walk, "
        "Pixel Data's bytes untouched",
        _files(_ct, with_bytes=False),
        _header("dicomcore", stop_before_pixels=True),
        (Peer(PYDICOM, _header("pydicom", stop_before_pixels=True)),),
        "",
        Requirement(PYDICOM, 4.0, "#27"),
    ),
    Workload(
        "full-read",
        "dcmread each of the 200 CT files and take ds.PixelData (bytes)",
        _files(_ct),
        _full_read("dicomcore"),
        (
            Peer(PYDICOM, _full_read("pydicom")),
            Peer("floor: open().read()", full_read_floor, "the file bytes, no parsing"),
        ),
    ),
    Workload(
        "write",
        "save_as of the 200 CT datasets (read before timing, Pixel Data in memory) "
        "into a folder on the corpus's file system, overwriting the previous run",
        _files(_ct),
        _write_files("dicomcore"),
        (
            Peer(PYDICOM, _write_files("pydicom")),
            Peer("floor: open().write()", write_floor, "the file bytes, no fsync"),
        ),
        "dicomcore writes a temporary file and renames it into place; "
        "pydicom writes in place",
    ),
    Workload(
        "write-buffer",
        "dcmwrite of the same 200 datasets into an io.BytesIO: encoding alone",
        _files(_ct),
        _write_buffers("dicomcore"),
        (Peer(PYDICOM, _write_buffers("pydicom")),),
    ),
    Workload(
        "pixel_array",
        "pixels.pixel_array(path) for each of the 200 CT files (int16)",
        _frames(_ct),
        _pixel_array_ct[0],
        (
            Peer(PYDICOM, _pixel_array_ct[1]),
            Peer(GDCM, _gdcm_each(_ct), GDCM_NOTE),
            Peer("floor: np.fromfile", pixel_array_floor, "the Pixel Data bytes only"),
            Peer(
                STOP_BEFORE_PIXELS_FLOOR,
                pixel_array_header_floor,
                "dicomcore's dcmread(stop_before_pixels=True), then np.fromfile "
                "of the Pixel Data",
            ),
        ),
        "",
        Requirement(PYDICOM, 2.5, "#27"),
        (Requirement(STOP_BEFORE_PIXELS_FLOOR, 1.0, "#27"),),
    ),
    Workload(
        "pixel_array-rgb",
        "pixels.pixel_array(path) for each of the 50 RGB files",
        _frames(_rgb, RGB_BYTES),
        _pixel_array_rgb[0],
        (Peer(PYDICOM, _pixel_array_rgb[1]),),
    ),
    Workload(
        "frame-250",
        f"pixels.pixel_array(path, index=250) of the 500-frame file, "
        f"{FRAME_CALLS} calls",
        lambda corpus: Work(FRAME_CALLS, "frames", FRAME_CALLS * FRAME_BYTES),
        _frame_native[0],
        (
            Peer(PYDICOM, _frame_native[1]),
            Peer("floor: np.fromfile", frame_floor, "that frame's bytes only"),
        ),
        "from the second call on, dicomcore checks the header it kept (size, "
        "mtime and the header's bytes) instead of parsing it: frame-250-cold "
        "forgets it before each call",
        Requirement("floor: np.fromfile", 0.4, "#27"),
    ),
    Workload(
        "frame-250-cold",
        f"as frame-250, every call reading the header afresh ({FRAME_CALLS} calls)",
        lambda corpus: Work(FRAME_CALLS, "frames", FRAME_CALLS * FRAME_BYTES),
        _frame_cold,
        (
            Peer(PYDICOM, _frame_native[1]),
            Peer("floor: np.fromfile", frame_floor, "that frame's bytes only"),
        ),
    ),
    Workload(
        "frame-250-rle",
        f"as frame-250, on the RLE twin ({FRAME_CALLS} calls)",
        lambda corpus: Work(FRAME_CALLS, "frames", FRAME_CALLS * FRAME_BYTES),
        _frame_rle[0],
        (Peer(PYDICOM, _frame_rle[1]),),
    ),
    Workload(
        "frame-250-jpeg",
        f"as frame-250, on the JPEG Lossless SV1 twin ({FRAME_CALLS} calls)",
        lambda corpus: Work(FRAME_CALLS, "frames", FRAME_CALLS * FRAME_BYTES),
        _frame_jpeg[0],
        (
            Peer(
                PYDICOM_PYLIBJPEG,
                _pydicom_pylibjpeg(
                    lambda corpus: corpus.multiframe_jpeg, one_frame=True
                ),
            ),
        ),
    ),
    Workload(
        "iter-frames",
        "pixels.iter_pixels(path) over all 500 frames of the multi-frame file",
        _multiframe_frames,
        _iter_frames("dicomcore", _multiframe),
        (
            Peer(PYDICOM, _iter_frames("pydicom", _multiframe)),
            Peer("floor: np.fromfile", iter_frames_floor, "each frame's bytes in turn"),
        ),
        "",
        Requirement("floor: np.fromfile", 0.9, "#27"),
    ),
    Workload(
        "rle-decode",
        "pixel_array of the 50 RLE Lossless CT files (dicomcore's bundled rle plugin)",
        _frames(_ct_rle),
        _ours_rle(_ct_rle),
        (
            Peer(PYDICOM_OWN_RLE, _pydicom_own_rle(_ct_rle)),
            Peer(
                "pydicom + pylibjpeg-rle",
                _peer_with_plugin(_ct_rle, "pylibjpeg", "rle", "pylibjpeg-rle"),
            ),
            Peer(GDCM, _gdcm_each(_ct_rle), GDCM_NOTE),
            Peer(
                "dcmdrle",
                _tool_each(["dcmdrle"], _ct_rle),
                PER_PROCESS + "; writes a file",
            ),
        ),
        requirement=Requirement(PYDICOM_OWN_RLE, 2.0, "#9"),
    ),
    Workload(
        "rle-decode-500",
        "pixels.iter_pixels(path) over all 500 frames of the RLE Lossless twin "
        "of the multi-frame file",
        _multiframe_frames,
        _iter_frames("dicomcore", _multiframe_rle, "rle"),
        (
            Peer(PYDICOM_OWN_RLE, _iter_frames("pydicom", _multiframe_rle, "pydicom")),
            Peer(
                "pydicom + pylibjpeg-rle",
                _iter_frames("pydicom", _multiframe_rle, "pylibjpeg", "rle"),
            ),
        ),
        requirement=Requirement(PYDICOM_OWN_RLE, 2.0, "#9"),
    ),
    Workload(
        "rle-decode-rgb",
        "pixel_array of the 50 RLE Lossless RGB files",
        _frames(_rgb_rle, RGB_BYTES),
        _ours_rle(_rgb_rle),
        (Peer(PYDICOM_OWN_RLE, _pydicom_own_rle(_rgb_rle)),),
    ),
    Workload(
        "rle-encode",
        "dcmread + Dataset.compress(RLELossless) of the first 50 CT files, in memory",
        _frames(_ct_twin_sources),
        _compress_dicomcore(RLE_LOSSLESS, "rle"),
        (
            Peer("pydicom (own RLE encoder)", _compress_pydicom("pydicom")),
            Peer(
                "pydicom + pylibjpeg-rle",
                _compress_pydicom("pylibjpeg", "rle", "pylibjpeg-rle"),
            ),
            Peer(
                "dcmcrle",
                _tool_each(["dcmcrle"], _ct_twin_sources),
                PER_PROCESS + "; writes a file",
            ),
        ),
        requirement=Requirement("pydicom (own RLE encoder)", 10.0, "#9"),
    ),
    Workload(
        "jpeg-decode",
        "pixel_array of the 50 JPEG Lossless SV1 CT files",
        _frames(_ct_jpeg),
        _jpeg_decode_ct[0],
        (
            Peer(PYDICOM_PYLIBJPEG, _pydicom_pylibjpeg(_ct_jpeg)),
            Peer(GDCM, _gdcm_each(_ct_jpeg), GDCM_NOTE),
            Peer(
                "dcmdjpeg",
                _tool_each(["dcmdjpeg"], _ct_jpeg),
                PER_PROCESS + "; writes a file",
            ),
        ),
        "dicomcore decodes JPEG through its optional pylibjpeg plugin",
        Requirement(PYDICOM_PYLIBJPEG, 0.95, "#10"),
    ),
    Workload(
        "jpeg-decode-rgb",
        "pixel_array of the 50 JPEG Lossless SV1 RGB files",
        _frames(_rgb_jpeg, RGB_BYTES),
        _jpeg_decode_rgb[0],
        (Peer(PYDICOM_PYLIBJPEG, _pydicom_pylibjpeg(_rgb_jpeg)),),
    ),
    Workload(
        "jpeg-encode",
        "dcmread + Dataset.compress(JPEGLosslessSV1) of the first 50 CT files, "
        "in memory (dicomcore's jpeg-lossless encoder)",
        _frames(_ct_twin_sources),
        _compress_dicomcore(JPEG_LOSSLESS_SV1, "jpeg-lossless"),
        (
            Peer(
                "dcmcjpeg +e1",
                _tool_each(["dcmcjpeg", "+e1"], _ct_twin_sources),
                PER_PROCESS + "; writes a file; pydicom cannot encode JPEG Lossless",
            ),
        ),
    ),
    Workload(
        "convert-1w",
        "the 200 CT files to RLE Lossless files in a folder, 1 worker",
        _files(_convert_sources),
        _convert_dicomcore(1),
        (
            Peer("pydicom, 1 process", _convert_pydicom(1), "ProcessPoolExecutor"),
            Peer("dcmcrle, 1 at a time", _convert_dcmcrle(1)),
        ),
        "dicomcore side: dicomcore.batch.convert(sources, folder, uid, workers=N)",
    ),
    Workload(
        "convert-2w",
        "as convert-1w, 2 workers",
        _files(_convert_sources),
        _convert_dicomcore(2),
        (
            Peer(
                DICOMCORE_1_WORKER, _convert_dicomcore(1), "the scaling from 1 worker"
            ),
            Peer("pydicom, 2 processes", _convert_pydicom(2), "ProcessPoolExecutor"),
            Peer("dcmcrle, 2 at a time", _convert_dcmcrle(2)),
        ),
        requirement=Requirement(DICOMCORE_1_WORKER, 1.7, "#12"),
    ),
    Workload(
        "imagecodecs-jpeg-decode",
        "pixel_array of the 50 JPEG Lossless SV1 CT files through the optional "
        "imagecodecs plugin (libjpeg-turbo)",
        _frames(_ct_jpeg),
        _ours_imagecodecs(_ct_jpeg),
        (
            Peer(PYDICOM_PYLIBJPEG, _pydicom_pylibjpeg(_ct_jpeg)),
            Peer(PYDICOM_GDCM, _pydicom_gdcm(_ct_jpeg), "pydicom's gdcm plugin"),
        ),
        "decoding_plugin='imagecodecs-jpeg' on dicomcore's side",
        Requirement(PYDICOM_PYLIBJPEG, 4.0, "imagecodecs plugin"),
    ),
    Workload(
        "imagecodecs-jpeg-decode-gdcm",
        "as imagecodecs-jpeg-decode, beside pydicom's GDCM plugin alone",
        _frames(_ct_jpeg),
        _ours_imagecodecs(_ct_jpeg),
        (Peer(PYDICOM_GDCM, _pydicom_gdcm(_ct_jpeg), "pydicom's gdcm plugin"),),
        requirement=Requirement(PYDICOM_GDCM, 2.0, "imagecodecs plugin"),
    ),
    Workload(
        "imagecodecs-baseline-decode",
        "pixel_array (RGB out) of JPEG Baseline 8-bit 4:2:2 twins of the 50 RGB "
        "files, made by dcmcjpeg +eb, through the imagecodecs plugin",
        _frames(_rgb_baseline, RGB_BYTES),
        _ours_imagecodecs(_rgb_baseline),
        (
            Peer(PYDICOM_PYLIBJPEG, _pydicom_pylibjpeg(_rgb_baseline)),
            Peer(PYDICOM_GDCM, _pydicom_gdcm(_rgb_baseline), "pydicom's gdcm plugin"),
        ),
        "lossy colour: the libraries' upsampling and YCbCr -> RGB round apart "
        "(pylibjpeg-libjpeg by up to 14 levels from DCMTK; libjpeg-turbo and "
        "dicomcore's conversion by 1), so results differ by design",
        Requirement(PYDICOM_PYLIBJPEG, 2.0, "imagecodecs plugin"),
    ),
    Workload(
        "jpegxl-lossless-encode",
        "dcmread + Dataset.compress(JPEGXLLossless) of the first 50 CT files, in "
        "memory, beside JPEG-LS and HTJ2K lossless (all through imagecodecs)",
        _frames(_ct_twin_sources),
        _encode_ct(JPEG_XL_LOSSLESS),
        (
            Peer("dicomcore, JPEG-LS lossless", _encode_ct(JPEG_LS_LOSSLESS)),
            Peer("dicomcore, HTJ2K lossless", _encode_ct(HTJ2K_LOSSLESS)),
        ),
        "sizes: python -m benchmarks.archive_codecs",
    ),
    Workload(
        "jpegxl-lossless-decode",
        "pixel_array of JPEG XL lossless twins of the first 50 CT files, beside "
        "JPEG-LS and HTJ2K lossless twins (compress() writes them on first use)",
        _frames(_ct_twin_sources),
        _decode_twins(JPEG_XL_LOSSLESS),
        (
            Peer("dicomcore, JPEG-LS lossless", _decode_twins(JPEG_LS_LOSSLESS)),
            Peer("dicomcore, HTJ2K lossless", _decode_twins(HTJ2K_LOSSLESS)),
        ),
    ),
)


# --------------------------------------------------------------------------
# running


NOT_YET_ERRORS: tuple[type[BaseException], ...] = (
    NotYet,
    NotImplementedError,
    ImportError,
)


def _not_yet_errors() -> tuple[type[BaseException], ...]:
    try:
        from dicomcore.errors import NoCodecError
    except ImportError:
        return NOT_YET_ERRORS
    return (*NOT_YET_ERRORS, NoCodecError)


@dataclass
class SideResult:
    name: str
    note: str = ""
    status: str = "ok"  # ok, not yet, unavailable, error
    reason: str = ""
    times: list[float] = field(default_factory=list)
    by_round: dict[int, float] = field(default_factory=dict)
    memory: int | None = None  # bytes
    first_result: Any = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text if len(text) < 140 else text[:137] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _prepare(
    setup: Setup, ctx: Context, result: SideResult, ours: bool
) -> Runner | None:
    """Set up a side and run it once untimed; None when it cannot run."""
    not_yet = _not_yet_errors() if ours else ()
    try:
        runner = setup(ctx)
        result.first_result = runner()
    except NotYet as exc:
        result.status, result.reason = "not yet", str(exc)
    except Unavailable as exc:
        result.status, result.reason = "unavailable", str(exc)
    except not_yet as exc:  # type: ignore[misc]  # a tuple of classes
        result.status, result.reason = "not yet", _short(exc)
    except Exception as exc:  # shown in the table; one broken side stops nothing
        result.status, result.reason = "error", _short(exc)
    else:
        return runner
    return None


def _scratch(corpus: Corpus, *parts: str) -> Path:
    folder = corpus.root.joinpath(".scratch", *parts)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _sides(workload: Workload) -> list[tuple[str, Setup, str]]:
    return [("dicomcore", workload.ours, "")] + [
        (peer.name, peer.setup, peer.note) for peer in workload.peers
    ]


# A workload whose first round (every side once) takes less than this many
# seconds runs SHORT_ROUND_FACTOR times the rounds asked for.
SHORT_ROUND = 1.0
SHORT_ROUND_FACTOR = 3


def time_workload(workload: Workload, corpus: Corpus, rounds: int) -> list[SideResult]:
    """Warm up every side, then ``rounds`` rounds in rotating order
    (``SHORT_ROUND_FACTOR`` times as many when a round is short)."""
    results: list[SideResult] = []
    runners: list[Runner | None] = []
    for index, (name, setup, note) in enumerate(_sides(workload)):
        result = SideResult(name, note)
        ctx = Context(corpus, _scratch(corpus, workload.name, str(index)))
        runners.append(_prepare(setup, ctx, result, ours=index == 0))
        results.append(result)
    live = [index for index, runner in enumerate(runners) if runner is not None]
    paired = _floor_side(workload, results)
    total_rounds = rounds
    round_number = 0
    while round_number < total_rounds:
        round_started = time.perf_counter()
        for index in _round_order(live, round_number, paired):
            runner = runners[index]
            assert runner is not None
            gc.collect()
            started = time.perf_counter()
            try:
                runner()
            except Exception as exc:  # a side that fails later is shown, not fatal
                results[index].status, results[index].reason = "error", _short(exc)
                runners[index] = None
                continue
            elapsed = time.perf_counter() - started
            results[index].times.append(elapsed)
            results[index].by_round[round_number] = elapsed
        live = [index for index in live if runners[index] is not None]
        if round_number == 0 and time.perf_counter() - round_started < SHORT_ROUND:
            # A round this short is moved most by the machine's own swings:
            # more of them cost little and steady the medians.
            total_rounds = rounds * SHORT_ROUND_FACTOR
        round_number += 1
    shutil.rmtree(corpus.root / ".scratch" / workload.name, ignore_errors=True)
    return results


def _floor_side(workload: Workload, results: list[SideResult]) -> int | None:
    """The index of the side an issue's floor compares dicomcore with."""
    requirement = workload.requirement
    if requirement is None:
        return None
    for index, result in enumerate(results):
        if index and result.name == requirement.peer:
            return index
    return None


def _round_order(live: list[int], round_number: int, paired: int | None) -> list[int]:
    """The sides' order in one round: rotating from round to round, with the
    floor's peer (if any) right beside dicomcore, after it in even rounds
    and before it in odd ones, so that the ratio a floor is judged on comes
    from two runs back to back, whatever the machine does in between."""
    shift = round_number % len(live) if live else 0
    order = live[shift:] + live[:shift]
    if paired is None or paired not in order or 0 not in order:
        return order
    order.remove(paired)
    ours = order.index(0)
    order.insert(ours + 1 if round_number % 2 == 0 else ours, paired)
    return order


def probe_memory(workload_name: str, side_index: int) -> dict[str, Any]:
    """Run in a fresh interpreter: the peak memory of one run of one side.

    After setup and one untraced run, a second run is traced: the figure is
    tracemalloc's peak (Python objects and numpy buffers allocated during the
    run) plus the peak RSS of the largest child process: a DCMTK tool as GNU
    time measures it, or a worker process (forked, so the parent's pages it
    shares count); a fresh interpreter, so that no earlier child counts.
    """
    workload = {w.name: w for w in WORKLOADS}[workload_name]
    corpus = Corpus.at(corpus_module.DEFAULT_ROOT)
    name, setup, _ = _sides(workload)[side_index]
    ctx = Context(corpus, _scratch(corpus, "probe", workload.name, str(side_index)))
    result = SideResult(name)
    runner = _prepare(setup, ctx, result, ours=side_index == 0)
    if runner is None:
        return {"status": result.status, "reason": result.reason}
    gc.collect()
    _ToolMemory.watching = True
    tracemalloc.start()
    try:
        runner()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        _ToolMemory.watching = False
    if _ToolMemory.unmeasured:
        return {"status": "unmeasured"}  # install GNU time (package "time")
    if _ToolMemory.peak is not None:
        children = _ToolMemory.peak
    else:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    shutil.rmtree(corpus.root / ".scratch" / "probe", ignore_errors=True)
    return {"status": "ok", "memory": peak + children}


def measure_memory(workload: Workload, results: list[SideResult]) -> None:
    for index, result in enumerate(results):
        if result.status != "ok":
            continue
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.run",
                "--probe",
                workload.name,
                str(index),
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )
        lines = proc.stdout.strip().splitlines()
        try:
            answer = json.loads(lines[-1])
        except (IndexError, ValueError):
            continue
        if answer.get("status") == "ok":
            result.memory = int(answer["memory"])


def _same(a: Any, b: Any) -> bool | None:
    """Whether two sides' results agree; None when either gives none."""
    if a is None or b is None:
        return None
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b))
    return bool(a == b)


# --------------------------------------------------------------------------
# the report


def _format_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _format_rate(work: Work, seconds: float) -> str:
    rate = f"{work.count / seconds:,.0f} {work.unit}/s"
    if work.nbytes:
        rate += f", {work.nbytes / seconds / 1e6:,.0f} MB/s"
    return rate


def _format_memory(value: int | None) -> str:
    return "—" if value is None else f"{value / 1e6:.1f}"


def _cell(result: SideResult, work: Work) -> str:
    if result.status != "ok":
        return f"{result.status} ({result.reason})" if result.reason else result.status
    median = result.median
    assert median is not None
    return f"{_format_time(median)} ({_format_rate(work, median)})"


def paired_ratio(ours: SideResult, peer: SideResult) -> float | None:
    """The median over rounds of peer time / dicomcore time in the same round:
    a slow round (another job on the machine) slows both sides alike."""
    ratios = [
        peer.by_round[number] / ours.by_round[number]
        for number in ours.by_round
        if number in peer.by_round and ours.by_round[number] > 0
    ]
    return statistics.median(ratios) if ratios else None


def requirement_lines(workload: Workload, results: list[SideResult]) -> list[str]:
    """The workload's floors and whether this run meets them."""
    if workload.requirement is None:
        return []
    lines = []
    for requirement in (workload.requirement, *workload.more_requirements):
        peer = next((r for r in results[1:] if r.name == requirement.peer), None)
        ratio = None if peer is None else paired_ratio(results[0], peer)
        if ratio is None:
            verdict = "not measured"
        else:
            met = "meets" if ratio >= requirement.floor else "**DOES NOT MEET**"
            verdict = f"{ratio:.2f}x, {met} the floor"
        lines.append(
            f"- {workload.name} ({requirement.issue}): >= {requirement.floor:g}x "
            f"{requirement.peer}: {verdict}"
        )
    return lines


def table_rows(
    workload: Workload, work: Work, results: list[SideResult]
) -> list[list[str]]:
    ours = results[0]
    rows = []
    for peer in results[1:]:
        ratio = "—"
        paired = paired_ratio(ours, peer)
        if paired is not None:
            ratio = f"{paired:.2f}x"
        first = peer is results[1]
        notes = [text for text in (workload.notes if first else "", peer.note) if text]
        agreement = _same(ours.first_result, peer.first_result)
        if agreement is False:
            notes.insert(0, "**RESULTS DIFFER**")
        memory = "—"
        if ours.memory is not None or peer.memory is not None:
            memory = f"{_format_memory(ours.memory)} / {_format_memory(peer.memory)} MB"
        rows.append(
            [
                workload.name,
                _cell(ours, work),
                peer.name,
                _cell(peer, work),
                ratio,
                memory,
                "; ".join(notes),
            ]
        )
    return rows


HEADER = [
    "workload",
    "dicomcore",
    "peer",
    "peer time",
    "ratio",
    "peak memory ours / peer",
    "notes",
]


def markdown_table(rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(HEADER), line(["---"] * len(HEADER)), *map(line, rows)])


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _dcmtk_version() -> str:
    try:
        proc = subprocess.run(["dcmdump", "--version"], capture_output=True, text=True)
    except OSError:
        return "not installed"
    return proc.stdout.splitlines()[0].strip(" $") if proc.stdout else "unknown"


def environment() -> list[str]:
    import dicomcore

    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            memory = f", {int(meminfo.readline().split()[1]) / 1024**2:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    blas = {
        key: value for key, value in os.environ.items() if key.startswith("OPENBLAS")
    }
    return [
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {os.cpu_count()} CPUs ({_cpu_model()}){memory}, "
        f"{platform.system()} {platform.release()}",
        f"- python {platform.python_version()}, numpy {np.__version__}, "
        f"pydicom {_version('pydicom')}, dicomcore {dicomcore.__version__}",
        f"- pylibjpeg {_version('pylibjpeg')}, pylibjpeg-libjpeg "
        f"{_version('pylibjpeg-libjpeg')}, pylibjpeg-rle {_version('pylibjpeg-rle')}; "
        f"{_dcmtk_version()}",
        f"- OPENBLAS_* environment: {blas or 'unset'} (numpy's BLAS plays no part)",
    ]


def write_report(
    rows: list[list[str]], lines_before: list[str], workloads: Sequence[Workload]
) -> str:
    legend = [f"- `{w.name}`: {w.description}" for w in workloads]
    text = "\n".join(
        [
            "# dicomcore benchmark results",
            "",
            *lines_before,
            "",
            markdown_table(rows),
            "",
            "ratio = peer time / dicomcore time (above 1: dicomcore is faster), the "
            "median of the ratios of the same round; times are medians of the rounds. "
            "Peak memory: tracemalloc's peak during one run in a fresh process, plus "
            "the peak RSS of the largest child process (see benchmarks/README.md).",
            "",
            "## Workloads",
            "",
            *legend,
            "",
        ]
    )
    RESULTS.write_text(text)
    return text


def _warm_page_cache(corpus: Corpus) -> None:
    for path in corpus.all_files():
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time dicomcore against named peers.")
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 5")
    parser.add_argument("--rounds", type=int, help="timed rounds per workload")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run the workloads matching NAME (a name or a glob; repeatable)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the corpus first"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip peak memory")
    parser.add_argument(
        "--list", action="store_true", help="list the workloads and exit"
    )
    parser.add_argument(
        "--probe", nargs=2, metavar=("WORKLOAD", "SIDE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # a warning per file would be timed too

    if args.probe:
        print(json.dumps(probe_memory(args.probe[0], int(args.probe[1]))))
        return 0
    if args.list:
        for workload in WORKLOADS:
            peers = ", ".join(peer.name for peer in workload.peers)
            print(f"{workload.name:18} vs {peers}\n{'':18}    {workload.description}")
        return 0

    selected = [
        w
        for w in WORKLOADS
        if not args.only
        or any(fnmatch.fnmatchcase(w.name, pattern) for pattern in args.only)
    ]
    if not selected:
        parser.error(f"no workload matches {args.only}; see --list")
    rounds = args.rounds or (3 if args.quick else 5)

    corpus = corpus_module.ensure(rebuild=args.rebuild)
    print("warming the page cache ...", flush=True)
    _warm_page_cache(corpus)

    rows: list[list[str]] = []
    verdicts: list[str] = []
    load_before = os.getloadavg()[0]
    for workload in selected:
        print(f"{workload.name}: {workload.description}", flush=True)
        work = workload.work(corpus)
        results = time_workload(workload, corpus, rounds)
        if not args.no_memory:
            measure_memory(workload, results)
        for result in results:
            spread = ""
            if result.times:
                low, high = min(result.times), max(result.times)
                spread = f"  [{_format_time(low)} .. {_format_time(high)}]"
            print(f"  {result.name:28} {_cell(result, work)}{spread}", flush=True)
        rows += table_rows(workload, work, results)
        verdicts += requirement_lines(workload, results)

    shutil.rmtree(corpus.root / ".scratch", ignore_errors=True)
    lines_before = environment() + [
        f"- rounds: {rounds} (median; {rounds * SHORT_ROUND_FACTOR} for a workload "
        f"whose round takes under {SHORT_ROUND:g} s), after one untimed run of "
        "each side" + (f"; only {', '.join(args.only)}" if args.only else ""),
        f"- load average (1 min) before / after: {load_before:.2f} / "
        f"{os.getloadavg()[0]:.2f} (other work on the machine makes times noisy)",
        f"- corpus: {corpus.root} (corpus version {corpus_module.CORPUS_VERSION})",
    ]
    if verdicts:
        lines_before += ["", "Floors the issues set (ratio as in the table):", ""]
        lines_before += verdicts
    text = write_report(rows, lines_before, selected)
    print()
    print(text)
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
