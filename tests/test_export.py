"""Exports (newsprism.store.export and ``newsprism export``): the documented columns, one row
per item, per-outlet columns, filters, the three formats agreeing, hostile text surviving a
CSV round trip, and output produced in pieces rather than all at once."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsprism.cli import main
from newsprism.model import Article, Story
from newsprism.store.export import (
    COLUMNS,
    KINDS,
    OUTLET_PREFIX,
    ExportError,
    export_chunks,
    export_table,
    write_export,
)
from newsprism.store.sqlite import Store
from test_web_fixtures import HOSTILE_OUTLET, ODD, SCRIPT, analyzed_store, hostile_store


@pytest.fixture(scope="module")
def sample() -> Path:
    return analyzed_store()


def _csv(db: Store, kind: str, **kw: Any) -> list[dict[str, str]]:
    out = io.BytesIO()
    write_export(db, kind, "csv", out, **kw)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))


def test_every_kind_has_its_documented_columns(sample: Path) -> None:
    with Store(sample) as db:
        outlets = db.outlets()
        for kind in KINDS:
            out = io.BytesIO()
            write_export(db, kind, "csv", out)
            header = next(csv.reader(io.StringIO(out.getvalue().decode("utf-8"))))
            fixed = [n for n, _ in COLUMNS[kind]]
            assert header[: len(fixed)] == fixed, kind
            extra = header[len(fixed) :]
            assert extra in ([], [OUTLET_PREFIX + o for o in outlets]), kind


def test_facts_one_row_per_fact_with_per_outlet_columns(sample: Path) -> None:
    with Store(sample) as db:
        stories = db.stories()
        rows = _csv(db, "facts")
    facts = [(s["id"], f) for s in stories for f in s.get("facts", [])]
    assert len(rows) == len(facts) > 0
    for row, (sid, fact) in zip(rows, facts, strict=True):
        assert (row["story"], row["fact"], row["status"]) == (sid, fact["id"], fact["status"])
        carried = {
            k[len(OUTLET_PREFIX) :]
            for k, v in row.items()
            if k.startswith(OUTLET_PREFIX) and v == "1"
        }
        assert carried == set(fact["outlets"])
        assert int(row["n_outlets"]) == len(fact["outlets"])


def test_coverage_counts_facts_per_outlet(sample: Path) -> None:
    with Store(sample) as db:
        stories = {s["id"]: s for s in db.stories()}
        rows = _csv(db, "coverage")
    assert {r["story"] for r in rows} == set(stories)
    for row in rows:
        facts = stories[row["story"]].get("facts", [])
        assert int(row["n_facts"]) == len(facts)
        for key, value in row.items():
            if key.startswith(OUTLET_PREFIX) and value:
                outlet = key[len(OUTLET_PREFIX) :]
                assert int(value) == sum(outlet in f["outlets"] for f in facts)


def test_story_and_since_filters(sample: Path) -> None:
    with Store(sample) as db:
        stories = db.stories()
        one = stories[0]
        rows = _csv(db, "articles", story=one["id"])
        assert sorted(r["id"] for r in rows) == sorted(one["articles"])
        quotes = _csv(db, "quotes", story=one["id"])
        assert {r["story"] for r in quotes} <= {one["id"]}
        assert len(quotes) == sum(len(g["quotes"]) for g in one.get("quotes", []))
        since = "2025-06-01"
        rows = _csv(db, "articles", since=since)
        assert rows and all(r["published"] >= since for r in rows)
        every = _csv(db, "articles")
        assert len(rows) == sum(1 for r in every if r["published"] >= since)


def test_formats_agree(sample: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    with Store(sample) as db:
        for kind in ("facts", "entities", "articles"):
            rows = _csv(db, kind)
            out = io.BytesIO()
            write_export(db, kind, "jsonl", out)
            lines = [json.loads(x) for x in out.getvalue().decode("utf-8").splitlines()]
            out = io.BytesIO()
            write_export(db, kind, "parquet", out)
            table = pq.read_table(io.BytesIO(out.getvalue())).to_pylist()
            assert len(rows) == len(lines) == len(table), kind
            for c, j, p in zip(rows, lines, table, strict=True):
                assert j == p
                assert c == {k: "" if v is None else str(v) for k, v in j.items()}


def test_hostile_text_round_trips(tmp_path: Path) -> None:
    hostile_store(tmp_path / "h.db")
    with Store(tmp_path / "h.db") as db:
        texts = {a.id: a.text for a in db.articles()}
        rows = _csv(db, "articles")
        facts = _csv(db, "facts")
    assert {r["id"]: r["text"] for r in rows} == texts
    assert any(SCRIPT in r["text"] for r in rows) and any(ODD in r["text"] for r in rows)
    assert facts[0][OUTLET_PREFIX + HOSTILE_OUTLET] == "1"


def test_output_comes_in_pieces(tmp_path: Path) -> None:
    """Over 2,000 rows the CSV comes in more than one piece: rows are not all held at once."""
    with Store(tmp_path / "big.db") as db:
        db.add_articles(
            [
                Article(
                    id="a1", text="Ferries ran late.", source="Tern Tribune", published="2030-01-01"
                )
            ]
        )
        story = {
            "id": "s1",
            "title": "Ferries",
            "articles": ["a1"],
            "outlets": ["Tern Tribune"],
            "last_published": "2030-01-01",
            "facts": [
                {
                    "id": f"f{i}",
                    "text": f"Fact {i}.",
                    "status": "single-source",
                    "outlets": ["Tern Tribune"],
                    "sources": [{"article": "a1", "start": 0, "end": 17}],
                    "conflicts": [],
                }
                for i in range(5000)
            ],
        }
        db.replace_stories([Story("s1", "Ferries", ["a1"])], [story])
        chunks = list(export_chunks(export_table(db, "facts"), "csv"))
        assert len(chunks) >= 3
        assert sum(c.count(b"\r\n") for c in chunks) == 5001
        pq_chunks = list(export_chunks(export_table(db, "facts"), "parquet"))
        assert len(pq_chunks) >= 3


def test_unknown_kind_or_format(sample: Path) -> None:
    with Store(sample) as db:
        with pytest.raises(ExportError):
            export_table(db, "passwords")
        with pytest.raises(ExportError):
            list(export_chunks(export_table(db, "facts"), "xlsx"))


def test_cli_export(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    r = CliRunner().invoke(
        main, ["export", str(sample), "--what", "facts", "--format", "csv", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    with Store(sample) as db:
        assert len(_csv(db, "facts")) == len(
            list(csv.DictReader(out.open(encoding="utf-8", newline="")))
        )
    r = CliRunner().invoke(
        main, ["export", str(sample), "--what", "facts", "--since", "soon", "-o", str(out)]
    )
    assert r.exit_code == 2 and "--since" in r.output
    r = CliRunner().invoke(
        main, ["export", str(sample), "--what", "facts", "--story", "nope", "-o", str(out)]
    )
    assert r.exit_code == 2
    r = CliRunner().invoke(
        main, ["export", str(tmp_path / "missing.db"), "--what", "facts", "-o", str(out)]
    )
    assert r.exit_code == 2 and not (tmp_path / "missing.db").exists()


def test_events_one_row_per_story_event_with_its_documented_columns(sample: Path) -> None:
    """The events export carries the stories' event records (docs/events.md columns)."""
    with Store(sample) as db:
        stories = db.stories()
        rows = _csv(db, "events")
    events = [(s["id"], e) for s in stories for e in s.get("events", [])]
    assert len(rows) == len(events) > 0
    for row, (sid, ev) in zip(rows, events, strict=True):
        assert row["story"] == sid
        assert row["type"] == ev["type"] and row["article"] == ev["article"]
        assert row["outlets"] == str(ev["outlets"])
