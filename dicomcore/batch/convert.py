"""Converting files and folders to one transfer syntax, on local processes.

::

    from dicomcore.batch import convert

    report = convert(["scans/"], "out/", "rle", workers=4, report="out.json")
    print(report.summary())

The unit of work is :func:`convert_one` ``(source, destination,
transfer_syntax, options) -> FileRecord``: a module-level function whose
arguments and result are plain picklable values, so any executor can run it
(here worker processes of our own; a Dask cluster runs the same task).

Safety:

- sources are only read: every destination is planned before anything is
  converted, and one that is a source of the same conversion (or its own
  source, or the destination of another source) is refused for that file;
- each output is written to a temporary file in its folder and renamed into
  place (:func:`dicomcore.io.writer.atomic_write`): an output file is whole
  or absent, never truncated;
- each worker process converts one file at a time, so when one dies its
  file is known: its temporary file is removed and the file is tried once
  more, alone, in a fresh process; a file that kills that one too is failed
  and named (a poison file), and the others are not held up by it;
- workers die with the process that started them (kill -9 included), and
  every run first removes temporary files left in the destination tree.  So
  run one conversion into a destination tree at a time.

Resuming: a destination is skipped (status ``skipped``) only when the
journal of an earlier run (:mod:`dicomcore.batch.state`) says it was
written from this source, in this size, modification time and content
fingerprint, with these settings, the output still has the size and time it
was written with, and it is complete (a DICOM file in the target transfer
syntax whose pixel data holds every frame).  Anything else converts it
again; ``overwrite=True`` converts everything again.

A source may be an fsspec URL (``https://``, ``s3://``...; see
docs/remote.md): it is read lazily like any remote file and written under
the last part of its path.  Its modification time and content fingerprint
are not known without reading it whole, so the journal records local sources
only and a rerun converts a URL again.

The destination may be a URL too (``s3://bucket/prefix``, with
``storage_options``): each output is written whole into a local staging
folder, uploaded to its key with one ``put_file`` (an object appears whole
or not at all: no temporary key, no rename), and deleted; a failed upload
leaves nothing at its key.  Its journal is kept on this machine
(:func:`~dicomcore.batch.state.stored_journal_path`), and a resume keeps an
object only when the journal says it was written from this source with
these settings, it still has the size recorded, and its header (read
lazily) has the target transfer syntax and the source's Number of Frames.

Files without pixel data are written in the target transfer syntax (its
data set encoding); a DICOMDIR is copied unchanged, since its records hold
byte offsets within it; Float and Double Float Pixel Data, always native
(PS3.5 A.4), are written in a native target or else copied as they are.
Files that are not DICOM files are skipped and counted, not failed.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from dicomcore.batch.names import resolve_transfer_syntax
from dicomcore.batch.report import (
    DISK_FULL,
    NOT_CONVERTED_DISK_FULL,
    NOT_CONVERTED_INTERRUPTED,
    NOT_CONVERTED_STAGING_FULL,
    NOT_DICOM,
    STAGING_FULL,
    ConversionReport,
    FileRecord,
    Status,
)
from dicomcore.batch.state import (
    JOURNAL_NAME,
    Journal,
    SourceState,
    settings_digest,
    source_state,
    stored_journal_path,
)
from dicomcore.errors import DamagedDataWarning

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

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
    "stored_incomplete_reason",
]

#: Called after each file with its record, the files done and the total.
Progress = Callable[[FileRecord, int, int], None]

#: Test hook: a pool worker ends itself with ``os._exit`` while writing its
#: N-th output, after the bytes reach the temporary file and before the
#: rename, as a worker killed at the worst moment would.
TEST_EXIT_ENV: Final = "DICOMCORE_TEST_WORKER_EXIT_ON"
#: Test hook: a worker kills itself (SIGKILL) when it starts on a source of
#: this file name, as a codec crashing the interpreter would.
TEST_POISON_ENV: Final = "DICOMCORE_TEST_POISON"
#: Test hook: a worker sleeps this many seconds before each file, so that
#: tests can kill or signal a conversion while it runs.
TEST_DELAY_ENV: Final = "DICOMCORE_TEST_DELAY"
_TEST_EXIT_STATUS: Final = 70

_PREAMBLE_LENGTH: Final = 128
#: Media Storage Directory Storage: a DICOMDIR (PS3.10 8, PS3.3 F).
_MEDIA_STORAGE_DIRECTORY: Final = "1.2.840.10008.1.3.10"
_PIXEL_KEYWORDS: Final = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
_FLOAT_PIXEL_KEYWORDS: Final = ("FloatPixelData", "DoubleFloatPixelData")
_NATIVE_TRANSFER_SYNTAXES: Final = frozenset(
    {
        "1.2.840.10008.1.2",
        "1.2.840.10008.1.2.1",
        "1.2.840.10008.1.2.1.99",
        "1.2.840.10008.1.2.2",
    }
)
# Worker processes that die while idle this many times per worker, with no
# file finished in between, are not going to get better (a codec that
# crashes on import, say).
_MAX_IDLE_DEATHS_PER_WORKER: Final = 3
#: A file whose worker died is tried once more in a fresh process; a second
#: death names it as the cause.
_TRIES: Final = 2
# How long a worker that was asked to stop may take before it is killed.
_STOP_SECONDS: Final = 5.0
# How often a worker checks that the process that started it is alive
# (where the kernel cannot be asked to kill it with its parent).
_PARENT_CHECK_SECONDS: Final = 0.5
_PR_SET_PDEATHSIG: Final = 1
# Files sent to a worker at a time: the one it converts and the next, so it
# never waits for the driver.  Only the first can have killed a worker.
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
    "float": (
        "Float Pixel Data is always native (PS3.5 A.4): copied in its own "
        "transfer syntax"
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
    ``storage_options``: for every URL source (and destination), given to
    its fsspec file system (``{"anon": True}``, ``key``/``secret``,
    ``endpoint_url``...); they shape no output, so they are not part of the
    settings a resume compares, and never shown.
    """

    encoder_options: dict[str, Any] = field(default_factory=dict)
    encoding_plugin: str | None = None
    decoding_plugin: str | None = None
    encapsulate_ext: bool = False
    as_rgb: bool | None = None
    generate_instance_uid: bool | None = None
    overwrite: bool = False
    storage_options: dict[str, Any] = field(default_factory=dict, repr=False)


class ConversionInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, in the command) stopped a conversion; ``report``
    lists every file, those not done as not converted."""

    def __init__(self, report: ConversionReport) -> None:
        super().__init__("conversion interrupted")
        self.report = report


# -- one file --------------------------------------------------------------------


# Enough of a file's start to walk its first elements' headers.
_BARE_HEAD_LENGTH: Final = 4096


def _is_dicom_file(path: str) -> bool:
    """True when ``path`` has the DICM prefix after its 128-byte preamble
    (PS3.10 7.1); a bare data set has not (see :func:`_is_bare_dataset`)."""
    with open(path, "rb") as handle:
        head = handle.read(_PREAMBLE_LENGTH + 4)
    return head[_PREAMBLE_LENGTH:] == b"DICM"


def _is_bare_dataset(path: str) -> bool:
    from dicomcore.io.reader import is_bare_dataset

    with open(path, "rb") as handle:
        return is_bare_dataset(handle.read(_BARE_HEAD_LENGTH))


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


def _has_float_pixels(ds: Any) -> bool:
    return any(keyword in ds for keyword in _FLOAT_PIXEL_KEYWORDS)


def _transfer_syntax_mismatch(ds: Any, transfer_syntax: str) -> str | None:
    """Why an output's Transfer Syntax UID shows it is not a conversion into
    ``transfer_syntax``, or None: a DICOMDIR is copied unchanged, and Float
    Pixel Data stays native whatever is asked for."""
    current = str(ds.file_meta.get("TransferSyntaxUID") or "").strip("\x00 ")
    if (
        current != transfer_syntax
        and not _is_directory(ds)
        and not (
            _has_float_pixels(ds) and transfer_syntax not in _NATIVE_TRANSFER_SYNTAXES
        )
    ):
        return f"in another transfer syntax ({current or 'none'})"
    return None


def incomplete_reason(
    destination: str, source: str, transfer_syntax: str
) -> str | None:
    """None when ``destination`` is a complete conversion of ``source`` into
    ``transfer_syntax`` (see the module's notes on resuming), else why not.

    This looks at the files only; whether the source is still the one the
    output was made from is the journal's to say."""
    from dicomcore.io.reader import dcmread

    try:
        written = os.stat(destination)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    try:
        if not _is_url(source) and written.st_mtime_ns < os.stat(source).st_mtime_ns:
            return "older than its source"
        if not _is_dicom_file(destination):
            return "not a DICOM file"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Damage the reader reads past (a missing delimiter) is what an
            # interrupted write leaves: such an output is not complete.
            warnings.simplefilter("error", DamagedDataWarning)
            ds = dcmread(destination)
            mismatch = _transfer_syntax_mismatch(ds, transfer_syntax)
            if mismatch is not None:
                return mismatch
            return _pixel_data_incomplete(ds)
    except Exception as exc:  # whatever is wrong with it, it is not complete
        return f"unreadable: {_one_line(exc)}"


#: Reasons that end a run (a full disk: the next file would not fit either),
#: and the reason then given to the files not tried.
_STOPPING: Final = {
    DISK_FULL: NOT_CONVERTED_DISK_FULL,
    STAGING_FULL: NOT_CONVERTED_STAGING_FULL,
}


def _is_url(source: str) -> bool:
    from dicomcore.io.remote import is_url

    return is_url(source)


def _url_size(source: str, storage_options: dict[str, Any]) -> int:
    """The size of the object at a URL (a StorageError, an OSError, if none)."""
    from dicomcore.io.remote import open_url

    return open_url(source, storage_options).size


def _is_directory(ds: Any) -> bool:
    sop_class = ds.file_meta.get("MediaStorageSOPClassUID")
    return str(sop_class or "").strip("\x00 ") == _MEDIA_STORAGE_DIRECTORY


def _in_worker() -> bool:
    return multiprocessing.parent_process() is not None


def _test_hook(handle: BinaryIO) -> None:
    global _outputs_begun_here
    value = os.environ.get(TEST_EXIT_ENV)
    if not value or not _in_worker():
        return  # never in the driver's own process
    _outputs_begun_here += 1
    if _outputs_begun_here == int(value):
        handle.flush()
        os._exit(_TEST_EXIT_STATUS)


def _test_hooks_before(source: str) -> None:
    if not _in_worker():
        return
    delay = os.environ.get(TEST_DELAY_ENV)
    if delay:
        time.sleep(float(delay))
    poison = os.environ.get(TEST_POISON_ENV)
    if poison and os.path.basename(source) == poison:
        os.kill(os.getpid(), signal.SIGKILL)


def stored_incomplete_reason(
    destination: str,
    source: str,
    transfer_syntax: str,
    storage_options: dict[str, Any] | None = None,
) -> str | None:
    """None when the object at the URL ``destination`` is a conversion of
    ``source`` into ``transfer_syntax`` by its header, else why not: its
    Transfer Syntax UID is the one asked for (as for a local output) and its
    Number of Frames the source's.

    Only the headers are read (lazily, as any remote file), never the
    pixels: an object appears whole on its upload or not at all, so that
    its size is the one recorded (the journal's to say) is what tells it
    is the whole file written."""
    from dicomcore.io.reader import dcmread
    from dicomcore.pixels.layout import number_of_frames

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", DamagedDataWarning)
            ds = dcmread(
                destination, stop_before_pixels=True, storage_options=storage_options
            )
            mismatch = _transfer_syntax_mismatch(ds, transfer_syntax)
            if mismatch is not None:
                return mismatch
            if _is_url(source):
                original = dcmread(
                    source, stop_before_pixels=True, storage_options=storage_options
                )
            else:
                original = dcmread(source, stop_before_pixels=True, force=True)
            frames, expected = number_of_frames(ds), number_of_frames(original)
    except Exception as exc:  # whatever is wrong with it, it is not complete
        return f"unreadable: {_one_line(exc)}"
    if frames != expected:
        return f"{frames} frames where its source has {expected}"
    return None


def _resume_reason(
    previous: SourceState | None,
    current: SourceState,
    destination: str,
    source: str,
    transfer_syntax: str,
    storage_options: dict[str, Any] | None = None,
) -> str | None:
    """None when the output may be kept, else why it is converted again."""
    if previous is None:
        return "no record of an earlier conversion"
    if (previous.size, previous.mtime_ns, previous.fingerprint) != (
        current.size,
        current.mtime_ns,
        current.fingerprint,
    ):
        return "the source changed since it was converted"
    if _is_url(destination):
        from dicomcore.errors import ObjectNotFoundError

        try:
            size = _url_size(destination, storage_options or {})
        except ObjectNotFoundError:
            return "missing"
        except OSError as exc:
            return f"unreadable: {_one_line(exc)}"
        # An object has no modification time of ours to compare: a
        # replaced or cut one shows in its size, or else in its header.
        if size != previous.output_size:
            return "the output changed since it was written"
        return stored_incomplete_reason(
            destination, source, transfer_syntax, storage_options
        )
    try:
        written = os.stat(destination)
    except OSError:
        return "missing"
    if (written.st_size, written.st_mtime_ns) != (
        previous.output_size,
        previous.output_mtime_ns,
    ):
        return "the output changed since it was written"
    return incomplete_reason(destination, source, transfer_syntax)


def _is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (
        errno.ENOSPC,
        getattr(errno, "EDQUOT", errno.ENOSPC),
    )


@dataclass
class _Outcome:
    status: Status
    reason: str
    bytes_in: int = 0
    bytes_out: int = 0
    state: SourceState | None = None


def _write_and_upload(
    destination: str,
    write: Callable[[BinaryIO], None],
    storage_options: dict[str, Any],
    staging: str | None,
) -> int:
    """Write an output whole in a folder of its own under ``staging`` (a
    local folder; the system's temporary folder when None), upload it to
    the URL ``destination`` in one ``put_file``, and delete it; its size.

    The upload is the only write to the key: an object store makes the
    object appear whole on it or not at all, so there is no temporary key
    and no rename.  Local write errors are OSErrors, raised before anything
    is sent; the upload's are :class:`~dicomcore.errors.StorageError`."""
    from dicomcore.io.remote import upload_file
    from dicomcore.io.writer import atomic_write

    name = destination.rstrip("/").rsplit("/", 1)[-1] or "output.dcm"
    # A folder per output: two workers may write outputs of one name.
    with tempfile.TemporaryDirectory(prefix="dicomcore-output-", dir=staging) as folder:
        local = os.path.join(folder, name)
        atomic_write(local, write)
        size = os.path.getsize(local)
        try:
            upload_file(local, destination, storage_options)
        except OSError as exc:
            raise _UploadFailed(exc) from exc
    return size


class _UploadFailed(Exception):
    """An upload that failed, told apart from a write to the local disk."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _convert(
    source: str,
    destination: str,
    transfer_syntax: str,
    options: ConvertOptions,
    previous: SourceState | None,
    staging: str | None = None,
) -> _Outcome:
    """What became of one file."""
    from dicomcore.io.reader import dcmread
    from dicomcore.io.writer import atomic_write, dcmwrite
    from dicomcore.pixels.transcode import transcode
    from dicomcore.uid import (
        DICOMCORE_IMPLEMENTATION_UID,
        DICOMCORE_IMPLEMENTATION_VERSION_NAME,
    )

    remote = _is_url(source)
    stored = _is_url(destination)
    try:
        found = None if remote else os.stat(source)
        bytes_in = (
            _url_size(source, options.storage_options)
            if found is None
            else found.st_size
        )
    except OSError as exc:
        return _Outcome("failed", f"cannot read: {exc.strerror or exc}")
    if found is not None and not stat.S_ISREG(found.st_mode):
        # A FIFO would block the reader for ever; a device is not a file.
        return _Outcome("skipped", "not a regular file", bytes_in)
    try:
        if (
            not remote
            and not stored
            and os.path.exists(destination)
            and os.path.samefile(source, destination)
        ):
            return _Outcome("failed", "the destination is the source file", bytes_in)
        # An object in storage has no modification time or cheap fingerprint
        # here: its size alone is recorded (see docs/remote.md).
        before = SourceState(bytes_in, 0, "") if remote else source_state(source)
    except OSError as exc:
        return _Outcome("failed", f"cannot read: {exc.strerror or exc}", bytes_in)
    if not options.overwrite:
        reason = _resume_reason(
            previous,
            before,
            destination,
            source,
            transfer_syntax,
            options.storage_options,
        )
        if reason is None and previous is not None:
            # The output's size is the one recorded: the check compared it.
            return _Outcome(
                "skipped", "already converted", bytes_in, previous.output_size, previous
            )
    try:
        bare = not remote and not _is_dicom_file(source)
        if bare and not _is_bare_dataset(source):
            return _Outcome("skipped", NOT_DICOM, bytes_in)
        with warnings.catch_warnings():
            # A damaged source (truncated, overrunning items) would convert
            # into a file that silently lacks what was cut: refuse it.
            warnings.simplefilter("error", DamagedDataWarning)
            # A dataset without preamble and File Meta Information is read
            # as dcmread(force=True) reads it, its encoding guessed.
            if remote:
                ds = dcmread(source, storage_options=options.storage_options)
            else:
                ds = dcmread(source, force=bare)
    except Exception as exc:  # a file we cannot read is reported, never fatal
        return _Outcome("failed", f"unreadable DICOM file: {_one_line(exc)}", bytes_in)
    if _is_directory(ds):
        # Re-encoding a DICOMDIR would move the records its offsets point at.
        done = "directory"
    elif _has_float_pixels(ds) and transfer_syntax not in _NATIVE_TRANSFER_SYNTAXES:
        # No encapsulated transfer syntax may hold float pixels.
        done = "float"
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
            return _Outcome("failed", f"cannot convert: {_one_line(exc)}", bytes_in)
    if done not in ("unchanged", "directory", "float"):
        # PS3.10 7.1: the Implementation Class UID names the writer of the
        # file's content, which is now us.
        ds.file_meta.ImplementationClassUID = DICOMCORE_IMPLEMENTATION_UID
        ds.file_meta.ImplementationVersionName = DICOMCORE_IMPLEMENTATION_VERSION_NAME

    def write(handle: BinaryIO) -> None:
        dcmwrite(handle, ds)
        _test_hook(handle)

    try:
        if stored:
            output_size = _write_and_upload(
                destination, write, options.storage_options, staging
            )
            output_mtime_ns = 0  # an object's time is the store's, not compared
        else:
            os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
            atomic_write(destination, write)
            written = os.stat(destination)
            output_size, output_mtime_ns = written.st_size, written.st_mtime_ns
    except _UploadFailed as failed:
        return _Outcome("failed", f"cannot upload: {_one_line(failed.error)}", bytes_in)
    except Exception as exc:  # a full disk or a value the writer refuses
        if _is_disk_full(exc):
            return _Outcome("failed", STAGING_FULL if stored else DISK_FULL, bytes_in)
        return _Outcome("failed", f"cannot write: {_one_line(exc)}", bytes_in)
    state: SourceState | None = replace(
        before, output_size=output_size, output_mtime_ns=output_mtime_ns
    )
    try:
        after = os.stat(source)
        if (after.st_size, after.st_mtime_ns) != (before.size, before.mtime_ns):
            state = None  # changed while read: the next run converts it again
    except OSError:
        state = None
    return _Outcome("converted", _NOTES[done], bytes_in, output_size, state)


def convert_one(
    source: str,
    destination: str,
    transfer_syntax: str,
    options: ConvertOptions | None = None,
    previous: SourceState | None = None,
    staging: str | None = None,
) -> FileRecord:
    """Convert one file; never raises for a problem with the file.

    ``transfer_syntax`` is a UID (see
    :func:`~dicomcore.batch.names.resolve_transfer_syntax` for names).  The
    destination's folders are made as needed.  A destination that is a URL is
    written whole in a folder of its own under ``staging`` (default: the
    system's temporary folder), then uploaded to its key in one piece.  The
    record says ``skipped`` when ``previous`` (the state an earlier run
    recorded, see :mod:`dicomcore.batch.state`) shows the destination is already
    complete (unless ``options.overwrite``) or when the source is not a DICOM
    file, ``failed`` with the reason when it cannot be read, converted or
    written, and ``converted`` otherwise, with the state to record.  Warnings
    raised on the way are kept in the record.
    """
    options = options or ConvertOptions()
    started = time.perf_counter()
    source = os.fspath(source)
    destination = os.fspath(destination)
    _test_hooks_before(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome = _convert(
                source, destination, str(transfer_syntax), options, previous, staging
            )
        except Exception as exc:  # nothing about one file may end a batch
            outcome = _Outcome("failed", f"cannot convert: {_one_line(exc)}")
    messages = tuple(dict.fromkeys(str(warning.message) for warning in caught))
    return FileRecord(
        source=source,
        destination=destination,
        status=outcome.status,
        reason=outcome.reason,
        bytes_in=outcome.bytes_in,
        bytes_out=outcome.bytes_out,
        seconds=time.perf_counter() - started,
        warnings=messages,
        state=outcome.state,
    )


# -- planning ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One planned file: a task to run, or a record made while planning."""

    source: str
    destination: str
    record: FileRecord | None = None
    previous: SourceState | None = None


def _walk(folder: str, skip: str) -> Iterator[str]:
    """Every file under ``folder``, sorted, not descending into ``skip``.

    Symbolic links to folders are followed; a folder reached a second time
    (a link loop, or two links to one folder) is not walked again, since
    its files were already listed."""
    from dicomcore.io.writer import is_temporary

    seen = {os.path.realpath(folder)}
    for root, folders, files in os.walk(folder, followlinks=True):
        kept = []
        for name in sorted(folders):
            real = os.path.realpath(os.path.join(root, name))
            if real == skip or real in seen:
                continue
            seen.add(real)
            kept.append(name)
        folders[:] = kept
        for name in sorted(files):
            if not is_temporary(name) and name != JOURNAL_NAME:
                yield os.path.join(root, name)


def plan_conversion(
    sources: Iterable[str | os.PathLike[str]], destination: str | os.PathLike[str]
) -> list[_Entry]:
    """Where each source file goes under ``destination``.

    A file goes to ``destination/<its name>``; the files in a folder (walked
    recursively, sorted, through symbolic links) keep their path relative to
    that folder.  A destination inside a source folder is not walked.  A
    file reached twice (listed twice, or through two folders or links) is
    planned once.  These are failed records, and nothing is written for
    them: a missing source, a second source mapping to a destination
    already planned, and a destination that is a source of this conversion
    (writing it would destroy that source).

    A destination URL (``s3://bucket/prefix``) is planned the same way:
    ``s3://bucket/prefix/<its name>``, a folder's files under their
    relative path with ``/`` between its parts.  URLs are compared
    normalized (:func:`_real`), so a URL source is found again as a
    destination in the same file system.
    """
    destination = os.fspath(destination)
    target_root = _real(destination)
    planned: dict[str, str] = {}
    reached: set[str] = set()
    entries: list[_Entry] = []

    def add(source: str, output: str) -> None:
        real_source = _real(source)
        if real_source in reached:
            return
        reached.add(real_source)
        key = os.path.normcase(_real(output))
        if key == os.path.normcase(real_source):
            reason = "the destination is the source file"
            entries.append(_Entry(source, output, _failed(source, output, reason)))
            return
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
                add(path, _output(destination, os.path.relpath(path, source)))
        elif os.path.lexists(source):
            add(source, _output(destination, os.path.basename(source)))
        elif _is_url(source):
            # The last part of the URL's path names the output.
            name = source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            add(source, _output(destination, name))
        else:
            entries.append(
                _Entry(source, "", _failed(source, "", "no such file or folder"))
            )
    return [_refuse_sources_as_destinations(entry, reached) for entry in entries]


def _output(destination: str, relative: str) -> str:
    """The output at ``relative`` (a local relative path) under
    ``destination``, a folder or a URL (whose parts ``/`` separates)."""
    if not _is_url(destination):
        return os.path.join(destination, relative)
    parts = [part for part in relative.split(os.sep) if part]
    return "/".join([destination.rstrip("/"), *parts])


def _real(path: str) -> str:
    """What ``path`` names, to compare with another: a local path resolved
    through symbolic links, a URL normalized by its file system
    (``s3a://b/k/`` and ``s3://b/k`` are one object)."""
    if not _is_url(path):
        return os.path.realpath(path)
    from dicomcore.io.remote import local_path, normalized_url

    try:
        local = local_path(path)
    except OSError:  # no fsspec: the URL is compared as written
        local = None
    if local is not None:
        return os.path.realpath(local)
    return normalized_url(path)


def _refuse_sources_as_destinations(entry: _Entry, sources: set[str]) -> _Entry:
    if entry.record is not None or not entry.destination:
        return entry
    real = _real(entry.destination)
    if real not in sources:
        return entry
    if real == _real(entry.source):
        reason = "the destination is the source file"
    else:
        reason = (
            f"refused: its destination {entry.destination} is a source of this "
            "conversion"
        )
    return replace(entry, record=_failed(entry.source, entry.destination, reason))


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


# -- running in this process --------------------------------------------------------


class _Stop:
    """Set by the driver to end a run early: no file is started after it,
    and the files being converted are finished (and reported)."""

    requested = False

    def __init__(self) -> None:
        # Files a stopped pool finished that were not yet reported: their
        # records arrived, or their outputs were renamed into place, just
        # before the workers were stopped.
        self.late: list[tuple[int, FileRecord]] = []


def _run_here(
    tasks: list[tuple[int, _Entry]],
    transfer_syntax: str,
    options: ConvertOptions,
    stop: _Stop | None = None,
    staging: str | None = None,
) -> Generator[tuple[int, FileRecord], None, None]:
    for index, entry in tasks:
        if stop is not None and stop.requested:
            return
        record = convert_one(
            entry.source,
            entry.destination,
            transfer_syntax,
            options,
            entry.previous,
            staging,
        )
        yield index, record


# -- worker processes ------------------------------------------------------------------


def _die_with_parent(parent_pid: int) -> None:
    """End this worker when the process that started it ends, however it
    ends (kill -9 included): the kernel is asked to on Linux, and a thread
    watches for it everywhere."""
    direct = os.getppid() == parent_pid
    if sys.platform.startswith("linux") and direct:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the thread below still does it

    def parent_alive() -> bool:
        if direct:
            # Reparented the moment the parent dies, even before it is
            # reaped (a zombie still answers kill(pid, 0)).
            return os.getppid() == parent_pid
        # Started through a fork server: ask after the driver by its pid.
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    if not parent_alive():
        os._exit(1)

    def watch() -> None:
        while parent_alive():
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(1)  # the whole process, mid-file or not, as a kill would

    threading.Thread(target=watch, name="dicomcore-parent-watch", daemon=True).start()


def _worker_main(
    connection: Connection,
    parent_pid: int,
    transfer_syntax: str,
    options: ConvertOptions,
    staging: str | None = None,
) -> None:
    """A worker: convert the files the driver sends, one at a time, until
    it sends None or goes away."""
    _die_with_parent(parent_pid)
    # Ctrl-C reaches the whole process group: the driver stops the workers
    # and cleans up after them, so they do not act on it themselves.  A
    # forked worker inherits the driver's handlers; SIGTERM ends it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, source, destination, previous = message
        record = convert_one(
            source, destination, transfer_syntax, options, previous, staging
        )
        try:
            connection.send((index, record))
        except OSError:
            return


@dataclass
class _Task:
    index: int
    entry: _Entry
    deaths: int = 0
    cause: str = ""  # how its last worker died
    # The destination's (inode, size, mtime) when the task was sent: an
    # output renamed into place since is this run's.
    destination_before: tuple[int, int, int] | None = None


def _file_identity(path: str) -> tuple[int, int, int] | None:
    if _is_url(path):
        return None  # an object: see _finished_unreported
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _finished_unreported(task: _Task, transfer_syntax: str) -> FileRecord | None:
    """The record of a file whose worker was stopped after renaming its
    output into place but before reporting it, else None.

    An upload to object storage has no such moment to look for: a worker
    stopped after it is reported not converted, and the next run converts
    that file again (its journal has no record of the object)."""
    entry = task.entry
    now = _file_identity(entry.destination)
    if now is None or now == task.destination_before:
        return None
    if incomplete_reason(entry.destination, entry.source, transfer_syntax):
        return None
    state: SourceState | None
    try:
        state = replace(
            source_state(entry.source), output_size=now[1], output_mtime_ns=now[2]
        )
    except OSError:
        state = None
    return FileRecord(
        source=entry.source,
        destination=entry.destination,
        status="converted",
        reason="",
        bytes_in=state.size if state is not None else 0,
        bytes_out=now[1],
        seconds=0.0,
        warnings=(),
        state=state,
    )


class _Worker:
    """One worker process, its end of the pipe, and the files sent to it, in
    the order it converts them: the first is the one it is converting."""

    def __init__(
        self,
        context: BaseContext,
        transfer_syntax: str,
        options: ConvertOptions,
        staging: str | None = None,
    ) -> None:
        here, there = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]  # contexts have Process
            target=_worker_main,
            args=(there, os.getpid(), transfer_syntax, options, staging),
            name="dicomcore-convert-worker",
            daemon=True,
        )
        self.process.start()
        there.close()
        self.connection: Connection = here
        self.tasks: deque[_Task] = deque()
        # A file whose worker died is converted alone, by a fresh worker.
        self.alone = False

    def give(self, task: _Task) -> bool:
        """Send ``task``; False when the worker is gone."""
        entry = task.entry
        task.destination_before = _file_identity(entry.destination)
        try:
            self.connection.send(
                (task.index, entry.source, entry.destination, entry.previous)
            )
        except OSError:
            return False
        self.tasks.append(task)
        return True

    def wants_more(self) -> bool:
        return not self.alone and len(self.tasks) < _QUEUED_PER_WORKER

    def cause_of_death(self) -> str:
        self.process.join(_STOP_SECONDS)
        code = self.process.exitcode
        if code is None:
            return "it stopped answering"
        if code < 0:
            try:
                return f"killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit status {code}"

    def stop(
        self, kill: bool, late: list[tuple[int, FileRecord]] | None = None
    ) -> None:
        """Stop the process; with ``late``, the records it sent that were not
        received yet are added there."""
        if not kill:
            with contextlib.suppress(OSError):
                self.connection.send(None)
            self.process.join(_STOP_SECONDS)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(_STOP_SECONDS)
        if late is not None:
            with contextlib.suppress(EOFError, OSError):
                while self.tasks and self.connection.poll(0):
                    index, record = self.connection.recv()
                    self.tasks.popleft()
                    late.append((index, record))
        self.connection.close()


def _run_pool(
    tasks: list[tuple[int, _Entry]],
    transfer_syntax: str,
    options: ConvertOptions,
    workers: int,
    start_method: str,
    stop: _Stop | None = None,
    staging: str | None = None,
) -> Generator[tuple[int, FileRecord], None, None]:
    """Run the tasks on ``workers`` processes, one file each at a time.

    When a worker dies, its file's temporary file is removed and the file
    goes to a fresh process on its own; a second death fails it, named as
    the cause.  A worker never waits on another (each has its own pipe), so
    a death at any moment, shutdown included, cannot hang the pool.
    """
    from dicomcore.io.writer import remove_temporaries

    context = multiprocessing.get_context(start_method)
    queue: deque[_Task] = deque(_Task(index, entry) for index, entry in tasks)
    retries: deque[_Task] = deque()
    pool: list[_Worker] = []
    idle_deaths = 0
    finished = False

    def buried(worker: _Worker) -> _Task | None:
        """Forget a dead worker and clean up after it; the file it was
        converting, or None.  The files queued behind that one were never
        started: they go back to the front of the queue."""
        nonlocal idle_deaths
        pool.remove(worker)
        cause = worker.cause_of_death()
        worker.stop(kill=True)
        if not worker.tasks:
            idle_deaths += 1
            return None
        task = worker.tasks.popleft()
        queue.extendleft(reversed(worker.tasks))
        if not _is_url(task.entry.destination):  # staged outputs: the driver's
            remove_temporaries(task.entry.destination)
        task.deaths += 1
        task.cause = cause
        return task

    try:
        while queue or retries or any(worker.tasks for worker in pool):
            if stop is not None and stop.requested:
                queue.clear()  # the driver reports them as not converted
                retries.clear()
            if idle_deaths > _MAX_IDLE_DEATHS_PER_WORKER * workers:
                for task in [*retries, *queue]:
                    yield (
                        task.index,
                        _failed(
                            task.entry.source,
                            task.entry.destination,
                            "not converted: worker processes keep dying",
                        ),
                    )
                retries.clear()
                queue.clear()
                break
            # Each comes from a death, so the pool stays at ``workers``.
            while retries:
                worker = _Worker(context, transfer_syntax, options, staging)
                pool.append(worker)
                task = retries.popleft()
                if not worker.give(task):
                    retries.appendleft(task)
                    break
                worker.alone = True
            while len(pool) < workers and queue:
                pool.append(_Worker(context, transfer_syntax, options, staging))
            for worker in pool:
                while queue and worker.wants_more():
                    task = queue.popleft()
                    if not worker.give(task):
                        queue.appendleft(task)
                        break
            # Workers with nothing left to do are stopped now.
            for worker in [w for w in pool if not w.tasks and not queue]:
                pool.remove(worker)
                worker.stop(kill=False)
            if not pool:
                continue
            handles: list[Any] = [worker.connection for worker in pool]
            handles += [worker.process.sentinel for worker in pool]
            ready = set(wait_for(handles))
            for worker in list(pool):
                if worker.connection in ready:
                    try:
                        index, record = worker.connection.recv()
                    except (EOFError, OSError):
                        pass  # dead: buried below
                    else:
                        worker.alone = False
                        idle_deaths = 0
                        # Forgotten only once the driver has it: a stop at
                        # the yield leaves it to the output check below.
                        yield index, record
                        worker.tasks.popleft()
                        continue
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    dead = buried(worker)
                    if dead is None:
                        continue
                    if dead.deaths < _TRIES:
                        retries.append(dead)
                        continue
                    yield (
                        dead.index,
                        _failed(
                            dead.entry.source,
                            dead.entry.destination,
                            f"not converted: the process converting it died "
                            f"({dead.cause}), and again in a fresh process: "
                            "this file kills its converter",
                        ),
                    )
        finished = True
    finally:
        # Normal end: ask the workers to stop.  Ctrl-C, SIGTERM or the
        # consumer closing us: kill them, then clean up after their files.
        for worker in list(pool):
            worker.stop(kill=not finished, late=None if stop is None else stop.late)
            reported = {index for index, _ in (stop.late if stop else ())}
            for task in worker.tasks:
                if not _is_url(task.entry.destination):
                    remove_temporaries(task.entry.destination)
                if stop is None or task.index in reported:
                    continue
                # Killed between renaming its output into place and sending
                # its record: the output is complete, and reported so.
                record = _finished_unreported(task, transfer_syntax)
                if record is not None:
                    stop.late.append((task.index, record))


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


def check_report_path(report: str | os.PathLike[str]) -> None:
    """Raise ValueError when the report could not be written to ``report``
    (its folder missing or not writable, or a folder there), so that this is
    found before a long run rather than after it."""
    path = os.path.abspath(os.fspath(report))
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise ValueError(
            f"cannot write the report {os.fspath(report)}: the folder {folder} "
            "does not exist"
        )
    if os.path.isdir(path):
        raise ValueError(f"cannot write the report {os.fspath(report)}: a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(
            f"cannot write the report {os.fspath(report)}: the folder {folder} "
            "is not writable"
        )


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

    ``sources``: files and folders (see :func:`plan_conversion` for where each
    file goes).  ``destination``: a folder, or a URL in object storage
    (``s3://bucket/prefix``): each output is then made whole locally and
    uploaded to its key in one piece, and the resume journal is kept in the
    user's cache folder (see the module's notes; not with ``client``).
    ``transfer_syntax``: a name such as ``"rle"`` or ``"jpeg-ls"``, a keyword,
    or a UID.  ``workers``: processes converting in parallel; 0 converts in this
    process, with no protection from a file that crashes the interpreter.
    ``report``: a path to write the report to, as JSON (its folder is checked
    first).  ``progress``: called after each file.  ``options`` (or its fields
    as keywords, e.g. ``overwrite=True``, ``encoder_options={"jls_error": 2}``):
    see :class:`ConvertOptions`.  ``start_method``: how worker processes start
    (see :func:`default_start_method`); the task needs nothing from this process
    but its arguments, so every method works.  ``client``: a
    ``distributed.Client``; the files are then converted on its Dask cluster,
    one task per file (``workers`` and ``start_method`` are not used; see
    :mod:`dicomcore.batch.dask`).

    Returns the :class:`~dicomcore.batch.report.ConversionReport`, one
    record per input file; its ``ok`` is False when any file failed.  When
    the destination's disk fills up, the files not yet tried are failed as
    not converted and the run ends.  Ctrl-C stops the conversion, writes the
    report (the files not done listed as not converted) and raises
    :class:`ConversionInterrupted` (a KeyboardInterrupt) carrying it.
    """
    destination = os.fspath(destination)
    if _is_url(destination):
        from dicomcore.io.remote import local_path

        destination = local_path(destination) or destination
    stored = _is_url(destination)
    if stored and client is not None:
        # Each Dask worker would stage and upload on its own machine, and the
        # cluster's retries look for outputs on a shared file system.
        raise ValueError(
            f"the destination {destination} is a URL: converting into object "
            "storage runs on local processes, not on a Dask cluster; leave out "
            "the client (--dask), or convert into a shared folder"
        )
    uid = resolve_transfer_syntax(transfer_syntax)
    options = replace(options or ConvertOptions(), **option_fields)
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    if report is not None:
        check_report_path(report)
    started = time.perf_counter()
    result = ConversionReport(
        transfer_syntax=uid, destination=destination, workers=max(1, workers)
    )
    entries = plan_conversion(sources, destination)
    if stored:
        # Object storage has no file to append to, and a journal uploaded as
        # an object is lost with a run killed before the upload: it is kept
        # on this machine (see dicomcore.batch.state).
        path = stored_journal_path(destination)
        journal = Journal(destination, settings_digest(uid, options), path)
    else:
        if os.path.isdir(destination):
            _remove_temporaries_under(destination)
        journal = Journal(os.path.abspath(destination), settings_digest(uid, options))
    entries = [
        replace(entry, previous=journal.previous(entry.destination, entry.source))
        if entry.record is None
        else entry
        for entry in entries
    ]
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
    # Files in flight when the disk fills up finish (they may fit), so that
    # every output there is also in the report.
    stop = _Stop()
    # Outputs for object storage are made whole here, one per worker at a
    # time, each deleted once uploaded; the folder goes at the end of the
    # run, however it ends, with what killed workers left in it.
    staging = (
        tempfile.mkdtemp(prefix="dicomcore-convert-") if stored and tasks else None
    )
    if client is not None:
        from dicomcore.batch.dask import cluster_threads, run_on_cluster

        result.workers = cluster_threads(client)
        runner = run_on_cluster(client, tasks, uid, options)
    elif workers >= 1 and tasks:
        method = start_method or default_start_method()
        if method == "fork":
            # Forked workers inherit the codec registry: build it once here
            # rather than once in each of them.
            from dicomcore.pixels.registry import codec_table

            codec_table()
        runner = _run_pool(tasks, uid, options, workers, method, stop, staging)
    else:
        runner = _run_here(tasks, uid, options, stop, staging)
    unfinished_reason = NOT_CONVERTED_INTERRUPTED
    try:
        for index, record in runner:
            slots[index] = record
            if record.status == "converted":
                journal.record(record.destination, record.source, record.state)
            finish(record)
            if record.reason in _STOPPING:
                unfinished_reason = _STOPPING[record.reason]
                stop.requested = True
                if client is not None:
                    break  # a cluster's tasks are cancelled instead
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        runner.close()  # a pool stops its workers and cleans up after them
        for index, record in stop.late:
            if slots[index] is None:
                slots[index] = record
                if record.status == "converted":
                    journal.record(record.destination, record.source, record.state)
                finish(record)
        journal.close()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    for index, slot in enumerate(slots):
        if slot is None:
            entry = entries[index]
            slots[index] = _failed(entry.source, entry.destination, unfinished_reason)
    result.records = [slot for slot in slots if slot is not None]
    result.seconds = time.perf_counter() - started
    if report is not None:
        try:
            result.write(report)
        except OSError as exc:
            raise OSError(
                exc.errno,
                f"cannot write the report {os.fspath(report)}: {exc.strerror or exc}",
            ) from exc
    if result.interrupted:
        raise ConversionInterrupted(result)
    return result
