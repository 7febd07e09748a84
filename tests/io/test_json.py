"""DICOM JSON (PS3.18 F.2), checked against DCMTK's dcm2json."""

from __future__ import annotations

import base64
import json

import pytest
from interop import TESTFILES, run_tool

from dicomcore import DataElement, Dataset, dcmread
from dicomcore.uid import UncompressedTransferSyntaxes

MANIFEST = json.loads((TESTFILES / "manifest.json").read_text())
FILES = sorted(record["file"] for record in MANIFEST if record["has_file_meta"])
NATIVE = sorted(
    record["file"]
    for record in MANIFEST
    if record["has_file_meta"]
    and record["transfer_syntax"] in UncompressedTransferSyntaxes
)


def values_of(dataset: Dataset) -> dict:
    """Every element as (VR, comparable value), nested items included."""
    result = {}

    def visit(ds, prefix):
        for elem in ds:
            key = prefix + (int(elem.tag),)
            if elem.VR == "SQ":
                result[key] = ("SQ", len(elem.value))
                for index, item in enumerate(elem.value):
                    visit(item, key + (index,))
            elif elem.VR in ("DS", "IS"):
                value = elem.value
                values = value if isinstance(value, list) else [value]
                result[key] = (
                    elem.VR,
                    [None if v in ("", None) else float(v) for v in values],
                )
            elif isinstance(elem.value, bytes):
                result[key] = (elem.VR, elem.encoded_value(True))
            else:
                value = elem.value
                result[key] = (
                    elem.VR,
                    [str(v) for v in value] if isinstance(value, list) else str(value),
                )

    visit(dataset, ())
    return result


@pytest.mark.parametrize("name", FILES)
def test_json_round_trip_of_every_testfile(name):
    ds = dcmread(TESTFILES / name)
    text = ds.to_json()
    back = Dataset.from_json(text)
    assert values_of(back) == values_of(ds)


def _json_value_matches(vr, ours, theirs):
    if vr in ("DS", "IS", "FL", "FD"):
        return [float(v) for v in ours] == pytest.approx([float(v) for v in theirs])
    return ours == theirs


@pytest.mark.parametrize("name", NATIVE)
def test_agrees_with_dcm2json(name):
    theirs = json.loads(run_tool("dcm2json", TESTFILES / name))
    ours = dcmread(TESTFILES / name).to_json_dict()
    assert set(ours) == set(theirs)

    def compare(our_attributes, their_attributes, where):
        for key, their in their_attributes.items():
            our = our_attributes[key]
            assert our["vr"] == their["vr"], (where, key)
            if key == "00080005":
                continue  # dcm2json rewrites Specific Character Set to ISO_IR 192
            if their["vr"] == "SQ":
                assert len(our.get("Value", [])) == len(their.get("Value", []))
                for index, (mine, other) in enumerate(
                    zip(our.get("Value", []), their.get("Value", []), strict=True)
                ):
                    compare(mine, other, where + (key, index))
                continue
            for field in ("InlineBinary", "BulkDataURI"):
                if field in their:
                    assert base64.b64decode(our[field]) == base64.b64decode(
                        their[field]
                    ), (where, key)
            if "Value" in their:
                assert _json_value_matches(their["vr"], our["Value"], their["Value"]), (
                    where,
                    key,
                    our,
                    their,
                )
            else:
                assert "Value" not in our, (where, key)

    compare(ours, theirs, ())


def test_person_name_groups_and_numbers():
    ds = Dataset()
    ds.PatientName = "Yamada^Tarou=山田^太郎=やまだ^たろう"
    ds.Rows = 64
    ds.PixelSpacing = ["0.5", "0.25"]
    ds.InstanceNumber = "7"
    ds.add_new(0x00209165, "AT", [0x00100010, 0x00200032])
    ds.OtherPatientNames = ["A^B", "C^D"]
    data = ds.to_json_dict()
    assert data["00100010"] == {
        "vr": "PN",
        "Value": [
            {
                "Alphabetic": "Yamada^Tarou",
                "Ideographic": "山田^太郎",
                "Phonetic": "やまだ^たろう",
            }
        ],
    }
    assert data["00280010"] == {"vr": "US", "Value": [64]}
    assert data["00280030"] == {"vr": "DS", "Value": [0.5, 0.25]}
    assert data["00200013"] == {"vr": "IS", "Value": [7]}
    assert data["00209165"] == {"vr": "AT", "Value": ["00100010", "00200032"]}
    assert data["00101001"]["Value"] == [{"Alphabetic": "A^B"}, {"Alphabetic": "C^D"}]
    back = Dataset.from_json(data)
    assert str(back.PatientName) == "Yamada^Tarou=山田^太郎=やまだ^たろう"
    assert back.PatientName.ideographic == "山田^太郎"
    assert back[0x00209165].value == [0x00100010, 0x00200032]


def test_empty_values_have_only_a_vr():
    ds = Dataset()
    ds.PatientName = ""
    ds.add_new(0x00280106, "US", None)
    ds.ReferencedImageSequence = []
    data = ds.to_json_dict()
    assert data == {
        "00081140": {"vr": "SQ"},
        "00100010": {"vr": "PN"},
        "00280106": {"vr": "US"},
    }
    back = Dataset.from_json(data)
    assert back.PatientName == ""
    assert back.ReferencedImageSequence == []


def test_bulk_data_threshold_and_handlers():
    ds = Dataset()
    ds.add_new(0x7FE00010, "OW", b"\x01\x02" * 600)
    ds.add_new(0x00091001, "OB", b"\x05\x06")
    uris = {}

    def handler(elem: DataElement) -> str:
        uri = f"http://example.invalid/bulk/{elem.tag.json_key}"
        uris[uri] = elem.value
        return uri

    data = ds.to_json_dict(bulk_data_threshold=1024, bulk_data_element_handler=handler)
    assert data["7FE00010"] == {
        "vr": "OW",
        "BulkDataURI": "http://example.invalid/bulk/7FE00010",
    }
    assert data["00091001"] == {"vr": "OB", "InlineBinary": "BQY="}
    calls = []

    def fetch(tag, vr, uri):
        calls.append((tag, vr, uri))
        return uris[uri]

    back = Dataset.from_json(json.dumps(data), bulk_data_uri_handler=fetch)
    assert back.PixelData == b"\x01\x02" * 600
    assert calls == [("7FE00010", "OW", "http://example.invalid/bulk/7FE00010")]
    inline = ds.to_json_dict()
    assert base64.b64decode(inline["7FE00010"]["InlineBinary"]) == b"\x01\x02" * 600


def test_malformed_json_raises_dicom_errors():
    from dicomcore.errors import DicomValueError

    with pytest.raises(DicomValueError, match="not a DICOM JSON attribute tag"):
        Dataset.from_json({"PatientName": {"vr": "PN"}})
    with pytest.raises(DicomValueError, match="no 'vr'"):
        Dataset.from_json({"00100010": {"Value": ["x"]}})
    with pytest.raises(DicomValueError, match="must be an array"):
        Dataset.from_json({"00100010": {"vr": "PN", "Value": "x"}})


def test_show_json_cli(capsys):
    from dicomcore.cli import main

    assert main(["show", "--json", str(TESTFILES / "ct_int16_implicit.dcm")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["00100010"] == {
        "vr": "PN",
        "Value": [{"Alphabetic": "Doe^John^Quincy^Dr.^Jr."}],
    }
    assert data["00191002"] == {"vr": "SL", "Value": [888]}
