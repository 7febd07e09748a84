"""Directory records for an instance (PS3.3 Annex F.5).

A File-set's DICOMDIR describes each instance by a chain of records: PATIENT,
STUDY and SERIES above a leaf whose type follows from the instance's SOP class
(IMAGE, RT DOSE, SR DOCUMENT, WAVEFORM, ...), or a single record for the few
classes that stand alone (HANGING PROTOCOL, PALETTE, the implant templates).
Each record type copies a set of the instance's attributes; F.5 gives each a
type: 1 must be present with a value, 2 is copied or left empty, 1C is
copied when the instance has it.  The tables below say that, one line a type.
"""

from __future__ import annotations

from collections.abc import Callable

from dicomcore.dataset import Dataset
from dicomcore.dictionary import dictionary_description, tag_for_keyword, uid_entry
from dicomcore.errors import DicomError

__all__ = [
    "DIRECTORY_RECORDERS",
    "InvalidInstanceError",
    "leaf_record_type",
    "records_for",
]

#: record type -> [(keyword, type)], in the order of the F.5 tables
RECORD_ATTRIBUTES: dict[str, list[tuple[str, str]]] = {
    "PATIENT": [("PatientName", "2"), ("PatientID", "1")],
    "STUDY": [
        ("StudyDate", "1"),
        ("StudyTime", "1"),
        ("StudyDescription", "2"),
        ("StudyInstanceUID", "1C"),
        ("StudyID", "1"),
        ("AccessionNumber", "2"),
    ],
    "SERIES": [("Modality", "1"), ("SeriesInstanceUID", "1"), ("SeriesNumber", "1")],
    "IMAGE": [("InstanceNumber", "1")],
    "RT DOSE": [("InstanceNumber", "1"), ("DoseSummationType", "1")],
    "RT STRUCTURE SET": [
        ("InstanceNumber", "1"),
        ("StructureSetLabel", "1"),
        ("StructureSetDate", "2"),
        ("StructureSetTime", "2"),
    ],
    "RT PLAN": [
        ("InstanceNumber", "1"),
        ("RTPlanLabel", "1"),
        ("RTPlanDate", "2"),
        ("RTPlanTime", "2"),
    ],
    "RT TREAT RECORD": [
        ("InstanceNumber", "1"),
        ("TreatmentDate", "2"),
        ("TreatmentTime", "2"),
    ],
    "PRESENTATION": [
        ("PresentationCreationDate", "1"),
        ("PresentationCreationTime", "1"),
        ("InstanceNumber", "1"),
        ("ContentLabel", "1"),
        ("ContentDescription", "2"),
        ("ContentCreatorName", "2"),
        ("ReferencedSeriesSequence", "1C"),
        ("BlendingSequence", "1C"),
    ],
    "SR DOCUMENT": [
        ("InstanceNumber", "1"),
        ("CompletionFlag", "1"),
        ("VerificationFlag", "1"),
        ("ContentDate", "1"),
        ("ContentTime", "1"),
        ("VerificationDateTime", "1C"),
        ("ConceptNameCodeSequence", "1"),
        ("ContentSequence", "1C"),
    ],
    "KEY OBJECT DOC": [
        ("ContentDate", "1"),
        ("ContentTime", "1"),
        ("InstanceNumber", "1"),
        ("ConceptNameCodeSequence", "1"),
        ("ContentSequence", "1C"),
    ],
    "SPECTROSCOPY": [
        ("ImageType", "1"),
        ("ContentDate", "1"),
        ("ContentTime", "1"),
        ("InstanceNumber", "1"),
        ("ReferencedImageEvidenceSequence", "1C"),
        ("NumberOfFrames", "1"),
        ("Rows", "1"),
        ("Columns", "1"),
        ("DataPointRows", "1"),
        ("DataPointColumns", "1"),
    ],
    "HANGING PROTOCOL": [
        ("HangingProtocolCreator", "1"),
        ("HangingProtocolCreationDateTime", "1"),
        ("HangingProtocolDefinitionSequence", "1"),
        ("NumberOfPriorsReferenced", "1"),
        ("HangingProtocolUserIdentificationCodeSequence", "2"),
    ],
    "ENCAP DOC": [
        ("ContentDate", "2"),
        ("ContentTime", "2"),
        ("InstanceNumber", "1"),
        ("DocumentTitle", "2"),
        ("HL7InstanceIdentifier", "1C"),
        ("ConceptNameCodeSequence", "2"),
        ("MIMETypeOfEncapsulatedDocument", "1"),
    ],
    "PALETTE": [("ContentLabel", "1"), ("ContentDescription", "2")],
    "IMPLANT": [
        ("Manufacturer", "1"),
        ("ImplantName", "1"),
        ("ImplantSize", "1C"),
        ("ImplantPartNumber", "1"),
    ],
    "IMPLANT ASSY": [
        ("ImplantAssemblyTemplateName", "1"),
        ("Manufacturer", "1"),
        ("ProcedureTypeCodeSequence", "1"),
    ],
    "IMPLANT GROUP": [
        ("ImplantTemplateGroupName", "1"),
        ("ImplantTemplateGroupIssuer", "1"),
    ],
    "SURFACE SCAN": [("ContentDate", "1"), ("ContentTime", "1")],
    "ASSESSMENT": [
        ("InstanceNumber", "1"),
        ("InstanceCreationDate", "1"),
        ("InstanceCreationTime", "2"),
    ],
    "RADIOTHERAPY": [
        ("InstanceNumber", "1"),
        ("UserContentLabel", "1C"),
        ("UserContentLongLabel", "1C"),
        ("ContentDescription", "2"),
        ("ContentCreatorName", "2"),
    ],
    "STEREOMETRIC": [],
    "PLAN": [],
}
# Record types whose attributes are the generic content ones (F.5.x), with
# or without the Content Identification Macro.
_GENERIC = [("InstanceNumber", "1"), ("ContentDate", "1"), ("ContentTime", "1")]
_GENERIC_WITH_LABEL = [
    *_GENERIC,
    ("ContentLabel", "1"),
    ("ContentDescription", "2"),
    ("ContentCreatorName", "2"),
]
for _type in ("WAVEFORM", "RAW DATA"):
    RECORD_ATTRIBUTES[_type] = _GENERIC
for _type in ("REGISTRATION", "FIDUCIAL", "VALUE MAP", "MEASUREMENT", "SURFACE"):
    RECORD_ATTRIBUTES[_type] = _GENERIC_WITH_LABEL
RECORD_ATTRIBUTES["TRACT"] = _GENERIC_WITH_LABEL

#: the File ID prefix of each record type's files and folders
FILE_ID_PREFIXES: dict[str, str] = {
    "PATIENT": "PT", "STUDY": "ST", "SERIES": "SE", "IMAGE": "IM",
    "RT DOSE": "RD", "RT STRUCTURE SET": "RS", "RT PLAN": "RP",
    "RT TREAT RECORD": "RX", "PRESENTATION": "PR", "WAVEFORM": "WV",
    "SR DOCUMENT": "SR", "KEY OBJECT DOC": "KY", "SPECTROSCOPY": "SP",
    "RAW DATA": "RW", "REGISTRATION": "RG", "FIDUCIAL": "FD",
    "HANGING PROTOCOL": "HG", "ENCAP DOC": "ED", "VALUE MAP": "VM",
    "STEREOMETRIC": "SX", "PALETTE": "PA", "IMPLANT": "IP", "IMPLANT ASSY": "IA",
    "IMPLANT GROUP": "IG", "PLAN": "PL", "MEASUREMENT": "MX", "SURFACE": "SF",
    "SURFACE SCAN": "SS", "TRACT": "TR", "ASSESSMENT": "AS", "RADIOTHERAPY": "RT",
    "PRIVATE": "P",
}  # fmt: skip

# SOP classes whose instances have one record, at the root (F.4)
_SINGLE_LEVEL = {
    "Hanging Protocol Storage": "HANGING PROTOCOL",
    "Color Palette Storage": "PALETTE",
    "Generic Implant Template Storage": "IMPLANT",
    "Implant Assembly Template Storage": "IMPLANT ASSY",
    "Implant Template Group Storage": "IMPLANT GROUP",
}

# The leaf record type from words of the SOP class name, first match wins;
# storage classes that match none hold images.
_LEAF_BY_NAME: list[tuple[str, str]] = [
    ("Presentation State", "PRESENTATION"),
    ("Basic Structured Display", "PRESENTATION"),
    ("Waveform", "WAVEFORM"),
    ("RT Dose", "RT DOSE"),
    ("RT Structure Set", "RT STRUCTURE SET"),
    ("Treatment Record", "RT TREAT RECORD"),
    ("Treatment Summary Record", "RT TREAT RECORD"),
    ("Key Object Selection", "KEY OBJECT DOC"),
    (" SR ", "SR DOCUMENT"),
    ("Report Storage", "SR DOCUMENT"),
    ("Procedure Log", "SR DOCUMENT"),
    ("MR Spectroscopy", "SPECTROSCOPY"),
    ("Raw Data", "RAW DATA"),
    ("Spatial Registration", "REGISTRATION"),
    ("Spatial Fiducials", "FIDUCIAL"),
    ("Real World Value Mapping", "VALUE MAP"),
    ("Stereometric Relationship", "STEREOMETRIC"),
    ("Measurements Storage", "MEASUREMENT"),
    ("Surface Segmentation", "SURFACE"),
    ("Surface Scan", "SURFACE SCAN"),
    ("Tractography", "TRACT"),
    ("Content Assessment", "ASSESSMENT"),
]
_RADIOTHERAPY_MODALITIES = frozenset({"RTINTENT", "RTSEGANN", "RTRAD"})


class InvalidInstanceError(DicomError, ValueError):
    """An instance lacks an attribute its directory records need."""


def _class_name(ds: Dataset) -> str:
    entry = uid_entry(str(ds.get("SOPClassUID", "")))
    return f" {entry.name} " if entry is not None else ""


def single_level_record_type(ds: Dataset) -> str | None:
    """The record type of an instance that stands alone at the root, or None."""
    return _SINGLE_LEVEL.get(_class_name(ds).strip())


def leaf_record_type(ds: Dataset) -> str:
    """The record type below SERIES for an instance (F.4, Table F.4-1)."""
    if ds.get("Modality") in _RADIOTHERAPY_MODALITIES:
        return "RADIOTHERAPY"
    if ds.get("Modality") == "PLAN":
        return "PLAN"
    if "EncapsulatedDocument" in ds:
        return "ENCAP DOC"
    if "RTPlanLabel" in ds:
        return "RT PLAN"
    name = _class_name(ds)
    for words, record_type in _LEAF_BY_NAME:
        if words in name:
            return record_type
    return "IMAGE"


def _define(record_type: str) -> Callable[[Dataset], Dataset]:
    def define(ds: Dataset) -> Dataset:
        record = Dataset()
        for keyword, kind in RECORD_ATTRIBUTES[record_type]:
            present = keyword in ds and not ds[keyword].is_empty
            if kind == "1" and not present:
                tag = tag_for_keyword(keyword) or 0
                state = "missing" if keyword not in ds else "empty"
                raise InvalidInstanceError(
                    f"the instance's ({tag >> 16:04X},{tag & 0xFFFF:04X}) "
                    f"'{dictionary_description(tag)}' is {state}; a {record_type} "
                    "directory record needs it (PS3.3 F.5)"
                )
            if present:
                setattr(record, keyword, ds[keyword].value)
            elif kind == "2":
                setattr(record, keyword, None)
        return record

    define.__name__ = f"define_{record_type.lower().replace(' ', '_')}"
    return define


#: record type -> function making that record from an instance; replace one
#: to change what the records hold (as in pydicom)
DIRECTORY_RECORDERS: dict[str, Callable[[Dataset], Dataset]] = {
    record_type: _define(record_type) for record_type in RECORD_ATTRIBUTES
}


def _with_links(record_type: str, content: Dataset) -> Dataset:
    """The record: the four elements that link and type it first (their tags
    sort before the content's), then what the instance gave."""
    record = Dataset()
    record.OffsetOfTheNextDirectoryRecord = 0
    record.RecordInUseFlag = 0xFFFF
    record.OffsetOfReferencedLowerLevelDirectoryEntity = 0
    record.DirectoryRecordType = record_type
    for elem in content:
        record.add(elem)
    return record


def records_for(ds: Dataset) -> list[Dataset]:
    """The records of ``ds`` from the root down: PATIENT, STUDY, SERIES and
    the leaf, or the one record of a single-level class.  The leaf names the
    instance's SOP class, instance and transfer syntax; its Referenced File
    ID is set when the File-set is written."""
    single = single_level_record_type(ds)
    chain = [single] if single else ["PATIENT", "STUDY", "SERIES", leaf_record_type(ds)]
    records = []
    for record_type in chain:
        record = _with_links(record_type, DIRECTORY_RECORDERS[record_type](ds))
        if "SpecificCharacterSet" in ds:
            record.SpecificCharacterSet = ds.SpecificCharacterSet
        records.append(record)
    leaf = records[-1]
    for keyword in ("SOPClassUID", "SOPInstanceUID"):
        if keyword not in ds or ds[keyword].is_empty:
            raise InvalidInstanceError(f"the instance has no {keyword}")
    leaf.ReferencedFileID = None
    leaf.ReferencedSOPClassUIDInFile = ds.SOPClassUID
    leaf.ReferencedSOPInstanceUIDInFile = ds.SOPInstanceUID
    transfer_syntax = ds.file_meta.get("TransferSyntaxUID") if ds.file_meta else None
    if not transfer_syntax:
        raise InvalidInstanceError(
            "the instance has no Transfer Syntax UID in its file meta"
        )
    leaf.ReferencedTransferSyntaxUIDInFile = transfer_syntax
    return records
