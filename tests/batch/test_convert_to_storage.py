"""dicomcore.batch.convert into object storage: fsspec's ``memory://`` file
system for the fast cases (in this process, ``workers=0``), and a real S3
endpoint started here (moto's server mode, s3fs the client) for worker
processes and the command.

Every output is compared byte for byte with a conversion of the same
sources into a local folder."""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from interop import copy_testfiles
from s3_server import s3_endpoint

from dicomcore.batch import ConversionInterrupted, convert, plan_conversion
from dicomcore.batch.convert import TEST_EXIT_ENV, stored_incomplete_reason
from dicomcore.batch.report import NOT_CONVERTED_STAGING_FULL, STAGING_FULL
from dicomcore.batch.state import stored_journal_path
from dicomcore.io import remote
from dicomcore.io.writer import is_temporary

fsspec = pytest.importorskip("fsspec")
from fsspec.implementations.memory import MemoryFileSystem  # noqa: E402 - after the skip

RLE = "1.2.840.10008.1.2.5"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
# source name in testfiles -> path in the tree, and so the key under the
# destination
TREE = {
    "ct_int16_explicit.dcm": "ct.dcm",
    "mono16_5frames_explicit.dcm": "a/multi.dcm",
    "rgb8_planar1_explicit.dcm": "a/b/rgb.dcm",
}
# in the order they are planned: a folder's files, then its folders'
KEYS = ["ct.dcm", "a/multi.dcm", "a/b/rgb.dcm"]
SECRET = "s3cr3t-never-written-26d"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    source = copy_testfiles(TREE, tmp_path / "src")
    return source


@pytest.fixture
def local_outputs(tree: Path, tmp_path: Path) -> dict[str, bytes]:
    """key -> bytes of the same conversion into a local folder."""
    out = tmp_path / "local"
    report = convert([tree], out, "rle", workers=0)
    assert report.counts() == {"converted": 3, "skipped": 0, "failed": 0}
    return {key: (out / key).read_bytes() for key in KEYS}


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, where the journal of a URL destination is."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture
def staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, where outputs are staged."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def memory() -> Iterator[str]:
    """A destination URL of its own in the memory file system."""
    root = f"memory://convert-{uuid.uuid4().hex}"
    try:
        yield f"{root}/out"
    finally:
        fs = fsspec.filesystem("memory")
        if fs.exists(root.removeprefix("memory:/")):
            fs.rm(root.removeprefix("memory:/"), recursive=True)


@pytest.fixture
def puts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The key of every ``put_file`` the memory file system is asked for."""
    sent: list[str] = []
    put_file = MemoryFileSystem.put_file

    def counted(self: Any, local: str, path: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(path)
        return put_file(self, local, path, *args, **kwargs)

    monkeypatch.setattr(MemoryFileSystem, "put_file", counted)
    return sent


def stored(url: str, storage_options: dict[str, Any] | None = None) -> dict[str, bytes]:
    """key under ``url`` -> bytes of every object there."""
    fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
    fs.invalidate_cache()
    return {path[len(root) + 1 :]: fs.cat_file(path) for path in sorted(fs.find(root))}


def journal_text(url: str) -> str:
    return Path(stored_journal_path(url)).read_text(encoding="utf-8")


# -- planning ----------------------------------------------------------------------


def test_keys_are_planned_as_local_outputs_are_named(tree: Path) -> None:
    entries = plan_conversion([tree, "https://host/scans/x.dcm?v=2"], "s3://b/out/")
    assert [(entry.destination, entry.record) for entry in entries] == [
        ("s3://b/out/ct.dcm", None),
        ("s3://b/out/a/multi.dcm", None),
        ("s3://b/out/a/b/rgb.dcm", None),
        ("s3://b/out/x.dcm", None),
    ]


def test_a_destination_that_is_a_source_url_is_refused() -> None:
    # s3fs's file system is what names s3a:// as s3://.
    pytest.importorskip("s3fs")
    entries = plan_conversion(
        ["s3a://b/out/a.dcm", "s3://b/in/c.dcm", "s3://b/out/c.dcm"], "s3://b/out"
    )
    assert [
        (entry.destination, entry.record and entry.record.reason) for entry in entries
    ] == [
        # s3a:// and s3:// are one file system: the same object
        ("s3://b/out/a.dcm", "the destination is the source file"),
        (
            "s3://b/out/c.dcm",
            "refused: its destination s3://b/out/c.dcm is a source of this conversion",
        ),
        ("s3://b/out/c.dcm", "the destination is the source file"),
    ]


def test_the_journal_of_a_url_is_in_the_cache_folder(cache: Path) -> None:
    digest = hashlib.sha256(b"s3://scans/out").hexdigest()[:16]
    assert stored_journal_path("s3://scans/out") == str(
        cache / "dicomcore" / "convert" / f"s3-scans-out-{digest}.jsonl"
    )


# -- into memory:// ------------------------------------------------------------------


def test_convert_into_memory_equals_a_local_conversion(
    tree: Path,
    local_outputs: dict[str, bytes],
    memory: str,
    puts: list[str],
    staging: Path,
) -> None:
    report = convert([tree], memory + "/", "rle", workers=0)
    assert [(record.destination, record.status) for record in report.records] == [
        (f"{memory}/{key}", "converted") for key in KEYS
    ]
    assert report.destination == memory + "/"
    assert stored(memory) == local_outputs
    # one upload per output, straight to its key
    root = memory.removeprefix("memory:/")
    assert puts == [f"{root}/{key}" for key in KEYS]
    assert [record.bytes_out for record in report.records] == [
        len(local_outputs[key]) for key in KEYS
    ]
    assert list(staging.iterdir()) == []
    # The journal is on this machine, one line per output, by its key.
    lines = [json.loads(line) for line in journal_text(memory).splitlines()]
    assert [(line["output"], line["source"]) for line in lines] == [
        (key, str(tree / key)) for key in KEYS
    ]
    assert [line["state"]["output_size"] for line in lines] == [
        len(local_outputs[key]) for key in KEYS
    ]


def test_a_failed_upload_leaves_no_object(
    tree: Path,
    local_outputs: dict[str, bytes],
    memory: str,
    staging: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(remote, "FIRST_WAIT", 0.01)
    put_file = MemoryFileSystem.put_file
    sent: list[str] = []
    dropping = ["/a/multi.dcm"]

    def drops(self: Any, local: str, path: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(path)
        if any(path.endswith(end) for end in dropping):
            raise ConnectionResetError("reset by peer")
        return put_file(self, local, path, *args, **kwargs)

    monkeypatch.setattr(MemoryFileSystem, "put_file", drops)
    report = convert([tree], memory, "rle", workers=0)
    assert [(record.status, record.reason) for record in report.records] == [
        ("converted", ""),
        (
            "failed",
            f"cannot upload: {memory}/a/multi.dcm: the connection dropped "
            "(ConnectionResetError: reset by peer)",
        ),
        ("converted", ""),
    ]
    # tried ATTEMPTS times, then given up
    root = memory.removeprefix("memory:/")
    assert sent.count(f"{root}/a/multi.dcm") == remote.ATTEMPTS == 3
    assert stored(memory) == {
        key: local_outputs[key] for key in ("ct.dcm", "a/b/rgb.dcm")
    }
    assert list(staging.iterdir()) == []
    lines = journal_text(memory).splitlines()
    assert [json.loads(line)["output"] for line in lines] == ["ct.dcm", "a/b/rgb.dcm"]
    # The next run uploads that one only.
    dropping.clear()
    sent.clear()
    again = convert([tree], memory, "rle", workers=0)
    assert [record.status for record in again.records] == [
        "skipped",
        "converted",
        "skipped",
    ]
    assert sent == [f"{root}/a/multi.dcm"]
    assert stored(memory) == local_outputs


def test_a_resume_compares_size_transfer_syntax_and_frames(
    tree: Path,
    local_outputs: dict[str, bytes],
    memory: str,
    puts: list[str],
) -> None:
    convert([tree], memory, "rle", workers=0)
    puts.clear()
    again = convert([tree], memory, "rle", workers=0)
    assert [(record.status, record.reason) for record in again.records] == [
        ("skipped", "already converted")
    ] * 3
    assert [record.bytes_out for record in again.records] == [
        len(local_outputs[key]) for key in KEYS
    ]
    assert puts == []  # nothing uploaded

    fs = fsspec.filesystem("memory")
    root = memory.removeprefix("memory:/")
    # cut short: another size
    fs.pipe_file(f"{root}/ct.dcm", local_outputs["ct.dcm"][:-100])
    # the same size, another transfer syntax (UIDs of one length)
    multi = local_outputs["a/multi.dcm"]
    assert multi.count(RLE.encode()) == 1
    fs.pipe_file(
        f"{root}/a/multi.dcm", multi.replace(RLE.encode(), EXPLICIT_LE.encode())
    )
    assert (
        stored_incomplete_reason(
            f"{memory}/a/multi.dcm", str(tree / "a/multi.dcm"), RLE
        )
        == f"in another transfer syntax ({EXPLICIT_LE})"
    )
    third = convert([tree], memory, "rle", workers=0)
    assert [record.status for record in third.records] == [
        "converted",
        "converted",
        "skipped",
    ]
    assert puts == [f"{root}/ct.dcm", f"{root}/a/multi.dcm"]
    assert stored(memory) == local_outputs

    # the same size and transfer syntax, another Number of Frames
    assert b"IS\x02\x005 " in multi
    fs.pipe_file(f"{root}/a/multi.dcm", multi.replace(b"IS\x02\x005 ", b"IS\x02\x004 "))
    assert (
        stored_incomplete_reason(
            f"{memory}/a/multi.dcm", str(tree / "a/multi.dcm"), RLE
        )
        == "4 frames where its source has 5"
    )
    puts.clear()
    fourth = convert([tree], memory, "rle", workers=0)
    assert [record.status for record in fourth.records] == [
        "skipped",
        "converted",
        "skipped",
    ]
    assert puts == [f"{root}/a/multi.dcm"]
    # an object that is gone is uploaded again
    fs.rm_file(f"{root}/ct.dcm")
    puts.clear()
    fifth = convert([tree], memory, "rle", workers=0)
    assert [record.status for record in fifth.records] == [
        "converted",
        "skipped",
        "skipped",
    ]
    assert puts == [f"{root}/ct.dcm"]
    assert stored(memory) == local_outputs


def test_overwrite_uploads_every_output_again(
    tree: Path, memory: str, puts: list[str]
) -> None:
    convert([tree], memory, "rle", workers=0)
    puts.clear()
    report = convert([tree], memory, "rle", workers=0, overwrite=True)
    assert [record.status for record in report.records] == ["converted"] * 3
    assert len(puts) == 3


def test_interrupted_conversion_removes_its_staging_folder(
    tree: Path,
    local_outputs: dict[str, bytes],
    memory: str,
    staging: Path,
) -> None:
    def stop_after_first(*_: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(ConversionInterrupted) as interrupted:
        convert([tree], memory, "rle", workers=0, progress=stop_after_first)
    assert [record.status for record in interrupted.value.report.records] == [
        "converted",
        "failed",
        "failed",
    ]
    assert stored(memory) == {"ct.dcm": local_outputs["ct.dcm"]}
    assert list(staging.iterdir()) == []


def test_a_full_staging_disk_stops_the_run(
    tree: Path, memory: str, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dicomcore.io import writer

    def disk_full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "atomic_write", disk_full)
    report = convert([tree], memory, "rle", workers=0)
    assert [(record.status, record.reason) for record in report.records] == [
        ("failed", STAGING_FULL),
        ("failed", NOT_CONVERTED_STAGING_FULL),
        ("failed", NOT_CONVERTED_STAGING_FULL),
    ]
    assert report.summary().splitlines()[1:] == [
        f"failed: {tree / 'ct.dcm'}: {STAGING_FULL}",
        f"{NOT_CONVERTED_STAGING_FULL}: 2 files",
    ]
    assert stored(memory) == {}
    assert list(staging.iterdir()) == []


# -- into S3 ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    pytest.importorskip("s3fs")
    pytest.importorskip("moto.server")
    pytest.importorskip("boto3")
    with s3_endpoint("scans") as (url, _):
        yield url


@pytest.fixture
def s3_options(endpoint: str) -> dict[str, Any]:
    return {
        "key": "testing",
        "secret": SECRET,
        "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
    }


def test_convert_into_s3_on_worker_processes(
    tree: Path,
    local_outputs: dict[str, bytes],
    s3_options: dict[str, Any],
    staging: Path,
    tmp_path: Path,
) -> None:
    prefix = f"s3://scans/{uuid.uuid4().hex}"
    report = convert(
        [tree],
        prefix,
        "rle",
        workers=2,
        storage_options=s3_options,
        report=tmp_path / "report.json",
    )
    assert [(record.destination, record.status) for record in report.records] == [
        (f"{prefix}/{key}", "converted") for key in KEYS
    ]
    assert stored(prefix, s3_options) == local_outputs
    assert list(staging.iterdir()) == []
    # The credentials are in no report and no journal.
    assert SECRET not in (tmp_path / "report.json").read_text()
    assert SECRET not in journal_text(prefix)
    assert SECRET not in report.to_json()
    again = convert([tree], prefix, "rle", workers=2, storage_options=s3_options)
    assert [record.status for record in again.records] == ["skipped"] * 3


def test_a_worker_killed_while_writing_leaves_no_object(
    tree: Path,
    local_outputs: dict[str, bytes],
    s3_options: dict[str, Any],
    staging: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each worker process ends itself while writing its second output, its
    # bytes in a staging file: that file goes to a fresh worker.
    monkeypatch.setenv(TEST_EXIT_ENV, "2")
    prefix = f"s3://scans/{uuid.uuid4().hex}"
    left: list[list[str]] = []

    def staged(*_: Any) -> None:
        left.append(
            sorted(
                path.name.split(".dcm.")[0]
                for path in staging.rglob("*")
                if is_temporary(path.name)
            )
        )

    report = convert(
        [tree],
        prefix,
        "rle",
        workers=1,
        storage_options=s3_options,
        start_method="spawn",
        progress=staged,
    )
    assert [(record.status, record.reason) for record in report.records] == [
        ("converted", "")
    ] * 3
    # After the last file: the staging files of the two killed writers,
    # still there until the run ends.
    assert left[-1] == [".dicomcore-multi", ".dicomcore-rgb"]
    assert stored(prefix, s3_options) == local_outputs
    # what the killed workers left behind went with the staging folder
    assert list(staging.iterdir()) == []


def test_cli_convert_into_s3(
    tree: Path,
    local_outputs: dict[str, bytes],
    endpoint: str,
    s3_options: dict[str, Any],
    tmp_path: Path,
    staging: Path,
) -> None:
    from dicomcore.cli import main

    prefix = f"s3://scans/{uuid.uuid4().hex}/"
    arguments = [
        "convert",
        str(tree),
        "-o",
        prefix,
        "--to",
        "rle",
        "--quiet",
        "--workers",
        "2",
        "--report",
        str(tmp_path / "r.json"),
        "--storage-option",
        "key=testing",
        "--storage-option",
        f"secret={SECRET}",
        "--storage-option",
        f"endpoint_url={endpoint}",
    ]
    assert main(arguments) == 0
    assert stored(prefix, s3_options) == local_outputs
    written = json.loads((tmp_path / "r.json").read_text())
    assert [(entry["destination"], entry["status"]) for entry in written["files"]] == [
        (f"{prefix}{key}", "converted") for key in KEYS
    ]
    assert SECRET not in (tmp_path / "r.json").read_text()
    assert SECRET not in journal_text(prefix.rstrip("/"))
    assert list(staging.iterdir()) == []


def test_a_missing_bucket_fails_every_file_and_writes_nothing(
    tree: Path, s3_options: dict[str, Any], staging: Path
) -> None:
    report = convert(
        [tree], "s3://no-such-bucket/out", "rle", storage_options=s3_options
    )
    assert [(record.status, record.reason) for record in report.records] == [
        (
            "failed",
            f"cannot upload: s3://no-such-bucket/out/{key}: no such object "
            "(FileNotFoundError: The specified bucket does not exist)",
        )
        for key in KEYS
    ]
    assert not Path(stored_journal_path("s3://no-such-bucket/out")).exists()
    assert list(staging.iterdir()) == []
