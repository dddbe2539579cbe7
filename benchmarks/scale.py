"""Scale benchmark: the measured costs behind the capacity plan in docs/scaling.md.

Measures, each in a fresh subprocess:

1. per-article CPU time by stage of a whole ``analyze`` run in one process (ingest, enrich,
   cluster, compare; store writes are inside each stage), and the store size per article;
2. enrichment throughput with 1 and 2 local worker processes, as a ratio (model loading
   included, as in a real run), and the peak memory of one worker;
3. store writes on PostgreSQL (when a server answers at ``NEWSPRISM_TEST_PG``): seconds and
   bytes per article;
4. clustering on the synthetic stream of ``benchmarks/cluster.py`` at growing sizes, with a
   straight-line extrapolation to 1 million articles from the measured per-article cost.

Articles are DUC 2004 texts from ``../shared/data/duc2004_dev.jsonl`` (real news lengths) when
present, else the synthetic stream's texts. Usage::

    python benchmarks/scale.py                       # 60 articles, 3 rounds, clustering 10k/20k
    python benchmarks/scale.py --articles 40 --rounds 1 --cluster-sizes 5000
    python benchmarks/scale.py --write-docs          # also update docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docs_section import write_section

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("NEWSPRISM_DATA", ROOT.parent / "shared" / "data"))
PG_URL = os.environ.get("NEWSPRISM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SECTION = "## Scale (workers, stages, memory)"


def _articles(n: int) -> list[dict[str, Any]]:
    duc = DATA / "duc2004_dev.jsonl"
    out: list[dict[str, Any]] = []
    if duc.exists():
        with duc.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                for k, doc in enumerate(rec.get("articles") or rec.get("docs") or []):
                    text = doc if isinstance(doc, str) else doc.get("text", "")
                    if text.strip():
                        out.append({"id": f"{rec.get('cluster_id', len(out))}-{k}", "text": text})
                if len(out) >= n:
                    return out[:n]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cluster import generate

    recs, _ = generate(max(n, 8))
    return [{k: r[k] for k in ("id", "title", "text", "published", "source")} for r in recs[:n]]


def _write_corpus(folder: Path, records: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, r in enumerate(records):
        (folder / f"doc{i:05d}.txt").write_text(r["text"], encoding="utf-8")


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# -- children --------------------------------------------------------------------------------


def _child_stages(n: int) -> dict[str, Any]:
    """A whole analyze run in one process: CPU seconds per stage, store bytes per article."""
    from newsprism.api import AnalyzeOptions, analyze

    marks: dict[str, list[float]] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        m = marks.setdefault(stage, [time.process_time(), 0.0])
        m[1] = time.process_time()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        _write_corpus(corpus, _articles(n))
        store = Path(tmp) / "s.db"
        t0, w0 = time.process_time(), time.perf_counter()
        result = analyze([corpus], AnalyzeOptions(workers=1), store=store, progress=progress)
        total_cpu, wall = time.process_time() - t0, time.perf_counter() - w0
        size = store.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("s.db-*"))
    # a stage runs from its first progress call to the next stage's first call
    order = sorted(marks, key=lambda s: marks[s][0])
    starts = [marks[s][0] for s in order] + [t0 + total_cpu]
    stages = {s: starts[i + 1] - starts[i] for i, s in enumerate(order)}
    stages["start-up"] = starts[0] - t0
    return {
        "n": len(result.articles),
        "stories": len(result.stories),
        "cpu": stages,
        "total_cpu": total_cpu,
        "wall": wall,
        "sqlite_bytes": size,
        "words": sum(len(a.text.split()) for a in result.articles),
        "peak_mb": _rss_mb(),
    }


def _child_enrich(n: int, workers: int) -> dict[str, Any]:
    """Enrich ``n`` articles with ``workers`` local processes (models loaded in each)."""
    from newsprism.engine import local
    from newsprism.model import Article

    arts = [Article(id=r["id"], text=r["text"], language="en") for r in _articles(n)]
    t = time.perf_counter()
    local.enrich(arts, workers=workers, min_parallel=0)
    return {
        "n": n,
        "workers": workers,
        "seconds": time.perf_counter() - t,
        "self_mb": _rss_mb(),
    }


def _child_pg(n: int) -> dict[str, Any]:
    """Write ``n`` articles and their enrichment to a fresh PostgreSQL database."""
    import uuid

    import psycopg

    from newsprism.engine import local
    from newsprism.model import Article
    from newsprism.store.postgres import PostgresStore

    arts = [
        Article(id=r["id"], text=r["text"], raw=r["text"], content_hash=r["id"], language="en")
        for r in _articles(n)
    ]
    enriched = local.enrich(arts, workers=1)
    name = f"newsprism_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(PG_URL, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = PG_URL.rpartition("/")[0] + "/" + name
        with PostgresStore(url) as db:
            t = time.perf_counter()
            db.add_articles(arts)
            db.add_enrichment(enriched)
            seconds = time.perf_counter() - t
            (size,) = db.db.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                " JOIN pg_namespace s ON s.oid = c.relnamespace"
                " WHERE s.nspname = 'public' AND c.relkind = 'r'"
            ).fetchone()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return {"n": n, "seconds": seconds, "bytes": int(size)}


def _child_cluster(n: int) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cluster import _child

    return _child(n, True)


def _run(kind: str, *args: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, *map(str, args)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- main ------------------------------------------------------------------------------------


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
        return True
    except Exception:
        return False


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    ap.add_argument("--cluster-sizes", type=int, nargs="*", default=[10_000, 20_000])
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--from-json", type=Path, help="write the docs from a saved result")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.from_json:
        write_section(SECTION, _section(json.loads(args.from_json.read_text())))
        return
    if args.child:
        kind, *nums = args.child
        fn = {
            "stages": _child_stages,
            "enrich": _child_enrich,
            "pg": _child_pg,
            "cluster": _child_cluster,
        }[kind]
        sys.stdout.write(json.dumps(fn(*map(int, nums))) + "\n")
        return

    load = os.getloadavg()
    n = args.articles
    stages = [_run("stages", n) for _ in range(1)]
    one: list[dict[str, Any]] = []
    two: list[dict[str, Any]] = []
    for _ in range(args.rounds):  # interleaved, so load changes hit both alike
        one.append(_run("enrich", n, 1))
        two.append(_run("enrich", n, 2))
    t1 = statistics.median(r["seconds"] for r in one)
    t2 = statistics.median(r["seconds"] for r in two)
    pg = _run("pg", n) if _pg_available() else None
    clusters = [_run("cluster", size) for size in args.cluster_sizes]
    res = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": platform.python_version(),
        "load": [round(x, 1) for x in load],
        "articles": n,
        "rounds": args.rounds,
        "stages": stages[0],
        "enrich_1": t1,
        "enrich_2": t2,
        "speedup": t1 / t2,
        "worker_mb": statistics.median(r["self_mb"] for r in one),
        "pg": pg,
        "cluster": clusters,
    }
    sys.stdout.write(json.dumps(res, indent=1) + "\n")
    if args.write_docs:
        write_section(SECTION, _section(res))


def _section(r: dict[str, Any]) -> str:
    s = r["stages"]
    n = s["n"]
    lines = [
        SECTION,
        "",
        f"`python benchmarks/scale.py` on {r['date']}, {r['machine']}, Python {r['python']};"
        f" load average at start {r['load'][0]} (a shared 2-core machine: other jobs were running,"
        f" so ratios measured in the same run are the stable numbers). {r['articles']} articles"
        f" ({s['words'] // max(n, 1)} words each on average), {r['rounds']} interleaved round(s), medians.",
        "",
        "Stage rows run from a stage's first progress report to the next stage's: model loading"
        " falls in the ingest row, sentence embedding in the cluster row.",
        "",
        "| stage (one process, `analyze --workers 1`) | CPU s | CPU ms/article |",
        "| --- | ---: | ---: |",
    ]
    for stage, sec in sorted(s["cpu"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {stage} | {sec:.2f} | {1e3 * sec / n:.1f} |")
    lines += [
        f"| **total** | {s['total_cpu']:.2f} | {1e3 * s['total_cpu'] / n:.1f} |",
        "",
        f"Whole run: {s['wall']:.1f} s wall, {s['stories']} stories, peak RSS {s['peak_mb']:.0f} MB;"
        f" SQLite store {s['sqlite_bytes'] / n / 1024:.1f} KiB per article.",
        "",
        "| enrichment, local engine | seconds (median) | articles/s |",
        "| --- | ---: | ---: |",
        f"| 1 worker | {r['enrich_1']:.1f} | {r['articles'] / r['enrich_1']:.2f} |",
        f"| 2 workers | {r['enrich_2']:.1f} | {r['articles'] / r['enrich_2']:.2f} |",
        "",
        f"Throughput ratio 2 workers / 1 worker: **{r['speedup']:.2f}x** (model loading included)."
        f" Memory of one worker (peak RSS of a one-process run, models loaded):"
        f" {r['worker_mb']:.0f} MB.",
        "",
    ]
    if r["pg"]:
        p = r["pg"]
        lines += [
            f"PostgreSQL store: {p['n']} articles with enrichment written in {p['seconds']:.2f} s"
            f" ({1e3 * p['seconds'] / p['n']:.1f} ms/article), {p['bytes'] / p['n'] / 1024:.1f} KiB"
            " per article (tables, indexes, TOAST).",
            "",
        ]
    if r["cluster"]:
        lines += [
            "| clustering (synthetic stream) | CPU s | CPU ms/article | peak RSS MB |",
            "| ---: | ---: | ---: | ---: |",
        ]
        for c in r["cluster"]:
            lines.append(
                f"| {c['n']:,} | {c['cpu_seconds']:.1f} | {1e3 * c['cpu_seconds'] / c['n']:.2f}"
                f" | {c['peak_mb']:.0f} |"
            )
        big = max(r["cluster"], key=lambda c: c["n"])
        per = big["cpu_seconds"] / big["n"]
        lines += [
            "",
            f"Extrapolated to 1,000,000 articles at the largest size's cost: {per * 1e6 / 60:.0f}"
            " CPU minutes (near-linear: blocking by time window keeps each article's candidates"
            " bounded; see Clustering scale above for 100k).",
            "",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
