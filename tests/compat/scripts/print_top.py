"""Print only the top level of datasets with sequences."""

# args: testfiles/rtplan_undefined_length_explicit.dcm
# args: testfiles/processing/enhanced_ct_per_frame.dcm
# args: testfiles/processing/enhanced_ct_shared.dcm
import sys

import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    print(ds.top())
    print("-" * 10)
    first = next(elem for elem in ds if elem.VR == "SQ")
    print(first.value[0].top())
