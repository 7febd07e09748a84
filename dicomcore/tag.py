"""Data element tags: ``Tag`` is an ``int`` holding ``(group << 16) | element``."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Union

__all__ = [
    "BaseTag",
    "ItemDelimiterTag",
    "ItemTag",
    "ItemDelimitationItemTag",
    "SequenceDelimiterTag",
    "SequenceDelimitationItemTag",
    "TAG_CHARSET",
    "TAG_PIXREP",
    "Tag",
    "TagListType",
    "TagType",
    "TupleTag",
    "tag_in_exception",
]


class BaseTag(int):
    """A tag as an ``int``; prints as ``(gggg,eeee)``."""

    __slots__ = ()

    @property
    def group(self) -> int:
        return self >> 16

    @property
    def element(self) -> int:
        return self & 0xFFFF

    elem = element

    @property
    def is_private(self) -> bool:
        """Odd group numbers are private (PS3.5 7.8.1)."""
        return (self >> 16) & 1 == 1

    @property
    def is_private_creator(self) -> bool:
        """(gggg,0010-00FF) in an odd group reserves a private block."""
        return self.is_private and 0x0010 <= (self & 0xFFFF) <= 0x00FF

    @property
    def private_creator(self) -> BaseTag:
        """The tag of the creator element reserving this private element."""
        return BaseTag((self & 0xFFFF0000) | ((self & 0xFF00) >> 8))

    @property
    def json_key(self) -> str:
        return f"{self >> 16:04X}{self & 0xFFFF:04X}"

    def __str__(self) -> str:
        return f"({self >> 16:04X},{self & 0xFFFF:04X})"

    __repr__ = __str__

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, int):
            return int(self) == int(other)
        try:
            return int(self) == int(Tag(other))
        except (TypeError, ValueError, OverflowError):
            return NotImplemented

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = int.__hash__

    def __lt__(self, other: Any) -> bool:
        return int(self) < int(Tag(other))

    def __le__(self, other: Any) -> bool:
        return int(self) <= int(Tag(other))

    def __gt__(self, other: Any) -> bool:
        return int(self) > int(Tag(other))

    def __ge__(self, other: Any) -> bool:
        return int(self) >= int(Tag(other))


TagType = Union[int, str, tuple[int, int], BaseTag]  # noqa: UP007 - a runtime alias on 3.10
# A list of tags written in any one of the ways Tag() accepts.
TagListType = Union[  # noqa: UP007 - a runtime alias on 3.10
    list[int], list[str], list[tuple[int, int]], list[BaseTag]
]


def Tag(arg: Any, arg2: int | None = None) -> BaseTag:  # noqa: N802 - pydicom's name
    """Make a tag from an int, ``(group, element)``, two ints, a keyword, or
    a hex string such as ``"0010,0010"`` or ``"00100010"``.

    >>> Tag("PatientName")
    (0010,0010)
    >>> Tag(0x0010, 0x0010) == 0x00100010
    True
    """
    if arg2 is not None:
        arg = (arg, arg2)
    if type(arg) is BaseTag:
        return arg
    if isinstance(arg, int) and not isinstance(arg, bool):
        value = int(arg)
    elif isinstance(arg, (tuple, list)):
        if len(arg) != 2:
            raise ValueError("a tag tuple must be (group, element)")
        group, element = (_part(part) for part in arg)
        if not (0 <= group <= 0xFFFF and 0 <= element <= 0xFFFF):
            raise OverflowError("group and element must each fit in 16 bits")
        value = (group << 16) | element
    elif isinstance(arg, str):
        value = _from_string(arg)
    else:
        raise TypeError(f"cannot make a tag from {type(arg).__name__}")
    if not 0 <= value <= 0xFFFFFFFF:
        raise OverflowError("a tag must fit in 32 bits")
    return BaseTag(value)


def _part(part: Any) -> int:
    if isinstance(part, str):
        return int(part, 16)
    return int(part)


def _from_string(text: str) -> int:
    from dicomcore.dictionary import tag_for_keyword

    tag = tag_for_keyword(text)
    if tag is not None:
        return tag
    cleaned = text.strip().strip("()").replace(" ", "")
    try:
        if "," in cleaned:
            group, element = cleaned.split(",")
            return (int(group, 16) << 16) | int(element, 16)
        if cleaned.lower().startswith("0x"):
            return int(cleaned, 16)
        if len(cleaned) == 8:
            return int(cleaned, 16)
    except ValueError:
        pass
    raise ValueError(f"'{text}' is neither a DICOM keyword nor a tag")


def TupleTag(group_element: tuple[int, int]) -> BaseTag:  # noqa: N802 - pydicom's name
    group, element = group_element
    return BaseTag((group << 16) | element)


ItemTag = BaseTag(0xFFFEE000)
ItemDelimitationItemTag = BaseTag(0xFFFEE00D)
SequenceDelimitationItemTag = BaseTag(0xFFFEE0DD)

# pydicom's names for the three item tags (PS3.5 7.5).
ItemDelimiterTag = ItemDelimitationItemTag
SequenceDelimiterTag = SequenceDelimitationItemTag

# Elements whose value decides how others are decoded.
TAG_PIXREP = BaseTag(0x00280103)  # Pixel Representation
TAG_CHARSET = BaseTag(0x00080005)  # Specific Character Set


@contextmanager
def tag_in_exception(tag: BaseTag) -> Iterator[None]:
    """Re-raise an exception from the block with ``tag`` named in its message.

    The exception keeps its type, so callers catching it are unaffected;
    the original traceback text is kept in the message, as pydicom does.
    """
    try:
        yield
    except Exception as error:
        details = traceback.format_exc()
        raise type(error)(
            f"With tag {tag} got exception: {error}\n{details}"
        ) from error
