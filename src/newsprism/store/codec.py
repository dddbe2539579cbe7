"""How per-article enrichment is written to a store and read back (a JSON-ready dict that
round-trips exactly), shared by both store backends, the story cache and the Ray engine."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from newsprism.model import (
    Attribution,
    Clause,
    DateMention,
    Enriched,
    EntityMention,
    Event,
    Sentence,
    Span,
)


def _span(d: dict[str, Any] | None) -> Span | None:
    return Span(d["start"], d["end"], d["text"]) if d else None


def enriched_to_dict(e: Enriched) -> dict[str, Any]:
    return {
        "sentences": [[s.start, s.end] for s in e.sentences],
        "entities": [asdict(m) for m in e.entities],
        "dates": [asdict(d) for d in e.dates],
        "attributions": [a.to_dict() for a in e.attributions],
        "events": [ev.to_dict() for ev in e.events],
        "sentence_text": [s.text for s in e.sentences],
        "clauses": [asdict(c) for c in e.clauses],
    }


def enriched_from_dict(article_id: str, d: dict[str, Any]) -> Enriched:
    texts = d.get("sentence_text") or []
    return Enriched(
        article_id=article_id,
        sentences=[
            Sentence(s, e, texts[i] if i < len(texts) else "")
            for i, (s, e) in enumerate(d.get("sentences", []))
        ],
        entities=[EntityMention(**m) for m in d.get("entities", [])],
        dates=[DateMention(**x) for x in d.get("dates", [])],
        attributions=[
            Attribution(
                source=_span(a["source"]),
                cue=_span(a["cue"]),
                content=[Span(c["start"], c["end"], c["text"]) for c in a["content"]],
                speaker=a["speaker"],
                kind=a["kind"],
                via=a.get("via"),
                reporting=a.get("reporting", True),
            )
            for a in d.get("attributions", [])
        ],
        events=[Event.from_dict(ev) for ev in d.get("events", [])],
        clauses=[Clause(**c) for c in d.get("clauses", [])],
    )
