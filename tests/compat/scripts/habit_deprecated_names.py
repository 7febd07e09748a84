"""Names pydicom 3 deprecated that scripts still use, and their warnings."""

# args: testfiles/mono8_rle.dcm testfiles/ct_int16_explicit.dcm
import sys
import warnings

from pydicom import dcmread, dcmwrite
from pydicom.encaps import encapsulate


def show(caught):
    for warning in caught:
        print(" ", warning.category.__name__, warning.message)


ds = dcmread(sys.argv[1])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(ds.read_implicit_vr, ds.read_little_endian, ds.original_encoding)
    print(ds.is_implicit_VR, ds.is_little_endian)
show(caught)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ds.convert_pixel_data("pylibjpeg")
    print(ds.pixel_array.shape, int(ds.pixel_array.sum()))
show(caught)

import pydicom.encaps  # noqa: E402

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    value = encapsulate([b"\x01\x02\x03\x04", b"\x05\x06"])
    print(pydicom.encaps.defragment_data(value))
    print(pydicom.encaps.decode_data_sequence(value))
    print(list(pydicom.encaps.generate_pixel_data_frame(value, 2)))
show(caught)

full = dcmread(sys.argv[2])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    dcmwrite("like_original.dcm", full, write_like_original=True)
    full.save_as("enforced.dcm", write_like_original=False)
show(caught)
print(dcmread("enforced.dcm").file_meta.TransferSyntaxUID.name)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    dcmwrite("positional.dcm", full, False)
    full.save_as("positional_save.dcm", True)
show(caught)
try:
    dcmwrite("both.dcm", full, False, write_like_original=False)
except TypeError as exc:
    print("TypeError", exc)
