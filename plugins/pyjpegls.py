"""The optional ``pyjpegls`` codec: JPEG-LS through CharLS.

Uses pyjpegls (CharLS; ``pip install "dicomcore[jpegls]"``) for

- decoding JPEG-LS Lossless (1.2.840.10008.1.2.4.80) and Near-Lossless
  (.81), at priority 60: CharLS decodes about three times as fast as libjpeg,
  the ``pylibjpeg`` plugin's fallback for the same syntaxes;
- encoding both: ``pyjpegls-lossless`` (.80) and ``pyjpegls-near-lossless``
  (.81, option ``jls_error``, pydicom's name for the NEAR parameter: the
  largest difference allowed per sample, default 2 as DCMTK's).

The precision of the codestream is Bits Stored (2 to 16 bits).  Signed pixels
are coded as their two's complement bit pattern in Bits Stored bits, which
DCMTK, GDCM and libjpeg read back, and the decoder sign-extends from Bits
Stored.  Near-lossless coding of signed pixels is refused: an error of NEAR
on the bit pattern can carry the largest positive value to the most negative
one (DCMTK refuses it for the same reason).  Colour frames are coded
sample-interleaved (ILV 2), their order in memory, without a colour
transform.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout

from ._codestreams import check_frame, jpeg_header
from ._pylibjpeg_common import (
    SUBSAMPLED,
    apply_bits_stored,
    as_bytes,
    decoded_photometric,
    interleave,
    library_errors,
    load,
    missing_packages,
    refuse_common,
)

__all__ = [
    "DEFAULT_NEAR",
    "EXTRA",
    "TRANSFER_SYNTAXES",
    "decode",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "encode_lossless",
    "encode_near_lossless",
    "missing",
    "supports",
    "supports_lossless",
    "supports_near_lossless",
]

EXTRA: Final = "jpegls"
JPEG_LS_LOSSLESS: Final = "1.2.840.10008.1.2.4.80"
JPEG_LS_NEAR_LOSSLESS: Final = "1.2.840.10008.1.2.4.81"
TRANSFER_SYNTAXES: Final = frozenset({JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS})
#: ``jls_error`` when not given: DCMTK's default NEAR.
DEFAULT_NEAR: Final = 2
#: Preferred to the ``pylibjpeg`` decoder (50) for JPEG-LS.
DECODER_PRIORITY: Final = 60
_MIN_PRECISION: Final = 2  # T.87 C.2.2: P is 2 to 16
_MAX_PRECISION: Final = 16
_MAX_NEAR: Final = 255  # T.87 C.2.4.1.1: NEAR fits one byte
# pyjpegls gives CharLS an output buffer of twice the frame's size, and a
# frame of a few dozen pixels can code to more (a header of some 30 bytes,
# and noise costing more than its own size).  Measured on random frames of
# every Bits Stored: one-byte samples outgrew it up to 108 bytes, two-byte
# samples up to 104 bytes; from these sizes (bytes of samples, by sample
# size) on, none did.  A smaller frame is left to another encoder (the
# imagecodecs plugin's has no such bound); a larger one that still
# outgrows the buffer fails with a CodecError saying so.
_MIN_CODED_BYTES: Final = {1: 256, 2: 128}
_BUFFER_TOO_SMALL: Final = "buffer is too small"
_PLANE_INTERLEAVED: Final = 0  # ILV 0: one scan per component
_SAMPLE_INTERLEAVED: Final = 2  # ILV 2: R G B R G B ...

missing = missing_packages({"jpeg_ls": "pyjpegls"})


# -- decoding -------------------------------------------------------------------


def supports(layout: PixelLayout) -> str | None:
    """None if ``layout`` can be decoded, else the reason."""
    reason = refuse_common(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16):
        return (
            f"JPEG-LS holds at most 16 bits per sample; Bits Allocated "
            f"{layout.bits_allocated} is not 8 or 16"
        )
    if layout.photometric_interpretation in SUBSAMPLED:
        return f"{layout.photometric_interpretation} is not a JPEG-LS colour space"
    return None


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG-LS frame of ``layout``."""
    data = as_bytes(src)
    header = jpeg_header(data)
    if not header.is_jpeg_ls:
        raise CodecError(
            f"not a JPEG-LS stream: its frame header is FF{header.sof_marker:02X}, "
            "not SOF55 (FFF7)"
        )
    check_frame(
        layout, header.rows, header.columns, header.components, "JPEG-LS stream"
    )
    jpeg_ls = load("jpeg_ls", "pyjpegls", EXTRA, ("decode_buffer",))
    with library_errors("CharLS"):
        decoded, info = jpeg_ls.decode_buffer(data)
    dtype = np.dtype(np.uint8 if header.precision <= 8 else "<u2")
    samples = np.frombuffer(decoded, dtype)
    if samples.size != layout.pixels_per_frame * layout.samples_per_pixel:
        raise CodecError(
            f"CharLS returned {samples.size} samples, expected "
            f"{layout.pixels_per_frame * layout.samples_per_pixel}"
        )
    if layout.samples_per_pixel > 1 and info["interleave_mode"] == _PLANE_INTERLEAVED:
        planes = samples.reshape(layout.samples_per_pixel, layout.rows, layout.columns)
        pixels = interleave(planes, layout)
    else:
        pixels = samples.reshape(layout.frame_shape)
    array = apply_bits_stored(pixels, layout, header.precision, signed_codestream=False)
    return DecodedFrame(array, decoded_photometric(layout), bits_stored_applied=True)


# -- encoding -------------------------------------------------------------------


def _near(layout: PixelLayout, options: Mapping[str, Any]) -> int:
    """NEAR from ``jls_error``; raises ValueError when out of range."""
    near = options.get("jls_error")
    if near is None:
        return DEFAULT_NEAR
    largest = min(_MAX_NEAR, ((1 << layout.bits_stored) - 1) // 2)
    if isinstance(near, bool) or not isinstance(near, numbers.Integral):
        raise ValueError(f"jls_error must be an integer, got {near!r}")
    value = int(near)
    if not 0 <= value <= largest:
        raise ValueError(
            f"jls_error must be 0 to {largest} for {layout.bits_stored}-bit "
            f"samples, got {value}"
        )
    return value


def _refuse_layout(layout: PixelLayout) -> str | None:
    reason = supports(layout)
    if reason is not None:
        return reason
    if not _MIN_PRECISION <= layout.bits_stored <= _MAX_PRECISION:
        return (
            f"JPEG-LS codes {_MIN_PRECISION} to {_MAX_PRECISION} bits per sample, "
            f"Bits Stored is {layout.bits_stored}"
        )
    sample_bytes = 1 if layout.bits_stored <= 8 else 2
    coded = layout.pixels_per_frame * layout.samples_per_pixel * sample_bytes
    least = _MIN_CODED_BYTES[sample_bytes]
    if coded < least:
        return (
            f"a frame of {coded} bytes is too small for pyjpegls: it gives the "
            "codestream twice the frame's size, which a noisy frame and the "
            f"JPEG-LS header can outgrow below {least} bytes"
        )
    return None


def supports_lossless(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    """None if ``pyjpegls-lossless`` can encode ``layout``, else the reason."""
    if options.get("jls_error"):
        return (
            "jls_error asks for near-lossless coding; use JPEG-LS Near-Lossless "
            f"({JPEG_LS_NEAR_LOSSLESS})"
        )
    return _refuse_layout(layout)


def supports_near_lossless(
    layout: PixelLayout, options: Mapping[str, Any]
) -> str | None:
    """None if ``pyjpegls-near-lossless`` can encode ``layout``, else the reason."""
    reason = _refuse_layout(layout)
    if reason is not None:
        return reason
    if layout.is_signed:
        return (
            "near-lossless JPEG-LS of signed pixels is refused: an error on the "
            "two's complement pattern can turn the largest value into the smallest"
        )
    try:
        _near(layout, options)
    except ValueError as exc:
        return str(exc)
    return None


def _encode(frame: np.ndarray, layout: PixelLayout, near: int) -> bytes:
    jpeg_ls = load("jpeg_ls", "pyjpegls", EXTRA, ("encode_buffer",))
    bits_stored = layout.bits_stored
    # The bit pattern in Bits Stored bits, unsigned, one or two bytes per
    # sample as CharLS reads them, little endian.
    code_dtype = np.dtype(np.uint8 if bits_stored <= 8 else "<u2")
    unsigned = frame.view(f"u{frame.dtype.itemsize}")
    pattern = (unsigned & ((1 << bits_stored) - 1)).astype(code_dtype, copy=False)
    interleave_mode = _SAMPLE_INTERLEAVED if layout.samples_per_pixel > 1 else 0
    try:
        with library_errors("CharLS"):
            encoded = jpeg_ls.encode_buffer(
                np.ascontiguousarray(pattern).tobytes(),
                layout.rows,
                layout.columns,
                layout.samples_per_pixel,
                bits_stored,
                near,
                interleave_mode,
            )
    except CodecError as exc:
        if _BUFFER_TOO_SMALL not in str(exc):
            raise
        raise CodecError(
            f"{exc}: this {layout.rows} x {layout.columns} frame codes to more "
            "than twice its size, the most pyjpegls allows; the imagecodecs "
            "plugin's JPEG-LS encoder has no such bound"
        ) from exc
    return bytes(encoded)


def encode_lossless(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one frame as JPEG-LS Lossless."""
    return _encode(frame, layout, 0)


def encode_near_lossless(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one frame as JPEG-LS Near-Lossless, NEAR = ``options["jls_error"]``."""
    reason = supports_near_lossless(layout, options)
    if reason is not None:
        raise CodecError(reason)
    return _encode(frame, layout, _near(layout, options))


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="pyjpegls",
        transfer_syntaxes=TRANSFER_SYNTAXES,
        decode=decode,
        priority=DECODER_PRIORITY,
        supports=supports,
        missing=missing,
        extra=EXTRA,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="pyjpegls-lossless",
        transfer_syntax=JPEG_LS_LOSSLESS,
        encode=encode_lossless,
        lossy=False,
        supports=supports_lossless,
        missing=missing,
        extra=EXTRA,
    )
    yield Encoder(
        name="pyjpegls-near-lossless",
        transfer_syntax=JPEG_LS_NEAR_LOSSLESS,
        encode=encode_near_lossless,
        lossy=True,
        supports=supports_near_lossless,
        missing=missing,
        extra=EXTRA,
    )
