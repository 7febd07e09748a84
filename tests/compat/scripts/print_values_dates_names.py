"""Print dates, times and person names, one and several."""

# args: testfiles/charsets/greek.dcm testfiles/charsets/japanese.dcm
# args: testfiles/charsets/korean.dcm testfiles/charsets/utf8.dcm
import sys

import pydicom

ds = pydicom.Dataset()
ds.StudyDate = "20240229"
ds.StudyTime = "101112.123"
ds.AcquisitionDateTime = "20240229101112.5+0100"
ds.PatientBirthDate = ""
ds.PatientName = "Doe^John^Q^Dr^Jr"
ds.ReferringPhysicianName = "Smith^Anne=スミス^アン"
ds.OtherPatientNames = ["Roe^Richard", "Poe^Edgar"]
ds.PerformingPhysicianName = ""
ds.add_new(0x00080022, "DA", ["20240101", "20240102"])
ds.add_new(0x00080032, "TM", "0930")
print(ds)
print(ds.PatientName, repr(ds.PatientName))
print(ds.PatientName.family_name, ds.PatientName.given_name)
print(ds.OtherPatientNames, repr(ds.OtherPatientNames))
print(ds.ReferringPhysicianName.ideographic)
print(ds["StudyDate"].repval, ds["AcquisitionDate"].repval)

for path in sys.argv[1:]:
    read = pydicom.dcmread(path)
    print(read.SpecificCharacterSet)
    print(read["PatientName"])
    print(repr(read.PatientName))
