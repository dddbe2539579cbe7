"""SQLite store: one file holding articles (raw and cleaned text, what cleaning removed),
per-article enrichment, stories, skipped inputs and clustering state, with FTS5 search.

Each article is stored once (keyed by id, and its content hash is unique), so re-running
over the same folder adds only what is new. The queries are shared with the PostgreSQL store
(:mod:`newsprism.store.sql`); this module holds the schema and the connection.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from newsprism.model import Article
from newsprism.store.base import SCHEMA_VERSION, StoreError
from newsprism.store.sql import (
    ARTICLE_COLS,
    SHARED_TABLES,
    SQLITE,
    SQLStore,
    article_values,
    articles_table,
    upsert_sql,
)

__all__ = [
    "SCHEMA_VERSION",
    "Store",
    "StoreError",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

SCHEMA = (
    articles_table("INTEGER")
    + SHARED_TABLES
    + """CREATE TABLE IF NOT EXISTS skipped (
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS embeddings (
    key BLOB PRIMARY KEY,
    vec BLOB NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
"""
)

_INSERT_ARTICLE = upsert_sql("articles", ("id", *ARTICLE_COLS, "seq"), "id", ARTICLE_COLS)


class Store(SQLStore):
    """A newsprism SQLite store. Use as a context manager or call :meth:`close`."""

    dialect = SQLITE
    query_errors = (sqlite3.OperationalError,)

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL") if self.path != ":memory:" else None
            self.db.executescript(SCHEMA)
            self.set_state("schema_version", SCHEMA_VERSION)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as a newsprism store ({exc})") from exc

    @classmethod
    def reader(cls, path: str | Path) -> Store:
        """An existing store opened for reading only: no schema or state is written, so many
        readers (the web app's threads) never disturb one another."""
        store = cls.__new__(cls)
        store.path = str(path)
        try:
            uri = Path(path).resolve().as_uri() + "?mode=ro"
            store.db = sqlite3.connect(uri, uri=True)
            store.db.execute("SELECT COUNT(*) FROM stories").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open as a newsprism store ({exc})") from exc
        return store

    def close(self) -> None:
        self.db.close()

    # -- connection hooks of SQLStore --------------------------------------------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        yield from self.db.execute(sql, params)  # a fresh cursor, read lazily

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(sql, params)

    def _exec_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)

    def _write(self, work: Callable[[], T]) -> T:
        with self.db:
            return work()

    def data_version(self) -> int:
        """Changes whenever another connection commits to the store (SQLite ``data_version``)."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    # -- articles ---------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Store articles; an id already present is updated in place (keeping its position).

        An article whose content hash is already stored under another id is not stored again
        (logged); returns how many articles were written.
        """
        (seq,) = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()
        n = 0
        with self.db:
            for a in articles:
                seq += 1
                try:
                    self.db.execute(_INSERT_ARTICLE, (*article_values(a, _same), seq))
                except sqlite3.IntegrityError:
                    log.info(
                        "%s: same content as an article already stored; not stored again",
                        a.path or a.id,
                    )
                    continue
                except (ValueError, OverflowError, sqlite3.InterfaceError) as exc:
                    # one article that cannot be stored (text that is not UTF-8...) is left out
                    # alone; it never rolls back the others
                    log.warning("%s: not stored: %s", a.path or a.id, exc)
                    continue
                n += 1
        return n


def _same(value: str | None) -> str | None:
    return value
