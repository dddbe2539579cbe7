"""A story's record: the form in which the store keeps a story and ``stories.json`` lists it.

It is the story's own dict form (:mod:`newsprism.codec`) with the fields derived from its
articles. The story cache keeps stored records verbatim while they are still a story's record
(:func:`newsprism.stories.cache.code_fingerprint` hashes this module), so a change here makes
every story be built again once.
"""

from __future__ import annotations

from typing import Any

from newsprism.model import Article, Story


def story_to_dict(story: Story, articles: dict[str, Article]) -> dict[str, Any]:
    """A story's record with the fields derived from its articles (:func:`derived_fields`)."""
    body = story.to_dict()
    return {
        "id": body.pop("id"),
        "title": body.pop("title"),
        "articles": body.pop("articles"),
        **derived_fields(story, articles),
        **body,
    }


def derived_fields(story: Story, articles: dict[str, Article]) -> dict[str, Any]:
    """The fields of a story's record derived from its articles: its outlets and its first
    and last publication dates."""
    members = [articles[i] for i in story.articles if i in articles]
    dates = sorted(a.published for a in members if a.published)
    return {
        "outlets": sorted({a.source for a in members if a.source}),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
    }
