"""Edit names with accents and ideographs, declare the character set, save."""

# args: testfiles/charsets/latin1.dcm testfiles/charsets/japanese.dcm
# args: testfiles/charsets/nested.dcm
import sys

from pydicom import dcmread

latin, japanese, nested = sys.argv[1:]

ds = dcmread(latin)
ds.PatientName = "Müller^Zoë"
ds.InstitutionName = "Hôpital Saint-Éloi"
ds.save_as("latin1_edited.dcm")
back = dcmread("latin1_edited.dcm")
print(back.SpecificCharacterSet, back.PatientName, back.InstitutionName)

ds.SpecificCharacterSet = "ISO_IR 192"
ds.PatientName = "Wang^XiaoDong=王^小東"
ds.save_as("utf8_edited.dcm")
back = dcmread("utf8_edited.dcm")
print(back.SpecificCharacterSet, back.PatientName, back.PatientName.ideographic)

ds = dcmread(japanese)
ds.PatientName = "Suzuki^Hanako=鈴木^花子=すずき^はなこ"
ds.save_as("japanese_edited.dcm")
back = dcmread("japanese_edited.dcm")
print(back.PatientName.ideographic, back.PatientName.phonetic)

ds = dcmread(nested)
item = ds.RequestAttributesSequence[0]
print(item.get("SpecificCharacterSet"), item.ScheduledProcedureStepDescription)
ds.save_as("nested_copy.dcm")
