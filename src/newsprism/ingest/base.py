"""Shared types of the ingest package: options, raw documents, bad-input errors, readers.

Format readers (text, HTML, JSON, feeds, WARC, archives) all have the signature
:data:`Reader`: ``read(origin, data, options) -> Iterator[RawDoc]``. A reader raises
:class:`BadInput` for an input it cannot read; that input is skipped with a reason and
the run continues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.errors import BadInput as BadInput  # re-exported: readers import it from here
from newsprism.settings import default


@dataclass
class IngestOptions:
    """Options of one ingest run: the ``ingest`` settings of :mod:`newsprism.settings`
    (declared there with default, type and help; also flags of ``analyze`` and ``ingest``)."""

    # --max-size (MB): files over this are skipped ("too-large")
    max_bytes: int = int(default("max_size") * 1024 * 1024)
    # --field text=body,title=headline: our key -> record key (JSON inputs)
    fields: dict[str, str] = field(default_factory=lambda: dict(default("fields")))
    manifest: Path | None = default("manifest")
    published: str | None = default("published")
    source: str | None = default("source")
    follow_symlinks: bool = default("follow_symlinks")


@dataclass
class RawDoc:
    """What a format reader yields, before cleaning."""

    origin: str  # "path", "path#member", "path:line 12", "path#record 3"
    text: str  # raw article text (for HTML: the extracted main text)
    raw: str  # the original content as text (kept in the store)
    meta: dict[str, Any] = field(
        default_factory=dict
    )  # title, source, url, published, authors, language
    # field -> where it came from ("json-ld", "html-meta", "record", "sidecar", "manifest",
    # "url-host", "folder", "first-line"...)
    meta_origin: dict[str, str] = field(default_factory=dict)
    scraped: bool = True  # run the scraped-text cleaner on `text`


Reader = Callable[[str, bytes, IngestOptions], Iterator[RawDoc]]  # (origin, data, options)
