"""The optional ``pylibjpeg-rle`` codec: RLE Lossless through pylibjpeg-rle.

Decodes and encodes RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G) with
pylibjpeg-rle's compiled PackBits (``pip install "dicomcore[rle]"``), at
priority 60, so that it is preferred to the bundled numpy ``rle`` codec (50)
when installed.  It is faster; what either encodes, both decode alike
(the byte streams may differ: PackBits allows several encodings of a run).

An RLE frame stores each byte plane of each sample as its own segment, so it
decodes colour-by-plane; the decoder returns the samples interleaved, with
the bits above Bits Stored untouched, as a bare array for the pipeline to
mask or sign-extend.  1-bit pixels are refused: PS3.5 G.2 defines segments
of whole bytes of a sample, and no independent tool writes 1-bit RLE to
check an implementation against.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import Decoder, Encoder, PixelLayout

from ._pylibjpeg_common import (
    as_bytes,
    interleave,
    library_errors,
    load,
    missing_packages,
    refuse_common,
)

__all__ = [
    "EXTRA",
    "PRIORITY",
    "RLE_LOSSLESS",
    "decode",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "encode",
    "missing",
    "supports",
    "supports_encoding",
]

EXTRA: Final = "rle"
RLE_LOSSLESS: Final = "1.2.840.10008.1.2.5"
#: Above the bundled ``rle`` codec's 50: the compiled codec wins when present.
PRIORITY: Final = 60
# The RLE header has room for 15 segment offsets (PS3.5 G.3.1).
_MAX_SEGMENTS: Final = 15
_NATIVE: Final = "<" if sys.byteorder == "little" else ">"

missing = missing_packages({"rle": "pylibjpeg-rle"})


def supports(layout: PixelLayout) -> str | None:
    """None if ``layout`` can be decoded (and encoded), else the reason."""
    reason = refuse_common(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16, 32, 64):
        return f"Bits Allocated {layout.bits_allocated} is not 8, 16, 32 or 64"
    segments = layout.samples_per_pixel * layout.bits_allocated // 8
    if segments > _MAX_SEGMENTS:
        return (
            f"{layout.samples_per_pixel} sample(s) of {layout.bits_allocated} bits "
            f"need {segments} segments; RLE allows {_MAX_SEGMENTS}"
        )
    return None


def supports_encoding(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    """None if ``layout`` can be encoded, else the reason."""
    return supports(layout)


def decode(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    """Decode one RLE frame of ``layout``; Bits Stored is not applied."""
    rle = load("rle", "pylibjpeg-rle", EXTRA, ("decode_pixel_data",))
    with library_errors("pylibjpeg-rle"):
        decoded = rle.decode_pixel_data(
            as_bytes(src),
            version=2,
            rows=layout.rows,
            columns=layout.columns,
            bits_allocated=layout.bits_allocated,
            byteorder=_NATIVE,
        )
    pixels = np.frombuffer(decoded, layout.dtype)
    if pixels.size != layout.pixels_per_frame * layout.samples_per_pixel:
        raise CodecError(
            f"pylibjpeg-rle returned {pixels.size} samples, expected "
            f"{layout.pixels_per_frame * layout.samples_per_pixel}"
        )
    if layout.samples_per_pixel == 1:
        return pixels.reshape(layout.frame_shape)
    planes = pixels.reshape(layout.samples_per_pixel, layout.rows, layout.columns)
    return interleave(planes, layout)


def encode(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    """Encode one frame (samples interleaved) as RLE Lossless."""
    rle = load("rle", "pylibjpeg-rle", EXTRA, ("encode_pixel_data",))
    array = np.ascontiguousarray(frame)
    byteorder = array.dtype.byteorder
    if byteorder in ("=", "|"):
        byteorder = _NATIVE
    with library_errors("pylibjpeg-rle"):
        encoded = rle.encode_pixel_data(
            array.tobytes(),
            rows=layout.rows,
            columns=layout.columns,
            samples_per_pixel=layout.samples_per_pixel,
            bits_allocated=layout.bits_allocated,
            byteorder=byteorder,
        )
    return bytes(encoded)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="pylibjpeg-rle",
        transfer_syntaxes={RLE_LOSSLESS},
        decode=decode,
        priority=PRIORITY,
        supports=supports,
        missing=missing,
        extra=EXTRA,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="pylibjpeg-rle",
        transfer_syntax=RLE_LOSSLESS,
        encode=encode,
        lossy=False,
        supports=supports_encoding,
        priority=PRIORITY,
        missing=missing,
        extra=EXTRA,
    )
