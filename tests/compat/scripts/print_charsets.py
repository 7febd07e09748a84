"""Print files whose text is in other character sets."""

# args: testfiles/charsets/greek.dcm testfiles/charsets/japanese.dcm
# args: testfiles/charsets/korean.dcm testfiles/charsets/utf8.dcm
# args: testfiles/charsets/arabic.dcm testfiles/charsets/katakana.dcm
# args: testfiles/charsets/gbk.dcm
import sys

import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    print(ds)
    print(ds.PatientName)
