"""Decoding one RLE Lossless frame (PS3.5 Annex G).

An RLE Segment is a chain of packets, each a header byte ``n`` read as a
signed char (G.3.2):

* 0 to 127: a Literal Run, the next ``n + 1`` bytes are output as they are;
* -127 to -1: a Replicate Run, the next byte is output ``1 - n`` times;
* -128: nothing is output and the next byte is a header again.

Where a packet starts depends on every packet before it, so some Python loop
over packets is unavoidable; the work is to keep it short.  What costs least
depends on how many bytes a packet spans, so a segment is decoded window by
window (4 KB at first, then up to 64 KB), each window by one of two routes,
chosen from the bytes per packet at the end of the previous window (a
segment under a quarter of a byte per pixel starts indexed, in one window):

* few packets for many bytes (long Literal Runs: noise, the low byte of CT):
  copy each packet's output as the loop meets it.  The loop costs one Python
  iteration per packet; bookkeeping arrays would cost more per byte;
* many packets for few bytes (short runs, flat areas): the indexed route.
  numpy computes, for every byte, where the next packet would start if a
  header stood there, and squares that map five times; the Python loop then
  hops 32 packets at a time, numpy fills in the packets between hops, gives
  each byte a repeat count (0 for headers, 1 for literal bytes, the run
  length for a replicated byte), and ``np.repeat`` builds the window's
  output when the frame is assembled (for the most significant byte of a
  sample, from byte values already widened and shifted into place).  Its
  next-packet maps are 32-bit and no larger than a window.

What real files contain and what is tolerated:

* bytes after the last packet a segment needs (the pad byte that makes a
  segment even, a trailing fragment pad) are ignored;
* a segment whose packets decode to more bytes than the image has pixels
  (segment lengths off by one are a common encoder slip) is cut to size;
* a last packet cut short by the end of its segment gives what is there.

A segment that decodes to fewer bytes than there are pixels raises CodecError;
so do headers the layout disagrees with (see :mod:`._rle_format`).  A segment
is read only between its offset and the next one, and decoding stops after
the window in which it has its pixels, so no input makes this read outside
the frame or allocate more than the decoded frame plus 4 MB per segment (what
one window can decode to), besides one window's index arrays while it is
decoded (some 3 MB for 64 KB of short runs).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import count
from typing import Final

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

from ._rle_format import MAX_PACKET_LENGTH, read_header, segment_count

__all__ = ["decode_frame", "decode_segment"]

# Header bytes as unsigned values: 0-127 literal, 128 the no-op, 129-255
# replicate (a Replicate Run of header byte b has 257 - b copies).
_NO_OP: Final = 128
# How far the next header is from a header byte b.
_STEP: Final = np.array([b + 2 for b in range(128)] + [1] + [2] * 127, np.int32)
# Bytes a packet of header byte b outputs.
_OUTPUT: Final = np.array(
    [b + 1 for b in range(128)] + [0] + [257 - b for b in range(129, 256)], np.intp
)
# How often the byte after a header byte b is output: a Replicate Run's
# length, else once (a literal byte, or a header after a no-op: zeroed later).
_AFTER_HEADER: Final = np.where(np.arange(256) > _NO_OP, _OUTPUT, 1)
# A Replicate Run's bytes, ready to slice: _RUNS[value][:count].
_RUNS: Final = tuple(bytes([value]) * MAX_PACKET_LENGTH for value in range(256))
# The indexed route hops 2**5 = 32 packets per Python iteration.
_HOP_DOUBLINGS: Final = 5
# Window sizes in segment bytes: small first when starting packet by packet,
# so that a poor first choice costs little, then growing to amortise
# numpy's per-call cost.
_FIRST_WINDOW: Final = 4096
_LARGEST_WINDOW: Final = 65536
# Below this many segment bytes per packet the indexed route is faster.
_INDEXED_BELOW: Final = 16
# Packet by packet, only the packets in a window's last _SAMPLE bytes are
# counted for that choice.
_SAMPLE: Final = 4096

# What one window decodes to: a packet by packet route's bytes, or the
# indexed route's byte values and repeat counts (np.repeat's operands).
_Piece = bytearray | tuple[np.ndarray, np.ndarray]


def decode_frame(
    src: bytes | bytearray | memoryview, layout: PixelLayout
) -> np.ndarray:
    """Decode one RLE frame into an array of ``layout``'s frame shape and dtype.

    Samples come back interleaved, whatever Planar Configuration says: the
    segments alone define where each byte goes.  Bits above Bits Stored are
    left as encoded.
    """
    data = memoryview(src)
    if data.format != "B" or data.ndim != 1:
        data = data.cast("B")
    offsets = read_header(data, segment_count(layout))
    pixels = layout.rows * layout.columns
    ends = [*offsets[1:], len(data)]
    # Each segment copied once into bytes, which the packet loop indexes
    # fastest; the frame itself may be a view of a file's bytes.
    segments = [
        _decode_segment(bytes(data[start:end]), pixels, number)
        for number, (start, end) in enumerate(zip(offsets, ends, strict=True), start=1)
    ]
    return _interleave(segments, layout)


def decode_segment(
    segment: bytes, pixels: int, number: int = 1, indexed: bool | None = None
) -> np.ndarray:
    """Decode one RLE Segment to exactly ``pixels`` bytes (a writable array).

    ``number`` only labels errors.  ``indexed`` forces a route for every
    window (None: chosen window by window); all routes give the same bytes.
    """
    return _decode_segment(segment, pixels, number, indexed).as_bytes()


class _Plane:
    """One decoded segment, kept as the pieces its windows gave.

    A window decoded by the indexed route stays ``np.repeat``'s two operands
    until the plane is joined with the others of its sample: repeating the
    byte values already widened and shifted into place makes the most
    significant plane of a 16-bit frame in one pass instead of three.
    """

    __slots__ = ("pieces", "pixels")

    def __init__(self, pieces: list[_Piece], pixels: int) -> None:
        self.pieces = pieces
        self.pixels = pixels

    def as_bytes(self) -> np.ndarray:
        """The plane's ``pixels`` bytes (uint8)."""
        return self._joined(
            np.repeat(*piece)
            if isinstance(piece, tuple)
            else np.frombuffer(piece, np.uint8)
            for piece in self.pieces
        )

    def widened(self, dtype: np.dtype, shift: int) -> np.ndarray:
        """The plane's ``pixels`` bytes as ``dtype``, shifted left by ``shift``."""
        arrays = []
        for piece in self.pieces:
            if isinstance(piece, tuple):
                values, repeats = piece
                arrays.append(
                    np.repeat(np.left_shift(values, shift, dtype=dtype), repeats)
                )
            else:
                values = np.frombuffer(piece, np.uint8)
                arrays.append(np.left_shift(values, shift, dtype=dtype))
        return self._joined(arrays)

    def _joined(self, arrays: Iterable[np.ndarray]) -> np.ndarray:
        pieces = list(arrays)
        # Packet by packet may overshoot by a Literal Run; the cut is a view.
        joined = pieces[0] if len(pieces) == 1 else np.concatenate(pieces)
        return joined[: self.pixels]


def _decode_segment(
    segment: bytes, pixels: int, number: int = 1, indexed: bool | None = None
) -> _Plane:
    segment_bytes = np.frombuffer(segment, np.uint8)
    end = len(segment)
    # A segment much smaller than its output is mostly short runs, and small:
    # it goes the indexed route in one window.
    use_index = indexed if indexed is not None else 4 * end < pixels
    window = _LARGEST_WINDOW if use_index else _FIRST_WINDOW
    pieces: list[_Piece] = []
    # Consecutive windows decoded packet by packet share one bytearray.
    buffer: bytearray | None = None
    produced = 0
    position = 0
    while position < end and produced < pixels:
        stop = min(position + window, end)
        if use_index:
            values, repeats, decoded, following, packets = _window_indexed(
                segment_bytes, position, stop, pixels - produced
            )
            spanned = following - position
            pieces.append((values, repeats))
            produced += decoded
            buffer = None
        else:
            if buffer is None:
                buffer = bytearray()
                pieces.append(buffer)
            before = len(buffer)
            following, packets, spanned = _window_by_packets(
                segment, position, stop, buffer
            )
            produced += len(buffer) - before
        if indexed is None:
            use_index = spanned < _INDEXED_BELOW * packets
        position = following
        window = min(4 * window, _LARGEST_WINDOW)
    if produced < pixels:
        raise CodecError(
            f"RLE segment {number} decodes to {produced} bytes; the image has "
            f"{pixels} pixels"
        )
    return _Plane(pieces, pixels)


def _window_by_packets(
    segment: bytes, position: int, stop: int, out: bytearray
) -> tuple[int, int, int]:
    """Decode the packets that start before ``stop`` onto ``out``, as they come.

    Returns where the next packet starts, and how many packets started in
    the window's last 4 KB and how many bytes they spanned, to choose the
    next window's route: counting every packet would cost the loop ~8%, and
    the end of a window tells most about the next one.  Junk after a
    segment's last packet is decoded too, to be cut by the caller: a window
    of at most 64 KB can only make 4 MB of it.
    """
    position = _copy_packets(segment, position, max(position, stop - _SAMPLE), out)
    following, packets = _copy_counted_packets(segment, position, stop, out)
    return following, packets, following - position


def _copy_packets(segment: bytes, position: int, stop: int, out: bytearray) -> int:
    """Decode the packets that start before ``stop`` onto ``out``; returns
    where the next packet starts.  The loop the whole decoder waits on: one
    test per packet besides what the packet needs."""
    runs = _RUNS
    try:
        while position < stop:
            header = segment[position]
            if header < 128:  # a Literal Run; slicing stops at the segment's end
                following = position + header + 2
                out += segment[position + 1 : following]
                position = following
            elif header > 128:  # a Replicate Run
                out += runs[segment[position + 1]][: 257 - header]
                position += 2
            else:  # the no-op
                position += 1
    except IndexError:
        # A Replicate Run header with no byte after it ends the segment.
        position = len(segment)
    return position


def _copy_counted_packets(
    segment: bytes, position: int, stop: int, out: bytearray
) -> tuple[int, int]:
    """:func:`_copy_packets`, also returning how many packets it decoded."""
    runs = _RUNS
    packets = 0
    try:
        # count() numbers the packets more cheaply than an addition would.
        for packets in count():  # noqa: B007 (read after the loop)
            if position >= stop:
                break
            header = segment[position]
            if header < 128:
                following = position + header + 2
                out += segment[position + 1 : following]
                position = following
            elif header > 128:
                out += runs[segment[position + 1]][: 257 - header]
                position += 2
            else:
                position += 1
    except IndexError:
        position = len(segment)
    return position, packets


def _window_indexed(
    segment_bytes: np.ndarray, position: int, stop: int, wanted: int
) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """Decode the packets that start before ``stop`` with numpy-assisted hops.

    Returns the window's bytes and how often each is repeated in the output
    (``np.repeat``'s operands, at most ``wanted`` bytes in all), that count,
    where the next packet starts, and how many packets were read.
    """
    # The last packet may reach up to 129 bytes past the window.
    reach = min(stop + MAX_PACKET_LENGTH + 1, len(segment_bytes))
    window = segment_bytes[position:reach]
    starts = _packet_starts(window, stop - position)
    headers = window.take(starts)
    lengths = _OUTPUT.take(headers)
    # How often the byte after each header is output (see repeats below).
    after = _AFTER_HEADER.take(headers)
    last_start = int(starts[-1])
    last_header = int(headers[-1])
    # Only the last packet can run past the segment's end: a Replicate Run
    # there may lack its byte, a Literal Run some of its bytes.
    available = len(window) - last_start - 1
    if last_header > _NO_OP and available < 1:
        lengths[-1] = 0
    elif last_header < _NO_OP and lengths[-1] > available:
        lengths[-1] = available
    used_end = min(last_start + int(_STEP[last_header]), len(window))
    following = position + last_start + int(_STEP[last_header])
    packets = len(starts)
    decoded = np.cumsum(lengths)
    count = int(decoded[-1])
    if count >= wanted:
        count = wanted
        # The packet that completes the segment; what it gives beyond the
        # last pixel is dropped, and what comes after it is never read.
        last = int(np.searchsorted(decoded, wanted))
        excess = int(decoded[last]) - wanted
        cut_start = int(starts[last])
        if headers[last] > _NO_OP:
            after[last] -= excess
            used_end = cut_start + 2
        else:
            used_end = cut_start + 1 + int(lengths[last]) - excess
        starts = starts[: last + 1]
        after = after[: last + 1]
    # Repeat counts: 1 for a literal byte, the run length for a replicated
    # byte, 0 for a header and for what is not used.  The byte after each
    # header first (one spare slot for a header at the very end), then the
    # headers, since after a no-op comes another header.
    repeats = np.ones(len(window) + 1, np.intp)
    repeats[starts + 1] = after
    repeats[starts] = 0
    repeats[used_end:] = 0
    return window, repeats[:-1], count, following, packets


def _packet_starts(window: np.ndarray, span: int) -> np.ndarray:
    """Where the packets that start in ``window[:span]`` start, in order.

    ``following[i]`` is where the next packet would start if a header stood
    at ``i`` (``span``, a sink, once past it); squaring that map five times
    gives the 32nd next.  The Python loop hops from the first packet 32 at a
    time; the packets in between are filled in by halving: every hop's
    16th next packet from the squared map, then every one of those's 8th
    next, and so on, each level written beside the one before.  Positions
    are 32-bit: six maps of a 64 KB window are then 1.5 MB (``take``
    widens each index array to ``intp`` for the time of the call).
    """
    following = np.empty(span + 1, np.int32)
    np.take(_STEP, window[:span], out=following[:span])
    following[:span] += np.arange(span, dtype=np.int32)
    following[span] = span
    np.minimum(following, span, out=following)
    powers = [following]
    for _ in range(_HOP_DOUBLINGS):
        powers.append(powers[-1].take(powers[-1]))
    hop_view = powers.pop().data  # a memoryview: indexing gives Python ints
    landings: list[int] = []
    append = landings.append
    position = 0
    while position < span:
        append(position)
        position = hop_view[position]
    starts = np.array(landings, np.int32)
    for power in reversed(powers):
        pairs = np.empty((len(starts), 2), np.int32)
        pairs[:, 0] = starts
        power.take(starts, out=pairs[:, 1])
        starts = pairs.ravel()
    # Hops that ran into the sink repeat it; it is not a packet.
    return starts[starts < span]


def _interleave(planes: list[_Plane], layout: PixelLayout) -> np.ndarray:
    """Decoded segments, in segment order, to a frame of interleaved samples."""
    samples = layout.samples_per_pixel
    byte_count = layout.bits_allocated // 8
    pixels = layout.rows * layout.columns
    unsigned = np.dtype(f"uint{8 * byte_count}")
    if samples == 1:
        frame = _join_bytes(planes, unsigned)
    else:
        frame = np.empty((pixels, samples), unsigned)
        for sample in range(samples):
            sample_planes = planes[sample * byte_count : (sample + 1) * byte_count]
            frame[:, sample] = _join_bytes(sample_planes, unsigned)
    return frame.view(layout.dtype).reshape(layout.frame_shape)


def _join_bytes(planes: list[_Plane], unsigned: np.dtype) -> np.ndarray:
    """One sample's byte planes, most significant first, as native integers.

    Arithmetic on whole planes is several times faster than scattering bytes
    into a strided view, and gives native byte order for free.  The result
    is writable and owned by nobody else (a view of a bytearray or a fresh
    array), so the caller need not copy it.
    """
    if len(planes) == 1:
        return planes[0].as_bytes()
    last = len(planes) - 1
    value = planes[0].widened(unsigned, 8 * last)
    for number, plane in enumerate(planes[1:-1], start=1):
        value |= plane.widened(unsigned, 8 * (last - number))
    # The least significant plane is or-ed in as bytes: no widened copy.
    value |= planes[-1].as_bytes()
    return value
