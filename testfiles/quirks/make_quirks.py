#!/usr/bin/env python3
"""Regenerate the real-world quirk files in ``testfiles/quirks/``.

Each file holds one thing that archives contain and the standard forbids or
leaves open: elements stored as UN, UN holding sequences, damaged data, bare
datasets without File Meta Information, values breaking their VR's rules.
Every file is made by DCMTK's ``dump2dcm`` (from a text dump written here)
where ``dump2dcm`` can write it.  Where no tool writes the damage, the script
takes a file ``dump2dcm`` wrote and changes the few bytes that make the quirk,
saying in the record's ``made_by`` which bytes and why no tool makes it:

- DCMTK and GDCM never write an undefined-length UN (they write SQ), so the
  UN sequences are written by ``dump2dcm`` as a defined-length UN whose bytes
  are the implicit VR items and their Sequence Delimitation Item; the script
  then sets the length field to undefined (0xFFFFFFFF).
- No tool writes truncated files, items overrunning their sequence, or
  encapsulated Pixel Data without its delimiter; those are cut or patched
  from files the tools wrote.
- ``dump2dcm`` cannot put a NUL byte into a value.

``manifest.json`` records, for each file, what it holds and how it was made.

Usage::

    python testfiles/quirks/make_quirks.py            # rewrite testfiles/quirks/
    python testfiles/quirks/make_quirks.py --check    # rebuild elsewhere, compare
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TESTFILES = HERE.parent

EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"
IMPLICIT_VR_LE = "1.2.840.10008.1.2"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
ITEM = b"\xfe\xff\x00\xe0"
ITEM_DELIMITER = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
SEQUENCE_DELIMITER = b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"


def _head(name: str, transfer_syntax: str = EXPLICIT_VR_LE) -> str:
    # Fixed UIDs (2.25, derived from the name) keep the output reproducible.
    number = int.from_bytes(name.encode()[:16].ljust(16, b"_"), "big")
    return (
        f"(0002,0010) UI [{transfer_syntax}]\n"
        f"(0008,0016) UI [{SECONDARY_CAPTURE}]\n"
        f"(0008,0018) UI [2.25.{number}]\n"
    )


def _hex(data: bytes) -> str:
    return "\\".join(f"{byte:02x}" for byte in data)


def _implicit(tag: int, value: bytes, undefined: bool = False) -> bytes:
    """One Implicit VR Little Endian element (the encoding of a UN's items)."""
    length = 0xFFFFFFFF if undefined else len(value)
    return struct.pack("<HHL", tag >> 16, tag & 0xFFFF, length) + value


def _implicit_item(content: bytes, undefined: bool = False) -> bytes:
    if undefined:
        return ITEM + b"\xff\xff\xff\xff" + content + ITEM_DELIMITER
    return ITEM + struct.pack("<L", len(content)) + content


def _find_element(data: bytes, tag: int, vr: bytes) -> int:
    """Position of an explicit VR little endian element header in ``data``."""
    header = struct.pack("<HH", tag >> 16, tag & 0xFFFF) + vr
    position = data.find(header, 132)
    if position < 0:
        raise SystemExit(f"({tag >> 16:04X},{tag & 0xFFFF:04X}) {vr!r} not found")
    return position


# -- files dump2dcm writes whole -------------------------------------------------

_INVALID_VALUES = """\
(0008,0005) CS [ISO_IR 192]
(0008,0008) CS [ORIGINAL\\\\PRIMARY]
(0008,0060) CS [ot/x]
(0008,0064) CS [wsd]
(0010,0010) PN [Doe^Jane]
(0010,0030) DA [1997.04.24]
(0018,0050) DS [abc]
(0018,1030) LO [a\\\\\\b]
(0020,000d) UI [1.2.03.4]
(0020,0013) IS [1.5]
(0028,1050) DS [12\\x\\]
(0040,a160) UT [<?xml version="1.0"?><report><p>&lt;ok&gt;</p></report>]
"""

_PN_TRAILING_EQUALS = """\
(0008,0005) CS [ISO_IR 192]
(0008,0090) PN [Doe^John==]
(0010,0010) PN [Wang^XiaoDong=王^小東=]
(0010,1001) PN [Smith^Anne\\Jones^Bob=]
"""

_UN_PUBLIC = """\
(0008,0020) UN 31\\39\\39\\37\\30\\34\\32\\34
(0008,0060) UN 4f\\54
(0010,0010) UN 44\\6f\\65\\5e\\4a\\61\\6e\\65
(0010,1010) UN 30\\34\\32\\59
(0018,0050) UN 32\\2e\\35\\20
(0028,0010) UN 40\\00
(0028,0011) UN 20\\00
(0028,0030) UN 30\\2e\\35\\5c\\30\\2e\\37\\35
(0040,a30a) UN 31\\2e\\35\\5c\\32
"""

_UN_PRIVATE = """\
(0010,0010) PN [Doe^Jane]
(0019,0010) LO [GEMS_ACQU_01]
(0019,1002) UN 78\\03\\00\\00
(0019,1003) UN 34\\34\\32\\2e\\35\\20
(0029,0010) LO [SIEMENS CSA HEADER]
(0029,1008) UN 49\\4d\\41\\47\\45\\20\\4e\\55\\4d\\20\\34\\20
(0029,1009) UN 32\\30\\30\\38\\31\\30\\32\\34
(0029,1010) UN 53\\56\\31\\30\\04\\03\\02\\01
(0029,10ee) UN 61\\62
"""

_UN_PRIVATE_CREATOR = """\
(0010,0010) PN [Doe^Jane]
(0019,0010) UN 47\\45\\4d\\53\\5f\\41\\43\\51\\55\\5f\\30\\31
(0019,1002) UN 78\\03\\00\\00
(0029,0010) OB 53\\49\\45\\4d\\45\\4e\\53\\20\\43\\53\\41\\20\\48\\45\\41\\44\\45\\52
(0029,1008) UN 49\\4d\\41\\47\\45\\20\\4e\\55\\4d\\20\\34\\20
"""

_NOMETA_IMPLICIT_0008 = """\
(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7]
(0008,0018) UI [2.25.1234567]
(0008,0060) CS [OT]
(0010,0010) PN [Doe^Jane]
(0010,0020) LO [NM0008]
(0028,0010) US 2
(0028,0011) US 2
"""

_NOMETA_IMPLICIT_PRIVATE = """\
(1001,0010) LO [MY SCRIPT]
(1001,1001) LO [first value]
(1001,1002) UL 65537
(1001,1003) OB 01\\02\\03\\04
(1001,1004) LO [last value]
(1003,0010) LO [MY SCRIPT]
(1003,1001) SH [x]
"""


def _un_item_bytes() -> str:
    # A defined-length private UN that merely begins with an Item tag.
    content = _implicit_item(_implicit(0x00291001, b"abcd"))
    return (
        "(0010,0010) PN [Doe^Jane]\n"
        "(0029,0010) LO [ACME 1]\n"
        f"(0029,1020) UN {_hex(content)}\n"
    )


def _un_sequence_placeholder() -> tuple[str, bytes]:
    """A public SQ (Referenced Image Sequence) stored as UN: two items in
    Implicit VR Little Endian, one of undefined length."""
    first = _implicit(0x00081150, b"1.2.840.10008.5.1.4.1.1.2\x00") + _implicit(
        0x00081155, b"1.2.3.4.5\x00"
    )
    second = (
        _implicit(0x00081150, b"1.2.840.10008.5.1.4.1.1.2\x00")
        + _implicit(0x00081155, b"1.2.3.4.6\x00")
        + _implicit(0x00081160, b"1\\2 ")
    )
    content = (
        _implicit_item(first)
        + _implicit_item(second, undefined=True)
        + SEQUENCE_DELIMITER
    )
    dump = (
        "(0008,0060) CS [OT]\n"
        f"(0008,1140) UN {_hex(content)}\n"
        "(0010,0010) PN [Doe^Jane]\n"
        "(0010,0020) LO [UNSQ]\n"
    )
    return dump, content


def _un_private_sequence_placeholder() -> tuple[str, bytes]:
    """A private UN sequence of undefined length holding a nested private
    sequence (undefined length, then defined length) and the items' own
    private creators."""
    inner_item = _implicit(0x00291002, b"deep")
    nested = _implicit(
        0x00291011,
        _implicit_item(inner_item, undefined=True) + SEQUENCE_DELIMITER,
        undefined=True,
    )
    outer_item = (
        _implicit(0x00290010, b"ACME 1")
        + _implicit(0x00291001, b"inner ")
        + nested
        + _implicit(0x00291012, _implicit_item(_implicit(0x00291003, b"last")))
    )
    content = _implicit_item(outer_item, undefined=True) + SEQUENCE_DELIMITER
    dump = (
        "(0010,0010) PN [Doe^Jane]\n"
        "(0029,0010) LO [ACME 1]\n"
        f"(0029,1010) UN {_hex(content)}\n"
        "(0029,1020) LO [after]\n"
    )
    return dump, content


def _pixel_dump() -> tuple[str, bytes]:
    pixels = bytes(range(256)) * 2  # 16 x 16, 16 bits: 512 bytes
    dump = (
        "(0008,0060) CS [OT]\n"
        "(0010,0010) PN [Doe^Jane]\n"
        "(0028,0002) US 1\n"
        "(0028,0004) CS [MONOCHROME2]\n"
        "(0028,0010) US 16\n"
        "(0028,0011) US 16\n"
        "(0028,0100) US 16\n"
        "(0028,0101) US 16\n"
        "(0028,0102) US 15\n"
        "(0028,0103) US 0\n"
        "(7fe0,0010) OW =pixels.raw\n"
    )
    return dump, pixels


def _sequence_dump() -> str:
    return (
        "(0008,0060) CS [OT]\n"
        "(0008,1140) SQ (Sequence with explicit length #=2)\n"
        "  (fffe,e000) na (Item with explicit length #=2)\n"
        "    (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]\n"
        "    (0008,1155) UI [1.2.3.4.5]\n"
        "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)\n"
        "  (fffe,e000) na (Item with explicit length #=2)\n"
        "    (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]\n"
        "    (0008,1155) UI [1.2.3.4.6]\n"
        "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)\n"
        "(fffe,e0dd) na (SequenceDelimitationItem for re-encod.)\n"
        "(0010,0010) PN [Doe^Jane]\n"
        "(0010,0020) LO [SEQ]\n"
    )


# -- building ------------------------------------------------------------------


def _dump2dcm(
    out: Path,
    name: str,
    body: str,
    *options: str,
    head: bool = True,
    encoding: str = "utf-8",
) -> str:
    # dump2dcm copies a value's bytes as they are in the dump: the dump's
    # encoding is the character set the values are written in.
    dump = out / f"{name}.dump"
    text = (_head(name) if head else "") + body
    dump.write_text(text, encoding=encoding)
    command = ["dump2dcm", "-q", *options, dump.name, f"{name}.dcm"]
    subprocess.run(command, cwd=out, check=True)
    dump.unlink()
    return " ".join(["dump2dcm", *options, f"{name}.dump", f"{name}.dcm"])


def _with_undefined_un(out: Path, name: str, tag: int, content: bytes) -> None:
    path = out / f"{name}.dcm"
    data = bytearray(path.read_bytes())
    position = _find_element(bytes(data), tag, b"UN")
    (length,) = struct.unpack_from("<L", data, position + 8)
    if length != len(content):
        raise SystemExit(f"{name}: UN length {length}, expected {len(content)}")
    data[position + 8 : position + 12] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))


def build(out: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []

    def record(name: str, behaviour: str, holds: str, made_by: str) -> None:
        records.append(
            {
                "file": f"{name}.dcm",
                "behaviour": behaviour,
                "holds": holds,
                "made_by": made_by,
            }
        )

    name = "invalid_values"
    made = _dump2dcm(out, name, _INVALID_VALUES)
    record(
        name,
        "invalid values are kept as read",
        "DA '1997.04.24'; UI '1.2.03.4' (component with a leading 0); CS 'ot/x' "
        "and 'wsd' (lowercase, '/'); DS 'abc'; IS '1.5'; DS '12\\x\\' (empty "
        "last value); LO and CS with empty values in the middle; UT holding "
        "XML; Specific Character Set ISO_IR 192",
        made,
    )

    name = "pn_trailing_equals"
    made = _dump2dcm(out, name, _PN_TRAILING_EQUALS)
    record(
        name,
        "person names with empty trailing component groups",
        "PN 'Doe^John==', 'Wang^XiaoDong=王^小東=' (ISO_IR 192), "
        "'Smith^Anne\\Jones^Bob='",
        made,
    )

    name = "un_public"
    made = _dump2dcm(out, name, _UN_PUBLIC)
    record(
        name,
        "public elements stored as UN get their dictionary VR",
        "StudyDate, Modality, PatientName, PatientAge, SliceThickness, Rows, "
        "Columns, PixelSpacing and NumericValue (DS, 2 values) as explicit UN",
        made,
    )

    name = "un_private"
    made = _dump2dcm(out, name, _UN_PRIVATE)
    record(
        name,
        "private elements stored as UN get the private dictionary's VR",
        "GEMS_ACQU_01 (0019,1002) SL 888 and (0019,1003) DS '442.5'; SIEMENS "
        "CSA HEADER (0029,1008) CS, (0029,1009) LO, (0029,1010) OB, and "
        "(0029,10EE) not in the dictionary, all as UN",
        made,
    )

    name = "un_private_creator"
    made = _dump2dcm(out, name, _UN_PRIVATE_CREATOR)
    record(
        name,
        "private creators stored as UN are LO; another explicit VR is kept",
        "(0019,0010) GEMS_ACQU_01 as UN with (0019,1002) SL as UN; "
        "(0029,0010) SIEMENS CSA HEADER as OB with (0029,1008) as UN",
        made,
    )

    name = "un_item_bytes"
    made = _dump2dcm(out, name, _un_item_bytes())
    record(
        name,
        "a defined-length UN beginning with an Item tag stays UN",
        "(0029,1020) UN of 24 bytes: one implicit VR item holding (0029,1001)",
        made,
    )

    name = "un_sequence"
    dump, content = _un_sequence_placeholder()
    made = _dump2dcm(out, name, dump)
    _with_undefined_un(out, name, 0x00081140, content)
    record(
        name,
        "UN of undefined length holding an implicit VR sequence",
        "ReferencedImageSequence as UN, undefined length: one defined-length "
        "item, one undefined-length item with ReferencedFrameNumber '1\\2'",
        made + "; then the UN's length field set to 0xFFFFFFFF (no tool writes "
        "an undefined-length UN; the value already ends with its Sequence "
        "Delimitation Item)",
    )

    name = "un_private_sequence_nested"
    dump, content = _un_private_sequence_placeholder()
    made = _dump2dcm(out, name, dump)
    _with_undefined_un(out, name, 0x00291010, content)
    record(
        name,
        "private UN sequence with nested private sequences",
        "(0029,1010) UN, undefined length: one item holding its creator "
        "(0029,0010) 'ACME 1', (0029,1001) 'inner ', (0029,1011) undefined "
        "length sequence with (0029,1002) 'deep', (0029,1012) defined-length "
        "sequence with (0029,1003) 'last'; then (0029,1020) LO 'after'",
        made + "; then the UN's length field set to 0xFFFFFFFF (no tool writes "
        "an undefined-length UN)",
    )

    name = "truncated_pixel_data"
    dump, pixels = _pixel_dump()
    (out / "pixels.raw").write_bytes(pixels)
    made = _dump2dcm(out, name, dump)
    (out / "pixels.raw").unlink()
    path = out / f"{name}.dcm"
    data = path.read_bytes()
    path.write_bytes(data[:-200])
    record(
        name,
        "data ending inside the last element's value",
        "16 x 16 16-bit MONOCHROME2 whose Pixel Data (512 bytes declared) "
        "keeps only its first 312 bytes",
        made + "; then the last 200 bytes cut (no tool writes a truncated file)",
    )

    name = "truncated_sequence_item"
    made = _dump2dcm(out, name, _sequence_dump())
    path = out / f"{name}.dcm"
    data = bytearray(path.read_bytes())
    sequence = _find_element(bytes(data), 0x00081140, b"SQ")
    first_item = sequence + 12
    (item_length,) = struct.unpack_from("<L", data, first_item + 4)
    second_item = first_item + 8 + item_length
    struct.pack_into("<L", data, second_item + 4, item_length + 40)
    path.write_bytes(bytes(data))
    record(
        name,
        "an item whose length runs past its sequence",
        "ReferencedImageSequence of two items; the second item's length is "
        "40 bytes longer than the sequence leaves it; PatientName and "
        "PatientID follow the sequence",
        made + "; then the second item's length field raised by 40 (no tool "
        "writes an overrunning item)",
    )

    name = "encapsulated_unterminated"
    source = TESTFILES / "mono16_5frames_rle.dcm"
    data = source.read_bytes()
    if not data.endswith(SEQUENCE_DELIMITER):
        raise SystemExit(f"{source.name} does not end with its delimiter")
    data = data[: -len(SEQUENCE_DELIMITER)]
    last = data.rfind(ITEM)
    (fragment_length,) = struct.unpack_from("<L", data, last + 4)
    data = data[: last + 8 + fragment_length // 2]
    (out / f"{name}.dcm").write_bytes(data)
    record(
        name,
        "encapsulated Pixel Data without its Sequence Delimitation Item",
        "testfiles/mono16_5frames_rle.dcm (RLE Lossless, 5 frames of 16 bits) "
        "without its Sequence Delimitation Item and with the last fragment "
        "cut to half its length: frames 0-3 are whole",
        "testfiles/mono16_5frames_rle.dcm (dcmcrle); then the delimiter and "
        "half the last fragment cut (no tool writes this)",
    )

    name = "nometa_implicit_group0008"
    made = _dump2dcm(out, name, _NOMETA_IMPLICIT_0008, "-F", "+ti", head=False)
    record(
        name,
        "a bare Implicit VR Little Endian dataset, no preamble or file meta",
        "starts at (0008,0016); Modality OT, PatientID NM0008, Rows 2",
        made,
    )

    name = "nometa_implicit_private_group"
    made = _dump2dcm(out, name, _NOMETA_IMPLICIT_PRIVATE, "-F", "+ti", head=False)
    record(
        name,
        "a bare Implicit VR Little Endian dataset whose first group is private",
        "starts at (1001,0010) 'MY SCRIPT'; (1001,1002) 65537 (4 bytes, UN "
        "to a reader without the creator's dictionary); group 1003 follows",
        made,
    )

    name = "charset_nul"
    made = _dump2dcm(
        out,
        name,
        "(0008,0005) CS [ISO_IR 100]\n(0010,0010) PN [M\u00fcller^Hans]\n",
        encoding="latin-1",
    )
    path = out / f"{name}.dcm"
    data = bytearray(path.read_bytes())
    charset = _find_element(bytes(data), 0x00080005, b"CS")
    data[charset + 8 + 8 : charset + 8 + 10] = b"\x001"
    path.write_bytes(bytes(data))
    record(
        name,
        "a Specific Character Set term holding a NUL byte",
        "Specific Character Set 'ISO_IR 10\\x001' (bytes 9-10 of 'ISO_IR 100' "
        "replaced), PatientName in ISO 8859-1",
        made + "; then 2 bytes of the term replaced with NUL and '1' (dump2dcm "
        "writes no NUL)",
    )
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        records = build(out)
        (out / "manifest.json").write_text(
            json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        names = [record["file"] for record in records] + ["manifest.json"]
        if arguments.check:
            differ = [
                name
                for name in names
                if not filecmp.cmp(out / name, HERE / name, shallow=False)
            ]
            for name in differ:
                print(f"differs: {name}", file=sys.stderr)
            return 1 if differ else 0
        for name in names:
            shutil.copyfile(out / name, HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
