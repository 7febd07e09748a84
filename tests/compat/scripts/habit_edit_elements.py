"""Everyday edits: add, change, delete, walk, remove private tags, save."""

# args: testfiles/ct_int16_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.dataelem import DataElement
from pydicom.tag import Tag

ds = dcmread(sys.argv[1])
ds.add_new(0x00101010, "AS", "042Y")
ds.add(DataElement(0x00081030, "LO", "Study of the head"))
ds[0x00200011].value = 7
ds.SliceThickness = 2.5
ds.PixelSpacing = [0.5, 0.5]
ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
ds.WindowCenter = [40, 400]
ds.setdefault("StationName", "CT01")
print(ds.PatientAge, ds.StudyDescription, ds.SeriesNumber, ds.SliceThickness)
print(ds.PixelSpacing, ds.ImageType, ds.WindowCenter, ds.StationName)
del ds.AccessionNumber
print("AccessionNumber" in ds, Tag("PatientID") in ds, ds.get("NotThere", "x"))


def blank_names(dataset, element):
    if element.VR == "PN":
        element.value = "Anonymous"


ds.walk(blank_names)
ds.remove_private_tags()
print(ds.PatientName, len([e for e in ds if e.tag.is_private]))
ds.save_as("edited.dcm")
back = dcmread("edited.dcm")
print(back.PatientAge, back.SeriesNumber, back.SliceThickness, back.PixelSpacing)
print(back.WindowCenter, back.ImageType, back.PatientName)
print(back.pixel_array.shape, int(back.pixel_array.mean()))
