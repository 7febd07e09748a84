"""The conformance kit, run on the toy XOR codec, and shown to catch bad codecs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dicomcore.pixels import PixelLayout
from dicomcore.pixels.steps import ybr_full_to_rgb
from dicomcore.testing import (
    PSNR,
    CodecConformance,
    ReferenceFrame,
    collect_records,
    compare_frames,
    make_frame,
    standard_layouts,
)

from . import toy_codecs
from .toy_codecs import TOY_LOSSY, TOY_TRANSFER_SYNTAX


class TestXorConformance(CodecConformance):
    plugin = toy_codecs
    reference_frames = (
        ReferenceFrame(
            name="u8-2x2",
            layout=PixelLayout(rows=2, columns=2, transfer_syntax=TOY_TRANSFER_SYNTAX),
            # written out by hand from the format description, not by the toy encoder
            encoded=b"XOR1\x04\x00\x00\x00" + bytes([0x5A, 0x5B, 0x58, 0xA5]),
            expected=np.array([[0, 1], [2, 255]], np.uint8),
        ),
    )


def test_collect_records_reads_a_plugin_without_registering_it() -> None:
    decoders, encoders = collect_records(toy_codecs)
    assert [(d.name, sorted(d.transfer_syntaxes)) for d in decoders] == [
        ("xor", [TOY_TRANSFER_SYNTAX])
    ]
    assert [(e.name, e.transfer_syntax, e.lossy) for e in encoders] == [
        ("xor", TOY_TRANSFER_SYNTAX, False)
    ]


def test_standard_layouts_cover_the_usual_shapes() -> None:
    layouts = standard_layouts()
    assert list(layouts) == [
        "u8",
        "u8-1x1",
        "u8-33x65",
        "u8-palette",
        "u16-12bit",
        "u16",
        "s16-12bit",
        "s16-monochrome1",
        "u16-3frames",
        "u32",
        "s32-24bit",
        "u64",
        "rgb8",
        "rgb8-planar",
        "rgb16",
        "ybr-full8",
        "1bit",
        "float32",
        "float64",
    ]
    assert {layout.transfer_syntax for layout in layouts.values()} == {
        "1.2.840.10008.1.2.1"
    }
    assert standard_layouts(TOY_TRANSFER_SYNTAX)["u8"].transfer_syntax == (
        TOY_TRANSFER_SYNTAX
    )


@pytest.mark.parametrize(
    ("name", "low", "high", "dtype"),
    [
        ("s16-12bit", -2048, 2047, "int16"),
        ("u16-12bit", 0, 4095, "uint16"),
        ("1bit", 0, 1, "uint8"),
    ],
)
def test_make_frame_stays_within_bits_stored(
    name: str, low: int, high: int, dtype: str
) -> None:
    layout = standard_layouts()[name]
    frame = make_frame(layout)
    assert frame.dtype == np.dtype(dtype)
    assert frame.shape == layout.frame_shape
    assert low <= frame.min() and frame.max() <= high
    np.testing.assert_array_equal(frame, make_frame(layout))


BAD_CODEC = '''
"""A careless codec: no input checks, and an encoder that oversells itself."""

import numpy as np

from dicomcore import errors
from dicomcore.pixels import Decoder, Encoder, hookimpl

UID = "2.25.1"


def decode(src, layout):
    return np.frombuffer(src, layout.dtype).reshape(layout.frame_shape)


def encode(frame, layout, options):
    if layout.is_float and layout.bits_allocated == 64:
        raise errors.CodecError("double floats are not handled")
    return frame.tobytes()


def supports(layout, options):
    return "1-bit data is not handled" if layout.bits_allocated == 1 else None


@hookimpl
def dicomcore_decoders():
    yield Decoder(name="careless", transfer_syntaxes={UID}, decode=decode)


@hookimpl
def dicomcore_encoders():
    yield Encoder(
        name="careless", transfer_syntax=UID, encode=encode, lossy=False,
        supports=supports,
    )
'''

BAD_CODEC_TESTS = """
import careless_codec
from dicomcore.testing import CodecConformance


class TestCareless(CodecConformance):
    plugin = careless_codec
"""


def run_pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_kit_catches_a_careless_codec(tmp_path: Path) -> None:
    (tmp_path / "careless_codec.py").write_text(BAD_CODEC)
    (tmp_path / "test_careless.py").write_text(textwrap.dedent(BAD_CODEC_TESTS))
    result = run_pytest(tmp_path)
    failed = sorted(
        line.split("::")[-1].split(" ")[0]
        for line in result.stdout.splitlines()
        if line.startswith("FAILED")
    )
    assert failed == [
        "test_malformed_input_raises_codec_error[empty]",
        "test_malformed_input_raises_codec_error[garbage]",
        "test_malformed_input_raises_codec_error[truncated]",
        "test_round_trip[float64]",
    ], result.stdout
    assert "SKIPPED [1] " in result.stdout  # the 1-bit round trip, refused honestly
    assert "encoder does not support this layout: 1-bit data is not handled" in (
        result.stdout
    )


# -- colour and tolerances -------------------------------------------------------


class TestLossyDecoderReturningYbr(CodecConformance):
    """JPEG-like: colour stored as YBR_FULL and handed back as such."""

    plugin = toy_codecs.lossy_ybr_plugin
    encode_options = {"shift": 2}
    # Quantisation errs by 2 at most per Y, Cb, Cr sample; turned into RGB
    # that grows by the Cr and Cb factors (1.402, 1.772) and a rounding.
    lossy_tolerance = {"rgb8": 7, "rgb8-planar": 7, "rgb16": 7, "ybr-full8": 7, "*": 2}


class TestLossyDecoderReturningRgb(CodecConformance):
    """The same stream, decoded by a library that converts to RGB itself."""

    plugin = toy_codecs.lossy_rgb_plugin
    encode_options = {"shift": 2}
    lossy_tolerance = {"u8": 2, "u8-33x65": PSNR(45), "*": 7}


class TestTranscoderDecoder(CodecConformance):
    """An encoder that only transcodes: its round trips are skipped, the
    decoder is checked against a frame made by hand."""

    plugin = toy_codecs.recompress_plugin
    encoder_name = "toy-recompress"
    reference_frames = (
        ReferenceFrame(
            name="u8-1x2",
            layout=PixelLayout(
                rows=1, columns=2, transfer_syntax=toy_codecs.TOY_RECOMPRESSED
            ),
            # shift 1: samples 5 and 100 stored as 2 and 50, back as 5 and 101
            encoded=b"RCP1" + zlib.compress(b"LSY1\x01\x02\x32"),
            expected=np.array([[5, 101]], np.uint8),
        ),
    )


def test_lossy_round_trips_pass_for_both_colour_answers() -> None:
    """What the two decoders return differs; what the user sees does not."""
    layout = standard_layouts()["rgb8"]
    frame = make_frame(layout)
    encoded_layout = replace(
        layout, photometric_interpretation="YBR_FULL", transfer_syntax=TOY_LOSSY
    )
    encoded = toy_codecs.lossy_encode(frame, layout, {"shift": 2})
    ybr = toy_codecs.lossy_decode_ybr(encoded, encoded_layout)
    rgb = toy_codecs.lossy_decode_rgb(encoded, encoded_layout)
    assert (ybr.photometric_interpretation, rgb.photometric_interpretation) == (
        "YBR_FULL",
        "RGB",
    )
    np.testing.assert_array_equal(
        ybr_full_to_rgb(ybr.array, 8), rgb.array
    )  # one pixel space for the user
    assert compare_frames(frame, "RGB", ybr.array, "YBR_FULL", layout, 7) is None
    assert compare_frames(frame, "RGB", rgb.array, "RGB", layout, 7) is None


def test_compare_frames_says_layout_frame_difference_and_where() -> None:
    layout = standard_layouts()["rgb8"]
    expected = np.zeros(layout.frame_shape, np.uint8)
    actual = expected.copy()
    actual[2, 3, 1] = 9
    actual[0, 0, 0] = 4
    assert compare_frames(expected, "RGB", actual, "RGB", layout, 5, "ctx") == (
        "ctx, compared in RGB: largest difference 9 at (row 2, column 3, sample 1): "
        "expected 0, got 9; allowed 5"
    )
    assert compare_frames(expected, "RGB", actual, "RGB", layout, None, "ctx") == (
        "ctx, compared in RGB: largest difference 9 at (row 2, column 3, sample 1): "
        "expected 0, got 9; exact match required"
    )
    # mean squared error (81 + 16) / 60: PSNR 10 log10(255**2 * 60 / 97) = 46.04 dB
    assert compare_frames(expected, "RGB", actual, "RGB", layout, PSNR(50), "ctx") == (
        "ctx, compared in RGB: PSNR 46.04 dB, below the floor of 50 dB; largest "
        "difference 9 at (row 2, column 3, sample 1): expected 0, got 9"
    )
    assert compare_frames(expected, "RGB", actual, "RGB", layout, PSNR(46)) is None
    assert compare_frames(expected, "RGB", actual, "YBR_ICT", layout, 5, "ctx") == (
        "ctx: the decoder returned YBR_ICT, which the pipeline does not turn into "
        "RGB (the original is RGB); return RGB, YBR_FULL or RGB"
    )


LOSSY_TOO_COARSE_TESTS = """
import sys

sys.path.insert(0, {folder!r})

import toy_codecs
from dicomcore.testing import CodecConformance


class TestCoarse(CodecConformance):
    plugin = toy_codecs.lossy_ybr_plugin
    encode_options = {{"shift": 4}}
    lossy_tolerance = {{"u8": 3, "rgb8": 3}}
"""


def test_kit_failures_name_layout_frame_largest_difference_and_where(
    tmp_path: Path,
) -> None:
    folder = str(Path(toy_codecs.__file__).parent)
    (tmp_path / "test_coarse.py").write_text(
        LOSSY_TOO_COARSE_TESTS.format(folder=folder)
    )
    result = run_pytest(tmp_path)
    output = result.stdout
    # u8: shift 4 errs by up to 8 where 3 is allowed; where, worked out here
    layout = standard_layouts()["u8"]
    frame = make_frame(layout)
    decoded = ((frame >> 4) << 4) + 8
    difference = np.abs(frame.astype(int) - decoded.astype(int))
    row, column = np.unravel_index(np.argmax(difference), frame.shape)
    assert (
        "AssertionError: layout 'u8' (5x7 MONOCHROME2, 1 sample(s), 8 of 8 bits "
        "unsigned), frame 0 encoded by 'toy-lossy' as MONOCHROME2, decoded from "
        "bytes by 'toy-lossy-ybr', compared in MONOCHROME2: largest difference "
        f"{difference.max()} at (row {row}, column {column}): expected "
        f"{frame[row, column]}, got {decoded[row, column]}; "
        "allowed 3"
    ) in output, output
    assert (
        "layout 'rgb8' (4x5 RGB, 3 sample(s), 8 of 8 bits unsigned), frame 0 "
        "encoded by 'toy-lossy' as YBR_FULL, decoded from bytes by "
        "'toy-lossy-ybr', compared in RGB: largest difference "
    ) in output
    # a layout the mapping leaves out fails, naming itself
    assert (
        "AssertionError: lossy_tolerance has no entry for layout 'u16' and no "
        "'*' entry; add one"
    ) in output
    failed = sorted(
        line.split("::")[-1].split(" ")[0]
        for line in output.splitlines()
        if line.startswith("FAILED")
    )
    assert failed == [
        "test_round_trip[rgb16]",
        "test_round_trip[rgb8-planar]",
        "test_round_trip[rgb8]",
        "test_round_trip[u16-12bit]",
        "test_round_trip[u16-3frames]",
        "test_round_trip[u16]",
        "test_round_trip[u8-1x1]",
        "test_round_trip[u8-33x65]",
        "test_round_trip[u8]",
        "test_round_trip[ybr-full8]",
    ], output


def test_malformed_input_failure_says_what_the_decoder_did(tmp_path: Path) -> None:
    (tmp_path / "careless_codec.py").write_text(BAD_CODEC)
    (tmp_path / "test_careless.py").write_text(textwrap.dedent(BAD_CODEC_TESTS))
    output = run_pytest(tmp_path).stdout
    assert (
        "Failed: empty input: decoder 'careless' raised ValueError: cannot reshape "
        "array of size 0 into shape (5,7); raise dicomcore.errors.CodecError saying "
        "what is wrong with the data"
    ) in output, output
