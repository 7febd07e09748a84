"""What a resumed conversion trusts: the state of each source when its output
was written, kept in a journal beside the outputs.

A file's modification time alone does not tell that it changed: ``tar``,
``rsync -t`` and ``cp -p`` give a replaced file its old time.  So each
conversion records, per output, the source's size, modification time and a
fingerprint of its content (SHA-256 of its first and last 64 KiB; the header
with the SOP Instance UID sits in the first 64 KiB of nearly every file), the
output's size and modification time, and a digest of the settings it was
converted with.  A later run skips an output only when all of them still
match; any mismatch, or no record at all, converts the file again.

The journal is ``.dicomcore-convert.jsonl`` in the destination folder: one
JSON line per finished file, appended as files finish, so a run killed at
any moment keeps what it finished (a torn last line is ignored).  At the end
of a run it is rewritten, compacted to the latest line of each output,
through a temporary file renamed into place.

A destination in object storage (``s3://bucket/prefix``) has no folder to
keep a journal in that can be appended to, and a journal uploaded as an
object would be lost with a run killed before its upload.  Its journal is
kept on the machine that runs the conversion, in the user's cache folder
(:func:`stored_journal_path`): the same command run again there resumes.
Its outputs have no modification time worth comparing; their size is
recorded, and a resume reads their header too (see
:mod:`dicomcore.batch.convert`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from typing import IO, Any, Final

__all__ = [
    "JOURNAL_NAME",
    "Journal",
    "SourceState",
    "settings_digest",
    "source_state",
    "stored_journal_path",
]

JOURNAL_NAME: Final = ".dicomcore-convert.jsonl"
#: Characters of a destination URL kept in its journal's file name, so that
#: a person can tell the journals apart; a digest of the whole URL follows.
_READABLE_URL_LENGTH: Final = 80
#: Bytes hashed at each end of a source.
FINGERPRINT_SPAN: Final = 64 * 1024


@dataclass(frozen=True)
class SourceState:
    """A source file as it was converted, and the output written from it."""

    size: int
    mtime_ns: int
    fingerprint: str
    output_size: int = 0
    output_mtime_ns: int = 0


def source_state(path: str) -> SourceState:
    """The size, modification time and content fingerprint of ``path``
    (whose output is not written yet)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        digest.update(status.st_size.to_bytes(8, "little"))
        digest.update(handle.read(FINGERPRINT_SPAN))
        if status.st_size > FINGERPRINT_SPAN:
            handle.seek(max(FINGERPRINT_SPAN, status.st_size - FINGERPRINT_SPAN))
            digest.update(handle.read(FINGERPRINT_SPAN))
    return SourceState(status.st_size, status.st_mtime_ns, digest.hexdigest())


def settings_digest(transfer_syntax: str, options: Any) -> str:
    """A digest of what shapes an output: the transfer syntax and every
    conversion option but ``overwrite`` and ``storage_options`` (where the
    files are, and credentials)."""
    fields = {
        key: value
        for key, value in sorted(vars(options).items())
        if key not in ("overwrite", "storage_options")
    }
    text = json.dumps([transfer_syntax, fields], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _cache_folder() -> str:
    """The user's cache folder: ``XDG_CACHE_HOME`` or ``~/.cache`` (on
    Windows ``LOCALAPPDATA``), where a tool keeps what it can rebuild."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return os.environ["LOCALAPPDATA"]
    return os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )


def stored_journal_path(destination: str) -> str:
    """Where the journal of the destination URL ``destination`` is kept:
    ``<cache>/dicomcore/convert/<the URL, made a file name>-<digest>.jsonl``,
    one journal however the URL is spelt (``s3://b/out/``, ``s3a://b/out``).

    >>> stored_journal_path("s3://scans/rle")  # doctest: +SKIP
    '/home/me/.cache/dicomcore/convert/s3-scans-rle-8c6b0e3f1a2d4b5c.jsonl'
    """
    from dicomcore.io.remote import normalized_url

    url = normalized_url(destination)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", url).strip("-.")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    name = f"{readable[:_READABLE_URL_LENGTH]}-{digest}.jsonl"
    return os.path.join(_cache_folder(), "dicomcore", "convert", name)


def _is_url(text: str) -> bool:
    from dicomcore.io.remote import is_url

    return is_url(text)


class Journal:
    """The journal of one destination (see the module's notes).

    ``folder`` is the destination folder, or the destination URL; ``path``
    where the journal is kept (by default ``JOURNAL_NAME`` in ``folder``).
    ``previous(destination)`` gives the state recorded for an output by an
    earlier run with the same settings; :meth:`record` appends a finished
    file; :meth:`close` compacts the journal.
    """

    def __init__(self, folder: str, settings: str, path: str | None = None) -> None:
        self.folder = folder
        self.path = path or os.path.join(folder, JOURNAL_NAME)
        self.settings = settings
        self.entries: dict[str, dict[str, Any]] = {}
        self._handle: IO[str] | None = None
        self._load()

    def _key(self, destination: str) -> str:
        if _is_url(self.folder):
            # An output key under the destination URL, by its relative part.
            return destination.removeprefix(self.folder.rstrip("/") + "/")
        return os.path.relpath(os.path.abspath(destination), self.folder)

    @staticmethod
    def _source(source: str) -> str:
        return source if _is_url(source) else os.path.abspath(source)

    def _load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as handle:
                lines = handle.readlines()
        except (FileNotFoundError, NotADirectoryError):
            return
        except (OSError, UnicodeDecodeError):
            return  # unreadable: every output is converted again
        for line in lines:
            try:
                entry = json.loads(line)
                key = entry["output"]
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a kill, or not ours
            if isinstance(key, str) and isinstance(entry, dict):
                self.entries[key] = entry

    def previous(self, destination: str, source: str) -> SourceState | None:
        """The state recorded when ``destination`` was written from
        ``source`` with these settings, or None."""
        entry = self.entries.get(self._key(destination))
        if (
            entry is None
            or entry.get("settings") != self.settings
            or entry.get("source") != self._source(source)
        ):
            return None
        try:
            return SourceState(**entry["state"])
        except (KeyError, TypeError):
            return None

    def record(self, destination: str, source: str, state: SourceState | None) -> None:
        """Note that ``destination`` now holds ``source`` converted (``state``),
        or, with None, that it holds nothing a resume may trust."""
        key = self._key(destination)
        entry: dict[str, Any] = {
            "output": key,
            "source": self._source(source),
            "settings": self.settings,
            "state": None if state is None else asdict(state),
        }
        self.entries[key] = entry
        try:
            if self._handle is None:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                # Appended line by line, not renamed into place: each line is
                # a fact on its own, and a torn last one is skipped on reading.
                self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()
            self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._handle.flush()
        except OSError:
            pass  # a full disk: the next run converts these files again

    def close(self) -> None:
        """Rewrite the journal with the latest entry of each output."""
        from dicomcore.io.writer import atomic_write

        if self._handle is not None:
            try:
                self._handle.close()
            except OSError:
                pass
            self._handle = None
        if not self.entries or not os.path.isdir(os.path.dirname(self.path)):
            return
        text = "".join(
            json.dumps(entry, ensure_ascii=False) + "\n"
            for entry in self.entries.values()
            if entry.get("state") is not None
        ).encode("utf-8")
        try:
            atomic_write(self.path, lambda handle: handle.write(text))
        except OSError:
            pass  # the appended lines stay, and say the same
