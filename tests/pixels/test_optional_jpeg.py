"""The optional ``pylibjpeg`` decoder (plugins/pylibjpeg.py): JPEG and JPEG-LS.

Witnesses: the manifest's hashes (DCMTK and GDCM decodes of the committed
files), DCMTK's dcmdjpeg run here to measure how far lossy results differ,
libjpeg called directly for lossy frames, files DCMTK and GDCM make here from
signed 12-bit data, and pydicom (with pylibjpeg) on its own colour JPEG files.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dicomcore_plugins import pylibjpeg
from interop import run_tool

from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, PixelLayout, pixel_array
from dicomcore.testing import CodecConformance

from .optional_codec_support import (
    JPEG_LOSSLESS,
    JPEG_LOSSY,
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
    ybr_full_to_rgb,
)

EXACT = records(JPEG_LOSSLESS | JPEG_LS)  # the manifest hash is ours too
LOSSLESS = records(JPEG_LOSSLESS | {"1.2.840.10008.1.2.4.80"})
LOSSY = records(JPEG_LOSSY | {"1.2.840.10008.1.2.4.81"})

# Largest difference from DCMTK's dcmdjpeg (IJG 6b), measured: libjpeg's
# IDCT and upsampling round differently.  Per file: (in the decoded colour
# space, after YBR_FULL -> RGB).
DCMTK_DIFFERENCE = {
    "mono8_jpeg_baseline.dcm": (1, 1),
    "mono12u_jpeg_extended.dcm": (2, 2),
    "rgb8_jpeg_baseline_rgb.dcm": (1, 1),
    "rgb8_jpeg_baseline_ybr444.dcm": (1, 3),
    "rgb8_jpeg_baseline_ybr422.dcm": (5, 7),
}


@pytest.fixture(autouse=True)
def _libjpeg() -> None:
    importorskip("libjpeg")


def decode_file(path: Path) -> tuple[PixelLayout, list[DecodedFrame]]:
    layout, frames = frames_of(path)
    return layout, [pylibjpeg.decode(frame, layout) for frame in frames]


# -- the committed test files -------------------------------------------------


@pytest.mark.parametrize("record", EXACT, ids=ids(EXACT))
def test_decodes_to_the_manifest_hash(record: dict) -> None:
    layout, decoded = decode_file(TESTFILES / record["file"])
    array = stack(decoded)
    assert array.dtype == np.dtype(record["dtype"])
    assert list(array.shape) == record["shape"]
    assert sha256(array) == record["sha256"]
    for frame in decoded:
        assert frame.bits_stored_applied
        assert frame.photometric_interpretation == record["photometric_after_decode"]
    if not record["lossy"]:
        assert sha256(array) == RECORDS[record["source_file"]]["sha256"]


@pytest.mark.parametrize("record", LOSSY, ids=ids(LOSSY))
def test_lossy_frames_are_what_libjpeg_returns(record: dict) -> None:
    import libjpeg

    layout, frames = frames_of(TESTFILES / record["file"])
    for frame in frames:
        ours = pylibjpeg.decode(frame, layout)
        theirs = libjpeg.decode(frame, 0).astype(layout.dtype)
        np.testing.assert_array_equal(ours.array, theirs)
        assert ours.bits_stored_applied


@pytest.mark.parametrize("name", sorted(DCMTK_DIFFERENCE))
def test_lossy_jpeg_differs_from_dcmtk_by_a_measured_bound(
    name: str, tmp_path: Path
) -> None:
    record = RECORDS[name]
    layout, (decoded,) = decode_file(TESTFILES / name)
    same_space, in_rgb = DCMTK_DIFFERENCE[name]
    # dcmdjpeg +cn: the samples as stored, no colour conversion
    run_tool("dcmdjpeg", "+cn", TESTFILES / name, tmp_path / "stored.dcm")
    stored = native_pixels(tmp_path / "stored.dcm")
    if "sha256_without_color_conversion" in record:
        assert sha256(stored) == record["sha256_without_color_conversion"]
    assert max_difference(decoded.array, stored) <= same_space
    # dcmdjpeg's default: RGB, the manifest's hash
    run_tool("dcmdjpeg", TESTFILES / name, tmp_path / "rgb.dcm")
    converted = native_pixels(tmp_path / "rgb.dcm")
    assert sha256(converted) == record["sha256"]
    ours = decoded.array
    if decoded.photometric_interpretation == "YBR_FULL":
        ours = ybr_full_to_rgb(ours)
    else:
        assert decoded.photometric_interpretation == record["photometric_after_decode"]
    assert max_difference(ours, converted) <= in_rgb


@pytest.mark.parametrize(
    ("name", "photometric"),
    [
        ("rgb8_jpeg_baseline_ybr422.dcm", "YBR_FULL"),  # JFIF, upsampled by libjpeg
        ("rgb8_jpeg_baseline_ybr444.dcm", "YBR_FULL"),
        ("rgb8_jpeg_baseline_rgb.dcm", "RGB"),  # Adobe APP14, transform 0
        ("rgb8_jpeg_sv1.dcm", "RGB"),
        ("rgb8_jpegls.dcm", "RGB"),
        ("mono8_jpeg_baseline.dcm", "MONOCHROME2"),
    ],
)
def test_reports_the_colour_space_it_returns(name: str, photometric: str) -> None:
    _, (decoded,) = decode_file(TESTFILES / name)
    assert decoded.photometric_interpretation == photometric


def _segment(stream: bytes, marker: int) -> tuple[int, int]:
    start = stream.index(bytes([0xFF, marker]))
    length = int.from_bytes(stream[start + 2 : start + 4], "big")
    return start, start + 2 + length


def test_colour_markers_decide_over_the_dataset_label() -> None:
    layout, (frame,) = frames_of(TESTFILES / "rgb8_jpeg_baseline_ybr444.dcm")
    # A JFIF stream labelled RGB holds YCbCr all the same.
    mislabelled = replace(layout, photometric_interpretation="RGB")
    assert pylibjpeg.decode(frame, mislabelled).photometric_interpretation == (
        "YBR_FULL"
    )
    # Without JFIF or Adobe markers the label stands.
    start, end = _segment(frame, 0xE0)
    bare = frame[:start] + frame[end:]
    assert pylibjpeg.decode(bare, mislabelled).photometric_interpretation == "RGB"
    assert pylibjpeg.decode(bare, layout).photometric_interpretation == "YBR_FULL"
    # An Adobe APP14 segment's transform flag says which.
    _, (rgb_frame,) = frames_of(TESTFILES / "rgb8_jpeg_baseline_rgb.dcm")
    start, _ = _segment(rgb_frame, 0xEE)
    flag = start + 4 + 11
    assert rgb_frame[flag] == 0
    ycbcr = rgb_frame[:flag] + b"\x01" + rgb_frame[flag + 1 :]
    rgb_layout = replace(layout, photometric_interpretation="RGB")
    assert pylibjpeg.decode(ycbcr, rgb_layout).photometric_interpretation == (
        "YBR_FULL"
    )
    # Lossless JPEG carries no colour transform: the label stands.
    lossless_layout, (lossless,) = frames_of(TESTFILES / "rgb8_jpeg_sv1.dcm")
    ybr = replace(lossless_layout, photometric_interpretation="YBR_FULL")
    assert pylibjpeg.decode(lossless, ybr).photometric_interpretation == "YBR_FULL"


# -- signed pixels and Bits Stored below the codestream's precision ----------


SIGNED_AND_DIRTY = [
    ("dcmcjpls", (), "1.2.840.10008.1.2.4.80"),
    ("dcmcjpeg", ("+e1",), "1.2.840.10008.1.2.4.70"),
    ("dcmcjpeg", ("+el",), "1.2.840.10008.1.2.4.57"),
    ("gdcmconv", ("--jpegls",), "1.2.840.10008.1.2.4.80"),
    ("gdcmconv", ("--jpeg",), "1.2.840.10008.1.2.4.70"),
]


@pytest.mark.parametrize(
    "source", ["mono12s_explicit.dcm", "mono12u_dirty_explicit.dcm"]
)
@pytest.mark.parametrize(
    ("tool", "options", "transfer_syntax"),
    SIGNED_AND_DIRTY,
    ids=[" ".join((tool, *options)) for tool, options, _ in SIGNED_AND_DIRTY],
)
def test_twelve_bits_in_a_sixteen_bit_codestream(
    source: str,
    tool: str,
    options: tuple[str, ...],
    transfer_syntax: str,
    tmp_path: Path,
) -> None:
    """DCMTK codes 12-bit data at precision 16 with the high bits zero, GDCM's
    JPEG-LS sign-extends them: either way Bits Stored decides."""
    path = tmp_path / "out.dcm"
    run_tool(tool, *options, TESTFILES / source, path)
    layout, (frame,) = frames_of(path)
    assert layout.transfer_syntax == transfer_syntax
    assert layout.bits_stored == 12
    import libjpeg

    assert libjpeg.get_parameters(frame)["precision"] == 16
    decoded = pylibjpeg.decode(frame, layout)
    assert decoded.bits_stored_applied
    assert sha256(decoded.array) == RECORDS[source]["sha256"]
    if layout.is_signed:
        assert decoded.array.min() < 0


def test_sign_extension_from_the_precision_when_it_is_below_bits_stored() -> None:
    # A 12-bit codestream of signed pixels under Bits Stored 16: the sign is
    # bit 11 of the pattern, the highest one the codestream has.
    layout, (frame,) = frames_of(TESTFILES / "mono12u_jpeg_extended.dcm")
    signed = replace(layout, bits_stored=16, high_bit=-1, pixel_representation=1)
    decoded = pylibjpeg.decode(frame, signed).array
    unsigned = pylibjpeg.decode(frame, layout).array
    expected = (unsigned.astype(np.int16) << 4) >> 4
    np.testing.assert_array_equal(decoded, expected)
    assert decoded.min() < 0


# -- refusals and malformed input ------------------------------------------------


def test_supports() -> None:
    layout = PixelLayout(rows=2, columns=2, transfer_syntax="1.2.840.10008.1.2.4.50")
    assert pylibjpeg.supports(layout) is None
    assert "Bits Allocated 32" in pylibjpeg.supports(
        replace(layout, bits_allocated=32, bits_stored=12, high_bit=-1)
    )
    assert "1-bit" in pylibjpeg.supports(
        replace(layout, bits_allocated=1, bits_stored=1, high_bit=-1)
    )
    partial = replace(
        layout, samples_per_pixel=3, photometric_interpretation="YBR_PARTIAL_422"
    )
    assert "full-resolution" in pylibjpeg.supports(partial)


def test_malformed_frames_raise_codec_error() -> None:
    layout, (frame,) = frames_of(TESTFILES / "mono16_jpeg_sv1.dcm")
    with pytest.raises(CodecError, match="EOI"):
        pylibjpeg.decode(frame[: len(frame) // 2], layout)
    with pytest.raises(CodecError, match="SOI"):
        pylibjpeg.decode(b"\x00" * 100, layout)
    with pytest.raises(CodecError, match="truncated"):
        pylibjpeg.decode(frame[:30], layout)
    with pytest.raises(
        CodecError, match="64x64 pixels .* but the dataset describes 32x64"
    ):
        pylibjpeg.decode(frame, replace(layout, rows=32))
    eight_bit = replace(layout, bits_allocated=8, bits_stored=8, high_bit=-1)
    with pytest.raises(CodecError, match="precision \\(16 bits\\) exceeds"):
        pylibjpeg.decode(frame, eight_bit)
    _, (jpeg_ls_frame,) = frames_of(TESTFILES / "mono16_jpegls.dcm")
    with pytest.raises(CodecError, match="JPEG-LS stream"):
        pylibjpeg.decode(jpeg_ls_frame, layout)


def test_fill_bytes_before_markers_are_allowed() -> None:
    layout, (frame,) = frames_of(TESTFILES / "mono8_jpeg_sv1.dcm")
    padded = frame[:2] + b"\xff\xff\xff" + frame[2:]
    np.testing.assert_array_equal(
        pylibjpeg.decode(padded, layout).array, pylibjpeg.decode(frame, layout).array
    )


def test_memoryview_input() -> None:
    layout, (frame,) = frames_of(TESTFILES / "ct_int16_jpeg_sv1.dcm")
    decoded = pylibjpeg.decode(memoryview(frame), layout)
    assert sha256(decoded.array) == RECORDS["ct_int16_jpeg_sv1.dcm"]["sha256"]


# -- end to end, through dicomcore.pixels.pixel_array -----------------------------


@pytest.mark.parametrize("record", EXACT, ids=ids(EXACT))
def test_pixel_array_end_to_end(record: dict) -> None:
    array = pixel_array(TESTFILES / record["file"], decoding_plugin="pylibjpeg")
    assert sha256(array) == record["sha256"]


@pytest.mark.parametrize("name", sorted(DCMTK_DIFFERENCE))
def test_pixel_array_of_lossy_jpeg(name: str) -> None:
    layout, (decoded,) = decode_file(TESTFILES / name)
    raw = pixel_array(TESTFILES / name, decoding_plugin="pylibjpeg", as_rgb=False)
    np.testing.assert_array_equal(raw, decoded.array)
    rgb = pixel_array(TESTFILES / name, decoding_plugin="pylibjpeg")
    if decoded.photometric_interpretation == "YBR_FULL":
        assert max_difference(rgb, ybr_full_to_rgb(decoded.array)) <= 1
    else:
        np.testing.assert_array_equal(rgb, decoded.array)


PYDICOM_COLOUR_FILES = [
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
    "JPGExtended.dcm",
    "examples_ybr_color.dcm",
]


@pytest.mark.parametrize("name", PYDICOM_COLOUR_FILES)
def test_pydicoms_jpeg_files_give_pydicoms_pixels(name: str) -> None:
    """pydicom's own JPEG test files (RGB with and without APP14 and JFIF,
    YBR_FULL and YBR_FULL_422, mislabelled ones) give pydicom's RGB."""
    pytest.importorskip("pydicom")
    from pydicom.data import get_testdata_file

    path = get_testdata_file(name)
    if path is None:
        pytest.skip(f"{name} is not in this pydicom's test data")
    # pydicom's own choice of decoder depends on what else is installed
    # (GDCM, Pillow); the reference here is its pylibjpeg plugin.
    from pydicom.pixels import pixel_array as pydicom_pixel_array

    expected = pydicom_pixel_array(path, decoding_plugin="pylibjpeg")
    np.testing.assert_array_equal(
        pixel_array(path, decoding_plugin="pylibjpeg"), expected
    )


# -- the conformance kit ------------------------------------------------------------


class TestPylibjpegConformance(CodecConformance):
    plugin = pylibjpeg
    reference_frames = reference_frames(LOSSLESS)
