"""A value for a string VR as the list of its values' texts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import numpy as np

from dicomcore.errors import DicomValueError
from dicomcore.values.dates import DA, DT, TM
from dicomcore.values.number_strings import IS, DSfloat, ISfloat, format_number_as_ds

__all__ = ["SINGLE_VALUED_TEXT_VRS", "text_items"]

# PS3.5 6.4: these string VRs always have VM 1, so a backslash in them is an
# ordinary character rather than a value delimiter.
SINGLE_VALUED_TEXT_VRS = frozenset({"LT", "ST", "UT", "UR"})


def text_items(vr: str, value: Any) -> list[str]:
    """The text of each value in ``value`` (a str, a number, a date, or a
    list of them); a str holding backslashes is several values unless the VR
    is single-valued. Raises :class:`DicomValueError` for a type the VR cannot
    hold."""
    if isinstance(value, str):
        if vr in SINGLE_VALUED_TEXT_VRS or "\\" not in value:
            return [value]
        return value.split("\\")
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_item_text(vr, item) for item in value]
    return [_item_text(vr, value)]


def _item_text(vr: str, item: Any) -> str:
    if isinstance(item, str):
        return str(item)
    if item is None:
        return ""
    formatter = _FORMATTERS.get(vr)
    if formatter is not None:
        text = formatter(item)
        if text is not None:
            return text
    raise DicomValueError(
        f"Invalid value for VR {vr}: {item!r} is a {type(item).__name__}, "
        "which this VR cannot hold"
    )


def _is_number(item: Any) -> bool:
    return isinstance(item, (int, float, Decimal, np.integer, np.floating)) and not (
        isinstance(item, (bool, np.bool_))
    )


def _ds_text(item: Any) -> str | None:
    if isinstance(item, DSfloat):
        return str(item)
    if _is_number(item):
        if isinstance(item, np.generic):
            item = item.item()
        return format_number_as_ds(item)
    return None


def _is_text(item: Any) -> str | None:
    if isinstance(item, (IS, ISfloat)):
        return str(item)
    if not _is_number(item):
        return None
    if isinstance(item, (int, np.integer)):
        return str(int(item))
    if float(item).is_integer():
        return str(int(item))
    raise DicomValueError(f"Invalid value for VR IS: {item!r} is not an integer")


def _original_text(item: Any) -> str | None:
    # A dicomcore.valuerep DA, TM or DT keeps the text it was made from,
    # which may be shorter than its date or time written out ("1010").
    text = getattr(item, "__dict__", {}).get("original_string")
    return text if isinstance(text, str) else None


def _da_text(item: Any) -> str | None:
    if not isinstance(item, datetime.date):
        return None
    return _original_text(item) or DA(item)


def _tm_text(item: Any) -> str | None:
    if not isinstance(item, (datetime.time, datetime.datetime)):
        return None
    return _original_text(item) or TM(item)


def _dt_text(item: Any) -> str | None:
    if not isinstance(item, datetime.date):
        return None
    return _original_text(item) or DT(item)


_FORMATTERS = {
    "DS": _ds_text,
    "IS": _is_text,
    "DA": _da_text,
    "TM": _tm_text,
    "DT": _dt_text,
}
