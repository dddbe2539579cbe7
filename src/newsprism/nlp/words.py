"""The words of an article's parse that the comparison's framing step aligns (see
:class:`newsprism.model.Words`): kept with the enrichment, so comparing a story never parses
its claims again."""

from __future__ import annotations

from typing import Any

from newsprism.model import WORD_GLUED, WORD_NUMBER, WORD_PARTICLE, WORD_STOP, Word, Words

#: punctuation kept as words: quotation marks (framing tells quoted wording apart)
QUOTE_MARKS = '“”"'


def parse_words(doc: Any) -> list[Word]:
    """The words of a parsed text (offsets in that text): no spaces, no punctuation but
    quotation marks; each with its lower-cased lemma, coarse part of speech and flags (a verb
    particle, number-like, a stop word, joined to the previous word by a hyphen as in
    "twelve-point")."""
    out: list[Word] = []
    for t in doc:
        if t.is_space or (t.is_punct and t.text not in QUOTE_MARKS):
            continue
        flags = 0
        if t.dep_ == "prt":
            flags |= WORD_PARTICLE
        if t.like_num:
            flags |= WORD_NUMBER
        if t.is_stop:
            flags |= WORD_STOP
        if (
            t.i > 1
            and doc[t.i - 1].text in "-–"
            and not doc[t.i - 1].whitespace_
            and not doc[t.i - 2].whitespace_
        ):
            flags |= WORD_GLUED
        out.append(Word(t.idx, t.idx + len(t.text), t.lemma_.lower() or t.lower_, t.pos_, flags))
    return out


def article_words(doc: Any) -> Words:
    """The words of a parsed article, packed to be kept with its enrichment."""
    return Words.pack(parse_words(doc))
