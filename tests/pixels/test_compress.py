"""compress, decompress and transcode: round trips through every installed
encoder, the attributes the standard requires afterwards, and DCMTK reading
what we wrote."""

from __future__ import annotations

import functools
import importlib.util
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from interop import TESTFILES, dcmdump_elements, run_tool

import dicomcore
from dicomcore import Dataset, FileMetaDataset
from dicomcore.errors import InvalidPixelModuleError, NoCodecError, PixelDataError
from dicomcore.io.encapsulation import index_fragments
from dicomcore.pixels import (
    Encoder,
    PixelLayout,
    codec_table,
    compress,
    decompress,
    encoders_for,
    set_pixel_data,
    transcode,
)
from dicomcore.pixels.compress import _needs_extended_table, lossy_method
from dicomcore.testing import make_frame, standard_layouts
from dicomcore.uid import UID

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"
BIG_ENDIAN = "1.2.840.10008.1.2.2"
DEFLATED = "1.2.840.10008.1.2.1.99"
RLE = "1.2.840.10008.1.2.5"
JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70"
JPEG_LS = "1.2.840.10008.1.2.4.80"
JPEG_LS_NEAR = "1.2.840.10008.1.2.4.81"
JPEG_2000 = "1.2.840.10008.1.2.4.91"
ORIGINAL_UID = "1.2.826.0.1.3680043.2.1143.777"


# -- making datasets ----------------------------------------------------------


def frames_of(layout: PixelLayout, seed: int = 0) -> np.ndarray:
    """(frames, rows, columns[, samples]) test frames of ``layout``."""
    return np.stack(
        [make_frame(layout, seed + index) for index in range(layout.number_of_frames)]
    )


def native_dataset(layout: PixelLayout, frames: np.ndarray) -> Dataset:
    """A dataset holding ``frames`` as native data of ``layout`` (Planar
    Configuration as the layout says)."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.SOPClassUID = SECONDARY_CAPTURE
    ds.SOPInstanceUID = ORIGINAL_UID
    ds.file_meta.MediaStorageSOPInstanceUID = ORIGINAL_UID
    stack = frames if layout.number_of_frames > 1 else frames[0]
    set_pixel_data(
        ds,
        stack,
        layout.photometric_interpretation,
        layout.bits_stored,
        generate_instance_uid=False,
        bits_allocated=1 if layout.bits_allocated == 1 else None,
    )
    if layout.planar_configuration == 1:
        planes = np.ascontiguousarray(frames.transpose(0, 3, 1, 2))
        ds.PixelData = planes.astype(layout.dtype.newbyteorder("<")).tobytes()
        ds.PlanarConfiguration = 1
    return ds


def stack(ds: Dataset) -> np.ndarray:
    ds.pixel_array_options(as_rgb=False)
    array = ds.pixel_array
    return array if "NumberOfFrames" in ds else array[np.newaxis]


# -- every installed encoder, every layout it supports ------------------------


def _installed_encoders() -> list[Encoder]:
    syntaxes = {
        uid
        for row in codec_table().rows
        if row.kind == "encoder" and row.available == "yes"
        for uid in row.transfer_syntaxes
        if UID(uid).is_encapsulated
    }
    return [
        encoder
        for uid in sorted(syntaxes)
        for encoder in encoders_for(uid)
        if not encoder.missing()
    ]


def _cases() -> list[Any]:
    cases = []
    for encoder in _installed_encoders():
        for name, layout in standard_layouts().items():
            if layout.is_float:
                continue  # Float Pixel Data is never encapsulated
            given = replace(layout, planar_configuration=0)
            if encoder.supports(given, {}) is not None:
                continue
            cases.append(pytest.param(encoder, layout, id=f"{encoder.name}-{name}"))
    return cases


CASES = _cases()


def test_every_installed_encoder_has_cases() -> None:
    names = {param.values[0].name for param in CASES}
    assert {"rle", "jpeg-lossless-sv1", "jpeg-lossless", "deflate"} <= names


# The package each optional extra brings, to tell a missing extra (CI's run
# without extras) from a real failure (every extra installed).
_EXTRA_MODULES = {
    "jpeg": "libjpeg",
    "jpeg2000": "openjpeg",
    "rle": "rle",
    "jpegls": "jpeg_ls",
}


def skip_if_extra_missing(test: Callable[..., Any]) -> Callable[..., Any]:
    """Skip, naming the extra, when the test needs a codec that an optional
    extra brings and that extra is not installed."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return test(*args, **kwargs)
        except NoCodecError as error:
            for extra, module in _EXTRA_MODULES.items():
                hint = f'pip install "dicomcore[{extra}]"'
                if hint in str(error) and importlib.util.find_spec(module) is None:
                    pytest.skip(f"needs {hint}")
            raise

    return wrapper


@pytest.mark.parametrize(("encoder", "layout"), CASES)
@skip_if_extra_missing
def test_round_trip(encoder: Encoder, layout: PixelLayout) -> None:
    frames = frames_of(layout)
    ds = native_dataset(layout, frames)
    compress(ds, encoder.transfer_syntax, encoding_plugin=encoder.name)

    given = replace(layout, planar_configuration=0)
    after = encoder.photometric_after(given, {})
    assert ds.file_meta.TransferSyntaxUID == encoder.transfer_syntax
    assert ds.PhotometricInterpretation == after
    if layout.samples_per_pixel == 3:
        assert ds.PlanarConfiguration == 0
    else:
        assert "PlanarConfiguration" not in ds
    element = ds["PixelData"]
    assert element.VR == "OB"
    assert element.is_undefined_length
    index = index_fragments(element.value)
    assert len(index.fragments) == layout.number_of_frames
    assert index.basic_offsets[0] == 0
    assert len(index.basic_offsets) == layout.number_of_frames
    assert "ExtendedOffsetTable" not in ds
    if encoder.lossy:
        assert ds.LossyImageCompression == "01"
        assert ds.SOPInstanceUID != ORIGINAL_UID
        assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
        assert ds.LossyImageCompressionMethod == lossy_method(encoder.transfer_syntax)
        assert float(ds.LossyImageCompressionRatio) > 0
    else:
        assert "LossyImageCompression" not in ds
        assert ds.SOPInstanceUID == ORIGINAL_UID

    decompress(ds, as_rgb=False)
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
    # A decoder inverts JPEG 2000's colour transform; JPEG's YCbCr stays
    # YCbCr (as_rgb=False), at full resolution; nothing else changes.
    expected_photometric = {
        "YBR_RCT": "RGB",
        "YBR_ICT": "RGB",
        "YBR_FULL_422": "YBR_FULL",
        "YBR_FULL": "YBR_FULL",
    }.get(after, layout.photometric_interpretation)
    assert ds.PhotometricInterpretation == expected_photometric
    assert not ds["PixelData"].is_undefined_length
    decoded = stack(ds)
    assert decoded.dtype == frames.dtype
    assert decoded.shape == frames.shape
    if not encoder.lossy:
        np.testing.assert_array_equal(decoded, frames)
    elif encoder.transfer_syntax == JPEG_LS_NEAR:
        difference = np.abs(decoded.astype(np.int64) - frames.astype(np.int64))
        assert difference.max() <= 2  # the default NEAR


# -- the attributes, exactly --------------------------------------------------


def ct_dataset(frames: int = 1) -> tuple[Dataset, np.ndarray]:
    layout = PixelLayout(
        rows=64,
        columns=48,
        bits_allocated=16,
        bits_stored=12,
        pixel_representation=1,
        number_of_frames=frames,
    )
    pixels = frames_of(layout, seed=7)
    return native_dataset(layout, pixels), pixels


def test_lossless_compress_keeps_the_instance_and_adds_no_lossy_attributes() -> None:
    ds, pixels = ct_dataset()
    result = ds.compress(RLE)
    assert result is ds
    assert ds.file_meta.TransferSyntaxUID == RLE
    assert ds.PhotometricInterpretation == "MONOCHROME2"
    assert ds.SOPInstanceUID == ORIGINAL_UID
    assert "LossyImageCompression" not in ds
    assert ds.HighBit == 11
    np.testing.assert_array_equal(ds.pixel_array, pixels[0])


@skip_if_extra_missing
def test_generate_instance_uid_forces_either_way() -> None:
    ds, _ = ct_dataset()
    compress(ds, RLE, generate_instance_uid=True)
    assert ds.SOPInstanceUID != ORIGINAL_UID
    assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
    assert UID(ds.SOPInstanceUID).is_valid

    layout = replace(standard_layouts()["u16"], rows=32, columns=32)
    ds = native_dataset(layout, frames_of(layout))
    compress(ds, JPEG_LS_NEAR, generate_instance_uid=False, jls_error=1)
    assert ds.SOPInstanceUID == ORIGINAL_UID
    assert ds.LossyImageCompression == "01"


@skip_if_extra_missing
def test_lossy_attributes_are_appended_to_earlier_ones() -> None:
    ds = dicomcore.dcmread(TESTFILES / "mono8_jpeg_baseline.dcm")
    before = ds.SOPInstanceUID
    assert (ds.LossyImageCompressionRatio, ds.LossyImageCompressionMethod) == (
        1.561,
        "ISO_10918_1",
    )
    compress(ds, JPEG_LS_NEAR, jls_error=3)
    assert ds.LossyImageCompression == "01"
    assert ds.LossyImageCompressionMethod == ["ISO_10918_1", "ISO_14495_1"]
    ratios = ds.LossyImageCompressionRatio
    assert len(ratios) == 2 and str(ratios[0]) == "1.561"
    native = ds.Rows * ds.Columns
    encoded = sum(f.length for f in index_fragments(ds.PixelData).fragments)
    assert abs(float(ratios[1]) - native / encoded) < 0.01 * native / encoded
    assert ds.SOPInstanceUID != before


@skip_if_extra_missing
def test_lossless_transcode_of_lossy_data_keeps_its_lossy_attributes() -> None:
    ds = dicomcore.dcmread(TESTFILES / "mono8_jpeg_baseline.dcm")
    compress(ds, RLE)
    assert ds.LossyImageCompression == "01"
    assert ds.LossyImageCompressionRatio == 1.561
    assert ds.LossyImageCompressionMethod == "ISO_10918_1"


def test_compress_from_an_array() -> None:
    ds, pixels = ct_dataset(frames=3)
    other = (pixels[::-1] // 2).astype(np.int16)
    compress(ds, JPEG_LOSSLESS_SV1, other)
    assert ds.NumberOfFrames == 3
    np.testing.assert_array_equal(ds.pixel_array, other)
    # one frame given as a 2-D array
    ds, _ = ct_dataset()
    compress(ds, RLE, np.full((64, 48), -5, np.int16))
    np.testing.assert_array_equal(ds.pixel_array, np.full((64, 48), -5, np.int16))


@pytest.mark.parametrize(
    ("arr", "error", "text"),
    [
        (np.zeros((64, 47), np.int16), ValueError, "shape"),
        (np.zeros((64, 48), np.uint16), ValueError, "dtype"),
        (np.full((64, 48), 2048, np.int16), ValueError, "12 bits stored"),
        ([[1, 2]], TypeError, "numpy array"),
    ],
)
def test_an_array_must_match_the_dataset(arr: Any, error: type, text: str) -> None:
    ds, _ = ct_dataset()
    before = ds["PixelData"].value
    with pytest.raises(error, match=text):
        compress(ds, RLE, arr)
    assert ds["PixelData"].value is before
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE


def test_an_array_needs_the_image_pixel_module() -> None:
    ds = Dataset()
    ds.Rows = 2
    with pytest.raises(InvalidPixelModuleError) as caught:
        compress(ds, RLE, np.zeros((2, 2), np.uint8))
    assert caught.value.attribute == "Columns"


def test_a_refused_layout_leaves_the_dataset_unchanged() -> None:
    layout = standard_layouts()["1bit"]
    ds = native_dataset(layout, frames_of(layout))
    value = ds.PixelData
    with pytest.raises(NoCodecError, match="RLELossless"):
        compress(ds, RLE)
    assert ds.PixelData == value
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
    assert ds.SOPInstanceUID == ORIGINAL_UID


def test_float_pixel_data_and_native_targets_are_refused() -> None:
    layout = standard_layouts()["float32"]
    ds = Dataset()
    set_pixel_data(ds, make_frame(layout), "MONOCHROME2", 32)
    with pytest.raises(PixelDataError, match="FloatPixelData is always native"):
        compress(ds, RLE)
    ds, _ = ct_dataset()
    with pytest.raises(ValueError, match="native transfer syntax"):
        compress(ds, BIG_ENDIAN)
    with pytest.raises(ValueError, match="not a transfer syntax"):
        compress(ds, "1.2.3.4")


def test_extended_offset_table_on_request() -> None:
    ds, pixels = ct_dataset(frames=4)
    compress(ds, RLE, encapsulate_ext=True)
    index = index_fragments(ds.PixelData)
    assert index.basic_offsets == ()
    offsets = np.frombuffer(ds.ExtendedOffsetTable, "<u8")
    lengths = np.frombuffer(ds.ExtendedOffsetTableLengths, "<u8")
    assert lengths.tolist() == [fragment.length for fragment in index.fragments]
    assert offsets.tolist() == [
        fragment.item_offset - index.fragments_start for fragment in index.fragments
    ]
    np.testing.assert_array_equal(ds.pixel_array, pixels)
    # ... and gone again once a Basic Offset Table will do, or when decompressed
    compress(ds, JPEG_LOSSLESS_SV1)
    assert "ExtendedOffsetTable" not in ds
    compress(ds, RLE, encapsulate_ext=True)
    decompress(ds)
    assert "ExtendedOffsetTable" not in ds
    assert "ExtendedOffsetTableLengths" not in ds


class _Sized:
    def __init__(self, length: int) -> None:
        self.length = length

    def __len__(self) -> int:
        return self.length


def test_the_extended_table_is_needed_past_32_bit_offsets() -> None:
    item = 2**31  # a frame of 2**31 - 8 bytes and its item header
    under = [_Sized(item - 8), _Sized(item - 10), _Sized(1)]  # last at 2**32 - 2
    over = [_Sized(item - 8), _Sized(item - 8), _Sized(1)]  # last at 2**32
    assert not _needs_extended_table(under)  # type: ignore[arg-type]
    assert _needs_extended_table(over)  # type: ignore[arg-type]
    assert not _needs_extended_table([_Sized(2**40)])  # type: ignore[list-item]


def test_transcoding_compressed_to_compressed() -> None:
    source = dicomcore.dcmread(TESTFILES / "mono16_5frames_j2k.dcm")
    expected = source.pixel_array.copy()
    compress(source, JPEG_LS)
    assert source.file_meta.TransferSyntaxUID == JPEG_LS
    assert source.NumberOfFrames == 5
    np.testing.assert_array_equal(source.pixel_array, expected)


def test_transcoding_holds_one_decoded_frame_not_the_volume(tmp_path: Path) -> None:
    frames, rows, columns = 40, 256, 256
    ramp = np.add.outer(np.arange(rows), np.arange(columns)).astype(np.uint16)
    volume = np.stack([ramp + index for index in range(frames)])
    ds = Dataset()
    ds.SOPClassUID = SECONDARY_CAPTURE
    set_pixel_data(ds, volume, "MONOCHROME2", 16)
    compress(ds, RLE)
    path = tmp_path / "rle.dcm"
    ds.save_as(path)
    del ds
    source = dicomcore.dcmread(path)
    compress(dicomcore.dcmread(path), JPEG_LS)  # warm up the codecs
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        compress(source, JPEG_LS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    encoded = len(source.PixelData)
    frame = rows * columns * 2
    # The encoded frames and their encapsulation, and the working copies of
    # one frame in the decoder and the encoder: 5.2 MB of volume would not fit.
    assert peak - before < 2 * encoded + 8 * frame
    assert peak - before < volume.nbytes / 3
    np.testing.assert_array_equal(source.pixel_array, volume)


# -- decompress ---------------------------------------------------------------


def test_decompress_ybr_full_422_jpeg_to_rgb() -> None:
    ds = dicomcore.dcmread(TESTFILES / "rgb8_jpeg_baseline_ybr422.dcm")
    rgb = ds.pixel_array.copy()
    instance = ds.SOPInstanceUID
    result = ds.decompress()
    assert result is ds
    assert ds.file_meta.TransferSyntaxUID == EXPLICIT_LE
    assert ds.PhotometricInterpretation == "RGB"
    assert ds.PlanarConfiguration == 0
    assert ds["PixelData"].VR == "OB"
    assert not ds["PixelData"].is_undefined_length
    assert len(ds.PixelData) == ds.Rows * ds.Columns * 3
    assert ds.LossyImageCompression == "01"
    assert ds.LossyImageCompressionMethod == "ISO_10918_1"
    assert ds.SOPInstanceUID == instance
    np.testing.assert_array_equal(ds.pixel_array, rgb)


def test_decompress_without_rgb_keeps_full_resolution_ycbcr() -> None:
    ds = dicomcore.dcmread(TESTFILES / "rgb8_jpeg_baseline_ybr422.dcm")
    ds.pixel_array_options(as_rgb=False)
    ycbcr = ds.pixel_array.copy()
    decompress(ds, as_rgb=False, generate_instance_uid=True)
    assert ds.PhotometricInterpretation == "YBR_FULL"
    assert ds.SOPInstanceUID != ORIGINAL_UID
    assert ds.file_meta.MediaStorageSOPInstanceUID == ds.SOPInstanceUID
    ds.pixel_array_options(as_rgb=False)
    np.testing.assert_array_equal(ds.pixel_array, ycbcr)


def test_decompress_multiframe_and_12_bit() -> None:
    ds = dicomcore.dcmread(TESTFILES / "mono16_5frames_jpegls.dcm")
    expected = ds.pixel_array.copy()
    decompress(ds)
    assert ds.NumberOfFrames == 5
    assert ds["PixelData"].VR == "OW"
    assert len(ds.PixelData) == expected.nbytes
    np.testing.assert_array_equal(ds.pixel_array, expected)


def test_decompress_of_native_data_is_refused() -> None:
    ds, _ = ct_dataset()
    with pytest.raises(ValueError, match="already uncompressed"):
        decompress(ds)


# -- transcode ----------------------------------------------------------------


@pytest.mark.parametrize("target", [IMPLICIT_LE, BIG_ENDIAN, DEFLATED, EXPLICIT_LE])
def test_transcode_native_to_native_is_a_transfer_syntax_change(
    target: str, tmp_path: Path
) -> None:
    ds = dicomcore.dcmread(TESTFILES / "rgb8_planar1_explicit.dcm")
    expected = ds.pixel_array.copy()
    outcome = transcode(ds, target)
    assert outcome == ("unchanged" if target == EXPLICIT_LE else "re-encoded")
    assert ds.file_meta.TransferSyntaxUID == target
    assert ds.PlanarConfiguration == 1
    path = tmp_path / "out.dcm"
    ds.save_as(path)
    back = dicomcore.dcmread(path)
    assert back.file_meta.TransferSyntaxUID == target
    np.testing.assert_array_equal(back.pixel_array, expected)
    assert dcmdump_elements(path)[(0x00020010,)][1].strip("[]=") in (
        target,
        UID(target).keyword,
        "LittleEndianImplicit",
        "BigEndianExplicit",
        "DeflatedLittleEndianExplicit",
        "LittleEndianExplicit",
    )


def test_transcode_compressed_to_native_and_without_pixels() -> None:
    ds = dicomcore.dcmread(TESTFILES / "mono16_5frames_rle.dcm")
    expected = ds.pixel_array.copy()
    assert transcode(ds, BIG_ENDIAN) == "decompressed"
    assert ds.file_meta.TransferSyntaxUID == BIG_ENDIAN
    np.testing.assert_array_equal(ds.pixel_array, expected)

    plan = dicomcore.dcmread(TESTFILES / "rtplan_undefined_length_explicit.dcm")
    assert transcode(plan, RLE) == "no pixel data"
    assert plan.file_meta.TransferSyntaxUID == RLE


def test_transcode_from_lossy_ycbcr_gives_rgb_and_lossless_keeps_ycbcr() -> None:
    jpeg = dicomcore.dcmread(TESTFILES / "rgb8_jpeg_baseline_ybr422.dcm")
    assert transcode(jpeg, RLE) == "compressed"
    assert jpeg.PhotometricInterpretation == "RGB"
    ybr = dicomcore.dcmread(TESTFILES / "ybr_full8_explicit.dcm")
    ybr.pixel_array_options(as_rgb=False)
    samples = ybr.pixel_array.copy()
    assert transcode(ybr, RLE) == "compressed"
    assert ybr.PhotometricInterpretation == "YBR_FULL"
    ybr.pixel_array_options(as_rgb=False)
    np.testing.assert_array_equal(ybr.pixel_array, samples)


# -- DCMTK reads what we write ------------------------------------------------

DCMTK_DECODERS = {
    RLE: ["dcmdrle"],
    JPEG_LOSSLESS_SV1: ["dcmdjpeg", "+cn"],  # +cn: keep YCbCr as YCbCr
    JPEG_LS: ["dcmdjpls"],
}
DCMTK_INPUTS = [
    "ct_int16_explicit.dcm",
    "mono12u_explicit.dcm",
    "mono16_5frames_explicit.dcm",
    "mono8_odd_explicit.dcm",
    "rgb8_planar1_explicit.dcm",
    "ybr_full8_explicit.dcm",
    "mono16_5frames_j2k.dcm",
]


@pytest.mark.parametrize("name", DCMTK_INPUTS)
@pytest.mark.parametrize("target", list(DCMTK_DECODERS))
def test_dcmtk_decodes_our_output_to_our_pixels(
    target: str, name: str, tmp_path: Path
) -> None:
    if not encoders_for(target) or all(e.missing() for e in encoders_for(target)):
        pytest.skip(f"no installed encoder for {UID(target).keyword}")
    ds = dicomcore.dcmread(TESTFILES / name)
    try:
        compress(ds, target)
    except NoCodecError as exc:
        pytest.skip(f"no encoder for this layout: {exc}")
    ours = tmp_path / "ours.dcm"
    ds.save_as(ours)
    elements = dcmdump_elements(ours)
    assert elements[(0x00280004,)][1] == f"[{ds.PhotometricInterpretation}]"
    theirs = tmp_path / "theirs.dcm"
    run_tool(*DCMTK_DECODERS[target], ours, theirs)
    decoded = dicomcore.dcmread(theirs)
    assert decoded.file_meta.TransferSyntaxUID == EXPLICIT_LE
    ds = dicomcore.dcmread(ours)
    decompress(ds, as_rgb=False)
    assert decoded.PhotometricInterpretation == ds.PhotometricInterpretation
    np.testing.assert_array_equal(raw(decoded), raw(ds))


def raw(ds: Dataset) -> np.ndarray:
    ds.pixel_array_options(as_rgb=False)
    return ds.pixel_array


def test_dcmtk_reads_the_extended_offset_table(tmp_path: Path) -> None:
    ds, pixels = ct_dataset(frames=3)
    compress(ds, RLE, encapsulate_ext=True)
    path = tmp_path / "eot.dcm"
    ds.save_as(path)
    elements = dcmdump_elements(path)
    assert elements[(0x7FE00001,)][0] == "OV"
    assert elements[(0x7FE00002,)][0] == "OV"
    theirs = tmp_path / "theirs.dcm"
    run_tool("dcmdrle", path, theirs)
    np.testing.assert_array_equal(dicomcore.dcmread(theirs).pixel_array, pixels)


# Every test here may meet an optional codec; wrap the ones not wrapped above.
for _name, _test in list(globals().items()):
    if (
        _name.startswith("test_")
        and callable(_test)
        and not hasattr(_test, "__wrapped__")
    ):
        globals()[_name] = skip_if_extra_missing(_test)
