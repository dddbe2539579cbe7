"""How many claims could skip the sentence encoder: DUC 2004 dev clusters as stories.

Each DUC cluster (AP, New York Times and Xinhua articles on one topic) is compared as one story,
as ``scripts/compare_duc.py`` does. For every claim the script asks whether it has a candidate
partner in another article (gist cosine >= ``align.MIN_COSINE``: the judge never sees a pair
below it), and whether a lexical test (one or two content words shared with a claim of another
article) would have found the claims and the same-fact pairs the vectors found. This is the
measurement behind "lexical blocking cannot cut it much" in docs/benchmarks.md.

    python scripts/claim_partners.py ../shared/data/duc2004_dev.jsonl [--limit N]

The evaluation data is read where it lies and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from compare_duc import duc_articles

from newsprism.engine import local
from newsprism.nlp.canonical import canonicalize
from newsprism.stories import align
from newsprism.stories import compare as compare_mod


def cluster_counts(rec: dict) -> dict[str, int]:
    """The counts of one cluster compared as one story."""
    articles = duc_articles(rec)
    enriched = {e.article_id: e for e in local.enrich(articles, workers=2)}
    canonicalize({a.id: enriched[a.id].entities for a in articles})
    claims = compare_mod.story_claims(articles, enriched)
    vectors = compare_mod._vectors(claims, enriched, None)
    scores = align.score_pairs(claims, vectors)
    n = len(claims)
    article = np.array([c.article for c in claims])
    other = article[:, None] != article[None, :]
    words = [align._content_words(align.judge_text(c.gist or c.text)) for c in claims]
    vocab: dict[str, int] = {}
    hot = np.zeros((n, sum(len(w) for w in words) or 1), dtype=np.float32)
    for i, w in enumerate(words):
        hot[i, [vocab.setdefault(x, len(vocab)) for x in w]] = 1.0
    shared = (hot @ hot.T) * other  # content words shared with claims of other articles
    partner = ((scores.cos >= align.MIN_COSINE) & other).any(axis=1)
    same = np.triu(scores.same, k=1)
    out = {"claims": n, "with_partner": int(partner.sum()), "same_pairs": int(same.sum())}
    for k in (1, 2):
        lex = shared >= k
        out[f"lex{k}_claims"] = int(lex.any(axis=1).sum())
        out[f"lex{k}_partnered"] = int((partner & lex.any(axis=1)).sum())
        out[f"lex{k}_same_pairs"] = int((same & lex).sum())
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="clusters to compare")
    args = ap.parse_args()
    total: dict[str, int] = {}
    with args.data.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if args.limit is not None and n >= args.limit:
                break
            rec = json.loads(line)
            counts = cluster_counts(rec)
            print(rec["cluster_id"], json.dumps(counts), file=sys.stderr, flush=True)
            for k, v in counts.items():
                total[k] = total.get(k, 0) + v
    print(json.dumps(total, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
