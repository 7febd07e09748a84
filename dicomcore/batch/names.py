"""Short names for transfer syntaxes, as ``dicomcore convert --to`` takes them.

A name is one of

- the fixed names: ``explicit``, ``implicit``, ``big-endian``, ``deflated``
  (the native transfer syntaxes), ``rle`` (RLE Lossless) and
  ``jpeg-lossless`` (JPEG Lossless, First-Order Prediction, "SV1");
- ``jpeg-ls`` (JPEG-LS Lossless);
- a transfer syntax keyword from the UID registry, as it is
  (``JPEGLSNearLossless``) or in lower case with hyphens between its words
  (``jpegls-near-lossless``, ``jpeg2000-lossless``, ``htj2k``);
- a transfer syntax UID.

Names are matched without regard to case.  :func:`available_names` lists the
ones that can be written now: the native transfer syntaxes and those with an
encoder whose packages are installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "TransferSyntaxName",
    "available_names",
    "resolve_transfer_syntax",
]

#: The names the issue fixed, then the friendlier spellings of common ones.
_FIXED: Final = {
    "explicit": "1.2.840.10008.1.2.1",
    "implicit": "1.2.840.10008.1.2",
    "big-endian": "1.2.840.10008.1.2.2",
    "deflated": "1.2.840.10008.1.2.1.99",
    "rle": "1.2.840.10008.1.2.5",
    "jpeg-lossless": "1.2.840.10008.1.2.4.70",
    "jpeg-ls": "1.2.840.10008.1.2.4.80",
}
_NATIVE: Final = ("explicit", "implicit", "big-endian", "deflated")
_UID: Final = re.compile(r"[0-9]+(\.[0-9]+)+")
# Words of a keyword: a run of capitals before a capitalised word or a digit
# ("JPEGLS" in "JPEGLSLossless"), a capitalised word, or capitals and digits
# together ("HTJ2K", "JPEG2000", "SV1").
_WORD: Final = re.compile(r"[A-Z0-9]+(?=[A-Z][a-z]|$)|[A-Z][a-z]+|[A-Z0-9]+")


@dataclass(frozen=True)
class TransferSyntaxName:
    """A name ``--to`` accepts, the transfer syntax it names, and facts for help."""

    name: str
    uid: str
    keyword: str
    description: str
    lossy: bool


def hyphenated(keyword: str) -> str:
    """``JPEGLSNearLossless`` -> ``jpegls-near-lossless``."""
    return "-".join(word.lower() for word in _WORD.findall(keyword))


def _registered_transfer_syntaxes() -> dict[str, str]:
    """keyword -> UID of every transfer syntax in the UID registry."""
    from dicomcore import uid as uid_module

    return {
        value.keyword: str(value)
        for value in vars(uid_module).values()
        if isinstance(value, uid_module.UID)
        and value.is_transfer_syntax
        and value.keyword
    }


def _names() -> dict[str, str]:
    """Every accepted name (lower case) -> UID; fixed names win a clash."""
    names: dict[str, str] = {}
    for keyword, uid in _registered_transfer_syntaxes().items():
        names.setdefault(keyword.lower(), uid)
        names.setdefault(hyphenated(keyword), uid)
    names.update(_FIXED)
    return names


def resolve_transfer_syntax(name: str) -> str:
    """The transfer syntax UID that ``name`` (a name, keyword or UID) stands for.

    Raises ValueError naming the transfer syntaxes available when ``name``
    is none of them.

    >>> resolve_transfer_syntax("rle")
    '1.2.840.10008.1.2.5'
    >>> resolve_transfer_syntax("JPEGLSLossless")
    '1.2.840.10008.1.2.4.80'
    """
    text = str(name).strip()
    if _UID.fullmatch(text):
        from dicomcore.uid import UID

        if not UID(text).is_transfer_syntax:
            raise ValueError(f"{text} is not a transfer syntax UID")
        return text
    uid = _names().get(text.lower())
    if uid is None:
        choices = ", ".join(entry.name for entry in available_names())
        raise ValueError(
            f"unknown transfer syntax {name!r}; available: {choices} "
            "(or a transfer syntax keyword or UID)"
        )
    return uid


def _short_name(uid: str, keyword: str) -> str:
    for name, fixed_uid in _FIXED.items():
        if fixed_uid == uid:
            return name
    name = hyphenated(keyword)
    # A keyword whose hyphenated form a fixed name took (JPEGLossless, the
    # .57 syntax, vs jpeg-lossless for SV1) is offered by its keyword.
    return keyword if _FIXED.get(name, uid) != uid else name


def available_names() -> list[TransferSyntaxName]:
    """The transfer syntaxes that can be written now, by short name: the
    native ones, then each with an installed encoder (by name)."""
    from dicomcore.pixels.registry import codec_table
    from dicomcore.uid import UID

    uids = [_FIXED[name] for name in _NATIVE]
    encoded = sorted(
        {
            uid
            for row in codec_table().rows
            if row.kind == "encoder" and row.available == "yes"
            for uid in row.transfer_syntaxes
        }
        - set(uids)
    )
    entries = []
    for uid in [*uids, *encoded]:
        transfer_syntax = UID(uid)
        keyword = transfer_syntax.keyword or uid
        entries.append(
            TransferSyntaxName(
                name=_short_name(uid, keyword),
                uid=uid,
                keyword=keyword,
                description=transfer_syntax.name,
                lossy=transfer_syntax.is_lossy,
            )
        )
    native = entries[: len(uids)]
    return native + sorted(entries[len(uids) :], key=lambda entry: entry.name.lower())
