"""Overlay planes as arrays (PS3.3 C.9.2 Overlay Plane, C.9.3 Multi-frame Overlay).

::

    from dicomcore.pixels import get_overlay_array

    bits = get_overlay_array(ds, 0x6000)                 # the overlay's own grid
    shown = get_overlay_array(ds, 0x6000, on_image=True) # placed on the image

An overlay lives in one of the even groups 6000-601E.  Its Overlay Data
(60xx,3000) holds one bit per overlay pixel, packed as 1-bit Pixel Data is
(PS3.5 8.1.1: the first pixel in the least significant bit), frames of a
multi-frame overlay following each other without padding.  The retired form
keeps the overlay in unused high bits of Pixel Data (Overlay Bits Allocated
equal to Bits Allocated, Overlay Bit Position the bit); it is read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dicomcore.pixels.lut import ProcessingError
from dicomcore.pixels.steps import unpack_bits

__all__ = ["OverlayPlane", "get_overlay_array", "overlay_groups"]

_ROWS, _COLUMNS, _FRAMES = 0x0010, 0x0011, 0x0015
_ORIGIN, _FRAME_ORIGIN = 0x0050, 0x0051
_BITS_ALLOCATED, _BIT_POSITION, _DATA = 0x0100, 0x0102, 0x3000


def _check_group(group: int) -> None:
    if not (0x6000 <= group <= 0x601E and group % 2 == 0):
        raise ValueError(
            f"overlay group {group:#06x}: overlays are in the even groups "
            "0x6000 to 0x601E (PS3.3 C.9.2)"
        )


def overlay_groups(ds: Any) -> list[int]:
    """The groups of ``ds`` that hold an overlay (Overlay Rows present)."""
    return [group for group in range(0x6000, 0x6020, 2) if (group << 16 | _ROWS) in ds]


@dataclass(frozen=True)
class OverlayPlane:
    """The attributes of one overlay (C.9.2, C.9.3); origins are 1-based."""

    group: int
    rows: int
    columns: int
    number_of_frames: int | None  # None: Number of Frames in Overlay absent
    origin: tuple[int, int]
    image_frame_origin: int | None
    bits_allocated: int
    bit_position: int

    @classmethod
    def from_dataset(cls, ds: Any, group: int) -> OverlayPlane:
        _check_group(group)

        def value(element: int, default: Any = None) -> Any:
            found = ds.get(group << 16 | element)
            if found is None or found.value in (None, "", []):
                return default
            return found.value

        rows, columns = value(_ROWS), value(_COLUMNS)
        if rows is None or columns is None:
            missing = "Overlay Rows" if rows is None else "Overlay Columns"
            raise ProcessingError(
                f"no overlay in group {group:04X}: {missing} ({group:04X},"
                f"{_ROWS if rows is None else _COLUMNS:04X}) is missing",
                "OverlayRows" if rows is None else "OverlayColumns",
            )
        origin = value(_ORIGIN, (1, 1))
        frames = value(_FRAMES)
        frame_origin = value(_FRAME_ORIGIN)
        return cls(
            group=group,
            rows=int(rows),
            columns=int(columns),
            number_of_frames=None if frames is None else int(frames),
            origin=(int(origin[0]), int(origin[1])),
            image_frame_origin=None if frame_origin is None else int(frame_origin),
            bits_allocated=int(value(_BITS_ALLOCATED, 1)),
            bit_position=int(value(_BIT_POSITION, 0)),
        )

    def image_frames(self, image_frames: int) -> list[int]:
        """The 0-based image frames overlay frames 0, 1, ... apply to.

        With Number of Frames in Overlay absent and no Image Frame Origin, a
        one-frame overlay applies to every frame of the image (as DCMTK
        shows it); otherwise overlay frame k applies to image frame
        Image Frame Origin + k (1 by default).
        """
        if self.number_of_frames is None and self.image_frame_origin is None:
            return list(range(image_frames))
        first = (self.image_frame_origin or 1) - 1
        return [first + k for k in range(self.number_of_frames or 1)]


def _overlay_bits(ds: Any, plane: OverlayPlane) -> np.ndarray:
    """The overlay's bits as (frames, rows, columns) uint8 0/1."""
    frames = plane.number_of_frames or 1
    count = frames * plane.rows * plane.columns
    data = ds.get(plane.group << 16 | _DATA)
    if data is not None:
        if plane.bits_allocated != 1:
            raise ProcessingError(
                f"Overlay Bits Allocated ({plane.group:04X},0100) is "
                f"{plane.bits_allocated}; Overlay Data holds 1-bit overlays",
                "OverlayBitsAllocated",
            )
        packed = data.encoded_value(little_endian=True)
        if len(packed) * 8 < count:
            raise ProcessingError(
                f"Overlay Data ({plane.group:04X},3000) holds {len(packed) * 8} "
                f"bits; {frames} frame(s) of {plane.rows} x {plane.columns} "
                f"need {count}",
                "OverlayData",
            )
        bits = np.asarray(unpack_bits(packed))[:count]
        return bits.reshape(frames, plane.rows, plane.columns)
    return _embedded_bits(ds, plane)


def _embedded_bits(ds: Any, plane: OverlayPlane) -> np.ndarray:
    # The retired form (PS3.3 2004 C.9.2.1.1): the overlay is bit Overlay Bit
    # Position of each Pixel Data value; read the values with their unused
    # bits kept.
    from dicomcore.pixels.api import pixel_array

    if plane.bits_allocated <= 1 or "PixelData" not in ds:
        raise ProcessingError(
            f"group {plane.group:04X} has no Overlay Data and no overlay "
            "embedded in Pixel Data",
            "OverlayData",
        )
    if plane.bits_allocated != int(ds.get("BitsAllocated") or 0):
        raise ProcessingError(
            f"Overlay Bits Allocated {plane.bits_allocated} differs from Bits "
            "Allocated: cannot find an embedded overlay",
            "OverlayBitsAllocated",
        )
    pixels = pixel_array(ds, raw=True, correct_unused_bits=False)
    unsigned = pixels.view(f"u{pixels.dtype.itemsize}")
    bits = ((unsigned >> plane.bit_position) & 1).astype(np.uint8)
    if bits.shape[-2:] != (plane.rows, plane.columns):
        raise ProcessingError(
            f"an embedded overlay of {plane.rows} x {plane.columns} does not "
            f"match the image's {bits.shape[-2]} x {bits.shape[-1]}",
            "OverlayRows",
        )
    return bits.reshape(-1, plane.rows, plane.columns)


def _place(ds: Any, plane: OverlayPlane, bits: np.ndarray) -> np.ndarray:
    """The overlay drawn on an image-sized grid: (frames, Rows, Columns)."""
    image_rows, image_columns = int(ds.Rows), int(ds.Columns)
    image_frames = int(ds.get("NumberOfFrames") or 1)
    out = np.zeros((image_frames, image_rows, image_columns), np.uint8)
    # Overlay Origin 1\1 is the image's top left pixel; it may be outside
    top, left = plane.origin[0] - 1, plane.origin[1] - 1
    row_start, column_start = max(top, 0), max(left, 0)
    row_stop = min(top + plane.rows, image_rows)
    column_stop = min(left + plane.columns, image_columns)
    if row_stop <= row_start or column_stop <= column_start:
        return out
    window = bits[
        :,
        row_start - top : row_stop - top,
        column_start - left : column_stop - left,
    ]
    targets = plane.image_frames(image_frames)
    if len(targets) > 1 and len(bits) == 1:
        window = np.broadcast_to(window, (len(targets), *window.shape[1:]))
    for overlay_frame, image_frame in enumerate(targets):
        if 0 <= image_frame < image_frames:
            out[image_frame, row_start:row_stop, column_start:column_stop] = window[
                overlay_frame
            ]
    return out


def get_overlay_array(ds: Any, group: int, *, on_image: bool = False) -> np.ndarray:
    """The overlay in ``group`` (0x6000, 0x6002, ... 0x601E) as 0/1 ``uint8``.

    By default, as pydicom returns it: the overlay's own grid, shape
    (Overlay Rows, Overlay Columns), or (frames, rows, columns) when Number
    of Frames in Overlay is above 1.

    ``on_image``: the overlay placed on the image instead, shape (Rows,
    Columns) or (Number of Frames, Rows, Columns) for a multi-frame image:
    moved to Overlay Origin (60xx,0050) (1\\1 is the top left pixel; parts
    outside the image are dropped) and, for multi-frame images, onto the
    frames Image Frame Origin (60xx,0051) names; a one-frame overlay with
    neither Number of Frames in Overlay nor Image Frame Origin is drawn on
    every frame.
    """
    plane = OverlayPlane.from_dataset(ds, group)
    bits = _overlay_bits(ds, plane)
    if on_image:
        placed = _place(ds, plane, bits)
        return placed if len(placed) > 1 else placed[0]
    return bits if len(bits) > 1 else bits[0]
