"""Waveform Data of a multiplex group as an array (PS3.3 C.10.9).

A Waveform Sequence (5400,0100) item is one multiplex group: Number of
Waveform Channels channels sampled together, Number of Waveform Samples times,
stored interleaved by channel and then by sample (C1S1, C2S1, ..., CnS1,
C1S2, ...) in Waveform Data (5400,1010), each sample of the size Waveform Bits
Allocated gives and the type Waveform Sample Interpretation names.

:func:`multiplex_array` returns the samples as stored, shaped (samples,
channels), as pydicom does.  With ``as_raw=False`` each channel is turned
into its quantity as C.10.9.1.4.2 defines it: the sample times Channel
Sensitivity gives the nominal value in Channel Sensitivity Units, that times
Channel Sensitivity Correction Factor the calibrated value, and Channel
Baseline is added (the offset of sample 0 from the true zero, in those units).
mu-law (MB) and A-law (AB) samples are G.711 codes, not numbers: they are
expanded to linear values first (:mod:`dicomcore.waveforms.g711`); pydicom
scales the codes themselves, see docs/compatibility.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from dicomcore.errors import DicomError
from dicomcore.waveforms.g711 import expand_a_law, expand_mu_law

if TYPE_CHECKING:
    from dicomcore.dataset import Dataset

__all__ = [
    "WAVEFORM_DTYPES",
    "MissingWaveformElementError",
    "WaveformError",
    "generate_multiplex",
    "multiplex_array",
]

#: (Waveform Bits Allocated, Waveform Sample Interpretation) -> numpy type
WAVEFORM_DTYPES: dict[tuple[int, str], str] = {
    (8, "SB"): "int8",
    (8, "UB"): "uint8",
    (8, "MB"): "uint8",
    (8, "AB"): "uint8",
    (16, "SS"): "int16",
    (16, "US"): "uint16",
    (32, "SL"): "int32",
    (32, "UL"): "uint32",
    (64, "SV"): "int64",
    (64, "UV"): "uint64",
}

_REQUIRED = (
    "NumberOfWaveformChannels",
    "NumberOfWaveformSamples",
    "WaveformBitsAllocated",
    "WaveformSampleInterpretation",
    "WaveformData",
)


class WaveformError(DicomError, ValueError):
    """A multiplex group whose attributes or Waveform Data cannot be used."""


class MissingWaveformElementError(WaveformError, AttributeError):
    """The Waveform Sequence, or an element a multiplex group needs, is absent
    (an :class:`AttributeError`, as pydicom raises)."""


def _groups(ds: Dataset) -> Any:
    if "WaveformSequence" not in ds:
        raise MissingWaveformElementError(
            "the dataset has no Waveform Sequence (5400,0100)"
        )
    return ds.WaveformSequence


def multiplex_array(ds: Dataset, index: int, as_raw: bool = True) -> np.ndarray:
    """The samples of multiplex group ``index``, shape (samples, channels).

    ``as_raw=True`` (the default, as in pydicom) gives the stored samples in
    the type of their interpretation (``int16`` for SS, ``uint8`` codes for
    MB/AB, ...); ``as_raw=False`` gives float64 values in each channel's
    units (see the module's docstring).

    >>> ds = dicomcore.dcmread("testfiles/waveforms/ecg_12lead.dcm")  # doctest: +SKIP
    >>> multiplex_array(ds, 0).shape  # doctest: +SKIP
    (1000, 12)
    """
    groups = _groups(ds)
    if not -len(groups) <= index < len(groups):
        raise IndexError(
            f"multiplex group {index} requested; the Waveform Sequence has "
            f"{len(groups)}"
        )
    item = groups[index]
    return _group_array(item, index % len(groups), _little_endian(ds, item), as_raw)


def generate_multiplex(ds: Dataset, as_raw: bool = True) -> Iterator[np.ndarray]:
    """Each multiplex group's array in turn (see :func:`multiplex_array`)."""
    for index, item in enumerate(_groups(ds)):
        yield _group_array(item, index, _little_endian(ds, item), as_raw)


def _little_endian(ds: Dataset, item: Dataset) -> bool:
    for dataset in (item, ds):
        little = dataset.original_encoding[1]
        if little is not None:
            return bool(little)
    return True


def _group_array(
    item: Dataset, index: int, little_endian: bool, as_raw: bool
) -> np.ndarray:
    missing = [keyword for keyword in _REQUIRED if keyword not in item]
    if missing:
        raise MissingWaveformElementError(
            f"multiplex group {index} lacks {', '.join(missing)}, which its "
            "samples need (PS3.3 C.10.9.1)"
        )
    channels = int(item.NumberOfWaveformChannels)
    samples = int(item.NumberOfWaveformSamples)
    bits_allocated = int(item.WaveformBitsAllocated)
    interpretation = str(item.WaveformSampleInterpretation).strip()
    type_name = WAVEFORM_DTYPES.get((bits_allocated, interpretation))
    if type_name is None:
        raise WaveformError(
            f"multiplex group {index}: Waveform Sample Interpretation "
            f"{interpretation!r} with Waveform Bits Allocated {bits_allocated} is "
            "not a combination PS3.3 C.10.9.1.5 defines"
        )
    if channels < 1 or samples < 1:
        raise WaveformError(
            f"multiplex group {index}: {channels} channels of {samples} samples"
        )
    data = item.WaveformData
    dtype = np.dtype(type_name)
    expected = channels * samples * dtype.itemsize
    if not isinstance(data, bytes) or len(data) < expected:
        size = len(data) if isinstance(data, bytes) else 0
        raise WaveformError(
            f"multiplex group {index}: Waveform Data holds {size} bytes; "
            f"{channels} channels of {samples} {bits_allocated}-bit samples "
            f"need {expected}"
        )
    if not little_endian:
        data, dtype = _from_big_endian(data, item["WaveformData"].VR, dtype)
    raw = np.frombuffer(data, dtype=dtype, count=channels * samples)
    array = raw.reshape(samples, channels).astype(dtype.newbyteorder("="))
    if as_raw:
        return array
    return _in_channel_units(item, array, interpretation)


def _from_big_endian(data: bytes, vr: str, dtype: np.dtype) -> tuple[bytes, np.dtype]:
    if vr != "OW":
        return data, dtype.newbyteorder(">")
    # OW is a run of 16-bit words: swapped back to little endian, the words
    # hold the samples in little endian order whatever their size (as a
    # little endian writer stored them)
    even = data[: len(data) - len(data) % 2]
    words = np.frombuffer(even, dtype=">u2").astype("<u2")
    return words.tobytes(), dtype.newbyteorder("<")


def _in_channel_units(
    item: Dataset, array: np.ndarray, interpretation: str
) -> np.ndarray:
    if interpretation == "MB":
        values = expand_mu_law(array).astype(np.float64)
    elif interpretation == "AB":
        values = expand_a_law(array).astype(np.float64)
    else:
        values = array.astype(np.float64)
    definitions = item.get("ChannelDefinitionSequence") or []
    for channel, definition in enumerate(definitions):
        if channel >= values.shape[1]:
            break
        sensitivity = definition.get("ChannelSensitivity")
        if sensitivity is None or sensitivity == "":
            continue  # no units given: the samples are the values
        factor = definition.get("ChannelSensitivityCorrectionFactor")
        baseline = definition.get("ChannelBaseline")
        # nominal value first, then calibrated (the order C.10.9.1.4.2 gives)
        values[:, channel] *= float(sensitivity)
        if factor not in (None, ""):
            values[:, channel] *= float(factor)
        if baseline not in (None, ""):
            values[:, channel] += float(baseline)
    return values
