"""The same-fact judge: the calibrated probability that two claims state the same fact.

A logistic regression over the pair features of :mod:`newsprism.stories.judge_features`
(meaning: MiniLM sentence vectors; wording: n-gram, stem and character overlap, unmatched
stretches; slots: numbers, names, negation, dates), trained on the MRPC training pairs by
``scripts/train_judge.py`` and shipped as ``data/same_fact_judge.json``. Features are computed
for all pairs at once; there is no per-pair model call. ``docs/judge.md`` has the
cross-validated scores and how the thresholds below were chosen.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from newsprism.nlp.pipeline import embed
from newsprism.stories.judge_features import (
    SCALAR_FEATURES,
    features_given_cosines,
    pair_features,
)
from newsprism.text import stem, tokens

log = logging.getLogger(__name__)

WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "same_fact_judge.json"

# p_same at or above which two claims state the same fact. Chosen in 5-fold cross-validation
# on MRPC train as the lowest threshold whose out-of-fold precision of "same" is >= 0.85
# (see docs/judge.md): a false "corroborated" costs more trust than a missed one.
SAME: float = 0.64
# p_same at or above which (and below SAME) a claim is related coverage of the other: it shares
# much of the fact but adds, drops or changes a detail. Never counted as corroboration.
RELATED: float = 0.32

# p_same at or above which two claims *of a story* whose predicates differ (see
# :func:`predicates_agree`) state the same fact. MRPC's pairs were picked as likely paraphrases
# (two in three are), while most candidate pairs inside a story are not: at one threshold, the
# judge's "same" is less precise in a story than on MRPC, and most of all when the predicates
# differ and only the participants are shared ("the court appointed Xu a lawyer" / "the court
# declared Xu guilty"). Out of fold on MRPC train, pairs called same at SAME are right 0.87 of
# the time when their predicates agree but 0.78 when they differ; this is the lowest p (0.01
# steps) at which pairs with differing predicates reach precision 0.90 on their own (the
# precision the comparison's corroborated facts are held to). ``scripts/train_judge.py``
# derives it. Two claims judged alone (the ``align`` stage) keep SAME.
SAME_OTHER_PREDICATE: float = 0.84
#: predicates too general to say what happened on their own ("is", "said"): one of these is
#: never looked for among the other claim's words (two equal ones still agree), and a shared
#: one never ties two claims to one event (:mod:`newsprism.stories.conflicts`)
LIGHT_PREDICATES = frozenset({"be", "have", "say", "tell", "do", "make", "get", "go", "take"})

Relation = Literal["same", "related", "different"]


def predicates_agree(
    a_predicates: Collection[str], a_text: str, b_predicates: Collection[str], b_text: str
) -> bool:
    """Whether two claims say the same kind of thing happened: they share a predicate (lemma of
    a clause head), or a predicate of one that is not a light verb is among the other's words
    ("refused to condemn" / "did not condemn"). A side without a known predicate (no parse)
    agrees with anything."""
    pa = {p.lower() for p in a_predicates if p}
    pb = {p.lower() for p in b_predicates if p}
    if not pa or not pb or pa & pb:
        return True
    words_a, words_b = _stemmed_words(a_text), _stemmed_words(b_text)
    return any(stem(p) in words_b for p in pa - LIGHT_PREDICATES) or any(
        stem(p) in words_a for p in pb - LIGHT_PREDICATES
    )


@lru_cache(maxsize=8192)
def _stemmed_words(text: str) -> frozenset[str]:
    """The stems of a text's words; a story's claims are each compared with many partners."""
    return frozenset(stem(w) for w in tokens(text))


def same_threshold(agree: bool) -> float:
    """The p_same a candidate pair in a story needs for "same": :data:`SAME`, or
    :data:`SAME_OTHER_PREDICATE` when the two claims' predicates differ."""
    return SAME if agree else SAME_OTHER_PREDICATE


def relation(p: float) -> Relation:
    """The relation that the probability ``p`` of being the same fact stands for (two claims
    judged alone, as the ``align`` stage does)."""
    if not isinstance(p, int | float) or math.isnan(p):
        return "different"
    if p >= SAME:
        return "same"
    if p >= RELATED:
        return "related"
    return "different"


@dataclass(frozen=True)
class JudgeModel:
    """Standardisation and logistic-regression weights over :func:`pair_features` columns."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict[str, Any]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Probability of "same" for each row of ``X`` (all :func:`pair_features` columns)."""
        cols = X[:, : len(self.features)].astype(np.float64)
        z = ((cols - self.mean) / self.scale) @ self.coef + self.intercept
        z = np.nan_to_num(z, nan=-30.0, posinf=30.0, neginf=-30.0)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "newsprism.same_fact_judge/1",
            "model": "logistic regression on standardised pair features",
            "features": list(self.features),
            "mean": [float(x) for x in self.mean],
            "scale": [float(x) for x in self.scale],
            "coef": [float(x) for x in self.coef],
            "intercept": float(self.intercept),
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JudgeModel:
        features = tuple(d["features"])
        if features != SCALAR_FEATURES[: len(features)]:
            raise ValueError("judge weights do not match this version's features; retrain")
        arrays = [np.asarray(d[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(a.shape != (len(features),) for a in arrays):
            raise ValueError("judge weights: mean/scale/coef must each have one value a feature")
        mean, scale, coef = arrays
        return cls(features, mean, scale, coef, float(d["intercept"]), dict(d.get("meta") or {}))


def _sig(x: float, digits: int = 6) -> float:
    """``x`` rounded to ``digits`` significant digits (so the shipped file is reproducible)."""
    return float(f"{x:.{digits}g}")


def fit(X: np.ndarray, y: np.ndarray, C: float = 1.0) -> JudgeModel:
    """Fit the judge on feature rows ``X`` (from :func:`pair_features`) and 0/1 labels ``y``.

    The one training pipeline: ``scripts/train_judge.py`` ships its result and
    :mod:`newsprism.evaluate.align` refits it on each cross-validation fold.
    """
    from sklearn.linear_model import LogisticRegression  # heavy: sklearn, ~1 s; only to fit

    cols = np.asarray(X[:, : len(SCALAR_FEATURES)], dtype=np.float64)
    mean = cols.mean(axis=0)
    scale = cols.std(axis=0)
    scale[scale < 1e-9] = 1.0
    mean = np.array([_sig(v) for v in mean])
    scale = np.array([_sig(v) for v in scale])
    lr = LogisticRegression(C=C, max_iter=5000, tol=1e-8)
    lr.fit((cols - mean) / scale, np.asarray(y, dtype=int))
    return JudgeModel(
        features=SCALAR_FEATURES,
        mean=mean,
        scale=scale,
        coef=np.array([_sig(v) for v in lr.coef_[0]]),
        intercept=_sig(float(lr.intercept_[0])),
        meta={"C": C, "n_pairs": len(y)},
    )


class SameFactJudge:
    """Scores many claim pairs at once; get the shipped one with :meth:`load`."""

    def __init__(self, model: JudgeModel) -> None:
        self.model = model

    @classmethod
    def load(cls, path: Path | None = None) -> SameFactJudge:
        """The judge from the shipped weights (or ``path``), loaded once per process."""
        return _load(Path(path) if path is not None else WEIGHTS)

    def p_same(
        self,
        a_texts: Sequence[str],
        b_texts: Sequence[str],
        a_vecs: np.ndarray | None = None,
        b_vecs: np.ndarray | None = None,
    ) -> np.ndarray:
        """Calibrated probability that ``a_texts[i]`` and ``b_texts[i]`` state the same fact.

        ``a_vecs``/``b_vecs``: the texts' L2-normalised all-MiniLM-L6-v2 vectors, row for row
        (as :func:`newsprism.nlp.pipeline.embed` makes them); embedded here when absent.
        """
        a, b = _pair_texts(a_texts, b_texts)
        if not a:
            return np.zeros(0, dtype=np.float64)
        return self.model.predict(pair_features(a, b, _vectors(a, a_vecs), _vectors(b, b_vecs)))

    def p_same_given_cosines(
        self, a_texts: Sequence[str], b_texts: Sequence[str], cosines: np.ndarray
    ) -> np.ndarray:
        """:meth:`p_same` of pairs whose vector cosines are already known
        (:func:`~newsprism.stories.judge_features.pair_cosines`): the same probabilities,
        without holding two vectors per pair."""
        a, b = _pair_texts(a_texts, b_texts)
        if not a:
            return np.zeros(0, dtype=np.float64)
        return self.model.predict(features_given_cosines(a, b, cosines))


def _pair_texts(a_texts: Sequence[str], b_texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """The two sides of the pairs, row for row (anything but a string reads as empty)."""
    if len(a_texts) != len(b_texts):
        raise ValueError(f"{len(a_texts)} a_texts but {len(b_texts)} b_texts")
    return (
        [t if isinstance(t, str) else "" for t in a_texts],
        [t if isinstance(t, str) else "" for t in b_texts],
    )


def _vectors(texts: list[str], vecs: np.ndarray | None) -> np.ndarray:
    if vecs is not None:
        arr = np.asarray(vecs, dtype=np.float32)
        if arr.ndim == 2 and arr.shape[0] == len(texts):
            return arr
        log.warning(
            "judge: vectors of shape %s do not fit %d texts; embedding", arr.shape, len(texts)
        )

    uniq = sorted(set(texts))
    rows = {t: i for i, t in enumerate(uniq)}
    mat = embed(uniq)
    return mat[[rows[t] for t in texts]]


@lru_cache(maxsize=4)
def _load(path: Path) -> SameFactJudge:
    d = json.loads(path.read_text(encoding="utf-8"))
    return SameFactJudge(JudgeModel.from_dict(d))
