"""Storing an array as a dataset's pixel data: :func:`set_pixel_data`.

The shape of pydicom 3's ``set_pixel_data``, extended to what the bundled
codecs can write: 8, 16, 32 and 64-bit integers, 1-bit pixels (a ``bool``
array, or ``bits_allocated=1``), and ``float32``/``float64`` arrays, which
become Float Pixel Data (OF) or Double Float Pixel Data (OD).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from dicomcore.errors import PixelDataError
from dicomcore.pixels.layout import PixelLayout
from dicomcore.pixels.steps import downsample_ybr_422, native_bytes, pack_bits

__all__ = ["set_pixel_data"]

EXPLICIT_VR_LITTLE_ENDIAN: Final = "1.2.840.10008.1.2.1"

#: Photometric Interpretation -> Samples per Pixel, for the terms that native
#: data may use (the others belong to compressed transfer syntaxes).
_SAMPLES: Final = {
    "MONOCHROME1": 1,
    "MONOCHROME2": 1,
    "PALETTE COLOR": 1,
    "RGB": 3,
    "YBR_FULL": 3,
    "YBR_FULL_422": 3,
}
_PIXEL_ELEMENTS: Final = {
    "PixelData": 0x7FE00010,
    "FloatPixelData": 0x7FE00008,
    "DoubleFloatPixelData": 0x7FE00009,
}
# Attributes of the integer Image Pixel module that the floating point
# modules (PS3.3 C.7.6.24, C.7.6.25) do not have.
_INTEGER_ONLY: Final = ("BitsStored", "HighBit", "PixelRepresentation")


def _geometry(
    shape: tuple[int, ...], samples: int, photometric: str
) -> tuple[int | None, int, int]:
    """(Number of Frames or None, Rows, Columns) from the array's shape."""
    ndim = len(shape)
    if samples == 1:
        if ndim not in (2, 3):
            raise ValueError(
                f"an array of {photometric} pixels must have 2 or 3 dimensions "
                f"((rows, columns) or (frames, rows, columns)), not {ndim}"
            )
        return (shape[0] if ndim == 3 else None), shape[-2], shape[-1]
    if ndim not in (3, 4) or shape[-1] != samples:
        raise ValueError(
            f"an array of {photometric} pixels must have shape (rows, columns, "
            f"{samples}) or (frames, rows, columns, {samples}), not {shape}"
        )
    return (shape[0] if ndim == 4 else None), shape[-3], shape[-2]


def _check_range(arr: np.ndarray, bits_stored: int, signed: bool) -> None:
    if not arr.size:
        return
    low, high = (
        (-(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1)
        if signed
        else (0, (1 << bits_stored) - 1)
    )
    actual_low, actual_high = int(arr.min()), int(arr.max())
    if actual_low < low or actual_high > high:
        raise ValueError(
            f"the array's values [{actual_low}, {actual_high}] do not fit in "
            f"{bits_stored} bits stored [{low}, {high}]"
        )


def set_pixel_data(
    ds: Any,
    arr: np.ndarray,
    photometric_interpretation: str,
    bits_stored: int,
    *,
    generate_instance_uid: bool = True,
    bits_allocated: int | None = None,
) -> None:
    """Store ``arr`` as the pixel data of ``ds`` and set the pixel module to match.

    ``arr`` has shape (rows, columns), (frames, rows, columns), (rows,
    columns, 3) or (frames, rows, columns, 3), samples last.  Its dtype
    decides the rest: unsigned or signed integers of 8 to 64 bits give Pixel
    Data with Bits Allocated the dtype's size (OB for 8 bits, OW above);
    ``bool``, or 0/1 ``uint8`` with ``bits_allocated=1``, gives 1-bit Pixel
    Data (packed, least significant bit first); ``float32`` / ``float64``
    give Float Pixel Data (OF) / Double Float Pixel Data (OD) and
    ``bits_stored`` must be 32 / 64.  A new pixel element replaces any of
    the three already there.

    Sets Rows, Columns, Samples per Pixel, Photometric Interpretation,
    Planar Configuration (0 for three samples, removed for one), Bits
    Allocated, Bits Stored, High Bit and Pixel Representation (removed for
    float data, whose modules lack them), and Number of Frames (set for a
    stack of frames, even of one; removed for a single 2-D image), as
    pydicom 3 does.  YBR_FULL_422 pixels are stored subsampled.  An odd
    value is padded with a zero byte.  A missing or compressed transfer
    syntax becomes Explicit VR Little Endian; Explicit VR Big Endian is
    refused.  With ``generate_instance_uid`` the SOP Instance UID (and the
    Media Storage SOP Instance UID) is new.

    >>> from dicomcore import Dataset
    >>> ds = Dataset()
    >>> set_pixel_data(ds, np.zeros((2, 3), np.uint16), "MONOCHROME2", 12)
    >>> ds.BitsAllocated, ds.HighBit, len(ds.PixelData)
    (16, 11, 12)
    """
    from dicomcore.uid import UID, generate_uid

    if not isinstance(arr, np.ndarray):
        raise TypeError(f"arr must be a numpy array, not {type(arr).__name__}")
    photometric = str(photometric_interpretation).strip()
    samples = _SAMPLES.get(photometric)
    if samples is None:
        raise ValueError(
            f"unsupported photometric_interpretation {photometric!r}; expected "
            + ", ".join(_SAMPLES)
        )
    transfer_syntax = ds.file_meta.get("TransferSyntaxUID")
    if transfer_syntax and not UID(str(transfer_syntax)).is_little_endian:
        raise PixelDataError(
            "the dataset's transfer syntax is Explicit VR Big Endian; set "
            "ds.file_meta.TransferSyntaxUID to a little endian one first"
        )
    frames, rows, columns = _geometry(arr.shape, samples, photometric)

    dtype = arr.dtype
    keyword = "PixelData"
    if dtype.kind == "b" or bits_allocated == 1:
        if bits_stored != 1 or (dtype.kind != "b" and dtype != np.uint8):
            raise ValueError(
                "1-bit pixels need a bool array, or a uint8 array of 0 and 1 "
                "with bits_allocated=1, and bits_stored=1"
            )
        _check_range(arr, 1, signed=False)
        allocated, signed = 1, False
    elif dtype.kind in "ui" and dtype.itemsize in (1, 2, 4, 8):
        allocated, signed = dtype.itemsize * 8, dtype.kind == "i"
        if bits_allocated not in (None, allocated):
            raise ValueError(
                f"bits_allocated {bits_allocated} does not match the array's "
                f"{dtype} ({allocated} bits)"
            )
        if not 0 < bits_stored <= allocated:
            raise ValueError(
                f"bits_stored must be between 1 and {allocated} for {dtype}, "
                f"not {bits_stored}"
            )
        _check_range(arr, bits_stored, signed)
    elif dtype.kind == "f" and dtype.itemsize in (4, 8):
        allocated, signed = dtype.itemsize * 8, False
        keyword = "FloatPixelData" if allocated == 32 else "DoubleFloatPixelData"
        if bits_stored != allocated or photometric != "MONOCHROME2":
            raise ValueError(
                f"{dtype} pixels become {keyword}, which needs bits_stored "
                f"{allocated} and MONOCHROME2, not {bits_stored} and {photometric}"
            )
    else:
        raise ValueError(
            f"unsupported array dtype {dtype}; expected bool, (u)int8 to "
            "(u)int64, float32 or float64"
        )

    layout = PixelLayout(
        rows=rows,
        columns=columns,
        samples_per_pixel=samples,
        photometric_interpretation=photometric,
        bits_allocated=allocated,
        bits_stored=allocated if keyword != "PixelData" else bits_stored,
        pixel_representation=int(signed),
        number_of_frames=frames or 1,
        pixel_keyword=keyword,  # type: ignore[arg-type]  # one of the three keys
        transfer_syntax=EXPLICIT_VR_LITTLE_ENDIAN,
    )
    if photometric == "YBR_FULL_422" and layout.pixels_per_frame % 2:
        raise ValueError("YBR_FULL_422 needs an even number of pixels per frame")
    data = _value(arr, layout)

    # Every check has passed: only now change the dataset.
    for other, tag in _PIXEL_ELEMENTS.items():
        if other != keyword and tag in ds:
            del ds[tag]
    ds.Rows = rows
    ds.Columns = columns
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples > 1:
        ds.PlanarConfiguration = 0
    elif "PlanarConfiguration" in ds:
        del ds.PlanarConfiguration
    ds.BitsAllocated = allocated
    if keyword == "PixelData":
        ds.BitsStored = bits_stored
        ds.HighBit = bits_stored - 1
        ds.PixelRepresentation = int(signed)
    else:
        for attribute in _INTEGER_ONLY:
            if attribute in ds:
                delattr(ds, attribute)
    if frames is None:
        if "NumberOfFrames" in ds:
            del ds.NumberOfFrames
    else:
        ds.NumberOfFrames = frames
    _store_value(ds, keyword, data, allocated)

    if not transfer_syntax or UID(str(transfer_syntax)).is_encapsulated:
        ds.file_meta.TransferSyntaxUID = UID(EXPLICIT_VR_LITTLE_ENDIAN)
    if generate_instance_uid:
        instance_uid = generate_uid()
        ds.SOPInstanceUID = instance_uid
        ds.file_meta.MediaStorageSOPInstanceUID = instance_uid
    object.__setattr__(ds, "_pixel_cache", None)


def _value(arr: np.ndarray, layout: PixelLayout) -> bytes:
    """The native little endian value for ``arr``, padded to even length."""
    if layout.bits_allocated == 1:
        # Frames follow one another bit after bit (PS3.5 8.1.1): pack the
        # whole stack at once, not frame by frame.
        return pack_bits(arr, pad=True)
    samples = np.asarray(arr)
    if layout.photometric_interpretation == "YBR_FULL_422":
        samples = downsample_ybr_422(samples)
    data = native_bytes(samples, layout)
    if len(data) % 2:
        data += b"\x00"
    return data


def _store_value(ds: Any, keyword: str, data: bytes, bits_allocated: int) -> None:
    from dicomcore.dataelem import DataElement

    if keyword == "PixelData":
        vr = "OB" if bits_allocated <= 8 else "OW"
    else:
        vr = "OF" if keyword == "FloatPixelData" else "OD"
    ds[_PIXEL_ELEMENTS[keyword]] = DataElement(_PIXEL_ELEMENTS[keyword], vr, data)
