"""Event records (who did what to whom): types, modes, actors, dates, places, reporters,
the stage command, the store and story rows. Sentences are written for these tests about
fictional countries (Veloria, Ostmark) that a test gazetteer adds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.model import Article, Enriched, Event, Sentence, Span
from newsprism.nlp import events as ev_mod
from newsprism.nlp.events import (
    PLOVER_TYPES,
    actor_info,
    extract_events,
    load_gazetteer,
    load_lexicon,
    plover_code,
    primary_events,
)

pytestmark = pytest.mark.slow

PUBLISHED = "2031-05-14"  # a Wednesday

GAZ = """# test additions
Veloria\tVLR\t
Velorian\tVLR\t
Port Amsel\tVLR\tgovernment
Ostmark\tOST\t
Ostmarkian\tOST\t
Karvel\tOST\tgovernment
Tarn Valley\tTRN\t
"""


@pytest.fixture(scope="module")
def gaz_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gaz") / "actors.tsv"
    path.write_text(GAZ, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gazetteer(gaz_path: Path):
    return load_gazetteer(gaz_path)


def _analyse(text: str, gazetteer, published: str = PUBLISHED):
    from newsprism.nlp.attributions import extract_attributions
    from newsprism.nlp.dates import find_dates
    from newsprism.nlp.entities import extract_entities
    from newsprism.nlp.pipeline import parse

    doc = parse(text)
    mentions = extract_entities(doc)
    return doc, mentions, find_dates(text, published), extract_attributions(doc, mentions)


def main_event(text: str, gazetteer) -> Event:
    events = primary_events(*_analyse(text, gazetteer), gazetteer=gazetteer)
    assert events, f"no event found in {text!r}"
    return events[min(events)]


def all_events(text: str, gazetteer, published: str = PUBLISHED) -> list[Event]:
    return extract_events(*_analyse(text, gazetteer, published), gazetteer=gazetteer)


# ------------------------------------------------------------------------------- event types

TYPE_CASES = [
    ("AGREE", "Veloria agreed to a ceasefire with Ostmark on Monday.", "VLR", None),
    (
        "CONSULT",
        "The Velorian foreign minister met his Ostmarkian counterpart in Geneva on Tuesday.",
        "VLR",
        "OST",
    ),
    ("SUPPORT", "Veloria praised Ostmark for its handling of the flood.", "VLR", "OST"),
    ("CONCEDE", "The Ostmarkian government lifted the curfew in the capital.", "OST", None),
    (
        "COOPERATE",
        "Velorian and Ostmarkian police shared evidence about the smuggling ring.",
        "VLR",
        None,
    ),
    ("AID", "Veloria gave Ostmark 40 tonnes of grain.", "VLR", "OST"),
    ("RETREAT", "Velorian troops withdrew from the border town.", "VLR", None),
    (
        "INVESTIGATE",
        "Ostmarkian prosecutors launched an investigation into the Velorian bank.",
        "OST",
        "VLR",
    ),
    (
        "DEMAND",
        "Veloria demanded that the Ostmarkian government release the fishermen.",
        "VLR",
        "OST",
    ),
    (
        "DISAPPROVE",
        "The Velorian president accused Ostmark of stealing water from the river.",
        "VLR",
        "OST",
    ),
    ("REJECT", "Ostmark rejected the Velorian proposal for a joint patrol.", "OST", "VLR"),
    ("THREATEN", "Veloria threatened to close its airspace to Ostmarkian airlines.", "VLR", "OST"),
    (
        "PROTEST",
        "Thousands of Velorian farmers protested outside the Ostmarkian embassy.",
        "VLR",
        "OST",
    ),
    ("SANCTION", "Ostmark expelled two Velorian diplomats on Friday.", "OST", "VLR"),
    ("MOBILIZE", "Veloria deployed troops along its border with Ostmark.", "VLR", None),
    ("COERCE", "Ostmarkian police arrested twelve Velorian journalists.", "OST", "VLR"),
    (
        "ASSAULT",
        "Gunmen attacked a Velorian convoy near the border, killing three drivers.",
        None,
        "VLR",
    ),
    ("FIGHT", "Velorian forces shelled Ostmarkian positions overnight.", "VLR", "OST"),
]


def test_every_plover_type_has_a_case() -> None:
    assert {c[0] for c in TYPE_CASES} == set(PLOVER_TYPES)


@pytest.mark.parametrize(("typ", "text", "src", "tgt"), TYPE_CASES, ids=[c[0] for c in TYPE_CASES])
def test_event_type_and_actor_countries(typ: str, text: str, src, tgt, gazetteer) -> None:
    ev = main_event(text, gazetteer)
    assert ev.type == typ, ev
    assert ev.mode == "asserted"
    assert text[ev.trigger.start : ev.trigger.end] == ev.trigger.text
    if src:
        assert ev.source_country == src, ev
    if tgt:
        assert ev.target_country == tgt, ev


def test_sectors_come_from_role_nouns(gazetteer) -> None:
    ev = main_event("Ostmarkian police arrested twelve Velorian journalists.", gazetteer)
    assert (ev.source_sector, ev.target_sector) == ("police", "media")
    ev = main_event("Velorian forces shelled Ostmarkian positions overnight.", gazetteer)
    assert ev.source_sector == "military"


@pytest.mark.parametrize(
    "text",
    [
        "Given the storms, the Velorian ferry stayed in port.",  # a participle as preposition
        "The Ostmarkian ministry gave no other details.",  # details are said, not given
        "The Velorian envoy did not give details on the talks.",
        "Reporters in Ostmark asked him that question twice.",  # a question
        "The Velorian premier delivered a speech in the capital.",
        "Dockers in Veloria struggle to make ends meet.",  # an idiom, no meeting
    ],
)
def test_words_that_only_look_like_events_are_none(text: str, gazetteer) -> None:
    assert [e.type for e in all_events(text, gazetteer)] == []


def test_a_word_of_a_name_is_no_event_but_the_same_word_outside_one_is(gazetteer) -> None:
    # "Holy War" names a movement; an event word in a name is no event
    named = all_events("Members of the Velt Holy War movement met reporters in Ostmark.", gazetteer)
    assert "FIGHT" not in [e.type for e in named]
    ev = main_event("Velorian troops fought Ostmarkian rebels near the border.", gazetteer)
    assert ev.type == "FIGHT"
    # said words are still support, and shared information still cooperation
    ev = main_event("The Velorian premier defended the comments of his envoy.", gazetteer)
    assert ev.type == "SUPPORT"


# ------------------------------------------------------------------------------------- modes

MODE_CASES = [
    ("Veloria imposed sanctions on Ostmark.", "asserted", None),
    ("Veloria will impose sanctions on Ostmark next month.", "hypothetical", "planned"),
    ("Veloria plans to impose sanctions on Ostmark.", "hypothetical", "planned"),
    ("Veloria could impose sanctions on Ostmark if the talks fail.", "hypothetical", "conditional"),
    ("Veloria must impose sanctions on Ostmark.", "hypothetical", "obligation"),
    ("Veloria did not impose sanctions on Ostmark.", "negated", "negation"),
    ("Veloria denied that it had imposed sanctions on Ostmark.", "negated", "denied"),
]


@pytest.mark.parametrize(("text", "mode", "modality"), MODE_CASES)
def test_modes(text: str, mode: str, modality, gazetteer) -> None:
    ev = main_event(text, gazetteer)
    assert ev.type == "SANCTION"
    assert (ev.mode, ev.modality) == (mode, modality)
    assert ev.source_country == "VLR" and ev.target_country == "OST"


def test_denial_of_plans_told_before(gazetteer) -> None:
    text = (
        "Velorian newspapers wrote that Veloria is considering supplying Ostmark with rifles. "
        "In Veloria, such plans were denied."
    )
    events = all_events(text, gazetteer)
    aid = [e for e in events if e.type == "AID"]
    assert aid[0].mode == "hypothetical"
    denied = [e for e in aid if e.modality == "denied"]
    assert denied, events
    assert denied[0].mode == "negated"
    assert denied[0].trigger.text == "denied"
    assert (denied[0].source_country, denied[0].target_country) == ("VLR", "OST")


def test_plover_coding_of_intentions() -> None:
    trig = Span(0, 4, "will")
    planned_aid = Event("AID", "A", "B", trig, mode="hypothetical", modality="planned")
    assert plover_code(planned_aid) == "AGREE"
    planned_attack = Event("ASSAULT", "A", "B", trig, mode="hypothetical", modality="planned")
    assert plover_code(planned_attack) == "THREATEN"
    ultimatum = Event("RETREAT", "A", "B", trig, mode="hypothetical", modality="ultimatum")
    assert plover_code(ultimatum) == "THREATEN"
    refused_help = Event("AID", "A", "B", trig, mode="negated", modality="negation")
    assert plover_code(refused_help) == "REJECT"
    must = Event("RETREAT", "A", "B", trig, mode="hypothetical", modality="obligation")
    assert plover_code(must) == "DEMAND"
    assert plover_code(Event("FIGHT", "A", "B", trig)) == "FIGHT"


def test_intent_words(gazetteer) -> None:
    ev = main_event("Veloria said it is ready to withdraw its troops from Ostmark.", gazetteer)
    assert (ev.type, ev.source_country) == ("AGREE", "VLR")
    ev = main_event("Ostmark vowed to attack Velorian ships.", gazetteer)
    assert ev.type == "THREATEN"


# ----------------------------------------------------------------- actors, dates, places, reporters


def test_gazetteer_seats_of_power_and_nationalities() -> None:
    gaz = load_gazetteer()
    assert actor_info("the Kremlin", gaz) == ev_mod.ActorInfo("RUS", "government")
    assert actor_info("Beijing", gaz) == ev_mod.ActorInfo("CHN", "government")
    assert actor_info("Russian troops", gaz, head="troops") == ev_mod.ActorInfo("RUS", "military")
    assert actor_info("Chinese Foreign Minister", gaz).country == "CHN"
    assert actor_info("Palestinians", gaz).country == "PSE"
    # all-capital abbreviations only match in capitals: "us" is a pronoun
    assert actor_info("US officials", gaz).country == "USA"
    assert actor_info("told us", gaz).country is None


def test_capital_as_government_in_a_sentence(gazetteer) -> None:
    ev = main_event("Karvel condemned the Velorian blockade on Thursday.", gazetteer)
    assert ev.type == "DISAPPROVE"
    assert (ev.source_actor, ev.source_country, ev.source_sector) == ("Karvel", "OST", "government")
    assert ev.date == "2031-05-08"


def test_date_location_and_reporter(gazetteer) -> None:
    text = (
        "Ostmarkian soldiers arrested three Velorian traders in Tarn Valley on Monday, "
        "the Velorian foreign ministry said."
    )
    ev = main_event(text, gazetteer)
    assert ev.type == "COERCE"
    assert ev.date == "2031-05-12"
    assert ev.location == "Tarn Valley"
    assert ev.reporter and "ministry" in ev.reporter
    assert ev.location_span and text[ev.location_span.start : ev.location_span.end] == "Tarn Valley"


def test_first_person_source_is_the_speaker(gazetteer) -> None:
    text = "“We will send aid to Ostmark,” the Velorian prime minister said on Sunday."
    ev = main_event(text, gazetteer)
    assert ev.type == "AID"
    assert ev.mode == "hypothetical"
    assert ev.source_country == "VLR"
    assert ev.target_country == "OST"


def test_user_lexicon_and_gazetteer_files(tmp_path: Path, monkeypatch) -> None:
    lex_file = tmp_path / "lex.json"
    lex_file.write_text(
        json.dumps({"verbs": {"snub": "REJECT", "frobnicate": "NOT_A_TYPE"}}), encoding="utf-8"
    )
    lex = load_lexicon(lex_file)
    assert lex.verbs["snub"] == "REJECT"
    assert "frobnicate" not in lex.verbs
    assert lex.verbs["threaten"] == "THREATEN"  # shipped entries stay
    gaz_file = tmp_path / "actors.tsv"
    gaz_file.write_text("Zembla\tZMB\tgovernment\n", encoding="utf-8")
    monkeypatch.setenv(ev_mod.ACTORS_ENV, str(gaz_file))
    assert actor_info("Zembla", load_gazetteer()).country == "ZMB"
    monkeypatch.setenv(ev_mod.LEXICON_ENV, str(tmp_path / "missing.json"))
    assert load_lexicon().verbs["threaten"] == "THREATEN"  # a broken user file is ignored


def test_odd_input_never_crashes(gazetteer) -> None:
    for text in ["", "   ", "!!! ...", "Sanctions.", "Talks talks talks"]:
        assert isinstance(all_events(text, gazetteer), list)


# ----------------------------------------------------------------------- store, stage, stories


def test_store_codec_round_trip_and_old_records() -> None:
    ev = Event(
        "CONSULT",
        "A",
        "B",
        Span(0, 5, "visit"),
        mode="hypothetical",
        modality="planned",
        plover_type="AGREE",
        source_country="VLR",
        date="2031-05-20",
        date_span=Span(10, 16, "May 20"),
        reporter="C",
    )
    enr = Enriched(article_id="a1", events=[ev])
    back = Enriched.from_dict(json.loads(json.dumps(enr.to_dict())), article_id="a1")
    assert back.events == [ev]
    old = {"events": [{"type": "FIGHT", "source_actor": "A", "target_actor": None,
                       "trigger": {"start": 1, "end": 6, "text": "shell"}}]}  # fmt: skip
    loaded = Enriched.from_dict(old, article_id="a2").events[0]
    assert (loaded.type, loaded.mode, loaded.trigger.text) == ("FIGHT", "asserted", "shell")


def test_stage_command(tmp_path: Path, gaz_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from newsprism.cli import main

    monkeypatch.setenv(ev_mod.ACTORS_ENV, str(gaz_path))
    infile = tmp_path / "in.jsonl"
    infile.write_text(
        json.dumps({"id": "r1", "text": "Ostmark expelled two Velorian diplomats on Friday.",
                    "published": PUBLISHED}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "r2", "text": ""}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["events", str(infile), "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["r1", "r2"]
    first = rows[0]["events"][0]
    assert {"type", "source_actor", "target_actor", "trigger"} <= set(first)
    assert first["type"] == "SANCTION"
    assert first["source_country"] == "OST" and first["date"] == "2031-05-09"
    assert rows[1]["events"] == []


def test_story_rows_count_independent_outlets() -> None:
    from newsprism.stories.events import EVENT_COLUMNS, PAIR_COLUMNS, event_pairs, story_events

    def article(aid: str, outlet: str | None, text: str) -> Article:
        return Article(id=aid, text=text, source=outlet, published="2031-05-14")

    text = "Ostmark expelled two Velorian diplomats."
    trig = Span(8, 16, "expelled")
    arts = [
        article("a1", "Tarn Herald", text),
        article("a2", "Velor Post", text),
        article("a3", "Tarn Herald", text),
        article("a4", None, "Ostmark shelled Veloria."),
    ]
    same = Event("SANCTION", "Ostmark", "Velorian diplomats", trig, source_country="OST")
    enriched = {
        a.id: Enriched(a.id, sentences=[Sentence(0, len(a.text), a.text)], events=[same])
        for a in arts[:3]
    }
    enriched["a4"] = Enriched(
        "a4",
        sentences=[Sentence(0, 24, arts[3].text)],
        events=[Event("FIGHT", "Ostmark", "Veloria", Span(8, 15, "shelled"), date="2031-05-13")],
    )
    records = story_events(arts, enriched)
    rows = [r.to_dict() for r in records]
    assert [tuple(r) for r in rows] == [EVENT_COLUMNS] * 4
    assert [r["outlets"] for r in rows] == [2, 2, 2, 1]
    assert rows[0]["date"] == "2031-05-14" and rows[0]["date_from"] == "published"
    assert rows[3]["date"] == "2031-05-13" and rows[3]["date_from"] == "text"
    assert (rows[0]["sentence_start"], rows[0]["sentence_end"]) == (0, len(text))
    pairs = [p.to_dict() for p in event_pairs(records)]
    assert [tuple(p) for p in pairs] == [PAIR_COLUMNS] * 2
    by_day = {p["date"]: p for p in pairs}
    assert by_day["2031-05-14"]["events"] == 3 and by_day["2031-05-14"]["outlets"] == 2
    assert by_day["2031-05-14"]["types"] == {"SANCTION": 3}
    assert by_day["2031-05-13"]["articles"] == ["a4"]


def test_enrichment_fills_events() -> None:
    from newsprism.nlp.enrich import enrich_articles

    art = Article(id="e1", text="Ostmark expelled two Velorian diplomats.", language="en")
    (enr,) = list(enrich_articles([art]))
    assert [e.type for e in enr.events] == ["SANCTION"]


# ---------------------------------------------------------------------------- seeds and scorer


def _seed_events(seeds_dir: Path) -> list[Event]:
    from newsprism.nlp.attributions import extract_attributions
    from newsprism.nlp.dates import find_dates
    from newsprism.nlp.entities import extract_entities
    from newsprism.nlp.pipeline import parse

    found: list[Event] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text("utf-8")
        doc = parse(text)
        mentions = extract_entities(doc)
        # both seeds appeared on Friday 2023-03-17 (they date the visit "from March 20 to 22")
        dates = find_dates(text, "2023-03-17")
        found.extend(extract_events(doc, mentions, dates, extract_attributions(doc, mentions)))
    return found


def test_seed_articles(seeds_dir: Path) -> None:
    events = _seed_events(seeds_dir)
    if not events:
        pytest.skip("no seed articles")

    def find(**want) -> list[Event]:
        return [e for e in events if all(getattr(e, k) == v for k, v in want.items())]

    visit = find(type="CONSULT", source_country="CHN", target_country="RUS")
    assert any(e.date == "2023-03-20/2023-03-22" and e.mode == "hypothetical" for e in visit)
    call = find(type="CONSULT", source_country="CHN", target_country="UKR")
    assert any(e.date == "2023-03-16" and "call" in e.trigger.text for e in call)
    demand = find(type="DEMAND", source_country="GBR", target_country="CHN")
    assert demand, "Britain calling on China"
    warn = [e for e in events if e.type in ("THREATEN", "DISAPPROVE") and e.source_country == "USA"]
    assert any(e.target_country == "CHN" and e.date == "2023-02" for e in warn)
    denied = [e for e in events if e.modality == "denied"]
    assert any(e.mode == "negated" and e.source_country == "CHN" for e in denied)


@pytest.mark.quality
def test_scorer_runs_on_a_few_records(data_dir: Path) -> None:
    from newsprism import evaluate

    path = data_dir / "plover_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    scores = evaluate.run("events", path, limit=12)
    assert scores["records"] == 12
    assert 0.0 <= scores["type_accuracy"] <= 1.0
    assert {"source_match", "target_match", "action_type_accuracy"} <= set(scores)
