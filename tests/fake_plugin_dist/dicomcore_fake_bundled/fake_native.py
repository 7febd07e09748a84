"""A fake bundled plugin: an "xor" decoder for the tests' toy codec, priority 50.

It returns a bare array (the fake third-party one returns a DecodedFrame), so
a test can tell which decoder ran.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import Decoder, PixelLayout, hookimpl

TOY_TRANSFER_SYNTAX = "2.25.15564560078410808776245189661172686347"


def decode(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    if bytes(src[:4]) != b"XOR1":
        raise CodecError("xor: not an XOR frame")
    data = np.frombuffer(src, np.uint8, offset=8) ^ 0x5A
    array = data.view(layout.dtype.newbyteorder("<")).astype(layout.dtype)
    return array.reshape(layout.frame_shape)


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(name="xor", transfer_syntaxes={TOY_TRANSFER_SYNTAX}, decode=decode)
