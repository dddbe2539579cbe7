"""Bounded parsing cost whatever the text: long texts parsed in pieces, long sentences cut.

spaCy's parser needs memory in proportion to the tokens it holds at once (about 4 GB for a
one-million-character text), and every later step works sentence by sentence, so one
"sentence" without a full stop in a whole article makes attribution contents as long as the
article (quadratic output). Two limits keep memory and time linear in the text's size:

* :func:`split_text`: a text longer than :data:`CHUNK_CHARS` is parsed in pieces cut at
  paragraph breaks (else line breaks, sentence ends, spaces) and joined back into one
  :class:`~spacy.tokens.Doc` with exactly the same text, so offsets do not change;
* :func:`cap_sentences`, a pipeline component that runs before the parser: a stretch of more
  than :data:`MAX_SENTENCE_TOKENS` tokens without a sentence-ending mark or line break gets a
  sentence start (after a comma or semicolon near the limit when there is one). The number of
  cuts is kept in ``doc.user_data[CUTS_KEY]`` so the caller can note it per article.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from newsprism.nlp.attributions import CONTENT_CUTS_KEY, MAX_CONTENT_CHARS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "CHUNK_CHARS",
    "CUTS_KEY",
    "MAX_SENTENCE_TOKENS",
    "cap_sentences",
    "note_limits",
    "pipe_bounded",
    "split_text",
]

#: tokens a sentence may run without a full stop, question mark or line break before it is cut
MAX_SENTENCE_TOKENS = 150
#: texts longer than this many characters are parsed in pieces (peak memory stays bounded)
CHUNK_CHARS = 20_000
CUTS_KEY = "newsprism_sentence_cuts"
log = logging.getLogger(__name__)
COMPONENT = "newsprism_sentence_cap"

_ENDS = frozenset(".!?…。！？\"'”’»)")  # a token made of these only ends a sentence
_ENDS_FIRST = frozenset(".!?…。！？")
_SOFT = frozenset(",;—–")
_SEPARATORS = ("\n\n", "\n", ". ", " ")


def cap_sentences(doc: Doc, max_tokens: int = MAX_SENTENCE_TOKENS) -> Doc:
    """Mark a sentence start in every run of ``max_tokens`` tokens with no sentence end."""
    run = 0  # tokens since the last sentence end or cut
    soft = -1  # index of the last comma-like token in this run
    cuts = 0
    for tok in doc:
        if run >= max_tokens:
            # cut after a comma in the last quarter of the run when there is one
            at = soft + 1 if soft >= 0 and tok.i - soft <= max_tokens // 4 else tok.i
            doc[at].is_sent_start = True
            cuts += 1
            run, soft = tok.i - at, -1
        run += 1
        text = tok.text
        if text in _SOFT:
            soft = tok.i
        if "\n" in text or (text[:1] in _ENDS_FIRST and all(c in _ENDS for c in text)):
            run, soft = 0, -1
    doc.user_data[CUTS_KEY] = cuts
    return doc


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters whose concatenation is ``text``,
    each cut at the last paragraph break in its second half (else line break, sentence end,
    space; else at the limit)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        cut = limit
        for sep in _SEPARATORS:
            k = window.rfind(sep, limit // 2)
            if k >= 0:
                cut = k + len(sep)
                break
        pieces.append(text[pos : pos + cut])
        pos += cut
    pieces.append(text[pos:])
    return pieces


def _merge(docs: list[Doc]) -> Doc:
    from spacy.tokens import Doc  # heavy: as above

    cuts = sum(int(d.user_data.get(CUTS_KEY, 0)) for d in docs)
    # spaCy 3.8 takes exclude=; its type stub does not list it yet
    merged = Doc.from_docs(  # type: ignore[call-arg]
        docs, ensure_whitespace=False, exclude=["user_data"]
    )
    merged.user_data[CUTS_KEY] = cuts
    return merged


def pipe_bounded(
    nlp: Language,
    texts: Iterable[str],
    batch_size: int = 32,
    n_process: int = 1,
    limit: int = CHUNK_CHARS,
) -> Iterator[Doc]:
    """``nlp.pipe`` over ``texts``, one Doc per text, long texts parsed in pieces and joined."""
    counts: deque[int] = deque()

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_text(text, limit)
            counts.append(len(parts))
            yield from parts

    docs = iter(nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process))
    for doc in docs:
        n = counts.popleft()
        yield doc if n == 1 else _merge([doc, *(next(docs) for _ in range(n - 1))])


def note_limits(article_id: str, text_length: int, doc: Doc) -> None:
    """Log one line per limit that changed how the article ``article_id`` was read."""
    parsed = len(doc.text)  # Doc.text joins every token: read it once
    if parsed < text_length:
        log.warning(
            "%s: only the first %s of %s characters were parsed",
            article_id,
            f"{parsed:,}",
            f"{text_length:,}",
        )
    cuts = int(doc.user_data.get(CUTS_KEY, 0))
    if cuts:
        log.warning(
            "%s: %d sentence(s) ran over %d tokens without a full stop and were cut",
            article_id,
            cuts,
            MAX_SENTENCE_TOKENS,
        )
    cuts = int(doc.user_data.get(CONTENT_CUTS_KEY, 0))
    if cuts:
        log.warning(
            "%s: %d attribution content(s) cut to %s characters",
            article_id,
            cuts,
            f"{MAX_CONTENT_CHARS:,}",
        )
