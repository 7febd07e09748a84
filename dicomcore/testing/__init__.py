"""Test helpers for dicomcore and for codec plugin authors.

:class:`CodecConformance` is the codec conformance suite; see
``docs/plugins.md``.  Importing this package needs pytest.
"""

from __future__ import annotations

from dicomcore.testing._layouts import make_frame, standard_layouts
from dicomcore.testing.conformance import (
    PSNR,
    CodecConformance,
    ReferenceFrame,
    Tolerance,
    collect_records,
    compare_frames,
)

__all__ = [
    "PSNR",
    "CodecConformance",
    "ReferenceFrame",
    "Tolerance",
    "collect_records",
    "compare_frames",
    "make_frame",
    "standard_layouts",
]
