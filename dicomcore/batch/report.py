"""What a conversion did, file by file: :class:`FileRecord` and
:class:`ConversionReport`."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from dicomcore.batch.state import SourceState

__all__ = [
    "DISK_FULL",
    "NOT_CONVERTED_DISK_FULL",
    "NOT_CONVERTED_INTERRUPTED",
    "NOT_CONVERTED_STAGING_FULL",
    "NOT_DICOM",
    "STAGING_FULL",
    "ConversionReport",
    "FileRecord",
    "Status",
    "format_bytes",
]

#: ``converted``: written to the destination; ``skipped``: the destination
#: was already complete (a resumed conversion), or the source is not a DICOM
#: file; ``failed``: not written, see the reason.
Status = Literal["converted", "skipped", "failed"]
STATUSES: Final[tuple[Status, ...]] = ("converted", "skipped", "failed")

#: The reason of a file skipped because it is not a DICOM file.
NOT_DICOM: Final = "not a DICOM file"
#: The reason of the file whose write found the destination's disk full.
DISK_FULL: Final = "cannot write: no space left on the destination's disk"
#: The reason of the file whose write found the local disk full where the
#: outputs for object storage are made before their upload.
STAGING_FULL: Final = (
    "cannot write: no space left on the local disk where outputs are made "
    "before their upload (TMPDIR)"
)
#: The reasons of the files a run did not get to.
NOT_CONVERTED_DISK_FULL: Final = "not converted: the destination's disk is full"
NOT_CONVERTED_STAGING_FULL: Final = (
    "not converted: the local disk where outputs are made before their upload is full"
)
NOT_CONVERTED_INTERRUPTED: Final = "not converted: the conversion was interrupted"


@dataclass(frozen=True)
class FileRecord:
    """The outcome for one source file.

    ``reason``: why a file failed or was skipped, or what a conversion
    amounted to when it was not the usual one (``"no pixel data"``,
    ``"already in the transfer syntax: copied"``); empty otherwise.
    ``bytes_in``/``bytes_out``: sizes of the source and the destination
    file; ``seconds``: time spent on the file.  ``warnings``: the warnings
    raised while converting it (a worker's stderr is not the place).
    ``state``: what the resume journal records for a converted file (not
    part of the JSON report).
    """

    source: str
    destination: str
    status: Status
    reason: str = ""
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    state: SourceState | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values."""
        data = asdict(self)
        del data["state"]
        data["warnings"] = list(self.warnings)
        data["seconds"] = round(self.seconds, 6)
        return data


@dataclass
class ConversionReport:
    """Every file of one conversion, in the order they were planned.

    ``seconds`` is the wall time of the whole conversion; ``interrupted`` is
    True when it was stopped (Ctrl-C, SIGTERM) before every file was done;
    the files it did not get to are then failed as not converted.
    """

    transfer_syntax: str
    destination: str
    workers: int = 1
    records: list[FileRecord] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def with_status(self, status: Status) -> list[FileRecord]:
        """The records of one status."""
        return [record for record in self.records if record.status == status]

    @property
    def converted(self) -> list[FileRecord]:
        return self.with_status("converted")

    @property
    def skipped(self) -> list[FileRecord]:
        return self.with_status("skipped")

    @property
    def failed(self) -> list[FileRecord]:
        return self.with_status("failed")

    @property
    def ok(self) -> bool:
        """True when no file failed and the conversion ran to its end."""
        return not self.interrupted and not self.failed

    def counts(self) -> dict[str, int]:
        """Files per status."""
        return {status: len(self.with_status(status)) for status in STATUSES}

    @property
    def bytes_in(self) -> int:
        """Bytes read from the sources of the converted files."""
        return sum(record.bytes_in for record in self.converted)

    @property
    def bytes_out(self) -> int:
        """Bytes written for the converted files."""
        return sum(record.bytes_out for record in self.converted)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values."""
        return {
            "transfer_syntax": self.transfer_syntax,
            "destination": self.destination,
            "workers": self.workers,
            "seconds": round(self.seconds, 6),
            "interrupted": self.interrupted,
            "counts": self.counts(),
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "files": [record.to_dict() for record in self.records],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_json` to ``path`` as every dicomcore file is written:
        a temporary file beside it, renamed into place."""
        from dicomcore.io.writer import atomic_write

        text = (self.to_json() + "\n").encode("utf-8")
        atomic_write(path, lambda handle: handle.write(text))

    def summary(self) -> str:
        """A few lines for people: counts, bytes, time, and each failure
        (files a run did not get to, one line per reason)."""
        counts = self.counts()
        rate = len(self.records) / self.seconds if self.seconds > 0 else 0.0
        not_dicom = sum(1 for record in self.skipped if record.reason == NOT_DICOM)
        skipped = f"skipped {counts['skipped']}"
        if not_dicom:
            skipped += f" ({not_dicom} not DICOM)"
        lines = [
            f"converted {counts['converted']}, {skipped}, "
            f"failed {counts['failed']} in {self.seconds:.1f} s "
            f"({rate:.1f} files/s); {format_bytes(self.bytes_in)} in, "
            f"{format_bytes(self.bytes_out)} out"
        ]
        if self.interrupted:
            lines.append("interrupted: the files not converted are listed")
        untried: dict[str, int] = {}
        for record in self.failed:
            if record.reason in (
                NOT_CONVERTED_DISK_FULL,
                NOT_CONVERTED_STAGING_FULL,
                NOT_CONVERTED_INTERRUPTED,
            ):
                untried[record.reason] = untried.get(record.reason, 0) + 1
            else:
                lines.append(f"failed: {record.source}: {record.reason}")
        for reason, count in untried.items():
            files = "file" if count == 1 else "files"
            lines.append(f"{reason}: {count} {files}")
        return "\n".join(lines)


def format_bytes(count: float) -> str:
    """``1536`` -> ``"1.5 KiB"``."""
    if abs(count) < 1024:
        return f"{count:.0f} B"
    for unit in ("KiB", "MiB", "GiB"):
        count /= 1024
        if abs(count) < 1024:
            return f"{count:.1f} {unit}"
    return f"{count / 1024:.1f} TiB"
