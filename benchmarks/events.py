"""Event extraction speed next to spaCy parse time, written to docs/benchmarks.md.

For each article the spaCy parse and ``extract_events`` are timed side by side (interleaved,
several rounds, medians), so machine load hits both alike. Entities, dates and attributions,
which events read but other stages produce, are computed once outside the timing. The target
is an extraction overhead of at most 10% of the parse time.

    .venv/bin/python benchmarks/events.py [--data PATH] [--limit N] [--rounds R] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from docs_section import read_texts, write_section

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "polnear_dev.jsonl"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Event extraction speed"

FALLBACK = (
    "Veloria expelled two Ostmarkian diplomats on Friday, the foreign ministry said. "
    "Ostmark threatened to close its airspace to Velorian airlines unless the order was lifted. "
    "The two foreign ministers will meet in Geneva next week to discuss the dispute. "
    "Thousands of farmers protested outside the embassy, and police arrested twelve of them.\n\n"
) * 20


def load_texts(path: Path, limit: int) -> list[str]:
    if not path.exists():
        return [FALLBACK] * min(limit, 10)
    return read_texts(path, limit)


def measure(texts: list[str], rounds: int) -> dict[str, float]:
    from newsprism.nlp.attributions import extract_attributions
    from newsprism.nlp.dates import find_dates
    from newsprism.nlp.entities import extract_entities
    from newsprism.nlp.events import extract_events, load_gazetteer, load_lexicon
    from newsprism.nlp.pipeline import load_nlp

    nlp = load_nlp()
    lex, gaz = load_lexicon(), load_gazetteer()
    extract_events(nlp("Warm-up: Veloria praised Ostmark."), lexicon=lex, gazetteer=gaz)
    inputs = []
    for text in texts:
        doc = nlp(text)
        mentions = extract_entities(doc)
        inputs.append((mentions, find_dates(text, None), extract_attributions(doc, mentions)))
    parse_t: list[float] = []
    extract_t: list[float] = []
    per_doc_ratio: list[float] = []
    n_events = 0
    for _ in range(rounds):
        p_round = e_round = 0.0
        for text, (mentions, dates, atts) in zip(texts, inputs, strict=True):
            t0 = time.perf_counter()
            doc = nlp(text)
            t1 = time.perf_counter()
            found = extract_events(doc, mentions, dates, atts, lexicon=lex, gazetteer=gaz)
            t2 = time.perf_counter()
            p_round += t1 - t0
            e_round += t2 - t1
            per_doc_ratio.append((t2 - t1) / max(t1 - t0, 1e-9))
            n_events += len(found)
        parse_t.append(p_round)
        extract_t.append(e_round)
    words = sum(len(t.split()) for t in texts)
    parse_med = statistics.median(parse_t)
    extract_med = statistics.median(extract_t)
    return {
        "articles": len(texts),
        "words": words,
        "rounds": rounds,
        "events": n_events / rounds,
        "parse_s": parse_med,
        "extract_s": extract_med,
        "ratio": extract_med / parse_med if parse_med else 0.0,
        "median_doc_ratio": statistics.median(per_doc_ratio) if per_doc_ratio else 0.0,
        "parse_words_per_s": words / parse_med if parse_med else 0.0,
        "extract_words_per_s": words / extract_med if extract_med else 0.0,
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
    }


def render(r: dict[str, float], source: str) -> str:
    verdict = "within" if r["ratio"] <= 0.10 else "OVER"
    return f"""{SECTION}

`benchmarks/events.py` ({datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, \
{platform.python_implementation()} {platform.python_version()}, {source}, {r["articles"]} \
articles, {r["words"]:,} words, {r["rounds"]} interleaved rounds, medians; shared 2-core \
machine, 1-minute load {r["load"]:.1f} at the end, so absolute times are noisy, the ratio is the \
stable number):

| step | median time per round | words/s |
| --- | --- | --- |
| spaCy parse (`en_core_web_sm`) | {r["parse_s"]:.2f} s | {r["parse_words_per_s"]:,.0f} |
| `extract_events` | {r["extract_s"]:.3f} s | {r["extract_words_per_s"]:,.0f} |

Event extraction adds **{100 * r["ratio"]:.1f}%** to the parse time (median per-article ratio \
{100 * r["median_doc_ratio"]:.1f}%; target at most 10%: {verdict}), {r["events"]:.0f} events found.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    texts = load_texts(args.data, args.limit)
    source = args.data.name if args.data.exists() else "fictional fallback text"
    result = measure(texts, args.rounds)
    body = render(result, source)
    print(body)
    if not args.no_write:
        write_section(SECTION, body, DOC)


if __name__ == "__main__":
    main()
