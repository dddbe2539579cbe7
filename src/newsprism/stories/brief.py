"""Extractive, source-cited story briefs.

Every :class:`~newsprism.model.BriefLine` is a sentence copied verbatim from an article, and
each of its citations points at a span ``article.text[start:end]`` of a sentence that carries
it. Nothing is generated.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from newsprism.model import Article, BriefLine, Citation
from newsprism.settings import default
from newsprism.text import leans_on_previous, reads_alone

if TYPE_CHECKING:
    from newsprism.stories.facts import Comparison, Fact


REDUNDANCY: float = default("brief_redundancy")  # same thing said twice (MMR cut-off)
KEY_MIN = 5  # key facts kept even when carried by one outlet


def build_brief(
    articles: list[Article], comparison: Comparison, max_facts: int = 10
) -> list[BriefLine]:
    """Key facts, what each outlet adds, conflicts (both sides) and the dated timeline.

    A fact is a clause; its brief line is a whole sentence that carries it (verbatim: of its
    outlets' sentences, the one the clause fills most), and each citation points at the
    sentence that carries it in every article that carries the fact."""
    facts = comparison.facts
    vecs = comparison.vectors
    lines: list[BriefLine] = []
    if not facts or max_facts <= 0:
        return lines
    idx = {f.id: i for i, f in enumerate(facts)}
    texts = {a.id: a.text for a in articles}
    used_sentences: set[tuple[str, int]] = set()

    def sentence_of(f: Fact) -> tuple[str, list[Citation], tuple[str, int] | None]:
        """The fact's line, its citations, and the (article, start) of the line's sentence."""
        seen: set[str] = set()
        out: list[Citation] = []
        text = f.text
        key: tuple[str, int] | None = None
        best = -1.0
        for c in f.claims or []:
            if c.article in seen:
                continue
            seen.add(c.article)
            start, end = (
                (c.sent_start, c.sent_end) if c.sent_end > c.sent_start else (c.start, c.end)
            )
            # the line is the sentence that states the fact most nearly alone: of "Yeltsin
            # said he would oversee the inquiry into the killing of X, who was gunned down
            # ..." and "X was gunned down in the lobby", the fact is the second one
            share = (c.end - c.start) / max(1, end - start)
            if c.article in texts and share > best + 0.05:
                text, best, key = texts[c.article][start:end], share, (c.article, c.sent_start)
            out.append(Citation(c.article, start, end))
        if not out:
            out = [Citation(s.article, s.start, s.end) for s in f.sources]
        return text, out, key

    def redundant(i: int, chosen: list[int]) -> bool:
        if vecs is None or not chosen:
            return False
        return float(np.max(vecs[chosen] @ vecs[i])) >= REDUNDANCY

    sentences = [sentence_of(f) for f in facts]  # each fact's line and citations, made once

    def repeats_sentence(i: int) -> bool:
        key = sentences[i][2]
        return key is not None and key in used_sentences

    def emit(i: int, section: str) -> None:
        text, cites, key = sentences[i]
        if key is not None:
            used_sentences.add(key)
        lines.append(BriefLine(text, cites, section))

    # a sentence a reader can take in on its own goes first: not a question, a first-person
    # quotation, a piece of a longer quotation, or one that opens with "But" or "He"
    alone = [reads_alone(s) and not leans_on_previous(s) for s, _, _ in sentences]
    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-min(facts[i].independent, 3), not alone[i], -facts[i].centrality),
    )
    key: list[int] = []
    n_key = min(max_facts, 10)
    for i in ranked:
        if len(key) >= n_key:
            break
        f = facts[i]
        if f.independent < 2 and len(key) >= min(KEY_MIN, n_key):
            break
        if f.status == "conflicting" or redundant(i, key) or repeats_sentence(i):
            continue
        key.append(i)
        emit(i, "key")

    used = set(key)
    by_outlet: dict[str, list[int]] = defaultdict(list)

    def covered_elsewhere(f: Fact) -> bool:
        """Another outlet has related coverage of the fact: not what only this one adds
        ("China put forward an initiative to end the conflict" beside the other outlet's
        "Beijing presented a twelve-point plan to end the war")."""
        return any(r.outlet not in f.outlets for r in f.related)

    order = sorted(
        range(len(facts)),
        key=lambda i: (covered_elsewhere(facts[i]), not alone[i], -facts[i].centrality),
    )
    for i in order:
        f = facts[i]
        if f.status == "single-source" and i not in used:
            by_outlet[f.outlets[0]].append(i)
    per_outlet = max(1, max_facts // max(1, len(by_outlet)))
    for outlet in comparison.outlets:
        picked: list[int] = []
        for i in by_outlet.get(outlet, []):
            if len(picked) >= min(per_outlet, 3):
                break
            if redundant(i, key + picked) or repeats_sentence(i):
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
        fid = entry.fact
        if fid not in idx or fid in dated:
            continue  # one timeline line per fact
        dated.add(fid)
        cs = [Citation(s.article, s.start, s.end) for s in entry.sources]
        lines.append(BriefLine(entry.text, cs, "timeline"))
        shown += 1
    return lines
