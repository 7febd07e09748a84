"""The conformance kit, run on the toy XOR codec, and shown to catch bad codecs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from dicomcore.pixels import PixelLayout
from dicomcore.testing import (
    CodecConformance,
    ReferenceFrame,
    collect_records,
    make_frame,
    standard_layouts,
)

from . import toy_codecs
from .toy_codecs import TOY_TRANSFER_SYNTAX


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
