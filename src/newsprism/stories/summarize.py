"""Extractive multi-document summaries: concept coverage (ICSISumm-style) solved exactly.

The method, after Gillick & Favre (2009, "A scalable global model for summarization"):

1. Sentences are split by rules (line breaks, end punctuation, abbreviations and initials);
   every candidate keeps its exact character span in its article.
2. *Concepts* are stemmed word bigrams (not both stop words). A concept's weight is the
   number of articles that contain it (a sentence frequency for a single article); concepts
   seen in too few articles are dropped, so the weight rewards content that many outlets
   share. A concept found in an article's lead sentence counts as if ``LEAD_BONUS`` more
   articles held it (news leads state the core event).
3. The summary is the set of sentences that maximizes the total weight of the concepts it
   covers, each concept counted once, under the word budget: an integer linear program
   solved with HiGHS (``scipy.optimize.milp``), with a greedy fallback. Counting a concept
   once is what removes redundancy: a second sentence that repeats the first adds nothing.
4. Short or very long sentences, questions, fragments that begin in lower case and
   first-person quotes are not candidates; a sentence that leans on the one before it
   ("He said...", "But...") may only be chosen together with that sentence.

The result is verbatim: each selected sentence is ``texts[i][start:end]`` and the summary
joins them with a single space, leads first (by position in their article, then article),
each sentence that leans on the previous one right after it.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from newsprism.sentences import sentence_spans
from newsprism.stopwords import summary_stop_words
from newsprism.text import leans_on_previous, reads_alone

log = logging.getLogger(__name__)

MIN_WORDS = 8  # shorter sentences are rarely informative on their own
MAX_WORDS = 55  # longer ones are usually run-ons or lists
LEAD_SENTENCES = 1  # concepts in an article's lead sentence weigh more
LEAD_BONUS = 2.0  # ... as if LEAD_BONUS more articles held them
MIN_DF = 3  # articles that must share a concept (of >= 6 articles)
UNIGRAM_WEIGHT = 0.0  # weight of single content words relative to bigrams (0 = bigrams only)
MAX_CANDIDATES = 600  # the ILP gets the best candidates only (huge inputs)
ILP_TIME_LIMIT_S = 10.0  # per summary; only huge inputs come near it

# -- features ------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.porter import PorterStemmer  # heavy: nltk, ~1.3 s to import

    return PorterStemmer()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stem(word) if len(word) > 3 else word


def _concepts(sentence: str) -> set[tuple[str, ...]]:
    """Stemmed bigrams of ``sentence`` that are not made of two stop words (+ content words)."""
    stop = summary_stop_words()
    toks = _TOKEN.findall(sentence.lower())
    out: set[tuple[str, ...]] = set()
    if UNIGRAM_WEIGHT:
        out.update((_stem(t),) for t in toks if t not in stop and not t.isdigit())
    for a, b in pairwise(toks):
        if a in stop and b in stop:
            continue
        out.add((_stem(a), _stem(b)))
    return out


@dataclass
class _Candidate:
    article: int
    start: int
    end: int
    position: int  # index of the sentence in its article
    words: int
    concepts: set[tuple[str, ...]] = field(default_factory=set)
    dangling: bool = False  # opens with a pronoun or connective: needs the sentence before it
    previous: _Candidate | None = None  # that sentence, when it is a candidate too


def _is_candidate(sentence: str, n_words: int) -> bool:
    return MIN_WORDS <= n_words <= MAX_WORDS and reads_alone(sentence)


# -- selection -------------------------------------------------------------------------------


@dataclass
class Summary:
    """An extractive summary: verbatim source sentences and where each one comes from."""

    text: str
    citations: list[tuple[int, int, int]] = field(default_factory=list)


def summarize(texts: list[str], words: int = 100) -> Summary:
    """Summarize several articles about one story in at most ``words`` words.

    Returns whole source sentences (never cut) joined by a space, leads first, with a
    citation ``(article index, start, end)`` per sentence. Never raises on odd input: no
    texts, empty texts or no usable sentence give an empty :class:`Summary`.
    """
    texts = [t if isinstance(t, str) else "" for t in (texts or [])]
    if words <= 0 or not any(t.strip() for t in texts):
        return Summary("", [])
    cands = _candidates(texts)
    fitting = [c for c in cands if c.words <= words]
    if not fitting:
        return Summary("", [])
    n_docs = sum(1 for t in texts if t.strip())
    weights = _weights(fitting, n_docs)
    for c in fitting:
        c.concepts &= weights.keys()
    chosen = _select(fitting, weights, words)
    if not chosen:  # no shared content at all: fall back to article leads
        chosen = _lead(fitting, words)
    chosen = _order(chosen)
    return Summary(
        " ".join(texts[c.article][c.start : c.end] for c in chosen),
        [(c.article, c.start, c.end) for c in chosen],
    )


def _order(chosen: list[_Candidate]) -> list[_Candidate]:
    """Reading order: article leads first (by position, then article), a sentence that leans
    on the one before it right after that one."""
    blocks: list[list[_Candidate]] = []
    for c in sorted(chosen, key=lambda c: (c.article, c.start)):
        if c.dangling and blocks and blocks[-1][-1] is c.previous:
            blocks[-1].append(c)
        else:
            blocks.append([c])
    blocks.sort(key=lambda b: (b[0].position, b[0].article, b[0].start))
    return [c for b in blocks for c in b]


def _candidates(texts: list[str]) -> list[_Candidate]:
    out: list[_Candidate] = []
    seen: set[str] = set()
    for i, text in enumerate(texts):
        prev: _Candidate | None = None
        for pos, (start, end) in enumerate(sentence_spans(text)):
            sent = text[start:end]
            n = len(sent.split())
            key = " ".join(_TOKEN.findall(sent.lower()))
            if key in seen or not _is_candidate(sent, n):
                prev = None
                continue
            seen.add(key)
            cand = _Candidate(i, start, end, pos, n, _concepts(sent), leans_on_previous(sent), prev)
            if not cand.dangling or prev is not None:
                out.append(cand)
            prev = cand if (not cand.dangling or prev is not None) else None
    return out


def _weights(cands: list[_Candidate], n_docs: int) -> dict[tuple[str, ...], float]:
    """Concept -> weight: article frequency (sentence frequency for one article) + lead bonus."""
    units: dict[tuple[str, ...], set[int]] = defaultdict(set)
    lead: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for k, c in enumerate(cands):
        unit = c.article if n_docs > 1 else k
        for concept in c.concepts:
            units[concept].add(unit)
            if c.position < LEAD_SENTENCES:
                lead[concept].add(unit)
    min_df = MIN_DF if n_docs >= 6 else 2
    weights = {
        concept: (len(u) + LEAD_BONUS * len(lead.get(concept, ())))
        * (UNIGRAM_WEIGHT if len(concept) == 1 else 1.0)
        for concept, u in units.items()
        if len(u) >= min_df
    }
    if not weights and n_docs > 1:  # few articles sharing little: any repeated concept
        weights = {concept: float(len(u)) for concept, u in units.items() if len(u) >= 2}
    return weights


def _select(
    cands: list[_Candidate], weights: dict[tuple[str, ...], float], budget: int
) -> list[_Candidate]:
    if not weights:
        return []
    keep = {id(c) for c in cands if c.concepts}
    for c in cands:  # a useful dangling sentence brings the sentences it leans on
        p = c if id(c) in keep else None
        while p is not None and p.dangling and p.previous is not None:
            p = p.previous
            keep.add(id(p))
    useful = [c for c in cands if id(c) in keep]
    useful.sort(
        key=lambda c: (-sum(weights[x] for x in c.concepts) / c.words, c.article, c.position)
    )
    useful = _closed(useful[:MAX_CANDIDATES])
    if not useful:
        return []
    try:
        chosen = _ilp(useful, weights, budget)
    except Exception as exc:  # solver trouble must not stop a summary
        log.warning("ILP selection failed (%s); using greedy selection", exc)
        chosen = None
    return chosen if chosen is not None else _greedy(useful, weights, budget)


def _closed(cands: list[_Candidate]) -> list[_Candidate]:
    """``cands`` without the dangling sentences whose previous sentence is not among them."""
    while True:
        ids = {id(c) for c in cands}
        kept = [
            c for c in cands if not c.dangling or (c.previous is not None and id(c.previous) in ids)
        ]
        if len(kept) == len(cands):
            return kept
        cands = kept


def _ilp(
    cands: list[_Candidate], weights: dict[tuple[str, ...], float], budget: int
) -> list[_Candidate] | None:
    """Exact concept-coverage selection with HiGHS; None when no solution came back."""
    import numpy as np  # heavy: ~60 ms, and stages (on the --help path) imports this module
    from scipy.optimize import Bounds, LinearConstraint, milp  # heavy: scipy.optimize, ~0.3 s
    from scipy.sparse import lil_matrix  # heavy: as above

    # Concepts held by the same sentences act as one (weights summed); a concept held by one
    # sentence only is folded into that sentence's own weight. Both are exact reductions.
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for k, c in enumerate(cands):
        for x in c.concepts:
            holders[x].append(k)
    groups: dict[tuple[int, ...], float] = defaultdict(float)
    for x, ks in holders.items():
        groups[tuple(ks)] += weights[x]
    shared = sorted(g for g in groups if len(g) > 1)
    n_s, n_c = len(cands), len(shared)
    # variables: sentences [0, n_s) binary, then shared concepts [n_s, n_s + n_c) in [0, 1];
    # tiny tie-breakers prefer earlier sentences, so the optimum is unique and stable
    obj = np.zeros(n_s + n_c)
    for k, c in enumerate(cands):
        obj[k] = -1e-4 / (1 + c.position) - 1e-6 / (1 + c.article)
    for g, w in groups.items():
        if len(g) == 1:
            obj[g[0]] -= w
    rows = lil_matrix((n_c + 1, n_s + n_c))
    for j, g in enumerate(shared):
        obj[n_s + j] = -groups[g]
        rows[j, n_s + j] = 1.0  # concept_j <= sum of the sentences that hold it
        for k in g:
            rows[j, k] = -1.0
    for k, c in enumerate(cands):
        rows[n_c, k] = c.words
    upper = np.zeros(n_c + 1)
    upper[n_c] = budget
    constraints = [LinearConstraint(rows.tocsr(), -np.inf, upper)]
    position = {id(c): k for k, c in enumerate(cands)}
    pairs = [
        (k, position[id(c.previous)])
        for k, c in enumerate(cands)
        if c.dangling and c.previous is not None
    ]
    if pairs:  # a dangling sentence only with the sentence before it
        lean = lil_matrix((len(pairs), n_s + n_c))
        for r, (k, p) in enumerate(pairs):
            lean[r, k] = 1.0
            lean[r, p] = -1.0
        constraints.append(LinearConstraint(lean.tocsr(), -np.inf, 0.0))
    res = milp(
        obj,
        constraints=constraints,
        integrality=np.r_[np.ones(n_s), np.zeros(n_c)],
        bounds=Bounds(0, 1),
        options={"time_limit": ILP_TIME_LIMIT_S, "mip_rel_gap": 0.0},
    )
    if res.x is None:
        return None
    return [c for k, c in enumerate(cands) if res.x[k] > 0.5]


def _greedy(
    cands: list[_Candidate], weights: dict[tuple[str, ...], float], budget: int
) -> list[_Candidate]:
    """Greedy concept coverage per word (Khuller et al.'s budgeted maximum coverage)."""
    covered: set[tuple[str, ...]] = set()
    chosen: list[_Candidate] = []
    used = 0
    left = list(cands)
    while left:
        best, best_gain = None, 0.0
        for c in left:
            if used + c.words > budget or (c.dangling and not any(p is c.previous for p in chosen)):
                continue
            gain = sum(weights[x] for x in c.concepts - covered) / c.words
            if gain > best_gain:
                best, best_gain = c, gain
        if best is None:
            break
        chosen.append(best)
        covered |= best.concepts
        used += best.words
        left.remove(best)
    return chosen


def _lead(cands: list[_Candidate], budget: int) -> list[_Candidate]:
    """First sentences of the articles, round-robin, while they fit."""
    chosen: list[_Candidate] = []
    used = 0
    for c in sorted(cands, key=lambda c: (c.position, c.article)):
        if used + c.words <= budget:
            chosen.append(c)
            used += c.words
    return chosen
