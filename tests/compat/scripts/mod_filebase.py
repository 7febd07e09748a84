"""Low-level buffers from pydicom.filebase, used to read and write by hand."""

# args: testfiles/mono8_explicit.dcm
import sys

from pydicom import dcmread, dcmwrite
from pydicom.filebase import DicomBytesIO, DicomFile, DicomFileLike

with open(sys.argv[1], "rb") as handle:
    data = handle.read()

buffer = DicomBytesIO(data)
ds = dcmread(buffer)
print(ds.Rows, ds.Columns, buffer.tell() == len(data))

out = DicomBytesIO()
dcmwrite(out, ds)
print(len(out.getvalue()), out.getvalue() == data)

raw = DicomBytesIO(data[132:])
raw.is_little_endian = True
raw.is_implicit_VR = False
print(raw.read_tag(), raw.read(2), raw.read_US(), raw.read_UL())

words = DicomBytesIO()
words.is_little_endian = False
words.write_tag(0x7FE00010)
words.write_US(0x0102)
words.write_UL(7)
print(words.getvalue().hex(), words.tell())
words.seek(0)
print(words.read_tag(), words.read_US(), words.read_UL())
try:
    words.read_exact(2)
except EOFError as exc:
    print("EOFError", exc)

with DicomFile(sys.argv[1], "rb") as wrapped:
    print(type(wrapped).__name__, wrapped.read(128) == bytes(128), wrapped.read(4))
with open(sys.argv[1], "rb") as handle:
    like = DicomFileLike(handle)
    print(dcmread(like).SOPClassUID.name)
