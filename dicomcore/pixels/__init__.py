"""Pixel data: layouts, the codec plugin hooks and the codec registry.

Codecs are plugins (see ``docs/plugins.md``)::

    from dicomcore import hookimpl
    from dicomcore.pixels import Decoder, PixelLayout, decode_frame

Importing this package builds nothing: the plugin registry is built on first
use.
"""

from __future__ import annotations

from dicomcore.pixels._records import DecodedFrame, Decoder, Encoder
from dicomcore.pixels.hookspecs import hookimpl, hookspec
from dicomcore.pixels.layout import PixelLayout
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
    codec_table,
    decode_frame,
    decoders_for,
    encode_frame,
    encoders_for,
    format_codec_table,
    get_plugin_manager,
    register_plugin,
    reset_registry,
)

__all__ = [
    "BrokenPlugin",
    "CodecRow",
    "CodecTable",
    "DecodeFailedError",
    "DecodedFrame",
    "Decoder",
    "Encoder",
    "PixelLayout",
    "PluginError",
    "PluginLoadWarning",
    "broken_plugins",
    "choose_decoders",
    "choose_encoder",
    "codec_table",
    "decode_frame",
    "decoders_for",
    "encode_frame",
    "encoders_for",
    "format_codec_table",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "register_plugin",
    "reset_registry",
]
