"""force_encoding=True: a data set written in the encoding asked for."""

# args: testfiles/mono8_explicit.dcm
import sys
from io import BytesIO

from pydicom import dcmread, dcmwrite
from pydicom.dataset import Dataset

ds = dcmread(sys.argv[1])
dcmwrite(
    "forced_implicit.dcm", ds, implicit_vr=True, little_endian=True, force_encoding=True
)
with open("forced_implicit.dcm", "rb") as handle:
    data = handle.read()
print(
    len(data), data[128:132], dcmread("forced_implicit.dcm").file_meta.TransferSyntaxUID
)

bare = Dataset()
bare.PatientName = "Forced^Big"
bare.Rows = 4
buffer = BytesIO()
dcmwrite(buffer, bare, implicit_vr=False, little_endian=False, force_encoding=True)
print(buffer.getvalue().hex())
for arguments in ({"implicit_vr": True}, {"little_endian": True}):
    try:
        dcmwrite(BytesIO(), bare, force_encoding=True, **arguments)
    except ValueError as exc:
        print("ValueError", exc)
try:
    dcmwrite(
        BytesIO(),
        ds,
        implicit_vr=True,
        little_endian=True,
        force_encoding=True,
        enforce_file_format=True,
    )
except ValueError as exc:
    print("ValueError", exc)
