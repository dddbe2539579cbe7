"""SQLite store: one file holding articles (raw and cleaned text, what cleaning removed),
per-article enrichment, stories, skipped inputs and clustering state, with FTS5 search.

Each article is stored once (keyed by id, and its content hash is unique), so re-running
over the same folder adds only what is new.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newsprism.model import (
    Article,
    Attribution,
    Clause,
    DateMention,
    Enriched,
    EntityMention,
    Event,
    Removed,
    Sentence,
    Skipped,
    Span,
    Story,
)

log = logging.getLogger(__name__)

SCHEMA = """
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
    meta_origin TEXT NOT NULL DEFAULT '{}',
    duplicate_of TEXT,
    seq INTEGER
);
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
CREATE INDEX IF NOT EXISTS story_articles_by_article ON story_articles(article_id);
CREATE TABLE IF NOT EXISTS skipped (
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

SCHEMA_VERSION = 1


class StoreError(RuntimeError):
    """The store file cannot be opened or is not a newsprism store."""


class Store:
    """A newsprism SQLite store. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL") if self.path != ":memory:" else None
            self.db.executescript(SCHEMA)
            self._set_state("schema_version", SCHEMA_VERSION, commit=True)
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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- articles ---------------------------------------------------------------------------

    def content_hashes(self) -> set[str]:
        return {h for (h,) in self.db.execute("SELECT content_hash FROM articles") if h}

    def article_paths(self) -> dict[str, str | None]:
        return dict(self.db.execute("SELECT id, path FROM articles").fetchall())

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Store articles; an id already present is updated in place (keeping its position).

        An article whose content hash is already stored under another id is not stored again
        (logged); returns how many articles were written.
        """
        (seq,) = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()
        cols = (
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
        sql = (
            f"INSERT INTO articles (id, {', '.join(cols)}, seq) VALUES ({', '.join('?' * (len(cols) + 2))})"
            f" ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols)}"
        )
        n = 0
        with self.db:
            for a in articles:
                seq += 1
                values = (
                    a.id,
                    a.content_hash,
                    a.path,
                    a.title,
                    a.source,
                    a.url,
                    a.published,
                    json.dumps(a.authors),
                    a.language,
                    a.raw,
                    a.text,
                    json.dumps(a.captions),
                    json.dumps([asdict(r) for r in a.removed]),
                    json.dumps(a.meta_origin),
                    a.duplicate_of,
                    seq,
                )
                try:
                    self.db.execute(sql, values)
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

    def set_duplicates(self, links: dict[str, str | None]) -> None:
        with self.db:
            self.db.executemany(
                "UPDATE articles SET duplicate_of = ? WHERE id = ?",
                [(dup, aid) for aid, dup in links.items()],
            )

    def set_sources(self, sources: dict[str, str]) -> None:
        with self.db:
            self.db.executemany(
                "UPDATE articles SET source = ? WHERE id = ?",
                [(src, aid) for aid, src in sources.items()],
            )

    def articles(self) -> list[Article]:
        """All stored articles, in the order they were first stored."""
        return list(self._iter_articles("SELECT * FROM articles ORDER BY seq"))

    def _iter_articles(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[Article]:
        cur = self.db.execute(sql, params)
        cols = [c[0] for c in cur.description]
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
        """Full-text search (FTS5 syntax); returns ``(article id, snippet)`` pairs, best first."""
        try:
            rows = self.db.execute(
                "SELECT a.id, snippet(articles_fts, 1, '[', ']', '…', 12) FROM articles_fts"
                " JOIN articles a ON a.rowid = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}") from exc
        return [(r[0], r[1]) for r in rows]

    # -- enrichment -------------------------------------------------------------------------

    def add_enrichment(self, items: Iterable[Enriched]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO enrichment (article_id, data) VALUES (?, ?)",
                [(e.article_id, json.dumps(enriched_to_dict(e))) for e in items],
            )

    def delete_enrichment(self, article_ids: Iterable[str]) -> None:
        with self.db:
            self.db.executemany(
                "DELETE FROM enrichment WHERE article_id = ?", [(i,) for i in article_ids]
            )

    def enrichment(self) -> dict[str, Enriched]:
        return {
            aid: enriched_from_dict(aid, json.loads(data))
            for aid, data in self.db.execute("SELECT article_id, data FROM enrichment")
        }

    # -- stories ----------------------------------------------------------------------------

    def replace_stories(self, stories: list[Story], data: list[dict[str, Any]]) -> None:
        """Replace all stories with ``stories`` (``data`` holds each story's JSON form)."""
        with self.db:
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM stories")
            for story, d in zip(stories, data, strict=True):
                self.db.execute(
                    "INSERT INTO stories (id, title, data) VALUES (?, ?, ?)",
                    (story.id, story.title, json.dumps(d)),
                )
                self.db.executemany(
                    "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                    [(story.id, a) for a in story.articles],
                )

    def stories(self) -> list[dict[str, Any]]:
        return [json.loads(d) for (d,) in self.db.execute("SELECT data FROM stories ORDER BY id")]

    # -- skipped inputs and state -----------------------------------------------------------

    def add_skipped(self, skipped: Iterable[Skipped]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO skipped (path, kind, reason) VALUES (?, ?, ?)",
                [(s.path, s.kind, s.reason) for s in skipped],
            )

    # -- sentence embeddings (keyed by a hash of encoder + text; see newsprism.nlp.embed) ------

    def get_embeddings(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        keys = list(keys)
        out: dict[bytes, bytes] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(
                self.db.execute(f"SELECT key, vec FROM embeddings WHERE key IN ({marks})", part)
            )
        return out

    def put_embeddings(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO embeddings (key, vec) VALUES (?, ?)", items)

    def get_state(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        self._set_state(key, value, commit=True)

    def _set_state(self, key: str, value: Any, commit: bool) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, json.dumps(value))
        )
        if commit:
            self.db.commit()

    def counts(self) -> dict[str, int]:
        return {
            t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("articles", "enrichment", "stories", "skipped")
        }

    # -- reads for the web app and exports (newsprism.web, newsprism.store.export) -------------

    def data_version(self) -> int:
        """Changes whenever another connection commits to the store (SQLite ``data_version``)."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def story(self, story_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def iter_stories(self, story_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Stories one at a time (a cursor, not a list), or only ``story_id``."""
        sql, params = "SELECT data FROM stories ORDER BY id", ()
        if story_id is not None:
            sql, params = "SELECT data FROM stories WHERE id = ?", (story_id,)
        for (data,) in self.db.execute(sql, params):
            yield json.loads(data)

    def story_summaries(self) -> list[dict[str, Any]]:
        """One light row per story, computed in SQL without loading whole stories: ``id``,
        ``title``, ``first_published``, ``last_published``, ``size`` (articles), ``outlets``,
        ``entities`` (names), ``statuses`` (of its facts) and ``last_seq`` (newest article)."""
        last_seq = dict(
            self.db.execute(
                "SELECT sa.story_id, MAX(a.seq) FROM story_articles sa"
                " JOIN articles a ON a.id = sa.article_id GROUP BY sa.story_id"
            ).fetchall()
        )
        out = []
        for sid, title, data in self.db.execute("SELECT id, title, data FROM stories ORDER BY id"):
            d = json.loads(data)  # one parse per story (SQLite's JSON functions parse per call)
            entities = d.get("entities") or []
            facts = d.get("facts") or []
            out.append(
                {
                    "id": sid,
                    "title": title,
                    "first_published": d.get("first_published"),
                    "last_published": d.get("last_published"),
                    "size": len(d.get("articles") or []),
                    "outlets": [o for o in d.get("outlets") or [] if isinstance(o, str)],
                    "entities": [
                        e["name"] for e in entities if isinstance(e, dict) and isinstance(e.get("name"), str)
                    ],
                    "statuses": sorted(
                        {f["status"] for f in facts if isinstance(f, dict) and isinstance(f.get("status"), str)}
                    ),
                    "last_seq": last_seq.get(sid) or 0,
                }
            )
        return out

    def search_rowids(self, query: str, limit: int | None = None, ranked: bool = True) -> list[int]:
        """Row ids (``articles.rowid``) of the articles matching ``query`` (FTS5 syntax), best
        match first when ``ranked`` (scoring every match), else in storage order."""
        sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
        params: tuple[Any, ...] = (query,)
        if ranked:
            sql += " ORDER BY rank"
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        try:
            return [r for (r,) in self.db.execute(sql, params)]
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}") from exc

    def story_memberships(self) -> list[tuple[int, str, str]]:
        """``(article rowid, article id, story id)`` for every article of every story."""
        return self.db.execute(
            "SELECT a.rowid, a.id, sa.story_id FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id"
        ).fetchall()

    def article(self, article_id: str) -> Article | None:
        return next(self._iter_articles("SELECT * FROM articles WHERE id = ?", (article_id,)), None)

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = tuple(ids[i : i + 500])
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT * FROM articles WHERE id IN ({marks})"
            found.update((a.id, a) for a in self._iter_articles(sql, chunk))
        return found

    def iter_articles(
        self, story_id: str | None = None, since: str | None = None
    ) -> Iterator[tuple[Article, list[str]]]:
        """Articles one at a time in store order with the ids of their stories, optionally only
        those of ``story_id`` and those published on or after ``since`` (ISO date)."""
        where, params = ["1 = 1"], []
        if story_id is not None:
            where.append("id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
            params.append(story_id)
        if since is not None:
            where.append("published >= ?")
            params.append(since)
        sql = f"SELECT * FROM articles WHERE {' AND '.join(where)} ORDER BY seq"
        reader = self.db.cursor()
        for a in self._iter_articles(sql, tuple(params)):
            stories = [
                s for (s,) in reader.execute(
                    "SELECT story_id FROM story_articles WHERE article_id = ?", (a.id,)
                )
            ]
            yield a, stories

    def article_stories(self, article_id: str) -> list[str]:
        return [
            s
            for (s,) in self.db.execute(
                "SELECT story_id FROM story_articles WHERE article_id = ? ORDER BY story_id",
                (article_id,),
            )
        ]

    def enrichment_of(self, ids: Iterable[str]) -> dict[str, Enriched]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, Enriched] = {}
        for i in range(0, len(ids), 500):
            chunk = tuple(ids[i : i + 500])
            marks = ", ".join("?" * len(chunk))
            for aid, data in self.db.execute(
                f"SELECT article_id, data FROM enrichment WHERE article_id IN ({marks})", chunk
            ):
                found[aid] = enriched_from_dict(aid, json.loads(data))
        return found

    def article_index(self) -> list[dict[str, Any]]:
        """One light row per article: ``id``, ``title``, ``source``, ``published``, ``seq``,
        ``rowid``."""
        return [
            {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "seq": r[4] or 0, "rowid": r[5]}
            for r in self.db.execute(
                "SELECT id, title, source, published, seq, rowid FROM articles ORDER BY seq"
            )
        ]

    def outlets(self, story_id: str | None = None, since: str | None = None) -> list[str]:
        """Distinct outlet names (sorted), optionally of one story's articles / since a date."""
        where, params = ["source IS NOT NULL"], []
        if story_id is not None:
            where.append("id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
            params.append(story_id)
        if since is not None:
            where.append("published >= ?")
            params.append(since)
        sql = f"SELECT DISTINCT source FROM articles WHERE {' AND '.join(where)} ORDER BY source"
        return [s for (s,) in self.db.execute(sql, tuple(params))]


# -- (de)serialisation of enrichment ---------------------------------------------------------


def _span(d: dict[str, Any] | None) -> Span | None:
    return Span(d["start"], d["end"], d["text"]) if d else None


def enriched_to_dict(e: Enriched) -> dict[str, Any]:
    return {
        "sentences": [[s.start, s.end] for s in e.sentences],
        "entities": [asdict(m) for m in e.entities],
        "dates": [asdict(d) for d in e.dates],
        "attributions": [a.to_dict() for a in e.attributions],
        "events": [ev.to_dict() for ev in e.events],
        "sentence_text": [s.text for s in e.sentences],
        "clauses": [asdict(c) for c in e.clauses],
    }


def enriched_from_dict(article_id: str, d: dict[str, Any]) -> Enriched:
    texts = d.get("sentence_text") or []
    return Enriched(
        article_id=article_id,
        sentences=[
            Sentence(s, e, texts[i] if i < len(texts) else "")
            for i, (s, e) in enumerate(d.get("sentences", []))
        ],
        entities=[EntityMention(**m) for m in d.get("entities", [])],
        dates=[DateMention(**x) for x in d.get("dates", [])],
        attributions=[
            Attribution(
                source=_span(a["source"]),
                cue=_span(a["cue"]),
                content=[Span(c["start"], c["end"], c["text"]) for c in a["content"]],
                speaker=a["speaker"],
                kind=a["kind"],
                via=a.get("via"),
                reporting=a.get("reporting", True),
            )
            for a in d.get("attributions", [])
        ],
        events=[Event.from_dict(ev) for ev in d.get("events", [])],
        clauses=[Clause(**c) for c in d.get("clauses", [])],
    )
