"""dicomcore.data and dicomcore.examples: the packaged example files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import dicomcore.data
from dicomcore import examples
from dicomcore.data import TEST_FILES, get_testdata_file, get_testdata_files
from dicomcore.errors import DicomValueError

TESTFILES = Path(__file__).resolve().parents[1] / "testfiles"
SOURCES = {
    "CT_small.dcm": "ct_int16_explicit.dcm",
    "MR_small.dcm": "mono16_explicit.dcm",
    "rtplan.dcm": "rtplan_undefined_length_implicit.dcm",
    "examples_ybr_color.dcm": "rgb8_jpeg_baseline_ybr422.dcm",
    "examples_palette.dcm": "processing/palette8.dcm",
    "no_meta.dcm": "ct_int16_implicit_nometa.dcm",
}


@pytest.mark.parametrize(("name", "source"), SOURCES.items())
def test_packaged_files_are_copies_of_testfiles(name, source):
    packaged = Path(get_testdata_file(name)).read_bytes()
    assert (
        hashlib.sha256(packaged).digest()
        == hashlib.sha256((TESTFILES / source).read_bytes()).digest()
    )


def test_every_packaged_file_is_documented():
    import dicomcore.data

    names = sorted(path.name for path in TEST_FILES.glob("*.dcm"))
    assert len(names) == 18
    for name in names:
        assert f"``{name}``" in dicomcore.data.__doc__


def test_read_and_patterns(no_data_paths):
    assert get_testdata_file("MR_small.dcm", read=True).Modality == "MR"
    assert [Path(p).name for p in get_testdata_files("*rgb*")] == [
        "SC_rgb.dcm",
        "SC_rgb_rle.dcm",
        "examples_rgb_color.dcm",
    ]
    assert len(get_testdata_files()) == 18


@pytest.fixture
def no_data_paths(monkeypatch):
    monkeypatch.setattr(dicomcore.data, "DATA_PATHS", [])


@pytest.mark.parametrize("name", ["rtdose.dcm", "nothing", "sub/CT_small.dcm"])
def test_unknown_names_raise(name, no_data_paths):
    with pytest.raises(DicomValueError, match="dicomcore ships no example file"):
        get_testdata_file(name)


@pytest.mark.parametrize("name", ["../README.md", "/etc/passwd", ""])
def test_names_outside_the_data_folders_are_refused(name):
    with pytest.raises(DicomValueError, match="not a test file name"):
        get_testdata_file(name)


def test_data_paths_are_searched_first(tmp_path, monkeypatch):
    (tmp_path / "dicomdirtests" / "CT2").mkdir(parents=True)
    (tmp_path / "dicomdirtests" / "CT2" / "17196").write_bytes(b"first")
    (tmp_path / "dicomdirtests" / "CT2" / "17166").write_bytes(b"second")
    (tmp_path / "CT_small.dcm").write_bytes(b"theirs")
    monkeypatch.setattr(dicomcore.data, "DATA_PATHS", [tmp_path / "none", tmp_path])
    assert get_testdata_file("CT_small.dcm") == str(tmp_path / "CT_small.dcm")
    found = get_testdata_file("dicomdirtests/CT2/17196")
    assert Path(found).read_bytes() == b"first"
    assert Path(get_testdata_file("17166")).read_bytes() == b"second"
    assert get_testdata_files("dicomdirtests/CT2/*") == [
        str(tmp_path / "dicomdirtests" / "CT2" / "17166"),
        str(tmp_path / "dicomdirtests" / "CT2" / "17196"),
    ]
    assert get_testdata_files("CT_*")[:1] == [str(tmp_path / "CT_small.dcm")]
    assert get_testdata_files("CT_*")[1] == str(TEST_FILES / "CT_small.dcm")


def test_data_paths_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "DICOMCORE_TESTDATA_PATH", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}"
    )
    paths = dicomcore.data._data_paths()
    assert paths[:2] == [tmp_path / "a", tmp_path / "b"]
    assert paths[2] == Path("~/.pydicom/data").expanduser()


def test_examples():
    assert examples.ct.Modality == "CT"
    assert examples.rt_plan.Modality == "RTPLAN"
    assert examples.ybr_color.PhotometricInterpretation == "YBR_FULL_422"
    assert examples.get_path("jpeg2k").name == "examples_jpeg2k.dcm"
    assert examples.ct is not examples.ct  # read afresh each time
    with pytest.raises(ValueError, match="no example dataset 'rt_dose' yet"):
        examples.rt_dose  # noqa: B018
    with pytest.raises(AttributeError):
        examples.nothing  # noqa: B018


def test_the_download_cache_is_searched_by_name_but_not_listed(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "color-pl.dcm").write_bytes(b"downloaded")
    monkeypatch.setattr(dicomcore.data, "DOWNLOAD_CACHE", cache)
    monkeypatch.setattr(dicomcore.data, "DATA_PATHS", [cache])
    assert get_testdata_file("color-pl.dcm") == str(cache / "color-pl.dcm")
    assert get_testdata_files("color-*") == []
    assert len(get_testdata_files()) == 18
