"""Converting files and folders to one transfer syntax, on local processes.

::

    from dicomcore.batch import convert

    report = convert(["scans/"], "out/", "rle", workers=4, report="out.json")
    print(report.summary())

The unit of work is :func:`convert_one` ``(source, destination,
transfer_syntax, options) -> FileRecord``: a module-level function whose
arguments and result are plain picklable values, so any executor can run it
(here a ``ProcessPoolExecutor``; a Dask cluster runs the same task).

Safety:

- sources are only read; a destination that is its own source is refused;
- each output is written to a temporary file in its folder and renamed into
  place (:func:`dicomcore.io.writer.atomic_write`): an output file is whole
  or absent, never truncated;
- a worker killed while writing leaves its temporary file behind; the driver
  removes those of the files in flight when the pool breaks, and each run
  first removes any left in the destination tree.  So run one conversion
  into a destination tree at a time.

Resuming: a destination that is already complete is skipped (status
``skipped``): it exists, is no older than its source, is a DICOM file in the
target transfer syntax, and its pixel data holds every frame (a native value
long enough for Number of Frames; an encapsulated value, terminated, with
every frame).  Outputs only appear by rename, so the check is against files
put there by something else, left by an older run with other settings, or
cut short by a system crash before the page cache reached the disk (writes
are not synced); ``overwrite=True`` converts again regardless.  No sidecar
or manifest is kept: the destination files are the state, so a tree copied
or partly deleted resumes correctly too.

A source may be an fsspec URL (``https://``, ``s3://``...; see
docs/remote.md): it is read lazily like any remote file and written under
the last part of its path.  Its modification time is not known, so resuming
keeps a destination that is complete in itself whatever its age.

Files without pixel data are written in the target transfer syntax (its
data set encoding); a DICOMDIR is copied unchanged, since its records hold
byte offsets within it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from dicomcore.batch.names import resolve_transfer_syntax
from dicomcore.batch.report import ConversionReport, FileRecord, Status

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "ConversionInterrupted",
    "ConvertOptions",
    "Progress",
    "convert",
    "convert_one",
    "default_start_method",
    "incomplete_reason",
    "plan_conversion",
]

#: Called after each file with its record, the files done and the total.
Progress = Callable[[FileRecord, int, int], None]

#: Test hook: a pool worker ends itself with ``os._exit`` while writing its
#: N-th output, after the bytes reach the temporary file and before the
#: rename, as a worker killed at the worst moment would.
TEST_EXIT_ENV: Final = "DICOMCORE_TEST_WORKER_EXIT_ON"
_TEST_EXIT_STATUS: Final = 70

_PREAMBLE_LENGTH: Final = 128
#: Media Storage Directory Storage: a DICOMDIR (PS3.10 8, PS3.3 F).
_MEDIA_STORAGE_DIRECTORY: Final = "1.2.840.10008.1.3.10"
_PIXEL_KEYWORDS: Final = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
# A pool that breaks this many times in a row without finishing a file is
# not going to get better (a codec that crashes on import, say).
_MAX_BARREN_POOLS: Final = 3
# Files queued per worker: enough that no worker waits for the driver, few
# enough that a broken pool fails few files and memory stays flat.
_QUEUED_PER_WORKER: Final = 2

_NOTES: Final = {
    "unchanged": "already in the transfer syntax: copied",
    "no pixel data": "no pixel data: only the transfer syntax changed",
    "re-encoded": "",
    "decompressed": "",
    "compressed": "",
    "directory": (
        "DICOMDIR copied unchanged: its records hold byte offsets in it, and "
        "name the transfer syntaxes the files had"
    ),
}

_outputs_begun_here = 0  # outputs this process began writing (test hook)


@dataclass(frozen=True)
class ConvertOptions:
    """How each file is converted (all picklable).

    ``encoder_options``: options for the encoder (``{"jls_error": 2}``).
    ``encoding_plugin``/``decoding_plugin``: codec or plugin names.
    ``encapsulate_ext``: always use the Extended Offset Table.
    ``as_rgb``: convert decoded YCbCr to RGB (None: only from a lossy
    transfer syntax, see :func:`~dicomcore.pixels.transcode`).
    ``generate_instance_uid``: True, False, or None (new only when lossy).
    ``overwrite``: convert even when the destination is already complete.
    """

    encoder_options: dict[str, Any] = field(default_factory=dict)
    encoding_plugin: str | None = None
    decoding_plugin: str | None = None
    encapsulate_ext: bool = False
    as_rgb: bool | None = None
    generate_instance_uid: bool | None = None
    overwrite: bool = False


class ConversionInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a conversion; ``report`` holds the files already done."""

    def __init__(self, report: ConversionReport) -> None:
        super().__init__("conversion interrupted")
        self.report = report


# -- one file --------------------------------------------------------------------


def _is_dicom_file(path: str) -> bool:
    """True when ``path`` has the DICM prefix after its 128-byte preamble
    (PS3.10 7.1); a bare data set is not a DICOM file."""
    with open(path, "rb") as handle:
        head = handle.read(_PREAMBLE_LENGTH + 4)
    return head[_PREAMBLE_LENGTH:] == b"DICM"


def _one_line(error: BaseException) -> str:
    text = "; ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return text or type(error).__name__


def _pixel_data_incomplete(ds: Any) -> str | None:
    """Why the pixel data of ``ds`` (read from a file) is not all there, or None."""
    from dicomcore.pixels.frames import open_frames
    from dicomcore.pixels.layout import PixelLayout

    if not any(keyword in ds for keyword in _PIXEL_KEYWORDS):
        return None
    layout = PixelLayout.from_dataset(ds)
    # The reader has checked that every value fits in the file and that
    # encapsulated Pixel Data is terminated; what is left is the frames.
    frames = open_frames(ds, layout)
    try:
        if frames.available_frames() < layout.number_of_frames:
            return "its pixel data is cut short"
    finally:
        frames.close()
    return None


def incomplete_reason(
    destination: str, source: str, transfer_syntax: str
) -> str | None:
    """None when ``destination`` is a complete conversion of ``source`` into
    ``transfer_syntax`` (see the module's notes on resuming), else why not."""
    from dicomcore.io.reader import dcmread

    try:
        written = os.stat(destination)
    except FileNotFoundError:
        return "missing"
    try:
        if not _is_url(source) and written.st_mtime_ns < os.stat(source).st_mtime_ns:
            return "older than its source"
        if not _is_dicom_file(destination):
            return "not a DICOM file"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = dcmread(destination)
            current = str(ds.file_meta.get("TransferSyntaxUID") or "").strip("\x00 ")
            if current != transfer_syntax and not _is_directory(ds):
                return f"in another transfer syntax ({current or 'none'})"
            return _pixel_data_incomplete(ds)
    except Exception as exc:  # whatever is wrong with it, it is not complete
        return f"unreadable: {_one_line(exc)}"


def _is_url(source: str) -> bool:
    from dicomcore.io.remote import is_url

    return is_url(source)


def _url_size(source: str) -> int:
    """The size of the object at a URL (a StorageError, an OSError, if none)."""
    from dicomcore.io.remote import open_url

    return open_url(source).size


def _is_directory(ds: Any) -> bool:
    sop_class = ds.file_meta.get("MediaStorageSOPClassUID")
    return str(sop_class or "").strip("\x00 ") == _MEDIA_STORAGE_DIRECTORY


def _test_hook(handle: BinaryIO) -> None:
    global _outputs_begun_here
    value = os.environ.get(TEST_EXIT_ENV)
    if not value or multiprocessing.parent_process() is None:
        return  # never in the driver's own process
    _outputs_begun_here += 1
    if _outputs_begun_here == int(value):
        handle.flush()
        os._exit(_TEST_EXIT_STATUS)


def _convert(
    source: str, destination: str, transfer_syntax: str, options: ConvertOptions
) -> tuple[Status, str, int, int]:
    """(status, reason, bytes in, bytes out) for one file."""
    from dicomcore.io.reader import dcmread
    from dicomcore.io.writer import atomic_write, dcmwrite
    from dicomcore.pixels.transcode import transcode
    from dicomcore.uid import (
        DICOMCORE_IMPLEMENTATION_UID,
        DICOMCORE_IMPLEMENTATION_VERSION_NAME,
    )

    remote = _is_url(source)
    try:
        bytes_in = _url_size(source) if remote else os.path.getsize(source)
    except OSError as exc:
        return "failed", f"cannot read: {exc.strerror or exc}", 0, 0
    if (
        not remote
        and os.path.exists(destination)
        and os.path.samefile(source, destination)
    ):
        return "failed", "the destination is the source file", bytes_in, 0
    if not options.overwrite:
        if incomplete_reason(destination, source, transfer_syntax) is None:
            return (
                "skipped",
                "already converted",
                bytes_in,
                os.path.getsize(destination),
            )
    try:
        if not remote and not _is_dicom_file(source):
            return "failed", "not a DICOM file", bytes_in, 0
        ds = dcmread(source)
    except Exception as exc:  # a file we cannot read is reported, never fatal
        return "failed", f"unreadable DICOM file: {_one_line(exc)}", bytes_in, 0
    if _is_directory(ds):
        # Re-encoding a DICOMDIR would move the records its offsets point at.
        done = "directory"
    else:
        try:
            done = transcode(
                ds,
                transfer_syntax,
                encoding_plugin=options.encoding_plugin,
                decoding_plugin=options.decoding_plugin,
                as_rgb=options.as_rgb,
                generate_instance_uid=options.generate_instance_uid,
                encapsulate_ext=options.encapsulate_ext,
                **options.encoder_options,
            )
        except Exception as exc:  # as above: one file's problem is its record's
            return "failed", f"cannot convert: {_one_line(exc)}", bytes_in, 0
    if done not in ("unchanged", "directory"):
        # PS3.10 7.1: the Implementation Class UID names the writer of the
        # file's content, which is now us.
        ds.file_meta.ImplementationClassUID = DICOMCORE_IMPLEMENTATION_UID
        ds.file_meta.ImplementationVersionName = DICOMCORE_IMPLEMENTATION_VERSION_NAME

    def write(handle: BinaryIO) -> None:
        dcmwrite(handle, ds)
        _test_hook(handle)

    try:
        os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
        atomic_write(destination, write)
    except Exception as exc:  # a full disk or a value the writer refuses
        return "failed", f"cannot write: {_one_line(exc)}", bytes_in, 0
    return "converted", _NOTES[done], bytes_in, os.path.getsize(destination)


def convert_one(
    source: str,
    destination: str,
    transfer_syntax: str,
    options: ConvertOptions | None = None,
) -> FileRecord:
    """Convert one file; never raises for a problem with the file.

    ``transfer_syntax`` is a UID (see
    :func:`~dicomcore.batch.names.resolve_transfer_syntax` for names).  The
    destination's folders are made as needed.  The record says ``skipped``
    when the destination is already complete (unless ``options.overwrite``),
    ``failed`` with the reason when the source is not a DICOM file, cannot
    be read, converted or written, and ``converted`` otherwise.  Warnings
    raised on the way are kept in the record.
    """
    options = options or ConvertOptions()
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, reason, bytes_in, bytes_out = _convert(
            os.fspath(source), os.fspath(destination), str(transfer_syntax), options
        )
    messages = tuple(dict.fromkeys(str(warning.message) for warning in caught))
    return FileRecord(
        source=os.fspath(source),
        destination=os.fspath(destination),
        status=status,
        reason=reason,
        bytes_in=bytes_in,
        bytes_out=bytes_out,
        seconds=time.perf_counter() - started,
        warnings=messages,
    )


# -- planning ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One planned file: a task to run, or a record made while planning."""

    source: str
    destination: str
    record: FileRecord | None = None


def _walk(folder: str, skip: str) -> Iterator[str]:
    """Every file under ``folder``, sorted, not descending into ``skip``."""
    from dicomcore.io.writer import is_temporary

    for root, folders, files in os.walk(folder):
        folders[:] = sorted(
            name
            for name in folders
            if os.path.realpath(os.path.join(root, name)) != skip
        )
        for name in sorted(files):
            if not is_temporary(name):
                yield os.path.join(root, name)


def plan_conversion(
    sources: Iterable[str | os.PathLike[str]], destination: str | os.PathLike[str]
) -> list[_Entry]:
    """Where each source file goes under ``destination``.

    A file goes to ``destination/<its name>``; the files in a folder (walked
    recursively, sorted) keep their path relative to that folder.  A
    destination inside a source folder is not walked.  A missing source, or
    a second source mapping to a destination already planned, is a failed
    record.
    """
    target_root = os.path.realpath(os.fspath(destination))
    planned: dict[str, str] = {}
    entries: list[_Entry] = []

    def add(source: str, output: str) -> None:
        key = os.path.normcase(os.path.abspath(output))
        first = planned.get(key)
        if first is not None:
            reason = f"{first} is converted to the same destination"
            entries.append(_Entry(source, output, _failed(source, output, reason)))
            return
        planned[key] = source
        entries.append(_Entry(source, output))

    for item in sources:
        source = os.fspath(item)
        if os.path.isdir(source):
            if os.path.realpath(source) == target_root:
                raise ValueError(
                    f"the destination {os.fspath(destination)!r} is the source "
                    "folder itself; sources are never modified"
                )
            for path in _walk(source, target_root):
                add(path, os.path.join(destination, os.path.relpath(path, source)))
        elif os.path.exists(source):
            add(source, os.path.join(destination, os.path.basename(source)))
        elif _is_url(source):
            # The last part of the URL's path names the output.
            name = source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            add(source, os.path.join(destination, name))
        else:
            entries.append(
                _Entry(source, "", _failed(source, "", "no such file or folder"))
            )
    return entries


def _failed(source: str, destination: str, reason: str) -> FileRecord:
    return FileRecord(source, destination, "failed", reason)


def _remove_temporaries_under(folder: str) -> int:
    """Delete every temporary file :func:`atomic_write` left under ``folder``."""
    from dicomcore.io.writer import is_temporary

    removed = 0
    for root, _, files in os.walk(folder):
        for name in files:
            if is_temporary(name):
                try:
                    os.unlink(os.path.join(root, name))
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed


# -- running -------------------------------------------------------------------------


def _run_here(
    tasks: list[tuple[int, _Entry]], transfer_syntax: str, options: ConvertOptions
) -> Generator[tuple[int, FileRecord], None, None]:
    for index, entry in tasks:
        record = convert_one(entry.source, entry.destination, transfer_syntax, options)
        yield index, record


def _run_pool(
    tasks: list[tuple[int, _Entry]],
    transfer_syntax: str,
    options: ConvertOptions,
    workers: int,
    start_method: str,
) -> Generator[tuple[int, FileRecord], None, None]:
    """Run the tasks on ``workers`` processes, at most a few per worker queued.

    When a worker dies (a codec crashing the interpreter, a kill), the pool
    breaks: every file in flight is failed, and once the pool's processes
    are all gone the temporary files of their destinations are removed; a
    new pool takes the rest.
    """
    from dicomcore.io.writer import remove_temporaries

    context = multiprocessing.get_context(start_method)
    pending = iter(tasks)
    limit = workers * _QUEUED_PER_WORKER
    barren_pools = 0
    while True:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        in_flight: dict[Future[FileRecord], tuple[int, _Entry]] = {}
        lost: list[str] = []
        finished_here = 0
        broken = False
        try:
            while True:
                while not broken and len(in_flight) < limit:
                    task = next(pending, None)
                    if task is None:
                        break
                    try:
                        future = executor.submit(
                            convert_one,
                            task[1].source,
                            task[1].destination,
                            transfer_syntax,
                            options,
                        )
                    except BrokenProcessPool:
                        pending = _chain_one(task, pending)
                        broken = True
                        break
                    in_flight[future] = task
                if not in_flight:
                    break
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    index, entry = in_flight.pop(future)
                    try:
                        record = future.result()
                        finished_here += 1
                    except BrokenProcessPool:
                        broken = True
                        record = _lost(entry)
                        lost.append(entry.destination)
                    except Exception as exc:  # the task could not be sent or run
                        record = _failed(
                            entry.source, entry.destination, _one_line(exc)
                        )
                    yield index, record
        except BaseException:
            # Ctrl-C, or the consumer closing us: stop the workers, then
            # clean up after the files they were writing.
            lost += [entry.destination for _, entry in in_flight.values()]
            raise
        finally:
            # Only once every worker is gone can no temporary file appear.
            executor.shutdown(wait=True, cancel_futures=True)
            for destination in lost:
                remove_temporaries(destination)
        if not broken:
            return
        barren_pools = 0 if finished_here else barren_pools + 1
        if barren_pools >= _MAX_BARREN_POOLS:
            for index, entry in pending:
                yield (
                    index,
                    _failed(
                        entry.source,
                        entry.destination,
                        "not converted: worker processes keep dying",
                    ),
                )
            return


def _chain_one(
    first: tuple[int, _Entry], rest: Iterator[tuple[int, _Entry]]
) -> Iterator[tuple[int, _Entry]]:
    yield first
    yield from rest


def _lost(entry: _Entry) -> FileRecord:
    return _failed(
        entry.source,
        entry.destination,
        "not converted: a worker process died while this file was queued or "
        "being converted; run again to retry",
    )


def default_start_method() -> str:
    """ "fork" on Linux while this process runs one thread, else "spawn".

    Forking is the cheap start (the workers inherit the imported modules and
    the codec registry; a spawned worker spends about half a second
    importing them, as much as converting a hundred small files), and is
    safe while no other thread can hold a lock at the fork.  Elsewhere, or
    with threads running, spawn.  Plugins registered by hand
    (:func:`~dicomcore.pixels.register_plugin`) reach forked workers only;
    give spawned ones an entry point.
    """
    if (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    ):
        return "fork"
    return "spawn"


def convert(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    destination: str | os.PathLike[str],
    transfer_syntax: str,
    *,
    workers: int = 1,
    report: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    options: ConvertOptions | None = None,
    start_method: str | None = None,
    client: Client | None = None,
    **option_fields: Any,
) -> ConversionReport:
    """Convert files and folders into ``destination``, in ``transfer_syntax``.

    ``sources``: files and folders (see :func:`plan_conversion` for where
    each file goes).  ``transfer_syntax``: a name such as ``"rle"`` or
    ``"jpeg-ls"``, a keyword, or a UID.  ``workers``: processes converting
    in parallel (1: in this process).  ``report``: a path to write the
    report to, as JSON.  ``progress``: called after each file.
    ``options`` (or its fields as keywords, e.g. ``overwrite=True``,
    ``encoder_options={"jls_error": 2}``): see :class:`ConvertOptions`.
    ``start_method``: how worker processes start (see
    :func:`default_start_method`); the task needs nothing from this process
    but its arguments, so every method works.
    ``client``: a ``distributed.Client``; the files are then converted on
    its Dask cluster, one task per file (``workers`` and ``start_method``
    are not used; see :mod:`dicomcore.batch.dask`).

    Returns the :class:`~dicomcore.batch.report.ConversionReport`; its
    ``ok`` is False when any file failed.  Ctrl-C stops the conversion,
    writes the report of the files done and raises
    :class:`ConversionInterrupted` (a KeyboardInterrupt) carrying it.
    """
    uid = resolve_transfer_syntax(transfer_syntax)
    options = replace(options or ConvertOptions(), **option_fields)
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    destination = os.fspath(destination)
    started = time.perf_counter()
    result = ConversionReport(
        transfer_syntax=uid, destination=destination, workers=max(1, workers)
    )
    entries = plan_conversion(sources, destination)
    if os.path.isdir(destination):
        _remove_temporaries_under(destination)
    slots: list[FileRecord | None] = [entry.record for entry in entries]
    total = len(entries)
    done = 0

    def finish(record: FileRecord) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(record, done, total)

    for record in (slot for slot in slots if slot is not None):
        finish(record)
    tasks = [(index, entry) for index, entry in enumerate(entries) if not entry.record]
    if client is not None:
        from dicomcore.batch.dask import cluster_threads, run_on_cluster

        result.workers = cluster_threads(client)
        runner = run_on_cluster(client, tasks, uid, options)
    elif workers > 1 and len(tasks) > 1:
        method = start_method or default_start_method()
        if method == "fork":
            # Forked workers inherit the codec registry: build it once here
            # rather than once in each of them.
            from dicomcore.pixels.registry import codec_table

            codec_table()
        runner = _run_pool(tasks, uid, options, workers, method)
    else:
        runner = _run_here(tasks, uid, options)
    try:
        for index, record in runner:
            slots[index] = record
            finish(record)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        runner.close()  # a pool stops its workers and cleans up after them
    result.records = [slot for slot in slots if slot is not None]
    result.seconds = time.perf_counter() - started
    if report is not None:
        result.write(report)
    if result.interrupted:
        raise ConversionInterrupted(result)
    return result
