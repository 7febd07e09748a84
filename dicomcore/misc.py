"""pydicom's ``misc`` module path: small helpers scripts call.

>>> size_in_bytes("2 kb"), size_in_bytes("2 KiB")
(2000.0, 2048.0)
"""

from __future__ import annotations

import os
import re

__all__ = ["is_dicom", "size_in_bytes"]

# Decimal units as SI has them, binary ones with "i" (IEC 80000-13).
_UNIT_FACTORS = {
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
_SIZE = re.compile(r"\s*([0-9.]+)\s*([a-zA-Z]+)\s*")


def is_dicom(file_path: str | os.PathLike[str]) -> bool:
    """True if the file has a DICOM Part 10 header: "DICM" after its
    128-byte preamble. Files without a preamble (which dcmread reads with
    ``force=True``) give False."""
    with open(file_path, "rb") as handle:
        handle.seek(128)
        return handle.read(4) == b"DICM"


def size_in_bytes(expr: int | float | str | None) -> int | float | None:
    """The number of bytes a ``defer_size`` argument names: a number, or text
    such as ``"512"``, ``"2 kb"``, ``"1.5 MiB"``; None (and infinity) for no
    limit. Other text raises ValueError."""
    if expr is None or expr == float("inf"):
        return None
    if isinstance(expr, (int, float)):
        return expr
    try:
        return int(expr)
    except ValueError:
        pass
    match = _SIZE.fullmatch(expr)
    unit = match.group(2).lower() if match else expr
    if match is None or unit not in _UNIT_FACTORS:
        raise ValueError(f"Unable to parse length with unit '{unit}'")
    return float(match.group(1)) * _UNIT_FACTORS[unit]
