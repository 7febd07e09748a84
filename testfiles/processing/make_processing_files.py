#!/usr/bin/env python3
"""Regenerate the pixel processing test files in ``testfiles/processing/``.

Every ``.dcm`` here is written by DCMTK's ``dump2dcm`` from a text dump and a
raw pixel (or LUT, or overlay) file made with numpy; dicomcore writes none of
them.  Each is then rendered by DCMTK's ``dcm2pnm`` with the options its
record names (window, VOI LUT, frame, overlays), and the rendering is kept in
``renderings/`` as the PGM/PPM that ``dcm2pnm`` wrote: the outside witness
that dicomcore's Modality LUT, VOI LUT, windowing, Presentation LUT, palette
and overlay code is tested against.

DCMTK 3.6.7 reads no functional groups, so the enhanced multi-frame files are
rendered frame by frame from single-frame copies (made here, not kept) that
carry that frame's Pixel Value Transformation and Frame VOI LUT values at the
top level.  It knows no LINEAR_EXACT and no segmented palettes; those files
have no rendering (see each record's ``notes``).

Usage::

    python testfiles/processing/make_processing_files.py           # rewrite
    python testfiles/processing/make_processing_files.py --check   # compare

UIDs are fixed, so two runs with the same DCMTK give identical files.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
UID_ROOT = "2.25.2024112201"  # fixed, so the files are reproducible
SOP_CLASSES = {
    "CT": "1.2.840.10008.5.1.4.1.1.2",
    "MR": "1.2.840.10008.5.1.4.1.1.4",
    "SC": "1.2.840.10008.5.1.4.1.1.7",
    "SC-multiframe-byte": "1.2.840.10008.5.1.4.1.1.7.2",
    "Enhanced CT": "1.2.840.10008.5.1.4.1.1.2.1",
}


@dataclass
class Rendering:
    """One ``dcm2pnm`` run: its options and the output file name."""

    options: list[str]
    output: str
    source: str | None = None  # the dump of a single-frame copy, when not the file


@dataclass
class Spec:
    """One test file: its dump lines, binary values, and the renderings."""

    name: str
    description: str
    sop_class: str
    lines: list[str]
    binaries: dict[str, bytes] = field(default_factory=dict)
    renderings: list[Rendering] = field(default_factory=list)
    pixels: np.ndarray | None = None
    notes: str | None = None
    flat_copies: dict[str, list[str]] = field(default_factory=dict)


# -- dump lines ----------------------------------------------------------------


def header(name: str, sop_class: str, instance: int) -> list[str]:
    return [
        "(0002,0010) UI [1.2.840.10008.1.2.1]",
        f"(0008,0016) UI [{SOP_CLASSES[sop_class]}]",
        f"(0008,0018) UI [{UID_ROOT}.{instance}]",
        f"(0008,0060) CS [{'CT' if 'CT' in sop_class else 'OT'}]",
        f"(0008,103e) LO [{name}]",
        "(0010,0010) PN [Processing^Test]",
        f"(0020,000d) UI [{UID_ROOT}.1000]",
        f"(0020,000e) UI [{UID_ROOT}.{1000 + instance}]",
    ]


def image(
    rows: int,
    columns: int,
    *,
    photometric: str = "MONOCHROME2",
    bits_allocated: int = 16,
    bits_stored: int = 12,
    signed: bool = False,
    samples: int = 1,
    frames: int | None = None,
) -> list[str]:
    lines = [f"(0028,0002) US {samples}", f"(0028,0004) CS [{photometric}]"]
    if samples > 1:
        lines.append("(0028,0006) US 0")
    if frames is not None:
        lines.append(f"(0028,0008) IS [{frames}]")
    return lines + [
        f"(0028,0010) US {rows}",
        f"(0028,0011) US {columns}",
        f"(0028,0100) US {bits_allocated}",
        f"(0028,0101) US {bits_stored}",
        f"(0028,0102) US {bits_stored - 1}",
        f"(0028,0103) US {1 if signed else 0}",
    ]


def sequence(tag: str, items: list[list[str]]) -> list[str]:
    lines = [f"({tag}) SQ (Sequence with undefined length)"]
    for item in items:
        lines.append("(fffe,e000) na (Item with undefined length)")
        lines.extend(item)
        lines.append("(fffe,e00d) na (ItemDelimitationItem)")
    lines.append("(fffe,e0dd) na (SequenceDelimitationItem)")
    return lines


def numbers(values: Any) -> str:
    return "\\".join(str(int(v)) for v in np.asarray(values).ravel())


def words(values: Any) -> bytes:
    return np.asarray(values).astype("<u2").tobytes()


def packed_bits(values: np.ndarray) -> bytes:
    data = np.packbits(values.astype(np.uint8).ravel(), bitorder="little").tobytes()
    return data + b"\0" * (len(data) % 2)


# -- the files -----------------------------------------------------------------


def ct_ramp(rows: int = 32, columns: int = 64) -> np.ndarray:
    # every even 12-bit value once: the windows below see all of their range
    return (np.arange(rows * columns).reshape(rows, columns) * 2).astype(np.uint16)


def greyscale_specs() -> list[Spec]:
    specs = []
    ct = ct_ramp()
    specs.append(
        Spec(
            name="ct_rescale_windows",
            description="CT, 12 of 16 bits unsigned, Rescale Intercept -1024, "
            "three windows (the third 1 wide)",
            sop_class="CT",
            lines=header("ct_rescale_windows", "CT", 1)
            + image(32, 64)
            + [
                "(0028,1050) DS [40\\-600\\1000.5]",
                "(0028,1051) DS [400\\1500\\1]",
                "(0028,1052) DS [-1024]",
                "(0028,1053) DS [1]",
                "(0028,1054) LO [HU]",
                "(0028,1055) LO [SOFT TISSUE\\LUNG\\THRESHOLD]",
            ],
            pixels=ct,
            renderings=[
                Rendering(["+Wi", "1"], "ct_rescale_windows_w1.pgm"),
                Rendering(["+Wi", "2"], "ct_rescale_windows_w2.pgm"),
                Rendering(["+Wi", "3"], "ct_rescale_windows_w3.pgm"),
                Rendering(["+Ww", "40.5", "350"], "ct_rescale_windows_ww.pgm"),
                Rendering(["+Wi", "1", "+Wfs"], "ct_rescale_windows_sigmoid.pgm"),
                Rendering(["+Wi", "2", "+opw"], "ct_rescale_windows_w2_16bit.pgm"),
            ],
        )
    )
    signed = (np.arange(24 * 40).reshape(24, 40) * 37 % 4001 - 2000).astype(np.int16)
    specs.append(
        Spec(
            name="ct_signed_sigmoid",
            description="signed 16-bit, Rescale Slope 0.25 and Intercept 100.5, "
            "VOI LUT Function SIGMOID",
            sop_class="CT",
            lines=header("ct_signed_sigmoid", "CT", 2)
            + image(24, 40, bits_stored=16, signed=True)
            + [
                "(0028,1050) DS [60\\-200]",
                "(0028,1051) DS [300\\250.5]",
                "(0028,1052) DS [100.5]",
                "(0028,1053) DS [0.25]",
                "(0028,1056) CS [SIGMOID]",
            ],
            pixels=signed,
            renderings=[
                Rendering(["+Wi", "1"], "ct_signed_sigmoid_w1.pgm"),
                Rendering(["+Wi", "2"], "ct_signed_sigmoid_w2.pgm"),
            ],
        )
    )
    specs.append(
        Spec(
            name="mr_linear_exact",
            description="MR, 12 of 16 bits, VOI LUT Function LINEAR_EXACT",
            sop_class="MR",
            lines=header("mr_linear_exact", "MR", 3)
            + image(32, 64)
            + [
                "(0028,1050) DS [2048\\100.25]",
                "(0028,1051) DS [1000\\0.5]",
                "(0028,1056) CS [LINEAR_EXACT]",
            ],
            pixels=ct,
            notes="DCMTK 3.6.7 does not know LINEAR_EXACT (it warns and uses "
            "LINEAR): no rendering; tested against the equations and pydicom",
        )
    )
    for name, photometric, shape, instance in (
        ("mono1_window", "MONOCHROME1", None, 4),
        ("mono1_identity", "MONOCHROME1", "IDENTITY", 5),
        ("mono2_inverse", "MONOCHROME2", "INVERSE", 6),
    ):
        lines = (
            header(name, "MR", instance)
            + image(32, 64, photometric=photometric)
            + ["(0028,1050) DS [1500]", "(0028,1051) DS [2000]"]
        )
        if shape:
            lines.append(f"(2050,0020) CS [{shape}]")
        specs.append(
            Spec(
                name=name,
                description=f"{photometric}, one window"
                + (f", Presentation LUT Shape {shape}" if shape else ""),
                sop_class="MR",
                lines=lines,
                pixels=ct,
                renderings=[Rendering(["+Wi", "1"], f"{name}_w1.pgm")],
            )
        )
    specs.append(voi_lut_spec(ct))
    specs.extend(modality_lut_specs(ct))
    specs.extend(enhanced_specs())
    return specs


def voi_lut_spec(ct: np.ndarray) -> Spec:
    entries = np.arange(3000)
    root = np.sqrt(entries / 2999)
    lut16 = np.floor(65535 * root)
    lut10 = np.floor(1023 * root**2)
    lut8 = np.floor(255 * (1 - root))
    items = [
        [
            "(0028,3002) US 3000\\300\\16",
            "(0028,3003) LO [SQRT 16 BIT]",
            "(0028,3006) OW =voi_lut16.raw",
        ],
        [
            "(0028,3002) US 3000\\300\\10",
            "(0028,3003) LO [SQUARE 10 BIT US]",
            f"(0028,3006) US {numbers(lut10)}",
        ],
        [
            "(0028,3002) US 3000\\300\\8",
            "(0028,3003) LO [INVERSE 8 BIT PACKED]",
            "(0028,3006) OW =voi_lut8.raw",
        ],
    ]
    return Spec(
        name="voi_lut_sequence",
        description="12 of 16 bits; VOI LUT Sequence of three LUTs (16-bit OW, "
        "10-bit US, 8-bit packed two to an OW word; 3000 entries from 300) and "
        "a window",
        sop_class="MR",
        lines=header("voi_lut_sequence", "MR", 7)
        + image(32, 64)
        + ["(0028,1050) DS [2000]", "(0028,1051) DS [3000]"]
        + sequence("0028,3010", items),
        binaries={
            "voi_lut16.raw": words(lut16),
            "voi_lut8.raw": lut8.astype(np.uint8).tobytes(),
        },
        pixels=ct,
        renderings=[
            Rendering(["+Wl", "1"], "voi_lut_sequence_l1.pgm"),
            Rendering(["+Wl", "2"], "voi_lut_sequence_l2.pgm"),
            Rendering(["+Wl", "3"], "voi_lut_sequence_l3.pgm"),
            Rendering(["+Wi", "1"], "voi_lut_sequence_w1.pgm"),
        ],
    )


def modality_lut_specs(ct: np.ndarray) -> list[Spec]:
    entries = np.arange(2000)
    lut = np.floor(4095 * (entries / 1999) ** 2)
    unsigned = Spec(
        name="modality_lut",
        description="12 of 16 bits; Modality LUT Sequence (2000 12-bit entries "
        "in OW from stored value 100) and a window",
        sop_class="MR",
        lines=header("modality_lut", "MR", 8)
        + image(32, 64)
        + ["(0028,1050) DS [1000]", "(0028,1051) DS [1500]"]
        + sequence(
            "0028,3000",
            [
                [
                    "(0028,3002) US 2000\\100\\12",
                    "(0028,3004) LO [SQUARE]",
                    "(0028,3006) OW =modality_lut.raw",
                ]
            ],
        ),
        binaries={"modality_lut.raw": words(lut)},
        pixels=ct,
        renderings=[
            Rendering(["+Wi", "1"], "modality_lut_w1.pgm"),
            Rendering(["+Ww", "2047.5", "4096"], "modality_lut_ww.pgm"),
        ],
    )
    signed_pixels = (ct.astype(np.int32) // 4 - 300).astype(np.int16)
    signed_lut = (entries[:1200] * 3 + 7) % 4096
    signed = Spec(
        name="modality_lut_signed",
        description="signed 12 of 16 bits; Modality LUT Sequence whose first "
        "value mapped is -200 (SS), 1200 16-bit entries in US",
        sop_class="MR",
        lines=header("modality_lut_signed", "MR", 9)
        + image(32, 64, signed=True)
        + sequence(
            "0028,3000",
            [
                [
                    "(0028,3002) SS 1200\\-200\\16",
                    f"(0028,3006) US {numbers(signed_lut)}",
                ]
            ],
        ),
        pixels=signed_pixels,
        renderings=[Rendering(["+Ww", "2048", "4096"], "modality_lut_signed_ww.pgm")],
    )
    return [unsigned, signed]


ENHANCED_FRAMES = (
    # (slope, intercept, window center, window width)
    (1.0, -1024.0, 40.0, 400.0),
    (2.0, -2048.0, 100.0, 1000.0),
    (0.5, 10.0, 500.0, 300.0),
)


def enhanced_specs() -> list[Spec]:
    frames = len(ENHANCED_FRAMES)
    pixels = (np.arange(frames * 16 * 32).reshape(frames, 16, 32) * 5 % 4000).astype(
        np.uint16
    )

    def group(slope: float, intercept: float, center: float, width: float) -> list[str]:
        return sequence(
            "0028,9145",
            [
                [
                    f"(0028,1052) DS [{intercept:g}]",
                    f"(0028,1053) DS [{slope:g}]",
                    "(0028,1054) LO [HU]",
                ]
            ],
        ) + sequence(
            "0028,9132",
            [[f"(0028,1050) DS [{center:g}]", f"(0028,1051) DS [{width:g}]"]],
        )

    specs = []
    for name, instance, per_frame in (
        ("enhanced_ct_per_frame", 10, True),
        ("enhanced_ct_shared", 11, False),
    ):
        lines = header(name, "Enhanced CT", instance) + image(16, 32, frames=frames)
        if per_frame:
            lines += sequence(
                "5200,9230", [group(*values) for values in ENHANCED_FRAMES]
            )
        else:
            lines += sequence("5200,9229", [group(*ENHANCED_FRAMES[1])])
            lines += sequence("5200,9230", [[] for _ in ENHANCED_FRAMES])
        spec = Spec(
            name=name,
            description=f"Enhanced CT, 3 frames; Pixel Value Transformation and "
            f"Frame VOI LUT in the {'Per-frame' if per_frame else 'Shared'} "
            "Functional Groups",
            sop_class="Enhanced CT",
            lines=lines,
            pixels=pixels,
            notes="DCMTK 3.6.7 reads no functional groups: frame k is rendered "
            "from a single-frame copy with that frame's values at the top level",
        )
        for frame in range(frames):
            slope, intercept, center, width = ENHANCED_FRAMES[frame if per_frame else 1]
            copy = f"{name}_frame{frame + 1}"
            spec.flat_copies[copy] = (
                header(copy, "CT", 100 + 10 * instance + frame)
                + image(16, 32)
                + [
                    f"(0028,1050) DS [{center:g}]",
                    f"(0028,1051) DS [{width:g}]",
                    f"(0028,1052) DS [{intercept:g}]",
                    f"(0028,1053) DS [{slope:g}]",
                ]
            )
            spec.binaries[f"{copy}.raw"] = pixels[frame].astype("<u2").tobytes()
            spec.renderings.append(
                Rendering(["+Wi", "1"], f"{copy}_w1.pgm", source=copy)
            )
        specs.append(spec)
    return specs


def palette_specs() -> list[Spec]:
    rows, columns = 16, 40
    indices = (np.arange(rows * columns).reshape(rows, columns) % 256).astype(np.uint8)
    count, first = 200, 20
    entry = np.arange(count)
    red = entry * 65535 // (count - 1)
    green = (count - 1 - entry) * 65535 // (count - 1)
    blue = (entry * 7919) % 65536
    specs = []
    for bits in (16, 8):
        name = f"palette{bits}"
        channels = (
            [red, green, blue] if bits == 16 else [c >> 8 for c in (red, green, blue)]
        )
        binaries = {
            f"{name}_{c}.raw": (
                words(v) if bits == 16 else v.astype(np.uint8).tobytes()
            )
            for c, v in zip("rgb", channels, strict=True)
        }
        lines = header(name, "SC", 20 + bits) + image(
            rows, columns, photometric="PALETTE COLOR", bits_allocated=8, bits_stored=8
        )
        lines += [f"(0028,110{k}) US {count}\\{first}\\{bits}" for k in (1, 2, 3)]
        lines += [
            f"(0028,120{k}) OW ={name}_{c}.raw"
            for k, c in zip((1, 2, 3), "rgb", strict=True)
        ]
        specs.append(
            Spec(
                name=name,
                description=f"PALETTE COLOR, 8-bit indices; {count} {bits}-bit "
                f"entries from index {first}"
                + (", packed two to an OW word" if bits == 8 else ""),
                sop_class="SC",
                lines=lines,
                binaries=binaries,
                pixels=indices,
                renderings=[Rendering([], f"{name}.ppm")],
            )
        )
    specs.append(segmented_palette_spec(indices))
    return specs


# Segmented Palette Color LUT Data (PS3.3 C.7.9.2), 16-bit entries, 256 in all:
#   red: discrete [0], linear to 65535 over 255
#   green: discrete [100, 200, 300], linear to 1000 over 100, discrete [7, 9],
#          linear to 42 over 151
#   blue: discrete [5], linear to 60000 over 127, indirect (1 segment at byte
#         offset 0: the discrete [5]), linear to 7 over 127
SEGMENTED = {
    "r": [0, 1, 0, 1, 255, 65535],
    "g": [0, 3, 100, 200, 300, 1, 100, 1000, 0, 2, 7, 9, 1, 151, 42],
    "b": [0, 1, 5, 1, 127, 60000, 2, 1, 0, 0, 1, 127, 7],
}


def segmented_palette_spec(indices: np.ndarray) -> Spec:
    rows, columns = indices.shape
    lines = header("palette_segmented", "SC", 30) + image(
        rows, columns, photometric="PALETTE COLOR", bits_allocated=8, bits_stored=8
    )
    lines += [f"(0028,110{k}) US 256\\0\\16" for k in (1, 2, 3)]
    lines += [
        f"(0028,122{k}) OW =palette_segmented_{c}.raw"
        for k, c in zip((1, 2, 3), "rgb", strict=True)
    ]
    return Spec(
        name="palette_segmented",
        description="PALETTE COLOR with Segmented Palette Color LUT Data, 16-bit "
        "entries: discrete, linear and indirect segments",
        sop_class="SC",
        lines=lines,
        binaries={f"palette_segmented_{c}.raw": words(v) for c, v in SEGMENTED.items()},
        pixels=indices,
        notes="dcm2pnm 3.6.7: 'segmented palettes not yet supported'; gdcmconv "
        "3.0.21 aborts on them: no rendering",
    )


def overlay_specs() -> list[Spec]:
    specs = []
    rows, columns = 16, 24
    picture = (np.arange(rows * columns).reshape(rows, columns) * 7 % 200).astype(
        np.uint8
    )
    small = np.zeros((5, 7), np.uint8)
    small[::2, ::3] = 1
    small[1, :] = 1
    diagonal = np.eye(rows, columns, dtype=np.uint8)
    lines = header("overlay", "SC", 40) + image(
        rows, columns, bits_allocated=8, bits_stored=8
    )
    lines += [
        "(6000,0010) US 5",
        "(6000,0011) US 7",
        "(6000,0022) LO [SMALL]",
        "(6000,0040) CS [G]",
        "(6000,0050) SS 3\\4",
        "(6000,0100) US 1",
        "(6000,0102) US 0",
        "(6000,3000) OW =overlay_6000.raw",
        f"(6002,0010) US {rows}",
        f"(6002,0011) US {columns}",
        "(6002,0040) CS [G]",
        "(6002,0050) SS 1\\1",
        "(6002,0100) US 1",
        "(6002,0102) US 0",
        "(6002,3000) OW =overlay_6002.raw",
    ]
    specs.append(
        Spec(
            name="overlay",
            description="8-bit image; overlay 6000 (5 x 7 at origin 3\\4) and "
            "6002 (image-sized diagonal)",
            sop_class="SC",
            lines=lines,
            binaries={
                "overlay_6000.raw": packed_bits(small),
                "overlay_6002.raw": packed_bits(diagonal),
            },
            pixels=picture,
            renderings=[
                Rendering([], "overlay_all.pgm"),
                Rendering(["-O"], "overlay_none.pgm"),
            ],
        )
    )
    frames, rows, columns = 4, 8, 16
    movie = np.arange(frames * rows * columns).reshape(frames, rows, columns) * 7 % 200
    multi = np.zeros((2, 6, 10), np.uint8)
    multi[0, ::2, ::2] = 1
    multi[1, 1, :] = 1
    multi[1, :, 9] = 1
    corner = np.zeros((3, 3), np.uint8)
    corner[0, :] = corner[:, 0] = 1
    lines = header("overlay_multiframe", "SC-multiframe-byte", 41) + image(
        rows, columns, bits_allocated=8, bits_stored=8, frames=frames
    )
    lines += [
        "(6000,0010) US 6",
        "(6000,0011) US 10",
        "(6000,0015) IS [2]",
        "(6000,0040) CS [G]",
        "(6000,0050) SS 2\\3",
        "(6000,0051) US 2",
        "(6000,0100) US 1",
        "(6000,0102) US 0",
        "(6000,3000) OW =overlay_multiframe_6000.raw",
        "(6002,0010) US 3",
        "(6002,0011) US 3",
        "(6002,0040) CS [G]",
        "(6002,0050) SS -1\\15",
        "(6002,0100) US 1",
        "(6002,0102) US 0",
        "(6002,3000) OW =overlay_multiframe_6002.raw",
    ]
    specs.append(
        Spec(
            name="overlay_multiframe",
            description="4 frames; overlay 6000 of 2 frames (6 x 10 at 2\\3) on "
            "image frames 2-3 (Image Frame Origin 2); overlay 6002, one 3 x 3 "
            "frame at -1\\15 (partly outside), on every frame",
            sop_class="SC-multiframe-byte",
            lines=lines,
            binaries={
                "overlay_multiframe_6000.raw": packed_bits(multi),
                "overlay_multiframe_6002.raw": packed_bits(corner),
            },
            pixels=movie.astype(np.uint8),
            renderings=[
                Rendering(["+F", str(k)], f"overlay_multiframe_f{k}.pgm")
                for k in range(1, frames + 1)
            ],
        )
    )
    rows, columns = 8, 16
    base = np.arange(rows * columns).reshape(rows, columns) * 31 % 4096
    marks = (np.arange(rows * columns).reshape(rows, columns) % 5 == 0).astype(int)
    lines = header("overlay_embedded", "SC", 42) + image(rows, columns)
    lines += [
        f"(6000,0010) US {rows}",
        f"(6000,0011) US {columns}",
        "(6000,0040) CS [G]",
        "(6000,0050) SS 1\\1",
        "(6000,0100) US 16",
        "(6000,0102) US 13",
    ]
    specs.append(
        Spec(
            name="overlay_embedded",
            description="12 of 16 bits; the retired overlay embedded in bit 13 "
            "of Pixel Data (Overlay Bits Allocated 16, Bit Position 13)",
            sop_class="SC",
            lines=lines,
            pixels=(base | marks << 13).astype(np.uint16),
            renderings=[
                Rendering(["+Ww", "2048", "4096"], "overlay_embedded.pgm"),
                Rendering(["-O", "+Ww", "2048", "4096"], "overlay_embedded_none.pgm"),
            ],
        )
    )
    return specs


def color_specs() -> list[Spec]:
    rng = np.random.default_rng(20241122)
    rows, columns = 8, 16
    full = rng.integers(0, 256, (rows, columns, 3)).astype(np.uint8)
    luma = rng.integers(16, 236, (rows, columns))
    chroma = rng.integers(16, 241, (2, rows, columns // 2))
    native = np.empty((rows, columns // 2, 4), np.uint8)
    native[..., 0], native[..., 1] = luma[:, 0::2], luma[:, 1::2]
    native[..., 2], native[..., 3] = chroma
    specs = []
    for name, photometric, pixels, raw, instance in (
        ("ybr_full", "YBR_FULL", full, full.tobytes(), 50),
        ("ybr_partial_422", "YBR_PARTIAL_422", native, native.tobytes(), 51),
    ):
        specs.append(
            Spec(
                name=name,
                description=f"{photometric}, 8 bits, native"
                + (" (retired; Y1 Y2 CB CR per pixel pair)" if "422" in name else ""),
                sop_class="SC",
                lines=header(name, "SC", instance)
                + image(
                    rows,
                    columns,
                    photometric=photometric,
                    bits_allocated=8,
                    bits_stored=8,
                    samples=3,
                ),
                binaries={f"{name}.raw": raw},
                pixels=pixels,
                renderings=[Rendering([], f"{name}.ppm")],
                notes="DCMTK converts colour in integer arithmetic of its own: its "
                "RGB may differ from the standard's equations by up to 2",
            )
        )
    return specs


def all_specs() -> list[Spec]:
    return greyscale_specs() + palette_specs() + overlay_specs() + color_specs()


# -- building ------------------------------------------------------------------


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr}")
    return result.stdout


def pixel_bytes(spec: Spec) -> bytes:
    assert spec.pixels is not None
    if spec.name in ("ybr_full", "ybr_partial_422"):
        return spec.binaries[f"{spec.name}.raw"]
    dtype = spec.pixels.dtype
    return spec.pixels.astype(dtype.newbyteorder("<")).tobytes()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(target: Path) -> dict[str, Any]:
    for tool in ("dump2dcm", "dcm2pnm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found (Debian package dcmtk)")
    version = run(["dcm2pnm", "--version"], target).splitlines()[0].strip("$ ")
    (target / "renderings").mkdir(parents=True, exist_ok=True)
    records = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for spec in all_specs():
            pixel_element = (
                "OB" if spec.pixels is not None and spec.pixels.itemsize == 1 else "OW"
            )
            (work / f"{spec.name}.pixels").write_bytes(pixel_bytes(spec))
            for raw_name, data in spec.binaries.items():
                (work / raw_name).write_bytes(data)
            lines = [*spec.lines, f"(7fe0,0010) {pixel_element} ={spec.name}.pixels"]
            (work / f"{spec.name}.dump").write_text("\n".join(lines) + "\n")
            command = [
                "dump2dcm",
                "+l",
                "100000",
                f"{spec.name}.dump",
                f"{spec.name}.dcm",
            ]
            run(command, work)
            shutil.copyfile(work / f"{spec.name}.dcm", target / f"{spec.name}.dcm")
            for copy, copy_lines in spec.flat_copies.items():
                copy_lines = [*copy_lines, f"(7fe0,0010) OW ={copy}.raw"]
                (work / f"{copy}.dump").write_text("\n".join(copy_lines) + "\n")
                run(["dump2dcm", f"{copy}.dump", f"{copy}.dcm"], work)
            renderings = []
            for rendering in spec.renderings:
                source = f"{rendering.source or spec.name}.dcm"
                options = [*rendering.options, source, rendering.output]
                run(["dcm2pnm", *options], work)
                output = work / rendering.output
                shutil.copyfile(output, target / "renderings" / rendering.output)
                renderings.append(
                    {
                        "file": f"renderings/{rendering.output}",
                        "command": " ".join(["dcm2pnm", *options]),
                        "of_single_frame_copy": rendering.source is not None,
                        "sha256": sha256(output.read_bytes()),
                    }
                )
            record: dict[str, Any] = {
                "file": f"{spec.name}.dcm",
                "description": spec.description,
                "made_by": " ".join(command),
                "stored_pixels": {
                    "dtype": str(spec.pixels.dtype)
                    if spec.pixels is not None
                    else None,
                    "shape": list(spec.pixels.shape)
                    if spec.pixels is not None
                    else None,
                    "sha256": sha256(pixel_bytes(spec)),
                },
                "renderings": renderings,
            }
            if spec.notes:
                record["notes"] = spec.notes
            records.append(record)
    return {"made_with": version, "files": records}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, not write")
    arguments = parser.parse_args()
    if not arguments.check:
        manifest = build(HERE)
        text = json.dumps(manifest, indent=1) + "\n"
        (HERE / "manifest.json").write_text(text)
        print(f"wrote {len(manifest['files'])} files and manifest.json")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch)
        manifest = build(target)
        names = [record["file"] for record in manifest["files"]] + [
            rendering["file"]
            for record in manifest["files"]
            for rendering in record["renderings"]
        ]
        differ = [
            name
            for name in names
            if not filecmp.cmp(target / name, HERE / name, shallow=False)
        ]
        if json.loads((HERE / "manifest.json").read_text()) != manifest:
            differ.append("manifest.json")
    print("differ: " + ", ".join(differ) if differ else "identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
