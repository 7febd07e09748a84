"""The one exception tree of dicomcore.

Every failure that dicomcore raises on purpose derives from
:class:`DicomError`, so a caller can catch one class around any read, decode or
write.  Missing elements raise what Python's protocols require
(:class:`AttributeError`, :class:`KeyError`) through subclasses that are also
``DicomError``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CodecError",
    "ConnectionDroppedError",
    "DamagedDataWarning",
    "DicomError",
    "DicomTypeError",
    "DicomValueError",
    "DicomWarning",
    "ElementNotFoundError",
    "InvalidDicomError",
    "InvalidPixelModuleError",
    "InvalidValueWarning",
    "LimitError",
    "MissingFileMetaError",
    "NoCodecError",
    "ObjectNotFoundError",
    "PixelDataError",
    "RangeNotSupportedError",
    "StorageError",
    "StorageUnreachableError",
    "UnknownKeywordError",
]


class DicomError(Exception):
    """Root of every error dicomcore raises."""


def _located(message: str, offset: int | None, tag: int | None) -> str:
    """``message`` followed by the element and byte offset it concerns."""
    context = []
    if tag is not None:
        context.append(f"element ({tag >> 16:04X},{tag & 0xFFFF:04X})")
    if offset is not None:
        context.append(f"byte offset {offset}")
    return f"{message} [{', '.join(context)}]" if context else message


class InvalidDicomError(DicomError):
    """The input is not DICOM, or is corrupt.

    ``offset`` is the byte offset in the source where parsing failed and
    ``tag`` the element being read there, when known.
    """

    def __init__(
        self, message: str, *, offset: int | None = None, tag: int | None = None
    ) -> None:
        self.offset = offset
        self.tag = tag
        super().__init__(_located(message, offset, tag))


class DicomValueError(DicomError, ValueError):
    """A value cannot be represented in, or parsed from, its VR."""


class DicomTypeError(DicomError, TypeError):
    """A value of a type its VR can never hold, such as a number for UI
    (a TypeError, as pydicom raises)."""


class ElementNotFoundError(DicomError, KeyError):
    """An element is not in the dataset (a ``KeyError`` as mappings require)."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the text plain
        return str(self.args[0]) if self.args else ""


class UnknownKeywordError(DicomError, AttributeError):
    """An attribute name that is neither a dataset attribute nor present."""


class MissingFileMetaError(DicomError, AttributeError):
    """A File Meta Information element that a conformant file needs is
    missing or empty (an ``AttributeError``, as pydicom raises)."""


class PixelDataError(DicomError):
    """Pixel data cannot be produced or stored."""


class InvalidPixelModuleError(PixelDataError):
    """An Image Pixel module attribute is missing or invalid.

    ``attribute`` is the keyword of the offending attribute.
    """

    def __init__(self, attribute: str, message: str) -> None:
        self.attribute = attribute
        super().__init__(f"{attribute}: {message}")


class NoCodecError(PixelDataError):
    """No plugin can decode or encode the data.

    ``candidates`` lists ``(plugin name, reason)`` for every plugin considered.
    """

    def __init__(
        self, message: str, candidates: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.candidates = list(candidates)
        if self.candidates:
            lines = [message] + [f"  {name}: {reason}" for name, reason in candidates]
            message = "\n".join(lines)
        super().__init__(message)


class CodecError(PixelDataError):
    """A codec failed on its input; names the plugin and the frame."""

    def __init__(
        self,
        message: str,
        *,
        plugin: str | None = None,
        frame_index: int | None = None,
    ) -> None:
        self.plugin = plugin
        self.frame_index = frame_index
        context = []
        if plugin is not None:
            context.append(f"plugin '{plugin}'")
        if frame_index is not None:
            context.append(f"frame {frame_index}")
        if context:
            message = f"{message} [{', '.join(context)}]"
        super().__init__(message)


class LimitError(DicomError):
    """A configured safety limit was passed.

    ``limit`` names the setting in :mod:`dicomcore.config` that can raise it.
    """

    def __init__(self, message: str, *, limit: str) -> None:
        self.limit = limit
        super().__init__(
            f"{message} (limit '{limit}'; raise it with "
            f"dicomcore.config.limits.{limit} = ...)"
        )


class DicomWarning(UserWarning):
    """Root of every warning dicomcore gives about the data it reads or writes.

    ``warnings.simplefilter("error", DicomWarning)`` makes every one of them
    an exception; ``config.settings.reading_validation_mode = RAISE`` turns
    them into :class:`DicomError` subclasses instead.
    """


class InvalidValueWarning(DicomWarning):
    """A value breaks its VR's rules (PS3.5 6.2); it is kept as it is."""


class DamagedDataWarning(DicomWarning):
    """The data is damaged (truncated, an item running past its sequence,
    encapsulated Pixel Data without its delimiter) and was read as far as it
    goes; using the broken value raises.

    ``offset`` is the byte offset where the damage was found and ``tag`` the
    element it hit, when known.
    """

    def __init__(
        self, message: str, *, offset: int | None = None, tag: int | None = None
    ) -> None:
        self.offset = offset
        self.tag = tag
        super().__init__(_located(message, offset, tag))


class StorageError(DicomError, OSError):
    """The bytes of a file could not be fetched from where it is stored
    (object storage, an HTTP server, a file object).  The message names the
    location; retries, if any were made, are already spent."""


class StorageUnreachableError(StorageError):
    """The storage service could not be reached at all (name resolution,
    refused connection, timeout)."""


class ObjectNotFoundError(StorageError, FileNotFoundError):
    """The storage answered, but holds no object at that location."""


class ConnectionDroppedError(StorageError):
    """A transfer stopped before all the bytes asked for had arrived."""


class RangeNotSupportedError(StorageError):
    """The server ignored a byte-range request and would send the whole
    object, which is larger than the documented limit for that case."""
