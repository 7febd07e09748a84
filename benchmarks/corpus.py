"""Build the benchmark corpus in ``benchmarks/corpus/`` with DCMTK, not dicomcore.

The files are made by an independent implementation, so that the benchmarks
never read what dicomcore's own writer produced:

1. numpy makes the pixels (seeded, so every build gives the same bytes) and a
   text dump of each header;
2. DCMTK's ``dump2dcm`` turns each dump plus its ``=pixels.raw`` line into an
   Explicit VR Little Endian file;
3. ``dcmcrle`` and ``dcmcjpeg +e1`` make the RLE Lossless and JPEG Lossless
   SV1 (Process 14, Selection Value 1) twins.

Contents (about 900 MB; the build takes well under a minute on 2 cores):

* ``ct/``: a 200-slice CT series, 512 x 512, signed 16-bit (Pixel
  Representation 1, Bits Stored 16), Rescale Intercept -1024 and Slope 1, so a
  stored value is HU + 1024; outside the circular field of view the stored
  value is the Pixel Padding Value -2000.  Each header has 64 elements:
  patient, study, series, frame of reference, equipment, CT image and VOI LUT
  modules, a Referenced Image Sequence with one item, and a GEMS_IDEN_01
  private block; no Specific Character Set (the default repertoire).
* ``ct_rle/``, ``ct_jpeg/``: the first 50 slices only, to keep the build and
  the slower pure-Python peers within a sane time.
* ``multiframe/mf500.dcm``: Multi-frame Grayscale Word Secondary Capture, 500
  frames of 512 x 512 unsigned 16-bit (262 MB of Pixel Data), a cine of a
  moving phantom; ``mf500_rle.dcm`` and ``mf500_jpeg.dcm`` are its twins.
* ``rgb/``, ``rgb_rle/``, ``rgb_jpeg/``: 50 Secondary Capture RGB images,
  512 x 512, 8 bits a sample, Planar Configuration 0.

Usage::

    python -m benchmarks.corpus             # build when missing or outdated
    python -m benchmarks.corpus --rebuild   # build again from scratch
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Bump when the contents change: an older corpus is then rebuilt on demand.
CORPUS_VERSION = 1

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE / "corpus"
MANIFEST = "manifest.json"

CT_SLICES = 200
CT_TWIN_SLICES = 50
MULTIFRAME_FRAMES = 500
RGB_IMAGES = 50
ROWS = COLUMNS = 512
BUILD_WORKERS = 2

EXPLICIT_VR_LE = "1.2.840.10008.1.2.1"
CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7"
MF_GRAYSCALE_WORD_SC_STORAGE = "1.2.840.10008.5.1.4.1.1.7.3"

REQUIRED_TOOLS = ("dump2dcm", "dcmcrle", "dcmcjpeg")

# CT geometry: a 400 mm field of view, 1.25 mm slices from the head downwards.
CT_PIXEL_SPACING = 400.0 / ROWS
CT_SLICE_SPACING = 1.25
CT_FIRST_Z = -50.0
CT_RESCALE_INTERCEPT = -1024
CT_PADDING_VALUE = -2000


def uid(name: str) -> str:
    """A fixed UID under the 2.25 root, derived from ``name``."""
    digest = hashlib.sha256(("dicomcore-benchmarks/" + name).encode()).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))


@dataclass(frozen=True)
class Corpus:
    """Paths of the corpus files, in a fixed order."""

    root: Path
    ct: tuple[Path, ...]
    ct_rle: tuple[Path, ...]
    ct_jpeg: tuple[Path, ...]
    multiframe: Path
    multiframe_rle: Path
    multiframe_jpeg: Path
    rgb: tuple[Path, ...]
    rgb_rle: tuple[Path, ...]
    rgb_jpeg: tuple[Path, ...]

    @classmethod
    def at(cls, root: Path) -> Corpus:
        def series(folder: str, stem: str, count: int) -> tuple[Path, ...]:
            return tuple(
                root / folder / f"{stem}_{n:04d}.dcm" for n in range(1, count + 1)
            )

        return cls(
            root=root,
            ct=series("ct", "ct", CT_SLICES),
            ct_rle=series("ct_rle", "ct", CT_TWIN_SLICES),
            ct_jpeg=series("ct_jpeg", "ct", CT_TWIN_SLICES),
            multiframe=root / "multiframe" / "mf500.dcm",
            multiframe_rle=root / "multiframe" / "mf500_rle.dcm",
            multiframe_jpeg=root / "multiframe" / "mf500_jpeg.dcm",
            rgb=series("rgb", "rgb", RGB_IMAGES),
            rgb_rle=series("rgb_rle", "rgb", RGB_IMAGES),
            rgb_jpeg=series("rgb_jpeg", "rgb", RGB_IMAGES),
        )

    def all_files(self) -> list[Path]:
        return [
            *self.ct,
            *self.ct_rle,
            *self.ct_jpeg,
            self.multiframe,
            self.multiframe_rle,
            self.multiframe_jpeg,
            *self.rgb,
            *self.rgb_rle,
            *self.rgb_jpeg,
        ]


# --------------------------------------------------------------------------
# pixels


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Pixel centre coordinates in millimetres from the image centre."""
    centres = (np.arange(ROWS, dtype=np.float32) - (ROWS - 1) / 2) * CT_PIXEL_SPACING
    y, x = np.meshgrid(centres, centres, indexing="ij")
    return y, x


def _ellipse(y: np.ndarray, x: np.ndarray, cy: float, cx: float, ry: float, rx: float):
    """The squared normalised radius: < 1 inside the ellipse."""
    return ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2


def ct_slice_hu(index: int) -> np.ndarray:
    """One axial slice of a chest-like phantom in Hounsfield units (float32).

    Air -1000, body soft tissue ~40 with a fat layer ~-100, two lungs ~-800
    whose size changes along the series, a rib ring and a vertebra of bone
    (700-1000), an aorta with contrast, a smooth shading and Gaussian noise of
    10 HU.  Every quantity varies smoothly with ``index``.
    """
    rng = np.random.default_rng(1000 + index)
    y, x = _grid()
    t = index / max(CT_SLICES - 1, 1)  # 0 at the first slice, 1 at the last
    breathing = 1.0 + 0.06 * np.sin(np.pi * t)

    hu = np.full((ROWS, COLUMNS), -1000.0, dtype=np.float32)
    body = _ellipse(y, x, 10.0, 0.0, 115.0 * breathing, 165.0 * breathing)
    hu[body < 1.0] = -100.0  # subcutaneous fat
    inner = _ellipse(y, x, 10.0, 0.0, 105.0 * breathing, 153.0 * breathing)
    hu[inner < 1.0] = 40.0  # soft tissue

    # Rib ring: an elliptic annulus broken into ribs by the angle.
    ring = np.sqrt(_ellipse(y, x, 10.0, 0.0, 95.0 * breathing, 140.0 * breathing))
    angle = np.arctan2(y - 10.0, x)
    ribs = (np.abs(ring - 1.0) < 0.045) & (np.cos(14.0 * angle + 6.0 * t) > -0.2)
    hu[ribs] = 850.0 + 150.0 * np.cos(3.0 * angle[ribs])

    # Lungs: largest in the middle of the series, gone at the ends.
    lung_scale = max(0.0, np.sin(np.pi * (0.15 + 0.85 * t)))
    if lung_scale > 0.05:
        for side in (-1.0, 1.0):
            lung = _ellipse(
                y, x, 0.0, side * 62.0, 70.0 * lung_scale, 48.0 * lung_scale
            )
            hu[lung < 1.0] = -820.0 + 30.0 * lung[lung < 1.0]

    # Vertebra: cortical ring around cancellous bone, and the spinal canal.
    vertebra = _ellipse(y, x, 78.0, 0.0, 17.0, 20.0)
    hu[vertebra < 1.0] = 1000.0
    hu[vertebra < 0.6] = 700.0
    hu[_ellipse(y, x, 98.0, 0.0, 7.0, 8.0) < 1.0] = 30.0

    # Aorta with contrast and a heart that moves a little along the series.
    hu[_ellipse(y, x, 45.0, 22.0, 13.0, 13.0) < 1.0] = 200.0
    heart = _ellipse(y, x, -10.0 + 8.0 * t, -20.0, 45.0 * lung_scale + 5.0, 55.0)
    hu[(heart < 1.0) & (inner < 1.0)] = 45.0

    inside = body < 1.0
    hu[inside] += 8.0 * np.sin(x[inside] / 40.0 + 3.0 * t) * np.cos(y[inside] / 55.0)
    hu += rng.normal(0.0, 10.0, size=hu.shape).astype(np.float32)
    return hu


def ct_stored_values(index: int) -> np.ndarray:
    """Stored int16 values: HU + 1024, Pixel Padding Value outside the scan."""
    hu = ct_slice_hu(index)
    y, x = _grid()
    stored = np.rint(hu - CT_RESCALE_INTERCEPT)
    stored[y**2 + x**2 > (ROWS / 2 * CT_PIXEL_SPACING) ** 2] = CT_PADDING_VALUE
    return np.clip(stored, -32768, 32767).astype("<i2")


class _CineFrames:
    """Frames of the multi-frame file: a moving phantom on a shaded field."""

    def __init__(self) -> None:
        rng = np.random.default_rng(7)
        rows = np.arange(ROWS, dtype=np.float32)[:, None]
        columns = np.arange(COLUMNS, dtype=np.float32)[None, :]
        self.y = rows
        self.x = columns
        self.background = (
            9000.0 + 6000.0 * (columns / COLUMNS) + 4000.0 * np.sin(rows / 60.0)
        ).astype(np.float32)
        # A small bank of noise fields, cycled, keeps the build fast while the
        # frames stay distinct (noise amplitude ~ 120).
        self.noise = rng.normal(0.0, 120.0, size=(7, ROWS, COLUMNS)).astype(np.float32)

    def frame(self, index: int) -> np.ndarray:
        phase = 2.0 * np.pi * index / 60.0
        cy = 256.0 + 110.0 * np.sin(phase)
        cx = 256.0 + 150.0 * np.cos(0.7 * phase)
        disc = (self.y - cy) ** 2 + (self.x - cx) ** 2 < (
            60.0 + 20.0 * np.sin(phase)
        ) ** 2
        ring = np.abs(
            np.hypot(self.y - 256.0, self.x - 256.0) - (180.0 + 10.0 * np.cos(phase))
        )
        image = self.background + 30000.0 * disc + 20000.0 * (ring < 6.0)
        image = image + self.noise[index % 7] + 1500.0 * np.cos(phase)
        return np.clip(np.rint(image), 0, 65535).astype("<u2")


def rgb_values(index: int) -> np.ndarray:
    """An 8-bit RGB image: colour gradients, overlapping shapes, light noise."""
    rng = np.random.default_rng(5000 + index)
    y, x = np.mgrid[0:ROWS, 0:COLUMNS].astype(np.float32)
    t = index / RGB_IMAGES
    image = np.empty((ROWS, COLUMNS, 3), dtype=np.float32)
    image[..., 0] = 255.0 * x / COLUMNS
    image[..., 1] = 255.0 * y / ROWS
    image[..., 2] = 128.0 + 100.0 * np.sin((x + y) / 50.0 + 6.0 * t)
    for n, colour in enumerate(((230, 40, 40), (40, 200, 60), (250, 250, 250))):
        cy = 256 + 150 * np.sin(2.0 * np.pi * t + 2.1 * n)
        cx = 256 + 150 * np.cos(2.0 * np.pi * t + 2.1 * n)
        inside = (y - cy) ** 2 + (x - cx) ** 2 < (70 + 15 * n) ** 2
        image[inside] = colour
    image += rng.normal(0.0, 4.0, size=image.shape).astype(np.float32)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------
# headers (DCMTK dump syntax)


def _study_lines(modality: str, series: str, series_number: int) -> list[str]:
    return [
        "(0008,0020) DA [20240315]",
        "(0008,0030) TM [083015.250000]",
        "(0008,0050) SH [BENCH000123]",
        f"(0008,0060) CS [{modality}]",
        "(0008,0070) LO [dicomcore benchmark corpus]",
        "(0008,0080) LO [Synthetic General Hospital]",
        "(0008,0090) PN [Referring^Rita]",
        "(0008,1030) LO [Chest with contrast]",
        f"(0008,103e) LO [{series}]",
        "(0010,0010) PN [Bench^Patricia^M]",
        "(0010,0020) LO [DCBENCH0001]",
        "(0010,0030) DA [19630412]",
        "(0010,0040) CS [F]",
        "(0010,1010) AS [060Y]",
        "(0010,1030) DS [64.5]",
        f"(0020,000d) UI [{uid('study')}]",
        f"(0020,000e) UI [{uid(series + '/series')}]",
        "(0020,0010) SH [4711]",
        f"(0020,0011) IS [{series_number}]",
    ]


def ct_dump(index: int) -> list[str]:
    """The header of CT slice ``index`` (0-based) as dump2dcm lines.

    dump2dcm puts the elements in tag order, whatever the order of the lines.
    """
    number = index + 1
    z = CT_FIRST_Z - CT_SLICE_SPACING * index
    corner = -(ROWS / 2) * CT_PIXEL_SPACING + CT_PIXEL_SPACING / 2
    content_time = f"0830{20 + index // 60:02d}.{(index % 60) * 10000:06d}"
    return [
        f"(0002,0010) UI [{EXPLICIT_VR_LE}]",
        "(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]",
        "(0008,0012) DA [20240315]",
        f"(0008,0013) TM [{content_time}]",
        f"(0008,0016) UI [{CT_IMAGE_STORAGE}]",
        f"(0008,0018) UI [{uid(f'ct/{number}/sop')}]",
        "(0008,0021) DA [20240315]",
        "(0008,0023) DA [20240315]",
        "(0008,0031) TM [083020]",
        f"(0008,0033) TM [{content_time}]",
        *_study_lines("CT", "CT chest 1.25 mm", 3),
        "(0008,1010) SH [CTSCAN01]",
        "(0008,1090) LO [Synthetic 64]",
        "(0008,1140) SQ (Sequence with explicit length #=1)",
        "  (fffe,e000) na (Item with explicit length #=2)",
        f"    (0008,1150) UI [{CT_IMAGE_STORAGE}]",
        f"    (0008,1155) UI [{uid('ct/scout/sop')}]",
        "  (fffe,e00d) na (ItemDelimitationItem for re-encoding)",
        "(fffe,e0dd) na (SequenceDelimitationItem for re-encod.)",
        "(0009,0010) LO [GEMS_IDEN_01]",
        "(0009,1001) LO [CT_SYNTHETIC]",
        "(0009,1002) SH [CT01]",
        "(0009,1004) SH [SYNTH64]",
        "(0018,0015) CS [CHEST]",
        f"(0018,0050) DS [{CT_SLICE_SPACING}]",
        "(0018,0060) DS [120]",
        "(0018,0088) DS [1.25]",
        "(0018,1020) LO [bench 1.0]",
        "(0018,1100) DS [400]",
        "(0018,1120) DS [0]",
        "(0018,1130) DS [160]",
        "(0018,1150) IS [570]",
        f"(0018,1151) IS [{220 + (index * 7) % 60}]",
        "(0018,1210) SH [STANDARD]",
        "(0018,5100) CS [HFS]",
        "(0020,0012) IS [1]",
        f"(0020,0013) IS [{number}]",
        f"(0020,0032) DS [{corner:.6f}\\{corner:.6f}\\{z:.2f}]",
        "(0020,0037) DS [1\\0\\0\\0\\1\\0]",
        f"(0020,0052) UI [{uid('ct/frame-of-reference')}]",
        "(0020,1040) LO [SN]",
        f"(0020,1041) DS [{z:.2f}]",
        "(0028,0002) US 1",
        "(0028,0004) CS [MONOCHROME2]",
        f"(0028,0010) US {ROWS}",
        f"(0028,0011) US {COLUMNS}",
        f"(0028,0030) DS [{CT_PIXEL_SPACING}\\{CT_PIXEL_SPACING}]",
        "(0028,0100) US 16",
        "(0028,0101) US 16",
        "(0028,0102) US 15",
        "(0028,0103) US 1",
        f"(0028,0120) SS {CT_PADDING_VALUE}",
        "(0028,1050) DS [40\\-600]",
        "(0028,1051) DS [400\\1500]",
        f"(0028,1052) DS [{CT_RESCALE_INTERCEPT}]",
        "(0028,1053) DS [1]",
        "(0028,1054) LO [HU]",
    ]


def multiframe_dump() -> list[str]:
    return [
        f"(0002,0010) UI [{EXPLICIT_VR_LE}]",
        "(0008,0008) CS [DERIVED\\SECONDARY]",
        f"(0008,0016) UI [{MF_GRAYSCALE_WORD_SC_STORAGE}]",
        f"(0008,0018) UI [{uid('mf500/sop')}]",
        "(0008,0064) CS [WSD]",
        *_study_lines("OT", "cine 500 frames", 7),
        "(0018,1063) DS [33.3]",
        "(0020,0013) IS [1]",
        "(0028,0002) US 1",
        "(0028,0004) CS [MONOCHROME2]",
        f"(0028,0008) IS [{MULTIFRAME_FRAMES}]",
        "(0028,0009) AT (0018,1063)",
        f"(0028,0010) US {ROWS}",
        f"(0028,0011) US {COLUMNS}",
        "(0028,0100) US 16",
        "(0028,0101) US 16",
        "(0028,0102) US 15",
        "(0028,0103) US 0",
        "(0028,1050) DS [32768]",
        "(0028,1051) DS [65536]",
    ]


def rgb_dump(index: int) -> list[str]:
    number = index + 1
    return [
        f"(0002,0010) UI [{EXPLICIT_VR_LE}]",
        "(0008,0008) CS [DERIVED\\SECONDARY]",
        f"(0008,0016) UI [{SC_IMAGE_STORAGE}]",
        f"(0008,0018) UI [{uid(f'rgb/{number}/sop')}]",
        "(0008,0064) CS [WSD]",
        *_study_lines("OT", "rgb captures", 9),
        f"(0020,0013) IS [{number}]",
        "(0028,0002) US 3",
        "(0028,0004) CS [RGB]",
        "(0028,0006) US 0",
        f"(0028,0010) US {ROWS}",
        f"(0028,0011) US {COLUMNS}",
        "(0028,0100) US 8",
        "(0028,0101) US 8",
        "(0028,0102) US 7",
        "(0028,0103) US 0",
    ]


# --------------------------------------------------------------------------
# build steps (each runs in a worker process)


def _run(command: list[str], cwd: Path) -> None:
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"command failed ({proc.returncode}): {' '.join(command)}\n"
            f"{proc.stdout}\n{proc.stderr}"
        )


def _dump2dcm(lines: list[str], pixels: Path, pixel_vr: str, output: Path) -> None:
    work = pixels.parent
    dump = pixels.with_suffix(".dump")
    dump.write_text(
        "\n".join([*lines, f"(7fe0,0010) {pixel_vr} ={pixels.name}"]) + "\n"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        _run(["dump2dcm", "+te", "+l", "4096", dump.name, str(output)], work)
    finally:
        dump.unlink(missing_ok=True)
        pixels.unlink(missing_ok=True)


def build_ct_slice(index: int, root: Path, work: Path) -> Path:
    output = Corpus.at(root).ct[index]
    raw = work / f"ct_{index + 1:04d}.raw"
    raw.write_bytes(ct_stored_values(index).tobytes())
    _dump2dcm(ct_dump(index), raw, "OW", output)
    return output


def build_multiframe(root: Path, work: Path) -> Path:
    output = Corpus.at(root).multiframe
    raw = work / "mf500.raw"
    frames = _CineFrames()
    with open(raw, "wb") as handle:
        for index in range(MULTIFRAME_FRAMES):
            handle.write(frames.frame(index).tobytes())
    _dump2dcm(multiframe_dump(), raw, "OW", output)
    return output


def build_rgb(index: int, root: Path, work: Path) -> Path:
    output = Corpus.at(root).rgb[index]
    raw = work / f"rgb_{index + 1:04d}.raw"
    raw.write_bytes(rgb_values(index).tobytes())
    _dump2dcm(rgb_dump(index), raw, "OB", output)
    return output


def build_twin(tool: list[str], source: Path, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    _run([*tool, str(source), str(output)], output.parent)
    return output


RLE_TOOL = ["dcmcrle", "+un"]
JPEG_SV1_TOOL = ["dcmcjpeg", "+e1", "+un"]


# --------------------------------------------------------------------------
# the build


def _stage(
    title: str,
    pool: ProcessPoolExecutor,
    jobs: list[tuple[Callable[..., Path], tuple]],
    log: Callable[[str], None],
) -> None:
    started = time.perf_counter()
    futures: list[Future[Path]] = [
        pool.submit(function, *args) for function, args in jobs
    ]
    step = max(1, len(futures) // 4)
    for done, future in enumerate(as_completed(futures), start=1):
        future.result()
        if done % step == 0 or done == len(futures):
            elapsed = time.perf_counter() - started
            log(f"  {title}: {done}/{len(futures)} ({elapsed:.1f} s)")


def build(root: Path = DEFAULT_ROOT, log: Callable[[str], None] = print) -> Corpus:
    """Build the whole corpus into ``root`` (emptied first)."""
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(
            f"DCMTK tools not found: {', '.join(missing)} (apt-get install dcmtk)"
        )
    if root.exists():
        shutil.rmtree(root)
    work = root / ".work"
    work.mkdir(parents=True)
    corpus = Corpus.at(root)
    started = time.perf_counter()
    log(f"building the benchmark corpus in {root} ({BUILD_WORKERS} workers)")
    with ProcessPoolExecutor(max_workers=BUILD_WORKERS) as pool:
        # The multi-frame file is the longest single job: it goes first, so
        # the other worker makes the series meanwhile.
        _stage(
            "dump2dcm: multi-frame, CT series, RGB",
            pool,
            [(build_multiframe, (root, work))]
            + [(build_ct_slice, (index, root, work)) for index in range(CT_SLICES)]
            + [(build_rgb, (index, root, work)) for index in range(RGB_IMAGES)],
            log,
        )
        twins: list[tuple[Callable[..., Path], tuple]] = [
            (build_twin, (JPEG_SV1_TOOL, corpus.multiframe, corpus.multiframe_jpeg)),
            (build_twin, (RLE_TOOL, corpus.multiframe, corpus.multiframe_rle)),
        ]
        for tool, sources, outputs in (
            (RLE_TOOL, corpus.ct, corpus.ct_rle),
            (JPEG_SV1_TOOL, corpus.ct, corpus.ct_jpeg),
            (RLE_TOOL, corpus.rgb, corpus.rgb_rle),
            (JPEG_SV1_TOOL, corpus.rgb, corpus.rgb_jpeg),
        ):
            # the twins of the series are made of its first slices only
            pairs = zip(sources[: len(outputs)], outputs, strict=True)
            twins += [(build_twin, (tool, source, output)) for source, output in pairs]
        _stage("dcmcrle / dcmcjpeg +e1 twins", pool, twins, log)
    shutil.rmtree(work)
    files = corpus.all_files()
    manifest = {
        "version": CORPUS_VERSION,
        "made_by": _tool_version("dump2dcm"),
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    log(
        f"corpus ready: {manifest['files']} files, {manifest['bytes'] / 1e6:.0f} MB, "
        f"{time.perf_counter() - started:.0f} s"
    )
    return corpus


def _tool_version(tool: str) -> str:
    proc = subprocess.run([tool, "--version"], capture_output=True, text=True)
    return proc.stdout.splitlines()[0].strip(" $") if proc.stdout else tool


def is_current(root: Path = DEFAULT_ROOT) -> bool:
    """Whether ``root`` holds a complete corpus of this version."""
    try:
        manifest = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    if manifest.get("version") != CORPUS_VERSION:
        return False
    return all(path.is_file() for path in Corpus.at(root).all_files())


def ensure(
    root: Path = DEFAULT_ROOT, rebuild: bool = False, log: Callable[[str], None] = print
) -> Corpus:
    """The corpus in ``root``, built first when missing, outdated or asked to."""
    if rebuild or not is_current(root):
        return build(root, log)
    return Corpus.at(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build from scratch")
    parser.add_argument(
        "--root",
        type=Path,
        default=DEFAULT_ROOT,
        help="output folder (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    ensure(args.root, rebuild=args.rebuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
