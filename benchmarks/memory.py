"""Peak memory of `analyze` over 10,000 articles, measured by running it.

The evaluation data holds about 590,000 words of real news (PolNeAR train), some 1,500
articles of 400 words: too few for 10,000. So the archive is real text retold: each PolNeAR
train article is covered by ``--outlets`` outlets, each outlet's version its first paragraph
and a different random ~60% of the others (in order), published the same day or up to two
days later. An event is then a story of about a dozen articles whose outlets share some
paragraphs word for word and not others, as wire copy and rewrites do; the texts, entities,
attributions and claims are real news. Written to a temporary folder, never into the repo.

One `analyze` from scratch into a fresh store (``benchmarks/pipeline.py``'s child run, 2
workers, the default encoder), in a fresh process: peak RSS of the main process, its resident
memory after each step, wall time by stage. Target (issue 12): at most 2 GB at 10,000
articles. Results go to ``docs/benchmarks.md`` under ``## Peak memory at 10,000 articles``.

    .venv/bin/python benchmarks/memory.py [--articles 10000] [--outlets 13] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from docs_section import conclude, cpu_label, output_args
from newsprism.nlp.embed import DEFAULT_BACKEND as ENCODER
from pipeline import run_child

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polnear_train.jsonl"
SECTION = "## Peak memory at 10,000 articles"
OUTLETS = [
    "Northern Ledger",
    "Harbor Times",
    "Valley Post",
    "Capital Wire",
    "Coast Herald",
    "River Gazette",
    "Summit News",
    "Plains Chronicle",
    "Metro Daily",
    "Bay Observer",
    "Lake Tribune",
    "Ridge Courier",
]
TARGET_MB = 2048


def retold(data: Path, outlets: int, limit: int, folder: Path) -> dict[str, int]:
    """Write up to ``limit`` articles into ``folder``: each PolNeAR train article (with at
    least four paragraphs) as told by ``outlets`` outlets. Returns counts for the report."""
    folder.mkdir(parents=True, exist_ok=True)
    n = words = events = 0
    seen: set[str] = set()
    with data.open(encoding="utf-8") as fh:
        for line in fh:
            if n >= limit:
                break
            rec = json.loads(line)
            if rec["doc_id"] in seen:
                continue
            seen.add(rec["doc_id"])
            paras = [p for p in rec["text"].split("\n") if p.strip()]
            if len(paras) < 4:
                continue
            try:
                day = dt.date.fromisoformat((rec.get("publication_date") or "")[:10])
            except ValueError:
                day = dt.date(2016, 6, 1)
            events += 1
            for v in range(outlets):
                if n >= limit:
                    break
                rnd = random.Random(f"{rec['doc_id']}:{v}")  # the same archive on every run
                keep = [p for p in paras[1:] if rnd.random() < 0.6]
                text = "\n\n".join([paras[0], *(keep or paras[1:3])])
                meta = {
                    "source": OUTLETS[v % len(OUTLETS)],
                    "published": (day + dt.timedelta(days=rnd.randint(0, 2))).isoformat(),
                }
                (folder / f"s{n:05d}.txt").write_text(text, encoding="utf-8")
                (folder / f"s{n:05d}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
                n += 1
                words += len(text.split())
    return {"articles": n, "words": words, "events": events}


def measure(articles: int, outlets: int, workers: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="newsprism-memory-"))
    try:
        corpus = retold(DATA, outlets, articles, work / "corpus")
        run = run_child("analyze", work / "corpus", workers, work / "store.db", ENCODER)
        return {
            **corpus,
            "outlets": outlets,
            "workers": workers,
            "run": run,
            "load": os.getloadavg()[0],
            "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
            "machine": platform.machine(),
            "cpu": cpu_label(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(res: dict) -> str:
    run = res["run"]
    cpu = f", {res['cpu']}" if res.get("cpu") else ""
    peak = float(run["rss"])
    verdict = "met" if peak <= TARGET_MB else "not met"
    lines = [
        SECTION,
        "",
        f"`python benchmarks/memory.py` on {res['when']} UTC ({res['machine']}{cpu}, "
        f"{res['cores']} CPU cores shared with other jobs, Python {res['python']}, 1-minute "
        f"load average at the end {res['load']:.1f}). {res['articles']:,} articles "
        f"({res['words']:,} words, {res['words'] / max(res['articles'], 1):.0f} per article): "
        f"{res['events']} PolNeAR train articles, each retold by up to {res['outlets']} outlets "
        "(each version its first paragraph and a different ~60% of the others, published the "
        "same day or up to two days later; see the script). One `analyze` from scratch into a "
        f"fresh store, {res['workers']} workers, the default encoder, in a fresh process.",
        "",
        f"**Peak RSS of the main process: {peak:,.0f} MB** (target 2 GB: {verdict}). "
        f"{int(run.get('articles', 0)):,} articles analyzed (files with the very same text are "
        f"one article), {int(run.get('stories', 0)):,} stories; wall time "
        f"{run['wall'] / 60:.1f} min. The parse workers are processes of their own, each "
        'holding about what the parse alone holds (see "Whole pipeline vs. the parse alone").',
        "",
        "| step | resident MB at its end |",
        "| --- | ---: |",
    ]
    lines += [f"| {name} | {mb:,.0f} |" for name, mb in run.get("rss_after", [])]
    stages = run.get("stages", {})
    if stages:
        lines += ["", "| stage | seconds |", "| --- | ---: |"]
        lines += [f"| {name} | {secs:,.1f} |" for name, secs in stages.items()]
    return "\n".join([*lines, "", *NOTES]) + "\n"


NOTES = [
    "- Where it goes, step by step: the articles and their near-duplicate fingerprints after "
    "ingest; the outlines of the enrichment (its entities) after the parse, since each batch "
    "of whole records is stored as it comes and read back one story at a time; the sentence "
    "encoders and the clustering state in the clustering (the full-precision encoder for "
    "titles and leads, let go before the int8 one loads for the claims); the stories' record "
    "texts after the comparison.",
    "- The same run with the code of earlier on 2026-12-07 passed 1.3 GB during the "
    "comparison and was still growing when it was stopped: every compared story was held as "
    'objects until the last one was compared (see "Archive growth").',
    "- The run of 2026-12-07 13:18 peaked at 1,177 MB; the one of 20:24, 1,269 MB. The "
    "difference arrives in the comparison (1,096 -> 1,186 MB at its end): the same-fact "
    "judge's near-synonym features, added between the two, hold the encoder's word-piece "
    "table (23 MB in half precision), a cache of up to 50,000 words' vectors (then in full "
    "precision, up to 77 MB; in half precision since, up to 38 MB, the same values the judge "
    "reads) and one of up to 4,096 texts' word vectors (about 60 MB), all bounded (the "
    "archive of 1,000 rose by as much, 428 -> 521 MB).",
    "- What this archive is not: its 756 stories hold about 13 articles each, where a real "
    "archive of 10,000 articles has more and smaller stories (506 per 1,000 PolNeAR pieces). "
    "What the main process holds per article (the article, its entities, its share of the "
    "stories' texts) does not depend on how the articles group; the largest story's pair "
    "matrices do, up to the cap on a story's claims (a story of 2,805 claims raises the peak "
    "by about 130 MB for the time it is compared).",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--outlets", type=int, default=13, help="versions of each source article")
    ap.add_argument("--workers", type=int, default=2)
    output_args(ap)
    args = ap.parse_args()
    conclude(SECTION, args, lambda: measure(args.articles, args.outlets, args.workers), render)


if __name__ == "__main__":
    main()
