"""Extractive, source-cited story briefs.

Every :class:`~newsprism.model.BriefLine` is a sentence copied verbatim from an article, and
each of its citations points at a span ``article.text[start:end]`` of a sentence that carries
it. Nothing is generated.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from newsprism.model import Article, BriefLine, Citation, Enriched
from newsprism.settings import default
from newsprism.stories.claims import article_sentences, is_content_sentence

if TYPE_CHECKING:
    from newsprism.stories.facts import Comparison, Fact

log = logging.getLogger(__name__)

REDUNDANCY: float = default("brief_redundancy")  # same thing said twice (MMR cut-off)
KEY_MIN = 5  # key facts kept even when carried by one outlet
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
    """Key facts, what each outlet adds, conflicts (both sides) and the dated timeline.

    A fact is a clause; its brief line is the whole sentence that carries it (verbatim), and
    each citation points at that sentence in every article that carries the fact."""
    facts = comparison.facts
    vecs = comparison.vectors
    lines: list[BriefLine] = []
    if not facts or max_facts <= 0:
        return lines
    idx = {f.id: i for i, f in enumerate(facts)}
    texts = {a.id: a.text for a in articles}
    used_sentences: set[tuple[str, int]] = set()

    def sentence_of(f: Fact) -> tuple[str, list[Citation]]:
        seen: set[str] = set()
        out: list[Citation] = []
        text = f.text
        for n, c in enumerate(f.claims or []):
            if c.article in seen:
                continue
            seen.add(c.article)
            start, end = (c.sent_start, c.sent_end) if c.sent_end > c.sent_start else (c.start, c.end)
            if n == 0 and c.article in texts:
                text = texts[c.article][start:end]
            out.append(Citation(c.article, start, end))
        if not out:
            out = [Citation(s.article, s.start, s.end) for s in f.sources]
        return text, out

    def redundant(i: int, chosen: list[int]) -> bool:
        if vecs is None or not chosen:
            return False
        return float(np.max(vecs[chosen] @ vecs[i])) >= REDUNDANCY

    def repeats_sentence(f: Fact) -> bool:
        c = f.claims[0] if f.claims else None
        return c is not None and (c.article, c.sent_start) in used_sentences

    def emit(i: int, section: str) -> None:
        f = facts[i]
        text, cites = sentence_of(f)
        if f.claims:
            used_sentences.add((f.claims[0].article, f.claims[0].sent_start))
        lines.append(BriefLine(text, cites, section))

    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-min(facts[i].independent, 3), -facts[i].centrality),
    )
    key: list[int] = []
    n_key = min(max_facts, 10)
    for i in ranked:
        if len(key) >= n_key:
            break
        f = facts[i]
        if f.independent < 2 and len(key) >= min(KEY_MIN, n_key):
            break
        if f.status == "conflicting" or redundant(i, key) or repeats_sentence(f):
            continue
        key.append(i)
        emit(i, "key")

    used = set(key)
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i in sorted(range(len(facts)), key=lambda i: -facts[i].centrality):
        f = facts[i]
        if f.status == "single-source" and i not in used:
            by_outlet[f.outlets[0]].append(i)
    per_outlet = max(1, max_facts // max(1, len(by_outlet)))
    for outlet in comparison.outlets:
        picked: list[int] = []
        for i in by_outlet.get(outlet, []):
            if len(picked) >= min(per_outlet, 3):
                break
            if redundant(i, key + picked) or repeats_sentence(facts[i]):
                continue
            picked.append(i)
            emit(i, "adds")

    for f in facts:
        if f.status != "conflicting":
            continue
        sides: list[Citation] = []
        parts: list[str] = []
        seen: set[str] = set()
        for cf in f.conflicts:
            for v in cf.values:
                if v.article in seen:
                    continue
                seen.add(v.article)
                src = next(s for s in f.sources if s.article == v.article)
                sides.append(Citation(src.article, src.start, src.end))
                parts.append(src.text)
        if sides:
            lines.append(BriefLine(" | ".join(parts), sides, "conflict"))

    shown = 0
    dated: set[str] = set()
    for entry in comparison.timeline:
        if shown >= max_facts:
            break
        fid = entry.get("fact")
        if fid not in idx or fid in dated:
            continue  # one timeline line per fact
        dated.add(fid)
        cs = [Citation(s["article"], s["start"], s["end"]) for s in entry["sources"]]
        lines.append(BriefLine(entry["text"], cs, "timeline"))
        shown += 1
    return lines
