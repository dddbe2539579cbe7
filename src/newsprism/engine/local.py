"""Local execution: per-article work in worker processes, each loading the models once."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from newsprism.model import Article, Enriched
from newsprism.nlp.enrich import enrich_articles

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]

#: Below this many articles, worker start-up (model loading) costs more than it saves.
MIN_PARALLEL = 64
CHUNK = 32


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _enrich_chunk(articles: list[Article]) -> list[Enriched]:
    return list(enrich_articles(articles))


def enrich(
    articles: Sequence[Article],
    workers: int | None = None,
    progress: Progress | None = None,
    min_parallel: int = MIN_PARALLEL,
) -> list[Enriched]:
    """Enrich ``articles`` (same order out), in worker processes when there are at least
    ``min_parallel`` of them. Workers start from a fork server, never by forking this process,
    which may hold model threads (torch) that a fork would copy in a broken state."""
    total = len(articles)
    workers = default_workers() if workers is None else max(1, workers)
    done = 0
    out: list[Enriched] = []
    if workers == 1 or total < max(min_parallel, 2):
        for e in enrich_articles(articles):
            out.append(e)
            done += 1
            if progress:
                progress("enrich", done, total)
        return out
    size = max(1, min(CHUNK, -(-total // workers)))
    chunks = [list(articles[i : i + size]) for i in range(0, total, size)]
    log.info("enriching %d articles in %d processes", total, workers)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        for chunk_out in pool.map(_enrich_chunk, chunks):
            out.extend(chunk_out)
            done += len(chunk_out)
            if progress:
                progress("enrich", done, total)
    return out
