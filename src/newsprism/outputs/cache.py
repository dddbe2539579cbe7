"""The output cache: each story's rendered pieces, kept beside the output files.

``OUT/.cache/stories-v1/`` holds one file per story, named by a hash of the story's record
(as the store keeps it) and of the code that renders it (:func:`code_fingerprint`): its
``stories.json`` line, the article spans its report section cites, the articles it shows, and
its ``report.md`` and ``report.html`` sections, each with a hash of what else it was rendered
from (its heading level, the records of the articles it shows, the spans of its articles cited
anywhere in the report). See :mod:`newsprism.outputs.pieces`. A file is a JSON header on one
line (everything but the three texts, and their sizes) followed by the three texts as UTF-8:
reading them back is a decode, not a parse.

A missing, unreadable, malformed or foreign entry is ignored (the story is rendered again);
entries are written only after the output files were, each file atomically; entries no story
used in a run are removed then. Nothing in the cache is needed: deleting the folder only
costs one full render.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import Any

from newsprism import __version__, codec
from newsprism.errors import StoreError
from newsprism.outputs.write import write_files

log = logging.getLogger(__name__)

#: the folder of the entries inside the output folder (the version names the entry format)
FOLDER = Path(".cache") / "stories-v1"
_SUFFIX = ".piece"
#: how the texts are written (``surrogatepass``: a lone surrogate of an article comes back as it was)
_ENCODING, _ERRORS = "utf-8", "surrogatepass"


@dataclass(slots=True)
class Entry:
    """One story's pieces. A section is valid while its context hash is the one the writer
    computes now (empty: not rendered yet). The texts are written apart from the header."""

    refs: list[str]  # the articles its sections show or cite
    cited: list[tuple[str, int, int]]  # (article, start, end) its report.html section marks
    markdown_context: str = ""
    html_context: str = ""
    line: str = field(default="", metadata=codec.SKIP)
    markdown: str = field(default="", metadata=codec.SKIP)
    html: str = field(default="", metadata=codec.SKIP)

    def texts(self) -> tuple[str, str, str]:
        return self.line, self.markdown, self.html


def _valid(entry: Entry) -> bool:
    return (
        isinstance(entry.markdown_context, str)
        and isinstance(entry.html_context, str)
        and isinstance(entry.refs, list)
        and all(isinstance(r, str) for r in entry.refs)
        and isinstance(entry.cited, list)
        and all(
            len(c) == 3
            and isinstance(c[0], str)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in c[1:])
            for c in entry.cited
        )
    )


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of what renders the pieces: this package's output modules and templates, its
    version and Jinja2's (an upgrade never reuses a piece rendered by older code)."""
    h = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent
    sources = [*sorted(here.glob("*.py")), *sorted((here.parent / "templates").glob("*"))]
    for path in sources:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    for dist in ("jinja2", "markupsafe"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(metadata.version(dist).encode())
    return h.hexdigest()[:16]


def story_key(text: str) -> str:
    """The cache key of a story whose record (JSON, as the store keeps it) is ``text``."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


@dataclass
class OutputCache:
    """The entries of one output folder: read on demand, written by :meth:`save`."""

    folder: Path
    used: set[str] = field(default_factory=set)
    changed: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def of(cls, outdir: Path) -> OutputCache:
        return cls(outdir / FOLDER)

    def get(self, key: str) -> Entry | None:
        """The entry of ``key`` if one is stored and sound; marks ``key`` as used."""
        self.used.add(key)
        path = self.folder / f"{key}{_SUFFIX}"
        try:
            return _decode(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, StoreError) as exc:
            log.debug("%s: output cache entry ignored: %s", path, exc)
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` (new or updated) for :meth:`save`."""
        self.used.add(key)
        self.changed[key] = entry

    def save(self) -> None:
        """Write the new and updated entries, then remove every other file of the folder
        (entries no story used in this run). A failure is logged, never raised: the outputs
        are already written."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_files(
                {self.folder / f"{key}{_SUFFIX}": _encode(e) for key, e in self.changed.items()}
            )
            keep = {f"{key}{_SUFFIX}" for key in self.used}
            for name in set(os.listdir(self.folder)) - keep:  # stale entries, older formats
                (self.folder / name).unlink()
        except OSError as exc:  # OutputError is one
            log.warning("%s: the output cache was not saved: %s", self.folder, exc)
        self.changed.clear()


def _decode(raw: bytes) -> Entry | None:
    """The entry written as ``raw``; None if it was written by other code or is malformed."""
    head, _, body = raw.partition(b"\n")
    data = json.loads(head)
    if not isinstance(data, dict) or data.get("fingerprint") != code_fingerprint():
        return None
    sizes = data.get("sizes")
    if not (
        isinstance(sizes, list)
        and len(sizes) == 3
        and all(type(n) is int and n >= 0 for n in sizes)
        and sum(sizes) == len(body)
    ):
        return None
    cut = [0, sizes[0], sizes[0] + sizes[1], len(body)]
    line, markdown, html = (body[a:b].decode(_ENCODING, _ERRORS) for a, b in pairwise(cut))
    entry = codec.from_dict(Entry, data, line=line, markdown=markdown, html=html)
    return entry if _valid(entry) else None


def _encode(entry: Entry) -> bytes:
    texts = [t.encode(_ENCODING, _ERRORS) for t in entry.texts()]
    head = {
        "fingerprint": code_fingerprint(),
        **codec.to_dict(entry),
        "sizes": list(map(len, texts)),
    }
    return b"\n".join([json.dumps(head).encode("ascii"), b"".join(texts)])


def context_hash(*parts: Any) -> str:
    """A short hash of JSON-ready ``parts`` (what a section was rendered from)."""
    return hashlib.sha256(
        json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]
