"""Shared by the tests of the optional codec plugins (pylibjpeg family).

Reads the committed test files and their manifest, decodes native output of
DCMTK and GDCM the way the manifest's hashes were taken (masked to Bits
Stored, sign-extended, interleaved), and writes encapsulated files for the
tools to decode.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dicomcore import Dataset, dcmread
from dicomcore.io.encapsulation import encapsulate, generate_frames
from dicomcore.pixels import DecodedFrame, PixelLayout
from dicomcore.testing import ReferenceFrame

TESTFILES = Path(__file__).resolve().parents[2] / "testfiles"
MANIFEST: list[dict[str, Any]] = json.loads((TESTFILES / "manifest.json").read_text())
RECORDS = {record["file"]: record for record in MANIFEST}

JPEG_LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51"}
JPEG_LOSSLESS = {"1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"}
JPEG_LS = {"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"}
JPEG_2000 = {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"}
RLE = {"1.2.840.10008.1.2.5"}


def records(transfer_syntaxes: set[str]) -> list[dict[str, Any]]:
    return [r for r in MANIFEST if r["transfer_syntax"] in transfer_syntaxes]


def ids(chosen: Sequence[dict[str, Any]]) -> list[str]:
    return [record["file"].removesuffix(".dcm") for record in chosen]


def frames_of(path: Path) -> tuple[PixelLayout, list[bytes]]:
    """The layout of an encapsulated file and each frame's bytes."""
    ds = dcmread(path)
    layout = PixelLayout.from_dataset(ds)
    frames = list(
        generate_frames(ds.PixelData, number_of_frames=layout.number_of_frames)
    )
    assert len(frames) == layout.number_of_frames
    return layout, frames


def apply_bits_stored(array: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """Mask to Bits Stored, or sign-extend from it, as the manifest's arrays are."""
    bits = array.dtype.itemsize * 8
    shift = bits - layout.bits_stored
    if not shift:
        return array
    if layout.is_signed:
        return (array << shift) >> shift
    return array & array.dtype.type((1 << layout.bits_stored) - 1)


def native_pixels(path: Path) -> np.ndarray:
    """The pixels of a native little endian file, shaped as in the manifest."""
    ds = dcmread(path)
    layout = PixelLayout.from_dataset(ds)
    assert layout.transfer_syntax in ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1")
    count = layout.pixels_per_frame * layout.samples_per_pixel * layout.number_of_frames
    data = np.frombuffer(ds.PixelData, layout.dtype.newbyteorder("<"), count)
    data = data.astype(layout.dtype)
    frames = layout.number_of_frames
    if layout.samples_per_pixel > 1 and layout.planar_configuration == 1:
        planes = data.reshape(frames, layout.samples_per_pixel, *layout.frame_shape[:2])
        data = np.moveaxis(planes, 1, -1)
    array = data.reshape(frames, *layout.frame_shape)
    array = apply_bits_stored(array, layout)
    return array[0] if frames == 1 else array


def sha256(array: np.ndarray) -> str:
    little = array.astype(array.dtype.newbyteorder("<"), copy=False)
    return hashlib.sha256(np.ascontiguousarray(little).tobytes()).hexdigest()


def stack(decoded: Sequence[DecodedFrame | np.ndarray]) -> np.ndarray:
    arrays = [d.array if isinstance(d, DecodedFrame) else d for d in decoded]
    return arrays[0] if len(arrays) == 1 else np.stack(arrays)


def source_of(record: dict[str, Any]) -> np.ndarray:
    """The uncompressed pixels a derived test file was made from."""
    source = RECORDS[record["source_file"]]
    array = native_pixels(TESTFILES / source["file"])
    assert sha256(array) == source["sha256"]
    return array


def ybr_full_to_rgb(array: np.ndarray) -> np.ndarray:
    """YBR_FULL to RGB (PS3.3 C.7.6.3.1.2), rounded and clipped, for 8-bit samples."""
    ybr = array.astype(np.float64)
    y, cb, cr = ybr[..., 0], ybr[..., 1] - 128.0, ybr[..., 2] - 128.0
    rgb = np.stack(
        [
            y + 1.402 * cr,
            y - 0.344136 * cb - 0.714136 * cr,
            y + 1.772 * cb,
        ],
        axis=-1,
    )
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def max_difference(first: np.ndarray, second: np.ndarray) -> int:
    assert first.shape == second.shape
    return int(np.abs(first.astype(np.int64) - second.astype(np.int64)).max())


def reference_frames(
    chosen: Sequence[dict[str, Any]], transfer_syntax: str | None = None
) -> tuple[ReferenceFrame, ...]:
    """The first frame of each lossless test file, with its source's pixels."""
    frames = []
    for record in chosen:
        layout, encoded = frames_of(TESTFILES / record["file"])
        expected = source_of(record)
        if layout.number_of_frames > 1:
            expected = expected[0]
            layout = replace(layout, number_of_frames=1)
        if transfer_syntax is not None:
            layout = replace(layout, transfer_syntax=transfer_syntax)
        frames.append(
            ReferenceFrame(
                name=record["file"].removesuffix(".dcm"),
                layout=layout,
                encoded=encoded[0],
                expected=expected,
            )
        )
    return tuple(frames)


def write_encapsulated(
    path: Path,
    layout: PixelLayout,
    frames: Sequence[bytes],
    photometric_interpretation: str | None = None,
) -> Path:
    """A Secondary Capture file holding ``frames`` encoded as ``layout`` says."""
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "2.25.112233445566778899"
    ds.Modality = "OT"
    ds.Rows = layout.rows
    ds.Columns = layout.columns
    ds.SamplesPerPixel = layout.samples_per_pixel
    ds.PhotometricInterpretation = (
        photometric_interpretation or layout.photometric_interpretation
    )
    if layout.samples_per_pixel > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = layout.bits_allocated
    ds.BitsStored = layout.bits_stored
    ds.HighBit = layout.bits_stored - 1
    ds.PixelRepresentation = layout.pixel_representation
    if len(frames) > 1:
        ds.NumberOfFrames = len(frames)
    ds.file_meta.TransferSyntaxUID = layout.transfer_syntax
    ds.PixelData = encapsulate(list(frames))
    ds.save_as(path)
    return path


def importorskip(module: str) -> None:
    """Skip unless the optional package is installed (the suite also runs without)."""
    pytest.importorskip(module, reason=f"{module} is not installed")
