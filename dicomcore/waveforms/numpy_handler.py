"""pydicom's module path ``pydicom.waveforms.numpy_handler``: the waveform
functions of :mod:`dicomcore.waveforms.multiplex` under that name."""

from __future__ import annotations

from dicomcore.waveforms.multiplex import (
    WAVEFORM_DTYPES,
    generate_multiplex,
    multiplex_array,
)

__all__ = ["WAVEFORM_DTYPES", "generate_multiplex", "is_available", "multiplex_array"]


def is_available() -> bool:
    """Always True: numpy is one of dicomcore's two requirements."""
    return True
