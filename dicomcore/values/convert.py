"""What a value becomes when a user assigns it to an element, and the value of
an empty element."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np

from dicomcore.errors import DicomTypeError, DicomValueError
from dicomcore.tag import BaseTag, Tag
from dicomcore.uid import UID
from dicomcore.values._items import SINGLE_VALUED_TEXT_VRS
from dicomcore.values.dates import DA, DT, TM
from dicomcore.values.multivalue import MultiValue
from dicomcore.values.number_strings import IS, DSfloat
from dicomcore.values.personname import PersonName
from dicomcore.vr import BYTES_VRS, NUMBER_VRS, STRING_VRS

__all__ = ["ITEM_CONVERTERS", "convert_assigned_value", "empty_value_for_VR"]


# DS and IS hold numbers: empty, they are None like the binary numbers.
_EMPTY_STRING_VRS = STRING_VRS - {"DS", "IS"}


def empty_value_for_VR(vr: str | None, raw: bool = False) -> Any:  # noqa: N802 - pydicom's name
    """The value of an element of ``vr`` with no value: ``""`` for string VRs
    (``b""`` when ``raw``) but DS and IS, ``None`` for DS, IS and every other
    VR, SQ included (the data model gives an empty SQ element its empty
    ``Sequence``)."""
    if vr in _EMPTY_STRING_VRS:
        return b"" if raw else ""
    return None


# Each converter turns one assigned value into the type its VR decodes to.
# They keep what they cannot convert, so that validation, not conversion,
# decides (per the validation mode) whether the value is acceptable.


def _to_ds(item: Any) -> Any:
    if isinstance(item, DSfloat) or item is None or item == "":
        return item
    if isinstance(item, (str, int, float, Decimal, np.integer, np.floating)) and not (
        isinstance(item, bool)
    ):
        try:
            return DSfloat(item.item() if isinstance(item, np.generic) else item)
        except DicomValueError:
            return item
    return item


def _to_is(item: Any) -> Any:
    if isinstance(item, IS) or item is None or item == "":
        return item
    if isinstance(item, (str, int, float, Decimal, np.integer, np.floating)) and not (
        isinstance(item, bool)
    ):
        try:
            return IS(item)
        except DicomValueError:
            return item
    return item


def _to_pn(item: Any) -> Any:
    if isinstance(item, PersonName) or item is None:
        return item
    if isinstance(item, (str, bytes, bytearray)):
        return PersonName(item)
    return item


def _date_converter(cls: type[str], accepted: tuple[type, ...]) -> Callable[[Any], Any]:
    def convert(item: Any) -> Any:
        if isinstance(item, cls) or item is None or item == "":
            return item
        if isinstance(item, accepted):
            # As pydicom: a date or time object assigned stays that object
            # (code combines ds.AcquisitionDate with ds.AcquisitionTime); it
            # is written as its text, a dicomcore.valuerep value as the text
            # it was made from.
            return item
        if isinstance(item, str):
            return cls(item)
        return item

    return convert


def _to_tag(item: Any) -> Any:
    if isinstance(item, BaseTag) or item is None:
        return item
    if isinstance(item, np.integer):
        item = int(item)
    try:
        return Tag(item)
    except (TypeError, ValueError, OverflowError):
        return item


def _to_python_number(item: Any) -> Any:
    if isinstance(item, np.generic):
        return item.item()
    return item


def _to_str(item: Any) -> Any:
    return item


def _to_uid(item: Any) -> Any:
    # UIDs read and assigned are dicomcore.uid.UID, so .name, .keyword and
    # the transfer syntax properties work on ds.file_meta.TransferSyntaxUID.
    if isinstance(item, str) and not isinstance(item, UID):
        return UID(item)
    if isinstance(item, (int, float, Decimal, np.number)):
        # A number is never a UID: refused whatever the validation mode, as
        # pydicom does (code catches its TypeError).
        raise DicomTypeError(
            f"Invalid value for VR UI: {item!r} is a {type(item).__name__}, "
            "a UID must be a str"
        )
    return item


ITEM_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    **{vr: _to_str for vr in STRING_VRS},
    **{vr: _to_python_number for vr in NUMBER_VRS},
    "DS": _to_ds,
    "IS": _to_is,
    "PN": _to_pn,
    "DA": _date_converter(DA, (datetime.date,)),
    "TM": _date_converter(TM, (datetime.time, datetime.datetime)),
    "DT": _date_converter(DT, (datetime.date,)),
    "AT": _to_tag,
    "UI": _to_uid,
}


def convert_assigned_value(value: Any, vr: str) -> Any:
    """The value to store when a user assigns ``value`` to an element of
    ``vr``: each value gets the type decoding gives (``"1.5"`` for DS becomes
    ``DSfloat("1.5")``, ``"Doe^John"`` for PN a ``PersonName``, numpy scalars
    Python numbers), several values a :class:`MultiValue` that converts items
    added later. A str holding backslashes is split into its values, as reading
    the written element back would give.

    Conversion never rejects a value; :func:`validate_value` does, per the
    validation mode.

    >>> convert_assigned_value(["1.5", 2], "DS")
    ['1.5', '2']
    """
    if value is None or vr == "SQ":
        return value
    if vr in BYTES_VRS:
        if isinstance(value, (bytearray, memoryview)):
            return bytes(value)
        return value
    converter = ITEM_CONVERTERS.get(vr)
    if converter is None:
        return value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if (
        vr == "AT"
        and isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(part, (int, np.integer)) for part in value)
    ):
        # (group, element) as a user writes one tag
        return converter(value)
    if isinstance(value, list) and len(value) == 1:
        # A one-item list (MultiValue included) is stored as its item, as
        # pydicom stores it and as reading the written element gives back.
        return converter(value[0])
    if isinstance(value, (list, tuple)):
        return MultiValue(converter, value)
    if (
        isinstance(value, str)
        and "\\" in value
        and vr in STRING_VRS
        and vr not in SINGLE_VALUED_TEXT_VRS
    ):
        return MultiValue(converter, value.split("\\"))
    return converter(value)
