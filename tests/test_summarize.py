"""The extractive multi-document summarizer and its DUC 2004 scorer.

Fixtures are fictional: a dam failure in the invented Osk valley reported by invented outlets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.sentences import sentence_spans
from newsprism.stories.summarize import Summary, summarize

DAM = [
    # The Harlow Courier
    "The Veltra dam on the Osk river burst early on Monday, flooding three villages and forcing "
    "about 4,000 people from their homes. Rescue teams from the regional capital Dernow reached "
    "the villages by boat before noon. The dam, built in 1962, had been due for repairs since "
    "last spring. Local shops reopened on Wednesday.\n"
    "Weather forecasters expect more rain in the Osk valley later this week.",
    # Osk Valley Radio
    "About 4,000 people were forced from their homes after the Veltra dam burst on Monday and "
    "flooded three villages in the Osk valley. Officials said rescue teams had reached every "
    "village by boat. Engineers warned last spring that the Veltra dam needed urgent repairs, "
    "according to a report seen by the station. A football match in Dernow was postponed.",
    # Dernow Evening Post
    "Governor Ilse Marrow visited the three flooded villages on Tuesday, a day after the Veltra "
    "dam burst on the Osk river. She promised an inquiry into why repairs to the Veltra dam "
    "had been delayed since last spring. Rescue teams used boats to reach the villages on "
    "Monday. The governor also opened a new library in Dernow that afternoon.",
    # Northern Wire
    "The Veltra dam on the Osk river burst early on Monday, flooding three villages and forcing "
    "about 4,000 people from their homes, officials said. An inquiry into the delayed repairs "
    "of the Veltra dam will report within three months, Governor Ilse Marrow said on Tuesday. "
    "Insurance firms have not yet estimated the damage to farmland.",
]


def _pieces(texts: list[str], s: Summary) -> list[str]:
    return [texts[i][a:b] for i, a, b in s.citations]


def test_citations_are_exact_source_sentences_and_make_up_the_summary() -> None:
    s = summarize(DAM, words=60)
    pieces = _pieces(DAM, s)
    assert pieces, "a four-article story must get a summary"
    assert s.text == " ".join(pieces)
    spans = {(i, a, b) for i, text in enumerate(DAM) for a, b in sentence_spans(text)}
    assert set(s.citations) <= spans  # whole sentences, never cut
    assert len(set(s.citations)) == len(s.citations)


def test_reading_order_puts_leads_first_and_keeps_a_pronoun_after_its_antecedent() -> None:
    s = summarize(DAM, words=100)
    pieces = _pieces(DAM, s)
    starts = [a for _, a, _ in s.citations]
    assert starts[0] == 0  # an article's opening sentence comes first
    she = next(k for k, p in enumerate(pieces) if p.startswith("She promised an inquiry"))
    assert pieces[she - 1].startswith("Governor Ilse Marrow visited")


@pytest.mark.parametrize("limit", [12, 25, 40, 60, 100])
def test_summary_stays_within_the_word_limit(limit: int) -> None:
    s = summarize(DAM, words=limit)
    assert len(s.text.split()) <= limit
    if s.text:
        assert all(len(p.split()) <= limit for p in _pieces(DAM, s))


def test_bigger_budget_gives_a_longer_summary() -> None:
    short, long = summarize(DAM, words=25), summarize(DAM, words=100)
    assert 0 < len(short.text.split()) < len(long.text.split()) <= 100


def test_near_duplicate_sentences_from_two_articles_are_selected_once() -> None:
    s = summarize(DAM, words=100)
    pieces = _pieces(DAM, s)
    lead = [
        p for p in pieces if p.startswith("The Veltra dam on the Osk river burst early on Monday")
    ]
    assert len(lead) == 1, pieces  # the shared lead, once (the Courier's and the Wire's)


def test_content_shared_by_several_outlets_beats_single_outlet_details() -> None:
    s = summarize(DAM, words=40)
    assert "dam" in s.text and "burst" in s.text
    for detail in ("football match", "new library", "Local shops", "Insurance firms"):
        assert detail not in s.text


def test_sentence_opening_with_a_pronoun_needs_the_one_before_it() -> None:
    for limit in (20, 40, 60, 100):
        pieces = _pieces(DAM, summarize(DAM, words=limit))
        if any(p.startswith("She promised an inquiry") for p in pieces):
            assert any(p.startswith("Governor Ilse Marrow visited") for p in pieces)


def test_short_fragments_and_questions_are_not_selected() -> None:
    texts = [
        "Why did the Veltra dam on the Osk river burst on Monday morning? Nobody knows. The "
        "Veltra dam on the Osk river burst on Monday and flooded three villages nearby.",
        "The Veltra dam on the Osk river burst on Monday, officials in Dernow confirmed today.",
        "Nobody knows. The Veltra dam on the Osk river burst on Monday after heavy rain fell.",
    ]
    pieces = _pieces(texts, summarize(texts, words=100))
    assert pieces
    assert not any(p.endswith("?") or p == "Nobody knows." for p in pieces)


def test_deterministic() -> None:
    first = summarize(DAM, words=50)
    for _ in range(3):
        assert summarize(DAM, words=50) == first
    assert summarize(list(DAM), words=50).citations == first.citations


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["   \n\n  "],
        ["", None, "  "],
        ["no sentence punctuation here just a run of lower case words without end"],
        ["«»“”‘’ \" ' ... !!! ???"],
        ["OK."],
    ],
)
def test_odd_inputs_give_an_empty_summary(texts: list) -> None:
    s = summarize(texts, words=100)
    assert s == Summary("", [])


def test_zero_budget_and_sentences_longer_than_the_budget() -> None:
    assert summarize(DAM, words=0) == Summary("", [])
    assert summarize(DAM, words=5) == Summary("", [])  # every candidate has 8+ words


def test_single_article_gets_a_summary_of_its_own_sentences() -> None:
    s = summarize([DAM[0]], words=40)
    assert s.citations and {i for i, _, _ in s.citations} == {0}
    assert len(s.text.split()) <= 40


def test_huge_and_unbroken_inputs_do_not_raise() -> None:
    huge = " ".join(DAM) * 200
    s = summarize([huge, DAM[1]], words=100)
    assert len(s.text.split()) <= 100
    texts = [huge, DAM[1]]
    assert s.text == " ".join(_pieces(texts, s))
    wall = "word " * 50_000
    assert summarize([wall, wall], words=100) == Summary("", [])


def test_splitter_keeps_abbreviations_initials_and_dates_inside_sentences() -> None:
    text = (
        "Mr. T. J. Varga of Orlen Freight Co. arrived on Jan. 5 in the U.S. capital. "
        'The U.S. Navy said so! He left at 3 p.m. on Tuesday. "Why?" she asked.\n'
        "This line is hard\nwrapped in two. A new line\n\nLast one without a stop"
    )
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == [
        "Mr. T. J. Varga of Orlen Freight Co. arrived on Jan. 5 in the U.S. capital.",
        "The U.S. Navy said so!",
        "He left at 3 p.m. on Tuesday.",
        '"Why?" she asked.',
        "This line is hard\nwrapped in two.",
        "A new line",
        "Last one without a stop",
    ]


def test_lexrank_reference_system_runs_offline_on_our_sentences() -> None:
    from newsprism.evaluate.summarize import lexrank, truncate

    out = lexrank(DAM, words=30)
    sentences = {t[a:b] for t in DAM for a, b in sentence_spans(t)}
    assert out and len(out.split()) >= 30
    assert out.startswith(tuple(sentences))
    assert len(truncate(out, 30).split()) == 30


@pytest.mark.slow
def test_duc_scorer_on_two_clusters(data_dir: Path) -> None:
    from newsprism.evaluate.summarize import score

    path = data_dir / "duc2004_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    scores = score(path, limit=2)
    assert scores["clusters"] == 2
    for key in ("rouge1_recall", "rouge2_recall", "lexrank_rouge1_recall", "lexrank_rouge2_recall"):
        assert 0.05 < scores[key] < 0.8
    assert scores["rouge1_margin"] == pytest.approx(
        scores["rouge1_recall"] - scores["lexrank_rouge1_recall"]
    )


def test_vectorized_lexrank_ranks_exactly_like_stock_sumy(monkeypatch: pytest.MonkeyPatch) -> None:
    from sumy.summarizers.lex_rank import LexRankSummarizer

    import newsprism.evaluate.summarize as scorer

    texts = [*DAM, DAM[0].replace("Monday", "Sunday"), "Dernow police closed two roads. " * 3]
    fast = [scorer.lexrank(texts, words=n) for n in (20, 60, 100)]
    monkeypatch.setattr(scorer, "_fast_lexrank_class", lambda: LexRankSummarizer)
    stock = [scorer.lexrank(texts, words=n) for n in (20, 60, 100)]
    assert fast == stock
    assert len(set(fast)) == 3
