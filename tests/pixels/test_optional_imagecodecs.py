"""The optional ``imagecodecs`` codec (plugins/imagecodecs.py).

Witnesses: the manifest's hashes (DCMTK's and GDCM's decoding of files they
made) for decoding; the conformance kit for every record; pydicom's
pylibjpeg plugin on the same lossy colour files.  DCMTK, GDCM, OpenJPH and
libjxl decoding what we encode is in tests/test_interop_imagecodecs.py.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dicomcore_plugins import _imagecodecs_j2k, _imagecodecs_jpeg, _imagecodecs_jxl
from dicomcore_plugins import imagecodecs as plugin
from dicomcore_plugins._codestreams import j2k_header, jpeg_header
from interop import run_tool

from dicomcore import dcmread
from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout, compress, pixel_array
from dicomcore.testing import PSNR, CodecConformance, collect_records

from .optional_codec_support import (
    JPEG_2000,
    JPEG_LOSSLESS,
    JPEG_LOSSY,
    JPEG_LS,
    RECORDS,
    TESTFILES,
    frames_of,
    ids,
    max_difference,
    native_pixels,
    records,
    reference_frames,
    sha256,
    stack,
)

NEEDS = 'needs pip install "dicomcore[imagecodecs]"'
DECODE = dict(plugin._DECODERS)
EXACT = records(JPEG_LOSSLESS | JPEG_LS | JPEG_2000) + [
    RECORDS["mono8_jpeg_baseline.dcm"],
    RECORDS["mono12u_jpeg_extended.dcm"],
    RECORDS["rgb8_jpeg_baseline_rgb.dcm"],
]
# Lossy YCbCr JPEG: the pipeline's YBR_FULL -> RGB of libjpeg-turbo's
# upsampled YCbCr against DCMTK's RGB (the manifest), largest difference
# measured; pylibjpeg-libjpeg differs from DCMTK by up to 7 here.
DCMTK_DIFFERENCE_IN_RGB = {
    "rgb8_jpeg_baseline_ybr422.dcm": 0,
    "rgb8_jpeg_baseline_ybr444.dcm": 1,
}


@pytest.fixture(autouse=True)
def _imagecodecs() -> None:
    pytest.importorskip("imagecodecs", reason=NEEDS)


def decoder_for(transfer_syntax: str):
    (name,) = [n for n, s in plugin.TRANSFER_SYNTAXES.items() if transfer_syntax in s]
    return DECODE[name][0]


def source(name: str) -> tuple[PixelLayout, np.ndarray]:
    path = TESTFILES / name
    array = native_pixels(path)
    assert sha256(array) == RECORDS[name]["sha256"]
    return PixelLayout.from_dataset(dcmread(path)), array


def one_frame(layout: PixelLayout, transfer_syntax: str, **changes) -> PixelLayout:
    return replace(
        layout, transfer_syntax=transfer_syntax, number_of_frames=1, **changes
    )


# -- decoding the committed files -------------------------------------------------


@pytest.mark.parametrize("record", EXACT, ids=ids(EXACT))
def test_decodes_to_the_manifest_hash(record: dict) -> None:
    layout, frames = frames_of(TESTFILES / record["file"])
    decode = decoder_for(record["transfer_syntax"])
    decoded = [decode(frame, layout) for frame in frames]
    assert sha256(stack(decoded)) == record["sha256"]
    assert all(frame.bits_stored_applied for frame in decoded)
    assert {frame.photometric_interpretation for frame in decoded} == {
        record["photometric_after_decode"]
    }
    name = [
        n for n, s in plugin.TRANSFER_SYNTAXES.items() if record["transfer_syntax"] in s
    ]
    assert (
        sha256(pixel_array(TESTFILES / record["file"], decoding_plugin=name[0]))
        == (record["sha256"])
    )


@pytest.mark.parametrize("name", sorted(DCMTK_DIFFERENCE_IN_RGB))
def test_ycbcr_jpeg_agrees_with_dcmtk(name: str, tmp_path: Path) -> None:
    layout, (frame,) = frames_of(TESTFILES / name)
    decoded = _imagecodecs_jpeg.decode_jpeg(frame, layout)
    assert decoded.photometric_interpretation == layout.photometric_interpretation
    assert layout.photometric_interpretation in ("YBR_FULL_422", "YBR_FULL")
    stored = pixel_array(
        TESTFILES / name, decoding_plugin="imagecodecs-jpeg", as_rgb=False
    )
    np.testing.assert_array_equal(stored, decoded.array)
    rgb = pixel_array(TESTFILES / name, decoding_plugin="imagecodecs-jpeg")
    run_tool("dcmdjpeg", TESTFILES / name, tmp_path / "rgb.dcm")
    dcmtk = native_pixels(tmp_path / "rgb.dcm")
    assert sha256(dcmtk) == RECORDS[name]["sha256"]
    assert max_difference(rgb, dcmtk) <= DCMTK_DIFFERENCE_IN_RGB[name]


def _turbo_rgb(name: str) -> np.ndarray:
    """A lossy file decoded with libjpeg-turbo's own YCbCr -> RGB."""
    import imagecodecs

    _, (frame,) = frames_of(TESTFILES / name)
    return imagecodecs.jpeg8_decode(frame)


@pytest.mark.parametrize("record", records(JPEG_LOSSY), ids=ids(records(JPEG_LOSSY)))
def test_libjpeg_turbo_rgb_is_dcmtks_rgb(record: dict) -> None:
    """The evidence for the JPEG priority: libjpeg-turbo converting to RGB
    itself gives DCMTK's dcmdjpeg output (the manifest hash) bit for bit."""
    assert sha256(_turbo_rgb(record["file"])) == record["sha256"]


PYDICOM_JPEG_FILES = [
    "SC_rgb_jpeg_dcmtk.dcm",
    "SC_rgb_jpeg_gdcm.dcm",
    "SC_jpeg_no_color_transform.dcm",
    "SC_jpeg_no_color_transform_2.dcm",
    "SC_rgb_dcmtk_+eb+cr.dcm",
    "SC_rgb_dcmtk_+eb+cy+n1.dcm",
    "SC_rgb_dcmtk_+eb+cy+np.dcm",
    "SC_rgb_dcmtk_+eb+cy+s2.dcm",
    "SC_rgb_jpeg_app14_dcmd.dcm",
    "SC_rgb_jpeg_lossy_gdcm.dcm",
    "SC_rgb_small_odd_jpeg.dcm",
    "examples_ybr_color.dcm",
]
OUR_LOSSY_JPEG_FILES = [
    "rgb8_jpeg_baseline_ybr422.dcm",
    "rgb8_jpeg_baseline_ybr444.dcm",
    "rgb8_jpeg_baseline_rgb.dcm",
    "mono8_jpeg_baseline.dcm",
]


@pytest.mark.parametrize("name", PYDICOM_JPEG_FILES + OUR_LOSSY_JPEG_FILES)
def test_lossy_jpeg_gives_pydicoms_gdcm_pixels(name: str) -> None:
    """pydicom's GDCM plugin is the oracle for lossy JPEG in RGB: the same
    values, on pydicom's own colour JPEG files (JFIF, Adobe APP14, RGB
    component identifiers, mislabelled ones, YBR_FULL and YBR_FULL_422) and
    DCMTK's here; pydicom's pylibjpeg plugin differs by up to 7 on these."""
    pytest.importorskip("pydicom")
    pytest.importorskip("gdcm", reason="pydicom's gdcm plugin needs python-gdcm")
    from pydicom.data import get_testdata_file
    from pydicom.pixels import pixel_array as pydicom_pixel_array

    if name in OUR_LOSSY_JPEG_FILES:
        path = str(TESTFILES / name)
    else:
        path = get_testdata_file(name)
        if path is None:
            pytest.skip(f"{name} is not in this pydicom's test data")
    expected = pydicom_pixel_array(path, decoding_plugin="gdcm")
    np.testing.assert_array_equal(
        pixel_array(path, decoding_plugin="imagecodecs-jpeg"), expected
    )


def test_malformed_frames_raise_codec_error() -> None:
    layout, (frame,) = frames_of(TESTFILES / "mono16_jpeg_sv1.dcm")
    with pytest.raises(CodecError, match="no EOI"):
        _imagecodecs_jpeg.decode_jpeg(frame[: len(frame) // 2], layout)
    with pytest.raises(CodecError, match="SOI"):
        _imagecodecs_jpeg.decode_jpeg(frame[2:], layout)
    with pytest.raises(CodecError, match="describes 64x65"):
        _imagecodecs_jpeg.decode_jpeg(frame, replace(layout, columns=65))
    jls_layout, (jls_frame,) = frames_of(TESTFILES / "mono16_jpegls.dcm")
    with pytest.raises(CodecError, match="JPEG-LS stream"):
        _imagecodecs_jpeg.decode_jpeg(jls_frame, layout)
    with pytest.raises(CodecError, match="not a JPEG XL"):
        _imagecodecs_jxl.decode(frame, layout)


def test_jpeg_xl_size_is_checked_before_libjxl_allocates() -> None:
    layout = PixelLayout(rows=33, columns=65, transfer_syntax="1.2.840.10008.1.2.4.110")
    frame = np.random.default_rng(3).integers(0, 256, (33, 65), np.uint8)
    encoded = plugin_encoder("imagecodecs-jpegxl-lossless")(frame, layout, {})
    assert _imagecodecs_jxl.frame_size(encoded) == (33, 65)
    with pytest.raises(CodecError, match="is 33x65, the dataset describes 33x66"):
        _imagecodecs_jxl.decode(encoded, replace(layout, columns=66))
    # SizeHeader: not small, height selector 3 with 30 bits set, ratio 7 (2:1)
    hostile = b"\xff\x0a\xfe" + b"\xff" * 10
    assert _imagecodecs_jxl.frame_size(hostile) == (1 << 30, 1 << 31)
    with pytest.raises(CodecError, match="is 1073741824x2147483648"):
        _imagecodecs_jxl.decode(hostile, layout)
    with pytest.raises(CodecError, match="ends in its size header"):
        _imagecodecs_jxl.decode(b"\xff\x0a\xfe", layout)


# -- encoding --------------------------------------------------------------------


def test_jpeg_lossless_every_predictor_and_precision() -> None:
    layout, pixels = source("mono16_explicit.dcm")
    ts = "1.2.840.10008.1.2.4.57"
    for predictor in range(1, 8):
        options = {"predictor": predictor}
        encoded = _imagecodecs_jpeg.encode_lossless(pixels, layout, options)
        header = jpeg_header(encoded)
        assert (header.sof_marker, header.precision) == (0xC3, 16)
        decoded = _imagecodecs_jpeg.decode_jpeg(encoded, one_frame(layout, ts))
        np.testing.assert_array_equal(decoded.array, pixels)
    for bits in (2, 7, 12, 15):
        small = PixelLayout(rows=9, columns=11, bits_allocated=16, bits_stored=bits)
        frame = np.random.default_rng(bits).integers(0, 1 << bits, (9, 11), np.uint16)
        encoded = _imagecodecs_jpeg.encode_lossless(frame, small, {})
        assert jpeg_header(encoded).precision == bits
        back = _imagecodecs_jpeg.decode_jpeg(encoded, one_frame(small, ts))
        np.testing.assert_array_equal(back.array, frame)


def test_signed_pixels_travel_as_their_bit_pattern() -> None:
    layout, pixels = source("mono12s_explicit.dcm")
    assert layout.is_signed and layout.bits_stored == 12
    assert pixels.min() < 0
    cases = [
        (_imagecodecs_jpeg.encode_lossless, {}, "1.2.840.10008.1.2.4.70"),
        (plugin_encoder("imagecodecs-jpegls-lossless"), {}, "1.2.840.10008.1.2.4.80"),
        (plugin_encoder("imagecodecs-jpeg2000-lossless"), {}, "1.2.840.10008.1.2.4.90"),
        (plugin_encoder("imagecodecs-htj2k-lossless"), {}, "1.2.840.10008.1.2.4.201"),
        (plugin_encoder("imagecodecs-jpegxl-lossless"), {}, "1.2.840.10008.1.2.4.110"),
    ]
    for encode, options, ts in cases:
        encoded = encode(pixels, layout, options)
        decoded = decoder_for(ts)(encoded, one_frame(layout, ts))
        np.testing.assert_array_equal(decoded.array, pixels, err_msg=ts)


def plugin_encoder(name: str):
    (record,) = [e for e in plugin._encoders() if e.name == name]
    return record.encode


def test_htj2k_writes_sixteen_bit_precision_and_decodes_twelve_exactly() -> None:
    layout, pixels = source("mono12u_explicit.dcm")
    encoded = plugin_encoder("imagecodecs-htj2k-lossless-rpcl")(pixels, layout, {})
    header = j2k_header(encoded)
    assert header.precisions == (16,) and header.signed == (False,)
    assert b"\xff\x55" in encoded  # TLM marker segment for .202
    # COD: progression order RPCL (2) is the byte after Scod (T.800 A.6.1)
    cod = encoded.index(b"\xff\x52")
    assert encoded[cod + 5] == 2
    ts = "1.2.840.10008.1.2.4.202"
    decoded = _imagecodecs_j2k.decode_j2k(encoded, one_frame(layout, ts))
    np.testing.assert_array_equal(decoded.array, pixels)


def test_baseline_photometric_and_subsampling() -> None:
    layout, pixels = source("rgb8_planar0_explicit.dcm")
    ts = "1.2.840.10008.1.2.4.50"
    for subsampling, photometric, factors in (
        ("422", "YBR_FULL_422", 0x21),
        ("444", "YBR_FULL", 0x11),
    ):
        options = {"subsampling": subsampling, "quality": 95}
        assert _imagecodecs_jpeg.photometric_after_baseline(layout, options) == (
            photometric
        )
        encoded = _imagecodecs_jpeg.encode_baseline(pixels, layout, options)
        header = jpeg_header(encoded)
        assert header.sof_marker == 0xC0 and header.jfif
        sof = encoded.index(b"\xff\xc0")
        assert encoded[sof + 11] == factors  # first component's H/V sampling
        decoded = _imagecodecs_jpeg.decode_jpeg(
            encoded, one_frame(layout, ts, photometric_interpretation=photometric)
        )
        assert decoded.photometric_interpretation == photometric


def test_encoder_refusals() -> None:
    mono8 = PixelLayout(rows=8, columns=8)
    mono12 = PixelLayout(rows=8, columns=8, bits_allocated=16, bits_stored=12)
    signed = replace(mono12, pixel_representation=1)
    assert _imagecodecs_jpeg.refuse_baseline(mono8, {}) is None
    assert "8-bit" in _imagecodecs_jpeg.refuse_baseline(mono12, {})
    assert "1 to 100" in _imagecodecs_jpeg.refuse_baseline(mono8, {"quality": 0})
    assert "'422' or '444'" in _imagecodecs_jpeg.refuse_baseline(
        mono8, {"subsampling": "420"}
    )
    assert _imagecodecs_jpeg.refuse_extended(mono12, {}) is None
    assert "signed" in _imagecodecs_jpeg.refuse_extended(signed, {})
    assert "SV1 uses predictor 1" in _imagecodecs_jpeg.refuse_lossless(
        mono12, {"predictor": 3}, first_order=True
    )
    assert "1 to 7" in _imagecodecs_jpeg.refuse_lossless(
        mono12, {"predictor": 8}, first_order=False
    )
    assert "Bits Stored 8 or 16" in _imagecodecs_jpeg.refuse_jpeg_ls(
        mono12, {}, near_lossless=True
    )
    assert "signed" in _imagecodecs_jpeg.refuse_jpeg_ls(signed, {}, near_lossless=True)
    assert "lossy JPEG 2000" in _imagecodecs_j2k.refuse_j2k(
        mono12, {"j2k_psnr": 40}, lossy=False
    )
    assert "one quality layer" in _imagecodecs_j2k.refuse_j2k(
        mono12, {"j2k_psnr": [30, 40]}, lossy=True
    )
    assert "qstep" in _imagecodecs_j2k.refuse_htj2k(mono12, {"qstep": 2}, lossy=True)
    assert "signed" in _imagecodecs_jxl.refuse(signed, {}, lossy=True)
    assert "lossy JPEG XL" in _imagecodecs_jxl.refuse(
        mono12, {"distance": 1}, lossy=False
    )
    palette = replace(mono8, photometric_interpretation="PALETTE COLOR")
    assert "losslessly only" in _imagecodecs_jpeg.refuse_baseline(palette, {})
    assert "losslessly only" in _imagecodecs_j2k.refuse_j2k(palette, {}, lossy=True)
    assert "losslessly only" in _imagecodecs_j2k.refuse_htj2k(palette, {}, lossy=True)
    assert _imagecodecs_j2k.refuse_htj2k(palette, {}, lossy=False) is None
    ybr = replace(mono8, samples_per_pixel=3, photometric_interpretation="YBR_FULL")
    assert "MONOCHROME or RGB" in _imagecodecs_jxl.refuse(ybr, {}, lossy=False)


def test_a_build_without_a_library_reports_the_missing_capability(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import imagecodecs

    from dicomcore.pixels import codec_table, reset_registry

    monkeypatch.setattr(imagecodecs.JPEGXL, "available", False, raising=False)
    decoders, encoders = collect_records(plugin)
    jpeg_xl = [r for r in [*decoders, *encoders] if "jpegxl" in r.name]
    assert len(jpeg_xl) == 4  # one decoder, three encoders
    for record in jpeg_xl:
        reason = record.missing_capability()
        assert reason is not None and "built without libjxl" in reason
    others = [r for r in [*decoders, *encoders] if "jpegxl" not in r.name]
    assert all(record.missing_capability() is None for record in others)
    reset_registry()
    try:
        rows = {(row.name, row.kind): row for row in codec_table().rows}
    finally:
        reset_registry()
    assert "built without libjxl" in rows["imagecodecs-jpegxl", "decoder"].available
    assert rows["imagecodecs-jpeg", "decoder"].available == "yes"


def test_the_capability_is_found_without_importing_imagecodecs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A build's codecs are extension modules of their own: their files say
    which it has, so listing codecs imports no codec library."""
    import types

    from dicomcore_plugins import _imagecodecs_common

    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "_jpeg8.abi3.so").write_bytes(b"")
    spec = types.SimpleNamespace(origin=str(tmp_path / "__init__.py"))
    monkeypatch.delitem(sys.modules, "imagecodecs")
    monkeypatch.setattr(_imagecodecs_common, "find_spec", lambda name: spec)
    assert _imagecodecs_common.absent_codec("JPEG8", "libjpeg-turbo") is None
    reason = _imagecodecs_common.absent_codec("JPEGXL", "libjxl")
    assert reason is not None
    assert reason.endswith("is built without libjxl (JPEGXL)")
    assert "imagecodecs" not in sys.modules


# -- compress(): Photometric Interpretation and Lossy Image Compression -----------

COMPRESS_CASES = [
    # (source, transfer syntax, encoder, options, photometric after, method)
    (
        "mono8_explicit.dcm",
        "1.2.840.10008.1.2.4.50",
        "imagecodecs-jpeg-baseline",
        {},
        "MONOCHROME2",
        "ISO_10918_1",
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.50",
        "imagecodecs-jpeg-baseline",
        {},
        "YBR_FULL_422",
        "ISO_10918_1",
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.50",
        "imagecodecs-jpeg-baseline",
        {"subsampling": "444"},
        "YBR_FULL",
        "ISO_10918_1",
    ),
    (
        "mono12u_explicit.dcm",
        "1.2.840.10008.1.2.4.51",
        "imagecodecs-jpeg-extended",
        {},
        "MONOCHROME2",
        "ISO_10918_1",
    ),
    (
        "mono8_explicit.dcm",
        "1.2.840.10008.1.2.4.81",
        "imagecodecs-jpegls-near-lossless",
        {},
        "MONOCHROME2",
        "ISO_14495_1",
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.91",
        "imagecodecs-jpeg2000",
        {},
        "YBR_ICT",
        "ISO_15444_1",
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.203",
        "imagecodecs-htj2k",
        {},
        "YBR_ICT",
        "ISO_15444_15",
    ),
    (
        "mono16_explicit.dcm",
        "1.2.840.10008.1.2.4.112",
        "imagecodecs-jpegxl",
        {},
        "MONOCHROME2",
        "ISO_18181_1",
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.90",
        "imagecodecs-jpeg2000-lossless",
        {},
        "YBR_RCT",
        None,
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.201",
        "imagecodecs-htj2k-lossless",
        {},
        "YBR_RCT",
        None,
    ),
    (
        "rgb8_planar0_explicit.dcm",
        "1.2.840.10008.1.2.4.110",
        "imagecodecs-jpegxl-lossless",
        {},
        "RGB",
        None,
    ),
    (
        "ct_int16_explicit.dcm",
        "1.2.840.10008.1.2.4.57",
        "imagecodecs-jpeg-lossless",
        {"predictor": 6},
        "MONOCHROME2",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "transfer_syntax", "encoder", "options", "photometric", "method"),
    COMPRESS_CASES,
    ids=[f"{case[2]}-{case[4]}" for case in COMPRESS_CASES],
)
def test_compress_writes_photometric_and_lossy_attributes(
    name: str,
    transfer_syntax: str,
    encoder: str,
    options: dict,
    photometric: str,
    method: str | None,
) -> None:
    ds = dcmread(TESTFILES / name)
    original = native_pixels(TESTFILES / name)
    compress(ds, transfer_syntax, encoding_plugin=encoder, **options)
    assert ds.file_meta.TransferSyntaxUID == transfer_syntax
    assert ds.PhotometricInterpretation == photometric
    if method is None:
        assert "LossyImageCompression" not in ds
        np.testing.assert_array_equal(ds.pixel_array, original)
    else:
        assert ds.LossyImageCompression == "01"
        assert ds.LossyImageCompressionMethod == method
        encoded_size = len(ds.PixelData)
        ratio = float(ds.LossyImageCompressionRatio)
        assert abs(ratio - original.nbytes / encoded_size) < 0.1 * ratio
        decoded = ds.pixel_array
        assert decoded.shape == original.shape
        # the test images are noise: a mean error bound, not a largest one
        difference = np.abs(decoded.astype(float) - original.astype(float))
        assert difference.mean() <= 0.05 * ((1 << ds.BitsStored) - 1)


# -- the conformance kit ---------------------------------------------------------

JPEG_REFERENCES = reference_frames(records(JPEG_LOSSLESS))
JPEG_LS_REFERENCES = reference_frames(records({"1.2.840.10008.1.2.4.80"}))
J2K_REFERENCES = reference_frames(records({"1.2.840.10008.1.2.4.90"}))


class TestJpegBaselineConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg"
    encoder_name = "imagecodecs-jpeg-baseline"
    # PSNR floors a little below what random frames measure after the colour
    # step (grey 35 dB; noise loses most to 4:2:2 chroma subsampling).
    lossy_tolerance = {
        "rgb8": PSNR(15),
        "rgb8-planar": PSNR(15),
        "ybr-full8": PSNR(12),
        "*": PSNR(30),
    }
    reference_frames = JPEG_REFERENCES


class TestJpegExtendedConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg"
    encoder_name = "imagecodecs-jpeg-extended"
    extra_layouts = {
        "u16-12bit-32x32": PixelLayout(
            rows=32, columns=32, bits_allocated=16, bits_stored=12
        )
    }
    lossy_tolerance = PSNR(55)  # random 12-bit frames: 60 dB measured
    reference_frames = JPEG_REFERENCES


class TestJpegLosslessConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg"
    encoder_name = "imagecodecs-jpeg-lossless"
    encode_options = {"predictor": 7}
    reference_frames = JPEG_REFERENCES


class TestJpegLosslessSV1Conformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg"
    encoder_name = "imagecodecs-jpeg-lossless-sv1"
    reference_frames = JPEG_REFERENCES


class TestJpegLSLosslessConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpegls"
    encoder_name = "imagecodecs-jpegls-lossless"
    reference_frames = JPEG_LS_REFERENCES


class TestJpegLSNearLosslessConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpegls"
    encoder_name = "imagecodecs-jpegls-near-lossless"
    encode_options = {"jls_error": 3}
    # NEAR holds per sample as stored: YCbCr errors of 3 reach 8 in RGB
    lossy_tolerance = {"ybr-full8": 9, "*": 3}
    reference_frames = reference_frames(
        records({"1.2.840.10008.1.2.4.80"}), "1.2.840.10008.1.2.4.81"
    )


class TestJpeg2000LosslessConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg2000"
    encoder_name = "imagecodecs-jpeg2000-lossless"
    reference_frames = J2K_REFERENCES


class TestJpeg2000Conformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg2000"
    encoder_name = "imagecodecs-jpeg2000"
    lossy_tolerance = PSNR(45)  # j2k_psnr 50 by default: 45.5 to 50 measured
    reference_frames = J2K_REFERENCES


class TestHtj2kLosslessConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg2000"
    encoder_name = "imagecodecs-htj2k-lossless"


class TestHtj2kLosslessRpclConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg2000"
    encoder_name = "imagecodecs-htj2k-lossless-rpcl"


class TestHtj2kConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpeg2000"
    encoder_name = "imagecodecs-htj2k"
    lossy_tolerance = PSNR(44)  # qstep 0.001: 46 dB and above measured


class TestJpegXLLosslessConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpegxl"
    encoder_name = "imagecodecs-jpegxl-lossless"


class TestJpegXLConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpegxl"
    encoder_name = "imagecodecs-jpegxl"
    # distance 1.0 on random frames: 24.5 dB (RGB 8-bit) to 36 dB measured
    lossy_tolerance = {
        "rgb8": PSNR(22),
        "rgb8-planar": PSNR(22),
        "rgb16": PSNR(25),
        "*": PSNR(28),
    }


class TestJpegXLRecompressionConformance(CodecConformance):
    plugin = plugin
    decoder_name = "imagecodecs-jpegxl"
    encoder_name = "imagecodecs-jpegxl-jpeg-recompression"


# -- decoding details ------------------------------------------------------------


def test_irreversible_htj2k_clips_instead_of_wrapping() -> None:
    """Saturated 8-bit samples can decode a little above 255: OpenJPEG (which
    the plugin decodes HTJ2K with) clips them where imagecodecs' OpenJPH
    wrapper would wrap them to 0."""
    layout, pixels = source("rgb8_planar0_explicit.dcm")
    saturated = pixels.copy()
    saturated[::2, ::2] = 255
    encoded = plugin_encoder("imagecodecs-htj2k")(saturated, layout, {"qstep": 0.01})
    ts = "1.2.840.10008.1.2.4.203"
    decoded = _imagecodecs_j2k.decode_j2k(
        encoded, one_frame(layout, ts, photometric_interpretation="YBR_ICT")
    )
    assert decoded.photometric_interpretation == "RGB"
    assert max_difference(decoded.array, saturated) <= 8


# -- the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "transfer_syntax"),
    [
        ("jpegxl-lossless", "1.2.840.10008.1.2.4.110"),
        ("jpegxl", "1.2.840.10008.1.2.4.112"),
        ("htj2k-lossless-rpcl", "1.2.840.10008.1.2.4.202"),
        ("jpeg-baseline-8-bit", "1.2.840.10008.1.2.4.50"),
    ],
)
def test_dicomcore_convert_to_the_new_syntaxes(
    name: str, transfer_syntax: str, tmp_path: Path
) -> None:
    source_file = TESTFILES / "mono8_explicit.dcm"
    result = subprocess.run(
        [sys.executable, "-m", "dicomcore.cli", "convert", str(source_file)]
        + ["-o", str(tmp_path / "out"), "--to", name],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "converted 1, skipped 0, failed 0" in result.stdout
    written = dcmread(tmp_path / "out" / "mono8_explicit.dcm")
    assert written.file_meta.TransferSyntaxUID == transfer_syntax
    original = native_pixels(source_file)
    if transfer_syntax == "1.2.840.10008.1.2.4.110":
        np.testing.assert_array_equal(written.pixel_array, original)
    elif transfer_syntax != "1.2.840.10008.1.2.4.202":
        assert written.LossyImageCompression == "01"


def test_dicomcore_codecs_lists_the_records() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dicomcore.cli", "codecs"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    rows = {}
    for line in result.stdout.splitlines():
        if line.startswith("imagecodecs-"):
            name, kind = line.split()[:2]
            rows[name, kind] = line
    decoders = [name for name, kind in rows if kind == "decoder"]
    encoders = [name for name, kind in rows if kind == "encoder"]
    assert sorted(decoders) == sorted(plugin.TRANSFER_SYNTAXES)
    assert len(encoders) == 14
    jpeg_xl = rows["imagecodecs-jpegxl", "decoder"]
    assert "JPEGXLLossless, JPEGXLJPEGRecompression, JPEGXL" in jpeg_xl
    assert " 70 " in rows["imagecodecs-jpeg", "decoder"]
    assert "JPEGBaseline8Bit" in rows["imagecodecs-jpeg-baseline", "encoder"]


@pytest.mark.parametrize(
    ("encoder", "transfer_syntax", "bits_stored", "options"),
    [
        ("imagecodecs-htj2k", "1.2.840.10008.1.2.4.203", 12, {"qstep": 0.005}),
        ("imagecodecs-jpeg-extended", "1.2.840.10008.1.2.4.51", 10, {"quality": 50}),
    ],
)
def test_lossy_samples_past_bits_stored_are_clipped_not_wrapped(
    encoder: str, transfer_syntax: str, bits_stored: int, options: dict
) -> None:
    """HTJ2K writes 12-bit pixels with 16-bit precision and 12-bit JPEG holds
    10-bit ones: rounding can carry the largest value past Bits Stored,
    where masking would wrap it round to the smallest."""
    layout = PixelLayout(
        rows=64, columns=64, bits_allocated=16, bits_stored=bits_stored
    )
    largest = (1 << bits_stored) - 1
    frame = np.full((64, 64), largest, np.uint16)
    frame[::3, ::5] = 0
    encoded = plugin_encoder(encoder)(frame, layout, options)
    decode = decoder_for(transfer_syntax)
    decoded = decode(encoded, one_frame(layout, transfer_syntax)).array
    assert decoded.max() == largest
    assert decoded[frame == largest].min() > largest // 2


# -- damaged frames ------------------------------------------------------------

DAMAGE_CASES = [
    ("imagecodecs-jpeg-baseline", "rgb8_planar0_explicit.dcm"),
    ("imagecodecs-jpeg-lossless", "mono16_explicit.dcm"),
    ("imagecodecs-jpegls-lossless", "mono16_explicit.dcm"),
    ("imagecodecs-jpeg2000-lossless", "mono16_explicit.dcm"),
    ("imagecodecs-htj2k-lossless", "mono16_explicit.dcm"),
    ("imagecodecs-htj2k", "rgb8_planar0_explicit.dcm"),
    ("imagecodecs-jpegxl-lossless", "mono16_explicit.dcm"),
    ("imagecodecs-jpegxl", "rgb8_planar0_explicit.dcm"),
]


@pytest.mark.parametrize(("encoder", "name"), DAMAGE_CASES)
def test_damaged_frames_raise_codec_errors_only(encoder: str, name: str) -> None:
    """Seeded bit flips, cuts, overwrites and repeats of a valid frame: each
    decodes or raises CodecError, never another exception, a hang or a crash
    (mutating HTJ2K frames like this hung and crashed OpenJPH, which is why
    HTJ2K is decoded with OpenJPEG)."""
    layout, pixels = source(name)
    record = [e for e in plugin._encoders() if e.name == encoder][0]
    encoded = record.encode(pixels, layout, {})
    damaged_layout = one_frame(
        layout,
        record.transfer_syntax,
        photometric_interpretation=record.photometric_after(layout, {}),
    )
    decode = decoder_for(record.transfer_syntax)
    rng = np.random.default_rng(25)
    for _ in range(300):
        data = bytearray(encoded)
        for _ in range(int(rng.integers(1, 4))):
            position = int(rng.integers(0, len(data)))
            kind = rng.integers(0, 4)
            if kind == 0:
                data[position] ^= 1 << int(rng.integers(0, 8))
            elif kind == 1 and position > 2:
                del data[position:]
            elif kind == 2:
                data[position] = int(rng.choice([0, 0xFF, rng.integers(0, 256)]))
            else:
                data[position:position] = data[position : position + 8]
        try:
            decode(bytes(data), damaged_layout)
        except CodecError:
            pass


def test_htj2k_is_not_decoded_with_openjph(monkeypatch: pytest.MonkeyPatch) -> None:
    import imagecodecs

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("htj2k_decode was called")

    monkeypatch.setattr(imagecodecs, "htj2k_decode", refuse)
    layout, pixels = source("mono16_explicit.dcm")
    encoded = plugin_encoder("imagecodecs-htj2k-lossless")(pixels, layout, {})
    ts = "1.2.840.10008.1.2.4.201"
    decoded = _imagecodecs_j2k.decode_j2k(encoded, one_frame(layout, ts))
    np.testing.assert_array_equal(decoded.array, pixels)


# -- JPEG to JPEG XL without decoding -------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rgb8_jpeg_baseline_ybr422.dcm", "mono8_jpeg_baseline.dcm"]
)
def test_compress_recompresses_jpeg_baseline_as_jpeg_xl(name: str) -> None:
    """compress() hands the JPEG frames to the transcoder: the dataset keeps
    its instance, its Photometric Interpretation and its Lossy Image
    Compression attributes (nothing new is lost), and libjxl gives back the
    JPEG byte for byte."""
    import imagecodecs

    from dicomcore.io.encapsulation import generate_frames

    ds = dcmread(TESTFILES / name)
    (jpeg,) = frames_of(TESTFILES / name)[1]
    before = (
        ds.SOPInstanceUID,
        ds.PhotometricInterpretation,
        ds.LossyImageCompression,
        ds.LossyImageCompressionRatio,
        ds.LossyImageCompressionMethod,
    )
    pixels_before = pixel_array(TESTFILES / name, decoding_plugin="imagecodecs-jpeg")
    compress(ds, "1.2.840.10008.1.2.4.111")
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.111"
    after = (
        ds.SOPInstanceUID,
        ds.PhotometricInterpretation,
        ds.LossyImageCompression,
        ds.LossyImageCompressionRatio,
        ds.LossyImageCompressionMethod,
    )
    assert after == before
    (recompressed,) = generate_frames(ds.PixelData, number_of_frames=1)
    assert imagecodecs.jpegxl_decode_jpeg(recompressed) == jpeg.rstrip(b"\0")
    # libjxl decodes the same coefficients with its own, more precise IDCT
    # and upsampling: 3 (grey) and 4 (4:2:2 colour) from libjpeg-turbo
    assert max_difference(ds.pixel_array, pixels_before) <= 4


def test_recompression_needs_the_jpeg_codestream() -> None:
    from dicomcore.errors import NoCodecError

    ds = dcmread(TESTFILES / "rgb8_jpeg_baseline_ybr422.dcm")
    with pytest.raises(NoCodecError, match="only transcodes from JPEGBaseline8Bit"):
        compress(ds, "1.2.840.10008.1.2.4.111", transcoding=False)
    native = dcmread(TESTFILES / "rgb8_planar0_explicit.dcm")
    with pytest.raises(NoCodecError, match="only transcodes"):
        compress(native, "1.2.840.10008.1.2.4.111")
    extended = dcmread(TESTFILES / "mono12u_jpeg_extended.dcm")
    with pytest.raises(NoCodecError):
        compress(extended, "1.2.840.10008.1.2.4.111")
