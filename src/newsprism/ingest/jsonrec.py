"""JSON and JSON Lines article records: news-please, newspaper3k, our own JSONL contract, custom layouts.

Accepted layouts (detected per file):

- JSON Lines: one record per line (``path:line N`` origins). A malformed line is reported as a
  :class:`~newsprism.model.Skipped` (``kind="malformed-json"``) and the other lines are still read;
  a file with no good line at all raises ``BadInput("malformed-json", ...)``.
- A JSON array of records, or an object holding one under ``articles`` (also ``items``, ``records``,
  ``data``, ``results``, ``docs``) (``path#record N`` origins).
- A single JSON object that is one record (origin ``path``).

Record fields, first match wins (``options.fields`` maps our key to a record key and overrides
these; dotted paths such as ``body.text`` reach into nested objects, ``authors.0`` into lists):

============  ==============================================================================
our key       record keys tried
============  ==============================================================================
text          ``maintext`` (news-please), ``text`` (newspaper3k, ours), ``body``, ``content``,
              ``article``, ``articleBody``, ``full_text``; ``description`` as a last resort
title         ``title``, ``headline``
published     ``published``, ``date_publish`` (news-please), ``publish_date`` (newspaper3k),
              ``datePublished``, ``date``, ``published_at``, ``pubdate``
source        ``source``, ``source_domain`` (news-please), ``outlet``, ``publisher``, ``site_name``
url           ``url``, ``link``, ``canonical_url``
authors       ``authors``, ``author``, ``byline``
language      ``language``, ``lang``
id            ``id``
description   ``description``, ``summary``
============  ==============================================================================

A record without text is yielded as ``Skipped(kind="empty")``. The reader yields
``RawDoc | Skipped`` (see ``NOTES_formats.md``); it never raises anything but ``BadInput``.

Dates and authors are cleaned by :func:`newsprism.ingest.meta.normalize_date` and
:func:`newsprism.ingest.meta.normalize_authors`, as for every other reader.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.meta import normalize_authors, normalize_date
from newsprism.model import Skipped

logger = logging.getLogger(__name__)

FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "text": ("maintext", "text", "body", "content", "article", "articleBody", "full_text"),
    "title": ("title", "headline"),
    "published": (
        "published",
        "date_publish",
        "publish_date",
        "datePublished",
        "date",
        "published_at",
        "pubdate",
    ),
    "source": ("source", "source_domain", "outlet", "publisher", "site_name"),
    "url": ("url", "link", "canonical_url"),
    "authors": ("authors", "author", "byline"),
    "language": ("language", "lang"),
    "id": ("id",),
    "description": ("description", "summary"),
}
LIST_KEYS = ("articles", "items", "records", "data", "results", "docs")
MAX_BAD_LINES_REPORTED = 1000  # beyond this, bad lines are counted in one summary Skipped


def read(origin: str, data: bytes, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    """Yield one :class:`RawDoc` per article record in a JSON / JSON Lines file (see module doc)."""
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise BadInput("undecodable", f"JSON is not valid UTF-8/UTF-16: {exc}") from None
    if not text.strip():
        raise BadInput("empty", "empty JSON file")
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = _NOT_JSON
    if whole is not _NOT_JSON:
        yield from _read_document(origin, whole, options)
    else:
        yield from _read_lines(origin, text, options)


_NOT_JSON = object()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # tolerate a few stray bytes (one bad line must not lose the file); reject binary junk
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 100):
            raise
        return text


def _read_document(origin: str, whole: Any, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    records: list[Any] | None = None
    if isinstance(whole, list):
        records = whole
    elif isinstance(whole, dict):
        for key in LIST_KEYS:
            value = whole.get(key)
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                records = value
                break
    if records is None:
        if not isinstance(whole, dict):
            raise BadInput("malformed-json", f"JSON holds a {type(whole).__name__}, not a record")
        doc = _record_doc(origin, whole, options)
        if doc is None:
            raise BadInput("empty", "the JSON record has no text field (use --field text=KEY)")
        yield doc
        return
    if not records:
        raise BadInput("empty", "the JSON array holds no records")
    good = 0
    for n, record in enumerate(records, 1):
        rec_origin = f"{origin}#record {n}"
        if not isinstance(record, dict):
            yield Skipped(
                rec_origin,
                f"record {n} is a {type(record).__name__}, not an object",
                "malformed-json",
            )
            continue
        doc = _record_doc(rec_origin, record, options)
        if doc is None:
            yield Skipped(rec_origin, f"record {n} has no text", "empty")
            continue
        good += 1
        yield doc
    if not good:
        logger.debug("%s: no record with text", origin)


def _read_lines(origin: str, text: str, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    good = 0
    bad: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        line_origin = f"{origin}:line {n}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            msg = getattr(exc, "msg", None) or type(exc).__name__
            if isinstance(exc, RecursionError):
                msg = "nested too deeply"
            bad.append((n, f"malformed JSON on line {n}: {msg}"))
            continue
        if not isinstance(record, dict):
            bad.append((n, f"line {n} holds a {type(record).__name__}, not a JSON object"))
            continue
        good += 1  # a well-formed record: the file is JSON Lines
        # report bad lines seen so far, in file order, before this record
        yield from _flush_bad(origin, bad)
        doc = _record_doc(line_origin, record, options)
        if doc is None:
            yield Skipped(line_origin, f"record on line {n} has no text", "empty")
        else:
            yield doc
    if not good:
        first = bad[0][1] if bad else "no JSON record found"
        raise BadInput("malformed-json", first)
    yield from _flush_bad(origin, bad)


def _flush_bad(origin: str, bad: list[tuple[int, str]]) -> Iterator[Skipped]:
    for n, reason in bad[:MAX_BAD_LINES_REPORTED]:
        yield Skipped(f"{origin}:line {n}", reason, "malformed-json")
    if len(bad) > MAX_BAD_LINES_REPORTED:
        rest = len(bad) - MAX_BAD_LINES_REPORTED
        yield Skipped(origin, f"{rest} more malformed JSON lines", "malformed-json")
    bad.clear()


def get_path(record: Any, path: str) -> Any:
    """Value at a dotted ``path`` in nested dicts/lists (``"body.text"``, ``"authors.0"``), or None."""
    if isinstance(record, dict) and path in record:
        return record[path]
    value = record
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.lstrip("-").isdigit():
            idx = int(part)
            value = value[idx] if -len(value) <= idx < len(value) else None
        else:
            return None
        if value is None:
            return None
    return value


def _field(record: dict[str, Any], key: str, options: IngestOptions) -> Any:
    mapped = options.fields.get(key)
    if mapped:
        return get_path(record, mapped)
    for candidate in FIELD_KEYS.get(key, ()):
        value = record.get(candidate)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)  # paragraphs given as a list
    if isinstance(value, dict):
        for key in ("name", "text", "value", "@id"):
            if isinstance(value.get(key), str):
                return value[key]
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _record_doc(origin: str, record: dict[str, Any], options: IngestOptions) -> RawDoc | None:
    text = _as_text(_field(record, "text", options))
    meta: dict[str, Any] = {}
    meta_origin: dict[str, str] = {}
    description = _as_text(_field(record, "description", options))
    if not (text and text.strip()):
        if description and description.strip() and "text" not in options.fields:
            text = description  # news-please records often have only a description
        else:
            return None
    for key in ("title", "source", "url", "language", "id", "description"):
        value = _as_text(_field(record, key, options))
        if value is not None and value.strip():
            meta[key] = value.strip()
            meta_origin[key] = "record"
    published = normalize_date(_field(record, "published", options))
    if published:
        meta["published"] = published
        meta_origin["published"] = "record"
    authors = normalize_authors(_field(record, "authors", options))
    if authors:
        meta["authors"] = authors
        meta_origin["authors"] = "record"
    try:
        raw = json.dumps(record, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        raw = str(record)
    return RawDoc(origin=origin, text=text, raw=raw, meta=meta, meta_origin=meta_origin)
