"""Elements made with the dictionary's ambiguous VR, resolved on saving."""

# args: testfiles/ct_int16_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.datadict import dictionary_VR
from pydicom.dataelem import DataElement
from pydicom.filewriter import correct_ambiguous_vr

ds = dcmread(sys.argv[1])
print(ds.PixelRepresentation, dictionary_VR(0x00280106), dictionary_VR(0x7FE00010))
ds.add(DataElement(0x00280106, dictionary_VR(0x00280106), -2000))
ds.add(DataElement(0x00280107, dictionary_VR(0x00280107), 3000))
correct_ambiguous_vr(ds, True)
print(ds[0x00280106].VR, ds[0x00280106].value, ds[0x00280107].VR, ds["PixelData"].VR)
ds.save_as("smallest_largest.dcm")
back = dcmread("smallest_largest.dcm")
print(back.SmallestImagePixelValue, back.LargestImagePixelValue)
print(back[0x00280106].VR, back["PixelData"].VR)
