"""Print DS and IS values as written, as numbers and as text."""

import pydicom

ds = pydicom.Dataset()
ds.SliceThickness = "1.50"
ds.PixelSpacing = ["0.5", "0.50"]
ds.ImagePositionPatient = [-1.0, 2.5, "3"]
ds.SpacingBetweenSlices = 2.0
ds.WindowCenter = ["40", "-600.0"]
ds.WindowWidth = 400.25
ds.RescaleIntercept = "-1024"
ds.RescaleSlope = 1.0
ds.InstanceNumber = "+07"
ds.SeriesNumber = 3
ds.AcquisitionNumber = " 12 "
ds.ReferencedFrameNumber = ["1", "+2", "003"]
ds.NumberOfFrames = "10"
ds.EchoTime = "1e2"
ds.add_new(0x00180087, "DS", "1.5E+00")

print(ds)
for elem in ds:
    print(elem.keyword, repr(elem.value), str(elem.value), sep=" | ")
ds.SliceThickness = "2.50"
print(repr(ds.SliceThickness), str(ds.SliceThickness), ds["SliceThickness"])
ds.SliceThickness = 0.125
print(repr(ds.SliceThickness), str(ds.SliceThickness), ds["SliceThickness"])
ds.SeriesNumber = " 5 "
print(repr(ds.SeriesNumber), str(ds.SeriesNumber), ds["SeriesNumber"])
print(ds.PixelSpacing, ds.ReferencedFrameNumber)
print(ds.InstanceNumber + 1, ds.SliceThickness * 2)
