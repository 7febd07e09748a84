"""The optional ``openjpeg`` codec: JPEG 2000 and HTJ2K through OpenJPEG.

Uses pylibjpeg-openjpeg (``pip install "dicomcore[jpeg2000]"``).

Decoding: JPEG 2000 Lossless (1.2.840.10008.1.2.4.90) and JPEG 2000
(.91), and High-Throughput JPEG 2000 Lossless (.201), Lossless RPCL (.202)
and lossy (.203).  The codestream carries its own precision and sign, which
need not agree with the dataset: GDCM writes signed 12-bit pixels as a signed
16-bit codestream, other writers signed pixels as an unsigned codestream of
their bit patterns.  The decoder reconciles the two (see
``apply_bits_stored``) and returns Bits Stored applied.  A codestream with a
multiple component transform comes back as RGB (OpenJPEG inverts the
transform), which is what YBR_RCT and YBR_ICT datasets hold.

Encoding (options in brackets):

- ``openjpeg-lossless``: JPEG 2000 Lossless (.90), reversible 5-3 wavelet.
- ``openjpeg``: JPEG 2000 (.91), irreversible 9-7 wavelet, lossy.  The rate
  is one of ``compression_ratio`` (a number above 1, one quality layer;
  default 10), ``j2k_cr`` (pydicom's name: compression ratios, one per
  quality layer, decreasing) or ``j2k_psnr`` (peak signal-to-noise ratios
  in dB, one per layer, increasing).

For RGB both apply the multiple component transform unless ``use_mct`` is
False, so the encoded stream is YBR_RCT (lossless) or YBR_ICT (lossy), the
photometric interpretations PS3.5 8.2.4 prescribes.  Up to 24 bits stored,
signed or unsigned, in 8-, 16- or 32-bit containers.
"""

from __future__ import annotations

import numbers
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout

from ._codestreams import checked_j2k_header
from ._pylibjpeg_common import (
    SUBSAMPLED,
    apply_bits_stored,
    as_bytes,
    decoded_photometric,
    library_errors,
    load,
    missing_packages,
    refuse_common,
)

__all__ = [
    "DEFAULT_COMPRESSION_RATIO",
    "EXTRA",
    "TRANSFER_SYNTAXES",
    "decode",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "encode_lossless",
    "encode_lossy",
    "missing",
    "photometric_after_lossless",
    "photometric_after_lossy",
    "supports",
    "supports_lossless",
    "supports_lossy",
]

EXTRA: Final = "jpeg2000"
JPEG_2000_LOSSLESS: Final = "1.2.840.10008.1.2.4.90"
JPEG_2000: Final = "1.2.840.10008.1.2.4.91"
HTJ2K_LOSSLESS: Final = "1.2.840.10008.1.2.4.201"
HTJ2K_LOSSLESS_RPCL: Final = "1.2.840.10008.1.2.4.202"
HTJ2K: Final = "1.2.840.10008.1.2.4.203"
TRANSFER_SYNTAXES: Final = frozenset(
    {JPEG_2000_LOSSLESS, JPEG_2000, HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K}
)
#: The compression ratio of ``openjpeg`` (.91) when no rate option is given.
DEFAULT_COMPRESSION_RATIO: Final = 10.0
# OpenJPEG's encoder takes 1, 2 or 4 bytes per sample and at most 24 bits.
_MAX_ENCODED_BITS: Final = 24
# pylibjpeg-openjpeg's encoder makes 6 resolution levels (5 wavelet
# decompositions); OpenJPEG refuses an image smaller than 2**5 either way.
_RESOLUTIONS: Final = 6
_MIN_SIZE: Final = 1 << (_RESOLUTIONS - 1)
_RATE_OPTIONS: Final = ("compression_ratio", "j2k_cr", "j2k_psnr")
# The colour space argument of openjpeg's encoder: 1 (sRGB) lets it apply the
# multiple component transform, 0 (unspecified) keeps the samples as they are.
_SRGB: Final = 1
_UNSPECIFIED: Final = 0
_TRANSFORMED: Final = frozenset({"YBR_RCT", "YBR_ICT"})

missing = missing_packages({"openjpeg": "pylibjpeg-openjpeg"})


# -- decoding -------------------------------------------------------------------


def supports(layout: PixelLayout) -> str | None:
    """None if ``layout`` can be decoded, else the reason."""
    if layout.bits_allocated == 1 and layout.samples_per_pixel == 1:
        # Binary segmentations are written as JPEG 2000 of precision 1
        # (highdicom does, and pydicom decodes them): one 0 or 1 per uint8.
        return None
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


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG 2000 or HTJ2K frame of ``layout``."""
    data = as_bytes(src)
    header = checked_j2k_header(data, layout)
    precision = header.precisions[0]
    openjpeg = load("openjpeg", "pylibjpeg-openjpeg", EXTRA, ("decode",))
    codestream = data[header.offset :] if header.offset else data
    with library_errors("openjpeg"):
        # j2k_format 0: a bare codestream, as DICOM stores it (PS3.5 A.4.4)
        decoded = openjpeg.decode(codestream, j2k_format=0)
    if decoded.shape != layout.frame_shape:
        raise CodecError(
            f"openjpeg returned shape {decoded.shape}, expected {layout.frame_shape}"
        )
    array = apply_bits_stored(decoded, layout, precision, header.signed[0])
    return DecodedFrame(array, _decoded_photometric(layout), bits_stored_applied=True)


def _decoded_photometric(layout: PixelLayout) -> str:
    if layout.photometric_interpretation in _TRANSFORMED:
        # OpenJPEG inverts the multiple component transform these terms name.
        return "RGB"
    return decoded_photometric(layout)


# -- encoding -------------------------------------------------------------------


def _uses_mct(layout: PixelLayout, options: Mapping[str, Any]) -> bool:
    return (
        layout.samples_per_pixel == 3
        and layout.photometric_interpretation == "RGB"
        and bool(options.get("use_mct", True))
    )


def _refuse_layout(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    reason = refuse_common(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16, 32):
        return f"Bits Allocated {layout.bits_allocated} is not 8, 16 or 32"
    if layout.bits_stored > _MAX_ENCODED_BITS:
        return (
            f"OpenJPEG encodes at most {_MAX_ENCODED_BITS} bits per sample, "
            f"Bits Stored is {layout.bits_stored}"
        )
    if min(layout.rows, layout.columns) < _MIN_SIZE:
        return (
            f"pylibjpeg-openjpeg always makes {_RESOLUTIONS} resolution levels, "
            f"which needs at least {_MIN_SIZE} rows and columns"
        )
    photometric = layout.photometric_interpretation
    if photometric in SUBSAMPLED:
        return f"{photometric} is subsampled; encode the full-resolution frame"
    if photometric in _TRANSFORMED:
        return f"{photometric} is an encoded colour space; give RGB frames"
    use_mct = options.get("use_mct", True)
    if not isinstance(use_mct, (bool, np.bool_)):
        return f"use_mct must be True or False, got {use_mct!r}"
    return None


def _rates(options: Mapping[str, Any]) -> tuple[list[float], list[float]]:
    """(compression ratios, PSNRs) from the options; raises ValueError if invalid."""
    given = [name for name in _RATE_OPTIONS if options.get(name) is not None]
    if len(given) > 1:
        raise ValueError(f"give only one of {', '.join(given)}")
    if not given:
        return [DEFAULT_COMPRESSION_RATIO], []
    name = given[0]
    value = options[name]
    if name == "compression_ratio":
        values = [_number(name, value)]
    else:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ValueError(f"{name} must be a list of numbers, got {value!r}")
        values = [_number(name, item) for item in value]
        if not values:
            raise ValueError(f"{name} is empty")
    if name == "j2k_psnr":
        if any(item <= 0 for item in values) or values != sorted(values):
            raise ValueError(
                f"j2k_psnr must be positive and increasing (one per quality "
                f"layer), got {value!r}"
            )
        return [], values
    if any(item < 1 for item in values) or values != sorted(values, reverse=True):
        raise ValueError(
            f"{name} must be at least 1 and decreasing (one per quality layer), "
            f"got {value!r}"
        )
    return values, []


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    return float(value)


def supports_lossless(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    """None if ``openjpeg-lossless`` can encode ``layout``, else the reason."""
    given = [name for name in _RATE_OPTIONS if options.get(name) is not None]
    if given:
        return (
            f"{given[0]} asks for lossy compression; JPEG 2000 Lossless "
            f"({JPEG_2000_LOSSLESS}) is reversible, use JPEG 2000 ({JPEG_2000})"
        )
    return _refuse_layout(layout, options)


def supports_lossy(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    """None if ``openjpeg`` (.91) can encode ``layout`` with ``options``, else why."""
    try:
        _rates(options)
    except ValueError as exc:
        return str(exc)
    return _refuse_layout(layout, options)


def photometric_after_lossless(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    """YBR_RCT for RGB with the multiple component transform, else unchanged."""
    if _uses_mct(layout, options):
        return "YBR_RCT"
    return layout.photometric_interpretation


def photometric_after_lossy(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    """YBR_ICT for RGB with the multiple component transform, else unchanged."""
    if _uses_mct(layout, options):
        return "YBR_ICT"
    return layout.photometric_interpretation


def _encode(
    frame: np.ndarray,
    layout: PixelLayout,
    options: Mapping[str, Any],
    ratios: list[float],
    psnrs: list[float],
) -> bytes:
    openjpeg = load("openjpeg", "pylibjpeg-openjpeg", EXTRA, ("encode",))
    array = frame
    if sys.byteorder == "big" or not array.flags.c_contiguous:
        # the encoder reads little endian, C-ordered samples
        array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    use_mct = _uses_mct(layout, options)
    colour_space = _SRGB if use_mct else _UNSPECIFIED
    with library_errors("openjpeg"):
        encoded = openjpeg.encode(
            array,
            bits_stored=layout.bits_stored,
            photometric_interpretation=colour_space,
            use_mct=use_mct,
            compression_ratios=ratios,
            signal_noise_ratios=psnrs,
            codec_format=0,
        )
    return bytes(encoded)


def encode_lossless(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one frame as JPEG 2000 Lossless (reversible)."""
    return _encode(frame, layout, options, [], [])


def encode_lossy(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Encode one frame as lossy JPEG 2000 at the options' rate."""
    try:
        ratios, psnrs = _rates(options)
    except ValueError as exc:
        raise CodecError(str(exc)) from None
    return _encode(frame, layout, options, ratios, psnrs)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="openjpeg",
        transfer_syntaxes=TRANSFER_SYNTAXES,
        decode=decode,
        supports=supports,
        missing=missing,
        extra=EXTRA,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="openjpeg-lossless",
        transfer_syntax=JPEG_2000_LOSSLESS,
        encode=encode_lossless,
        lossy=False,
        supports=supports_lossless,
        photometric_after=photometric_after_lossless,
        missing=missing,
        extra=EXTRA,
    )
    yield Encoder(
        name="openjpeg",
        transfer_syntax=JPEG_2000,
        encode=encode_lossy,
        lossy=True,
        supports=supports_lossy,
        photometric_after=photometric_after_lossy,
        missing=missing,
        extra=EXTRA,
    )
