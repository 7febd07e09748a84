"""Compressing and decompressing a dataset's pixel data, in pydicom 3's shape.

The two ends of encoding (DESIGN.md, pixel pipeline step 5)::

    from dicomcore.pixels import compress, decompress
    from dicomcore.uid import JPEGLSLossless, RLELossless

    compress(ds, RLELossless)                # the dataset's own pixels
    compress(ds, JPEGLSLossless, arr)        # pixels from an array
    decompress(ds)                           # native, Explicit VR Little Endian

:func:`compress` encodes frame by frame: frames of an array as they are, or
the dataset's own frames decoded one at a time, so re-encoding compressed
data (transcoding) holds one decoded frame, never the volume.  Then it
encapsulates the encoded frames and updates the dataset as PS3.3 and PS3.5
require; :func:`decompress` decodes every frame into native Pixel Data.
Nothing in the dataset changes until every frame has been encoded or
decoded, so a failure leaves the dataset as it was.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, Final

import numpy as np

from dicomcore import config
from dicomcore.errors import (
    CodecError,
    InvalidPixelModuleError,
    LimitError,
    PixelDataError,
)
from dicomcore.io.encapsulation import encapsulate, encapsulate_extended
from dicomcore.pixels._records import Encoder
from dicomcore.pixels.frames import open_frames
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.pipeline import DecodeOptions, Pipeline, full_resolution
from dicomcore.pixels.registry import (
    choose_encoder,
    choose_transcoder,
    encode_frame,
    transcode_frame,
)
from dicomcore.pixels.store import set_pixel_data

__all__ = ["compress", "decompress", "lossy_method", "new_instance_uid"]

EXPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2.1"

_PIXEL_DATA: Final = 0x7FE00010
_EXTENDED_OFFSET_TABLE: Final = "ExtendedOffsetTable"
_EXTENDED_OFFSET_TABLE_LENGTHS: Final = "ExtendedOffsetTableLengths"
# The Basic Offset Table holds 32-bit offsets (PS3.5 A.4); past this the
# Extended Offset Table (PS3.3 C.7.6.3.1.8) is the only table that can.
_MAX_BASIC_OFFSET: Final = 0xFFFFFFFF
_ITEM_HEADER_LENGTH: Final = 8
# A native value's length is a 32-bit field and 0xFFFFFFFF means undefined
# (PS3.5 7.1.1): the largest even length that can be written.
_MAX_NATIVE_LENGTH: Final = 0xFFFFFFFE

#: Lossy Image Compression Method (0028,2114) defined terms (PS3.3
#: C.7.6.1.1.5.1) for the lossy transfer syntaxes of still images.
_LOSSY_METHODS: Final = {
    "1.2.840.10008.1.2.4.50": "ISO_10918_1",  # JPEG Baseline (Process 1)
    "1.2.840.10008.1.2.4.51": "ISO_10918_1",  # JPEG Extended (Process 2 & 4)
    "1.2.840.10008.1.2.4.81": "ISO_14495_1",  # JPEG-LS Near-Lossless
    "1.2.840.10008.1.2.4.91": "ISO_15444_1",  # JPEG 2000
    "1.2.840.10008.1.2.4.203": "ISO_15444_15",  # High-Throughput JPEG 2000
    "1.2.840.10008.1.2.4.112": "ISO_18181_1",  # JPEG XL
}

# The Image Pixel module attributes that must describe an array given to
# compress() (PS3.3 C.7.6.3).
_MODULE_ATTRIBUTES: Final = (
    "Rows",
    "Columns",
    "SamplesPerPixel",
    "PhotometricInterpretation",
    "BitsAllocated",
    "BitsStored",
    "PixelRepresentation",
)


def lossy_method(transfer_syntax: str, encoder: Encoder | None = None) -> str | None:
    """The Lossy Image Compression Method term for ``transfer_syntax``, if any.

    dicomcore's table of the standard's lossy transfer syntaxes first, then
    the ``lossy_method`` of ``encoder`` (for a transfer syntax the table does
    not know).

    >>> lossy_method("1.2.840.10008.1.2.4.50")
    'ISO_10918_1'
    """
    method = _LOSSY_METHODS.get(str(transfer_syntax))
    if method is None and encoder is not None:
        method = encoder.lossy_method
    return method


# -- compress -------------------------------------------------------------------


def _target(transfer_syntax: Any) -> Any:
    from dicomcore.uid import UID

    target = UID(str(transfer_syntax))
    if not target.is_transfer_syntax:
        raise ValueError(f"{str(target)!r} is not a transfer syntax UID")
    return target


def _check_pixel_keyword(ds: Any) -> None:
    for keyword in ("FloatPixelData", "DoubleFloatPixelData"):
        if keyword in ds:
            raise PixelDataError(
                f"{keyword} is always native (PS3.5 A.4): only Pixel Data "
                "(7FE0,0010) can be compressed"
            )


def _array_layout(ds: Any, arr: np.ndarray) -> tuple[PixelLayout, np.ndarray]:
    """The layout the dataset's Image Pixel module gives ``arr``, and ``arr``
    as (frames, rows, columns[, samples]) in the layout's dtype."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"arr must be a numpy array, not {type(arr).__name__}")
    for keyword in _MODULE_ATTRIBUTES:
        value = ds.get(keyword)
        if value is None or value == "":
            raise InvalidPixelModuleError(
                keyword, "missing or empty; it must describe the array to compress"
            )
    frames = ds.get("NumberOfFrames")
    layout = PixelLayout(
        rows=ds.Rows,
        columns=ds.Columns,
        samples_per_pixel=ds.SamplesPerPixel,
        photometric_interpretation=full_resolution(
            str(ds.PhotometricInterpretation).strip()
        ),
        bits_allocated=ds.BitsAllocated,
        bits_stored=ds.BitsStored,
        pixel_representation=ds.PixelRepresentation,
        number_of_frames=1 if frames in (None, "") else frames,
        transfer_syntax=EXPLICIT_VR_LITTLE_ENDIAN,
    )
    shape = (layout.number_of_frames, *layout.frame_shape)
    if arr.shape == layout.frame_shape and layout.number_of_frames == 1:
        arr = arr.reshape(shape)
    if arr.shape != shape:
        raise ValueError(
            f"the array's shape {arr.shape} does not match the dataset: "
            f"{layout.number_of_frames} frame(s) of {layout.frame_shape}"
        )
    dtype = layout.dtype
    if arr.dtype == np.bool_ and layout.bits_allocated == 1:
        arr = arr.view(np.uint8)
    if arr.dtype.kind != dtype.kind or arr.dtype.itemsize != dtype.itemsize:
        raise ValueError(
            f"the array's dtype {arr.dtype} does not match the dataset's "
            f"Bits Allocated {layout.bits_allocated} and Pixel Representation "
            f"{layout.pixel_representation} ({dtype})"
        )
    arr = arr.astype(dtype, copy=False)  # native byte order
    if arr.size:
        bits = layout.bits_stored
        low, high = (
            (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
            if layout.is_signed
            else (0, (1 << bits) - 1)
        )
        actual_low, actual_high = int(arr.min()), int(arr.max())
        if actual_low < low or actual_high > high:
            raise ValueError(
                f"the array's values [{actual_low}, {actual_high}] do not fit in "
                f"{bits} bits stored [{low}, {high}]"
            )
    return layout, arr


def _array_frames(
    arr: np.ndarray, photometric: str
) -> Iterator[tuple[np.ndarray, str]]:
    for frame in arr:
        yield np.ascontiguousarray(frame), photometric


def _encoding_layout(layout: PixelLayout, photometric: str) -> PixelLayout:
    """The layout of the frames handed to the encoder: native, interleaved,
    read from bit 0."""
    return replace(
        layout,
        photometric_interpretation=photometric,
        planar_configuration=0,
        high_bit=layout.bits_stored - 1,
        transfer_syntax=EXPLICIT_VR_LITTLE_ENDIAN,
        pixel_vr="",
    )


def _encode_all(
    frames: Iterator[tuple[np.ndarray, str]],
    layout: PixelLayout,
    transfer_syntax: str,
    options: Mapping[str, Any],
    encoding_plugin: str | None,
) -> tuple[list[bytes], PixelLayout, Encoder]:
    """Every frame encoded: (encoded frames, their input layout, the encoder)."""
    first = next(frames, None)
    if first is None:
        raise PixelDataError("the image has no frames to compress")
    frame, photometric = first
    encoding_layout = _encoding_layout(layout, photometric)
    encoder = choose_encoder(encoding_layout, transfer_syntax, options, encoding_plugin)
    encoded = [
        encode_frame(frame, encoding_layout, transfer_syntax, options, 0, encoder.name)
    ]
    del frame, first  # only the frame being encoded stays in memory
    for index, (frame, this) in enumerate(frames, start=1):
        if this != photometric:
            raise CodecError(
                f"frame {index} decodes to {this}, frame 0 to {photometric}",
                frame_index=index,
            )
        encoded.append(
            encode_frame(
                frame, encoding_layout, transfer_syntax, options, index, encoder.name
            )
        )
    return encoded, encoding_layout, encoder


def _transcode_all(
    ds: Any, layout: PixelLayout, encoder: Encoder, options: Mapping[str, Any]
) -> list[bytes]:
    """Every frame's codestream, transcoded by ``encoder``."""
    source = open_frames(ds, layout)
    try:
        return [
            transcode_frame(source.frame(index), layout, encoder, options, index)
            for index in range(layout.number_of_frames)
        ]
    finally:
        source.close()


def _needs_extended_table(encoded: list[bytes]) -> bool:
    """True when the last frame would start past the Basic Offset Table's reach."""
    last_offset = sum(
        _ITEM_HEADER_LENGTH + len(frame) + len(frame) % 2 for frame in encoded[:-1]
    )
    return last_offset > _MAX_BASIC_OFFSET


def _ds_text(number: float) -> str:
    """A Decimal String of at most 16 characters, 4 decimals at most."""
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return text if len(text) <= 16 else f"{number:.6g}"


def _values(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _record_lossy(
    ds: Any, encoder: Encoder, native_bytes: int, encoded_bytes: int
) -> None:
    """Lossy Image Compression, its Ratio and Method (PS3.3 C.7.6.1.1.5): once
    lossy, always "01"; each lossy step appends its ratio and method."""
    ds.LossyImageCompression = "01"
    ratio = native_bytes / max(encoded_bytes, 1)
    ratios = _values(ds.get("LossyImageCompressionRatio"))
    methods = _values(ds.get("LossyImageCompressionMethod"))
    method = lossy_method(encoder.transfer_syntax, encoder)
    ds.LossyImageCompressionRatio = _one_or_many([*ratios, _ds_text(ratio)])
    if method is not None:
        # An encoder of a transfer syntax without a defined term (a private
        # one) that names none leaves Method out rather than invent a term.
        ds.LossyImageCompressionMethod = _one_or_many([*methods, method])


def new_instance_uid(ds: Any) -> None:
    """Give ``ds`` a new SOP Instance UID and Media Storage SOP Instance UID."""
    from dicomcore.uid import generate_uid

    instance_uid = generate_uid()
    ds.SOPInstanceUID = instance_uid
    ds.file_meta.MediaStorageSOPInstanceUID = instance_uid


def _forget_array(ds: Any) -> None:
    # ds.pixel_array notices a new element anyway; this drops the old array
    # at once rather than at the next access.
    object.__setattr__(ds, "_pixel_cache", None)


def _remove(ds: Any, *keywords: str) -> None:
    for keyword in keywords:
        if keyword in ds:
            delattr(ds, keyword)


def compress(
    ds: Any,
    transfer_syntax: str,
    arr: np.ndarray | None = None,
    *,
    encoding_plugin: str | None = None,
    encapsulate_ext: bool = False,
    generate_instance_uid: bool | None = None,
    decoding_plugin: str | None = None,
    as_rgb: bool | None = None,
    transcoding: bool = True,
    **options: Any,
) -> Any:
    """Compress the pixel data of ``ds`` into ``transfer_syntax`` and return ``ds``.

    ``arr``: the pixels to encode, described by the dataset's Image Pixel
    module (shape (rows, columns[, samples]) for one frame, or (frames, rows,
    columns[, samples]), samples interleaved); by default the dataset's own
    pixels, native or compressed (then decoded one frame at a time).
    ``encoding_plugin``: an encoder or plugin name; ``options`` go to the
    encoder (for example ``jls_error=2``, ``j2k_cr=[20]``,
    ``compression_ratio=10``).  ``encapsulate_ext``: use the Extended Offset
    Table even when the Basic Offset Table could hold the offsets (it is used
    anyway when a frame starts past byte 2**32 - 1).

    When decoding the dataset's own compressed pixels, ``decoding_plugin``
    names the decoder and ``as_rgb`` says whether YCbCr becomes RGB first;
    by default it does only when the current transfer syntax is lossy (the
    samples have been rounded already), so lossless data stays bit-exact.

    Transcoding: when the dataset's pixels are compressed and an encoder
    transcodes from their transfer syntax (its ``transcodes_from``; JPEG to
    JPEG XL JPEG Recompression, for example), each frame's codestream goes to
    it without being decoded, and ``as_rgb`` and ``decoding_plugin`` do not
    apply; ``encoding_plugin`` may name it.  Otherwise, or with
    ``transcoding=False``, frames are decoded and encoded.

    The dataset afterwards: Transfer Syntax UID ``transfer_syntax``; Pixel
    Data OB of undefined length, one fragment per frame, with a Basic Offset
    Table (or an empty one and Extended Offset Table (7FE0,0001) and Lengths
    (7FE0,0002)); Photometric Interpretation as the encoder reports it (for
    example YBR_RCT for reversible JPEG 2000 of RGB); Planar Configuration 0
    for colour (the frames were given interleaved; JPEG streams interleave);
    High Bit = Bits Stored - 1.  A lossy encoder sets Lossy Image Compression
    to "01" and appends Lossy Image Compression Ratio and Method.  A new SOP
    Instance UID (and Media Storage SOP Instance UID) when
    ``generate_instance_uid`` is True, or when it is None (the default) and
    the encoder is lossy: new pixel values make a new instance.

    >>> from dicomcore.uid import RLELossless
    >>> compress(ds, RLELossless).file_meta.TransferSyntaxUID.keyword  # doctest: +SKIP
    'RLELossless'
    """
    from dicomcore.uid import UID

    target = _target(transfer_syntax)
    if not target.is_encapsulated:
        raise ValueError(
            f"{target.name} is a native transfer syntax: nothing to compress; "
            "use decompress(), or dicomcore.pixels.transcode() for any change"
        )
    _check_pixel_keyword(ds)
    options = dict(options)
    encoding_plugin = encoding_plugin or None
    layout = PixelLayout.from_dataset(ds) if arr is None else None
    transcoder = (
        choose_transcoder(layout, str(target), options, encoding_plugin)
        if layout is not None
        and transcoding
        and UID(layout.transfer_syntax).is_encapsulated
        else None
    )
    if arr is not None:
        layout, frames_array = _array_layout(ds, arr)
        encoded, encoding_layout, encoder = _encode_all(
            _array_frames(frames_array, layout.photometric_interpretation),
            layout,
            str(target),
            options,
            encoding_plugin,
        )
    elif layout is not None and transcoder is not None:
        # The codestream goes on as it is: its layout is what the encoder
        # was asked about, and what the dataset keeps describing.
        encoded = _transcode_all(ds, layout, transcoder, options)
        encoding_layout, encoder = layout, transcoder
    else:
        layout = PixelLayout.from_dataset(ds) if layout is None else layout
        if as_rgb is None:
            as_rgb = UID(layout.transfer_syntax).is_lossy
        decode_options = DecodeOptions(
            as_rgb=bool(as_rgb), decoding_plugin=decoding_plugin or None
        )
        with Pipeline(ds, decode_options, layout) as pipeline:
            encoded, encoding_layout, encoder = _encode_all(
                pipeline.frames_with_photometric(),
                layout,
                str(target),
                options,
                encoding_plugin,
            )
    photometric = encoder.photometric_after(encoding_layout, options)

    if encapsulate_ext or _needs_extended_table(encoded):
        value, offsets, lengths = encapsulate_extended(encoded)
    else:
        value, offsets, lengths = encapsulate(encoded), None, None
    encoded_bytes = sum(len(frame) for frame in encoded)
    del encoded

    # Every frame is encoded: only now change the dataset.
    from dicomcore.dataelem import DataElement

    ds.file_meta.TransferSyntaxUID = target
    # PS3.5 A.4: encapsulated Pixel Data is OB with undefined length.
    ds[_PIXEL_DATA] = DataElement(_PIXEL_DATA, "OB", value, is_undefined_length=True)
    if offsets is not None:
        ds.ExtendedOffsetTable = offsets
        ds.ExtendedOffsetTableLengths = lengths
    else:
        _remove(ds, _EXTENDED_OFFSET_TABLE, _EXTENDED_OFFSET_TABLE_LENGTHS)
    ds.PhotometricInterpretation = photometric
    if encoding_layout.samples_per_pixel > 1:
        ds.PlanarConfiguration = 0
    else:
        _remove(ds, "PlanarConfiguration")
    ds.HighBit = encoding_layout.bits_stored - 1
    if encoder.lossy:
        native = encoding_layout.frame_length * encoding_layout.number_of_frames
        _record_lossy(ds, encoder, native, encoded_bytes)
    if generate_instance_uid or (generate_instance_uid is None and encoder.lossy):
        new_instance_uid(ds)
    _forget_array(ds)
    return ds


# -- decompress -----------------------------------------------------------------


def decompress(
    ds: Any,
    *,
    decoding_plugin: str | None = None,
    as_rgb: bool = True,
    generate_instance_uid: bool | None = None,
    **options: Any,
) -> Any:
    """Decode the compressed pixel data of ``ds`` into native Pixel Data; return ``ds``.

    ``as_rgb``: YBR_FULL and YBR_FULL_422 become RGB (what pydicom 3 does);
    otherwise the samples stay as decoded (YBR_FULL_422 data is full
    resolution once decoded, hence YBR_FULL).  ``decoding_plugin``: a decoder
    or plugin name; ``options``: the decoding options of
    :func:`~dicomcore.pixels.pixel_array` (``correct_unused_bits``).

    The dataset afterwards: Transfer Syntax UID Explicit VR Little Endian;
    Pixel Data native (OB for 8 bits or fewer, else OW), as
    :func:`~dicomcore.pixels.set_pixel_data` stores it; Photometric
    Interpretation what the frames hold (RGB for YBR_FULL_422 JPEG decoded to
    RGB); Planar Configuration 0; no Extended Offset Table.  Lossy Image
    Compression and its Ratio and Method are kept: decoding loses nothing
    more, but what was lost stays lost.  The SOP Instance UID changes only
    when ``generate_instance_uid`` is True (decoding adds no loss, so None,
    the default, keeps it, as DCMTK does).

    Raises ValueError when the pixel data is already native, and
    :class:`~dicomcore.errors.LimitError` when the decoded image would pass
    ``dicomcore.config.limits.max_decoded_bytes``.
    """
    from dicomcore.uid import UID

    layout = PixelLayout.from_dataset(ds)
    if not UID(layout.transfer_syntax).is_encapsulated:
        raise ValueError("the dataset's pixel data is already uncompressed")
    decode_options = DecodeOptions.build(
        as_rgb=as_rgb, decoding_plugin=decoding_plugin or None, options=options
    )
    count = layout.number_of_frames
    shape = (count, *layout.frame_shape)
    nbytes = int(np.prod(shape)) * layout.dtype.itemsize
    limit = config.limits.max_decoded_bytes
    if nbytes > limit:
        raise LimitError(
            f"{count} frames of {layout.frame_shape} {layout.dtype} need "
            f"{nbytes} bytes, more than {limit}",
            limit="max_decoded_bytes",
        )
    native_length = -(-layout.frame_length_bits * count // 8)
    if layout.photometric_interpretation == "YBR_FULL_422":
        native_length = native_length * 3 // 2  # decoded at full resolution
    if native_length > _MAX_NATIVE_LENGTH:
        raise ValueError(
            f"the decoded Pixel Data would be {native_length} bytes, more than "
            "a native value's 32-bit length can hold; keep it compressed"
        )
    out = np.empty(shape, layout.dtype)
    with Pipeline(ds, decode_options, layout) as pipeline:
        photometric = pipeline.decode_into(out)

    # Every frame is decoded: only now change the dataset.
    keep_frames = "NumberOfFrames" in ds or count > 1
    set_pixel_data(
        ds,
        out if keep_frames else out[0],
        photometric,
        layout.bits_stored,
        generate_instance_uid=bool(generate_instance_uid),
        bits_allocated=1 if layout.bits_allocated == 1 else None,
    )
    ds.file_meta.TransferSyntaxUID = UID(EXPLICIT_VR_LITTLE_ENDIAN)
    _remove(ds, _EXTENDED_OFFSET_TABLE, _EXTENDED_OFFSET_TABLE_LENGTHS)
    _forget_array(ds)
    return ds
