"""Print private blocks: creators, known and unknown private elements."""

from pydicom import Dataset

ds = Dataset()
ds.PatientName = "Private^Test"
block = ds.private_block(0x0011, "MY ORGANISATION 1.0", create=True)
block.add_new(0x01, "LO", "first private value")
block.add_new(0x02, "US", 12)
block.add_new(0x03, "OB", b"\x01\x02\x03\x04")
other = ds.private_block(0x0011, "ANOTHER CREATOR", create=True)
other.add_new(0x10, "SH", "second")
ds.add_new(0x00131010, "LO", "no creator")
ds.add_new(0x00130010, "LO", "LATE CREATOR")
print(ds)
for elem in ds:
    print(elem.tag, repr(elem.name), elem.is_private, elem.private_creator)
print(ds.private_creators(0x0011))
print(block[0x01])
print(ds[0x00111001].name, ds[0x00111110].name)
ds.remove_private_tags()
print(ds)
