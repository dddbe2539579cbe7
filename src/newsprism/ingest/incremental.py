"""Content hashes for incremental runs: an input whose hash is already stored is not re-read
(the one implementation is :func:`newsprism.text.content_hash`)."""

from __future__ import annotations

from newsprism.text import content_hash

__all__ = ["content_hash"]
