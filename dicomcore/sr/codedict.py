"""``codes``: every PS3.16 coded concept by coding scheme and by Context Group.

``codes.DCM`` is the collection of the DICOM scheme's concepts, ``codes.SCT``
SNOMED CT's, and ``codes.cid2`` (or ``codes.CID2``) Context Group 2's; an
attribute of a collection is a concept's keyword, its meaning in camel case.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, KeysView

from dicomcore.sr._cids import CID_CONCEPTS, NAME_FOR_CID
from dicomcore.sr._concepts import CONCEPTS
from dicomcore.sr.coding import Code

__all__ = ["Collection", "Concepts", "cid_for_name", "codes", "name_for_cid"]

name_for_cid: dict[int, str] = NAME_FOR_CID
cid_for_name: dict[str, int] = {name: cid for cid, name in NAME_FOR_CID.items()}


def _matching(keywords: Iterable[str], filters: Iterable[str]) -> list[str]:
    """Sorted unique keywords holding any filter, ignoring case (all if none)."""
    lowered = [text.lower() for text in filters]
    unique = set(keywords)
    if lowered:
        unique = {word for word in unique if any(f in word.lower() for f in lowered)}
    return sorted(unique)


class Collection:
    """The concepts of one coding scheme (``"SCT"``) or one Context Group
    (``"CID2"``), reached as attributes named by keyword.

    >>> codes.DCM.Median.value
    '130290'
    >>> "Median" in codes.cid2, codes.cid2.dir("med")
    (True, ['Intermediate', 'Medial', 'Median'])
    """

    repr_format = "{} = {}"

    def __init__(self, name: str) -> None:
        self._cid: int | None
        if name.upper().startswith("CID"):
            self._name = f"CID{name[3:]}"
            self._cid = int(name[3:])
            self._members = CID_CONCEPTS[self._cid]
        else:
            self._name = name
            self._cid = None
            self._scheme_concepts = CONCEPTS[name]
        self._concepts: dict[str, Code] = {}

    @property
    def name(self) -> str:
        """``"DCM"``, ``"SCT"``, ... or ``"CID<number>"``."""
        return self._name

    @property
    def scheme_designator(self) -> str:
        return self._name

    @property
    def is_cid(self) -> bool:
        """True for a Context Group, False for a coding scheme."""
        return self._cid is not None

    @property
    def concepts(self) -> dict[str, Code]:
        """Every concept of the collection, by keyword (built on first use)."""
        if not self._concepts:
            self._concepts = {keyword: getattr(self, keyword) for keyword in self.dir()}
        return self._concepts

    def dir(self, *filters: str) -> list[str]:
        """The sorted keywords containing any of ``filters``, ignoring case."""
        if self._cid is not None:
            keywords: Iterable[str] = (
                word for words in self._members.values() for word in words
            )
        else:
            keywords = self._scheme_concepts
        return _matching(keywords, filters)

    def __dir__(self) -> list[str]:
        # Methods, properties and keywords: what completion should offer.
        cls = type(self)
        routines = {name for name, _ in inspect.getmembers(cls, inspect.isroutine)}
        properties = {
            name for name, _ in inspect.getmembers(cls, inspect.isdatadescriptor)
        }
        return sorted(routines | properties | set(self.dir()))

    def trait_names(self) -> list[str]:
        """Names for IPython's completion."""
        return dir(self)

    def __getattr__(self, keyword: str) -> Code:
        if keyword.startswith("__") or "_cid" not in vars(self):
            # Special names (copy and pickle probe them, before __init__ has
            # run) are never concepts; keywords may begin with one "_".
            raise AttributeError(keyword)
        if self._cid is not None:
            return _cid_code(self._cid, self._members, keyword)
        try:
            codes = self._scheme_concepts[keyword]
        except KeyError:
            raise AttributeError(
                f"No matching code for keyword '{keyword}' in scheme '{self._name}'"
            ) from None
        if len(codes) > 1:
            raise RuntimeError(
                f"Multiple codes found for keyword '{keyword}' in scheme "
                f"'{self._name}': {', '.join(codes)}"
            )
        ((value, (meaning, _)),) = codes.items()
        return Code(value=value, scheme_designator=self._name, meaning=meaning)

    def __contains__(self, item: str | Code) -> bool:
        """A keyword of the collection, or a code equal to one of its concepts."""
        if isinstance(item, str):
            try:
                item = getattr(self, item)
            except AttributeError:
                return False
        return item in self.concepts.values()

    def __repr__(self) -> str:
        lines = [self.repr_format.format(k, c) for k, c in self.concepts.items()]
        return f"{self._name}\n" + "\n".join(lines)

    def __str__(self) -> str:
        concepts = self.concepts
        name_width = max(max(len(k) for k in concepts) + 2, 11)
        code_width = max(max(len(c.value) for c in concepts.values()) + 2, 6)
        scheme_width = max(
            max(len(c.scheme_designator) for c in concepts.values()) + 2, 8
        )
        if self.is_cid:
            columns = f"{{:{name_width}}} {{:{code_width}}} {{:{scheme_width}}} {{}}"
            lines = [
                self._name,
                columns.format("Attribute", "Code", "Scheme", "Meaning"),
                columns.format("---------", "----", "------", "-------"),
            ]
            lines += [
                columns.format(k, c.value, c.scheme_designator, c.meaning)
                for k, c in concepts.items()
            ]
        else:
            columns = f"{{:{name_width}}} {{:{code_width}}} {{}}"
            lines = [
                f"Scheme: {self._name}",
                columns.format("Attribute", "Code", "Meaning"),
                columns.format("---------", "----", "-------"),
            ]
            lines += [
                columns.format(k, c.value, c.meaning) for k, c in concepts.items()
            ]
        return "\n".join(lines)


def _cid_code(cid: int, members: dict[str, tuple[str, ...]], keyword: str) -> Code:
    """The concept ``keyword`` of Context Group ``cid``."""
    schemes = [scheme for scheme, words in members.items() if keyword in words]
    if not schemes:
        raise AttributeError(f"No matching code for keyword '{keyword}' in CID{cid}")
    if len(schemes) > 1:
        raise RuntimeError(
            f"Multiple schemes found to contain the keyword '{keyword}' in "
            f"CID{cid}: {', '.join(schemes)}"
        )
    scheme = schemes[0]
    codes = CONCEPTS[scheme][keyword]
    if len(codes) > 1:
        # A keyword naming several codes of a scheme: the group's own one.
        codes = {value: entry for value, entry in codes.items() if cid in entry[1]}
        if len(codes) > 1:
            meanings = ", ".join(meaning for meaning, _ in codes.values())
            raise RuntimeError(
                f"Multiple codes found for keyword '{keyword}' in CID{cid}: {meanings}"
            )
    value, (meaning, _) = next(iter(codes.items()))
    return Code(value=value, scheme_designator=scheme, meaning=meaning)


class Concepts:
    """Every collection, by scheme designator (``codes.SCT``) and by Context
    Group (``codes.cid2``, ``codes.CID2``)."""

    def __init__(self, collections: list[Collection]) -> None:
        self._collections = {collection.name: collection for collection in collections}

    @property
    def collections(self) -> KeysView[str]:
        """The names of the collections: schemes first, then ``"CID<n>"``."""
        return self._collections.keys()

    def schemes(self) -> list[str]:
        """The coding schemes' designators."""
        return [name for name in self._collections if not name.startswith("CID")]

    def CIDs(self) -> list[str]:  # noqa: N802 (pydicom's name)
        """The Context Groups' names, ``"CID<number>"``."""
        return [name for name in self._collections if name.startswith("CID")]

    def __getattr__(self, name: str) -> Collection:
        if name.startswith("__") or "_collections" not in vars(self):
            raise AttributeError(name)
        if name.upper().startswith("CID"):
            name = f"CID{name[3:]}"
        try:
            return self._collections[name]
        except KeyError:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '{name}'"
            ) from None


codes = Concepts(
    [Collection(scheme) for scheme in CONCEPTS]
    + [Collection(f"CID{cid}") for cid in NAME_FOR_CID]
)
