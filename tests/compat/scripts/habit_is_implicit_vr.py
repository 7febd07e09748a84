"""Encoding set by hand with ds.is_implicit_VR and ds.is_little_endian."""

# args: testfiles/mono16_explicit_nometa.dcm
import sys
import warnings

from pydicom import dcmread, dcmwrite

for implicit, little in ((True, True), (False, False), (False, True)):
    ds = dcmread(sys.argv[1], force=True)
    # pydicom writes OW Pixel Data unswapped in big endian; leave it out.
    del ds.PixelData
    print(ds.is_implicit_VR, ds.is_little_endian, len(ds.file_meta))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds.is_implicit_VR = implicit
        ds.is_little_endian = little
    for warning in caught:
        print(warning.category.__name__, warning.message)
    print(ds.is_implicit_VR, ds.is_little_endian)
    name = f"hand_{int(implicit)}{int(little)}.dcm"
    # pydicom's save_as() refuses to change the byte order; dcmwrite() does it.
    dcmwrite(name, ds)
    back = dcmread(name, force=True)
    print(name, back.original_encoding, back.Rows, back.PatientName)
