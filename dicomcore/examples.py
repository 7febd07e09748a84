"""pydicom's ``examples``: datasets to try things on, read afresh on each use.

>>> from dicomcore import examples
>>> examples.ct.Modality  # doctest: +SKIP
'CT'
>>> examples.get_path("mr").name
'MR_small.dcm'

The files are found as :func:`dicomcore.data.get_testdata_file` finds
them: dicomcore's own stand-ins for pydicom's (same parts, other contents),
unless a folder of pydicom's own files is on ``dicomcore.data.DATA_PATHS``.
``rt_dose``, ``rt_ss``, ``waveform`` and ``dicomdir`` have no stand-in yet
and raise :class:`ValueError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dicomcore.data import get_testdata_file
from dicomcore.errors import DicomValueError

__all__ = ["get_path"]

_DATASETS = {
    "ct": "CT_small.dcm",
    "dicomdir": "DICOMDIR",
    "jpeg2k": "examples_jpeg2k.dcm",
    "mr": "MR_small.dcm",
    "no_meta": "no_meta.dcm",
    "overlay": "examples_overlay.dcm",
    "palette_color": "examples_palette.dcm",
    "rgb_color": "examples_rgb_color.dcm",
    "rt_dose": "rtdose.dcm",
    "rt_plan": "rtplan.dcm",
    "rt_ss": "rtstruct.dcm",
    "waveform": "waveform_ecg.dcm",
    "ybr_color": "examples_ybr_color.dcm",
}


def get_path(name: str) -> Path:
    """The path of the example file called ``name`` (``"ct"``, ``"mr"``, ...)."""
    if name not in _DATASETS:
        raise ValueError(f"No example dataset exists with the name '{name}'")
    try:
        return Path(get_testdata_file(_DATASETS[name]))
    except DicomValueError:
        raise ValueError(
            f"dicomcore has no example dataset '{name}' yet ({_DATASETS[name]} is "
            "in none of dicomcore.data.DATA_PATHS)"
        ) from None


def __getattr__(name: str) -> Any:
    if name in _DATASETS:
        from dicomcore.io import dcmread

        return dcmread(get_path(name), force=True)
    raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
