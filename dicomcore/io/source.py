"""Byte ranges of a file wherever its bytes are, read only where asked.

A local path is memory-mapped by the reader; everything else (an open file,
a ``BytesIO``, an fsspec file object, an object in S3 or on an HTTP server)
is a :class:`RangeSource`: a size and ``read(offset, size)``.  Reading a file
from one costs, in order,

1. the header, fetched in growing blocks (64 KiB, then each block as large as
   all before it) until the Pixel Data element's header is in hand;
2. for encapsulated data, the end of the value: from the Extended Offset
   Table, the Basic Offset Table's last entry, the object's last 8 bytes (a
   Sequence Delimitation Item), or else a walk over the item headers in
   blocks of at least 64 KiB;
3. then, when pixels are wanted, the offset tables and the frames asked for
   (see :mod:`dicomcore.pixels.frames`).

The Pixel Data value stays a :class:`StreamValue` in the dataset, which also
keeps the frame index once built, so a second frame costs one read.
"""

from __future__ import annotations

import struct
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, BinaryIO

from dicomcore import config
from dicomcore.errors import InvalidDicomError, LimitError, StorageError

__all__ = [
    "FileObjectSource",
    "RangeFile",
    "RangeSource",
    "StreamValue",
    "blocks_key",
    "read_lazily",
]

#: Smallest read made of a source for headers and item headers.
BLOCK_SIZE = 64 * 1024
#: Elements after Pixel Data (trailing padding, a digital signature) are
#: read when they take at most this many bytes; larger ones are left out
#: with a warning.
TRAILING_LIMIT = 1024 * 1024

_UNDEFINED = 0xFFFFFFFF
_ITEM = 0xFFFEE000
_ITEM_DELIMITER = 0xFFFEE00D
_SEQUENCE_DELIMITER = 0xFFFEE0DD
_PIXEL_TAGS = frozenset({0x7FE00010, 0x7FE00008, 0x7FE00009})
_EXTENDED_OFFSET_TABLE = 0x7FE00001
_EXTENDED_OFFSET_TABLE_LENGTHS = 0x7FE00002
_LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())
_ITEM_HEADER = struct.Struct("<HHL")
_DELIMITER_BYTES = _ITEM_HEADER.pack(0xFFFE, 0xE0DD, 0)
_TRANSFER_SYNTAX_TAG = 0x00020010


class RangeSource:
    """A file's bytes by offset: ``size`` and ``read(offset, size)``.

    ``read_many`` fetches several ranges; sources that can fetch them
    concurrently (fsspec) override it.  ``name`` says where the bytes are,
    for messages.
    """

    name: str = "<file object>"
    size: int = 0

    def read(self, offset: int, size: int) -> bytes:
        raise NotImplementedError

    def read_many(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """The bytes of each ``(offset, size)`` in ``ranges``."""
        return [self.read(offset, size) for offset, size in ranges]

    def read_into(self, offset: int, buffer: memoryview) -> None:
        """Fill ``buffer`` with the bytes at ``offset``."""
        buffer[:] = self.read(offset, buffer.nbytes)

    def _short(self, offset: int, wanted: int, got: int) -> StorageError:
        return StorageError(
            f"{self.name}: {wanted} bytes wanted at offset {offset}, {got} "
            f"available (the object is {self.size} bytes)"
        )


class FileObjectSource(RangeSource):
    """A seekable binary file object, from its position when given.

    Reads hold a lock, since a frame may be asked for from several threads
    and each read is a seek then a read.  The file object stays the caller's:
    it is never closed here.  When the caller has closed it and it was a
    file on disk of the same size, that file is opened again by name.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.start = handle.tell()
        handle.seek(0, 2)
        self.size = handle.tell() - self.start
        handle.seek(self.start)
        name = getattr(handle, "name", None)
        self.path = name if isinstance(name, str) else None
        self.name = repr(self.path) if self.path else type(handle).__name__
        self.lock = threading.Lock()

    def _open_handle(self) -> BinaryIO:
        if not getattr(self.handle, "closed", False):
            return self.handle
        if self.path is not None:
            try:
                reopened = open(self.path, "rb")  # noqa: SIM115 - kept as the handle
                reopened.seek(0, 2)
                if reopened.tell() == self.start + self.size:
                    self.handle = reopened
                    return reopened
                reopened.close()
            except OSError:
                pass
        raise StorageError(
            f"{self.name} was closed before its Pixel Data was read; keep the "
            "file object open while using the dataset, or read from a path"
        )

    def read(self, offset: int, size: int) -> bytes:
        with self.lock:
            handle = self._open_handle()
            handle.seek(self.start + offset)
            data = handle.read(size)
        if len(data) != size:
            raise self._short(offset, size, len(data))
        return data

    def read_into(self, offset: int, buffer: memoryview) -> None:
        with self.lock:
            handle = self._open_handle()
            handle.seek(self.start + offset)
            readinto = getattr(handle, "readinto", None)
            got = readinto(buffer) if readinto is not None else None
        if got is None:
            super().read_into(offset, buffer)
        elif got != buffer.nbytes:
            raise self._short(offset, buffer.nbytes, got)


def blocks_key() -> tuple[str, int]:
    """Where a thread's :class:`RangeFile` is kept in ``StreamValue.index``:
    one per thread, since a seek and a read must not interleave."""
    return ("blocks", threading.get_ident())


class StreamValue:
    """A value left in a :class:`RangeSource`: ``length`` bytes at ``offset``.

    ``index`` keeps what the frame source learnt about the value (offset
    tables, fragment positions), so that it is learnt once per dataset, and
    each thread's blocks (:func:`blocks_key`).

    The length of encapsulated Pixel Data may be left to find
    (``find_length``) until something needs it: frames found through an
    offset table never do.
    """

    def __init__(
        self,
        source: RangeSource,
        offset: int,
        length: int | None,
        find_length: Callable[[], int] | None = None,
    ) -> None:
        self.source = source
        self.offset = offset
        self._length = length
        self._find_length = find_length
        self.index: dict[Any, Any] = {}

    @property
    def length(self) -> int:
        if self._length is None:
            assert self._find_length is not None, "a length or a way to find it"
            self._length = self._find_length()
        return self._length

    @property
    def length_known(self) -> bool:
        return self._length is not None

    def load(self) -> bytes:
        return self.source.read(self.offset, self.length)

    def __bytes__(self) -> bytes:
        return self.load()

    def __deepcopy__(self, memo: dict[int, Any]) -> StreamValue:
        # The bytes it stands for never change: copies may share it.
        return self

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        # A file object or a connection cannot travel: a pickled dataset
        # carries the value's bytes instead.
        return bytes, (self.load(),)

    def __repr__(self) -> str:
        return (
            f"StreamValue({self.source.name}, offset={self.offset}, "
            f"length={self.length})"
        )


class RangeFile:
    """A read-only file object over a :class:`RangeSource`, for code that
    seeks and reads (the encapsulation index).

    A small read (an item header, up to ``SMALL_READ`` bytes) fetches
    ``block_size`` bytes and keeps them, so walking item headers costs one
    fetch per block, not one per item; a larger read (a frame) fetches just
    its bytes, unless it begins where the previous read ended: reading frame
    after frame then fetches ahead, 1 MiB and doubling up to 16 MiB, so that
    iterating over a file costs a few requests, not one per frame.
    ``close`` lets go of the kept blocks only.
    """

    SMALL_READ = 64
    FIRST_AHEAD = 1024 * 1024
    MAX_AHEAD = 16 * 1024 * 1024

    def __init__(self, source: RangeSource, block_size: int = BLOCK_SIZE) -> None:
        self.source = source
        self.block_size = block_size
        self.position = 0
        # (offset, bytes) of the blocks kept, newest last; a few suffice since
        # reads move forwards.
        self.blocks: list[tuple[int, bytes]] = []
        self.last_end = -1
        self.ahead = self.FIRST_AHEAD
        #: False where reads are scattered by design (one frame per task).
        self.read_ahead = True

    def keep(self, offset: int, data: bytes) -> None:
        """Remember bytes already fetched (the header block)."""
        self.blocks.append((offset, data))
        del self.blocks[:-4]

    def cached(self, offset: int, size: int) -> bytes | None:
        """The ``size`` bytes at ``offset`` when a kept block holds them all."""
        for start, data in reversed(self.blocks):
            if start <= offset and offset + size <= start + len(data):
                return data[offset - start : offset - start + size]
        return None

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 1:
            offset += self.position
        elif whence == 2:
            offset += self.source.size
        self.position = offset
        return offset

    def tell(self) -> int:
        return self.position

    def read(self, size: int = -1) -> bytes:
        start = self.position
        if size < 0:
            size = self.source.size - start
        size = min(size, self.source.size - start)
        if size <= 0 or start < 0:
            # Past the end (a value cut short): the caller sees no bytes.
            return b""
        end = start + size
        sequential = start == self.last_end and self.read_ahead
        self.last_end = end
        for offset, data in reversed(self.blocks):
            if offset <= start and end <= offset + len(data):
                self.position = end
                return data[start - offset : end - offset]
        if size > self.SMALL_READ and sequential:
            fetched = self.source.read(
                start, min(max(size, self.ahead), self.source.size - start)
            )
            self.ahead = min(2 * self.ahead, self.MAX_AHEAD)
            self.keep(start, fetched)
            data = fetched[:size]
        elif size > self.SMALL_READ:
            self.ahead = self.FIRST_AHEAD
            data = self.source.read(start, size)
        else:
            fetched = self.source.read(
                start, min(self.block_size, self.source.size - start)
            )
            self.keep(start, fetched)
            data = fetched[:size]
        self.position = end
        return data

    def close(self) -> None:
        self.blocks.clear()


class _Prefix:
    """The first bytes of a source, grown by blocks as a walk needs more."""

    def __init__(self, source: RangeSource) -> None:
        self.source = source
        self.data = bytearray()

    def ensure(self, end: int) -> bool:
        """Have bytes up to ``end``; False when the source is shorter."""
        if end <= len(self.data):
            return True
        if end > self.source.size:
            return False
        have = len(self.data)
        block = max(end - have, BLOCK_SIZE, have)
        self.data += self.source.read(have, min(block, self.source.size - have))
        return True

    def need(self, end: int, what: str) -> None:
        if not self.ensure(end):
            raise InvalidDicomError(
                f"{self.source.name} ends inside {what}", offset=len(self.data)
            )


class _Walker:
    """Steps over the elements of a dataset's header, reading no values."""

    def __init__(self, prefix: _Prefix, implicit_vr: bool, little_endian: bool):
        self.prefix = prefix
        self.implicit_vr = implicit_vr
        self.endian = "<" if little_endian else ">"
        self.max_depth = config.limits.max_sequence_depth

    def header(self, position: int) -> tuple[int, bytes | None, int, int]:
        """(tag, VR, length, value position) of the element at ``position``."""
        prefix = self.prefix
        prefix.need(position + 8, "an element header")
        data = prefix.data
        group, element = struct.unpack_from(self.endian + "HH", data, position)
        tag = group << 16 | element
        if self.implicit_vr or group == 0xFFFE:
            (length,) = struct.unpack_from(self.endian + "L", data, position + 4)
            return tag, None, length, position + 8
        vr = bytes(data[position + 4 : position + 6])
        if vr in _LONG_VRS:
            prefix.need(position + 12, "an element header")
            (length,) = struct.unpack_from(self.endian + "L", data, position + 8)
            return tag, vr, length, position + 12
        (length,) = struct.unpack_from(self.endian + "H", data, position + 6)
        return tag, vr, length, position + 8

    def skip_sequence(self, position: int, depth: int) -> int:
        """Past the Sequence Delimitation Item of a sequence of undefined
        length whose first item is at ``position``."""
        if depth > self.max_depth:
            raise LimitError(
                f"sequences nested deeper than {self.max_depth}",
                limit="max_sequence_depth",
            )
        while True:
            tag, _, length, value_position = self.header(position)
            if tag == _SEQUENCE_DELIMITER:
                return value_position
            if tag != _ITEM:
                raise InvalidDicomError(
                    "expected an item in a sequence of undefined length",
                    offset=position,
                    tag=tag,
                )
            if length == _UNDEFINED:
                position = self.skip_item(value_position, depth)
            else:
                position = value_position + length

    def skip_item(self, position: int, depth: int) -> int:
        """Past the Item Delimitation Item of an item of undefined length."""
        while True:
            tag, vr, length, value_position = self.header(position)
            if tag == _ITEM_DELIMITER:
                return value_position
            position = self.skip_value(vr, length, value_position, depth)

    def skip_value(
        self, vr: bytes | None, length: int, value_position: int, depth: int
    ) -> int:
        if length != _UNDEFINED:
            return value_position + length
        walker = self
        if vr == b"UN":
            # An undefined-length UN holds implicit VR little endian items.
            walker = _Walker(self.prefix, True, True)
        return walker.skip_sequence(value_position, depth + 1)


class _PixelHeader:
    def __init__(
        self,
        position: int,
        tag: int,
        vr: bytes | None,
        length: int,
        value_position: int,
        implicit_vr: bool,
        little_endian: bool,
    ) -> None:
        self.position = position
        self.tag = tag
        self.vr = vr.decode() if vr is not None else None
        self.length = length
        self.value_position = value_position
        self.implicit_vr = implicit_vr
        self.little_endian = little_endian


def _dataset_start(prefix: _Prefix) -> tuple[int, str | None]:
    """Where the dataset after the File Meta Information begins, and the
    transfer syntax the meta names."""
    data = prefix.data
    position = 0
    if prefix.ensure(132) and data[128:132] == b"DICM":
        position = 132
    elif prefix.ensure(4) and data[:4] == b"DICM":
        position = 4
    transfer_syntax = None
    from dicomcore.io.reader import _VR_FROM_BYTES

    while prefix.ensure(position + 8) and data[position : position + 2] == b"\x02\x00":
        # Meta is explicit VR; some writers used implicit VR, which shows.
        implicit = bytes(data[position + 4 : position + 6]) not in _VR_FROM_BYTES
        tag, _, length, value_position = _Walker(prefix, implicit, True).header(
            position
        )
        if length == _UNDEFINED:
            raise InvalidDicomError(
                "File Meta Information element of undefined length",
                offset=position,
                tag=tag,
            )
        if tag == _TRANSFER_SYNTAX_TAG:
            prefix.need(value_position + length, "the Transfer Syntax UID")
            transfer_syntax = (
                bytes(data[value_position : value_position + length])
                .decode("ascii", "replace")
                .strip("\x00 ")
            )
        position = value_position + length
    return position, transfer_syntax


def _find_pixel_data(prefix: _Prefix) -> _PixelHeader | str | None:
    """The top-level Pixel Data element's header, None when there is none,
    or ``"deflated"`` for a deflated dataset (readable only whole)."""
    from dicomcore.io.reader import _guess_encoding

    position, transfer_syntax = _dataset_start(prefix)
    if transfer_syntax == "1.2.840.10008.1.2.1.99":
        return "deflated"
    prefix.ensure(position + 8)
    size = len(prefix.data)
    guessed_implicit, guessed_little = _guess_encoding(prefix.data, position, size)
    # As the reader decides: the transfer syntax, unless an explicit VR one
    # labels data that is plainly implicit VR.
    if transfer_syntax == "1.2.840.10008.1.2":
        implicit_vr, little_endian = True, True
    elif transfer_syntax == "1.2.840.10008.1.2.2":
        implicit_vr, little_endian = False, False
    elif transfer_syntax:
        implicit_vr, little_endian = False, True
    else:
        implicit_vr, little_endian = guessed_implicit, guessed_little
    if transfer_syntax and not implicit_vr and guessed_implicit:
        implicit_vr = True
    walker = _Walker(prefix, implicit_vr, little_endian)
    while prefix.ensure(position + 8):
        tag, vr, length, value_position = walker.header(position)
        if tag in _PIXEL_TAGS:
            return _PixelHeader(
                position, tag, vr, length, value_position, implicit_vr, little_endian
            )
        position = walker.skip_value(vr, length, value_position, 0)
    return None


def _encapsulated_end(
    source: RangeSource, blocks: RangeFile, start: int, extended: tuple[Any, Any]
) -> int:
    """Where the Sequence Delimitation Item ending encapsulated Pixel Data
    (whose Basic Offset Table item is at ``start``) is, reading as little as
    the tables allow."""

    def item_at(position: int) -> tuple[int, int]:
        blocks.seek(position)
        header = blocks.read(8)
        if len(header) != 8:
            raise InvalidDicomError(
                "encapsulated Pixel Data is not terminated", offset=start
            )
        group, element, length = _ITEM_HEADER.unpack(header)
        return group << 16 | element, length

    tag, table_length = item_at(start)
    if tag != _ITEM or table_length == _UNDEFINED or table_length % 4:
        raise InvalidDicomError(
            "encapsulated Pixel Data must begin with the Basic Offset Table item",
            offset=start,
            tag=tag,
        )
    # Pixel Data is nearly always the last element: then the object's last
    # 8 bytes are the delimiter, and one small read ends the search.
    if source.size - 8 > start and source.read(source.size - 8, 8) == _DELIMITER_BYTES:
        return source.size - 8
    origin = start + 8 + table_length
    walk_from = origin
    offsets, _ = extended
    if offsets is not None and len(offsets) >= 8:
        last = struct.unpack_from("<Q", bytes(offsets), len(offsets) - 8)[0]
        walk_from = origin + last
    elif table_length:
        blocks.seek(origin - 4)
        walk_from = origin + struct.unpack("<L", blocks.read(4))[0]
    position = walk_from
    limit = config.limits.max_fragments
    for _ in range(limit + 1):
        tag, length = item_at(position)
        if tag == _SEQUENCE_DELIMITER:
            return position
        if tag != _ITEM or length == _UNDEFINED:
            if walk_from != origin:
                # A table that points nowhere: walk every item instead.
                position = walk_from = origin
                continue
            raise InvalidDicomError(
                "expected a fragment item in encapsulated Pixel Data",
                offset=position,
                tag=tag,
            )
        position += 8 + length
    raise LimitError(
        f"encapsulated Pixel Data holds more than {limit} fragments",
        limit="max_fragments",
    )


def read_lazily(
    source: RangeSource,
    *,
    force: bool = False,
    stop_before_pixels: bool = False,
    specific_tags: Iterable[Any] | None = None,
    filename: str | None = None,
) -> Any:
    """dcmread of a :class:`RangeSource`: the header and, unless stopped
    before them, the pixels as a :class:`StreamValue` (not read yet)."""
    from dicomcore.dataelem import RawDataElement
    from dicomcore.io.reader import _Parser, _read_buffer, _Source, _wanted_tags

    if source.size == 0:
        raise InvalidDicomError(f"{source.name} is empty", offset=0)
    prefix = _Prefix(source)
    found = _find_pixel_data(prefix)
    if found == "deflated" or found is None:
        # No pixels to leave behind (or none reachable without inflating).
        prefix.ensure(source.size)
        return _read_buffer(
            bytes(prefix.data),
            source.size,
            _Source(None, None),
            force,
            stop_before_pixels,
            specific_tags,
            filename,
        )
    assert isinstance(found, _PixelHeader)
    header = bytes(prefix.data[: found.position])
    dataset = _read_buffer(
        header,
        len(header),
        _Source(None, None),
        force,
        False,
        specific_tags,
        filename,
    )
    wanted = _wanted_tags(specific_tags)
    if stop_before_pixels:
        if isinstance(source, FileObjectSource):
            # As pydicom: the caller's file object is left at the Pixel Data
            # element's tag.
            source.handle.seek(source.start + found.position)
        return dataset
    blocks = RangeFile(source)
    blocks.keep(0, bytes(prefix.data))
    undefined = found.length == _UNDEFINED
    if undefined:
        extended = (
            _raw_bytes(dataset, _EXTENDED_OFFSET_TABLE),
            _raw_bytes(dataset, _EXTENDED_OFFSET_TABLE_LENGTHS),
        )

        def find_length() -> int:
            end = _encapsulated_end(source, blocks, found.value_position, extended)
            return end - found.value_position

        if wanted is not None and max(wanted) <= found.tag:
            # Nothing after Pixel Data is wanted (pixel_array of a file
            # reads so): where the value ends is found only if needed.
            value = StreamValue(source, found.value_position, None, find_length)
            value.index[blocks_key()] = blocks
            dataset._dict[found.tag] = RawDataElement(
                found.tag,
                found.vr or "OB",
                _UNDEFINED,
                value,
                found.value_position,
                found.implicit_vr,
                found.little_endian,
                True,
            )
            return dataset
        length = find_length()
        after = found.value_position + length + 8
    else:
        length = found.length
        after = found.value_position + length
        if after > source.size:
            raise InvalidDicomError(
                f"element value of length {length} runs past the end of the data",
                offset=found.position,
                tag=found.tag,
            )
    value = StreamValue(source, found.value_position, length)
    value.index[blocks_key()] = blocks
    if wanted is None or found.tag in wanted:
        dataset._dict[found.tag] = RawDataElement(
            found.tag,
            found.vr or ("OB" if undefined else None),
            length,
            value,
            found.value_position,
            found.implicit_vr,
            found.little_endian,
            undefined,
        )
    trailing = source.size - after
    if trailing > TRAILING_LIMIT:
        warnings.warn(
            f"{source.name}: {trailing} bytes after Pixel Data were not read "
            f"(more than {TRAILING_LIMIT})",
            stacklevel=3,
        )
    elif trailing > 0:
        parser = _Parser(
            source.read(after, trailing),
            implicit_vr=found.implicit_vr,
            little_endian=found.little_endian,
            source=_Source(None, None),
            wanted=wanted,
            base_offset=after,
        )
        parser.parse(dataset, 0, trailing)
    return dataset


def _raw_bytes(dataset: Any, tag: int) -> bytes | None:
    element = dataset._dict.get(tag)
    if element is None:
        return None
    value = element.value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return None
