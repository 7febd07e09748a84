"""Datasets: tag-ordered collections of data elements, addressed by keyword."""

from __future__ import annotations

import numbers
import re
import warnings
import weakref
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from dicomcore import config
from dicomcore._printing import dataset_text
from dicomcore.dataelem import DataElement, RawDataElement
from dicomcore.dictionary import (
    get_entry_or_none,
    keyword_for_tag,
    private_dictionary_entry,
    tag_for_keyword,
)
from dicomcore.errors import DicomError, ElementNotFoundError, UnknownKeywordError
from dicomcore.sequence import Sequence
from dicomcore.tag import BaseTag, Tag, TagType
from dicomcore.vr import TEXT_VRS

if TYPE_CHECKING:  # numpy is only needed by the pixel conveniences
    import numpy as np

__all__ = ["Dataset", "FileDataset", "FileMetaDataset", "PrivateBlock"]

_SPECIFIC_CHARACTER_SET = 0x00080005
_PIXEL_REPRESENTATION = 0x00280103
_BITS_ALLOCATED = 0x00280100
_PIXEL_DATA = 0x7FE00010
# Pixel Data, Float Pixel Data and Double Float Pixel Data.
_PIXEL_ELEMENT_TAGS = (_PIXEL_DATA, 0x7FE00008, 0x7FE00009)
_LUT_DESCRIPTOR = 0x00283002
_LUT_DATA = 0x00283006
_WAVEFORM_BITS_ALLOCATED = 0x5400100A
_WAVEFORM_DATA_ELEMENTS = frozenset({0x54001010, 0x5400100A})

# Names a user may set on a Dataset without them becoming data elements.
_CAMEL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")

# A new dataset's attributes besides its elements (``_dict``): no parent
# (the weak reference behind ``_parent``), no cached pixels, no encoding read.
_EMPTY_STATE: Final = {
    "_parent_ref": None,
    "_pixel_cache": None,
    "_read_implicit": None,
    "_read_little": None,
    "_read_charset": None,
    "is_undefined_length_sequence_item": False,
}


class Dataset(MutableMapping[int, DataElement]):
    """A DICOM dataset, as pydicom users know it.

    >>> ds = Dataset()
    >>> ds.PatientName = "Doe^John"
    >>> ds[0x00100010].VR, str(ds.PatientName)
    ('PN', 'Doe^John')
    >>> "PatientName" in ds
    True
    """

    indent_chars = "   "
    #: pydicom's cache of the decoded pixels, which libraries built on pydicom
    #: read (None: nothing decoded) and fill with arrays they decode
    #: themselves. dicomcore's own cache is elsewhere, so this stays None
    #: unless such a library sets it.
    _pixel_array: np.ndarray | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Straight into __dict__: __setattr__ is for element keywords, and
        # the reader makes a dataset for every file and sequence item.
        self.__dict__.update(_EMPTY_STATE)
        self.__dict__["_dict"] = {}
        if args:
            source = args[0]
            items = (
                source.values()
                if isinstance(source, Dataset)
                else (source.values() if isinstance(source, dict) else source)
            )
            for elem in items:
                self.add(elem)
        for keyword, value in kwargs.items():
            setattr(self, keyword, value)

    # -- element access --------------------------------------------------------

    def _element(self, tag: int) -> DataElement:
        """The element for ``tag``, turning a raw element into a DataElement."""
        elem = self._dict[tag]
        if type(elem) is RawDataElement:
            elem = self._convert_raw(elem)
            self._dict[tag] = elem
        return elem  # type: ignore[return-value]

    def _convert_raw(self, raw: RawDataElement) -> DataElement:
        tag = raw.tag
        vr = raw.VR
        if vr is None:
            vr = self._implicit_vr(tag)
        if " or " in vr:
            vr = self._resolve_ambiguous(tag, vr, raw)
        # Specific Character Set itself is CS, in the default repertoire; asking
        # for the character set while converting it would ask itself.
        encodings = None if tag == _SPECIFIC_CHARACTER_SET else self._text_encodings()
        elem = DataElement.from_raw(raw, vr, encodings)
        if tag >> 16 & 1 and tag & 0xFFFF > 0x00FF:
            elem.private_creator = self._private_creator_of(tag)
        return elem

    def _implicit_vr(self, tag: int) -> str:
        element = tag & 0xFFFF
        if element == 0:
            return "UL"  # group length
        if tag >> 16 & 1:
            if element <= 0x00FF:
                return "LO" if element >= 0x0010 else "UN"
            creator = self._private_creator_of(tag)
            if creator:
                entry = private_dictionary_entry(creator, tag)
                if entry is not None and entry.VR not in ("", "NONE"):
                    return entry.VR
            return "UN"
        entry = get_entry_or_none(tag)
        if entry is None or entry.VR in ("", "NONE"):
            return "UN"
        return entry.VR

    def _resolve_ambiguous(self, tag: int, vr: str, raw: RawDataElement | None) -> str:
        """Pick one VR where the dictionary gives several (PS3.5 A.1, PS3.3)."""
        if tag == _PIXEL_DATA:
            if raw is not None and raw.is_undefined_length:
                return "OB"  # encapsulated (PS3.5 A.4)
            if self._read_implicit:
                return "OW"  # implicit VR native pixel data is OW (PS3.5 A.1)
            bits = self._nearest_value(_BITS_ALLOCATED)
            return "OW" if bits is not None and bits > 8 else "OB"
        if tag == _LUT_DATA:
            descriptor = self._nearest_value(_LUT_DESCRIPTOR)
            if descriptor is not None and _first(descriptor) == 1:
                return "US"
            return "OW"
        if (tag >> 16) & 0xFF00 == 0x6000 or tag in _WAVEFORM_DATA_ELEMENTS:
            if tag == 0x54001010 and not self._read_implicit:
                bits = self._nearest_value(_WAVEFORM_BITS_ALLOCATED)
                return "OW" if bits is None or bits > 8 else "OB"
            return "OW"
        if "US" in vr and "SS" in vr:
            pixel_representation = self._nearest_value(_PIXEL_REPRESENTATION)
            return "SS" if pixel_representation == 1 else "US"
        return vr.split(" or ")[0]

    def _nearest_value(self, tag: int) -> Any:
        dataset: Dataset | None = self
        while dataset is not None:
            if tag in dataset._dict:
                value = dataset._element(tag).value
                return _first(value) if isinstance(value, list) else value
            dataset = dataset._parent
        return None

    def _private_creator_of(self, tag: int) -> str | None:
        creator_tag = (tag & 0xFFFF0000) | ((tag >> 8) & 0xFF)
        if creator_tag not in self._dict:
            return None
        value = self._element(creator_tag).value
        if isinstance(value, bytes):
            # A creator stored as OB (or another binary VR) names no block
            # the private dictionary knows, as pydicom reads it: its
            # elements print as "Private tag data".
            return None
        return str(value).strip() if value else None

    def _text_encodings(self) -> Any:
        """The Specific Character Set value the text of this dataset is
        decoded and encoded with: its own or, in a sequence item without one,
        the nearest enclosing dataset's. Resolved (and its problems reported)
        by :func:`dicomcore.values.charset.character_set`."""
        dataset: Dataset | None = self
        while dataset is not None:
            if _SPECIFIC_CHARACTER_SET in dataset._dict:
                return dataset._element(_SPECIFIC_CHARACTER_SET).value
            parent = dataset.__dict__.get("_parent_ref")  # see _parent
            dataset = None if parent is None else parent()
        return None

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return self._slice(key)
        tag = key if type(key) is int or type(key) is BaseTag else _to_tag(key)
        try:
            return self._element(tag)
        except KeyError:
            raise ElementNotFoundError(
                f"{BaseTag(tag)} is not in the dataset"
            ) from None

    def __setitem__(self, key: Any, elem: DataElement) -> None:
        tag = _to_tag(key)
        if not isinstance(elem, (DataElement, RawDataElement)):
            raise TypeError("a Dataset holds DataElement values")
        if elem.tag != tag:
            raise ValueError(
                f"the element's tag {BaseTag(elem.tag)} is not the key {BaseTag(tag)}"
            )
        self._store(elem)

    def _keep_text_encodings(self) -> None:
        """Tie every text element read from the file to the character set it
        was written in, before Specific Character Set changes: values not yet
        decoded would otherwise be decoded in the new one. The writer then
        re-encodes them in the new set (as pydicom does)."""
        for tag, elem in list(self._dict.items()):
            if tag == _SPECIFIC_CHARACTER_SET:
                continue
            if type(elem) is RawDataElement:
                vr = elem.VR if elem.VR is not None else self._implicit_vr(tag)
                if vr not in TEXT_VRS and vr != "SQ":
                    continue
                elem = self._element(tag)
            if elem.VR == "SQ":
                for item in elem.value:
                    if _SPECIFIC_CHARACTER_SET not in item._dict:
                        item._keep_text_encodings()

    def _store(self, elem: DataElement | RawDataElement) -> None:
        if elem.tag == _SPECIFIC_CHARACTER_SET:
            self._keep_text_encodings()
        if isinstance(elem, DataElement):
            if " or " in elem.VR:
                elem.VR = self._resolve_ambiguous(elem.tag, elem.VR, None)
            if elem.VR == "SQ":
                value = elem.value
                if isinstance(value, Sequence):
                    value._adopt(self)
            tag = elem.tag
            if tag >> 16 & 1 and tag & 0xFFFF > 0x00FF and not elem.private_creator:
                elem.private_creator = self._private_creator_of(tag)
        self._dict[elem.tag] = elem
        self._pixel_cache = None

    def __delitem__(self, key: Any) -> None:
        if isinstance(key, slice):
            for tag in [int(t) for t in self._slice_tags(key)]:
                del self._dict[tag]
            return
        tag = _to_tag(key)
        try:
            del self._dict[tag]
        except KeyError:
            raise ElementNotFoundError(
                f"{BaseTag(tag)} is not in the dataset"
            ) from None
        self._pixel_cache = None

    def __contains__(self, key: object) -> bool:
        try:
            tag = key if type(key) is int else _to_tag(key)
        except (TypeError, ValueError, OverflowError):
            return False
        return tag in self._dict

    def __iter__(self) -> Iterator[DataElement]:  # type: ignore[override]
        """Iterate over the elements in tag order (as pydicom does)."""
        for tag in sorted(self._dict):
            yield self._element(tag)

    def __len__(self) -> int:
        return len(self._dict)

    def keys(self) -> list[BaseTag]:  # type: ignore[override]
        return [BaseTag(tag) for tag in sorted(self._dict)]

    def values(self) -> list[DataElement]:  # type: ignore[override]
        return [self._element(tag) for tag in sorted(self._dict)]

    def items(self) -> list[tuple[BaseTag, DataElement]]:  # type: ignore[override]
        return [(elem.tag, elem) for elem in self]

    def elements(self) -> Iterator[DataElement | RawDataElement]:
        """Elements in tag order without decoding raw ones."""
        for tag in sorted(self._dict):
            yield self._dict[tag]

    def _slice_tags(self, key: slice) -> list[int]:
        start = 0 if key.start is None else _to_tag(key.start)
        stop = 0x100000000 if key.stop is None else _to_tag(key.stop)
        tags = [tag for tag in sorted(self._dict) if start <= tag < stop]
        return tags[:: key.step] if key.step else tags

    def _slice(self, key: slice) -> Dataset:
        sliced = Dataset()
        for tag in self._slice_tags(key):
            sliced._dict[tag] = self._dict[tag]
        return sliced

    def get(self, key: Any, default: Any = None) -> Any:
        """A keyword gives the value; a tag gives the element (as in pydicom)."""
        if isinstance(key, str):
            tag = tag_for_keyword(key)
            if tag is None:
                try:
                    tag = _to_tag(key)
                except ValueError:
                    return default
                return self._element(tag) if tag in self._dict else default
            if tag in self._dict:
                return self._element(tag).value
            return default
        tag = _to_tag(key)
        return self._element(tag) if tag in self._dict else default

    def pop(self, key: Any, *args: Any) -> Any:
        try:
            tag = _to_tag(key)
        except ValueError:
            if args:
                return args[0]
            raise
        if tag in self._dict:
            elem = self._element(tag)
            del self._dict[tag]
            self._pixel_cache = None
            return elem
        if args:
            return args[0]
        raise ElementNotFoundError(f"{BaseTag(tag)} is not in the dataset")

    def setdefault(self, key: Any, default: Any = None) -> DataElement:
        tag = _to_tag(key)
        if tag in self._dict:
            return self._element(tag)
        if isinstance(default, DataElement):
            elem = default
        else:
            elem = DataElement(tag, self._vr_for_new(tag), default)
        self._store(elem)
        return elem

    def update(self, other: Any = (), **kwargs: Any) -> None:  # type: ignore[override]
        items = other.items() if hasattr(other, "items") else other
        for key, value in items:
            if isinstance(value, DataElement):
                self[key] = value
            elif isinstance(key, str):
                setattr(self, key, value)
            else:
                self[key] = DataElement(key, self._vr_for_new(_to_tag(key)), value)
        for keyword, value in kwargs.items():
            setattr(self, keyword, value)

    def add(self, elem: DataElement) -> None:
        """Add (or replace) an element."""
        self._store(elem)

    def add_new(self, tag: TagType, VR: str, value: Any) -> None:  # noqa: N803
        """Add an element with the given tag, VR and value."""
        self._store(DataElement(tag, VR, value))

    def data_element(self, keyword: str) -> DataElement | None:
        """The element for a keyword, or None when absent."""
        tag = tag_for_keyword(keyword)
        if tag is None or tag not in self._dict:
            return None
        return self._element(tag)

    def _vr_for_new(self, tag: int, value: Any = None) -> str:
        vr = self._implicit_vr(tag)
        if " or " in vr:
            if (
                "SS" in vr
                and self._nearest_value(_PIXEL_REPRESENTATION) is None
                and _has_negative(value)
            ):
                # Nothing says which yet, and only SS holds the value: pydicom
                # accepts it too (it decides US or SS when writing).
                return "SS"
            vr = self._resolve_ambiguous(tag, vr, None)
        return vr

    # -- keyword attributes ------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        tag = tag_for_keyword(name)
        if tag is not None:
            elem = self.__dict__["_dict"].get(tag)
            if elem is not None:
                if type(elem) is RawDataElement:
                    elem = self._element(tag)
                return elem.value
        raise UnknownKeywordError(
            f"'{type(self).__name__}' object has no attribute '{name}'"
        )

    def __setattr__(self, name: str, value: Any) -> None:
        tag = tag_for_keyword(name)
        if tag is not None:
            if tag >> 16 == 0x0002 and not isinstance(self, FileMetaDataset):
                # pydicom 3 users expect group 2 to live in file_meta.
                self.file_meta.__setattr__(name, value)
                return
            elem = self._dict.get(tag)
            if elem is None:
                self._store(DataElement(tag, self._vr_for_new(tag, value), value))
            else:
                if tag == _SPECIFIC_CHARACTER_SET:
                    self._keep_text_encodings()
                if type(elem) is RawDataElement:
                    elem = self._element(tag)
                elem.value = value
                if elem.VR == "SQ":
                    elem.value._adopt(self)
                self._pixel_cache = None
            return
        if (
            config.INVALID_KEYWORD_BEHAVIOR != "IGNORE"
            and _CAMEL_CASE.match(name)
            and not hasattr(type(self), name)
        ):
            message = (
                f"Camel case attribute '{name}' used which is not in the element "
                "keyword data dictionary"
            )
            if config.INVALID_KEYWORD_BEHAVIOR == "RAISE":
                raise ValueError(message)
            if config.settings.warn_on_unknown_keyword:
                warnings.warn(message, stacklevel=2)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        tag = tag_for_keyword(name)
        if tag is not None and tag in self._dict:
            del self._dict[tag]
            self._pixel_cache = None
            return
        try:
            object.__delattr__(self, name)
        except AttributeError:
            raise UnknownKeywordError(
                f"'{type(self).__name__}' object has no attribute '{name}'"
            ) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.dir()))

    def dir(self, *filters: str) -> list[str]:
        """Keywords of the elements present, optionally those containing any of
        ``filters`` (case insensitive)."""
        keywords = [keyword_for_tag(tag) for tag in self._dict if not tag >> 16 & 1]
        keywords = [keyword for keyword in keywords if keyword]
        if filters:
            lowered = [text.lower() for text in filters]
            keywords = [
                keyword
                for keyword in keywords
                if any(text in keyword.lower() for text in lowered)
            ]
        return sorted(keywords)

    # -- file meta and encoding ------------------------------------------------

    @property
    def file_meta(self) -> FileMetaDataset:
        meta = self.__dict__.get("_file_meta")
        if meta is None:
            meta = FileMetaDataset()
            object.__setattr__(self, "_file_meta", meta)
        return meta

    @file_meta.setter
    def file_meta(self, value: Dataset | None) -> None:
        if value is None:
            object.__setattr__(self, "_file_meta", None)
            return
        if not isinstance(value, Dataset):
            raise TypeError("file_meta must be a FileMetaDataset")
        if not isinstance(value, FileMetaDataset):
            value = FileMetaDataset(value)
        object.__setattr__(self, "_file_meta", value)

    @file_meta.deleter
    def file_meta(self) -> None:
        # ``del ds.file_meta`` works in pydicom, where it is a plain attribute;
        # here the dataset is left with none (an empty one on next access).
        self.__dict__.pop("_file_meta", None)

    def ensure_file_meta(self) -> None:
        self.file_meta  # noqa: B018 - creates it when absent

    @property
    def original_encoding(self) -> tuple[bool | None, bool | None]:
        """``(is_implicit_VR, is_little_endian)`` of the file this was read from."""
        return self._read_implicit, self._read_little

    def set_original_encoding(
        self,
        is_implicit_vr: bool | None,
        is_little_endian: bool | None,
        charset: Any = None,
    ) -> None:
        state = self.__dict__
        state["_read_implicit"] = is_implicit_vr
        state["_read_little"] = is_little_endian
        state["_read_charset"] = charset

    @property
    def read_encoding(self) -> Any:
        return self._read_charset

    @property
    def read_implicit_vr(self) -> bool | None:
        """``original_encoding[0]`` by the name pydicom 3 deprecated."""
        name = type(self).__name__
        warnings.warn(
            f"'{name}.read_implicit_vr' will be removed in v4.0, use "
            f"'{name}.original_encoding[0]' instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._read_implicit

    @property
    def read_little_endian(self) -> bool | None:
        """``original_encoding[1]`` by the name pydicom 3 deprecated."""
        name = type(self).__name__
        warnings.warn(
            f"'{name}.read_little_endian' will be removed in v4.0, use "
            f"'{name}.original_encoding[1]' instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._read_little

    # pydicom 3 deprecated these two (to go in its 4.0) but still writes in the
    # encoding they are set to when the file meta names no transfer syntax.
    @property
    def is_implicit_VR(self) -> bool | None:  # noqa: N802 - pydicom's name
        """The VR encoding to write in when no Transfer Syntax UID says
        (deprecated in pydicom 3): set by hand, or as read."""
        hand = self.__dict__.get("_hand_encoding", (None, None))[0]
        return hand if hand is not None else self._read_implicit

    @is_implicit_VR.setter
    def is_implicit_VR(self, value: bool | None) -> None:  # noqa: N802
        name = type(self).__name__
        warnings.warn(
            f"'{name}.is_implicit_VR' will be removed in v4.0, set the Transfer "
            "Syntax UID or use the 'implicit_vr' argument with "
            f"{name}.save_as() or dcmwrite() instead",
            DeprecationWarning,
            stacklevel=2,
        )
        hand = self.__dict__.get("_hand_encoding", (None, None))
        object.__setattr__(self, "_hand_encoding", (value, hand[1]))

    @property
    def is_little_endian(self) -> bool | None:
        """The byte order to write in when no Transfer Syntax UID says
        (deprecated in pydicom 3): set by hand, or as read."""
        hand = self.__dict__.get("_hand_encoding", (None, None))[1]
        return hand if hand is not None else self._read_little

    @is_little_endian.setter
    def is_little_endian(self, value: bool | None) -> None:
        name = type(self).__name__
        warnings.warn(
            f"'{name}.is_little_endian' will be removed in v4.0, set the "
            "Transfer Syntax UID or use the 'little_endian' argument with "
            f"{name}.save_as() or dcmwrite() instead",
            DeprecationWarning,
            stacklevel=2,
        )
        hand = self.__dict__.get("_hand_encoding", (None, None))
        object.__setattr__(self, "_hand_encoding", (hand[0], value))

    @property
    def _parent(self) -> Dataset | None:
        # A weak reference: items must not keep their dataset alive, or every
        # dataset with a sequence would wait for the garbage collector.
        ref = self.__dict__.get("_parent_ref")
        return None if ref is None else ref()

    @_parent.setter
    def _parent(self, parent: Dataset | None) -> None:
        self.__dict__["_parent_ref"] = None if parent is None else weakref.ref(parent)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_parent_ref"] = None  # weak references do not pickle
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for elem in self._dict.values():
            if isinstance(elem, DataElement) and elem.VR == "SQ":
                elem.value._adopt(self)

    @property
    def parent_dataset(self) -> Dataset | None:
        """The dataset whose sequence holds this one as an item."""
        return self._parent

    # -- private blocks ----------------------------------------------------------

    def private_block(
        self, group: int, private_creator: str, create: bool = False
    ) -> PrivateBlock:
        """The block of ``group`` reserved by ``private_creator``.

        With ``create=True`` a new block is reserved in the first free slot
        (gggg,0010-00FF) when the creator has none yet.
        """
        if not group & 1:
            raise ValueError("private blocks live in odd groups")
        if group <= 0x0007:
            raise ValueError(f"group {group:04X} cannot hold private elements")
        free_slot = None
        for element in range(0x10, 0x100):
            tag = (group << 16) | element
            if tag in self._dict:
                value = self._element(tag).value
                if isinstance(value, bytes):
                    value = value.decode("latin_1")
                if str(value).strip() == private_creator:
                    return PrivateBlock(self, group, private_creator, element)
            elif free_slot is None:
                free_slot = element
        if not create:
            raise ElementNotFoundError(f"Private creator '{private_creator}' not found")
        if free_slot is None:
            raise DicomError(f"group {group:04X} has no free private block slot")
        self.add_new((group << 16) | free_slot, "LO", private_creator)
        return PrivateBlock(self, group, private_creator, free_slot)

    def private_creators(self, group: int) -> list[str]:
        if not group & 1:
            raise ValueError("private creators live in odd groups")
        creators = []
        for element in range(0x10, 0x100):
            tag = (group << 16) | element
            if tag in self._dict:
                creators.append(str(self._element(tag).value).strip())
        return creators

    def get_private_item(
        self, group: int, element_offset: int, private_creator: str
    ) -> DataElement:
        return self.private_block(group, private_creator)[element_offset]

    def remove_private_tags(self) -> None:
        """Remove every private element, here and in nested sequences."""

        def remove(dataset: Dataset, elem: DataElement) -> None:
            if elem.tag >> 16 & 1:
                del dataset[elem.tag]

        self.walk(remove)

    # -- traversal, copy, comparison ----------------------------------------------

    def walk(
        self, callback: Callable[[Dataset, DataElement], None], recursive: bool = True
    ) -> None:
        """Call ``callback(dataset, element)`` for every element, in tag order,
        descending into sequence items when ``recursive``."""
        for tag in sorted(self._dict):
            if tag not in self._dict:  # removed by the callback
                continue
            elem = self._element(tag)
            callback(self, elem)
            if recursive and tag in self._dict and elem.VR == "SQ":
                for item in elem.value:
                    item.walk(callback, recursive)

    def iterall(self) -> Iterator[DataElement]:
        """Every element, nested ones included, depth first."""
        for elem in self:
            yield elem
            if elem.VR == "SQ":
                for item in elem.value:
                    yield from item.iterall()

    def group_dataset(self, group: int) -> Dataset:
        return self[(group << 16) : ((group + 1) << 16)]

    def copy(self) -> Dataset:
        import copy

        return copy.copy(self)

    def __copy__(self) -> Dataset:
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        object.__setattr__(new, "_dict", dict(self._dict))
        return new

    def __deepcopy__(self, memo: dict[int, Any]) -> Dataset:
        import copy

        new = type(self).__new__(type(self))
        memo[id(self)] = new
        if type(self).__getstate__ is not Dataset.__getstate__:
            # A subclass with a state of its own (one holding a database
            # connection, say) copies through it, as copy.deepcopy of a
            # pydicom Dataset does.
            new.__setstate__(copy.deepcopy(self.__getstate__(), memo))
            for elem in new._dict.values():
                if isinstance(elem, DataElement) and elem.VR == "SQ":
                    elem.value._adopt(new)
            return new
        for name, value in self.__dict__.items():
            if name == "_dict":
                continue
            if name in ("_parent_ref", "fileobj"):
                object.__setattr__(new, name, value)
            else:
                object.__setattr__(new, name, copy.deepcopy(value, memo))
        object.__setattr__(new, "_dict", {})
        for tag in self._dict:
            elem = copy.deepcopy(self._element(tag), memo)
            new._dict[tag] = elem
            if elem.VR == "SQ":
                elem.value._adopt(new)
        return new

    def __eq__(self, other: Any) -> bool:
        if other is self:
            return True
        if not isinstance(other, Dataset):
            return NotImplemented
        if set(self._dict) != set(other._dict):
            return False
        return all(self._element(tag) == other._element(tag) for tag in self._dict)

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]

    # -- display -------------------------------------------------------------------

    default_element_format = "%(tag)s %(name)-35.35s %(VR)s: %(repval)s"
    default_sequence_element_format = "%(tag)s %(name)-35.35s %(VR)s: %(repval)s"

    def formatted_lines(
        self,
        element_format: str = default_element_format,
        sequence_element_format: str = default_sequence_element_format,
        indent_format: str | None = None,
    ) -> Iterator[str]:
        """Each element, those in sequence items too, as a line made with a
        ``%``-style format whose keys are the element's attributes (``tag``,
        ``name``, ``VR``, ``repval``, ``keyword``, ``VM``, ...).

        >>> next(ds.formatted_lines("%(keyword)s=%(value)s"))  # doctest: +SKIP
        'PatientName=Doe^John'
        """
        for elem in self.iterall():
            attributes = _ElementAttributes(elem)
            if elem.VR == "SQ":
                yield sequence_element_format % attributes
            else:
                yield element_format % attributes

    def __str__(self) -> str:
        return dataset_text(self)

    def __repr__(self) -> str:
        return dataset_text(self)

    def top(self) -> str:
        """The listing of the top level only: sequences without their items."""
        return dataset_text(self, top_level_only=True)

    # -- conveniences that belong to higher layers ---------------------------------

    def overlay_array(self, group: int) -> Any:
        """The overlay of repeating group ``group`` (0x6000-0x601E) as an array
        (see :func:`dicomcore.pixels.get_overlay_array`)."""
        from dicomcore.pixels.overlay import get_overlay_array

        return get_overlay_array(self, group)

    def to_json_dict(
        self,
        bulk_data_threshold: int = 1024,
        bulk_data_element_handler: Callable[[DataElement], str] | None = None,
        suppress_invalid_tags: bool = False,
    ) -> dict[str, Any]:
        """The dataset in the DICOM JSON model (PS3.18 F.2) as a dict."""
        from dicomcore.io.json import dataset_to_json_dict

        return dataset_to_json_dict(
            self, bulk_data_element_handler, bulk_data_threshold, suppress_invalid_tags
        )

    def to_json(
        self,
        bulk_data_threshold: int = 1024,
        bulk_data_element_handler: Callable[[DataElement], str] | None = None,
        dump_handler: Callable[[dict[str, Any]], str] | None = None,
        suppress_invalid_tags: bool = False,
    ) -> str:
        """The dataset as DICOM JSON text."""
        import json

        data = self.to_json_dict(
            bulk_data_threshold, bulk_data_element_handler, suppress_invalid_tags
        )
        if dump_handler is not None:
            return dump_handler(data)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(
        cls,
        json_dataset: dict[str, Any] | str | bytes | bytearray,
        bulk_data_uri_handler: Callable[..., Any] | None = None,
    ) -> Dataset:
        """A dataset from DICOM JSON (a dict or text); ``bulk_data_uri_handler``
        fetches BulkDataURI values, called as ``(tag, vr, uri)``."""
        from dicomcore.io.json import dataset_from_json

        return dataset_from_json(json_dataset, bulk_data_uri_handler)

    def waveform_array(self, index: int) -> np.ndarray:
        """Multiplex group ``index`` of the Waveform Sequence, shape (samples,
        channels), as float64 values in each channel's units: mu-law and
        A-law codes expanded, then Channel Sensitivity, its Correction Factor
        and Channel Baseline applied (see :mod:`dicomcore.waveforms`)."""
        from dicomcore.waveforms.multiplex import multiplex_array

        return multiplex_array(self, index, as_raw=False)

    @property
    def pixel_array(self) -> np.ndarray:
        """The pixels as a numpy array (see :func:`dicomcore.pixels.pixel_array`).

        Decoded on first use and cached until Pixel Data, a pixel module
        attribute or the transfer syntax changes; what it returns is set by
        :meth:`pixel_array_options`.
        """
        from dicomcore.pixels.api import dataset_pixel_array

        cached = self.__dict__.get("_pixel_array")
        if cached is not None and not any(
            tag in self._dict for tag in _PIXEL_ELEMENT_TAGS
        ):
            # pydicom gives back the array a library stored in its cache
            # (highdicom's frames read lazily, with no Pixel Data held) as
            # long as no pixel element was added since.
            return cached  # type: ignore[no-any-return]
        return dataset_pixel_array(self)

    def pixel_array_options(
        self,
        *,
        index: int | None = None,
        raw: bool = False,
        decoding_plugin: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Set what :attr:`pixel_array` returns: one frame (``index``), ``raw``,
        ``as_rgb``, ``view_only``, ``correct_unused_bits``, ``decoding_plugin``."""
        from dicomcore.pixels.api import set_array_options

        set_array_options(
            self, index=index, raw=raw, decoding_plugin=decoding_plugin, **kwargs
        )

    def convert_pixel_data(self, handler_name: str = "") -> None:
        """Decode the pixel data now, with the plugin named (pydicom 3
        deprecated this for :meth:`pixel_array_options`, without a warning)."""
        if handler_name:
            self.pixel_array_options(decoding_plugin=handler_name)
        self.pixel_array  # noqa: B018 - decodes and caches

    def set_pixel_data(
        self,
        arr: np.ndarray,
        photometric_interpretation: str,
        bits_stored: int,
        *,
        generate_instance_uid: bool = True,
        **kwargs: Any,
    ) -> None:
        """Store ``arr`` as the pixel data, see
        :func:`dicomcore.pixels.set_pixel_data`."""
        from dicomcore.pixels.store import set_pixel_data

        set_pixel_data(
            self,
            arr,
            photometric_interpretation,
            bits_stored,
            generate_instance_uid=generate_instance_uid,
            **kwargs,
        )

    def compress(
        self,
        transfer_syntax: str,
        arr: np.ndarray | None = None,
        *,
        encoding_plugin: str | None = None,
        generate_instance_uid: bool | None = None,
        **options: Any,
    ) -> Dataset:
        """Compress the pixel data into ``transfer_syntax``, frame by frame, and
        return the dataset; see :func:`dicomcore.pixels.compress`.

        >>> ds.compress(RLELossless)  # doctest: +SKIP
        """
        from dicomcore.pixels.compress import compress

        result: Dataset = compress(
            self,
            transfer_syntax,
            arr,
            encoding_plugin=encoding_plugin,
            generate_instance_uid=generate_instance_uid,
            **options,
        )
        return result

    def decompress(
        self,
        handler_name: str = "",
        *,
        decoding_plugin: str | None = None,
        as_rgb: bool = True,
        generate_instance_uid: bool | None = None,
        **options: Any,
    ) -> Dataset:
        """Decode the pixel data into native Pixel Data (Explicit VR Little
        Endian) and return the dataset; see :func:`dicomcore.pixels.decompress`.

        ``handler_name`` is pydicom's older name for ``decoding_plugin``; both
        take dicomcore's plugin names and pydicom's (``"pylibjpeg"``,
        ``"pyjpegls"``, ``"pydicom"``, ...)."""
        from dicomcore.pixels.compress import decompress

        result: Dataset = decompress(
            self,
            decoding_plugin=decoding_plugin or handler_name or None,
            as_rgb=as_rgb,
            generate_instance_uid=generate_instance_uid,
            **options,
        )
        return result

    def save_as(
        self,
        filename: str | Any,
        write_like_original: bool | None = None,
        /,
        *,
        enforce_file_format: bool = False,
        **kwargs: Any,
    ) -> None:
        """Write the dataset to ``filename`` (see :func:`dicomcore.dcmwrite`;
        ``write_like_original`` is pydicom's deprecated argument)."""
        from dicomcore.io.writer import dcmwrite

        dcmwrite(
            filename,
            self,
            write_like_original,
            enforce_file_format=enforce_file_format,
            **kwargs,
        )


class FileMetaDataset(Dataset):
    """The File Meta Information (group 0002) of a DICOM file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tag in self._dict:
            _check_group_2(tag)

    def _store(self, elem: DataElement | RawDataElement) -> None:
        _check_group_2(elem.tag)
        super()._store(elem)

    def __setattr__(self, name: str, value: Any) -> None:
        tag = tag_for_keyword(name)
        if tag is not None:
            _check_group_2(tag)
        super().__setattr__(name, value)


class FileDataset(Dataset):
    """A dataset read from (or to be written to) a file, with its preamble."""

    def __init__(
        self,
        filename_or_obj: str | BinaryIO | None = None,
        dataset: Dataset | dict[int, Any] | None = None,
        preamble: bytes | None = None,
        file_meta: FileMetaDataset | None = None,
        is_implicit_VR: bool = True,  # noqa: N803 - pydicom's name and default
        is_little_endian: bool = True,
    ) -> None:
        super().__init__()
        if dataset is not None:
            source = dataset._dict if isinstance(dataset, Dataset) else dataset
            self._dict.update(source)
        state = self.__dict__
        state["preamble"] = preamble
        state["filename"] = (
            filename_or_obj if isinstance(filename_or_obj, str) else None
        )
        if type(file_meta) is FileMetaDataset:
            state["_file_meta"] = file_meta  # what the property's setter keeps
        elif file_meta is not None:
            self.file_meta = file_meta
        self.set_original_encoding(is_implicit_VR, is_little_endian)


class PrivateBlock:
    """Elements of one private creator in one group, addressed by the low byte
    of their element number."""

    def __init__(
        self, dataset: Dataset, group: int, private_creator: str, block_start: int
    ) -> None:
        self.dataset = dataset
        self.group = group
        self.private_creator = private_creator
        self.block_start = block_start << 8

    def get_tag(self, element_offset: int) -> BaseTag:
        if not 0 <= element_offset <= 0xFF:
            raise ValueError("the element offset must be in 0x00-0xFF")
        return BaseTag((self.group << 16) | self.block_start | element_offset)

    def __getitem__(self, element_offset: int) -> DataElement:
        return self.dataset[self.get_tag(element_offset)]

    def __contains__(self, element_offset: int) -> bool:
        return self.get_tag(element_offset) in self.dataset

    def __delitem__(self, element_offset: int) -> None:
        del self.dataset[self.get_tag(element_offset)]

    def add_new(self, element_offset: int, VR: str, value: Any) -> None:  # noqa: N803
        elem = DataElement(self.get_tag(element_offset), VR, value)
        elem.private_creator = self.private_creator
        self.dataset.add(elem)


class _ElementAttributes(Mapping[str, Any]):
    """An element's public attributes by name, for ``%``-style formats; each
    is read only when the format asks for it (a method is called)."""

    def __init__(self, elem: DataElement) -> None:
        self._elem = elem

    # Methods that change the element or need arguments are not attributes.
    _EXCLUDED = frozenset(
        {"clear", "from_json", "to_json", "to_json_dict", "description", "validate"}
    )

    def __getitem__(self, name: str) -> Any:
        if name.startswith("_") or name in self._EXCLUDED:
            raise KeyError(name)
        try:
            attribute = getattr(self._elem, name)
        except AttributeError:
            raise KeyError(name) from None
        return attribute() if callable(attribute) else attribute

    def __iter__(self) -> Iterator[str]:
        return (
            name
            for name in dir(self._elem)
            if not name.startswith("_") and name not in self._EXCLUDED
        )

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _check_group_2(tag: int) -> None:
    if tag >> 16 != 0x0002:
        raise ValueError(
            f"only group 0x0002 elements belong in file_meta, not {BaseTag(tag)}"
        )


def _to_tag(key: Any) -> int:
    if type(key) is int or type(key) is BaseTag:
        return int(key)
    if type(key) is str:
        # A keyword, as most string keys are: one dictionary look-up.
        tag = tag_for_keyword(key)
        if tag is not None:
            return tag
    return int(Tag(key))


def _first(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def _has_negative(value: Any) -> bool:
    """True when ``value`` (a number or a list of numbers) holds one below 0."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return any(
        isinstance(item, numbers.Real) and not isinstance(item, bool) and item < 0
        for item in items
    )
