"""The one rule-based sentence splitter (``newsprism.sentences``), on the inputs of both callers:
article text for the summarizer and the claim fallback when parser sentences are missing."""

from __future__ import annotations

from newsprism.model import Article
from newsprism.sentences import sentence_spans, split_sentences
from newsprism.stories.claims import article_sentences


def test_bullets_and_line_breaks_end_units() -> None:
    text = "• The ferry runs again.\n* Tickets cost 4 euros\nFares rise in May."
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["The ferry runs again.", "Tickets cost 4 euros", "Fares rise in May."]


def test_hard_wrapped_lines_are_joined_and_blank_lines_split() -> None:
    text = "The harbour board said the quay\nwould reopen on Monday.\n\nNo date was given"
    got = [s.text for s in split_sentences(text)]
    assert got == ["The harbour board said the quay\nwould reopen on Monday.", "No date was given"]


def test_a_lower_case_word_after_a_question_mark_continues_the_sentence() -> None:
    text = '"Is it safe?" asked the mayor. It is! officials said. Then they left.'
    got = [s.text for s in split_sentences(text)]
    assert got == ['"Is it safe?" asked the mayor.', "It is! officials said.", "Then they left."]


def test_sentence_objects_point_into_the_text() -> None:
    text = "  Gen. Ada Voss met Dr. Ito in St. Marten on Sept. 3.  The talks ended.  "
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "Gen. Ada Voss met Dr. Ito in St. Marten on Sept. 3.",
        "The talks ended.",
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text
    assert split_sentences("") == [] and sentence_spans("   \n\n ") == []


def test_claims_fall_back_to_the_same_splitter() -> None:
    text = "Mr. Lund of Nordhavn Co. resigned. The U.S. Navy said so!\nBoard meets Friday"
    art = Article(id="a", text=text, source="X")
    assert article_sentences(art, None) == split_sentences(text)
    assert [s.text for s in article_sentences(art, None)] == [
        "Mr. Lund of Nordhavn Co. resigned.",
        "The U.S. Navy said so!",
        "Board meets Friday",
    ]


def test_a_name_ending_like_a_title_ends_a_parsed_sentence() -> None:
    # the tokenizer keeps "Sen." whole (as in "Sen. Ola Brin"), so the parser ran two
    # sentences into one; the article's own "Lon Sen said" shows it is a name
    from newsprism.nlp.pipeline import parse

    text = (
        "Lon Sen said on Monday that he would stay in office. The opposition leader asked for "
        "guarantees promised by Lon Sen. Tam Ro wrote that he would return. "
        "Republican Sen. Ola Brin agreed with him."
    )
    got = [s.text for s in parse(text).sents]
    assert "The opposition leader asked for guarantees promised by Lon Sen." in got
    assert "Tam Ro wrote that he would return." in got
    assert "Republican Sen. Ola Brin agreed with him." in got  # a title: no "Republican Sen"


def test_a_list_item_is_one_sentence_after_its_mark() -> None:
    # the parser read "• Harlow did not sign ..." as "• Harlow" and "did not sign ...", and the
    # claim lost its subject; an empty item (the mark alone) was glued to the sentence before
    from newsprism.nlp.clauses import split_clauses
    from newsprism.nlp.pipeline import parse, sentences

    text = (
        "The port authority met on Tuesday.\n\n"
        "• Harlow did not sign the harbour lease and, in particular, did not attend the vote.\n"
        "•\n"
        "• Mayor Dana Reyes said the lease was final."
    )
    doc = parse(text)
    got = [s.text for s in sentences(doc)]
    assert got == [
        "The port authority met on Tuesday.",
        "Harlow did not sign the harbour lease and, in particular, did not attend the vote.",
        "Mayor Dana Reyes said the lease was final.",
    ]
    clauses = split_clauses(doc)
    assert [c.sentence for c in clauses] == [0, 1, 1, 2]  # counted as the sentences are
    first = text[clauses[1].start : clauses[1].end]
    assert first == "Harlow did not sign the harbour lease"
    assert clauses[2].gist == "Harlow did not attend the vote"
