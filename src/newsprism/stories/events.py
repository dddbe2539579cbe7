"""Event records of a story: one row per event with the documented column set, and an
aggregate per actor pair per day (docs/events.md).

Rows are :class:`~newsprism.model.EventRecord` and :class:`~newsprism.model.EventPair`; their
dict form (stories.json, the store, the report and the CSV/Parquet exports share it) has the
columns :data:`EVENT_COLUMNS` and :data:`PAIR_COLUMNS`. Two events are "the same event" when they have the same type, the same actor
pair and the same day; ``outlets`` counts the independent outlets (distinct outlet names; an
article without an outlet counts alone) that report it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from newsprism.model import (
    EVENT_COLUMNS,
    PAIR_COLUMNS,
    Article,
    Enriched,
    Event,
    EventPair,
    EventRecord,
    Sentence,
)

__all__ = ["EVENT_COLUMNS", "PAIR_COLUMNS", "event_pairs", "story_events"]


def _day(ev: Event, article: Article) -> tuple[str | None, str | None]:
    """The event's date (TIMEX value from its sentence) or else the publication day."""
    if ev.date and ev.date[:1].isdigit():
        return ev.date, "text"
    if article.published:
        return article.published[:10], "published"
    return None, None


def _sentence(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return None


def _actor_key(name: str | None, country: str | None) -> str:
    if name:
        return " ".join(name.lower().split())
    return (country or "").lower()


def _same_key(row: EventRecord) -> tuple[Any, ...]:
    day = (row.date or "")[:10]
    return (
        row.type,
        _actor_key(row.source_actor, row.source_country),
        _actor_key(row.target_actor, row.target_country),
        day,
    )


def _outlet_key(row: EventRecord) -> str:
    return (row.outlet or "").strip().lower() or f"article:{row.article}"


def story_events(
    articles: Sequence[Article], enriched: Mapping[str, Enriched]
) -> list[EventRecord]:
    """One row per event of the story's articles (columns :data:`EVENT_COLUMNS`), in article
    then text order; ``outlets`` is the number of independent outlets reporting the same event
    (same type, same actor pair, same day)."""
    rows: list[EventRecord] = []
    for art in articles:
        enr = enriched.get(art.id)
        if enr is None:
            continue
        for ev in enr.events:
            date, date_from = _day(ev, art)
            sent = _sentence(enr.sentences, ev.trigger.start)
            rows.append(
                EventRecord(
                    date=date,
                    date_from=date_from,
                    source_actor=ev.source_actor,
                    source_country=ev.source_country,
                    source_sector=ev.source_sector,
                    type=ev.type,
                    plover_type=ev.plover_type or ev.type,
                    mode=ev.mode,
                    modality=ev.modality,
                    target_actor=ev.target_actor,
                    target_country=ev.target_country,
                    target_sector=ev.target_sector,
                    location=ev.location,
                    reporter=ev.reporter,
                    article=art.id,
                    outlet=art.source,
                    sentence_start=sent.start if sent else None,
                    sentence_end=sent.end if sent else None,
                    trigger=ev.trigger.text,
                    trigger_start=ev.trigger.start,
                    trigger_end=ev.trigger.end,
                )
            )
    outlets: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for row in rows:
        outlets[_same_key(row)].add(_outlet_key(row))
    for row in rows:
        row.outlets = len(outlets[_same_key(row)])
    return rows


def event_pairs(rows: Sequence[EventRecord]) -> list[EventPair]:
    """Aggregate of event rows per (source actor, target actor, day): how many events, of which
    types, from how many independent outlets and which articles (columns :data:`PAIR_COLUMNS`).
    Events without a source or target actor are left out."""
    groups: dict[tuple[str, str, str], list[EventRecord]] = defaultdict(list)
    for row in rows:
        if not row.source_actor or not row.target_actor:
            continue
        key = (
            (row.date or "")[:10],
            _actor_key(row.source_actor, row.source_country),
            _actor_key(row.target_actor, row.target_country),
        )
        groups[key].append(row)
    out: list[EventPair] = []
    for (day, _, _), members in groups.items():
        first = members[0]
        types: dict[str, int] = defaultdict(int)
        for m in members:
            types[m.type] += 1
        out.append(
            EventPair(
                date=day or None,
                source_actor=first.source_actor or "",
                source_country=first.source_country,
                target_actor=first.target_actor or "",
                target_country=first.target_country,
                events=len(members),
                types=dict(sorted(types.items())),
                outlets=len({_outlet_key(m) for m in members}),
                articles=sorted({m.article for m in members}),
            )
        )
    out.sort(key=lambda r: (r.date or "", r.source_actor, r.target_actor))
    return out
