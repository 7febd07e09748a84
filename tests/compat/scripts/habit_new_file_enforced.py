"""A new file from scratch, saved with enforce_file_format=True."""

from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage

meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.10.999.1"
meta.TransferSyntaxUID = ExplicitVRLittleEndian

ds = Dataset()
ds.file_meta = meta
ds.SOPClassUID = SecondaryCaptureImageStorage
ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.999.1"
ds.PatientName = "Test^Firstname"
ds.PatientID = "123456"
ds.Modality = "OT"
ds.StudyDate = "20240101"
ds.ContentTime = "101010.5"
ds.Rows = 2
ds.Columns = 2
ds.BitsAllocated = 8
ds.BitsStored = 8
ds.HighBit = 7
ds.PixelRepresentation = 0
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.PixelData = b"\x00\x40\x80\xff"
ds.save_as("enforced.dcm", enforce_file_format=True)

back = dcmread("enforced.dcm")
print(back.preamble == b"\x00" * 128, sorted(back.file_meta.keys())[:4])
print(back.file_meta.FileMetaInformationVersion, back.file_meta.TransferSyntaxUID)
print(back.PatientName, back.pixel_array.tolist())

# The file meta's SOP UIDs follow the dataset's when they differ.
ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.999.2"
ds.save_as("renamed.dcm", enforce_file_format=True)
print(dcmread("renamed.dcm").file_meta.MediaStorageSOPInstanceUID)

bare = Dataset()
bare.file_meta = FileMetaDataset()
bare.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
bare.PatientName = "No^Uids"
try:
    bare.save_as("refused.dcm", enforce_file_format=True)
except AttributeError as exc:
    print("AttributeError", exc)
