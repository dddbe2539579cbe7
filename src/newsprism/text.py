"""Text utilities shared by the pipeline: one implementation each."""

from __future__ import annotations

import hashlib
import re

_STEM = re.compile(r"(?<=\w{4})(?:ing|ed|es|s)\b")
_TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*|\$|%", re.UNICODE)

#: words that negate the clause they stand in ("n't" contractions: see :func:`is_negation`)
NEGATION_WORDS: frozenset[str] = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "n't",
    ]
)
#: verbs that deny, refuse or doubt what follows: a negation of the reported fact, not of the
#: clause ("the mayor doubted that the bridge would reopen" does not state that it will)
DENIAL_WORDS: frozenset[str] = frozenset(
    [
        "deny",
        "denies",
        "denied",
        "refuse",
        "refuses",
        "refused",
        "reject",
        "rejects",
        "rejected",
        # verb forms only: "no doubt", "a decade-long dispute", "the disputed region" do
        # not negate anything
        "doubted",
        "refute",
        "refutes",
        "refuted",
    ]
)


def stem_text(text: str) -> str:
    """Lower-cased text with common English suffixes cut from longer words ("strikes" ->
    "strik", "closed" -> "clos"): a light stemmer for overlap measures, not for display."""
    return _STEM.sub("", text.lower())


def stem(word: str) -> str:
    """One word, stemmed as :func:`stem_text` stems running text."""
    return stem_text(word)


def tokens(text: str) -> list[str]:
    """Word tokens (inner apostrophes, dots and hyphens kept: "don't", "U.S.", "two-day"),
    plus "$" and "%", in their original case."""
    return _TOKEN.findall(text or "")


def is_negation(token: str) -> bool:
    """Whether a lower-cased token negates its clause ("not", "never", "didn't", ...)."""
    t = token.replace("’", "'")
    return t in NEGATION_WORDS or t.endswith("n't")


#: what may close a sentence after its final punctuation: quotation marks and brackets
_CLOSING = "\"'”’»)]"


def is_question(text: str) -> bool:
    """Whether a sentence or clause asks rather than states: it ends with a question mark
    (closing quotes and brackets aside)."""
    return text.rstrip().rstrip(_CLOSING).endswith("?")


def content_hash(data: bytes | str) -> str:
    """The sha256 hex digest of raw bytes (a string is hashed as UTF-8): an input's content
    hash (incremental runs) and a stored record's digest (story cache keys)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


_PLACE = r"[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,3}"
_DATE = r"[A-Z][a-z]{2,9}\.? \d{1,2}(?:, \d{4})?|\d{1,2} [A-Z][a-z]{2,9}\.?(?: \d{4})?"
_DATELINE = re.compile(
    rf"^(?P<dl>(?P<place>{_PLACE}(?:\s*/\s*{_PLACE})*)(?:, (?:{_DATE}|{_PLACE}))*"
    rf"(?:\s*(?P<agency>\([A-Z][\w&.’' -]{{0,30}}\)))?)\s*(?P<dash>--|[-–—―])\s+(?=\S)"
)
_DATELINE_STOP = {
    "The", "A", "An", "But", "And", "Meanwhile", "However", "Yes", "No", "So", "Now", "Then",
    "Also", "Still", "Earlier", "Later", "Today", "Yesterday",
}  # fmt: skip


def _dateline_match(paragraph: str, strict: bool = False) -> re.Match[str] | None:
    """The dateline's match, or None. ``strict``: only one no sentence could open with: a
    place in capitals, with an agency, or two places."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    place, dash = m.group("place"), m.group("dash")
    if place.split()[0] in _DATELINE_STOP:
        return None
    letters = [c for c in place if c.isalpha()]
    allcaps = len(letters) >= 3 and all(c.isupper() for c in letters)
    strong = bool(m.group("agency")) or allcaps or "/" in place
    if strict and not strong:
        return None
    if dash == "-" and not (m.group("agency") or allcaps):
        return None
    if not (strong or len(place.split()) <= 3):
        return None
    return m


def dateline(paragraph: str) -> str | None:
    """The dateline at the start of a paragraph (``BEIJING (Reuters)``, ``Beijing/Moscow``,
    ``WASHINGTON ―``'s place), or None."""
    m = _dateline_match(paragraph)
    return m.group("dl").strip() if m else None


def dateline_end(paragraph: str, strict: bool = False) -> int:
    """Where the words after a paragraph's dateline and its dash begin (0 without one).
    ``strict``: only a dateline no sentence could start with: a place in capitals, with an
    agency, or two places ("KESSEL ―", "Kessel (Meridian) -", "Kessel/Orlen –"), not
    "Anna Berg – ..." ."""
    m = _dateline_match(paragraph, strict)
    return m.end() if m else 0


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|we|We|my|My|our|Our|us|me)\b")
_DANGLING = re.compile(
    r"^(?:But|And|Or|So|Also|However|Still|Yet|Meanwhile|Then|Instead|Moreover|"
    r"He|She|It|They|This|These|Those|That|His|Her|Its|Their)\b"
)
_OPENING = "\"'“‘«(["


def leans_on_previous(sentence: str) -> bool:
    """Whether a sentence reads only after the one before it: it opens with a connective or a
    pronoun ("But ...", "He said ...", "This is ...")."""
    return bool(_DANGLING.match(sentence))


def reads_alone(sentence: str) -> bool:
    """Whether a sentence makes sense quoted on its own: it opens in upper case (not in the
    middle of something), asks no question, opens and closes its quotations, is not a
    first-person quotation (whose "I" or "we" the reader cannot place) and ends as a sentence
    does. Connectives and pronouns at the start: :func:`leans_on_previous`."""
    first = sentence.lstrip(_OPENING)[:1]
    if not first or first.islower():
        return False
    if (
        is_question(sentence)
        or sentence.count('"') % 2
        or sentence.count("“") != sentence.count("”")
    ):
        return False
    if _FIRST_PERSON.search(sentence):
        return False
    return sentence.rstrip(_CLOSING)[-1:] in ".!…"
