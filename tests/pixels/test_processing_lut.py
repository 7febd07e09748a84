"""LUT descriptors, LUT data and segmented palette data (dicomcore/pixels/lut.py)."""

from __future__ import annotations

import numpy as np
import pytest

from dicomcore import Dataset
from dicomcore.pixels import LookupTable, ProcessingError
from dicomcore.pixels.lut import (
    descriptor_values,
    expand_segmented_lut,
    lut_entries,
    read_lut,
)


def lut_item(
    descriptor: list[int], vr: str, data: object, descriptor_vr: str = "US"
) -> Dataset:
    item = Dataset()
    item.add_new(0x00283002, descriptor_vr, descriptor)
    item.add_new(0x00283006, vr, data)
    return item


def test_descriptor_entries_zero_means_65536_and_first_mapped_sign() -> None:
    # PS3.3 C.11.1.1.1: 0 entries means 2^16; the first mapped value is US or SS
    assert descriptor_values([0, 0, 16], signed=False) == (65536, 0, 16)
    assert descriptor_values([4096, 0xFC00, 12], signed=True) == (4096, -1024, 12)
    assert descriptor_values([4096, 0xFC00, 12], signed=False) == (4096, 64512, 12)
    # read as SS: the count is taken back to unsigned, the first value kept signed
    assert descriptor_values([-32768, -1024, 16], signed=True) == (32768, -1024, 16)
    with pytest.raises(ProcessingError, match="3 values"):
        descriptor_values([4, 0], signed=False)


def test_lut_entries_us_ow_and_packed_8_bit() -> None:
    as_us = lut_item([3, 0, 16], "US", [1, 65535, 300])
    assert lut_entries(as_us["LUTData"], 3, 16).tolist() == [1, 65535, 300]
    as_ow = lut_item([3, 0, 16], "OW", np.array([1, 65535, 300], "<u2").tobytes())
    entries = lut_entries(as_ow["LUTData"], 3, 16)
    assert entries.dtype == np.uint16 and entries.tolist() == [1, 65535, 300]
    # 8-bit entries two to a word, first in the low byte
    packed = lut_item([3, 0, 8], "OW", bytes([7, 8, 9, 0]))
    entries = lut_entries(packed["LUTData"], 3, 8)
    assert entries.dtype == np.uint8 and entries.tolist() == [7, 8, 9]
    # 8-bit entries one to a word (as US)
    one_each = lut_item([3, 0, 8], "US", [7, 8, 255])
    assert lut_entries(one_each["LUTData"], 3, 8).tolist() == [7, 8, 255]
    # a descriptor claiming 8 bits over 16-bit values: nothing is cut off
    wrong = lut_item([2, 0, 8], "US", [256, 65535])
    entries = lut_entries(wrong["LUTData"], 2, 8)
    assert entries.dtype == np.uint16 and entries.tolist() == [256, 65535]
    with pytest.raises(ProcessingError, match="needs 5"):
        lut_entries(as_us["LUTData"], 5, 16)


def test_big_endian_ow_is_read_in_its_byte_order() -> None:
    from dicomcore.dataelem import DataElement, RawDataElement

    raw = RawDataElement(
        tag=0x00283006,
        VR="OW",
        length=4,
        value=b"\x01\x02\x00\x03",
        value_tell=0,
        is_implicit_VR=False,
        is_little_endian=False,
    )
    element = DataElement.from_raw(raw, "OW")
    assert lut_entries(element, 2, 16).tolist() == [0x0102, 0x0003]


def test_lookup_clamps_below_first_and_above_last() -> None:
    # descriptor 4\10\8: stored 10..13 map to the entries; others clamp
    item = lut_item([4, 10, 8], "OW", bytes([1, 2, 3, 4]))
    lut = read_lut(item, signed=False)
    assert (lut.first_mapped, lut.bits_per_entry, lut.output_range) == (10, 8, (0, 255))
    stored = np.array([0, 9, 10, 11, 12, 13, 14, 65535], np.uint16)
    assert lut.apply(stored).tolist() == [1, 1, 1, 2, 3, 4, 4, 4]
    for dtype in (np.int8, np.uint8, np.int16, np.int32, np.uint32, np.int64):
        values = np.array([0, 9, 10, 11, 12, 13, 14, 100], dtype)
        assert lut.apply(values).tolist() == [1, 1, 1, 2, 3, 4, 4, 4], dtype
    # a rescale's fractional output takes the nearest entry, halves up
    assert lut.apply(np.array([10.4, 10.5, 11.49, -3.0, 99.0])).tolist() == [
        1,
        2,
        2,
        1,
        4,
    ]


def test_signed_first_mapped_and_negative_inputs() -> None:
    item = lut_item([3, -2, 16], "US", [100, 200, 300], descriptor_vr="SS")
    lut = read_lut(item, signed=True)
    assert lut.first_mapped == -2
    values = np.array([-32768, -3, -2, -1, 0, 1, 32767], np.int16)
    assert lut.apply(values).tolist() == [100, 100, 100, 200, 300, 300, 300]


def test_read_lut_names_what_is_missing() -> None:
    item = Dataset()
    item.add_new(0x00283002, "US", [2, 0, 16])
    with pytest.raises(ProcessingError, match="LUTData is missing"):
        read_lut(item, signed=False)
    with pytest.raises(ProcessingError, match="LUTDescriptor is missing"):
        read_lut(Dataset(), signed=False)
    bad = lut_item([2, 0, 20], "US", [1, 2])
    with pytest.raises(ProcessingError, match="20 bits"):
        read_lut(bad, signed=False)


def test_lookup_table_dtype_follows_entries() -> None:
    lut = LookupTable(np.array([5, 6], np.uint8), first_mapped=0, bits_per_entry=8)
    assert lut.apply(np.array([[0, 1], [1, 0]], np.uint16)).dtype == np.uint8


# -- segmented data (PS3.3 C.7.9.2) --------------------------------------------


def test_discrete_and_linear_segments() -> None:
    # discrete [0, 10]; linear from 10 to 20 over 4 entries: 12.5, 15, 17.5, 20
    segments = np.array([0, 2, 0, 10, 1, 4, 20], np.uint16)
    expanded = expand_segmented_lut(segments, 6, 16)
    # halves round up: 12.5 -> 13, 17.5 -> 18
    assert expanded.tolist() == [0, 10, 13, 15, 18, 20]
    assert expanded.dtype == np.uint16
    # falling line: 20 to 10 over 4: 17.5, 15, 12.5, 10 -> 18, 15, 13, 10
    down = np.array([0, 1, 20, 1, 4, 10], np.uint16)
    assert expand_segmented_lut(down, 5, 16).tolist() == [20, 18, 15, 13, 10]


def test_indirect_segment_copies_segments_at_a_byte_offset() -> None:
    # words: 0:[0,2,10,20] 4:[1,2,40] 7:[2,1, 8,0] 11:[0,1,7]
    # the indirect segment copies 1 segment from byte offset 8 (word 4): the
    # linear segment, drawn again from the current last value (40 -> 40)
    segments = np.array([0, 2, 10, 20, 1, 2, 40, 2, 1, 8, 0, 0, 1, 7], np.uint16)
    expanded = expand_segmented_lut(segments, 7, 16)
    assert expanded.tolist() == [10, 20, 30, 40, 40, 40, 7]
    # 8-bit entries: the offset is four bytes, little endian, and in bytes
    bytes8 = np.array([0, 2, 10, 20, 1, 2, 40, 2, 2, 0, 0, 0, 0], np.uint8)
    expanded8 = expand_segmented_lut(bytes8, 8, 8)
    assert expanded8.dtype == np.uint8
    assert expanded8.tolist() == [10, 20, 30, 40, 10, 20, 30, 40]


def test_trailing_padding_is_ignored_and_errors_are_named() -> None:
    # the Summer palette's blue data ends in a padding byte
    padded = np.array([0, 1, 0, 1, 3, 3, 0], np.uint8)
    assert expand_segmented_lut(padded, 4, 8).tolist() == [0, 1, 2, 3]
    with pytest.raises(ProcessingError, match="first segment"):
        expand_segmented_lut(np.array([1, 2, 5], np.uint16), 2, 16)
    with pytest.raises(ProcessingError, match="opcode 3"):
        expand_segmented_lut(np.array([0, 1, 5, 3, 1, 0], np.uint16), 2, 16)
    with pytest.raises(ProcessingError, match="expands to 1"):
        expand_segmented_lut(np.array([0, 1, 5], np.uint16), 2, 16)
    nested = np.array([0, 1, 5, 2, 1, 6, 0, 2, 1, 0, 0], np.uint16)
    with pytest.raises(ProcessingError, match="indirect"):
        expand_segmented_lut(nested, 4, 16)
