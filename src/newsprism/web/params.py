"""Query parameters shared by the HTML pages and the JSON API, declared once: their types and
limits, and the story-list query both build from them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from newsprism.web.archive import StoryQuery

PageNo = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=200)]
Text = Annotated[str | None, Query(max_length=500)]


def story_query(
    q: Text = None,
    since: Text = None,
    until: Text = None,
    outlet: Text = None,
    entity: Text = None,
    status: Text = None,
    sort: Text = None,
    storyline: Text = None,
    page: PageNo = 1,
    per_page: PerPage = 20,
) -> StoryQuery:
    """The story list's query (search, filters, sort, page); empty values mean "not set"."""
    return StoryQuery(
        q or None,
        since or None,
        until or None,
        outlet or None,
        entity or None,
        status or None,
        sort or None,
        page,
        per_page,
        storyline or None,
    )
