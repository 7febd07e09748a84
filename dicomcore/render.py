"""One frame of an image as an 8-bit picture, and a PNG writer without Pillow.

::

    from dicomcore import dcmread
    from dicomcore.render import render_frame, write_png

    ds = dcmread("ct.dcm")
    write_png("ct.png", render_frame(ds))                         # the file's window
    write_png("lung.png", render_frame(ds, window=(-600, 1500)))  # another one
    write_png("frame9.png", render_frame(dcmread("cine.dcm"), frame=9))

The command ``dicomcore render FILE -o out.png [--frame K] [--window C W]``
does the same.

Grey images (MONOCHROME1, MONOCHROME2) go through the greyscale stages of
PS3.4 N.2.1 with the functions of :mod:`dicomcore.pixels`:

1. the Modality LUT or rescale (:func:`~dicomcore.pixels.apply_modality_lut`);
2. the VOI stage: the ``window`` given (with the image's VOI LUT Function),
   else the image's own VOI LUT or first window
   (:func:`~dicomcore.pixels.apply_voi_lut`), else a window spanning the
   frame's smallest to largest value;
3. the Presentation LUT (:func:`~dicomcore.pixels.apply_presentation_lut`),
   which shows MONOCHROME1 inverted;
4. onto 0-255: a window maps onto 0-255 and the result is truncated, as
   DCMTK's ``dcm2pnm`` renders; a LUT of n-bit entries keeps the top 8 bits.

Colour images become RGB: RGB as stored; native YBR data converted with
:func:`~dicomcore.pixels.convert_color_space`, compressed YBR data when decoded
(a JPEG decoder may do it itself); PALETTE COLOR through its palette
(:func:`~dicomcore.pixels.apply_color_lut`).  Samples of more than 8
bits keep their top 8.

Enhanced multi-frame images use each frame's own rescale and window (their
functional groups).  Overlays are not drawn.
"""

from __future__ import annotations

import os
import struct
import zlib
from typing import Any, Final

import numpy as np

from dicomcore.errors import DicomError
from dicomcore.io.writer import atomic_write
from dicomcore.pixels import (
    apply_color_lut,
    apply_modality_lut,
    apply_presentation_lut,
    apply_voi_lut,
    convert_color_space,
    pixel_array,
)
from dicomcore.pixels.color import COLOR_SPACES
from dicomcore.pixels.lut import ProcessingError, read_lut
from dicomcore.pixels.processing import voi_output_range
from dicomcore.pixels.processing import window as voi_window
from dicomcore.uid import UID

__all__ = ["encode_png", "render_frame", "write_png"]

#: The range the VOI stage maps a window onto: one 8-bit display.
DISPLAY: Final = (0.0, 255.0)

_GREY: Final = frozenset({"MONOCHROME1", "MONOCHROME2"})


def render_frame(
    ds: Any, frame: int = 0, window: tuple[float, float] | None = None
) -> np.ndarray:
    """Frame ``frame`` (0 is the first) of ``ds`` as a ``uint8`` picture.

    Shape (rows, columns) for a grey image, (rows, columns, 3) RGB for a
    colour one.  ``window`` is a (center, width) pair that replaces the
    image's VOI LUT and windows; it applies to grey images only.  See the
    module notes for the steps.

    >>> ds = dcmread("testfiles/ct_int16_explicit.dcm")  # doctest: +SKIP
    >>> render_frame(ds, window=(40, 400)).shape  # doctest: +SKIP
    (64, 64)
    """
    photometric = str(ds.get("PhotometricInterpretation") or "").strip()
    # Native colour is converted below with convert_color_space; a codec may
    # already have turned YBR into RGB, so compressed data is decoded as RGB.
    stored = pixel_array(ds, index=frame, as_rgb=not _is_native(ds))
    if photometric in _GREY:
        return _render_grey(ds, stored, frame, window)
    if window is not None:
        raise ProcessingError(
            f"a window applies to MONOCHROME1 and MONOCHROME2 images, not "
            f"{photometric or 'an image without Photometric Interpretation'}",
            "PhotometricInterpretation",
        )
    return _render_colour(ds, stored, photometric)


def _render_grey(
    ds: Any, stored: np.ndarray, frame: int, window: tuple[float, float] | None
) -> np.ndarray:
    values = apply_modality_lut(stored, ds, frame_index=frame)
    input_range: tuple[float, float] = DISPLAY
    if window is not None:
        center, width = (float(value) for value in window)
        shown = voi_window(values, center, width, _voi_function(ds, frame), DISPLAY)
    else:
        shown = apply_voi_lut(values, ds, frame_index=frame, output_range=DISPLAY)
        if shown is values:
            # apply_voi_lut hands its input back when the image has neither
            # a VOI LUT nor a window
            shown = _min_max_window(values)
        elif shown.dtype.kind != "f":
            input_range = voi_output_range(ds)  # a VOI LUT's entries
    p_values = apply_presentation_lut(shown, ds, input_range=input_range)
    sequence = ds.get("PresentationLUTSequence")
    if sequence:
        input_range = read_lut(sequence[0], signed=False).output_range
    return _to_8_bits(p_values, input_range)


def _voi_function(ds: Any, frame: int) -> str:
    """The VOI LUT Function of the frame's window (LINEAR when none is named):
    its Frame VOI LUT functional group, per-frame then shared, or the top level."""
    items = []
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if per_frame and frame < len(per_frame):
        items.append(per_frame[frame])
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        items.append(shared[0])
    for item in items:
        voi = item.get("FrameVOILUTSequence")
        if voi and voi[0].get("VOILUTFunction"):
            return str(voi[0].VOILUTFunction)
    return str(ds.get("VOILUTFunction") or "LINEAR")


def _min_max_window(values: np.ndarray) -> np.ndarray:
    """The frame's smallest value onto 0, its largest onto 255."""
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    if not finite.size:
        return np.zeros(values.shape)
    low, high = float(finite.min()), float(finite.max())
    if high == low:
        return np.zeros(values.shape)
    return voi_window(values, (low + high) / 2, high - low, "LINEAR_EXACT", DISPLAY)


def _to_8_bits(values: np.ndarray, input_range: tuple[float, float]) -> np.ndarray:
    """``input_range`` cut into 256 bins of equal width: a window's 0.0-255.0
    is truncated, a 16-bit LUT's 0-65535 keeps its top 8 bits."""
    low, high = (float(value) for value in input_range)
    scaled = np.asarray(values, dtype=np.float64) - low
    scaled *= 256.0 / (high - low + 1.0)
    np.nan_to_num(scaled, copy=False, nan=0.0)
    np.floor(scaled, out=scaled)
    np.clip(scaled, 0, 255, out=scaled)
    return scaled.astype(np.uint8)


def _render_colour(ds: Any, stored: np.ndarray, photometric: str) -> np.ndarray:
    if photometric == "PALETTE COLOR":
        rgb = apply_color_lut(stored, ds)[..., :3]
        bits = 8 * rgb.dtype.itemsize  # entries span the whole type (C.7.6.3.1.6)
        return _top_8_bits(rgb, bits)
    if stored.ndim != 3 or stored.shape[-1] != 3:
        raise ProcessingError(
            f"{photometric} frames of shape {stored.shape} cannot be shown as RGB",
            "PhotometricInterpretation",
        )
    if photometric == "RGB" or not _is_native(ds):
        rgb = stored  # compressed data was decoded with as_rgb
    elif photometric in COLOR_SPACES:
        rgb = convert_color_space(stored, photometric, "RGB")
    else:
        raise ProcessingError(
            f"Photometric Interpretation {photometric!r} cannot be rendered",
            "PhotometricInterpretation",
        )
    bits = int(ds.get("BitsStored") or 8 * rgb.dtype.itemsize)
    return _top_8_bits(rgb, bits)


def _is_native(ds: Any) -> bool:
    """True unless the dataset's transfer syntax encapsulates Pixel Data."""
    meta = getattr(ds, "file_meta", None)
    transfer_syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if not transfer_syntax:
        return True
    try:
        return not UID(str(transfer_syntax)).is_encapsulated
    except DicomError:  # a private transfer syntax nobody declared
        return False


def _top_8_bits(values: np.ndarray, bits: int) -> np.ndarray:
    if bits >= 8:
        return (values.astype(np.uint64) >> (bits - 8)).astype(np.uint8)
    maximum = (1 << bits) - 1
    widened = values.astype(np.uint32)
    return ((widened * 255 + maximum // 2) // maximum).astype(np.uint8)


# -- PNG (ISO/IEC 15948) ---------------------------------------------------------

_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPES: Final = {1: 0, 3: 2, 4: 6}  # samples -> grey, RGB, RGBA
_FILTER_UP: Final = 2


def _chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def encode_png(array: np.ndarray, level: int = 6) -> bytes:
    """``array`` as the bytes of an 8-bit PNG: ``uint8`` of shape (rows,
    columns) for grey, (rows, columns, 3) for RGB, (rows, columns, 4) for
    RGBA.  Each row is stored with the "Up" filter, then deflated."""
    pixels = np.asarray(array)
    if pixels.dtype != np.uint8:
        raise TypeError(f"a PNG is written from uint8 values, not {pixels.dtype}")
    if pixels.ndim == 3 and pixels.shape[-1] == 1:
        pixels = pixels[..., 0]
    samples = 1 if pixels.ndim == 2 else pixels.shape[-1]
    if pixels.ndim not in (2, 3) or samples not in _COLOUR_TYPES:
        raise ValueError(
            "a PNG is written from an array of shape (rows, columns) or "
            f"(rows, columns, 3 or 4), not {pixels.shape}"
        )
    rows, columns = pixels.shape[:2]
    if not rows or not columns:
        raise ValueError(f"a PNG needs at least one pixel, not shape {pixels.shape}")
    lines = np.ascontiguousarray(pixels).reshape(rows, columns * samples)
    filtered = np.empty((rows, 1 + columns * samples), np.uint8)
    filtered[:, 0] = _FILTER_UP
    filtered[0, 1:] = lines[0]
    # each byte minus the one above it, modulo 256
    np.subtract(lines[1:], lines[:-1], out=filtered[1:, 1:])
    header = struct.pack(">IIBBBBB", columns, rows, 8, _COLOUR_TYPES[samples], 0, 0, 0)
    return b"".join(
        (
            _SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(filtered.tobytes(), level)),
            _chunk(b"IEND", b""),
        )
    )


def write_png(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write ``array`` (see :func:`encode_png`) as a PNG file at ``path``.

    Written as dicomcore writes DICOM files: to a temporary file beside
    ``path``, renamed into place, so a failure never leaves half a picture.
    """
    data = encode_png(array)
    atomic_write(path, lambda handle: handle.write(data))
