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
