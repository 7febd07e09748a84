"""get_decoder / get_encoder (dicomcore.pixels.decoders.base, encoders.base):
the same calls as on pydicom 3's objects, the same arrays and properties.

Witnesses: the committed files made by DCMTK and GDCM, and pydicom's own
encoders and decoders decoding what ours encode (and the other way round).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dicomcore import dcmread
from dicomcore.io.encapsulation import encapsulate, generate_frames
from dicomcore.pixels.decoders.base import get_decoder
from dicomcore.pixels.encoders.base import get_encoder

pydicom_decoders = pytest.importorskip("pydicom.pixels.decoders.base")
pydicom_encoders = pytest.importorskip("pydicom.pixels.encoders.base")

TESTFILES = Path(__file__).resolve().parents[2] / "testfiles"
EXPLICIT = "1.2.840.10008.1.2.1"
RLE = "1.2.840.10008.1.2.5"
JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80"
JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90"


def _description(ds):
    return {
        "rows": ds.Rows,
        "columns": ds.Columns,
        "samples_per_pixel": ds.SamplesPerPixel,
        "bits_allocated": ds.BitsAllocated,
        "bits_stored": ds.BitsStored,
        "photometric_interpretation": str(ds.PhotometricInterpretation),
        "pixel_representation": ds.PixelRepresentation,
        "number_of_frames": 1,
        "pixel_keyword": "PixelData",
    }


@pytest.mark.parametrize(
    "name", ["ct_int16_rle.dcm", "ct_int16_rle_gdcm.dcm", "mono16_5frames_rle.dcm"]
)
def test_decoding_one_encapsulated_frame_as_pydicom(name):
    ds = dcmread(TESTFILES / name)
    frames = list(
        generate_frames(ds.PixelData, number_of_frames=ds.get("NumberOfFrames", 1))
    )
    description = _description(ds)
    ours = get_decoder(RLE)
    theirs = pydicom_decoders.get_decoder(RLE)
    for frame in frames:
        src = encapsulate([frame], has_bot=False)
        array, properties = ours.as_array(src, **description)
        expected, expected_properties = theirs.as_array(src, **description)
        assert array.dtype == expected.dtype
        np.testing.assert_array_equal(array, expected)
        assert properties == expected_properties
    assert array.shape == (ds.Rows, ds.Columns)


def test_decoding_native_bytes_masks_bits_stored_as_pydicom():
    pixels = (np.arange(12, dtype=np.uint16) | 0xF000).reshape(3, 4)
    description = {
        "rows": 3,
        "columns": 4,
        "samples_per_pixel": 1,
        "bits_allocated": 16,
        "bits_stored": 12,
        "photometric_interpretation": "MONOCHROME2",
        "pixel_representation": 0,
        "number_of_frames": 1,
        "pixel_keyword": "PixelData",
    }
    array, properties = get_decoder(EXPLICIT).as_array(pixels.tobytes(), **description)
    expected, expected_properties = pydicom_decoders.get_decoder(EXPLICIT).as_array(
        pixels.tobytes(), **description
    )
    assert array.tolist() == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    np.testing.assert_array_equal(array, expected)
    assert properties == expected_properties
    assert properties["photometric_interpretation"] == "MONOCHROME2"


def _rgb():
    return np.random.default_rng(7).integers(0, 256, (40, 48, 3), dtype=np.uint8)


def _colour(photometric):
    return {
        "rows": 40,
        "columns": 48,
        "samples_per_pixel": 3,
        "bits_allocated": 8,
        "bits_stored": 8,
        "photometric_interpretation": photometric,
        "pixel_representation": 0,
        "planar_configuration": 0,
        "number_of_frames": 1,
    }


CASES = [
    pytest.param(RLE, "RGB", None, id="rle"),
    pytest.param(JPEG_LS_LOSSLESS, "RGB", "jpeg_ls", id="jpegls"),
    pytest.param(JPEG_2000_LOSSLESS, "YBR_RCT", "openjpeg", id="j2k-rct"),
]


@pytest.mark.parametrize(("uid", "photometric", "module"), CASES)
def test_our_encoding_decodes_with_pydicom_and_back(uid, photometric, module):
    if module is not None:
        pytest.importorskip(module)
    rgb = _rgb()
    description = _colour(photometric)
    encoded = get_encoder(uid).encode(rgb, **description)
    decoded, properties = pydicom_decoders.get_decoder(uid).as_array(
        encapsulate([encoded], has_bot=False), pixel_keyword="PixelData", **description
    )
    np.testing.assert_array_equal(decoded, rgb)
    assert properties["photometric_interpretation"] == "RGB"
    theirs = pydicom_encoders.get_encoder(uid).encode(rgb, **description)
    ours, our_properties = get_decoder(uid).as_array(
        encapsulate([theirs], has_bot=False), **description
    )
    np.testing.assert_array_equal(ours, rgb)
    assert our_properties == properties


def test_one_frame_of_several_by_index():
    frames = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    description = {
        "rows": 3,
        "columns": 4,
        "samples_per_pixel": 1,
        "bits_allocated": 8,
        "bits_stored": 8,
        "photometric_interpretation": "MONOCHROME2",
        "pixel_representation": 0,
        "number_of_frames": 2,
    }
    ours = get_encoder(RLE).encode(frames, index=1, **description)
    decoded, _ = pydicom_decoders.get_decoder(RLE).as_array(
        encapsulate([ours], has_bot=False),
        pixel_keyword="PixelData",
        **{**description, "number_of_frames": 1},
    )
    assert decoded.tolist() == frames[1].tolist()
    assert [len(b) for b in get_encoder(RLE).iter_encode(frames, **description)] == [
        len(get_encoder(RLE).encode(frames, index=0, **description)),
        len(ours),
    ]


def test_values_outside_bits_stored_are_refused():
    with pytest.raises(ValueError, match="do not fit in 4 bits stored"):
        get_encoder(RLE).encode(
            np.full((2, 2), 16, np.uint8),
            rows=2,
            columns=2,
            samples_per_pixel=1,
            bits_allocated=8,
            bits_stored=4,
            photometric_interpretation="MONOCHROME2",
        )


def test_attributes_as_pydicom():
    for uid in (EXPLICIT, RLE):
        ours, theirs = get_decoder(uid), pydicom_decoders.get_decoder(uid)
        assert ours.UID == theirs.UID
        assert (ours.is_native, ours.is_encapsulated) == (
            theirs.is_native,
            theirs.is_encapsulated,
        )
        assert ours.is_available is True
    encoder = get_encoder(RLE)
    assert encoder.UID == RLE and encoder.is_encapsulated and not encoder.is_native
    assert "rle" in encoder.available_plugins
    assert get_decoder(EXPLICIT).available_plugins == ("float", "native")


def test_unknown_transfer_syntax_raises_as_pydicom():
    with pytest.raises(NotImplementedError) as ours:
        get_decoder("1.2.3")
    with pytest.raises(NotImplementedError) as theirs:
        pydicom_decoders.get_decoder("1.2.3")
    assert str(ours.value) == str(theirs.value)
    assert str(ours.value) == "No pixel data decoders have been implemented for '1.2.3'"
    # MPEG2 Main Profile / Main Level: no encoder, bundled or optional
    with pytest.raises(NotImplementedError, match="No pixel data encoders"):
        get_encoder("1.2.840.10008.1.2.4.100")


def test_single_bit_jpeg_2000_decodes_as_pydicom():
    openjpeg_utils = pytest.importorskip("openjpeg.utils")
    pixels = np.random.default_rng(1).random((40, 48)) > 0.5
    # OpenJPEG writes the codestream: precision 1, as highdicom stores binary
    # segmentations.
    codestream = openjpeg_utils.encode_array(
        pixels, bits_stored=1, photometric_interpretation=2, use_mct=False
    )
    description = {
        "rows": 40,
        "columns": 48,
        "samples_per_pixel": 1,
        "bits_allocated": 1,
        "bits_stored": 1,
        "photometric_interpretation": "MONOCHROME2",
        "pixel_representation": 0,
        "number_of_frames": 1,
        "pixel_keyword": "PixelData",
    }
    src = encapsulate([codestream], has_bot=False)
    ours, properties = get_decoder(JPEG_2000_LOSSLESS).as_array(src, **description)
    theirs, expected = pydicom_decoders.get_decoder(JPEG_2000_LOSSLESS).as_array(
        src, **description
    )
    assert ours.dtype == np.uint8 and ours.shape == (40, 48)
    np.testing.assert_array_equal(ours, pixels.astype(np.uint8))
    np.testing.assert_array_equal(ours, theirs)
    assert properties == expected
