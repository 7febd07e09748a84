"""Build, extend and nest sequences, then save in two encodings."""

# args: testfiles/rtplan_undefined_length_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

ds = dcmread(sys.argv[1])
print(ds.Modality, len(ds.dir()), [kw for kw in ds.dir() if kw.endswith("Sequence")])

item = Dataset()
item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
item.ReferencedSOPInstanceUID = "1.2.3.4.5"
ds.ReferencedImageSequence = Sequence([item])
second = Dataset()
second.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
second.ReferencedSOPInstanceUID = "1.2.3.4.6"
second.ReferencedFrameNumber = [1, 2, 3]
ds.ReferencedImageSequence.append(second)

code = Dataset()
code.CodeValue = "T-D1100"
code.CodingSchemeDesignator = "SRT"
code.CodeMeaning = "Head"
inner = Dataset()
inner.AnatomicRegionSequence = [code]
ds.ReferencedImageSequence[0].PurposeOfReferenceCodeSequence = [inner]
print(
    len(ds.ReferencedImageSequence), ds.ReferencedImageSequence[1].ReferencedFrameNumber
)
print(
    ds.ReferencedImageSequence[0]
    .PurposeOfReferenceCodeSequence[0]
    .AnatomicRegionSequence[0]
    .CodeMeaning
)

del ds.ReferencedImageSequence[0].ReferencedSOPInstanceUID
ds.ReferencedImageSequence.insert(0, Dataset())
ds.ReferencedImageSequence[0].ReferencedSOPClassUID = "1.2.3"
ds.save_as("sequences_explicit.dcm")
ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"
ds.save_as("sequences_implicit.dcm", implicit_vr=True)
for name in ("sequences_explicit.dcm", "sequences_implicit.dcm"):
    back = dcmread(name, force=True)
    seq = back.ReferencedImageSequence
    print(name, len(seq), [len(entry) for entry in seq], seq[2].ReferencedFrameNumber)
    print(
        back.ReferencedImageSequence[1]
        .PurposeOfReferenceCodeSequence[0]
        .AnatomicRegionSequence[0]
        .CodeValue
    )
