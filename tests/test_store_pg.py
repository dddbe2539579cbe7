"""PostgreSQL only: concurrent writers, and the CLI and the web app on a PostgreSQL store.
(The store's behaviour on both backends is in test_store.py.)

The tests reach the server named by ``NEWSPRISM_TEST_PG`` (default
``postgresql://postgres@127.0.0.1:5432/test``); each runs in a database of its own that it
creates and drops (the ``pg_url`` fixture in conftest.py). They skip, with the reason, only
when no server answers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import pg_database
from newsprism.model import Story
from newsprism.store.base import open_store
from newsprism.store.sql import SQLStore
from newsprism.store.sqlite import StoreError
from test_store import _article
from test_web_fixtures import analyzed_store


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


# -- `newsprism serve` and `newsprism export` on PostgreSQL ----------------------------------


def copy_into(src: SQLStore, dest: SQLStore) -> None:
    """Everything of store ``src`` written into ``dest`` through the store API, in order."""
    dest.add_articles(src.articles())
    dest.add_enrichment(src.enrichment().values())
    titles = {s["id"]: s["title"] for s in src.story_summaries()}
    data = src.stories()
    dest.replace_stories([Story(d["id"], titles[d["id"]], list(d["articles"])) for d in data], data)
    dest.set_state("cluster", src.get_state("cluster"))


@pytest.fixture(scope="module")
def twins() -> Iterator[tuple[Path, str]]:
    """The analyzed sample corpus (a SQLite file) and the same archive in PostgreSQL."""
    sqlite_path = analyzed_store()
    with pg_database() as url:
        with open_store(sqlite_path) as src, open_store(url) as dest:
            copy_into(src, dest)
        yield sqlite_path, url


def test_serve_on_postgres_shows_what_the_sqlite_store_shows(twins: tuple[Path, str]) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsprism.web import create_app

    sqlite_path, url = twins
    lite, pg = TestClient(create_app(sqlite_path, token="")), TestClient(create_app(url, token=""))
    listed = pg.get("/api/stories", params={"per_page": 200}).json()
    assert listed["total"] > 0
    assert listed == lite.get("/api/stories", params={"per_page": 200}).json()
    for sort in ("size", "oldest", "title"):
        params = {"per_page": 200, "sort": sort}
        assert (
            pg.get("/api/stories", params=params).json()
            == lite.get("/api/stories", params=params).json()
        )
    first = listed["items"][0]["id"]
    story = pg.get(f"/api/stories/{first}").json()
    assert story == lite.get(f"/api/stories/{first}").json()
    article = story["articles"][0]
    assert pg.get(f"/api/articles/{article}").json() == lite.get(f"/api/articles/{article}").json()
    entities = pg.get("/api/entities").json()
    assert entities == lite.get("/api/entities").json()
    for page in ("/", f"/stories/{first}", f"/articles/{article}", "/articles", "/entities"):
        assert pg.get(page).status_code == 200, page
    # search: PostgreSQL full-text search finds the same articles for a plain word
    word = next(w for w in story["title"].split() if len(w) > 4 and w.isalpha())
    hits = pg.get("/api/articles", params={"q": word, "per_page": 200}).json()
    assert hits["total"] > 0
    same = lite.get("/api/articles", params={"q": word, "per_page": 200}).json()
    assert {a["id"] for a in hits["items"]} == {a["id"] for a in same["items"]}
    assert "[" in (hits["items"][0]["snippet"] or "")
    found = pg.get("/api/stories", params={"q": word}).json()["items"]
    assert first in {s["id"] for s in found}
    assert pg.get("/api/stories/no-such-story").status_code == 404


def test_the_web_app_writes_to_postgres_and_its_readers_see_it(pg_url: str) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsprism.web import create_app

    with open_store(analyzed_store()) as src, open_store(pg_url) as dest:
        copy_into(src, dest)
    app = TestClient(create_app(pg_url, token="tok"))
    auth = {"Authorization": "Bearer tok"}
    assert app.get("/api/watchlist").json()["total"] == 0
    made = app.post("/api/watchlist", json={"kind": "query", "value": "ferry"}, headers=auth)
    assert made.status_code == 201, made.text
    assert [w["value"] for w in app.get("/api/watchlist").json()["items"]] == ["ferry"]
    # another writer (an analyze run elsewhere) renames an outlet: the app's index follows
    outlet = app.get("/api/stories").json()["items"][0]["outlets"][0]
    before = app.get("/api/articles", params={"outlet": outlet}).json()["total"]
    with open_store(pg_url) as other:
        ids = [a.id for a in other.articles() if a.source == outlet]
        other.set_sources(dict.fromkeys(ids, "Renamed Gazette"))
    assert len(ids) == before > 0
    renamed = app.get("/api/articles", params={"outlet": "Renamed Gazette"}).json()
    assert renamed["total"] == len(ids)
    assert app.get("/api/articles", params={"outlet": outlet}).json()["total"] == 0


def test_export_from_postgres_equals_the_sqlite_export(
    twins: tuple[Path, str], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from newsprism.cli import main
    from newsprism.store.export import KINDS

    sqlite_path, url = twins
    runner = CliRunner()
    for kind in KINDS:
        for fmt in ("csv", "jsonl"):
            out = {}
            for name, store in (("sqlite", str(sqlite_path)), ("pg", url)):
                dest = tmp_path / f"{kind}-{name}.{fmt}"
                res = runner.invoke(
                    main, ["export", store, "--what", kind, "--format", fmt, "-o", str(dest)]
                )
                assert res.exit_code == 0, res.output
                out[name] = dest.read_bytes()
            assert out["pg"] == out["sqlite"], (kind, fmt)
            if kind in ("facts", "articles"):
                assert out["pg"].count(b"\n") > 1, kind
    with open_store(url) as db:
        story = db.stories()[0]["id"]
    res = runner.invoke(
        main,
        [
            "export",
            url,
            "--what",
            "facts",
            "--story",
            story,
            "--since",
            "2000-01-01",
            "-o",
            str(tmp_path / "f.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    missing = runner.invoke(
        main, ["export", url, "--what", "facts", "--story", "nope", "-o", str(tmp_path / "x.csv")]
    )
    assert missing.exit_code == 2 and "no story 'nope'" in missing.output
