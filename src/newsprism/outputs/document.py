"""The versioned JSON document (``stories.json``); its schema is documented in docs/schema.md."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from newsprism import __version__
from newsprism.model import SCHEMA_VERSION, AnalysisResult, Article, Story


def article_to_dict(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "path": a.path,
        "title": a.title,
        "source": a.source,
        "published": a.published,
        "url": a.url,
        "authors": a.authors,
        "language": a.language,
        "duplicate_of": a.duplicate_of,
        "captions": a.captions,
        "meta_origin": a.meta_origin,
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
        "text": a.text,
    }


def story_to_dict(story: Story, articles: dict[str, Article]) -> dict[str, Any]:
    members = [articles[i] for i in story.articles if i in articles]
    dates = sorted(a.published for a in members if a.published)
    outlets = sorted({a.source for a in members if a.source})
    return {
        "id": story.id,
        "title": story.title,
        "articles": story.articles,
        "outlets": outlets,
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "brief": [line.to_dict() for line in story.brief],
        **story.extra,
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
        "skipped": [{"path": s.path, "kind": s.kind, "reason": s.reason} for s in result.skipped],
        "articles": [article_to_dict(a) for a in result.articles],
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "variants": e.variants,
                "articles": e.articles,
                "mentions": e.mentions,
                "roles": e.roles,
            }
            for e in result.entities
        ],
        "storylines": [line.to_dict() for line in result.storylines],
        "stories": [story_to_dict(s, by_id) for s in result.stories],
    }
