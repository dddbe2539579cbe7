"""Fingerprints of code and data: a short hash that changes when what made a result changes.

Caches and stored results carry one (a story compared by older code, a piece rendered by
older templates, an article enriched by an older language analysis) so that a new version
never passes off an old result as its own.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path


def source_digest(paths: Iterable[Path], *parts: str, length: int = 16) -> str:
    """Hex sha256 (its first ``length`` characters) of ``parts`` (versions, names), then of
    each file's name and bytes, in the order given."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:length]


def dist_versions(*dists: str) -> list[str]:
    """``name==version`` of each installed distribution (one not installed is left out)."""
    out = []
    for dist in dists:
        with contextlib.suppress(metadata.PackageNotFoundError):
            out.append(f"{dist}=={metadata.version(dist)}")
    return out
