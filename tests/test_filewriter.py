"""dicomcore.filewriter, and the writing habits of pydicom users."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import dicomcore
from dicomcore import Dataset, FileDataset, FileMetaDataset, filewriter
from dicomcore.errors import MissingFileMetaError
from dicomcore.filebase import DicomBytesIO
from dicomcore.uid import DICOMCORE_IMPLEMENTATION_UID, ExplicitVRLittleEndian

pydicom = pytest.importorskip("pydicom")
TESTFILES = Path(__file__).resolve().parents[1] / "testfiles"


def _meta(library):
    meta = library.FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = "1.2.3.4"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return meta


def test_file_meta_as_given_without_enforce_standard():
    ours, theirs = DicomBytesIO(), pydicom.filebase.DicomBytesIO()
    filewriter.write_file_meta_info(ours, _meta(dicomcore), enforce_standard=False)
    pydicom.filewriter.write_file_meta_info(
        theirs, _meta(pydicom), enforce_standard=False
    )
    assert ours.getvalue() == theirs.getvalue()
    assert ours.getvalue()[:8] == b"\x02\x00\x02\x00UI\x1a\x00"


def test_file_meta_completed_with_enforce_standard():
    meta = _meta(dicomcore)
    buffer = io.BytesIO()
    filewriter.write_file_meta_info(buffer, meta, enforce_standard=True)
    assert [int(tag) for tag in meta.keys()] == [
        0x00020000,
        0x00020001,
        0x00020002,
        0x00020003,
        0x00020010,
        0x00020012,
        0x00020013,
    ]
    assert meta.ImplementationClassUID == DICOMCORE_IMPLEMENTATION_UID
    assert meta.FileMetaInformationGroupLength == len(buffer.getvalue()) - 12
    back = dicomcore.dcmread(b"\0" * 128 + b"DICM" + buffer.getvalue(), force=True)
    assert back.file_meta.FileMetaInformationGroupLength == len(buffer.getvalue()) - 12


def test_missing_required_file_meta_is_an_attribute_error():
    meta = FileMetaDataset()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    with pytest.raises(MissingFileMetaError, match="Media Storage SOP Class UID"):
        filewriter.write_file_meta_info(io.BytesIO(), meta)
    assert issubclass(MissingFileMetaError, AttributeError)


def test_write_dataset_in_the_buffers_encoding():
    ds = Dataset()
    ds.PatientName = "Doe"
    ds.Rows = 3
    buffer = DicomBytesIO()
    buffer.is_implicit_VR, buffer.is_little_endian = True, True
    assert filewriter.write_dataset(buffer, ds) == 22
    assert buffer.getvalue() == bytes.fromhex(
        "1000100004000000446f652028001000020000000300"
    )


def test_encoding_set_by_hand_is_written_and_warned_about(tmp_path):
    ds = dicomcore.dcmread(TESTFILES / "mono16_explicit_nometa.dcm", force=True)
    assert (ds.is_implicit_VR, ds.is_little_endian) == (False, True)
    with pytest.warns(DeprecationWarning, match="'FileDataset.is_implicit_VR' will be"):
        ds.is_implicit_VR = True
    assert ds.is_implicit_VR is True
    ds.save_as(tmp_path / "implicit.dcm")
    data = (tmp_path / "implicit.dcm").read_bytes()
    # (0008,0016) in implicit VR: tag, then a 4-byte length, no VR
    assert data[:8] == b"\x08\x00\x16\x00\x1a\x00\x00\x00"
    assert dicomcore.dcmread(data, force=True).original_encoding == (True, True)


def test_file_dataset_defaults_to_implicit_vr_as_pydicoms():
    ds = FileDataset("new.dcm", {})
    ds.PatientName = "Doe"
    buffer = io.BytesIO()
    dicomcore.dcmwrite(buffer, ds)
    assert buffer.getvalue() == b"\x10\x00\x10\x00\x04\x00\x00\x00Doe "


def test_write_like_original_is_deprecated(tmp_path):
    ds = dicomcore.dcmread(TESTFILES / "mono16_explicit_nometa.dcm", force=True)
    with pytest.warns(DeprecationWarning, match="'write_like_original' is deprecated"):
        dicomcore.dcmwrite(tmp_path / "x.dcm", ds, write_like_original=False)
    assert (tmp_path / "x.dcm").read_bytes()[128:132] == b"DICM"


def test_overwrite_false_keeps_an_existing_file(tmp_path):
    (tmp_path / "x.dcm").write_bytes(b"keep")
    ds = dicomcore.dcmread(TESTFILES / "mono8_explicit.dcm")
    with pytest.raises(FileExistsError):
        ds.save_as(tmp_path / "x.dcm", overwrite=False)
    assert (tmp_path / "x.dcm").read_bytes() == b"keep"


def test_an_ambiguous_vr_is_resolved_by_the_dataset_it_joins():
    from dicomcore.datadict import dictionary_VR

    ds = Dataset()
    ds.PixelRepresentation = 1
    ds.add(dicomcore.DataElement(0x00280106, dictionary_VR(0x00280106), -2))
    assert ds[0x00280106].VR == "SS"
    assert ds[0x00280106].value == -2
    ds.add(dicomcore.DataElement(0x00280107, "US or SS", b"\xff\x7f"))
    assert ds[0x00280107].value == 32767
    assert filewriter.correct_ambiguous_vr(ds, True) is ds
    buffer = io.BytesIO()
    dicomcore.dcmwrite(buffer, ds, implicit_vr=False, little_endian=True)
    assert buffer.getvalue()[-20:] == bytes.fromhex(
        "2800060153530200feff2800070153530200ff7f"
    )


def test_native_bytes_assigned_over_encapsulated_pixel_data(tmp_path):
    ds = dicomcore.dcmread(TESTFILES / "mono8_rle.dcm")
    pixels = ds.pixel_array.copy()
    ds.PixelData = pixels[::-1].tobytes()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(tmp_path / "native.dcm")
    back = dicomcore.dcmread(tmp_path / "native.dcm")
    assert not back["PixelData"].is_undefined_length
    assert back.PixelData == pixels[::-1].tobytes()
    # encapsulated bytes under a native transfer syntax are still refused
    ds = dicomcore.dcmread(TESTFILES / "mono8_rle.dcm")
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    with pytest.raises(dicomcore.DicomError, match="decompress the dataset first"):
        ds.save_as(tmp_path / "refused.dcm")


def test_force_encoding_writes_the_data_set_as_asked():
    ds = Dataset()
    ds.PatientName = "A"
    buffer = io.BytesIO()
    dicomcore.dcmwrite(
        buffer, ds, implicit_vr=False, little_endian=False, force_encoding=True
    )
    assert buffer.getvalue() == bytes.fromhex("00100010504e00024120")
    source = dicomcore.dcmread(TESTFILES / "mono8_explicit.dcm")
    buffer = io.BytesIO()
    dicomcore.dcmwrite(
        buffer, source, implicit_vr=True, little_endian=True, force_encoding=True
    )
    with pytest.warns(UserWarning, match="says explicit VR but the dataset is"):
        back = dicomcore.dcmread(buffer.getvalue())
    # the meta still says explicit VR; the data set is implicit (read as such)
    assert back.file_meta.TransferSyntaxUID == ExplicitVRLittleEndian
    assert back.original_encoding == (True, True)
    with pytest.raises(ValueError, match="are required if 'force_encoding'"):
        dicomcore.dcmwrite(io.BytesIO(), ds, implicit_vr=True, force_encoding=True)


def test_write_data_element_in_a_character_set():
    buffer = DicomBytesIO()
    buffer.is_implicit_VR, buffer.is_little_endian = False, True
    filewriter.write_data_element(
        buffer, dicomcore.DataElement(0x00100010, "PN", "Müller^Zoë"), "ISO_IR 100"
    )
    filewriter.write_data_element(buffer, dicomcore.DataElement(0x00280010, "US", 512))
    assert buffer.getvalue() == bytes.fromhex(
        "10001000504e0a004dfc6c6c65725e5a6feb28001000555302000002"
    )
