"""Writes that never lose a file: saving into the file a dataset was read
from, the umask under threads, symbolic links, and the inflation cap."""

from __future__ import annotations

import io
import os
import shutil
import stat
import threading
from pathlib import Path

import numpy as np
import pydicom
import pytest
from interop import TESTFILES

import dicomcore
import dicomcore.io.deferred
from dicomcore import config, dcmread
from dicomcore.errors import DicomError, LimitError
from dicomcore.io.writer import atomic_write

SOURCE = TESTFILES / "mono16_explicit.dcm"


def pydicom_pixels(path: Path) -> np.ndarray:
    return pydicom.dcmread(path).pixel_array


# -- saving through open(path, "wb") --------------------------------------------------


def test_an_ordinary_file_saved_through_open_wb_keeps_its_pixels(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scan.dcm"
    shutil.copyfile(SOURCE, path)
    original = path.read_bytes()
    ds = dcmread(path)
    assert ds["PixelData"].deferred_source is not None  # still read by frame
    with open(path, "wb") as handle:  # empties the file before dicomcore runs
        ds.save_as(handle)
    assert path.read_bytes() == original  # unchanged dataset, same bytes
    np.testing.assert_array_equal(pydicom_pixels(path), pydicom_pixels(SOURCE))
    np.testing.assert_array_equal(ds.pixel_array, pydicom_pixels(SOURCE))


def test_a_large_file_saved_through_open_wb_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files above the size keep no copy: here every file is "large".
    monkeypatch.setattr(dicomcore.io.deferred, "EAGER_READ_BYTES", 0)
    path = tmp_path / "large.dcm"
    shutil.copyfile(SOURCE, path)
    ds = dcmread(path)
    with open(path, "wb") as handle:
        with pytest.raises(DicomError, match=r"use ds\.save_as\(path\)"):
            ds.save_as(handle)
    assert path.read_bytes() == b""  # open() emptied it; dicomcore wrote nothing

    # The safe form, over the file's own path, on a fresh copy.
    shutil.copyfile(SOURCE, path)
    ds = dcmread(path)
    ds.PatientName = "Safe^Form"
    ds.save_as(path)
    np.testing.assert_array_equal(pydicom_pixels(path), pydicom_pixels(SOURCE))
    assert str(pydicom.dcmread(path).PatientName) == "Safe^Form"


def test_writing_a_lazy_dataset_to_another_file_object_is_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dicomcore.io.deferred, "EAGER_READ_BYTES", 0)
    path = tmp_path / "large.dcm"
    shutil.copyfile(SOURCE, path)
    ds = dcmread(path)
    other = tmp_path / "other.dcm"
    with open(other, "wb") as handle:
        ds.save_as(handle)
    buffer = io.BytesIO()
    ds.save_as(buffer)
    assert other.read_bytes() == buffer.getvalue() == SOURCE.read_bytes()


# -- permissions and the umask ----------------------------------------------------


def test_atomic_write_never_touches_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_umask = os.umask

    def spy(mask: int) -> int:
        calls.append(mask)
        return real_umask(mask)

    previous = real_umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", spy)
        errors: list[BaseException] = []

        def ours(index: int) -> None:
            try:
                for round_ in range(40):
                    target = tmp_path / f"ours-{index}-{round_}.bin"
                    atomic_write(target, lambda handle: handle.write(b"x"))
            except BaseException as exc:  # reported below
                errors.append(exc)

        def theirs(index: int) -> None:
            for round_ in range(40):
                (tmp_path / f"theirs-{index}-{round_}.bin").write_bytes(b"y")

        threads = [threading.Thread(target=ours, args=(n,)) for n in range(4)]
        threads += [threading.Thread(target=theirs, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert calls == []
        modes = {stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
        assert modes == {0o640}
        assert len(list(tmp_path.iterdir())) == 320
    finally:
        assert real_umask(previous) == 0o027  # nobody left it changed


def test_a_replaced_file_keeps_its_mode_and_is_never_wider_while_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "private.dcm"
    target.write_bytes(b"old")
    target.chmod(0o600)
    seen: list[int] = []

    def write(handle: io.BufferedWriter) -> None:
        seen.append(stat.S_IMODE(os.fstat(handle.fileno()).st_mode))
        handle.write(b"new")

    atomic_write(target, write)
    assert seen == [0o600]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"new"


# -- symbolic links --------------------------------------------------------------------


def test_save_as_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "store" / "scan.dcm"
    real.parent.mkdir()
    shutil.copyfile(SOURCE, real)
    link = tmp_path / "link.dcm"
    link.symlink_to(real)
    ds = dcmread(link)
    ds.PatientName = "Through^Link"
    ds.save_as(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert str(pydicom.dcmread(real).PatientName) == "Through^Link"
    np.testing.assert_array_equal(pydicom_pixels(real), pydicom_pixels(SOURCE))
    assert sorted(p.name for p in real.parent.iterdir()) == ["scan.dcm"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.dcm", "store"]


# -- inflation -----------------------------------------------------------------------


def deflated_file(path: Path, value: bytes) -> None:
    """A Deflated Explicit VR Little Endian file holding ``value`` in an OB
    element, written by pydicom."""
    from pydicom.dataset import FileMetaDataset as PydicomMeta
    from pydicom.uid import DeflatedExplicitVRLittleEndian

    ds = pydicom.Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = "1.2.3.4.5"
    ds.add_new(0x00091010, "LO", "PRIVATE")
    ds.add_new(0x00091000, "OB", value)
    ds.file_meta = PydicomMeta()
    ds.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(path, enforce_file_format=True)


def test_inflation_has_an_absolute_cap(tmp_path: Path) -> None:
    # About 250:1, far under the ratio limit, but 8 MiB inflated.
    value = (bytes(range(256)) * 64 + b"\x00" * 16384) * 256
    assert len(value) == 8 * 1024**2
    path = tmp_path / "deflated.dcm"
    deflated_file(path, value)
    assert path.stat().st_size < len(value) // 100
    assert config.limits.max_inflated_bytes == 1024**3
    previous = config.limits.max_inflated_bytes
    config.limits.max_inflated_bytes = 4 * 1024**2
    try:
        with pytest.raises(LimitError, match="inflates past 4194304 bytes") as caught:
            dcmread(path)
        assert caught.value.limit == "max_inflated_bytes"
    finally:
        config.limits.max_inflated_bytes = previous
    ds = dcmread(path)
    assert ds[0x00091000].value == pydicom.dcmread(path)[0x00091000].value == value
