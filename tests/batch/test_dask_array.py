"""The frames of a file as a Dask array, computed on a LocalCluster of two
single-threaded worker processes reading from an HTTP server on 127.0.0.1;
pydicom 3 decodes the same local files as the oracle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from multiframe_files import COLUMNS, FRAMES, ROWS, make_files
from range_server import RangeServer

from dicomcore.batch.dask_array import frames_array
from dicomcore.io.source import BLOCK_SIZE


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("dask_array"))


@pytest.fixture(scope="module")
def server(files: dict[str, Path]) -> Iterator[RangeServer]:
    pytest.importorskip("fsspec")
    pytest.importorskip("aiohttp")
    server = RangeServer()
    for kind, path in files.items():
        server.files[kind] = path.read_bytes()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from test_dask import require_distributed

    distributed = require_distributed()
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )
    client = distributed.Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_shape_chunks_and_dtype_from_the_header(
    files: dict[str, Path], server: RangeServer
) -> None:
    server.reset()
    frames = frames_array(server.url("rle_basic"))
    assert frames.shape == (FRAMES, ROWS, COLUMNS)
    assert frames.chunks == ((1,) * FRAMES, (ROWS,), (COLUMNS,))
    assert frames.dtype == np.uint16
    # Only the header and where Pixel Data ends were read; no frame.
    assert [request[2] for request in server.get_requests()] == [
        "bytes=0-65535",
        f"bytes={files['rle_basic'].stat().st_size - 8}-"
        f"{files['rle_basic'].stat().st_size - 1}",
    ]


@pytest.mark.dask
@pytest.mark.parametrize("kind", ["native", "rle_basic", "rle_no_table"])
def test_frames_on_a_cluster_equal_pydicom(
    files: dict[str, Path], server: RangeServer, client: Any, kind: str
) -> None:
    expected = pydicom.dcmread(files[kind]).pixel_array
    server.reset()
    frames = frames_array(server.url(kind))
    got, mean = client.compute([frames, frames.mean(axis=0)], sync=True)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(mean, expected.mean(axis=0), rtol=1e-12)
    size = files[kind].stat().st_size
    if kind == "rle_no_table":
        # Each worker indexes the item headers once (here, with fragments
        # of 8 KiB, reading the whole value in 1 MiB blocks); the frames then
        # come mostly from the blocks it keeps.
        assert server.bytes_sent <= 2 * size + 1024 * 1024
        assert len(server.get_requests()) <= 2 * 8 + FRAMES // 2
    else:
        # The driver and each worker fetch the header and the value's end
        # once, then each frame is one request for its bytes alone (the
        # first few come with the header block).
        headers = 3 * (BLOCK_SIZE + 8)
        assert server.bytes_sent <= size + headers
        assert len(server.get_requests()) <= FRAMES + 3 * 2


@pytest.mark.dask
def test_a_local_path_on_a_cluster(files: dict[str, Path], client: Any) -> None:
    frames = frames_array(files["rle_extended"])
    expected = pydicom.dcmread(files["rle_extended"]).pixel_array
    np.testing.assert_array_equal(
        client.compute(frames[100:110]).result(), expected[100:110]
    )
