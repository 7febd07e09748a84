"""Print single elements, by keyword and by tag, and their attributes."""

# args: testfiles/tutorials/mr_512.dcm testfiles/mono16_5frames_explicit.dcm
import sys

import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    for keyword in ("PatientName", "Rows", "BitsStored", "Modality", "SOPClassUID"):
        elem = ds.data_element(keyword)
        print(elem)
        print(repr(elem))
        print(elem.tag, elem.VR, elem.VM, elem.keyword, elem.name, sep=" | ")
        print(elem.repval)
    print(ds[0x0028, 0x0010])
    print(ds["PixelData"])
    print(ds[0x7FE00010].repval)
    print(ds.get("WindowCenter"))
    print(ds.get((0x0028, 0x1051)))
