"""A toy codec plugin for the tests: XOR with a fixed key, behind a small header.

The private transfer syntax below is a UUID-derived UID made for these tests;
no real data uses it, so the bundled codecs never claim it.

Encoded frame: b"XOR1", the payload length (uint32 little endian), then the
native little endian frame bytes (1-bit frames packed, first pixel in the
least significant bit) XOR 0x5A.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import Decoder, Encoder, PixelLayout, hookimpl

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
