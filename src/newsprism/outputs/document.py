"""The versioned JSON document (``stories.json``); its schema is documented in docs/schema.md."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from newsprism import __version__
from newsprism.model import SCHEMA_VERSION, AnalysisResult, Article
from newsprism.record import story_to_dict


def article_to_dict(a: Article) -> dict[str, Any]:
    """An article as ``stories.json`` lists it: its record without the raw text and hash."""
    d = a.to_dict()
    d.pop("content_hash", None)
    return d


def result_to_document(result: AnalysisResult) -> dict[str, Any]:
    """The document of a run (``stories.json``'s content)."""
    by_id = {a.id: a for a in result.articles}
    return document(result, [story_to_dict(s, by_id) for s in result.stories])


def document(result: AnalysisResult, stories: list[dict[str, Any]]) -> dict[str, Any]:
    """The document of a run with ``stories`` as its story records: the records themselves
    (:func:`result_to_document`), or stand-ins that the writers complete from the output cache
    (:mod:`newsprism.outputs.pieces`)."""
    skipped_by_kind = Counter(s.kind for s in result.skipped)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "newsprism", "version": __version__},
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "summary": {
            "files_read": result.files_read,
            "unchanged": result.unchanged,
            "new_articles": result.new_articles,
            "articles": len(result.articles),
            "stories": len(result.stories),
            "storylines": len(result.storylines),
            "skipped": len(result.skipped),
            "skipped_by_reason": dict(sorted(skipped_by_kind.items())),
        },
        "skipped": [s.to_dict() for s in result.skipped],
        "articles": [article_to_dict(a) for a in result.articles],
        "entities": [e.to_dict() for e in result.entities],
        "storylines": [line.to_dict() for line in result.storylines],
        "stories": stories,
    }


def document_json(doc: dict[str, Any], lines: Mapping[str, Iterable[str]] | None = None) -> str:
    """The document as JSON text: one record per line in each top-level list (articles,
    stories...), each record compact. Indenting the whole document would run through Python's
    slow encoder, seconds on a large archive; this way the C encoder writes every record and
    the file still reads line by line (``grep``, ``jq -c``). ``lines`` holds lists already
    encoded, a line per record (the stories' lines from the output cache)."""
    return "".join(document_parts(doc, lines))


def document_parts(
    doc: dict[str, Any], lines: Mapping[str, Iterable[str]] | None = None
) -> Iterator[str]:
    """:func:`document_json`'s text in parts, each list's records taken one at a time (``lines``
    may be generators), so the file can be written without ever being whole in memory."""
    yield "{\n"
    for n, (key, value) in enumerate(doc.items()):
        if n:
            yield ",\n"
        yield f"{json.dumps(key)}: "
        rows = (lines or {}).get(key)
        if rows is None and isinstance(value, list) and value:
            rows = (record_line(x) for x in value)
        first = True
        for row in rows or ():
            yield "[\n" if first else ",\n"
            yield row
            first = False
        if not first:
            yield "\n]"
        else:
            yield json.dumps(value, ensure_ascii=False)
    yield "\n}\n"


def record_line(record: Any) -> str:
    """A record as one line of the document."""
    return json.dumps(record, ensure_ascii=False)
