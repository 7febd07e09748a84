"""500-frame files for the lazy-reading tests, written by pydicom 3 (and
DCMTK's dcmconv where a test needs undefined lengths), never by dicomcore.

Each file has 64x64 16-bit frames of seeded noise: 8 KiB per native frame,
about 8.4 KiB per RLE frame, so every file is near 4 MB.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, encapsulate_extended, generate_frames
from pydicom.uid import (
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    RLELossless,
)

FRAMES = 500
ROWS = COLUMNS = 64
FRAME_BYTES = ROWS * COLUMNS * 2
KINDS = ("native", "implicit", "rle_basic", "rle_extended", "rle_no_table")


def _base(transfer_syntax: str) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.26"
    ds.file_meta.TransferSyntaxUID = transfer_syntax
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Range^Test"
    # A sequence before Pixel Data: the header walk steps over it.
    item = Dataset()
    item.CodeValue = "T-D3000"
    item.CodingSchemeDesignator = "SRT"
    ds.AnatomicRegionSequence = [item]
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.NumberOfFrames = FRAMES
    return ds


def frames_array() -> np.ndarray:
    rng = np.random.default_rng(26)
    return rng.integers(0, 65535, (FRAMES, ROWS, COLUMNS), dtype=np.uint16)


def make_files(folder: Path) -> dict[str, Path]:
    """Write every kind of file into ``folder``; their paths by kind."""
    pixels = frames_array()
    paths = {kind: folder / f"{kind}.dcm" for kind in KINDS}
    native = _base(ExplicitVRLittleEndian)
    native.PixelData = pixels.tobytes()
    native.save_as(paths["native"], enforce_file_format=True)
    implicit = _base(ImplicitVRLittleEndian)
    implicit.PixelData = pixels.tobytes()
    implicit.save_as(paths["implicit"], enforce_file_format=True)
    native.compress(RLELossless, encoding_plugin="pydicom")
    frames = list(generate_frames(native.PixelData, number_of_frames=FRAMES))
    for kind in ("rle_basic", "rle_extended", "rle_no_table"):
        ds = _base(RLELossless)
        if kind == "rle_extended":
            (
                ds.PixelData,
                ds.ExtendedOffsetTable,
                ds.ExtendedOffsetTableLengths,
            ) = encapsulate_extended(frames)
        else:
            ds.PixelData = encapsulate(frames, has_bot=kind == "rle_basic")
        ds["PixelData"].VR = "OB"
        ds.save_as(paths[kind], enforce_file_format=True)
    return paths


def undefined_lengths(path: Path, target: Path) -> Path:
    """``path`` rewritten by DCMTK with undefined-length sequences and items."""
    dcmconv = shutil.which("dcmconv")
    assert dcmconv is not None, "DCMTK's dcmconv is needed"
    subprocess.run([dcmconv, "-e", str(path), str(target)], check=True)
    return target


def reference_frame(path: Path, index: int) -> np.ndarray:
    """Frame ``index`` as pydicom 3 decodes it from the local file."""
    return pydicom.pixels.pixel_array(str(path), index=index)
