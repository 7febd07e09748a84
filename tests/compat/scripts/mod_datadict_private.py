"""Private dictionaries added at run time, then used on a dataset."""

# args: testfiles/mono8_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.datadict import (
    add_dict_entries,
    add_dict_entry,
    add_private_dict_entries,
    add_private_dict_entry,
    get_private_entry,
    private_dictionary_description,
    private_dictionary_VM,
    private_dictionary_VR,
)

add_private_dict_entry("ACME Imaging 1.0", 0x00410001, "LO", "Acme Scanner Name")
add_private_dict_entries(
    "ACME Imaging 1.0",
    {
        0x00410002: ("DS", "3", "Acme Offsets", ""),
        0x00410003: ("US", "1-n", "Acme Counts", ""),
    },
)
print(get_private_entry(0x00411001, "ACME Imaging 1.0"))
print(get_private_entry(0x00412002, "ACME Imaging 1.0"))
print(private_dictionary_VR(0x00411003, "ACME Imaging 1.0"))
print(private_dictionary_VM(0x00411003, "ACME Imaging 1.0"))
print(private_dictionary_description(0x00411002, "ACME Imaging 1.0"))
for tag, creator in ((0x00411009, "ACME Imaging 1.0"), (0x00411001, "Nobody")):
    try:
        get_private_entry(tag, creator)
    except KeyError as exc:
        print("KeyError", exc)

add_dict_entry(0x10020010, "UL", "TestNumber", "Test Number", "1")
add_dict_entries({0x10020011: ("LO", "1", "Test Label", "", "TestLabel")})

ds = dcmread(sys.argv[1])
block = ds.private_block(0x0041, "ACME Imaging 1.0", create=True)
block.add_new(0x01, "LO", "Roadrunner 3000")
block.add_new(0x03, "US", [1, 2, 3])
print(ds[0x00411001].value, ds[0x00411001].VR, ds[0x00411003].value)
print(ds[0x00411001].name, ds[0x00411001].private_creator)
print(ds.private_creators(0x0041), 0x00411001 in ds)
ds.save_as("private.dcm")
again = dcmread("private.dcm")
print(again[0x00411001].value, again[0x00411003].value, again[0x00411003].VR)
print(again.get_private_item(0x0041, 0x03, "ACME Imaging 1.0").value)
ds.TestNumber = 42
ds.TestLabel = "label"
print(ds[0x10020010].VR, ds[0x10020010].name, ds[0x10020011].keyword)
ds.save_as("public.dcm")
print(dcmread("public.dcm").TestNumber)
