"""The store's queries, written once for both backends.

:class:`SQLStore` implements every store method (articles, enrichment, stories, state,
embeddings, and the reads of the web app and the exports) over a :class:`Dialect` and a few
connection hooks that each backend supplies (:mod:`newsprism.store.sqlite`,
:mod:`newsprism.store.postgres`). Queries are written with ``?`` placeholders;
:meth:`Dialect.sql` turns them into the backend's own (``%s`` for psycopg).

What differs between the backends is declared in their :class:`Dialect`, side by side:

- placeholders: ``?`` (sqlite3) and ``%s`` (psycopg);
- the integer that names an article row in search results: SQLite's ``rowid`` (the FTS5
  table's key), PostgreSQL's ``seq``;
- full-text search: SQLite's FTS5 (``MATCH``, FTS5 query syntax, ``snippet()``, ``rank``)
  against PostgreSQL's stored ``tsvector`` (``websearch_to_tsquery``: words, ``"phrases"``,
  ``or``, ``-word``; ``ts_headline``, ``ts_rank``); both mark matches ``[like this]``.

Everything else (upserts with ``ON CONFLICT ... DO UPDATE``, ``IN`` lists in chunks, the
filters of the exports) is the same SQL on both.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, TypeVar

from newsprism.model import Article, Enriched, Removed, Skipped, Story
from newsprism.store.base import StoreError, StoryOutline
from newsprism.text import content_hash

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Columns of ``articles`` besides ``id`` (and the backend's ``seq``), in write order.
ARTICLE_COLS = (
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
ARTICLE_SELECT = f"SELECT id, {', '.join(ARTICLE_COLS)} FROM articles"
CHUNK = 500  #: ids per ``IN (...)`` list
TABLES = ("articles", "enrichment", "stories", "skipped")


def articles_table(seq: str, search: str = "") -> str:
    """The articles table: alike in both backends but for the type of ``seq`` (the order of
    arrival) and the backend's own search columns (``search``, comma-led)."""
    return f"""CREATE TABLE IF NOT EXISTS articles (
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
    seq {seq}{search}
);
"""


#: the other tables both backends declare alike (search, skipped inputs, state and embeddings
#: differ in types, defaults and search machinery: see each backend's SCHEMA)
SHARED_TABLES = """CREATE TABLE IF NOT EXISTS enrichment (
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
CREATE INDEX IF NOT EXISTS story_articles_by_article ON story_articles (article_id);
"""


@dataclass(frozen=True)
class Dialect:
    """What one backend's SQL does differently (see the module docstring)."""

    name: str
    placeholder: str
    #: the integer naming an article row in :meth:`SQLStore.search_rowids`
    rowid: str
    #: ``(query, limit)`` -> ``(article id, snippet)``, best first
    search_hits: str
    #: ``(query)`` -> row ids of the matching articles (``ranked``/``unranked`` is appended)
    search_match: str
    ranked: str
    unranked: str
    #: after ``ORDER BY`` a text column: byte order on both (PostgreSQL would use the locale)
    collate: str = ""
    #: one top-level member of the JSON text in column ``data``, as JSON text (an array or
    #: object; a string member comes as the string itself; ``{key}``: its name; NULL when
    #: absent or null)
    json_member: str = "json_extract(data, '$.{key}')"

    def sql(self, text: str) -> str:
        """``text`` (written with ``?`` placeholders) in this backend's placeholder style."""
        return _convert(text, self.placeholder)


@lru_cache(maxsize=512)
def _convert(text: str, placeholder: str) -> str:
    if placeholder == "?":
        return text
    # psycopg: a literal % is written %%; no query here has a ? inside a string literal
    return text.replace("%", "%%").replace("?", placeholder)


SQLITE = Dialect(
    name="sqlite",
    placeholder="?",
    rowid="rowid",
    search_hits=(
        "SELECT a.id, snippet(articles_fts, 1, '[', ']', '…', 12) FROM articles_fts"
        " JOIN articles a ON a.rowid = articles_fts.rowid"
        " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
    ),
    search_match="SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
    ranked=" ORDER BY rank",
    unranked="",  # the FTS index's own order: storage order
)

POSTGRES = Dialect(
    name="postgresql",
    placeholder="%s",
    rowid="seq",
    search_hits=(
        "SELECT a.id, ts_headline('english', a.text, q,"
        " 'StartSel=[, StopSel=], MaxWords=14, MinWords=6, MaxFragments=1')"
        " FROM articles a, websearch_to_tsquery('english', ?) q"
        " WHERE a.tsv @@ q ORDER BY ts_rank(a.tsv, q) DESC, a.seq LIMIT ?"
    ),
    search_match=(
        "SELECT a.seq FROM articles a, websearch_to_tsquery('english', ?) q WHERE a.tsv @@ q"
    ),
    ranked=" ORDER BY ts_rank(a.tsv, q) DESC, a.seq",
    unranked=" ORDER BY a.seq",
    collate=' COLLATE "C"',
    json_member="(data::json ->> '{key}')",
)


def upsert_sql(table: str, cols: Sequence[str], key: str, update: Sequence[str]) -> str:
    """``INSERT`` of ``cols`` that updates ``update`` when ``key`` is already there (the same
    statement on SQLite 3.24+ and PostgreSQL)."""
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        f" ON CONFLICT ({key}) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in update)}"
    )


def _enriched(article_id: str, data: str) -> Enriched:
    """An article's whole enrichment from its stored record, with the record's digest."""
    return Enriched.from_dict(json.loads(data), article_id=article_id, digest=content_hash(data))


def article_values(a: Article, text: Callable[[str | None], str | None]) -> tuple[Any, ...]:
    """``a`` as the values of ``id`` and :data:`ARTICLE_COLS`; ``text`` adapts the free-text
    fields to what the backend can hold."""
    return (
        a.id,
        a.content_hash,
        a.path,
        text(a.title),
        text(a.source),
        a.url,
        a.published,
        json.dumps(a.authors),
        a.language,
        text(a.raw) or "",
        text(a.text) or "",
        json.dumps(a.captions),
        json.dumps([asdict(r) for r in a.removed]),
        json.dumps(a.meta_origin),
        a.duplicate_of,
    )


def article_from_row(row: Sequence[Any]) -> Article:
    """An article from a row of :data:`ARTICLE_SELECT`."""
    r = dict(zip(("id", *ARTICLE_COLS), row, strict=True))
    return Article(
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


def article_filter(story_id: str | None, since: str | None) -> tuple[str, tuple[Any, ...]]:
    """The ``WHERE`` condition (and its parameters) of the articles of ``story_id`` published
    on or after ``since``; either may be None (no condition)."""
    where, params = ["1 = 1"], []
    if story_id is not None:
        where.append("id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        params.append(story_id)
    if since is not None:
        where.append("published >= ?")
        params.append(since)
    return " AND ".join(where), tuple(params)


def _summary(sid: str, title: str, data: str, last_seq: int) -> dict[str, Any]:
    d = json.loads(data)
    entities = d.get("entities") or []
    facts = d.get("facts") or []
    return {
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
        "last_seq": last_seq,
        "storyline": d.get("storyline") if isinstance(d.get("storyline"), str) else None,
    }


class SQLStore:
    """Every store method over one connection; a backend subclass sets :attr:`dialect` and
    implements the connection hooks (``_all``, ``_rows``, ``_exec``, ``_exec_many``,
    ``_write``, ``data_version``, ``close``, ``add_articles``)."""

    dialect: Dialect = SQLITE
    path: str = ""
    #: errors of the driver that mean "this search query cannot be run"
    query_errors: tuple[type[Exception], ...] = ()
    #: whether :meth:`data_version` is one counter for all connections (PostgreSQL) rather
    #: than a value of each connection (SQLite), so values from two connections compare
    shared_version = False

    # -- connection hooks (backends) ---------------------------------------------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a read."""
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a read one at a time (a cursor, never the whole result in memory)."""
        raise NotImplementedError

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        """One statement, inside :meth:`_write`."""
        raise NotImplementedError

    def _exec_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement per row, inside :meth:`_write`."""
        raise NotImplementedError

    def _write(self, work: Callable[[], T]) -> T:
        """Run ``work`` in one transaction."""
        raise NotImplementedError

    def _text(self, value: str | None) -> str | None:
        """A free-text value as the backend can store it (unchanged unless overridden)."""
        return value

    def _lock_stories(self) -> None:
        """Called first in the transaction that replaces the stories (writers take turns)."""

    def data_version(self) -> int:
        """Changes whenever another connection commits to the store."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def add_articles(self, articles: Iterable[Article]) -> int:
        raise NotImplementedError

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles ---------------------------------------------------------------------------

    def content_hashes(self) -> set[str]:
        return {h for (h,) in self._all("SELECT content_hash FROM articles") if h}

    def article_paths(self) -> dict[str, str | None]:
        return dict(self._all("SELECT id, path FROM articles"))

    def set_duplicates(self, links: dict[str, str | None]) -> None:
        self._update_column("duplicate_of", links)

    def set_sources(self, sources: dict[str, str]) -> None:
        self._update_column("source", {k: self._text(v) for k, v in sources.items()})

    def _update_column(self, column: str, values: dict[str, Any]) -> None:
        rows = [(v, k) for k, v in sorted(values.items())]  # one order: no deadlocks
        self._write(lambda: self._exec_many(f"UPDATE articles SET {column} = ? WHERE id = ?", rows))

    def articles(self) -> list[Article]:
        """All stored articles, in the order they were first stored."""
        return list(self._iter_articles(f"{ARTICLE_SELECT} ORDER BY seq"))

    def _iter_articles(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Article]:
        for row in self._rows(sql, params):
            yield article_from_row(row)

    def article(self, article_id: str) -> Article | None:
        rows = self._all(f"{ARTICLE_SELECT} WHERE id = ?", (article_id,))
        return article_from_row(rows[0]) if rows else None

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for row in self._in_chunks(f"{ARTICLE_SELECT} WHERE id IN ({{marks}})", ids):
            a = article_from_row(row)
            found[a.id] = a
        return found

    def _in_chunks(self, template: str, ids: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``template`` (whose ``{marks}`` is the ``IN`` list) for ``ids``, in chunks."""
        wanted = list(dict.fromkeys(ids))
        for i in range(0, len(wanted), CHUNK):
            part = wanted[i : i + CHUNK]
            yield from self._all(template.format(marks=", ".join("?" * len(part))), part)

    def iter_articles(
        self, story_id: str | None = None, since: str | None = None
    ) -> Iterator[tuple[Article, list[str]]]:
        """Articles one at a time in store order with the ids of their stories, optionally only
        those of ``story_id`` and those published on or after ``since`` (ISO date)."""
        where, params = article_filter(story_id, since)
        for a in self._iter_articles(f"{ARTICLE_SELECT} WHERE {where} ORDER BY seq", params):
            yield a, self.article_stories(a.id)

    def article_stories(self, article_id: str) -> list[str]:
        return [
            s
            for (s,) in self._all(
                "SELECT story_id FROM story_articles WHERE article_id = ?"
                f" ORDER BY story_id{self.dialect.collate}",
                (article_id,),
            )
        ]

    def article_index(self) -> list[dict[str, Any]]:
        """One light row per article: ``id``, ``title``, ``source``, ``published``, ``seq``,
        ``rowid`` (the number :meth:`search_rowids` returns)."""
        return [
            {
                "id": r[0],
                "title": r[1],
                "source": r[2],
                "published": r[3],
                "seq": r[4] or 0,
                "rowid": r[5],
            }
            for r in self._all(
                f"SELECT id, title, source, published, seq, {self.dialect.rowid}"
                " FROM articles ORDER BY seq"
            )
        ]

    def outlets(self, story_id: str | None = None, since: str | None = None) -> list[str]:
        """Distinct outlet names (sorted), optionally of one story's articles / since a date."""
        where, params = article_filter(story_id, since)
        sql = f"SELECT DISTINCT source FROM articles WHERE source IS NOT NULL AND {where}"
        return sorted(s for (s,) in self._all(sql, params))

    # -- search -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]:
        """Full-text search (SQLite: FTS5 syntax; PostgreSQL: web-search syntax); returns
        ``(article id, snippet)`` pairs, best first, matches marked ``[like this]``."""
        rows = self._search(self.dialect.search_hits, (self._text(query), limit), query)
        return [(r[0], r[1]) for r in rows]

    def search_rowids(self, query: str, limit: int | None = None, ranked: bool = True) -> list[int]:
        """Row ids (see :meth:`article_index`) of the articles matching ``query``, best match
        first when ``ranked`` (scoring every match), else in storage order."""
        d = self.dialect
        sql = d.search_match + (d.ranked if ranked else d.unranked)
        params: tuple[Any, ...] = (self._text(query),)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return [r for (r,) in self._search(sql, params, query)]

    def _search(self, sql: str, params: tuple[Any, ...], query: str) -> list[tuple[Any, ...]]:
        try:
            return self._all(sql, params)
        except self.query_errors as exc:
            raise StoreError(f"bad search query {query!r}: {exc}") from exc

    # -- enrichment -------------------------------------------------------------------------

    def add_enrichment(self, items: Iterable[Enriched]) -> None:
        """Store each article's enrichment (replacing what was there); each item's ``digest``
        is set to that of the record written."""
        texts: dict[str, str] = {}
        for e in items:
            texts[e.article_id] = text = e.record_text()
            e.digest = content_hash(text)
        rows = sorted(texts.items())
        sql = upsert_sql("enrichment", ("article_id", "data"), "article_id", ("data",))
        self._write(lambda: self._exec_many(sql, rows))

    def delete_enrichment(self, article_ids: Iterable[str]) -> None:
        rows = [(i,) for i in sorted(set(article_ids))]
        self._write(lambda: self._exec_many("DELETE FROM enrichment WHERE article_id = ?", rows))

    def enrichment(self) -> dict[str, Enriched]:
        """The whole enrichment of every stored article, with digests."""
        return {
            aid: _enriched(aid, data)
            for aid, data in self._rows("SELECT article_id, data FROM enrichment")
        }

    def enrichment_of(self, ids: Iterable[str]) -> dict[str, Enriched]:
        """The whole enrichment of the articles ``ids`` (those that have one), with digests."""
        return {
            aid: _enriched(aid, data)
            for aid, data in self._in_chunks(
                "SELECT article_id, data FROM enrichment WHERE article_id IN ({marks})", ids
            )
        }

    def enrichment_outline(self) -> dict[str, Enriched]:
        """Every stored article's entities and ``enricher``, with its record's digest: what a
        run reads of the whole archive (``partial`` records: the other fields are left empty,
        and :meth:`enrichment_of` reads them). The database picks those out of each record, so
        the rest (attributions, clauses, words, events: about four fifths of it) is never
        decoded here."""
        member = self.dialect.json_member
        sql = (
            f"SELECT article_id, data, {member.format(key='entities')}, "
            f"{member.format(key='enricher')} FROM enrichment"
        )
        out: dict[str, Enriched] = {}
        for aid, data, entities, enricher in self._rows(sql):
            part = {
                "entities": json.loads(entities) if entities else [],
                "enricher": enricher or "",
            }
            out[aid] = Enriched.from_dict(
                part, article_id=aid, digest=content_hash(data), partial=True
            )
        return out

    # -- stories ----------------------------------------------------------------------------

    def replace_stories(self, stories: list[Story], data: Iterable[dict[str, Any] | str]) -> None:
        """Make the stored stories exactly ``stories`` (``data`` holds each story's JSON form:
        a dict, or its text as ``json.dumps`` writes it), in one transaction (the last writer
        wins whole). Only the stories whose id or content changed are written: adding an
        article to a large archive rewrites the few stories it touched, not all of them."""
        rows = {
            s.id: (self._text(s.title) or "", d if isinstance(d, str) else json.dumps(d))
            for s, d in zip(stories, data, strict=True)
        }
        members = {s.id: s.articles for s in stories}

        def work() -> None:
            self._lock_stories()
            # the stored texts one at a time, never all of them at once beside the new ones
            kept: set[str] = set()
            stale: list[tuple[str]] = []
            for sid, text in self._rows("SELECT id, data FROM stories"):
                if rows.get(sid, ("", None))[1] == text:
                    kept.add(sid)
                else:
                    stale.append((sid,))
            fresh = [(sid, title, text) for sid, (title, text) in rows.items() if sid not in kept]
            self._exec_many("DELETE FROM story_articles WHERE story_id = ?", stale)
            self._exec_many("DELETE FROM stories WHERE id = ?", stale)
            self._exec_many("INSERT INTO stories (id, title, data) VALUES (?, ?, ?)", fresh)
            self._exec_many(
                "INSERT INTO story_articles (story_id, article_id) VALUES (?, ?)",
                [(sid, a) for sid, _, _ in fresh for a in members[sid]],
            )

        self._write(work)

    def stories(self) -> list[dict[str, Any]]:
        return list(self.iter_stories())

    def story_texts(self) -> dict[str, str]:
        """Each stored story's record as it is stored (JSON text, not decoded), by id."""
        return dict(self._all("SELECT id, data FROM stories"))

    def story_outlines(self) -> dict[str, StoryOutline]:
        """Each stored story's record as stored, with its timeline and storyline picked out of
        it by the database (:class:`~newsprism.store.base.StoryOutline`): a run reusing the
        story reads those two, and decoding the whole records of a large archive would cost
        more than the rest of adding one article to it."""
        member = self.dialect.json_member
        sql = (
            f"SELECT id, data, {member.format(key='timeline')},"
            f" {member.format(key='storyline')} FROM stories"
        )
        return {
            sid: StoryOutline(data, json.loads(timeline) if timeline else [], storyline or None)
            for sid, data, timeline, storyline in self._rows(sql)
        }

    def story(self, story_id: str) -> dict[str, Any] | None:
        rows = self._all("SELECT data FROM stories WHERE id = ?", (story_id,))
        return json.loads(rows[0][0]) if rows else None

    def iter_stories(self, story_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Stories one at a time (a cursor, not a list), or only ``story_id``."""
        sql = f"SELECT data FROM stories ORDER BY id{self.dialect.collate}"
        params: tuple[Any, ...] = ()
        if story_id is not None:
            sql, params = "SELECT data FROM stories WHERE id = ?", (story_id,)
        for (data,) in self._rows(sql, params):
            yield json.loads(data)

    def story_summaries(self) -> list[dict[str, Any]]:
        """One light row per story without loading whole stories into objects: ``id``,
        ``title``, ``first_published``, ``last_published``, ``size`` (articles), ``outlets``,
        ``entities`` (names), ``statuses`` (of its facts) and ``last_seq`` (newest article)."""
        last_seq = dict(
            self._all(
                "SELECT sa.story_id, MAX(a.seq) FROM story_articles sa"
                " JOIN articles a ON a.id = sa.article_id GROUP BY sa.story_id"
            )
        )
        return [
            _summary(sid, title, data, last_seq.get(sid) or 0)
            for sid, title, data in self._rows(
                f"SELECT id, title, data FROM stories ORDER BY id{self.dialect.collate}"
            )
        ]

    def story_memberships(self) -> list[tuple[int, str, str]]:
        """``(article row id, article id, story id)`` for every article of every story."""
        return self._all(
            f"SELECT a.{self.dialect.rowid}, a.id, sa.story_id FROM story_articles sa"
            " JOIN articles a ON a.id = sa.article_id"
        )

    # -- skipped inputs, state, counts --------------------------------------------------------

    def add_skipped(self, skipped: Iterable[Skipped]) -> None:
        rows = [(self._text(s.path), self._text(s.kind), self._text(s.reason)) for s in skipped]
        if rows:
            self._write(
                lambda: self._exec_many(
                    "INSERT INTO skipped (path, kind, reason) VALUES (?, ?, ?)", rows
                )
            )

    def get_state(self, key: str) -> Any:
        rows = self._all("SELECT value FROM state WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def set_state(self, key: str, value: Any) -> None:
        sql = upsert_sql("state", ("key", "value"), "key", ("value",))
        self._write(lambda: self._exec(sql, (key, json.dumps(value))))

    def counts(self) -> dict[str, int]:
        return {t: int(self._all(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in TABLES}

    # -- sentence embeddings (keyed by a hash of encoder + text; see newsprism.nlp.embed) ------

    def get_embeddings(self, keys: Iterable[bytes]) -> dict[bytes, bytes]:
        return {
            bytes(k): bytes(v)
            for k, v in self._in_chunks(
                "SELECT key, vec FROM embeddings WHERE key IN ({marks})", keys
            )
        }

    def put_embeddings(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        rows = sorted(dict(items).items())
        sql = upsert_sql("embeddings", ("key", "vec"), "key", ("vec",))
        self._write(lambda: self._exec_many(sql, rows))
