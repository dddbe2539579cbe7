"""The ingest run: read every input, build articles, link near-duplicates and strip boilerplate.

Entry point: :func:`ingest` (re-exported by :mod:`newsprism.ingest`). A bad input becomes a
:class:`~newsprism.model.Skipped` with a one-line reason (logged at WARNING as
``"{path}: skipped: {reason}"``); the run goes on.

Per input: discover (:mod:`.files`) -> read bytes (size limit, permissions) -> content hash
(inputs already in ``seen_hashes`` are counted as ``unchanged``) -> sniff the format and run its
reader -> per :class:`~newsprism.ingest.base.RawDoc`: metadata precedence (:mod:`.meta`),
cleaning (:mod:`.clean`), id, language. Then, over all articles: near-duplicate linking
(``dedup.link_duplicates``) and per-outlet recurring boilerplate (``boilerplate.strip_recurring``).

Article ids: the file stem sanitised to ``[A-Za-z0-9_.-]`` for single-article files; for
multi-record files the record's own ``id`` when it has one, the member's stem for archive
members, else ``stem-N`` (1-based); a collision gets ``-2``, ``-3``... in discovery order.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Container, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path, PurePosixPath
from typing import Any

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.clean import clean_text, same_title
from newsprism.ingest.files import Input, discover, dispatch, read_input
from newsprism.ingest.meta import (
    FIELDS,
    load_manifest,
    manifest_entry,
    merge,
    normalize_authors,
    normalize_date,
    read_sidecar,
    url_source,
)
from newsprism.ingest.names import one_line, scrub_text
from newsprism.model import Article, Removed, Skipped
from newsprism.text import content_hash

log = logging.getLogger(__name__)

__all__ = ["IngestResult", "build_article", "ingest", "sanitize_id"]


@dataclass
class IngestResult:
    articles: list[Article]
    skipped: list[Skipped]
    files_read: int
    unchanged: int = 0  # inputs skipped because their content hash is already stored


_META_KEYS = (*FIELDS, "language")
_ID_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


def sanitize_id(value: str) -> str:
    """An id made of ``[A-Za-z0-9_.-]`` only (other runs of characters become ``_``)."""
    s = _ID_BAD.sub("_", unicodedata.normalize("NFKD", str(value))).strip("_.-")
    return s[:120] or "article"


def _stem(origin: str, path: Path | None) -> str:
    if path is None:
        return "stdin"
    name = path.name
    for suffix in (".gz", ".bz2", ".xz"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return Path(name).stem or name


def _optional(module: str, attr: str) -> Callable[..., Any] | None:
    """A function from a sibling module that may not exist yet (degrade gracefully)."""
    try:
        return getattr(import_module(f"newsprism.ingest.{module}"), attr)
    except (ImportError, AttributeError):
        log.debug("newsprism.ingest.%s.%s not available", module, attr)
        return None


def build_article(
    doc: RawDoc,
    article_id: str,
    *,
    chash: str | None = None,
    layers: Sequence[tuple[dict[str, Any], str]] = (),
    options: IngestOptions | None = None,
    folder: str | None = None,
    detect_language: Callable[[str], str | None] | None = None,
) -> Article:
    """Turn one :class:`RawDoc` into an :class:`Article`: metadata precedence and cleaning.

    ``layers`` are higher-precedence metadata layers (manifest, sidecar) as ``(meta, origin)``.
    """
    options = options or IngestOptions()
    doc = _scrubbed(doc)
    reader_meta = {k: v for k, v in doc.meta.items() if k in _META_KEYS}
    meta, origin = merge([*layers, (reader_meta, doc.meta_origin)])
    if doc.scraped:
        cleaned = clean_text(doc.text, title=meta.get("title"))
        text, captions, removed = cleaned.text, cleaned.captions, cleaned.removed
        if "title" not in meta and cleaned.title:
            meta["title"], origin["title"] = cleaned.title, "first-line"
        if "authors" not in meta and cleaned.byline:
            authors = normalize_authors(cleaned.byline)
            if authors:
                meta["authors"], origin["authors"] = authors, "byline"
    else:  # already clean (e.g. extracted from HTML): only a repeated headline at the top goes
        text = unicodedata.normalize("NFC", doc.text or "").strip()
        captions, removed = [], []
        first, _, rest = text.partition("\n")
        if rest.strip() and same_title(first, meta.get("title")):
            removed.append(Removed(first, "repeated-title", 1))
            text = rest.strip()
    if "source" not in meta:
        host = url_source(meta.get("url"))
        if host:
            meta["source"], origin["source"] = host, "url-host"
        elif options.source:
            meta["source"], origin["source"] = options.source, "option"
        elif folder:
            meta["source"], origin["source"] = folder, "folder"
    if "published" not in meta and options.published:
        iso = normalize_date(options.published)
        if iso:
            meta["published"], origin["published"] = iso, "option"
    language = meta.get("language")
    if not language and detect_language is not None and text:
        try:
            language = detect_language(text)
        except Exception:  # a detector failure must not stop the run
            log.debug("language detection failed for %s", doc.origin, exc_info=True)
            language = None
        if language:
            origin["language"] = "detected"
    return Article(
        id=article_id,
        text=text,
        raw=doc.raw,
        path=doc.origin,
        title=meta.get("title"),
        source=meta.get("source"),
        url=meta.get("url"),
        published=meta.get("published"),
        authors=list(meta.get("authors") or []),
        language=language or None,
        captions=captions,
        removed=removed,
        meta_origin=origin,
        content_hash=chash or content_hash(doc.raw),
    )


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return [_scrub_value(v) for v in value]
    return value


def _scrubbed(doc: RawDoc) -> RawDoc:
    """``doc`` with text that always encodes as UTF-8 (a JSON ``\\ud800`` escape yields a lone
    surrogate, which no store or output file can hold) and a one-line origin."""
    return RawDoc(
        origin=one_line(doc.origin),
        text=scrub_text(doc.text or ""),
        raw=scrub_text(doc.raw or ""),
        meta={k: _scrub_value(v) for k, v in doc.meta.items()},
        meta_origin=doc.meta_origin,
        scraped=doc.scraped,
    )


def _read_docs(
    inp: Input, data: bytes, options: IngestOptions
) -> tuple[list[RawDoc], list[Skipped]]:
    """Run the reader; keep what it yielded before a failure, report the failure."""
    docs: list[RawDoc] = []
    skipped: list[Skipped] = []
    try:
        kind = "json" if inp.path is None else None  # "-": JSON Lines on stdin
        for item in dispatch(inp.origin, data, options, kind=kind):
            if isinstance(item, RawDoc):
                docs.append(item)
            elif isinstance(item, Skipped):  # tolerated: a reader reporting one bad record
                skipped.append(item)
            elif isinstance(item, BadInput):
                skipped.append(Skipped(inp.origin, item.reason, item.kind))
    except BadInput as exc:
        skipped.append(Skipped(inp.origin, exc.reason, exc.kind))
    except Exception as exc:  # a reader bug must not stop the run
        log.debug("%s: reader failed", inp.origin, exc_info=True)
        skipped.append(Skipped(inp.origin, f"reader failed: {type(exc).__name__}: {exc}", "error"))
    return docs, skipped


def _doc_id(doc: RawDoc, stem: str, index: int, multi: bool) -> str:
    own = doc.meta.get("id")
    if own not in (None, ""):
        return sanitize_id(str(own))
    if not multi:
        return sanitize_id(stem)
    if "#" in doc.origin:
        member = doc.origin.rsplit("#", 1)[1]
        if member and not re.match(r"(?:record|item|entry) ?\d+$", member):
            name = PurePosixPath(member).name
            return sanitize_id(Path(name).stem or name)
    return f"{sanitize_id(stem)}-{index}"


def _unique(article_id: str, used: set[str]) -> str:
    if article_id not in used:
        used.add(article_id)
        return article_id
    k = 2
    while f"{article_id}-{k}" in used:
        k += 1
    used.add(f"{article_id}-{k}")
    return f"{article_id}-{k}"


@dataclass
class _Outcome:
    """What one input produced (computed in a worker process when running in parallel)."""

    articles: list[Article]
    skipped: list[Skipped]
    read: bool = False
    unchanged: int = 0


@dataclass
class _Run:
    options: IngestOptions
    manifest: dict[str, dict[str, Any]]
    seen_hashes: Container[str]
    detect: Callable[[str], str | None] | None


_RUN: _Run | None = None  # set before forking worker processes (inherited, never pickled)

PARALLEL_MIN_INPUTS = 400  # below this a process pool costs more than it saves


def _process(inp: Input, run: _Run) -> _Outcome:
    """Read one input and build its articles (ids not yet made unique)."""
    out = _Outcome([], [])
    try:
        data = read_input(inp, run.options)
    except BadInput as exc:
        out.skipped.append(Skipped(inp.origin, exc.reason, exc.kind))
        return out
    out.read = True
    file_hash = content_hash(data)
    if file_hash in run.seen_hashes:
        out.unchanged = 1
        return out
    docs, bad = _read_docs(inp, data, run.options)
    out.skipped.extend(bad)
    out.unchanged = _add_docs(inp, docs, file_hash, run, out.articles, out.skipped)
    return out


def _process_chunk(chunk: list[Input]) -> list[_Outcome]:
    assert _RUN is not None
    return [_process(inp, _RUN) for inp in chunk]


def _workers(requested: int | None, inputs: list[Input]) -> int:
    if requested is not None:
        return max(1, requested)
    if len(inputs) < PARALLEL_MIN_INPUTS or any(i.path is None for i in inputs):
        return 1
    main = threading.main_thread()
    if any(t is not main and not t.daemon for t in threading.enumerate()):
        return 1  # forking a process with worker threads (a web server) is unsafe

    return max(1, min(os.cpu_count() or 1, 8))


def _outcomes(inputs: list[Input], run: _Run, workers: int) -> Iterator[_Outcome]:
    """Per-input outcomes in input order, from a fork-based process pool when ``workers`` > 1."""
    done = 0
    if workers > 1 and "fork" in mp.get_all_start_methods() and all(i.path for i in inputs):
        global _RUN
        _RUN = run
        size = max(1, min(64, len(inputs) // (workers * 8)))
        chunks = [inputs[i : i + size] for i in range(0, len(inputs), size)]
        try:
            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                for outcomes in pool.map(_process_chunk, chunks):
                    for out in outcomes:
                        done += 1
                        yield out
            return
        except (OSError, BrokenProcessPool) as exc:  # no worker processes here: go on in one
            log.warning("parallel ingest failed (%s); continuing in one process", exc)
        finally:
            _RUN = None
    for inp in inputs[done:]:
        yield _process(inp, run)


def ingest(
    paths: Sequence[str | Path],
    options: IngestOptions | None = None,
    seen_hashes: Container[str] = frozenset(),
    progress: Callable[[int, int | None], None] | None = None,
    *,
    workers: int | None = None,
    mapper: Callable[[list[Input], _Run], Iterator[_Outcome]] | None = None,
) -> IngestResult:
    """Read, clean and describe every article under ``paths`` (files, folders, globs, ``-``).

    Never raises on bad input: each one becomes a :class:`Skipped`. ``seen_hashes`` holds
    content hashes already stored; matching inputs are counted in ``unchanged``.
    ``progress(done, total)`` is called after each input. ``workers``: processes for the
    per-file work (default: one per CPU core for 400+ files, else 1); results and ids do not
    depend on it. ``mapper(inputs, run)``, when given, replaces the local per-input work: it
    yields each input's outcome of ``_process(input, run)``, in input order (the Ray engine).
    """
    options = options or IngestOptions()
    if isinstance(paths, str | Path):
        paths = [paths]
    manifest: dict[str, dict[str, Any]] = {}
    exclude: list[Path] = []
    if options.manifest is not None:
        manifest = load_manifest(Path(options.manifest))
        exclude.append(Path(options.manifest).resolve())
    found = list(discover(paths, exclude=exclude, follow_symlinks=options.follow_symlinks))
    inputs = [x for x in found if isinstance(x, Input)]
    skipped = [x for x in found if isinstance(x, Skipped)]
    total = None if any(i.path is None for i in inputs) else len(inputs)
    detect = _optional("language", "detect")
    n_workers = _workers(workers, inputs)
    if detect is not None and n_workers > 1:
        detect("Warm up the language model once before the worker processes start.")
    run = _Run(options, manifest, seen_hashes, detect)
    articles: list[Article] = []
    used: set[str] = set()
    files_read = unchanged = 0

    outcomes = mapper(inputs, run) if mapper else _outcomes(inputs, run, n_workers)
    for done, out in enumerate(outcomes, 1):
        files_read += out.read
        unchanged += out.unchanged
        skipped.extend(out.skipped)
        for art in out.articles:
            art.id = _unique(art.id, used)
            articles.append(art)
        if progress is not None:
            progress(done, total)

    for step, module, attr in (
        ("near-duplicate linking", "dedup", "link_duplicates"),
        ("outlet boilerplate removal", "boilerplate", "strip_recurring"),
    ):
        func = _optional(module, attr)
        if func is not None and articles:
            try:
                func(articles)
            except Exception:  # never fatal: the articles are still good
                log.warning("%s failed; continuing without it", step, exc_info=True)

    for s in skipped:
        s.path, s.reason = one_line(s.path), one_line(s.reason)
        log.warning("%s: skipped: %s", s.path, s.reason)
    return IngestResult(
        articles=articles, skipped=skipped, files_read=files_read, unchanged=unchanged
    )


def _add_docs(
    inp: Input,
    docs: list[RawDoc],
    file_hash: str,
    run: _Run,
    articles: list[Article],
    skipped: list[Skipped],
) -> int:
    """Build the articles of one input; returns how many records were already stored."""
    if not docs:
        return 0
    multi = len(docs) > 1
    # a sidecar describes a single-article file; a record of a JSON Lines file, a feed or an
    # archive keeps its own fields
    single = not multi and docs[0].origin == inp.origin
    side = read_sidecar(inp.path) if inp.path is not None and single else {}
    man = manifest_entry(run.manifest, inp.path, inp.origin)
    if multi:  # file-level metadata of a multi-record file: only the outlet applies to each record
        man = {k: v for k, v in man.items() if k == "source"}
    layers = [(man, "manifest"), (side, "sidecar")]
    folder = None
    if inp.root is not None and inp.path is not None and inp.path.parent != inp.root:
        folder = inp.path.parent.name
    stem = _stem(inp.origin, inp.path)
    unchanged = 0
    for index, doc in enumerate(docs, 1):
        chash = content_hash(doc.raw) if multi else file_hash
        if multi and chash in run.seen_hashes:
            unchanged += 1
            continue
        try:
            art = build_article(
                doc,
                _doc_id(doc, stem, index, multi),
                chash=chash,
                layers=layers,
                options=run.options,
                folder=folder,
                detect_language=run.detect,
            )
        except Exception as exc:  # defensive: one odd record never stops the run
            log.debug("%s: failed to build article", doc.origin, exc_info=True)
            skipped.append(Skipped(doc.origin, f"failed: {type(exc).__name__}: {exc}", "error"))
            continue
        if not art.text.strip():
            skipped.append(Skipped(doc.origin, "no article text left after cleaning", "empty"))
            continue
        articles.append(art)
    return unchanged
