"""pydicom's module paths are there after a bare `import dicomcore`."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dicomcore

MODULES = [
    "data",
    "datadict",
    "encaps",
    "examples",
    "filebase",
    "filereader",
    "filewriter",
    "misc",
    "multival",
    "valuerep",
]


def test_module_paths_are_imported_on_first_use():
    # A fresh interpreter: nothing has imported the submodules yet.
    code = (
        "import sys, dicomcore\n"
        f"names = {MODULES!r}\n"
        "print([f'dicomcore.{n}' in sys.modules for n in names])\n"
        "print([getattr(dicomcore, n).__name__ for n in names])\n"
        "print(dicomcore.pixel_array.__module__, dicomcore.iter_pixels.__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == str([False] * len(MODULES))
    assert lines[1] == str([f"dicomcore.{name}" for name in MODULES])
    assert lines[2] == "dicomcore.pixels.api iter_pixels"


def test_other_names_are_still_attribute_errors():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        dicomcore.nothing  # noqa: B018
