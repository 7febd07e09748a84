"""Print UIDs: registered ones show their name, others themselves."""

# args: testfiles/mono8_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.uid import UID

ds = Dataset()
ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"
ds.SOPInstanceUID = "1.2.3.4.5.6.7.8.9"
ds.StudyInstanceUID = ""
ds.add_new(0x00081150, "UI", "1.2.840.10008.1.2.4.90")
ds.add_new(0x00020010, "UI", "1.2.840.10008.1.2.1")
ds.add_new(0x00081190, "UR", "https://example.org")
ds.add_new(0x0008001A, "UI", ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4"])
ds.add_new(0x00200200, "UI", "1.2.840.10008.1.2.4.51")
ds.add_new(0x00400554, "UI", "1.2.840.10008.1.2.5")
print(ds)
for text in (
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.5",
    "1.2.840.10008.5.1.4.1.1.7",
    "1.2.840.10008.5.1.4.1.1.481.5",
    "1.2.3",
):
    uid = UID(text)
    print(repr(uid), str(uid), uid.name)

read = dcmread(sys.argv[1])
print(read["SOPClassUID"], read.SOPClassUID, repr(read.SOPClassUID), sep="\n")
