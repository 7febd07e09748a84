"""Files read through fsspec from an HTTP server with Range support started
here on 127.0.0.1, counting the requests and bytes it serves; pydicom 3
decodes the same frames from the local files as the oracle."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
from multiframe_files import (
    FRAME_BYTES,
    FRAMES,
    frames_array,
    make_files,
    reference_frame,
)
from range_server import RangeServer

import dicomcore
from dicomcore.cli import main
from dicomcore.errors import (
    ConnectionDroppedError,
    ObjectNotFoundError,
    RangeNotSupportedError,
    StorageUnreachableError,
)
from dicomcore.io import remote
from dicomcore.io.source import BLOCK_SIZE
from dicomcore.pixels import iter_pixels, pixel_array

fsspec = pytest.importorskip("fsspec")
pytest.importorskip("aiohttp")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("remote"))


@pytest.fixture(scope="module")
def module_server(files: dict[str, Path]) -> Iterator[RangeServer]:
    server = RangeServer()
    for kind, path in files.items():
        server.files[kind] = path.read_bytes()
    yield server
    server.stop()


@pytest.fixture
def server(module_server: RangeServer, monkeypatch: pytest.MonkeyPatch) -> RangeServer:
    module_server.reset()
    monkeypatch.setattr(remote, "FIRST_WAIT", 0.01)  # keep retries quick
    return module_server


def _frame_items(path: Path) -> tuple[int, list[int]]:
    """(offset of the first fragment item, each frame's encoded length)."""
    ds = pydicom.dcmread(path)
    value_start = pydicom.dcmread(path, defer_size=0)["PixelData"].file_tell
    table_length = int.from_bytes(
        path.read_bytes()[value_start + 4 : value_start + 8], "little"
    )
    lengths = [
        len(frame)
        for frame in pydicom.encaps.generate_frames(
            ds.PixelData, number_of_frames=FRAMES
        )
    ]
    return value_start + 8 + table_length, lengths


def test_native_frame_over_http(files: dict[str, Path], server: RangeServer) -> None:
    ds = dicomcore.dcmread(server.url("native"))
    assert ds.PatientName == "Range^Test"
    frame = pixel_array(ds, index=250)
    np.testing.assert_array_equal(frame, reference_frame(files["native"], 250))
    # one GET for the header (its Content-Range gives the size), one for
    # the frame; no HEAD
    assert [request[0] for request in server.requests] == ["GET", "GET"]
    assert server.bytes_sent == BLOCK_SIZE + 64 * 64 * 2
    sent = server.bytes_sent
    np.testing.assert_array_equal(pixel_array(ds, index=499), frames_array()[499])
    assert len(server.requests) == 3
    assert server.bytes_sent - sent == 64 * 64 * 2


@pytest.mark.parametrize("kind", ["rle_basic", "rle_extended"])
def test_encapsulated_frame_over_http(
    files: dict[str, Path], server: RangeServer, kind: str
) -> None:
    ds = dicomcore.dcmread(server.url(kind))
    frame = pixel_array(ds, index=250)
    np.testing.assert_array_equal(frame, reference_frame(files[kind], 250))
    first_item, lengths = _frame_items(files[kind])
    # the header block (which holds the tables), the last 8 bytes (where
    # Pixel Data ends), the frame
    assert len(server.requests) == 3
    assert server.bytes_sent <= first_item + lengths[250] + 8 + BLOCK_SIZE
    sent = server.bytes_sent
    np.testing.assert_array_equal(
        pixel_array(ds, index=17), reference_frame(files[kind], 17)
    )
    assert len(server.requests) == 4
    assert server.bytes_sent - sent == lengths[17] + 8


def test_frame_without_offset_table_over_http(
    files: dict[str, Path], server: RangeServer
) -> None:
    path = files["rle_no_table"]
    ds = dicomcore.dcmread(server.url("rle_no_table"))
    np.testing.assert_array_equal(
        pixel_array(ds, index=250), reference_frame(path, 250)
    )
    # The item headers come in 1 MiB blocks: four for this 4 MB value.
    scans = [r for r in server.get_requests() if r[2] and r[2] != "bytes=0-65535"]
    assert len(scans) == 5  # the last 8 bytes, then four blocks
    assert server.bytes_sent <= path.stat().st_size + 8


def test_pixel_array_and_iter_pixels_take_a_url(
    files: dict[str, Path], server: RangeServer
) -> None:
    np.testing.assert_array_equal(
        pixel_array(server.url("rle_extended"), index=3),
        reference_frame(files["rle_extended"], 3),
    )
    expected = pydicom.dcmread(files["native"]).pixel_array
    np.testing.assert_array_equal(pixel_array(server.url("native")), expected)
    frames = list(iter_pixels(server.url("rle_basic")))
    assert len(frames) == FRAMES
    np.testing.assert_array_equal(frames[499], expected[499])


def test_fsspec_file_object_skips_its_read_ahead(
    files: dict[str, Path], server: RangeServer
) -> None:
    # fsspec's HTTP file objects read 5 MiB blocks by default.
    with fsspec.open(server.url("native"), "rb") as handle:
        ds = dicomcore.dcmread(handle)
        frame = pixel_array(ds, index=100)
    np.testing.assert_array_equal(frame, reference_frame(files["native"], 100))
    assert server.bytes_sent == BLOCK_SIZE + 64 * 64 * 2


def test_storage_options_reach_the_file_system(
    files: dict[str, Path], server: RangeServer
) -> None:
    ds = dicomcore.dcmread(
        server.url("native"), storage_options={"headers": {"X-Test": "passed"}}
    )
    pixel_array(ds, index=400)
    assert server.test_headers == ["passed"] * len(server.requests)
    assert len(server.requests) == 2


@pytest.mark.parametrize("claim_ranges", [False, True])
def test_server_that_ignores_ranges_is_an_error(
    server: RangeServer, claim_ranges: bool
) -> None:
    server.ignore_range = True
    server.claim_ranges = claim_ranges  # says "Accept-Ranges: bytes" anyway
    with pytest.raises(RangeNotSupportedError, match="ignores Range headers"):
        dicomcore.dcmread(server.url("native"))
    # Found from the first response's status; its body is left unread, and
    # nothing is retried.
    assert len(server.requests) == 1


def test_small_object_is_fetched_whole(
    files: dict[str, Path], server: RangeServer
) -> None:
    small = pydicom.dcmread(files["native"])
    small.NumberOfFrames = 4
    small.PixelData = frames_array()[:4].tobytes()
    data = Path(files["native"].parent / "small.dcm")
    small.save_as(data, enforce_file_format=True)
    server.files["small"] = data.read_bytes()
    server.ignore_range = True
    np.testing.assert_array_equal(pixel_array(server.url("small")), frames_array()[:4])
    # one request, whose Range the server ignored: the object, whole
    assert len(server.requests) == 1


def test_dropped_connection_is_retried_then_an_error(server: RangeServer) -> None:
    ds = dicomcore.dcmread(server.url("native"))
    server.drop_after = 0.5
    before = len(server.get_requests())
    with pytest.raises(ConnectionDroppedError, match="the connection dropped"):
        pixel_array(ds, index=10)
    assert len(server.get_requests()) - before == remote.ATTEMPTS
    server.drop_after = None
    np.testing.assert_array_equal(pixel_array(ds, index=10), frames_array()[10])


def test_missing_object(server: RangeServer) -> None:
    with pytest.raises(ObjectNotFoundError) as caught:
        dicomcore.dcmread(server.url("no_such_file"))
    assert isinstance(caught.value, FileNotFoundError)
    assert len(server.requests) <= 2  # a 404 is not retried


def test_unreachable_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "FIRST_WAIT", 0.01)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now.
    with pytest.raises(StorageUnreachableError, match="cannot be reached"):
        dicomcore.dcmread(f"http://127.0.0.1:{port}/native")


def test_cli_show_reads_a_url(
    server: RangeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--stop-before-pixels", server.url("rle_basic")]) == 0
    out = capsys.readouterr().out
    assert "Range^Test" in out
    assert "(0028,0008) Number of Frames" in out
    assert server.bytes_sent == BLOCK_SIZE


def test_file_url(files: dict[str, Path]) -> None:
    ds = dicomcore.dcmread(files["rle_basic"].as_uri())
    np.testing.assert_array_equal(
        pixel_array(ds, index=5), reference_frame(files["rle_basic"], 5)
    )


def test_cli_convert_reads_a_url(
    files: dict[str, Path], server: RangeServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    url = server.url("rle_extended")
    assert main(["convert", url, "-o", str(out), "--to", "explicit"]) == 0
    written = out / "rle_extended"
    converted = pydicom.dcmread(written)
    assert converted.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    np.testing.assert_array_equal(
        converted.pixel_array, pydicom.dcmread(files["rle_extended"]).pixel_array
    )
    # A second run converts it again: an object's modification time and
    # content fingerprint are not known without reading it whole, so the
    # resume journal holds local sources only.
    report = tmp_path / "report.json"
    arguments = ["convert", url, "-o", str(out), "--to", "explicit"]
    assert main([*arguments, "--report", str(report)]) == 0
    (record,) = json.loads(report.read_text())["files"]
    assert (record["source"], record["status"]) == (url, "converted")


@pytest.mark.parametrize("kind", ["rle_basic", "rle_extended"])
def test_pixel_array_of_a_url_needs_no_end(
    files: dict[str, Path], server: RangeServer, kind: str
) -> None:
    # pixel_array reads only the elements decoding needs, none after Pixel
    # Data, so where the value ends is not looked for: header, then frame.
    frame = pixel_array(server.url(kind), index=250)
    np.testing.assert_array_equal(frame, reference_frame(files[kind], 250))
    assert len(server.requests) == 2
    server.reset()
    last = pixel_array(server.url(kind), index=FRAMES - 1)
    np.testing.assert_array_equal(last, reference_frame(files[kind], FRAMES - 1))
    assert len(server.requests) == 2


def test_many_ranges_are_merged_and_fetched_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory = fsspec.filesystem("memory")
    data = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    memory.pipe("/ranges/object", data)
    source = remote.FsspecSource(memory, "/ranges/object")
    fetched: list[tuple[list[int], list[int]]] = []
    fetch = source._fetch

    def counted(starts: list[int], ends: list[int]) -> list[bytes]:
        fetched.append((starts, ends))
        return fetch(starts, ends)

    monkeypatch.setattr(source, "_fetch", counted)
    monkeypatch.setattr(remote, "MERGE_LIMIT", 1024 * 1024)
    ranges = [(0, 10), (1000, 10), (2 * 1024 * 1024, 5), (0, 1024 * 1024 + 8)]
    pieces = source.read_many(ranges)
    assert pieces == [data[offset : offset + size] for offset, size in ranges]
    # One call: near neighbours merged, far ones and blocks past the limit not.
    assert len(fetched) == 1
    starts, ends = fetched[0]
    assert len(starts) == 3
    assert (
        max(end - start for start, end in zip(starts, ends, strict=True))
        <= 1024 * 1024 + 8
    )


# -- many frames: fetched in batches ------------------------------------------


def _item_offsets(path: Path) -> tuple[list[int], int]:
    """(offset of each fragment item, offset of the Sequence Delimitation
    Item) in an encapsulated file of one fragment per frame."""
    data = path.read_bytes()
    position, _ = _frame_items(path)
    items = []
    while data[position : position + 4] == b"\xfe\xff\x00\xe0":
        items.append(position)
        position += 8 + int.from_bytes(data[position + 4 : position + 8], "little")
    assert data[position : position + 4] == b"\xfe\xff\xdd\xe0"
    return items, position


def _batches(spans: list[int], batch_bytes: int) -> int:
    """How many batches frames of these byte spans make, each closed once
    it holds ``batch_bytes`` (the rule of ``batched_frames``)."""
    count, total = 0, 0
    for span in spans:
        total += span
        if total >= batch_bytes:
            count, total = count + 1, 0
    return count + (total > 0)


@pytest.fixture
def batch_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[int, int]]]:
    """Batches of 1 MiB; the ranges of each ``read_many`` call, recorded."""
    from dicomcore.pixels import frames as frames_module

    monkeypatch.setattr(frames_module, "BATCH_BYTES", 1024 * 1024)
    calls: list[list[tuple[int, int]]] = []
    read_many = remote.FsspecSource.read_many

    def recorded(
        self: remote.FsspecSource, ranges: list[tuple[int, int]]
    ) -> list[bytes]:
        calls.append(list(ranges))
        return read_many(self, ranges)

    monkeypatch.setattr(remote.FsspecSource, "read_many", recorded)
    return calls


def test_iter_pixels_over_http_fetches_native_frames_in_batches(
    files: dict[str, Path],
    server: RangeServer,
    batch_calls: list[list[tuple[int, int]]],
) -> None:
    value_start = pydicom.dcmread(files["native"], defer_size=0)["PixelData"].file_tell
    expected = frames_array()
    count = 0
    for index, frame in enumerate(iter_pixels(server.url("native"))):
        np.testing.assert_array_equal(frame, expected[index])
        count += 1
    assert count == FRAMES
    # Frames wholly inside the header block are not fetched again; the rest
    # come 128 (1 MiB) at a time, each batch one merged request.
    held = (BLOCK_SIZE - value_start) // FRAME_BYTES
    assert held == 7
    fetched = FRAMES - held
    assert [len(call) for call in batch_calls] == [128, 128, 128, fetched - 384]
    assert batch_calls[0][0] == (value_start + held * FRAME_BYTES, FRAME_BYTES)
    assert len(server.requests) == 1 + 4
    assert server.bytes_sent == BLOCK_SIZE + fetched * FRAME_BYTES


def test_iter_pixels_out_and_chosen_frames_over_http(
    server: RangeServer, batch_calls: list[list[tuple[int, int]]]
) -> None:
    expected = frames_array()
    out = np.empty((64, 64), np.uint16)
    frames = [frame.copy() for frame in iter_pixels(server.url("native"), out=out)]
    np.testing.assert_array_equal(np.stack(frames), expected)
    assert len(server.requests) == 1 + 4
    server.reset()
    # Frames far apart (more than 64 KiB) are separate ranges of one batch,
    # fetched together; the order asked for is kept.
    chosen = [400, 10, 250, 10]
    frames = list(iter_pixels(server.url("native"), indices=chosen))
    np.testing.assert_array_equal(np.stack(frames), expected[chosen])
    assert len(batch_calls[-1]) == 3  # frame 10 once
    assert len(server.requests) == 1 + 3
    assert server.bytes_sent == BLOCK_SIZE + 3 * FRAME_BYTES


@pytest.mark.parametrize("kind", ["rle_basic", "rle_extended"])
@pytest.mark.parametrize("whole", [False, True])
def test_encapsulated_frames_over_http_come_in_batches(
    files: dict[str, Path],
    server: RangeServer,
    batch_calls: list[list[tuple[int, int]]],
    kind: str,
    whole: bool,
) -> None:
    path = files[kind]
    local = pydicom.dcmread(path).pixel_array
    if whole:
        np.testing.assert_array_equal(pixel_array(server.url(kind)), local)
    else:
        frames = list(iter_pixels(server.url(kind)))
        assert len(frames) == FRAMES
        for index, frame in enumerate(frames):
            np.testing.assert_array_equal(frame, local[index])
    items, delimiter = _item_offsets(path)
    # Each frame is its item, found through the table; the last ends at the
    # delimiter (Extended) or, its end not looked for, at the object's end.
    last_end = delimiter if kind == "rle_extended" else path.stat().st_size
    ends = [*items[1:], last_end]
    held = sum(end <= BLOCK_SIZE for end in ends)
    spans = [end - start for start, end in zip(items, ends, strict=True)][held:]
    batches = _batches(spans, 1024 * 1024)
    assert batches == 4
    assert len(batch_calls) == batches
    assert sum(len(call) for call in batch_calls) == FRAMES - held
    assert len(server.requests) == 1 + batches
    assert server.bytes_sent == BLOCK_SIZE + last_end - items[held]


def test_frames_without_offset_table_over_http_come_in_batches(
    files: dict[str, Path],
    server: RangeServer,
    batch_calls: list[list[tuple[int, int]]],
) -> None:
    path = files["rle_no_table"]
    local = pydicom.dcmread(path).pixel_array
    frames = list(iter_pixels(server.url("rle_no_table")))
    np.testing.assert_array_equal(np.stack(frames), local)
    # The header block, then the item headers walked in four 1 MiB blocks
    # (the walk's blocks are kept, the header block no longer), then one
    # batch: the frames of the header block and those cut by a walk
    # block's end.
    requests = server.get_requests()
    walk = [_range_of(request[2]) for request in requests[1:5]]
    assert [end - start for start, end in walk[:3]] == [1024 * 1024] * 3
    assert walk[-1][1] == path.stat().st_size
    (call,) = batch_calls
    for offset, size in call:
        inside = any(start <= offset and offset + size <= end for start, end in walk)
        assert not inside
    assert len(call) == 11
    assert len(requests) == 1 + 4 + 4
    fetched = [_range_of(request[2]) for request in requests[5:]]
    assert server.bytes_sent == BLOCK_SIZE + sum(
        end - start for start, end in walk + fetched
    )
    assert server.bytes_sent < path.stat().st_size + BLOCK_SIZE + 4 * 8500


def _range_of(header: str | None) -> tuple[int, int]:
    """(start, end) of a ``bytes=first-last`` header."""
    assert header is not None
    first, _, last = header.removeprefix("bytes=").partition("-")
    return int(first), int(last) + 1
