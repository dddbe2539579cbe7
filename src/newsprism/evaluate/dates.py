"""Scorer for the temporal tagger on TempEval-3 style records.

Records: ``doc_id, dct, title, text, timexes[{start, end, text, type, value}]``. Metrics:

- ``date_value_accuracy``: share of gold DATE timexes for which :func:`find_dates` produces an
  overlapping mention with exactly the same value (end to end: detection + normalization);
- ``value_accuracy_all_types``: the same over every gold timex (DATE, TIME, DURATION, SET);
- ``detection_precision`` / ``detection_recall`` / ``detection_f1``: span overlap, all types;
- ``type_accuracy``: share of detected gold timexes whose overlapping mention has the gold type;
- ``ms_per_kchar``: tagging speed.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from newsprism.evaluate import read_jsonl
from newsprism.model import DateMention
from newsprism.nlp.dates import find_dates

log = logging.getLogger(__name__)


def _overlapping(gold: dict[str, Any], predicted: list[DateMention]) -> list[DateMention]:
    return [p for p in predicted if p.start < gold["end"] and gold["start"] < p.end]


def score_records(records: list[dict[str, Any]]) -> dict[str, float]:
    """Metrics over already loaded records (see the module docstring)."""
    n_gold = n_date = n_date_ok = n_all_ok = n_found = n_type_ok = 0
    n_pred = n_pred_ok = 0
    chars = 0
    elapsed = 0.0
    for rec in records:
        text = rec.get("text") or ""
        t0 = time.perf_counter()
        predicted = find_dates(text, rec.get("dct"))
        elapsed += time.perf_counter() - t0
        chars += len(text)
        golds = rec.get("timexes") or []
        for gold in golds:
            hits = _overlapping(gold, predicted)
            n_gold += 1
            same_value = any(p.value == gold.get("value") for p in hits)
            if hits:
                n_found += 1
                n_type_ok += any(p.type == gold.get("type") for p in hits)
            n_all_ok += same_value
            if gold.get("type") == "DATE":
                n_date += 1
                n_date_ok += same_value
                if not same_value:
                    log.debug(
                        "%s: DATE %r gold %s, got %s",
                        rec.get("doc_id"),
                        gold.get("text"),
                        gold.get("value"),
                        [(p.text, p.value) for p in hits],
                    )
        for p in predicted:
            n_pred += 1
            n_pred_ok += any(p.start < g["end"] and g["start"] < p.end for g in golds)
    precision = n_pred_ok / n_pred if n_pred else 0.0
    recall = n_found / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "date_value_accuracy": n_date_ok / n_date if n_date else 0.0,
        "value_accuracy_all_types": n_all_ok / n_gold if n_gold else 0.0,
        "detection_precision": precision,
        "detection_recall": recall,
        "detection_f1": f1,
        "type_accuracy": n_type_ok / n_found if n_found else 0.0,
        "gold_timexes": float(n_gold),
        "gold_dates": float(n_date),
        "ms_per_kchar": 1000.0 * elapsed / (chars / 1000.0) if chars else 0.0,
    }


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Score :func:`~newsprism.nlp.dates.find_dates` on the JSON Lines file ``path``."""
    records: list[dict[str, Any]] = []
    for rec in read_jsonl(Path(path)):
        records.append(rec)
        if limit is not None and len(records) >= limit:
            break
    return score_records(records)
