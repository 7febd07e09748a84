#!/usr/bin/env python3
"""Regenerate the independent-witness DICOM test files in ``testfiles/``.

Every file here is written by DCMTK's or GDCM's command-line tools, never by
dicomcore, so that dicomcore's reader is always checked against an outside
implementation:

1. Synthetic pixels are made with numpy (seeded; gradients, discs and noise).
2. ``dump2dcm`` turns a text dump plus a raw pixel file into a DICOM file.
3. ``dcmconv``, ``dcmcrle``, ``dcmcjpeg``, ``dcmcjpls`` and ``gdcmconv`` derive
   the other transfer syntaxes from those files.
4. Each file is decoded again by the tools (``dcmconv +te``, ``dcmdrle``,
   ``dcmdjpeg``, ``dcmdjpls``; ``gdcmconv --raw`` as a second witness, and as
   the only one for JPEG 2000), the raw pixel element is exported
   (``dcmdump +W``, ``gdcmraw``) and turned into an array with numpy (Bits
   Stored masking, sign extension, planar configuration 1 to interleaved,
   1-bit unpacking). The SHA-256 of that array goes into ``manifest.json``
   together with the layout that ``dcm2json`` reports for the file.

Usage::

    python testfiles/make_testfiles.py            # rewrite testfiles/
    python testfiles/make_testfiles.py --check    # rebuild elsewhere, compare

The output is deterministic: every UID is fixed in the dumps and the tools are
told not to generate new ones (``+un``; the two lossy JPEG 2000 files, to which
gdcmconv always gives a random SOP Instance UID, get a fixed one from
``dcmodify``).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent

IMPLICIT_VR_LE = "1.2.840.10008.1.2"
EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"
DEFLATED_EXPLICIT_VR_LE = "1.2.840.10008.1.2.1.99"
EXPLICIT_VR_BE = "1.2.840.10008.1.2.2"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
JPEG_EXTENDED = "1.2.840.10008.1.2.4.51"
JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57"
JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70"
JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80"
JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81"
JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90"
JPEG_2000 = "1.2.840.10008.1.2.4.91"
RLE_LOSSLESS = "1.2.840.10008.1.2.5"

LOSSY_TRANSFER_SYNTAXES = {
    JPEG_BASELINE,
    JPEG_EXTENDED,
    JPEG_LS_NEAR_LOSSLESS,
    JPEG_2000,
}

# dcmdump names the transfer syntax of a data set without file meta
TRANSFER_SYNTAX_BY_DCMDUMP_NAME = {
    "Little Endian Implicit": IMPLICIT_VR_LE,
    "Little Endian Explicit": EXPLICIT_VR_LE,
    "Big Endian Explicit": EXPLICIT_VR_BE,
}

PIXEL_TAGS = {
    "PixelData": "7fe0,0010",
    "FloatPixelData": "7fe0,0008",
    "DoubleFloatPixelData": "7fe0,0009",
}

REQUIRED_TOOLS = (
    "dump2dcm",
    "dcmconv",
    "dcmcrle",
    "dcmdrle",
    "dcmcjpeg",
    "dcmdjpeg",
    "dcmcjpls",
    "dcmdjpls",
    "dcmdump",
    "dcm2json",
    "dcmodify",
    "gdcmconv",
    "gdcmraw",
)


def uid(name: str) -> str:
    """A fixed UID under the 2.25 root, derived from ``name``."""
    digest = hashlib.sha256(("dicomcore-testfiles/" + name).encode()).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))


def run(command: list[str], cwd: Path) -> str:
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {' '.join(command)}\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


# --------------------------------------------------------------------------
# synthetic pixels


def synth(
    rows: int,
    columns: int,
    low: int,
    high: int,
    *,
    seed: int,
    frames: int = 1,
    samples: int = 1,
) -> np.ndarray:
    """Structured test pixels: gradients, discs and a little noise.

    Returns an int64 array of shape (frames, rows, columns, samples) with
    values in [low, high] that reach both ends of that range.
    """
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:columns].astype(np.float64)
    out = np.empty((frames, rows, columns, samples), dtype=np.float64)
    discs = [
        (
            rng.uniform(0.2, 0.8) * rows,
            rng.uniform(0.2, 0.8) * columns,
            rng.uniform(0.12, 0.35) * min(rows, columns),
            rng.uniform(-0.5, 0.5),
        )
        for _ in range(3)
    ]
    for frame in range(frames):
        for sample in range(samples):
            angle = 0.7 * sample + 0.4 * frame
            image = 0.5 * (
                np.cos(angle) * x / max(columns - 1, 1)
                + np.sin(angle) * y / max(rows - 1, 1)
            )
            for centre_y, centre_x, radius, amplitude in discs:
                inside = (
                    (y - centre_y - 1.5 * frame) ** 2
                    + (x - centre_x - 2.0 * (sample - 1)) ** 2
                ) < radius**2
                image = image + amplitude * inside
            out[frame, :, :, sample] = image + rng.normal(0.0, 0.03, size=image.shape)
    out -= out.min()
    out /= out.max()
    return np.clip(np.rint(low + out * (high - low)).astype(np.int64), low, high)


def rgb_to_ybr_full(rgb: np.ndarray) -> np.ndarray:
    """RGB -> YBR_FULL (PS3.3 C.7.6.3.1.2), 8-bit, rounded and clipped."""
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    luma = 0.299 * r + 0.587 * g + 0.114 * b
    blue = -0.1687 * r - 0.3313 * g + 0.5 * b + 128
    red = 0.5 * r - 0.4187 * g - 0.0813 * b + 128
    return np.clip(np.rint(np.stack([luma, blue, red], axis=-1)), 0, 255).astype(
        np.int64
    )


def pack_native(
    values: np.ndarray,
    bits_allocated: int,
    bits_stored: int,
    pixel_representation: int,
    planar_configuration: int | None,
) -> bytes:
    """(frames, rows, columns, samples) values -> native little endian bytes."""
    v = np.asarray(values, dtype=np.int64)
    if planar_configuration == 1:
        v = v.transpose(0, 3, 1, 2)
    flat = v.reshape(-1)
    if bits_allocated == 1:
        return np.packbits(flat.astype(np.uint8), bitorder="little").tobytes()
    if pixel_representation == 1:
        flat = flat & ((1 << bits_stored) - 1)  # two's complement within Bits Stored
    return flat.astype(f"<u{bits_allocated // 8}").tobytes()


def as_pixel_array(values: np.ndarray, dtype: Any) -> np.ndarray:
    """(frames, rows, columns, samples) -> the shape a pixel_array has."""
    a = np.asarray(values).astype(dtype)
    if a.shape[3] == 1:
        a = a[..., 0]
    if a.shape[0] == 1:
        a = a[0]
    return a


# --------------------------------------------------------------------------
# the files written directly by dump2dcm

STUDY_UID = uid("study")
FRAME_OF_REFERENCE_UID = uid("frame-of-reference")

SOP_CLASS = {
    "CT": "1.2.840.10008.5.1.4.1.1.2",
    "MR": "1.2.840.10008.5.1.4.1.1.4",
    "SC": "1.2.840.10008.5.1.4.1.1.7",
    "SC-1bit": "1.2.840.10008.5.1.4.1.1.7.1",
    "SC-word": "1.2.840.10008.5.1.4.1.1.7.3",
    "PM": "1.2.840.10008.5.1.4.1.1.30",
    "RTPLAN": "1.2.840.10008.5.1.4.1.1.481.5",
}


def common_lines(
    name: str,
    sop: str,
    modality: str,
    series_number: int,
    patient_name: str = "Test^Patient",
) -> list[str]:
    return [
        f"(0008,0016) UI [{SOP_CLASS[sop]}]",
        f"(0008,0018) UI [{uid(name + '/sop')}]",
        "(0008,0020) DA [20240102]",
        "(0008,0030) TM [101112]",
        "(0008,0050) SH [ACC0001]",
        f"(0008,0060) CS [{modality}]",
        "(0008,0070) LO [dicomcore test corpus]",
        f"(0008,103e) LO [{name}]",
        f"(0010,0010) PN [{patient_name}]",
        "(0010,0020) LO [DCTEST001]",
        "(0010,0030) DA [19700101]",
        "(0010,0040) CS [O]",
        f"(0020,000d) UI [{STUDY_UID}]",
        f"(0020,000e) UI [{uid(name + '/series')}]",
        "(0020,0010) SH [STUDY1]",
        f"(0020,0011) IS [{series_number}]",
        "(0020,0013) IS [1]",
    ]


def image_lines(
    rows: int,
    columns: int,
    samples: int,
    photometric: str,
    bits_allocated: int,
    bits_stored: int,
    pixel_representation: int,
    planar_configuration: int | None = None,
    frames: int | None = None,
) -> list[str]:
    lines = [f"(0028,0002) US {samples}", f"(0028,0004) CS [{photometric}]"]
    if planar_configuration is not None:
        lines.append(f"(0028,0006) US {planar_configuration}")
    if frames is not None:
        lines.append(f"(0028,0008) IS [{frames}]")
    return lines + [
        f"(0028,0010) US {rows}",
        f"(0028,0011) US {columns}",
        f"(0028,0100) US {bits_allocated}",
        f"(0028,0101) US {bits_stored}",
        f"(0028,0102) US {bits_stored - 1}",
        f"(0028,0103) US {pixel_representation}",
    ]


def float_image_lines(
    rows: int, columns: int, bits_allocated: int, frames: int
) -> list[str]:
    # Float and Double Float Pixel Data have no Bits Stored, High Bit or
    # Pixel Representation (PS3.3 C.7.6.3, Parametric Map).
    return [
        "(0008,0008) CS [DERIVED\\PRIMARY]",
        f"(0028,0008) IS [{frames}]",
        "(0028,0002) US 1",
        "(0028,0004) CS [MONOCHROME2]",
        f"(0028,0010) US {rows}",
        f"(0028,0011) US {columns}",
        f"(0028,0100) US {bits_allocated}",
    ]


def source_specs() -> list[dict]:
    """Files made by dump2dcm: dump lines, pixel value, intended pixel array."""
    specs: list[dict] = []

    def add(
        name: str,
        transfer_syntax: str,
        lines: list[str],
        *,
        pixel_bytes: bytes | None = None,
        pixel_text: str | None = None,
        vr: str = "OW",
        pixel_tag: str = "7fe0,0010",
        expected: np.ndarray | None = None,
        options: tuple = (),
    ) -> None:
        specs.append(
            dict(
                name=name,
                transfer_syntax=transfer_syntax,
                lines=lines,
                pixel_bytes=pixel_bytes,
                pixel_text=pixel_text,
                vr=vr,
                pixel_tag=pixel_tag,
                expected=expected,
                options=list(options),
            )
        )

    # CT, Implicit VR: signed 16-bit, rescale, nested sequence, private
    # elements of two GE creators known to DCMTK's private.dic, a PN with all
    # five components, multi-valued DS/US/IS/CS
    name = "ct_int16_implicit"
    values = synth(64, 64, -1024, 1800, seed=1)
    lines = common_lines(name, "CT", "CT", 1, patient_name="Doe^John^Quincy^Dr.^Jr.")
    lines += [
        "(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]",
        "(0008,1140) SQ (Sequence with explicit length #=2)",
        "  (fffe,e000) na (Item with explicit length #=2)",
        f"    (0008,1150) UI [{SOP_CLASS['CT']}]",
        f"    (0008,1155) UI [{uid(name + '/ref1')}]",
        "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)",
        "  (fffe,e000) na (Item with explicit length #=3)",
        f"    (0008,1150) UI [{SOP_CLASS['CT']}]",
        f"    (0008,1155) UI [{uid(name + '/ref2')}]",
        "    (0008,1160) IS [1\\2]",
        "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)",
        "(fffe,e0dd) na (SequenceDelimitationItem for re-encod.)",
        "(0009,0010) LO [GEMS_IDEN_01]",
        "(0009,1001) LO [CT_LIGHTSPEED]",
        "(0009,1002) SH [CT01]",
        "(0018,0050) DS [1.25]",
        "(0018,0060) DS [120]",
        "(0018,1310) US 0\\64\\64\\0",
        "(0019,0010) LO [GEMS_ACQU_01]",
        "(0019,1002) SL 888",
        "(0019,1003) DS [442.5]",
        "(0019,1011) SS -3",
        f"(0020,0052) UI [{FRAME_OF_REFERENCE_UID}]",
        "(0020,0032) DS [-125.0\\-130.5\\42.25]",
        "(0020,0037) DS [1\\0\\0\\0\\1\\0]",
        "(0020,1041) DS [42.25]",
        "(0028,0030) DS [0.48828125\\0.5]",
        "(0028,1050) DS [40\\400]",
        "(0028,1051) DS [400\\1500]",
        "(0028,1052) DS [-1024]",
        "(0028,1053) DS [1]",
        "(0028,1054) LO [HU]",
    ]
    lines += image_lines(64, 64, 1, "MONOCHROME2", 16, 16, 1)
    add(
        name,
        IMPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 16, 16, 1, None),
        expected=as_pixel_array(values, np.int16),
    )

    # 8-bit grey with an odd number of pixel bytes (5 x 7 = 35, padded to 36)
    name = "mono8_odd_explicit"
    values = synth(5, 7, 0, 255, seed=2)
    lines = common_lines(name, "SC", "OT", 2) + ["(0008,0064) CS [WSD]"]
    lines += image_lines(5, 7, 1, "MONOCHROME2", 8, 8, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 8, 8, 0, None),
        vr="OB",
        expected=as_pixel_array(values, np.uint8),
    )

    name = "mono8_explicit"
    values = synth(32, 32, 0, 255, seed=3)
    lines = common_lines(name, "SC", "OT", 3) + ["(0008,0064) CS [WSD]"]
    lines += image_lines(32, 32, 1, "MONOCHROME2", 8, 8, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 8, 8, 0, None),
        vr="OB",
        expected=as_pixel_array(values, np.uint8),
    )

    name = "mono16_explicit"
    values = synth(64, 64, 0, 65535, seed=4)
    lines = common_lines(name, "MR", "MR", 4) + ["(0028,0030) DS [0.9375\\0.9375]"]
    lines += image_lines(64, 64, 1, "MONOCHROME2", 16, 16, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 16, 16, 0, None),
        expected=as_pixel_array(values, np.uint16),
    )

    # 12 bits stored in 16, signed; bits 12-15 are zero, so negative values
    # need sign extension
    name = "mono12s_explicit"
    values = synth(32, 32, -2048, 2047, seed=5)
    lines = common_lines(name, "CT", "CT", 5) + [
        "(0028,1052) DS [0]",
        "(0028,1053) DS [1]",
    ]
    lines += image_lines(32, 32, 1, "MONOCHROME2", 16, 12, 1)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 16, 12, 1, None),
        expected=as_pixel_array(values, np.int16),
    )

    name = "mono12u_explicit"
    values = synth(32, 32, 0, 4095, seed=6)
    lines = common_lines(name, "SC", "OT", 6)
    lines += image_lines(32, 32, 1, "MONOCHROME2", 16, 12, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 16, 12, 0, None),
        expected=as_pixel_array(values, np.uint16),
    )

    # 12 bits stored in 16, unsigned, with other data in bits 12-15 that a
    # reader must mask away
    name = "mono12u_dirty_explicit"
    values = synth(16, 16, 0, 4095, seed=7)
    stored = values[0, :, :, 0]
    junk = (np.arange(stored.size).reshape(stored.shape) * 7) % 16
    lines = common_lines(name, "SC", "OT", 7)
    lines += image_lines(16, 16, 1, "MONOCHROME2", 16, 12, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=(stored | (junk << 12)).astype("<u2").tobytes(),
        expected=as_pixel_array(values, np.uint16),
    )

    rgb = synth(32, 32, 0, 255, seed=8, samples=3)
    for planar_configuration in (0, 1):
        name = f"rgb8_planar{planar_configuration}_explicit"
        lines = common_lines(name, "SC", "OT", 8 + planar_configuration)
        lines += image_lines(32, 32, 3, "RGB", 8, 8, 0, planar_configuration)
        add(
            name,
            EXPLICIT_VR_LE,
            lines,
            pixel_bytes=pack_native(rgb, 8, 8, 0, planar_configuration),
            vr="OB",
            expected=as_pixel_array(rgb, np.uint8),
        )

    name = "ybr_full8_explicit"
    ybr = rgb_to_ybr_full(rgb)
    lines = common_lines(name, "SC", "OT", 10)
    lines += image_lines(32, 32, 3, "YBR_FULL", 8, 8, 0, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(ybr, 8, 8, 0, 0),
        vr="OB",
        expected=as_pixel_array(ybr, np.uint8),
    )

    name = "mono16_5frames_explicit"
    values = synth(32, 32, 0, 65535, seed=11, frames=5)
    lines = common_lines(name, "SC-word", "OT", 11)
    lines += ["(0028,0009) AT (0018,2002)", "(0018,2002) SH [1\\2\\3\\4\\5]"]
    lines += image_lines(32, 32, 1, "MONOCHROME2", 16, 16, 0, frames=5)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 16, 16, 0, None),
        expected=as_pixel_array(values, np.uint16),
    )

    # 1-bit, 3 frames of 5 x 5: frames 1 and 2 start inside a byte
    name = "mono1_3frames_explicit"
    bits = (synth(5, 5, 0, 1000, seed=12, frames=3) > 450).astype(np.int64)
    lines = common_lines(name, "SC-1bit", "OT", 12)
    lines += image_lines(5, 5, 1, "MONOCHROME2", 1, 1, 0, frames=3)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(bits, 1, 1, 0, None),
        vr="OB",
        expected=as_pixel_array(bits, np.uint8),
    )

    name = "mono32u_explicit"
    values = synth(16, 16, 0, 4_000_000_000, seed=13)
    lines = common_lines(name, "SC", "OT", 13)
    lines += image_lines(16, 16, 1, "MONOCHROME2", 32, 32, 0)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        pixel_bytes=pack_native(values, 32, 32, 0, None),
        expected=as_pixel_array(values, np.uint32),
    )

    # Float Pixel Data. dump2dcm reads OF/OD only as text; the values are
    # multiples of 2**-10 so that the decimal text converts exactly.
    name = "float32_pmap_explicit"
    values = synth(16, 16, -40000, 60000, seed=14, frames=2)[..., 0]
    float32 = (values / 1024.0).astype(np.float32)
    lines = common_lines(name, "PM", "MR", 14) + float_image_lines(16, 16, 32, 2)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        vr="OF",
        pixel_tag="7fe0,0008",
        expected=float32,
        pixel_text="\\".join(repr(float(v)) for v in float32.reshape(-1)),
    )

    name = "float64_pmap_explicit"
    values = synth(16, 16, -3_000_000, 5_000_000, seed=15)[0, ..., 0]
    float64 = values / 4096.0
    lines = common_lines(name, "PM", "MR", 15) + float_image_lines(16, 16, 64, 1)
    add(
        name,
        EXPLICIT_VR_LE,
        lines,
        vr="OD",
        pixel_tag="7fe0,0009",
        expected=float64,
        pixel_text="\\".join(repr(float(v)) for v in float64.reshape(-1)),
    )

    # RT Plan without pixels; all sequences and items of undefined length
    for transfer_syntax, suffix in (
        (EXPLICIT_VR_LE, "explicit"),
        (IMPLICIT_VR_LE, "implicit"),
    ):
        name = f"rtplan_undefined_length_{suffix}"
        lines = common_lines(name, "RTPLAN", "RTPLAN", 16, patient_name="Plan^Patient")
        lines += [
            "(300a,0002) SH [PLAN1]",
            "(300a,0003) LO [Test plan]",
            "(300a,000c) CS [PATIENT]",
            "(300a,0070) SQ (Sequence with undefined length #=1)",
            "  (fffe,e000) na (Item with undefined length #=2)",
            "    (300a,0071) IS [1]",
            "    (300a,0078) IS [30]",
            "  (fffe,e00d) na (ItemDelimitationItem)",
            "(fffe,e0dd) na (SequenceDelimitationItem)",
            "(300a,00b0) SQ (Sequence with undefined length #=2)",
        ]
        for beam in (1, 2):
            gantry_angle = (beam - 1) * 180
            lines += [
                "  (fffe,e000) na (Item with undefined length #=5)",
                f"    (300a,00b2) SH [LINAC{beam}]",
                f"    (300a,00c0) IS [{beam}]",
                f"    (300a,00c2) LO [Beam {beam}]",
                "    (300a,00c4) CS [STATIC]",
                "    (300a,0111) SQ (Sequence with undefined length #=2)",
            ]
            for index in (0, 1):
                lines += [
                    "      (fffe,e000) na (Item with undefined length #=2)",
                    f"        (300a,0112) IS [{index}]",
                    f"        (300a,011e) DS [{gantry_angle}]",
                    "      (fffe,e00d) na (ItemDelimitationItem)",
                ]
            lines += [
                "    (fffe,e0dd) na (SequenceDelimitationItem)",
                "  (fffe,e00d) na (ItemDelimitationItem)",
            ]
        lines += ["(fffe,e0dd) na (SequenceDelimitationItem)"]
        add(name, transfer_syntax, lines, options=("-e",))

    return specs


# --------------------------------------------------------------------------
# files derived by the tools. One line each: output, source, command. The
# first command reads the source and writes the output ("{src} {dst}" are
# appended); a command after ";", which may start a continuation line, edits
# the output in place ("{dst}" appended).
# "{uid}" stands for a fixed UID of the output file.

DERIVED = """
# transfer syntax conversions
ct_int16_explicit          ct_int16_implicit        dcmconv +te
ct_int16_bigendian         ct_int16_implicit        dcmconv +tb
mono16_bigendian           mono16_explicit          dcmconv +tb
mono8_odd_bigendian        mono8_odd_explicit       dcmconv +tb
rgb8_planar0_bigendian     rgb8_planar0_explicit    dcmconv +tb
mono1_3frames_bigendian    mono1_3frames_explicit   dcmconv +tb
mono16_deflated            mono16_explicit          dcmconv +td
# data sets without preamble and file meta information
ct_int16_implicit_nometa   ct_int16_implicit        dcmconv -F +ti
mono16_explicit_nometa     mono16_explicit          dcmconv -F +te
# RLE Lossless
mono8_odd_rle              mono8_odd_explicit       dcmcrle
mono8_rle                  mono8_explicit           dcmcrle
ct_int16_rle               ct_int16_implicit        dcmcrle
rgb8_rle                   rgb8_planar0_explicit    dcmcrle
mono16_5frames_rle         mono16_5frames_explicit  dcmcrle
mono32u_rle                mono32u_explicit         dcmcrle
mono8_rle_gdcm             mono8_explicit           gdcmconv --rle
ct_int16_rle_gdcm          ct_int16_implicit        gdcmconv --rle
rgb8_rle_gdcm              rgb8_planar0_explicit    gdcmconv --rle
mono16_5frames_rle_gdcm    mono16_5frames_explicit  gdcmconv --rle
mono32u_rle_gdcm           mono32u_explicit         gdcmconv --rle
# JPEG baseline and extended (lossy); +un keeps the SOP Instance UID
mono8_jpeg_baseline        mono8_explicit           dcmcjpeg +eb +un
rgb8_jpeg_baseline_ybr422  rgb8_planar0_explicit    dcmcjpeg +eb +un
rgb8_jpeg_baseline_ybr444  rgb8_planar0_explicit    dcmcjpeg +eb +s4 +un
rgb8_jpeg_baseline_rgb     rgb8_planar0_explicit    dcmcjpeg +eb +cr +un
mono12u_jpeg_extended      mono12u_explicit         dcmcjpeg +ee +un
# JPEG lossless, first-order prediction (selection value 1)
mono8_jpeg_sv1             mono8_explicit           dcmcjpeg +e1 +un
mono12u_jpeg_sv1           mono12u_explicit         dcmcjpeg +e1 +un
mono16_jpeg_sv1            mono16_explicit          dcmcjpeg +e1 +un
ct_int16_jpeg_sv1          ct_int16_implicit        dcmcjpeg +e1 +un
rgb8_jpeg_sv1              rgb8_planar0_explicit    dcmcjpeg +e1 +un
mono16_5frames_jpeg_sv1    mono16_5frames_explicit  dcmcjpeg +e1 +un
ct_int16_jpeg_sv1_gdcm     ct_int16_implicit        gdcmconv --jpeg
# JPEG lossless, other selection values
mono16_jpeg_lossless_sv6   mono16_explicit          dcmcjpeg +el +sv 6 +un
mono8_jpeg_lossless_sv7    mono8_explicit           dcmcjpeg +el +sv 7 +un
# JPEG-LS
mono8_jpegls               mono8_explicit           dcmcjpls +el +un
mono16_jpegls              mono16_explicit          dcmcjpls +el +un
ct_int16_jpegls            ct_int16_implicit        dcmcjpls +el +un
rgb8_jpegls                rgb8_planar0_explicit    dcmcjpls +el +un
mono16_5frames_jpegls      mono16_5frames_explicit  dcmcjpls +el +un
rgb8_jpegls_gdcm           rgb8_planar0_explicit    gdcmconv --jpegls
mono8_jpegls_near          mono8_explicit           dcmcjpls +en +md 2 +un
mono16_jpegls_near         mono16_explicit          dcmcjpls +en +md 3 +un
# JPEG 2000 (GDCM with OpenJPEG)
mono8_j2k                  mono8_explicit           gdcmconv --j2k
mono16_j2k                 mono16_explicit          gdcmconv --j2k
ct_int16_j2k               ct_int16_implicit        gdcmconv --j2k
mono12s_j2k                mono12s_explicit         gdcmconv --j2k
rgb8_j2k                   rgb8_planar0_explicit    gdcmconv --j2k
mono16_5frames_j2k         mono16_5frames_explicit  gdcmconv --j2k
# gdcmconv gives lossy results a random SOP Instance UID; dcmodify sets a
# fixed one (and, in passing, rewrites the file meta as DCMTK's)
mono16_j2k_lossy           mono16_explicit          gdcmconv --j2k --lossy -q 40
    ; dcmodify -nb -le -m (0008,0018)={uid}
rgb8_j2k_lossy             rgb8_planar0_explicit    gdcmconv --j2k --lossy -q 40
    ; dcmodify -nb -le -m (0008,0018)={uid}
"""


def derived_files() -> list[tuple[str, str, list[list[str]]]]:
    """(output, source, commands) from the DERIVED table."""
    out = []
    text = re.sub(r"\n\s+;", " ;", DERIVED)
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, source, rest = line.split(None, 2)
        first, *more = rest.split(";")
        commands = [first.split() + ["{src}", "{dst}"]]
        commands += [command.split() + ["{dst}"] for command in more]
        out.append((name, source, commands))
    return out


# --------------------------------------------------------------------------
# reading files back with the tools


def read_with_dcm2json(path: Path, work: Path) -> dict:
    """Data set and file meta as DICOM JSON (PS3.18 F), via DCMTK's dcm2json.

    dcm2json cannot print encapsulated Pixel Data, so it reads a copy whose
    pixel elements dcmodify erased. Which pixel element the file has, and
    whether it has file meta information (dcmodify adds it to the copy), is
    taken from dcmdump and stored under the extra keys "pixel_element" and
    "has_file_meta".
    """
    dump = run(["dcmdump", "-M", str(path)], work)
    present = [
        keyword
        for keyword, tag in PIXEL_TAGS.items()
        if re.search(r"^\(" + tag + r"\)", dump, re.M)
    ]
    assert len(present) <= 1, present
    copy = Path(tempfile.mkdtemp(dir=work)) / "copy.dcm"
    shutil.copyfile(path, copy)
    erase = [arg for tag in PIXEL_TAGS.values() for arg in ("-e", f"({tag})")]
    run(["dcmodify", "-nb", "-imt", *erase, str(copy)], work)
    dataset = json.loads(run(["dcm2json", "+m", "-fc", str(copy)], work))
    dataset["pixel_element"] = present[0] if present else None
    dataset["has_file_meta"] = re.search(r"^\(0002,0010\)", dump, re.M) is not None
    return dataset


def transfer_syntax_by_dcmdump(path: Path, work: Path) -> str:
    """Transfer syntax UID of the data set, as dcmdump reports it."""
    dump = run(["dcmdump", "-Un", "-M", str(path)], work)
    found = re.search(r"^\(0002,0010\) UI \[([0-9.]+)\]", dump, re.M)
    if found:
        return found.group(1)
    found = re.search(r"# Dicom-Data-Set\n# Used TransferSyntax: (.+)", dump)
    assert found is not None, dump[:200]
    return TRANSFER_SYNTAX_BY_DCMDUMP_NAME[found.group(1).strip()]


def json_value(dataset: dict, tag: str) -> Any:
    element = dataset.get(tag.replace(",", "").upper())
    if element is None or "Value" not in element:
        return None
    value = element["Value"]
    return value[0] if len(value) == 1 else value


def layout_of(dataset: dict) -> dict:
    frames = json_value(dataset, "0028,0008")
    return dict(
        rows=json_value(dataset, "0028,0010"),
        columns=json_value(dataset, "0028,0011"),
        samples_per_pixel=json_value(dataset, "0028,0002"),
        photometric_interpretation=json_value(dataset, "0028,0004"),
        planar_configuration=json_value(dataset, "0028,0006"),
        bits_allocated=json_value(dataset, "0028,0100"),
        bits_stored=json_value(dataset, "0028,0101"),
        high_bit=json_value(dataset, "0028,0102"),
        pixel_representation=json_value(dataset, "0028,0103"),
        number_of_frames=int(frames) if frames is not None else 1,
        pixel_element=dataset["pixel_element"],
    )


def container_dtype(layout: dict) -> np.dtype:
    if layout["pixel_element"] == "FloatPixelData":
        return np.dtype("<f4")
    if layout["pixel_element"] == "DoubleFloatPixelData":
        return np.dtype("<f8")
    if layout["bits_allocated"] == 1:
        return np.dtype("u1")
    kind = "i" if layout["pixel_representation"] == 1 else "u"
    return np.dtype(f"<{kind}{layout['bits_allocated'] // 8}")


def array_shape(layout: dict) -> tuple[int, ...]:
    shape: tuple[int, ...] = (layout["rows"], layout["columns"])
    if layout["number_of_frames"] > 1:
        shape = (layout["number_of_frames"],) + shape
    if layout["samples_per_pixel"] > 1:
        shape = shape + (layout["samples_per_pixel"],)
    return shape


def raw_to_array(raw: bytes, layout: dict) -> np.ndarray:
    """Native little endian pixel bytes -> the pixel array a reader returns."""
    dtype = container_dtype(layout)
    frames, rows, columns = (
        layout["number_of_frames"],
        layout["rows"],
        layout["columns"],
    )
    samples = layout["samples_per_pixel"]
    count = frames * rows * columns * samples
    if layout["bits_allocated"] == 1:
        bits = np.unpackbits(np.frombuffer(raw, np.uint8), bitorder="little")
        array = bits[:count].astype(np.uint8)
    elif dtype.kind == "f":
        array = np.frombuffer(raw, dtype)[:count].copy()
    else:
        bits_allocated, bits_stored = layout["bits_allocated"], layout["bits_stored"]
        assert layout["high_bit"] == bits_stored - 1, "only High Bit = Bits Stored - 1"
        stored = np.frombuffer(raw, f"<u{bits_allocated // 8}")[:count].astype(
            np.uint64
        )
        stored &= np.uint64((1 << bits_stored) - 1)
        if layout["pixel_representation"] == 1:
            signed = stored.astype(np.int64)
            signed = np.where(
                signed >= 1 << (bits_stored - 1), signed - (1 << bits_stored), signed
            )
            array = signed.astype(dtype)
        else:
            array = stored.astype(dtype)
    assert array.size == count, (array.size, count)
    if samples > 1 and layout["planar_configuration"] == 1:
        array = array.reshape(frames, samples, rows, columns).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(array.reshape(array_shape(layout)))


def sha256_of(array: np.ndarray) -> str:
    array = np.ascontiguousarray(array)
    if array.dtype.byteorder == ">":
        array = array.astype(array.dtype.newbyteorder("<"))
    return hashlib.sha256(array.tobytes()).hexdigest()


def export_pixels(path: Path, pixel_element: str, work: Path) -> bytes:
    """The raw value of the pixel element of a native little endian file."""
    if pixel_element == "PixelData":
        folder = Path(tempfile.mkdtemp(dir=work))
        run(["dcmdump", "-q", "+W", str(folder), str(path)], work)
        files = sorted(folder.iterdir())
        assert len(files) == 1, files
        return files[0].read_bytes()
    # dcmdump +W writes only (7FE0,0010)
    out = work / (path.name + ".raw")
    run(
        ["gdcmraw", "-t", PIXEL_TAGS[pixel_element], "-i", str(path), "-o", str(out)],
        work,
    )
    return out.read_bytes()


def dcmtk_decoder(transfer_syntax: str) -> list[str] | None:
    """DCMTK command that writes a file as Explicit VR Little Endian."""
    if transfer_syntax in (IMPLICIT_VR_LE, EXPLICIT_VR_BE, DEFLATED_EXPLICIT_VR_LE):
        return ["dcmconv", "+te", "{src}", "{dst}"]
    if transfer_syntax == RLE_LOSSLESS:
        return ["dcmdrle", "{src}", "{dst}"]
    if transfer_syntax in (
        JPEG_BASELINE,
        JPEG_EXTENDED,
        JPEG_LOSSLESS,
        JPEG_LOSSLESS_SV1,
    ):
        return ["dcmdjpeg", "{src}", "{dst}"]
    if transfer_syntax in (JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS):
        return ["dcmdjpls", "{src}", "{dst}"]
    return None  # the free DCMTK has no JPEG 2000 codec


GDCM_DECODER = ["gdcmconv", "--raw", "--explicit", "{src}", "{dst}"]


def decode_with(
    command: list[str] | None, path: Path, work: Path, label: str
) -> tuple[np.ndarray, dict]:
    """Decode ``path`` with ``command`` (None: as it is); (array, layout)."""
    target = path
    if command is not None:
        target = work / f"{path.stem}.{label}.dcm"
        run(fill(command, path, target), work)
    dataset = read_with_dcm2json(target, work)
    layout = layout_of(dataset)
    transfer_syntax = json_value(dataset, "0002,0010") or EXPLICIT_VR_LE
    if transfer_syntax != EXPLICIT_VR_LE:
        raise RuntimeError(f"{command} wrote transfer syntax {transfer_syntax}")
    raw = export_pixels(target, layout["pixel_element"], work)
    return raw_to_array(raw, layout), layout


def fill(command: list[str], source: object = "", output: object = "") -> list[str]:
    """``command`` with "{src}" and "{dst}" replaced; empty words dropped."""
    words = [
        str(source) if c == "{src}" else str(output) if c == "{dst}" else c
        for c in command
    ]
    return [w for w in words if w]


def command_text(command: list[str], source: str = "", output: str = "") -> str:
    return " ".join(fill(command, source, output))


# --------------------------------------------------------------------------
# element values recorded in the manifest: DICOM JSON "Value" arrays (PS3.18
# F.2), keyed by keyword, or by "ggggeeee" for private elements

RECORDED_ELEMENTS = {
    "00080008": "ImageType",
    "00080016": "SOPClassUID",
    "00080018": "SOPInstanceUID",
    "00080060": "Modality",
    "00100010": "PatientName",
    "00100020": "PatientID",
    "0020000D": "StudyInstanceUID",
    "0020000E": "SeriesInstanceUID",
    "00081140": "ReferencedImageSequence",
    "00090010": None,
    "00091001": None,
    "00091002": None,
    "00190010": None,
    "00191002": None,
    "00191003": None,
    "00191011": None,
    "00181310": "AcquisitionMatrix",
    "00200032": "ImagePositionPatient",
    "00200037": "ImageOrientationPatient",
    "00280030": "PixelSpacing",
    "00281050": "WindowCenter",
    "00281051": "WindowWidth",
    "00281052": "RescaleIntercept",
    "00281053": "RescaleSlope",
    "00280008": "NumberOfFrames",
    "00280009": "FrameIncrementPointer",
    "300A0002": "RTPlanLabel",
    "300A0070": "FractionGroupSequence",
    "300A00B0": "BeamSequence",
    "00282110": "LossyImageCompression",
    "00282112": "LossyImageCompressionRatio",
    "00282114": "LossyImageCompressionMethod",
}


def recorded_elements(dataset: dict) -> dict:
    out: dict[str, Any] = {}
    for tag, keyword in RECORDED_ELEMENTS.items():
        element = dataset.get(tag)
        if element is None:
            continue
        if keyword is None:  # private: keep the VR too
            out[tag] = {"vr": element["vr"], "Value": element.get("Value")}
        else:
            out[keyword] = element.get("Value")
    return out


# --------------------------------------------------------------------------


def write_files(outdir: Path, work: Path) -> dict[str, dict]:
    """Run dump2dcm and the converters; return name -> facts about the file."""
    made: dict[str, dict] = {}
    for spec in source_specs():
        name = spec["name"]
        lines = [f"(0002,0010) UI [{spec['transfer_syntax']}]"] + spec["lines"]
        if spec["pixel_bytes"] is not None:
            (work / f"{name}.raw").write_bytes(spec["pixel_bytes"])
            lines.append(f"({spec['pixel_tag']}) {spec['vr']} ={name}.raw")
        elif spec["pixel_text"] is not None:
            lines.append(f"({spec['pixel_tag']}) {spec['vr']} {spec['pixel_text']}")
        (work / f"{name}.dump").write_text("\n".join(lines) + "\n")
        command = [
            "dump2dcm",
            "+l",
            "1000000",
            *spec["options"],
            f"{name}.dump",
            "{dst}",
        ]
        path = outdir / f"{name}.dcm"
        run(fill(command, output=path), work)
        made[name] = dict(
            path=path,
            source=None,
            expected=spec["expected"],
            made_by=command_text(command, output=path.name),
        )

    for name, source, commands in derived_files():
        source_path = made[source]["path"]
        path = outdir / f"{name}.dcm"
        texts = []
        for command in commands:
            command = [c.replace("{uid}", uid(name + "/sop")) for c in command]
            run(fill(command, source_path, path), work)
            texts.append(command_text(command, source_path.name, path.name))
        made[name] = dict(
            path=path, source=source, expected=None, made_by="; ".join(texts)
        )
    return made


def describe(name: str, info: dict, made: dict, records: dict, work: Path) -> dict:
    """The manifest record of one file, checked against the tools' decoding."""
    path = info["path"]
    transfer_syntax = transfer_syntax_by_dcmdump(path, work)
    dataset = read_with_dcm2json(path, work)
    layout = layout_of(dataset)
    record: dict[str, Any] = {
        "file": path.name,
        "transfer_syntax": transfer_syntax,
        "made_by": info["made_by"],
        "source_file": made[info["source"]]["path"].name if info["source"] else None,
        "has_file_meta": dataset["has_file_meta"],
        **layout,
        "lossy": transfer_syntax in LOSSY_TRANSFER_SYNTAXES,
        "dtype": None,
        "shape": None,
        "sha256": None,
        "photometric_after_decode": None,
        "decoded_by": None,
    }
    notes: list[str] = []
    if layout["pixel_element"] is None:
        record["elements"] = recorded_elements(dataset)
        return record
    record["dtype"] = container_dtype(layout).name
    record["shape"] = list(array_shape(layout))
    exporter = "dcmdump +W" if layout["pixel_element"] == "PixelData" else "gdcmraw"

    # first witness: DCMTK (GDCM for JPEG 2000)
    if transfer_syntax == EXPLICIT_VR_LE:
        array, decoded_layout = decode_with(None, path, work, "as-is")
        decoded_by = [exporter]
    else:
        command = dcmtk_decoder(transfer_syntax) or GDCM_DECODER
        array, decoded_layout = decode_with(command, path, work, "first")
        decoded_by = [f"{command_text(command)}, then {exporter}"]
    assert list(array.shape) == record["shape"], (name, array.shape)
    assert array.dtype == container_dtype(layout), (name, array.dtype)
    record["photometric_after_decode"] = decoded_layout["photometric_interpretation"]
    record["sha256"] = sha256_of(array)

    # lossy JPEG in YBR: dcmdjpeg converts to RGB; also hash the YBR values
    if transfer_syntax in (JPEG_BASELINE, JPEG_EXTENDED) and layout[
        "photometric_interpretation"
    ].startswith("YBR"):
        command = ["dcmdjpeg", "+cn", "{src}", "{dst}"]
        ybr_array, ybr_layout = decode_with(command, path, work, "ybr")
        record["sha256_without_color_conversion"] = sha256_of(ybr_array)
        record["photometric_without_color_conversion"] = ybr_layout[
            "photometric_interpretation"
        ]
        record["decoded_without_color_conversion_by"] = [
            f"{command_text(command)}, then {exporter}"
        ]

    # second witness: GDCM
    if layout["pixel_element"] != "PixelData":
        notes.append(
            "gdcmconv --raw does not handle Float/Double Float Pixel Data; "
            "the only witness is the value that gdcmraw exports"
        )
    elif decoded_by[0].startswith("gdcmconv"):
        notes.append("the free DCMTK has no JPEG 2000 codec; GDCM is the only witness")
    else:
        gdcm_array, gdcm_layout = decode_with(GDCM_DECODER, path, work, "gdcm")
        text = f"{command_text(GDCM_DECODER)}, then {exporter}"
        gdcm_sha256 = sha256_of(gdcm_array)
        gdcm_photometric = gdcm_layout["photometric_interpretation"]
        if (gdcm_photometric, gdcm_sha256) == (
            record["photometric_after_decode"],
            record["sha256"],
        ):
            decoded_by.append(text)
        elif (gdcm_photometric, gdcm_sha256) == (
            record.get("photometric_without_color_conversion"),
            record.get("sha256_without_color_conversion"),
        ):
            record["decoded_without_color_conversion_by"].append(text)
        else:
            difference = None
            if gdcm_array.shape == array.shape:
                difference = int(np.abs(gdcm_array.astype(np.float64) - array).max())
            notes.append(
                f"{text} decodes differently: photometric {gdcm_photometric}, "
                f"max abs difference {difference}, sha256 {gdcm_sha256}"
            )
    record["decoded_by"] = decoded_by

    # the tools must give back what was meant, or what the source holds
    if info["expected"] is not None:
        expected = info["expected"]
        if expected.shape != array.shape or not np.array_equal(
            expected.astype(array.dtype), array
        ):
            raise RuntimeError(
                f"{name}: the tools decode other pixels than were written"
            )
    if info["source"]:
        source_record = records[info["source"]]
        source_array = made[info["source"]]["array"]
        if record["lossy"]:
            if (
                record["photometric_after_decode"]
                != source_record["photometric_interpretation"]
            ):
                raise RuntimeError(
                    f"{name}: decodes to another colour space than its source"
                )
            record["max_abs_error_vs_source"] = int(
                np.abs(array.astype(np.float64) - source_array.astype(np.float64)).max()
            )
        elif record["sha256"] != source_record["sha256"]:
            raise RuntimeError(
                f"{name}: lossless, yet decodes unlike {source_record['file']}"
            )
    info["array"] = array
    record["elements"] = recorded_elements(dataset)
    if notes:
        record["notes"] = notes
    return record


def build(outdir: Path, work: Path, verbose: bool = False) -> list[dict]:
    made = write_files(outdir, work)
    records: dict[str, dict] = {}
    for name, info in made.items():
        records[name] = describe(name, info, made, records, work)
        if verbose:
            r = records[name]
            print(r["file"], r["transfer_syntax"], r["shape"], r["dtype"], r["sha256"])
    return list(records.values())


def format_manifest(records: list[dict]) -> str:
    """JSON with one key per line, but lists of numbers and strings on one line."""
    text = json.dumps(records, indent=1, ensure_ascii=False)

    def join(match: re.Match) -> str:
        return (
            "[" + ", ".join(part.strip() for part in match.group(1).split(",\n")) + "]"
        )

    return re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]", join, text) + "\n"


def tool_versions(work: Path) -> list[str]:
    return [
        run(["dcmdump", "--version"], work).splitlines()[0].strip(" $"),
        run(["gdcmconv", "--version"], work)
        .splitlines()[0]
        .replace("$Date$", "")
        .strip(),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="output folder (default: the folder of this script)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="build in a temporary folder and compare with --out",
    )
    parser.add_argument(
        "--keep-work",
        action="store_true",
        help="keep the temporary folder with the dumps and raw pixels",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        print(
            f"missing tools: {' '.join(missing)} (Debian: apt-get install dcmtk "
            "libgdcm-tools)",
            file=sys.stderr,
        )
        return 1

    target = args.out.resolve()
    work = Path(tempfile.mkdtemp(prefix="dicomcore-testfiles-"))
    outdir = work / "out" if args.check else target
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        for old in outdir.glob("*.dcm"):
            old.unlink()
        records = build(outdir, work, args.verbose)
        (outdir / "manifest.json").write_text(format_manifest(records))
        print("\n".join(tool_versions(work)))
        total = sum(p.stat().st_size for p in outdir.glob("*.dcm"))
        print(f"{len(records)} files, {total} bytes in {outdir}")
        if args.check:
            names = sorted(p.name for p in outdir.glob("*.dcm")) + ["manifest.json"]
            old_names = sorted(p.name for p in target.glob("*.dcm")) + ["manifest.json"]
            _, mismatch, errors = filecmp.cmpfiles(outdir, target, names, shallow=False)
            extra = sorted(set(old_names) - set(names))
            for label, items in (
                ("differ", mismatch),
                ("missing", errors),
                ("extra", extra),
            ):
                if items:
                    print(f"{label}: {' '.join(items)}")
            if mismatch or errors or extra:
                return 1
            print(f"identical to {target}")
    finally:
        if args.keep_work:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
