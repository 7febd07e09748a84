"""Files in object storage and on HTTP servers, through fsspec.

``dcmread("s3://bucket/key.dcm")`` (or ``gs://``, ``https://``,
``file://``, any protocol fsspec knows) reads the header and leaves Pixel
Data where it is; frames are then fetched one range each.  fsspec and the
package of each protocol come with ``pip install "dicomcore[remote]"`` (HTTP)
plus ``s3fs`` or ``gcsfs``.

Bytes are fetched with the file system's own ranged reads, never through
the 5 MiB read-ahead block of an fsspec file object, so a header costs 64
KiB, not 5 MiB.  Each fetch is tried at most ``ATTEMPTS`` times, waiting
0.2 s, then 0.4 s, for a dropped connection or a refused one; a missing
object and a server that ignores Range are not retried.  What fails is
raised as a :class:`~dicomcore.errors.StorageError` subclass.

Writing (``dcmwrite("s3://bucket/key.dcm", ds)``) makes the whole file
locally first, then uploads it with the file system's ``put_file``: one PUT
(or, for very large files, a multipart upload completed only at the end and
aborted on failure), so the object appears whole or not at all.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, TypeVar

from dicomcore.errors import (
    ConnectionDroppedError,
    ObjectNotFoundError,
    RangeNotSupportedError,
    StorageError,
    StorageUnreachableError,
)
from dicomcore.io.source import BLOCK_SIZE, FileObjectSource, RangeSource

__all__ = [
    "ATTEMPTS",
    "FsspecSource",
    "is_url",
    "local_path",
    "normalized_url",
    "open_url",
    "source_for",
    "upload_file",
]

#: How many times one fetch is tried before its error is raised.
ATTEMPTS = 3
#: Seconds waited before the second attempt; doubled for each further one.
FIRST_WAIT = 0.2
#: Neighbouring ranges closer than this are fetched as one...
MERGE_GAP = 64 * 1024
#: ...up to this size, so that a large read still goes out in parallel parts.
MERGE_LIMIT = 16 * 1024 * 1024
#: File objects up to this size are read whole in one read.
WHOLE_OBJECT_BYTES = 1024 * 1024

_T = TypeVar("_T")

# Exception class names (from aiohttp, botocore, the standard library) that
# say what went wrong, without importing those packages to catch them.
_UNREACHABLE = {
    "ClientConnectorError",
    "ClientConnectorDNSError",
    "ConnectionRefusedError",
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "gaierror",
    "NameResolutionError",
}
_DROPPED = {
    "ClientPayloadError",
    "ServerDisconnectedError",
    "ContentLengthError",
    "TransferEncodingError",
    "IncompleteRead",
    "ConnectionResetError",
    "ReadTimeoutError",
    "ResponseStreamingError",
    "TimeoutError",
    "ClientOSError",
}


def is_url(text: str) -> bool:
    """True for ``protocol://...`` (not a Windows path such as ``C:\\x``)."""
    head, sep, _ = text.partition("://")
    return bool(sep) and len(head) > 1 and head.replace("+", "").isalnum()


def _classify(exc: BaseException, name: str) -> StorageError:
    if isinstance(exc, StorageError):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        names |= {cls.__name__ for cls in type(cause).__mro__}
    text = f"{type(exc).__name__}: {exc}"
    # fsspec's HTTP info turns a refused connection into FileNotFoundError;
    # the cause says which it was, so the cause is looked at first.
    if "range requests" in str(exc):
        return RangeNotSupportedError(
            f"{name}: the server ignores Range headers and would send the "
            "whole object; serve it with Range support, or download it and "
            "read the local copy"
        )
    if names & _UNREACHABLE:
        return StorageUnreachableError(f"{name}: storage cannot be reached ({text})")
    if isinstance(exc, FileNotFoundError) or "NoSuchKey" in text:
        return ObjectNotFoundError(f"{name}: no such object ({text})")
    if names & _DROPPED:
        return ConnectionDroppedError(f"{name}: the connection dropped ({text})")
    return StorageError(f"{name}: {text}")


def _with_retries(call: Callable[[], _T], name: str) -> _T:
    wait = FIRST_WAIT
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call()
        except Exception as exc:  # every failure is classified, none hidden
            error = _classify(exc, name)
            retry = isinstance(error, (ConnectionDroppedError, StorageUnreachableError))
            if not retry or attempt == ATTEMPTS:
                if error is exc:
                    raise
                raise error from exc
        time.sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")  # pragma: no cover - loop returns or raises


class FsspecSource(RangeSource):
    """An object in an fsspec file system, read by byte ranges.

    For HTTP the ranges go through fsspec's own range fetch of an open file,
    which checks that the server honoured Range (``cat_file`` would read a
    whole object from a server that ignores it); other file systems use
    ``cat_file`` and ``cat_ranges``.
    """

    def __init__(
        self, fs: Any, path: str, size: int | None = None, http_file: Any = None
    ) -> None:
        self.fs = fs
        self.path = path
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        self.name = path if "://" in path else f"{protocol}://{path}"
        self.http_file = http_file
        #: The whole object, when a server without Range support sent it.
        self.whole: bytes | None = None
        #: The first block, fetched with the object's size (HTTP).
        self.first: bytes = b""
        if protocol in ("http", "https") and http_file is None:
            size, self.first, ranged = _with_retries(
                lambda: _first_block(fs, path, self.name), self.name
            )
            if not ranged:
                self.whole = self.first
            else:
                # With the size given, fsspec opens without a HEAD request.
                self.http_file = _with_retries(
                    lambda: fs.open(
                        path, "rb", block_size=BLOCK_SIZE, cache_type="none", size=size
                    ),
                    self.name,
                )
        if size is None:
            size = _with_retries(lambda: fs.size(path), self.name)
        if size is None:
            raise StorageError(f"{self.name}: the server does not say its size")
        self.size = int(size)

    def _fetch(self, starts: list[int], ends: list[int]) -> list[bytes]:
        if self.whole is not None:
            return [
                self.whole[start:end] for start, end in zip(starts, ends, strict=True)
            ]
        if self.http_file is not None:
            import asyncio

            from fsspec.asyn import sync

            async def gather() -> list[bytes]:
                return await asyncio.gather(
                    *(
                        self.http_file.async_fetch_range(start, end)
                        for start, end in zip(starts, ends, strict=True)
                    )
                )

            return sync(self.fs.loop, gather)  # type: ignore[no-any-return]
        if len(starts) == 1:
            return [self.fs.cat_file(self.path, start=starts[0], end=ends[0])]
        return list(
            self.fs.cat_ranges(
                [self.path] * len(starts), starts, ends, on_error="raise"
            )
        )

    def _fetch_checked(self, starts: list[int], ends: list[int]) -> list[bytes]:
        pieces = self._fetch(starts, ends)
        for start, end, piece in zip(starts, ends, pieces, strict=True):
            if isinstance(piece, BaseException):
                raise piece
            if len(piece) != end - start:
                raise ConnectionDroppedError(
                    f"{self.name}: {end - start} bytes asked for at {start}, "
                    f"{len(piece)} arrived"
                )
        return pieces

    def read(self, offset: int, size: int) -> bytes:
        if size == 0:
            return b""
        if offset < 0 or offset + size > self.size:
            raise self._short(offset, size, max(0, self.size - offset))
        if offset + size <= len(self.first):
            return self.first[offset : offset + size]
        return _with_retries(
            lambda: self._fetch_checked([offset], [offset + size]), self.name
        )[0]

    def read_many(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        """Fetch every range at once, neighbours within 64 KiB merged into
        blocks of at most 16 MiB."""
        from fsspec.utils import merge_offset_ranges

        wanted = [(offset, size) for offset, size in ranges if size]
        if not wanted:
            return [b"" for _ in ranges]
        for offset, size in wanted:
            if offset < 0 or offset + size > self.size:
                raise self._short(offset, size, max(0, self.size - offset))
        _, starts, ends = merge_offset_ranges(
            [self.path] * len(wanted),
            [offset for offset, _ in wanted],
            [offset + size for offset, size in wanted],
            max_gap=MERGE_GAP,
            max_block=MERGE_LIMIT,
            sort=True,
        )
        merged_ends = [int(end) for end in ends]  # never None: ends were given
        blocks = _with_retries(
            lambda: self._fetch_checked(list(starts), merged_ends), self.name
        )
        merged_starts = [int(start) for start in starts]
        out = []
        for offset, size in ranges:
            # The blocks are sorted by start (a block past the size limit may
            # overlap the one before): look back from the last one starting
            # at or before ``offset``; it is nearly always that one.
            piece = b""
            at = bisect.bisect_right(merged_starts, offset) - 1
            while size and at >= 0:
                start = merged_starts[at]
                if offset + size <= merged_ends[at]:
                    piece = blocks[at][offset - start : offset - start + size]
                    break
                at -= 1
            out.append(piece)
        return out


def _first_block(fs: Any, path: str, name: str) -> tuple[int, bytes, bool]:
    """(object size, its first ``BLOCK_SIZE`` bytes, whether the server
    honoured Range) from one GET: the size comes from Content-Range, so no
    HEAD request is needed.  A server that ignores Range starts sending the
    whole object: it is read when at most ``WHOLE_OBJECT_BYTES`` (and then
    the bytes are the whole object), else the response is dropped unread."""
    from fsspec.asyn import sync

    async def get() -> tuple[int, bytes, bool]:
        session = await fs.set_session()
        options = dict(fs.kwargs)
        headers = dict(options.pop("headers", None) or {})
        headers["Range"] = f"bytes=0-{BLOCK_SIZE - 1}"
        async with session.get(
            fs.encode_url(path), headers=headers, **options
        ) as response:
            if response.status == 404:
                raise FileNotFoundError(path)
            if response.status == 416:  # an empty object: no byte 0
                return 0, b"", True
            response.raise_for_status()
            if response.status == 206:
                total = response.headers.get("Content-Range", "").rpartition("/")[2]
                if not total.isdigit():
                    raise StorageError(f"{name}: the server does not say its size")
                return int(total), await response.read(), True
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) <= WHOLE_OBJECT_BYTES:
                body = await response.read()
                return len(body), body, False
            raise RangeNotSupportedError(
                f"{name}: the server ignores Range headers and sends the whole "
                f"object ({length or 'of unknown size'} bytes); objects up to "
                f"{WHOLE_OBJECT_BYTES} bytes are then read whole, larger ones "
                "need a server with Range support or a local copy"
            )

    return sync(fs.loop, get)  # type: ignore[no-any-return]


def open_url(url: str, storage_options: dict[str, Any] | None = None) -> FsspecSource:
    """A :class:`FsspecSource` for ``url``; ``storage_options`` go to the
    file system (``{"anon": True}`` for a public bucket, credentials,
    ``endpoint_url``...)."""
    fs, path = _file_system(url, storage_options)
    return FsspecSource(fs, path)


def _file_system(url: str, storage_options: dict[str, Any] | None) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError as exc:
        raise StorageError(
            f'{url} needs fsspec: pip install "dicomcore[remote]"'
        ) from exc
    try:
        return fsspec.core.url_to_fs(url, **(storage_options or {}))  # type: ignore[no-any-return]
    except ImportError as exc:
        raise StorageError(
            f"{url} needs a package fsspec names: {exc} "
            '(pip install "dicomcore[remote]" brings HTTP; add s3fs or gcsfs)'
        ) from exc


def local_path(url: str) -> str | None:
    """The path a ``file://`` URL names, else None."""
    head = url.partition("://")[0].lower()
    if head not in ("file", "local"):
        return None
    fs, path = _file_system(url, None)
    return str(path)


def normalized_url(url: str) -> str:
    """``url`` as its file system names it, to compare with another: its
    first protocol name and the path fsspec strips (``s3a://b/k/`` and
    ``s3://b/k`` are ``s3://b/k``); as written, less a final ``/``, when no
    file system can be asked (fsspec or its package missing)."""
    try:
        from fsspec.core import split_protocol
        from fsspec.registry import get_filesystem_class

        protocol, _ = split_protocol(url)
        cls = get_filesystem_class(protocol)
    except (ImportError, ValueError):
        return url.rstrip("/")
    names = cls.protocol if isinstance(cls.protocol, (tuple, list)) else [cls.protocol]
    return f"{names[0]}://{str(cls._strip_protocol(url)).rstrip('/')}"


def upload_file(
    local: str,
    url: str,
    storage_options: dict[str, Any] | None = None,
    overwrite: bool = True,
) -> None:
    """Upload the finished file ``local`` to ``url`` in one piece.

    An object store makes an object appear whole or not at all on its PUT,
    so there is no temporary key and no rename.  The upload is tried at most
    ``ATTEMPTS`` times (it replaces the whole object, so a retry is safe);
    what fails is a :class:`~dicomcore.errors.StorageError`.
    ``overwrite=False`` raises ``FileExistsError`` when the object exists.
    """
    fs, path = _file_system(url, storage_options)
    if not overwrite and _with_retries(lambda: fs.exists(path), url):
        raise FileExistsError(f"'{url}' exists already")
    _with_retries(lambda: fs.put_file(local, path), url)
    # A listing kept by the file system would not show the new object yet.
    invalidate = getattr(fs, "invalidate_cache", None)
    if invalidate is not None:
        invalidate(path)


def source_for(handle: BinaryIO) -> RangeSource | None:
    """A range source for a file object to read lazily, or None to read it
    whole (not seekable, or at most ``WHOLE_OBJECT_BYTES``).

    An fsspec file object is read through its file system, bypassing its
    read-ahead cache."""
    fs = getattr(handle, "fs", None)
    path = getattr(handle, "path", None)
    if fs is not None and isinstance(path, str) and hasattr(fs, "cat_file"):
        if getattr(handle, "tell", lambda: 0)() == 0:
            size = getattr(handle, "size", None)
            http_file = handle if hasattr(handle, "async_fetch_range") else None
            return FsspecSource(fs, path, size, http_file)
    seekable = getattr(handle, "seekable", None)
    if seekable is None or not seekable():
        return None
    source = FileObjectSource(handle)
    if source.size <= WHOLE_OBJECT_BYTES:
        return None
    return source
