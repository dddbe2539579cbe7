"""Self-contained HTML report (one file, no external assets; all article text escaped)."""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup, escape

from newsprism.outputs.view import quoted, speaker_quotes, story_sections, storyline_groups
from newsprism.runtime import cache_dir

log = logging.getLogger(__name__)


class _CompiledTemplates(FileSystemBytecodeCache):
    """The report templates compiled once and kept in ``cache_dir()/templates`` (Jinja2 checks
    each against its template's source and the Python version): compiling them took about
    25 ms of every run. A cache that cannot be read or written is passed over, never an
    error. (Jinja2 reads its files with pickle and marshal: the folder is trusted as the
    rest of the user's cache is, the ONNX graphs made there included.)"""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as exc:  # (a damaged file fails in pickle or marshal: any error)
            log.debug("compiled template %s not read: %s", bucket.key, exc)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError as exc:
            log.debug("compiled templates not kept in %s: %s", self.directory, exc)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("newsprism", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_CompiledTemplates(str(cache_dir() / "templates")),
    )
    env.filters["cite_id"] = cite_id
    env.filters["speaker_quotes"] = speaker_quotes
    env.filters["quoted"] = lambda text: quoted([text])
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


def story_citations(story: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """The spans of articles that a story's report section cites (its sections' items and the
    framing items it shows): they are marked in the article texts."""
    cited: dict[str, list[tuple[int, int]]] = {}
    for section in story_sections(story):
        for item in section.items:
            for c in item.citations:
                cited.setdefault(c["article"], []).append((c["start"], c["end"]))
    for items in (story.get("framing") or {}).values():
        for t in items[:8]:  # the framing items the report shows, with their spans
            for c in t.get("evidence") or []:
                cited.setdefault(c["article"], []).append((c["start"], c["end"]))
    return cited


def story_html(
    story: dict[str, Any],
    articles: dict[str, dict[str, Any]],
    cited: dict[str, list[tuple[int, int]]],
) -> str:
    """One story's section of the report: its brief, coverage, quotes, framing and its
    articles' texts with every span cited anywhere in the report (``cited``) marked."""
    bodies = {
        aid: highlight(articles[aid]["text"], cited.get(aid, []), aid)
        for aid in story["articles"]
        if aid in articles
    }
    return (
        _env()
        .get_template("story.html.j2")
        .render(story=story, sections=story_sections(story), articles=articles, bodies=bodies)
    )


def html_report(doc: dict[str, Any], stories: list[dict[str, Any]], sections: Sequence[str]) -> str:
    """The report around its story sections: ``sections[i]`` is the section of the story
    ``stories[i]`` (a record with at least its id, title and articles)."""
    parts = html_skeleton(doc, stories)
    return "".join(p if isinstance(p, str) else sections[p] for p in parts)


def html_skeleton(doc: dict[str, Any], stories: list[dict[str, Any]]) -> list[str | int]:
    """The report without its story sections: its text in parts, with the index ``i`` of
    ``stories`` where the section of ``stories[i]`` goes (in the report's order), so the
    sections can be written one at a time."""
    # a token drawn for this rendering stands for each section: no input text can forge it
    token = secrets.token_hex(8)
    placed = {id(s): Markup(f"\x00{token}-{i}\x00") for i, s in enumerate(stories)}
    groups = [
        {
            "line": line if len(members) > 1 else None,
            "stories": [{"story": story, "html": placed[id(story)]} for story in members],
        }
        for line, members in storyline_groups({**doc, "stories": stories})
    ]
    articles = {a["id"]: a for a in doc["articles"]}
    text = _env().get_template("report.html.j2").render(doc=doc, groups=groups, articles=articles)
    pieces = re.split(f"\x00{token}-(\\d+)\x00", text)  # text, index, text, ..., text
    return [p if k % 2 == 0 else int(p) for k, p in enumerate(pieces)]


def render_html(doc: dict[str, Any]) -> str:
    """The self-contained HTML report of a document."""
    articles = {a["id"]: a for a in doc["articles"]}
    stories = doc.get("stories", [])
    cited: dict[str, list[tuple[int, int]]] = {}
    for story in stories:
        for aid, spans in story_citations(story).items():
            cited.setdefault(aid, []).extend(spans)
    return html_report(doc, stories, [story_html(s, articles, cited) for s in stories])
