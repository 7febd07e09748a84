"""Person Name (PN) values (PS3.5 6.2.1).

A PN value has up to three component groups separated by ``=``: alphabetic,
ideographic and phonetic. Each group has up to five components separated by
``^``: family name, given name, middle name, name prefix, name suffix. The
split works on decoded text, so it holds whatever the character set: the
decoder and encoder of :mod:`dicomcore.values.charset` return to value 1 of
Specific Character Set at each ``^`` and ``=`` (PS3.5 6.1.2.5.3), so each
component is encoded in whichever declared set holds its characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dicomcore.config import settings
from dicomcore.errors import DicomValueError
from dicomcore.values.charset import CharacterSet, names_character_set
from dicomcore.values.text import decode_text, encode_text

__all__ = ["PersonName"]

_GROUP_DELIMITER = "="
_COMPONENT_DELIMITER = "^"
_COMPONENT_NAMES = (
    "family_name",
    "given_name",
    "middle_name",
    "name_prefix",
    "name_suffix",
)
_GROUP_NAMES = ("alphabetic", "ideographic", "phonetic")

Encodings = CharacterSet | str | Iterable[str] | None


def _terms(encodings: Encodings) -> tuple[str, ...] | None:
    """The character set as a tuple of Specific Character Set values (or
    Python codec names), None for the default repertoire."""
    if not encodings:
        return None
    if isinstance(encodings, CharacterSet):
        return encodings.terms or None
    if isinstance(encodings, str):
        return tuple(encodings.split("\\"))
    return tuple(str(term) for term in encodings)


class PersonName(str):
    """A PN value: a ``str`` holding the value as read or assigned, with its
    groups and components as attributes.

    >>> name = PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
    >>> name.family_name, name.given_name, name.ideographic
    ('Yamada', 'Tarou', '山田^太郎')
    >>> name.family_name_ideographic, name.given_name_phonetic
    ('山田', 'たろう')
    >>> name == "Yamada^Tarou=山田^太郎=やまだ^たろう"
    True

    Bytes are decoded in ``encodings`` (Specific Character Set values such as
    ``["", "ISO 2022 IR 87"]``, or Python codec names), which the name
    remembers for :meth:`encode`:

    >>> PersonName(b"Yamada^Tarou=\\x1b$B;3ED\\x1b(B^\\x1b$BB@O:\\x1b(B",
    ...            ["", "ISO 2022 IR 87"]).ideographic
    '山田^太郎'
    """

    encodings: tuple[str, ...] | None

    def __new__(
        cls,
        value: str | bytes | bytearray | memoryview = "",
        encodings: Encodings = None,
    ) -> PersonName:
        if isinstance(value, (bytes, bytearray, memoryview)):
            value = decode_text(value, encodings, vr="PN")
        obj = super().__new__(cls, value)
        obj.encodings = _terms(encodings)
        return obj

    def __str__(self) -> str:
        # The groups without the empty ones at the end, as pydicom shows
        # names; the value itself (and what is written) keeps them.
        return "=".join(self.components)

    def __repr__(self) -> str:
        return repr(str(self))

    @property
    def components(self) -> tuple[str, ...]:
        """The component groups (alphabetic, ideographic, phonetic), without
        trailing empty groups; ``()`` for an empty name."""
        groups = self.split(_GROUP_DELIMITER)
        while groups and not groups[-1]:
            groups.pop()
        return tuple(groups)

    def _group(self, index: int) -> str:
        groups = self.components
        return groups[index] if index < len(groups) else ""

    def _component(self, index: int, group: int = 0) -> str:
        parts = self._group(group).split(_COMPONENT_DELIMITER)
        return parts[index] if index < len(parts) else ""

    def group_components(self, group: int | str = 0) -> dict[str, str]:
        """The five components of one component group (0 or "alphabetic",
        1 or "ideographic", 2 or "phonetic"), by name; missing ones are "".

        >>> PersonName("Doe^John^^Dr").group_components("alphabetic")["name_prefix"]
        'Dr'
        """
        index = _GROUP_NAMES.index(group) if isinstance(group, str) else group
        return {
            name: self._component(position, index)
            for position, name in enumerate(_COMPONENT_NAMES)
        }

    @property
    def alphabetic(self) -> str:
        """The first (single-byte character) group."""
        return self._group(0)

    @property
    def ideographic(self) -> str:
        """The second group, in ideographic characters."""
        return self._group(1)

    @property
    def phonetic(self) -> str:
        """The third group, in phonetic characters."""
        return self._group(2)

    @property
    def family_name(self) -> str:
        """First component of the alphabetic group."""
        return self._component(0)

    @property
    def given_name(self) -> str:
        """Second component of the alphabetic group."""
        return self._component(1)

    @property
    def middle_name(self) -> str:
        """Third component of the alphabetic group."""
        return self._component(2)

    @property
    def name_prefix(self) -> str:
        """Fourth component of the alphabetic group."""
        return self._component(3)

    @property
    def name_suffix(self) -> str:
        """Fifth component of the alphabetic group."""
        return self._component(4)

    # The components of the ideographic and phonetic groups, named as
    # from_named_components() takes them.

    @property
    def family_name_ideographic(self) -> str:
        return self._component(0, 1)

    @property
    def given_name_ideographic(self) -> str:
        return self._component(1, 1)

    @property
    def middle_name_ideographic(self) -> str:
        return self._component(2, 1)

    @property
    def name_prefix_ideographic(self) -> str:
        return self._component(3, 1)

    @property
    def name_suffix_ideographic(self) -> str:
        return self._component(4, 1)

    @property
    def family_name_phonetic(self) -> str:
        return self._component(0, 2)

    @property
    def given_name_phonetic(self) -> str:
        return self._component(1, 2)

    @property
    def middle_name_phonetic(self) -> str:
        return self._component(2, 2)

    @property
    def name_prefix_phonetic(self) -> str:
        return self._component(3, 2)

    @property
    def name_suffix_phonetic(self) -> str:
        return self._component(4, 2)

    def formatted(self, format_str: str) -> str:
        """``format_str`` filled %-style with the components of every group
        (``%(family_name)s``, ``%(given_name_ideographic)s`` ...).

        >>> PersonName("Doe^John").formatted("%(given_name)s %(family_name)s")
        'John Doe'
        """
        fields = {}
        for group, suffix in enumerate(("", "_ideographic", "_phonetic")):
            for name, text in self.group_components(group).items():
                fields[name + suffix] = text
        return format_str % fields

    def family_comma_given(self) -> str:
        """``"Family, Given"``."""
        return self.formatted("%(family_name)s, %(given_name)s")

    def encode(self, encodings: Encodings = None) -> bytes:  # type: ignore[override]  # PN bytes follow the character set
        """The value's bytes in ``encodings`` (default: this name's own, else
        the default repertoire), without padding. Each component is written
        in the first declared set that holds it, with the escape sequences
        of PS3.5 Annex H:

        >>> PersonName("Yamada^Tarou=山田^太郎").encode(["", "ISO 2022 IR 87"])
        b'Yamada^Tarou=\\x1b$B;3ED\\x1b(B^\\x1b$BB@O:\\x1b(B'
        """
        if isinstance(encodings, str) and not names_character_set(encodings):
            # str's own protocol, which tools call as name.encode("ascii")
            return str.encode(self, encodings)
        chosen = encodings if encodings is not None else self.encodings
        return encode_text(
            str.__str__(self), chosen, vr="PN", mode=settings.writing_validation_mode
        )

    @classmethod
    def from_named_components(
        cls,
        family_name: str | bytes = "",
        given_name: str | bytes = "",
        middle_name: str | bytes = "",
        name_prefix: str | bytes = "",
        name_suffix: str | bytes = "",
        family_name_ideographic: str | bytes = "",
        given_name_ideographic: str | bytes = "",
        middle_name_ideographic: str | bytes = "",
        name_prefix_ideographic: str | bytes = "",
        name_suffix_ideographic: str | bytes = "",
        family_name_phonetic: str | bytes = "",
        given_name_phonetic: str | bytes = "",
        middle_name_phonetic: str | bytes = "",
        name_prefix_phonetic: str | bytes = "",
        name_suffix_phonetic: str | bytes = "",
        encodings: Encodings = None,
    ) -> PersonName:
        """Build a name from its components; trailing empty components and
        groups are left out. A component given as bytes is decoded in
        ``encodings``, which the name keeps for :meth:`encode`.

        >>> PersonName.from_named_components(family_name="Doe", given_name="John",
        ...                                  name_suffix="Jr")
        'Doe^John^^^Jr'
        """
        groups = [
            (family_name, given_name, middle_name, name_prefix, name_suffix),
            (
                family_name_ideographic,
                given_name_ideographic,
                middle_name_ideographic,
                name_prefix_ideographic,
                name_suffix_ideographic,
            ),
            (
                family_name_phonetic,
                given_name_phonetic,
                middle_name_phonetic,
                name_prefix_phonetic,
                name_suffix_phonetic,
            ),
        ]
        return cls(_join_groups(groups, encodings), encodings)

    @classmethod
    def from_named_components_veterinary(
        cls,
        responsible_party_name: str | bytes = "",
        patient_name: str | bytes = "",
        responsible_party_name_ideographic: str | bytes = "",
        patient_name_ideographic: str | bytes = "",
        responsible_party_name_phonetic: str | bytes = "",
        patient_name_phonetic: str | bytes = "",
        encodings: Encodings = None,
    ) -> PersonName:
        """Build a veterinary name (PS3.5 6.2.1.1): the responsible party's
        family name or organisation, then the patient's (animal's) name.

        >>> PersonName.from_named_components_veterinary("ABC Farms", "Running on Water")
        'ABC Farms^Running on Water'
        """
        groups = [
            (responsible_party_name, patient_name),
            (responsible_party_name_ideographic, patient_name_ideographic),
            (responsible_party_name_phonetic, patient_name_phonetic),
        ]
        return cls(_join_groups(groups, encodings), encodings)


def _join_groups(groups: list[tuple[Any, ...]], encodings: Encodings) -> str:
    texts = []
    for group in groups:
        parts = [_component_text(part, encodings) for part in group]
        texts.append(_COMPONENT_DELIMITER.join(parts).rstrip(_COMPONENT_DELIMITER))
    return _GROUP_DELIMITER.join(texts).rstrip(_GROUP_DELIMITER)


def _component_text(part: str | bytes, encodings: Encodings) -> str:
    text = decode_text(part, encodings, vr="PN") if isinstance(part, bytes) else part
    for delimiter in (_COMPONENT_DELIMITER, _GROUP_DELIMITER, "\\"):
        if delimiter in text:
            raise DicomValueError(
                f"Invalid value for VR PN: component {text!r} contains "
                f"{delimiter!r}, which separates components, groups or values"
            )
    return text
