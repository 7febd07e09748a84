"""Submodules reached from a bare `import pydicom`, as many scripts do."""

# args: testfiles/mono16_5frames_explicit.dcm
import sys

import pydicom

path = sys.argv[1]
print(
    pydicom.datadict.keyword_for_tag(0x00280010),
    pydicom.datadict.dictionary_VR(0x00280030),
)
print(
    pydicom.valuerep.DA("20240102").year,
    pydicom.valuerep.PersonName("Doe^Jo").given_name,
)
print(pydicom.multival.MultiValue(int, ["1", "2"]), pydicom.misc.is_dicom(path))
print(pydicom.uid.generate_uid("1.2.3.", ["a"]), pydicom.uid.RLELossless.name)
print(pydicom.config.WARN, pydicom.encaps.encapsulate([b"\x01\x02"]).hex())
print(pydicom.pixel_array(path).shape, [f.shape for f in pydicom.iter_pixels(path)][:2])
print(pydicom.filereader.dcmread(path).NumberOfFrames)
print(type(pydicom.filebase.DicomBytesIO()).__name__)
print(
    pydicom.examples.get_path("ct").name,
    pydicom.dcmwrite is pydicom.filewriter.dcmwrite,
)
