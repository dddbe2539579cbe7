"""Scorer for the same-fact judge on MRPC-style pairs (``mrpc_train.jsonl``).

Cross-validated: the pairs are split into 5 folds, the judge's training pipeline
(:func:`newsprism.stories.judge.fit`) is refitted on four and scores the fifth, so no pair is
ever scored by a model fitted on it. Pairs that share a sentence (MRPC ids are
``SENTENCE-SENTENCE``; the same sentence text counts too) are kept in one fold, and folds keep
the share of "same" pairs. Reported at the judge's threshold :data:`~newsprism.stories.judge.SAME`
(what the ``align`` stage uses): accuracy, precision, recall and F1 of "same"; the same at the
story comparison's thresholds (``*_in_stories``: ``SAME``, or
:data:`~newsprism.stories.judge.SAME_OTHER_PREDICATE` for a pair whose predicates differ, each
sentence parsed for its clauses' predicates) and at p = 0.5; log loss and the expected
calibration error of the out-of-fold probabilities.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsprism.evaluate import EvaluationDataError, read_jsonl
from newsprism.nlp.clauses import split_clauses
from newsprism.nlp.pipeline import embed, parse_many
from newsprism.stories.judge import SAME, fit, predicates_agree, same_threshold
from newsprism.stories.judge_features import pair_features
from newsprism.unionfind import UnionFind

log = logging.getLogger(__name__)

FOLDS = 5
SEED = 0


@dataclass(frozen=True)
class Pairs:
    """Labelled sentence pairs: ids, texts, 1 = same / 0 = different, and fold groups."""

    ids: list[str]
    a: list[str]
    b: list[str]
    y: np.ndarray
    groups: np.ndarray


def load_pairs(path: Path, limit: int | None = None) -> Pairs:
    """Read ``{"id", "a", "b", "label": "same"|"different"}`` records; bad records are skipped."""
    ids: list[str] = []
    a: list[str] = []
    b: list[str] = []
    y: list[int] = []
    for n, rec in enumerate(read_jsonl(Path(path)), 1):
        if limit is not None and len(ids) >= limit:
            break
        label = rec.get("label") if isinstance(rec, dict) else None
        if (
            label not in ("same", "different")
            or not isinstance(rec.get("a"), str)
            or not isinstance(rec.get("b"), str)
        ):
            log.warning("%s:%d: not a labelled pair; skipped", path, n)
            continue
        ids.append(str(rec.get("id", n)))
        a.append(rec["a"])
        b.append(rec["b"])
        y.append(int(label == "same"))
    if not ids:
        raise EvaluationDataError(f"{path}: no labelled pairs")
    return Pairs(ids, a, b, np.array(y, dtype=int), pair_groups(ids, a, b))


def pair_groups(ids: list[str], a: list[str], b: list[str]) -> np.ndarray:
    """Group number of each pair: pairs sharing a sentence (by id part or by text) share one."""
    uf = UnionFind(len(ids))
    first: dict[str, int] = {}
    for i, (pid, ta, tb) in enumerate(zip(ids, a, b, strict=True)):
        keys = {"t:" + ta, "t:" + tb}
        parts = pid.split("-")
        if len(parts) == 2 and all(parts):
            keys |= {"s:" + p for p in parts}
        for k in sorted(keys):
            if k in first:
                uf.union(first[k], i)
            else:
                first[k] = i
    return np.array([uf.find(i) for i in range(len(ids))], dtype=int)


def folds(y: np.ndarray, groups: np.ndarray, k: int = FOLDS, seed: int = SEED) -> list[np.ndarray]:
    """Test indices of ``k`` stratified folds that never split a group."""
    from sklearn.model_selection import StratifiedGroupKFold  # heavy: sklearn, ~1 s to import

    k = max(2, min(k, int(min(np.bincount(y, minlength=2)))))
    cv = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [te for _, te in cv.split(np.zeros(len(y)), y, groups)]


def out_of_fold(X: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int = FOLDS) -> np.ndarray:
    """Probability of "same" for every pair from a judge fitted on the other folds only."""
    p = np.zeros(len(y), dtype=np.float64)
    for te in folds(y, groups, k):
        tr = np.setdiff1d(np.arange(len(y)), te)
        p[te] = fit(X[tr], y[tr]).predict(X[te])
    return p


def metrics(p: np.ndarray, y: np.ndarray, threshold: float | np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of "same" when p >= ``threshold`` (one for all pairs,
    or one per pair) means same."""
    pred = p >= threshold
    tp = float(np.sum(pred & (y == 1)))
    prec = tp / max(float(pred.sum()), 1.0)
    rec = tp / max(float((y == 1).sum()), 1.0)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "accuracy": float(np.mean(pred == (y == 1))),
        "precision_same": prec,
        "recall_same": rec,
        "f1_same": f1,
    }


def calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: mean |observed rate - mean p| over equal-width bins."""
    edges = np.minimum((p * bins).astype(int), bins - 1)
    err = 0.0
    for k in range(bins):
        m = edges == k
        if m.any():
            err += m.sum() / len(p) * abs(float(y[m].mean()) - float(p[m].mean()))
    return err


def agreement(pairs: Pairs) -> np.ndarray:
    """Per pair, whether the two sentences' predicates agree
    (:func:`~newsprism.stories.judge.predicates_agree` over the predicates of all their
    clauses, as the ``align`` stage reads a text); each distinct sentence is parsed once."""
    texts = sorted(set(pairs.a) | set(pairs.b))
    preds = {
        t: {c.predicate for c in split_clauses(doc) if c.predicate}
        for t, doc in zip(texts, parse_many(texts, batch_size=64), strict=True)
    }
    return np.array(
        [predicates_agree(preds[a], a, preds[b], b) for a, b in zip(pairs.a, pairs.b, strict=True)]
    )


def thresholds(agree: np.ndarray) -> np.ndarray:
    """The p_same each pair needs for "same", given whether its predicates agree."""
    return np.array([same_threshold(bool(x)) for x in agree])


def features(pairs: Pairs) -> np.ndarray:
    """Judge features of every pair; each distinct sentence is embedded once."""
    texts = sorted(set(pairs.a) | set(pairs.b))
    rows = {t: i for i, t in enumerate(texts)}
    vecs = embed(texts)
    ia = [rows[t] for t in pairs.a]
    ib = [rows[t] for t in pairs.b]
    return pair_features(pairs.a, pairs.b, vecs[ia], vecs[ib])


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Cross-validated scores of the same-fact judge on the labelled pairs in ``path``."""
    pairs = load_pairs(path, limit)
    if len(set(pairs.y.tolist())) < 2:
        raise EvaluationDataError(f"{path}: needs both same and different pairs")
    X = features(pairs)
    p = out_of_fold(X, pairs.y, pairs.groups)
    out = metrics(p, pairs.y, SAME)
    agree = agreement(pairs)
    in_stories = metrics(p, pairs.y, thresholds(agree))
    out.update({f"{k}_in_stories": v for k, v in in_stories.items()})
    out["predicates_differ_share"] = float(np.mean(~agree))
    half = metrics(p, pairs.y, 0.5)
    out["accuracy_at_0.5"] = half["accuracy"]
    out["f1_same_at_0.5"] = half["f1_same"]
    out["precision_same_at_0.5"] = half["precision_same"]
    eps = 1e-12
    out["log_loss"] = float(
        -np.mean(pairs.y * np.log(p + eps) + (1 - pairs.y) * np.log(1 - p + eps))
    )
    out["calibration_error"] = calibration_error(p, pairs.y)
    out["majority_accuracy"] = float(max(pairs.y.mean(), 1 - pairs.y.mean()))
    out["pairs"] = float(len(pairs.y))
    return {k: (v if math.isfinite(v) else 0.0) for k, v in out.items()}
