"""The story timeline: one entry per fact at the date of what it describes, background apart;
and publication dates inferred for undated articles. Fixtures are fictional."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsprism.model import Article
from newsprism.nlp.dates import find_dates
from newsprism.nlp.pubdate import (
    date_from_stories,
    date_from_text,
    infer_from_mates,
    infer_from_text,
    infer_year,
)
from newsprism.stories.timeline import build_timeline, date_label, story_timeline

_SENT = re.compile(r"[^.!?\n]+[.!?]?")


def _facts(articles: dict[str, tuple[str, str | None]]) -> list[SimpleNamespace]:
    """One fact per sentence: ``articles`` maps id -> (text, published)."""
    facts = []
    for aid, (text, published) in articles.items():
        dates = find_dates(text, published)
        for m in _SENT.finditer(text):
            if not m.group().strip():
                continue
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            claim = SimpleNamespace(
                article=aid,
                start=start,
                end=m.end(),
                text=text[start : m.end()],
                outlet=f"outlet-{aid}",
                speaker=None,
                dates=[d for d in dates if start <= d.start < m.end()],
            )
            facts.append(SimpleNamespace(id=f"f{len(facts) + 1}", text=claim.text, claims=[claim]))
    return facts


def _every_entry(text: str, published: str) -> list:
    """Events and background of one article's timeline (one fact per sentence)."""
    tl = story_timeline(_facts({"a1": (text, published)}), [published])
    return tl.events + tl.background


def _entry(entries: list[dict], words: str) -> dict | None:
    return next((e for e in entries if words in e.text), None)


# ---------------------------------------------------------------- main-clause dates


def test_date_in_a_relative_clause_is_not_the_event_date() -> None:
    text = (
        "Freedonia offered on Tuesday to mediate between the two valley towns. "
        "Freedonia says it is ready to host talks between Ostrel and Vamm, which have "
        "quarrelled since Ostrel seized the mill in March 2019. "
        "The March 2019 seizure still angers farmers. "
        "The mayors will meet on June 14."
    )
    every = _every_entry(text, "2021-06-10")
    assert _entry(every, "offered on Tuesday").date == "2021-06-08"
    assert _entry(every, "ready to host talks") is None  # the 2019 date is not the offer's
    assert _entry(every, "seizure still angers") is None  # "the March 2019 seizure": a modifier
    assert _entry(every, "mayors will meet").date == "2021-06-14"


def test_a_span_of_years_describes_a_period_not_the_event() -> None:
    text = (
        "In Kell, the arrest drew cheers from victims of Ostrel's 1981-1994 regime. "
        "The warrant covers torture during his 1981-94 rule. "
        "It was a private visit, said a spokesman for Lena Varga, mayor from 1990-98. "
        "The mill fair ran in 2019-20 and drew crowds."
    )
    every = _every_entry(text, "2021-06-10")
    assert _entry(every, "drew cheers") is None  # "Ostrel's 1981-1994 regime"
    assert _entry(every, "covers torture") is None  # "his 1981-94 rule"
    assert _entry(every, "private visit") is None  # "mayor from 1990-98": her tenure
    assert _entry(every, "mill fair ran").date == "2019"  # a range that is the event's own


def test_a_date_inside_the_subjects_apposition_is_not_the_event_date() -> None:
    # "Ola Brin, a leader of the dock strike in 2009 and now 41, founded the party in June": the
    # party's founding is in June, not in 2009 (it had gone to Background, 2009); an opening
    # phrase is no name ("In Kell, the council said Tuesday ...")
    text = (
        "Ola Brin, a leader of the dock strike in 2009 and now 41, founded the harbour party in "
        "June. In Kell, the council said Tuesday that the ferry would run again, its chair "
        "confirmed."
    )
    every = _every_entry(text, "2021-06-10")
    assert _entry(every, "founded the harbour party").date == "2021-06"
    assert _entry(every, "the council said Tuesday").date == "2021-06-08"


def test_relative_day_counts_from_the_previous_date_of_the_article() -> None:
    text = (
        "The ferry union said the strike starts on September 3. "
        "A day later, the harbour board will vote on the fares."
    )
    events = build_timeline(_facts({"a1": (text, "2030-08-20")}), ["2030-08-20"])
    assert _entry(events, "harbour board").date == "2030-09-04"


def test_each_fact_once_with_all_its_sources_and_no_sentence_twice() -> None:
    text = "Glass bridge reopened on May 2 in Tarnow. Crowds crossed it on May 2 and May 3."
    facts = _facts({"a1": (text, "2031-05-04"), "a2": (text, "2031-05-05")})
    events = build_timeline(facts, ["2031-05-04", "2031-05-05"])
    texts = [e.text for e in events]
    assert len(texts) == len(set(texts)) == 2
    reopened = _entry(events, "reopened")
    assert {s.article for s in reopened.sources} == {"a1", "a2"}
    assert reopened.date == "2031-05-02"


def test_a_fact_with_two_dates_is_listed_once_with_the_other_date_disputed() -> None:
    one = "Wage talks at the Lorn mill will open on May 20, the union said."
    two = "Wage talks at the Lorn mill will open on May 22, the owners said."
    facts = _facts({"a1": (one, "2032-05-10"), "a2": (two, "2032-05-11")})
    fact = facts[0]
    fact.claims += facts[1].claims  # the comparison aligned both sentences into one fact
    events = build_timeline([fact], ["2032-05-10", "2032-05-11"])
    assert len(events) == 1
    assert events[0].date == "2032-05-20" and events[0].disputed == ["2032-05-22"]
    assert len(events[0].sources) == 2


def test_old_facts_go_to_background_in_order() -> None:
    text = (
        "The governor of Pell resigned on Monday. "
        "She was born in Arkady in 1961. "
        "She was first elected in 1998. "
        "Her deputy took over in January 2040."
    )
    tl = story_timeline(_facts({"a1": (text, "2040-03-14")}), ["2040-03-14"])
    assert [e.date for e in tl.background] == ["1961", "1998"]
    assert [e.date for e in tl.events] == ["2040-01", "2040-03-12"]
    # without publication dates the story's days end at its latest dated fact
    assert [e.date for e in story_timeline(_facts({"a1": (text, "2040-03-14")})).background] == [
        "1961",
        "1998",
    ]


def test_ranges_and_weeks_keep_their_extent() -> None:
    assert date_label("2024-03-20/2024-03-22") == "2024-03-20 to 2024-03-22"
    assert date_label("2024-W12") == "week of 2024-03-18"
    assert date_label("2023-SP") == "spring 2023"
    assert date_label("2023-WI/2024-SP") == "winter 2023 to spring 2024"
    text = "The fair runs from March 20 to 22 in Lissa. Repairs start next week."
    events = build_timeline(_facts({"a1": (text, "2024-03-14")}), ["2024-03-14"])
    assert _entry(events, "fair runs").label == "2024-03-20 to 2024-03-22"
    assert _entry(events, "Repairs").label.startswith("week of")


def test_a_day_of_unknown_date_is_not_placed() -> None:
    # "the day" reads as "2040-XX-XX": some day of the year, which the timeline had shown
    # as its date
    text = "The harbour reopened on March 12. The ferries returned on the day after the vote."
    events = build_timeline(_facts({"a1": (text, "2040-03-14")}), ["2040-03-14"])
    assert [e.label for e in events] == ["2040-03-12"]


def test_weeks_and_weekends_sit_at_their_first_day() -> None:
    # a weekend is named as one (it was shown "2024-W11-WE"), and a week or weekend sorts at
    # its first day: "2024-W13" had sorted after every day of 2024 ("W" after the digits)
    assert date_label("2024-W12-WE") == "weekend of 2024-03-23"
    text = (
        "The ferry strike began on March 18. Repairs start next week. "
        "Crowds came to the harbour last weekend. The harbour reopens on April 2."
    )
    events = build_timeline(_facts({"a1": (text, "2024-03-20")}), ["2024-03-20"])
    assert [e.label for e in events] == [
        "weekend of 2024-03-16",
        "2024-03-18",
        "week of 2024-03-25",
        "2024-04-02",
    ]


# ---------------------------------------------------------------- publication dates


def test_weekday_date_pair_names_the_year() -> None:
    text = "Talks broke down on Thursday, March 9, the envoy of Marrow said."
    # March 9 is a Thursday in 2023 and in 2028 (and 2017): the latest one up to the reference
    assert infer_year(text, reference_year=2026) == (2023, "weekday-date pair")
    got = infer_from_text(text, reference_year=2026)
    assert got is not None and got.published == "2023-03-09"
    assert "weekday-date pair" in got.reason


def test_last_year_and_explicit_years() -> None:
    text = (
        "The canal closed in August 2031. Traffic fell sharply last year. It will reopen on May 1."
    )
    year, reason = infer_year(text)
    assert year == 2032 and "last year" in reason
    got = infer_from_text(text)
    assert got is not None and got.published == "2032-04-30"  # before the future reopening
    assert infer_from_text("Nothing here names a day or a year.") is None


def test_dates_from_text_and_from_the_story() -> None:
    a = Article(id="a", path="a.txt", text="The Orla festival opened on Friday, June 7, 2041.")
    b = Article(id="b", path="b.txt", text="Crowds filled Orla on June 8 for the festival.")
    c = Article(id="c", path="c.txt", text="Organisers were pleased.", published="2041-06-09")
    assert [x.id for x in date_from_text([a, b, c])] == ["a"]
    assert a.published == "2041-06-07" and a.meta_origin["published"].startswith("inferred: ")
    assert b.published is None
    assert [x.id for x in date_from_stories([a, b, c], {"a": "s1", "b": "s1", "c": "s1"})] == ["b"]
    assert b.published == "2041-06-08"  # its own June 8, in the year of its story
    assert "story" in b.meta_origin["published"]
    lone = infer_from_mates("No dates at all.", ["2041-06-07", "2041-06-09", "2041-06-10"])
    assert lone is not None and lone.published == "2041-06-09"


# ---------------------------------------------------------------- seeds


def _seed_articles(seeds_dir: Path) -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}
    keep = {k: t for k, t in texts.items() if "Xi Jinping" in t and "March 20" in t}
    if len(keep) < 2 or not any("phone call" in t for t in keep.values()):
        pytest.skip("the Xi visit seed articles are not among the seeds")
    return keep


def _check_seed_timeline(events: list[dict]) -> None:
    def date_of(words: str) -> str | None:
        e = _entry(events, words)
        return e.date if e else None

    assert date_of("phone call") == "2023-03-16"
    assert date_of("informal lunch") == "2023-03-20"
    assert date_of("negotiations will begin") == "2023-03-21"
    assert date_of("plan to end the war") == "2023-02-24"
    visit = [e for e in events if "state visit to Russia" in e.text]
    assert visit and all(e.date == "2023-03-20/2023-03-22" for e in visit)
    offer = _entry(events, "broker talks")
    assert offer is None or not offer.date.startswith("2022")


def test_seed_timeline_with_dates(seeds_dir: Path) -> None:
    seeds = _seed_articles(seeds_dir)
    published = "2023-03-17"
    facts = _facts({k: (t, published) for k, t in seeds.items()})
    _check_seed_timeline(build_timeline(facts, [published] * len(seeds)))


def test_seed_timeline_without_dates(seeds_dir: Path) -> None:
    seeds = _seed_articles(seeds_dir)
    articles = [Article(id=k, path=k, text=t) for k, t in seeds.items()]
    date_from_text(articles)
    date_from_stories(articles, dict.fromkeys(seeds, "story"))
    assert all(a.published and a.published.startswith("2023-03") for a in articles)
    assert all(a.meta_origin["published"].startswith("inferred: ") for a in articles)
    facts = _facts({a.id: (a.text, a.published) for a in articles})
    _check_seed_timeline(build_timeline(facts, [a.published for a in articles]))
