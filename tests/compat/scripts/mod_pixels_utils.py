"""pydicom.pixels.utils on files of several layouts."""

# args: testfiles/mono16_5frames_rle.dcm testfiles/rgb8_planar1_explicit.dcm
# args: testfiles/ct_int16_bigendian.dcm testfiles/mono1_3frames_explicit.dcm
# args: testfiles/processing/ybr_partial_422.dcm
import sys
from pathlib import Path

import numpy as np
from pydicom import dcmread
from pydicom.encaps import generate_frames
from pydicom.pixels.utils import (
    as_pixel_options,
    expand_ybr422,
    get_expected_length,
    get_j2k_parameters,
    get_nr_frames,
    pack_bits,
    pixel_dtype,
    reshape_pixel_array,
    unpack_bits,
)

for path in sys.argv[1:]:
    ds = dcmread(path)
    print(as_pixel_options(ds))
    print(as_pixel_options(ds, as_rgb=False, index=0)["as_rgb"])
    print(get_expected_length(ds), get_expected_length(ds, "pixels"), get_nr_frames(ds))
    if ds.BitsAllocated in (1, 16):
        print(pixel_dtype(ds), pixel_dtype(ds, as_float=True))

ds = dcmread(sys.argv[2])
flat = np.frombuffer(ds.PixelData, dtype=pixel_dtype(ds))
shaped = reshape_pixel_array(ds, flat)
print(shaped.shape, shaped[0, 0].tolist(), shaped[31, 5].tolist())

ds = dcmread(sys.argv[3])
flat = np.frombuffer(ds.PixelData, dtype=pixel_dtype(ds))
print(reshape_pixel_array(ds, flat)[10, :5].tolist())

ds = dcmread(sys.argv[1])
frames = ds.pixel_array.reshape(-1)
print(reshape_pixel_array(ds, frames).shape)

print(expand_ybr422(bytes(range(12)), 8).hex())
print(expand_ybr422(bytes(range(16)), 16).hex())
bits = np.array([1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0], dtype=np.uint8)
print(pack_bits(bits), pack_bits(bits[:8], pad=False))
print(unpack_bits(b"\x0d\x03").tolist(), unpack_bits(b"\x81", as_array=False))

for path in ("testfiles/mono12s_j2k.dcm", "testfiles/rgb8_j2k.dcm"):
    ds = dcmread(Path(sys.argv[1]).parents[0] / Path(path).name)
    frame = next(generate_frames(ds.PixelData, number_of_frames=1))
    print(get_j2k_parameters(frame), get_j2k_parameters(frame[:20]))
