"""Exports of a store as flat tables: one row per item, a documented column set per kind
(see docs/web.md), streamed so memory stays flat at any size.

``export_table`` gives the columns and a row iterator; ``write_export`` writes them as CSV,
JSON Lines or Parquet to a binary file; ``export_chunks`` yields the same bytes piece by piece
(for a streamed HTTP response). Kinds: ``articles``, ``facts``, ``quotes``, ``entities``,
``coverage``, ``events``. Columns named ``outlet:NAME`` are per-outlet columns, one for each
outlet of the rows exported (sorted by name).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from newsprism.errors import UsageError
from newsprism.store.sql import SQLStore
from newsprism.stories.events import EVENT_COLUMNS

log = logging.getLogger(__name__)

_EVENT_INTS = frozenset(
    {"sentence_start", "sentence_end", "trigger_start", "trigger_end", "outlets"}
)

KINDS = ("articles", "facts", "quotes", "entities", "coverage", "events")
FORMATS = ("csv", "jsonl", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
OUTLET_PREFIX = "outlet:"
BATCH_ROWS = 2000

#: the fixed columns of each kind, with their types ("str" or "int"); per-outlet columns follow
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("id", "str"),
        ("stories", "str"),
        ("title", "str"),
        ("source", "str"),
        ("published", "str"),
        ("url", "str"),
        ("language", "str"),
        ("authors", "str"),
        ("duplicate_of", "str"),
        ("words", "int"),
        ("text", "str"),
    ],
    "facts": [
        ("story", "str"),
        ("fact", "str"),
        ("status", "str"),
        ("text", "str"),
        ("n_outlets", "int"),
        ("outlets", "str"),
        ("article", "str"),
        ("start", "int"),
        ("end", "int"),
        ("conflicts", "str"),
    ],
    "quotes": [
        ("story", "str"),
        ("speaker", "str"),
        ("article", "str"),
        ("outlet", "str"),
        ("kind", "str"),
        ("via", "str"),
        ("cue", "str"),
        ("text", "str"),
        ("start", "int"),
        ("end", "int"),
    ],
    "entities": [
        ("story", "str"),
        ("name", "str"),
        ("type", "str"),
        ("variants", "str"),
        ("n_articles", "int"),
    ],
    "coverage": [
        ("story", "str"),
        ("title", "str"),
        ("first_published", "str"),
        ("last_published", "str"),
        ("n_articles", "int"),
        ("n_facts", "int"),
        ("corroborated", "int"),
        ("single_source", "int"),
        ("conflicting", "int"),
    ],
    "events": [("story", "str")]
    + [(name, "int" if name in _EVENT_INTS else "str") for name in EVENT_COLUMNS],
}

#: what each kind's per-outlet columns count
OUTLET_COLUMNS = {
    "articles": None,
    "facts": "1 when the outlet carries the fact, else 0",
    "quotes": None,
    "entities": "number of the outlet's articles in the story that name the entity",
    "coverage": "number of the story's facts the outlet carries",
    "events": None,
}


class ExportError(UsageError):
    """An unknown kind or format."""


@dataclass
class Table:
    """An export: its columns (name, type) and its rows, produced lazily."""

    kind: str
    columns: list[tuple[str, str]]
    rows: Iterator[dict[str, Any]]


def check_since(value: str | None) -> str | None:
    """A date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or None; anything else is an ExportError."""
    if value is None or value == "":
        return None
    full = value + "-01-01"[len(value) - 4 :] if len(value) in (4, 7) else value
    try:
        dt.date.fromisoformat(full)
    except ValueError:
        raise ExportError(f"expected a date like 2025-03-10, got {value!r}") from None
    if len(full) != 10:
        raise ExportError(f"expected a date like 2025-03-10, got {value!r}")
    return value


def _join(values: Any) -> str:
    return "; ".join(str(v) for v in values or [] if v is not None)


def _story_kept(story: dict[str, Any], since: str | None) -> bool:
    last = story.get("last_published") or story.get("first_published")
    return since is None or (isinstance(last, str) and last[:10] >= since)


def _outlet_columns(names: list[str]) -> list[tuple[str, str]]:
    return [(OUTLET_PREFIX + n, "int") for n in names]


def export_table(
    db: SQLStore, kind: str, story: str | None = None, since: str | None = None
) -> Table:
    """The rows of ``kind`` for the whole store, one story, or items published since ``since``."""
    if kind not in KINDS:
        raise ExportError(f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    columns = list(COLUMNS[kind])
    if OUTLET_COLUMNS[kind]:
        columns += _outlet_columns(db.outlets(story, None))
    producer: Callable[[SQLStore, str | None, str | None], Iterator[dict[str, Any]]] = {
        "articles": _articles,
        "facts": _facts,
        "quotes": _quotes,
        "entities": _entities,
        "coverage": _coverage,
        "events": _events,
    }[kind]
    return Table(kind, columns, producer(db, story, since))


def _articles(db: SQLStore, story: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    for a, stories in db.iter_articles(story, since):
        yield {
            "id": a.id,
            "stories": _join(stories),
            "title": a.title,
            "source": a.source,
            "published": a.published,
            "url": a.url,
            "language": a.language,
            "authors": _join(a.authors),
            "duplicate_of": a.duplicate_of,
            "words": len(a.text.split()),
            "text": a.text,
        }


def _facts(db: SQLStore, story: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    for s in db.iter_stories(story):
        if not _story_kept(s, since):
            continue
        for fact in s.get("facts") or []:
            sources = fact.get("sources") or [{}]
            first = sources[0]
            row = {
                "story": s.get("id"),
                "fact": fact.get("id"),
                "status": fact.get("status"),
                "text": fact.get("text"),
                "n_outlets": len(fact.get("outlets") or []),
                "outlets": _join(fact.get("outlets")),
                "article": first.get("article"),
                "start": first.get("start"),
                "end": first.get("end"),
                "conflicts": _join(c.get("slot") for c in fact.get("conflicts") or []),
            }
            for o in fact.get("outlets") or []:
                row[OUTLET_PREFIX + str(o)] = 1
            yield row


def _quotes(db: SQLStore, story: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    for s in db.iter_stories(story):
        if not _story_kept(s, since):
            continue
        for group in s.get("quotes") or []:
            for q in group.get("quotes") or []:
                content = q.get("content") or []
                yield {
                    "story": s.get("id"),
                    "speaker": group.get("speaker"),
                    "article": q.get("article"),
                    "outlet": q.get("outlet"),
                    "kind": q.get("kind"),
                    "via": q.get("via"),
                    "cue": (q.get("cue") or {}).get("text"),
                    "text": " … ".join(c.get("text", "") for c in content),
                    "start": content[0].get("start") if content else None,
                    "end": content[-1].get("end") if content else None,
                }


def _entities(db: SQLStore, story: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    for s in db.iter_stories(story):
        if not _story_kept(s, since):
            continue
        members = s.get("entities") or []
        if not members:
            continue
        outlet_of = {a.id: a.source for a in db.articles_by_id(s.get("articles") or []).values()}
        for e in members:
            row = {
                "story": s.get("id"),
                "name": e.get("name"),
                "type": e.get("type"),
                "variants": _join(e.get("variants")),
                "n_articles": len(e.get("articles") or []),
            }
            for aid in e.get("articles") or []:
                outlet = outlet_of.get(aid)
                if outlet:
                    key = OUTLET_PREFIX + outlet
                    row[key] = row.get(key, 0) + 1
            yield row


def _coverage(db: SQLStore, story: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    for s in db.iter_stories(story):
        if not _story_kept(s, since):
            continue
        facts = s.get("facts") or []
        statuses = [f.get("status") for f in facts]
        row: dict[str, Any] = {
            "story": s.get("id"),
            "title": s.get("title"),
            "first_published": s.get("first_published"),
            "last_published": s.get("last_published"),
            "n_articles": len(s.get("articles") or []),
            "n_facts": len(facts),
            "corroborated": statuses.count("corroborated"),
            "single_source": statuses.count("single-source"),
            "conflicting": statuses.count("conflicting"),
        }
        for outlet in s.get("outlets") or []:
            row[OUTLET_PREFIX + outlet] = 0
        for f in facts:
            for outlet in f.get("outlets") or []:
                key = OUTLET_PREFIX + str(outlet)
                row[key] = row.get(key, 0) + 1
        yield row


def _events(db: SQLStore, story: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    """The stories' event records (``stories.events``, columns of
    :data:`newsprism.stories.events.EVENT_COLUMNS`), with the story id first; ``since``
    keeps events dated on or after that day."""
    for s in db.iter_stories(story):
        if not _story_kept(s, since):
            continue
        for ev in s.get("events") or []:
            if since and str(ev.get("date") or "")[:10] < since:
                continue  # an event's date is its own date, else its article's day
            yield {"story": s.get("id"), **{k: ev.get(k) for k in EVENT_COLUMNS}}


# -- writers ---------------------------------------------------------------------------------


def _cell(row: dict[str, Any], name: str, kind: str) -> Any:
    value = row.get(name)
    if name.startswith(OUTLET_PREFIX):
        return value or 0
    if value is None:
        return None
    if kind == "int":
        return int(value) if isinstance(value, int | float) else None
    return str(value)


class _Sink(io.RawIOBase):
    """A write-only binary file whose written bytes are taken out piece by piece."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.pos = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.parts.append(data)
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def export_chunks(table: Table, fmt: str) -> Iterator[bytes]:
    """The export as bytes, a batch of rows at a time."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    names = [n for n, _ in table.columns]
    if fmt == "parquet":
        yield from _parquet_chunks(table)
        return
    buf = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(names)
    n = 0
    for row in table.rows:
        cells = [_cell(row, name, kind) for name, kind in table.columns]
        if fmt == "csv":
            writer.writerow(["" if c is None else c for c in cells])
        else:
            buf.write(json.dumps(dict(zip(names, cells, strict=True)), ensure_ascii=False) + "\n")
        n += 1
        if n % BATCH_ROWS == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    tail = buf.getvalue()
    if tail or n == 0:
        yield tail.encode("utf-8")
    log.info("export %s: %d rows", table.kind, n)


def _parquet_chunks(table: Table) -> Iterator[bytes]:
    import pyarrow as pa  # heavy: pyarrow, ~0.15 s; only for Parquet
    import pyarrow.parquet as pq  # heavy: as above

    schema = pa.schema(
        [pa.field(n, pa.int64() if k == "int" else pa.string()) for n, k in table.columns]
    )
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema)
    batch: dict[str, list[Any]] = {n: [] for n, _ in table.columns}
    n = 0

    def flush() -> None:
        writer.write_batch(pa.RecordBatch.from_pydict(batch, schema=schema))
        for values in batch.values():
            values.clear()

    for row in table.rows:
        for name, kind in table.columns:
            batch[name].append(_cell(row, name, kind))
        n += 1
        if n % BATCH_ROWS == 0:
            flush()
            yield sink.take()
    if n % BATCH_ROWS:
        flush()
    writer.close()
    yield sink.take()
    log.info("export %s: %d rows", table.kind, n)


def write_export(
    db: SQLStore,
    kind: str,
    fmt: str,
    out: BinaryIO,
    story: str | None = None,
    since: str | None = None,
) -> int:
    """Write ``kind`` as ``fmt`` to ``out``; returns the number of rows written."""
    table = export_table(db, kind, story, since)
    counted = _Counted(table.rows)
    table.rows = counted
    for chunk in export_chunks(table, fmt):
        out.write(chunk)
    return counted.n


class _Counted:
    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self.rows = rows
        self.n = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self

    def __next__(self) -> dict[str, Any]:
        row = next(self.rows)
        self.n += 1
        return row
