"""Scripts written for pydicom give the same output and files on dicomcore.

Each script in ``scripts/`` is run once with pydicom 3 (the oracle) and once
with its imports changed to dicomcore; stdout and every file written must be
the same, apart from the name and UID each library writes as its own
implementation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compat.runner import (
    SCRIPTS,
    comparable_file,
    normalise_text,
    run_script,
    script_arguments,
    to_dicomcore,
)

pytest.importorskip("pydicom", minversion="3.0")

SCRIPT_PATHS = sorted(SCRIPTS.glob("*.py"))


@pytest.mark.parametrize(
    "script", SCRIPT_PATHS, ids=[path.stem for path in SCRIPT_PATHS]
)
def test_script_runs_the_same(script: Path, tmp_path: Path) -> None:
    source = script.read_text(encoding="utf-8")
    arguments = script_arguments(source)
    oracle = run_script(source, arguments, tmp_path / "run-pydicom")
    assert oracle.returncode == 0, f"the script fails with pydicom:\n{oracle.stderr}"
    ours = run_script(to_dicomcore(source), arguments, tmp_path / "run-dicomcore")
    assert ours.returncode == 0, f"the script fails with dicomcore:\n{ours.stderr}"
    assert normalise_text(ours.stdout) == normalise_text(oracle.stdout)
    assert sorted(ours.files) == sorted(oracle.files)
    for name, expected in oracle.files.items():
        assert comparable_file(ours.files[name]) == comparable_file(expected), name


def test_imports_are_turned_into_dicomcores() -> None:
    source = (
        "import pydicom\n"
        "import pydicom.config\n"
        "import pydicom.uid as uids\n"
        "from pydicom import dcmread\n"
        "from pydicom.encaps import encapsulate\n"
        "    import pydicom\n"
        "print('import pydicom')\n"
    )
    assert to_dicomcore(source) == (
        "import dicomcore as pydicom\n"
        "import dicomcore.config; import dicomcore as pydicom\n"
        "import dicomcore.uid as uids\n"
        "from dicomcore import dcmread\n"
        "from dicomcore.encaps import encapsulate\n"
        "    import dicomcore as pydicom\n"
        "print('import pydicom')\n"
    )


def test_implementation_meta_is_left_out_of_the_comparison() -> None:
    def meta_element(element: int, vr: bytes, value: bytes) -> bytes:
        return (
            (2).to_bytes(2, "little")
            + element.to_bytes(2, "little")
            + vr
            + len(value).to_bytes(2, "little")
            + value
        )

    def part10(implementation: bytes) -> bytes:
        return (
            b"\0" * 128
            + b"DICM"
            + meta_element(0x0010, b"UI", b"1.2.840.10008.1.2.1\0")
            + meta_element(0x0012, b"UI", implementation)
            + b"\x08\x00\x60\x00CS\x02\x00CT"
        )

    first, second = part10(b"1.2.3.4\0"), part10(b"1.2.3.4.5.6\0")
    assert first != second
    assert comparable_file(first) == comparable_file(second)
    assert comparable_file(first)[2] == b"\x08\x00\x60\x00CS\x02\x00CT"
    assert comparable_file(first + b"x") != comparable_file(second)
