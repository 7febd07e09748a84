"""Every tutorial in docs/tutorials runs, and shows what it says.

A tutorial is Markdown.  The harness reads its fenced blocks in order, in a
fresh folder that holds a link to ``testfiles/`` (so the tutorials read
``testfiles/...`` and write beside it, as from a checkout):

- ```` ```pycon ```` blocks are doctests: each ``>>>`` line runs and its
  output must be the one shown (``...`` stands for any text, runs of
  whitespace count as one).  All the blocks of a tutorial share one
  namespace, so a later block uses what an earlier one made.
- ```` ```console ```` blocks are shell sessions: each ``$ dicomcore ...``
  line runs the ``dicomcore`` command (as ``python -m dicomcore.cli``) and
  its output, stdout then stderr, must be the one shown, compared as above.
  Only ``dicomcore`` commands may appear there; commands the reader types
  but the harness does not run (``pip install``) go in ```` ```bash ````.
- A block after ``<!-- excerpt: PATH -->`` must appear verbatim in PATH
  (relative to the repository), so that code shown from the example plugin
  stays the code that is tested.
- A block after ``<!-- requires: NAME -->`` runs only when the module NAME
  imports; when it does not, the rest runs and the test is then skipped,
  naming it.  CI installs every such package (the extra ``plot``).
- ``<!-- setup: example-plugin-installed -->`` anywhere installs
  ``docs/examples/dicomcore-example-delta`` for that tutorial: the module and
  a ``dist-info`` with its entry points, made from its pyproject.toml, in a
  temporary folder on ``sys.path`` and ``PYTHONPATH``, as pip would.

After a tutorial has run, the files it wrote are checked by DCMTK or pydicom
where a witness outside dicomcore can say something (``WITNESSES``).
"""

from __future__ import annotations

import doctest
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomllib
from interop import run_tool

from dicomcore.pixels import reset_registry

REPO = Path(__file__).resolve().parents[1]
TUTORIALS = REPO / "docs" / "tutorials"
EXAMPLE_PLUGIN = REPO / "docs" / "examples" / "dicomcore-example-delta"
TUTORIAL_FILES = REPO / "testfiles" / "tutorials"
TUTORIAL_MANIFEST = {
    record["file"]: record
    for record in json.loads((TUTORIAL_FILES / "manifest.json").read_text())["files"]
}
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
_FENCE = re.compile(r"^```(?P<language>[a-z]*)\s*$")
_MARKER = re.compile(r"^<!-- (?P<kind>excerpt|requires|setup): (?P<value>\S+) -->$")


@dataclass
class Block:
    """One fenced block, with the markers written just above it."""

    language: str
    text: str
    line: int  # of the first line inside the fence, counted from 1
    markers: dict[str, str] = field(default_factory=dict)


def parse(path: Path) -> tuple[list[Block], set[str]]:
    """The fenced blocks of a tutorial, and its setups."""
    blocks: list[Block] = []
    setups: set[str] = set()
    pending: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        marker = _MARKER.match(line)
        fence = _FENCE.match(line)
        if marker and marker["kind"] == "setup":
            setups.add(marker["value"])
        elif marker:
            pending[marker["kind"]] = marker["value"]
        elif fence:
            end = index + 1
            while not lines[end].startswith("```"):
                end += 1
            text = "\n".join(lines[index + 1 : end]) + "\n"
            blocks.append(Block(fence["language"], text, index + 2, pending))
            pending = {}
            index = end
        elif line.strip():
            pending = {}  # a marker belongs to the block right below it
        index += 1
    return blocks, setups


TUTORIAL_PATHS = sorted(TUTORIALS.glob("[0-9][0-9]-*.md"))


def test_every_tutorial_is_listed_in_the_index() -> None:
    index = (TUTORIALS / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"\]\((\d\d-[a-z0-9-]+\.md)\)", index)
    assert listed == [path.name for path in TUTORIAL_PATHS]
    assert len(TUTORIAL_PATHS) >= 6


# -- the example plugin, installed into a temporary folder -----------------------


def install_example_plugin(site: Path) -> None:
    """What ``pip install`` puts in site-packages for the example: its module
    and a dist-info naming the entry points of its pyproject.toml."""
    project = tomllib.loads((EXAMPLE_PLUGIN / "pyproject.toml").read_text())
    meta = project["project"]
    site.mkdir()
    for module in project["tool"]["setuptools"]["py-modules"]:
        shutil.copy(EXAMPLE_PLUGIN / f"{module}.py", site / f"{module}.py")
    name = meta["name"].replace("-", "_")
    dist_info = site / f"{name}-{meta['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n"
    )
    entry_points = "".join(
        f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in points.items())
        for group, points in meta["entry-points"].items()
    )
    (dist_info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def example_plugin_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    site = tmp_path / "site-packages"
    install_example_plugin(site)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("DICOMCORE_NO_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.delenv("DICOMCORE_BLOCK_PLUGINS", raising=False)
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    reset_registry()
    yield {"PYTHONPATH": path}
    reset_registry()
    sys.modules.pop("dicomcore_example_delta", None)


# -- running a tutorial ----------------------------------------------------------


class Tutorial:
    """Runs the blocks of one tutorial in one namespace."""

    def __init__(self, path: Path, environment: dict[str, str]) -> None:
        self.path = path
        self.environment = environment
        self.namespace: dict[str, Any] = {"__name__": "__tutorial__"}
        self.runner = doctest.DocTestRunner(optionflags=FLAGS)
        self.checker = doctest.OutputChecker()
        self.skipped: set[str] = set()

    def where(self, block: Block) -> str:
        return f"{self.path.relative_to(REPO)}:{block.line}"

    def run(self, block: Block) -> None:
        required = block.markers.get("requires")
        if required and importlib.util.find_spec(required) is None:
            self.skipped.add(required)
            return
        if "excerpt" in block.markers:
            source = (REPO / block.markers["excerpt"]).read_text(encoding="utf-8")
            assert block.text in source, (
                f"{self.where(block)}: the excerpt is not in {block.markers['excerpt']}"
            )
        if block.language == "pycon":
            self.doctest(block)
        elif block.language == "console":
            self.console(block)

    def doctest(self, block: Block) -> None:
        test = doctest.DocTestParser().get_doctest(
            block.text,
            self.namespace,
            self.where(block),
            str(self.path),
            block.line - 1,
        )
        report: list[str] = []
        failed_before = self.runner.failures
        self.runner.run(test, out=report.append, clear_globs=False)
        self.namespace.update(test.globs)  # a DocTest works on a copy
        if self.runner.failures != failed_before:
            pytest.fail("".join(report), pytrace=False)

    def console(self, block: Block) -> None:
        session = re.split(r"^\$ ", block.text, flags=re.MULTILINE)
        assert not session[0].strip(), f"{self.where(block)}: text before the first $"
        for entry in session[1:]:
            command, _, expected = entry.partition("\n")
            words = shlex.split(command)
            assert words[0] == "dicomcore", (
                f"{self.where(block)}: only dicomcore commands run in console "
                f"blocks, not {words[0]!r}; put it in a bash block"
            )
            result = subprocess.run(
                [sys.executable, "-m", "dicomcore.cli", *words[1:]],
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, **self.environment},
            )
            output = result.stdout + result.stderr
            assert result.returncode == 0, (
                f"{self.where(block)}: $ {command} exited {result.returncode}:\n"
                f"{output}"
            )
            if not self.checker.check_output(expected, output, FLAGS):
                pytest.fail(
                    f"{self.where(block)}: $ {command}\nexpected:\n{expected}\n"
                    f"got:\n{output}",
                    pytrace=False,
                )


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with ``testfiles`` in it, the working directory of a tutorial."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "testfiles").symlink_to(REPO / "testfiles", target_is_directory=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("MPLBACKEND", "Agg")  # pictures are saved, never shown
    return folder


@pytest.mark.parametrize("path", TUTORIAL_PATHS, ids=[p.stem for p in TUTORIAL_PATHS])
def test_tutorial(path: Path, workspace: Path, request: pytest.FixtureRequest) -> None:
    blocks, setups = parse(path)
    assert any(block.language == "pycon" for block in blocks)
    environment: dict[str, str] = {}
    if "example-plugin-installed" in setups:
        environment = request.getfixturevalue("example_plugin_installed")
    tutorial = Tutorial(path, environment)
    for block in blocks:
        tutorial.run(block)
    witness = WITNESSES.get(path.stem)
    if witness is not None:
        witness(workspace, tutorial.namespace)
    if tutorial.skipped:
        pytest.skip(
            f"all but the blocks needing {', '.join(sorted(tutorial.skipped))} "
            "ran and passed; install dicomcore[plot] to run them"
        )


# -- witnesses: what the tutorials wrote, read by others -------------------------


def stored_pixels(name: str) -> np.ndarray:
    """The pixels of testfiles/tutorials/NAME as the generator wrote them,
    read with pydicom and checked against the manifest."""
    pydicom = pytest.importorskip("pydicom")
    array = pydicom.dcmread(TUTORIAL_FILES / name).pixel_array
    record = TUTORIAL_MANIFEST[name]["stored_pixels"]
    assert hashlib.sha256(array.astype("<u2").tobytes()).hexdigest() == record["sha256"]
    return np.asarray(array)


def pydicom_pixels(path: Path) -> np.ndarray:
    pydicom = pytest.importorskip("pydicom")
    return np.asarray(pydicom.dcmread(path).pixel_array)


def witness_modify_and_save(folder: Path, namespace: dict[str, Any]) -> None:
    original = stored_pixels("mr_512.dcm")
    np.testing.assert_array_equal(
        pydicom_pixels(folder / "mr_crop.dcm"), original[224:288, 224:288]
    )
    dump = run_tool(
        "dcmdump", "+P", "0028,0010", "+P", "0028,0011", folder / "mr_crop.dcm"
    )
    assert re.findall(r"US (\d+)", dump) == ["64", "64"]


def witness_edit_pixel_values(folder: Path, namespace: dict[str, Any]) -> None:
    original = stored_pixels("mr_512.dcm")
    expected = np.where(original < namespace["threshold"], 0, original)
    np.testing.assert_array_equal(pydicom_pixels(folder / "mr_threshold.dcm"), expected)


def witness_create_pixel_data(folder: Path, namespace: dict[str, Any]) -> None:
    # DCMTK reads the odd-length image the tutorial wrote: 15 pixels, padded
    dump = run_tool("dcmdump", "+P", "7fe0,0010", folder / "odd.dcm")
    assert re.search(r"\\0d\\0e\\00 #\s*16, 1 PixelData", dump), dump
    np.testing.assert_array_equal(
        pydicom_pixels(folder / "odd.dcm"), np.arange(15, dtype=np.uint8).reshape(3, 5)
    )
    np.testing.assert_array_equal(
        pydicom_pixels(folder / "rgb_planar1.dcm"), namespace["frames"]
    )
    np.testing.assert_array_equal(
        pydicom_pixels(folder / "signed12.dcm"), namespace["signed"]
    )
    np.testing.assert_array_equal(
        pydicom_pixels(folder / "float32.dcm"), namespace["values"]
    )


def witness_compress(folder: Path, namespace: dict[str, Any]) -> None:
    # DCMTK decodes the RLE file dicomcore wrote to the original pixels
    run_tool("dcmdrle", folder / "mr_rle.dcm", folder / "mr_dcmtk.dcm")
    np.testing.assert_array_equal(
        pydicom_pixels(folder / "mr_dcmtk.dcm"), stored_pixels("mr_512.dcm")
    )


def witness_render(folder: Path, namespace: dict[str, Any]) -> None:
    # DCMTK renders the same picture with the file's window
    from test_render import read_png

    run_tool(
        "dcm2pnm", "+Wi", "1", "+on", "-il", TUTORIAL_FILES / "mr_512.dcm",
        folder / "mr_dcmtk.png",
    )  # fmt: skip
    np.testing.assert_array_equal(
        read_png((folder / "mr.png").read_bytes()),
        read_png((folder / "mr_dcmtk.png").read_bytes()),
    )


def witness_waveforms_file_sets_and_codify(
    folder: Path, namespace: dict[str, Any]
) -> None:
    # pydicom and DCMTK read the File-set the tutorial wrote and changed
    pydicom_fileset = pytest.importorskip("pydicom.fileset")
    media = pydicom_fileset.FileSet(folder / "media" / "DICOMDIR")
    assert [instance.Modality for instance in media] == ["CT", "ECG"]
    dump = run_tool("dcmdump", "-E", folder / "media" / "DICOMDIR")
    assert re.findall(r"CS \[(PATIENT|STUDY|SERIES|IMAGE|WAVEFORM)\]", dump) == [
        "PATIENT", "STUDY", "SERIES", "IMAGE",
        "PATIENT", "STUDY", "SERIES", "WAVEFORM",
    ]  # fmt: skip
    assert not (folder / "media" / "PT000000" / "ST000000" / "SE000001").exists()
    # the codified script's file is the original, as pydicom reads both
    pydicom = pytest.importorskip("pydicom")
    assert pydicom.dcmread(folder / "rebuilt.dcm") == pydicom.dcmread(
        REPO / "testfiles" / "waveforms" / "respiratory.dcm"
    )


WITNESSES: dict[str, Callable[[Path, dict[str, Any]], None]] = {
    "02-modify-and-save": witness_modify_and_save,
    "03-edit-pixel-values": witness_edit_pixel_values,
    "04-create-pixel-data": witness_create_pixel_data,
    "06-compress-and-codec-plugins": witness_compress,
    "07-render-a-frame": witness_render,
    "08-waveforms-file-sets-and-codify": witness_waveforms_file_sets_and_codify,
}


# -- the files the tutorials read ----------------------------------------------


@pytest.mark.parametrize("name", sorted(TUTORIAL_MANIFEST))
def test_tutorial_files_decode_to_their_manifest(name: str) -> None:
    import dicomcore

    expected = TUTORIAL_MANIFEST[name]["stored_pixels"]["sha256"]
    ours = dicomcore.dcmread(TUTORIAL_FILES / name).pixel_array
    assert hashlib.sha256(ours.astype("<u2").tobytes()).hexdigest() == expected
    stored_pixels(name)  # and pydicom's


def test_series_slices_lie_where_the_manifest_says() -> None:
    import dicomcore

    for name, record in TUTORIAL_MANIFEST.items():
        if not name.startswith("series/"):
            continue
        ds = dicomcore.dcmread(TUTORIAL_FILES / name)
        orientation = np.array(ds.ImageOrientationPatient, dtype=float)
        normal = np.cross(orientation[:3], orientation[3:])
        along = float(normal @ np.array(ds.ImagePositionPatient, dtype=float))
        # 3 mm apart: slice k sits 3 k mm along the normal from slice 0
        assert along == pytest.approx(24.462 + 3 * record["slice_index"], abs=1e-3)
        assert ds.PixelIntensityRelationship == record["pixel_intensity_relationship"]


# -- the example plugin's own tests ---------------------------------------------


def test_example_plugin_passes_its_tests_and_the_conformance_suite() -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(EXAMPLE_PLUGIN), os.environ.get("PYTHONPATH")])
        ),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=EXAMPLE_PLUGIN,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    # every standard layout but the 1-bit one round-trips
    assert re.match(r"\d+ passed, 1 skipped in ", summary), summary


def test_example_plugin_metadata_names_its_module() -> None:
    project = tomllib.loads((EXAMPLE_PLUGIN / "pyproject.toml").read_text())
    assert project["project"]["entry-points"] == {
        "dicomcore.codecs": {"delta-zlib": "dicomcore_example_delta"}
    }
    assert project["tool"]["setuptools"]["py-modules"] == ["dicomcore_example_delta"]
