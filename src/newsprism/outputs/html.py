"""Self-contained HTML report (one file, no external assets; all article text escaped)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from newsprism.outputs.view import speaker_quotes, story_sections, storyline_groups


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("newsprism", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cite_id"] = cite_id
    env.filters["speaker_quotes"] = speaker_quotes
    env.globals["cite_labels"] = cite_labels
    return env


def cite_id(article: str, start: int, end: int) -> str:
    return f"c-{article}-{start}-{end}"


def cite_labels(citations: list[dict[str, Any]], articles: dict[str, dict[str, Any]]) -> list[str]:
    """A label per citation: the outlet, numbered when one line cites it more than once."""
    names = [articles.get(c["article"], {}).get("source") or c["article"] for c in citations]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} {seen[name]}")
    return out


def highlight(text: str, spans: list[tuple[int, int]], article: str) -> Markup:
    """The article text, escaped, with each cited span wrapped in an anchored ``<mark>``."""
    parts: list[str] = []
    pos = 0
    for start, end in sorted(set(spans)):
        if start < pos or end > len(text) or start >= end:
            continue  # overlapping or out-of-range spans are shown once, unmarked
        parts.append(str(escape(text[pos:start])))
        parts.append(
            f'<mark id="{escape(cite_id(article, start, end))}">{escape(text[start:end])}</mark>'
        )
        pos = end
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))


def render_html(doc: dict[str, Any]) -> str:
    articles = {a["id"]: a for a in doc["articles"]}
    cited: dict[str, list[tuple[int, int]]] = {}
    groups = []
    for line, members in storyline_groups(doc):
        stories = []
        for story in members:
            sections = story_sections(story)
            for section in sections:
                for item in section.items:
                    for c in item.citations:
                        cited.setdefault(c["article"], []).append((c["start"], c["end"]))
            for items in (story.get("framing") or {}).values():
                for t in items[:8]:  # the framing items the report shows, with their spans
                    for c in t.get("evidence") or []:
                        cited.setdefault(c["article"], []).append((c["start"], c["end"]))
            stories.append({"story": story, "sections": sections})
        groups.append({"line": line if len(members) > 1 else None, "stories": stories})
    bodies = {aid: highlight(a["text"], cited.get(aid, []), aid) for aid, a in articles.items()}
    return (
        _env()
        .get_template("report.html.j2")
        .render(doc=doc, groups=groups, articles=articles, bodies=bodies)
    )
