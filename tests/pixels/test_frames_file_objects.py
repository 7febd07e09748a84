"""Frames from a seekable file object: the header, the tables, then only the
frames asked for, counted read by read (pydicom 3 decodes the same frames
from the same files as the oracle)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from multiframe_files import (
    FRAME_BYTES,
    FRAMES,
    frames_array,
    make_files,
    reference_frame,
    undefined_lengths,
)

import dicomcore
from dicomcore.errors import InvalidDicomError, StorageError
from dicomcore.io.source import BLOCK_SIZE, StreamValue
from dicomcore.pixels import iter_pixels, pixel_array


class CountingFile(io.RawIOBase):
    """A file on disk that records the offset and size of every read."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "rb")  # noqa: SIM115 - closed with this object
        self.name = "counted"  # not a path: a closed one cannot be reopened
        self.reads: list[tuple[int, int]] = []

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def readinto(self, buffer: Any) -> int:
        offset = self.file.tell()
        got = self.file.readinto(buffer)
        self.reads.append((offset, got))
        return got

    def read(self, size: int = -1) -> bytes:
        offset = self.file.tell()
        data = self.file.read(size)
        self.reads.append((offset, len(data)))
        return data

    def close(self) -> None:
        self.file.close()
        super().close()

    @property
    def read_bytes(self) -> int:
        return sum(size for _, size in self.reads)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("frames_file_objects"))


def _pixel_offset(path: Path) -> tuple[int, int]:
    """(where the Pixel Data element's value starts, where Pixel Data's
    first fragment item starts), as pydicom reads the file."""
    ds = pydicom.dcmread(path, defer_size=0)
    element = ds["PixelData"]
    start = element.file_tell
    with open(path, "rb") as handle:
        handle.seek(start + 4)
        table_length = int.from_bytes(handle.read(4), "little")
    return start, start + 8 + table_length


def test_native_frame_250_is_one_read_of_its_bytes(files: dict[str, Path]) -> None:
    counted = CountingFile(files["native"])
    ds = dicomcore.dcmread(counted)
    # The header: one block, no Pixel Data beyond it.
    assert counted.reads == [(0, BLOCK_SIZE)]
    assert ds.PatientName == "Range^Test"
    assert isinstance(ds["PixelData"].deferred_source, StreamValue)
    frame = pixel_array(ds, index=250)
    value_start, _ = _pixel_offset(files["native"])
    assert counted.reads[1:] == [(value_start + 250 * FRAME_BYTES, FRAME_BYTES)]
    np.testing.assert_array_equal(frame, reference_frame(files["native"], 250))
    np.testing.assert_array_equal(frame, frames_array()[250])


def test_implicit_vr_native_frame(files: dict[str, Path]) -> None:
    counted = CountingFile(files["implicit"])
    ds = dicomcore.dcmread(counted)
    frame = pixel_array(ds, index=499)
    assert len(counted.reads) == 2
    assert counted.read_bytes == BLOCK_SIZE + FRAME_BYTES
    np.testing.assert_array_equal(frame, reference_frame(files["implicit"], 499))


@pytest.mark.parametrize("kind", ["rle_basic", "rle_extended"])
def test_encapsulated_frame_with_a_table(files: dict[str, Path], kind: str) -> None:
    path = files[kind]
    counted = CountingFile(path)
    ds = dicomcore.dcmread(counted)
    header_reads = len(counted.reads)
    frame = pixel_array(ds, index=250)
    np.testing.assert_array_equal(frame, reference_frame(path, 250))
    np.testing.assert_array_equal(frame, frames_array()[250])
    value_start, first_item = _pixel_offset(path)
    reference = pydicom.dcmread(path)
    frame_length = len(
        list(
            pydicom.encaps.generate_frames(reference.PixelData, number_of_frames=FRAMES)
        )[250]
    )
    # header + tables + the frame's items + one block of read-ahead
    assert counted.read_bytes <= first_item + 8 * 2 + frame_length + BLOCK_SIZE
    assert header_reads + 1 == len(counted.reads) <= 4
    # The tables are kept on the dataset: a further frame is one read.
    before = len(counted.reads)
    again = pixel_array(ds, index=400)
    assert len(counted.reads) == before + 1
    np.testing.assert_array_equal(again, reference_frame(path, 400))


def test_encapsulated_frame_without_a_table(files: dict[str, Path]) -> None:
    path = files["rle_no_table"]
    counted = CountingFile(path)
    ds = dicomcore.dcmread(counted)
    # The object's last 8 bytes are the Sequence Delimitation Item: the
    # value's end is known without walking the items.
    assert len(counted.reads) == 2
    assert counted.reads[1] == (path.stat().st_size - 8, 8)
    before = len(counted.reads)
    frame = pixel_array(ds, index=250)
    np.testing.assert_array_equal(frame, reference_frame(path, 250))
    scan = counted.reads[before:]
    value_start, _ = _pixel_offset(path)
    value_length = path.stat().st_size - 8 - value_start
    # Item headers are read in blocks of 1 MiB (the last one cut at the end;
    # the header block already holds the first items), never one read per
    # fragment; the frame itself lies in a block already read.
    assert all(size == 1024 * 1024 for _, size in scan[:-1])
    assert BLOCK_SIZE - 8 < scan[0][0] < BLOCK_SIZE + 16 * 1024
    assert len(scan) == 4 <= -(-value_length // (1024 * 1024))
    assert sum(size for _, size in scan) <= value_length
    before = len(counted.reads)
    np.testing.assert_array_equal(pixel_array(ds, index=3), reference_frame(path, 3))
    assert len(counted.reads) - before <= 1


def test_whole_image_and_iteration_equal_pydicom(files: dict[str, Path]) -> None:
    for kind in ("native", "rle_basic"):
        counted = CountingFile(files[kind])
        ds = dicomcore.dcmread(counted)
        expected = pydicom.dcmread(files[kind]).pixel_array
        np.testing.assert_array_equal(pixel_array(ds), expected)
        for index, frame in enumerate(iter_pixels(ds)):
            if index in (0, 499):
                np.testing.assert_array_equal(frame, expected[index])


def test_undefined_length_sequence_before_pixel_data(
    files: dict[str, Path], tmp_path: Path
) -> None:
    path = undefined_lengths(files["native"], tmp_path / "undefined.dcm")
    with open(path, "rb") as handle:
        ds = dicomcore.dcmread(handle)
        assert ds.AnatomicRegionSequence[0].CodeValue == "T-D3000"
        frame = pixel_array(ds, index=7)
    np.testing.assert_array_equal(frame, reference_frame(path, 7))


def test_closed_file_on_disk_is_opened_again(files: dict[str, Path]) -> None:
    with open(files["native"], "rb") as handle:
        ds = dicomcore.dcmread(handle)
    np.testing.assert_array_equal(
        pixel_array(ds, index=1), reference_frame(files["native"], 1)
    )


def test_closed_file_object_is_a_storage_error(files: dict[str, Path]) -> None:
    buffer = io.BytesIO(files["native"].read_bytes())
    ds = dicomcore.dcmread(buffer)
    buffer.close()
    with pytest.raises(StorageError, match="was closed before its Pixel Data"):
        pixel_array(ds, index=400)


def test_small_file_object_is_read_whole(files: dict[str, Path]) -> None:
    small = pydicom.dcmread(files["native"])
    small.NumberOfFrames = 2
    small.PixelData = frames_array()[:2].tobytes()
    buffer = io.BytesIO()
    small.save_as(buffer, enforce_file_format=True)
    buffer.seek(0)
    ds = dicomcore.dcmread(buffer)
    assert ds["PixelData"].deferred_source is None
    np.testing.assert_array_equal(pixel_array(ds), frames_array()[:2])


def test_elements_after_pixel_data_are_read(
    files: dict[str, Path], tmp_path: Path
) -> None:
    ds = pydicom.dcmread(files["native"])
    ds.DataSetTrailingPadding = b"\x00" * 16
    path = tmp_path / "trailing.dcm"
    ds.save_as(path, enforce_file_format=True)
    with open(path, "rb") as handle:
        read = dicomcore.dcmread(handle)
        assert bytes(read[0xFFFCFFFC].value) == b"\x00" * 16
        np.testing.assert_array_equal(pixel_array(read, index=499), frames_array()[499])


def test_stop_before_pixels_reads_the_header_only(files: dict[str, Path]) -> None:
    counted = CountingFile(files["rle_basic"])
    ds = dicomcore.dcmread(counted, stop_before_pixels=True)
    assert "PixelData" not in ds
    assert counted.reads == [(0, BLOCK_SIZE)]
    assert ds.NumberOfFrames == FRAMES


def test_written_back_unchanged(files: dict[str, Path], tmp_path: Path) -> None:
    with open(files["rle_extended"], "rb") as handle:
        ds = dicomcore.dcmread(handle)
        target = tmp_path / "copy.dcm"
        ds.save_as(target)
    assert target.read_bytes() == files["rle_extended"].read_bytes()


def test_pickled_dataset_carries_the_pixels(files: dict[str, Path]) -> None:
    import copy
    import pickle

    with open(files["rle_basic"], "rb") as handle:
        restored = pickle.loads(pickle.dumps(dicomcore.dcmread(handle)))
        handle.seek(0)
        copied = copy.deepcopy(dicomcore.dcmread(handle))
    assert restored["PixelData"].deferred_source is None
    expected = pydicom.dcmread(files["rle_basic"]).pixel_array
    np.testing.assert_array_equal(pixel_array(restored, index=9), expected[9])
    np.testing.assert_array_equal(pixel_array(copied, index=9), expected[9])


@pytest.mark.parametrize("kind", ["rle_basic", "rle_extended", "rle_no_table"])
@pytest.mark.parametrize("share", [0.3, 0.6, 0.99])
def test_file_object_cut_short_is_invalid(
    files: dict[str, Path], kind: str, share: float
) -> None:
    data = files[kind].read_bytes()
    cut = io.BytesIO(data[: int(len(data) * share)])
    with pytest.raises(InvalidDicomError, match="not terminated|runs past|ended"):
        ds = dicomcore.dcmread(cut)
        pixel_array(ds, index=FRAMES - 1)
