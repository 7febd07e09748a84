"""Build nested sequences, empty items and empty sequences, and print them."""

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

inner = Dataset()
inner.CodeValue = "T-D1100"
inner.CodingSchemeDesignator = "SRT"
inner.CodeMeaning = "Head"

region = Dataset()
region.AnatomicRegionSequence = [inner]
region.ReferencedFrameNumber = [1, 2, 3]

ds = Dataset()
ds.PatientID = "NEST"
ds.ReferencedImageSequence = Sequence([region, Dataset(), region])
ds.RequestAttributesSequence = Sequence()
ds.add_new(0x00400275, "SQ", [Dataset()])
print(ds)
print("--")
print(ds.ReferencedImageSequence)
print(repr(ds.ReferencedImageSequence))
print(ds.RequestAttributesSequence)
print(repr(ds.RequestAttributesSequence))
print(ds["RequestAttributesSequence"])
print(ds.ReferencedImageSequence[0].AnatomicRegionSequence[0])
print(str(Sequence()), repr(Sequence()))
print(Dataset())
print(repr(Dataset()) == "")
