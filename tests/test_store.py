from __future__ import annotations

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
from newsprism.store.sqlite import Store, StoreError


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


def test_articles_round_trip_and_are_stored_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as db:
        db.add_articles([_article(1), _article(2)])
        db.add_articles([_article(1)])  # same id again: replaced, not duplicated
        assert db.counts()["articles"] == 2
    with Store(path) as db:  # persisted
        arts = db.articles()
        assert [a.id for a in arts] == ["a1", "a2"]
        assert arts[0] == _article(1)
        assert db.content_hashes() == {"h1", "h2"}


def test_full_text_search_finds_words_and_reports_bad_queries() -> None:
    with Store() as db:
        db.add_articles([_article(1), _article(2, "Dockworkers walked out at the port of Vessa.")])
        hits = db.search("dockworkers")
        assert [h[0] for h in hits] == ["a2"]
        assert "[Dockworkers]" in hits[0][1]
        with pytest.raises(StoreError):
            db.search('"unbalanced')


def test_enrichment_round_trip() -> None:
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
    with Store() as db:
        db.add_articles([_article(1, text)])
        db.add_enrichment([e])
        back = db.enrichment()["a1"]
    assert back == e


def test_stories_state_and_skipped() -> None:
    with Store() as db:
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
        assert db.get_state("cluster") == {"n": 3}
        assert db.get_state("missing") is None
        db.add_skipped([Skipped("x.bin", "binary file", "binary")])
        assert db.counts() == {"articles": 2, "enrichment": 0, "stories": 1, "skipped": 1}


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"not\.db"):
        Store(bad)
