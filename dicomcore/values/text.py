"""Characters <-> bytes for string VRs, in the character set that Specific
Character Set (0008,0005) declares (see :mod:`dicomcore.values.charset`).

``encodings`` is whatever names the character set: the element's Specific
Character Set value (``"ISO_IR 100"``, ``["", "ISO 2022 IR 87"]``), Python
codec names as pydicom spells them (``["utf_8"]``), or a resolved
:class:`~dicomcore.values.charset.CharacterSet`. None or empty is the default
repertoire, read leniently as ISO 8859-1 so that decoding never fails.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from dicomcore.config import IGNORE
from dicomcore.values._items import text_items
from dicomcore.values._modes import report
from dicomcore.values.charset import (
    CharacterSet,
    UnencodableCharacterError,
    character_set,
)

__all__ = ["DEFAULT_ENCODING", "decode_text", "encode_text", "unencodable_character"]

#: Python codec for the default character repertoire (ISO-IR 6 as a subset of
#: ISO 8859-1, so that bytes from non-conformant files still decode).
DEFAULT_ENCODING = "iso8859"
# The same codec under the name CPython decodes without a codec lookup.
_FAST_DEFAULT = "latin_1"

Encodings = CharacterSet | str | Iterable[str] | None


def decode_text(
    raw: bytes | bytearray | memoryview,
    encodings: Encodings = None,
    *,
    vr: str = "",
) -> str:
    """Decode an element value's bytes to text.

    ``vr`` says where ISO 2022 code extensions return to value 1's sets
    (PS3.5 6.1.2.5.3): at ``\\\\`` for multi-valued VRs, also at ``^`` and
    ``=`` for PN, and at control characters always. Undecodable bytes become
    U+FFFD, reported per the reading validation mode.

    >>> decode_text(b"Buc^J\\xe9r\\xf4me", "ISO_IR 100", vr="PN")
    'Buc^Jérôme'
    """
    if not encodings:
        return str(raw, _FAST_DEFAULT)
    return character_set(encodings).decode(raw, vr)


def encode_text(
    text: str,
    encodings: Encodings = None,
    *,
    vr: str = "",
    mode: int,
) -> bytes:
    """Encode text for an element value, with the escape sequences code
    extensions need.

    A character the character set cannot hold is a validation problem
    reported per ``mode`` (the message names the character and the set); when
    not raised it is written as ``?``. A Specific Character Set that is not a
    defined term is warned about (unless ``mode`` is IGNORE) when the text is
    not plain ASCII.
    """
    charset = character_set(encodings)
    if charset.problems and mode != IGNORE and not text.isascii():
        for problem in charset.problems:
            warnings.warn(problem, UserWarning, stacklevel=3)
    try:
        return charset.encode(text, vr)
    except UnencodableCharacterError as exc:
        report(
            f"Invalid value for VR {vr or 'text'}: {text!r} has character "
            f"{exc.character!r}, which Specific Character Set {charset.name} "
            "cannot encode",
            mode,
        )
        return charset.encode(text, vr, replace=True)


def unencodable_character(value: Any, vr: str, encodings: Encodings) -> str | None:
    """The first character of ``value`` (as an element of ``vr`` would hold
    it) that the character set cannot encode, or None when all can be.

    >>> unencodable_character("Ελληνικά", "LO", "ISO_IR 100")
    'Ε'
    """
    items = text_items(vr, value)
    return character_set(encodings).first_unencodable("\\".join(items), vr)
