"""A seeded, reproducible mutation fuzzer over the testfiles.

Each case takes one testfile, applies a few mutations chosen by a seeded
random generator (bit flips, truncations, rewritten length fields, duplicated
and dropped byte ranges, damaged fragments and codec headers), then drives
everything a user would: ``dcmread``, every element's value, ``str(ds)``,
``to_json()``, writing back,
``pixel_array`` and ``iter_pixels``.  Anything but a ``DicomError`` (or a
warning) is a finding, as is a case running longer than the time limit.

Short run (CI):   python -m pytest tests/fuzz
Long run:         python tests/fuzz/fuzzer.py --minutes 60 [--seed N]

A finding prints its seed and case number; ``--replay SEED:CASE`` runs that
one case again, and ``--save DIR`` writes its bytes as a regression file
(tests/fuzz/regressions/ is run by the test suite).
"""

from __future__ import annotations

import argparse
import io
import random
import signal
import struct
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTFILES = REPO / "testfiles"
REGRESSIONS = Path(__file__).resolve().parent / "regressions"
CASE_TIME_LIMIT = 2.0

# Byte patterns whose neighbourhood is worth damaging: item tags (fragments,
# sequence items), JPEG markers, RLE headers' segment counts.
_INTERESTING = (
    b"\xfe\xff\x00\xe0",
    b"\xfe\xff\xdd\xe0",
    b"\xff\xd8",
    b"\xff\xda",
    b"\xff\xc3",
)


class CaseTimeout(Exception):
    """A case ran longer than the time limit."""


@dataclass
class Finding:
    seed: int
    case: int
    source: str
    error: str
    data: bytes


def corpus() -> list[tuple[str, bytes]]:
    # The quirk files (one per real-world damage or non-conformance) are
    # seeds too: mutations of already odd files reach paths clean ones miss.
    files = sorted(TESTFILES.glob("*.dcm")) + sorted(TESTFILES.glob("quirks/*.dcm"))
    return [
        (path.relative_to(TESTFILES).as_posix(), path.read_bytes()) for path in files
    ]


def _flip_bits(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        index = rng.randrange(len(data))
        data[index] ^= 1 << rng.randrange(8)


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[rng.randrange(len(data)) :]


def _rewrite_length(data: bytearray, rng: random.Random) -> None:
    # A 16- or 32-bit length field at a plausible header position.
    position = rng.randrange(0, max(len(data) - 4, 1))
    choice = rng.choice(
        [
            0,
            1,
            2,
            0xFF,
            0xFFFF,
            0x7FFFFFFF,
            0xFFFFFFF0,
            0xFFFFFFFF,
            rng.randrange(1 << 32),
        ]
    )
    if rng.random() < 0.5 and position + 4 <= len(data):
        data[position : position + 4] = struct.pack("<L", choice & 0xFFFFFFFF)
    elif position + 2 <= len(data):
        data[position : position + 2] = struct.pack("<H", choice & 0xFFFF)


def _duplicate_range(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 256))
    insert_at = rng.randrange(len(data))
    data[insert_at:insert_at] = data[start:end]


def _drop_range(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    del data[start : start + rng.randint(1, 256)]


def _damage_structure(data: bytearray, rng: random.Random) -> None:
    """Damage bytes right after a fragment, item or codec marker."""
    pattern = rng.choice(_INTERESTING)
    positions = []
    start = 0
    while len(positions) < 64:
        found = data.find(pattern, start)
        if found < 0:
            break
        positions.append(found)
        start = found + 1
    if not positions:
        _flip_bits(data, rng)
        return
    position = rng.choice(positions) + len(pattern)
    for offset in range(rng.randint(1, 8)):
        if position + offset < len(data):
            data[position + offset] = rng.randrange(256)


MUTATORS: tuple[Callable[[bytearray, random.Random], None], ...] = (
    _flip_bits,
    _truncate,
    _rewrite_length,
    _duplicate_range,
    _drop_range,
    _damage_structure,
)


def mutate(data: bytes, rng: random.Random) -> bytes:
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if not mutated:
            break
        rng.choice(MUTATORS)(mutated, rng)
    return bytes(mutated)


def exercise(data: bytes) -> None:
    """Everything a user does with a file; only DicomError may escape."""
    import dicomcore
    from dicomcore.errors import DicomError

    try:
        ds = dicomcore.dcmread(data, force=True)
        for elem in ds.iterall():
            elem.value  # noqa: B018
        str(ds)
        # Read values never block JSON export or writing back.
        ds.to_json()
        ds.save_as(io.BytesIO())
        pixels = getattr(dicomcore, "pixels", None)
        if pixels is not None and hasattr(pixels, "pixel_array") and "PixelData" in ds:
            ds.pixel_array  # noqa: B018
            for _frame in pixels.iter_pixels(ds):
                pass
    except DicomError:
        pass


def _alarm(signum: int, frame: object) -> None:
    raise CaseTimeout(f"case ran longer than {CASE_TIME_LIMIT} s")


def cases(seed: int) -> Iterator[tuple[int, str, bytes]]:
    rng = random.Random(seed)
    files = corpus()
    case = 0
    while True:
        name, data = rng.choice(files)
        yield case, name, mutate(data, rng)
        case += 1


def run_case(data: bytes) -> str | None:
    """None when the case behaved; else a description of the finding."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, CASE_TIME_LIMIT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exercise(data)
    except CaseTimeout as exc:
        return f"hang: {exc}"
    except KeyboardInterrupt:
        raise
    except BaseException:  # noqa: BLE001 - every escape is a finding, panics too
        return traceback.format_exc(limit=6)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return None


def fuzz(
    seed: int, seconds: float, max_cases: int | None = None
) -> tuple[int, list[Finding]]:
    findings: list[Finding] = []
    deadline = time.monotonic() + seconds
    count = 0
    for case, name, data in cases(seed):
        if time.monotonic() >= deadline or (
            max_cases is not None and case >= max_cases
        ):
            break
        error = run_case(data)
        count += 1
        if error is not None:
            findings.append(Finding(seed, case, name, error, data))
    return count, findings


def replay(seed: int, case_number: int) -> tuple[str, bytes]:
    for case, name, data in cases(seed):
        if case == case_number:
            return name, data
    raise AssertionError("unreachable")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replay", help="SEED:CASE")
    parser.add_argument("--save", type=Path, help="folder for regression files")
    arguments = parser.parse_args(argv)
    if arguments.replay:
        seed, case = (int(part) for part in arguments.replay.split(":"))
        name, data = replay(seed, case)
        error = run_case(data)
        print(f"{name}: {error or 'no finding'}")
        if arguments.save and error:
            arguments.save.mkdir(parents=True, exist_ok=True)
            (arguments.save / f"seed{seed}-case{case}.dcm").write_bytes(data)
        return 1 if error else 0
    started = time.monotonic()
    total = 0
    all_findings: list[Finding] = []
    seed = arguments.seed
    # One seed per minute keeps every case replayable by (seed, case).
    while time.monotonic() - started < arguments.minutes * 60:
        remaining = arguments.minutes * 60 - (time.monotonic() - started)
        count, findings = fuzz(seed, min(60.0, remaining))
        total += count
        all_findings.extend(findings)
        print(f"seed {seed}: {count} cases, {len(findings)} findings", flush=True)
        for finding in findings:
            print(
                f"  {finding.seed}:{finding.case} ({finding.source})\n{finding.error}"
            )
        seed += 1
    elapsed = time.monotonic() - started
    print(
        f"{total} cases in {elapsed:.0f} s over seeds {arguments.seed}..{seed - 1}: "
        f"{len(all_findings)} findings"
    )
    return 1 if all_findings else 0


if __name__ == "__main__":
    sys.exit(main())
