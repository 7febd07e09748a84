"""Damaged files read as far as they go, as pydicom reads them: truncated
values, items running past their sequence, encapsulated Pixel Data without its
delimiter (testfiles/quirks/)."""

from __future__ import annotations

import warnings

import numpy as np
import pydicom
import pytest
from quirks_oracle import (
    QUIRKS,
    assert_same_elements,
    dcmdump,
    needs_dcmdump,
    quiet_read,
    written,
)

import dicomcore
from dicomcore import config
from dicomcore.errors import (
    DamagedDataWarning,
    DicomError,
    DicomWarning,
    InvalidDicomError,
    PixelDataError,
)
from dicomcore.pixels import pixel_array

TESTFILES = QUIRKS.parent


@pytest.fixture
def reading_raise():
    old = config.settings.reading_validation_mode
    config.settings.reading_validation_mode = config.RAISE
    yield
    config.settings.reading_validation_mode = old


def test_truncated_pixel_data_keeps_the_bytes_there_are():
    with pytest.warns(
        DamagedDataWarning,
        match=r"length 512 runs past the end of the data; the 312 bytes there",
    ) as caught:
        ds = dicomcore.dcmread(QUIRKS / "truncated_pixel_data.dcm")
    assert caught[0].message.tag == 0x7FE00010
    assert issubclass(DamagedDataWarning, DicomWarning)
    theirs = pydicom.dcmread(QUIRKS / "truncated_pixel_data.dcm")
    assert assert_same_elements(ds, theirs) == 13
    assert ds.PixelData == bytes(range(256)) + bytes(range(56))
    assert ds.Rows == 16 and ds.PatientName == "Doe^Jane"
    # Only using the broken value raises, as in pydicom.
    with pytest.raises(PixelDataError, match="need 512 bytes but the value holds 312"):
        ds.pixel_array  # noqa: B018
    with pytest.raises(ValueError, match="312 vs 512 bytes"):
        theirs.pixel_array  # noqa: B018


def test_truncated_pixel_data_refused_under_raise(reading_raise):
    with pytest.raises(InvalidDicomError, match="runs past the end") as error:
        dicomcore.dcmread(QUIRKS / "truncated_pixel_data.dcm")
    assert error.value.tag == 0x7FE00010


@needs_dcmdump
def test_truncated_pixel_data_written_back_as_read(tmp_path):
    ds = quiet_read(dicomcore.dcmread, QUIRKS / "truncated_pixel_data.dcm")
    path = written(ds, tmp_path)
    shown = dcmdump(path)
    assert shown["7fe0,0010"][0] == "OW"
    assert shown["0010,0010"] == ("PN", "[Doe^Jane]")
    again = dicomcore.dcmread(path)  # whole now: no warning
    assert again.PixelData == ds.PixelData


def test_item_running_past_its_sequence_is_clipped_as_pydicom_reads_it():
    with pytest.warns(DamagedDataWarning, match="item of length 92 runs past its"):
        ours = dicomcore.dcmread(QUIRKS / "truncated_sequence_item.dcm")
    theirs = quiet_read(pydicom.dcmread, QUIRKS / "truncated_sequence_item.dcm")
    assert assert_same_elements(ours, theirs) == 10
    sequence = ours.ReferencedImageSequence
    assert [item.ReferencedSOPInstanceUID for item in sequence] == [
        "1.2.3.4.5",
        "1.2.3.4.6",
    ]
    assert ours.PatientID == "SEQ"  # after the sequence, not inside the item


def test_item_running_past_its_sequence_refused_under_raise(reading_raise):
    with pytest.raises(InvalidDicomError, match="runs past its sequence"):
        dicomcore.dcmread(QUIRKS / "truncated_sequence_item.dcm")


@needs_dcmdump
def test_clipped_item_written_back_whole(tmp_path):
    ds = quiet_read(dicomcore.dcmread, QUIRKS / "truncated_sequence_item.dcm")
    path = written(ds, tmp_path)
    shown = dcmdump(path)
    assert shown["0008,1140/0008,1155"] == ("UI", "[1.2.3.4.6]")
    assert shown["0010,0020"] == ("LO", "[SEQ]")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same_elements(dicomcore.dcmread(path), ds)


def test_unterminated_encapsulated_pixel_data_whole_frames_decode():
    path = QUIRKS / "encapsulated_unterminated.dcm"
    with pytest.warns(DamagedDataWarning, match="not terminated"):
        ours = dicomcore.dcmread(path)
    # pydicom 3 warns and returns no element at all from this file, and
    # dcmdump refuses it; dicomcore keeps every element, the one whose data is
    # cut too, so that the frames it holds whole still decode. The elements
    # are those pydicom reads from the file before it was cut.
    assert len(quiet_read(pydicom.dcmread, path)) == 0
    theirs = pydicom.dcmread(TESTFILES / "mono16_5frames_rle.dcm")
    del theirs.PixelData
    others = dicomcore.Dataset(ours)
    del others[0x7FE00010]
    assert assert_same_elements(others, theirs) == 28
    assert len(ours[0x7FE00010].value) == path.stat().st_size - (
        ours[0x7FE00010].file_value_tell
    )
    # pydicom's decoding of the file before it was cut
    reference = pydicom.dcmread(TESTFILES / "mono16_5frames_rle.dcm").pixel_array
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DamagedDataWarning)
        for index in range(4):
            frame = pixel_array(path, index=index)
            assert frame.dtype == np.uint16
            np.testing.assert_array_equal(frame, reference[index])
        with pytest.raises(DicomError, match="runs past the end"):
            pixel_array(path, index=4)
        with pytest.raises(DicomError):
            ours.pixel_array  # noqa: B018


def test_unterminated_encapsulated_pixel_data_refused_under_raise(reading_raise):
    with pytest.raises(InvalidDicomError, match="not terminated"):
        dicomcore.dcmread(QUIRKS / "encapsulated_unterminated.dcm")


@pytest.mark.parametrize("cut", [1, 7, 11, 100])
def test_cut_inside_a_header_keeps_every_element_before(cut):
    data = (QUIRKS / "truncated_sequence_item.dcm").read_bytes()
    source = dicomcore.dcmread(TESTFILES / "ct_int16_explicit.dcm")
    whole = (TESTFILES / "ct_int16_explicit.dcm").read_bytes()
    offset = source[0x7FE00010].file_value_tell - 12 + cut
    with pytest.warns(DamagedDataWarning):
        ds = dicomcore.dcmread(whole[:offset])
    assert [int(tag) for tag in ds.keys()] == [
        int(tag) for tag in source.keys() if tag != 0x7FE00010
    ] + ([0x7FE00010] if cut >= 12 else [])
    assert data  # the quirk file itself is untouched by this cut
