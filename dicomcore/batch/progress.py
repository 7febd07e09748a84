"""A one-line progress bar for ``dicomcore convert`` on a terminal."""

from __future__ import annotations

import shutil
import time
from typing import TextIO

from dicomcore.batch.report import FileRecord, format_bytes

__all__ = ["ProgressBar"]


class ProgressBar:
    """Redraws one line on ``stream``: a bar, files done of all, files per
    second, bytes read and written, failures.

    Use it as the ``progress`` callback of :func:`~dicomcore.batch.convert`
    and call :meth:`close` at the end.  Redrawn at most every ``interval``
    seconds (and for the last file), so a fast conversion is not slowed by
    its own display.
    """

    def __init__(self, stream: TextIO, interval: float = 0.1) -> None:
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.bytes_in = 0
        self.bytes_out = 0
        self.failed = 0
        self.drawn = False

    def __call__(self, record: FileRecord, done: int, total: int) -> None:
        if record.status == "converted":
            self.bytes_in += record.bytes_in
            self.bytes_out += record.bytes_out
        elif record.status == "failed":
            self.failed += 1
        now = time.monotonic()
        if done < total and now - self.last_drawn < self.interval:
            return
        self.last_drawn = now
        self.draw(done, total, now - self.started)

    def draw(self, done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds > 0 else 0.0
        text = (
            f" {done}/{total} files  {rate:.1f} files/s  "
            f"{format_bytes(self.bytes_in)} -> {format_bytes(self.bytes_out)}"
        )
        if self.failed:
            text += f"  {self.failed} failed"
        columns = shutil.get_terminal_size((80, 24)).columns
        width = max(10, min(40, columns - len(text) - 3))
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        # \r and padding to the full width: the line is redrawn in place
        line = f"[{bar}]{text}"[: columns - 1]
        self.stream.write("\r" + line.ljust(columns - 1))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the line, so what follows starts on a line of its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
