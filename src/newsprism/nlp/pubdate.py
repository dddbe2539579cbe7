"""Publication dates for articles that come without one, inferred from their text.

Evidence, strongest first:

- **weekday-date pairs**: "Thursday, March 16" names the year in which March 16 was a
  Thursday (the one nearest the years the text names, or the reference year); the article is
  dated at the latest such pair;
- **"last year"** next to the latest year the text names: 2022 and "last year" mean 2023;
- **explicit years**: the latest year named;
- **the other articles of the story** (:func:`infer_from_mates`): their median date, or their
  year when the article's own text gives a day but no year.

The day within the year is the latest month-day the text names (the day before it when that
sentence speaks of the future: "will visit Russia from March 20 to 22"). An article whose
text gives no year and no day stays undated unless its story does. The result always says
why (``reason``): callers store it as ``meta_origin["published"] = "inferred: <reason>"``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsprism.model import Article
from newsprism.nlp.dates_calendar import MONTHS, WEEKDAYS

log = logging.getLogger(__name__)

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_AFTER = r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAYNUM}|{_DAYNUM.replace('day>', 'day2>')}\s+(?:of\s+)?"
    rf"{_MONTH.replace('month>', 'month2>')})(?!\d){_YEAR_AFTER}",
    re.IGNORECASE,
)
_WEEKDAY_BEFORE = re.compile(
    rf"\b(?P<wd>{'|'.join(WEEKDAYS)}),?\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d$£€.,-])\b(19[5-9]\d|20\d\d)\b(?![\d%]|\s*(?:am|pm)\b)")
_LAST_YEAR = re.compile(r"\blast\s+year\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|is\s+to|are\s+to|plans?\s+to|is\s+expected|are\s+expected|next|"
    r"upcoming|scheduled)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class Inferred:
    """An inferred publication date (ISO) and why."""

    published: str
    reason: str


@dataclass(frozen=True)
class _MonthDay:
    month: int
    day: int
    year: int | None
    weekday: int | None
    future: bool


def _month_days(text: str) -> list[_MonthDay]:
    out = []
    for sent in _SENTENCE.finditer(text):
        s = sent.group()
        future = bool(_FUTURE.search(s))
        for m in _MONTH_DAY.finditer(s):
            month = MONTHS[(m.group("month") or m.group("month2")).lower().rstrip(".")]
            day = int(m.group("day") or m.group("day2"))
            if not 1 <= day <= 31:
                continue
            wd = _WEEKDAY_BEFORE.search(s[: m.start()])
            year = int(m.group("year")) if m.group("year") else None
            weekday = WEEKDAYS[wd.group("wd").lower()] if wd else None
            out.append(_MonthDay(month, day, year, weekday, future))
    return out


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _weekday_year(md: _MonthDay, near: int) -> int | None:
    """The year in which ``md``'s date falls on its weekday: the latest one up to ``near``
    (news is rarely dated after the years it names), else the earliest one after it."""
    fits = [
        y
        for y in range(near - 14, near + 15)
        if (d := _date(y, md.month, md.day)) and d.weekday() == md.weekday
    ]
    past = [y for y in fits if y <= near]
    return max(past) if past else min(fits, default=None)


def _years(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


def infer_year(text: str, reference_year: int | None = None) -> tuple[int, str] | None:
    """The publication year the text points to, with the reason, or None."""
    mds = _month_days(text)
    years = _years(text)
    near = max(years) if years else reference_year
    if near is not None:
        pairs = [md for md in mds if md.weekday is not None and md.year is None]
        found = [(y, md) for md in pairs if (y := _weekday_year(md, near)) is not None]
        if found:
            year = max(y for y, _ in found)
            return year, "weekday-date pair"
    if years and _LAST_YEAR.search(text):
        return max(years) + 1, f"'last year' with the latest year named ({max(years)})"
    if years:
        return max(years), "latest year named"
    return None


def infer_from_text(
    text: str, year: int | None = None, reference_year: int | None = None
) -> Inferred | None:
    """A publication date from the article's own text (``year`` when already known).

    ``reference_year`` only helps pick the year of a weekday-date pair in a text that names
    no year; nothing is inferred from it alone.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    reason = None
    if year is None:
        found = infer_year(text, reference_year)
        if found is None:
            return None
        year, reason = found
    day = _latest_day(text, year)
    if day is None:
        return None
    why = day[1] if reason is None else f"{reason}; {day[1]}"
    return Inferred(day[0].isoformat(), why)


def _latest_day(text: str, year: int) -> tuple[dt.date, str] | None:
    """The day within ``year`` the article was most likely written on, with the reason."""
    mds = _month_days(text)
    pairs = [
        d
        for md in mds
        if md.weekday is not None
        and (d := _date(md.year or year, md.month, md.day))
        and d.weekday() == md.weekday
        and d.year == year
    ]
    if pairs:
        return max(pairs), "latest weekday-date pair"
    best: tuple[dt.date, bool] | None = None
    for md in mds:
        if md.year not in (None, year):
            continue
        d = _date(year, md.month, md.day)
        if d and (best is None or d > best[0]):
            best = (d, md.future)
    if best is None:
        return None
    if best[1]:
        return best[0] - dt.timedelta(days=1), "the day before the latest (future) date named"
    return best[0], "latest date named"


def infer_from_mates(
    text: str, mates: Sequence[str | None], own_year: int | None = None
) -> Inferred | None:
    """A date from the other articles of the story: the article's own latest day in their
    year when its text names one, else their median date."""
    days = sorted(d for p in mates if (d := _parse(p)) is not None)
    if not days:
        return None
    median = days[len(days) // 2]
    year = own_year or median.year
    own = _latest_day(text, year) if isinstance(text, str) else None
    if own is not None and abs((own[0] - median).days) <= 60:
        return Inferred(own[0].isoformat(), f"year of the other articles of its story; {own[1]}")
    return Inferred(median.isoformat(), "median date of the other articles of its story")


def _parse(value: str | None) -> dt.date | None:
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", value or "")
    return _date(int(m[1]), int(m[2]), int(m[3])) if m else None


INFERRED = "inferred: "


def mark(meta_origin: dict[str, str], inferred: Inferred) -> None:
    """Record in an article's ``meta_origin`` that its date was inferred, and why."""
    meta_origin["published"] = INFERRED + inferred.reason


def date_from_text(articles: Sequence[Article], reference_year: int | None = None) -> list[Article]:
    """Give each undated article the date its own text points to (marked as inferred);
    returns the articles that got one."""
    done = []
    for a in articles:
        if a.published:
            continue
        try:
            inferred = infer_from_text(a.text, reference_year=reference_year)
        except Exception:  # pragma: no cover - defensive: odd text never stops a run
            log.exception("%s: publication date inference failed", a.id)
            continue
        if inferred is not None:
            a.published = inferred.published
            mark(a.meta_origin, inferred)
            done.append(a)
    return done


def date_from_stories(articles: Sequence[Article], story_of: Mapping[str, str]) -> list[Article]:
    """Give each article still undated a date from the other articles of its story; returns
    the articles that got one."""
    by_story: dict[str, list[Article]] = {}
    for a in articles:
        by_story.setdefault(story_of.get(a.id, a.id), []).append(a)
    done = []
    for members in by_story.values():
        dated = [a.published for a in members if a.published]
        for a in members:
            if a.published or not dated:
                continue
            inferred = infer_from_mates(a.text, dated)
            if inferred is not None:
                a.published = inferred.published
                mark(a.meta_origin, inferred)
                done.append(a)
    return done
