"""The optional ``openjpeg`` codec (plugins/openjpeg.py): JPEG 2000 and HTJ2K.

Witnesses: the manifest's hashes (GDCM's decodes of the committed files),
OpenJPEG called directly for lossy frames, GDCM's ``gdcmconv --raw`` decoding
what our encoder writes, and OpenJPH's ``ojph_compress`` writing the HTJ2K
codestreams (neither DCMTK nor GDCM writes HTJ2K).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dicomcore_plugins import openjpeg as openjpeg_plugin
from interop import run_tool

from dicomcore import dcmread
from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout, pixel_array
from dicomcore.testing import CodecConformance

from .optional_codec_support import (
    JPEG_2000,
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

J2K = records(JPEG_2000)
LOSSLESS = records({"1.2.840.10008.1.2.4.90"})
LOSSY = records({"1.2.840.10008.1.2.4.91"})
HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201"
HTJ2K = "1.2.840.10008.1.2.4.203"


@pytest.fixture(autouse=True)
def _openjpeg() -> None:
    importorskip("openjpeg")


def source(name: str) -> tuple[PixelLayout, np.ndarray]:
    path = TESTFILES / name
    array = native_pixels(path)
    assert sha256(array) == RECORDS[name]["sha256"]
    return PixelLayout.from_dataset(dcmread(path)), array


# -- decoding the committed files --------------------------------------------------


@pytest.mark.parametrize("record", J2K, ids=ids(J2K))
def test_decodes_to_the_manifest_hash(record: dict) -> None:
    """Lossless and lossy alike: GDCM's OpenJPEG and ours agree exactly."""
    layout, frames = frames_of(TESTFILES / record["file"])
    decoded = [openjpeg_plugin.decode(frame, layout) for frame in frames]
    array = stack(decoded)
    assert array.dtype == np.dtype(record["dtype"])
    assert sha256(array) == record["sha256"]
    assert {frame.photometric_interpretation for frame in decoded} == {
        record["photometric_after_decode"]
    }
    assert all(frame.bits_stored_applied for frame in decoded)
    if not record["lossy"]:
        assert sha256(array) == RECORDS[record["source_file"]]["sha256"]


@pytest.mark.parametrize("record", LOSSY, ids=ids(LOSSY))
def test_lossy_frames_are_what_openjpeg_returns(record: dict) -> None:
    import openjpeg

    layout, (frame,) = frames_of(TESTFILES / record["file"])
    theirs = openjpeg.decode(frame, j2k_format=0).astype(layout.dtype)
    np.testing.assert_array_equal(openjpeg_plugin.decode(frame, layout).array, theirs)


def test_signed_twelve_bits_in_a_signed_sixteen_bit_codestream() -> None:
    """GDCM writes signed 12-bit pixels with a signed precision of 16."""
    layout, (frame,) = frames_of(TESTFILES / "mono12s_j2k.dcm")
    import openjpeg

    parameters = openjpeg.get_parameters(frame)
    assert (parameters["precision"], parameters["is_signed"]) == (16, True)
    assert layout.bits_stored == 12
    decoded = openjpeg_plugin.decode(frame, layout)
    assert sha256(decoded.array) == RECORDS["mono12s_explicit.dcm"]["sha256"]
    assert decoded.array.min() < 0


def test_unsigned_codestream_of_signed_pixels_and_masking() -> None:
    """A codestream holding the bit pattern (unsigned) is sign-extended; one of
    higher precision than Bits Stored is masked."""
    layout, pixels = source("mono12s_explicit.dcm")
    pattern = pixels.view(np.uint16) & 0x0FFF
    unsigned_layout = replace(layout, pixel_representation=0)
    encoded = openjpeg_plugin.encode_lossless(pattern, unsigned_layout, {})
    j2k = replace(layout, transfer_syntax="1.2.840.10008.1.2.4.90")
    np.testing.assert_array_equal(openjpeg_plugin.decode(encoded, j2k).array, pixels)
    # 16 bits of codestream, of which Bits Stored 12 count
    dirty = pattern | 0xA000
    wide = replace(unsigned_layout, bits_stored=16, high_bit=-1)
    encoded = openjpeg_plugin.encode_lossless(dirty, wide, {})
    twelve = replace(unsigned_layout, transfer_syntax=j2k.transfer_syntax)
    np.testing.assert_array_equal(
        openjpeg_plugin.decode(encoded, twelve).array, pattern
    )
    np.testing.assert_array_equal(openjpeg_plugin.decode(encoded, j2k).array, pixels)


# -- HTJ2K, written by OpenJPH ------------------------------------------------------


def _netpbm(path: Path, array: np.ndarray, maxval: int) -> Path:
    magic = b"P6" if array.ndim == 3 else b"P5"
    rows, columns = array.shape[:2]
    data = array.astype(">u2" if maxval > 255 else np.uint8).tobytes()
    path.write_bytes(magic + f"\n{columns} {rows}\n{maxval}\n".encode() + data)
    return path


HTJ2K_SOURCES = [
    ("mono8_explicit.dcm", ".pgm", 255),
    ("mono16_explicit.dcm", ".pgm", 65535),
    ("rgb8_planar0_explicit.dcm", ".ppm", 255),
    ("mono12u_explicit.dcm", ".pgm", 4095),
    # OpenJPH reads only unsigned samples: the 12-bit pattern of signed ones
    ("mono12s_explicit.dcm", ".pgm", 4095),
]


@pytest.mark.parametrize(("name", "suffix", "maxval"), HTJ2K_SOURCES)
def test_htj2k_lossless_from_openjph(
    name: str, suffix: str, maxval: int, tmp_path: Path
) -> None:
    layout, pixels = source(name)
    samples = pixels.view(f"u{pixels.dtype.itemsize}") & maxval
    image = _netpbm(tmp_path / f"in{suffix}", samples, maxval)
    codestream = tmp_path / "out.j2c"
    run_tool("ojph_compress", "-i", image, "-o", codestream, "-reversible", "true")
    frame = codestream.read_bytes()
    htj2k = replace(layout, transfer_syntax=HTJ2K_LOSSLESS, planar_configuration=0)
    decoded = openjpeg_plugin.decode(frame, htj2k)
    assert sha256(decoded.array) == RECORDS[name]["sha256"]
    # and end to end, from a file
    path = write_encapsulated(tmp_path / "htj2k.dcm", htj2k, [frame])
    assert sha256(pixel_array(path)) == RECORDS[name]["sha256"]


def test_htj2k_lossy_from_openjph(tmp_path: Path) -> None:
    import openjpeg

    layout, pixels = source("rgb8_planar0_explicit.dcm")
    image = _netpbm(tmp_path / "in.ppm", pixels, 255)
    codestream = tmp_path / "out.j2c"
    run_tool("ojph_compress", "-i", image, "-o", codestream, "-qstep", "0.01")
    frame = codestream.read_bytes()
    htj2k = replace(layout, transfer_syntax=HTJ2K, planar_configuration=0)
    decoded = openjpeg_plugin.decode(frame, htj2k).array
    np.testing.assert_array_equal(decoded, openjpeg.decode(frame, j2k_format=0))
    # OpenJPH's own decoder, measured: they differ by rounding only
    run_tool("ojph_expand", "-i", codestream, "-o", tmp_path / "out.ppm")
    theirs = np.frombuffer(
        (tmp_path / "out.ppm").read_bytes()[-pixels.size :], np.uint8
    )
    assert max_difference(decoded, theirs.reshape(pixels.shape)) <= 1
    assert max_difference(decoded, pixels) > 0


# -- encoding, checked by GDCM -----------------------------------------------------

ENCODE_SOURCES = [
    "mono8_explicit.dcm",
    "mono16_explicit.dcm",
    "ct_int16_explicit.dcm",
    "mono12s_explicit.dcm",
    "mono12u_explicit.dcm",
    "rgb8_planar0_explicit.dcm",
    "rgb8_planar1_explicit.dcm",
    "ybr_full8_explicit.dcm",
    "mono16_5frames_explicit.dcm",
]


@pytest.mark.parametrize("use_mct", [True, False], ids=["mct", "no-mct"])
@pytest.mark.parametrize("name", ENCODE_SOURCES)
def test_lossless_encoding_decodes_exactly_in_gdcm(
    name: str, use_mct: bool, tmp_path: Path
) -> None:
    layout, pixels = source(name)
    options = {"use_mct": use_mct}
    assert openjpeg_plugin.supports_lossless(layout, options) is None
    frames = pixels if layout.number_of_frames > 1 else pixels[np.newaxis]
    one_frame = replace(layout, number_of_frames=1)
    encoded = [
        openjpeg_plugin.encode_lossless(frame, one_frame, options) for frame in frames
    ]
    photometric = openjpeg_plugin.photometric_after_lossless(layout, options)
    expected = {
        ("RGB", True): "YBR_RCT",
        ("RGB", False): "RGB",
    }.get(
        (layout.photometric_interpretation, use_mct), layout.photometric_interpretation
    )
    assert photometric == expected
    j2k = replace(
        layout,
        transfer_syntax="1.2.840.10008.1.2.4.90",
        photometric_interpretation=photometric,
        planar_configuration=0,
    )
    path = write_encapsulated(tmp_path / "ours.dcm", j2k, encoded)
    run_tool("gdcmconv", "--raw", "--explicit", path, tmp_path / "gdcm.dcm")
    assert sha256(native_pixels(tmp_path / "gdcm.dcm")) == RECORDS[name]["sha256"]
    # our decoder, codec level and end to end
    ours = stack(
        [openjpeg_plugin.decode(frame, one_frame_of(j2k)) for frame in encoded]
    )
    assert sha256(ours) == RECORDS[name]["sha256"]
    assert (
        sha256(pixel_array(path, decoding_plugin="openjpeg", as_rgb=False))
        == (RECORDS[name]["sha256"])
    )


def one_frame_of(layout: PixelLayout) -> PixelLayout:
    return replace(layout, number_of_frames=1)


def _psnr(decoded: np.ndarray, original: np.ndarray, bits: int) -> float:
    error = decoded.astype(np.float64) - original.astype(np.float64)
    mean_square = float(np.mean(error**2))
    return (
        math.inf
        if mean_square == 0
        else 10 * math.log10((2**bits - 1) ** 2 / mean_square)
    )


@pytest.mark.parametrize(
    "options",
    [{}, {"compression_ratio": 5}, {"j2k_cr": [20, 5]}, {"j2k_psnr": [45]}],
    ids=["default", "ratio-5", "j2k_cr", "j2k_psnr"],
)
@pytest.mark.parametrize("name", ["mono16_explicit.dcm", "rgb8_planar0_explicit.dcm"])
def test_lossy_encoding(name: str, options: dict, tmp_path: Path) -> None:
    layout, pixels = source(name)
    assert openjpeg_plugin.supports_lossy(layout, options) is None
    encoded = openjpeg_plugin.encode_lossy(pixels, layout, options)
    photometric = openjpeg_plugin.photometric_after_lossy(layout, options)
    assert photometric == (
        "YBR_ICT" if layout.samples_per_pixel == 3 else "MONOCHROME2"
    )
    j2k = replace(
        layout,
        transfer_syntax="1.2.840.10008.1.2.4.91",
        photometric_interpretation=photometric,
        planar_configuration=0,
    )
    decoded = openjpeg_plugin.decode(encoded, j2k)
    assert decoded.photometric_interpretation == layout.photometric_interpretation
    if "j2k_psnr" in options:
        target = options["j2k_psnr"][-1]
        assert _psnr(decoded.array, pixels, layout.bits_stored) >= target - 1
    else:
        ratio = options.get("compression_ratio") or (options.get("j2k_cr") or [10])[-1]
        assert len(encoded) <= pixels.nbytes / ratio + 200  # main header and markers
        assert 0 < max_difference(decoded.array, pixels)
    # GDCM decodes our lossy stream as we do
    path = write_encapsulated(tmp_path / "lossy.dcm", j2k, [encoded])
    run_tool("gdcmconv", "--raw", "--explicit", path, tmp_path / "gdcm.dcm")
    assert max_difference(native_pixels(tmp_path / "gdcm.dcm"), decoded.array) <= 1


def test_encoder_refusals() -> None:
    layout = PixelLayout(rows=64, columns=64, bits_allocated=16, bits_stored=16)
    assert openjpeg_plugin.supports_lossless(layout, {}) is None
    assert openjpeg_plugin.supports_lossy(layout, {}) is None
    assert "lossy" in openjpeg_plugin.supports_lossless(
        layout, {"compression_ratio": 5}
    )
    assert "only one" in openjpeg_plugin.supports_lossy(
        layout, {"compression_ratio": 5, "j2k_psnr": [40]}
    )
    assert "decreasing" in openjpeg_plugin.supports_lossy(layout, {"j2k_cr": [5, 20]})
    assert "at least 1" in openjpeg_plugin.supports_lossy(
        layout, {"compression_ratio": 0.5}
    )
    assert "increasing" in openjpeg_plugin.supports_lossy(
        layout, {"j2k_psnr": [50, 40]}
    )
    assert "number" in openjpeg_plugin.supports_lossy(
        layout, {"compression_ratio": "10"}
    )
    assert "use_mct" in openjpeg_plugin.supports_lossless(layout, {"use_mct": "yes"})
    small = replace(layout, rows=31)
    assert "at least 32 rows" in openjpeg_plugin.supports_lossless(small, {})
    wide = PixelLayout(rows=64, columns=64, bits_allocated=32, bits_stored=32)
    assert "24 bits" in openjpeg_plugin.supports_lossless(wide, {})
    assert (
        openjpeg_plugin.supports_lossless(
            replace(wide, bits_stored=24, high_bit=-1), {}
        )
        is None
    )
    ybr422 = replace(
        layout,
        samples_per_pixel=3,
        photometric_interpretation="YBR_FULL_422",
        bits_allocated=8,
        bits_stored=8,
        high_bit=-1,
    )
    assert "subsampled" in openjpeg_plugin.supports_lossless(ybr422, {})
    with pytest.raises(CodecError, match="decreasing"):
        openjpeg_plugin.encode_lossy(
            np.zeros((64, 64), np.uint16), layout, {"j2k_cr": [1, 2]}
        )


def test_twenty_four_bits_in_a_thirty_two_bit_container() -> None:
    layout = PixelLayout(
        rows=40, columns=48, bits_allocated=32, bits_stored=24, pixel_representation=1
    )
    rng = np.random.default_rng(3)
    frame = rng.integers(-(1 << 23), 1 << 23, size=layout.frame_shape, dtype=np.int32)
    encoded = openjpeg_plugin.encode_lossless(frame, layout, {})
    j2k = replace(layout, transfer_syntax="1.2.840.10008.1.2.4.90")
    np.testing.assert_array_equal(openjpeg_plugin.decode(encoded, j2k).array, frame)


# -- malformed input ---------------------------------------------------------------


def test_malformed_codestreams_raise_codec_error() -> None:
    layout, (frame,) = frames_of(TESTFILES / "mono16_j2k.dcm")
    with pytest.raises(CodecError, match="openjpeg"):
        openjpeg_plugin.decode(frame[: len(frame) // 2], layout)
    with pytest.raises(CodecError, match="FF4F FF51"):
        openjpeg_plugin.decode(b"\xff\xd8" + frame, layout)
    with pytest.raises(CodecError, match="SIZ"):
        openjpeg_plugin.decode(frame[:20], layout)
    with pytest.raises(CodecError, match="64x64 pixels"):
        openjpeg_plugin.decode(frame, replace(layout, columns=32))
    with pytest.raises(CodecError, match="exceeds Bits Allocated"):
        openjpeg_plugin.decode(
            frame, replace(layout, bits_allocated=8, bits_stored=8, high_bit=-1)
        )


def test_a_jp2_file_in_place_of_a_codestream_is_read() -> None:
    import openjpeg

    layout, pixels = source("mono16_explicit.dcm")
    jp2 = openjpeg.encode(pixels, bits_stored=16, codec_format=1)
    assert jp2[4:8] == b"jP  "
    j2k = replace(layout, transfer_syntax="1.2.840.10008.1.2.4.90")
    np.testing.assert_array_equal(openjpeg_plugin.decode(jp2, j2k).array, pixels)


# -- the conformance kit ------------------------------------------------------------

_LARGE_ENOUGH = {
    "u8-40x48": PixelLayout(rows=40, columns=48),
    "s16-12bit-32x33": PixelLayout(
        rows=32, columns=33, bits_allocated=16, bits_stored=12, pixel_representation=1
    ),
    "rgb8-32x32": PixelLayout(
        rows=32, columns=32, samples_per_pixel=3, photometric_interpretation="RGB"
    ),
    "u32-24bit-32x40": PixelLayout(
        rows=32, columns=40, bits_allocated=32, bits_stored=24
    ),
}


class TestOpenjpegLosslessConformance(CodecConformance):
    plugin = openjpeg_plugin
    decoder_name = "openjpeg"
    encoder_name = "openjpeg-lossless"
    extra_layouts = _LARGE_ENOUGH
    reference_frames = reference_frames(LOSSLESS)


class TestOpenjpegConformance(CodecConformance):
    plugin = openjpeg_plugin
    decoder_name = "openjpeg"
    encoder_name = "openjpeg"
    extra_layouts = _LARGE_ENOUGH
    encode_options = {"compression_ratio": 4}
    reference_frames = reference_frames(LOSSLESS, "1.2.840.10008.1.2.4.91")
