"""Markdown report rendered from the JSON document."""

from __future__ import annotations

from typing import Any

from newsprism.outputs.view import speaker_quotes, story_sections


def _cite(c: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    source = articles.get(c["article"], {}).get("source")
    where = f"{c['article']} {c['start']}–{c['end']}"
    return f"[{source}: {where}]" if source else f"[{where}]"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_markdown(doc: dict[str, Any]) -> str:
    articles = {a["id"]: a for a in doc["articles"]}
    s = doc["summary"]
    out = [
        "# newsprism report",
        "",
        f"{s['articles']} articles in {s['stories']} stories; {s['files_read']} files read, "
        f"{s['skipped']} skipped.",
        "",
    ]
    for story in doc["stories"]:
        out += [f"## {_one_line(story['title'])}", ""]
        meta = f"{len(story['articles'])} articles"
        if story.get("outlets"):
            meta += " from " + ", ".join(story["outlets"])
        span = sorted({d for d in (story.get("first_published"), story.get("last_published")) if d})
        if span:
            meta += f" ({' to '.join(span)})"
        out += [f"*{meta}*", ""]
        for section in story_sections(story):
            out += [f"### {section.title}", ""]
            for item in section.items:
                cites = " ".join(_cite(c, articles) for c in item.citations)
                label = f"**{item.label}** " if item.label else ""
                out.append(f"- {label}{_one_line(item.text)} {cites}")
            out.append("")
        quotes = story.get("quotes") or []
        if quotes:
            out += ["### Who said what", ""]
            for group in quotes:
                out.append(f"- **{group.get('speaker') or 'unattributed'}**")
                for q in speaker_quotes(group):
                    how = f"*{q.cue}* " if q.cue else ""
                    via = f", via {q.via}" if q.via else ""
                    out.append(f"  - {how}{q.content} ({', '.join(q.outlets)}; {q.kind}{via})")
            out.append("")
        framing = story.get("framing") or {}
        if any(framing.values()):
            out += ["### Framing", ""]
            for outlet, terms in framing.items():
                if not terms:
                    continue
                shown = []
                for t in terms[:8]:
                    others = f" (others: {', '.join(t['others'])})" if t.get("others") else ""
                    shown.append(f"“{t['term']}”{others}")
                out.append(f"- **{outlet}**: {', '.join(shown)}")
            out.append("")
        out += ["### Articles", ""]
        for aid in story["articles"]:
            a = articles.get(aid, {})
            dup = f" — copy of {a['duplicate_of']}" if a.get("duplicate_of") else ""
            title = _one_line(a.get("title") or "(untitled)")
            out.append(
                f"- `{aid}` {title} — {a.get('source') or 'unknown outlet'}, "
                f"{a.get('published') or 'date unknown'}{dup}"
            )
        out.append("")
    if doc.get("skipped"):
        out += ["## Skipped inputs", ""]
        out += [f"- `{x['path']}`: {x['reason']}" for x in doc["skipped"]]
        out.append("")
    return "\n".join(out)
