"""What the plugins wrapping the pylibjpeg family of packages share.

The plugins ``pylibjpeg``, ``openjpeg``, ``pylibjpeg-rle`` and ``pyjpegls``
wrap optional packages.  Each is always registered; it imports its package
only inside ``decode``/``encode`` and reports an absent one through
``missing()``, so that dicomcore can name the pip extra that installs it
instead of failing at import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from importlib.util import find_spec
from types import ModuleType
from typing import Final

import numpy as np

from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

__all__ = [
    "FULL_RESOLUTION",
    "SUBSAMPLED",
    "apply_bits_stored",
    "as_bytes",
    "decoded_photometric",
    "interleave",
    "library_errors",
    "load",
    "missing_packages",
    "refuse_common",
]

#: Photometric interpretations whose native layout is subsampled.  A decoder
#: returns full-resolution samples, so what it returns for YBR_FULL_422 is
#: YBR_FULL; the partial (limited range) ones have no full-resolution term.
SUBSAMPLED: Final = frozenset({"YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420"})
FULL_RESOLUTION: Final = {"YBR_FULL_422": "YBR_FULL"}


def _absent(module: str) -> bool:
    try:
        spec = find_spec(module)
    except ValueError:
        # find_spec raises for a module in sys.modules without a spec (made
        # by hand, as tests do): it is importable, so it is not missing.
        return False
    # A folder of that name in the working directory is a namespace package
    # (no origin), not the library: short names such as "rle" do occur.
    return spec is None or spec.origin is None


def missing_packages(modules: Mapping[str, str]) -> Callable[[], list[str]]:
    """A ``missing()`` for a record needing ``modules``.

    ``modules`` maps import names to the distribution names pip knows them
    by; ``missing()`` gives the distribution names of those not installed.
    Nothing is imported: a missing native library must not cost the import
    of dicomcore, and an installed one is loaded on first use.
    """

    def missing() -> list[str]:
        return [
            distribution for module, distribution in modules.items() if _absent(module)
        ]

    return missing


def load(
    module: str, distribution: str, extra: str, needs: tuple[str, ...] = ()
) -> ModuleType:
    """Import ``module`` on first use; CodecError with the install hint if it
    is absent or lacks one of the functions ``needs`` names (too old)."""
    hint = f'pip install "dicomcore[{extra}]"'
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        raise CodecError(f"{distribution} is not installed ({exc}): {hint}") from exc
    lacking = [name for name in needs if not hasattr(loaded, name)]
    if lacking:
        raise CodecError(
            f"the installed {distribution} has no {', '.join(lacking)} (too old, "
            f"or another package named {module!r}): {hint} --upgrade"
        )
    return loaded


@contextmanager
def library_errors(library: str) -> Iterator[None]:
    """Turn the exceptions a wrapped library raises on bad data into CodecError.

    The libraries report corrupt input as RuntimeError or ValueError; the
    message is theirs, prefixed with the library's name.
    """
    try:
        yield
    except (RuntimeError, ValueError, TypeError, OverflowError) as exc:
        raise CodecError(f"{library}: {exc}") from exc


def as_bytes(src: bytes | bytearray | memoryview) -> bytes | bytearray:
    """``src`` as bytes: the wrapped libraries take bytes, not memoryviews."""
    if isinstance(src, (bytes, bytearray)):
        return src
    return bytes(src)


def refuse_common(layout: PixelLayout) -> str | None:
    """The reason no codec of this family handles ``layout``, or None."""
    if layout.is_float:
        return (
            "floating point pixel data is never encapsulated (Float and "
            "Double Float Pixel Data are native only)"
        )
    if layout.bits_allocated == 1:
        return "1-bit pixels are not supported"
    return None


def decoded_photometric(layout: PixelLayout) -> str:
    """The photometric interpretation of a full-resolution decoded frame,
    when the codestream holds the samples the dataset describes."""
    photometric = layout.photometric_interpretation
    return FULL_RESOLUTION.get(photometric, photometric)


def apply_bits_stored(
    decoded: np.ndarray,
    layout: PixelLayout,
    precision: int,
    signed_codestream: bool,
) -> np.ndarray:
    """``decoded`` in the layout's container type, with Bits Stored applied.

    ``precision`` and ``signed_codestream`` describe what the codestream
    holds, which need not agree with the dataset:

    - A JPEG, JPEG-LS or unsigned JPEG 2000 codestream of signed pixels holds
      their two's complement bit pattern, unsigned.  DCMTK writes 12-bit
      signed data with a 16-bit precision and the bits above Bits Stored
      zero, GDCM's JPEG-LS sign-extends them; either way the value is the
      pattern in the low Bits Stored bits, so it is sign-extended from Bits
      Stored (or from the precision when that is lower: a P-bit pattern
      cannot carry a sign above bit P - 1).
    - A signed JPEG 2000 codestream holds the values themselves, possibly at
      a precision above Bits Stored (GDCM writes signed 12-bit data with a
      16-bit signed precision); the low Bits Stored bits are kept.
    - Unsigned pixels are masked to Bits Stored when the precision is
      higher, or the codestream signed.

    ``decoded`` is changed in place when it already has the container type
    and is writeable (the libraries return fresh arrays).
    """
    container = layout.dtype
    bits = container.itemsize * 8
    if decoded.dtype != container:
        # Integer astype wraps modulo 2**bits, which keeps the two's complement
        # pattern of negative values and of unsigned patterns alike.
        array = decoded.astype(container)
    elif decoded.flags.writeable:
        array = decoded
    else:
        array = decoded.copy()
    bits_stored = layout.bits_stored
    if layout.is_signed:
        if signed_codestream:
            sign_bit = bits_stored if precision > bits_stored else bits
        else:
            sign_bit = min(bits_stored, precision)
        shift = bits - sign_bit
        if shift > 0:
            np.left_shift(array, shift, out=array)
            np.right_shift(array, shift, out=array)
    elif bits_stored < bits and (signed_codestream or precision > bits_stored):
        np.bitwise_and(array, container.type((1 << bits_stored) - 1), out=array)
    return array


def interleave(planes: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """Samples stored plane after plane, shape (samples, rows, columns), as a
    contiguous (rows, columns, samples) frame.

    Plane by plane: about four times as fast as numpy's copy of the
    transposed view (measured on 512x512 RGB), and the pipeline gets the
    contiguous frame it would otherwise copy.
    """
    interleaved = np.empty(layout.frame_shape, planes.dtype)
    for sample, plane in enumerate(planes):
        interleaved[..., sample] = plane
    return interleaved
