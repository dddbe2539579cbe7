"""List-item marks, which the parser would read into a sentence with the item's first word.

Scraped articles keep a list's marks ("• China did not condemn ..."; ingest keeps them so a
reader sees the list). spaCy's parser often ends a sentence after the mark and the first word
("• China" | "did not condemn Russia ..."), so the claim loses its subject and the attribution
its speaker. :func:`join_list_marks`, a component that runs before the parser, starts a
sentence of its own at a mark that opens a line, and a sentence start at the word after it;
such a mark is then no sentence to read (:func:`is_list_mark`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

COMPONENT = "newsprism_list_marks"

#: the glyphs that mark a list item (ingest's own list, ``ingest.clean``, and a few more)
MARKS = frozenset("•·▪●◦‣∙◆■□➤►")


def join_list_marks(doc: Doc) -> Doc:
    """A list mark at the start of the text or of a line is a sentence of its own, and the
    word after it (on the same line) opens the next: the parser then reads the item's words
    as one sentence, not the mark and the first word as one ("• China" | "did not ...")."""
    for tok in doc:
        if tok.text not in MARKS or tok.i + 1 >= len(doc):
            continue
        before = doc[tok.i - 1] if tok.i else None
        if before is not None and "\n" not in before.text + before.whitespace_:
            continue
        tok.is_sent_start = True
        nxt = doc[tok.i + 1]
        if not nxt.is_space:  # (an empty item: the mark alone on its line)
            nxt.is_sent_start = True
    return doc


def is_list_mark(text: str) -> bool:
    """Whether a sentence's text is a list mark alone (no sentence to read)."""
    return text.strip() in MARKS
