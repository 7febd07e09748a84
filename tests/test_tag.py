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


def test_pydicom_tag_names():
    pydicom_tag = pytest.importorskip("pydicom.tag")
    from dicomcore import tag

    for name in (
        "ItemTag",
        "ItemDelimiterTag",
        "SequenceDelimiterTag",
        "TAG_PIXREP",
        "TAG_CHARSET",
    ):
        ours, theirs = getattr(tag, name), getattr(pydicom_tag, name)
        assert int(ours) == int(theirs), name
        assert str(ours) == str(theirs), name
    assert tag.SequenceDelimiterTag == 0xFFFEE0DD
    assert tag.ItemDelimiterTag == 0xFFFEE00D
    assert tag.TAG_PIXREP == 0x00280103
    assert list[int] in tag.TagListType.__args__


def test_tag_in_exception_names_the_tag_and_keeps_the_type():
    from dicomcore.tag import tag_in_exception

    with pytest.raises(
        ValueError, match=r"^With tag \(0010,0010\) got exception: bad"
    ) as info:
        with tag_in_exception(Tag(0x00100010)):
            raise ValueError("bad")
    assert isinstance(info.value.__cause__, ValueError)
    assert "Traceback" in str(info.value)
