"""Encapsulated Pixel Data: fragments and the Basic and Extended Offset Tables.

In an encapsulated transfer syntax, Pixel Data (7FE0,0010) has undefined length
and holds a sequence of items (PS3.5 A.4):

* the first item is the Basic Offset Table: zero or more 32-bit offsets, one
  per frame, to the item tag of the frame's first fragment, measured from the
  first byte of the first item after the Basic Offset Table;
* then one item (FFFE,E000) per fragment, each of explicit even length;
* then the Sequence Delimitation Item (FFFE,E0DD) with length 0.

Item tags and lengths are always little endian here. When the Basic Offset
Table is empty, the Extended Offset Table (7FE0,0001) and Extended Offset Table
Lengths (7FE0,0002) may give 64-bit offsets (same origin) and lengths, one per
frame, each frame then being exactly one fragment (PS3.3 C.7.6.3.1.8).

This module is the one place that knows this structure. Reading is built around
a small index so that frame ``k`` of a large file costs the same as frame 0::

    index = index_fragments(fp)                  # reads item headers only
    boundaries = index.boundaries(number_of_frames)
    frame = read_frame(fp, boundaries, k)        # reads frame k's bytes only

The functions named as in ``pydicom.encaps`` (``encapsulate``,
``encapsulate_extended``, ``generate_frames``, ``get_frame``,
``parse_basic_offsets``, ``parse_fragments``, ``generate_fragments``,
``generate_fragmented_frames``, ``fragment_frame``, ``itemize_fragment``,
``itemize_frame``, ``get_nr_fragments``) take the same arguments.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from dicomcore import config
from dicomcore.errors import DicomValueError, InvalidDicomError, LimitError
from dicomcore.tag import ItemTag, SequenceDelimitationItemTag

__all__ = [
    "EncapsulatedIndex",
    "Fragment",
    "ReadableBuffer",
    "encapsulate",
    "encapsulate_extended",
    "fragment_frame",
    "frame_boundaries",
    "generate_fragmented_frames",
    "generate_fragments",
    "generate_frames",
    "get_frame",
    "get_nr_fragments",
    "index_fragments",
    "itemize_fragment",
    "itemize_frame",
    "parse_basic_offsets",
    "parse_fragments",
    "read_fragment",
    "join_items",
    "read_frame",
]


class ReadableBuffer(Protocol):
    """A seekable binary file: what ``open(path, "rb")`` or ``BytesIO`` gives."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


#: Encapsulated data in memory, or a seekable file holding it.
EncapsulatedSource = bytes | bytearray | memoryview | ReadableBuffer
#: ``(offsets, lengths)`` of the Extended Offset Table, raw OV values or ints.
ExtendedOffsets = tuple[Sequence[int], Sequence[int]] | tuple[bytes, bytes] | None

# Every item header in encapsulated Pixel Data is group, element, 32-bit length,
# little endian, whatever the transfer syntax's byte order (PS3.5 A.4).
_ITEM_HEADER = struct.Struct("<HHL")
_HEADER_LENGTH = _ITEM_HEADER.size
_UNDEFINED_LENGTH = 0xFFFFFFFF
# The largest even length an item can state: 0xFFFFFFFF means undefined.
_MAX_ITEM_LENGTH = 0xFFFFFFFE
_MAX_BASIC_OFFSET = 0xFFFFFFFF
_SEQUENCE_DELIMITER = _ITEM_HEADER.pack(0xFFFE, 0xE0DD, 0)
_EXTENDED_OFFSET_TABLE = 0x7FE00001
_EXTENDED_OFFSET_TABLE_LENGTHS = 0x7FE00002

# Enough of a fragment's start to recognise a JPEG or JPEG 2000 stream: the JP2
# signature box is the longest signature, at 12 bytes.
_SIGNATURE_LENGTH = 12
# SOI followed by the first marker's 0xFF (JPEG, JPEG-LS, JPEG XT share SOI).
_JPEG_SOI = b"\xff\xd8\xff"
# SOC then SIZ: a JPEG 2000 (and HTJ2K) codestream always opens this way.
_J2K_CODESTREAM = b"\xff\x4f\xff\x51"
_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"


@dataclass(frozen=True)
class Fragment:
    """Where one fragment's value lies in its source.

    ``offset`` is the absolute offset of the item VALUE (8 bytes after its item
    tag) in the buffer or file; ``length`` the number of bytes of the value.
    """

    offset: int
    length: int

    @property
    def item_offset(self) -> int:
        """Absolute offset of the fragment's item tag."""
        return self.offset - _HEADER_LENGTH

    @property
    def end(self) -> int:
        """Absolute offset one past the fragment's last byte."""
        return self.offset + self.length


#: Returns the first ``size`` bytes of a fragment's value.
FragmentBytesGetter = Callable[[Fragment, int], bytes | memoryview]


@dataclass(frozen=True)
class EncapsulatedIndex:
    """The structure of one encapsulated value, without its fragments' bytes.

    ``basic_offsets`` are the Basic Offset Table's values (empty when the table
    is empty); ``fragments`` the fragment items after it, in order. ``start``
    is the absolute offset of the Basic Offset Table's item tag,
    ``fragments_start`` that of the first item after it (the origin of both
    offset tables), and ``end`` the offset one past the encapsulated value:
    past the Sequence Delimitation Item when ``has_delimiter``, else the end of
    the data.
    """

    basic_offsets: tuple[int, ...]
    fragments: tuple[Fragment, ...]
    start: int
    fragments_start: int
    end: int
    has_delimiter: bool

    def boundaries(
        self,
        number_of_frames: int | None = None,
        *,
        extended_offsets: Sequence[int] | bytes | None = None,
        extended_lengths: Sequence[int] | bytes | None = None,
        fragment_bytes_getter: FragmentBytesGetter | None = None,
    ) -> list[list[Fragment]]:
        """:func:`frame_boundaries` for this index's fragments and table."""
        return frame_boundaries(
            self.fragments,
            number_of_frames,
            basic_offsets=self.basic_offsets,
            extended_offsets=extended_offsets,
            extended_lengths=extended_lengths,
            fragment_bytes_getter=fragment_bytes_getter,
        )


class _Reader:
    """Reads an in-memory buffer or a seekable file by absolute offset."""

    def __init__(self, source: EncapsulatedSource) -> None:
        self.view: memoryview | None = None
        self.file: ReadableBuffer | None = None
        if isinstance(source, (bytes, bytearray, memoryview)):
            view = memoryview(source)
            if view.ndim != 1 or view.itemsize != 1:
                view = view.cast("B")
            self.view = view
        else:
            self.file = source

    def position(self) -> int:
        """Where reading starts when the caller gives no offset."""
        return 0 if self.file is None else self.file.tell()

    def size(self) -> int:
        if self.view is not None:
            return self.view.nbytes
        assert self.file is not None
        here = self.file.tell()
        self.file.seek(0, io.SEEK_END)
        size = self.file.tell()
        self.file.seek(here)
        return size

    def read(self, offset: int, size: int) -> bytes | memoryview:
        """``size`` bytes at ``offset``; a zero-copy slice for memory."""
        if self.view is not None:
            if offset < 0 or offset + size > self.view.nbytes:
                raise InvalidDicomError(
                    f"{size} bytes needed but the data ends at byte {self.view.nbytes}",
                    offset=offset,
                )
            return self.view[offset : offset + size]
        assert self.file is not None
        self.file.seek(offset)
        data = self.file.read(size)
        if len(data) != size:
            raise InvalidDicomError(
                f"{size} bytes needed but only {len(data)} could be read",
                offset=offset,
            )
        return data

    def read_into(self, offset: int, target: memoryview) -> None:
        """Fill ``target`` with the bytes at ``offset``: one copy, straight
        from memory or the file into it."""
        size = target.nbytes
        if self.view is not None:
            target[:] = self.read(offset, size)
            return
        assert self.file is not None
        self.file.seek(offset)
        readinto = getattr(self.file, "readinto", None)
        got = -1
        if readinto is not None:
            try:
                got = readinto(target) or 0
            except (NotImplementedError, io.UnsupportedOperation):
                self.file.seek(offset)  # a file object without readinto
        if got < 0:
            data = self.file.read(size)
            got = len(data)
            target[:got] = data
        if got != size:
            raise InvalidDicomError(
                f"{size} bytes needed but only {got} could be read",
                offset=offset,
            )

    def header(self, offset: int) -> tuple[int, int]:
        """The (tag, length) of the item header at ``offset``."""
        group, element, length = _ITEM_HEADER.unpack(self.read(offset, 8))
        return (group << 16) | element, length


def _tag_text(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def _read_basic_offsets(reader: _Reader, start: int, end: int) -> tuple[list[int], int]:
    """The Basic Offset Table's values and the offset of the item after it."""
    if end - start < _HEADER_LENGTH:
        raise InvalidDicomError(
            "encapsulated Pixel Data is too short to hold the Basic Offset "
            f"Table item ({end - start} bytes)",
            offset=start,
        )
    tag, length = reader.header(start)
    if tag != ItemTag:
        raise InvalidDicomError(
            "encapsulated Pixel Data must begin with the Basic Offset Table "
            f"item (FFFE,E000), found {_tag_text(tag)}",
            offset=start,
            tag=tag,
        )
    # Undefined length (0xFFFFFFFF) is caught here too: it is not a multiple of 4.
    if length % 4:
        raise InvalidDicomError(
            f"Basic Offset Table length {length} is not a multiple of 4",
            offset=start,
        )
    value_start = start + _HEADER_LENGTH
    if value_start + length > end:
        raise InvalidDicomError(
            f"Basic Offset Table of {length} bytes runs past the end of the "
            f"data ({end - value_start} bytes left)",
            offset=start,
        )
    # One entry per frame and every frame needs a fragment: a table longer than
    # the fragment limit is hostile, and reading it would allocate for nothing.
    limit = config.limits.max_fragments
    if length // 4 > limit:
        raise LimitError(
            f"Basic Offset Table lists {length // 4} frames, more than "
            f"{limit} fragments allowed",
            limit="max_fragments",
        )
    count = length // 4
    offsets = list(struct.unpack(f"<{count}L", reader.read(value_start, length)))
    return offsets, value_start + length


def _scan_fragments(
    reader: _Reader, position: int, end: int
) -> tuple[list[Fragment], int, bool]:
    """Index the fragment items from ``position``, reading headers only.

    Returns the fragments, the offset past the value, and whether the
    Sequence Delimitation Item was found.
    """
    limit = config.limits.max_fragments
    fragments: list[Fragment] = []
    while position < end:
        if end - position < _HEADER_LENGTH:
            raise InvalidDicomError(
                f"truncated item header: {end - position} bytes left where 8 "
                "are needed",
                offset=position,
            )
        tag, length = reader.header(position)
        if tag == SequenceDelimitationItemTag:
            # Its length shall be 0; a non-zero one carries no meaning here.
            return fragments, position + _HEADER_LENGTH, True
        if tag != ItemTag:
            raise InvalidDicomError(
                "expected a fragment item (FFFE,E000) or the Sequence "
                f"Delimitation Item (FFFE,E0DD), found {_tag_text(tag)}",
                offset=position,
                tag=tag,
            )
        if length == _UNDEFINED_LENGTH:
            raise InvalidDicomError(
                "fragment item has undefined length; fragments must have an "
                "explicit even length",
                offset=position,
            )
        if length % 2:
            raise InvalidDicomError(
                f"fragment item has odd length {length}; fragments must have "
                "an even length",
                offset=position,
            )
        value_start = position + _HEADER_LENGTH
        if value_start + length > end:
            raise InvalidDicomError(
                f"fragment of {length} bytes runs past the end of the data "
                f"({end - value_start} bytes left)",
                offset=position,
            )
        if len(fragments) >= limit:
            raise LimitError(
                f"encapsulated Pixel Data holds more than {limit} fragments",
                limit="max_fragments",
            )
        fragments.append(Fragment(value_start, length))
        position = value_start + length
    # A value cut short right after a whole item is tolerated: some writers
    # leave the delimiter out of a value that ends the data.
    return fragments, position, False


def _resolve_range(
    reader: _Reader, start: int | None, end: int | None
) -> tuple[int, int]:
    if start is None:
        start = reader.position()
    size = reader.size()
    end = size if end is None else min(end, size)
    return start, end


def index_fragments(
    source: EncapsulatedSource, start: int | None = None, end: int | None = None
) -> EncapsulatedIndex:
    """Index an encapsulated value: its Basic Offset Table and its fragments.

    ``source`` holds the value beginning with the Basic Offset Table's item
    tag at ``start`` (default: offset 0 of a buffer, the current position of a
    file); ``end`` bounds it (default: the end of the data). From a file only
    the Basic Offset Table and the 8-byte item headers are read; fragment
    values are seeked over. The file is left positioned at ``index.end``.

    Fragment offsets in the result are absolute offsets in ``source``.

    Raises :class:`~dicomcore.errors.InvalidDicomError` (with the byte offset)
    for an item tag that is neither (FFFE,E000) nor (FFFE,E0DD), a fragment of
    odd or undefined length, or one running past the end; and
    :class:`~dicomcore.errors.LimitError` past ``limits.max_fragments``.

    >>> index = index_fragments(encapsulate([b"\\xff\\xd8\\xff\\xd9"]))
    >>> index.basic_offsets, index.fragments
    ((0,), (Fragment(offset=20, length=4),))
    """
    reader = _Reader(source)
    start, end = _resolve_range(reader, start, end)
    basic_offsets, fragments_start = _read_basic_offsets(reader, start, end)
    fragments, value_end, has_delimiter = _scan_fragments(reader, fragments_start, end)
    if reader.file is not None:
        reader.file.seek(value_end)
    return EncapsulatedIndex(
        basic_offsets=tuple(basic_offsets),
        fragments=tuple(fragments),
        start=start,
        fragments_start=fragments_start,
        end=value_end,
        has_delimiter=has_delimiter,
    )


def _decode_table(value: Sequence[int] | bytes, name: str, tag: int) -> list[int]:
    """Decode an OV table value (64-bit little endian) or accept ints."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = memoryview(value).cast("B")
        if raw.nbytes % 8:
            raise InvalidDicomError(
                f"{name} is {raw.nbytes} bytes long, not a multiple of 8", tag=tag
            )
        return list(struct.unpack(f"<{raw.nbytes // 8}Q", raw))
    return [int(item) for item in value]


def _check_frame_count(
    table_frames: int, number_of_frames: int | None, table_name: str
) -> None:
    if number_of_frames is not None and table_frames != number_of_frames:
        raise InvalidDicomError(
            f"the {table_name} lists {table_frames} frames but the number of "
            f"frames is {number_of_frames}"
        )


def _split(fragments: Sequence[Fragment], starts: list[int]) -> list[list[Fragment]]:
    bounds = [*starts, len(fragments)]
    return [list(fragments[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def _begins_codestream(prefix: bytes | memoryview) -> bool:
    head = bytes(prefix[:_SIGNATURE_LENGTH])
    return (
        head.startswith(_JPEG_SOI)
        or head.startswith(_J2K_CODESTREAM)
        or head.startswith(_JP2_SIGNATURE)
    )


def frame_boundaries(
    fragments: Sequence[Fragment],
    number_of_frames: int | None = None,
    *,
    basic_offsets: Sequence[int] = (),
    extended_offsets: Sequence[int] | bytes | None = None,
    extended_lengths: Sequence[int] | bytes | None = None,
    fragment_bytes_getter: FragmentBytesGetter | None = None,
) -> list[list[Fragment]]:
    """Which fragments make each frame: one list of fragments per frame.

    The first rule that applies decides:

    1. the Extended Offset Table (``extended_offsets`` and
       ``extended_lengths``, raw OV bytes or ints): one fragment per frame,
       whose ``length`` is the table's length for that frame;
    2. the Basic Offset Table (``basic_offsets``);
    3. one frame: all fragments; as many frames as fragments: one each;
    4. otherwise the fragments that begin a JPEG (SOI ``FFD8``) or JPEG 2000
       (``FF4F FF51`` or the JP2 signature) stream begin the frames; this
       needs ``fragment_bytes_getter(fragment, size)``, returning the first
       ``size`` bytes of a fragment, and only reads a few bytes of each.

    ``number_of_frames`` is Number of Frames (0028,0008); it may be None when
    a table gives the frames or there is a single fragment. Table offsets must
    land on fragment item tags (they count from the first item after the Basic
    Offset Table); a table listing a different number of frames, offsets off
    an item boundary, or frames that cannot be told apart raise
    :class:`~dicomcore.errors.InvalidDicomError`.
    """
    if number_of_frames is not None and number_of_frames < 1:
        raise DicomValueError(
            f"number_of_frames must be at least 1, not {number_of_frames}"
        )
    if not fragments:
        raise InvalidDicomError("encapsulated Pixel Data holds no fragments")
    origin = fragments[0].item_offset

    if extended_offsets is not None or extended_lengths is not None:
        return _extended_boundaries(
            fragments, origin, number_of_frames, extended_offsets, extended_lengths
        )

    if basic_offsets:
        _check_frame_count(len(basic_offsets), number_of_frames, "Basic Offset Table")
        index_at = {f.item_offset - origin: i for i, f in enumerate(fragments)}
        starts: list[int] = []
        for frame_index, offset in enumerate(basic_offsets):
            fragment_index = index_at.get(offset)
            if fragment_index is None:
                raise InvalidDicomError(
                    f"Basic Offset Table entry {frame_index} ({offset}) does not "
                    "point at a fragment item tag"
                )
            if starts and fragment_index <= starts[-1]:
                raise InvalidDicomError(
                    f"Basic Offset Table entry {frame_index} ({offset}) does not "
                    "increase on the previous entry"
                )
            starts.append(fragment_index)
        if starts[0] != 0:
            raise InvalidDicomError(
                "the Basic Offset Table's first entry must be 0 (the first "
                f"fragment), not {basic_offsets[0]}"
            )
        return _split(fragments, starts)

    nr_fragments = len(fragments)
    if number_of_frames is None:
        if nr_fragments == 1:
            return [[fragments[0]]]
        raise InvalidDicomError(
            f"cannot tell which of the {nr_fragments} fragments make which "
            "frame: the offset tables are empty and the number of frames is "
            "not given"
        )
    if number_of_frames == 1:
        return [list(fragments)]
    if number_of_frames == nr_fragments:
        return [[fragment] for fragment in fragments]
    if number_of_frames > nr_fragments:
        raise InvalidDicomError(
            f"{number_of_frames} frames cannot be held in {nr_fragments} fragments"
        )
    if fragment_bytes_getter is None:
        raise InvalidDicomError(
            f"cannot tell which of the {nr_fragments} fragments make which of "
            f"the {number_of_frames} frames: the offset tables are empty and "
            "no fragment_bytes_getter was given to find where frames begin"
        )
    starts = [
        i
        for i, fragment in enumerate(fragments)
        if _begins_codestream(
            fragment_bytes_getter(fragment, min(_SIGNATURE_LENGTH, fragment.length))
        )
    ]
    if len(starts) != number_of_frames or starts[0] != 0:
        raise InvalidDicomError(
            f"cannot tell which of the {nr_fragments} fragments make which of "
            f"the {number_of_frames} frames: the offset tables are empty and "
            f"{len(starts)} fragments begin a JPEG or JPEG 2000 stream "
            f"(fragment indices {starts[:10]})"
        )
    return _split(fragments, starts)


def _extended_boundaries(
    fragments: Sequence[Fragment],
    origin: int,
    number_of_frames: int | None,
    extended_offsets: Sequence[int] | bytes | None,
    extended_lengths: Sequence[int] | bytes | None,
) -> list[list[Fragment]]:
    if extended_offsets is None or extended_lengths is None:
        raise InvalidDicomError(
            "Extended Offset Table (7FE0,0001) and Extended Offset Table "
            "Lengths (7FE0,0002) must be present together"
        )
    offsets = _decode_table(
        extended_offsets, "Extended Offset Table", _EXTENDED_OFFSET_TABLE
    )
    lengths = _decode_table(
        extended_lengths,
        "Extended Offset Table Lengths",
        _EXTENDED_OFFSET_TABLE_LENGTHS,
    )
    if len(offsets) != len(lengths):
        raise InvalidDicomError(
            f"Extended Offset Table has {len(offsets)} entries but Extended "
            f"Offset Table Lengths has {len(lengths)}"
        )
    if not offsets:
        # Unlike the Basic Offset Table, the extended one may not be empty.
        raise InvalidDicomError(
            "Extended Offset Table is empty", tag=_EXTENDED_OFFSET_TABLE
        )
    _check_frame_count(len(offsets), number_of_frames, "Extended Offset Table")
    fragment_at = {f.item_offset - origin: f for f in fragments}
    boundaries: list[list[Fragment]] = []
    for frame_index, (offset, length) in enumerate(zip(offsets, lengths, strict=True)):
        fragment = fragment_at.get(offset)
        if fragment is None:
            raise InvalidDicomError(
                f"Extended Offset Table entry {frame_index} ({offset}) does not "
                "point at a fragment item tag",
                tag=_EXTENDED_OFFSET_TABLE,
            )
        # Each frame is exactly one fragment; its stated length may leave out
        # the trailing padding byte but may not exceed the item.
        if length > fragment.length:
            raise InvalidDicomError(
                f"Extended Offset Table Lengths entry {frame_index} ({length}) "
                f"exceeds the {fragment.length}-byte fragment it describes",
                tag=_EXTENDED_OFFSET_TABLE_LENGTHS,
            )
        boundaries.append([Fragment(fragment.offset, length)])
    return boundaries


def read_fragment(
    source: EncapsulatedSource, fragment: Fragment, size: int | None = None
) -> bytes | memoryview:
    """The value of ``fragment``, or its first ``size`` bytes.

    From memory this is a zero-copy ``memoryview`` slice; from a file, one
    seek and one read. Suits ``frame_boundaries(fragment_bytes_getter=...)``::

        getter = lambda fragment, size: read_fragment(fp, fragment, size)
    """
    length = fragment.length if size is None else min(size, fragment.length)
    return _Reader(source).read(fragment.offset, length)


def read_frame(
    source: EncapsulatedSource,
    boundaries: Sequence[Sequence[Fragment]],
    frame_index: int,
) -> bytes | memoryview:
    """The bytes of frame ``frame_index``: its fragments' values, joined.

    Only that frame's fragments are read (seek and read for a file). From
    memory, a frame that is one fragment comes back as a zero-copy
    ``memoryview`` slice of ``source``; otherwise the result is ``bytes``.
    """
    if not 0 <= frame_index < len(boundaries):
        raise IndexError(
            f"frame index {frame_index} is out of range for {len(boundaries)} frames"
        )
    reader = _Reader(source)
    frame_fragments = boundaries[frame_index]
    if reader.view is not None and len(frame_fragments) == 1:
        fragment = frame_fragments[0]
        return reader.read(fragment.offset, fragment.length)
    return _gather(reader, frame_fragments)


def _gather(reader: _Reader, fragments: Sequence[Fragment]) -> memoryview:
    """The values of ``fragments`` in one buffer allocated at their total
    length, each read (or copied) straight to its place: no fragment is
    copied twice, and no joined copy follows."""
    frame = memoryview(bytearray(sum(fragment.length for fragment in fragments)))
    position = 0
    for fragment in fragments:
        reader.read_into(fragment.offset, frame[position : position + fragment.length])
        position += fragment.length
    return frame


def join_items(
    span: bytes | bytearray | memoryview, *, reuse: bool = False
) -> memoryview:
    """The values of the fragment items that make up ``span`` (a frame's
    items, whole, as an offset table locates them), as one buffer.

    One fragment is a zero-copy slice of ``span``.  Several are moved
    together at the start of ``span`` when ``reuse`` (a writable buffer read
    for this frame alone, so the frame costs no second buffer), else copied
    once into a buffer of their total length.  Raises InvalidDicomError when
    the items do not chain within ``span``.
    """
    reader = _Reader(span)
    assert reader.view is not None
    view = reader.view
    fragments, _, _ = _scan_fragments(reader, 0, view.nbytes)
    if len(fragments) == 1:
        return view[fragments[0].offset : fragments[0].end]
    if not reuse or view.readonly:
        return _gather(reader, fragments)
    position = 0
    for fragment in fragments:
        # Leftwards within one buffer: memoryview assignment copies as
        # memmove does, so the overlap is safe.
        view[position : position + fragment.length] = view[
            fragment.offset : fragment.end
        ]
        position += fragment.length
    return view[:position]


# pydicom-compatible reading ------------------------------------------------


def _check_endianness(endianness: str) -> None:
    # Encapsulated transfer syntaxes are all little endian (PS3.5 A.4); the
    # parameter exists only for signature compatibility.
    if endianness != "<":
        raise DicomValueError(
            "encapsulated Pixel Data is always little endian; endianness must "
            f"be '<', not {endianness!r}"
        )


def _extended_pair(
    extended_offsets: ExtendedOffsets,
) -> tuple[Sequence[int] | bytes | None, Sequence[int] | bytes | None]:
    if not extended_offsets:
        return None, None
    offsets, lengths = extended_offsets
    return offsets, lengths


def _boundaries_for(
    source: EncapsulatedSource,
    number_of_frames: int | None,
    extended_offsets: ExtendedOffsets,
) -> tuple[EncapsulatedIndex, list[list[Fragment]]]:
    index = index_fragments(source)
    offsets, lengths = _extended_pair(extended_offsets)
    boundaries = index.boundaries(
        number_of_frames,
        extended_offsets=offsets,
        extended_lengths=lengths,
        fragment_bytes_getter=lambda fragment, size: read_fragment(
            source, fragment, size
        ),
    )
    return index, boundaries


def parse_basic_offsets(
    buffer: EncapsulatedSource, *, endianness: str = "<"
) -> list[int]:
    """The Basic Offset Table's offsets (empty when the table is empty).

    ``buffer`` starts with the Basic Offset Table item (a file: at its current
    position). A file is left positioned at the first item after the table.
    """
    _check_endianness(endianness)
    reader = _Reader(buffer)
    start, end = _resolve_range(reader, None, None)
    offsets, fragments_start = _read_basic_offsets(reader, start, end)
    if reader.file is not None:
        reader.file.seek(fragments_start)
    return offsets


def parse_fragments(
    buffer: EncapsulatedSource, *, endianness: str = "<"
) -> tuple[int, list[int]]:
    """The number of fragments and the absolute offset of each item tag.

    ``buffer`` starts at the first fragment's item tag, after the Basic Offset
    Table (a file: at its current position, restored afterwards). For the Basic
    Offset Table and fragment index together, use :func:`index_fragments`.
    """
    _check_endianness(endianness)
    reader = _Reader(buffer)
    start, end = _resolve_range(reader, None, None)
    fragments, _, _ = _scan_fragments(reader, start, end)
    if reader.file is not None:
        reader.file.seek(start)
    return len(fragments), [fragment.item_offset for fragment in fragments]


def get_nr_fragments(buffer: EncapsulatedSource, *, endianness: str = "<") -> int:
    """The number of fragments, counted as :func:`parse_fragments` does."""
    return parse_fragments(buffer, endianness=endianness)[0]


def generate_fragments(
    buffer: EncapsulatedSource, *, endianness: str = "<"
) -> Iterator[bytes]:
    """Yield each fragment's value, from the first fragment item on.

    ``buffer`` starts at the first fragment's item tag, after the Basic Offset
    Table (a file: at its current position).
    """
    _check_endianness(endianness)
    reader = _Reader(buffer)
    start, end = _resolve_range(reader, None, None)
    fragments, _, _ = _scan_fragments(reader, start, end)
    for fragment in fragments:
        yield bytes(reader.read(fragment.offset, fragment.length))


def generate_fragmented_frames(
    buffer: EncapsulatedSource,
    number_of_frames: int | None = None,
    *,
    extended_offsets: ExtendedOffsets = None,
    endianness: str = "<",
) -> Iterator[tuple[bytes, ...]]:
    """Yield each frame as the tuple of its fragments' values.

    ``buffer`` starts with the Basic Offset Table item (a file: at its current
    position). ``extended_offsets`` is ``(offsets, lengths)`` from (7FE0,0001)
    and (7FE0,0002), raw or decoded. Frame boundaries follow
    :func:`frame_boundaries`.
    """
    _check_endianness(endianness)
    _, boundaries = _boundaries_for(buffer, number_of_frames, extended_offsets)
    reader = _Reader(buffer)
    for frame_fragments in boundaries:
        yield tuple(bytes(reader.read(f.offset, f.length)) for f in frame_fragments)


def generate_frames(
    buffer: EncapsulatedSource,
    number_of_frames: int | None = None,
    *,
    extended_offsets: ExtendedOffsets = None,
    endianness: str = "<",
) -> Iterator[bytes]:
    """Yield each frame's bytes in turn, reading one frame at a time.

    ``buffer`` starts with the Basic Offset Table item (a file: at its current
    position). ``number_of_frames`` is Number of Frames (0028,0008), needed
    when the offset tables are empty and there are several fragments.
    ``extended_offsets`` is ``(offsets, lengths)`` from (7FE0,0001) and
    (7FE0,0002), raw or decoded.

    >>> list(generate_frames(encapsulate([b"\\x01\\x02", b"\\x03\\x04"])))
    [b'\\x01\\x02', b'\\x03\\x04']
    """
    _check_endianness(endianness)
    _, boundaries = _boundaries_for(buffer, number_of_frames, extended_offsets)
    for frame_index in range(len(boundaries)):
        yield bytes(read_frame(buffer, boundaries, frame_index))


def get_frame(
    buffer: EncapsulatedSource,
    index: int,
    *,
    extended_offsets: ExtendedOffsets = None,
    number_of_frames: int | None = None,
    endianness: str = "<",
) -> bytes:
    """The bytes of frame ``index`` (0 for the first).

    ``buffer`` starts with the Basic Offset Table item (a file: at its current
    position, restored afterwards). Only item headers and the frame's own
    fragments are read (and, with empty offset tables and several fragments
    per frame, the first bytes of each fragment). To read many frames, index
    once with :func:`index_fragments` and call :func:`read_frame`.
    """
    _check_endianness(endianness)
    reader = _Reader(buffer)
    starting_position = reader.position()
    _, boundaries = _boundaries_for(buffer, number_of_frames, extended_offsets)
    frame = bytes(read_frame(buffer, boundaries, index))
    if reader.file is not None:
        reader.file.seek(starting_position)
    return frame


# Building -------------------------------------------------------------------


def _nbytes(frame: bytes | bytearray | memoryview) -> int:
    return memoryview(frame).nbytes


def _fragment_sizes(frame_length: int, nr_fragments: int) -> list[int]:
    """The unpadded sizes of ``nr_fragments`` fragments of one frame.

    Every fragment but the last has the same even size: the frame length over
    the number of fragments, rounded up to even (rounded down when rounding up
    would leave the last fragment empty). The last takes the rest and is
    padded to even length when written.
    """
    if nr_fragments < 1:
        raise DicomValueError(f"nr_fragments must be at least 1, not {nr_fragments}")
    if frame_length == 0:
        raise DicomValueError("a frame to encapsulate must not be empty")
    # With fewer bytes than this, some fragment would hold under 2 bytes.
    if frame_length < 2 * nr_fragments - 1:
        raise DicomValueError(
            f"cannot split a {frame_length}-byte frame into {nr_fragments} "
            "fragments: each fragment needs at least 2 bytes"
        )
    per_fragment = frame_length // nr_fragments
    size = per_fragment + per_fragment % 2
    last = frame_length - size * (nr_fragments - 1)
    if last < 1:
        # Rounding up left nothing for the last fragment; rounding down
        # leaves it at least ``per_fragment`` (>= 2 here) bytes.
        size = per_fragment - per_fragment % 2
        last = frame_length - size * (nr_fragments - 1)
    sizes = [size] * (nr_fragments - 1) + [last]
    if last + last % 2 > _MAX_ITEM_LENGTH or size > _MAX_ITEM_LENGTH:
        raise DicomValueError(
            f"a {frame_length}-byte frame in {nr_fragments} fragment(s) needs "
            "an item longer than the 32-bit item length allows "
            f"({_MAX_ITEM_LENGTH} bytes); use more fragments per frame"
        )
    return sizes


def fragment_frame(
    frame: bytes | bytearray | memoryview, nr_fragments: int = 1
) -> Iterator[bytes]:
    """Yield ``frame`` split into ``nr_fragments`` fragments of even length.

    All fragments but the last have the same even size; the last holds the
    rest, padded with one trailing ``0x00`` when odd (PS3.5 A.4: fragments
    are of even length, at least 2 bytes).
    """
    view = memoryview(frame).cast("B")
    position = 0
    for size in _fragment_sizes(view.nbytes, nr_fragments):
        fragment = bytes(view[position : position + size])
        position += size
        yield fragment + b"\x00" if size % 2 else fragment


def itemize_fragment(fragment: bytes | bytearray | memoryview) -> bytes:
    """``fragment`` as an item: (FFFE,E000), 32-bit length, value.

    An odd-length fragment is padded with a trailing ``0x00``.
    """
    value = bytes(fragment)
    if len(value) % 2:
        value += b"\x00"
    if len(value) > _MAX_ITEM_LENGTH:
        raise DicomValueError(
            f"a {len(value)}-byte fragment exceeds the 32-bit item length limit"
        )
    return _ITEM_HEADER.pack(0xFFFE, 0xE000, len(value)) + value


def itemize_frame(
    frame: bytes | bytearray | memoryview, nr_fragments: int = 1
) -> Iterator[bytes]:
    """Yield ``frame`` as ``nr_fragments`` items (see :func:`fragment_frame`)."""
    for fragment in fragment_frame(frame, nr_fragments):
        yield itemize_fragment(fragment)


def encapsulate(
    frames: Sequence[bytes | bytearray | memoryview],
    fragments_per_frame: int = 1,
    has_bot: bool = True,
) -> bytes:
    """Encapsulate encoded ``frames`` as the value of Pixel Data (7FE0,0010).

    The result is the Basic Offset Table item (with one offset per frame when
    ``has_bot``, else empty), each frame as ``fragments_per_frame`` fragment
    items (a frame's last fragment padded with ``0x00`` to even length), and
    the Sequence Delimitation Item that ends the undefined-length value::

        ds.PixelData = encapsulate([frame_1, frame_2])

    The Basic Offset Table holds 32-bit offsets: when a frame would start past
    byte 2**32 - 1 of the fragments, :class:`~dicomcore.errors.DicomValueError`
    is raised before anything is built; use :func:`encapsulate_extended` (and
    the Extended Offset Table) instead.

    Unlike ``pydicom.encaps.encapsulate``, the value ends with the Sequence
    Delimitation Item.
    """
    if not frames:
        raise DicomValueError("encapsulate() needs at least one frame")
    # Plan every item before copying any byte, so that an impossible offset
    # fails at once, without building gigabytes first.
    frame_offsets: list[int] = []
    position = 0
    for frame in frames:
        frame_offsets.append(position)
        sizes = _fragment_sizes(_nbytes(frame), fragments_per_frame)
        position += sum(size + size % 2 + _HEADER_LENGTH for size in sizes)
    if has_bot and frame_offsets[-1] > _MAX_BASIC_OFFSET:
        frame_index = next(
            i for i, offset in enumerate(frame_offsets) if offset > _MAX_BASIC_OFFSET
        )
        raise DicomValueError(
            f"frame {frame_index} would start at byte {frame_offsets[frame_index]} "
            "of the fragments, past the Basic Offset Table's 32-bit limit "
            f"({_MAX_BASIC_OFFSET}); use encapsulate_extended() and the Extended "
            "Offset Table, or has_bot=False"
        )
    table = struct.pack(f"<{len(frame_offsets)}L", *frame_offsets) if has_bot else b""
    parts: list[bytes | memoryview] = [itemize_fragment(table)]
    # Headers and zero-copy slices, joined once: the frames are copied once.
    for frame in frames:
        view = memoryview(frame).cast("B")
        position = 0
        for size in _fragment_sizes(view.nbytes, fragments_per_frame):
            parts.append(_ITEM_HEADER.pack(0xFFFE, 0xE000, size + size % 2))
            parts.append(view[position : position + size])
            if size % 2:
                parts.append(b"\x00")
            position += size
    parts.append(_SEQUENCE_DELIMITER)
    return b"".join(parts)


def encapsulate_extended(
    frames: Sequence[bytes | bytearray | memoryview],
) -> tuple[bytes, bytes, bytes]:
    """Encapsulate ``frames`` with an empty Basic Offset Table and return the
    Extended Offset Table values with it.

    Returns ``(pixel_data, extended_offset_table, extended_offset_table_lengths)``
    for Pixel Data (7FE0,0010), Extended Offset Table (7FE0,0001) and Extended
    Offset Table Lengths (7FE0,0002). Each frame is one fragment (PS3.3
    C.7.6.3.1.8 requires it); its offset is that of its item tag from the first
    item after the Basic Offset Table, and its length the fragment's Item
    Length (the frame padded to even length). Both tables are 64-bit little
    endian, one entry per frame::

        pixel_data, offsets, lengths = encapsulate_extended(frames)
        ds.PixelData = pixel_data
        ds.ExtendedOffsetTable = offsets
        ds.ExtendedOffsetTableLengths = lengths
    """
    if not frames:
        raise DicomValueError("encapsulate_extended() needs at least one frame")
    lengths: list[int] = []
    offsets: list[int] = []
    position = 0
    for frame in frames:
        (size,) = _fragment_sizes(_nbytes(frame), 1)
        offsets.append(position)
        lengths.append(size + size % 2)
        position += _HEADER_LENGTH + lengths[-1]
    pixel_data = encapsulate(frames, has_bot=False)
    return (
        pixel_data,
        struct.pack(f"<{len(offsets)}Q", *offsets),
        struct.pack(f"<{len(lengths)}Q", *lengths),
    )
