"""One lossless JPEG frame (T.81 Process 14, Huffman coding), from an array.

The steps, each on blocks of about 16384 samples with numpy:

1. prediction and differences modulo 2**16 (:mod:`._jpeg_predict`);
2. per component, the count of differences in each SSSS category, and from
   those the optimal Huffman tables (Annex K.2);
3. a lookup from difference pattern to (code word + extra bits, length),
   applied to every sample;
4. packing, padding, byte stuffing and restart markers
   (:mod:`._jpeg_bitstream`).
"""

from __future__ import annotations

import threading
from functools import cache

import numpy as np

from ._jpeg_bitstream import code_entry, entropy_coded_data
from ._jpeg_huffman import (
    CATEGORIES,
    HuffmanTable,
    category_lookup,
    optimal_table,
)
from ._jpeg_markers import (
    EOI,
    SOI,
    define_huffman_tables,
    define_restart_interval,
    start_of_frame,
    start_of_scan,
)
from ._jpeg_predict import differences

__all__ = ["encode_samples"]

_PATTERNS = 1 << 16
_CHUNK = 16384  # samples per block of lines (about)


def encode_samples(
    samples: np.ndarray, precision: int, predictor: int, lines_per_interval: int = 0
) -> bytes:
    """A complete lossless JPEG stream (SOI to EOI) for ``samples``.

    ``samples``: integers, shape (lines, samples per line, components); each
    is coded as its low ``precision`` (2..16) bits, an unsigned number (two's
    complement for signed data).  One interleaved scan, point transform 0.
    With ``lines_per_interval`` > 0 a restart interval is that many lines.
    """
    lines, columns, components = samples.shape
    symbols, category_counts = _symbols(
        samples, precision, predictor, lines_per_interval
    )
    tables, table_of = _tables(category_counts)
    codes = _code_lookup(tables, table_of)
    mcus_per_interval = lines_per_interval * columns
    header = [
        SOI,
        start_of_frame(precision, lines, columns, components),
        define_huffman_tables(tables),
    ]
    if mcus_per_interval:
        header.append(define_restart_interval(mcus_per_interval))
    header.append(start_of_scan(components, predictor, 0, table_of))
    data = entropy_coded_data(symbols, codes, mcus_per_interval * components)
    return b"".join([*header, data, EOI])


def _symbols(
    samples: np.ndarray, precision: int, predictor: int, lines_per_interval: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every sample's symbol in scan order, and the category counts per component.

    A symbol is the difference pattern + 65536 * component, indexing one
    lookup table per component.  Done in blocks of lines, so that the
    temporary arrays stay small (see :mod:`._jpeg_bitstream`).
    """
    lines, columns, components = samples.shape
    per_line = columns * components
    symbols = np.empty(lines * per_line, np.uint16 if components == 1 else np.int32)
    component_offset = np.arange(components, dtype=np.int32) * _PATTERNS
    categories = _component_categories(components)
    counts = np.zeros(components * CATEGORIES, dtype=np.int64)
    mask = (1 << precision) - 1
    block_lines = max(1, _CHUNK // per_line)
    for first in range(0, lines, block_lines):
        last = min(first + block_lines, lines)
        # the line above the block too, to predict from
        block = samples[max(first - 1, 0) : last].astype(np.int32)
        block &= mask
        patterns = differences(block, predictor, precision, lines_per_interval, first)
        out = symbols[first * per_line : last * per_line]
        if components == 1:
            out[:] = patterns.reshape(-1)
        else:
            np.add(patterns, component_offset, out=out.reshape(patterns.shape))
        counts += np.bincount(categories[out], minlength=components * CATEGORIES)
    return symbols, counts.reshape(components, CATEGORIES)


@cache
def _component_categories(components: int) -> np.ndarray:
    """Symbol -> category + 17 * component (fits a byte for 3 components)."""
    category = category_lookup()[0]
    lookup = np.concatenate(
        [category + CATEGORIES * component for component in range(components)]
    ).astype(np.uint8)
    lookup.flags.writeable = False
    return lookup


class _CodeLookup(threading.local):
    """Per thread, the array :func:`_code_lookup` fills, kept between frames.

    Filling a fresh 0.5 MB array for every frame would cost more than the
    filling itself (the memory is returned to the system and mapped again).
    """

    def __init__(self) -> None:
        self.codes = np.empty(0, dtype=np.uint64)

    def array(self, size: int) -> np.ndarray:
        if self.codes.size != size:
            self.codes = np.empty(size, dtype=np.uint64)
        return self.codes


_code_lookup_arrays = _CodeLookup()


@cache
def _extra_bits_entries() -> tuple[np.ndarray, np.ndarray]:
    """Every pattern's extra bits as a code entry, and their count as uint64."""
    _, extra, extra_length = category_lookup()
    entries = code_entry(extra, extra_length)
    wide_length = extra_length.astype(np.uint64)
    for array in (entries, wide_length):
        array.flags.writeable = False
    return entries, wide_length


def _code_lookup(tables: list[HuffmanTable], table_of: list[int]) -> np.ndarray:
    """Symbol -> its code word followed by its extra bits, as a code entry.

    See :func:`._jpeg_bitstream.code_entry`.  The array belongs to this
    thread and is overwritten by its next frame.
    """
    category = category_lookup()[0]
    extra_entries, extra_length = _extra_bits_entries()
    codes = _code_lookup_arrays.array(len(table_of) * _PATTERNS)
    for component, table_index in enumerate(table_of):
        table = tables[table_index]
        part = codes[component * _PATTERNS : (component + 1) * _PATTERNS]
        # The code word, shifted left to make room for the extra bits...
        np.take(np.array(table.code, dtype=np.uint64), category, out=part)
        part <<= extra_length
        # ...with its length; the fields of code entries add up.
        lengths = code_entry(np.zeros(CATEGORIES), np.array(table.size))
        part += lengths[category]
        part += extra_entries
    return codes


def _tables(category_counts: np.ndarray) -> tuple[list[HuffmanTable], list[int]]:
    """The Huffman tables and, per component, which one it uses.

    One table per component fits each component's statistics, one shared
    table costs fewer DHT bytes; take whichever makes the smaller stream
    (the extra bits are the same either way).
    """
    components = category_counts.shape[0]
    own = [optimal_table(counts) for counts in category_counts]
    if components == 1:
        return own, [0]
    shared = optimal_table(category_counts.sum(axis=0))
    own_bits = sum(
        _code_bits(table, counts)
        for table, counts in zip(own, category_counts, strict=True)
    ) + sum(_table_bits(table) for table in own)
    shared_bits = sum(
        _code_bits(shared, counts) for counts in category_counts
    ) + _table_bits(shared)
    if shared_bits <= own_bits:
        return [shared], [0] * components
    return own, list(range(components))


def _code_bits(table: HuffmanTable, counts: np.ndarray) -> int:
    return int(np.dot(np.array(table.size, dtype=np.int64), counts))


def _table_bits(table: HuffmanTable) -> int:
    # Tc/Th, the 16 counts and the values, in a DHT segment
    return 8 * (1 + 16 + len(table.huffval))
