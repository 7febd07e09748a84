"""Any transfer syntax to any other: :func:`transcode`, compress or decompress
or neither, whichever the two transfer syntaxes need.

pydicom has no such function; it is what ``dicomcore convert`` does to each
file, and what a user wants who holds a dataset and a target::

    from dicomcore.pixels import transcode

    transcode(ds, "1.2.840.10008.1.2.5")     # -> RLE Lossless
    transcode(ds, "1.2.840.10008.1.2.2")     # -> Explicit VR Big Endian
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np

from dicomcore.pixels.compress import compress, decompress, new_instance_uid

__all__ = ["Transcoded", "transcode"]

#: What :func:`transcode` did: ``"unchanged"`` (already in the transfer
#: syntax), ``"no pixel data"`` (only the transfer syntax changed),
#: ``"re-encoded"`` (native to native: the data set is written in the new
#: encoding), ``"decompressed"``, ``"compressed"``.
Transcoded = Literal[
    "unchanged", "no pixel data", "re-encoded", "decompressed", "compressed"
]

_PIXEL_KEYWORDS: Final = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
# PS3.5 7.3: a big endian value's bytes are reversed within the VR's words
# (OW: 16 bits whatever Bits Allocated says, as DCMTK and GDCM write it).
_SWAP_UNITS: Final = {"OW": 2, "OF": 4, "OD": 8}


def _swap_pixel_bytes(ds: Any) -> None:
    """Put the pixel value in the other byte order.

    A value in memory (made by decompress or set_pixel_data, or read from a
    file) holds the bytes of the transfer syntax it was made in; once the
    Transfer Syntax UID names the other byte order, its bytes must follow,
    for ``ds.pixel_array`` as for the writer.
    """
    from dicomcore.dataelem import DataElement

    for keyword in _PIXEL_KEYWORDS:
        if keyword not in ds:
            continue
        element = ds[keyword]
        unit = _SWAP_UNITS.get(element.VR)
        if unit is None or element.is_undefined_length:
            continue
        data = bytes(element.value)
        whole = len(data) - len(data) % unit
        words = np.frombuffer(data, f"u{unit}", count=whole // unit)
        swapped = words.byteswap().tobytes() + data[whole:]
        ds[element.tag] = DataElement(element.tag, element.VR, swapped)


def _current_transfer_syntax(ds: Any) -> str:
    transfer_syntax = ds.file_meta.get("TransferSyntaxUID")
    if transfer_syntax:
        return str(transfer_syntax).strip("\x00 ")
    from dicomcore.pixels.layout import PixelLayout

    # A dataset without file meta: the encoding it was read in names it.
    return PixelLayout.from_dataset(ds).transfer_syntax if "PixelData" in ds else ""


def transcode(
    ds: Any,
    transfer_syntax: str,
    *,
    encoding_plugin: str | None = None,
    decoding_plugin: str | None = None,
    as_rgb: bool | None = None,
    generate_instance_uid: bool | None = None,
    encapsulate_ext: bool = False,
    transcoding: bool = True,
    **options: Any,
) -> Transcoded:
    """Change ``ds`` so that it is written in ``transfer_syntax``; say what it took.

    - The same transfer syntax: nothing changes (``"unchanged"``).
    - No pixel data: only the Transfer Syntax UID changes; the data set is
      written in the new encoding (``"no pixel data"``).
    - Native to native (Implicit, Explicit, Deflated Explicit VR Little
      Endian, Explicit VR Big Endian): only the Transfer Syntax UID changes,
      the writer does the rest (``"re-encoded"``).
    - Compressed to native: :func:`~dicomcore.pixels.decompress`, then the
      Transfer Syntax UID (``"decompressed"``).
    - To a compressed transfer syntax: :func:`~dicomcore.pixels.compress`,
      from native data or by decoding the compressed frames one at a time
      (``"compressed"``); ``encoding_plugin``, ``encapsulate_ext`` and
      ``options`` are the encoder's.  From compressed data, an encoder that
      transcodes from the current transfer syntax (``Encoder.transcodes_from``)
      receives each frame's codestream undecoded, unless ``transcoding`` is
      False.

    ``as_rgb``: whether decoded YCbCr becomes RGB; by default only when the
    current transfer syntax is lossy (its samples were rounded already), so
    lossless data is never changed by a colour conversion.
    ``generate_instance_uid``: True gives a changed dataset a new SOP
    Instance UID, False keeps it; None (the default) makes one only when
    lossy encoding changed the pixels.
    """
    from dicomcore.uid import UID

    target = UID(str(transfer_syntax))
    if not target.is_transfer_syntax:
        raise ValueError(f"{str(target)!r} is not a transfer syntax UID")
    current = UID(_current_transfer_syntax(ds))
    has_pixels = any(keyword in ds for keyword in _PIXEL_KEYWORDS)
    if current == target:
        return "unchanged"
    if not has_pixels:
        ds.file_meta.TransferSyntaxUID = target
        if generate_instance_uid:
            new_instance_uid(ds)
        return "no pixel data"
    if target.is_encapsulated:
        compress(
            ds,
            target,
            encoding_plugin=encoding_plugin,
            encapsulate_ext=encapsulate_ext,
            generate_instance_uid=generate_instance_uid,
            decoding_plugin=decoding_plugin,
            as_rgb=as_rgb,
            transcoding=transcoding,
            **options,
        )
        return "compressed"
    if current and current.is_encapsulated:
        if as_rgb is None:
            as_rgb = current.is_lossy
        decompress(
            ds,
            decoding_plugin=decoding_plugin,
            as_rgb=as_rgb,
            generate_instance_uid=generate_instance_uid,
        )
        if not target.is_little_endian:
            _swap_pixel_bytes(ds)
        ds.file_meta.TransferSyntaxUID = target
        return "decompressed"
    if current.is_little_endian != target.is_little_endian:
        _swap_pixel_bytes(ds)
    ds.file_meta.TransferSyntaxUID = target
    if generate_instance_uid:
        new_instance_uid(ds)
    return "re-encoded"
