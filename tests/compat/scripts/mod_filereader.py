"""Reading pieces of files with pydicom.filereader."""

# args: testfiles/ct_int16_explicit.dcm testfiles/mono16_explicit_nometa.dcm
import sys

from pydicom.filereader import (
    data_element_offset_to_value,
    dcmread,
    read_dataset,
    read_file_meta_info,
    read_partial,
    read_preamble,
)

with_meta, without_meta = sys.argv[1:]

meta = read_file_meta_info(with_meta)
print(meta.TransferSyntaxUID, meta.MediaStorageSOPClassUID.name)


def before_pixels(tag, vr, length):
    return tag == 0x7FE00010


with open(with_meta, "rb") as handle:
    ds = read_partial(handle, stop_when=before_pixels)
print(len(ds), "PixelData" in ds, ds.Modality, ds.file_meta.TransferSyntaxUID)

with open(without_meta, "rb") as handle:
    print(read_preamble(handle, True), handle.tell())
    bare = read_dataset(handle, False, True)
print(len(bare), bare.Rows, bare.SOPClassUID.name)

for implicit, vr in ((True, "OB"), (False, "OB"), (False, "SQ"), (False, "DS")):
    print(implicit, vr, data_element_offset_to_value(implicit, vr))

header = dcmread(with_meta, stop_before_pixels=True, specific_tags=["PatientName"])
print(list(header.keys()), header.PatientName)
