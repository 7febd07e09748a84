"""JPEG XL (ISO 18181-1) through libjxl, as imagecodecs wraps it.

JPEG XL has no signed integers: signed pixels are coded losslessly as their
Bits Stored two's complement pattern and sign-extended on decoding (lossy
coding of them is refused).  Colour is coded as RGB; the lossy mode's XYB
transform is internal to the codestream, so the decoded frame is RGB again.
libjxl wraps 16-bit codestreams in the ISO 18181-2 container (for the level
box), which every JPEG XL decoder reads.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, PixelLayout

from ._imagecodecs_common import absent_codec, bit_pattern, imagecodecs
from ._pylibjpeg_common import apply_bits_stored, as_bytes, library_errors

__all__ = [
    "DEFAULT_DISTANCE",
    "decode",
    "encode",
    "photometric_after",
    "refuse",
    "refuse_decode",
]

#: ``distance`` (Butteraugli distance; 1.0 is visually lossless) when not given.
DEFAULT_DISTANCE: Final = 1.0
_MAX_DISTANCE: Final = 25.0
_CODESTREAM: Final = b"\xff\x0a"
_CONTAINER: Final = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
_PHOTOMETRIC: Final = frozenset({"MONOCHROME1", "MONOCHROME2", "RGB"})
_LOSSLESS_ONLY: Final = frozenset({"PALETTE COLOR"})


def refuse_decode(layout: PixelLayout) -> str | None:
    if layout.is_float or layout.bits_allocated not in (8, 16):
        return (
            "the JPEG XL decoder returns 8- and 16-bit integer samples; "
            f"Bits Allocated is {layout.bits_allocated}"
        )
    return absent_codec("JPEGXL", "libjxl")


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG XL frame (codestream or container) with libjxl."""
    data = as_bytes(src)
    if not (data.startswith(_CODESTREAM) or data.startswith(_CONTAINER)):
        raise CodecError(
            "not a JPEG XL codestream (FF0A) or container (JXL signature box): "
            f"starts with {bytes(data[:4]).hex()}"
        )
    with library_errors("libjxl"):
        decoded = imagecodecs().jpegxl_decode(data)
    if decoded.ndim == 3 and decoded.shape[-1] == 1:
        decoded = decoded[..., 0]
    if decoded.shape != layout.frame_shape:
        raise CodecError(
            f"libjxl returned shape {decoded.shape}, expected {layout.frame_shape}"
        )
    if decoded.dtype.kind not in "ui" or decoded.dtype.itemsize > layout.dtype.itemsize:
        raise CodecError(
            f"libjxl returned {decoded.dtype} samples for Bits Allocated "
            f"{layout.bits_allocated}"
        )
    array = apply_bits_stored(
        decoded, layout, layout.bits_stored, signed_codestream=False
    )
    # A recompressed JPEG's YCbCr comes back as RGB, as any colour stream does.
    photometric = layout.photometric_interpretation
    if layout.samples_per_pixel == 3:
        photometric = "RGB"
    return DecodedFrame(array, photometric, bits_stored_applied=True)


def photometric_after(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    """Unchanged: JPEG XL codes grey and RGB as they are."""
    return layout.photometric_interpretation


def _number(
    options: Mapping[str, Any], name: str, default: float, low: float, high: float
) -> float:
    value = options.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not low <= number <= high:
        raise ValueError(f"{name} must be {low:g} to {high:g}, got {value!r}")
    return number


def refuse(layout: PixelLayout, options: Mapping[str, Any], lossy: bool) -> str | None:
    """None if libjxl can encode ``layout`` (lossy or lossless), else why."""
    reason = refuse_decode(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated == 1:
        return "1-bit pixels are not supported"
    photometric = layout.photometric_interpretation
    if photometric not in _PHOTOMETRIC | _LOSSLESS_ONLY:
        return f"{photometric} is not coded as JPEG XL; give MONOCHROME or RGB frames"
    try:
        _number(options, "effort", 7, 1, 9)
        if lossy:
            _number(options, "distance", DEFAULT_DISTANCE, 0.01, _MAX_DISTANCE)
    except ValueError as exc:
        return str(exc)
    if not lossy:
        if options.get("distance") is not None:
            return "distance asks for lossy JPEG XL (1.2.840.10008.1.2.4.112)"
        return None
    if layout.is_signed:
        return (
            "lossy JPEG XL of signed pixels is refused: an error on the two's "
            "complement pattern can turn the largest value into the smallest"
        )
    if photometric in _LOSSLESS_ONLY:
        return f"{photometric} indices are coded losslessly only"
    return None


def encode(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any], lossy: bool
) -> bytes:
    """Encode one frame as JPEG XL, ``bitspersample`` Bits Stored."""
    reason = refuse(layout, options, lossy)
    if reason is not None:
        raise CodecError(reason)
    effort = int(_number(options, "effort", 7, 1, 9))
    pattern = bit_pattern(frame, layout, np.dtype(f"u{layout.dtype.itemsize}"))
    codecs = imagecodecs()
    with library_errors("libjxl"):
        if lossy:
            encoded = codecs.jpegxl_encode(
                pattern,
                effort=effort,
                distance=_number(
                    options, "distance", DEFAULT_DISTANCE, 0.01, _MAX_DISTANCE
                ),
                bitspersample=layout.bits_stored,
            )
        else:
            encoded = codecs.jpegxl_encode(
                pattern,
                lossless=True,
                effort=effort,
                bitspersample=layout.bits_stored,
            )
    return bytes(encoded)
