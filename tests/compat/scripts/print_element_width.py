"""Change how elements print: name width, summary size, VR shown or not."""

# args: testfiles/mono8_explicit.dcm
import sys

import pydicom
from pydicom.dataelem import DataElement

ds = pydicom.dcmread(sys.argv[1])
elem = DataElement(0x00189087, "FD", 1000.0)
print(elem)
long_name = DataElement(0x00189310, "FD", 1.5)
print(long_name, len(long_name.name))
print(DataElement(0x00100010, "PN", "Doe^Jane"))
print(DataElement(0x00110010, "LO", "Creator"))
print(DataElement(0x00111001, "LO", "unknown private"))
print(DataElement(0x00090000, "UL", 12))
print(DataElement(0x00080000, "UL", 20))
print(DataElement(0x00990001, "UN", b"\x00"))
print(DataElement(0x00080001, "UL", 7))
DataElement.descripWidth = 20
print(ds["PatientName"], ds["SOPClassUID"], sep="\n")
DataElement.maxBytesToDisplay = 4
print(ds["PixelSpacing"] if "PixelSpacing" in ds else ds["Rows"])
print(ds["ImageType"] if "ImageType" in ds else ds["Columns"])
DataElement.showVR = False
print(ds["PatientName"])
print(ds.top())
DataElement.showVR = True
DataElement.descripWidth = 35
DataElement.maxBytesToDisplay = 16
print(ds["PatientName"])
