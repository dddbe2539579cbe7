"""Cross-outlet comparison of one story: orchestration only.

1. :mod:`~newsprism.stories.claims`: each article's sentences split into clause-level claims
   with slots and attribution.
2. :mod:`~newsprism.stories.align`: candidate pairs scored by the learned same-fact judge and
   grown into facts.
3. :mod:`~newsprism.stories.conflicts`: slot disagreements between claims about one event,
   inside a fact or between a fact and a claim the judge kept apart because of them; figures
   reported on different days are updates.
4. Status per fact (:mod:`~newsprism.stories.facts`), related coverage, the coverage matrix,
   timeline, framing, quotes by speaker (:mod:`~newsprism.stories.quotes`) and event records
   (:mod:`~newsprism.stories.events`: rows plus an aggregate per actor pair and day).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter, defaultdict

import numpy as np

from newsprism.model import Article, Enriched, Sentence
from newsprism.nlp.pipeline import embed
from newsprism.runtime import fewer_collections
from newsprism.stories import align
from newsprism.stories.claims import Claim, entity_key, extract_claims, is_content_sentence
from newsprism.stories.conflicts import (
    COUNT_COSINE,
    PairConflict,
    StoryContext,
    may_conflict_matrix,
    merge_conflicts,
    pair_conflicts,
    story_context,
)
from newsprism.stories.events import event_pairs, story_events
from newsprism.stories.facts import Comparison, Fact, Source
from newsprism.stories.framing import framing_terms
from newsprism.stories.judge import RELATED
from newsprism.stories.quotes import quotes_by_speaker
from newsprism.stories.timeline import build_timeline
from newsprism.text import is_question

log = logging.getLogger(__name__)

MIN_CLAIMS_PER_ARTICLE = 3  # claims kept per article at least when a story is capped
CROSS_CHECKS = 6  # partners outside its fact a claim is checked against for conflicts
RELATED_SHOWN = 3  # related claims listed under a fact at most


def compare_story(
    articles: list[Article],
    enriched: dict[str, Enriched],
    embeddings: dict[str, np.ndarray] | None = None,
) -> Comparison:
    """Align the claims of a story's articles into facts and compare the outlets (never raises
    on odd input: articles without text or enrichment just contribute nothing).

    ``embeddings``: each article's sentence vectors, one row per sentence, made by
    :func:`~newsprism.nlp.pipeline.embed` (claims are embedded here when absent).

    Runs at the collector pace of a run (:func:`~newsprism.runtime.fewer_collections`), for
    every caller: a comparison makes hundreds of thousands of short-lived records and no
    reference cycles, and at CPython's default pace the collector took a tenth of its time."""
    with fewer_collections():
        return _compare(articles, enriched, embeddings)


def _compare(
    articles: list[Article],
    enriched: dict[str, Enriched],
    embeddings: dict[str, np.ndarray] | None,
) -> Comparison:
    articles = [a for a in articles if a is not None]
    outlets = list(dict.fromkeys(a.source or a.id for a in articles))
    claims = story_claims(articles, enriched)
    vectors = _vectors(claims, enriched, embeddings)
    scores = align.score_pairs(claims, vectors)
    ind_key = align.independence_keys(articles)
    event_keys = [
        align.claim_event_keys(c, en.events if (en := enriched.get(c.article)) else [])
        for c in claims
    ]
    align.join_told_events(claims, event_keys, scores, ind_key)
    groups = align.group_claims(claims, scores)
    ctx = story_context(claims)
    story_places: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        story_places[c.outlet] |= c.places
    spans = _entity_spans(articles, enriched, claims)

    checkable = _checkable(claims, ind_key)
    found = _cross_conflicts(claims, groups, scores, ctx, story_places, spans, checkable)
    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(384, dtype=np.float32)
    where = {i: k for k, g in enumerate(groups) for i in g}
    facts: list[Fact] = []
    reps: list[int] = []
    for k, g in enumerate(groups):
        gc = [claims[i] for i in g]
        pcs = list(found.get(k, []))
        rep, p_link = g[0], 1.0
        if len(g) > 1:
            # the fact's pairs, each once (x before y), as index arrays into g
            sub = np.ix_(g, g)
            cos_g, p_g = scores.cos[sub], scores.p[sub]
            xs, ys = np.nonzero(np.triu(checkable[sub], 1))
            for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
                i, j = g[x], g[y]
                pcs.extend(
                    pair_conflicts(
                        claims[i],
                        claims[j],
                        float(cos_g[x, y]),
                        float(p_g[x, y]),
                        ctx,
                        story_places,
                        spans,
                    )
                )
            rep = g[int(np.argmax(cos_g.sum(axis=1)))]
            # the weakest link between two independent sources the judge scored
            art_keys = np.array([ind_key.get(c.article) for c in gc], dtype=object)
            linked = np.triu((art_keys[:, None] != art_keys[None, :]) & (p_g > 0), 1)
            if linked.any():
                p_link = float(p_g[linked].min())
        conflicts, updates = merge_conflicts(pcs)
        keys = {ind_key.get(c.article, c.outlet) for c in gc}
        indep = len(keys)
        status = "conflicting" if conflicts else ("corroborated" if indep >= 2 else "single-source")
        related = _related(claims, g, scores, ind_key, keys, where, k)
        facts.append(
            Fact(
                id="",
                text=claims[rep].text,
                status=status,
                outlets=list(dict.fromkeys(c.outlet for c in gc)),
                sources=[Source.of(c) for c in gc],
                conflicts=conflicts,
                updates=updates,
                related=related,
                claims=gc,
                independent=indep,
                centrality=float(vectors[rep] @ centroid),
                p_same=p_link,
            )
        )
        reps.append(rep)
    first = {a.id: i for i, a in enumerate(articles)}
    order = sorted(
        range(len(facts)),
        key=lambda k: (
            -facts[k].independent,
            min(first.get(c.article, 0) for c in facts[k].claims),
            min((c.index, c.start) for c in facts[k].claims),
        ),
    )
    facts = [facts[k] for k in order]
    reps = [reps[k] for k in order]
    for k, f in enumerate(facts, 1):
        f.id = f"f{k}"
    comp = Comparison(facts=facts, outlets=outlets, vectors=vectors[reps] if reps else None)
    comp.timeline = build_timeline(facts)
    try:
        comp.framing = framing_terms(articles, enriched, facts)
    except Exception:  # guards: framing of arbitrary text must never sink the comparison
        log.exception("framing failed")
    comp.quotes = quotes_by_speaker(articles, enriched)
    comp.events = story_events(articles, enriched)
    comp.event_pairs = event_pairs(comp.events)
    log.debug("compared %d articles: %d claims, %d facts", len(articles), len(claims), len(facts))
    return comp


def story_claims(articles: list[Article], enriched: dict[str, Enriched]) -> list[Claim]:
    """The content claims of a story's articles, each article capped to its lead so that a
    story holds at most :data:`~newsprism.stories.align.MAX_CLAIMS`."""
    per_article = max(MIN_CLAIMS_PER_ARTICLE, align.MAX_CLAIMS // max(1, len(articles)))
    claims: list[Claim] = []
    for a in articles:
        try:
            cl = extract_claims(a, enriched.get(a.id), max_claims=per_article)
        except Exception:  # guards: one article's odd text never stops the story
            log.exception("article %s: claim extraction failed", a.id)
            continue
        claims.extend(c for c in cl[:per_article] if _content(c))
    return claims


def _content(c: Claim) -> bool:
    """A claim worth comparing: content (not debris, nor a credit line in brackets such as
    "(CNN News Article)"), and a statement (a question asks, it states no fact an outlet
    could corroborate)."""
    text = c.text.strip()
    if text[:1] in "([" and text[-1:] in ")]" and text[-2:-1].strip() not in (".", "!", "?"):
        return False  # (a bracketed sentence of its own ends in a full stop: "(... comment.)")
    if text.endswith(":") or (len(text.split()) <= 6 and _CUT_AT_TITLE.search(text)):
        # a lead-in ("President Barack Obama:") or a few words cut inside a name ("Troy police
        # Lt.", the rest taken for a sentence of its own): no fact stated yet (a long sentence
        # cut at a name still states most of its own)
        return False
    return is_content_sentence(Sentence(c.start, c.end, c.text)) and not is_question(c.text)


#: a title that only ever stands before a name: a claim ending in one was cut inside the name
_CUT_AT_TITLE = re.compile(
    r"\b(?:Lt|Sgt|Capt|Cpl|Col|Gen|Adm|Maj|Gov|Sen|Rep|Dr|Mr|Mrs|Ms|Prof|Rev|Insp|Det)\s?\.$"
)


def _vectors(
    claims: list[Claim],
    enriched: dict[str, Enriched],
    embeddings: dict[str, np.ndarray] | None,
) -> np.ndarray:
    """Gist vectors. A claim whose gist is its whole text (but for the closing full stop) is
    embedded as written, so it reuses its sentence's precomputed vector: each sentence is
    embedded once, for clustering, comparison and the brief alike."""
    rows: list[np.ndarray | None] = [None] * len(claims)
    texts = [_vector_text(c) for c in claims]
    if embeddings:
        index: dict[tuple[str, int, int], np.ndarray] = {}
        for aid, pre in embeddings.items():
            en = enriched.get(aid)
            if en is not None and pre is not None and len(pre) == len(en.sentences):
                for r, s in enumerate(en.sentences):
                    index[(aid, s.start, s.end)] = pre[r]
        for k, c in enumerate(claims):
            if texts[k] == c.text:
                rows[k] = index.get((c.article, c.start, c.end))
    missing = [k for k, v in enumerate(rows) if v is None]
    if missing:
        new = embed([texts[k] for k in missing])
        for m, k in enumerate(missing):
            rows[k] = new[m]
    if not rows:
        return np.zeros((0, 384), dtype=np.float32)
    vecs = np.vstack([np.asarray(v, dtype=np.float32) for v in rows])
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1, norms)


def _vector_text(c: Claim) -> str:
    """What a claim's vector is made from: its gist, or its text as written when the gist only
    drops the closing full stop (the sentence vector then serves)."""
    gist = c.gist or c.text
    if gist == c.text or gist == c.text.rstrip().rstrip(".!?").rstrip():
        return c.text
    return gist


def _entity_spans(
    articles: list[Article], enriched: dict[str, Enriched], claims: list[Claim]
) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(claim id, entity key) -> the mention's span, for citing a place value exactly."""
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_article[c.article].append(c)
    spans: dict[tuple[str, str], tuple[int, int, str]] = {}
    for a in articles:
        en = enriched.get(a.id)
        if not en:
            continue
        # per claim, the mentions that start inside it, in text order of the mention list (a
        # scan of every claim per mention was quadratic in a long article; issue 18)
        order = sorted(range(len(en.entities)), key=lambda k: en.entities[k].start)
        starts = [en.entities[k].start for k in order]
        keys: dict[int, str] = {}
        for c in by_article.get(a.id, []):
            lo = bisect.bisect_left(starts, c.start)
            hi = bisect.bisect_left(starts, c.end)
            for k in sorted(order[lo:hi]):
                m = en.entities[k]
                if k not in keys:
                    keys[k] = entity_key(m)
                spans.setdefault((c.id, keys[k]), (m.start, m.end, m.text))
    return spans


def _checkable(claims: list[Claim], ind_key: dict[str, str]) -> np.ndarray:
    """The pairs of claims a conflict check looks at (a boolean matrix): from independent
    outlets (wire copies and one outlet's articles count once), with slots that could disagree
    at all (:func:`~newsprism.stories.conflicts.may_conflict_matrix`)."""
    outlet_ids: dict[str | None, int] = {}
    outlet = np.array(
        [outlet_ids.setdefault(ind_key.get(c.article), len(outlet_ids)) for c in claims]
    )
    checkable: np.ndarray = may_conflict_matrix(claims) & (outlet[:, None] != outlet[None, :])
    return checkable


def _cross_conflicts(
    claims: list[Claim],
    groups: list[list[int]],
    scores: align.Alignment,
    ctx: StoryContext,
    story_places: dict[str, set[str]],
    spans: dict[tuple[str, str], tuple[int, int, str]],
    checkable: np.ndarray,
) -> dict[int, list[PairConflict]]:
    """A claim the judge kept out of a fact because its values differ is checked against the
    fact's claims: when the two are about one event and disagree, it joins the fact as the
    other side (a claim that is part of another multi-outlet fact stays there too).

    Checked: pairs the judge scored, pairs worded alike (cosine >= COUNT_COSINE), pairs with
    the same predicate, and pairs that both name an office holder or a district; each claim
    against at most :data:`CROSS_CHECKS` partners that share a kind of slot with it (keyed
    slots always; only ``checkable`` pairs, see :func:`_checkable`). Returns group index ->
    the disagreements found."""
    n = len(claims)
    where = {i: k for k, g in enumerate(groups) for i in g}
    found: dict[int, list[PairConflict]] = defaultdict(list)
    if n < 2:
        return found
    preds = np.array([c.predicate or f"_{k}" for k, c in enumerate(claims)])
    keyed = np.array([bool(c.roles or c.areas) for c in claims])
    mask = (
        (scores.p > 0)
        | (scores.cos >= COUNT_COSINE)
        | (preds[:, None] == preds[None, :])
        | (keyed[:, None] & keyed[None, :])
    )
    mask &= checkable
    # pairs inside one fact are never checked here, and stay inside one fact below (only a
    # claim alone moves to another fact): left out before the loop
    group_of = np.array([where[i] for i in range(n)])
    mask &= group_of[:, None] != group_of[None, :]
    iu, ju = np.nonzero(np.triu(mask, k=1))
    rank = scores.p[iu, ju] + scores.cos[iu, ju]
    checks: Counter[int] = Counter()
    attached: set[int] = set()
    order = np.argsort(-rank, kind="stable")
    is_keyed_claim = keyed.tolist()
    for i, j in zip(iu[order].tolist(), ju[order].tolist(), strict=True):
        a, b = claims[i], claims[j]
        if where[i] == where[j]:  # (independence and may_conflict are in the mask)
            continue
        is_keyed = is_keyed_claim[i] and is_keyed_claim[j]
        if not is_keyed and (checks[i] >= CROSS_CHECKS or checks[j] >= CROSS_CHECKS):
            continue  # only a claim's best few partners outside its fact
        checks[i] += 1
        checks[j] += 1
        pcs = pair_conflicts(
            a, b, float(scores.cos[i, j]), float(scores.p[i, j]), ctx, story_places, spans
        )
        if not pcs:
            continue
        gi, gj = groups[where[i]], groups[where[j]]
        host, guest = (i, j) if len(gi) >= len(gj) else (j, i)
        if guest in attached:
            continue
        attached.add(guest)
        groups[where[host]].append(guest)
        found[where[host]].extend(pcs)
        if len(groups[where[guest]]) == 1:  # a claim alone becomes the other side
            groups[where[guest]] = []
            where[guest] = where[host]
    empty = [k for k, g in enumerate(groups) if not g]
    if empty:
        keep = [k for k, g in enumerate(groups) if g]
        remap = {old: new for new, old in enumerate(keep)}
        groups[:] = [groups[k] for k in keep]
        found = defaultdict(list, {remap[k]: v for k, v in found.items() if k in remap})
    return found


def _related(
    claims: list[Claim],
    g: list[int],
    scores: align.Alignment,
    ind_key: dict[str, str],
    keys: set[str],
    where: dict[int, int],
    k: int,
) -> list[Source]:
    """Claims of other outlets that overlap the fact without stating it (judge p at least
    RELATED, below the pair's threshold for "same"): shown as related coverage, never counted
    as agreement."""
    cand: dict[int, float] = {}
    for i in g:
        row = scores.p[i]
        for hit in np.nonzero((row >= RELATED) & ~scores.same[i])[0]:
            j = int(hit)
            if where.get(j) == k or ind_key.get(claims[j].article) in keys:
                continue
            cand[j] = max(cand.get(j, 0.0), float(row[j]))
    best = sorted(cand, key=lambda j: -cand[j])[:RELATED_SHOWN]
    return [Source.of(claims[j]) for j in best]
