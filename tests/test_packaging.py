"""The distribution ships every package of the source tree."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

REPO = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(path.parent.relative_to(REPO).parts)
        for path in (REPO / "dicomcore").rglob("__init__.py")
    }
    assert found <= listed
    assert config["package-dir"] == {"dicomcore_plugins": "plugins"}
    assert (REPO / "plugins" / "__init__.py").exists()


def test_bundled_plugins_package_imports():
    import dicomcore_plugins

    assert Path(dicomcore_plugins.__file__).parent == REPO / "plugins"
