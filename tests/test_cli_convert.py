"""``dicomcore convert`` end to end, as a user runs it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from interop import TESTFILES, copy_testfiles

import dicomcore
from dicomcore.batch import FileRecord
from dicomcore.batch.progress import ProgressBar

RLE = "1.2.840.10008.1.2.5"
SOURCES = {
    "ct_int16_explicit.dcm": "ct.dcm",
    "mono16_5frames_rle.dcm": "series/multi.dcm",
    "rgb8_planar1_explicit.dcm": "series/colour/rgb.dcm",
}


@pytest.fixture
def testdir(tmp_path: Path) -> Path:
    folder = copy_testfiles(SOURCES, tmp_path / "testdir")
    (folder / "series" / "README").write_text("scans from the phantom\n")
    return folder


def run(
    *arguments: str | os.PathLike[str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dicomcore.cli", *map(str, arguments)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_convert_a_folder_to_rle_with_a_report(testdir: Path, tmp_path: Path) -> None:
    result = run(
        *"convert testdir -o out --to rle --report r.json".split(), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr  # README is skipped, not failed
    assert result.stderr == ""  # no terminal: no progress bar
    lines = result.stdout.splitlines()
    assert lines[0].startswith("converted 3, skipped 1 (1 not DICOM), failed 0 in ")
    assert lines[1:] == []

    report = json.loads((tmp_path / "r.json").read_text())
    assert report["transfer_syntax"] == RLE
    assert report["counts"] == {"converted": 3, "skipped": 1, "failed": 0}
    files = {entry["source"]: entry for entry in report["files"]}
    assert len(files) == len(report["files"]) == 4
    readme = files[str(Path("testdir/series/README"))]
    assert (readme["status"], readme["reason"]) == ("skipped", "not a DICOM file")
    assert set(files) == {
        str(Path("testdir") / relative) for relative in SOURCES.values()
    } | {str(Path("testdir/series/README"))}
    for name, relative in SOURCES.items():
        entry = files[str(Path("testdir") / relative)]
        output = tmp_path / "out" / relative
        assert entry["status"] == "converted"
        assert entry["destination"] == str(Path("out") / relative)
        assert entry["bytes_in"] == (testdir / relative).stat().st_size
        assert entry["bytes_out"] == output.stat().st_size
        written = dicomcore.dcmread(output)
        assert written.file_meta.TransferSyntaxUID == RLE
        source = dicomcore.dcmread(TESTFILES / name)
        source.pixel_array_options(as_rgb=False)
        written.pixel_array_options(as_rgb=False)
        np.testing.assert_array_equal(written.pixel_array, source.pixel_array)
    assert report["bytes_out"] == sum(
        (tmp_path / "out" / relative).stat().st_size for relative in SOURCES.values()
    )
    assert not (tmp_path / "out" / "series" / "README").exists()

    again = run(
        *"convert testdir -o out --to RLELossless --workers 2 --report r.json".split(),
        cwd=tmp_path,
    )
    assert again.returncode == 0
    assert again.stdout.startswith("converted 0, skipped 4 (1 not DICOM), failed 0 in ")
    assert json.loads((tmp_path / "r.json").read_text())["counts"]["skipped"] == 4


def test_convert_without_failures_exits_0(testdir: Path, tmp_path: Path) -> None:
    (testdir / "series" / "README").unlink()
    result = run(
        *"convert testdir/ct.dcm testdir/series -o out --to big-endian --quiet".split(),
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert sorted(
        str(path.relative_to(tmp_path / "out"))
        for path in (tmp_path / "out").rglob("*.dcm")
    ) == ["colour/rgb.dcm", "ct.dcm", "multi.dcm"]
    written = dicomcore.dcmread(tmp_path / "out" / "multi.dcm")
    assert written.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.2"


def test_list_and_unknown_names(tmp_path: Path) -> None:
    listed = run("convert", "--list", cwd=tmp_path)
    assert listed.returncode == 0
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names[:4] == ["explicit", "implicit", "big-endian", "deflated"]
    assert {"rle", "jpeg-lossless"} <= set(names)
    unknown = run("convert", "x", "-o", "y", "--to", "zip", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("dicomcore convert: unknown transfer syntax")
    incomplete = run("convert", "x", "--to", "rle", cwd=tmp_path)
    assert incomplete.returncode == 2
    assert incomplete.stderr == "dicomcore convert: -o/--output required\n"


def test_a_progress_bar_on_a_terminal(testdir: Path, tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "dicomcore.cli", "convert", "testdir", "-o", "out"]
        + ["--to", "rle"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(follower)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal's last writer has gone
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = process.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(leader)
    terminal = b"".join(chunks).decode()
    assert process.returncode == 0
    assert "\r[" in terminal
    last = terminal.rstrip("\r\n").split("\r")[-1]
    assert "4/4 files" in last
    assert "files/s" in last and "failed" not in last
    assert stdout.startswith("converted 3, skipped 1 (1 not DICOM), failed 0")


def test_progress_bar_text() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)
    bar(FileRecord("a", "b", "converted", "", 2048, 1024), 1, 2)
    bar(FileRecord("c", "d", "failed", "not a DICOM file", 10), 2, 2)
    bar.close()
    lines = stream.getvalue().split("\r")[1:]
    assert "] 1/2 files  " in lines[0]
    assert "2.0 KiB -> 1.0 KiB" in lines[0]
    assert lines[-1].rstrip().endswith("2.0 KiB -> 1.0 KiB  1 failed")
    assert lines[-1].startswith("[" + "#" * 10)
    assert stream.getvalue().endswith("\n")


def test_storage_options_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from dicomcore import cli

    arguments = cli._parser().parse_args(
        [
            "convert",
            "s3://bucket/a.dcm",
            "-o",
            "out",
            "--to",
            "rle",
            "--storage-option",
            "anon=true",
            "--storage-option",
            "use_ssl=False",
            "--storage-option",
            "max_concurrency=8",
            "--storage-option",
            "endpoint_url=http://127.0.0.1:9000",
            "--storage-option",
            "profile=a=b",
        ]
    )
    assert dict(arguments.storage_option) == {
        "anon": True,
        "use_ssl": False,
        "max_concurrency": 8,
        "endpoint_url": "http://127.0.0.1:9000",
        "profile": "a=b",
    }
    # They reach the conversion's options.
    seen = {}

    def fake_convert(*_: object, options: object, **__: object) -> object:
        seen["options"] = options
        raise ValueError("stopped here")

    monkeypatch.setattr("dicomcore.batch.convert", fake_convert)
    assert (
        cli.main(
            [
                "convert",
                "s3://b/a.dcm",
                "-o",
                "out",
                "--to",
                "rle",
                "--storage-option",
                "anon=true",
            ]
        )
        == 2
    )
    assert seen["options"].storage_options == {"anon": True}


def test_a_storage_option_without_a_value_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dicomcore.cli import main

    with pytest.raises(SystemExit) as exited:
        main(
            ["convert", "a.dcm", "-o", "out", "--to", "rle", "--storage-option", "anon"]
        )
    assert exited.value.code == 2
    assert "expected KEY=VALUE, got 'anon'" in capsys.readouterr().err


def test_object_storage_destination_on_a_dask_cluster_is_refused(
    testdir: Path, tmp_path: Path
) -> None:
    from dicomcore.batch import convert

    # Refused before the client is used: any object stands for one.
    with pytest.raises(ValueError) as refused:
        convert([testdir], "s3://bucket/prefix/", "rle", client=object())  # type: ignore[arg-type]  # never used
    assert str(refused.value) == (
        "the destination s3://bucket/prefix/ is a URL: converting into object "
        "storage runs on local processes, not on a Dask cluster; leave out the "
        "client (--dask), or convert into a shared folder"
    )
    # A file:// URL names a local folder.
    out = tmp_path / "from-url"
    report = convert([testdir / "ct.dcm"], out.as_uri(), "rle", workers=0)
    assert [record.status for record in report.records] == ["converted"]
    assert dicomcore.dcmread(out / "ct.dcm").file_meta.TransferSyntaxUID == RLE
