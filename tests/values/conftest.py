from __future__ import annotations

from collections.abc import Iterator

import pytest

from dicomcore import config


@pytest.fixture(autouse=True)
def _default_modes() -> Iterator[None]:
    """Every test starts from the default validation modes."""
    reading, writing = (
        config.settings.reading_validation_mode,
        config.settings.writing_validation_mode,
    )
    config.settings.reading_validation_mode = config.WARN
    config.settings.writing_validation_mode = config.RAISE
    yield
    config.settings.reading_validation_mode = reading
    config.settings.writing_validation_mode = writing


@pytest.fixture
def reading_raise() -> None:
    config.settings.reading_validation_mode = config.RAISE


@pytest.fixture
def reading_ignore() -> None:
    config.settings.reading_validation_mode = config.IGNORE


@pytest.fixture
def writing_warn() -> None:
    config.settings.writing_validation_mode = config.WARN
