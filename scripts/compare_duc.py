"""Fact labels on real multi-outlet coverage: DUC 2004 dev clusters (or ECB+ dev events) as
stories.

Each DUC cluster (AP, New York Times and Xinhua articles on one topic, with their real dates
from the doc ids) is compared as one story. The script counts each status and writes a sample
of corroborated facts and every conflict and update to a JSON file for hand-checking (the
precision written in docs/compare.md comes from reading that file).

    python scripts/compare_duc.py ../shared/data/duc2004_dev.jsonl -o /tmp/duc_facts.json

Given ECB+ dev records instead (``ecbplus_dev.jsonl``), each gold event (``label``) is one
story and each document its own outlet (ECB+ gives neither outlets nor dates, and its text is
tokenized: "San Diego 's Jackson").

The evaluation data is read where it lies and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from newsprism.engine import local
from newsprism.model import Article
from newsprism.nlp.canonical import canonicalize
from newsprism.stories.compare import compare_story

OUTLETS = {"APW": "Associated Press", "NYT": "New York Times", "XIE": "Xinhua"}
_DOC = re.compile(r"^([A-Z]+)(\d{4})(\d\d)(\d\d)")


def duc_articles(rec: dict) -> list[Article]:
    out = []
    for doc_id, text in zip(rec["doc_ids"], rec["articles"], strict=True):
        m = _DOC.match(doc_id)
        source = OUTLETS.get(m.group(1), m.group(1)) if m else None
        published = f"{m.group(2)}-{m.group(3)}-{m.group(4)}" if m else None
        out.append(Article(id=doc_id, text=text, source=source, published=published))
    return out


def ecb_stories(recs: list[dict]) -> list[tuple[str, list[Article]]]:
    """ECB+ documents grouped by their gold event, each document its own outlet."""
    by_event: dict[str, list[Article]] = {}
    for r in recs:
        by_event.setdefault(r["label"], []).append(
            Article(id=r["id"], text=r["text"], source=r["id"], published=r.get("date"))
        )
    return [(label, arts) for label, arts in by_event.items() if len(arts) >= 2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=Path("duc_facts.json"))
    ap.add_argument("--sample", type=int, default=30, help="corroborated facts to sample")
    ap.add_argument("--limit", type=int, default=None, help="clusters to compare")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    recs = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    stories = (
        ecb_stories(recs)
        if recs and "label" in recs[0]
        else [(r["cluster_id"], duc_articles(r)) for r in recs]
    )
    stories = stories[: args.limit] if args.limit else stories
    counts: Counter[str] = Counter()
    corroborated, conflicts, updates = [], [], []
    t0 = time.perf_counter()
    for n, (story, arts) in enumerate(stories, 1):
        enriched = {e.article_id: e for e in local.enrich(arts, workers=1)}
        canonicalize({a.id: enriched[a.id].entities for a in arts})
        comp = compare_story(arts, enriched)
        for f in comp.facts:
            counts[f.status] += 1
            entry = {
                "cluster": story,
                "fact": f.id,
                "status": f.status,
                "p_same": round(f.p_same, 3),
                "sources": [
                    {"outlet": s.outlet, "published": s.published, "text": s.text}
                    for s in f.sources
                ],
            }
            if f.status == "corroborated":
                corroborated.append(entry)
            for c in f.conflicts:
                conflicts.append({**entry, "conflict": c.to_dict()})
            for u in f.updates:
                updates.append({**entry, "update": u.to_dict()})
        print(
            f"{n}/{len(stories)} {story}: {len(comp.facts)} facts "
            f"({time.perf_counter() - t0:.0f} s)",
            file=sys.stderr,
        )
    rng = random.Random(args.seed)
    sample = rng.sample(corroborated, min(args.sample, len(corroborated)))
    report = {
        "clusters": len(stories),
        "counts": dict(counts),
        "updates": len(updates),
        "corroborated_sample": sample,
        "conflicts": conflicts,
        "update_list": updates,
    }
    args.output.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"counts": dict(counts), "conflicts": len(conflicts), "updates": len(updates)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
