"""``get_encoder(uid)``: pydicom's Encoder object, over dicomcore's codec registry.

Clients written for pydicom encode one frame with::

    encoder = get_encoder(RLELossless)
    frame_bytes = encoder.encode(
        array, rows=512, columns=512, samples_per_pixel=1, bits_allocated=16,
        bits_stored=12, photometric_interpretation="MONOCHROME2",
        pixel_representation=0, number_of_frames=1,
    )

Here that runs dicomcore's encoder choice (``encode_frame``) on the frame.
The keyword arguments that do not describe the pixels are the encoder's
options (``j2k_cr``, ``j2k_psnr``, ``jls_error``, ``use_mct``, ...).

pydicom's JPEG 2000 habit is kept: frames are given as RGB with Photometric
Interpretation ``YBR_RCT`` (lossless) or ``YBR_ICT`` (lossy), the colour
transform the encoder is to apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from dicomcore.pixels._adapter import CodecView, uid_name
from dicomcore.pixels._records import Encoder as EncoderRecord
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.registry import encode_frame, encoders_for
from dicomcore.pixels.steps import native_samples

__all__ = ["Encoder", "get_encoder"]

# Keyword arguments that describe the pixels; the rest are encoding options.
_DESCRIPTION = frozenset(
    {
        "rows",
        "columns",
        "samples_per_pixel",
        "bits_allocated",
        "bits_stored",
        "photometric_interpretation",
        "planar_configuration",
        "pixel_representation",
        "number_of_frames",
        "pixel_keyword",
    }
)
# Source data is native little endian whatever the target.
_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
# Colour transforms that JPEG 2000 applies to RGB input (PS3.5 8.2.4).
_JPEG2000_TRANSFORMS = frozenset({"YBR_RCT", "YBR_ICT"})


class Encoder(CodecView):
    """The encoders of one transfer syntax; see :func:`get_encoder`."""

    def _records(self) -> list[EncoderRecord]:
        return encoders_for(str(self.UID))

    def encode(
        self,
        src: Any,
        *,
        index: int | None = None,
        validate: bool = True,
        encoding_plugin: str = "",
        **kwargs: Any,
    ) -> bytes:
        """Frame ``index`` of ``src`` (default: the only frame), encoded.

        ``src``: an array, shape (rows, columns[, samples]) for one frame or
        (frames, rows, columns[, samples]); native little endian bytes; or a
        dataset (its own pixel module and Pixel Data).  Values must fit in
        Bits Stored.  ``validate`` is accepted for pydicom's sake: dicomcore
        always checks.
        """
        array, layout = self._frame(src, index, kwargs)
        options = {k: v for k, v in kwargs.items() if k not in _DESCRIPTION}
        layout, options = _colour_transform(layout, options)
        return encode_frame(
            array,
            layout,
            str(self.UID),
            options,
            index,
            encoding_plugin or None,
        )

    def iter_encode(
        self,
        src: Any,
        *,
        validate: bool = True,
        encoding_plugin: str = "",
        **kwargs: Any,
    ) -> Iterator[bytes]:
        """Each frame of ``src`` encoded, in order."""
        frames = _frame_count(src, kwargs)
        for index in range(frames):
            yield self.encode(
                src, index=index, encoding_plugin=encoding_plugin, **kwargs
            )

    def _frame(
        self, src: Any, index: int | None, kwargs: dict[str, Any]
    ) -> tuple[np.ndarray, PixelLayout]:
        if hasattr(src, "PixelData"):
            from dicomcore.pixels.api import pixel_array

            layout = PixelLayout.from_dataset(src)
            array = pixel_array(src, index=index or 0, raw=True)
            return _fitted(array, replace(layout, number_of_frames=1)), _single(layout)
        layout = PixelLayout.from_pixel_options(_EXPLICIT_VR_LITTLE_ENDIAN, **kwargs)
        if isinstance(src, (bytes, bytearray, memoryview)):
            if layout.bits_allocated == 1:
                raise ValueError("give 1-bit pixels as an array of 0 and 1, not bytes")
            array = native_samples(src, layout)
            shape = (layout.number_of_frames, *layout.frame_shape)
            if array.size != int(np.prod(shape)):
                raise ValueError(
                    f"{len(src)} bytes do not hold {layout.number_of_frames} "
                    f"frame(s) of {layout.frame_shape} {layout.dtype}"
                )
            src = array.reshape(shape)
        if not isinstance(src, np.ndarray):
            raise TypeError(
                f"src must be an array, bytes or a dataset, not {type(src).__name__}"
            )
        if src.shape != layout.frame_shape:
            if src.ndim != len(layout.frame_shape) + 1 or src.shape[1:] != (
                layout.frame_shape
            ):
                raise ValueError(
                    f"the array's shape {src.shape} does not match the frame "
                    f"shape {layout.frame_shape}"
                )
            if index is None:
                if src.shape[0] != 1:
                    raise ValueError("give index= to encode one frame of several")
                index = 0
            src = src[index]
        return _fitted(src, layout), _single(layout)


def _single(layout: PixelLayout) -> PixelLayout:
    return replace(
        layout,
        number_of_frames=1,
        planar_configuration=0,
        transfer_syntax=_EXPLICIT_VR_LITTLE_ENDIAN,
    )


def _frame_count(src: Any, kwargs: dict[str, Any]) -> int:
    if hasattr(src, "PixelData"):
        return PixelLayout.from_dataset(src).number_of_frames
    frames = kwargs.get("number_of_frames")
    return 1 if frames is None else int(frames)


def _fitted(array: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """``array`` in the layout's container type, its values checked to fit."""
    dtype = layout.dtype
    if array.dtype == np.bool_:
        array = array.view(np.uint8)
    if array.dtype.kind not in "ui":
        raise ValueError(f"cannot encode an array of dtype {array.dtype}")
    if array.dtype.itemsize > dtype.itemsize:
        raise ValueError(
            f"the array's dtype {array.dtype} is wider than Bits Allocated "
            f"{layout.bits_allocated}"
        )
    if array.size:
        bits = layout.bits_stored
        low, high = (
            (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
            if layout.is_signed
            else (0, (1 << bits) - 1)
        )
        if int(array.min()) < low or int(array.max()) > high:
            raise ValueError(
                f"the array's values [{array.min()}, {array.max()}] do not fit "
                f"in {bits} bits stored [{low}, {high}]"
            )
    return np.ascontiguousarray(array, dtype=dtype)


def _colour_transform(
    layout: PixelLayout, options: dict[str, Any]
) -> tuple[PixelLayout, dict[str, Any]]:
    """RGB frames with the transform JPEG 2000 is to apply, as dicomcore's
    encoders take them: RGB in, ``use_mct`` on."""
    if layout.photometric_interpretation in _JPEG2000_TRANSFORMS:
        layout = replace(layout, photometric_interpretation="RGB")
        options = {**options, "use_mct": True}
    return layout, options


def get_encoder(uid: str) -> Encoder:
    """The encoder object for transfer syntax ``uid``, as pydicom's.

    Raises NotImplementedError, with pydicom's message, when no registered
    plugin encodes ``uid`` at all.

    >>> get_encoder("1.2.840.10008.1.2.5").is_available
    True
    """
    encoder = Encoder(uid)
    if not encoder._records():
        raise NotImplementedError(
            f"No pixel data encoders have been implemented for '{uid_name(str(uid))}'"
        )
    return encoder
