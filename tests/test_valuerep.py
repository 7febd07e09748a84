"""dicomcore.valuerep: pydicom's value types, checked against pydicom 3."""

from __future__ import annotations

import datetime
import pickle
import warnings

import pytest

from dicomcore import Dataset, valuerep
from dicomcore.errors import DicomValueError

pydicom_valuerep = pytest.importorskip("pydicom.valuerep")


@pytest.mark.parametrize(
    ("cls", "text", "expected"),
    [
        ("DA", "20200102", datetime.date(2020, 1, 2)),
        ("DA", "2020.01.02", datetime.date(2020, 1, 2)),
        ("TM", "1010", datetime.time(10, 10)),
        ("TM", "101010.25", datetime.time(10, 10, 10, 250000)),
        ("TM", "235960", datetime.time(23, 59, 59)),
        ("DT", "2020", datetime.datetime(2020, 1, 1)),
        ("DT", "20200102030405.000001", datetime.datetime(2020, 1, 2, 3, 4, 5, 1)),
    ],
)
def test_dates_are_datetime_subclasses_like_pydicoms(cls, text, expected):
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        ours = getattr(valuerep, cls)(text)
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        theirs = getattr(pydicom_valuerep, cls)(text)
    # a leap second is warned about, as pydicom does
    assert [str(w.message) for w in ours_warned] == [
        str(w.message) for w in theirs_warned
    ]
    assert ours == expected == theirs
    assert isinstance(ours, type(expected))
    assert (str(ours), repr(ours)) == (str(theirs), repr(theirs)) == (text, f'"{text}"')


def test_empty_dates_are_none():
    assert valuerep.DA("") is None
    assert valuerep.TM("  ") is None
    assert valuerep.DT(None) is None


def test_a_utc_offset_is_named_by_its_text():
    ours = valuerep.DT("20200102030405+0130")
    assert ours.utcoffset() == datetime.timedelta(hours=1, minutes=30)
    assert str(ours.tzinfo) == str(pydicom_valuerep.DT("20200102030405+0130").tzinfo)
    assert str(ours.tzinfo) == "+0130"


def test_made_from_datetime_objects_the_text_is_written_out():
    assert str(valuerep.DA(datetime.date(1999, 12, 31))) == "19991231"
    assert str(valuerep.TM(datetime.time(7, 8, 9, 500))) == "070809.000500"
    moment = datetime.datetime(
        2021, 2, 3, 4, 5, 6, tzinfo=datetime.timezone(-datetime.timedelta(hours=5))
    )
    assert str(valuerep.DT(moment)) == "20210203040506-0500"
    assert str(valuerep.DA(2020, 1, 2)) == "2020-01-02"


def test_an_invalid_date_raises_a_value_error():
    with pytest.raises(DicomValueError):
        valuerep.DA("2020")
    with pytest.raises(ValueError):
        valuerep.TM("25")


def test_pickled_dates_keep_their_text():
    copy = pickle.loads(pickle.dumps(valuerep.TM("1010")))
    assert type(copy) is valuerep.TM
    assert str(copy) == "1010"


def _written(dataset) -> bytes:
    from dicomcore.filebase import DicomBytesIO
    from dicomcore.filewriter import write_dataset

    fp = DicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = True, True
    write_dataset(fp, dataset)
    return fp.getvalue()


def test_assigned_dates_keep_their_text():
    from pydicom import Dataset as PydicomDataset
    from pydicom.filebase import DicomBytesIO as PydicomBytesIO
    from pydicom.filewriter import write_dataset as pydicom_write_dataset

    ds = Dataset()
    ds.StudyTime = valuerep.TM("1010")
    ds.StudyDate = valuerep.DA("20200102")
    # As pydicom: the objects assigned stay date and time objects...
    assert ds.StudyTime == datetime.time(10, 10)
    assert ds.StudyDate == datetime.date(2020, 1, 2)
    assert (str(ds.StudyTime), str(ds.StudyDate)) == ("1010", "20200102")
    # ...written as the text they were made from.
    theirs = PydicomDataset()
    theirs.StudyTime = pydicom_valuerep.TM("1010")
    theirs.StudyDate = pydicom_valuerep.DA("20200102")
    fp = PydicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = True, True
    pydicom_write_dataset(fp, theirs)
    expected = (
        b"\x08\x00\x20\x00\x08\x00\x00\x0020200102\x08\x00\x30\x00\x04\x00\x00\x001010"
    )
    assert fp.getvalue() == expected
    assert _written(ds) == expected


def test_assigned_date_objects_stay_date_objects():
    # Code written for pydicom combines an assigned date and time.
    from pydicom import Dataset as PydicomDataset

    date, time = datetime.date(2021, 3, 4), datetime.time(5, 6, 7, 890000)
    for dataset in (Dataset(), PydicomDataset()):
        dataset.AcquisitionDate = date
        dataset.AcquisitionTime = time
        dataset.AcquisitionDateTime = datetime.datetime.combine(
            dataset.AcquisitionDate, dataset.AcquisitionTime
        )
        assert type(dataset.AcquisitionDate) is datetime.date
        assert type(dataset.AcquisitionTime) is datetime.time
        assert dataset.AcquisitionDateTime == datetime.datetime(
            2021, 3, 4, 5, 6, 7, 890000
        )
    ds = Dataset()
    ds.AcquisitionDate = date
    ds.AcquisitionTime = time
    assert _written(ds) == (
        b"\x08\x00\x22\x00\x08\x00\x00\x0020210304"
        b"\x08\x00\x32\x00\x0e\x00\x00\x00050607.890000 "
    )


def test_assigned_valuerep_dates_equal_pydicoms():
    # highdicom compares what it stored with a new DA, TM or DT.
    from pydicom import Dataset as PydicomDataset

    for module, dataset in (
        (valuerep, Dataset()),
        (pydicom_valuerep, PydicomDataset()),
    ):
        dataset.Date = module.DA("20190821")
        dataset.Time = module.TM("101112")
        dataset.DateTime = module.DT("20190821101112")
        assert dataset.Date == module.DA("20190821")
        assert dataset.Time == module.TM("101112")
        assert dataset.DateTime == module.DT("20190821101112")
        assert dataset.Date == datetime.date(2019, 8, 21)


def test_vr_groups_equal_pydicoms():
    for name in (
        "AMBIGUOUS_VR",
        "BYTES_VR",
        "CUSTOMIZABLE_CHARSET_VR",
        "DEFAULT_CHARSET_VR",
        "EXPLICIT_VR_LENGTH_16",
        "EXPLICIT_VR_LENGTH_32",
        "FLOAT_VR",
        "INT_VR",
        "LIST_VR",
        "LONG_VALUE_VR",
        "STANDARD_VR",
        "STR_VR",
        "ALLOW_BACKSLASH",
        "BUFFERABLE_VRS",
    ):
        ours = sorted(str(vr) for vr in getattr(valuerep, name))
        assert ours == sorted(str(vr) for vr in getattr(pydicom_valuerep, name)), name
    assert valuerep.MAX_VALUE_LEN == pydicom_valuerep.MAX_VALUE_LEN
    assert valuerep.MAX_VALUE_LEN["LT"] == 10240
    assert valuerep.TEXT_VR_DELIMS == {9, 10, 12, 13}
    assert "DA" in valuerep.DEFAULT_CHARSET_VR
    assert "PN" not in valuerep.DEFAULT_CHARSET_VR


@pytest.mark.parametrize(
    ("text", "valid"),
    [("1.5", True), ("-1e-3", True), ("abc", False), ("1" * 17, False)],
)
def test_is_valid_ds(text, valid):
    assert valuerep.is_valid_ds(text) is valid is pydicom_valuerep.is_valid_ds(text)


def test_ds_decimal_keeps_its_text():
    value = valuerep.DSdecimal("1.250")
    assert str(value) == "1.250"
    assert value == pydicom_valuerep.DSdecimal("1.250")
    assert str(valuerep.DSdecimal("0.333333333333333333", auto_format=True)) == (
        "0.33333333333333"
    )
