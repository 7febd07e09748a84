"""Print whole datasets read from files, the first thing anyone does."""

# args: testfiles/mono8_explicit.dcm testfiles/rgb8_rle.dcm
# args: testfiles/rtplan_undefined_length_explicit.dcm
# args: testfiles/mono16_bigendian.dcm testfiles/mono16_deflated.dcm
import sys

import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    print(ds)
    print("=" * 20)
    print(repr(ds) == str(ds))
