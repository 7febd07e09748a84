"""Layer 4: reading and writing DICOM files, and encapsulated Pixel Data."""

from __future__ import annotations

from dicomcore.io.reader import dcmread, read_dataset, read_file_meta_info
from dicomcore.io.writer import dcmwrite, write_dataset, write_file_meta_info

__all__ = [
    "dcmread",
    "dcmwrite",
    "read_dataset",
    "read_file_meta_info",
    "write_dataset",
    "write_file_meta_info",
]
