"""``dicomcore render`` and :mod:`dicomcore.render` against independent witnesses.

The PNGs are decoded here with the standard library alone (a PNG reader of a
few lines: chunks, CRCs, zlib, the five row filters), never with the writer
under test.  Expected pictures come from outside dicomcore: the manifest's
pixels (read with pydicom and checked against the manifest's SHA-256) put
through the window equation written out with numpy, and DCMTK's ``dcm2pnm``,
run now (``+on -il``: a non-interlaced PNG) or as kept in
``testfiles/processing/renderings``.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from interop import run_tool

from dicomcore import dcmread
from dicomcore.cli import main
from dicomcore.errors import DicomError
from dicomcore.render import encode_png, render_frame, write_png

REPO = Path(__file__).resolve().parents[1]
TESTFILES = REPO / "testfiles"
PROCESSING = TESTFILES / "processing"
MANIFEST = {
    record["file"]: record
    for record in json.loads((TESTFILES / "manifest.json").read_text())
}
TUTORIAL_MANIFEST = {
    record["file"]: record
    for record in json.loads((TESTFILES / "tutorials" / "manifest.json").read_text())[
        "files"
    ]
}


# -- a PNG reader ------------------------------------------------------------------


def paeth(left: int, above: int, upper_left: int) -> int:
    estimate = left + above - upper_left
    distances = (
        abs(estimate - left),
        abs(estimate - above),
        abs(estimate - upper_left),
    )
    return (left, above, upper_left)[distances.index(min(distances))]


def read_png(data: bytes) -> np.ndarray:
    """An 8-bit grey, RGB or RGBA non-interlaced PNG as a uint8 array."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
    position = 8
    chunks: list[tuple[bytes, bytes]] = []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(
            ">I", data[position + 8 + length : position + 12 + length]
        )
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, method, filters, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert (depth, method, filters, interlace) == (8, 0, 0, 0)
    samples = {0: 1, 2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * samples
    assert len(raw) == height * (stride + 1)
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for index in range(stride):
            left = line[index - samples] if index >= samples else 0
            above = previous[index]
            upper_left = previous[index - samples] if index >= samples else 0
            predictor = (
                0,
                left,
                above,
                (left + above) // 2,
                paeth(left, above, upper_left),
            )[kind]
            line[index] = (line[index] + predictor) & 0xFF
        rows.append(line)
        previous = line
    array = np.frombuffer(b"".join(rows), np.uint8).reshape(height, width, samples)
    return array[..., 0] if samples == 1 else array


def read_pnm(path: Path) -> np.ndarray:
    """A binary 8-bit PGM (P5) or PPM (P6), as dcm2pnm writes them."""
    data = path.read_bytes()
    match = re.match(rb"(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert match is not None and match.group(4) == b"255", path
    width, height = int(match.group(2)), int(match.group(3))
    samples = 3 if match.group(1) == b"P6" else 1
    values = np.frombuffer(data, np.uint8, width * height * samples, match.end())
    return values.reshape((height, width, samples) if samples == 3 else (height, width))


# -- witnesses ---------------------------------------------------------------------


def manifest_pixels(name: str) -> tuple[Any, np.ndarray]:
    """pydicom's dataset and pixels of testfiles/NAME, checked against the
    manifest's SHA-256 (so the array is the one DCMTK and GDCM decoded)."""
    pydicom = pytest.importorskip("pydicom")
    ds = pydicom.dcmread(TESTFILES / name)
    # raw: the samples as stored, no colour conversion
    array = pydicom.pixels.pixel_array(TESTFILES / name, raw=True)
    if name.startswith("tutorials/"):
        expected = TUTORIAL_MANIFEST[name[10:]]["stored_pixels"]["sha256"]
    else:
        expected = MANIFEST[name]["sha256"]
    little_endian = array.astype(array.dtype.newbyteorder("<"))
    assert hashlib.sha256(little_endian.tobytes()).hexdigest() == expected
    return ds, array


def linear_window(values: np.ndarray, center: float, width: float) -> np.ndarray:
    """PS3.3 C.11.2.1.2.1 onto 0..255, truncated to integers."""
    x = values.astype(np.float64)
    low_edge = center - 0.5 - (width - 1) / 2
    high_edge = center - 0.5 + (width - 1) / 2
    y = ((x - (center - 0.5)) / (width - 1) + 0.5) * 255
    y = np.where(x <= low_edge, 0.0, np.where(x > high_edge, 255.0, y))
    return np.floor(y).astype(np.uint8)


def dcm2pnm_png(tmp_path: Path, source: Path, *options: str) -> np.ndarray:
    output = tmp_path / "dcmtk.png"
    run_tool("dcm2pnm", *options, "+on", "-il", source, output)
    return read_png(output.read_bytes())


def render_cli(tmp_path: Path, source: Path, *options: str) -> np.ndarray:
    output = tmp_path / "ours.png"
    assert main(["render", str(source), "-o", str(output), *options]) == 0
    return read_png(output.read_bytes())


# -- the PNG writer ----------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(1, 1), (7, 5), (40, 33, 3), (9, 4, 4), (6, 2, 1)], ids=str
)
def test_png_round_trip(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(len(shape) * 100 + shape[0])
    array = rng.integers(0, 256, shape, dtype=np.uint8)
    decoded = read_png(encode_png(array))
    np.testing.assert_array_equal(decoded, array.reshape(decoded.shape))


def test_png_chunks_and_header() -> None:
    data = encode_png(np.full((3, 5, 3), 200, np.uint8))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">IIBBBBB", data[16:29]) == (5, 3, 8, 2, 0, 0, 0)
    assert data.endswith(b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_png_read_by_pillow_when_installed(tmp_path: Path) -> None:
    image_module = pytest.importorskip("PIL.Image")
    array = np.arange(3 * 4 * 3, dtype=np.uint8).reshape(3, 4, 3) * 7
    write_png(tmp_path / "rgb.png", array)
    with image_module.open(tmp_path / "rgb.png") as image:
        assert image.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(image), array)


def test_write_png_refuses_what_png_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="from uint8 values, not uint16"):
        write_png(tmp_path / "x.png", np.zeros((2, 2), np.uint16))
    with pytest.raises(ValueError, match=r"not \(2, 2, 2\)"):
        write_png(tmp_path / "x.png", np.zeros((2, 2, 2), np.uint8))
    with pytest.raises(ValueError, match="at least one pixel"):
        write_png(tmp_path / "x.png", np.zeros((0, 3), np.uint8))
    assert list(tmp_path.iterdir()) == []  # nothing left behind


# -- grey --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "center", "width"),
    [((), 40, 400), (("--window", "-600", "1500"), -600, 1500)],
    ids=["window-from-file", "window-option"],
)
def test_grey_ct_equals_the_window_equation_and_dcm2pnm(
    tmp_path: Path, options: tuple[str, ...], center: float, width: float
) -> None:
    source = TESTFILES / "ct_int16_explicit.dcm"
    ds, stored = manifest_pixels(source.name)
    assert stored.dtype == np.int16
    assert (float(ds.RescaleSlope), float(ds.RescaleIntercept)) == (1.0, -1024.0)
    assert (ds.WindowCenter[0], ds.WindowWidth[0]) == (40, 400)
    hounsfield = stored.astype(np.float64) * 1.0 - 1024.0
    expected = linear_window(hounsfield, center, width)
    ours = render_cli(tmp_path, source, *options)
    assert ours.shape == (64, 64) and ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, expected)
    assert 0 < np.count_nonzero(ours == 0) and 0 < np.count_nonzero(ours == 255)
    dcmtk = dcm2pnm_png(tmp_path, source, "+Ww", str(center), str(width))
    np.testing.assert_array_equal(ours, dcmtk)


def test_grey_mr_512_with_its_window_equals_dcm2pnm(tmp_path: Path) -> None:
    source = TESTFILES / "tutorials" / "mr_512.dcm"
    _, stored = manifest_pixels("tutorials/mr_512.dcm")
    ours = render_cli(tmp_path, source)
    np.testing.assert_array_equal(ours, linear_window(stored, 1600, 3200))
    np.testing.assert_array_equal(ours, dcm2pnm_png(tmp_path, source, "+Wi", "1"))


def test_one_frame_of_a_multiframe_image(tmp_path: Path) -> None:
    source = TESTFILES / "mono16_5frames_explicit.dcm"
    _, stored = manifest_pixels(source.name)
    ours = render_cli(tmp_path, source, "--frame", "3", "--window", "30000", "20000")
    np.testing.assert_array_equal(ours, linear_window(stored[3], 30000, 20000))
    # dcm2pnm counts frames from 1
    dcmtk = dcm2pnm_png(tmp_path, source, "+F", "4", "+Ww", "30000", "20000")
    np.testing.assert_array_equal(ours, dcmtk)


def test_without_a_window_the_frame_range_is_shown(tmp_path: Path) -> None:
    source = TESTFILES / "mono16_5frames_explicit.dcm"
    _, stored = manifest_pixels(source.name)
    frame = stored[1].astype(np.float64)
    low, high = frame.min(), frame.max()
    expected = np.floor((frame - low) / (high - low) * 255).astype(np.uint8)
    ours = render_cli(tmp_path, source, "--frame", "1")
    np.testing.assert_array_equal(ours, expected)
    assert (ours.min(), ours.max()) == (0, 255)


def test_float_pixel_data_without_a_window(tmp_path: Path) -> None:
    source = TESTFILES / "float32_pmap_explicit.dcm"
    _, stored = manifest_pixels(source.name)
    frame = stored[1].astype(np.float64)  # the second of two frames
    low, high = frame.min(), frame.max()
    expected = np.floor((frame - low) / (high - low) * 255).astype(np.uint8)
    np.testing.assert_array_equal(
        render_cli(tmp_path, source, "--frame", "1"), expected
    )


@pytest.mark.parametrize(
    ("name", "rendering"),
    [
        ("mono1_window.dcm", "mono1_window_w1.pgm"),  # MONOCHROME1: inverted
        ("mono1_identity.dcm", "mono1_identity_w1.pgm"),  # ... unless IDENTITY
        ("mono2_inverse.dcm", "mono2_inverse_w1.pgm"),
        ("voi_lut_sequence.dcm", "voi_lut_sequence_l1.pgm"),  # 16-bit VOI LUT
        ("modality_lut.dcm", "modality_lut_w1.pgm"),
        ("ct_rescale_windows.dcm", "ct_rescale_windows_w1.pgm"),
    ],
)
def test_grey_processing_files_equal_dcmtk_renderings(
    name: str, rendering: str
) -> None:
    ours = render_frame(dcmread(PROCESSING / name))
    np.testing.assert_array_equal(ours, read_pnm(PROCESSING / "renderings" / rendering))


def test_enhanced_frames_use_their_own_functional_groups() -> None:
    ds = dcmread(PROCESSING / "enhanced_ct_shared.dcm")
    for frame in range(3):
        expected = read_pnm(
            PROCESSING / "renderings" / f"enhanced_ct_shared_frame{frame + 1}_w1.pgm"
        )
        np.testing.assert_array_equal(render_frame(ds, frame), expected)


# -- colour ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["rgb8_planar1_explicit.dcm", "rgb8_planar0_bigendian.dcm", "rgb8_rle.dcm"]
)
def test_rgb_equals_the_manifest_pixels_and_dcm2pnm(tmp_path: Path, name: str) -> None:
    _, stored = manifest_pixels(name)
    ours = render_cli(tmp_path, TESTFILES / name)
    assert ours.shape == (32, 32, 3)
    np.testing.assert_array_equal(ours, stored)
    np.testing.assert_array_equal(ours, dcm2pnm_png(tmp_path, TESTFILES / name))


def test_ybr_full_becomes_rgb_as_pydicom_converts_it(tmp_path: Path) -> None:
    convert = pytest.importorskip("pydicom.pixels").convert_color_space
    _, stored = manifest_pixels("ybr_full8_explicit.dcm")
    ours = render_cli(tmp_path, TESTFILES / "ybr_full8_explicit.dcm")
    np.testing.assert_array_equal(ours, convert(stored, "YBR_FULL", "RGB"))


@pytest.mark.parametrize("name", ["palette8", "palette16"])
def test_palette_colour_equals_dcmtk(name: str) -> None:
    ours = render_frame(dcmread(PROCESSING / f"{name}.dcm"))
    np.testing.assert_array_equal(
        ours, read_pnm(PROCESSING / "renderings" / f"{name}.ppm")
    )


# -- errors ------------------------------------------------------------------------


def test_a_window_for_a_colour_image_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "x.png"
    source = str(TESTFILES / "rgb8_planar0_explicit.dcm")
    assert main(["render", source, "-o", str(output), "--window", "1", "2"]) == 1
    assert capsys.readouterr().err == (
        "dicomcore render: a window applies to MONOCHROME1 and MONOCHROME2 "
        "images, not RGB\n"
    )
    assert not output.exists()
    with pytest.raises(DicomError, match="not RGB"):
        render_frame(dcmread(source), window=(1, 2))


def test_a_frame_the_image_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(TESTFILES / "mono16_5frames_explicit.dcm")
    output = str(tmp_path / "x.png")
    assert main(["render", source, "-o", output, "--frame", "5"]) == 1
    assert capsys.readouterr().err == (
        "dicomcore render: frame index 5 is out of range: the image has 5 frame(s)\n"
    )
    assert main(["render", source, "-o", output, "--frame", "-1"]) == 1
    assert capsys.readouterr().err == (
        "dicomcore render: a frame index must be 0 or more, not -1\n"
    )
    assert list(tmp_path.iterdir()) == []
