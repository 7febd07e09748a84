"""pydicom's ``pixels.utils`` module path: helpers on a dataset's pixel module.

The array functions (:func:`pixel_array`, :func:`iter_pixels`,
:func:`compress`, :func:`decompress`, :func:`set_pixel_data`) and the bit
packing ones are dicomcore's own; the rest answer from the dataset's Image
Pixel attributes as pydicom's do, for code that calls them directly.

>>> unpack_bits(b"\\x05", as_array=False)
b'\\x01\\x00\\x01\\x00\\x00\\x00\\x00\\x00'
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from dicomcore.errors import InvalidPixelModuleError
from dicomcore.pixels.api import iter_pixels, pixel_array
from dicomcore.pixels.compress import compress, decompress
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.steps import pack_bits, unpack_bits, upsample_ybr_422
from dicomcore.pixels.store import set_pixel_data

__all__ = [
    "as_pixel_options",
    "compress",
    "decompress",
    "expand_ybr422",
    "get_expected_length",
    "get_j2k_parameters",
    "get_nr_frames",
    "iter_pixels",
    "pack_bits",
    "pixel_array",
    "pixel_dtype",
    "reshape_pixel_array",
    "set_pixel_data",
    "unpack_bits",
]

# The Image Pixel attributes pydicom passes to its decoders, by their names there.
_IMAGE_PIXEL = {
    0x00280002: "samples_per_pixel",
    0x00280004: "photometric_interpretation",
    0x00280006: "planar_configuration",
    0x00280008: "number_of_frames",
    0x00280010: "rows",
    0x00280011: "columns",
    0x00280100: "bits_allocated",
    0x00280101: "bits_stored",
    0x00280103: "pixel_representation",
}


def _frame_count(value: Any) -> Any:
    """Number of Frames as given (an IS keeps its type), or 1 for a value that
    cannot be right."""
    number = int(value) if value not in (None, "") else 0
    if number < 1:
        warnings.warn(
            f"A value of '{value}' for (0028,0008) 'Number of Frames' is invalid, "
            "assuming 1 frame",
            stacklevel=3,
        )
        return 1
    return value


def as_pixel_options(ds: Any, **kwargs: Any) -> dict[str, Any]:
    """The Image Pixel attributes of ``ds`` under pydicom's option names
    (``rows``, ``bits_allocated``, ...), with ``kwargs`` on top."""
    options = {name: ds[tag].value for tag, name in _IMAGE_PIXEL.items() if tag in ds}
    options["number_of_frames"] = _frame_count(options.get("number_of_frames", 1))
    if 0x7FE00001 in ds and 0x7FE00002 in ds:
        options["extended_offsets"] = (
            ds.ExtendedOffsetTable,
            ds.ExtendedOffsetTableLengths,
        )
    options.update(kwargs)
    return options


def get_nr_frames(ds: Any, warn: bool = True) -> int:
    """Number of Frames, or 1 when it is absent, empty or 0 (with a warning
    when ``warn``)."""
    value = ds.get("NumberOfFrames", 1)
    if not warn:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return int(_frame_count(value))
    return int(_frame_count(value))


def get_expected_length(ds: Any, unit: str = "bytes") -> int:
    """The length the native pixel data of ``ds`` has: in ``"bytes"``
    (bit-packed for Bits Allocated 1, two samples' worth per pixel for
    YBR_FULL_422) or in ``"pixels"`` (samples of all frames)."""
    if unit not in ("bytes", "pixels"):
        raise ValueError(f"unit must be 'bytes' or 'pixels', not {unit!r}")
    samples = int(ds.Rows) * int(ds.Columns) * get_nr_frames(ds, warn=False)
    samples *= int(ds.SamplesPerPixel)
    if unit == "pixels":
        return samples
    bits_allocated = int(ds.BitsAllocated)
    if bits_allocated == 1:
        return (samples + 7) // 8
    length = samples * (bits_allocated // 8)
    if ds.PhotometricInterpretation == "YBR_FULL_422":
        length = length // 3 * 2
    return length


def _little_endian(ds: Any) -> bool:
    meta = getattr(ds, "file_meta", None)
    if meta is not None and "TransferSyntaxUID" in meta:
        syntax = meta.TransferSyntaxUID
        if syntax.is_transfer_syntax:
            return bool(syntax.is_little_endian)
    little = ds.original_encoding[1]
    if little is None:
        raise AttributeError(
            "Unable to determine the endianness of the dataset, please set an "
            f"appropriate Transfer Syntax UID in '{type(ds).__name__}.file_meta'"
        )
    return bool(little)


def pixel_dtype(ds: Any, as_float: bool = False) -> np.dtype[Any]:
    """The numpy dtype that holds one sample of ``ds``'s pixel data, in the
    byte order of its transfer syntax: by Bits Allocated and Pixel
    Representation, or a float of Bits Allocated bits with ``as_float``."""
    little = _little_endian(ds)
    bits_allocated = int(ds.BitsAllocated)
    if as_float:
        kind = "float"
    else:
        kind = {0: "uint", 1: "int"}.get(int(ds.PixelRepresentation), "")
        if not kind:
            raise InvalidPixelModuleError(
                "PixelRepresentation", f"must be 0 or 1, got {ds.PixelRepresentation}"
            )
    if bits_allocated == 1:
        name = "uint8"
    elif bits_allocated > 0 and bits_allocated % 8 == 0:
        name = f"{kind}{bits_allocated}"
    else:
        raise InvalidPixelModuleError(
            "BitsAllocated", f"must be 1 or a multiple of 8, got {bits_allocated}"
        )
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise InvalidPixelModuleError(
            "BitsAllocated", f"numpy has no '{name}' to hold the pixel data"
        ) from None
    return dtype.newbyteorder("<" if little else ">")


def reshape_pixel_array(ds: Any, arr: np.ndarray) -> np.ndarray:
    """``arr`` (the samples of every frame, flat) shaped as ``ds`` says:
    (rows, columns[, samples]) for one frame, (frames, rows, columns
    [, samples]) for several; colour-by-plane data is interleaved."""
    frames = get_nr_frames(ds, warn=False)
    rows, columns = int(ds.Rows), int(ds.Columns)
    samples = int(ds.SamplesPerPixel)
    out: np.ndarray
    if samples == 1:
        out = arr.reshape(frames, rows, columns)
    elif int(ds.get("PlanarConfiguration", 0)) == 1:
        out = arr.reshape(frames, samples, rows, columns).transpose(0, 2, 3, 1)
    else:
        out = arr.reshape(frames, rows, columns, samples)
    return out[0] if frames == 1 else out


def expand_ybr422(src: bytes | bytearray | memoryview, bits_allocated: int) -> bytes:
    """Native YBR_FULL_422 samples (Y1 Y2 CB CR per pair of pixels) as full
    YBR (Y CB CR per pixel), for 8- or 16-bit samples."""
    if bits_allocated not in (8, 16):
        raise InvalidPixelModuleError(
            "BitsAllocated", f"must be 8 or 16 for YBR_FULL_422, got {bits_allocated}"
        )
    dtype = "<u2" if bits_allocated == 16 else "u1"
    flat = np.frombuffer(src, dtype=dtype)
    pixels = flat.size // 2
    layout = PixelLayout(
        rows=1,
        columns=pixels,
        samples_per_pixel=3,
        photometric_interpretation="YBR_FULL_422",
        bits_allocated=bits_allocated,
        bits_stored=bits_allocated,
    )
    return upsample_ybr_422(flat, layout).tobytes()


# A JP2 file starts with its signature box (ISO/IEC 15444-1 I.5.1).
_JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"


def get_j2k_parameters(codestream: bytes) -> dict[str, Any]:
    """``{"jp2", "precision", "is_signed"}`` of a JPEG 2000 codestream (or JP2
    file) from its SIZ marker segment's first component (ISO/IEC 15444-1
    A.5.1), or ``{}`` when it is not one."""
    data = bytes(codestream)
    jp2 = data.startswith(_JP2_SIGNATURE)
    if jp2:
        start = data.find(b"jp2c")
        data = data[start + 4 :] if start >= 0 else b""
    # SOC, then SIZ: marker, Lsiz, Rsiz, eight 32-bit sizes, Csiz, then Ssiz.
    if len(data) < 43 or data[:4] != b"\xff\x4f\xff\x51":
        return {}
    ssiz = data[42]
    return {"jp2": jp2, "precision": (ssiz & 0x7F) + 1, "is_signed": bool(ssiz & 0x80)}
