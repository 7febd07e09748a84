"""Files read from a real S3 endpoint started here: moto's server mode on a
free port of 127.0.0.1, with s3fs as the client and botocore's own event
hook counting every HTTP request sent; pydicom 3 decodes the same local
files as the oracle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pytest
from multiframe_files import FRAME_BYTES, FRAMES, make_files, reference_frame
from s3_server import s3_endpoint

import dicomcore
from dicomcore.batch import ConvertOptions
from dicomcore.batch.state import JOURNAL_NAME, settings_digest
from dicomcore.errors import ObjectNotFoundError
from dicomcore.io.source import BLOCK_SIZE
from dicomcore.pixels import pixel_array

pytest.importorskip("s3fs")
pytest.importorskip("moto.server")
pytest.importorskip("boto3")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_files(tmp_path_factory.mktemp("remote_s3"))


@pytest.fixture(scope="module")
def endpoint(files: dict[str, Path]) -> Iterator[str]:
    with s3_endpoint("scans") as (url, client):
        for kind, path in files.items():
            client.put_object(Bucket="scans", Key=f"{kind}.dcm", Body=path.read_bytes())
        yield url


@pytest.fixture
def storage(endpoint: str) -> Iterator[tuple[dict[str, Any], list[tuple[str, str]]]]:
    """storage_options for the endpoint, and the (method, Range) of every
    request the s3fs file system those options select sends."""
    import s3fs

    options = {
        "key": "testing",
        "secret": "testing",
        "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
        "skip_instance_cache": False,
    }
    fs = s3fs.S3FileSystem(**options)
    fs.connect()
    sent: list[tuple[str, str]] = []

    def count(request: Any, **_: Any) -> None:
        sent.append((request.method, request.headers.get("Range", b"") or ""))

    fs.s3.meta.events.register("before-send.s3", count)
    try:
        yield options, sent
    finally:
        fs.s3.meta.events.unregister("before-send.s3", count)


def _range_bytes(sent: list[tuple[str, Any]]) -> int:
    total = 0
    for _, header in sent:
        text = header.decode() if isinstance(header, bytes) else header
        if text:
            first, last = text.removeprefix("bytes=").split("-")
            total += int(last) - int(first) + 1
    return total


def test_native_frame_from_s3(
    files: dict[str, Path], storage: tuple[dict[str, Any], list[Any]]
) -> None:
    options, sent = storage
    ds = dicomcore.dcmread("s3://scans/native.dcm", storage_options=options)
    frame = pixel_array(ds, index=250)
    np.testing.assert_array_equal(frame, reference_frame(files["native"], 250))
    # the size (HEAD), the header block, the frame
    assert [method for method, _ in sent] == ["HEAD", "GET", "GET"]
    assert _range_bytes(sent) == BLOCK_SIZE + FRAME_BYTES
    before = len(sent)
    pixel_array(ds, index=251)
    assert len(sent) == before + 1


@pytest.mark.parametrize("kind", ["rle_basic", "rle_extended"])
def test_encapsulated_frame_from_s3(
    files: dict[str, Path], storage: tuple[dict[str, Any], list[Any]], kind: str
) -> None:
    options, sent = storage
    ds = dicomcore.dcmread(f"s3://scans/{kind}.dcm", storage_options=options)
    frame = pixel_array(ds, index=250)
    np.testing.assert_array_equal(frame, reference_frame(files[kind], 250))
    reference = pydicom.dcmread(files[kind])
    lengths = [
        len(data)
        for data in pydicom.encaps.generate_frames(
            reference.PixelData, number_of_frames=FRAMES
        )
    ]
    # the size, the header block (with the tables), the value's last 8
    # bytes, the frame's item
    assert len(sent) == 4
    assert _range_bytes(sent) == BLOCK_SIZE + 8 + lengths[250] + 8
    before = len(sent)
    np.testing.assert_array_equal(
        pixel_array(ds, index=400), reference_frame(files[kind], 400)
    )
    assert len(sent) == before + 1


def test_missing_object_in_s3(storage: tuple[dict[str, Any], list[Any]]) -> None:
    options, _ = storage
    with pytest.raises(ObjectNotFoundError, match="no such object"):
        dicomcore.dcmread("s3://scans/no_such.dcm", storage_options=options)
    with pytest.raises(ObjectNotFoundError, match="bucket does not exist"):
        dicomcore.dcmread("s3://no-such-bucket/a.dcm", storage_options=options)


def test_convert_from_s3_with_storage_options(
    files: dict[str, Path],
    storage: tuple[dict[str, Any], list[Any]],
    tmp_path: Path,
) -> None:
    from dicomcore.batch import convert

    options, sent = storage
    report = convert(
        ["s3://scans/rle_basic.dcm", "s3://scans/native.dcm"],
        tmp_path / "out",
        "explicit",
        workers=0,
        storage_options=options,
    )
    assert [record.status for record in report.records] == ["converted"] * 2
    for kind in ("rle_basic", "native"):
        converted = pydicom.dcmread(tmp_path / "out" / f"{kind}.dcm")
        assert converted.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
        np.testing.assert_array_equal(
            converted.pixel_array, pydicom.dcmread(files[kind]).pixel_array
        )
    # Every request went through the file system those options select.
    assert sent
    # The options (credentials among them) are in no record, report or
    # journal, and shape no settings digest.
    journal = tmp_path / "out" / JOURNAL_NAME
    assert "testing" not in journal.read_text() + report.to_json()
    assert settings_digest("x", ConvertOptions(storage_options=options)) == (
        settings_digest("x", ConvertOptions())
    )


def test_cli_convert_from_s3_with_storage_options(
    files: dict[str, Path], endpoint: str, tmp_path: Path
) -> None:
    from dicomcore.cli import main

    out = tmp_path / "out"
    arguments = [
        "convert",
        "s3://scans/rle_extended.dcm",
        "-o",
        str(out),
        "--to",
        "explicit",
        "--quiet",
        "--workers",
        "1",
        "--storage-option",
        "key=testing",
        "--storage-option",
        "secret=testing",
        "--storage-option",
        f"endpoint_url={endpoint}",
        "--storage-option",
        "skip_instance_cache=true",
    ]
    assert main(arguments) == 0
    converted = pydicom.dcmread(out / "rle_extended.dcm")
    np.testing.assert_array_equal(
        converted.pixel_array, pydicom.dcmread(files["rle_extended"]).pixel_array
    )


# -- writing ---------------------------------------------------------------------


def _s3(options: dict[str, Any]) -> Any:
    import s3fs

    fs = s3fs.S3FileSystem(**options)
    fs.invalidate_cache()
    return fs


def test_save_as_to_s3_then_read_back(
    files: dict[str, Path], storage: tuple[dict[str, Any], list[Any]]
) -> None:
    options, sent = storage
    ds = dicomcore.dcmread(files["rle_basic"])
    ds.save_as("s3://scans/written/rle.dcm", storage_options=options)
    # the object, in one PUT
    assert [method for method, _ in sent] == ["PUT"]
    assert _s3(options).cat_file("scans/written/rle.dcm") == (
        _written_locally(ds, files["rle_basic"].parent / "rle_local.dcm")
    )
    back = dicomcore.dcmread("s3://scans/written/rle.dcm", storage_options=options)
    assert back.PatientName == "Range^Test"
    np.testing.assert_array_equal(
        pixel_array(back), pydicom.dcmread(files["rle_basic"]).pixel_array
    )
    # A dataset read from S3 is written to S3 too (its pixels fetched then).
    dicomcore.dcmwrite("s3://scans/written/copy.dcm", back, storage_options=options)
    assert _s3(options).cat_file("scans/written/copy.dcm") == (
        _s3(options).cat_file("scans/written/rle.dcm")
    )


def _written_locally(ds: Any, path: Path) -> bytes:
    ds.save_as(path)
    return path.read_bytes()


def test_failed_write_to_s3_leaves_no_object(
    files: dict[str, Path],
    storage: tuple[dict[str, Any], list[Any]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    import tempfile

    from dicomcore.io import writer

    options, sent = storage
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fs = _s3(options)
    ds = dicomcore.dcmread(files["native"])
    write_element = writer._write_element
    written: list[int] = []

    def fails_midway(*arguments: Any) -> None:
        # The File Meta Information and the first elements are written,
        # then the disk fills up.
        written.append(1)
        if len(written) == 12:
            raise OSError(28, "No space left on device")
        write_element(*arguments)

    monkeypatch.setattr(writer, "_write_element", fails_midway)
    with pytest.raises(OSError, match="No space left"):
        ds.save_as("s3://scans/failed/new.dcm", storage_options=options)
    assert len(written) == 12
    assert sent == []  # nothing was sent at all
    assert not fs.exists("scans/failed/new.dcm")
    # An object already at the key stays as it was.
    fs.pipe_file("scans/failed/old.dcm", b"the object before")
    sent.clear()
    written.clear()
    with pytest.raises(OSError, match="No space left"):
        dicomcore.dcmwrite("s3://scans/failed/old.dcm", ds, storage_options=options)
    assert sent == []
    assert _s3(options).cat_file("scans/failed/old.dcm") == b"the object before"
    assert list(tmp_path.iterdir()) == []  # the local file is gone too


def test_write_to_s3_errors(
    files: dict[str, Path], storage: tuple[dict[str, Any], list[Any]]
) -> None:
    options, _ = storage
    ds = dicomcore.dcmread(files["native"])
    with pytest.raises(ObjectNotFoundError, match="s3://no-such-bucket/a.dcm"):
        ds.save_as("s3://no-such-bucket/a.dcm", storage_options=options)
    _s3(options).pipe_file("scans/exists.dcm", b"kept")
    with pytest.raises(FileExistsError, match="exists already"):
        dicomcore.dcmwrite(
            "s3://scans/exists.dcm", ds, overwrite=False, storage_options=options
        )
    assert _s3(options).cat_file("scans/exists.dcm") == b"kept"
