"""Layer 2 of dicomcore: element values, bytes <-> Python, for every VR of
PS3.5 6.2.

The data model calls :func:`decode_value` when an element is first read,
:func:`convert_assigned_value` and :func:`validate_value` when a user assigns
one, and :func:`encode_value` when it is written.

>>> decode_value(b"Doe^John", "PN").given_name
'John'
>>> encode_value("1.2.3", "UI")
b'1.2.3\\x00'
"""

from __future__ import annotations

from dicomcore.values.charset import CharacterSet, character_set, convert_encodings
from dicomcore.values.codec import decode_value, encode_value
from dicomcore.values.convert import convert_assigned_value, empty_value_for_VR
from dicomcore.values.dates import DA, DT, TM, parse_range
from dicomcore.values.multivalue import MultiValue
from dicomcore.values.number_strings import DS, IS, DSfloat, format_number_as_ds
from dicomcore.values.personname import PersonName
from dicomcore.values.text import (
    DEFAULT_ENCODING,
    decode_text,
    encode_text,
    unencodable_character,
)
from dicomcore.values.validation import validate_value

__all__ = [
    "CharacterSet",
    "DA",
    "DEFAULT_ENCODING",
    "DS",
    "DSfloat",
    "DT",
    "IS",
    "MultiValue",
    "PersonName",
    "TM",
    "character_set",
    "convert_assigned_value",
    "convert_encodings",
    "decode_text",
    "decode_value",
    "empty_value_for_VR",
    "encode_text",
    "encode_value",
    "format_number_as_ds",
    "parse_range",
    "unencodable_character",
    "validate_value",
]
