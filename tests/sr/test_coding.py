"""dicomcore.sr.coding.Code behaves as pydicom 3's Code."""

from __future__ import annotations

import pickle

import pytest

from dicomcore.sr.coding import Code, snomed_mapping

pydicom_coding = pytest.importorskip("pydicom.sr.coding")
PydicomCode = pydicom_coding.Code

PAIRS = [
    (("130290", "DCM", "Median"), ("130290", "DCM", "median value")),
    (("T-62000", "SRT", "Liver"), ("10200004", "SCT", "Liver")),
    (("10200004", "SCT", "Liver"), ("T-62000", "SRT", "Liver")),
    (("T-62000", "SRT", "Liver"), ("T-62000", "SRT", "Liver")),
    (("NOT-MAPPED", "SRT", "x"), ("NOT-MAPPED", "SCT", "x")),
    (("130290", "DCM", "Median"), ("130290", "99DCM", "Median")),
    (("130290", "DCM", "Median", "01"), ("130290", "DCM", "Median")),
    (("130290", "DCM", "Median", "01"), ("130290", "DCM", "Median", "01")),
    (("10200004", "SCT", "Liver"), ("10200005", "SCT", "Liver")),
]


def test_fields_and_defaults():
    code = Code("130290", "DCM", "Median")
    assert tuple(code) == ("130290", "DCM", "Median", None)
    assert code._fields == PydicomCode._fields
    assert repr(code) == repr(PydicomCode("130290", "DCM", "Median"))
    assert repr(code) == (
        "Code(value='130290', scheme_designator='DCM', meaning='Median', "
        "scheme_version=None)"
    )
    assert Code(value="1", scheme_designator="2", meaning="3").scheme_version is None


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_equality_and_hash_as_pydicom(left, right):
    ours = Code(*left) == Code(*right)
    theirs = PydicomCode(*left) == PydicomCode(*right)
    assert ours is theirs
    assert (Code(*left) != Code(*right)) is (PydicomCode(*left) != PydicomCode(*right))
    assert hash(Code(*left)) == hash(PydicomCode(*left))


def test_equality_values():
    assert Code("T-62000", "SRT", "Liver") == Code("10200004", "SCT", "Liver")
    assert Code("130290", "DCM", "a", "01") != Code("130290", "DCM", "a")
    assert Code("1", "DCM", "x") != ("1", "DCM", "x", None)
    assert hash(Code("130290", "DCM", "Median")) == hash("DCM130290")


def test_compares_with_objects_carrying_the_fields():
    class Item:
        value = "10200004"
        scheme_designator = "SCT"
        scheme_version = None

    assert Code("T-62000", "SRT", "Liver") == Item()
    assert PydicomCode("T-62000", "SRT", "Liver") == Item()


def test_snomed_mapping_both_ways():
    assert snomed_mapping["SRT"]["T-62000"] == "10200004"
    assert snomed_mapping["SCT"]["10200004"] == "T-62000"
    assert snomed_mapping == pytest.importorskip("pydicom.sr._snomed_dict").mapping


def test_pickles():
    code = Code("130290", "DCM", "Median", "01")
    assert tuple(pickle.loads(pickle.dumps(code))) == tuple(code)
