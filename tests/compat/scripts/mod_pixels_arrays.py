"""pydicom.pixels: arrays from paths, one frame at a time, and set_pixel_data."""

# args: testfiles/mono16_5frames_explicit.dcm testfiles/mono16_5frames_rle.dcm
# args: testfiles/mono8_explicit.dcm
import sys

import numpy as np
from pydicom import dcmread
from pydicom.pixels import iter_pixels, pixel_array, set_pixel_data
from pydicom.pixels.utils import get_expected_length

native, rle, small = sys.argv[1:]

whole = pixel_array(native)
print(whole.shape, whole.dtype, int(whole.sum()))
third = pixel_array(rle, index=2, decoding_plugin="pydicom")
print(third.shape, np.array_equal(third, whole[2]))
for index, frame in enumerate(iter_pixels(rle, decoding_plugin="pydicom")):
    print(index, frame.shape, int(frame[0, 0]), int(frame.max()))
print([f.shape for f in iter_pixels(native, indices=[0, 4])])

ds = dcmread(small)
arr = (np.arange(64 * 48, dtype=np.uint16) % 4096).reshape(64, 48)
set_pixel_data(ds, arr, "MONOCHROME2", 12, generate_instance_uid=False)
print(ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit)
print(ds.PixelRepresentation, ds["PixelData"].VR, get_expected_length(ds))
print(np.array_equal(ds.pixel_array, arr))
ds.save_as("set_pixels.dcm")

rgb = np.zeros((8, 10, 3), dtype=np.uint8)
rgb[..., 0] = 255
rgb[2:5, 3:7, 2] = 128
ds.set_pixel_data(rgb, "RGB", 8, generate_instance_uid=False)
print(ds.SamplesPerPixel, ds.PlanarConfiguration, ds.PhotometricInterpretation)
print(ds.pixel_array[3, 4].tolist(), len(ds.PixelData))
ds.save_as("set_rgb.dcm")
