"""Framing items on real multi-outlet coverage, for hand-checking (DUC 2004 dev as stories).

Each DUC cluster (AP, New York Times and Xinhua articles on one topic, outlet and date from
the doc ids) is compared as one story; the top items of each story (a substitution, naming or
hedge of one outlet and its mirror in the other outlet count once) are written with their
evidence to a JSON file. The precision in docs/compare.md ("Framing") comes from reading it.

    python scripts/framing_duc.py ../shared/data/duc2004_dev.jsonl -o /tmp/duc_framing.json

The evaluation data is read where it lies and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsprism import codec
from newsprism.engine import local
from newsprism.nlp.canonical import canonicalize
from newsprism.stories.compare import compare_story

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_duc import duc_articles


def top_items(framing: dict[str, list[dict]], n: int) -> list[dict]:
    """The story's best ``n`` items over all outlets, a mirrored pair counted once."""
    items = [{**i, "outlet": o} for o, its in framing.items() for i in its]
    items.sort(key=lambda i: -i["score"])
    seen: set[tuple[str, frozenset[str]]] = set()
    out = []
    for i in items:
        key = (i["kind"], frozenset((i["ours"].lower(), i["theirs"].lower())))
        if key in seen:
            continue
        seen.add(key)
        out.append(i)
        if len(out) == n:
            break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("-o", "--output", type=Path, default=Path("duc_framing.json"))
    ap.add_argument("--limit", type=int, default=20, help="clusters (stories) to compare")
    ap.add_argument("--top", type=int, default=5, help="items per story")
    args = ap.parse_args()
    recs = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    recs = recs[: args.limit]
    report = []
    t0 = time.perf_counter()
    for n, rec in enumerate(recs, 1):
        arts = duc_articles(rec)
        enriched = {e.article_id: e for e in local.enrich(arts, workers=1)}
        canonicalize({a.id: enriched[a.id].entities for a in arts})
        comp = compare_story(arts, enriched)
        items = top_items(codec.to_dict(comp.framing), args.top)
        report.append(
            {
                "cluster": rec["cluster_id"],
                "items": [
                    {
                        "outlet": i["outlet"],
                        "kind": i["kind"],
                        "aspect": i.get("aspect"),
                        "entity": i.get("entity"),
                        "ours": i["ours"],
                        "theirs": i["theirs"],
                        "with": i["with"],
                        "score": i["score"],
                        "counts": i["counts"],
                        "evidence": [
                            {"outlet": e["outlet"], "text": e["text"], "mark": e["mark"]["text"]}
                            for e in i["evidence"][:2]
                        ],
                    }
                    for i in items
                ],
            }
        )
        print(
            f"{n}/{len(recs)} {rec['cluster_id']}: {len(items)} items "
            f"({time.perf_counter() - t0:.0f} s)",
            file=sys.stderr,
        )
    args.output.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"stories": len(report), "items": sum(len(r["items"]) for r in report)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
