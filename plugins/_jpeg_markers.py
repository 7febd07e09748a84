"""Marker segments of a lossless JPEG stream (T.81 Annex B).

A stream is SOI, SOF3 (frame header), DHT (Huffman tables), DRI when
restart intervals are used, SOS (scan header), the entropy-coded data, EOI.
Every parameter is big-endian; a segment's length counts itself but not
its marker.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Final

from ._jpeg_huffman import HuffmanTable

__all__ = [
    "EOI",
    "SOI",
    "define_huffman_tables",
    "define_restart_interval",
    "start_of_frame",
    "start_of_scan",
]

SOI: Final = b"\xff\xd8"
EOI: Final = b"\xff\xd9"
_SOF3: Final = 0xFFC3  # lossless, Huffman coding
_DHT: Final = 0xFFC4
_SOS: Final = 0xFFDA
_DRI: Final = 0xFFDD


def _segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">HH", marker, len(body) + 2) + body


def start_of_frame(
    precision: int, lines: int, samples_per_line: int, components: int
) -> bytes:
    """SOF3 (B.2.2): component identifiers 1.., H = V = 1, Tq = 0."""
    body = struct.pack(">BHHB", precision, lines, samples_per_line, components)
    # Tq must be 0 in lossless processes; H = V = 1: no subsampling.
    body += b"".join(bytes((index + 1, 0x11, 0)) for index in range(components))
    return _segment(_SOF3, body)


def define_huffman_tables(tables: Sequence[HuffmanTable]) -> bytes:
    """One DHT (B.2.4.2) holding table Th = 0, 1, ... in order; class Tc = 0.

    Lossless coding uses the DC table class (T.81 H.1.2.2).
    """
    body = b"".join(
        bytes((index,)) + bytes(table.bits) + bytes(table.huffval)
        for index, table in enumerate(tables)
    )
    return _segment(_DHT, body)


def define_restart_interval(mcus: int) -> bytes:
    """DRI (B.2.4.4): Ri, the number of MCUs in a restart interval."""
    return _segment(_DRI, struct.pack(">H", mcus))


def start_of_scan(
    components: int, predictor: int, point_transform: int, tables: Sequence[int]
) -> bytes:
    """SOS (B.2.3) of one interleaved scan of every component.

    In lossless processes Ss holds the predictor, Se is 0, Ah is 0 and Al
    the point transform; Ta is unused (0).
    """
    body = bytes((components,))
    body += b"".join(
        bytes((index + 1, tables[index] << 4)) for index in range(components)
    )
    body += bytes((predictor, 0, point_transform))
    return _segment(_SOS, body)
