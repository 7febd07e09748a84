"""Walk a dataset with formatted_lines(), iterall() and walk()."""

# args: testfiles/rtplan_undefined_length_explicit.dcm
import sys

from pydicom import dcmread

ds = dcmread(sys.argv[1])
for line in ds.formatted_lines():
    print(line)
for line in ds.formatted_lines(
    element_format="%(keyword)s (%(VR)s, VM %(VM)s) = %(repval)s",
    sequence_element_format="%(name)s: %(VM)s item(s)",
):
    print(line)
for elem in ds.iterall():
    print(elem.tag, elem.keyword)


def show(dataset, elem):
    if elem.VR == "SQ":
        print("sequence", elem.name, len(elem.value))
    else:
        print(elem)


ds.walk(show)
