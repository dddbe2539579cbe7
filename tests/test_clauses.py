"""Clause-level claims: each splitting construction, tense-aware weekdays, slot-level conflicts
versus updates (fictional sentences written for these tests)."""

from __future__ import annotations

import pytest

from newsprism.model import Article, DateMention
from newsprism.nlp.clauses import quote_regions, split_clauses
from newsprism.nlp.dates import find_dates, follow_tense
from newsprism.nlp.enrich import enrich_doc
from newsprism.nlp.pipeline import parse
from newsprism.stories.claims import Claim, extract_claims, find_numbers
from newsprism.stories.conflicts import merge_conflicts, pair_conflicts, same_event

pytestmark = pytest.mark.slow  # loads the spaCy pipeline


def _clauses(text: str) -> list[tuple[str, str, str]]:
    """(kind, cited text, gist) of each clause of ``text``."""
    return [(c.kind, text[c.start : c.end], c.gist) for c in split_clauses(parse(text))]


def _dates(text: str, published: str) -> list[tuple[str, str | None]]:
    """(text, value) of each date the enrichment finds in ``text`` written on ``published``."""
    art = Article(id="t", text=text, published=published)
    return [(d.text, d.value) for d in enrich_doc(art, parse(text)).dates]


def test_numbers_are_read_as_counts_only_where_they_count() -> None:
    def read(text: str) -> list[tuple[float, str, list[str]]]:
        return [(n.value, n.unit, sorted(n.units)) for n in find_numbers(text)]

    assert read("Kell hosts the 86th Lantern Festival.") == []  # a rank
    assert read("The truck left Route 52 near Exit 14 just after midnight.") == []  # names
    assert read("The climber fell about 600m down the gully.") == [(600.0, "m", ["m"])]
    assert read("The club paid $600m for the harbour.") == [(600_000_000.0, "", [])]
    # "five-boat" counts boats; "attack" is what they are
    assert read("A five-boat attack was repelled.") == [(5.0, "boat", ["boat"])]
    assert read("The town lies 15 miles north of Kell.") == [(15.0, "mile", ["mile"])]
    assert read("Flight 370 carried 239 passengers.") == [(239.0, "passenger", ["passenger"])]


def test_coordinated_clauses_become_two_claims() -> None:
    text = (
        "The harbour board closed the eastern quay on Monday and the ferry union called a strike."
    )
    got = _clauses(text)
    assert [k for k, _, _ in got] == ["main", "conj"]
    assert got[0][1] == "The harbour board closed the eastern quay on Monday"
    assert got[1][1] == "the ferry union called a strike"


def test_a_phrase_after_but_also_belongs_to_the_verb_it_leaves_out() -> None:
    # "called for ..., but also for ...": the parser hangs the second "for" phrase on "urged"
    text = (
        "In its letter, the union urged the owners to reopen the mill within a month, "
        "called for the payment of back wages, but also for the return of the dismissed workers."
    )
    got = _clauses(text)
    assert [k for k, _, _ in got] == ["main", "conj", "conj"]
    assert got[0][2] == "the union urged the owners to reopen the mill within a month"
    # ... and each "for" phrase is a claim of its own, the verb it leaves out put back
    assert got[1][1] == "called for the payment of back wages"
    assert got[1][2] == "the union called for the payment of back wages"
    assert got[2][1] == "for the return of the dismissed workers"
    assert got[2][2] == "the union called for the return of the dismissed workers"


def test_complements_with_their_preposition_repeated_are_claims_of_their_own() -> None:
    got = _clauses(
        "The council voted for the new harbour budget and for a ban on night flights over Kell."
    )
    assert [(k, g) for k, _, g in got] == [
        ("main", "The council voted for the new harbour budget"),
        ("conj", "The council voted for a ban on night flights over Kell"),
    ]
    # a list: the frame is what comes before its first item
    got = _clauses(
        "The inspectors say the mill serves as a school, as a clinic for the valley "
        "and as a shelter for the families of the miners."
    )
    assert got[-1][2] == "the mill serves as a shelter for the families of the miners"
    # "both ... and ..." leaves "both" to neither
    got = _clauses("Ada Brenner resigned both as harbour master and as head of the ferry union.")
    assert [g for _, _, g in got] == [
        "Ada Brenner resigned as harbour master",
        "Ada Brenner resigned as head of the ferry union",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # one preposition for both: one thing asked for
        "The union asked the board for higher wages and shorter hours at the mill.",
        # a contrast: the first is denied, the second asserted
        "The deficit must be closed not by new loans from abroad but by taxes on the ports.",
        "It is an insult not only to the miners but to every family in the valley.",
        # words after the last complement may tell of either: whose years?
        "Brenner served as harbour master and as head of the ferry union until her death in 2006.",
    ],
)
def test_complements_that_are_one_claim_stay_one(text: str) -> None:
    assert len(_clauses(text)) == 1, _clauses(text)


def test_an_as_clause_that_tells_how_it_is_known_is_no_part_of_the_gist() -> None:
    got = _clauses("The plan calls for a truce along the river, as can be seen from its text.")
    assert got[0][2] == "The plan calls for a truce along the river"
    got = _clauses("The ferry stopped running at noon, as the harbour board reported.")
    assert got[0][2] == "The ferry stopped running at noon"
    # an "as" clause with a subject of its own gives a reason, and stays
    got = _clauses("The case may turn on the word fraud, as these crimes are named in the code.")
    assert "as these crimes are named" in got[0][2]
    # what is left must still be a claim ("Kestrel failed" alone is too little)
    assert (
        _clauses("But in May, Kestrel failed as predicted.")[0][2] == "Kestrel failed as predicted"
    )


def test_a_reported_subject_read_as_the_object_stays_with_its_clause() -> None:
    # the parser hangs "the launching of Kestrel" on "said" as its object and leaves "was a
    # needed vindication ..." without a subject; the claim keeps its subject
    text = (
        "Ivo Marek, head of the Norland Space Agency, said the launching of Kestrel, a "
        "42,000-pound space tugboat that will supply power and propulsion in the early stages "
        "of station construction, was a needed vindication for the troubled Norland space "
        "program."
    )
    got = _clauses(text)
    assert got[0][0] == "reported"
    assert got[0][2] == (
        "the launching of Kestrel was a needed vindication for the troubled Norland space program"
    )
    assert got[0][1].startswith("the launching of Kestrel, a 42,000-pound space tugboat")


def test_shared_subject_is_borrowed_into_the_gist() -> None:
    text = "Mayor Ilse Varga inspected the flooded tunnel and promised new pumps by the autumn."
    got = _clauses(text)
    assert len(got) == 2
    assert got[1][1] == "promised new pumps by the autumn"  # the cited span is verbatim
    assert got[1][2].startswith("Mayor Ilse Varga promised")  # the compared wording has a subject


def test_said_a_and_b_gives_two_reported_claims_without_the_frame() -> None:
    text = "Mayor Ilse Varga said the bridge would reopen in May and that tolls would rise by 5 percent."
    got = _clauses(text)
    assert [k for k, _, _ in got] == ["reported", "conj"]
    assert got[0][1] == "the bridge would reopen in May"
    assert got[1][1] == "tolls would rise by 5 percent"


def test_pronoun_of_the_reporting_frame_resolves_to_the_speaker() -> None:
    text = "Castavia says it is ready to host talks between Orlen and Vesk, which have fought since 2019."
    got = _clauses(text)
    gists = [g for _, _, g in got]
    assert any(g.startswith("Castavia is ready to host talks") for g in gists)


def test_it_never_stands_for_a_person_who_speaks() -> None:
    # "it" after a person's "said" is the weather, the situation, a thing: never the speaker
    # (the gist once read "A ferry pilot from Vesk was the roughest crossing ...")
    text = "A ferry pilot from Vesk said it was the roughest crossing in twelve years."
    gists = [g for _, _, g in _clauses(text)]
    assert gists == ["it was the roughest crossing in twelve years"]
    # a person's own pronoun still resolves to the role noun that names them
    text = "The harbour spokesman said he would not resign over the delays."
    gists = [g for _, _, g in _clauses(text)]
    assert gists == ["The harbour spokesman would not resign over the delays"]
    # in the speaker's own words "he" is someone else: a speaker says "I" of themselves
    for text in (
        "“He will not resign,” said Anna Berg, the union leader.",
        "He will not resign, said Anna Berg, the union leader.",  # the marks lost, order kept
        "Anna Berg said , `` He will not resign . ''",  # typewriter quotes, tokenized text
    ):
        (got,) = _clauses(text)
        assert got[2] == "He will not resign", text
    # a contraction stays on the name that replaces its pronoun
    (got,) = _clauses("Mayor Anna Berg said she’s thrilled to receive the support of the union.")
    assert got[2] == "Mayor Anna Berg’s thrilled to receive the support of the union"


def test_he_never_stands_for_a_group() -> None:
    text = "Police tried to stop one of the intruders, but he ran into the crowd."
    assert [g for _, _, g in _clauses(text)] == [
        "Police tried to stop one of the intruders",
        "he ran into the crowd",  # not "Police ran into the crowd"
    ]


def test_a_name_inside_a_long_subject_does_not_replace_it() -> None:
    # a long subject is cut to the person's name it is, never to a name in its modifiers
    text = (
        "Several groups targeted by inspectors ahead of the Orlen Trade Fair are unlicensed "
        "ticket sellers based in Kell."
    )
    (got,) = _clauses(text)
    assert got[2].startswith("Several groups targeted by inspectors")
    text = (
        "On Thursday the chief inspector from the Orlen Harbour Authority closed the eastern quay."
    )
    assert [g for _, _, g in _clauses(text)] == [
        "the chief inspector from the Orlen Harbour Authority closed the eastern quay"
    ]
    # a title that ends in the person's name is that person
    text = (
        "Chairwoman of the Orlen Port Board and head of the Kell Shipping Union Marta Okoye "
        "will visit Vesk on May 3."
    )
    assert [g for _, _, g in _clauses(text)] == ["Marta Okoye will visit Vesk on May 3"]


def test_an_object_misread_as_a_clause_stays_in_its_sentence() -> None:
    # the parser reads "parties demands" as a clause; it is the object of "rejected", and a
    # claim without it ("Governor Pavel Osk on Tuesday rejected , accusing ...") says nothing
    text = (
        "Governor Pavel Osk on Tuesday rejected opposition parties demands for talks abroad, "
        "accusing them of stalling."
    )
    gists = [g for _, _, g in _clauses(text)]
    assert len(gists) == 1
    assert "rejected opposition parties demands for talks abroad" in gists[0]


def test_fronted_phrases_the_parser_made_the_root_are_adjuncts_not_a_claim() -> None:
    # the parser makes "with" the root and "put" its conjunct: there is one statement, and the
    # words before its subject only set the scene ("with union leaders" had been a claim)
    text = (
        "After meetings of the deputy minister Tom Berg, first with union leaders, and then "
        "with the owners in Oslo in May, the ministry put forward a proposal to end the strike."
    )
    assert _clauses(text) == [
        ("sentence", text, "the ministry put forward a proposal to end the strike")
    ]
    # here the parser hangs "first with local leaders, and" under a comma: still scene-setting
    text = (
        "After talks of the senior Norwegian envoy Kari Lund, first with local leaders, and "
        "then with the mayor in Bergen in March, the council put forward a plan to reopen the "
        "harbour."
    )
    assert [g for _, _, g in _clauses(text)] == [
        "the council put forward a plan to reopen the harbour"
    ]


def test_a_dateline_is_no_part_of_the_gist() -> None:
    # two outlets compare what was stated, not where it was filed from
    for dateline in ("KESSEL ―", "Kessel/Orlen –"):
        text = f"{dateline} The harbour board closed the eastern quay after the storm."
        assert [g for _, _, g in _clauses(text)] == [
            "The harbour board closed the eastern quay after the storm"
        ]
    # a name before a dash opens no dateline; the dash that closed the cut apposition goes too
    text = "Anna Berg – a teacher from Kessel – won the poetry prize on Friday."
    assert [g for _, _, g in _clauses(text)] == ["Anna Berg won the poetry prize on Friday"]


def test_a_clause_set_apart_by_a_dash_is_its_own_claim() -> None:
    # the dash follows the first clause, which the parser hangs on the second one's verb
    text = (
        "Castavia is officially neutral in the border dispute – its government refused to "
        "condemn the raid on Orlen."
    )
    assert sorted(g for _, _, g in _clauses(text)) == [
        "Castavia is officially neutral in the border dispute",
        "its government refused to condemn the raid on Orlen",
    ]


def test_a_verb_after_a_noun_never_borrows_the_main_subject() -> None:
    # the parser hangs "lost" on "published"; its subject is "the mayor and his companies",
    # and borrowing the main one would state that the newspaper lost the money
    text = (
        "On Sunday, the Valley Post published pages of the mayor's tax returns from 2019 that "
        "showed the mayor and his companies lost nearly 9 million crowns in a single year."
    )
    gists = [g for _, _, g in _clauses(text)]
    assert not [g for g in gists if g.startswith("the Valley Post lost")], gists
    assert any("his companies lost nearly 9 million crowns" in g for g in gists)


def test_a_demonstrative_that_is_kept_as_the_subject() -> None:
    (got,) = _clauses("I think that is why you see the momentum in this campaign.")
    assert got[2] == "that is why you see the momentum in this campaign"


def test_a_verb_of_knowing_with_a_that_clause_leaves_no_fragment() -> None:
    # the frame ("the mayor implied on Thursday") is no claim of its own
    text = "The mayor implied on Thursday that the union had broken its promises."
    gists = [g for _, _, g in _clauses(text)]
    assert len(gists) == 1 and "the union had broken its promises" in gists[0], gists


def test_a_frame_inside_a_frame_is_dropped_too() -> None:
    text = (
        "Inspector Marta Okoye said the dam had been leaking for weeks, the Valley Post reported."
    )
    assert [g for _, _, g in _clauses(text)] == ["the dam had been leaking for weeks"]


def test_relative_adverbs_and_whose_read_as_statements() -> None:
    got = _clauses(
        "The ferry has sailed from Tessby since early March, when the bridge was closed for "
        "repairs."
    )
    assert got[1][0] == "relcl"
    assert got[1][2] == "the bridge was closed for repairs in early March"
    got = _clauses(
        "Relief trucks have reached Upper Orlen, where volunteers have filled sandbags along the "
        "river."
    )
    assert got[1][2] == "volunteers have filled sandbags along the river in Upper Orlen"
    got = _clauses("Edvard Lind, whose coalition won the vote in May, resigned on Friday.")
    assert "Edvard Lind's coalition won the vote in May" in [g for _, _, g in got]
    # an object relative: the noun goes back after its verb
    got = _clauses("The council approved the harbour plan, which the mayor had drafted in May.")
    assert [g for k, _, g in got if k == "relcl"] == [
        "the mayor had drafted the harbour plan in May"
    ]


def test_what_a_frame_denies_or_leaves_open_is_not_reported_as_said() -> None:
    # the content of a denial, of a negated frame or of an open question is not the claim:
    # the gist keeps the frame, so it never reads as the bare assertion
    for text in (
        "The ministry denied that troops had crossed the border near Kell.",
        "The governor did not say that the dam would be closed next week.",
        "The mayor is not saying whether the bridge will reopen in May.",
    ):
        (got,) = _clauses(text)
        assert got[2] == text.rstrip("."), got
    # doubt, as a verb or as the object of one, asserts nothing either
    for text in (
        "The mayor doubted that the new bridge would reopen in May.",
        "The mayor expressed doubt last week that the new bridge would reopen in May.",
    ):
        gists = [g for _, _, g in _clauses(text)]
        assert "the new bridge would reopen in May" not in gists, gists
    # an asserting frame still gives what it reports
    (got,) = _clauses("The ministry confirmed that troops had crossed the border near Kell.")
    assert got[2] == "troops had crossed the border near Kell"


def test_a_relative_clause_after_a_preposition_reads_as_a_statement() -> None:
    got = _clauses(
        "The show, in which young chefs were given tasks to perform, ran for six seasons."
    )
    assert [g for k, _, g in got if k == "relcl"] == [
        "young chefs were given tasks to perform in The show"
    ]


def test_an_apposition_names_something_and_is_not_a_comment_on_the_clause() -> None:
    # a list misread as an apposition: neither side is a name
    text = (
        "The rebel fighters, clad in new green uniforms, rubber boots and toting rifles, said "
        "they were advancing slowly."
    )
    assert [k for k, _, _ in _clauses(text)] == ["sentence"]
    # "a step that ..." sums up the clause; it does not describe the harbour
    text = (
        "The ferry operator said it had moved two boats into Kell harbour, a step that angered "
        "the port authority."
    )
    gists = [g for _, _, g in _clauses(text)]
    assert not [g for g in gists if "harbour is a step" in g], gists


def test_non_restrictive_relative_clause_is_its_own_claim() -> None:
    text = "Edvard Lind, who took office in 2021, resigned on Friday."
    got = _clauses(text)
    kinds = {k: (cited, gist) for k, cited, gist in got}
    assert kinds["relcl"] == ("who took office in 2021", "Edvard Lind took office in 2021")
    assert kinds["main"][1] == "Edvard Lind resigned on Friday"


def test_restrictive_relative_clause_stays_in_its_sentence() -> None:
    text = "The plan that the council approved calls for three new bus lines in the north."
    assert [k for k, _, _ in _clauses(text)] == ["sentence"]


def test_a_quotation_stays_one_claim() -> None:
    text = (
        "“We will not accept this offer, and we will keep the gates shut,” "
        "said union leader Marta Okoye."
    )
    got = _clauses(text)
    assert len(got) == 1
    assert got[0][0] == "sentence"


def test_quote_regions_cover_curly_and_straight_quotes() -> None:
    text = 'He said “no deal” and then "maybe later".'
    regions = quote_regions(text)
    assert [text[s:e] for s, e in regions] == ["“no deal”", '"maybe later"']


def test_clause_negation_and_tense() -> None:
    text = "The ministry approved the budget, but it did not publish the figures."
    cl = split_clauses(parse(text))
    assert [c.negated for c in cl] == [False, True]
    future = split_clauses(parse("The inspectors will visit the plant next month."))[0]
    assert future.tense == "future"


def test_claims_follow_clauses_and_cite_exact_spans() -> None:
    text = (
        "The harbour board closed the eastern quay on Monday and the ferry union called a strike. "
        "Officials expect the quay to reopen soon."
    )
    art = Article(id="x1", text=text, source="Coast Herald", published="2031-06-04")
    claims = extract_claims(art, enrich_doc(art, parse(text)))
    assert [c.clause for c in claims] == ["main", "conj", "sentence"]
    for c in claims:
        assert text[c.start : c.end] == c.text
        assert c.sent_start <= c.start < c.end <= c.sent_end
    assert claims[0].predicate == "close" and claims[1].predicate == "call"


# --------------------------------------------------------------------------- tense and dates


def test_a_weekday_in_a_future_clause_is_the_coming_one() -> None:
    # 2031-06-04 is a Wednesday: "will publish ... on Thursday" is 2031-06-05, not the 5th of
    # the week before; "met on Thursday" is the Thursday before
    text = "The inquiry will publish its final report on Thursday. The panel met on Thursday."
    art = Article(id="t1", text=text, published="2031-06-04")
    en = enrich_doc(art, parse(text))
    values = [d.value for d in en.dates if d.text.endswith("Thursday")]
    assert values == ["2031-06-05", "2031-05-29"]


def test_a_weekday_takes_the_tense_of_the_verb_it_belongs_to() -> None:
    # 2031-06-04 is a Wednesday. The quotation is in the future, but Monday is when the chief
    # spoke: the Monday before (it had been read as the Monday after, from the quotation)
    text = (
        "“I will just make this promise to you: we will finish the bridge in this case,” "
        "the harbour chief Ona Brandt said Monday. The council will vote on Friday, its chair "
        "said on Tuesday. The funeral is scheduled for Thursday. The trial resumes Monday. "
        "A verdict is expected as early as Friday."
    )
    art = Article(id="t2", text=text, published="2031-06-04")
    en = enrich_doc(art, parse(text))
    got = {d.text: d.value for d in en.dates if d.start < text.index("The trial")}
    resumes = [d.value for d in en.dates if d.start > text.index("The trial")]
    # a schedule in the present tense, and what is expected: the days to come
    assert resumes == ["2031-06-09", "2031-06-06"]
    assert got == {
        "Monday": "2031-06-02",
        "Friday": "2031-06-06",
        "Tuesday": "2031-06-03",
        "Thursday": "2031-06-05",  # "is scheduled for": a plan (it had read as past)
    }


def test_a_modal_puts_an_act_ahead_and_an_upcoming_noun_too() -> None:
    # written on Monday 2031-06-09. "may reconvene on Tuesday" is the Tuesday to come (it had
    # been the 3rd); "may have met" and a state ("must know") tell of the past; a possessive
    # weekday takes its noun's words ("Thursday's upcoming hearing": the 12th; it had been the
    # 5th)
    text = (
        "The tribunal sat on Thursday and may reconvene on Tuesday, relatives said. "
        "The two envoys may have met on Tuesday. "
        "The council must know Friday that the lease is void. "
        "The mayor spoke before Thursday's upcoming hearing."
    )
    assert _dates(text, "2031-06-09") == [
        ("Thursday", "2031-06-05"),
        ("Tuesday", "2031-06-10"),
        ("Tuesday", "2031-06-03"),
        ("Friday", "2031-06-06"),
        ("Thursday's", "2031-06-12"),
    ]


def test_this_week_written_on_a_sunday_and_ahead_is_the_coming_week() -> None:
    # 2031-06-08 is a Sunday: "will meet this week" is the week of Monday the 9th (ISO week 24,
    # it had been week 23, which ends that Sunday); what was done "this week" stays in week 23
    text = "The council will meet this week. The board met this week."
    assert [v for _, v in _dates(text, "2031-06-08")] == ["2031-W24", "2031-W23"]


def test_a_weekday_of_a_participle_is_not_read_by_the_main_verb() -> None:
    # written on Thursday 2031-06-05. "in a letter dated Monday" and "the 13 years given Brin
    # on Monday" are the Monday before (the 2nd); the parse had hung them on "will publish"
    # and "expects to be jailed" and read the Monday to come
    text = (
        "The inquiry will publish its findings in a letter dated Monday. "
        "He expects to be jailed, likely for a few years less than the 13 given Ola Brin on "
        "Monday."
    )
    got = [v for t, v in _dates(text, "2031-06-05") if t.endswith("Monday")]
    assert got == ["2031-06-02", "2031-06-02"]


def test_this_weekend_in_the_past_tense_is_the_one_just_past() -> None:
    # written on Monday 2031-06-09: what the mayor told them "this weekend" happened on the
    # 7th and 8th (it had been the weekend to come); what she will do is still to come
    text = (
        "The mayor told the crowd this weekend she would not resign. "
        "Her deputy will visit the harbour this weekend."
    )
    assert [v for _, v in _dates(text, "2031-06-09")] == ["2031-W23-WE", "2031-W24-WE"]


def test_a_past_event_counted_past_the_publication_date_has_no_date() -> None:
    # written on 2031-06-04: "two decades later, she was ..." counted from the publication
    # date would be 2051, and "a day earlier" counted from a date ahead of it June 11; both
    # tell of the past, so the span they count from is not the one in focus. Ahead, or
    # counted from a past date, they keep their value
    text = (
        "Two decades later, Mira Tallen was still haunted by the flood. "
        "The harbour fair opens on June 12. A day earlier, six dockers were arrested. "
        "The ferry sank on May 2. Two days later, the divers found the hull. "
        "The mayor said the bridge will reopen two days later. "
        "A quarter of a century later, the mill is a museum."
    )
    assert _dates(text, "2031-06-04") == [
        ("Two decades later", None),
        ("June 12", "2031-06-12"),
        ("A day earlier", None),
        ("May 2", "2031-05-02"),
        ("Two days later", "2031-05-04"),
        ("two days later", "2031-05-06"),
        ("a century later", None),  # a quarter of it: not a century
    ]


def test_follow_tense_leaves_other_dates_alone() -> None:
    text = "The inquiry will publish its report on June 9."
    dates = find_dates(text, "2031-06-04")
    clauses = split_clauses(parse(text))
    assert follow_tense(dates, clauses, "2031-06-04") == dates
    assert follow_tense([DateMention(0, 3, "abc", None)], clauses, None) == [
        DateMention(0, 3, "abc", None)
    ]


# --------------------------------------------------------------------------- conflicts vs updates


def _claim(
    cid: str,
    text: str,
    published: str,
    predicate: str,
    entities: set[str],
    outlet: str | None = None,
    dates: list[DateMention] | None = None,
) -> Claim:
    c = Claim(
        id=cid,
        article=cid,
        outlet=outlet or cid,
        start=0,
        end=len(text),
        text=text,
        index=0,
        gist=text,
        predicate=predicate,
        published=published,
    )
    c.entities = set(entities)
    c.numbers = find_numbers(text)
    c.dates = dates or []
    return c


def test_a_toll_reported_higher_on_a_later_day_is_an_update() -> None:
    a = _claim(
        "a", "The landslide in Pemberly killed 12 residents.", "2031-03-02", "kill", {"pemberly"}
    )
    b = _claim(
        "b", "The landslide in Pemberly killed 19 residents.", "2031-03-03", "kill", {"pemberly"}
    )
    found = pair_conflicts(a, b, cos=0.95, p=0.6)
    assert [(f.slot, f.kind) for f in found] == [("number", "update")]
    conflicts, updates = merge_conflicts(found)
    assert conflicts == []
    assert [v.value for v in updates[0].values] == ["12 resident", "19 resident"]
    assert [v.published for v in updates[0].values] == ["2031-03-02", "2031-03-03"]


def test_the_same_figure_disagreeing_on_the_same_day_is_a_conflict_with_its_reason() -> None:
    a = _claim(
        "a", "The landslide in Pemberly killed 12 residents.", "2031-03-02", "kill", {"pemberly"}
    )
    b = _claim(
        "b", "The landslide in Pemberly killed 19 residents.", "2031-03-02", "kill", {"pemberly"}
    )
    conflicts, updates = merge_conflicts(pair_conflicts(a, b, cos=0.95, p=0.6))
    assert updates == [] and len(conflicts) == 1
    assert "kill" in conflicts[0].why and "pemberly" in conflicts[0].why


def test_undated_counts_need_more_than_a_shared_unit_to_be_one_event() -> None:
    # without publication dates nothing puts "19 seasons" and "four seasons" in one time
    # frame: a shared verb and a low judge p are not enough; the same pair dated is checked
    a = _claim("a", "Tomas Brek has spent 19 seasons with the Kell Rovers.", "", "spend", set())
    b = _claim(
        "b", "Before that, Tomas Brek spent four seasons as the Rovers' scout.", "", "spend", set()
    )
    assert pair_conflicts(a, b, cos=0.70, p=0.25) == []
    # closely worded but undated: the wording must be close (0.80), not merely alike (0.60)
    c = _claim("c", "The landslide in Pemberly killed 12 residents.", "", "kill", {"pemberly"})
    d = _claim("d", "Nineteen residents died in the Pemberly landslide.", "", "die", {"pemberly"})
    assert pair_conflicts(c, d, cos=0.70, p=0.40) == []
    c.published = d.published = "2031-03-02"
    conflicts, _ = merge_conflicts(pair_conflicts(c, d, cos=0.70, p=0.40))
    assert len(conflicts) == 1 and conflicts[0].slot == "number"
    # undated, closely worded and related in the judge's eyes: one event
    c.published = d.published = ""
    assert len(pair_conflicts(c, d, cos=0.85, p=0.40)) == 1


def test_lengths_of_two_periods_and_an_elided_count_are_no_conflict() -> None:
    # "stayed seven seasons ... until the Rovers hired him" / "was fired after four seasons as
    # coach": two periods of one career, not two lengths of one
    a = _claim(
        "a",
        "Tomas Brek stayed for seven seasons until the Rovers hired him as coach.",
        "",
        "stay",
        {"tomas brek", "rovers"},
    )
    b = _claim(
        "b",
        "Tomas Brek was fired after four seasons as coach of the Rovers.",
        "",
        "fire",
        {"tomas brek", "rovers"},
    )
    assert pair_conflicts(a, b, cos=0.85, p=0.40) == []
    # "played 11 seasons and served as a coach for seven": the bare seven is the same count
    # as the other outlet's seven seasons of coaching
    c = _claim(
        "c",
        "Tomas Brek played for the Rovers for 11 seasons and served as a coach for seven.",
        "",
        "play",
        {"tomas brek", "rovers"},
    )
    d = _claim(
        "d",
        "Tomas Brek also spent seven seasons as a coach for the Rovers.",
        "",
        "spend",
        {"tomas brek", "rovers"},
    )
    assert pair_conflicts(c, d, cos=0.85, p=0.50) == []
    # the same verb and two lengths of one period still disagree
    e = _claim("e", "Tomas Brek coached the Rovers for seven seasons.", "", "coach", {"rovers"})
    f = _claim("f", "Tomas Brek coached the Rovers for nine seasons.", "", "coach", {"rovers"})
    assert len(pair_conflicts(e, f, cos=0.90, p=0.60)) == 1


def test_counts_of_people_compare_by_what_befell_them() -> None:
    def units(text: str) -> list[list[str]]:
        return [sorted(n.units) for n in find_numbers(text)]

    # the judge still reads a bare count ("unit" empty); the conflict rules read the act
    assert [n.unit for n in find_numbers("The blast killed 14 people.")] == [""]
    assert units("The blast killed 14 people.") == [["people~kill"]]
    assert units("At least 30 people were hurt in the blast.") == [["people~wound"]]
    assert units("It injured 30 people.") == units("30 people were wounded.") == [["people~wound"]]
    assert units("Nine people died.") == units("killing nine people") == [["people~kill"]]
    assert units("Some 200 people attended the vigil.") == [["people~attend"]]  # a crowd
    # no act beside the count: no slot
    assert units("Some 200 people, many of them pensioners, lined the road.") == [[]]
    assert units("The blast left 14 people dead.") == [["people~kill"]]
    assert units("The crowd, including 14 people from Kell, grew.") == [[]]  # no act
    dead = _claim(
        "a", "The blast at the Tessby depot killed 14 people.", "2031-03-02", "kill", set()
    )
    more = _claim("b", "The Tessby depot blast killed 17 people.", "2031-03-02", "kill", set())
    conflicts, _ = merge_conflicts(pair_conflicts(dead, more, cos=0.92, p=0.8))
    assert [v.value for v in conflicts[0].values] == ["14 people", "17 people"]
    # one outlet's dead against the other's wounded, told in sentences of one shape
    a = _claim(
        "c",
        "A truck bomb blew up at the Tessby depot, killing two people and wounding 21.",
        "2031-03-02",
        "blow",
        {"tessby"},
    )
    b = _claim(
        "d",
        "Their truck bomb blew apart at the depot, killing both drivers and wounding 24 people.",
        "2031-03-04",
        "blow",
        {"tessby"},
    )
    assert pair_conflicts(a, b, cos=0.82, p=0.15) == []


def test_a_count_told_of_someone_the_other_claim_does_not_name_is_another_count() -> None:
    need = _claim(
        "a", "Ilse Varga needs 212 delegates to clinch the nomination.", "2031-06-04", "need", set()
    )
    need.persons = {"ilse varga"}
    rule = _claim(
        "b", "A candidate needs 1,190 delegates to win the nomination.", "2031-06-06", "need", set()
    )
    assert pair_conflicts(need, rule, cos=0.75, p=0.74) == []
    # named on both sides, the same person's count still disagrees
    other = _claim(
        "c",
        "Varga still needs 180 delegates to clinch the nomination.",
        "2031-06-04",
        "need",
        set(),
    )
    other.persons = {"ilse varga"}
    assert [f.slot for f in pair_conflicts(need, other, cos=0.9, p=0.8)] == ["number"]
    # a share of one thing and a share of another: other verbs, other shares
    liked = _claim(
        "d", "Varga's approval rating stands at 48 percent.", "2031-06-04", "stand", set()
    )
    won = _claim("e", "Varga won 31 percent in the Kell primary.", "2031-06-04", "win", set())
    liked.persons = won.persons = {"ilse varga"}
    assert pair_conflicts(liked, won, cos=0.7, p=0.3) == []


def test_a_negation_split_by_tokenized_text_is_still_a_negation() -> None:
    # "hadn ’ t" (text tokenized before it was published) parses without a negation; the
    # words still say it, so the two outlets do not disagree
    a = _claim(
        "a", "The city office said the case hadn’t been filed by Tuesday.", "", "file", set()
    )
    b = _claim(
        "b", "The city office said the case hadn ’ t been filed by Tuesday .", "", "file", set()
    )
    a.negated, b.negated = True, False
    assert pair_conflicts(a, b, cos=0.97, p=0.95) == []
    b.text = b.gist = "The city office said the case had been filed by Tuesday."
    assert [c.slot for c in pair_conflicts(a, b, cos=0.97, p=0.95)] == ["negation"]


def test_different_events_never_conflict() -> None:
    # Sunday's hostage-taking and Monday's negotiations: other predicates, other days
    a = _claim(
        "a",
        "Gunmen seized 40 passengers on Sunday.",
        "2031-03-02",
        "seize",
        {"orvik"},
        dates=[DateMention(29, 35, "Sunday", "2031-03-02")],
    )
    b = _claim(
        "b",
        "Negotiators met 3 envoys on Monday.",
        "2031-03-03",
        "meet",
        {"orvik"},
        dates=[DateMention(28, 34, "Monday", "2031-03-03")],
    )
    assert same_event(a, b, cos=0.55, p=0.3) is None
    assert pair_conflicts(a, b, cos=0.55, p=0.3) == []


def test_a_vague_relative_date_never_conflicts_on_its_own() -> None:
    a = _claim(
        "a",
        "The council voted on the budget last week.",
        "2031-03-02",
        "vote",
        {"council"},
        dates=[DateMention(33, 42, "last week", "2031-W08")],
    )
    b = _claim(
        "b",
        "The council voted on the budget last week.",
        "2031-03-09",
        "vote",
        {"council"},
        dates=[DateMention(33, 42, "last week", "2031-W09")],
    )
    b.text = b.gist = "The council voted on its budget last week."
    assert pair_conflicts(a, b, cos=0.97, p=0.9) == []


def test_disjoint_participants_are_not_one_event() -> None:
    a = _claim("a", "Prime Minister Aldo Vance resigned.", "2031-03-02", "resign", {"aldo vance"})
    b = _claim("b", "Prime Minister Jun Sato resigned.", "2031-03-02", "resign", {"jun sato"})
    assert same_event(a, b, cos=0.9, p=0.7) is None
