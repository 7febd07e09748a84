"""dicomcore: DICOM files for Python, with pixel codecs as plugins.

>>> import dicomcore
>>> ds = dicomcore.dcmread("testfiles/ct_int16_implicit.dcm")  # doctest: +SKIP
>>> ds.PatientName  # doctest: +SKIP
'Doe^John^Quincy^Dr.^Jr.'
"""

from __future__ import annotations

import importlib
from typing import Any

from dicomcore import config, uid
from dicomcore.dataelem import DataElement, RawDataElement
from dicomcore.dataset import Dataset, FileDataset, FileMetaDataset, PrivateBlock
from dicomcore.errors import (
    CodecError,
    DicomError,
    InvalidDicomError,
    InvalidPixelModuleError,
    LimitError,
    NoCodecError,
    PixelDataError,
)
from dicomcore.io import dcmread, dcmwrite
from dicomcore.pixels.hookspecs import hookimpl
from dicomcore.sequence import Sequence
from dicomcore.tag import BaseTag, Tag
from dicomcore.vr import VR

__version__ = "0.1.0"

# pydicom's module paths and top-level functions, there after a bare
# `import pydicom`, are imported here on first use: `dicomcore.datadict`.
_ON_FIRST_USE = {
    "data": "dicomcore.data",
    "datadict": "dicomcore.datadict",
    "encaps": "dicomcore.encaps",
    "examples": "dicomcore.examples",
    "filebase": "dicomcore.filebase",
    "filereader": "dicomcore.filereader",
    "filewriter": "dicomcore.filewriter",
    "misc": "dicomcore.misc",
    "multival": "dicomcore.multival",
    "valuerep": "dicomcore.valuerep",
}
_FUNCTIONS_ON_FIRST_USE = {"iter_pixels", "pixel_array"}


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        return importlib.import_module(_ON_FIRST_USE[name])
    if name in _FUNCTIONS_ON_FIRST_USE:
        return getattr(importlib.import_module("dicomcore.pixels"), name)
    raise AttributeError(f"module 'dicomcore' has no attribute '{name}'")


__all__ = [
    "VR",
    "BaseTag",
    "CodecError",
    "DataElement",
    "Dataset",
    "DicomError",
    "FileDataset",
    "FileMetaDataset",
    "InvalidDicomError",
    "InvalidPixelModuleError",
    "LimitError",
    "NoCodecError",
    "PixelDataError",
    "PrivateBlock",
    "RawDataElement",
    "Sequence",
    "Tag",
    "__version__",
    "config",
    "dcmread",
    "dcmwrite",
    "hookimpl",
    "uid",
]
