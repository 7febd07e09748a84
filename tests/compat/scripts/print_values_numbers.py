"""Print elements of the binary number VRs: single, several, many, none."""

from pydicom.dataset import Dataset

ds = Dataset()
ds.Rows = 512
ds.Columns = 0
ds.add_new(0x00280107, "US", 65535)
ds.PixelRepresentation = 1
ds.add_new(0x00283002, "US", [256, 0, 16])
ds.add_new(0x00280106, "SS", -32768)
ds.ReferencedFrameNumber = 7
ds.SimpleFrameList = [1, 2, 3, 4]
ds.FrameTime = 33.3
ds.add_new(0x00189087, "FD", 1000.5)
ds.ImageOrientationVolume = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
ds.add_new(0x00209158, "LT", "Frame comments")
ds.add_new(0x00181310, "US", [0, 64, 64, 0])
ds.add_new(0x00281040, "CS", "LIN")
ds.add_new(0x00209057, "UL", list(range(16)))
ds.add_new(0x00209128, "UL", list(range(17)))
ds.add_new(0x00620005, "US", None)
ds.add_new(0x00460044, "FD", [])
ds.add_new(0x0040A0B0, "US", list(range(40)))
ds.add_new(0x00720064, "SV", -(2**40))
ds.add_new(0x00720066, "UV", 2**63)

print(ds)
for elem in ds:
    print(elem.keyword, elem.VM, repr(elem.value), elem.repval, sep=" | ")
print(ds.ImageOrientationVolume)
print(repr(ds.SimpleFrameList))
print(str(ds.SimpleFrameList))
