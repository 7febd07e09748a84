"""Edit a file's dataset, then print it and parts of it."""

# args: testfiles/mono8_explicit.dcm testfiles/rtplan_undefined_length_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

for path in sys.argv[1:]:
    ds = dcmread(path)
    ds.PatientName = "Edited^Name"
    ds.PatientID = "ID-0001"
    ds.StudyDescription = "An edited study"
    ds.ImageComments = "A comment that is longer than sixteen characters"
    del ds.StudyTime
    ds.add_new(0x00081030, "LO", "Replaced description")
    item = Dataset()
    item.CodeValue = "121311"
    item.CodingSchemeDesignator = "DCM"
    item.CodeMeaning = "Localizer"
    ds.DerivationCodeSequence = Sequence([item])
    ds.DerivationCodeSequence.append(Dataset())
    ds.DerivationCodeSequence[1].CodeValue = "113076"
    ds.InstanceNumber = 42
    ds.remove_private_tags()
    print(ds)
    print(ds.DerivationCodeSequence)
    print(ds["DerivationCodeSequence"])
    print(ds.top())
