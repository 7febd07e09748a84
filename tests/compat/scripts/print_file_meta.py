"""Print the File Meta Information and the transfer syntax's name."""

# args: testfiles/mono8_explicit.dcm testfiles/ct_int16_implicit.dcm
# args: testfiles/mono8_jpeg_baseline.dcm testfiles/mono12u_jpeg_extended.dcm
# args: testfiles/mono16_jpeg_sv1.dcm testfiles/rgb8_j2k.dcm
# args: testfiles/mono16_jpegls.dcm testfiles/mono16_deflated.dcm
import sys

from pydicom import dcmread

for path in sys.argv[1:]:
    ds = dcmread(path, stop_before_pixels=True)
    meta = ds.file_meta
    print(meta)
    print(repr(meta))
    print(meta.TransferSyntaxUID.name)
    print(meta["TransferSyntaxUID"])
    print(meta[0x0002, 0x0002].repval)
    print(f"{ds.SOPClassUID.name} / {ds.SOPClassUID}")
