"""pydicom.misc helpers: which files are DICOM, and defer sizes."""

# args: testfiles/mono8_explicit.dcm testfiles/mono16_explicit_nometa.dcm
# args: testfiles/README.md
import sys
from pathlib import Path

from pydicom.misc import is_dicom, size_in_bytes

for path in sys.argv[1:]:
    print(Path(path).name, is_dicom(path))
for expr in (None, 512, 2.5, "1024", "2 kb", "1.5 MB", "3 KiB", "1 gib", float("inf")):
    print(repr(expr), size_in_bytes(expr))
try:
    size_in_bytes("12 parsecs")
except ValueError as exc:
    print("ValueError", exc)
