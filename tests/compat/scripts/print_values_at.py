"""Print tags and attribute tag (AT) values."""

from pydicom import Dataset
from pydicom.tag import Tag

ds = Dataset()
ds.FrameIncrementPointer = 0x00181063
ds.add_new(0x00209165, "AT", [0x00209056, 0x00209057])
ds.add_new(0x00209167, "AT", (0x0018, 0x9087))
ds.add_new(0x00081140, "SQ", [])
print(ds)
print(ds.FrameIncrementPointer, repr(ds.FrameIncrementPointer))
print(ds[0x00209165].value)
print(Tag(0x00100010), repr(Tag("PatientName")), Tag(0x0008, 0x0016))
print(str(Tag(0xFFFEE000)), Tag(0x7FE00010).group, Tag(0x7FE00010).element)
print(Tag("SOPClassUID").is_private, Tag(0x00091001).is_private)
print(f"{Tag(0x00280010)}", "%s" % Tag(0x00280011))  # noqa: UP031 - as users write it
