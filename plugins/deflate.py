"""The bundled ``deflate`` plugin: frames in native form, encapsulated.

Two transfer syntaxes whose frames are the native (uncompressed) frame bytes,
Explicit VR Little Endian style, each frame in its own fragment:

* Deflated Image Frame Compression (1.2.840.10008.1.2.8.1), decoder and
  encoder ``deflate``.  PS3.5 A.4.13 and 8.2.16: "the pixel data byte stream
  of each frame is separately compressed using the Deflate algorithm defined
  in RFC 1951", one fragment per frame, an odd-length stream padded with one
  NULL byte.  RFC 1951 is the raw deflate format, without the zlib (RFC
  1950) header and Adler-32 trailer, so we write ``wbits=-15`` streams.  A
  zlib-wrapped stream, the likely slip of a writer, is still read.  The
  deflated bytes are the native frame: little endian, in the dataset's
  Planar Configuration, and with Bits Allocated 1 the frame's packed bits,
  starting on a byte boundary since each frame is a stream of its own.
* Encapsulated Uncompressed Explicit VR Little Endian (1.2.840.10008.1.2.1.98),
  decoder and encoder ``encapsulated-uncompressed``: the same native frame
  bytes, not compressed, each frame a fragment padded to even length.

Both apply only to Pixel Data: Float and Double Float Pixel Data are never
encapsulated.  Decoders return the layout's container dtype with samples
interleaved (for Bits Allocated 1, the packed frame, which the pipeline
unpacks); Bits Stored is left as stored.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout

__all__ = [
    "DEFLATED_IMAGE_FRAME_COMPRESSION",
    "ENCAPSULATED_UNCOMPRESSED",
    "LEVEL_OPTION",
    "decode_deflated",
    "decode_uncompressed",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "encode_deflated",
    "encode_uncompressed",
]

DEFLATED_IMAGE_FRAME_COMPRESSION: Final = "1.2.840.10008.1.2.8.1"
ENCAPSULATED_UNCOMPRESSED: Final = "1.2.840.10008.1.2.1.98"
_DEFLATE: Final = "deflate"
_UNCOMPRESSED: Final = "encapsulated-uncompressed"
# Raw deflate (RFC 1951) as A.4.13 requires; 15 + 32 would auto-detect zlib
# and gzip wrappers, which must not be what we write.
_RAW_DEFLATE_WBITS: Final = -15
_ZLIB_WBITS: Final = 15
#: Encoding option: the deflate compression level, 0 (none) to 9 (best).
LEVEL_OPTION: Final = "level"


# -- native frame bytes <-> arrays ---------------------------------------------


def _unsupported(layout: PixelLayout) -> str | None:
    if layout.is_float:
        return (
            f"{layout.pixel_keyword} is always native; only Pixel Data can be "
            "encapsulated"
        )
    return None


def _frame_from_native(data: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    """A frame array from exactly ``layout.frame_length`` native bytes.

    Samples interleaved in the layout's dtype; for Bits Allocated 1 the packed
    frame as a 1-D uint8 array.  Always a new, writable array.
    """
    if layout.bits_allocated == 1:
        return np.frombuffer(data, np.uint8, count=layout.frame_length).copy()
    count = layout.pixels_per_frame * layout.samples_per_pixel
    values = np.frombuffer(data, layout.dtype.newbyteorder("<"), count=count)
    if layout.samples_per_pixel > 1 and layout.planar_configuration == 1:
        planes = values.reshape(layout.samples_per_pixel, layout.rows, layout.columns)
        values = planes.transpose(1, 2, 0)
    return np.array(values, dtype=layout.dtype, order="C").reshape(layout.frame_shape)


def _native_from_frame(frame: np.ndarray, layout: PixelLayout) -> bytes:
    """The native bytes of one frame given as an encoder receives it.

    ``frame`` is (rows, columns[, samples]) in the layout's dtype, samples
    interleaved (for Bits Allocated 1, one 0/1 value per uint8).  The bytes
    follow the layout's Planar Configuration and are little endian.
    """
    if frame.shape != layout.frame_shape or frame.dtype != layout.dtype:
        raise CodecError(
            f"frame has shape {frame.shape} and dtype {frame.dtype}; the layout "
            f"needs shape {layout.frame_shape} and dtype {layout.dtype}"
        )
    if layout.samples_per_pixel > 1 and layout.planar_configuration == 1:
        frame = frame.transpose(2, 0, 1)
    if layout.bits_allocated == 1:
        # First pixel in the least significant bit (PS3.5 8.1.1).
        return np.packbits(frame.ravel(), bitorder="little").tobytes()
    little = np.ascontiguousarray(frame, dtype=layout.dtype.newbyteorder("<"))
    return little.tobytes()


# -- Deflated Image Frame Compression --------------------------------------------


def _inflate(src: bytes | memoryview, expected: int, wbits: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    # max_length bounds memory whatever the stream claims; one byte more than
    # a frame tolerates a writer that deflated the frame with its pad byte,
    # a second one tells a stream holding more than a frame.
    data = inflater.decompress(src, expected + 2)
    if len(data) > expected + 1:
        raise CodecError(
            f"the deflated frame holds more than the {expected} bytes of one frame",
            plugin=_DEFLATE,
        )
    if not inflater.eof:
        # Below max_length, so all input was used and the stream goes on.
        raise CodecError(
            f"the deflated frame is cut short: {len(data)} of {expected} bytes "
            "inflated and the stream has not ended",
            plugin=_DEFLATE,
        )
    return data


def _looks_like_zlib(src: bytes | memoryview) -> bool:
    """Whether ``src`` opens with an RFC 1950 header (deflate, window <= 32K)."""
    if len(src) < 2:
        return False
    method, flags = src[0], src[1]
    return method & 0x0F == 8 and method >> 4 <= 7 and (method << 8 | flags) % 31 == 0


def decode_deflated(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one Deflated Image Frame Compression frame of ``layout``."""
    reason = _unsupported(layout)
    if reason is not None:
        raise CodecError(reason, plugin=_DEFLATE)
    expected = layout.frame_length
    try:
        data = _inflate(src, expected, _RAW_DEFLATE_WBITS)
    except zlib.error as raw_error:
        if not _looks_like_zlib(src):
            raise CodecError(
                f"not a deflate stream: {raw_error}", plugin=_DEFLATE
            ) from None
        try:
            data = _inflate(src, expected, _ZLIB_WBITS)
        except zlib.error as zlib_error:
            raise CodecError(
                f"not a deflate stream: {raw_error}; nor a zlib stream: {zlib_error}",
                plugin=_DEFLATE,
            ) from None
    if len(data) < expected:
        raise CodecError(
            f"the deflated frame inflates to {len(data)} bytes; one frame is "
            f"{expected}",
            plugin=_DEFLATE,
        )
    return DecodedFrame(
        _frame_from_native(data, layout), layout.photometric_interpretation
    )


def encode_deflated(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """Deflate one frame's native bytes into a raw RFC 1951 stream."""
    reason = _deflate_refusal(layout, options)
    if reason is not None:
        raise CodecError(reason, plugin=_DEFLATE)
    level = options.get(LEVEL_OPTION, zlib.Z_DEFAULT_COMPRESSION)
    deflater = zlib.compressobj(level, zlib.DEFLATED, _RAW_DEFLATE_WBITS)
    native = _native_from_frame(frame, layout)
    return deflater.compress(native) + deflater.flush()


def _deflate_refusal(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    level = options.get(LEVEL_OPTION, zlib.Z_DEFAULT_COMPRESSION)
    if isinstance(level, bool) or not isinstance(level, int) or not -1 <= level <= 9:
        return f"option {LEVEL_OPTION!r} must be an integer from 0 to 9, got {level!r}"
    return _unsupported(layout)


# -- Encapsulated Uncompressed Explicit VR Little Endian -------------------------


def decode_uncompressed(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Read one Encapsulated Uncompressed frame (its fragments joined)."""
    reason = _unsupported(layout)
    if reason is not None:
        raise CodecError(reason, plugin=_UNCOMPRESSED)
    expected = layout.frame_length
    # The pad byte that makes a fragment even is the only extra allowed.
    if not expected <= len(src) <= expected + 1:
        raise CodecError(
            f"an encapsulated uncompressed frame of this image is {expected} "
            f"bytes (one more with its pad byte), got {len(src)}",
            plugin=_UNCOMPRESSED,
        )
    return DecodedFrame(
        _frame_from_native(src, layout), layout.photometric_interpretation
    )


def encode_uncompressed(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """One frame's native bytes, to be encapsulated as they are."""
    reason = _unsupported(layout)
    if reason is not None:
        raise CodecError(reason, plugin=_UNCOMPRESSED)
    return _native_from_frame(frame, layout)


def _supports(layout: PixelLayout) -> str | None:
    return _unsupported(layout)


def _encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    return _unsupported(layout)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name=_DEFLATE,
        transfer_syntaxes={DEFLATED_IMAGE_FRAME_COMPRESSION},
        decode=decode_deflated,
        supports=_supports,
    )
    yield Decoder(
        name=_UNCOMPRESSED,
        transfer_syntaxes={ENCAPSULATED_UNCOMPRESSED},
        decode=decode_uncompressed,
        supports=_supports,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name=_DEFLATE,
        transfer_syntax=DEFLATED_IMAGE_FRAME_COMPRESSION,
        encode=encode_deflated,
        lossy=False,
        supports=_deflate_refusal,
    )
    yield Encoder(
        name=_UNCOMPRESSED,
        transfer_syntax=ENCAPSULATED_UNCOMPRESSED,
        encode=encode_uncompressed,
        lossy=False,
        supports=_encoder_supports,
    )
