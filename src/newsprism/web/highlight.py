"""An article's cleaned text cut into segments, each tagged with what covers it (entity, quote,
date, cited span), so the page can highlight them without nesting markup by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from newsprism.model import Enriched


@dataclass
class Mark:
    start: int
    end: int
    kind: str  # entity | quote | date | cited
    title: str = ""


@dataclass
class Segment:
    text: str
    start: int
    kinds: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # ids of cited spans starting here


def anchor_id(start: int, end: int) -> str:
    return f"c-{start}-{end}"


def article_marks(text: str, enriched: Enriched | None, cited: list[tuple[int, int]]) -> list[Mark]:
    marks: list[Mark] = []
    if enriched is not None:
        for m in enriched.entities:
            marks.append(Mark(m.start, m.end, "entity", f"{m.canonical or m.name} ({m.label})"))
        for d in enriched.dates:
            marks.append(Mark(d.start, d.end, "date", f"{d.type}: {d.value or '?'}"))
        for a in enriched.attributions:
            for c in a.content:
                marks.append(Mark(c.start, c.end, "quote", f"said by {a.speaker or '?'}"))
    marks += [Mark(s, e, "cited", "cited in a story") for s, e in cited]
    n = len(text)
    return [m for m in marks if 0 <= m.start < m.end <= n]


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece lists the kinds of the marks covering it."""
    cuts = {0, len(text)}
    for m in marks:
        cuts.update((m.start, m.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out: list[Segment] = []
    for lo, hi in pairwise(bounds):
        active = [m for m in active if m.end > lo] + starts.get(lo, [])
        kinds = sorted({m.kind for m in active})
        titles = list(dict.fromkeys(m.title for m in active if m.title))
        anchors = [anchor_id(m.start, m.end) for m in starts.get(lo, []) if m.kind == "cited"]
        out.append(Segment(text[lo:hi], lo, kinds, titles, list(dict.fromkeys(anchors))))
    return out


def cited_spans(article_id: str, stories: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Every span of ``article_id`` that a story cites: brief citations, fact sources, conflict
    values, timeline sources and quotes."""
    spans: list[tuple[int, int]] = []

    def add(d: dict[str, Any] | None) -> None:
        if isinstance(d, dict) and d.get("article") == article_id:
            s, e = d.get("start"), d.get("end")
            if isinstance(s, int) and isinstance(e, int):
                spans.append((s, e))

    for story in stories:
        for line in story.get("brief") or []:
            for c in line.get("citations") or []:
                add(c)
        for fact in story.get("facts") or []:
            for src in fact.get("sources") or []:
                add(src)
            for conflict in fact.get("conflicts") or []:
                for v in conflict.get("values") or []:
                    add(v)
        for entry in story.get("timeline") or []:
            for src in entry.get("sources") or []:
                add(src)
    return sorted(set(spans))
