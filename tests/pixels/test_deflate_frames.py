"""The bundled ``deflate`` plugin: Deflated Image Frame Compression and
Encapsulated Uncompressed Explicit VR Little Endian, both ways.

No tool at hand writes these transfer syntaxes, so the witnesses are the
native frames DCMTK wrote (test files and their manifest hashes), deflate
streams assembled by hand from RFC 1951's stored blocks, and zlib itself.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dicomcore_plugins import deflate as deflate_plugin
from hypothesis import given, settings
from hypothesis import strategies as st
from interop import TESTFILES

from dicomcore import Dataset, dcmread, uid
from dicomcore.errors import CodecError
from dicomcore.io.encapsulation import encapsulate, generate_frames
from dicomcore.pixels import (
    DecodedFrame,
    PixelLayout,
    decode_frame,
    decoders_for,
    encode_frame,
    encoders_for,
)
from dicomcore.testing import (
    CodecConformance,
    ReferenceFrame,
    collect_records,
    make_frame,
)

DEFLATED = "1.2.840.10008.1.2.8.1"
UNCOMPRESSED = "1.2.840.10008.1.2.1.98"
MANIFEST = {r["file"]: r for r in json.loads((TESTFILES / "manifest.json").read_text())}
NATIVE_FILES = [
    "mono8_odd_explicit.dcm",
    "mono16_explicit.dcm",
    "mono12s_explicit.dcm",
    "mono12u_dirty_explicit.dcm",
    "ct_int16_explicit.dcm",
    "rgb8_planar0_explicit.dcm",
    "rgb8_planar1_explicit.dcm",
    "ybr_full8_explicit.dcm",
    "mono16_5frames_explicit.dcm",
    "mono32u_explicit.dcm",
]


def stored_deflate(data: bytes) -> bytes:
    """A raw deflate stream of stored blocks, assembled as RFC 1951 3.2.4 says.

    Each block: a header byte with BFINAL (bit 0) and BTYPE 00 (bits 1-2),
    then LEN and its ones' complement NLEN, little endian, then the bytes.
    """
    blocks = [data[start : start + 65535] for start in range(0, len(data), 65535)]
    stream = b""
    for number, block in enumerate(blocks or [b""]):
        final = int(number == len(blocks) - 1 or not blocks)
        stream += bytes([final]) + struct.pack("<HH", len(block), len(block) ^ 0xFFFF)
        stream += block
    return stream


def zlib_wrapped(data: bytes) -> bytes:
    """The same bytes in an RFC 1950 zlib stream, which A.4.13 does not ask for."""
    return zlib.compress(data, 9)


def layout(transfer_syntax: str = DEFLATED, **fields: Any) -> PixelLayout:
    fields.setdefault("bits_stored", fields.get("bits_allocated", 8))
    return PixelLayout(transfer_syntax=transfer_syntax, **fields)


def unpacked(result: DecodedFrame, frame_layout: PixelLayout) -> np.ndarray:
    array = result.array
    if frame_layout.bits_allocated == 1:
        assert array.shape == (frame_layout.frame_length,) and array.dtype == np.uint8
        bits = np.unpackbits(array, bitorder="little")[: frame_layout.pixels_per_frame]
        return bits.reshape(frame_layout.frame_shape)
    return array


def with_bits_stored(array: np.ndarray, frame_layout: PixelLayout) -> np.ndarray:
    bits = frame_layout.bits_stored
    if bits == frame_layout.bits_allocated or frame_layout.bits_allocated == 1:
        return array
    unsigned = array.view(f"uint{frame_layout.bits_allocated}") & ((1 << bits) - 1)
    if not frame_layout.is_signed:
        return unsigned
    shift = frame_layout.bits_allocated - bits
    return (unsigned.view(array.dtype) << shift) >> shift


# -- the conformance kit ---------------------------------------------------------------


_REFERENCE_LAYOUT = layout(
    rows=2,
    columns=2,
    samples_per_pixel=3,
    photometric_interpretation="RGB",
    planar_configuration=1,
)
# By hand: a 2x2 RGB frame stored plane by plane (Planar Configuration 1).
_REFERENCE_NATIVE = bytes([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24])
_REFERENCE_EXPECTED = np.array(
    [[[1, 11, 21], [2, 12, 22]], [[3, 13, 23], [4, 14, 24]]], np.uint8
)


class TestDeflateConformance(CodecConformance):
    plugin = deflate_plugin
    decoder_name = "deflate"
    encoder_name = "deflate"
    encode_options = {"level": 9}
    extra_layouts = {
        "u8-big": layout(rows=100, columns=300),
        "1bit-21-pixels": layout(rows=3, columns=7, bits_allocated=1),
        "rgb16-planar": layout(
            rows=3,
            columns=5,
            samples_per_pixel=3,
            photometric_interpretation="RGB",
            planar_configuration=1,
            bits_allocated=16,
        ),
    }
    reference_frames = (
        ReferenceFrame(
            name="rgb8-planar-stored-blocks",
            layout=_REFERENCE_LAYOUT,
            encoded=stored_deflate(_REFERENCE_NATIVE),
            expected=_REFERENCE_EXPECTED,
        ),
        ReferenceFrame(
            name="rgb8-planar-zlib-wrapped",
            layout=_REFERENCE_LAYOUT,
            encoded=zlib_wrapped(_REFERENCE_NATIVE),
            expected=_REFERENCE_EXPECTED,
        ),
        ReferenceFrame(
            # 1-bit: 10 pixels in 2 bytes, first pixel in the least significant bit.
            name="1bit-2x5-stored-block",
            layout=layout(rows=2, columns=5, bits_allocated=1),
            encoded=stored_deflate(bytes([0b1000_0101, 0b0000_0011])),
            expected=np.array([[1, 0, 1, 0, 0], [0, 0, 1, 1, 1]], np.uint8),
        ),
    )


class TestEncapsulatedUncompressedConformance(CodecConformance):
    plugin = deflate_plugin
    decoder_name = "encapsulated-uncompressed"
    encoder_name = "encapsulated-uncompressed"
    reference_frames = (
        ReferenceFrame(
            name="rgb8-planar-by-hand",
            layout=replace(_REFERENCE_LAYOUT, transfer_syntax=UNCOMPRESSED),
            encoded=_REFERENCE_NATIVE,
            expected=_REFERENCE_EXPECTED,
        ),
        ReferenceFrame(
            name="s16-by-hand",
            layout=layout(
                UNCOMPRESSED,
                rows=1,
                columns=3,
                bits_allocated=16,
                pixel_representation=1,
            ),
            encoded=b"\x01\x02\xff\xff\x00\x80",
            expected=np.array([[0x0201, -1, -32768]], np.int16),
        ),
    )


def test_records() -> None:
    decoders, encoders = collect_records(deflate_plugin)
    assert {(d.name, *d.transfer_syntaxes) for d in decoders} == {
        ("deflate", DEFLATED),
        ("encapsulated-uncompressed", UNCOMPRESSED),
    }
    assert {(e.name, e.transfer_syntax, e.lossy) for e in encoders} == {
        ("deflate", DEFLATED, False),
        ("encapsulated-uncompressed", UNCOMPRESSED, False),
    }
    colour = layout(
        rows=1, columns=1, samples_per_pixel=3, photometric_interpretation="YBR_FULL"
    )
    assert all(e.photometric_after(colour, {}) == "YBR_FULL" for e in encoders)


@pytest.mark.parametrize("transfer_syntax", [DEFLATED, UNCOMPRESSED])
def test_bundled_and_chosen_by_name(transfer_syntax: str) -> None:
    name = "deflate" if transfer_syntax == DEFLATED else "encapsulated-uncompressed"
    assert name in [decoder.name for decoder in decoders_for(transfer_syntax)]
    assert name in [encoder.name for encoder in encoders_for(transfer_syntax)]
    frame_layout = layout(transfer_syntax, rows=2, columns=3, bits_allocated=16)
    frame = np.array([[1, 2, 3], [4, 4, 4]], np.uint16)
    # The plugin's name picks either of its codecs.
    encoded = encode_frame(frame, frame_layout, transfer_syntax, encoding_plugin=name)
    decoded = decode_frame(encoded, frame_layout, decoding_plugin="deflate")
    np.testing.assert_array_equal(decoded.array, frame)


@pytest.mark.parametrize("level", [10, -2, "9", 4.0, True, None])
def test_bad_level_is_refused(level: Any) -> None:
    _, encoders = collect_records(deflate_plugin)
    (encoder,) = [e for e in encoders if e.name == "deflate"]
    frame_layout = layout(rows=1, columns=1)
    assert "must be an integer from 0 to 9" in encoder.supports(
        frame_layout, {"level": level}
    )
    with pytest.raises(CodecError, match="must be an integer"):
        deflate_plugin.encode_deflated(
            np.zeros((1, 1), np.uint8), frame_layout, {"level": level}
        )


@pytest.mark.parametrize("keyword", ["FloatPixelData", "DoubleFloatPixelData"])
def test_float_pixel_data_is_refused(keyword: str) -> None:
    bits = 32 if keyword == "FloatPixelData" else 64
    frame_layout = layout(rows=1, columns=1, bits_allocated=bits, pixel_keyword=keyword)
    decoders, encoders = collect_records(deflate_plugin)
    for record in decoders:
        assert "only Pixel Data can be encapsulated" in record.supports(frame_layout)
    for record in encoders:
        assert "only Pixel Data" in record.supports(frame_layout, {})


# -- what is deflated: the native frame, raw RFC 1951 ----------------------------------


def test_encoder_writes_raw_deflate_of_the_native_frame() -> None:
    frame_layout = layout(rows=4, columns=5, bits_allocated=16, pixel_representation=1)
    frame = make_frame(frame_layout, seed=2)
    stream = deflate_plugin.encode_deflated(frame, frame_layout, {})
    native = frame.astype("<i2").tobytes()
    assert zlib.decompress(stream, wbits=-15) == native
    with pytest.raises(zlib.error):
        zlib.decompress(stream)  # no zlib header: RFC 1951, not RFC 1950
    assert deflate_plugin.encode_uncompressed(frame, frame_layout, {}) == native


def test_planar_configuration_1_is_written_plane_by_plane() -> None:
    frame_layout = replace(_REFERENCE_LAYOUT, transfer_syntax=UNCOMPRESSED)
    native = deflate_plugin.encode_uncompressed(_REFERENCE_EXPECTED, frame_layout, {})
    assert native == _REFERENCE_NATIVE
    interleaved = replace(frame_layout, planar_configuration=0)
    assert (
        deflate_plugin.encode_uncompressed(_REFERENCE_EXPECTED, interleaved, {})
        == _REFERENCE_EXPECTED.tobytes()
    )


def test_levels_trade_size_and_stay_lossless() -> None:
    frame_layout = layout(rows=64, columns=64, bits_allocated=16)
    frame = (np.add.outer(np.arange(64), np.arange(64)) * 7).astype(np.uint16)
    sizes = []
    for level in (0, 1, 9):
        stream = deflate_plugin.encode_deflated(frame, frame_layout, {"level": level})
        sizes.append(len(stream))
        result = deflate_plugin.decode_deflated(stream, frame_layout)
        np.testing.assert_array_equal(result.array, frame)
    assert sizes[0] > frame.nbytes > sizes[1] >= sizes[2]


# -- frames of the native test files ---------------------------------------------------


@pytest.mark.parametrize("name", NATIVE_FILES)
@pytest.mark.parametrize("transfer_syntax", [DEFLATED, UNCOMPRESSED])
def test_native_testfile_frames_decode_to_manifest_hash(
    name: str, transfer_syntax: str
) -> None:
    record = MANIFEST[name]
    ds = dcmread(TESTFILES / name)
    frame_layout = PixelLayout.from_dataset(ds, transfer_syntax=transfer_syntax)
    data = ds.PixelData
    length = frame_layout.frame_length
    decode = (
        deflate_plugin.decode_deflated
        if transfer_syntax == DEFLATED
        else deflate_plugin.decode_uncompressed
    )
    frames = []
    for index in range(frame_layout.number_of_frames):
        native = data[index * length : (index + 1) * length]
        encoded = stored_deflate(native) if transfer_syntax == DEFLATED else native
        result = decode(encoded, frame_layout)
        assert (
            result.photometric_interpretation == frame_layout.photometric_interpretation
        )
        assert result.bits_stored_applied is False
        frames.append(with_bits_stored(result.array, frame_layout))
    array = np.stack(frames) if len(frames) > 1 else frames[0]
    assert list(array.shape) == record["shape"]
    little = array.astype(array.dtype.newbyteorder("<"))
    assert hashlib.sha256(little.tobytes()).hexdigest() == record["sha256"]


@pytest.mark.parametrize("transfer_syntax", [DEFLATED, UNCOMPRESSED])
def test_one_bit_frames_start_on_a_byte(transfer_syntax: str) -> None:
    # Natively the three 5x5 frames share bytes; encapsulated, each frame is a
    # stream (or fragment) of its own, packed from its first pixel on.
    name = "mono1_3frames_explicit.dcm"
    ds = dcmread(TESTFILES / name)
    frame_layout = PixelLayout.from_dataset(ds, transfer_syntax=transfer_syntax)
    bits = np.unpackbits(np.frombuffer(ds.PixelData, np.uint8), bitorder="little")
    per_frame = frame_layout.pixels_per_frame
    decoded = []
    for index in range(3):
        own = bits[index * per_frame : (index + 1) * per_frame]
        packed = np.packbits(own, bitorder="little").tobytes()
        assert len(packed) == frame_layout.frame_length == 4
        encoded = stored_deflate(packed) if transfer_syntax == DEFLATED else packed
        decode = (
            deflate_plugin.decode_deflated
            if transfer_syntax == DEFLATED
            else deflate_plugin.decode_uncompressed
        )
        decoded.append(unpacked(decode(encoded, frame_layout), frame_layout))
    array = np.stack(decoded)
    assert hashlib.sha256(array.tobytes()).hexdigest() == MANIFEST[name]["sha256"]


# -- round trips, through a file -------------------------------------------------------


_KINDS = [
    (1, 1, 0),
    (8, 1, 0),
    (8, 3, 0),
    (8, 3, 1),
    (16, 1, 0),
    (16, 3, 1),
    (32, 1, 0),
    (32, 3, 0),
    (64, 1, 0),
]


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(_KINDS),
    rows=st.integers(1, 20),
    columns=st.integers(1, 40),
    signed=st.booleans(),
    transfer_syntax=st.sampled_from([DEFLATED, UNCOMPRESSED]),
    seed=st.integers(0, 2**32 - 1),
)
def test_round_trip(
    kind: tuple[int, int, int],
    rows: int,
    columns: int,
    signed: bool,
    transfer_syntax: str,
    seed: int,
) -> None:
    bits, samples, planar = kind
    frame_layout = layout(
        transfer_syntax,
        rows=rows,
        columns=columns,
        bits_allocated=bits,
        samples_per_pixel=samples,
        planar_configuration=planar,
        photometric_interpretation="RGB" if samples == 3 else "MONOCHROME2",
        pixel_representation=int(signed and bits > 1),
    )
    frame = make_frame(frame_layout, seed)
    if transfer_syntax == DEFLATED:
        encoded = deflate_plugin.encode_deflated(frame, frame_layout, {})
        result = deflate_plugin.decode_deflated(encoded, frame_layout)
    else:
        encoded = deflate_plugin.encode_uncompressed(frame, frame_layout, {})
        assert len(encoded) == frame_layout.frame_length
        result = deflate_plugin.decode_uncompressed(encoded, frame_layout)
    array = unpacked(result, frame_layout)
    assert array.dtype == frame_layout.dtype and array.flags.writeable
    np.testing.assert_array_equal(array, frame)


@pytest.mark.parametrize("transfer_syntax", [DEFLATED, UNCOMPRESSED])
def test_multi_frame_file_round_trip(transfer_syntax: str, tmp_path: Path) -> None:
    # Odd frame and stream lengths: encapsulate pads each fragment with a NULL
    # byte (A.4.13), which the decoders must pass over.
    frame_layout = layout(
        transfer_syntax, rows=3, columns=5, number_of_frames=4, bits_allocated=8
    )
    frames = [make_frame(frame_layout, seed) for seed in range(4)]
    encode = (
        deflate_plugin.encode_deflated
        if transfer_syntax == DEFLATED
        else deflate_plugin.encode_uncompressed
    )
    ds = Dataset()
    ds.SOPClassUID = uid.SecondaryCaptureImageStorage
    ds.SOPInstanceUID = "2.25.987654321"
    ds.Rows, ds.Columns, ds.NumberOfFrames = 3, 5, 4
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.file_meta.TransferSyntaxUID = transfer_syntax
    ds.PixelData = encapsulate([encode(frame, frame_layout, {}) for frame in frames])
    ds.save_as(tmp_path / "frames.dcm")
    back = dcmread(tmp_path / "frames.dcm")
    read_layout = PixelLayout.from_dataset(back)
    assert read_layout.transfer_syntax == transfer_syntax
    decode = (
        deflate_plugin.decode_deflated
        if transfer_syntax == DEFLATED
        else deflate_plugin.decode_uncompressed
    )
    fragments = list(generate_frames(back.PixelData, number_of_frames=4))
    assert all(len(fragment) % 2 == 0 for fragment in fragments)
    for fragment, frame in zip(fragments, frames, strict=True):
        np.testing.assert_array_equal(decode(fragment, read_layout).array, frame)


# -- malformed input -------------------------------------------------------------------


MONO16 = layout(rows=2, columns=3, bits_allocated=16)
NATIVE16 = bytes(range(12))


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (b"", "cut short: 0 of 12 bytes"),
        (stored_deflate(NATIVE16)[:-3], "cut short"),
        (zlib.compress(NATIVE16, wbits=-15)[:4], "cut short"),
        (stored_deflate(NATIVE16[:10]), "inflates to 10 bytes; one frame is 12"),
        (stored_deflate(NATIVE16 * 2), "holds more than the 12 bytes of one frame"),
        (b"\xff\xff\xff\xff\xff\xff", "not a deflate stream"),
        (b"\x78\x9c\xff\xff\xff\xff", "nor a zlib stream"),
    ],
)
def test_malformed_deflate_raises_codec_error(stream: bytes, message: str) -> None:
    with pytest.raises(CodecError, match=message):
        deflate_plugin.decode_deflated(stream, MONO16)


def test_deflate_tolerates_pad_bytes() -> None:
    expected = np.frombuffer(NATIVE16, "<u2").reshape(2, 3)
    for stream in (
        stored_deflate(NATIVE16) + b"\x00",  # the NULL pad of an odd stream
        stored_deflate(NATIVE16 + b"\x00"),  # a frame deflated with its pad byte
        zlib.compress(NATIVE16, wbits=-15) + b"\x00",
        zlib_wrapped(NATIVE16) + b"\x00",
    ):
        result = deflate_plugin.decode_deflated(stream, MONO16)
        np.testing.assert_array_equal(result.array, expected)


@pytest.mark.parametrize("length", [0, 1, 11, 14, 24])
def test_encapsulated_uncompressed_of_wrong_length(length: int) -> None:
    with pytest.raises(CodecError, match="frame of this image is 12 bytes"):
        deflate_plugin.decode_uncompressed(
            bytes(length), replace(MONO16, transfer_syntax=UNCOMPRESSED)
        )


def test_encapsulated_uncompressed_reads_a_memoryview_with_its_pad() -> None:
    frame_layout = layout(UNCOMPRESSED, rows=1, columns=3)
    source = memoryview(b"\x07\x08\x09\x00")
    result = deflate_plugin.decode_uncompressed(source, frame_layout)
    np.testing.assert_array_equal(result.array, [[7, 8, 9]])
    assert result.array.flags.writeable and result.array.base is not source


def test_encoder_checks_the_frame() -> None:
    frame_layout = layout(rows=2, columns=2, bits_allocated=16)
    with pytest.raises(CodecError, match="needs shape"):
        deflate_plugin.encode_deflated(np.zeros((2, 2), np.uint8), frame_layout, {})
