"""A fake third-party codec plugin (entry point "fake-xor").

It decodes the tests' toy XOR transfer syntax like the "xor" decoder of the
fake bundled package, at a higher priority, and says so by returning a
DecodedFrame with ``bits_stored_applied=True`` (the bundled one returns a bare
array), so a test can tell which decoder ran.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import DecodedFrame, Decoder, PixelLayout, hookimpl

TOY_TRANSFER_SYNTAX = "2.25.15564560078410808776245189661172686347"


def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
    if bytes(src[:4]) != b"XOR1":
        raise CodecError("fake-xor-fast: not an XOR frame")
    data = np.frombuffer(src, np.uint8, offset=8) ^ 0x5A
    array = data.view(layout.dtype.newbyteorder("<")).astype(layout.dtype)
    return DecodedFrame(
        array.reshape(layout.frame_shape),
        layout.photometric_interpretation,
        bits_stored_applied=True,
    )


@hookimpl
def dicomcore_decoders() -> Iterator[Decoder]:
    yield Decoder(
        name="fake-xor-fast",
        transfer_syntaxes={TOY_TRANSFER_SYNTAX},
        decode=decode,
        priority=80,
    )
