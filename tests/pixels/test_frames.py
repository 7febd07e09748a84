"""Frame sources: encapsulated frames through the offset tables, from memory and
from a file; and the post-steps skipped when the codec did them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dicomcore
from dicomcore import Dataset, FileMetaDataset
from dicomcore.io.encapsulation import encapsulate, encapsulate_extended
from dicomcore.pixels import (
    DecodedFrame,
    Decoder,
    PixelLayout,
    iter_pixels,
    pixel_array,
    register_plugin,
)
from dicomcore.pixels import frames as frames_module
from dicomcore.pixels.frames import EncapsulatedFrames, NativeFrames, open_frames

from .toy_codecs import make_plugin

# Encapsulated Uncompressed Explicit VR Little Endian: one frame per fragment,
# the frame's native bytes inside.  Its real decoder belongs to another
# bundled plugin; these tests run on an empty registry with a stand-in.
ENCAPSULATED_UNCOMPRESSED = "1.2.840.10008.1.2.1.98"
ROWS, COLUMNS = 4, 6
FRAMES = np.arange(3 * ROWS * COLUMNS, dtype="<u2").reshape(3, ROWS, COLUMNS) * 101


def stand_in(src: bytes | memoryview, layout: PixelLayout) -> np.ndarray:
    data = bytes(src)[: layout.frame_length]
    return np.frombuffer(data, layout.dtype.newbyteorder("<")).reshape(
        layout.frame_shape
    )


@pytest.fixture
def stand_in_codec(clean_registry: None) -> Iterator[None]:
    register_plugin(
        make_plugin(
            "stand_in",
            decoders=[
                Decoder(
                    name="stand-in",
                    transfer_syntaxes={ENCAPSULATED_UNCOMPRESSED},
                    decode=stand_in,
                )
            ],
        ),
        name="stand-in",
    )
    yield


def encapsulated_dataset(pixel_data: bytes, **elements: Any) -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ENCAPSULATED_UNCOMPRESSED
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7.3"
    ds.SOPInstanceUID = "2.25.42"
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.NumberOfFrames = 3
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = 0
    for keyword, value in elements.items():
        setattr(ds, keyword, value)
    ds.add_new(0x7FE00010, "OB", pixel_data)
    ds["PixelData"].is_undefined_length = True
    return ds


FRAME_BYTES = [frame.tobytes() for frame in FRAMES]
ENCODINGS = {
    "basic-offset-table": lambda: (encapsulate(FRAME_BYTES), {}),
    "no-table": lambda: (encapsulate(FRAME_BYTES, has_bot=False), {}),
    "two-fragments-per-frame": lambda: (
        encapsulate(FRAME_BYTES, fragments_per_frame=2),
        {},
    ),
    "extended-offset-table": lambda: (
        encapsulate_extended(FRAME_BYTES)[0],
        {
            "ExtendedOffsetTable": encapsulate_extended(FRAME_BYTES)[1],
            "ExtendedOffsetTableLengths": encapsulate_extended(FRAME_BYTES)[2],
        },
    ),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_encapsulated_frames_in_memory_and_from_a_file(
    stand_in_codec: None, encoding: str, tmp_path: Path
) -> None:
    pixel_data, elements = ENCODINGS[encoding]()
    ds = encapsulated_dataset(pixel_data, **elements)
    np.testing.assert_array_equal(pixel_array(ds), FRAMES)
    np.testing.assert_array_equal(pixel_array(ds, index=2), FRAMES[2])
    path = tmp_path / "encapsulated.dcm"
    ds.save_as(path)
    read = dicomcore.dcmread(path)
    assert read["PixelData"].deferred_source is not None
    np.testing.assert_array_equal(read.pixel_array, FRAMES)
    for index in range(3):
        np.testing.assert_array_equal(pixel_array(path, index=index), FRAMES[index])
    for index, frame in zip([2, 0], iter_pixels(path, indices=[2, 0]), strict=True):
        np.testing.assert_array_equal(frame, FRAMES[index])


class CountingFile(io.FileIO):
    """A file that counts the bytes read from it."""

    total = 0

    def readinto(self, buffer: Any) -> int:
        got = super().readinto(buffer)
        CountingFile.total += got or 0
        return got or 0


TWENTY = np.arange(20 * 64 * 64, dtype="<u2").reshape(20, 64, 64)
TWENTY_BYTES = [frame.tobytes() for frame in TWENTY]
TABLES = {
    "basic-offset-table": lambda: (encapsulate(TWENTY_BYTES), {}),
    "two-fragments-per-frame": lambda: (
        encapsulate(TWENTY_BYTES, fragments_per_frame=2),
        {},
    ),
    "extended-offset-table": lambda: (
        encapsulate_extended(TWENTY_BYTES)[0],
        dict(
            zip(
                ["ExtendedOffsetTable", "ExtendedOffsetTableLengths"],
                encapsulate_extended(TWENTY_BYTES)[1:],
                strict=True,
            )
        ),
    ),
    "no-table": lambda: (encapsulate(TWENTY_BYTES, has_bot=False), {}),
}


@pytest.mark.parametrize("tables", list(TABLES))
def test_a_frame_from_a_file_reads_only_its_fragments(
    stand_in_codec: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tables: str,
) -> None:
    pixel_data, elements = TABLES[tables]()
    ds = encapsulated_dataset(pixel_data, **elements)
    ds.Rows = ds.Columns = 64
    ds.NumberOfFrames = 20
    path = tmp_path / "twenty.dcm"
    ds.save_as(path)
    # As for a file too large to keep a copy of: frames come from the file.
    monkeypatch.setattr(dicomcore.io.deferred, "EAGER_READ_BYTES", 0)
    read = dicomcore.dcmread(path)

    def counting_open(name: Any, mode: str = "r", **kwargs: Any) -> Any:
        assert mode == "rb"
        return io.BufferedReader(CountingFile(name, "r"), buffer_size=64)

    monkeypatch.setattr(frames_module, "open", counting_open, raising=False)
    CountingFile.total = 0
    source = open_frames(read, PixelLayout.from_dataset(read))
    assert isinstance(source, EncapsulatedFrames)
    frame = source.frame(13)
    frame_nbytes = TWENTY[13].nbytes
    if tables == "no-table":
        # the fragments must be indexed: 20 item headers, and read-ahead
        assert CountingFile.total < frame_nbytes + 8 + 20 * 64 + 128
    else:
        # the Basic Offset Table (up to 8 + 80 bytes) and frame 13's items
        assert frame_nbytes <= CountingFile.total < frame_nbytes + 88 + 2 * 64 + 128
    assert bytes(frame) == TWENTY_BYTES[13]
    source.close()
    np.testing.assert_array_equal(pixel_array(path, index=19), TWENTY[19])
    np.testing.assert_array_equal(np.stack(list(iter_pixels(path))), TWENTY)


def test_a_wrong_basic_offset_table_is_reported(
    stand_in_codec: None, tmp_path: Path
) -> None:
    pixel_data = bytearray(encapsulate(FRAME_BYTES))
    # the second entry points into the middle of the first fragment
    pixel_data[12:16] = (20).to_bytes(4, "little")
    ds = encapsulated_dataset(bytes(pixel_data))
    with pytest.raises(
        dicomcore.InvalidDicomError, match="entry 1 .* does not point at a fragment"
    ):
        pixel_array(ds, index=0)
    path = tmp_path / "bad.dcm"
    ds.save_as(path)
    with pytest.raises(dicomcore.InvalidDicomError, match="does not point"):
        pixel_array(path)


def test_native_sources() -> None:
    pixels = np.arange(2 * 3 * 5, dtype=np.uint8).reshape(2, 3, 5)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
    ds.set_pixel_data(pixels, "MONOCHROME2", 8)
    layout = PixelLayout.from_dataset(ds)
    source = open_frames(ds, layout)
    assert isinstance(source, NativeFrames)
    assert source.available_frames() == 2 and source.regular and not source.owned
    assert bytes(source.frame(1)) == pixels[1].tobytes()
    # a zero-copy slice of the value
    frame = np.frombuffer(source.frame(1), np.uint8)
    assert np.shares_memory(frame, np.frombuffer(ds.PixelData, np.uint8))
    source.close()


# -- what the codec did, the pipeline does not do again --------------------------

TOY = "2.25.15564560078410808776245189661172686347"


def twelve_bit_dataset() -> Dataset:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = TOY
    ds.Rows, ds.Columns = 1, 2
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "YBR_FULL"
    ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 0
    ds.add_new(0x7FE00010, "OB", encapsulate([b"\x00\x00"]))
    ds["PixelData"].is_undefined_length = True
    return ds


def register_toy(photometric: str, applied: bool) -> None:
    def decode(src: bytes | memoryview, layout: PixelLayout) -> DecodedFrame:
        values = np.array([[[0xF800, 0xF800, 0xF800], [100, 2048, 2048]]], np.uint16)
        return DecodedFrame(values, photometric, applied)

    register_plugin(
        make_plugin(
            "toy",
            decoders=[Decoder(name="toy", transfer_syntaxes={TOY}, decode=decode)],
        ),
        name="toy",
    )


def test_steps_the_codec_did_are_skipped(clean_registry: None) -> None:
    register_toy("RGB", applied=True)
    assert pixel_array(twelve_bit_dataset()).tolist() == [
        [[0xF800, 0xF800, 0xF800], [100, 2048, 2048]]
    ]


def test_steps_the_codec_left_are_done(clean_registry: None) -> None:
    register_toy("YBR_FULL", applied=False)
    # masked to 12 bits (0xF800 -> 0x800), then YBR to RGB around 2048
    assert pixel_array(twelve_bit_dataset()).tolist() == [
        [[2048, 2048, 2048], [100, 100, 100]]
    ]
    assert pixel_array(twelve_bit_dataset(), raw=True).tolist() == [
        [[2048, 2048, 2048], [100, 2048, 2048]]
    ]
