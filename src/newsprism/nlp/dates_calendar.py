"""Calendar arithmetic and tense cues for the temporal tagger (:mod:`newsprism.nlp.dates`).

Everything here is pure and cheap: no parsing models, only regular expressions and
:mod:`datetime`. Values follow TIMEX3 conventions (``2023-03-20``, ``2023-W11``, ``2023-SP``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Literal

log = logging.getLogger(__name__)

Tense = Literal["past", "future"] | None


def _wordlist(words: str) -> list[str]:
    return words.split()


MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    _wordlist(
        "january february march april may june july august september october november december"
    ),
    1,
):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {
    name: i
    for i, name in enumerate(_wordlist("monday tuesday wednesday thursday friday saturday sunday"))
}

NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        _wordlist(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
}
NUMBER_WORDS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)
NUMBER_WORDS.update({"a": 1, "an": 1, "hundred": 100, "dozen": 12, "couple": 2})

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "autumn": "FA",
    "fall": "FA",
    "winter": "WI",
}
# first month of each season (winter is named after the year in which it starts)
SEASON_START: dict[str, int] = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

PART_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
}


def parse_published(published: object) -> dt.date | None:
    """The publication date from an ISO string, a date or a datetime; None when malformed."""
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str):
        s = published.strip()
        if not s:
            return None
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])", s)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        log.warning("malformed publication date %r: relative dates left unresolved", published[:40])
        return None
    log.warning("publication date of type %s ignored", type(published).__name__)
    return None


def number_value(token: str) -> int | None:
    """``"3"``, ``"three"``, ``"twenty-five"``, ``"a"`` -> int; None if not a number."""
    t = token.lower().strip()
    if t.isdigit():
        return int(t)
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t]
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    if parts and parts[-1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[-1]]
    return None


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_value(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(d: dt.date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


#: a value that names a day ("2023-03-16", also with a time or as a range's first part)
FULL_DAY_VALUE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")

#: an ISO week, or its weekend ("2016-W38-WE")
WEEK_VALUE = re.compile(r"^(\d{4})-W(\d\d)(-WE)?")


def week_start(week: re.Match[str]) -> dt.date | None:
    """The Monday of a week, the Saturday of a weekend."""
    try:
        return dt.date.fromisocalendar(int(week[1]), int(week[2]), 6 if week[3] else 1)
    except ValueError:
        return None


def date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day a value covers (None when it is not anchored)."""
    if "/" in value:
        a, b = (date_bounds(v) for v in value.split("/", 1))
        return (a[0], b[1]) if a and b else None
    try:
        week = WEEK_VALUE.match(value)
        if week:
            first = week_start(week)
            if first is None:
                return None
            return first, first + dt.timedelta(days=1 if week[3] else 6)
        m = FULL_DAY_VALUE.match(value)
        if m:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        m = re.match(r"^(\d{4})-(\d\d)(?!\d)", value)
        if m:
            first = dt.date(int(m[1]), int(m[2]), 1)
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        m = re.match(r"^(\d{4})", value)
        if m:
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def add_days(d: dt.date, n: int) -> dt.date | None:
    try:
        return d + dt.timedelta(days=n)
    except OverflowError:
        return None


def pick_year_for_month(month: int, ref: dt.date, tense: Tense, strict: str | None = None) -> int:
    """Year of a month named without one, seen from ``ref``.

    ``strict``: "last" (latest before the current month), "next" (earliest after it),
    "this" (the reference year); else by tense: past -> latest not after the current month,
    future -> earliest not before it, unknown -> the closest (ties go to the past).
    """
    here = ref.year * 12 + ref.month - 1
    cands = [(y, y * 12 + month - 1) for y in (ref.year - 1, ref.year, ref.year + 1)]
    if strict == "this":
        return ref.year
    if strict == "last":
        return max(y for y, k in cands if k < here)
    if strict == "next":
        return min(y for y, k in cands if k > here)
    if tense == "past":
        return max(y for y, k in cands if k <= here)
    if tense == "future":
        return min(y for y, k in cands if k >= here)
    return min(cands, key=lambda c: (abs(c[1] - here), c[1] > here))[0]


def pick_day(month: int, day: int, ref: dt.date, tense: Tense) -> dt.date | None:
    """A month-day without year resolved around ``ref`` (see :func:`pick_year_for_month`)."""
    cands = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := safe_date(y, month, day))]
    if not cands:
        return None
    if tense == "past":
        past = [d for d in cands if d <= ref]
        return max(past) if past else None
    if tense == "future":
        fut = [d for d in cands if d >= ref]
        return min(fut) if fut else None
    return min(cands, key=lambda d: (abs((d - ref).days), d > ref))


def pick_weekday(weekday: int, ref: dt.date, tense: Tense, modifier: str | None) -> dt.date | None:
    """A weekday resolved around ``ref``.

    Past or unknown tense: the most recent one on or before ``ref`` (TempEval convention: "Friday"
    in a Friday's paper is that very day); future tense: the first one on or after ``ref``;
    "last": strictly before; "next": strictly after; "this": in the same ISO week.
    """
    delta = weekday - ref.weekday()
    if modifier == "this":
        return add_days(ref, delta)
    if modifier == "next" or (modifier == "coming"):
        return add_days(ref, delta if delta > 0 else delta + 7)
    if modifier in ("last", "past"):
        return add_days(ref, delta if delta < 0 else delta - 7)
    if tense == "future":
        return add_days(ref, delta if delta >= 0 else delta + 7)
    return add_days(ref, delta if delta <= 0 else delta - 7)


def season_value(season: str, ref: dt.date, tense: Tense, modifier: str | None) -> str:
    """``2023-SP`` style value for a season word around ``ref``."""
    start = SEASON_START[season]
    # the occurrence containing or following ref in its year
    here = ref.year * 12 + ref.month - 1

    def begin(y: int) -> int:
        return y * 12 + start - 1

    years = range(ref.year - 2, ref.year + 2)
    current = [y for y in years if begin(y) <= here < begin(y) + 3]
    if modifier == "this":
        year = current[0] if current else ref.year
    elif modifier == "last" or (modifier is None and tense == "past"):
        cands = [y for y in years if begin(y) + 3 <= here]
        if modifier is None and current:
            cands.append(current[0])
        year = max(cands)
    elif modifier in ("next", "coming") or (modifier is None and tense == "future"):
        cands = [y for y in years if begin(y) > here]
        if modifier is None and current:
            cands.append(current[0])
        year = min(cands)
    else:
        year = current[0] if current else ref.year
    return f"{year:04d}-{season}"


# --- tense cues -------------------------------------------------------------------------

#: words and sentence stops; "a.m.", "U.S." are words (their dots end no sentence: "due to
#: end at 6 a.m. on Thursday" points ahead, as "due to end on Thursday" does)
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:['’][a-z]+)?|[.!?;\n]")
_FUTURE = frozenset(
    _wordlist(
        "will shall 'll won't wo going plans plan planned intends intend expected expects due scheduled "
        "slated upcoming next until till coming tomorrow aims hopes"
    )
)
_PAST = frozenset(
    _wordlist(
        "was were had did has have ago yesterday earlier last previously went came met took made gave "
        "began saw spoke left held won lost sent found got became brought thought felt knew ran paid "
        "sold wrote led fell rose struck kept built chose drove flew broke stood sat heard meant spent "
        "fought caught taught bought sought threw grew shot hit told said"
    )
)
# reporting verbs describe the report, not the event dated
_REPORTING = frozenset(
    _wordlist(
        "said says say told tells announced reported stated added noted explained wrote claimed "
        "according confirmed insisted stressed"
    )
)
#: cues that point ahead only when no verb before them tells of the past
_UNTIL = frozenset(_wordlist("until till"))
_LINKING = frozenset(_wordlist("stay stays remain remains seem seems look looks keep keeps"))
_PERFECT = frozenset(_wordlist("has have 've"))
_AUX_PAST = frozenset(_wordlist("was were had did has have ago yesterday earlier last previously"))
_TO_FUTURE = frozenset(_wordlist("is are am set want wants ready preparing prepares needs"))
_PASSIVE_AUX = frozenset(_wordlist("be been being is are am get gets got"))
_NOT_PAST_ED = frozenset(
    _wordlist("need speed embed seed feed breed shed red bed bred hundred indeed united based led")
)
#: words after which an "-ed" word is an adjective ("a designated day"), not a verb
_ARTICLES = frozenset(_wordlist("the a an his her its their our my your"))
_DETERMINERS = frozenset(
    _wordlist("the a an his her its their our my your this that these those each every")
)


def _cue(
    words: list[str], i: int, backward: bool = True
) -> Tense | Literal["stop", "skip", "unknown"]:
    w = words[i]
    lw = w.lower().replace("’", "'")
    if lw in ".!?;\n":
        return "stop"
    if lw in _REPORTING:
        return "skip"
    if lw in ("coming", "going"):
        # "going to", "going into", "the coming days" point ahead; "the crowds coming out",
        # "coming off a debate", "going from 40 percent" do not
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        prev = words[i - 1].lower() if i > 0 else ""
        return "future" if nxt in ("to", "into") or prev in _ARTICLES or prev == "this" else None
    if lw == "would":
        # "would meet on Tuesday": ahead of the report; "would have met": before it. After
        # the date it is another clause's ("opened the museum on Saturday, said it would ...")
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        return None if nxt in ("have", "'ve") or not backward else "future"
    if lw in _FUTURE or lw.endswith("'ll"):
        return "future"
    if lw == "to":
        if not backward:
            return None
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if (
            nxt
            and nxt[0].islower()
            and nxt.isalpha()
            and nxt.lower() not in _DETERMINERS
            and not nxt.endswith(("ing", "ed"))
        ):
            # an infinitive: "plans to visit", "is to meet" point ahead; after any other word
            # ("a decision to meet") the tense is unknown, so stop looking further back
            prev = words[i - 1].lower() if i > 0 else ""
            return "future" if prev in _FUTURE or prev in _TO_FUTURE else "unknown"
        return None
    participle = lw in _PAST and lw not in _AUX_PAST
    if participle or (w.islower() and lw.endswith("ed") and len(lw) > 4 and lw not in _NOT_PAST_ED):
        prev = words[i - 1].lower() if i > 0 else ""
        # "will be held", "is expected": a passive participle says nothing about the time,
        # nor does one after a determiner ("a designated day", "the revised plan") or a
        # linking verb in the present ("stays closed"): an adjective
        return "skip" if prev in _PASSIVE_AUX or prev in _ARTICLES or prev in _LINKING else "past"
    if lw in _PAST:
        return "past"
    return None


def tense_at(text: str, start: int, end: int, window: int = 8) -> Tense:
    """Future or past, judged from simple cues in the sentence around ``text[start:end]``.

    The nearest cue before the expression decides, else the nearest after it; reporting verbs
    ("said", "announced") are skipped because they date the report, not the event.
    """
    before = _WORD.findall(text, max(0, start - 160), start)
    weak: Tense = None
    for i in range(len(before) - 1, max(-1, len(before) - 1 - window), -1):
        c = _cue(before, i)
        if c == "unknown":
            return weak
        if c == "stop":
            break
        if c == "future" and before[i].lower() in _UNTIL:
            weak = weak or "future"  # "kept going until 2 a.m. Friday": the verb decides
            continue
        if weak is not None and c == "past" and before[i].lower() in _PERFECT:
            return weak  # "has been postponed until Saturday": a present state, still ahead
        if c in ("past", "future"):
            return c
    if weak is not None:
        return weak
    after = _WORD.findall(text, end, min(len(text), end + 160))
    for i in range(min(window, len(after))):
        c = _cue(after, i, backward=False)
        if c == "stop":
            break
        if c in ("past", "future"):
            return c
    return None
