"""A File-set and its DICOMDIR (PS3.10 8, PS3.3 Annex F): :class:`FileSet`."""

from __future__ import annotations

import io
import os
import re
import shutil
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dicomcore import config
from dicomcore.dataset import Dataset, FileMetaDataset
from dicomcore.errors import DicomError, InvalidDicomError, LimitError
from dicomcore.fileset._layout import (
    generate_filename,
    is_conformant_file_id,
    record_offsets,
)
from dicomcore.fileset._records import FILE_ID_PREFIXES, records_for
from dicomcore.fileset._tree import FileInstance, RecordNode, RootNode
from dicomcore.io.reader import dcmread
from dicomcore.io.writer import atomic_write, dcmwrite, write_dataset
from dicomcore.sequence import Sequence
from dicomcore.tag import Tag
from dicomcore.uid import UID, generate_uid

__all__ = ["FileSet", "FileSetError"]

MEDIA_STORAGE_DIRECTORY_STORAGE = "1.2.840.10008.1.3.10"
_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
_IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2"
_FIRST = "OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity"
_LAST = "OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity"
_NEXT = "OffsetOfTheNextDirectoryRecord"
_LOWER = "OffsetOfReferencedLowerLevelDirectoryEntity"
_FILE_SET_ID = re.compile(r"[A-Z0-9_ ]{1,16}")


class FileSetError(DicomError, ValueError):
    """A File-set that cannot be read or written as asked."""


class FileSetWarning(UserWarning):
    """A DICOMDIR read with damage that was worked around."""


class FileSet:
    """A DICOM File-set: the DICOMDIR and the files its records reference.

    ``FileSet()`` starts a new File-set; ``FileSet(path_or_dataset)`` reads an
    existing DICOMDIR.  Changes (:meth:`add`, :meth:`remove`) are staged
    until :meth:`write`, which writes the new files, deletes removed ones and
    writes the DICOMDIR with every offset recomputed.

    >>> fs = FileSet("testfiles/fileset/dcmtk/DICOMDIR")  # doctest: +SKIP
    >>> [instance.path for instance in fs.find(Modality="CT")]  # doctest: +SKIP
    """

    def __init__(self, ds: Dataset | str | os.PathLike[str] | None = None) -> None:
        self._tree = RootNode(self)
        self._path: Path | None = None
        self._id: str | None = None
        self._uid = UID(generate_uid())
        self._descriptor: Any = None
        self._charset: str | None = None
        self._staged = False
        if ds is not None:
            self.load(ds)

    # -- identity ------------------------------------------------------------------

    @property
    def path(self) -> str | None:
        """The root folder of the File-set (None until written)."""
        return os.fspath(self._path) if self._path is not None else None

    @property
    def ID(self) -> str | None:  # noqa: N802 - pydicom's name
        """File-set ID (0004,1130)."""
        return self._id

    @ID.setter
    def ID(self, value: str | None) -> None:  # noqa: N802
        # a CS of at most 16 characters from the File ID set (PS3.10 8.5)
        if value and not _FILE_SET_ID.fullmatch(value):
            raise FileSetError(
                f"{value!r} is not a File-set ID: at most 16 characters of "
                "A-Z, 0-9, space and _"
            )
        self._id = value
        self._staged = True

    @property
    def UID(self) -> UID:  # noqa: N802
        """The File-set's UID (the DICOMDIR's Media Storage SOP Instance UID)."""
        return self._uid

    @UID.setter
    def UID(self, value: str) -> None:  # noqa: N802
        self._uid = UID(value)
        self._staged = True

    @property
    def descriptor_file_id(self) -> Any:
        return self._descriptor

    @descriptor_file_id.setter
    def descriptor_file_id(self, value: Any) -> None:
        self._descriptor = value
        self._staged = True

    @property
    def descriptor_character_set(self) -> str | None:
        return self._charset

    @descriptor_character_set.setter
    def descriptor_character_set(self, value: str | None) -> None:
        self._charset = value
        self._staged = True

    @property
    def is_staged(self) -> bool:
        """Whether there are changes :meth:`write` has not written yet."""
        return self._staged or any(instance.is_staged for instance in self._all())

    # -- the instances -------------------------------------------------------------

    def _all(self) -> Iterator[FileInstance]:
        for node in self._tree:
            if node.instance is not None:
                yield node.instance

    def __iter__(self) -> Iterator[FileInstance]:
        """Every instance not staged for removal, in record order."""
        return (instance for instance in self._all() if not instance.for_removal)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __str__(self) -> str:
        lines = [
            "DICOM File-set",
            f"  Root directory: {self.path or '(no value available)'}",
            f"  File-set ID: {self.ID or '(no value available)'}",
            f"  File-set UID: {self.UID}",
            f"  Managed instances: {len(self)}",
        ]
        tree = self._tree.prettify()
        if tree:
            lines += ["", "  Records:"] + [f"    {line}" for line in tree]
        return "\n".join(lines)

    def find(self, load: bool = False, **kwargs: Any) -> list[FileInstance]:
        """The instances whose elements have the given values
        (``fs.find(PatientID="1234", Modality="CT")``); with ``load`` the
        instances' own datasets are compared, else their directory records."""
        found = []
        for instance in self:
            source: Any = instance.load() if load else instance
            if all(
                keyword in source and source[keyword].value == value
                for keyword, value in kwargs.items()
            ):
                found.append(instance)
        return found

    def find_values(
        self,
        elements: str | int | list[str | int],
        instances: list[FileInstance] | None = None,
        load: bool = False,
    ) -> list[Any] | dict[str | int, list[Any]]:
        """The distinct values of an element (or of each of a list of
        elements) among ``instances`` (all by default), in order of first
        appearance."""
        wanted = elements if isinstance(elements, list) else [elements]
        found: dict[str | int, list[Any]] = {element: [] for element in wanted}
        for instance in instances if instances is not None else list(self):
            source: Any = instance.load() if load else instance
            for element in wanted:
                if element in source:
                    value = source[element].value
                    if value not in found[element]:
                        found[element].append(value)
        return found if isinstance(elements, list) else found[elements]

    # -- reading a DICOMDIR ------------------------------------------------------------

    def clear(self) -> None:
        """Forget every record and staged change (files are not touched)."""
        self._tree = RootNode(self)
        self._path = None
        self._id = None
        self._uid = UID(generate_uid())
        self._descriptor = None
        self._charset = None
        self._staged = False

    def load(
        self,
        ds_or_path: Dataset | str | os.PathLike[str],
        include_orphans: bool = True,
        raise_orphans: bool = False,
    ) -> None:
        """Read an existing DICOMDIR (a path, or a dataset read from a path).

        Records outside the tree (orphans) that reference a file are added
        as new instances when ``include_orphans``; ``raise_orphans`` makes
        them an error.  A DICOMDIR whose first-record offset is missing or 0
        has only orphans, and is read that way.
        """
        if isinstance(ds_or_path, Dataset):
            ds = ds_or_path
            filename = getattr(ds, "filename", None)
        else:
            filename = os.fspath(ds_or_path)
            ds = dcmread(filename)
        if (
            ds.file_meta.get("MediaStorageSOPClassUID")
            != MEDIA_STORAGE_DIRECTORY_STORAGE
        ):
            raise FileSetError(
                "not a File-set's DICOMDIR: its Media Storage SOP Class UID is "
                f"{ds.file_meta.get('MediaStorageSOPClassUID')!r}, not Media "
                "Storage Directory Storage"
            )
        if not isinstance(filename, str) or not os.path.isfile(filename):
            raise FileSetError(
                "a DICOMDIR is read from its file (the File-set's root is its "
                f"folder), and {filename!r} is not a file"
            )
        transfer_syntax = str(ds.file_meta.get("TransferSyntaxUID", ""))
        if transfer_syntax not in (
            _EXPLICIT_VR_LITTLE_ENDIAN,
            _IMPLICIT_VR_LITTLE_ENDIAN,
        ):
            if transfer_syntax != "1.2.840.10008.1.2.2":
                raise FileSetError(
                    f"a DICOMDIR in transfer syntax {transfer_syntax!r} cannot be read"
                )
        self.clear()
        self._path = Path(filename).resolve().parent
        self._id = ds.get("FileSetID") or None
        self._uid = UID(
            ds.file_meta.get("MediaStorageSOPInstanceUID") or generate_uid()
        )
        self._descriptor = ds.get("FileSetDescriptorFileID")
        self._charset = ds.get("SpecificCharacterSetOfFileSetDescriptorFile")
        self._parse_records(ds, Path(filename), include_orphans, raise_orphans)

    def _parse_records(
        self, ds: Dataset, filename: Path, include_orphans: bool, raise_orphans: bool
    ) -> None:
        records = list(ds.get("DirectoryRecordSequence") or [])
        implicit_vr, little_endian = ds.original_encoding
        buffer = filename.read_bytes()
        offsets = record_offsets(
            buffer,
            _dataset_start(buffer),
            bool(implicit_vr),
            little_endian is not False,
        )
        if len(offsets) != len(records):
            raise InvalidDicomError(
                f"DICOMDIR: found {len(offsets)} items where the reader found "
                f"{len(records)} directory records"
            )
        nodes: dict[int, RecordNode] = {}
        for offset, record in zip(offsets, records, strict=True):
            node = RecordNode(record)
            node._offset = offset
            nodes[offset] = node
        placed: set[int] = set()

        deepest = config.limits.max_sequence_depth

        def chain(parent: RecordNode, offset: int, named_by: str, depth: int) -> None:
            if depth > deepest:
                raise LimitError(
                    f"DICOMDIR: directory records nested deeper than {deepest}",
                    limit="max_sequence_depth",
                )
            while offset:
                node = nodes.get(offset)
                if node is None:
                    raise InvalidDicomError(
                        f"DICOMDIR: {named_by} names a directory record at offset "
                        f"{offset}, where no record starts (records start at "
                        f"{_some(sorted(nodes))})",
                        offset=offset,
                    )
                if offset in placed:
                    raise InvalidDicomError(
                        f"DICOMDIR: {named_by} names the record at offset {offset} "
                        "a second time (the records form a loop)",
                        offset=offset,
                    )
                placed.add(offset)
                parent.add(node)
                lower = int(node.record.get(_LOWER) or 0)
                if lower:
                    chain(node, lower, f"the record at offset {offset}", depth + 1)
                named_by = f"the record at offset {offset}"
                offset = int(node.record.get(_NEXT) or 0)

        first = int(ds.get(_FIRST) or 0)
        if records and not first:
            warnings.warn(
                "DICOMDIR: the offset of the first root record is missing or 0; "
                "its records are read as orphans",
                FileSetWarning,
                stacklevel=3,
            )
        chain(self._tree, first, f"({Tag(0x00041200)})", 1)
        for node in list(self._tree):
            self._adopt(node)
        orphans = [nodes[offset] for offset in offsets if offset not in placed]
        referencing = [node for node in orphans if "ReferencedFileID" in node.record]
        if orphans and raise_orphans:
            raise FileSetError(
                f"the DICOMDIR has {len(orphans)} directory records outside its "
                "tree (orphans)"
            )
        if not include_orphans:
            if referencing:
                warnings.warn(
                    f"{len(referencing)} directory records outside the DICOMDIR's "
                    "tree reference files; with include_orphans=False they are "
                    "left out",
                    FileSetWarning,
                    stacklevel=3,
                )
            return
        for node in referencing:
            components = _components(node.record.get("ReferencedFileID"))
            path = Path(self._path or ".", *components)
            if not path.is_file():
                continue
            instance = self.add(path)
            instance.node.record.ReferencedFileID = node.record.ReferencedFileID
            instance.for_addition = False
            instance._source = None

    def _adopt(self, node: RecordNode) -> None:
        """Attach a FileInstance to a leaf that references a file; drop
        branches that end without one."""
        if "ReferencedFileID" in node.record and _components(
            node.record.get("ReferencedFileID")
        ):
            instance = FileInstance(node)
            if not Path(instance.path).is_file():
                warnings.warn(
                    f"the directory record at offset {node._offset} references "
                    f"{instance.path}, which is not there; the instance is left out",
                    FileSetWarning,
                    stacklevel=4,
                )
                node.instance = None
        elif not node.children and node.parent is not None:
            _prune(node)

    # -- changing it -------------------------------------------------------------------

    def add(self, ds_or_path: Dataset | str | os.PathLike[str]) -> FileInstance:
        """Stage an instance (a dataset, or the path of a file) for addition,
        with the records PS3.3 F.5 defines for its SOP class."""
        if isinstance(ds_or_path, Dataset):
            ds = ds_or_path
            source: Any = ds
        else:
            source = os.fspath(ds_or_path)
            ds = dcmread(source, stop_before_pixels=True)
        records = records_for(ds)
        node: RecordNode = self._tree
        for record in records[:-1]:
            candidate = RecordNode(record)
            if candidate.key in node:
                node = node[candidate.key]
            else:
                node.add(candidate)
                node = candidate
        leaf = RecordNode(records[-1])
        for existing in self._all():
            if existing.SOPInstanceUID == leaf.record.ReferencedSOPInstanceUIDInFile:
                if existing.for_removal:
                    existing.for_removal = False  # removed, then added: no change
                return existing
        node.add(leaf)
        instance = FileInstance(leaf)
        instance.for_addition = True
        instance._source = source
        return instance

    def add_custom(
        self, ds_or_path: Dataset | str | os.PathLike[str], leaf: RecordNode
    ) -> FileInstance:
        """Stage an instance under records of your own: ``leaf`` is its record
        node, with its ancestors (e.g. PRIVATE records) linked above it."""
        source: Any = (
            ds_or_path if isinstance(ds_or_path, Dataset) else os.fspath(ds_or_path)
        )
        ds = (
            source
            if isinstance(source, Dataset)
            else dcmread(source, stop_before_pixels=True)
        )
        chain = [*reversed(leaf.ancestors), leaf]
        node: RecordNode = self._tree
        for record_node in chain:
            if record_node.key in node:
                node = node[record_node.key]
            else:
                record_node.children = [c for c in record_node.children if c in chain]
                record_node.parent = None
                node.add(record_node)
                node = record_node
        leaf.record.ReferencedSOPClassUIDInFile = ds.SOPClassUID
        leaf.record.ReferencedSOPInstanceUIDInFile = ds.SOPInstanceUID
        leaf.record.ReferencedTransferSyntaxUIDInFile = ds.file_meta.TransferSyntaxUID
        leaf.record.ReferencedFileID = None
        instance = FileInstance(leaf)
        instance.for_addition = True
        instance._source = source
        return instance

    def remove(self, instance: FileInstance | Iterable[FileInstance]) -> None:
        """Stage instances for removal; :meth:`write` deletes their files."""
        targets = [instance] if isinstance(instance, FileInstance) else list(instance)
        for target in targets:
            if target.file_set is not self:
                raise FileSetError("that instance belongs to another File-set")
            if target.for_addition:
                _prune(target.node)  # added, then removed: no change
                target.for_addition = False
            else:
                target.for_removal = True

    # -- writing -----------------------------------------------------------------------

    def write(
        self,
        path: str | os.PathLike[str] | None = None,
        use_existing: bool = False,
        force_implicit: bool = False,
    ) -> None:
        """Write the staged changes and the DICOMDIR.

        A new File-set needs ``path``, its root folder; an existing one
        cannot be given another (see :meth:`copy`).  Added instances get
        File IDs ``PTxxxxxx/STxxxxxx/SExxxxxx/IMxxxxxx`` (the leaf prefix by
        record type); instances already in the File-set keep theirs unless
        they are not IDs PS3.10 allows, when they are moved (not with
        ``use_existing``).  ``force_implicit`` writes the DICOMDIR in
        Implicit VR Little Endian, which PS3.10 does not allow.
        """
        if path is not None and self._path is not None:
            raise FileSetError(
                f"this File-set's root folder is {self._path}; write it to "
                "another folder with copy()"
            )
        if path is None and self._path is None:
            raise FileSetError(
                "a new File-set is written to a root folder: write(path)"
            )
        if use_existing and any(instance.for_addition for instance in self._all()):
            raise FileSetError(
                "use_existing keeps every file where it is, but instances are "
                "staged for addition: write them without it"
            )
        root = Path(path).resolve() if path is not None else self._path
        assert root is not None
        root.mkdir(parents=True, exist_ok=True)
        self._path = root
        file_ids = self._plan(root, keep_nonconformant=use_existing)
        for instance in list(self._all()):
            if instance.for_removal:
                target = Path(instance.path)
                if target.is_file():
                    target.unlink()
                    _remove_empty_folders(target.parent, root)
                _prune(instance.node)
                continue
            wanted = file_ids[id(instance)]
            destination = root.joinpath(*wanted)
            if instance.for_addition:
                _store(instance._source, destination)
            elif wanted != instance.file_id_components:
                destination.parent.mkdir(parents=True, exist_ok=True)
                origin = Path(instance.path)
                os.replace(origin, destination)
                _remove_empty_folders(origin.parent, root)
        self._write_dicomdir(root, file_ids, force_implicit)
        self.load(root / "DICOMDIR")

    def copy(
        self, path: str | os.PathLike[str], force_implicit: bool = False
    ) -> FileSet:
        """Write the File-set, with its staged changes, to a new root folder
        and return it there; this File-set is left as it was."""
        root = Path(path).resolve()
        if self._path is not None and root == self._path:
            raise FileSetError(
                "copy() needs a root folder other than the File-set's own"
            )
        if (root / "DICOMDIR").exists():
            raise FileSetError(f"{root} already holds a File-set")
        root.mkdir(parents=True, exist_ok=True)
        file_ids = self._plan(root, keep_nonconformant=False, fresh_root=True)
        for instance in self:
            source: Any = instance._source if instance.for_addition else instance.path
            _store(source, root.joinpath(*file_ids[id(instance)]))
        self._write_dicomdir(root, file_ids, force_implicit)
        return FileSet(root / "DICOMDIR")

    def _plan(
        self, root: Path, keep_nonconformant: bool, fresh_root: bool = False
    ) -> dict[int, list[str]]:
        """The File ID of every instance once written under ``root``."""
        taken: set[tuple[str, ...]] = set()
        plan: dict[int, list[str]] = {}
        movers = []
        for instance in self:
            components = instance.file_id_components
            keep = components and not instance.for_addition
            keep = keep and (
                keep_nonconformant or is_conformant_file_id("/".join(components))
            )
            if keep:
                plan[id(instance)] = components
                taken.add(tuple(components))
            else:
                movers.append(instance)
        for instance in movers:
            folders = [_folder_name(node) for node in reversed(instance.node.ancestors)]
            prefix = FILE_ID_PREFIXES.get(instance.node.record_type, "IM")[:2]
            start = (
                instance.node.parent.children.index(instance.node)
                if instance.node.parent
                else 0
            )
            for name in generate_filename(prefix, start):
                components = [*folders, name]
                occupied = tuple(components) in taken or (
                    not fresh_root and root.joinpath(*components).exists()
                )
                if not occupied:
                    break
            plan[id(instance)] = components
            taken.add(tuple(components))
        return plan

    def _write_dicomdir(
        self,
        root: Path,
        file_ids: dict[int, list[str]],
        force_implicit: bool,
    ) -> None:
        order = [node for node in self._tree if _kept(node)]
        copies = {id(node): _record_copy(node.record) for node in order}
        for node in order:
            instance = node.instance
            # an unchanged File ID keeps its element as read (it may hold
            # characters a new value could not be given)
            if instance is not None and (
                instance.for_addition
                or file_ids[id(instance)] != instance.file_id_components
            ):
                copies[id(node)].ReferencedFileID = file_ids[id(instance)]
        dicomdir = _dicomdir_dataset(self, [copies[id(node)] for node in order])
        transfer_syntax = (
            _IMPLICIT_VR_LITTLE_ENDIAN if force_implicit else _EXPLICIT_VR_LITTLE_ENDIAN
        )
        dicomdir.file_meta.TransferSyntaxUID = transfer_syntax
        # Offsets are UL values of fixed size: the records' lengths do not
        # depend on them, so one encoding with zeros places every record.
        lengths = []
        for node in order:
            encoded = io.BytesIO()
            write_dataset(
                encoded,
                copies[id(node)],
                implicit_vr=force_implicit,
                little_endian=True,
            )
            lengths.append(8 + len(encoded.getvalue()))
        first_pass = _encode(dicomdir)
        start = len(first_pass) - sum(lengths)
        offsets: dict[int, int] = {}
        position = start
        for node, length in zip(order, lengths, strict=True):
            offsets[id(node)] = position
            position += length

        def offset_of(node: RecordNode | None) -> int:
            return offsets[id(node)] if node is not None else 0

        for node in order:
            record = copies[id(node)]
            siblings = [
                child
                for child in (node.parent.children if node.parent else [])
                if _kept(child)
            ]
            following = siblings[siblings.index(node) + 1 :]
            children = [child for child in node.children if _kept(child)]
            record[_NEXT].value = offset_of(following[0] if following else None)
            record[_LOWER].value = offset_of(children[0] if children else None)
        top = [child for child in self._tree.children if _kept(child)]
        dicomdir[_FIRST].value = offset_of(top[0] if top else None)
        dicomdir[_LAST].value = offset_of(top[-1] if top else None)
        data = _encode(dicomdir)
        found = record_offsets(data, _dataset_start(data), force_implicit, True)
        if found != [offsets[id(node)] for node in order]:  # pragma: no cover
            raise DicomError("DICOMDIR offsets do not match the encoded records")
        atomic_write(root / "DICOMDIR", lambda handle: handle.write(data))
        self._staged = False


# -- helpers -------------------------------------------------------------------


def _kept(node: RecordNode) -> bool:
    """Whether a node goes into the DICOMDIR: not a removed leaf, and not a
    branch whose every leaf is removed."""
    if node.instance is not None:
        return not node.instance.for_removal
    if not node.children:
        return "ReferencedFileID" in node.record or node.record_type == "PRIVATE"
    return any(_kept(child) for child in node.children)


def _prune(node: RecordNode) -> None:
    """Detach ``node``, and then each ancestor left without children."""
    parent = node.parent
    if parent is not None:
        parent.remove(node)
        if not parent.is_root and not parent.children:
            _prune(parent)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty:
    the folders a removed or moved file leaves behind."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty
        folder = folder.parent


def _folder_name(node: RecordNode) -> str:
    prefix = FILE_ID_PREFIXES.get(node.record_type, "P")[:2]
    index = node.parent.children.index(node) if node.parent else 0
    return next(generate_filename(prefix, index))


def _components(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(part) for part in value]


def _some(values: list[int]) -> str:
    shown = ", ".join(str(value) for value in values[:5])
    return shown + (", ..." if len(values) > 5 else "")


def _store(source: Any, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Dataset):
        dcmwrite(destination, source, enforce_file_format=True)
        return

    def copy(handle: Any) -> None:
        with open(source, "rb") as original:
            shutil.copyfileobj(original, handle)

    atomic_write(destination, copy)


def _record_copy(record: Dataset) -> Dataset:
    """A record to write: its elements (the nested values shared), defined
    lengths, and the link elements present."""
    copy = Dataset()
    for elem in record:
        copy.add(elem)
    for keyword in (_NEXT, _LOWER):
        if keyword not in copy:
            setattr(copy, keyword, 0)
    if "RecordInUseFlag" not in copy:
        copy.RecordInUseFlag = 0xFFFF
    copy.is_undefined_length_sequence_item = False
    return copy


def _dicomdir_dataset(file_set: FileSet, records: list[Dataset]) -> Dataset:
    dicomdir = Dataset()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MEDIA_STORAGE_DIRECTORY_STORAGE
    meta.MediaStorageSOPInstanceUID = file_set.UID
    dicomdir.file_meta = meta
    dicomdir.FileSetID = file_set.ID
    if file_set.descriptor_file_id is not None:
        dicomdir.FileSetDescriptorFileID = file_set.descriptor_file_id
    if file_set.descriptor_character_set is not None:
        dicomdir.SpecificCharacterSetOfFileSetDescriptorFile = (
            file_set.descriptor_character_set
        )
    setattr(dicomdir, _FIRST, 0)
    setattr(dicomdir, _LAST, 0)
    dicomdir.FileSetConsistencyFlag = 0
    dicomdir.DirectoryRecordSequence = Sequence(records)
    dicomdir["DirectoryRecordSequence"].is_undefined_length = False
    return dicomdir


def _encode(dicomdir: Dataset) -> bytes:
    buffer = io.BytesIO()
    dcmwrite(buffer, dicomdir, enforce_file_format=True)
    return buffer.getvalue()


def _dataset_start(buffer: bytes) -> int:
    """The offset of the first element after the File Meta Information
    (always Explicit VR Little Endian, after the preamble and "DICM")."""
    if buffer[128:132] != b"DICM":
        raise InvalidDicomError("DICOMDIR: no preamble and 'DICM' prefix", offset=128)
    position = 132
    while (
        position + 8 <= len(buffer) and buffer[position : position + 2] == b"\x02\x00"
    ):
        vr = buffer[position + 4 : position + 6]
        if vr in (b"OB", b"OW", b"UN", b"UT", b"SQ"):
            length = int.from_bytes(buffer[position + 8 : position + 12], "little")
            position += 12 + length
        else:
            length = int.from_bytes(buffer[position + 6 : position + 8], "little")
            position += 8 + length
    return position
