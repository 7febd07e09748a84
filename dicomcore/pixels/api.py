"""Pixel arrays from datasets and files, in pydicom 3's shape.

::

    from dicomcore.pixels import iter_pixels, pixel_array

    arr = pixel_array("ct.dcm")                 # every frame
    frame = pixel_array("cine.dcm", index=250)  # reads frame 250 only
    for frame in iter_pixels("cine.dcm"):       # about one frame in memory
        ...

A path's header is read in one small block (the whole file when it is
smaller), Pixel Data left in the file; frames are then read from there
straight into the arrays returned, one copy from the page cache, all
frames in one read for a whole image.  A whole image in a small file (see
:data:`WHOLE_READ_BYTES`) comes from one read of the file into the buffer
that becomes its array.  ``ds.pixel_array``
(:func:`dataset_pixel_array`) caches its array and notices when Pixel Data or
a pixel module attribute changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Final

import numpy as np

from dicomcore.io.reader import (
    dcmread,
    read_for_pixels,
    read_whole_for_pixels,
    wanted_tags,
)
from dicomcore.pixels import known_headers
from dicomcore.pixels.layout import LAYOUT_TAGS, PixelLayout
from dicomcore.pixels.pipeline import DecodeOptions, Pipeline

__all__ = ["dataset_pixel_array", "iter_pixels", "pixel_array", "set_array_options"]

_SOURCE_TYPES = (str, os.PathLike)

# What decoding a file needs: the Image Pixel module (PS3.3 C.7.6.3) and
# Number of Frames, the Extended Offset Table and its lengths, and the three
# pixel elements.  Reading only these halves the time spent on a header.
_PIXEL_TAGS: Final = (
    *LAYOUT_TAGS,  # the Image Pixel module's layout and Number of Frames
    0x00280034,  # Pixel Aspect Ratio
    0x00280106,  # Smallest Image Pixel Value
    0x00280107,  # Largest Image Pixel Value
    0x00281101,  # Red Palette Color Lookup Table Descriptor
    0x00281102,  # Green Palette Color Lookup Table Descriptor
    0x00281103,  # Blue Palette Color Lookup Table Descriptor
    0x00281201,  # Red Palette Color Lookup Table Data
    0x00281202,  # Green Palette Color Lookup Table Data
    0x00281203,  # Blue Palette Color Lookup Table Data
    0x00282000,  # ICC Profile
    0x00282002,  # Color Space
    0x7FE00001,  # Extended Offset Table
    0x7FE00002,  # Extended Offset Table Lengths
    0x7FE00008,  # Float Pixel Data
    0x7FE00009,  # Double Float Pixel Data
    0x7FE00010,  # Pixel Data
)


_PIXEL_WANTED: Final = wanted_tags(_PIXEL_TAGS)

#: ``pixel_array(path)`` reads a file of at most this many bytes whole, in
#: one read, into the array it returns (the header's bytes before it): one
#: open and one read instead of two of each, a measurable part of what a
#: small image costs besides its bytes, and nothing beside a larger one's.
#: Larger files are read in two steps, the header, then the frames straight
#: into the array.
WHOLE_READ_BYTES: Final = 2 * 1024**2


def _uninitialized(size: int) -> np.ndarray:
    return np.empty(size, np.uint8)


def _read_whole(path: str) -> tuple[Any, PixelLayout | None] | None:
    """A small file read whole for every frame (see WHOLE_READ_BYTES); None
    to read it the other way: a larger file, or one of several compressed
    frames, which are decoded one at a time from the file rather than all
    held in memory beside the result."""
    ds = read_whole_for_pixels(
        path, _uninitialized, WHOLE_READ_BYTES, force=True, specific_tags=_PIXEL_WANTED
    )
    return None if ds is None else (ds, None)


def _read(
    src: Any,
    transfer_syntax: str | None,
    specific_tags: Iterable[Any] | None = None,
    storage_options: dict[str, Any] | None = None,
    shared: bool = True,
    whole: bool = False,
) -> tuple[Any, PixelLayout | None]:
    """The dataset in ``src`` (a dataset as given; from a path or a file,
    the elements decoding needs and ``specific_tags``), and its layout when
    already known.  ``shared``: the dataset is only read by the caller, so
    a path's header may come from :mod:`.known_headers`.  ``whole``: every
    frame will be decoded, so a small file is read whole, once, into the
    buffer its pixels' array will be."""
    if isinstance(src, _SOURCE_TYPES) or hasattr(src, "read"):
        # As pydicom does, a file without preamble or File Meta Information
        # is read too; its encoding then names the transfer syntax.
        if isinstance(src, _SOURCE_TYPES) and "://" not in str(src):
            if shared and not specific_tags and not transfer_syntax:
                path = os.fspath(src)
                if whole:
                    read = _read_whole(path)
                    if read is not None:
                        return read
                return known_headers.read(path, _PIXEL_WANTED)
            tags = [*_PIXEL_TAGS, *(specific_tags or ())]
            ds = read_for_pixels(src, force=True, specific_tags=tags)
        else:  # a file object or a URL: read lazily
            tags = [*_PIXEL_TAGS, *(specific_tags or ())]
            ds = dcmread(
                src, force=True, specific_tags=tags, storage_options=storage_options
            )
        if transfer_syntax:
            ds.file_meta.TransferSyntaxUID = transfer_syntax
        return ds, None
    if transfer_syntax:
        raise TypeError(
            "transfer_syntax_uid is for a path or file; set "
            "ds.file_meta.TransferSyntaxUID on a dataset"
        )
    return src, None


def _fill(ds_out: Any, ds: Any) -> None:
    """Copy the File Meta Information, the group 0028 elements and the
    ``specific_tags`` read into ``ds_out`` (pydicom's ``ds_out``)."""
    ds_out.file_meta = ds.file_meta
    for element in ds:
        if element.tag >> 16 != 0x7FE0:
            ds_out[element.tag] = element


def pixel_array(
    src: str | os.PathLike[str] | BinaryIO | Any,
    index: int | None = None,
    *,
    ds_out: Any = None,
    specific_tags: Iterable[Any] | None = None,
    raw: bool = False,
    as_rgb: bool = True,
    view_only: bool = False,
    decoding_plugin: str | None = None,
    **kwargs: Any,
) -> np.ndarray:
    """The pixels of ``src`` (a path, a binary file or a dataset) as an array.

    ``index``: only that frame (0 is the first), decoding nothing else; by
    default every frame.  Shape (rows, columns[, samples]) for one frame,
    (frames, rows, columns[, samples]) otherwise; dtype the container type
    (``uint8`` for 1-bit pixels, ``float32``/``float64`` for Float/Double
    Float Pixel Data), native byte order.

    ``raw``: no colour conversion (pydicom 3's meaning); ``as_rgb``: YBR_FULL
    and YBR_FULL_422 become RGB; ``view_only``: a read-only view of the
    file's or buffer's bytes when no value must change (native little endian
    data; add ``correct_unused_bits=False`` to skip the Bits Stored
    correction); otherwise a copy.  ``decoding_plugin``: a decoder or plugin
    name.  ``ds_out`` receives the File Meta Information, the group 0028
    elements and ``specific_tags`` of a file read from a path.
    ``transfer_syntax_uid=`` names the transfer syntax of a file without
    File Meta Information; ``correct_unused_bits=False`` keeps the bits above
    Bits Stored as they are.  ``src`` may be an fsspec URL (``s3://...``,
    ``https://...``), read lazily; ``storage_options=`` go to its file system.

    >>> arr = pixel_array("testfiles/mono16_5frames_explicit.dcm", index=2)
    >>> arr.shape, arr.dtype
    ((32, 32), dtype('uint16'))
    """
    # Every frame wanted: a small file is read whole, into the array's buffer.
    ds, layout = _read(
        src,
        kwargs.get("transfer_syntax_uid"),
        specific_tags,
        storage_options=kwargs.pop("storage_options", None),
        shared=ds_out is None,
        whole=index is None,
    )
    if ds_out is not None:
        _fill(ds_out, ds)
    options = DecodeOptions.build(
        raw=raw,
        as_rgb=as_rgb,
        view_only=view_only,
        decoding_plugin=decoding_plugin,
        options=kwargs,
    )
    with Pipeline(ds, options, layout) as pipeline:
        return pipeline.volume() if index is None else pipeline.frame(index)


def iter_pixels(
    src: str | os.PathLike[str] | BinaryIO | Any,
    indices: Iterable[int] | None = None,
    *,
    ds_out: Any = None,
    specific_tags: Iterable[Any] | None = None,
    raw: bool = False,
    as_rgb: bool = True,
    decoding_plugin: str | None = None,
    out: np.ndarray | None = None,
    **kwargs: Any,
) -> Iterator[np.ndarray]:
    """Yield the frames of ``src`` one at a time, each a new array.

    ``indices``: the frames to yield, in that order (default: all).  Only
    the frame being yielded is decoded, so memory holds about one frame.
    ``out``: an array of one frame's shape and dtype that every frame is
    written into and that is yielded each time (no array is allocated per
    frame; native frames in a file are read straight into it).  The other
    arguments are those of :func:`pixel_array`.

    >>> for frame in iter_pixels("testfiles/mono16_5frames_explicit.dcm"):
    ...     print(frame.shape)  # doctest: +ELLIPSIS
    (32, 32)
    ...
    """
    view_only = kwargs.pop("view_only", False)
    ds, layout = _read(
        src,
        kwargs.get("transfer_syntax_uid"),
        specific_tags,
        storage_options=kwargs.pop("storage_options", None),
        shared=ds_out is None,
    )
    if ds_out is not None:
        _fill(ds_out, ds)
    options = DecodeOptions.build(
        raw=raw,
        as_rgb=as_rgb,
        view_only=view_only,
        decoding_plugin=decoding_plugin,
        options=kwargs,
    )
    with Pipeline(ds, options, layout) as pipeline:
        yield from pipeline.frames(indices, out)


# -- ds.pixel_array ----------------------------------------------------------------


def set_array_options(
    ds: Any,
    *,
    index: int | None = None,
    raw: bool = False,
    decoding_plugin: str | None = None,
    **kwargs: Any,
) -> None:
    """What ``ds.pixel_array`` returns from now on (pydicom's
    ``Dataset.pixel_array_options``); keyword arguments as :func:`pixel_array`."""
    kwargs.pop("use_pdh", None)  # pydicom's legacy handlers: there are none here
    options = DecodeOptions.build(
        raw=raw,
        as_rgb=kwargs.pop("as_rgb", True),
        view_only=kwargs.pop("view_only", False),
        decoding_plugin=decoding_plugin,
        options=kwargs,
    )
    object.__setattr__(ds, "_pixel_array_options", (index, options))
    object.__setattr__(ds, "_pixel_cache", None)


def _pixel_source(ds: Any, layout: PixelLayout) -> tuple[Any, Any]:
    """The pixel element, and the object holding its bytes: the value left in
    the file (``deferred_source``) or the value in memory."""
    element = ds[layout.pixel_keyword]
    deferred = element.deferred_source
    return element, deferred if deferred is not None else element.value


def dataset_pixel_array(ds: Any) -> np.ndarray:
    """``ds.pixel_array``: decoded once, then cached until it would change.

    The cache is kept while the layout (every pixel module attribute and the
    transfer syntax), the pixel element's VR, the element object and the
    value object it holds are the same ones; assigning Pixel Data or any of
    those attributes gives a new array on the next access.
    """
    index, options = ds.__dict__.get("_pixel_array_options") or (
        None,
        DecodeOptions(),
    )
    layout = PixelLayout.from_dataset(ds)
    element, source = _pixel_source(ds, layout)
    cached = ds.__dict__.get("_pixel_cache")
    if cached is not None:
        key, array = cached
        cached_layout, cached_element, cached_source, cached_options = key
        if (
            cached_element is element
            and cached_source is source
            and cached_layout == layout
            and cached_layout.pixel_vr == layout.pixel_vr
            and cached_options == (index, options)
        ):
            return array  # type: ignore[no-any-return]
    with Pipeline(ds, options, layout) as pipeline:
        array = pipeline.volume() if index is None else pipeline.frame(index)
    key = (layout, element, source, (index, options))
    object.__setattr__(ds, "_pixel_cache", (key, array))
    return array
