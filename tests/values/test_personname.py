"""PersonName."""

from __future__ import annotations

import pickle

import pytest

from dicomcore.errors import DicomValueError
from dicomcore.values import PersonName

JAPANESE = "Yamada^Tarou=山田^太郎=やまだ^たろう"


def test_groups_and_components() -> None:
    name = PersonName(JAPANESE)
    assert name.components == ("Yamada^Tarou", "山田^太郎", "やまだ^たろう")
    assert name.alphabetic == "Yamada^Tarou"
    assert name.ideographic == "山田^太郎"
    assert name.phonetic == "やまだ^たろう"
    assert (name.family_name, name.given_name) == ("Yamada", "Tarou")
    assert name == JAPANESE
    assert str(name) == JAPANESE
    assert hash(name) == hash(JAPANESE)


def test_five_components() -> None:
    name = PersonName("Adams^John Robert Quincy^B^Rev.^B.A. M.Div.")
    assert name.family_name == "Adams"
    assert name.given_name == "John Robert Quincy"
    assert name.middle_name == "B"
    assert name.name_prefix == "Rev."
    assert name.name_suffix == "B.A. M.Div."
    assert name.family_comma_given() == "Adams, John Robert Quincy"
    assert name.formatted("%(name_prefix)s %(family_name)s") == "Rev. Adams"


def test_missing_parts_are_empty() -> None:
    name = PersonName("Doe")
    assert (name.given_name, name.middle_name, name.ideographic) == ("", "", "")
    assert PersonName("").components == ()
    assert not PersonName("")
    assert PersonName("Doe^John=").components == ("Doe^John",)
    assert PersonName("=Yam").components == ("", "Yam")
    assert PersonName("=Yam").family_name == ""


def test_from_bytes() -> None:
    assert PersonName(JAPANESE.encode("utf_8"), ["utf_8"]) == JAPANESE
    assert PersonName(b"M\xfcller") == "Müller"


def test_from_named_components() -> None:
    name = PersonName.from_named_components(
        family_name="Doe", given_name="John", name_suffix="Jr"
    )
    assert name == "Doe^John^^^Jr"
    built = PersonName.from_named_components(
        family_name="Yamada",
        given_name="Tarou",
        family_name_ideographic="山田",
        given_name_ideographic="太郎",
        family_name_phonetic="やまだ",
        given_name_phonetic="たろう",
    )
    assert built == JAPANESE
    assert PersonName.from_named_components(family_name_ideographic="D") == "=D"


def test_from_named_components_veterinary() -> None:
    name = PersonName.from_named_components_veterinary("ABC Farms", "Running on Water")
    assert name == "ABC Farms^Running on Water"
    assert name.family_name == "ABC Farms"


@pytest.mark.parametrize("component", ["a^b", "a=b", "a\\b"])
def test_from_named_components_rejects_delimiters(component: str) -> None:
    with pytest.raises(DicomValueError, match="VR PN: component"):
        PersonName.from_named_components(family_name=component)


def test_encode() -> None:
    assert PersonName("Müller").encode() == b"M\xfcller"
    assert PersonName("山田").encode(["utf_8"]) == "山田".encode()


def test_pickle() -> None:
    clone = pickle.loads(pickle.dumps(PersonName("Doe^John")))
    assert type(clone) is PersonName and clone.given_name == "John"


def test_against_pydicom() -> None:
    valuerep = pytest.importorskip("pydicom.valuerep")
    for text in [JAPANESE, "Doe^John^^^", "=Yam", "Doe^John==Ph", ""]:
        ours, theirs = PersonName(text), valuerep.PersonName(text)
        assert ours.components == theirs.components
        assert ours.family_name == theirs.family_name
        assert ours.given_name == theirs.given_name
        assert ours.ideographic == theirs.ideographic
    named = {"family_name": "Doe", "given_name": "J", "name_suffix": "Jr"}
    assert PersonName.from_named_components(**named) == str(
        valuerep.PersonName.from_named_components(**named)
    )


# Components of every group, and encoding per character set


def test_components_of_each_group() -> None:
    name = PersonName(
        "Adams^John^B^Rev.^Jr=亜^丈^美^牧^二世=あだむす^じょん^び^ぼく^じゅにあ"
    )
    assert (name.family_name, name.name_suffix) == ("Adams", "Jr")
    assert name.family_name_ideographic == "亜"
    assert name.given_name_ideographic == "丈"
    assert name.middle_name_ideographic == "美"
    assert name.name_prefix_ideographic == "牧"
    assert name.name_suffix_ideographic == "二世"
    assert name.family_name_phonetic == "あだむす"
    assert name.given_name_phonetic == "じょん"
    assert name.middle_name_phonetic == "び"
    assert name.name_prefix_phonetic == "ぼく"
    assert name.name_suffix_phonetic == "じゅにあ"
    assert name.group_components("phonetic")["given_name"] == "じょん"
    assert name.group_components(1) == {
        "family_name": "亜",
        "given_name": "丈",
        "middle_name": "美",
        "name_prefix": "牧",
        "name_suffix": "二世",
    }
    assert name.formatted("%(family_name_ideographic)s %(given_name)s") == "亜 John"
    assert PersonName("Doe").given_name_phonetic == ""


def test_from_named_components_encodes_as_annex_h() -> None:
    """PS3.5 Example H.3-1, built from its parts."""
    name = PersonName.from_named_components(
        family_name="Yamada",
        given_name="Tarou",
        family_name_ideographic="山田",
        given_name_ideographic="太郎",
        family_name_phonetic="やまだ",
        given_name_phonetic="たろう",
        encodings=["", "ISO 2022 IR 87"],
    )
    assert name.encode() == (
        b"Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
        b"\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B"
    )
    # the same name in Korean sets cannot be written
    with pytest.raises(DicomValueError, match="cannot encode"):
        name.encode(["", "ISO 2022 IR 149"])
    assert name.encode("ISO_IR 192") == str(name).encode("utf-8")


def test_from_named_components_decodes_bytes_in_their_set() -> None:
    name = PersonName.from_named_components(
        family_name_ideographic=b"\x1b$)C\xfb\xf3",
        given_name_ideographic=b"\x1b$)C\xd1\xce\xd4\xd7",
        family_name="Hong",
        given_name="Gildong",
        encodings="\\ISO 2022 IR 149",
    )
    assert name == "Hong^Gildong=洪^吉洞"
    assert name.encodings == ("", "ISO 2022 IR 149")
    assert name.encode() == (b"Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7")


def test_encode_keeps_str_protocol_for_other_codecs() -> None:
    # tools call str.encode on any str; a non-DICOM codec name means just that
    assert PersonName("Müller").encode("unicode_escape") == b"M\\xfcller"
