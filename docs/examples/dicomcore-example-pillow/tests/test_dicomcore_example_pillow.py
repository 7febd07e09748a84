"""Tests of the pillow-jpeg plugin: dicomcore's conformance suite, frames
made by DCMTK as references, and a dataset written by dicomcore read back by
pydicom."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dicomcore_example_pillow as pillow_jpeg
import numpy as np
import pytest

import dicomcore
from dicomcore.pixels import PixelLayout, register_plugin, reset_registry
from dicomcore.testing import PSNR, CodecConformance, ReferenceFrame

pydicom = pytest.importorskip("pydicom")

# dicomcore's test files, when this folder sits in a dicomcore checkout.
TESTFILES = Path(__file__).resolve().parents[4] / "testfiles"


def dcmtk_reference(name: str) -> ReferenceFrame:
    """Frame 0 of a file that DCMTK's dcmcjpeg made, with the pixels pydicom
    (through pylibjpeg) decodes from it: two implementations that are not
    this plugin's.  ``raw=True``: the samples as stored, YBR_FULL for colour
    (4:2:2 upsampled), which is what a ReferenceFrame holds."""
    path = TESTFILES / name
    theirs = pydicom.dcmread(path)
    fragment = next(
        pydicom.encaps.generate_frames(theirs.PixelData, number_of_frames=1)
    )
    layout = PixelLayout.from_dataset(dicomcore.dcmread(path))
    expected = pydicom.pixels.pixel_array(path, raw=True)
    # libjpeg and libjpeg-turbo may round the colour steps differently
    return ReferenceFrame(name, layout, fragment, expected, tolerance=2)


REFERENCES = (
    [
        dcmtk_reference("mono8_jpeg_baseline.dcm"),
        dcmtk_reference("rgb8_jpeg_baseline_ybr422.dcm"),
    ]
    if TESTFILES.is_dir()
    else []
)


class TestPillowJpeg(CodecConformance):
    plugin = pillow_jpeg
    reference_frames = REFERENCES
    encode_options = {"quality": 95, "subsampling": "4:4:4"}
    # JPEG at quality 95 keeps random noise above 30 dB (the test frames are
    # noise, the hardest case); colour also goes through YCbCr and back.
    lossy_tolerance = PSNR(30)


class TestPillowJpeg422(CodecConformance):
    plugin = pillow_jpeg
    encode_options = {"quality": 95}
    # Halving the chroma of random colour noise loses most of it (about
    # 13 dB is left); greyscale has no chroma to lose.
    lossy_tolerance = {
        "rgb8": PSNR(10),
        "rgb8-planar": PSNR(10),
        "ybr-full8": PSNR(10),
        "*": PSNR(30),
    }


def test_unknown_options_are_refused_with_the_accepted_names() -> None:
    layout = PixelLayout(rows=8, columns=8)
    assert pillow_jpeg.encoder_supports(layout, {"qualty": 80}) == (
        "unknown option(s) qualty; pillow-jpeg accepts quality, subsampling"
    )
    assert pillow_jpeg.encoder_supports(layout, {"quality": 100}) == (
        "quality must be 1 to 95, got 100"
    )


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DICOMCORE_NO_PLUGIN_AUTOLOAD", "1")
    reset_registry()
    register_plugin(pillow_jpeg, name="pillow-jpeg")
    yield
    reset_registry()


def test_a_dataset_compressed_by_the_plugin_reads_in_pydicom(
    registered: None, tmp_path: Path
) -> None:
    ds = dicomcore.Dataset()
    ds.SOPClassUID = dicomcore.uid.SecondaryCaptureImageStorage
    # a smooth colour image, as photographs are
    rows = np.linspace(0, 255, 48).astype(np.int64)
    image = np.stack(
        [
            np.add.outer(rows, rows) // 2,
            np.add.outer(rows, rows[::-1]) // 2,
            np.full((48, 48), 90, np.uint8),
        ],
        axis=-1,
    ).astype(np.uint8)
    ds.set_pixel_data(image, "RGB", 8)
    ds.compress(pillow_jpeg.JPEG_BASELINE, encoding_plugin="pillow-jpeg", quality=95)
    assert ds.PhotometricInterpretation == "YBR_FULL_422"
    assert ds.LossyImageCompressionMethod == "ISO_10918_1"
    ds.save_as(tmp_path / "jpeg.dcm")
    theirs = pydicom.dcmread(tmp_path / "jpeg.dcm").pixel_array  # RGB
    assert np.abs(theirs.astype(int) - image).max() <= 8
