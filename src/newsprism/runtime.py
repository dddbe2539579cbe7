"""Process-wide runtime settings of the library: an import hook installed when :mod:`newsprism`
is imported, the garbage collector's pace during a run, and where derived files are cached.

spaCy's machine-learning library, thinc, imports torch whenever torch is installed (to offer
PyTorch layers). The spaCy pipeline newsprism uses never runs on torch, yet that import costs
about 1.4 s and 180 MB in every process that parses, the main one and each worker. So while
``thinc.compat`` first loads, torch is marked absent and thinc sees no torch. Torch itself stays
importable: the sentence encoder's fallback and its one-time ONNX export import it when they
run. If torch is already imported when spaCy loads, nothing changes.
"""

from __future__ import annotations

import gc
import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
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


#: collector thresholds during a run: a young collection per 100,000 new containers (CPython's
#: default is 700), the older generations 50 and 100 times rarer than the young ones
RUN_THRESHOLDS = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run less often inside the block.

    A run holds millions of small records (articles, mentions, spans, facts) that live until
    it ends and hold no reference cycles. At CPython's default pace the collector walks them
    again and again: adding one article to a stored archive of 1,000 spent 3.3 s of 9.5 s in
    it, 0.4 s with these thresholds (docs/benchmarks.md). Memory is still freed at once by
    reference counting; only cyclic garbage waits longer. Thresholds are only ever raised, and
    restored when the block ends (blocks may nest).
    """
    old = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(old, RUN_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def cache_dir() -> Path:
    """Where derived files are kept between runs (the exported ONNX graphs, compiled report
    templates): ``NEWSPRISM_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsprism``, else
    ``~/.cache/newsprism``. Each is made again when missing."""
    env = os.environ.get("NEWSPRISM_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsprism"
