"""What a validation failure does, per :mod:`dicomcore.config` mode."""

from __future__ import annotations

import warnings

from dicomcore.config import RAISE, WARN
from dicomcore.errors import DicomValueError, InvalidValueWarning

__all__ = ["report"]


def report(message: str, mode: int) -> None:
    """Raise, warn about, or ignore one validation problem.

    ``mode`` is one of :data:`dicomcore.config.IGNORE`, ``WARN`` or ``RAISE``.
    """
    if mode == RAISE:
        raise DicomValueError(message)
    if mode == WARN:
        # stacklevel 3 points past the codec into the caller that read or wrote
        warnings.warn(message, InvalidValueWarning, stacklevel=3)
