"""Change pixels through numpy and store them back as bytes, then save."""

# args: testfiles/ct_int16_explicit.dcm testfiles/mono16_5frames_rle.dcm
import sys

import numpy as np
from pydicom import dcmread
from pydicom.uid import ExplicitVRLittleEndian

ds = dcmread(sys.argv[1])
arr = ds.pixel_array
print(arr.dtype, arr.shape, int(arr.min()), int(arr.max()))
arr = np.clip(arr + 100, -1024, 3071).astype(arr.dtype)
ds.PixelData = arr.tobytes()
print(ds.pixel_array[0, :4].tolist(), ds["PixelData"].VR)
cropped = np.ascontiguousarray(arr[8:40, 16:48])
ds.Rows, ds.Columns = cropped.shape
ds.PixelData = cropped.tobytes()
ds.save_as("cropped.dcm")
back = dcmread("cropped.dcm")
print(back.Rows, back.Columns, back.pixel_array.shape, int(back.pixel_array.sum()))

multi = dcmread(sys.argv[2])
frames = multi.pixel_array_options(decoding_plugin="pydicom") or multi.pixel_array
print(frames.shape, frames.dtype)
multi.PixelData = frames[::2].tobytes()
multi.NumberOfFrames = frames[::2].shape[0]
multi.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
multi.save_as("every_other_frame.dcm")
back = dcmread("every_other_frame.dcm")
print(back.NumberOfFrames, back.pixel_array.shape, back["PixelData"].VR)
print(np.array_equal(back.pixel_array, frames[::2]))
