"""UIDs: registry names, transfer syntax properties and seeded generation."""

import pydicom.uid
from pydicom.uid import (
    UID,
    CTImageStorage,
    ExplicitVRBigEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGLosslessSV1,
    RLELossless,
    generate_uid,
)

for uid in (
    JPEGBaseline8Bit,
    JPEGLosslessSV1,
    JPEG2000Lossless,
    RLELossless,
    ExplicitVRBigEndian,
    CTImageStorage,
    UID("1.2.840.10008.1.2"),
):
    print(uid, uid.name, "|", uid.keyword, "|", uid.type, "|", uid.is_retired)
for uid in (JPEGBaseline8Bit, RLELossless, ExplicitVRBigEndian):
    print(uid.is_implicit_VR, uid.is_little_endian, uid.is_deflated)
    print(uid.is_compressed, uid.is_encapsulated, uid.is_transfer_syntax)
print(UID("1.2.3.4").name, UID("1.2.3.4").is_private, UID("1.2.3.4").is_valid)
print(UID("1.02.3").is_valid, CTImageStorage.is_private, JPEGBaseline8Bit.info)

seeded = generate_uid("1.2.826.0.1.3680043.10.999.", entropy_srcs=["1.2.3", "site"])
print(seeded, len(seeded), seeded.is_valid)
print(generate_uid("1.2.3.", ["a", "b"]) == generate_uid("1.2.3.", ["ab"]))
random_uid = generate_uid("1.2.3.")
print(random_uid.startswith("1.2.3."), len(random_uid) <= 64, random_uid.is_valid)
print(generate_uid(prefix=None).startswith("2.25."))
print(
    len(pydicom.uid.AllTransferSyntaxes) > 30,
    RLELossless in pydicom.uid.RLETransferSyntaxes,
)
for bad in ("1.2.3", "1.02."):
    try:
        generate_uid(bad)
    except ValueError:
        print("ValueError for", bad)
