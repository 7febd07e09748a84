"""Pixel data: arrays from datasets and files, layouts, codec plugins and registry.

Arrays, in pydicom 3's shape::

    from dicomcore.pixels import iter_pixels, pixel_array, set_pixel_data

    arr = pixel_array("ct.dcm")
    frame = pixel_array("cine.dcm", index=250)
    set_pixel_data(ds, arr, "MONOCHROME2", 12)

Codecs are plugins (see ``docs/plugins.md``)::

    from dicomcore import hookimpl
    from dicomcore.pixels import Decoder, PixelLayout, decode_frame

Importing this package builds nothing: the plugin registry is built on first
use.
"""

from __future__ import annotations

from dicomcore.pixels._records import DecodedFrame, Decoder, Encoder
from dicomcore.pixels.api import iter_pixels, pixel_array
from dicomcore.pixels.compress import compress, decompress
from dicomcore.pixels.hookspecs import hookimpl, hookspec
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.lut import LookupTable, ProcessingError
from dicomcore.pixels.overlay import get_overlay_array
from dicomcore.pixels.palettes import MissingPaletteError, apply_color_lut
from dicomcore.pixels.processing import (
    apply_modality_lut,
    apply_presentation_lut,
    apply_rescale,
    apply_voi,
    apply_voi_lut,
    apply_windowing,
)
from dicomcore.pixels.registry import (
    BrokenPlugin,
    CodecRow,
    CodecTable,
    DecodeFailedError,
    PluginError,
    PluginLoadWarning,
    broken_plugins,
    choose_decoders,
    choose_encoder,
    choose_transcoder,
    codec_table,
    decode_frame,
    decoders_for,
    encode_frame,
    encoders_for,
    format_codec_table,
    get_plugin_manager,
    plugin_priorities,
    register_plugin,
    reset_registry,
    transcode_frame,
)
from dicomcore.pixels.steps import (
    apply_bits_stored,
    convert_color_space,
    pack_bits,
    unpack_bits,
)
from dicomcore.pixels.store import set_pixel_data
from dicomcore.pixels.transcode import Transcoded, transcode
from dicomcore.pixels.utils import as_pixel_options

__all__ = [
    "BrokenPlugin",
    "CodecRow",
    "CodecTable",
    "DecodeFailedError",
    "DecodedFrame",
    "Decoder",
    "Encoder",
    "LookupTable",
    "MissingPaletteError",
    "PixelLayout",
    "PluginError",
    "PluginLoadWarning",
    "ProcessingError",
    "Transcoded",
    "apply_bits_stored",
    "apply_color_lut",
    "apply_modality_lut",
    "apply_presentation_lut",
    "apply_rescale",
    "apply_voi",
    "apply_voi_lut",
    "apply_windowing",
    "as_pixel_options",
    "broken_plugins",
    "choose_decoders",
    "choose_encoder",
    "choose_transcoder",
    "codec_table",
    "compress",
    "convert_color_space",
    "decode_frame",
    "decompress",
    "decoders_for",
    "encode_frame",
    "encoders_for",
    "format_codec_table",
    "get_overlay_array",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "iter_pixels",
    "pack_bits",
    "pixel_array",
    "plugin_priorities",
    "register_plugin",
    "reset_registry",
    "set_pixel_data",
    "transcode",
    "transcode_frame",
    "unpack_bits",
]
