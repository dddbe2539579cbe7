"""Claim units: clause-level statements of one article with who says them and their slots.

A :class:`Claim` is one clause of an article's sentence (see :mod:`newsprism.nlp.clauses`;
its span points into ``Article.text``) with
its attribution (``speaker``: the person or body whose words it carries, from an
:class:`~newsprism.model.Attribution` whose content overlaps the sentence; ``outlet``: who
reports it) and *slots* used to align claims across outlets and to detect conflicts:
canonical entities, persons/organisations by role, numbers with units (written numbers
included), normalized dates, places, negation and modality.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from newsprism.model import (
    Article,
    Attribution,
    Clause,
    DateMention,
    Enriched,
    EntityMention,
    Sentence,
)
from newsprism.sentences import split_sentences
from newsprism.text import stem

log = logging.getLogger(__name__)

_MIN_SENT_CHARS = 12


def _add_span(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and (text[start].isspace() or text[start] in "•*"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


def article_sentences(article: Article, enriched: Enriched | None) -> list[Sentence]:
    """The article's sentences: the enriched ones when they are valid spans, else split here."""
    text = article.text or ""
    if enriched is not None and enriched.sentences:
        good = [
            s
            for s in enriched.sentences
            if 0 <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text
        ]
        if good:
            return _split_lines(text, sorted(good, key=lambda s: s.start))
        log.warning(
            "article %s: enriched sentences do not match its text; re-splitting", article.id
        )
    return split_sentences(text)


def _split_lines(text: str, sents: list[Sentence]) -> list[Sentence]:
    """Split sentences further at line breaks (a line break in cleaned text ends a unit)."""
    out: list[Sentence] = []
    for s in sents:
        if "\n" not in s.text:
            out.append(s)
            continue
        pos = s.start
        for m in re.finditer(r"\n", s.text):
            _add_span(text, pos, s.start + m.start(), out)
            pos = s.start + m.end()
        _add_span(text, pos, s.end, out)
    return out


_LETTER = re.compile(r"[^\W\d_]")


def is_content_sentence(s: Sentence) -> bool:
    """True for sentences worth comparing (not debris, captions of a few words or bare links)."""
    t = s.text
    if len(t) < _MIN_SENT_CHARS:
        return False
    letters = len(_LETTER.findall(t))
    if letters < 0.5 * len(t):
        return False
    return len(t.split()) >= 4


# --------------------------------------------------------------------------- slots

_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
    "dozens": None,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUM_WORD = "|".join(sorted((k for k in _WORD_NUMBERS if k != "dozens"), key=len, reverse=True))
_NUMBER = re.compile(
    r"(?<![\w.,])(?<![A-Za-z]-)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand|hundred|bn|m|k)\b)?"
    r"|(?<![\w-])(?:an?\s+)?(?P<word>(?:" + _NUM_WORD + r")(?:[\s-](?:" + _NUM_WORD + r"))*)"
    r"(?:\s+(?P<wscale>million|billion))?\b",
    re.IGNORECASE,
)
_UNIT = re.compile(r"[\s-]*(?P<unit>%|percent|per\s*cent|[a-z][a-z-]{1,20})?", re.IGNORECASE)
_UNIT_STOP = {
    "and",
    "or",
    "of",
    "the",
    "a",
    "an",
    "to",
    "in",
    "on",
    "at",
    "for",
    "by",
    "from",
    "with",
    "that",
    "than",
    "as",
    "is",
    "are",
    "was",
    "were",
    "had",
    "have",
    "has",
    "more",
    "new",
    "other",
    "about",
    "around",
    "over",
    "into",
    "after",
    "before",
    "since",
    "across",
    "under",
    "here",
    "there",
    "times",
    "time",
    "each",
    "every",
    "percentage",
}
#: units that say little about what is counted: "120 people" may be the dead, the hurt or a
#: crowd. Such a count's ``units`` hold the unit with what happened to them, as the verb
#: next to it tells ("killing 120 people", "120 people were killed": ``people~kill``), so two
#: counts of the killed can disagree and a count of the killed and one of the wounded never
#: do; without such a verb, nothing. Its ``unit`` stays empty: the same-fact judge reads it
#: as it was trained (a bare count).
GENERIC_UNITS = frozenset({"people", "person"})
_ACT_BEFORE = re.compile(
    r"\b([A-Za-z]+(?:ing|ed))\s+(?:(?:at\s+least|more\s+than|about|some|nearly|almost|over|"
    r"up\s+to|around|an\s+estimated|a\s+total\s+of)\s+)?$"
)
_ACT_AFTER = re.compile(
    r"\s+(?:(?:were|was|are|is|have\s+been|has\s+been|had\s+been|being|been)\s+)?"
    r"([A-Za-z]+ed|hurt|dead|missing)\b"
)
#: acts that count the same people ("were killed" / "died" / "dead"; "wounded" / "injured" /
#: "hurt"), by stem
_SAME_ACT = {"died": "kill", "dead": "kill", "injur": "wound", "hurt": "wound"}


def _people_act(text: str, start: int, end: int) -> str | None:
    """What happened to the people a number counts: the stem of the verb right before it
    ("killing two people") or right after its unit word ("24 people were wounded")."""
    m = _ACT_BEFORE.search(text[max(0, start - 40) : start])
    if m is None or m.group(1).lower() in _NOT_ACTS:
        m = _ACT_AFTER.match(text, end)
    if m is None:
        return None
    act = stem(m.group(1).lower())
    return _SAME_ACT.get(act, act)


#: words before a count of people that tell nothing of what befell them ("leaving 12 people
#: dead", "including 40 people")
_NOT_ACTS = frozenset(
    {"leaving", "including", "according", "having", "being", "totaling", "numbering"}
)


_NOT_UNIT = {
    "were",
    "was",
    "is",
    "are",
    "will",
    "would",
    "who",
    "which",
    "per",
    "year",
    "years",
    # words after a number that say where or when, not what is counted ("State Route 52
    # just past 2:30", "15 miles north", "fell 200 down", "shot 2 while")
    "just",
    "while",
    "when",
    "where",
    "down",
    "up",
    "north",
    "south",
    "east",
    "west",
    "ago",
    "later",
    "earlier",
    "also",
    "still",
    "only",
    "but",
    "near",
    "past",
    "outside",
    "off",
    "through",
    "via",
    "along",
}
#: a word before a number that makes it a name, not a count ("Route 52", "Flight 370",
#: "Resolution 1244", "Game 7")
_LABEL_BEFORE = re.compile(
    r"\b(?:route|interstate|highway|freeway|flight|room|article|chapter|section|resolution"
    r"|gate|terminal|exit|page|no\.|number|game|round|stage|phase|lap|hole|pier|platform"
    r"|channel|building)\s*$",
    re.IGNORECASE,
)
#: an ordinal suffix right after the digits ("86th", "19th season"): a rank, not a count
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
#: a currency sign before the digits: "m"/"k" after them are then million/thousand ("$600m"),
#: else a unit ("fell 600m" is metres)
_CURRENCY_BEFORE = re.compile(r"[$£€¥]\s*$")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NEAR = re.compile(r"\b(?:" + _MONTHS + r")\.?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:" + _MONTHS + r")\b", re.IGNORECASE)

_MONTH_DAY = re.compile(
    r"\b(" + _MONTHS + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:\s*(?:-|–|to|and|through)\s*(\d{1,2})\b)?",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTHS + r")\b", re.IGNORECASE
)


def surface_date_keys(text: str) -> set[str]:
    """Month-day keys ("mar 20") written in a text, for alignment when no dates are normalized."""
    keys = set()
    for m in _MONTH_DAY.finditer(text):
        mon = m.group(1).lower()[:3]
        keys.add(f"{mon} {int(m.group(2))}")
        if m.group(3):
            keys.add(f"{mon} {int(m.group(3))}")
    for m in _DAY_MONTH.finditer(text):
        keys.add(f"{m.group(2).lower()[:3]} {int(m.group(1))}")
    return keys


_STANCES = {
    "demand": re.compile(
        r"\b(?:wants?|demand(?:s|ed|ing)?|seek(?:s|ing)?|call(?:s|ed)? for|ask(?:s|ed|ing)? for|"
        r"is asking|push(?:es|ing)? for)\b",
        re.IGNORECASE,
    ),
    "offer": re.compile(r"\b(?:offer(?:s|ed)?|propos(?:e|es|ed|al)|on the table)\b", re.IGNORECASE),
    "agreed": re.compile(r"\b(?:agreed|agreement|deal|settle(?:d|ment)|accepted)\b", re.IGNORECASE),
    "forecast": re.compile(
        r"\b(?:expect(?:s|ed)?|forecast|predict(?:s|ed)?|estimate[sd]?)\b", re.IGNORECASE
    ),
}
_DIRS = (
    r"north(?:ern)?|south(?:ern)?|east(?:ern)?|west(?:ern)?|north-?east(?:ern)?|north-?west(?:ern)?|"
    r"south-?east(?:ern)?|south-?west(?:ern)?|central|upper|lower"
)
_AREA_NOUNS = (
    r"district|part|side|suburbs?|outskirts|quarter|area|zone|region|coast|bank|neighbou?rhood|"
    r"province|end|shore|wing|sector|half"
)
_AREA_POSS = re.compile(
    r"\b(?P<place>[A-Z][\w-]+)(?:'s|’s)\s+(?P<dir>"
    + _DIRS
    + r")\s+(?P<noun>"
    + _AREA_NOUNS
    + r")\b"
)
_AREA_OF = re.compile(
    r"\b(?P<dir>"
    + _DIRS
    + r")\s+(?P<noun>"
    + _AREA_NOUNS
    + r")\s+of\s+(?:the\s+)?(?P<place>[A-Z][\w-]+)",
    re.IGNORECASE,
)


def find_areas(text: str, offset: int = 0) -> dict[str, tuple[str, int, int, str]]:
    """Sub-places of a named place: "Kelmar's northern district" -> {"kelmar district": north}."""
    out: dict[str, tuple[str, int, int, str]] = {}
    for rx in (_AREA_POSS, _AREA_OF):
        for m in rx.finditer(text):
            place = m.group("place")
            if not place[:1].isupper():
                continue
            key = f"{place.lower()} {norm_word(m.group('noun'))}"
            direction = re.sub(r"ern$", "", m.group("dir").lower().replace("-", ""))
            out.setdefault(
                key, (direction, offset + m.start("dir"), offset + m.end("dir"), m.group("dir"))
            )
    return out


_NEGATION = re.compile(  # either apostrophe: outlets write "hadn't" and "hadn’t"
    r"\b(?:not|no|never|neither|nor|none|denied|denies|deny|rejected|refused|cannot)\b"
    r"|n['’]t\b",
    re.IGNORECASE,
)
_MODALITY = re.compile(
    r"\b(may|might|could|would|should|reportedly|allegedly|possibly|probably|likely|"
    r"apparently|expected|considering|plans?\s+to|intends?\s+to|is said to|according to)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Number:
    """A number mentioned in a claim: value, unit (the word after it, singular; "" for a
    word of :data:`GENERIC_UNITS`), the words that may name what it counts, and span."""

    value: float
    unit: str
    start: int
    end: int
    text: str
    units: set[str] = field(default_factory=set)
    low: float = 0.0
    high: float = 0.0

    def __post_init__(self) -> None:
        if not self.low and not self.high:
            self.low = self.high = self.value


class RoleMention(NamedTuple):
    """A person or body named with an office in a claim ("port director Lena Marsh")."""

    key: str  # the holder's comparison key (:func:`entity_key`: canonical name, lower-cased)
    text: str  # the mention as written
    start: int  # its span in the article text
    end: int
    role: str  # the office as written ("port director")


@dataclass(slots=True)
class Claim:
    """One clause-level claim of one article with its attribution and slots.

    ``start``/``end``/``text`` is the exact source span it cites; ``gist`` is the wording
    compared across outlets (its own words, a shared subject borrowed, see
    :mod:`newsprism.nlp.clauses`)."""

    id: str
    article: str
    outlet: str
    start: int
    end: int
    text: str
    index: int  # sentence index within the article
    gist: str = ""
    predicate: str = ""  # lemma of the clause's head
    tense: str = "present"  # past | present | future
    modal: str | None = None
    clause: str = "sentence"  # sentence | main | reported | conj | relcl | appos
    published: str | None = None  # the article's publication date
    sent_start: int = 0  # the whole sentence the clause belongs to (for readable briefs)
    sent_end: int = 0
    speaker: str | None = None
    kind: str | None = None  # attribution kind when attributed
    via: str | None = None
    entities: set[str] = field(default_factory=set)  # canonical names (lowercased keys)
    places: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)  # the entities that are people
    numbers: list[Number] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)  # absolute offsets, value set
    negated: bool = False
    modality: list[str] = field(default_factory=list)
    date_keys: set[str] = field(default_factory=set)  # surface "march 20" keys (no DateMentions)
    tallies: list[Number] = field(default_factory=list)  # vote tallies "5-2"
    areas: dict[str, tuple[str, int, int, str]] = field(
        default_factory=dict
    )  # "kelmar district" -> north
    roles: dict[str, RoleMention] = field(default_factory=dict)  # office (lower-cased) -> holder
    stance: frozenset[str] = frozenset()  # demand / offer / agreed: what kind of number it is
    comparative: bool = False  # "two fewer than last year": numbers are relative, not counts


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().lower()


def entity_key(m: EntityMention) -> str:
    """The comparison key of an entity mention: canonical, else in-article name, else text."""
    return _key(m.canonical or m.name or m.text)


def norm_word(w: str) -> str:
    w = w.lower().strip("-'’")
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and len(w) > 3 and not w.endswith("ss"):
        return w[:-1]
    return w


_NEXT_WORDS = re.compile(
    r"[\s-]*(%|percent\b|per\s*cent\b|[A-Za-z][\w'’-]*)(?:\s+([A-Za-z][\w'’-]*))?"
)
_LOWER_BOUND = re.compile(
    r"(?:more than|over|at least|upwards of|in excess of|above|exceeding)\s*$", re.IGNORECASE
)
_UPPER_BOUND = re.compile(
    r"(?:less than|fewer than|under|up to|nearly|almost|at most|below)\s*$", re.IGNORECASE
)
_APPROX = re.compile(
    r"(?:about|around|some|roughly|approximately|an estimated|estimated|circa|c\.)\s*$",
    re.IGNORECASE,
)
_TALLY = re.compile(r"(?<![\d.,/-])(\d{1,3})\s*[-–]\s*(\d{1,3})(?![\d.,/%-])")
_VOTE = re.compile(r"\bvot(?:e|es|ed|ing)\b", re.IGNORECASE)
_COMPARATIVE = re.compile(
    r"\bthan\b(?!\s+(?:about\s+|around\s+)?(?:\d|"
    + _NUM_WORD
    + r"|a\s+(?:hundred|thousand|dozen)))",
    re.IGNORECASE,
)
APPROX_TOLERANCE = 0.05


def find_numbers(text: str, offset: int = 0) -> list[Number]:
    """Numbers with their unit words, written numbers included; years and day-of-month skipped.

    ``unit`` is the first word after the number (singular); ``units`` also holds the second
    word and the two joined ("dock workers" -> dock, worker, dockworker) so that wording
    variants of one thing compare. ``low``/``high`` bound the value: "more than 20" is
    (20, inf), "about 3,200" is 3,200 +-5%.
    """
    out: list[Number] = []
    for m in _NUMBER.finditer(text):
        value = _number_value(m)
        if value is None:
            continue
        s, e = m.start(), m.end()
        if m.group("num"):
            raw = m.group("num")
            if _ORDINAL.match(text, e):
                continue  # "86th": a rank
            if _LABEL_BEFORE.search(text[max(0, s - 16) : s]):
                continue  # "Route 52": a name
            scale = (m.group("scale") or "").lower()
            if scale in ("m", "k") and not _CURRENCY_BEFORE.search(text[max(0, s - 3) : s]):
                # "600m" without a currency: a unit (metres), not a million
                e = m.end("num")
                value = float(raw.replace(",", ""))
            before, after = text[max(0, s - 12) : s], text[e : e + 16]
            if _MONTH_NEAR.search(before) or _MONTH_AFTER.match(after):
                continue  # day of month: a date, not a quantity
            if re.fullmatch(r"(1[89]|20)\d\d", raw) and not m.group("scale"):
                continue  # a year
            if (
                re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:\d)", after)
                or text[max(0, s - 1) : s] == ":"
            ):
                continue  # a clock time
        unit, units = "", set()
        um = _NEXT_WORDS.match(text, e)
        if um:
            w1 = um.group(1).lower()
            if w1 in ("%", "percent") or w1.replace(" ", "") == "percent":
                unit, units = "%", {"%"}
            elif w1 not in _UNIT_STOP:
                unit = norm_word(w1)
                units = {unit}
                w2 = um.group(2)
                # "a five-boat attack": the hyphen makes "boat" a modifier of "attack", and
                # what is counted is boats, never attacks
                hyphened = "-" in text[e : um.start(1)]
                if (
                    w2
                    and not hyphened
                    and w2.lower() not in _UNIT_STOP
                    and w2.lower() not in _NOT_UNIT
                ):
                    units |= {norm_word(w2), unit + norm_word(w2)}
                if unit in _NOT_UNIT:
                    unit, units = "", set()
                elif unit in GENERIC_UNITS:
                    act = _people_act(text, s, um.end(1))
                    unit, units = "", ({f"{unit}~{act}"} if act else set())
        before = text[max(0, s - 24) : s]
        low, high = value, value
        if _LOWER_BOUND.search(before):
            high = math.inf
        elif _UPPER_BOUND.search(before):
            low = 0.0
        elif _APPROX.search(before):
            low, high = value * (1 - APPROX_TOLERANCE), value * (1 + APPROX_TOLERANCE)
        out.append(Number(value, unit, offset + s, offset + e, m.group(0), units, low, high))
    return out


def find_tallies(text: str, offset: int = 0) -> list[Number]:
    """Vote tallies ("voted 5-2", "a 6-1 vote"): value as "5-2" in ``text``, unit "vote"."""
    if not _VOTE.search(text):
        return []
    return [
        Number(0.0, "vote", offset + m.start(), offset + m.end(), m.group(0), {"vote"})
        for m in _TALLY.finditer(text)
    ]


def _number_value(m: re.Match[str]) -> float | None:
    if m.group("num"):
        try:
            v = float(m.group("num").replace(",", ""))
        except ValueError:
            return None
        sc = (m.group("scale") or "").lower()
        mult = {"bn": 1e9, "m": 1e6, "k": 1e3}.get(sc) or _SCALES.get(sc, 1)
        return v * mult
    words = re.split(r"[\s-]+", (m.group("word") or "").lower())
    total, current = 0.0, 0.0
    for w in words:
        word_value = _WORD_NUMBERS.get(w)
        if word_value is None:
            return None
        if w in ("hundred", "thousand"):
            current = max(current, 1) * word_value
            if w == "thousand":
                total, current = total + current, 0
        else:
            current += word_value
    total += current
    sc = (m.group("wscale") or "").lower()
    if sc:
        total *= _SCALES[sc]
    if words == ["one"]:
        return None  # "one" is mostly a pronoun ("one of the ..."), not a count
    return total


#: claims compared per article at most (pairwise work grows with the square): an article's lead
MAX_CLAIMS_PER_ARTICLE = 400


def extract_claims(
    article: Article,
    enriched: Enriched | None,
    prefix: str = "",
    max_claims: int = MAX_CLAIMS_PER_ARTICLE,
) -> list[Claim]:
    """Clause-level claims of one article with attribution and slots (never raises).

    Sentences come from the enrichment; each is split into the clauses the parse found
    (``Enriched.clauses``), or kept whole when it has one clause or no parse was stored."""
    outlet = article.source or article.id
    sents = article_sentences(article, enriched)
    ents = sorted(enriched.entities, key=lambda m: m.start) if enriched else []
    dates = [d for d in (enriched.dates if enriched else []) if d.value]
    attrs = enriched.attributions if enriched else []
    # each claim looks only at the mentions near it (a scan of the whole article per claim made
    # a long article's cost quadratic; issue 18)
    ent_ix = _SpanIndex(ents, [(m.start, m.end) for m in ents])
    date_ix = _SpanIndex(dates, [(d.start, d.end) for d in dates])
    attr_ix = _SpanIndex(attrs, [_extent(a) for a in attrs])
    clauses = sorted(enriched.clauses, key=lambda c: c.start) if enriched else []
    claims: list[Claim] = []
    k0 = 0
    for i, s in enumerate(sents):
        while k0 < len(clauses) and clauses[k0].start < s.start:
            k0 += 1
        parts = []
        k = k0
        while k < len(clauses) and clauses[k].start < s.end:
            if clauses[k].end <= s.end:
                parts.append(clauses[k])
            k += 1
        pieces: list[tuple[int, int, Clause | None]]
        if len(parts) > 1:
            pieces = [(c.start, c.end, c) for c in parts]
        else:
            pieces = [(s.start, s.end, parts[0] if parts else None)]
        for n, (start, end, cl) in enumerate(pieces):
            text = article.text[start:end] if cl is not None else s.text
            c = Claim(
                id=f"{prefix}{article.id}:{i}" + (f".{n}" if n else ""),
                article=article.id,
                outlet=outlet,
                start=start,
                end=end,
                text=text,
                index=i,
                gist=cl.gist if cl is not None and (cl.start, cl.end) == (start, end) else text,
                predicate=cl.predicate if cl is not None else "",
                tense=cl.tense if cl is not None else "present",
                modal=cl.modal if cl is not None else None,
                clause=cl.kind if cl is not None else "sentence",
                published=article.published,
                sent_start=s.start,
                sent_end=s.end,
            )
            _fill_slots(
                c,
                ent_ix.overlapping(start, end),
                date_ix.overlapping(start, end),
                attr_ix.overlapping(start, end),
                cl,
                has_dates=bool(dates),
            )
            claims.append(c)
        if len(claims) >= max_claims:
            log.warning(
                "article %s: comparing its first %d claims (cap: max_claims per article)",
                article.id,
                len(claims),
            )
            break
    return claims


T = TypeVar("T")


class _SpanIndex(Generic[T]):
    """Items with character spans, for finding those that overlap a range without a scan of
    them all: the candidates start within the longest span before the range."""

    def __init__(self, items: list[T], spans: list[tuple[int, int]]) -> None:
        order = sorted(range(len(items)), key=lambda k: spans[k][0])
        self.items = items
        self.order = order
        self.starts = [spans[k][0] for k in order]
        self.spans = spans
        self.longest = max((e - s for s, e in spans), default=0)

    def overlapping(self, start: int, end: int) -> list[T]:
        """The items whose span overlaps ``[start, end)``, in their original order."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        hits = [k for k in self.order[lo:hi] if self.spans[k][1] > start and self.spans[k][0] < end]
        return [self.items[k] for k in sorted(hits)]


def _extent(a: Attribution) -> tuple[int, int]:
    """From the first to the last character of an attribution's content."""
    if not a.content:
        return (0, 0)
    return (min(sp.start for sp in a.content), max(sp.end for sp in a.content))


def _fill_slots(
    c: Claim,
    ents: list[EntityMention],
    dates: list[DateMention],
    attrs: list[Attribution],
    clause: Clause | None,
    has_dates: bool | None = None,
) -> None:
    """Entities, places, roles, dates, numbers, negation, modality and attribution of a claim.

    The lists may hold only the mentions that overlap the claim (the others change nothing);
    ``has_dates`` then says whether the article has any dated mention at all."""
    for m in ents:
        if m.end <= c.start or m.start >= c.end:
            continue
        k = entity_key(m)
        if not k:
            continue
        if m.label in ("CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"):
            continue
        c.entities.add(k)
        if m.label in ("GPE", "LOC", "FAC"):
            c.places.add(k)
        elif m.label == "PERSON":
            c.persons.add(k)
        if m.role and m.label in ("PERSON", "ORG"):
            c.roles.setdefault(_key(m.role), RoleMention(k, m.text, m.start, m.end, m.role))
    c.dates = [d for d in dates if d.start < c.end and d.end > c.start]
    c.tallies = find_tallies(c.text, c.start)
    c.numbers = [
        n
        for n in find_numbers(c.text, c.start)
        if not any(t.start <= n.start < t.end for t in c.tallies)
    ]
    c.comparative = bool(_COMPARATIVE.search(c.text))
    c.stance = frozenset(k for k, rx in _STANCES.items() if rx.search(c.text))
    c.areas = find_areas(c.text, c.start)
    if not (bool(dates) if has_dates is None else has_dates):
        c.date_keys = surface_date_keys(c.text)
    if c.dates:  # numbers inside a date expression are dates, not quantities
        c.numbers = [n for n in c.numbers if not any(d.start <= n.start < d.end for d in c.dates)]
    if clause is not None and clause.kind != "sentence":
        c.negated = clause.negated
    else:
        c.negated = bool(_NEGATION.search(c.text))
    c.modality = sorted({m.group(1).lower() for m in _MODALITY.finditer(c.text)})
    best = 0
    for a in attrs:
        ov = sum(max(0, min(sp.end, c.end) - max(sp.start, c.start)) for sp in a.content)
        if ov > best:
            best = ov
            c.speaker, c.kind, c.via = a.speaker, a.kind, a.via


def whole_text_claim(article: Article, enriched: Enriched | None) -> Claim:
    """An article's whole text read as one claim (the `align` stage's unit): its predicate,
    tense and negation are those of its first clause, its slots those of the whole text."""
    text = article.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    clauses = enriched.clauses if enriched else []
    first = clauses[0] if clauses else None
    c = Claim(
        id=f"{article.id}:0",
        article=article.id,
        outlet=article.source or article.id,
        start=start,
        end=end,
        text=text[start:end],
        index=0,
        gist=text[start:end],
        predicate=first.predicate if first else "",
        tense=first.tense if first else "present",
        modal=first.modal if first else None,
        clause="sentence",
        published=article.published,
        sent_start=start,
        sent_end=end,
    )
    ents = sorted(enriched.entities, key=lambda m: m.start) if enriched else []
    dates = [d for d in (enriched.dates if enriched else []) if d.value]
    _fill_slots(c, ents, dates, enriched.attributions if enriched else [], None)
    return c
