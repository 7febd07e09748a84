"""Reading DICOM files (PS3.10) and datasets in any uncompressed transfer syntax.

The parser walks element headers with ``struct.unpack_from`` over one buffer
(a memory map for paths) and keeps every value as raw bytes; values are decoded
when first read.  Large values from a path stay in the file (``FileValue``)
until used, so header reads never touch Pixel Data.
"""

from __future__ import annotations

import errno
import mmap
import os
import warnings
import zlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from stat import S_ISDIR
from struct import Struct
from typing import Any, BinaryIO, Final, overload

from dicomcore import config
from dicomcore.dataelem import DataElement, RawDataElement
from dicomcore.dataset import Dataset, FileDataset, FileMetaDataset
from dicomcore.dictionary import get_entry_or_none, private_dictionary_entry
from dicomcore.errors import DamagedDataWarning, InvalidDicomError, LimitError
from dicomcore.io import deferred as _deferred
from dicomcore.io.deferred import FileValue
from dicomcore.sequence import Sequence, sequence_of_items
from dicomcore.tag import Tag
from dicomcore.vr import BYTES_VRS, LONG_LENGTH_VRS, VR

__all__ = ["dcmread", "is_bare_dataset", "read_dataset", "read_file_meta_info"]

_EXPLICIT_LE = Struct("<HH2sH")
_EXPLICIT_BE = Struct(">HH2sH")
_IMPLICIT_LE = Struct("<HHL")
_IMPLICIT_BE = Struct(">HHL")
_UL_LE = Struct("<L")
_UL_BE = Struct(">L")

_UNDEFINED = 0xFFFFFFFF
_ITEM = 0xFFFEE000
_ITEM_DELIMITER = 0xFFFEE00D
_SEQUENCE_DELIMITER = 0xFFFEE0DD
_PIXEL_TAGS = frozenset({0x7FE00010, 0x7FE00008, 0x7FE00009})
# Bulk values left in a file read from a path at any depth: Waveform Data
# sits in Waveform Sequence items, and a Holter file holds many large groups.
_DEFERRED_AT_ANY_DEPTH = frozenset({0x54001010})
_SPECIFIC_CHARACTER_SET = 0x00080005

_VR_FROM_BYTES = {vr.value.encode(): vr.value for vr in VR}
_LONG_VR_BYTES = frozenset(vr.encode() for vr in LONG_LENGTH_VRS)
# The VRs of the walk's fast path, by their two bytes: every VR but SQ and
# UN, whose values are parsed or looked up further.
_PLAIN_SHORT_VRS = {
    key: vr for key, vr in _VR_FROM_BYTES.items() if key not in _LONG_VR_BYTES
}
_PLAIN_LONG_VRS = {
    key: vr
    for key, vr in _VR_FROM_BYTES.items()
    if key in _LONG_VR_BYTES and vr not in ("SQ", "UN")
}

_IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2"
_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
_DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99"
_EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2"

_new_raw = tuple.__new__


def _sequence_tags() -> frozenset[int]:
    from dicomcore.dictionary._elements import ELEMENTS

    return frozenset(tag for tag, entry in ELEMENTS.items() if entry[0] == "SQ")


_SQ_TAGS = _sequence_tags()
# The walk's fast path leaves elements from this tag on to the general one:
# the pixel elements, Waveform Data, items and delimiters are among them
# (and a few rare groups, which the general walk reads just as well).
_FIRST_SPECIAL_TAG = min(_PIXEL_TAGS | _DEFERRED_AT_ANY_DEPTH)  # (5400,1010)


def _private_creator(tag: int, elements: dict[int, Any]) -> str | None:
    """The Private Creator reserving ``tag``'s block, from the dataset being
    read. One stored with a binary VR (OB) names nothing, as in pydicom."""
    creator = elements.get((tag & 0xFFFF0000) | ((tag >> 8) & 0xFF))
    if creator is None:
        return None
    if type(creator) is RawDataElement:
        if creator.VR not in (None, "LO", "UN", "SH", "LT", "ST", "UT", "CS"):
            return None
        value = creator.value
        if not isinstance(value, (bytes, bytearray, memoryview)):
            return None  # left in the file (defer_size): not worth a read here
        text = bytes(value).decode("latin_1")
    else:
        if creator.VR in BYTES_VRS:
            return None
        text = str(creator.value or "")
    return text.strip(" \x00") or None


def private_vr(tag: int, elements: dict[int, Any]) -> str | None:
    """The VR of private ``tag`` known from its creator, or None: LO for a
    Private Creator (PS3.5 7.8.1), else the private dictionary's."""
    element = tag & 0xFFFF
    if 0x0010 <= element <= 0x00FF:
        return "LO"
    if element < 0x1000:
        return None
    creator = _private_creator(tag, elements)
    if creator is None:
        return None
    entry = private_dictionary_entry(creator, tag)
    if entry is None or entry.VR in ("", "NONE", "UN"):
        return None
    return str(entry.VR)


def known_vr(tag: int, length: int, elements: dict[int, Any]) -> str | None:
    """The dictionary VR an element stored as UN is read with, or None to keep
    UN. As pydicom: a public element only when its value is shorter than
    0xFFFF bytes (longer, it could not be written with a 16-bit length); a
    private one when its creator is known, unless the value is too long for
    the VR's 16-bit length."""
    if tag >> 16 & 1:
        vr = private_vr(tag, elements)
        if vr is not None and length >= 0xFFFF and vr not in LONG_LENGTH_VRS:
            return None
        return vr
    if length >= 0xFFFF or tag & 0xFFFF == 0:
        return None
    entry = get_entry_or_none(tag)
    if entry is None or entry.VR in ("", "NONE", "UN"):
        return None
    return str(entry.VR)


class _Source:
    """Where the bytes come from, for values left unread."""

    __slots__ = (
        "_path",
        "_absolute",
        "size",
        "mtime_ns",
        "defer_size",
        "defer_pixels",
        "keep_copies",
    )

    def __init__(
        self,
        path: str | None,
        defer_size: int | None,
        size: int = 0,
        mtime_ns: int = 0,
        keep_copies: bool = False,
    ) -> None:
        self._path = path
        self._absolute: str | None = None
        self.size = size
        self.mtime_ns = mtime_ns
        self.defer_size = defer_size if path is not None else None
        self.defer_pixels = path is not None
        # The buffer holds the whole file: a deferred value keeps a view of
        # its bytes there (see dicomcore.io.deferred).
        self.keep_copies = keep_copies

    @property
    def path(self) -> str | None:
        """The file's absolute path, what a value left in it names: worked
        out when the first such value is made (most header reads make none)."""
        if self._path is not None and self._absolute is None:
            self._absolute = os.path.abspath(self._path)
        return self._absolute


class _NeedMore(Exception):
    """The buffer is the first part of the file and the walk needs more of
    it; the caller reads the file another way.  ``reached``: the furthest
    end of a value the walk met past the part read (the data needed is at
    least that long), so that a longer part that would not hold it either
    is not read."""

    def __init__(self, reached: int = 0) -> None:
        super().__init__(reached)
        self.reached = reached


class _Parser:
    """Parses the elements of one dataset encoding from one buffer."""

    def __init__(
        self,
        buffer: Any,
        *,
        implicit_vr: bool,
        little_endian: bool,
        source: _Source,
        stop_before_pixels: bool = False,
        wanted: frozenset[int] | None = None,
        base_offset: int = 0,
        prefix_of: int | None = None,
    ) -> None:
        self.buffer = buffer
        # Set when ``buffer`` is only the first part of data this long: running
        # out of it means reading more, not damage.
        self.prefix_of = prefix_of
        self.implicit_vr = implicit_vr
        self.little_endian = little_endian
        self.source = source
        self.stop_before_pixels = stop_before_pixels
        self.wanted = wanted
        # Added to positions in ``buffer`` to give offsets in the file.
        self.base_offset = base_offset
        if implicit_vr:
            self.header = _IMPLICIT_LE if little_endian else _IMPLICIT_BE
        else:
            self.header = _EXPLICIT_LE if little_endian else _EXPLICIT_BE
        self.long_length = _UL_LE if little_endian else _UL_BE
        self.max_depth = config.limits.max_sequence_depth
        # Set when an item of undefined length met its Item Delimitation Item.
        self.delimited = False
        # The furthest end of a value met past the part read (see _NeedMore).
        self.reached = 0
        # With a prefix: reads ``size`` bytes of the file at a position past
        # it, so that the item headers of encapsulated Pixel Data left in the
        # file are walked there rather than the whole file being read.
        self.read_more: Callable[[int, int], bytes] | None = None

    def error(
        self, message: str, position: int, tag: int | None = None
    ) -> InvalidDicomError:
        return InvalidDicomError(message, offset=self.base_offset + position, tag=tag)

    def damaged(self, message: str, position: int, tag: int | None = None) -> None:
        """Report damage the parser reads past (as pydicom does): a
        :class:`DamagedDataWarning`, or under the RAISE reading mode an
        :class:`InvalidDicomError`."""
        if self.prefix_of is not None:
            raise _NeedMore(self.reached)
        mode = config.settings.reading_validation_mode
        if mode == config.RAISE:
            raise self.error(message, position, tag)
        if mode == config.WARN:
            warnings.warn(
                DamagedDataWarning(
                    message, offset=self.base_offset + position, tag=tag
                ),
                stacklevel=4,
            )

    def _overrun(self, length: int, position: int, available: int, tag: int) -> None:
        self.damaged(
            f"element value of length {length} runs past the end of the data; "
            f"the {max(available, 0)} bytes there are read",
            position,
            tag,
        )

    def parse(
        self,
        dataset: Dataset,
        position: int,
        end: int,
        depth: int = 0,
        in_item: bool = False,
        stop_group: int | None = None,
    ) -> int:
        """Fill ``dataset`` with the elements in ``buffer[position:end]``.

        Returns the position after the last element read; in an item of
        undefined length, after its Item Delimitation Item.
        """
        buffer = self.buffer
        unpack_header = self.header.unpack_from
        unpack_length = self.long_length.unpack_from
        implicit_vr = self.implicit_vr
        little_endian = self.little_endian
        elements = dataset._dict
        wanted = self.wanted if depth == 0 else None
        stop_before_pixels = self.stop_before_pixels and depth == 0
        # Elements not asked for are stepped over as soon as their length is
        # known (most of a header, when reading for the pixels).
        skip_unwanted = wanted is not None and not stop_before_pixels
        source = self.source
        defer_size = source.defer_size
        defer_pixels = source.defer_pixels
        prefix_of = self.prefix_of
        # The fast walk stops before the first tag past ``last_plain``: Waveform
        # Data and the pixel elements, or the end of the group read.
        fast = not implicit_vr and little_endian
        if stop_group is None:
            first_plain, last_plain = 0, _FIRST_SPECIAL_TAG - 1
        else:
            first_plain, last_plain = stop_group << 16, stop_group << 16 | 0xFFFF
        while position < end:
            if fast:
                position = self._walk_plain(
                    elements, position, end, wanted, first_plain, last_plain
                )
                if position >= end:
                    break
            if position + 8 > end:
                self.damaged(
                    f"data ended inside an element header; the last "
                    f"{end - position} bytes are ignored",
                    position,
                )
                return end
            if implicit_vr:
                group, element, length = unpack_header(buffer, position)
                vr = None
                value_position = position + 8
            else:
                group, element, vr_bytes, length = unpack_header(buffer, position)
                if stop_group is not None and group != stop_group:
                    return position
                if group == 0xFFFE:
                    # Item and delimitation tags carry no VR in any encoding.
                    length = unpack_length(buffer, position + 4)[0]
                    vr = None
                    value_position = position + 8
                else:
                    vr = _VR_FROM_BYTES.get(vr_bytes)
                    if vr is None:
                        raise self.error(
                            f"invalid VR {vr_bytes!r} in an explicit VR dataset",
                            position,
                            (group << 16) | element,
                        )
                    if vr_bytes in _LONG_VR_BYTES:
                        if position + 12 > end:
                            self.damaged(
                                f"data ended inside an element header; the "
                                f"last {end - position} bytes are ignored",
                                position,
                                (group << 16) | element,
                            )
                            return end
                        length = unpack_length(buffer, position + 8)[0]
                        value_position = position + 12
                    else:
                        value_position = position + 8
            tag = (group << 16) | element
            if stop_group is not None and group != stop_group:
                return position
            if (
                skip_unwanted
                and tag not in wanted  # type: ignore[operator]  # not None here
                and length != _UNDEFINED
                and group != 0xFFFE
            ):
                if value_position + length > end:
                    self.reached = max(self.reached, value_position + length)
                    self._overrun(length, position, end - value_position, tag)
                    return end
                position = value_position + length
                continue
            if group == 0xFFFE:
                if tag == _ITEM_DELIMITER and in_item:
                    self.delimited = True
                    return value_position
                if tag == _SEQUENCE_DELIMITER and depth == 0 and not in_item:
                    # A stray delimiter at the end of some files: skip it.
                    position = value_position
                    continue
                raise self.error("unexpected item or delimiter tag", position, tag)
            if stop_before_pixels and tag in _PIXEL_TAGS:
                return position
            if length == _UNDEFINED:
                if tag in _PIXEL_TAGS:
                    value_end, after = self._encapsulated_end(
                        value_position,
                        end,
                        tag,
                        in_file=self.source.defer_pixels and depth == 0,
                    )
                    value = self._value(
                        value_position, value_end - value_position, tag, depth
                    )
                    raw = _new_raw(
                        RawDataElement,
                        (
                            tag,
                            vr or "OB",
                            value_end - value_position,
                            value,
                            self.base_offset + value_position,
                            implicit_vr,
                            little_endian,
                            True,
                        ),
                    )
                    position = after
                else:
                    if depth >= self.max_depth:
                        raise LimitError(
                            f"sequences nested deeper than {self.max_depth}",
                            limit="max_sequence_depth",
                        )
                    # SQ, or UN holding an implicit VR little endian sequence
                    # (PS3.5 6.2.2).
                    parser = self
                    if vr == "UN":
                        parser = self._implicit_little_parser()
                    sequence, position = parser.parse_sequence(
                        value_position, end, None, depth + 1, tag
                    )
                    sequence.is_undefined_length = True
                    if wanted is None or tag in wanted:
                        elem = DataElement(
                            tag,
                            "SQ",
                            sequence,
                            value_position,
                            True,
                            already_converted=True,
                        )
                        sequence._adopt(dataset)
                        elements[tag] = elem
                    continue
                if wanted is None or tag in wanted:
                    elements[tag] = raw
                continue
            value_end = value_position + length
            deferred = (
                (defer_size is not None and length > defer_size)
                or (defer_pixels and depth == 0 and tag in _PIXEL_TAGS)
                or (defer_pixels and tag in _DEFERRED_AT_ANY_DEPTH)
            )
            if value_end > end and prefix_of is not None:
                self.reached = max(self.reached, value_end)
            if value_end > end and not (
                deferred and prefix_of is not None and value_end <= prefix_of
            ):
                # The element keeps the bytes there are; using the value
                # (e.g. the pixels of short Pixel Data) is what fails.
                self._overrun(length, position, end - value_position, tag)
                value_end = end
                length = end - value_position
            position = value_end
            if wanted is not None and tag not in wanted:
                continue
            parser = self
            if vr == "UN":
                vr = self._un_vr(tag, value_position, length, elements)
                if vr == "SQ":
                    # A UN's items are Implicit VR Little Endian (PS3.5 6.2.2).
                    parser = self._implicit_little_parser()
            if vr == "SQ" or (
                vr is None
                and (
                    tag in _SQ_TAGS
                    or (
                        group & 1
                        and self._private_sequence(
                            tag, value_position, length, elements
                        )
                    )
                )
            ):
                if depth >= self.max_depth:
                    raise LimitError(
                        f"sequences nested deeper than {self.max_depth}",
                        limit="max_sequence_depth",
                    )
                sequence, _ = parser.parse_sequence(
                    value_position, value_end, value_end, depth + 1, tag
                )
                elem = DataElement(
                    tag, "SQ", sequence, value_position, False, already_converted=True
                )
                sequence._adopt(dataset)
                elements[tag] = elem
                continue
            if deferred:
                value = FileValue(
                    source.path,  # type: ignore[arg-type]  # set when deferring
                    self.base_offset + value_position,
                    length,
                    source.size,
                    source.mtime_ns,
                    memoryview(buffer)[value_position:value_end]
                    if source.keep_copies
                    else None,
                )
            else:
                value = buffer[value_position:value_end]
            elements[tag] = _new_raw(
                RawDataElement,
                (
                    tag,
                    vr,
                    length,
                    value,
                    self.base_offset + value_position,
                    implicit_vr,
                    little_endian,
                    False,
                ),
            )
        return position

    def _walk_plain(
        self,
        elements: dict[int, Any],
        position: int,
        end: int,
        wanted: frozenset[int] | None,
        first_plain: int,
        last_plain: int,
    ) -> int:
        """Store the plain elements of explicit VR little endian data from
        ``position`` on, and return where the first other one begins.

        Plain: defined length within the data, a VR other than SQ and UN,
        a tag from ``first_plain`` to ``last_plain`` (below Waveform Data, so
        not a pixel or other deferred element, not an item or delimiter; or
        the group of the File Meta Information when reading that), not
        longer than ``defer_size``.  They are
        most of any header, and each costs here a third of the general walk
        in :meth:`parse`, which handles the rest (and reports damage).
        """
        buffer = self.buffer
        unpack_header = _EXPLICIT_LE.unpack_from
        unpack_length = _UL_LE.unpack_from
        short_vrs = _PLAIN_SHORT_VRS
        long_vrs = _PLAIN_LONG_VRS
        base = self.base_offset
        defer_size = self.source.defer_size
        if defer_size is None:
            defer_size = _UNDEFINED
        last_header = end - 12
        while position <= last_header:
            group, element, vr_bytes, length = unpack_header(buffer, position)
            vr = short_vrs.get(vr_bytes)
            if vr is not None:
                value_position = position + 8
            else:
                vr = long_vrs.get(vr_bytes)
                if vr is None:
                    return position
                length = unpack_length(buffer, position + 8)[0]
                value_position = position + 12
            value_end = value_position + length
            tag = group << 16 | element
            if (
                value_end > end
                or tag > last_plain
                or tag < first_plain
                or length > defer_size
            ):
                return position
            if wanted is not None and tag not in wanted:
                position = value_end
                continue
            elements[tag] = _new_raw(
                RawDataElement,
                (
                    tag,
                    vr,
                    length,
                    buffer[value_position:value_end],
                    base + value_position,
                    False,
                    True,
                    False,
                ),
            )
            position = value_end
        return position

    def _value(self, position: int, length: int, tag: int, depth: int) -> Any:
        source = self.source
        if source.defer_pixels and depth == 0 and tag in _PIXEL_TAGS:
            return FileValue(
                source.path,  # type: ignore[arg-type]
                self.base_offset + position,
                length,
                source.size,
                source.mtime_ns,
                memoryview(self.buffer)[position : position + length]
                if source.keep_copies
                else None,
            )
        return self.buffer[position : position + length]

    def _implicit_little_parser(self) -> _Parser:
        if self.implicit_vr and self.little_endian:
            return self
        parser = _Parser(
            self.buffer,
            implicit_vr=True,
            little_endian=True,
            source=self.source,
            base_offset=self.base_offset,
        )
        return parser

    def _starts_with_item(
        self, position: int, length: int, little_endian: bool
    ) -> bool:
        if length < 8:
            return False
        first = _UL_LE.unpack_from(self.buffer, position)[0]
        return bool(first == (0xE000FFFE if little_endian else 0xFEFF00E0))

    def _un_vr(
        self, tag: int, position: int, length: int, elements: dict[int, Any]
    ) -> str:
        """The VR an explicit UN element of defined length is read with: the
        dictionary's (pydicom's ``replace_un_with_known_vr``), or SQ for a
        value of items when ``settings.un_items_as_sequence`` asks."""
        settings = config.settings
        if settings.replace_un_with_known_vr:
            known = known_vr(tag, length, elements)
            if known is not None:
                return known
        if settings.un_items_as_sequence and self._starts_with_item(
            position, length, True
        ):
            return "SQ"
        return "UN"

    def _private_sequence(
        self, tag: int, position: int, length: int, elements: dict[int, Any]
    ) -> bool:
        """Whether an implicit VR private element is a sequence: its private
        dictionary says SQ, or (``settings.un_items_as_sequence``) its value
        begins with an Item tag. pydicom and DCMTK keep an unknown one as UN."""
        if private_vr(tag, elements) == "SQ":
            return True
        return config.settings.un_items_as_sequence and self._starts_with_item(
            position, length, self.little_endian
        )

    def parse_sequence(
        self, position: int, end: int, value_end: int | None, depth: int, tag: int
    ) -> tuple[Sequence, int]:
        """Items from ``position`` until ``value_end`` (defined length) or the
        Sequence Delimitation Item (undefined length)."""
        buffer = self.buffer
        unpack = self.long_length.unpack_from
        items: list[Dataset] = []
        limit = end if value_end is None else value_end
        while position < limit:
            if position + 8 > limit:
                self.damaged(
                    f"data ended inside an item header; the last "
                    f"{limit - position} bytes are ignored",
                    position,
                    tag,
                )
                position = limit
                break
            item_tag = unpack(buffer, position)[0]
            item_tag = (
                ((item_tag & 0xFFFF) << 16 | item_tag >> 16)
                if self.little_endian
                else item_tag
            )
            item_length = unpack(buffer, position + 4)[0]
            if item_tag == _SEQUENCE_DELIMITER:
                if value_end is None:
                    return sequence_of_items(items), position + 8
                raise self.error(
                    "sequence delimiter in a defined-length sequence", position, tag
                )
            if item_tag != _ITEM:
                raise self.error(
                    f"expected an item in the sequence, found ({item_tag >> 16:04X},"
                    f"{item_tag & 0xFFFF:04X})",
                    position,
                    tag,
                )
            item = Dataset()
            item_start = position + 8
            if item_length == _UNDEFINED:
                item.is_undefined_length_sequence_item = True
                self.delimited = False
                position = self.parse(item, item_start, limit, depth, in_item=True)
                if not self.delimited:
                    self.damaged(
                        "item of undefined length is not terminated before the "
                        "end of the data",
                        item_start,
                        tag,
                    )
            else:
                item_end = item_start + item_length
                if item_end > limit:
                    # pydicom reads the item to the end of its sequence.
                    self.damaged(
                        f"item of length {item_length} runs past its sequence; "
                        f"read to the sequence's end ({limit - item_start} bytes)",
                        position,
                        tag,
                    )
                    item_end = limit
                self.parse(item, item_start, item_end, depth)
                position = item_end
            item.set_original_encoding(self.implicit_vr, self.little_endian)
            items.append(item)
        if value_end is None:
            self.damaged(
                "sequence of undefined length is not terminated before the end "
                "of the data",
                position,
                tag,
            )
        return sequence_of_items(items), position

    def _last_frame_start(self, position: int, end: int) -> int:
        """Where the walk to the end of encapsulated Pixel Data may begin.

        A Basic Offset Table names the first item of the last frame, so the
        walk skips every earlier frame's items (and the file pages holding
        them); without a usable table it begins at the table itself.
        """
        if position + 8 > end:
            return position
        buffer = self.buffer
        unpack = _UL_LE.unpack_from
        table_length = unpack(buffer, position + 4)[0]
        if (
            unpack(buffer, position)[0] != 0xE000FFFE
            or table_length in (0, _UNDEFINED)
            or table_length % 4
            or position + 8 + table_length > end
        ):
            return position
        first_item = position + 8 + table_length
        last_frame = first_item + unpack(buffer, first_item - 4)[0]
        if last_frame + 8 <= end and unpack(buffer, last_frame)[0] == 0xE000FFFE:
            return last_frame
        return position  # a table that points nowhere: walk every item

    def _encapsulated_end(
        self, position: int, end: int, tag: int, in_file: bool = False
    ) -> tuple[int, int]:
        """Where encapsulated Pixel Data ends, and where the next element
        begins: its Sequence Delimitation Item and past it; item headers are
        always little endian (PS3.5 A.4).  Data ending without the delimiter
        keeps every byte there is (the frames it holds whole still decode).

        ``in_file``: the value is left in the file.  Then in a prefix of the
        file, item headers past the prefix are read from the file, 8 bytes
        each (:attr:`read_more`), rather than more of the file being read
        (or mapped) for the walk to reach the value's end.
        """
        buffer = self.buffer
        unpack = _UL_LE.unpack_from
        start = position
        position = self._last_frame_start(position, end)
        read_more = self.read_more if in_file and self.prefix_of is not None else None
        # How far items may lie: the file's end when their headers can be
        # read from the file, else the buffer's.
        limit = self.prefix_of if read_more is not None else end
        while True:
            header: Any = buffer
            offset = position
            if read_more is not None and end < position + 8 <= limit:  # type: ignore[operator]  # limit is an int here
                header, offset = read_more(position, 8), 0
                if len(header) < 8:
                    limit = position  # the file shrank: reported below
            if position + 8 > limit:  # type: ignore[operator]  # an int
                # In a prefix: the data runs at least this far, so a longer
                # block that would not hold it either is not read.
                self.reached = max(self.reached, position + 8)
                self.damaged(
                    "encapsulated Pixel Data is not terminated: the data ends "
                    "before its Sequence Delimitation Item",
                    start,
                    tag,
                )
                return end, end
            item_tag = unpack(header, offset)[0]
            length = unpack(header, offset + 4)[0]
            if item_tag == 0xE0DDFFFE:
                return position, position + 8
            if item_tag != 0xE000FFFE:
                raise self.error(
                    "expected a fragment item in encapsulated Pixel Data", position, tag
                )
            if length == _UNDEFINED:
                raise self.error("fragment of undefined length", position, tag)
            if position + 8 + length > limit:  # type: ignore[operator]  # an int
                self.reached = max(self.reached, position + 16 + length)
                self.damaged(
                    f"encapsulated Pixel Data is not terminated: its fragment of "
                    f"{length} bytes runs past the end of the data "
                    f"({limit - position - 8} bytes there)",  # type: ignore[operator]  # an int
                    position,
                    tag,
                )
                return end, end
            position += 8 + length


def _parse_defer_size(defer_size: int | float | str | None) -> int | None:
    if defer_size is None:
        return None
    if isinstance(defer_size, (int, float)):
        return int(defer_size)
    text = defer_size.strip().upper()
    for unit, factor in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3), ("B", 1)):
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(float(text))


class WantedTags(frozenset[int]):
    """``specific_tags`` as the walk uses them: ints, Specific Character Set
    among them.  A caller reading many files with the same tags makes this
    once (:func:`wanted_tags`) and passes it as ``specific_tags``."""


@overload
def wanted_tags(specific_tags: None) -> None: ...
@overload
def wanted_tags(specific_tags: Iterable[Any]) -> WantedTags: ...
def wanted_tags(specific_tags: Iterable[Any] | None) -> WantedTags | None:
    if specific_tags is None:
        return None
    if type(specific_tags) is WantedTags:
        return specific_tags
    tags = {tag if type(tag) is int else int(Tag(tag)) for tag in specific_tags}
    tags.add(_SPECIFIC_CHARACTER_SET)
    return WantedTags(tags)


_wanted_tags = wanted_tags  # the lazy reader's name for it


# Elements walked to test a guessed encoding: enough to tell the encodings
# apart, few enough to cost nothing.
_GUESS_ELEMENTS = 16


def _chains(
    buffer: Any, position: int, end: int, implicit_vr: bool, little_endian: bool
) -> bool:
    """Whether the first elements' headers and lengths, read in this
    encoding, chain from one to the next within the data."""
    if implicit_vr:
        header = _IMPLICIT_LE if little_endian else _IMPLICIT_BE
    else:
        header = _EXPLICIT_LE if little_endian else _EXPLICIT_BE
    long_length = _UL_LE if little_endian else _UL_BE
    for walked in range(_GUESS_ELEMENTS):
        if position == end:
            return True
        if position + 8 > end:
            return walked >= 2  # cut inside a header after elements that chained
        if implicit_vr:
            group, _, length = header.unpack_from(buffer, position)
            position += 8
        else:
            group, _, vr_bytes, length = header.unpack_from(buffer, position)
            if vr_bytes not in _VR_FROM_BYTES:
                return False
            if vr_bytes in _LONG_VR_BYTES:
                if position + 12 > end:
                    return False
                length = long_length.unpack_from(buffer, position + 8)[0]
                position += 12
            else:
                position += 8
        if group == 0xFFFE:
            return False  # items and delimiters do not begin top-level elements
        if length == _UNDEFINED:
            return True  # a sequence or encapsulated data: far enough
        position += length
        if position > end:
            # A value running past the end after elements that chained is
            # truncated data, not a wrong guess.
            return walked >= 2
    return True


def _guess_encoding(buffer: Any, position: int, end: int) -> tuple[bool, bool]:
    """(implicit VR, little endian) of a dataset with no transfer syntax.

    As DCMTK guesses: a valid VR at bytes 4-5 means explicit VR; then the
    byte order (and, failing that, the other VR form) whose element lengths
    chain through the first elements wins, so that implicit VR data whose
    first group is large (a private group such as 1001) is not taken for big
    endian. With no encoding chaining, the smaller first group decides.
    """
    if position + 8 > end:
        return False, True
    vr_bytes = bytes(buffer[position + 4 : position + 6])
    explicit = vr_bytes in _VR_FROM_BYTES
    group_le = buffer[position] | buffer[position + 1] << 8
    group_be = buffer[position] << 8 | buffer[position + 1]
    little = group_le <= group_be
    candidates = [(not explicit, little), (not explicit, not little)]
    candidates += [(explicit, little), (explicit, not little)]
    for implicit_vr, little_endian in candidates:
        if implicit_vr and not little_endian:
            continue  # not a transfer syntax any writer uses
        if _chains(buffer, position, end, implicit_vr, little_endian):
            return implicit_vr, little_endian
    return not explicit, little


def is_bare_dataset(head: bytes) -> bool:
    """Whether ``head``, the first bytes of a file without the DICM prefix,
    begins a dataset that ``dcmread(..., force=True)`` reads: its first
    elements' headers and lengths chain in the encoding guessed for them.
    Text and other files that are not DICOM do not (their first "length"
    runs far past the data or their "VR" is no VR).

    >>> is_bare_dataset(b"not DICOM at all")
    False
    """
    end = len(head)
    if end < 8:
        return False
    implicit_vr, little_endian = _guess_encoding(head, 0, end)
    return _chains(head, 0, end, implicit_vr, little_endian)


def read_file_meta_info(
    source: str | os.PathLike[str] | BinaryIO | bytes,
) -> FileMetaDataset:
    """The File Meta Information of a file, without reading its dataset."""
    return dcmread(source, specific_tags=[], force=True).file_meta


def dcmread(
    fp: str | os.PathLike[str] | BinaryIO | bytes | bytearray | memoryview,
    *,
    force: bool = False,
    stop_before_pixels: bool = False,
    specific_tags: Iterable[Any] | None = None,
    defer_size: int | float | str | None = None,
    storage_options: dict[str, Any] | None = None,
) -> FileDataset:
    """Read a DICOM file from a path, a binary file object, or bytes.

    ``force`` reads files without the preamble and "DICM" prefix or without
    File Meta Information; ``stop_before_pixels`` stops at the pixel data;
    ``specific_tags`` keeps only those elements (and Specific Character Set);
    ``defer_size`` leaves values longer than it in the file until used
    (a number of bytes or text such as ``"512 KB"``; paths only).

    An fsspec URL (``s3://``, ``gs://``, ``https://``...; options for its
    file system in ``storage_options``) and a seekable file object larger
    than 1 MiB are read lazily: the header now, each frame when asked for
    (:mod:`dicomcore.io.source`).  Keep such a file object open while the
    dataset's pixels are used.

    >>> ds = dcmread("testfiles/ct_int16_implicit.dcm")  # doctest: +SKIP
    >>> ds.PatientName  # doctest: +SKIP
    """
    deferral = _parse_defer_size(defer_size)
    if isinstance(fp, (bytes, bytearray, memoryview)):
        return _read_buffer(
            fp,
            len(fp),
            _Source(None, None),
            force,
            stop_before_pixels,
            specific_tags,
            None,
        )
    if isinstance(fp, str) and "://" in fp:
        from dicomcore.io.remote import is_url, open_url
        from dicomcore.io.source import read_lazily

        if is_url(fp):
            return read_lazily(  # type: ignore[no-any-return]  # a FileDataset
                open_url(fp, storage_options),
                force=force,
                stop_before_pixels=stop_before_pixels,
                specific_tags=specific_tags,
                filename=fp,
            )
    if isinstance(fp, (str, os.PathLike)):
        return _read_path(
            os.fspath(fp),
            deferral,
            force,
            stop_before_pixels,
            specific_tags,
            # Stopping before Pixel Data, only defer_size defers a value.
            0
            if stop_before_pixels and deferral is None
            else _deferred.EAGER_READ_BYTES,
        )
    if hasattr(fp, "read"):
        from dicomcore.io.remote import source_for
        from dicomcore.io.source import read_lazily

        lazy_source = source_for(fp)  # type: ignore[arg-type]  # has read
        if lazy_source is not None:
            name = getattr(fp, "name", None)
            return read_lazily(  # type: ignore[no-any-return]  # a FileDataset
                lazy_source,
                force=force,
                stop_before_pixels=stop_before_pixels,
                specific_tags=specific_tags,
                filename=name if isinstance(name, str) else None,
            )
        start = fp.tell() if hasattr(fp, "tell") else 0
        data = fp.read()
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("dcmread needs a file object opened in binary mode")
        if (
            force
            and start
            and data[128:132] != b"DICM"
            and data[:4] != b"DICM"
            and hasattr(fp, "seek")
        ):
            # As pydicom: without the "DICM" prefix a forced read begins at
            # byte 0 of the file object, wherever it was positioned.
            fp.seek(0)
            data = fp.read()
            start = 0
        name = getattr(fp, "name", None)
        dataset, stopped = _read_buffer_to(
            data,
            len(data),
            _Source(None, None),
            force,
            stop_before_pixels,
            specific_tags,
            None,
            base_offset=start,
        )
        if stopped < len(data) and hasattr(fp, "seek"):
            # As pydicom, stopping before the pixels leaves the file object
            # at the Pixel Data element's tag: code reading frames itself
            # (highdicom's ImageFileReader) goes on from there.
            fp.seek(start + stopped)
        object.__setattr__(dataset, "filename", name if isinstance(name, str) else None)
        return dataset
    raise TypeError(f"dcmread cannot read from {type(fp).__name__}")


# The first read of a file too large to read whole: a header of this size
# holds the elements of most images (Pixel Data is left in the file).  A
# longer one is read again in a block of LONG_HEADER_BYTES (an enhanced
# multi-frame header with its functional groups), and a longer one still
# through a memory map.
HEADER_BLOCK_BYTES = 16 * 1024
LONG_HEADER_BYTES = 1024 * 1024
# The first read is smaller while the headers read so far fitted in it: a
# series' headers are alike, and most hold a few KiB.  The first header
# that does not fit makes it HEADER_BLOCK_BYTES from then on.
FIRST_BLOCK_BYTES = 4 * 1024
_first_block = FIRST_BLOCK_BYTES


def _block_sizes() -> tuple[int, ...]:
    """The sizes of the first part of a file to read for its header, in
    the order tried."""
    first = min(_first_block, HEADER_BLOCK_BYTES)
    if first < HEADER_BLOCK_BYTES:
        return (first, HEADER_BLOCK_BYTES, LONG_HEADER_BYTES)
    return (HEADER_BLOCK_BYTES, LONG_HEADER_BYTES)


def _fitted(block_size: int) -> None:
    """A header fitted in ``block_size`` bytes (see FIRST_BLOCK_BYTES)."""
    global _first_block
    if _first_block < block_size <= HEADER_BLOCK_BYTES:
        _first_block = block_size


def _read_path(
    path: str,
    defer_size: int | None,
    force: bool,
    stop_before_pixels: bool,
    specific_tags: Iterable[Any] | None,
    whole_limit: int,
    heads: list[bytes] | None = None,
) -> FileDataset:
    """dcmread of a path.

    A file of at most ``whole_limit`` bytes is read whole, with one read,
    and its deferred values keep a view of their bytes in that buffer (see
    :mod:`dicomcore.io.deferred`); -1: files read whole anyway (those of
    at most :data:`HEADER_BLOCK_BYTES`) keep such views too.  A larger one
    is read in its first :data:`HEADER_BLOCK_BYTES` (or, failing that,
    :data:`LONG_HEADER_BYTES`) when its elements fit there, Pixel Data
    being left in the file; otherwise through a memory map, where the walk
    touches only the pages it reads.  A read and a walk over bytes cost a
    fraction of setting up a map for a small header.  ``heads``: receives
    that first block when the dataset was read from it alone.
    """
    # A bare descriptor: each read lands in its bytes object, with no file
    # object or buffer in between (and no second fstat of its own).
    descriptor, stat = open_for_reading(path)
    try:
        size = stat.st_size
        if size == 0:
            raise InvalidDicomError(f"'{path}' is empty", offset=0)
        name = path  # made absolute when a value is left in the file
        read_at = _reader_at(descriptor)
        if size <= max(whole_limit, HEADER_BLOCK_BYTES):
            data = read_at(0, size)
            if len(data) == size:
                keep = whole_limit < 0 or size <= whole_limit
                source = _Source(name, defer_size, size, stat.st_mtime_ns, keep)
                return _read_buffer(
                    data,
                    size,
                    source,
                    force,
                    stop_before_pixels,
                    specific_tags,
                    path,
                )
            # changed while being read: the map below tells
        else:
            dataset = _read_first_blocks(
                read_at,
                size,
                lambda: _Source(name, defer_size, size, stat.st_mtime_ns),
                force,
                stop_before_pixels,
                specific_tags,
                path,
                size,  # a block as long as the file: the map below
                heads,
            )
            if dataset is not None:
                return dataset
        source = _Source(name, defer_size, size, stat.st_mtime_ns)
        # The map is read only by this walk: values are copied out of it
        # (``keep`` is off, and closing it would raise while anything still
        # viewed it), so no object handed out depends on the map, and a
        # file truncated after dcmread returns cannot fault one.  Pixel
        # arrays never view a map (see dicomcore.pixels.frames).
        with mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ) as mapped:
            return _read_buffer(
                mapped,
                len(mapped),
                source,
                force,
                stop_before_pixels,
                specific_tags,
                path,
            )
    finally:
        os.close(descriptor)


def _read_first_blocks(
    read_at: Callable[[int, int], bytes],
    size: int,
    source: Callable[[], _Source],
    force: bool,
    stop_before_pixels: bool,
    specific_tags: Iterable[Any] | None,
    path: str,
    shorter_than: int,
    heads: list[bytes] | None = None,
) -> FileDataset | None:
    """The dataset of a file of ``size`` bytes read from its first block
    (see FIRST_BLOCK_BYTES), or a longer one, values past it left in the
    file; None when no block shorter than ``shorter_than`` holds its
    header, or one holds an error (the caller reads the file another way,
    which reports it whole).  ``read_at(position, length)`` reads the file;
    ``heads`` receives the block the dataset was read from."""
    needed = 0
    for block_size in _block_sizes():
        if block_size >= shorter_than:
            break  # the caller reads it all
        if block_size < needed:
            continue
        block = read_at(0, block_size)
        try:
            dataset = _read_buffer_to(
                block,
                len(block),
                source(),
                force,
                stop_before_pixels,
                specific_tags,
                path,
                prefix_of=size,
                read_more=read_at,
            )[0]
        except _NeedMore as short:
            _fitted(HEADER_BLOCK_BYTES)
            if short.reached >= LONG_HEADER_BYTES:
                break  # no block would hold it
            needed = short.reached
            continue  # a longer block
        except InvalidDicomError:
            continue  # read again where the error is reported whole
        if heads is not None:
            heads.append(block)
        return dataset
    return None


def open_for_reading(path: str) -> tuple[int, os.stat_result]:
    """A descriptor of ``path`` opened for reading, and its stat; as
    ``open(path, "rb")`` opens it (a directory raises IsADirectoryError),
    without a file object: the readers here need the descriptor alone."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        stat = os.fstat(descriptor)
        if S_ISDIR(stat.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, stat


def _reader_at(descriptor: int) -> Callable[[int, int], bytes]:
    """Reads of ``size`` bytes at a position of ``descriptor``'s file (fewer
    only at its end)."""
    pread = getattr(os, "pread", None)
    if pread is not None:
        return lambda position, size: pread(descriptor, size, position)  # type: ignore[no-any-return]  # bytes

    def read_at(position: int, size: int) -> bytes:
        os.lseek(descriptor, position, os.SEEK_SET)
        parts = []
        while size > 0:
            part = os.read(descriptor, size)
            if not part:
                break
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    return read_at


def read_for_pixels(
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    specific_tags: Iterable[Any] | None = None,
    heads: list[bytes] | None = None,
) -> FileDataset:
    """dcmread of a path for a caller about to read its pixels from the file:
    only a file of at most :data:`HEADER_BLOCK_BYTES` is read whole; a
    larger one's Pixel Data stays in the file, keeping no copy, so that its
    frames are read once, straight into the arrays that hold them.
    ``heads``: receives the first block of the file when the dataset was
    read from it alone (the bytes it was parsed from)."""
    return _read_path(os.fspath(path), None, force, False, specific_tags, -1, heads)


# read_whole_for_pixels keeps the buffer as the pixels' own when Pixel Data
# is at least this share of the file (what else the file holds stays alive
# with the array): otherwise the pixels are copied out of it.
_PRIVATE_PIXEL_SHARE: Final = 7 / 8


def read_whole_for_pixels(
    path: str | os.PathLike[str],
    allocate: Callable[[int], Any],
    max_size: int,
    *,
    force: bool = False,
    specific_tags: Iterable[Any] | None = None,
) -> FileDataset | None:
    """dcmread of a path for a caller about to decode all its pixels: a file
    of more than :data:`HEADER_BLOCK_BYTES` and at most ``max_size`` bytes
    is read whole, with one read, into ``allocate(size)`` (a writable
    buffer of that many bytes), and its pixel element keeps a view of it
    (:attr:`FileValue.copy`).  When Pixel Data is most of the file the view
    is the caller's alone (:attr:`FileValue.private`): the pixels' array
    can be that buffer, which saves the second open and read of
    :func:`read_for_pixels` on every small image.

    None (read it with :func:`read_for_pixels`) for a file of another size,
    one whose read came short, one whose header is not within its first
    :data:`LONG_HEADER_BYTES`, or one of several compressed frames (decoded
    one at a time from the file, rather than all held beside the result)."""
    name = os.fspath(path)
    descriptor, stat = open_for_reading(name)
    try:
        size = stat.st_size
        if not HEADER_BLOCK_BYTES < size <= max_size:
            return None
        buffer = memoryview(allocate(size)).cast("B")
        if hasattr(os, "preadv"):
            got = os.preadv(descriptor, [buffer], 0)
        else:
            with open(descriptor, "rb", buffering=0, closefd=False) as handle:
                got = handle.readinto(buffer)
    finally:
        os.close(descriptor)
    if got != size:
        return None  # changed while being read: read it the other way
    dataset = _read_first_blocks(
        lambda position, length: bytes(buffer[position : position + length]),
        size,
        lambda: _Source(name, None, size, stat.st_mtime_ns),
        force,
        False,
        specific_tags,
        name,
        LONG_HEADER_BYTES + 1,  # every block: the file is in memory already
    )
    if dataset is None:
        return None
    elements = dataset._dict
    if _several_encapsulated_frames(elements):
        return None
    for tag in _PIXEL_TAGS:
        raw = elements.get(tag)
        if type(raw) is RawDataElement and type(raw.value) is FileValue:
            value = raw.value
            kept = replace(
                value,
                copy=buffer[value.offset : value.offset + value.length],
                private=value.length >= size * _PRIVATE_PIXEL_SHARE,
            )
            elements[tag] = _new_raw(RawDataElement, (*raw[:3], kept, *raw[4:]))
    return dataset


def _several_encapsulated_frames(elements: dict[int, Any]) -> bool:
    """Whether Pixel Data, as read, is encapsulated and Number of Frames
    (undecoded) is more than 1, or cannot be read as a number."""
    pixels = elements.get(0x7FE00010)
    if type(pixels) is not RawDataElement or not pixels.is_undefined_length:
        return False
    frames = elements.get(0x00280008)
    if frames is None:
        return False
    if type(frames) is not RawDataElement or type(frames.value) is not bytes:
        return True
    try:
        return int(frames.value.decode("latin-1").strip(" \x00") or 1) > 1
    except ValueError:
        return True  # the usual read reports it


def _read_buffer(
    buffer: Any,
    size: int,
    source: _Source,
    force: bool,
    stop_before_pixels: bool,
    specific_tags: Iterable[Any] | None,
    filename: str | None,
    base_offset: int = 0,
) -> FileDataset:
    return _read_buffer_to(
        buffer,
        size,
        source,
        force,
        stop_before_pixels,
        specific_tags,
        filename,
        base_offset,
    )[0]


def _read_buffer_to(
    buffer: Any,
    size: int,
    source: _Source,
    force: bool,
    stop_before_pixels: bool,
    specific_tags: Iterable[Any] | None,
    filename: str | None,
    base_offset: int = 0,
    prefix_of: int | None = None,
    read_more: Callable[[int, int], bytes] | None = None,
) -> tuple[FileDataset, int]:
    """The dataset in ``buffer[:size]`` and the position in ``buffer`` where
    reading stopped: the Pixel Data element's tag when stopped before it,
    else the end.

    ``prefix_of``: ``buffer`` holds only the first ``size`` bytes of a file
    this long; :class:`_NeedMore` is raised unless every element but the
    values left in the file lies within them.  ``read_more``: reads bytes
    of that file past them (see :meth:`_Parser._encapsulated_end`).
    """
    preamble: bytes | None = None
    position = 0
    if size >= 132 and buffer[128:132] == b"DICM":
        preamble = bytes(buffer[:128])
        position = 132
    elif size >= 4 and buffer[:4] == b"DICM":
        position = 4
    elif not force:
        raise InvalidDicomError(
            "not a DICOM file: the 128-byte preamble and 'DICM' prefix are missing "
            "(dcmread(..., force=True) reads a bare dataset)",
            offset=128 if size >= 132 else 0,
        )

    file_meta = FileMetaDataset()
    if position + 8 <= size and buffer[position : position + 2] == b"\x02\x00":
        # File Meta Information is always Explicit VR Little Endian (PS3.10
        # 7.1); some writers used implicit VR, which the guess catches.
        # The elements after the meta group may be in another encoding, so
        # only the first VR tells.
        implicit_meta = bytes(buffer[position + 4 : position + 6]) not in _VR_FROM_BYTES
        meta_parser = _Parser(
            buffer,
            implicit_vr=implicit_meta,
            little_endian=True,
            source=_Source(None, None),
            base_offset=base_offset,
            prefix_of=prefix_of,
        )
        position = meta_parser.parse(file_meta, position, size, stop_group=0x0002)
    elif preamble is not None and not force:
        raise InvalidDicomError(
            "the File Meta Information is missing after 'DICM'", offset=position
        )

    transfer_syntax = None
    element = file_meta._dict.get(0x00020010)
    if type(element) is RawDataElement and type(element.value) is bytes:
        # The UID's text without decoding the element (left for its first use).
        transfer_syntax = element.value.decode("latin-1").strip("\x00 ")
    elif element is not None:
        transfer_syntax = str(file_meta._element(0x00020010).value or "").strip("\x00 ")
    if transfer_syntax == _IMPLICIT_VR_LITTLE_ENDIAN:
        implicit_vr, little_endian = True, True
    elif transfer_syntax == _EXPLICIT_VR_BIG_ENDIAN:
        implicit_vr, little_endian = False, False
    elif transfer_syntax:
        implicit_vr, little_endian = False, True
    else:
        implicit_vr, little_endian = _guess_encoding(buffer, position, size)
    if (
        transfer_syntax
        and not implicit_vr
        and transfer_syntax != _DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN
        # A VR where the first one belongs settles it without a walk: an
        # implicit VR length would have to exceed 16 KiB to look like one.
        and bytes(buffer[position + 4 : position + 6]) not in _VR_FROM_BYTES
        and _guess_encoding(buffer, position, size)[0]
    ):
        # Some writers label implicit VR data with an explicit VR syntax; the
        # first element's VR bytes tell.
        warnings.warn(
            f"the Transfer Syntax UID says explicit VR but the dataset is "
            f"encoded with implicit VR; reading it as implicit VR (byte offset "
            f"{position + base_offset})",
            stacklevel=3,
        )
        implicit_vr = True

    wanted = wanted_tags(specific_tags)
    dataset = FileDataset(
        filename, None, preamble, file_meta, implicit_vr, little_endian
    )
    if transfer_syntax == _DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN:
        if prefix_of is not None:
            raise _NeedMore(prefix_of)  # inflated whole, or not at all
        inflated = _inflate(buffer[position:size], position + base_offset)
        parser = _Parser(
            inflated,
            implicit_vr=False,
            little_endian=True,
            source=_Source(None, None),
            stop_before_pixels=stop_before_pixels,
            wanted=wanted,
        )
        parser.parse(dataset, 0, len(inflated))
        stopped = size
    else:
        parser = _Parser(
            buffer,
            implicit_vr=implicit_vr,
            little_endian=little_endian,
            source=source,
            stop_before_pixels=stop_before_pixels,
            wanted=wanted,
            base_offset=base_offset,
            prefix_of=prefix_of,
        )
        if base_offset == 0:
            parser.read_more = read_more
        # Offsets into a memory map are file offsets; a bytes buffer read from
        # a file object starts at ``base_offset``.
        stopped = parser.parse(dataset, position, size)
        if (
            prefix_of is not None
            and stopped < prefix_of
            and not (stop_before_pixels and stopped < size)
        ):
            # Elements follow beyond the part read (after a value left in
            # the file, or past the end of the part).
            raise _NeedMore(stopped)
    if _SPECIFIC_CHARACTER_SET in dataset._dict:
        charset = dataset._element(_SPECIFIC_CHARACTER_SET).value
        dataset.set_original_encoding(implicit_vr, little_endian, charset)
    return dataset, stopped


def _inflate(data: Any, offset: int) -> bytes:
    """Inflate a Deflated Explicit VR Little Endian dataset (raw deflate, RFC
    1951, PS3.5 A.5) without letting a small input claim unbounded memory:
    at most ``max_inflate_ratio`` times the input and ``max_inflated_bytes``
    in all."""
    ratio = config.limits.max_inflate_ratio
    ceiling = config.limits.max_inflated_bytes
    source = memoryview(data)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pieces: list[bytes] = []
    produced = 0
    consumed = 0
    # Input goes in small steps so that a bomb is caught after a few MB of
    # output, not after it has claimed ratio x its size in one call.
    step = 1 << 14
    try:
        while consumed < len(source) and not inflater.eof:
            chunk = source[consumed : consumed + step]
            consumed += len(chunk)
            by_ratio = max(consumed * ratio, 1 << 20)
            # One byte past the ceiling tells a stream that would exceed it.
            allowed = min(by_ratio, ceiling + 1) - produced
            piece = inflater.decompress(chunk, max(allowed, 1))
            produced += len(piece)
            pieces.append(piece)
            if produced > ceiling:
                raise LimitError(
                    f"deflated dataset inflates past {ceiling} bytes",
                    limit="max_inflated_bytes",
                )
            if inflater.unconsumed_tail or produced > by_ratio:
                raise LimitError(
                    f"deflated dataset inflates past {ratio} times its size",
                    limit="max_inflate_ratio",
                )
        pieces.append(inflater.flush())
    except zlib.error as exc:
        raise InvalidDicomError(
            f"deflated dataset is corrupt: {exc}", offset=offset
        ) from exc
    return b"".join(pieces)


def read_dataset(
    data: bytes,
    *,
    is_implicit_VR: bool,  # noqa: N803 - pydicom's name
    is_little_endian: bool,
) -> Dataset:
    """Parse a bare dataset (no preamble, no file meta) from bytes."""
    dataset = Dataset()
    _Parser(
        data,
        implicit_vr=is_implicit_VR,
        little_endian=is_little_endian,
        source=_Source(None, None),
    ).parse(dataset, 0, len(data))
    dataset.set_original_encoding(is_implicit_VR, is_little_endian)
    return dataset
