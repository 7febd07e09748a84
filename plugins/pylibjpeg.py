"""The optional ``pylibjpeg`` decoder: JPEG and JPEG-LS through libjpeg.

Decodes with Thomas Richter's libjpeg as packaged by pylibjpeg-libjpeg
(GPLv3; ``pip install "dicomcore[jpeg]"``):

- JPEG Baseline (1.2.840.10008.1.2.4.50) and Extended (.51), lossy, 8 and
  12 bits;
- JPEG Lossless (.57) and Lossless SV1 (.70), 2 to 16 bits;
- JPEG-LS Lossless (.80) and Near-Lossless (.81), 2 to 16 bits.

Colour: libjpeg is asked for no colour transform, so a frame comes back
holding what its codestream holds, and the returned DecodedFrame says which:
YCbCr (``YBR_FULL``, upsampled to full resolution when the stream is 4:2:2)
or RGB.  The pipeline converts to RGB only when asked to, once.  For lossy
JPEG the stream's own markers decide (JFIF or an Adobe APP14 transform of 1
mean YCbCr, component identifiers R G B mean RGB), since writers that label
YCbCr data RGB are common; otherwise the dataset's label stands.

Signed pixels: JPEG has no sign, so the codestream holds the two's complement
bit pattern, at a precision that may exceed Bits Stored (DCMTK writes 12-bit
data at precision 16).  The decoder sign-extends from Bits Stored (unsigned
pixels: masks to it) and says so with ``bits_stored_applied=True``.

A stream without an EOI marker after its scan is refused: libjpeg decodes a
truncated stream without complaint, filling the missing rows with grey.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, PixelLayout

from ._codestreams import JpegHeader, check_frame, jpeg_header
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
    "EXTRA",
    "JPEG_LOSSY",
    "TRANSFER_SYNTAXES",
    "decode",
    "dicomcore_decoders",
    "missing",
    "supports",
]

EXTRA: Final = "jpeg"
JPEG_BASELINE: Final = "1.2.840.10008.1.2.4.50"
JPEG_EXTENDED: Final = "1.2.840.10008.1.2.4.51"
JPEG_LOSSLESS: Final = "1.2.840.10008.1.2.4.57"
JPEG_LOSSLESS_SV1: Final = "1.2.840.10008.1.2.4.70"
JPEG_LS_LOSSLESS: Final = "1.2.840.10008.1.2.4.80"
JPEG_LS_NEAR_LOSSLESS: Final = "1.2.840.10008.1.2.4.81"
JPEG_LOSSY: Final = frozenset({JPEG_BASELINE, JPEG_EXTENDED})
JPEG_LS: Final = frozenset({JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS})
TRANSFER_SYNTAXES: Final = frozenset(
    {JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1} | JPEG_LS
)

#: libjpeg's "no colour transform" (JPGFLAG_MATRIX_COLORTRANSFORMATION_NONE):
#: YCbCr comes back as YCbCr, whatever the markers say.
_NO_COLOUR_TRANSFORM: Final = 0
# Component identifiers 'R', 'G', 'B': Adobe's convention for RGB streams.
_RGB_IDS: Final = (0x52, 0x47, 0x42)

missing = missing_packages({"libjpeg": "pylibjpeg-libjpeg"})


def supports(layout: PixelLayout) -> str | None:
    """None if ``layout`` can be decoded, else the reason."""
    reason = refuse_common(layout)
    if reason is not None:
        return reason
    if layout.bits_allocated not in (8, 16):
        return (
            f"JPEG holds at most 16 bits per sample; Bits Allocated "
            f"{layout.bits_allocated} is not 8 or 16"
        )
    if layout.photometric_interpretation in SUBSAMPLED - {"YBR_FULL_422"}:
        return (
            f"{layout.photometric_interpretation} (limited range YCbCr) has no "
            "full-resolution photometric interpretation to decode to"
        )
    return None


def _photometric(header: JpegHeader, layout: PixelLayout) -> str:
    """What the decoded samples are, libjpeg having applied no transform."""
    if header.components == 1 or layout.transfer_syntax not in JPEG_LOSSY:
        # Lossless JPEG and JPEG-LS never carry a colour transform in DICOM
        # (PS3.5 8.2.1, 8.2.3): the samples are what the dataset says.
        return decoded_photometric(layout)
    if header.adobe_transform is not None:
        if header.adobe_transform == 1:
            return "YBR_FULL"
        return decoded_photometric(layout)
    if header.jfif:
        return "YBR_FULL"
    if header.component_ids == _RGB_IDS:
        return "RGB"
    return decoded_photometric(layout)


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one JPEG or JPEG-LS frame of ``layout``."""
    data = as_bytes(src)
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
        raise CodecError("the JPEG stream has no EOI marker after its scan (truncated)")
    libjpeg = load("libjpeg", "pylibjpeg-libjpeg", EXTRA, ("decode",))
    with library_errors("libjpeg"):
        decoded = libjpeg.decode(data, _NO_COLOUR_TRANSFORM)
    if decoded.shape != layout.frame_shape:
        raise CodecError(
            f"libjpeg returned shape {decoded.shape}, expected {layout.frame_shape}"
        )
    array = apply_bits_stored(
        decoded, layout, header.precision, signed_codestream=False
    )
    return DecodedFrame(array, _photometric(header, layout), bits_stored_applied=True)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="pylibjpeg",
        transfer_syntaxes=TRANSFER_SYNTAXES,
        decode=decode,
        supports=supports,
        missing=missing,
        extra=EXTRA,
    )
