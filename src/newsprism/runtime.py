"""Process-wide import settings of the library, installed when :mod:`newsprism` is imported.

spaCy's machine-learning library, thinc, imports torch whenever torch is installed (to offer
PyTorch layers). The spaCy pipeline newsprism uses never runs on torch, yet that import costs
about 1.4 s and 180 MB in every process that parses, the main one and each worker. So while
``thinc.compat`` first loads, torch is marked absent and thinc sees no torch. Torch itself stays
importable: the sentence encoder's fallback and its one-time ONNX export import it when they
run. If torch is already imported when spaCy loads, nothing changes.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

_GUARDED = "thinc.compat"


class _WithoutTorch(importlib.abc.Loader):
    """Runs a module's loader with torch marked absent (only if torch is not loaded yet)."""

    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        hide = "torch" not in sys.modules
        if hide:
            sys.modules["torch"] = None  # type: ignore[assignment]  # "absent" to the importer
        try:
            self.real.exec_module(module)
        finally:
            if hide and sys.modules.get("torch", False) is None:
                del sys.modules["torch"]


class _ThincWithoutTorch(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _GUARDED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _WithoutTorch(spec.loader)
        return spec


def keep_torch_out_of_spacy() -> None:
    """Install the import hook once (see the module docstring)."""
    if not any(isinstance(f, _ThincWithoutTorch) for f in sys.meta_path):
        sys.meta_path.insert(0, _ThincWithoutTorch())
