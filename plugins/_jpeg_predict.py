"""Lossless JPEG prediction (T.81 H.1.2.1), on many lines at once.

Each component is predicted from its own reconstructed neighbours: Ra to
the left, Rb above, Rc above-left.  In lossless coding the reconstructed
samples are the input samples, so every prediction depends only on the
input and a block of lines is predicted with array slices.  The first line
of the scan and of every restart interval is predicted from Ra
(predictor 1), the first sample of every other line from Rb (predictor 2),
and the first sample of the scan and of every restart interval is
predicted as 2**(P - Pt - 1).
"""

from __future__ import annotations

from typing import Final

import numpy as np

__all__ = ["PREDICTORS", "differences"]

#: Selection values of Table H.1 usable in a non-hierarchical scan.
PREDICTORS: Final = range(1, 8)


def differences(
    samples: np.ndarray,
    predictor: int,
    precision: int,
    lines_per_interval: int = 0,
    first_line: int = 0,
) -> np.ndarray:
    """Each sample minus its prediction, modulo 2**16, as uint16.

    ``samples``: int32, shape (lines, samples per line, components), values
    within ``precision`` bits (unsigned; the point transform is 0).  A frame
    may be done in blocks of lines: ``first_line`` is the number of the
    first line to difference, and when it is not 0, ``samples[0]`` is the
    line above it, given only to predict from, and the result covers
    ``samples[1:]``.  ``lines_per_interval`` > 0: a restart interval starts
    every that many lines (T.81 H.1.1 makes intervals whole lines).
    """
    above = 1 if first_line else 0
    lines = samples.shape[0] - above
    block = samples[above:]
    prediction = _prediction(samples, predictor)[above:]
    numbers = first_line + np.arange(lines)
    # Lines that begin the scan or a restart interval: Ra, and 2**(P-1) for
    # their first sample.
    interval = lines_per_interval if lines_per_interval > 0 else first_line + lines
    starts = numbers % interval == 0
    prediction[starts, 1:] = block[starts, :-1]
    prediction[starts, 0] = 1 << (precision - 1)
    # The first sample of every other line: Rb.
    others = np.flatnonzero(~starts)
    prediction[others, 0] = samples[others + above - 1, 0]
    # The difference is taken modulo 2**16 (T.81 H.1.2.1); int32 -> uint16
    # keeps exactly the low 16 bits.
    np.subtract(block, prediction, out=prediction)
    return prediction.astype(np.uint16)


def _prediction(samples: np.ndarray, predictor: int) -> np.ndarray:
    """Px of Table H.1 for every sample not in the first line or column.

    The first line and column are left for the caller to fill.  Arithmetic
    is int32: sums of two 16-bit samples need 17 bits, and the halving in
    predictors 5 to 7 is an arithmetic right shift of the full sum.
    """
    prediction = np.empty_like(samples)
    ra = samples[1:, :-1]
    rb = samples[:-1, 1:]
    rc = samples[:-1, :-1]
    inner = prediction[1:, 1:]
    if predictor == 1:
        inner[...] = ra
    elif predictor == 2:
        inner[...] = rb
    elif predictor == 3:
        inner[...] = rc
    elif predictor == 4:
        np.add(ra, rb, out=inner)
        inner -= rc
    elif predictor == 5:
        np.subtract(rb, rc, out=inner)
        inner >>= 1
        inner += ra
    elif predictor == 6:
        np.subtract(ra, rc, out=inner)
        inner >>= 1
        inner += rb
    elif predictor == 7:
        np.add(ra, rb, out=inner)
        inner >>= 1
    else:
        raise ValueError(f"predictor must be 1 to 7, got {predictor}")
    return prediction
