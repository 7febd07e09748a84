"""Running DCMTK and GDCM as independent witnesses in tests.

Under CI (``CI=true``) a missing tool fails the test instead of skipping it:
the interoperability tests must run there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
TESTFILES = REPO / "testfiles"


def copy_testfiles(tree: dict[str, str], folder: Path) -> Path:
    """``folder`` holding a copy of each testfile named in ``tree`` at the
    relative path it maps to (folders made as needed)."""
    for name, relative in tree.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TESTFILES / name, path)
    return folder


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian packages dcmtk / libgdcm-tools)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_tool(*arguments: str | os.PathLike[str]) -> str:
    require_tool(str(arguments[0]))
    result = subprocess.run(
        [str(argument) for argument in arguments],
        capture_output=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{arguments[0]} failed ({result.returncode}): "
            f"{result.stderr.decode(errors='replace')}"
        )
    return result.stdout.decode("latin_1")


# One element line of dcmdump or gdcmdump (gdcmdump shows "?? (VR)" for the
# dictionary VR of implicit VR data).
_DUMP_LINE = re.compile(
    r"^(?P<indent> *)\((?P<group>[0-9a-f]{4}),(?P<element>[0-9a-f]{4})\) "
    r"(?P<vr>[A-Za-z?]{2})(?: \((?P<dictionary_vr>[A-Z]{2})\))? (?P<value>.*?)"
    r"\s+#\s*(?P<length>[^,#]+),\s*(?P<vm>[0-9n-]+)(?:\s.*)?$"
)


_ITEM_LINE = re.compile(r"^(?P<indent> *)\(fffe,(?P<element>e000|e00d|e0dd)\)")


def dcmdump_elements(
    path: Path, *options: str
) -> dict[tuple[Any, ...], tuple[str, str]]:
    """Every element ``dcmdump`` prints, keyed by its path through sequences
    ``(tag,)`` or ``(sequence tag, item index, ..., tag)``, as ``(VR, value text)``.
    """
    return _parse_dump(run_tool("dcmdump", "-q", "+L", "-Un", *options, path))


def gdcmdump_elements(path: Path) -> dict[tuple[Any, ...], tuple[str, str]]:
    """The same view through GDCM's ``gdcmdump``."""
    return _parse_dump(run_tool("gdcmdump", path))


def _parse_dump(output: str) -> dict[tuple[Any, ...], tuple[str, str]]:
    elements: dict[tuple[Any, ...], tuple[str, str]] = {}
    sequence_at: dict[int, tuple[Any, ...]] = {}  # indent -> path of last SQ there
    prefix_at: dict[int, tuple[Any, ...]] = {0: ()}  # indent -> path prefix of items
    item_counters: dict[tuple[Any, ...], int] = {}
    # Lines end at LF only: latin-1 text may hold bytes str.splitlines() breaks at.
    for line in output.split("\n"):
        match = _DUMP_LINE.match(line) or _ITEM_LINE.match(line)
        if match is None:
            continue
        indent = len(match["indent"])
        tag = int(match.groupdict().get("group", "fffe") + match["element"], 16)
        if tag in (0xFFFEE00D, 0xFFFEE0DD):
            continue
        if tag == 0xFFFEE000:
            sequence_path = sequence_at.get(indent - 2)
            if sequence_path is None:  # a fragment of encapsulated Pixel Data
                continue
            index = item_counters.get(sequence_path, 0)
            item_counters[sequence_path] = index + 1
            prefix_at[indent + 2] = sequence_path + (index,)
            continue
        key = prefix_at[indent] + (tag,)
        vr = match["dictionary_vr"] or match["vr"]
        elements[key] = (vr, match["value"])
        sequence_at[indent] = key if vr == "SQ" else None
    return elements


def our_elements(dataset: Any) -> dict[tuple[Any, ...], tuple[str, str]]:
    """The same view of a dicomcore dataset, values as text as dcmdump shows
    them (strings stripped of padding, numbers backslash-separated)."""
    elements: dict[tuple[Any, ...], tuple[str, str]] = {}

    def visit(ds: Any, prefix: tuple[Any, ...]) -> None:
        for elem in ds:
            key = prefix + (int(elem.tag),)
            if elem.VR == "SQ":
                elements[key] = ("SQ", "")
                for index, item in enumerate(elem.value):
                    visit(item, key + (index,))
                continue
            elements[key] = (elem.VR, _as_text(elem))

    visit(dataset.file_meta, ())
    visit(dataset, ())
    return elements


def _as_text(elem: Any) -> str:
    value = elem.value
    if value is None or value == "":
        return ""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return "\\".join(_item_text(item) for item in value)
    return _item_text(value)


def _item_text(item: Any) -> str:
    if isinstance(item, float) and not hasattr(item, "original_string"):
        return repr(item)
    return str(item)


def dcmdump_value_matches(vr: str, ours: str, theirs: str) -> bool:
    """Compare one value as dicomcore and dcmdump print it."""
    if theirs in ("(no value available)", ""):
        return ours == ""
    if theirs.startswith("[") and theirs.endswith("]"):
        text = theirs[1:-1]
        ours_parts = [part.strip(" \x00") for part in ours.split("\\")]
        their_parts = [part.strip(" \x00") for part in text.split("\\")]
        return ours_parts == their_parts
    if vr in ("US", "SS", "UL", "SL", "SV", "UV"):
        return [int(x) for x in ours.split("\\")] == [
            int(x) for x in theirs.split("\\")
        ]
    if vr in ("FL", "FD"):
        return all(
            abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
            for a, b in zip(ours.split("\\"), theirs.split("\\"), strict=True)
        )
    if vr == "AT":
        tags = [
            f"({int(part) >> 16:04x},{int(part) & 0xFFFF:04x})"
            for part in _at_ints(ours)
        ]
        return "\\".join(tags) == theirs
    if vr in ("OB", "UN"):
        if theirs.startswith("("):
            return True  # not loaded / too long to show
        return ours == theirs.replace("\\", "")
    return True  # OW/OF/OD/OL/OV: compared through pixel data tests


def _at_ints(text: str) -> list[int]:
    ints = []
    for part in text.split("\\"):
        part = part.strip("()")
        group, element = part.split(",")
        ints.append(int(group, 16) << 16 | int(element, 16))
    return ints
