"""dicomcore.batch.dask: conversion on a Dask cluster gives the local path's
outputs, byte for byte, and survives workers that die mid-write.

The cluster is a ``distributed.LocalCluster`` of two single-threaded worker
processes listening on 127.0.0.1 only.  Its scheduler gives up on a task after
two worker deaths (``allowed-failures`` 1, Dask's default is 3) so that the
tests see both Dask's own rerun and dicomcore's resubmission.  The tests that
need it are marked ``dask`` (``-m "not dask"`` deselects them); without
``dask[distributed]`` they skip, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from interop import copy_testfiles

from dicomcore.batch import (
    ConversionInterrupted,
    ConvertOptions,
    FileRecord,
    convert,
)
from dicomcore.batch.dask import TEST_EXIT_ENV, MissingDaskError, connect
from dicomcore.batch.state import JOURNAL_NAME
from dicomcore.cli import main
from dicomcore.io.writer import is_temporary

RLE = "1.2.840.10008.1.2.5"
EXPLICIT_LE = "1.2.840.10008.1.2.1"

# Files every installation converts to RLE and to Explicit VR Little Endian
# with the bundled codecs alone: each native transfer syntax, RLE from DCMTK
# and GDCM, 8 to 32 bits, signed, multi-frame, colour, planar, no pixel data.
# source name in testfiles -> path in the tree
TREE = {
    "ct_int16_explicit.dcm": "ct/explicit.dcm",
    "ct_int16_implicit.dcm": "ct/implicit.dcm",
    "ct_int16_bigendian.dcm": "ct/bigendian.dcm",
    "ct_int16_rle.dcm": "ct/rle.dcm",
    "mono16_5frames_explicit.dcm": "multi/frames5.dcm",
    "mono16_5frames_rle_gdcm.dcm": "multi/frames5_rle_gdcm.dcm",
    "mono16_deflated.dcm": "mono/deflated.dcm",
    "mono12s_explicit.dcm": "mono/signed12.dcm",
    "mono12u_dirty_explicit.dcm": "mono/dirty12.dcm",
    "mono32u_rle.dcm": "mono/unsigned32_rle.dcm",
    "mono8_odd_explicit.dcm": "mono/odd8.dcm",
    "rgb8_planar0_bigendian.dcm": "colour/planar0_bigendian.dcm",
    "rgb8_planar1_explicit.dcm": "colour/planar1.dcm",
    "rgb8_rle.dcm": "colour/rle.dcm",
    "ybr_full8_explicit.dcm": "colour/ybr_full.dcm",
    "rtplan_undefined_length_implicit.dcm": "plan.dcm",
}
NOT_DICOM = "notes.txt"


def require_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        message = 'dask.distributed is not installed: pip install "dicomcore[dask]"'
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return distributed


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A two-worker local cluster, its client, and the folder of the test hook
    that makes workers die (:data:`dicomcore.batch.dask.TEST_EXIT_ENV`)."""
    distributed = require_distributed()
    import dask

    deaths = tmp_path_factory.mktemp("deaths")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        local = distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            # for the worker processes only (and those restarted after a
            # death), never this one
            env={TEST_EXIT_ENV: str(deaths)},
        )
    client = distributed.Client(local, set_as_default=False)
    try:
        yield client, deaths
    finally:
        client.close()
        local.close()


@pytest.fixture
def client(cluster: tuple[Any, Path]) -> Any:
    dask_client, deaths = cluster
    for marker in deaths.iterdir():
        marker.unlink()
    # a test that killed workers leaves the nannies restarting them
    dask_client.wait_for_workers(2, timeout=60)
    return dask_client


@pytest.fixture
def deaths(cluster: tuple[Any, Path]) -> Path:
    return cluster[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    source = copy_testfiles(TREE, tmp_path / "src")
    (source / NOT_DICOM).write_text("not DICOM\n")
    return source


def digests(folder: Path) -> dict[str, str]:
    """The outputs' digests (the resume journal, which records times, aside)."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != JOURNAL_NAME
    }


def temporaries(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if is_temporary(path.name)]


def comparable(record: FileRecord, destination: Path) -> tuple[Any, ...]:
    """A record without its timing, its destination relative to the tree."""
    relative = os.path.relpath(record.destination, destination)
    return (
        record.source,
        relative,
        record.status,
        record.reason,
        record.bytes_in,
        record.bytes_out,
        record.warnings,
    )


def planned_sources(tree: Path) -> list[str]:
    return sorted(str(path) for path in tree.rglob("*") if path.is_file())


def die(deaths: Path, relative: str, times: int) -> None:
    """Make the workers die ``times`` times while writing the output of
    ``relative`` (a path in TREE; the hook goes by file name)."""
    name = Path(relative).name
    assert [Path(path).name for path in TREE.values()].count(name) == 1
    (deaths / name).write_text(str(times))


class CountingClient:
    """A client that counts the tasks submitted and, at each submission, those
    not yet finished."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.futures: list[Any] = []
        self.most_running = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def submit(self, *arguments: Any, **keywords: Any) -> Any:
        running = sum(not future.done() for future in self.futures) + 1
        self.most_running = max(self.most_running, running)
        future = self._client.submit(*arguments, **keywords)
        self.futures.append(future)
        return future

    @property
    def submitted(self) -> int:
        return len(self.futures)


# -- the same outputs as the local path ----------------------------------------


@pytest.mark.dask
@pytest.mark.parametrize("transfer_syntax", [RLE, EXPLICIT_LE])
def test_the_cluster_writes_the_local_paths_bytes(
    client: Any, tree: Path, tmp_path: Path, transfer_syntax: str
) -> None:
    local = convert(tree, tmp_path / "local", transfer_syntax, workers=1)
    counting = CountingClient(client)
    seen: list[tuple[str, int, int]] = []
    on_cluster = convert(
        tree,
        tmp_path / "dask",
        transfer_syntax,
        client=counting,
        report=tmp_path / "report.json",
        progress=lambda record, done, total: seen.append((record.source, done, total)),
    )

    assert local.counts() == {"converted": 16, "skipped": 1, "failed": 0}
    assert on_cluster.counts() == local.counts()
    assert digests(tmp_path / "dask") == digests(tmp_path / "local")
    assert len(digests(tmp_path / "dask")) == 16
    assert [comparable(r, tmp_path / "dask") for r in on_cluster.records] == [
        comparable(r, tmp_path / "local") for r in local.records
    ]
    assert on_cluster.skipped[0].reason == "not a DICOM file"
    assert on_cluster.workers == 2  # two workers of one thread

    # the same progress: once per file, in the order they finished
    assert sorted(source for source, _, _ in seen) == planned_sources(tree)
    assert [(done, total) for _, done, total in seen] == [
        (done, 17) for done in range(1, 18)
    ]
    # one task per file, never more in flight than twice the threads
    assert counting.submitted == 17
    assert 1 < counting.most_running <= 4
    assert not temporaries(tmp_path / "dask")

    written = json.loads((tmp_path / "report.json").read_text())
    assert written["counts"] == {"converted": 16, "skipped": 1, "failed": 0}
    assert written["workers"] == 2
    assert sorted(entry["source"] for entry in written["files"]) == planned_sources(
        tree
    )

    # resuming: a second run skips every output, as the local path does
    again = convert(tree, tmp_path / "dask", transfer_syntax, client=client)
    assert again.counts() == {"converted": 0, "skipped": 17, "failed": 0}
    assert digests(tmp_path / "dask") == digests(tmp_path / "local")


@pytest.mark.dask
def test_the_convert_command_with_dask(
    client: Any, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / NOT_DICOM).unlink()
    local = convert(tree, tmp_path / "local", RLE)
    # Relative paths: the workers run in another folder, so they must get
    # the paths as the driver resolves them.
    monkeypatch.chdir(tmp_path)
    address = client.scheduler.address
    arguments = "convert src -o dask --to rle --report report.json --quiet"
    status = main([*arguments.split(), "--dask", address])

    assert status == 0
    assert local.ok
    assert digests(tmp_path / "dask") == digests(tmp_path / "local")
    written = json.loads((tmp_path / "report.json").read_text())
    assert written["counts"] == {"converted": 16, "skipped": 0, "failed": 0}
    assert written["workers"] == 2
    # the report names the files as the command did, once each
    assert sorted(entry["source"] for entry in written["files"]) == sorted(
        str(Path("src", relative)) for relative in TREE.values()
    )
    assert sorted(entry["destination"] for entry in written["files"]) == sorted(
        str(Path("dask", relative)) for relative in TREE.values()
    )


@pytest.mark.dask
def test_ctrl_c_cancels_the_tasks_and_a_rerun_completes(
    client: Any, tree: Path, tmp_path: Path
) -> None:
    assert convert(tree, tmp_path / "local", RLE).counts()["converted"] == 16

    def interrupt(record: FileRecord, done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(ConversionInterrupted) as stopped:
        convert(tree, tmp_path / "dask", RLE, client=client, progress=interrupt)
    assert stopped.value.report.interrupted
    records = stopped.value.report.records
    assert sorted(r.source for r in records) == planned_sources(tree)
    untried = "not converted: the conversion was interrupted"
    assert len([r for r in records if r.reason != untried]) == 3

    # Tasks already running when Ctrl-C came may still finish their file
    # during the rerun: each output is whole either way.
    again = convert(tree, tmp_path / "dask", RLE, client=client)
    assert again.counts()["failed"] == 0
    assert again.counts()["converted"] + again.counts()["skipped"] == 17
    assert sorted(r.source for r in again.records) == planned_sources(tree)
    assert digests(tmp_path / "dask") == digests(tmp_path / "local")
    assert not temporaries(tmp_path / "dask")


# -- workers that die ----------------------------------------------------------


@pytest.mark.dask
def test_workers_killed_mid_write_are_retried(
    client: Any, deaths: Path, tree: Path, tmp_path: Path
) -> None:
    local = convert(tree, tmp_path / "local", RLE)
    assert local.counts() == {"converted": 16, "skipped": 1, "failed": 0}
    # Dies once: the scheduler runs the task again by itself.
    die(deaths, "ct/implicit.dcm", 1)
    # Dies twice: the scheduler gives up (KilledWorker) and dicomcore
    # submits the file again.
    die(deaths, "multi/frames5.dcm", 2)

    report = convert(tree, tmp_path / "dask", RLE, client=client)

    assert report.counts() == {"converted": 16, "skipped": 1, "failed": 0}
    assert sorted(r.source for r in report.records) == planned_sources(tree)
    assert digests(tmp_path / "dask") == digests(tmp_path / "local")
    # each death left a temporary file with a partial output; none remains
    assert not temporaries(tmp_path / "dask")
    assert (deaths / "implicit.dcm").read_text() == "0"
    assert (deaths / "frames5.dcm").read_text() == "0"
    (retried,) = [r for r in report.records if r.source.endswith("frames5.dcm")]
    assert retried.status == "converted"
    assert retried.warnings[-1].startswith(
        "converted on try 2; before: a Dask worker died while converting it "
        "(KilledWorker: "
    )


@pytest.mark.dask
def test_a_file_that_kills_every_worker_is_reported_after_one_retry(
    client: Any, deaths: Path, tree: Path, tmp_path: Path
) -> None:
    die(deaths, "colour/planar1.dcm", 10)

    report = convert(tree, tmp_path / "dask", RLE, client=client)

    assert sorted(r.source for r in report.records) == planned_sources(tree)
    assert report.counts() == {"converted": 15, "skipped": 1, "failed": 1}
    (killer,) = [r for r in report.failed if r.source.endswith("planar1.dcm")]
    assert killer.reason.startswith(
        "not converted: a Dask worker died while converting it (KilledWorker: "
    )
    assert killer.reason.endswith("; tried twice")
    # two tries of dicomcore's, each run twice by the scheduler
    assert (deaths / "planar1.dcm").read_text() == "6"
    assert not (tmp_path / "dask" / "colour" / "planar1.dcm").exists()
    assert not temporaries(tmp_path / "dask")
    assert f"failed: {killer.source}: {killer.reason}" in report.summary()


def _refuse_on_the_worker() -> ConvertOptions:
    raise RuntimeError("these options cannot be loaded here")


class _Unloadable(ConvertOptions):
    """Options that pickle, and fail to unpickle: every task raises."""

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return _refuse_on_the_worker, ()


@pytest.mark.dask
def test_tasks_that_keep_failing_are_each_reported_once(
    client: Any, tree: Path, tmp_path: Path
) -> None:
    counting = CountingClient(client)
    report = convert(
        tree, tmp_path / "dask", RLE, client=counting, options=_Unloadable()
    )

    assert sorted(r.source for r in report.records) == planned_sources(tree)
    assert report.counts() == {"converted": 0, "skipped": 0, "failed": 17}
    # Where the arguments fail to load (scheduler or worker) depends on the
    # version of distributed; the reason says what was raised there.  Tasks
    # in flight when dicomcore gives up are not tried again.
    tried = [r for r in report.records if r.reason.endswith(("once", "twice"))]
    assert any(r.reason.endswith("; tried twice") for r in tried)
    for record in tried:
        assert record.reason.startswith("not converted: its Dask task raised (")
        assert "RuntimeError" in record.reason
    # After 16 failures in a row (or a few more, the rest of a batch of
    # results) dicomcore stops sending tasks.
    given_up = [r for r in report.records if r not in tried]
    assert given_up
    for record in given_up:
        assert re.match(
            r"not converted: the last (1[6-9]|2\d) tasks on the Dask cluster all "
            r"failed, so no more were sent \(last: its Dask task raised \(",
            record.reason,
        )
    assert counting.submitted < 2 * 17
    assert not (tmp_path / "dask").exists() or not any(
        (tmp_path / "dask").rglob("*.dcm")
    )


# -- without Dask --------------------------------------------------------------


def test_without_dask_the_error_names_the_extra(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    # None in sys.modules makes the import fail as an absent package would.
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDaskError, match=r'pip install "dicomcore\[dask\]"'):
        connect("tcp://127.0.0.1:8786")
    status = main(
        ["convert", str(tree), "-o", str(tmp_path / "out"), "--to", "rle"]
        + ["--dask", "tcp://127.0.0.1:8786"]
    )
    assert status == 1
    assert capsys.readouterr().err == (
        "dicomcore: converting on a Dask cluster needs dask.distributed, which "
        'is not installed: pip install "dicomcore[dask]"\n'
    )
    assert not (tmp_path / "out").exists()
