"""Where the directory records lie in a DICOMDIR, and File IDs (PS3.10 8).

The records of a DICOMDIR point at each other by byte offset: the offset of
a record is that of its item tag in the Directory Record Sequence (0004,1220),
counted from the first byte of the file (the preamble).  The reader does not
keep where items were, so :func:`record_offsets` walks the encoded elements
once, from the end of the File Meta Information, skipping values by their
lengths; items and sequences of undefined length are walked element by
element until their delimiters.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import PurePath

from dicomcore.errors import InvalidDicomError

__all__ = ["generate_filename", "is_conformant_file_id", "record_offsets"]

_DIRECTORY_RECORD_SEQUENCE = 0x00041220
_ITEM = 0xFFFEE000
_ITEM_DELIMITER = 0xFFFEE00D
_SEQUENCE_DELIMITER = 0xFFFEE0DD
_UNDEFINED = 0xFFFFFFFF
_LONG_VRS = frozenset(
    b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split()
)  # their explicit VR header has a 4-byte length
_MAX_DEPTH = 64
_FILE_ID_COMPONENT = re.compile(r"[A-Z0-9_]{1,8}")


class _Walker:
    def __init__(self, buffer: bytes, implicit_vr: bool, little_endian: bool) -> None:
        self.buffer = buffer
        self.implicit_vr = implicit_vr
        order = "<" if little_endian else ">"
        self.tag_parts = struct.Struct(order + "HH")
        self.u16 = struct.Struct(order + "H")
        self.u32 = struct.Struct(order + "L")

    def error(self, message: str, position: int) -> InvalidDicomError:
        return InvalidDicomError(f"DICOMDIR: {message}", offset=position)

    def header(self, position: int) -> tuple[int, bytes | None, int, int]:
        """(tag, VR or None, value length, value position) of an element."""
        if position + 8 > len(self.buffer):
            raise self.error("data ended inside an element header", position)
        group, element = self.tag_parts.unpack_from(self.buffer, position)
        tag = group << 16 | element
        if tag >> 16 == 0xFFFE or self.implicit_vr:
            return (
                tag,
                None,
                self.u32.unpack_from(self.buffer, position + 4)[0],
                position + 8,
            )
        vr = self.buffer[position + 4 : position + 6]
        if vr in _LONG_VRS:
            if position + 12 > len(self.buffer):
                raise self.error("data ended inside an element header", position)
            length = self.u32.unpack_from(self.buffer, position + 8)[0]
            return tag, vr, length, position + 12
        return tag, vr, self.u16.unpack_from(self.buffer, position + 6)[0], position + 8

    def skip_element(self, position: int, depth: int) -> int:
        """The position after the element at ``position``."""
        tag, _, length, value = self.header(position)
        if length != _UNDEFINED:
            end = value + length
            if end > len(self.buffer):
                raise self.error(f"the value of {tag:08X} runs past the end", position)
            return end
        return self.skip_items(value, depth + 1)

    def items(
        self, position: int, end: int | None, depth: int
    ) -> Iterator[tuple[int, int]]:
        """(start, end) of each item of a sequence whose value starts at
        ``position``; ``end`` is None for undefined length."""
        if depth > _MAX_DEPTH:
            raise self.error("sequences nested too deeply", position)
        while end is None or position < end:
            tag, _, length, value = self.header(position)
            if tag == _SEQUENCE_DELIMITER:
                if end is not None:
                    raise self.error(
                        "a sequence delimiter in a defined length", position
                    )
                return
            if tag != _ITEM:
                raise self.error(f"expected an item, found {tag:08X}", position)
            if length != _UNDEFINED:
                item_end = value + length
                if item_end > len(self.buffer):
                    raise self.error("an item runs past the end of the file", position)
            else:
                item_end = value
                while True:
                    element_tag = self.header(item_end)[0]
                    if element_tag == _ITEM_DELIMITER:
                        item_end += 8
                        break
                    item_end = self.skip_element(item_end, depth)
            yield position, item_end
            position = item_end

    def skip_items(self, position: int, depth: int) -> int:
        end = position
        for _start, item_end in self.items(position, None, depth):
            end = item_end
        tag = self.header(end)[0]
        if tag != _SEQUENCE_DELIMITER:  # pragma: no cover - items() stops there
            raise self.error("a sequence is not terminated", end)
        return end + 8


def record_offsets(
    buffer: bytes, dataset_start: int, implicit_vr: bool, little_endian: bool
) -> list[int]:
    """The byte offset of each item of the Directory Record Sequence, in order.

    ``buffer`` is the whole file; ``dataset_start`` the offset of the first
    element after the File Meta Information.
    """
    walker = _Walker(buffer, implicit_vr, little_endian)
    position = dataset_start
    while position < len(buffer):
        tag, _, length, value = walker.header(position)
        if tag == _DIRECTORY_RECORD_SEQUENCE:
            end = None if length == _UNDEFINED else value + length
            return [start for start, _ in walker.items(value, end, 0)]
        if tag > _DIRECTORY_RECORD_SEQUENCE:
            break
        position = walker.skip_element(position, 0)
    return []


def is_conformant_file_id(path: str | PurePath) -> bool:
    """Whether ``path`` (relative to the File-set's root) is a File ID PS3.10
    allows: at most 8 components, each of 1 to 8 characters from A-Z, 0-9
    and _.

    >>> is_conformant_file_id("PT000000/ST000000/IM000001")
    True
    >>> is_conformant_file_id("images/ct1.dcm")
    False
    """
    parts = PurePath(path).parts
    return 0 < len(parts) <= 8 and all(_FILE_ID_COMPONENT.fullmatch(p) for p in parts)


_DIGITS = "0123456789"
# J is left out (35 symbols), so that names match those pydicom 3 makes
_ALPHANUMERIC = "0123456789ABCDEFGHIKLMNOPQRSTUVWXYZ"


def generate_filename(
    prefix: str = "", start: int = 0, alphanumeric: bool = False
) -> Iterator[str]:
    """File ID components of 8 characters: ``prefix`` and then a count from
    ``start`` in decimal (or, with ``alphanumeric``, base 35), zero-filled.

    >>> names = generate_filename("IM", 9)
    >>> next(names), next(names)
    ('IM000009', 'IM000010')
    """
    if len(prefix) > 7:
        raise ValueError(f"a File ID prefix has at most 7 characters, not {prefix!r}")
    symbols = _ALPHANUMERIC if alphanumeric else _DIGITS
    width = 8 - len(prefix)
    for index in range(start, len(symbols) ** width):
        digits = ""
        while index:
            index, digit = divmod(index, len(symbols))
            digits = symbols[digit] + digits
        yield prefix + digits.rjust(width, "0")
