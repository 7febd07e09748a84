"""pydicom's ``datadict`` module path over :mod:`dicomcore.dictionary`.

The look-ups are dicomcore's own; what differs is the shape of an entry.
pydicom returns plain tuples, ``(VR, VM, name, retired, keyword)`` with
``retired`` as ``"Retired"`` or ``""``, and ``(VR, VM, name, retired)`` for a
private element, and code unpacks them by position, so that is what
:func:`get_entry`, :func:`get_private_entry` and the dictionary views give.

>>> get_entry(0x00100010)
('PN', '1', "Patient's Name", '', 'PatientName')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from dicomcore import dictionary as _dictionary
from dicomcore.dictionary import (
    add_dict_entries,
    add_dict_entry,
    add_private_dict_entries,
    add_private_dict_entry,
    mask_match,
    repeater_has_keyword,
    repeater_has_tag,
    tag_for_keyword,
)
from dicomcore.dictionary._elements import ELEMENTS, REPEATERS
from dicomcore.tag import BaseTag, Tag, TagType

__all__ = [
    "REPEATER_KEYWORDS",
    "BaseTag",
    "DicomDictionary",
    "RepeatersDictionary",
    "Tag",
    "TagType",
    "add_dict_entries",
    "add_dict_entry",
    "add_private_dict_entries",
    "add_private_dict_entry",
    "dictionary_VM",
    "dictionary_VR",
    "dictionary_description",
    "dictionary_has_tag",
    "dictionary_is_retired",
    "dictionary_keyword",
    "get_entry",
    "get_private_entry",
    "keyword_dict",
    "keyword_for_tag",
    "mask_match",
    "masks",
    "private_dictionaries",
    "private_dictionary_VM",
    "private_dictionary_VR",
    "private_dictionary_description",
    "repeater_has_keyword",
    "repeater_has_tag",
    "tag_for_keyword",
]

PublicEntry = tuple[str, str, str, str, str]
PrivateEntry = tuple[str, str, str, str]


def _retired_text(retired: Any) -> str:
    return "Retired" if retired else ""


def _public(raw: tuple[str, str, str, str, bool]) -> PublicEntry:
    vr, vm, name, keyword, retired = raw
    return vr, vm, name, _retired_text(retired), keyword


def get_entry(tag: TagType) -> PublicEntry:
    """``(VR, VM, name, "Retired" or "", keyword)`` of a public element or
    repeating-group element; KeyError if the dictionary does not list it.

    dicomcore's own :func:`dicomcore.dictionary.get_entry` also answers for
    Group Length and Private Creator elements of any group; pydicom's lists
    neither, and code relies on the KeyError, so this one does not either.
    """
    tag = Tag(tag)
    raw = ELEMENTS.get(tag)
    if raw is None and not tag.is_private:
        mask = mask_match(tag)
        if mask is not None:
            raw = REPEATERS[mask]
    if raw is None:
        raise KeyError(f"Tag {tag} not found in DICOM dictionary")
    return _public(raw)


def dictionary_has_tag(tag: TagType) -> bool:
    """True if the public dictionary (without repeating groups) lists ``tag``."""
    return int(Tag(tag)) in ELEMENTS


def dictionary_VR(tag: TagType) -> str:  # noqa: N802 - pydicom's name
    """The VR of a public element, e.g. ``"US or SS"``; KeyError if unknown."""
    return get_entry(tag)[0]


def dictionary_VM(tag: TagType) -> str:  # noqa: N802 - pydicom's name
    """The VM of a public element, e.g. ``"1-n"``; KeyError if unknown."""
    return get_entry(tag)[1]


def dictionary_description(tag: TagType) -> str:
    """The name of a public element; KeyError if unknown."""
    return get_entry(tag)[2]


def dictionary_is_retired(tag: TagType) -> bool:
    """True if the public element is retired; KeyError if unknown."""
    return get_entry(tag)[3] == "Retired"


def dictionary_keyword(tag: TagType) -> str:
    """The keyword of a public element; KeyError if unknown."""
    return get_entry(tag)[4]


def keyword_for_tag(tag: TagType) -> str:
    """The keyword of ``tag``, ``""`` if the dictionary does not list it."""
    try:
        return dictionary_keyword(tag)
    except KeyError:
        return ""


def get_private_entry(tag: TagType, private_creator: str) -> PrivateEntry:
    """``(VR, VM, name, "Retired" or "")`` of a private element; KeyError if
    the creator or the element is not in the private dictionary."""
    tag = Tag(tag)
    if private_creator not in _dictionary._private_registry():
        raise KeyError(
            f"Private creator '{private_creator}' not in the private dictionary"
        )
    entry = _dictionary.private_dictionary_entry(private_creator, tag)
    if entry is None:
        raise KeyError(
            f"Tag '{tag}' not in private dictionary for private creator "
            f"'{private_creator}'"
        )
    return entry.VR, entry.VM, entry.name, _retired_text(entry.retired)


def private_dictionary_VR(tag: TagType, private_creator: str) -> str:  # noqa: N802
    """The VR of a private element; KeyError if unknown."""
    return get_private_entry(tag, private_creator)[0]


def private_dictionary_VM(tag: TagType, private_creator: str) -> str:  # noqa: N802
    """The VM of a private element; KeyError if unknown."""
    return get_private_entry(tag, private_creator)[1]


def private_dictionary_description(tag: TagType, private_creator: str) -> str:
    """The name of a private element; KeyError if unknown."""
    return get_private_entry(tag, private_creator)[2]


class _PublicDictionary(MutableMapping[int, PublicEntry]):
    """pydicom's ``DicomDictionary``: tag -> entry tuple, over dicomcore's
    table. Setting an item adds or replaces an entry as :func:`add_dict_entries`
    does."""

    def __getitem__(self, tag: int) -> PublicEntry:
        return _public(ELEMENTS[int(tag)])

    def __setitem__(self, tag: int, entry: tuple[Any, ...]) -> None:
        add_dict_entries({tag: entry})

    def __delitem__(self, tag: int) -> None:
        raise TypeError("entries of the DICOM dictionary cannot be removed")

    def __iter__(self) -> Iterator[int]:
        return iter(ELEMENTS)

    def __len__(self) -> int:
        return len(ELEMENTS)

    def __contains__(self, tag: object) -> bool:
        return tag in ELEMENTS


class _RepeatersDictionary(Mapping[str, PublicEntry]):
    """pydicom's ``RepeatersDictionary``: mask such as ``"60xx3000"`` -> entry."""

    def __getitem__(self, mask: str) -> PublicEntry:
        return _public(REPEATERS[mask])

    def __iter__(self) -> Iterator[str]:
        return iter(REPEATERS)

    def __len__(self) -> int:
        return len(REPEATERS)


class _KeywordDictionary(Mapping[str, int]):
    """pydicom's ``keyword_dict``: keyword -> tag."""

    def __getitem__(self, keyword: str) -> int:
        tag = tag_for_keyword(keyword)
        if tag is None:
            raise KeyError(keyword)
        return tag

    def __iter__(self) -> Iterator[str]:
        return (raw[3] for raw in ELEMENTS.values() if raw[3])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _PrivateDictionaries(Mapping[str, Mapping[str, PrivateEntry]]):
    """pydicom's ``private_dictionaries``: creator -> {``"0019xx02"``: entry}."""

    def _table(self) -> dict[str, dict[str, tuple[str, str, str, str, bool]]]:
        return _dictionary._private_registry()

    def __getitem__(self, private_creator: str) -> Mapping[str, PrivateEntry]:
        block = self._table()[private_creator]
        return {
            key: (vr, vm, name, _retired_text(retired))
            for key, (vr, vm, name, _keyword, retired) in block.items()
        }

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


DicomDictionary = _PublicDictionary()
RepeatersDictionary = _RepeatersDictionary()
keyword_dict = _KeywordDictionary()
private_dictionaries = _PrivateDictionaries()
REPEATER_KEYWORDS = [raw[3] for raw in REPEATERS.values()]


def _mask(mask: str) -> tuple[int, int]:
    # The tag bits a mask fixes, and their values: "60xx3000" fixes all but xx.
    fixed = int(mask.replace("x", "0"), 16)
    bits = int("".join("0" if char == "x" else "F" for char in mask), 16)
    return fixed, bits


masks: dict[str, tuple[int, int]] = {mask: _mask(mask) for mask in REPEATERS}
