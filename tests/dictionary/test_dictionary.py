"""Lookups of dicomcore.dictionary against facts of PS3.5, PS3.6 and PS3.7."""

from __future__ import annotations

import pytest

import dicomcore.dictionary as dictionary
from dicomcore.dictionary import (
    ELEMENTS,
    REPEATERS,
    DictionaryEntry,
    UIDEntry,
    add_dict_entries,
    add_dict_entry,
    add_private_dict_entries,
    add_private_dict_entry,
    dictionary_description,
    dictionary_has_tag,
    dictionary_is_retired,
    dictionary_keyword,
    dictionary_VM,
    dictionary_VR,
    get_entry,
    get_entry_or_none,
    get_private_entry,
    keyword_for_tag,
    mask_match,
    private_dictionary_description,
    private_dictionary_entry,
    private_dictionary_VM,
    private_dictionary_VR,
    repeater_has_keyword,
    repeater_has_tag,
    tag_for_keyword,
    uid_entry,
    uid_for_keyword,
)
from dicomcore.dictionary._private import PRIVATE
from dicomcore.tag import Tag


@pytest.fixture
def restore_tables():
    """Undo add_*_entries so that one test's additions do not leak."""
    elements = dict(ELEMENTS)
    keywords = dict(dictionary._KEYWORDS)
    private = dictionary._private_registry()
    private_copy = {creator: dict(block) for creator, block in private.items()}
    yield
    ELEMENTS.clear()
    ELEMENTS.update(elements)
    dictionary._KEYWORDS.clear()
    dictionary._KEYWORDS.update(keywords)
    private.clear()
    private.update(private_copy)


class TestPublicElements:
    def test_patient_name(self):
        assert get_entry(0x00100010) == DictionaryEntry(
            VR="PN", VM="1", name="Patient's Name", keyword="PatientName", retired=False
        )
        assert dictionary_VR(0x00100010) == "PN"
        assert dictionary_VM(0x00100010) == "1"
        assert dictionary_description(0x00100010) == "Patient's Name"
        assert dictionary_keyword(0x00100010) == "PatientName"
        assert dictionary_is_retired(0x00100010) is False

    def test_tag_for_keyword(self):
        assert tag_for_keyword("PatientName") == 0x00100010
        assert tag_for_keyword("PixelData") == 0x7FE00010
        assert tag_for_keyword("NotAKeyword") is None
        assert keyword_for_tag(0x00100020) == "PatientID"
        assert keyword_for_tag(0x00111234) == ""

    def test_tag_accepts_keywords(self):
        assert Tag("PatientName") == 0x00100010
        assert Tag("SOPInstanceUID") == 0x00080018

    def test_lookups_accept_other_tag_forms(self):
        assert dictionary_VR((0x0028, 0x0010)) == "US"
        assert dictionary_VR("Rows") == "US"
        assert dictionary_VR(Tag(0x00280010)) == "US"

    def test_counts(self):
        # PS3.6 2024e lists over 5,000 elements; 2026b added 69 more.
        assert len(ELEMENTS) == 5259
        assert len(REPEATERS) == 88

    def test_command_group(self):
        assert get_entry(0x00000100) == (
            "US",
            "1",
            "Command Field",
            "CommandField",
            False,
        )
        assert get_entry(0x00000000).keyword == "CommandGroupLength"
        # PS3.7 retired the DICOM 1.0/2.0 command elements
        assert get_entry(0x00000800).retired is False
        assert get_entry(0x00005130).retired is True

    def test_ambiguous_vrs_spelled_as_the_standard(self):
        assert dictionary_VR(0x00280106) == "US or SS"  # Smallest Image Pixel Value
        assert dictionary_VR(0x00281101) == "US or SS"  # Red Palette LUT Descriptor
        assert dictionary_VR(0x7FE00010) == "OB or OW"
        assert dictionary_VR(0x54001010) == "OB or OW"  # Waveform Data
        assert dictionary_VR(0x00283006) == "US or OW"  # LUT Data
        assert dictionary_VR(0x00281200) == "US or SS or OW"  # Gray LUT Data
        assert dictionary_VM(0x00283006) == "1-n or 1"

    def test_item_tags_have_no_vr(self):
        assert get_entry(0xFFFEE000) == ("NONE", "1", "Item", "Item", False)
        assert dictionary_VR(0xFFFEE00D) == "NONE"
        assert dictionary_keyword(0xFFFEE0DD) == "SequenceDelimitationItem"

    def test_added_after_2024e(self):
        assert get_entry(0x0008001D) == (
            "SQ",
            "1",
            "Sensitive Content Code Sequence",
            "SensitiveContentCodeSequence",
            False,
        )
        assert get_entry(0x00102162) == (
            "UC",
            "1-n",
            "Ethnic Groups",
            "EthnicGroups",
            False,
        )
        assert tag_for_keyword("TilesOverlap") == 0x00480304

    def test_retired_after_2024e(self):
        assert get_entry(0x00102160) == ("SH", "1", "Ethnic Group", "EthnicGroup", True)

    def test_retired_name_keeps_its_marker(self):
        # Two elements share the name; the standard marks the retired one.
        assert dictionary_description(0x00082110) == "Lossy Image Compression (Retired)"
        assert dictionary_description(0x00282110) == "Lossy Image Compression"

    def test_unknown_public_tag(self):
        with pytest.raises(KeyError, match=r"\(0008,0003\)"):
            get_entry(0x00080003)
        assert get_entry_or_none(0x00080003) is None
        assert dictionary_has_tag(0x00080003) is False
        assert dictionary_has_tag(0x00080018) is True

    def test_group_length_and_private_creator(self):
        assert get_entry(0x00080000) == ("UL", "1", "Group Length", "", True)
        assert get_entry(0x00090000).VR == "UL"
        assert get_entry(0x00090010) == ("LO", "1", "Private Creator", "", False)
        assert get_entry(0x000900FF).VR == "LO"
        assert get_entry_or_none(0x00091010) is None


class TestRepeatingGroups:
    def test_overlay_data_in_even_groups(self):
        assert get_entry(0x60003000).name == "Overlay Data"
        assert get_entry(0x60043000) == (
            "OB or OW",
            "1",
            "Overlay Data",
            "OverlayData",
            False,
        )
        assert get_entry(0x601E3000).keyword == "OverlayData"
        assert dictionary_VR(0x60020010) == "US"  # Overlay Rows

    def test_odd_overlay_group_is_private(self):
        assert get_entry_or_none(0x60013000) is None
        assert mask_match(0x60013000) is None

    def test_overlay_groups_end_at_601e(self):
        assert get_entry_or_none(0x60203000) is None
        assert get_entry_or_none(0x60FE3000) is None

    def test_curve_groups(self):
        assert get_entry(0x50023000) == (
            "OB or OW",
            "1",
            "Curve Data",
            "CurveData",
            True,
        )
        assert get_entry_or_none(0x50203000) is None
        assert get_entry_or_none(0x50033000) is None

    def test_element_masks(self):
        assert get_entry(0x00203105).keyword == "SourceImageIDs"
        assert mask_match(0x00203105) == "002031xx"
        assert get_entry(0x00280410).keyword == "RowsForNthOrderCoefficients"
        assert get_entry(0x00280431).keyword == "ColumnsForNthOrderCoefficients"
        assert get_entry(0x002808F8).keyword == "ImageDataLocation"
        assert get_entry(0x10000125).keyword == "ShiftTableTriplet"
        assert get_entry(0x10101234).keyword == "ZonalMap"
        assert get_entry(0x7F100010).keyword == "VariablePixelData"
        assert get_entry_or_none(0x7F110010).name == "Private Creator"

    def test_exact_entries_win_over_masks(self):
        assert get_entry(0x7FE00010).keyword == "PixelData"
        assert get_entry(0x00280400).keyword == "TransformLabel"
        # (1000,0000) is the group's length, not an Escape Triplet
        assert get_entry(0x10000000).name == "Group Length"

    def test_masks_are_lower_case_x(self):
        assert "60xx3000" in REPEATERS
        assert "7Fxx0010" in REPEATERS
        assert "1000xxx0" in REPEATERS
        assert all("X" not in mask for mask in REPEATERS)

    def test_repeater_keywords(self):
        assert tag_for_keyword("OverlayData") == 0x60003000
        assert tag_for_keyword("CurveData") == 0x50003000
        assert tag_for_keyword("SourceImageIDs") == 0x00203100
        assert tag_for_keyword("EscapeTriplet") == 0x10000010
        assert tag_for_keyword("ZonalMap") == 0x10100001
        assert repeater_has_keyword("OverlayData") is True
        assert repeater_has_keyword("PatientName") is False
        assert repeater_has_tag(0x60023000) is True
        assert repeater_has_tag(0x00100010) is False
        assert keyword_for_tag(0x60063000) == "OverlayData"


class TestAddEntries:
    def test_add_dict_entry(self, restore_tables):
        add_dict_entry(0x00089998, "LO", "ExampleKeyword", "Example Name", "1-n")
        assert get_entry(0x00089998) == DictionaryEntry(
            "LO", "1-n", "Example Name", "ExampleKeyword", False
        )
        assert tag_for_keyword("ExampleKeyword") == 0x00089998

    def test_add_dict_entry_replaces_keyword(self, restore_tables):
        add_dict_entry(0x00100010, "PN", "PatientsName", "Patient's Name")
        assert tag_for_keyword("PatientsName") == 0x00100010
        assert tag_for_keyword("PatientName") is None

    def test_add_dict_entries_pydicom_layout(self, restore_tables):
        add_dict_entries(
            {
                0x00089999: ("DS", "3", "Three Numbers", "Retired", "ThreeNumbers"),
                0x00089997: ("US", "1", "A Count", "", "ACount"),
            }
        )
        assert get_entry(0x00089999) == (
            "DS",
            "3",
            "Three Numbers",
            "ThreeNumbers",
            True,
        )
        assert get_entry(0x00089997).retired is False

    def test_add_dict_entries_rejects_private(self, restore_tables):
        with pytest.raises(ValueError, match="add_private_dict_entries"):
            add_dict_entry(0x00091000, "LO", "Nope", "Nope")
        assert get_entry_or_none(0x00091000) is None


class TestPrivateDictionary:
    def test_block_relative_entry(self):
        entry = private_dictionary_entry("GEMS_ACQU_01", 0x00191002)
        # GDCM's name (pydicom's) with DCMTK's keyword
        assert entry == DictionaryEntry(
            "SL", "1", "Detector Channel", "NumberOfCellsInDetector", False
        )
        # the same element in whichever block the creator reserved
        assert private_dictionary_entry("GEMS_ACQU_01", 0x00191502) == entry

    def test_readable_names(self):
        entry = private_dictionary_entry("SIEMENS CSA HEADER", 0x00291010)
        assert entry == (
            "OB",
            "1",
            "CSA Image Header Info",
            "CSAImageHeaderInfo",
            False,
        )
        assert private_dictionary_description(0x00291020, "SIEMENS CSA HEADER") == (
            "CSA Series Header Info"
        )

    def test_fixed_element_entry(self):
        assert private_dictionary_entry("CMR42 CIRCLECVI", 0x00251010).name == (
            "Workspace ID"
        )
        assert private_dictionary_VR(0x00251010, "CMR42 CIRCLECVI") == "LO"
        # a fixed element does not move with the block
        assert private_dictionary_entry("CMR42 CIRCLECVI", 0x00251110) is None

    def test_odd_group_range(self):
        entry = private_dictionary_entry("PAPYRUS 3.0", 0x60031110)
        assert entry == ("US", "1", "Overlay Rows", "OverlayRows", False)
        assert private_dictionary_entry("PAPYRUS 3.0", 0x60FF1010) == entry
        # even groups hold no private elements
        assert private_dictionary_entry("PAPYRUS 3.0", 0x60021110) is None

    def test_private_vrs_spelled_as_the_standard(self):
        assert private_dictionary_VR(0x7FE11010, "SPI-P Release 1") == "OB or OW"

    def test_retired_keyword_suffix(self):
        entry = private_dictionary_entry(
            "SIEMENS SMS-AX  ORIGINAL IMAGE INFO 1.0", 0x0025100F
        )
        assert entry == (
            "SS",
            "1",
            "Original ECG 1st Frame Offset (retired)",  # GDCM's wording
            "OriginalECG1stFrameOffset_retired",
            True,
        )

    def test_creator_elements_are_not_block_members(self):
        assert private_dictionary_entry("GEMS_ACQU_01", 0x00190010) is None

    def test_unknown_raises_key_error(self):
        with pytest.raises(KeyError, match="not in private dictionary"):
            private_dictionary_VR(0x001910FF, "GEMS_ACQU_01")
        with pytest.raises(KeyError, match="Private creator 'NO SUCH CREATOR'"):
            private_dictionary_VM(0x00191002, "NO SUCH CREATOR")
        assert private_dictionary_entry("NO SUCH CREATOR", 0x00191002) is None

    def test_add_private_dict_entry(self, restore_tables):
        add_private_dict_entry("ACME 3.1", 0x10011101, "DS", "Private 1", "1-3")
        entry = get_private_entry(0x10011201, "ACME 3.1")
        assert entry == DictionaryEntry("DS", "1-3", "Private 1", "", False)
        assert private_dictionary_VM(0x10011001, "ACME 3.1") == "1-3"

    def test_add_private_dict_entries(self, restore_tables):
        add_private_dict_entries(
            "ACME 3.1",
            {
                0x00411001: ("UL", "1", "First", ""),
                0x00411002: ("LO", "2", "Second", ""),
            },
        )
        assert private_dictionary_description(0x00411002, "ACME 3.1") == "Second"
        with pytest.raises(ValueError, match="add_dict_entries"):
            add_private_dict_entry("ACME 3.1", 0x00101001, "LO", "Public")


class TestUIDRegistry:
    def test_uid_entry(self):
        assert uid_entry("1.2.840.10008.1.2.1") == UIDEntry(
            "Explicit VR Little Endian",
            "ExplicitVRLittleEndian",
            "Transfer Syntax",
            False,
        )
        assert uid_entry("1.2.3.4") is None

    def test_retired_uid_name_has_no_marker(self):
        assert uid_entry("1.2.840.10008.1.2.2") == UIDEntry(
            "Explicit VR Big Endian", "ExplicitVRBigEndian", "Transfer Syntax", True
        )

    def test_deflated_image_frame_compression(self):
        assert uid_entry("1.2.840.10008.1.2.8.1") == UIDEntry(
            "Deflated Image Frame Compression",
            "DeflatedImageFrameCompression",
            "Transfer Syntax",
            False,
        )

    def test_transfer_syntax_count(self):
        registry = dictionary._uid_registry()
        transfer_syntaxes = [
            u for u, e in registry.items() if e[2] == "Transfer Syntax"
        ]
        assert len(transfer_syntaxes) == 63

    def test_uid_for_keyword(self):
        assert uid_for_keyword("CTImageStorage") == "1.2.840.10008.5.1.4.1.1.2"
        assert uid_for_keyword("RLELossless") == "1.2.840.10008.1.2.5"
        assert uid_for_keyword("NoSuchKeyword") is None


class TestPrivateDictionaryAsPydicom:
    """GDCM's private dictionary merged with DCMTK's names elements as pydicom
    (whose table GDCM's generates) names them."""

    def test_names_as_pydicom_prints_them(self):
        assert private_dictionary_entry("GEMS_IDEN_01", 0x00091001).name == (
            "Full fidelity"
        )
        assert private_dictionary_entry("GEMS_ACQU_01", 0x00191011).name == (
            "Series contrast"
        )
        # GDCM's "?" is pydicom's "Unknown"
        assert private_dictionary_entry("GEMS_ACQU_01", 0x00091024) == (
            "DS",
            "1",
            "Unknown",
            "Unknown",
            False,
        )

    def test_only_in_gdcm(self):
        entry = private_dictionary_entry("SIEMENS MR FMRI", 0x00210010)
        assert entry == ("SQ", "1", "Unknown", "", False)

    def test_agrees_with_pydicom_table(self):
        tables = pytest.importorskip("pydicom._private_dict")
        total = same = 0
        for creator, block in tables.private_dictionaries.items():
            for key, (vr, vm, name, _) in block.items():
                total += 1
                entry = PRIVATE.get(creator, {}).get(key)
                if entry is not None and entry[:3] == (vr, vm, name):
                    same += 1
        # pydicom 3.0.2 was generated from a slightly different GDCM edition.
        assert total == 10545
        assert total - same == 62
