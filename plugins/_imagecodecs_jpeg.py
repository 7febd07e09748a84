"""JPEG (ISO 10918-1) and JPEG-LS (ISO 14495-1) through imagecodecs.

JPEG runs on libjpeg-turbo 3, which codes every process DICOM uses: 8-bit
Baseline, 12-bit Extended, and Lossless at 2 to 16 bits with any of the
seven predictors.  JPEG-LS runs on CharLS.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, PixelLayout

from ._codestreams import JpegHeader, check_frame, jpeg_header
from ._imagecodecs_common import bit_pattern, clip_lossy, imagecodecs
from ._pylibjpeg_common import (
    SUBSAMPLED,
    apply_bits_stored,
    as_bytes,
    decoded_photometric,
    library_errors,
    refuse_common,
)

__all__ = [
    "DEFAULT_NEAR",
    "DEFAULT_QUALITY",
    "JPEG_LS",
    "JPEG_LOSSY",
    "decode_jpeg",
    "decode_jpeg_ls",
    "encode_baseline",
    "encode_extended",
    "encode_jpeg_ls",
    "encode_lossless",
    "photometric_after_baseline",
    "refuse_baseline",
    "refuse_decode_jpeg",
    "refuse_decode_jpeg_ls",
    "refuse_extended",
    "refuse_jpeg_ls",
    "refuse_lossless",
]

JPEG_BASELINE: Final = "1.2.840.10008.1.2.4.50"
JPEG_EXTENDED: Final = "1.2.840.10008.1.2.4.51"
JPEG_LOSSY: Final = frozenset({JPEG_BASELINE, JPEG_EXTENDED})
JPEG_LS: Final = frozenset({"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"})
#: ``quality`` when not given: DCMTK's dcmcjpeg default.
DEFAULT_QUALITY: Final = 90
#: ``jls_error`` (NEAR) when not given: DCMTK's dcmcjpls default.
DEFAULT_NEAR: Final = 2
_SUBSAMPLING: Final = {"422": "YBR_FULL_422", "444": "YBR_FULL"}
_DEFAULT_SUBSAMPLING: Final = "422"
_BASELINE_OPTIONS: Final = frozenset({"quality", "subsampling"})
# Component identifiers 'R', 'G', 'B': Adobe's convention for RGB streams.
_RGB_IDS: Final = (0x52, 0x47, 0x42)
_MAX_NEAR: Final = 255  # T.87 C.2.4.1.1: NEAR fits one byte
_COLOUR_INPUTS: Final = {"RGB": "RGB", "YBR_FULL": "YCbCr"}


# -- decoding -------------------------------------------------------------------


def _refuse_decode(layout: PixelLayout) -> str | None:
    reason = refuse_common(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16):
        return (
            f"JPEG and JPEG-LS hold at most 16 bits per sample; Bits Allocated "
            f"{layout.bits_allocated} is not 8 or 16"
        )
    if layout.photometric_interpretation in SUBSAMPLED - {"YBR_FULL_422"}:
        return (
            f"{layout.photometric_interpretation} (limited range YCbCr) has no "
            "full-resolution photometric interpretation to decode to"
        )
    return None


def refuse_decode_jpeg(layout: PixelLayout) -> str | None:
    return _refuse_decode(layout)


def refuse_decode_jpeg_ls(layout: PixelLayout) -> str | None:
    return _refuse_decode(layout)


def _stream_colour(header: JpegHeader, layout: PixelLayout) -> str:
    """YCbCr or RGB: what a three-component stream holds.

    Lossless JPEG never carries a colour transform in DICOM (PS3.5 8.2.1),
    so its samples are what the dataset says.  For lossy JPEG the stream's
    markers decide, since writers labelling YCbCr data RGB are common: JFIF
    or an Adobe transform of 1 mean YCbCr, an Adobe transform of 0 or the
    component identifiers R G B mean RGB.
    """
    if layout.transfer_syntax not in JPEG_LOSSY:
        # libjpeg-turbo converts nothing when told the stream is RGB and RGB
        # is wanted; the samples are then what the dataset says they are.
        return "RGB"
    label = "RGB" if layout.photometric_interpretation == "RGB" else "YCbCr"
    if header.adobe_transform is not None:
        return "YCbCr" if header.adobe_transform == 1 else label
    if header.jfif:
        return "YCbCr"
    if header.component_ids == _RGB_IDS:
        return "RGB"
    return label


def _colour_label(colour: str, layout: PixelLayout) -> str:
    """The photometric interpretation of a full-resolution frame in ``colour``.

    A decoded YBR_FULL_422 frame keeps its name (a full-size array is what
    every decoder returns for it); other YCbCr frames are YBR_FULL.
    """
    if colour == "RGB":
        return "RGB"
    if layout.photometric_interpretation == "YBR_FULL_422":
        return "YBR_FULL_422"
    return "YBR_FULL"


def _checked_header(data: bytes | bytearray, layout: PixelLayout) -> JpegHeader:
    header = jpeg_header(data)
    if header.is_jpeg_ls != (layout.transfer_syntax in JPEG_LS):
        kind = "JPEG-LS" if header.is_jpeg_ls else "JPEG"
        raise CodecError(
            f"the frame is a {kind} stream (SOF marker FF{header.sof_marker:02X}), "
            f"which transfer syntax {layout.transfer_syntax} does not hold"
        )
    check_frame(layout, header.rows, header.columns, header.components, "JPEG stream")
    if header.precision > layout.dtype.itemsize * 8:
        raise CodecError(
            f"the stream's precision ({header.precision} bits) exceeds Bits "
            f"Allocated ({layout.bits_allocated})"
        )
    if not header.has_eoi:
        # libjpeg-turbo fills the rows of a cut stream with grey and warns only
        raise CodecError("the JPEG stream has no EOI marker after its scan (truncated)")
    return header


def _finish(decoded: np.ndarray, layout: PixelLayout, precision: int) -> np.ndarray:
    if decoded.shape != layout.frame_shape:
        raise CodecError(
            f"imagecodecs returned shape {decoded.shape}, expected {layout.frame_shape}"
        )
    if layout.transfer_syntax in JPEG_LOSSY:
        decoded = clip_lossy(decoded, layout, signed_codestream=False)
    return apply_bits_stored(decoded, layout, precision, signed_codestream=False)


def decode_jpeg(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG frame (any process) with libjpeg-turbo, no colour change."""
    data = as_bytes(src)
    header = _checked_header(data, layout)
    codecs = imagecodecs()
    with library_errors("libjpeg-turbo"):
        if header.components == 3:
            colour = _stream_colour(header, layout)
            decoded = codecs.jpeg8_decode(data, colorspace=colour, outcolorspace=colour)
            if layout.transfer_syntax in JPEG_LOSSY:
                photometric = _colour_label(colour, layout)
            else:
                photometric = decoded_photometric(layout)
        else:
            decoded = codecs.jpeg8_decode(data)
            photometric = decoded_photometric(layout)
    array = _finish(decoded, layout, header.precision)
    return DecodedFrame(array, photometric, bits_stored_applied=True)


def decode_jpeg_ls(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG-LS frame with CharLS."""
    data = as_bytes(src)
    header = _checked_header(data, layout)
    codecs = imagecodecs()
    with library_errors("CharLS"):
        decoded = codecs.jpegls_decode(data)
    array = _finish(decoded, layout, header.precision)
    return DecodedFrame(array, decoded_photometric(layout), bits_stored_applied=True)


# -- encoding -------------------------------------------------------------------


def _refuse_encode(layout: PixelLayout) -> str | None:
    reason = _refuse_decode(layout)
    if reason is not None:
        return reason
    photometric = layout.photometric_interpretation
    if photometric in SUBSAMPLED:
        return f"{photometric} is subsampled; encode the full-resolution frame"
    if layout.samples_per_pixel == 3 and photometric not in _COLOUR_INPUTS:
        return f"{photometric} frames are not encoded; give RGB or YBR_FULL"
    return None


def _integer_option(
    options: Mapping[str, Any], name: str, default: int, low: int, high: int
) -> int:
    """An integer option within [low, high]; raises ValueError otherwise."""
    value = options.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be {low} to {high}, got {value!r}")
    return int(value)


def _subsampling(options: Mapping[str, Any]) -> str:
    value = options.get("subsampling")
    if value is None:
        return _DEFAULT_SUBSAMPLING
    text = str(value).replace(":", "")
    if text not in _SUBSAMPLING:
        raise ValueError(f"subsampling must be '422' or '444', got {value!r}")
    return text


def _refuse_lossy(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    if layout.photometric_interpretation == "PALETTE COLOR":
        return "PALETTE COLOR indices are coded losslessly only"
    if layout.is_signed:
        return (
            "lossy JPEG of signed pixels is refused: an error on the two's "
            "complement pattern can turn the largest value into the smallest"
        )
    unknown = sorted(set(options) & {"predictor", "jls_error"})
    if unknown:
        return f"{unknown[0]} is not an option of lossy JPEG"
    try:
        _integer_option(options, "quality", DEFAULT_QUALITY, 1, 100)
        _subsampling(options)
    except ValueError as exc:
        return str(exc)
    return None


def refuse_baseline(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    """None if JPEG Baseline can encode ``layout``: 8 bits, grey or colour."""
    reason = _refuse_encode(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated != 8 or layout.bits_stored != 8:
        return (
            "JPEG Baseline codes 8-bit samples (Bits Allocated and Bits Stored "
            f"8), not {layout.bits_allocated}/{layout.bits_stored}"
        )
    return _refuse_lossy(layout, options)


def refuse_extended(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    """None if JPEG Extended can encode ``layout``: 9 to 12 bits, grey."""
    reason = _refuse_encode(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated != 16 or not 9 <= layout.bits_stored <= 12:
        return (
            "the JPEG Extended encoder codes 12-bit samples (Bits Allocated 16, "
            f"Bits Stored 9 to 12), not {layout.bits_allocated}/"
            f"{layout.bits_stored}; 8-bit data goes to JPEG Baseline"
        )
    if layout.samples_per_pixel != 1:
        return "12-bit JPEG is encoded for one sample per pixel only"
    return _refuse_lossy(layout, options)


def photometric_after_baseline(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    """Colour goes out as YCbCr: YBR_FULL_422 (default) or, with
    ``subsampling="444"``, YBR_FULL (PS3.5 8.2.1); grey stays grey."""
    if layout.samples_per_pixel != 3:
        return layout.photometric_interpretation
    return _SUBSAMPLING[_subsampling(options)]


def _lossy(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    quality = _integer_option(options, "quality", DEFAULT_QUALITY, 1, 100)
    codecs = imagecodecs()
    with library_errors("libjpeg-turbo"):
        if layout.samples_per_pixel == 3:
            encoded = codecs.jpeg8_encode(
                np.ascontiguousarray(frame),
                level=quality,
                colorspace=_COLOUR_INPUTS[layout.photometric_interpretation],
                outcolorspace="YCbCr",
                subsampling=_subsampling(options),
            )
        else:
            bits = 8 if layout.bits_allocated == 8 else 12
            encoded = codecs.jpeg8_encode(
                np.ascontiguousarray(frame), level=quality, bitspersample=bits
            )
    return bytes(encoded)


def encode_baseline(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one 8-bit frame as JPEG Baseline (Process 1)."""
    reason = refuse_baseline(layout, options)
    if reason is not None:
        raise CodecError(reason)
    return _lossy(frame, layout, options)


def encode_extended(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one 12-bit frame as JPEG Extended (Process 4, 12-bit precision)."""
    reason = refuse_extended(layout, options)
    if reason is not None:
        raise CodecError(reason)
    return _lossy(frame, layout, options)


def refuse_lossless(
    layout: PixelLayout, options: Mapping[str, Any], first_order: bool
) -> str | None:
    """None if Lossless JPEG (SV1 when ``first_order``) can encode ``layout``."""
    reason = _refuse_encode(layout)
    if reason is not None:
        return reason
    if not 2 <= layout.bits_stored <= 16:
        return f"Lossless JPEG codes 2 to 16 bits, Bits Stored is {layout.bits_stored}"
    for name in ("quality", "subsampling", "jls_error"):
        if options.get(name) is not None:
            return f"{name} is not an option of Lossless JPEG"
    if first_order:
        if options.get("predictor", 1) != 1:
            return (
                "JPEG Lossless SV1 uses predictor 1; other predictors go to "
                "JPEG Lossless (1.2.840.10008.1.2.4.57)"
            )
        return None
    try:
        _integer_option(options, "predictor", 1, 1, 7)
    except ValueError as exc:
        return str(exc)
    return None


def encode_lossless(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one frame as Lossless JPEG (Process 14), precision Bits Stored."""
    reason = refuse_lossless(layout, options, first_order=False)
    if reason is not None:
        raise CodecError(reason)
    predictor = _integer_option(options, "predictor", 1, 1, 7)
    bits = layout.bits_stored
    pattern = bit_pattern(frame, layout, np.dtype(np.uint8 if bits <= 8 else np.uint16))
    codecs = imagecodecs()
    with library_errors("libjpeg-turbo"):
        if layout.samples_per_pixel == 3:
            # RGB in and out: libjpeg-turbo codes the samples as given, with
            # no colour transform (PS3.5 8.2.1), whatever their colour space.
            encoded = codecs.jpeg8_encode(
                pattern,
                lossless=True,
                predictor=predictor,
                bitspersample=bits,
                colorspace="RGB",
                outcolorspace="RGB",
            )
        else:
            encoded = codecs.jpeg8_encode(
                pattern, lossless=True, predictor=predictor, bitspersample=bits
            )
    return bytes(encoded)


def _near(layout: PixelLayout, options: Mapping[str, Any]) -> int:
    largest = min(_MAX_NEAR, ((1 << layout.bits_stored) - 1) // 2)
    return _integer_option(options, "jls_error", DEFAULT_NEAR, 0, largest)


def refuse_jpeg_ls(
    layout: PixelLayout, options: Mapping[str, Any], near_lossless: bool
) -> str | None:
    """None if JPEG-LS (Near-Lossless when ``near_lossless``) can encode it."""
    reason = _refuse_encode(layout)
    if reason is not None:
        return reason
    if not 2 <= layout.bits_stored <= 16:
        return f"JPEG-LS codes 2 to 16 bits, Bits Stored is {layout.bits_stored}"
    if not near_lossless:
        if options.get("jls_error"):
            return (
                "jls_error asks for near-lossless coding; use JPEG-LS "
                "Near-Lossless (1.2.840.10008.1.2.4.81)"
            )
        return None
    if layout.is_signed:
        return (
            "near-lossless JPEG-LS of signed pixels is refused: an error on the "
            "two's complement pattern can turn the largest value into the smallest"
        )
    if layout.bits_stored not in (8, 16):
        # imagecodecs gives CharLS no bit depth: the precision is the sample
        # size (8 or 16), so an error near the top of a 12-bit range could
        # decode above Bits Stored and wrap when masked.
        return (
            "near-lossless JPEG-LS through imagecodecs needs Bits Stored 8 or 16 "
            f"(the codestream's precision is the sample size), not {layout.bits_stored}"
        )
    try:
        _near(layout, options)
    except ValueError as exc:
        return str(exc)
    return None


def encode_jpeg_ls(
    frame: np.ndarray,
    layout: PixelLayout,
    options: Mapping[str, Any],
    near_lossless: bool,
) -> bytes:
    """Encode one frame as JPEG-LS, sample-interleaved, no colour transform."""
    reason = refuse_jpeg_ls(layout, options, near_lossless)
    if reason is not None:
        raise CodecError(reason)
    near = _near(layout, options) if near_lossless else 0
    dtype = np.dtype(np.uint8 if layout.bits_allocated == 8 else np.uint16)
    pattern = bit_pattern(frame, layout, dtype)
    codecs = imagecodecs()
    with library_errors("CharLS"):
        encoded = codecs.jpegls_encode(pattern, level=near)
    return bytes(encoded)
