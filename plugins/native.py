"""The bundled ``native`` plugin: uncompressed Pixel Data (PS3.5 8.1.1, A.1-A.3).

Decodes Implicit VR Little Endian, Explicit VR Little Endian, Deflated
Explicit VR Little Endian (the data set is deflated; once the reader has
inflated it, Pixel Data is native) and the retired Explicit VR Big Endian;
encodes frames into each of them.  Bits Allocated 1 (packed, least
significant bit first), 8, 16, 32 and 64; signed and unsigned; Planar
Configuration 0 and 1; YBR_FULL_422's subsampled native form.

Little endian frames decode to views of their bytes: no copy.  Float and
Double Float Pixel Data belong to the ``float`` plugin.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout
from dicomcore.pixels.steps import (
    downsample_ybr_422,
    interleave_planes,
    native_bytes,
    native_samples,
    pack_bits,
    planes_from_interleaved,
    swap_unit,
    upsample_ybr_422,
)

IMPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2"
EXPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2.1"
DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2.1.99"
EXPLICIT_VR_BIG_ENDIAN: Final = "1.2.840.10008.1.2.2"

#: Encoder name -> the transfer syntax it writes frames for.
ENCODERS: Final = {
    "native": EXPLICIT_VR_LITTLE_ENDIAN,
    "native-implicit": IMPLICIT_VR_LITTLE_ENDIAN,
    "native-deflated": DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
    "native-big-endian": EXPLICIT_VR_BIG_ENDIAN,
}


def supports(layout: PixelLayout) -> str | None:
    """None for any integer layout; float pixels are the ``float`` plugin's."""
    if layout.is_float:
        return f"{layout.pixel_keyword} is decoded by the 'float' plugin"
    if (
        layout.photometric_interpretation == "YBR_FULL_422"
        and layout.samples_per_pixel == 3
        and layout.pixels_per_frame % 2
    ):
        return "native YBR_FULL_422 needs an even number of pixels per frame"
    return None


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """One native frame, a view of ``src`` where the byte order allows."""
    refusal = supports(layout)
    if refusal is not None:
        raise CodecError(refusal)
    length = memoryview(src).nbytes
    if length != layout.frame_length:
        raise CodecError(
            f"a native frame of {layout.rows}x{layout.columns}x"
            f"{layout.samples_per_pixel} at {layout.bits_allocated} bits "
            f"allocated is {layout.frame_length} bytes, got {length}"
        )
    photometric = layout.photometric_interpretation
    if layout.bits_allocated == 1:
        # packed bits: the pipeline unpacks them
        return DecodedFrame(np.frombuffer(src, np.uint8), photometric, True)
    unit = swap_unit(layout)
    if length % unit:
        raise CodecError(
            f"big endian {layout.pixel_vr or 'OW'} data is swapped in {unit}-byte "
            f"words but the frame is {length} bytes"
        )
    samples = native_samples(src, layout)
    if photometric == "YBR_FULL_422" and layout.samples_per_pixel == 3:
        frame = upsample_ybr_422(samples, layout)
        photometric = "YBR_FULL"
    elif layout.samples_per_pixel > 1 and layout.planar_configuration == 1:
        frame = interleave_planes(samples, layout)
    else:
        frame = samples.reshape(layout.frame_shape)
    applied = layout.bits_stored == layout.dtype.itemsize * 8
    return DecodedFrame(frame, photometric, applied)


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
    """One frame's native bytes (no padding: the pipeline pads the value)."""
    if layout.bits_allocated == 1:
        return pack_bits(frame, pad=False)
    samples = np.asarray(frame, layout.dtype)
    if (
        layout.photometric_interpretation == "YBR_FULL_422"
        and layout.samples_per_pixel == 3
    ):
        samples = downsample_ybr_422(samples)
    elif layout.samples_per_pixel > 1 and layout.planar_configuration == 1:
        samples = planes_from_interleaved(samples)
    return native_bytes(samples, layout, transfer_syntax)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="native",
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
