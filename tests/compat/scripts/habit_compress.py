"""Compress with the encoder named as pydicom names it, then read back."""

# args: testfiles/mono8_explicit.dcm testfiles/rgb8_planar0_explicit.dcm
# args: testfiles/ct_int16_explicit.dcm
import sys
from pathlib import Path

import numpy as np
from pydicom import dcmread
from pydicom.uid import JPEG2000Lossless, RLELossless

for path in sys.argv[1:]:
    ds = dcmread(path)
    original = ds.pixel_array.copy()
    ds.compress(RLELossless, encoding_plugin="pydicom", generate_instance_uid=False)
    print(Path(path).name, ds.file_meta.TransferSyntaxUID.name, ds["PixelData"].VR)
    print(ds["PixelData"].is_undefined_length, ds.PhotometricInterpretation)
    ds.decompress(decoding_plugin="pydicom", generate_instance_uid=False)
    print(np.array_equal(ds.pixel_array, original), ds.file_meta.TransferSyntaxUID.name)

ds = dcmread(sys.argv[3])
original = ds.pixel_array.copy()
ds.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg", generate_instance_uid=False)
print(ds.file_meta.TransferSyntaxUID.name, ds.get("LossyImageCompression"))
back = ds.pixel_array_options(decoding_plugin="pylibjpeg") or ds.pixel_array
print(np.array_equal(back, original), back.dtype)
ds.save_as("j2k.dcm")
print(np.array_equal(dcmread("j2k.dcm").pixel_array, original))
