"""Character sets against DCMTK: files that ``dump2dcm`` made in single-byte
and multi-byte sets (``testfiles/charsets/``), read as DCMTK's own conversion
to UTF-8 (``dcmdump +U8``) or iconv shows them; and files dicomcore writes,
read back by the same witnesses.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dicomcore import Dataset, Sequence, dcmread, dcmwrite
from dicomcore.errors import DicomValueError
from tests.interop import TESTFILES, run_tool

CHARSETS = TESTFILES / "charsets"
MANIFEST: dict[str, Any] = json.loads(
    (CHARSETS / "manifest.json").read_text(encoding="utf-8")
)
FILES = sorted(MANIFEST["files"])
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
# PS3.5 Example H.3-1
H31_TEXT = "Yamada^Tarou=山田^太郎=やまだ^たろう"
H31_BYTES = (
    b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
    b"\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B"
)
# PS3.5 Example I.2-1
I2_TEXT = "Hong^Gildong=洪^吉洞=홍^길동"
I2_BYTES = (
    b"Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
    b"\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf"
)


@pytest.fixture
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _key(path: list[Any]) -> tuple[int, ...]:
    return tuple(
        int(part.replace(",", ""), 16) if isinstance(part, str) else part
        for part in path
    )


def _element(dataset: Dataset, path: list[Any]) -> Any:
    key = _key(path)
    while len(key) > 1:
        dataset = dataset[key[0]].value[key[1]]
        key = key[2:]
    return dataset[key[0]]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\\".join(_text(item) for item in value)
    if isinstance(value, str):
        # the text as stored: a person name's str() leaves off empty trailing
        # groups, as pydicom prints names
        return str.__str__(value)
    return str(value)


# One bracketed value of dcmdump's output, and the items around it.
_VALUE_LINE = re.compile(
    rb"^(?P<indent> *)\((?P<tag>[0-9a-f]{4},[0-9a-f]{4})\) [A-Z]{2} "
    rb"\[(?P<value>.*)\] *#"
)
_ITEM_LINE = re.compile(rb"^(?P<indent> *)\(fffe,e000\)")
_SEQUENCE_LINE = re.compile(rb"^(?P<indent> *)\((?P<tag>[0-9a-f]{4},[0-9a-f]{4})\) SQ ")


def _dcmdump_values(path: Path, *options: str) -> dict[tuple[Any, ...], bytes]:
    """Each bracketed value dcmdump prints, as bytes, keyed by its path
    through sequences. Lines are split at LF only: the values hold bytes that
    str.splitlines would also split at (0x85, 0x1C ...)."""
    output = run_tool("dcmdump", "-q", "+L", "-Un", *options, path)
    values: dict[tuple[Any, ...], bytes] = {}
    prefix: dict[int, tuple[Any, ...]] = {0: ()}
    sequence_at: dict[int, tuple[Any, ...]] = {}
    items: dict[tuple[Any, ...], int] = {}
    for line in output.encode("latin_1").split(b"\n"):
        if match := _SEQUENCE_LINE.match(line):
            indent = len(match["indent"])
            sequence_at[indent] = prefix[indent] + (
                int(match["tag"].replace(b",", b""), 16),
            )
        elif match := _ITEM_LINE.match(line):
            indent = len(match["indent"])
            sequence = sequence_at[indent - 2]
            items[sequence] = items.get(sequence, -1) + 1
            prefix[indent + 2] = sequence + (items[sequence],)
        elif match := _VALUE_LINE.match(line):
            key = prefix[len(match["indent"])] + (
                int(match["tag"].replace(b",", b""), 16),
            )
            values[key] = match["value"]
    return values


def _dcmdump_utf8(path: Path) -> dict[tuple[Any, ...], str]:
    """Each value as DCMTK shows it after converting the file to UTF-8."""
    return {
        key: value.decode("utf-8")
        for key, value in _dcmdump_values(path, "+U8").items()
    }


def _iconv(path: Path, key: tuple[Any, ...], source: str, scratch: Path) -> str:
    """One value's bytes (as dcmdump prints them) converted by iconv."""
    raw = _dcmdump_values(path)[key]
    value_file = scratch / "value.raw"
    value_file.write_bytes(raw)
    converted = run_tool("iconv", "-f", source, "-t", "UTF-8", value_file)
    return converted.encode("latin_1").decode("utf-8")


def _witness_texts(path: Path, records: list[Any], scratch: Path) -> list[str]:
    texts = []
    dcmtk: dict[tuple[Any, ...], str] | None = None
    for record in records:
        key = _key(record["path"])
        if record["witness"] == "dcmdump +U8":
            if dcmtk is None:
                dcmtk = _dcmdump_utf8(path)
            texts.append(dcmtk[key])
        else:
            source = record["witness"].removeprefix("iconv -f ")
            texts.append(_iconv(path, key, source, scratch))
    return texts


# -- files made by DCMTK ---------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_reads_the_text_dump2dcm_was_given(name: str, no_warnings: None) -> None:
    dataset = dcmread(CHARSETS / name)
    record = MANIFEST["files"][name]
    assert _text(dataset.SpecificCharacterSet) == record["specific_character_set"]
    for element in record["elements"]:
        value = _element(dataset, element["path"]).value
        assert _text(value) == element["value"], element["path"]


@pytest.mark.parametrize("name", FILES)
def test_reads_what_the_witness_shows(name: str, tmp_path: Path) -> None:
    """dcmdump +U8 (DCMTK's conversion to UTF-8), or iconv where DCMTK
    cannot convert the set, run now on the committed file."""
    path = CHARSETS / name
    records = MANIFEST["files"][name]["elements"]
    dataset = dcmread(path)
    theirs = _witness_texts(path, records, tmp_path)
    ours = [_text(_element(dataset, record["path"]).value) for record in records]
    assert ours == theirs


@pytest.mark.parametrize("name", FILES)
def test_unchanged_files_round_trip(name: str, tmp_path: Path) -> None:
    dataset = dcmread(CHARSETS / name)
    for record in MANIFEST["files"][name]["elements"]:
        _element(dataset, record["path"]).value  # noqa: B018 - decode them all
    dcmwrite(tmp_path / name, dataset)
    assert (tmp_path / name).read_bytes() == (CHARSETS / name).read_bytes()


@pytest.mark.parametrize("name", FILES)
def test_reencoded_text_has_dcmtk_bytes(name: str, tmp_path: Path) -> None:
    """Every text value assigned again (so its bytes are dropped and it is
    encoded by dicomcore in its dataset's set) gives back the file DCMTK
    wrote: the same escape sequences, the same single-byte codes."""
    dataset = dcmread(CHARSETS / name)
    for record in MANIFEST["files"][name]["elements"]:
        element = _element(dataset, record["path"])
        element.value = element.value
        assert not element.is_raw
    dcmwrite(tmp_path / name, dataset)
    assert (tmp_path / name).read_bytes() == (CHARSETS / name).read_bytes()


def test_nested_items_use_their_own_character_set() -> None:
    dataset = dcmread(CHARSETS / "nested.dcm")
    items = dataset.RequestAttributesSequence
    assert items[0].ScheduledProcedureStepDescription == "Компьютерная томография"
    assert items[1].ScheduledProcedureStepDescription == "Genève"  # inherited
    assert items[2].ScheduledProcedureStepDescription == "Αξονική τομογραφία"
    assert "SpecificCharacterSet" not in items[1]


# -- files dicomcore writes, read by DCMTK and iconv ---------------------------


def _dataset(charset: str | list[str], **values: Any) -> Dataset:
    dataset = Dataset()
    dataset.SpecificCharacterSet = charset
    dataset.SOPClassUID = SECONDARY_CAPTURE
    dataset.SOPInstanceUID = "2.25.1105202407999"
    for keyword, value in values.items():
        setattr(dataset, keyword, value)
    return dataset


def _value_bytes(path: Path, key: tuple[int, ...]) -> bytes:
    return _dcmdump_values(path)[key]


def test_write_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.dcm"
    dcmwrite(path, _dataset("ISO_IR 100", PatientName="Buc^Jérôme"))
    assert _value_bytes(path, (0x00100010,)) == b"Buc^J\xe9r\xf4me"
    assert _dcmdump_utf8(path)[(0x00100010,)] == "Buc^Jérôme"


def test_write_japanese_as_annex_h(tmp_path: Path) -> None:
    path = tmp_path / "japanese.dcm"
    dcmwrite(path, _dataset(["", "ISO 2022 IR 87"], PatientName=H31_TEXT))
    assert H31_BYTES in path.read_bytes()
    assert _value_bytes(path, (0x00100010,)) == H31_BYTES
    assert _iconv(path, (0x00100010,), "ISO-2022-JP", tmp_path) == H31_TEXT


def test_write_korean_as_annex_i(tmp_path: Path) -> None:
    path = tmp_path / "korean.dcm"
    text = "The first line includes 한글.\r\nThe second line.\r\n"
    dataset = _dataset(["", "ISO 2022 IR 149"], PatientName=I2_TEXT)
    dataset.PatientComments = text
    dcmwrite(path, dataset)
    assert _value_bytes(path, (0x00100010,)) == I2_BYTES
    shown = _dcmdump_utf8(path)
    assert shown[(0x00100010,)] == I2_TEXT
    assert dcmread(path).PatientComments == text


def test_write_nested_item_in_its_own_set(tmp_path: Path) -> None:
    path = tmp_path / "nested.dcm"
    item = Dataset()
    item.SpecificCharacterSet = "ISO_IR 144"
    item.ScheduledProcedureStepDescription = "Москва"
    inherited = Dataset()
    inherited.ScheduledProcedureStepDescription = "Genève"
    dataset = _dataset("ISO_IR 100", PatientName="Buc^Jérôme")
    dataset.RequestAttributesSequence = Sequence([item, inherited])
    dcmwrite(path, dataset)
    data = path.read_bytes()
    assert "Москва".encode("iso8859_5") in data
    assert b"Gen\xe8ve" in data
    back = dcmread(path).RequestAttributesSequence
    assert back[0].ScheduledProcedureStepDescription == "Москва"
    assert back[1].ScheduledProcedureStepDescription == "Genève"
    assert _iconv(path, (0x00400275, 0, 0x00400007), "ISO-8859-5", tmp_path) == (
        "Москва"
    )


def test_unrepresentable_value_raises_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "greek.dcm"
    dataset = _dataset("ISO_IR 100", PatientName="Διονυσιος")
    with pytest.raises(DicomValueError) as info:
        dcmwrite(path, dataset)
    message = str(info.value)
    for part in ("(0010,0010)", "PatientName", "'Διονυσιος'", "'Δ'", "'ISO_IR 100'"):
        assert part in message
    assert list(tmp_path.iterdir()) == []


def test_fallback_to_utf_8(tmp_path: Path) -> None:
    """A file read in Latin-1 gets a Greek name: with the fallback asked
    for, the whole dataset moves to ISO_IR 192, the values still in their
    Latin-1 bytes included, and DCMTK reads every one of them."""
    dataset = dcmread(CHARSETS / "latin1.dcm")
    dataset.PatientName = "Διονυσιος^Αλέξανδρος"
    path = tmp_path / "utf8.dcm"
    with pytest.warns(UserWarning, match=r"'Δ'.*now 'ISO_IR 192'"):
        dcmwrite(path, dataset, character_set_fallback="ISO_IR 192")
    assert dataset.SpecificCharacterSet == "ISO_IR 192"
    shown = _dcmdump_utf8(path)
    assert shown[(0x00080005,)] == "ISO_IR 192"
    assert shown[(0x00100010,)] == "Διονυσιος^Αλέξανδρος"
    expected = {
        _key(record["path"]): record["value"]
        for record in MANIFEST["files"]["latin1.dcm"]["elements"]
        if record["path"] != ["0010,0010"]
    }
    assert {key: shown[key] for key in expected} == expected
    assert "Köln".encode() in path.read_bytes()


def test_fallback_switches_items_with_their_own_set(tmp_path: Path) -> None:
    dataset = dcmread(CHARSETS / "nested.dcm")
    dataset.RequestAttributesSequence[1].ScheduledProcedureStepDescription = "東京"
    path = tmp_path / "nested.dcm"
    with pytest.warns(UserWarning, match="ISO_IR 192"):
        dataset.save_as(path, character_set_fallback="ISO_IR 192")
    back = dcmread(path)
    items = back.RequestAttributesSequence
    assert back.SpecificCharacterSet == "ISO_IR 192"
    assert items[0].SpecificCharacterSet == "ISO_IR 192"
    assert [item.ScheduledProcedureStepDescription for item in items] == [
        "Компьютерная томография",
        "東京",
        "Αξονική τομογραφία",
    ]
    assert "Компьютерная".encode() in path.read_bytes()


def test_fallback_not_needed_changes_nothing(tmp_path: Path) -> None:
    dataset = dcmread(CHARSETS / "latin1.dcm")
    dataset.PatientName = "Doe^Jérôme"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dcmwrite(tmp_path / "x.dcm", dataset, character_set_fallback="ISO_IR 192")
    assert dataset.SpecificCharacterSet == "ISO_IR 100"
    assert b"Doe^J\xe9r\xf4me" in (tmp_path / "x.dcm").read_bytes()


def test_fallback_treats_the_default_repertoire_as_ascii(tmp_path: Path) -> None:
    dataset = Dataset()
    dataset.SOPClassUID = SECONDARY_CAPTURE
    dataset.SOPInstanceUID = "2.25.1105202407998"
    dataset.PatientName = "Müller"
    with pytest.warns(UserWarning, match="ISO_IR 192"):
        dcmwrite(tmp_path / "x.dcm", dataset, character_set_fallback="ISO_IR 192")
    assert _dcmdump_utf8(tmp_path / "x.dcm")[(0x00100010,)] == "Müller"


def test_fallback_must_be_a_universal_set(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="character_set_fallback"):
        dcmwrite(
            tmp_path / "x.dcm", _dataset("ISO_IR 100"), character_set_fallback="GBK"
        )


def test_unknown_term_reads_as_latin_1_and_keeps_its_bytes(tmp_path: Path) -> None:
    """A file whose Specific Character Set is no defined term: its text is
    read as ISO 8859-1 with a warning, and written back byte for byte."""
    original = (CHARSETS / "latin1.dcm").read_bytes()
    assert original.count(b"ISO_IR 100") == 1
    path = tmp_path / "unknown.dcm"
    path.write_bytes(original.replace(b"ISO_IR 100", b"ISO_IR 999"))
    dataset = dcmread(path)
    with pytest.warns(UserWarning, match="'ISO_IR 999' is not a defined term"):
        assert dataset.PatientName == "Buc^Jérôme"
    dcmwrite(tmp_path / "copy.dcm", dataset)
    assert (tmp_path / "copy.dcm").read_bytes() == path.read_bytes()


def test_changing_the_character_set_re_encodes_text_read_in_the_old_one(tmp_path):
    """Values read in ISO_IR 100 and not yet looked at are written in UTF-8
    once the dataset declares ISO_IR 192 (as pydicom writes them)."""
    import dicomcore

    ds = dicomcore.dcmread(CHARSETS / "latin1.dcm")
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.save_as(tmp_path / "utf8.dcm")
    data = (tmp_path / "utf8.dcm").read_bytes()
    assert "Äneas Rüdiger, Ærø".encode() in data
    assert "Äneas".encode("latin_1") not in data
    back = dicomcore.dcmread(tmp_path / "utf8.dcm")
    assert back.PatientComments == "Äneas Rüdiger, Ærø"
    assert str(back.PatientName) == "Buc^Jérôme"
