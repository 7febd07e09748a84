"""dicomcore's processing against DCMTK's rendering of the same files.

testfiles/processing holds files made by DCMTK's dump2dcm and, in
renderings/, what DCMTK's dcm2pnm made of them (8-bit PGM/PPM unless the
command says otherwise).  dcm2pnm maps a window onto 0..255 (+opw: 0..65535)
and truncates, so our float output is floored the same way; it shifts the
entries of a 10- to 16-bit VOI LUT or palette down to 8 bits; it draws
overlays in white.  Where DCMTK departs from the standard's arithmetic the
test says so and applies the same departure to our output, never loosening
the comparison of the step under test.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from interop import require_tool, run_tool

from dicomcore import dcmread
from dicomcore.pixels import (
    apply_color_lut,
    apply_modality_lut,
    apply_presentation_lut,
    apply_voi_lut,
    apply_windowing,
    convert_color_space,
    get_overlay_array,
    pixel_array,
)
from dicomcore.pixels.overlay import overlay_groups
from dicomcore.pixels.processing import window

FILES = Path(__file__).resolve().parents[2] / "testfiles" / "processing"
MANIFEST: dict[str, Any] = json.loads((FILES / "manifest.json").read_text())
RECORDS = {record["file"]: record for record in MANIFEST["files"]}
DISPLAY = (0, 255)


def read_pnm(path: Path) -> np.ndarray:
    """A binary (P5/P6) or ASCII (P2/P3) PGM/PPM as an array."""
    data = path.read_bytes()
    fields: list[bytes] = []
    position = 0
    token = re.compile(rb"(?:\s|#[^\n]*\n)*(\S+)")
    while len(fields) < 4:
        match = token.match(data, position)
        assert match is not None, path
        fields.append(match.group(1))
        position = match.end()
    magic, width, height, maximum = fields[0], *map(int, fields[1:])
    samples = 3 if magic in (b"P3", b"P6") else 1
    count = width * height * samples
    if magic in (b"P5", b"P6"):
        dtype = np.uint8 if maximum < 256 else np.dtype(">u2")
        values = np.frombuffer(data, dtype, count=count, offset=position + 1)
    else:
        values = np.array(data[position:].split()[:count], dtype=np.int64)
    shape = (height, width, samples) if samples == 3 else (height, width)
    return values.reshape(shape).astype(np.int64)


def rendering(name: str) -> np.ndarray:
    return read_pnm(FILES / "renderings" / name)


def floored(values: np.ndarray) -> np.ndarray:
    return np.floor(values).astype(np.int64)


def load(name: str) -> tuple[Any, np.ndarray]:
    ds = dcmread(FILES / name)
    return ds, ds.pixel_array


# -- windows -------------------------------------------------------------------


def test_ct_windows_from_the_file() -> None:
    ds, stored = load("ct_rescale_windows.dcm")
    hounsfield = apply_modality_lut(stored, ds)
    for index in range(3):
        shown = apply_windowing(hounsfield, ds, index=index, output_range=DISPLAY)
        expected = rendering(f"ct_rescale_windows_w{index + 1}.pgm")
        np.testing.assert_array_equal(
            floored(shown), expected, err_msg=f"window {index}"
        )
    sixteen = apply_windowing(hounsfield, ds, index=1, output_range=(0, 65535))
    np.testing.assert_array_equal(
        floored(sixteen), rendering("ct_rescale_windows_w2_16bit.pgm")
    )


def test_ct_window_from_the_command_line_and_sigmoid() -> None:
    ds, stored = load("ct_rescale_windows.dcm")
    hounsfield = apply_modality_lut(stored, ds)
    # dcm2pnm +Ww 40.5 350
    shown = window(hounsfield, 40.5, 350, "LINEAR", DISPLAY)
    np.testing.assert_array_equal(
        floored(shown), rendering("ct_rescale_windows_ww.pgm")
    )
    # dcm2pnm +Wi 1 +Wfs: the first window with the SIGMOID function
    shown = window(hounsfield, 40, 400, "SIGMOID", DISPLAY)
    np.testing.assert_array_equal(
        floored(shown), rendering("ct_rescale_windows_sigmoid.pgm")
    )


def test_signed_sigmoid_with_a_fractional_rescale() -> None:
    ds, stored = load("ct_signed_sigmoid.dcm")
    values = apply_modality_lut(stored, ds)
    assert values.dtype == np.float64 and not np.all(values == np.trunc(values))
    # DCMTK keeps the Modality LUT stage's output as integers, truncated
    # toward zero (0.25 x + 100.5 loses its fraction); the window is then
    # the standard's SIGMOID
    truncated = np.trunc(values)
    for index in range(2):
        shown = apply_voi_lut(truncated, ds, index=index, output_range=DISPLAY)
        expected = rendering(f"ct_signed_sigmoid_w{index + 1}.pgm")
        np.testing.assert_array_equal(
            floored(shown), expected, err_msg=f"window {index}"
        )


@pytest.mark.parametrize("name", ["mono1_window", "mono1_identity", "mono2_inverse"])
def test_monochrome1_and_presentation_lut_shape(name: str) -> None:
    ds, stored = load(f"{name}.dcm")
    shown = apply_voi_lut(apply_modality_lut(stored, ds), ds, output_range=DISPLAY)
    p_values = apply_presentation_lut(shown, ds, input_range=DISPLAY)
    np.testing.assert_array_equal(floored(p_values), rendering(f"{name}_w1.pgm"))
    inverted = name != "mono1_identity"
    assert (p_values is shown) is not inverted


# -- LUTs ----------------------------------------------------------------------


def test_voi_lut_sequence_items_and_window() -> None:
    ds, stored = load("voi_lut_sequence.dcm")
    for index, bits in enumerate((16, 10, 8)):
        values = apply_voi_lut(stored, ds, index=index)
        assert values.dtype == (np.uint8 if bits == 8 else np.uint16)
        # dcm2pnm keeps the top 8 bits of each entry
        expected = rendering(f"voi_lut_sequence_l{index + 1}.pgm")
        np.testing.assert_array_equal(values.astype(np.int64) >> (bits - 8), expected)
    shown = apply_voi_lut(stored, ds, prefer_lut=False, output_range=DISPLAY)
    np.testing.assert_array_equal(floored(shown), rendering("voi_lut_sequence_w1.pgm"))


def test_modality_lut_then_window() -> None:
    ds, stored = load("modality_lut.dcm")
    values = apply_modality_lut(stored, ds)
    assert values.dtype == np.uint16 and int(values.max()) == 4095
    shown = apply_windowing(values, ds, output_range=DISPLAY)
    np.testing.assert_array_equal(floored(shown), rendering("modality_lut_w1.pgm"))
    shown = window(values, 2047.5, 4096, "LINEAR", DISPLAY)
    np.testing.assert_array_equal(floored(shown), rendering("modality_lut_ww.pgm"))


def test_modality_lut_with_a_negative_first_value() -> None:
    ds, stored = load("modality_lut_signed.dcm")
    assert int(stored.min()) < -200  # some values fall below the first mapped
    values = apply_modality_lut(stored, ds)
    shown = window(values, 2048, 4096, "LINEAR", DISPLAY)
    np.testing.assert_array_equal(
        floored(shown), rendering("modality_lut_signed_ww.pgm")
    )


@pytest.mark.parametrize("name", ["enhanced_ct_per_frame", "enhanced_ct_shared"])
def test_enhanced_frames_against_single_frame_renderings(name: str) -> None:
    ds, stored = load(f"{name}.dcm")
    # the whole volume at once, each frame with its functional groups' values;
    # DCMTK truncates the rescaled values (frame 3 has slope 0.5)
    values = np.trunc(apply_modality_lut(stored, ds))
    shown = apply_voi_lut(values, ds, output_range=DISPLAY)
    for frame in range(3):
        expected = rendering(f"{name}_frame{frame + 1}_w1.pgm")
        np.testing.assert_array_equal(
            floored(shown[frame]), expected, err_msg=f"frame {frame}"
        )


@pytest.mark.parametrize("name", ["palette16", "palette8"])
def test_palette_colour(name: str) -> None:
    ds, stored = load(f"{name}.dcm")
    rgb = apply_color_lut(stored, ds)
    shift = 8 if rgb.dtype == np.uint16 else 0  # dcm2pnm keeps the top 8 bits
    np.testing.assert_array_equal(
        rgb.astype(np.int64) >> shift, rendering(f"{name}.ppm")
    )


# -- overlays ------------------------------------------------------------------


def with_overlays(ds: Any, image: np.ndarray) -> np.ndarray:
    """``image`` with every overlay of ``ds`` drawn in white, as dcm2pnm does."""
    drawn = np.zeros(image.shape, bool)
    for group in overlay_groups(ds):
        drawn |= get_overlay_array(ds, group, on_image=True).astype(bool)
    return np.where(drawn, 255, image)


def test_overlays_on_a_single_frame() -> None:
    ds, stored = load("overlay.dcm")
    np.testing.assert_array_equal(stored, rendering("overlay_none.pgm"))
    np.testing.assert_array_equal(
        with_overlays(ds, stored), rendering("overlay_all.pgm")
    )


def test_overlays_on_a_multi_frame_image() -> None:
    ds, stored = load("overlay_multiframe.dcm")
    drawn = with_overlays(ds, stored)
    for frame in range(4):
        expected = rendering(f"overlay_multiframe_f{frame + 1}.pgm")
        np.testing.assert_array_equal(drawn[frame], expected, err_msg=f"frame {frame}")


def test_embedded_overlay() -> None:
    ds, stored = load("overlay_embedded.dcm")
    shown = floored(window(stored, 2048, 4096, "LINEAR", DISPLAY))
    np.testing.assert_array_equal(shown, rendering("overlay_embedded_none.pgm"))
    np.testing.assert_array_equal(
        with_overlays(ds, shown), rendering("overlay_embedded.pgm")
    )


# -- colour --------------------------------------------------------------------


def test_ybr_full_within_dcmtk_rounding() -> None:
    ds = dcmread(FILES / "ybr_full.dcm")
    rgb = convert_color_space(pixel_array(ds, raw=True), "YBR_FULL", "RGB")
    # DCMTK converts with integer arithmetic of its own: up to 2 apart
    difference = np.abs(rgb.astype(np.int64) - rendering("ybr_full.ppm"))
    assert difference.max() <= 2


def test_ybr_partial_422_within_dcmtk_rounding() -> None:
    ds = dcmread(FILES / "ybr_partial_422.dcm")
    # native YBR_PARTIAL_422: Y1 Y2 CB CR for each pair of pixels
    pairs = np.frombuffer(ds.PixelData, np.uint8).reshape(8, 8, 4)
    full = np.empty((8, 16, 3), np.uint8)
    full[:, 0::2, 0], full[:, 1::2, 0] = pairs[..., 0], pairs[..., 1]
    full[..., 1] = np.repeat(pairs[..., 2], 2, axis=1)
    full[..., 2] = np.repeat(pairs[..., 3], 2, axis=1)
    rgb = convert_color_space(full, "YBR_PARTIAL_422", "RGB")
    difference = np.abs(rgb.astype(np.int64) - rendering("ybr_partial_422.ppm"))
    assert difference.max() <= 2


# -- the files and renderings themselves ---------------------------------------


def test_manifest_lists_every_file_and_rendering() -> None:
    on_disk = {path.name for path in FILES.glob("*.dcm")}
    assert on_disk == set(RECORDS)
    listed = {
        rendering["file"]
        for record in RECORDS.values()
        for rendering in record["renderings"]
    }
    assert listed == {
        f"renderings/{path.name}" for path in (FILES / "renderings").iterdir()
    }
    for name in listed:
        digest = hashlib.sha256((FILES / name).read_bytes()).hexdigest()
        record = next(
            r for r in RECORDS.values() for x in r["renderings"] if x["file"] == name
        )
        assert digest == next(
            x["sha256"] for x in record["renderings"] if x["file"] == name
        )


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_stored_pixels_as_written(name: str) -> None:
    ds = dcmread(FILES / name)
    record = RECORDS[name]["stored_pixels"]
    if name == "ybr_partial_422.dcm":  # read above from its bytes
        data = bytes(ds.PixelData)
    else:
        arr = pixel_array(ds, raw=True, correct_unused_bits=False)
        assert list(arr.shape) == record["shape"] and str(arr.dtype) == record["dtype"]
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    assert hashlib.sha256(data).hexdigest() == record["sha256"]


LIVE = [
    (record["file"], entry)
    for record in MANIFEST["files"]
    for entry in record["renderings"]
    if not entry["of_single_frame_copy"]
]


@pytest.mark.parametrize(("name", "entry"), LIVE, ids=[e["file"] for _, e in LIVE])
def test_dcmtk_renders_the_same_today(
    name: str, entry: dict[str, Any], tmp_path: Path
) -> None:
    require_tool("dcm2pnm")
    arguments = shlex.split(entry["command"])
    output = Path(arguments[-1]).name
    shutil.copyfile(FILES / name, tmp_path / name)
    run_tool(*arguments[:-2], tmp_path / name, tmp_path / output)
    expected = read_pnm(FILES / entry["file"])
    np.testing.assert_array_equal(read_pnm(tmp_path / output), expected)
