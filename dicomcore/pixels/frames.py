"""Frame sources: the bytes of frame ``k`` without reading the other frames.

Native data is cut by offset: read from the file when the pixel element was
left there (``DataElement.deferred_source``), each read landing in the
buffer the array keeps, else a ``memoryview`` of the value in memory, so a
frame is never copied on its way to the codec.  The file is never mapped:
an array viewing a map of a file that another process then truncates
faults (SIGBUS) when read, which no Python code can catch.

Encapsulated data is indexed with :mod:`dicomcore.io.encapsulation` (Basic
Offset Table, Extended Offset Table, or a scan of the fragments) and only the
frame's fragments are read.

Pixel Data read from a file object or a URL (a
:class:`~dicomcore.io.source.StreamValue`) is cut the same way: a native
frame is one ranged read; an encapsulated frame costs the offset tables
once (kept on the value, so once per dataset) and then one read.

Many frames of such a value (``iter_pixels``, a whole ``pixel_array``) are
fetched in batches: :func:`batched_frames` looks ahead over the frames to
decode, collects their byte ranges up to ``BATCH_BYTES``, fetches them with
one ``read_many`` (concurrent, neighbours merged) and hands each frame over
from memory, so memory holds one batch and the request count is about the
frames' bytes over ``BATCH_BYTES``, not the number of frames.

A source also checks the length of native data against the layout: too
little is a :class:`~dicomcore.errors.PixelDataError`, more than the frames
need is a warning and the excess is ignored.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, BinaryIO, Final, Protocol

import numpy as np

from dicomcore.dataelem import RawDataElement
from dicomcore.errors import InvalidDicomError, PixelDataError
from dicomcore.io.deferred import FileValue
from dicomcore.io.encapsulation import (
    Fragment,
    generate_fragments,
    index_fragments,
    join_items,
    parse_basic_offsets,
    read_frame,
)
from dicomcore.io.encapsulation import read_fragment as _read_fragment
from dicomcore.io.reader import open_for_reading
from dicomcore.io.source import (
    BLOCK_SIZE,
    RangeFile,
    RangeSource,
    StreamValue,
    blocks_key,
)
from dicomcore.pixels.layout import PIXEL_TAGS, PixelLayout, undecoded_elements
from dicomcore.pixels.steps import realign_bits, swap_unit

__all__ = [
    "BATCH_BYTES",
    "NATIVE_TRANSFER_SYNTAXES",
    "EncapsulatedFrames",
    "FrameSource",
    "NativeFrames",
    "open_frames",
]

#: Transfer syntaxes whose Pixel Data is native (not encapsulated).
NATIVE_TRANSFER_SYNTAXES: Final = frozenset(
    {
        "1.2.840.10008.1.2",  # Implicit VR Little Endian
        "1.2.840.10008.1.2.1",  # Explicit VR Little Endian
        "1.2.840.10008.1.2.1.99",  # Deflated Explicit VR Little Endian
        "1.2.840.10008.1.2.2",  # Explicit VR Big Endian (retired)
    }
)
#: Frames of a value in a range source are fetched this many bytes at a time.
BATCH_BYTES = 16 * 1024 * 1024
# An item's tag and length, little endian (PS3.5 A.4): (FFFE,E000) read as
# one 32-bit value is 0xE000FFFE.
_ITEM_HEADER: Final = struct.Struct("<II")
_ITEM_TAG: Final = 0xE000FFFE
_EXTENDED_OFFSET_TABLE: Final = "ExtendedOffsetTable"
_EXTENDED_OFFSET_TABLE_LENGTHS: Final = "ExtendedOffsetTableLengths"


class FrameSource(Protocol):
    """Where the frames of one pixel element come from."""

    #: The layout to hand the decoder with each frame.
    layout: PixelLayout

    def frame(self, index: int) -> bytes | memoryview:
        """The bytes of frame ``index``: native, or the fragments joined."""
        ...

    def close(self) -> None:
        """Let go of the file or map (arrays viewing it stay valid)."""
        ...


class _MemoryBytes:
    """A pixel value in memory: zero-copy slices."""

    def __init__(self, value: memoryview, owned: bool = False) -> None:
        self.value = value
        self.length = len(value)
        #: Slices view ``value``: an array made from one is copied to keep,
        #: unless the value is a buffer read for this source alone.
        self.owned = owned

    def read(self, offset: int, size: int) -> memoryview:
        return self.value[offset : offset + size]

    def close(self) -> None:
        # Arrays made from slices hold their own exports of the value.
        try:
            self.value.release()
        except BufferError:
            pass


_preadv = getattr(os, "preadv", None)


class _FileBytes:
    """A pixel value left in its file: each read lands in a new buffer.

    One ``readinto`` per read, straight into the buffer the caller keeps: the
    frame's bytes are copied once, from the page cache, and no map has to
    be set up and torn down for a file read once.
    """

    #: Each read is a new buffer nobody else sees: arrays viewing it are kept.
    owned = True

    def __init__(self, file_value: FileValue) -> None:
        self.file_value = file_value
        self.length = file_value.length
        # A bare descriptor: each read goes from the page cache into the
        # caller's buffer, with no file object or buffer in between.
        try:
            self.descriptor, stat = open_for_reading(file_value.path)
        except OSError:
            file_value.check_unchanged()  # the error naming what happened
            raise
        try:
            file_value.check_unchanged(stat)
        except BaseException:
            os.close(self.descriptor)
            raise

    def read_into(self, offset: int, buffer: memoryview) -> None:
        position = self.file_value.offset + offset
        if _preadv is not None:
            # One system call, the file position untouched.
            got = _preadv(self.descriptor, [buffer], position)
        else:
            # A file object over the same descriptor, left open by it.
            with open(self.descriptor, "rb", buffering=0, closefd=False) as handle:
                handle.seek(position)
                got = handle.readinto(buffer)
        if got != buffer.nbytes:
            raise PixelDataError(
                f"'{self.file_value.path}' ended inside its Pixel Data value: "
                f"{buffer.nbytes} bytes wanted at offset "
                f"{self.file_value.offset + offset}, {got} read"
            )

    def read(self, offset: int, size: int) -> memoryview:
        buffer = np.empty(size, np.uint8).data
        self.read_into(offset, buffer)
        return buffer

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1


class _RangeBytes:
    """A pixel value in a range source (a file object, an object in storage):
    each read is one ranged fetch into a new buffer."""

    owned = True
    #: Whole images are fetched in parts this large, concurrently where the
    #: source can.
    part_size = 16 * 1024 * 1024

    def __init__(self, value: StreamValue) -> None:
        self.stream_value = value
        self.length = value.length

    def read_into(self, offset: int, buffer: memoryview) -> None:
        start = self.stream_value.offset + offset
        source = self.stream_value.source
        size = buffer.nbytes
        if size <= self.part_size:
            source.read_into(start, buffer)
            return
        ranges = [
            (start + part, min(self.part_size, size - part))
            for part in range(0, size, self.part_size)
        ]
        for (part_start, _), data in zip(ranges, source.read_many(ranges), strict=True):
            buffer[part_start - start : part_start - start + len(data)] = data

    def read(self, offset: int, size: int) -> memoryview:
        # Through the value's blocks: frame after frame reads ahead.
        blocks = _blocks(self.stream_value)
        blocks.seek(self.stream_value.offset + offset)
        data = blocks.read(size)
        if len(data) != size:
            raise PixelDataError(
                f"{self.stream_value.source.name} ended inside its Pixel Data"
            )
        buffer = np.empty(size, np.uint8)
        buffer[:] = np.frombuffer(data, np.uint8)
        return buffer.data

    def close(self) -> None:
        pass


def _blocks(value: StreamValue) -> RangeFile:
    """This thread's blocks kept for ``value`` (the header's among them,
    in the thread that read it)."""
    key = blocks_key()
    blocks = value.index.get(key)
    if not isinstance(blocks, RangeFile):
        blocks = value.index[key] = RangeFile(value.source, BLOCK_SIZE)
    blocks.read_ahead = value.index.get("read_ahead", True)
    return blocks


class NativeFrames:
    """Frames of native data, frame ``k`` at ``k * frame_length`` in the value.

    From memory each frame is a zero-copy slice; from a file each is read
    into a new buffer (never mapped, ``view_only`` or not).  For 1-bit
    data whose frames begin inside a byte, the frame's bits are realigned
    (a copy of that frame only).
    """

    def __init__(
        self, data: _MemoryBytes | _FileBytes | _RangeBytes, layout: PixelLayout
    ) -> None:
        self.layout = layout
        self.data = data
        self.frame_bits = layout.frame_length_bits
        self.frame_bytes = layout.frame_length
        unit = swap_unit(layout)
        if unit > 1 and self.frame_bytes % unit:
            # 8-bit or 1-bit big endian data written as OW: the swapped words
            # straddle frame boundaries, so no frame can be cut alone.  Swap
            # the whole value back to stream order once (this retired syntax
            # with this VR is rare enough not to matter) and hand the decoder
            # plain bytes.
            usable = data.length - data.length % unit
            words = np.frombuffer(data.read(0, usable), f">u{unit}")
            data.close()
            self.data = _MemoryBytes(words.astype(f"<u{unit}").data.cast("B"))
            self.layout = replace(layout, pixel_vr="OB")

    @property
    def owned(self) -> bool:
        """True when each frame is a new buffer (arrays viewing it may be kept)."""
        return self.data.owned or self.frame_bits % 8 != 0

    @property
    def regular(self) -> bool:
        """True when frame ``k`` is the slice at ``k * frame_length`` of the value."""
        return self.frame_bits % 8 == 0

    @property
    def value(self) -> memoryview | None:
        """The whole value, when it is in memory."""
        return self.data.value if isinstance(self.data, _MemoryBytes) else None

    def available_frames(self) -> int:
        """Whole frames the value holds."""
        return (self.data.length * 8) // self.frame_bits

    def check_length(self, frames_needed: int, whole: bool) -> None:
        """Raise if fewer than ``frames_needed`` frames are there.

        ``frames_needed`` is Number of Frames for a whole image, ``k + 1`` for
        frame ``k`` alone.  When ``whole``, also warn about data beyond Number
        of Frames (and the padding byte), which is ignored.
        """
        layout = self.layout
        have = self.data.length
        need = -(-frames_needed * self.frame_bits // 8)
        if have < need:
            raise PixelDataError(
                f"Pixel Data is too short: {frames_needed} frame(s) of "
                f"{_describe(layout)} need {need} bytes but the value holds {have}"
            )
        if not whole:
            return
        padded = need + need % 2
        if have > padded:
            extra_frames = (have * 8) // self.frame_bits - layout.number_of_frames
            detail = (
                f", room for {extra_frames} more frame(s) than Number of Frames"
                if extra_frames > 0
                else ""
            )
            warnings.warn(
                f"Pixel Data holds {have} bytes but Number of Frames "
                f"({layout.number_of_frames}) of {_describe(layout)} need only "
                f"{need}{detail}; the excess is ignored",
                UserWarning,
                stacklevel=5,
            )

    def frame(self, index: int) -> memoryview:
        if self.frame_bits % 8:
            first_bit = index * self.frame_bits
            start = first_bit // 8
            span = (first_bit % 8 + self.frame_bits + 7) // 8
            chunk = self.data.read(start, span)
            return realign_bits(chunk, first_bit % 8, self.frame_bits).data
        return self.data.read(index * self.frame_bytes, self.frame_bytes)

    @property
    def range_source(self) -> RangeSource | None:
        """The range source frames are fetched from in batches, or None
        (memory, a local file, or frames that begin inside a byte)."""
        if isinstance(self.data, _RangeBytes) and self.regular:
            return self.data.stream_value.source
        return None

    def frame_plan(self, index: int) -> _Plan | None:
        """Frame ``index``'s byte range in :attr:`range_source` and how its
        bytes become the frame's."""
        assert isinstance(self.data, _RangeBytes)
        start = self.data.stream_value.offset + index * self.frame_bytes
        return [(start, self.frame_bytes)], _first_piece

    def own_array(
        self, shape: tuple[int, ...], dtype: np.dtype[Any]
    ) -> np.ndarray | None:
        """Every frame's bytes as an array of ``shape`` viewing the value,
        when the value is a buffer read for this source alone (see
        :class:`_MemoryBytes`) and aligned for ``dtype``; else None."""
        data = self.data
        if not isinstance(data, _MemoryBytes) or not data.owned:
            return None
        count = int(np.prod(shape))
        if data.length < count * dtype.itemsize:
            return None
        array = np.frombuffer(data.value, dtype, count=count)
        if not (array.flags.aligned and array.flags.writeable):
            return None
        return array.reshape(shape)

    def read_frames_into(self, buffer: memoryview) -> bool:
        """Read every frame's bytes into ``buffer`` at once, if from a file.

        For a whole image whose decoded frames are exactly as long as the
        native ones: one read into the output array, which the decoder then
        views in place.  False (nothing read) from memory.
        """
        if not isinstance(self.data, (_FileBytes, _RangeBytes)):
            return False
        self.data.read_into(0, buffer)
        return True

    def close(self) -> None:
        self.data.close()


class EncapsulatedFrames:
    """Frames of encapsulated data: only each frame's fragments are read.

    ``source`` is the value in memory or a binary file open on the file
    holding it, with ``start``/``end`` bounding the value there.

    With an offset table (Basic, or Extended with its lengths) listing every
    frame, frame ``k`` is found from the table alone: only the Basic Offset
    Table and frame ``k``'s items are read, so frame 250 of 500 costs what
    frame 0 does.  Without one, or when the table and the items disagree, the
    fragments are indexed once (item headers only) by
    :func:`~dicomcore.io.encapsulation.index_fragments`, which also reports
    what is wrong.
    """

    def __init__(
        self,
        source: memoryview | BinaryIO,
        layout: PixelLayout,
        start: int,
        end: int,
        extended: tuple[Any, Any],
    ) -> None:
        self.layout = layout
        self.source = source
        self.start = start
        self.end = end
        self.extended = extended
        self._boundaries: list[list[Fragment]] | None = None
        # Where each frame's first item is, from a table, or None to index.
        self._frame_items: list[int] | None = None
        self._frame_lengths: list[int] | None = None
        try:
            self._read_tables()
        except InvalidDicomError:
            self._frame_items = None  # the full index says what is wrong

    def _read(self, offset: int, size: int) -> bytes | memoryview:
        if isinstance(self.source, memoryview):
            return self.source[offset : offset + size]
        readinto = getattr(self.source, "readinto", None)
        self.source.seek(offset)
        if readinto is None:
            return self.source.read(size)
        # Straight into a buffer of this frame's own, which the frame's
        # fragments are then gathered in (see join_items).
        buffer = np.empty(size, np.uint8).data
        try:
            return buffer[: readinto(buffer) or 0]
        except (NotImplementedError, io.UnsupportedOperation):
            self.source.seek(offset)  # a file object without readinto
            return self.source.read(size)

    def _read_tables(self) -> None:
        frames = self.layout.number_of_frames
        if isinstance(self.source, memoryview):
            basic = parse_basic_offsets(self.source[self.start : self.end])
        else:
            self.source.seek(self.start)
            basic = parse_basic_offsets(self.source)
        origin = self.start + 8 + 4 * len(basic)
        offsets, lengths = self.extended
        if offsets is not None and lengths is not None:
            items, sizes = _table(offsets), _table(lengths)
            if len(items) == len(sizes) == frames:
                self._frame_items = [origin + item for item in items]
                self._frame_lengths = sizes
            return
        if len(basic) == frames and basic[0] == 0:
            self._frame_items = [origin + item for item in basic] + [self.end]

    @property
    def boundaries(self) -> list[list[Fragment]]:
        """Every frame's fragments, indexed on first use."""
        if self._boundaries is None:
            source = self.source
            index = index_fragments(source, self.start, self.end)
            offsets, lengths = self.extended

            def fragment_bytes(fragment: Fragment, size: int) -> bytes | memoryview:
                return _read_fragment(source, fragment, size)

            self._boundaries = index.boundaries(
                self.layout.number_of_frames,
                extended_offsets=offsets,
                extended_lengths=lengths,
                fragment_bytes_getter=fragment_bytes,
            )
        return self._boundaries

    def available_frames(self) -> int:
        return len(self.boundaries)

    def _from_table(self, index: int) -> bytes | memoryview | None:
        """Frame ``index`` found through the offset table, or None if it cannot
        be (items not where the table says)."""
        items = self._frame_items
        if items is None:
            return None
        first = items[index]
        try:
            if self._frame_lengths is not None:
                # One fragment per frame; its stated length may leave out
                # the padding byte (PS3.3 C.7.6.3.1.8).
                length = self._frame_lengths[index]
                size = 8 + length + length % 2
                single = self._read_single(first, size, length)
                if single is not None:
                    return single
                return join_items(self._read(first, size))[:length]
            size = items[index + 1] - first
            if size <= 0:
                return None  # entries out of order: let the index say so
            single = self._read_single(first, size)
            if single is not None:
                return single
            span = self._read(first, size)
            return join_items(span, reuse=not isinstance(self.source, memoryview))
        except (InvalidDicomError, ValueError):
            return None

    def _read_single(
        self, first: int, size: int, length: int | None = None
    ) -> bytes | None:
        """From a file, the value of the item at ``first`` when it alone
        fills the ``size`` bytes there: read into the bytes returned, the
        form decoders take without a copy.  Else None (several items, or
        the value is in memory and sliced without a copy anyway)."""
        if isinstance(self.source, memoryview):
            return None
        self.source.seek(first)
        header = self.source.read(8)
        if len(header) != 8:
            return None
        tag, stated = _ITEM_HEADER.unpack(header)
        if tag != _ITEM_TAG or 8 + stated != size:
            return None
        value = self.source.read(stated if length is None else length)
        return value if len(value) == (stated if length is None else length) else None

    def frame(self, index: int) -> bytes | memoryview:
        if self._boundaries is None:
            data = self._from_table(index)
            if data is not None:
                return data
        return read_frame(self.source, self.boundaries, index)

    def close(self) -> None:
        if not isinstance(self.source, memoryview):
            self.source.close()


class StreamEncapsulatedFrames(EncapsulatedFrames):
    """Encapsulated frames of a value in a range source.

    The offset tables and, when needed, the fragment index are kept on the
    :class:`~dicomcore.io.source.StreamValue`, so every pipeline opened on
    the same dataset reuses them.  Item headers are read in blocks of 64
    KiB; a scan of a value without a usable table reads blocks of up to
    1 MiB (a value that small is fetched whole, once).
    """

    scan_block = 1024 * 1024

    def __init__(
        self, value: StreamValue, layout: PixelLayout, extended: tuple[Any, Any]
    ) -> None:
        self.stream_value = value
        self.blocks = blocks = _blocks(value)
        # Where the value ends is needed only for the last frame through a
        # Basic Offset Table; until known, the object's end serves (the
        # fragments stop at the Sequence Delimitation Item).
        end = value.offset + value.length if value.length_known else None
        super().__init__(
            blocks,  # type: ignore[arg-type]  # seek/read/tell is all it uses
            layout,
            value.offset,
            value.source.size if end is None else end,
            extended,
        )

    def _read_tables(self) -> None:
        key = ("tables", self.layout.number_of_frames)
        cached = self.stream_value.index.get(key)
        if cached is None:
            super()._read_tables()
            cached = self.stream_value.index[key] = (
                self._frame_items,
                self._frame_lengths,
            )
        self._frame_items, self._frame_lengths = cached

    @property
    def boundaries(self) -> list[list[Fragment]]:
        if self._boundaries is None:
            key = ("boundaries", self.layout.number_of_frames)
            cached = self.stream_value.index.get(key)
            if cached is None:
                self.blocks.block_size = min(
                    self.scan_block, max(BLOCK_SIZE, self.end - self.start)
                )
                try:
                    cached = EncapsulatedFrames.boundaries.fget(self)  # type: ignore[attr-defined]  # a property
                finally:
                    self.blocks.block_size = BLOCK_SIZE
                self.stream_value.index[key] = cached
            self._boundaries = cached
        return self._boundaries  # type: ignore[return-value]  # set above

    @property
    def range_source(self) -> RangeSource:
        return self.stream_value.source

    def frame_plan(self, index: int) -> _Plan | None:
        """Frame ``index``'s byte ranges (through the offset table, else its
        fragments from the index) and how they become the frame's bytes;
        None to read it alone (a table entry out of order or past the end)."""
        items = self._frame_items
        size_limit = self.stream_value.source.size
        if self._boundaries is None and items is not None:
            first = items[index]
            lengths = self._frame_lengths
            if lengths is not None:
                length = lengths[index]
                span = 8 + length + length % 2
            else:
                span = items[index + 1] - first
            span = min(span, size_limit - first)
            if span <= 0:
                return None

            def from_table(pieces: list[bytes]) -> bytes | None:
                try:
                    if lengths is not None:
                        (fragment,) = generate_fragments(pieces[0])
                        return fragment[: lengths[index]]
                    return b"".join(generate_fragments(pieces[0]))
                except (InvalidDicomError, ValueError):
                    return None

            return [(first, span)], from_table
        fragments = self.boundaries[index]
        if not fragments:
            return None
        ranges = [(fragment.offset, fragment.length) for fragment in fragments]
        if len(ranges) == 1:
            return ranges, _first_piece
        return ranges, b"".join

    def _read_single(
        self, first: int, size: int, length: int | None = None
    ) -> bytes | None:
        return None  # one ranged read of the span costs least here

    def close(self) -> None:
        pass  # the blocks stay with the value; the source is not ours


#: A frame's byte ranges in its range source, and what turns the bytes
#: fetched for them into the frame's bytes (None: read the frame alone).
_Plan = tuple[
    list[tuple[int, int]], Callable[[list[bytes]], "bytes | memoryview | None"]
]


def _first_piece(pieces: list[bytes]) -> memoryview:
    return memoryview(pieces[0])


def batched_frames(
    source: NativeFrames | EncapsulatedFrames, indices: Iterable[int]
) -> Iterator[tuple[int, bytes | memoryview | None]]:
    """Each of ``indices`` with its frame's bytes, fetched in batches when
    ``source`` is a value in a range source; else with None (the caller
    reads the frame as usual, as for a local file).

    A batch is the next frames whose bytes add up to ``BATCH_BYTES`` (one
    frame at least), fetched with one ``read_many``; bytes already held in
    the value's blocks (the header block, a fragment scan) are not fetched
    again.  A frame the plan cannot place comes with None.
    """
    range_source = getattr(source, "range_source", None)
    plan_of = getattr(source, "frame_plan", None)
    if range_source is None or plan_of is None:
        for index in indices:
            yield index, None
        return
    stream_value: StreamValue = (
        source.data.stream_value  # type: ignore[union-attr]  # a _RangeBytes
        if isinstance(source, NativeFrames)
        else source.stream_value  # type: ignore[attr-defined]  # stream frames
    )
    blocks = _blocks(stream_value)
    pending = iter(indices)
    fetched: dict[tuple[int, int], bytes] = {}
    while True:
        batch: list[tuple[int, _Plan | None]] = []
        wanted: list[tuple[int, int]] = []
        total = 0
        for index in pending:
            plan: _Plan | None = plan_of(index)
            batch.append((index, plan))
            if plan is not None:
                for offset, size in plan[0]:
                    held = blocks.cached(offset, size)
                    if held is not None:
                        fetched[offset, size] = held
                    elif (offset, size) not in fetched:
                        fetched[offset, size] = b""
                        wanted.append((offset, size))
                        total += size
            if total >= BATCH_BYTES:
                break
        if not batch:
            return
        fetched.update(zip(wanted, range_source.read_many(wanted), strict=True))
        queue = deque(batch)
        del batch, wanted
        while queue:
            index, plan = queue.popleft()
            if plan is None:
                yield index, None
                continue
            ranges, finish = plan
            yield index, finish([fetched[key] for key in ranges])
        fetched.clear()


def _table(value: Any) -> list[int]:
    """An Extended Offset Table (Lengths) value as ints: OV bytes or numbers."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return [int(item) for item in np.frombuffer(value, "<u8")]
    return [int(item) for item in value]


def _describe(layout: PixelLayout) -> str:
    return (
        f"{layout.rows}x{layout.columns}x{layout.samples_per_pixel} at "
        f"{layout.bits_allocated} bits allocated"
    )


def _in_memory(value: Any, keyword: str) -> memoryview:
    if value is None:
        return memoryview(b"")
    try:
        view = memoryview(value)
    except TypeError:
        raise PixelDataError(
            f"{keyword} holds a {type(value).__name__}, not bytes"
        ) from None
    if view.ndim != 1 or view.itemsize != 1:
        view = view.cast("B")
    return view


def _file_value_as_read(ds: Any, keyword: str) -> FileValue | None:
    """The value left in its file of a pixel element of a dicomcore dataset
    still as read, without making the element (nothing here asks for it)."""
    elements = undecoded_elements(ds)
    if elements is None:
        return None
    raw = elements.get(PIXEL_TAGS[keyword])
    if type(raw) is not RawDataElement or type(raw.value) is not FileValue:
        return None
    return raw.value


def open_frames(ds: Any, layout: PixelLayout) -> NativeFrames | EncapsulatedFrames:
    """A frame source for the pixel element of ``ds`` described by ``layout``.

    Native data left in its file is read frame by frame (or all frames in
    one read) into buffers of its own, so no array depends on the file
    after the read: truncating or rewriting the file later changes nothing
    in it.  Close the source when done; arrays from it stay valid after.
    """
    deferred: Any = _file_value_as_read(ds, layout.pixel_keyword)
    if deferred is None:
        deferred = getattr(ds[layout.pixel_keyword], "deferred_source", None)
    if isinstance(deferred, FileValue) and deferred.copy is not None:
        # The file was read whole: its bytes are in memory already (a moment
        # ago, into a buffer of the caller's own, when private).
        if not deferred.private:
            deferred.check_unchanged()
        kept = _in_memory(deferred.copy, layout.pixel_keyword)
        if layout.transfer_syntax in NATIVE_TRANSFER_SYNTAXES:
            return NativeFrames(_MemoryBytes(kept, deferred.private), layout)
        extended = (
            ds.get(_EXTENDED_OFFSET_TABLE),
            ds.get(_EXTENDED_OFFSET_TABLE_LENGTHS),
        )
        return EncapsulatedFrames(kept, layout, 0, len(kept), extended)
    if layout.transfer_syntax in NATIVE_TRANSFER_SYNTAXES:
        if isinstance(deferred, StreamValue):
            return NativeFrames(_RangeBytes(deferred), layout)
        if isinstance(deferred, FileValue):
            return NativeFrames(_FileBytes(deferred), layout)
        value = _in_memory(ds[layout.pixel_keyword].value, layout.pixel_keyword)
        return NativeFrames(_MemoryBytes(value), layout)
    extended = (
        ds.get(_EXTENDED_OFFSET_TABLE),
        ds.get(_EXTENDED_OFFSET_TABLE_LENGTHS),
    )
    if isinstance(deferred, StreamValue):
        return StreamEncapsulatedFrames(deferred, layout, extended)
    if isinstance(deferred, FileValue):
        deferred.check_unchanged()
        handle = open(deferred.path, "rb")  # noqa: SIM115 - closed by close()
        try:
            return EncapsulatedFrames(
                handle,
                layout,
                deferred.offset,
                deferred.offset + deferred.length,
                extended,
            )
        except BaseException:
            handle.close()
            raise
    view = _in_memory(ds[layout.pixel_keyword].value, layout.pixel_keyword)
    return EncapsulatedFrames(view, layout, 0, len(view), extended)
