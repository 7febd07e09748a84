"""Dictionary look-ups through pydicom.datadict, unpacking entries by position."""

from pydicom.datadict import (
    dictionary_description,
    dictionary_has_tag,
    dictionary_is_retired,
    dictionary_keyword,
    dictionary_VM,
    dictionary_VR,
    get_entry,
    keyword_for_tag,
    mask_match,
    repeater_has_keyword,
    repeater_has_tag,
    tag_for_keyword,
)

for tag in (0x00100010, 0x00280010, 0x00080001, 0x7FE00010, 0x60023000, 0x00181030):
    vr, vm, name, retired, keyword = get_entry(tag)
    print(f"{tag:08X}", vr, vm, name, repr(retired), keyword)
print(
    dictionary_VR("PatientID"),
    dictionary_VM(0x00200032),
    dictionary_keyword(0x00200013),
)
print(dictionary_description(0x00280030), dictionary_is_retired(0x00080001))
print(dictionary_has_tag(0x00100010), dictionary_has_tag(0x00090010))
print(
    dictionary_has_tag(0x60023000), repeater_has_tag(0x60023000), mask_match(0x60043000)
)
print(repr(keyword_for_tag(0x00091001)), keyword_for_tag(0x00100020))
print(tag_for_keyword("SOPInstanceUID"), tag_for_keyword("NotAKeyword"))
print(repeater_has_keyword("OverlayData"), repeater_has_keyword("PatientName"))
for tag in (0x00090010, 0x00080000, 0x00091001):
    try:
        get_entry(tag)
    except KeyError as exc:
        print("KeyError", exc)
