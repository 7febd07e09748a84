"""Reading the headers of JPEG, JPEG-LS and JPEG 2000 codestreams.

The optional plugins read a frame's header before handing it to a native
library: to refuse garbage with a clear CodecError (Pillow's habit of
sniffing the first bytes), to check the codestream against the layout before
the library allocates what the header claims, and to learn what the library
does not report (the precision and sign that correct the decoded values, the
colour markers that say whether a JPEG holds YCbCr).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

from dicomcore.errors import CodecError
from dicomcore.pixels import PixelLayout

__all__ = [
    "J2kHeader",
    "JpegHeader",
    "check_frame",
    "jpeg_header",
    "j2k_header",
]

# Start of frame markers (T.81 Table B.1; SOF55 0xF7 is JPEG-LS, T.87, and
# 0xF9 its extension's SOF57).  0xC4 DHT, 0xC8 JPG and 0xCC DAC are not frames.
_SOF_MARKERS: Final = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
    | {0xF7, 0xF9}
)
_JPEG_LS_SOF: Final = frozenset({0xF7, 0xF9})
# Markers without a length: TEM and RST0-7 (T.81 B.1.1.3).
_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
_SOI: Final = b"\xff\xd8"
_EOI: Final = b"\xff\xd9"
_SOS: Final = 0xDA

_J2K_SOC_SIZ: Final = b"\xff\x4f\xff\x51"
_JP2_SIGNATURE: Final = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
# Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz (T.800 A.5.1)
_SIZ: Final = struct.Struct(">HHIIIIIIIIH")


@dataclass(frozen=True)
class JpegHeader:
    """What a JPEG or JPEG-LS frame header says."""

    #: The start of frame marker's second byte (0xC0 baseline ... 0xF7 JPEG-LS).
    sof_marker: int
    precision: int
    rows: int
    columns: int
    component_ids: tuple[int, ...]
    #: An APP0 JFIF segment is present (JFIF streams hold YCbCr or grey).
    jfif: bool
    #: The APP14 Adobe segment's transform flag (0 none, 1 YCbCr, 2 YCCK), or None.
    adobe_transform: int | None
    #: Byte offset of the first SOS marker.
    scan_start: int
    #: An EOI marker follows the first scan.  No FFD9 pair occurs inside scan
    #: data (0xFF is followed by a stuffed 0x00 in T.81, by a byte below 0x80
    #: in JPEG-LS), so its absence means the stream was cut short.
    has_eoi: bool

    @property
    def components(self) -> int:
        return len(self.component_ids)

    @property
    def is_jpeg_ls(self) -> bool:
        return self.sof_marker in _JPEG_LS_SOF


def jpeg_header(src: bytes | bytearray) -> JpegHeader:
    """Read the markers of a JPEG or JPEG-LS stream up to its first scan.

    Raises CodecError when ``src`` does not start with SOI, a segment runs
    past the end, or no frame header precedes the first scan.
    """
    if not src.startswith(_SOI):
        raise CodecError(
            "not a JPEG stream: it does not start with the SOI marker FFD8"
        )
    end = len(src)
    position = 2
    sof: tuple[int, int, int, int, tuple[int, ...]] | None = None
    jfif = False
    adobe_transform: int | None = None
    while True:
        # Any number of 0xFF fill bytes may precede a marker (T.81 B.1.1.2).
        while (
            position + 1 < end and src[position] == 0xFF and src[position + 1] == 0xFF
        ):
            position += 1
        if position + 2 > end:
            raise CodecError("the JPEG stream ends inside its header (truncated)")
        if src[position] != 0xFF:
            raise CodecError(
                f"corrupt JPEG header: expected a marker at byte {position}, "
                f"found {src[position]:#04x}"
            )
        marker = src[position + 1]
        if marker in _STANDALONE:
            position += 2
            continue
        if position + 4 > end:
            raise CodecError("the JPEG stream ends inside its header (truncated)")
        length = (src[position + 2] << 8) | src[position + 3]
        segment_end = position + 2 + length
        if length < 2 or segment_end > end:
            raise CodecError(
                f"corrupt JPEG header: the segment of marker FF{marker:02X} at "
                f"byte {position} runs past the end of the stream (truncated)"
            )
        segment = src[position + 4 : segment_end]
        if marker == _SOS:
            if sof is None:
                raise CodecError("corrupt JPEG header: a scan comes before any frame")
            precision, rows, columns, sof_marker, ids = sof
            return JpegHeader(
                sof_marker=sof_marker,
                precision=precision,
                rows=rows,
                columns=columns,
                component_ids=ids,
                jfif=jfif,
                adobe_transform=adobe_transform,
                scan_start=position,
                has_eoi=src.rfind(_EOI) > position,
            )
        if marker in _SOF_MARKERS:
            if sof is not None:
                raise CodecError("corrupt JPEG header: more than one frame header")
            sof = _frame_header(segment, marker)
        elif marker == 0xE0 and segment.startswith(b"JFIF\x00"):
            jfif = True
        elif marker == 0xEE and segment.startswith(b"Adobe") and len(segment) >= 12:
            adobe_transform = segment[11]
        position = segment_end


def _frame_header(
    segment: bytes | bytearray, marker: int
) -> tuple[int, int, int, int, tuple[int, ...]]:
    # P Y X Nf, then Nf times (C, H<<4|V, Tq) (T.81 B.2.2; T.87 C.2.2 the same)
    if len(segment) < 6:
        raise CodecError("corrupt JPEG header: the frame header is too short")
    precision = segment[0]
    rows = (segment[1] << 8) | segment[2]
    columns = (segment[3] << 8) | segment[4]
    count = segment[5]
    if len(segment) < 6 + 3 * count or count == 0:
        raise CodecError(
            f"corrupt JPEG header: the frame header lists {count} components "
            f"in {len(segment)} bytes"
        )
    ids = tuple(segment[6 + 3 * index] for index in range(count))
    return precision, rows, columns, marker, ids


@dataclass(frozen=True)
class J2kHeader:
    """What a JPEG 2000 codestream's SIZ marker segment says."""

    rows: int
    columns: int
    #: Per component: precision in bits (1 to 38).
    precisions: tuple[int, ...]
    #: Per component: whether the samples are signed.
    signed: tuple[bool, ...]
    #: Per component: horizontal and vertical subsampling.
    subsampling: tuple[tuple[int, int], ...]
    #: Byte offset of the codestream (non-zero inside a JP2 file).
    offset: int

    @property
    def components(self) -> int:
        return len(self.precisions)


def j2k_header(src: bytes | bytearray) -> J2kHeader:
    """Read the SIZ segment of a JPEG 2000 codestream (T.800 A.5.1).

    A JP2 file (the codestream in a ``jp2c`` box, which PS3.5 A.4.4 does not
    allow but some writers produce) is accepted; ``offset`` says where its
    codestream starts.  HTJ2K (T.814) uses the same main header.
    """
    offset = 0
    if src.startswith(_JP2_SIGNATURE):
        offset = _jp2_codestream_offset(src)
    if src[offset : offset + 4] != _J2K_SOC_SIZ:
        raise CodecError(
            "not a JPEG 2000 codestream: it does not start with the SOC and SIZ "
            "markers FF4F FF51"
        )
    start = offset + 4
    if start + _SIZ.size > len(src):
        raise CodecError("the JPEG 2000 codestream ends inside its SIZ segment")
    (
        length,
        _capabilities,
        x_size,
        y_size,
        x_origin,
        y_origin,
        *_tiles,
        count,
    ) = _SIZ.unpack_from(src, start)
    components = start + _SIZ.size
    if count == 0 or length != 38 + 3 * count or components + 3 * count > len(src):
        raise CodecError(
            f"corrupt JPEG 2000 SIZ segment: length {length} for {count} components"
        )
    if x_size <= x_origin or y_size <= y_origin:
        raise CodecError("corrupt JPEG 2000 SIZ segment: empty image area")
    entries = [
        src[components + 3 * index : components + 3 * index + 3]
        for index in range(count)
    ]
    return J2kHeader(
        rows=y_size - y_origin,
        columns=x_size - x_origin,
        precisions=tuple((entry[0] & 0x7F) + 1 for entry in entries),
        signed=tuple(bool(entry[0] & 0x80) for entry in entries),
        subsampling=tuple((entry[1], entry[2]) for entry in entries),
        offset=offset,
    )


def _jp2_codestream_offset(src: bytes | bytearray) -> int:
    # Boxes: LBox (4), TBox (4), XLBox (8) when LBox is 1; LBox 0 runs to the end.
    position = 0
    while position + 8 <= len(src):
        box_length, box_type = struct.unpack_from(">I4s", src, position)
        header_length = 8
        if box_length == 1:
            if position + 16 > len(src):
                break
            (box_length,) = struct.unpack_from(">Q", src, position + 8)
            header_length = 16
        if box_type == b"jp2c":
            return position + header_length
        if box_length == 0 or box_length < header_length:
            break
        position += box_length
    raise CodecError("a JP2 file without a codestream (jp2c) box")


def check_frame(
    layout: PixelLayout, rows: int, columns: int, components: int, what: str
) -> None:
    """Raise CodecError unless the codestream's size matches the layout.

    Done before decoding, so that a header claiming a huge image costs
    nothing: the library allocates what the header says.
    """
    if (rows, columns, components) != (
        layout.rows,
        layout.columns,
        layout.samples_per_pixel,
    ):
        raise CodecError(
            f"the {what} holds {rows}x{columns} pixels of {components} "
            f"component(s), but the dataset describes {layout.rows}x"
            f"{layout.columns} of {layout.samples_per_pixel} sample(s)"
        )


def checked_j2k_header(data: bytes | bytearray, layout: PixelLayout) -> J2kHeader:
    """The JPEG 2000 header of ``data``, checked against ``layout``: its
    size and components, no subsampled components (no DICOM photometric
    interpretation of JPEG 2000 describes them), one precision and sign for
    every component, and a precision that fits Bits Allocated."""
    header = j2k_header(data)
    check_frame(layout, header.rows, header.columns, header.components, "codestream")
    if any(factors != (1, 1) for factors in header.subsampling):
        raise CodecError(
            "the codestream has subsampled components, which no DICOM "
            "photometric interpretation of JPEG 2000 describes"
        )
    if len(set(header.precisions)) != 1 or len(set(header.signed)) != 1:
        raise CodecError(
            "the codestream's components differ in precision or sign "
            f"({header.precisions}, signed {header.signed})"
        )
    precision = header.precisions[0]
    if precision > layout.dtype.itemsize * 8:
        raise CodecError(
            f"the codestream's precision ({precision} bits) exceeds Bits Allocated "
            f"({layout.bits_allocated})"
        )
    return header
