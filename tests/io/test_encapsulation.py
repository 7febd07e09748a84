"""Tests for dicomcore.io.encapsulation: PS3.5 A.4 encapsulated Pixel Data."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest

from dicomcore import config
from dicomcore.errors import DicomValueError, InvalidDicomError, LimitError
from dicomcore.io.encapsulation import (
    Fragment,
    encapsulate,
    encapsulate_extended,
    fragment_frame,
    frame_boundaries,
    generate_fragmented_frames,
    generate_fragments,
    generate_frames,
    get_frame,
    get_nr_fragments,
    index_fragments,
    itemize_fragment,
    itemize_frame,
    parse_basic_offsets,
    parse_fragments,
    read_fragment,
    read_frame,
)

ITEM = b"\xfe\xff\x00\xe0"
DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"


def item(value: bytes) -> bytes:
    return ITEM + struct.pack("<L", len(value)) + value


def bot(*offsets: int) -> bytes:
    return item(struct.pack(f"<{len(offsets)}L", *offsets))


# Two frames of one fragment each, with a Basic Offset Table:
#   0  BOT item, value 8..16 = offsets (0, 12)
#   16 fragment item, value 24..28
#   28 fragment item, value 36..42
#   42 Sequence Delimitation Item, ends at 50
HAND_BUILT = (
    ITEM + b"\x08\x00\x00\x00" + b"\x00\x00\x00\x00" + b"\x0c\x00\x00\x00"
    + ITEM + b"\x04\x00\x00\x00" + b"\x01\x02\x03\x04"
    + ITEM + b"\x06\x00\x00\x00" + b"\x05\x06\x07\x08\x09\x0a"
    + DELIMITER
)  # fmt: skip


class CountingReader(io.RawIOBase):
    """A seekable file that counts the bytes its reads return."""

    def __init__(self, data: bytes) -> None:
        self._file = io.BytesIO(data)
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


def jpeg_frame(seed: int, length: int) -> bytes:
    """SOI, then bytes that never form a marker, then EOI (odd `length` ok)."""
    body = bytes((seed + i) % 0xFE for i in range(length - 6))
    return b"\xff\xd8\xff\xe0" + body + b"\xff\xd9"


def padded(frame: bytes) -> bytes:
    return frame + b"\x00" if len(frame) % 2 else frame


# Parsing hand-built data ----------------------------------------------------


def test_index_hand_built_bytes() -> None:
    index = index_fragments(HAND_BUILT)
    assert index.basic_offsets == (0, 12)
    assert index.fragments == (Fragment(24, 4), Fragment(36, 6))
    assert index.start == 0
    assert index.fragments_start == 16
    assert index.end == 50
    assert index.has_delimiter is True
    assert index.fragments[1].item_offset == 28
    assert index.fragments[1].end == 42

    boundaries = index.boundaries(2)
    assert boundaries == [[Fragment(24, 4)], [Fragment(36, 6)]]
    assert bytes(read_frame(HAND_BUILT, boundaries, 0)) == b"\x01\x02\x03\x04"
    assert bytes(read_frame(HAND_BUILT, boundaries, 1)) == b"\x05\x06\x07\x08\x09\x0a"


def test_index_at_an_offset_within_a_larger_buffer() -> None:
    data = b"\xaa" * 10 + HAND_BUILT + b"\xfc\xff\xfc\xff"  # trailing padding
    index = index_fragments(data, start=10)
    assert index.basic_offsets == (0, 12)
    assert index.fragments == (Fragment(34, 4), Fragment(46, 6))
    assert index.fragments_start == 26
    assert index.end == 60
    assert bytes(read_frame(data, index.boundaries(), 1)) == b"\x05\x06\x07\x08\x09\x0a"


def test_index_file_positioned_mid_file_reads_headers_only() -> None:
    fp = CountingReader(b"\xaa" * 10 + HAND_BUILT)
    fp.seek(10)
    index = index_fragments(fp)
    assert index.basic_offsets == (0, 12)
    assert index.fragments == (Fragment(34, 4), Fragment(46, 6))
    # BOT header and value, two fragment headers, the delimiter: no values.
    assert fp.bytes_read == 8 + 8 + 8 + 8 + 8
    assert fp.tell() == 60


def test_empty_bot_and_missing_delimiter_at_end_of_data() -> None:
    data = item(b"") + item(b"\x01\x02") + item(b"\x03\x04\x05\x06")
    index = index_fragments(data)
    assert index.basic_offsets == ()
    assert index.fragments == (Fragment(16, 2), Fragment(26, 4))
    assert index.has_delimiter is False
    assert index.end == 30
    assert index.boundaries(2) == [[Fragment(16, 2)], [Fragment(26, 4)]]
    assert index.boundaries(1) == [[Fragment(16, 2), Fragment(26, 4)]]


def test_bot_with_several_fragments_per_frame() -> None:
    # Frame 0 = fragments 0 and 1 (12 + 10 bytes of items), frame 1 = fragment 2.
    data = (
        bot(0, 22)
        + item(b"\xff\xd8\x00\x01")
        + item(b"\x02\x03")
        + item(b"\xff\xd8\x04\x05")
        + DELIMITER
    )
    index = index_fragments(data)
    assert index.basic_offsets == (0, 22)
    assert index.boundaries(2) == [
        [Fragment(24, 4), Fragment(36, 2)],
        [Fragment(46, 4)],
    ]
    assert read_frame(data, index.boundaries(2), 0) == b"\xff\xd8\x00\x01\x02\x03"


# Round trips ----------------------------------------------------------------

FRAMES_1 = [jpeg_frame(1, 37)]
FRAMES_3 = [jpeg_frame(1, 37), jpeg_frame(2, 40), jpeg_frame(3, 51)]


@pytest.mark.parametrize("frames", [FRAMES_1, FRAMES_3], ids=["1frame", "3frames"])
@pytest.mark.parametrize("fragments_per_frame", [1, 2])
@pytest.mark.parametrize("has_bot", [True, False])
def test_round_trip(
    frames: list[bytes], fragments_per_frame: int, has_bot: bool
) -> None:
    data = encapsulate(frames, fragments_per_frame=fragments_per_frame, has_bot=has_bot)
    index = index_fragments(data)
    assert len(index.fragments) == len(frames) * fragments_per_frame
    assert index.has_delimiter is True
    assert index.end == len(data)
    if has_bot:
        expected_offsets, position = [], 0
        for frame in frames:
            expected_offsets.append(position)
            position += sum(
                8 + len(f) for f in fragment_frame(frame, fragments_per_frame)
            )
        assert list(index.basic_offsets) == expected_offsets
    else:
        assert index.basic_offsets == ()

    boundaries = index.boundaries(
        len(frames),
        fragment_bytes_getter=lambda fragment, size: read_fragment(
            data, fragment, size
        ),
    )
    assert [len(b) for b in boundaries] == [fragments_per_frame] * len(frames)
    for frame_index, frame in enumerate(frames):
        assert bytes(read_frame(data, boundaries, frame_index)) == padded(frame)
        assert get_frame(data, frame_index, number_of_frames=len(frames)) == padded(
            frame
        )
    assert list(generate_frames(data, len(frames))) == [padded(f) for f in frames]
    assert list(generate_frames(io.BytesIO(data), len(frames))) == [
        padded(f) for f in frames
    ]


def test_round_trip_extended_offset_table() -> None:
    data, offsets, lengths = encapsulate_extended(FRAMES_3)
    # 37 -> 38, 40, 51 -> 52 byte items, each after an 8-byte header.
    assert offsets == struct.pack("<3Q", 0, 46, 94)
    assert lengths == struct.pack("<3Q", 38, 40, 52)
    index = index_fragments(data)
    assert index.basic_offsets == ()
    boundaries = index.boundaries(3, extended_offsets=offsets, extended_lengths=lengths)
    assert boundaries == [[Fragment(16, 38)], [Fragment(62, 40)], [Fragment(110, 52)]]
    for frame_index, frame in enumerate(FRAMES_3):
        assert read_frame(data, boundaries, frame_index) == padded(frame)
        assert get_frame(data, frame_index, extended_offsets=(offsets, lengths)) == (
            padded(frame)
        )
        assert get_frame(
            data, frame_index, extended_offsets=([0, 46, 94], [38, 40, 52])
        ) == padded(frame)


def test_extended_lengths_without_padding_are_honoured() -> None:
    data, offsets, _ = encapsulate_extended(FRAMES_3)
    index = index_fragments(data)
    boundaries = index.boundaries(
        extended_offsets=offsets, extended_lengths=[37, 40, 51]
    )
    assert [bytes(read_frame(data, boundaries, i)) for i in range(3)] == FRAMES_3


# Reading one frame from a file --------------------------------------------------


@pytest.mark.parametrize("fragments_per_frame", [1, 2])
def test_file_frame_read_reads_only_that_frame(fragments_per_frame: int) -> None:
    frames = [bytes([n]) * 1000 for n in (1, 2, 3)]
    data = encapsulate(frames, fragments_per_frame=fragments_per_frame)
    fp = CountingReader(data)
    index = index_fragments(fp)
    nr_items = 3 * fragments_per_frame
    assert fp.bytes_read == 8 + 12 + 8 * nr_items + 8

    boundaries = index.boundaries(3)
    fp.bytes_read = 0
    assert read_frame(fp, boundaries, 2) == b"\x03" * 1000
    assert fp.bytes_read == 1000

    fp.seek(0)
    fp.bytes_read = 0
    assert get_frame(fp, 1) == b"\x02" * 1000
    assert fp.bytes_read == 8 + 12 + 8 * nr_items + 8 + 1000
    assert fp.tell() == 0  # get_frame restores the starting position


def test_memory_frame_of_one_fragment_is_a_zero_copy_view() -> None:
    data = encapsulate(FRAMES_3)
    boundaries = index_fragments(data).boundaries(3)
    frame = read_frame(data, boundaries, 1)
    assert isinstance(frame, memoryview)
    assert frame.obj is data
    assert bytes(frame) == FRAMES_3[1]


def test_read_frame_index_out_of_range() -> None:
    boundaries = index_fragments(HAND_BUILT).boundaries(2)
    with pytest.raises(IndexError, match="frame index 2 is out of range for 2"):
        read_frame(HAND_BUILT, boundaries, 2)
    with pytest.raises(IndexError):
        read_frame(HAND_BUILT, boundaries, -1)


# Finding frames without an offset table ------------------------------------------


def test_jpeg_soi_scan_with_several_fragments_per_frame_and_no_bot() -> None:
    data = (
        item(b"")
        + item(b"\xff\xd8\xff\xdb\x00\x43")  # frame 0 starts
        + item(b"\x11\x22")
        + item(b"\x33\xff\xd9\x00")
        + item(b"\xff\xd8\xff\xc4\x00\x1f")  # frame 1 starts
        + item(b"\x44\xff\xd9\x00")
        + DELIMITER
    )
    index = index_fragments(data)
    requests: list[tuple[int, int]] = []

    def getter(fragment: Fragment, size: int) -> bytes:
        requests.append((fragment.offset, size))
        return bytes(read_fragment(data, fragment, size))

    boundaries = index.boundaries(2, fragment_bytes_getter=getter)
    assert [len(b) for b in boundaries] == [3, 2]
    # Only the first few bytes of each fragment were asked for.
    assert requests == [(16, 6), (30, 2), (40, 4), (52, 6), (66, 4)]
    assert read_frame(data, boundaries, 0) == (
        b"\xff\xd8\xff\xdb\x00\x43\x11\x22\x33\xff\xd9\x00"
    )
    assert (
        read_frame(data, boundaries, 1) == b"\xff\xd8\xff\xc4\x00\x1f\x44\xff\xd9\x00"
    )
    assert list(generate_frames(data, 2)) == [
        b"\xff\xd8\xff\xdb\x00\x43\x11\x22\x33\xff\xd9\x00",
        b"\xff\xd8\xff\xc4\x00\x1f\x44\xff\xd9\x00",
    ]


@pytest.mark.parametrize(
    "start",
    [b"\xff\x4f\xff\x51\x00\x2f", b"\x00\x00\x00\x0cjP  \r\n\x87\n"],
    ids=["j2k-codestream", "jp2"],
)
def test_jpeg2000_scan(start: bytes) -> None:
    data = (
        item(b"")
        + item(start)
        + item(b"\x01\x02")
        + item(start)
        + item(b"\x03\x04")
        + DELIMITER
    )
    frames = list(generate_frames(data, 2))
    assert frames == [start + b"\x01\x02", start + b"\x03\x04"]


def test_scan_cannot_tell_frames_apart() -> None:
    data = item(b"") + item(b"\xff\xd8\xff\xe0") + item(b"\x01\x02") + item(b"\x03\x04")
    with pytest.raises(InvalidDicomError, match="1 fragments begin a JPEG"):
        get_frame(data, 0, number_of_frames=2)
    fragments = index_fragments(data).fragments
    with pytest.raises(InvalidDicomError, match="no fragment_bytes_getter"):
        frame_boundaries(fragments, 2)
    with pytest.raises(InvalidDicomError, match="number of frames is not given"):
        frame_boundaries(fragments)
    with pytest.raises(InvalidDicomError, match="4 frames cannot be held in 3"):
        frame_boundaries(fragments, 4)


# Errors -----------------------------------------------------------------------


def test_bad_item_tag_names_offset_and_tag() -> None:
    data = bot() + item(b"\x01\x02") + b"\xfe\xff\x0d\xe0\x00\x00\x00\x00" + DELIMITER
    with pytest.raises(InvalidDicomError) as excinfo:
        index_fragments(data)
    assert excinfo.value.offset == 18
    assert excinfo.value.tag == 0xFFFEE00D
    assert "found (FFFE,E00D)" in str(excinfo.value)


def test_value_not_starting_with_the_bot_item() -> None:
    data = b"\x00" * 4 + b"\xe0\x7f\x10\x00\x00\x00\x00\x00"
    with pytest.raises(InvalidDicomError) as excinfo:
        index_fragments(data, start=4)
    assert excinfo.value.offset == 4
    assert excinfo.value.tag == 0x7FE00010


def test_truncated_fragment() -> None:
    data = bot() + ITEM + b"\x10\x00\x00\x00" + b"\x01\x02\x03\x04"
    with pytest.raises(InvalidDicomError, match="16 bytes runs past") as excinfo:
        index_fragments(data)
    assert excinfo.value.offset == 8
    with pytest.raises(InvalidDicomError, match="16 bytes runs past"):
        index_fragments(io.BytesIO(data))


def test_truncated_item_header() -> None:
    data = bot() + item(b"\x01\x02") + b"\xfe\xff\x00"
    with pytest.raises(InvalidDicomError, match="truncated item header") as excinfo:
        index_fragments(data)
    assert excinfo.value.offset == 18


@pytest.mark.parametrize(
    ("length", "message"),
    [(b"\x03\x00\x00\x00", "odd length 3"), (b"\xff\xff\xff\xff", "undefined length")],
)
def test_odd_or_undefined_fragment_length(length: bytes, message: str) -> None:
    data = bot() + ITEM + length + b"\x01\x02\x03\x00" + DELIMITER
    with pytest.raises(InvalidDicomError, match=message) as excinfo:
        index_fragments(data)
    assert excinfo.value.offset == 8


def test_bot_length_not_a_multiple_of_four() -> None:
    data = ITEM + b"\x06\x00\x00\x00" + b"\x00" * 6 + DELIMITER
    with pytest.raises(InvalidDicomError, match="not a multiple of 4"):
        index_fragments(data)


def test_too_many_fragments(monkeypatch: pytest.MonkeyPatch) -> None:
    default = config.limits.max_fragments
    data = encapsulate([b"\x01\x02"] * 3, has_bot=False)
    assert len(index_fragments(data).fragments) == 3
    monkeypatch.setattr(config.limits, "max_fragments", 2)
    with pytest.raises(LimitError) as excinfo:
        index_fragments(data)
    assert excinfo.value.limit == "max_fragments"
    with pytest.raises(LimitError):
        index_fragments(encapsulate([b"\x01\x02"] * 3))  # BOT lists 3 frames
    monkeypatch.undo()
    assert config.limits.max_fragments == default


def test_bot_offsets_must_land_on_items() -> None:
    fragments = index_fragments(HAND_BUILT).fragments
    with pytest.raises(InvalidDicomError, match=r"entry 1 \(10\) does not point"):
        frame_boundaries(fragments, basic_offsets=[0, 10])
    with pytest.raises(InvalidDicomError, match="first entry must be 0"):
        frame_boundaries(fragments, basic_offsets=[12])
    with pytest.raises(InvalidDicomError, match="does not increase"):
        frame_boundaries(fragments, basic_offsets=[0, 0])
    with pytest.raises(InvalidDicomError, match="lists 2 frames but the number of"):
        frame_boundaries(fragments, 3, basic_offsets=[0, 12])


def test_extended_table_errors() -> None:
    data, offsets, lengths = encapsulate_extended(FRAMES_3)
    fragments = index_fragments(data).fragments
    with pytest.raises(InvalidDicomError, match=r"entry 1 \(40\) does not point") as e:
        frame_boundaries(
            fragments, extended_offsets=[0, 40, 94], extended_lengths=[38, 40, 52]
        )
    assert e.value.tag == 0x7FE00001
    with pytest.raises(InvalidDicomError, match=r"entry 2 \(53\) exceeds") as e:
        frame_boundaries(
            fragments, extended_offsets=offsets, extended_lengths=[38, 40, 53]
        )
    assert e.value.tag == 0x7FE00002
    with pytest.raises(InvalidDicomError, match="3 entries but Extended Offset"):
        frame_boundaries(
            fragments, extended_offsets=offsets, extended_lengths=lengths[:16]
        )
    with pytest.raises(InvalidDicomError, match="not a multiple of 8"):
        frame_boundaries(
            fragments, extended_offsets=offsets[:-1], extended_lengths=lengths
        )
    with pytest.raises(InvalidDicomError, match="must be present together"):
        frame_boundaries(fragments, extended_offsets=offsets)
    with pytest.raises(InvalidDicomError, match="is empty"):
        frame_boundaries(fragments, extended_offsets=b"", extended_lengths=b"")


def test_no_fragments() -> None:
    with pytest.raises(InvalidDicomError, match="holds no fragments"):
        index_fragments(bot() + DELIMITER).boundaries(1)


# Building ----------------------------------------------------------------------


def test_encapsulate_exact_bytes() -> None:
    assert encapsulate([b"\x01\x02\x03", b"\x04\x05"]) == (
        ITEM + b"\x08\x00\x00\x00" + b"\x00\x00\x00\x00" + b"\x0c\x00\x00\x00"
        + ITEM + b"\x04\x00\x00\x00" + b"\x01\x02\x03\x00"
        + ITEM + b"\x02\x00\x00\x00" + b"\x04\x05"
        + DELIMITER
    )  # fmt: skip
    assert encapsulate([b"\x01\x02\x03"], has_bot=False) == (
        ITEM + b"\x00\x00\x00\x00" + ITEM + b"\x04\x00\x00\x00" + b"\x01\x02\x03\x00"
        + DELIMITER
    )  # fmt: skip


def test_encapsulate_extended_exact_bytes() -> None:
    data, offsets, lengths = encapsulate_extended([b"\x01\x02\x03", b"\x04\x05"])
    assert data == (
        ITEM + b"\x00\x00\x00\x00"
        + ITEM + b"\x04\x00\x00\x00" + b"\x01\x02\x03\x00"
        + ITEM + b"\x02\x00\x00\x00" + b"\x04\x05"
        + DELIMITER
    )  # fmt: skip
    assert offsets == b"\x00" * 8 + b"\x0c" + b"\x00" * 7
    assert lengths == b"\x04" + b"\x00" * 7 + b"\x02" + b"\x00" * 7


def test_fragment_frame_and_items() -> None:
    assert list(fragment_frame(bytes(range(10)), 3)) == [
        b"\x00\x01\x02\x03",
        b"\x04\x05\x06\x07",
        b"\x08\x09",
    ]
    assert list(fragment_frame(bytes(range(7)), 2)) == [
        b"\x00\x01\x02\x03",
        b"\x04\x05\x06\x00",
    ]
    # Rounding the fragment size up would leave the last fragment empty here.
    assert list(fragment_frame(bytes(range(12)), 4)) == [
        b"\x00\x01",
        b"\x02\x03",
        b"\x04\x05",
        b"\x06\x07\x08\x09\x0a\x0b",
    ]
    assert itemize_fragment(b"\x01\x02") == ITEM + b"\x02\x00\x00\x00\x01\x02"
    assert itemize_fragment(b"\x01") == ITEM + b"\x02\x00\x00\x00\x01\x00"
    assert list(itemize_frame(b"\x01\x02\x03\x04\x05", 2)) == [
        ITEM + b"\x02\x00\x00\x00\x01\x02",
        ITEM + b"\x04\x00\x00\x00\x03\x04\x05\x00",
    ]


def test_building_errors() -> None:
    with pytest.raises(DicomValueError, match="each fragment needs at least 2"):
        list(fragment_frame(b"\x01\x02\x03\x04", 3))
    with pytest.raises(DicomValueError, match="must not be empty"):
        encapsulate([b""])
    with pytest.raises(DicomValueError, match="at least one frame"):
        encapsulate([])
    with pytest.raises(DicomValueError, match="at least one frame"):
        encapsulate_extended([])


def test_bot_offset_past_32_bits_refers_to_the_extended_table() -> None:
    # 2 GiB frames that occupy no memory: the offsets are checked before any
    # byte is copied.
    huge = memoryview(np.broadcast_to(np.zeros(1, np.uint8), (2**31,)))
    with pytest.raises(DicomValueError, match="encapsulate_extended") as excinfo:
        encapsulate([huge, huge, huge])
    assert "frame 2 would start at byte 4294967312" in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)

    too_long = memoryview(np.broadcast_to(np.zeros(1, np.uint8), (2**32,)))
    with pytest.raises(DicomValueError, match="use more fragments per frame"):
        encapsulate([too_long])
    with pytest.raises(DicomValueError, match="use more fragments per frame"):
        encapsulate_extended([too_long])


# pydicom as an oracle, and pydicom-compatible helpers --------------------------


@pytest.mark.parametrize("frames", [FRAMES_1, FRAMES_3, [bytes(range(7))] * 5])
@pytest.mark.parametrize("fragments_per_frame", [1, 2, 3])
@pytest.mark.parametrize("has_bot", [True, False])
def test_encapsulate_matches_pydicom(
    frames: list[bytes], fragments_per_frame: int, has_bot: bool
) -> None:
    pydicom_encaps = pytest.importorskip("pydicom.encaps")
    expected = pydicom_encaps.encapsulate(frames, fragments_per_frame, has_bot)
    # The oracle's value stops before the Sequence Delimitation Item.
    assert encapsulate(frames, fragments_per_frame, has_bot) == expected + DELIMITER
    for frame in frames:
        assert list(fragment_frame(frame, fragments_per_frame)) == list(
            pydicom_encaps.fragment_frame(frame, fragments_per_frame)
        )


def test_encapsulate_extended_matches_pydicom() -> None:
    pydicom_encaps = pytest.importorskip("pydicom.encaps")
    data, offsets, lengths = pydicom_encaps.encapsulate_extended(FRAMES_3)
    assert encapsulate_extended(FRAMES_3) == (data + DELIMITER, offsets, lengths)


def test_reads_pydicom_output_without_delimiter() -> None:
    pydicom_encaps = pytest.importorskip("pydicom.encaps")
    data = pydicom_encaps.encapsulate(FRAMES_3, 2)
    assert list(generate_frames(data)) == [padded(f) for f in FRAMES_3]
    assert index_fragments(data).has_delimiter is False


def test_pydicom_compatible_helpers() -> None:
    data = encapsulate([b"\x01\x02", b"\x03\x04\x05\x06"], fragments_per_frame=1)
    assert parse_basic_offsets(data) == [0, 10]
    fp = io.BytesIO(data)
    assert parse_basic_offsets(fp) == [0, 10]
    assert fp.tell() == 16  # at the first fragment's item tag

    assert parse_fragments(fp) == (2, [16, 26])
    assert fp.tell() == 16  # restored
    assert get_nr_fragments(fp) == 2
    assert parse_fragments(data[16:]) == (2, [0, 10])
    assert list(generate_fragments(data[16:])) == [b"\x01\x02", b"\x03\x04\x05\x06"]
    assert list(generate_fragmented_frames(data)) == [
        (b"\x01\x02",),
        (b"\x03\x04\x05\x06",),
    ]
    with pytest.raises(DicomValueError, match="always little endian"):
        get_frame(data, 0, endianness=">")
