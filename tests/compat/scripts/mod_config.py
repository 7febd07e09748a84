"""Validation switches from pydicom.config, around editing and saving."""

# args: testfiles/mono8_explicit.dcm
import sys
import warnings

import pydicom.config
from pydicom import config, dcmread

ds = dcmread(sys.argv[1])
config.settings.writing_validation_mode = config.RAISE
with config.disable_value_validation():
    ds.PatientID = "x" * 70
    ds.save_as("too_long.dcm")
print(config.settings.writing_validation_mode == config.RAISE)
print(len(dcmread("too_long.dcm").PatientID))

with config.strict_reading():
    print(config.settings.reading_validation_mode == config.RAISE)
    print(dcmread(sys.argv[1]).Rows)
print(config.settings.reading_validation_mode == config.RAISE)

config.INVALID_KEYWORD_BEHAVIOR = "RAISE"
try:
    ds.PatientNmae = "Typo^Name"
except ValueError as exc:
    print("ValueError", exc)
config.INVALID_KEYWORD_BEHAVIOR = "IGNORE"
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ds.PatientNmae = "Typo^Name"
print(len(caught), ds.PatientNmae)
print(pydicom.config.IGNORE, pydicom.config.WARN, pydicom.config.RAISE)
