"""MultiValue: values of an element with more than one value."""

# args: testfiles/ct_int16_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.multival import MultiValue
from pydicom.valuerep import IS, DSfloat

values = MultiValue(DSfloat, ["1.5", "2", "-3.25"])
values.append("4")
values[0] = "0.5"
print(values, len(values), values == [0.5, 2.0, -3.25, 4.0], type(values[3]).__name__)
values.extend(["7", "8"])
values.insert(1, "9.0")
print(values, [str(v) for v in values], sorted(values)[0])
numbers = MultiValue(IS, ["1", "2"])
numbers += ["3"]
print(numbers, sum(numbers), isinstance(numbers, MultiValue))

ds = dcmread(sys.argv[1])
position = ds.ImagePositionPatient
print(type(position).__name__, position, [str(v) for v in position])
position[2] = "-100.5"
ds.ImagePositionPatient = position
ds.WindowWidth = MultiValue(DSfloat, ["400", "1500"])
ds.save_as("multival.dcm")
back = dcmread("multival.dcm")
print(back.ImagePositionPatient, back.WindowWidth, back.ImageOrientationPatient)
