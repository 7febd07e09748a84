"""Example files shipped with dicomcore, found by pydicom's test file names.

pydicom ships test files under names that scripts and tutorials use
(``get_testdata_file("CT_small.dcm")``). dicomcore ships small files of its
own that play the same parts, under those names; their contents differ from
pydicom's (other pixels, patient names, sizes), so a script prints other
values for them. Each is a copy of a file in the project's ``testfiles/``,
made by DCMTK or GDCM (see ``testfiles/make_testfiles.py`` and the
processing files' ``make_processing_files.py``):

=============================  ==============================================
pydicom's name                 copy of (in ``testfiles/``)
=============================  ==============================================
``CT_small.dcm``               ``ct_int16_explicit.dcm``
``MR_small.dcm``               ``mono16_explicit.dcm``
``MR_small_bigendian.dcm``     ``mono16_bigendian.dcm``
``rtplan.dcm``                 ``rtplan_undefined_length_implicit.dcm``
``examples_rgb_color.dcm``     ``rgb8_planar0_explicit.dcm``
``SC_rgb.dcm``                 ``rgb8_planar0_explicit.dcm``
``SC_rgb_rle.dcm``             ``rgb8_rle.dcm``
``examples_ybr_color.dcm``     ``rgb8_jpeg_baseline_ybr422.dcm``
``examples_jpeg2k.dcm``        ``rgb8_j2k.dcm``
``no_meta.dcm``                ``ct_int16_implicit_nometa.dcm``
``examples_overlay.dcm``       ``processing/overlay.dcm``
``examples_palette.dcm``       ``processing/palette8.dcm``
``emri_small.dcm``             ``mono16_5frames_explicit.dcm``
``emri_small_RLE.dcm``         ``mono16_5frames_rle.dcm``
``JPEG2000.dcm``               ``mono16_j2k.dcm``
``JPEG-LL.dcm``                ``ct_int16_jpeg_sv1.dcm``
``JPEG-lossy.dcm``             ``mono12u_jpeg_extended.dcm``
``image_dfl.dcm``              ``mono16_deflated.dcm``
=============================  ==============================================

pydicom's other test files (``rtdose.dcm``, ``rtstruct.dcm``,
``waveform_ecg.dcm``, ``DICOMDIR``, ...) have no counterpart yet. Nothing is
downloaded, but folders holding pydicom's own files are searched first, in
this order: those listed in the environment variable
``DICOMCORE_TESTDATA_PATH`` (separated by ``os.pathsep``; point it at a copy
of pydicom's ``data/test_files`` or pydicom-data's ``data``), then pydicom's
download cache ``~/.pydicom/data``. :data:`DATA_PATHS` is that list, and may
be changed. A name found nowhere raises
:class:`~dicomcore.errors.DicomValueError` naming the packaged files.

>>> from dicomcore.data import get_testdata_file
>>> get_testdata_file("CT_small.dcm")  # doctest: +ELLIPSIS
'.../CT_small.dcm'
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePosixPath
from typing import Any

from dicomcore.errors import DicomValueError

__all__ = ["DATA_PATHS", "TEST_FILES", "get_testdata_file", "get_testdata_files"]

TEST_FILES = Path(__file__).resolve().parent / "test_files"


#: pydicom's download cache: searched by name, never listed (as pydicom
#: lists only its own test files, whatever the cache holds).
DOWNLOAD_CACHE = Path("~/.pydicom/data").expanduser()


def _data_paths() -> list[Path]:
    listed = os.environ.get("DICOMCORE_TESTDATA_PATH", "")
    paths = [Path(entry).expanduser() for entry in listed.split(os.pathsep) if entry]
    return [*paths, DOWNLOAD_CACHE]


#: Folders of pydicom's test files, searched before dicomcore's own.
DATA_PATHS: list[Path] = _data_paths()


def _names() -> list[str]:
    return sorted(path.name for path in TEST_FILES.glob("*.dcm"))


def _relative(name: str) -> PurePosixPath:
    """``name`` as a path inside a data folder; no way out of it."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise DicomValueError(f"not a test file name: {name!r}")
    return relative


def _find(name: str) -> Path | None:
    relative = _relative(name)
    for folder in DATA_PATHS:
        candidate = folder.joinpath(*relative.parts)
        if candidate.is_file():
            return candidate
        if len(relative.parts) == 1 and folder.is_dir():
            # pydicom also finds a plain name in its data folders' subfolders.
            for found in sorted(folder.rglob(relative.name)):
                if found.is_file():
                    return found
    packaged = TEST_FILES / relative.name
    if len(relative.parts) == 1 and packaged.is_file():
        return packaged
    return None


def get_testdata_file(name: str, read: bool = False, download: bool = True) -> Any:
    """The path (a ``str``) of the test file named ``name`` (a plain name or a
    path inside a data folder, ``"dicomdirtests/77654033/CT2/17196"``), or
    with ``read`` the dataset read from it. ``download`` is accepted for
    pydicom's sake; dicomcore downloads nothing."""
    path = _find(name)
    if path is None:
        raise DicomValueError(
            f"dicomcore ships no example file named {name!r}, and none of "
            "DATA_PATHS holds one; the ones it has, under pydicom's names: "
            + ", ".join(_names())
        )
    if read:
        from dicomcore.io import dcmread

        return dcmread(path, force=True)
    return str(path)


def get_testdata_files(pattern: str = "**/*") -> list[str]:
    """The paths of the test files matching the glob ``pattern``
    (``"*rgb*"``, ``"dicomdirtests/77654033/CT2/*"``): those in
    :data:`DATA_PATHS` first (the download cache aside, as pydicom leaves
    it out), then the packaged ones, each group sorted."""
    _relative(pattern)
    found: list[str] = []
    for folder in DATA_PATHS:
        if folder.is_dir() and folder != DOWNLOAD_CACHE:
            found += sorted(
                str(path) for path in folder.glob(pattern) if path.is_file()
            )
    # The packaged files lie in no subfolder: only "name" or "**/name" find them.
    *folders, name_pattern = pattern.split("/")
    if all(part == "**" for part in folders):
        found += [
            str(TEST_FILES / name)
            for name in _names()
            if fnmatch.fnmatch(name, name_pattern)
        ]
    return found
