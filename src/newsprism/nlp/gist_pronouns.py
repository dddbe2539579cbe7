"""Names for the personal pronouns of claim gists, so that two outlets' claims compare.

One outlet writes "Comey announced that he would not recommend prosecuting her", another
"Comey decided not to recommend indicting Clinton": the same-fact judge reads words, and "her"
is not "Clinton". A "he", "she", "him", "her" or "his" of a gist (outside quotation marks) is
replaced by the person it stands for when that person is beyond doubt:

* the one person of the pronoun's gender named earlier in the same sentence ("Yeltsin flew
  home because he was ill", "Gwynn hit a single in his first at-bat");
* else, for a pronoun without such a person, the one person of that gender named in the
  sentence before ("Knoblauch stood at second. He did not look up").

A person's gender comes from a title or a given name (:func:`name_gender`) or from the
article's own "he said"/"she said" about them. A person of unknown gender counts as a
candidate for either pronoun, so that two candidates leave it as it is, but is never put in
its place. A possessive takes "'s".
Only the gist changes: what a fact cites is still the clause's own text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from newsprism.nlp.attributions_lexicon import PERSON_PRONOUNS
from newsprism.nlp.attributions_speaker import name_gender
from newsprism.nlp.clauses import inside_quote, quote_regions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from newsprism.model import Attribution, Clause, EntityMention

#: third-person singular pronouns a person can stand behind, and the gender each asks for
#: ("hers" stands for a thing, not for her)
PRONOUN_GENDER = {w: g for w, g in PERSON_PRONOUNS.items() if w != "hers"}
_PRONOUN_WORD = re.compile(r"\b(?:he|him|his|she|her)\b", re.IGNORECASE)


class _Person(NamedTuple):
    start: int
    name: str
    sentence: int


def name_pronouns(
    doc: Doc,
    clauses: list[Clause],
    entities: list[EntityMention] | None,
    attributions: list[Attribution] | None = None,
) -> list[Clause]:
    """``clauses`` with the personal pronouns of their gists replaced by names where the
    person is beyond doubt (see the module docstring); a gist whose pronoun words cannot all
    be matched to its tokens is left as it is."""
    targets = [c for c in clauses if _PRONOUN_WORD.search(c.gist)]
    if not targets or not entities:
        return clauses
    text = doc.text
    starts = [s.start_char for s in doc.sents]
    people = _people(starts, entities)
    if not people:
        return clauses
    gender = _genders(text, entities, attributions or [])
    quotes = quote_regions(text)
    named: dict[int, Clause] = {}
    for c in targets:
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None:
            continue
        toks = [t for t in span if t.lower_ in PRONOUN_GENDER and not inside_quote(t.idx, quotes)]
        borrowed = _borrowed_subject(c, span)
        if borrowed is not None:  # "He inspected the quay and promised ...": the second
            toks.insert(0, borrowed)  # clause's gist opens with the first one's "He"
        gist = _replace(c.gist, toks, people, gender, starts)
        if gist is not None and gist != c.gist:
            named[id(c)] = replace(c, gist=gist)
    return [named.get(id(c), c) for c in clauses]


def _people(starts: list[int], entities: list[EntityMention]) -> list[_Person]:
    return sorted(
        _Person(e.start, e.name, bisect_right(starts, e.start) - 1)
        for e in entities
        if e.label == "PERSON" and e.name
    )


def _genders(
    text: str, entities: list[EntityMention], attributions: list[Attribution]
) -> dict[str, str]:
    """Each person's gender: a title or given name, else the article's "he said" about them."""
    out: dict[str, str] = {}
    for e in entities:
        if e.label == "PERSON" and e.name not in out:
            g = name_gender(e.name, text[max(0, e.start - 6) : e.start])
            if g:
                out[e.name] = g
    for a in attributions:
        word = a.source.text.strip().lower() if a.source is not None else ""
        if word in ("he", "she") and a.speaker and a.speaker not in out:
            out[a.speaker] = PRONOUN_GENDER[word]
    return out


def _borrowed_subject(c: Clause, span: Span) -> Token | None:
    """The governing clause's pronoun subject that the gist of ``c`` opens with although it
    lies before the clause's own words, else None."""
    first = _PRONOUN_WORD.match(c.gist)
    if first is None or span.start == 0 or span[0].lower_ == first.group().lower():
        return None
    sent = span[0].sent
    for tok in reversed(sent[: span.start - sent.start]):
        if tok.lower_ == first.group().lower() and tok.dep_ in ("nsubj", "nsubjpass"):
            return tok
    return None


def _person_for(
    tok: Token, people: list[_Person], gender: dict[str, str], starts: list[int]
) -> str | None:
    """The one person the pronoun ``tok`` can stand for, else None."""
    want = PRONOUN_GENDER[tok.lower_]
    sent = bisect_right(starts, tok.idx) - 1
    lo = bisect_left(people, (starts[max(0, sent - 1)],))
    hi = bisect_left(people, (tok.idx,))
    window = people[lo:hi]
    for k in (sent, sent - 1):
        names = {p.name for p in window if p.sentence == k and gender.get(p.name, want) == want}
        if len(names) > 1:
            return None  # two people it could be
        if names:
            name = names.pop()
            # a person whose gender the article does not tell is no match for "she": the
            # victim named two sentences up may be the one ("She was in the crosswalk when
            # the car hit her", after a police sergeant spoke)
            return name if gender.get(name) == want else None
    return None


def _replace(
    gist: str,
    toks: list[Token],
    people: list[_Person],
    gender: dict[str, str],
    starts: list[int],
) -> str | None:
    """The gist with each pronoun token's word replaced, in order; None when the gist's
    pronoun words are not exactly these tokens (a borrowed subject, a quotation)."""
    words = list(_PRONOUN_WORD.finditer(gist))
    if not toks or len(words) != len(toks):
        return None
    if any(w.group().lower() != t.lower_ for w, t in zip(words, toks, strict=True)):
        return None
    out: list[str] = []
    pos = 0
    for w, tok in zip(words, toks, strict=True):
        name = _person_for(tok, people, gender, starts)
        out.append(gist[pos : w.start()])
        if name is None:
            out.append(w.group())
        elif tok.dep_ == "poss" or tok.lower_ == "his":
            out.append(f"{name}'s")
        else:
            out.append(name)
        pos = w.end()
    out.append(gist[pos:])
    return "".join(out)
