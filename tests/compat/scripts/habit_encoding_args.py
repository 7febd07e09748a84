"""Encodings chosen with implicit_vr= and little_endian= when saving."""

# args: testfiles/ct_int16_implicit_nometa.dcm testfiles/ct_int16_explicit.dcm
import sys

from pydicom import dcmread, dcmwrite

bare = dcmread(sys.argv[1], force=True)
print(bare.original_encoding, len(bare.file_meta))
bare.save_as("bare_same.dcm")
dcmwrite("bare_explicit.dcm", bare, implicit_vr=False)
# pydicom writes OW Pixel Data unswapped in big endian; leave it out.
del bare.PixelData
dcmwrite("bare_big.dcm", bare, implicit_vr=False, little_endian=False)
for name in ("bare_same.dcm", "bare_explicit.dcm", "bare_big.dcm"):
    back = dcmread(name, force=True)
    print(name, back.original_encoding, back.PatientName, back.Rows)

full = dcmread(sys.argv[2])
full.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"
full.save_as("now_implicit.dcm", implicit_vr=True, little_endian=True)
back = dcmread("now_implicit.dcm")
print(back.file_meta.TransferSyntaxUID.name, back.original_encoding)
try:
    full.save_as("conflict.dcm", implicit_vr=False)
except ValueError:
    print("ValueError")
