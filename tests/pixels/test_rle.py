"""The bundled ``rle`` plugin: RLE Lossless (PS3.5 Annex G) both ways.

Witnesses: the RLE test files written by DCMTK's dcmcrle and GDCM's
gdcmconv, DCMTK's dcmdrle decoding what we encode, dcmcrle's segment sizes
for the same frames, and hand-made frames built from Annex G's rules.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dicomcore_plugins import rle as rle_plugin
from dicomcore_plugins._rle_decoder import decode_segment
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop import TESTFILES, require_tool, run_tool

import dicomcore
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
from dicomcore.testing import CodecConformance, ReferenceFrame, collect_records

RLE = "1.2.840.10008.1.2.5"
MANIFEST = json.loads((TESTFILES / "manifest.json").read_text())
RLE_FILES = [record for record in MANIFEST if record["transfer_syntax"] == RLE]


def layout(**fields: Any) -> PixelLayout:
    fields.setdefault("bits_stored", fields.get("bits_allocated", 8))
    return PixelLayout(transfer_syntax=RLE, **fields)


def rle_frame(*segments: bytes, count: int | None = None) -> bytes:
    """An RLE frame from raw segments, written out by hand (G.4, G.5)."""
    offsets, position = [], 64
    for segment in segments:
        offsets.append(position)
        position += len(segment)
    header = [len(segments) if count is None else count, *offsets]
    header += [0] * (16 - len(header))
    return struct.pack("<16L", *header) + b"".join(segments)


def segments_of(encoded: bytes) -> list[bytes]:
    count, *offsets = struct.unpack_from("<16L", encoded)
    bounds = [*offsets[:count], len(encoded)]
    return [encoded[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def packets(segment: bytes) -> list[tuple[str, int]]:
    """(kind, output length) of each packet, read as G.3.2 describes."""
    found, position = [], 0
    while position < len(segment):
        header = struct.unpack_from("b", segment, position)[0]
        if header >= 0:
            found.append(("literal", header + 1))
            position += header + 2
        elif header > -128:
            found.append(("replicate", 1 - header))
            position += 2
        else:
            found.append(("no-op", 0))
            position += 1
    return found


def decode(encoded: bytes, frame_layout: PixelLayout) -> np.ndarray:
    result = rle_plugin.decode(encoded, frame_layout)
    assert isinstance(result, DecodedFrame)
    assert result.bits_stored_applied is False
    assert result.photometric_interpretation == frame_layout.photometric_interpretation
    return result.array


def structured_frame(frame_layout: PixelLayout, seed: int) -> np.ndarray:
    """A frame with runs of every length, repeats of 2, noise and flat areas.

    Values use the top of Bits Stored, so every byte segment gets runs.
    """
    rng = np.random.default_rng(seed)
    size = frame_layout.pixels_per_frame * frame_layout.samples_per_pixel
    run_lengths = rng.choice([1, 1, 1, 2, 2, 3, 5, 127, 128, 129, 130, 257, 300], size)
    flat = np.repeat(rng.integers(0, 6, size), run_lengths)[:size]
    noise = rng.integers(0, 2, size) * rng.integers(0, 3, size)
    unsigned = np.dtype(f"uint{frame_layout.bits_allocated}")
    values = (flat * 17 + noise).astype(unsigned)
    values <<= unsigned.type(frame_layout.bits_stored - 8)
    if frame_layout.is_signed:
        # Offset binary to two's complement: mid-range values become small.
        values ^= unsigned.type(1 << (frame_layout.bits_stored - 1))
    frame = values.view(frame_layout.dtype).reshape(frame_layout.frame_shape)
    return with_bits_stored(frame, frame_layout)


def random_frame(frame_layout: PixelLayout, seed: int) -> np.ndarray:
    """Uniform noise over the whole container, then Bits Stored applied."""
    info = np.iinfo(frame_layout.dtype)
    frame = np.random.default_rng(seed).integers(
        info.min, info.max, frame_layout.frame_shape, frame_layout.dtype, endpoint=True
    )
    return with_bits_stored(frame, frame_layout)


def with_bits_stored(array: np.ndarray, frame_layout: PixelLayout) -> np.ndarray:
    """Mask to Bits Stored and sign-extend, as the manifest's hashes are taken."""
    bits = frame_layout.bits_stored
    if bits == frame_layout.bits_allocated:
        return array
    unsigned = array.view(f"uint{frame_layout.bits_allocated}") & ((1 << bits) - 1)
    if not frame_layout.is_signed:
        return unsigned
    shift = frame_layout.bits_allocated - bits
    return (unsigned.view(array.dtype) << shift) >> shift


# -- the conformance kit ---------------------------------------------------------------


class TestRleConformance(CodecConformance):
    plugin = rle_plugin
    extra_layouts = {
        "u64-8-segments": layout(rows=3, columns=4, bits_allocated=64),
        "s64": layout(rows=2, columns=5, bits_allocated=64, pixel_representation=1),
        "rgb32-12-segments": layout(
            rows=3,
            columns=4,
            samples_per_pixel=3,
            photometric_interpretation="RGB",
            bits_allocated=32,
        ),
        "ybr-full16": layout(
            rows=2,
            columns=3,
            samples_per_pixel=3,
            photometric_interpretation="YBR_FULL",
            bits_allocated=16,
        ),
        "u8-wide-row": layout(rows=2, columns=1000),
        "u16-tall": layout(rows=300, columns=1, bits_allocated=16),
    }
    reference_frames = (
        ReferenceFrame(
            # G.3.1 by hand: Replicate Run of 3, Literal Run of 1; next row a
            # Literal Run of 2, the -128 no-op, a Replicate Run of 2.
            name="u8-2x4-by-hand",
            layout=layout(rows=2, columns=4),
            encoded=rle_frame(b"\xfe\x01\x00\x02\x01\x03\x04\x80\xff\x05"),
            expected=np.array([[1, 1, 1, 2], [3, 4, 5, 5]], np.uint8),
        ),
        ReferenceFrame(
            # Most significant byte first (G.2): 0x0102 and 0xFF03.
            name="s16-1x2-by-hand",
            layout=layout(rows=1, columns=2, bits_allocated=16, pixel_representation=1),
            encoded=rle_frame(b"\x01\x01\xff\x00", b"\x01\x02\x03\x00"),
            expected=np.array([[0x0102, -253]], np.int16),
        ),
    )


def test_records() -> None:
    decoders, encoders = collect_records(rle_plugin)
    assert [decoder.name for decoder in decoders] == ["rle"]
    assert [encoder.name for encoder in encoders] == ["rle"]
    assert decoders[0].transfer_syntaxes == {RLE}
    encoder = encoders[0]
    assert encoder.transfer_syntax == RLE and encoder.lossy is False
    for photometric in ("RGB", "YBR_FULL"):
        colour = layout(
            rows=1,
            columns=1,
            samples_per_pixel=3,
            photometric_interpretation=photometric,
        )
        assert encoder.photometric_after(colour, {}) == photometric


def test_bundled_and_chosen_by_name() -> None:
    assert "rle" in [decoder.name for decoder in decoders_for(RLE)]
    assert "rle" in [encoder.name for encoder in encoders_for(RLE)]
    frame_layout = layout(rows=2, columns=3, bits_allocated=16)
    frame = np.array([[1, 2, 3], [4, 4, 4]], np.uint16)
    encoded = encode_frame(frame, frame_layout, RLE, encoding_plugin="rle")
    decoded = decode_frame(encoded, frame_layout, decoding_plugin="rle")
    np.testing.assert_array_equal(decoded.array, frame)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {
                "samples_per_pixel": 3,
                "bits_allocated": 64,
                "photometric_interpretation": "RGB",
            },
            "need 24 RLE segments",
        ),
        ({"bits_allocated": 1}, "not a whole number of bytes"),
        (
            {"bits_allocated": 32, "pixel_keyword": "FloatPixelData"},
            "cannot be encapsulated",
        ),
    ],
)
def test_refused_layouts(fields: dict[str, Any], reason: str) -> None:
    refused = layout(rows=2, columns=2, **fields)
    (decoder,), (encoder,) = collect_records(rle_plugin)
    assert reason in decoder.supports(refused)
    assert reason in encoder.supports(refused, {})
    with pytest.raises(CodecError, match=reason):
        rle_plugin.decode(b"\x00" * 64, refused)


# -- files written by DCMTK and GDCM ---------------------------------------------------


@pytest.mark.parametrize("record", RLE_FILES, ids=[r["file"] for r in RLE_FILES])
def test_testfile_decodes_to_manifest_hash(record: dict[str, Any]) -> None:
    ds = dcmread(TESTFILES / record["file"])
    frame_layout = PixelLayout.from_dataset(ds)
    frames = [
        decode(frame, frame_layout)
        for frame in generate_frames(
            ds.PixelData, number_of_frames=frame_layout.number_of_frames
        )
    ]
    array = with_bits_stored(np.stack(frames), frame_layout)
    if len(frames) == 1:
        array = array[0]
    assert list(array.shape) == record["shape"]
    assert array.dtype == np.dtype(record["dtype"])
    little = array.astype(array.dtype.newbyteorder("<"))
    assert hashlib.sha256(little.tobytes()).hexdigest() == record["sha256"]


@pytest.mark.parametrize("read_whole", [True, False], ids=["read-whole", "in-file"])
@pytest.mark.parametrize("record", RLE_FILES, ids=[r["file"] for r in RLE_FILES])
def test_testfile_through_pixel_array(
    record: dict[str, Any], read_whole: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small file is read whole; above the first block, Pixel Data stays in the
    # file and its fragments are read from it.
    if not read_whole:
        monkeypatch.setattr(dicomcore.io.reader, "HEADER_BLOCK_BYTES", 1024)
    array = dicomcore.pixels.pixel_array(
        TESTFILES / record["file"], decoding_plugin="rle"
    )
    little = array.astype(array.dtype.newbyteorder("<"))
    assert hashlib.sha256(little.tobytes()).hexdigest() == record["sha256"]


def test_gdcm_planar_configuration_does_not_matter() -> None:
    # gdcmconv --rle writes Planar Configuration 1; the segments are the same.
    dcmtk = dcmread(TESTFILES / "rgb8_rle.dcm")
    gdcm = dcmread(TESTFILES / "rgb8_rle_gdcm.dcm")
    assert gdcm.PlanarConfiguration == 1 and dcmtk.PlanarConfiguration == 0
    arrays = [
        decode(next(generate_frames(ds.PixelData)), PixelLayout.from_dataset(ds))
        for ds in (dcmtk, gdcm)
    ]
    np.testing.assert_array_equal(*arrays)
    assert arrays[0].shape == (32, 32, 3)


# -- what the encoder writes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "segment"),
    [
        # Three or more equal bytes: a Replicate Run (G.3.1).
        ([7, 7, 7], b"\xfe\x07"),
        # A 2-byte repeat between literals joins them (G.3.1 Note).
        ([1, 2, 2, 3], b"\x03\x01\x02\x02\x03"),
        # ... but not at the row's edge, nor next to a Replicate Run.
        ([2, 2, 3], b"\xff\x02\x00\x03"),
        ([1, 2, 2, 3, 3, 3], b"\x00\x01\xff\x02\xfe\x03"),
        # At most 128 bytes a packet; a 1-byte tail is a Literal Run.
        ([5] * 130, b"\x81\x05\xff\x05"),
        ([5] * 129, b"\x81\x05\x00\x05"),
        ([5] * 129 + [6], b"\x81\x05\x01\x05\x06"),
        (list(range(130)), b"\x7f" + bytes(range(128)) + b"\x01\x80\x81"),
        ([9], b"\x00\x09"),
    ],
)
def test_encoded_packets(row: list[int], segment: bytes) -> None:
    frame = np.array([row], np.uint8)
    encoded = rle_plugin.encode(frame, layout(rows=1, columns=len(row)), {})
    padded = segment + b"\x00" * (len(segment) % 2)
    assert encoded == rle_frame(padded)


def test_segment_order_and_padding() -> None:
    # One pixel of three 32-bit samples, bytes 1 to 12: 12 segments, sample
    # by sample, most significant byte first, each 2 bytes (already even).
    frame_layout = layout(
        rows=1,
        columns=1,
        samples_per_pixel=3,
        bits_allocated=32,
        photometric_interpretation="RGB",
    )
    frame = np.array([[[0x01020304, 0x05060708, 0x090A0B0C]]], np.uint32)
    encoded = rle_plugin.encode(frame, frame_layout, {})
    assert segments_of(encoded) == [bytes([0, value]) for value in range(1, 13)]
    count, *offsets = struct.unpack_from("<16L", encoded)
    assert count == 12 and offsets == [64 + 2 * n for n in range(12)] + [0] * 3
    # A 2-byte Literal Run is a 3-byte segment, padded with a zero (G.3).
    odd = rle_plugin.encode(np.array([[1, 2]], np.uint8), layout(rows=1, columns=2), {})
    assert segments_of(odd) == [b"\x01\x01\x02\x00"]


def test_packets_never_cross_a_row_and_respect_annex_g() -> None:
    frame_layout = layout(rows=40, columns=333, bits_allocated=16)
    frame = structured_frame(frame_layout, seed=3)
    encoded = rle_plugin.encode(frame, frame_layout, {})
    assert rle_plugin.encode(frame.copy(), frame_layout, {}) == encoded  # deterministic
    for segment in segments_of(encoded):
        assert len(segment) % 2 == 0
        found = packets(segment)
        ends = np.cumsum([length for _, length in found]).tolist()
        used = ends.index(40 * 333) + 1
        # What follows the last packet is at most the pad byte.
        assert (
            sum(
                2 if kind == "replicate" else length + 1
                for kind, length in found[:used]
            )
            >= len(segment) - 1
        )
        # Every row ends with a packet.
        assert {row * 333 for row in range(1, 41)} <= set(ends[:used])
        for kind, length in found[:used]:
            assert kind != "no-op"
            assert (2 if kind == "replicate" else 1) <= length <= 128
    np.testing.assert_array_equal(decode(encoded, frame_layout), frame)


# -- round trips -----------------------------------------------------------------------


_SUPPORTED = [
    (bits, samples)
    for bits in (8, 16, 32, 64)
    for samples in (1, 3)
    if samples * bits // 8 <= 15
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(_SUPPORTED),
    rows=st.integers(1, 24),
    columns=st.integers(1, 300),
    signed=st.booleans(),
    structured=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_round_trip(
    kind: tuple[int, int],
    rows: int,
    columns: int,
    signed: bool,
    structured: bool,
    seed: int,
) -> None:
    bits, samples = kind
    frame_layout = layout(
        rows=rows,
        columns=columns,
        bits_allocated=bits,
        samples_per_pixel=samples,
        photometric_interpretation="RGB" if samples == 3 else "MONOCHROME2",
        pixel_representation=int(signed),
    )
    make = structured_frame if structured else random_frame
    frame = make(frame_layout, seed)
    encoded = rle_plugin.encode(frame, frame_layout, {})
    decoded = decode(encoded, frame_layout)
    assert decoded.dtype == frame_layout.dtype and decoded.flags.writeable
    np.testing.assert_array_equal(decoded, frame)
    # Both decoding routes give the same bytes for every segment.
    pixels = rows * columns
    for segment in segments_of(encoded):
        np.testing.assert_array_equal(
            decode_segment(segment, pixels, indexed=True),
            decode_segment(segment, pixels, indexed=False),
        )


def test_round_trip_of_a_ct_like_frame() -> None:
    frame_layout = layout(
        rows=256, columns=256, bits_allocated=16, pixel_representation=1
    )
    frame = ct_like_frame(256, seed=5)
    encoded = rle_plugin.encode(frame, frame_layout, {})
    np.testing.assert_array_equal(decode(encoded, frame_layout), frame)
    # From a read-only memoryview too, as the frame source may hand one over.
    np.testing.assert_array_equal(decode(memoryview(encoded), frame_layout), frame)


def test_routes_agree_across_windows() -> None:
    # Hundreds of KB alternating blocks of short runs (the indexed route's
    # ground) and noise (the packet route's): the route changes both ways
    # from window to window, and packets straddle window boundaries.
    rng = np.random.default_rng(8)
    rows = []
    for row in range(600):
        if row // 150 % 2:
            rows.append(rng.integers(0, 256, 700))
        else:
            short_runs = rng.integers(1, 6, 700)
            rows.append(np.repeat(rng.integers(0, 4, 700), short_runs)[:700])
    frame = np.array(rows, np.uint8)
    frame_layout = layout(rows=600, columns=700)
    (segment,) = segments_of(rle_plugin.encode(frame, frame_layout, {}))
    assert len(segment) > 4 * 4096
    for indexed in (None, True, False):
        decoded = decode_segment(segment, frame.size, indexed=indexed)
        np.testing.assert_array_equal(decoded, frame.ravel())
    ct = ct_like_frame(256, seed=2)
    ct_layout = layout(rows=256, columns=256, bits_allocated=16, pixel_representation=1)
    for number, segment in enumerate(segments_of(rle_plugin.encode(ct, ct_layout, {}))):
        plane = (ct.view(np.uint16) >> (8 * (1 - number))).astype(np.uint8).ravel()
        for indexed in (None, True, False):
            np.testing.assert_array_equal(
                decode_segment(segment, ct.size, indexed=indexed), plane
            )


def ct_like_frame(size: int, seed: int) -> np.ndarray:
    """Air outside a circular field of view, soft tissue, bone, noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[:size, :size] - size / 2
    radius = np.hypot(x, y)
    frame = np.full((size, size), -2000, np.int16)
    body = radius < size * 0.45
    frame[body] = 40 + rng.normal(0, 12, body.sum()).astype(np.int16)
    bone = (radius > size * 0.3) & body
    frame[bone] += 900
    return frame


# -- tolerance: what real files contain ------------------------------------------------


ROUTES = pytest.mark.parametrize("indexed", [True, False], ids=["indexed", "packets"])


@ROUTES
def test_trailing_bytes_after_a_segment_are_ignored(indexed: bool) -> None:
    expected = np.array([4, 4, 4, 9], np.uint8)
    for trailing in (b"", b"\x00", b"\x00\x00\x00", b"\x7f\x01", b"\xfe\x03\xfe"):
        segment = b"\xfe\x04\x00\x09" + trailing
        np.testing.assert_array_equal(
            decode_segment(segment, 4, indexed=indexed), expected
        )


@ROUTES
@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        (b"\xfc\x04", [4, 4, 4, 4]),  # a Replicate Run one byte too long
        (b"\xfd\x04\x01\x09\x08", [4, 4, 4, 4]),  # a whole packet too many
        (b"\x04\x04\x04\x04\x09\x07", [4, 4, 4, 9]),  # a Literal Run too long
    ],
)
def test_segment_decoding_to_too_many_bytes_is_cut(
    segment: bytes, expected: list[int], indexed: bool
) -> None:
    np.testing.assert_array_equal(decode_segment(segment, 4, indexed=indexed), expected)


@ROUTES
def test_no_op_byte_is_skipped(indexed: bool) -> None:
    segment = b"\x80\x80\xfe\x04\x80\x00\x09\x80"
    np.testing.assert_array_equal(
        decode_segment(segment, 4, indexed=indexed), [4, 4, 4, 9]
    )


@ROUTES
def test_last_literal_cut_short_gives_what_is_there(indexed: bool) -> None:
    # The header promises 5 bytes, the segment holds the 3 still needed.
    np.testing.assert_array_equal(
        decode_segment(b"\xff\x01\x04\x02\x03\x04", 5, indexed=indexed),
        [1, 1, 2, 3, 4],
    )


@ROUTES
def test_short_segment_raises(indexed: bool) -> None:
    for segment in (b"\xfe\x04", b"\x05\x01\x02", b"\xfe", b"\x80", b"\xfe\x04\xff"):
        with pytest.raises(CodecError, match="decodes to .* bytes; the image has 4"):
            decode_segment(segment, 4, indexed=indexed)


def test_tolerated_frame_level_oddities() -> None:
    frame_layout = layout(rows=2, columns=2, bits_allocated=16)
    expected = np.array([[0x0102, 0x0102], [0x0102, 0x0104]], np.uint16)
    high = b"\xfd\x01"  # 4 bytes of 0x01
    low = b"\xfe\x02\x80\x00\x04"  # 3 of 0x02, a no-op, then 0x04
    frames = [
        rle_frame(high, low),
        rle_frame(high + b"\x00\x00", low + b"\x00"),  # padded segments
        rle_frame(high, low) + b"\x00" * 7,  # trailing fragment padding
        rle_frame(b"\xfc\x01", low + b"\x09"),  # one byte too many
    ]
    for frame in frames:
        np.testing.assert_array_equal(decode(frame, frame_layout), expected)


# -- malformed input -------------------------------------------------------------------


MONO16 = layout(rows=2, columns=2, bits_allocated=16)
GOOD = rle_frame(b"\xfd\x01", b"\xfd\x02")


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (b"", "shorter than the 64-byte RLE Header"),
        (GOOD[:63], "shorter than the 64-byte RLE Header"),
        (rle_frame(b"\xfd\x01"), "declares 1 segments; the image needs 2"),
        (rle_frame(b"\xfd\x01", b"\xfd\x02", b"\xfd\x03"), "declares 3 segments"),
        (rle_frame(count=0), "declares 0 segments"),
        (b"\xff" * 64 + b"\x00" * 8, "declares 4294967295 segments"),
        (GOOD[:4] + struct.pack("<2L", 64, 99) + GOOD[12:], "past the end"),
        (GOOD[:4] + struct.pack("<2L", 64, 2**32 - 1) + GOOD[12:], "past the end"),
        (GOOD[:4] + struct.pack("<2L", 66, 64) + GOOD[12:], "not after segment 1"),
        (GOOD[:4] + struct.pack("<2L", 64, 64) + GOOD[12:], "not after segment 1"),
        (GOOD[:4] + struct.pack("<2L", 8, 66) + GOOD[12:], "inside the 64-byte"),
        (GOOD[:-1], "segment 2 decodes to 0 bytes"),
        (rle_frame(b"\xfd\x01", b"\xfe\x02"), "segment 2 decodes to 3 bytes"),
        (rle_frame(b"\x01\x01", b"\xfd\x02"), "segment 1 decodes to 1 bytes"),
    ],
)
def test_malformed_frames_raise_codec_error(frame: bytes, message: str) -> None:
    with pytest.raises(CodecError, match=message):
        rle_plugin.decode(frame, MONO16)


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=200),
    cut=st.integers(0, 200),
    flips=st.lists(st.tuples(st.integers(0, 199), st.integers(0, 255)), max_size=6),
)
def test_any_input_gives_a_frame_or_codec_error(
    data: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    frame_layout = layout(rows=3, columns=5, bits_allocated=16)
    valid = rle_plugin.encode(structured_frame(frame_layout, 1), frame_layout, {})
    mutated = bytearray(valid[:cut] + data)
    for position, value in flips:
        if position < len(mutated):
            mutated[position] = value
    for candidate in (bytes(mutated), bytes(valid[:64]) + data):
        try:
            result = rle_plugin.decode(candidate, frame_layout)
        except CodecError:
            continue
        assert result.array.shape == (3, 5) and result.array.dtype == np.uint16


# -- DCMTK as a witness ----------------------------------------------------------------


def write_dataset(
    path: Path, frame_layout: PixelLayout, pixel_data: bytes, transfer_syntax: str
) -> None:
    ds = Dataset()
    ds.SOPClassUID = uid.SecondaryCaptureImageStorage
    ds.SOPInstanceUID = "2.25.1234567890"
    ds.Rows = frame_layout.rows
    ds.Columns = frame_layout.columns
    ds.SamplesPerPixel = frame_layout.samples_per_pixel
    ds.PhotometricInterpretation = frame_layout.photometric_interpretation
    ds.BitsAllocated = frame_layout.bits_allocated
    ds.BitsStored = frame_layout.bits_stored
    ds.HighBit = frame_layout.high_bit
    ds.PixelRepresentation = frame_layout.pixel_representation
    if frame_layout.samples_per_pixel == 3:
        ds.PlanarConfiguration = 0
    if frame_layout.number_of_frames > 1:
        ds.NumberOfFrames = frame_layout.number_of_frames
    ds.file_meta.TransferSyntaxUID = transfer_syntax
    ds.PixelData = pixel_data
    ds.save_as(path)


def native_frames(path: Path, frame_layout: PixelLayout) -> np.ndarray:
    """The frames of a native file written by DCMTK, samples interleaved."""
    ds = dcmread(path)
    assert ds.file_meta.TransferSyntaxUID == uid.ExplicitVRLittleEndian
    frames = frame_layout.number_of_frames
    count = frames * frame_layout.pixels_per_frame * frame_layout.samples_per_pixel
    values = np.frombuffer(ds.PixelData, frame_layout.dtype.newbyteorder("<"), count)
    if frame_layout.samples_per_pixel == 3 and ds.get("PlanarConfiguration") == 1:
        planes = values.reshape(frames, 3, frame_layout.rows, frame_layout.columns)
        return planes.transpose(0, 2, 3, 1)
    return values.reshape(frames, *frame_layout.frame_shape)


DCMDRLE_CASES = {
    "u8-odd-5x7": layout(rows=5, columns=7),
    "s16-ct": layout(rows=64, columns=64, bits_allocated=16, pixel_representation=1),
    "u16-12bit-3-frames": layout(
        rows=20, columns=33, bits_allocated=16, bits_stored=12, number_of_frames=3
    ),
    "u32": layout(rows=9, columns=130, bits_allocated=32),
    "s64": layout(rows=4, columns=300, bits_allocated=64, pixel_representation=1),
    "rgb8": layout(
        rows=17, columns=31, samples_per_pixel=3, photometric_interpretation="RGB"
    ),
    "ybr-full8": layout(
        rows=16, columns=16, samples_per_pixel=3, photometric_interpretation="YBR_FULL"
    ),
    "rgb16": layout(
        rows=8,
        columns=129,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        bits_allocated=16,
    ),
    "rgb32": layout(
        rows=3,
        columns=5,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        bits_allocated=32,
    ),
}


@pytest.mark.parametrize("name", DCMDRLE_CASES)
def test_dcmdrle_decodes_our_frames(name: str, tmp_path: Path) -> None:
    require_tool("dcmdrle")
    frame_layout = DCMDRLE_CASES[name]
    frames = np.stack(
        [
            (structured_frame if seed % 2 else random_frame)(frame_layout, seed)
            for seed in range(frame_layout.number_of_frames)
        ]
    )
    encoded = [rle_plugin.encode(frame, frame_layout, {}) for frame in frames]
    write_dataset(tmp_path / "rle.dcm", frame_layout, encapsulate(encoded), RLE)
    run_tool("dcmdrle", tmp_path / "rle.dcm", tmp_path / "native.dcm")
    decoded = native_frames(tmp_path / "native.dcm", frame_layout)
    assert decoded.tobytes() == frames.astype(frames.dtype.newbyteorder("<")).tobytes()


@pytest.mark.parametrize(
    "frame_layout",
    [
        layout(rows=128, columns=128, bits_allocated=16, pixel_representation=1),
        layout(
            rows=96, columns=80, samples_per_pixel=3, photometric_interpretation="RGB"
        ),
        layout(rows=64, columns=100),
    ],
    ids=["ct-int16", "rgb8", "u8"],
)
def test_segment_sizes_close_to_dcmcrle(
    frame_layout: PixelLayout, tmp_path: Path
) -> None:
    require_tool("dcmcrle")
    if frame_layout.bits_allocated == 16:
        frame = ct_like_frame(frame_layout.rows, seed=11)
    else:
        frame = structured_frame(frame_layout, seed=4)
    native = frame.astype(frame.dtype.newbyteorder("<")).tobytes()
    write_dataset(
        tmp_path / "native.dcm", frame_layout, native, uid.ExplicitVRLittleEndian
    )
    run_tool("dcmcrle", tmp_path / "native.dcm", tmp_path / "rle.dcm")
    theirs = next(generate_frames(dcmread(tmp_path / "rle.dcm").PixelData))
    ours = rle_plugin.encode(frame, frame_layout, {})
    np.testing.assert_array_equal(decode(theirs, frame_layout), frame)
    their_sizes = [len(segment) for segment in segments_of(theirs)]
    our_sizes = [len(segment) for segment in segments_of(ours)]
    assert len(our_sizes) == len(their_sizes)
    for our_size, their_size in zip(our_sizes, their_sizes, strict=True):
        assert abs(our_size - their_size) <= 0.03 * their_size + 2, (
            our_sizes,
            their_sizes,
        )


def test_rle_frames_into_one_array() -> None:
    # DCMTK's and GDCM's 5-frame files, every frame decoded into one array.
    for name in ("mono16_5frames_rle.dcm", "mono16_5frames_rle_gdcm.dcm"):
        path = TESTFILES / name
        expected = dicomcore.pixels.pixel_array(path, decoding_plugin="rle")
        out = np.zeros(expected.shape[1:], expected.dtype)
        seen = []
        for frame in dicomcore.pixels.iter_pixels(path, out=out, decoding_plugin="rle"):
            assert frame is out
            seen.append(frame.copy())
        np.testing.assert_array_equal(np.stack(seen), expected)
