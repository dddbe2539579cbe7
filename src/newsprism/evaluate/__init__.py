"""Scorers over the annotated evaluation data in ``../shared/data``.

Each task lives in its own module exposing ``score(path: Path, limit: int | None = None)
-> dict[str, float]``; :func:`run` (``tasks.py``) dispatches by task name, :func:`read_jsonl`
(``data.py``) reads the files. Quality floors for these scores are pinned in
``tests/quality_floors.json`` and checked by ``tests/test_quality_floors.py``.
"""

from __future__ import annotations

from newsprism.errors import EvaluationDataError
from newsprism.evaluate.data import read_jsonl
from newsprism.evaluate.tasks import TASKS, run

__all__ = ["TASKS", "EvaluationDataError", "read_jsonl", "run"]
