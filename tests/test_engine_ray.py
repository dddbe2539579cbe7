"""The Ray engine gives the stories of the local engine, and survives a worker's death.

A local Ray instance (2 CPUs) is started once for this module and stopped at its end."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsprism.api import AnalyzeOptions, analyze
from newsprism.model import Article
from newsprism.outputs.document import story_to_dict

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'newsprism[ray]')")
ray_engine = pytest.importorskip("newsprism.engine.ray")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"
SEEDS = Path(os.environ.get("NEWSPRISM_SEEDS", ROOT.parent / "shared" / "seeds"))

# A small fixture of our own: one fictional event from three fictional outlets, plus an
# unrelated story, in the formats ingest reads (plain text with a sidecar, JSON Lines).
FIXTURE = {
    "kelby-dam.txt": (
        "Engineers opened the spillway of the Kelby dam on Sunday after a week of rain.\n\n"
        'Water minister Orla Penn said the reservoir was 97 percent full. "We had no '
        'choice," she told reporters at the dam.\n\nTowns downstream were told to move '
        "cars away from the river banks.\n"
    ),
    "kelby-dam.meta.json": json.dumps(
        {
            "title": "Kelby dam spillway opened",
            "source": "Rellin Observer",
            "published": "2025-05-04",
        }
    ),
    "wires.jsonl": "\n".join(
        json.dumps(r)
        for r in [
            {
                "id": "kelby-wire",
                "title": "Spillway opened at Kelby as reservoir nears capacity",
                "source": "Tannery Wire",
                "published": "2025-05-04",
                "text": "The Kelby dam's spillway was opened on Sunday. Minister Orla Penn said "
                "the reservoir was 95 percent full and that towns downstream should stay alert.",
            },
            {
                "id": "kelby-evening",
                "title": "Kelby dam: water released after record rain",
                "source": "Evening Lantern",
                "published": "2025-05-05",
                "text": "Operators released water from the Kelby dam after record rain, the water "
                "ministry said. Orla Penn said no homes were at risk.",
            },
            {
                "id": "chess-final",
                "title": "Teen wins national chess final in Morvale",
                "source": "Evening Lantern",
                "published": "2025-05-03",
                "text": "Sixteen-year-old Lio Brandt won the national chess final in Morvale "
                "on Saturday, beating the defending champion in 41 moves.",
            },
        ]
    )
    + "\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("fixture")
    for name, text in FIXTURE.items():
        (folder / name).write_text(text, encoding="utf-8")
    paths = [str(EXAMPLES), str(folder)]
    if SEEDS.is_dir():  # read in place, never copied
        paths.append(str(SEEDS))
    return paths


@pytest.fixture(scope="module")
def ray_local() -> Any:
    ray_engine.init(workers=2)
    yield ray
    ray_engine.shutdown()


def _stories(paths: list[str], engine: str, store: Path) -> list[dict[str, Any]]:
    result = analyze(paths, AnalyzeOptions(engine=engine, workers=2), store=store)
    by_id = {a.id: a for a in result.articles}
    return [story_to_dict(s, by_id) for s in result.stories]


def test_ray_and_local_engines_give_identical_stories(
    corpus: list[str], ray_local: Any, tmp_path: Path
) -> None:
    from newsprism.nlp.embed import cache

    local = _stories(corpus, "local", tmp_path / "local.db")
    cache().clear()  # so the Ray run computes its clustering vectors on Ray, not from here
    on_ray = _stories(corpus, "ray", tmp_path / "ray.db")
    assert len(local) > 3
    assert on_ray == local


def test_comparison_runs_one_task_per_time_block(ray_local: Any) -> None:
    blocks = ["2031-03-02", "2031-03-01", "2031-03-02", "2031-03-03", "2031-03-01"]
    jobs = [(b, n) for n, b in enumerate(blocks)]
    finished: list[int] = []
    # ``repr`` stands in for the comparison (the workers import the library, not the tests)
    out = ray_engine.compare_blocks(jobs, blocks, repr, workers=2, done=finished.append)
    assert out == [repr(j) for j in jobs]  # every result, in job order
    # one report a block, as each block's task ends: 3 blocks of 2, 2 and 1 stories
    assert len(finished) == 3 and finished[-1] == len(jobs)
    assert sorted(b - a for a, b in zip([0, *finished], finished, strict=False)) == [1, 2, 2]
    with pytest.raises(ValueError):
        ray_engine.compare_blocks(jobs, blocks[:2], repr)


def test_clustering_vectors_per_time_block_are_the_drivers_own(
    ray_local: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    import numpy as np

    from newsprism.nlp.embed import cache, load_encoder

    encoder = load_encoder()
    texts = [
        "The Velin harbour board closed the eastern quay on Monday.",
        "Dockworkers at Port Sallow walked out over pay.",
        "A fire at the Dravetz textile mill killed four workers.",
        "The Bank of Marenia raised its key rate to 4.5 percent.",
    ]
    blocks = ["2031-03-01", "2031-03-02", "2031-03-01", "2031-03-03"]
    got = ray_engine.encode_blocks(texts, blocks, encoder.name, workers=2)
    assert np.array_equal(got, encoder.encode(texts, 64))  # bit for bit, in any batch
    # and through analyze: the clustering's vectors come from Ray tasks when none are cached
    corpus = tmp_path / "c"
    corpus.mkdir()
    for n, t in enumerate(texts):
        (corpus / f"a{n}.txt").write_text(f"Harbour news {n}\n\n{t} More follows.", "utf-8")
    cache().clear()
    with caplog.at_level(logging.INFO, logger="newsprism.engine.ray"):
        analyze([str(corpus)], AnalyzeOptions(engine="ray", workers=2), store=tmp_path / "s.db")
    assert any("texts on Ray in" in r.getMessage() for r in caplog.records)


def _worker_pids() -> set[int]:
    """Process ids of Ray's map workers running our Enricher (their title names it)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if cmd.startswith("ray::") and "Enricher" in cmd:
            pids.add(int(entry.name))
    return pids


def test_enrichment_survives_a_killed_worker(ray_local: Any) -> None:
    texts = [
        f"Crews in Harlow district {i} repaired a burst water main on Monday. "
        f"Engineer Sana Quill said supply would return by evening."
        for i in range(160)
    ]
    articles = [Article(id=f"w{i}", text=t, published="2025-05-05") for i, t in enumerate(texts)]
    killed: list[int] = []
    stored: list[str] = []

    def kill_one() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            if stored:  # a first shard is done: the pool is busy with the rest
                for pid in sorted(_worker_pids())[:1]:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one, daemon=True)
    killer.start()
    out = ray_engine.enrich(
        articles, workers=2, sink=lambda batch: stored.extend(e.article_id for e in batch)
    )
    killer.join(5)
    assert killed, "no Ray worker was running to be killed"
    assert [e.article_id for e in out] == [a.id for a in articles]
    assert sorted(stored) == sorted(a.id for a in articles)  # each stored exactly once
    assert all(e.sentences and e.entities for e in out)
