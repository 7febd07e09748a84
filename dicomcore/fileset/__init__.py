"""File-sets: a DICOMDIR and the files it references (PS3.10, PS3.3 Annex F).

Over the data model and I/O (layer 4): read a DICOMDIR written by any
implementation, find and load its instances, add and remove instances, and
write the File-set back, or to a new root, with every record offset
recomputed.  The names are pydicom's (``dicomcore.fileset.FileSet``).
"""

from __future__ import annotations

from dicomcore.fileset._fileset import (
    MEDIA_STORAGE_DIRECTORY_STORAGE,
    FileSet,
    FileSetError,
    FileSetWarning,
)
from dicomcore.fileset._layout import generate_filename, is_conformant_file_id
from dicomcore.fileset._records import (
    DIRECTORY_RECORDERS,
    InvalidInstanceError,
    leaf_record_type,
    records_for,
)
from dicomcore.fileset._tree import FileInstance, RecordNode

__all__ = [
    "DIRECTORY_RECORDERS",
    "MEDIA_STORAGE_DIRECTORY_STORAGE",
    "FileInstance",
    "FileSet",
    "FileSetError",
    "FileSetWarning",
    "InvalidInstanceError",
    "RecordNode",
    "generate_filename",
    "is_conformant_file_id",
    "leaf_record_type",
    "records_for",
]
