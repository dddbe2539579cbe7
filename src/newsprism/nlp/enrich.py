"""Per-article enrichment: sentences, entities, dates, attributions — one spaCy parse each."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from newsprism import profile
from newsprism.fingerprint import dist_versions, source_digest
from newsprism.model import Article, Enriched
from newsprism.nlp import attributions as attributions_mod
from newsprism.nlp import clauses as clauses_mod
from newsprism.nlp import dates as dates_mod
from newsprism.nlp import entities as entities_mod
from newsprism.nlp.bounds import note_limits
from newsprism.nlp.events import extract_events
from newsprism.nlp.gist_pronouns import name_pronouns
from newsprism.nlp.pipeline import SPACY_DIST, parse_many, sentences
from newsprism.nlp.words import article_words

log = logging.getLogger(__name__)

ENGLISH = {None, "", "en"}

#: modules of this package that do not shape a stored record: the sentence encoder (its
#: vectors carry an id of their own) and the canonical names (made anew on every run)
_NOT_RECORDED = frozenset({"embed.py", "canonical.py"})
#: data files the language analysis reads
_DATA = ("attribution_cues.json", "attribution_drafts.json", "event_lexicon.json", "actors.tsv")


@lru_cache(maxsize=1)
def enricher_id() -> str:
    """Fingerprint of the language analysis that makes an :class:`Enriched` record: the source
    of this package's modules, of the data model and text utilities, the data files they read,
    and the versions of spaCy and its English model. A record stored with another id was made
    by another version of newsprism; ``analyze`` says so, and redoes it with ``--reenrich``."""
    here = Path(__file__).resolve().parent
    root = here.parent
    paths = [p for p in sorted(here.glob("*.py")) if p.name not in _NOT_RECORDED]
    paths += [root / name for name in ("model.py", "codec.py", "text.py", "stopwords.py")]
    paths += [root / "data" / name for name in _DATA]
    return source_digest(paths, *dist_versions("spacy", SPACY_DIST))


def enrich_articles(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Enriched]:
    """Enrich articles in order. Non-English articles get sentences only (flagged at ingest)."""
    items = list(articles)
    docs = iter(parse_many((a.text for a in items), batch_size=batch_size))
    for article in items:
        with profile.stage("parse"):  # timed per article; never held across the yield
            doc = next(docs)
        with profile.stage("annotate"):
            out = enrich_doc(article, doc)
        yield out


def enrich_doc(article: Article, doc) -> Enriched:
    """Enrichment of one parsed article; a failing step is logged and left empty, never fatal."""
    out = Enriched(article_id=article.id, sentences=sentences(doc), enricher=enricher_id())
    if article.language not in ENGLISH:
        note_limits(article.id, len(article.text), doc)
        return out
    try:
        out.entities = entities_mod.extract_entities(doc)
    except Exception:  # pragma: no cover - defensive: one bad article never stops a run
        log.exception("%s: entity extraction failed", article.id)
    try:
        out.dates = dates_mod.find_dates(article.text, article.published)
    except Exception:  # pragma: no cover - guards: the date grammar on arbitrary text
        log.exception("%s: date normalization failed", article.id)
    try:
        out.clauses = clauses_mod.split_clauses(doc)
        tenses = clauses_mod.governing_tenses(doc, ((d.start, d.end) for d in out.dates))
        out.dates = dates_mod.follow_tense(out.dates, out.clauses, article.published, tenses)
    except Exception:  # pragma: no cover - guards: clause rules on an arbitrary parse
        log.exception("%s: clause splitting failed", article.id)
    try:
        out.attributions = attributions_mod.extract_attributions(doc, out.entities)
    except Exception:  # pragma: no cover - guards: attribution rules on an arbitrary parse
        log.exception("%s: attribution extraction failed", article.id)
    try:
        out.clauses = name_pronouns(doc, out.clauses, out.entities, out.attributions)
    except Exception:  # pragma: no cover - guards: the gists stay as the clauses gave them
        log.exception("%s: naming the pronouns of claims failed", article.id)
    try:
        out.words = article_words(doc)
    except Exception:  # pragma: no cover - guards: framing then parses the claims it needs
        log.exception("%s: keeping the parse's words failed", article.id)
    try:
        out.events = extract_events(doc, out.entities, out.dates, out.attributions)
    except Exception:  # pragma: no cover - guards: event rules on an arbitrary parse
        log.exception("%s: event extraction failed", article.id)
    note_limits(article.id, len(article.text), doc)  # caps that were applied, one line each
    return out
