"""PostgreSQL store: the same tables and behaviour as the SQLite store, on a shared server.

Several writers (processes, machines, the web app) may use one database at once. Every
article is stored exactly once: ``id`` is the primary key and ``content_hash`` is unique, and
writes go through ``INSERT ... ON CONFLICT``, so overlapping writers neither lose nor double
an article. A batch that the server aborts for a deadlock or a serialization conflict is
retried whole. Search uses PostgreSQL full-text search (``websearch_to_tsquery``: words,
``"phrases"``, ``or``, ``-word``) over a stored ``tsvector`` column with a GIN index.

Text columns cannot hold NUL characters in PostgreSQL; a NUL in a text field is stored as
U+FFFD (one character for one, so every offset stays valid).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import Any, TypeVar

import psycopg
from psycopg import errors

from newsprism.model import Article, Enriched, Removed, Skipped, Story
from newsprism.store.base import store_label
from newsprism.store.sqlite import SCHEMA_VERSION, StoreError, enriched_from_dict, enriched_to_dict

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Characters of an article indexed for search (a tsvector is limited to 1 MB).
FTS_CHARS = 200_000
#: A batch aborted by a deadlock or serialization failure is retried this many times.
RETRIES = 8
_SCHEMA_LOCK = 7_274_001  # advisory lock keys (any fixed numbers)
_STORIES_LOCK = 7_274_002

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT UNIQUE,
    path TEXT,
    title TEXT,
    source TEXT,
    url TEXT,
    published TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    language TEXT,
    raw TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]',
    removed TEXT NOT NULL DEFAULT '[]',
    meta_origin TEXT NOT NULL DEFAULT '{{}}',
    duplicate_of TEXT,
    seq BIGSERIAL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', left(text, {FTS_CHARS})), 'B')
    ) STORED
);
CREATE INDEX IF NOT EXISTS articles_seq_idx ON articles (seq);
CREATE INDEX IF NOT EXISTS articles_tsv_idx ON articles USING GIN (tsv);
CREATE TABLE IF NOT EXISTS enrichment (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_articles (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, article_id)
);
CREATE TABLE IF NOT EXISTS skipped (
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS embeddings (
    key BYTEA PRIMARY KEY,
    vec BYTEA NOT NULL
);
"""

_COLS = (
    "content_hash",
    "path",
    "title",
    "source",
    "url",
    "published",
    "authors",
    "language",
    "raw",
    "text",
    "captions",
    "removed",
    "meta_origin",
    "duplicate_of",
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles (id, {', '.join(_COLS)}) VALUES ({', '.join(['%s'] * (len(_COLS) + 1))})"
    f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _COLS)}"
)
_ARTICLE_SELECT = f"SELECT id, {', '.join(_COLS)} FROM articles"


def _clean(value: str | None) -> str | None:
    return value.replace("\x00", "\ufffd") if value and "\x00" in value else value


class PostgresStore:
    """A newsprism store in a PostgreSQL database (``postgresql://user@host:port/dbname``).

    Use as a context manager or call :meth:`close`. The tables are created when missing.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = store_label(url)
        try:
            self.db = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect to PostgreSQL ({exc})") from exc
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                self.db.execute(SCHEMA)
            self.set_state("schema_version", SCHEMA_VERSION)
        except psycopg.Error as exc:
            self.db.close()
            raise StoreError(f"{self.path}: cannot open as a newsprism store ({exc})") from exc

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _write(self, work: Callable[[], T]) -> T:
        """Run ``work`` in one transaction, retried whole when the server aborts it for a
        deadlock or a serialization conflict with another writer."""
        for attempt in range(RETRIES + 1):
            try:
                with self.db.transaction():
                    return work()
            except (errors.DeadlockDetected, errors.SerializationFailure) as exc:
                if attempt == RETRIES:
                    raise StoreError(f"{self.path}: write failed after retries ({exc})") from exc
                log.info("write conflict with another writer (%s); retrying", type(exc).__name__)
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    # -- articles ---------------------------------------------------------------------------

    def content_hashes(self) -> set[str]:
        return {h for (h,) in self.db.execute("SELECT content_hash FROM articles").fetchall() if h}

    def article_paths(self) -> dict[str, str | None]:
        return dict(self.db.execute("SELECT id, path FROM articles").fetchall())

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Store articles; an id already present is updated in place (keeping its position).

        An article whose content hash is already stored under another id is not stored again
        (logged); returns how many articles were written."""
        rows = [
            (
                a.id,
                a.content_hash,
                a.path,
                _clean(a.title),
                _clean(a.source),
                a.url,
                a.published,
                json.dumps(a.authors),
                a.language,
                _clean(a.raw) or "",
                _clean(a.text) or "",
                json.dumps(a.captions),
                json.dumps([asdict(r) for r in a.removed]),
                json.dumps(a.meta_origin),
                a.duplicate_of,
            )
            for a in articles
        ]

        def work() -> int:
            n = 0
            for row in rows:
                try:
                    with self.db.transaction():  # a savepoint: one clash skips one article
                        self.db.execute(_INSERT_ARTICLE, row)
                except errors.UniqueViolation:
                    log.info(
                        "%s: same content as an article already stored; not stored again",
                        row[2] or row[0],
                    )
                    continue
                n += 1
            return n

        return self._write(work)

    def set_duplicates(self, links: dict[str, str | None]) -> None:
        self._update_column("duplicate_of", links)

    def set_sources(self, sources: dict[str, str]) -> None:
        self._update_column("source", sources)

    def _update_column(self, column: str, values: dict[str, Any]) -> None:
        rows = [(v, k) for k, v in sorted(values.items())]  # one order: no deadlocks

        def work() -> None:
            with self.db.cursor() as cur:
                cur.executemany(f"UPDATE articles SET {column} = %s WHERE id = %s", rows)

        self._write(work)

    def articles(self) -> list[Article]:
        """All stored articles, in the order they were first stored."""
        return list(self._iter_articles(f"{_ARTICLE_SELECT} ORDER BY seq"))

    def _iter_articles(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[Article]:
        with self.db.cursor() as cur:
            cur.execute(sql, params)
            cols = [c.name for c in cur.description or ()]
            for row in cur:
                r = dict(zip(cols, row, strict=True))
                yield Article(
                    id=r["id"],
                    text=r["text"],
                    raw=r["raw"],
                    path=r["path"],
                    title=r["title"],
                    source=r["source"],
                    url=r["url"],
                    published=r["published"],
                    authors=json.loads(r["authors"]),
                    language=r["language"],
                    captions=json.loads(r["captions"]),
                    removed=[Removed(**x) for x in json.loads(r["removed"])],
                    meta_origin=json.loads(r["meta_origin"]),
                    content_hash=r["content_hash"],
                    duplicate_of=r["duplicate_of"],
                )

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search (web-search syntax: words, ``"a phrase"``, ``or``, ``-word``);
        returns ``(article id, snippet)`` pairs, best first, matches marked ``[like this]``."""
        try:
            rows = self.db.execute(
                "SELECT a.id, ts_headline('english', a.text, q,"
                " 'StartSel=[, StopSel=], MaxWords=14, MinWords=6, MaxFragments=1')"
                " FROM articles a, websearch_to_tsquery('english', %s) q"
                " WHERE a.tsv @@ q ORDER BY ts_rank(a.tsv, q) DESC, a.seq LIMIT %s",
                (_clean(query), limit),
            ).fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"bad search query {query!r}: {exc}") from exc
        return [(r[0], r[1]) for r in rows]

    # -- enrichment -------------------------------------------------------------------------

    def add_enrichment(self, items: Iterable[Enriched]) -> None:
        rows = sorted((e.article_id, json.dumps(enriched_to_dict(e))) for e in items)

        def work() -> None:
            with self.db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO enrichment (article_id, data) VALUES (%s, %s)"
                    " ON CONFLICT (article_id) DO UPDATE SET data = excluded.data",
                    rows,
                )

        self._write(work)

    def delete_enrichment(self, article_ids: Iterable[str]) -> None:
        ids = sorted(set(article_ids))
        self._write(
            lambda: self.db.execute("DELETE FROM enrichment WHERE article_id = ANY(%s)", (ids,))
        )

    def enrichment(self) -> dict[str, Enriched]:
        rows = self.db.execute("SELECT article_id, data FROM enrichment").fetchall()
        return {aid: enriched_from_dict(aid, json.loads(data)) for aid, data in rows}

    # -- stories ----------------------------------------------------------------------------

    def replace_stories(self, stories: list[Story], data: list[dict[str, Any]]) -> None:
        """Replace all stories with ``stories`` (``data`` holds each story's JSON form).

        Writers replacing stories at the same time take turns (the last one wins whole)."""
        pairs = list(zip(stories, data, strict=True))

        def work() -> None:
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_STORIES_LOCK,))
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM stories")
            with self.db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO stories (id, title, data) VALUES (%s, %s, %s)",
                    [(s.id, _clean(s.title) or "", json.dumps(d)) for s, d in pairs],
                )
                cur.executemany(
                    "INSERT INTO story_articles (story_id, article_id) VALUES (%s, %s)",
                    [(s.id, a) for s, _ in pairs for a in s.articles],
                )

        self._write(work)

    def stories(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT data FROM stories ORDER BY id").fetchall()
        return [json.loads(d) for (d,) in rows]

    # -- sentence embeddings (a cache keyed by the text's hash) ------------------------------

    def get_embeddings(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        wanted = list(keys)
        out: dict[bytes, bytes] = {}
        for i in range(0, len(wanted), 1000):
            rows = self.db.execute(
                "SELECT key, vec FROM embeddings WHERE key = ANY(%s)", (wanted[i : i + 1000],)
            ).fetchall()
            out.update((bytes(k), bytes(v)) for k, v in rows)
        return out

    def put_embeddings(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        rows = sorted(dict(items).items())

        def work() -> None:
            with self.db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO embeddings (key, vec) VALUES (%s, %s)"
                    " ON CONFLICT (key) DO UPDATE SET vec = excluded.vec",
                    rows,
                )

        self._write(work)

    # -- skipped inputs and state -----------------------------------------------------------

    def add_skipped(self, skipped: Iterable[Skipped]) -> None:
        rows = [(_clean(s.path), _clean(s.kind), _clean(s.reason)) for s in skipped]
        if not rows:
            return

        def work() -> None:
            with self.db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO skipped (path, kind, reason) VALUES (%s, %s, %s)", rows
                )

        self._write(work)

    def get_state(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM state WHERE key = %s", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        self._write(
            lambda: self.db.execute(
                "INSERT INTO state (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )
        )

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for t in ("articles", "enrichment", "stories", "skipped"):
            row = self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()
            out[t] = int(row[0]) if row else 0
        return out
