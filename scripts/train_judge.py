"""Retrain the same-fact judge (``src/newsprism/data/same_fact_judge.json``).

Data: the MRPC training pairs as JSON Lines (``../shared/data/mrpc_train.jsonl``: ``id, a, b,
label`` with label ``same``/``different``; 4,076 pairs). Features:
:func:`newsprism.stories.judge_features.pair_features`; model:
:func:`newsprism.stories.judge.fit` (standardised logistic regression, weights rounded to six
significant digits).

The script first cross-validates the pipeline exactly as ``newsprism evaluate align`` does (5
folds, pairs sharing a sentence kept together) and derives the thresholds from the out-of-fold
probabilities: ``SAME`` is the lowest p (0.01 steps) whose precision of "same" is at least
``--precision``; ``SAME_OTHER_PREDICATE`` the lowest p whose precision, counted over the pairs
whose predicates differ alone (each sentence parsed for its clauses' predicates), reaches
``--other-precision``; and ``RELATED`` the highest p that still keeps ``--related-recall`` of
the same pairs at or above it. These go into the file's ``meta`` and must match the constants
in ``stories/judge.py`` (a test checks that). Then it fits on all pairs and writes the weights.

    .venv/bin/python scripts/train_judge.py [--train PATH] [--out PATH] [--cache FEATURES.npy]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "mrpc_train.jsonl"
DEFAULT_OUT = ROOT / "src" / "newsprism" / "data" / "same_fact_judge.json"

log = logging.getLogger("train_judge")


def lowest_threshold(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold on a 0.01 grid whose precision of "same" reaches ``precision``."""
    from newsprism.evaluate.align import metrics

    for t in np.round(np.arange(0.30, 0.99, 0.01), 2):
        m = metrics(p, y, float(t))
        if m["precision_same"] >= precision and m["recall_same"] > 0:
            return float(t)
    return 0.99


def related_threshold(p: np.ndarray, y: np.ndarray, recall: float) -> float:
    """The highest threshold on a 0.01 grid that keeps ``recall`` of the same pairs above it."""
    best = 0.01
    for t in np.round(np.arange(0.01, 0.99, 0.01), 2):
        if float(np.mean(p[y == 1] >= t)) >= recall:
            best = float(t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--precision", type=float, default=0.85)
    ap.add_argument(
        "--other-precision",
        type=float,
        default=0.90,
        help="precision of 'same' asked of pairs whose predicates differ (see stories/judge.py)",
    )
    ap.add_argument("--related-recall", type=float, default=0.95)
    ap.add_argument("--cache", type=Path, help="feature matrix cache (.npy), outside the repo")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from newsprism.evaluate.align import (
        agreement,
        calibration_error,
        features,
        load_pairs,
        metrics,
        out_of_fold,
    )
    from newsprism.nlp.embed import backend_name
    from newsprism.stories.judge import fit

    pairs = load_pairs(args.train)
    if args.cache and args.cache.exists():
        X = np.load(args.cache)
    else:
        X = features(pairs)
        if args.cache:
            np.save(args.cache, X)
    log.info("%d pairs, %d features", *X.shape)

    p = out_of_fold(X, pairs.y, pairs.groups)
    same = lowest_threshold(p, pairs.y, args.precision)
    agree = agreement(pairs)
    other = lowest_threshold(p[~agree], pairs.y[~agree], args.other_precision)
    related = related_threshold(p, pairs.y, args.related_recall)
    cv = {
        k: round(v, 4)
        for k, v in metrics(p, pairs.y, np.where(agree, same, other)).items()
    }
    cv_same = {k: round(v, 4) for k, v in metrics(p, pairs.y, same).items()}
    cv_half = {k: round(v, 4) for k, v in metrics(p, pairs.y, 0.5).items()}
    ece = round(calibration_error(p, pairs.y), 4)
    log.info("SAME = %.2f  SAME_OTHER_PREDICATE = %.2f  RELATED = %.2f", same, other, related)
    log.info("5-fold CV at SAME / SAME_OTHER_PREDICATE: %s", cv)
    log.info("5-fold CV at SAME alone: %s", cv_same)
    log.info("5-fold CV at 0.5:  %s", cv_half)
    log.info("calibration error (10 bins): %.4f", ece)
    for name, part in (("agree", agree), ("differ", ~agree)):
        at = metrics(p[part], pairs.y[part], same)
        log.info(
            "at SAME, pairs whose predicates %s (%d): precision %.3f",
            name,
            int(part.sum()),
            at["precision_same"],
        )

    model = fit(X, pairs.y)
    digest = hashlib.sha256(args.train.read_bytes()).hexdigest()
    meta = dict(model.meta)
    meta.update(
        {
            "data": f"{args.train.name} (MRPC training pairs), sha256 {digest[:16]}",
            "threshold_same": same,
            "threshold_same_other_predicate": other,
            "threshold_related": related,
            "cv_at_thresholds": cv,
            "cv_at_same": cv_same,
            "cv_at_0.5": cv_half,
            "cv_calibration_error": ece,
            # the sentence encoder whose vectors the features read
            "vectors": backend_name(),
        }
    )
    d = model.to_dict()
    d["meta"] = meta
    args.out.write_text(json.dumps(d, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    log.info("wrote %s (%d bytes)", args.out, args.out.stat().st_size)


if __name__ == "__main__":
    main()
