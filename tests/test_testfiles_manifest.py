"""The committed files in ``testfiles/`` agree with ``testfiles/manifest.json``.

The files and the manifest are made by DCMTK and GDCM (see
``testfiles/make_testfiles.py``). Here two more parties check them: DCMTK's
``dcmdump`` for the transfer syntax, and pydicom, as an oracle independent of
dicomcore, for the layout and the SHA-256 of the decoded pixels.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pytest

TESTFILES = Path(__file__).resolve().parent.parent / "testfiles"
MANIFEST: list[dict] = json.loads((TESTFILES / "manifest.json").read_text())
RECORDS = {record["file"]: record for record in MANIFEST}

NATIVE_TRANSFER_SYNTAXES = {
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.2",
}
DCMDUMP_NAMES = {
    "Little Endian Implicit": "1.2.840.10008.1.2",
    "Little Endian Explicit": "1.2.840.10008.1.2.1",
    "Big Endian Explicit": "1.2.840.10008.1.2.2",
}
REQUIRED_KEYS = {
    "file", "transfer_syntax", "made_by", "source_file", "has_file_meta", "rows",
    "columns", "samples_per_pixel", "photometric_interpretation",
    "planar_configuration", "bits_allocated", "bits_stored", "high_bit",
    "pixel_representation", "number_of_frames", "pixel_element", "lossy", "dtype",
    "shape", "sha256", "photometric_after_decode", "decoded_by", "elements",
}  # fmt: skip

WITH_PIXELS = [record for record in MANIFEST if record["sha256"] is not None]


def ids(records: list[dict]) -> list[str]:
    return [record["file"] for record in records]


def test_manifest_lists_every_file_and_only_those() -> None:
    on_disk = {path.name for path in TESTFILES.glob("*.dcm")}
    assert on_disk == set(RECORDS)
    assert len(RECORDS) == len(MANIFEST)


@pytest.mark.parametrize("record", MANIFEST, ids=ids(MANIFEST))
def test_manifest_record_is_consistent(record: dict) -> None:
    assert REQUIRED_KEYS <= set(record)
    if record["source_file"] is not None:
        assert record["source_file"] in RECORDS
    if record["sha256"] is None:
        assert record["pixel_element"] is None
        return
    assert re.fullmatch(r"[0-9a-f]{64}", record["sha256"])
    shape = [record["rows"], record["columns"]]
    if record["number_of_frames"] > 1:
        shape.insert(0, record["number_of_frames"])
    if record["samples_per_pixel"] > 1:
        shape.append(record["samples_per_pixel"])
    assert record["shape"] == shape
    dtype = np.dtype(record["dtype"])
    if record["pixel_element"] == "PixelData":
        assert dtype.kind == ("i" if record["pixel_representation"] else "u")
        assert dtype.itemsize * 8 == max(record["bits_allocated"], 8)
    else:
        assert dtype.kind == "f"
        assert dtype.itemsize * 8 == record["bits_allocated"]


@pytest.fixture(scope="module")
def dcmdump() -> str:
    path = shutil.which("dcmdump")
    if path is None:
        message = "DCMTK's dcmdump is not installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.mark.parametrize("record", MANIFEST, ids=ids(MANIFEST))
def test_transfer_syntax_is_what_dcmdump_reports(record: dict, dcmdump: str) -> None:
    dump = subprocess.run(
        [dcmdump, "-Un", "-M", str(TESTFILES / record["file"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"^\(0002,0010\) UI \[([0-9.]+)\]", dump, re.M)
    if found:
        transfer_syntax = found.group(1)
    else:  # no file meta: dcmdump names the syntax it detected
        used = re.search(r"# Dicom-Data-Set\n# Used TransferSyntax: (.+)", dump)
        assert used is not None
        transfer_syntax = DCMDUMP_NAMES[used.group(1).strip()]
    assert transfer_syntax == record["transfer_syntax"]
    assert (found is not None) == record["has_file_meta"]


def read_with_pydicom(record: dict):
    pydicom = pytest.importorskip("pydicom", minversion="3.0")
    from pydicom.dataset import FileMetaDataset

    dataset = pydicom.dcmread(TESTFILES / record["file"], force=True)
    if not record["has_file_meta"]:
        file_meta = FileMetaDataset()
        file_meta.TransferSyntaxUID = record["transfer_syntax"]
        dataset.file_meta = file_meta
    return dataset


def decode_with_pydicom(record: dict) -> np.ndarray:
    pytest.importorskip("pydicom", minversion="3.0")
    from pydicom.pixels import get_decoder, pixel_array

    decoder = get_decoder(record["transfer_syntax"])
    if decoder is None or not decoder.is_available:
        pytest.skip(f"pydicom cannot decode {record['transfer_syntax']} here")
    if set(decoder.available_plugins) == {"pillow"} and record["bits_stored"] > 8:
        # Pillow, pydicom's only JPEG plugin without the pylibjpeg family,
        # decodes 8-bit JPEG only.
        pytest.skip("pydicom has only Pillow here, which decodes 8-bit JPEG only")
    dataset = read_with_pydicom(record)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. pydicom on YBR_FULL_422 JPEG
        array = pixel_array(
            dataset,
            as_rgb=record["photometric_after_decode"] == "RGB",
            correct_unused_bits=True,  # mask/sign-extend above High Bit
        )
    # pydicom returns big endian arrays for Explicit VR Big Endian
    return np.ascontiguousarray(array.astype(array.dtype.newbyteorder("<")))


@pytest.mark.parametrize("record", WITH_PIXELS, ids=ids(WITH_PIXELS))
def test_pydicom_reads_the_manifest_layout(record: dict) -> None:
    dataset = read_with_pydicom(record)
    assert dataset.file_meta.TransferSyntaxUID == record["transfer_syntax"]
    assert dataset.Rows == record["rows"]
    assert dataset.Columns == record["columns"]
    assert dataset.SamplesPerPixel == record["samples_per_pixel"]
    assert dataset.PhotometricInterpretation == record["photometric_interpretation"]
    assert dataset.get("PlanarConfiguration") == record["planar_configuration"]
    assert dataset.BitsAllocated == record["bits_allocated"]
    assert dataset.get("BitsStored") == record["bits_stored"]
    assert dataset.get("PixelRepresentation") == record["pixel_representation"]
    assert int(dataset.get("NumberOfFrames", 1)) == record["number_of_frames"]
    assert record["pixel_element"] in dataset


LOSSLESS = [record for record in WITH_PIXELS if not record["lossy"]]
LOSSY = [record for record in WITH_PIXELS if record["lossy"]]


@pytest.mark.parametrize("record", LOSSLESS, ids=ids(LOSSLESS))
def test_pydicom_decodes_to_the_manifest_sha256(record: dict) -> None:
    array = decode_with_pydicom(record)
    assert array.dtype == np.dtype(record["dtype"])
    assert list(array.shape) == record["shape"]
    assert hashlib.sha256(array.tobytes()).hexdigest() == record["sha256"]


@pytest.mark.parametrize("record", LOSSY, ids=ids(LOSSY))
def test_pydicom_decodes_lossy_files_near_their_source(record: dict) -> None:
    # Lossy decoders may differ by a few units (IDCT and colour conversion
    # rounding), so compare with the lossless source instead of the hash.
    array = decode_with_pydicom(record)
    source = decode_with_pydicom(RECORDS[record["source_file"]])
    assert array.dtype == np.dtype(record["dtype"])
    assert list(array.shape) == record["shape"]
    error = np.abs(array.astype(np.float64) - source.astype(np.float64)).max()
    allowed = record["max_abs_error_vs_source"]
    assert error <= allowed + max(2, allowed // 10)
