"""Fixtures that give each registry test a registry of its own."""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from dicomcore.pixels import _manager, reset_registry

FAKE_DIST = Path(__file__).resolve().parent.parent / "fake_plugin_dist"
FAKE_MODULES = (
    "dicomcore_fake_codec",
    "dicomcore_fake_broken",
    "dicomcore_fake_bundled",
    "dicomcore_fake_lossy",
    "dicomcore_fake_lossy_rgb",
)


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty registry: no bundled plugins, no entry points, nothing blocked."""
    empty_bundle = types.ModuleType("dicomcore_test_empty_bundle")
    empty_bundle.BUNDLED = {}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, empty_bundle.__name__, empty_bundle)
    monkeypatch.setattr(_manager, "BUNDLED_PACKAGE", empty_bundle.__name__)
    monkeypatch.setenv(_manager.NO_AUTOLOAD_ENV, "1")
    monkeypatch.delenv(_manager.BLOCK_ENV, raising=False)
    reset_registry()
    yield
    reset_registry()


@pytest.fixture
def fake_dist(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fake distribution on sys.path and the fake bundled package in use.

    Autoloading is on; nothing is built yet, so a test may set the
    environment first.  Modules imported from the fixture folder are forgotten
    afterwards.
    """
    monkeypatch.syspath_prepend(str(FAKE_DIST))
    monkeypatch.setattr(_manager, "BUNDLED_PACKAGE", "dicomcore_fake_bundled")
    monkeypatch.delenv(_manager.NO_AUTOLOAD_ENV, raising=False)
    monkeypatch.delenv(_manager.BLOCK_ENV, raising=False)
    reset_registry()
    yield
    reset_registry()
    for name in list(sys.modules):
        if name.split(".")[0] in FAKE_MODULES:
            del sys.modules[name]


@pytest.fixture
def no_warnings() -> Iterator[None]:
    """Fail the test on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
