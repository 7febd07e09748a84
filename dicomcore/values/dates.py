"""Date (DA), Time (TM) and Date Time (DT) values.

Each is a ``str`` holding the text as read or assigned, so it is written back
unchanged, with an accessor giving the :mod:`datetime` object it denotes:
``DA.date``, ``TM.time``, ``DT.datetime``. Parsing happens on first access;
text that is not a valid value raises :class:`DicomValueError` there.

TM and DT may stop at any component (``"10"``, ``"202001"``); ``precision``
names the last one given, and ``range`` gives the first and last instant the
value covers. A query value may also be a range (PS3.4 C.2.2.2.5):
``"20200101-20201231"``, ``"-1200"``, ``"2020-"``; ``is_range`` tells, and
``range`` gives ``(start, end)`` with None for an open end.

>>> DA("20200101-20201231").range
(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
>>> TM("10").range
(datetime.time(10, 0), datetime.time(10, 59, 59, 999999))
"""

from __future__ import annotations

import datetime as _datetime
import re
from functools import cached_property
from typing import Any

from dicomcore import config
from dicomcore.errors import DicomValueError

__all__ = ["DA", "DT", "TM", "parse_da", "parse_dt", "parse_range", "parse_tm"]

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


def _tm_groups(text: str, acr_nema: bool) -> tuple[Any, ...]:
    stripped = text.strip(" ")
    match = _TM.fullmatch(stripped)
    if match is None and acr_nema:
        match = _TM_ACR_NEMA.fullmatch(stripped)
    if match is None or (not acr_nema and stripped.endswith(".")):
        raise DicomValueError(
            f"Invalid value for VR TM: {text!r} is not HH[MM[SS[.FFFFFF]]]"
        )
    return match.groups()


def parse_tm(text: str, *, acr_nema: bool = True) -> _datetime.time:
    """The time of day a TM value denotes.

    A leap second (60) becomes 59, as :class:`datetime.time` has no second 60.
    ``acr_nema`` also accepts the retired ``HH:MM:SS`` form.
    """
    hour, minute, second, fraction = _tm_groups(text, acr_nema)
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
    year, month, day, hour, minute, second, fraction, offset = _dt_groups(text)
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


def _dt_groups(text: str) -> tuple[Any, ...]:
    match = _DT.fullmatch(text.strip(" "))
    if match is None:
        raise DicomValueError(
            f"Invalid value for VR DT: {text!r} is not "
            "YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][+/-ZZXX]"
        )
    return match.groups()


# The components of TM and DT, in order; a value names the last one it gives.
_DT_COMPONENTS = ("year", "month", "day", "hour", "minute", "second", "fraction")
_TM_COMPONENTS = _DT_COMPONENTS[3:]


def _precision(groups: tuple[str | None, ...], names: tuple[str, ...]) -> str:
    given = [name for name, part in zip(names, groups, strict=False) if part]
    return given[-1] if given else names[0]


def _unfilled_microseconds(fraction: str | None) -> int:
    """How many microseconds past the given digits of a fraction its last
    digit still covers: ``"5"`` (tenths) covers 99999 more."""
    digits = len(fraction or "")
    return 10 ** (6 - digits) - 1 if digits else 999999


def _time_span(value: _datetime.time, groups: tuple[str | None, ...]) -> _datetime.time:
    """The last instant of the minute, second ... that a TM value names."""
    hour, minute, second, fraction = groups
    if minute is None:
        return value.replace(minute=59, second=59, microsecond=999999)
    if second is None:
        return value.replace(second=59, microsecond=999999)
    return value.replace(
        microsecond=value.microsecond + _unfilled_microseconds(fraction)
    )


def _datetime_span(
    value: _datetime.datetime, groups: tuple[str | None, ...]
) -> _datetime.datetime:
    """The last instant of the year, month ... that a DT value names."""
    year, month, day, hour, minute, second, fraction, _offset = groups
    if month is None:
        return value.replace(
            month=12, day=31, hour=23, minute=59, second=59, microsecond=999999
        )
    if day is None:
        next_month = value.replace(day=28) + _datetime.timedelta(days=4)
        last_day = (next_month - _datetime.timedelta(days=next_month.day)).day
        return value.replace(
            day=last_day, hour=23, minute=59, second=59, microsecond=999999
        )
    if hour is None:
        return value.replace(hour=23, minute=59, second=59, microsecond=999999)
    if minute is None:
        return value.replace(minute=59, second=59, microsecond=999999)
    if second is None:
        return value.replace(second=59, microsecond=999999)
    return value.replace(
        microsecond=value.microsecond + _unfilled_microseconds(fraction)
    )


def _span(vr: str, text: str) -> tuple[Any, Any]:
    """The first and last instant one DA, TM or DT value covers."""
    if vr == "DA":
        date = parse_da(text)
        return date, date
    if vr == "TM":
        time = parse_tm(text)
        return time, _time_span(time, _tm_groups(text, True))
    stamp = parse_dt(text)
    return stamp, _datetime_span(stamp, _dt_groups(text))


def _split_range(vr: str, text: str) -> tuple[str, str] | None:
    """``(start, end)`` texts of a range value, or None for a single value."""
    stripped = text.strip(" ")
    if "-" not in stripped:
        return None
    if vr == "DT":
        # A DT's UTC offset may be negative: a value that reads as one DT is
        # one, otherwise the "-" that leaves two valid ends splits it.
        try:
            parse_dt(stripped)
        except DicomValueError:
            pass
        else:
            return None
        for index, character in enumerate(stripped):
            if character != "-":
                continue
            low, high = stripped[:index], stripped[index + 1 :]
            if _valid_end(vr, low) and _valid_end(vr, high) and (low or high):
                return low, high
        raise DicomValueError(f"Invalid value for VR DT: {text!r} is not a range")
    low, _, high = stripped.partition("-")
    if not (low or high):
        raise DicomValueError(f"Invalid value for VR {vr}: {text!r} is not a range")
    return low, high


def _valid_end(vr: str, text: str) -> bool:
    if not text:
        return True
    try:
        _span(vr, text)
    except DicomValueError:
        return False
    return True


def parse_range(text: str, vr: str) -> tuple[Any, Any]:
    """``(start, end)`` of a DA, TM or DT value used for range matching
    (PS3.4 C.2.2.2.5): ``"A-B"`` from the first instant of A to the last of
    B, inclusive; ``"-B"`` and ``"A-"`` are open at one end (None). A single
    value gives its own span: ``"2020"`` as DT is all of 2020.

    >>> parse_range("-20201231", "DA")
    (None, datetime.date(2020, 12, 31))
    >>> parse_range("2020-2021", "DT")[1]
    datetime.datetime(2021, 12, 31, 23, 59, 59, 999999)
    """
    if vr not in ("DA", "TM", "DT"):
        raise ValueError(f"range matching is for DA, TM and DT, not {vr}")
    ends = _split_range(vr, text)
    if ends is None:
        return _span(vr, text)
    low, high = ends
    start = _span(vr, low)[0] if low else None
    end = _span(vr, high)[1] if high else None
    if start is not None and end is not None and _comparable(start, end) > end:
        raise DicomValueError(
            f"Invalid value for VR {vr}: range {text!r} ends before it starts"
        )
    return start, end


def _comparable(start: Any, end: Any) -> Any:
    # A range may give a UTC offset at one end only (PS3.4 C.2.2.2.5.1 leaves
    # the other end local); compare them as if both were local.
    if isinstance(start, _datetime.datetime) and (start.tzinfo is None) != (
        end.tzinfo is None
    ):
        return start.replace(tzinfo=end.tzinfo)
    return start


def _microseconds(fraction: str | None) -> int:
    if not fraction:
        return 0
    return int(fraction.ljust(6, "0"))


def _da_text(value: _datetime.date) -> str:
    # strftime("%Y") does not zero-pad years before 1000 on every platform
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _tm_text(value: _datetime.time, precision: str | None = None) -> str:
    parts = [f"{value.hour:02d}", f"{value.minute:02d}", f"{value.second:02d}"]
    if precision is not None:
        if precision not in _TM_COMPONENTS:
            raise ValueError(f"precision must be one of {_TM_COMPONENTS}")
        if precision == "fraction":
            return "".join(parts) + f".{value.microsecond:06d}"
        return "".join(parts[: _TM_COMPONENTS.index(precision) + 1])
    text = "".join(parts)
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    return text


def _dt_text(value: _datetime.datetime, precision: str | None) -> str:
    if precision is not None and precision not in _DT_COMPONENTS:
        raise ValueError(f"precision must be one of {_DT_COMPONENTS}")
    if precision in ("year", "month", "day"):
        text = _da_text(value)[: (4, 6, 8)[_DT_COMPONENTS.index(precision)]]
    else:
        text = _da_text(value) + _tm_text(value.time(), precision)
    offset = value.utcoffset()
    if offset is not None:
        text += _offset_text(offset)
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
        return _shown(self)

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

    @property
    def is_range(self) -> bool:
        """True for a range ``"A-B"``, ``"-B"`` or ``"A-"`` (queries)."""
        return "-" in self

    @property
    def range(self) -> tuple[_datetime.date | None, _datetime.date | None]:
        """``(start, end)``, see :func:`parse_range`; a single date gives
        itself twice."""
        return parse_range(self, "DA")

    @classmethod
    def from_range(
        cls, start: _datetime.date | str | None, end: _datetime.date | str | None
    ) -> DA:
        """A range value for a query; None leaves that end open.

        >>> import datetime
        >>> DA.from_range(None, datetime.date(2020, 12, 31))
        '-20201231'
        """
        return cls(f"{_end_text(cls, start)}-{_end_text(cls, end)}")


class TM(str):
    """A TM value (``HHMMSS.FFFFFF``, trailing parts optional), with
    :attr:`time`.

    >>> TM("101112.5").time
    datetime.time(10, 11, 12, 500000)
    """

    def __new__(cls, value: Any = "", *, precision: str | None = None) -> TM:
        """``precision`` ("hour", "minute", "second" or "fraction") writes
        a time to that component only; by default seconds, and the fraction
        when there is one."""
        if isinstance(value, _datetime.datetime):
            value = value.time()
        if isinstance(value, _datetime.time):
            obj = super().__new__(cls, _tm_text(value, precision))
            if precision is None:
                obj.__dict__["time"] = value
            return obj
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return _shown(self)

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

    @property
    def precision(self) -> str | None:
        """The last component given: "hour", "minute", "second" or
        "fraction"; None for an empty value."""
        if not self.strip(" "):
            return None
        return _precision(_tm_groups(self, True), _TM_COMPONENTS)

    @property
    def is_range(self) -> bool:
        """True for a range ``"A-B"``, ``"-B"`` or ``"A-"`` (queries)."""
        return "-" in self

    @property
    def range(self) -> tuple[_datetime.time | None, _datetime.time | None]:
        """``(start, end)``, see :func:`parse_range`: ``"10"`` is
        10:00:00 to 10:59:59.999999."""
        return parse_range(self, "TM")

    @classmethod
    def from_range(
        cls, start: _datetime.time | str | None, end: _datetime.time | str | None
    ) -> TM:
        """A range value for a query; None leaves that end open."""
        return cls(f"{_end_text(cls, start)}-{_end_text(cls, end)}")


class DT(str):
    """A DT value (``YYYYMMDDHHMMSS.FFFFFF&ZZXX``, trailing parts optional),
    with :attr:`datetime`.

    >>> DT("20240229101112.5+0100").datetime.isoformat()
    '2024-02-29T10:11:12.500000+01:00'
    """

    def __new__(cls, value: Any = "", *, precision: str | None = None) -> DT:
        """``precision`` ("year", "month", ... "second", "fraction") writes
        a datetime to that component only (its UTC offset, if aware, always);
        by default to seconds, and the fraction when there is one."""
        if isinstance(value, _datetime.datetime):
            obj = super().__new__(cls, _dt_text(value, precision))
            if precision is None:
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
        return _shown(self)

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

    @property
    def utcoffset(self) -> _datetime.timedelta | None:
        """The offset from UTC the value gives (``&ZZXX``), or None."""
        return None if self.datetime is None else self.datetime.utcoffset()

    @property
    def precision(self) -> str | None:
        """The last component given: "year", "month", "day", "hour",
        "minute", "second" or "fraction"; None for an empty value."""
        if not self.strip(" "):
            return None
        return _precision(_dt_groups(self)[:7], _DT_COMPONENTS)

    @property
    def is_range(self) -> bool:
        """True for a range ``"A-B"``, ``"-B"`` or ``"A-"`` (queries); a
        negative UTC offset alone does not make one."""
        try:
            return _split_range("DT", self) is not None
        except DicomValueError:
            return False

    @property
    def range(
        self,
    ) -> tuple[_datetime.datetime | None, _datetime.datetime | None]:
        """``(start, end)``, see :func:`parse_range`: ``"202002"`` is
        2020-02-01 00:00 to 2020-02-29 23:59:59.999999."""
        return parse_range(self, "DT")

    @classmethod
    def from_range(
        cls,
        start: _datetime.datetime | str | None,
        end: _datetime.datetime | str | None,
    ) -> DT:
        """A range value for a query; None leaves that end open."""
        return cls(f"{_end_text(cls, start)}-{_end_text(cls, end)}")


def _end_text(cls: type[str], end: Any) -> str:
    return "" if end is None else str(cls(end))


def _shown(value: str) -> str:
    """``repr`` of a date or time as pydicom shows it: quoted as text, or in
    double quotes when ``config.datetime_conversion`` is set (pydicom's
    flag, under which its values are date and time objects)."""
    if getattr(config, "datetime_conversion", False):
        return f'"{value}"'
    return str.__repr__(value)
