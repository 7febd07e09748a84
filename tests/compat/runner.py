"""Run a script written for pydicom twice: as written, and with dicomcore.

The second run is the same source with its pydicom imports turned into
dicomcore's (``import pydicom`` becomes ``import dicomcore as pydicom``), which
is exactly what README promises a user has to change. Each run gets a folder
of its own as working directory; the scripts write their files there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parent / "scripts"

# The arguments a script is run with, relative to the repository's root.
_ARGS_LINE = re.compile(r"^# args:(.*)$", re.MULTILINE)
_IMPORT = re.compile(r"^(\s*)import pydicom(\.[\w.]+)?(\s+as\s+\w+)?\s*$", re.MULTILINE)
_FROM = re.compile(r"^(\s*)from pydicom(\.[\w.]+)? import ", re.MULTILINE)

# What each library writes as its own implementation; the only text allowed
# to differ between the two runs.
_IMPLEMENTATIONS = (
    ("1.2.826.0.1.3680043.8.498.1", "<implementation class uid>"),
    ("2.25.283267059261664334493459026784161450495", "<implementation class uid>"),
)
_VERSION_NAMES = re.compile(r"PYDICOM \d+\.\d+\.\d+|DICOMCORE_\d+")
# File meta elements that name the writing implementation, and the group
# length that follows from their sizes.
_IMPLEMENTATION_META = {(0x0002, 0x0000), (0x0002, 0x0012), (0x0002, 0x0013)}


def to_dicomcore(source: str) -> str:
    """``source`` with every pydicom import turned into dicomcore's."""

    def plain_import(match: re.Match[str]) -> str:
        indent, submodule, alias = match.group(1), match.group(2), match.group(3)
        if alias:
            return f"{indent}import dicomcore{submodule or ''}{alias}"
        if submodule:
            # `import pydicom.config` binds `pydicom` and loads the submodule.
            return f"{indent}import dicomcore{submodule}; import dicomcore as pydicom"
        return f"{indent}import dicomcore as pydicom"

    source = _IMPORT.sub(plain_import, source)
    return _FROM.sub(
        lambda m: f"{m.group(1)}from dicomcore{m.group(2) or ''} import ", source
    )


def script_arguments(source: str) -> list[str]:
    """The paths named on the script's ``# args:`` lines (one or several)."""
    words = [word for line in _ARGS_LINE.findall(source) for word in line.split()]
    return [str(REPO / word) for word in words]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    files: dict[str, bytes]


def run_script(source: str, arguments: list[str], folder: Path) -> Run:
    folder.mkdir(parents=True)
    # Beside the run's folder, under a name no import can take for a module.
    script = folder.parent / f"{folder.name}-script.py"
    script.write_text(source, encoding="utf-8")
    environment = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=environment,
    )
    files = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    return Run(result.returncode, result.stdout, result.stderr, files)


def normalise_text(text: str) -> str:
    for uid, placeholder in _IMPLEMENTATIONS:
        text = text.replace(uid, placeholder)
    return _VERSION_NAMES.sub("<implementation version name>", text)


def comparable_file(data: bytes) -> tuple[bytes, list[tuple[int, int, bytes]], bytes]:
    """A Part 10 file as (preamble, meta elements, data set bytes).

    The meta elements that name the writing implementation are left out, so
    two files compare equal when everything else is the same byte for byte.
    Any other file is compared whole.
    """
    if len(data) < 132 or data[128:132] != b"DICM":
        return data, [], b""
    offset = 132
    elements = []
    while offset + 8 <= len(data):
        group = int.from_bytes(data[offset : offset + 2], "little")
        if group != 0x0002:
            break
        element = int.from_bytes(data[offset + 2 : offset + 4], "little")
        vr = data[offset + 4 : offset + 6]
        if vr in (
            b"OB",
            b"OW",
            b"OF",
            b"SQ",
            b"UT",
            b"UN",
            b"UC",
            b"UR",
            b"OD",
            b"OL",
            b"OV",
        ):
            length = int.from_bytes(data[offset + 8 : offset + 12], "little")
            start = offset + 12
        else:
            length = int.from_bytes(data[offset + 6 : offset + 8], "little")
            start = offset + 8
        if (group, element) not in _IMPLEMENTATION_META:
            elements.append((group, element, vr + data[start : start + length]))
        offset = start + length
    return data[:128], elements, data[offset:]
