"""pydicom's plugin names reach the dicomcore codec doing the same job."""

from __future__ import annotations

from pathlib import Path

import pytest

import dicomcore
from dicomcore.errors import NoCodecError
from dicomcore.pixels import choose_decoders, choose_encoder
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.pydicom_plugins import pydicom_counterpart

TESTFILES = Path(__file__).resolve().parents[2] / "testfiles"


@pytest.mark.parametrize(
    ("name", "syntax", "expected"),
    [
        ("pylibjpeg", "1.2.840.10008.1.2.4.50", "pylibjpeg"),
        ("pylibjpeg", "1.2.840.10008.1.2.4.90", "openjpeg"),
        ("pylibjpeg", "1.2.840.10008.1.2.5", "pylibjpeg-rle"),
        ("pydicom", "1.2.840.10008.1.2.5", "rle"),
        ("pyjpegls", "1.2.840.10008.1.2.4.81", "pyjpegls"),
        ("pillow", "1.2.840.10008.1.2.4.91", "openjpeg"),
        ("gdcm", "1.2.840.10008.1.2.1", ""),
        ("rle", "1.2.840.10008.1.2.5", None),
    ],
)
def test_decoder_table(name, syntax, expected):
    assert pydicom_counterpart("decoder", name, syntax) == expected


def test_no_counterpart_is_a_clear_error():
    with pytest.raises(
        NoCodecError, match="pydicom's 'gdcm' plugin has no counterpart"
    ):
        pydicom_counterpart("decoder", "gdcm", "1.2.840.10008.1.2.4.50")


def test_registry_uses_the_table():
    layout = PixelLayout(rows=2, columns=2, transfer_syntax="1.2.840.10008.1.2.5")
    assert [d.name for d in choose_decoders(layout, "pydicom")] == ["rle"]
    native = PixelLayout(rows=2, columns=2)
    encoder = choose_encoder(native, "1.2.840.10008.1.2.5", None, "pydicom")
    assert encoder.name == "rle"


def test_decompress_with_pydicoms_names():
    ds = dicomcore.dcmread(TESTFILES / "mono8_rle.dcm")
    expected = ds.pixel_array.copy()
    ds.decompress("pydicom")
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert (ds.pixel_array == expected).all()
    with pytest.raises(NoCodecError, match="'pillow' plugin has no counterpart"):
        dicomcore.dcmread(TESTFILES / "mono8_jpeg_baseline.dcm").decompress(
            decoding_plugin="pillow"
        )
