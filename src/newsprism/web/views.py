"""What the story page shows, built from a stored story and its articles: every citation
resolved to its source sentence and outlet, the coverage matrix, the charts. Pure: dicts in,
dicts out (the templates only lay them out, and escape everything)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from newsprism.model import Article
from newsprism.outputs.view import speaker_quotes
from newsprism.web.charts import Point, first_day, lanes_svg, timeline_svg
from newsprism.web.highlight import anchor_id

SECTIONS = {
    "key": "Key facts",
    "adds": "What each outlet adds",
    "conflict": "Where outlets disagree",
    "timeline": "Timeline",
}


@lru_cache(maxsize=65536)
def _article_path(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def article_href(article_id: str, start: int | None = None, end: int | None = None) -> str:
    href = _article_path(article_id)
    if isinstance(start, int) and isinstance(end, int):
        href += "#" + anchor_id(start, end)
    return href


def citation(
    c: dict[str, Any],
    articles: dict[str, Article],
    memo: dict[tuple[Any, ...], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A citation with the text it points at (the source sentence), its outlet and its link.

    With ``memo`` (one per page), a span cited again (a fact's source in the brief, the facts
    and the timeline) reuses the citation already built: same span, same outlet, same HTML."""
    aid = str(c.get("article", ""))
    start, end = c.get("start"), c.get("end")
    if memo is not None:
        key = (aid, start, end, c.get("outlet"), None if isinstance(start, int) else c.get("text"))
        found = memo.get(key)
        if found is None:
            found = memo[key] = citation(c, articles)
        return found
    article = articles.get(aid)
    text = c.get("text")
    if article is not None and isinstance(start, int) and isinstance(end, int):
        text = article.text[start:end]
    outlet = c.get("outlet") or (article.source if article else None) or aid
    href = article_href(aid, start, end)
    return {
        "article": aid,
        "start": start,
        "end": end,
        "text": text or "",
        "outlet": outlet,
        "href": href,
        # built here rather than by a template macro: a story page holds hundreds of them
        "html": Markup(
            f'<a class="cite" href="{escape(href)}" title="{escape(outlet)}">{escape(outlet)}'
            f'<span class="cite-src" role="tooltip">{escape(text or "")}</span></a>'
        ),
    }


def _day(value: str | None) -> dt.date | None:
    return first_day((value or "")[:10]) if value else None


def attention(articles: list[Article]) -> dict[str, dict[dt.date, int]]:
    """Articles per day per outlet."""
    lanes: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for a in articles:
        day = _day(a.published)
        if day is not None:
            lanes[a.source or "(unknown outlet)"][day] += 1
    return {k: dict(v) for k, v in sorted(lanes.items())}


def story_view(story: dict[str, Any], articles: dict[str, Article]) -> dict[str, Any]:
    members = [articles[a] for a in story.get("articles") or [] if a in articles]
    memo: dict[tuple[Any, ...], dict[str, Any]] = {}

    def cite(c: dict[str, Any]) -> dict[str, Any]:
        return citation(c, articles, memo)

    brief: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in story.get("brief") or []:
        brief[str(line.get("section") or "key")].append(
            {
                "text": line.get("text", ""),
                "citations": [cite(c) for c in line.get("citations") or []],
            }
        )
    facts = []
    for f in story.get("facts") or []:
        facts.append(
            {
                "id": f.get("id"),
                "text": f.get("text", ""),
                "status": f.get("status", ""),
                "outlets": f.get("outlets") or [],
                "sources": [cite(s) for s in f.get("sources") or []],
                "conflicts": [
                    {
                        "slot": c.get("slot"),
                        "values": [
                            {"value": v.get("value"), **cite(v)}
                            for v in c.get("values") or []
                        ],
                    }
                    for c in f.get("conflicts") or []
                ],
            }
        )
    coverage = story.get("coverage") or {}
    fact_text = {f["id"]: f["text"] for f in facts}
    on, off = Markup('<td class="on">●</td>'), Markup('<td class="off">·</td>')
    matrix = [
        {"outlet": outlet, "cells": Markup("").join(on if x else off for x in row)}
        for outlet, row in zip(
            coverage.get("outlets") or [], coverage.get("matrix") or [], strict=False
        )
    ]
    matrix_facts = [
        {"id": fid, "text": fact_text.get(fid, "")} for fid in coverage.get("facts") or []
    ]
    timeline = [
        {
            "date": e.get("date"),
            "text": e.get("text", ""),
            "sources": [cite(s) for s in e.get("sources") or []],
        }
        for e in story.get("timeline") or []
    ]
    points = [
        Point(day, t["text"], t["sources"][0]["href"] if t["sources"] else None)
        for t in timeline
        if (day := first_day(t["date"])) is not None
    ]
    quotes = [
        {"speaker": g.get("speaker") or "(unknown)", "lines": speaker_quotes(g)}
        for g in story.get("quotes") or []
    ]
    framing = [
        {
            "outlet": outlet,
            "terms": [
                {
                    "kind": t.get("kind") or "term",
                    "aspect": t.get("aspect"),
                    "entity": t.get("entity"),
                    "term": t.get("ours") or t.get("term"),
                    "theirs": t.get("theirs") or "",
                    "score": t.get("score"),
                    "others": t.get("with") or t.get("others") or [],
                    "examples": [
                        cite(x)
                        for x in (t.get("evidence") or t.get("examples") or [])[:4]
                    ],
                }
                for t in terms or []
            ],
        }
        for outlet, terms in sorted((story.get("framing") or {}).items())
    ]
    events = [_event(ev, articles) for ev in story.get("events") or [] if isinstance(ev, dict)]
    return {
        "id": story.get("id"),
        "title": story.get("title") or story.get("id"),
        "first_published": story.get("first_published"),
        "last_published": story.get("last_published"),
        "outlets": story.get("outlets") or [],
        "storyline": story.get("storyline"),
        "sections": [
            {"key": k, "title": SECTIONS.get(k, k), "lines": brief[k]}
            for k in [*SECTIONS, *(k for k in brief if k not in SECTIONS)]
            if brief.get(k)
        ],
        "facts": facts,
        "conflicts": [f for f in facts if f["conflicts"]],
        "matrix": matrix,
        "matrix_facts": matrix_facts,
        "timeline": timeline,
        "timeline_svg": timeline_svg(points),
        "attention_svg": lanes_svg(attention(members), "articles per day per outlet"),
        "quotes": quotes,
        "framing": framing,
        "events": events,
        "entities": story.get("entities") or [],
        "articles": [
            {
                "id": a.id,
                "title": a.title or a.id,
                "source": a.source,
                "published": a.published,
                "href": article_href(a.id),
            }
            for a in members
        ],
    }


def _event(ev: dict[str, Any], articles: dict[str, Article]) -> dict[str, Any]:
    """An event row as the story stores it: a trigger span as a dict, or the flat form
    (``trigger`` text, ``trigger_start``/``trigger_end``, ``sentence_start``/``sentence_end``)."""
    trigger = ev.get("trigger")
    aid = ev.get("article")
    cites = [citation(c, articles) for c in ev.get("sources") or ev.get("citations") or []]
    span: tuple[Any, Any] | None = None
    if isinstance(ev.get("sentence_start"), int) and isinstance(ev.get("sentence_end"), int):
        span = (ev["sentence_start"], ev["sentence_end"])
    elif isinstance(trigger, dict):
        span = (trigger.get("start"), trigger.get("end"))
    elif isinstance(ev.get("trigger_start"), int):
        span = (ev.get("trigger_start"), ev.get("trigger_end"))
    if aid and span is not None:
        cites.append(
            citation(
                {"article": aid, "start": span[0], "end": span[1], "outlet": ev.get("outlet")},
                articles,
            )
        )
    text = trigger.get("text") if isinstance(trigger, dict) else trigger
    return {
        "type": ev.get("type") or ev.get("kind") or "",
        "source_actor": ev.get("source_actor") or ev.get("source_country") or "",
        "target_actor": ev.get("target_actor") or ev.get("target_country") or "",
        "date": ev.get("date") or "",
        "text": ev.get("text") or text or "",
        "citations": cites,
    }


def mentions_svg(by_day: dict[str, int], name: str) -> Markup:
    counts = {d: n for k, n in by_day.items() if (d := first_day(k)) is not None}
    return lanes_svg({name: counts}, "mentions per day") if counts else Markup("")
