"""Event records of a story: one row per event with the documented column set, and an
aggregate per actor pair per day (docs/events.md).

Rows are plain dicts so that stories.json, the store, the report and the CSV/Parquet exports
share one shape. Two events are "the same event" when they have the same type, the same actor
pair and the same day; ``outlets`` counts the independent outlets (distinct outlet names; an
article without an outlet counts alone) that report it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from newsprism.model import Article, Enriched, Event, Sentence

#: the column set of an event row, in order (docs/events.md)
EVENT_COLUMNS: tuple[str, ...] = (
    "date",
    "date_from",
    "source_actor",
    "source_country",
    "source_sector",
    "type",
    "plover_type",
    "mode",
    "modality",
    "target_actor",
    "target_country",
    "target_sector",
    "location",
    "reporter",
    "article",
    "outlet",
    "sentence_start",
    "sentence_end",
    "trigger",
    "trigger_start",
    "trigger_end",
    "outlets",
)

#: the column set of an actor-pair row
PAIR_COLUMNS: tuple[str, ...] = (
    "date",
    "source_actor",
    "source_country",
    "target_actor",
    "target_country",
    "events",
    "types",
    "outlets",
    "articles",
)


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


def _same_key(row: dict[str, Any]) -> tuple[Any, ...]:
    day = (row["date"] or "")[:10]
    return (
        row["type"],
        _actor_key(row["source_actor"], row["source_country"]),
        _actor_key(row["target_actor"], row["target_country"]),
        day,
    )


def _outlet_key(row: dict[str, Any]) -> str:
    return (row["outlet"] or "").strip().lower() or f"article:{row['article']}"


def story_events(
    articles: Sequence[Article], enriched: Mapping[str, Enriched]
) -> list[dict[str, Any]]:
    """One row per event of the story's articles (columns :data:`EVENT_COLUMNS`), in article
    then text order; ``outlets`` is the number of independent outlets reporting the same event
    (same type, same actor pair, same day)."""
    rows: list[dict[str, Any]] = []
    for art in articles:
        enr = enriched.get(art.id)
        if enr is None:
            continue
        for ev in enr.events:
            date, date_from = _day(ev, art)
            sent = _sentence(enr.sentences, ev.trigger.start)
            rows.append(
                {
                    "date": date,
                    "date_from": date_from,
                    "source_actor": ev.source_actor,
                    "source_country": ev.source_country,
                    "source_sector": ev.source_sector,
                    "type": ev.type,
                    "plover_type": ev.plover_type or ev.type,
                    "mode": ev.mode,
                    "modality": ev.modality,
                    "target_actor": ev.target_actor,
                    "target_country": ev.target_country,
                    "target_sector": ev.target_sector,
                    "location": ev.location,
                    "reporter": ev.reporter,
                    "article": art.id,
                    "outlet": art.source,
                    "sentence_start": sent.start if sent else None,
                    "sentence_end": sent.end if sent else None,
                    "trigger": ev.trigger.text,
                    "trigger_start": ev.trigger.start,
                    "trigger_end": ev.trigger.end,
                    "outlets": 0,
                }
            )
    outlets: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for row in rows:
        outlets[_same_key(row)].add(_outlet_key(row))
    for row in rows:
        row["outlets"] = len(outlets[_same_key(row)])
    return rows


def event_pairs(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Aggregate of event rows per (source actor, target actor, day): how many events, of which
    types, from how many independent outlets and which articles (columns :data:`PAIR_COLUMNS`).
    Events without a source or target actor are left out."""
    groups: dict[tuple[str, str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        if not row.get("source_actor") or not row.get("target_actor"):
            continue
        key = (
            (row.get("date") or "")[:10],
            _actor_key(row["source_actor"], row.get("source_country")),
            _actor_key(row["target_actor"], row.get("target_country")),
        )
        groups[key].append(row)
    out: list[dict[str, Any]] = []
    for (day, _, _), members in groups.items():
        first = members[0]
        types: dict[str, int] = defaultdict(int)
        for m in members:
            types[m["type"]] += 1
        out.append(
            {
                "date": day or None,
                "source_actor": first["source_actor"],
                "source_country": first.get("source_country"),
                "target_actor": first["target_actor"],
                "target_country": first.get("target_country"),
                "events": len(members),
                "types": dict(sorted(types.items())),
                "outlets": len({_outlet_key(dict(m)) for m in members}),
                "articles": sorted({m["article"] for m in members}),
            }
        )
    out.sort(key=lambda r: (r["date"] or "", r["source_actor"], r["target_actor"]))
    return out
