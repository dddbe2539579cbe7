"""Comparison speed: compare_story + build_brief vs. embedding the story's sentences once.

Usage::

    .venv/bin/python benchmarks/compare.py                 # 50 articles, 5 repetitions
    .venv/bin/python benchmarks/compare.py --n 80 --reps 3 --no-write

A generated fictional story (a flood in the town of Orlen covered by ``--n`` articles from
12 outlets, some of them wire reprints; about 25 sentences per article drawn from shared
facts in several wordings, with planted number/date disagreements and outlet-only
sentences) with entity and date mentions built from the generated text. Each repetition
times, in one process:

* ``embed``: the sentence encoder at full precision (``onnx``, the reference the target was set
  against) over every sentence of the story once;
* ``embed int8``: :func:`newsprism.nlp.pipeline.embed` (the default encoder, which the
  comparison uses: ``onnx-int8-static``) over the same sentences;
* ``compare``: :func:`newsprism.stories.compare.compare_story` given the default encoder's
  vectors;
* ``brief``: :func:`newsprism.stories.brief.build_brief` on the comparison.

Reports medians and the ratio (compare + brief) / embed (targets: compare + brief under 2 s,
ratio at most 1: no more than embedding the story's sentences once), and the same ratio to
the default int8 encoder. Results go to ``docs/benchmarks.md`` under ``## Comparison speed``
(other sections are kept).
"""

from __future__ import annotations

import argparse
import logging
import platform
import random
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from docs_section import cpu_label, write_section
from newsprism.model import Article, DateMention, Enriched, EntityMention
from newsprism.nlp.clauses import split_clauses
from newsprism.nlp.embed import cache
from newsprism.nlp.embed import embed as embed_with
from newsprism.nlp.pipeline import embed, parse
from newsprism.nlp.words import article_words
from newsprism.stories import align, conflicts, judge
from newsprism.stories.brief import build_brief
from newsprism.stories.claims import split_sentences
from newsprism.stories.compare import compare_story

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Comparison speed"

OUTLETS = [
    "Orlen Herald",
    "Valley Post",
    "Northern Ledger",
    "Delta Courier",
    "Ridge Times",
    "Coastline Daily",
    "Harbor Gazette",
    "Evening Star of Kell",
    "Marrow Radio",
    "The Plainsman",
    "Riverside Wire",
    "Capital Bulletin",
]
PEOPLE = [
    ("Mayor Ines Halvorsen", "Ines Halvorsen", "mayor"),
    ("fire chief Bruno Tello", "Bruno Tello", "fire chief"),
    ("hydrologist Dr. Sanne Ruud", "Sanne Ruud", "hydrologist"),
    ("regional governor Pavel Osk", "Pavel Osk", "regional governor"),
]
PLACES = ["Orlen", "Kell", "the Marrow river", "Tessby", "Upper Orlen"]
# (template, variants): {n} numbers, {d} dates, {p} person, {q} place
FACTS = [
    [
        "The Marrow river burst its banks in Orlen on {d}, flooding {n} homes.",
        "Floodwater from the Marrow river swamped {n} houses in Orlen on {d}.",
        "On {d} the river Marrow overflowed in Orlen and {n} homes were flooded.",
    ],
    [
        "{p} said {n} residents had been evacuated to schools in Kell.",
        "About {n} people were moved to emergency shelters in Kell schools, {p} said.",
        "According to {p}, {n} residents spent the night in Kell school buildings.",
    ],
    [
        "Rescue teams used {n} boats to reach families trapped on rooftops.",
        "Some {n} boats were deployed to pull families off their roofs.",
    ],
    [
        "The water level peaked at {n} metres on {d}, the highest since records began.",
        "Gauges showed the river cresting at {n} metres on {d}, a record.",
    ],
    [
        "{p} declared a state of emergency for the whole district.",
        "A state of emergency covering the district was declared by {p}.",
    ],
    [
        "Two bridges over the Marrow were closed as a precaution.",
        "Authorities shut two Marrow bridges to traffic.",
    ],
    [
        "The regional government promised {n} million crowns in emergency aid.",
        "Emergency aid of {n} million crowns was pledged by the regional government.",
    ],
    [
        "Power was cut to {n} households in Tessby and Upper Orlen.",
        "About {n} homes in Tessby and Upper Orlen lost electricity.",
    ],
    [
        "Forecasters expect more heavy rain over the weekend.",
        "More downpours are forecast for the weekend, meteorologists said.",
    ],
    [
        "Volunteers filled sandbags outside the town hall through the night.",
        "Through the night, volunteers stacked sandbags in front of the town hall.",
    ],
    [
        "{p} said the dikes built after the last flood had held in most places.",
        "Most of the dikes raised after the previous flood held, according to {p}.",
    ],
    [
        "Schools in Orlen will stay closed until {d}.",
        "Orlen's schools remain shut until {d}, officials said.",
    ],
]
FILLER = [
    "Residents of {q} described water rising {n} centimetres in an hour.",
    "A bakery owner in {q} said she had lost stock worth {n} thousand crowns.",
    "Local farmers in {q} feared for the harvest after {n} hectares went under water.",
    "The football ground in {q} was turned into a helicopter landing site.",
    "Church halls in {q} opened their doors to {n} displaced families.",
    "A retired teacher in {q} said it was the worst flood in {n} years.",
    "Insurance companies in {q} set up mobile offices to register claims.",
    "Photographs shared online showed cars floating down a street in {q}.",
    "Shopkeepers in {q} moved goods to upper floors as the water rose.",
    "Army engineers arrived in {q} with pumps and heavy vehicles.",
]
DATES = [("Monday", "2031-09-15"), ("Tuesday", "2031-09-16"), ("September 22", "2031-09-22")]


def generate_story(n: int, seed: int = 7) -> tuple[list[Article], dict[str, Enriched]]:
    """``n`` fictional articles about one flood, with entity and date mentions."""
    rng = random.Random(seed)
    base = {i: rng.choice([120, 340, 800, 1500, 2300, 46, 12]) for i in range(len(FACTS))}
    articles: list[Article] = []
    enriched: dict[str, Enriched] = {}
    originals: list[str] = []
    for k in range(n):
        outlet = OUTLETS[k % len(OUTLETS)]
        aid = f"a{k:03d}"
        if originals and rng.random() < 0.15:  # a wire reprint
            src = rng.choice(originals)
            text = next(a.text for a in articles if a.id == src)
            art = Article(
                id=aid, text=text, source=outlet, published="2031-09-16", duplicate_of=src
            )
        else:
            sents: list[str] = []
            for i in rng.sample(range(len(FACTS)), k=rng.randint(8, len(FACTS))):
                t = rng.choice(FACTS[i])
                num = base[i] if rng.random() > 0.1 else base[i] + rng.choice([10, 50, 100])
                d = rng.choice(DATES)[0]
                p = rng.choice(PEOPLE)[0]
                sents.append(t.format(n=f"{num:,}", d=d, p=p, q=rng.choice(PLACES)))
            for _ in range(max(0, 25 - len(sents))):
                t = rng.choice(FILLER)
                sents.append(t.format(n=rng.randint(2, 90), q=rng.choice(PLACES)))
            rng.shuffle(sents)
            paras = [" ".join(sents[j : j + 3]) for j in range(0, len(sents), 3)]
            text = "\n\n".join(paras)
            art = Article(id=aid, text=text, source=outlet, published="2031-09-16")
            originals.append(aid)
        articles.append(art)
        enriched[aid] = _enrich(art)
    return articles, enriched


def _enrich(art: Article) -> Enriched:
    text = art.text
    en = Enriched(art.id, sentences=split_sentences(text))
    doc = parse(text)
    en.clauses = split_clauses(doc)  # clause-level claims, as the pipeline stores them
    en.words = article_words(doc)  # the parse's words, as the pipeline keeps them
    for _surface, name, role in PEOPLE:
        for m in re.finditer(re.escape(name), text):
            en.entities.append(EntityMention(m.start(), m.end(), name, "PERSON", name, role, name))
    for place in ("Orlen", "Kell", "Tessby"):
        for m in re.finditer(rf"\b{place}\b", text):
            en.entities.append(EntityMention(m.start(), m.end(), place, "GPE", place, None, place))
    for surface, value in DATES:
        for m in re.finditer(surface, text):
            en.dates.append(DateMention(m.start(), m.end(), surface, value))
    en.entities.sort(key=lambda m: m.start)
    en.dates.sort(key=lambda d: d.start)
    return en


def _cold() -> None:
    """Forget what the comparison caches by text (a story's own texts repeat across its wire
    copies, but a new story's were never seen): each repetition compares as a first run."""
    align.judge_text.cache_clear()
    align._content_words.cache_clear()
    judge._stemmed_words.cache_clear()
    conflicts._day.cache_clear()


def run(n: int, reps: int) -> dict[str, float]:
    articles, enriched = generate_story(n)
    texts = [s.text for a in articles for s in enriched[a.id].sentences]
    embed_with(texts[:8], backend="onnx")  # load the models outside the timings
    embed(texts[:8])
    t_embed, t_int8, t_compare, t_brief = [], [], [], []
    facts = 0
    for _ in range(reps):
        cache().clear()  # embed from cold: the process's text cache would make it free
        _cold()  # and compare from cold: no text seen by an earlier repetition
        t0 = time.perf_counter()
        embed_with(texts, backend="onnx")
        t1 = time.perf_counter()
        vecs = embed(texts)
        t_int8.append(time.perf_counter() - t1)
        emb, pos = {}, 0
        for a in articles:
            k = len(enriched[a.id].sentences)
            emb[a.id] = vecs[pos : pos + k]
            pos += k
        t2 = time.perf_counter()
        comp = compare_story(articles, enriched, embeddings=emb)
        t3 = time.perf_counter()
        build_brief(articles, comp)
        t4 = time.perf_counter()
        t_embed.append(t1 - t0)
        t_compare.append(t3 - t2)
        t_brief.append(t4 - t3)
        facts = len(comp.facts)
    emb_m, i8_m, cmp_m, brf_m = (
        statistics.median(x) for x in (t_embed, t_int8, t_compare, t_brief)
    )
    return {
        "articles": n,
        "sentences": len(texts),
        "facts": facts,
        "embed": emb_m,
        "embed_int8": i8_m,
        "compare": cmp_m,
        "brief": brf_m,
        "ratio": (cmp_m + brf_m) / emb_m if emb_m else float("inf"),
        "ratio_int8": (cmp_m + brf_m) / i8_m if i8_m else float("inf"),
        "reps": reps,
    }


def section(r: dict[str, float]) -> str:
    import os

    total = r["compare"] + r["brief"]
    return (
        f"{SECTION}\n\n"
        f"`python benchmarks/compare.py` on {date.today().isoformat()} ({platform.machine()}, "
        f"{cpu_label() or 'CPU not recorded'}, {os.cpu_count()} CPU cores, Python {platform.python_version()}). A generated fictional "
        f"story of {r['articles']} articles from 12 outlets (some wire reprints), "
        f"{r['sentences']:,} sentences, {r['facts']} facts found; medians of {r['reps']} "
        "repetitions in one process, each from cold (the vector cache and the comparison's "
        "caches by text cleared first). `embed` = MiniLM at full precision over every sentence "
        "once (the reference the target was set against); `embed int8` = the same sentences "
        "through the default encoder, which the comparison uses (`onnx-int8-static`); "
        "`compare` = `compare_story` given those vectors (clause-level claims from the "
        "parse, gists of "
        "split clauses embedded, the same-fact judge over candidate pairs, conflicts, coverage, "
        "timeline, framing, quotes); `brief` = `build_brief`. Target (issue 11): compare + "
        "brief <= 1x embed, set when the product embedded at full precision; against the int8 "
        "embedding it now does, the last column. Load average at the end of the run: "
        f"{os.getloadavg()[0]:.1f} (a shared machine: absolute times vary, the ratio is "
        "measured side by side).\n\n"
        "| embed (s) | embed int8 (s) | compare (s) | brief (s) | compare + brief (s) "
        "| ratio to embed | ratio to embed int8 |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        f"| {r['embed']:.2f} | {r['embed_int8']:.2f} | {r['compare']:.2f} | "
        f"{r['brief']:.3f} | {total:.2f} | {r['ratio']:.2f}x | {r['ratio_int8']:.2f}x |\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=50, help="articles in the story")
    ap.add_argument("--reps", type=int, default=5, help="repetitions (medians reported)")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    r = run(args.n, args.reps)
    text = section(r)
    sys.stdout.write(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
