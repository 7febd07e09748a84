"""pydicom's ``pixels.decoders`` path: :func:`get_decoder` over dicomcore's codecs."""

from __future__ import annotations

from dicomcore.pixels.decoders.base import Decoder, get_decoder

__all__ = ["Decoder", "get_decoder"]
