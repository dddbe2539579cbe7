"""Enrichment speed: spaCy parse time vs entities + dates + canonical names, side by side.

Usage::

    .venv/bin/python benchmarks/enrich.py                 # 300 articles, 3 repetitions
    .venv/bin/python benchmarks/enrich.py --source generated --n 200 --reps 5 --no-write

Input: the texts of ``../shared/data/polnear_dev.jsonl`` when present (read at run time,
never copied), topped up with generated fictional articles to ``--n``; or only generated
articles (``--source generated``). Each repetition times, on the same articles in one process:

* ``parse``: ``nlp.pipe`` over all texts (the spaCy small English pipeline);
* ``entities``: :func:`newsprism.nlp.entities.extract_entities` on every parsed doc;
* ``dates``: :func:`newsprism.nlp.dates.find_dates` on every text (when the module exists);
* ``canonical``: :func:`newsprism.nlp.canonical.canonicalize` over all mentions.

Reports medians over the repetitions and the ratios to the parse time (target: entities +
dates add at most 20% to parse time). Results go to ``docs/benchmarks.md`` under
``## Enrichment speed`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from docs_section import write_section
from newsprism.nlp.canonical import canonicalize
from newsprism.nlp.entities import extract_entities
from newsprism.nlp.pipeline import load_nlp

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
DATA = Path(os.environ.get("NEWSPRISM_DATA", ROOT.parent / "shared" / "data"))
SECTION = "## Enrichment speed"

# --------------------------------------------------------------------------- generator

_FIRST = ["Ilse", "Tomas", "Lena", "Halvard", "Mykola", "Chen", "Anna", "Jonas", "Karel", "Marta"]
_LAST = {
    "Marran": ["Marran"],
    "Oberg": ["Oberg", "Öberg"],
    "Zhadanskyi": ["Zhadanskyi", "Zhadansky", "Zhadanskiy"],
    "Kravets": ["Kravets", "Kravetz"],
    "Velko": ["Velko"],
    "Brekke": ["Brekke"],
    "Hrynevych": ["Hrynevych", "Hrynevich"],
    "Whitcombe": ["Whitcombe"],
}
_TITLES = [
    "Harbour Authority spokeswoman",
    "Finance Minister",
    "President",
    "Deputy Foreign Minister",
]
_APPOSITIONS = ["the mayor of {town}", "a senior analyst at the {org}", "a union leader"]
_TOWNS = ["Pelmar", "Dunmore", "Tindmark", "Velmora", "Ostrava Nova", "Kessel", "Brask"]
_COUNTRIES = ["Norvania", "Estrelia", "Karvonia", "Veldland"]
_ORGS = [
    "Velmora Rail Authority",
    "Pelmar Harbour Commission",
    "Tindmark Institute for Coastal Research",
    "Norvanian Ministry of Foreign Affairs",
    "Estrelian Farmers Union",
]
_OUTLETS = ["Pelmar Daily Courier", "Meridian Wire", "Kessel Herald"]
_TOPICS = [
    "the grain corridor",
    "the new bridge",
    "the port strike",
    "the fishing quota",
    "the tariff",
]
_WHEN = [
    "on Monday",
    "on Tuesday",
    "last week",
    "on March 3",
    "in February last year",
    "from April 20 to 22",
    "earlier this month",
    "on 12 May 2031",
    "next Thursday",
]


def _person(rng: random.Random) -> tuple[str, str]:
    last = rng.choice(list(_LAST))
    return rng.choice(_FIRST), last


def generate_article(rng: random.Random, sentences: int = 14) -> str:
    """A fictional news article: headline, titled people, places, dates, quotes, variants."""
    first, last = _person(rng)
    other_first, other_last = _person(rng)
    town, country = rng.choice(_TOWNS), rng.choice(_COUNTRIES)
    org, topic = rng.choice(_ORGS), rng.choice(_TOPICS)
    if rng.random() < 0.5:
        opening = f"{rng.choice(_TITLES)} {first} {last}"
    else:
        opening = f"{first} {last}, {rng.choice(_APPOSITIONS).format(town=town, org=org)},"
    lines = [
        f"{first} {last} Will Visit {town} To Discuss {topic.title()[4:]}",
        "",
        f"{opening} will travel to {town} {rng.choice(_WHEN)}, the {org} announced.",
    ]
    for _ in range(sentences):
        variant = rng.choice(_LAST[last])
        other_variant = rng.choice(_LAST[other_last])
        lines.append(
            rng.choice(
                [
                    f"{variant} said {topic} would be discussed with officials from {country} "
                    f"{rng.choice(_WHEN)}.",
                    f"“We expect progress on {topic},” {variant} told the {rng.choice(_OUTLETS)}.",
                    f"According to the {rng.choice(_OUTLETS)}, {other_first} {other_last}, "
                    f"{rng.choice(_APPOSITIONS).format(town=town, org=org)}, criticised the plan "
                    f"{rng.choice(_WHEN)}.",
                    f"{other_variant} added that {country} had not yet replied to the proposal.",
                    f"About {rng.randint(2, 900)} people protested in {rng.choice(_TOWNS)} "
                    f"{rng.choice(_WHEN)}, police said.",
                    f"The {org} said costs rose by {rng.randint(2, 40)} percent in "
                    f"{rng.randint(2025, 2032)}.",
                    f"Advertisement\nMeanwhile, {country}'s government said talks on {topic} "
                    "would continue.",
                    f"President {variant} met {country}'s ambassador in {town} {rng.choice(_WHEN)}.",
                ]
            )
        )
    return "\n".join(lines)


def load_texts(n: int, source: str, seed: int = 13) -> tuple[list[str], str]:
    """``n`` article texts and a description of where they came from."""
    texts: list[str] = []
    desc = []
    path = DATA / "polnear_dev.jsonl"
    if source in {"auto", "polnear"} and path.exists():
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec.get("text"):
                    texts.append(rec["text"])
                if len(texts) >= n:
                    break
        desc.append(f"{len(texts)} PolNeAR dev texts")
    rng = random.Random(seed)
    generated = 0
    while len(texts) < n:
        texts.append(generate_article(rng))
        generated += 1
    if generated:
        desc.append(f"{generated} generated fictional articles")
    return texts, " + ".join(desc)


# --------------------------------------------------------------------------- timing


def _find_dates():
    try:
        return importlib.import_module("newsprism.nlp.dates").find_dates
    except (ImportError, AttributeError):
        return None


def run(texts: list[str], reps: int, published: str = "2031-03-17") -> dict[str, Any]:
    """Median seconds per stage over ``reps`` repetitions, all stages on the same texts.

    Both wall-clock and process CPU time are kept: on a shared machine the CPU-time ratios
    are the load-independent ones.
    """
    nlp = load_nlp()
    find_dates = _find_dates()
    list(nlp.pipe(texts[:8]))  # warm-up: lazy init of the pipeline
    stages = ("parse", "entities", "dates", "canonical")
    wall: dict[str, list[float]] = {k: [] for k in stages}
    cpu: dict[str, list[float]] = {k: [] for k in stages}
    counts: dict[str, int] = {}

    def timed(stage: str, fn):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall[stage].append(time.perf_counter() - w0)
        cpu[stage].append(time.process_time() - c0)
        return out

    for _ in range(reps):
        docs = timed("parse", lambda: list(nlp.pipe(texts, batch_size=32)))
        mentions = timed(
            "entities", lambda docs=docs: {str(i): extract_entities(d) for i, d in enumerate(docs)}
        )
        if find_dates is not None:
            dates = timed("dates", lambda: [find_dates(t, published) for t in texts])
            counts["dates"] = sum(len(d) for d in dates)
        entities = timed("canonical", lambda mentions=mentions: canonicalize(mentions))
        counts["mentions"] = sum(len(v) for v in mentions.values())
        counts["entities"] = len(entities)
        counts["tokens"] = sum(len(d) for d in docs)
        del docs
    return {
        "median": {k: statistics.median(v) for k, v in wall.items() if v},
        "cpu": {k: statistics.median(v) for k, v in cpu.items() if v},
        "times": wall,
        "counts": counts,
        "dates_found": find_dates is not None,
        "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
    }


def _machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores "
        f"(shared), Python {platform.python_version()}"
    )


def render(result: dict[str, Any], n: int, reps: int, source: str) -> str:
    med, counts = result["median"], result["counts"]
    parse = med["parse"]
    cpu = result["cpu"]
    rows = [
        "| stage | median wall s | per article ms | share of parse (wall) | median CPU s "
        "| share of parse (CPU) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for stage in ("parse", "entities", "dates", "canonical"):
        if stage in med:
            rows.append(
                f"| {stage} | {med[stage]:.2f} | {1000 * med[stage] / n:.2f} | "
                f"{100 * med[stage] / parse:.1f}% | {cpu[stage]:.2f} | "
                f"{100 * cpu[stage] / cpu['parse']:.1f}% |"
            )
    ent_dates = med["entities"] + med.get("dates", 0.0)
    total = ent_dates + med["canonical"]
    cpu_ent_dates = cpu["entities"] + cpu.get("dates", 0.0)
    dates_note = (
        ""
        if result["dates_found"]
        else " (`newsprism.nlp.dates` was not importable: dates not measured)"
    )
    return "\n".join(
        [
            SECTION,
            "",
            f"`python benchmarks/enrich.py --n {n} --reps {reps}` on {time.strftime('%Y-%m-%d')} "
            f"({_machine()}). Input: {source}; {counts.get('tokens', 0):,} tokens per repetition. "
            "All stages run side by side in one process on the same articles; medians of "
            f"{reps} repetitions; 1-minute load average at the end: {result['load']:.1f} (a shared "
            "machine: absolute times vary with load, the ratios are measured side by side). "
            "Target: entities + dates add at most 20% to the spaCy parse time.",
            "",
            *rows,
            "",
            f"- entities + dates: **{100 * ent_dates / parse:.1f}%** of parse time (wall), "
            f"{100 * cpu_ent_dates / cpu['parse']:.1f}% in CPU time{dates_note}; with corpus-wide "
            f"canonical names: {100 * total / parse:.1f}% (wall).",
            f"- {counts.get('mentions', 0):,} entity mentions -> {counts.get('entities', 0):,} "
            f"canonical entities; {counts.get('dates', 0):,} dates.",
            "- raw seconds per repetition: "
            + "; ".join(
                f"{k} " + ", ".join(f"{t:.2f}" for t in v) for k, v in result["times"].items() if v
            )
            + ".",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="articles (default 300)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument(
        "--source",
        choices=["auto", "polnear", "generated"],
        default="auto",
        help="auto: PolNeAR dev texts when present, topped up with generated articles",
    )
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--output", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    texts, source = load_texts(args.n, args.source)
    result = run(texts, args.reps)
    section = render(result, len(texts), args.reps, source)
    print(section)
    if not args.no_write:
        write_section(SECTION, section, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
