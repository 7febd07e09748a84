"""Settings that change how dicomcore reads, validates and decodes.

One place for every knob, so a user or a test changes behaviour in one line::

    import dicomcore.config
    dicomcore.config.settings.writing_validation_mode = dicomcore.config.RAISE
    dicomcore.config.limits.max_sequence_depth = 64
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["IGNORE", "RAISE", "WARN", "Limits", "Settings", "limits", "settings"]

IGNORE = 0
WARN = 1
RAISE = 2


@dataclass
class Settings:
    """Validation of values against their VR.

    ``reading_validation_mode``: what happens when a value read from a file
    breaks its VR's rules, or the data is damaged (default: warn; RAISE turns
    every such warning into an error). ``writing_validation_mode``: what
    happens when a value assigned or written breaks them (default: warn, as
    in pydicom 3; a value read from a file and left unchanged is written as
    read whatever the mode).
    """

    reading_validation_mode: int = WARN
    writing_validation_mode: int = WARN
    # Warn when an attribute assigned on a Dataset looks like a misspelt keyword.
    warn_on_unknown_keyword: bool = True
    # An explicit VR element stored as UN whose tag the public or private
    # dictionary knows is read with the dictionary's VR (pydicom's name and
    # default); such a file is then not written back byte for byte.
    replace_un_with_known_vr: bool = True
    # A defined-length UN, or an unknown implicit VR private element, whose
    # value begins with an Item tag is read as a sequence (pydicom and DCMTK
    # keep it as bytes).
    un_items_as_sequence: bool = False


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
