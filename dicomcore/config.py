"""Settings that change how dicomcore reads, validates and decodes.

One place for every knob, so a user or a test changes behaviour in one line::

    import dicomcore.config
    dicomcore.config.settings.writing_validation_mode = dicomcore.config.RAISE
    dicomcore.config.limits.max_sequence_depth = 64
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["IGNORE", "RAISE", "WARN", "Limits", "Settings", "limits", "settings"]

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
    max_fragments: int = 10_000_000


settings = Settings()
limits = Limits()
