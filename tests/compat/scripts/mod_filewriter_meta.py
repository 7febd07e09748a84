"""A file assembled by hand from its parts, the way some libraries do it."""

# args: testfiles/mono8_explicit.dcm
import sys

from pydicom import dcmread
from pydicom.dataset import FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset, write_file_meta_info

source = dcmread(sys.argv[1])

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = source.SOPClassUID
meta.MediaStorageSOPInstanceUID = source.SOPInstanceUID
meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"

plain = DicomBytesIO()
write_file_meta_info(plain, meta, enforce_standard=False)
print(len(plain.getvalue()), "FileMetaInformationGroupLength" in meta)

buffer = DicomBytesIO()
buffer.is_little_endian = True
buffer.is_implicit_VR = False
buffer.write(b"\x00" * 128 + b"DICM")
write_file_meta_info(buffer, meta, enforce_standard=True)
print(sorted(f"{tag:08X}" for tag in meta.keys()))
print(meta.FileMetaInformationVersion, "ImplementationClassUID" in meta)
print(write_dataset(buffer, source) > 0)
with open("assembled.dcm", "wb") as handle:
    handle.write(buffer.getvalue())

back = dcmread("assembled.dcm")
print(back.SOPInstanceUID == source.SOPInstanceUID, back.Rows, back.Columns)
print(back.file_meta.TransferSyntaxUID.name, back.PixelData == source.PixelData)
