"""G.711 expansion: mu-law and A-law codes to linear sample values.

Waveform Sample Interpretation MB and AB (PS3.3 C.10.9.1.5) store each sample
as an 8-bit G.711 code.  A code is a sign, a 3-bit segment (exponent) and a
4-bit step (mantissa); expanding it gives the uniform value the ITU-T G.711
decoding tables list: mu-law codes expand to 14-bit values (-8031 to 8031),
A-law codes to 13-bit values (-4032 to 4032).  The tables are built once from
those rules, and expansion is one numpy lookup.
"""

from __future__ import annotations

import numpy as np

__all__ = ["expand_a_law", "expand_mu_law"]


def _mu_law_table() -> np.ndarray:
    # codes are sent inverted: the complement gives sign, segment and step
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    segment = (codes >> 4) & 0x07
    step = codes & 0x0F
    magnitude = ((2 * step + 33) << segment) - 33
    return np.where(codes & 0x80, -magnitude, magnitude).astype(np.int16)


def _a_law_table() -> np.ndarray:
    # even bits are inverted on the line (XOR 0x55); a set sign bit is positive
    codes = np.arange(256, dtype=np.int32) ^ 0x55
    segment = (codes >> 4) & 0x07
    step = codes & 0x0F
    magnitude = np.where(
        segment == 0, 2 * step + 1, (2 * step + 33) << np.maximum(segment - 1, 0)
    )
    return np.where(codes & 0x80, magnitude, -magnitude).astype(np.int16)


_MU_LAW = _mu_law_table()
_A_LAW = _a_law_table()
_MU_LAW.flags.writeable = False
_A_LAW.flags.writeable = False


def expand_mu_law(codes: np.ndarray) -> np.ndarray:
    """The 14-bit linear values (int16) of G.711 mu-law ``codes`` (uint8).

    >>> expand_mu_law(np.array([0x00, 0x7F, 0x80, 0xFF], dtype=np.uint8)).tolist()
    [-8031, 0, 8031, 0]
    """
    return _MU_LAW[np.asarray(codes, dtype=np.uint8)]


def expand_a_law(codes: np.ndarray) -> np.ndarray:
    """The 13-bit linear values (int16) of G.711 A-law ``codes`` (uint8).

    >>> expand_a_law(np.array([0x55, 0xD5, 0x2A, 0xAA], dtype=np.uint8)).tolist()
    [-1, 1, -4032, 4032]
    """
    return _A_LAW[np.asarray(codes, dtype=np.uint8)]
