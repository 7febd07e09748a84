"""dicomcore: DICOM files for Python, with pixel codecs as plugins.

>>> import dicomcore
>>> ds = dicomcore.dcmread("testfiles/ct_int16_implicit.dcm")  # doctest: +SKIP
>>> ds.PatientName  # doctest: +SKIP
'Doe^John^Quincy^Dr.^Jr.'
"""

from __future__ import annotations

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
