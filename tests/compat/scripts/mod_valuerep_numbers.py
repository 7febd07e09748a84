"""Number strings and names from valuerep: DS, IS, PersonName and VR facts."""

from decimal import Decimal

from pydicom.valuerep import (
    DS,
    IS,
    VR,
    DSdecimal,
    DSfloat,
    PersonName,
    format_number_as_ds,
    is_valid_ds,
)

print(DS("1.50"), DS("1.50") == 1.5, isinstance(DS("2"), DSfloat), str(DSfloat(0.5)))
print(str(DSfloat(1 / 3, auto_format=True)), format_number_as_ds(3.141592653589793))
print(format_number_as_ds(1e-20), format_number_as_ds(123456789012345678.0))
print(
    is_valid_ds("1.5"), is_valid_ds("1.5e3"), is_valid_ds("abc"), is_valid_ds("1" * 17)
)
print(str(DSdecimal("1.250")), DSdecimal("1.250") == Decimal("1.25"))
print(IS("12") + 1, IS(" 7 ") * 2, isinstance(IS("3"), int))
name = PersonName("Doe^John^Quincy^Dr.^Jr.")
print(name.family_name, name.given_name, name.middle_name, name.name_prefix)
print(name.name_suffix, name.components, str(name))
print(VR.PN == "PN", str(VR.OB), VR("US") is VR.US, VR.SQ.value)
