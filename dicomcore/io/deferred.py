"""Values left in their file until used.

A value is left in its file (a :class:`FileValue`) when the file was read
from a path and the value is Pixel Data or longer than ``defer_size``.  Two
promises keep such a value from losing a user's data:

- a file of at most :data:`EAGER_READ_BYTES` is read whole, and its
  deferred values keep a view of their bytes in that one buffer (no second
  copy), so the common idiom
  ``with open(path, "wb") as f: ds.save_as(f)`` (which empties the file
  before dicomcore runs) still writes the pixels that were read;
- above that size no copy is kept (that is the point of leaving a value in
  its file), and writing into the very file a value lives in through a file
  object is refused before anything is written; ``ds.save_as(path)``, which
  writes a new file and renames it into place, is the safe form.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Final

from dicomcore.errors import InvalidDicomError

__all__ = ["EAGER_READ_BYTES", "FileValue"]

#: Files of at most this many bytes keep a copy of their deferred values in
#: memory (as pydicom keeps every value); 16 MiB holds an ordinary CT, MR or
#: radiograph, and stays small beside the memory decoding one takes.
EAGER_READ_BYTES: Final = 16 * 1024**2


@dataclass(frozen=True)
class FileValue:
    """``length`` bytes at ``offset`` of the file at ``path``.

    ``size`` and ``mtime_ns`` are the file's when it was read; a file changed
    since then gives a clear error rather than someone else's bytes.
    ``copy`` holds the bytes as read (a view of the buffer the whole file
    was read into) when the file is small (see :data:`EAGER_READ_BYTES`),
    else None.  ``private``: that buffer was read for one caller alone, a
    writable one nobody else sees, so arrays handed out may view it rather
    than copy it (see :func:`dicomcore.io.reader.read_whole_for_pixels`).
    """

    path: str
    offset: int
    length: int
    size: int
    mtime_ns: int
    copy: bytes | memoryview | None = field(default=None, repr=False, compare=False)
    private: bool = field(default=False, repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A view cannot be pickled or deep-copied: its bytes travel instead.
        copy = None if self.copy is None else bytes(self.copy)
        return (
            FileValue,
            (self.path, self.offset, self.length, self.size, self.mtime_ns, copy),
        )

    def check_unchanged(self, stat: os.stat_result | None = None) -> None:
        """Raise unless the file is as it was read; ``stat``: the file's, when
        the caller has it open already."""
        if stat is None:
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

    def in_file(self, stat: os.stat_result) -> bool:
        """Whether the value's file, as its path names it now, is the file
        ``stat`` describes (the same inode, however it is reached)."""
        try:
            mine = os.stat(self.path)
        except OSError:
            return False
        return (mine.st_dev, mine.st_ino) == (stat.st_dev, stat.st_ino)

    def load(self) -> bytes:
        self.check_unchanged()
        return bytes(self.copy) if self.copy is not None else self._read()

    def _read(self) -> bytes:
        if hasattr(os, "pread"):
            # One system call into one new bytes object: several times
            # faster than a buffered file's read for values of megabytes.
            descriptor = os.open(self.path, os.O_RDONLY)
            try:
                data = os.pread(descriptor, self.length, self.offset)
            finally:
                os.close(descriptor)
        else:
            with open(self.path, "rb") as source:
                source.seek(self.offset)
                data = source.read(self.length)
        if len(data) != self.length:
            raise InvalidDicomError(
                f"'{self.path}' ended inside a deferred value", offset=self.offset
            )
        return data
