"""Entropy-coded segments: packing Huffman codes into bytes, all at once.

Every coded sample is a symbol (its difference pattern, see
:mod:`._jpeg_encoder`) with a (value, length) pair in lookup tables: its
Huffman code word followed by its extra bits, at most 16 + 15 bits.  The
pairs are laid end to end, most significant bit first (T.81 F.1.2.3), in
64-bit words:

1. neighbouring pairs are joined two by two (at most 62 bits each), which
   halves the work of the following steps;
2. the cumulative sum of the lengths gives where each pair ends; the bits
   of a pair that fall in the word holding its last bit are shifted to the
   top of that word, and the bits before that word, if any, to the bottom of
   the previous word;
3. bits of different pairs never overlap, so all the parts landing in one
   word are OR-ed together.  The parts for the previous word come only from
   the pair that covers that word's last bit, one per word.

This runs over chunks of a few thousand samples, carrying the bit position
from one chunk to the next: the arrays then stay in the processor's cache
and are recycled by the allocator, which makes packing several times faster
than on whole-frame arrays.

Each entropy-coded segment (restart interval) is padded with 1-bits to a
whole byte (T.81 F.1.2.3), every 0xFF byte is followed by a stuffed 0x00
(T.81 B.1.1.5), and segments are separated by the restart markers
RST0..RST7 in turn (T.81 B.2.1, E.1.4).
"""

from __future__ import annotations

import sys
from typing import Final

import numpy as np

__all__ = ["code_entry", "entropy_coded_data"]

_RST0: Final = 0xD0
_CHUNK: Final = 16384  # samples per chunk
_LENGTH_SHIFT = np.uint64(32)
_VALUE_MASK = np.uint64(0xFFFF_FFFF)
_SIX = np.uint64(6)
_WORD_MASK = np.uint64(63)
_WORD_BITS = np.uint64(64)


def entropy_coded_data(
    symbols: np.ndarray, codes: np.ndarray, samples_per_interval: int = 0
) -> bytes:
    """The scan's entropy-coded data: the segments, stuffed, with RSTm between.

    ``symbols``: one integer per sample in scan order, indexing ``codes``
    (uint64): the code word followed by the extra bits in the low 32 bits,
    their length (1 to 31) above them; see :func:`code_entry`.  With
    ``samples_per_interval`` > 0 a restart interval ends after every that
    many samples (the last interval may be shorter).
    """
    if symbols.size == 0:
        return b""
    interval = samples_per_interval if samples_per_interval > 0 else symbols.size
    writer = _BitWriter()
    interval_ends: list[int] = []
    for interval_start in range(0, symbols.size, interval):
        interval_end = min(interval_start + interval, symbols.size)
        for start in range(interval_start, interval_end, _CHUNK):
            entries = codes[symbols[start : min(start + _CHUNK, interval_end)]]
            writer.write(entries & _VALUE_MASK, entries >> _LENGTH_SHIFT)
        interval_ends.append(writer.pad_to_byte())
    return _stuff(writer.bytes(), np.array(interval_ends[:-1], dtype=np.intp))


def code_entry(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Table entries for :func:`entropy_coded_data`: values and lengths in one.

    One table lookup per sample instead of two.
    """
    entries: np.ndarray = np.left_shift(lengths.astype(np.uint64), _LENGTH_SHIFT)
    entries |= values.astype(np.uint64)
    return entries


class _BitWriter:
    """Bits appended most significant first, kept as 64-bit words."""

    def __init__(self) -> None:
        self.words: list[np.ndarray] = []
        self.position = 0  # bits written so far

    def write(self, values: np.ndarray, lengths: np.ndarray) -> None:
        """Append each value's low ``lengths`` bits (at most 32), in order."""
        if values.size % 2:
            values = np.append(values, np.uint64(0))
            lengths = np.append(lengths, np.uint64(0))
        # Join pairs two by two: the second one's bits follow the first's.
        second_lengths = lengths[1::2]
        joined = values[0::2] << second_lengths
        joined |= values[1::2]
        joined_lengths = lengths[0::2] + second_lengths
        # Bit positions from the start of the word the chunk starts in.
        offset = self.position & 63
        ends = np.cumsum(joined_lengths)
        ends += np.uint64(offset)
        end_word = (ends >> _SIX).astype(np.intp)
        used = ends & _WORD_MASK  # bits of the pair in its last word
        # numpy defines a shift by 64 or more as 0: a pair ending exactly at
        # a word boundary puts nothing in the next word.
        tail = joined << (_WORD_BITS - used)
        words = np.zeros(int(end_word[-1]) + 1, dtype=np.uint64)
        group_starts = np.flatnonzero(end_word[1:] != end_word[:-1])
        group_starts += 1
        group_starts = np.concatenate(([0], group_starts))
        words[end_word[group_starts]] = np.bitwise_or.reduceat(tail, group_starts)
        crossing = np.flatnonzero(joined_lengths > used)
        # The pair covering the last bit of a word, one per word: no index
        # repeats in this assignment.
        words[end_word[crossing] - 1] |= joined[crossing] >> used[crossing]
        end = int(ends[-1])
        # A chunk ending on a word boundary leaves an empty last word.
        words = words[: (end + 63) >> 6]
        if offset:
            # the first word is the last one written so far: merge them
            self.words[-1][-1] |= words[0]
            words = words[1:]
        if words.size:
            self.words.append(words)
        self.position += end - offset

    def pad_to_byte(self) -> int:
        """Fill the current byte with 1-bits; return the bytes written."""
        pad = -self.position & 7
        if pad:
            offset = self.position & 63
            self.words[-1][-1] |= np.uint64(((1 << pad) - 1) << (64 - offset - pad))
            self.position += pad
        return self.position >> 3

    def bytes(self) -> np.ndarray:
        """The bytes written (the bit count must be a multiple of 8)."""
        words = np.concatenate(self.words) if self.words else np.zeros(0, np.uint64)
        if sys.byteorder == "little":
            words.byteswap(inplace=True)  # most significant byte first
        return words.view(np.uint8)[: self.position >> 3]


def _stuff(data: np.ndarray, interval_ends: np.ndarray) -> bytes:
    """Stuff 0x00 after every 0xFF and put RSTm at each interval end."""
    stuffed_at = np.flatnonzero(data == 0xFF) + 1
    markers = interval_ends.size
    if markers == 0:
        if stuffed_at.size == 0:
            return data.tobytes()
        return np.insert(data, stuffed_at, 0).tobytes()
    rst = (_RST0 + np.arange(markers) % 8).astype(np.uint8)
    # np.insert keeps the given order among equal positions: a stuffed 0x00
    # after an interval's last byte comes before the marker, FF before RSTm.
    positions = np.concatenate([stuffed_at, interval_ends, interval_ends])
    inserted = np.concatenate(
        [
            np.zeros(stuffed_at.size, np.uint8),
            np.full(markers, 0xFF, np.uint8),
            rst,
        ]
    )
    return np.insert(data, positions, inserted).tobytes()
