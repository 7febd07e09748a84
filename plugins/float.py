"""The bundled ``float`` plugin: Float Pixel Data (OF) and Double Float Pixel Data (OD).

The Floating Point Image Pixel and Double Floating Point Image Pixel modules
(PS3.3 C.7.6.24, C.7.6.25) hold IEEE 754 binary32 or binary64 samples,
stored natively in any of the uncompressed transfer syntaxes.  Little
endian frames decode to views of their bytes; big endian ones (OF and OD
swapped in 4- and 8-byte units) to a swapped copy.  Integer Pixel Data
belongs to the ``native`` plugin.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout
from dicomcore.pixels.steps import native_bytes, native_samples

#: Encoder name -> the transfer syntax it writes frames for.
ENCODERS: Final = {
    "float": "1.2.840.10008.1.2.1",  # Explicit VR Little Endian
    "float-implicit": "1.2.840.10008.1.2",  # Implicit VR Little Endian
    "float-deflated": "1.2.840.10008.1.2.1.99",  # Deflated Explicit VR LE
    "float-big-endian": "1.2.840.10008.1.2.2",  # Explicit VR Big Endian
}


def supports(layout: PixelLayout) -> str | None:
    """None for Float and Double Float Pixel Data; integers are ``native``'s."""
    if not layout.is_float:
        return "integer Pixel Data is decoded by the 'native' plugin"
    return None


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """One frame of float samples, a view of ``src`` when little endian."""
    refusal = supports(layout)
    if refusal is not None:
        raise CodecError(refusal)
    length = memoryview(src).nbytes
    if length != layout.frame_length:
        raise CodecError(
            f"a {layout.pixel_keyword} frame of {layout.rows}x{layout.columns}x"
            f"{layout.samples_per_pixel} is {layout.frame_length} bytes, got {length}"
        )
    frame = native_samples(src, layout).reshape(layout.frame_shape)
    return DecodedFrame(frame, layout.photometric_interpretation, True)


def encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    refusal = supports(layout)
    return None if refusal is None else refusal.replace("decoded", "encoded")


def encode(
    frame: np.ndarray,
    layout: PixelLayout,
    options: Mapping[str, Any],
    *,
    transfer_syntax: str,
) -> bytes:
    """One frame's bytes in the target transfer syntax's byte order."""
    return native_bytes(np.asarray(frame, layout.dtype), layout, transfer_syntax)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="float",
        transfer_syntaxes=set(ENCODERS.values()),
        decode=decode,
        supports=supports,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    for name, transfer_syntax in ENCODERS.items():
        yield Encoder(
            name=name,
            transfer_syntax=transfer_syntax,
            encode=partial(encode, transfer_syntax=transfer_syntax),
            lossy=False,
            supports=encoder_supports,
        )
