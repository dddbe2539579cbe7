"""Alignment: which claims of a story's outlets state the same fact.

1. Candidate pairs: claims of different articles whose gist vectors (all-MiniLM-L6-v2) have
   cosine >= :data:`MIN_COSINE`, at most :data:`CANDIDATES` best partners per claim.
2. The learned same-fact judge (:mod:`newsprism.stories.judge`) gives each candidate pair a
   calibrated probability ``p_same``; a pair states one fact at ``p_same >= SAME``, or at
   ``>= SAME_OTHER_PREDICATE`` when the two claims' predicates differ
   (:func:`~newsprism.stories.judge.predicates_agree`).
3. Facts are grown greedily from the most probable pairs down: at most one claim per article
   in a fact, and a merge needs the average ``p_same`` over all cross pairs (an unscored
   pair counts 0) to stay at or above :data:`GROUP_LINK`, so chains of loosely similar
   claims never make one fact.

Independence: wire copies and reprints (``duplicate_of``) share their original's key, and all
articles of one outlet share one key; a fact is corroborated by the number of distinct keys.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsprism.model import Article, Event
from newsprism.nlp.events import load_gazetteer
from newsprism.stopwords import english
from newsprism.stories.claims import Claim
from newsprism.stories.conflicts import is_day
from newsprism.stories.judge import (
    RELATED,
    SAME,
    SameFactJudge,
    predicates_agree,
    same_threshold,
)
from newsprism.stories.judge_features import pair_cosines
from newsprism.text import stem_text
from newsprism.unionfind import UnionFind

log = logging.getLogger(__name__)

MIN_COSINE = 0.45  # gist cosine below which two claims are never scored by the judge
CANDIDATES = 12  # best partners (by cosine) per claim that the judge scores
GROUP_LINK = 0.5  # average p_same over all cross pairs needed to merge two groups
MAX_CLAIMS = 3000  # claims compared per story (pair matrices are claims x claims)
#: a related pair (p_same >= RELATED) whose gists read alike (cosine >= CONTAINED_COSINE) and
#: where the shorter claim's content words are mostly in the other (>= CONTAINED_SHARE) states
#: one fact, one side adding a detail ("Two firefighters were treated for smoke inhalation" /
#: "Two firefighters suffered smoke inhalation and were released the same day"); the MRPC
#: judge, trained on full paraphrase, would call it different
CONTAINED_COSINE = 0.80
CONTAINED_SHARE = 0.75
_WORD = re.compile(r"[^\W\d_]{3,}")


def independence_keys(articles: list[Article]) -> dict[str, str]:
    """Article id -> key of its independent origin: reprints share the key of their original,
    and all articles of one outlet share one key (outlets that reprint one another merge)."""
    by_id = {a.id: a for a in articles}
    key: dict[str, str] = {}
    for a in articles:
        root, seen = a, {a.id}
        while root.duplicate_of and root.duplicate_of not in seen:
            seen.add(root.duplicate_of)
            nxt = by_id.get(root.duplicate_of)
            if nxt is None:
                key[a.id] = f"article:{root.duplicate_of}"
                break
            root = nxt
        else:
            key[a.id] = f"outlet:{root.source or root.id}"
    names = sorted(set(key.values()) | {f"outlet:{a.source or a.id}" for a in articles})
    index = {n: i for i, n in enumerate(names)}
    uf = UnionFind(len(names))
    for a in articles:
        uf.union(index[key[a.id]], index[f"outlet:{a.source or a.id}"])
    return {aid: names[uf.find(index[k])] for aid, k in key.items()}


@dataclass(slots=True)
class Alignment:
    """Pairwise scores over a story's claims, all claims x claims: ``p`` (the judge's
    probability, 0 where unscored, raised to SAME for a contained pair, :func:`score_pairs`,
    and for a related pair that tells one event, :func:`join_told_events`), ``cos`` (gist
    cosine) and ``same`` (the pair states one fact: ``p`` reaches the threshold for its
    predicates, :func:`~newsprism.stories.judge.same_threshold`)."""

    p: np.ndarray
    cos: np.ndarray
    same: np.ndarray


def score_pairs(claims: list[Claim], vectors: np.ndarray) -> Alignment:
    """Judge probabilities for the candidate pairs of a story's claims."""
    n = len(claims)
    # (float32 vectors give a float32 product: not copied again; n x n is the story's largest)
    cos = (
        (vectors @ vectors.T).astype(np.float32, copy=False) if n else np.zeros((0, 0), np.float32)
    )
    p = np.zeros((n, n), dtype=np.float32)
    same = np.zeros((n, n), dtype=bool)
    if n < 2:
        return Alignment(p, cos, same)
    rows, cols, near = _candidates(claims, cos)
    # each pair once, as (lower index, higher index), in index order
    codes = np.unique(
        np.minimum(rows, cols)[near].astype(np.int64) * n + np.maximum(rows, cols)[near]
    )
    if not len(codes):
        return Alignment(p, cos, same)
    ii, jj = codes // n, codes % n
    ordered = list(zip(ii.tolist(), jj.tolist(), strict=True))
    judge = SameFactJudge.load()
    texts = [judge_text(c.gist or c.text) for c in claims]
    probs = judge.p_same_given_cosines(
        [texts[i] for i in ii], [texts[j] for j in jj], pair_cosines(vectors, vectors, ii, jj)
    )
    pair_cos = cos[ii, jj]
    # only pairs in the band and worded alike can be lifted, and only pairs at SAME or above
    # can be "same": the rest are read no further (most candidates are neither)
    for k in np.nonzero((probs >= RELATED) & (probs < SAME) & (pair_cos >= CONTAINED_COSINE))[0]:
        i, j = ordered[k]
        if _containment(_content_words(texts[i]), _content_words(texts[j])) >= CONTAINED_SHARE:
            probs[k] = SAME  # one claim states the other's fact and adds a detail
    ok = np.zeros(len(ordered), dtype=bool)
    for k in np.nonzero(probs >= SAME)[0]:
        i, j = ordered[k]
        agree = predicates_agree([claims[i].predicate], texts[i], [claims[j].predicate], texts[j])
        ok[k] = probs[k] >= same_threshold(agree) and not (
            probs[k] < SAME_WORDING and _other_speakers(claims[i], claims[j])
        )
    p[ii, jj] = probs
    p[jj, ii] = probs
    same[ii, jj] = ok
    same[jj, ii] = ok
    return Alignment(p, cos, same)


#: p_same from which two quotations are one quotation, whoever each outlet credits it to
SAME_WORDING = 0.9


def _other_speakers(a: Claim, b: Claim) -> bool:
    """Two quotations in two people's own words are two statements, however alike ("this is a
    terrible tragedy" / "It was horrible to see", said by two witnesses): never one fact.
    Reported speech is not held to this (two officials can report one fact), nor is a
    quotation whose speaker is unknown; a surname matches its full name. (The caller spares
    one quotation worded alike in both, p >= :data:`SAME_WORDING`: one quotation credited to
    two people, as when "he" was resolved to two names, is a question of attribution.)"""
    if a.kind != "direct" or b.kind != "direct" or not a.speaker or not b.speaker:
        return False
    sa, sb = a.speaker.split(), b.speaker.split()
    return bool(sa and sb) and sa[-1].casefold() != sb[-1].casefold()


#: what an event a claim tells is: its PLOVER type, its day and the countries of its actors
EventKey = tuple[str, str, frozenset[str]]


def claim_event_keys(claim: Claim, events: Sequence[Event]) -> set[EventKey]:
    """The asserted events whose trigger lies in the claim, dated to a day, with an actor's
    country: what "who did what to whom, when" the claim tells (``events``: its article's)."""
    out: set[EventKey] = set()
    for e in events:
        if e.mode != "asserted" or not (claim.start <= e.trigger.start < claim.end):
            continue
        day = (e.date or "")[:10]
        countries = frozenset(c for c in (e.source_country, e.target_country) if c)
        if countries and is_day(day):
            out.add((e.type, day, countries))
    return out


def same_event_told(a: set[EventKey], b: set[EventKey]) -> bool:
    """Whether two claims tell one event: of one type, on one day, with an actor's country in
    common ("Chinese Foreign Minister Qin Kang had a phone call with his Ukrainian counterpart"
    on Thursday / "the heads of the Foreign Ministry of Ukraine and China spoke on the phone"
    the day before a Friday)."""
    return any(x[0] == y[0] and x[1] == y[1] and x[2] & y[2] for x in a for y in b)


def join_told_events(
    claims: list[Claim], keys: list[set[EventKey]], scores: Alignment, ind_key: dict[str, str]
) -> int:
    """Pairs the judge sees as related (``RELATED`` <= p < ``SAME``) from two independent
    sources that tell one event (:func:`same_event_told`) state one fact: the judge reads
    words, and "had a phone call with his Ukrainian counterpart" / "spoke on the phone" share
    few. Such a pair is lifted to ``SAME`` and marked in ``scores.same``, as a pair that
    contains the other's fact is (:func:`score_pairs`); returns how many."""
    iu, ju = np.nonzero(np.triu((scores.p >= RELATED) & (scores.p < SAME) & ~scores.same, k=1))
    joined = 0
    for i, j in zip(iu.tolist(), ju.tolist(), strict=True):
        a, b = claims[i], claims[j]
        if not keys[i] or not keys[j]:
            continue
        if ind_key.get(a.article, a.outlet) == ind_key.get(b.article, b.outlet):
            continue
        if same_event_told(keys[i], keys[j]):
            scores.p[i, j] = scores.p[j, i] = SAME
            scores.same[i, j] = scores.same[j, i] = True
            joined += 1
    return joined


#: rows of the cosine matrix ranked at a time for the candidates (memory: rows x claims)
_CANDIDATE_ROWS = 256


def _candidates(claims: list[Claim], cos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each claim's :data:`CANDIDATES` best partners by cosine in other articles: the pairs as
    (row, column) arrays, and whether each reaches :data:`MIN_COSINE`. Ranked a block of rows
    at a time (each row is ranked on its own, so the blocks change nothing but the memory)."""
    n = len(claims)
    k = min(CANDIDATES, n - 1)
    arts = np.unique([c.article for c in claims], return_inverse=True)[1]
    top = np.empty((n, k), dtype=np.int64)
    near = np.empty((n, k), dtype=bool)
    for start in range(0, n, _CANDIDATE_ROWS):
        stop = min(n, start + _CANDIDATE_ROWS)
        masked = cos[start:stop].copy()
        masked[arts[start:stop, None] == arts[None, :]] = -1.0
        best = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        top[start:stop] = best
        near[start:stop] = np.take_along_axis(masked, best, axis=1) >= MIN_COSINE
    return np.repeat(np.arange(n), k), top.reshape(-1), near.reshape(-1)


@lru_cache(maxsize=8192)
def _content_words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(stem_text(text))) - english()


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the shorter claim's content words that the other one also has."""
    short, long_ = sorted((a, b), key=len)
    return len(short & long_) / len(short) if short else 0.0


@lru_cache(maxsize=1)
def _seats() -> tuple[re.Pattern[str], dict[str, str]]:
    """Capitals and seats of power of the actor gazetteer (``data/actors.tsv``) -> the name of
    their country: "Beijing", "the Kremlin", "the White House" stand for a state."""
    gaz = load_gazetteer()
    country: dict[str, str] = {}
    seats: dict[str, str] = {}
    for key, info in gaz.entries.items():
        if not info.country:
            continue
        name = " ".join(w.capitalize() if w.islower() else w for w in key)
        if info.sector is None:
            country.setdefault(info.country, name)
        elif info.sector == "government" and key[0][:1].isalpha():
            seats[name.lower()] = info.country
    table = {seat: country[code] for seat, code in seats.items() if code in country}
    words = sorted(table, key=len, reverse=True)
    rx = re.compile(
        r"\b(?:the\s+)?(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE
    )
    return rx, table


@lru_cache(maxsize=8192)
def judge_text(text: str) -> str:
    """A claim's wording as the judge reads it: a capital or seat of power standing for its
    state becomes the state ("Beijing refused" -> "China refused"), so two outlets' names for
    one participant do not read as different participants."""
    rx, table = _seats()
    if not table:
        return text

    def sub(m: re.Match[str]) -> str:
        word = m.group(1)
        if not word[:1].isupper():
            return m.group(0)
        return table.get(word.lower(), m.group(0))

    return rx.sub(sub, text)


def group_claims(claims: list[Claim], scores: Alignment) -> list[list[int]]:
    """Greedy agglomeration of the pairs that state one fact (``scores.same``), from the most
    probable down; one claim per article a group."""
    n = len(claims)
    p = scores.p
    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    arts: dict[int, set[str]] = {i: {claims[i].article} for i in range(n)}
    if n > 1:
        iu, ju = np.nonzero(np.triu(scores.same, k=1))
        for k in np.argsort(-p[iu, ju], kind="stable"):
            gi, gj = group[iu[k]], group[ju[k]]
            if gi == gj or arts[gi] & arts[gj]:
                continue
            mi, mj = members[gi], members[gj]
            if len(mi) + len(mj) > 2 and float(p[np.ix_(mi, mj)].mean()) < GROUP_LINK:
                continue
            for m in mj:
                group[m] = gi
            mi.extend(mj)
            arts[gi] |= arts.pop(gj)
            del members[gj]
    return [sorted(m) for m in members.values()]


def relation(p: float, conflicting: bool) -> str:
    """The align stage's label for one pair."""
    if conflicting:
        return "conflicting"
    if p >= SAME:
        return "same"
    if p >= RELATED:
        return "related"
    return "different"
