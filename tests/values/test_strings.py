"""String VRs through decode_value / encode_value."""

from __future__ import annotations

import itertools
import warnings

import pytest

from dicomcore.config import WARN
from dicomcore.errors import DicomValueError
from dicomcore.values import (
    DA,
    DT,
    IS,
    TM,
    DSfloat,
    MultiValue,
    PersonName,
    decode_value,
    encode_value,
)
from dicomcore.values.number_strings import DS_PATTERN, ISfloat

pydicom = pytest.importorskip("pydicom", minversion="3.0")


@pytest.mark.parametrize(
    ("vr", "raw", "expected"),
    [
        ("AE", b" STORESCP ", "STORESCP"),
        ("AS", b"042Y", "042Y"),
        ("CS", b"ORIGINAL", "ORIGINAL"),
        ("CS", b" MONOCHROME2", "MONOCHROME2"),  # leading space not significant
        ("LO", b" lead kept ", " lead kept"),  # only trailing padding dropped
        ("SH", b"ABC\x00", "ABC"),  # NUL padding from non-conformant writers
        ("UC", b"x" * 99 + b" ", "x" * 99),
        ("UI", b"1.2.840.10008.1.2\x00", "1.2.840.10008.1.2"),
        ("UR", b"http://a.b/c ", "http://a.b/c"),
        ("LT", b"  two\r\nlines\\ok  ", "  two\r\nlines\\ok"),
        ("ST", b"a\\b", "a\\b"),  # VM 1: backslash is a character
        ("UT", b"text ", "text"),
    ],
)
def test_decode_single_string(vr: str, raw: bytes, expected: str) -> None:
    value = decode_value(raw, vr)
    assert value == expected
    if vr == "UI":
        from dicomcore.uid import UID

        assert type(value) is UID  # with .name, .keyword, transfer syntax facts
    else:
        assert type(value) is str


@pytest.mark.parametrize(
    ("vr", "raw", "expected"),
    [
        ("CS", b"ORIGINAL\\PRIMARY ", ["ORIGINAL", "PRIMARY"]),
        ("CS", b"A \\ B", ["A", "B"]),
        ("AE", b" AE1 \\ AE2 ", ["AE1", "AE2"]),
        ("LO", b"a \\b ", ["a", "b"]),
        ("UI", b"1.2\\3.4\x00", ["1.2", "3.4"]),
        ("SH", b"a\\\\b", ["a", "", "b"]),
    ],
)
def test_decode_multi_string(vr: str, raw: bytes, expected: list[str]) -> None:
    value = decode_value(raw, vr)
    assert isinstance(value, MultiValue)
    assert value == expected


@pytest.mark.parametrize("vr", ["AE", "CS", "LO", "LT", "PN", "DA", "UI", "UR"])
def test_decode_only_padding_is_empty_string(vr: str) -> None:
    assert decode_value(b"  ", vr) == ""
    assert decode_value(b"", vr) == ""


@pytest.mark.parametrize(
    ("vr", "value", "raw"),
    [
        ("AE", "STORESCP", b"STORESCP"),
        ("AS", "042Y", b"042Y"),
        ("CS", ["ORIGINAL", "PRIMARY"], b"ORIGINAL\\PRIMARY"),  # even: no padding
        ("CS", ["DERIVED", "PRIMARY"], b"DERIVED\\PRIMARY "),
        ("CS", "DERIVED\\PRIMARY", b"DERIVED\\PRIMARY "),
        ("LO", "odd", b"odd "),
        ("SH", "", b""),
        ("SH", [], b""),
        ("SH", None, b""),
        ("LT", "a\\b\r\n", b"a\\b\r\n "),
        ("UI", "1.2.3", b"1.2.3\x00"),
        ("UI", ["1.2", "3.4"], b"1.2\\3.4\x00"),
        ("UR", "http://x/", b"http://x/ "),
        ("UT", "é", b"\xe9 "),  # default repertoire encodes as ISO 8859-1
        ("UC", "x" * 65, b"x" * 65 + b" "),  # UC is unbounded
    ],
)
def test_encode_string(vr: str, value: object, raw: bytes) -> None:
    assert encode_value(value, vr) == raw


def test_round_trip_keeps_odd_length_value_plus_padding() -> None:
    raw = encode_value(["A", "B"], "CS")
    assert raw == b"A\\B "
    assert decode_value(raw, "CS") == ["A", "B"]


def test_decode_with_encodings_for_text_vrs_only() -> None:
    raw = "Müller".encode()
    assert decode_value(raw, "LO", encodings=["utf_8"]) == "Müller"
    # CS is always the default repertoire, whatever the character set
    assert decode_value(b"\xc3\xbc", "CS", encodings=["utf_8"]) == "Ã¼"


def test_encode_with_encodings() -> None:
    assert encode_value("Müller", "LO", encodings=["utf_8"]) == b"M\xc3\xbcller "


def test_character_outside_character_set() -> None:
    with pytest.raises(DicomValueError, match="cannot encode"):
        encode_value("山田", "LO")


def test_character_outside_character_set_warn(writing_warn: None) -> None:
    with pytest.warns(UserWarning, match="cannot encode"):
        assert encode_value("山田", "LO") == b"??"


# DS and IS


def test_decode_ds() -> None:
    value = decode_value(b" 1.50 ", "DS")
    assert type(value) is DSfloat
    assert value == 1.5
    assert str(value) == "1.50"
    assert decode_value(b"1e3\\-2.5", "DS") == [1000.0, -2.5]


def test_decode_ds_empty_and_empty_item() -> None:
    assert decode_value(b"", "DS") is None
    assert decode_value(b"  ", "DS") is None
    assert decode_value(b"1\\\\2 ", "DS") == [1.0, "", 2.0]


def test_decode_is() -> None:
    value = decode_value(b"+42 ", "IS")
    assert type(value) is IS
    assert value == 42
    assert str(value) == "+42"
    assert decode_value(b"1\\-2", "IS") == [1, -2]
    assert decode_value(b"", "IS") is None


def test_decode_invalid_ds_warns_and_keeps_text() -> None:
    with pytest.warns(UserWarning, match=r"VR DS: '1,5' is not a decimal number"):
        value = decode_value(b"1,5 ", "DS")
    assert value == "1,5"
    assert type(value) is str


def test_decode_invalid_ds_raises(reading_raise: None) -> None:
    with pytest.raises(DicomValueError, match="VR DS: 'abc'"):
        decode_value(b"abc ", "DS")


def test_decode_invalid_ds_ignored(reading_ignore: None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode_value(b"nan ", "DS") == "nan"


def test_decode_too_long_ds_is_still_a_number() -> None:
    with pytest.warns(UserWarning, match="19 characters long; DS allows 16"):
        value = decode_value(b"0.12345678901234567 ", "DS")
    assert isinstance(value, DSfloat)
    assert str(value) == "0.12345678901234567"


def test_decode_is_with_decimal_point() -> None:
    with pytest.warns(UserWarning, match=r"VR IS: '1.0' is not an integer"):
        value = decode_value(b"1.0 ", "IS")
    assert type(value) is IS and value == 1 and str(value) == "1.0"
    with pytest.warns(UserWarning, match=r"VR IS: '1.5' is not an integer"):
        value = decode_value(b"1.5 ", "IS")
    # pydicom 3 reads it as its ISfloat: a float, printed unquoted
    assert type(value) is ISfloat and value == 1.5 and value == "1.5"
    assert repr(value) == repr(pydicom.valuerep.IS("1.5")) == "1.5"
    with pytest.warns(UserWarning, match=r"VR IS: '1.5' is not an integer"):
        assert encode_value(value, "IS", validation_mode=WARN) == b"1.5 "


def test_decode_ds_with_a_value_not_a_number_keeps_every_value_as_text() -> None:
    # pydicom 3 falls back to a string VR for the whole value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = decode_value(b"12\\x\\", "DS")
        expected = pydicom.values.convert_value(
            "DS",
            pydicom.dataelem.RawDataElement(
                0x00281050, "DS", 6, b"12\\x\\", 0, False, True
            ),
        )
    assert list(value) == ["12", "x", ""] == list(expected)
    assert [type(item) for item in value] == [str, str, str]
    assert repr(value) == repr(expected) == "['12', 'x', '']"


def test_decode_is_out_of_range(reading_raise: None) -> None:
    with pytest.raises(DicomValueError, match="outside -2147483648..2147483647"):
        decode_value(b"2147483648", "IS")


def test_encode_ds() -> None:
    assert encode_value(["1.5", "2"], "DS") == b"1.5\\2 "
    assert encode_value(0.1, "DS") == b"0.1 "
    assert encode_value(1 / 3, "DS") == b"0.33333333333333"
    assert encode_value(1e-20, "DS") == b"1e-20 "
    assert encode_value(2, "DS") == b"2 "
    assert encode_value([DSfloat("1.50"), 3.0], "DS") == b"1.50\\3.0"
    assert encode_value([DSfloat("1.50"), 3.25], "DS") == b"1.50\\3.25 "


def test_encode_ds_keeps_text_from_file() -> None:
    value = decode_value(b"+1.250E1", "DS")
    assert encode_value(value, "DS") == b"+1.250E1"


def test_encode_ds_max_length() -> None:
    assert encode_value("1.23456789012345", "DS") == b"1.23456789012345"
    with pytest.raises(DicomValueError, match="VR DS: '1.234567890123456'.*17"):
        encode_value("1.234567890123456", "DS")


def test_encode_ds_non_finite() -> None:
    with pytest.raises(DicomValueError, match="not finite"):
        encode_value(float("nan"), "DS")


def test_encode_is() -> None:
    assert encode_value([1, -20], "IS") == b"1\\-20 "
    assert encode_value(IS("+7"), "IS") == b"+7"
    assert encode_value(3.0, "IS") == b"3 "
    with pytest.raises(DicomValueError, match="VR IS: 3.5 is not an integer"):
        encode_value(3.5, "IS")
    with pytest.raises(DicomValueError, match="outside"):
        encode_value(2**31, "IS")


# PN, DA, TM, DT


def test_decode_pn() -> None:
    value = decode_value(b"Doe^John ", "PN")
    assert type(value) is PersonName
    assert value == "Doe^John"
    assert value.given_name == "John"
    names = decode_value(b"A^B\\C^D ", "PN")
    assert [name.family_name for name in names] == ["A", "C"]


def test_pn_groups_round_trip_in_utf_8() -> None:
    text = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    raw = encode_value(text, "PN", encodings=["utf_8"])
    assert raw == text.encode("utf_8")  # 54 bytes: already even
    value = decode_value(raw, "PN", encodings=["utf_8"])
    assert value.ideographic == "山田^太郎"
    assert value.phonetic == "やまだ^たろう"
    assert value.encode() == raw  # remembers its character set


def test_decode_dates() -> None:
    date = decode_value(b"20200131", "DA")
    assert type(date) is DA and date.date is not None and date.date.day == 31
    time = decode_value(b"101112.5 ", "TM")
    assert type(time) is TM and time.time is not None
    assert time.time.microsecond == 500000
    stamp = decode_value(b"2020010203+0100", "DT")
    assert type(stamp) is DT and stamp.datetime is not None
    assert stamp.datetime.hour == 3
    assert decode_value(b"20200101\\20201231", "DA") == ["20200101", "20201231"]


def test_encode_dates() -> None:
    import datetime

    assert encode_value(datetime.date(2020, 1, 31), "DA") == b"20200131"
    assert encode_value(datetime.time(1, 2, 3), "TM") == b"010203"
    assert encode_value(datetime.time(1, 2, 3, 500), "TM") == b"010203.000500 "
    assert encode_value("20200101-20201231", "DA") == b"20200101-20201231 "
    with pytest.raises(DicomValueError, match="VR DA: '20201301'"):
        encode_value("20201301", "DA")
    with pytest.raises(DicomValueError, match="VR DA: '2020.01.01'"):
        encode_value("2020.01.01", "DA")  # ACR-NEMA form is read, not written


# validation on write


@pytest.mark.parametrize(
    ("vr", "value", "message"),
    [
        ("CS", "lower", r"VR CS: 'lower' has characters other than"),
        ("CS", "X" * 17, r"17 characters long; CS allows 16"),
        ("UI", "1.2.a", r"VR UI: '1.2.a' is not digits and dots"),
        ("UI", "1.02", r"VR UI: '1.02'"),
        ("AE", "   ", r"VR AE: '   ' is only spaces"),
        ("AS", "42Y", r"VR AS: '42Y' is not nnnD"),
        ("LO", ["a\\b"], r"VR LO: 'a\\\\b' contains forbidden character"),
        ("SH", "tab\there", r"VR SH: .* forbidden character '\\t'"),
        ("LT", "bell\x07", r"VR LT: .* forbidden character '\\x07'"),
        ("UR", "a\\b", r"VR UR: 'a\\\\b' has a backslash"),
        ("ST", ["one", "two"], r"VR ST: .* has 2 values; ST allows one"),
        ("PN", "a=b=c=d", r"VR PN: .* 4 component groups"),
        ("PN", "a^b^c^d^e^f", r"VR PN: .* more than 5 components"),
        ("PN", "x" * 65, r"VR PN: .* component group of 65 characters"),
        ("TM", "246000", r"VR TM: '246000'"),
        ("DT", "20200101+1500", r"VR DT: '20200101\+1500'"),
        ("SH", 5, r"VR SH: 5 is a int, which this VR cannot hold"),
    ],
)
def test_encode_invalid_raises(vr: str, value: object, message: str) -> None:
    with pytest.raises(DicomValueError, match=message):
        encode_value(value, vr)


def test_encode_invalid_warns_and_writes(writing_warn: None) -> None:
    with pytest.warns(UserWarning, match="VR CS: 'lower'"):
        assert encode_value("lower", "CS") == b"lower "


def test_encode_validation_mode_argument() -> None:
    from dicomcore.config import IGNORE

    assert encode_value("lower", "CS", validation_mode=IGNORE) == b"lower "


def test_encode_max_lengths_accepted() -> None:
    assert encode_value("A" * 16, "SH") == b"A" * 16
    assert encode_value("1" * 64, "UI") == b"1" * 64
    assert encode_value("x" * 64, "LO") == b"x" * 64
    with pytest.raises(DicomValueError, match="65 characters long; LO allows 64"):
        encode_value("x" * 65, "LO")


def test_decode_from_memoryview_and_bytearray() -> None:
    buffer = memoryview(b"xxDoe^John \\A^B yy")
    assert decode_value(buffer[2:16], "PN") == ["Doe^John", "A^B"]
    assert decode_value(bytearray(b"1.2.3\x00"), "UI") == "1.2.3"


def test_ds_values_are_numbers_exactly_when_ps3_5_says_so() -> None:
    # Every text of up to three characters a number can be made of (and a
    # few longer ones): a DSfloat with its text exactly when DS_PATTERN
    # matches it, the text kept (and reported) otherwise.

    characters = "0123456789+-.eE"
    texts = [
        "".join(chars)
        for size in (1, 2, 3)
        for chars in itertools.product(characters, repeat=size)
    ]
    texts += ["1.5e+3", "-.5E-07", "+12.", "1e5e5", "1.2.3", "--1", "1e+-5", "0x1F"]
    texts += ["1_000", "nan", "inf", "\u00b2"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in texts:
            value = decode_value(text.encode("latin-1"), "DS")
            if DS_PATTERN.fullmatch(text):
                assert type(value) is DSfloat and value == float(text), text
                assert str(value) == text
            else:
                assert value == text and type(value) is str, text
