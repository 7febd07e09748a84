"""Person Name (PN) values (PS3.5 6.2.1).

A PN value has up to three component groups separated by ``=``: alphabetic,
ideographic and phonetic. Each group has up to five components separated by
``^``: family name, given name, middle name, name prefix, name suffix. The
split works on decoded text, so it holds whatever the character set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dicomcore.config import settings
from dicomcore.errors import DicomValueError
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


class PersonName(str):
    """A PN value: a ``str`` holding the value as read or assigned, with its
    groups and components as attributes.

    >>> name = PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
    >>> name.family_name, name.given_name, name.ideographic
    ('Yamada', 'Tarou', '山田^太郎')
    >>> name == "Yamada^Tarou=山田^太郎=やまだ^たろう"
    True
    """

    encodings: tuple[str, ...] | None

    def __new__(
        cls,
        value: str | bytes | bytearray | memoryview = "",
        encodings: Sequence[str] | None = None,
    ) -> PersonName:
        if isinstance(value, (bytes, bytearray, memoryview)):
            value = decode_text(value, encodings)
        obj = super().__new__(cls, value)
        obj.encodings = tuple(encodings) if encodings else None
        return obj

    def __repr__(self) -> str:
        return str.__repr__(self)

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

    def _component(self, index: int) -> str:
        parts = self._group(0).split(_COMPONENT_DELIMITER)
        return parts[index] if index < len(parts) else ""

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

    def formatted(self, format_str: str) -> str:
        """``format_str`` filled %-style with the alphabetic components.

        >>> PersonName("Doe^John").formatted("%(given_name)s %(family_name)s")
        'John Doe'
        """
        return format_str % {name: getattr(self, name) for name in _COMPONENT_NAMES}

    def family_comma_given(self) -> str:
        """``"Family, Given"``."""
        return self.formatted("%(family_name)s, %(given_name)s")

    def encode(self, encodings: Sequence[str] | None = None) -> bytes:  # type: ignore[override]  # PN bytes follow the character set
        """The value's bytes in ``encodings`` (default: this name's own, else
        the default repertoire), without padding."""
        chosen = encodings if encodings is not None else self.encodings
        return encode_text(
            str(self), chosen, vr="PN", mode=settings.writing_validation_mode
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
        encodings: Sequence[str] | None = None,
    ) -> PersonName:
        """Build a name from its components; trailing empty components and
        groups are left out.

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
        encodings: Sequence[str] | None = None,
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


def _join_groups(groups: list[tuple[Any, ...]], encodings: Sequence[str] | None) -> str:
    texts = []
    for group in groups:
        parts = [_component_text(part, encodings) for part in group]
        texts.append(_COMPONENT_DELIMITER.join(parts).rstrip(_COMPONENT_DELIMITER))
    return _GROUP_DELIMITER.join(texts).rstrip(_GROUP_DELIMITER)


def _component_text(part: str | bytes, encodings: Sequence[str] | None) -> str:
    text = decode_text(part, encodings) if isinstance(part, bytes) else part
    for delimiter in (_COMPONENT_DELIMITER, _GROUP_DELIMITER, "\\"):
        if delimiter in text:
            raise DicomValueError(
                f"Invalid value for VR PN: component {text!r} contains "
                f"{delimiter!r}, which separates components, groups or values"
            )
    return text
