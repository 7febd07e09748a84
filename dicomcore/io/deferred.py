"""Values left in their file until used."""

from __future__ import annotations

import os
from dataclasses import dataclass

from dicomcore.errors import InvalidDicomError

__all__ = ["FileValue"]


@dataclass(frozen=True)
class FileValue:
    """``length`` bytes at ``offset`` of the file at ``path``.

    ``size`` and ``mtime_ns`` are the file's when it was read; a file changed
    since then gives a clear error rather than someone else's bytes.
    """

    path: str
    offset: int
    length: int
    size: int
    mtime_ns: int

    def check_unchanged(self) -> None:
        try:
            stat = os.stat(self.path)
        except OSError as exc:
            raise InvalidDicomError(
                f"cannot read a deferred value: '{self.path}' is gone ({exc})",
                offset=self.offset,
            ) from exc
        if stat.st_size != self.size or stat.st_mtime_ns != self.mtime_ns:
            raise InvalidDicomError(
                f"'{self.path}' changed after it was read; read it again",
                offset=self.offset,
            )

    def load(self) -> bytes:
        self.check_unchanged()
        with open(self.path, "rb") as source:
            source.seek(self.offset)
            data = source.read(self.length)
        if len(data) != self.length:
            raise InvalidDicomError(
                f"'{self.path}' ended inside a deferred value", offset=self.offset
            )
        return data
