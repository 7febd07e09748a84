#!/usr/bin/env python3
"""Regenerate the character set test files in ``testfiles/charsets/``.

Each file is written by DCMTK's ``dump2dcm`` from a text dump whose values are
already in the file's character set: ``dump2dcm`` copies the bytes between
``[`` and ``]`` unchanged, so the dump is written as bytes, the structure in
ASCII and each value in its set. The values of the multi-byte files are the
byte sequences printed in PS3.5 Annexes H, I, J and K.

Every file's text is then read back by an outside witness and must equal the
strings in this script before ``manifest.json`` records them, with the
witness of each element:

- ``dcmdump +U8`` (DCMTK converting to UTF-8 through iconv), for every set
  this DCMTK build converts;
- ``iconv -f SET`` on the raw value as ``dcmdump`` prints it, where DCMTK
  cannot: ISO 2022 IR 87 (iconv's ISO-2022-JP), and sequence items with their
  own Specific Character Set, which DCMTK 3.6.7's ``+U8`` converts with the
  enclosing dataset's set instead.

Usage::

    python testfiles/charsets/make_charset_files.py           # rewrite
    python testfiles/charsets/make_charset_files.py --check   # compare only

UIDs are fixed, so two runs with the same DCMTK give identical files.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
UID_ROOT = "2.25.1105202407"  # fixed, so the files are reproducible


@dataclass
class Element:
    """One element of a dump: the text it holds, and its bytes when they are
    not simply the text in the file's codec (ISO 2022 escape sequences)."""

    tag: str  # "gggg,eeee"
    vr: str
    text: str
    raw: bytes | None = None


@dataclass
class Item:
    """A sequence item, possibly declaring its own character set (and then
    read back by iconv with ``iconv_name``)."""

    specific_character_set: str | None
    elements: list[Element]
    codec: str | None = None
    iconv_name: str | None = None


@dataclass
class Case:
    name: str
    specific_character_set: str
    codec: str | None  # Python codec that writes the values; None: raw given
    elements: list[Element]
    iconv_name: str | None = None  # witness when DCMTK cannot convert the set
    sequence: tuple[str, list[Item]] | None = None
    notes: str = ""
    made_by: list[str] = field(default_factory=list)


# Annex byte sequences (PS3.5 H.3-1, I.2-1, J.1-1, J.3-1, K.2-1).
H31 = (
    b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
    b"\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B"
)
I2 = (
    b"Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
    b"\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf"
)
J1 = b"Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1="
J3 = b"Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab="
K2 = b"Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab="


def single_byte(
    name: str, term: str, codec: str, person: str, place: str, words: str
) -> Case:
    return Case(
        name,
        term,
        codec,
        [
            Element("0010,0010", "PN", person),
            Element("0010,1001", "PN", f"{person}\\{person.split('^')[0]}"),
            Element("0008,0080", "LO", place),
            Element("0018,1020", "LO", f"{words}\\{place}"),  # two values
            Element("0008,1010", "SH", place[:16]),
            Element("0008,2111", "ST", words),
            Element("0010,4000", "LT", words),
            Element("0008,0119", "UC", words),
            Element("0040,a160", "UT", words),
        ],
    )


CASES = [
    single_byte(
        "latin1",
        "ISO_IR 100",
        "latin_1",
        "Buc^Jérôme",
        "Köln",
        "Äneas Rüdiger, Ærø",
    ),
    single_byte(
        "latin2",
        "ISO_IR 101",
        "iso8859_2",
        "Dvořák^Antonín",
        "Brno",
        "Příliš žluťoučký kůň",
    ),
    single_byte(
        "latin3", "ISO_IR 109", "iso8859_3", "Borġ^Ġużeppi", "Għawdex", "Ħarġa"
    ),
    single_byte(
        "latin4", "ISO_IR 110", "iso8859_4", "Ąžuolas^Jānis", "Rīga", "Ģimene ŗ"
    ),
    single_byte(
        "cyrillic",
        "ISO_IR 144",
        "iso8859_5",
        "Иванов^Иван^Петрович",
        "Москва",
        "Съешь же ещё этих булок",
    ),
    single_byte(
        "arabic", "ISO_IR 127", "iso8859_6", "قباني^لنزار", "القاهرة", "مرحبا بالعالم"
    ),
    single_byte(
        "greek",
        "ISO_IR 126",
        "iso8859_7",
        "Διονυσιος^Αλέξανδρος",
        "Αθήνα",
        "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία",
    ),
    single_byte(
        "hebrew", "ISO_IR 138", "iso8859_8", "שרון^דבורה", "ירושלים", "שלום עולם"
    ),
    single_byte(
        "latin5", "ISO_IR 148", "iso8859_9", "Çağlar^Şükrü", "İzmir", "Ğüşiöç ıİ"
    ),
    single_byte("thai", "ISO_IR 166", "iso8859_11", "สมชาย^ใจดี", "กรุงเทพ", "ภาษาไทย"),
    Case(
        "katakana",
        "ISO_IR 13",
        "shift_jis",
        [
            Element("0010,0010", "PN", "ﾔﾏﾀﾞ^ﾀﾛｳ"),
            Element("0008,0080", "LO", "ﾄｳｷｮｳ"),
        ],
    ),
    Case(
        "utf8",
        "ISO_IR 192",
        None,
        [
            Element("0010,0010", "PN", "Wang^XiaoDong=王^小東=", J1),
            Element("0008,0080", "LO", "Zürich 東京 Москва", None),
        ],
        notes="PatientName: PS3.5 Example J.1-1",
    ),
    Case(
        "gb18030",
        "GB18030",
        None,
        [
            Element("0010,0010", "PN", "Wang^XiaoDong=王^小东=", J3),
            Element("0008,0080", "LO", "北京", "北京".encode("gb18030")),
        ],
        notes="PatientName: PS3.5 Example J.3-1",
    ),
    Case(
        "gbk",
        "GBK",
        None,
        [Element("0010,0010", "PN", "王^小东", "王^小东".encode("gbk"))],
    ),
    Case(
        "korean",
        "\\ISO 2022 IR 149",
        None,
        [
            Element("0010,0010", "PN", "Hong^Gildong=洪^吉洞=홍^길동", I2),
            Element("0008,0080", "LO", "서울", b"\x1b$)C" + "서울".encode("euc_kr")),
        ],
        notes="PatientName: PS3.5 Example I.2-1",
    ),
    Case(
        "chinese_iso2022",
        "\\ISO 2022 IR 58",
        None,
        [Element("0010,0010", "PN", "Zhang^XiaoDong=张^小东=", K2)],
        notes="PatientName: PS3.5 Example K.2-1",
    ),
    Case(
        "japanese",
        "\\ISO 2022 IR 87",
        None,
        [Element("0010,0010", "PN", "Yamada^Tarou=山田^太郎=やまだ^たろう", H31)],
        iconv_name="ISO-2022-JP",
        notes=(
            "PatientName: PS3.5 Example H.3-1; this DCMTK (iconv) cannot "
            "convert ISO 2022 IR 87, so iconv's ISO-2022-JP reads the value"
        ),
    ),
    Case(
        "nested",
        "ISO_IR 100",
        "latin_1",
        [Element("0010,0010", "PN", "Buc^Jérôme")],
        sequence=(
            "0040,0275",
            [
                Item(
                    "ISO_IR 144",
                    [Element("0040,0007", "LO", "Компьютерная томография")],
                    "iso8859_5",
                    "ISO-8859-5",
                ),
                Item(None, [Element("0040,0007", "LO", "Genève")], "latin_1"),
                Item(
                    "ISO_IR 126",
                    [Element("0040,0007", "LO", "Αξονική τομογραφία")],
                    "iso8859_7",
                    "ISO-8859-7",
                ),
            ],
        ),
        notes=(
            "items 1 and 3 declare their own set; item 2 inherits Latin-1. "
            "DCMTK 3.6.7's +U8 ignores an item's own set, so iconv reads those"
        ),
    ),
]


def value_bytes(element: Element, codec: str | None) -> bytes:
    if element.raw is not None:
        return element.raw
    return element.text.encode(codec or "utf-8")


def dump_line(element: Element, codec: str | None, indent: str = "") -> bytes:
    head = f"{indent}({element.tag}) {element.vr} [".encode("ascii")
    return head + value_bytes(element, codec) + b"]\n"


def write_dump(case: Case, path: Path) -> None:
    uid = f"{UID_ROOT}.{CASES.index(case) + 1}"
    lines = [
        f"(0008,0005) CS [{case.specific_character_set}]\n".encode("ascii"),
        f"(0008,0016) UI [{SECONDARY_CAPTURE}]\n".encode("ascii"),
        f"(0008,0018) UI [{uid}]\n".encode("ascii"),
        b"(0008,0060) CS [OT]\n",
    ]
    lines += [dump_line(element, case.codec) for element in case.elements]
    if case.sequence is not None:
        tag, items = case.sequence
        lines.append(f"({tag}) SQ (Sequence with undefined length)\n".encode())
        for item in items:
            lines.append(b"  (fffe,e000) na (Item with undefined length)\n")
            if item.specific_character_set is not None:
                lines.append(
                    f"    (0008,0005) CS [{item.specific_character_set}]\n".encode()
                )
            for element in item.elements:
                lines.append(dump_line(element, item.codec, "    "))
            lines.append(b"  (fffe,e00d) na (ItemDelimitationItem)\n")
        lines.append(b"(fffe,e0dd) na (SequenceDelimitationItem)\n")
    path.write_bytes(b"".join(lines))


def run(*arguments: str | Path, cwd: Path | None = None) -> bytes:
    result = subprocess.run(
        [str(argument) for argument in arguments],
        capture_output=True,
        cwd=cwd,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"{arguments[0]} failed: {result.stderr.decode(errors='replace')}"
        )
    return result.stdout


_VALUE = re.compile(rb"^ *\(([0-9a-f]{4},[0-9a-f]{4})\) [A-Z]{2} \[(.*)\] +#")


def dcmdump_values(path: Path, *options: str) -> list[tuple[str, bytes]]:
    """(tag, value bytes) of every bracketed value dcmdump prints, in order."""
    output = run("dcmdump", "-q", "+L", *options, path)
    values = []
    for line in output.splitlines():
        match = _VALUE.match(line)
        if match:
            values.append((match[1].decode(), match[2]))
    return values


def _witness(iconv_name: str | None) -> str:
    return f"iconv -f {iconv_name}" if iconv_name else "dcmdump +U8"


def expected_values(case: Case) -> list[dict[str, Any]]:
    """What the manifest records: each text element, with its path through
    sequences and the tool that read it, in dump order."""
    records = [
        {
            "path": [element.tag],
            "vr": element.vr,
            "value": element.text,
            "witness": _witness(case.iconv_name),
        }
        for element in case.elements
    ]
    if case.sequence is not None:
        tag, items = case.sequence
        for index, item in enumerate(items):
            for element in item.elements:
                records.append(
                    {
                        "path": [tag, index, element.tag],
                        "vr": element.vr,
                        "value": element.text,
                        "witness": _witness(item.iconv_name or case.iconv_name),
                    }
                )
    return records


def witnessed_values(
    path: Path, records: list[dict[str, Any]], workdir: Path
) -> list[str]:
    """The text of each record's element as its witness reads it: elements
    are matched to dcmdump's lines by tag, occurrences in order."""
    converted: dict[str, list[bytes]] = {}
    raw: dict[str, list[bytes]] = {}
    if any(record["witness"] == "dcmdump +U8" for record in records):
        for tag, value in dcmdump_values(path, "+U8"):
            converted.setdefault(tag, []).append(value)
    for tag, value in dcmdump_values(path):
        raw.setdefault(tag, []).append(value)
    texts = []
    for record in records:
        tag = record["path"][-1]
        value = raw[tag].pop(0)
        if record["witness"] == "dcmdump +U8":
            texts.append(converted[tag].pop(0).decode("utf-8"))
            continue
        if tag in converted:
            converted[tag].pop(0)
        source = workdir / "value.raw"
        source.write_bytes(value)
        iconv_name = record["witness"].removeprefix("iconv -f ")
        texts.append(run("iconv", "-f", iconv_name, "-t", "UTF-8", source).decode())
    return texts


def witness(case: Case, path: Path, workdir: Path) -> None:
    """Check that an outside tool reads every value as the intended text."""
    records = expected_values(case)
    seen = witnessed_values(path, records, workdir)
    for record, text in zip(records, seen, strict=True):
        if text != record["value"]:
            raise SystemExit(
                f"{case.name}: {record['witness']} reads {record['path']} as "
                f"{text!r}, not {record['value']!r}"
            )


def build(target: Path) -> dict[str, Any]:
    for tool in ("dump2dcm", "dcmdump", "iconv"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: apt-get install dcmtk)")
    version = run("dcmdump", "--version").decode().splitlines()[0].strip()
    files = {}
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        for case in CASES:
            dump = workdir / f"{case.name}.dump"
            write_dump(case, dump)
            output = target / f"{case.name}.dcm"
            run("dump2dcm", "-q", "+te", dump, output)
            witness(case, output, workdir)
            files[output.name] = {
                "specific_character_set": case.specific_character_set,
                "made_by": f"dump2dcm +te {case.name}.dump {output.name}",
                "notes": case.notes,
                "elements": expected_values(case),
            }
    return {
        "generator": "testfiles/charsets/make_charset_files.py",
        "tools": version,
        "files": files,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, not write")
    arguments = parser.parse_args()
    if not arguments.check:
        manifest = build(HERE)
        text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
        (HERE / "manifest.json").write_text(text, encoding="utf-8")
        print(f"wrote {len(manifest['files'])} files and manifest.json")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch)
        manifest = build(target)
        differ = [
            name
            for name in manifest["files"]
            if not filecmp.cmp(target / name, HERE / name, shallow=False)
        ]
        stored = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
        if stored != manifest:
            differ.append("manifest.json")
    print("differ: " + ", ".join(differ) if differ else "identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
