"""Encoding one RLE Lossless frame (PS3.5 Annex G) with whole-array numpy work.

The frame is split into byte segments (G.2), the rows of all segments are
laid end to end, and runs of equal bytes are found at once by comparing each
byte with the one before, with a break forced at every row start since no
run may cross a row (G.3.1).  Then, following G.3.1:

* runs of 2 bytes or more become Replicate Runs, at most 128 bytes each;
* a 2-byte run with a 1-byte run on each side (in the same row) goes into the
  Literal Run around it instead, which saves a header byte (the Note to
  G.3.1);
* the other bytes, one-byte runs, form Literal Runs of at most 128 bytes.

Every packet's place in the output follows from where it starts in the input
and how many packets and replicated bytes come before it, so the output is
built with index arithmetic, without a Python loop over packets.  The result
is deterministic: the same frame always gives the same bytes.
"""

from __future__ import annotations

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

from ._rle_format import (
    MAX_PACKET_LENGTH,
    build_header,
    segment_count,
)

__all__ = ["encode_frame"]


def encode_frame(frame: np.ndarray, layout: PixelLayout) -> bytes:
    """Encode one frame, shape ``layout.frame_shape`` and dtype ``layout.dtype``.

    Samples are given interleaved; Planar Configuration does not matter, since
    RLE always stores one segment per byte of each sample.
    """
    if frame.shape != layout.frame_shape or frame.dtype != layout.dtype:
        raise CodecError(
            f"frame has shape {frame.shape} and dtype {frame.dtype}; the layout "
            f"needs shape {layout.frame_shape} and dtype {layout.dtype}"
        )
    planes = _byte_planes(frame, layout)
    rows_per_segment = layout.rows
    encoded, row_offsets = _encode_rows(planes.reshape(-1, layout.columns))
    segment_starts = row_offsets[::rows_per_segment].tolist()
    segment_ends = [*segment_starts[1:], len(encoded)]
    segments = []
    for start, end in zip(segment_starts, segment_ends, strict=True):
        segment = encoded[start:end].tobytes()
        # Each RLE Segment is padded with a zero byte to an even length (G.3).
        segments.append(segment + b"\x00" if len(segment) % 2 else segment)
    return build_header([len(segment) for segment in segments]) + b"".join(segments)


def _byte_planes(frame: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """The frame's byte segments as planes (segments, rows, columns), in order."""
    byte_count = layout.bits_allocated // 8
    samples = layout.samples_per_pixel
    unsigned = np.ascontiguousarray(frame).view(f"uint{8 * byte_count}")
    unsigned = unsigned.reshape(layout.rows, layout.columns, samples)
    planes = np.empty((segment_count(layout), layout.rows, layout.columns), np.uint8)
    for sample in range(samples):
        values = unsigned[:, :, sample]
        for significance in range(byte_count):
            # Most significant byte first (G.2); shifting works on values, so
            # the host's byte order never matters, and storing into uint8
            # keeps the low byte of the shifted value.
            shift = 8 * (byte_count - 1 - significance)
            planes[sample * byte_count + significance] = values >> shift
    return planes


def _encode_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RLE-encode each row of the 2-D uint8 array ``rows`` independently.

    Returns the packets of all rows, one row after the other, and the offset
    in them where each row's packets begin.

    Noisy data has about as many runs as bytes, so the work is done on byte
    masks; only runs of two bytes or more, and the Literal Runs between
    them, get arrays of their own.
    """
    row_count, columns = rows.shape
    data = rows.ravel()
    size = data.size
    # first[i]: byte i starts a run; last[i]: byte i ends one.  Every row
    # start starts a run, so no run crosses a row.
    first = np.empty(size, bool)
    first[0] = True
    np.not_equal(data[1:], data[:-1], out=first[1:])
    first[::columns] = True
    last = np.empty(size, bool)
    last[:-1] = first[1:]
    last[-1] = True
    # A run of two bytes or more has one first-but-not-last byte and one
    # last-but-not-first byte, in that order: one pass finds both.
    edges = np.flatnonzero(first != last).reshape(-1, 2)
    run_starts = edges[:, 0]
    run_lengths = edges[:, 1] + 1 - run_starts
    literal = first & last  # one-byte runs, and more below

    # A 2-byte run with a 1-byte run on each side in the same row goes into
    # the Literal Run around them: one header byte less (G.3.1 Note).
    before = run_starts - 1
    after = np.minimum(run_starts + 2, size - 1)
    joins = (
        (run_lengths == 2)
        & (run_starts % columns != 0)
        & ((run_starts + 2) % columns != 0)
        & literal[before]
        & literal[after]
    )
    literal[run_starts[joins]] = True
    literal[run_starts[joins] + 1] = True
    # A run of 128k + 1 bytes would leave a 1-byte Replicate Run, which has
    # no encoding (a Replicate Run covers 2 to 128 bytes): its last byte
    # joins the literal bytes instead.
    lone_tail = ~joins & (run_lengths % MAX_PACKET_LENGTH == 1)
    literal[edges[lone_tail, 1]] = True
    kept = ~joins
    replicate_runs = run_starts[kept]
    replicate_starts, replicate_lengths = _split(
        replicate_runs, (run_lengths - lone_tail)[kept]
    )

    # Literal Runs: from a literal byte after a non-literal one (or at a row
    # start) to the next replicated byte or the row's end.
    begins = literal.copy()
    begins[1:] &= ~literal[:-1]
    begins[::columns] = literal[::columns]
    stretch_starts = np.flatnonzero(begins)
    row_ends = (stretch_starts // columns + 1) * columns
    following_runs = np.append(replicate_runs, size)
    stretch_ends = np.minimum(
        row_ends, following_runs[np.searchsorted(replicate_runs, stretch_starts)]
    )
    literal_starts, literal_lengths = _split(
        stretch_starts, stretch_ends - stretch_starts
    )

    # Each byte of the input is in exactly one packet, so the output before a
    # packet is its input start, plus one header per earlier packet, minus
    # the bytes that earlier Replicate Runs saved (length - 1 each).
    saved = np.zeros(len(replicate_starts) + 1, np.intp)
    np.cumsum(replicate_lengths - 1, out=saved[1:])
    replicate_before_literal = np.searchsorted(replicate_starts, literal_starts)
    literal_before_replicate = np.searchsorted(literal_starts, replicate_starts)
    replicate_at = (
        replicate_starts
        + np.arange(len(replicate_starts))
        + literal_before_replicate
        - saved[:-1]
    )
    literal_at = (
        literal_starts
        + np.arange(len(literal_starts))
        + replicate_before_literal
        - saved[replicate_before_literal]
    )
    total = size + len(replicate_starts) + len(literal_starts) - int(saved[-1])

    encoded = np.empty(total, np.uint8)
    # Header bytes as signed chars: count - 1 for a Literal Run, 1 - count for
    # a Replicate Run (stored as 257 - count).
    encoded[literal_at] = literal_lengths - 1
    encoded[replicate_at] = 257 - replicate_lengths
    encoded[replicate_at + 1] = data[replicate_starts]
    literal_payload = np.ones(total, bool)
    literal_payload[literal_at] = False
    literal_payload[replicate_at] = False
    literal_payload[replicate_at + 1] = False
    encoded[literal_payload] = data[literal]

    # Every row starts a packet, so a row's output offset is found the same way.
    row_starts = np.arange(row_count, dtype=np.intp) * columns
    replicate_before_row = np.searchsorted(replicate_starts, row_starts)
    row_offsets = (
        row_starts
        + replicate_before_row
        + np.searchsorted(literal_starts, row_starts)
        - saved[replicate_before_row]
    )
    return encoded, row_offsets


def _split(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut stretches into packets of at most 128 bytes, the last one shorter."""
    pieces = (lengths + MAX_PACKET_LENGTH - 1) // MAX_PACKET_LENGTH
    if len(pieces) == 0 or pieces.max() == 1:
        return starts, lengths
    first_piece = np.cumsum(pieces) - pieces
    piece = np.arange(int(pieces.sum())) - np.repeat(first_piece, pieces)
    offset = piece * MAX_PACKET_LENGTH
    piece_lengths = np.minimum(np.repeat(lengths, pieces) - offset, MAX_PACKET_LENGTH)
    return np.repeat(starts, pieces) + offset, piece_lengths
