"""Date (DA), Time (TM) and Date Time (DT) values.

Each is a ``str`` holding the text as read or assigned, so it is written back
unchanged, with an accessor giving the :mod:`datetime` object it denotes:
``DA.date``, ``TM.time``, ``DT.datetime``. Parsing happens on first access;
text that is not a valid value raises :class:`DicomValueError` there.
"""

from __future__ import annotations

import datetime as _datetime
import re
from functools import cached_property
from typing import Any

from dicomcore.errors import DicomValueError

__all__ = ["DA", "DT", "TM", "parse_da", "parse_dt", "parse_tm"]

# PS3.5 Table 6.2-1 DA: YYYYMMDD; the ACR-NEMA form YYYY.MM.DD is still read.
_DA = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_DA_ACR_NEMA = re.compile(r"([0-9]{4})\.([0-9]{2})\.([0-9]{2})")
# PS3.5 Table 6.2-1 TM: HH[MM[SS[.F{1,6}]]]. Some writers end with a bare ".".
_TM = re.compile(r"([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:\.([0-9]{0,6}))?)?)?")
# ACR-NEMA form HH:MM[:SS[.F]].
_TM_ACR_NEMA = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{0,6}))?)?")
# PS3.5 Table 6.2-1 DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]
_DT = re.compile(
    r"([0-9]{4})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})"
    r"(?:([0-9]{2})(?:\.([0-9]{1,6}))?)?)?)?)?)?([-+][0-9]{4})?"
)
# PS3.5 Table 6.2-1 DT: the offset from UTC is -1200 to +1400.
_MIN_OFFSET = -_datetime.timedelta(hours=12)
_MAX_OFFSET = _datetime.timedelta(hours=14)


def parse_da(text: str, *, acr_nema: bool = True) -> _datetime.date:
    """The date a DA value denotes.

    ``acr_nema`` also accepts the retired ``YYYY.MM.DD`` form.
    """
    stripped = text.strip(" ")
    match = _DA.fullmatch(stripped)
    if match is None and acr_nema:
        match = _DA_ACR_NEMA.fullmatch(stripped)
    if match is None:
        raise DicomValueError(f"Invalid value for VR DA: {text!r} is not YYYYMMDD")
    year, month, day = (int(part) for part in match.groups())
    try:
        return _datetime.date(year, month, day)
    except ValueError as exc:
        raise DicomValueError(f"Invalid value for VR DA: {text!r}: {exc}") from None


def parse_tm(text: str, *, acr_nema: bool = True) -> _datetime.time:
    """The time of day a TM value denotes.

    A leap second (60) becomes 59, as :class:`datetime.time` has no second 60.
    ``acr_nema`` also accepts the retired ``HH:MM:SS`` form.
    """
    stripped = text.strip(" ")
    match = _TM.fullmatch(stripped)
    if match is None and acr_nema:
        match = _TM_ACR_NEMA.fullmatch(stripped)
    if match is None or (not acr_nema and stripped.endswith(".")):
        raise DicomValueError(
            f"Invalid value for VR TM: {text!r} is not HH[MM[SS[.FFFFFF]]]"
        )
    hour, minute, second, fraction = match.groups()
    try:
        return _datetime.time(
            int(hour),
            int(minute or 0),
            min(int(second or 0), 59),
            _microseconds(fraction),
        )
    except ValueError as exc:
        raise DicomValueError(f"Invalid value for VR TM: {text!r}: {exc}") from None


def parse_dt(text: str) -> _datetime.datetime:
    """The date and time a DT value denotes; components left out take their
    lowest value (``"2020"`` is 2020-01-01 00:00). With a UTC offset the
    result is time-zone aware."""
    stripped = text.strip(" ")
    match = _DT.fullmatch(stripped)
    if match is None:
        raise DicomValueError(
            f"Invalid value for VR DT: {text!r} is not "
            "YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][+/-ZZXX]"
        )
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    tzinfo = None
    if offset is not None:
        sign = -1 if offset[0] == "-" else 1
        delta = sign * _datetime.timedelta(
            hours=int(offset[1:3]), minutes=int(offset[3:5])
        )
        if not _MIN_OFFSET <= delta <= _MAX_OFFSET or int(offset[3:5]) >= 60:
            raise DicomValueError(
                f"Invalid value for VR DT: {text!r} has UTC offset {offset}, "
                "outside -1200..+1400"
            )
        tzinfo = _datetime.timezone(delta)
    try:
        return _datetime.datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            min(int(second or 0), 59),
            _microseconds(fraction),
            tzinfo=tzinfo,
        )
    except ValueError as exc:
        raise DicomValueError(f"Invalid value for VR DT: {text!r}: {exc}") from None


def _microseconds(fraction: str | None) -> int:
    if not fraction:
        return 0
    return int(fraction.ljust(6, "0"))


def _da_text(value: _datetime.date) -> str:
    # strftime("%Y") does not zero-pad years before 1000 on every platform
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _tm_text(value: _datetime.time) -> str:
    text = f"{value.hour:02d}{value.minute:02d}{value.second:02d}"
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text


def _offset_text(offset: _datetime.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{minutes:02d}"


class DA(str):
    """A DA value (``YYYYMMDD``), with :attr:`date`.

    >>> import datetime
    >>> DA("20240229").date
    datetime.date(2024, 2, 29)
    >>> DA(datetime.date(2024, 2, 29))
    '20240229'
    """

    def __new__(cls, value: Any = "") -> DA:
        if isinstance(value, _datetime.datetime):
            value = value.date()
        if isinstance(value, _datetime.date):
            obj = super().__new__(cls, _da_text(value))
            obj.__dict__["date"] = value
            return obj
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return str.__repr__(self)

    @cached_property
    def date(self) -> _datetime.date | None:
        """The date; ``None`` for an empty value."""
        if not self.strip(" "):
            return None
        return parse_da(self)

    @property
    def year(self) -> int | None:
        return None if self.date is None else self.date.year

    @property
    def month(self) -> int | None:
        return None if self.date is None else self.date.month

    @property
    def day(self) -> int | None:
        return None if self.date is None else self.date.day


class TM(str):
    """A TM value (``HHMMSS.FFFFFF``, trailing parts optional), with
    :attr:`time`.

    >>> TM("101112.5").time
    datetime.time(10, 11, 12, 500000)
    """

    def __new__(cls, value: Any = "") -> TM:
        if isinstance(value, _datetime.datetime):
            value = value.time()
        if isinstance(value, _datetime.time):
            obj = super().__new__(cls, _tm_text(value))
            obj.__dict__["time"] = value
            return obj
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return str.__repr__(self)

    @cached_property
    def time(self) -> _datetime.time | None:
        """The time of day; ``None`` for an empty value."""
        if not self.strip(" "):
            return None
        return parse_tm(self)

    @property
    def hour(self) -> int | None:
        return None if self.time is None else self.time.hour

    @property
    def minute(self) -> int | None:
        return None if self.time is None else self.time.minute

    @property
    def second(self) -> int | None:
        return None if self.time is None else self.time.second

    @property
    def microsecond(self) -> int | None:
        return None if self.time is None else self.time.microsecond


class DT(str):
    """A DT value (``YYYYMMDDHHMMSS.FFFFFF&ZZXX``, trailing parts optional),
    with :attr:`datetime`.

    >>> DT("20240229101112.5+0100").datetime.isoformat()
    '2024-02-29T10:11:12.500000+01:00'
    """

    def __new__(cls, value: Any = "") -> DT:
        if isinstance(value, _datetime.datetime):
            text = _da_text(value) + _tm_text(value.time())
            offset = value.utcoffset()
            if offset is not None:
                text += _offset_text(offset)
            obj = super().__new__(cls, text)
            obj.__dict__["datetime"] = value
            return obj
        if isinstance(value, _datetime.date):
            obj = super().__new__(cls, _da_text(value))
            obj.__dict__["datetime"] = _datetime.datetime(
                value.year, value.month, value.day
            )
            return obj
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return str.__repr__(self)

    @cached_property
    def datetime(self) -> _datetime.datetime | None:
        """The date and time; ``None`` for an empty value."""
        if not self.strip(" "):
            return None
        return parse_dt(self)

    @property
    def date(self) -> _datetime.date | None:
        return None if self.datetime is None else self.datetime.date()

    @property
    def time(self) -> _datetime.time | None:
        return None if self.datetime is None else self.datetime.timetz()

    @property
    def tzinfo(self) -> _datetime.tzinfo | None:
        return None if self.datetime is None else self.datetime.tzinfo
