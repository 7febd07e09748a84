"""Decode speed and agreement of the decoders installed for each syntax.

The evidence behind the ``imagecodecs`` plugin's decoder priorities (see
docs/plugins.md, "The imagecodecs plugin: measured priorities").  Not a
timed test and not one of ``benchmarks.run``'s workloads: it compares
dicomcore's own decoder records with each other, on files that DCMTK, GDCM
and (for HTJ2K) imagecodecs make here from the benchmark corpus's pixels,
and checks each decoder's output against DCMTK's or GDCM's decoding of the
same file.

    python -m benchmarks.codec_priorities [--slices 8] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import dicomcore
from benchmarks.corpus import ct_stored_values, rgb_values
from dicomcore.pixels import compress, decoders_for, pixel_array

SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7"


def _native(path: Path, array: np.ndarray, photometric: str, bits: int) -> Path:
    ds = dicomcore.Dataset()
    ds.SOPClassUID = SC_IMAGE_STORAGE
    ds.SOPInstanceUID = dicomcore.uid.generate_uid()
    ds.set_pixel_data(array, photometric, bits)
    ds.save_as(path)
    return path


def _tool(*arguments: object) -> None:
    subprocess.run([str(a) for a in arguments], check=True, capture_output=True)


def _ct8(index: int) -> np.ndarray:
    """A CT slice in a soft-tissue window, 8 bits."""
    stored = ct_stored_values(index).astype(np.float64) - 1024
    return np.clip((stored + 160) * 255 / 400, 0, 255).astype(np.uint8)


# name -> (source pixels, photometric, bits stored, how the twin is made,
#          how DCMTK or GDCM decodes it)
def _cases(slices: int) -> dict[str, tuple]:
    ct = [ct_stored_values(i) for i in range(slices)]
    ct8 = [_ct8(i) for i in range(slices)]
    rgb = [rgb_values(i) for i in range(slices)]
    return {
        "JPEG Lossless SV1, CT 16-bit": (
            ct,
            "MONOCHROME2",
            16,
            ["dcmcjpeg", "+e1"],
            ["dcmdjpeg"],
        ),
        "JPEG Baseline, CT 8-bit": (
            ct8,
            "MONOCHROME2",
            8,
            ["dcmcjpeg", "+eb"],
            ["dcmdjpeg"],
        ),
        "JPEG Baseline, RGB 4:2:2": (rgb, "RGB", 8, ["dcmcjpeg", "+eb"], ["dcmdjpeg"]),
        "JPEG-LS Lossless, CT 16-bit": (
            ct,
            "MONOCHROME2",
            16,
            ["dcmcjpls"],
            ["dcmdjpls"],
        ),
        "JPEG 2000 Lossless, CT 16-bit": (
            ct,
            "MONOCHROME2",
            16,
            ["gdcmconv", "--j2k"],
            ["gdcmconv", "--raw"],
        ),
        "HTJ2K Lossless, CT 16-bit": (
            ct,
            "MONOCHROME2",
            16,
            "1.2.840.10008.1.2.4.201",
            ["ojph"],
        ),
    }


def _best(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _witness(command: Sequence[str], path: Path, out: Path) -> np.ndarray | None:
    if command == ["ojph"]:
        return None  # OpenJPH's ojph_expand is checked in the interop tests
    _tool(*command, path, out)
    return pixel_array(out)


_HEADER = (
    "| decoder | priority | ms per frame | vs fastest | "
    "largest difference from DCMTK/GDCM |\n| --- | --- | --- | --- | --- |"
)


def _make_twins(case: tuple, work: Path) -> tuple[list[Path], list[Any]]:
    """The compressed twins of a case's images and the tools' decoding."""
    arrays, photometric, bits, make, decode = case
    files, witnesses = [], []
    for index, array in enumerate(arrays):
        source = _native(work / f"src{index}.dcm", array, photometric, bits)
        twin = work / f"twin{index}.dcm"
        if isinstance(make, str):
            ds = dicomcore.dcmread(source)
            compress(ds, make, encoding_plugin="imagecodecs-htj2k-lossless")
            ds.save_as(twin)
        else:
            _tool(*make, source, twin)
        files.append(twin)
        witnesses.append(_witness(decode, twin, work / f"out{index}.dcm"))
    return files, witnesses


def _measure(
    name: str, files: list[Path], witnesses: list[Any], rounds: int
) -> tuple[float | None, str]:
    """(seconds per frame, agreement) of one decoder on the files."""

    def run() -> list[np.ndarray]:
        return [pixel_array(path, decoding_plugin=name) for path in files]

    try:
        outputs = run()
    except Exception as error:  # noqa: BLE001 - reported in the table
        return None, f"fails: {error}"
    seconds = _best(run, rounds) / len(files)
    if witnesses[0] is None:
        return seconds, "not checked here"
    largest = max(
        int(np.abs(o.astype(np.int64) - w.astype(np.int64)).max())
        for o, w in zip(outputs, witnesses, strict=True)
    )
    return seconds, str(largest)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="dicomcore-priorities-"))
    try:
        for title, case in _cases(args.slices).items():
            files, witnesses = _make_twins(case, work)
            meta = dicomcore.dcmread(files[0]).file_meta
            transfer_syntax = str(meta.TransferSyntaxUID)
            print(f"\n{title} ({transfer_syntax}, {len(files)} frames of 512x512)")
            print(_HEADER)
            rows = []
            for decoder in decoders_for(transfer_syntax):
                if not decoder.missing():
                    seconds, agreement = _measure(
                        decoder.name, files, witnesses, args.rounds
                    )
                    rows.append((decoder.name, decoder.priority, seconds, agreement))
            fastest = min(r[2] for r in rows if r[2] is not None)
            for name, priority, seconds, agreement in rows:
                speed = (
                    "- | -"
                    if seconds is None
                    else f"{seconds * 1000:.2f} | {seconds / fastest:.2f}x"
                )
                print(f"| {name} | {priority} | {speed} | {agreement} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
