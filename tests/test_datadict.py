"""dicomcore.datadict: pydicom's dictionary functions and entry shapes."""

from __future__ import annotations

import pytest

from dicomcore import datadict

pydicom_datadict = pytest.importorskip("pydicom.datadict")


@pytest.fixture(autouse=True)
def _restore_dictionaries():
    """Entries a test adds are gone after it: other tests count them."""
    from dicomcore import dictionary
    from dicomcore.dictionary import _elements

    elements = dict(_elements.ELEMENTS)
    keywords = dict(dictionary._KEYWORDS)
    private = {
        key: dict(block) for key, block in dictionary._private_registry().items()
    }
    yield
    _elements.ELEMENTS.clear()
    _elements.ELEMENTS.update(elements)
    dictionary._KEYWORDS.clear()
    dictionary._KEYWORDS.update(keywords)
    dictionary._private_registry().clear()
    dictionary._private_registry().update(private)


@pytest.mark.parametrize(
    "tag", [0x00100010, 0x00080001, 0x60023000, 0x002031FE, "PatientID", (0x28, 0x10)]
)
def test_get_entry_is_pydicoms_tuple(tag):
    assert datadict.get_entry(tag) == pydicom_datadict.get_entry(tag)


def test_get_entry_order():
    assert datadict.get_entry(0x00080001) == (
        "UL",
        "1",
        "Length to End",
        "Retired",
        "LengthToEnd",
    )


@pytest.mark.parametrize("tag", [0x00080000, 0x00090010, 0x00091001, 0x00190000])
def test_group_lengths_and_private_tags_are_not_in_the_dictionary(tag):
    with pytest.raises(KeyError) as ours:
        datadict.get_entry(tag)
    with pytest.raises(KeyError) as theirs:
        pydicom_datadict.get_entry(tag)
    assert str(ours.value) == str(theirs.value)
    assert datadict.keyword_for_tag(tag) == ""
    assert datadict.dictionary_has_tag(tag) is False


def test_views_of_the_dictionary():
    assert datadict.DicomDictionary[0x00100020] == (
        "LO",
        "1",
        "Patient ID",
        "",
        "PatientID",
    )
    assert 0x7FE00010 in datadict.DicomDictionary
    assert datadict.keyword_dict["Rows"] == 0x00280010
    assert datadict.RepeatersDictionary["60xx3000"][4] == "OverlayData"
    assert datadict.masks["60xx3000"] == pydicom_datadict.masks["60xx3000"]
    assert "OverlayData" in datadict.REPEATER_KEYWORDS


def test_private_entries_have_four_fields():
    datadict.add_private_dict_entries(
        "DICOMCORE TEST", {0x00410010: ("DS", "3", "Test Offsets", "")}
    )
    assert datadict.get_private_entry(0x00411210, "DICOMCORE TEST") == (
        "DS",
        "3",
        "Test Offsets",
        "",
    )
    assert datadict.private_dictionaries["DICOMCORE TEST"] == {
        "0041xx10": ("DS", "3", "Test Offsets", "")
    }
    with pytest.raises(KeyError, match="Tag '\\(0041,1011\\)' not in private"):
        datadict.get_private_entry(0x00411011, "DICOMCORE TEST")


def test_setting_an_item_adds_an_entry():
    datadict.DicomDictionary[0x10020020] = ("US", "1", "Test Count", "", "TestCount")
    assert datadict.tag_for_keyword("TestCount") == 0x10020020
    assert datadict.dictionary_VR(0x10020020) == "US"
