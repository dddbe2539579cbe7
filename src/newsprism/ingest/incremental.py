"""Content hashes for incremental runs: an input whose hash is already stored is not re-read."""

from __future__ import annotations

import hashlib

__all__ = ["content_hash"]


def content_hash(data: bytes | str) -> str:
    """The sha256 hex digest of raw bytes (a string is hashed as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()
