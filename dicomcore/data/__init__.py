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
``waveform_ecg.dcm``, ``DICOMDIR``, ...) have no counterpart yet: asking for
one raises :class:`~dicomcore.errors.DicomValueError` naming the ones there
are. Nothing is downloaded.

>>> from dicomcore.data import get_testdata_file
>>> get_testdata_file("CT_small.dcm")  # doctest: +ELLIPSIS
'.../dicomcore/data/test_files/CT_small.dcm'
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from dicomcore.errors import DicomValueError

__all__ = ["get_testdata_file", "get_testdata_files"]

TEST_FILES = Path(__file__).resolve().parent / "test_files"


def _names() -> list[str]:
    return sorted(path.name for path in TEST_FILES.glob("*.dcm"))


def get_testdata_file(name: str, read: bool = False, download: bool = True) -> Any:
    """The path (a ``str``) of the packaged file named ``name``, or with
    ``read`` the dataset read from it. ``download`` is accepted for pydicom's
    sake; dicomcore downloads nothing."""
    path = TEST_FILES / Path(name).name
    if Path(name).name != name or not path.is_file():
        raise DicomValueError(
            f"dicomcore ships no example file named {name!r}; the ones it has, "
            f"under pydicom's names: {', '.join(_names())}"
        )
    if read:
        from dicomcore.io import dcmread

        return dcmread(path, force=True)
    return str(path)


def get_testdata_files(pattern: str = "**/*") -> list[str]:
    """The paths of the packaged files whose names match the glob
    ``pattern`` (``"*rgb*"``, ``"MR_*"``), sorted."""
    name_pattern = pattern.rsplit("/", 1)[-1]
    return [
        str(TEST_FILES / name)
        for name in _names()
        if fnmatch.fnmatch(name, name_pattern) or fnmatch.fnmatch(name, pattern)
    ]
