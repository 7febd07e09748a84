"""pydicom's ``pixels.encoders`` path: :func:`get_encoder` over dicomcore's codecs."""

from __future__ import annotations

from dicomcore.pixels.encoders.base import Encoder, get_encoder

__all__ = ["Encoder", "get_encoder"]
