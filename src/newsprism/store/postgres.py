"""PostgreSQL store: the same tables and behaviour as the SQLite store, on a shared server.

Several writers (processes, machines, the web app) may use one database at once. Every
article is stored exactly once: ``id`` is the primary key and ``content_hash`` is unique, and
writes go through ``INSERT ... ON CONFLICT``, so overlapping writers neither lose nor double
an article. A batch that the server aborts for a deadlock or a serialization conflict is
retried whole. Search uses PostgreSQL full-text search (``websearch_to_tsquery``: words,
``"phrases"``, ``or``, ``-word``) over a stored ``tsvector`` column with a GIN index.

The queries are shared with the SQLite store (:mod:`newsprism.store.sql`); this module holds
the schema, the connection, the retries and the locks. Text columns cannot hold NUL characters
in PostgreSQL; a NUL in a text field is stored as U+FFFD (one character for one, so every
offset stays valid). Every committed write advances the sequence ``data_version``, which
:meth:`PostgresStore.data_version` reads (the web app rebuilds its index when it moves).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg import errors

from newsprism.model import Article
from newsprism.store.base import SCHEMA_VERSION, StoreError, store_label
from newsprism.store.sql import (
    ARTICLE_COLS,
    POSTGRES,
    SHARED_TABLES,
    SQLStore,
    article_values,
    articles_table,
    upsert_sql,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Characters of an article indexed for search (a tsvector is limited to 1 MB).
FTS_CHARS = 200_000
#: A batch aborted by a deadlock or serialization failure is retried this many times.
RETRIES = 8
#: Rows fetched at a time by a streaming read (a server-side cursor).
ITERSIZE = 500
_SCHEMA_LOCK = 7_274_001  # advisory lock keys (any fixed numbers)
_STORIES_LOCK = 7_274_002
_cursor_names = itertools.count()

_TSV = f""",
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', left(text, {FTS_CHARS})), 'B')
    ) STORED"""

SCHEMA = f"""
{articles_table("BIGSERIAL", _TSV)}CREATE INDEX IF NOT EXISTS articles_seq_idx ON articles (seq);
CREATE INDEX IF NOT EXISTS articles_tsv_idx ON articles USING GIN (tsv);
{SHARED_TABLES}CREATE TABLE IF NOT EXISTS skipped (
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
CREATE SEQUENCE IF NOT EXISTS data_version;
"""

_INSERT_ARTICLE = POSTGRES.sql(upsert_sql("articles", ("id", *ARTICLE_COLS), "id", ARTICLE_COLS))


def _clean(value: str | None) -> str | None:
    return value.replace("\x00", "\ufffd") if value and "\x00" in value else value


class PostgresStore(SQLStore):
    """A newsprism store in a PostgreSQL database (``postgresql://user@host:port/dbname``).

    Use as a context manager or call :meth:`close`. The tables are created when missing.
    """

    dialect = POSTGRES
    query_errors = (psycopg.Error,)
    shared_version = True

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = store_label(url)
        self.db = self._connect(url)
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                self.db.execute(SCHEMA)
            self.set_state("schema_version", SCHEMA_VERSION)
        except psycopg.Error as exc:
            self.db.close()
            raise StoreError(f"{self.path}: cannot open as a newsprism store ({exc})") from exc

    @classmethod
    def reader(cls, url: str) -> PostgresStore:
        """An existing store opened for reading only (read-only transactions; no schema or
        state written), one per web-app thread or export."""
        store = cls.__new__(cls)
        store.url = url
        store.path = store_label(url)
        store.db = cls._connect(url, options="-c default_transaction_read_only=on")
        try:
            store.db.execute("SELECT COUNT(*) FROM stories").fetchone()
        except psycopg.Error as exc:
            store.db.close()
            raise StoreError(f"{store.path}: cannot open as a newsprism store ({exc})") from exc
        return store

    @staticmethod
    def _connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(url, autocommit=True, **kwargs)
        except psycopg.Error as exc:
            raise StoreError(f"{store_label(url)}: cannot connect to PostgreSQL ({exc})") from exc

    def close(self) -> None:
        self.db.close()

    # -- connection hooks of SQLStore --------------------------------------------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(POSTGRES.sql(sql), params).fetchall()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        # a server-side cursor (it lives in a transaction), so a large read streams
        with self.db.transaction(), self.db.cursor(name=f"newsprism_{next(_cursor_names)}") as cur:
            cur.itersize = ITERSIZE
            cur.execute(POSTGRES.sql(sql), params)
            yield from cur

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(POSTGRES.sql(sql), params)

    def _exec_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.db.cursor() as cur:
                cur.executemany(POSTGRES.sql(sql), rows)

    def _write(self, work: Callable[[], T]) -> T:
        """Run ``work`` in one transaction, retried whole when the server aborts it for a
        deadlock or a serialization conflict with another writer; then advance
        ``data_version`` (after the commit, so a reader that sees the new version sees the
        data too)."""
        for attempt in range(RETRIES + 1):
            try:
                with self.db.transaction():
                    out = work()
                break
            except (errors.DeadlockDetected, errors.SerializationFailure) as exc:
                if attempt == RETRIES:
                    raise StoreError(f"{self.path}: write failed after retries ({exc})") from exc
                log.info("write conflict with another writer (%s); retrying", type(exc).__name__)
                time.sleep(0.05 * (attempt + 1))
        self.db.execute("SELECT nextval('data_version')")
        return out

    def _text(self, value: str | None) -> str | None:
        return _clean(value)

    def _lock_stories(self) -> None:
        self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_STORIES_LOCK,))

    def data_version(self) -> int:
        """Changes whenever a writer commits to the store (the ``data_version`` sequence)."""
        row = self.db.execute("SELECT last_value, is_called FROM data_version").fetchone()
        return int(row[0]) if row and row[1] else 0

    # -- articles ---------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Store articles; an id already present is updated in place (keeping its position).

        An article whose content hash is already stored under another id is not stored again
        (logged); returns how many articles were written."""
        rows = [article_values(a, _clean) for a in articles]

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
