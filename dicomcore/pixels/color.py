"""RGB and the YBR photometric interpretations of PS3.3 C.7.6.3.1.2.

Arrays have samples last, (rows, columns, 3) or (frames, rows, columns, 3);
subsampled interpretations (YBR_FULL_422, YBR_PARTIAL_422, YBR_PARTIAL_420)
mean data already upsampled to one sample triple per pixel, which converts as
its unsubsampled form.  The equations:

- YBR_FULL: Y = .2990R + .5870G + .1140B, CB = -.1687R - .3313G + .5000B +
  2^(n-1), CR = .5000R - .4187G - .0813B + 2^(n-1) (written with the luma
  weights they come from, as pydicom does, so that 8-bit results match it).
- YBR_PARTIAL_422 / 420 (8 bits): Y = .2568R + .5041G + .0979B + 16,
  CB = -.1482R - .2910G + .4392B + 128, CR = .4392R - .3678G - .0714B + 128.
- YBR_ICT: Y = .29900R + .58700G + .11400B, CB = -.16875R - .33126G +
  .50000B, CR = .50000R - .41869G - .08131B.
- YBR_RCT: Y = floor((R + 2G + B) / 4), CB = B - G, CR = R - G; back:
  G = Y - floor((CR + CB) / 4), R = CR + G, B = CB + G (exact).

The way back from the first three is the inverse of the matrix above.  Values
are rounded half up and clipped to the n-bit range.  For YBR_ICT and YBR_RCT
the standard puts "no colour" at CB = CR = 0, so RGB converts to signed
values in a signed type twice the width (``int16`` for 8 bits); back to RGB,
signed input is taken as such and unsigned input as a JPEG 2000 decoder
leaves it without the inverse transform (level shifted by 2^(n-1)).

A volume converts in blocks of pixels, so beside the result the memory used is
a few megabytes; with ``per_frame=True`` and an unchanged dtype the result is
written into ``arr`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np

from dicomcore.pixels.steps import _RGB_TO_YBR, _YBR_TO_RGB, _convert

__all__ = ["COLOR_SPACES", "convert_color_space"]

_FULL: Final = frozenset({"YBR_FULL", "YBR_FULL_422"})
_PARTIAL: Final = frozenset({"YBR_PARTIAL_422", "YBR_PARTIAL_420"})
_FAMILY: Final = {
    "RGB": "RGB",
    **{name: "YBR_FULL" for name in _FULL},
    **{name: "YBR_PARTIAL" for name in _PARTIAL},
    "YBR_ICT": "YBR_ICT",
    "YBR_RCT": "YBR_RCT",
}
#: The photometric interpretations :func:`convert_color_space` converts between.
COLOR_SPACES: Final = frozenset(_FAMILY)

# Rows give Y, CB, CR from (R, G, B) columns, as the standard prints them.
_RGB_TO_YBR_PARTIAL: Final = np.array(
    [
        [0.2568, 0.5041, 0.0979],
        [-0.1482, -0.2910, 0.4392],
        [0.4392, -0.3678, -0.0714],
    ]
)
_PARTIAL_OFFSETS: Final = np.array([16.0, 128.0, 128.0])
_YBR_PARTIAL_TO_RGB: Final = np.linalg.inv(_RGB_TO_YBR_PARTIAL)
_RGB_TO_YBR_ICT: Final = np.array(
    [
        [0.29900, 0.58700, 0.11400],
        [-0.16875, -0.33126, 0.50000],
        [0.50000, -0.41869, -0.08131],
    ]
)
_YBR_ICT_TO_RGB: Final = np.linalg.inv(_RGB_TO_YBR_ICT)

# Pixels per block: the float64 working copy of a block is 1.5 MiB.
_BLOCK: Final = 1 << 16

Kernel = Callable[[np.ndarray], np.ndarray]


def _round_clip(values: np.ndarray, low: float, high: float) -> np.ndarray:
    values += 0.5
    np.floor(values, out=values)
    np.clip(values, low, high, out=values)
    return values


def _default_bits(dtype: np.dtype) -> int:
    # signed arrays are YBR_ICT / YBR_RCT values of data one byte narrower
    bits = 8 * dtype.itemsize
    return bits - 8 if dtype.kind == "i" and bits > 8 else bits


def _unsigned(bits: int) -> np.dtype:
    return np.dtype(np.uint8 if bits <= 8 else np.uint16 if bits <= 16 else np.uint32)


def _signed_wide(bits: int) -> np.dtype:
    return np.dtype(np.int16 if bits <= 8 else np.int32 if bits <= 16 else np.int64)


def _to_rgb(family: str, dtype: np.dtype, bits: int) -> tuple[Kernel, np.dtype]:
    maximum = float((1 << bits) - 1)
    out_dtype = dtype if dtype.kind == "u" else _unsigned(bits)
    if family == "YBR_FULL":
        return (
            lambda block: _convert(block, _YBR_TO_RGB, bits, to_ybr=False, out=None)
        ), dtype
    if family == "YBR_PARTIAL":
        _check_8_bits(family, bits)

        def partial(block: np.ndarray) -> np.ndarray:
            values = (
                block.astype(np.float64) - _PARTIAL_OFFSETS
            ) @ _YBR_PARTIAL_TO_RGB.T
            return _round_clip(values, 0.0, maximum)

        return partial, out_dtype
    # unsigned ICT/RCT samples carry JPEG 2000's level shift (see module notes)
    shift = 0 if dtype.kind == "i" else 1 << (bits - 1)
    if family == "YBR_ICT":

        def ict(block: np.ndarray) -> np.ndarray:
            values = block.astype(np.float64)
            values[..., 1:] -= shift
            return _round_clip(values @ _YBR_ICT_TO_RGB.T, 0.0, maximum)

        return ict, out_dtype

    def rct(block: np.ndarray) -> np.ndarray:
        values = block.astype(np.int64)
        y, cb, cr = values[..., 0], values[..., 1] - shift, values[..., 2] - shift
        green = y - np.floor_divide(cb + cr, 4)
        rgb = np.stack([cr + green, green, cb + green], axis=-1)
        return np.clip(rgb, 0, int(maximum))

    return rct, out_dtype


def _from_rgb(family: str, dtype: np.dtype, bits: int) -> tuple[Kernel, np.dtype]:
    maximum = float((1 << bits) - 1)
    if family == "YBR_FULL":
        return (
            lambda block: _convert(block, _RGB_TO_YBR, bits, to_ybr=True, out=None)
        ), dtype
    if family == "YBR_PARTIAL":
        _check_8_bits(family, bits)

        def partial(block: np.ndarray) -> np.ndarray:
            values = block.astype(np.float64) @ _RGB_TO_YBR_PARTIAL.T + _PARTIAL_OFFSETS
            return _round_clip(values, 0.0, maximum)

        return partial, dtype
    wide = _signed_wide(bits)
    if family == "YBR_ICT":

        def ict(block: np.ndarray) -> np.ndarray:
            values = block.astype(np.float64) @ _RGB_TO_YBR_ICT.T
            values += 0.5
            return np.floor(values, out=values)

        return ict, wide

    def rct(block: np.ndarray) -> np.ndarray:
        values = block.astype(np.int64)
        red, green, blue = values[..., 0], values[..., 1], values[..., 2]
        return np.stack(
            [np.floor_divide(red + 2 * green + blue, 4), blue - green, red - green],
            axis=-1,
        )

    return rct, wide


def _check_8_bits(family: str, bits: int) -> None:
    if bits != 8:
        raise NotImplementedError(
            f"{family} is defined for 8-bit samples only (PS3.3 C.7.6.3.1.2), "
            f"not {bits}"
        )


def _run(
    arr: np.ndarray, kernel: Kernel, out_dtype: np.dtype, in_place: bool
) -> np.ndarray:
    """``kernel`` over ``arr`` block by block, into ``arr`` or a new array."""
    if in_place and out_dtype == arr.dtype and arr.flags.writeable:
        out = arr
    else:
        out = np.empty(arr.shape, out_dtype)
    if arr.flags.c_contiguous:
        source, target = arr.reshape(-1, 3), out.reshape(-1, 3)
        for start in range(0, len(source), _BLOCK):
            block = slice(start, start + _BLOCK)
            target[block] = kernel(source[block])
        return out
    # strided input (a view): one row of pixels at a time
    for index in np.ndindex(*arr.shape[:-2]):
        out[index] = kernel(arr[index])
    return out


def convert_color_space(
    arr: np.ndarray,
    current: str,
    desired: str,
    per_frame: bool = False,
    *,
    bits_stored: int | None = None,
) -> np.ndarray:
    """Convert ``arr`` (samples last) from ``current`` to ``desired``.

    Both are RGB or one of YBR_FULL, YBR_FULL_422, YBR_PARTIAL_422,
    YBR_PARTIAL_420, YBR_ICT, YBR_RCT (see the module notes for the
    equations).  ``bits_stored``: bits per sample, by default those of the
    dtype (8 for ``uint8``; for signed YBR_ICT / YBR_RCT input, one byte
    fewer).  ``per_frame`` (pydicom's): write the result into ``arr`` when
    the dtype does not change; a volume is converted in blocks either way,
    never holding a second full-size working copy.  An array that needs no
    conversion is returned as it is.

    >>> convert_color_space(np.array([[255, 0, 0]], np.uint8), "RGB", "YBR_FULL")
    array([[ 76,  85, 255]], dtype=uint8)
    """
    current, desired = current.strip(), desired.strip()
    if current == desired:
        return arr
    for name in (current, desired):
        if name not in COLOR_SPACES:
            raise NotImplementedError(
                f"conversion from {current} to {desired} is not supported; "
                f"known: {', '.join(sorted(COLOR_SPACES))}"
            )
    source, target = _FAMILY[current], _FAMILY[desired]
    if source == target:
        return arr
    if arr.shape[-1:] != (3,):
        raise ValueError(
            f"colour conversion needs 3 samples per pixel, got {arr.shape}"
        )
    bits = bits_stored or _default_bits(arr.dtype)
    if source != "RGB":
        kernel, out_dtype = _to_rgb(source, arr.dtype, bits)
        arr = _run(arr, kernel, out_dtype, per_frame)
        if target == "RGB":
            return arr
        per_frame = True  # the intermediate RGB array is ours to overwrite
    kernel, out_dtype = _from_rgb(target, arr.dtype, bits)
    return _run(arr, kernel, out_dtype, per_frame)
