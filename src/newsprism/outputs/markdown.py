"""Markdown report rendered from the JSON document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from newsprism.outputs.view import quoted, speaker_quotes, story_sections, storyline_groups


def _cite(c: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    source = articles.get(c["article"], {}).get("source")
    where = f"{c['article']} {c['start']}–{c['end']}"
    return f"[{source}: {where}]" if source else f"[{where}]"


def _framing_item(t: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    """One framing item: its kind, the outlet's wording against the others', its citations."""
    kind = t.get("kind") or "term"
    what = f"{kind} ({t['aspect']})" if t.get("aspect") else kind
    if t.get("entity"):
        what += f" of {t['entity']}"
    ours = _one_line(str(t.get("ours") or t.get("term") or ""))
    theirs = _one_line(str(t.get("theirs") or ""))
    names = t.get("with") or t.get("others") or ["others"]
    verb = "writes" if len(names) == 1 and names != ["others"] else "write"
    shown = quoted([ours])  # (scare quotes bring their own marks: "““disgrace””" had been shown)
    if kind == "hedge":  # the counterpart is the lexicon's neutral word, not a quote of others
        line = f"*{what}*: {shown}" + (f" (neutral: “{theirs}”)" if theirs else "")
    else:
        where = f" where {', '.join(names)} {verb} “{theirs}”" if theirs else ""
        line = f"*{what}*: {shown}{where}"
    cites = " ".join(_cite(c, articles) for c in t.get("evidence") or t.get("examples") or [])
    return f"{line} {cites}".rstrip()


_HTML_SPECIAL = re.compile(r"[<>]|&(?=#?\w+;)|\]\(")


def escape_raw_html(markdown: str) -> str:
    """``markdown`` with no raw HTML and no inline link left in it (the report's own Markdown
    uses neither): ``<``, ``>`` and entity-like ``&`` become entities, ``](`` is broken so
    article text cannot make a link or load an image. Everything that came from an article
    (titles, outlets, quotes, file names...) shows as text in any viewer."""
    return _HTML_SPECIAL.sub(
        lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(m.group(0), "]\\("), markdown
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _story(story: dict[str, Any], articles: dict[str, dict[str, Any]], h: str) -> list[str]:
    """One story's section; ``h`` is the Markdown mark of its heading (``##``, ``###``)."""
    out: list[str] = []
    out += [f"{h} {_one_line(story['title'])}", ""]
    meta = f"{len(story['articles'])} articles"
    if story.get("outlets"):
        meta += " from " + ", ".join(story["outlets"])
    span = sorted({d for d in (story.get("first_published"), story.get("last_published")) if d})
    if span:
        meta += f" ({' to '.join(span)})"
    out += [f"*{meta}*", ""]
    for section in story_sections(story):
        out += [f"{h}# {section.title}", ""]
        for item in section.items:
            cites = " ".join(_cite(c, articles) for c in item.citations)
            label = f"**{item.label}** " if item.label else ""
            note = f" — *{_one_line(item.note)}*" if item.note else ""
            out.append(f"- {label}{_one_line(item.text)} {cites}{note}")
        out.append("")
    quotes = story.get("quotes") or []
    if quotes:
        out += [f"{h}# Who said what", ""]
        for group in quotes:
            out.append(f"- **{group.get('speaker') or 'unattributed'}**")
            for q in speaker_quotes(group):
                how = f"*{q.cue}* " if q.cue else ""
                via = f", via {q.via}" if q.via else ""
                out.append(f"  - {how}{q.content} ({', '.join(q.outlets)}; {q.kind}{via})")
        out.append("")
    framing = story.get("framing") or {}
    if any(framing.values()):
        out += [f"{h}# Framing", ""]
        for outlet, items in framing.items():
            if not items:
                continue
            out.append(f"- **{outlet}**")
            for t in items[:8]:
                out.append(f"  - {_framing_item(t, articles)}")
        out.append("")
    out += [f"{h}# Articles", ""]
    for aid in story["articles"]:
        a = articles.get(aid, {})
        dup = f" — copy of {a['duplicate_of']}" if a.get("duplicate_of") else ""
        title = _one_line(a.get("title") or "(untitled)")
        out.append(
            f"- `{aid}` {title} — {a.get('source') or 'unknown outlet'}, "
            f"{a.get('published') or 'date unknown'}{dup}"
        )
    out.append("")
    return out


def _storyline(
    line: dict[str, Any], stories: list[dict[str, Any]], articles: dict[str, dict[str, Any]]
) -> list[str]:
    """A storyline's heading, span and its stories' events in order."""
    n_articles = sum(len(s["articles"]) for s in stories)
    meta = f"Storyline: {len(stories)} stories, {n_articles} articles"
    span = sorted({d for d in (line.get("first_published"), line.get("last_published")) if d})
    if span:
        meta += f" ({' to '.join(span)})"
    out = [f"## {_one_line(line.get('title') or line['id'])}", "", f"*{meta}*", ""]
    if line.get("timeline"):
        titles = {s["id"]: s["title"] for s in stories}
        out += ["### Storyline timeline", ""]
        for e in line["timeline"]:
            cites = " ".join(_cite(c, articles) for c in e.get("sources", []))
            label = e.get("label") or e.get("date")
            story = _one_line(titles.get(e.get("story"), ""))
            out.append(f"- **{label}** {_one_line(e['text'])} ({story}) {cites}")
        out.append("")
    return out


def story_markdown(story: dict[str, Any], articles: dict[str, dict[str, Any]], h: str) -> str:
    """One story's section of the report (escaped); ``h`` is its heading's mark: ``##``, or
    ``###`` inside a storyline of several stories."""
    return escape_raw_html("\n".join(_story(story, articles, h)))


def markdown_report(
    doc: dict[str, Any], stories: list[dict[str, Any]], section: Callable[[int, str], str]
) -> str:
    """The report around its story sections: ``section(i, h)`` is the section of the story
    ``stories[i]`` (a record with at least its id, title and articles) under heading ``h``."""
    return "\n".join(markdown_parts(doc, stories, section))


def markdown_parts(
    doc: dict[str, Any], stories: list[dict[str, Any]], section: Callable[[int, str], str]
) -> Iterator[str]:
    """:func:`markdown_report`'s parts, to be joined by newlines, each made only when it is
    reached (``section`` is called story by story, in the report's order).

    Escaping works on each part alone: the parts are joined by newlines, and no escaped
    sequence (``<``, ``>``, ``&name;``, ``](``) holds a newline."""
    articles = {a["id"]: a for a in doc["articles"]}
    s = doc["summary"]
    head = [
        "# newsprism report",
        "",
        f"{s['articles']} articles in {s['stories']} stories"
        + (f" ({s['storylines']} storylines)" if s.get("storylines") else "")
        + f"; {s['files_read']} files read, "
        f"{s['skipped']} skipped.",
        "",
    ]
    yield escape_raw_html("\n".join(head))
    index = {id(story): i for i, story in enumerate(stories)}
    for line, members in storyline_groups({**doc, "stories": stories}):
        h = "##"
        if line is not None and len(members) > 1:
            yield escape_raw_html("\n".join(_storyline(line, members, articles)))
            h = "###"
        for story in members:
            yield section(index[id(story)], h)
    if doc.get("skipped"):
        tail = ["## Skipped inputs", ""]
        tail += [f"- `{x['path']}`: {x['reason']}" for x in doc["skipped"]]
        tail.append("")
        yield escape_raw_html("\n".join(tail))


def render_markdown(doc: dict[str, Any]) -> str:
    """The Markdown report of a document."""
    articles = {a["id"]: a for a in doc["articles"]}
    stories = doc.get("stories", [])
    return markdown_report(doc, stories, lambda i, h: story_markdown(stories[i], articles, h))
