"""The Python API: ``newsprism.analyze(paths, ...)`` runs ingest -> enrich -> store -> cluster
-> compare -> brief and returns an :class:`~newsprism.model.AnalysisResult`.

The library does no printing: progress goes to an optional callback, problems to logging.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism.engine import local
from newsprism.ingest import IngestOptions, ingest
from newsprism.ingest.meta import unify_outlets
from newsprism.model import AnalysisResult, Article, Enriched, Entity, Skipped, Story
from newsprism.nlp.canonical import canonicalize
from newsprism.outputs.document import story_to_dict
from newsprism.store.sqlite import Store
from newsprism.stories import brief as brief_mod
from newsprism.stories import cache as story_cache
from newsprism.stories import compare as compare_mod
from newsprism.stories.cache import StoryCache
from newsprism.stories.cluster import ClusterDoc, ClusterSettings, StoryClusterer

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]


@dataclass
class AnalyzeOptions:
    """Settings of a whole-pipeline run (each also a CLI option of ``newsprism analyze``)."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    workers: int | None = None  #: processes for per-article work (default: CPU count, max 8)
    granularity: str = "event"  #: story granularity: "event" or "topic"
    use_embeddings: bool = True  #: MiniLM embeddings in clustering and comparison
    aliases: Path | None = None  #: extra entity alias file (extends the shipped one)
    max_facts: int = 10  #: key facts in each story brief


def analyze(
    paths: Sequence[str | Path],
    options: AnalyzeOptions | None = None,
    store: str | Path | Store | None = None,
    progress: Progress | None = None,
) -> AnalysisResult:
    """Run the whole pipeline over ``paths`` (files, folders, globs).

    With a ``store`` (path or open :class:`Store`), articles already stored are not ingested
    or enriched again; new ones join the stored stories, and the result covers the whole store.
    """
    options = options or AnalyzeOptions()
    own_store = not isinstance(store, Store)
    db = Store(store or ":memory:") if not isinstance(store, Store) else store
    try:
        return _analyze(paths, options, db, progress)
    finally:
        if own_store:
            db.close()


@dataclass
class Ingested:
    """What :func:`ingest_into_store` did; ``articles`` is everything now in the store."""

    articles: list[Article]
    new: list[Article]
    skipped: list[Skipped]
    files_read: int
    unchanged: int


def ingest_into_store(
    paths: Sequence[str | Path],
    options: IngestOptions,
    db: Store,
    progress: Progress | None = None,
) -> Ingested:
    """Ingest ``paths`` into ``db``: unchanged inputs are skipped, changed files replace their
    stored version, outlet names are unified and near-duplicates linked across the store."""
    result = ingest(
        paths,
        options,
        seen_hashes=db.content_hashes(),
        progress=(lambda done, total: progress("ingest", done, total)) if progress else None,
    )
    new = _place_in_store(result.articles, db)
    db.add_articles(new)
    db.add_skipped(result.skipped)
    articles = db.articles()
    renamed = unify_outlets(articles)
    if renamed:
        db.set_sources(renamed)
    _link_duplicates(articles, db)
    return Ingested(articles, new, result.skipped, result.files_read, result.unchanged)


def _analyze(
    paths: Sequence[str | Path], options: AnalyzeOptions, db: Store, progress: Progress | None
) -> AnalysisResult:
    ingested = ingest_into_store(paths, options.ingest, db, progress)
    articles = ingested.articles

    enriched = db.enrichment()
    todo = [a for a in articles if a.id not in enriched]
    if todo:
        fresh = local.enrich(todo, workers=options.workers, progress=progress)
        db.add_enrichment(fresh)
        enriched.update({e.article_id: e for e in fresh})

    entities = canonicalize({a.id: enriched[a.id].entities for a in articles}, options.aliases)
    _canonical_speakers(enriched)

    assignments = _cluster(articles, enriched, options, db, progress)
    cache = _stored_stories(db)
    stories = build_stories(articles, enriched, entities, assignments, options, progress, cache)
    by_id = {a.id: a for a in articles}
    db.replace_stories(stories, [story_to_dict(s, by_id) for s in stories])
    db.set_state(_STORY_KEYS, {"keys": {k: s.id for k, s in cache.built.items()}})
    return AnalysisResult(
        articles=articles,
        stories=stories,
        skipped=ingested.skipped,
        enriched=enriched,
        files_read=ingested.files_read,
        entities=entities,
        unchanged=ingested.unchanged,
        new_articles=len(ingested.new),
    )


def _place_in_store(articles: list[Article], db: Store) -> list[Article]:
    """Ready freshly ingested articles for the store.

    A changed file (an id already stored for the same path, with new content) replaces the
    stored version, whose enrichment is dropped so it is enriched again; a different input
    whose id is already taken by another path gets a free ``id-N``.
    """
    stored = db.article_paths()
    taken = set(stored)
    out: list[Article] = []
    for a in articles:
        if a.id in stored and stored[a.id] == a.path:
            log.info("%s: changed since it was stored; replacing it", a.path)
            db.delete_enrichment([a.id])
        elif a.id in taken:
            n = 2
            while f"{a.id}-{n}" in taken:
                n += 1
            a.id = f"{a.id}-{n}"
        taken.add(a.id)
        out.append(a)
    return out


def _link_duplicates(articles: list[Article], db: Store) -> None:
    from newsprism.ingest.dedup import link_duplicates

    before = {a.id: a.duplicate_of for a in articles}
    link_duplicates(articles)
    changed = {a.id: a.duplicate_of for a in articles if a.duplicate_of != before[a.id]}
    if changed:
        db.set_duplicates(changed)


def _canonical_speakers(enriched: dict[str, Enriched]) -> None:
    """Map each attribution's speaker to its canonical entity name where one is known."""
    for e in enriched.values():
        names = {m.name: m.canonical for m in e.entities if m.canonical}
        names.update({m.text: m.canonical for m in e.entities if m.canonical})
        for att in e.attributions:
            if att.speaker and att.speaker in names:
                att.speaker = names[att.speaker]


def _cluster(
    articles: list[Article],
    enriched: dict[str, Enriched],
    options: AnalyzeOptions,
    db: Store,
    progress: Progress | None,
) -> dict[str, str]:
    settings = ClusterSettings(granularity=options.granularity)  # type: ignore[arg-type]
    settings.use_embeddings = options.use_embeddings
    state = db.get_state("cluster")
    if state is not None and state.get("settings_key") != _settings_key(options):
        log.info("clustering settings changed: re-clustering all articles")
        state = None
    clusterer = StoryClusterer(settings, state=state["clusterer"] if state else None)
    known = clusterer.assignments()
    if known and _backfills(articles, known, settings.window):
        # Stories whose last article is older than the window no longer attract articles
        # (that keeps a stream's memory bounded), so older articles arriving late would open
        # new stories: cluster the whole archive again, in time order.
        log.info("articles older than the stored stories arrived: re-clustering all articles")
        clusterer = StoryClusterer(settings)
        known = {}
    docs = [_cluster_doc(a, enriched[a.id]) for a in articles if a.id not in known]
    if docs:
        if progress:
            progress("cluster", 0, len(docs))
        clusterer.add(docs)
        if progress:
            progress("cluster", len(docs), len(docs))
    db.set_state(
        "cluster", {"settings_key": _settings_key(options), "clusterer": clusterer.state()}
    )
    return clusterer.assignments()


def _cluster_doc(a: Article, e: Enriched) -> ClusterDoc:
    return ClusterDoc(
        id=a.id,
        text=a.text,
        title=a.title,
        published=a.published,
        source=a.source,
        entities=sorted({m.canonical or m.name for m in e.entities}),
        duplicate_of=a.duplicate_of,
    )


def _day(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _backfills(articles: list[Article], known: dict[str, str], window_days: float) -> bool:
    """Whether some new article is older than the newest stored one by more than the window."""
    old = [d for a in articles if a.id in known and (d := _day(a.published))]
    new = [d for a in articles if a.id not in known and (d := _day(a.published))]
    return bool(old and new) and (max(old) - min(new)).days > window_days


def _settings_key(options: AnalyzeOptions) -> str:
    return f"{options.granularity}:{int(options.use_embeddings)}"


_STORY_KEYS = "story_keys"


def _stored_stories(db: Store) -> StoryCache:
    state = db.get_state(_STORY_KEYS) or {}
    by_id = {d.get("id"): d for d in db.stories()}
    keys = state.get("keys") or {}
    return StoryCache(stored={k: by_id[sid] for k, sid in keys.items() if sid in by_id})


def build_stories(
    articles: list[Article],
    enriched: dict[str, Enriched],
    entities: list[Entity],
    assignments: dict[str, str],
    options: AnalyzeOptions,
    progress: Progress | None = None,
    cache: StoryCache | None = None,
) -> list[Story]:
    """Group articles by story, then compare each story's outlets and write its brief.

    With a ``cache``, a story whose members and their enrichment are unchanged since the stored
    run is taken from the store instead of being compared again."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[assignments.get(a.id, f"solo-{a.id}")].append(a)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), _first_date(kv[1]), kv[0]))
    stories: list[Story] = []
    for n, (_, members) in enumerate(ordered, 1):
        members.sort(key=lambda a: (a.published or "9999", a.id))
        story_id, title = f"story-{n:04d}", _story_title(members)
        ids = {a.id for a in members}
        story_entities = [
            {
                "name": e.name,
                "type": e.type,
                "variants": e.variants,
                "articles": [x for x in e.articles if x in ids],
            }
            for e in entities
            if ids.intersection(e.articles)
        ]
        key = ""
        if cache is not None:
            settings = {"max_facts": options.max_facts}
            key = story_cache.story_key(members, enriched, settings)
            old = cache.stored.get(key)
            if old is not None:
                story = story_cache.story_from_dict(old, story_id, title, [a.id for a in members])
                story.extra["entities"] = story_entities
                story.extra["attributions"] = _story_attributions(members, enriched)
                stories.append(story)
                cache.built[key] = story
                cache.reused += 1
                if progress:
                    progress("compare", n, len(ordered))
                continue
        member_enriched = {a.id: enriched[a.id] for a in members}
        comparison = compare_mod.compare_story(members, member_enriched)
        brief = brief_mod.build_brief(members, comparison, max_facts=options.max_facts)
        extra: dict[str, Any] = comparison.to_dict()
        extra["entities"] = story_entities
        extra["attributions"] = _story_attributions(members, enriched)
        story = Story(
            id=story_id, title=title, articles=[a.id for a in members], brief=brief, extra=extra
        )
        stories.append(story)
        if cache is not None:
            cache.built[key] = story
        if progress:
            progress("compare", n, len(ordered))
    if cache is not None and cache.reused:
        log.info(
            "%d of %d stories unchanged since the last run: reused", cache.reused, len(ordered)
        )
    return stories


def _story_attributions(
    members: list[Article], enriched: dict[str, Enriched]
) -> list[dict[str, Any]]:
    return [
        {"article": a.id, **att.to_dict()} for a in members for att in enriched[a.id].attributions
    ]


def _first_date(members: list[Article]) -> str:
    return min((a.published or "9999") for a in members)


def _story_title(members: list[Article]) -> str:
    """The title of the earliest original (non-duplicate) article that has one."""
    for a in members:
        if a.title and not a.duplicate_of:
            return a.title
    for a in members:
        if a.title:
            return a.title
    first = members[0].text.strip().split("\n", 1)[0]
    return first[:117] + "…" if len(first) > 120 else first
