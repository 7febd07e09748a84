"""Faults a conversion must survive without losing a file: each probe runs
the real command (kills and signals on real processes, full disks on a
small tmpfs) and checks that no source changed, that every output decodes,
by pydicom, to its source's pixels, and that the report lists every input
once."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from interop import TESTFILES

from dicomcore.batch import convert
from dicomcore.batch.convert import TEST_DELAY_ENV, TEST_POISON_ENV
from dicomcore.batch.state import JOURNAL_NAME
from dicomcore.io.writer import is_temporary

RLE = "1.2.840.10008.1.2.5"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
KINDS = (
    "ct_int16_explicit.dcm",
    "mono16_5frames_explicit.dcm",
    "mono8_explicit.dcm",
    "mono16_explicit.dcm",
)


# -- helpers --------------------------------------------------------------------------


def make_files(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        path = folder / f"{index:02}.dcm"
        shutil.copyfile(TESTFILES / KINDS[index % len(KINDS)], path)
        paths.append(path)
    return paths


def snapshot(*folders: Path) -> dict[str, str]:
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def temporaries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if is_temporary(path.name)]


def same_pixels(output: str | Path, source: str | Path) -> None:
    """pydicom, not dicomcore, decodes both."""
    np.testing.assert_array_equal(
        pydicom.dcmread(output).pixel_array, pydicom.dcmread(source).pixel_array
    )


def check_report(report: dict[str, Any], inputs: list[Path]) -> dict[str, Any]:
    """Every input once; each output there decodes to its source's pixels.
    Returns the records by source."""
    files = report["files"]
    sources = [entry["source"] for entry in files]
    assert sorted(sources) == sorted(str(path) for path in inputs)
    assert len(set(sources)) == len(sources)
    for entry in files:
        if (entry["status"], entry["reason"]) in (
            ("converted", ""),
            ("skipped", "already converted"),
        ):
            same_pixels(entry["destination"], entry["source"])
    return {entry["source"]: entry for entry in files}


def command(*arguments: str | os.PathLike[str]) -> list[str]:
    return [sys.executable, "-m", "dicomcore.cli", "convert", *map(str, arguments)]


def run(
    *arguments: str | os.PathLike[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*arguments),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            text = Path(f"/proc/{entry}/stat").read_text()
            # pid (comm) state ppid ...: comm may hold spaces
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] != "Z"


def wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def outputs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.dcm"))


# -- 1: a source is never overwritten --------------------------------------------------


@pytest.mark.parametrize("form", ["files", "folder"])
def test_a_destination_that_is_a_source_is_refused(tmp_path: Path, form: str) -> None:
    folder = tmp_path / "X"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(TESTFILES / "ct_int16_explicit.dcm", folder / "sub" / "a.dcm")
    shutil.copyfile(TESTFILES / "mono16_explicit.dcm", folder / "a.dcm")
    before = snapshot(folder)
    first = folder / "sub" / ("a.dcm" if form == "files" else "")
    result = run(first, folder / "a.dcm", "-o", folder, "--to", "rle")
    assert result.returncode == 1, result.stderr
    assert snapshot(folder) == before  # neither source changed
    assert not temporaries(folder)
    assert result.stdout.splitlines()[1:] == [
        f"failed: {folder / 'sub' / 'a.dcm'}: refused: its destination "
        f"{folder / 'a.dcm'} is a source of this conversion",
        f"failed: {folder / 'a.dcm'}: the destination is the source file",
    ]


def test_a_destination_linked_to_a_source_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "src" / "a.dcm"
    make_files(source.parent, 1)
    (source.parent / "00.dcm").rename(source)
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.dcm").symlink_to(source)
    before = snapshot(source.parent)
    report = convert([source], out, RLE)
    assert snapshot(source.parent) == before
    (record,) = report.records
    assert (record.status, record.reason) == (
        "failed",
        "the destination is the source file",
    )


# -- 2: symbolic links to folders -----------------------------------------------------


def test_symbolic_links_to_folders_are_followed_once(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    make_files(tree, 2)
    elsewhere = tmp_path / "elsewhere"
    make_files(elsewhere, 2, start=2)
    (tree / "linked").symlink_to(elsewhere)
    (tree / "again").symlink_to(elsewhere)  # a second way to the same files
    (tree / "loop").symlink_to(tree)  # a loop
    (tree / "dangling.dcm").symlink_to(tmp_path / "gone.dcm")
    before = snapshot(tree, elsewhere)
    out = tmp_path / "out"
    result = run(tree, "-o", out, "--to", "rle", "--report", tmp_path / "r.json")
    assert result.returncode == 1, result.stderr
    assert snapshot(tree, elsewhere) == before
    report = json.loads((tmp_path / "r.json").read_text())
    # the linked files are listed by their first path, and once
    inputs = [
        tree / "00.dcm",
        tree / "01.dcm",
        tree / "again" / "02.dcm",
        tree / "again" / "03.dcm",
        tree / "dangling.dcm",
    ]
    records = check_report(report, inputs)
    assert report["counts"] == {"converted": 4, "skipped": 0, "failed": 1}
    dangling = records[str(tree / "dangling.dcm")]
    assert dangling["reason"] == "cannot read: No such file or directory"
    same_pixels(out / "again" / "03.dcm", elsewhere / "03.dcm")


# -- 3: what a resume trusts -----------------------------------------------------------


def test_a_source_replaced_with_an_older_time_is_converted_again(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 4)
    out = tmp_path / "out"
    assert convert(source, out, RLE).counts()["converted"] == 4
    assert (out / JOURNAL_NAME).is_file()
    # Replaced by other content, with the old file's time (tar, cp -p).
    old = inputs[0].stat()
    shutil.copyfile(TESTFILES / "mono16_5frames_explicit.dcm", inputs[0])
    os.utime(inputs[0], ns=(old.st_atime_ns, old.st_mtime_ns))
    # Copied over itself with its time kept: the same content, skipped.
    shutil.copy2(inputs[1], tmp_path / "copy.dcm")
    shutil.copy2(tmp_path / "copy.dcm", inputs[1])
    before = snapshot(source)
    again = convert(source, out, RLE, report=tmp_path / "r.json")
    assert snapshot(source) == before
    records = check_report(json.loads((tmp_path / "r.json").read_text()), inputs)
    assert records[str(inputs[0])]["status"] == "converted"
    assert again.counts() == {"converted": 1, "skipped": 3, "failed": 0}
    same_pixels(out / "00.dcm", TESTFILES / "mono16_5frames_explicit.dcm")


def test_other_settings_or_a_changed_output_are_converted_again(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 3)
    out = tmp_path / "out"
    convert(source, out, RLE)
    with_table = convert(source, out, RLE, encapsulate_ext=True)
    assert with_table.counts() == {"converted": 3, "skipped": 0, "failed": 0}
    assert "ExtendedOffsetTable" in pydicom.dcmread(out / "00.dcm")
    # an output replaced by something else of the right kind
    shutil.copyfile(TESTFILES / "ct_int16_rle.dcm", out / "01.dcm")
    third = convert(source, out, RLE, encapsulate_ext=True)
    assert [Path(r.source).name for r in third.converted] == ["01.dcm"]
    for path in inputs:
        same_pixels(out / path.name, path)


def test_a_tree_without_a_journal_is_converted_again(tmp_path: Path) -> None:
    source = tmp_path / "src"
    make_files(source, 2)
    out = tmp_path / "out"
    convert(source, out, RLE)
    (out / JOURNAL_NAME).unlink()
    again = convert(source, out, RLE)
    assert again.counts() == {"converted": 2, "skipped": 0, "failed": 0}
    journal = [
        json.loads(line) for line in (out / JOURNAL_NAME).read_text().splitlines()
    ]
    assert sorted(entry["output"] for entry in journal) == ["00.dcm", "01.dcm"]
    assert journal[0]["state"]["size"] == (source / journal[0]["output"]).stat().st_size


# -- 5: no hang when workers die at shutdown -------------------------------------------


def test_workers_killed_at_the_end_do_not_hang_the_pool(tmp_path: Path) -> None:
    import multiprocessing

    source = tmp_path / "src"
    inputs = make_files(source, 6)
    before = snapshot(source)
    killed: list[int] = []

    def kill_workers(record: Any, done: int, total: int) -> None:
        if done == total - 1:
            for child in multiprocessing.active_children():
                if child.name == "dicomcore-convert-worker" and child.pid:
                    os.kill(child.pid, signal.SIGKILL)
                    killed.append(child.pid)

    signal.alarm(60)  # a hang fails the test instead of the run
    try:
        started = time.monotonic()
        report = convert(
            source,
            tmp_path / "out",
            RLE,
            workers=2,
            progress=kill_workers,
            report=tmp_path / "r.json",
        )
        assert time.monotonic() - started < 30
    finally:
        signal.alarm(0)
    assert killed
    assert snapshot(source) == before
    check_report(json.loads((tmp_path / "r.json").read_text()), inputs)
    assert report.counts() == {"converted": 6, "skipped": 0, "failed": 0}
    assert not temporaries(tmp_path / "out")


# -- 6: kill -9 and SIGTERM of the command --------------------------------------------


def start_slow(source: Path, out: Path, report: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        command(source, "-o", out, "--to", "rle", "--workers", "2", "--report", report),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, TEST_DELAY_ENV: "0.3"},
    )
    assert wait_for(lambda: len(outputs(out)) >= 1, 60), "no output appeared"
    return process


def test_kill_9_of_the_command_takes_its_workers_with_it(tmp_path: Path) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 16)
    before = snapshot(source)
    out = tmp_path / "out"
    process = start_slow(source, out, tmp_path / "r.json")
    workers = children(process.pid)
    assert len(workers) == 2
    process.kill()
    process.communicate(timeout=30)
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 5)
    done = len(outputs(out))
    time.sleep(1)  # nothing goes on converting
    assert len(outputs(out)) == done < 16

    result = run(source, "-o", out, "--to", "rle", "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    assert snapshot(source) == before
    report = json.loads((tmp_path / "r.json").read_text())
    check_report(report, inputs)
    assert report["counts"]["skipped"] >= done - 2  # a kill may cut a journal line
    assert report["counts"]["converted"] + report["counts"]["skipped"] == 16
    assert not temporaries(out)


def test_sigterm_stops_like_ctrl_c_with_the_report(tmp_path: Path) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 16)
    before = snapshot(source)
    out = tmp_path / "out"
    process = start_slow(source, out, tmp_path / "r.json")
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 143, stderr
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 5)
    assert "Traceback" not in stderr
    assert "interrupted: the files not converted are listed" in stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["interrupted"] is True
    records = check_report(report, inputs)
    untried = [
        entry
        for entry in records.values()
        if entry["reason"] == "not converted: the conversion was interrupted"
    ]
    assert untried
    assert report["counts"]["converted"] == len(outputs(out)) == 16 - len(untried)
    assert snapshot(source) == before
    assert not temporaries(out)


def test_an_output_renamed_into_place_before_its_record_was_sent_is_reported(
    tmp_path: Path,
) -> None:
    # A stop can kill a worker between renaming an output into place and
    # sending its record: the driver finds the output and reports it.
    from dicomcore.batch.convert import (
        _Entry,
        _file_identity,
        _finished_unreported,
        _Task,
        convert_one,
    )
    from dicomcore.uid import RLELossless

    (source,) = make_files(tmp_path / "src", 1)
    destination = tmp_path / "out" / "00.dcm"
    task = _Task(0, _Entry(str(source), str(destination)))
    assert _finished_unreported(task, RLELossless) is None  # nothing written
    written = convert_one(str(source), str(destination), RLELossless)
    assert written.status == "converted"
    record = _finished_unreported(task, RLELossless)
    assert record is not None
    assert (record.status, record.reason) == ("converted", "")
    assert record.bytes_out == destination.stat().st_size
    assert record.state == written.state
    same_pixels(destination, source)
    # an output that was there before the file was sent is not this run's
    task.destination_before = _file_identity(str(destination))
    assert _finished_unreported(task, RLELossless) is None


# -- 7: a poison file ------------------------------------------------------------------


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_poison_file_is_named_and_the_others_converted(
    tmp_path: Path, workers: str
) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 6)
    before = snapshot(source)
    out = tmp_path / "out"
    arguments = (source, "-o", out, "--to", "rle", "--workers", workers)
    poison = {TEST_POISON_ENV: "03.dcm"}
    for attempt in range(2):  # a resume gets past it too
        result = run(*arguments, "--report", tmp_path / "r.json", env=poison)
        assert result.returncode == 1, result.stderr
        assert snapshot(source) == before
        report = json.loads((tmp_path / "r.json").read_text())
        records = check_report(report, inputs)
        culprit = records[str(source / "03.dcm")]
        assert culprit["status"] == "failed"
        assert culprit["reason"] == (
            "not converted: the process converting it died (killed by SIGKILL), "
            "and again in a fresh process: this file kills its converter"
        )
        expected = {"converted": 5, "skipped": 0, "failed": 1}
        if attempt:
            expected = {"converted": 0, "skipped": 5, "failed": 1}
        assert report["counts"] == expected
        assert f"failed: {source / '03.dcm'}: not converted:" in result.stdout
        assert not temporaries(out)
    result = run(*arguments)
    assert result.returncode == 0
    same_pixels(out / "03.dcm", source / "03.dcm")


# -- 10: smaller ones ------------------------------------------------------------------


def test_converting_in_place_is_refused_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "src"
    make_files(source, 1)
    before = snapshot(source)
    result = run(source, "-o", source, "--to", "rle")
    assert result.returncode == 2
    assert result.stderr == (
        f"dicomcore convert: the destination '{source}' is the source folder "
        "itself; sources are never modified\n"
    )
    assert snapshot(source) == before


def test_a_destination_blocked_by_a_file_fails_only_that_file(tmp_path: Path) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 2) + make_files(source / "sub", 2, start=2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").write_text("a file where a folder is wanted\n")
    before = snapshot(source)
    for workers in ("1", "2"):
        result = run(
            source, "-o", out, "--to", "rle", "--workers", workers,
            "--report", tmp_path / "r.json",
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        report = json.loads((tmp_path / "r.json").read_text())
        records = check_report(report, inputs)
        for name in ("02.dcm", "03.dcm"):
            entry = records[str(source / "sub" / name)]
            assert entry["status"] == "failed"
            assert entry["reason"].startswith("cannot write: ")
            assert "Not a directory" in entry["reason"] or "exists" in entry["reason"]
        assert report["counts"]["failed"] == 2
        assert report["counts"]["converted"] + report["counts"]["skipped"] == 2
    assert snapshot(source) == before
    assert (out / "sub").read_text() == "a file where a folder is wanted\n"


def test_a_report_that_cannot_be_written_is_found_first(tmp_path: Path) -> None:
    source = tmp_path / "src"
    make_files(source, 2)
    report = tmp_path / "missing" / "r.json"
    result = run(source, "-o", tmp_path / "out", "--to", "rle", "--report", report)
    assert result.returncode == 2
    assert result.stderr == (
        f"dicomcore convert: cannot write the report {report}: the folder "
        f"{report.parent} does not exist\n"
    )
    assert not (tmp_path / "out").exists()  # found before any conversion


def test_a_file_listed_twice_is_converted_and_reported_once(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (path,) = make_files(source, 1)
    result = run(
        path, path, source, "-o", tmp_path / "out", "--to", "rle",
        "--report", tmp_path / "r.json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    check_report(report, [path])
    assert report["counts"] == {"converted": 1, "skipped": 0, "failed": 0}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 160 KiB tmpfs (the tests run as root here and in CI)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_run_with_a_clear_summary(
    tmp_path: Path, small_disk: Path
) -> None:
    source = tmp_path / "src"
    inputs = [
        *make_files(source, 40),
    ]
    before = snapshot(source)
    out = small_disk / "out"
    result = run(
        source, "-o", out, "--to", "explicit", "--workers", "2",
        "--report", tmp_path / "r.json",
    )  # fmt: skip
    assert result.returncode == 1
    assert snapshot(source) == before
    report = json.loads((tmp_path / "r.json").read_text())
    records = check_report(report, inputs)
    full = [
        entry
        for entry in records.values()
        if entry["reason"] == "cannot write: no space left on the destination's disk"
    ]
    untried = [
        entry
        for entry in records.values()
        if entry["reason"] == "not converted: the destination's disk is full"
    ]
    assert full and untried
    converted = report["counts"]["converted"]
    assert converted + len(full) + len(untried) == 40
    assert len(outputs(out)) == converted
    lines = result.stdout.splitlines()
    assert f"not converted: the destination's disk is full: {len(untried)} files" in (
        lines
    )
    assert len(lines) == 2 + len(full)  # not a line per file left
    assert not temporaries(out)


# -- 11: manners -----------------------------------------------------------------------


def test_files_that_are_not_dicom_are_skipped_and_float_pixels_copied(
    tmp_path: Path,
) -> None:
    source = tmp_path / "testfiles"
    source.mkdir()
    for name in (
        "README.md",
        "manifest.json",
        "make_testfiles.py",
        "ct_int16_explicit.dcm",
        "float32_pmap_explicit.dcm",
        "float64_pmap_explicit.dcm",
    ):
        shutil.copyfile(TESTFILES / name, source / name)
    shutil.copyfile(
        TESTFILES / "processing" / "renderings" / "palette8.ppm", source / "p.ppm"
    )
    before = snapshot(source)
    out = tmp_path / "out"
    result = run(source, "-o", out, "--to", "rle", "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[0].startswith(
        "converted 3, skipped 4 (4 not DICOM), failed 0 in "
    )
    report = json.loads((tmp_path / "r.json").read_text())
    records = check_report(report, sorted(source.iterdir()))
    for name in ("README.md", "manifest.json", "make_testfiles.py", "p.ppm"):
        assert (
            records[str(source / name)]["status"],
            records[str(source / name)]["reason"],
        ) == ("skipped", "not a DICOM file")
        assert not (out / name).exists()
    for name in ("float32_pmap_explicit.dcm", "float64_pmap_explicit.dcm"):
        entry = records[str(source / name)]
        assert entry["status"] == "converted"
        assert entry["reason"].startswith("Float Pixel Data is always native")
        assert (out / name).read_bytes() == (source / name).read_bytes()
        written = pydicom.dcmread(out / name)
        assert written.file_meta.TransferSyntaxUID == EXPLICIT_LE
    same_pixels(out / "ct_int16_explicit.dcm", source / "ct_int16_explicit.dcm")
    assert pydicom.dcmread(
        out / "ct_int16_explicit.dcm"
    ).file_meta.TransferSyntaxUID == (RLE)
    assert snapshot(source) == before
    again = run(source, "-o", out, "--to", "rle")
    assert again.stdout.startswith("converted 0, skipped 7 (4 not DICOM), failed 0")


def test_float_pixels_are_written_in_a_native_target(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    shutil.copyfile(TESTFILES / "float32_pmap_explicit.dcm", source / "f.dcm")
    report = convert(source, tmp_path / "out", "implicit")
    (record,) = report.records
    assert (record.status, record.reason) == ("converted", "")
    written = pydicom.dcmread(tmp_path / "out" / "f.dcm")
    assert written.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2"
    np.testing.assert_array_equal(
        written.pixel_array, pydicom.dcmread(source / "f.dcm").pixel_array
    )


def test_a_fifo_in_the_tree_is_skipped_unopened(tmp_path: Path) -> None:
    source = tmp_path / "src"
    inputs = make_files(source, 1)
    os.mkfifo(source / "pipe")  # opening it to read would wait for a writer
    report = convert(source, tmp_path / "out", RLE, report=tmp_path / "r.json")
    records = check_report(
        json.loads((tmp_path / "r.json").read_text()), [*inputs, source / "pipe"]
    )
    assert (
        records[str(source / "pipe")]["status"],
        records[str(source / "pipe")]["reason"],
    ) == ("skipped", "not a regular file")
    assert report.ok


def test_the_parent_watch_ends_a_worker_where_the_kernel_is_not_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dicomcore.batch.convert import _die_with_parent

    monkeypatch.setattr(sys, "platform", "darwin")  # no prctl: the thread only
    read_end, write_end = os.pipe()
    parent = os.fork()
    if parent == 0:  # a stand-in for the command
        try:
            # Named before the fork: a worker scheduled only after its parent
            # was killed would otherwise watch whoever adopted it.
            stand_in = os.getpid()
            worker = os.fork()
            if worker == 0:
                _die_with_parent(stand_in)
                time.sleep(30)
                os._exit(0)
            os.write(write_end, str(worker).encode())
            time.sleep(30)
        finally:
            os._exit(0)
    os.close(write_end)
    worker = int(os.read(read_end, 32))
    os.close(read_end)
    assert alive(worker)
    os.kill(parent, signal.SIGKILL)
    os.waitpid(parent, 0)
    assert wait_for(lambda: not alive(worker), 5)
