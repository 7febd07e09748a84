"""The frames of one file as a Dask array, one chunk per frame.

::

    from distributed import Client
    from dicomcore.batch.dask_array import frames_array

    frames = frames_array("s3://bucket/cine.dcm", storage_options={"anon": True})
    with Client("tcp://scheduler.example:8786"):
        mean_image = frames.mean(axis=0).compute()

The driver reads the header only (lazily, as :func:`~dicomcore.dcmread`
does for a URL) to learn the shape and dtype.  Each task decodes one frame
on a worker with the codec plugins installed there: the worker reads the
header once per thread and keeps it with the offset tables, then fetches
only its frames' bytes, so no worker ever holds the whole file.  The source
must be reachable by the same name from every worker: a URL, or a path on a
filesystem they share.

``dask`` (and ``distributed`` for a cluster) come with
``pip install "dicomcore[dask]"``; URLs need ``dicomcore[remote]``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from dicomcore.batch.dask import DASK_EXTRA_HINT, MissingDaskError

__all__ = ["frames_array"]

# Datasets read by this worker thread, by source and storage options: the
# header and frame index are fetched once, not once per frame.
_local = threading.local()
_KEPT_SOURCES = 8
# Pixel Data, Float Pixel Data, Double Float Pixel Data
_PIXEL_TAGS = (0x7FE00010, 0x7FE00008, 0x7FE00009)


def _dataset(source: str, storage_options: tuple[tuple[str, Any], ...]) -> Any:
    from dicomcore.io.reader import dcmread
    from dicomcore.io.source import StreamValue

    kept: dict[Any, Any] = getattr(_local, "datasets", None) or {}
    _local.datasets = kept
    key = (source, storage_options)
    dataset = kept.get(key)
    if dataset is None:
        if len(kept) >= _KEPT_SOURCES:
            kept.pop(next(iter(kept)))
        dataset = kept[key] = dcmread(
            source, force=True, storage_options=dict(storage_options) or None
        )
        for tag in _PIXEL_TAGS:
            if tag in dataset:
                deferred = dataset[tag].deferred_source
                if isinstance(deferred, StreamValue):
                    # Tasks ask for scattered frames: reading ahead would
                    # fetch frames that other workers decode.
                    deferred.index["read_ahead"] = False
    return dataset


def _decode_frame(
    source: str,
    storage_options: tuple[tuple[str, Any], ...],
    index: int,
    options: tuple[tuple[str, Any], ...],
) -> Any:
    from dicomcore.pixels.api import pixel_array

    frame = pixel_array(_dataset(source, storage_options), index=index, **dict(options))
    return frame[None, ...]


def frames_array(
    source: str | os.PathLike[str],
    *,
    storage_options: dict[str, Any] | None = None,
    **options: Any,
) -> Any:
    """A ``dask.array.Array`` of the frames of ``source`` (a URL or a path
    every worker can open): shape (frames, rows, columns[, samples]), one
    chunk per frame, dtype as :func:`~dicomcore.pixels.pixel_array` gives.

    ``options`` are :func:`~dicomcore.pixels.pixel_array`'s (``as_rgb``,
    ``raw``, ``decoding_plugin``...), applied to every frame.
    """
    try:
        import dask.array as da
        from dask.highlevelgraph import HighLevelGraph
    except ImportError as exc:
        raise MissingDaskError(
            f"a Dask array of frames needs dask: {DASK_EXTRA_HINT}"
        ) from exc
    from dicomcore.pixels.api import pixel_array
    from dicomcore.pixels.layout import PixelLayout

    name = os.fspath(source)
    frozen_storage = tuple(sorted((storage_options or {}).items()))
    frozen_options = tuple(sorted(options.items()))
    dataset = _dataset(name, frozen_storage)
    layout = PixelLayout.from_dataset(dataset)
    frames = layout.number_of_frames
    # The shape and dtype of what pixel_array gives for one frame, found
    # without decoding one: the layout's, unless an option changes samples
    # (palette or colour options keep them), so frame 0 decides when unsure.
    frame_shape = layout.frame_shape
    dtype = layout.dtype
    if options:
        first = pixel_array(dataset, index=0, **options)
        frame_shape, dtype = first.shape, first.dtype
    token = _token(name, frozen_storage, frozen_options)
    array_name = f"dicomcore-frames-{token}"
    zeros = (0,) * len(frame_shape)
    graph: dict[Any, Any] = {
        (array_name, index, *zeros): (
            _decode_frame,
            name,
            frozen_storage,
            index,
            frozen_options,
        )
        for index in range(frames)
    }
    chunks = ((1,) * frames, *((size,) for size in frame_shape))
    return da.Array(
        HighLevelGraph.from_collections(array_name, graph, dependencies=()),
        array_name,
        chunks,
        dtype=dtype,
    )


def _token(*parts: Any) -> str:
    from dask.base import tokenize

    return str(tokenize(*parts))
