"""Scorers over the annotated evaluation data in ``../shared/data``.

Each task lives in its own module exposing ``score(path: Path, limit: int | None = None)
-> dict[str, float]``; :func:`run` dispatches by task name. Quality floors for these scores
are pinned in ``tests/quality_floors.json`` and checked by ``tests/test_quality_floors.py``.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsprism.errors import EvaluationDataError

log = logging.getLogger(__name__)

TASKS: dict[str, str] = {
    "dates": "newsprism.evaluate.dates",
    "attributions": "newsprism.evaluate.attributions",
    "cluster": "newsprism.evaluate.cluster",
    "summarize": "newsprism.evaluate.summarize",
    "storylines": "newsprism.evaluate.storylines",
    "events": "newsprism.evaluate.events",
    "align": "newsprism.evaluate.align",
}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise EvaluationDataError(f"{path}: no such file")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationDataError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc


def run(task: str, path: Path, limit: int | None = None) -> dict[str, float]:
    """Score ``task`` on the evaluation file ``path``; returns metric name -> value."""
    if task not in TASKS:
        raise EvaluationDataError(f"unknown task {task!r}; choose from {', '.join(sorted(TASKS))}")
    module = importlib.import_module(TASKS[task])
    return module.score(Path(path), limit=limit)
