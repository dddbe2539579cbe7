"""Reading the evaluation files of ``../shared/data`` (JSON Lines)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsprism.errors import EvaluationDataError


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file; :class:`EvaluationDataError` names a missing file or
    the line that is not JSON."""
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
