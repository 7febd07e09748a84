"""Characters <-> bytes for string VRs.

Only the default character repertoire is handled here so far: text is decoded
as ISO 8859-1, which maps every byte to a character, so decoding never fails.
``encodings`` is a list of Python codec names (the form Specific Character Set
(0008,0005) will be translated into); for now its first entry is used for the
whole value. Code extensions (ISO 2022 escape sequences) belong to the
character set work and will replace these two functions, not their callers.
"""

from __future__ import annotations

from collections.abc import Sequence

from dicomcore.values._modes import report

__all__ = ["DEFAULT_ENCODING", "decode_text", "encode_text"]

#: Python codec for the default character repertoire (ISO-IR 6 as a subset of
#: ISO 8859-1, so that bytes from non-conformant files still decode).
DEFAULT_ENCODING = "iso8859"
# The same codec under the name CPython decodes without a codec lookup.
_FAST_DEFAULT = "latin_1"


def _codec(encodings: Sequence[str] | str | None) -> str:
    if not encodings:
        return _FAST_DEFAULT
    if isinstance(encodings, str):
        return encodings
    return encodings[0]


def decode_text(
    raw: bytes | bytearray | memoryview, encodings: Sequence[str] | str | None = None
) -> str:
    """Decode an element value's bytes to text; undecodable bytes become U+FFFD."""
    return str(raw, _codec(encodings), "replace")


def encode_text(
    text: str,
    encodings: Sequence[str] | str | None = None,
    *,
    vr: str = "",
    mode: int,
) -> bytes:
    """Encode text for an element value.

    A character the character set cannot hold is a validation problem
    reported per ``mode``; when not raised it is written as ``?``.
    """
    codec = _codec(encodings)
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        report(
            f"Invalid value for VR {vr}: {text!r} has character "
            f"{exc.object[exc.start : exc.end]!r}, which the character set "
            f"('{codec}') cannot encode",
            mode,
        )
        return text.encode(codec, "replace")
