"""compress and transcode with third-party records: an encoder's Lossy Image
Compression Method, and a transcoding encoder chosen over decode-and-encode.

The toy plugins of toy_codecs.py: ``toy-lossy`` writes LSY1 (lossy, Method
TOY_LSY1); ``toy-recompress`` transcodes LSY1 codestreams into RCP1 (the LSY1
stream deflated, reconstructable byte for byte) and encodes no pixels;
``toy-recompress-pixels`` encodes pixels into RCP1 the long way, at a higher
priority.  Files are checked with pydicom, which knows none of these codecs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.encaps import generate_frames

import dicomcore
from dicomcore import Dataset
from dicomcore.errors import CodecError, NoCodecError
from dicomcore.pixels import Encoder, compress, register_plugin, transcode
from dicomcore.pixels.compress import lossy_method

from . import toy_codecs
from .toy_codecs import LOSSY_METHOD, TOY_LOSSY, TOY_RECOMPRESSED

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
ORIGINAL_UID = "1.2.826.0.1.3680043.2.1143.778"
FRAMES = np.stack(
    [
        np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3) * 4,
        np.full((4, 5, 3), (200, 30, 90), np.uint8),
    ]
)


@pytest.fixture(autouse=True)
def toy_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The bundled codecs and the toy plugins, no entry points."""
    monkeypatch.setenv("DICOMCORE_NO_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("DICOMCORE_BLOCK_PLUGINS", raising=False)
    dicomcore.pixels.reset_registry()
    register_plugin(toy_codecs.lossy_ybr_plugin, "toy-lossy-ybr")
    register_plugin(toy_codecs.recompress_plugin, "toy-recompress-plugin")
    yield
    dicomcore.pixels.reset_registry()


def rgb_dataset() -> Dataset:
    ds = Dataset()
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = ORIGINAL_UID
    ds.set_pixel_data(FRAMES, "RGB", 8)
    return ds


def lossy_dataset() -> Dataset:
    return compress(rgb_dataset(), TOY_LOSSY, shift=2)


def padded(fragment: bytes) -> bytes:
    """As encapsulation stores it: an even length (PS3.5 A.4)."""
    return fragment + b"\x00" * (len(fragment) % 2)


def fragments(ds: Dataset, frames: int = 2) -> list[bytes]:
    return list(dicomcore.io.encapsulation.generate_frames(ds.PixelData, frames))


def test_an_encoders_lossy_method_is_written(tmp_path: Path) -> None:
    ds = lossy_dataset()
    assert (ds.LossyImageCompression, ds.LossyImageCompressionMethod) == (
        "01",
        LOSSY_METHOD,
    )
    assert ds.PhotometricInterpretation == "YBR_FULL"
    assert ds.SOPInstanceUID != ORIGINAL_UID
    ds.save_as(tmp_path / "lossy.dcm")
    theirs = pydicom.dcmread(tmp_path / "lossy.dcm")
    assert theirs.LossyImageCompressionMethod == "TOY_LSY1"
    assert theirs.file_meta.TransferSyntaxUID == TOY_LOSSY
    # each fragment is the toy encoder's stream for the frame in YBR_FULL
    ybr = dicomcore.pixels.convert_color_space(FRAMES, "RGB", "YBR_FULL")
    # 65 bytes each, padded to an even length in the file
    expected = [b"LSY1\x02" + (frame >> 2).tobytes() + b"\x00" for frame in ybr]
    assert list(generate_frames(theirs.PixelData, number_of_frames=2)) == expected


def test_the_standards_table_wins_over_an_encoders_method() -> None:
    encoder = toy_codecs.lossy_encoder(name="other")
    assert lossy_method(TOY_LOSSY, encoder) == "TOY_LSY1"
    assert lossy_method("1.2.840.10008.1.2.4.112", encoder) == "ISO_18181_1"
    assert lossy_method(TOY_LOSSY) is None


def test_a_transcoding_encoder_is_chosen_over_decode_and_encode(
    tmp_path: Path,
) -> None:
    ds = lossy_dataset()
    source_fragments = fragments(ds)
    pixels = ds.pixel_array.copy()
    instance_uid = ds.SOPInstanceUID

    compress(ds, TOY_RECOMPRESSED)

    # the transcoder's output: each LSY1 codestream deflated as it was
    assert fragments(ds) == [
        padded(b"RCP1" + zlib.compress(fragment, 9)) for fragment in source_fragments
    ]
    assert [zlib.decompress(f[4:]) for f in fragments(ds)] == source_fragments
    # a lossless step: Photometric Interpretation, the instance and the
    # lossy history stay as they were
    assert ds.PhotometricInterpretation == "YBR_FULL"
    assert ds.SOPInstanceUID == instance_uid
    assert (ds.LossyImageCompression, ds.LossyImageCompressionMethod) == (
        "01",
        LOSSY_METHOD,
    )
    np.testing.assert_array_equal(ds.pixel_array, pixels)
    ds.save_as(tmp_path / "recompressed.dcm")
    theirs = pydicom.dcmread(tmp_path / "recompressed.dcm")
    assert theirs.file_meta.TransferSyntaxUID == TOY_RECOMPRESSED
    assert [
        zlib.decompress(fragment[4:])
        for fragment in generate_frames(theirs.PixelData, number_of_frames=2)
    ] == source_fragments


def test_without_transcoding_frames_are_decoded_and_encoded() -> None:
    ds = lossy_dataset()
    assert transcode(ds, TOY_RECOMPRESSED, transcoding=False) == "compressed"
    # toy-recompress-pixels wrote a new LSY1 stream with shift 3, from RGB
    streams = [zlib.decompress(fragment[4:]) for fragment in fragments(ds)]
    assert [stream[:5] for stream in streams] == [b"LSY1\x03", b"LSY1\x03"]
    assert ds.PhotometricInterpretation == "YBR_FULL"


def test_transcode_uses_the_transcoder_too() -> None:
    ds = lossy_dataset()
    source_fragments = fragments(ds)
    assert transcode(ds, TOY_RECOMPRESSED) == "compressed"
    assert [zlib.decompress(f[4:]) for f in fragments(ds)] == source_fragments


def test_native_pixels_go_to_a_pixel_encoder() -> None:
    ds = compress(rgb_dataset(), TOY_RECOMPRESSED)
    assert [zlib.decompress(f[4:])[:5] for f in fragments(ds)] == [b"LSY1\x03"] * 2


def test_a_transcode_only_encoder_refuses_pixels_saying_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(NoCodecError) as info:
        compress(rgb_dataset(), TOY_RECOMPRESSED, encoding_plugin="toy-recompress")
    assert info.value.candidates == [
        ("toy-recompress", f"encodes no pixels: it only transcodes from {TOY_LOSSY}")
    ]


def test_a_failing_transcoder_names_itself_and_the_frame() -> None:
    ds = lossy_dataset()
    # damage frame 1's codestream: the transcoder refuses it
    frames = fragments(ds)
    frames[1] = b"JUNK" + frames[1][4:]
    ds.PixelData = dicomcore.io.encapsulation.encapsulate(frames)
    with pytest.raises(CodecError) as info:
        compress(ds, TOY_RECOMPRESSED)
    assert str(info.value) == (
        "transcoding failed: only LSY1 codestreams are recompressed "
        "[plugin 'toy-recompress', frame 1]"
    )
    assert ds.file_meta.TransferSyntaxUID == TOY_LOSSY  # unchanged


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"lossy": False, "lossy_method": "TOY"},
            "encoder 'x': lossy_method is written only for a lossy encoder; set "
            "lossy=True or leave lossy_method None",
        ),
        (
            {"lossy_method": "toy lsy1"},
            "encoder 'x': lossy_method must be a Code String term (A-Z, 0-9, _ and "
            "space, 16 at most), got 'toy lsy1'",
        ),
        (
            {"transcodes_from": {TOY_LOSSY}},
            "encoder 'x': transcodes_from and transcode are given together or not "
            "at all",
        ),
        (
            {"encode": None},
            "encoder 'x': needs encode, transcode, or both",
        ),
        (
            {"transcodes_from": {TOY_RECOMPRESSED}, "transcode": toy_codecs.recompress},
            "encoder 'x': transcodes_from holds its own transfer syntax "
            f"{TOY_RECOMPRESSED}",
        ),
    ],
)
def test_encoder_records_check_the_new_fields(
    fields: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {
        "name": "x",
        "transfer_syntax": TOY_RECOMPRESSED,
        "encode": toy_codecs.lossy_encode,
        "lossy": True,
    }
    arguments.update(fields)
    with pytest.raises(ValueError) as info:
        Encoder(**arguments)  # type: ignore[arg-type]
    assert str(info.value) == message
