"""Dates and times built with valuerep's classes, compared and written back."""

# args: testfiles/ct_int16_explicit.dcm
import datetime
import sys

from pydicom import dcmread
from pydicom.valuerep import DA, DT, TM

print(DA("20200102") == datetime.date(2020, 1, 2), DA("") is None, DA(None))
print(repr(DA("20200102")), str(DA(datetime.date(1999, 12, 31))))
print(TM("1010") == datetime.time(10, 10), repr(TM("101010.25")), TM("") is None)
print(TM(datetime.time(7, 8, 9, 500)), TM("235960"))
stamp = DT("20200102030405.5+0100")
print(stamp.isoformat(), stamp.tzinfo, stamp.utcoffset(), repr(stamp))
print(DT(datetime.datetime(2021, 2, 3, 4, 5, 6)), DT("2021").year, DT("") is None)
print(
    isinstance(DA("20200102"), datetime.date), isinstance(DT("2020"), datetime.datetime)
)
print(sorted([DA("20201231"), DA("20200101"), DA("20200615")]))

ds = dcmread(sys.argv[1])
ds.StudyDate = DA("20240229")
ds.StudyTime = TM("1010")
ds.ContentDate = DA(datetime.date(2001, 2, 3))
ds.AcquisitionDateTime = DT("20240229121314")
print(ds.StudyDate, ds.StudyTime, ds.ContentDate, ds.AcquisitionDateTime)
ds.save_as("dates.dcm")
again = dcmread("dates.dcm")
print(again.StudyDate, again.StudyTime, again.ContentDate, again.AcquisitionDateTime)
