"""Writing in every native transfer syntax, witnessed by DCMTK and GDCM."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
from interop import (
    TESTFILES,
    dcmdump_elements,
    dcmdump_value_matches,
    gdcmdump_elements,
    our_elements,
)

from dicomcore import Dataset, FileMetaDataset, dcmread, dcmwrite, uid
from dicomcore.errors import DicomError

MANIFEST = json.loads((TESTFILES / "manifest.json").read_text())
NATIVE = sorted(
    record["file"]
    for record in MANIFEST
    if record["has_file_meta"]
    and record["transfer_syntax"]
    in {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}
)
TARGETS = {
    "implicit": uid.ImplicitVRLittleEndian,
    "explicit": uid.ExplicitVRLittleEndian,
    "big": uid.ExplicitVRBigEndian,
    "deflated": uid.DeflatedExplicitVRLittleEndian,
}
PIXEL_KEYS = {(0x7FE00010,), (0x7FE00008,), (0x7FE00009,)}
META_CHANGED = {(0x00020000,), (0x00020010,)}


def assert_same_elements(theirs, ours):
    assert (
        set(theirs) - PIXEL_KEYS - META_CHANGED == set(ours) - PIXEL_KEYS - META_CHANGED
    )
    for key in set(theirs) - PIXEL_KEYS - META_CHANGED:
        their_vr, their_value = theirs[key]
        our_vr, our_value = ours[key]
        assert their_vr == our_vr, key
        assert dcmdump_value_matches(our_vr, our_value, their_value), (
            key,
            our_value,
            their_value,
        )


def pixel_words(ds) -> np.ndarray:
    """Pixel Data as numbers of its container size, whatever the byte order."""
    data = ds.PixelData
    implicit, little = ds.original_encoding
    if ds.BitsAllocated <= 8 and (little or ds[0x7FE00010].VR == "OB"):
        return np.frombuffer(data, np.uint8)
    # OW is a stream of 16-bit words in the file's byte order (PS3.5 7.3).
    words = np.frombuffer(data, np.dtype("<u2" if little else ">u2"))
    return words.astype(np.uint16)


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("name", NATIVE)
def test_write_each_syntax_witnessed_by_dcmtk_and_gdcm(tmp_path, name, target):
    original = dcmread(TESTFILES / name)
    expected = our_elements(original)
    ds = dcmread(TESTFILES / name)
    ds.file_meta.TransferSyntaxUID = TARGETS[target]
    out = tmp_path / f"{target}.dcm"
    ds.save_as(out)

    assert_same_elements(dcmdump_elements(out), expected)
    assert_same_elements(gdcmdump_elements(out), expected)

    back = dcmread(out)
    assert back.file_meta.TransferSyntaxUID == TARGETS[target]
    assert back.original_encoding == (
        target == "implicit",
        target != "big",
    )
    assert_same_elements(our_elements(back), expected)
    if "PixelData" in original:
        assert np.array_equal(pixel_words(back), pixel_words(original))


@pytest.mark.parametrize("name", NATIVE)
def test_big_endian_and_back_gives_the_same_bytes(tmp_path, name):
    ds = dcmread(TESTFILES / name)
    syntax = ds.file_meta.TransferSyntaxUID
    ds.file_meta.TransferSyntaxUID = uid.ExplicitVRBigEndian
    ds.save_as(tmp_path / "big.dcm")
    big = dcmread(tmp_path / "big.dcm")
    big.file_meta.TransferSyntaxUID = uid.ExplicitVRLittleEndian
    big.save_as(tmp_path / "little.dcm")
    little = dcmread(tmp_path / "little.dcm")
    reference = dcmread(TESTFILES / name)
    if syntax != uid.ExplicitVRBigEndian and "PixelData" in reference:
        reference.file_meta.TransferSyntaxUID = uid.ExplicitVRLittleEndian
        buffer = io.BytesIO()
        dcmwrite(buffer, reference)
        assert buffer.getvalue() == (tmp_path / "little.dcm").read_bytes()
    assert_same_elements(our_elements(little), our_elements(reference))
    if "PixelData" in reference:
        assert np.array_equal(pixel_words(little), pixel_words(reference))


def test_new_dataset_gets_file_meta_and_implementation_uid(tmp_path):
    ds = Dataset()
    ds.SOPClassUID = uid.SecondaryCaptureImageStorage
    ds.SOPInstanceUID = "1.2.3.4"
    ds.PatientName = "Doe^Jane"
    ds.save_as(tmp_path / "new.dcm")
    data = (tmp_path / "new.dcm").read_bytes()
    assert data[:128] == b"\x00" * 128 and data[128:132] == b"DICM"
    back = dcmread(tmp_path / "new.dcm")
    meta = back.file_meta
    assert meta.MediaStorageSOPClassUID == uid.SecondaryCaptureImageStorage
    assert meta.MediaStorageSOPInstanceUID == "1.2.3.4"
    assert meta.TransferSyntaxUID == uid.ExplicitVRLittleEndian
    assert meta.ImplementationClassUID == uid.DICOMCORE_IMPLEMENTATION_UID
    assert meta.ImplementationVersionName == uid.DICOMCORE_IMPLEMENTATION_VERSION_NAME
    assert meta.FileMetaInformationVersion == b"\x00\x01"
    # the group length counts every byte of the rest of group 2
    assert meta.FileMetaInformationGroupLength == len(data) - 132 - 12 - len(
        data[data.index(b"\x08\x00\x16\x00") :]
    )
    assert str(back.PatientName) == "Doe^Jane"


def test_exact_bytes_of_a_small_explicit_dataset():
    ds = Dataset()
    ds.PatientName = "Doe"  # odd length: padded with a space
    ds.Rows = 2
    ds.add_new(0x00091001, "OB", b"\x01\x02\x03")
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, implicit_vr=False, little_endian=True)
    assert buffer.getvalue() == (
        b"\x09\x00\x01\x10OB\x00\x00\x04\x00\x00\x00\x01\x02\x03\x00"
        b"\x10\x00\x10\x00PN\x04\x00Doe "
        b"\x28\x00\x10\x00US\x02\x00\x02\x00"
    )
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, implicit_vr=True, little_endian=True)
    assert buffer.getvalue()[-10:] == b"\x28\x00\x10\x00\x02\x00\x00\x00\x02\x00"
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, implicit_vr=False, little_endian=False)
    assert buffer.getvalue()[-10:] == b"\x00\x28\x00\x10US\x00\x02\x00\x02"


def test_long_value_in_short_vr_is_written_as_un():
    ds = Dataset()
    ds.add_new(0x00091010, "SL", list(range(20000)))
    buffer = io.BytesIO()
    dcmwrite(buffer, ds, implicit_vr=False, little_endian=True)
    data = buffer.getvalue()
    assert data[:12] == b"\x09\x00\x10\x10UN\x00\x00" + (80000).to_bytes(4, "little")


def test_saving_over_the_source_of_a_lazy_dataset(tmp_path):
    path = tmp_path / "lazy.dcm"
    path.write_bytes((TESTFILES / "mono16_explicit.dcm").read_bytes())
    ds = dcmread(path)
    assert ds[0x7FE00010].is_deferred
    pixels = (TESTFILES / "mono16_explicit.dcm").read_bytes()[-8192:]
    ds.PatientName = "Changed^Name"
    ds.save_as(path)
    assert ds.PixelData == pixels  # still readable after the file was replaced
    back = dcmread(path)
    assert str(back.PatientName) == "Changed^Name"
    assert back.PixelData == pixels
    assert [p.name for p in tmp_path.iterdir()] == ["lazy.dcm"]


def test_failed_write_leaves_target_untouched(tmp_path):
    path = tmp_path / "keep.dcm"
    path.write_bytes(b"original content")
    ds = Dataset()
    ds.SOPClassUID = "1.2.3"
    ds.SOPInstanceUID = "1.2.3.4"
    ds.add_new(0x7FE00010, "OB", b"\xfe\xff\x00\xe0\x00\x00\x00\x00")
    ds[0x7FE00010].is_undefined_length = True  # encapsulated data ...
    with pytest.raises(DicomError, match="encapsulated"):
        dcmwrite(
            path, ds, implicit_vr=False, little_endian=True
        )  # ... in a native syntax
    assert path.read_bytes() == b"original content"
    assert sorted(os.listdir(tmp_path)) == ["keep.dcm"]


def test_group_2_in_dataset_is_refused():
    ds = Dataset()
    ds.add(__import__("dicomcore").DataElement(0x00020010, "UI", "1.2.840.10008.1.2"))
    with pytest.raises(DicomError, match="file_meta"):
        dcmwrite(io.BytesIO(), ds, implicit_vr=True, little_endian=True)


def test_conflicting_encoding_arguments():
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = uid.ExplicitVRLittleEndian
    with pytest.raises(DicomError, match="Transfer Syntax UID"):
        dcmwrite(io.BytesIO(), ds, implicit_vr=True, little_endian=True)


@pytest.mark.parametrize("with_delimiter", [True, False])
def test_encapsulated_pixel_data_with_or_without_its_delimiter(
    tmp_path, with_delimiter
):
    from dicomcore.io.encapsulation import encapsulate

    source = dcmread(TESTFILES / "mono8_rle.dcm")
    value = encapsulate([source.PixelData[16:]])  # any bytes stand for a frame
    source.PixelData = value if with_delimiter else value[:-8]
    source.save_as(tmp_path / "out.dcm")
    data = (tmp_path / "out.dcm").read_bytes()
    assert data.endswith(value)
    assert not data.endswith(value + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00")
    assert dcmread(tmp_path / "out.dcm").PixelData == value[:-8]


def test_new_encapsulated_dataset_is_written_encapsulated(tmp_path):
    from dicomcore.io.encapsulation import encapsulate

    ds = Dataset()
    ds.SOPClassUID = uid.SecondaryCaptureImageStorage
    ds.SOPInstanceUID = "1.2.3.4"
    ds.file_meta.TransferSyntaxUID = uid.RLELossless
    ds.PixelData = encapsulate([b"\x01\x02\x03\x04"])
    ds.save_as(tmp_path / "rle.dcm")
    back = dcmread(tmp_path / "rle.dcm")
    assert back[0x7FE00010].is_undefined_length
    assert back[0x7FE00010].VR == "OB"
    assert back.PixelData == encapsulate([b"\x01\x02\x03\x04"])[:-8]
