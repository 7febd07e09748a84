"""Utilities over the data model and I/O: :mod:`dicomcore.util.codify`."""

from __future__ import annotations
