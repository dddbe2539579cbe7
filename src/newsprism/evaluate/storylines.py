"""Scores stories and storylines on DUC 2004 clusters used as a multi-outlet archive.

Each record of ``duc2004_dev.jsonl`` is one news topic followed over days or weeks: its
``articles`` come from several outlets, and each ``doc_ids`` entry names the outlet and the
day (``APW19981016.0240``: AP, 1998-10-16; ``NYT``: New York Times; ``XIE``: Xinhua). All
articles of all records go to the clusterer as one archive, with outlet and date but without
the cluster id; stories (event granularity) and storylines are then scored with BCubed
against the cluster ids. Stories are expected to cut a topic into events (high precision,
lower recall); storylines should give back the topics.

Besides the scores over the whole file, ``half_a_*`` and ``half_b_*`` score each half of the
topics (alternate records, by cluster id) clustered on its own: the storyline settings were
chosen on half A, so half B is an estimate on topics they were not tuned on.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import numpy as np

from newsprism.errors import ModelMissingError
from newsprism.evaluate import read_jsonl
from newsprism.evaluate.cluster import bcubed
from newsprism.nlp.dates import find_dates
from newsprism.nlp.embed import cluster_backend
from newsprism.nlp.pipeline import embed
from newsprism.stories.cluster import ClusterDoc, ClusterSettings, cluster
from newsprism.stories.cluster_features import lead
from newsprism.stories.storylines import storylines
from newsprism.stories.timeline import date_bounds, story_timeline

if TYPE_CHECKING:
    from newsprism.stories.facts import Fact

log = logging.getLogger(__name__)

OUTLETS = {"APW": "AP", "NYT": "New York Times", "XIE": "Xinhua"}
_DOC_ID = re.compile(r"^([A-Z]{3})(\d{4})(\d\d)(\d\d)")


def doc_meta(doc_id: str) -> tuple[str | None, str | None]:
    """(outlet, ISO date) from a DUC doc id, or ``(None, None)`` when it has another form."""
    m = _DOC_ID.match(doc_id or "")
    if not m:
        return None, None
    prefix, y, mo, d = m.groups()
    return OUTLETS.get(prefix, prefix), f"{y}-{mo}-{d}"


def corpus(path: Path, limit: int | None = None):
    """``(docs, gold)``: ClusterDocs with outlet and date, and doc id -> cluster id."""
    docs, gold = [], {}
    for n, rec in enumerate(read_jsonl(Path(path))):
        if limit is not None and n >= limit:
            break
        for doc_id, text in zip(rec.get("doc_ids") or [], rec.get("articles") or [], strict=False):
            if not isinstance(text, str) or not text.strip() or doc_id in gold:
                continue
            outlet, day = doc_meta(doc_id)
            docs.append(ClusterDoc(id=doc_id, text=text, published=day, source=outlet))
            gold[doc_id] = rec.get("cluster_id")
    return docs, gold


def run_levels(docs, embeddings: np.ndarray | None = None) -> tuple[dict, dict]:
    """Cluster ``docs`` into stories, then stories into storylines; doc id -> id at each."""
    stories = cluster(docs, embeddings=embeddings)
    by_story: dict[str, list] = defaultdict(list)
    for d in docs:
        by_story[stories[d.id]].append(d)
    line_of = storylines(by_story)
    return stories, {d.id: line_of[stories[d.id]] for d in docs}


_SENT = re.compile(r"[^.!?\n]+[.!?]?")


def timeline_checks(docs, stories: dict[str, str]) -> dict[str, float]:
    """The story timelines' two promises on real coverage, with one fact per distinct sentence
    (copies of a sentence in several articles are one fact with several sources):
    ``timeline_unique_share``, the share of event and background entries whose sentence is
    listed once in its story, and ``timeline_recent_share``, the share of event entries not
    dated two years or more before their story's first day. Both should be 1.0."""
    by_story: dict[str, list] = defaultdict(list)
    for d in docs:
        by_story[stories[d.id]].append(d)
    entries = repeated = old = events = background = 0
    for members in by_story.values():
        facts: dict[str, SimpleNamespace] = {}
        for d in members:
            mentions = find_dates(d.text, d.published)
            for m in _SENT.finditer(d.text):
                text = m.group().strip()
                if len(text) < 20:
                    continue
                start = m.start() + m.group().index(text)
                claim = SimpleNamespace(
                    article=d.id,
                    start=start,
                    end=start + len(text),
                    text=text,
                    outlet=d.source,
                    speaker=None,
                    dates=[x for x in mentions if start <= x.start < start + len(text)],
                )
                key = " ".join(text.lower().split())
                fact = facts.setdefault(
                    key, SimpleNamespace(id=f"f{len(facts) + 1}", text=text, claims=[])
                )
                fact.claims.append(claim)
        first = min((d.published for d in members if d.published), default=None)
        # duck-typed facts: story_timeline reads only id, text and claims
        tl = story_timeline(
            cast("list[Fact]", list(facts.values())), [d.published for d in members]
        )
        listed = [" ".join(e.text.lower().split()) for e in tl.events + tl.background]
        entries += len(listed)
        repeated += len(listed) - len(set(listed))
        events += len(tl.events)
        background += len(tl.background)
        if first:
            old += sum(1 for e in tl.events if _years_before(e.date, first) >= 2)
    return {
        "timeline_entries": float(entries),
        "timeline_background": float(background),
        "timeline_unique_share": 1.0 - repeated / entries if entries else 1.0,
        "timeline_recent_share": 1.0 - old / events if events else 1.0,
    }


def _years_before(value: str, first: str) -> float:
    """Years from the end of a TIMEX value to the day ``first`` (0 when not comparable)."""
    b = date_bounds(value)
    try:
        day = dt.date.fromisoformat(first[:10])
    except ValueError:
        return 0.0
    return (day - b[1]).days / 365.25 if b else 0.0


def _scores(prefix: str, pred: dict, gold: dict) -> dict[str, float]:
    out = {f"{prefix}{k}": v for k, v in bcubed(pred, gold).items()}
    out[f"{prefix}n"] = float(len(set(pred.values())))
    return out


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Stories and storylines over all topics of ``path``, and over each half on its own."""
    docs, gold = corpus(path, limit)
    emb = None
    if ClusterSettings().use_embeddings:
        try:
            leads = [lead(d.text, ClusterSettings().lead_chars) for d in docs]
            emb = np.asarray(embed(leads, backend=cluster_backend()))  # as the clusterer's
        except ModelMissingError as exc:  # the clusterer runs on TF-IDF alone
            log.warning("embeddings unavailable (%s)", exc)
    out: dict[str, float] = {"n_docs": float(len(docs)), "n_gold": float(len(set(gold.values())))}
    stories, lines = run_levels(docs, emb)
    out.update(_scores("story_", stories, gold))
    out.update(_scores("storyline_", lines, gold))
    out.update(timeline_checks(docs, stories))
    topics = sorted(set(gold.values()))
    for name, keep in (("half_a_", set(topics[0::2])), ("half_b_", set(topics[1::2]))):
        idx = [i for i, d in enumerate(docs) if gold[d.id] in keep]
        sub = [docs[i] for i in idx]
        sub_gold = {d.id: gold[d.id] for d in sub}
        s, ln = run_levels(sub, None if emb is None else emb[idx])
        out.update(_scores(name + "story_", s, sub_gold))
        out.update(_scores(name + "storyline_", ln, sub_gold))
    log.info("storyline scores: %s", out)
    return out
