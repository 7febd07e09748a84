"""Private elements: blocks, the private dictionary, implicit VR files."""

from __future__ import annotations

import struct

from interop import TESTFILES

from dicomcore import dcmread
from dicomcore.dictionary import add_private_dict_entries, add_private_dict_entry
from dicomcore.io.reader import read_dataset


def implicit(tag: int, value: bytes) -> bytes:
    return struct.pack("<HHL", tag >> 16, tag & 0xFFFF, len(value)) + value


def test_dcmtk_implicit_file_private_names_and_vrs():
    ds = dcmread(TESTFILES / "ct_int16_implicit.dcm")
    assert ds[0x00090010].value == "GEMS_IDEN_01"
    assert ds[0x00091001].VR == "LO"
    assert ds[0x00091001].name == "[Full fidelity]"
    assert ds[0x00191002].VR == "SL" and ds[0x00191002].value == 888
    assert ds[0x00191003].VR == "DS" and ds[0x00191003].value == 442.5
    assert ds[0x00191011].VR == "SS" and ds[0x00191011].value == -3
    assert ds[0x00191011].name == "[Series contrast]"  # as pydicom prints it
    assert ds[0x00191011].private_creator == "GEMS_ACQU_01"


def test_private_vr_follows_the_block_not_the_element_number():
    # The same element offset under another slot (0x11) still resolves.
    body = implicit(0x00190011, b"GEMS_ACQU_01") + implicit(
        0x00191102, struct.pack("<l", -7)
    )
    ds = read_dataset(body, is_implicit_VR=True, is_little_endian=True)
    assert ds[0x00191102].VR == "SL"
    assert ds[0x00191102].value == -7


def test_user_private_dictionary_entries():
    add_private_dict_entry("DICOMCORE TEST", 0x00410001, "US", "Test Count")
    add_private_dict_entries(
        "DICOMCORE TEST", {0x00410002: ("DS", "1-n", "Test Values", "")}
    )
    body = (
        implicit(0x00410010, b"DICOMCORE TEST")
        + implicit(0x00411001, b"\x05\x00")
        + implicit(0x00411002, b"1.5\\2 ")
        + implicit(0x00411003, b"\x01\x02")
    )
    ds = read_dataset(body, is_implicit_VR=True, is_little_endian=True)
    assert ds[0x00411001].VR == "US" and ds[0x00411001].value == 5
    assert ds[0x00411001].name == "[Test Count]"
    assert ds[0x00411002].value == [1.5, 2]
    assert ds[0x00411003].VR == "UN"  # unknown to every dictionary
    assert ds[0x00411003].name == "Private tag data"


def test_private_blocks_reserve_ranges():
    ds = dcmread(TESTFILES / "ct_int16_implicit.dcm")
    block = ds.private_block(0x0019, "GEMS_ACQU_01")
    assert block.block_start == 0x1000
    assert block[0x02].value == 888
    new = ds.private_block(0x0019, "DICOMCORE NEW", create=True)
    assert new.block_start == 0x1100
    assert ds[0x00190011].value == "DICOMCORE NEW"
    new.add_new(0x02, "LT", "text")
    assert ds[0x00191102].value == "text"
    assert ds[0x00191102].private_creator == "DICOMCORE NEW"
    assert ds.private_creators(0x0019) == ["GEMS_ACQU_01", "DICOMCORE NEW"]
