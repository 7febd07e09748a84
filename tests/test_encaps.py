"""dicomcore.encaps gives pydicom.encaps's bytes for the same calls."""

from __future__ import annotations

import warnings

import pytest

from dicomcore import encaps

pydicom_encaps = pytest.importorskip("pydicom.encaps")

FRAMES = [b"\x01\x02\x03", b"\x04\x05\x06\x07\x08\x09"]


def test_encapsulate_leaves_the_delimiter_off():
    ours = encaps.encapsulate(FRAMES)
    assert ours == pydicom_encaps.encapsulate(FRAMES)
    assert ours == bytes.fromhex(
        "feff00e0 08000000 00000000 0c000000"
        "feff00e0 04000000 01020300 feff00e0 06000000 040506070809"
    )


@pytest.mark.parametrize(("fragments", "has_bot"), [(1, False), (2, True), (2, False)])
def test_encapsulate_options(fragments, has_bot):
    ours = encaps.encapsulate(FRAMES, fragments, has_bot)
    assert ours == pydicom_encaps.encapsulate(FRAMES, fragments, has_bot)


def test_encapsulate_extended():
    ours = encaps.encapsulate_extended(FRAMES)
    assert ours == pydicom_encaps.encapsulate_extended(FRAMES)
    assert ours[1] == bytes.fromhex("00000000000000000c00000000000000")


def test_itemize_fragment_writes_the_fragment_as_given():
    assert encaps.itemize_fragment(b"\x01\x02\x03") == bytes.fromhex(
        "feff00e003000000010203"
    )
    assert list(encaps.itemize_frame(b"abcdefg", 2)) == list(
        pydicom_encaps.itemize_frame(b"abcdefg", 2)
    )


def test_reading_frames_back():
    value = encaps.encapsulate(FRAMES, 2)
    assert list(encaps.generate_frames(value, number_of_frames=2)) == [
        b"\x01\x02\x03\x00",
        b"\x04\x05\x06\x07\x08\x09",
    ]
    assert encaps.get_frame(value, 1, number_of_frames=2) == b"\x04\x05\x06\x07\x08\x09"
    assert encaps.parse_basic_offsets(value) == [0, 20]


@pytest.mark.parametrize(
    "name",
    [
        "decode_data_sequence",
        "defragment_data",
        "generate_pixel_data_frame",
        "generate_pixel_data",
        "itemise_fragment",
    ],
)
def test_deprecated_names_warn_and_work(name):
    value = encaps.encapsulate(FRAMES)
    with pytest.warns(DeprecationWarning, match=f"{name} is deprecated"):
        ours = getattr(encaps, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = getattr(pydicom_encaps, name)
    argument = b"\x01\x02" if name == "itemise_fragment" else value
    result = ours(argument)
    expected = theirs(argument)
    if not isinstance(result, bytes):
        result, expected = list(result), list(expected)
    assert result == expected


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        encaps.nothing  # noqa: B018
