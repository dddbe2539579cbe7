"""Temporal tagging: find temporal expressions and normalize them in TIMEX3 style.

``find_dates(text, published)`` returns :class:`~newsprism.model.DateMention` objects whose
``value`` is anchored on the publication date (or, for "the day before", "two days later", on
the date in focus: the last day-level date resolved earlier in the text). It is regex based
(precompiled patterns, no parser) so it costs a small fraction of a spaCy parse.

Conventions (TempEval-3 / TimeML): a weekday takes the most recent one on or before publication
unless the sentence points ahead ("will", "plans to", "next"...); a month or month-day without a
year takes the year closest to publication, leaning by tense; "now" -> ``PRESENT_REF``,
"recently" -> ``PAST_REF``, "in the future" -> ``FUTURE_REF``; durations ``P3D``; sets
(``every week``) keep their period (``P1W``) with type SET. Without a publication date, anything
that needs an anchor gets ``value=None``; absolute dates still resolve.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast

from newsprism.model import Clause, DateMention
from newsprism.nlp.clauses import AHEAD_MODALS, STATIVE_VERBS
from newsprism.nlp.dates_calendar import (
    FULL_DAY_VALUE,
    MONTHS,
    PART_OF_DAY,
    SEASONS,
    WEEKDAYS,
    add_days,
    add_months,
    date_bounds,
    day_value,
    month_value,
    number_value,
    parse_published,
    pick_day,
    pick_weekday,
    pick_year_for_month,
    safe_date,
    season_value,
    tense_at,
    week_value,
)

log = logging.getLogger(__name__)

__all__ = ["find_dates", "follow_tense"]

# --- building blocks ----------------------------------------------------------------------

_MONTH_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MON = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}(?=\s*\d))"
_MON_ANY = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_WEEKDAY = "(?:" + "|".join(w.capitalize() for w in WEEKDAYS) + ")"  # Monday|...|Sunday
_MOD = r"(?:(?i:early|late|mid|the\s+(?:end|beginning|start|middle)\s+of|(?:end|beginning|start|middle)\s+of)[\s-]+)"
_NUMW = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|a\s+dozen|dozen|a\s+hundred|hundred)"
)
_NUM = rf"(?:\d+(?:\.\d+)?|(?i:{_NUMW}))"
_UNIT = r"(?i:second|minute|hour|day|week|fortnight|month|year|decade|century|centuries)"
_RANGE_SEP = r"\s*(?:-|–|—|\s(?i:to|through|until|till|and)\s)\s*"
_UNIT_AFTER_YEAR = re.compile(
    r"\s*(?:%|percent|per\s?cent|people|persons|men|women|children|km|kilometers|kilometres|miles|"
    r"meters|metres|feet|foot|tons|tonnes|votes|cases|deaths|jobs|troops|soldiers|dollars|euros|"
    r"pounds|units|cars|homes|houses|students|members|employees|workers|acres|hectares|barrels|"
    r"points|pages|words|rooms|seats|games|times|[a-z]+-year-old)\b",
    re.I,
)
_EVENT_FOLLOWS = re.compile(
    r"\s+(?!(?:and|or|but|yet|so|while|as|in|at|on|with|to|of)\b)[A-Za-z\"“']"
)


@dataclass(slots=True)
class _State:
    """Anchors while walking through the text: publication date and the dates in focus."""

    dct: dt.date | None
    focus_day: dt.date | None
    focus_year: int | None


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    rule: int
    match: re.Match[str]


DateType = Literal["DATE", "TIME", "DURATION", "SET"]
_Out = list[tuple[int, int, DateType, str | None]]
_Resolver = Callable[[re.Match[str], str, _State], _Out]


def _month_num(s: str) -> int:
    return MONTHS[
        s.lower().rstrip(".")[:4] if s.lower().startswith("sept") else s.lower().rstrip(".")[:3]
    ]


def _day_num(s: str) -> int:
    """The number a day or ordinal starts with ("21st" -> 21)."""
    m = _LEADING_DIGITS.match(s)
    if m is None:
        raise ValueError(f"no number in {s!r}")
    return int(m[0])


_LEADING_DIGITS = re.compile(r"\d+")


def _one(m: re.Match[str], typ: DateType, value: str | None) -> _Out:
    return [(m.start(), m.end(), typ, value)]


def _span_of(m: re.Match[str], group: str, typ: DateType, value: str | None) -> _Out:
    return [(m.start(group), m.end(), typ, value)]


# --- resolvers ----------------------------------------------------------------------------


def _r_iso(m: re.Match[str], text: str, st: _State) -> _Out:
    d = safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    if d is None:
        return []
    if m["h"] is not None:
        return _one(m, "TIME", f"{day_value(d)}T{m['h']}:{m['mi']}")
    return _one(m, "DATE", day_value(d))


def _r_numeric(m: re.Match[str], text: str, st: _State) -> _Out:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    month, day = (a, b) if a <= 12 else (b, a)
    d = safe_date(y, month, day)
    return _one(m, "DATE", day_value(d)) if d else []


def _resolve_md(month: int, day: int, year: str | None, m: re.Match[str], text: str, st: _State):
    if year:
        return safe_date(int(year), month, day)
    if st.dct is None:
        return None
    return pick_day(month, day, st.dct, tense_at(text, m.start(), m.end()))


def _r_md(m: re.Match[str], text: str, st: _State) -> _Out:
    d = _resolve_md(_month_num(m["mon"]), _day_num(m["day"]), m["y"], m, text, st)
    return _one(m, "DATE", day_value(d) if d else None)


def _r_range(m: re.Match[str], text: str, st: _State) -> _Out:
    month1 = _month_num(m["mon"])
    month2 = _month_num(m["mon2"]) if m["mon2"] else month1
    d1 = _resolve_md(month1, _day_num(m["day"]), m["y"], m, text, st)
    if d1 is None:
        return _one(m, "DATE", None)
    d2 = safe_date(d1.year, month2, _day_num(m["day2"]))
    if d2 is not None and d2 < d1:
        d2 = safe_date(d1.year + 1, month2, _day_num(m["day2"]))
    if d2 is None or d2 == d1:
        return _one(m, "DATE", day_value(d1))
    return _one(m, "DATE", f"{day_value(d1)}/{day_value(d2)}")


def _r_range_dm(m: re.Match[str], text: str, st: _State) -> _Out:
    """ "20-22 March", "28 June to 2 July 2019": the year (if any) comes last."""
    month2 = _month_num(m["mon2"])
    month1 = _month_num(m["mon1"]) if m["mon1"] else month2
    day1, day2 = _day_num(m["day"]), _day_num(m["day2"])
    if m["y"]:
        y2 = int(m["y"])
        d2 = safe_date(y2, month2, day2)
        d1 = safe_date(y2 if month1 <= month2 else y2 - 1, month1, day1)
    else:
        d1 = _resolve_md(month1, day1, None, m, text, st)
        d2 = safe_date(d1.year, month2, day2) if d1 else None
        if d1 and d2 and d2 < d1:
            d2 = safe_date(d1.year + 1, month2, day2)
    if d1 is None or d2 is None:
        return _one(m, "DATE", None)
    if d2 <= d1:
        return _one(m, "DATE", day_value(d1))
    return _one(m, "DATE", f"{day_value(d1)}/{day_value(d2)}")


def _r_month_year(m: re.Match[str], text: str, st: _State) -> _Out:
    return _one(m, "DATE", month_value(int(m["y"]), _month_num(m["mon"])))


def _rel_year(word: str | None, st: _State) -> int | None:
    if st.dct is None:
        return None
    return st.dct.year + {"last": -1, "next": 1}.get((word or "this").lower(), 0)


def _r_month(m: re.Match[str], text: str, st: _State) -> _Out:
    month = _month_num(m["mon"])
    if m["yrel"]:
        year = _rel_year(m["yrel"], st)
    elif st.dct is None:
        year = None
    else:
        rel = (m["rel"] or "").lower() or None
        strict = {"last": "last", "past": "last", "next": "next", "coming": "next", "this": "this"}
        year = pick_year_for_month(
            month, st.dct, tense_at(text, m.start(), m.end()), strict.get(rel or "")
        )
    return _one(m, "DATE", month_value(year, month) if year is not None else None)


def _r_year(m: re.Match[str], text: str, st: _State) -> _Out:
    return _one(m, "DATE", m["y"])


def _r_year_range(m: re.Match[str], text: str, st: _State) -> _Out:
    y1 = int(m["y"])
    tail = m["y2"]
    y2 = int(tail) if len(tail) == 4 else (y1 // 100) * 100 + int(tail)
    if y2 <= y1 or y2 - y1 > 100:
        return [(m.start("y"), m.end("y"), "DATE", m["y"])]
    return [
        (m.start("y"), m.end("y"), "DATE", str(y1)),
        (m.start("y2"), m.end("y2"), "DATE", str(y2)),
    ]


def _r_decade(m: re.Match[str], text: str, st: _State) -> _Out:
    if m["c"]:
        return _one(m, "DATE", f"{m['c']}{m['dd']}")
    digit = m["sd"]
    century = "19" if int(digit) >= 3 else "20"
    return _one(m, "DATE", f"{century}{digit}")


_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21,
}  # fmt: skip


def _r_century(m: re.Match[str], text: str, st: _State) -> _Out:
    word = m["n"].lower()
    n = _day_num(word) if word[0].isdigit() else _ORDINALS.get(word)
    if not n or n > 30:
        return []
    return _one(m, "DATE", f"{n - 1:02d}")


def _r_this_century(m: re.Match[str], text: str, st: _State) -> _Out:
    if st.dct is None:
        return _one(m, "DATE", None)
    c = st.dct.year // 100 + (-1 if m["rel"].lower() == "last" else 0)
    return _one(m, "DATE", f"{c:02d}")


def _quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


_SPAN_CUE = re.compile(r"\b(?i:over|for|within|during|throughout)\s+$")


def _r_rel_unit(m: re.Match[str], text: str, st: _State) -> _Out:
    """this/last/next/the previous/the following + week/month/year/quarter/weekend/decade."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = re.sub(r"\s+", " ", m["unit"].lower())
    over = _SPAN_CUE.search(text, max(0, m.start() - 12), m.start())
    if unit != "weekend" and (
        rel in ("the past", "past") or (over and rel in ("the next", "the last", "the coming"))
    ):
        code = {"week": "P1W", "month": "P1M", "year": "P1Y", "fiscal year": "P1Y"}
        code |= {"quarter": "P3M", "decade": "P10Y", "century": "P100Y"}
        return _one(m, "DURATION", code[unit])
    focus_rel = rel in (
        "the previous",
        "the following",
        "the same",
        "that",
        "the next",
        "the preceding",
    )
    if focus_rel:
        if unit in ("year", "fiscal year", "decade", "century"):
            if st.focus_year is None:
                return _one(m, "DATE", None)
            ref = dt.date(st.focus_year, 7, 1)
        else:
            if st.focus_day is None:
                return _one(m, "DATE", None)
            ref = st.focus_day
        step = {"the previous": -1, "the preceding": -1, "the following": 1, "the next": 1}.get(
            rel, 0
        )
    else:
        if st.dct is None:
            return _one(m, "DATE", None)
        ref = st.dct
        steps = {"last": -1, "the last": -1, "previous": -1, "past": -1, "the past": -1}
        steps |= {"next": 1, "coming": 1, "the coming": 1}
        step = steps.get(rel, 0)
    if unit in ("week", "weekend"):
        d = add_days(ref, 7 * step)
        if d is None:
            return _one(m, "DATE", None)
        if unit == "weekend":
            return _one(m, "DATE", f"{week_value(d)}-WE")
        return _one(m, "DATE", week_value(d))
    if unit == "month":
        y, mo = add_months(ref.year, ref.month, step)
        return _one(m, "DATE", month_value(y, mo))
    if unit == "quarter":
        q = _quarter_of(ref.month) - 1 + step
        return _one(m, "DATE", f"{ref.year + q // 4:04d}-Q{q % 4 + 1}")
    if unit == "decade":
        return _one(m, "DATE", f"{(ref.year // 10 + step):03d}")
    if unit == "century":
        return _one(m, "DATE", f"{(ref.year // 100 + step):02d}")
    return _one(m, "DATE", f"{ref.year + step:04d}")


def _r_year_part(m: re.Match[str], text: str, st: _State) -> _Out:
    """ "the end of the year", "the beginning of the month": year/month by tense."""
    if st.dct is None:
        return _one(m, "DATE", None)
    part = m["part"].lower()
    if m["unit"].lower() == "month":
        return _one(m, "DATE", month_value(st.dct.year, st.dct.month))
    month = 12 if part == "end" else 6 if part == "middle" else 1
    year = pick_year_for_month(month, st.dct, tense_at(text, m.start(), m.end()))
    return _one(m, "DATE", str(year))


def _r_day_word(m: re.Match[str], text: str, st: _State) -> _Out:
    word = re.sub(r"\s+", " ", m["w"].lower())
    if st.dct is None:
        return _one(m, "TIME" if m["part"] or word in ("last night", "tonight") else "DATE", None)
    offset = {"yesterday": -1, "tomorrow": 1, "the day before yesterday": -2}
    offset |= {"the day after tomorrow": 2, "last night": -1, "tonight": 0, "today": 0}
    d = add_days(st.dct, offset.get(word, 0))
    if d is None:
        return _one(m, "DATE", None)
    part = m["part"] or ("night" if word in ("last night", "tonight") else None)
    if part:
        return _one(m, "TIME", f"{day_value(d)}T{PART_OF_DAY[part.lower()]}")
    return _one(m, "DATE", day_value(d))


def _r_this_part(m: re.Match[str], text: str, st: _State) -> _Out:
    if st.dct is None:
        return _one(m, "TIME", None)
    return _one(m, "TIME", f"{day_value(st.dct)}T{PART_OF_DAY[m['part'].lower()]}")


_HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "new year's": (1, 1),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "boxing day": (12, 26),
}


def _r_holiday(m: re.Match[str], text: str, st: _State) -> _Out:
    """Fixed-date holidays ("Christmas Eve"), resolved like a month-day."""
    name = re.sub(r"\s+", " ", m["h"].lower().replace("’", "'"))
    month, day = _HOLIDAYS[name]
    d = _resolve_md(month, day, m["y"], m, text, st)
    return _one(m, "DATE", day_value(d) if d else None)


def _r_weekend(m: re.Match[str], text: str, st: _State) -> _Out:
    """ "over the weekend": the last one in the past tense, the coming one otherwise."""
    if st.dct is None:
        return _one(m, "DATE", None)
    weekday = st.dct.weekday()
    tense = tense_at(text, m.start(), m.end())
    if weekday >= 5:
        d: dt.date | None = st.dct
    elif tense == "future":
        d = st.dct
    else:
        d = add_days(st.dct, -7)
    return _one(m, "DATE", f"{week_value(d)}-WE" if d else None)


def _unit_code(unit: str, n: int | float | str) -> str:
    u = unit.lower().rstrip("s")
    if u in ("centurie", "century"):
        return f"P{n if n == 'X' else n * 100}Y"
    if u == "decade":
        return f"P{n if n == 'X' else n * 10}Y" if n != "X" else "PXDE"
    if u == "fortnight":
        return f"P{n if n == 'X' else n * 2}W"
    if u in ("hour", "minute", "second"):
        return f"PT{n}{u[0].upper()}"
    return f"P{n}{u[0].upper()}"


_FRACTION_BEFORE = re.compile(r"\b(?:quarter|third|half)\s+(?:of\s+)?$", re.IGNORECASE)


def _r_ago(m: re.Match[str], text: str, st: _State) -> _Out:
    """ "three years ago" (publication based); "two days later/earlier" (focus based)."""
    n = number_value(m["n"])
    unit = m["unit"].lower().rstrip("s")
    if unit == "centurie":
        unit = "century"
    direction = m["dir"].lower()
    after = text[m.end() : m.end() + 40]
    if (direction in ("before", "after") and _EVENT_FOLLOWS.match(after)) or (
        direction in ("earlier", "later") and re.match(r"\s*than\b", after)
    ):
        # "two days before the vote": a duration, the date itself is not anchored
        end = m.end("unit") + (text[m.end("unit") : m.end("unit") + 1] in ("s", "S"))
        return [(m.start(), end, "DURATION", _unit_code(unit, n if n else "X"))]
    if n is None:
        # "a few days ago", "several weeks later": only the direction is known
        return _one(m, "DATE", "FUTURE_REF" if direction in ("later", "after") else "PAST_REF")
    if _FRACTION_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
        return _one(m, "DATE", None)  # "a quarter of a century later": not a century
    if direction == "ago":
        ref, year_ref = st.dct, st.dct.year if st.dct else None
        sign = -1
    else:
        ref, year_ref = st.focus_day, st.focus_year
        sign = -1 if direction in ("before", "earlier") else 1
    if unit in ("year", "decade", "century"):
        if year_ref is None:
            return _one(m, "DATE", None)
        k = n * {"year": 1, "decade": 10, "century": 100}[unit]
        return _one(m, "DATE", str(year_ref + sign * k))
    if ref is None:
        return _one(m, "DATE", None)
    if unit == "month":
        y, mo = add_months(ref.year, ref.month, sign * n)
        return _one(m, "DATE", month_value(y, mo))
    if unit in ("week", "fortnight"):
        d = add_days(ref, sign * 7 * n * (2 if unit == "fortnight" else 1))
        return _one(m, "DATE", week_value(d) if d else None)
    if unit == "day":
        d = add_days(ref, sign * n)
        return _one(m, "DATE", day_value(d) if d else None)
    return _one(m, "DURATION", _unit_code(unit, n))


def _r_focus_day(m: re.Match[str], text: str, st: _State) -> _Out:
    """ "the day before", "the next day", "that day": relative to the date in focus."""
    phrase = re.sub(r"\s+", " ", m["w"].lower())
    after = text[m.end() : m.end() + 40]
    if (
        phrase.startswith("the day ")
        and phrase.split()[-1] in ("before", "after")
        and _EVENT_FOLLOWS.match(after)
    ):
        # "the day before the vote": only its year is known
        year = st.focus_year
        value = f"{year:04d}-XX-XX" if year is not None else None
        return [(m.start(), m.start() + len("the day"), "DATE", value)]
    if st.focus_day is None:
        return _one(m, "DATE", None)
    step = -1 if any(w in phrase for w in ("before", "previous", "preceding", "eve")) else 0
    if any(w in phrase for w in ("after", "next", "following")):
        step = 1
    d = add_days(st.focus_day, step)
    return _one(m, "DATE", day_value(d) if d else None)


def _r_weekday(m: re.Match[str], text: str, st: _State) -> _Out:
    weekday = WEEKDAYS[m["wd"].lower()]
    part = m["part"]
    typ: DateType = "TIME" if part else "DATE"
    if st.dct is None:
        return _span_of(m, "wd", typ, None)
    mod = (m["mod"] or "").lower() or None
    tense = tense_at(text, m.start(), m.end())
    d = pick_weekday(weekday, st.dct, tense, mod if mod != "on" else None)
    if d is None:
        return _span_of(m, "wd", typ, None)
    value = day_value(d) + (f"T{PART_OF_DAY[part.lower()]}" if part else "")
    start = m.start("mod") if mod in ("last", "next", "this", "coming", "past") else m.start("wd")
    return [(start, m.end(), typ, value)]


def _r_weekday_range(m: re.Match[str], text: str, st: _State) -> _Out:
    if st.dct is None:
        return [(m.start("wd"), m.end(), "DATE", None)]
    tense = tense_at(text, m.start(), m.end())
    w1, w2 = WEEKDAYS[m["wd"].lower()], WEEKDAYS[m["wd2"].lower()]
    d1 = pick_weekday(w1, st.dct, tense, None)
    if d1 is None:
        return [(m.start("wd"), m.end(), "DATE", None)]
    d2 = add_days(d1, (w2 - w1) % 7 or 7)
    if d2 is None:
        return [(m.start("wd"), m.end(), "DATE", None)]
    return [(m.start("wd"), m.end(), "DATE", f"{day_value(d1)}/{day_value(d2)}")]


def _r_weekday_set(m: re.Match[str], text: str, st: _State) -> _Out:
    return _one(m, "SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()] + 1}")


def _r_quarter(m: re.Match[str], text: str, st: _State) -> _Out:
    which = m["q"].lower()
    n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
    n |= {"final": 4}
    if m["y"]:
        year: int | None = int(m["y"])
    elif m["yrel"]:
        year = _rel_year(m["yrel"], st)
    else:
        year = None
    if which in n:
        if year is None:
            if st.dct is None:
                return _one(m, "DATE", None)
            q_month = (n[which] - 1) * 3 + 1
            year = pick_year_for_month(q_month, st.dct, tense_at(text, m.start(), m.end()))
            # a quarter not yet begun in the past tense belongs to last year, else this one
        return _one(m, "DATE", f"{year:04d}-Q{n[which]}")
    if st.dct is None:
        return _one(m, "DATE", None)
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    q = _quarter_of(st.dct.month) - 1 + step
    return _one(m, "DATE", f"{st.dct.year + q // 4:04d}-Q{q % 4 + 1}")


def _r_q(m: re.Match[str], text: str, st: _State) -> _Out:
    if m["y"]:
        return _one(m, "DATE", f"{m['y']}-Q{m['n']}")
    if st.dct is None:
        return _one(m, "DATE", None)
    year = pick_year_for_month(
        (int(m["n"]) - 1) * 3 + 1, st.dct, tense_at(text, m.start(), m.end())
    )
    return _one(m, "DATE", f"{year:04d}-Q{m['n']}")


def _r_half(m: re.Match[str], text: str, st: _State) -> _Out:
    h = 1 if m["h"].lower() == "first" else 2
    if m["y"]:
        year: int | None = int(m["y"])
    elif m["yrel"]:
        year = _rel_year(m["yrel"], st)
    else:
        year = st.dct.year if st.dct else None
    return _one(m, "DATE", f"{year:04d}-H{h}" if year is not None else None)


def _r_season(m: re.Match[str], text: str, st: _State) -> _Out:
    season = SEASONS[m["s"].lower()]
    if m["y"]:
        return _one(m, "DATE", f"{m['y']}-{season}")
    if st.dct is None:
        return _one(m, "DATE", None)
    mod = (m["rel"] or "").lower()
    mod = {"the": None, "past": "last", "": None}.get(mod, mod)
    tense = tense_at(text, m.start(), m.end())
    return _one(m, "DATE", season_value(season, st.dct, tense, mod))


def _r_ref(m: re.Match[str], text: str, st: _State) -> _Out:
    w = re.sub(r"\s+", " ", m[0].lower())
    if "future" in w:
        value = "FUTURE_REF"
    elif w in ("recently", "lately", "in the past", "the past", "formerly"):
        value = "PAST_REF"
    else:
        value = "PRESENT_REF"
    return _one(m, "DATE", value)


_AMOUNT_BEFORE = re.compile(
    r"(?:\d|\b(?i:million|billion|trillion|percent|times|once|twice|dollars|euros|pounds|hours|"
    r"meals|doses|people|visitors|cases))[%,.]?\s+$"
)


def _r_duration(m: re.Match[str], text: str, st: _State) -> _Out:
    n_text = m["n"].lower()
    if n_text in ("a", "an") and _AMOUNT_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        # "$60,000 a year", "three meals a day": a rate, i.e. a set
        return _one(m, "SET", _unit_code(m["unit"], 1))
    vague = {"several", "few", "a few", "many", "some", "a couple of", "couple of"}
    n: int | float | str | None = (
        "X" if re.sub(r"\s+", " ", n_text) in vague else number_value(n_text)
    )
    if n is None:
        try:
            f = float(n_text)
        except ValueError:
            return _one(m, "DURATION", None)
        n = int(f) if f == int(f) else f
    return _one(m, "DURATION", _unit_code(m["unit"], n))


def _r_half_duration(m: re.Match[str], text: str, st: _State) -> _Out:
    unit = m["unit"].lower()
    code = {"hour": "PT30M", "day": "PT12H", "year": "P6M", "month": "P2W", "century": "P50Y"}
    code |= {"decade": "P5Y", "minute": "PT30S", "week": "P3D"}
    return _one(m, "DURATION", code.get(unit))


def _r_set(m: re.Match[str], text: str, st: _State) -> _Out:
    unit = (m["unit"] or "").lower()
    code = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "decade": "P10Y"}
    code |= {"quarter": "P3M", "hour": "PT1H", "annum": "P1Y", "weekend": "P1W", "morning": "P1D"}
    code |= {"night": "P1D", "evening": "P1D", "season": "P1Y", "summer": "P1Y", "winter": "P1Y"}
    code |= {"spring": "P1Y", "fall": "P1Y", "autumn": "P1Y", "minute": "PT1M", "fortnight": "P2W"}
    value = code.get(unit)
    if value and m["other"]:
        value = re.sub(r"1", "2", value, count=1)
    return _one(m, "SET", value)


def _r_set_adverb(m: re.Match[str], text: str, st: _State) -> _Out:
    code = {"annually": "P1Y", "yearly": "P1Y", "weekly": "P1W", "daily": "P1D"}
    code |= {"monthly": "P1M", "hourly": "PT1H", "nightly": "P1D", "quarterly": "P3M"}
    return _one(m, "SET", code[m[0].lower()])


def _clock(m: re.Match[str]) -> tuple[int, int] | None:
    h = int(m["h"])
    mi = int(m["mi"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and h < 12:
        h += 12
    if ampm == "am" and h == 12:
        h = 0
    if h > 24 or mi > 59:
        return None
    return h, mi


def _r_clock(m: re.Match[str], text: str, st: _State) -> _Out:
    hm = _clock(m)
    if hm is None:
        return []
    if st.focus_day is None:
        return _one(m, "TIME", None)
    return _one(m, "TIME", f"{day_value(st.focus_day)}T{hm[0]:02d}:{hm[1]:02d}")


def _r_noon(m: re.Match[str], text: str, st: _State) -> _Out:
    if st.focus_day is None:
        return _one(m, "TIME", None)
    hhmm = "12:00" if m[0].lower() in ("noon", "midday") else "24:00"
    return _one(m, "TIME", f"{day_value(st.focus_day)}T{hhmm}")


# --- acceptance checks (precision guards) -------------------------------------------------

_MONTH_CUE = re.compile(
    r"(?i:\b(?:in|on|since|until|till|by|through|throughout|during|from|to|and|or|between|before|after|"
    r"of|for|early|late|mid|last|next|this|since|until|each|every|around|that|as\s+of)[\s-]+)$"
)


def _ok_month(m: re.Match[str], text: str) -> bool:
    """A bare "May" or "March" (a modal verb, a protest) needs a cue: "in May", "last March".
    Any bare month without a cue and right before a capitalised word is a first name:
    "August Strindberg", "June Carter" (but "in August Parliament voted" is a date)."""
    if m["rel"] or m["yrel"] or m["mod"]:
        return True
    cued = bool(_MONTH_CUE.search(text, max(0, m.start() - 12), m.start()))
    if m["mon"] in ("May", "March"):
        return cued
    return cued or not _NAME_AFTER.match(text, m.end())


_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")


_NOT_YEAR_BEFORE = re.compile(
    r"(?:No\.|#|\$|£|€|(?i:\b(?:about|some|nearly|almost|around|roughly|approximately|estimated|"
    r"than|least|page|room|flight|route|number|code|model)))\s*$"
)


def _ok_year(m: re.Match[str], text: str) -> bool:
    if _UNIT_AFTER_YEAR.match(text, m.end()):
        return False
    before = text[max(0, m.start() - 16) : m.start()]
    return not _NOT_YEAR_BEFORE.search(before)


def _ok_duration(m: re.Match[str], text: str) -> bool:
    plural = text[m.end("unit") : m.end("unit") + 1] in ("s", "S")
    if m["unit"].lower() == "second" and not plural and not m["n"][0].isdigit():
        return False  # "a second term" is an ordinal; "30 seconds" has its plural unit
    after = text[m.end() : m.end() + 20]
    return not re.match(
        r"(?:[\s-]+old\b|\s+and\s+(?:older|younger|up|over)\b|\s+of\s+age\b)", after
    )


def _ok_season(m: re.Match[str], text: str) -> bool:
    if m["y"] or (m["rel"] and m["rel"].lower() != "the") or m["mod"]:
        return True
    before = text[max(0, m.start() - 12) : m.start()]
    if m["s"].lower() == "fall":
        return (
            bool(m["rel"])
            and bool(re.search(r"(?i:\b(?:in|by|until|since|this|during))\s+$", before))
            and not re.match(r"\s+of\b", text[m.end() : m.end() + 5])
        )
    return bool(
        re.search(
            r"(?i:\b(?:in|by|until|since|during|through|over|this|the|early|late))\s+$", before
        )
    )


def _ok_clock(m: re.Match[str], text: str) -> bool:
    return _clock(m) is not None


def _always(m: re.Match[str], text: str) -> bool:
    return True


# --- rules: (pattern, resolver, acceptance) -------------------------------------------------

_RULES: list[tuple[re.Pattern[str], _Resolver, Callable[[re.Match[str], str], bool], str]] = [
    (
        re.compile(
            r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?(?![\d-])"
        ),
        _r_iso,
        _always,
        "Y",
    ),
    (
        re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
        _r_numeric,
        _always,
        "S",
    ),
    (
        re.compile(
            rf"(?:\b{_WEEKDAY},?\s+)?\b(?P<mon>{_MON})\s+(?P<day>{_DAY}){_RANGE_SEP}"
            rf"(?:(?P<mon2>{_MON})\s+)?(?P<day2>{_DAY})(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        _r_range,
        _always,
        "M",
    ),
    (
        re.compile(
            rf"\b(?P<day>{_DAY})(?:\s+(?P<mon1>{_MON_ANY}))?{_RANGE_SEP}(?P<day2>{_DAY})\s+(?:of\s+)?"
            rf"(?P<mon2>{_MON_ANY})(?![a-z])(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        _r_range_dm,
        _always,
        "M",
    ),
    (
        re.compile(
            rf"(?:\b{_WEEKDAY},?\s+)?\b(?P<mon>{_MON})\s+(?P<day>{_DAY})\b(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        _r_md,
        _always,
        "M",
    ),
    (
        re.compile(
            rf"(?:\b{_WEEKDAY},?\s+)?(?:\b(?i:the)\s+)?\b(?P<day>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON_ANY})"
            rf"(?![a-z])(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        _r_md,
        _always,
        "M",
    ),
    (
        re.compile(rf"{_MOD}?\b(?P<mon>{_MON_ANY})(?:\s+of|,)?\s+(?P<y>{_YEAR})\b(?!\d|,\d)"),
        _r_month_year,
        _always,
        "M",
    ),
    (
        re.compile(
            rf"(?P<mod>{_MOD})?(?:\b(?P<rel>(?i:last|next|this|past|coming))\s+)?\b(?P<mon>{_MONTH_FULL})\b"
            rf"(?:\s+(?:of\s+)?(?P<yrel>(?i:last|next|this))\s+year\b)?"
        ),
        _r_month,
        _ok_month,
        "M",
    ),
    (
        re.compile(
            rf"(?<![\d$£€.,#-])\b(?P<y>{_YEAR})\s*(?:-|–|/)\s*(?P<y2>\d{{4}}|\d{{2}})\b(?!\d|,\d|%|\.\d)"
        ),
        _r_year_range,
        _ok_year,
        "Y",
    ),
    (
        re.compile(
            rf"(?<![\d$£€,#-]){_MOD}?(?:\b(?i:fiscal|FY)\s*)?\b(?P<y>{_YEAR})\b(?!\d|,\d|\.\d|s\b|-\d)"
        ),
        _r_year,
        _ok_year,
        "Y",
    ),
    (
        re.compile(
            r"\b(?:(?i:the)\s+)?(?:(?i:early|late|mid)[\s-]+)?(?:(?P<c>1[0-9]|20)(?P<dd>\d)0s|['’](?P<sd>\d)0s)\b"
        ),
        _r_decade,
        _always,
        "D",
    ),
    (
        re.compile(
            r"\b(?:(?i:the)\s+)?(?:(?i:early|late|mid)[\s-]+)?(?P<n>\d{1,2}(?:st|nd|rd|th)|"
            r"(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
            r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
            r"twenty[\s-]first))[\s-]+(?i:century)\b"
        ),
        _r_century,
        _always,
        "C",
    ),
    (
        re.compile(r"\b(?P<rel>(?i:this|last))\s+(?i:century)\b"),
        _r_this_century,
        _always,
        "C",
    ),
    (
        re.compile(
            r"\b(?:(?i:early|late|earlier|later|mid)[\s-]+)?(?P<rel>(?i:last|next|this|the\s+past|past|the\s+last|"
            r"the\s+previous|the\s+preceding|the\s+coming|coming|the\s+current|current|the\s+same|that|"
            r"the\s+following|the\s+next|previous))\s+(?P<unit>(?i:fiscal\s+year|year|month|week|weekend|"
            r"quarter|decade))\b(?!\s+(?:of|or)\b)"
        ),
        _r_rel_unit,
        _always,
        "U",
    ),
    (
        re.compile(
            r"\b(?i:the|this)\s+(?P<part>(?i:end|beginning|start|middle))\s+of\s+(?:(?i:the|this)\s+)?"
            r"(?P<unit>(?i:year|month))\b"
        ),
        _r_year_part,
        _always,
        "U",
    ),
    (
        re.compile(
            r"(?<!USA )\b(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
            r"today|yesterday|tomorrow|tonight|last\s+night))(?:['’]s)?\b"
            r"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?"
        ),
        _r_day_word,
        _always,
        "W",
    ),
    (
        re.compile(r"\b(?i:this)\s+(?P<part>(?i:morning|afternoon|evening))\b"),
        _r_this_part,
        _always,
        "W",
    ),
    (
        re.compile(
            r"\b(?P<h>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year['’]s\s+Eve|"
            r"New\s+Year['’]s(?:\s+Day)?|Halloween|Valentine['’]s\s+Day|Boxing\s+Day)\b"
            rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        _r_holiday,
        _always,
        "HU",
    ),
    (
        re.compile(r"\b(?i:the)\s+(?i:weekend)\b"),
        _r_weekend,
        _always,
        "U",
    ),
    (
        re.compile(
            r"\b(?:(?i:just|only|about|nearly|almost|some|around|roughly|more\s+than|less\s+than|over)\s+)?"
            rf"(?P<n>{_NUM}|(?i:a|an|one|a\s+few|several|a\s+couple\s+of))[\s-]+(?P<unit>{_UNIT})s?\s+"
            r"(?P<dir>(?i:ago|earlier|later|before|after))\b"
        ),
        _r_ago,
        _always,
        "UC",
    ),
    (
        re.compile(
            r"\b(?P<w>(?i:the\s+day\s+(?:before|after)|the\s+(?:next|following|previous|preceding|same)\s+day|"
            r"that\s+day|the\s+eve))\b(?!\s+of\b)"
        ),
        _r_focus_day,
        _always,
        "UW",
    ),
    (
        re.compile(
            rf"\b(?:(?P<mod>(?i:last|next|this|on|coming|past))\s+)?(?P<wd>{_WEEKDAY})(?:['’]s)?\b"
            r"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?"
        ),
        _r_weekday,
        _always,
        "K",
    ),
    (
        re.compile(
            rf"\b(?i:between|from)\s+(?P<wd>{_WEEKDAY})\s+(?i:and|to|through|until)\s+(?P<wd2>{_WEEKDAY})\b"
        ),
        _r_weekday_range,
        _always,
        "K",
    ),
    (
        re.compile(rf"\b(?i:on\s+)?(?P<wd>{_WEEKDAY})s\b"),
        _r_weekday_set,
        _always,
        "K",
    ),
    (
        re.compile(
            r"\b(?:(?i:the)\s+)?(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th|final|last|next|this|"
            rf"current|previous|coming))[\s-]+(?i:quarter)\b(?:\s+of\s+(?:(?P<y>{_YEAR})|"
            r"(?P<yrel>(?i:this|last|next))\s+year))?"
        ),
        _r_quarter,
        _always,
        "Q",
    ),
    (
        re.compile(rf"\bQ(?P<n>[1-4])(?:\s+(?P<y>{_YEAR}))?\b"),
        _r_q,
        _always,
        "Q",
    ),
    (
        re.compile(
            rf"\b(?i:the)\s+(?P<h>(?i:first|second))\s+half\s+of\s+(?:(?P<y>{_YEAR})\b|"
            r"(?P<yrel>(?i:this|last|next))\s+year\b|(?i:the|this)\s+year\b)"
        ),
        _r_half,
        _always,
        "Q",
    ),
    (
        re.compile(
            r"(?P<mod>\b(?i:early|late|mid)[\s-]+)?(?:\b(?P<rel>(?i:this|last|next|the|coming|past))\s+)?"
            rf"\b(?P<s>(?i:spring|summer|autumn|fall|winter))\b(?:\s+(?:of\s+)?(?P<y>{_YEAR})\b)?"
        ),
        _r_season,
        _ok_season,
        "N",
    ),
    (
        re.compile(
            r"\b(?:(?i:right\s+now|now|currently|at\s+present|presently|nowadays|these\s+days|"
            r"recently|lately|in\s+the\s+past|the\s+past|(?:in\s+)?the\s+(?:near|distant)\s+future|"
            r"in\s+the\s+future|the\s+future))\b"
        ),
        _r_ref,
        _always,
        "RU",
    ),
    (
        re.compile(
            r"\b(?:(?i:the\s+(?:past|last|next|previous|coming|first|final|following)|more\s+than|less\s+than|"
            r"fewer\s+than|nearly|almost|about|around|over|at\s+least|up\s+to|a\s+mere|just|only|roughly|"
            r"the|another|an\s+additional|some)\s+)?"
            rf"(?P<n>{_NUM}|(?i:a|an|one|several|a\s+few|few|many|some|a\s+couple\s+of))[\s-]+"
            rf"(?P<unit>{_UNIT})s?\b(?:['’](?=\s))?(?:[\s-]+(?i:long))?"
        ),
        _r_duration,
        _ok_duration,
        "UC",
    ),
    (
        re.compile(
            r"\b(?:(?i:recent|the\s+past|past|the\s+last|the\s+coming|coming|the\s+next)\s+)"
            r"(?P<unit>(?i:days|weeks|months|years|decades|hours|centuries))\b"
            r"|(?<=\bfor\s)(?P<unit2>years|months|weeks|decades|days|hours)\b"
        ),
        lambda m, t, s: _one(m, "DURATION", _unit_code(m["unit"] or m["unit2"], "X")),
        _always,
        "UC",
    ),
    (
        re.compile(rf"\b(?i:half)\s+(?i:an?)\s+(?P<unit>{_UNIT})\b"),
        _r_half_duration,
        _always,
        "UC",
    ),
    (
        re.compile(
            r"\b(?i:every|each)\s+(?P<other>(?i:other)\s+)?(?P<unit>(?i:day|week|month|year|season|"
            r"morning|night|evening|weekend|summer|winter|spring|autumn|quarter|decade|hour|minute))\b"
            r"|\b(?:(?i:once|twice|\w+\s+times))\s+(?:(?i:a|an|per|every))\s+(?P<other2>)?"
            r"(?P<unit2>(?i:day|week|month|year|hour))\b"
            r"|\b(?i:per)\s+(?P<unit3>(?i:day|week|month|year|annum|hour))\b"
        ),
        lambda m, t, s: _r_set(_as_match(_SetMatch(m)), t, s),
        _always,
        "UNWQ",
    ),
    (
        re.compile(r"\b(?:annually|yearly|weekly|daily|monthly|hourly|nightly|quarterly)\b"),
        _r_set_adverb,
        _always,
        "A",
    ),
    (
        re.compile(rf"\b(?i:every|each)\s+(?P<wd>{_WEEKDAY})\b"),
        _r_weekday_set,
        _always,
        "K",
    ),
    (
        re.compile(
            r"\b(?P<h>[01]?\d|2[0-4])(?::(?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.m\.|[ap]\.m\b|[AaPp][Mm]\b)"
            r"(?:\s+(?:GMT|UTC|BST|CET|EST|EDT|ET|PST|PDT|PT|CST|CDT))?"
            r"|\b(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)\s*(?P<tz>GMT|UTC|BST|CET|EST|EDT|ET|PST|PDT|PT|CST|CDT|"
            r"(?i:local\s+time|hours?|hrs))?(?![\d:])"
        ),
        lambda m, t, s: _r_clock(_as_match(_ClockMatch(m)), t, s),
        lambda m, t: _ok_clock(_as_match(_ClockMatch(m)), t),
        "T",
    ),
    (
        re.compile(r"\b(?:noon|midnight|midday)\b"),
        _r_noon,
        _always,
        "W",
    ),
]


def _as_match(m: _SetMatch) -> re.Match[str]:
    """A regrouping wrapper where the rules take a match: it has the groups, start and end they
    read (duck-typed; the rules use nothing else)."""
    return cast("re.Match[str]", m)


class _SetMatch:
    """Presents the alternatives of the SET rule under one group name ``unit``."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m
        self.unit = m["unit"] or m["unit2"] or m["unit3"]
        self.other = m["other"]

    def __getitem__(self, key: str | int) -> str | None:
        if key == "unit":
            return self.unit
        if key == "other":
            return self.other
        return self._m[key]

    def start(self, group: int | str = 0) -> int:
        return self._m.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._m.end(group)


class _ClockMatch(_SetMatch):
    """Presents the two clock alternatives under ``h``, ``mi`` and ``ampm``."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m
        self.vals = {
            "h": m["h"] or m["h2"],
            "mi": m["mi"] if m["h"] else m["mi2"],
            "ampm": m["ampm"],
        }

    def __getitem__(self, key: str | int) -> str | None:
        if isinstance(key, str) and key in self.vals:
            return self.vals[key]
        return self._m[key]


# --- selection, resolution, merging -------------------------------------------------------

_CLOCK_RULE = len(_RULES) - 2
_GAP_JOIN = re.compile(r"\s*(?:,\s*|\s(?i:on|at)\s+)?\s*$")


# Cheap anchors: every rule's match contains one of its trigger words, so each rule only runs
# in windows around those (a small part of a typical article) instead of over the whole text.
# Words are looked up in a dict, which is much faster than one big alternation regex.
_TOKEN = re.compile(r"[A-Za-z]+|\d[\d:/]*")
_CATEGORY: dict[str, str] = {}
for _cat, _words in {
    "U": "second seconds minute minutes hour hours day days week weeks weekend weekends fortnight "
    "fortnights month months year years decade decades annum",
    "C": "century centuries",
    "W": "today yesterday tomorrow tonight night morning afternoon evening noon midnight midday eve",
    "Q": "quarter quarters half",
    "N": "spring summer autumn fall winter season seasons",
    "R": "now currently present presently nowadays recently lately past future",
    "A": "annually yearly weekly daily monthly hourly nightly quarterly",
    "H": "christmas halloween valentine boxing",
}.items():
    for _w in _words.split():
        _CATEGORY[_w] = _cat
_CASED: dict[str, str] = {m.capitalize(): "M" for m in MONTHS}
_CASED |= {w.capitalize(): "K" for w in WEEKDAYS} | {w.capitalize() + "s": "K" for w in WEEKDAYS}
_AMPM = re.compile(r"\s*(?i:[ap]\.?m\b)")
_BEFORE = 40  # the longest lead-in before a trigger word: "the past twenty-five "
_AFTER = 30  # the longest tail after one: " 20 to April 22, 2023"


def _category(text: str, m: re.Match[str]) -> str | None:
    w = m.group()
    if w[0].isdigit():
        if ":" in w:
            return "T"
        if "/" in w:
            return "S"
        end = m.end()
        if w.endswith("0") and text.startswith("s", end):
            return "D"
        if len(w) == 4 and w[:2] in ("15", "16", "17", "18", "19", "20"):
            return "Y"
        if _AMPM.match(text, end):
            return "T"
        return None
    cat = _CASED.get(w)
    if cat:
        return cat
    if w == "Q" and text[m.end() : m.end() + 1] in ("1", "2", "3", "4"):
        return "Q"
    return _CATEGORY.get(w.lower())


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Merged character windows around the trigger words of each category."""
    out: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    for m in _TOKEN.finditer(text):
        cat = _category(text, m)
        if cat is None:
            continue
        spans = out.setdefault(cat, [])
        lo, hi = max(0, m.start() - _BEFORE), min(n, m.end() + _AFTER)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _candidates(text: str) -> list[_Cand]:
    cands: list[_Cand] = []
    seen: set[tuple[int, int, int]] = set()
    windows = _windows(text)
    for idx, (pattern, _resolver, accept, cats) in enumerate(_RULES):
        spans = (
            windows.get(cats, [])
            if len(cats) == 1
            else _merge([w for c in cats for w in windows.get(c, [])])
        )
        for lo, hi in spans:
            for m in pattern.finditer(text, lo, hi):
                key = (idx, m.start(), m.end())
                if m.end() > m.start() and key not in seen and accept(m, text):
                    seen.add(key)
                    cands.append(_Cand(m.start(), m.end(), idx, m))
    return cands


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest first, earlier rule on ties; no two chosen spans overlap."""
    starts: list[int] = []  # sorted starts of chosen spans
    ends: list[int] = []
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.rule, c.start)):
        i = bisect.bisect_left(starts, c.start)
        if i < len(starts) and starts[i] < c.end:
            continue
        if i > 0 and ends[i - 1] > c.start:
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


# what a value may look like; anything else (a year pushed past 9999...) becomes None
WELL_FORMED = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T(?:\d{2}:\d{2}|MO|AF|EV|NI))?(?:/\d{4}-\d{2}-\d{2})?"
    r"|\d{4}-\d{2}|\d{2,4}|\d{4}-W\d{2}(?:-WE)?|\d{4}-(?:Q[1-4]|H[12]|SP|SU|FA|WI|XX-XX)"
    r"|(?:PRESENT|PAST|FUTURE)_REF|PT?(?:\d+(?:\.\d+)?|X)[YMWDHS]|PXDE|XXXX-WXX-[1-7]"
)

_YEAR_VALUE = re.compile(r"^(\d{4})")


def _update_focus(st: _State, value: str | None, typ: str) -> None:
    if not value or typ not in ("DATE", "TIME"):
        return
    m = FULL_DAY_VALUE.match(value)
    if m:
        d = safe_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            st.focus_day = d
    y = _YEAR_VALUE.match(value)
    if y:
        st.focus_year = int(y[1])


def _merge_clock(text: str, out: list[DateMention], clocks: set[int]) -> list[DateMention]:
    """Join a clock time with an adjacent day ("3 p.m. Friday", "Friday at 3 p.m.")."""
    merged: list[DateMention] = []
    i = 0
    while i < len(out):
        a = out[i]
        if i + 1 < len(out):
            b = out[i + 1]
            gap = text[a.end : b.start]
            if (
                len(gap) <= 6
                and _GAP_JOIN.match(gap)
                and (a.start in clocks) != (b.start in clocks)
            ):
                clock, day = (a, b) if a.start in clocks else (b, a)
                if day.type == "DATE" and day.value and re.fullmatch(r"\d{4}-\d\d-\d\d", day.value):
                    t = clock.value.split("T", 1)[1] if clock.value and "T" in clock.value else None
                    value = f"{day.value}T{t}" if t else None
                    merged.append(DateMention(a.start, b.end, text[a.start : b.end], value, "TIME"))
                    i += 2
                    continue
        merged.append(a)
        i += 1
    return merged


def find_dates(
    text: str, published: str | dt.date | dt.datetime | None = None
) -> list[DateMention]:
    """Temporal expressions in ``text``, normalized against the publication date.

    Returns non-overlapping mentions in text order; ``text[start:end] == mention.text``.
    Never raises on odd input: anything it cannot resolve gets ``value=None``.
    """
    if not text or not isinstance(text, str):
        return []
    dct = parse_published(published)
    st = _State(dct, dct, dct.year if dct else None)
    out: list[DateMention] = []
    clocks: set[int] = set()
    for cand in _select(_candidates(text)):
        resolver = _RULES[cand.rule][1]
        try:
            pieces = resolver(cand.match, text, st)
        except (ValueError, KeyError, TypeError, OverflowError, IndexError) as exc:
            log.debug("could not normalize %r: %s", cand.match[0], exc)
            pieces = [(cand.start, cand.end, "DATE", None)]
        for start, end, typ, value in pieces:
            if end <= start:
                continue
            if value is not None and not WELL_FORMED.fullmatch(value):
                value = None
            out.append(DateMention(start, end, text[start:end], value, typ))
            if cand.rule in (_CLOCK_RULE, _CLOCK_RULE + 1):
                clocks.add(start)
            _update_focus(st, value, typ)
    return _merge_clock(text, out, clocks) if clocks else out


_BARE_WEEKDAY = re.compile(rf"^(?:on\s+)?{_WEEKDAY}(?:['’]s)?$", re.IGNORECASE)
_THIS_WEEKEND = re.compile(r"^this\s+weekend$", re.IGNORECASE)
_THIS_WEEK = re.compile(r"^this\s+week$", re.IGNORECASE)


#: a date counted from the date in focus: "two years later", "a day earlier"
_AFTER_FOCUS = re.compile(r"\b(?:later|earlier)$", re.IGNORECASE)


def _past_told_after(
    d: DateMention, dct: dt.date, clauses: list[Clause], tenses: dict[int, str] | None
) -> bool:
    """Whether ``d`` starts after the publication day ``dct`` although the verb that holds it
    tells of the past."""
    bounds = date_bounds(d.value or "")
    if bounds is None or bounds[0] <= dct:
        return False
    told = (tenses or {}).get(d.start)
    if told is None:
        clause = _clause_of(d, clauses)
        told = clause.tense if clause is not None else None
    return told == "past"


def _clause_of(d: DateMention, clauses: list[Clause]) -> Clause | None:
    """The smallest clause that holds the date mention ``d``."""
    holders = [c for c in clauses if c.start <= d.start and d.end <= c.end]
    return min(holders, key=lambda c: c.end - c.start) if holders else None


def follow_tense(
    dates: list[DateMention],
    clauses: list[Clause],
    published: str | dt.date | dt.datetime | None,
    tenses: dict[int, str] | None = None,
) -> list[DateMention]:
    """Bare weekdays and "this weekend" re-read by the tense of the verb that holds them (from
    the parse).

    The regex tagger reads "will release its report on Thursday" by nearby cue words and can
    miss the future; the parse knows it. A bare weekday of a future verb is the first one on or
    after publication, of a past verb the last one on or before it. ``tenses`` (start ->
    tense, :func:`newsprism.nlp.clauses.governing_tenses`) gives the verb each weekday hangs
    from; a weekday it does not name takes its clause's tense ("“We will act,” the chief
    said Monday": the verb is "said", the clause's head the quotation's "act"), except a
    possessive one ("Monday's attack"), which only its noun's own words place ("Monday's
    upcoming trial"). A bare verb of an act after "may", "might", "should", "must" or "can"
    points ahead ("may reconvene on Tuesday"; not "must know Monday"). Written on a Sunday,
    "will meet this week" is the week that starts the next day.
    """
    dct = parse_published(published)
    if dct is None or not (clauses or tenses):
        return dates
    out: list[DateMention] = []
    for d in dates:
        weekend = _THIS_WEEKEND.match(d.text.strip()) is not None
        week = _THIS_WEEK.match(d.text.strip()) is not None
        if d.type != "DATE" or not d.value:
            out.append(d)
            continue
        if week:  # written on a Sunday, "will meet this week": the week that starts next day
            nxt = add_days(dct, 1)
            if (tenses or {}).get(d.start) == "future" and dct.weekday() == 6 and nxt:
                d = DateMention(d.start, d.end, d.text, week_value(nxt), d.type)
            out.append(d)
            continue
        if _AFTER_FOCUS.search(d.text.strip()):
            if _past_told_after(d, dct, clauses, tenses):
                # "Two decades later, she was haunted ...", counted from the publication date
                # or a date ahead of it: a past event after the article was written, so the
                # span it is counted from is not the one the tagger had in focus
                d = DateMention(d.start, d.end, d.text, None, d.type)
            out.append(d)
            continue
        if not (weekend or _BARE_WEEKDAY.match(d.text.strip())):
            out.append(d)
            continue
        told = (tenses or {}).get(d.start)
        if told is None and d.text.strip()[-2:].lower() in ("'s", "’s"):
            out.append(d)  # "Monday's attack": only a noun's own words place it (upcoming)
            continue
        if told is None:
            clause = _clause_of(d, clauses)
            told = clause.tense if clause is not None else None
            if (
                told == "present"
                and clause is not None
                and clause.modal in AHEAD_MODALS
                and clause.predicate not in STATIVE_VERBS
            ):
                told = "future"  # "the vote Tuesday may settle it"
        if told not in ("future", "past"):
            out.append(d)
            continue
        if weekend:  # "this weekend" on a weekday: the one just past in the past tense
            ref = add_days(dct, -7) if told == "past" and dct.weekday() < 5 else dct
            value = f"{week_value(ref)}-WE" if ref else d.value
            out.append(DateMention(d.start, d.end, d.text, value, d.type))
            continue
        weekday = WEEKDAYS[re.sub(r"['’]s$", "", d.text.strip().split()[-1].lower())]
        tense: Literal["past", "future"] = "future" if told == "future" else "past"
        day = pick_weekday(weekday, dct, tense, None)
        value = day_value(day) if day else d.value
        out.append(DateMention(d.start, d.end, d.text, value, d.type))
    return out
