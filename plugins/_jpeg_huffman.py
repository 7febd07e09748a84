"""Huffman tables for lossless JPEG: optimal code lengths and code words.

The difference between a sample and its prediction is coded as its SSSS
category (T.81 Table H.2: the number of bits of its magnitude, 0 to 16),
Huffman coded, followed by SSSS extra bits (none for category 16).  The
table for a frame is built from that frame's category counts by the
procedure of T.81 Annex K.2 (code lengths limited to 16 bits, the all-ones
code word left unused), and its code words are generated as T.81 Annex C
prescribes for a decoder, so that encoder and decoder agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

import numpy as np

__all__ = [
    "CATEGORIES",
    "HuffmanTable",
    "category_lookup",
    "optimal_table",
]

#: SSSS categories 0 to 16 (T.81 Table H.2).
CATEGORIES: Final = 17
_MAX_CODE_LENGTH: Final = 16
# Annex K.2 runs its code length count up to 32 before limiting it to 16.
_MAX_UNLIMITED_LENGTH: Final = 32


@dataclass(frozen=True)
class HuffmanTable:
    """One Huffman table: what DHT carries, and the encoder's view of it.

    ``bits[i]`` is the number of codes of length ``i + 1`` (BITS, L1..L16),
    ``huffval`` the categories in order of increasing code length (HUFFVAL).
    ``code[c]`` and ``size[c]`` are the code word and its length for
    category ``c`` (EHUFCO and EHUFSI); size 0 means the category is absent.
    """

    bits: tuple[int, ...]
    huffval: tuple[int, ...]
    code: tuple[int, ...]
    size: tuple[int, ...]


def optimal_table(frequencies: np.ndarray) -> HuffmanTable:
    """The Huffman table for category counts ``frequencies`` (17 numbers).

    T.81 K.2: the code lengths of a Huffman code built with one reserved
    symbol of frequency 1 (so that no real code word is all ones), limited
    to 16 bits by Figure K.3, then ordered by Figure K.4.
    """
    counts = [int(count) for count in frequencies]
    if len(counts) != CATEGORIES or min(counts) < 0 or not any(counts):
        raise ValueError(
            f"expected {CATEGORIES} non-negative counts, not all 0, got {counts}"
        )
    code_size = _code_sizes(counts)
    bits = _limited_bits(code_size)
    # Figure K.4: categories by increasing code length, then by value; the
    # reserved code point is not listed.
    huffval = tuple(
        category
        for length in range(1, _MAX_UNLIMITED_LENGTH + 1)
        for category in range(CATEGORIES)
        if code_size[category] == length
    )
    code, size = _code_words(bits, huffval)
    return HuffmanTable(bits=tuple(bits[1:]), huffval=huffval, code=code, size=size)


def _code_sizes(counts: list[int]) -> list[int]:
    """Figure K.1: the Huffman code length of every symbol (0 if absent).

    The last symbol is the reserved code point, of frequency 1.  Among equal
    frequencies the largest symbol is merged first, which puts the reserved
    code point among the longest code words, as K.2 requires.
    """
    freq = [*counts, 1]
    symbols = len(freq)
    code_size = [0] * symbols
    others = [-1] * symbols
    while True:
        live = [v for v in range(symbols) if freq[v] > 0]
        if len(live) < 2:
            return code_size
        v1 = min(live, key=lambda v: (freq[v], -v))
        v2 = min((v for v in live if v != v1), key=lambda v: (freq[v], -v))
        freq[v1] += freq[v2]
        freq[v2] = 0
        for start in (v1, v2):
            v = start
            code_size[v] += 1
            while others[v] >= 0:
                v = others[v]
                code_size[v] += 1
        # chain v2's tree onto the end of v1's
        v = v1
        while others[v] >= 0:
            v = others[v]
        others[v] = v2


def _limited_bits(code_size: list[int]) -> list[int]:
    """Figures K.2 and K.3: codes per length, limited to 16, reserved one removed.

    ``bits[i]`` counts the codes of length ``i`` (index 0 unused).
    """
    bits = [0] * (_MAX_UNLIMITED_LENGTH + 1)
    for length in code_size:
        if length:
            bits[length] += 1
    i = _MAX_UNLIMITED_LENGTH
    while i > _MAX_CODE_LENGTH:
        if bits[i] > 0:
            # Two leaves at length i share a prefix: that prefix becomes one
            # leaf at i - 1, and a leaf at the longest length j < i - 1
            # splits into two at j + 1 to make room for the other.
            j = i - 2
            while bits[j] == 0:
                j -= 1
            bits[i] -= 2
            bits[i - 1] += 1
            bits[j + 1] += 2
            bits[j] -= 1
        else:
            i -= 1
    while bits[i] == 0:
        i -= 1
    bits[i] -= 1  # the reserved code point, which is among the longest
    return bits[: _MAX_CODE_LENGTH + 1]


def _code_words(
    bits: list[int], huffval: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Figures C.1 to C.3: code word and length of every category."""
    code = [0] * CATEGORIES
    size = [0] * CATEGORIES
    next_code = 0
    k = 0
    for length in range(1, _MAX_CODE_LENGTH + 1):
        for _ in range(bits[length]):
            category = huffval[k]
            code[category] = next_code
            size[category] = length
            next_code += 1
            k += 1
        next_code <<= 1
    return tuple(code), tuple(size)


@cache
def category_lookup() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every difference modulo 2**16: its category, extra bits and their count.

    Indexed by the difference as a 16-bit pattern.  Patterns 32769..65535
    are the negative differences; 32768 stands for both +32768 and -32768,
    category 16, which has no extra bits (T.81 H.1.2.2).  A negative
    difference's extra bits are the low SSSS bits of difference - 1
    (T.81 F.1.2.1.1).
    """
    difference = np.arange(1 << 16, dtype=np.int32)
    difference[difference > 1 << 15] -= 1 << 16
    magnitude = np.abs(difference)
    # frexp gives the exponent e with 2**(e-1) <= m < 2**e: the bit length.
    category = np.frexp(magnitude.astype(np.float64))[1].astype(np.uint8)
    extra_length = np.where(category == 16, 0, category).astype(np.uint8)
    adjusted = difference - (difference < 0)
    extra = (adjusted & ((1 << extra_length.astype(np.int32)) - 1)).astype(np.uint32)
    for array in (category, extra, extra_length):
        array.flags.writeable = False
    return category, extra, extra_length
