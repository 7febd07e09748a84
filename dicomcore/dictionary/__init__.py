"""The DICOM data dictionary: public and private data elements, and UIDs.

Public data elements come from PS3.6 and PS3.7 (the command group 0000);
repeating groups follow PS3.5 7.6; private data elements are looked up by
Private Creator. All lookups are dictionary lookups.

>>> get_entry(0x00100010).name
"Patient's Name"
>>> tag_for_keyword("PatientName") == 0x00100010
True
>>> dictionary_VR(0x60043000)  # Overlay Data in overlay group 6004
'OB or OW'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from dicomcore.dictionary._elements import ELEMENTS, REPEATERS

__all__ = [
    "DictionaryEntry",
    "UIDEntry",
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
    "get_entry_or_none",
    "get_private_entry",
    "keyword_for_tag",
    "mask_match",
    "private_dictionary_VM",
    "private_dictionary_VR",
    "private_dictionary_description",
    "private_dictionary_entry",
    "registered_uids",
    "repeater_has_keyword",
    "repeater_has_tag",
    "tag_for_keyword",
    "uid_entry",
    "uid_for_keyword",
]


class DictionaryEntry(NamedTuple):
    """One data element of a dictionary.

    ``VR`` is spelled as the standard spells it, ambiguous ones included
    ("US or SS", "OB or OW"); the Item and delimitation tags have "NONE".
    """

    VR: str
    VM: str
    name: str
    keyword: str
    retired: bool


class UIDEntry(NamedTuple):
    """One UID of the PS3.6 registry. ``type`` is e.g. "Transfer Syntax"."""

    name: str
    keyword: str
    type: str
    retired: bool


_RawEntry = tuple[str, str, str, str, bool]

# PS3.5 7.2: (gggg,0000) is a Group Length, UL; retired outside groups 0000
# and 0002, which the dictionary lists by name.
_GROUP_LENGTH: _RawEntry = ("UL", "1", "Group Length", "", True)
# PS3.5 7.8.1: (gggg,0010-00FF) in an odd group reserves a private block.
_PRIVATE_CREATOR: _RawEntry = ("LO", "1", "Private Creator", "", False)
# PS3.5 7.6: overlay (60xx) and curve (50xx) groups are the even groups up to
# xx = 1E; other repeating groups take any even group of their mask.
_LAST_REPEATING_GROUP = {0x5000: 0x501E, 0x6000: 0x601E}


def _mask_parts(mask: str) -> tuple[int, int]:
    """("60xx3000") -> (0xFF00FFFF, 0x60003000): which bits to compare, and
    the value they must have."""
    select = int("".join("0" if char == "x" else "F" for char in mask), 16)
    return select, int(mask.replace("x", "0"), 16)


def _build_repeater_index() -> dict[int, dict[int, str]]:
    index: dict[int, dict[int, str]] = {}
    for mask in REPEATERS:
        select, value = _mask_parts(mask)
        index.setdefault(select, {})[value] = mask
    return index


_REPEATER_INDEX = _build_repeater_index()


def _first_tag(mask: str) -> int:
    """The lowest tag a mask stands for that is not a Group Length."""
    select, value = _mask_parts(mask)
    if value & 0xFFFF == 0 and select & 0xFFFF != 0xFFFF:
        free_element_bits = ~select & 0xFFFF
        value |= free_element_bits & -free_element_bits
    return value


def _build_keyword_index() -> dict[str, int]:
    keywords = {
        mask_entry[3]: _first_tag(mask) for mask, mask_entry in REPEATERS.items()
    }
    keywords.update((entry[3], tag) for tag, entry in ELEMENTS.items() if entry[3])
    return keywords


_KEYWORDS = _build_keyword_index()
_REPEATER_KEYWORDS = frozenset(entry[3] for entry in REPEATERS.values())


def _as_int(tag: Any) -> int:
    if isinstance(tag, int):
        return int(tag)
    from dicomcore.tag import Tag  # the data model layer; only for non-int input

    return int(Tag(tag))


def _tag_text(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def mask_match(tag: Any) -> str | None:
    """The repeating-group mask (e.g. ``"60xx3000"``) that ``tag`` falls under,
    or None. Odd groups are private and match no mask."""
    tag = _as_int(tag)
    group = tag >> 16
    if group & 1:
        return None
    for select, masks in _REPEATER_INDEX.items():
        mask = masks.get(tag & select)
        if mask is None:
            continue
        last = _LAST_REPEATING_GROUP.get(group & 0xFF00)
        if last is not None and "x" in mask[:4] and group > last:
            continue
        return mask
    return None


def _lookup(tag: Any) -> _RawEntry | None:
    tag = _as_int(tag)
    entry = ELEMENTS.get(tag)
    if entry is not None:
        return entry
    element = tag & 0xFFFF
    if element == 0:
        return _GROUP_LENGTH
    if (tag >> 16) & 1:
        return _PRIVATE_CREATOR if 0x0010 <= element <= 0x00FF else None
    mask = mask_match(tag)
    return REPEATERS[mask] if mask is not None else None


def get_entry_or_none(tag: Any) -> DictionaryEntry | None:
    """The public dictionary entry for ``tag``, or None if there is none.

    Repeating groups resolve: (6004,3000) is Overlay Data; (6001,3000) is a
    private element and (6020,3000) is outside the overlay groups, so neither
    has an entry. (gggg,0000) is a Group Length and (gggg,0010-00FF) in an odd
    group a Private Creator.
    """
    entry = _lookup(tag)
    return DictionaryEntry._make(entry) if entry is not None else None


def _require(tag: Any) -> _RawEntry:
    entry = _lookup(tag)
    if entry is None:
        raise KeyError(f"Tag {_tag_text(_as_int(tag))} not found in DICOM dictionary")
    return entry


def get_entry(tag: Any) -> DictionaryEntry:
    """The public dictionary entry for ``tag``; KeyError if there is none."""
    return DictionaryEntry._make(_require(tag))


def dictionary_has_tag(tag: Any) -> bool:
    """True if ``tag`` has a public dictionary entry (repeating groups included)."""
    return _lookup(tag) is not None


def dictionary_VR(tag: Any) -> str:  # noqa: N802 - the established name
    """The VR of ``tag`` ("US or SS" for ambiguous ones); KeyError if unknown."""
    return _require(tag)[0]


def dictionary_VM(tag: Any) -> str:  # noqa: N802 - the established name
    """The VM of ``tag`` (e.g. "1", "1-n", "2-2n"); KeyError if unknown."""
    return _require(tag)[1]


def dictionary_description(tag: Any) -> str:
    """The name of ``tag`` (e.g. "Patient's Name"); KeyError if unknown."""
    return _require(tag)[2]


def dictionary_keyword(tag: Any) -> str:
    """The keyword of ``tag`` (e.g. "PatientName"); KeyError if unknown."""
    return _require(tag)[3]


def dictionary_is_retired(tag: Any) -> bool:
    """True if ``tag`` is retired; KeyError if unknown."""
    return _require(tag)[4]


def keyword_for_tag(tag: Any) -> str:
    """The keyword of ``tag``, or ``""`` if it has none."""
    entry = _lookup(tag)
    return entry[3] if entry is not None else ""


def tag_for_keyword(keyword: str) -> int | None:
    """The tag of ``keyword``, or None if unknown.

    A repeating-group keyword gives the first group's tag:
    ``tag_for_keyword("OverlayData") == 0x60003000``.
    """
    return _KEYWORDS.get(keyword)


def repeater_has_tag(tag: Any) -> bool:
    """True if ``tag`` falls under a repeating-group mask."""
    return mask_match(tag) is not None


def repeater_has_keyword(keyword: str) -> bool:
    """True if ``keyword`` names a repeating-group element such as OverlayData."""
    return keyword in _REPEATER_KEYWORDS


def add_dict_entry(
    tag: Any,
    VR: str,  # noqa: N803 - the established name
    keyword: str,
    description: str,
    VM: str = "1",  # noqa: N803 - the established name
    is_retired: bool | str = False,
) -> None:
    """Add or replace one public dictionary entry, e.g. for a newer edition.

    ``is_retired`` may be a bool or a non-empty string such as "Retired".
    """
    add_dict_entries({tag: (VR, VM, description, is_retired, keyword)})


def add_dict_entries(new_entries_dict: Mapping[Any, tuple[Any, ...]]) -> None:
    """Add or replace public dictionary entries.

    ``new_entries_dict`` maps tag -> ``(VR, VM, description, is_retired,
    keyword)``. Private tags raise ValueError: see
    :func:`add_private_dict_entries`.
    """
    entries = {_as_int(tag): value for tag, value in new_entries_dict.items()}
    private = [tag for tag in entries if (tag >> 16) & 1]
    if private:
        raise ValueError(
            f"private tag {_tag_text(private[0])} cannot be added with "
            "add_dict_entries(); use add_private_dict_entries()"
        )
    for tag, (vr, vm, description, is_retired, keyword) in entries.items():
        old = ELEMENTS.get(tag)
        if old is not None and _KEYWORDS.get(old[3]) == tag:
            del _KEYWORDS[old[3]]
        ELEMENTS[tag] = (str(vr), str(vm), description, keyword, bool(is_retired))
        if keyword:
            _KEYWORDS[keyword] = tag


_PrivateTable = dict[str, dict[str, _RawEntry]]
_private_table: _PrivateTable | None = None


def _private_registry() -> _PrivateTable:
    # Loaded on first use: most programs never look up a private element.
    global _private_table
    if _private_table is None:
        from dicomcore.dictionary._private import PRIVATE

        _private_table = PRIVATE
    return _private_table


def _private_raw(private_creator: str, tag: int) -> _RawEntry | None:
    if not (tag >> 16) & 1:
        return None  # private elements live in odd groups only
    block = _private_registry().get(private_creator)
    if block is None:
        return None
    group = f"{tag >> 16:04X}"
    element = tag & 0xFFFF
    fixed = f"{element:04X}"
    # Below (gggg,1000) lie the Private Creators themselves, not block members.
    relative = f"xx{element & 0xFF:02X}" if element >= 0x1000 else None
    for key in (group + fixed, f"{group[:2]}xx{fixed}"):
        entry = block.get(key)
        if entry is not None:
            return entry
    if relative is not None:
        for key in (group + relative, f"{group[:2]}xx{relative}"):
            entry = block.get(key)
            if entry is not None:
                return entry
    return None


def private_dictionary_entry(private_creator: str, tag: Any) -> DictionaryEntry | None:
    """The private dictionary entry of ``tag`` under ``private_creator``, or None.

    An entry that the creator defines relative to its reserved block matches
    on the group and the element's low byte, in whichever block (gggg,xx00) the
    creator reserved; an entry with a fixed element matches that element only.

    >>> private_dictionary_entry("GEMS_ACQU_01", 0x00191002).name
    'Number of Cells in Detector'
    """
    entry = _private_raw(private_creator, _as_int(tag))
    return DictionaryEntry._make(entry) if entry is not None else None


def get_private_entry(tag: Any, private_creator: str) -> DictionaryEntry:
    """The private dictionary entry; KeyError if the creator or tag is unknown."""
    tag = _as_int(tag)
    if private_creator not in _private_registry():
        raise KeyError(
            f"Private creator '{private_creator}' not in the private dictionary"
        )
    entry = _private_raw(private_creator, tag)
    if entry is None:
        raise KeyError(
            f"Tag {_tag_text(tag)} not in private dictionary for private creator "
            f"'{private_creator}'"
        )
    return DictionaryEntry._make(entry)


def private_dictionary_VR(tag: Any, private_creator: str) -> str:  # noqa: N802
    """The VR of a private element; KeyError if unknown."""
    return get_private_entry(tag, private_creator).VR


def private_dictionary_VM(tag: Any, private_creator: str) -> str:  # noqa: N802
    """The VM of a private element; KeyError if unknown."""
    return get_private_entry(tag, private_creator).VM


def private_dictionary_description(tag: Any, private_creator: str) -> str:
    """The name of a private element; KeyError if unknown."""
    return get_private_entry(tag, private_creator).name


def add_private_dict_entry(
    private_creator: str,
    tag: Any,
    VR: str,  # noqa: N803 - the established name
    description: str,
    VM: str = "1",  # noqa: N803 - the established name
) -> None:
    """Add a private element relative to the creator's block: only the group
    and the element's low byte of ``tag`` count, so 0x00111001 and 0x00112001
    define the same entry."""
    add_private_dict_entries(private_creator, {tag: (VR, VM, description, False)})


def add_private_dict_entries(
    private_creator: str, new_entries_dict: Mapping[Any, tuple[Any, ...]]
) -> None:
    """Add private elements: tag -> ``(VR, VM, description, is_retired)``,
    each relative to the creator's block as in :func:`add_private_dict_entry`.
    Public tags raise ValueError."""
    entries = {_as_int(tag): value for tag, value in new_entries_dict.items()}
    public = [tag for tag in entries if not (tag >> 16) & 1]
    if public:
        raise ValueError(
            f"public tag {_tag_text(public[0])} cannot be added with "
            "add_private_dict_entries(); use add_dict_entries()"
        )
    block = _private_registry().setdefault(private_creator, {})
    for tag, (vr, vm, description, is_retired) in entries.items():
        key = f"{tag >> 16:04X}xx{tag & 0xFF:02X}"
        block[key] = (str(vr), str(vm), description, "", bool(is_retired))


_uid_table: dict[str, tuple[str, str, str, bool]] | None = None
_uid_keywords: dict[str, str] | None = None


def _uid_registry() -> dict[str, tuple[str, str, str, bool]]:
    # Loaded on first use, like the private dictionary.
    global _uid_table
    if _uid_table is None:
        from dicomcore.dictionary._uids import UIDS

        _uid_table = UIDS
    return _uid_table


def uid_entry(uid: str) -> UIDEntry | None:
    """The registry entry of ``uid``, or None if it is not registered."""
    entry = _uid_registry().get(uid)
    return UIDEntry._make(entry) if entry is not None else None


def registered_uids() -> list[str]:
    """Every UID of the registry, in the registry's order."""
    return list(_uid_registry())


def uid_for_keyword(keyword: str) -> str | None:
    """The UID registered under ``keyword`` (e.g. "CTImageStorage"), or None."""
    global _uid_keywords
    if _uid_keywords is None:
        _uid_keywords = {entry[1]: uid for uid, entry in _uid_registry().items()}
    return _uid_keywords.get(keyword)
