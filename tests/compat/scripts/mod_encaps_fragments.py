"""Walk the fragments of encapsulated files with pydicom.encaps."""

# args: testfiles/mono8_jpeg_baseline.dcm testfiles/rgb8_j2k.dcm
# args: testfiles/mono16_5frames_jpeg_sv1.dcm
import sys

from pydicom import dcmread
from pydicom.encaps import (
    fragment_frame,
    generate_fragmented_frames,
    generate_fragments,
    itemize_fragment,
    itemize_frame,
    parse_fragments,
)

for path in sys.argv[1:]:
    ds = dcmread(path)
    data = ds.PixelData
    table_length = int.from_bytes(data[4:8], "little")
    count, offsets = parse_fragments(data[8 + table_length :])
    print(ds.file_meta.TransferSyntaxUID.name, count, offsets[:4])
    sizes = [len(fragment) for fragment in generate_fragments(data[8 + table_length :])]
    print(sizes[:6])
    number = ds.get("NumberOfFrames", 1)
    for frame in generate_fragmented_frames(data, number_of_frames=number):
        print(len(frame), [fragment[:2].hex() for fragment in frame])

print([len(piece) for piece in fragment_frame(b"\x01" * 11, nr_fragments=3)])
print(itemize_fragment(b"\x01\x02\x03").hex())
print([item.hex() for item in itemize_frame(b"abcdefg", 2)])
