"""A fake third-party plugin (entry point "fake-lossy") wrapping a library,
"libfake", that may be built without some of its codecs.

- decoder ``fake-lossy-ybr`` reads the tests' toy lossy format (LSY1, see
  tests/pixels/toy_codecs.py) and hands colour back as YBR_FULL;
- decoder ``fake-jxl`` claims JPEG XL, but this build of libfake has no JPEG
  XL: ``missing_capability`` says so;
- encoder ``fake-lossy`` writes LSY1 and names its Lossy Image Compression
  Method, a term dicomcore's own table does not hold.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout, hookimpl

TOY_LOSSY = "2.25.233417096398432614315327453398741402113"
JPEG_XL = "1.2.840.10008.1.2.4.112"
#: What the library reports about itself; a build without JPEG XL.
LIBFAKE_CODECS = frozenset({"lsy1"})


def lsy1_samples(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    """The samples of a LSY1 frame, shifted back to the middle of their step."""
    if bytes(src[:4]) != b"LSY1" or len(src) < 5 or src[4] > 4:
        raise CodecError("libfake: not a LSY1 frame")
    shift = src[4]
    dtype = layout.dtype.newbyteorder("<")
    count = layout.pixels_per_frame * layout.samples_per_pixel
    # one byte more: the padding of an odd-length fragment
    if len(src) - 5 - count * dtype.itemsize not in (0, 1):
        raise CodecError("libfake: the LSY1 frame does not fit the layout")
    values = np.frombuffer(src, dtype, count, offset=5).astype(layout.dtype) << shift
    if shift:
        values += 1 << (shift - 1)
    return values.reshape(layout.frame_shape)


def decode_ybr(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    return DecodedFrame(lsy1_samples(src, layout), layout.photometric_interpretation)


def encode(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    shifted = np.ascontiguousarray(frame >> 2, frame.dtype.newbyteorder("<"))
    return b"LSY1\x02" + shifted.tobytes()


def encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    if options:
        return f"unknown option(s) {', '.join(sorted(options))}; accepted: none"
    if layout.samples_per_pixel != 1 or layout.dtype.kind != "u":
        return "libfake encodes unsigned greyscale only"
    return None


def decode_jpeg_xl(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    raise CodecError("libfake was built without JPEG XL")


def jpeg_xl_capability() -> str | None:
    if "jpegxl" in LIBFAKE_CODECS:
        return None
    return "libfake 2.1 was built without JPEG XL; rebuild it with -DJPEGXL=ON"


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="fake-lossy-ybr", transfer_syntaxes={TOY_LOSSY}, decode=decode_ybr
    )
    yield Decoder(
        name="fake-jxl",
        transfer_syntaxes={JPEG_XL},
        decode=decode_jpeg_xl,
        missing_capability=jpeg_xl_capability,
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="fake-lossy",
        transfer_syntax=TOY_LOSSY,
        encode=encode,
        lossy=True,
        supports=encoder_supports,
        lossy_method="FAKE_LSY1",
    )
