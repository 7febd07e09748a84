"""Private blocks: reserve, add, find and remove private elements, and save."""

# args: testfiles/mono16_explicit.dcm
import sys

from pydicom import dcmread

ds = dcmread(sys.argv[1])
print(ds.private_creators(0x0009) if 0x00090010 in ds else [])
block = ds.private_block(0x0009, "DICOMCORE TEST", create=True)
block.add_new(0x01, "LO", "first value")
block.add_new(0x02, "US", 512)
block.add_new(0x03, "DS", ["1.5", "2.5"])
print(block.get_tag(0x02), block[0x01].value, 0x03 in block, 0x04 in block)
other = ds.private_block(0x0009, "ANOTHER CREATOR", create=True)
other.add_new(0x10, "SH", "second")
print(ds.private_creators(0x0009), other.block_start)
print(ds[0x00091001].private_creator, ds[0x00091110].value)
print(ds.get_private_item(0x0009, 0x03, "DICOMCORE TEST").value)
ds.save_as("private.dcm")

back = dcmread("private.dcm")
print(back[0x00090010].value, back[0x00090011].value, back[0x00091002].value)
print([str(e.tag) for e in back if e.tag.is_private])
del back.private_block(0x0009, "DICOMCORE TEST")[0x02]
print([str(e.tag) for e in back if e.tag.is_private])
back.remove_private_tags()
print([str(e.tag) for e in back if e.tag.is_private])
back.save_as("no_private.dcm")
try:
    back.private_block(0x0009, "MISSING")
except KeyError as exc:
    print("KeyError", exc.args[0])
