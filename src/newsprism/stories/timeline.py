"""A story's timeline: its facts placed at the date of what they describe.

Each fact appears once, with all its sources, at one date: the date mention that governs the
claim's main predicate. A sentence mentions many dates that are not the date of its event:
"China offers to broker talks between Moscow and Kiev, which have been at war since Russia
invaded Ukraine in February 2022" is not a February 2022 event. So a mention is left out when

- it anchors a span (``since 2022``, ``until March``), or
- it modifies a noun (``the February 2022 invasion``, ``2022's election``, ``his 1973-90
  rule``), or describes a period of years (``prime minister from 1979-90``), or
- it sits in a relative or adverbial clause (after ``which``, ``who``, ``since``, ``after``,
  ``before``, ``when``, ``while``, ``because``... unless that word directly governs the date,
  as in ``before March 20``).

Of the mentions left, the first one of the claim is its date. Day offsets told relative to an
earlier date of the same article ("A day later, the negotiations will begin", "the day
before") are counted from that date rather than from the publication day. A fact takes the
date most of its claims carry. Facts dated more than ``background_days`` before the story's
first publication day go to a separate *background* list (a biography's 1948 is not this
week's news); both lists are in date order, ranges and weeks keep their extent (``label``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsprism.model import DatedSource, Fact, Span, TimelineEntry
from newsprism.nlp.dates_calendar import FULL_DAY_VALUE, WEEK_VALUE, date_bounds, week_start
from newsprism.stopwords import english

log = logging.getLogger(__name__)

#: a fact dated this many days or more before the story's first day is background
BACKGROUND_DAYS = 365

_SEASON = {"SP": "-03", "SU": "-06", "FA": "-09", "AU": "-09", "WI": "-12"}
_DAY = re.compile(r"^(\d{4})(?:-(\d\d|W\d\d))?(?:-(\d\d))?")

# a date right after one of these words anchors a span, it is not when something happened
_SPAN_WORDS = re.compile(
    r"\b(?:since|until|till|through|throughout|as of)\s+(?:early |late |mid-?)?$"
)
# words that open a relative or adverbial clause
_CLAUSE_WORDS = re.compile(
    r"\b(?:which|who|whom|whose|since|after|before|when|whenever|while|because|although|"
    r"though|until|once|where)\b",
    re.IGNORECASE,
)
_DET = re.compile(r"(?:\b(?:the|its|their|his|her|a|an)|['’]s)\s+$", re.IGNORECASE)
#: a claim that opens with a name and an apposition still open before the date: "Wang
#: Youcai, a student leader of the demonstrations in [1989] and now 32, declared ..."
_IN_APPOSITION = re.compile(
    r"^((?:[A-Z][\w.'’-]*\s+)*[A-Z][\w.'’-]*),\s+(?:a|an|the|his|her|their|its)\s[^,;]*$"
)
#: words that open a sentence before a comma without being a name ("In Kinshasa, the ...")
_OPENERS = frozenset({"indeed", "meanwhile", "however", "still", "instead", "now", "then"})
_NOUN_AFTER = re.compile(r"^(?:'s|’s)|^\s+([A-Za-z][\w\-]*)")
# words that can follow a date without the date modifying them
_NOT_NOUNS = frozenset(
    [
        "and",
        "or",
        "but",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "after",
        "before",
        "when",
        "while",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "will",
        "would",
        "said",
        "says",
        "say",
        "told",
        "announced",
        "the",
        "a",
        "an",
        "that",
        "this",
        "which",
        "who",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
    ]
)
_RELATIVE = re.compile(
    r"^(?:(?P<n>a|an|one|two|three|four|five|six|seven|\d+)\s+days?\s+"
    r"(?P<dir>later|after(?:wards?)?|earlier|before)"
    r"|the\s+(?P<dir2>next|following|previous|preceding)\s+day"
    r"|the\s+day\s+(?P<dir3>before|after))$",
    re.IGNORECASE,
)
# the other end of a span of years ("1973-1990", "1973-90") beside a year mention
_YEARS_AFTER = re.compile(r"^[-–](?:\d{4}|\d\d)\b")
_YEARS_BEFORE = re.compile(r"\b\d{4}[-–]$")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_FORWARD = {"later", "after", "afterward", "afterwards", "next", "following"}


def date_sort_key(value: str) -> tuple[str, int]:
    """Sort key for a TIMEX3 value: by its first day, coarser values first on ties."""
    first = value.split("/", 1)[0]
    first = re.sub(r"-(SP|SU|FA|AU|WI)$", lambda m: _SEASON[m.group(1)], first)
    week = WEEK_VALUE.match(first)
    if week:  # a week (or its weekend) sorts at its first day, before that day's own entries
        start = week_start(week)
        return (start.isoformat(), -1) if start else ("9999", 9)
    m = _DAY.match(first)
    if not m:
        return ("9999", 9)
    granularity = 3 - sum(g is not None for g in m.groups())
    return (first, -granularity)


#: seasons as a reader names them ("2023-SP" is shown "spring 2023")
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}


def date_label(value: str) -> str:
    """How a value is shown: a range as ``A to B``, a week as ``week of <Monday>``, a season
    as ``spring 2023``."""
    if "/" in value:
        a, b = value.split("/", 1)
        return f"{date_label(a)} to {date_label(b)}"
    season = re.match(r"^(\d{4})-(SP|SU|FA|AU|WI)$", value)
    if season:
        return f"{_SEASON_NAMES[season[2]]} {season[1]}"
    week = WEEK_VALUE.fullmatch(value)
    if week:
        start = week_start(week)
        if start is None:
            return value
        return f"{'weekend' if week[3] else 'week'} of {start.isoformat()}"
    return value


def _anchored(value: str | None) -> str | None:
    """The calendar part of a DATE/TIME value (``2023-03-20TAF`` -> ``2023-03-20``)."""
    if not value or "XX" in value:  # "2016-XX-XX": some day of 2016, no date to place
        return None
    value = value.split("T", 1)[0] if FULL_DAY_VALUE.match(value) and "/" not in value else value
    return value if _DAY.match(value) else None


def _is_event_date(claim_text: str, rel_start: int, rel_end: int) -> bool:
    """Whether a date mention at ``[rel_start, rel_end)`` of the claim can be its event date."""
    before = claim_text[: max(0, rel_start)]
    after = claim_text[rel_end:]
    if _SPAN_WORDS.search(before.lower()):
        return False
    appos = _IN_APPOSITION.match(before)
    if appos and "," in after and _names_someone(appos.group(1)):
        return False  # it dates the apposition's noun, not what the claim tells
    if _YEARS_BEFORE.search(before):
        return False  # the end of a span of years: "1973-90"
    years = _YEARS_AFTER.match(after)
    if years:  # a span of years describes a period: "his 1973-90 rule", "minister from
        # 1979-90", "Pinochet's 1973-1990 regime"
        rest = _NOUN_AFTER.match(after[years.end() :])
        if re.search(r"\bfrom\s+$", before.lower()) or (
            rest and rest.group(1) and rest.group(1).lower() not in _NOT_NOUNS
        ):
            return False
    m = _NOUN_AFTER.match(after)
    if m and _DET.search(before):
        word = m.group(1)
        if word is None or word.lower() not in _NOT_NOUNS:
            return False  # "the February 2022 invasion", "the 2022's ..."
    if m and m.group(1) is None:
        return False  # "2022's election"
    for cw in _CLAUSE_WORDS.finditer(before):
        between = before[cw.end() :].strip()
        if between and not re.fullmatch(r"(?:on|in|at|by|of|the|early|late|mid-?)\s*", between):
            return False  # inside a clause that word opens
    return True


def _names_someone(words: str) -> bool:
    """Whether the capitalised words that open a claim are a name, not an opening phrase
    ("In Kinshasa", "Indeed")."""
    return not any(w.lower() in english() or w.lower() in _OPENERS for w in words.split())


@dataclass
class Timeline:
    """A story's dated facts: ``events`` of the story's days, ``background`` from long before."""

    events: list[TimelineEntry] = field(default_factory=list)
    background: list[TimelineEntry] = field(default_factory=list)


def _relative_value(text: str, previous: str | None) -> str | None:
    """``A day later`` counted from the previous full date of the article."""
    m = _RELATIVE.match(text.strip())
    if not m or not previous:
        return None
    fm = FULL_DAY_VALUE.match(previous)
    if not fm:
        return None
    n = _NUMBERS.get((m.group("n") or "one").lower())
    if n is None:
        n = int(m.group("n")) if (m.group("n") or "").isdigit() else 1
    word = (m.group("dir") or m.group("dir2") or m.group("dir3") or "").lower()
    sign = 1 if word in _FORWARD else -1
    try:
        day = dt.date(int(fm[1]), int(fm[2]), int(fm[3])) + dt.timedelta(days=sign * n)
    except ValueError:
        return None
    return day.isoformat()


def _claim_dates(facts: Sequence[Fact]) -> dict[tuple[str, int], str]:
    """Value of every date mention (article, start), relative day offsets re-anchored."""
    mentions: dict[str, dict[int, Any]] = {}
    for f in facts:
        for c in f.claims:
            for d in c.dates:
                if d.type in ("DATE", "TIME"):
                    mentions.setdefault(c.article, {})[d.start] = d
    out: dict[tuple[str, int], str] = {}
    for article, by_start in mentions.items():
        previous: str | None = None
        for start in sorted(by_start):
            d = by_start[start]
            value = _relative_value(d.text, previous) or _anchored(d.value)
            if value:
                out[(article, start)] = value
                if FULL_DAY_VALUE.match(value):
                    previous = value[:10]
    return out


def _governing(claim: Any, values: dict[tuple[str, int], str]) -> tuple[str, Any] | None:
    """The claim's event date: its first date mention that can be one, with the mention."""
    for d in sorted(claim.dates, key=lambda d: d.start):
        value = values.get((claim.article, d.start))
        if not value:
            continue
        if _is_event_date(claim.text, d.start - claim.start, d.end - claim.start):
            return value, d
    return None


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def story_timeline(
    facts: Sequence[Fact],
    published: Sequence[str | None] | None = None,
    background_days: int = BACKGROUND_DAYS,
) -> Timeline:
    """Events and background of a story (see the module docstring).

    ``published`` are the publication dates of the story's articles; without them the story's
    days are taken to end at the latest date of its facts.
    """
    values = _claim_dates(facts)
    entries: list[TimelineEntry] = []
    by_text: dict[str, TimelineEntry] = {}
    for f in facts:
        chosen: Counter[str] = Counter()
        mention_of: dict[int, tuple[str, Any]] = {}
        for k, c in enumerate(f.claims):
            g = _governing(c, values)
            if g:
                chosen[g[0]] += 1
                mention_of[k] = g
        if not chosen:
            continue
        value = min(chosen, key=lambda v: (-chosen[v], -len(v), date_sort_key(v)))
        sources = []
        for k, c in enumerate(f.claims):
            g = mention_of.get(k)
            date = Span(g[1].start, g[1].end, g[1].text) if g and g[0] == value else None
            sources.append(
                DatedSource(c.article, c.start, c.end, c.text, c.outlet, c.speaker, date)
            )
        text = next((c.text for _, c in _claims_at(mention_of, f, value)), f.text)
        key = _norm(text)
        seen = by_text.get(key)
        if seen is not None:  # the same sentence as another fact's: one entry, all sources
            have = {(s.article, s.start) for s in seen.sources}
            seen.sources += [s for s in sources if (s.article, s.start) not in have]
            continue
        # other dates outlets give (talks on May 20 vs May 22)
        others = sorted((v for v in chosen if v != value), key=date_sort_key)
        entry = TimelineEntry(value, date_label(value), text, f.id, sources, others)
        by_text[key] = entry
        entries.append(entry)
    entries.sort(key=lambda e: (date_sort_key(e.date), -len(e.sources)))
    first = _story_start(published, entries)
    timeline = Timeline()
    for e in entries:
        b = date_bounds(e.date)
        old = first is not None and b is not None and (first - b[1]).days >= background_days
        (timeline.background if old else timeline.events).append(e)
    return timeline


def _claims_at(
    mention_of: dict[int, tuple[str, Any]], f: Fact, value: str
) -> list[tuple[int, Any]]:
    """Claims of ``f`` whose event date is ``value``: the fact's own text first."""
    hits = [(k, f.claims[k]) for k, g in mention_of.items() if g[0] == value]
    hits.sort(key=lambda kc: (kc[1].text != f.text, kc[0]))
    return hits


def _story_start(
    published: Sequence[str | None] | None, entries: list[TimelineEntry]
) -> dt.date | None:
    days = []
    for p in published or []:
        m = FULL_DAY_VALUE.match(p or "")
        if m:
            try:
                days.append(dt.date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                continue
    if days:
        return min(days)
    ends = [b[1] for e in entries if (b := date_bounds(e.date))]
    return max(ends) if ends else None


def build_timeline(
    facts: Sequence[Fact], published: Sequence[str | None] | None = None
) -> list[TimelineEntry]:
    """The story's events (background left out): one entry per fact, ``{date, label, text,
    fact, sources}`` in date order; see :func:`story_timeline`."""
    return story_timeline(facts, published).events
