"""dicomcore.uid: registry facts, transfer syntax encodings and generate_uid."""

from __future__ import annotations

import hashlib

import pytest

import dicomcore.uid as uid_module
from dicomcore.errors import DicomValueError
from dicomcore.uid import (
    DICOMCORE_IMPLEMENTATION_UID,
    DICOMCORE_IMPLEMENTATION_VERSION_NAME,
    HTJ2K,
    JPEG2000,
    JPEGXL,
    MPEG4HP41,
    UID,
    AllTransferSyntaxes,
    CTImageStorage,
    DeflatedExplicitVRLittleEndian,
    DeflatedImageFrameCompression,
    DeflatedTransferSyntaxes,
    EncapsulatedUncompressedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEG2000TransferSyntaxes,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    JPEGLSNearLossless,
    JPEGLSTransferSyntaxes,
    JPEGTransferSyntaxes,
    JPEGXLLossless,
    JPIPHTJ2KReferenced,
    JPIPHTJ2KReferencedDeflate,
    JPIPReferenced,
    JPIPReferencedDeflate,
    MRImageStorage,
    PrivateTransferSyntaxes,
    RLELossless,
    RLETransferSyntaxes,
    RTPlanStorage,
    SecondaryCaptureImageStorage,
    UncompressedTransferSyntaxes,
    generate_uid,
    register_transfer_syntax,
)

# uid, implicit VR, little endian, deflated, encapsulated, lossy
ENCODINGS = [
    (ImplicitVRLittleEndian, True, True, False, False, False),
    (ExplicitVRLittleEndian, False, True, False, False, False),
    (DeflatedExplicitVRLittleEndian, False, True, True, False, False),
    (ExplicitVRBigEndian, False, False, False, False, False),
    (EncapsulatedUncompressedExplicitVRLittleEndian, False, True, False, True, False),
    (RLELossless, False, True, False, True, False),
    (JPEGBaseline8Bit, False, True, False, True, True),
    (JPEGExtended12Bit, False, True, False, True, True),
    (JPEGLossless, False, True, False, True, False),
    (JPEGLosslessSV1, False, True, False, True, False),
    (JPEGLSLossless, False, True, False, True, False),
    (JPEGLSNearLossless, False, True, False, True, True),
    (JPEG2000Lossless, False, True, False, True, False),
    (JPEG2000, False, True, False, True, True),
    (HTJ2KLossless, False, True, False, True, False),
    (HTJ2KLosslessRPCL, False, True, False, True, False),
    (HTJ2K, False, True, False, True, True),
    (JPIPReferenced, False, True, False, False, True),
    (JPIPReferencedDeflate, False, True, True, False, True),
    (JPIPHTJ2KReferenced, False, True, False, False, True),
    (JPIPHTJ2KReferencedDeflate, False, True, True, False, True),
    (JPEGXLLossless, False, True, False, True, False),
    (JPEGXL, False, True, False, True, True),
    (MPEG4HP41, False, True, False, True, True),
    (DeflatedImageFrameCompression, False, True, False, True, False),
]


@pytest.mark.parametrize(
    ("uid", "implicit", "little", "deflated", "encapsulated", "lossy"), ENCODINGS
)
def test_transfer_syntax_encoding(uid, implicit, little, deflated, encapsulated, lossy):
    assert uid.is_transfer_syntax is True
    assert uid.is_implicit_VR is implicit
    assert uid.is_little_endian is little
    assert uid.is_deflated is deflated
    assert uid.is_encapsulated is encapsulated
    assert uid.is_compressed is encapsulated
    assert uid.is_lossy is lossy


def test_constants_are_registry_uids():
    assert ImplicitVRLittleEndian == "1.2.840.10008.1.2"
    assert ExplicitVRLittleEndian == "1.2.840.10008.1.2.1"
    assert DeflatedExplicitVRLittleEndian == "1.2.840.10008.1.2.1.99"
    assert ExplicitVRBigEndian == "1.2.840.10008.1.2.2"
    assert RLELossless == "1.2.840.10008.1.2.5"
    assert JPEGLosslessSV1 == "1.2.840.10008.1.2.4.70"
    assert HTJ2KLosslessRPCL == "1.2.840.10008.1.2.4.202"
    assert DeflatedImageFrameCompression == "1.2.840.10008.1.2.8.1"
    assert CTImageStorage == "1.2.840.10008.5.1.4.1.1.2"
    assert MRImageStorage == "1.2.840.10008.5.1.4.1.1.4"
    assert SecondaryCaptureImageStorage == "1.2.840.10008.5.1.4.1.1.7"
    assert RTPlanStorage == "1.2.840.10008.5.1.4.1.1.481.5"
    assert type(RLELossless) is UID


def test_every_transfer_syntax_has_a_constant():
    constants = [
        value
        for name in uid_module.__all__
        if isinstance(value := getattr(uid_module, name), UID)
        and value.type == "Transfer Syntax"
    ]
    assert len(constants) == 63
    for uid in constants:
        # each answers every encoding question without raising
        assert isinstance(uid.is_lossy, bool), uid
        assert isinstance(uid.is_encapsulated, bool), uid


def test_registry_properties():
    # the name without the description the registry adds after a colon
    assert JPEGBaseline8Bit.name == "JPEG Baseline (Process 1)"
    assert JPEGBaseline8Bit.info == (
        "Default Transfer Syntax for Lossy JPEG 8 Bit Image Compression"
    )
    assert JPEGExtended12Bit.name == "JPEG Extended (Process 2 and 4)"
    assert JPEGBaseline8Bit.keyword == "JPEGBaseline8Bit"
    assert JPEGBaseline8Bit.type == "Transfer Syntax"
    assert JPEGBaseline8Bit.is_retired is False
    assert ExplicitVRBigEndian.name == "Explicit VR Big Endian"
    assert ExplicitVRBigEndian.is_retired is True
    assert CTImageStorage.name == "CT Image Storage"
    assert CTImageStorage.type == "SOP Class"
    assert CTImageStorage.is_transfer_syntax is False


def test_unknown_uid():
    uid = UID("1.2.3.4.5")
    assert uid.name == "1.2.3.4.5"
    assert uid.keyword == ""
    assert uid.type == ""
    assert uid.is_retired is False
    assert uid.is_private is True
    assert uid.is_transfer_syntax is False


def test_not_a_transfer_syntax_raises():
    with pytest.raises(DicomValueError, match="not a transfer syntax"):
        CTImageStorage.is_implicit_VR  # noqa: B018 - the property raises
    with pytest.raises(ValueError):
        UID("1.2.3").is_little_endian  # noqa: B018 - the property raises


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("1.2.840.10008.1.2", True),
        ("0.1", True),
        ("2.25.0", True),
        ("1.2.04", False),
        ("00.1", False),
        ("1..2", False),
        ("1.2.", False),
        (".1.2", False),
        ("1.2.a", False),
        ("", False),
        ("1.2\n", False),
        ("1." + "2" * 62, True),  # 64 characters
        ("1." + "2" * 63, False),  # 65 characters
    ],
)
def test_is_valid(text, valid):
    assert UID(text).is_valid is valid


def test_is_private():
    assert ExplicitVRLittleEndian.is_private is False
    assert UID("1.2.840.113619.5.2").is_private is True
    assert UID("1.2.840.100081").is_private is True


def test_padding_is_stripped():
    assert UID("1.2.840.10008.1.2\x00") == "1.2.840.10008.1.2"
    assert UID(" 1.2.3 ") == "1.2.3"
    assert UID("1.2.840.10008.1.2\x00").is_implicit_VR is True


def test_uid_needs_a_str():
    with pytest.raises(TypeError, match="must be a str"):
        UID(12)  # type: ignore[arg-type]


def test_groups():
    assert UncompressedTransferSyntaxes == [
        "1.2.840.10008.1.2.1",
        "1.2.840.10008.1.2",
        "1.2.840.10008.1.2.1.99",
        "1.2.840.10008.1.2.2",
    ]
    assert JPEGTransferSyntaxes == [
        JPEGBaseline8Bit,
        JPEGExtended12Bit,
        JPEGLossless,
        JPEGLosslessSV1,
    ]
    assert JPEGLSTransferSyntaxes == [JPEGLSLossless, JPEGLSNearLossless]
    assert HTJ2K in JPEG2000TransferSyntaxes
    assert len(JPEG2000TransferSyntaxes) == 7
    assert RLETransferSyntaxes == [RLELossless]
    assert DeflatedTransferSyntaxes == [
        "1.2.840.10008.1.2.1.99",
        "1.2.840.10008.1.2.4.95",
        "1.2.840.10008.1.2.4.205",
    ]
    assert DeflatedImageFrameCompression in AllTransferSyntaxes
    assert JPIPReferenced not in AllTransferSyntaxes
    assert len(AllTransferSyntaxes) == len(set(AllTransferSyntaxes)) == 39


def test_register_private_transfer_syntax():
    private = "1.2.840.113619.5.2"
    assert UID(private).is_transfer_syntax is False
    try:
        ts = register_transfer_syntax(private, implicit_vr=True, little_endian=False)
        assert ts in PrivateTransferSyntaxes
        # the encoding holds for every equal UID, e.g. one read from a file
        assert UID(private).is_implicit_VR is True
        assert UID(private).is_little_endian is False
        assert UID(private).is_encapsulated is False
        assert UID(private).is_transfer_syntax is True
    finally:
        PrivateTransferSyntaxes.remove(private)
        uid_module._PRIVATE_ENCODINGS.pop(private)


def test_register_needs_an_encoding():
    with pytest.raises(DicomValueError, match="implicit_vr and little_endian"):
        register_transfer_syntax("1.2.3.4.5.6")
    assert "1.2.3.4.5.6" not in PrivateTransferSyntaxes


def test_implementation_identity():
    assert (
        DICOMCORE_IMPLEMENTATION_UID == "2.25.283267059261664334493459026784161450495"
    )
    assert DICOMCORE_IMPLEMENTATION_UID.is_valid is True
    assert DICOMCORE_IMPLEMENTATION_VERSION_NAME == "DICOMCORE_010"
    assert len(DICOMCORE_IMPLEMENTATION_VERSION_NAME) <= 16  # SH


class TestGenerateUID:
    def test_default_is_uuid_derived(self):
        uid = generate_uid()
        assert isinstance(uid, UID)
        assert uid.startswith("2.25.")
        assert uid.is_valid
        assert int(uid[5:]) < 2**128

    def test_unique(self):
        uids = {generate_uid() for _ in range(1000)}
        assert len(uids) == 1000
        prefixed = {generate_uid("1.2.3.") for _ in range(1000)}
        assert len(prefixed) == 1000

    def test_entropy_is_deterministic(self):
        first = generate_uid(entropy_srcs=["1.2.3", "site-a"])
        assert first == generate_uid(entropy_srcs=["1.2.3", "site-a"])
        assert first != generate_uid(entropy_srcs=["1.2.3", "site-b"])
        # sources are not simply concatenated
        assert generate_uid(entropy_srcs=["ab", "c"]) != generate_uid(
            entropy_srcs=["a", "bc"]
        )
        value = int(first[5:])
        assert (value >> 76) & 0xF == 8  # a version 8 UUID
        assert (value >> 62) & 0b11 == 0b10  # of the RFC variant

    def test_prefix(self):
        uid = generate_uid("1.2.826.0.1.3680043.10.999.")
        assert uid.startswith("1.2.826.0.1.3680043.10.999.")
        assert uid.is_valid
        assert len(uid) <= 64
        seeded = generate_uid("1.2.3.", entropy_srcs=["x"])
        assert seeded == generate_uid("1.2.3.", entropy_srcs=["x"])
        assert len(seeded) <= 64 and seeded.is_valid

    def test_longest_prefix(self):
        prefix = "1." + "2" * 59 + "."  # 62 characters
        uid = generate_uid(prefix)
        assert uid.startswith(prefix)
        assert uid.is_valid
        assert len(uid) <= 64

    @pytest.mark.parametrize(
        ("prefix", "message"),
        [
            ("1.2.3", "must end with '.'"),
            ("1.02.", "invalid UID prefix"),
            ("1..", "invalid UID prefix"),
            ("1." + "2" * 60 + ".", "at most 62 characters"),
        ],
    )
    def test_bad_prefix(self, prefix, message):
        with pytest.raises(DicomValueError, match=message):
            generate_uid(prefix)


def test_agrees_with_pydicom_on_dataset_encoding():
    """An independent implementation's answers for the syntaxes it models.

    (JPIP Referenced Deflate is left out: PS3.5 A.7 deflates its data set,
    which pydicom 3.0 does not model.)
    """
    pydicom_uid = pytest.importorskip("pydicom.uid")
    for uid in (
        ImplicitVRLittleEndian,
        ExplicitVRLittleEndian,
        DeflatedExplicitVRLittleEndian,
        ExplicitVRBigEndian,
        RLELossless,
        JPEGBaseline8Bit,
        JPEG2000,
        HTJ2K,
        JPIPReferenced,
    ):
        theirs = pydicom_uid.UID(str(uid))
        assert uid.is_implicit_VR == theirs.is_implicit_VR, uid
        assert uid.is_little_endian == theirs.is_little_endian, uid
        assert uid.is_deflated == theirs.is_deflated, uid
        assert uid.keyword == theirs.keyword, uid


def test_uid_dictionary_has_pydicoms_shape():
    from dicomcore.uid import UID_dictionary

    assert UID_dictionary["1.2.840.10008.1.2.4.50"] == (
        "JPEG Baseline (Process 1)",
        "Transfer Syntax",
        "Default Transfer Syntax for Lossy JPEG 8 Bit Image Compression",
        "",
        "JPEGBaseline8Bit",
    )
    assert UID_dictionary["1.2.840.10008.1.2.2"][3] == "Retired"
    assert "1.2.3.4" not in UID_dictionary


def test_prefixed_entropy_gives_pydicoms_uid():
    pydicom_uid = pytest.importorskip("pydicom.uid")
    sources = ["1.2.840.99", "site-a"]
    ours = generate_uid("1.2.3.", entropy_srcs=sources)
    assert ours == pydicom_uid.generate_uid("1.2.3.", entropy_srcs=sources)
    digest = hashlib.sha512(b"1.2.840.99site-a").hexdigest()
    assert ours == ("1.2.3." + str(int(digest, 16)))[:64]


def test_pydicoms_root_means_dicomcores_default():
    from dicomcore.uid import PYDICOM_ROOT_UID

    assert generate_uid(PYDICOM_ROOT_UID).startswith("2.25.")
