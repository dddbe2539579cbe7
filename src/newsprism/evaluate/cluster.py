"""Scores story clustering on ECB+ (``ecbplus_dev.jsonl``): BCubed and pairwise P/R/F1.

Records carry ``id, topic, subtopic, label, text``. Only ``text`` (and ``title``/``date`` when
present) reach the clusterer; ``label`` is the gold event used for scoring. ECB+ ids, topics
and subtopics are never shown to the clusterer.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Mapping
from pathlib import Path

from newsprism.evaluate import read_jsonl
from newsprism.stories.cluster import ClusterDoc, cluster

log = logging.getLogger(__name__)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """BCubed precision, recall and F1 over the items present in ``gold``."""
    items = [i for i in gold if i in pred]
    if not items:
        return {"bcubed_precision": 0.0, "bcubed_recall": 0.0, "bcubed_f1": 0.0}
    joint = Counter((pred[i], gold[i]) for i in items)
    psize = Counter(pred[i] for i in items)
    gsize = Counter(gold[i] for i in items)
    p = sum(joint[(pred[i], gold[i])] / psize[pred[i]] for i in items) / len(items)
    r = sum(joint[(pred[i], gold[i])] / gsize[gold[i]] for i in items) / len(items)
    return {"bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": _f1(p, r)}


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Pairwise precision, recall and F1 (pairs of items put in one cluster)."""
    items = [i for i in gold if i in pred]

    def pairs(c: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in c.values())

    both = pairs(Counter((pred[i], gold[i]) for i in items))
    in_pred = pairs(Counter(pred[i] for i in items))
    in_gold = pairs(Counter(gold[i] for i in items))
    p = both / in_pred if in_pred else 1.0
    r = both / in_gold if in_gold else 1.0
    return {"pairwise_precision": p, "pairwise_recall": r, "pairwise_f1": _f1(p, r)}


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Cluster the records of ``path`` with default settings and score against ``label``."""
    docs, gold = [], {}
    for n, rec in enumerate(read_jsonl(Path(path))):
        if limit is not None and n >= limit:
            break
        key = f"d{n}"  # an opaque id: the ECB+ id encodes topic and subtopic
        docs.append(
            ClusterDoc(
                id=key,
                text=rec.get("text") or "",
                title=rec.get("title"),
                published=rec.get("date"),
            )
        )
        gold[key] = rec.get("label")
    pred = cluster(docs)
    out = {**bcubed(pred, gold), **pairwise(pred, gold)}
    out["n_docs"] = float(len(docs))
    out["n_stories"] = float(len(set(pred.values())))
    out["n_gold"] = float(len(set(gold.values())))
    log.info("cluster scores: %s", out)
    return out
