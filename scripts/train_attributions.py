"""Retrain the attribution cue classifier (``src/newsprism/data/attribution_cues.json``).

Data: PolNeAR v1.0.0 training split as JSON Lines (``../shared/data/polnear_train.jsonl``:
``text`` plus ``quotes[].cue_spans``). Every verb of every parsed article is an example; it is
positive when it lies inside a gold cue span. Features: :func:`newsprism.nlp.attributions_model.cue_features`.
Model: L2 logistic regression (scikit-learn, liblinear); weights are pruned and written as JSON.

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--limit", type=int, default=None, help="use the first N articles")
    ap.add_argument("--docbin", type=Path, default=None, help="cache of parsed docs (spaCy DocBin)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--min-weight", type=float, default=0.1)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
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
    vec = DictVectorizer()
    Xm = vec.fit_transform([dict.fromkeys(f, 1) for f in X]).tocsr()
    Xm.indices = Xm.indices.astype("int32")  # liblinear wants 32-bit indices
    Xm.indptr = Xm.indptr.astype("int32")
    clf = LogisticRegression(C=args.C, solver="liblinear", max_iter=200)
    clf.fit(Xm, y)
    names = vec.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, clf.coef_[0], strict=True)
        if abs(w) >= args.min_weight
    }
    model = {
        "about": "attribution cue classifier; retrain with scripts/train_attributions.py",
        "data": f"PolNeAR v1.0.0 train split, {len(records)} articles",
        "bias": round(float(clf.intercept_[0]), 4),
        "threshold": 0.5,
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    log.info("wrote %s: %d weights (of %d features)", args.out, len(weights), len(names))


if __name__ == "__main__":
    main()
