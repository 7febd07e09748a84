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
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from typing import IO, Any, Final

__all__ = [
    "JOURNAL_NAME",
    "Journal",
    "SourceState",
    "settings_digest",
    "source_state",
]

JOURNAL_NAME: Final = ".dicomcore-convert.jsonl"
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


class Journal:
    """The journal of one destination folder (see the module's notes).

    ``previous(destination)`` gives the state recorded for an output by an
    earlier run with the same settings; :meth:`record` appends a finished
    file; :meth:`close` compacts the journal.
    """

    def __init__(self, folder: str, settings: str) -> None:
        self.folder = folder
        self.path = os.path.join(folder, JOURNAL_NAME)
        self.settings = settings
        self.entries: dict[str, dict[str, Any]] = {}
        self._handle: IO[str] | None = None
        self._load()

    def _key(self, destination: str) -> str:
        return os.path.relpath(os.path.abspath(destination), self.folder)

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
            or entry.get("source") != os.path.abspath(source)
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
            "source": os.path.abspath(source),
            "settings": self.settings,
            "state": None if state is None else asdict(state),
        }
        self.entries[key] = entry
        try:
            if self._handle is None:
                os.makedirs(self.folder, exist_ok=True)
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
        if not self.entries or not os.path.isdir(self.folder):
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
