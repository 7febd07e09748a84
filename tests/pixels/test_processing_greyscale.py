"""Modality LUT, VOI LUT, windows and Presentation LUT (dicomcore/pixels/processing.py).

Exact values from the equations of PS3.3 C.11, worked by hand; pydicom 3 as a
second implementation on the DCMTK-made files of testfiles/processing (DCMTK's
own renderings are compared in test_processing_dcmtk.py).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from dicomcore import Dataset, Sequence, dcmread
from dicomcore.pixels import (
    ProcessingError,
    apply_modality_lut,
    apply_presentation_lut,
    apply_rescale,
    apply_voi,
    apply_voi_lut,
    apply_windowing,
)
from dicomcore.pixels.processing import modality_output_range, voi_output_range, window

FILES = Path(__file__).resolve().parents[2] / "testfiles" / "processing"


def mono(**attributes: object) -> Dataset:
    ds = Dataset()
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsStored = 12
    ds.PixelRepresentation = 0
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    return ds


def lut_item(
    descriptor: list[int], data: list[int], descriptor_vr: str = "US"
) -> Dataset:
    item = Dataset()
    item.add_new(0x00283002, descriptor_vr, descriptor)
    item.add_new(0x00283006, "US", data)
    return item


# -- Modality LUT --------------------------------------------------------------


def test_rescale_is_m_times_sv_plus_b_in_float64() -> None:
    ds = mono(RescaleSlope=2, RescaleIntercept=-1024)
    out = apply_modality_lut(np.array([0, 512, -3], np.int16), ds)
    assert out.dtype == np.float64
    assert out.tolist() == [-1024.0, 0.0, -1030.0]
    assert apply_rescale is apply_modality_lut
    # DS text is used exactly: 0.1 is the float nearest 0.1
    ds = mono(RescaleSlope="0.1", RescaleIntercept="-0.5")
    assert apply_modality_lut(np.array([3], np.uint16), ds).tolist() == [3 * 0.1 - 0.5]


def test_no_modality_module_returns_the_array() -> None:
    arr = np.arange(4, dtype=np.uint16)
    assert apply_modality_lut(arr, mono()) is arr
    # pydicom needs both: a slope alone is not a rescale
    assert apply_modality_lut(arr, mono(RescaleSlope=2)) is arr


def test_modality_lut_sequence() -> None:
    ds = mono()
    ds.ModalityLUTSequence = Sequence([lut_item([4, 10, 12], [100, 200, 4095, 7])])
    out = apply_modality_lut(np.array([0, 10, 11, 12, 13, 14, 4095], np.uint16), ds)
    assert out.dtype == np.uint16
    assert out.tolist() == [100, 100, 200, 4095, 7, 7, 7]
    assert modality_output_range(ds) == (0, 4095)
    # a LUT wins over a rescale beside it (C.11.1: one or the other)
    ds.RescaleSlope, ds.RescaleIntercept = 2, 0
    assert apply_modality_lut(np.array([11], np.uint16), ds).tolist() == [200]


def test_modality_lut_first_mapped_negative_for_signed_pixels() -> None:
    ds = mono(PixelRepresentation=1)
    # read as US, 0xFFFE is -2 for signed pixel data
    ds.ModalityLUTSequence = Sequence([lut_item([3, 0xFFFE, 8], [5, 6, 7])])
    out = apply_modality_lut(np.array([-5, -2, -1, 0, 9], np.int16), ds)
    assert out.dtype == np.uint8 and out.tolist() == [5, 5, 6, 7, 7]


# -- windowing: the equations of C.11.2.1.2 ------------------------------------


def test_linear_window_exact_values() -> None:
    # c = 2, w = 5: x <= 1.5 - 2 -> ymin, x > 1.5 + 2 -> ymax,
    # else ((x - 1.5) / 4 + 0.5) * 100
    x = np.array([-1, -0.5, 0, 1, 2, 3, 3.5, 4])
    assert window(x, 2, 5, "LINEAR", (0, 100)).tolist() == [
        0.0,
        0.0,
        12.5,
        37.5,
        62.5,
        87.5,
        100.0,
        100.0,
    ]


def test_linear_window_of_a_ct_against_fractions() -> None:
    # c = 40, w = 400 onto 0..255: borders -160 and 239
    x = np.arange(-170, 250)
    y = window(x, 40, 400, "LINEAR", (0, 255))
    for value, result in zip(x.tolist(), y.tolist(), strict=True):
        if value <= -160:
            expected = Fraction(0)
        elif value > 239:
            expected = Fraction(255)
        else:
            expected = ((value - Fraction(79, 2)) / 399 + Fraction(1, 2)) * 255
        assert result == pytest.approx(float(expected), abs=1e-12)
    assert y[x == 239][0] == 255.0 and y[x == -159][0] == pytest.approx(255 / 399)


def test_width_one_is_a_threshold_at_c_minus_half() -> None:
    x = np.array([9.0, 9.5, 9.6, 10.0])
    assert window(x, 10, 1, "LINEAR", (0, 255)).tolist() == [0, 0, 255, 255]


def test_linear_exact_window_exact_values() -> None:
    # C.11.2.1.3.2: x <= c - w/2 -> ymin, x > c + w/2 -> ymax,
    # else ((x - c) / w + 0.5) * (ymax - ymin) + ymin
    x = np.array([-1, 0, 1, 2, 3, 4, 5])
    assert window(x, 2, 4, "LINEAR_EXACT", (0, 100)).tolist() == [
        0,
        0,
        25,
        50,
        75,
        100,
        100,
    ]
    # a width below 1 is allowed here (and a range that does not start at 0)
    x = np.array([-0.2, -0.1, 0.1, 0.2, 0.3, 0.4])
    y = window(x, 0.1, 0.4, "LINEAR_EXACT", (-10, 10))
    assert y.tolist() == pytest.approx([-10, -10, 0, 5, 10, 10], abs=1e-12)


def test_sigmoid_window_exact_values() -> None:
    # C.11.2.1.3.1: y = (ymax - ymin) / (1 + exp(-4 (x - c) / w)) + ymin;
    # with w = 4, x = c +- ln 3 gives 1 / (1 + 1/3) = 3/4 and 1/4
    ln3 = np.log(3.0)
    y = window(np.array([-ln3, 0.0, ln3]), 0, 4, "SIGMOID", (0, 100))
    assert y.tolist() == pytest.approx([25.0, 50.0, 75.0], abs=1e-12)
    y = window(np.array([10.0]), 10, 3, "SIGMOID", (-1000, 3000))
    assert y.tolist() == [1000.0]


def test_window_widths_the_standard_forbids() -> None:
    with pytest.raises(ProcessingError, match="LINEAR needs a width of 1"):
        window(np.zeros(2), 0, 0.5)
    for function in ("LINEAR_EXACT", "SIGMOID"):
        with pytest.raises(ProcessingError, match="above 0"):
            window(np.zeros(2), 0, 0, function)
    with pytest.raises(ProcessingError, match="VOI LUT Function 'GAMMA'"):
        window(np.zeros(2), 0, 1, "GAMMA")


def test_apply_windowing_picks_window_and_range() -> None:
    # unsigned 12 bits, no rescale: the output range is 0..4095 (pydicom's choice)
    ds = mono(WindowCenter=[2048, 100.5], WindowWidth=[4096, 2])
    x = np.array([0, 100, 101, 4095], np.uint16)
    first = apply_windowing(x, ds)
    assert first.dtype == np.float64
    assert first.tolist() == pytest.approx(
        [((v - 2047.5) / 4095 + 0.5) * 4095 for v in (0, 100, 101, 4095)]
    )
    second = apply_windowing(x, ds, index=1)
    # c - 0.5 = 100, (w - 1) / 2 = 0.5: x <= 99.5 -> 0, x > 100.5 -> 4095
    assert second.tolist() == [0, 2047.5, 4095, 4095]
    assert apply_windowing(x, ds, index=1, output_range=(0, 255)).tolist() == [
        0,
        127.5,
        255,
        255,
    ]
    with pytest.raises(ProcessingError, match="no index 2"):
        apply_windowing(x, ds, index=2)
    # signed 16 bits through a rescale: the range is the rescaled stored range
    ds = mono(
        BitsStored=16, PixelRepresentation=1, RescaleSlope=0.5, RescaleIntercept=10
    )
    assert modality_output_range(ds) == (-16374.0, 16393.5)
    ds.WindowCenter, ds.WindowWidth = 0, 1
    assert apply_windowing(np.array([-1.0, 1.0]), ds).tolist() == [-16374.0, 16393.5]
    # no window: unchanged
    plain = np.arange(3)
    assert apply_windowing(plain, mono()) is plain


def test_windowing_needs_a_monochrome_image() -> None:
    ds = mono(WindowCenter=1, WindowWidth=2)
    ds.PhotometricInterpretation = "RGB"
    with pytest.raises(ProcessingError, match="MONOCHROME1 and MONOCHROME2"):
        apply_windowing(np.zeros((2, 2, 3)), ds)


def test_voi_lut_function_from_the_dataset() -> None:
    ds = mono(WindowCenter=2, WindowWidth=4, VOILUTFunction="LINEAR_EXACT")
    out = apply_windowing(np.array([1.0, 3.0]), ds, output_range=(0, 100))
    assert out.tolist() == [25.0, 75.0]


# -- VOI LUT Sequence ----------------------------------------------------------


def test_voi_lut_sequence_and_the_choice_between_lut_and_window() -> None:
    ds = mono(WindowCenter=2, WindowWidth=4, VOILUTFunction="LINEAR_EXACT")
    ds.VOILUTSequence = Sequence(
        [lut_item([3, 1, 8], [10, 20, 30]), lut_item([2, 0, 16], [1000, 2000])]
    )
    x = np.array([0, 1, 2, 3, 9], np.uint16)
    assert apply_voi(x, ds).tolist() == [10, 10, 20, 30, 30]
    assert apply_voi(x, ds).dtype == np.uint8
    assert apply_voi(x, ds, index=1).tolist() == [1000, 2000, 2000, 2000, 2000]
    assert apply_voi_lut(x, ds).tolist() == [10, 10, 20, 30, 30]
    # a second LUT with only one window: the LUT is used, the window not read
    assert apply_voi_lut(x, ds, index=1).dtype == np.uint16
    windowed = apply_voi_lut(x, ds, prefer_lut=False, output_range=(0, 100))
    assert windowed.tolist() == [0, 25, 50, 75, 100]
    assert voi_output_range(ds) == (0, 255)
    assert voi_output_range(ds, index=1) == (0, 65535)
    assert voi_output_range(ds, prefer_lut=False) == (0, 4095)
    with pytest.raises(ProcessingError, match="no index 5"):
        apply_voi(x, ds, index=5)


def test_voi_lut_first_value_mapped_is_signed_after_a_negative_rescale() -> None:
    # CT: the VOI LUT maps Hounsfield units; 0xFC18 is -1000
    ds = mono(RescaleSlope=1, RescaleIntercept=-1024)
    ds.VOILUTSequence = Sequence([lut_item([3, 0xFC18, 8], [1, 2, 3])])
    hu = apply_modality_lut(np.array([0, 24, 25, 26, 4095], np.uint16), ds)
    assert apply_voi(hu, ds).tolist() == [1, 1, 2, 3, 3]


# -- Presentation LUT ----------------------------------------------------------


def test_inverse_shape_over_the_input_range() -> None:
    ds = mono(PresentationLUTShape="INVERSE")
    y = np.array([0.0, 0.25, 255.0])
    assert apply_presentation_lut(y, ds, input_range=(0, 255)).tolist() == [
        255.0,
        254.75,
        0.0,
    ]
    # integers stay integers where they fit
    stored = np.array([0, 1, 4095], np.uint16)
    out = apply_presentation_lut(stored, ds)
    assert out.dtype == np.uint16 and out.tolist() == [4095, 4094, 0]
    assert (
        apply_presentation_lut(stored, mono(PresentationLUTShape="IDENTITY")) is stored
    )


def test_monochrome1_without_a_shape_is_inverted_once() -> None:
    y = np.array([0.0, 100.0, 255.0])
    ds = mono(PhotometricInterpretation="MONOCHROME1")
    assert apply_presentation_lut(y, ds, input_range=(0, 255)).tolist() == [255, 155, 0]
    ds.PresentationLUTShape = "INVERSE"
    assert apply_presentation_lut(y, ds, input_range=(0, 255)).tolist() == [255, 155, 0]
    ds.PresentationLUTShape = "IDENTITY"  # explicit: honoured, as DCMTK does
    assert apply_presentation_lut(y, ds, input_range=(0, 255)) is y
    assert apply_presentation_lut(y, mono()) is y


def test_presentation_lut_sequence() -> None:
    ds = mono()
    ds.PresentationLUTSequence = Sequence([lut_item([4, 0, 12], [0, 1000, 3000, 4095])])
    # the input range 0..3 is the LUT's own
    assert apply_presentation_lut(
        np.array([0, 1, 2, 3]), ds, input_range=(0, 3)
    ).tolist() == [0, 1000, 3000, 4095]
    # 0..255 is scaled onto the 4 entries: 85 -> 1, 127.5 -> 1.5 -> 2 (halves up)
    out = apply_presentation_lut(
        np.array([0.0, 85.0, 127.5, 255.0]), ds, input_range=(0, 255)
    )
    assert out.dtype == np.uint16 and out.tolist() == [0, 1000, 3000, 4095]


def test_lin_od_is_for_hardcopy() -> None:
    with pytest.raises(ProcessingError, match="LIN OD"):
        apply_presentation_lut(np.zeros(2), mono(PresentationLUTShape="LIN OD"))


# -- enhanced multi-frame: functional groups -----------------------------------


def functional_group(
    slope: float, intercept: float, center: float, width: float
) -> Dataset:
    transform = Dataset(
        RescaleSlope=slope, RescaleIntercept=intercept, RescaleType="US"
    )
    voi = Dataset(WindowCenter=center, WindowWidth=width)
    group = Dataset()
    group.PixelValueTransformationSequence = Sequence([transform])
    group.FrameVOILUTSequence = Sequence([voi])
    return group


def enhanced(per_frame: list[tuple[float, float, float, float]]) -> Dataset:
    ds = mono(NumberOfFrames=len(per_frame), SamplesPerPixel=1)
    ds.PerFrameFunctionalGroupsSequence = Sequence(
        [functional_group(*v) for v in per_frame]
    )
    return ds


def test_each_frame_of_a_volume_gets_its_own_rescale_and_window() -> None:
    ds = enhanced([(1, 0, 10, 1), (2, -10, 10, 1), (0.5, 3, 10, 1)])
    volume = np.array([[[4, 6]], [[4, 6]], [[14, 16]]], np.uint16)
    values = apply_modality_lut(volume, ds)
    assert values.dtype == np.float64
    assert values.tolist() == [[[4, 6]], [[-2, 2]], [[10, 11]]]
    # window 10\1: a threshold at 9.5 onto 0..4095, each frame its own range
    shown = apply_voi_lut(values, ds, output_range=(0, 1))
    assert shown.tolist() == [[[0, 0]], [[0, 0]], [[1, 1]]]
    # one frame, named
    assert apply_modality_lut(volume[1], ds, frame_index=1).tolist() == [[-2, 2]]
    with pytest.raises(ProcessingError, match="frame_index"):
        apply_modality_lut(volume[1], ds)
    # the pydicom-style default range follows each frame's rescale
    assert modality_output_range(ds, 1) == (-10.0, 8180.0)


def test_equal_per_frame_values_count_as_one() -> None:
    # many enhanced files repeat the same values in every per-frame item
    ds = enhanced([(2, 1, 5, 2)] * 3)
    frame = np.array([[1, 2]], np.uint16)
    values = apply_modality_lut(frame, ds)
    assert values.tolist() == [[3.0, 5.0]]
    # window 5\2: 3 <= 4.5 - 0.5 -> 0; 5 is at the top border -> 1
    assert apply_windowing(values, ds, output_range=(0, 1)).tolist() == [[0.0, 1.0]]


def test_shared_functional_groups_apply_to_every_frame() -> None:
    ds = mono(NumberOfFrames=2)
    ds.SharedFunctionalGroupsSequence = Sequence([functional_group(3, 1, 0, 1)])
    ds.PerFrameFunctionalGroupsSequence = Sequence([Dataset(), Dataset()])
    volume = np.array([[[1]], [[2]]], np.int16)
    assert apply_modality_lut(volume, ds).tolist() == [[[4]], [[7]]]
    # one frame without frame_index is fine when all frames share the values
    assert apply_modality_lut(volume[0], ds).tolist() == [[4]]
    # a per-frame group overrides the shared one
    ds.PerFrameFunctionalGroupsSequence[1] = functional_group(1, 0, 0, 1)
    assert apply_modality_lut(volume, ds).tolist() == [[[4]], [[2]]]


def test_enhanced_files_frame_by_frame() -> None:
    for name, values in (
        ("enhanced_ct_per_frame", [(1, -1024), (2, -2048), (0.5, 10)]),
        ("enhanced_ct_shared", [(2, -2048)] * 3),
    ):
        ds = dcmread(FILES / f"{name}.dcm")
        stored = ds.pixel_array
        assert stored.shape == (3, 16, 32)
        out = apply_modality_lut(stored, ds)
        for frame, (slope, intercept) in enumerate(values):
            expected = stored[frame].astype(np.float64) * slope + intercept
            np.testing.assert_array_equal(out[frame], expected)


# -- pydicom 3 as a second implementation --------------------------------------


def pydicom_pair(name: str) -> tuple[Dataset, np.ndarray, object, np.ndarray]:
    pydicom = pytest.importorskip("pydicom")
    ours = dcmread(FILES / name)
    theirs = pydicom.dcmread(FILES / name)
    ours_arr, theirs_arr = ours.pixel_array, theirs.pixel_array
    np.testing.assert_array_equal(ours_arr, theirs_arr)
    return ours, ours_arr, theirs, theirs_arr


@pytest.mark.parametrize(
    "name",
    # pydicom 3.0 reads no 12-bit LUT entries ("uint12"): modality_lut.dcm is
    # compared with DCMTK only
    ["ct_rescale_windows.dcm", "ct_signed_sigmoid.dcm", "modality_lut_signed.dcm"],
)
def test_modality_lut_matches_pydicom(name: str) -> None:
    from pydicom.pixels import apply_modality_lut as pydicom_modality

    ours, arr, theirs, theirs_arr = pydicom_pair(name)
    expected = pydicom_modality(theirs_arr, theirs)
    result = apply_modality_lut(arr, ours)
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize(
    ("name", "windows"),
    [
        ("ct_rescale_windows.dcm", 3),
        ("ct_signed_sigmoid.dcm", 2),
        ("mr_linear_exact.dcm", 2),
        ("voi_lut_sequence.dcm", 1),
        ("mono1_window.dcm", 1),
    ],
)
def test_windowing_matches_pydicom(name: str, windows: int) -> None:
    from pydicom.pixels import apply_modality_lut as pydicom_modality
    from pydicom.pixels import apply_windowing as pydicom_windowing

    ours, arr, theirs, theirs_arr = pydicom_pair(name)
    ours_values = apply_modality_lut(arr, ours)
    theirs_values = pydicom_modality(theirs_arr, theirs)
    for index in range(windows):
        expected = pydicom_windowing(theirs_values, theirs, index=index)
        np.testing.assert_allclose(
            apply_windowing(ours_values, ours, index=index), expected, rtol=0, atol=1e-9
        )


# pydicom 3.0 reads 8-bit LUT data in OW as 16-bit words and fails on the third
# LUT (packed two to a word); DCMTK is its witness
@pytest.mark.parametrize("index", [0, 1])
def test_voi_lut_sequence_matches_pydicom(index: int) -> None:
    from pydicom.pixels import apply_voi_lut as pydicom_voi_lut

    ours, arr, theirs, theirs_arr = pydicom_pair("voi_lut_sequence.dcm")
    expected = pydicom_voi_lut(theirs_arr, theirs, index=index)
    result = apply_voi_lut(arr, ours, index=index)
    np.testing.assert_array_equal(result, expected)


def test_inverse_matches_pydicom_where_the_output_spans_its_range() -> None:
    from pydicom.pixels import apply_presentation_lut as pydicom_presentation
    from pydicom.pixels import apply_voi_lut as pydicom_voi_lut

    ours, arr, theirs, theirs_arr = pydicom_pair("mono2_inverse.dcm")
    windowed = apply_voi_lut(arr, ours)
    assert (windowed.min(), windowed.max()) == (0.0, 4095.0)
    expected = pydicom_presentation(pydicom_voi_lut(theirs_arr, theirs), theirs)
    np.testing.assert_array_equal(apply_presentation_lut(windowed, ours), expected)
