"""Toy codec plugins for the tests: XOR with a fixed key behind a small header,
and a lossy one (LSY1) with a transcoder (RCP1) further down.

The private transfer syntax below is a UUID-derived UID made for these tests;
no real data uses it, so the bundled codecs never claim it.

Encoded frame: b"XOR1", the payload length (uint32 little endian), then the
native little endian frame bytes (1-bit frames packed, first pixel in the
least significant bit) XOR 0x5A.
"""

from __future__ import annotations

import types
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import (
    DecodedFrame,
    Decoder,
    Encoder,
    PixelLayout,
    convert_color_space,
    hookimpl,
)
from dicomcore.pixels.steps import ybr_full_to_rgb
from dicomcore.uid import register_transfer_syntax

TOY_TRANSFER_SYNTAX = "2.25.15564560078410808776245189661172686347"
MAGIC = b"XOR1"
KEY = 0x5A
HEADER_LENGTH = 8


def encode(frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]) -> bytes:
    if layout.bits_allocated == 1:
        data = np.packbits(frame.ravel(), bitorder="little").tobytes()
    else:
        data = np.ascontiguousarray(frame, frame.dtype.newbyteorder("<")).tobytes()
    payload = (np.frombuffer(data, np.uint8) ^ KEY).tobytes()
    return MAGIC + len(payload).to_bytes(4, "little") + payload


def decode(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    header = bytes(src[:HEADER_LENGTH])
    if len(header) < HEADER_LENGTH or header[:4] != MAGIC:
        raise CodecError("not an XOR frame: the header is missing")
    length = int.from_bytes(header[4:], "little")
    if length != layout.frame_length or len(src) - HEADER_LENGTH != length:
        raise CodecError(
            f"XOR payload holds {len(src) - HEADER_LENGTH} bytes; header says "
            f"{length}, layout needs {layout.frame_length}"
        )
    data = np.frombuffer(src, np.uint8, offset=HEADER_LENGTH) ^ KEY
    if layout.bits_allocated == 1:
        return data  # packed bits; the framework accepts them for 1-bit layouts
    little = data.view(layout.dtype.newbyteorder("<"))
    return little.astype(layout.dtype).reshape(layout.frame_shape)


def encoder_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    if layout.bits_allocated == 64 and not layout.is_float:
        return "64-bit integers are not supported"
    return None


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(name="xor", transfer_syntaxes={TOY_TRANSFER_SYNTAX}, decode=decode)


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    yield Encoder(
        name="xor",
        transfer_syntax=TOY_TRANSFER_SYNTAX,
        encode=encode,
        lossy=False,
        supports=encoder_supports,
    )


def make_plugin(
    module_name: str,
    decoders: Iterable[Decoder] | None = None,
    encoders: Iterable[Encoder] | None = None,
) -> types.ModuleType:
    """A plugin module holding the given records (a hook only for what is given)."""
    module = types.ModuleType(module_name)
    if decoders is not None:
        decoder_list = list(decoders)

        @hookimpl
        def dicomcore_decoders() -> Iterator[Decoder]:
            yield from decoder_list

        module.dicomcore_decoders = dicomcore_decoders  # type: ignore[attr-defined]
    if encoders is not None:
        encoder_list = list(encoders)

        @hookimpl
        def dicomcore_encoders() -> Iterator[Encoder]:
            yield from encoder_list

        module.dicomcore_encoders = dicomcore_encoders  # type: ignore[attr-defined]
    return module


def decoder(name: str, priority: int = 50, **fields: Any) -> Decoder:
    """A decoder record for the toy transfer syntax, using the toy decode."""
    fields.setdefault("decode", decode)
    fields.setdefault("transfer_syntaxes", {TOY_TRANSFER_SYNTAX})
    return Decoder(name=name, priority=priority, **fields)


def encoder(name: str, priority: int = 50, **fields: Any) -> Encoder:
    """A lossless encoder record for the toy transfer syntax, using the toy encode."""
    fields.setdefault("encode", encode)
    fields.setdefault("transfer_syntax", TOY_TRANSFER_SYNTAX)
    fields.setdefault("lossy", False)
    return Encoder(name=name, priority=priority, **fields)


# -- a toy lossy codec, for the colour and tolerance checks of the kit ----------
#
# Encoded frame: b"LSY1", one byte `shift`, then every sample shifted right by
# `shift` bits (container dtype, little endian).  RGB frames are turned into
# YBR_FULL first, as JPEG does.  Decoding shifts back and adds half a step.
# Two decoders read it: one hands back YBR_FULL, the other converts to RGB, as
# real JPEG decoders differ.  The transfer syntax is a UUID-derived private UID.

TOY_LOSSY = str(
    register_transfer_syntax(
        "2.25.233417096398432614315327453398741402113",
        implicit_vr=False,
        little_endian=True,
        encapsulated=True,
        lossy=True,
    )
)
#: Toy "recompression": a LSY1 codestream deflated whole, reconstructable
#: byte for byte (the shape of JPEG to JPEG XL JPEG Recompression).
TOY_RECOMPRESSED = str(
    register_transfer_syntax(
        "2.25.87040582329497604209734355512693468171",
        implicit_vr=False,
        little_endian=True,
        encapsulated=True,
    )
)
LOSSY_MAGIC = b"LSY1"
RECOMPRESSED_MAGIC = b"RCP1"
LOSSY_OPTIONS = ("shift",)
LOSSY_METHOD = "TOY_LSY1"
_COLOUR = ("RGB", "YBR_FULL")
_GREY = ("MONOCHROME1", "MONOCHROME2")


def lossy_layout_refusal(layout: PixelLayout) -> str | None:
    if layout.is_float or layout.is_signed or layout.bits_allocated not in (8, 16):
        return "only unsigned 8 and 16-bit integers"
    allowed = _COLOUR if layout.samples_per_pixel == 3 else _GREY
    if layout.photometric_interpretation not in allowed:
        return f"{layout.photometric_interpretation} is not one of {allowed}"
    return None


def lossy_supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
    # Unknown options are refused with the accepted names, never ignored.
    unknown = sorted(set(options) - set(LOSSY_OPTIONS))
    if unknown:
        return f"unknown option(s) {', '.join(unknown)}; accepted: shift"
    if options.get("shift", 2) not in range(5):
        return "shift must be 0 to 4"
    return lossy_layout_refusal(layout)


def lossy_photometric_after(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    return (
        "YBR_FULL"
        if layout.samples_per_pixel == 3
        else (layout.photometric_interpretation)
    )


def lossy_encode(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    shift = int(options.get("shift", 2))
    if layout.photometric_interpretation == "RGB":
        frame = convert_color_space(
            frame, "RGB", "YBR_FULL", bits_stored=layout.bits_stored
        )
    little = np.ascontiguousarray(frame >> shift, frame.dtype.newbyteorder("<"))
    return LOSSY_MAGIC + bytes([shift]) + little.tobytes()


def _lossy_samples(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    if bytes(src[:4]) != LOSSY_MAGIC or len(src) < 5:
        raise CodecError("not a LSY1 frame: the header is missing")
    shift = src[4]
    expected = layout.pixels_per_frame * layout.samples_per_pixel
    expected *= layout.dtype.itemsize
    # An encapsulated fragment is padded to an even length: one byte more.
    if shift > 4 or len(src) - 5 not in (expected, expected + 1):
        raise CodecError(
            f"LSY1 frame: shift {shift}, {len(src) - 5} bytes of samples; "
            f"the layout needs {expected}"
        )
    shifted = np.frombuffer(
        src,
        layout.dtype.newbyteorder("<"),
        count=expected // layout.dtype.itemsize,
        offset=5,
    )
    values = shifted.astype(layout.dtype) << shift
    if shift:
        values += 1 << (shift - 1)  # the middle of the step
    return values.reshape(layout.frame_shape)


def lossy_decode_ybr(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """The samples as stored: YBR_FULL for colour."""
    return DecodedFrame(_lossy_samples(src, layout), layout.photometric_interpretation)


def lossy_decode_rgb(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    """Colour turned into RGB by the decoder itself."""
    samples = _lossy_samples(src, layout)
    if layout.samples_per_pixel != 3:
        return DecodedFrame(samples, layout.photometric_interpretation)
    return DecodedFrame(ybr_full_to_rgb(samples, layout.bits_stored), "RGB")


def lossy_decoder_supports(layout: PixelLayout) -> str | None:
    if layout.photometric_interpretation == "RGB":
        return "LSY1 holds colour as YBR_FULL"
    return lossy_layout_refusal(layout)


def lossy_encoder(**fields: Any) -> Encoder:
    fields.setdefault("name", "toy-lossy")
    return Encoder(
        transfer_syntax=TOY_LOSSY,
        encode=lossy_encode,
        lossy=True,
        supports=lossy_supports,
        photometric_after=lossy_photometric_after,
        lossy_method=LOSSY_METHOD,
        **fields,
    )


def lossy_decoder(name: str, decode: Any, **fields: Any) -> Decoder:
    return Decoder(
        name=name,
        transfer_syntaxes={TOY_LOSSY},
        decode=decode,
        supports=lossy_decoder_supports,
        **fields,
    )


#: A plugin whose decoder returns YBR_FULL, and one whose decoder returns RGB.
lossy_ybr_plugin = make_plugin(
    "toy_lossy_ybr",
    [lossy_decoder("toy-lossy-ybr", lossy_decode_ybr)],
    [lossy_encoder()],
)
lossy_rgb_plugin = make_plugin(
    "toy_lossy_rgb",
    [lossy_decoder("toy-lossy-rgb", lossy_decode_rgb)],
    [lossy_encoder()],
)


def recompress(
    src: bytes | memoryview, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """LSY1 codestream -> RCP1, without decoding it."""
    if bytes(src[:4]) != LOSSY_MAGIC:
        raise CodecError("only LSY1 codestreams are recompressed")
    return RECOMPRESSED_MAGIC + zlib.compress(bytes(src), 9)


def recompressed_to_lossy(src: bytes | memoryview, layout: PixelLayout) -> bytes:
    """RCP1 back to the LSY1 codestream it was made from, byte for byte."""
    if bytes(src[:4]) != RECOMPRESSED_MAGIC:
        raise CodecError("not a RCP1 frame")
    limit = 5 + layout.frame_length * 2  # LSY1 frames are never larger
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(bytes(src[4:]), limit)
    except zlib.error as exc:
        raise CodecError(f"RCP1 frame: {exc}") from None
    if not inflater.eof:
        raise CodecError("RCP1 frame: the stream is truncated or too long")
    return data


def recompressed_decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    return lossy_decode_ybr(recompressed_to_lossy(src, layout), layout)


def recompress_encoder(**fields: Any) -> Encoder:
    """Transcodes LSY1 to RCP1; encodes no pixels."""
    fields.setdefault("name", "toy-recompress")
    return Encoder(
        transfer_syntax=TOY_RECOMPRESSED,
        lossy=False,
        transcodes_from={TOY_LOSSY},
        transcode=recompress,
        **fields,
    )


def recompress_from_pixels(
    frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
) -> bytes:
    """The decode-and-encode way to RCP1: a new LSY1 stream, shift 3."""
    lossy = lossy_encode(frame, layout, {"shift": 3})
    return RECOMPRESSED_MAGIC + zlib.compress(lossy, 9)


recompress_plugin = make_plugin(
    "toy_recompress",
    [
        Decoder(
            name="toy-recompressed",
            transfer_syntaxes={TOY_RECOMPRESSED},
            decode=recompressed_decode,
            supports=lossy_decoder_supports,
        ),
    ],
    [
        recompress_encoder(),
        # Higher priority, yet only used when transcoding cannot be.
        Encoder(
            name="toy-recompress-pixels",
            transfer_syntax=TOY_RECOMPRESSED,
            encode=recompress_from_pixels,
            lossy=True,
            supports=lossy_supports,
            photometric_after=lossy_photometric_after,
            priority=90,
        ),
    ],
)
