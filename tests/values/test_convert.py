"""convert_assigned_value and empty_value_for_VR."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from dicomcore.dataset import Dataset
from dicomcore.tag import BaseTag
from dicomcore.values import (
    DA,
    DT,
    IS,
    TM,
    DSfloat,
    MultiValue,
    PersonName,
    convert_assigned_value,
    empty_value_for_VR,
)
from dicomcore.vr import VR


def test_ds() -> None:
    value = convert_assigned_value("1.5", "DS")
    assert type(value) is DSfloat and str(value) == "1.5"
    values = convert_assigned_value(["1.5", "2"], "DS")
    assert type(values) is MultiValue
    assert [type(item) for item in values] == [DSfloat, DSfloat]
    values.append(0.25)
    assert type(values[-1]) is DSfloat
    assert type(convert_assigned_value(np.float64(0.5), "DS")) is DSfloat
    assert convert_assigned_value("abc", "DS") == "abc"  # validation decides


def test_is() -> None:
    assert type(convert_assigned_value("12", "IS")) is IS
    assert type(convert_assigned_value(np.int32(3), "IS")) is IS
    assert convert_assigned_value(2.5, "IS") == 2.5


def test_pn_and_dates() -> None:
    assert type(convert_assigned_value("Doe^John", "PN")) is PersonName
    assert type(convert_assigned_value("20200101", "DA")) is DA
    # A date or time object assigned stays one, as pydicom keeps it.
    date = datetime.date(2020, 1, 2)
    assert convert_assigned_value(date, "DA") is date
    assert convert_assigned_value(datetime.time(1, 2), "TM") == datetime.time(1, 2)
    assert type(convert_assigned_value("0102", "TM")) is TM
    assert type(convert_assigned_value("2020", "DT")) is DT


def test_backslash_splits_values() -> None:
    value = convert_assigned_value("ORIGINAL\\PRIMARY", "CS")
    assert type(value) is MultiValue and value == ["ORIGINAL", "PRIMARY"]
    names = convert_assigned_value("A^B\\C^D", "PN")
    assert [type(name) for name in names] == [PersonName, PersonName]
    assert convert_assigned_value("a\\b", "LT") == "a\\b"  # VM 1


def test_numbers() -> None:
    value = convert_assigned_value(np.uint16(5), "US")
    assert value == 5 and type(value) is int
    values = convert_assigned_value(np.array([1, 2], dtype=np.uint16), "US")
    assert values == [1, 2] and all(type(item) is int for item in values)
    assert type(convert_assigned_value(np.float32(1.5), "FL")) is float


def test_at() -> None:
    value = convert_assigned_value((0x0018, 0x1063), "AT")
    assert type(value) is BaseTag and value == 0x00181063
    tags = convert_assigned_value([0x00181063, (0x0018, 0x1065)], "AT")
    assert tags == [0x00181063, 0x00181065]
    assert all(type(tag) is BaseTag for tag in tags)


def test_bytes_and_none() -> None:
    assert convert_assigned_value(bytearray(b"ab"), "OB") == b"ab"
    assert type(convert_assigned_value(memoryview(b"ab"), "OW")) is bytes
    assert convert_assigned_value(None, "PN") is None
    sequence: list[object] = []
    assert convert_assigned_value(sequence, "SQ") is sequence


@pytest.mark.parametrize(
    ("vr", "expected"),
    [
        ("PN", ""),
        ("LO", ""),
        ("UI", ""),
        ("DA", ""),
        ("DS", None),
        ("IS", None),
        ("US", None),
        ("FD", None),
        ("AT", None),
        ("OB", None),
        ("UN", None),
        ("SQ", None),
        (VR.CS, ""),
    ],
)
def test_empty_value_for_vr(vr: str, expected: object) -> None:
    assert empty_value_for_VR(vr) == expected


def test_empty_value_against_pydicom() -> None:
    dataelem = pytest.importorskip("pydicom.dataelem")
    for vr in VR:
        if vr == "SQ":  # pydicom gives [], our data model makes the Sequence
            continue
        assert empty_value_for_VR(vr) == dataelem.empty_value_for_VR(str(vr)), vr
        assert empty_value_for_VR(vr, raw=True) == dataelem.empty_value_for_VR(
            str(vr), raw=True
        ), vr


def test_one_item_list_is_stored_as_its_item_as_pydicom_does() -> None:
    assert convert_assigned_value([1], "UL") == 1
    assert type(convert_assigned_value([1], "UL")) is int
    assert convert_assigned_value(["A"], "CS") == "A"
    assert convert_assigned_value([], "CS") == []
    assert convert_assigned_value([1, 2], "UL") == [1, 2]
    pydicom = pytest.importorskip("pydicom")
    ours, theirs = Dataset(), pydicom.Dataset()
    for target in (ours, theirs):
        target.DimensionIndexValues = [3]
        target.ImageType = ["DERIVED"]
        target.PixelSpacing = [0.5]
    for keyword in ("DimensionIndexValues", "ImageType", "PixelSpacing"):
        assert ours[keyword].value == theirs[keyword].value
        assert (
            type(ours[keyword].value).__name__ == type(theirs[keyword].value).__name__
        )
    assert ours.DimensionIndexValues == 3


@pytest.mark.parametrize("number", [123456, 1.5])
def test_a_number_for_ui_is_a_type_error_as_in_pydicom(number) -> None:
    from pydicom import Dataset as PydicomDataset

    from dicomcore import Dataset
    from dicomcore.errors import DicomError

    with pytest.raises(TypeError):
        PydicomDataset().SeriesInstanceUID = number
    with pytest.raises(TypeError, match="a UID must be a str") as caught:
        Dataset().SeriesInstanceUID = number
    assert isinstance(caught.value, DicomError)
