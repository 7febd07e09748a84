"""Coded concepts for structured reporting (DICOM PS3.16), as pydicom names them.

``codes.DCM.Median`` and ``codes.SCT.Liver`` reach a concept through its
coding scheme, ``codes.cid2.Median`` through a Context Group, and
``Code(value, scheme_designator, meaning)`` is one coded concept::

    >>> from dicomcore.sr import Code, codes
    >>> codes.cid2.Median
    Code(value='130290', scheme_designator='DCM', meaning='Median', scheme_version=None)
    >>> Code("T-62000", "SRT", "Liver") == codes.SCT.Liver
    True

The tables are generated from PS3.16 by ``tools/generate_sr_codes.py``.
"""

from __future__ import annotations

from dicomcore.sr.codedict import Collection, Concepts, codes
from dicomcore.sr.coding import Code

__all__ = ["Code", "Collection", "Concepts", "codes"]
