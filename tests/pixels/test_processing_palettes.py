"""Palette colour (dicomcore/pixels/palettes.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dicomcore import Dataset, dcmread
from dicomcore.pixels import MissingPaletteError, ProcessingError, apply_color_lut
from dicomcore.pixels.palettes import WELL_KNOWN_PALETTES, palette_dataset

FILES = Path(__file__).resolve().parents[2] / "testfiles" / "processing"
PALETTE_FILES = {
    "HOT_IRON": "hotiron.dcm",
    "PET": "pet.dcm",
    "HOT_METAL_BLUE": "hotmetalblue.dcm",
    "PET_20_STEP": "pet20step.dcm",
    "SPRING": "spring.dcm",
    "SUMMER": "summer.dcm",
    "FALL": "fall.dcm",
    "WINTER": "winter.dcm",
}


def palette_image(
    count: int, first: int, bits: int, channels: list[list[int]], signed: int = 0
) -> Dataset:
    ds = Dataset()
    ds.PhotometricInterpretation = "PALETTE COLOR"
    ds.PixelRepresentation = signed
    for number, data in zip((1, 2, 3, 4), channels, strict=False):
        ds.add_new(0x00281100 + number, "SS" if signed else "US", [count, first, bits])
        ds.add_new(0x00281200 + number, "US", data)
    return ds


def test_palette_lookup_with_first_mapped_value() -> None:
    # three entries from stored value 10: below takes the first, above the last
    ds = palette_image(3, 10, 16, [[0, 32768, 65535], [65535, 0, 1], [7, 8, 9]])
    stored = np.array([[0, 10, 11], [12, 13, 255]], np.uint8)
    rgb = apply_color_lut(stored, ds)
    assert rgb.shape == (2, 3, 3) and rgb.dtype == np.uint16
    assert rgb.tolist() == [
        [[0, 65535, 7], [0, 65535, 7], [32768, 0, 8]],
        [[65535, 1, 9], [65535, 1, 9], [65535, 1, 9]],
    ]


def test_eight_bit_entries_and_alpha() -> None:
    ds = palette_image(2, 0, 8, [[1, 2], [3, 4], [5, 6], [0, 255]])
    rgba = apply_color_lut(np.array([0, 1, 1], np.uint8), ds)
    assert rgba.dtype == np.uint8
    assert rgba.tolist() == [[1, 3, 5, 0], [2, 4, 6, 255], [2, 4, 6, 255]]


def test_signed_pixels_map_from_a_negative_first_value() -> None:
    ds = palette_image(3, -1, 16, [[10, 20, 30]] * 3, signed=1)
    out = apply_color_lut(np.array([-5, -1, 0, 1, 9], np.int16), ds)
    assert out[:, 0].tolist() == [10, 10, 20, 30, 30]


def test_segmented_palette_data() -> None:
    ds = Dataset()
    ds.PixelRepresentation = 0
    for number in (1, 2, 3):
        ds.add_new(0x00281100 + number, "US", [6, 0, 16])
    # red: discrete [0, 10], linear to 20 over 4 (12.5 and 17.5 round up)
    ds.add_new(0x00281221, "OW", np.array([0, 2, 0, 10, 1, 4, 20], "<u2").tobytes())
    ds.add_new(0x00281222, "OW", np.array([0, 6, 1, 2, 3, 4, 5, 6], "<u2").tobytes())
    # blue: discrete [9], indirect: copy 1 segment from byte 0 five times over
    blue = [0, 1, 9, 2, 1, 0, 0, 2, 1, 0, 0, 2, 1, 0, 0, 2, 1, 0, 0, 2, 1, 0, 0]
    ds.add_new(0x00281223, "OW", np.array(blue, "<u2").tobytes())
    rgb = apply_color_lut(np.arange(6, dtype=np.uint8), ds)
    assert rgb.tolist() == [
        [0, 1, 9],
        [10, 2, 9],
        [13, 3, 9],
        [15, 4, 9],
        [18, 5, 9],
        [20, 6, 9],
    ]


def test_missing_module_and_supplemental_palettes() -> None:
    with pytest.raises(ValueError, match="ds or palette"):
        apply_color_lut(np.zeros(2, np.uint8))
    with pytest.raises(ProcessingError, match="Red, Green and Blue"):
        apply_color_lut(np.zeros(2, np.uint8), Dataset(PixelRepresentation=0))
    ds = palette_image(2, 0, 8, [[1, 2]] * 3)
    ds.PixelPresentation = "MIXED"
    with pytest.raises(ProcessingError, match="Supplemental"):
        apply_color_lut(np.zeros(2, np.uint8), ds)
    no_data = Dataset()
    no_data.add_new(0x00281101, "US", [2, 0, 8])
    with pytest.raises(ProcessingError, match="Segmented"):
        apply_color_lut(np.zeros(2, np.uint8), no_data)


# -- well-known palettes (PS3.6 Annex B) ---------------------------------------


def test_well_known_names_and_uids_agree_with_the_uid_registry() -> None:
    from dicomcore.dictionary._uids import UIDS

    for label, uid in WELL_KNOWN_PALETTES.items():
        name = UIDS[uid][0]
        assert (
            name.upper().replace(" ", "_").startswith(label.replace("PET_20", "PET_20"))
        )
        assert name.endswith("Color Palette SOP Instance")
    assert WELL_KNOWN_PALETTES["FALL"] == "1.2.840.10008.1.5.7"
    assert WELL_KNOWN_PALETTES["WINTER"] == "1.2.840.10008.1.5.8"


def test_palette_by_name_uid_or_content_label() -> None:
    grey = np.arange(256, dtype=np.uint8)
    by_name = apply_color_lut(grey, palette="HOT_IRON")
    assert by_name.shape == (256, 3) and by_name.dtype == np.uint8
    np.testing.assert_array_equal(
        apply_color_lut(grey, palette="1.2.840.10008.1.5.1"), by_name
    )
    np.testing.assert_array_equal(apply_color_lut(grey, palette="Hot Iron"), by_name)
    # the Spring palette's own Content Label is "SPRING LUT"
    spring = apply_color_lut(grey, palette="SPRING LUT")
    # Spring: red 255, green a ramp, blue the inverse ramp
    assert spring[:, 0].tolist() == [255] * 256
    assert spring[:, 1].tolist() == list(range(256))
    assert spring[:, 2].tolist() == list(range(255, -1, -1))
    with pytest.raises(ProcessingError, match="unknown palette 'RAINBOW'"):
        apply_color_lut(grey, palette="RAINBOW")


def test_a_palette_without_data_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dicomcore.pixels import _palette_data

    monkeypatch.setattr(_palette_data, "PALETTES", {})
    with pytest.raises(MissingPaletteError) as caught:
        apply_color_lut(np.zeros(2, np.uint8), palette="FALL")
    message = str(caught.value)
    assert "FALL" in message and "1.2.840.10008.1.5.7" in message
    assert "Palette Color Lookup Table" in message and "PS3.6 Annex B" in message
    assert isinstance(caught.value, LookupError) and isinstance(
        caught.value, ValueError
    )


def pydicom_palettes() -> Path:
    pydicom = pytest.importorskip("pydicom")
    folder = Path(pydicom.__file__).parent / "data" / "palettes"
    if not folder.is_dir():
        pytest.skip("pydicom's copies of the PS3.6 Annex B palette files are absent")
    return folder


@pytest.mark.parametrize("label", sorted(PALETTE_FILES))
def test_bundled_palettes_equal_the_published_files(label: str) -> None:
    folder = pydicom_palettes()
    published = dcmread(folder / PALETTE_FILES[label])
    ours = palette_dataset(label)
    assert str(published.SOPInstanceUID) == WELL_KNOWN_PALETTES[label]
    grey = np.arange(256, dtype=np.uint8)
    np.testing.assert_array_equal(
        apply_color_lut(grey, published), apply_color_lut(grey, ours)
    )


@pytest.mark.parametrize("label", sorted(PALETTE_FILES))
def test_well_known_palettes_match_pydicom(label: str) -> None:
    from pydicom import dcmread as pydicom_dcmread
    from pydicom.pixels import apply_color_lut as pydicom_color_lut

    folder = pydicom_palettes()
    grey = np.arange(-3, 260).clip(0, 255).astype(np.uint8)
    theirs = pydicom_color_lut(grey, pydicom_dcmread(folder / PALETTE_FILES[label]))
    ours = apply_color_lut(grey, palette=label)
    differ = np.argwhere(ours != theirs)
    if label != "SUMMER":
        assert differ.size == 0
        return
    # Summer's blue: [0], a line to 0 over 127 entries, then a line from 0 to
    # 254 over 128 entries (entries 128-255): its k-th entry is 254 k / 128,
    # and k = 96 (entry 223) gives 190.5 exactly.  We round halves up,
    # pydicom (numpy's around) to even.  grey starts 3 places early.
    assert differ.tolist() == [[127 + 96 + 3, 2]]
    assert ours[differ[0][0], 2] == 191 and theirs[differ[0][0], 2] == 190


def test_palette_files_of_testfiles_match_pydicom() -> None:
    pydicom = pytest.importorskip("pydicom")
    from pydicom.pixels import apply_color_lut as pydicom_color_lut

    for name in ("palette8.dcm", "palette16.dcm", "palette_segmented.dcm"):
        ours = dcmread(FILES / name)
        theirs = pydicom.dcmread(FILES / name)
        result = apply_color_lut(ours.pixel_array, ours)
        expected = pydicom_color_lut(theirs.pixel_array, theirs)
        assert result.dtype == expected.dtype, name
        np.testing.assert_array_equal(result, expected, err_msg=name)


def test_segmented_file_by_hand() -> None:
    # testfiles/processing/palette_segmented: see make_processing_files.SEGMENTED
    ds = dcmread(FILES / "palette_segmented.dcm")
    rgb = apply_color_lut(np.arange(256, dtype=np.uint8), ds)
    assert rgb[:, 0].tolist() == [257 * k for k in range(256)]
    green = [100, 200, 300] + [300 + 7 * k for k in range(1, 101)] + [7, 9]
    green += [9 + (33 * k + 75) // 151 for k in range(1, 152)]
    assert rgb[:, 1].tolist() == green
    blue = [5] + [5 + (59995 * k + 63) // 127 for k in range(1, 128)] + [5]
    blue += [5 + (2 * k + 63) // 127 for k in range(1, 128)]
    assert rgb[:, 2].tolist() == blue
