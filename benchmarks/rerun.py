"""Re-running ``analyze`` over a growing archive, written to docs/benchmarks.md.

A store is built over N articles. Then three kinds of run are timed, interleaved over several
rounds (medians):

* **rebuild** (the reference): nothing new, but the stored story keys are dropped first, so every
  story is compared and briefed again (what every run did before stories were reused);
* **no-op**: nothing new, unchanged stories come from the store;
* **one new article**: one more article joins the archive (a different one each round, so the
  archive grows by one article a round and the rebuild and no-op runs see it too).

Enrichment is stored in every case, so the runs differ only in the story stage. The reported
numbers are the ratios to the rebuild measured in the same rounds.

    .venv/bin/python benchmarks/rerun.py [--data PATH] [--limit N] [--rounds R] [--no-write]
"""

from __future__ import annotations

import argparse
import logging
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from docs_section import read_texts, write_section

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "polnear_train.jsonl"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Re-running over a stored archive"


def _timed_run(corpus: Path, store: Path) -> tuple[float, int]:
    from newsprism.api import AnalyzeOptions, analyze

    t0 = time.perf_counter()
    result = analyze([corpus], AnalyzeOptions(workers=1), store=store)
    return time.perf_counter() - t0, len(result.stories)


def _drop_story_keys(store: Path) -> None:
    from newsprism.store.sqlite import Store

    db = Store(store)
    try:
        db.set_state("story_keys", {"keys": {}})
    finally:
        db.close()


def measure(texts: list[str], rounds: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="newsprism-rerun-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        stored, fresh = texts[:-rounds], texts[-rounds:]
        for n, text in enumerate(stored):
            (corpus / f"a{n:05d}.txt").write_text(text, encoding="utf-8")
        store = work / "archive.db"
        first, stories = _timed_run(corpus, store)  # enrich everything once
        rebuild: list[float] = []
        noop: list[float] = []
        add_one: list[float] = []
        for k in range(rounds):
            _drop_story_keys(store)
            rebuild.append(_timed_run(corpus, store)[0])
            noop.append(_timed_run(corpus, store)[0])
            # a different article each round: the store keeps what it has seen
            (corpus / f"new{k:03d}.txt").write_text(fresh[k], encoding="utf-8")
            add_one.append(_timed_run(corpus, store)[0])
        ref = statistics.median(rebuild)
        return {
            "articles": len(stored),
            "stories": stories,
            "rounds": rounds,
            "first_s": first,
            "rebuild_s": ref,
            "noop_s": statistics.median(noop),
            "add_one_s": statistics.median(add_one),
            "noop_ratio": statistics.median(noop) / ref,
            "add_one_ratio": statistics.median(add_one) / ref,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(r: dict[str, float], source: str) -> str:
    return f"""{SECTION}

`benchmarks/rerun.py` ({datetime.now(UTC):%Y-%m-%d}, {platform.python_implementation()} \
{platform.python_version()}, {source}, {r["articles"]} stored articles in {r["stories"]} \
stories to start with, {r["rounds"]} interleaved rounds, medians, one worker; shared 2-core machine, so the
ratios to the rebuild measured in the same rounds are the stable numbers):

| run | median time | vs. rebuilding every story |
| --- | --- | --- |
| rebuild every story (reference: what each run did before stories were reused) | \
{r["rebuild_s"]:.1f} s | 1.00 |
| nothing new (unchanged stories reused) | {r["noop_s"]:.1f} s | {r["noop_ratio"]:.2f} |
| one new article (enriched, clustered, its story compared again) | {r["add_one_s"]:.1f} s | \
{r["add_one_ratio"]:.2f} |

The first run over the archive (enriching every article) took {r["first_s"]:.0f} s.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=103, help="articles (the last ROUNDS come new)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if not args.data.exists():
        raise SystemExit(f"{args.data}: not found (the evaluation data lives in ../shared/data)")
    result = measure(read_texts(args.data, args.limit), args.rounds)
    body = render(result, args.data.name)
    print(body)
    if not args.no_write:
        write_section(SECTION, body, DOC)


if __name__ == "__main__":
    main()
