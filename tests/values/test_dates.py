"""DA, TM and DT values."""

from __future__ import annotations

import datetime
import pickle

import pytest

from dicomcore.errors import DicomValueError
from dicomcore.values import DA, DT, TM, parse_range

UTC = datetime.timezone.utc


def test_da() -> None:
    value = DA("20240229")
    assert value == "20240229"
    assert value.date == datetime.date(2024, 2, 29)
    assert (value.year, value.month, value.day) == (2024, 2, 29)
    assert DA("1999.01.02").date == datetime.date(1999, 1, 2)  # ACR-NEMA
    assert DA("").date is None


def test_da_from_date() -> None:
    assert DA(datetime.date(2020, 1, 2)) == "20200102"
    assert DA(datetime.datetime(2020, 1, 2, 3, 4)) == "20200102"
    assert DA(datetime.date(5, 1, 2)) == "00050102"


@pytest.mark.parametrize(
    "text", ["20230229", "2020-01-01", "2020", "20200101-20201231"]
)
def test_da_invalid(text: str) -> None:
    with pytest.raises(DicomValueError, match="VR DA"):
        _ = DA(text).date


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("10", datetime.time(10)),
        ("1011", datetime.time(10, 11)),
        ("101112", datetime.time(10, 11, 12)),
        ("101112.5", datetime.time(10, 11, 12, 500000)),
        ("101112.000001", datetime.time(10, 11, 12, 1)),
        ("101112.", datetime.time(10, 11, 12)),
        ("10:11:12", datetime.time(10, 11, 12)),  # ACR-NEMA
        ("10:11:12.25", datetime.time(10, 11, 12, 250000)),
        ("235960", datetime.time(23, 59, 59)),  # leap second
        ("101112 ", datetime.time(10, 11, 12)),
    ],
)
def test_tm(text: str, time: datetime.time) -> None:
    value = TM(text)
    assert value.time == time
    assert str(value) == text


def test_tm_accessors_and_from_time() -> None:
    value = TM("101112.5")
    assert (value.hour, value.minute, value.second, value.microsecond) == (
        10,
        11,
        12,
        500000,
    )
    assert TM(datetime.time(1, 2, 3)) == "010203"
    assert TM(datetime.time(1, 2, 3, 4500)) == "010203.004500"
    assert TM("").time is None


@pytest.mark.parametrize("text", ["24", "1060", "1", "10111", "ab"])
def test_tm_invalid(text: str) -> None:
    with pytest.raises(DicomValueError, match="VR TM"):
        _ = TM(text).time


@pytest.mark.parametrize(
    ("text", "stamp"),
    [
        ("2020", datetime.datetime(2020, 1, 1)),
        ("202002", datetime.datetime(2020, 2, 1)),
        ("20200203", datetime.datetime(2020, 2, 3)),
        ("2020020304", datetime.datetime(2020, 2, 3, 4)),
        ("20200203040506.123", datetime.datetime(2020, 2, 3, 4, 5, 6, 123000)),
        (
            "20200203040506.123456+0100",
            datetime.datetime(
                2020,
                2,
                3,
                4,
                5,
                6,
                123456,
                tzinfo=datetime.timezone(datetime.timedelta(hours=1)),
            ),
        ),
        (
            "2020-0530",
            datetime.datetime(
                2020,
                1,
                1,
                tzinfo=datetime.timezone(-datetime.timedelta(hours=5, minutes=30)),
            ),
        ),
        ("20200203040506+0000", datetime.datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC)),
    ],
)
def test_dt(text: str, stamp: datetime.datetime) -> None:
    value = DT(text)
    assert value.datetime == stamp
    assert value.datetime is not None
    assert value.datetime.utcoffset() == stamp.utcoffset()


def test_dt_accessors() -> None:
    value = DT("20200203040506+0100")
    assert value.date == datetime.date(2020, 2, 3)
    assert value.time is not None and value.time.hour == 4
    assert value.tzinfo == datetime.timezone(datetime.timedelta(hours=1))
    assert DT("").datetime is None


def test_dt_from_datetime() -> None:
    offset = datetime.timezone(-datetime.timedelta(hours=5, minutes=30))
    stamp = datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=offset)
    assert DT(stamp) == "20200102030405.000006-0530"
    assert DT(stamp).datetime is stamp
    assert DT(datetime.datetime(2020, 1, 2, 3, 4, 5)) == "20200102030405"
    assert DT(datetime.date(2020, 1, 2)) == "20200102"


@pytest.mark.parametrize("text", ["20201301", "2020+1500", "202", "2020010203.5", "x"])
def test_dt_invalid(text: str) -> None:
    with pytest.raises(DicomValueError, match="VR DT"):
        _ = DT(text).datetime


def test_pickle_keeps_type() -> None:
    clone = pickle.loads(pickle.dumps(DA("20200102")))
    assert type(clone) is DA and clone.date == datetime.date(2020, 1, 2)


def test_against_pydicom() -> None:
    valuerep = pytest.importorskip("pydicom.valuerep")
    for text in ["20200102", "19991231"]:
        assert DA(text).date == valuerep.DA(text)
    for text in ["101112.5", "1011", "235959.999999"]:
        assert TM(text).time == valuerep.TM(text)
    for text in ["2020", "20200203040506.123456+0100", "20200203-0530"]:
        assert DT(text).datetime == valuerep.DT(text)


# Precision and range matching (PS3.4 C.2.2.2.5)


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("10", "hour"),
        ("1011", "minute"),
        ("101112", "second"),
        ("101112.5", "fraction"),
        ("10:11", "minute"),
    ],
)
def test_tm_precision(text: str, precision: str) -> None:
    assert TM(text).precision == precision


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("2020", "year"),
        ("202002", "month"),
        ("20200229", "day"),
        ("2020022910", "hour"),
        ("202002291011-0500", "minute"),
        ("20200229101112", "second"),
        ("20200229101112.123456+0100", "fraction"),
    ],
)
def test_dt_precision(text: str, precision: str) -> None:
    assert DT(text).precision == precision


def test_empty_values_have_no_precision() -> None:
    assert TM("").precision is None
    assert DT("").precision is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("20200101-20201231", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
        ("-20201231", None, datetime.date(2020, 12, 31)),
        ("20200101-", datetime.date(2020, 1, 1), None),
        ("20200229", datetime.date(2020, 2, 29), datetime.date(2020, 2, 29)),
    ],
)
def test_da_range(
    text: str, start: datetime.date | None, end: datetime.date | None
) -> None:
    value = DA(text)
    assert value.is_range == ("-" in text)
    assert value.range == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1000-1100", datetime.time(10), datetime.time(11, 0, 59, 999999)),
        ("-1100", None, datetime.time(11, 0, 59, 999999)),
        ("101112.5-", datetime.time(10, 11, 12, 500000), None),
        ("10", datetime.time(10), datetime.time(10, 59, 59, 999999)),
        ("101112", datetime.time(10, 11, 12), datetime.time(10, 11, 12, 999999)),
        (
            "101112.25",
            datetime.time(10, 11, 12, 250000),
            datetime.time(10, 11, 12, 259999),
        ),
    ],
)
def test_tm_range(
    text: str, start: datetime.time | None, end: datetime.time | None
) -> None:
    assert TM(text).range == (start, end)


def test_dt_range() -> None:
    minus_five = datetime.timezone(datetime.timedelta(hours=-5))
    assert DT("2020-2021").is_range
    assert DT("2020-2021").range == (
        datetime.datetime(2020, 1, 1),
        datetime.datetime(2021, 12, 31, 23, 59, 59, 999999),
    )
    assert DT("202002").range == (
        datetime.datetime(2020, 2, 1),
        datetime.datetime(2020, 2, 29, 23, 59, 59, 999999),
    )
    # a negative UTC offset is not a range
    single = DT("2020010112-0500")
    assert not single.is_range
    assert single.range == (
        datetime.datetime(2020, 1, 1, 12, tzinfo=minus_five),
        datetime.datetime(2020, 1, 1, 12, 59, 59, 999999, tzinfo=minus_five),
    )
    # ... but may start one
    assert DT("2020010112-0500-20200102").range == (
        datetime.datetime(2020, 1, 1, 12, tzinfo=minus_five),
        datetime.datetime(2020, 1, 2, 23, 59, 59, 999999),
    )
    assert DT("-20200101120000+0100").range[0] is None


@pytest.mark.parametrize(
    ("vr", "text"), [("DA", "20201231-20200101"), ("DA", "-"), ("TM", "12-10")]
)
def test_invalid_ranges(vr: str, text: str) -> None:
    with pytest.raises(DicomValueError, match=f"VR {vr}"):
        parse_range(text, vr)


def test_from_range_and_precision_round_trip() -> None:
    assert DA.from_range(datetime.date(2020, 1, 1), None) == "20200101-"
    assert TM.from_range(None, datetime.time(12, 30)) == "-123000"
    assert DT.from_range("2020", "2021") == "2020-2021"
    assert TM(datetime.time(10, 11, 12), precision="minute") == "1011"
    assert TM(datetime.time(10, 11, 12), precision="fraction") == "101112.000000"
    stamp = datetime.datetime(
        2020, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))
    )
    assert DT(stamp, precision="minute") == "202001020304-0500"
    assert DT(stamp, precision="month") == "202001-0500"
    assert DT(stamp).utcoffset == datetime.timedelta(hours=-5)
    assert DT(stamp, precision="hour").datetime == stamp.replace(minute=0, second=0)
    with pytest.raises(ValueError, match="precision"):
        DT(stamp, precision="week")
