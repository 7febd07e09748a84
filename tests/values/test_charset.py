"""Specific Character Set: defined terms, ISO 2022 code extensions, and the
examples of PS3.5 Annexes H (Japanese), I (Korean), J (Unicode UTF-8 and
GB18030) and K (GB 2312 with code extensions).

The byte sequences are those the annexes print (as column/row pairs or hex).
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomcore import config
from dicomcore.errors import DicomValueError
from dicomcore.values import (
    CharacterSet,
    PersonName,
    character_set,
    convert_encodings,
    decode_text,
    decode_value,
    encode_text,
    encode_value,
    unencodable_character,
)
from dicomcore.values.charset import DEFINED_TERMS, names_character_set

ESC = b"\x1b"

# PS3.5 Example H.3-1: value 1 empty (ISO-IR 6), value 2 JIS X 0208 in G0.
H31_CHARSET = ["", "ISO 2022 IR 87"]
H31_TEXT = "Yamada^Tarou=山田^太郎=やまだ^たろう"
H31_BYTES = (
    b"Yamada^Tarou="
    b"\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
    b"\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B"
)
# PS3.5 Example H.3-2: value 1 JIS X 0201 (katakana in G1, romaji in G0).
H32_CHARSET = ["ISO 2022 IR 13", "ISO 2022 IR 87"]
H32_TEXT = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"
H32_BYTES = (
    b"\xd4\xcf\xc0\xde^\xc0\xdb\xb3="
    b"\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J="
    b"\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J"
)
# PS3.5 Example I.2-1: KS X 1001 in G1, designated after each delimiter.
I2_CHARSET = ["", "ISO 2022 IR 149"]
I2_TEXT = "Hong^Gildong=洪^吉洞=홍^길동"
I2_BYTES = (
    b"Hong^Gildong="
    b"\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
    b"\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf"
)
# PS3.5 Example J.1-1 (UTF-8) and J.3-1 (GB18030).
J1_TEXT = "Wang^XiaoDong=王^小東="
J1_BYTES = b"Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1="
J3_TEXT = "Wang^XiaoDong=王^小东="
J3_BYTES = b"Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab="
# PS3.5 Examples J.2-1 (UTF-8) and J.4-1 (GB18030): LT with CR LF.
J_LT_TEXT = (
    "The first line includes中文.\r\n"
    "The second line includes中文, too.\r\n"
    "The third line.\r\n"
)
J2_BYTES = (
    b"The first line includes\xe4\xb8\xad\xe6\x96\x87.\r\n"
    b"The second line includes\xe4\xb8\xad\xe6\x96\x87, too.\r\n"
    b"The third line.\r\n"
)
J4_BYTES = (
    b"The first line includes\xd6\xd0\xce\xc4.\r\n"
    b"The second line includes\xd6\xd0\xce\xc4, too.\r\n"
    b"The third line.\r\n"
)
# PS3.5 Example K.2-1 (PN) and K.3-1 (LT, each line re-designating G1).
K_CHARSET = ["", "ISO 2022 IR 58"]
K2_TEXT = "Zhang^XiaoDong=张^小东="
K2_BYTES = b"Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab="
K3_TEXT = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n"
K3_BYTES = bytes.fromhex(
    "312e1b242941b5dad2bbd0d0cec4d7d6a1a30d0a"
    "322e1b242941b5dab6fed0d0cec4d7d6a1a30d0a"
    "332e1b242941b5dac8fdd0d0cec4d7d6a1a30d0a"
)

ANNEX_EXAMPLES = [
    pytest.param(H31_CHARSET, "PN", H31_TEXT, H31_BYTES, id="H.3-1"),
    pytest.param(H32_CHARSET, "PN", H32_TEXT, H32_BYTES, id="H.3-2"),
    pytest.param(I2_CHARSET, "PN", I2_TEXT, I2_BYTES, id="I.2-1"),
    pytest.param("ISO_IR 192", "PN", J1_TEXT, J1_BYTES, id="J.1-1"),
    pytest.param("ISO_IR 192", "LT", J_LT_TEXT, J2_BYTES, id="J.2-1"),
    pytest.param("GB18030", "PN", J3_TEXT, J3_BYTES, id="J.3-1"),
    pytest.param("GB18030", "LT", J_LT_TEXT, J4_BYTES, id="J.4-1"),
    pytest.param(K_CHARSET, "PN", K2_TEXT, K2_BYTES, id="K.2-1"),
    pytest.param(K_CHARSET, "LT", K3_TEXT, K3_BYTES, id="K.3-1"),
]


@pytest.fixture
def no_warnings() -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize(("charset", "vr", "text", "raw"), ANNEX_EXAMPLES)
def test_annex_example_decodes(
    charset: object, vr: str, text: str, raw: bytes, no_warnings: None
) -> None:
    assert decode_text(raw, charset, vr=vr) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(("charset", "vr", "text", "raw"), ANNEX_EXAMPLES)
def test_annex_example_encodes(
    charset: object, vr: str, text: str, raw: bytes, no_warnings: None
) -> None:
    assert encode_text(text, charset, vr=vr, mode=config.RAISE) == raw  # type: ignore[arg-type]


@pytest.mark.parametrize(("charset", "vr", "text", "raw"), ANNEX_EXAMPLES)
def test_annex_example_as_element_value(
    charset: object, vr: str, text: str, raw: bytes
) -> None:
    """Through the VR codecs, as the data model reads and writes them:
    padded to even length with a space, which decoding drops again."""
    padded = raw + b" " * (len(raw) % 2)
    value = decode_value(padded, vr, encodings=charset)  # type: ignore[arg-type]
    assert value == text.rstrip(" ")
    assert encode_value(text, vr, encodings=charset) == padded  # type: ignore[arg-type]


def test_annex_i3_korean_text_decodes() -> None:
    """PS3.5 Example I.3-1 prints its LT with ESC $ ) C at the head of each
    line that holds Hangul (no byte listing); reading it needs the reset at
    CR LF. Our encoder designates just before the first Hangul, as Example
    K.3-1 does, which reads back the same."""
    hangul = "한글".encode("euc_kr")
    raw = (
        ESC + b"$)CThe first line includes " + hangul + b".\r\n"
        + ESC + b"$)CThe second line includes " + hangul + b", too.\r\n"
        + b"The third line"
    )  # fmt: skip
    text = (
        "The first line includes 한글.\r\n"
        "The second line includes 한글, too.\r\n"
        "The third line"
    )
    assert decode_text(raw, I2_CHARSET, vr="LT") == text
    written = encode_text(text, I2_CHARSET, vr="LT", mode=config.RAISE)
    assert written == raw.replace(ESC + b"$)CThe", b"The").replace(
        b"includes " + hangul, b"includes " + ESC + b"$)C" + hangul
    )
    assert decode_text(written, I2_CHARSET, vr="LT") == text


def test_person_name_groups_of_annex_examples() -> None:
    name = decode_value(H32_BYTES, "PN", encodings=H32_CHARSET)
    assert isinstance(name, PersonName)
    assert (name.family_name, name.given_name) == ("ﾔﾏﾀﾞ", "ﾀﾛｳ")
    assert name.family_name_ideographic == "山田"
    assert name.given_name_phonetic == "たろう"
    assert name.encode() == H32_BYTES  # it remembers its character set
    korean = decode_value(I2_BYTES, "PN", encodings=I2_CHARSET)
    assert korean.ideographic == "洪^吉洞"
    assert korean.phonetic == "홍^길동"


# -- single-byte sets ----------------------------------------------------------

SINGLE_BYTE = [
    ("ISO_IR 100", "Buc^Jérôme", b"Buc^J\xe9r\xf4me"),
    ("ISO_IR 101", "Dvořák^Antonín", b"Dvo\xf8\xe1k^Anton\xedn"),
    ("ISO_IR 109", "Ġużeppi", b"\xd5u\xbfeppi"),
    ("ISO_IR 110", "Ąžuolas", b"\xa1\xbeuolas"),
    ("ISO_IR 144", "Люкceмбypг", b"\xbb\xee\xda" + "ceмбypг".encode("iso8859_5")),
    ("ISO_IR 127", "قباني^لنزار", "قباني^لنزار".encode("iso8859_6")),
    ("ISO_IR 126", "Διονυσιος", b"\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2"),
    ("ISO_IR 138", "שרון^דבורה", b"\xf9\xf8\xe5\xef^\xe3\xe1\xe5\xf8\xe4"),
    ("ISO_IR 148", "Çağlar", b"\xc7a\xf0lar"),
    ("ISO_IR 203", "Œuvre€", b"\xbcuvre\xa4"),
    ("ISO_IR 166", "ภาษาไทย", b"\xc0\xd2\xc9\xd2\xe4\xb7\xc2"),
    ("ISO_IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", b"\xd4\xcf\xc0\xde^\xc0\xdb\xb3"),
]


@pytest.mark.parametrize(("term", "text", "raw"), SINGLE_BYTE)
def test_single_byte_sets(term: str, text: str, raw: bytes, no_warnings: None) -> None:
    assert decode_text(raw, term, vr="PN") == text
    assert encode_text(text, term, vr="PN", mode=config.RAISE) == raw


@pytest.mark.parametrize(("term", "text", "raw"), SINGLE_BYTE)
def test_iso_2022_forms_of_single_byte_sets(term: str, text: str, raw: bytes) -> None:
    """As value 1 of a multi-valued set the ISO 2022 form gives the same
    bytes: its G0 and G1 are active from the start."""
    extended = term.replace("ISO_IR", "ISO 2022 IR")
    charset = [extended, "ISO 2022 IR 87"]
    assert decode_text(raw, charset, vr="PN") == text
    assert encode_text(text, charset, vr="PN", mode=config.RAISE) == raw


def test_switching_between_single_byte_sets() -> None:
    """G1 switches to another ISO 8859 part and back to value 1 at each
    delimiter, as PS3.5 6.1.2.5.3 requires."""
    charset = ["ISO 2022 IR 100", "ISO 2022 IR 126"]
    raw = encode_text("Jérôme^Διον", charset, vr="PN", mode=config.RAISE)
    assert raw == b"J\xe9r\xf4me^\x1b-F\xc4\xe9\xef\xed\x1b-A"
    assert decode_text(raw, charset, vr="PN") == "Jérôme^Διον"
    # without the restoring ESC - A, the reset at "^" still gives Latin-1
    assert decode_text(b"\x1b-F\xc4^\xe9", charset, vr="PN") == "Δ^é"


# -- reset points (PS3.5 6.1.2.5.3) --------------------------------------------


def test_reset_before_value_delimiter_and_control_characters() -> None:
    charset = H31_CHARSET
    assert encode_text("山\\田", charset, vr="LO", mode=config.RAISE) == (
        b"\x1b$B;3\x1b(B\\\x1b$BED\x1b(B"
    )
    assert encode_text("山\r\n田\t十", charset, vr="LT", mode=config.RAISE) == (
        b"\x1b$B;3\x1b(B\r\n\x1b$BED\x1b(B\t\x1b$B==\x1b(B"
    )
    # in LT a backslash is a character, not a reset point
    assert encode_text("山\\田", charset, vr="LT", mode=config.RAISE) == (
        b"\x1b$B;3\x1b(B\\\x1b$BED\x1b(B"
    )
    assert decode_value(b"\x1b$B;3\x1b(B\\\x1b$BED\x1b(B", "LO", encodings=charset) == [
        "山",
        "田",
    ]


def test_delimiter_bytes_inside_two_byte_characters() -> None:
    """JIS X 0208 codes use 0x21-0x7E for both bytes, so "=" (0x3D), "\\"
    (0x5C) and "^" (0x5E) occur inside characters: 十 is 3D 3D, 棔 is 5C 21
    and 沺 is 5E 21. They are delimiters only while G0 is single-byte."""
    raw = b"\x1b$B==\x1b(B^\x1b$B\\!^!\x1b(B=\x1b$B==\x1b(B"
    name = decode_value(raw, "PN", encodings=H31_CHARSET)
    assert name == "十^棔沺=十"
    assert name.family_name == "十"
    assert name.given_name == "棔沺"
    assert name.ideographic == "十"
    assert encode_value("十^棔沺=十", "PN", encodings=H31_CHARSET) == raw
    values = decode_value(
        b"\x1b$B\\!\x1b(B\\\x1b$B==\x1b(B", "LO", encodings=H31_CHARSET
    )
    assert values == ["棔", "十"]


def test_space_between_kanji_is_written_in_iso_ir_6() -> None:
    # Some ISO 2022 readers take 0x20 in a two-byte state as half a character.
    raw = encode_text("山田 太郎", H31_CHARSET, vr="LO", mode=config.RAISE)
    assert raw == b"\x1b$B;3ED\x1b(B \x1b$BB@O:\x1b(B"
    # reading one written there anyway gives the space
    assert decode_text(b"\x1b$B;3ED B@O:\x1b(B", H31_CHARSET) == "山田 太郎"


def test_jis_x_0212() -> None:
    charset = ["", "ISO 2022 IR 87", "ISO 2022 IR 159"]
    # 丂 is JIS X 0212 0x3021; 山 is JIS X 0208 0x3B33
    raw = encode_text("丂山", charset, vr="LO", mode=config.RAISE)
    assert raw == b"\x1b$(D0!\x1b$B;3\x1b(B"
    assert decode_text(raw, charset, vr="LO") == "丂山"


def test_first_declared_set_wins() -> None:
    # 王 is in KS X 1001 and GB 2312; the order of declaration decides.
    korean_first = ["", "ISO 2022 IR 149", "ISO 2022 IR 58"]
    chinese_first = ["", "ISO 2022 IR 58", "ISO 2022 IR 149"]
    assert encode_text("王", korean_first, vr="SH", mode=config.RAISE).startswith(
        b"\x1b$)C"
    )
    assert encode_text("王", chinese_first, vr="SH", mode=config.RAISE).startswith(
        b"\x1b$)A"
    )


CODE_EXTENSION_ALPHABET = "AZaz09 ^=-.,ÄéΔΩ山田太郎やまだ十棔沺ﾔﾏﾀﾞ洪吉홍길张东"


@given(st.text(alphabet=CODE_EXTENSION_ALPHABET, max_size=40))
def test_code_extension_round_trip(text: str) -> None:
    """Whatever mix of sets a name needs, it reads back as written."""
    charset = [
        "ISO 2022 IR 13",
        "ISO 2022 IR 100",
        "ISO 2022 IR 126",
        "ISO 2022 IR 87",
        "ISO 2022 IR 149",
        "ISO 2022 IR 58",
    ]
    raw = encode_text(text, charset, vr="PN", mode=config.RAISE)
    assert decode_text(raw, charset, vr="PN") == text


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_utf_8_round_trip(text: str) -> None:
    raw = encode_text(text, "ISO_IR 192", vr="UT", mode=config.RAISE)
    assert raw == text.encode("utf-8")
    assert decode_text(raw, "ISO_IR 192", vr="UT") == text


# -- which VRs use the character set -------------------------------------------


@pytest.mark.parametrize("vr", ["SH", "LO", "ST", "LT", "UC", "UT", "PN"])
def test_text_vrs_use_the_character_set(vr: str) -> None:
    assert decode_value(b"\xc4\xe9\xef", vr, encodings="ISO_IR 126") == "Διο"


@pytest.mark.parametrize("vr", ["CS", "AE", "UI", "DA", "UR", "AS"])
def test_other_string_vrs_stay_default(vr: str) -> None:
    raw = b"\x1b$B;3ED\x1b(B"
    assert decode_value(raw, vr, encodings=H31_CHARSET) == raw.decode("latin_1")


# -- resolving Specific Character Set ------------------------------------------


def test_defined_terms() -> None:
    expected = {
        "ISO_IR 6",
        "ISO_IR 192",
        "GB18030",
        "GBK",
        "ISO 2022 IR 6",
        "ISO 2022 IR 87",
        "ISO 2022 IR 159",
        "ISO 2022 IR 149",
        "ISO 2022 IR 58",
    }
    for number in ("100", "101", "109", "110", "144", "127", "126", "138"):
        expected |= {f"ISO_IR {number}", f"ISO 2022 IR {number}"}
    for number in ("148", "203", "13", "166"):
        expected |= {f"ISO_IR {number}", f"ISO 2022 IR {number}"}
    assert DEFINED_TERMS == expected


def test_character_set_forms() -> None:
    assert character_set(None).is_default
    assert character_set("").is_default
    assert character_set(["", ""]).is_default
    assert character_set("\\ISO 2022 IR 87") is character_set(["", "ISO 2022 IR 87"])
    latin = character_set("ISO_IR 100")
    assert character_set(latin) is latin
    assert isinstance(latin, CharacterSet)
    assert latin.name == "'ISO_IR 100'"
    assert character_set(["ISO 2022 IR 100 ", "ISO 2022 IR 87\x00"]).terms == (
        "ISO 2022 IR 100",
        "ISO 2022 IR 87",
    )


def test_python_codec_names_are_accepted_silently(no_warnings: None) -> None:
    # as pydicom's ``encodings`` spell them
    assert decode_text(b"\xe7\x8e\x8b", ["utf_8"]) == "王"
    assert decode_text(H31_BYTES, ["iso8859", "iso2022_jp"], vr="PN") == H31_TEXT
    assert decode_text(I2_BYTES, ["iso8859", "euc_kr"], vr="PN") == I2_TEXT
    # and the odd Python spelling in a file means what it says
    assert decode_text(b"\xe7\x8e\x8b", "UTF-8") == "王"


def test_convert_encodings() -> None:
    assert convert_encodings(None) == ["iso8859"]
    assert convert_encodings("ISO_IR 192") == ["UTF8"]
    assert convert_encodings(["", "ISO 2022 IR 87", "ISO 2022 IR 149"]) == [
        "iso8859",
        "iso2022_jp",
        "euc_kr",
    ]
    assert convert_encodings(["ISO_IR 100"]) == ["latin_1"]
    assert names_character_set("\\ISO 2022 IR 87")
    assert not names_character_set("unicode_escape")


@pytest.mark.parametrize(
    ("written", "meant", "text", "raw"),
    [
        ("ISO_IR_100", "ISO_IR 100", "é", b"\xe9"),
        ("ISO-IR 144", "ISO_IR 144", "Люк", b"\xbb\xee\xda"),
        ("iso ir 192", "ISO_IR 192", "王", b"\xe7\x8e\x8b"),
    ],
)
def test_misspelt_term_is_read_as_meant(
    written: str, meant: str, text: str, raw: bytes
) -> None:
    with pytest.warns(UserWarning, match=f"not a defined term.*read as '{meant}'"):
        assert decode_text(raw, written) == text
    with pytest.warns(UserWarning, match="not a defined term"):
        assert encode_text(text, written, mode=config.RAISE) == raw


def test_unknown_term_falls_back_to_latin_1_with_a_warning() -> None:
    with pytest.warns(UserWarning, match="'KOI8-X'.*ISO 8859-1"):
        assert decode_value(b"Stra\xdfe", "LO", encodings="KOI8-X") == "Straße"
    # ASCII needs no character set: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode_value(b"Doe^John", "PN", encodings="KOI8-X") == "Doe^John"


def test_unknown_term_raises_under_reading_raise(reading_raise: None) -> None:
    with pytest.raises(DicomValueError, match="not a defined term"):
        decode_value(b"Stra\xdfe", "LO", encodings="KOI8-X")


def test_other_python_codec_is_used_with_a_warning() -> None:
    with pytest.warns(UserWarning, match="Python's codec 'cp1252'"):
        assert decode_text(b"\x80", "cp1252") == "€"


def test_multi_byte_set_as_value_1_is_reported_and_read() -> None:
    with pytest.warns(UserWarning, match="allowed only as value 2"):
        assert decode_text(b"\xc8\xab", "ISO 2022 IR 149") == "홍"


def test_utf_8_with_other_values_is_reported() -> None:
    with pytest.warns(UserWarning, match="allows no other value"):
        assert decode_text("é".encode(), ["ISO_IR 192", "ISO 2022 IR 87"]) == "é"


def test_invalid_bytes_become_replacement_characters() -> None:
    with pytest.warns(UserWarning, match=r"not valid in utf_8.*U\+FFFD"):
        assert decode_text(b"Jos\xe9", "ISO_IR 192") == "Jos\ufffd"


def test_unknown_escape_sequence_is_kept_and_reported() -> None:
    with pytest.warns(UserWarning, match="Unknown escape sequence"):
        assert decode_text(b"a\x1b%Gb", H31_CHARSET) == "a\x1b%Gb"


def test_undeclared_escape_sequence_is_used_and_reported() -> None:
    with pytest.warns(UserWarning, match="ISO-IR 87, which Specific Character Set"):
        assert decode_text(b"\x1b$B;3ED\x1b(B", "ISO_IR 100") == "山田"


def test_designation_missing_after_reset_borrows_the_declared_g1() -> None:
    # written by systems that designate KS X 1001 once for the whole name
    raw = b"\x1b$)C\xc8\xab^\xb1\xe6\xb5\xbf"
    with pytest.warns(UserWarning, match="without an escape sequence"):
        assert decode_text(raw, I2_CHARSET, vr="PN") == "홍^길동"


def test_default_repertoire_reads_bytes_as_latin_1(no_warnings: None) -> None:
    assert decode_text(b"M\xfcller") == "Müller"
    assert decode_text(b"M\xfcller", ["", "ISO 2022 IR 87"]) == "Müller"


# -- encoding errors -----------------------------------------------------------


def test_unencodable_character_raises_naming_value_and_set() -> None:
    with pytest.raises(DicomValueError) as info:
        encode_value("Διονυσιος", "PN", encodings="ISO_IR 100")
    message = str(info.value)
    assert "'Διονυσιος'" in message
    assert "'Δ'" in message
    assert "'ISO_IR 100'" in message
    assert "cannot encode" in message


def test_unencodable_character_with_code_extensions() -> None:
    with pytest.raises(DicomValueError, match="'\\\\\\\\ISO 2022 IR 87' cannot encode"):
        encode_value("홍", "PN", encodings=H31_CHARSET)


def test_unencodable_character_warn_writes_question_mark(writing_warn: None) -> None:
    with pytest.warns(UserWarning, match="cannot encode"):
        raw = encode_value("山^홍", "PN", encodings=H31_CHARSET)
    assert raw == b"\x1b$B;3\x1b(B^?"


def test_unencodable_character_helper() -> None:
    assert unencodable_character("Buc^Jérôme", "PN", "ISO_IR 100") is None
    assert unencodable_character(["a", "Ωb"], "LO", "ISO_IR 100") == "Ω"
    assert unencodable_character("山田", "LO", H31_CHARSET) is None
    assert unencodable_character("山田", "LO", "ISO 2022 IR 6") == "山"


def test_default_repertoire_writes_latin_1() -> None:
    # lenient, as text read from non-conformant files is written back
    assert encode_value("Müller", "LO") == b"M\xfcller"


def test_every_single_byte_term_round_trips_its_upper_half() -> None:
    for term in sorted(DEFINED_TERMS):
        charset = character_set(term)
        codec = charset.fast_codec
        if codec in (None, "ascii", "latin_1") or charset.whole_codec:
            continue
        text = bytes(range(0xA0, 0x100)).decode(codec, "ignore")
        raw = encode_text(text, term, mode=config.RAISE)
        assert decode_text(raw, term) == text, term
