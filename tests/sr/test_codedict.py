"""dicomcore.sr.codedict gives what pydicom 3's gives, call for call."""

from __future__ import annotations

import pytest

from dicomcore.sr import Code, Collection, Concepts, codedict, codes

pydicom_codedict = pytest.importorskip("pydicom.sr.codedict")
pydicom_codes = pydicom_codedict.codes


def _as_tuples(concepts):
    # Code equality ignores the meaning: compare every field.
    return {keyword: tuple(code) for keyword, code in concepts.items()}


def test_collections_and_their_order_match_pydicom():
    assert list(codes.collections) == list(pydicom_codes.collections)
    assert codes.schemes() == pydicom_codes.schemes()
    assert codes.CIDs() == pydicom_codes.CIDs()
    assert codes.schemes()[:3] == ["DCM", "SCT", "NCIt"]
    assert len(codes.CIDs()) == 1355


def test_every_scheme_concept_matches_pydicom():
    for scheme in codes.schemes():
        ours = _as_tuples(getattr(codes, scheme).concepts)
        assert ours == _as_tuples(getattr(pydicom_codes, scheme).concepts), scheme


def _outcome(collection, keyword):
    try:
        return tuple(getattr(collection, keyword))
    except (AttributeError, RuntimeError) as error:
        return type(error), str(error)


def test_every_context_group_matches_pydicom():
    for name in codes.CIDs():
        ours = getattr(codes, name)
        theirs = getattr(pydicom_codes, name)
        assert ours.dir() == theirs.dir(), name
        for keyword in ours.dir():
            assert _outcome(ours, keyword) == _outcome(theirs, keyword), keyword


def test_a_keyword_in_two_schemes_of_a_group_raises_as_pydicom():
    message = (
        "Multiple schemes found to contain the keyword 'ArcuateFasciculus' "
        "in CID8134: FMA, NEU"
    )
    with pytest.raises(RuntimeError) as ours:
        _ = codes.cid8134.ArcuateFasciculus
    with pytest.raises(RuntimeError) as theirs:
        _ = pydicom_codes.cid8134.ArcuateFasciculus
    assert str(ours.value) == message == str(theirs.value)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("DCM.Median", ("130290", "DCM", "Median", None)),
        ("cid2.Median", ("130290", "DCM", "Median", None)),
        ("CID2.Median", ("130290", "DCM", "Median", None)),
        ("SCT.Liver", ("10200004", "SCT", "Liver", None)),
        ("cid7151.Liver", ("10200004", "SCT", "Liver", None)),
        ("UCUM.Millimeter", ("mm", "UCUM", "mm", None)),
        (
            "UCUM._10EMinus6SquareMillimetersPerSecond",
            ("10-6.mm2/s", "UCUM", "10-6.mm2/s", None),
        ),
        (
            "cid7203.DiffusionTractography",
            ("129106", "DCM", "Diffusion tractography", None),
        ),
    ],
)
def test_lookups(expression, expected):
    scheme, keyword = expression.split(".")
    ours = getattr(getattr(codes, scheme), keyword)
    theirs = getattr(getattr(pydicom_codes, scheme), keyword)
    assert tuple(ours) == expected == tuple(theirs)
    assert type(ours) is Code


def test_collection_names_and_kinds():
    assert codes.cid2.name == "CID2" and codes.cid2.is_cid
    assert codes.cid2.scheme_designator == "CID2"
    assert codes.SCT.name == "SCT" and not codes.SCT.is_cid
    assert Collection("cid4").name == "CID4"
    assert isinstance(codes, Concepts)


def test_dir_with_filters_matches_pydicom():
    assert codes.cid2.dir("med") == ["Intermediate", "Medial", "Median"]
    assert codes.DCM.dir("median", "mean") == pydicom_codes.DCM.dir("median", "mean")
    assert codes.SCT.dir("LIVER") == pydicom_codes.SCT.dir("LIVER")
    assert dir(codes.cid2) == dir(pydicom_codes.cid2)
    assert dir(codes) == dir(pydicom_codes)
    assert codes.cid2.trait_names() == pydicom_codes.cid2.trait_names()


def test_membership():
    assert "Median" in codes.cid2
    assert "Liver" not in codes.cid2
    assert codes.DCM.Median in codes.cid2
    assert Code("130290", "DCM", "anything") in codes.cid2
    assert Code("T-D0050", "SRT", "Tissue") in codes.cid7151
    assert ("T-D0050" in codes.cid7151) is False


def test_missing_names_raise_as_pydicom():
    with pytest.raises(
        AttributeError, match="No matching code for keyword 'Nope' in CID2"
    ):
        _ = codes.cid2.Nope
    with pytest.raises(
        AttributeError, match="No matching code for keyword 'Nope' in scheme 'DCM'"
    ):
        _ = codes.DCM.Nope
    with pytest.raises(
        AttributeError, match="'Concepts' object has no attribute 'XYZ'"
    ):
        _ = codes.XYZ
    with pytest.raises(AttributeError):
        _ = codes.cid999999
    with pytest.raises(KeyError):
        Collection("NOSUCHSCHEME")


def test_str_and_repr_match_pydicom():
    for name in ("cid2", "cid7203", "UCUM", "BARI"):
        ours, theirs = getattr(codes, name), getattr(pydicom_codes, name)
        assert str(ours) == str(theirs)
        assert repr(ours) == repr(theirs)
    lines = str(codes.cid2).splitlines()
    assert lines[0] == "CID2"
    assert lines[1].split() == ["Attribute", "Code", "Scheme", "Meaning"]


def test_cid_name_tables_match_pydicom():
    assert codedict.name_for_cid[2] == "AnatomicModifier"
    assert codedict.cid_for_name["AnatomicRegion"] == 4
    assert codedict.cid_for_name == pydicom_codedict.cid_for_name
