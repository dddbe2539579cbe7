"""The stage commands on JSON Lines (stable contracts, see docs/cli.md).

Each stage is a pure function from input records to output records; reading and writing
JSON Lines lives in :func:`read_records` / :func:`write_records`. A malformed input line is
reported (``BadRecord``) and skipped; it never stops the stage. The CLI imports this module for
every command (``newsprism --help`` included), so a stage imports its NLP modules when it runs.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsprism.settings import Granularity, default
from newsprism.stories.summarize import summarize

log = logging.getLogger(__name__)


_TEXT_FIELDS = frozenset({"text", "a", "b"})  # required fields that must hold a string


@dataclass(frozen=True)
class BadRecord:
    where: str  # "file.jsonl:12"
    reason: str


def read_records(
    path: str | Path, required: tuple[str, ...] = ("id",)
) -> Iterator[dict[str, Any] | BadRecord]:
    """JSON Lines records from ``path`` (``-`` = stdin); bad lines come out as :class:`BadRecord`."""
    name = "<stdin>" if str(path) == "-" else str(path)
    if str(path) == "-":
        yield from _records(sys.stdin, name, required)
        return
    with open(path, encoding="utf-8", errors="replace") as fh:
        yield from _records(fh, name, required)


def _records(
    fh: IO[str], name: str, required: tuple[str, ...]
) -> Iterator[dict[str, Any] | BadRecord]:
    first_line: dict[str, int] = {}  # id (as JSON) -> line it was first seen on
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadRecord(f"{name}:{n}", f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:  # found by tests/test_fuzz.py
            yield BadRecord(f"{name}:{n}", "not valid JSON (nested too deeply)")
            continue
        if not isinstance(rec, dict):
            yield BadRecord(f"{name}:{n}", f"expected a JSON object, got {type(rec).__name__}")
            continue
        missing = [k for k in required if k not in rec]
        if missing:
            yield BadRecord(f"{name}:{n}", f"missing field(s): {', '.join(missing)}")
            continue
        wrong = [k for k in required if k in _TEXT_FIELDS and not isinstance(rec[k], str)]
        if wrong:
            yield BadRecord(f"{name}:{n}", f"field '{wrong[0]}' is not a string")
            continue
        if "id" in rec:  # a repeated id would make the output ambiguous: the first one wins
            key = json.dumps(rec["id"], sort_keys=True)
            if key in first_line:
                yield BadRecord(
                    f"{name}:{n}", f"duplicate id {key} (first on line {first_line[key]})"
                )
                continue
            first_line[key] = n
        yield rec


def write_records(records: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    n = 0
    for rec in records:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


# -- dates -----------------------------------------------------------------------------------


def dates_record(rec: dict[str, Any], published: str | None = None) -> dict[str, Any]:
    """``{"id", "text", "published"?}`` -> ``{"id", "dates": [{start, end, text, value, type}]}``."""
    from newsprism.nlp.dates import find_dates  # lazy: ~25 ms at import

    found = find_dates(rec["text"], rec.get("published") or published)
    return {
        "id": rec["id"],
        "dates": [
            {"start": d.start, "end": d.end, "text": d.text, "value": d.value, "type": d.type}
            for d in found
        ],
    }


# -- attributions ----------------------------------------------------------------------------


def attributions_records(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """``{"id", "text"}`` -> ``{"id", "attributions": [...]}`` (contract in docs/cli.md)."""
    from newsprism.nlp.attributions import extract_attributions  # lazy: pulls numpy
    from newsprism.nlp.entities import extract_entities  # lazy: loads spacy
    from newsprism.nlp.pipeline import parse_many  # lazy: pulls numpy

    docs = parse_many(rec["text"] for rec in records)
    for rec, doc in zip(records, docs, strict=True):
        mentions = extract_entities(doc)
        atts = extract_attributions(doc, mentions)
        yield {"id": rec["id"], "attributions": [a.to_dict() for a in atts]}


# -- events ----------------------------------------------------------------------------------


def events_records(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """``{"id", "text", "published"?}`` -> ``{"id", "events": [...]}`` (contract in docs/cli.md;
    each event also carries mode, plover_type, actor countries and sectors, date, location and
    reporter, see docs/events.md). A record whose extraction fails gets no events and a warning."""
    from newsprism.nlp.attributions import extract_attributions  # lazy: pulls numpy
    from newsprism.nlp.dates import find_dates  # lazy: ~25 ms at import
    from newsprism.nlp.entities import extract_entities  # lazy: loads spacy
    from newsprism.nlp.events import extract_events  # lazy: ~20 ms at import
    from newsprism.nlp.pipeline import parse_many  # lazy: pulls numpy

    docs = parse_many(rec["text"] for rec in records)
    for rec, doc in zip(records, docs, strict=True):
        try:
            mentions = extract_entities(doc)
            published = rec.get("published") if isinstance(rec.get("published"), str) else None
            found = extract_events(
                doc,
                mentions,
                find_dates(rec["text"], published),
                extract_attributions(doc, mentions),
            )
        except Exception as exc:  # one odd record never stops the stage
            log.warning("%s: event extraction failed: %s", rec["id"], exc)
            found = []
        yield {"id": rec["id"], "events": [e.to_dict() for e in found]}


# -- cluster ---------------------------------------------------------------------------------


def cluster_records(
    records: list[dict[str, Any]],
    granularity: Granularity = default("granularity"),
    use_embeddings: bool = default("use_embeddings"),
) -> list[dict[str, Any]]:
    """``{"id", "text", "title"?, "published"?, "source"?}`` -> ``{"id", "story"}`` in input order."""
    from newsprism.stories.cluster import ClusterDoc, ClusterSettings, cluster  # lazy: pulls numpy

    settings = ClusterSettings(granularity=granularity)
    settings.use_embeddings = use_embeddings
    docs = [
        ClusterDoc(
            id=str(r["id"]),
            text=r["text"],
            title=r.get("title"),
            published=r.get("published"),
            source=r.get("source"),
        )
        for r in records
    ]
    assignments = cluster(docs, settings)
    return [{"id": r["id"], "story": assignments[str(r["id"])]} for r in records]


# -- summarize -------------------------------------------------------------------------------


def summarize_record(rec: dict[str, Any], words: int = 100) -> dict[str, Any]:
    """``{"id", "articles": [text, ...]}`` -> ``{"id", "summary", "citations": [{article, start, end}]}``."""
    texts = [t if isinstance(t, str) else "" for t in rec.get("articles") or []]
    result = summarize(texts, words=words)
    return {
        "id": rec["id"],
        "summary": result.text,
        "citations": [{"article": i, "start": s, "end": e} for i, s, e in result.citations],
    }


# -- align -----------------------------------------------------------------------------------


def align_records(records: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """``{"id", "a", "b", "a_published"?, "b_published"?, "a_source"?, "b_source"?}`` ->
    ``{"id", "relation", "p_same", "conflicts": [{"slot", "a", "b"}]}``."""
    from newsprism.stories.pairs import PairInput, align_pairs  # lazy: loads spacy, torch

    pairs = [
        PairInput(
            a=r["a"],
            b=r["b"],
            a_published=_opt_str(r.get("a_published")),
            b_published=_opt_str(r.get("b_published")),
            a_source=_opt_str(r.get("a_source")),
            b_source=_opt_str(r.get("b_source")),
        )
        for r in records
    ]
    for rec, res in zip(records, align_pairs(pairs), strict=True):
        yield {"id": rec["id"], **res.to_dict()}


def _opt_str(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None
