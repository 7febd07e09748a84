"""The bundled ``native`` and ``float`` plugins under the codec conformance kit.

Reference frames come from testfiles/ (written by DCMTK); their expected
pixels are pydicom's decoding, checked against the manifest's SHA-256 (the
DCMTK and GDCM decoding) before use.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pydicom
import pydicom.pixels
from dicomcore_plugins import float as float_plugin
from dicomcore_plugins import native as native_plugin
from interop import TESTFILES

import dicomcore
from dicomcore.pixels import PixelLayout, decoders_for, encoders_for
from dicomcore.testing import CodecConformance, ReferenceFrame

RECORDS = {
    record["file"]: record
    for record in json.loads((TESTFILES / "manifest.json").read_text())
}


def reference(name: str) -> ReferenceFrame:
    """Frame 0 of a test file: its bytes as stored, its pixels as pydicom sees them."""
    record = RECORDS[name]
    ours = dicomcore.dcmread(TESTFILES / name)
    layout = PixelLayout.from_dataset(ours)
    theirs = pydicom.dcmread(TESTFILES / name)
    array = pydicom.pixels.pixel_array(theirs, raw=True)
    little = np.ascontiguousarray(array, array.dtype.newbyteorder("<"))
    assert hashlib.sha256(little.tobytes()).hexdigest() == record["sha256"]
    first = little[0] if record["number_of_frames"] > 1 else little
    value = ours[layout.pixel_keyword].value
    return ReferenceFrame(
        name=name.removesuffix(".dcm"),
        layout=layout,
        encoded=bytes(value[: layout.frame_length]),
        expected=first.astype(layout.dtype),
    )


NATIVE_REFERENCES = tuple(
    reference(name)
    for name in (
        "mono16_explicit.dcm",
        "mono8_odd_explicit.dcm",
        "ct_int16_implicit.dcm",
        "mono32u_explicit.dcm",
        "rgb8_planar1_explicit.dcm",
        "ybr_full8_explicit.dcm",
        "mono16_5frames_explicit.dcm",
        "mono1_3frames_explicit.dcm",
        "mono16_bigendian.dcm",
        "mono8_odd_bigendian.dcm",
        "rgb8_planar0_bigendian.dcm",
    )
)
FLOAT_REFERENCES = tuple(
    reference(name)
    for name in ("float32_pmap_explicit.dcm", "float64_pmap_explicit.dcm")
)


class TestNative(CodecConformance):
    plugin = native_plugin
    decoder_name = "native"
    encoder_name = "native"
    reference_frames = NATIVE_REFERENCES


class TestNativeImplicit(TestNative):
    encoder_name = "native-implicit"


class TestNativeDeflated(TestNative):
    encoder_name = "native-deflated"


class TestNativeBigEndian(TestNative):
    encoder_name = "native-big-endian"


class TestFloat(CodecConformance):
    plugin = float_plugin
    decoder_name = "float"
    encoder_name = "float"
    reference_frames = FLOAT_REFERENCES


class TestFloatImplicit(TestFloat):
    encoder_name = "float-implicit"


class TestFloatDeflated(TestFloat):
    encoder_name = "float-deflated"


class TestFloatBigEndian(TestFloat):
    encoder_name = "float-big-endian"


def test_bundled_and_registered() -> None:
    from dicomcore_plugins import BUNDLED

    assert BUNDLED["native"] == "native" and BUNDLED["float"] == "float"
    for uid in (
        "1.2.840.10008.1.2",
        "1.2.840.10008.1.2.1",
        "1.2.840.10008.1.2.1.99",
        "1.2.840.10008.1.2.2",
    ):
        names = {decoder.name for decoder in decoders_for(uid)}
        assert {"native", "float"} <= names
    assert [e.name for e in encoders_for("1.2.840.10008.1.2.2")][:2] == [
        "float-big-endian",
        "native-big-endian",
    ]
    # neither claims what other bundled plugins own
    for uid in ("1.2.840.10008.1.2.1.98", "1.2.840.10008.1.2.8.1"):
        assert not {"native", "float"} & {d.name for d in decoders_for(uid)}


def test_decoded_frames_view_their_bytes() -> None:
    layout = PixelLayout(rows=2, columns=3, bits_allocated=16, bits_stored=12)
    src = np.arange(6, dtype="<u2").tobytes()
    frame = native_plugin.decode(memoryview(src), layout)
    assert np.shares_memory(frame.array, np.frombuffer(src, np.uint8))
    assert frame.array.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert not frame.bits_stored_applied
    full = native_plugin.decode(
        src, PixelLayout(rows=2, columns=3, bits_allocated=16, bits_stored=16)
    )
    assert full.bits_stored_applied


def test_encoders_write_the_standard_byte_forms() -> None:
    def encode(name: str, frame: np.ndarray, **fields: Any) -> bytes:
        (encoder,) = [e for e in encoders_for(ENCODED[name]) if e.name == name]
        layout = PixelLayout(**fields)
        return encoder.encode(frame, layout, {})

    words = np.array([[0x0102, 0x0304]], np.uint16)
    assert encode(
        "native", words, rows=1, columns=2, bits_allocated=16, bits_stored=16
    ) == bytes.fromhex("02010403")
    assert encode(
        "native-big-endian", words, rows=1, columns=2, bits_allocated=16, bits_stored=16
    ) == bytes.fromhex("01020304")
    # 32-bit big endian: OW, swapped in 16-bit words, as DCMTK writes it
    longs = np.array([[0x01020304]], np.uint32)
    assert encode(
        "native-big-endian", longs, rows=1, columns=1, bits_allocated=32, bits_stored=32
    ) == bytes.fromhex("03040102")
    rgb = np.array([[[1, 2, 3], [4, 5, 6]]], np.uint8)
    planar = dict(
        rows=1,
        columns=2,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        planar_configuration=1,
    )
    assert encode("native", rgb, **planar) == bytes([1, 4, 2, 5, 3, 6])
    bits = np.array([[1, 0, 1, 1, 0, 0, 0, 0, 1]], np.uint8)
    assert encode(
        "native", bits, rows=1, columns=9, bits_allocated=1, bits_stored=1
    ) == bytes([0b00001101, 0b1])
    floats = np.array([[1.5]], np.float32)
    assert encode(
        "float-big-endian",
        floats,
        rows=1,
        columns=1,
        bits_allocated=32,
        bits_stored=32,
        pixel_keyword="FloatPixelData",
    ) == bytes.fromhex("3fc00000")


ENCODED = {
    **native_plugin.ENCODERS,
    **float_plugin.ENCODERS,
}
