"""Read a few files and print the elements people look at first."""

# args: testfiles/ct_int16_explicit.dcm testfiles/mono8_explicit.dcm
# args: testfiles/rgb8_rle.dcm
import sys

import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    print(ds.PatientName, ds.PatientID, ds.Modality)
    print(ds.Rows, ds.Columns, ds.BitsAllocated, ds.SamplesPerPixel)
    print(ds.file_meta.TransferSyntaxUID)
    print("PixelData" in ds, len(ds.PixelData))
