"""The archive as the web app reads it: story lists with search, filters, sorting and paging;
one story with its articles; one article with its highlights; entities; watchlists.

Each request thread gets its own connection (SQLite or PostgreSQL, read-only). A light index of the stories (one row
each, computed in SQL) is kept in memory and rebuilt when the store changes, so listing and
filtering never load whole stories. Nothing here imports the NLP models.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.model import Article, Enriched
from newsprism.store.base import STORYLINES_KEY, StoreError, open_reader, open_store
from newsprism.store.sql import SQLStore

log = logging.getLogger(__name__)

SORTS = ("relevance", "recent", "size", "oldest", "title")  # relevance: with a search only
STATUSES = ("corroborated", "single-source", "conflicting")
MAX_PER_PAGE = 200
RANK_LIMIT = 2000  #: a search matching more articles lists its stories by recency
WATCH_KEY = "web.watchlist"


class NotFound(LookupError):
    """No such story, article, entity or watch."""


class BadRequest(ValueError):
    """A parameter that cannot be used (bad date, bad sort)."""


@dataclass
class StoryQuery:
    q: str | None = None
    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    entity: str | None = None
    status: str | None = None
    sort: str | None = None  # default: relevance with a search, else recent
    page: int = 1
    per_page: int = 20
    storyline: str | None = None  #: only the stories of this storyline


@dataclass
class Page:
    """One page of a list; ``total`` counts every item that matched."""

    items: list[dict[str, Any]]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


@dataclass
class Index:
    stories: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]
    entities: dict[str, list[str]]  # lower-cased name -> story ids
    entity_names: dict[str, str]  # lower-cased name -> display name
    outlets: list[str]
    max_seq: int = 0
    articles: list[dict[str, Any]] = field(default_factory=list)
    story_of_rowid: dict[int, list[str]] = field(default_factory=dict)
    #: storylines, most recent first: id, title, stories (ids, in time order), span, size
    storylines: list[dict[str, Any]] = field(default_factory=list)
    storyline_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_date(value: str | None, name: str) -> str | None:
    """An ISO date (YYYY-MM-DD, YYYY-MM or YYYY) or None; anything else is a :class:`BadRequest`."""
    if value is None or value == "":
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise BadRequest(f"{name}: expected a date like 2025-03-10, got {value!r}")
    try:
        dt.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError as exc:
        raise BadRequest(f"{name}: not a calendar date: {value!r}") from exc
    return value


def fts_query(text: str) -> str:
    """User text as an FTS5 query: each word quoted (so operators and punctuation cannot break
    the query), all words required."""
    words = re.findall(r"\w+", text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


class Archive:
    """Read access (and the few writes the app makes) to one store: a SQLite file or a
    ``postgresql://`` URL."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._lock = threading.RLock()
        self._index: Index | None = None
        self._index_version: int | None = None
        with open_store(self.path) as db:  # fail early on what is not a store (and migrate it)
            db.counts()

    # -- connections and the index -----------------------------------------------------------

    @contextmanager
    def store(self) -> Iterator[SQLStore]:
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_reader(self.path)
            self._local.db = db
        yield db

    @contextmanager
    def writer(self) -> Iterator[SQLStore]:
        """A connection for the app's own writes (watchlist); readers see them at once."""
        with self._lock, open_store(self.path) as db:
            yield db
        self.invalidate()

    def index(self) -> Index:
        """The story index, rebuilt when another connection has written to the store since
        the index was built (PostgreSQL: one ``data_version`` for every connection) or since
        this thread last looked (SQLite: ``data_version`` is per connection), or after
        :meth:`invalidate`."""
        with self.store() as db:
            version = db.data_version()
            seen = getattr(self._local, "version", None)
            self._local.version = version
            with self._lock:
                if db.shared_version:
                    seen = self._index_version
                if seen is not None and seen != version:
                    self._index = None
                if self._index is None:
                    self._index = self._build_index(db)
                    self._index_version = version
                return self._index

    def invalidate(self) -> None:
        with self._lock:
            self._index = None

    def _build_index(self, db: SQLStore) -> Index:
        stories = db.story_summaries()
        entities: dict[str, list[str]] = defaultdict(list)
        names: dict[str, str] = {}
        outlets: set[str] = set()
        for s in stories:
            outlets.update(s["outlets"])
            for name in dict.fromkeys(s["entities"]):
                key = name.casefold()
                entities[key].append(s["id"])
                names.setdefault(key, name)
        articles = db.article_index()
        story_of_rowid: dict[int, list[str]] = defaultdict(list)
        for rowid, _aid, sid in db.story_memberships():
            story_of_rowid[rowid].append(sid)
        lines = _storyline_rows(db.get_state(STORYLINES_KEY), stories)
        log.info(
            "web index: %d stories in %d storylines, %d articles",
            len(stories),
            len(lines),
            len(articles),
        )
        return Index(
            stories=stories,
            by_id={s["id"]: s for s in stories},
            entities=dict(entities),
            entity_names=names,
            outlets=sorted(outlets),
            max_seq=max((a["seq"] for a in articles), default=0),
            articles=articles,
            story_of_rowid=dict(story_of_rowid),
            storylines=lines,
            storyline_by_id={line["id"]: line for line in lines},
        )

    # -- stories -----------------------------------------------------------------------------

    def list_stories(self, query: StoryQuery) -> Page:
        searching = bool(query.q and query.q.strip())
        sort = query.sort or ("relevance" if searching else "recent")
        if sort not in SORTS:
            raise BadRequest(f"sort: choose one of {', '.join(SORTS)}")
        if query.status and query.status not in STATUSES:
            raise BadRequest(f"status: choose one of {', '.join(STATUSES)}")
        since = check_date(query.since, "since")
        until = check_date(query.until, "until")
        per_page = max(1, min(MAX_PER_PAGE, query.per_page))
        page = max(1, query.page)
        idx = self.index()
        rows = idx.stories
        ranked: list[str] | None = None
        if searching:
            ranked = self.search_story_ids(query.q or "")
            rows = [idx.by_id[i] for i in ranked if i in idx.by_id]
        if query.outlet:
            rows = [s for s in rows if query.outlet in s["outlets"]]
        if query.entity:
            wanted = set(idx.entities.get(query.entity.casefold(), []))
            rows = [s for s in rows if s["id"] in wanted]
        if query.status:
            rows = [s for s in rows if query.status in s["statuses"]]
        if query.storyline:
            rows = [s for s in rows if s.get("storyline") == query.storyline]
        if since:
            rows = [s for s in rows if (s["last_published"] or "")[: len(since)] >= since]
        if until:
            rows = [s for s in rows if (s["first_published"] or "9999")[: len(until)] <= until]
        if ranked is None or sort != "relevance":  # a search's rows come best match first
            rows = _sorted(rows, sort)
        total = len(rows)
        start = (page - 1) * per_page
        items = [_story_item(s) for s in rows[start : start + per_page]]
        return Page(items, page, per_page, total)

    def search_story_ids(self, q: str) -> list[str]:
        """Stories whose articles match ``q``: best match first, or, when more than
        :data:`RANK_LIMIT` articles match (scoring them all would be slow), most recent first."""
        idx = self.index()
        with self.store() as db:
            query = q
            try:
                first = db.search_rowids(query, limit=RANK_LIMIT + 1, ranked=False)
            except StoreError:
                query = fts_query(q)
                if not query:
                    return []
                first = db.search_rowids(query, limit=RANK_LIMIT + 1, ranked=False)
            if len(first) <= RANK_LIMIT:
                rowids = db.search_rowids(query, ranked=True)
                ranked = True
            else:
                rowids = db.search_rowids(query, ranked=False)
                ranked = False
        found = dict.fromkeys(s for r in rowids for s in idx.story_of_rowid.get(r, ()))
        ids = [s for s in found if s in idx.by_id]
        if not ranked:
            ids = [s["id"] for s in _sorted([idx.by_id[s] for s in ids], "recent")]
        return ids

    # -- storylines ---------------------------------------------------------------------------

    def list_storylines(self, page: int = 1, per_page: int = 20) -> Page:
        """Storylines, most recent first, each with its stories (in time order) as list rows."""
        idx = self.index()
        per_page = max(1, min(MAX_PER_PAGE, per_page))
        page = max(1, page)
        start = (page - 1) * per_page
        items = [_storyline_item(line, idx) for line in idx.storylines[start : start + per_page]]
        return Page(items, page, per_page, len(idx.storylines))

    def storyline(self, storyline_id: str) -> dict[str, Any]:
        """One storyline: its stories in time order and its timeline of events."""
        idx = self.index()
        line = idx.storyline_by_id.get(storyline_id)
        if line is None:
            raise NotFound(f"no storyline {storyline_id!r}")
        return {**_storyline_item(line, idx), "timeline": line["timeline"]}

    def story(self, story_id: str) -> tuple[dict[str, Any], dict[str, Article]]:
        with self.store() as db:
            story = db.story(story_id)
            if story is None:
                raise NotFound(f"no story {story_id!r}")
            articles = db.articles_by_id(story.get("articles") or [])
        return story, articles

    # -- articles ----------------------------------------------------------------------------

    def article(self, article_id: str) -> tuple[Article, Enriched | None, list[dict[str, Any]]]:
        """The article, its enrichment and the stories it belongs to."""
        with self.store() as db:
            article = db.article(article_id)
            if article is None:
                raise NotFound(f"no article {article_id!r}")
            enriched = db.enrichment_of([article_id]).get(article_id)
            stories = [s for sid in db.article_stories(article_id) if (s := db.story(sid))]
        return article, enriched, stories

    def list_articles(
        self,
        q: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        page: int = 1,
        per_page: int = 20,
    ) -> Page:
        since = check_date(since, "since")
        per_page = max(1, min(MAX_PER_PAGE, per_page))
        page = max(1, page)
        idx = self.index()
        rows = idx.articles
        snippets: dict[str, str] = {}
        if q and q.strip():
            hits = self._search_articles(q)
            snippets = dict(hits)
            by_id = {a["id"]: a for a in rows}
            rows = [by_id[i] for i, _ in hits if i in by_id]
        else:
            rows = sorted(rows, key=lambda a: (a["published"] or "", a["seq"]), reverse=True)
        if outlet:
            rows = [a for a in rows if a["source"] == outlet]
        if since:
            rows = [a for a in rows if (a["published"] or "")[: len(since)] >= since]
        start = (page - 1) * per_page
        items = [
            {
                **{k: a[k] for k in ("id", "title", "source", "published")},
                "snippet": snippets.get(a["id"]),
            }
            for a in rows[start : start + per_page]
        ]
        return Page(items, page, per_page, len(rows))

    def _search_articles(self, q: str) -> list[tuple[str, str]]:
        with self.store() as db:
            try:
                return db.search(q, limit=5000)
            except StoreError:
                cleaned = fts_query(q)
                return db.search(cleaned, limit=5000) if cleaned else []

    # -- entities ----------------------------------------------------------------------------

    def list_entities(self, q: str | None = None, page: int = 1, per_page: int = 50) -> Page:
        per_page = max(1, min(MAX_PER_PAGE, per_page))
        page = max(1, page)
        idx = self.index()
        keys = sorted(idx.entities, key=lambda k: (-len(idx.entities[k]), k))
        if q:
            needle = q.casefold()
            keys = [k for k in keys if needle in k]
        start = (page - 1) * per_page
        items = [
            {"name": idx.entity_names[k], "stories": len(idx.entities[k])}
            for k in keys[start : start + per_page]
        ]
        return Page(items, page, per_page, len(keys))

    def entity(self, name: str) -> dict[str, Any]:
        """An entity's stories, what it said, who it acts with or on, and mentions by day."""
        idx = self.index()
        key = name.casefold()
        story_ids = idx.entities.get(key)
        if not story_ids:
            raise NotFound(f"no entity {name!r}")
        display = idx.entity_names[key]
        said: list[dict[str, Any]] = []
        together: Counter[str] = Counter()
        acts: list[dict[str, Any]] = []
        mentions: Counter[str] = Counter()
        entity_type = None
        variants: set[str] = set()
        with self.store() as db:
            for sid in story_ids:
                story = db.story(sid) or {}
                mine = [
                    e
                    for e in story.get("entities") or []
                    if str(e.get("name", "")).casefold() == key
                ]
                for e in mine:
                    entity_type = entity_type or e.get("type")
                    variants.update(v for v in e.get("variants") or [] if isinstance(v, str))
                for e in story.get("entities") or []:
                    other = e.get("name")
                    if isinstance(other, str) and other.casefold() != key:
                        together[other] += 1
                for group in story.get("quotes") or []:
                    if str(group.get("speaker") or "").casefold() == key:
                        for q in group.get("quotes") or []:
                            said.append({"story": sid, **q})
                members = {aid for e in mine for aid in e.get("articles") or []}
                arts = db.articles_by_id(members)
                enriched = db.enrichment_of(members)
                names = {key} | {v.casefold() for v in variants}
                for aid, enr in enriched.items():
                    day = (arts[aid].published or "")[:10] if aid in arts else ""
                    count = sum(
                        1
                        for m in enr.entities
                        if (m.canonical or m.name or "").casefold() in names
                        or m.text.casefold() in names
                    )
                    if day and count:
                        mentions[day] += count
                    for ev in enr.events:
                        src = (ev.source_actor or "").casefold()
                        tgt = (ev.target_actor or "").casefold()
                        if src in names or tgt in names:
                            acts.append(
                                {
                                    "story": sid,
                                    "article": aid,
                                    "type": ev.type,
                                    "source_actor": ev.source_actor,
                                    "target_actor": ev.target_actor,
                                    "trigger": ev.trigger.to_dict() if ev.trigger else None,
                                }
                            )
        stories = [_story_item(idx.by_id[s]) for s in story_ids if s in idx.by_id]
        stories.sort(key=lambda s: s["last_published"] or "", reverse=True)
        return {
            "name": display,
            "type": entity_type,
            "variants": sorted(variants),
            "stories": stories,
            "said": said,
            "acts": acts,
            "together": [{"name": n, "stories": c} for n, c in together.most_common(15)],
            "mentions_by_day": dict(sorted(mentions.items())),
        }

    # -- watchlist ---------------------------------------------------------------------------

    def watchlist(self) -> list[dict[str, Any]]:
        with self.store() as db:
            return list(db.get_state(WATCH_KEY) or [])

    def _save_watchlist(self, entries: list[dict[str, Any]]) -> None:
        with self.writer() as db:
            db.set_state(WATCH_KEY, entries)

    def add_watch(self, kind: str, value: str) -> dict[str, Any]:
        if kind not in ("query", "entity"):
            raise BadRequest("kind: 'query' or 'entity'")
        value = value.strip()
        if not value or len(value) > 200:
            raise BadRequest("value: 1 to 200 characters")
        with self._lock:
            entries = self.watchlist()
            if len(entries) >= 500:
                raise BadRequest("the watchlist is full (500 entries)")
            next_id = 1 + max((int(e["id"]) for e in entries), default=0)
            entry = {
                "id": str(next_id),
                "kind": kind,
                "value": value,
                "seen_seq": self.index().max_seq,
                "seen_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
            self._save_watchlist([*entries, entry])
        return entry

    def remove_watch(self, watch_id: str) -> None:
        with self._lock:
            entries = self.watchlist()
            kept = [e for e in entries if e["id"] != watch_id]
            if len(kept) == len(entries):
                raise NotFound(f"no watch {watch_id!r}")
            self._save_watchlist(kept)

    def mark_seen(self, watch_id: str) -> dict[str, Any]:
        with self._lock:
            entries = self.watchlist()
            for e in entries:
                if e["id"] == watch_id:
                    e["seen_seq"] = self.index().max_seq
                    e["seen_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                    self._save_watchlist(entries)
                    return e
        raise NotFound(f"no watch {watch_id!r}")

    def watch(self, watch_id: str) -> dict[str, Any]:
        """A watch with its matching stories and articles, and those new since it was last seen."""
        entry = next((e for e in self.watchlist() if e["id"] == watch_id), None)
        if entry is None:
            raise NotFound(f"no watch {watch_id!r}")
        idx = self.index()
        seen = int(entry.get("seen_seq") or 0)
        if entry["kind"] == "entity":
            story_ids = idx.entities.get(entry["value"].casefold(), [])
            with self.store() as db:
                member_ids = {
                    aid for sid in story_ids for aid in (db.story(sid) or {}).get("articles") or []
                }
            articles = [a for a in idx.articles if a["id"] in member_ids]
        else:
            hits = self._search_articles(entry["value"])
            hit_ids = {i for i, _ in hits}
            articles = [a for a in idx.articles if a["id"] in hit_ids]
            story_ids = self.search_story_ids(entry["value"])
        stories = [idx.by_id[s] for s in story_ids if s in idx.by_id]
        new_articles = [a for a in articles if a["seq"] > seen]
        new_stories = [s for s in stories if s["last_seq"] > seen]
        return {
            **entry,
            "stories": [_story_item(s) for s in _sorted(stories, "recent")],
            "new_stories": [_story_item(s) for s in _sorted(new_stories, "recent")],
            "new_articles": [
                {k: a[k] for k in ("id", "title", "source", "published")} for a in new_articles
            ],
        }


def _sorted(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    if sort == "size":
        return sorted(rows, key=lambda s: (-s["size"], s["last_published"] or "", s["id"]))
    if sort == "oldest":
        return sorted(rows, key=lambda s: (s["first_published"] or "9999", s["id"]))
    if sort == "title":
        return sorted(rows, key=lambda s: ((s["title"] or "").casefold(), s["id"]))
    return sorted(rows, key=lambda s: (s["last_published"] or "", s["id"]), reverse=True)


def _story_item(s: dict[str, Any]) -> dict[str, Any]:
    item = {
        k: s[k]
        for k in ("id", "title", "first_published", "last_published", "size", "outlets", "statuses")
    }
    item["storyline"] = s.get("storyline")
    item["storyline_title"] = s.get("storyline_title")
    return item


def _storyline_rows(stored: Any, stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The storylines of the last run (as :func:`newsprism.api.analyze` stores them), keeping
    the stories the store still holds. Stories the stored list lacks (a store written before
    the list was kept) are grouped by the storyline each story names, or stand alone. Most
    recent first. Each story row gets its storyline's ``storyline`` id and ``storyline_title``."""
    by_id = {s["id"]: s for s in stories}
    lines: list[dict[str, Any]] = []
    placed: set[str] = set()
    for raw in stored if isinstance(stored, list) else []:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        members = [
            sid
            for sid in raw.get("stories") or []
            if isinstance(sid, str) and sid in by_id and sid not in placed
        ]
        if not members:
            continue
        placed.update(members)
        timeline = raw.get("timeline")
        lines.append(_storyline_row(raw["id"], raw.get("title"), members, by_id, timeline))
    rest: dict[str, list[str]] = {}  # stories the stored list lacks: by their own tag
    for s in stories:
        if s["id"] not in placed:
            rest.setdefault(s.get("storyline") or s["id"], []).append(s["id"])
    for line_id, members in rest.items():
        members.sort(key=lambda sid: (by_id[sid]["first_published"] or "9999", sid))
        lines.append(_storyline_row(line_id, None, members, by_id, []))
    for line in lines:  # each story row names its storyline
        for sid in line["stories"]:
            by_id[sid]["storyline"] = line["id"]
            by_id[sid]["storyline_title"] = line["title"]
    return sorted(lines, key=lambda x: (x["last_published"] or "", x["id"]), reverse=True)


def _storyline_row(
    line_id: str,
    title: Any,
    members: list[str],
    by_id: dict[str, dict[str, Any]],
    timeline: Any,
) -> dict[str, Any]:
    rows = [by_id[sid] for sid in members]
    firsts = [r["first_published"] for r in rows if r["first_published"]]
    lasts = [r["last_published"] for r in rows if r["last_published"]]
    outlets = sorted({o for r in rows for o in r["outlets"]})
    return {
        "id": line_id,
        "title": title if isinstance(title, str) and title else rows[0]["title"] or line_id,
        "stories": members,
        "first_published": min(firsts) if firsts else None,
        "last_published": max(lasts) if lasts else None,
        "size": sum(r["size"] for r in rows),
        "outlets": outlets,
        "timeline": [e for e in timeline if isinstance(e, dict)]
        if isinstance(timeline, list)
        else [],
    }


def _storyline_item(line: dict[str, Any], idx: Index) -> dict[str, Any]:
    return {
        **{k: v for k, v in line.items() if k not in ("stories", "timeline")},
        "story_count": len(line["stories"]),
        "stories": [_story_item(idx.by_id[sid]) for sid in line["stories"] if sid in idx.by_id],
    }
