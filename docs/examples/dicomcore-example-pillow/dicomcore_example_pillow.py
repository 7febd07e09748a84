"""A dicomcore codec plugin that wraps another library: JPEG Baseline through Pillow.

JPEG Baseline (Process 1), transfer syntax 1.2.840.10008.1.2.4.50: 8-bit
samples, greyscale or colour.  Pillow (``pip install pillow``) does the JPEG
work; this module only translates between dicomcore's records and Pillow's
calls, which is all a wrapping plugin has to do:

- ``missing()`` names the package to install, without importing it, and
  ``missing_capability()`` tells an installed Pillow built without libjpeg;
- Pillow is imported inside ``decode`` and ``encode``, so that dicomcore's
  start-up never pays for it;
- ``supports`` refuses what the format cannot hold, and encoding options it
  does not know, naming the ones it accepts;
- every failure of the library on bad data becomes a ``CodecError``.

Decoding hands back what Pillow gives: RGB for colour (Pillow converts from
YCbCr and upsamples 4:2:2 itself), which dicomcore accepts as it accepts
YBR_FULL.  Encoding takes RGB or YBR_FULL frames and writes YBR_FULL_422
(chroma subsampled 2:1 horizontally, what DICOM calls it) or, with
``subsampling="4:4:4"``, YBR_FULL.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from importlib.util import find_spec
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, Encoder, PixelLayout

__all__ = ["JPEG_BASELINE", "decode", "encode"]

JPEG_BASELINE: Final = "1.2.840.10008.1.2.4.50"
#: The encoding options and their defaults; anything else is refused.
OPTIONS: Final = {"quality": 90, "subsampling": "4:2:2"}
# Pillow's names for the chroma subsampling, and what DICOM calls the result.
_SUBSAMPLING: Final = {"4:2:2": (1, "YBR_FULL_422"), "4:4:4": (0, "YBR_FULL")}
_COLOUR_INPUT: Final = {"RGB": "RGB", "YBR_FULL": "YCbCr"}


def missing() -> list[str]:
    return [] if find_spec("PIL") else ["pillow"]


def missing_capability() -> str | None:
    from PIL import features

    return None if features.check("jpg") else "Pillow was built without libjpeg"


def supports(layout: PixelLayout) -> str | None:
    if layout.bits_allocated != 8 or layout.bits_stored != 8 or layout.is_signed:
        return "JPEG Baseline holds unsigned 8-bit samples only"
    if layout.samples_per_pixel not in (1, 3):
        return "JPEG Baseline through Pillow: 1 or 3 samples per pixel"
    return None


def encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        return (
            f"unknown option(s) {', '.join(unknown)}; pillow-jpeg accepts "
            f"{', '.join(OPTIONS)}"
        )
    quality = options.get("quality", OPTIONS["quality"])
    if isinstance(quality, bool) or quality not in range(1, 96):
        return f"quality must be 1 to 95, got {quality!r}"
    if options.get("subsampling", OPTIONS["subsampling"]) not in _SUBSAMPLING:
        return f"subsampling must be one of {', '.join(_SUBSAMPLING)}"
    photometric = layout.photometric_interpretation
    if layout.samples_per_pixel == 3 and photometric not in _COLOUR_INPUT:
        return f"colour must be RGB or YBR_FULL, not {photometric}"
    if layout.samples_per_pixel == 1 and photometric != "MONOCHROME2":
        return f"greyscale must be MONOCHROME2, not {photometric}"
    return supports(layout)


def photometric_after(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    if layout.samples_per_pixel == 1:
        return "MONOCHROME2"
    return _SUBSAMPLING[options.get("subsampling", OPTIONS["subsampling"])][1]


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(src), formats=["JPEG"])
        # Check the size before decoding: a damaged header must not make
        # Pillow allocate more than the frame.
        if image.size != (layout.columns, layout.rows):
            raise CodecError(
                f"the JPEG stream is {image.size[0]}x{image.size[1]} (columns x "
                f"rows); the image is {layout.columns}x{layout.rows}"
            )
        image.load()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise CodecError(f"Pillow cannot decode the JPEG stream: {exc}") from None
    expected_mode = "L" if layout.samples_per_pixel == 1 else "RGB"
    if image.mode != expected_mode:
        raise CodecError(f"the JPEG stream holds {image.mode}, not {expected_mode}")
    array = np.asarray(image)
    photometric = "RGB" if layout.samples_per_pixel == 3 else "MONOCHROME2"
    return DecodedFrame(array, photometric)


def encode(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    from PIL import Image

    settings = {**OPTIONS, **options}
    mode = "L"
    if layout.samples_per_pixel == 3:
        mode = _COLOUR_INPUT[layout.photometric_interpretation]
    image = Image.fromarray(np.ascontiguousarray(frame), mode)
    output = io.BytesIO()
    image.save(
        output,
        "JPEG",
        quality=settings["quality"],
        subsampling=_SUBSAMPLING[settings["subsampling"]][0],
    )
    return output.getvalue()


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="pillow-jpeg",
        transfer_syntaxes={JPEG_BASELINE},
        decode=decode,
        supports=supports,
        missing=missing,
        missing_capability=missing_capability,
        priority=40,  # below dicomcore's own JPEG decoders unless a user says
    )


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="pillow-jpeg",
        transfer_syntax=JPEG_BASELINE,
        encode=encode,
        lossy=True,
        supports=encoder_supports,
        photometric_after=photometric_after,
        missing=missing,
        missing_capability=missing_capability,
    )
