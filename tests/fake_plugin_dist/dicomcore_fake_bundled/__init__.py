"""Stands in for dicomcore's bundled plugins package in the registry tests."""

from __future__ import annotations

BUNDLED: dict[str, str] = {"fake-native": "fake_native"}
