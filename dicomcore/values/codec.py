"""``decode_value`` and ``encode_value``: one dispatch table per direction,
keyed by VR, because they run once per element read or written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from dicomcore.config import settings
from dicomcore.errors import DicomValueError
from dicomcore.values import binary, strings
from dicomcore.values.convert import empty_value_for_VR

__all__ = ["decode_value", "encode_value"]

_DECODERS: dict[str, Callable[..., Any]] = {**strings.DECODERS, **binary.DECODERS}
_ENCODERS: dict[str, Callable[..., bytes]] = {**strings.ENCODERS, **binary.ENCODERS}
# A VR the dictionary leaves open (PS3.6) decodes as the first choice, so that
# an element whose VR the data model could not resolve still reads.
_DECODERS.update(
    {
        "US or SS": binary.DECODERS["US"],
        "SS or US": binary.DECODERS["US"],
        "US or OW": binary.DECODERS["US"],
        "US or SS or OW": binary.DECODERS["US"],
        "OB or OW": binary.DECODERS["OB"],
    }
)
_EMPTY = {vr: empty_value_for_VR(vr) for vr in _DECODERS}
#: The decoder of each VR, called as ``decoder(raw, little_endian,
#: encodings)`` with non-empty ``raw``: what decode_value dispatches to, for
#: a caller decoding element after element.
DECODERS: Final = _DECODERS


def decode_value(
    raw: bytes | bytearray | memoryview,
    vr: str,
    *,
    little_endian: bool = True,
    encodings: Sequence[str] | None = None,
) -> Any:
    """The Python value of an element value's bytes, as read from a file.

    ``raw`` may carry its padding. One value gives the value itself, several a
    :class:`MultiValue`; no value gives ``""`` for string VRs and ``None``
    otherwise. Types: str (AE AS CS LO LT SH ST UC UI UR UT), ``PersonName``,
    ``DA``/``TM``/``DT``, ``DSfloat``, ``IS``, int, float, ``BaseTag`` (AT),
    bytes (OB OD OF OL OV OW UN, unchanged). ``encodings`` are the Python codecs
    of the Specific Character Set, used by LO LT PN SH ST UC UT.

    Values breaking their VR's rules are handled per
    ``dicomcore.config.settings.reading_validation_mode``: a DS or IS that is
    not a number stays the ``str`` it was (warned about, or raised under
    RAISE); a binary value whose length is not a whole number of values loses
    its trailing partial value.

    SQ values are parsed by the reader, not here.

    >>> decode_value(b"1.5\\\\2 ", "DS")
    ['1.5', '2']
    >>> decode_value(b"\\x01\\x00\\x02\\x00", "US")
    [1, 2]
    """
    decoder = _DECODERS.get(vr)
    if decoder is None:
        raise DicomValueError(
            "SQ values are parsed by the reader" if vr == "SQ" else f"Unknown VR {vr!r}"
        )
    if not raw:
        return _EMPTY[vr]
    return decoder(raw, little_endian, encodings)


def encode_value(
    value: Any,
    vr: str,
    *,
    little_endian: bool = True,
    encodings: Sequence[str] | None = None,
    validation_mode: int | None = None,
) -> bytes:
    """The bytes of ``value`` as the value of an element of ``vr``, padded to
    even length (UI with NUL, other strings with space, OB and UN with NUL).

    Accepts what :func:`decode_value` returns and what users naturally
    assign: str, int, float, Decimal, numpy scalars and arrays, lists and
    tuples of these, ``datetime`` objects for DA TM DT, tags as ints, tuples or
    ``BaseTag`` for AT, bytes-likes for the O* VRs; ``None``, ``""`` and
    ``[]`` give ``b""``. A DSfloat or IS keeps its original text; other
    numbers for DS are formatted to fit 16 characters.

    Values breaking their VR's rules are handled per ``validation_mode``
    (default ``dicomcore.config.settings.writing_validation_mode``): raise
    :class:`DicomValueError`, warn and write anyway, or ignore. A value that
    cannot be encoded at all (-1 as US, text as a number, a non-tag as AT) is
    always an error. The data model may pass IGNORE for values that came from a
    file unchanged.

    >>> encode_value(["1.5", "2"], "DS")
    b'1.5\\\\2 '
    >>> encode_value([1, 2], "US", little_endian=False)
    b'\\x00\\x01\\x00\\x02'
    """
    if value is None:
        return b""
    encoder = _ENCODERS.get(vr)
    if encoder is None:
        raise DicomValueError(
            "SQ values are written by the writer"
            if vr == "SQ"
            else f"Cannot encode a value for VR {vr!r}: unknown or unresolved VR"
        )
    mode = (
        settings.writing_validation_mode if validation_mode is None else validation_mode
    )
    return encoder(value, little_endian, encodings, mode)
