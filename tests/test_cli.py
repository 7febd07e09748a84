import subprocess
import sys

import pytest
from interop import TESTFILES

from dicomcore.cli import main
from dicomcore.errors import DamagedDataWarning


def test_show_prints_the_dataset(capsys):
    assert main(["show", str(TESTFILES / "ct_int16_implicit.dcm")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Dataset.file_meta -------------------------------"
    assert (
        "(0002,0010) Transfer Syntax UID                 UI: Implicit VR Little Endian"
        in lines
    )
    name_line = next(line for line in lines if line.startswith("(0010,0010)"))
    assert name_line == (
        "(0010,0010) Patient's Name                      PN: 'Doe^John^Quincy^Dr.^Jr.'"
    )
    assert "(0019,1002) [Detector Channel]                  SL: 888" in lines
    assert (
        lines[-1]
        == "(7FE0,0010) Pixel Data                          OW: Array of 8192 elements"
    )


def test_show_errors_are_one_line(tmp_path, capsys):
    # show reads with force, as pydicom show does: damage it can read past
    # (a value running past the end) is a warning, what holds no dataset
    # at all an error of one line
    empty = tmp_path / "empty.dcm"
    empty.write_bytes(b"")
    assert main(["show", str(empty)]) == 1
    assert capsys.readouterr().err == f"dicomcore: '{empty}' is empty [byte offset 0]\n"
    missing = tmp_path / "missing.dcm"
    assert main(["show", str(missing)]) == 1
    assert capsys.readouterr().err == (
        f"dicomcore: [Errno 2] No such file or directory: '{missing}'\n"
    )
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"not dicom at all")
    with pytest.warns(DamagedDataWarning, match="length 1684628335 runs past"):
        assert main(["show", str(bad)]) == 0
    assert capsys.readouterr().out == (
        "(6E6F,7420) Private tag data                    UN: b'm at all'\n"
    )


def test_console_script_runs():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dicomcore.cli",
            "show",
            "--top",
            str(TESTFILES / "rtplan_undefined_length_explicit.dcm"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(300A,00B0)  Beam Sequence  2 item(s) ---- " in result.stdout
