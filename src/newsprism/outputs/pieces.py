"""The output files put together from each story's pieces, rendered only where they changed.

A story's pieces are its ``stories.json`` line, its ``report.md`` section and its
``report.html`` section. With an :class:`~newsprism.outputs.cache.OutputCache`, a piece is
taken from the cache while everything it was rendered from is unchanged, so adding an
article to a large archive renders the few stories it touched and copies the rest:

- the line depends on the story's record alone (the cache key hashes it);
- the Markdown section also on its heading level and the records of the articles it shows
  or cites;
- the HTML section also on those article records and on the spans of its own articles that
  any story cites (they are marked in the article texts).

The files are the same, byte for byte, as :func:`~newsprism.outputs.document.document_json`,
:func:`~newsprism.outputs.markdown.render_markdown` and
:func:`~newsprism.outputs.html.render_html` give for the whole document (both go through
:func:`~newsprism.outputs.markdown.story_markdown` and
:func:`~newsprism.outputs.html.story_html` for each story).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from newsprism.ingest.incremental import content_hash
from newsprism.model import AnalysisResult, Article, Story
from newsprism.outputs.cache import Entry, OutputCache, context_hash, story_key
from newsprism.outputs.document import document, document_json, record_line
from newsprism.outputs.html import html_report, story_citations, story_html
from newsprism.outputs.markdown import markdown_report, story_markdown
from newsprism.record import story_to_dict


@dataclass
class Rendered:
    """The text of each output file."""

    json: str
    markdown: str
    html: str


@dataclass
class _Piece:
    """One story on its way into the outputs: its cache key and entry, and its record once
    something had to be rendered from it."""

    key: str
    entry: Entry
    record: dict[str, Any] | None
    text: str  # the record as the store keeps it (JSON)
    changed: bool

    def data(self) -> dict[str, Any]:
        if self.record is None:
            self.record = json.loads(self.text)
        return self.record


def render_outputs(result: AnalysisResult, cache: OutputCache | None = None) -> Rendered:
    """The three output files of ``result``, each story's pieces taken from ``cache`` where
    they are still valid (and the new or changed ones handed to it for saving)."""
    by_id = {a.id: a for a in result.articles}
    stubs = [{"id": s.id, "title": s.title, "articles": s.articles} for s in result.stories]
    doc = document(result, stubs)
    article_lines = [record_line(a) for a in doc["articles"]]
    articles = {a["id"]: a for a in doc["articles"]}
    digest = {
        a["id"]: _digest(line) for a, line in zip(doc["articles"], article_lines, strict=True)
    }
    pieces = [_piece(s, by_id, result.story_texts, cache) for s in result.stories]

    cited: dict[str, list[tuple[int, int]]] = {}
    for p in pieces:
        for aid, start, end in p.entry.cited:
            cited.setdefault(aid, []).append((start, end))

    def shown(p: _Piece) -> list[tuple[str, str]]:
        return [(aid, digest.get(aid, "")) for aid in p.entry.refs]

    def markdown_section(i: int, h: str) -> str:
        p = pieces[i]
        context = context_hash("markdown", h, shown(p))
        if p.entry.markdown_context != context:
            p.entry.markdown = story_markdown(p.data(), articles, h)
            p.entry.markdown_context = context
            p.changed = True
        return p.entry.markdown

    def html_section(p: _Piece, members: list[str]) -> str:
        marks = [(aid, sorted(set(cited.get(aid, [])))) for aid in members]
        context = context_hash("html", shown(p), marks)
        if p.entry.html_context != context:
            p.entry.html = story_html(p.data(), articles, cited)
            p.entry.html_context = context
            p.changed = True
        return p.entry.html

    rendered = Rendered(
        json=document_json(
            doc, {"articles": article_lines, "stories": [p.entry.line for p in pieces]}
        ),
        markdown=markdown_report(doc, stubs, markdown_section),
        html=html_report(
            doc,
            stubs,
            [html_section(p, s.articles) for p, s in zip(pieces, result.stories, strict=True)],
        ),
    )
    if cache is not None:
        for p in pieces:
            if p.changed:
                cache.put(p.key, p.entry)
    return rendered


def _piece(
    story: Story, by_id: dict[str, Article], texts: dict[str, str], cache: OutputCache | None
) -> _Piece:
    record = None
    text = texts.get(story.id)
    if text is None:
        record = story_to_dict(story, by_id)
        text = json.dumps(record)
    key = story_key(text) if cache is not None else ""
    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        return _Piece(key, entry, record, text, changed=False)
    p = _Piece(key, Entry([], []), record, text, changed=True)
    data = p.data()
    p.entry.line = record_line(data)
    p.entry.refs = _refs(data)
    p.entry.cited = [
        (aid, start, end) for aid, spans in story_citations(data).items() for start, end in spans
    ]
    return p


def _refs(record: dict[str, Any]) -> list[str]:
    """Every article a story record names: its own, and any ``"article"`` of a nested record
    (citations, sources, quotes, attributions...)."""
    found = {a for a in record.get("articles") or [] if isinstance(a, str)}
    stack: list[Any] = [record]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            article = value.get("article")
            if isinstance(article, str):
                found.add(article)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return sorted(found)


def _digest(text: str) -> str:
    return content_hash(text)[:32]
