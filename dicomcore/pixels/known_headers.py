"""Headers of files whose frames are asked for again and again.

A viewer scrolling through a cine, or code reading frame after frame with
``pixel_array(path, index=k)``, reads the same header each time.  The last
files read this way keep their parsed header here, and a call on one of them
costs a check instead of a parse: the file's size and modification time as
they were, and its bytes up to Pixel Data's value the very bytes parsed
then.  Equal bytes parse to an equal dataset, so a hit can never hand back a
header the file no longer has; anything else (another file at the path, a
header edited in place, a setting that changes how files are read) reads
the file again.

Only files of more than one frame whose header was read from their first
block, with Pixel Data left in the file (no copy of it kept), are
remembered: a small file read whole gains nothing from this, and the pixels
of a single-frame file come in one call, so keeping its header would only
cost (a series read slice by slice would keep a header for each slice and
never ask for one again).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

from dicomcore import config
from dicomcore.io.deferred import FileValue
from dicomcore.io.reader import WantedTags, read_for_pixels
from dicomcore.pixels.layout import (
    MONOCHROME_PHOTOMETRIC_INTERPRETATIONS,
    PixelLayout,
)

__all__ = ["clear", "read"]

#: How many files are remembered (the least recently used goes first).
CAPACITY: Final = 32


@dataclass(frozen=True)
class _Known:
    size: int
    mtime_ns: int
    head: bytes  # the file's bytes before Pixel Data's value, as parsed
    dataset: Any
    layout: PixelLayout


_lock = threading.Lock()
_known: OrderedDict[tuple[Any, ...], _Known] = OrderedDict()


def clear() -> None:
    """Forget every header."""
    with _lock:
        _known.clear()


def _key(path: str) -> tuple[Any, ...]:
    # What reading depends on besides the bytes.
    settings = config.settings
    return (
        path,
        settings.reading_validation_mode,
        settings.replace_un_with_known_vr,
        settings.un_items_as_sequence,
        config.limits.max_sequence_depth,
    )


def read(path: str, specific_tags: WantedTags) -> tuple[Any, PixelLayout | None]:
    """The dataset :func:`~dicomcore.io.reader.read_for_pixels` gives for
    ``path``, and its layout when known from an earlier call (else None:
    the caller works it out, with whatever it reports).

    The dataset may be one handed out before: callers only read it.
    """
    key = (*_key(path), specific_tags)
    with _lock:
        known = _known.get(key)
    if known is not None:
        if _unchanged(path, known):
            with _lock:
                if key in _known:
                    _known.move_to_end(key)
            return known.dataset, known.layout
        with _lock:
            _known.pop(key, None)
    heads: list[bytes] = []
    dataset = read_for_pixels(
        path, force=True, specific_tags=specific_tags, heads=heads
    )
    layout = _remember(key, dataset, heads[0]) if heads else None
    return dataset, layout


def _unchanged(path: str, known: _Known) -> bool:
    try:
        with open(path, "rb", buffering=0) as handle:
            stat = os.fstat(handle.fileno())
            if stat.st_size != known.size or stat.st_mtime_ns != known.mtime_ns:
                return False
            return bool(handle.read(len(known.head)) == known.head)
    except OSError:
        return False  # read again, and report what happened then


def _remember(key: tuple[Any, ...], dataset: Any, block: bytes) -> PixelLayout | None:
    """Return the layout of ``dataset``, parsed from ``block``, keeping both
    when a later call may use them; None when the layout cannot be worked
    out (the caller does it again, and reports why).  What working it out
    reported is reported once: the caller is handed the layout."""
    try:
        layout = PixelLayout.from_dataset(dataset)  # one pixel element, or raises
    except Exception:  # noqa: BLE001 - the caller works it out and reports
        return None
    if layout.number_of_frames == 1:
        return layout  # nothing kept: its pixels come in one call
    value = dataset[layout.pixel_keyword].deferred_source
    if (
        not isinstance(value, FileValue)
        or value.copy is not None
        or value.offset > len(block)
        # reported at each read, so never skipped by a kept layout
        or _tolerated_deviation(dataset, layout)
    ):
        return layout
    known = _Known(
        value.size, value.mtime_ns, bytes(block[: value.offset]), dataset, layout
    )
    with _lock:
        _known[key] = known
        _known.move_to_end(key)
        while len(_known) > CAPACITY:
            _known.popitem(last=False)
    return layout


def _tolerated_deviation(dataset: Any, layout: PixelLayout) -> bool:
    """Whether working out ``layout`` reported something (see
    :meth:`PixelLayout.from_dataset`): such a file is read afresh each time,
    so that the report comes each time."""
    if layout.high_bit != layout.bits_stored - 1:
        return True
    planar = dataset.get("PlanarConfiguration")
    if layout.samples_per_pixel > 1 and not isinstance(planar, int):
        return True
    monochrome = (
        layout.photometric_interpretation in MONOCHROME_PHOTOMETRIC_INTERPRETATIONS
    )
    return layout.samples_per_pixel != (1 if monochrome else 3)
