"""Layer 7: converting many files, on local processes or a Dask cluster.

::

    from dicomcore.batch import convert

    report = convert(["scans/"], "out/", "rle", workers=4, report="out.json")
    print(report.summary())

:func:`convert_one` is the unit of work: one file, one
:class:`FileRecord`, picklable both ways.  What a conversion promises when
files, workers, disks or the command itself fail: ``docs/convert.md``.
"""

from __future__ import annotations

from dicomcore.batch.convert import (
    ConversionInterrupted,
    ConvertOptions,
    Progress,
    convert,
    convert_one,
    default_start_method,
    incomplete_reason,
    plan_conversion,
    stored_incomplete_reason,
)
from dicomcore.batch.names import (
    TransferSyntaxName,
    available_names,
    resolve_transfer_syntax,
)
from dicomcore.batch.report import ConversionReport, FileRecord, Status

__all__ = [
    "ConversionInterrupted",
    "ConversionReport",
    "ConvertOptions",
    "FileRecord",
    "Progress",
    "Status",
    "TransferSyntaxName",
    "available_names",
    "convert",
    "convert_one",
    "default_start_method",
    "incomplete_reason",
    "plan_conversion",
    "resolve_transfer_syntax",
    "stored_incomplete_reason",
]
