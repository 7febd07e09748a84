"""Helpers that compare dicomcore's reading of a quirk file with pydicom 3's
(the test oracle) and DCMTK's ``dcmdump``."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pydicom
import pytest

import dicomcore

QUIRKS = Path(__file__).resolve().parents[2] / "testfiles" / "quirks"
MANIFEST = {
    record["file"]: record
    for record in json.loads((QUIRKS / "manifest.json").read_text(encoding="utf-8"))
}

needs_dcmdump = pytest.mark.skipif(
    shutil.which("dcmdump") is None, reason="DCMTK's dcmdump is not installed"
)


def quiet_read(reader: Any, path: Path, **options: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader(path, **options)


def _items(value: Any) -> list[Any]:
    if isinstance(value, (list, pydicom.multival.MultiValue)):
        return list(value)
    return [value]


def _same_item(ours: Any, theirs: Any) -> bool:
    if isinstance(theirs, (bytes, bytearray)):
        return bytes(ours) == bytes(theirs)
    if isinstance(theirs, float) and isinstance(ours, float):
        return ours == theirs
    return str(ours) == str(theirs)


def assert_same_elements(ours: Any, theirs: Any, where: str = "") -> int:
    """Every element of both datasets, in order: tag, VR, each value's str
    (bytes for binary VRs), nested sequences item by item. Returns how many
    elements were compared."""
    our_tags = [int(elem.tag) for elem in ours]
    their_tags = [int(elem.tag) for elem in theirs]
    assert our_tags == their_tags, where
    count = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for our_elem, their_elem in zip(ours, theirs, strict=True):
            label = f"{where}{their_elem.tag}"
            assert our_elem.VR == their_elem.VR, label
            count += 1
            if their_elem.VR == "SQ":
                assert len(our_elem.value) == len(their_elem.value), label
                for index, (our_item, their_item) in enumerate(
                    zip(our_elem.value, their_elem.value, strict=True)
                ):
                    count += assert_same_elements(
                        our_item, their_item, f"{label}[{index}]"
                    )
                continue
            our_items = _items(our_elem.value)
            their_items = _items(their_elem.value)
            if their_elem.value is None or their_elem.value == "":
                assert our_elem.value in (None, ""), label
                continue
            assert len(our_items) == len(their_items), label
            for our_item, their_item in zip(our_items, their_items, strict=True):
                assert _same_item(our_item, their_item), (label, our_item, their_item)
            if len(their_items) == 1:
                assert str(our_elem.value) == str(their_elem.value), label
    return count


_DUMP_LINE = re.compile(
    r"^\s*\(([0-9a-f]{4}),([0-9a-f]{4})\) (\w\w) (.*?)\s+#\s*(\S+),"
)


def dcmdump(path: Path, *options: str) -> dict[str, tuple[str, str]]:
    """The data set elements ``dcmdump`` shows: "gggg,eeee" (nested ones
    prefixed by their sequence's tag) -> (VR, value text)."""
    result = subprocess.run(
        ["dcmdump", "-q", "+L", *options, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    elements: dict[str, tuple[str, str]] = {}
    stack: list[tuple[int, str]] = []
    for line in result.stdout.splitlines():
        match = _DUMP_LINE.match(line)
        if match is None or match.group(1) in ("0002", "fffe"):
            continue
        depth = (len(line) - len(line.lstrip())) // 2
        while stack and stack[-1][0] >= depth:
            stack.pop()
        tag = f"{match.group(1)},{match.group(2)}"
        key = "/".join([part for _, part in stack] + [tag])
        if match.group(3) == "SQ":
            stack.append((depth, tag))
        elements[key] = (match.group(3), match.group(4))
    return elements


def written(ds: Any, tmp_path: Path, name: str = "written.dcm", **options: Any) -> Path:
    path = tmp_path / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds.save_as(path, **options)
    return path


def read_both(name: str, **options: Any) -> tuple[Any, Any]:
    path = QUIRKS / name
    return (
        quiet_read(dicomcore.dcmread, path, **options),
        quiet_read(pydicom.dcmread, path, **options),
    )
