"""Print the text VRs: short and long, single and several values, empty."""

from pydicom import Dataset

ds = Dataset()
ds.Modality = "MR"
ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
ds.StationName = "SCANNER01"
ds.InstitutionName = "A Hospital With A Long Name"
ds.StudyDescription = ""
ds.ImageComments = "short"
ds.add_new(0x00102180, "SH", "Engineer")
ds.add_new(0x00324000, "LT", "A study comment that runs well past sixteen characters")
ds.add_new(0x00081030, "LO", "Brain ^ routine")
ds.add_new(0x00400254, "LO", ["one", "two", "three"])
ds.add_new(0x00081080, "LO", [])
ds.add_new(0x00181030, "LO", "protocol \\ with backslash")
ds.add_new(0x0040A160, "UT", "Findings: none. " * 3)
ds.add_new(0x0040A161, "UT", "tiny")
ds.add_new(0x00080119, "UC", "a long code value for UC, longer than 16")
ds.add_new(0x00080120, "UR", "http://example.com/a/b")
ds.add_new(0x00080054, "AE", ["STORESCP", "ARCHIVE"])
ds.add_new(0x00101010, "AS", "042Y")
ds.add_new(0x00324000, "ST", "")
ds.add_new(0x00189004, "CS", "RESEARCH")
ds.PatientSex = ""

print(ds)
for elem in ds:
    print(elem.keyword, elem.VM, repr(elem.value), elem.repval, sep=" | ")
print(ds.ImageType)
print(repr(ds.ImageType))
print(ds[0x00080080])
print(str(ds.StudyDescription) == "")
