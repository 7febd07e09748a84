"""Tests of the delta-zlib plugin: dicomcore's conformance suite, a frame
encoded by hand, and a whole dataset through dicomcore."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import dicomcore_example_delta as delta
import numpy as np
import pytest

import dicomcore
from dicomcore.io.encapsulation import generate_frames
from dicomcore.pixels import PixelLayout, register_plugin, reset_registry
from dicomcore.testing import CodecConformance, ReferenceFrame

# Encoded by hand, not by the encoder, so that the decoder is checked against
# the format as written down in the module's notes.
BY_HAND = ReferenceFrame(
    name="by-hand",
    layout=PixelLayout(
        rows=2,
        columns=3,
        bits_allocated=16,
        bits_stored=16,
        transfer_syntax=delta.DELTA_ZLIB,
    ),
    # row 1: 10, 12 - 10, 11 - 12; row 2: 65535, 0 - 65535, 1 - 0 (mod 2**16)
    encoded=b"DLZ1" + zlib.compress(struct.pack("<6H", 10, 2, 65535, 65535, 1, 1)),
    expected=np.array([[10, 12, 11], [65535, 0, 1]], np.uint16),
)


class TestDeltaZlib(CodecConformance):
    plugin = delta
    encode_options = {"level": 9}
    reference_frames = [BY_HAND]


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """dicomcore with this plugin registered by hand, installed or not."""
    monkeypatch.setenv("DICOMCORE_NO_PLUGIN_AUTOLOAD", "1")
    reset_registry()
    register_plugin(delta, name="delta-zlib")
    yield
    reset_registry()


def test_a_dataset_round_trip(registered: None, tmp_path: Path) -> None:
    ds = dicomcore.Dataset()
    ds.SOPClassUID = dicomcore.uid.SecondaryCaptureImageStorage
    rows = np.arange(64, dtype=np.uint16) * 50
    frames = np.stack([np.add.outer(rows, rows), np.add.outer(rows, rows[::-1])])
    ds.set_pixel_data(frames, "MONOCHROME2", 16)
    uncompressed = len(ds.PixelData)

    ds.compress(delta.DELTA_ZLIB, level=9)
    assert ds.file_meta.TransferSyntaxUID == delta.DELTA_ZLIB
    fragments = list(generate_frames(ds.PixelData, number_of_frames=2))
    assert [fragment[:4] for fragment in fragments] == [b"DLZ1", b"DLZ1"]
    assert len(ds.PixelData) < uncompressed / 10

    ds.save_as(tmp_path / "delta.dcm")
    again = dicomcore.dcmread(tmp_path / "delta.dcm")
    np.testing.assert_array_equal(again.pixel_array, frames)
