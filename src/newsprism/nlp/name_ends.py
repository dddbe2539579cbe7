"""Sentence ends the tokenizer hides in a name that looks like a title abbreviation.

spaCy's English tokenizer keeps "Sen." whole, as in "Sen. John Dole", so "... promised by
strongman Hun Sen. Sam Rainsy wrote ..." is parsed as one sentence, and every later step
(claims, attributions, the timeline) joins two statements. :func:`mark_name_ends`, a pipeline
component that runs before the parser, gives the next word a sentence start where the same
article writes the name without the full stop elsewhere ("Hun Sen said", "Hun Sen's party"):
there the word is part of a name, not a title before one. "Republican Sen. Ola Brin" is left
alone, since nothing writes "Republican Sen" without the stop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

COMPONENT = "newsprism_name_ends"


def mark_name_ends(doc: Doc) -> Doc:
    """Set a sentence start after "<Name> <Word>." where "<Name> <Word>" occurs without the
    stop in the same doc and the next word is capitalised."""
    dotted = [
        t
        for t in doc
        if len(t.text) > 2 and t.text.endswith(".") and t.text[:-1].isalpha() and t.i > 0
    ]
    if not dotted:
        return doc
    pairs = {(doc[k - 1].text, doc[k].text) for k in range(1, len(doc))}
    for tok in dotted:
        prev = doc[tok.i - 1]
        if tok.i + 1 >= len(doc) or not prev.text[:1].isupper():
            continue
        nxt = doc[tok.i + 1]
        if nxt.text[:1].isupper() and (prev.text, tok.text[:-1]) in pairs:
            nxt.is_sent_start = True
    return doc
