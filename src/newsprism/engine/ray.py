"""Ray execution: ingest and enrichment as Ray Data ``map_batches`` over Parquet shards.

The driver lists the inputs (or the articles to enrich) and writes them as Parquet shards in
a work folder. Ray Data reads the shards and runs a callable class per worker:
:class:`Ingester` reads, cleans and describes input files; :class:`Enricher` loads the NLP
models once, when its worker starts, and writes each enriched batch as a Parquet file. The
driver collects the results in input order and stores each enriched shard as soon as it is
written, so a killed run loses at most the batches in flight. Everything corpus-wide (unique
ids, near-duplicates, outlet names, clustering, comparison) stays on the driver, exactly as
with the local engine, so both engines give the same stories.

A worker that dies is restarted by Ray and its batch runs again (Ray Data's actor pool
retries tasks), so a run survives the loss of workers. With ``address`` the run joins an
existing Ray cluster (``ray start --head`` ...): newsprism must be installed on every node,
and the work folder (``NEWSPRISM_RAY_WORKDIR``, default the system temporary folder) must be
shared by all nodes.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsprism.engine.local import default_workers
from newsprism.ingest.files import Input
from newsprism.ingest.run import _process
from newsprism.model import Article, Enriched, Removed
from newsprism.nlp.embed import DIM, backend_of, load_encoder
from newsprism.nlp.enrich import enrich_articles

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]

#: Articles per Parquet shard and per enrichment batch.
SHARD = 32
#: Input files per ingest batch.
INGEST_BATCH = 16
#: Object store of a Ray instance started here (bytes): small, the data lives in Parquet.
OBJECT_STORE_BYTES = 256 * 1024 * 1024

#: Reading a small shard takes no CPU of its own: every CPU goes to the worker pool (a
#: read task waiting for a CPU that the pool holds would stall the run).
_READ_ARGS: dict[str, Any] = {"num_cpus": 0}

_started_here = False


def init(address: str | None = None, workers: int | None = None) -> None:
    """Connect to the Ray cluster at ``address``, or start a local one with ``workers`` CPUs."""
    global _started_here
    import ray  # optional: needs ray (the ray extra)

    if ray.is_initialized():
        return
    env = {"TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
    if address:
        log.info("joining the Ray cluster at %s", address)
        ray.init(
            address=address,
            runtime_env={"env_vars": env},
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    else:
        n = workers or default_workers()
        log.info("starting a local Ray instance with %d CPUs", n)
        for key, value in env.items():  # local workers inherit this environment
            os.environ.setdefault(key, value)
        ray.init(
            num_cpus=n,
            include_dashboard=False,
            object_store_memory=OBJECT_STORE_BYTES,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
        _started_here = True
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False


def shutdown() -> None:
    """Stop the local Ray instance if this process started it."""
    global _started_here
    import ray  # optional: needs ray (the ray extra)

    if _started_here and ray.is_initialized():
        ray.shutdown()
    _started_here = False


def _workdir() -> Path:
    base = Path(os.environ.get("NEWSPRISM_RAY_WORKDIR") or tempfile.gettempdir())
    path = base / f"newsprism-ray-{uuid.uuid4().hex[:12]}"
    path.mkdir(parents=True)
    return path


def _write_shards(rows: list[dict[str, Any]], folder: Path, size: int) -> None:
    import pyarrow as pa  # heavy: pyarrow, only to write or read shards
    import pyarrow.parquet as pq  # heavy: as above

    folder.mkdir(parents=True, exist_ok=True)
    for n, start in enumerate(range(0, len(rows), size)):
        pq.write_table(
            pa.Table.from_pylist(rows[start : start + size]), folder / f"{n:06d}.parquet"
        )


def _workers(workers: int | None) -> int:
    import ray  # optional: needs ray (the ray extra)

    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(1, min(workers or cpus, cpus))


# -- ingest ----------------------------------------------------------------------------------


class Ingester:
    """Reads, cleans and describes a batch of input files (one instance per Ray worker)."""

    def __init__(self, run: Any) -> None:
        self.run = run

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {"index": [], "outcome": []}
        for index, origin, path, root in zip(
            batch["index"], batch["origin"], batch["path"], batch["root"], strict=True
        ):
            inp = Input(str(origin), Path(str(path)), Path(str(root)) if root else None)
            out["index"].append(int(index))
            out["outcome"].append(pickle.dumps(_process(inp, self.run)))
        return out


def ingest_mapper(
    workers: int | None = None, address: str | None = None
) -> Callable[[list[Any], Any], Iterator[Any]]:
    """A ``mapper`` for :func:`newsprism.ingest.run.ingest` that reads the input files on Ray.

    Standard input cannot be shared with workers: such an input is read on the driver."""

    def mapper(inputs: list[Any], run: Any) -> Iterator[Any]:
        rows = [
            {"index": k, "origin": i.origin, "path": str(i.path), "root": str(i.root or "")}
            for k, i in enumerate(inputs)
            if i.path is not None
        ]
        results: dict[int, Any] = {}
        if rows:
            import ray  # optional: needs ray (the ray extra)

            init(address, workers)
            work = _workdir()
            try:
                _write_shards(rows, work / "inputs", INGEST_BATCH)
                n = _workers(workers)
                ds = ray.data.read_parquet(str(work / "inputs"), **_READ_ARGS).map_batches(
                    Ingester,
                    fn_constructor_args=(run,),
                    batch_size=INGEST_BATCH,
                    compute=ray.data.ActorPoolStrategy(min_size=1, max_size=n),
                    num_cpus=1,
                )
                for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
                    for index, blob in zip(batch["index"], batch["outcome"], strict=True):
                        results[int(index)] = pickle.loads(blob)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        for k, inp in enumerate(inputs):
            yield results[k] if k in results else _process(inp, run)

    return mapper


# -- enrichment ------------------------------------------------------------------------------


def _article_row(a: Article) -> dict[str, Any]:
    d = a.to_dict(raw=False)
    return {"id": a.id, "text": a.text, "article": json.dumps(d)}


def _article_from_json(data: str) -> Article:
    d = json.loads(data)
    d["removed"] = [Removed(**r) for r in d.get("removed", [])]
    return Article(**d)


class Enricher:
    """Enriches batches of articles; the NLP models load once, when the worker starts.

    Each batch is written as a Parquet file (``article_id``, ``data``: the enrichment as JSON)
    in ``out_dir``; the batch's result names that file."""

    def __init__(self, out_dir: str) -> None:
        self.out_dir = Path(out_dir)
        self.enrich = enrich_articles
        list(self.enrich([Article(id="warm-up", text="The models load once per worker.")]))

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        import pyarrow as pa  # heavy: pyarrow, only to write or read shards
        import pyarrow.parquet as pq  # heavy: as above

        articles = [_article_from_json(str(x)) for x in batch["article"]]
        done = list(self.enrich(articles))
        table = pa.table(
            {
                "article_id": [e.article_id for e in done],
                "data": [json.dumps(e.to_dict()) for e in done],
            }
        )
        name = f"{uuid.uuid4().hex}.parquet"
        tmp = self.out_dir / f".{name}.tmp"
        pq.write_table(table, tmp)
        tmp.rename(self.out_dir / name)  # a shard is whole or absent
        return {"shard": [name], "count": [len(done)]}


def enrich(
    articles: Sequence[Article],
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    sink: Callable[[list[Enriched]], None] | None = None,
    keep: Callable[[Enriched], Enriched] | None = None,
) -> list[Enriched]:
    """Enrich ``articles`` on Ray (same order out, same results as the local engine).

    ``sink`` receives each enriched shard as soon as a worker has written it; ``keep`` is what
    is returned of each record, taken once the sink has it (as in the local engine)."""
    import pyarrow.parquet as pq  # heavy: pyarrow, only to read the shards
    import ray  # optional: needs ray (the ray extra)

    if not articles:
        return []
    init(address, workers)
    work = _workdir()
    out_dir = work / "enriched"
    out_dir.mkdir()
    by_id: dict[str, Enriched] = {}
    total = len(articles)
    try:
        _write_shards([_article_row(a) for a in articles], work / "articles", SHARD)
        n = _workers(workers)
        log.info("enriching %d articles on Ray with up to %d workers", total, n)
        ds = ray.data.read_parquet(str(work / "articles"), **_READ_ARGS).map_batches(
            Enricher,
            fn_constructor_args=(str(out_dir),),
            batch_size=SHARD,
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=n),
            num_cpus=1,
        )
        seen: set[str] = set()
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for shard in batch["shard"]:
                name = str(shard)
                if name in seen:
                    continue
                seen.add(name)
                table = pq.read_table(out_dir / name).to_pylist()
                fresh = [
                    Enriched.from_dict(json.loads(r["data"]), article_id=r["article_id"])
                    for r in table
                    if r["article_id"] not in by_id
                ]
                if sink and fresh:
                    sink(fresh)
                by_id.update({e.article_id: keep(e) if keep else e for e in fresh})
                if progress:
                    progress("enrich", len(by_id), total)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missing = [a.id for a in articles if a.id not in by_id]
    if missing:
        raise RuntimeError(f"Ray enrichment lost {len(missing)} articles (first: {missing[0]})")
    return [by_id[a.id] for a in articles]


# -- per-time-block tasks (comparison, the clustering's sentence vectors) ---------------------


def _run_blocks(
    items: Sequence[Any],
    blocks: Sequence[str],
    work: Callable[..., Sequence[Any]],
    args: tuple[Any, ...],
    what: tuple[str, str],
    done: Callable[[int], None] | None = None,
) -> list[Any]:
    """``work(items of one block, *args)`` as one Ray task per time block (``blocks[i]`` names
    the block of ``items[i]``); ``work`` returns one result per item, and the results come back
    in item order. The blocks run in any order on any worker (a failed task is retried up to 3
    times); ``done`` receives the number of items finished so far as blocks complete. ``what``
    (verb, noun) words the log line. :func:`init` must have been called."""
    import ray  # optional: needs ray (the ray extra)

    if len(items) != len(blocks):
        raise ValueError(f"{what[0]} on Ray: {len(items)} {what[1]}, {len(blocks)} block names")
    grouped: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        grouped.setdefault(b, []).append(i)
    task = ray.remote(num_cpus=1, max_retries=3)(work)
    pending = {task.remote([items[i] for i in idx], *args): idx for idx in grouped.values()}
    results: list[Any] = [None] * len(items)
    finished = 0
    log.info("%s %d %s on Ray in %d time blocks", what[0], len(items), what[1], len(pending))
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        for ref in ready:
            idx = pending.pop(ref)
            for i, out in zip(idx, ray.get(ref), strict=True):
                results[i] = out
            finished += len(idx)
            if done:
                done(finished)
    return results


def _compare_block(jobs: list[Any], fn: Callable[[Any], Any]) -> list[Any]:
    """One Ray task: compare the stories of one time block, in order."""
    return [fn(job) for job in jobs]


def compare_blocks(
    jobs: Sequence[Any],
    blocks: Sequence[str],
    fn: Callable[[Any], Any],
    workers: int | None = None,
    address: str | None = None,
    done: Callable[[int], None] | None = None,
) -> list[Any]:
    """``fn(job)`` for every job, as one Ray task per time block (``blocks[i]`` names the block
    of ``jobs[i]``, e.g. the day of the story's first article), results in job order.

    A story's comparison depends on that story alone, so the blocks run in any order on any
    worker; ``done`` receives the number of jobs finished so far as blocks complete."""
    import ray  # optional: needs ray (the ray extra)

    init(address, workers)
    fn_ref = ray.put(fn)
    return _run_blocks(jobs, blocks, _compare_block, (fn_ref,), ("comparing", "stories"), done)


def _encode_block(texts: list[str], name: str) -> Any:
    """One Ray task: the texts of one time block through the sentence encoder ``name``."""
    encoder = load_encoder(backend_of(name) if ":" in name else None)
    if encoder.name != name:  # e.g. ONNX Runtime missing on this node: torch would differ
        raise RuntimeError(f"encoder {encoder.name} on this worker, {name} on the driver")
    return encoder.encode(texts, 64)


def encode_blocks(
    texts: Sequence[str],
    blocks: Sequence[str],
    name: str,
    workers: int | None = None,
    address: str | None = None,
) -> Any:
    """The sentence vectors of ``texts`` computed as one Ray task per time block (``blocks[i]``
    names the block of ``texts[i]``), rows in text order; ``name`` is the driver's encoder,
    which every worker must have too (the vectors are then the driver's own)."""
    init(address, workers)
    rows = _run_blocks(texts, blocks, _encode_block, (name,), ("embedding", "texts"))
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), DIM)
