"""tests/pydicom_shim: ``pydicom`` and ``pydicom.X`` are dicomcore's modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SHIM = Path(__file__).resolve().parent / "pydicom_shim"

PROBE = """
import sys
import pydicom, dicomcore
import pydicom.sr.codedict, dicomcore.sr.codedict
from pydicom.pixels.decoders.base import get_decoder
from pydicom.dataset import Dataset
print(pydicom is dicomcore)
print(pydicom.sr.codedict is dicomcore.sr.codedict)
print(sys.modules["pydicom.pixels"] is dicomcore.pixels)
print(Dataset.__module__, get_decoder.__module__)
print(dicomcore.sr.codedict.__spec__.name)
try:
    import pydicom.no_such_module
except ModuleNotFoundError as error:
    print(error.name)
"""


def test_shim_maps_pydicom_to_dicomcore():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={"PYTHONPATH": str(SHIM), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [
        "True",
        "True",
        "True",
        "dicomcore.dataset dicomcore.pixels.decoders.base",
        "dicomcore.sr.codedict",
        "pydicom.no_such_module",
    ]
