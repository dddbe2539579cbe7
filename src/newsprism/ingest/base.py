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


@dataclass
class IngestOptions:
    """Options of one ingest run (mirrors the CLI flags)."""

    max_bytes: int = 50 * 1024 * 1024  # files over this are skipped ("too-large")
    # --field text=body,title=headline: our key -> record key (JSON inputs)
    fields: dict[str, str] = field(default_factory=dict)
    manifest: Path | None = None  # CSV: column `path` + title,source,url,published,authors
    published: str | None = None  # --published: default publication date for records without one
    source: str | None = None  # --source: default outlet
    # --follow-symlinks: read symlinks found in folders even when they point outside the inputs
    follow_symlinks: bool = False


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


class BadInput(Exception):
    """Raised by a reader for one input it cannot read; never fatal to the run.

    ``kind`` is a short machine key (empty, binary, too-large, undecodable, unreadable,
    malformed-json, malformed-html, truncated-archive, symlink-loop, unsupported...) and
    ``reason`` a one-line human explanation.
    """

    def __init__(self, kind: str, reason: str):
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


Reader = Callable[[str, bytes, IngestOptions], Iterator[RawDoc]]  # (origin, data, options)
