"""The output cache: each story's rendered pieces, kept beside the output files.

``OUT/.cache/stories-v1/`` holds one file per story, named by a hash of the story's record
(as the store keeps it) and of the code that renders it (:func:`code_fingerprint`): its
``stories.json`` line, the article spans its report section cites, the articles it shows, and
its ``report.md`` and ``report.html`` sections, each with a hash of what else it was rendered
from (its heading level, the records of the articles it shows, the spans of its articles cited
anywhere in the report). See :mod:`newsprism.outputs.pieces`. A file is a JSON header on one
line (everything but the three texts, and their sizes) followed by the three texts as UTF-8:
reading them back is a decode, not a parse.

A missing, unreadable, malformed or foreign entry is ignored (the story is rendered again).
An entry is written (atomically) as soon as its story's pieces are complete, and from then
on its texts are read back from it when the files need them, so writing the outputs holds
about one story's pieces at a time; entries no story used in a run are removed once the
outputs are written. Nothing in the cache is needed: deleting the folder only costs one full
render.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsprism import __version__, codec
from newsprism.errors import StoreError
from newsprism.fingerprint import dist_versions, source_digest
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
    computes now (empty: not rendered yet). The texts are written apart from the header, and
    an entry read from the cache reads them only when asked (:meth:`read`): the writer holds
    one story's texts at a time, not the whole report's."""

    refs: list[str]  # the articles its sections show or cite
    cited: list[tuple[str, int, int]]  # (article, start, end) its report.html section marks
    markdown_context: str = ""
    html_context: str = ""
    line: str = field(default="", metadata=codec.SKIP)
    markdown: str = field(default="", metadata=codec.SKIP)
    html: str = field(default="", metadata=codec.SKIP)
    #: where the texts lie when they are not held: the entry's file, the offset of its first
    #: text and the three sizes (bytes)
    where: tuple[Path, int, tuple[int, int, int]] | None = field(default=None, metadata=codec.SKIP)

    def texts(self) -> tuple[str, str, str]:
        return self.line, self.markdown, self.html

    def read(self, i: int, last: int | None = None) -> list[str]:
        """Texts ``i`` to ``last`` (default: ``i`` alone; 0: the ``stories.json`` line, 1:
        Markdown, 2: HTML), from the entry's file, in one read, when they are not held;
        OSError or UnicodeDecodeError when that file cannot give them."""
        last = i if last is None else last
        if self.where is None:
            return list(self.texts()[i : last + 1])
        path, offset, sizes = self.where
        want = sizes[i : last + 1]
        with path.open("rb") as fh:
            fh.seek(offset + sum(sizes[:i]))
            raw = fh.read(sum(want))
        if len(raw) != sum(want):
            raise OSError(f"{path}: cut short")
        out, at = [], 0
        for size in want:
            out.append(raw[at : at + size].decode(_ENCODING, _ERRORS))
            at += size
        return out


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
    here = Path(__file__).resolve().parent
    sources = [*sorted(here.glob("*.py")), *sorted((here.parent / "templates").glob("*"))]
    return source_digest(sources, __version__, *dist_versions("jinja2", "markupsafe"))


def story_key(text: str) -> str:
    """The cache key of a story whose record (JSON, as the store keeps it) is ``text``."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


@dataclass
class OutputCache:
    """The entries of one output folder: read on demand, each new or updated one written as
    soon as it is complete (:meth:`put`), the unused ones removed by :meth:`remove_unused`."""

    folder: Path
    used: set[str] = field(default_factory=set)
    broken: bool = False  # an entry could not be written: no more are tried this run

    @classmethod
    def of(cls, outdir: Path) -> OutputCache:
        return cls(outdir / FOLDER)

    def get(self, key: str) -> Entry | None:
        """The entry of ``key`` if one is stored and its header is sound (its texts are read
        when asked for); marks ``key`` as used."""
        self.used.add(key)
        path = self.folder / f"{key}{_SUFFIX}"
        try:
            with path.open("rb") as fh:
                head = fh.readline()
                size = os.fstat(fh.fileno()).st_size
            return _decode(path, head, size - len(head))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, StoreError) as exc:
            log.debug("%s: output cache entry ignored: %s", path, exc)
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Write ``entry`` (new or updated, its texts held) as ``key``'s; once written, its
        texts are let go and read back from the file when needed. A failure is logged once,
        never raised (the entry keeps its texts): the outputs never depend on the cache."""
        self.used.add(key)
        if self.broken:
            return
        path = self.folder / f"{key}{_SUFFIX}"
        head, texts = _encode(entry)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_files({path: b"".join([head, b"\n", *texts])})
        except OSError as exc:  # OutputError is one
            log.warning("%s: the output cache was not saved: %s", self.folder, exc)
            self.broken = True
            return
        sizes = (len(texts[0]), len(texts[1]), len(texts[2]))
        entry.where = (path, len(head) + 1, sizes)
        entry.line = entry.markdown = entry.html = ""

    def remove_unused(self) -> None:
        """Remove every file of the folder that no story used in this run (entries of stories
        gone or changed, older formats). A failure is logged, never raised."""
        if self.broken or not self.folder.is_dir():
            return
        try:
            keep = {f"{key}{_SUFFIX}" for key in self.used}
            for name in set(os.listdir(self.folder)) - keep:
                (self.folder / name).unlink()
        except OSError as exc:
            log.warning("%s: the output cache was not cleaned: %s", self.folder, exc)


def _decode(path: Path, head: bytes, body_size: int) -> Entry | None:
    """The entry whose header line is ``head`` and whose texts (``body_size`` bytes) follow it
    in ``path``; None if it was written by other code or is malformed."""
    if not head.endswith(b"\n"):
        return None
    data = json.loads(head)
    if not isinstance(data, dict) or data.get("fingerprint") != code_fingerprint():
        return None
    sizes = data.get("sizes")
    if not (
        isinstance(sizes, list)
        and len(sizes) == 3
        and all(type(n) is int and n >= 0 for n in sizes)
        and sum(sizes) == body_size
    ):
        return None
    where = (path, len(head), (sizes[0], sizes[1], sizes[2]))
    entry = codec.from_dict(Entry, data, where=where)
    return entry if _valid(entry) else None


def _encode(entry: Entry) -> tuple[bytes, list[bytes]]:
    """The header line (without its newline) and the three texts of ``entry``, as written."""
    texts = [t.encode(_ENCODING, _ERRORS) for t in entry.texts()]
    head = {
        "fingerprint": code_fingerprint(),
        **codec.to_dict(entry),
        "sizes": list(map(len, texts)),
    }
    return json.dumps(head).encode("ascii"), texts


def context_hash(*parts: Any) -> str:
    """A short hash of JSON-ready ``parts`` (what a section was rendered from)."""
    return hashlib.sha256(
        json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]
