"""Checks of values against the rules of their VR (PS3.5 6.2).

:func:`validate_value` checks a whole value and reports the first problem per
a validation mode; the encoders check each value's text as they write it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from dicomcore.config import IGNORE
from dicomcore.errors import DicomValueError
from dicomcore.tag import Tag
from dicomcore.values._items import SINGLE_VALUED_TEXT_VRS, text_items
from dicomcore.values._modes import report
from dicomcore.values.dates import parse_da, parse_dt, parse_tm
from dicomcore.values.number_strings import DS_PATTERN, IS_MAX, IS_MIN, IS_PATTERN
from dicomcore.vr import BYTES_VRS, STRING_VRS, VR

__all__ = [
    "FL_MAX",
    "INTEGER_RANGES",
    "text_item_problem",
    "validate_value",
    "value_problem",
]

#: Smallest and largest value of each binary integer VR.
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "US": (0, 2**16 - 1),
    "SS": (-(2**15), 2**15 - 1),
    "UL": (0, 2**32 - 1),
    "SL": (-(2**31), 2**31 - 1),
    "UV": (0, 2**64 - 1),
    "SV": (-(2**63), 2**63 - 1),
}
#: Largest finite 32-bit float; larger finite numbers cannot be written as FL.
FL_MAX = float(np.finfo(np.float32).max)

# PS3.5 9.1: components are digits without leading zeros, separated by ".".
_UID = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")
# PS3.5 6.1.3 and Table 6.2-1: SH, LO, UC and PN allow no control character
# but ESC; a backslash would split the value.
_STRING_FORBIDDEN = re.compile(r"[\x00-\x1a\x1c-\x1f\\]")
# LT, ST and UT also allow LF, FF and CR (and backslash: they have VM 1).
_TEXT_FORBIDDEN = re.compile(r"[\x00-\x09\x0b\x0e-\x1a\x1c-\x1f]")
# PS3.5 6.2.1: PN has at most 3 groups of at most 5 components, a group at
# most 64 characters.
_PN_GROUPS = 3
_PN_COMPONENTS = 5
_PN_GROUP_LENGTH = 64

ItemCheck = Callable[[str, str], "str | None"]


def _problem(vr: str, value: Any, reason: str) -> str:
    return f"Invalid value for VR {vr}: {value!r} {reason}"


def _length_problem(vr: str, text: str) -> str | None:
    max_length = VR(vr).max_length
    if max_length is not None and len(text) > max_length:
        return _problem(
            vr, text, f"is {len(text)} characters long; {vr} allows {max_length}"
        )
    return None


def _repertoire_check(reason: str) -> ItemCheck:
    def check(vr: str, text: str) -> str | None:
        pattern = VR(vr).repertoire
        if pattern is not None and not pattern.fullmatch(text):
            return _problem(vr, text, reason)
        return _length_problem(vr, text)

    return check


def _check_ae(vr: str, text: str) -> str | None:
    # PS3.5 Table 6.2-1: a value of only spaces shall not be used.
    if text and not text.strip(" "):
        return _problem(vr, text, "is only spaces")
    return _repertoire_check("has a backslash or a control character")(vr, text)


def _check_ds(vr: str, text: str) -> str | None:
    if not DS_PATTERN.fullmatch(text):
        return _problem(vr, text, "is not a decimal number")
    return _length_problem(vr, text)


def _check_is(vr: str, text: str) -> str | None:
    if not IS_PATTERN.fullmatch(text):
        return _problem(vr, text, "is not an integer")
    if not IS_MIN <= int(text) <= IS_MAX:
        return _problem(vr, text, f"is outside {IS_MIN}..{IS_MAX}")
    return _length_problem(vr, text)


def _check_ui(vr: str, text: str) -> str | None:
    if not _UID.fullmatch(text):
        return _problem(
            vr, text, "is not digits and dots without leading zeros (PS3.5 9.1)"
        )
    return _length_problem(vr, text)


def _check_string(vr: str, text: str) -> str | None:
    found = _STRING_FORBIDDEN.search(text)
    if found is not None:
        return _problem(vr, text, f"contains forbidden character {found.group()!r}")
    return _length_problem(vr, text)


def _check_text(vr: str, text: str) -> str | None:
    found = _TEXT_FORBIDDEN.search(text)
    if found is not None:
        return _problem(vr, text, f"contains forbidden character {found.group()!r}")
    return _length_problem(vr, text)


def _check_pn(vr: str, text: str) -> str | None:
    found = _STRING_FORBIDDEN.search(text)
    if found is not None:
        return _problem(vr, text, f"contains forbidden character {found.group()!r}")
    groups = text.rstrip(" ").split("=")
    if len(groups) > _PN_GROUPS:
        return _problem(vr, text, f"has {len(groups)} component groups; PN allows 3")
    for group in groups:
        if len(group) > _PN_GROUP_LENGTH:
            return _problem(
                vr,
                text,
                f"has a component group of {len(group)} characters; PN allows 64",
            )
        if group.count("^") >= _PN_COMPONENTS:
            return _problem(vr, text, "has more than 5 components in a group")
    return None


def _date_check(parse: Callable[[str], Any], form: str) -> ItemCheck:
    """A check accepting one value or a range ``A-B``, ``-B``, ``A-`` of them
    (PS3.4 C.2.2.2.5, used in queries)."""

    def parses(text: str) -> bool:
        try:
            parse(text)
        except DicomValueError:
            return False
        return True

    def check(vr: str, text: str) -> str | None:
        stripped = text.rstrip(" ")
        if not stripped or parses(stripped):
            return None
        # A DT may itself hold "-" in its UTC offset, so try every split.
        for index, character in enumerate(stripped):
            if character != "-":
                continue
            low, high = stripped[:index], stripped[index + 1 :]
            if (low or high) and all(not part or parses(part) for part in (low, high)):
                return None
        return _problem(vr, text, f"is not a valid {form} (nor a range of them)")

    return check


_TEXT_CHECKS: dict[str, ItemCheck] = {
    "AE": _check_ae,
    "AS": _repertoire_check("is not nnnD, nnnW, nnnM or nnnY"),
    "CS": _repertoire_check("has characters other than A-Z, 0-9, space and _"),
    "DA": _date_check(lambda text: parse_da(text, acr_nema=False), "date YYYYMMDD"),
    "DS": _check_ds,
    "DT": _date_check(parse_dt, "date time YYYYMMDDHHMMSS.FFFFFF&ZZXX"),
    "IS": _check_is,
    "LO": _check_string,
    "LT": _check_text,
    "PN": _check_pn,
    "SH": _check_string,
    "ST": _check_text,
    "TM": _date_check(
        lambda text: parse_tm(text, acr_nema=False), "time HHMMSS.FFFFFF"
    ),
    "UC": _check_string,
    "UI": _check_ui,
    "UR": _repertoire_check("has a backslash or a control character"),
    "UT": _check_text,
}


def text_item_problem(vr: str, text: str) -> str | None:
    """Why ``text`` is not a valid single value of string VR ``vr``, or None."""
    if not text:
        return None
    return _TEXT_CHECKS[vr](vr, text)


def _text_value_problem(vr: str, value: Any) -> str | None:
    try:
        items = text_items(vr, value)
    except DicomValueError as exc:
        return str(exc)
    if vr in SINGLE_VALUED_TEXT_VRS and len(items) > 1:
        return _problem(vr, value, f"has {len(items)} values; {vr} allows one")
    check = _TEXT_CHECKS[vr]
    for item in items:
        if item:
            problem = check(vr, item)
            if problem is not None:
                return problem
    return None


def _number_value_problem(vr: str, value: Any) -> str | None:
    if isinstance(value, np.ndarray):
        return _array_problem(vr, value)
    items = value if isinstance(value, (list, tuple)) else [value]
    integer_range = INTEGER_RANGES.get(vr)
    for item in items:
        if integer_range is not None:
            if not isinstance(item, (int, np.integer)):
                return _problem(vr, item, "is not an integer")
            low, high = integer_range
            if not low <= item <= high:
                return _problem(vr, item, f"is outside {low}..{high}")
        else:
            if not isinstance(item, (int, float, np.integer, np.floating)):
                return _problem(vr, item, "is not a number")
            if _float_overflows(vr, item):
                return _problem(vr, item, f"is too large for {vr}")
    return None


def _float_overflows(vr: str, item: Any) -> bool:
    try:
        number = float(item)
    except OverflowError:
        return True
    return vr == "FL" and math.isfinite(number) and abs(number) > FL_MAX


def _array_problem(vr: str, array: np.ndarray) -> str | None:
    integer_range = INTEGER_RANGES.get(vr)
    if integer_range is not None:
        if array.dtype.kind not in "biu":
            return _problem(vr, array.dtype, "array is not of integers")
        if array.size:
            low, high = integer_range
            smallest, largest = int(array.min()), int(array.max())
            if smallest < low or largest > high:
                bad = smallest if smallest < low else largest
                return _problem(vr, bad, f"is outside {low}..{high}")
        return None
    if array.dtype.kind not in "biuf":
        return _problem(vr, array.dtype, "array is not of numbers")
    if vr == "FL" and array.dtype.kind == "f" and array.size:
        finite = array[np.isfinite(array)]
        if finite.size and float(np.abs(finite).max()) > FL_MAX:
            return _problem(vr, float(np.abs(finite).max()), "is too large for FL")
    return None


def _at_value_problem(vr: str, value: Any) -> str | None:
    for item in at_items(value):
        try:
            Tag(item)
        except (TypeError, ValueError, OverflowError):
            return _problem(vr, item, "is not a tag")
    return None


def at_items(value: Any) -> list[Any]:
    """The tags in an AT value: a ``(group, element)`` tuple is one tag, as a
    user writes it; a list (or any other tuple) holds several."""
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(part, (int, np.integer)) for part in value)
    ):
        return [value]
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    return [value]


def _bytes_value_problem(vr: str, value: Any) -> str | None:
    if isinstance(value, (bytes, bytearray)):
        length = len(value)
    elif isinstance(value, (memoryview, np.ndarray)):
        length = value.nbytes
    else:
        return _problem(vr, type(value).__name__, "is not bytes")
    item_size = VR(vr).fixed_item_size or 1
    if length % item_size:
        return _problem(
            vr, f"{length} bytes", f"is not a multiple of {item_size} bytes"
        )
    return None


_VALUE_CHECKS: dict[str, Callable[[str, Any], str | None]] = {
    **{vr: _text_value_problem for vr in STRING_VRS},
    **{vr: _number_value_problem for vr in ("FL", "FD", *INTEGER_RANGES)},
    **{vr: _bytes_value_problem for vr in BYTES_VRS},
    "AT": _at_value_problem,
}


def value_problem(vr: str, value: Any) -> str | None:
    """Why ``value`` cannot be a valid value of ``vr``, or None when it can."""
    if value is None or vr == "SQ":
        return None
    check = _VALUE_CHECKS.get(vr)
    if check is None:
        raise DicomValueError(f"Unknown VR {vr!r}")
    return check(vr, value)


def validate_value(vr: str, value: Any, mode: int) -> None:
    """Check ``value`` against the rules of ``vr`` (PS3.5 6.2): type, length,
    character repertoire, range, dates that exist.

    ``mode`` is a :mod:`dicomcore.config` mode: ``RAISE`` raises
    :class:`DicomValueError` naming the VR and the bad value, ``WARN`` warns,
    ``IGNORE`` checks nothing.

    >>> from dicomcore.config import RAISE
    >>> validate_value("US", -1, RAISE)
    Traceback (most recent call last):
    ...
    dicomcore.errors.DicomValueError: Invalid value for VR US: -1 is outside 0..65535
    """
    if mode == IGNORE:
        return
    problem = value_problem(vr, value)
    if problem is not None:
        report(problem, mode)
