import subprocess
import sys

from interop import TESTFILES

from dicomcore.cli import main


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
    assert "(0019,1002) [Number of Cells in Detector]       SL: 888" in lines
    assert (
        lines[-1]
        == "(7FE0,0010) Pixel Data                          OW: Array of 8192 elements"
    )


def test_show_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(b"not dicom at all")
    assert main(["show", str(bad)]) == 1
    error = capsys.readouterr().err
    # show reads with force, as pydicom show does: the damage is named
    assert error == (
        "dicomcore: element value of length 1684628335 runs past the end of the "
        "data [element (6E6F,7420), byte offset 0]\n"
    )
    assert main(["show", str(tmp_path / "missing.dcm")]) == 1


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
