"""The Python API: ``newsprism.analyze(paths, ...)`` runs ingest -> enrich -> store -> cluster
-> compare -> brief and returns an :class:`~newsprism.model.AnalysisResult`.

The library does no printing: progress goes to an optional callback, problems to logging.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsprism import codec
from newsprism.engine import local
from newsprism.ingest import IngestOptions, ingest
from newsprism.ingest.dedup import Fingerprint, fingerprints, link_duplicates
from newsprism.ingest.language import release as release_language_model
from newsprism.ingest.meta import unify_outlets
from newsprism.model import (
    AnalysisResult,
    Article,
    Enriched,
    Entity,
    Skipped,
    StoredStory,
    Story,
    StoryAttribution,
    StoryEntity,
    Storyline,
    TimelineEntry,
)
from newsprism.nlp import dates as dates_mod
from newsprism.nlp.canonical import canonicalize
from newsprism.nlp.embed import backend_name, cluster_backend, release_encoder, vectors_id
from newsprism.nlp.embed import persistent as embedding_store
from newsprism.nlp.embed import remote as embedding_remote
from newsprism.nlp.enrich import enricher_id
from newsprism.nlp.pubdate import date_from_stories, date_from_text
from newsprism.profile import Profile, Timed, activate, lap, stage
from newsprism.record import derived_fields, story_to_dict
from newsprism.runtime import fewer_collections
from newsprism.settings import Engine, Granularity, default
from newsprism.store.base import STORYLINES_KEY, ArticleStore, StoryOutline, open_store
from newsprism.stories import brief as brief_mod
from newsprism.stories import cache as story_cache
from newsprism.stories import compare as compare_mod
from newsprism.stories.cache import StoryCache
from newsprism.stories.cluster import ClusterDoc, ClusterSettings, StoryClusterer, embed_text
from newsprism.stories.quotes import canonical_speakers, story_attributions
from newsprism.stories.storylines import StorylineBuilder
from newsprism.stories.storylines import assemble as assemble_storylines
from newsprism.stories.timeline import story_timeline
from newsprism.text import content_hash

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]


@dataclass
class AnalyzeOptions:
    """Settings of a whole-pipeline run: the ``analyze`` settings of :mod:`newsprism.settings`
    (declared there with default, type and help; most are also flags of ``newsprism analyze``)."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    workers: int | None = default("workers")
    granularity: Granularity = default("granularity")
    use_embeddings: bool = default("use_embeddings")
    aliases: Path | None = default("aliases")
    max_facts: int = default("max_facts")
    engine: Engine = default("engine")
    ray_address: str | None = default("ray_address")
    reenrich: bool = default("reenrich")


def analyze(
    paths: Sequence[str | Path],
    options: AnalyzeOptions | None = None,
    store: str | Path | ArticleStore | None = None,
    progress: Progress | None = None,
    profile: Profile | None = None,
) -> AnalysisResult:
    """Run the whole pipeline over ``paths`` (files, folders, globs).

    With a ``store`` (SQLite path, ``postgresql://`` URL or an open store), articles already
    stored are not ingested or enriched again; new ones join the stored stories, and the result
    covers the whole store. Enrichment is stored batch by batch, so a run that was killed
    resumes where it stopped when run again with the same arguments.

    Sentence embeddings are kept in the store too (when it can hold them), so a re-run never
    embeds an unchanged sentence again. With a ``profile``, the seconds of each stage are
    recorded in it (and logged).
    """
    options = options or AnalyzeOptions()
    own_store = not isinstance(store, ArticleStore)
    with activate(profile), fewer_collections():
        with stage("store"):
            db = store if isinstance(store, ArticleStore) else open_store(store or ":memory:")
        timed_db: Any = Timed(db, "store") if profile is not None else db
        backing = timed_db if hasattr(db, "get_embeddings") else None
        try:
            with embedding_store(backing):
                return _analyze(paths, options, timed_db, progress)
        finally:
            if own_store:
                with stage("store"):
                    db.close()
            if profile is not None:
                lap("store")
                profile.log_summary()


@dataclass
class Ingested:
    """What :func:`ingest_into_store` did; ``articles`` is everything now in the store, ``new``
    those of them this run added (the same objects)."""

    articles: list[Article]
    new: list[Article]
    skipped: list[Skipped]
    files_read: int
    unchanged: int


def ingest_into_store(
    paths: Sequence[str | Path],
    options: IngestOptions,
    db: ArticleStore,
    progress: Progress | None = None,
    mapper: Callable[..., Any] | None = None,
) -> Ingested:
    """Ingest ``paths`` into ``db``: unchanged inputs are skipped, changed files replace their
    stored version, outlet names are unified and near-duplicates linked across the store."""
    result = ingest(
        paths,
        options,
        seen_hashes=db.content_hashes(),
        progress=(lambda done, total: progress("ingest", done, total)) if progress else None,
        mapper=mapper,
    )
    release_language_model()  # (every input is read: about 75 MB the rest of a run can do without)
    new = _place_in_store(result.articles, db)
    date_from_text(new, reference_year=dt.datetime.now(dt.UTC).year)
    db.add_articles(new)
    db.add_skipped(result.skipped)
    articles = db.articles()
    renamed = unify_outlets(articles)
    if renamed:
        db.set_sources(renamed)
    _link_duplicates(articles, db)
    # the new articles as the store now holds them (outlet unified, near-duplicates linked):
    # the very objects of ``articles``, not a second copy of their texts held for the run
    added = {a.id for a in new}
    new = [a for a in articles if a.id in added]
    return Ingested(articles, new, result.skipped, result.files_read, result.unchanged)


def _analyze(
    paths: Sequence[str | Path],
    options: AnalyzeOptions,
    db: ArticleStore,
    progress: Progress | None,
) -> AnalysisResult:
    mapper = None
    if options.engine == "ray":
        from newsprism.engine import ray as ray_engine  # optional: needs ray

        mapper = ray_engine.ingest_mapper(options.workers, options.ray_address)
    ingested = ingest_into_store(paths, options.ingest, db, progress, mapper=mapper)
    articles = ingested.articles
    lap("ingest")

    # of the stored articles, only what a run needs of each (entities, digest): the rest of a
    # record is read when its story is compared again
    enriched = db.enrichment_outline()
    todo = [a for a in articles if a.id not in enriched]
    todo += _stale(articles, enriched, options.reenrich)
    if todo:
        # each batch of new records is stored as it comes, and only its outline is kept: the
        # whole records are read back when their story is compared (memory stays what the
        # outlines take, never the run's whole records at once)
        enriched.update({e.article_id: e for e in _enrich(todo, options, db, progress)})
    lap("parse")  # what the workers' own timing (parse, annotate, models) left over

    entities = canonicalize({a.id: enriched[a.id].entities for a in articles}, options.aliases)
    lap("annotate")

    assignments = _cluster(articles, enriched, options, db, progress)
    if cluster_backend() != backend_name():
        # the comparison's encoder loads next: hold one session at a time
        release_encoder(cluster_backend())
    lap("clustering")
    redated = date_from_stories(articles, assignments)
    complete = _completer(enriched, db)
    complete([a.id for a in redated])
    for a in redated:
        _redate(enriched[a.id], a)
    cache = _stored_stories(db)
    lap("annotate")
    stories = build_stories(
        articles, enriched, entities, assignments, options, progress, cache, complete
    )
    for e in entities:
        e.spelled_in = {}  # (the stories have their spellings: the result keeps the variants)
    lap("comparison")
    by_id = {a.id: a for a in articles}
    storylines = _storylines(stories, by_id, enriched, db)
    lap("clustering")
    texts = _story_texts(stories, by_id, cache, _attributions_reader(by_id, enriched, complete))
    # the story keys point at story ids: forget them until the new stories are stored, so a
    # run killed in between never reuses a stored story under another story's key
    db.set_state(_STORY_KEYS, {})
    db.replace_stories(stories, [texts[s.id] for s in stories])
    db.set_state(
        _STORY_KEYS,
        {
            "keys": {k: s.id for k, s in cache.built.items()},
            "fields": {k: list(cache.noted[s.id]) for k, s in cache.built.items()},
        },
    )
    db.set_state(STORYLINES_KEY, [line.to_dict() for line in storylines])
    return AnalysisResult(
        articles=articles,
        stories=stories,
        skipped=ingested.skipped,
        enriched=enriched,
        files_read=ingested.files_read,
        entities=entities,
        unchanged=ingested.unchanged,
        new_articles=len(ingested.new),
        storylines=storylines,
        story_texts=texts,
    )


def _enrich(
    todo: list[Article], options: AnalyzeOptions, db: ArticleStore, progress: Progress | None
) -> list[Enriched]:
    """Enrich ``todo`` with the chosen engine, storing each batch as soon as it is done; what
    comes back is the outline of each record (:func:`_outline`)."""
    if options.engine == "ray":
        from newsprism.engine import ray as ray_engine  # optional: needs ray

        return ray_engine.enrich(
            todo,
            workers=options.workers,
            address=options.ray_address,
            progress=progress,
            sink=db.add_enrichment,
            keep=_outline,
        )
    return local.enrich(
        todo, workers=options.workers, progress=progress, sink=db.add_enrichment, keep=_outline
    )


def _stale(articles: list[Article], enriched: dict[str, Enriched], redo: bool) -> list[Article]:
    """The stored articles whose enrichment another version of the language analysis made
    (:func:`~newsprism.nlp.enrich.enricher_id`), to enrich again when ``redo``; otherwise they
    are kept as they are, and a warning says how many there are and how to redo them. Redone
    records are stored batch by batch with the current id, so a stopped redo resumes."""
    current = enricher_id()
    stale = [a for a in articles if a.id in enriched and enriched[a.id].enricher != current]
    if not stale:
        return []
    if redo:
        log.info("enriching again %d articles enriched by another version", len(stale))
        return stale
    log.warning(
        "%d of %d stored articles were enriched by another version of newsprism; their "
        "claims, quotes, dates and events may differ from what this version finds. Run again "
        "with --reenrich to redo them (it resumes if stopped).",
        len(stale),
        len(enriched),
    )
    return []


def _outline(e: Enriched) -> Enriched:
    """A stored record's outline: its entities and digest (see
    :meth:`~newsprism.store.sql.SQLStore.enrichment_outline`)."""
    return Enriched(
        e.article_id,
        entities=e.entities,
        enricher=e.enricher,
        digest=e.record_digest(),  # (a store that did not note it: the record's own)
        partial=True,
    )


def _completer(enriched: dict[str, Enriched], db: ArticleStore) -> Callable[[Iterable[str]], None]:
    """A function that reads, in place in ``enriched``, the whole records of the partial ones
    among the article ids it is given. The outline's entity list is kept (its canonical names
    are set for this run), and the speakers of the record's attributions take those names."""

    def complete(ids: Iterable[str]) -> None:
        need = [i for i in dict.fromkeys(ids) if i in enriched and enriched[i].partial]
        if not need:
            return
        read = db.enrichment_of(need)
        for aid, full in read.items():
            full.entities = enriched[aid].entities
            enriched[aid] = full
        canonical_speakers(read)

    return complete


def _place_in_store(articles: list[Article], db: ArticleStore) -> list[Article]:
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


_DEDUP_PRINTS = "dedup_prints"


def _link_duplicates(articles: list[Article], db: ArticleStore) -> None:
    """Near-duplicate links over the whole store, recomputed as if from scratch; each article's
    fingerprint (MinHash and shingle count) is kept in the store with a digest of the text it
    was made from, so only new or changed texts are shingled and hashed again."""
    before = {a.id: a.duplicate_of for a in articles}
    state = db.get_state(_DEDUP_PRINTS)
    stored: dict[str, Any] = state if isinstance(state, dict) else {}
    digests = [content_hash(a.text or "") for a in articles]
    known: list[Fingerprint | None] = []
    for a, digest in zip(articles, digests, strict=True):
        rec = stored.get(a.id)
        if isinstance(rec, list) and len(rec) == 2 and rec[0] == digest:
            known.append(Fingerprint.from_record(rec[1]))
        else:
            known.append(None)
    prints = fingerprints([a.text for a in articles], known)
    link_duplicates(articles, prints=prints)
    changed = {a.id: a.duplicate_of for a in articles if a.duplicate_of != before[a.id]}
    if changed:
        db.set_duplicates(changed)
    if any(fp is None for fp in known) or len(stored) != len(articles):
        db.set_state(
            _DEDUP_PRINTS,
            {
                a.id: [digest, fp.to_record()]
                for a, digest, fp in zip(articles, digests, prints, strict=True)
            },
        )


def _cluster(
    articles: list[Article],
    enriched: dict[str, Enriched],
    options: AnalyzeOptions,
    db: ArticleStore,
    progress: Progress | None,
) -> dict[str, str]:
    settings = ClusterSettings(granularity=options.granularity)
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
        with _cluster_embeddings_on_ray(docs, settings, options):
            clusterer.add(docs)
        if progress:
            progress("cluster", len(docs), len(docs))
    db.set_state(
        "cluster", {"settings_key": _settings_key(options), "clusterer": clusterer.state()}
    )
    return clusterer.assignments()


@contextmanager
def _cluster_embeddings_on_ray(
    docs: list[ClusterDoc], settings: ClusterSettings, options: AnalyzeOptions
) -> Iterator[None]:
    """With ``engine="ray"``, the clustering's sentence vectors (title and lead of each new
    article) are computed as Ray tasks, one per time block (the publication day); the online
    assignment of articles to stories stays here, in time order, so both engines give the
    same stories (the encoder gives a text the same vector in any batch)."""
    if options.engine != "ray" or not settings.use_embeddings or len(docs) < 2:
        yield
        return
    from newsprism.engine import ray as ray_engine  # optional: needs ray

    block_of = {embed_text(d, settings.lead_chars): (d.published or "")[:10] for d in docs}

    def encode(texts: list[str], name: str) -> Any:
        blocks = [block_of.get(t, "") for t in texts]
        return ray_engine.encode_blocks(texts, blocks, name, options.workers, options.ray_address)

    with embedding_remote(encode):
        yield


def _redate(e: Enriched, a: Article) -> None:
    """Resolve an article's dates again against its (newly inferred) publication date."""
    try:
        e.dates = dates_mod.find_dates(a.text, a.published)
        if e.clauses:
            e.dates = dates_mod.follow_tense(e.dates, e.clauses, a.published)
    except Exception:  # pragma: no cover - defensive: dates are extras, never fatal
        log.exception("%s: re-resolving dates failed", a.id)


def _storylines(
    stories: list[Story],
    by_id: dict[str, Article],
    enriched: dict[str, Enriched],
    db: ArticleStore,
) -> list[Storyline]:
    """Group the stories into storylines (continuing from the stored state) and tag each story
    with its storyline id."""
    builder = StorylineBuilder(state=db.get_state("storylines"))
    docs = {
        s.id: [_cluster_doc(by_id[a], enriched[a]) for a in s.articles if a in by_id]
        for s in stories
    }
    line_of = builder.update(docs)
    db.set_state("storylines", builder.state())
    for s in stories:
        s.storyline = line_of.get(s.id)
    return assemble_storylines(stories, line_of, by_id)


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
    """What the stored clustering state was made with: settings, and the vectors' encoder (a
    new one clusters the archive again rather than mix its vectors with the stored ones)."""
    key = f"{options.granularity}:{int(options.use_embeddings)}"
    return f"{key}:{vectors_id(cluster_backend())}" if options.use_embeddings else key


_STORY_KEYS = "story_keys"


def _stored_stories(db: ArticleStore) -> StoryCache:
    """The stored stories by cache key, each with its rebuilt fields' digest as the state
    notes it for that very text (None where the text is not the one noted, or the store noted
    none: the fields are then written into the text anew) and its text's hash."""
    state = db.get_state(_STORY_KEYS) or {}
    outlines = db.story_outlines()
    keys = state.get("keys") or {}
    noted = state.get("fields") or {}
    stored: dict[str, tuple[StoryOutline, str | None, str]] = {}
    for k, sid in keys.items():
        if sid in outlines:
            noted_hash, digest = noted.get(k) or (None, None)
            text_hash = content_hash(outlines[sid].text)
            stored[k] = (outlines[sid], digest if noted_hash == text_hash else None, text_hash)
    return StoryCache(stored=stored)


#: the fields of a story's record that are rebuilt on every run (``rebuilt`` in
#: :func:`build_stories`, the storyline, and the fields derived from its articles): the rest
#: of a reused story's record is the stored one. Of these, the attributions follow from the
#: story's cache key alone (its members' records and canonical names, and the code of
#: :mod:`newsprism.stories`, where :func:`~newsprism.stories.quotes.story_attributions` and
#: :func:`~newsprism.stories.quotes.canonical_speakers` live), so a story reused under its key
#: has the attributions of its stored text; the others may change while the key stays (the id
#: by position, an entity's type voted over the archive, the storyline).
_REBUILT = (
    "id",
    "title",
    "articles",
    "outlets",
    "first_published",
    "last_published",
    "entities",
    "storyline",
    "attributions",
)
_DIGESTED = _REBUILT[:-1]  # (what _rebuilt_fields gives)


def _rebuilt_fields(story: Story, by_id: dict[str, Article]) -> dict[str, Any]:
    """The rebuilt fields of ``story``'s record that are digested (:data:`_DIGESTED`)."""
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.articles),
        **derived_fields(story, by_id),
        "entities": codec.to_dict(story.entities),
        "storyline": story.storyline,
    }


def _attributions_reader(
    by_id: dict[str, Article],
    enriched: dict[str, Enriched],
    complete: Callable[[Iterable[str]], None],
) -> Callable[[Story], list[StoryAttribution]]:
    """A function giving a story's attribution list as its articles' records make it now (the
    records read from the store, then let go)."""

    def attributions_of(story: Story) -> list[StoryAttribution]:
        complete(story.articles)
        found = story_attributions([by_id[a] for a in story.articles], enriched)
        _outlines_again(story.articles, enriched)
        return found

    return attributions_of


def _fields_digest(record: dict[str, Any]) -> str:
    """A digest of the rebuilt fields that may change while a story's key stays
    (:data:`_DIGESTED`) of its record (JSON-ready), kept instead of the fields."""
    fields_ = {k: record[k] for k in _DIGESTED if k in record}
    return content_hash(json.dumps(fields_, sort_keys=True, ensure_ascii=False))


def _story_texts(
    stories: list[Story],
    by_id: dict[str, Article],
    cache: StoryCache,
    attributions_of: Callable[[Story], list[StoryAttribution]],
) -> dict[str, str]:
    """Each story's record as the store keeps it (JSON), by story id. A story held as its text
    (reused, or compared in this run) whose rebuilt fields are still those of the text keeps
    it: its record is the same, so it is neither encoded nor written again. One whose rebuilt
    fields changed (a storyline, an entity's type), or whose text is not the one the store
    noted them for, gets them written into its text (in the second case its attributions too,
    from ``attributions_of``); the rest of the record stays as it is."""
    texts: dict[str, str] = {}
    for s in stories:
        kept = cache.kept.pop(s.id, None)
        if kept is None:
            record = story_to_dict(s, by_id)
            texts[s.id] = json.dumps(record)
            cache.noted[s.id] = (content_hash(texts[s.id]), _fields_digest(record))
            continue
        text, digest, text_hash = kept
        fields_ = _rebuilt_fields(s, by_id)
        now = _fields_digest(fields_)
        if now != digest:
            data = json.loads(text)
            data.update(fields_)
            if digest is None:
                data["attributions"] = codec.to_dict(attributions_of(s))
            text = json.dumps(data)
            if isinstance(s, StoredStory):
                s.record = text  # (the same lazy fields)
            text_hash = None
        texts[s.id] = text
        cache.noted[s.id] = (text_hash or content_hash(text), now)
    return texts


def _held_as_text(story: Story, by_id: dict[str, Article], cache: StoryCache) -> StoredStory:
    """A story just compared, held from now on as its record (JSON text), its comparison
    decoded again only if someone reads it (a run over a large archive holds texts, not
    objects); the text and its rebuilt fields' digest are kept for :func:`_story_texts`."""
    record = story_to_dict(story, by_id)
    text = json.dumps(record)
    cache.kept[story.id] = (text, _fields_digest(record), None)
    return StoredStory.holding(story, text)


def build_stories(
    articles: list[Article],
    enriched: dict[str, Enriched],
    entities: list[Entity],
    assignments: dict[str, str],
    options: AnalyzeOptions,
    progress: Progress | None = None,
    cache: StoryCache | None = None,
    complete: Callable[[Iterable[str]], None] | None = None,
) -> list[Story]:
    """Group articles by story, then compare each story's outlets and write its brief.

    With a ``cache``, a story whose members and their enrichment are unchanged since the stored
    run is taken from the store instead of being compared again. ``enriched`` may hold partial
    records (:attr:`~newsprism.model.Enriched.partial`) when ``complete`` is given: it reads the
    whole records of the article ids it is given into ``enriched``, one story at a time (Ray:
    all of them before the tasks start), and a compared story's records are left partial
    again. Stories are compared independently of one another: in this process with
    ``engine="local"``, as Ray tasks (one per time block of stories) with ``engine="ray"``; the
    stories are the same either way."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[assignments.get(a.id, f"solo-{a.id}")].append(a)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), _first_date(kv[1]), kv[0]))
    # what a story's key holds besides its members: the brief's size, and the sentence encoder
    # (it makes the claims' vectors, and with them the judge's verdicts)
    key_settings = {"max_facts": options.max_facts, "encoder": vectors_id(backend_name())}
    stories: list[Story] = []
    jobs: list[CompareJob] = []  # the stories to compare, and where each goes
    places: list[tuple[int, str]] = []  # (index in stories, cache key)
    named_in: dict[str, list[int]] = defaultdict(list)  # article id -> its entities (indices)
    for k, e in enumerate(entities):
        for aid in e.articles:
            named_in[aid].append(k)
    for n, (_, members) in enumerate(ordered, 1):
        members.sort(key=lambda a: (a.published or "9999", a.id))
        story_id, title = f"story-{n:04d}", _story_title(members)
        ids = {a.id for a in members}
        story_entities = sorted(
            (
                StoryEntity(e.name, e.type, e.variants_in(ids), [x for x in e.articles if x in ids])
                for e in (entities[k] for k in {k for a in members for k in named_in[a.id]})
            ),
            # the story's own order (the articles naming it, then the name): an article added
            # elsewhere in the archive leaves it as it is
            key=lambda se: (-len(se.articles), se.name, se.type),
        )
        key = ""
        # what is rebuilt on every run (the id and title by position, the entities' canonical
        # names archive-wide, with the spellings of the story's own articles)
        # (the attributions too: read with the records of a story compared again; a reused
        # story's are those of its stored record, decoded when read)
        rebuilt: dict[str, Any] = {
            "id": story_id,
            "title": title,
            "articles": [a.id for a in members],
            "entities": story_entities,
        }
        if cache is not None:
            key = story_cache.story_key(members, enriched, key_settings)
            found = cache.stored.pop(key, None)
            if found is not None:
                (text, timeline, storyline), digest, text_hash = found
                held = StoredStory.of(
                    text,
                    **rebuilt,
                    timeline=[TimelineEntry.from_dict(t) for t in timeline],
                    storyline=storyline,
                )
                # (digest None: the rebuilt fields are written into the text anew)
                cache.kept[story_id] = (text, digest, text_hash)
                stories.append(held)
                cache.built[key] = held
                cache.reused += 1
                continue
        story = Story(**rebuilt)
        stories.append(story)
        jobs.append(CompareJob(story, members, {}, options.max_facts))
        places.append((len(stories) - 1, key))
    reused = len(stories) - len(jobs)

    def done(count: int) -> None:
        if progress:
            progress("compare", reused + count, len(ordered))

    def ready(job: CompareJob) -> CompareJob:
        ids = [a.id for a in job.members]
        if complete is not None:
            complete(ids)
        job.enriched = {i: enriched[i] for i in ids}
        job.story.attributions = story_attributions(job.members, job.enriched)
        return job

    by_id = {a.id: a for a in articles}

    def settle(place: tuple[int, str], compared: Story) -> None:
        i, key = place
        stories[i] = compared
        if cache is not None:
            # held as its record from now on: a run holds each compared story's text, never
            # all the compared stories as objects at once
            stories[i] = cache.built[key] = _held_as_text(compared, by_id, cache)

    if options.engine == "ray" and len(jobs) > 1:
        from newsprism.engine import ray as ray_engine  # optional: needs ray

        blocks = [_first_date(job.members)[:10] for job in jobs]
        results = ray_engine.compare_blocks(
            [ready(job) for job in jobs],
            blocks,
            compare_members,
            options.workers,
            options.ray_address,
            done,
        )
        if complete is not None:
            for job in jobs:
                _forget(job, enriched)
        for place, compared in zip(places, results, strict=True):
            settle(place, compared)
    else:
        pending = deque(zip(places, jobs, strict=True))
        jobs.clear()  # a job is let go once its story is settled
        count = 0
        while pending:
            place, job = pending.popleft()
            settle(place, compare_members(ready(job)))  # (no name left holding the story)
            if complete is not None:
                _forget(job, enriched)
            count += 1
            done(count)
    if cache is not None and cache.reused:
        log.info(
            "%d of %d stories unchanged since the last run: reused", cache.reused, len(ordered)
        )
    return stories


def _forget(job: CompareJob, enriched: dict[str, Enriched]) -> None:
    """Leave a compared story's records as outlines again (they are in the store): a run holds
    the whole records of one story at a time."""
    _outlines_again(job.enriched, enriched)
    job.enriched = {}


def _outlines_again(ids: Iterable[str], enriched: dict[str, Enriched]) -> None:
    """The whole records among ``ids`` in ``enriched`` cut back to their outlines (only those
    the store holds: a record with a digest), once what needed them is done."""
    for aid in ids:
        e = enriched[aid]
        if not e.partial and e.digest:
            enriched[aid] = _outline(e)


@dataclass
class CompareJob:
    """One story to compare: the story so far (id, title, entities, attributions), its
    articles (in story order) and their enrichment."""

    story: Story
    members: list[Article]
    enriched: dict[str, Enriched]
    max_facts: int


def compare_members(job: CompareJob) -> Story:
    """The job's story with its comparison across outlets (facts, conflicts, quotes, timeline,
    the background long before, framing, events) and its brief. It depends on this story
    alone, so stories can be compared in parallel (the Ray engine runs one task per time block
    of stories). The facts' claims are left behind once the brief is written: a story read
    back from the store has none either, so a reused story and a fresh one are alike."""
    comparison = compare_mod.compare_story(job.members, job.enriched)
    dated = story_timeline(comparison.facts, [a.published for a in job.members])
    comparison.timeline = dated.events
    brief = brief_mod.build_brief(job.members, comparison, max_facts=job.max_facts)
    for fact in comparison.facts:
        fact.claims = []
    return comparison.onto(job.story, brief=brief, background=dated.background)


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
