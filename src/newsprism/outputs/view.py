"""What a story report shows, section by section; shared by the Markdown and HTML renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Item:
    text: str
    citations: list[dict[str, Any]]
    label: str | None = None  # a date on the timeline, "slot" of a disagreement
    note: str | None = None  # why a disagreement is one (what makes both claims one event)


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


def _cites(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"article": s["article"], "start": s["start"], "end": s["end"]} for s in sources]


def _brief(story: dict[str, Any], section: str) -> list[Item]:
    return [
        Item(line["text"], line["citations"])
        for line in story.get("brief", [])
        if line.get("section", "key") == section
    ]


def _disagreements(story: dict[str, Any]) -> list[Item]:
    items: list[Item] = []
    for fact in story.get("facts", []):
        for conflict in fact.get("conflicts") or []:
            values = conflict.get("values") or []
            if len(values) < 2:
                continue
            text = " vs ".join(_value_text(v) for v in values)
            items.append(
                Item(text, _cites(values), label=conflict.get("slot"), note=conflict.get("why"))
            )
    return items or _brief(story, "conflict")


def _value_text(v: dict[str, Any]) -> str:
    where = v.get("outlet") or v.get("article")
    when = f", {v['published']}" if v.get("published") else ""
    return f"{v.get('value')} ({where}{when})"


def _updates(story: dict[str, Any]) -> list[Item]:
    """Figures reported differently on different days: updates, not conflicts."""
    items: list[Item] = []
    for fact in story.get("facts", []):
        for update in fact.get("updates") or []:
            values = update.get("values") or []
            if len(values) >= 2:
                text = " → ".join(_value_text(v) for v in values)
                items.append(
                    Item(text, _cites(values), label=update.get("slot"), note=update.get("why"))
                )
    return items


def _corroborated(story: dict[str, Any]) -> list[Item]:
    """Facts that two or more independent outlets state, with every outlet carrying them."""
    items: list[Item] = []
    for fact in story.get("facts", []):
        if fact.get("status") != "corroborated":
            continue
        n = fact.get("independent") or len(fact.get("outlets", []))
        note = f"{n} independent outlets: " + ", ".join(fact.get("outlets", []))
        related = fact.get("related") or []
        if related:
            note += "; related coverage (not counted): " + ", ".join(
                dict.fromkeys(r.get("outlet") or r["article"] for r in related)
            )
        items.append(Item(fact["text"], _cites(fact.get("sources", [])), "corroborated", note))
    return items


def _timeline(story: dict[str, Any]) -> list[Item]:
    entries = story.get("timeline")
    if not entries:
        return _brief(story, "timeline")
    return [
        Item(e["text"], _cites(e.get("sources", [])), label=e.get("label") or e.get("date"))
        for e in entries
    ]


def _background(story: dict[str, Any]) -> list[Item]:
    return [
        Item(e["text"], _cites(e.get("sources", [])), label=e.get("label") or e.get("date"))
        for e in story.get("background") or []
    ]


def storyline_groups(
    doc: dict[str, Any],
) -> list[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    """Stories grouped by storyline, in storyline order (each storyline's stories in its own
    order); stories no storyline names come last, each on its own (storyline ``None``)."""
    by_id = {s["id"]: s for s in doc.get("stories", [])}
    out: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = []
    placed: set[str] = set()
    for line in doc.get("storylines") or []:
        stories = [by_id[i] for i in line.get("stories", []) if i in by_id and i not in placed]
        if stories:
            placed.update(s["id"] for s in stories)
            out.append((line, stories))
    out += [(None, [s]) for s in doc.get("stories", []) if s["id"] not in placed]
    return out


def story_sections(story: dict[str, Any]) -> list[Section]:
    """The brief's sections in reading order; empty sections are left out."""
    sections = [
        Section("key", "Key facts", _brief(story, "key")),
        Section("adds", "What each outlet adds", _brief(story, "adds")),
        Section("conflict", "Where outlets disagree", _disagreements(story)),
        Section("update", "Figures that changed between reports", _updates(story)),
        Section("corroborated", "Corroborated facts", _corroborated(story)),
        Section("timeline", "Timeline", _timeline(story)),
        Section("background", "Background", _background(story)),
    ]
    return [s for s in sections if s.items]


QUOTE_MARKS = "\"'“”‘’«»„‚"


def quoted(parts: list[str]) -> str:
    """The content of a quote as one string, in quotation marks unless it already has them."""
    text = " … ".join(" ".join(p.split()) for p in parts)
    if text[:1] in QUOTE_MARKS and text.rstrip(" ,.")[-1:] in QUOTE_MARKS:
        return text
    return f"“{text}”"


@dataclass
class QuoteLine:
    """One thing a speaker said, with every outlet that carried it in the same words."""

    cue: str | None
    content: str
    kind: str
    via: str | None
    outlets: list[str]


def speaker_quotes(group: dict[str, Any]) -> list[QuoteLine]:
    """A speaker group's quotes, those repeated word for word (a wire story and its copies)
    merged into one line that names all outlets, in order of first appearance."""
    lines: dict[tuple[str, str], QuoteLine] = {}
    for q in group.get("quotes", []):
        content = quoted([c["text"] for c in q.get("content", [])])
        cue = (q.get("cue") or {}).get("text")
        outlet = q.get("outlet") or q.get("article") or ""
        key = (" ".join((cue or "").split()).lower(), content)
        line = lines.get(key)
        if line is None:
            cue_text = " ".join(cue.split()) if cue else None
            lines[key] = QuoteLine(cue_text, content, q.get("kind", ""), q.get("via"), [outlet])
        elif outlet not in line.outlets:
            line.outlets.append(outlet)
    return list(lines.values())
