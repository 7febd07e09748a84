"""``import pydicom`` resolving to dicomcore, for running pydicom's clients.

Put the folder holding this package first on ``sys.path`` (``PYTHONPATH``) in
an environment without pydicom: ``pydicom`` is then the module ``dicomcore``
and every ``pydicom.X`` is ``dicomcore.X``, the very same module objects. The
shim adds nothing of its own, so what a client's tests find missing or
different is missing or different in dicomcore itself.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

import dicomcore

_ALIAS = "pydicom"
_TARGET = "dicomcore"


class _AliasImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``pydicom.X`` and loads it as ``dicomcore.X``."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(_ALIAS + "."):
            return None
        target_name = _TARGET + fullname[len(_ALIAS) :]
        # Only names dicomcore has: a missing one fails as it would in
        # dicomcore, with ModuleNotFoundError naming the pydicom path.
        try:
            if importlib.util.find_spec(target_name) is None:
                return None
        except ModuleNotFoundError:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        # The import system returns whatever sys.modules holds under the name
        # once this returns, so the placeholder gives way to the real module
        # and dicomcore's own modules keep their own __spec__.
        target_name = _TARGET + module.__name__[len(_ALIAS) :]
        sys.modules[module.__name__] = importlib.import_module(target_name)


sys.meta_path.insert(0, _AliasImporter())
sys.modules[__name__] = dicomcore
