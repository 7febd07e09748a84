"""The greyscale stages of PS3.4 N.2.1: Modality LUT, VOI LUT, Presentation LUT.

Function names, arguments and return types are pydicom 3's::

    from dicomcore.pixels import apply_modality_lut, apply_voi_lut

    hu = apply_modality_lut(ds.pixel_array, ds)     # float64, Hounsfield units
    shown = apply_voi_lut(hu, ds, index=1)          # the second window

Enhanced multi-frame images keep these values per frame in the Shared and
Per-frame Functional Groups Sequences (Pixel Value Transformation Sequence,
Frame VOI LUT Sequence).  Given the whole volume, shape (frames, rows,
columns), each function applies each frame's own values; given one frame,
``frame_index=`` says which one it is.

Beside pydicom's arguments: ``output_range=`` fixes the range a window maps
onto (``(0, 255)`` for an 8-bit display, which is what DCMTK's ``dcm2pnm``
renders), and :func:`apply_presentation_lut` honours MONOCHROME1, whose
P-Values are the inverse of its VOI output (see its notes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from dicomcore.pixels.color import convert_color_space
from dicomcore.pixels.layout import number_of_frames
from dicomcore.pixels.lut import LookupTable, ProcessingError, read_lut
from dicomcore.pixels.palettes import apply_color_lut

# apply_color_lut and convert_color_space live in palettes.py and color.py;
# they are here too because pydicom users import them from
# pydicom.pixels.processing.
__all__ = [
    "apply_color_lut",
    "apply_modality_lut",
    "apply_presentation_lut",
    "apply_rescale",
    "apply_voi",
    "apply_voi_lut",
    "apply_windowing",
    "convert_color_space",
    "modality_output_range",
    "voi_output_range",
    "window",
]

Transform = Callable[[np.ndarray], np.ndarray]

_MONOCHROME: Final = ("MONOCHROME1", "MONOCHROME2")
_VOI_FUNCTIONS: Final = ("LINEAR", "LINEAR_EXACT", "SIGMOID")


# -- frames and functional groups ----------------------------------------------


def _functional_group_item(ds: Any, frame: int, keyword: str) -> Any:
    """The item of ``keyword`` that applies to ``frame`` (0-based), or None.

    PS3.3 C.7.6.16: a functional group is in the frame's item of the
    Per-frame Functional Groups Sequence or, for all frames, in the Shared
    Functional Groups Sequence; the per-frame one wins.
    """
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if per_frame and frame < len(per_frame):
        found = per_frame[frame].get(keyword)
        if found:
            return found[0]
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        found = shared[0].get(keyword)
        if found:
            return found[0]
    return None


def _apply_per_frame(
    arr: np.ndarray,
    ds: Any,
    frame_index: int | None,
    transform_for: Callable[[int], Transform | None],
) -> np.ndarray:
    """Apply to ``arr`` the transform of each frame it holds.

    ``arr`` is the volume (its first axis the frames) when it has one more
    dimension than a frame and as many planes as Number of Frames; otherwise
    it is one frame, ``frame_index`` or, for a single-frame image, frame 0.
    Transforms compare equal when their values are equal (the rescale and
    window records are value objects), so frames that share values, in one
    shared item or in many equal per-frame items, are transformed at once.
    """
    frames = number_of_frames(ds)
    samples = int(ds.get("SamplesPerPixel") or 1)
    frame_dims = 2 if samples == 1 else 3
    is_volume = (
        frame_index is None
        and frames > 1
        and arr.ndim == frame_dims + 1
        and arr.shape[0] == frames
    )
    if not is_volume:
        if frame_index is not None:
            transform = transform_for(frame_index)
        else:
            candidates = set(map(transform_for, range(frames)))
            if len(candidates) > 1:
                raise ProcessingError(
                    f"the array is one frame of a {frames}-frame image whose "
                    "frames have different values; say which with frame_index="
                )
            transform = candidates.pop()
        return arr if transform is None else transform(arr)
    transforms = [transform_for(k) for k in range(frames)]
    if len(set(transforms)) == 1:
        return arr if transforms[0] is None else transforms[0](arr)
    empty = arr[0][:0]
    dtype = np.result_type(*(empty if t is None else t(empty) for t in transforms))
    out = np.empty(arr.shape, dtype)
    for k, transform in enumerate(transforms):
        out[k] = arr[k] if transform is None else transform(arr[k])
    return out


def _cached(build: Callable[[Any], Transform | None]) -> Callable[[Any], Any]:
    """``build`` once per source dataset (so equal frames share one object)."""
    made: dict[int, Transform | None] = {}

    def get(source: Any) -> Transform | None:
        key = id(source)
        if key not in made:
            made[key] = build(source)
        return made[key]

    return get


# -- Modality LUT (PS3.3 C.11.1) -----------------------------------------------


@dataclass(frozen=True)
class _Modality:
    """One frame's Modality LUT or rescale; both None for an identity."""

    lut: LookupTable | None = None
    slope: float | None = None
    intercept: float | None = None

    def __call__(self, arr: np.ndarray) -> np.ndarray:
        if self.lut is not None:
            return self.lut.apply(arr)
        if self.slope is None or self.intercept is None:
            return arr
        # m * SV + b (C.11.1.1.2), in float64 as pydicom returns it
        out = np.asarray(arr).astype(np.float64)
        out *= self.slope
        out += self.intercept
        return out

    def output_range(self, stored: tuple[float, float] | None) -> tuple[float, float]:
        if self.lut is not None:
            return self.lut.output_range
        if stored is None:
            raise ProcessingError(
                "the output range of float pixel data is not defined; pass "
                "output_range=",
                "BitsStored",
            )
        if self.slope is None or self.intercept is None:
            return stored
        ends = sorted(value * self.slope + self.intercept for value in stored)
        return ends[0], ends[1]


def _stored_range(ds: Any) -> tuple[float, float] | None:
    """The range of stored values from Bits Stored and Pixel Representation."""
    bits_stored = ds.get("BitsStored")
    if bits_stored in (None, ""):
        return None
    bits = int(bits_stored)
    if int(ds.get("PixelRepresentation") or 0):
        return -float(1 << (bits - 1)), float((1 << (bits - 1)) - 1)
    return 0.0, float((1 << bits) - 1)


def _modality_source(ds: Any, frame: int) -> Any:
    item = _functional_group_item(ds, frame, "PixelValueTransformationSequence")
    if item is not None and ("ModalityLUTSequence" in item or "RescaleSlope" in item):
        return item
    return ds


def _build_modality(ds: Any) -> Callable[[Any], _Modality]:
    signed = bool(int(ds.get("PixelRepresentation") or 0))

    def build(source: Any) -> _Modality:
        sequence = source.get("ModalityLUTSequence")
        if sequence:
            return _Modality(lut=read_lut(sequence[0], signed=signed))
        if "RescaleSlope" in source and "RescaleIntercept" in source:
            return _Modality(
                slope=float(source.RescaleSlope),
                intercept=float(source.RescaleIntercept),
            )
        return _Modality()

    return _cached(build)


def _modality_for(ds: Any) -> Callable[[int], _Modality]:
    build = _build_modality(ds)

    def get(frame: int) -> _Modality:
        modality: _Modality = build(_modality_source(ds, frame))
        return modality

    return get


def modality_output_range(ds: Any, frame_index: int = 0) -> tuple[float, float]:
    """The range of values the Modality LUT stage of ``frame_index`` can output.

    0 to 2^n - 1 for a Modality LUT of n-bit entries; otherwise the stored
    range (Bits Stored, Pixel Representation) through the rescale, smaller
    end first.
    """
    return _modality_for(ds)(frame_index).output_range(_stored_range(ds))


def apply_modality_lut(
    arr: np.ndarray, ds: Any, *, frame_index: int | None = None
) -> np.ndarray:
    """Apply the Modality LUT or rescale of ``ds`` to ``arr`` (PS3.3 C.11.1).

    With a Modality LUT Sequence the result has the dtype of its entries
    (``uint8`` up to 8 bits, else ``uint16``); with Rescale Slope and
    Rescale Intercept it is ``float64``; with neither ``arr`` is returned
    as it is.  Stored values below the LUT's first mapped value take its
    first entry, values past its end the last.

    Enhanced multi-frame images: each frame's Pixel Value Transformation
    Sequence (0028,9145), per-frame or shared, is used; ``arr`` may be the
    whole volume or one frame named by ``frame_index``.

    >>> ds = Dataset(RescaleSlope=2, RescaleIntercept=-1024)
    >>> apply_modality_lut(np.array([0, 512], np.int16), ds).tolist()
    [-1024.0, 0.0]
    """
    return _apply_per_frame(arr, ds, frame_index, _modality_for(ds))


apply_rescale = apply_modality_lut


# -- VOI LUT and windowing (PS3.3 C.11.2) --------------------------------------


def _voi_source(ds: Any, frame: int) -> Any:
    item = _functional_group_item(ds, frame, "FrameVOILUTSequence")
    if item is not None and ("WindowCenter" in item or "VOILUTSequence" in item):
        return item
    return ds


def _pick(value: Any, index: int, keyword: str) -> float:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not 0 <= index < len(values):
        raise ProcessingError(
            f"{keyword} has {len(values)} value(s); there is no index {index}",
            keyword,
        )
    return float(values[index])


def window(
    arr: np.ndarray,
    center: float,
    width: float,
    function: str = "LINEAR",
    output_range: tuple[float, float] = (0.0, 255.0),
) -> np.ndarray:
    """The VOI window equations of PS3.3 C.11.2.1.2 and C.11.2.1.3, in float64.

    LINEAR (width 1 or more)::

        x <= c - 0.5 - (w-1)/2:  y = ymin
        x >  c - 0.5 + (w-1)/2:  y = ymax
        otherwise:  y = ((x - (c - 0.5)) / (w-1) + 0.5) * (ymax - ymin) + ymin

    LINEAR_EXACT (width above 0)::

        x <= c - w/2:  y = ymin
        x >  c + w/2:  y = ymax
        otherwise:     y = ((x - c) / w + 0.5) * (ymax - ymin) + ymin

    SIGMOID (width above 0)::

        y = (ymax - ymin) / (1 + exp(-4 (x - c) / w)) + ymin
    """
    low, high = (float(v) for v in output_range)
    span = high - low
    x = np.asarray(arr, dtype=np.float64)
    function = function.strip().upper() or "LINEAR"
    if function == "SIGMOID":
        if width <= 0:
            raise ProcessingError(
                f"Window Width {width}: SIGMOID needs a width above 0", "WindowWidth"
            )
        return span / (1 + np.exp(-4 * (x - center) / width)) + low
    if function == "LINEAR":
        if width < 1:
            raise ProcessingError(
                f"Window Width {width}: LINEAR needs a width of 1 or more",
                "WindowWidth",
            )
        center, width = center - 0.5, width - 1
    elif function == "LINEAR_EXACT":
        if width <= 0:
            raise ProcessingError(
                f"Window Width {width}: LINEAR_EXACT needs a width above 0",
                "WindowWidth",
            )
    else:
        raise ProcessingError(
            f"VOI LUT Function {function!r} is not one of {', '.join(_VOI_FUNCTIONS)}",
            "VOILUTFunction",
        )
    below = x <= center - width / 2
    above = x > center + width / 2
    out = np.full(x.shape, low)
    out[above] = high
    between = ~(below | above)
    if width > 0 and between.any():
        out[between] = ((x[between] - center) / width + 0.5) * span + low
    return out


@dataclass(frozen=True)
class _Window:
    center: float
    width: float
    function: str
    output_range: tuple[float, float]

    def __call__(self, arr: np.ndarray) -> np.ndarray:
        return window(arr, self.center, self.width, self.function, self.output_range)


def _check_monochrome(ds: Any) -> None:
    photometric = str(ds.get("PhotometricInterpretation") or "").strip()
    if photometric not in _MONOCHROME:
        raise ProcessingError(
            "windowing and VOI LUTs apply to MONOCHROME1 and MONOCHROME2 images, "
            f"not {photometric or 'an image without Photometric Interpretation'}",
            "PhotometricInterpretation",
        )


def _window_for(
    ds: Any, index: int, output_range: tuple[float, float] | None
) -> Callable[[int], _Window | None]:
    modality = _modality_for(ds)
    stored = _stored_range(ds)
    made: dict[tuple[int, int], _Window | None] = {}

    def get(frame: int) -> _Window | None:
        source = _voi_source(ds, frame)
        frame_modality = modality(frame)
        key = (id(source), id(frame_modality))
        if key not in made:
            made[key] = _build_window(
                ds, source, index, output_range, frame_modality, stored
            )
        return made[key]

    return get


def _build_window(
    ds: Any,
    source: Any,
    index: int,
    output_range: tuple[float, float] | None,
    modality: _Modality,
    stored: tuple[float, float] | None,
) -> _Window | None:
    if "WindowCenter" not in source or "WindowWidth" not in source:
        return None
    function = source.get("VOILUTFunction") or ds.get("VOILUTFunction") or "LINEAR"
    return _Window(
        center=_pick(source.WindowCenter, index, "WindowCenter"),
        width=_pick(source.WindowWidth, index, "WindowWidth"),
        function=str(function),
        # pydicom's choice: the range the Modality LUT stage can output
        output_range=output_range or modality.output_range(stored),
    )


def apply_windowing(
    arr: np.ndarray,
    ds: Any,
    index: int = 0,
    *,
    frame_index: int | None = None,
    output_range: tuple[float, float] | None = None,
) -> np.ndarray:
    """Apply window ``index`` of Window Center / Window Width to ``arr`` (float64).

    ``arr`` holds the output of the Modality LUT stage.  The VOI LUT
    Function (LINEAR by default, LINEAR_EXACT, SIGMOID) picks the equations
    of PS3.3 C.11.2.1.2 (see :func:`window`).  The window maps onto
    ``output_range``; by default, as in pydicom, onto the range the Modality
    LUT stage can output (:func:`modality_output_range`).  With no window in
    ``ds``, ``arr`` is returned as it is.

    Enhanced multi-frame images: each frame's Frame VOI LUT Sequence
    (0028,9132) is used, as for :func:`apply_modality_lut`.

    >>> ds = Dataset(PhotometricInterpretation="MONOCHROME2",
    ...              WindowCenter=40, WindowWidth=400)
    >>> y = apply_windowing(np.array([-160.0, 40.0, 240.0]), ds, output_range=(0, 255))
    >>> y.round(4).tolist()
    [0.0, 127.8195, 255.0]
    """
    _check_monochrome(ds)
    return _apply_per_frame(arr, ds, frame_index, _window_for(ds, index, output_range))


def _voi_lut_for(ds: Any, index: int) -> Callable[[int], Transform | None]:
    modality = _modality_for(ds)
    stored = _stored_range(ds)
    made: dict[tuple[int, int], Transform | None] = {}

    def get(frame: int) -> Any:
        source = _voi_source(ds, frame)
        frame_modality = modality(frame)
        key = (id(source), id(frame_modality))
        if key not in made:
            sequence = source.get("VOILUTSequence")
            if not sequence:
                made[key] = None
            else:
                if not 0 <= index < len(sequence):
                    raise ProcessingError(
                        f"VOI LUT Sequence has {len(sequence)} item(s); there is "
                        f"no index {index}",
                        "VOILUTSequence",
                    )
                # The first value mapped is signed when what it maps (the
                # Modality LUT stage's output) can be negative (C.11.2.1.1).
                low = frame_modality.output_range(stored or (0.0, 0.0))[0]
                made[key] = read_lut(sequence[index], signed=low < 0).apply
        return made[key]

    return get


def apply_voi(
    arr: np.ndarray, ds: Any, index: int = 0, *, frame_index: int | None = None
) -> np.ndarray:
    """Apply item ``index`` of the VOI LUT Sequence (0028,3010) to ``arr``.

    The result has the dtype of the LUT's entries (``uint8`` up to 8 bits,
    else ``uint16``); without a VOI LUT Sequence ``arr`` is returned as it is.
    """
    _check_monochrome(ds)
    return _apply_per_frame(arr, ds, frame_index, _voi_lut_for(ds, index))


def apply_voi_lut(
    arr: np.ndarray,
    ds: Any,
    index: int = 0,
    prefer_lut: bool = True,
    *,
    frame_index: int | None = None,
    output_range: tuple[float, float] | None = None,
) -> np.ndarray:
    """Apply the VOI LUT or the window of ``ds`` to ``arr`` (pydicom's choice rules).

    With both a VOI LUT Sequence and Window Center / Width, ``prefer_lut``
    picks the LUT (default) or the window.  See :func:`apply_voi` and
    :func:`apply_windowing`.
    """
    _check_monochrome(ds)
    luts = _voi_lut_for(ds, index)
    windows = _window_for(ds, index, output_range)

    def transform_for(frame: int) -> Transform | None:
        # both getters hand out one object per distinct source, so frames
        # that share their values still share one transform
        # the one not chosen is never built: its index may not exist
        if prefer_lut:
            return luts(frame) or windows(frame)
        return windows(frame) or luts(frame)

    return _apply_per_frame(arr, ds, frame_index, transform_for)


# -- Presentation LUT (PS3.3 C.11.4, C.11.6) -----------------------------------


def voi_output_range(
    ds: Any, index: int = 0, prefer_lut: bool = True
) -> tuple[float, float]:
    """The range :func:`apply_voi_lut` outputs for the first frame.

    0 to 2^n - 1 for a VOI LUT of n-bit entries; for a window (and without a
    VOI stage) the range of the Modality LUT stage.
    """
    modality = _modality_for(ds)(0)
    stored = _stored_range(ds)
    source = _voi_source(ds, 0)
    sequence = source.get("VOILUTSequence")
    has_window = "WindowCenter" in source and "WindowWidth" in source
    if sequence and (prefer_lut or not has_window) and index < len(sequence):
        low = modality.output_range(stored or (0.0, 0.0))[0]
        return read_lut(sequence[index], signed=low < 0).output_range
    return modality.output_range(stored)


def apply_presentation_lut(
    arr: np.ndarray, ds: Any, *, input_range: tuple[float, float] | None = None
) -> np.ndarray:
    """Turn the VOI LUT stage's output ``arr`` into P-Values (PS3.3 C.11.4, C.11.6).

    - Presentation LUT Sequence (2050,0010): its LUT, whose entries cover
      the whole input range (C.11.4.1: as many entries as possible input
      values); the input range is scaled onto them when they differ.  Result
      ``uint8`` or ``uint16``.
    - Presentation LUT Shape (2050,0020) IDENTITY: ``arr`` unchanged;
      INVERSE: ``low + high - arr`` over the input range.
    - neither, for a MONOCHROME1 image: INVERSE, since MONOCHROME1 shows its
      minimum as white (C.7.6.3.1.2); DCMTK renders it so.  An explicit
      IDENTITY on a MONOCHROME1 image is honoured.

    ``input_range`` is the range of the VOI stage's output; by default it is
    :func:`voi_output_range`.  (pydicom inverts over ``arr``'s own minimum
    and maximum and ignores MONOCHROME1; both agree when ``arr`` spans its
    range and the image is MONOCHROME2.)
    """
    sequence = ds.get("PresentationLUTSequence")
    shape = str(ds.get("PresentationLUTShape") or "").strip().upper()
    photometric = str(ds.get("PhotometricInterpretation") or "").strip()
    if not sequence and not shape:
        shape = "INVERSE" if photometric == "MONOCHROME1" else "IDENTITY"
    if not sequence and shape == "IDENTITY":
        return arr
    if not sequence and shape != "INVERSE":
        raise ProcessingError(
            f"Presentation LUT Shape {shape!r} is not supported (LIN OD is for "
            "hardcopy devices)",
            "PresentationLUTShape",
        )
    low, high = input_range if input_range is not None else voi_output_range(ds)
    if not high > low:
        raise ProcessingError(f"the input range {low}..{high} is empty")
    values = np.asarray(arr)
    if sequence:
        lut = read_lut(sequence[0], signed=False)
        last = len(lut.entries) - 1
        index = (values.astype(np.float64) - low) * (last / (high - low))
        return lut.apply(index)
    # INVERSE: the input's top becomes its bottom
    total = low + high
    if values.dtype.kind in "iu" and float(total).is_integer():
        info = np.iinfo(values.dtype)
        if info.min <= low and high <= info.max:
            return (values.dtype.type(total) - values).astype(values.dtype)
    return total - values.astype(np.float64)
