"""Claim gists name the person behind "he", "she", "his", "her" where there is no doubt
(:mod:`newsprism.nlp.gist_pronouns`). Fixtures are fictional."""

from __future__ import annotations

from newsprism.model import Article
from newsprism.nlp.enrich import enrich_doc
from newsprism.nlp.pipeline import parse


def _gists(text: str) -> list[str]:
    return [c.gist for c in enrich_doc(Article(id="t", text=text), parse(text)).clauses]


def test_a_pronoun_with_one_person_of_its_gender_before_it_is_named() -> None:
    gists = _gists(
        "Mayor Anna Berg closed the old bridge on Monday because she feared a collapse. "
        "Harbour master Peter Vesk sold his boat to the council. "
        "Peter Vesk stood on the quay for an hour. He did not look up."
    )
    assert (
        "Mayor Anna Berg closed the old bridge on Monday because Anna Berg feared a collapse"
        in gists
    )
    assert "Harbour master Peter Vesk sold Peter Vesk's boat to the council" in gists
    assert "Peter Vesk did not look up" in gists


def test_a_pronoun_that_could_be_two_people_is_quoted_or_unmatched_stays() -> None:
    gists = _gists(
        "Mayor Anna Berg met Governor Maria Lind in Kell on Monday. "
        "Afterwards she closed the old bridge to all trucks. "
        "“He will never come back to the harbour,” Otto Vesk said of the old ferry captain. "
        "Sergeant Marek Oss of the Kell police described the crash. "
        "She was on the crossing when the van hit her."
    )
    assert "she closed the old bridge to all trucks" in gists  # Berg or Lind?
    assert "He will never come back to the harbour" in gists  # a quotation's own words
    # a person whose gender the article does not tell is never put in for "she"
    assert "She was on the crossing when the van hit her" in gists
