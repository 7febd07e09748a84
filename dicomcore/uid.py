"""Unique Identifiers (PS3.5 chapter 9) and the UID registry (PS3.6 Annex A).

:class:`UID` is a ``str`` that knows its registry entry and, for a transfer
syntax, the encoding rules that transfer syntax names (PS3.5 Annex A)::

    >>> from dicomcore.uid import UID, ExplicitVRBigEndian
    >>> UID("1.2.840.10008.1.2.4.80").name
    'JPEG-LS Lossless Image Compression'
    >>> ExplicitVRBigEndian.is_little_endian
    False

Every Transfer Syntax, SOP Class and Meta SOP Class of the registry is a
module constant named by its keyword (``CTImageStorage``, ``RLELossless``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Iterable, Iterator, Mapping

from dicomcore.dictionary import registered_uids, uid_entry
from dicomcore.errors import DicomValueError

# PS3.5 9.1: components of digits, no leading zero unless the component is "0".
_VALID_UID = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*")
_DICOM_ROOT = "1.2.840.10008."
_MAX_UID_LENGTH = 64


class UID(str):
    """A UID string with its registry facts.

    Leading and trailing spaces and NULs (the padding of a UI value) are
    removed. A transfer syntax property asked of a UID that is not a transfer
    syntax raises :class:`~dicomcore.errors.DicomValueError`.
    """

    __slots__ = ()

    def __new__(cls, val: str) -> UID:
        if isinstance(val, UID):
            return val
        if not isinstance(val, str):
            raise TypeError(f"a UID must be a str, not {type(val).__name__}")
        return super().__new__(cls, val.strip(" \x00"))

    @property
    def name(self) -> str:
        """The registry name, or the UID itself if it is not registered.

        Written as pydicom names UIDs, so that code printing it gives the same
        text: the registry's description after ": " is left off (that is
        :attr:`info`), and "&" between process numbers reads "and" ("JPEG
        Extended (Process 2 and 4)").
        """
        entry = uid_entry(self)
        if entry is None:
            return str(self)
        return entry.name.partition(": ")[0].replace(" & ", " and ")

    @property
    def info(self) -> str:
        """The description the registry gives after the name, or ``""``."""
        entry = uid_entry(self)
        return entry.name.partition(": ")[2] if entry is not None else ""

    @property
    def keyword(self) -> str:
        """The registry keyword, ``""`` if the UID is not registered."""
        entry = uid_entry(self)
        return entry.keyword if entry is not None else ""

    @property
    def type(self) -> str:
        """The registry type ("Transfer Syntax", "SOP Class", ...), or ``""``."""
        entry = uid_entry(self)
        return entry.type if entry is not None else ""

    @property
    def is_retired(self) -> bool:
        """True if the registry marks the UID retired."""
        entry = uid_entry(self)
        return entry.retired if entry is not None else False

    @property
    def is_valid(self) -> bool:
        """True if the UID follows PS3.5 9.1: at most 64 characters, components
        of digits separated by ".", no component with a leading zero."""
        return len(self) <= _MAX_UID_LENGTH and _VALID_UID.fullmatch(self) is not None

    @property
    def is_private(self) -> bool:
        """True if the UID is not under the DICOM root 1.2.840.10008."""
        return not self.startswith(_DICOM_ROOT)

    @property
    def is_transfer_syntax(self) -> bool:
        """True for a registered transfer syntax, or one whose encoding was given
        with :meth:`set_private_encoding`."""
        return self in _PRIVATE_ENCODINGS or self.type == "Transfer Syntax"

    @property
    def is_implicit_VR(self) -> bool:  # noqa: N802 - the established name
        """True if the data set is encoded with implicit VR."""
        private = self._private_encoding()
        if private is not None:
            return private[0]
        return self in _IMPLICIT_VR

    @property
    def is_little_endian(self) -> bool:
        """True if the data set is encoded little endian."""
        private = self._private_encoding()
        if private is not None:
            return private[1]
        return self not in _BIG_ENDIAN

    @property
    def is_deflated(self) -> bool:
        """True if the whole data set after the file meta is deflated (RFC 1951).

        Deflated Image Frame Compression deflates each frame, not the data
        set, and is not "deflated" here; it is encapsulated.
        """
        private = self._private_encoding()
        if private is not None:
            return private[2]
        return self in _DEFLATED

    @property
    def is_encapsulated(self) -> bool:
        """True if Pixel Data is encapsulated in fragments (PS3.5 A.4)."""
        private = self._private_encoding()
        if private is not None:
            return private[3]
        return self not in _NOT_ENCAPSULATED

    @property
    def is_compressed(self) -> bool:
        """Same as :attr:`is_encapsulated`."""
        return self.is_encapsulated

    @property
    def is_lossy(self) -> bool:
        """True if the transfer syntax may lose pixel information.

        Transfer syntaxes that allow either (JPEG 2000, HTJ2K, JPEG-LS
        near-lossless, JPEG XL) count as lossy, as do the JPIP referenced ones,
        whose pixel data may be served at reduced fidelity (PS3.5 10.8).
        """
        private = self._private_encoding()
        if private is not None:
            return private[4]
        return self in _LOSSY

    def set_private_encoding(
        self,
        implicit_vr: bool,
        little_endian: bool,
        *,
        encapsulated: bool = False,
        deflated: bool = False,
        lossy: bool = False,
    ) -> None:
        """Declare how a private transfer syntax encodes a data set.

        The declaration holds for every ``UID`` equal to this one.
        """
        _PRIVATE_ENCODINGS[str(self)] = (
            bool(implicit_vr),
            bool(little_endian),
            bool(deflated),
            bool(encapsulated),
            bool(lossy),
        )

    def _private_encoding(self) -> tuple[bool, bool, bool, bool, bool] | None:
        private = _PRIVATE_ENCODINGS.get(self)
        if private is None and self.type != "Transfer Syntax":
            raise DicomValueError(f"UID {self} is not a transfer syntax")
        return private


# implicit VR, little endian, deflated, encapsulated, lossy
_PRIVATE_ENCODINGS: dict[str, tuple[bool, bool, bool, bool, bool]] = {}


def register_transfer_syntax(
    uid: str,
    implicit_vr: bool | None = None,
    little_endian: bool | None = None,
    *,
    encapsulated: bool = False,
    deflated: bool = False,
    lossy: bool = False,
) -> UID:
    """Make a private transfer syntax known, so that files using it can be read.

    ``implicit_vr`` and ``little_endian`` are required unless the UID is
    already a transfer syntax. The UID is added to
    :data:`PrivateTransferSyntaxes`.

    >>> ts = register_transfer_syntax("1.2.3.4", implicit_vr=True, little_endian=False)
    >>> ts.is_implicit_VR, ts.is_little_endian
    (True, False)
    """
    uid = UID(uid)
    if implicit_vr is None or little_endian is None:
        if not uid.is_transfer_syntax:
            raise DicomValueError(
                "implicit_vr and little_endian are required to register "
                f"transfer syntax {uid}"
            )
    else:
        uid.set_private_encoding(
            implicit_vr,
            little_endian,
            encapsulated=encapsulated,
            deflated=deflated,
            lossy=lossy,
        )
    if uid not in PrivateTransferSyntaxes:
        PrivateTransferSyntaxes.append(uid)
    return uid


def generate_uid(
    prefix: str | None = None, entropy_srcs: Iterable[str] | None = None
) -> UID:
    """Return a new, valid UID of at most 64 characters.

    With ``prefix`` None (the default) the UID is ``"2.25."`` followed by a
    UUID as a decimal integer (PS3.5 B.2): random, or, when ``entropy_srcs``
    is given, derived from a SHA-512 hash of them (a version 8 UUID).

    With a ``prefix`` (a root you own, ending in ".", at most 62 characters)
    the prefix is followed by decimal digits, random or, as pydicom derives
    them, from the SHA-512 hash of ``entropy_srcs`` joined, up to 64
    characters in all. pydicom's default prefix is its own root; dicomcore's
    default is the ``2.25`` UUID root, which needs no registration.

    The same ``entropy_srcs`` always give the same UID, which keeps UIDs
    consistent when one source is de-identified twice.

    >>> generate_uid(entropy_srcs=["1.2.3", "site-a"]) == generate_uid(
    ...     entropy_srcs=["1.2.3", "site-a"]
    ... )
    True
    """
    if prefix is None:
        if entropy_srcs is None:
            return UID(f"2.25.{uuid.uuid4().int}")
        raw = bytearray(_entropy_digest(entropy_srcs)[:16])
        raw[6] = (raw[6] & 0x0F) | 0x80  # version 8: custom (RFC 9562)
        raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC variant
        return UID(f"2.25.{uuid.UUID(bytes=bytes(raw)).int}")

    if not isinstance(prefix, str) or not prefix.endswith("."):
        raise DicomValueError(f"a UID prefix must end with '.': {prefix!r}")
    if len(prefix) > _MAX_UID_LENGTH - 2:
        raise DicomValueError(
            f"a UID prefix must be at most {_MAX_UID_LENGTH - 2} characters"
        )
    if _VALID_UID.fullmatch(prefix[:-1]) is None:
        raise DicomValueError(f"invalid UID prefix: {prefix!r}")
    if entropy_srcs is None:
        suffix = secrets.randbelow(10 ** (_MAX_UID_LENGTH - len(prefix)))
        return UID(f"{prefix}{suffix}")
    # As pydicom derives it, so that both give one source the same UID: the
    # SHA-512 of the sources joined, as a decimal integer cut to fit. str()
    # of an int has no leading zero, so the last component stays valid.
    digest = hashlib.sha512("".join(entropy_srcs).encode("utf-8")).hexdigest()
    return UID(f"{prefix}{int(digest, 16)}"[:_MAX_UID_LENGTH])


def _entropy_digest(sources: Iterable[str]) -> bytes:
    hasher = hashlib.sha512()
    for source in sources:
        data = str(source).encode("utf-8")
        # Length-prefixed, so ["ab", "c"] and ["a", "bc"] hash differently.
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.digest()


# --- BEGIN GENERATED UID CONSTANTS (tools/generate_dictionary.py); do not edit ---
# Transfer Syntax
ImplicitVRLittleEndian = UID("1.2.840.10008.1.2")
ExplicitVRLittleEndian = UID("1.2.840.10008.1.2.1")
EncapsulatedUncompressedExplicitVRLittleEndian = UID("1.2.840.10008.1.2.1.98")
DeflatedExplicitVRLittleEndian = UID("1.2.840.10008.1.2.1.99")
ExplicitVRBigEndian = UID("1.2.840.10008.1.2.2")
JPEGBaseline8Bit = UID("1.2.840.10008.1.2.4.50")
JPEGExtended12Bit = UID("1.2.840.10008.1.2.4.51")
JPEGExtended35 = UID("1.2.840.10008.1.2.4.52")
JPEGSpectralSelectionNonHierarchical68 = UID("1.2.840.10008.1.2.4.53")
JPEGSpectralSelectionNonHierarchical79 = UID("1.2.840.10008.1.2.4.54")
JPEGFullProgressionNonHierarchical1012 = UID("1.2.840.10008.1.2.4.55")
JPEGFullProgressionNonHierarchical1113 = UID("1.2.840.10008.1.2.4.56")
JPEGLossless = UID("1.2.840.10008.1.2.4.57")
JPEGLosslessNonHierarchical15 = UID("1.2.840.10008.1.2.4.58")
JPEGExtendedHierarchical1618 = UID("1.2.840.10008.1.2.4.59")
JPEGExtendedHierarchical1719 = UID("1.2.840.10008.1.2.4.60")
JPEGSpectralSelectionHierarchical2022 = UID("1.2.840.10008.1.2.4.61")
JPEGSpectralSelectionHierarchical2123 = UID("1.2.840.10008.1.2.4.62")
JPEGFullProgressionHierarchical2426 = UID("1.2.840.10008.1.2.4.63")
JPEGFullProgressionHierarchical2527 = UID("1.2.840.10008.1.2.4.64")
JPEGLosslessHierarchical28 = UID("1.2.840.10008.1.2.4.65")
JPEGLosslessHierarchical29 = UID("1.2.840.10008.1.2.4.66")
JPEGLosslessSV1 = UID("1.2.840.10008.1.2.4.70")
JPEGLSLossless = UID("1.2.840.10008.1.2.4.80")
JPEGLSNearLossless = UID("1.2.840.10008.1.2.4.81")
JPEG2000Lossless = UID("1.2.840.10008.1.2.4.90")
JPEG2000 = UID("1.2.840.10008.1.2.4.91")
JPEG2000MCLossless = UID("1.2.840.10008.1.2.4.92")
JPEG2000MC = UID("1.2.840.10008.1.2.4.93")
JPIPReferenced = UID("1.2.840.10008.1.2.4.94")
JPIPReferencedDeflate = UID("1.2.840.10008.1.2.4.95")
MPEG2MPML = UID("1.2.840.10008.1.2.4.100")
MPEG2MPMLF = UID("1.2.840.10008.1.2.4.100.1")
MPEG2MPHL = UID("1.2.840.10008.1.2.4.101")
MPEG2MPHLF = UID("1.2.840.10008.1.2.4.101.1")
MPEG4HP41 = UID("1.2.840.10008.1.2.4.102")
MPEG4HP41F = UID("1.2.840.10008.1.2.4.102.1")
MPEG4HP41BD = UID("1.2.840.10008.1.2.4.103")
MPEG4HP41BDF = UID("1.2.840.10008.1.2.4.103.1")
MPEG4HP422D = UID("1.2.840.10008.1.2.4.104")
MPEG4HP422DF = UID("1.2.840.10008.1.2.4.104.1")
MPEG4HP423D = UID("1.2.840.10008.1.2.4.105")
MPEG4HP423DF = UID("1.2.840.10008.1.2.4.105.1")
MPEG4HP42STEREO = UID("1.2.840.10008.1.2.4.106")
MPEG4HP42STEREOF = UID("1.2.840.10008.1.2.4.106.1")
HEVCMP51 = UID("1.2.840.10008.1.2.4.107")
HEVCM10P51 = UID("1.2.840.10008.1.2.4.108")
JPEGXLLossless = UID("1.2.840.10008.1.2.4.110")
JPEGXLJPEGRecompression = UID("1.2.840.10008.1.2.4.111")
JPEGXL = UID("1.2.840.10008.1.2.4.112")
HTJ2KLossless = UID("1.2.840.10008.1.2.4.201")
HTJ2KLosslessRPCL = UID("1.2.840.10008.1.2.4.202")
HTJ2K = UID("1.2.840.10008.1.2.4.203")
JPIPHTJ2KReferenced = UID("1.2.840.10008.1.2.4.204")
JPIPHTJ2KReferencedDeflate = UID("1.2.840.10008.1.2.4.205")
RLELossless = UID("1.2.840.10008.1.2.5")
RFC2557MIMEEncapsulation = UID("1.2.840.10008.1.2.6.1")
XMLEncoding = UID("1.2.840.10008.1.2.6.2")
SMPTEST211020UncompressedProgressiveActiveVideo = UID("1.2.840.10008.1.2.7.1")
SMPTEST211020UncompressedInterlacedActiveVideo = UID("1.2.840.10008.1.2.7.2")
SMPTEST211030PCMDigitalAudio = UID("1.2.840.10008.1.2.7.3")
DeflatedImageFrameCompression = UID("1.2.840.10008.1.2.8.1")
Papyrus3ImplicitVRLittleEndian = UID("1.2.840.10008.1.20")

# SOP Class
Verification = UID("1.2.840.10008.1.1")
MediaStorageDirectoryStorage = UID("1.2.840.10008.1.3.10")
BasicStudyContentNotification = UID("1.2.840.10008.1.9")
StorageCommitmentPushModel = UID("1.2.840.10008.1.20.1")
StorageCommitmentPullModel = UID("1.2.840.10008.1.20.2")
ProceduralEventLogging = UID("1.2.840.10008.1.40")
SubstanceAdministrationLogging = UID("1.2.840.10008.1.42")
DetachedPatientManagement = UID("1.2.840.10008.3.1.2.1.1")
DetachedVisitManagement = UID("1.2.840.10008.3.1.2.2.1")
DetachedStudyManagement = UID("1.2.840.10008.3.1.2.3.1")
StudyComponentManagement = UID("1.2.840.10008.3.1.2.3.2")
ModalityPerformedProcedureStep = UID("1.2.840.10008.3.1.2.3.3")
ModalityPerformedProcedureStepRetrieve = UID("1.2.840.10008.3.1.2.3.4")
ModalityPerformedProcedureStepNotification = UID("1.2.840.10008.3.1.2.3.5")
DetachedResultsManagement = UID("1.2.840.10008.3.1.2.5.1")
DetachedInterpretationManagement = UID("1.2.840.10008.3.1.2.6.1")
BasicFilmSession = UID("1.2.840.10008.5.1.1.1")
BasicFilmBox = UID("1.2.840.10008.5.1.1.2")
BasicGrayscaleImageBox = UID("1.2.840.10008.5.1.1.4")
BasicColorImageBox = UID("1.2.840.10008.5.1.1.4.1")
ReferencedImageBox = UID("1.2.840.10008.5.1.1.4.2")
PrintJob = UID("1.2.840.10008.5.1.1.14")
BasicAnnotationBox = UID("1.2.840.10008.5.1.1.15")
Printer = UID("1.2.840.10008.5.1.1.16")
PrinterConfigurationRetrieval = UID("1.2.840.10008.5.1.1.16.376")
VOILUTBox = UID("1.2.840.10008.5.1.1.22")
PresentationLUT = UID("1.2.840.10008.5.1.1.23")
ImageOverlayBox = UID("1.2.840.10008.5.1.1.24")
BasicPrintImageOverlayBox = UID("1.2.840.10008.5.1.1.24.1")
PrintQueueManagement = UID("1.2.840.10008.5.1.1.26")
StoredPrintStorage = UID("1.2.840.10008.5.1.1.27")
HardcopyGrayscaleImageStorage = UID("1.2.840.10008.5.1.1.29")
HardcopyColorImageStorage = UID("1.2.840.10008.5.1.1.30")
PullPrintRequest = UID("1.2.840.10008.5.1.1.31")
MediaCreationManagement = UID("1.2.840.10008.5.1.1.33")
DisplaySystem = UID("1.2.840.10008.5.1.1.40")
ComputedRadiographyImageStorage = UID("1.2.840.10008.5.1.4.1.1.1")
DigitalXRayImageStorageForPresentation = UID("1.2.840.10008.5.1.4.1.1.1.1")
DigitalXRayImageStorageForProcessing = UID("1.2.840.10008.5.1.4.1.1.1.1.1")
DigitalMammographyXRayImageStorageForPresentation = UID("1.2.840.10008.5.1.4.1.1.1.2")
DigitalMammographyXRayImageStorageForProcessing = UID("1.2.840.10008.5.1.4.1.1.1.2.1")
DigitalIntraOralXRayImageStorageForPresentation = UID("1.2.840.10008.5.1.4.1.1.1.3")
DigitalIntraOralXRayImageStorageForProcessing = UID("1.2.840.10008.5.1.4.1.1.1.3.1")
CTImageStorage = UID("1.2.840.10008.5.1.4.1.1.2")
EnhancedCTImageStorage = UID("1.2.840.10008.5.1.4.1.1.2.1")
LegacyConvertedEnhancedCTImageStorage = UID("1.2.840.10008.5.1.4.1.1.2.2")
UltrasoundMultiFrameImageStorageRetired = UID("1.2.840.10008.5.1.4.1.1.3")
UltrasoundMultiFrameImageStorage = UID("1.2.840.10008.5.1.4.1.1.3.1")
MRImageStorage = UID("1.2.840.10008.5.1.4.1.1.4")
EnhancedMRImageStorage = UID("1.2.840.10008.5.1.4.1.1.4.1")
MRSpectroscopyStorage = UID("1.2.840.10008.5.1.4.1.1.4.2")
EnhancedMRColorImageStorage = UID("1.2.840.10008.5.1.4.1.1.4.3")
LegacyConvertedEnhancedMRImageStorage = UID("1.2.840.10008.5.1.4.1.1.4.4")
NuclearMedicineImageStorageRetired = UID("1.2.840.10008.5.1.4.1.1.5")
UltrasoundImageStorageRetired = UID("1.2.840.10008.5.1.4.1.1.6")
UltrasoundImageStorage = UID("1.2.840.10008.5.1.4.1.1.6.1")
EnhancedUSVolumeStorage = UID("1.2.840.10008.5.1.4.1.1.6.2")
PhotoacousticImageStorage = UID("1.2.840.10008.5.1.4.1.1.6.3")
SecondaryCaptureImageStorage = UID("1.2.840.10008.5.1.4.1.1.7")
MultiFrameSingleBitSecondaryCaptureImageStorage = UID("1.2.840.10008.5.1.4.1.1.7.1")
MultiFrameGrayscaleByteSecondaryCaptureImageStorage = UID("1.2.840.10008.5.1.4.1.1.7.2")
MultiFrameGrayscaleWordSecondaryCaptureImageStorage = UID("1.2.840.10008.5.1.4.1.1.7.3")
MultiFrameTrueColorSecondaryCaptureImageStorage = UID("1.2.840.10008.5.1.4.1.1.7.4")
StandaloneOverlayStorage = UID("1.2.840.10008.5.1.4.1.1.8")
StandaloneCurveStorage = UID("1.2.840.10008.5.1.4.1.1.9")
WaveformStorageTrial = UID("1.2.840.10008.5.1.4.1.1.9.1")
TwelveLeadECGWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.1.1")
GeneralECGWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.1.2")
AmbulatoryECGWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.1.3")
General32bitECGWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.1.4")
HemodynamicWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.2.1")
CardiacElectrophysiologyWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.3.1")
BasicVoiceAudioWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.4.1")
GeneralAudioWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.4.2")
ArterialPulseWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.5.1")
RespiratoryWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.6.1")
MultichannelRespiratoryWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.6.2")
RoutineScalpElectroencephalogramWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.7.1")
ElectromyogramWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.7.2")
ElectrooculogramWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.7.3")
SleepElectroencephalogramWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.7.4")
BodyPositionWaveformStorage = UID("1.2.840.10008.5.1.4.1.1.9.8.1")
StandaloneModalityLUTStorage = UID("1.2.840.10008.5.1.4.1.1.10")
StandaloneVOILUTStorage = UID("1.2.840.10008.5.1.4.1.1.11")
GrayscaleSoftcopyPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.1")
ColorSoftcopyPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.2")
PseudoColorSoftcopyPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.3")
BlendingSoftcopyPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.4")
XAXRFGrayscaleSoftcopyPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.5")
GrayscalePlanarMPRVolumetricPresentationStateStorage = UID(
    "1.2.840.10008.5.1.4.1.1.11.6"
)
CompositingPlanarMPRVolumetricPresentationStateStorage = UID(
    "1.2.840.10008.5.1.4.1.1.11.7"
)
AdvancedBlendingPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.8")
VolumeRenderingVolumetricPresentationStateStorage = UID("1.2.840.10008.5.1.4.1.1.11.9")
SegmentedVolumeRenderingVolumetricPresentationStateStorage = UID(
    "1.2.840.10008.5.1.4.1.1.11.10"
)
MultipleVolumeRenderingVolumetricPresentationStateStorage = UID(
    "1.2.840.10008.5.1.4.1.1.11.11"
)
VariableModalityLUTSoftcopyPresentationStateStorage = UID(
    "1.2.840.10008.5.1.4.1.1.11.12"
)
XRayAngiographicImageStorage = UID("1.2.840.10008.5.1.4.1.1.12.1")
EnhancedXAImageStorage = UID("1.2.840.10008.5.1.4.1.1.12.1.1")
XRayRadiofluoroscopicImageStorage = UID("1.2.840.10008.5.1.4.1.1.12.2")
EnhancedXRFImageStorage = UID("1.2.840.10008.5.1.4.1.1.12.2.1")
XRayAngiographicBiPlaneImageStorage = UID("1.2.840.10008.5.1.4.1.1.12.3")
XRay3DAngiographicImageStorage = UID("1.2.840.10008.5.1.4.1.1.13.1.1")
XRay3DCraniofacialImageStorage = UID("1.2.840.10008.5.1.4.1.1.13.1.2")
BreastTomosynthesisImageStorage = UID("1.2.840.10008.5.1.4.1.1.13.1.3")
BreastProjectionXRayImageStorageForPresentation = UID("1.2.840.10008.5.1.4.1.1.13.1.4")
BreastProjectionXRayImageStorageForProcessing = UID("1.2.840.10008.5.1.4.1.1.13.1.5")
IntravascularOpticalCoherenceTomographyImageStorageForPresentation = UID(
    "1.2.840.10008.5.1.4.1.1.14.1"
)
IntravascularOpticalCoherenceTomographyImageStorageForProcessing = UID(
    "1.2.840.10008.5.1.4.1.1.14.2"
)
NuclearMedicineImageStorage = UID("1.2.840.10008.5.1.4.1.1.20")
ParametricMapStorage = UID("1.2.840.10008.5.1.4.1.1.30")
RawDataStorage = UID("1.2.840.10008.5.1.4.1.1.66")
SpatialRegistrationStorage = UID("1.2.840.10008.5.1.4.1.1.66.1")
SpatialFiducialsStorage = UID("1.2.840.10008.5.1.4.1.1.66.2")
DeformableSpatialRegistrationStorage = UID("1.2.840.10008.5.1.4.1.1.66.3")
SegmentationStorage = UID("1.2.840.10008.5.1.4.1.1.66.4")
SurfaceSegmentationStorage = UID("1.2.840.10008.5.1.4.1.1.66.5")
TractographyResultsStorage = UID("1.2.840.10008.5.1.4.1.1.66.6")
LabelMapSegmentationStorage = UID("1.2.840.10008.5.1.4.1.1.66.7")
HeightMapSegmentationStorage = UID("1.2.840.10008.5.1.4.1.1.66.8")
RealWorldValueMappingStorage = UID("1.2.840.10008.5.1.4.1.1.67")
SurfaceScanMeshStorage = UID("1.2.840.10008.5.1.4.1.1.68.1")
SurfaceScanPointCloudStorage = UID("1.2.840.10008.5.1.4.1.1.68.2")
VLImageStorageTrial = UID("1.2.840.10008.5.1.4.1.1.77.1")
VLEndoscopicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.1")
VideoEndoscopicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.1.1")
VLMicroscopicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.2")
VideoMicroscopicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.2.1")
VLSlideCoordinatesMicroscopicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.3")
VLPhotographicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.4")
VideoPhotographicImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.4.1")
OphthalmicPhotography8BitImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.5.1")
OphthalmicPhotography16BitImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.5.2")
StereometricRelationshipStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.5.3")
OphthalmicTomographyImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.5.4")
WideFieldOphthalmicPhotographyStereographicProjectionImageStorage = UID(
    "1.2.840.10008.5.1.4.1.1.77.1.5.5"
)
WideFieldOphthalmicPhotography3DCoordinatesImageStorage = UID(
    "1.2.840.10008.5.1.4.1.1.77.1.5.6"
)
OphthalmicOpticalCoherenceTomographyEnFaceImageStorage = UID(
    "1.2.840.10008.5.1.4.1.1.77.1.5.7"
)
OphthalmicOpticalCoherenceTomographyBscanVolumeAnalysisStorage = UID(
    "1.2.840.10008.5.1.4.1.1.77.1.5.8"
)
VLWholeSlideMicroscopyImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.6")
DermoscopicPhotographyImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.7")
ConfocalMicroscopyImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.8")
ConfocalMicroscopyTiledPyramidalImageStorage = UID("1.2.840.10008.5.1.4.1.1.77.1.9")
VLMultiFrameImageStorageTrial = UID("1.2.840.10008.5.1.4.1.1.77.2")
LensometryMeasurementsStorage = UID("1.2.840.10008.5.1.4.1.1.78.1")
AutorefractionMeasurementsStorage = UID("1.2.840.10008.5.1.4.1.1.78.2")
KeratometryMeasurementsStorage = UID("1.2.840.10008.5.1.4.1.1.78.3")
SubjectiveRefractionMeasurementsStorage = UID("1.2.840.10008.5.1.4.1.1.78.4")
VisualAcuityMeasurementsStorage = UID("1.2.840.10008.5.1.4.1.1.78.5")
SpectaclePrescriptionReportStorage = UID("1.2.840.10008.5.1.4.1.1.78.6")
OphthalmicAxialMeasurementsStorage = UID("1.2.840.10008.5.1.4.1.1.78.7")
IntraocularLensCalculationsStorage = UID("1.2.840.10008.5.1.4.1.1.78.8")
MacularGridThicknessAndVolumeReportStorage = UID("1.2.840.10008.5.1.4.1.1.79.1")
OphthalmicVisualFieldStaticPerimetryMeasurementsStorage = UID(
    "1.2.840.10008.5.1.4.1.1.80.1"
)
OphthalmicThicknessMapStorage = UID("1.2.840.10008.5.1.4.1.1.81.1")
CornealTopographyMapStorage = UID("1.2.840.10008.5.1.4.1.1.82.1")
TextSRStorageTrial = UID("1.2.840.10008.5.1.4.1.1.88.1")
AudioSRStorageTrial = UID("1.2.840.10008.5.1.4.1.1.88.2")
DetailSRStorageTrial = UID("1.2.840.10008.5.1.4.1.1.88.3")
ComprehensiveSRStorageTrial = UID("1.2.840.10008.5.1.4.1.1.88.4")
BasicTextSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.11")
EnhancedSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.22")
ComprehensiveSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.33")
Comprehensive3DSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.34")
ExtensibleSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.35")
ProcedureLogStorage = UID("1.2.840.10008.5.1.4.1.1.88.40")
MammographyCADSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.50")
KeyObjectSelectionDocumentStorage = UID("1.2.840.10008.5.1.4.1.1.88.59")
ChestCADSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.65")
XRayRadiationDoseSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.67")
RadiopharmaceuticalRadiationDoseSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.68")
ColonCADSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.69")
ImplantationPlanSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.70")
AcquisitionContextSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.71")
SimplifiedAdultEchoSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.72")
PatientRadiationDoseSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.73")
PlannedImagingAgentAdministrationSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.74")
PerformedImagingAgentAdministrationSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.75")
EnhancedXRayRadiationDoseSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.76")
WaveformAnnotationSRStorage = UID("1.2.840.10008.5.1.4.1.1.88.77")
ContentAssessmentResultsStorage = UID("1.2.840.10008.5.1.4.1.1.90.1")
MicroscopyBulkSimpleAnnotationsStorage = UID("1.2.840.10008.5.1.4.1.1.91.1")
EncapsulatedPDFStorage = UID("1.2.840.10008.5.1.4.1.1.104.1")
EncapsulatedCDAStorage = UID("1.2.840.10008.5.1.4.1.1.104.2")
EncapsulatedSTLStorage = UID("1.2.840.10008.5.1.4.1.1.104.3")
EncapsulatedOBJStorage = UID("1.2.840.10008.5.1.4.1.1.104.4")
EncapsulatedMTLStorage = UID("1.2.840.10008.5.1.4.1.1.104.5")
PositronEmissionTomographyImageStorage = UID("1.2.840.10008.5.1.4.1.1.128")
LegacyConvertedEnhancedPETImageStorage = UID("1.2.840.10008.5.1.4.1.1.128.1")
StandalonePETCurveStorage = UID("1.2.840.10008.5.1.4.1.1.129")
EnhancedPETImageStorage = UID("1.2.840.10008.5.1.4.1.1.130")
BasicStructuredDisplayStorage = UID("1.2.840.10008.5.1.4.1.1.131")
CTDefinedProcedureProtocolStorage = UID("1.2.840.10008.5.1.4.1.1.200.1")
CTPerformedProcedureProtocolStorage = UID("1.2.840.10008.5.1.4.1.1.200.2")
ProtocolApprovalStorage = UID("1.2.840.10008.5.1.4.1.1.200.3")
ProtocolApprovalInformationModelFind = UID("1.2.840.10008.5.1.4.1.1.200.4")
ProtocolApprovalInformationModelMove = UID("1.2.840.10008.5.1.4.1.1.200.5")
ProtocolApprovalInformationModelGet = UID("1.2.840.10008.5.1.4.1.1.200.6")
XADefinedProcedureProtocolStorage = UID("1.2.840.10008.5.1.4.1.1.200.7")
XAPerformedProcedureProtocolStorage = UID("1.2.840.10008.5.1.4.1.1.200.8")
InventoryStorage = UID("1.2.840.10008.5.1.4.1.1.201.1")
InventoryFind = UID("1.2.840.10008.5.1.4.1.1.201.2")
InventoryMove = UID("1.2.840.10008.5.1.4.1.1.201.3")
InventoryGet = UID("1.2.840.10008.5.1.4.1.1.201.4")
InventoryCreation = UID("1.2.840.10008.5.1.4.1.1.201.5")
RepositoryQuery = UID("1.2.840.10008.5.1.4.1.1.201.6")
RTImageStorage = UID("1.2.840.10008.5.1.4.1.1.481.1")
RTDoseStorage = UID("1.2.840.10008.5.1.4.1.1.481.2")
RTStructureSetStorage = UID("1.2.840.10008.5.1.4.1.1.481.3")
RTBeamsTreatmentRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.4")
RTPlanStorage = UID("1.2.840.10008.5.1.4.1.1.481.5")
RTBrachyTreatmentRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.6")
RTTreatmentSummaryRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.7")
RTIonPlanStorage = UID("1.2.840.10008.5.1.4.1.1.481.8")
RTIonBeamsTreatmentRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.9")
RTPhysicianIntentStorage = UID("1.2.840.10008.5.1.4.1.1.481.10")
RTSegmentAnnotationStorage = UID("1.2.840.10008.5.1.4.1.1.481.11")
RTRadiationSetStorage = UID("1.2.840.10008.5.1.4.1.1.481.12")
CArmPhotonElectronRadiationStorage = UID("1.2.840.10008.5.1.4.1.1.481.13")
TomotherapeuticRadiationStorage = UID("1.2.840.10008.5.1.4.1.1.481.14")
RoboticArmRadiationStorage = UID("1.2.840.10008.5.1.4.1.1.481.15")
RTRadiationRecordSetStorage = UID("1.2.840.10008.5.1.4.1.1.481.16")
RTRadiationSalvageRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.17")
TomotherapeuticRadiationRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.18")
CArmPhotonElectronRadiationRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.19")
RoboticRadiationRecordStorage = UID("1.2.840.10008.5.1.4.1.1.481.20")
RTRadiationSetDeliveryInstructionStorage = UID("1.2.840.10008.5.1.4.1.1.481.21")
RTTreatmentPreparationStorage = UID("1.2.840.10008.5.1.4.1.1.481.22")
EnhancedRTImageStorage = UID("1.2.840.10008.5.1.4.1.1.481.23")
EnhancedContinuousRTImageStorage = UID("1.2.840.10008.5.1.4.1.1.481.24")
RTPatientPositionAcquisitionInstructionStorage = UID("1.2.840.10008.5.1.4.1.1.481.25")
DICOSCTImageStorage = UID("1.2.840.10008.5.1.4.1.1.501.1")
DICOSDigitalXRayImageStorageForPresentation = UID("1.2.840.10008.5.1.4.1.1.501.2.1")
DICOSDigitalXRayImageStorageForProcessing = UID("1.2.840.10008.5.1.4.1.1.501.2.2")
DICOSThreatDetectionReportStorage = UID("1.2.840.10008.5.1.4.1.1.501.3")
DICOS2DAITStorage = UID("1.2.840.10008.5.1.4.1.1.501.4")
DICOS3DAITStorage = UID("1.2.840.10008.5.1.4.1.1.501.5")
DICOSQuadrupoleResonanceStorage = UID("1.2.840.10008.5.1.4.1.1.501.6")
EddyCurrentImageStorage = UID("1.2.840.10008.5.1.4.1.1.601.1")
EddyCurrentMultiFrameImageStorage = UID("1.2.840.10008.5.1.4.1.1.601.2")
ThermographyImageStorage = UID("1.2.840.10008.5.1.4.1.1.601.3")
ThermographyMultiFrameImageStorage = UID("1.2.840.10008.5.1.4.1.1.601.4")
PatientRootQueryRetrieveInformationModelFind = UID("1.2.840.10008.5.1.4.1.2.1.1")
PatientRootQueryRetrieveInformationModelMove = UID("1.2.840.10008.5.1.4.1.2.1.2")
PatientRootQueryRetrieveInformationModelGet = UID("1.2.840.10008.5.1.4.1.2.1.3")
StudyRootQueryRetrieveInformationModelFind = UID("1.2.840.10008.5.1.4.1.2.2.1")
StudyRootQueryRetrieveInformationModelMove = UID("1.2.840.10008.5.1.4.1.2.2.2")
StudyRootQueryRetrieveInformationModelGet = UID("1.2.840.10008.5.1.4.1.2.2.3")
PatientStudyOnlyQueryRetrieveInformationModelFind = UID("1.2.840.10008.5.1.4.1.2.3.1")
PatientStudyOnlyQueryRetrieveInformationModelMove = UID("1.2.840.10008.5.1.4.1.2.3.2")
PatientStudyOnlyQueryRetrieveInformationModelGet = UID("1.2.840.10008.5.1.4.1.2.3.3")
CompositeInstanceRootRetrieveMove = UID("1.2.840.10008.5.1.4.1.2.4.2")
CompositeInstanceRootRetrieveGet = UID("1.2.840.10008.5.1.4.1.2.4.3")
CompositeInstanceRetrieveWithoutBulkDataGet = UID("1.2.840.10008.5.1.4.1.2.5.3")
DefinedProcedureProtocolInformationModelFind = UID("1.2.840.10008.5.1.4.20.1")
DefinedProcedureProtocolInformationModelMove = UID("1.2.840.10008.5.1.4.20.2")
DefinedProcedureProtocolInformationModelGet = UID("1.2.840.10008.5.1.4.20.3")
ModalityWorklistInformationModelFind = UID("1.2.840.10008.5.1.4.31")
GeneralPurposeWorklistInformationModelFind = UID("1.2.840.10008.5.1.4.32.1")
GeneralPurposeScheduledProcedureStep = UID("1.2.840.10008.5.1.4.32.2")
GeneralPurposePerformedProcedureStep = UID("1.2.840.10008.5.1.4.32.3")
InstanceAvailabilityNotification = UID("1.2.840.10008.5.1.4.33")
RTBeamsDeliveryInstructionStorageTrial = UID("1.2.840.10008.5.1.4.34.1")
RTConventionalMachineVerificationTrial = UID("1.2.840.10008.5.1.4.34.2")
RTIonMachineVerificationTrial = UID("1.2.840.10008.5.1.4.34.3")
UnifiedProcedureStepPushTrial = UID("1.2.840.10008.5.1.4.34.4.1")
UnifiedProcedureStepWatchTrial = UID("1.2.840.10008.5.1.4.34.4.2")
UnifiedProcedureStepPullTrial = UID("1.2.840.10008.5.1.4.34.4.3")
UnifiedProcedureStepEventTrial = UID("1.2.840.10008.5.1.4.34.4.4")
UnifiedProcedureStepPush = UID("1.2.840.10008.5.1.4.34.6.1")
UnifiedProcedureStepWatch = UID("1.2.840.10008.5.1.4.34.6.2")
UnifiedProcedureStepPull = UID("1.2.840.10008.5.1.4.34.6.3")
UnifiedProcedureStepEvent = UID("1.2.840.10008.5.1.4.34.6.4")
UnifiedProcedureStepQuery = UID("1.2.840.10008.5.1.4.34.6.5")
RTBeamsDeliveryInstructionStorage = UID("1.2.840.10008.5.1.4.34.7")
RTConventionalMachineVerification = UID("1.2.840.10008.5.1.4.34.8")
RTIonMachineVerification = UID("1.2.840.10008.5.1.4.34.9")
RTBrachyApplicationSetupDeliveryInstructionStorage = UID("1.2.840.10008.5.1.4.34.10")
GeneralRelevantPatientInformationQuery = UID("1.2.840.10008.5.1.4.37.1")
BreastImagingRelevantPatientInformationQuery = UID("1.2.840.10008.5.1.4.37.2")
CardiacRelevantPatientInformationQuery = UID("1.2.840.10008.5.1.4.37.3")
HangingProtocolStorage = UID("1.2.840.10008.5.1.4.38.1")
HangingProtocolInformationModelFind = UID("1.2.840.10008.5.1.4.38.2")
HangingProtocolInformationModelMove = UID("1.2.840.10008.5.1.4.38.3")
HangingProtocolInformationModelGet = UID("1.2.840.10008.5.1.4.38.4")
ColorPaletteStorage = UID("1.2.840.10008.5.1.4.39.1")
ColorPaletteQueryRetrieveInformationModelFind = UID("1.2.840.10008.5.1.4.39.2")
ColorPaletteQueryRetrieveInformationModelMove = UID("1.2.840.10008.5.1.4.39.3")
ColorPaletteQueryRetrieveInformationModelGet = UID("1.2.840.10008.5.1.4.39.4")
ProductCharacteristicsQuery = UID("1.2.840.10008.5.1.4.41")
SubstanceApprovalQuery = UID("1.2.840.10008.5.1.4.42")
GenericImplantTemplateStorage = UID("1.2.840.10008.5.1.4.43.1")
GenericImplantTemplateInformationModelFind = UID("1.2.840.10008.5.1.4.43.2")
GenericImplantTemplateInformationModelMove = UID("1.2.840.10008.5.1.4.43.3")
GenericImplantTemplateInformationModelGet = UID("1.2.840.10008.5.1.4.43.4")
ImplantAssemblyTemplateStorage = UID("1.2.840.10008.5.1.4.44.1")
ImplantAssemblyTemplateInformationModelFind = UID("1.2.840.10008.5.1.4.44.2")
ImplantAssemblyTemplateInformationModelMove = UID("1.2.840.10008.5.1.4.44.3")
ImplantAssemblyTemplateInformationModelGet = UID("1.2.840.10008.5.1.4.44.4")
ImplantTemplateGroupStorage = UID("1.2.840.10008.5.1.4.45.1")
ImplantTemplateGroupInformationModelFind = UID("1.2.840.10008.5.1.4.45.2")
ImplantTemplateGroupInformationModelMove = UID("1.2.840.10008.5.1.4.45.3")
ImplantTemplateGroupInformationModelGet = UID("1.2.840.10008.5.1.4.45.4")
VideoEndoscopicImageRealTimeCommunication = UID("1.2.840.10008.10.1")
VideoPhotographicImageRealTimeCommunication = UID("1.2.840.10008.10.2")
AudioWaveformRealTimeCommunication = UID("1.2.840.10008.10.3")
RenditionSelectionDocumentRealTimeCommunication = UID("1.2.840.10008.10.4")

# Meta SOP Class
DetachedPatientManagementMeta = UID("1.2.840.10008.3.1.2.1.4")
DetachedResultsManagementMeta = UID("1.2.840.10008.3.1.2.5.4")
DetachedStudyManagementMeta = UID("1.2.840.10008.3.1.2.5.5")
BasicGrayscalePrintManagementMeta = UID("1.2.840.10008.5.1.1.9")
ReferencedGrayscalePrintManagementMeta = UID("1.2.840.10008.5.1.1.9.1")
BasicColorPrintManagementMeta = UID("1.2.840.10008.5.1.1.18")
ReferencedColorPrintManagementMeta = UID("1.2.840.10008.5.1.1.18.1")
PullStoredPrintManagementMeta = UID("1.2.840.10008.5.1.1.32")
GeneralPurposeWorklistManagementMeta = UID("1.2.840.10008.5.1.4.32")
# --- END GENERATED UID CONSTANTS ---

# Files that dicomcore writes carry these in their File Meta Information.
DICOMCORE_IMPLEMENTATION_UID = UID("2.25.283267059261664334493459026784161450495")
DICOMCORE_IMPLEMENTATION_VERSION_NAME = "DICOMCORE_010"

# pydicom's names for its own root and implementation. dicomcore has no UID
# root of its own: it makes UIDs under 2.25 (PS3.5 B.2), which is what
# generate_uid(prefix=None) does, so code that passes pydicom's root as the
# prefix gets dicomcore's default.
PYDICOM_ROOT_UID: str | None = None
PYDICOM_IMPLEMENTATION_UID = DICOMCORE_IMPLEMENTATION_UID
RE_VALID_UID = _VALID_UID
RE_VALID_UID_PREFIX = re.compile(r"(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*))*\.")


class _UIDDictionary(Mapping[str, tuple[str, str, str, str, str]]):
    """pydicom's ``UID_dictionary``: UID -> ``(name, type, info, "Retired" or
    "", keyword)``, over dicomcore's registry."""

    def __getitem__(self, uid: str) -> tuple[str, str, str, str, str]:
        entry = uid_entry(uid)
        if entry is None:
            raise KeyError(uid)
        name, _, info = entry.name.partition(": ")
        return name, entry.type, info, "Retired" if entry.retired else "", entry.keyword

    def __iter__(self) -> Iterator[str]:
        return iter(registered_uids())

    def __len__(self) -> int:
        return len(registered_uids())


UID_dictionary = _UIDDictionary()

UncompressedTransferSyntaxes: list[UID] = [
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRBigEndian,
]
"""Transfer syntaxes with native (not encapsulated) Pixel Data."""

JPEGTransferSyntaxes: list[UID] = [
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLossless,
    JPEGLosslessSV1,
]
"""The JPEG (ISO/IEC 10918-1) transfer syntaxes in current use (PS3.5 A.4.1)."""

JPEGLSTransferSyntaxes: list[UID] = [JPEGLSLossless, JPEGLSNearLossless]
"""The JPEG-LS transfer syntaxes (PS3.5 A.4.3)."""

JPEG2000TransferSyntaxes: list[UID] = [
    JPEG2000Lossless,
    JPEG2000,
    JPEG2000MCLossless,
    JPEG2000MC,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    HTJ2K,
]
"""The JPEG 2000 and High-Throughput JPEG 2000 transfer syntaxes."""

JPEGXLTransferSyntaxes: list[UID] = [JPEGXLLossless, JPEGXLJPEGRecompression, JPEGXL]
"""The JPEG XL transfer syntaxes."""

MPEGTransferSyntaxes: list[UID] = [
    MPEG2MPML,
    MPEG2MPMLF,
    MPEG2MPHL,
    MPEG2MPHLF,
    MPEG4HP41,
    MPEG4HP41F,
    MPEG4HP41BD,
    MPEG4HP41BDF,
    MPEG4HP422D,
    MPEG4HP422DF,
    MPEG4HP423D,
    MPEG4HP423DF,
    MPEG4HP42STEREO,
    MPEG4HP42STEREOF,
    HEVCMP51,
    HEVCM10P51,
]
"""The MPEG-2, MPEG-4 AVC/H.264 and HEVC/H.265 transfer syntaxes."""

RLETransferSyntaxes: list[UID] = [RLELossless]
"""The RLE Lossless transfer syntax (PS3.5 A.4.2)."""

DeflatedTransferSyntaxes: list[UID] = [
    DeflatedExplicitVRLittleEndian,
    JPIPReferencedDeflate,
    JPIPHTJ2KReferencedDeflate,
]
"""Transfer syntaxes whose data set is deflated as a whole (PS3.5 A.5, A.7, A.12)."""

AllTransferSyntaxes: list[UID] = [
    *UncompressedTransferSyntaxes,
    EncapsulatedUncompressedExplicitVRLittleEndian,
    *JPEGTransferSyntaxes,
    *JPEGLSTransferSyntaxes,
    *JPEG2000TransferSyntaxes,
    *JPEGXLTransferSyntaxes,
    *MPEGTransferSyntaxes,
    *RLETransferSyntaxes,
    DeflatedImageFrameCompression,
]
"""Every transfer syntax of the groups above: those in current use that carry
Pixel Data in the data set, and Explicit VR Big Endian."""

PrivateTransferSyntaxes: list[UID] = []
"""Private transfer syntaxes added with :func:`register_transfer_syntax`."""

_IMPLICIT_VR = frozenset({ImplicitVRLittleEndian, Papyrus3ImplicitVRLittleEndian})
_BIG_ENDIAN = frozenset({ExplicitVRBigEndian})
_DEFLATED = frozenset(DeflatedTransferSyntaxes)
# Pixel Data native, referenced by URL (JPIP, PS3.5 A.6, A.7, A.11, A.12) or
# sent outside the data set (SMPTE ST 2110, PS3.5 A.8-A.10); the rest encapsulate.
_NOT_ENCAPSULATED = frozenset(
    {
        ImplicitVRLittleEndian,
        ExplicitVRLittleEndian,
        DeflatedExplicitVRLittleEndian,
        ExplicitVRBigEndian,
        Papyrus3ImplicitVRLittleEndian,
        JPIPReferenced,
        JPIPReferencedDeflate,
        JPIPHTJ2KReferenced,
        JPIPHTJ2KReferencedDeflate,
        RFC2557MIMEEncapsulation,
        XMLEncoding,
        SMPTEST211020UncompressedProgressiveActiveVideo,
        SMPTEST211020UncompressedInterlacedActiveVideo,
        SMPTEST211030PCMDigitalAudio,
    }
)
_LOSSY = frozenset(
    {
        JPEGBaseline8Bit,
        JPEGExtended12Bit,
        JPEGExtended35,
        JPEGSpectralSelectionNonHierarchical68,
        JPEGSpectralSelectionNonHierarchical79,
        JPEGFullProgressionNonHierarchical1012,
        JPEGFullProgressionNonHierarchical1113,
        JPEGExtendedHierarchical1618,
        JPEGExtendedHierarchical1719,
        JPEGSpectralSelectionHierarchical2022,
        JPEGSpectralSelectionHierarchical2123,
        JPEGFullProgressionHierarchical2426,
        JPEGFullProgressionHierarchical2527,
        JPEGLSNearLossless,
        JPEG2000,
        JPEG2000MC,
        JPIPReferenced,
        JPIPReferencedDeflate,
        HTJ2K,
        JPIPHTJ2KReferenced,
        JPIPHTJ2KReferencedDeflate,
        # A JPEG XL recompression reproduces a (lossy) JPEG bit stream.
        JPEGXLJPEGRecompression,
        JPEGXL,
        *MPEGTransferSyntaxes,
    }
)

__all__ = [
    "AllTransferSyntaxes",
    "DICOMCORE_IMPLEMENTATION_UID",
    "DICOMCORE_IMPLEMENTATION_VERSION_NAME",
    "PYDICOM_IMPLEMENTATION_UID",
    "PYDICOM_ROOT_UID",
    "RE_VALID_UID",
    "RE_VALID_UID_PREFIX",
    "UID_dictionary",
    "DeflatedTransferSyntaxes",
    "JPEG2000TransferSyntaxes",
    "JPEGLSTransferSyntaxes",
    "JPEGTransferSyntaxes",
    "JPEGXLTransferSyntaxes",
    "MPEGTransferSyntaxes",
    "PrivateTransferSyntaxes",
    "RLETransferSyntaxes",
    "UID",
    "UncompressedTransferSyntaxes",
    "generate_uid",
    "register_transfer_syntax",
    # The generated keyword constants.
    *sorted(
        name
        for name, value in list(globals().items())
        if isinstance(value, UID) and name[0].isupper() and "_" not in name
    ),
]
