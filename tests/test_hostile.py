"""Hand-built hostile files: each raises its documented exception within a
second, with peak memory under 100 MB."""

from __future__ import annotations

import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable

import numpy as np
import pytest
from interop import TESTFILES

import dicomcore
from dicomcore import config
from dicomcore.errors import (
    CodecError,
    DamagedDataWarning,
    DicomError,
    InvalidDicomError,
    LimitError,
)
from dicomcore.io.encapsulation import encapsulate

MEGABYTE = 1024 * 1024


def explicit(tag: int, vr: bytes, value: bytes) -> bytes:
    group, element = tag >> 16, tag & 0xFFFF
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
        return struct.pack("<HH2s2xL", group, element, vr, len(value)) + value
    return struct.pack("<HH2sH", group, element, vr, len(value)) + value


def file_with(dataset: bytes, transfer_syntax: str = "1.2.840.10008.1.2.1") -> bytes:
    syntax = transfer_syntax.encode()
    if len(syntax) % 2:
        syntax += b"\x00"
    meta = explicit(0x00020010, b"UI", syntax)
    return (
        b"\x00" * 128
        + b"DICM"
        + explicit(0x00020000, b"UL", struct.pack("<L", len(meta)))
        + meta
        + dataset
    )


def image_module(rows: int, columns: int, frames: int, bits: int = 8) -> bytes:
    return (
        explicit(0x00280002, b"US", struct.pack("<H", 1))
        + explicit(0x00280004, b"CS", b"MONOCHROME2 ")
        + explicit(
            0x00280008,
            b"IS",
            str(frames).encode().ljust(len(str(frames)) + len(str(frames)) % 2),
        )
        + explicit(0x00280010, b"US", struct.pack("<H", rows))
        + explicit(0x00280011, b"US", struct.pack("<H", columns))
        + explicit(0x00280100, b"US", struct.pack("<H", bits))
        + explicit(0x00280101, b"US", struct.pack("<H", bits))
        + explicit(0x00280102, b"US", struct.pack("<H", bits - 1))
        + explicit(0x00280103, b"US", struct.pack("<H", 0))
    )


def bounded(
    action: Callable[[], object], expected: type[BaseException]
) -> BaseException:
    """Run ``action``: it must raise ``expected`` within a second, peaking
    under 100 MB of traced memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(expected) as caught:
            action()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0, elapsed
    assert peak < 100 * MEGABYTE, peak
    return caught.value


def test_huge_length_in_a_200_byte_file():
    data = file_with(
        explicit(0x00100010, b"PN", b"Doe ")
        + struct.pack("<HH2s2xL", 0x7FE0, 0x0010, b"OB", 0xFFFFFFF0)
        + b"\x00" * 40
    )
    assert len(data) < 260
    # Read as far as the data goes (with a warning) by default; refused under
    # the RAISE reading mode.
    with pytest.warns(DamagedDataWarning, match="runs past the end"):
        ds = dicomcore.dcmread(data)
    assert ds[0x7FE00010].value == b"\x00" * 40
    old = config.settings.reading_validation_mode
    config.settings.reading_validation_mode = config.RAISE
    try:
        error = bounded(lambda: dicomcore.dcmread(data), InvalidDicomError)
    finally:
        config.settings.reading_validation_mode = old
    assert error.tag == 0x7FE00010
    assert "runs past the end" in str(error)


def test_sequences_nested_10000_deep():
    item_start = b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
    item_end = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
    seq_end = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    opening = struct.pack("<HH2s2xL", 0x0008, 0x1140, b"SQ", 0xFFFFFFFF) + item_start
    data = file_with(opening * 10_000 + (item_end + seq_end) * 10_000)
    error = bounded(lambda: dicomcore.dcmread(data), LimitError)
    assert error.limit == "max_sequence_depth"
    assert "dicomcore.config.limits.max_sequence_depth" in str(error)


def test_number_of_frames_2_to_the_31():
    data = file_with(
        image_module(512, 512, 2**31) + explicit(0x7FE00010, b"OB", b"\x00" * 64)
    )
    ds = dicomcore.dcmread(data)
    error = bounded(lambda: ds.pixel_array, DicomError)
    assert isinstance(error, (LimitError, dicomcore.PixelDataError))


def test_rle_offsets_past_the_end():
    header = struct.pack("<16L", 1, 64 + 10_000, *([0] * 14))
    frame = header + b"\x00\x00"
    data = file_with(
        image_module(16, 16, 1)
        + struct.pack("<HH2s2xL", 0x7FE0, 0x0010, b"OB", 0xFFFFFFFF)
        + encapsulate([frame]),
        "1.2.840.10008.1.2.5",
    )
    ds = dicomcore.dcmread(data)
    error = bounded(
        lambda: dicomcore.pixels.pixel_array(ds, decoding_plugin="rle"), CodecError
    )
    assert error.frame_index == 0


def test_deflate_bomb():
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = compressor.compress(b"\x00" * 200_000_000) + compressor.flush()
    data = file_with(bomb, "1.2.840.10008.1.2.1.99")
    error = bounded(lambda: dicomcore.dcmread(data), LimitError)
    assert error.limit == "max_inflate_ratio"


def test_jpeg_with_a_truncated_scan():
    pytest.importorskip("libjpeg")
    source = dicomcore.dcmread(TESTFILES / "mono8_jpeg_sv1.dcm")
    frame = next(
        dicomcore.io.encapsulation.generate_frames(source.PixelData, number_of_frames=1)
    )
    truncated = bytes(frame[: len(frame) // 2])
    source.PixelData = encapsulate([truncated])
    error = bounded(lambda: source.pixel_array, CodecError)
    assert error.frame_index == 0


def test_every_failure_is_a_dicom_error_not_a_builtin():
    assert issubclass(InvalidDicomError, DicomError)
    assert issubclass(LimitError, DicomError)
    assert np.dtype("u1")  # numpy present: the pixel tests above ran for real
