#!/usr/bin/env python3
"""Regenerate the files the tutorials in ``docs/tutorials/`` read.

Every ``.dcm`` here is written by DCMTK's ``dump2dcm`` from a text dump and a
raw pixel file made with numpy; dicomcore writes none of them.

- ``mr_512.dcm``: a 512 x 512 MR image, 12 of 16 bits, a synthetic head
  phantom with a little noise, Window Center/Width in the file.
- ``series/IM0001.dcm`` ... ``IM0012.dcm``: one series of 32 x 32 oblique
  slices at six positions, each position twice, once with Pixel Intensity
  Relationship LIN and once LOG (the LOG slice holds the natural logarithm
  of the LIN one, scaled).  The file names are in no spatial order, and the
  third coordinate of Image Position (Patient) is in no order either (the
  slices are shifted in their plane), so only the position along the normal
  sorts them.

Usage::

    python testfiles/tutorials/make_tutorial_files.py           # rewrite
    python testfiles/tutorials/make_tutorial_files.py --check   # compare

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
UID_ROOT = "2.25.3017202611"  # fixed, so the files are reproducible
MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
STUDY_UID = f"{UID_ROOT}.1"
FRAME_OF_REFERENCE_UID = f"{UID_ROOT}.2"

SERIES_POSITIONS = 6
SERIES_SPACING = 3.0  # mm between slices, along the normal
SERIES_SIZE = 32
LOG_SCALE = 400.0  # LOG value = round(LOG_SCALE * ln(LIN value))
# Image Orientation (Patient): rows along x, columns tilted 30 degrees from y
# towards -z, so the normal (row x column) has a z component.
ROW = np.array([1.0, 0.0, 0.0])
COLUMN = np.array([0.0, np.cos(np.pi / 6), -np.sin(np.pi / 6)])
NORMAL = np.cross(ROW, COLUMN)


@dataclass
class Spec:
    """One file: where it goes, its dump lines, its pixels, what it is."""

    path: str
    description: str
    lines: list[str]
    pixels: np.ndarray
    extra: dict[str, Any]


def numbers(values: Any) -> str:
    """A multi-valued DS as dump text, each value exact in 6 decimals."""
    return "\\".join(f"{float(v):.6f}".rstrip("0").rstrip(".") for v in values)


def header(sop_class: str, instance: str, series: str, description: str) -> list[str]:
    return [
        "(0002,0010) UI [1.2.840.10008.1.2.1]",
        "(0008,0020) DA [20260115]",
        "(0008,0030) TM [093000]",
        f"(0008,0016) UI [{sop_class}]",
        f"(0008,0018) UI [{UID_ROOT}.{instance}]",
        "(0008,0070) LO [dicomcore tutorial files]",
        f"(0008,103e) LO [{description}]",
        "(0010,0010) PN [Tutorial^Patient]",
        "(0010,0020) LO [TUTORIAL01]",
        "(0010,0030) DA [19800101]",
        "(0010,0040) CS [O]",
        f"(0020,000d) UI [{STUDY_UID}]",
        f"(0020,000e) UI [{UID_ROOT}.{series}]",
        f"(0020,0052) UI [{FRAME_OF_REFERENCE_UID}]",
    ]


def monochrome(rows: int, columns: int, bits_stored: int) -> list[str]:
    return [
        "(0028,0002) US 1",
        "(0028,0004) CS [MONOCHROME2]",
        f"(0028,0010) US {rows}",
        f"(0028,0011) US {columns}",
        "(0028,0100) US 16",
        f"(0028,0101) US {bits_stored}",
        f"(0028,0102) US {bits_stored - 1}",
        "(0028,0103) US 0",
    ]


# -- the MR image ---------------------------------------------------------------


def ellipse(
    y: np.ndarray,
    x: np.ndarray,
    centre: tuple[float, float],
    radii: tuple[float, float],
    angle: float = 0.0,
) -> np.ndarray:
    """True inside the ellipse (coordinates from -1 to 1, angle in degrees)."""
    turn = np.deg2rad(angle)
    dy, dx = y - centre[0], x - centre[1]
    along = dx * np.cos(turn) + dy * np.sin(turn)
    across = -dx * np.sin(turn) + dy * np.cos(turn)
    inside: np.ndarray = (along / radii[1]) ** 2 + (across / radii[0]) ** 2 <= 1.0
    return inside


def mr_head(size: int = 512) -> np.ndarray:
    """A synthetic axial head: scalp, skull, brain, ventricles, a bright lesion."""
    y, x = np.mgrid[-1 : 1 : size * 1j, -1 : 1 : size * 1j]
    image = np.zeros((size, size))
    image[ellipse(y, x, (0, 0), (0.92, 0.74))] = 900  # scalp
    image[ellipse(y, x, (0, 0), (0.86, 0.68))] = 250  # skull: dark on MR
    image[ellipse(y, x, (0.01, 0), (0.8, 0.62))] = 1500  # brain
    # grey matter a little brighter near the surface
    cortex = ellipse(y, x, (0.01, 0), (0.8, 0.62)) & ~ellipse(
        y, x, (0.01, 0), (0.72, 0.55)
    )
    image[cortex] = 1750
    for side in (-1, 1):  # lateral ventricles: dark fluid
        image[ellipse(y, x, (-0.08, 0.11 * side), (0.24, 0.07), 12 * side)] = 400
    image[ellipse(y, x, (0.3, -0.25), (0.06, 0.06))] = 3300  # the lesion
    image[ellipse(y, x, (-0.45, 0.3), (0.03, 0.04))] = 2900
    # a smooth receive-coil bias, brighter towards the top left
    image *= 1.0 + 0.15 * (-(x + y) / 2)
    rng = np.random.default_rng(20260115)
    noisy = np.hypot(
        image + rng.normal(0, 25, image.shape), rng.normal(0, 25, image.shape)
    )
    return np.clip(np.rint(noisy), 0, 4095).astype(np.uint16)


def mr_spec() -> Spec:
    pixels = mr_head()
    lines = (
        header(MR_IMAGE_STORAGE, "10", "11", "tutorial MR 512")
        + [
            "(0008,0008) CS [ORIGINAL\\PRIMARY\\M\\ND]",
            "(0008,0060) CS [MR]",
            "(0018,0050) DS [5]",
            "(0018,0080) DS [500]",
            "(0018,0081) DS [12]",
            "(0018,0087) DS [3]",
            "(0020,0011) IS [3]",
            "(0020,0013) IS [1]",
            "(0020,0032) DS [-115.2\\-115.2\\20]",
            "(0020,0037) DS [1\\0\\0\\0\\1\\0]",
        ]
        + monochrome(512, 512, 12)
        + [
            "(0028,0030) DS [0.45\\0.45]",
            "(0028,1050) DS [1600]",
            "(0028,1051) DS [3200]",
        ]
    )
    return Spec(
        "mr_512.dcm",
        "MR, 512 x 512, 12 of 16 bits unsigned, a synthetic head, "
        "Window Center 1600 / Width 3200",
        lines,
        pixels,
        {},
    )


# -- the series -----------------------------------------------------------------


def sphere_slice(distance: float) -> np.ndarray:
    """A slice through a sphere of radius 8 mm at ``distance`` from its centre:
    a bright disc on a gentle ramp, 1 mm pixels."""
    centre = (SERIES_SIZE - 1) / 2
    y, x = np.mgrid[0:SERIES_SIZE, 0:SERIES_SIZE] - centre
    radius = np.sqrt(max(0.0, 8.0**2 - distance**2))
    image = 100.0 + 4.0 * (x + centre)
    image[np.hypot(y, x) <= radius] = 1000.0 + 20.0 * distance
    return np.rint(image).astype(np.uint16)


def series_specs() -> list[Spec]:
    rng = np.random.default_rng(7)
    file_numbers = rng.permutation(2 * SERIES_POSITIONS) + 1
    origin = np.array([-15.5, -40.0, 60.0])
    specs = []
    for slot in range(2 * SERIES_POSITIONS):
        index, relationship = divmod(slot, 2)
        relationship_name = ("LIN", "LOG")[relationship]
        distance = (index - (SERIES_POSITIONS - 1) / 2) * SERIES_SPACING
        # a shift within the plane (along the columns) changes the third
        # coordinate but not the position along the normal
        shift = (-6.0, 9.0, -3.0, 12.0, 0.0, -9.0)[index]
        position = origin + distance * NORMAL + shift * COLUMN
        linear = sphere_slice(distance)
        pixels = (
            linear
            if relationship_name == "LIN"
            else np.rint(LOG_SCALE * np.log(linear)).astype(np.uint16)
        )
        number = int(file_numbers[slot])
        lines = (
            header(SECONDARY_CAPTURE, f"{100 + number}", "12", "tutorial series")
            + [
                "(0008,0008) CS [DERIVED\\SECONDARY]",
                "(0008,0060) CS [OT]",
                "(0008,0064) CS [WSD]",
                f"(0018,0050) DS [{SERIES_SPACING:g}]",
                "(0020,0011) IS [4]",
                f"(0020,0013) IS [{number}]",
                f"(0020,0032) DS [{numbers(position)}]",
                f"(0020,0037) DS [{numbers([*ROW, *COLUMN])}]",
            ]
            + monochrome(SERIES_SIZE, SERIES_SIZE, 12)
            + [
                "(0028,0030) DS [1\\1]",
                f"(0028,1040) CS [{relationship_name}]",
            ]
        )
        specs.append(
            Spec(
                f"series/IM{number:04d}.dcm",
                f"slice {index + 1} of {SERIES_POSITIONS}, {relationship_name}",
                lines,
                pixels,
                {
                    "pixel_intensity_relationship": relationship_name,
                    "slice_index": index,
                    "distance_from_centre": distance,
                },
            )
        )
    return specs


# -- building -------------------------------------------------------------------


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr}")
    return result.stdout


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(target: Path) -> dict[str, Any]:
    if shutil.which("dump2dcm") is None:
        raise SystemExit("dump2dcm not found (Debian package dcmtk)")
    version = run(["dump2dcm", "--version"], target).splitlines()[0].strip("$ ")
    (target / "series").mkdir(parents=True, exist_ok=True)
    records = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for spec in [mr_spec(), *series_specs()]:
            stem = Path(spec.path).stem
            raw = spec.pixels.astype("<u2").tobytes()
            (work / f"{stem}.raw").write_bytes(raw)
            lines = [*spec.lines, f"(7fe0,0010) OW ={stem}.raw"]
            (work / f"{stem}.dump").write_text("\n".join(lines) + "\n")
            command = ["dump2dcm", "+l", "100000", f"{stem}.dump", f"{stem}.dcm"]
            run(command, work)
            shutil.copyfile(work / f"{stem}.dcm", target / spec.path)
            records.append(
                {
                    "file": spec.path,
                    "description": spec.description,
                    "made_by": " ".join(command),
                    "stored_pixels": {
                        "dtype": "uint16",
                        "shape": list(spec.pixels.shape),
                        "sha256": sha256(raw),
                    },
                    **spec.extra,
                }
            )
    return {"made_with": version, "files": records}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, not write")
    arguments = parser.parse_args()
    if not arguments.check:
        manifest = build(HERE)
        (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        print(f"wrote {len(manifest['files'])} files and manifest.json")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch)
        manifest = build(target)
        differ = [
            record["file"]
            for record in manifest["files"]
            if not filecmp.cmp(target / record["file"], HERE / record["file"], False)
        ]
        if json.loads((HERE / "manifest.json").read_text()) != manifest:
            differ.append("manifest.json")
    print("differ: " + ", ".join(differ) if differ else "identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
