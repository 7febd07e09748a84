"""Codecs for the string VRs: AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT.

Decoding drops padding as PS3.5 6.2 allows: trailing spaces everywhere,
leading spaces too where they are not significant (AE, CS, DS, IS), and NUL
bytes at the end, which UI uses and other non-conformant writers copy. Values
are split at backslashes except for the single-valued LT, ST, UT and UR.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from dicomcore.config import IGNORE, settings
from dicomcore.errors import DicomValueError
from dicomcore.uid import UID
from dicomcore.values._items import SINGLE_VALUED_TEXT_VRS, text_items
from dicomcore.values._modes import report
from dicomcore.values.convert import ITEM_CONVERTERS
from dicomcore.values.dates import DA, DT, TM
from dicomcore.values.multivalue import MultiValue
from dicomcore.values.number_strings import (
    DS_PATTERN,
    IS,
    IS_MAX,
    IS_MIN,
    IS_PATTERN,
    DSfloat,
    ISfloat,
    ds_of_text,
    is_of_text,
)
from dicomcore.values.personname import PersonName
from dicomcore.values.text import decode_text, encode_text
from dicomcore.values.validation import text_item_problem
from dicomcore.vr import STRING_VRS, TEXT_VRS, VR

__all__ = ["DECODERS", "ENCODERS"]

Raw = bytes | bytearray | memoryview
Decoder = Callable[[Raw, bool, "Sequence[str] | None"], Any]
Encoder = Callable[[Any, bool, "Sequence[str] | None", int], bytes]

_PADDING = " \x00"
# PS3.5 Table 6.2-1: leading spaces are not significant in these VRs.
_LEADING_SPACE_VRS = frozenset({"AE", "CS", "DS", "IS"})
_DS_MAX_LENGTH = 16
_IS_MAX_LENGTH = 12


def _str_decoder(vr: str) -> Decoder:
    """A decoder for VRs whose values stay ``str``."""
    uses_charset = vr in TEXT_VRS
    strip_leading = vr in _LEADING_SPACE_VRS
    converter = ITEM_CONVERTERS[vr]

    def decode(raw: Raw, little_endian: bool, encodings: Sequence[str] | None) -> Any:
        text = decode_text(raw, encodings if uses_charset else None, vr=vr)
        if "\\" not in text:
            return text.strip(_PADDING) if strip_leading else text.rstrip(_PADDING)
        if strip_leading:
            items = [part.strip(_PADDING) for part in text.split("\\")]
        else:
            items = [part.rstrip(_PADDING) for part in text.split("\\")]
        return MultiValue._from_converted(converter, items)

    return decode


def _single_decoder(vr: str) -> Decoder:
    """A decoder for LT, ST, UT, UR: one value, backslash is a character."""
    uses_charset = vr in TEXT_VRS

    def decode(raw: Raw, little_endian: bool, encodings: Sequence[str] | None) -> Any:
        return decode_text(raw, encodings if uses_charset else None, vr=vr).rstrip(
            _PADDING
        )

    return decode


def _typed_decoder(vr: str, item_type: Callable[[str], Any]) -> Decoder:
    """A decoder for PN, DA, TM, DT: each value wrapped in its type."""
    uses_charset = vr in TEXT_VRS
    converter = ITEM_CONVERTERS[vr]

    def decode(raw: Raw, little_endian: bool, encodings: Sequence[str] | None) -> Any:
        text = decode_text(raw, encodings if uses_charset else None, vr=vr)
        make = item_type
        if encodings and vr == "PN":
            # the name remembers its character sets for PersonName.encode()
            def make(part: str) -> Any:
                return PersonName(part, encodings)

        if "\\" not in text:
            text = text.rstrip(_PADDING)
            return make(text) if text else ""
        items = [make(part.rstrip(_PADDING)) for part in text.split("\\")]
        return MultiValue._from_converted(converter, items)

    return decode


def _number_string_decoder(vr: str, parse_item: Callable[[str], Any]) -> Decoder:
    """A decoder for DS and IS: an empty value is None, an empty item of
    several is ``""``."""
    converter = ITEM_CONVERTERS[vr]

    def decode(raw: Raw, little_endian: bool, encodings: Sequence[str] | None) -> Any:
        text = decode_text(raw)
        if "\\" not in text:
            text = text.strip(_PADDING)
            return parse_item(text) if text else None
        texts = [part.strip(_PADDING) for part in text.split("\\")]
        items = [parse_item(part) for part in texts]
        if str in map(type, items) and any(type(i) is str and i for i in items):
            # One value is not a number: all are kept as text, as pydicom
            # keeps them (its reading falls back to a string VR).
            return MultiValue._from_converted(str, texts)
        return MultiValue._from_converted(converter, items)

    return decode


# Over these characters float() reads exactly the texts DS_PATTERN matches
# (sign, digits, a point, an exponent), and finds the rest not a number.
_DS_CHARACTERS = frozenset("0123456789+-.eE")


def _ds_item(text: str) -> Any:
    if not text:
        return ""
    if len(text) <= _DS_MAX_LENGTH and _DS_CHARACTERS.issuperset(text):
        try:
            return ds_of_text(text)
        except ValueError:
            pass  # "1-2", ".": reported below
    # Reported per the reading mode; a number too long is still a number,
    # anything else is kept as the text it was.
    problem = text_item_problem("DS", text)
    mode = settings.reading_validation_mode
    report(problem or f"Invalid value for VR DS: {text!r}", mode)
    if DS_PATTERN.fullmatch(text):
        return DSfloat(text)
    return text


def _is_item(text: str) -> Any:
    if not text:
        return ""
    if len(text) <= _IS_MAX_LENGTH and IS_PATTERN.fullmatch(text):
        value = is_of_text(text)
        if IS_MIN <= value <= IS_MAX:
            return value
    problem = text_item_problem("IS", text)
    mode = settings.reading_validation_mode
    report(problem or f"Invalid value for VR IS: {text!r}", mode)
    try:
        # "1.0" and out-of-range integers still have an integer value
        return IS(text)
    except DicomValueError:
        pass
    try:
        # a decimal that is not whole is a float, as pydicom reads it
        return ISfloat(text) if math.isfinite(float(text)) else text
    except ValueError:
        return text


def _string_encoder(vr: str) -> Encoder:
    padding = VR(vr).padding
    uses_charset = vr in TEXT_VRS
    single_valued = vr in SINGLE_VALUED_TEXT_VRS

    def encode(
        value: Any, little_endian: bool, encodings: Sequence[str] | None, mode: int
    ) -> bytes:
        items = text_items(vr, value)
        if mode != IGNORE:
            if single_valued and len(items) > 1:
                report(
                    f"Invalid value for VR {vr}: {value!r} has {len(items)} "
                    f"values; {vr} allows one",
                    mode,
                )
            for item in items:
                problem = text_item_problem(vr, item)
                if problem is not None:
                    report(problem, mode)
        data = encode_text(
            "\\".join(items), encodings if uses_charset else None, vr=vr, mode=mode
        )
        if len(data) & 1:
            data += padding
        return data

    return encode


DECODERS: dict[str, Decoder] = {
    **{vr: _str_decoder(vr) for vr in ("AE", "AS", "CS", "LO", "SH", "UC")},
    "UI": _typed_decoder("UI", UID),
    **{vr: _single_decoder(vr) for vr in SINGLE_VALUED_TEXT_VRS},
    "PN": _typed_decoder("PN", PersonName),
    "DA": _typed_decoder("DA", DA),
    "TM": _typed_decoder("TM", TM),
    "DT": _typed_decoder("DT", DT),
    "DS": _number_string_decoder("DS", _ds_item),
    "IS": _number_string_decoder("IS", _is_item),
}
ENCODERS: dict[str, Encoder] = {vr: _string_encoder(vr) for vr in STRING_VRS}
