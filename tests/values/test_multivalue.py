"""MultiValue."""

from __future__ import annotations

import copy
import pickle

from dicomcore.values import DSfloat, MultiValue, PersonName


def test_items_are_converted() -> None:
    values = MultiValue(DSfloat, ["1.5", "2"])
    assert values == [1.5, 2.0]
    assert [type(item) for item in values] == [DSfloat, DSfloat]
    values.append("3.25")
    values.insert(0, 0.5)
    values[1] = "1.75"
    values.extend(["4"])
    values += ["5"]
    values[0:1] = ["0.25"]
    assert values == [0.25, 1.75, 2.0, 3.25, 4.0, 5.0]
    assert all(type(item) is DSfloat for item in values)
    assert str(values[1]) == "1.75"


def test_list_behaviour() -> None:
    values = MultiValue(PersonName, ["A^B", "C^D"])
    assert isinstance(values, list)
    assert values == ["A^B", "C^D"]
    assert len(values) == 2
    assert values[-1].family_name == "C"
    copied = values.copy()
    assert type(copied) is MultiValue and copied.type_constructor is PersonName


def test_pickle_and_deepcopy_keep_items() -> None:
    values = MultiValue(DSfloat, ["1.50", "2"])
    for clone in (pickle.loads(pickle.dumps(values)), copy.deepcopy(values)):
        assert type(clone) is MultiValue
        assert clone.type_constructor is DSfloat
        assert [str(item) for item in clone] == ["1.50", "2"]


def test_equality_with_pydicom_multivalue() -> None:
    multival = __import__("pytest").importorskip("pydicom.multival")
    theirs = multival.MultiValue(int, ["1", "2"])
    assert MultiValue(int, ["1", "2"]) == list(theirs)
