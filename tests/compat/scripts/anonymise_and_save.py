"""Blank the patient's name and ID and save a copy, the way most scripts do."""

# args: testfiles/ct_int16_explicit.dcm testfiles/ct_int16_implicit.dcm
import sys
from pathlib import Path

from pydicom import dcmread

for number, path in enumerate(sys.argv[1:]):
    ds = dcmread(path)
    ds.PatientName = "Anonymous"
    ds.PatientID = "0000"
    ds.remove_private_tags()
    ds.save_as(f"anonymous_{number}.dcm")
    print(Path(path).name, "->", f"anonymous_{number}.dcm", ds.PatientName)
