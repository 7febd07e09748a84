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

from ._codestreams import check_frame, jpeg_header
from ._imagecodecs_common import bit_pattern, imagecodecs
from ._pylibjpeg_common import apply_bits_stored, as_bytes, library_errors

__all__ = [
    "DEFAULT_DISTANCE",
    "decode",
    "encode",
    "frame_size",
    "recompress_jpeg",
    "refuse_recompression",
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
    return None


class _Bits:
    """Bits of a JPEG XL codestream, least significant first (ISO 18181-1 B.2)."""

    def __init__(self, data: bytes | bytearray) -> None:
        self.data = data
        self.position = 0

    def read(self, count: int) -> int:
        value = 0
        for shift in range(count):
            index = self.position >> 3
            if index >= len(self.data):
                raise CodecError("the JPEG XL codestream ends in its size header")
            value |= ((self.data[index] >> (self.position & 7)) & 1) << shift
            self.position += 1
        return value

    def dimension(self) -> int:
        # U32(1 + u(9), 1 + u(13), 1 + u(18), 1 + u(30))
        return 1 + self.read((9, 13, 18, 30)[self.read(2)])


# The aspect ratios a SizeHeader may name instead of a width (18181-1 D.2).
_RATIOS: Final = ((1, 1), (12, 10), (4, 3), (3, 2), (16, 9), (5, 4), (2, 1))


def _codestream(data: bytes | bytearray) -> bytes | bytearray:
    """The start of the codestream: ``data`` itself, or the contents of the
    container's jxlc box or first jxlp box (ISO 18181-2)."""
    if data.startswith(_CODESTREAM):
        return data
    position = 0
    while position + 8 <= len(data):
        size = int.from_bytes(data[position : position + 4], "big")
        kind = bytes(data[position + 4 : position + 8])
        header = 8
        if size == 1 and position + 16 <= len(data):
            size = int.from_bytes(data[position + 8 : position + 16], "big")
            header = 16
        if kind == b"jxlc":
            return data[position + header :]
        if kind == b"jxlp":
            return data[position + header + 4 :]  # after the part's index
        if size == 0:
            break  # the last box runs to the end
        if size < header:
            raise CodecError(f"a JPEG XL container box claims {size} bytes")
        position += size
    raise CodecError("the JPEG XL container holds no codestream box")


def frame_size(data: bytes | bytearray) -> tuple[int, int]:
    """(rows, columns) from the codestream's SizeHeader, read before libjxl
    allocates what it claims."""
    codestream = _codestream(data)
    if not codestream.startswith(_CODESTREAM):
        raise CodecError("the JPEG XL codestream does not start with FF0A")
    bits = _Bits(codestream[len(_CODESTREAM) :])
    if bits.read(1):  # small: multiples of 8 up to 256
        rows = (bits.read(5) + 1) * 8
        ratio = bits.read(3)
        columns = (bits.read(5) + 1) * 8 if ratio == 0 else 0
    else:
        rows = bits.dimension()
        ratio = bits.read(3)
        columns = bits.dimension() if ratio == 0 else 0
    if ratio:
        numerator, denominator = _RATIOS[ratio - 1]
        columns = rows * numerator // denominator
    return rows, columns


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG XL frame (codestream or container) with libjxl."""
    data = as_bytes(src)
    if not (data.startswith(_CODESTREAM) or data.startswith(_CONTAINER)):
        raise CodecError(
            "not a JPEG XL codestream (FF0A) or container (JXL signature box): "
            f"starts with {bytes(data[:4]).hex()}"
        )
    rows, columns = frame_size(data)
    if (rows, columns) != (layout.rows, layout.columns):
        raise CodecError(
            f"the JPEG XL codestream is {rows}x{columns}, the dataset describes "
            f"{layout.rows}x{layout.columns}"
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


# -- JPEG recompression -------------------------------------------------------------

# Baseline (SOF0) and extended sequential Huffman (SOF1) frames: the JPEG
# XL JPEG-reconstruction data describes 8-bit Huffman-coded DCT streams.
_RECOMPRESSIBLE: Final = frozenset({0xC0, 0xC1})


def refuse_recompression(layout: PixelLayout) -> str | None:
    """None if frames of ``layout`` (8-bit JPEG) can be recompressed, else why."""
    if layout.bits_allocated != 8 or layout.bits_stored != 8 or layout.is_signed:
        return (
            "JPEG recompression takes 8-bit unsigned JPEG Baseline frames, not "
            f"Bits Allocated {layout.bits_allocated}, Bits Stored "
            f"{layout.bits_stored}"
        )
    return None


def recompress_jpeg(src: bytes | memoryview, layout: PixelLayout) -> bytes:
    """One JPEG Baseline frame as JPEG XL with its JPEG reconstruction data
    (transfer syntax 1.2.840.10008.1.2.4.111).

    The JPEG's coefficients are kept, not decoded: libjxl codes them again
    losslessly and can give back the original JPEG byte for byte, which is
    checked here before the result is returned.
    """
    reason = refuse_recompression(layout)
    if reason is not None:
        raise CodecError(reason)
    data = as_bytes(src)
    header = jpeg_header(data)
    if header.sof_marker not in _RECOMPRESSIBLE or header.precision != 8:
        raise CodecError(
            "JPEG recompression takes 8-bit Huffman-coded sequential JPEG "
            f"(SOF0 or SOF1), not SOF marker FF{header.sof_marker:02X} at "
            f"{header.precision} bits"
        )
    check_frame(layout, header.rows, header.columns, header.components, "JPEG stream")
    if not header.has_eoi:
        raise CodecError("the JPEG stream has no EOI marker after its scan (truncated)")
    # DICOM fragments are padded to an even length; the JPEG ends at EOI.
    jpeg = bytes(data).rstrip(b"\x00")
    codecs = imagecodecs()
    with library_errors("libjxl"):
        recompressed = bytes(codecs.jpegxl_encode_jpeg(jpeg))
        rebuilt = bytes(codecs.jpegxl_decode_jpeg(recompressed))
    if rebuilt != jpeg:
        raise CodecError(
            "libjxl cannot rebuild this JPEG byte for byte from its recompression"
        )
    return recompressed
