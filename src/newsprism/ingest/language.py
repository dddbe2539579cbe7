"""Language identification of article text (py3langid, offline, ISO 639-1 codes).

``detect`` returns None rather than guessing on text too short to judge (fewer than
``MIN_LETTERS`` letters or ``MIN_WORDS`` words) or when the classifier is unsure.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from newsprism import profile

logger = logging.getLogger(__name__)

MIN_LETTERS = 20  # fewer letters than this: too short to tell
MIN_WORDS = 4
MIN_PROBABILITY = 0.5  # normalized probability below this: unsure -> None
MAX_CHARS = 5000  # the opening of a long article is enough

_lock = threading.Lock()
_identifier: Any = None


def _get_identifier() -> Any:
    """The py3langid identifier with normalized probabilities, loaded once (~0.5 s)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import _load_identifier  # heavy: py3langid, ~80 ms to import

                with profile.stage("models"):  # a model like the others (~0.5 s)
                    _identifier = _load_identifier(norm_probs=True)
    return _identifier


def release() -> None:
    """Let the identifier go (about 75 MB of tables): a run calls it once its inputs are read,
    so the rest of it, and the workers it starts next, do without. The next :func:`detect`
    loads it again."""
    global _identifier
    with _lock:
        _identifier = None


def detect(text: str) -> str | None:
    """ISO 639-1 code of the language ``text`` is written in, or None when too short or unsure.

    >>> detect("The council voted on Tuesday to reopen the old river bridge next spring.")
    'en'
    """
    if not text:
        return None
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS or len(sample.split()) < MIN_WORDS:
        return None
    try:
        lang, prob = _get_identifier().classify(sample)
    except Exception:  # a classifier failure must never stop ingest
        logger.debug("language detection failed", exc_info=True)
        return None
    if prob < MIN_PROBABILITY or not isinstance(lang, str) or len(lang) != 2:
        return None
    return lang
