"""JPEG 2000 (ISO 15444-1) through OpenJPEG and HTJ2K (ISO 15444-15),
encoded by OpenJPH and decoded by OpenJPEG, as imagecodecs wraps them.

The codestream carries its own precision and sign, which need not agree
with the dataset (GDCM writes signed 12-bit pixels as a signed 16-bit
codestream; imagecodecs' HTJ2K encoder always writes 16-bit precision for
16-bit samples); ``apply_bits_stored`` reconciles the two.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, PixelLayout

from ._codestreams import checked_j2k_header
from ._imagecodecs_common import clip_lossy, imagecodecs
from ._pylibjpeg_common import (
    SUBSAMPLED,
    apply_bits_stored,
    as_bytes,
    decoded_photometric,
    library_errors,
    refuse_common,
)

__all__ = [
    "DEFAULT_PSNR",
    "DEFAULT_QSTEP",
    "decode_j2k",
    "encode_htj2k",
    "encode_j2k",
    "photometric_after",
    "refuse_decode_j2k",
    "refuse_htj2k",
    "refuse_j2k",
]

#: ``j2k_psnr`` of lossy JPEG 2000 when not given, in dB.
DEFAULT_PSNR: Final = 50.0
#: ``qstep`` of lossy HTJ2K when not given: OpenJPH's quantisation step,
#: relative to the full range of the codestream's precision.
DEFAULT_QSTEP: Final = 0.001
_TRANSFORMED: Final = frozenset({"YBR_RCT", "YBR_ICT"})
_COD: Final = b"\xff\x52"
# From the COD marker to its transformation byte: marker 2, Lcod 2, Scod 1,
# SGcod 4, then levels, code-block width, height and style, 1 each.
_COD_TRANSFORMATION: Final = 13
# The main header precedes the first tile; COD comes early in it.
_MAIN_HEADER_SCAN: Final = 512
# OpenJPEG takes at most 24 bits per sample through imagecodecs' 32-bit path;
# OpenJPH encodes 8- and 16-bit samples.
_MAX_J2K_BITS: Final = 24


def _refuse_decode(layout: PixelLayout) -> str | None:
    reason = refuse_common(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16, 32):
        return f"Bits Allocated {layout.bits_allocated} is not 8, 16 or 32"
    if layout.photometric_interpretation in SUBSAMPLED - {"YBR_FULL_422"}:
        return (
            f"{layout.photometric_interpretation} (limited range YCbCr) has no "
            "full-resolution photometric interpretation to decode to"
        )
    return None


def refuse_decode_j2k(layout: PixelLayout) -> str | None:
    return _refuse_decode(layout)


def _decode(
    src: bytes | memoryview, layout: PixelLayout, function: str, library: str
) -> DecodedFrame:
    data = as_bytes(src)
    header = checked_j2k_header(data, layout)
    precision = header.precisions[0]
    codestream = data[header.offset :] if header.offset else data
    with library_errors(library):
        # planar=False: interleaved samples, whatever the components' transform
        decoded = getattr(imagecodecs(), function)(codestream, planar=False)
    if decoded.shape != layout.frame_shape:
        raise CodecError(
            f"{library} returned shape {decoded.shape}, expected {layout.frame_shape}"
        )
    if _irreversible(data):
        decoded = clip_lossy(decoded, layout, header.signed[0])
    array = apply_bits_stored(decoded, layout, precision, header.signed[0])
    photometric = layout.photometric_interpretation
    if photometric in _TRANSFORMED:
        # both libraries invert the multiple component transform these name
        photometric = "RGB"
    else:
        photometric = decoded_photometric(layout)
    return DecodedFrame(array, photometric, bits_stored_applied=True)


def decode_j2k(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG 2000 or HTJ2K frame with OpenJPEG.

    HTJ2K too: OpenJPH, though faster, hangs through imagecodecs on some
    damaged codestreams and crashes the interpreter on others (found by
    mutating valid frames), and wraps irreversibly decoded samples past the
    precision's range (256 becomes 0 in 8 bits) where OpenJPEG clips.
    """
    return _decode(src, layout, "jpeg2k_decode", "OpenJPEG")


def _irreversible(src: bytes | bytearray | memoryview) -> bool:
    """Whether the main header's COD segment names the 9-7 wavelet.

    COD (T.800 A.6.1): marker FF52, Lcod, Scod, SGcod (progression order,
    layers, MCT), then SPcod (levels, code-block width and height, style,
    transformation: 0 is 9-7 irreversible, 1 is 5-3 reversible).
    """
    head = bytes(src[:_MAIN_HEADER_SCAN])
    position = head.find(_COD)
    offset = position + _COD_TRANSFORMATION
    return position >= 0 and offset < len(head) and head[offset] == 0


# -- encoding -------------------------------------------------------------------


def _uses_mct(layout: PixelLayout, options: Mapping[str, Any]) -> bool:
    return (
        layout.samples_per_pixel == 3
        and layout.photometric_interpretation == "RGB"
        and bool(options.get("use_mct", True))
    )


def photometric_after(
    layout: PixelLayout, options: Mapping[str, Any], lossy: bool
) -> str:
    """YBR_RCT (reversible) or YBR_ICT (irreversible) for RGB with the
    multiple component transform (PS3.5 8.2.4, 8.2.14), else unchanged."""
    if _uses_mct(layout, options):
        return "YBR_ICT" if lossy else "YBR_RCT"
    return layout.photometric_interpretation


def _refuse_encode(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    reason = _refuse_decode(layout)
    if reason is not None:
        return reason
    photometric = layout.photometric_interpretation
    if photometric in SUBSAMPLED:
        return f"{photometric} is subsampled; encode the full-resolution frame"
    if photometric in _TRANSFORMED:
        return f"{photometric} is an encoded colour space; give RGB frames"
    use_mct = options.get("use_mct", True)
    if not isinstance(use_mct, (bool, np.bool_)):
        return f"use_mct must be True or False, got {use_mct!r}"
    return None


def _refuse_palette(layout: PixelLayout) -> str | None:
    if layout.photometric_interpretation == "PALETTE COLOR":
        return "PALETTE COLOR indices are coded losslessly only"
    return None


def _psnr(options: Mapping[str, Any]) -> float:
    """The one PSNR of ``j2k_psnr``: imagecodecs writes one quality layer."""
    value = options.get("j2k_psnr")
    if value is None:
        return DEFAULT_PSNR
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if len(value) != 1:
            raise ValueError(
                "j2k_psnr takes one value here: imagecodecs writes one quality "
                f"layer, got {value!r}"
            )
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value <= 0:
        raise ValueError(f"j2k_psnr must be a positive number of dB, got {value!r}")
    return float(value)


def _qstep(options: Mapping[str, Any]) -> float:
    value = options.get("qstep")
    if value is None:
        return DEFAULT_QSTEP
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"qstep must be a number, got {value!r}")
    number = float(value)
    if not 0 < number < 1:
        raise ValueError(f"qstep must be above 0 and below 1, got {value!r}")
    return number


def refuse_j2k(
    layout: PixelLayout, options: Mapping[str, Any], lossy: bool
) -> str | None:
    """None if OpenJPEG can encode ``layout`` (lossy or reversible)."""
    reason = _refuse_encode(layout, options)
    if reason is None and lossy:
        reason = _refuse_palette(layout)
    if reason is not None:
        return reason
    if layout.bits_stored > _MAX_J2K_BITS:
        return (
            f"JPEG 2000 through imagecodecs codes at most {_MAX_J2K_BITS} bits, "
            f"Bits Stored is {layout.bits_stored}"
        )
    if not lossy:
        if options.get("j2k_psnr") is not None:
            return "j2k_psnr asks for lossy JPEG 2000 (1.2.840.10008.1.2.4.91)"
        return None
    try:
        _psnr(options)
    except ValueError as exc:
        return str(exc)
    return None


def refuse_htj2k(
    layout: PixelLayout, options: Mapping[str, Any], lossy: bool
) -> str | None:
    """None if OpenJPH can encode ``layout`` (lossy or reversible)."""
    reason = _refuse_encode(layout, options)
    if reason is None and lossy:
        reason = _refuse_palette(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16):
        return (
            "imagecodecs' HTJ2K encoder takes 8- and 16-bit samples, not "
            f"Bits Allocated {layout.bits_allocated}"
        )
    if not lossy:
        if options.get("qstep") is not None:
            return "qstep asks for lossy HTJ2K (1.2.840.10008.1.2.4.203)"
        return None
    try:
        _qstep(options)
    except ValueError as exc:
        return str(exc)
    return None


def _samples(frame: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """The frame in the smallest container holding Bits Stored, contiguous."""
    array = np.ascontiguousarray(frame)
    if layout.bits_allocated == 32 and layout.bits_stored <= 16:
        array = array.astype(np.int16 if layout.is_signed else np.uint16)
    return array


def encode_j2k(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any], lossy: bool
) -> bytes:
    """Encode one frame as a JPEG 2000 codestream, precision Bits Stored."""
    reason = refuse_j2k(layout, options, lossy)
    if reason is not None:
        raise CodecError(reason)
    codecs = imagecodecs()
    with library_errors("OpenJPEG"):
        encoded = codecs.jpeg2k_encode(
            _samples(frame, layout),
            level=_psnr(options) if lossy else 0,
            codecformat="J2K",
            bitspersample=layout.bits_stored,
            reversible=not lossy,
            mct=_uses_mct(layout, options),
        )
    return bytes(encoded)


def encode_htj2k(
    frame: np.ndarray,
    layout: PixelLayout,
    options: Mapping[str, Any],
    lossy: bool,
    tlm: bool,
) -> bytes:
    """Encode one frame as an HTJ2K codestream (RPCL progression)."""
    reason = refuse_htj2k(layout, options, lossy)
    if reason is not None:
        raise CodecError(reason)
    codecs = imagecodecs()
    with library_errors("OpenJPH"):
        encoded = codecs.htj2k_encode(
            np.ascontiguousarray(frame),
            level=_qstep(options) if lossy else None,
            rgb=_uses_mct(layout, options),
            reversible=not lossy,
            tlm=tlm,
        )
    return bytes(encoded)
