"""The dictionaries as pydicom exposes them: DicomDictionary and friends."""

from pydicom.datadict import (
    REPEATER_KEYWORDS,
    DicomDictionary,
    RepeatersDictionary,
    keyword_dict,
    private_dictionaries,
)
from pydicom.uid import UID_dictionary

for tag in (0x00100010, 0x00280030, 0x00080001, 0x7FE00010):
    print(f"{tag:08X}", DicomDictionary[tag], tag in DicomDictionary)
print(0x00090010 in DicomDictionary, DicomDictionary.get(0x00091001))
for keyword in ("PatientName", "Rows", "PixelData", "SOPInstanceUID"):
    print(keyword, hex(keyword_dict[keyword]), keyword in keyword_dict)
print("NotAKeyword" in keyword_dict, keyword_dict.get("NotAKeyword"))
print(RepeatersDictionary["60xx3000"], RepeatersDictionary["50xx3000"][4])
print("OverlayData" in REPEATER_KEYWORDS, "PatientName" in REPEATER_KEYWORDS)
print("ACME_TEST" in private_dictionaries)

for uid in ("1.2.840.10008.1.2", "1.2.840.10008.1.2.4.70", "1.2.840.10008.5.1.4.1.1.2"):
    name, kind, info, retired, keyword = UID_dictionary[uid]
    print(uid, name, "|", kind, "|", info, "|", repr(retired), "|", keyword)
print("1.2.3.4" in UID_dictionary, UID_dictionary["1.2.840.10008.1.2.2"][3])
