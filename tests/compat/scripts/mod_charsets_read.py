"""Names and texts in many character sets, read and taken apart."""

# args: testfiles/charsets/japanese.dcm testfiles/charsets/korean.dcm
# args: testfiles/charsets/latin1.dcm testfiles/charsets/utf8.dcm
# args: testfiles/charsets/greek.dcm
# args: testfiles/charsets/cyrillic.dcm testfiles/charsets/arabic.dcm
# args: testfiles/charsets/hebrew.dcm testfiles/charsets/thai.dcm
# args: testfiles/charsets/gb18030.dcm testfiles/charsets/katakana.dcm
import sys
from pathlib import Path

from pydicom import dcmread
from pydicom.valuerep import PersonName

for path in sys.argv[1:]:
    ds = dcmread(path)
    name = ds.PatientName
    print(Path(path).name, ds.SpecificCharacterSet)
    print(" ", "=".join(name.components), "|", name.family_name, "|", name.given_name)
    print(" ", name.alphabetic, "|", name.ideographic, "|", name.phonetic)
    print(" ", name.components)
    for keyword in ("InstitutionName", "PatientComments", "OtherPatientNames"):
        if keyword in ds:
            value = ds.data_element(keyword).value
            print(
                " ", keyword, [str(v) for v in value] if ds[keyword].VM > 1 else value
            )

name = PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
print(name.ideographic, name.phonetic, name.family_name)
print(PersonName.from_named_components(family_name="Doe", given_name="Jane"))
print(PersonName("Doe^Jane^^Dr.").formatted("%(name_prefix)s %(given_name)s"))
