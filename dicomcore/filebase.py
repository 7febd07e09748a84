"""pydicom's ``filebase`` module path: buffers that know their DICOM encoding.

A :class:`DicomIO` wraps any object with ``seek()``/``tell()`` and ``read()``
and/or ``write()``, and adds what pydicom's low-level code calls on it: the
encoding (``is_little_endian``, ``is_implicit_VR``) and tag, US and UL
readers and writers in that byte order. :func:`dicomcore.dcmread` and
:func:`dicomcore.dcmwrite` accept one like any file object.

>>> buffer = DicomBytesIO()
>>> buffer.is_little_endian = True
>>> buffer.write_tag(0x00100010)
>>> buffer.getvalue()
b'\\x10\\x00\\x10\\x00'
"""

from __future__ import annotations

import os
import struct
from io import BytesIO
from typing import Any, Protocol

__all__ = [
    "DicomBytesIO",
    "DicomFile",
    "DicomFileLike",
    "DicomIO",
    "ReadableBuffer",
    "WriteableBuffer",
]


class ReadableBuffer(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...

    def tell(self) -> int: ...


class WriteableBuffer(Protocol):
    def seek(self, offset: int, whence: int = ..., /) -> int: ...

    def tell(self) -> int: ...

    def write(self, b: bytes | bytearray | memoryview, /) -> int: ...


class DicomIO:
    """A buffer with its DICOM encoding; see the module's description.

    Reading and writing go straight to the wrapped buffer; the encoding must be
    set before the tag, US or UL methods are used.
    """

    def __init__(self, buffer: Any) -> None:
        self._buffer = buffer
        self._name: str | None = getattr(buffer, "name", None)
        self._little_endian: bool | None = None
        self._implicit_vr: bool | None = None
        self._byte_order = "<"

    # -- the wrapped buffer --------------------------------------------------

    def read(self, size: int = -1, /) -> bytes:
        read = getattr(self._buffer, "read", None)
        if read is None:
            raise TypeError(
                f"'{type(self).__name__}' cannot be used with "
                f"'{type(self._buffer).__name__}': object has no read() method"
            )
        data: bytes = read(size)
        return data

    def write(self, b: bytes | bytearray | memoryview, /) -> int:
        write = getattr(self._buffer, "write", None)
        if write is None:
            raise TypeError(
                f"'{type(self).__name__}' cannot be used with "
                f"'{type(self._buffer).__name__}': object has no write() method"
            )
        written: int = write(b)
        return written

    def seek(self, offset: int, whence: int = os.SEEK_SET, /) -> int:
        position: int = self._buffer.seek(offset, whence)
        return position

    def tell(self) -> int:
        position: int = self._buffer.tell()
        return position

    def close(self, *args: Any, **kwargs: Any) -> Any:
        close = getattr(self._buffer, "close", None)
        return close(*args, **kwargs) if close is not None else None

    def __enter__(self) -> DicomIO:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def parent(self) -> Any:
        """The wrapped buffer."""
        return self._buffer

    @property
    def name(self) -> str | None:
        """The wrapped buffer's file name, if it has one."""
        return self._name

    @name.setter
    def name(self, name: str) -> None:
        self._name = name

    # -- the encoding ----------------------------------------------------------

    @property
    def is_little_endian(self) -> bool:
        if self._little_endian is None:
            raise AttributeError(
                f"{type(self).__name__}.is_little_endian' has not been set"
            )
        return self._little_endian

    @is_little_endian.setter
    def is_little_endian(self, value: bool) -> None:
        self._little_endian = bool(value)
        self._byte_order = "<" if value else ">"

    @property
    def is_implicit_VR(self) -> bool:  # noqa: N802 - pydicom's name
        if self._implicit_vr is None:
            raise AttributeError(
                f"{type(self).__name__}.is_implicit_VR' has not been set"
            )
        return self._implicit_vr

    @is_implicit_VR.setter
    def is_implicit_VR(self, value: bool) -> None:  # noqa: N802 - pydicom's name
        self._implicit_vr = bool(value)

    def _format(self, code: str) -> str:
        if self._little_endian is None:
            raise AttributeError(
                f"{type(self).__name__}.is_little_endian' has not been set"
            )
        return self._byte_order + code

    # -- values in the buffer's byte order -----------------------------------

    def read_exact(self, length: int, nr_retries: int = 3) -> bytes:
        """Exactly ``length`` bytes, asking the buffer again when it returns
        fewer (as sockets and pipes may); EOFError if it runs out."""
        data = bytearray(self.read(length))
        for _ in range(nr_retries):
            if len(data) >= length:
                break
            data += self.read(length - len(data))
        if len(data) != length:
            raise EOFError(
                f"Unexpected end of file. Read {len(data)} bytes of {length} "
                f"expected starting at position 0x{self.tell() - len(data):x}"
            )
        return bytes(data)

    def read_tag(self) -> tuple[int, int]:
        """A tag's ``(group, element)``."""
        group, element = struct.unpack(self._format("HH"), self.read_exact(4))
        return group, element

    def read_UL(self) -> int:  # noqa: N802 - pydicom's name
        value: int = struct.unpack(self._format("L"), self.read(4))[0]
        return value

    def read_US(self) -> int:  # noqa: N802 - pydicom's name
        value: int = struct.unpack(self._format("H"), self.read(2))[0]
        return value

    def write_tag(self, tag: int) -> None:
        self.write(struct.pack(self._format("HH"), tag >> 16, tag & 0xFFFF))

    def write_UL(self, val: int) -> None:  # noqa: N802 - pydicom's name
        self.write(struct.pack(self._format("L"), val))

    def write_US(self, val: int) -> None:  # noqa: N802 - pydicom's name
        self.write(struct.pack(self._format("H"), val))


class DicomFileLike(DicomIO):
    """A :class:`DicomIO` over a file object."""


def DicomFile(*args: Any, **kwargs: Any) -> DicomFileLike:  # noqa: N802 - pydicom's name
    """A :class:`DicomFileLike` over ``open(*args, **kwargs)``."""
    return DicomFileLike(open(*args, **kwargs))  # noqa: SIM115 - the caller closes it


class DicomBytesIO(DicomIO):
    """A :class:`DicomIO` over an in-memory :class:`io.BytesIO`."""

    def __init__(self, initial_bytes: bytes | bytearray | memoryview = b"") -> None:
        super().__init__(BytesIO(initial_bytes))

    def getvalue(self) -> bytes:
        """Everything in the buffer."""
        data: bytes = self._buffer.getvalue()
        return data
