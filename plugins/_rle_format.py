"""The RLE Lossless frame layout of PS3.5 Annex G: header and segment order.

An RLE frame is a 64-byte RLE Header followed by its RLE Segments (G.4). The
header is 16 little endian unsigned longs: the number of segments, then the
offset of each segment from the start of the header, unused ones zero (G.5).
That leaves room for at most 15 segments.

Each segment holds one byte of every pixel of one sample, in row order: a
frame of Samples per Pixel ``S`` and Bits Allocated ``8 * B`` has ``S * B``
segments, the first sample's most significant byte first, then its next
byte, and so on before the next sample begins (G.2).
"""

from __future__ import annotations

import struct
from typing import Final

from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

__all__ = [
    "HEADER_LENGTH",
    "MAX_PACKET_LENGTH",
    "MAX_SEGMENTS",
    "build_header",
    "read_header",
    "segment_count",
    "unsupported_reason",
]

HEADER_LENGTH: Final = 64
MAX_SEGMENTS: Final = 15
#: A Replicate Run or a Literal Run covers at most 128 bytes (G.3.1).
MAX_PACKET_LENGTH: Final = 128

_HEADER = struct.Struct("<16L")


def segment_count(layout: PixelLayout) -> int:
    """Number of RLE Segments of one frame: one per byte of every sample."""
    return layout.samples_per_pixel * (layout.bits_allocated // 8)


def unsupported_reason(layout: PixelLayout) -> str | None:
    """Why RLE Lossless cannot hold frames of ``layout``, or None if it can."""
    if layout.is_float:
        # Float and Double Float Pixel Data are only ever encoded natively.
        return f"{layout.pixel_keyword} cannot be encapsulated"
    if layout.bits_allocated % 8:
        return (
            f"Bits Allocated {layout.bits_allocated} is not a whole number of "
            "bytes, so it has no RLE byte segments"
        )
    segments = segment_count(layout)
    if segments > MAX_SEGMENTS:
        return (
            f"{layout.samples_per_pixel} sample(s) of {layout.bits_allocated} bits "
            f"need {segments} RLE segments; the RLE Header holds at most "
            f"{MAX_SEGMENTS}"
        )
    return None


def read_header(data: bytes | memoryview, expected_segments: int) -> list[int]:
    """The segment offsets of the RLE frame ``data``, checked.

    Raises CodecError when the header is cut short, declares another number
    of segments than the layout needs, or gives offsets that do not increase
    or point past the end of the frame.
    """
    if len(data) < HEADER_LENGTH:
        raise CodecError(
            f"RLE frame of {len(data)} bytes is shorter than the "
            f"{HEADER_LENGTH}-byte RLE Header"
        )
    count, *offsets = _HEADER.unpack_from(data)
    if count != expected_segments:
        raise CodecError(
            f"RLE Header declares {count} segments; the image needs "
            f"{expected_segments} (one per byte of each sample)"
        )
    offsets = offsets[:count]
    if offsets[0] < HEADER_LENGTH:
        raise CodecError(
            f"RLE segment 1 starts at byte {offsets[0]}, inside the "
            f"{HEADER_LENGTH}-byte RLE Header"
        )
    pairs = zip(offsets, offsets[1:], strict=False)
    for number, (offset, following) in enumerate(pairs, start=1):
        if following <= offset:
            raise CodecError(
                f"RLE segment {number + 1} starts at byte {following}, not after "
                f"segment {number} (byte {offset})"
            )
    if offsets[-1] >= len(data):
        raise CodecError(
            f"RLE segment {count} starts at byte {offsets[-1]}, past the end of "
            f"the {len(data)}-byte frame"
        )
    return offsets


def build_header(segment_lengths: list[int]) -> bytes:
    """The RLE Header for segments of these (even) lengths, in order."""
    offsets = []
    position = HEADER_LENGTH
    for length in segment_lengths:
        offsets.append(position)
        position += length
    unused = [0] * (MAX_SEGMENTS - len(offsets))
    return _HEADER.pack(len(offsets), *offsets, *unused)
