"""Standard pixel layouts and test frames shared by every codec test."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

import numpy as np

from dicomcore.pixels.layout import PixelLayout

__all__ = ["EXPLICIT_VR_LITTLE_ENDIAN", "make_frame", "standard_layouts"]

EXPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2.1"


def _layout(**fields: Any) -> PixelLayout:
    return PixelLayout(transfer_syntax=EXPLICIT_VR_LITTLE_ENDIAN, **fields)


# Odd sizes on purpose: they catch codecs that assume even lengths, whole
# bytes of 1-bit pixels, or block-aligned dimensions.
_STANDARD: Final[dict[str, PixelLayout]] = {
    "u8": _layout(rows=5, columns=7),
    "u8-1x1": _layout(rows=1, columns=1),
    "u8-33x65": _layout(rows=33, columns=65),
    "u8-palette": _layout(
        rows=4, columns=3, photometric_interpretation="PALETTE COLOR"
    ),
    "u16-12bit": _layout(rows=4, columns=6, bits_allocated=16, bits_stored=12),
    "u16": _layout(rows=3, columns=5, bits_allocated=16, bits_stored=16),
    "s16-12bit": _layout(
        rows=4, columns=6, bits_allocated=16, bits_stored=12, pixel_representation=1
    ),
    "s16-monochrome1": _layout(
        rows=3,
        columns=4,
        photometric_interpretation="MONOCHROME1",
        bits_allocated=16,
        bits_stored=16,
        pixel_representation=1,
    ),
    "u16-3frames": _layout(
        rows=3, columns=4, bits_allocated=16, bits_stored=16, number_of_frames=3
    ),
    "u32": _layout(rows=3, columns=5, bits_allocated=32, bits_stored=32),
    "s32-24bit": _layout(
        rows=2, columns=3, bits_allocated=32, bits_stored=24, pixel_representation=1
    ),
    "u64": _layout(rows=2, columns=3, bits_allocated=64, bits_stored=64),
    "rgb8": _layout(
        rows=4, columns=5, samples_per_pixel=3, photometric_interpretation="RGB"
    ),
    "rgb8-planar": _layout(
        rows=4,
        columns=5,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        planar_configuration=1,
    ),
    "rgb16": _layout(
        rows=3,
        columns=2,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        bits_allocated=16,
        bits_stored=16,
    ),
    "ybr-full8": _layout(
        rows=4, columns=4, samples_per_pixel=3, photometric_interpretation="YBR_FULL"
    ),
    "1bit": _layout(rows=3, columns=5, bits_allocated=1, bits_stored=1),
    "float32": _layout(
        rows=3,
        columns=4,
        bits_allocated=32,
        bits_stored=32,
        pixel_keyword="FloatPixelData",
    ),
    "float64": _layout(
        rows=2,
        columns=3,
        bits_allocated=64,
        bits_stored=64,
        pixel_keyword="DoubleFloatPixelData",
    ),
}


def standard_layouts(transfer_syntax: str | None = None) -> dict[str, PixelLayout]:
    """The layouts every codec is tested on, by short name.

    They describe native (Explicit VR Little Endian) frames, or
    ``transfer_syntax`` frames when given.  A codec need not support them all:
    its ``supports`` says which, and the conformance suite holds it to that.
    """
    if transfer_syntax is None:
        return dict(_STANDARD)
    return {
        name: replace(layout, transfer_syntax=transfer_syntax)
        for name, layout in _STANDARD.items()
    }


def make_frame(layout: PixelLayout, seed: int = 0) -> np.ndarray:
    """A reproducible random frame of ``layout``, as a decoder returns one.

    Shape :attr:`PixelLayout.frame_shape`, dtype :attr:`PixelLayout.dtype`,
    values within Bits Stored (sign-extended when signed); 1-bit frames hold
    one 0/1 value per uint8.
    """
    rng = np.random.default_rng(seed)
    shape = layout.frame_shape
    dtype = layout.dtype
    if layout.is_float:
        return (rng.standard_normal(shape) * 1000).astype(dtype)
    if layout.is_signed:
        low, high = (
            -(1 << (layout.bits_stored - 1)),
            (1 << (layout.bits_stored - 1)) - 1,
        )
    else:
        low, high = 0, (1 << layout.bits_stored) - 1
    return rng.integers(low, high, size=shape, dtype=dtype, endpoint=True)
