"""Printed output is pydicom 3's, character for character.

Every DICOM file in testfiles/ is printed by both libraries (``str()`` of the
dataset read, and the ``show`` command against ``pydicom show``) and the text
compared whole; pydicom is the oracle. Elements, sequences and raw elements
built by hand are compared the same way, on the same calls.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

import dicomcore
from dicomcore.cli import main
from dicomcore.dataelem import DataElement, RawDataElement
from dicomcore.sequence import Sequence
from tests.interop import require_tool, run_tool

pydicom = pytest.importorskip("pydicom", minversion="3.0")
from pydicom.cli.main import main as pydicom_main  # noqa: E402 - after the skip

TESTFILES = Path(__file__).resolve().parent.parent / "testfiles"


def _is_dicom(path: Path) -> bool:
    if path.suffix.lower() == ".dcm":
        return True
    with path.open("rb") as handle:
        return handle.read(132)[128:] == b"DICM"


DICOM_FILES = sorted(
    path for path in TESTFILES.rglob("*") if path.is_file() and _is_dicom(path)
)

# Files whose text differs for reasons outside printing, each named.
_PRIVATE_WORDING = (
    "private element names come from DCMTK's private dictionary; pydicom "
    "uses GDCM's wording"
)
_KNOWN_DIFFERENCES = {
    "ct_int16_bigendian.dcm": _PRIVATE_WORDING,
    "ct_int16_explicit.dcm": _PRIVATE_WORDING,
    "ct_int16_implicit.dcm": _PRIVATE_WORDING,
    "ct_int16_implicit_nometa.dcm": _PRIVATE_WORDING,
    "ct_int16_jpeg_sv1.dcm": _PRIVATE_WORDING,
    "ct_int16_jpeg_sv1_gdcm.dcm": _PRIVATE_WORDING,
    "ct_int16_jpegls.dcm": _PRIVATE_WORDING,
    "ct_int16_rle.dcm": _PRIVATE_WORDING,
    "ct_int16_rle_gdcm.dcm": _PRIVATE_WORDING,
    "ct_int16_j2k.dcm": (
        "GDCM wrote the public elements as UN; pydicom reads them with their "
        "dictionary VR, dicomcore keeps UN (and " + _PRIVATE_WORDING + ")"
    ),
    "mono16_j2k_lossy.dcm": (
        "pydicom keeps the space padding inside a multi-valued CS value "
        "('DERIVED '), dicomcore strips each value"
    ),
    "rgb8_j2k_lossy.dcm": (
        "pydicom keeps the space padding inside a multi-valued CS value "
        "('DERIVED '), dicomcore strips each value"
    ),
    "chinese_iso2022.dcm": (
        "pydicom leaves ISO 2022 IR 58 escape sequences in the decoded name; "
        "dicomcore decodes it as DCMTK does (docs/compatibility.md)"
    ),
}


def _cases() -> list[object]:
    cases: list[object] = []
    for path in DICOM_FILES:
        name = str(path.relative_to(TESTFILES))
        reason = _KNOWN_DIFFERENCES.get(path.name)
        marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        cases.append(pytest.param(path, id=name, marks=marks))
    return cases


def test_every_dicom_file_is_listed() -> None:
    # the walk finds the files in sub-folders too, and nothing that is not DICOM
    names = {str(path.relative_to(TESTFILES)) for path in DICOM_FILES}
    assert "ct_int16_explicit.dcm" in names
    assert "charsets/utf8.dcm" in names
    assert "tutorials/series/IM0001.dcm" in names
    assert "processing/palette8.dcm" in names
    assert not any(name.endswith((".json", ".py", ".md", ".pgm")) for name in names)
    assert len(names) >= 117


@pytest.mark.parametrize("path", _cases())
def test_str_of_every_file_is_pydicoms(path: Path) -> None:
    expected = str(pydicom.dcmread(path, force=True))
    assert str(dicomcore.dcmread(path, force=True)) == expected


@pytest.mark.parametrize("path", _cases())
def test_show_of_every_file_is_pydicom_show(path: Path) -> None:
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        pydicom_main(["show", str(path)])
    ours = io.StringIO()
    with contextlib.redirect_stdout(ours):
        assert main(["show", str(path)]) == 0
    assert ours.getvalue() == expected.getvalue()


@pytest.mark.parametrize(
    "options",
    [["-t"], ["--top"], ["-x"], ["--exclude-private"], ["-q"], ["-x", "-t"]],
    ids=lambda options: " ".join(options),
)
@pytest.mark.parametrize(
    "name",
    [
        "rtplan_undefined_length_explicit.dcm",
        "mono8_explicit.dcm",
        "processing/enhanced_ct_shared.dcm",
        "ct_int16_implicit.dcm",
    ],
)
def test_show_options_are_pydicoms(name: str, options: list[str]) -> None:
    if name.startswith("ct_int16") and "-x" not in options and "-q" not in options:
        pytest.skip(_PRIVATE_WORDING)
    if name.startswith("rtplan") and "-q" in options:
        pytest.skip("pydicom show -q fails on a plan without Referenced Beam Sequence")
    path = str(TESTFILES / name)
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        pydicom_main(["show", *options, path])
    ours = io.StringIO()
    with contextlib.redirect_stdout(ours):
        assert main(["show", *options, path]) == 0
    assert ours.getvalue() == expected.getvalue()


@pytest.mark.parametrize(
    "element",
    [
        "BeamSequence",
        "BeamSequence[0]",
        "BeamSequence[1].ControlPointSequence",
        "BeamSequence[0].ControlPointSequence[1].ControlPointIndex",
        "PatientName",
        "FractionGroupSequence[0]",
    ],
)
def test_show_of_one_element_is_pydicom_show(element: str) -> None:
    spec = f"{TESTFILES / 'rtplan_undefined_length_explicit.dcm'}::{element}"
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        pydicom_main(["show", spec])
    ours = io.StringIO()
    with contextlib.redirect_stdout(ours):
        assert main(["show", spec]) == 0
    assert ours.getvalue() == expected.getvalue()


# Empty values of each kind, group lengths, repeating groups, a private block
# and an element without its creator, as DCMTK's dump2dcm writes them.
_EDGE_DUMP = r"""
(0002,0001) OB 00\01
(0002,0002) UI =SecondaryCaptureImageStorage
(0002,0003) UI []
(0008,0000) UL 0
(0008,0005) CS [ISO_IR 100]
(0008,0008) CS [DERIVED\SECONDARY\ ]
(0008,0012) DA []
(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI []
(0008,0060) CS []
(0008,1030) LO [a\b]
(0008,103e) LO [trailing spaces   ]
(0008,1150) UI [1.2.840.10008.5.1.4.1.1.7\1.2.3]
(0010,0010) PN []
(0010,0020) LO [ID\]
(0010,1010) AS [042Y]
(0018,0050) DS []
(0018,1063) DS [ 1.0 ]
(0018,9087) FD
(0020,0011) IS []
(0020,0013) IS [ -5 ]
(0020,4000) LT [a\b\c with a long text that goes on]
(0028,0009) AT (0018,1063)\(0018,1065)
(0028,0010) US
(0028,0030) DS [0.5\\0.25]
(0028,1052) DS [-1024.000000]
(0029,0010) LO [SIEMENS CSA HEADER]
(0029,1010) OB 01\02\03
(0029,1020) OB 01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11
(0033,1001) LO [no creator]
(0040,a160) UT [x]
(6000,0010) US 4
(6000,0011) US 4
(6000,0100) US 1
(6002,0010) US 2
(6000,3000) OW 0000\0000
"""


def test_empty_and_unusual_values_print_as_pydicoms(tmp_path: Path) -> None:
    dump2dcm = require_tool("dump2dcm")
    dump = tmp_path / "edge.dump"
    dump.write_text(_EDGE_DUMP, encoding="ascii")
    path = tmp_path / "edge.dcm"
    run_tool(dump2dcm, "+te", dump, path)
    ours = str(dicomcore.dcmread(path))
    assert ours == str(pydicom.dcmread(path))
    lines = ours.splitlines()
    for line in (
        "(0008,0000) Group Length                        UL: 178",
        "(0008,0008) Image Type                          CS: "
        "['DERIVED', 'SECONDARY', '']",
        "(0008,0018) SOP Instance UID                    UI: ''",
        "(0018,0050) Slice Thickness                     DS: None",
        "(0020,4000) Image Comments                      LT: Array of 35 elements",
        "(0028,0030) Pixel Spacing                       DS: [0.5, '', 0.25]",
        "(0033,1001) Private tag data                    LO: 'no creator'",
        "(6002,0010) Overlay Rows                        US: 2",
    ):
        assert line in lines


# -- elements built by hand, printed by both -----------------------------------------

_ELEMENTS = [
    (0x00100010, "PN", "Doe^John=ドウ^ジョン="),
    (0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2"),
    (0x00020010, "UI", "1.2.840.10008.1.2.4.51"),
    (0x00080018, "UI", "1.2.3.4"),
    (0x00080018, "UI", ""),
    (0x0008001A, "UI", ["1.2.840.10008.5.1.4.1.1.2", "1.2.3"]),
    (0x00180050, "DS", "1.50"),
    (0x00280030, "DS", ["0.5", "0.50"]),
    (0x00200013, "IS", "+07"),
    (0x00081160, "IS", ["1", "+2", "003"]),
    (0x00080008, "CS", ["ORIGINAL", "PRIMARY"]),
    (0x00080008, "CS", []),
    (0x00081030, "LO", ""),
    (0x00204000, "LT", "sixteen chars ok"),
    (0x00204000, "LT", "seventeen chars!!"),
    (0x0040A160, "UT", "x" * 100),
    (0x00080119, "UC", ["a", "b"]),
    (0x00280010, "US", 512),
    (0x00280010, "US", None),
    (0x00181310, "US", [0, 64, 64, 0]),
    (0x00209128, "UL", list(range(16))),
    (0x00209128, "UL", list(range(17))),
    (0x00189087, "FD", 1000.5),
    (0x00280009, "AT", 0x00181063),
    (0x00280009, "AT", [0x00181063, 0x00181065]),
    (0x00020001, "OB", b"\x00\x01"),
    (0x7FE00010, "OW", b"\x00" * 16),
    (0x7FE00010, "OW", b"\x00" * 18),
    (0x00091001, "LO", "a private value"),
    (0x00090010, "LO", "A CREATOR"),
    (0x00090000, "UL", 4),
    (0x00080000, "UL", 4),
    (0x00990001, "UN", b"\x01\x02"),
    (0x00189310, "FD", 1.0),
]


@pytest.mark.parametrize(
    ("tag", "vr", "value"),
    _ELEMENTS,
    ids=[f"{tag:08X}-{vr}-{index}" for index, (tag, vr, _) in enumerate(_ELEMENTS)],
)
def test_element_prints_as_pydicoms(tag: int, vr: str, value: object) -> None:
    expected = pydicom.DataElement(tag, vr, value)
    ours = DataElement(tag, vr, value)
    assert str(ours) == str(expected)
    assert repr(ours) == repr(expected)
    assert ours.repval == expected.repval
    assert ours.name == expected.name
    assert repr(ours.value) == repr(expected.value)
    assert str(ours.value) == str(expected.value)


def test_element_lines_concretely() -> None:
    assert str(DataElement(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.2")) == (
        "(0008,0016) SOP Class UID                       UI: CT Image Storage"
    )
    assert str(DataElement(0x00200013, "IS", "+07")) == (
        "(0020,0013) Instance Number                     IS: '7'"
    )
    assert str(DataElement(0x00280030, "DS", ["-1.0", "2.50", "3"])) == (
        "(0028,0030) Pixel Spacing                       DS: [-1.0, 2.50, 3]"
    )
    assert str(DataElement(0x7FE00010, "OB", b"\x00" * 20)) == (
        "(7FE0,0010) Pixel Data                          OB: Array of 20 elements"
    )
    # names are cut at 35 columns, with nothing added
    assert str(DataElement(0x00400254, "LO", "x")) == (
        "(0040,0254) Performed Procedure Step Descriptio LO: 'x'"
    )
    assert str(DataElement(0x00091001, "LO", "x")) == (
        "(0009,1001) Private tag data                    LO: 'x'"
    )
    assert str(DataElement(0x00090010, "LO", "x")) == (
        "(0009,0010) Private Creator                     LO: 'x'"
    )


def test_show_quiet_of_a_plan(tmp_path: Path) -> None:
    # pydicom show -q needs a Referenced Beam Sequence in each fraction group;
    # pydicom adds one to the plan and writes the file both then read
    plan = pydicom.dcmread(TESTFILES / "rtplan_undefined_length_explicit.dcm")
    for number, dose in ((1, "1.5"), (2, None)):
        beam = pydicom.Dataset()
        beam.ReferencedBeamNumber = number
        if dose:
            beam.BeamDose = dose
            beam.BeamMeterset = "120.5"
        plan.FractionGroupSequence[0].setdefault(
            "ReferencedBeamSequence", pydicom.Sequence()
        ).value.append(beam)
    plan.BeamSequence[0].TreatmentDeliveryType = "TREATMENT"
    plan.BeamSequence[0].ControlPointSequence[0].NominalBeamEnergy = "6"
    path = tmp_path / "plan.dcm"
    plan.save_as(path)
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        pydicom_main(["show", "-q", str(path)])
    ours = io.StringIO()
    with contextlib.redirect_stdout(ours):
        assert main(["show", "-q", str(path)]) == 0
    assert ours.getvalue() == expected.getvalue()
    assert ours.getvalue().splitlines()[7:11] == [
        "Plan Label: PLAN1  Plan Name: Test plan",
        "Fraction Group 1  30 fraction(s) planned",
        "   Brachy Application Setups: None",
        "   Beam 1 Dose 1.5 Meterset 120.5",
    ]


def test_sequences_print_as_pydicoms() -> None:
    def build(module: object) -> object:
        dataset_type = module.Dataset  # type: ignore[attr-defined]
        sequence_type = module.Sequence  # type: ignore[attr-defined]
        first = dataset_type()
        first.CodeValue = "121311"
        first.CodeMeaning = "Localizer"
        outer = dataset_type()
        outer.PatientID = "SEQ"
        outer.DerivationCodeSequence = sequence_type([first, dataset_type()])
        outer.ReferencedImageSequence = sequence_type()
        return outer

    theirs, ours = build(pydicom), build(dicomcore)
    assert str(ours) == str(theirs)
    assert str(ours.DerivationCodeSequence) == str(theirs.DerivationCodeSequence)
    assert repr(ours.DerivationCodeSequence) == "<Sequence, length 2>"
    assert str(ours["DerivationCodeSequence"]) == str(theirs["DerivationCodeSequence"])
    assert ours.top() == theirs.top()
    assert str(ours).splitlines() == [
        "(0008,1140)  Referenced Image Sequence  0 item(s) ---- ",
        "(0008,9215)  Derivation Code Sequence  2 item(s) ---- ",
        "   (0008,0100) Code Value                          SH: '121311'",
        "   (0008,0104) Code Meaning                        LO: 'Localizer'",
        "   ---------",
        "",
        "   ---------",
        "(0010,0020) Patient ID                          LO: 'SEQ'",
    ]
    assert str(Sequence()) == "[]"


def test_file_meta_prints_as_pydicoms() -> None:
    path = TESTFILES / "mono8_explicit.dcm"
    theirs, ours = pydicom.dcmread(path), dicomcore.dcmread(path)
    assert str(ours.file_meta) == str(theirs.file_meta)
    assert repr(ours.file_meta) == repr(theirs.file_meta)
    assert str(ours).startswith(
        "Dataset.file_meta -------------------------------\n"
        "(0002,0000) File Meta Information Group Length  UL: "
    )
    assert "\n-------------------------------------------------\n" in str(ours)


def test_raw_data_element_prints_as_pydicoms() -> None:
    fields = (0x00100010, "PN", 8, b"Doe^John", 140, False, True)
    theirs = pydicom.dataelem.RawDataElement(pydicom.tag.Tag(fields[0]), *fields[1:])
    ours = RawDataElement(*fields)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)
    assert repr(ours) == (
        "RawDataElement(tag=(0010,0010), VR='PN', length=8, value=b'Doe^John', "
        "value_tell=140, is_implicit_VR=False, is_little_endian=True, "
        "is_raw=True, is_buffered=False)"
    )


def test_formatted_lines_are_pydicoms() -> None:
    path = TESTFILES / "rtplan_undefined_length_explicit.dcm"
    theirs, ours = pydicom.dcmread(path), dicomcore.dcmread(path)
    assert list(ours.formatted_lines()) == list(theirs.formatted_lines())
    layout = "%(keyword)s|%(VM)s|%(value)s|%(is_private)s"
    assert list(ours.formatted_lines(layout, layout)) == list(
        theirs.formatted_lines(layout, layout)
    )


def test_value_reprs_are_pydicoms() -> None:
    ours, theirs = dicomcore.Dataset(), pydicom.Dataset()
    for dataset in (ours, theirs):
        dataset.InstanceNumber = "+07"
        dataset.SliceThickness = "1.50"
        dataset.PixelSpacing = ["0.5", "0.50"]
        dataset.OtherPatientNames = ["Doe^John", "Roe^Jane"]
        dataset.ImageType = ["ORIGINAL", "PRIMARY"]
        dataset.WindowWidth = 400.25
    for keyword in ours.dir():
        assert repr(ours.data_element(keyword).value) == repr(
            theirs.data_element(keyword).value
        ), keyword
        assert str(ours.data_element(keyword).value) == str(
            theirs.data_element(keyword).value
        ), keyword
    assert repr(ours.InstanceNumber) == "'7'"
    assert str(ours.InstanceNumber) == "+07"
    assert str(ours.OtherPatientNames) == "[Doe^John, Roe^Jane]"
    assert repr(ours.ImageType) == "['ORIGINAL', 'PRIMARY']"


def test_dates_under_datetime_conversion_print_as_pydicoms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pydicom.config, "datetime_conversion", True)
    monkeypatch.setattr(dicomcore.config, "datetime_conversion", True, raising=False)
    ours, theirs = dicomcore.Dataset(), pydicom.Dataset()
    for dataset in (ours, theirs):
        dataset.StudyDate = "20240229"
        dataset.StudyTime = "101112.5"
        dataset.AcquisitionDateTime = "20240229101112"
        dataset.add_new(0x00080022, "DA", ["20240101", "20240102"])
    assert str(ours) == str(theirs)
    assert repr(ours.StudyDate) == repr(theirs.StudyDate) == '"20240229"'
    assert str(ours.AcquisitionDate) == "[20240101, 20240102]"


def test_file_meta_hidden_by_config(monkeypatch: pytest.MonkeyPatch) -> None:
    path = TESTFILES / "mono8_explicit.dcm"
    monkeypatch.setattr(pydicom.config, "show_file_meta", False)
    monkeypatch.setattr(dicomcore.config, "show_file_meta", False, raising=False)
    ours = str(dicomcore.dcmread(path))
    assert ours == str(pydicom.dcmread(path))
    assert ours.startswith("(0008,0016) SOP Class UID ")
