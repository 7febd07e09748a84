"""PixelLayout: derived values, and reading the pixel module from a dataset."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydicom import Dataset, FileMetaDataset
from pydicom.uid import UID

import dicomcore
from dicomcore import config
from dicomcore.errors import InvalidPixelModuleError
from dicomcore.pixels import PixelLayout

EXPLICIT_LE = "1.2.840.10008.1.2.1"
RLE = "1.2.840.10008.1.2.5"


def mono16(**changes: Any) -> Dataset:
    """A pydicom dataset with a valid 12-bit signed monochrome pixel module."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = UID(RLE)
    ds.Rows = 4
    ds.Columns = 6
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 1
    ds.NumberOfFrames = "3"
    ds.PixelData = b"\x00" * 4 * 6 * 2 * 3
    for keyword, value in changes.items():
        if value is None:
            delattr(ds, keyword)
        else:
            setattr(ds, keyword, value)
    return ds


@pytest.fixture
def validation_mode() -> Iterator[None]:
    saved = config.settings.reading_validation_mode
    yield
    config.settings.reading_validation_mode = saved


# -- derived values -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "dtype"),
    [
        ({"bits_allocated": 1, "bits_stored": 1}, "uint8"),
        ({"bits_allocated": 8, "bits_stored": 8}, "uint8"),
        ({"bits_allocated": 16, "bits_stored": 12}, "uint16"),
        ({"bits_allocated": 16, "bits_stored": 12, "pixel_representation": 1}, "int16"),
        ({"bits_allocated": 32, "bits_stored": 32, "pixel_representation": 1}, "int32"),
        ({"bits_allocated": 64, "bits_stored": 40}, "uint64"),
        (
            {
                "bits_allocated": 32,
                "bits_stored": 32,
                "pixel_keyword": "FloatPixelData",
            },
            "float32",
        ),
        (
            {
                "bits_allocated": 64,
                "bits_stored": 64,
                "pixel_keyword": "DoubleFloatPixelData",
            },
            "float64",
        ),
    ],
)
def test_dtype(fields: dict[str, Any], dtype: str) -> None:
    assert PixelLayout(rows=2, columns=3, **fields).dtype == np.dtype(dtype)


def test_derived_values_of_a_colour_layout() -> None:
    layout = PixelLayout(
        rows=4,
        columns=5,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        bits_allocated=16,
        bits_stored=16,
        number_of_frames=2,
    )
    assert layout.frame_shape == (4, 5, 3)
    assert layout.pixels_per_frame == 20
    assert layout.frame_length == 120
    assert layout.frame_length_bits == 960
    assert layout.high_bit == 15
    assert (layout.is_signed, layout.is_float) == (False, False)


def test_one_bit_frames_are_not_whole_bytes() -> None:
    layout = PixelLayout(rows=3, columns=5, bits_allocated=1, bits_stored=1)
    assert layout.frame_length_bits == 15
    assert layout.frame_length == 2
    assert layout.frame_shape == (3, 5)


def test_float_layout_is_not_signed_but_float() -> None:
    layout = PixelLayout(
        rows=1,
        columns=1,
        bits_allocated=32,
        bits_stored=32,
        pixel_keyword="FloatPixelData",
    )
    assert (layout.is_float, layout.is_signed) == (True, False)


def test_integers_of_any_kind_become_int_and_layouts_compare_equal() -> None:
    from_numpy = PixelLayout(rows=np.uint16(3), columns=np.int64(4))
    assert type(from_numpy.rows) is int
    assert from_numpy == PixelLayout(rows=3, columns=4)
    assert hash(from_numpy) == hash(PixelLayout(rows=3, columns=4))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rows": 0}, "Rows: must be at least 1, got 0"),
        ({"columns": True}, "Columns: expected an integer, got True"),
        ({"rows": 2.0}, "Rows: expected an integer, got 2.0"),
        (
            {"high_bit": 8},
            "HighBit: must be between Bits Stored - 1 (7) and Bits Allocated - 1 (7), "
            "got 8",
        ),
        (
            {"pixel_keyword": "OverlayData"},
            "OverlayData: not a pixel data keyword; expected one of PixelData, "
            "FloatPixelData, DoubleFloatPixelData",
        ),
        ({"transfer_syntax": ""}, "TransferSyntaxUID: must not be empty"),
    ],
)
def test_constructor_rejects(fields: dict[str, Any], message: str) -> None:
    arguments = {"rows": 2, "columns": 2, **fields}
    with pytest.raises(InvalidPixelModuleError) as info:
        PixelLayout(**arguments)
    assert str(info.value) == message


# -- from_dataset ---------------------------------------------------------------


def test_from_pydicom_dataset() -> None:
    layout = PixelLayout.from_dataset(mono16())
    assert layout == PixelLayout(
        rows=4,
        columns=6,
        samples_per_pixel=1,
        photometric_interpretation="MONOCHROME2",
        planar_configuration=0,
        bits_allocated=16,
        bits_stored=12,
        high_bit=11,
        pixel_representation=1,
        number_of_frames=3,
        pixel_keyword="PixelData",
        transfer_syntax=RLE,
    )
    assert type(layout.transfer_syntax) is str


def test_from_duck_typed_dataset() -> None:
    class Meta(dict[str, Any]):
        pass

    class FakeDataset(dict[str, Any]):
        file_meta = Meta(TransferSyntaxUID="1.2.840.10008.1.2.1\x00")

    ds = FakeDataset(
        Rows=2,
        Columns=3,
        SamplesPerPixel=3,
        PhotometricInterpretation="RGB ",
        PlanarConfiguration=1,
        BitsAllocated=8,
        BitsStored=8,
        HighBit=7,
        PixelRepresentation=0,
        PixelData=b"",
    )
    layout = PixelLayout.from_dataset(ds)
    assert layout.frame_shape == (2, 3, 3)
    assert layout.planar_configuration == 1
    assert layout.photometric_interpretation == "RGB"
    assert layout.transfer_syntax == EXPLICIT_LE
    assert layout.number_of_frames == 1


def test_transfer_syntax_argument_wins_over_file_meta() -> None:
    layout = PixelLayout.from_dataset(mono16(), transfer_syntax=EXPLICIT_LE)
    assert layout.transfer_syntax == EXPLICIT_LE


def test_float_pixel_data_needs_no_bits_stored_or_pixel_representation() -> None:
    ds = mono16(BitsStored=None, HighBit=None, PixelRepresentation=None, PixelData=None)
    ds.BitsAllocated = 32
    ds.FloatPixelData = b"\x00" * 4 * 6 * 4 * 3
    layout = PixelLayout.from_dataset(ds)
    assert (layout.pixel_keyword, layout.bits_stored, layout.high_bit) == (
        "FloatPixelData",
        32,
        31,
    )
    assert layout.dtype == np.dtype("float32")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"Rows": None}, "Rows: missing or empty"),
        ({"Columns": 0}, "Columns: must be at least 1, got 0"),
        (
            {"BitsAllocated": 12},
            "BitsAllocated: must be 1, 8, 16, 32 or 64, got 12",
        ),
        (
            {"BitsAllocated": 72},
            "BitsAllocated: must be 1, 8, 16, 32 or 64, got 72",
        ),
        (
            {"BitsStored": 17},
            "BitsStored: must be between 1 and Bits Allocated (16), got 17",
        ),
        (
            {"BitsStored": 0},
            "BitsStored: must be between 1 and Bits Allocated (16), got 0",
        ),
        ({"SamplesPerPixel": 2}, "SamplesPerPixel: must be 1 or 3, got 2"),
        (
            {"SamplesPerPixel": 4},
            "SamplesPerPixel: must be 1 or 3, got 4 (four samples belong to the "
            "retired ARGB and CMYK photometric interpretations, which dicomcore "
            "does not support)",
        ),
        (
            {"PhotometricInterpretation": "FOO"},
            "PhotometricInterpretation: unknown term 'FOO'",
        ),
        (
            {"PhotometricInterpretation": "CMYK"},
            "PhotometricInterpretation: unknown term 'CMYK' "
            "(retired, four samples per pixel)",
        ),
        (
            {"PhotometricInterpretation": None},
            "PhotometricInterpretation: missing or empty",
        ),
        (
            {"PixelRepresentation": 2},
            "PixelRepresentation: must be 0 (unsigned) or 1 (two's complement), got 2",
        ),
        ({"PixelRepresentation": None}, "PixelRepresentation: missing or empty"),
        ({"NumberOfFrames": "0"}, "NumberOfFrames: must be at least 1, got 0"),
        (
            {"PixelData": None},
            "PixelData: the dataset has no Pixel Data, Float Pixel Data or "
            "Double Float Pixel Data",
        ),
        (
            {"FloatPixelData": b"\x00" * 4},
            "FloatPixelData: the dataset holds PixelData and FloatPixelData; "
            "only one is allowed",
        ),
    ],
)
def test_from_dataset_names_the_wrong_attribute(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidPixelModuleError) as info:
        PixelLayout.from_dataset(mono16(**changes))
    assert str(info.value) == message
    assert info.value.attribute == message.split(":")[0]


def test_float_pixel_data_needs_32_bits() -> None:
    ds = mono16(PixelData=None)
    ds.FloatPixelData = b"\x00" * 4
    with pytest.raises(InvalidPixelModuleError) as info:
        PixelLayout.from_dataset(ds)
    assert str(info.value) == "BitsAllocated: must be 32 for FloatPixelData, got 16"


def test_unparseable_number_of_frames() -> None:
    # pydicom keeps an invalid IS as text when its validation is off; a plain
    # dict stands in for such a dataset
    values = {element.keyword: element.value for element in mono16()}
    values["NumberOfFrames"] = "abc"
    with pytest.raises(InvalidPixelModuleError) as info:
        PixelLayout.from_dataset(values, transfer_syntax=RLE)
    assert str(info.value) == "NumberOfFrames: expected an integer, got 'abc'"


def test_multi_valued_rows() -> None:
    values = {e.keyword: e.value for e in mono16()}
    values["Rows"] = [4, 5]
    with pytest.raises(InvalidPixelModuleError) as info:
        PixelLayout.from_dataset(values, transfer_syntax=RLE)
    assert str(info.value) == "Rows: expected one value, got 2: [4, 5]"


def test_missing_transfer_syntax() -> None:
    ds = mono16()
    del ds.file_meta
    with pytest.raises(InvalidPixelModuleError) as info:
        PixelLayout.from_dataset(ds)
    assert str(info.value) == (
        "TransferSyntaxUID: the dataset has no file meta Transfer Syntax UID; set "
        "ds.file_meta.TransferSyntaxUID or pass transfer_syntax=..."
    )
    ds.file_meta = FileMetaDataset()
    with pytest.raises(InvalidPixelModuleError, match="^TransferSyntaxUID: "):
        PixelLayout.from_dataset(ds)


def test_missing_high_bit_is_derived_silently(no_warnings: None) -> None:
    assert PixelLayout.from_dataset(mono16(HighBit=None)).high_bit == 11


@pytest.mark.usefixtures("validation_mode")
def test_high_bit_other_than_bits_stored_minus_one_follows_the_validation_mode() -> (
    None
):
    ds = mono16(HighBit=15)
    with pytest.warns(UserWarning) as record:
        layout = PixelLayout.from_dataset(ds)
    assert [str(w.message) for w in record] == [
        "HighBit: is 15 but the standard requires Bits Stored - 1 (11); "
        "reading Bits Stored bits from bit 0"
    ]
    assert (layout.bits_stored, layout.high_bit) == (12, 15)

    config.settings.reading_validation_mode = config.IGNORE
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert PixelLayout.from_dataset(ds).high_bit == 15

    config.settings.reading_validation_mode = config.RAISE
    with pytest.raises(InvalidPixelModuleError, match=r"^HighBit: is 15 but"):
        PixelLayout.from_dataset(ds)


def test_missing_planar_configuration_is_assumed_interleaved() -> None:
    ds = mono16(SamplesPerPixel=3, PhotometricInterpretation="RGB")
    with pytest.warns(
        UserWarning,
        match=r"^PlanarConfiguration: missing though "
        r"Samples per Pixel is 3; assuming 0 \(interleaved\)$",
    ):
        layout = PixelLayout.from_dataset(ds)
    assert layout.planar_configuration == 0


def test_photometric_interpretation_disagreeing_with_samples_warns() -> None:
    ds = mono16(PhotometricInterpretation="RGB")
    with pytest.warns(
        UserWarning,
        match=r"^PhotometricInterpretation: RGB needs 3 sample\(s\) per pixel but "
        r"Samples per Pixel is 1$",
    ):
        layout = PixelLayout.from_dataset(ds)
    assert layout.samples_per_pixel == 1


def test_layout_from_pydicom_pixel_options():
    layout = PixelLayout.from_pixel_options(
        "1.2.840.10008.1.2.5",
        rows=2,
        columns=3,
        samples_per_pixel=3,
        bits_allocated=8,
        bits_stored=8,
        photometric_interpretation="RGB",
        planar_configuration=None,
        pixel_representation=None,
        j2k_cr=[20],
    )
    assert layout == PixelLayout(
        rows=2,
        columns=3,
        samples_per_pixel=3,
        photometric_interpretation="RGB",
        transfer_syntax="1.2.840.10008.1.2.5",
    )
    assert layout.frame_shape == (2, 3, 3)
    with pytest.raises(TypeError, match="needs 'bits_stored'"):
        PixelLayout.from_pixel_options(
            "1.2.840.10008.1.2.1",
            rows=2,
            columns=3,
            samples_per_pixel=1,
            bits_allocated=8,
            photometric_interpretation="MONOCHROME2",
        )


# -- layouts shared by the images of a series -------------------------------------


def _read(data: bytes) -> Any:
    return dicomcore.dcmread(data)


def _file_bytes(name: str) -> bytes:
    return (Path(__file__).parents[2] / "testfiles" / name).read_bytes()


def _written(ds: Any, transfer_syntax: str) -> bytes:
    ds.file_meta.TransferSyntaxUID = transfer_syntax
    buffer = io.BytesIO()
    dicomcore.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def test_datasets_with_equal_pixel_module_bytes_share_one_layout() -> None:
    data = _file_bytes("mono12u_explicit.dcm")
    first = PixelLayout.from_dataset(_read(data))
    second = PixelLayout.from_dataset(_read(data))
    assert second is first
    assert (first.rows, first.columns, first.bits_stored, first.dtype) == (
        32,
        32,
        12,
        np.dtype("uint16"),
    )
    assert first.transfer_syntax == EXPLICIT_LE
    # What the dataset decodes gives the same layout without the table.
    decoded = _read(data)
    decoded.Rows = decoded.Rows
    fresh = PixelLayout.from_dataset(decoded)
    assert fresh == first and fresh is not first


def test_a_changed_element_is_read_again_not_looked_up() -> None:
    data = _file_bytes("mono12u_explicit.dcm")
    assert PixelLayout.from_dataset(_read(data)).bits_stored == 12
    changed = _read(data)
    changed.BitsStored, changed.HighBit = 10, 9
    assert PixelLayout.from_dataset(changed).bits_stored == 10
    changed_meta = _read(data)
    changed_meta.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"
    assert PixelLayout.from_dataset(changed_meta).transfer_syntax == (
        "1.2.840.10008.1.2"
    )


def test_the_transfer_syntax_is_part_of_what_is_shared() -> None:
    ds = _read(_file_bytes("mono12u_explicit.dcm"))
    little = PixelLayout.from_dataset(_read(_written(ds, EXPLICIT_LE)))
    big = PixelLayout.from_dataset(_read(_written(ds, "1.2.840.10008.1.2.2")))
    assert (little.transfer_syntax, big.transfer_syntax) == (
        EXPLICIT_LE,
        "1.2.840.10008.1.2.2",
    )
    assert big.pixel_vr == "OW"


@pytest.mark.usefixtures("validation_mode")
def test_a_tolerated_deviation_is_reported_at_every_read() -> None:
    ds = _read(_file_bytes("mono12u_explicit.dcm"))
    ds.HighBit = 15
    data = _written(ds, EXPLICIT_LE)
    for _ in range(3):
        with pytest.warns(UserWarning, match=r"^HighBit: is 15 but"):
            layout = PixelLayout.from_dataset(_read(data))
        assert (layout.bits_stored, layout.high_bit) == (12, 15)
    config.settings.reading_validation_mode = config.RAISE
    with pytest.raises(InvalidPixelModuleError, match=r"^HighBit: is 15 but"):
        PixelLayout.from_dataset(_read(data))
