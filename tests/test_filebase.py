"""dicomcore.filebase: pydicom's buffers, read and written by dicomcore."""

from __future__ import annotations

from pathlib import Path

import pytest

import dicomcore
from dicomcore.filebase import DicomBytesIO, DicomFile, DicomFileLike

TESTFILES = Path(__file__).resolve().parents[1] / "testfiles"


def test_values_in_either_byte_order():
    buffer = DicomBytesIO()
    buffer.is_little_endian = False
    buffer.write_tag(0x7FE00010)
    buffer.write_US(0x0102)
    buffer.write_UL(7)
    assert buffer.getvalue() == bytes.fromhex("7fe00010010200000007")
    buffer.seek(0)
    assert (buffer.read_tag(), buffer.read_US(), buffer.read_UL()) == (
        (0x7FE0, 0x0010),
        0x0102,
        7,
    )
    buffer.is_little_endian = True
    buffer.seek(0)
    assert buffer.read_tag() == (0xE07F, 0x1000)


def test_reading_past_the_end():
    buffer = DicomBytesIO(b"\x01\x02")
    with pytest.raises(EOFError, match="Read 2 bytes of 4"):
        buffer.read_exact(4)


def test_encoding_must_be_set_first():
    with pytest.raises(AttributeError, match="is_little_endian"):
        DicomBytesIO(b"\x00\x00").read_US()


def test_dcmread_and_dcmwrite_take_dicom_buffers():
    data = (TESTFILES / "mono8_explicit.dcm").read_bytes()
    ds = dicomcore.dcmread(DicomBytesIO(data))
    out = DicomBytesIO()
    dicomcore.dcmwrite(out, ds)
    assert out.getvalue() == data


def test_file_wrappers():
    path = TESTFILES / "mono8_explicit.dcm"
    with DicomFile(path, "rb") as wrapped:
        assert isinstance(wrapped, DicomFileLike)
        assert wrapped.name == str(path)
        wrapped.seek(128)
        assert wrapped.read(4) == b"DICM"
    assert wrapped.parent.closed
