"""The one codec (newsprism.codec): records to JSON-ready dicts and back, typed."""

from __future__ import annotations

import json
from dataclasses import KW_ONLY, InitVar, dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism import codec
from newsprism.errors import StoreError
from newsprism.model import (
    WORD_POS,
    BriefLine,
    Citation,
    Conflict,
    ConflictValue,
    Coverage,
    DatedSource,
    EventPair,
    EventRecord,
    Evidence,
    Fact,
    FramingItem,
    Quote,
    Source,
    Span,
    SpeakerQuotes,
    Story,
    StoryAttribution,
    StoryEntity,
    TimelineEntry,
    Word,
    Words,
)

TEXT = "Ferry crews in Lund walked off the job on Monday, the union said."


def _story() -> Story:
    walk = Source("lund-1", 0, 49, TEXT[:49], "Harbour Courier", None, "2025-04-07")
    said = Span(58, 62, "said")
    return Story(
        id="story-0001",
        title="Ferry strike in Lund",
        articles=["lund-1", "lund-2"],
        brief=[BriefLine(TEXT[:49], [Citation("lund-1", 0, 49)], "key")],
        facts=[
            Fact(
                "f1",
                TEXT[:49],
                "conflicting",
                ["Harbour Courier", "Meridian Wire"],
                [walk],
                conflicts=[
                    Conflict(
                        "date",
                        [
                            ConflictValue("2025-04-07", "lund-1", 42, 48, "Monday", "Harbour"),
                            ConflictValue("2025-04-08", "lund-2", 3, 10, "Tuesday", "Meridian"),
                        ],
                        why="same strike, same port",
                    )
                ],
                independent=2,
                p_same=0.8123456,
            )
        ],
        coverage=Coverage(["Harbour Courier", "Meridian Wire"], ["f1"], [[1], [1]]),
        timeline=[
            TimelineEntry(
                "2025-04-07",
                "2025-04-07",
                TEXT[:49],
                "f1",
                [
                    DatedSource(
                        "lund-1", 0, 49, TEXT[:49], "Harbour Courier", None, Span(42, 48, "Monday")
                    )
                ],
                disputed=["2025-04-08"],
            )
        ],
        framing={
            "Harbour Courier": [
                FramingItem(
                    "substitution",
                    "Harbour Courier",
                    "walked off the job",
                    "strike",
                    2.123456,
                    [1, 40, 0, 38],
                    [0.512345, 0.487655],
                    [
                        Evidence(
                            "lund-1", 0, 49, TEXT[:49], "Harbour Courier", Span(20, 38, TEXT[20:38])
                        )
                    ],
                    ["Meridian Wire"],
                )
            ],
            "Meridian Wire": [],
        },
        quotes=[
            SpeakerQuotes(
                "the union",
                [
                    Quote(
                        "lund-1",
                        "Harbour Courier",
                        "indirect",
                        None,
                        said,
                        [Span(0, 48, TEXT[:48])],
                    )
                ],
            )
        ],
        events=[
            EventRecord(
                date="2025-04-07",
                date_from="text",
                source_actor="crews",
                source_country=None,
                source_sector=None,
                type="STRIKE",
                plover_type="PROTEST",
                mode="asserted",
                modality=None,
                target_actor=None,
                target_country=None,
                target_sector=None,
                location="Lund",
                reporter=None,
                article="lund-1",
                outlet="Harbour Courier",
                sentence_start=0,
                sentence_end=64,
                trigger="walked off",
                trigger_start=20,
                trigger_end=30,
                outlets=1,
            )
        ],
        event_pairs=[
            EventPair("2025-04-07", "crews", None, "port", None, 1, {"PROTEST": 1}, 1, ["lund-1"])
        ],
        entities=[StoryEntity("Lund", "GPE", ["Lund"], ["lund-1", "lund-2"])],
        attributions=[
            StoryAttribution("lund-1", Span(50, 57, "the union"), said, [], "the union", "indirect")
        ],
        storyline="storyline-0001",
    )


def test_a_story_round_trips_through_json_typed() -> None:
    story = _story()
    back = Story.from_dict(json.loads(json.dumps(story.to_dict())))
    # what is written is rounded, so compare the written forms, then the types
    assert back.to_dict() == story.to_dict()
    assert isinstance(back.facts[0].conflicts[0].values[1], ConflictValue)
    assert isinstance(back.timeline[0].sources[0].date, Span)
    assert isinstance(back.framing["Harbour Courier"][0].evidence[0].mark, Span)
    assert isinstance(back.quotes[0].quotes[0].cue, Span)
    assert back.coverage == story.coverage
    assert back.events == story.events and back.event_pairs == story.event_pairs


def test_field_metadata_shapes_the_written_form() -> None:
    d = _story().to_dict()
    fact = d["facts"][0]
    assert "claims" not in fact and "centrality" not in fact  # runtime only
    assert fact["p_same"] == 0.812
    item = d["framing"]["Harbour Courier"][0]
    assert item["with"] == ["Meridian Wire"] and "others" not in item  # renamed
    assert item["score"] == 2.123 and item["prior"] == [0.5123, 0.4877]
    assert "aspect" not in item and "entity" not in item  # empty optional keys left out
    entry = d["timeline"][0]
    assert "story" not in entry and entry["disputed"] == ["2025-04-08"]
    assert entry["sources"][0]["date"] == {"start": 42, "end": 48, "text": "Monday"}
    bare = Story("s", "t", []).to_dict()
    assert "events" not in bare and "event_pairs" not in bare


def test_older_records_load_and_unknown_keys_are_ignored() -> None:
    old = {"id": "f9", "text": "x", "status": "single-source", "outlets": ["A"], "sources": []}
    fact = Fact.from_dict({**old, "from_a_newer_version": 1})
    assert (fact.independent, fact.p_same, fact.conflicts, fact.related) == (1, 1.0, [], [])
    story = Story.from_dict({"id": "s", "title": "t", "articles": [], "outlets": ["A"]})
    assert story.facts == [] and story.coverage == Coverage()


def test_override_sets_typed_fields() -> None:
    s = Story.from_dict(_story().to_dict(), id="story-0042", entities=[])
    assert s.id == "story-0042" and s.entities == [] and s.title == "Ferry strike in Lund"


@pytest.mark.parametrize(
    "record",
    [
        {"id": "f1", "text": "x"},  # required keys missing
        {"id": "f1", "text": "x", "status": "s", "outlets": [], "sources": ["not an object"]},
    ],
)
def test_a_record_that_does_not_fit_raises_store_error(record: dict) -> None:
    with pytest.raises(StoreError, match=r"stored (Fact|Source)"):
        Fact.from_dict(record)


@dataclass
class _Box:
    spans: list[Span]
    by_name: dict[str, Span | None] = field(default_factory=dict)
    pair: tuple[int, str] = (0, "")
    tags: frozenset[str] = frozenset()


_spans = st.builds(Span, st.integers(0, 10**6), st.integers(0, 10**6), st.text(max_size=30))


@given(
    st.lists(_spans, max_size=5),
    st.dictionaries(st.text(max_size=8), st.none() | _spans, max_size=4),
    st.tuples(st.integers(), st.text(max_size=8)),
    st.frozensets(st.text(max_size=5), max_size=4),
)
def test_any_nesting_round_trips(spans, by_name, pair, tags) -> None:
    box = _Box(spans, by_name, pair, tags)
    assert codec.from_dict(_Box, json.loads(json.dumps(codec.to_dict(box)))) == box


_WORD = st.builds(
    Word,
    st.integers(0, 2**31),
    st.integers(0, 2**31),
    st.text(st.characters(blacklist_categories=("Zs", "Cc", "Cs")), min_size=1, max_size=8),
    st.sampled_from(WORD_POS),
    st.integers(0, 15),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORD, max_size=40))
def test_the_words_of_a_parse_round_trip_through_their_compact_record(words: list[Word]) -> None:
    packed = Words.pack(words)
    assert packed.unpack() == words
    stored = json.loads(json.dumps(codec.to_dict(packed)))
    assert Words.from_dict(stored).unpack() == words


def test_a_damaged_words_record_reads_as_no_words() -> None:
    good = Words.pack([Word(0, 3, "the", "DET", 4), Word(4, 9, "ferry", "NOUN", 0)])
    for bad in (
        Words("not base64!", good.lemmas, good.tags, good.flags),
        Words(good.spans, "the", good.tags, good.flags),  # one lemma short
        Words(good.spans, good.lemmas, "g~", good.flags),  # no such part of speech
        Words(good.spans, good.lemmas, good.tags, "4z"),  # not a flag digit
    ):
        assert bad.unpack() == []
    assert not Words() and Words().unpack() == []


@dataclass
class _Mixed:
    first: int
    runtime: list[int] = field(default_factory=list, metadata=codec.SKIP)  # (an __init__ parameter)
    within: str = field(default="", metadata=codec.renamed("with"))
    last: Span | None = None


def test_a_record_with_exactly_its_fields_reads_as_one_with_any_other_keys() -> None:
    """The decoder's fast path (a record holding exactly the written fields) gives what the
    general one gives, with a runtime-only field among the parameters and a renamed key."""
    full = _Mixed(3, [], "harbour", Span(1, 4, "pier"))
    record = codec.to_dict(full)
    assert list(record) == ["first", "with", "last"]
    assert codec.from_dict(_Mixed, record) == full
    assert (
        codec.from_dict(_Mixed, {**record, "extra": 1}) == full
    )  # general path: unknown key ignored
    # as many keys as fields, one of them unknown: the missing field takes its default
    swapped = {"first": 3, "with": "harbour", "other": 9}
    assert codec.from_dict(_Mixed, swapped) == _Mixed(3, [], "harbour", None)
    with pytest.raises(StoreError, match="stored _Mixed"):  # a required field missing
        codec.from_dict(_Mixed, {"with": "harbour", "last": None, "other": 9})
    with pytest.raises(StoreError, match="stored Span"):
        codec.from_dict(_Mixed, {"first": 3, "with": "harbour", "last": "not a span"})
    with pytest.raises(StoreError, match="stored Span"):
        codec.from_dict(_Mixed, {"first": 3, "with": "x", "last": {"start": 1, "end": 2}})


@dataclass
class _WithInitVar:
    first: int
    scale: InitVar[int] = 1
    label: str = ""

    def __post_init__(self, scale: int) -> None:
        self.first *= scale


@dataclass
class _KeywordOnly:
    first: int
    _: KW_ONLY
    label: str = ""


def test_the_fast_path_passes_fields_by_name_where_init_takes_others() -> None:
    """An init-only variable or a keyword-only field among the parameters: a record with
    exactly the written fields still reads right (by keyword)."""
    assert codec.from_dict(_WithInitVar, {"first": 3, "label": "pier"}) == _WithInitVar(
        3, 1, "pier"
    )
    assert codec.from_dict(_KeywordOnly, {"first": 3, "label": "pier"}) == _KeywordOnly(
        3, label="pier"
    )
