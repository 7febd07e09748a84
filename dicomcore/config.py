"""Settings that change how dicomcore reads, validates and decodes.

One place for every knob, so a user or a test changes behaviour in one line::

    import dicomcore.config
    dicomcore.config.settings.writing_validation_mode = dicomcore.config.RAISE
    dicomcore.config.limits.max_sequence_depth = 64
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = [
    "IGNORE",
    "INVALID_KEYWORD_BEHAVIOR",
    "RAISE",
    "WARN",
    "Limits",
    "Settings",
    "debug",
    "disable_value_validation",
    "limits",
    "logger",
    "settings",
    "strict_reading",
]

IGNORE = 0
WARN = 1
RAISE = 2


@dataclass
class Settings:
    """Validation of values against their VR.

    ``reading_validation_mode``: what happens when a value read from a file
    breaks its VR's rules (default: warn). ``writing_validation_mode``: what
    happens when a value assigned or written breaks them (default: raise).
    """

    reading_validation_mode: int = WARN
    writing_validation_mode: int = RAISE
    # Warn when an attribute assigned on a Dataset looks like a misspelt keyword.
    warn_on_unknown_keyword: bool = True
    # Codec priorities by plugin or decoder/encoder name, over the records'
    # own and over DICOMCORE_PLUGIN_PRIORITY; read at every codec choice.
    plugin_priority: dict[str, int] = field(default_factory=dict)


@dataclass
class Limits:
    """Safety limits on what a file may make dicomcore do.

    Passing one raises :class:`dicomcore.errors.LimitError` naming it.
    """

    max_sequence_depth: int = 200
    max_decoded_bytes: int = 16 * 1024**3
    max_inflate_ratio: int = 1000
    # One deflate stream cannot inflate much past 1000:1, so the ratio alone
    # lets a few MB claim gigabytes: this caps a deflated dataset outright.
    max_inflated_bytes: int = 1024**3
    max_fragments: int = 10_000_000


settings = Settings()
limits = Limits()


# -- pydicom's names -------------------------------------------------------------
# Code written for pydicom sets these; each does here what it does there.

#: The logger dicomcore reports through; :func:`debug` turns it up.
logger = logging.getLogger("dicomcore")
debugging = False

#: What assigning an unknown CamelCase attribute to a dataset does ("WARN",
#: "RAISE" or "IGNORE"), as ``ds.PatientNmae = ...`` is usually a misspelt
#: keyword. "WARN" warns when ``settings.warn_on_unknown_keyword`` is set.
INVALID_KEYWORD_BEHAVIOR = "WARN"


def debug(debug_on: bool = True, default_handler: bool = True) -> None:
    """Log what dicomcore does at DEBUG level (``debug_on``), or only warnings;
    ``default_handler`` adds a handler printing to stderr."""
    global debugging
    debugging = debug_on
    logger.handlers = []
    if default_handler:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug_on else logging.WARNING)


@contextmanager
def disable_value_validation() -> Iterator[None]:
    """Inside the ``with`` block, values are neither checked when read nor when
    assigned or written (both validation modes IGNORE)."""
    reading, writing = (
        settings.reading_validation_mode,
        settings.writing_validation_mode,
    )
    settings.reading_validation_mode = settings.writing_validation_mode = IGNORE
    try:
        yield
    finally:
        settings.reading_validation_mode = reading
        settings.writing_validation_mode = writing


@contextmanager
def strict_reading() -> Iterator[None]:
    """Inside the ``with`` block, an invalid value read raises (reading
    validation mode RAISE)."""
    reading = settings.reading_validation_mode
    settings.reading_validation_mode = RAISE
    try:
        yield
    finally:
        settings.reading_validation_mode = reading
