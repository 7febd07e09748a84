"""Hide the File Meta Information when printing, and print slices and groups."""

# args: testfiles/mono8_explicit.dcm testfiles/processing/palette8.dcm
import sys

import pydicom
import pydicom.config

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    pydicom.config.show_file_meta = False
    print(ds)
    pydicom.config.show_file_meta = True
    print(ds.top())
    print(ds[0x00100000:0x00200000])
    print(ds[(0x0028, 0x0000):(0x0029, 0x0000)])
    print(ds.group_dataset(0x0008))
    print(ds[0x00280000:0x00280000])
