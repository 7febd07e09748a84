"""``get_decoder(uid)``: pydicom's Decoder object, over dicomcore's codec registry.

Clients written for pydicom decode a frame they hold as bytes with::

    decoder = get_decoder(JPEG2000Lossless)
    array, properties = decoder.as_array(
        encapsulate([frame]), rows=512, columns=512, samples_per_pixel=1,
        bits_allocated=16, bits_stored=16, photometric_interpretation="MONOCHROME2",
        pixel_representation=0, number_of_frames=1,
    )

Here that runs dicomcore's own pipeline: the registry's decoders for the
transfer syntax, then the same post-steps as ``pixel_array`` (Bits Stored,
YBR to RGB unless ``raw`` or ``as_rgb=False``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import numpy as np

from dicomcore.pixels._adapter import CodecView, uid_name
from dicomcore.pixels._records import Decoder as DecoderRecord
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.pipeline import DecodeOptions, Pipeline
from dicomcore.pixels.registry import decoders_for

__all__ = ["Decoder", "get_decoder"]

# Keyword arguments that describe the pixels rather than ask for something.
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
        "extended_offsets",
    }
)
# The three elements that hold an image, by the pixel_keyword naming them.
_PIXEL_VR = {"PixelData": "OB", "FloatPixelData": "OF", "DoubleFloatPixelData": "OD"}


class Decoder(CodecView):
    """The decoders of one transfer syntax; see :func:`get_decoder`."""

    def _records(self) -> list[DecoderRecord]:
        return decoders_for(str(self.UID))

    def as_array(
        self,
        src: Any,
        *,
        index: int | None = None,
        validate: bool = True,
        raw: bool = False,
        decoding_plugin: str = "",
        as_rgb: bool = True,
        reshape: bool = True,
        **kwargs: Any,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """The pixels of ``src`` and the pixel properties they now have.

        ``src``: a dataset, or the pixel element's value (``bytes``, or a
        binary file positioned at its start) described by the keyword
        arguments (``rows``, ``columns``, ``samples_per_pixel``,
        ``bits_allocated``, ``bits_stored``, ``photometric_interpretation``,
        ``pixel_representation``, ``planar_configuration``,
        ``number_of_frames``, ``pixel_keyword``).  ``index``: one frame, else
        all.  The properties dict holds the description of the returned
        array (``photometric_interpretation`` is ``"RGB"`` after a YBR
        conversion); ``validate`` and ``reshape`` are accepted for pydicom's
        sake and change nothing (dicomcore always checks and shapes).
        """
        with self._pipeline(src, raw, decoding_plugin, as_rgb, kwargs) as pipeline:
            if index is None:
                array = pipeline.volume()
            else:
                array = pipeline.frame(index)
            return array, _properties(pipeline, index)

    def iter_array(
        self,
        src: Any,
        *,
        indices: Any = None,
        validate: bool = True,
        raw: bool = False,
        decoding_plugin: str = "",
        as_rgb: bool = True,
        **kwargs: Any,
    ) -> Iterator[tuple[np.ndarray, dict[str, Any]]]:
        """Each frame of ``src`` (or of ``indices``) with its properties."""
        with self._pipeline(src, raw, decoding_plugin, as_rgb, kwargs) as pipeline:
            for frame in pipeline.frames(indices):
                yield frame, _properties(pipeline, 0)

    def _pipeline(
        self,
        src: Any,
        raw: bool,
        decoding_plugin: str,
        as_rgb: bool,
        kwargs: dict[str, Any],
    ) -> Pipeline:
        requests = {k: v for k, v in kwargs.items() if k not in _DESCRIPTION}
        options = DecodeOptions.build(
            raw=raw,
            as_rgb=as_rgb,
            decoding_plugin=decoding_plugin or None,
            options=requests,
        )
        if hasattr(src, "PixelData") or hasattr(src, "FloatPixelData"):
            return Pipeline(src, options, PixelLayout.from_dataset(src, str(self.UID)))
        layout = PixelLayout.from_pixel_options(str(self.UID), **kwargs)
        return Pipeline(_holding(_value(src), layout), options, layout)


def _value(src: Any) -> bytes | bytearray | memoryview:
    if isinstance(src, (bytes, bytearray, memoryview)):
        return src
    if isinstance(src, io.IOBase) or hasattr(src, "read"):
        return src.read()
    raise TypeError(
        f"src must be a dataset, bytes or a binary file, not {type(src).__name__}"
    )


def _holding(value: bytes | bytearray | memoryview, layout: PixelLayout) -> Any:
    """A dataset holding only ``value`` as its pixel element: the pipeline's input."""
    from dicomcore.dataset import Dataset

    ds = Dataset()
    ds.add_new(layout.pixel_keyword, _PIXEL_VR[layout.pixel_keyword], bytes(value))
    return ds


def _properties(pipeline: Pipeline, index: int | None) -> dict[str, Any]:
    layout = pipeline.layout
    # What the returned array holds, in the same order pydicom reports it.
    options = pipeline.options
    photometric = layout.photometric_interpretation
    if (
        layout.samples_per_pixel == 3
        and not options.raw
        and options.as_rgb
        and photometric in ("YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT")
    ):
        photometric = "RGB"
    properties: dict[str, Any] = {
        "bits_allocated": layout.bits_allocated,
        "columns": layout.columns,
        "number_of_frames": layout.number_of_frames if index is None else 1,
        "photometric_interpretation": photometric,
        "rows": layout.rows,
        "samples_per_pixel": layout.samples_per_pixel,
    }
    if layout.samples_per_pixel > 1:
        properties["planar_configuration"] = 0
    properties["bits_stored"] = layout.bits_stored
    properties["pixel_representation"] = layout.pixel_representation
    return properties


def get_decoder(uid: str) -> Decoder:
    """The decoder object for transfer syntax ``uid``, as pydicom's.

    Raises NotImplementedError, with pydicom's message, when no registered
    plugin decodes ``uid`` at all; a decoder whose plugins are all missing
    packages is returned with ``is_available`` False.

    >>> get_decoder("1.2.840.10008.1.2.5").is_available
    True
    """
    decoder = Decoder(uid)
    if not decoder._records():
        raise NotImplementedError(
            f"No pixel data decoders have been implemented for '{uid_name(str(uid))}'"
        )
    return decoder
