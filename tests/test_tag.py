import pytest

from dicomcore.tag import BaseTag, Tag


def test_tag_from_each_form():
    assert Tag(0x00100010) == 0x00100010
    assert Tag((0x0010, 0x0010)) == 0x00100010
    assert Tag(0x0010, 0x0010) == 0x00100010
    assert Tag("PatientName") == 0x00100010
    assert Tag("0010,0010") == 0x00100010
    assert Tag("(0010,0010)") == 0x00100010
    assert Tag("00100010") == 0x00100010
    assert Tag(("0x0010", "0x0010")) == 0x00100010


def test_tag_parts_and_text():
    tag = Tag(0x00091010)
    assert (tag.group, tag.element) == (0x0009, 0x1010)
    assert str(tag) == "(0009,1010)"
    assert tag.is_private
    assert not tag.is_private_creator
    assert tag.private_creator == 0x00090010
    assert Tag(0x00090010).is_private_creator
    assert Tag(0x00100010).json_key == "00100010"


def test_tag_comparisons_with_other_forms():
    assert Tag(0x00100010) == (0x0010, 0x0010)
    assert Tag(0x00100010) < "PatientID"
    assert isinstance(Tag(1), BaseTag)
    assert hash(Tag(5)) == hash(5)


@pytest.mark.parametrize("bad", ["NotAKeyword", "12,", "zzzz,0010"])
def test_bad_tag_text(bad):
    with pytest.raises(ValueError, match="neither a DICOM keyword nor a tag"):
        Tag(bad)


def test_out_of_range():
    with pytest.raises(OverflowError):
        Tag(0x1_0000_0000)
    with pytest.raises(OverflowError):
        Tag(0x10000, 0)
    with pytest.raises(TypeError):
        Tag(1.5)
