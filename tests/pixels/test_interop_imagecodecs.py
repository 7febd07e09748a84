"""Other implementations decode what the ``imagecodecs`` plugin encodes.

DCMTK's ``dcmdjpeg`` our JPEG Baseline, Extended and Lossless; ``dcmdjpls``
our JPEG-LS; GDCM's ``gdcmconv --raw`` our JPEG 2000 and JPEG-LS; OpenJPH's
``ojph_expand`` our HTJ2K codestreams; libjxl's ``djxl`` our JPEG XL.  Lossless
output must come back bit for bit; lossy output must match our own decoding
of the same stream within the tolerances measured below (the tools' IDCT and
colour code round differently).  And the other way: our decoders read the
HTJ2K and JPEG XL that ``ojph_compress`` and ``cjxl`` make.

The tools run under CI=true (they fail there when absent, see interop.py).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dicomcore_plugins import _imagecodecs_jxl
from dicomcore_plugins import imagecodecs as plugin
from interop import run_tool

from dicomcore import dcmread
from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

from .optional_codec_support import (
    RECORDS,
    TESTFILES,
    frames_of,
    max_difference,
    native_pixels,
    sha256,
    write_encapsulated,
)

NEEDS = 'needs pip install "dicomcore[imagecodecs]"'
ENCODERS = {record.name: record for record in plugin._encoders()}
DECODERS = dict(plugin._DECODERS)

# Largest difference between a tool's decoding of our lossy stream and our
# own decoding of it, measured (same colour space: YCbCr stays YCbCr).
LOSSY_TOLERANCE = {
    "dcmdjpeg": 1,  # IJG 6b's and libjpeg-turbo's IDCTs
    "gdcmconv": 0,  # OpenJPEG both
    # ojph_expand (Debian's OpenJPH) against OpenJPEG, which decodes HTJ2K
    # here (see plugins/_imagecodecs_j2k.py)
    "ojph_expand": 2,  # on 16-bit samples; 1 on 8-bit ones
    "djxl": 1,  # libjxl 0.7 (Debian) against imagecodecs' libjxl
}


@pytest.fixture(autouse=True)
def _imagecodecs() -> None:
    pytest.importorskip("imagecodecs", reason=NEEDS)


def source(name: str) -> tuple[PixelLayout, np.ndarray]:
    path = TESTFILES / name
    array = native_pixels(path)
    assert sha256(array) == RECORDS[name]["sha256"]
    return PixelLayout.from_dataset(dcmread(path)), array


def encode(
    encoder: str, name: str, options: dict | None = None
) -> tuple[PixelLayout, np.ndarray, list[bytes]]:
    """Every frame of a committed file encoded by ``encoder``; the layout of
    the encoded frames (transfer syntax and photometric after encoding)."""
    layout, pixels = source(name)
    record = ENCODERS[encoder]
    options = options or {}
    given = replace(layout, number_of_frames=1)
    assert record.supports(given, options) is None
    frames = pixels if layout.number_of_frames > 1 else pixels[np.newaxis]
    encoded = [record.encode(frame, given, options) for frame in frames]
    after = record.photometric_after(given, options)
    encoded_layout = replace(
        layout,
        transfer_syntax=record.transfer_syntax,
        photometric_interpretation=after,
        planar_configuration=0,
    )
    return encoded_layout, pixels, encoded


def ours(layout: PixelLayout, encoded: list[bytes]) -> np.ndarray:
    """Our own decoding of ``encoded`` frames, in the colour space stored."""
    (name,) = [
        n for n, s in plugin.TRANSFER_SYNTAXES.items() if layout.transfer_syntax in s
    ]
    decode = DECODERS[name][0]
    one = replace(layout, number_of_frames=1)
    arrays = [decode(frame, one).array for frame in encoded]
    return arrays[0] if len(arrays) == 1 else np.stack(arrays)


def tool_decodes_dicom(
    tool: list[str], layout: PixelLayout, encoded: list[bytes], tmp_path: Path
) -> np.ndarray:
    path = write_encapsulated(tmp_path / "ours.dcm", layout, encoded)
    run_tool(*tool, path, tmp_path / "native.dcm")
    return native_pixels(tmp_path / "native.dcm")


# -- DCMTK: JPEG ---------------------------------------------------------------

JPEG_LOSSLESS_CASES = [
    ("imagecodecs-jpeg-lossless-sv1", "mono8_explicit.dcm", {}),
    ("imagecodecs-jpeg-lossless-sv1", "mono12u_explicit.dcm", {}),
    ("imagecodecs-jpeg-lossless-sv1", "ct_int16_explicit.dcm", {}),
    ("imagecodecs-jpeg-lossless-sv1", "mono12s_explicit.dcm", {}),
    ("imagecodecs-jpeg-lossless-sv1", "rgb8_planar0_explicit.dcm", {}),
    ("imagecodecs-jpeg-lossless-sv1", "mono16_5frames_explicit.dcm", {}),
    ("imagecodecs-jpeg-lossless", "mono16_explicit.dcm", {"predictor": 6}),
    ("imagecodecs-jpeg-lossless", "mono8_explicit.dcm", {"predictor": 7}),
]


@pytest.mark.parametrize(
    ("encoder", "name", "options"),
    JPEG_LOSSLESS_CASES,
    ids=[f"{e}-{n}-{o}" for e, n, o in JPEG_LOSSLESS_CASES],
)
def test_dcmdjpeg_decodes_our_lossless_jpeg_exactly(
    encoder: str, name: str, options: dict, tmp_path: Path
) -> None:
    layout, pixels, encoded = encode(encoder, name, options)
    decoded = tool_decodes_dicom(["dcmdjpeg"], layout, encoded, tmp_path)
    assert sha256(decoded) == RECORDS[name]["sha256"]


JPEG_LOSSY_CASES = [
    ("imagecodecs-jpeg-baseline", "mono8_explicit.dcm", {}),
    ("imagecodecs-jpeg-baseline", "rgb8_planar0_explicit.dcm", {}),
    ("imagecodecs-jpeg-baseline", "rgb8_planar0_explicit.dcm", {"subsampling": "444"}),
    ("imagecodecs-jpeg-baseline", "ybr_full8_explicit.dcm", {"quality": 75}),
    ("imagecodecs-jpeg-extended", "mono12u_explicit.dcm", {}),
]


@pytest.mark.parametrize(
    ("encoder", "name", "options"),
    JPEG_LOSSY_CASES,
    ids=[f"{e}-{n}-{o}" for e, n, o in JPEG_LOSSY_CASES],
)
def test_dcmdjpeg_decodes_our_lossy_jpeg(
    encoder: str, name: str, options: dict, tmp_path: Path
) -> None:
    layout, pixels, encoded = encode(encoder, name, options)
    # +cn: the samples as stored, YCbCr kept, as our decoder returns them
    theirs = tool_decodes_dicom(["dcmdjpeg", "+cn"], layout, encoded, tmp_path)
    assert max_difference(theirs, ours(layout, encoded)) <= LOSSY_TOLERANCE["dcmdjpeg"]


# -- DCMTK and GDCM: JPEG-LS ------------------------------------------------------

JPEG_LS_SOURCES = [
    "mono8_explicit.dcm",
    "mono12u_explicit.dcm",
    "mono16_explicit.dcm",
    "ct_int16_explicit.dcm",
    "mono12s_explicit.dcm",
    "rgb8_planar0_explicit.dcm",
]


@pytest.mark.parametrize("name", JPEG_LS_SOURCES)
@pytest.mark.parametrize("tool", [["dcmdjpls"], ["gdcmconv", "--raw"]])
def test_tools_decode_our_lossless_jpeg_ls_exactly(
    tool: list[str], name: str, tmp_path: Path
) -> None:
    layout, _, encoded = encode("imagecodecs-jpegls-lossless", name)
    decoded = tool_decodes_dicom(tool, layout, encoded, tmp_path)
    assert sha256(decoded) == RECORDS[name]["sha256"]


@pytest.mark.parametrize("tool", [["dcmdjpls"], ["gdcmconv", "--raw"]])
@pytest.mark.parametrize("name", ["mono8_explicit.dcm", "mono16_explicit.dcm"])
def test_tools_decode_our_near_lossless_jpeg_ls_as_we_do(
    name: str, tool: list[str], tmp_path: Path
) -> None:
    options = {"jls_error": 3}
    layout, pixels, encoded = encode("imagecodecs-jpegls-near-lossless", name, options)
    mine = ours(layout, encoded)
    assert 0 < max_difference(mine, pixels) <= 3
    # JPEG-LS decoding is exact: every decoder gives the same samples
    np.testing.assert_array_equal(
        tool_decodes_dicom(tool, layout, encoded, tmp_path), mine
    )


# -- GDCM: JPEG 2000 -----------------------------------------------------------------

J2K_SOURCES = [
    "mono8_explicit.dcm",
    "mono16_explicit.dcm",
    "ct_int16_explicit.dcm",
    "mono12s_explicit.dcm",
    "rgb8_planar0_explicit.dcm",
    "mono16_5frames_explicit.dcm",
]


@pytest.mark.parametrize("name", J2K_SOURCES)
def test_gdcm_decodes_our_lossless_jpeg_2000_exactly(name: str, tmp_path: Path) -> None:
    layout, _, encoded = encode("imagecodecs-jpeg2000-lossless", name)
    decoded = tool_decodes_dicom(["gdcmconv", "--raw"], layout, encoded, tmp_path)
    assert sha256(decoded) == RECORDS[name]["sha256"]


@pytest.mark.parametrize("name", ["mono16_explicit.dcm", "rgb8_planar0_explicit.dcm"])
def test_gdcm_decodes_our_lossy_jpeg_2000_as_we_do(name: str, tmp_path: Path) -> None:
    layout, pixels, encoded = encode("imagecodecs-jpeg2000", name, {"j2k_psnr": 40})
    mine = ours(layout, encoded)
    assert max_difference(mine, pixels) > 0
    decoded = tool_decodes_dicom(["gdcmconv", "--raw"], layout, encoded, tmp_path)
    assert max_difference(decoded, mine) <= LOSSY_TOLERANCE["gdcmconv"]


# -- OpenJPH: HTJ2K ------------------------------------------------------------------


def read_netpbm(path: Path) -> np.ndarray:
    """A binary PGM (P5) or PPM (P6), 8 or 16 bits (big endian)."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    position += 1  # the one whitespace byte after the largest value
    magic, width, height, largest = fields[0], *map(int, fields[1:])
    samples = 3 if magic == b"P6" else 1
    dtype = np.dtype(">u2" if largest > 255 else "u1")
    count = width * height * samples
    array = np.frombuffer(data, dtype, count, position).astype(dtype.newbyteorder("="))
    if array.max(initial=0) > largest:
        # djxl 0.7 writes 9- to 15-bit images as 16-bit samples under the
        # true largest value; scaling back is exact (v * 65535 / largest was
        # rounded to the nearest integer, and 65535 / largest > 2).
        array = np.rint(array * (largest / 65535)).astype(array.dtype)
    shape = (height, width, samples) if samples == 3 else (height, width)
    return array.reshape(shape)


HTJ2K_CASES = [
    ("imagecodecs-htj2k-lossless", "mono8_explicit.dcm", {}),
    ("imagecodecs-htj2k-lossless", "mono12u_explicit.dcm", {}),
    ("imagecodecs-htj2k-lossless", "mono16_explicit.dcm", {}),
    ("imagecodecs-htj2k-lossless-rpcl", "mono16_explicit.dcm", {}),
    ("imagecodecs-htj2k-lossless", "rgb8_planar0_explicit.dcm", {}),
    ("imagecodecs-htj2k", "mono16_explicit.dcm", {"qstep": 0.01}),
    ("imagecodecs-htj2k", "rgb8_planar0_explicit.dcm", {"qstep": 0.01}),
]


@pytest.mark.parametrize(
    ("encoder", "name", "options"),
    HTJ2K_CASES,
    ids=[f"{e}-{n}" for e, n, _ in HTJ2K_CASES],
)
def test_ojph_expand_decodes_our_htj2k(
    encoder: str, name: str, options: dict, tmp_path: Path
) -> None:
    layout, pixels, (encoded,) = encode(encoder, name, options)
    (tmp_path / "ours.j2c").write_bytes(encoded)
    suffix = ".ppm" if layout.samples_per_pixel == 3 else ".pgm"
    out = tmp_path / f"theirs{suffix}"
    run_tool("ojph_expand", "-i", tmp_path / "ours.j2c", "-o", out)
    theirs = read_netpbm(out)
    if ENCODERS[encoder].lossy:
        mine = ours(layout, [encoded])
        assert max_difference(mine, pixels) > 0
        assert max_difference(theirs, mine) <= LOSSY_TOLERANCE["ojph_expand"]
    else:
        np.testing.assert_array_equal(theirs, pixels)


def test_we_decode_ojph_compress_codestreams(tmp_path: Path) -> None:
    layout, pixels = source("mono16_explicit.dcm")
    (tmp_path / "in.pgm").write_bytes(
        b"P5\n%d %d\n65535\n" % (layout.columns, layout.rows)
        + pixels.astype(">u2").tobytes()
    )
    run_tool(
        "ojph_compress",
        "-i",
        tmp_path / "in.pgm",
        "-o",
        tmp_path / "theirs.j2c",
        "-reversible",
        "true",
    )
    encoded = (tmp_path / "theirs.j2c").read_bytes()
    for transfer_syntax in (
        "1.2.840.10008.1.2.4.201",
        "1.2.840.10008.1.2.4.202",
    ):
        decoded = ours(replace(layout, transfer_syntax=transfer_syntax), [encoded])
        np.testing.assert_array_equal(decoded, pixels)


# -- libjxl: JPEG XL ------------------------------------------------------------------

JXL_CASES = [
    ("imagecodecs-jpegxl-lossless", "mono8_explicit.dcm", {}),
    ("imagecodecs-jpegxl-lossless", "mono12u_explicit.dcm", {}),
    ("imagecodecs-jpegxl-lossless", "mono16_explicit.dcm", {}),
    ("imagecodecs-jpegxl-lossless", "rgb8_planar0_explicit.dcm", {}),
    ("imagecodecs-jpegxl", "mono8_explicit.dcm", {}),
    ("imagecodecs-jpegxl", "rgb8_planar0_explicit.dcm", {"distance": 2.0}),
]


@pytest.mark.parametrize(
    ("encoder", "name", "options"),
    JXL_CASES,
    ids=[f"{e}-{n}" for e, n, _ in JXL_CASES],
)
def test_djxl_decodes_our_jpeg_xl(
    encoder: str, name: str, options: dict, tmp_path: Path
) -> None:
    layout, pixels, (encoded,) = encode(encoder, name, options)
    (tmp_path / "ours.jxl").write_bytes(encoded)
    suffix = ".ppm" if layout.samples_per_pixel == 3 else ".pgm"
    out = tmp_path / f"theirs{suffix}"
    run_tool("djxl", tmp_path / "ours.jxl", out)
    theirs = read_netpbm(out)
    if ENCODERS[encoder].lossy:
        mine = ours(layout, [encoded])
        assert max_difference(mine, pixels) > 0
        assert max_difference(theirs, mine) <= LOSSY_TOLERANCE["djxl"]
    else:
        np.testing.assert_array_equal(theirs, pixels)


def test_we_decode_cjxl_jpeg_recompression(tmp_path: Path) -> None:
    """A JPEG from DCMTK, recompressed by cjxl: our .111 decoder gives the
    pixels djxl gives, and djxl rebuilds the JPEG byte for byte."""
    name = "rgb8_jpeg_baseline_ybr422.dcm"
    layout, (jpeg,) = frames_of(TESTFILES / name)
    (tmp_path / "dcmtk.jpg").write_bytes(jpeg)
    run_tool("cjxl", "--lossless_jpeg=1", tmp_path / "dcmtk.jpg", tmp_path / "cjxl.jxl")
    recompressed = (tmp_path / "cjxl.jxl").read_bytes()
    run_tool("djxl", tmp_path / "cjxl.jxl", tmp_path / "back.jpg")
    assert (tmp_path / "back.jpg").read_bytes() == jpeg
    run_tool("djxl", tmp_path / "cjxl.jxl", tmp_path / "pixels.ppm")
    theirs = read_netpbm(tmp_path / "pixels.ppm")
    jxl_layout = replace(layout, transfer_syntax="1.2.840.10008.1.2.4.111")
    decoded = _imagecodecs_jxl.decode(recompressed, jxl_layout)
    assert decoded.photometric_interpretation == "RGB"
    assert max_difference(decoded.array, theirs) <= LOSSY_TOLERANCE["djxl"]


@pytest.mark.parametrize(
    "name",
    [
        "rgb8_jpeg_baseline_ybr422.dcm",
        "rgb8_jpeg_baseline_ybr444.dcm",
        "rgb8_jpeg_baseline_rgb.dcm",
        "mono8_jpeg_baseline.dcm",
    ],
)
def test_djxl_rebuilds_the_jpegs_we_recompress(name: str, tmp_path: Path) -> None:
    """DCMTK's JPEG Baseline files recompressed as JPEG XL (.111) by
    compress(): libjxl's own djxl gives back DCMTK's JPEG byte for byte from
    the file's frame, and its pixels are what our .111 decoder gives."""
    layout, (jpeg,) = frames_of(TESTFILES / name)
    ds = dcmread(TESTFILES / name)
    ds.compress("1.2.840.10008.1.2.4.111")  # the transcoder, not pixels
    ds.save_as(tmp_path / "ours.dcm")
    _, (recompressed,) = frames_of(tmp_path / "ours.dcm")
    direct = _imagecodecs_jxl.recompress_jpeg(jpeg, layout)
    # the fragment is the codestream, padded to an even length
    assert recompressed[: len(direct)] == direct
    assert len(recompressed) - len(direct) == len(direct) % 2
    (tmp_path / "ours.jxl").write_bytes(recompressed)
    run_tool("djxl", tmp_path / "ours.jxl", tmp_path / "back.jpg")
    assert (tmp_path / "back.jpg").read_bytes() == jpeg.rstrip(b"\0")
    suffix = ".ppm" if layout.samples_per_pixel == 3 else ".pgm"
    run_tool("djxl", tmp_path / "ours.jxl", tmp_path / f"pixels{suffix}")
    theirs = read_netpbm(tmp_path / f"pixels{suffix}")
    jxl_layout = replace(layout, transfer_syntax="1.2.840.10008.1.2.4.111")
    decoded = _imagecodecs_jxl.decode(recompressed, jxl_layout).array
    assert max_difference(decoded, theirs) <= LOSSY_TOLERANCE["djxl"]


def test_only_eight_bit_huffman_jpeg_is_recompressed() -> None:
    layout, (jpeg,) = frames_of(TESTFILES / "mono12u_jpeg_extended.dcm")
    with pytest.raises(CodecError, match="8-bit unsigned"):
        _imagecodecs_jxl.recompress_jpeg(jpeg, layout)
    layout, (lossless,) = frames_of(TESTFILES / "mono8_jpeg_sv1.dcm")
    with pytest.raises(CodecError, match="not SOF marker FFC3"):
        _imagecodecs_jxl.recompress_jpeg(lossless, layout)


# -- pydicom reads the files compress() writes ---------------------------------------

PYDICOM_READABLE = [
    ("imagecodecs-jpeg-lossless-sv1", "1.2.840.10008.1.2.4.70"),
    ("imagecodecs-jpeg-lossless", "1.2.840.10008.1.2.4.57"),
    ("imagecodecs-jpegls-lossless", "1.2.840.10008.1.2.4.80"),
    ("imagecodecs-jpeg2000-lossless", "1.2.840.10008.1.2.4.90"),
    ("imagecodecs-htj2k-lossless", "1.2.840.10008.1.2.4.201"),
    ("imagecodecs-htj2k-lossless-rpcl", "1.2.840.10008.1.2.4.202"),
]


@pytest.mark.parametrize(("encoder", "transfer_syntax"), PYDICOM_READABLE)
@pytest.mark.parametrize("name", ["ct_int16_explicit.dcm", "rgb8_planar0_explicit.dcm"])
def test_pydicom_reads_our_lossless_files(
    encoder: str, transfer_syntax: str, name: str, tmp_path: Path
) -> None:
    pytest.importorskip("pydicom")
    pytest.importorskip("libjpeg", reason="pydicom decodes through pylibjpeg")
    pytest.importorskip("openjpeg", reason="pydicom decodes through pylibjpeg")
    from pydicom.pixels import pixel_array as pydicom_pixel_array

    ds = dcmread(TESTFILES / name)
    ds.compress(transfer_syntax, encoding_plugin=encoder)
    ds.save_as(tmp_path / "ours.dcm")
    decoded = pydicom_pixel_array(tmp_path / "ours.dcm", as_rgb=False)
    assert sha256(decoded) == RECORDS[name]["sha256"]


# -- what other encoders write, our decoders read ----------------------------------


@pytest.mark.parametrize("predictor", range(1, 8))
@pytest.mark.parametrize(
    "name",
    [
        "mono8_explicit.dcm",
        "mono12u_explicit.dcm",
        "mono16_explicit.dcm",
        "ct_int16_explicit.dcm",
    ],
)
def test_we_decode_dcmtk_lossless_jpeg_of_every_predictor(
    name: str, predictor: int, tmp_path: Path
) -> None:
    run_tool(
        "dcmcjpeg", "+el", "+sv", str(predictor), "+un", TESTFILES / name,
        tmp_path / "dcmtk.dcm",
    )  # fmt: skip
    layout, frames = frames_of(tmp_path / "dcmtk.dcm")
    assert layout.transfer_syntax == "1.2.840.10008.1.2.4.57"
    assert sha256(ours(layout, frames)) == RECORDS[name]["sha256"]


@pytest.mark.parametrize(
    "name", ["mono8_explicit.dcm", "mono16_explicit.dcm", "rgb8_planar0_explicit.dcm"]
)
def test_we_decode_cjxl_lossless(name: str, tmp_path: Path) -> None:
    layout, pixels = source(name)
    magic, suffix = (
        (b"P6", ".ppm") if layout.samples_per_pixel == 3 else (b"P5", ".pgm")
    )
    largest = (1 << layout.bits_stored) - 1
    dtype = ">u2" if largest > 255 else "u1"
    (tmp_path / f"in{suffix}").write_bytes(
        magic
        + b"\n%d %d\n%d\n" % (layout.columns, layout.rows, largest)
        + pixels.astype(dtype).tobytes()
    )
    run_tool("cjxl", "-d", "0", tmp_path / f"in{suffix}", tmp_path / "theirs.jxl")
    encoded = (tmp_path / "theirs.jxl").read_bytes()
    jxl_layout = replace(layout, transfer_syntax="1.2.840.10008.1.2.4.110")
    np.testing.assert_array_equal(ours(jxl_layout, [encoded]), pixels)
