"""The short fuzz run of CI, and the regression files of earlier findings."""

from __future__ import annotations

import os

import pytest
from fuzzer import REGRESSIONS, fuzz, run_case

FUZZ_SECONDS = float(os.environ.get("DICOMCORE_FUZZ_SECONDS", "45"))


def test_short_fuzz_run_finds_nothing():
    count, findings = fuzz(seed=20261122, seconds=FUZZ_SECONDS)
    assert count > 100
    assert not findings, "\n".join(
        f"{f.seed}:{f.case} ({f.source})\n{f.error}" for f in findings[:5]
    )


@pytest.mark.parametrize(
    "path",
    sorted(REGRESSIONS.glob("*.dcm")) if REGRESSIONS.exists() else [],
    ids=lambda path: path.name,
)
def test_regression_file(path):
    assert run_case(path.read_bytes()) is None
