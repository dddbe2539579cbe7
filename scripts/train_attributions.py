"""Retrain the attribution models (``src/newsprism/data/attribution_cues.json`` and
``attribution_drafts.json``).

Data: PolNeAR v1.0.0 training split as JSON Lines (``../shared/data/polnear_train.jsonl``:
``text`` plus ``quotes[]`` with ``contents``, ``sources`` and ``cue_spans``).

1. Cue classifier: every verb of every parsed article is an example; it is positive when it
   lies inside a gold cue span. Features: :func:`newsprism.nlp.attributions_model.cue_features`.
2. Draft filter: every verb attribution the rules build (reporting verbs, and verbs the cue
   classifier scores at least ``--candidate-threshold``) is an example; it is positive when a
   gold attribution shares both content and source characters with it. Features:
   :func:`newsprism.nlp.attributions_model.draft_features`.

Both are L2 logistic regressions (scikit-learn, liblinear); weights are pruned and written as
JSON. The decision thresholds (0.5 for cues, ``--draft-threshold`` for drafts) were chosen on
the second half of the training split with models fitted on the first half.

    .venv/bin/python scripts/train_attributions.py [--train PATH] [--limit N] [--docbin CACHE]
"""

from __future__ import annotations

import argparse
import bisect
import json
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "polnear_train.jsonl"
DEFAULT_OUT = ROOT / "src" / "newsprism" / "data" / "attribution_cues.json"
DEFAULT_DRAFT_OUT = ROOT / "src" / "newsprism" / "data" / "attribution_drafts.json"

log = logging.getLogger("train_attributions")


def examples(records: list[dict], docs: list) -> tuple[list[list[str]], list[int]]:
    from newsprism.nlp.attributions_model import cue_features

    X: list[list[str]] = []
    y: list[int] = []
    for rec, doc in zip(records, docs, strict=True):
        spans = sorted(
            (s["start"], s["end"])
            for q in rec.get("quotes") or []
            for s in (q.get("cue_spans") or ([q["cue"]] if q.get("cue") else []))
        )
        starts = [a for a, _ in spans]
        for tok in doc:
            if tok.pos_ != "VERB":
                continue
            k = bisect.bisect_right(starts, tok.idx) - 1
            inside = k >= 0 and spans[k][0] <= tok.idx < spans[k][1]
            X.append(cue_features(tok))
            y.append(int(inside))
    return X, y


def draft_examples(
    records: list[dict], docs: list, candidate_threshold: float
) -> tuple[list, list]:
    """Feature lists and 0/1 labels of the rule drafts (before filtering) of each article."""
    from newsprism.evaluate.attributions import _chars, _gold_roles
    from newsprism.nlp.attributions import Sents, _n_words, _rule_drafts
    from newsprism.nlp.attributions_quotes import QuoteIndex, find_quotes

    collect = {"weights": {}, "bias": 0.0, "threshold": 0.0}
    collect["candidate_threshold"] = candidate_threshold
    X: list[list[str]] = []
    y: list[int] = []
    for rec, doc in zip(records, docs, strict=True):
        text = rec["text"]
        quotes = [q for q in find_quotes(text) if _n_words(text, q.start, q.end) >= 1]
        gold = [_gold_roles(q) for q in rec.get("quotes") or []]
        gsets = [(_chars(text, g["content"]), _chars(text, g["source"])) for g in gold]
        for d in _rule_drafts(doc, QuoteIndex(quotes), Sents(doc, text), collect):
            feats = d.notes.get("feats")
            if not isinstance(feats, list) or d.source is None:
                continue
            pc, ps = _chars(text, d.content), _chars(text, [d.source])
            X.append(feats)
            y.append(int(any(c & pc and s & ps for c, s in gsets)))
    return X, y


def fit(X: list[list[str]], y: list[int], C: float, min_weight: float) -> tuple[dict, float, int]:
    """L2 logistic regression over binary features: (pruned weights, bias, feature count)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    Xm = vec.fit_transform([dict.fromkeys(f, 1) for f in X]).tocsr()
    Xm.indices = Xm.indices.astype("int32")  # liblinear wants 32-bit indices
    Xm.indptr = Xm.indptr.astype("int32")
    clf = LogisticRegression(C=C, solver="liblinear", max_iter=300)
    clf.fit(Xm, y)
    names = vec.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, clf.coef_[0], strict=True)
        if abs(w) >= min_weight
    }
    return dict(sorted(weights.items())), round(float(clf.intercept_[0]), 4), len(names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--limit", type=int, default=None, help="use the first N articles")
    ap.add_argument("--docbin", type=Path, default=None, help="cache of parsed docs (spaCy DocBin)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--min-weight", type=float, default=0.1)
    ap.add_argument("--draft-out", type=Path, default=DEFAULT_DRAFT_OUT)
    ap.add_argument("--draft-C", type=float, default=0.3)
    ap.add_argument("--draft-min-weight", type=float, default=0.05)
    ap.add_argument("--draft-threshold", type=float, default=0.45)
    ap.add_argument("--candidate-threshold", type=float, default=0.1)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from spacy.tokens import DocBin

    from newsprism.nlp.pipeline import load_nlp, parse_many

    records = []
    with args.train.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
            if args.limit and len(records) >= args.limit:
                break
    nlp = load_nlp()
    if args.docbin and args.docbin.exists():
        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))[: len(records)]
        records = records[: len(docs)]
    else:
        docs = list(parse_many([r["text"] for r in records], batch_size=16))
        if args.docbin:
            db = DocBin()
            for d in docs:
                db.add(d)
            db.to_disk(args.docbin)
    X, y = examples(records, docs)
    log.info("%d articles, %d verbs, %d cues", len(records), len(y), sum(y))
    weights, bias, n_feats = fit(X, y, args.C, args.min_weight)
    model = {
        "about": "attribution cue classifier; retrain with scripts/train_attributions.py",
        "data": f"PolNeAR v1.0.0 train split, {len(records)} articles",
        "bias": bias,
        "threshold": 0.5,
        "weights": weights,
    }
    args.out.write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    log.info("wrote %s: %d weights (of %d features)", args.out, len(weights), n_feats)

    from newsprism.nlp import attributions_model

    attributions_model.load_cue_model.cache_clear()  # the drafts use the new cue weights
    if args.out.resolve() != DEFAULT_OUT.resolve():
        log.warning("draft examples use the installed cue model, not %s", args.out)
    X, y = draft_examples(records, docs, args.candidate_threshold)
    log.info("%d rule drafts, %d match a gold attribution", len(y), sum(y))
    weights, bias, n_feats = fit(X, y, args.draft_C, args.draft_min_weight)
    model = {
        "about": "attribution draft filter; retrain with scripts/train_attributions.py",
        "data": f"PolNeAR v1.0.0 train split, {len(records)} articles",
        "bias": bias,
        "threshold": args.draft_threshold,
        "candidate_threshold": args.candidate_threshold,
        "weights": weights,
    }
    args.draft_out.write_text(
        json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log.info("wrote %s: %d weights (of %d features)", args.draft_out, len(weights), n_feats)


if __name__ == "__main__":
    main()
