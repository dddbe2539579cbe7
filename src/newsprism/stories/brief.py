"""Extractive, source-cited story briefs.

Every :class:`~newsprism.model.BriefLine` is a sentence copied verbatim from an article, and
each of its citations points at a span ``article.text[start:end]`` of a sentence that carries
it. Nothing is generated.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from newsprism.model import Article, BriefLine, Citation, Enriched
from newsprism.stories.claims import article_sentences, is_content_sentence

if TYPE_CHECKING:
    from newsprism.stories.compare import Comparison

log = logging.getLogger(__name__)

REDUNDANCY = 0.72  # cosine above which two sentences say the same thing (MMR cut-off)
SAME_SENTENCE = 0.9  # cosine above which another outlet's sentence is cited as the same line
LEAD_BONUS = 0.08  # centrality bonus for an article's first sentences (news lead)


def _embed(texts: list[str]) -> np.ndarray:
    from newsprism.nlp.pipeline import embed

    return embed(texts)


def _rank_central(vecs: np.ndarray, positions: list[int]) -> np.ndarray:
    """Centrality: mean cosine to all other sentences plus a small bonus for lead sentences."""
    n = len(vecs)
    if n == 0:
        return np.zeros(0)
    sims = vecs @ vecs.T
    central = (sims.sum(axis=1) - 1.0) / max(1, n - 1)
    lead = np.array([LEAD_BONUS / (1 + p) for p in positions])
    return central + lead


def build_brief_basic(
    articles: list[Article], enriched: dict[str, Enriched], max_sentences: int = 5
) -> list[BriefLine]:
    """A brief of up to ``max_sentences`` central, non-redundant sentences, each cited.

    Sentences are ranked by centrality (mean embedding similarity to every sentence of the
    story, plus a lead bonus) and picked greedily, skipping any sentence too similar to one
    already picked (MMR). Sentences from other articles that say nearly the same thing are
    cited on the same line. Never raises; returns ``[]`` for empty input.
    """
    units: list[tuple[Article, int, int, str, int]] = []
    for a in articles:
        try:
            sents = article_sentences(a, enriched.get(a.id))
        except Exception:  # degrade gracefully on malformed input
            log.exception("article %s: cannot split sentences", a.id)
            continue
        pos = 0
        for s in sents:
            if is_content_sentence(s):
                units.append((a, s.start, s.end, s.text, pos))
                pos += 1
    if not units or max_sentences <= 0:
        return []
    vecs = _embed([u[3] for u in units])
    score = _rank_central(vecs, [u[4] for u in units])
    order = np.argsort(-score, kind="stable")
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= max_sentences:
            break
        if chosen and float(np.max(vecs[chosen] @ vecs[i])) >= REDUNDANCY:
            continue
        chosen.append(int(i))
    chosen.sort(key=lambda i: -score[i])
    lines: list[BriefLine] = []
    for i in chosen:
        a, start, end, text, _ = units[i]
        cites = [Citation(a.id, start, end)]
        seen = {a.id}
        sims = vecs @ vecs[i]
        for j in np.argsort(-sims):
            if sims[j] < SAME_SENTENCE:
                break
            b = units[j][0]
            if b.id not in seen:
                seen.add(b.id)
                cites.append(Citation(b.id, units[j][1], units[j][2]))
        lines.append(BriefLine(text=text, citations=cites, section="key"))
    return lines


def build_brief(
    articles: list[Article], comparison: Comparison, max_facts: int = 10
) -> list[BriefLine]:
    """The full brief from a :class:`~newsprism.stories.compare.Comparison` (see below)."""
    from newsprism.stories.compare import brief_from_comparison

    return brief_from_comparison(articles, comparison, max_facts=max_facts)
