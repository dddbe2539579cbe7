"""Every stop-word list of the project, in one module, each named for the use it serves.

The lists differ on purpose: what counts as a content word depends on the task.

- :data:`FUNCTION_WORDS`: the same-fact judge's features (content overlap, gaps between aligned
  words). The shipped judge was trained with this list; changing it means retraining
  (``scripts/train_judge.py``).
- :data:`NEWS_STOP_WORDS`: terms of articles for clustering and storylines, function words and
  news filler ("said", "reported", weekdays...), compact and with no download.
- :func:`english`: scikit-learn's English list: the lexical keys that block candidate claim
  pairs, and (with reporting words, :func:`summary_stop_words`) the summarizer's concepts.
- :func:`spacy_english`: spaCy's English list: headline-case detection in entity mentions and
  the words framing never compares.

Two small lists of one rule each stay beside their rule: the words left out of a role's key
(``stories.conflicts``) and the words that cannot be a unit after a number (``stories.claims``).
"""

from __future__ import annotations

import ast
import importlib.util
from functools import lru_cache
from pathlib import Path

from newsprism.nlp.dates_calendar import WEEKDAYS

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "into",
        "over",
        "after",
        "before",
        "about",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "his",
        "him",
        "she",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "when",
        "where",
        "while",
        "than",
        "then",
        "so",
        "such",
        "not",
        "no",
        "nor",
        "also",
        "just",
        "only",
        "very",
        "more",
        "most",
        "some",
        "any",
        "all",
        "each",
        "other",
        "said",
        "says",
        "say",
        "told",
        "tell",
        "according",
        "mr",
        "mrs",
        "ms",
        "dr",
        "one",
        "s",
        "t",
    ]
)

NEWS_STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "according",
        "one",
        "two",
        "new",
        "year",
        "years",
        "last",
        "week",
        *WEEKDAYS,
        "people",
        "time",
        "would",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "us",
        "mr",
        "mrs",
        "ms",
        "n't",
        "'s",
        "s",
        "t",
    ]
)

#: reporting words the summarizer leaves out of its concepts
REPORTING_WORDS = frozenset({"said", "says", "say", "told", "mr", "mrs", "ms"})


@lru_cache(maxsize=1)
def english() -> frozenset[str]:
    """scikit-learn's English stop words (the Glasgow IR group's list), read from the word-list
    module that scikit-learn installs, without importing scikit-learn: that import pulls in
    SciPy and took 1-2 s of every run that compares a story."""
    words = _literal_word_list("sklearn", "feature_extraction/_stop_words.py", "ENGLISH_STOP_WORDS")
    if words is None:  # a scikit-learn laid out otherwise: import it after all
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # heavy: sklearn, ~1-2 s

        words = frozenset(ENGLISH_STOP_WORDS)
    return words


def _literal_word_list(package: str, relpath: str, name: str) -> frozenset[str] | None:
    """The strings of ``name = frozenset([...])`` (a literal list) in an installed package's
    module file, read as text and never executed; None when not found so."""
    try:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.origin:
            return None
        tree = ast.parse((Path(spec.origin).parent / relpath).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, ImportError):
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Call)
            and len(node.value.args) == 1
        ):
            try:
                value = ast.literal_eval(node.value.args[0])
            except ValueError:
                return None
            if isinstance(value, list | tuple | set) and all(isinstance(w, str) for w in value):
                return frozenset(value)
    return None


@lru_cache(maxsize=1)
def summary_stop_words() -> frozenset[str]:
    """What the summarizer leaves out of its concepts: :func:`english` and reporting words."""
    return english() | REPORTING_WORDS


@lru_cache(maxsize=1)
def spacy_english() -> frozenset[str]:
    """spaCy's English stop words (the word list only, no pipeline)."""
    from spacy.lang.en.stop_words import STOP_WORDS  # heavy: imports spacy (~1 s)

    return frozenset(STOP_WORDS)
