"""The shape of pixel data, as the Image Pixel module describes it.

A :class:`PixelLayout` is everything a codec needs to know about a frame; it
is the only description of the image that a codec ever receives (codecs never
see a dataset).  :meth:`PixelLayout.from_dataset` reads and validates the Image
Pixel module (PS3.3 C.7.6.3) and the Floating Point Image Pixel modules, naming
the attribute that is wrong.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np

from dicomcore import config
from dicomcore.dataelem import RawDataElement
from dicomcore.errors import InvalidPixelModuleError

__all__ = [
    "COLOR_PHOTOMETRIC_INTERPRETATIONS",
    "MONOCHROME_PHOTOMETRIC_INTERPRETATIONS",
    "PHOTOMETRIC_INTERPRETATIONS",
    "PIXEL_KEYWORDS",
    "PixelKeyword",
    "PixelLayout",
    "number_of_frames",
]

PixelKeyword = Literal["PixelData", "FloatPixelData", "DoubleFloatPixelData"]

#: The three elements that may hold an image, and the Bits Allocated each needs
#: (None: 1 or any multiple of 8 up to 64).
PIXEL_KEYWORDS: Final[dict[str, int | None]] = {
    "PixelData": None,
    "FloatPixelData": 32,
    "DoubleFloatPixelData": 64,
}


def number_of_frames(ds: Any) -> int:
    """Number of Frames (0028,0008) of ``ds``; 1 when absent or empty
    (PS3.3 C.7.6.6: a single-frame image need not have it)."""
    value = ds.get("NumberOfFrames")
    return int(value) if value not in (None, "") else 1


#: Defined terms of Photometric Interpretation with one sample per pixel.
MONOCHROME_PHOTOMETRIC_INTERPRETATIONS: Final = frozenset(
    {"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR"}
)
#: Defined terms with three samples per pixel (HSV and YBR_PARTIAL_422 are
#: retired but still met in old files; XYB arrived with JPEG XL).
COLOR_PHOTOMETRIC_INTERPRETATIONS: Final = frozenset(
    {
        "RGB",
        "YBR_FULL",
        "YBR_FULL_422",
        "YBR_PARTIAL_420",
        "YBR_PARTIAL_422",
        "YBR_ICT",
        "YBR_RCT",
        "XYB",
        "HSV",
    }
)
PHOTOMETRIC_INTERPRETATIONS: Final = (
    MONOCHROME_PHOTOMETRIC_INTERPRETATIONS | COLOR_PHOTOMETRIC_INTERPRETATIONS
)

# ARGB and CMYK (four samples) were retired from the standard long ago; naming
# them in the error saves the user a search.
_RETIRED_FOUR_SAMPLE = frozenset({"ARGB", "CMYK"})

_INTEGER_FIELDS = (
    ("rows", "Rows"),
    ("columns", "Columns"),
    ("samples_per_pixel", "SamplesPerPixel"),
    ("planar_configuration", "PlanarConfiguration"),
    ("bits_allocated", "BitsAllocated"),
    ("bits_stored", "BitsStored"),
    ("high_bit", "HighBit"),
    ("pixel_representation", "PixelRepresentation"),
    ("number_of_frames", "NumberOfFrames"),
)

# Container types by (bits, signed) and by bits for float pixels.
_INTEGER_DTYPES: Final[dict[tuple[int, bool], np.dtype[Any]]] = {
    (bits, signed): np.dtype(f"{'int' if signed else 'uint'}{bits}")
    for bits in (8, 16, 32, 64)
    for signed in (False, True)
}
_FLOAT_DTYPES: Final[dict[int, np.dtype[Any]]] = {
    32: np.dtype("float32"),
    64: np.dtype("float64"),
}
# The cached derived values, computed when a layout is made.
_CACHED: Final = ("dtype", "frame_shape", "frame_length_bits", "frame_length")


# What pydicom's encoders and decoders need described, with no default.
_REQUIRED_PIXEL_OPTIONS: Final = (
    "rows",
    "columns",
    "samples_per_pixel",
    "bits_allocated",
    "bits_stored",
    "photometric_interpretation",
)


@dataclass(frozen=True)
class PixelLayout:
    """How the pixels of one image are arranged.

    Field names follow the standard's attribute names.  Constructing a layout
    checks the structural rules (the ones without which no frame can be cut or
    decoded) and raises :class:`~dicomcore.errors.InvalidPixelModuleError`
    naming the attribute.  The softer rules that real files often break (High
    Bit one less than Bits Stored, Photometric Interpretation agreeing with
    Samples per Pixel) are checked by :meth:`from_dataset` under
    ``dicomcore.config.settings.reading_validation_mode``.

    For Float Pixel Data and Double Float Pixel Data, ``bits_stored`` equals
    ``bits_allocated``, ``high_bit`` is one less and ``pixel_representation``
    is 0 (those attributes are not part of the floating point modules).

    Example::

        >>> layout = PixelLayout(rows=2, columns=3, bits_allocated=16,
        ...                      bits_stored=12, pixel_representation=1)
        >>> layout.dtype, layout.frame_shape, layout.frame_length
        (dtype('int16'), (2, 3), 12)
    """

    rows: int
    columns: int
    samples_per_pixel: int = 1
    photometric_interpretation: str = "MONOCHROME2"
    planar_configuration: int = 0
    bits_allocated: int = 8
    bits_stored: int = 8
    #: -1 (the default) means ``bits_stored - 1``, the value the standard requires.
    high_bit: int = -1
    pixel_representation: int = 0
    number_of_frames: int = 1
    pixel_keyword: PixelKeyword = "PixelData"
    #: The transfer syntax of the data this layout describes (a UID string).
    transfer_syntax: str = "1.2.840.10008.1.2.1"
    #: The VR of the pixel element ("OB", "OW", "OF", "OD"), or "" when not
    #: known.  Only Explicit VR Big Endian needs it: there an OW value is
    #: byte-swapped in 16-bit words and an OB value not at all, whatever Bits
    #: Allocated says (DCMTK writes 8-bit and 1-bit big endian data as OB).
    #: It describes the element's encoding, not the image, so layouts that
    #: differ only here compare equal.
    pixel_vr: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for field_name, keyword in _INTEGER_FIELDS:
            value = getattr(self, field_name)
            if type(value) is int:
                continue  # the usual case, without the slower ABC check below
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise InvalidPixelModuleError(
                    keyword, f"expected an integer, got {value!r}"
                )
            # numpy integers and pydicom's IS become plain int, so that layouts
            # compare and hash the same whatever produced them.
            object.__setattr__(self, field_name, int(value))
        if self.high_bit == -1:
            object.__setattr__(self, "high_bit", self.bits_stored - 1)
        object.__setattr__(self, "transfer_syntax", str(self.transfer_syntax))
        object.__setattr__(self, "pixel_vr", str(self.pixel_vr).strip())
        object.__setattr__(
            self, "photometric_interpretation", str(self.photometric_interpretation)
        )
        self._check()
        # Filled now rather than on first use: functools.cached_property
        # takes a lock on every first use, and each layout's is soon.
        cached = self.__dict__
        for name in _CACHED:
            cached[name] = getattr(type(self), name).func(self)

    def _check(self) -> None:
        if self.rows < 1:
            raise InvalidPixelModuleError(
                "Rows", f"must be at least 1, got {self.rows}"
            )
        if self.columns < 1:
            raise InvalidPixelModuleError(
                "Columns", f"must be at least 1, got {self.columns}"
            )
        if self.samples_per_pixel not in (1, 3):
            raise InvalidPixelModuleError(
                "SamplesPerPixel",
                f"must be 1 or 3, got {self.samples_per_pixel}"
                + (
                    " (four samples belong to the retired ARGB and CMYK "
                    "photometric interpretations, which dicomcore does not support)"
                    if self.samples_per_pixel == 4
                    else ""
                ),
            )
        photometric = self.photometric_interpretation
        if photometric not in PHOTOMETRIC_INTERPRETATIONS:
            retired = photometric in _RETIRED_FOUR_SAMPLE
            detail = " (retired, four samples per pixel)" if retired else ""
            raise InvalidPixelModuleError(
                "PhotometricInterpretation", f"unknown term {photometric!r}{detail}"
            )
        if self.planar_configuration not in (0, 1):
            raise InvalidPixelModuleError(
                "PlanarConfiguration",
                f"must be 0 or 1, got {self.planar_configuration}",
            )
        if self.pixel_keyword not in PIXEL_KEYWORDS:
            raise InvalidPixelModuleError(
                self.pixel_keyword,
                "not a pixel data keyword; expected one of "
                + ", ".join(PIXEL_KEYWORDS),
            )
        required_bits = PIXEL_KEYWORDS[self.pixel_keyword]
        if required_bits is not None:
            if self.bits_allocated != required_bits:
                raise InvalidPixelModuleError(
                    "BitsAllocated",
                    f"must be {required_bits} for {self.pixel_keyword}, "
                    f"got {self.bits_allocated}",
                )
        elif self.bits_allocated not in (1, 8, 16, 32, 64):
            # 24, 40, 48 or 56 would be allowed by the standard's wording but
            # have no container type: no writer is known to use them.
            raise InvalidPixelModuleError(
                "BitsAllocated",
                f"must be 1, 8, 16, 32 or 64, got {self.bits_allocated}",
            )
        if self.bits_allocated == 1 and self.samples_per_pixel != 1:
            # Bit-packed data is single-sample only (PS3.5 8.1.1).
            raise InvalidPixelModuleError(
                "SamplesPerPixel",
                f"must be 1 when Bits Allocated is 1, got {self.samples_per_pixel}",
            )
        if not 1 <= self.bits_stored <= self.bits_allocated:
            raise InvalidPixelModuleError(
                "BitsStored",
                f"must be between 1 and Bits Allocated ({self.bits_allocated}), "
                f"got {self.bits_stored}",
            )
        # The standard requires High Bit = Bits Stored - 1; other values are
        # tolerated (see from_dataset), but one outside the container is nonsense.
        if not self.bits_stored - 1 <= self.high_bit < self.bits_allocated:
            raise InvalidPixelModuleError(
                "HighBit",
                f"must be between Bits Stored - 1 ({self.bits_stored - 1}) and "
                f"Bits Allocated - 1 ({self.bits_allocated - 1}), got {self.high_bit}",
            )
        if self.pixel_representation not in (0, 1):
            raise InvalidPixelModuleError(
                "PixelRepresentation",
                f"must be 0 (unsigned) or 1 (two's complement), "
                f"got {self.pixel_representation}",
            )
        if self.number_of_frames < 1:
            raise InvalidPixelModuleError(
                "NumberOfFrames", f"must be at least 1, got {self.number_of_frames}"
            )
        if not self.transfer_syntax:
            raise InvalidPixelModuleError("TransferSyntaxUID", "must not be empty")

    # -- derived values ---------------------------------------------------

    @property
    def is_float(self) -> bool:
        """True for Float Pixel Data and Double Float Pixel Data."""
        return self.pixel_keyword != "PixelData"

    @property
    def is_signed(self) -> bool:
        """True for integer pixels stored as two's complement (Pixel Representation 1).

        Always False for floating point pixels; check :attr:`is_float` first.
        """
        return not self.is_float and self.pixel_representation == 1

    # The derived values below are cached (set by __post_init__): decoders
    # and the pipeline ask for them on every frame.

    @functools.cached_property
    def dtype(self) -> np.dtype[Any]:
        """The numpy container type of one sample, in native byte order.

        1-bit pixels are held one per ``uint8`` once unpacked.
        """
        if self.is_float:
            return _FLOAT_DTYPES[self.bits_allocated]
        size = max(self.bits_allocated, 8)
        return _INTEGER_DTYPES[size, self.is_signed]

    @functools.cached_property
    def frame_shape(self) -> tuple[int, ...]:
        """Shape of one decoded frame: (rows, columns) or (rows, columns, samples)."""
        if self.samples_per_pixel == 1:
            return (self.rows, self.columns)
        return (self.rows, self.columns, self.samples_per_pixel)

    @property
    def pixels_per_frame(self) -> int:
        """Rows x Columns."""
        return self.rows * self.columns

    @functools.cached_property
    def frame_length_bits(self) -> int:
        """Length in bits of one frame of native (uncompressed) data.

        Native YBR_FULL_422 data holds two samples per pixel, not three: each
        pair of pixels shares one Cb and one Cr (PS3.3 C.7.6.3.1.2).
        """
        samples = self.samples_per_pixel
        if self.photometric_interpretation == "YBR_FULL_422" and samples == 3:
            samples = 2
        return self.pixels_per_frame * samples * self.bits_allocated

    @functools.cached_property
    def frame_length(self) -> int:
        """Length in bytes of one frame of native data, rounded up.

        With Bits Allocated 1, native frames follow one another without
        padding, so frame ``k`` may start inside a byte: locate it with
        :attr:`frame_length_bits` instead.
        """
        return math.ceil(self.frame_length_bits / 8)

    # -- from pydicom's keyword arguments ----------------------------------

    @classmethod
    def from_pixel_options(cls, transfer_syntax: str, **options: Any) -> PixelLayout:
        """The layout that pydicom's encoder and decoder keyword arguments
        describe (``rows=``, ``columns=``, ``bits_allocated=``, ...).

        Missing ``number_of_frames`` means 1, missing ``pixel_representation``
        and ``planar_configuration`` (or None) mean 0, missing
        ``pixel_keyword`` means Pixel Data; the rest are required.  Other
        keys are ignored.

        >>> PixelLayout.from_pixel_options(
        ...     "1.2.840.10008.1.2.5", rows=2, columns=3, samples_per_pixel=1,
        ...     bits_allocated=16, bits_stored=12,
        ...     photometric_interpretation="MONOCHROME2").dtype
        dtype('uint16')
        """
        for name in _REQUIRED_PIXEL_OPTIONS:
            if options.get(name) is None:
                raise TypeError(f"the pixel description needs '{name}'")
        keyword: PixelKeyword = options.get("pixel_keyword") or "PixelData"
        if keyword not in PIXEL_KEYWORDS:
            raise InvalidPixelModuleError(
                "pixel_keyword", f"{keyword!r} is not one of {sorted(PIXEL_KEYWORDS)}"
            )
        frames = options.get("number_of_frames")
        return cls(
            rows=options["rows"],
            columns=options["columns"],
            samples_per_pixel=options["samples_per_pixel"],
            photometric_interpretation=str(options["photometric_interpretation"]),
            planar_configuration=options.get("planar_configuration") or 0,
            bits_allocated=options["bits_allocated"],
            bits_stored=options["bits_stored"],
            pixel_representation=options.get("pixel_representation") or 0,
            number_of_frames=1 if frames is None else frames,
            pixel_keyword=keyword,
            transfer_syntax=str(transfer_syntax),
        )

    # -- reading from a dataset -------------------------------------------

    @classmethod
    def from_dataset(cls, ds: Any, transfer_syntax: str | None = None) -> PixelLayout:
        """Read and validate the pixel module of ``ds``.

        ``ds`` is any object with ``get(keyword)`` (the value or None), ``in``
        by keyword and, optionally, a ``file_meta`` of the same kind: a
        dicomcore or pydicom dataset.  The transfer syntax is ``transfer_syntax``
        when given, else the file meta Transfer Syntax UID, else (a dataset
        read without File Meta Information) the encoding it was read with,
        from ``ds.original_encoding``; without any of them an
        :class:`~dicomcore.errors.InvalidPixelModuleError` naming
        ``TransferSyntaxUID`` is raised, since guessing would misread
        compressed or big endian data.  ``pixel_vr`` is the pixel element's
        VR when ``ds[keyword]`` gives an element.

        Missing values: Number of Frames defaults to 1; High Bit to Bits
        Stored - 1; Planar Configuration (required when there are three
        samples) to 0.  A High Bit other than Bits Stored - 1, a defaulted
        Planar Configuration, and a Photometric Interpretation that disagrees
        with Samples per Pixel are reported by
        ``dicomcore.config.settings.reading_validation_mode`` (warn by
        default; the pixels are read from bit 0 as every current writer
        stores them).  Everything else that is missing or out of range raises
        :class:`~dicomcore.errors.InvalidPixelModuleError`.
        """
        elements = undecoded_elements(ds)
        key = None
        if elements is not None and transfer_syntax is None:
            key = _layout_key(ds, elements)
            if key is not None:
                known = _KNOWN_LAYOUTS.get(key)
                if known is not None:
                    return known
        layout, tolerated = cls._read(ds, transfer_syntax, elements)
        if key is not None and not tolerated:
            # Equal bytes give an equal layout; one with a tolerated deviation
            # is worked out (and reported) afresh each time.
            if len(_KNOWN_LAYOUTS) >= _KNOWN_LAYOUTS_LIMIT:
                _KNOWN_LAYOUTS.clear()
            _KNOWN_LAYOUTS[key] = layout
        return layout

    @classmethod
    def _read(
        cls, ds: Any, transfer_syntax: str | None, elements: dict[int, Any] | None
    ) -> tuple[PixelLayout, bool]:
        """from_dataset's work: the layout, and whether a tolerated deviation
        was reported."""
        if elements is not None:
            present = [kw for kw, tag in PIXEL_TAGS.items() if tag in elements]
        else:
            present = [keyword for keyword in PIXEL_KEYWORDS if keyword in ds]
        if len(present) > 1:
            raise InvalidPixelModuleError(
                present[1],
                f"the dataset holds {' and '.join(present)}; only one is allowed",
            )
        if not present:
            raise InvalidPixelModuleError(
                "PixelData",
                "the dataset has no Pixel Data, Float Pixel Data or "
                "Double Float Pixel Data",
            )
        pixel_keyword: PixelKeyword = present[0]  # type: ignore[assignment]  # one of the three Literal keys
        is_float = pixel_keyword != "PixelData"

        rows = _required_int(ds, "Rows", elements)
        columns = _required_int(ds, "Columns", elements)
        samples_per_pixel = _required_int(ds, "SamplesPerPixel", elements)
        photometric = _required_str(ds, "PhotometricInterpretation", elements)
        bits_allocated = _required_int(ds, "BitsAllocated", elements)
        if is_float:
            bits_stored = bits_allocated
            high_bit: int | None = None
            pixel_representation = 0
        else:
            bits_stored = _required_int(ds, "BitsStored", elements)
            high_bit = _optional_int(ds, "HighBit", elements)
            pixel_representation = _required_int(ds, "PixelRepresentation", elements)
        number_of_frames = _optional_int(ds, "NumberOfFrames", elements)
        planar_configuration = _optional_int(ds, "PlanarConfiguration", elements)

        # Hard rules first (the constructor), so that a file with a real error
        # is not also told about the tolerated ones.
        layout = cls(
            rows=rows,
            columns=columns,
            samples_per_pixel=samples_per_pixel,
            photometric_interpretation=photometric,
            planar_configuration=planar_configuration or 0,
            bits_allocated=bits_allocated,
            bits_stored=bits_stored,
            high_bit=bits_stored - 1 if high_bit is None else high_bit,
            pixel_representation=pixel_representation,
            number_of_frames=1 if number_of_frames is None else number_of_frames,
            pixel_keyword=pixel_keyword,
            transfer_syntax=_transfer_syntax(ds, transfer_syntax),
            pixel_vr=_pixel_vr(ds, pixel_keyword, elements),
        )
        tolerated = False
        if planar_configuration is None and samples_per_pixel > 1:
            tolerated = True
            _report(
                "PlanarConfiguration",
                f"missing though Samples per Pixel is {samples_per_pixel}; "
                "assuming 0 (interleaved)",
            )
        if high_bit is not None and high_bit != bits_stored - 1:
            tolerated = True
            _report(
                "HighBit",
                f"is {high_bit} but the standard requires Bits Stored - 1 "
                f"({bits_stored - 1}); reading Bits Stored bits from bit 0",
            )
        monochrome = photometric in MONOCHROME_PHOTOMETRIC_INTERPRETATIONS
        expected_samples = 1 if monochrome else 3
        if samples_per_pixel != expected_samples:
            tolerated = True
            _report(
                "PhotometricInterpretation",
                f"{photometric} needs {expected_samples} sample(s) per pixel "
                f"but Samples per Pixel is {samples_per_pixel}",
            )
        return layout, tolerated


# Layouts by the undecoded bytes they were read from: the images of a series
# share their pixel module, so each file's is looked up rather than worked
# out (see _layout_key).  Forgotten all at once when full.
_KNOWN_LAYOUTS: dict[tuple[Any, ...], PixelLayout] = {}
_KNOWN_LAYOUTS_LIMIT: Final = 256
#: What from_dataset reads besides the pixel element and the transfer syntax.
LAYOUT_TAGS: Final = (
    0x00280002,  # Samples per Pixel
    0x00280004,  # Photometric Interpretation
    0x00280006,  # Planar Configuration
    0x00280008,  # Number of Frames
    0x00280010,  # Rows
    0x00280011,  # Columns
    0x00280100,  # Bits Allocated
    0x00280101,  # Bits Stored
    0x00280102,  # High Bit
    0x00280103,  # Pixel Representation
)


def _layout_key(ds: Any, elements: dict[int, Any]) -> tuple[Any, ...] | None:
    """Everything from_dataset reads from a dicomcore dataset, while all of
    it is undecoded: each element's VR, bytes and byte order, the pixel
    elements there with their VRs, and the transfer syntax's bytes (or the
    encoding read with, without one).  None when something is decoded
    already (then its value may have been changed)."""
    key: list[Any] = []
    for raw in map(elements.get, LAYOUT_TAGS):
        if raw is None:
            key.append(None)
        elif type(raw) is RawDataElement and type(raw.value) is bytes:
            key.append((raw.VR, raw.value, raw.is_little_endian))
        else:
            return None
    for tag in PIXEL_TAGS.values():
        raw = elements.get(tag)
        if raw is not None:
            if type(raw) is not RawDataElement:
                return None
            key.append((tag, raw.VR, raw.is_undefined_length))
    meta = undecoded_elements(getattr(ds, "file_meta", None))
    raw = None if meta is None else meta.get(_TRANSFER_SYNTAX_UID)
    if raw is None:
        key.append(getattr(ds, "original_encoding", None))
    elif type(raw) is RawDataElement and type(raw.value) is bytes:
        key.append(raw.value)
    else:
        return None
    return tuple(key)


def _report(attribute: str, message: str) -> None:
    """Apply the reading validation mode to a tolerated deviation."""
    mode = config.settings.reading_validation_mode
    if mode == config.RAISE:
        raise InvalidPixelModuleError(attribute, message)
    if mode == config.WARN:
        # stacklevel points past from_dataset to whoever asked for the layout
        warnings.warn(f"{attribute}: {message}", UserWarning, stacklevel=3)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, bytes)) and not value.strip())


def _as_int(keyword: str, value: Any) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool):
        raise InvalidPixelModuleError(keyword, f"expected an integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (str, bytes)):
        text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
        try:
            return int(text.strip())
        except ValueError:
            raise InvalidPixelModuleError(
                keyword, f"expected an integer, got {value!r}"
            ) from None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)) or hasattr(value, "__len__"):
        raise InvalidPixelModuleError(
            keyword, f"expected one value, got {len(value)}: {value!r}"
        )
    raise InvalidPixelModuleError(keyword, f"expected an integer, got {value!r}")


# The pixel module's US attributes by keyword (PS3.3 C.7.6.3), read from
# their bytes when a dicomcore dataset still holds them undecoded.
_US_TAGS: Final = {
    "SamplesPerPixel": 0x00280002,
    "PlanarConfiguration": 0x00280006,
    "Rows": 0x00280010,
    "Columns": 0x00280011,
    "BitsAllocated": 0x00280100,
    "BitsStored": 0x00280101,
    "HighBit": 0x00280102,
    "PixelRepresentation": 0x00280103,
}
_US_VRS: Final = ("US", None)
_CS_TAGS: Final = {"PhotometricInterpretation": 0x00280004}
_CS_VRS: Final = ("CS", None)
#: The tag of each pixel keyword.
PIXEL_TAGS: Final = {
    "PixelData": 0x7FE00010,
    "FloatPixelData": 0x7FE00008,
    "DoubleFloatPixelData": 0x7FE00009,
}
# Pixel element VRs an explicit VR file states (an implicit VR file's are
# resolved by the dataset: Pixel Data's is "OB or OW").
_PIXEL_VRS: Final = ("OB", "OW", "OF", "OD")
_TRANSFER_SYNTAX_UID: Final = 0x00020010


def undecoded_elements(ds: Any) -> dict[int, Any] | None:
    """A dataset's element dict, where elements read from a file and not
    used yet are still raw: their values are read here straight from their
    bytes (what decoding them would give), without decoding every element
    of every file a series reads.  None for an object without one; a
    pydicom dataset's holds pydicom's own raw elements, which the checks
    for dicomcore's RawDataElement pass over."""
    elements = getattr(ds, "_dict", None)
    return elements if type(elements) is dict else None


def _raw_value(elements: dict[int, Any] | None, tag: int, vrs: tuple[Any, ...]) -> Any:
    """The bytes of an undecoded element of one of ``vrs`` (None: an implicit
    VR file's), else None."""
    if elements is None:
        return None
    raw = elements.get(tag)
    if type(raw) is not RawDataElement or raw.VR not in vrs:
        return None
    value = raw.value
    return value if type(value) is bytes else None


def _undecoded_us(
    ds: Any, keyword: str, elements: dict[int, Any] | None = None
) -> int | None:
    """The value of a US attribute read from a file and not decoded yet,
    straight from its two bytes (what decoding would give), else None."""
    tag = _US_TAGS.get(keyword)
    if tag is None:
        return None
    if elements is None:
        elements = undecoded_elements(ds)
    value = _raw_value(elements, tag, _US_VRS)
    if value is None or len(value) != 2:
        return None
    little = elements[tag].is_little_endian  # type: ignore[index]  # found above
    return int.from_bytes(value, "little" if little else "big")


def _optional_int(
    ds: Any, keyword: str, elements: dict[int, Any] | None = None
) -> int | None:
    quick = _undecoded_us(ds, keyword, elements)
    if quick is not None:
        return quick
    value = ds.get(keyword)
    if type(value) is int:  # a US value, as read from a file
        return value
    return None if _is_empty(value) else _as_int(keyword, value)


def _required_int(ds: Any, keyword: str, elements: dict[int, Any] | None = None) -> int:
    value = _optional_int(ds, keyword, elements)
    if value is None:
        raise InvalidPixelModuleError(keyword, "missing or empty")
    return value


def _required_str(ds: Any, keyword: str, elements: dict[int, Any] | None = None) -> str:
    raw = _raw_value(elements, _CS_TAGS.get(keyword, 0), _CS_VRS)
    if raw is not None and b"\\" not in raw:
        # One CS value as its decoder reads it (ASCII, padding dropped).
        quick = raw.decode("latin-1").strip()
        if quick:
            return quick
    value = ds.get(keyword)
    if _is_empty(value):
        raise InvalidPixelModuleError(keyword, "missing or empty")
    if not isinstance(value, str):
        raise InvalidPixelModuleError(
            keyword, f"expected one text value, got {value!r}"
        )
    return value.strip()


# What a dataset read without File Meta Information was encoded with,
# (implicit VR, little endian) -> the transfer syntax of that encoding.
_ENCODING_TRANSFER_SYNTAX: Final = {
    (True, True): "1.2.840.10008.1.2",
    (False, True): "1.2.840.10008.1.2.1",
    (False, False): "1.2.840.10008.1.2.2",
}


def _pixel_vr(ds: Any, keyword: str, elements: dict[int, Any] | None = None) -> str:
    raw = None if elements is None else elements.get(PIXEL_TAGS[keyword])
    if type(raw) is RawDataElement and raw.VR in _PIXEL_VRS:
        return raw.VR  # type: ignore[no-any-return]  # one of them
    try:
        element = ds[keyword]
    except Exception:  # a duck-typed dataset may not index by keyword
        return ""
    vr = getattr(element, "VR", "")
    return vr if isinstance(vr, str) else ""


def _transfer_syntax(ds: Any, transfer_syntax: str | None) -> str:
    if transfer_syntax is None:
        file_meta = getattr(ds, "file_meta", None)
        raw = _raw_value(undecoded_elements(file_meta), _TRANSFER_SYNTAX_UID, ("UI",))
        if raw is not None:
            transfer_syntax = raw.decode("latin-1")
        elif file_meta is not None and len(file_meta):
            transfer_syntax = file_meta.get("TransferSyntaxUID")
    if _is_empty(transfer_syntax):
        encoding = getattr(ds, "original_encoding", None)
        if isinstance(encoding, tuple):
            transfer_syntax = _ENCODING_TRANSFER_SYNTAX.get(encoding)
    if _is_empty(transfer_syntax):
        raise InvalidPixelModuleError(
            "TransferSyntaxUID",
            "the dataset has no file meta Transfer Syntax UID; set "
            "ds.file_meta.TransferSyntaxUID or pass transfer_syntax=...",
        )
    # UIDs read from files may keep their trailing NUL padding
    return str(transfer_syntax).strip("\x00 ")
