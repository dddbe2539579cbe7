"""Two claims from two outlets, judged alone: the `align` stage behind ``newsprism align``.

Each side is parsed and enriched like an article (entities, dates against its publication
date, clauses) and read as one claim; the same-fact judge gives ``p_same`` and the conflict
rules of the story comparison say whether the two disagree about one event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.model import Article
from newsprism.nlp.enrich import enrich_doc
from newsprism.nlp.pipeline import embed, parse_many
from newsprism.stories.align import relation
from newsprism.stories.claims import Claim, whole_text_claim
from newsprism.stories.conflicts import pair_conflicts
from newsprism.stories.judge import SameFactJudge
from newsprism.stories.judge_features import denies


@dataclass(frozen=True, slots=True)
class PairInput:
    a: str
    b: str
    a_published: str | None = None
    b_published: str | None = None
    a_source: str | None = None
    b_source: str | None = None


@dataclass(slots=True)
class PairResult:
    relation: str  # same | conflicting | related | different
    p_same: float
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "p_same": round(self.p_same, 4),
            "conflicts": self.conflicts,
        }


def _claims(texts: list[str], published: list[str | None], sources: list[str]) -> list[Claim]:
    arts = [
        Article(id=f"{src}#{k}", text=t, source=src, published=pub)
        for k, (t, pub, src) in enumerate(zip(texts, published, sources, strict=True))
    ]
    out = []
    for art, doc in zip(arts, parse_many(a.text for a in arts), strict=True):
        out.append(whole_text_claim(art, enrich_doc(art, doc)))
    return out


def align_pairs(pairs: list[PairInput]) -> list[PairResult]:
    """Judge each pair: ``same`` (p_same >= SAME, and neither text alone denies, doubts or
    negates), ``conflicting`` (about one event with a slot that truly disagrees), ``related``
    (p_same >= RELATED) or ``different``."""
    if not pairs:
        return []
    a = _claims(
        [p.a for p in pairs], [p.a_published for p in pairs], [p.a_source or "a" for p in pairs]
    )
    b = _claims(
        [p.b for p in pairs], [p.b_published for p in pairs], [p.b_source or "b" for p in pairs]
    )
    va = embed([c.gist for c in a])
    vb = embed([c.gist for c in b])
    probs = SameFactJudge.load().p_same([c.gist for c in a], [c.gist for c in b], va, vb)
    cos = np.sum(va * vb, axis=1)
    out: list[PairResult] = []
    for k in range(len(pairs)):
        p = float(probs[k])
        found = [pc for pc in pair_conflicts(a[k], b[k], float(cos[k]), p) if pc.kind == "conflict"]
        rel = relation(p, bool(found))
        if rel == "same" and denies(a[k].gist) != denies(b[k].gist):
            # one text denies, doubts or negates what the other states ("the mayor doubted
            # that the bridge would reopen" / "the bridge will reopen"): never the same fact
            rel = "related"
        out.append(
            PairResult(
                relation=rel,
                p_same=p,
                conflicts=[
                    {"slot": pc.slot, "a": pc.a.value, "b": pc.b.value, "why": pc.why}
                    for pc in found
                ],
            )
        )
    return out
