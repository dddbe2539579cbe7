"""The golden-corpus gate: every evaluation score must stay at or above its pinned floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism import evaluate

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
TASKS = sorted(k for k in FLOORS if not k.startswith("_"))


@pytest.mark.quality
@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS)
def test_score_at_or_above_floor(task: str, data_dir: Path) -> None:
    spec = FLOORS[task]
    if not spec["floors"]:
        pytest.skip(f"no floors pinned yet for {task}")
    path = data_dir / spec["data"]
    if not path.exists():
        pytest.skip(f"{path} is absent")
    scores = evaluate.run(task, path)
    below = {m: (scores.get(m), f) for m, f in spec["floors"].items() if scores.get(m, -1.0) < f}
    assert not below, (
        f"{task}: scores below their floors (score, floor): {below}; all scores: {scores}"
    )
