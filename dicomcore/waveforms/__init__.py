"""Layer 5, beside pixels: Waveform Data as numpy arrays (PS3.3 C.10.9).

``multiplex_array(ds, index)`` and ``generate_multiplex(ds)`` as in pydicom;
``ds.waveform_array(index)`` gives a group in its channels' units.
"""

from __future__ import annotations

from dicomcore.waveforms.g711 import expand_a_law, expand_mu_law
from dicomcore.waveforms.multiplex import (
    WAVEFORM_DTYPES,
    MissingWaveformElementError,
    WaveformError,
    generate_multiplex,
    multiplex_array,
)

__all__ = [
    "WAVEFORM_DTYPES",
    "MissingWaveformElementError",
    "WaveformError",
    "expand_a_law",
    "expand_mu_law",
    "generate_multiplex",
    "multiplex_array",
]
