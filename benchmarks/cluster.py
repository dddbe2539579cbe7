"""Scale benchmark for story clustering on a generated 60-day news stream.

The stream is synthetic: templated events (earthquakes, strikes, trials, mergers, ...) with
varying people, places, organisations and numbers, covered by several fictional outlets over
a few days each. Embeddings are random-but-structured vectors (a shared vector per event kind,
one per event, plus per-article noise) instead of MiniLM, so the run measures clustering alone.

Each size runs in a fresh subprocess that reports its clustering time and peak memory
(``resource.getrusage`` max RSS, which includes Python, numpy and usearch). Usage::

    python benchmarks/cluster.py                 # 25k, 50k (3 runs each), 100k (1 run)
    python benchmarks/cluster.py --sizes 5000 --runs 3
    python benchmarks/cluster.py --write-docs    # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from docs_section import write_section

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Clustering scale"

_SYLLABLES = (
    "ka lo mi ra ven dor sel tan bri gor li sa mon ther al vin ros del cap ur es nor "
    "pel quin hal zor bex tum wen fa ris gal dun mar ock ith bel ny cor vas pim tal"
)
SYL = _SYLLABLES.split()
KINDS = {
    "earthquake": (
        "A magnitude {num1}.{num2} earthquake struck near {place} on {day}",
        "Rescue teams in {place} searched collapsed buildings after the quake",
        "{person}, the regional governor, said {num3} people were injured",
        "The {org} seismology office recorded {num1} aftershocks around {place}",
    ),
    "strike": (
        "Workers at {org} walked out in {place} demanding higher wages",
        "Union leader {person} said the strike at {org} would last {num1} days",
        "Production at the {place} plant of {org} stopped for the {num2}th time",
        "{org} offered a {num3} percent raise to end the stoppage",
    ),
    "trial": (
        "{person} went on trial in {place} accused of fraud at {org}",
        "Prosecutors said {person} moved {num3} million out of {org} accounts",
        "The judge in {place} adjourned the hearing until {day}",
        "Lawyers for {person} called {num1} witnesses on the first day",
    ),
    "merger": (
        "{org} agreed to buy a rival for {num3} million",
        "Chief executive {person} said the deal creates the largest group in {place}",
        "Shares of {org} rose {num1} percent after the announcement on {day}",
        "Regulators in {place} will review the {org} takeover within {num2} weeks",
    ),
    "storm": (
        "Storm {person} hit the coast near {place} with winds of {num3} km/h",
        "{num2} thousand homes in {place} lost power as the storm passed",
        "The {org} weather service issued a red warning for {place}",
        "Schools around {place} closed for {num1} days",
    ),
    "election": (
        "Voters in {place} elected {person} as mayor with {num3} percent",
        "{person} of the {org} party defeated the incumbent on {day}",
        "Turnout in {place} reached {num2} percent, officials said",
        "{person} promised to cut local taxes within {num1} months",
    ),
}
FILLER = (
    "Officials declined to comment further",
    "More details are expected in the coming days",
    "Local media reported strong reactions online",
    "The situation remained tense on the ground",
    "Analysts said the consequences were hard to predict",
)
OUTLETS = [f"The {w} Courier" for w in ("North", "South", "East", "West")] + [
    f"{w} Daily"
    for w in ("Metro", "Harbor", "Valley", "Capital", "Coast", "River", "Summit", "Plains")
]


def _word(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(SYL) for _ in range(n)).capitalize()


def generate(
    n: int, days: int = 60, seed: int = 7, dim: int = 384
) -> tuple[list[dict], np.ndarray]:
    """``n`` synthetic articles (dicts with id, title, text, published, source, label) + vectors."""
    rnd = random.Random(seed)
    nrng = np.random.default_rng(seed)
    kinds = sorted(KINDS)
    kind_vec = {k: nrng.normal(size=dim) for k in kinds}
    start = datetime(2026, 1, 1, tzinfo=UTC)
    n_events = max(1, n // 8)
    events = []
    for e in range(n_events):
        kind = rnd.choice(kinds)
        slots = {
            "place": _word(rnd, 3),
            "person": f"{_word(rnd, 2)} {_word(rnd, 3)}",
            "org": f"{_word(rnd, 3)} {rnd.choice(['Group', 'Holdings', 'Union', 'Institute', 'Party'])}",
            "num1": str(rnd.randint(2, 9)),
            "num2": str(rnd.randint(10, 99)),
            "num3": str(rnd.randint(100, 999)),
            "day": rnd.choice(["Monday", "Tuesday", "Friday", "Sunday"]),
        }
        t0 = start + timedelta(days=rnd.uniform(0, days - 3), hours=rnd.uniform(0, 24))
        vec = 0.8 * kind_vec[kind] + nrng.normal(size=dim)
        events.append((f"e{e}", kind, slots, t0, vec))
    records, vecs = [], []
    for i in range(n):
        label, kind, slots, t0, vec = events[rnd.randrange(n_events)]
        lines = [s.format(**slots) for s in KINDS[kind]]
        rnd.shuffle(lines)
        body = ". ".join(lines[: rnd.randint(3, 4)] + rnd.sample(FILLER, 2)) + "."
        t = t0 + timedelta(hours=rnd.uniform(0, 96))
        records.append(
            {
                "id": f"a{i}",
                "title": lines[0],
                "text": body,
                "published": t.isoformat(),
                "source": rnd.choice(OUTLETS),
                "label": label,
            }
        )
        v = vec + 0.9 * nrng.normal(size=dim)
        vecs.append(v / np.linalg.norm(v))
    order = sorted(range(n), key=lambda i: records[i]["published"])
    return [records[i] for i in order], np.asarray(vecs, dtype=np.float32)[order]


def _child(n: int, use_embeddings: bool) -> dict:
    """Generate, cluster and measure one size (runs inside a subprocess)."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsprism.evaluate.cluster import bcubed
    from newsprism.stories.cluster import ClusterDoc, ClusterSettings, StoryClusterer

    recs, vecs = generate(n)
    docs = [
        ClusterDoc(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            published=r["published"],
            source=r["source"],
        )
        for r in recs
    ]
    clusterer = StoryClusterer(ClusterSettings(use_embeddings=use_embeddings))
    t, cpu = time.perf_counter(), time.process_time()
    batch = 5000  # incremental, as the pipeline feeds it
    for i in range(0, n, batch):
        clusterer.add(docs[i : i + batch], vecs[i : i + batch] if use_embeddings else None)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    pred = clusterer.assignments()
    scores = bcubed(pred, {r["id"]: r["label"] for r in recs})
    return {
        "n": n,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "stories": len(set(pred.values())),
        "events": len({r["label"] for r in recs}),
        "bcubed_f1": scores["bcubed_f1"],
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    ap.add_argument("--runs", type=int, default=3, help="runs per size (median reported)")
    ap.add_argument("--big-runs", type=int, default=1, help="runs for sizes of 100k and more")
    ap.add_argument("--tfidf-only", action="store_true", help="cluster without embeddings")
    ap.add_argument(
        "--write-docs", action="store_true", help="write the results to docs/benchmarks.md"
    )
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(_child(args.child, not args.tfidf_only)) + "\n")
        return
    rows = []
    for n in args.sizes:
        runs: list[dict] = []
        for _ in range(args.runs if n < 100_000 else args.big_runs):
            cmd = [sys.executable, __file__, "--child", str(n)] + (
                ["--tfidf-only"] if args.tfidf_only else []
            )
            out = subprocess.run(cmd, capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        rows.append(row)
        sys.stdout.write(
            f"{n:>7} articles: {row['seconds']:.1f} s wall, {row['cpu_seconds']:.1f} s CPU "
            f"({1e3 * row['cpu_seconds'] / n:.2f} ms/article), "
            f"peak {row['peak_mb']:.0f} MB, {row['stories']:.0f} stories for {row['events']:.0f} events, "
            f"BCubed F1 {row['bcubed_f1']:.3f}\n"
        )
    if args.write_docs:
        _write_docs(rows, args)


def _write_docs(rows: list[dict], args: argparse.Namespace) -> None:
    lines = [
        SECTION,
        "",
        f"`python benchmarks/cluster.py` on {datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, "
        f"{platform.processor() or platform.platform()}, Python {platform.python_version()}; "
        f"median of {args.runs} run(s) per size ({args.big_runs} from 100k up); "
        f"{'TF-IDF only' if args.tfidf_only else 'with embeddings'}.",
        "Synthetic 60-day stream (templated events, 12 outlets, ~8 articles per event), embeddings are",
        "random-but-structured vectors (kind + event + noise), fed in batches of 5,000 articles.",
        "Peak memory is the clustering process's max RSS. The machine is shared (2 cores, other jobs",
        "running), so CPU time of the clustering process is the figure to compare; wall time is shown too.",
        "",
        "| articles | CPU (s) | wall (s) | CPU ms/article | CPU x per doubling | peak RSS (MB) | stories | events | BCubed F1 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    prev = None
    for r in rows:
        ratio = f"{r['cpu_seconds'] / prev:.2f}" if prev else "–"
        prev = r["cpu_seconds"]
        lines.append(
            f"| {r['n']:,.0f} | {r['cpu_seconds']:.1f} | {r['seconds']:.1f} | "
            f"{1e3 * r['cpu_seconds'] / r['n']:.2f} | {ratio} | "
            f"{r['peak_mb']:.0f} | {r['stories']:.0f} | {r['events']:.0f} | {r['bcubed_f1']:.3f} |"
        )
    section = "\n".join(lines) + "\n"
    write_section(SECTION, section, DOCS)


if __name__ == "__main__":
    main()
