"""The versioned JSON document (``stories.json``); its schema is documented in docs/schema.md."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from newsprism import __version__
from newsprism.model import SCHEMA_VERSION, AnalysisResult, Article, Story


def article_to_dict(a: Article) -> dict[str, Any]:
    """An article as ``stories.json`` lists it: its record without the raw text and hash."""
    d = a.to_dict()
    d.pop("content_hash", None)
    return d


def story_to_dict(story: Story, articles: dict[str, Article]) -> dict[str, Any]:
    """A story's record with the fields derived from its articles: its outlets and its first
    and last publication dates."""
    members = [articles[i] for i in story.articles if i in articles]
    dates = sorted(a.published for a in members if a.published)
    body = story.to_dict()
    return {
        "id": body.pop("id"),
        "title": body.pop("title"),
        "articles": body.pop("articles"),
        "outlets": sorted({a.source for a in members if a.source}),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        **body,
    }


def result_to_document(result: AnalysisResult) -> dict[str, Any]:
    by_id = {a.id: a for a in result.articles}
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
        "stories": [story_to_dict(s, by_id) for s in result.stories],
    }


def document_json(doc: dict[str, Any]) -> str:
    """The document as JSON text: one record per line in each top-level list (articles,
    stories...), each record compact. Indenting the whole document would run through Python's
    slow encoder, seconds on a large archive; this way the C encoder writes every record and
    the file still reads line by line (``grep``, ``jq -c``)."""
    parts = []
    for key, value in doc.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            rows = ",\n".join(json.dumps(x, ensure_ascii=False) for x in value)
            parts.append(f"{name}: [\n{rows}\n]")
        else:
            parts.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
