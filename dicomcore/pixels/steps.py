"""Frame-level steps of the pixel pipeline, and the byte forms of native frames.

Each step works on one frame (or a stack of frames) as numpy arrays and is
separate from the codec that produced the frame: the pipeline runs a step only
when the codec has not done it already (see
:class:`~dicomcore.pixels.DecodedFrame`).  The native and float plugins use
the same helpers for the parts of a native frame's byte form that the
standard fixes: bit packing (PS3.5 8.1.1), planar configuration and the
YBR_FULL_422 subsampling (PS3.3 C.7.6.3.1.2 and C.7.6.3.1.3).

``pack_bits``, ``unpack_bits`` and ``convert_color_space`` take the arguments
of their pydicom namesakes.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Final

import numpy as np

from dicomcore.pixels.layout import PixelLayout

__all__ = [
    "apply_bits_stored",
    "convert_color_space",
    "downsample_ybr_422",
    "interleave_planes",
    "native_bytes",
    "native_samples",
    "pack_bits",
    "planes_from_interleaved",
    "realign_bits",
    "swap_unit",
    "unpack_bits",
    "unused_bits_clean",
    "upsample_ybr_422",
    "ybr_full_to_rgb",
]

EXPLICIT_VR_BIG_ENDIAN: Final = "1.2.840.10008.1.2.2"

# The unit within which a big endian value's bytes are reversed, by VR
# (PS3.5 7.3): OB is a byte stream, OW a stream of 16-bit words, OF and OD
# streams of 32- and 64-bit floats.  DCMTK and GDCM both write 32-bit Pixel
# Data as OW swapped in 16-bit words, and read it back that way.
_SWAP_UNITS: Final = {"OB": 1, "UN": 1, "OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}

# The inverse of PS3.3 C.7.6.3.1.2's YBR_FULL equations
#   Y  = + .2990R + .5870G + .1140B
#   CB = - .1687R - .3313G + .5000B + 128
#   CR = + .5000R - .4187G - .0813B + 128
# written with the luma weights they come from (Kr = .299, Kb = .114), as a
# matrix applied on the right to (Y, CB - offset, CR - offset) rows; these are
# the values pydicom uses, so 8-bit results match it exactly.
_YBR_TO_RGB: Final = np.array(
    [
        [1.0, 1.0, 1.0],
        [0.0, -0.114 * 1.772 / 0.587, 1.772],
        [1.402, -0.299 * 1.402 / 0.587, 0.0],
    ],
    dtype=np.float32,
)
_RGB_TO_YBR: Final = np.array(
    [
        [0.299, -0.299 / 1.772, 0.5],
        [0.587, -0.587 / 1.772, -0.587 / 1.402],
        [0.114, 0.5, -0.114 / 1.402],
    ],
    dtype=np.float32,
)


# -- byte order ------------------------------------------------------------------

_LITTLE_ENDIAN_HOST: Final = sys.byteorder == "little"


def swap_unit(layout: PixelLayout, transfer_syntax: str | None = None) -> int:
    """Bytes per swapped unit of the pixel value in its transfer syntax.

    1 for little endian data and for big endian OB; otherwise the size of
    the VR's words.  Without a known VR the usual one is assumed: OB up to 8
    bits, OW above (as DCMTK writes them), OF/OD for float pixels.
    ``transfer_syntax`` overrides the layout's (an encoder's target).
    """
    if (transfer_syntax or layout.transfer_syntax) != EXPLICIT_VR_BIG_ENDIAN:
        return 1
    unit = _SWAP_UNITS.get(layout.pixel_vr) if transfer_syntax is None else None
    if unit is not None:
        return unit
    if layout.is_float:
        return layout.bits_allocated // 8
    return 1 if layout.bits_allocated <= 8 else 2


def native_samples(src: Any, layout: PixelLayout) -> np.ndarray:
    """The samples of native bytes ``src`` as a 1-D array of ``layout.dtype``.

    A zero-copy view for little endian data; big endian data is swapped into
    a new array.  ``src`` must be a whole number of swapped units.
    """
    dtype = layout.dtype
    unit = swap_unit(layout)
    if unit == 1 and _LITTLE_ENDIAN_HOST:
        return np.frombuffer(src, dtype)  # the data's byte order is the host's
    if unit == 1:
        samples = np.frombuffer(src, dtype.newbyteorder("<"))
    elif unit == dtype.itemsize:
        samples = np.frombuffer(src, dtype.newbyteorder(">"))
    else:
        words = np.frombuffer(src, f">u{unit}").astype(f"<u{unit}")
        samples = words.view(dtype.newbyteorder("<"))
    if samples.dtype.isnative:
        # Same bytes; the plain dtype prints as users expect ('int16', not '<i2').
        return samples.view(dtype)
    return samples.astype(dtype)


def native_bytes(
    samples: np.ndarray, layout: PixelLayout, transfer_syntax: str | None = None
) -> bytes:
    """The bytes of ``samples`` (in the order they are stored) as a native value.

    Little endian, or big endian in the VR's units for Explicit VR Big
    Endian (``transfer_syntax`` overrides the layout's).  No padding.
    """
    dtype = samples.dtype
    unit = swap_unit(layout, transfer_syntax)
    if unit == 1:
        return np.ascontiguousarray(samples, dtype.newbyteorder("<")).tobytes()
    if unit == dtype.itemsize:
        return np.ascontiguousarray(samples, dtype.newbyteorder(">")).tobytes()
    little = np.ascontiguousarray(samples, dtype.newbyteorder("<")).reshape(-1)
    return little.view(f"<u{unit}").astype(f">u{unit}").tobytes()


# -- bits ----------------------------------------------------------------------


def unpack_bits(src: Any, as_array: bool = True) -> np.ndarray | bytes:
    """One 0/1 value per ``uint8`` for each bit of ``src``, least significant first.

    PS3.5 8.1.1: with Bits Allocated 1 the first pixel is the least
    significant bit of the first byte.  ``src`` is any buffer.  With
    ``as_array=False`` the unpacked values come back as ``bytes``.
    """
    bits = np.unpackbits(np.frombuffer(src, np.uint8), bitorder="little")
    return bits if as_array else bits.tobytes()


def pack_bits(arr: np.ndarray, pad: bool = True) -> bytes:
    """Pack 0/1 values (any integer or bool array) into bytes, LSB first.

    The values are taken in C order; the last byte is filled with zero bits.
    With ``pad`` the result is padded with a zero byte to even length, as a
    Pixel Data value must be.
    """
    values = np.asarray(arr)
    if values.size and values.dtype != np.bool_:
        if values.min() < 0 or values.max() > 1:
            raise ValueError("only 0 and 1 can be packed into 1-bit pixels")
    packed = np.packbits(values.astype(np.bool_, copy=False), bitorder="little")
    data = packed.tobytes()
    if pad and len(data) % 2:
        data += b"\x00"
    return data


def realign_bits(src: Any, first_bit: int, count: int) -> np.ndarray:
    """The ``count`` bits of ``src`` from bit ``first_bit``, packed from bit 0.

    Frames of 1-bit native data follow one another without padding, so frame
    ``k`` may begin inside a byte; a codec expects a frame's first pixel in
    bit 0 of its first byte.  Reads only the bytes that hold the frame.
    """
    start, shift = divmod(first_bit, 8)
    span = math.ceil((shift + count) / 8)
    chunk = np.frombuffer(src, np.uint8, count=span, offset=start)
    if shift == 0:
        return chunk[: math.ceil(count / 8)]
    bits = np.unpackbits(chunk, bitorder="little")[shift : shift + count]
    return np.packbits(bits, bitorder="little")


# -- Bits Stored ---------------------------------------------------------------


def unused_bits_clean(arr: np.ndarray, bits_stored: int) -> bool:
    """True when the bits of ``arr`` above Bits Stored already hold what
    :func:`apply_bits_stored` would leave there: zeros for unsigned values,
    copies of the sign bit for signed ones.

    A reduction or two over the array (its maximum, and its minimum when
    signed), which only read it: cheaper than the masking pass, which
    writes every value, and the usual answer is yes.
    """
    shift = arr.dtype.itemsize * 8 - bits_stored
    if shift <= 0 or arr.size == 0:
        return True
    if arr.dtype.kind == "u":
        return bool(arr.max() <= (1 << bits_stored) - 1)
    lowest, highest = -(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1
    return bool(arr.max() <= highest and arr.min() >= lowest)


def apply_bits_stored(arr: np.ndarray, bits_stored: int) -> np.ndarray:
    """Clear (unsigned) or sign-extend (signed) the bits above Bits Stored, in place.

    PS3.5 8.1.1 leaves the bits above the stored ones undefined, so they are
    ignored whatever they hold; Bits Stored bits are taken from bit 0, where
    every current writer puts them.  ``arr`` must be writeable when those
    bits are not clean already (see :func:`unused_bits_clean`); clean data
    is not written at all.  ``arr`` itself is returned, never a copy.
    """
    if unused_bits_clean(arr, bits_stored):
        return arr
    shift = arr.dtype.itemsize * 8 - bits_stored
    if arr.dtype.kind == "u":
        np.bitwise_and(arr, arr.dtype.type((1 << bits_stored) - 1), out=arr)
    else:
        # an arithmetic right shift copies the sign bit down
        np.left_shift(arr, shift, out=arr)
        np.right_shift(arr, shift, out=arr)
    return arr


# -- planar configuration ----------------------------------------------------


def interleave_planes(flat: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """A view of one planar frame (Planar Configuration 1) as (rows, columns, samples).

    ``flat`` holds the frame's samples plane after plane: all first samples
    (R), then all second (G), then all third (B).  No copy: the result is a
    transposed view, which the pipeline copies once into its output.
    """
    planes = flat.reshape(layout.samples_per_pixel, layout.rows, layout.columns)
    return planes.transpose(1, 2, 0)


def planes_from_interleaved(frames: np.ndarray) -> np.ndarray:
    """Frames of shape (..., rows, columns, samples) in planar order, C contiguous."""
    return np.ascontiguousarray(np.moveaxis(frames, -1, -3))


# -- YBR_FULL_422 --------------------------------------------------------------


def upsample_ybr_422(flat: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """One native YBR_FULL_422 frame as full YBR (rows, columns, 3).

    Native YBR_FULL_422 stores each pair of pixels as Y1 Y2 CB CR
    (PS3.3 C.7.6.3.1.2); both pixels get the pair's CB and CR.
    """
    pairs = flat.reshape(-1, 4)
    out = np.empty((pairs.shape[0], 2, 3), dtype=flat.dtype)
    out[:, 0, 0] = pairs[:, 0]
    out[:, 1, 0] = pairs[:, 1]
    out[:, :, 1] = pairs[:, 2:3]
    out[:, :, 2] = pairs[:, 3:4]
    return out.reshape(layout.rows, layout.columns, 3)


def downsample_ybr_422(frames: np.ndarray) -> np.ndarray:
    """Full YBR frames (..., rows, columns, 3) in the native YBR_FULL_422 order.

    Each pair of pixels keeps both Y values and the first pixel's CB and CR,
    as pydicom's ``set_pixel_data`` does.
    """
    pixels = np.ascontiguousarray(frames).reshape(-1, 2, 3)
    out = np.empty((pixels.shape[0], 4), dtype=frames.dtype)
    out[:, 0] = pixels[:, 0, 0]
    out[:, 1] = pixels[:, 1, 0]
    out[:, 2] = pixels[:, 0, 1]
    out[:, 3] = pixels[:, 0, 2]
    return out.reshape(-1)


# -- colour ----------------------------------------------------------------------


def ybr_full_to_rgb(
    arr: np.ndarray, bits_stored: int = 8, out: np.ndarray | None = None
) -> np.ndarray:
    """YBR_FULL samples (..., 3) to RGB with the standard's equations.

    The chroma offset is the middle of the Bits Stored range (128 for 8
    bits); results are rounded half up and clipped to the range.  ``out``
    (same shape and dtype as ``arr``, may be ``arr`` itself) receives the
    result; otherwise a new array is returned.
    """
    return _convert(arr, _YBR_TO_RGB, bits_stored, to_ybr=False, out=out)


def _convert(
    arr: np.ndarray,
    matrix: np.ndarray,
    bits_stored: int,
    *,
    to_ybr: bool,
    out: np.ndarray | None,
) -> np.ndarray:
    if arr.shape[-1] != 3:
        raise ValueError(
            f"colour conversion needs 3 samples per pixel, got {arr.shape}"
        )
    offset = float(1 << (bits_stored - 1))
    maximum = float((1 << bits_stored) - 1)
    values = arr.astype(np.float32)
    if not to_ybr:
        values -= (0.0, offset, offset)
    np.matmul(values, matrix, out=values)
    if to_ybr:
        values += (0.0, offset, offset)
    values += 0.5
    np.floor(values, out=values)
    np.clip(values, 0.0, maximum, out=values)
    if out is None:
        return values.astype(arr.dtype)
    np.copyto(out, values, casting="unsafe")
    return out


def convert_color_space(
    arr: np.ndarray,
    current: str,
    desired: str,
    per_frame: bool = False,
    *,
    bits_stored: int | None = None,
) -> np.ndarray:
    """Convert ``arr`` between RGB and the YBR interpretations (pydicom's signature).

    RGB, YBR_FULL, YBR_FULL_422, YBR_PARTIAL_422, YBR_PARTIAL_420, YBR_ICT and
    YBR_RCT, samples last; ``per_frame`` writes into ``arr`` where the dtype
    allows, and a volume converts in blocks.  See
    :func:`dicomcore.pixels.color.convert_color_space` for the equations.
    """
    # color.py builds on this module's YBR_FULL step, so it is imported here
    from dicomcore.pixels.color import convert_color_space as convert

    return convert(arr, current, desired, per_frame, bits_stored=bits_stored)
