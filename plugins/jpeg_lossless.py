"""The bundled ``jpeg-lossless`` encoder: lossless JPEG written with numpy.

ITU T.81 Process 14 (lossless, Huffman coding) for two transfer syntaxes:

- JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14,
  Selection Value 1), ``1.2.840.10008.1.2.4.70``: predictor 1 always;
- JPEG Lossless, Non-Hierarchical (Process 14), ``1.2.840.10008.1.2.4.57``:
  predictor 1 to 7, chosen with ``options["predictor"]`` (default 1).

Sample precision P is Bits Stored (2 to 16); the point transform is 0.
Signed pixels (Pixel Representation 1) are coded as their two's complement
bit pattern in P bits, i.e. as unsigned P-bit samples, which is what DCMTK,
GDCM and libjpeg write and give back; the reader sign-extends them from
Bits Stored.  Colour pixels are one interleaved scan of three components,
each predicted on its own, with no colour transform: the Photometric
Interpretation (RGB or YBR_FULL) is unchanged.  Every frame gets its own
optimal Huffman tables (T.81 Annex K.2): one per component, or one shared
by all, whichever makes the smaller stream.

Options:

``predictor``
    1..7, for ``.57`` only (``.70`` accepts 1 only).
``restart_interval``
    0 (default, none) or the number of MCUs per restart interval (the DRI
    value Ri).  An MCU is one sample of every component, and T.81 H.1.1
    requires whole lines: a multiple of Columns, at most 65535.
``restart_interval_lines``
    Alternative to ``restart_interval``: lines per restart interval.

:func:`encode_frames` encodes many frames on a thread pool.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import numpy as np

from dicomcore import hookimpl
from dicomcore.errors import CodecError
from dicomcore.pixels import Encoder, PixelLayout

from ._jpeg_encoder import encode_samples
from ._jpeg_predict import PREDICTORS

__all__ = [
    "JPEG_LOSSLESS",
    "JPEG_LOSSLESS_SV1",
    "dicomcore_encoders",
    "encode",
    "encode_frames",
    "photometric_after",
    "supports",
]

SupportsFunction = Callable[[PixelLayout, Mapping[str, Any]], str | None]
EncodeFunction = Callable[[np.ndarray, PixelLayout, Mapping[str, Any]], bytes]

JPEG_LOSSLESS_SV1: Final = "1.2.840.10008.1.2.4.70"
JPEG_LOSSLESS: Final = "1.2.840.10008.1.2.4.57"

# Encoder names are unique across plugins, so each record has its own; the
# plugin name "jpeg-lossless" picks either (encoding_plugin="jpeg-lossless").
_RECORD_NAMES: Final = {
    JPEG_LOSSLESS_SV1: "jpeg-lossless-sv1",
    JPEG_LOSSLESS: "jpeg-lossless",
}
_MIN_PRECISION: Final = 2
_MAX_PRECISION: Final = 16
_MAX_RESTART_INTERVAL: Final = 0xFFFF  # Ri is a 16-bit DRI parameter
# Colour spaces a lossless JPEG stream holds unchanged (PS3.5 8.2.1); the
# subsampled YBR terms describe native layouts the frame no longer has.
_PHOTOMETRIC: Final = frozenset(
    {"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "YBR_FULL"}
)


def _predictor(transfer_syntax: str, options: Mapping[str, Any]) -> int:
    return int(options.get("predictor", 1)) if transfer_syntax == JPEG_LOSSLESS else 1


def _lines_per_interval(layout: PixelLayout, options: Mapping[str, Any]) -> int:
    """Lines per restart interval, 0 for none; assumes supports() passed."""
    if "restart_interval_lines" in options:
        return int(options["restart_interval_lines"])
    return int(options.get("restart_interval", 0)) // layout.columns


def _option_problem(
    transfer_syntax: str, layout: PixelLayout, options: Mapping[str, Any]
) -> str | None:
    predictor = options.get("predictor", 1)
    if isinstance(predictor, bool) or not isinstance(predictor, (int, np.integer)):
        return f"predictor must be an integer 1 to 7, got {predictor!r}"
    if transfer_syntax == JPEG_LOSSLESS_SV1 and predictor != 1:
        return (
            f"JPEG Lossless SV1 ({JPEG_LOSSLESS_SV1}) uses predictor 1 only, "
            f"got {predictor}; use JPEG Lossless ({JPEG_LOSSLESS}) for others"
        )
    if predictor not in PREDICTORS:
        return f"predictor must be 1 to 7, got {predictor}"
    if "restart_interval" in options and "restart_interval_lines" in options:
        return "give restart_interval or restart_interval_lines, not both"
    lines = options.get("restart_interval_lines")
    if lines is not None:
        if isinstance(lines, bool) or not isinstance(lines, (int, np.integer)):
            return f"restart_interval_lines must be an integer, got {lines!r}"
        mcus = int(lines) * layout.columns
        name = "restart_interval_lines"
    else:
        mcus = options.get("restart_interval", 0)
        name = "restart_interval"
        if isinstance(mcus, bool) or not isinstance(mcus, (int, np.integer)):
            return f"restart_interval must be an integer, got {mcus!r}"
    if mcus < 0:
        return f"{name} must not be negative, got {mcus}"
    if mcus % layout.columns:
        return (
            f"restart_interval must be a multiple of Columns ({layout.columns}): "
            f"in lossless JPEG a restart interval is whole lines (T.81 H.1.1), "
            f"got {mcus}"
        )
    if mcus > _MAX_RESTART_INTERVAL:
        return (
            f"a restart interval of {mcus} MCUs exceeds the DRI limit of "
            f"{_MAX_RESTART_INTERVAL}"
        )
    return None


def _layout_problem(layout: PixelLayout) -> str | None:
    if layout.is_float:
        return "floating point pixels have no lossless JPEG form"
    if layout.bits_allocated not in (8, 16):
        return (
            f"Bits Allocated must be 8 or 16, got {layout.bits_allocated} "
            "(lossless JPEG samples have at most 16 bits)"
        )
    if not _MIN_PRECISION <= layout.bits_stored <= _MAX_PRECISION:
        return (
            f"Bits Stored must be 2 to 16 (the lossless JPEG sample precision), "
            f"got {layout.bits_stored}"
        )
    if layout.samples_per_pixel not in (1, 3):
        return f"Samples per Pixel must be 1 or 3, got {layout.samples_per_pixel}"
    if layout.photometric_interpretation not in _PHOTOMETRIC:
        expected = ", ".join(sorted(_PHOTOMETRIC))
        return (
            f"Photometric Interpretation {layout.photometric_interpretation} is not "
            f"stored in lossless JPEG; expected one of {expected}"
        )
    return None


def _check_transfer_syntax(transfer_syntax: str) -> None:
    if transfer_syntax not in _RECORD_NAMES:
        raise ValueError(
            f"{transfer_syntax!r} is not a lossless JPEG transfer syntax; "
            f"expected {JPEG_LOSSLESS_SV1} or {JPEG_LOSSLESS}"
        )


def _supports_for(transfer_syntax: str) -> SupportsFunction:
    _check_transfer_syntax(transfer_syntax)

    def supports(layout: PixelLayout, options: Mapping[str, Any]) -> str | None:
        return _layout_problem(layout) or _option_problem(
            transfer_syntax, layout, options
        )

    return supports


def supports(
    layout: PixelLayout,
    options: Mapping[str, Any],
    transfer_syntax: str = JPEG_LOSSLESS_SV1,
) -> str | None:
    """None if frames of ``layout`` can be encoded with ``options``, else why not."""
    return _supports_for(transfer_syntax)(layout, options)


def photometric_after(layout: PixelLayout, options: Mapping[str, Any]) -> str:
    """Unchanged: no colour transform is applied."""
    return layout.photometric_interpretation


def _samples(frame: np.ndarray, layout: PixelLayout) -> np.ndarray:
    """The frame as (lines, samples per line, components), without a copy.

    The encoder keeps the low Bits Stored bits: the two's complement pattern
    of signed pixels, and for unsigned ones nothing above Bits Stored, which
    is not part of the pixel value.
    """
    return np.asarray(frame).reshape(
        layout.rows, layout.columns, layout.samples_per_pixel
    )


def _encoder_for(transfer_syntax: str) -> EncodeFunction:
    _check_transfer_syntax(transfer_syntax)
    name = _RECORD_NAMES[transfer_syntax]

    def encode(
        frame: np.ndarray, layout: PixelLayout, options: Mapping[str, Any]
    ) -> bytes:
        problem = _layout_problem(layout) or _option_problem(
            transfer_syntax, layout, options
        )
        if problem is not None:
            raise CodecError(problem, plugin=name)
        expected = layout.rows * layout.columns * layout.samples_per_pixel
        if np.size(frame) != expected:
            raise CodecError(
                f"the frame has {np.size(frame)} samples, the layout "
                f"{layout.frame_shape} needs {expected}",
                plugin=name,
            )
        return encode_samples(
            _samples(frame, layout),
            layout.bits_stored,
            _predictor(transfer_syntax, options),
            _lines_per_interval(layout, options),
        )

    return encode


def encode(
    frame: np.ndarray,
    layout: PixelLayout,
    options: Mapping[str, Any],
    transfer_syntax: str = JPEG_LOSSLESS_SV1,
) -> bytes:
    """One frame as a lossless JPEG stream (SOI to EOI).

    >>> layout = PixelLayout(rows=2, columns=2, bits_allocated=16, bits_stored=12)
    >>> encode(np.array([[0, 1], [2, 4095]], np.uint16), layout, {})[:2]
    b'\\xff\\xd8'
    """
    return _encoder_for(transfer_syntax)(frame, layout, options)


def encode_frames(
    frames: Iterable[np.ndarray],
    layout: PixelLayout,
    options: Mapping[str, Any] | None = None,
    transfer_syntax: str = JPEG_LOSSLESS_SV1,
    max_workers: int | None = None,
) -> list[bytes]:
    """Encode every frame, in order, on a pool of threads.

    numpy releases the GIL in the array operations that dominate the work,
    so frames are encoded in parallel.  ``max_workers`` defaults to the
    number of processors this process may use (more threads only add memory
    traffic); 1 encodes in the calling thread.
    """
    chosen = _encoder_for(transfer_syntax)
    settings: Mapping[str, Any] = options or {}
    if max_workers is None:
        max_workers = _usable_processors()
    if max_workers == 1:
        return [chosen(frame, layout, settings) for frame in frames]
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        return list(pool.map(lambda frame: chosen(frame, layout, settings), frames))


def _usable_processors() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@hookimpl
def dicomcore_encoders() -> Iterator[Encoder]:
    for transfer_syntax, name in _RECORD_NAMES.items():
        yield Encoder(
            name=name,
            transfer_syntax=transfer_syntax,
            encode=_encoder_for(transfer_syntax),
            lossy=False,
            supports=_supports_for(transfer_syntax),
            photometric_after=photometric_after,
        )
