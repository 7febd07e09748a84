"""Elements stored as UN, read as pydicom 3 reads them: with the dictionary's
VR, UN sequences as Implicit VR Little Endian items, private creators as LO
(testfiles/quirks/)."""

from __future__ import annotations

import warnings

import pydicom
import pytest
from quirks_oracle import (
    QUIRKS,
    assert_same_elements,
    dcmdump,
    needs_dcmdump,
    quiet_read,
    read_both,
    written,
)

import dicomcore
from dicomcore import config
from dicomcore.io.reader import known_vr

UN_FILES = {
    "un_public.dcm": 11,
    "un_private.dcm": 11,
    "un_private_creator.dcm": 7,
    "un_item_bytes.dcm": 5,
    "un_sequence.dcm": 11,
    "un_private_sequence_nested.dcm": 11,
}


@pytest.fixture
def keep_un():
    config.settings.replace_un_with_known_vr = False
    pydicom.config.replace_un_with_known_vr = False
    yield
    config.settings.replace_un_with_known_vr = True
    pydicom.config.replace_un_with_known_vr = True


@pytest.fixture
def un_items_as_sequence():
    config.settings.un_items_as_sequence = True
    yield
    config.settings.un_items_as_sequence = False


@pytest.mark.parametrize("name", sorted(UN_FILES))
def test_un_files_read_as_pydicom_reads_them(name):
    ours, theirs = read_both(name)
    assert assert_same_elements(ours, theirs) == UN_FILES[name]


@pytest.mark.parametrize("name", sorted(UN_FILES))
def test_un_files_json_as_pydicom_writes_it(name):
    ours, theirs = read_both(name)
    assert ours.to_json_dict() == theirs.to_json_dict()


@pytest.mark.parametrize("name", sorted(UN_FILES))
def test_un_files_with_replacement_off_as_pydicom(name, keep_un):
    ours, theirs = read_both(name)
    assert assert_same_elements(ours, theirs) == UN_FILES[name]


def test_public_un_gets_the_dictionary_vr():
    ds = dicomcore.dcmread(QUIRKS / "un_public.dcm")
    assert [ds[tag].VR for tag in (0x00080020, 0x00280010, 0x00280030)] == [
        "DA",
        "US",
        "DS",
    ]
    assert ds.StudyDate == "19970424"
    assert ds.Rows == 64 and ds.Columns == 32
    assert ds.PixelSpacing == [0.5, 0.75]
    assert ds.NumericValue == [1.5, 2]  # the NUL padding of a UN is not a value
    assert str(ds.PatientName) == "Doe^Jane"


def test_public_un_kept_when_asked(keep_un):
    ds = dicomcore.dcmread(QUIRKS / "un_public.dcm")
    assert ds[0x00280010].VR == "UN"
    assert ds[0x00280010].value == b"\x40\x00"


def test_public_un_of_0xffff_bytes_or_more_stays_un():
    elements: dict[int, object] = {}
    assert known_vr(0x00080020, 0xFFFE, elements) == "DA"
    assert known_vr(0x00080020, 0xFFFF, elements) is None
    assert known_vr(0x00280010, 2, elements) == "US"
    assert known_vr(0x00980010, 4, elements) is None  # unknown public tag


@needs_dcmdump
def test_public_un_written_back_with_its_vr(tmp_path):
    source = QUIRKS / "un_public.dcm"
    ds = dicomcore.dcmread(source)
    path = written(ds, tmp_path)
    shown = dcmdump(path)
    assert shown["0008,0020"] == ("DA", "[19970424]")
    assert shown["0028,0010"] == ("US", "64")
    assert shown["0028,0030"] == ("DS", "[0.5\\0.75]")
    assert shown["0010,0010"] == ("PN", "[Doe^Jane]")
    # Not byte for byte: the VR changed (documented).
    assert path.read_bytes() != source.read_bytes()
    assert_same_elements(dicomcore.dcmread(path), pydicom.dcmread(source))


def test_private_un_gets_the_private_dictionary_vr():
    ds = dicomcore.dcmread(QUIRKS / "un_private.dcm")
    assert ds[0x00191002].VR == "SL" and ds[0x00191002].value == 888
    assert ds[0x00191003].VR == "DS" and ds[0x00191003].value == 442.5
    assert ds[0x00291008].VR == "CS" and ds[0x00291008].value == "IMAGE NUM 4"
    assert ds[0x00291010].VR == "OB" and ds[0x00291010].value == b"SV10\x04\x03\x02\x01"
    assert ds[0x002910EE].VR == "UN"  # not in the dictionary


def test_private_creator_as_un_is_lo_and_another_vr_is_kept():
    ds = dicomcore.dcmread(QUIRKS / "un_private_creator.dcm")
    assert ds[0x00190010].VR == "LO" and ds[0x00190010].value == "GEMS_ACQU_01"
    assert ds[0x00191002].VR == "SL"
    # An OB creator is kept OB, and (as in pydicom) names no dictionary.
    assert ds[0x00290010].VR == "OB"
    assert ds[0x00291008].VR == "UN"


def test_un_sequence_read_as_implicit_items():
    ds = dicomcore.dcmread(QUIRKS / "un_sequence.dcm")
    assert ds[0x00081140].VR == "SQ"
    sequence = ds.ReferencedImageSequence
    assert [item.ReferencedSOPInstanceUID for item in sequence] == [
        "1.2.3.4.5",
        "1.2.3.4.6",
    ]
    assert sequence[1].ReferencedFrameNumber == [1, 2]
    assert ds.PatientID == "UNSQ"


@needs_dcmdump
def test_un_sequence_written_back_as_sq(tmp_path):
    ds = dicomcore.dcmread(QUIRKS / "un_sequence.dcm")
    path = written(ds, tmp_path)
    shown = dcmdump(path)
    assert shown["0008,1140"][0] == "SQ"
    assert shown["0008,1140/0008,1155"] == ("UI", "[1.2.3.4.6]")
    assert shown["0008,1140/0008,1160"] == ("IS", "[1\\2]")
    assert shown["0010,0020"] == ("LO", "[UNSQ]")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = dicomcore.dcmread(path)
    assert_same_elements(again, pydicom.dcmread(QUIRKS / "un_sequence.dcm"))


def test_nested_private_un_sequences():
    ds = dicomcore.dcmread(QUIRKS / "un_private_sequence_nested.dcm")
    outer = ds[0x00291010]
    assert outer.VR == "SQ" and len(outer.value) == 1
    item = outer.value[0]
    assert item[0x00290010].value == "ACME 1"
    assert item[0x00291001].value == b"inner "
    nested = item[0x00291011]
    assert nested.VR == "SQ" and nested.value[0][0x00291002].value == b"deep"
    # A defined-length value that begins with an Item tag stays UN, as in
    # pydicom and DCMTK.
    assert item[0x00291012].VR == "UN"
    assert ds[0x00291020].value == "after"


@needs_dcmdump
def test_nested_private_un_sequences_written_back_as_sq(tmp_path):
    ds = dicomcore.dcmread(QUIRKS / "un_private_sequence_nested.dcm")
    path = written(ds, tmp_path)
    shown = dcmdump(path)
    assert shown["0029,1010"][0] == "SQ"
    assert shown["0029,1010/0029,1011"][0] == "SQ"
    assert shown["0029,1010/0029,1011/0029,1002"] == ("UN", "64\\65\\65\\70")
    assert shown["0029,1020"] == ("LO", "[after]")
    assert_same_elements(
        dicomcore.dcmread(path),
        pydicom.dcmread(QUIRKS / "un_private_sequence_nested.dcm"),
    )


def test_un_beginning_with_an_item_stays_un():
    ds = dicomcore.dcmread(QUIRKS / "un_item_bytes.dcm")
    assert ds[0x00291020].VR == "UN"
    assert ds[0x00291020].value[:4] == b"\xfe\xff\x00\xe0"


def test_un_beginning_with_an_item_as_sequence_when_asked(un_items_as_sequence):
    ds = dicomcore.dcmread(QUIRKS / "un_item_bytes.dcm")
    elem = ds[0x00291020]
    assert elem.VR == "SQ"
    assert elem.value[0][0x00291001].value == b"abcd"
    nested = dicomcore.dcmread(QUIRKS / "un_private_sequence_nested.dcm")
    inner = nested[0x00291010].value[0][0x00291012]
    assert inner.VR == "SQ" and inner.value[0][0x00291003].value == b"last"


@pytest.mark.parametrize("name", ["un_public.dcm", "un_private.dcm"])
def test_un_files_written_back_byte_for_byte_when_kept(name, keep_un, tmp_path):
    source = QUIRKS / name
    ds = quiet_read(dicomcore.dcmread, source)
    assert written(ds, tmp_path).read_bytes() == source.read_bytes()


def test_private_names_as_pydicom_prints_them():
    ours, theirs = read_both("un_private.dcm")
    names = [(int(elem.tag), elem.name) for elem in theirs if elem.tag.is_private]
    assert [(int(elem.tag), elem.name) for elem in ours if elem.is_private] == names
    assert ours[0x00191002].name == "[Detector Channel]"
    assert ours[0x00191003].name == "[Cell number at Theta]"
