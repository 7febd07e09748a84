"""The optional ``pyjpegls`` codec (plugins/pyjpegls.py): JPEG-LS with CharLS.

Witnesses: the manifest's hashes for decoding; DCMTK's ``dcmdjpls`` (its own
CharLS copy) and libjpeg (the ``pylibjpeg`` plugin) decoding what we encode.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dicomcore_plugins import pyjpegls, pylibjpeg
from dicomcore_plugins._codestreams import jpeg_header
from interop import run_tool

from dicomcore import dcmread
from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout, pixel_array
from dicomcore.testing import CodecConformance

from .optional_codec_support import (
    JPEG_LS,
    RECORDS,
    TESTFILES,
    frames_of,
    ids,
    importorskip,
    max_difference,
    native_pixels,
    records,
    reference_frames,
    sha256,
    stack,
    write_encapsulated,
)

JPEG_LS_FILES = records(JPEG_LS)
LOSSLESS = records({"1.2.840.10008.1.2.4.80"})
NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81"


@pytest.fixture(autouse=True)
def _charls() -> None:
    importorskip("jpeg_ls")


def source(name: str) -> tuple[PixelLayout, np.ndarray]:
    path = TESTFILES / name
    array = native_pixels(path)
    assert sha256(array) == RECORDS[name]["sha256"]
    return PixelLayout.from_dataset(dcmread(path)), array


def encode_all(
    pixels: np.ndarray, layout: PixelLayout, options: dict, near_lossless: bool
) -> list[bytes]:
    frames = pixels if layout.number_of_frames > 1 else pixels[np.newaxis]
    one_frame = replace(layout, number_of_frames=1)
    encode = (
        pyjpegls.encode_near_lossless if near_lossless else pyjpegls.encode_lossless
    )
    return [encode(frame, one_frame, options) for frame in frames]


# -- decoding ----------------------------------------------------------------------


@pytest.mark.parametrize("record", JPEG_LS_FILES, ids=ids(JPEG_LS_FILES))
def test_decodes_to_the_manifest_hash(record: dict) -> None:
    layout, frames = frames_of(TESTFILES / record["file"])
    decoded = [pyjpegls.decode(frame, layout) for frame in frames]
    assert sha256(stack(decoded)) == record["sha256"]
    assert all(frame.bits_stored_applied for frame in decoded)
    assert {frame.photometric_interpretation for frame in decoded} == {
        record["photometric_after_decode"]
    }


@pytest.mark.parametrize("interleave", ["+in", "+il", "+is"])
def test_colour_in_every_interleave_mode(interleave: str, tmp_path: Path) -> None:
    """DCMTK writes plane (ILV 0), line (1) and sample (2) interleaved scans."""
    name = "rgb8_planar0_explicit.dcm"
    run_tool("dcmcjpls", interleave, TESTFILES / name, tmp_path / "out.dcm")
    layout, (frame,) = frames_of(tmp_path / "out.dcm")
    assert sha256(pyjpegls.decode(frame, layout).array) == RECORDS[name]["sha256"]
    assert sha256(pylibjpeg.decode(frame, layout).array) == RECORDS[name]["sha256"]


def test_malformed_streams_raise_codec_error() -> None:
    layout, (frame,) = frames_of(TESTFILES / "mono16_jpegls.dcm")
    with pytest.raises(CodecError, match="CharLS"):
        pyjpegls.decode(frame[: len(frame) // 2], layout)
    with pytest.raises(CodecError, match="SOI"):
        pyjpegls.decode(frame[2:], layout)
    _, (jpeg_frame,) = frames_of(TESTFILES / "mono16_jpeg_sv1.dcm")
    with pytest.raises(CodecError, match="not a JPEG-LS stream"):
        pyjpegls.decode(jpeg_frame, layout)
    with pytest.raises(CodecError, match="describes 64x65"):
        pyjpegls.decode(frame, replace(layout, columns=65))


# -- encoding, checked by DCMTK and libjpeg --------------------------------------

ENCODE_SOURCES = [
    "mono8_explicit.dcm",
    "mono16_explicit.dcm",
    "ct_int16_explicit.dcm",
    "mono12s_explicit.dcm",
    "mono12u_explicit.dcm",
    "rgb8_planar0_explicit.dcm",
    "ybr_full8_explicit.dcm",
    "mono16_5frames_explicit.dcm",
]


@pytest.mark.parametrize("name", ENCODE_SOURCES)
def test_lossless_encoding_decodes_exactly_in_dcmtk(name: str, tmp_path: Path) -> None:
    layout, pixels = source(name)
    assert pyjpegls.supports_lossless(layout, {}) is None
    encoded = encode_all(pixels, layout, {}, near_lossless=False)
    # The precision is Bits Stored: signed pixels as their Bits Stored bit pattern.
    assert jpeg_header(encoded[0]).precision == layout.bits_stored
    jls = replace(
        layout, transfer_syntax="1.2.840.10008.1.2.4.80", planar_configuration=0
    )
    path = write_encapsulated(tmp_path / "ours.dcm", jls, encoded)
    run_tool("dcmdjpls", path, tmp_path / "dcmtk.dcm")
    assert sha256(native_pixels(tmp_path / "dcmtk.dcm")) == RECORDS[name]["sha256"]
    one_frame = replace(jls, number_of_frames=1)
    for decoder in (pyjpegls, pylibjpeg):
        decoded = stack([decoder.decode(frame, one_frame) for frame in encoded])
        assert sha256(decoded) == RECORDS[name]["sha256"], decoder.__name__
    as_stored = pixel_array(path, decoding_plugin="pyjpegls", as_rgb=False)
    assert sha256(as_stored) == RECORDS[name]["sha256"]


@pytest.mark.parametrize("near", [1, 2, 5])
@pytest.mark.parametrize("name", ["mono8_explicit.dcm", "mono16_explicit.dcm"])
def test_near_lossless_encoding(name: str, near: int, tmp_path: Path) -> None:
    layout, pixels = source(name)
    options = {"jls_error": near}
    assert pyjpegls.supports_near_lossless(layout, options) is None
    (encoded,) = encode_all(pixels, layout, options, near_lossless=True)
    jls = replace(layout, transfer_syntax=NEAR_LOSSLESS)
    ours = pyjpegls.decode(encoded, jls).array
    assert 0 < max_difference(ours, pixels) <= near
    # JPEG-LS decoding is exact: DCMTK and libjpeg give the same samples
    path = write_encapsulated(tmp_path / "ours.dcm", jls, [encoded])
    run_tool("dcmdjpls", path, tmp_path / "dcmtk.dcm")
    np.testing.assert_array_equal(native_pixels(tmp_path / "dcmtk.dcm"), ours)
    np.testing.assert_array_equal(pylibjpeg.decode(encoded, jls).array, ours)


def test_near_lossless_default_is_dcmtks() -> None:
    layout, pixels = source("mono8_explicit.dcm")
    (encoded,) = encode_all(pixels, layout, {}, near_lossless=True)
    (explicit,) = encode_all(pixels, layout, {"jls_error": 2}, near_lossless=True)
    assert encoded == explicit


def test_encoder_refusals() -> None:
    layout = PixelLayout(rows=16, columns=16, bits_allocated=16, bits_stored=12)
    assert pyjpegls.supports_lossless(layout, {}) is None
    assert "Near-Lossless" in pyjpegls.supports_lossless(layout, {"jls_error": 2})
    assert pyjpegls.supports_lossless(layout, {"jls_error": 0}) is None
    signed = replace(layout, pixel_representation=1)
    assert pyjpegls.supports_lossless(signed, {}) is None
    assert "signed" in pyjpegls.supports_near_lossless(signed, {"jls_error": 1})
    assert "0 to 255" in pyjpegls.supports_near_lossless(layout, {"jls_error": 256})
    assert "0 to 127" in pyjpegls.supports_near_lossless(
        replace(layout, bits_stored=8, high_bit=-1), {"jls_error": 128}
    )
    assert "integer" in pyjpegls.supports_near_lossless(layout, {"jls_error": 1.5})
    one_bit_stored = replace(layout, bits_stored=1, high_bit=-1)
    assert "2 to 16 bits" in pyjpegls.supports_lossless(one_bit_stored, {})
    wide = PixelLayout(rows=16, columns=16, bits_allocated=32, bits_stored=16)
    assert "Bits Allocated 32" in pyjpegls.supports_lossless(wide, {})
    tiny = PixelLayout(rows=15, columns=17)
    assert "below 256 bytes" in pyjpegls.supports_lossless(tiny, {})
    assert pyjpegls.supports_lossless(replace(tiny, rows=16), {}) is None
    # Two-byte samples: 8 x 8 is 128 bytes, the least pyjpegls is given.
    tiny16 = PixelLayout(rows=8, columns=7, bits_allocated=16, bits_stored=16)
    assert "a frame of 112 bytes" in pyjpegls.supports_lossless(tiny16, {})
    assert "below 128 bytes" in pyjpegls.supports_lossless(tiny16, {})
    assert pyjpegls.supports_lossless(replace(tiny16, columns=8), {}) is None
    with pytest.raises(CodecError, match="signed"):
        pyjpegls.encode_near_lossless(np.zeros((16, 16), np.int16), signed, {})


def test_small_sixteen_bit_frames_are_encoded() -> None:
    # 10 x 10 unsigned 16-bit noise, as a small parametric map's frames are:
    # 200 bytes of samples, coded within pyjpegls's buffer.
    layout = PixelLayout(rows=10, columns=10, bits_allocated=16, bits_stored=16)
    frame = np.random.default_rng(10).integers(0, 65536, (10, 10)).astype(np.uint16)
    assert pyjpegls.supports_lossless(layout, {}) is None
    encoded = pyjpegls.encode_lossless(frame, layout, {})
    assert encoded[:2] == b"\xff\xd8"
    jls = PixelLayout(
        rows=10,
        columns=10,
        bits_allocated=16,
        bits_stored=16,
        transfer_syntax="1.2.840.10008.1.2.4.80",
    )
    decoded = pyjpegls.decode(encoded, jls)
    np.testing.assert_array_equal(decoded.array, frame)


def test_a_frame_outgrowing_pyjpegls_buffer_is_a_codec_error() -> None:
    # Called past supports(): 2 x 2 samples code to more than twice their
    # 8 bytes (the codestream's header alone is longer).
    layout = PixelLayout(rows=2, columns=2, bits_allocated=16, bits_stored=16)
    with pytest.raises(CodecError, match="buffer is too small.*2 x 2 frame"):
        pyjpegls.encode_lossless(np.zeros((2, 2), np.uint16), layout, {})


# -- the conformance kit ------------------------------------------------------------


# The standard layouts are mostly too small for pyjpegls (see supports).
LARGE_ENOUGH = {
    "u8-16x17": PixelLayout(rows=16, columns=17),
    "u16-12bit-12x12": PixelLayout(
        rows=12, columns=12, bits_allocated=16, bits_stored=12
    ),
    "s16-12bit-12x12": PixelLayout(
        rows=12, columns=12, bits_allocated=16, bits_stored=12, pixel_representation=1
    ),
    "s16-16x9": PixelLayout(
        rows=16, columns=9, bits_allocated=16, bits_stored=16, pixel_representation=1
    ),
    "u16-8bit-16x16": PixelLayout(
        rows=16, columns=16, bits_allocated=16, bits_stored=8
    ),
    "rgb8-10x10": PixelLayout(
        rows=10, columns=10, samples_per_pixel=3, photometric_interpretation="RGB"
    ),
    "rgb16-8x8": PixelLayout(
        rows=8,
        columns=8,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        bits_allocated=16,
        bits_stored=16,
    ),
}


class TestPyjpeglsLosslessConformance(CodecConformance):
    plugin = pyjpegls
    encoder_name = "pyjpegls-lossless"
    extra_layouts = LARGE_ENOUGH
    reference_frames = reference_frames(LOSSLESS)


class TestPyjpeglsNearLosslessConformance(CodecConformance):
    plugin = pyjpegls
    encoder_name = "pyjpegls-near-lossless"
    extra_layouts = LARGE_ENOUGH
    encode_options = {"jls_error": 3}
    lossy_tolerance = 3
    reference_frames = reference_frames(LOSSLESS, NEAR_LOSSLESS)
