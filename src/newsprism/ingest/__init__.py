"""Ingest: read any input format, clean scraped text, attach metadata, link near-duplicates.

This front only re-exports names. Where things live:

- :mod:`.run`: the run itself (:func:`ingest`, :func:`build_article`, article ids, the process
  pool);
- :mod:`.files`: input discovery, format sniffing and the reader for each format
  (:mod:`.html`, :mod:`.jsonrec`, :mod:`.feeds`, :mod:`.warc`, :mod:`.archives`, :mod:`.text`);
- :mod:`.meta`: metadata precedence, sidecars, manifests, date and author normalisation;
- :mod:`.clean`: scraped-text cleaning; :mod:`.dedup`: near-duplicates;
  :mod:`.boilerplate`: per-outlet recurring boilerplate; :mod:`.language`: language detection;
  content hashes are :func:`newsprism.text.content_hash`.
"""

from __future__ import annotations

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.run import IngestResult, _process, build_article, ingest, sanitize_id

__all__ = [
    "BadInput",
    "IngestOptions",
    "IngestResult",
    "RawDoc",
    "_process",  # one input's work, for engine workers (engine/ray.py)
    "build_article",
    "ingest",
    "sanitize_id",
]
