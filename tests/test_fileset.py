"""File-sets: DICOMDIRs written by DCMTK and GDCM read by dicomcore, and
File-sets written by dicomcore read by DCMTK and pydicom 3.

The instances are copies of files DCMTK made (testfiles/ and
testfiles/waveforms/); the DICOMDIRs are made in each test's folder by
``dcmmkdir``, ``dcmgpdir`` and ``gdcmgendir``.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import warnings
from pathlib import Path

import pytest
from interop import TESTFILES, require_tool, run_tool

import dicomcore
from dicomcore.errors import DicomError, InvalidDicomError
from dicomcore.fileset import (
    FileSet,
    FileSetError,
    FileSetWarning,
    InvalidInstanceError,
    generate_filename,
    is_conformant_file_id,
    leaf_record_type,
)

pydicom = pytest.importorskip("pydicom")
pydicom_fileset = pytest.importorskip("pydicom.fileset")

# File ID -> source file (all Explicit VR Little Endian, as STD-GEN-CD wants)
SOURCES = {
    "IMAGES/CT1": "ct_int16_explicit.dcm",
    "IMAGES/MR1": "mono16_explicit.dcm",
    "IMAGES/SC1": "mono8_explicit.dcm",
    "IMAGES/PLAN1": "rtplan_undefined_length_explicit.dcm",
    "WAVES/ECG1": "waveforms/ecg_12lead.dcm",
    "WAVES/RESP1": "waveforms/respiratory.dcm",
}


def copy_instances(root: Path) -> Path:
    for file_id, source in SOURCES.items():
        target = root / file_id
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(TESTFILES / source, target)
    return root


def make_dicomdir(tool: str, root: Path) -> Path:
    copy_instances(root)
    if tool == "gdcmgendir":
        run_tool("gdcmgendir", "-r", "-i", root, "-o", root / "DICOMDIR")
    else:
        require_tool(tool)
        # the files' Patient's Names differ within one patient: DCMTK warns
        subprocess.run(
            [tool, "+r", "+id", str(root), "IMAGES", "WAVES"],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return root / "DICOMDIR"


def sop_instance_uids(paths: dict[str, str]) -> dict[str, str]:
    return {
        file_id: str(dicomcore.dcmread(TESTFILES / source).SOPInstanceUID)
        for file_id, source in paths.items()
    }


def record_tells(dicomdir: Path) -> list[int]:
    """Where pydicom 3 found each directory record: the oracle for offsets."""
    ds = pydicom.dcmread(dicomdir)
    return [record.seq_item_tell for record in ds.DirectoryRecordSequence]


def assert_records_linked(dicomdir: Path) -> None:
    """Following the offsets, as pydicom reads them, from the root visits
    every record once, in the order of the Directory Record Sequence."""
    ds = pydicom.dcmread(dicomdir)
    records = {record.seq_item_tell: record for record in ds.DirectoryRecordSequence}
    visited: list[int] = []

    def walk(offset: int) -> None:
        while offset:
            assert offset in records, f"offset {offset} is not a record"
            visited.append(offset)
            record = records[offset]
            walk(record.OffsetOfReferencedLowerLevelDirectoryEntity)
            offset = record.OffsetOfTheNextDirectoryRecord

    walk(ds.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity)
    assert visited == list(records)
    top = [offset for offset in visited if records[offset].DirectoryRecordType in (
        "PATIENT", "HANGING PROTOCOL", "PALETTE")]  # fmt: skip
    assert ds.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity == top[-1]


# -- reading what DCMTK and GDCM wrote -------------------------------------------


@pytest.mark.parametrize("tool", ["dcmmkdir", "dcmgpdir", "gdcmgendir"])
def test_reads_dicomdirs_of_dcmtk_and_gdcm(tool: str, tmp_path: Path) -> None:
    dicomdir = make_dicomdir(tool, tmp_path)
    fs = FileSet(dicomdir)
    theirs = pydicom_fileset.FileSet(dicomdir)
    assert len(fs) == len(theirs) == 6
    expected = sop_instance_uids(SOURCES)
    assert {instance.FileID: instance.SOPInstanceUID for instance in fs} == expected
    # the same instances, in the same order, at the same paths as pydicom's
    assert [instance.SOPInstanceUID for instance in fs] == [
        instance.SOPInstanceUID for instance in theirs
    ]
    assert [instance.path for instance in fs] == [instance.path for instance in theirs]
    # every record lies where pydicom found it
    offsets = [node._offset for node in fs._tree]
    assert sorted(offsets) == record_tells(dicomdir)
    for instance in fs:
        assert instance.load() == dicomcore.dcmread(instance.path)
    assert fs.path == str(tmp_path.resolve())


def test_record_types_and_lookups_of_a_dcmtk_fileset(tmp_path: Path) -> None:
    fs = FileSet(make_dicomdir("dcmmkdir", tmp_path))
    assert fs.ID == "DCMTK_MEDIA_DEMO"
    assert [instance.node.record_type for instance in fs] == [
        "IMAGE", "IMAGE", "IMAGE", "RT PLAN", "WAVEFORM", "WAVEFORM",
    ]  # fmt: skip
    ct = fs.find(Modality="CT")
    assert [instance.FileID for instance in ct] == ["IMAGES/CT1"]
    assert ct[0].PatientID == "DCTEST001" and ct[0].SeriesNumber == 1
    assert "StudyDate" in ct[0] and "RTPlanLabel" not in ct[0]
    waveforms = fs.find(PatientID="DCWAVE001")
    assert [instance.FileID for instance in waveforms] == ["WAVES/ECG1", "WAVES/RESP1"]
    assert fs.find(load=True, SeriesDescription="respiratory") == [waveforms[1]]
    theirs = pydicom_fileset.FileSet(fs.path + "/DICOMDIR")
    for elements in ("Modality", ["Modality", "PatientID"]):
        assert fs.find_values(elements) == theirs.find_values(elements)
    assert fs.find_values("SeriesDescription", load=True) == [
        "ct_int16_implicit", "mono8_explicit", "mono16_explicit",
        "rtplan_undefined_length_explicit", "ecg_12lead", "respiratory",
    ]  # fmt: skip
    loaded = waveforms[0].load()
    assert loaded.waveform_array(0).shape == (1000, 12)
    assert str(fs).splitlines()[3] == "  File-set UID: " + str(fs.UID)


# -- writing, read back by DCMTK and pydicom ---------------------------------------


@pytest.fixture
def written(tmp_path: Path) -> Path:
    sources = copy_instances(tmp_path / "sources")
    fs = FileSet()
    for file_id in SOURCES:
        if file_id == "WAVES/RESP1":
            fs.add(dicomcore.dcmread(sources / file_id))  # a dataset, not a path
        else:
            fs.add(sources / file_id)
    fs.ID = "DCTEST"
    assert fs.is_staged and fs.path is None
    fs.write(tmp_path / "out")
    assert not fs.is_staged
    return tmp_path / "out"


def test_written_fileset_is_read_by_pydicom_and_dcmdump(written: Path) -> None:
    assert sorted(
        str(p.relative_to(written)) for p in written.rglob("*") if p.is_file()
    ) == [
        "DICOMDIR",
        "PT000000/ST000000/SE000000/IM000000",
        "PT000000/ST000000/SE000001/IM000000",
        "PT000000/ST000000/SE000002/IM000000",
        "PT000000/ST000000/SE000003/RP000000",
        "PT000001/ST000000/SE000000/WV000000",
        "PT000001/ST000000/SE000001/WV000000",
    ]
    dicomdir = written / "DICOMDIR"
    assert_records_linked(dicomdir)
    theirs = pydicom_fileset.FileSet(dicomdir)
    assert theirs.ID == "DCTEST"
    assert sorted(i.SOPInstanceUID for i in theirs) == sorted(
        sop_instance_uids(SOURCES).values()
    )
    # pydicom puts the files where dicomcore did: nothing to move
    assert [i.FileID for i in theirs] == [i.FileID for i in FileSet(dicomdir)]
    dump = run_tool("dcmdump", "-E", dicomdir)
    assert dump.count("DirectoryRecordType") == 16
    assert "(0004,1430) CS [RT PLAN]" in dump and "(0004,1430) CS [WAVEFORM]" in dump
    assert "(0002,0002) UI =MediaStorageDirectoryStorage" in dump
    assert "Little Endian Explicit" in dump
    for path in written.rglob("??000000"):
        if path.is_file():
            assert (
                dicomcore.dcmread(path).SOPInstanceUID
                in sop_instance_uids(SOURCES).values()
            )


@pytest.mark.parametrize("tool", ["dcmmkdir", "dcmgpdir"])
def test_dcmtk_appends_to_a_fileset_dicomcore_wrote(tool: str, written: Path) -> None:
    require_tool(tool)
    shutil.copy(TESTFILES / "mono16_5frames_explicit.dcm", written / "EXTRA1")
    result = subprocess.run(
        [tool, "+A", "EXTRA1"], cwd=written, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "E:" not in result.stderr
    fs = FileSet(written / "DICOMDIR")
    assert len(fs) == 7
    assert fs.find(SeriesNumber=10) or "EXTRA1" in [i.FileID for i in fs]
    assert_records_linked(written / "DICOMDIR")


def test_remove_add_copy_round_trips(written: Path, tmp_path: Path) -> None:
    fs = FileSet(written / "DICOMDIR")
    plan = fs.find(Modality="RTPLAN")[0]
    plan_path = Path(plan.path)
    fs.remove(plan)
    assert plan.for_removal and len(fs) == 5 and fs.is_staged
    fs.write()
    assert not plan_path.exists()
    assert len(FileSet(written / "DICOMDIR")) == 5
    assert len(pydicom_fileset.FileSet(written / "DICOMDIR")) == 5
    assert_records_linked(written / "DICOMDIR")
    # the series record went with its only instance
    dump = run_tool("dcmdump", written / "DICOMDIR")
    assert dump.count("[SERIES]") == 5 and "RT PLAN" not in dump

    fs = FileSet(written / "DICOMDIR")
    added = fs.add(TESTFILES / "rtplan_undefined_length_explicit.dcm")
    assert added.for_addition
    fs.write()
    assert len(fs) == 6
    again = fs.find(Modality="RTPLAN")[0]
    assert again.FileID == "PT000000/ST000000/SE000003/RP000000"
    assert again.load().RTPlanLabel == "PLAN1"
    assert_records_linked(written / "DICOMDIR")

    copy = fs.copy(tmp_path / "copy")
    assert copy.path == str((tmp_path / "copy").resolve())
    assert [i.FileID for i in copy] == [i.FileID for i in fs]
    assert [i.SOPInstanceUID for i in copy] == [i.SOPInstanceUID for i in fs]
    assert copy.UID == fs.UID
    assert_records_linked(tmp_path / "copy" / "DICOMDIR")
    assert len(pydicom_fileset.FileSet(tmp_path / "copy" / "DICOMDIR")) == 6
    assert Path(fs.find(Modality="CT")[0].path).exists()  # the original stays
    with pytest.raises(FileSetError, match="already holds a File-set"):
        fs.copy(tmp_path / "copy")


def test_staged_add_then_remove_is_no_change(written: Path) -> None:
    fs = FileSet(written / "DICOMDIR")
    instance = fs.add(TESTFILES / "mono16_5frames_explicit.dcm")
    assert len(fs) == 7
    fs.remove(instance)
    assert len(fs) == 6 and not fs.is_staged
    ct = fs.find(Modality="CT")[0]
    fs.remove(ct)
    assert fs.add(ct.path) is ct and not ct.for_removal  # removed, then added


def test_copy_of_a_dcmtk_fileset_moves_no_file(tmp_path: Path) -> None:
    fs = FileSet(make_dicomdir("dcmmkdir", tmp_path / "dcmtk"))
    copy = fs.copy(tmp_path / "copy")
    assert [i.FileID for i in copy] == [i.FileID for i in fs]
    run_tool("dcmdump", "-E", tmp_path / "copy" / "DICOMDIR")
    assert_records_linked(tmp_path / "copy" / "DICOMDIR")


def test_nonconformant_file_ids_are_moved_on_write(tmp_path: Path) -> None:
    # DCMTK and GDCM write no lower-case File IDs; real media have them, so the
    # DCMTK DICOMDIR is patched (same length) and the file renamed to match
    dicomdir = make_dicomdir("dcmmkdir", tmp_path)
    data = dicomdir.read_bytes()
    assert data.count(b"IMAGES\\CT1") == 1
    dicomdir.write_bytes(data.replace(b"IMAGES\\CT1", b"images\\ct1"))
    (tmp_path / "images").mkdir()
    (tmp_path / "IMAGES" / "CT1").rename(tmp_path / "images" / "ct1")
    fs = FileSet(dicomdir)
    assert fs.find(Modality="CT")[0].FileID == "images/ct1"
    assert not is_conformant_file_id("images/ct1")
    fs.write(use_existing=True)  # kept as they are
    assert fs.find(Modality="CT")[0].FileID == "images/ct1"
    fs.write()  # without use_existing the file moves to a conformant File ID
    ct = fs.find(Modality="CT")[0]
    assert ct.FileID == "PT000000/ST000000/SE000000/IM000000"
    assert not (tmp_path / "images").exists()  # the emptied folder too
    assert ct.load().Modality == "CT"
    assert [i.FileID for i in fs if i is not ct] == [
        "IMAGES/SC1", "IMAGES/MR1", "IMAGES/PLAN1", "WAVES/ECG1", "WAVES/RESP1",
    ]  # fmt: skip
    assert_records_linked(dicomdir)


# -- damaged DICOMDIRs ---------------------------------------------------------


def patch_ul(path: Path, offset_of_value: int, value: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset_of_value : offset_of_value + 4] = struct.pack("<L", value)
    path.write_bytes(bytes(data))


def first_offset_position(data: bytes) -> int:
    # (0004,1200) UL, explicit VR little endian: tag, "UL", length, value
    return data.index(b"\x04\x00\x00\x12UL\x04\x00") + 8


def test_wrong_offset_is_a_clear_error(tmp_path: Path) -> None:
    dicomdir = make_dicomdir("dcmmkdir", tmp_path)
    patch_ul(dicomdir, first_offset_position(dicomdir.read_bytes()), 402)
    with pytest.raises(InvalidDicomError, match="offset 402, where no record starts"):
        FileSet(dicomdir)


def test_a_loop_of_records_is_a_clear_error(tmp_path: Path) -> None:
    dicomdir = make_dicomdir("dcmmkdir", tmp_path)
    tells = record_tells(dicomdir)
    data = dicomdir.read_bytes()
    # the first record's Offset of the Next Directory Record names itself
    position = data.index(b"\x04\x00\x00\x14UL\x04\x00", tells[0]) + 8
    patch_ul(dicomdir, position, tells[0])
    with pytest.raises(InvalidDicomError, match="a second time"):
        FileSet(dicomdir)


def test_missing_first_offset_reads_the_records_as_orphans(tmp_path: Path) -> None:
    dicomdir = make_dicomdir("dcmmkdir", tmp_path)
    patch_ul(dicomdir, first_offset_position(dicomdir.read_bytes()), 0)
    with pytest.warns(FileSetWarning, match="read as orphans"):
        fs = FileSet(dicomdir)
    assert sorted(i.FileID for i in fs) == sorted(SOURCES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(FileSetError, match="outside its tree"):
            FileSet().load(dicomdir, raise_orphans=True)


def test_not_a_dicomdir(tmp_path: Path) -> None:
    with pytest.raises(FileSetError, match="not a File-set's DICOMDIR"):
        FileSet(TESTFILES / "ct_int16_explicit.dcm")
    with pytest.raises(
        FileSetError, match="a new File-set is written to a root folder"
    ):
        FileSet().write()
    assert issubclass(FileSetError, DicomError)


def test_an_instance_without_type_1_attributes_is_refused() -> None:
    ds = dicomcore.dcmread(TESTFILES / "ct_int16_explicit.dcm")
    del ds.StudyDate
    with pytest.raises(
        InvalidInstanceError, match=r"\(0008,0020\) 'Study Date' is missing"
    ):
        FileSet().add(ds)
    ds = dicomcore.dcmread(TESTFILES / "ct_int16_explicit.dcm")
    ds.PatientID = ""
    with pytest.raises(InvalidInstanceError, match="'Patient ID' is empty"):
        FileSet().add(ds)


# -- against pydicom's tables -------------------------------------------------------


def test_leaf_record_types_agree_with_pydicom() -> None:
    table = pydicom_fileset._FOUR_LEVEL_SOP_CLASSES
    disagree = {}
    for uid, record_type in table.items():
        ds = dicomcore.Dataset()
        ds.SOPClassUID = uid
        if leaf_record_type(ds) != record_type:
            disagree[uid.name] = (leaf_record_type(ds), record_type)
    assert disagree == {}
    ds = dicomcore.Dataset()
    ds.SOPClassUID = dicomcore.uid.CTImageStorage
    assert leaf_record_type(ds) == "IMAGE"
    ds.Modality = "RTRAD"
    assert leaf_record_type(ds) == "RADIOTHERAPY"


def test_file_id_helpers_agree_with_pydicom() -> None:
    for prefix, start, alphanumeric in [
        ("IM", 0, False),
        ("PT", 99, False),
        ("", 34, True),
    ]:
        ours = generate_filename(prefix, start, alphanumeric)
        theirs = pydicom_fileset.generate_filename(prefix, start, alphanumeric)
        assert [next(ours) for _ in range(40)] == [next(theirs) for _ in range(40)]
    for file_id in [
        "A/B",
        "ABCDEFGH",
        "ABCDEFGHI",
        "a",
        "A B",
        "_1/2/3/4/5/6/7/8",
        "1/2/3/4/5/6/7/8/9",
    ]:
        assert is_conformant_file_id(file_id) == pydicom_fileset.is_conformant_file_id(
            Path(file_id)
        ), file_id


# -- records made for each kind of instance, against pydicom's ------------------

_COMMON = {
    "PatientID": ("LO", "P1"),
    "PatientName": ("PN", "Doe^Jane"),
    "StudyDate": ("DA", "20260101"),
    "StudyTime": ("TM", "0900"),
    "StudyID": ("SH", "S1"),
    "StudyInstanceUID": ("UI", "2.25.11"),
    "SeriesInstanceUID": ("UI", "2.25.12"),
    "SeriesNumber": ("IS", "3"),
    "InstanceNumber": ("IS", "7"),
    "SOPInstanceUID": ("UI", "2.25.13"),
    "ContentDate": ("DA", "20260102"),
    "ContentTime": ("TM", "1000"),
}
_CODE = [{"00080100": {"vr": "SH", "Value": ["121"]}}]
INSTANCES = {
    "SR DOCUMENT": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.88.33"),
        "Modality": ("CS", "SR"),
        "CompletionFlag": ("CS", "COMPLETE"),
        "VerificationFlag": ("CS", "UNVERIFIED"),
        "ConceptNameCodeSequence": ("SQ", _CODE),
    },
    "PRESENTATION": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.11.1"),
        "Modality": ("CS", "PR"),
        "PresentationCreationDate": ("DA", "20260103"),
        "PresentationCreationTime": ("TM", "1100"),
        "ContentLabel": ("CS", "LABEL"),
        "ContentCreatorName": ("PN", "Smith"),
    },
    "KEY OBJECT DOC": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.88.59"),
        "Modality": ("CS", "KO"),
        "ConceptNameCodeSequence": ("SQ", _CODE),
    },
    "ENCAP DOC": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.104.1"),
        "Modality": ("CS", "DOC"),
        "MIMETypeOfEncapsulatedDocument": ("LO", "application/pdf"),
        "DocumentTitle": ("ST", "Report"),
        "EncapsulatedDocument": ("OB", None),
    },
    "RT DOSE": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.481.2"),
        "Modality": ("CS", "RTDOSE"),
        "DoseSummationType": ("CS", "PLAN"),
    },
    "RT STRUCTURE SET": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.481.3"),
        "Modality": ("CS", "RTSTRUCT"),
        "StructureSetLabel": ("SH", "ORGANS"),
        "StructureSetDate": ("DA", "20260104"),
    },
    "RT TREAT RECORD": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.1.1.481.4"),
        "Modality": ("CS", "RTRECORD"),
        "TreatmentDate": ("DA", "20260105"),
    },
    "PALETTE": {
        "SOPClassUID": ("UI", "1.2.840.10008.5.1.4.39.1"),
        "ContentLabel": ("CS", "HOT_IRON"),
    },
}


def as_json(attributes: dict) -> dict:
    from dicomcore.dictionary import tag_for_keyword

    document = {}
    for keyword, (vr, value) in {**_COMMON, **attributes}.items():
        entry: dict = {"vr": vr}
        if vr == "PN":
            entry["Value"] = [{"Alphabetic": value}]
        elif vr == "SQ":
            entry["Value"] = value
        elif value is not None:
            entry["Value"] = [value]
        document[f"{tag_for_keyword(keyword):08X}"] = entry
    return document


@pytest.mark.parametrize("record_type", sorted(INSTANCES))
def test_records_equal_pydicoms(record_type: str, tmp_path: Path) -> None:
    from dicomcore.fileset import records_for

    document = as_json(INSTANCES[record_type])
    ours = dicomcore.Dataset.from_json(document)
    ours.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    theirs = pydicom.Dataset.from_json(document)
    theirs.file_meta = pydicom.dataset.FileMetaDataset()
    theirs.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    records = records_for(ours)
    expected = list(pydicom_fileset.FileSet()._recordify(theirs))
    assert records[-1].DirectoryRecordType == record_type

    def normalised(record) -> dict:
        # pydicom writes an empty sequence as "Value": [], dicomcore leaves
        # "Value" out; both mean no items (PS3.18 F.2.5)
        document = record.to_json_dict()
        for entry in document.values():
            if entry.get("Value") == []:
                del entry["Value"]
        return document

    assert [normalised(record) for record in records] == [
        normalised(record) for record in expected
    ]
    # and the File-set holding it reads back in pydicom
    fs = FileSet()
    fs.add(ours)
    fs.write(tmp_path / "set")
    assert_records_linked(tmp_path / "set" / "DICOMDIR")
    [instance] = pydicom_fileset.FileSet(tmp_path / "set" / "DICOMDIR")
    assert instance.DirectoryRecordType == record_type


def test_deep_record_nesting_is_a_limit(tmp_path: Path, monkeypatch) -> None:
    from dicomcore import config
    from dicomcore.errors import LimitError

    dicomdir = make_dicomdir("dcmmkdir", tmp_path)
    monkeypatch.setattr(config.limits, "max_sequence_depth", 3)
    with pytest.raises(LimitError, match="nested deeper than 3"):
        FileSet(dicomdir)
    monkeypatch.setattr(config.limits, "max_sequence_depth", 4)
    assert len(FileSet(dicomdir)) == 6


def test_truncated_dicomdir_is_an_error(tmp_path: Path) -> None:
    dicomdir = make_dicomdir("dcmmkdir", tmp_path)
    dicomdir.write_bytes(dicomdir.read_bytes()[:1500])
    with pytest.raises(DicomError):
        FileSet(dicomdir)


def test_records_keep_each_instances_character_set(tmp_path: Path) -> None:
    fs = FileSet()
    for number, name in enumerate(["japanese", "greek", "arabic"]):
        ds = dicomcore.dcmread(TESTFILES / "charsets" / f"{name}.dcm")
        # the character set files carry no study or series: give them one
        ds.PatientID = f"P{number}"
        ds.StudyDate, ds.StudyTime, ds.StudyID = "20260101", "1000", "1"
        ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "OT", 1, 1
        ds.StudyInstanceUID = f"2.25.{100 + number}"
        ds.SeriesInstanceUID = f"2.25.{200 + number}"
        ds.SOPClassUID = dicomcore.uid.SecondaryCaptureImageStorage
        ds.SOPInstanceUID = f"2.25.{300 + number}"
        fs.add(ds)
    fs.write(tmp_path / "set")
    expected = [
        "Yamada^Tarou=山田^太郎=やまだ^たろう",
        "Διονυσιος^Αλέξανδρος",
        "قباني^لنزار",
    ]
    theirs = pydicom_fileset.FileSet(tmp_path / "set" / "DICOMDIR")
    assert [str(instance.PatientName) for instance in theirs] == expected
    ours = FileSet(tmp_path / "set" / "DICOMDIR")
    assert [str(instance.PatientName) for instance in ours] == expected
    assert [i.SpecificCharacterSet for i in ours][1] == "ISO_IR 126"


def test_file_set_id() -> None:
    fs = FileSet()
    fs.ID = "DCMTK_MEDIA_DEMO"  # 16 characters, as DCMTK writes
    assert fs.ID == "DCMTK_MEDIA_DEMO"
    for wrong in ["lower", "SEVENTEEN_LETTERS", "A-B"]:
        with pytest.raises(FileSetError, match="is not a File-set ID"):
            fs.ID = wrong
    fs.ID = None
    assert fs.ID is None


def test_damaged_bytes_give_only_dicom_errors(tmp_path: Path) -> None:
    """Seeded byte damage to a DCMTK DICOMDIR: the record walk ends with
    offsets or an InvalidDicomError, never another exception or a hang."""
    import random

    from dicomcore.fileset._fileset import _dataset_start
    from dicomcore.fileset._layout import record_offsets

    original = make_dicomdir("dcmmkdir", tmp_path).read_bytes()
    start = _dataset_start(original)
    assert record_offsets(original, start, False, True) == record_tells(
        tmp_path / "DICOMDIR"
    )
    rng = random.Random(23)
    outcomes = {"offsets": 0, "error": 0}
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(start, len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            del data[rng.randrange(start, len(data)) :]
        try:
            record_offsets(bytes(data), start, False, True)
            outcomes["offsets"] += 1
        except InvalidDicomError:
            outcomes["error"] += 1
    assert outcomes["offsets"] > 0 and outcomes["error"] > 0
