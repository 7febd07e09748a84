"""Values that break their VR's rules, read from files other software wrote:
kept as they are, printed, exported and written back (testfiles/quirks/)."""

from __future__ import annotations

import json
import warnings

import pydicom
import pytest
from quirks_oracle import (
    MANIFEST,
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
from dicomcore.errors import DicomError, InvalidValueWarning


def test_invalid_values_read_as_pydicom_reads_them():
    ours, theirs = read_both("invalid_values.dcm")
    assert assert_same_elements(ours, theirs) == 14
    assert ours.PatientBirthDate == "1997.04.24"
    assert ours.StudyInstanceUID == "1.2.03.4"
    assert ours.Modality == "ot/x"
    assert ours.ConversionType == "wsd"
    assert ours.SliceThickness == "abc"
    assert list(ours.ProtocolName) == ["a", "", "", "b"]
    assert list(ours.ImageType) == ["ORIGINAL", "", "PRIMARY"]
    assert ours.TextValue.startswith('<?xml version="1.0"?><report>')


def test_invalid_values_warn_once_read_and_never_block():
    ds = dicomcore.dcmread(QUIRKS / "invalid_values.dcm")
    with pytest.warns(InvalidValueWarning, match=r"VR DS: 'abc' is not a decimal"):
        assert ds.SliceThickness == "abc"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = str(ds)
    assert "(0010,0030) Patient's Birth Date" in text
    assert "'1997.04.24'" in text


def test_invalid_values_in_json_as_dcm2json_writes_them():
    ds = quiet_read(dicomcore.dcmread, QUIRKS / "invalid_values.dcm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = json.loads(ds.to_json())
    assert model["00100030"] == {"vr": "DA", "Value": ["1997.04.24"]}
    assert model["0020000D"] == {"vr": "UI", "Value": ["1.2.03.4"]}
    assert model["00080060"] == {"vr": "CS", "Value": ["ot/x"]}
    # DS and IS that are no numbers stay the strings they are (dcm2json too).
    assert model["00180050"] == {"vr": "DS", "Value": ["abc"]}
    assert model["00200013"] == {"vr": "IS", "Value": ["1.5"]}
    assert model["00281050"] == {"vr": "DS", "Value": [12, "x", None]}
    # Empty values inside a multi-valued string are null (PS3.18 F.2.5).
    assert model["00181030"] == {"vr": "LO", "Value": ["a", None, None, "b"]}
    assert model["00080008"] == {"vr": "CS", "Value": ["ORIGINAL", None, "PRIMARY"]}


@pytest.mark.parametrize("mode", [config.WARN, config.RAISE, config.IGNORE])
def test_unchanged_invalid_values_written_as_read(tmp_path, mode):
    source = QUIRKS / "invalid_values.dcm"
    ds = quiet_read(dicomcore.dcmread, source)
    old = config.settings.writing_validation_mode
    config.settings.writing_validation_mode = mode
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ds.save_as(tmp_path / "out.dcm")
    finally:
        config.settings.writing_validation_mode = old
    assert (tmp_path / "out.dcm").read_bytes() == source.read_bytes()


@needs_dcmdump
def test_invalid_values_converted_to_implicit_vr(tmp_path):
    source = QUIRKS / "invalid_values.dcm"
    ds = quiet_read(dicomcore.dcmread, source)
    ds.file_meta.TransferSyntaxUID = dicomcore.uid.ImplicitVRLittleEndian
    path = written(ds, tmp_path)
    assert dcmdump(path) == dcmdump(source)
    again = quiet_read(dicomcore.dcmread, path)
    assert again.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2"
    assert_same_elements(again, quiet_read(dicomcore.dcmread, source))


def test_writing_validation_default_is_warn():
    assert config.Settings().writing_validation_mode == config.WARN
    assert config.Settings().reading_validation_mode == config.WARN
    ds = dicomcore.Dataset()
    with pytest.warns(InvalidValueWarning, match="VR DA"):
        ds.PatientBirthDate = "1997.04.24"
    assert ds.PatientBirthDate == "1997.04.24"


def test_writing_validation_raise_rejects_assigned_values_only(tmp_path):
    ds = quiet_read(dicomcore.dcmread, QUIRKS / "invalid_values.dcm")
    old = config.settings.writing_validation_mode
    config.settings.writing_validation_mode = config.RAISE
    try:
        with pytest.raises(DicomError, match="VR DA"):
            ds.StudyDate = "1997.04.24"
        ds.save_as(tmp_path / "out.dcm")  # the values read are not rejected
    finally:
        config.settings.writing_validation_mode = old


def test_person_names_with_trailing_equals_print_as_pydicom_prints_them():
    ours, theirs = read_both("pn_trailing_equals.dcm")
    assert assert_same_elements(ours, theirs) == 6
    assert str(ours.PatientName) == "Wang^XiaoDong=王^小東"
    assert f"{ours.PatientName}" == "Wang^XiaoDong=王^小東"
    assert ours.PatientName == "Wang^XiaoDong=王^小東="  # the value as read
    assert ours.PatientName.ideographic == "王^小東"
    assert str(ours.ReferringPhysicianName) == "Doe^John"
    assert str(ours.OtherPatientNames) == "[Smith^Anne, Jones^Bob]"
    assert str(ours.OtherPatientNames) == str(theirs.OtherPatientNames)
    assert ours.to_json_dict() == theirs.to_json_dict()


@needs_dcmdump
def test_person_names_with_trailing_equals_written_back_as_read(tmp_path):
    source = QUIRKS / "pn_trailing_equals.dcm"
    ds = dicomcore.dcmread(source)
    path = written(ds, tmp_path)
    assert path.read_bytes() == source.read_bytes()
    assert dcmdump(path)["0010,0010"] == ("PN", "[Wang^XiaoDong=王^小東=]")


def test_character_set_term_with_nul_falls_back_with_a_warning():
    path = QUIRKS / "charset_nul.dcm"
    with pytest.raises(ValueError, match="embedded null character"):
        pydicom.dcmread(path).PatientName  # noqa: B018  # pydicom's escape
    ds = dicomcore.dcmread(path)
    with pytest.warns(InvalidValueWarning, match=r"'ISO_IR 1\\x001' is not a defined"):
        assert str(ds.PatientName) == "M\u00fcller^Hans"  # read as ISO 8859-1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = json.loads(ds.to_json())
    assert model["00100010"] == {"vr": "PN", "Value": [{"Alphabetic": "Müller^Hans"}]}


def test_character_set_term_with_nul_raises_a_dicom_error_under_raise():
    ds = dicomcore.dcmread(QUIRKS / "charset_nul.dcm")
    old = config.settings.reading_validation_mode
    config.settings.reading_validation_mode = config.RAISE
    try:
        with pytest.raises(DicomError, match="not a defined term"):
            ds.PatientName  # noqa: B018
    finally:
        config.settings.reading_validation_mode = old


def test_every_quirk_file_is_in_the_manifest_and_a_fuzz_seed():
    import sys

    sys.path.insert(0, str(QUIRKS.parents[1] / "tests" / "fuzz"))
    try:
        from fuzzer import corpus
    finally:
        sys.path.pop(0)
    on_disk = {path.name for path in QUIRKS.glob("*.dcm")}
    assert on_disk == set(MANIFEST)
    seeds = {name for name, _ in corpus()}
    assert {f"quirks/{name}" for name in on_disk} <= seeds
    assert len(on_disk) == 14
