"""Bare datasets without preamble or File Meta Information, read with
``force=True`` as pydicom reads them; the encoding guessed from more than the
first tag (testfiles/quirks/)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys

import pydicom
import pytest
from quirks_oracle import (
    QUIRKS,
    assert_same_elements,
    dcmdump,
    needs_dcmdump,
    read_both,
    written,
)

import dicomcore
from dicomcore.errors import DamagedDataWarning, InvalidDicomError
from dicomcore.io.reader import _guess_encoding

BARE = {"nometa_implicit_group0008.dcm": 7, "nometa_implicit_private_group.dcm": 7}


@pytest.mark.parametrize("name", sorted(BARE))
def test_bare_datasets_read_as_pydicom_reads_them(name):
    ours, theirs = read_both(name, force=True)
    assert assert_same_elements(ours, theirs) == BARE[name]
    assert ours.to_json_dict() == theirs.to_json_dict()
    assert len(ours.file_meta) == 0


@pytest.mark.parametrize("name", sorted(BARE))
def test_bare_datasets_need_force(name):
    with pytest.raises(InvalidDicomError, match="force=True"):
        dicomcore.dcmread(QUIRKS / name)


def test_private_first_group_is_implicit_little_endian():
    data = (QUIRKS / "nometa_implicit_private_group.dcm").read_bytes()
    assert _guess_encoding(data, 0, len(data)) == (True, True)
    ds = dicomcore.dcmread(data, force=True)
    assert ds[0x10010010].value == "MY SCRIPT"
    assert ds[0x10011002].value == b"\x01\x00\x01\x00"
    assert ds[0x10031001].value == b"x "


@pytest.mark.skipif(shutil.which("dcmconv") is None, reason="needs DCMTK")
@pytest.mark.parametrize(
    ("option", "expected"), [("+te", (False, True)), ("+tb", (False, False))]
)
def test_explicit_bare_datasets_by_dcmconv(tmp_path, option, expected):
    path = tmp_path / "bare.dcm"
    subprocess.run(
        [
            "dcmconv",
            "-q",
            "-f",
            "-F",
            option,
            QUIRKS / "nometa_implicit_group0008.dcm",
            path,
        ],
        check=True,
    )
    data = path.read_bytes()
    assert _guess_encoding(data, 0, len(data)) == expected
    ours = dicomcore.dcmread(path, force=True)
    assert_same_elements(ours, pydicom.dcmread(path, force=True))
    assert ours.Rows == 2 and ours.PatientID == "NM0008"


def test_forced_read_of_a_positioned_file_object_begins_at_byte_0():
    data = (QUIRKS / "nometa_implicit_group0008.dcm").read_bytes()
    ours_handle, their_handle = io.BytesIO(data), io.BytesIO(data)
    ours_handle.seek(10)
    their_handle.seek(10)
    ours = dicomcore.dcmread(ours_handle, force=True)
    theirs = pydicom.dcmread(their_handle, force=True)
    assert assert_same_elements(ours, theirs) == 7


@needs_dcmdump
@pytest.mark.parametrize("name", sorted(BARE))
def test_bare_dataset_written_back_as_read(tmp_path, name):
    source = QUIRKS / name
    ds = dicomcore.dcmread(source, force=True)
    path = written(ds, tmp_path)
    assert path.read_bytes() == source.read_bytes()
    assert dcmdump(path, "-f") == dcmdump(source, "-f")


def test_show_force_prints_a_bare_dataset():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dicomcore.cli",
            "show",
            "--force",
            str(QUIRKS / "nometa_implicit_private_group.dcm"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "(1001,0010) Private Creator" in result.stdout
    assert "'MY SCRIPT'" in result.stdout


def test_truncated_bare_dataset_still_guessed_little_endian():
    data = (QUIRKS / "nometa_implicit_private_group.dcm").read_bytes()[:-5]
    assert _guess_encoding(data, 0, len(data)) == (True, True)
    with pytest.warns(DamagedDataWarning, match="element header"):
        ds = dicomcore.dcmread(data, force=True)
    assert ds[0x10030010].value == "MY SCRIPT"
    assert 0x10031001 not in ds
