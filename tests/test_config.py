"""pydicom's names in dicomcore.config."""

from __future__ import annotations

import logging
import warnings

import pytest

from dicomcore import Dataset, config


def test_disable_value_validation_restores_the_modes():
    before = (
        config.settings.reading_validation_mode,
        config.settings.writing_validation_mode,
    )
    with config.disable_value_validation():
        assert config.settings.reading_validation_mode == config.IGNORE
        assert config.settings.writing_validation_mode == config.IGNORE
        ds = Dataset()
        ds.PatientID = "x" * 70  # too long for LO, and not checked here
    assert len(ds.PatientID) == 70
    after = (
        config.settings.reading_validation_mode,
        config.settings.writing_validation_mode,
    )
    assert after == before


def test_strict_reading():
    before = config.settings.reading_validation_mode
    with config.strict_reading():
        assert config.settings.reading_validation_mode == config.RAISE
    assert config.settings.reading_validation_mode == before


@pytest.mark.parametrize("behaviour", ["RAISE", "IGNORE", "WARN"])
def test_invalid_keyword_behavior(monkeypatch, behaviour):
    monkeypatch.setattr(config, "INVALID_KEYWORD_BEHAVIOR", behaviour)
    ds = Dataset()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if behaviour == "RAISE":
            with pytest.raises(ValueError, match="Camel case attribute 'PatientNmae'"):
                ds.PatientNmae = "x"
        else:
            ds.PatientNmae = "x"
    assert len(caught) == (1 if behaviour == "WARN" else 0)


def test_debug_sets_the_loggers_level():
    try:
        config.debug(True, default_handler=False)
        assert config.logger.level == logging.DEBUG and config.debugging
        config.debug(False, default_handler=False)
        assert config.logger.level == logging.WARNING and not config.debugging
    finally:
        config.logger.setLevel(logging.NOTSET)
