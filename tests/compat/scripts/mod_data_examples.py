"""pydicom.examples and pydicom.data: the parts each example file plays.

The files' contents differ between the libraries; this prints what they share.
"""

from pathlib import Path

from pydicom import dcmread, examples
from pydicom.data import get_testdata_file

for name in ("CT_small.dcm", "MR_small.dcm", "rtplan.dcm"):
    path = get_testdata_file(name)
    print(Path(path).name, dcmread(path, force=True).get("Modality"))
print(get_testdata_file("CT_small.dcm", read=True).SOPClassUID.name)

print(examples.ct.Modality, examples.mr.Modality, examples.rt_plan.Modality)
print(examples.rgb_color.PhotometricInterpretation, examples.rgb_color.SamplesPerPixel)
print(examples.ybr_color.file_meta.TransferSyntaxUID.name)
print(examples.ybr_color.PhotometricInterpretation)
print(examples.jpeg2k.file_meta.TransferSyntaxUID.name)
print(examples.palette_color.PhotometricInterpretation)
print(len(examples.no_meta.file_meta), examples.get_path("ct").name)
print(examples.ct.pixel_array.dtype, Path(get_testdata_file("no_meta.dcm")).name)
try:
    examples.get_path("nothing")
except ValueError as exc:
    print("ValueError", exc)
