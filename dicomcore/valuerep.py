"""pydicom's ``valuerep`` module path: value types and VR facts.

The value types are dicomcore's own (:mod:`dicomcore.values`), re-exported
under pydicom's names, except :class:`DA`, :class:`TM` and :class:`DT`: code
written for pydicom constructs these directly and expects a
:class:`datetime.date`, :class:`datetime.time` or :class:`datetime.datetime`
(``DA("20200102") == datetime.date(2020, 1, 2)``, ``DA("")`` is None), so here
they are subclasses of those that remember the text they were made from.
Values read from a file keep dicomcore's text types, which assigning either
kind accepts.

>>> import datetime
>>> DA("20200102") == datetime.date(2020, 1, 2), str(DA("20200102"))
(True, '20200102')
"""

from __future__ import annotations

import datetime as _datetime
import warnings
from decimal import Decimal
from typing import Any

from dicomcore.errors import DicomValueError
from dicomcore.values import (
    DS,
    IS,
    DSfloat,
    MultiValue,
    PersonName,
    format_number_as_ds,
    validate_value,
)
from dicomcore.values.dates import parse_da, parse_dt, parse_tm
from dicomcore.values.number_strings import DS_PATTERN
from dicomcore.vr import (
    AMBIGUOUS_VRS,
    BYTES_VRS,
    LONG_LENGTH_VRS,
    NUMBER_VRS,
    STRING_VRS,
    TEXT_VRS,
    VR,
)

__all__ = [
    "ALLOW_BACKSLASH",
    "AMBIGUOUS_VR",
    "BUFFERABLE_VRS",
    "BYTES_VR",
    "CUSTOMIZABLE_CHARSET_VR",
    "DA",
    "DEFAULT_CHARSET_VR",
    "DS",
    "DSclass",
    "DSdecimal",
    "DSfloat",
    "DT",
    "EXPLICIT_VR_LENGTH_16",
    "EXPLICIT_VR_LENGTH_32",
    "FLOAT_VR",
    "INT_VR",
    "IS",
    "LIST_VR",
    "LONG_VALUE_VR",
    "MAX_VALUE_LEN",
    "MultiValue",
    "PN_DELIMS",
    "PersonName",
    "STANDARD_VR",
    "STR_VR",
    "TEXT_VR_DELIMS",
    "TM",
    "VR",
    "format_number_as_ds",
    "is_valid_ds",
    "validate_value",
]

# pydicom's VR groups, as sets of VR members (which compare equal to text).
STANDARD_VR = set(VR)
AMBIGUOUS_VR = {"US or SS or OW", "US or SS", "US or OW", "OB or OW"}
BYTES_VR = {VR(vr) for vr in BYTES_VRS}
FLOAT_VR = {VR.DS, VR.FD, VR.FL}
INT_VR = {VR.AT, VR.IS, *(VR(vr) for vr in NUMBER_VRS - {"FL", "FD"})}
LIST_VR = {VR.SQ}
STR_VR = {VR(vr) for vr in STRING_VRS}
CUSTOMIZABLE_CHARSET_VR = {VR(vr) for vr in TEXT_VRS}
# Text VRs whose characters are always the default repertoire.
DEFAULT_CHARSET_VR = STR_VR - CUSTOMIZABLE_CHARSET_VR
EXPLICIT_VR_LENGTH_32 = {VR(vr) for vr in LONG_LENGTH_VRS}
EXPLICIT_VR_LENGTH_16 = STANDARD_VR - EXPLICIT_VR_LENGTH_32
LONG_VALUE_VR = {VR.LT, VR.UC, VR.UT, *BYTES_VR, *(AMBIGUOUS_VRS - {"SS or US"})}
# Binary VRs, and those texts that may hold a backslash (not a delimiter there).
ALLOW_BACKSLASH = {VR.LT, VR.ST, VR.UT, *BYTES_VR} | {
    "OB or OW",
    "US or OW",
    "US or SS or OW",
}
BUFFERABLE_VRS = {*(BYTES_VR - {VR.UN}), "OB or OW"}
# The longest value of these VRs, in characters (PS3.5 Table 6.2-1).
MAX_VALUE_LEN = {
    vr: VR(vr).max_length
    for vr in ("AE", "CS", "DS", "IS", "LO", "LT", "SH", "ST", "UI")
}
# Bytes that end a value's use of a code extension: CR, LF, TAB, FF in text,
# "^" in person names (PS3.5 6.1.2.5.3).
TEXT_VR_DELIMS = {0x0D, 0x0A, 0x09, 0x0C}
PN_DELIMS = {0x5E}
_DS_MAX_LENGTH = 16


def is_valid_ds(s: str) -> bool:
    """True if ``s`` is a valid DS value: a decimal number of at most 16
    characters (PS3.5 Table 6.2-1)."""
    return len(s) <= _DS_MAX_LENGTH and DS_PATTERN.fullmatch(s) is not None


class _KeepsText:
    """What DA, TM and DT add to their :mod:`datetime` base: the DICOM text
    they were made from, given back by ``str()``."""

    original_string: str

    def __str__(self) -> str:
        text = self.__dict__.get("original_string")
        return text if text is not None else super().__str__()

    def __repr__(self) -> str:
        return f'"{self}"'

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (*super().__reduce_ex__(protocol)[:2], dict(self.__dict__))

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _text_or_none(value: Any) -> str | None:
    """The text a DA/TM/DT was given as, or None for anything else."""
    if isinstance(value, _KeepsText):
        return value.__dict__.get("original_string")
    if isinstance(value, str):
        return value
    return None


def _warn_leap_second(kind: str) -> None:
    warnings.warn(
        f"'{kind}' doesn't allow a value of '60' for the seconds component, "
        "changing to '59'",
        stacklevel=3,
    )


def _fraction(microsecond: int) -> str:
    # Fractions of a second are rare; written only when there is one.
    return f".{microsecond:06}" if microsecond else ""


class DA(_KeepsText, _datetime.date):
    """A DA value as a :class:`datetime.date` that keeps its text.

    ``DA("")`` and ``DA(None)`` are None, as pydicom's.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> DA | None:  # type: ignore[misc]
        if not args or args[0] is None:
            return None
        value = args[0]
        text = _text_or_none(value)
        if text is not None and not isinstance(value, _datetime.date):
            if not text.strip():
                return None
            date = parse_da(text)
        elif isinstance(value, _datetime.date):
            date = value
        else:
            try:
                date = _datetime.date(*args, **kwargs)
            except Exception as exc:
                raise DicomValueError(
                    f"Unable to convert '{value}' to 'DA' object"
                ) from exc
            text = None
        obj = super().__new__(cls, date.year, date.month, date.day)
        if isinstance(value, _datetime.date) and text is None:
            text = f"{date.year}{date.month:02}{date.day:02}"
        if text is not None:
            obj.original_string = text
        return obj

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


class TM(_KeepsText, _datetime.time):
    """A TM value as a :class:`datetime.time` that keeps its text.

    ``TM("")`` and ``TM(None)`` are None; a leap second becomes 59.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> TM | None:  # type: ignore[misc]
        if not args or args[0] is None:
            return None
        value = args[0]
        text = _text_or_none(value)
        if text is not None and not isinstance(value, _datetime.time):
            if not text.strip():
                return None
            # pydicom reads only HH[MM[SS[.F]]]; the retired colon form is not TM
            time = parse_tm(text, acr_nema=False)
            if text.strip()[4:6] == "60":
                _warn_leap_second("datetime.time")
        elif isinstance(value, _datetime.time):
            time = value
        else:
            try:
                time = _datetime.time(*args, **kwargs)
            except Exception as exc:
                raise DicomValueError(
                    f"Unable to convert '{value}' to 'TM' object"
                ) from exc
            text = None
        obj = super().__new__(
            cls, time.hour, time.minute, time.second, time.microsecond
        )
        if isinstance(value, _datetime.time) and text is None:
            text = (
                f"{time.hour:02}{time.minute:02}{time.second:02}"
                f"{_fraction(time.microsecond)}"
            )
        if text is not None:
            obj.original_string = text
        return obj

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


class DT(_KeepsText, _datetime.datetime):
    """A DT value as a :class:`datetime.datetime` that keeps its text.

    ``DT("")`` and ``DT(None)`` are None; a UTC offset gives an aware value.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> DT | None:  # type: ignore[misc]
        if not args or args[0] is None:
            return None
        value = args[0]
        text = _text_or_none(value)
        if text is not None and not isinstance(value, _datetime.datetime):
            if not text.strip():
                return None
            moment = parse_dt(text)
            if text.strip()[12:14] == "60":
                _warn_leap_second("datetime.datetime")
            offset = moment.utcoffset()
            if offset is not None:
                # pydicom names the zone by its DICOM text, e.g. "+0100"
                zone = _datetime.timezone(offset, _offset_text(moment))
                moment = moment.replace(tzinfo=zone)
        elif isinstance(value, _datetime.datetime):
            moment = value
        else:
            try:
                moment = _datetime.datetime(*args, **kwargs)
            except Exception as exc:
                raise DicomValueError(
                    f"Unable to convert '{value}' to 'DT' object"
                ) from exc
            text = None
        obj = super().__new__(
            cls,
            moment.year,
            moment.month,
            moment.day,
            moment.hour,
            moment.minute,
            moment.second,
            moment.microsecond,
            moment.tzinfo,
        )
        if isinstance(value, _datetime.datetime) and text is None:
            text = (
                f"{moment.year:04}{moment.month:02}{moment.day:02}"
                f"{moment.hour:02}{moment.minute:02}{moment.second:02}"
                f"{_fraction(moment.microsecond)}{_offset_text(moment)}"
            )
        if text is not None:
            obj.original_string = text
        return obj

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


def _offset_text(moment: _datetime.datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = offset.days * 24 * 60 + offset.seconds // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02}{abs(minutes) % 60:02}"


class DSdecimal(Decimal):
    """A DS value as a :class:`~decimal.Decimal` that keeps its text, for
    code that asks pydicom for decimal DS values."""

    original_string: str | None

    def __new__(
        cls, val: Any, auto_format: bool = False, validation_mode: int | None = None
    ) -> DSdecimal:
        original: str | None = None
        if isinstance(val, str):
            # The same checks as every DS value read or assigned.
            original = DSfloat(val).original_string
            number = Decimal(val.strip(" "))
        elif isinstance(val, float):
            original = getattr(val, "original_string", None)
            number = Decimal(repr(float(val)))
        else:
            number = Decimal(val)
        if auto_format and number.is_finite():
            original = format_number_as_ds(number)
        obj = super().__new__(cls, number)
        obj.original_string = original
        return obj

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __str__(self) -> str:
        if self.original_string is not None:
            return self.original_string
        return super().__str__()

    def __repr__(self) -> str:
        return repr(str(self))


#: The DS type values are read as: DSfloat (pydicom's ``use_DS_decimal``,
#: which would make it DSdecimal, is not supported).
DSclass = DSfloat
