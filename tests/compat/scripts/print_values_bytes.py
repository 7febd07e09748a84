"""Print byte values: short ones in full, long ones as a summary."""

# args: testfiles/mono8_explicit.dcm testfiles/mono16_explicit.dcm
# args: testfiles/mono8_rle.dcm
import sys

import pydicom
from pydicom.dataset import Dataset

ds = Dataset()
ds.add_new(0x00020001, "OB", b"\x00\x01")
ds.add_new(0x00420011, "OB", bytes(range(16)))
ds.add_new(0x00421011, "OB", bytes(range(17)))
ds.add_new(0x00660023, "OW", b"\x01\x00\x02\x00")
ds.add_new(0x00660016, "OF", b"\x00\x00\x80\x3f" * 8)
ds.add_new(0x00660040, "OL", b"")
ds.add_new(0x00720069, "OV", b"\x00" * 8)
ds.add_new(0x00640009, "OF", b"\x00" * 4)
ds.add_new(0x00281201, "OW", b"\xff\x00" * 256)
ds.add_new(0x00091010, "UN", b"\x01\x02\x03")
ds.add_new(0x00091011, "UN", b"z" * 20)
print(ds)
for elem in ds:
    print(elem.tag, elem.VR, elem.VM, elem.repval)

for path in sys.argv[1:]:
    read = pydicom.dcmread(path)
    print(read["PixelData"])
    print(read.file_meta["FileMetaInformationVersion"])
