"""The optional ``pylibjpeg-rle`` codec (plugins/pylibjpeg_rle.py): RLE Lossless.

Witnesses: the manifest's hashes (DCMTK and GDCM encoded the RLE files);
DCMTK's ``dcmdrle`` and GDCM's ``gdcmconv --raw`` decoding what we encode.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dicomcore_plugins import pylibjpeg_rle
from interop import run_tool

from dicomcore import dcmread
from dicomcore.errors import CodecError
from dicomcore.pixels import (
    PixelLayout,
    choose_decoders,
    choose_encoder,
    pixel_array,
)
from dicomcore.testing import CodecConformance

from .optional_codec_support import (
    RECORDS,
    RLE,
    TESTFILES,
    apply_bits_stored,
    frames_of,
    ids,
    importorskip,
    native_pixels,
    records,
    reference_frames,
    sha256,
    stack,
    write_encapsulated,
)

RLE_FILES = records(RLE)
RLE_LOSSLESS = "1.2.840.10008.1.2.5"


@pytest.fixture(autouse=True)
def _rle() -> None:
    importorskip("rle")


@pytest.mark.parametrize("record", RLE_FILES, ids=ids(RLE_FILES))
def test_decodes_to_the_manifest_hash(record: dict) -> None:
    layout, frames = frames_of(TESTFILES / record["file"])
    decoded = [pylibjpeg_rle.decode(frame, layout) for frame in frames]
    for array in decoded:
        # a bare array: the layout's colour space, Bits Stored not applied
        assert isinstance(array, np.ndarray)
        assert array.shape == layout.frame_shape and array.dtype == layout.dtype
    assert sha256(apply_bits_stored(stack(decoded), layout)) == record["sha256"]
    assert sha256(pixel_array(TESTFILES / record["file"])) == record["sha256"]


def test_it_is_preferred_to_the_bundled_rle_codec() -> None:
    layout, _ = frames_of(TESTFILES / "rgb8_rle.dcm")
    decoders = [decoder.name for decoder in choose_decoders(layout)]
    assert decoders[0] == "pylibjpeg-rle"
    assert choose_encoder(layout, RLE_LOSSLESS).name == "pylibjpeg-rle"
    assert pylibjpeg_rle.PRIORITY > 50  # the bundled codecs' priority


ENCODE_SOURCES = [
    "mono8_explicit.dcm",
    "mono8_odd_explicit.dcm",
    "mono16_explicit.dcm",
    "ct_int16_explicit.dcm",
    "mono12s_explicit.dcm",
    "rgb8_planar0_explicit.dcm",
    "rgb8_planar1_explicit.dcm",
    "mono16_5frames_explicit.dcm",
    "mono32u_explicit.dcm",
]


@pytest.mark.parametrize("name", ENCODE_SOURCES)
def test_encoding_decodes_exactly_in_dcmtk_and_gdcm(name: str, tmp_path: Path) -> None:
    path = TESTFILES / name
    layout = PixelLayout.from_dataset(dcmread(path))
    pixels = native_pixels(path)
    frames = pixels if layout.number_of_frames > 1 else pixels[np.newaxis]
    one_frame = replace(layout, number_of_frames=1)
    assert pylibjpeg_rle.supports_encoding(one_frame, {}) is None
    encoded = [pylibjpeg_rle.encode(frame, one_frame, {}) for frame in frames]
    rle = replace(layout, transfer_syntax=RLE_LOSSLESS, planar_configuration=0)
    ours = write_encapsulated(tmp_path / "ours.dcm", rle, encoded)
    run_tool("dcmdrle", ours, tmp_path / "dcmtk.dcm")
    assert sha256(native_pixels(tmp_path / "dcmtk.dcm")) == RECORDS[name]["sha256"]
    if layout.rows * layout.columns % 2 == 0:
        # GDCM 3.0's RLE codec fails on 8-bit frames of odd length (see
        # testfiles/README.md), sometimes without an error status.
        run_tool("gdcmconv", "--raw", "--explicit", ours, tmp_path / "gdcm.dcm")
        assert sha256(native_pixels(tmp_path / "gdcm.dcm")) == RECORDS[name]["sha256"]
    decoded = [
        pylibjpeg_rle.decode(frame, replace(rle, number_of_frames=1))
        for frame in encoded
    ]
    assert sha256(apply_bits_stored(stack(decoded), layout)) == RECORDS[name]["sha256"]


def test_supports() -> None:
    layout = PixelLayout(rows=4, columns=4, transfer_syntax=RLE_LOSSLESS)
    assert pylibjpeg_rle.supports(layout) is None
    assert "1-bit" in pylibjpeg_rle.supports(
        replace(layout, bits_allocated=1, bits_stored=1, high_bit=-1)
    )
    rgb64 = replace(
        layout,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        bits_allocated=64,
        bits_stored=64,
        high_bit=-1,
    )
    assert "24 segments" in pylibjpeg_rle.supports(rgb64)
    float32 = replace(
        layout,
        bits_allocated=32,
        bits_stored=32,
        high_bit=-1,
        pixel_keyword="FloatPixelData",
    )
    assert "floating point" in pylibjpeg_rle.supports(float32)


def test_malformed_frames_raise_codec_error() -> None:
    layout, (frame,) = frames_of(TESTFILES / "rgb8_rle.dcm")
    with pytest.raises(CodecError, match="pylibjpeg-rle"):
        pylibjpeg_rle.decode(frame[:40], layout)
    with pytest.raises(CodecError, match="pylibjpeg-rle"):
        # one segment where the layout needs three
        mono_layout, (mono,) = frames_of(TESTFILES / "mono8_rle.dcm")
        pylibjpeg_rle.decode(
            mono,
            replace(mono_layout, samples_per_pixel=3, photometric_interpretation="RGB"),
        )


class TestPylibjpegRleConformance(CodecConformance):
    plugin = pylibjpeg_rle
    reference_frames = reference_frames(RLE_FILES)
