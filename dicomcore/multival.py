"""pydicom's ``multival`` module path: :class:`MultiValue`, the value of an
element with more than one value, is :class:`dicomcore.values.MultiValue`."""

from __future__ import annotations

from dicomcore.values.multivalue import MultiValue

__all__ = ["MultiValue"]
