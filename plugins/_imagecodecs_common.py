"""What the ``imagecodecs`` plugin's codec modules share.

imagecodecs is imported on first use only: ``import dicomcore`` must not
load a package of some sixty native libraries.  Its wheels may be built
without one of them (each codec has an ``available`` flag), so a record
refuses a layout with the reason when its library is absent from the
installed build.
"""

from __future__ import annotations

import importlib
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Final

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

from ._pylibjpeg_common import missing_packages

__all__ = [
    "EXTRA",
    "absent_codec",
    "bit_pattern",
    "clip_lossy",
    "imagecodecs",
    "missing",
]

EXTRA: Final = "imagecodecs"
_HINT: Final = f'pip install "dicomcore[{EXTRA}]"'

missing = missing_packages({"imagecodecs": "imagecodecs"})


def imagecodecs() -> ModuleType:
    """The imagecodecs package, imported now; CodecError if it is absent."""
    try:
        return importlib.import_module("imagecodecs")
    except ImportError as exc:
        raise CodecError(f"imagecodecs is not installed ({exc}): {_HINT}") from exc


def absent_codec(codec: str, library: str) -> str | None:
    """Why the installed imagecodecs cannot run ``codec`` (its name in
    ``imagecodecs``, e.g. ``"JPEGXL"``), or None when it can or when
    imagecodecs is not installed at all (``missing()`` reports that).

    Cheap, and without importing imagecodecs when it is not loaded yet
    (listing the codecs loads no codec library): each codec is an extension
    module of its own (``_jpegxl``), present in the package folder only when
    the build has it.  Once imagecodecs is loaded, its own flag decides.
    """
    if missing():
        return None
    loaded = sys.modules.get("imagecodecs")
    if loaded is not None:
        flags = getattr(loaded, codec, None)
        available = bool(getattr(flags, "available", False))
        version = getattr(loaded, "__version__", "?")
    else:
        try:
            spec = find_spec("imagecodecs")
        except ValueError:  # in sys.modules without a spec: made by hand
            return None
        if spec is None or spec.origin is None:
            return None
        folder = Path(spec.origin).parent
        available = any(folder.glob(f"_{codec.lower()}.*"))
        try:
            version = metadata.version("imagecodecs")
        except metadata.PackageNotFoundError:
            version = "?"
    if available:
        return None
    return f"imagecodecs {version} is built without {library} ({codec})"


def bit_pattern(frame: np.ndarray, layout: PixelLayout, dtype: np.dtype) -> np.ndarray:
    """``frame``'s samples as their unsigned Bits Stored bit pattern in ``dtype``.

    JPEG, JPEG-LS and JPEG XL have no sign: signed pixels travel as their
    two's complement pattern, which DCMTK and GDCM read back and the
    decoders here sign-extend from Bits Stored.
    """
    unsigned = frame.view(f"u{frame.dtype.itemsize}")
    mask = (1 << layout.bits_stored) - 1
    if layout.is_signed or layout.bits_stored < frame.dtype.itemsize * 8:
        unsigned = unsigned & unsigned.dtype.type(mask)
    return np.ascontiguousarray(unsigned.astype(dtype, copy=False))


def clip_lossy(
    decoded: np.ndarray, layout: PixelLayout, signed_codestream: bool
) -> np.ndarray:
    """Lossy samples clipped to the range of Bits Stored, in place.

    A lossy codestream whose precision exceeds Bits Stored (12-bit pixels in
    a 16-bit HTJ2K codestream, 10-bit ones in 12-bit JPEG) may decode a
    little past the largest value; masking to Bits Stored would then wrap
    4097 round to 1.  Values are clipped when the codestream holds them as
    numbers of the layout's sign; a signed layout in an unsigned codestream
    holds bit patterns, which only masking and sign extension can read.
    """
    if layout.is_signed != signed_codestream:
        return decoded
    bits = layout.bits_stored
    if layout.is_signed:
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    else:
        low, high = 0, (1 << bits) - 1
    info = np.iinfo(decoded.dtype)
    if info.min >= low and info.max <= high:
        return decoded
    if not decoded.flags.writeable:
        decoded = decoded.copy()
    return np.clip(decoded, max(low, info.min), min(high, info.max), out=decoded)
