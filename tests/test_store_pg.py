"""The store's behaviour on both backends (SQLite and PostgreSQL), and concurrent writers.

PostgreSQL tests reach the server named by ``NEWSPRISM_TEST_PG`` (default
``postgresql://postgres@127.0.0.1:5432/test``); each runs in a database of its own that it
creates and drops. They skip, with the reason, only when no server answers.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsprism.model import (
    Article,
    Attribution,
    BriefLine,
    Citation,
    DateMention,
    Enriched,
    EntityMention,
    Removed,
    Sentence,
    Skipped,
    Span,
    Story,
)
from newsprism.store.base import ArticleStore, is_postgres_url, open_store, store_label
from newsprism.store.sqlite import StoreError

PG_URL = os.environ.get("NEWSPRISM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _with_db(url: str, dbname: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{dbname}"


def _admin() -> object:
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server answers at {store_label(PG_URL)} ({exc})")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    admin = _admin()
    name = f"newsprism_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    try:
        yield _with_db(PG_URL, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return request.getfixturevalue("pg_url")


def _article(i: int, text: str = "The harbour board met on Monday.") -> Article:
    return Article(
        id=f"a{i}",
        text=text,
        raw="CAPTION LINE\n" + text,
        path=f"/tmp/a{i}.txt",
        title=f"Title {i}",
        source="Harbour Courier",
        published="2025-03-04",
        authors=["Mira Olsen"],
        language="en",
        captions=["CAPTION LINE"],
        removed=[Removed("CAPTION LINE", "caption", 1)],
        meta_origin={"title": "first-line"},
        content_hash=f"h{i}",
    )


def test_open_store_picks_the_backend_by_location(location: str) -> None:
    with open_store(location) as db:
        assert isinstance(db, ArticleStore)
        assert type(db).__name__ == ("PostgresStore" if is_postgres_url(location) else "Store")
    assert store_label("postgresql://ann:secret@db.example:5432/news") == (
        "postgresql://ann:***@db.example:5432/news"
    )


def test_articles_round_trip_and_are_stored_once(location: str) -> None:
    with open_store(location) as db:
        assert db.add_articles([_article(1), _article(2)]) == 2
        changed = _article(1, "The harbour board met again on Tuesday.")
        db.add_articles([changed])  # same id again: replaced in place, not duplicated
        # the same content under another id is not stored a second time
        clash = _article(3)
        clash.content_hash = "h2"
        assert db.add_articles([clash]) == 0
        assert db.counts()["articles"] == 2
    with open_store(location) as db:  # persisted
        arts = db.articles()
        assert [a.id for a in arts] == ["a1", "a2"]  # a1 kept its position
        assert arts[0] == changed
        assert arts[1] == _article(2)
        assert db.content_hashes() == {"h1", "h2"}
        assert db.article_paths() == {"a1": "/tmp/a1.txt", "a2": "/tmp/a2.txt"}
        db.set_duplicates({"a2": "a1"})
        db.set_sources({"a1": "The Harbour Courier"})
        arts = db.articles()
        assert (arts[1].duplicate_of, arts[0].source) == ("a1", "The Harbour Courier")


def test_full_text_search_finds_words(location: str) -> None:
    with open_store(location) as db:
        db.add_articles(
            [
                _article(1),
                _article(2, "Dockworkers walked out at the port of Vessa on Monday."),
                _article(3, "Farmers in Orlen blocked a road with tractors."),
            ]
        )
        hits = db.search("dockworkers")
        assert [h[0] for h in hits] == ["a2"]
        assert "[Dockworkers]" in hits[0][1]
        assert [h[0] for h in db.search("tractors")] == ["a3"]
        assert db.search("zeppelin") == []


def test_sqlite_reports_a_bad_query_as_a_store_error(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as db:
        db.add_articles([_article(1)])
        with pytest.raises(StoreError):
            db.search('"unbalanced')


def test_enrichment_round_trip_and_delete(location: str) -> None:
    text = "Mayor Ilse Brandt said on Thursday that the bridge will reopen."
    e = Enriched(
        article_id="a1",
        sentences=[Sentence(0, len(text), text)],
        entities=[
            EntityMention(6, 17, "Ilse Brandt", "PERSON", "Ilse Brandt", "Mayor", "Ilse Brandt")
        ],
        dates=[DateMention(26, 34, "Thursday", "2025-03-06")],
        attributions=[
            Attribution(
                source=Span.of(text, 6, 17),
                cue=Span.of(text, 18, 22),
                content=[Span.of(text, 40, len(text) - 1)],
                speaker="Ilse Brandt",
                kind="indirect",
            )
        ],
    )
    with open_store(location) as db:
        db.add_articles([_article(1, text), _article(2)])
        db.add_enrichment([e])
        db.add_enrichment([e])  # again: replaced, not doubled
        assert db.enrichment() == {"a1": e}
        db.delete_enrichment(["a1"])
        assert db.enrichment() == {}


def test_stories_state_and_skipped(location: str) -> None:
    with open_store(location) as db:
        db.add_articles([_article(1), _article(2)])
        story = Story(
            "story-0001",
            "Port strike",
            ["a1", "a2"],
            brief=[BriefLine("The harbour board met on Monday.", [Citation("a1", 0, 32)])],
        )
        db.replace_stories([story], [{"id": story.id, "title": story.title}])
        db.replace_stories([story], [{"id": story.id, "title": story.title}])
        assert db.stories() == [{"id": "story-0001", "title": "Port strike"}]
        db.set_state("cluster", {"n": 3})
        db.set_state("cluster", {"n": 4})
        assert db.get_state("cluster") == {"n": 4}
        assert db.get_state("missing") is None
        db.add_skipped([Skipped("x.bin", "binary file", "binary")])
        assert db.counts() == {"articles": 2, "enrichment": 0, "stories": 1, "skipped": 1}


def test_embeddings_cache_round_trip(location: str) -> None:
    with open_store(location) as db:
        if not hasattr(db, "get_embeddings"):
            pytest.skip("this backend keeps no embeddings yet")
        db.put_embeddings([(b"k1", b"\x00\x01vec"), (b"k2", b"v2")])
        db.put_embeddings([(b"k2", b"v2-new")])
        assert db.get_embeddings([b"k1", b"k2", b"k3"]) == {b"k1": b"\x00\x01vec", b"k2": b"v2-new"}


def test_nul_characters_do_not_break_the_store(location: str) -> None:
    art = _article(1, "A stray\x00 byte in the text.")
    with open_store(location) as db:
        assert db.add_articles([art]) == 1
        back = db.articles()[0]
        assert len(back.text) == len(art.text)  # offsets stay valid


def test_an_unreachable_server_is_a_clear_store_error() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


# -- several writers at once -----------------------------------------------------------------


def _writer(location: str, ids: list[int], barrier: object) -> None:
    db = open_store(location)
    try:
        barrier.wait()  # type: ignore[attr-defined]
        for start in range(0, len(ids), 7):  # small batches, so the writers interleave
            db.add_articles(
                [_article(i, f"Report number {i} on the harbour.") for i in ids[start : start + 7]]
            )
        db.set_state(f"writer-{ids[0]}", len(ids))
    finally:
        db.close()


def _run_writers(location: str, n_writers: int, make_ids: Callable[[int], list[int]]) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(n_writers)
    procs = [
        ctx.Process(target=_writer, args=(location, make_ids(w), barrier)) for w in range(n_writers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * n_writers


def test_concurrent_writers_lose_and_double_nothing(pg_url: str) -> None:
    open_store(pg_url).close()  # schema first, as a deployment would
    # four writers, each with an overlapping range in its own order
    ranges = {0: range(0, 60), 1: range(30, 90), 2: range(59, -1, -1), 3: range(89, 20, -1)}
    _run_writers(pg_url, 4, lambda w: list(ranges[w]))
    with open_store(pg_url) as db:
        arts = db.articles()
        ids = [a.id for a in arts]
        assert sorted(ids) == sorted(f"a{i}" for i in range(90))
        assert len(set(ids)) == len(ids) == db.counts()["articles"]
        assert len(db.content_hashes()) == 90
        assert all(a.text == f"Report number {a.id[1:]} on the harbour." for a in arts)
        assert len(db.search("harbour", limit=200)) == 90


def test_concurrent_writers_on_a_fresh_database_create_the_schema_once(pg_url: str) -> None:
    _run_writers(pg_url, 3, lambda w: list(range(w * 10, w * 10 + 25)))
    with open_store(pg_url) as db:
        assert db.counts()["articles"] == 45


# -- the CLI on PostgreSQL -------------------------------------------------------------------


def test_cli_ingest_and_search_on_postgres(pg_url: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsprism.cli import main

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(
        "Ferry crews in Pollock Sound stopped work on Friday over new rotas.\n\n"
        "The operator said sailings would resume on Monday.\n"
    )
    (corpus / "orchard.txt").write_text(
        "A late frost damaged apple orchards across the Dree valley this week.\n"
    )
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", str(corpus), "--store", pg_url])
    assert res.exit_code == 0, res.output
    assert "2 new articles" in res.stderr
    again = runner.invoke(main, ["ingest", str(corpus), "--store", pg_url])
    assert again.exit_code == 0 and "0 new articles, 2 in the store" in again.stderr
    found = runner.invoke(main, ["search", "ferry crews", "--store", pg_url])
    assert found.exit_code == 0
    assert found.stdout.startswith("ferry\t") and "[Ferry]" in found.stdout
    missing = runner.invoke(main, ["search", "x", "--store", str(tmp_path / "none.db")])
    assert missing.exit_code == 2
