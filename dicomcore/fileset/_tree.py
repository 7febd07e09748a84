"""The record tree of a File-set: :class:`RecordNode` and :class:`FileInstance`.

Each directory record is a node; the root node stands for the DICOMDIR
itself.  A leaf that references a file carries a :class:`FileInstance`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from dicomcore.dataelem import DataElement
from dicomcore.dataset import Dataset
from dicomcore.dictionary import tag_for_keyword
from dicomcore.tag import Tag

if TYPE_CHECKING:
    from dicomcore.fileset._fileset import FileSet

__all__ = ["FileInstance", "RecordNode"]

# the instance's own identifiers live in the leaf under other tags (F.5)
_INSTANCE_TAGS = {
    0x00080016: 0x00041510,  # SOP Class UID -> Referenced SOP Class UID in File
    0x00080018: 0x00041511,  # SOP Instance UID -> ... Instance UID in File
    0x00020010: 0x00041512,  # Transfer Syntax UID -> ... in File
}
# the element that tells records of a type apart among their siblings
_KEYS = {
    "PATIENT": "PatientID",
    "STUDY": "StudyInstanceUID",
    "SERIES": "SeriesInstanceUID",
}


class RecordNode:
    """One directory record and the records below it."""

    def __init__(self, record: Dataset | None = None) -> None:
        self.record: Dataset = record if record is not None else Dataset()
        self.children: list[RecordNode] = []
        self.parent: RecordNode | None = None
        self.instance: FileInstance | None = None
        self._offset: int | None = None  # where it was read from, if it was

    # -- shape -------------------------------------------------------------------

    def add(self, child: RecordNode) -> None:
        """Put ``child`` below this node (last among its siblings)."""
        child.parent = self
        self.children.append(child)

    def remove(self, child: RecordNode) -> None:
        self.children.remove(child)
        child.parent = None

    @property
    def is_root(self) -> bool:
        return False

    @property
    def ancestors(self) -> list[RecordNode]:
        """The nodes above this one, nearest first, without the root."""
        found = []
        node = self.parent
        while node is not None and not node.is_root:
            found.append(node)
            node = node.parent
        return found

    @property
    def depth(self) -> int:
        return len(self.ancestors) + (0 if self.is_root else 1)

    @property
    def root(self) -> RecordNode:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def file_set(self) -> FileSet:
        return self.root.file_set

    @property
    def has_instance(self) -> bool:
        return self.instance is not None

    def __iter__(self) -> Iterator[RecordNode]:
        """This node (unless it is the root) and every node below, depth first."""
        if not self.is_root:
            yield self
        for child in self.children:
            yield from child

    def reverse(self) -> Iterator[RecordNode]:
        """This node and the nodes above it, up to (without) the root."""
        yield self
        yield from self.ancestors

    # -- what it holds -------------------------------------------------------------

    @property
    def record_type(self) -> str:
        return str(self.record.get("DirectoryRecordType", "")).strip()

    @property
    def key(self) -> str:
        """The value that tells this record apart from its siblings."""
        keyword = _KEYS.get(self.record_type)
        if keyword is None:
            keyword = "ReferencedSOPInstanceUIDInFile"
        if keyword in self.record:
            return str(self.record[keyword].value)
        return f"#{id(self):x}"

    def __contains__(self, key: str | RecordNode) -> bool:
        wanted = key.key if isinstance(key, RecordNode) else key
        return any(child.key == wanted for child in self.children)

    def __getitem__(self, key: str | RecordNode) -> RecordNode:
        wanted = key.key if isinstance(key, RecordNode) else key
        for child in self.children:
            if child.key == wanted:
                return child
        raise KeyError(wanted)

    def __str__(self) -> str:
        record_type = self.record_type
        details = {
            "PATIENT": ("PatientID", "PatientName"),
            "STUDY": ("StudyDate", "StudyTime", "StudyDescription"),
            "SERIES": ("Modality", "SeriesNumber"),
        }.get(record_type, ("InstanceNumber",))
        shown = [
            f"{keyword}={self.record[keyword].value}"
            for keyword in details
            if keyword in self.record and not self.record[keyword].is_empty
        ]
        return f"{record_type}: " + ", ".join(shown) if shown else record_type

    def prettify(self, indent: str = "  ") -> list[str]:
        lines = [] if self.is_root else [str(self)]
        for child in self.children:
            lines += [
                (indent if not self.is_root else "") + line
                for line in child.prettify(indent)
            ]
        return lines


class RootNode(RecordNode):
    """The node above the top records: the DICOMDIR."""

    def __init__(self, file_set: FileSet) -> None:
        super().__init__()
        self._file_set = file_set

    @property
    def is_root(self) -> bool:
        return True

    @property
    def file_set(self) -> FileSet:
        return self._file_set


class FileInstance:
    """A file of the File-set, seen through its directory records.

    Keywords read the records from the leaf up (``instance.PatientName``
    comes from the PATIENT record); ``SOPInstanceUID`` and ``SOPClassUID``
    read the leaf's Referenced ... in File elements.
    """

    def __init__(self, node: RecordNode) -> None:
        self.__dict__["node"] = node
        node.instance = self
        self.__dict__["for_addition"] = False
        self.__dict__["for_removal"] = False
        self.__dict__["_source"] = None  # a Dataset or a path, when staged

    node: RecordNode
    for_addition: bool
    for_removal: bool

    @property
    def file_set(self) -> FileSet:
        return self.node.file_set

    @property
    def is_staged(self) -> bool:
        return self.for_addition or self.for_removal

    @property
    def file_id_components(self) -> list[str]:
        value = self.node.record.get("ReferencedFileID")
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [value]
        return [str(part) for part in value]

    @property
    def FileID(self) -> str:  # noqa: N802 - pydicom's name
        """The File ID, as a path relative to the File-set's root."""
        return os.fspath(PurePath(*self.file_id_components))

    @property
    def path(self) -> str:
        """Where the file is (for an instance staged for addition, where it
        will be once the File-set is written, or where it is now)."""
        root = self.file_set.path
        if self.file_id_components and root is not None:
            return os.fspath(Path(root, *self.file_id_components))
        source = self._source
        if isinstance(source, (str, os.PathLike)):
            return os.fspath(source)
        return ""

    @property
    def SOPClassUID(self) -> Any:  # noqa: N802
        return self.node.record.ReferencedSOPClassUIDInFile

    @property
    def SOPInstanceUID(self) -> Any:  # noqa: N802
        return self.node.record.ReferencedSOPInstanceUIDInFile

    @property
    def TransferSyntaxUID(self) -> Any:  # noqa: N802
        return self.node.record.ReferencedTransferSyntaxUIDInFile

    def load(self) -> Dataset:
        """The instance's dataset, read from its file (or the dataset that
        was added, while it is staged)."""
        from dicomcore.io.reader import dcmread

        source = self._source
        if isinstance(source, Dataset):
            return source
        if self.for_addition and source is not None:
            return dcmread(source)
        return dcmread(self.path)

    def __getitem__(self, key: Any) -> DataElement:
        tag = Tag(key)
        tag = Tag(_INSTANCE_TAGS.get(int(tag), int(tag)))
        for node in self.node.reverse():
            if tag in node.record:
                return node.record[tag]
        raise KeyError(tag)

    def __contains__(self, key: Any) -> bool:
        try:
            self[key]
        except (KeyError, ValueError):
            return False
        return True

    def __getattr__(self, name: str) -> Any:
        tag = tag_for_keyword(name)
        if tag is not None:
            try:
                return self[tag].value
            except KeyError:
                pass
        raise AttributeError(f"'FileInstance' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("for_addition", "for_removal", "_source"):
            self.__dict__[name] = value
            return
        raise AttributeError(f"'FileInstance' attribute '{name}' is read-only")

    def __repr__(self) -> str:
        return f"<FileInstance {self.FileID or '(staged)'}: {self.SOPInstanceUID}>"
