"""The bundled ``rle`` plugin: RLE Lossless (1.2.840.10008.1.2.5) both ways.

PS3.5 Annex G: each frame is one fragment holding an RLE Header and up to 15
RLE Segments, one per byte of each sample, each a PackBits stream.  Bits
Allocated 8, 16, 32 and 64 (one sample; three samples stop at 32, since 3 x
8 segments would not fit the header), one or three samples, signed or not.

The decoder returns samples interleaved whatever the dataset's Planar
Configuration says (the segments define the layout) and leaves Bits Stored
masking and sign extension to the pipeline.  The encoder keeps the
Photometric Interpretation: RLE is lossless and transforms no colours.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout

from . import _rle_decoder, _rle_encoder
from ._rle_format import unsupported_reason

__all__ = [
    "RLE_LOSSLESS",
    "decode",
    "dicomcore_decoders",
    "dicomcore_encoders",
    "encode",
]

RLE_LOSSLESS: Final = "1.2.840.10008.1.2.5"
_NAME: Final = "rle"


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Decode one RLE Lossless frame (its fragment's bytes) of ``layout``."""
    reason = unsupported_reason(layout)
    if reason is not None:
        raise CodecError(reason, plugin=_NAME)
    try:
        array = _rle_decoder.decode_frame(src, layout)
    except CodecError as error:
        if error.plugin is not None:
            raise
        raise CodecError(str(error), plugin=_NAME) from None
    return DecodedFrame(
        array, layout.photometric_interpretation, bits_stored_applied=False
    )


def encode(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    """Encode one frame (rows, columns[, samples]) of ``layout``'s dtype."""
    reason = unsupported_reason(layout)
    if reason is not None:
        raise CodecError(reason, plugin=_NAME)
    return _rle_encoder.encode_frame(frame, layout)


def supports(layout: PixelLayout) -> str | None:
    return unsupported_reason(layout)


def encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    return unsupported_reason(layout)


def photometric_after(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    """RGB stays RGB, YBR_FULL stays YBR_FULL: RLE stores the samples as given."""
    return layout.photometric_interpretation


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name=_NAME,
        transfer_syntaxes={RLE_LOSSLESS},
        decode=decode,
        supports=supports,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name=_NAME,
        transfer_syntax=RLE_LOSSLESS,
        encode=encode,
        lossy=False,
        supports=encoder_supports,
        photometric_after=photometric_after,
    )
