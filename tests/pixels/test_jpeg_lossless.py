"""The bundled ``jpeg-lossless`` encoder, witnessed by libjpeg, DCMTK and GDCM.

Every stream we write is put in a DICOM file made by dicomcore, decoded by
three independent decoders (pylibjpeg-libjpeg, DCMTK's ``dcmdjpeg``, GDCM's
``gdcmconv --raw``) and compared with the source pixels.  Decoders differ in
what they do above Bits Stored for signed data (DCMTK returns the P-bit
pattern, GDCM sign-extends it), so both sides are compared masked to Bits
Stored and sign-extended.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dicomcore_plugins import jpeg_lossless
from dicomcore_plugins._jpeg_encoder import _symbols
from dicomcore_plugins._jpeg_huffman import category_lookup, optimal_table
from dicomcore_plugins._jpeg_predict import differences
from interop import TESTFILES, run_tool

from dicomcore import Dataset, FileMetaDataset, dcmread, hookimpl, uid
from dicomcore.errors import CodecError
from dicomcore.io.encapsulation import encapsulate, generate_frames
from dicomcore.pixels import (
    DecodedFrame,
    Decoder,
    PixelLayout,
    choose_encoder,
    encode_frame,
    reset_registry,
)
from dicomcore.testing import CodecConformance, collect_records

libjpeg = pytest.importorskip("libjpeg")

SV1 = "1.2.840.10008.1.2.4.70"
LOSSLESS = "1.2.840.10008.1.2.4.57"
MANIFEST: list[dict[str, Any]] = json.loads((TESTFILES / "manifest.json").read_text())
RECORDS = {record["file"]: record for record in MANIFEST}
RNG_SEED = 20240601


# -- building and decoding files ---------------------------------------------------


def make_layout(**fields: Any) -> PixelLayout:
    return PixelLayout(transfer_syntax="1.2.840.10008.1.2.1", **fields)


def normalised(array: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """Masked to Bits Stored, sign-extended when signed, as int64."""
    values = np.asarray(array).astype(np.int64) & ((1 << layout.bits_stored) - 1)
    if layout.is_signed:
        sign = 1 << (layout.bits_stored - 1)
        values = (values ^ sign) - sign
    return values


def encode_all(
    frames: np.ndarray, layout: PixelLayout, transfer_syntax: str, options: Mapping
) -> list[bytes]:
    """Encode through the plugin's own record, as the registry would call it."""
    _, encoders = collect_records(jpeg_lossless)
    (record,) = [e for e in encoders if e.transfer_syntax == transfer_syntax]
    assert record.supports(layout, options) is None
    return [record.encode(frame, layout, options) for frame in frames]


def sop_class(layout: PixelLayout, frames: int) -> str:
    # GDCM refuses to write several frames under the single-frame SC class.
    if frames == 1:
        return "1.2.840.10008.5.1.4.1.1.7"
    if layout.samples_per_pixel == 3:
        return "1.2.840.10008.5.1.4.1.1.7.4"
    return (
        "1.2.840.10008.5.1.4.1.1.7.3"
        if layout.bits_allocated == 16
        else ("1.2.840.10008.5.1.4.1.1.7.2")
    )


def write_file(
    path: Path, streams: list[bytes], layout: PixelLayout, transfer_syntax: str
) -> None:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = transfer_syntax
    ds.SOPClassUID = sop_class(layout, len(streams))
    ds.SOPInstanceUID = uid.generate_uid()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.Modality = "OT"
    ds.Rows = layout.rows
    ds.Columns = layout.columns
    ds.SamplesPerPixel = layout.samples_per_pixel
    ds.PhotometricInterpretation = layout.photometric_interpretation
    if layout.samples_per_pixel == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = layout.bits_allocated
    ds.BitsStored = layout.bits_stored
    ds.HighBit = layout.bits_stored - 1
    ds.PixelRepresentation = layout.pixel_representation
    ds.NumberOfFrames = len(streams)
    ds.PixelData = encapsulate(streams)
    ds.save_as(path)


def read_native(path: Path, layout: PixelLayout, frames: int) -> np.ndarray:
    """A tool's decompressed output as (frames, *frame shape).

    The tool's own Bits Allocated decides the container: dcmdjpeg writes 8
    when the precision is 8 or less.
    """
    ds = dcmread(path)
    assert ds.file_meta.TransferSyntaxUID in (
        uid.ImplicitVRLittleEndian,
        uid.ExplicitVRLittleEndian,
    )
    assert ds.PhotometricInterpretation == layout.photometric_interpretation
    assert int(ds.get("PlanarConfiguration") or 0) == 0
    container = np.dtype(f"<u{ds.BitsAllocated // 8}")
    count = frames * layout.rows * layout.columns * layout.samples_per_pixel
    pixels = np.frombuffer(ds.PixelData, container)[:count]
    return pixels.reshape((frames, *layout.frame_shape))


def by_libjpeg(path: Path, layout: PixelLayout, frames: int) -> np.ndarray:
    pixel_data = dcmread(path).PixelData
    decoded = [
        libjpeg.decode(bytes(stream)).reshape(layout.frame_shape)
        for stream in generate_frames(pixel_data, number_of_frames=frames)
    ]
    return np.stack(decoded)


def by_dcmtk(path: Path, layout: PixelLayout, frames: int) -> np.ndarray:
    out = path.with_name(path.stem + "_dcmdjpeg.dcm")
    # +cn: keep YBR_FULL samples as they are; by default dcmdjpeg turns
    # YBR_FULL into RGB, lossless JPEG included.
    run_tool("dcmdjpeg", "+cn", path, out)
    return read_native(out, layout, frames)


def by_gdcm(path: Path, layout: PixelLayout, frames: int) -> np.ndarray:
    out = path.with_name(path.stem + "_gdcmconv.dcm")
    run_tool("gdcmconv", "--raw", path, out)
    return read_native(out, layout, frames)


WITNESSES: dict[str, Callable[[Path, PixelLayout, int], np.ndarray]] = {
    "libjpeg": by_libjpeg,
    "dcmtk": by_dcmtk,
    "gdcm": by_gdcm,
}


def gdcm_cannot(layout: PixelLayout) -> bool:
    # GDCM 3.0.21 aborts (assertion BitsAllocated == BitsStored in
    # ImageCodec::DecodeByStreams) on lossless JPEG with Bits Allocated 8 and
    # Bits Stored below 8, DCMTK's own dcmcjpeg output included.
    return layout.bits_allocated == 8 and layout.bits_stored < 8


def assert_witnessed(
    tmp_path: Path,
    frames: np.ndarray,
    layout: PixelLayout,
    witness: str,
    transfer_syntax: str = SV1,
    options: Mapping[str, Any] | None = None,
) -> list[bytes]:
    if witness == "gdcm" and gdcm_cannot(layout):
        pytest.skip("GDCM 3.0.21 aborts on Bits Allocated 8 with Bits Stored < 8")
    streams = encode_all(frames, layout, transfer_syntax, options or {})
    path = tmp_path / "ours.dcm"
    write_file(path, streams, layout, transfer_syntax)
    decoded = WITNESSES[witness](path, layout, len(frames))
    np.testing.assert_array_equal(
        normalised(decoded, layout), normalised(frames, layout)
    )
    return streams


# -- synthetic images --------------------------------------------------------------


def structured(layout: PixelLayout, frames: int = 1, sigma: float = 2.0) -> np.ndarray:
    """Gradients, a disc and a little noise, spanning the whole value range."""
    rng = np.random.default_rng(RNG_SEED)
    bits = layout.bits_stored
    low = -(1 << (bits - 1)) if layout.is_signed else 0
    high = low + (1 << bits) - 1
    y, x = np.mgrid[: layout.rows, : layout.columns].astype(np.float64)
    out = []
    for frame in range(frames):
        ramp = (x / max(layout.columns - 1, 1) + y / max(layout.rows - 1, 1)) / 2
        disc = ((x - layout.columns / 3) ** 2 + (y - layout.rows / 2) ** 2) < (
            min(layout.rows, layout.columns) / 4
        ) ** 2
        image = low + (high - low) * (0.8 * ramp + 0.2 * disc) + 7 * frame
        image = image[..., None] * np.array([1.0, 0.7, 0.4])[: layout.samples_per_pixel]
        image = image.reshape(layout.frame_shape)
        image = image + rng.normal(0, sigma, image.shape)
        out.append(np.clip(np.rint(image), low, high))
    return np.stack(out).astype(layout.dtype)


def noise(layout: PixelLayout, frames: int = 1) -> np.ndarray:
    """Uniform noise over every value Bits Stored allows: large differences.

    (Category 16 is rare in noise; :func:`fibonacci_image` makes sure of it.)
    """
    rng = np.random.default_rng(RNG_SEED + 1)
    bits = layout.bits_stored
    low = -(1 << (bits - 1)) if layout.is_signed else 0
    shape = (frames, *layout.frame_shape)
    return rng.integers(low, low + (1 << bits), shape, endpoint=False).astype(
        layout.dtype
    )


U8 = make_layout(rows=61, columns=83)
U12 = make_layout(rows=64, columns=50, bits_allocated=16, bits_stored=12)
U16 = make_layout(rows=70, columns=64, bits_allocated=16, bits_stored=16)
S16 = make_layout(
    rows=48, columns=66, bits_allocated=16, bits_stored=16, pixel_representation=1
)
S12 = make_layout(
    rows=40, columns=33, bits_allocated=16, bits_stored=12, pixel_representation=1
)
RGB8 = make_layout(
    rows=45, columns=37, samples_per_pixel=3, photometric_interpretation="RGB"
)
YBR8 = make_layout(
    rows=20, columns=30, samples_per_pixel=3, photometric_interpretation="YBR_FULL"
)
U16_LARGE = make_layout(rows=200, columns=150, bits_allocated=16, bits_stored=16)
RGB8_LARGE = make_layout(
    rows=120, columns=100, samples_per_pixel=3, photometric_interpretation="RGB"
)
U2_IN_16 = make_layout(rows=33, columns=35, bits_allocated=16, bits_stored=2)
U2_IN_8 = make_layout(rows=33, columns=35, bits_allocated=8, bits_stored=2)

# name: (layout, frames, transfer syntax, options)
CASES: dict[str, tuple[PixelLayout, np.ndarray, str, dict[str, Any]]] = {
    "u8": (U8, structured(U8), SV1, {}),
    "u8-3frames": (U8, structured(U8, 3), SV1, {}),
    "u12": (U12, structured(U12), SV1, {}),
    "u16": (U16, structured(U16, sigma=40), SV1, {}),
    "u16-2frames": (U16, structured(U16, 2, sigma=40), SV1, {}),
    "s16": (S16, structured(S16, sigma=40), SV1, {}),
    "s16-noise": (S16, noise(S16), SV1, {}),
    "s12": (S12, structured(S12, 2), SV1, {}),
    "rgb8": (RGB8, structured(RGB8), SV1, {}),
    "rgb8-2frames": (RGB8, structured(RGB8, 2), SV1, {}),
    "ybr-full8": (YBR8, structured(YBR8), SV1, {}),
    "u16-full-range-noise": (U16, noise(U16), SV1, {}),
    "u8-constant": (U8, np.full((1, *U8.frame_shape), 200, np.uint8), SV1, {}),
    "u16-constant-zero": (U16, np.zeros((1, *U16.frame_shape), np.uint16), SV1, {}),
    "u2-in-16": (U2_IN_16, noise(U2_IN_16), SV1, {}),
    "u2-in-8": (U2_IN_8, structured(U2_IN_8), SV1, {}),
    "u8-1x1": (make_layout(rows=1, columns=1), np.array([[[7]]], np.uint8), SV1, {}),
    "u16-1-row": (
        make_layout(rows=1, columns=300, bits_allocated=16, bits_stored=16),
        noise(make_layout(rows=1, columns=300, bits_allocated=16, bits_stored=16)),
        SV1,
        {},
    ),
    "u16-restart-every-line": (
        U16,
        structured(U16, sigma=40),
        SV1,
        {"restart_interval": U16.columns},
    ),
    "u8-restart-7-lines": (U8, structured(U8), SV1, {"restart_interval_lines": 7}),
    # more samples than one block of lines (16384): blocks, restarts across them
    "u16-several-blocks-restart-7-lines": (
        U16_LARGE,
        structured(U16_LARGE, sigma=40),
        LOSSLESS,
        {"restart_interval_lines": 7, "predictor": 4},
    ),
    "rgb8-several-blocks": (RGB8_LARGE, structured(RGB8_LARGE, 2), SV1, {}),
    "rgb8-restart-4-lines": (
        RGB8,
        structured(RGB8, 2),
        LOSSLESS,
        {"restart_interval_lines": 4, "predictor": 4},
    ),
    "s12-restart-predictor-6": (
        S12,
        structured(S12),
        LOSSLESS,
        {"restart_interval_lines": 3, "predictor": 6},
    ),
}
for _predictor in range(1, 8):
    CASES[f"u16-predictor-{_predictor}"] = (
        U16,
        structured(U16, sigma=40),
        LOSSLESS,
        {"predictor": _predictor},
    )
    CASES[f"u16-noise-predictor-{_predictor}"] = (
        U16,
        noise(U16),
        LOSSLESS,
        {"predictor": _predictor},
    )
    CASES[f"rgb8-predictor-{_predictor}"] = (
        RGB8,
        structured(RGB8),
        LOSSLESS,
        {"predictor": _predictor},
    )


@pytest.mark.parametrize("witness", sorted(WITNESSES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_synthetic_images_decode_exactly(
    tmp_path: Path, case: str, witness: str
) -> None:
    layout, frames, transfer_syntax, options = CASES[case]
    assert_witnessed(tmp_path, frames, layout, witness, transfer_syntax, options)


# -- the test files' images --------------------------------------------------------


def native_sources() -> list[str]:
    names = []
    for record in MANIFEST:
        if (
            record["has_file_meta"]
            and record["transfer_syntax"]
            in (uid.ImplicitVRLittleEndian, uid.ExplicitVRLittleEndian)
            and record["pixel_element"] == "PixelData"
            and record["bits_allocated"] in (8, 16)
            and record["bits_stored"] >= 2
        ):
            names.append(record["file"])
    return names


NATIVE_SOURCES = native_sources()


def source_frames(name: str) -> tuple[PixelLayout, np.ndarray]:
    """A native test file's frames as the encoder receives them.

    Interleaved, Bits Stored applied; checked against the manifest's hash of
    the pixels as DCMTK and GDCM decode them.
    """
    ds = dcmread(TESTFILES / name)
    layout = PixelLayout.from_dataset(ds)
    count = layout.number_of_frames * layout.pixels_per_frame
    count *= layout.samples_per_pixel
    raw = np.frombuffer(ds.PixelData, f"<u{layout.bits_allocated // 8}")[:count]
    if layout.planar_configuration == 1:
        planes = raw.reshape(layout.number_of_frames, 3, layout.rows, layout.columns)
        raw = planes.transpose(0, 2, 3, 1)
    frames = normalised(raw, layout).astype(layout.dtype)
    frames = frames.reshape((layout.number_of_frames, *layout.frame_shape))
    record = RECORDS[name]
    little_endian = frames.astype(frames.dtype.newbyteorder("<"))
    digest = hashlib.sha256(np.ascontiguousarray(little_endian)).hexdigest()
    assert digest == record["sha256"], "the source pixels are not what the tools see"
    return layout, frames


def test_the_native_sources_cover_the_layouts() -> None:
    assert {
        "mono8_explicit.dcm",
        "mono12u_dirty_explicit.dcm",
        "mono12s_explicit.dcm",
        "mono16_5frames_explicit.dcm",
        "ct_int16_implicit.dcm",
        "rgb8_planar1_explicit.dcm",
        "ybr_full8_explicit.dcm",
    } <= set(NATIVE_SOURCES)


@pytest.mark.parametrize("witness", sorted(WITNESSES))
@pytest.mark.parametrize("name", NATIVE_SOURCES)
def test_testfiles_images_decode_exactly(
    tmp_path: Path, name: str, witness: str
) -> None:
    layout, frames = source_frames(name)
    assert_witnessed(tmp_path, frames, layout, witness)


DCMTK_SV1 = sorted(
    (record["source_file"], record["file"])
    for record in MANIFEST
    if record["made_by"].startswith("dcmcjpeg +e1 ")
)


@pytest.mark.parametrize(("source", "theirs"), DCMTK_SV1)
def test_streams_are_no_larger_than_dcmtks(source: str, theirs: str) -> None:
    # Both build optimal tables (T.81 K.2); DCMTK also writes a JFIF APP0.
    layout, frames = source_frames(source)
    ours = encode_all(frames, layout, SV1, {})
    pixel_data = dcmread(TESTFILES / theirs).PixelData
    their_frames = generate_frames(pixel_data, number_of_frames=len(frames))
    for stream, their_stream in zip(ours, their_frames, strict=True):
        their_length = bytes(their_stream).rindex(b"\xff\xd9") + 2
        assert len(stream) <= their_length


# -- stream structure ---------------------------------------------------------------


def segments(stream: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, parameters) of every marker segment before the scan data,
    then (SOS, parameters), then (0, entropy-coded data with RSTm), (EOI, b"")."""
    assert stream[:2] == b"\xff\xd8"
    position = 2
    while True:
        marker = int.from_bytes(stream[position : position + 2], "big")
        length = int.from_bytes(stream[position + 2 : position + 4], "big")
        parameters = stream[position + 4 : position + 2 + length]
        yield marker, parameters
        position += 2 + length
        if marker == 0xFFDA:
            break
    assert stream[-2:] == b"\xff\xd9"
    yield 0, stream[position:-2]
    yield 0xFFD9, b""


def huffman_tables(parameters: bytes) -> dict[int, tuple[list[int], bytes]]:
    tables = {}
    position = 0
    while position < len(parameters):
        class_and_id = parameters[position]
        assert class_and_id >> 4 == 0  # lossless uses the DC class
        bits = list(parameters[position + 1 : position + 17])
        values = parameters[position + 17 : position + 17 + sum(bits)]
        tables[class_and_id & 15] = (bits, values)
        position += 17 + sum(bits)
    return tables


def entropy_markers(data: bytes) -> list[int]:
    """Markers inside entropy-coded data; fails on an unstuffed 0xFF."""
    found = []
    for index in np.flatnonzero(np.frombuffer(data, np.uint8) == 0xFF):
        follower = data[index + 1]
        if follower == 0:
            continue
        assert 0xD0 <= follower <= 0xD7, f"0xFF {follower:02X} at {index}"
        found.append(follower)
    return found


def test_stream_headers_follow_t81_annex_b() -> None:
    layout, frames, _, _ = CASES["rgb8"]
    (stream,) = encode_all(frames, layout, LOSSLESS, {"predictor": 5})
    found = dict(segments(stream))
    frame_header = found[0xFFC3]
    assert frame_header[:6] == bytes([8, 0, 45, 0, 37, 3])  # P, Y, X, Nf
    assert frame_header[6:] == bytes([1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0])
    scan_header = found[0xFFDA]
    # Ns, then (Cs, Td/Ta) per component, then Ss, Se, Ah/Al
    tables = [selector >> 4 for selector in scan_header[2:7:2]]
    assert scan_header[0] == 3 and scan_header[1:7:2] == bytes([1, 2, 3])
    assert set(tables) <= set(huffman_tables(found[0xFFC4]))
    assert scan_header[-3:] == bytes([5, 0, 0])  # Ss = predictor, Se, Ah/Al = Pt 0
    assert 0xFFDD not in found


def test_restart_intervals_hold_whole_lines_and_cycle_rst_markers() -> None:
    layout, frames, _, _ = CASES["u8"]  # 61 lines
    (stream,) = encode_all(frames, layout, SV1, {"restart_interval_lines": 3})
    found = dict(segments(stream))
    assert found[0xFFDD] == (3 * layout.columns).to_bytes(2, "big")
    markers = entropy_markers(found[0])
    assert markers == [0xD0 + index % 8 for index in range(20)]  # 21 intervals


def test_byte_stuffing_leaves_no_bare_ff() -> None:
    layout, frames, _, _ = CASES["u16-full-range-noise"]
    (stream,) = encode_all(frames, layout, SV1, {})
    data = dict(segments(stream))[0]
    assert data.count(b"\xff\x00") > 10
    assert entropy_markers(data) == []


def test_options_select_the_restart_interval_either_way() -> None:
    layout, frames, _, _ = CASES["u8"]
    by_mcus = encode_all(frames, layout, SV1, {"restart_interval": 5 * 83})
    by_lines = encode_all(frames, layout, SV1, {"restart_interval_lines": 5})
    assert by_mcus == by_lines


# -- Huffman tables -------------------------------------------------------------------


def test_categories_and_extra_bits_follow_table_h2() -> None:
    category, extra, extra_length = category_lookup()

    def pattern(difference: int) -> int:
        return difference & 0xFFFF

    expected = {
        0: (0, 0, 0),
        1: (1, 0b1, 1),
        -1: (1, 0b0, 1),
        2: (2, 0b10, 2),
        -2: (2, 0b01, 2),
        -3: (2, 0b00, 2),
        7: (3, 0b111, 3),
        -4: (3, 0b011, 3),
        255: (8, 255, 8),
        -255: (8, 0, 8),
        32767: (15, 32767, 15),
        -32767: (15, 0, 15),
        -16384: (15, 0b011111111111111, 15),
        32768: (16, 0, 0),  # also -32768: no extra bits
    }
    for difference, (ssss, bits, count) in expected.items():
        index = pattern(difference)
        assert (category[index], extra[index], extra_length[index]) == (
            ssss,
            bits,
            count,
        ), difference


def huffman_cost(frequencies: list[int]) -> int:
    """Total bits of an unconstrained Huffman code (sum of the merged weights)."""
    heap = [f for f in frequencies if f > 0]
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    return cost


def assert_valid_table(table: Any, frequencies: list[int]) -> None:
    lengths = [table.size[c] for c in range(17)]
    assert all(
        (length > 0) == (f > 0) for length, f in zip(lengths, frequencies, strict=True)
    )
    assert max(lengths) <= 16
    assert sum(table.bits) == len(table.huffval) == sum(f > 0 for f in frequencies)
    # Kraft sum below 1: one code point is left over, the all-ones one.
    kraft = sum(2.0**-length for length in lengths if length)
    assert kraft < 1
    codes = {
        c: format(table.code[c], f"0{lengths[c]}b") for c in range(17) if lengths[c]
    }
    assert all(code != "1" * len(code) for code in codes.values())
    for a in codes.values():
        for b in codes.values():
            assert a is b or not b.startswith(a), "not a prefix code"


@pytest.mark.parametrize("seed", range(20))
def test_optimal_table_is_a_huffman_code_with_a_reserved_point(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frequencies = [int(f) for f in rng.integers(0, 5000, 17)]
    frequencies[int(rng.integers(17))] = 0
    table = optimal_table(np.array(frequencies))
    assert_valid_table(table, frequencies)
    # Without length limiting (these counts need none) K.2 is a Huffman code
    # over the categories plus the reserved point (frequency 1), which takes
    # a longest code word.
    lengths = [table.size[c] for c in range(17)]
    assert max(lengths) < 16
    cost = sum(f * length for f, length in zip(frequencies, lengths, strict=True))
    assert cost + max(lengths) == huffman_cost([*frequencies, 1])


FIBONACCI = [1, 1]
while len(FIBONACCI) < 17:
    FIBONACCI.append(FIBONACCI[-1] + FIBONACCI[-2])


def test_code_lengths_are_limited_to_16() -> None:
    # Fibonacci frequencies make an unconstrained Huffman code 17 deep.
    frequencies = FIBONACCI[::-1]
    table = optimal_table(np.array(frequencies))
    assert_valid_table(table, frequencies)
    assert list(table.bits).count(0) < 16 and table.bits[15] > 0


def fibonacci_image() -> tuple[PixelLayout, np.ndarray, np.ndarray]:
    """16-bit samples whose predictor-1 differences have Fibonacci category counts.

    Returns the layout, the frame (as a one-frame stack) and the differences.
    """
    rng = np.random.default_rng(RNG_SEED)
    counts = FIBONACCI[::-1]  # category 0 most frequent, 15 and 16 once
    differences = []
    for category, count in enumerate(counts):
        if category == 0:
            differences += [0] * count
        elif category == 16:
            differences += [32768] * count
        else:
            low = 1 << (category - 1)
            magnitudes = rng.integers(low, 2 * low, count)
            differences += list(magnitudes * rng.choice([-1, 1], count))
    columns = 101
    differences += [0] * (-len(differences) % columns)
    order = rng.permutation(len(differences))
    grid = np.array(differences, np.int64)[order].reshape(-1, columns)
    # Undo predictor 1 (T.81 H.1.2.1): the first sample from 2**15, the rest
    # of the first column from the line above, every other sample from its
    # left neighbour.
    first = (1 << 15) + np.cumsum(grid[:, 0])
    samples = first[:, None] + np.cumsum(grid[:, 1:], axis=1)
    image = np.concatenate([first[:, None], samples], axis=1) & 0xFFFF
    layout = make_layout(
        rows=grid.shape[0], columns=columns, bits_allocated=16, bits_stored=16
    )
    return layout, image.astype(np.uint16)[None], grid


@pytest.mark.parametrize("witness", sorted(WITNESSES))
def test_a_16_bit_deep_huffman_tree_decodes(tmp_path: Path, witness: str) -> None:
    layout, frames, grid = fibonacci_image()
    symbols, counts = _symbols(frames[0][..., None], 16, 1, 0)
    np.testing.assert_array_equal(symbols, (grid & 0xFFFF).reshape(-1))
    expected = np.array(FIBONACCI[::-1])
    expected[0] += grid.size - expected.sum()  # the zeros that fill the last line
    np.testing.assert_array_equal(counts[0], expected)
    (stream,) = assert_witnessed(tmp_path, frames, layout, witness)
    bits, values = huffman_tables(dict(segments(stream))[0xFFC4])[0]
    assert sum(bits) == 17 and bits[15] > 0  # every category, some codes 16 bits
    assert sorted(values) == list(range(17))


def reference_differences(
    samples: np.ndarray, predictor: int, precision: int, lines_per_interval: int
) -> np.ndarray:
    """T.81 H.1.2.1 sample by sample, written plainly."""
    lines, columns, components = samples.shape
    out = np.zeros(samples.shape, np.int64)
    x = samples.astype(np.int64)
    for line in range(lines):
        first_of_interval = line % (lines_per_interval or lines) == 0
        for column in range(columns):
            for c in range(components):
                if first_of_interval and column == 0:
                    px = 1 << (precision - 1)
                elif first_of_interval:
                    px = x[line, column - 1, c]
                elif column == 0:
                    px = x[line - 1, column, c]
                else:
                    ra = x[line, column - 1, c]
                    rb = x[line - 1, column, c]
                    rc = x[line - 1, column - 1, c]
                    px = {
                        1: ra,
                        2: rb,
                        3: rc,
                        4: ra + rb - rc,
                        5: ra + ((rb - rc) >> 1),
                        6: rb + ((ra - rc) >> 1),
                        7: (ra + rb) >> 1,
                    }[predictor]
                out[line, column, c] = (x[line, column, c] - px) % (1 << 16)
    return out


@pytest.mark.parametrize("lines_per_interval", [0, 1, 4])
@pytest.mark.parametrize("predictor", range(1, 8))
def test_prediction_follows_h_1_2_1(predictor: int, lines_per_interval: int) -> None:
    rng = np.random.default_rng(predictor)
    samples = rng.integers(0, 1 << 16, (9, 11, 3)).astype(np.int32)
    ours = differences(samples, predictor, 16, lines_per_interval)
    expected = reference_differences(samples, predictor, 16, lines_per_interval)
    np.testing.assert_array_equal(ours, expected)
    # the same, a block of lines at a time (with the line above each block)
    for first in range(1, 9):
        block = differences(
            samples[first - 1 :], predictor, 16, lines_per_interval, first
        )
        np.testing.assert_array_equal(block, expected[first:])


@pytest.mark.parametrize("components", [1, 3])
def test_symbols_in_blocks_of_lines_are_the_frames_differences(components: int) -> None:
    # 300 lines of 120 samples: several blocks of lines, restart intervals
    # (7 lines) that do not line up with them.
    rng = np.random.default_rng(components)
    samples = rng.integers(-2048, 2048, (300, 120 // components, components))
    symbols, counts = _symbols(samples.astype(np.int16), 12, 5, 7)
    whole = differences(samples.astype(np.int32) & 0xFFF, 5, 12, 7).astype(np.int64)
    whole += np.arange(components) * 65536
    np.testing.assert_array_equal(symbols, whole.reshape(-1))
    category = category_lookup()[0]
    for component in range(components):
        patterns = whole[..., component].reshape(-1) & 0xFFFF
        expected = np.bincount(category[patterns], minlength=17)
        np.testing.assert_array_equal(counts[component], expected)


# -- what the records accept -----------------------------------------------------------


def records() -> dict[str, Any]:
    _, encoders = collect_records(jpeg_lossless)
    return {encoder.transfer_syntax: encoder for encoder in encoders}


def test_records() -> None:
    found = records()
    assert sorted(found) == [LOSSLESS, SV1]
    assert found[SV1].name == "jpeg-lossless-sv1"
    assert found[LOSSLESS].name == "jpeg-lossless"
    assert not found[SV1].lossy and not found[LOSSLESS].lossy


@pytest.mark.parametrize(
    ("fields", "options", "reason"),
    [
        (
            {"bits_allocated": 32, "bits_stored": 32},
            {},
            "Bits Allocated must be 8 or 16",
        ),
        ({"bits_allocated": 1, "bits_stored": 1}, {}, "Bits Allocated must be 8 or 16"),
        ({"bits_allocated": 8, "bits_stored": 1}, {}, "Bits Stored must be 2 to 16"),
        (
            {
                "bits_allocated": 32,
                "bits_stored": 32,
                "pixel_keyword": "FloatPixelData",
            },
            {},
            "floating point",
        ),
        (
            {"samples_per_pixel": 3, "photometric_interpretation": "YBR_FULL_422"},
            {},
            "YBR_FULL_422 is not stored in lossless JPEG",
        ),
        ({}, {"predictor": 2}, "uses predictor 1 only"),
        ({}, {"predictor": "1"}, "predictor must be an integer"),
        ({}, {"restart_interval": 10}, "multiple of Columns (7)"),
        ({}, {"restart_interval": -7}, "must not be negative"),
        (
            {"rows": 100, "columns": 7000},
            {"restart_interval_lines": 10},
            "exceeds the DRI limit of 65535",
        ),
        ({}, {"restart_interval": 7, "restart_interval_lines": 1}, "not both"),
    ],
)
def test_supports_says_why_not(
    fields: dict[str, Any], options: dict[str, Any], reason: str
) -> None:
    layout = make_layout(**{"rows": 5, "columns": 7, **fields})
    answer = records()[SV1].supports(layout, options)
    assert answer is not None and reason in answer


def test_supports_predictors_on_jpeg_lossless_only() -> None:
    layout = make_layout(rows=5, columns=7)
    encoder = records()[LOSSLESS]
    assert all(encoder.supports(layout, {"predictor": p}) is None for p in range(1, 8))
    assert "1 to 7" in encoder.supports(layout, {"predictor": 8})
    assert "1 to 7" in encoder.supports(layout, {"predictor": 0})


@pytest.mark.parametrize("photometric", ["MONOCHROME1", "RGB", "YBR_FULL"])
def test_photometric_interpretation_is_unchanged(photometric: str) -> None:
    samples = 1 if photometric.startswith("MONO") else 3
    layout = make_layout(
        rows=2,
        columns=2,
        samples_per_pixel=samples,
        photometric_interpretation=photometric,
    )
    for encoder in records().values():
        assert encoder.supports(layout, {}) is None
        assert encoder.photometric_after(layout, {}) == photometric


def test_encode_refuses_what_supports_refuses() -> None:
    layout = make_layout(rows=2, columns=2)
    with pytest.raises(CodecError, match="predictor 1 only"):
        records()[SV1].encode(np.zeros((2, 2), np.uint8), layout, {"predictor": 3})
    with pytest.raises(CodecError, match="needs 4"):
        records()[SV1].encode(np.zeros((3, 2), np.uint8), layout, {})


def test_bits_above_bits_stored_are_not_encoded() -> None:
    layout = make_layout(rows=4, columns=4, bits_allocated=16, bits_stored=12)
    clean = noise(layout)[0]
    dirty = clean | np.uint16(0xA000)
    assert encode_all([dirty], layout, SV1, {}) == encode_all([clean], layout, SV1, {})


def test_encode_frames_matches_frame_by_frame() -> None:
    layout, frames, _, _ = CASES["u8-3frames"]
    one_by_one = encode_all(frames, layout, LOSSLESS, {"predictor": 7})
    threaded = jpeg_lossless.encode_frames(
        frames, layout, {"predictor": 7}, LOSSLESS, max_workers=3
    )
    assert threaded == one_by_one


# -- through the registry ----------------------------------------------------------


@pytest.fixture
def bundled_registry() -> Iterator[None]:
    reset_registry()
    yield
    reset_registry()


def test_bundled_and_chosen_by_the_registry(bundled_registry: None) -> None:
    layout = make_layout(rows=3, columns=4, bits_allocated=16, bits_stored=16)
    assert choose_encoder(layout, SV1).name == "jpeg-lossless-sv1"
    assert choose_encoder(layout, LOSSLESS, {"predictor": 3}).name == "jpeg-lossless"
    by_plugin = choose_encoder(layout, LOSSLESS, encoding_plugin="jpeg-lossless")
    assert by_plugin.name == "jpeg-lossless"
    frame = noise(layout)[0]
    stream = encode_frame(frame, layout, LOSSLESS, {"predictor": 3})
    decoded = libjpeg.decode(stream).reshape(layout.frame_shape)
    np.testing.assert_array_equal(decoded, frame)


# -- the conformance kit -----------------------------------------------------------


def _libjpeg_decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """A test-only decoder: pylibjpeg-libjpeg, sign extension by hand."""
    data = bytes(src)
    if data[:2] != b"\xff\xd8":
        raise CodecError("not a JPEG stream")
    try:
        decoded = libjpeg.decode(data)
    except RuntimeError as exc:
        raise CodecError(str(exc)) from None
    if decoded.size != layout.pixels_per_frame * layout.samples_per_pixel:
        raise CodecError(f"decoded {decoded.size} samples")
    array = normalised(decoded.reshape(layout.frame_shape), layout)
    return DecodedFrame(
        array.astype(layout.dtype), layout.photometric_interpretation, True
    )


class _WithWitnessDecoder:
    """Our encoders beside a libjpeg decoder, so the kit can round-trip.

    The plugin is encoder-only; the kit skips its round trip without a
    decoder for the same transfer syntax.
    """

    @hookimpl
    def dicomcore_encoders(self) -> Iterator[Any]:
        yield from jpeg_lossless.dicomcore_encoders()

    @hookimpl
    def dicomcore_decoders(self) -> Iterator[Decoder]:
        yield Decoder(
            name="libjpeg-witness",
            transfer_syntaxes={SV1, LOSSLESS},
            decode=_libjpeg_decode,
        )


class TestJpegLosslessSv1Conformance(CodecConformance):
    plugin = _WithWitnessDecoder()
    encoder_name = "jpeg-lossless-sv1"
    # Malformed input would test the witness decoder, not our plugin.
    malformed_cases = ()


class TestJpegLosslessConformance(CodecConformance):
    plugin = _WithWitnessDecoder()
    encoder_name = "jpeg-lossless"
    encode_options = {"predictor": 7, "restart_interval_lines": 2}
    malformed_cases = ()


def test_optimal_table_needs_some_counts() -> None:
    with pytest.raises(ValueError, match="not all 0"):
        optimal_table(np.zeros(17, np.int64))
