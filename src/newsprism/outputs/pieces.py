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
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from newsprism.model import AnalysisResult, Article, Story
from newsprism.outputs.cache import Entry, OutputCache, context_hash, story_key
from newsprism.outputs.document import document, document_parts, record_line
from newsprism.outputs.html import html_skeleton, story_citations, story_html
from newsprism.outputs.markdown import markdown_parts, story_markdown
from newsprism.outputs.write import Sink
from newsprism.record import story_to_dict
from newsprism.text import content_hash

log = logging.getLogger(__name__)


@dataclass
class _Piece:
    """One story on its way into the outputs: its cache key and entry (its texts held, or
    read from the cache when needed), and its record as the store keeps it (JSON)."""

    key: str
    entry: Entry
    text: str
    fresh: bool  # not in the cache: every piece is rendered

    def data(self) -> dict[str, Any]:
        """The story's record, decoded anew on each call: never held for long."""
        return cast(dict[str, Any], json.loads(self.text))


def write_outputs_streamed(
    result: AnalysisResult, cache: OutputCache | None, sinks: Sequence[Sink]
) -> None:
    """Write ``stories.json``, ``report.md`` and ``report.html`` of ``result`` into ``sinks``
    (in that order), each story's pieces taken from ``cache`` where they are still valid and
    the new or changed ones saved into it as soon as they are made.

    The reports are written story by story in their order (a story's Markdown and HTML sections
    are made together, from one decode of its record), then ``stories.json``; the pieces are
    read back from the cache where it holds them, so only about one story's pieces are in
    memory at a time, whatever the size of the archive."""
    json_out, md_out, html_out = sinks
    by_id = {a.id: a for a in result.articles}
    stubs = [{"id": s.id, "title": s.title, "articles": s.articles} for s in result.stories]
    doc = document(result, stubs)
    articles = {a["id"]: a for a in doc["articles"]}
    article_lines = [record_line(a) for a in doc["articles"]]  # (each encoded once)
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

    html_made: dict[int, str] = {}  # sections made along with their Markdown, not yet written

    def sections(i: int, h: str) -> str:
        """Story ``i``'s Markdown section under heading ``h``; its HTML section goes into
        ``html_made``. What changed is rendered, and the entry saved."""
        p = pieces[i]
        members = result.stories[i].articles
        md_context = context_hash("markdown", h, shown(p))
        marks = [(aid, sorted(set(cited.get(aid, [])))) for aid in members]
        html_context = context_hash("html", shown(p), marks)
        md_held, html_held = (
            p.entry.markdown_context == md_context,
            p.entry.html_context == html_context,
        )
        if md_held and html_held:  # (the usual case: both in one read)
            md, html = _held(p, 1, 2)
        else:
            md = _held(p, 1)[0] if md_held else None
            html = _held(p, 2)[0] if html_held else None
        if md is None or html is None:  # (always for a piece the cache did not hold)
            data = p.data()
            line = (None if p.fresh else _line(p)) or record_line(data)
            if md is None:
                md = story_markdown(data, articles, h)
            if html is None:
                html = story_html(data, articles, cited)
            p.entry.line, p.entry.markdown, p.entry.html = line, md, html
            p.entry.markdown_context, p.entry.html_context = md_context, html_context
            p.entry.where = None
            p.fresh = False
            if cache is not None:
                cache.put(p.key, p.entry)  # written: its texts are read back when needed
        html_made[i] = html
        return md

    markdown = markdown_parts(doc, stubs, sections)
    md_written = 0

    def write_markdown(until: int | None) -> None:
        """Write the Markdown parts up to story ``until``'s section (all: None)."""
        nonlocal md_written
        while until is None or until not in html_made:
            part = next(markdown, None)
            if part is None:
                return
            md_out.write(part if not md_written else "\n" + part)
            md_written += 1

    for part in html_skeleton(doc, stubs):
        if isinstance(part, str):
            html_out.write(part)
            continue
        write_markdown(part)
        if part not in html_made:  # (both reports list the stories in one order)
            sections(part, "##")
        html_out.write(html_made.pop(part))
    write_markdown(None)

    lines = {
        "articles": article_lines,
        "stories": (_line(p) or record_line(p.data()) for p in pieces),
    }
    for part in document_parts(doc, lines):
        json_out.write(part)


def _held(p: _Piece, i: int, last: int | None = None) -> list[str | None]:
    """Texts ``i`` to ``last`` of the piece's entry (:meth:`Entry.read`); None for each when
    its cache file cannot give them (the piece is rendered again)."""
    try:
        return list(p.entry.read(i, last))  # (a list of str | None)
    except (OSError, UnicodeDecodeError) as exc:
        log.debug("output cache entry %s: %s; rendered again", p.key, exc)
        return [None] * ((i if last is None else last) - i + 1)


def _line(p: _Piece) -> str | None:
    """The piece's ``stories.json`` line, from its entry."""
    return _held(p, 0)[0]


def _piece(
    story: Story, by_id: dict[str, Article], texts: dict[str, str], cache: OutputCache | None
) -> _Piece:
    text = texts.get(story.id)
    record = None
    if text is None:
        record = story_to_dict(story, by_id)
        text = json.dumps(record)
    key = story_key(text) if cache is not None else ""
    entry = cache.get(key) if cache is not None else None
    if entry is not None:
        return _Piece(key, entry, text, fresh=False)
    data = record if record is not None else json.loads(text)
    cited = [
        (aid, start, end) for aid, spans in story_citations(data).items() for start, end in spans
    ]
    return _Piece(key, Entry(_refs(data), cited), text, fresh=True)


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
