"""Local execution: per-article work in worker processes, each loading the models once."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from newsprism.model import Article, Enriched
from newsprism.nlp.enrich import enrich_articles
from newsprism.profile import Profile, activate
from newsprism.profile import active as active_profile

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]

#: Below this many articles, worker start-up (model loading) costs more than it saves.
MIN_PARALLEL = 64
CHUNK = 32


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _enrich_chunk(articles: list[Article]) -> list[Enriched]:
    return list(enrich_articles(articles))


def _enrich_chunk_timed(articles: list[Article]) -> tuple[list[Enriched], dict[str, float]]:
    """A worker's batch, with the seconds it spent per stage (models, parse, annotate)."""
    timing = Profile()
    with activate(timing):
        out = list(enrich_articles(articles))
    return out, dict(timing.seconds)


def enrich(
    articles: Sequence[Article],
    workers: int | None = None,
    progress: Progress | None = None,
    min_parallel: int | None = None,
    sink: Callable[[list[Enriched]], None] | None = None,
    keep: Callable[[Enriched], Enriched] | None = None,
) -> list[Enriched]:
    """Enrich ``articles`` (same order out), in worker processes when there are at least
    ``min_parallel`` of them. Workers start from a fork server, never by forking this process,
    which may hold model threads (torch) that a fork would copy in a broken state.

    ``sink``, when given, receives each finished batch (at most ``CHUNK`` articles) as soon as
    it is done, so a caller can store work before the whole run ends (a killed run resumes).
    ``keep``, when given, is what is returned of each record, taken once the sink has it (a
    caller that stores the records can keep an outline of each: the whole records of a run are
    then never held at once)."""
    total = len(articles)
    workers = default_workers() if workers is None else max(1, workers)
    min_parallel = MIN_PARALLEL if min_parallel is None else min_parallel
    done = 0
    out: list[Enriched] = []

    def finished(batch: list[Enriched]) -> None:
        if sink:
            sink(batch)
        out.extend(map(keep, batch) if keep else batch)

    if workers == 1 or total < max(min_parallel, 2):
        batch: list[Enriched] = []
        for e in enrich_articles(articles):
            batch.append(e)
            done += 1
            if done % CHUNK == 0 or done == total:
                finished(batch)
                batch = []
            if progress:
                progress("enrich", done, total)
        return out
    size = max(1, min(CHUNK, -(-total // workers)))
    chunks = [list(articles[i : i + size]) for i in range(0, total, size)]
    log.info("enriching %d articles in %d processes", total, workers)
    context = multiprocessing.get_context("forkserver")
    started = time.perf_counter()
    worker_seconds: dict[str, float] = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
        for chunk_out, seconds in pool.map(_enrich_chunk_timed, chunks):
            for stage, secs in seconds.items():
                worker_seconds[stage] = worker_seconds.get(stage, 0.0) + secs
            t0 = time.perf_counter()
            finished(chunk_out)
            started += time.perf_counter() - t0  # the sink times itself (store)
            done += len(chunk_out)
            if progress:
                progress("enrich", done, total)
    run_profile = active_profile()
    if run_profile is not None:  # the wall time, shared out as the workers spent it
        run_profile.add_parallel(time.perf_counter() - started, worker_seconds)
    return out
