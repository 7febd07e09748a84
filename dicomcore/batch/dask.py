"""Conversion on a Dask cluster: the same unit of work, run by dask.distributed.

::

    from distributed import Client
    from dicomcore.batch import convert

    with Client("tcp://scheduler.example:8786") as client:
        report = convert(["/shared/scans"], "/shared/rle", "rle", client=client)

:func:`~dicomcore.batch.convert` plans the conversion, shows progress and
writes the report as it does for local processes; given a ``client``, it hands
the planned files to :func:`run_on_cluster`, which submits one task per file,
each calling :func:`~dicomcore.batch.convert_one` on a worker.  So outputs,
atomic writes and resuming are those of the local path, byte for byte.

The workers open the paths the driver planned: sources and destination must
be the same paths on the driver and on every worker (a shared filesystem).

A task that fails (it raised, its worker died, it was cancelled, the
connection broke) is submitted once more; if that fails too, the file is
reported as failed with the reason.  Every planned file gets exactly one
record.  ``dask[distributed]`` is imported only here, and only when used:
``pip install "dicomcore[dask]"``.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import multiprocessing
import os
import secrets
import time
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from dicomcore.batch.convert import ConvertOptions, _Entry, convert_one
from dicomcore.batch.report import FileRecord
from dicomcore.batch.state import SourceState
from dicomcore.errors import DicomError

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = [
    "DASK_EXTRA_HINT",
    "RETRIES",
    "MissingDaskError",
    "cluster_threads",
    "connect",
    "run_on_cluster",
]

DASK_EXTRA_HINT: Final = 'pip install "dicomcore[dask]"'

#: How many times a failed task is submitted again before its file is
#: reported as failed.
RETRIES: Final = 1

#: Tasks kept in flight per worker thread: one running, one waiting on the
#: worker so it never idles while the driver reads a result, and no more, so
#: the scheduler holds a window of the tree rather than all of it.
_IN_FLIGHT_PER_THREAD: Final = 2
# With no worker yet (an adaptive cluster scales up on pending tasks), a few
# tasks still go out.
_MIN_IN_FLIGHT: Final = 2
# How often the window follows workers joining and leaving; asking the
# scheduler costs a round trip.
_THREADS_REFRESH_SECONDS: Final = 1.0
# When more tasks fail in a row (no success between) than three windows
# hold, the cluster itself is broken (dicomcore missing on the workers, the
# scheduler gone): the files not yet sent are failed instead of tried.
_FAILURES_PER_SLOT_BEFORE_GIVING_UP: Final = 3
_MIN_FAILURES_BEFORE_GIVING_UP: Final = 16

#: Test hook: a folder.  A worker converting a source whose file name is also
#: the name of a file in that folder reads the number in it; while it is
#: above zero, the worker lowers it and ends itself with ``os._exit`` while
#: writing the output (the bytes are in the temporary file, not renamed), as
#: a worker killed at the worst moment would.
TEST_EXIT_ENV: Final = "DICOMCORE_TEST_DASK_EXIT_DIR"
_TEST_EXIT_STATUS: Final = 70


class MissingDaskError(DicomError, ImportError):
    """dask.distributed is needed (for a cluster) and is not installed."""


def _distributed() -> Any:
    """The ``distributed`` module, or the error that says how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise MissingDaskError(
            "converting on a Dask cluster needs dask.distributed, which is not "
            f"installed: {DASK_EXTRA_HINT}"
        ) from exc
    return distributed


def connect(address: str, *, timeout: float | None = None) -> Client:
    """A :class:`distributed.Client` connected to the scheduler at ``address``
    (``tcp://host:8786``); close it when done.  ``timeout`` in seconds
    (default: Dask's ``distributed.comm.timeouts.connect``).

    Raises :class:`MissingDaskError` without ``dask[distributed]`` and
    :class:`OSError` when the scheduler cannot be reached.
    """
    distributed = _distributed()
    # Client takes no None for "the configured timeout"
    keywords = {} if timeout is None else {"timeout": timeout}
    try:
        client: Client = distributed.Client(address, set_as_default=False, **keywords)
    except ValueError as exc:  # a malformed address; OSError passes as it is
        raise OSError(
            f"cannot connect to the Dask scheduler {address!r}: {exc}"
        ) from exc
    return client


def cluster_threads(client: Client) -> int:
    """Threads of all the workers connected to ``client``'s scheduler now."""
    return int(sum(client.nthreads().values()))


# -- on a worker --------------------------------------------------------------------


def _die_while_writing(handle: BinaryIO) -> None:
    handle.write(b"dicomcore test hook: this worker dies before the rename")
    handle.flush()
    os._exit(_TEST_EXIT_STATUS)


def _test_hook(source: str, destination: str) -> None:
    folder = os.environ.get(TEST_EXIT_ENV)
    # Never in a process without a parent: that would be the driver itself
    # (a cluster of threads), whose death would take the test run with it.
    if not folder or multiprocessing.parent_process() is None:
        return
    marker = os.path.join(folder, os.path.basename(source))
    try:
        with open(marker, "r+", encoding="ascii") as handle:
            deaths_left = int(handle.read().strip() or 0)
            if deaths_left <= 0:
                return
            handle.seek(0)
            handle.truncate()
            handle.write(str(deaths_left - 1))
    except FileNotFoundError:
        return
    from dicomcore.io.writer import atomic_write

    os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
    atomic_write(destination, _die_while_writing)


def _convert_task(
    source: str,
    destination: str,
    transfer_syntax: str,
    options: ConvertOptions,
    previous: SourceState | None = None,
) -> FileRecord:
    """What a worker runs for one file: :func:`convert_one`, nothing else
    (but the test hook)."""
    _test_hook(source, destination)
    return convert_one(source, destination, transfer_syntax, options, previous)


# -- on the driver --------------------------------------------------------------------


def _describe(error: BaseException) -> str:
    """Why a task came back without a record, in words, then as raised."""
    distributed = _distributed()
    name = type(error).__name__
    if isinstance(error, distributed.KilledWorker):
        what = "a Dask worker died while converting it"
    elif isinstance(error, (asyncio.CancelledError, concurrent.futures.CancelledError)):
        what = "its Dask task was cancelled"
    elif isinstance(error, OSError):
        # distributed's CommClosedError and TimeoutError are OSErrors
        what = "the connection to the Dask cluster failed"
    else:
        what = "its Dask task raised"
    text = "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return f"{what} ({name}: {text})" if text else f"{what} ({name})"


def _outcomes(
    client: Client, batch: Sequence[Future[FileRecord]]
) -> list[tuple[Future[FileRecord], FileRecord | None, BaseException | None]]:
    """Each future of ``batch`` (all done) with its record or its error."""
    finished = [future for future in batch if future.status == "finished"]
    records: dict[str, FileRecord] = {}
    if len(finished) > 1:
        # One gather for the batch rather than a round trip per file: on a
        # big cluster the driver would otherwise become the bottleneck.
        try:
            gathered = client.gather(finished)
            records = {
                str(future.key): record
                for future, record in zip(finished, gathered, strict=True)
            }
        except Exception:  # one result lost: fetch them one by one below
            records = {}
    outcomes: list[
        tuple[Future[FileRecord], FileRecord | None, BaseException | None]
    ] = []
    for future in batch:
        record = records.get(str(future.key))
        if record is not None:
            outcomes.append((future, record, None))
            continue
        try:
            outcomes.append((future, future.result(), None))
        except (Exception, asyncio.CancelledError) as exc:
            outcomes.append((future, None, exc))
    return outcomes


def _remove_orphaned_temporaries(folders: Iterable[str]) -> None:
    """Delete the temporary files in ``folders`` left by workers that died
    while writing.  The scheduler may itself rerun a task whose worker died
    (up to its ``allowed-failures``) without the driver seeing it, so every
    folder written to is swept, once, at the end."""
    from dicomcore.io.writer import is_temporary

    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if is_temporary(name):
                try:
                    os.unlink(os.path.join(folder, name))
                except OSError:
                    pass


@dataclass(frozen=True)
class _Attempt:
    """One try at one planned file."""

    index: int
    entry: _Entry
    options: ConvertOptions
    tries: int = 0  # tries before this one
    last_failure: str = ""  # why the one before failed


def run_on_cluster(
    client: Client,
    tasks: Iterable[tuple[int, _Entry]],
    transfer_syntax: str,
    options: ConvertOptions,
    *,
    retries: int = RETRIES,
) -> Generator[tuple[int, FileRecord], None, None]:
    """Convert the planned ``tasks`` on ``client``'s cluster; yield
    ``(index, record)`` for each, in the order they finish.

    One task per file, at most twice as many in flight as the cluster has
    worker threads (followed as workers come and go).  A task that fails is
    submitted again up to ``retries`` times, then its file is failed with the
    reason; a file converted on a later try says so in its warnings.  Closing
    the generator (Ctrl-C in :func:`~dicomcore.batch.convert`) cancels the
    tasks in flight; the tasks already running finish their file.
    """
    distributed = _distributed()
    run = secrets.token_hex(4)  # keys unique across runs on one client
    pending = iter(tasks)
    # Dask runs a finished task again when the worker holding its result dies
    # before the driver fetched it; that second run would find the output
    # complete and say "skipped".  A destination absent before the first try
    # can only be this run's, so its tasks convert regardless.
    converting_anyway = replace(options, overwrite=True)
    retry_queue: collections.deque[_Attempt] = collections.deque()
    in_flight: dict[str, tuple[Future[FileRecord], _Attempt]] = {}
    folders: set[str] = set()
    completed = distributed.as_completed(loop=client.loop)
    threads_seen_at = -_THREADS_REFRESH_SECONDS
    window = _MIN_IN_FLIGHT
    failures_in_a_row = 0
    last_failure_seen = ""
    give_up_reason: str | None = None

    def current_window() -> int:
        nonlocal threads_seen_at, window
        now = time.monotonic()
        if now - threads_seen_at >= _THREADS_REFRESH_SECONDS:
            threads_seen_at = now
            try:
                threads = cluster_threads(client)
            except Exception:  # keep the last window; the tasks will tell
                threads = window // _IN_FLIGHT_PER_THREAD
            window = max(_MIN_IN_FLIGHT, _IN_FLIGHT_PER_THREAD * threads)
        return window

    def next_attempt() -> _Attempt | None:
        if retry_queue:
            return retry_queue.popleft()
        task = next(pending, None)
        if task is None:
            return None
        index, entry = task
        fresh = not options.overwrite and not os.path.lexists(entry.destination)
        return _Attempt(index, entry, converting_anyway if fresh else options)

    def submit_more() -> list[tuple[int, FileRecord]]:
        """Fill the window; the records of files that cannot be sent."""
        nonlocal give_up_reason
        unsent: list[tuple[int, FileRecord]] = []
        while len(in_flight) < current_window():
            attempt = next_attempt()
            if attempt is None:
                break
            if give_up_reason is not None:
                unsent.append((attempt.index, _failed(attempt.entry, give_up_reason)))
                continue
            key = f"dicomcore-convert-{run}-{attempt.index}-{attempt.tries}"
            try:
                # Workers have working folders of their own: they get the
                # paths as the driver resolves them.
                future = client.submit(
                    _convert_task,
                    os.path.abspath(attempt.entry.source),
                    os.path.abspath(attempt.entry.destination),
                    transfer_syntax,
                    attempt.options,
                    attempt.entry.previous,
                    key=key,
                    # a file on its second try goes before the queued ones
                    priority=attempt.tries,
                )
            except Exception as exc:  # the client is closed or cannot reach
                give_up_reason = f"not converted: cannot submit: {_describe(exc)}"
                unsent.append((attempt.index, _failed(attempt.entry, give_up_reason)))
                continue
            folders.add(os.path.dirname(os.path.abspath(attempt.entry.destination)))
            in_flight[key] = (future, attempt)
            completed.add(future)
        return unsent

    try:
        yield from submit_more()
        for batch in completed.batches():
            for future, record, error in _outcomes(client, batch):
                _, attempt = in_flight.pop(str(future.key))
                if record is not None:
                    failures_in_a_row = 0
                    # the report names the paths as planned, as locally
                    record = replace(
                        record,
                        source=attempt.entry.source,
                        destination=attempt.entry.destination,
                    )
                    if attempt.tries:
                        note = (
                            f"converted on try {attempt.tries + 1}; "
                            f"before: {attempt.last_failure}"
                        )
                        record = _with_warning(record, note)
                    yield attempt.index, record
                    continue
                assert error is not None
                failures_in_a_row += 1
                last_failure_seen = _describe(error)
                if attempt.tries < retries and give_up_reason is None:
                    retry_queue.append(
                        replace(
                            attempt,
                            tries=attempt.tries + 1,
                            last_failure=last_failure_seen,
                        )
                    )
                    continue
                reason = (
                    f"not converted: {last_failure_seen}; {_tried(attempt.tries + 1)}"
                )
                yield attempt.index, _failed(attempt.entry, reason)
            limit = max(
                _MIN_FAILURES_BEFORE_GIVING_UP,
                _FAILURES_PER_SLOT_BEFORE_GIVING_UP * window,
            )
            if give_up_reason is None and failures_in_a_row >= limit:
                give_up_reason = (
                    f"not converted: the last {failures_in_a_row} tasks on the "
                    "Dask cluster all failed, so no more were sent "
                    f"(last: {last_failure_seen})"
                )
            yield from submit_more()
    finally:
        if in_flight:
            try:
                client.cancel([future for future, _ in in_flight.values()])
            except Exception:  # a closed client has nothing left to cancel
                pass
        _remove_orphaned_temporaries(folders)


def _tried(tries: int) -> str:
    return {1: "tried once", 2: "tried twice"}.get(tries, f"tried {tries} times")


def _failed(entry: _Entry, reason: str) -> FileRecord:
    return FileRecord(entry.source, entry.destination, "failed", reason)


def _with_warning(record: FileRecord, warning: str) -> FileRecord:
    return replace(record, warnings=(*record.warnings, warning))
