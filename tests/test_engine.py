"""Per-article work in worker processes gives exactly what the in-process path gives."""

from __future__ import annotations

import pytest

from newsprism.engine.local import enrich
from newsprism.model import Article, Enriched

pytestmark = pytest.mark.slow

TEXTS = [
    "Harbour pilots in Dunmere refused to work on Tuesday. \u201cWe are exhausted,\u201d pilot Aino Varga said.",
    "The Dunmere port board said in a statement that talks would resume on March 3.",
    "Mayor Rolf Eske told reporters the town would lose trade if the dispute lasted into next week.",
    "Fishing crews, according to the Dunmere Gazette, have backed the pilots.",
    "Pilots last struck in 2019, when a two-day stoppage ended with a new rota.",
]


def test_worker_processes_match_the_sequential_path() -> None:
    arts = [
        Article(id=f"d{i}", text=t, published="2025-02-27", language="en")
        for i, t in enumerate(TEXTS)
    ]
    seen: list[tuple[str, int, int | None]] = []
    parallel = enrich(arts, workers=2, min_parallel=0, progress=lambda *a: seen.append(a))
    sequential = enrich(arts, workers=1)
    assert [e.article_id for e in parallel] == [a.id for a in arts]
    assert parallel == sequential
    assert any(e.attributions for e in parallel) and any(e.dates for e in parallel)
    assert seen[-1] == ("enrich", len(arts), len(arts))


@pytest.mark.parametrize("workers", [1, 2])
def test_the_sink_gets_whole_records_and_the_caller_what_it_keeps(workers: int) -> None:
    """A caller that stores each batch can keep an outline of each record: the sink still gets
    the whole records, each once, and what comes back is what ``keep`` made of them, in order."""
    arts = [
        Article(id=f"k{i}", text=t, published="2025-02-27", language="en")
        for i, t in enumerate(TEXTS)
    ]
    stored: dict[str, Enriched] = {}

    def sink(batch: list[Enriched]) -> None:
        for e in batch:
            assert e.article_id not in stored
            stored[e.article_id] = e

    def outline(e: Enriched) -> Enriched:
        return Enriched(e.article_id, entities=e.entities, partial=True)

    kept = enrich(arts, workers=workers, min_parallel=0, sink=sink, keep=outline)
    whole = enrich(arts, workers=1)
    assert [stored[a.id] for a in arts] == whole
    assert [(e.article_id, e.entities, e.partial) for e in kept] == [
        (e.article_id, e.entities, True) for e in whole
    ]
    assert all(not e.sentences and not e.clauses for e in kept)
    assert any(e.entities for e in kept)
