"""Temporal tagging: detection and TIMEX3 normalization against the publication date.

Sentences are fictional (invented towns, people and outlets). Publication date used below:
Friday 2023-03-17 (ISO week 11) unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.evaluate.dates import score, score_records
from newsprism.model import DateMention
from newsprism.nlp import dates as dates_module
from newsprism.nlp.dates import find_dates

PUB = "2023-03-17"

VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T(?:\d{2}:\d{2}|MO|AF|EV|NI))?(?:/\d{4}-\d{2}-\d{2})?"
    r"|\d{4}-\d{2}|\d{2,4}|\d{4}-W\d{2}(?:-WE)?|\d{4}-(?:Q[1-4]|H[12]|SP|SU|FA|WI|XX-XX)"
    r"|(?:PRESENT|PAST|FUTURE)_REF|PT?(?:\d+(?:\.\d+)?|X)[YMWDHS]|PXDE|XXXX-WXX-[1-7]"
)


def _find(text: str, phrase: str, published: object = PUB) -> DateMention:
    """The mention covering ``phrase`` (first occurrence) in ``text``."""
    pos = text.index(phrase)
    hits = [d for d in find_dates(text, published) if d.start < pos + len(phrase) and pos < d.end]
    assert hits, f"no mention over {phrase!r} in {text!r}: {find_dates(text, published)}"
    return hits[0]


def _check_invariants(text: str, mentions: list[DateMention]) -> None:
    last_end = -1
    for d in mentions:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text
        assert d.start >= last_end, "mentions overlap or are out of order"
        last_end = d.end
        assert d.type in ("DATE", "TIME", "DURATION", "SET")
        assert d.value is None or VALUE.fullmatch(d.value), d.value


# --- seeds: the two real sample articles (read, never copied) --------------------------------


def _seed(seeds_dir: Path, prefix: str) -> str:
    files = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed {prefix} absent")
    return files[0].read_text(encoding="utf-8")


def test_seed_000_weekday_and_range(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000")
    assert _find(text, "On Thursday").value == "2023-03-16"
    assert _find(text, "March 20 to 22").value == "2023-03-20/2023-03-22"
    _check_invariants(text, find_dates(text, PUB))


def test_seed_004_day_before_and_last_year(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "004")
    assert _find(text, "The day before").value == "2023-03-16"
    assert _find(text, "March 20-22").value == "2023-03-20/2023-03-22"
    assert _find(text, "February last year").value == "2022-02"
    _check_invariants(text, find_dates(text, PUB))


# --- one test per kind of expression ---------------------------------------------------------

ABSOLUTE = [
    (
        "The Varnholt bridge opened on March 20, 2021, after years of delay.",
        "March 20, 2021",
        "2021-03-20",
    ),
    (
        "The Varnholt bridge opened on 20 March 2021 after years of delay.",
        "20 March 2021",
        "2021-03-20",
    ),
    ("The ferry line was launched 2021-03-20 in Lorwick.", "2021-03-20", "2021-03-20"),
    ("The ferry line was launched on 3/20/2021 in Lorwick.", "3/20/2021", "2021-03-20"),
    ("The Lorwick Gazette was founded in May 1998.", "May 1998", "1998-05"),
    ("The Lorwick Gazette was founded in 1998.", "1998", "1998"),
    ("Tourism boomed in the 1990s along the coast.", "the 1990s", "199"),
    ("Tourism boomed in the 20th century along the coast.", "20th century", "19"),
    ("The mill ran from 1951-58 without a strike.", "1951", "1951"),
    ("The mill ran from 1951-58 without a strike.", "58", "1958"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), ABSOLUTE)
def test_absolute_dates(text: str, phrase: str, value: str) -> None:
    assert _find(text, phrase).value == value
    # absolute dates need no anchor
    assert _find(text, phrase, None).value == value


PARTIAL = [
    # a month-day without year takes the year closest to publication, leaning by tense
    ("Councillor Edda Brun will speak on April 2 in Varnholt.", "April 2", "2023-04-02"),
    ("Councillor Edda Brun spoke on Sept. 11 in Varnholt.", "Sept. 11", "2022-09-11"),
    ("The Lorwick fair is planned for December 5.", "December 5", "2023-12-05"),
    ("The Lorwick fair closed on December 5.", "December 5", "2022-12-05"),
    ("Prices at the Varnholt market rose in February.", "February", "2023-02"),
    ("The Varnholt market reopened in August after repairs.", "August", "2022-08"),
    ("The Varnholt market will reopen in August.", "August", "2023-08"),
    ("The ferry stopped running last June.", "last June", "2022-06"),
    # "last <month>": the latest one before the current month (HeidelTime's reading)
    ("The ferry stopped running last February.", "last February", "2023-02"),
    ("The ferry stopped running in February last year.", "February last year", "2022-02"),
    ("The tunnel should be ready by June next year.", "June next year", "2024-06"),
    # an "-ed" word after an article is an adjective, not a past cue: the closest July
    ("The party faces a contested convention in July.", "July", "2023-07"),
    ("Mayor Brun set an April 15 deadline for the bids.", "April 15", "2023-04-15"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), PARTIAL)
def test_partial_dates(text: str, phrase: str, value: str) -> None:
    assert _find(text, phrase).value == value


RANGES = [
    ("The Lorwick festival runs from April 20 to 22.", "April 20 to 22", "2023-04-20/2023-04-22"),
    ("The Lorwick festival runs April 20-22.", "April 20-22", "2023-04-20/2023-04-22"),
    ("The Lorwick festival runs 20-22 April.", "20-22 April", "2023-04-20/2023-04-22"),
    ("The festival ran 28 June to 2 July 2019.", "28 June to 2 July 2019", "2019-06-28/2019-07-02"),
    (
        "Strikes closed the Varnholt docks between Monday and Wednesday.",
        "Monday and Wednesday",
        "2023-03-13/2023-03-15",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "value"), RANGES)
def test_ranges(text: str, phrase: str, value: str) -> None:
    mention = _find(text, phrase)
    assert mention.text == phrase
    assert mention.value == value


WEEKDAYS = [
    ("On Thursday, the Varnholt council approved the budget.", "Thursday", "2023-03-16"),
    ("The Varnholt council approved the budget on Monday.", "Monday", "2023-03-13"),
    # TempEval convention: the publication weekday itself is that day
    ("Mayor Ilse Dorn resigned on Friday.", "Friday", "2023-03-17"),
    ("The Varnholt council will vote on Monday.", "Monday", "2023-03-20"),
    ("Mayor Dorn plans to visit Lorwick on Tuesday.", "Tuesday", "2023-03-21"),
    ("The vote was delayed until next Friday.", "next Friday", "2023-03-24"),
    ("The vote took place last Friday.", "last Friday", "2023-03-10"),
    ("On Wednesday morning, police closed the road.", "Wednesday morning", "2023-03-15TMO"),
    # "coming" and "going" point ahead only as "coming to", "going into", "the coming ..."
    (
        "The cheers coming out of the hall on Monday night faded fast.",
        "Monday night",
        "2023-03-13TNI",
    ),
    ("The mayor is coming off a strong debate on Thursday.", "Thursday", "2023-03-16"),
    ("Turnout is the question going into Sunday.", "Sunday", "2023-03-19"),
    # the dots of "a.m." end no sentence: "is due to" still points ahead
    ("The ferry strike is due to end at 6 a.m. on Thursday.", "Thursday", "2023-03-23T06:00"),
    ("The ferry strike ended at 6 a.m. on Thursday.", "Thursday", "2023-03-16T06:00"),
    # "until" points ahead unless a verb before it tells of the past
    ("The crowds kept marching until 2 a.m. Thursday.", "Thursday", "2023-03-16T02:00"),
    ("The match has been postponed until Saturday.", "Saturday", "2023-03-18"),
    # "would" points ahead of the report, "would have" before it; after the date it is
    # another clause's
    ("Officials said the envoy would meet the mayor on Tuesday.", "Tuesday", "2023-03-21"),
    ("Without the strike, the envoy would have met the mayor on Tuesday.", "Tuesday", "2023-03-14"),
    (
        "The museum opened on Saturday, and its director said it would draw crowds.",
        "Saturday",
        "2023-03-11",
    ),
]

UNTIL = [
    # published 2023-03-17: "remained ... until January" is this January, not the next
    ("Ilse Dorn remained harbour master until January.", "January", "2023-01"),
    ("The bridge stays closed until January.", "January", "2024-01"),
    ("Dorn did not join the council until July 31.", "July 31", "2022-07-31"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), UNTIL)
def test_until_follows_the_verb_before_it(text: str, phrase: str, value: str) -> None:
    assert _find(text, phrase).value == value


@pytest.mark.parametrize(("text", "phrase", "value"), WEEKDAYS)
def test_weekdays(text: str, phrase: str, value: str) -> None:
    assert _find(text, phrase).value == value


RELATIVE = [
    ("The Varnholt museum announced today that it will close.", "today", "2023-03-17", "DATE"),
    ("The museum closed yesterday.", "yesterday", "2023-03-16", "DATE"),
    ("The museum reopens tomorrow.", "tomorrow", "2023-03-18", "DATE"),
    ("Attendance fell last year.", "last year", "2022", "DATE"),
    ("Attendance is up this year.", "this year", "2023", "DATE"),
    ("The board meets next month.", "next month", "2023-04", "DATE"),
    ("The board met last week.", "last week", "2023-W10", "DATE"),
    ("The director will visit Lorwick early next week.", "early next week", "2023-W12", "DATE"),
    ("The museum opened its new wing this week.", "this week", "2023-W11", "DATE"),
    ("The museum lost money in the first quarter.", "the first quarter", "2023-Q1", "DATE"),
    ("The museum expects more visitors this spring.", "this spring", "2023-SP", "DATE"),
    ("The museum was flooded last summer.", "last summer", "2022-SU", "DATE"),
    ("The museum was founded six years ago.", "six years ago", "2017", "DATE"),
    ("Now the museum has a new roof.", "Now", "PRESENT_REF", "DATE"),
    ("The museum is currently closed.", "currently", "PRESENT_REF", "DATE"),
    ("The museum recently hired a curator.", "recently", "PAST_REF", "DATE"),
    ("The museum may expand in the future.", "in the future", "FUTURE_REF", "DATE"),
    ("The museum opened last night's show.", "last night", "2023-03-16TNI", "TIME"),
]


@pytest.mark.parametrize(("text", "phrase", "value", "typ"), RELATIVE)
def test_relative(text: str, phrase: str, value: str, typ: str) -> None:
    mention = _find(text, phrase)
    assert (mention.value, mention.type) == (value, typ)


def test_relative_to_date_in_focus() -> None:
    text = (
        "The Lorwick ferry sank on June 12, 2020. Two days later, divers reached it. "
        "A week earlier, inspectors had passed it. The day before, a storm had hit the coast."
    )
    assert _find(text, "Two days later").value == "2020-06-14"
    # focus moves to the last resolved day: June 14 -> a week earlier is that ISO week
    assert _find(text, "A week earlier").value == "2020-W23"
    assert _find(text, "The day before").value == "2020-06-13"


def test_later_without_comma_is_still_a_date() -> None:
    text = "The Lorwick dam cracked on May 3, 2021. Two days later engineers drained it."
    assert _find(text, "Two days later").value == "2021-05-05"
    text = "Two days before the Lorwick vote, the mayor resigned."
    assert (_find(text, "Two days").value, _find(text, "Two days").type) == ("P2D", "DURATION")


def test_focus_falls_back_to_publication() -> None:
    assert _find("A day later, the Varnholt talks resumed.", "A day later").value == "2023-03-18"


def test_day_before_an_event_is_not_anchored_on_focus() -> None:
    text = "In July 2022 the Lorwick mill burned down. The day before the fire, a guard quit."
    mention = _find(text, "The day")
    assert mention.text == "The day"
    assert mention.value == "2022-XX-XX"


DURATIONS = [
    ("The Varnholt strike lasted three years.", "three years", "P3Y"),
    ("The strike has gone on for more than a year.", "more than a year", "P1Y"),
    ("Talks went on for 48 hours.", "48 hours", "PT48H"),
    ("The dock stayed shut for several weeks.", "several weeks", "PXW"),
    ("Unrest grew in recent months.", "recent months", "PXM"),
    ("Wages have fallen over the past two years.", "the past two years", "P2Y"),
    ("The city began a four-week trial.", "four-week", "P4W"),
    ("The strike ended a month earlier than planned.", "a month", "P1M"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), DURATIONS)
def test_durations(text: str, phrase: str, value: str) -> None:
    mention = _find(text, phrase)
    assert (mention.value, mention.type) == (value, "DURATION")


def test_ages_are_not_durations() -> None:
    text = "A 22-year-old man and children 6 months and older were vaccinated in Lorwick."
    assert find_dates(text, PUB) == []


SETS = [
    ("The Lorwick Courier appears every week.", "every week", "P1W"),
    ("The accounts are audited annually.", "annually", "P1Y"),
    ("The council meets twice a month.", "twice a month", "P1M"),
    ("The market is held every Saturday.", "every Saturday", "XXXX-WXX-6"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), SETS)
def test_sets(text: str, phrase: str, value: str) -> None:
    mention = _find(text, phrase)
    assert (mention.value, mention.type) == (value, "SET")


TIMES = [
    ("The Varnholt vote closes at 3 p.m. Friday.", "3 p.m. Friday", "2023-03-17T15:00"),
    ("The ferry will leave at 15:00 GMT Saturday.", "15:00 GMT Saturday", "2023-03-18T15:00"),
    ("Polls will open on Tuesday at 7 a.m.", "Tuesday at 7 a.m.", "2023-03-21T07:00"),
]


@pytest.mark.parametrize(("text", "phrase", "value"), TIMES)
def test_times(text: str, phrase: str, value: str) -> None:
    mention = _find(text, phrase)
    assert (mention.text, mention.value, mention.type) == (phrase, value, "TIME")


MORE = [
    ("Shops in Lorwick were packed over the weekend.", "the weekend", "2023-W10-WE", "DATE"),
    ("The Varnholt market will reopen on Christmas Eve.", "Christmas Eve", "2023-12-24", "DATE"),
    ("The harbour flooded a few days ago.", "a few days ago", "PAST_REF", "DATE"),
    ("Dockers in Lorwick earn $40,000 a year.", "a year", "P1Y", "SET"),
    ("Dockers want a second contract.", "second", None, None),
    ("The board met in December 2009, after the merger.", "December 2009", "2009-12", "DATE"),
    ("Profits rose in the first-quarter report.", "first-quarter", "2023-Q1", "DATE"),
    ("The plant will close within the coming month.", "the coming month", "P1M", "DURATION"),
    ("The mayor moved to Lorwick in the late 1980s.", "1980s", "198", "DATE"),
]


@pytest.mark.parametrize(("text", "phrase", "value", "typ"), MORE)
def test_more_expressions(text: str, phrase: str, value: str | None, typ: str | None) -> None:
    if value is None:
        pos = text.index(phrase)
        assert not [d for d in find_dates(text, PUB) if d.start < pos + len(phrase) and pos < d.end]
        return
    mention = _find(text, phrase)
    assert (mention.value, mention.type) == (value, typ)


def test_an_infinitive_of_unknown_tense_takes_the_closest_month() -> None:
    # "a decision to meet": neither ahead nor back, so June 2016 (3 months) beats June 2017
    text = "Critics attacked her decision to meet the envoy at the end of June in Varnholt."
    assert _find(text, "the end of June", "2016-09-14").value == "2016-06"


# --- publication date handling --------------------------------------------------------------


def test_without_publication_date_relative_values_are_none() -> None:
    text = "On Thursday, the Lorwick board met; last year it met on March 20, 2021 and in April."
    got = {d.text: d.value for d in find_dates(text, None)}
    assert got["Thursday"] is None
    assert got["last year"] is None
    assert got["April"] is None
    assert got["March 20, 2021"] == "2021-03-20"


@pytest.mark.parametrize(
    "published",
    [
        "2023-03-17",
        "2023-03-17T22:15:00Z",
        "2023-03-17 08:00:00+01:00",
        dt.date(2023, 3, 17),
        dt.datetime(2023, 3, 17, 9, 30),
    ],
)
def test_published_forms(published: object) -> None:
    assert _find("On Thursday, the board met.", "Thursday", published).value == "2023-03-16"


def test_malformed_published_is_treated_as_missing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="newsprism.nlp.dates_calendar"):
        mentions = find_dates("The board met on Thursday, March 20, 2021.", "last Tuesdayish")
    assert any("malformed" in r.getMessage() for r in caplog.records)
    assert [d.value for d in mentions] == ["2021-03-20"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "“”’‘", "2023", "May", "now" * 5])
def test_odd_inputs_do_not_raise(text: str) -> None:
    _check_invariants(text, find_dates(text, PUB))


def test_no_false_positives_on_modal_may_and_money() -> None:
    text = "It may rain, officials said, and the fund holds $2015 and 1,999 votes."
    assert find_dates(text, PUB) == []


def test_a_month_that_is_a_first_name_is_no_date() -> None:
    # a bare month before a capitalised word, with no "in"/"last"/"since" before it, is a name
    text = "The play was praised by the critic August Lindqvist and the singer June Orsby."
    assert find_dates(text, PUB) == []
    got = find_dates("In August Parliament voted; the vote is set for June, officials said.", PUB)
    assert [d.text for d in got] == ["August", "June"]


# --- properties -----------------------------------------------------------------------------

_VOCAB = st.sampled_from(
    [
        "March", "20", "to", "22", "-", "2023", "on", "Thursday", "last", "next", "year", "week",
        "the", "day", "before", "after", "ago", "three", "years", "every", "p.m.", "3", ":", "15",
        "1990s", "spring", "now", "recently", "February", ",", ".", " ", "\n", "9999", "century",
        "20th", "quarter", "first", "Q4", "/", "99", "earlier", "later", "morning", "tonight",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(st.text(max_size=200), st.lists(_VOCAB, max_size=40).map(" ".join)),
    published=st.one_of(
        st.none(),
        st.dates(),
        st.datetimes(),
        st.text(max_size=25),
        st.dates().map(lambda d: d.isoformat()),
    ),
)
def test_property_never_raises_and_spans_are_exact(text: str, published: object) -> None:
    _check_invariants(text, find_dates(text, published))  # type: ignore[arg-type]
    windowed = [(c.start, c.end) for c in dates_module._candidates(text)]
    for start, end in _full_scan(text):
        assert any(s < end and start < e for s, e in windowed), text[start:end]


def _full_scan(text: str) -> set[tuple[int, int]]:
    """Every rule over the whole text: what the trigger windows must not lose."""
    out = set()
    for pattern, _resolve, accept, _cats in dates_module._RULES:
        for m in pattern.finditer(text):
            if m.end() > m.start() and accept(m, text):
                out.add((m.start(), m.end()))
    return out


ALL_SENTENCES = [
    row[0]
    for row in ABSOLUTE + PARTIAL + RANGES + WEEKDAYS + RELATIVE + DURATIONS + SETS + TIMES + MORE
]


@pytest.mark.parametrize("text", [*ALL_SENTENCES, " ".join(ALL_SENTENCES)])
def test_trigger_windows_lose_no_candidate(text: str) -> None:
    windowed = [(c.start, c.end) for c in dates_module._candidates(text)]
    for start, end in _full_scan(text):
        assert any(s < end and start < e for s, e in windowed), text[start:end]


# --- long inputs (speed itself is measured in benchmarks/enrich.py, never in unit tests) -------------


def test_long_text_yields_every_repeated_mention() -> None:
    paragraph = (
        "The Varnholt council met on Thursday and will vote on March 20 to 22. Mayor Ilse Dorn, "
        "who took office in 2019, said the plan had been discussed for more than a year, and the "
        "budget of $48 million would be reviewed every quarter by the end of the year. "
    )
    text = paragraph * 300  # ~75k characters
    mentions = find_dates(text, PUB)
    assert len(mentions) >= 300 * 6
    assert all(text[m.start : m.end] == m.text for m in mentions)


# --- scorer ------------------------------------------------------------------------------------


def test_scorer_counts_values_and_overlaps(tmp_path: Path) -> None:
    text = "The Lorwick mill reopened on Thursday, three years after the fire of 2019."
    gold = [
        {"start": 29, "end": 37, "text": "Thursday", "type": "DATE", "value": "2023-03-16"},
        {"start": 39, "end": 50, "text": "three years", "type": "DURATION", "value": "P3Y"},
        {
            "start": 69,
            "end": 73,
            "text": "2019",
            "type": "DATE",
            "value": "2018",
        },  # wrong on purpose
    ]
    for g in gold:
        assert text[g["start"] : g["end"]] == g["text"]
    record = {"doc_id": "x", "dct": PUB, "title": "", "text": text, "timexes": gold}
    scores = score_records([record])
    assert scores["date_value_accuracy"] == pytest.approx(0.5)
    assert scores["value_accuracy_all_types"] == pytest.approx(2 / 3)
    assert scores["detection_recall"] == pytest.approx(1.0)
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    from_file = score(path)
    assert from_file["date_value_accuracy"] == pytest.approx(0.5)
    assert from_file["detection_precision"] == pytest.approx(1.0)


@pytest.mark.slow
def test_tempeval_dev_target(data_dir: Path) -> None:
    path = data_dir / "tempeval3_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} absent")
    scores = score(path)
    assert scores["date_value_accuracy"] >= 0.90, scores
    assert scores["detection_f1"] >= 0.85, scores
