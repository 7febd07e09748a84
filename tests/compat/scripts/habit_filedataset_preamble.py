"""The FileDataset recipe from pydicom's older examples, saved as it is."""

from pydicom import dcmread
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

for number, syntax in enumerate((ExplicitVRLittleEndian, ImplicitVRLittleEndian)):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    meta.MediaStorageSOPInstanceUID = f"1.2.3.{number}"
    meta.TransferSyntaxUID = syntax
    name = f"recipe_{number}.dcm"
    ds = FileDataset(name, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.PatientName = "Test^Firstname"
    ds.PatientID = "123456"
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.ImagePositionPatient = [0, 0, -12.5]
    ds.save_as(name)
    back = dcmread(name)
    print(name, back.file_meta.TransferSyntaxUID.name, back.ImagePositionPatient)
    print(back.original_encoding, "FileMetaInformationVersion" in back.file_meta)

# A FileDataset made without a transfer syntax is written in the encoding it
# was made with: implicit VR little endian by default.
ds = FileDataset("bare.dcm", {}, preamble=None)
ds.PatientName = "Implicit^Default"
ds.PatientWeight = 71
ds.save_as("bare.dcm")
back = dcmread("bare.dcm", force=True)
print(back.PatientName, back.PatientWeight, back.original_encoding)
