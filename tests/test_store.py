"""The store's behaviour, the same on both backends: every test that takes ``store_location``
or ``store`` runs on a SQLite file and on a fresh PostgreSQL database of its own, dropped
afterwards (``NEWSPRISM_TEST_PG``, see conftest.py; skipped with the reason when no server
answers). Concurrent writers and the CLI on PostgreSQL are in test_store_pg.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
from newsprism.store.base import ArticleStore, is_postgres_url, open_reader, open_store, store_label
from newsprism.store.sqlite import Store, StoreError
from newsprism.text import content_hash


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


def test_open_store_picks_the_backend_by_location(store_location: str) -> None:
    with open_store(store_location) as db:
        assert isinstance(db, ArticleStore)
        assert type(db).__name__ == (
            "PostgresStore" if is_postgres_url(store_location) else "Store"
        )
    assert store_label("postgresql://ann:secret@db.example:5432/news") == (
        "postgresql://ann:***@db.example:5432/news"
    )


def test_articles_round_trip_and_are_stored_once(store_location: str) -> None:
    with open_store(store_location) as db:
        assert db.add_articles([_article(1), _article(2)]) == 2
        changed = _article(1, "The harbour board met again on Tuesday.")
        db.add_articles([changed])  # same id again: replaced in place, not duplicated
        # the same content under another id is not stored a second time
        clash = _article(3)
        clash.content_hash = "h2"
        assert db.add_articles([clash]) == 0
        assert db.counts()["articles"] == 2
    with open_store(store_location) as db:  # persisted
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


def test_full_text_search_finds_words(store_location: str) -> None:
    with open_store(store_location) as db:
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
            db.search('"unbalanced')  # FTS5 syntax; PostgreSQL's web-search syntax takes anything


def test_enrichment_round_trip_and_delete(store_location: str) -> None:
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
        enricher="5e1f00d2c0ffee00",
    )
    with open_store(store_location) as db:
        db.add_articles([_article(1, text), _article(2)])
        db.add_enrichment([e])
        db.add_enrichment([e])  # again: replaced, not doubled
        assert db.enrichment() == {"a1": e}
        # the digest of the record as stored, noted when written and when read
        assert e.digest == content_hash(e.record_text())
        assert db.enrichment()["a1"].digest == db.enrichment_of(["a1"])["a1"].digest == e.digest
        # the outline: the entities only, read from the record by the database
        outline = db.enrichment_outline()["a1"]
        assert outline.partial and outline.digest == e.digest
        assert outline.enricher == "5e1f00d2c0ffee00"  # which analysis made it: read out too
        assert e.attributions and outline.entities == e.entities
        assert outline.sentences == outline.dates == outline.clauses == outline.attributions == []
        assert not db.enrichment()["a1"].partial
        db.delete_enrichment(["a1"])
        assert db.enrichment() == {}
        assert db.enrichment_outline() == {}


def test_stories_state_and_skipped(store_location: str) -> None:
    with open_store(store_location) as db:
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


def test_replacing_stories_writes_what_changed_and_keeps_nothing_stale(
    store_location: str,
) -> None:
    def put(db: Any, stories: list[Story]) -> None:
        db.replace_stories(stories, [{"id": s.id, "title": s.title} for s in stories])

    with open_store(store_location) as db:
        db.add_articles([_article(i) for i in range(1, 5)])
        put(db, [Story("s1", "Strike", ["a1", "a2"]), Story("s2", "Flood", ["a3"])])
        # s1 gains an article and a title, s2 is gone, s3 is new: exactly these stories remain
        put(db, [Story("s1", "Port strike", ["a1", "a2", "a4"]), Story("s3", "Fire", ["a3"])])
        assert db.stories() == [
            {"id": "s1", "title": "Port strike"},
            {"id": "s3", "title": "Fire"},
        ]
        assert [db.article_stories(f"a{i}") for i in range(1, 5)] == [
            ["s1"],
            ["s1"],
            ["s3"],
            ["s1"],
        ]
        put(db, [])
        assert db.stories() == [] and db.article_stories("a1") == []


def test_stories_given_as_their_json_text_are_stored_verbatim(store_location: str) -> None:
    """``analyze`` hands the store a reused story's record as the text it was stored as: it is
    kept byte for byte (non-ASCII escaped as stored), mixed with records given as dicts."""
    strike = Story("s1", "Grève au port", ["a1", "a2"])
    fire = Story("s2", "Fire at the mill", ["a3"])
    with open_store(store_location) as db:
        db.add_articles([_article(i) for i in range(1, 4)])
        records = {
            s.id: {"id": s.id, "title": s.title, "articles": s.articles} for s in (strike, fire)
        }
        db.replace_stories([strike, fire], [records["s1"], records["s2"]])
        stored = db.story_texts()
        assert stored == {sid: json.dumps(r) for sid, r in records.items()}
        assert "Gr\\u00e8ve" in stored["s1"]
        db.replace_stories([strike, fire], [stored["s1"], {**records["s2"], "title": "Mill fire"}])
        assert db.story_texts()["s1"] == stored["s1"]
        assert [d["title"] for d in db.stories()] == ["Grève au port", "Mill fire"]
        assert db.article_stories("a2") == ["s1"] and db.article_stories("a3") == ["s2"]


def test_story_outlines_pick_the_timeline_and_storyline_out_of_each_record(
    store_location: str,
) -> None:
    """What a run reads of a story it reuses: the record's text as stored, with its timeline
    decoded and its storyline id, picked out by the database (a record without them: an
    empty timeline and no storyline), on both backends."""
    strike = Story("s1", "Grève au port", ["a1", "a2"])
    fire = Story("s2", "Fire at the mill", ["a3"])
    timeline = [
        {"date": "2025-03-04", "text": "Dockers walked out «at dawn».", "sources": [["a1", 0, 9]]},
        {"date": "2025-03-06", "text": "The strike ended.", "sources": []},
    ]
    with open_store(store_location) as db:
        db.add_articles([_article(i) for i in range(1, 4)])
        records = [
            {
                "id": "s1",
                "title": strike.title,
                "timeline": timeline,
                "storyline": "storyline-0007",
            },
            {"id": "s2", "title": fire.title, "storyline": None},
        ]
        db.replace_stories([strike, fire], records)
        outlines = db.story_outlines()
        texts = db.story_texts()
    assert set(outlines) == {"s1", "s2"}
    assert outlines["s1"] == (texts["s1"], timeline, "storyline-0007")
    assert outlines["s2"] == (texts["s2"], [], None)


def test_embeddings_cache_round_trip(store_location: str) -> None:
    with open_store(store_location) as db:
        db.put_embeddings([(b"k1", b"\x00\x01vec"), (b"k2", b"v2")])
        db.put_embeddings([(b"k2", b"v2-new")])
        assert db.get_embeddings([b"k1", b"k2", b"k3"]) == {b"k1": b"\x00\x01vec", b"k2": b"v2-new"}


def test_nul_characters_do_not_break_the_store(store_location: str) -> None:
    art = _article(1, "A stray\x00 byte in the text.")
    with open_store(store_location) as db:
        assert db.add_articles([art]) == 1
        back = db.articles()[0]
        assert len(back.text) == len(art.text)  # offsets stay valid


def _story(
    sid: str, title: str, articles: list[str], published: str
) -> tuple[Story, dict[str, Any]]:
    story = Story(sid, title, articles)
    data = {
        "id": sid,
        "title": title,
        "articles": articles,
        "first_published": published,
        "last_published": published,
        "outlets": ["Harbour Courier"],
        "entities": [{"name": "Vessa Port Authority"}],
        "facts": [{"id": "f1", "status": "corroborated"}],
    }
    return story, data


def _archive(db: Any) -> None:
    """Three articles from two outlets, two stories (a2 in both)."""
    arts = [
        _article(1, "Dockworkers walked out at the port of Vessa on Monday."),
        _article(2, "The port of Vessa stayed closed as the dockworkers' strike went on."),
        _article(3, "Farmers in Orlen blocked a road with tractors."),
    ]
    arts[1].source = "Vessa Evening News"
    arts[2].published = "2025-03-09"
    db.add_articles(arts)
    pairs = [
        _story("story-0001", "Port strike", ["a1", "a2"], "2025-03-04"),
        _story("story-0002", "Road blockade", ["a2", "a3"], "2025-03-09"),
    ]
    db.replace_stories([s for s, _ in pairs], [d for _, d in pairs])


def test_the_reads_of_the_web_app_and_the_exports(store: Any) -> None:
    _archive(store)
    assert [s["id"] for s in store.stories()] == ["story-0001", "story-0002"]
    assert store.story("story-0002")["title"] == "Road blockade"
    assert store.story("story-9999") is None
    assert [s["id"] for s in store.iter_stories("story-0001")] == ["story-0001"]
    summaries = {s["id"]: s for s in store.story_summaries()}
    assert summaries["story-0001"]["size"] == 2
    assert summaries["story-0001"]["statuses"] == ["corroborated"]
    assert summaries["story-0001"]["entities"] == ["Vessa Port Authority"]
    # the newest article of a story: a2 is stored after a1, a3 after a2
    assert summaries["story-0002"]["last_seq"] > summaries["story-0001"]["last_seq"]
    assert store.article("a3").text.startswith("Farmers")
    assert store.article("a9") is None
    assert sorted(store.articles_by_id(["a3", "a1", "a3", "a9"])) == ["a1", "a3"]
    assert store.article_stories("a2") == ["story-0001", "story-0002"]
    assert [(a.id, s) for a, s in store.iter_articles()] == [
        ("a1", ["story-0001"]),
        ("a2", ["story-0001", "story-0002"]),
        ("a3", ["story-0002"]),
    ]
    assert [a.id for a, _ in store.iter_articles(story_id="story-0002")] == ["a2", "a3"]
    assert [a.id for a, _ in store.iter_articles(since="2025-03-05")] == ["a3"]
    assert store.outlets() == ["Harbour Courier", "Vessa Evening News"]
    assert store.outlets("story-0001", "2025-03-01") == ["Harbour Courier", "Vessa Evening News"]
    assert store.outlets(since="2025-03-05") == ["Harbour Courier"]
    index = store.article_index()
    assert [a["id"] for a in index] == ["a1", "a2", "a3"]
    rowid = {a["id"]: a["rowid"] for a in index}
    members = sorted((aid, sid) for r, aid, sid in store.story_memberships() if rowid[aid] == r)
    assert members == [
        ("a1", "story-0001"),
        ("a2", "story-0001"),
        ("a2", "story-0002"),
        ("a3", "story-0002"),
    ]


def test_search_row_ids_name_the_article_index_rows(store: Any) -> None:
    _archive(store)
    rowid = {a["id"]: a["rowid"] for a in store.article_index()}
    assert store.search_rowids("tractors") == [rowid["a3"]]
    both = store.search_rowids("dockworkers", ranked=False)
    assert sorted(both) == sorted([rowid["a1"], rowid["a2"]])
    assert len(store.search_rowids("dockworkers", limit=1)) == 1
    assert store.search_rowids("zeppelin") == []


def test_a_reader_sees_commits_and_its_data_version_moves(store_location: str) -> None:
    with open_store(store_location) as db:
        _archive(db)
    with open_reader(store_location) as reader, open_store(store_location) as writer:
        before = reader.data_version()
        assert reader.counts()["stories"] == 2
        writer.set_sources({"a3": "Orlen Farm Weekly"})
        assert reader.data_version() != before
        assert "Orlen Farm Weekly" in reader.outlets()


def test_a_reader_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_reader(tmp_path / "missing.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"not\.db"):
        Store(bad)
