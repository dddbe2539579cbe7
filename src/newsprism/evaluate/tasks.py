"""The evaluation tasks by name, and running one."""

from __future__ import annotations

import importlib
from pathlib import Path

from newsprism.errors import EvaluationDataError

#: task name -> the module whose ``score(path, limit)`` scores it
TASKS: dict[str, str] = {
    "dates": "newsprism.evaluate.dates",
    "attributions": "newsprism.evaluate.attributions",
    "cluster": "newsprism.evaluate.cluster",
    "summarize": "newsprism.evaluate.summarize",
    "storylines": "newsprism.evaluate.storylines",
    "events": "newsprism.evaluate.events",
    "align": "newsprism.evaluate.align",
}


def run(task: str, path: Path, limit: int | None = None) -> dict[str, float]:
    """Score ``task`` on the evaluation file ``path``; returns metric name -> value."""
    if task not in TASKS:
        raise EvaluationDataError(f"unknown task {task!r}; choose from {', '.join(sorted(TASKS))}")
    # lazy: each scorer loads the models its task needs
    module = importlib.import_module(TASKS[task])
    return module.score(Path(path), limit=limit)
