"""Encapsulate frames taken from an RLE file by hand, save, and read back."""

# args: testfiles/mono16_5frames_rle.dcm
import sys

from pydicom import dcmread
from pydicom.encaps import (
    encapsulate,
    encapsulate_extended,
    generate_frames,
    get_frame,
    parse_basic_offsets,
)

ds = dcmread(sys.argv[1])
frames = list(generate_frames(ds.PixelData, number_of_frames=ds.NumberOfFrames))
print(len(frames), [len(frame) for frame in frames])
print(parse_basic_offsets(ds.PixelData))
print(len(get_frame(ds.PixelData, 3, number_of_frames=5)))

value = encapsulate(frames)
print(len(value), value[:8].hex(), value[-8:].hex())
print(parse_basic_offsets(value))
ds.PixelData = value
ds.save_as("basic.dcm")

value = encapsulate(frames, fragments_per_frame=3)
print(len(value), parse_basic_offsets(value))
ds.PixelData = value
ds.save_as("three_fragments.dcm")
again = dcmread("three_fragments.dcm")
print([len(f) for f in generate_frames(again.PixelData, number_of_frames=5)])

pixel_data, offsets, lengths = encapsulate_extended(frames)
print(len(pixel_data), offsets.hex(), lengths.hex())
ds.PixelData = pixel_data
ds.ExtendedOffsetTable = offsets
ds.ExtendedOffsetTableLengths = lengths
ds.save_as("extended.dcm")
again = dcmread("extended.dcm")
print(again.ExtendedOffsetTable == offsets, again["PixelData"].is_undefined_length)
