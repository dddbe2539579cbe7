"""Attribution extraction speed next to spaCy parse time, written to docs/benchmarks.md.

For each article the spaCy parse and ``extract_attributions`` are timed side by side
(interleaved, several rounds, medians), so machine load hits both alike. The target is an
extraction overhead of at most 15% of the parse time.

    .venv/bin/python benchmarks/attributions.py [--data PATH] [--limit N] [--rounds R] [--no-write]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from docs_section import read_texts, write_section

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "polnear_dev.jsonl"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Attribution speed"

FALLBACK = (
    "“We will rebuild the old bridge before the spring floods,” said Mayor Helen Varga. "
    "Harbour minister Tomas Ruland said that the eastern harbour would reopen next week. "
    "According to the Northvale Gazette, the council will vote on Monday. "
    "“The deal is done,” he added. “Now the real work begins.”\n\n"
) * 20


def load_texts(path: Path, limit: int) -> list[str]:
    if not path.exists():
        return [FALLBACK] * min(limit, 10)
    return read_texts(path, limit)


def measure(texts: list[str], rounds: int) -> dict[str, float]:
    from newsprism.nlp.attributions import extract_attributions
    from newsprism.nlp.pipeline import load_nlp

    nlp = load_nlp()
    nlp("warm up the pipeline. He said so.")
    extract_attributions(nlp("Warm-up: “Fine,” she said."))
    parse_t: list[float] = []
    extract_t: list[float] = []
    per_doc_ratio: list[float] = []
    n_att = 0
    for _ in range(rounds):
        p_round = e_round = 0.0
        for text in texts:
            t0 = time.perf_counter()
            doc = nlp(text)
            t1 = time.perf_counter()
            atts = extract_attributions(doc)
            t2 = time.perf_counter()
            p_round += t1 - t0
            e_round += t2 - t1
            per_doc_ratio.append((t2 - t1) / max(t1 - t0, 1e-9))
            n_att += len(atts)
        parse_t.append(p_round)
        extract_t.append(e_round)
    words = sum(len(t.split()) for t in texts)
    parse_med = statistics.median(parse_t)
    extract_med = statistics.median(extract_t)
    return {
        "articles": len(texts),
        "words": words,
        "rounds": rounds,
        "attributions": n_att / rounds,
        "parse_s": parse_med,
        "extract_s": extract_med,
        "ratio": extract_med / parse_med if parse_med else 0.0,
        "median_doc_ratio": statistics.median(per_doc_ratio) if per_doc_ratio else 0.0,
        "parse_words_per_s": words / parse_med if parse_med else 0.0,
        "extract_words_per_s": words / extract_med if extract_med else 0.0,
    }


def render(r: dict[str, float], source: str) -> str:
    verdict = "within" if r["ratio"] <= 0.15 else "OVER"
    return f"""{SECTION}

`benchmarks/attributions.py` ({datetime.now(UTC):%Y-%m-%d}, {platform.python_implementation()} \
{platform.python_version()}, {source}, {r["articles"]} articles, {r["words"]:,} words, \
{r["rounds"]} interleaved rounds, medians; shared 2-core machine, so absolute times are noisy,
the ratio is the stable number):

| step | median time per round | words/s |
| --- | --- | --- |
| spaCy parse (`en_core_web_sm`) | {r["parse_s"]:.2f} s | {r["parse_words_per_s"]:,.0f} |
| `extract_attributions` | {r["extract_s"]:.3f} s | {r["extract_words_per_s"]:,.0f} |

Extraction adds **{100 * r["ratio"]:.1f}%** to the parse time (median per-article ratio \
{100 * r["median_doc_ratio"]:.1f}%; target at most 15%: {verdict}), {r["attributions"]:.0f} \
attributions found.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=84)
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
