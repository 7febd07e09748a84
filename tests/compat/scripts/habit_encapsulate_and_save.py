"""Frames encoded elsewhere, encapsulated by hand into a new RLE file."""

# args: testfiles/mono8_rle.dcm testfiles/mono8_explicit.dcm
import sys

import numpy as np
from pydicom import dcmread
from pydicom.encaps import encapsulate, generate_frames
from pydicom.uid import RLELossless

rle, native = sys.argv[1:]
frames = list(generate_frames(dcmread(rle).PixelData, number_of_frames=1))

ds = dcmread(native)
expected = ds.pixel_array.copy()
ds.file_meta.TransferSyntaxUID = RLELossless
ds.PixelData = encapsulate(frames * 3)
ds.NumberOfFrames = 3
ds.save_as("three_frames.dcm")
back = dcmread("three_frames.dcm")
print(back.file_meta.TransferSyntaxUID.name, back["PixelData"].is_undefined_length)
print(back["PixelData"].VR, back.NumberOfFrames)
arr = back.pixel_array_options(decoding_plugin="pydicom") or back.pixel_array
print(arr.shape, all(np.array_equal(frame, expected) for frame in arr))
