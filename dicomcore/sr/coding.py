"""``Code``: one coded concept (PS3.3 Table 8.8-1, the Code Sequence Macro)."""

from __future__ import annotations

from typing import Any, NamedTuple

from dicomcore.sr._snomed import SCT_TO_SRT

__all__ = ["Code", "snomed_mapping"]

# Both directions, as pydicom offers them: {"SCT": {sct: srt}, "SRT": {srt: sct}}.
snomed_mapping: dict[str, dict[str, str]] = {
    "SCT": SCT_TO_SRT,
    "SRT": {srt: sct for sct, srt in SCT_TO_SRT.items()},
}


def _identity(concept: Any) -> tuple[str, str, str | None]:
    """The (code value, scheme, version) a concept is compared by.

    A retired SNOMED RT code ("SRT") stands for the SNOMED CT code ("SCT")
    that replaced it, so data written before the change still matches.
    """
    value = concept.value
    scheme = concept.scheme_designator
    if scheme == "SRT" and value in snomed_mapping["SRT"]:
        value, scheme = snomed_mapping["SRT"][value], "SCT"
    return value, scheme, concept.scheme_version


class Code(NamedTuple):
    """A coded concept: Code Value, Coding Scheme Designator, Code Meaning and
    optionally Coding Scheme Version.

    Two codes are equal when value, scheme and version are; the meaning is a
    label and does not count. Any object with ``value``,
    ``scheme_designator`` and ``scheme_version`` attributes (a dataset
    holding a Code Sequence item, say) compares the same way.

    >>> Code("130290", "DCM", "Median") == Code("130290", "DCM", "median value")
    True
    """

    value: str
    scheme_designator: str
    meaning: str
    scheme_version: str | None = None

    # The hash follows the scheme as written, so an "SRT" code and its "SCT"
    # replacement are equal yet may hash apart, exactly as in pydicom.
    def __hash__(self) -> int:
        return hash(self.scheme_designator + self.value)

    def __eq__(self, other: object) -> bool:
        try:
            return _identity(self) == _identity(other)
        except AttributeError:
            # Not a coded concept; False rather than NotImplemented, or
            # Python would fall back to comparing the two as plain tuples.
            return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)
