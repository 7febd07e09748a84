"""DSfloat, IS and DS formatting."""

from __future__ import annotations

import copy
import pickle
import random
from decimal import Decimal

import numpy as np
import pytest

from dicomcore.errors import DicomValueError
from dicomcore.values import DS, IS, DSfloat, format_number_as_ds


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0.1, "0.1"),
        (1 / 3, "0.33333333333333"),
        (-1 / 3, "-0.3333333333333"),
        (100.0, "100.0"),
        (1e20, "1e+20"),
        (1e-20, "1e-20"),
        (1.2345678901234568e17, "1.2345678901e+17"),
        (6.666666666666667e-06, "6.6666666667e-06"),
        (123456789.123456789, "123456789.123457"),
        (12, "12"),
        (12345678901234567, "1.2345678901e+16"),
        (Decimal("1.10"), "1.10"),
        (Decimal("0.12345678901234567"), "0.12345678901235"),
    ],
)
def test_format_number_as_ds(number: float, text: str) -> None:
    assert format_number_as_ds(number) == text
    assert len(text) <= 16


@pytest.mark.parametrize("number", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_number_as_ds_non_finite(number: float) -> None:
    with pytest.raises(DicomValueError, match="not finite"):
        format_number_as_ds(number)


def test_format_number_as_ds_at_least_as_precise_as_pydicom() -> None:
    valuerep = pytest.importorskip("pydicom.valuerep")
    generator = random.Random(7)
    for _ in range(5000):
        number = generator.uniform(-1, 1) * 10 ** generator.randint(-300, 300)
        ours = format_number_as_ds(number)
        theirs = valuerep.format_number_as_ds(number)
        assert len(ours) <= 16
        assert abs(float(ours) - number) <= abs(float(theirs) - number)


def test_dsfloat_keeps_text() -> None:
    value = DSfloat(" 1.50 ")
    assert value == 1.5
    assert value == "1.50"
    assert value != "1.5"
    assert str(value) == "1.50"
    assert repr(value) == "'1.50'"
    assert hash(value) == hash(1.5)
    assert value.original_string == "1.50"


def test_dsfloat_from_numbers() -> None:
    assert str(DSfloat(1 / 3)) == "0.33333333333333"
    assert float(DSfloat(1 / 3)) == 1 / 3  # the value keeps its precision
    assert str(DSfloat(2)) == "2.0"  # as pydicom writes an int given as DS
    assert str(DSfloat(1234567.0)) == "1234567.0"
    assert str(DSfloat(2**53)) == "9007199254740992"  # Python's text is too long
    assert str(DSfloat(np.float32(0.5))) == "0.5"
    assert str(DSfloat(Decimal("2.50"))) == "2.50"
    assert str(DSfloat(float("nan"))) == "nan"
    assert str(DSfloat("1.234567", auto_format=True)) == "1.234567"
    assert str(DSfloat("1.0000000000000000001", auto_format=True)) == "1.0"


def test_dsfloat_invalid() -> None:
    with pytest.raises(DicomValueError, match=r"VR DS: 'abc' is not a decimal number"):
        DSfloat("abc")
    with pytest.raises(DicomValueError, match=r"VR DS: \[1\] is not a number"):
        DSfloat([1])


def test_dsfloat_pickle_and_copy_keep_text() -> None:
    value = DSfloat("1.50")
    for clone in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
        assert type(clone) is DSfloat
        assert str(clone) == "1.50"


def test_is_keeps_text() -> None:
    value = IS(" +42 ")
    assert value == 42
    assert value == "+42"
    assert str(value) == "+42"
    assert repr(value) == "'42'"  # the number, as pydicom shows it
    assert hash(value) == hash(42)
    assert str(IS(7)) == "7"
    assert IS(np.int64(9)) == 9 and str(IS(np.int64(9))) == "9"
    assert IS(3.0) == 3


def test_is_accepts_whole_decimal_text() -> None:
    value = IS("1.0")
    assert value == 1
    assert str(value) == "1.0"


@pytest.mark.parametrize("value", ["1.5", "abc", 2.5, Decimal("0.5")])
def test_is_invalid(value: object) -> None:
    with pytest.raises(DicomValueError, match="VR IS"):
        IS(value)


def test_is_pickle_keeps_text() -> None:
    clone = pickle.loads(pickle.dumps(IS("+5")))
    assert type(clone) is IS and str(clone) == "+5"


def test_ds_factory() -> None:
    assert DS(None) is None
    assert DS("") == ""
    assert type(DS("1.5")) is DSfloat
    assert str(DS(1 / 3, auto_format=True)) == "0.33333333333333"


def test_against_pydicom() -> None:
    valuerep = pytest.importorskip("pydicom.valuerep")
    for text in ["1.50", " 2 ", "-0.0", "1e3"]:
        assert str(DSfloat(text)) == str(valuerep.DSfloat(text))
        assert float(DSfloat(text)) == float(valuerep.DSfloat(text))
    for text in ["42", "+42", " -3 "]:
        assert str(IS(text)) == str(valuerep.IS(text))
