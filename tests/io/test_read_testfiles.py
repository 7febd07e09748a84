"""Reading the DCMTK- and GDCM-made testfiles, checked against DCMTK itself."""

from __future__ import annotations

import io
import json
import zlib

import pytest
from interop import TESTFILES, dcmdump_elements, dcmdump_value_matches, our_elements

from dicomcore import config, dcmread, dcmwrite

MANIFEST = json.loads((TESTFILES / "manifest.json").read_text())
RECORDS = {record["file"]: record for record in MANIFEST}
PIXEL_TAGS = {0x7FE00010, 0x7FE00008, 0x7FE00009}


def read(name: str):
    return dcmread(TESTFILES / name, force=not RECORDS[name]["has_file_meta"])


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_transfer_syntax_and_layout_as_manifest(name):
    record = RECORDS[name]
    ds = read(name)
    if record["has_file_meta"]:
        assert ds.file_meta.TransferSyntaxUID == record["transfer_syntax"]
    else:
        implicit, little = ds.original_encoding
        assert implicit == (record["transfer_syntax"] == "1.2.840.10008.1.2")
        assert little
    if record["rows"] is not None:
        assert ds.Rows == record["rows"]
        assert ds.Columns == record["columns"]
        assert ds.BitsAllocated == record["bits_allocated"]
        assert ds.SamplesPerPixel == record["samples_per_pixel"]
        assert ds.PhotometricInterpretation == record["photometric_interpretation"]


@pytest.fixture
def keep_un():
    """GDCM writes private elements as UN; DCMTK shows them so, and a file is
    written back byte for byte only while they stay UN."""
    config.settings.replace_un_with_known_vr = False
    yield
    config.settings.replace_un_with_known_vr = True


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_elements_agree_with_dcmdump(name, keep_un):
    options = () if RECORDS[name]["has_file_meta"] else ("-f",)
    theirs = dcmdump_elements(TESTFILES / name, *options)
    ours = our_elements(read(name))
    assert set(theirs) - {(tag,) for tag in PIXEL_TAGS} == set(ours) - {
        (tag,) for tag in PIXEL_TAGS
    }
    for key, (their_vr, their_value) in theirs.items():
        our_vr, our_value = ours[key]
        assert our_vr == their_vr, key
        assert dcmdump_value_matches(our_vr, our_value, their_value), (
            key,
            our_value,
            their_value,
        )


def test_manifest_element_values():
    ds = read("ct_int16_implicit.dcm")
    assert str(ds.PatientName) == "Doe^John^Quincy^Dr.^Jr."
    assert ds.PatientName.given_name == "John"
    assert ds.ImagePositionPatient == [-125.0, -130.5, 42.25]
    assert ds.PixelSpacing == [0.48828125, 0.5]
    assert ds.AcquisitionMatrix == [0, 64, 64, 0]
    assert ds.ReferencedImageSequence[1].ReferencedFrameNumber == [1, 2]
    assert ds[0x00191011].value == -3
    assert ds[0x00191011].VR == "SS"  # from the private dictionary (implicit VR)
    assert ds[0x00191002].name == "[Detector Channel]"


@pytest.mark.parametrize("name", sorted(RECORDS))
@pytest.mark.parametrize("decode_first", [False, True])
def test_unchanged_round_trip_is_byte_identical(name, decode_first, keep_un):
    original = (TESTFILES / name).read_bytes()
    ds = read(name)
    if decode_first:
        for elem in ds.iterall():
            elem.value  # noqa: B018
    buffer = io.BytesIO()
    dcmwrite(buffer, ds)
    written = buffer.getvalue()
    if RECORDS[name]["transfer_syntax"] == "1.2.840.10008.1.2.1.99":
        # PS3.5 A.5: dicomcore pads an odd-length deflated stream; DCMTK does not.
        assert written[: len(original)] == original
        assert written[len(original) :] in (b"", b"\x00")
    else:
        assert written == original


def test_deflated_dataset_inflates_to_explicit_little():
    ds = read("mono16_deflated.dcm")
    plain = read("mono16_explicit.dcm")
    assert ds.PixelData == plain.PixelData
    raw = (TESTFILES / "mono16_deflated.dcm").read_bytes()
    meta_end = 132 + 12 + ds.file_meta.FileMetaInformationGroupLength
    inflated = zlib.decompress(raw[meta_end:], -zlib.MAX_WBITS)
    assert inflated.startswith(b"\x08\x00\x16\x00UI\x1a\x00")
