"""dicomcore.batch: converting trees of files, resuming, and surviving
worker processes that die mid-write."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from interop import TESTFILES, copy_testfiles, run_tool

import dicomcore
from dicomcore.batch import (
    ConversionInterrupted,
    ConvertOptions,
    FileRecord,
    available_names,
    convert,
    convert_one,
    incomplete_reason,
    plan_conversion,
    resolve_transfer_syntax,
)
from dicomcore.batch.convert import TEST_EXIT_ENV
from dicomcore.batch.report import ConversionReport, format_bytes
from dicomcore.io.writer import is_temporary, temporary_prefix

RLE = "1.2.840.10008.1.2.5"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
JPEG_LS_NEAR = "1.2.840.10008.1.2.4.81"

# source name in testfiles -> path in the tree
TREE = {
    "ct_int16_explicit.dcm": "ct.dcm",
    "mono16_5frames_explicit.dcm": "a/multi.dcm",
    "rgb8_planar1_explicit.dcm": "a/b/rgb.dcm",
    "mono8_rle.dcm": "a/compressed.dcm",
    "rtplan_undefined_length_explicit.dcm": "plan.dcm",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    source = copy_testfiles(TREE, tmp_path / "src")
    (source / "a" / "notes.txt").write_text("not DICOM at all\n")
    return source


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def temporaries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if is_temporary(path.name)]


def pixels(path: Path) -> np.ndarray:
    ds = dicomcore.dcmread(path)
    ds.pixel_array_options(as_rgb=False)
    return ds.pixel_array


# -- names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "uid"),
    [
        ("explicit", "1.2.840.10008.1.2.1"),
        ("implicit", "1.2.840.10008.1.2"),
        ("big-endian", "1.2.840.10008.1.2.2"),
        ("deflated", "1.2.840.10008.1.2.1.99"),
        ("rle", RLE),
        ("RLE", RLE),
        ("jpeg-lossless", "1.2.840.10008.1.2.4.70"),
        ("jpeg-ls", "1.2.840.10008.1.2.4.80"),
        ("jpegls-near-lossless", JPEG_LS_NEAR),
        ("JPEG2000Lossless", "1.2.840.10008.1.2.4.90"),
        ("jpeg2000-lossless", "1.2.840.10008.1.2.4.90"),
        ("JPEGLossless", "1.2.840.10008.1.2.4.57"),
        ("1.2.840.10008.1.2.5", RLE),
    ],
)
def test_transfer_syntax_names(name: str, uid: str) -> None:
    assert resolve_transfer_syntax(name) == uid


def test_unknown_names_list_the_available_ones() -> None:
    with pytest.raises(ValueError, match="unknown transfer syntax 'zip'.*rle"):
        resolve_transfer_syntax("zip")
    with pytest.raises(ValueError, match="not a transfer syntax"):
        resolve_transfer_syntax("1.2.840.10008.5.1.4.1.1.2")
    names = [entry.name for entry in available_names()]
    assert names[:4] == ["explicit", "implicit", "big-endian", "deflated"]
    assert {"rle", "jpeg-lossless", "JPEGLossless"} <= set(names)


# -- planning -----------------------------------------------------------------------


def test_plan_keeps_each_folders_tree(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    single = tmp_path / "single.dcm"
    shutil.copyfile(TESTFILES / "mono8_explicit.dcm", single)
    entries = plan_conversion([tree, single, tmp_path / "missing"], out)
    planned = {
        str(Path(entry.source).relative_to(tmp_path)): entry.destination
        for entry in entries
        if entry.record is None
    }
    assert planned == {
        **{f"src/{relative}": str(out / relative) for relative in TREE.values()},
        "src/a/notes.txt": str(out / "a/notes.txt"),
        "single.dcm": str(out / "single.dcm"),
    }
    (missing,) = [entry.record for entry in entries if entry.record is not None]
    assert (missing.status, missing.reason) == ("failed", "no such file or folder")


def test_plan_skips_a_destination_inside_the_source_and_reports_clashes(
    tree: Path,
) -> None:
    inside = tree / "converted"
    (inside / "a").mkdir(parents=True)
    shutil.copyfile(TESTFILES / "mono8_explicit.dcm", inside / "a" / "old.dcm")
    other = tree.parent / "other" / "ct.dcm"
    other.parent.mkdir()
    shutil.copyfile(TESTFILES / "mono8_explicit.dcm", other)
    entries = plan_conversion([tree, tree / "ct.dcm", other], inside)
    assert not any("converted" in entry.source for entry in entries)
    # ct.dcm, reached through the folder and by name, is planned once
    assert [entry.source for entry in entries].count(str(tree / "ct.dcm")) == 1
    clash = entries[-1].record
    assert clash is not None and clash.status == "failed"
    assert clash.reason == f"{tree / 'ct.dcm'} is converted to the same destination"
    with pytest.raises(ValueError, match="is the source folder itself"):
        plan_conversion([tree], tree)


# -- converting and resuming -----------------------------------------------------------


def test_convert_a_tree_to_rle(tree: Path, tmp_path: Path) -> None:
    before = digests(tree)
    out = tmp_path / "out"
    report_path = tmp_path / "report.json"
    seen: list[tuple[str, int, int]] = []
    report = convert(
        tree,
        out,
        "rle",
        report=report_path,
        progress=lambda record, done, total: seen.append((record.status, done, total)),
    )
    assert report.counts() == {"converted": 5, "skipped": 1, "failed": 0}
    assert report.ok
    (skipped,) = report.skipped
    assert skipped.source == str(tree / "a" / "notes.txt")
    assert skipped.reason == "not a DICOM file"
    assert report.summary().startswith("converted 5, skipped 1 (1 not DICOM), failed 0")
    assert [done for _, done, _ in seen] == list(range(1, 7))
    assert {total for _, _, total in seen} == {6}
    assert digests(tree) == before  # sources are never touched
    assert not temporaries(out)
    for name, relative in TREE.items():
        written = dicomcore.dcmread(out / relative)
        assert written.file_meta.TransferSyntaxUID == RLE
        if "PixelData" in written:
            np.testing.assert_array_equal(
                pixels(out / relative), pixels(TESTFILES / name)
            )
            source_syntax = dicomcore.dcmread(
                TESTFILES / name
            ).file_meta.TransferSyntaxUID
            if source_syntax != RLE:  # re-encoded here, so made by dicomcore
                assert written.file_meta.ImplementationClassUID == (
                    dicomcore.uid.DICOMCORE_IMPLEMENTATION_UID
                )
    notes = {record.source: record.reason for record in report.converted}
    assert notes[str(tree / "plan.dcm")] == (
        "no pixel data: only the transfer syntax changed"
    )
    saved = json.loads(report_path.read_text())
    assert saved["transfer_syntax"] == RLE
    assert saved["counts"] == {"converted": 5, "skipped": 1, "failed": 0}
    assert saved["bytes_out"] == sum(
        (out / relative).stat().st_size for relative in TREE.values()
    )
    assert saved["bytes_in"] == sum(
        (tree / relative).stat().st_size for relative in TREE.values()
    )
    by_source = {entry["source"]: entry for entry in saved["files"]}
    ct = by_source[str(tree / "ct.dcm")]
    assert ct["status"] == "converted"
    assert ct["destination"] == str(out / "ct.dcm")
    assert ct["bytes_out"] == (out / "ct.dcm").stat().st_size
    assert ct["seconds"] > 0


def test_a_rerun_skips_complete_outputs_and_redoes_the_others(
    tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    convert(tree, out, RLE)
    again = convert(tree, out, RLE)
    assert again.counts() == {"converted": 0, "skipped": 6, "failed": 0}
    assert {record.reason for record in again.skipped} == {
        "already converted",
        "not a DICOM file",
    }

    # a source changed since, an output cut short, an output in another
    # transfer syntax: each is converted again
    os.utime(tree / "ct.dcm", ns=(2**62, 2**62))
    multi = out / "a" / "multi.dcm"
    multi.write_bytes(multi.read_bytes()[:-1000])
    shutil.copyfile(TESTFILES / "rgb8_planar1_explicit.dcm", out / "a/b/rgb.dcm")
    reason = incomplete_reason(str(multi), str(tree / "a/multi.dcm"), RLE)
    assert reason is not None and reason.startswith("unreadable:")
    third = convert(tree, out, RLE)
    assert sorted(Path(r.source).name for r in third.converted) == [
        "ct.dcm",
        "multi.dcm",
        "rgb.dcm",
    ]
    assert third.counts() == {"converted": 3, "skipped": 3, "failed": 0}
    np.testing.assert_array_equal(
        pixels(multi), pixels(TESTFILES / "mono16_5frames_explicit.dcm")
    )
    forced = convert(tree, out, RLE, overwrite=True)
    assert forced.counts() == {"converted": 5, "skipped": 1, "failed": 0}


def test_incomplete_reasons(tree: Path, tmp_path: Path) -> None:
    source = str(tree / "a" / "multi.dcm")
    output = tmp_path / "multi.dcm"
    assert incomplete_reason(str(output), source, RLE) == "missing"
    record = convert_one(source, str(output), RLE)
    assert record.status == "converted"
    assert incomplete_reason(str(output), source, RLE) is None
    assert incomplete_reason(str(output), source, EXPLICIT_LE) == (
        f"in another transfer syntax ({RLE})"
    )
    whole = output.read_bytes()
    output.write_bytes(whole[:-8])  # no Sequence Delimitation Item
    reason = incomplete_reason(str(output), source, RLE)
    assert reason is not None and reason.startswith("unreadable:")
    assert "not terminated" in reason
    output.write_bytes(b"\0" * 200)
    assert incomplete_reason(str(output), source, RLE) == "not a DICOM file"


def test_orphaned_temporary_files_are_removed(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    orphan = out / f"{temporary_prefix(out / 'ct.dcm')}0123abcd.tmp"
    nested = out / "a" / ".dicomcore-gone.dcm.deadbeef.tmp"
    unrelated = out / "a" / ".editor-swap.tmp"
    for path in (orphan, nested, unrelated):
        path.write_bytes(b"half a file")
    report = convert(tree, out, RLE)
    assert report.counts()["converted"] == 5
    assert not orphan.exists() and not nested.exists()
    assert unrelated.exists()


def test_convert_one_is_a_picklable_unit_of_work(tree: Path, tmp_path: Path) -> None:
    options = ConvertOptions(encoder_options={"level": 9}, overwrite=False)
    task = pickle.loads(pickle.dumps(convert_one))
    assert task is convert_one
    assert pickle.loads(pickle.dumps(options)) == options
    record = convert_one(
        str(tree / "ct.dcm"), str(tmp_path / "o" / "ct.dcm"), RLE, options
    )
    assert pickle.loads(pickle.dumps(record)) == record
    assert isinstance(record, FileRecord)
    assert (record.status, record.reason) == ("converted", "")
    assert record.bytes_in == (tree / "ct.dcm").stat().st_size
    assert record.bytes_out == (tmp_path / "o" / "ct.dcm").stat().st_size
    assert record.state is not None
    assert record.state.output_size == record.bytes_out
    again = convert_one(
        str(tree / "ct.dcm"), str(tmp_path / "o" / "ct.dcm"), RLE, None, record.state
    )
    assert (again.status, again.reason) == ("skipped", "already converted")
    unknown = convert_one(str(tree / "ct.dcm"), str(tmp_path / "o" / "ct.dcm"), RLE)
    assert (unknown.status, unknown.reason) == ("converted", "")
    itself = convert_one(str(tree / "ct.dcm"), str(tree / "ct.dcm"), RLE)
    assert (itself.status, itself.reason) == (
        "failed",
        "the destination is the source file",
    )


def test_files_that_cannot_be_converted_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copyfile(TESTFILES / "float32_pmap_explicit.dcm", source / "float.dcm")
    shutil.copyfile(TESTFILES / "mono16_explicit_nometa.dcm", source / "bare.dcm")
    (source / "cut.dcm").write_bytes((TESTFILES / "mono8_explicit.dcm").read_bytes())
    with open(source / "cut.dcm", "r+b") as handle:
        handle.truncate(300)
    report = convert(source, tmp_path / "out", RLE)
    reasons = {Path(r.source).name: (r.status, r.reason) for r in report.records}
    # converted as dcmread(force=True) reads it (the pixels: see below)
    assert reasons["bare.dcm"] == ("converted", "")
    assert reasons["float.dcm"] == (
        "converted",
        "Float Pixel Data is always native (PS3.5 A.4): copied in its own "
        "transfer syntax",
    )
    assert reasons["cut.dcm"][1].startswith(("unreadable DICOM file", "cannot convert"))
    assert report.counts() == {"converted": 2, "skipped": 0, "failed": 1}
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [".dicomcore-convert.jsonl", "bare.dcm", "float.dcm"]
    assert (tmp_path / "out" / "float.dcm").read_bytes() == (
        TESTFILES / "float32_pmap_explicit.dcm"
    ).read_bytes()
    again = convert(source, tmp_path / "out", RLE)
    assert again.counts() == {"converted": 0, "skipped": 2, "failed": 1}


def test_a_dicomdir_is_copied_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "media"
    source.mkdir()
    shutil.copyfile(TESTFILES / "ct_int16_explicit.dcm", source / "IMG1")
    run_tool("dcmmkdir", "-q", "+I", "+D", source / "DICOMDIR", "+id", source, "IMG1")
    out = tmp_path / "out"
    report = convert(source, out, RLE)
    assert report.counts() == {"converted": 2, "skipped": 0, "failed": 0}
    reasons = {Path(r.source).name: r.reason for r in report.records}
    assert reasons["DICOMDIR"].startswith("DICOMDIR copied unchanged")
    assert (out / "DICOMDIR").read_bytes() == (source / "DICOMDIR").read_bytes()
    assert dicomcore.dcmread(out / "IMG1").file_meta.TransferSyntaxUID == RLE
    again = convert(source, out, RLE)
    assert again.counts() == {"converted": 0, "skipped": 2, "failed": 0}


def test_lossy_conversion_gets_new_instance_uids_unless_kept(
    tree: Path, tmp_path: Path
) -> None:
    pytest.importorskip("jpeg_ls", reason='needs pip install "dicomcore[jpegls]"')
    source = tree / "a" / "multi.dcm"
    original = dicomcore.dcmread(source).SOPInstanceUID
    convert(source, tmp_path / "new", "jpegls-near-lossless")
    lossy = dicomcore.dcmread(tmp_path / "new" / "multi.dcm")
    assert lossy.SOPInstanceUID != original
    assert lossy.LossyImageCompression == "01"
    convert(source, tmp_path / "kept", JPEG_LS_NEAR, generate_instance_uid=False)
    assert dicomcore.dcmread(tmp_path / "kept" / "multi.dcm").SOPInstanceUID == (
        original
    )


def test_ctrl_c_stops_with_the_report_of_the_files_done(
    tree: Path, tmp_path: Path
) -> None:
    def stop_after_two(record: FileRecord, done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    report_path = tmp_path / "r.json"
    with pytest.raises(ConversionInterrupted) as caught:
        convert(
            tree, tmp_path / "out", RLE, progress=stop_after_two, report=report_path
        )
    report = caught.value.report
    assert report.interrupted and not report.ok
    assert len(report.records) == 6  # every input, once
    assert len({record.source for record in report.records}) == 6
    untried = [
        record
        for record in report.records
        if record.reason == "not converted: the conversion was interrupted"
    ]
    assert len(untried) == 4
    assert "not converted: the conversion was interrupted: 4 files" in (
        report.summary().splitlines()
    )
    assert json.loads(report_path.read_text())["interrupted"] is True
    assert not temporaries(tmp_path / "out")


# -- worker processes ------------------------------------------------------------------


@pytest.fixture
def many(tmp_path: Path) -> Path:
    source = tmp_path / "many"
    source.mkdir()
    for index in range(12):
        shutil.copyfile(TESTFILES / "ct_int16_explicit.dcm", source / f"{index:02}.dcm")
    (source / "readme.txt").write_text("not DICOM\n")
    return source


@pytest.mark.parametrize("start_method", ["spawn", "fork"])
def test_workers_give_the_same_outputs(
    many: Path, tmp_path: Path, start_method: str
) -> None:
    out = tmp_path / "out"
    report = convert(many, out, RLE, workers=2, start_method=start_method)
    assert report.counts() == {"converted": 12, "skipped": 1, "failed": 0}
    assert report.workers == 2
    assert [Path(r.source).name for r in report.records] == sorted(
        path.name for path in many.iterdir()
    )
    expected = pixels(TESTFILES / "ct_int16_explicit.dcm")
    for index in range(12):
        np.testing.assert_array_equal(pixels(out / f"{index:02}.dcm"), expected)


def test_killed_workers_leave_no_partial_file_and_their_files_are_retried(
    many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    before = digests(many)
    # Each worker process dies while writing its second output, after the
    # bytes reached the temporary file and before the rename; its file goes
    # to a fresh process, which converts it as its first.
    monkeypatch.setenv(TEST_EXIT_ENV, "2")
    first = convert(many, out, RLE, workers=2, start_method="fork")
    assert first.counts() == {"converted": 12, "skipped": 1, "failed": 0}
    assert len(first.records) == len({r.source for r in first.records}) == 13
    assert not temporaries(out)
    assert digests(many) == before
    expected = pixels(TESTFILES / "ct_int16_explicit.dcm")
    for index in range(12):  # whole files only: each one reads back exactly
        np.testing.assert_array_equal(pixels(out / f"{index:02}.dcm"), expected)

    monkeypatch.delenv(TEST_EXIT_ENV)
    second = convert(many, out, RLE, workers=2, start_method="spawn")
    assert second.counts() == {"converted": 0, "skipped": 13, "failed": 0}
    assert not temporaries(out)


# -- the report -----------------------------------------------------------------------


def test_report_text_and_json() -> None:
    report = ConversionReport(transfer_syntax=RLE, destination="out", seconds=2.0)
    report.records = [
        FileRecord("a.dcm", "out/a.dcm", "converted", "", 3 * 1024**2, 1024, 0.5),
        FileRecord("b.dcm", "out/b.dcm", "skipped", "already converted", 10, 10),
        FileRecord("c.txt", "out/c.txt", "failed", "not a DICOM file", 5),
    ]
    assert report.summary().splitlines() == [
        "converted 1, skipped 1, failed 1 in 2.0 s (1.5 files/s); "
        "3.0 MiB in, 1.0 KiB out",
        "failed: c.txt: not a DICOM file",
    ]
    data = json.loads(report.to_json())
    assert data["counts"] == {"converted": 1, "skipped": 1, "failed": 1}
    assert (data["bytes_in"], data["bytes_out"]) == (3 * 1024**2, 1024)
    assert data["files"][2] == {
        "source": "c.txt",
        "destination": "out/c.txt",
        "status": "failed",
        "reason": "not a DICOM file",
        "bytes_in": 5,
        "bytes_out": 0,
        "seconds": 0.0,
        "warnings": [],
    }
    assert [format_bytes(n) for n in (5, 1536, 5 * 1024**3, 3 * 1024**4)] == [
        "5 B",
        "1.5 KiB",
        "5.0 GiB",
        "3.0 TiB",
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("mono16_explicit_nometa.dcm", ""),
        ("ct_int16_implicit_nometa.dcm", ""),
        (
            "quirks/nometa_implicit_group0008.dcm",
            "no pixel data: only the transfer syntax changed",
        ),
    ],
)
def test_a_dataset_without_file_meta_is_converted_as_read_with_force(
    tmp_path: Path, name: str, reason: str
) -> None:
    source = TESTFILES / name
    output = tmp_path / "out.dcm"
    record = convert_one(str(source), str(output), RLE)
    assert (record.status, record.reason) == ("converted", reason)
    converted = pydicom.dcmread(output)
    assert converted.file_meta.TransferSyntaxUID == RLE
    assert output.read_bytes()[128:132] == b"DICM"
    original = pydicom.dcmread(source, force=True)
    assert converted.SOPInstanceUID == original.SOPInstanceUID
    if "PixelData" in original:
        # pydicom needs the transfer syntax the bytes are in to decode them
        original.file_meta = pydicom.dataset.FileMetaDataset()
        original.file_meta.TransferSyntaxUID = (
            pydicom.uid.ImplicitVRLittleEndian
            if original.original_encoding[0]
            else pydicom.uid.ExplicitVRLittleEndian
        )
        np.testing.assert_array_equal(converted.pixel_array, original.pixel_array)


def test_a_file_that_is_not_a_dataset_stays_skipped(tmp_path: Path) -> None:
    text = tmp_path / "notes.dcm"
    text.write_text("not DICOM, though named .dcm\n" * 20)
    record = convert_one(str(text), str(tmp_path / "out.dcm"), RLE)
    assert (record.status, record.reason) == ("skipped", "not a DICOM file")
    assert not (tmp_path / "out.dcm").exists()
