"""Print sequences, their items, and sequence elements."""

# args: testfiles/rtplan_undefined_length_explicit.dcm
# args: testfiles/rtplan_undefined_length_implicit.dcm
# args: testfiles/processing/voi_lut_sequence.dcm
import sys

import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    for elem in ds:
        if elem.VR != "SQ":
            continue
        print(elem)
        print(repr(elem.value))
        print(elem.value)
        for number, item in enumerate(elem.value):
            print(f"item {number}:")
            print(item)
            print(repr(item))
    if "BeamSequence" in ds:
        beam = ds.BeamSequence[0]
        print(beam.ControlPointSequence)
        print(beam.ControlPointSequence[1])
        print(beam["ControlPointSequence"])
