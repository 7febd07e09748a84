"""codify: scripts that rebuild every file in testfiles/."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from interop import TESTFILES

import dicomcore
from dicomcore.cli import main
from dicomcore.util.codify import (
    camel_to_underscore,
    code_dataelem,
    code_dataset,
    code_file,
    tag_repr,
)

ALL_FILES = sorted(TESTFILES.rglob("*.dcm"))


def run_script(path: Path) -> dict[str, object]:
    return runpy.run_path(str(path), run_name="__codified__")


def assert_same_dataset(
    rebuilt: dicomcore.Dataset, original: dicomcore.Dataset
) -> None:
    # element by element first, so that a failure names the element
    assert [elem.tag for elem in rebuilt] == [elem.tag for elem in original]
    for elem in original:
        again = rebuilt[elem.tag]
        assert again.VR == elem.VR, elem.tag
        if elem.VR == "SQ":
            assert len(again.value) == len(elem.value)
            for item, item_again in zip(elem.value, again.value, strict=True):
                assert_same_dataset(item_again, item)
        else:
            assert again.value == elem.value, elem.tag
    assert rebuilt == original


@pytest.mark.parametrize(
    "path", ALL_FILES, ids=[str(p.relative_to(TESTFILES)) for p in ALL_FILES]
)
def test_script_rebuilds_every_testfile(path: Path, tmp_path: Path) -> None:
    script = tmp_path / "rebuild.py"
    script.write_text(
        code_file(path, 100, include_private=True, bulk_file=tmp_path / "rebuild.bulk"),
        encoding="utf-8",
    )
    namespace = run_script(script)
    rebuilt = namespace["ds"]
    original = dicomcore.dcmread(path, force=True)
    assert isinstance(rebuilt, dicomcore.Dataset)
    assert_same_dataset(rebuilt, original)
    if "file_meta" in namespace:
        assert_same_dataset(rebuilt.file_meta, original.file_meta)
    assert rebuilt.original_encoding == original.original_encoding
    # the excluded values, and only those, are in the side file
    bulk_values = [
        elem.value
        for elem in original.iterall()
        if isinstance(elem.value, bytes) and len(elem.value) > 100
    ]
    if bulk_values:
        assert (tmp_path / "rebuild.bulk").read_bytes() == b"".join(bulk_values)
    else:
        assert not (tmp_path / "rebuild.bulk").exists()


def test_script_saves_a_file_pydicom_reads_equal(tmp_path: Path) -> None:
    pydicom = pytest.importorskip("pydicom")
    source = TESTFILES / "rtplan_undefined_length_explicit.dcm"
    target = tmp_path / "again.dcm"
    script = tmp_path / "plan.py"
    script.write_text(
        code_file(source, 100, bulk_file=tmp_path / "plan.bulk", save_as=target)
    )
    run_script(script)
    theirs = pydicom.dcmread(source)
    again = pydicom.dcmread(target)
    assert again.BeamSequence[0].BeamNumber == theirs.BeamSequence[0].BeamNumber
    assert again == theirs


def test_without_a_private_flag_private_elements_are_left_out(tmp_path: Path) -> None:
    path = TESTFILES / "ct_int16_implicit.dcm"
    code = code_file(path, 100, bulk_file=tmp_path / "x.bulk")
    assert "0x0009" not in code and "0x0019" not in code
    code = code_file(path, 100, include_private=True, bulk_file=tmp_path / "x.bulk")
    assert "ds.add_new((0x0009, 0x1001), 'LO', 'CT_LIGHTSPEED')" in code
    assert "ds.add_new((0x0019, 0x1002), 'SL', 888)" in code


def test_lines_for_elements() -> None:
    ds = dicomcore.dcmread(TESTFILES / "ct_int16_implicit.dcm")
    assert (
        code_dataelem(ds["PatientName"]) == "ds.PatientName = 'Doe^John^Quincy^Dr.^Jr.'"
    )
    assert code_dataelem(ds["SliceThickness"], "item") == "item.SliceThickness = '1.25'"
    assert code_dataelem(ds["ImagePositionPatient"]) == (
        "ds.ImagePositionPatient = ['-125.0', '-130.5', '42.25']"
    )
    assert code_dataelem(ds["Rows"]) == "ds.Rows = 64"
    # Pixel Data's dictionary VR is OB or OW: the VR is written out
    assert code_dataelem(ds["PixelData"], exclude_size=100) == (
        "ds.add_new((0x7FE0, 0x0010), 'OW', # XXX Array of 8192 bytes excluded)"
    )
    assert tag_repr(0x00091001) == "(0x0009, 0x1001)"
    assert camel_to_underscore("ReferencedImageSequence") == "referenced_image_sequence"
    meta = code_dataset(ds.file_meta, "file_meta", is_file_meta=True).splitlines()
    assert meta[0] == "file_meta = FileMetaDataset()"
    assert meta[5] == "file_meta.TransferSyntaxUID = '1.2.840.10008.1.2'"


def test_attribute_tags_and_sequences() -> None:
    ds = dicomcore.dcmread(TESTFILES / "mono16_5frames_explicit.dcm")
    assert code_dataelem(ds["FrameIncrementPointer"]) == (
        "ds.FrameIncrementPointer = 0x00182002"
    )
    ds = dicomcore.dcmread(TESTFILES / "rtplan_undefined_length_explicit.dcm")
    lines = code_dataelem(ds["BeamSequence"]).splitlines()
    assert lines[:5] == [
        "",
        "# Beam Sequence",
        "beam_sequence = Sequence()",
        "ds.BeamSequence = beam_sequence",
        "",
    ]
    assert lines[5:8] == [
        "# Beam Sequence: item 1",
        "beam1 = Dataset()",
        "beam_sequence.append(beam1)",
    ]


def test_keywords_match_pydicoms_codify() -> None:
    """The elements set by keyword are those pydicom's codify sets."""
    codify = pytest.importorskip("pydicom.util.codify")
    path = TESTFILES / "rtplan_undefined_length_explicit.dcm"
    theirs = codify.code_file(str(path), 100)
    ours = code_file(path, 100)

    def keywords(code: str) -> list[str]:
        return [
            line.split(" = ")[0].split(".", 1)[1]
            for line in code.splitlines()
            if line.startswith(("ds.", "file_meta.")) and " = " in line
        ]

    assert keywords(ours) == keywords(theirs)


def test_command_writes_script_and_side_file(tmp_path: Path, capsys) -> None:
    source = TESTFILES / "mono8_explicit.dcm"
    script = tmp_path / "mono8.py"
    saved = tmp_path / "mono8_again.dcm"
    assert main(["codify", str(source), str(script), "-s", str(saved)]) == 0
    assert capsys.readouterr().out == f"Writing code to file '{script}'\n"
    assert (tmp_path / "mono8.bulk").stat().st_size == 32 * 32
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    original = dicomcore.dcmread(source)
    again = dicomcore.dcmread(saved)
    assert again.PixelData == original.PixelData
    assert again.PatientName == original.PatientName


def test_command_to_stdout_puts_the_side_file_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    source = TESTFILES / "mono8_explicit.dcm"
    assert main(["codify", str(source), "-e", "10000"]) == 0
    code = capsys.readouterr().out
    assert "bulk_data" not in code  # 1024 bytes are under the limit
    assert "ds.save_as('" + str(TESTFILES / "mono8_explicit_from_codify.dcm") in code
    assert main(["codify", str(source)]) == 0
    code = capsys.readouterr().out
    assert "bulk_data = (_here / 'mono8_explicit_codify.bulk').read_bytes()" in code
    assert (tmp_path / "mono8_explicit_codify.bulk").stat().st_size == 1024


def test_command_codes_one_item_of_a_file(tmp_path: Path, capsys) -> None:
    source = TESTFILES / "rtplan_undefined_length_explicit.dcm"
    script = tmp_path / "beam.py"
    saved = tmp_path / "beam.dcm"
    filespec = f"{source}::BeamSequence[0]"
    assert main(["codify", filespec, str(script), "-s", str(saved)]) == 0
    code = script.read_text()
    assert "file_meta" not in code
    assert "ds.BeamNumber = '1'" in code
    namespace = run_script(script)
    beam = dicomcore.dcmread(source).BeamSequence[0]
    assert_same_dataset(namespace["ds"], beam)
    capsys.readouterr()
    assert main(["codify", f"{source}::BeamSequence[0].BeamNumber"]) == 1
    assert capsys.readouterr().err == (
        "dicomcore: codify can only code a Dataset, not a IS "
        "(BeamSequence[0].BeamNumber)\n"
    )
    assert main(["codify", f"{source}::BeamSequence[2]"]) == 1
    assert "BeamSequence[2] names no item" in capsys.readouterr().err
    assert main(["codify", f"{source}::NoSuchThing"]) == 1
    assert "NoSuchThing is not in the dataset" in capsys.readouterr().err
