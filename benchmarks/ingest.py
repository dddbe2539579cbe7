"""Ingest throughput benchmark: generated corpora, end-to-end ``newsprism.ingest.ingest``.

Usage::

    .venv/bin/python benchmarks/ingest.py            # 10,000 text files, writes docs/benchmarks.md
    .venv/bin/python benchmarks/ingest.py --n 2000 --no-write

Results go to ``docs/benchmarks.md`` under ``## Ingest speed`` (other sections are kept).
Each benchmark is a ``bench_<format>(n, workdir) -> dict`` function registered in ``BENCHES``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docs_section import write_section
from newsprism.ingest import IngestOptions, ingest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Ingest speed"

_TOWNS = [
    "Velin",
    "Kessel",
    "Ostra",
    "Tarnby",
    "Dunmore",
    "Lund",
    "Sevra",
    "Brask",
    "Hollin",
    "Marsk",
]
_PEOPLE = [
    "Ana Lis",
    "Bo Rand",
    "Mira Holt",
    "Jon Eide",
    "Oskar Lindqvist",
    "Elise Varro",
    "Pavel Ostrik",
]
_ROLES = [
    "mayor",
    "council spokesman",
    "union leader",
    "port director",
    "regional governor",
    "police chief",
]
_THINGS = [
    "the new bridge",
    "the canal toll",
    "the tram line",
    "the harbour strike",
    "the budget",
    "the flood defences",
]
_VERBS = ["approved", "rejected", "delayed", "criticised", "welcomed", "reviewed"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_OUTLETS = ["velin-post", "kessel-herald", "ostra-courier", "meridian-wire", "tarn-gazette"]
_JUNK = [
    "Advertisement",
    "Advertisement'; }",
    "Share this article",
    "Read more: Council elections set for autumn",
    "Follow us on Twitter",
    "Photo: Karin Lund/Meridian",
]


def _sentence(rng: random.Random) -> str:
    town, person, role = rng.choice(_TOWNS), rng.choice(_PEOPLE), rng.choice(_ROLES)
    thing, verb, day = rng.choice(_THINGS), rng.choice(_VERBS), rng.choice(_DAYS)
    forms = [
        f"The council in {town} {verb} {thing} on {day}, {role} {person} said.",
        f"“We cannot wait any longer for {thing},” {person}, the {role} of {town}, told reporters.",
        f"About {rng.randint(2, 900)} residents attended a meeting about {thing} in {town} on {day}.",
        f"According to the {role}, {thing} will cost {rng.randint(2, 90)} million crowns over {rng.randint(2, 9)} years.",
        f"Critics in {town} said the plan for {thing} ignored the needs of small businesses.",
    ]
    return rng.choice(forms)


def generate_article(rng: random.Random) -> str:
    """One fictional scraped article: headline, 4-9 paragraphs, some junk lines."""
    title = f"{rng.choice(_TOWNS)} {rng.choice(_VERBS)} {rng.choice(_THINGS)} after long debate"
    lines = [title, ""]
    if rng.random() < 0.3:
        lines += [title, ""]
    for _ in range(rng.randint(4, 9)):
        lines.append(" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))))
        if rng.random() < 0.25:
            lines.append(rng.choice(_JUNK))
        lines.append("")
    if rng.random() < 0.3:
        lines.append("Original Source Link")
    return "\n".join(lines)


def generate_text_corpus(directory: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` generated ``.txt`` articles into outlet sub-folders; returns the bytes written."""
    rng = random.Random(seed)
    total = 0
    for outlet in _OUTLETS:
        (directory / outlet).mkdir(parents=True, exist_ok=True)
    for i in range(n):
        data = generate_article(rng).encode("utf-8")
        (directory / _OUTLETS[i % len(_OUTLETS)] / f"article-{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def _cpu_seconds() -> float:
    """CPU time used by this process and its finished child processes (user + system)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def bench_text(
    n: int = 10_000, workdir: Path | None = None, workers: int | None = None
) -> dict[str, Any]:
    """Ingest ``n`` generated plain-text files end to end (discovery, reading, cleaning,
    metadata, language, near-duplicate linking, outlet boilerplate)."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        corpus = Path(tmp) / "text"
        size = generate_text_corpus(corpus, n)
        cpu0, start = _cpu_seconds(), time.perf_counter()
        result = ingest([corpus], IngestOptions(), workers=workers)
        elapsed, cpu = time.perf_counter() - start, _cpu_seconds() - cpu0
    return {
        "name": "text",
        "inputs": n,
        "articles": len(result.articles),
        "skipped": len(result.skipped),
        "mb": size / 1e6,
        "seconds": elapsed,
        "per_second": len(result.articles) / elapsed if elapsed else float("inf"),
        "cpu_seconds": cpu,
        "per_cpu_second": len(result.articles) / cpu if cpu else float("inf"),
        "load": _load(),
    }


_SECTIONS = ["City", "Region", "Politics", "Business", "Sport", "Culture", "Weather", "Opinion"]


def generate_html_page(rng: random.Random, i: int) -> str:
    """One fictional news page: navigation, sidebar, footer, scripts, an article body; JSON-LD
    metadata on about half the pages, Open Graph tags on most, a visible dateline on the rest."""
    text = generate_article(rng)
    paras = [p for p in text.split("\n\n") if p.strip()]
    title, body = paras[0].split("\n")[0], paras[1:]
    outlet = _OUTLETS[i % len(_OUTLETS)]
    author = rng.choice(_PEOPLE)
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    url = f"https://{outlet}.example/{day.replace('-', '/')}/story-{i}"
    head = [f'<meta charset="utf-8"><title>{title} | {outlet}</title>']
    if rng.random() < 0.8:
        head.append(
            f'<meta property="og:title" content="{title}"><meta property="og:url" content="{url}">'
        )
        head.append(
            f'<meta property="og:site_name" content="{outlet}"><meta name="author" content="{author}">'
        )
    if rng.random() < 0.5:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
              "datePublished": f"{day}T{rng.randint(5, 22):02d}:00:00+01:00",
              "author": {"@type": "Person", "name": author},
              "publisher": {"@type": "Organization", "name": outlet}, "url": url}  # fmt: skip
        head.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    elif rng.random() < 0.5:
        head.append(f'<meta property="article:published_time" content="{day}T08:00:00Z">')
    head.append(
        "<script>window.dataLayer=[];function ads(){return 1}</script><style>body{margin:0}</style>"
    )
    nav = " ".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in _SECTIONS)
    side = " ".join(
        f'<li><a href="/s/{rng.randint(1, 10**6)}">{rng.choice(_TOWNS)} {rng.choice(_VERBS)} {rng.choice(_THINGS)}</a></li>'
        for _ in range(rng.randint(3, 8))
    )
    article = "".join(f'<div class="ad">{p}</div>' if p in _JUNK else f"<p>{p}</p>" for p in body)
    dateline = "" if rng.random() < 0.7 else f'<p class="date">Published {day}</p>'
    return (
        f'<!DOCTYPE html><html lang="en"><head>{"".join(head)}</head><body>'
        f'<header><a href="/">{outlet}</a><nav><ul>{nav}</ul></nav></header>'
        f'<main><article><h1>{title}</h1><p class="byline">By {author}</p>{dateline}{article}</article>'
        f"<aside><h3>Most read</h3><ul>{side}</ul></aside></main>"
        f"<footer><p>Contact | Privacy | Terms</p><p>&copy; 2024 {outlet}</p></footer>"
        f"<script>ads();</script></body></html>"
    )


def generate_html_corpus(directory: Path, n: int, seed: int = 1) -> list[Path]:
    """Write ``n`` generated ``.html`` pages into outlet sub-folders; returns their paths."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = directory / _OUTLETS[i % len(_OUTLETS)] / f"page-{i:06d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_html_page(rng, i), encoding="utf-8")
        paths.append(path)
    return paths


def bench_html(
    n: int = 10_000, workdir: Path | None = None, workers: int | None = None
) -> dict[str, Any]:
    """HTML pages: our reader side by side with trafilatura on the same pages, then end to end.

    Per page, in alternating order, ``newsprism.ingest.html.read`` (decode, parse once, JSON-LD,
    meta tags, trafilatura main text, htmldate when no date was found) and trafilatura's own
    extraction with metadata (``trafilatura.extract(..., with_metadata=True)``, comments off).
    The target is the ratio of median per-page CPU times (<= 1.2; CPU time because the machine
    is shared, wall-clock medians are reported too). The table row is the end-to-end ``ingest``
    of the same folder."""
    import statistics

    import trafilatura

    from newsprism.ingest import html as html_reader

    options = IngestOptions()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        corpus = Path(tmp) / "html"
        paths = generate_html_corpus(corpus, n)
        pages = [p.read_bytes() for p in paths]
        cpu: dict[str, list[float]] = {"ours": [], "theirs": []}
        wall: dict[str, list[float]] = {"ours": [], "theirs": []}
        for i, (path, data) in enumerate(zip(paths, pages, strict=True)):
            for who in ("ours", "theirs") if i % 2 == 0 else ("theirs", "ours"):
                c0, w0 = time.process_time(), time.perf_counter()
                if who == "ours":
                    list(html_reader.read(str(path), data, options))
                else:
                    trafilatura.extract(data, include_comments=False, with_metadata=True)
                cpu[who].append(time.process_time() - c0)
                wall[who].append(time.perf_counter() - w0)
        cpu0, start = _cpu_seconds(), time.perf_counter()
        result = ingest([corpus], options, workers=workers)
        elapsed, cpu_total = time.perf_counter() - start, _cpu_seconds() - cpu0
    med = {k: statistics.median(v) for k, v in cpu.items()}
    wmed = {k: statistics.median(v) for k, v in wall.items()}
    ratio = med["ours"] / med["theirs"]
    return {
        "name": "html",
        "inputs": n,
        "articles": len(result.articles),
        "skipped": len(result.skipped),
        "mb": sum(len(p) for p in pages) / 1e6,
        "seconds": elapsed,
        "per_second": len(result.articles) / elapsed if elapsed else float("inf"),
        "cpu_seconds": cpu_total,
        "per_cpu_second": len(result.articles) / cpu_total if cpu_total else float("inf"),
        "load": _load(),
        "ratio": ratio,
        "notes": [
            f"HTML reader vs trafilatura, side by side on the same {n:,} generated pages "
            f"(alternating order): median CPU time {med['ours'] * 1000:.2f} ms vs "
            f"{med['theirs'] * 1000:.2f} ms per page = **{ratio:.2f}x** (target <= 1.2x); "
            f"wall clock {wmed['ours'] * 1000:.2f} vs {wmed['theirs'] * 1000:.2f} ms = "
            f"{wmed['ours'] / wmed['theirs']:.2f}x; totals {sum(cpu['ours']):.1f} vs "
            f"{sum(cpu['theirs']):.1f} CPU s. Ours: `newsprism.ingest.html.read` (decoding, one "
            "parse, JSON-LD + meta tags, trafilatura main text, htmldate fast mode when no date "
            "was found); trafilatura: `trafilatura.extract(page, with_metadata=True, "
            "include_comments=False)`.",
        ],
    }


BENCHES: dict[str, Callable[..., dict[str, Any]]] = {"text": bench_text, "html": bench_html}


def _machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"


def _fmt(r: dict[str, Any], key: str, spec: str) -> str:
    return format(r[key], spec) if isinstance(r.get(key), int | float) else "–"


def render(results: list[dict[str, Any]]) -> str:
    """The ``## Ingest speed`` section as Markdown."""
    rows = [
        "| input | files | articles | skipped | MB | wall s | articles/s | CPU s | articles/CPU-s | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        rows.append(
            f"| {r['name']} | {r['inputs']:,} | {r['articles']:,} | {r['skipped']:,} | "
            f"{r['mb']:.1f} | {r['seconds']:.1f} | {r['per_second']:.0f} | "
            f"{_fmt(r, 'cpu_seconds', '.1f')} | {_fmt(r, 'per_cpu_second', '.0f')} | "
            f"{_fmt(r, 'load', '.1f')} |"
        )
    return "\n".join(
        [
            SECTION,
            "",
            f"`python benchmarks/ingest.py` on {time.strftime('%Y-%m-%d')} ({_machine()}). "
            "End to end through `newsprism.ingest.ingest` on generated fictional articles in "
            "outlet folders (per-file work in one worker process per core): discovery, reading, "
            "decoding, cleaning, metadata, "
            "language, near-duplicate linking and outlet boilerplate. Target: at least 200 articles/s. "
            "The machine is shared: `load avg` is the 1-minute load when the run ended; "
            "`articles/CPU-s` counts CPU time of the parent and its worker processes, a "
            "load-independent measure (on an idle machine, wall articles/s is about "
            "articles/CPU-s times the cores the per-file work keeps busy).",
            "",
            *rows,
            "",
            *[note + "\n" for r in results for note in r.get("notes", [])],
        ]
    )


def _merge(old: str, new: str) -> str:
    """The new section, keeping the old section's table rows for benchmarks not re-run (and its
    notes when the new results bring none), so ``--only text`` does not erase the HTML row."""
    new_lines = new.rstrip("\n").split("\n")
    names = {
        ln.split("|")[1].strip() for ln in new_lines if ln.startswith("| ") and "---" not in ln
    }
    old_lines = old.rstrip("\n").split("\n")
    kept_rows = [
        ln
        for ln in old_lines
        if ln.startswith("| ")
        and "---" not in ln
        and ln.split("|")[1].strip() not in names | {"input"}
    ]
    last_row = max(i for i, ln in enumerate(new_lines) if ln.startswith("|"))
    out = new_lines[: last_row + 1] + kept_rows + new_lines[last_row + 1 :]
    if not [ln for ln in new_lines[last_row + 1 :] if ln.strip()]:
        old_rows = [i for i, ln in enumerate(old_lines) if ln.startswith("|")]
        if old_rows:
            out += ["", "\n".join(old_lines[old_rows[-1] + 1 :]).strip("\n")]
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=10_000, help="files per benchmark (default 10,000)"
    )
    parser.add_argument("--only", choices=sorted(BENCHES), action="append", help="run only these")
    parser.add_argument("--workers", type=int, default=None, help="ingest worker processes")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--output", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    results = []
    for name in args.only or list(BENCHES):
        bench = BENCHES[name]
        takes_workers = "workers" in inspect.signature(bench).parameters
        r = bench(args.n, workers=args.workers) if takes_workers else bench(args.n)
        results.append(r)
        print(
            f"{name}: {r['articles']} articles in {r['seconds']:.1f} s = {r['per_second']:.0f} "
            f"articles/s; {_fmt(r, 'cpu_seconds', '.1f')} CPU s = "
            f"{_fmt(r, 'per_cpu_second', '.0f')} articles/CPU-s; load {_fmt(r, 'load', '.1f')}"
        )
    if not args.no_write:
        write_section(SECTION, render(results), args.output, merge=_merge)
    return 0


if __name__ == "__main__":
    sys.exit(main())
