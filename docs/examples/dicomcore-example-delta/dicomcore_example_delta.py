"""A dicomcore codec plugin: each row stored as differences, then deflated.

The transfer syntax is made up for this example: a private UID (2.25 and a
UUID as a number) that no other DICOM application knows.  The data set is
Explicit VR Little Endian; Pixel Data is encapsulated, one fragment per frame,
each fragment::

    b"DLZ1" + zlib stream of the frame's samples, each replaced by its
    difference from the sample to its left in the same row (the first sample
    of a row is kept), modulo 2**BitsAllocated, little endian

Neighbouring pixels are alike, so the differences are small numbers, which
deflate packs much tighter than the samples themselves.  The encoding is
lossless for every integer and float layout but 1-bit pixels.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import Decoder, Encoder, PixelLayout
from dicomcore.uid import UID, register_transfer_syntax

__all__ = ["DELTA_ZLIB", "MAGIC", "decode", "encode"]

#: The private transfer syntax.  Registering it tells dicomcore how files of
#: this transfer syntax encode their data set.
DELTA_ZLIB: Final[UID] = register_transfer_syntax(
    "2.25.149172661973155236856384219246759058916",
    implicit_vr=False,
    little_endian=True,
    encapsulated=True,
)
MAGIC: Final = b"DLZ1"
DEFAULT_LEVEL: Final = 6


def _bit_patterns(layout: PixelLayout) -> np.dtype:
    """Unsigned integers as wide as a sample: differences wrap around in them."""
    return np.dtype(f"<u{layout.dtype.itemsize}")


def encode(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    """One frame (rows, columns[, samples]) as a DLZ1 fragment."""
    patterns = np.ascontiguousarray(frame).view(f"u{frame.dtype.itemsize}")
    differences = patterns.copy()
    differences[:, 1:] -= patterns[:, :-1]  # unsigned: modulo 2**bits
    little_endian = differences.astype(_bit_patterns(layout), copy=False)
    level = int(options.get("level", DEFAULT_LEVEL))
    return MAGIC + zlib.compress(little_endian.tobytes(), level)


def decode(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    """A DLZ1 fragment back to the frame; CodecError when it is not one."""
    if bytes(src[: len(MAGIC)]) != MAGIC:
        raise CodecError("not a delta-zlib frame: it does not start with DLZ1")
    patterns = _bit_patterns(layout)
    expected = int(np.prod(layout.frame_shape)) * patterns.itemsize
    inflater = zlib.decompressobj()
    try:
        # max_length: never inflate more than one frame, whatever the stream says
        data = inflater.decompress(src[len(MAGIC) :], expected + 1)
    except zlib.error as exc:
        raise CodecError(f"the deflated differences are damaged: {exc}") from None
    if len(data) != expected or not inflater.eof:
        raise CodecError(
            f"the frame holds {len(data)} bytes of differences"
            f"{'' if inflater.eof else ' or more'}, not {expected}"
        )
    differences = np.frombuffer(data, patterns).reshape(layout.frame_shape)
    # a running sum along each row undoes the differences, modulo 2**bits
    sums = np.cumsum(differences, axis=1, dtype=patterns.newbyteorder("="))
    return sums.view(layout.dtype)


def supports(layout: PixelLayout) -> str | None:
    if layout.bits_allocated == 1:
        return "1-bit pixels are not supported"
    return None


def encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    if options.get("level", DEFAULT_LEVEL) not in range(10):
        return "level must be 0 to 9"
    return supports(layout)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="delta-zlib",
        transfer_syntaxes={DELTA_ZLIB},
        decode=decode,
        supports=supports,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="delta-zlib",
        transfer_syntax=DELTA_ZLIB,
        encode=encode,
        lossy=False,
        supports=encoder_supports,
    )
