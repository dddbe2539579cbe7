"""The one date and author normaliser (``newsprism.ingest.meta``) on each reader's inputs.

Before the merge, the JSON/HTML/feed/archive readers used a lenient copy in ``jsonrec`` (free
text kept for later, epoch milliseconds, URL authors dropped, ``von``/``par`` bylines) and the
metadata merge (sidecars, manifests, ``--published``) a stricter one. These tests pin the merged
rules, so that an article's date and authors no longer depend on which reader read it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from newsprism.ingest import feeds, html, jsonrec
from newsprism.ingest.base import IngestOptions, RawDoc
from newsprism.ingest.meta import merge, normalize_authors, normalize_date

OPTS = IngestOptions()
BODY = "The harbour authority in Ormsby approved the new ferry timetable on Tuesday evening."


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        # ISO, as JSON records, JSON-LD, sidecars and manifests write them
        ("2023-03-17", "2023-03-17"),
        ("  2023-03-17 ", "2023-03-17"),
        ("2023-03-17T09:30:00Z", "2023-03-17T09:30:00+00:00"),
        ("2023-03-17T09:30:00+01:00", "2023-03-17T09:30:00+01:00"),
        ("2017-02-10 08:39:35", "2017-02-10T08:39:35"),  # news-please date_publish
        ("2023-03-17 (updated)", "2023-03-17"),  # unreadable tail: the date part
        ("2023-02-30", None),  # impossible date
        ("2023-02-30T10:00:00", None),
        # RFC 2822, as feeds and mail headers write them
        ("Fri, 17 Mar 2023 09:30:00 GMT", "2023-03-17T09:30:00+00:00"),
        ("Fri, 17 Mar 2023 09:30:00 +0200", "2023-03-17T09:30:00+02:00"),
        # free text with a year (dateparser)
        ("March 17, 2023", "2023-03-17"),
        ("17 March 2023", "2023-03-17"),
        ("5 January 2030", "2030-01-05"),  # was kept raw by the JSON reader
        # epoch seconds and milliseconds, as numbers or digit strings
        (1679045400, "2023-03-17T09:30:00+00:00"),
        (1679045400.0, "2023-03-17T09:30:00+00:00"),
        (1679045400000, "2023-03-17T09:30:00+00:00"),
        ("1679045400", "2023-03-17T09:30:00+00:00"),
        ("1679045400000", "2023-03-17T09:30:00+00:00"),
        # JSON objects holding a date
        ({"$date": 1679045400000}, "2023-03-17T09:30:00+00:00"),
        ({"@value": "2023-03-17"}, "2023-03-17"),
        # objects
        (date(2023, 3, 17), "2023-03-17"),
        (datetime(2023, 3, 17, 9, 30, tzinfo=UTC), "2023-03-17T09:30:00+00:00"),
        # junk
        ("next week", None),
        ("Tuesday", None),
        ("", None),
        ("   ", None),
        (None, None),
        (True, None),
        (2023, None),  # a bare year is not an epoch second worth believing
        (-5, None),
        ({"author": "x"}, None),
        (["2023-03-17"], None),
        ("x" * 101, None),
    ],
)
def test_normalize_date(value: object, iso: str | None) -> None:
    assert normalize_date(value) == iso


def test_normalize_date_is_idempotent() -> None:
    for value in ("2023-03-17", "Fri, 17 Mar 2023 09:30:00 GMT", 1679045400, "17 March 2023"):
        once = normalize_date(value)
        assert once is not None
        assert normalize_date(once) == once


# ------------------------------------------------------------------ authors


@pytest.mark.parametrize(
    ("value", "names"),
    [
        # bylines as text (scraped text, meta tags, manifests)
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("by Jane Doe", ["Jane Doe"]),
        ("Jane Doe; John Roe | Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe\nJohn Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
        ("By Ana Li, Tom Berg", ["Ana Li", "Tom Berg"]),
        ("Jane Doe, John Roe and Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("Doe, Jane", ["Doe, Jane"]),  # "Last, First" is one name
        ("By Doe, Jane", ["Doe, Jane"]),
        ("Von Anna Schmidt", ["Anna Schmidt"]),
        ("Par Jeanne Martin", ["Jeanne Martin"]),
        ("  Jane   Doe , ", ["Jane Doe"]),
        ("Alexandra Anderson", ["Alexandra Anderson"]),  # "and" only as a word
        # lists (news-please, newspaper3k, sidecars)
        (["Kit Rowan"], ["Kit Rowan"]),
        (["Jane Doe", "John Roe"], ["Jane Doe", "John Roe"]),
        (("Jane Doe", "John Roe"), ["Jane Doe", "John Roe"]),
        (["Jane Doe", "Jane Doe"], ["Jane Doe"]),  # repeats dropped
        (["By Jane Doe and John Roe"], ["Jane Doe", "John Roe"]),
        # objects with a name (schema.org Person, feed authors)
        ({"@type": "Person", "name": "Ana Lis"}, ["Ana Lis"]),
        ([{"name": "Ana Lis"}, "Bo Rand"], ["Ana Lis", "Bo Rand"]),
        ({"name": "Smith and Jones"}, ["Smith and Jones"]),  # an object's name is not split
        ([{"name": "Ana Li"}, "https://x.example/ana"], ["Ana Li"]),  # profile URLs dropped
        ({"@id": "https://x.example/#author"}, []),
        # junk
        (None, []),
        ("", []),
        (" ; | ", []),
        (42, []),
        ("x" * 101, []),
        ([None, {}, 7], []),
    ],
)
def test_normalize_authors(value: object, names: list[str]) -> None:
    assert normalize_authors(value) == names


# ------------------------------------------------------------------ each reader, end to end


def test_json_record_dates_and_authors() -> None:
    record = {
        "maintext": BODY,
        "date_publish": "5 January 2030",
        "authors": "By Jane Doe and John Roe",
    }
    [doc] = list(jsonrec.read("one.json", json.dumps(record).encode(), OPTS))
    assert isinstance(doc, RawDoc)
    assert doc.meta["published"] == "2030-01-05"
    assert doc.meta["authors"] == ["Jane Doe", "John Roe"]


def test_json_record_epoch_milliseconds_and_junk_date() -> None:
    lines = [
        {"text": BODY, "date": 1679045400000, "author": {"name": "Ana Lis"}},
        {"text": BODY, "date": "soon", "author": ["Ana Lis", "https://x.example/ana"]},
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    first, second = list(jsonrec.read("many.jsonl", data, OPTS))
    assert isinstance(first, RawDoc) and isinstance(second, RawDoc)
    assert first.meta["published"] == "2023-03-17T09:30:00+00:00"
    assert first.meta["authors"] == ["Ana Lis"]
    assert "published" not in second.meta  # junk is dropped by the reader, not kept raw
    assert second.meta["authors"] == ["Ana Lis"]


def test_html_junk_json_ld_date_falls_back_to_meta_tag() -> None:
    page = f"""<html><head>
    <script type="application/ld+json">
    {{"@type": "NewsArticle", "headline": "Ferry timetable", "datePublished": "TBC",
      "author": [{{"@type": "Person", "name": "Ines Cardell"}}, "https://x.example/ines"]}}
    </script>
    <meta property="article:published_time" content="2024-03-14T08:00:00Z">
    </head><body><article><h1>Ferry timetable</h1><p>{BODY}</p><p>{BODY}</p></article>
    </body></html>"""
    [doc] = list(html.read("page.html", page.encode(), OPTS))
    assert isinstance(doc, RawDoc)
    assert doc.meta["authors"] == ["Ines Cardell"]
    assert doc.meta["published"] == "2024-03-14T08:00:00+00:00"
    assert doc.meta_origin["published"] == "html-meta"


def test_feed_date_feedparser_cannot_read_is_normalized() -> None:
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Echo</title>
    <item><title>Ferry timetable</title><link>https://echo.example/ferry</link>
    <pubDate>March 17, 2023</pubDate><author>jane@echo.example (Jane Doe)</author>
    <description>{BODY}</description></item></channel></rss>"""
    [doc] = [d for d in feeds.read("echo.rss", rss.encode(), OPTS) if isinstance(d, RawDoc)]
    assert doc.meta["published"] == "2023-03-17"


def test_merge_applies_the_same_rules_to_sidecars_and_manifests() -> None:
    manifest = {"authors": "Jane Doe | John Roe", "published": "1679045400"}
    sidecar = {"authors": ["Ana Lis"], "published": "2023-01-01"}
    reader = {"authors": ["Bo Rand"], "published": "2022-12-31"}
    meta, origin = merge([(manifest, "manifest"), (sidecar, "sidecar"), (reader, {})])
    assert meta["authors"] == ["Jane Doe", "John Roe"]
    assert meta["published"] == "2023-03-17T09:30:00+00:00"
    assert origin == {"authors": "manifest", "published": "manifest"}
    meta, _ = merge([({"published": "someday", "authors": "https://x.example"}, "sidecar")])
    assert meta == {}
