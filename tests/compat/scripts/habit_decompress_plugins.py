"""Decompress with the plugin named, as pydicom scripts name them."""

# args: testfiles/mono8_rle.dcm testfiles/rgb8_rle.dcm testfiles/mono16_j2k.dcm
# args: testfiles/mono8_jpegls.dcm testfiles/mono16_jpeg_sv1.dcm
import sys
from pathlib import Path

import numpy as np
from pydicom import dcmread

PLUGINS = {
    "1.2.840.10008.1.2.5": ["pydicom", "pylibjpeg"],
    "1.2.840.10008.1.2.4.90": ["pylibjpeg"],
    "1.2.840.10008.1.2.4.80": ["pyjpegls", "pylibjpeg"],
    "1.2.840.10008.1.2.4.70": ["pylibjpeg"],
}

for path in sys.argv[1:]:
    for plugin in PLUGINS[dcmread(path).file_meta.TransferSyntaxUID]:
        ds = dcmread(path)
        arr = ds.pixel_array_options(decoding_plugin=plugin) or ds.pixel_array
        print(Path(path).name, plugin, arr.shape, arr.dtype, int(arr.sum()))
        ds.decompress(plugin, generate_instance_uid=False)
        print(ds.file_meta.TransferSyntaxUID.name, ds.PhotometricInterpretation)
        print(len(ds.PixelData), ds["PixelData"].VR, ds.get("PlanarConfiguration"))
        print(np.array_equal(ds.pixel_array, arr))
        ds.save_as(f"{Path(path).stem}_{plugin}.dcm")

ds = dcmread(sys.argv[0 + 1])
ds.decompress(decoding_plugin="pydicom", generate_instance_uid=False)
print(ds.file_meta.TransferSyntaxUID.name, ds.SOPInstanceUID)
