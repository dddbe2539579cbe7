"""Web app load benchmark: `newsprism serve` on loopback over a synthetic store, 8 concurrent
clients, p50/p95 latency and requests/s for the story list, a story page, a search and an
export; the server's start time; and the memory of exporting 100,000 facts.

The store (10,000 articles in 1,000 stories by default, 100 facts each) is generated here and
written straight into the store through the Store API, without the NLP pipeline. Everything
runs on 127.0.0.1. Results go to docs/benchmarks.md (section "Web app").

    python benchmarks/web.py [--articles 10000] [--stories 1000] [--clients 8] [--seconds 20]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docs_section import write_section
from newsprism.model import Article, Story
from newsprism.store.sqlite import Store

HEADING = "## Web app"
OUTLETS = [
    f"{name} {kind}"
    for name in ("Tern", "Kelp", "Marsh", "Flint")
    for kind in ("Post", "Wire", "Ledger")
]
PLACES = [
    "Quillby",
    "Fenmoor",
    "Kestrel Bay",
    "Dunmarrow",
    "Harlow Ness",
    "Ashcombe",
    "Brindle",
    "Corvath",
]
TOPICS = [
    "ferry strike",
    "mill fire",
    "rate rise",
    "bridge vote",
    "flood warning",
    "port deal",
    "school closure",
    "rail works",
]
WORDS = [
    "council",
    "harbour",
    "union",
    "minister",
    "police",
    "court",
    "budget",
    "market",
    "river",
    "school",
    "hospital",
    "bridge",
    "storm",
    "fire",
    "vote",
    "talks",
    "deal",
    "workers",
    "residents",
    "officials",
    "report",
    "plan",
    "tax",
    "power",
    "water",
    "rail",
    "road",
    "ferry",
    "port",
    "strike",
    "protest",
    "election",
    "trade",
    "prices",
    "bank",
    "rate",
    "mayor",
    "board",
    "agency",
    "inquiry",
]


SYLLABLES = [
    "ka",
    "lo",
    "ven",
    "dra",
    "mir",
    "tes",
    "ol",
    "pan",
    "ru",
    "sek",
    "vi",
    "dor",
    "ane",
    "bel",
    "cu",
    "fin",
    "gar",
    "hol",
    "ist",
    "jun",
]
#: a Zipf-like vocabulary: the common words first, then 4,000 made-up words of falling frequency
VOCABULARY = WORDS + [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:10]]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def _sentence(rng: random.Random, place: str, topic: str) -> str:
    body = " ".join(rng.choices(VOCABULARY, weights=WEIGHTS, k=rng.randint(10, 22)))
    return f"In {place} the {topic} {body} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}."


def build_store(
    path: Path, n_articles: int, n_stories: int, facts_per_story: int, seed: int = 7
) -> list[str]:
    """Write the synthetic archive; returns the story ids."""
    rng = random.Random(seed)
    per = max(1, n_articles // n_stories)
    start = dt.date(2030, 1, 1)
    articles: list[Article] = []
    stories: list[Story] = []
    data: list[dict[str, Any]] = []
    for s in range(n_stories):
        place, topic = PLACES[s % len(PLACES)], TOPICS[(s // len(PLACES)) % len(TOPICS)]
        day = start + dt.timedelta(days=s % 365)
        members: list[Article] = []
        for k in range(per):
            text = " ".join(_sentence(rng, place, topic) for _ in range(rng.randint(10, 16)))
            members.append(
                Article(
                    id=f"a{s:04d}-{k:02d}",
                    text=text,
                    title=f"{topic.capitalize()} in {place}: day {k + 1} (story {s})",
                    source=OUTLETS[(s + k) % len(OUTLETS)],
                    published=(day + dt.timedelta(days=k % 4)).isoformat(),
                    content_hash=f"h{s}-{k}",
                )
            )
        articles += members
        outlets = sorted({a.source for a in members if a.source})

        def cite(a: Article, rng: random.Random = rng) -> dict[str, Any]:
            end = a.text.index(".") + 1
            return {
                "article": a.id,
                "start": 0,
                "end": end,
                "text": a.text[:end],
                "outlet": a.source,
            }

        facts = []
        for f in range(facts_per_story):
            carriers = rng.sample(members, k=rng.randint(1, min(4, len(members))))
            status = (
                "single-source"
                if len(carriers) == 1
                else rng.choice(["corroborated"] * 4 + ["conflicting"])
            )
            facts.append(
                {
                    "id": f"f{f + 1}",
                    "text": carriers[0].text[: carriers[0].text.index(".") + 1],
                    "status": status,
                    "outlets": sorted({c.source for c in carriers}),
                    "sources": [cite(c) for c in carriers],
                    "conflicts": (
                        [
                            {
                                "slot": "number",
                                "values": [
                                    {"value": "3 worker", **cite(carriers[0])},
                                    {"value": "4 worker", **cite(carriers[1])},
                                ],
                            }
                        ]
                        if status == "conflicting"
                        else []
                    ),
                }
            )
        brief = [
            {
                "text": f["text"],
                "section": "key" if i < 6 else "adds",
                "citations": [
                    {k: v for k, v in c.items() if k in ("article", "start", "end")}
                    for c in f["sources"]
                ],
            }
            for i, f in enumerate(facts[:10])
        ]
        d = {
            "id": f"story-{s:04d}",
            "title": members[0].title,
            "articles": [a.id for a in members],
            "outlets": outlets,
            "first_published": min(a.published for a in members if a.published),
            "last_published": max(a.published for a in members if a.published),
            "brief": brief,
            "facts": facts,
            "coverage": {
                "outlets": outlets,
                "facts": [f["id"] for f in facts],
                "matrix": [[int(o in f["outlets"]) for f in facts] for o in outlets],
            },
            "timeline": [
                {
                    "date": (day + dt.timedelta(days=i)).isoformat(),
                    "text": f["text"],
                    "fact": f["id"],
                    "sources": f["sources"][:1],
                }
                for i, f in enumerate(facts[:6])
            ],
            "framing": {
                o: [{"term": rng.choice(WORDS), "score": 1.5, "others": [], "examples": []}]
                for o in outlets
            },
            "quotes": [
                {
                    "speaker": f"Speaker {s}-{q}",
                    "quotes": [
                        {
                            "article": members[q % len(members)].id,
                            "outlet": members[q % len(members)].source,
                            "kind": "direct",
                            "via": None,
                            "cue": None,
                            "content": [
                                {"start": 0, "end": 20, "text": members[q % len(members)].text[:20]}
                            ],
                        }
                    ],
                }
                for q in range(5)
            ],
            "entities": [
                {"name": n, "type": "GPE", "variants": [n], "articles": [a.id for a in members]}
                for n in (place, f"Official {s % 50}")
            ],
        }
        stories.append(Story(d["id"], d["title"], d["articles"]))
        data.append(d)
    with Store(path) as db:
        db.add_articles(articles)
        db.replace_stories(stories, data)
        db.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [d["id"] for d in data]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(conn: http.client.HTTPConnection, url: str) -> int:
    conn.request("GET", url)
    r = conn.getresponse()
    while r.read(1 << 16):
        pass
    return r.status


def _vm_hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _run_peak(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; returns its wall seconds and its peak RSS in MB (VmHWM, polled; the
    benchmark's own memory, which a fork copies, does not count after exec)."""
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        with contextlib.suppress(OSError, ValueError):
            peak = max(peak, _vm_hwm(proc.pid))
        time.sleep(0.01)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return time.monotonic() - t, peak


def load(port: int, name: str, urls: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads, each on its own keep-alive connection, requesting ``urls`` in turn
    (random order) for ``seconds``; returns latency percentiles and throughput."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        nonlocal errors
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            status = _get(conn, rng.choice(urls))
            mine.append(time.perf_counter() - t)
            bad += status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()
    return {
        "name": name,
        "requests": len(latencies),
        "errors": errors,
        "p50": 1000 * statistics.median(latencies),
        "p95": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "rps": len(latencies) / wall,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--stories", type=int, default=1_000)
    ap.add_argument("--facts", type=int, default=100, help="facts per story")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20.0, help="per endpoint")
    ap.add_argument(
        "--workers", type=int, default=1, help="server processes (newsprism serve --workers)"
    )
    ap.add_argument(
        "--no-docs", action="store_true", help="print only; do not write docs/benchmarks.md"
    )
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsprism-web-bench-"))
    db = work / "bench.db"
    t = time.monotonic()
    story_ids = build_store(db, args.articles, args.stories, args.facts)
    build_s = time.monotonic() - t
    n_facts = args.stories * args.facts
    print(
        f"store: {args.articles} articles, {args.stories} stories, {n_facts} facts ({build_s:.0f} s)"
    )

    # export of every fact through the CLI, its peak memory read from /proc while it runs
    exe = [sys.executable, "-m", "newsprism.cli"]
    csv_cmd = [*exe, "-q", "export", str(db), "--what", "facts", "--format", "csv"]
    export_csv_s, rss_csv = _run_peak([*csv_cmd, "-o", str(work / "facts.csv")])
    pq_cmd = [*exe, "-q", "export", str(db), "--what", "facts", "--format", "parquet"]
    export_pq_s, rss_pq = _run_peak([*pq_cmd, "-o", str(work / "facts.parquet")])
    csv_mb = (work / "facts.csv").stat().st_size / 1e6
    print(
        f"export {n_facts} facts: csv {export_csv_s:.1f} s, {csv_mb:.0f} MB, peak RSS {rss_csv:.0f} MB;"
        f" parquet {export_pq_s:.1f} s, peak RSS {rss_pq:.0f} MB"
    )

    # start-up cost in CPU seconds (less sensitive to other jobs than the wall time below)
    probe = (
        "import resource; from newsprism.web import create_app; "
        f"create_app({str(db)!r}); r = resource.getrusage(resource.RUSAGE_SELF); "
        "print(r.ru_utime + r.ru_stime)"
    )
    startup_cpu = float(
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout
    )
    port = _free_port()
    t = time.monotonic()
    server = subprocess.Popen(
        [*exe, "-q", "serve", str(db), "--port", str(port), "--workers", str(args.workers)],
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                _get(conn, "/api/stories?per_page=1")
                break
            except OSError:
                time.sleep(0.02)
                if time.monotonic() - t > 60:
                    raise SystemExit("server did not start") from None
        startup_s = time.monotonic() - t
        print(f"server answering after {startup_s:.2f} s")
        rng = random.Random(1)
        # what people search for: names and topic words, and words from across the vocabulary
        words = [p.split()[0].lower() for p in PLACES] + [t.split()[0] for t in TOPICS]
        words += VOCABULARY[20:3000]
        endpoints = {
            "story list": [
                f"/?sort={rng.choice(['recent', 'size'])}&page={rng.randint(1, 50)}"
                for _ in range(200)
            ],
            "story page": [f"/stories/{rng.choice(story_ids)}" for _ in range(500)],
            "search": [
                f"/?q={rng.choice(words)}+{rng.choice(VOCABULARY[20:3000])}" for _ in range(300)
            ],
            "export (one story, facts CSV)": [
                f"/api/export?what=facts&format=csv&story={rng.choice(story_ids)}"
                for _ in range(300)
            ],
        }
        for urls in endpoints.values():  # warm up: every thread's connection and the index
            load(port, "warm", urls[:20], args.clients, 1.0)
        results = [
            load(port, name, urls, args.clients, args.seconds) for name, urls in endpoints.items()
        ]
        for r in results:
            print(
                f"{r['name']:<32} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  {r['rps']:6.1f} req/s  ({r['requests']} requests, {r['errors']} errors)"
            )
        t = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        _get(conn, "/api/export?what=facts&format=csv")
        api_export_s = time.monotonic() - t
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        server_hwm = max(_vm_hwm(int(p)) for p in [server.pid, *children])  # the largest process
        print(
            f"API export of {n_facts} facts: {api_export_s:.1f} s; server peak RSS {server_hwm:.0f} MB"
        )
    finally:
        server.terminate()
        server.wait(10)
    load1 = os.getloadavg()[0]
    targets = {"story page": 150.0, "search": 100.0}
    rows = "\n".join(
        f"| {r['name']} | {r['requests']:,} | {r['errors']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rps']:.1f} | "
        + (f"<= {targets[r['name']]:.0f}" if r["name"] in targets else "–")
        + " |"
        for r in results
    )
    section = f"""{HEADING}

`python benchmarks/web.py` on {dt.date.today().isoformat()} ({platform.machine()}, {os.cpu_count()} CPU cores (shared with other jobs), Python {platform.python_version()}; 1-minute load average at the end: {load1:.1f}). A synthetic archive of {args.articles:,} articles in {args.stories:,} stories ({args.facts} facts each, {n_facts:,} facts in all, {len(OUTLETS)} outlets), written straight into the SQLite store (no NLP), served by `newsprism serve --workers {args.workers}` (uvicorn) on 127.0.0.1; {args.clients} concurrent clients on keep-alive connections, {args.seconds:.0f} s per endpoint after a warm-up, random story ids, pages and search words. Latencies in ms. Targets: story page p95 <= 150 ms, search p95 <= 100 ms (at 10,000 articles, 8 clients).

| endpoint | requests | errors | p50 ms | p95 ms | requests/s | p95 target ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
{rows}

- story list: the HTML list page (20 stories, sorted by recency or size, random page); search: the list page with a two-word full-text query (a place or topic word or a word of the vocabulary, plus a word of the vocabulary; the synthetic text draws words from a Zipf-like vocabulary of 4,000+ words), best match first (FTS5 bm25), or most recent first when more than 2,000 articles match; story page: the full HTML story page (brief with citations, {args.facts} facts, coverage matrix, timeline and attention charts, quotes, framing).
- Start: the server answered its first request {startup_s:.2f} s (wall) after `newsprism serve` was launched; Python start, imports and `create_app` take {startup_cpu:.2f} CPU s (target < 3 s; no NLP model is imported; the story index is built in the background and by the first list request).
- Export of all {n_facts:,} facts: `newsprism export --format csv` {export_csv_s:.1f} s ({csv_mb:.0f} MB file), peak memory (max RSS) **{rss_csv:.0f} MB**; `--format parquet` {export_pq_s:.1f} s, peak {rss_pq:.0f} MB; the same CSV through `GET /api/export` (streamed) {api_export_s:.1f} s, peak RSS of the largest server process over the whole run {server_hwm:.0f} MB. Target: under 200 MB.
"""
    print(section)
    if not args.no_docs:
        write_section(HEADING, section)


if __name__ == "__main__":
    main()
