"""Decimal String (DS) and Integer String (IS) values.

Both keep the text they were made from, so a value read from a file is
written back exactly as it was (``"1.50"`` stays ``"1.50"``, not ``"1.5"``).
"""

from __future__ import annotations

import math
import operator
import re
from decimal import Decimal
from typing import Any

from dicomcore.errors import DicomValueError

__all__ = [
    "DS",
    "DSfloat",
    "IS",
    "ISfloat",
    "ds_of_text",
    "format_number_as_ds",
    "is_of_text",
]

# PS3.5 Table 6.2-1: a DS holds at most 16 characters.
_DS_MAX_LENGTH = 16
# PS3.5 Table 6.2-1 DS: fixed point or floating point with optional exponent.
DS_PATTERN = re.compile(r" *[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)? *")
# PS3.5 Table 6.2-1 IS: an optional sign and digits.
IS_PATTERN = re.compile(r" *[-+]?[0-9]+ *")
# PS3.5 Table 6.2-1 IS: -2^31 <= n <= 2^31 - 1.
IS_MIN = -(2**31)
IS_MAX = 2**31 - 1


def format_number_as_ds(value: float | int | Decimal) -> str:
    """The text of ``value`` as a DS of at most 16 characters.

    The shortest text that reads back as the same float is used when it fits;
    otherwise significant digits are dropped, one at a time, until it fits,
    letting Python choose fixed or exponent notation.

    >>> format_number_as_ds(0.1)
    '0.1'
    >>> format_number_as_ds(1 / 3)
    '0.33333333333333'
    >>> format_number_as_ds(1.2345678901234568e17)
    '1.2345678901e+17'
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise DicomValueError(f"Invalid value for VR DS: {value!r} is not finite")
        text = str(value)
        if len(text) <= _DS_MAX_LENGTH:
            return text
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) <= _DS_MAX_LENGTH:
            return text
    number = float(value)
    if not math.isfinite(number):
        raise DicomValueError(f"Invalid value for VR DS: {number!r} is not finite")
    text = repr(number)
    if len(text) <= _DS_MAX_LENGTH:
        return text
    for precision in range(_DS_MAX_LENGTH, 0, -1):
        text = f"{number:.{precision}g}"
        if len(text) <= _DS_MAX_LENGTH:
            return text
    raise AssertionError("unreachable: one significant digit always fits")


class DSfloat(float):
    """A DS value: a ``float`` that remembers its text.

    ``str()`` gives the text read or assigned (without padding spaces), or, for
    a value made from a number, that number formatted to fit a DS. Compared
    with a ``str`` it compares its text; with a number, its value.

    >>> DSfloat("1.50") == 1.5, str(DSfloat("1.50")), str(DSfloat(1 / 3))
    (True, '1.50', '0.33333333333333')
    """

    __slots__ = ("original_string",)
    original_string: str | None

    def __new__(cls, value: Any, auto_format: bool = False) -> DSfloat:
        original: str | None
        if isinstance(value, str):
            original = value.strip(" ")
            try:
                number = float(original)
            except ValueError:
                raise DicomValueError(
                    f"Invalid value for VR DS: {value!r} is not a decimal number"
                ) from None
        elif isinstance(value, DSfloat):
            number, original = float(value), value.original_string
        elif isinstance(value, Decimal):
            number = float(value)
            original = format_number_as_ds(value) if value.is_finite() else None
        else:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise DicomValueError(
                    f"Invalid value for VR DS: {value!r} is not a number"
                ) from None
            original = None
        obj = super().__new__(cls, number)
        if auto_format and math.isfinite(number):
            original = format_number_as_ds(number)
        obj.original_string = original
        return obj

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (float(self),)

    def __str__(self) -> str:
        if self.original_string is not None:
            return self.original_string
        # A number's text is Python's, as pydicom writes it ("2.0" for 2),
        # when that fits a DS; otherwise the closest text that does.
        text = float.__repr__(self)
        if len(text) <= _DS_MAX_LENGTH or not math.isfinite(self):
            return text
        return format_number_as_ds(float(self))

    def __repr__(self) -> str:
        # Quoted as pydicom shows DS values: the text as read or given, else
        # the number as Python writes a float; no escaping, as in pydicom.
        if self.original_string is not None:
            return f"'{self.original_string}'"
        return f"'{float.__repr__(self)}'"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) == other
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) != other
        return super().__ne__(other)

    __hash__ = float.__hash__


_new_float = float.__new__


def ds_of_text(text: str) -> DSfloat:
    """The DSfloat of ``text`` as read: already stripped of padding and a
    match of :data:`DS_PATTERN` (what :class:`DSfloat` would check again)."""
    value = _new_float(DSfloat, float(text))
    value.original_string = text
    return value


_new_int = int.__new__


def is_of_text(text: str) -> IS:
    """The IS of ``text`` as read: already stripped of padding and a match
    of :data:`IS_PATTERN` (what :class:`IS` would check again)."""
    value = _new_int(IS, int(text))
    value.original_string = text
    return value


class IS(int):
    """An IS value: an ``int`` that remembers its text.

    Text such as ``"1.0"`` (a decimal whose value is whole) is accepted, as
    files carry it, and kept as it was; validation reports it as not an IS.
    Text whose value is not whole raises :class:`DicomValueError`.

    >>> IS(" 42 ") == 42, str(IS("+42")), IS("+42") == "+42"
    (True, '+42', True)
    """

    original_string: str | None

    def __new__(cls, value: Any) -> IS:
        original: str | None = None
        if isinstance(value, str):
            original = value.strip(" ")
            number = _int_from_text(original, value)
        elif isinstance(value, IS):
            number, original = int(value), value.original_string
        elif isinstance(value, int):
            number = int(value)
        else:
            number = _int_from_number(value)
        obj = super().__new__(cls, number)
        obj.original_string = original
        return obj

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (int(self),)

    def __str__(self) -> str:
        if self.original_string is not None:
            return self.original_string
        return int.__repr__(self)

    def __repr__(self) -> str:
        # pydicom shows the number, not its text: "+07" reads as '7'.
        return f"'{int.__repr__(self)}'"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) == other
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) != other
        return super().__ne__(other)

    __hash__ = int.__hash__


class ISfloat(float):
    """An IS value read as a decimal that is not whole (``"1.5"``), as
    pydicom reads one: a ``float`` that keeps its text. Not a valid IS;
    validation reports it.

    >>> ISfloat("1.5"), str(ISfloat(" 1.50 "))
    (1.5, '1.50')
    """

    original_string: str

    def __new__(cls, value: str) -> ISfloat:
        obj = super().__new__(cls, float(value))
        obj.original_string = value.strip(" ")
        return obj

    def __getnewargs__(self) -> tuple[Any, ...]:
        return (self.original_string,)

    def __str__(self) -> str:
        return self.original_string

    def __repr__(self) -> str:
        # pydicom shows the number unquoted, as Python writes a float
        return float.__repr__(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) == other
        return super().__eq__(other)

    def __ne__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) != other
        return super().__ne__(other)

    __hash__ = float.__hash__


def _int_from_text(text: str, value: str) -> int:
    if IS_PATTERN.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        raise DicomValueError(
            f"Invalid value for VR IS: {value!r} is not an integer"
        ) from None
    if not number.is_integer():
        raise DicomValueError(f"Invalid value for VR IS: {value!r} is not an integer")
    return int(number)


def _int_from_number(value: Any) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DicomValueError(
            f"Invalid value for VR IS: {value!r} is not a number"
        ) from None
    if not number.is_integer():
        raise DicomValueError(f"Invalid value for VR IS: {value!r} is not an integer")
    if isinstance(value, Decimal):
        return int(value)
    try:
        # numpy integers and other exact integer types keep every digit
        return operator.index(value)
    except TypeError:
        return int(number)


def DS(value: Any, auto_format: bool = False) -> Any:  # noqa: N802 - pydicom's name
    """Make a DS value: ``None`` and ``""`` are returned as they are (empty),
    anything else becomes a :class:`DSfloat`."""
    if value is None or (isinstance(value, str) and not value.strip(" ")):
        return value
    return DSfloat(value, auto_format)
