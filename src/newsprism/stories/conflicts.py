"""Conflicts between claims about the same event, and updates of a figure over days.

Two claims from independent outlets conflict only when they are about one event and a slot
truly disagrees:

- *one event*: the same predicate (lemma) or near-identical wording (embedding cosine
  >= :data:`EVENT_COSINE`), the same participants (no disjoint named entities), and the
  same time frame;
- *a slot that truly disagrees*: numbers counting the same thing (shared unit word) whose
  ranges cannot both hold, day-level dates that do not overlap (a vague "last week" never
  conflicts on its own), vote tallies, one office with two holders, one place's district,
  one place for the same happening, or the same statement affirmed and negated.

A figure that differs between articles published on different days is an *update* (kind
``update``), shown with both values and dates, never a conflict. Every conflict carries
``why``: what makes the two claims one event.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from newsprism.stories.claims import Claim, RoleMention, norm_word
from newsprism.stories.facts import Conflict, ConflictValue
from newsprism.stories.judge import LIGHT_PREDICATES, RELATED, predicates_agree
from newsprism.text import stem_text

NUMBER_TOLERANCE = 0.02  # relative difference under which two numbers are the same
EVENT_COSINE = 0.80  # gist cosine at which two claims word one event alike, whatever the verb
COUNT_COSINE = 0.60  # ... enough when both count the same unit (a toll, a vote, a crowd)
NEGATION_SIM = 0.80  # gist cosine needed before a negation mismatch counts as a conflict
PLACE_SIM = 0.80  # gist cosine needed before a place mismatch counts as a conflict
#: a shared verb ties two claims only when the judge sees them as at least this related
#: ("dissidents issued a petition" and "the embassy issued a condemnation" are not one event)
MIN_P_SAME_VERB = 0.10
TIME_FRAME_DAYS = 3  # publication days further apart than this are not one time frame
_VAGUE_DATE = re.compile(
    r"\b(?:last|this|next|past|coming|recent|earlier|later|previous)\s+"
    r"(?:week|weekend|month|year|days?|weeks|months|years)\b|\b(?:recently|lately|soon)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class StoryContext:
    """Article-level facts used to rule out false conflicts."""

    named: dict[str, set[str]] = field(default_factory=dict)  # article -> person names/surnames
    areas: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # article -> area -> dirs
    slots: dict[str, int] = field(default_factory=dict)  # claim id -> its slot_mask
    told: dict[str, set[str]] = field(default_factory=dict)  # claim id -> its _told_of

    def mask(self, c: Claim) -> int:
        """:func:`slot_mask` of ``c``, made once per story (made now for a claim not in it)."""
        m = self.slots.get(c.id)
        return slot_mask(c) if m is None else m

    def told_of(self, c: Claim) -> set[str]:
        """:func:`_told_of` of ``c``, made once per story (made now for a claim not in it)."""
        t = self.told.get(c.id)
        return _told_of(c) if t is None else t


def story_context(claims: list[Claim]) -> StoryContext:
    ctx = StoryContext()
    for c in claims:
        names = ctx.named.setdefault(c.article, set())
        for e in c.entities:
            names |= _names(e)
        for key, v in c.areas.items():
            ctx.areas.setdefault(c.article, {}).setdefault(key, set()).add(v[0])
        ctx.slots[c.id] = slot_mask(c)
        ctx.told[c.id] = _told_of(c)
    return ctx


def _has_slots(c: Claim) -> bool:
    """Whether a claim has anything a conflict could be about."""
    return bool(c.numbers or c.tallies or c.dates or c.roles or c.areas or c.places or c.negated)


def slot_mask(c: Claim) -> int:
    """Bit per kind of slot a claim fills; two claims can only conflict on a shared kind."""
    return (
        (1 if any(n.units for n in c.numbers) else 0)
        | (2 if c.tallies else 0)
        | (4 if c.dates else 0)
        | (8 if c.roles else 0)
        | (16 if c.areas else 0)
        | (32 if c.places else 0)
    )


def may_conflict(a: Claim, b: Claim, context: StoryContext | None = None) -> bool:
    """Whether two claims could disagree at all: a shared kind of slot, or one negated
    (``context``: the story's, whose slot masks are made once)."""
    ctx = context or StoryContext()
    return bool(ctx.mask(a) & ctx.mask(b)) or a.negated != b.negated


def may_conflict_matrix(claims: Sequence[Claim]) -> np.ndarray:
    """:func:`may_conflict` of every pair of ``claims`` at once (a boolean matrix)."""
    slots = np.array([slot_mask(c) for c in claims], dtype=np.uint8)  # (n x n of them below)
    negated = np.array([c.negated for c in claims], dtype=bool)
    shared: np.ndarray = (slots[:, None] & slots[None, :]) != 0
    return shared | (negated[:, None] != negated[None, :])


def _interval(value: str) -> tuple[date, date, int] | None:
    """A TIMEX3 date value as (first day, last day, granularity 0=day 1=week 2=month 3=year)."""
    try:
        if "/" in value:
            a, b = value.split("/", 1)
            ia, ib = _interval(a), _interval(b)
            if ia and ib:
                return ia[0], ib[1], 0 if ia[2] == ib[2] == 0 else max(ia[2], ib[2])
            return None
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            d = date.fromisoformat(value)
            return d, d, 0
        m = re.fullmatch(r"(\d{4})-W(\d\d)", value)
        if m:
            d = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return d, d + timedelta(days=6), 1
        m = re.fullmatch(r"(\d{4})-(\d\d)", value)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            first = date(y, mo, 1)
            last = date(y + (mo == 12), mo % 12 + 1, 1) - timedelta(days=1)
            return first, last, 2
        if re.fullmatch(r"\d{4}", value):
            y = int(value)
            return date(y, 1, 1), date(y, 12, 31), 3
    except ValueError:
        return None
    return None


def is_day(value: str | None) -> bool:
    """Whether a TIMEX3 value names one day ("2023-03-16")."""
    iv = _interval(value or "")
    return iv is not None and iv[2] == 0


def _dates_conflict(a: Claim, b: Claim) -> tuple[Any, Any] | None:
    ia = [(d, i) for d in a.dates if d.type == "DATE" and d.value and (i := _interval(d.value))]
    ib = [(d, i) for d in b.dates if d.type == "DATE" and d.value and (i := _interval(d.value))]
    if not ia or not ib:
        return None
    for _, x in ia:
        for _, y in ib:
            if x[0] <= y[1] and y[0] <= x[1]:
                return None  # some date of one overlaps some date of the other: agree
    for da, x in ia:
        for db, y in ib:
            if x[2] == y[2] and x[2] <= 2:
                return da, db
    return None


def _numbers_conflict(a: Claim, b: Claim) -> tuple[Any, Any, str] | None:
    """Two numbers counting the same thing (shared unit word) whose ranges cannot both hold.

    Skipped when either claim is comparative ("two fewer than last year") or when the claims
    state different kinds of number (a demand vs. an agreed deal vs. an offer)."""
    if a.comparative or b.comparative or a.stance != b.stance:
        return None
    pairs = [(x, y) for x in a.numbers for y in b.numbers if x.units & y.units]
    if not pairs:
        return None
    units = {u for x, y in pairs for u in x.units & y.units}
    for unit in sorted(units):
        # a bare number may count the same thing ("played 11 seasons and coached for seven")
        xs = [x for x in a.numbers if unit in x.units or not x.units]
        ys = [y for y in b.numbers if unit in y.units or not y.units]
        if any(_ranges_meet(x, y) for x in xs for y in ys if x.units or y.units):
            return None  # some pair agrees: the rest are probably other quantities
    x, y = pairs[0]
    unit = sorted(x.units & y.units, key=len)[-1]
    if (unit in _DURATIONS or unit in _LOOSE_UNITS) and not predicates_agree(
        [a.predicate], a.text, [b.predicate], b.text
    ):
        # "stayed seven seasons" / "was fired after four seasons": two periods; "got 10
        # percent" / "sits at 50 percent": two shares of two things
        return None
    return x, y, unit


#: shares of anything: two of them are one slot only when the claims say the same thing
#: happened, as for :data:`_DURATIONS` (counts of people carry what befell them in their unit:
#: ``claims.GENERIC_UNITS``)
_LOOSE_UNITS = frozenset({"%"})

#: units of time: a story holds many periods, so two lengths of time are one slot only when
#: the claims say the same thing happened ("served seven seasons" / "served eleven seasons")
_DURATIONS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "season", "term", "decade"}
)


def _ranges_meet(x: Any, y: Any) -> bool:
    tol = NUMBER_TOLERANCE * max(abs(x.value), abs(y.value), 1e-9)
    return x.low - tol <= y.high and y.low - tol <= x.high


def _tallies_conflict(a: Claim, b: Claim) -> tuple[Any, Any] | None:
    if not a.tallies or not b.tallies:
        return None
    ta = {re.sub(r"\s|–", "", t.text).replace("–", "-") for t in a.tallies}
    tb = {re.sub(r"\s|–", "", t.text).replace("–", "-") for t in b.tallies}
    if ta & tb:
        return None
    return a.tallies[0], b.tallies[0]


@lru_cache(maxsize=4096)
def _role_words(role: str) -> frozenset[str]:
    words = re.findall(r"[a-z][a-z'-]+", role.lower())
    return frozenset(norm_word(w) for w in words if w not in _ROLE_STOP)


_ROLE_STOP = {"the", "of", "a", "an", "and", "for", "at", "in", "on", "to", "its", "his", "her"}


def roles_match(r1: str, r2: str) -> bool:
    """Same office: one role's words contain the other's, with at least two content words
    ("port authority chief executive" ~ "chief executive of the Sallow Port Authority"),
    unless the longer one adds a nationality ("Castavian foreign minister" is not simply
    "foreign minister": two countries' ministers are two offices)."""
    w1, w2 = _role_words(r1), _role_words(r2)
    (small, _), (big, big_raw) = sorted(((w1, r1), (w2, r2)), key=lambda x: len(x[0]))
    if len(small) < 2 or not small <= big:
        return False
    extra = big - small
    return not any(
        _NATIONALITY.fullmatch(w) and w.lower() in extra
        for w in re.findall(r"[A-Z][\w-]+", big_raw)
    )


_NATIONALITY = re.compile(r"[A-Z][a-z-]+(?:an|ian|ese|ish|i|ic|ch)")


RoleConflict = tuple[RoleMention, RoleMention, str]  # a's holder, b's holder, the office key


def _roles_conflict(a: Claim, b: Claim, named: dict[str, set[str]]) -> RoleConflict | None:
    """One office, two different holders, and neither outlet's article names the other's
    holder anywhere (so the names are alternatives, not two people of one story)."""
    for ra, va in a.roles.items():
        for rb, vb in b.roles.items():
            na, nb = va.key, vb.key
            if na == nb or na in nb or nb in na or not roles_match(va.role, vb.role):
                continue
            if _past_holder(va.role) or _past_holder(vb.role):
                continue  # "former House speaker Newt Gingrich": not the speaker now
            if _cut_short(na) or _cut_short(nb):
                continue  # "Sheriff Robert J." split off its surname: not a second holder
            if _names(na) & named.get(b.article, set()) or _names(nb) & named.get(a.article, set()):
                continue
            return va, vb, min(ra, rb, key=len)
    return None


#: words that make a role one held before ("former", "ex-", "then-", "the late")
_PAST_HOLDER = re.compile(
    r"\b(?:former|ex|then|late|onetime|one-time|erstwhile|previous|past)\b", re.IGNORECASE
)


def _past_holder(role: str) -> bool:
    """Whether a role is one its holder no longer holds: an office has one holder at a time,
    but any number of former ones."""
    return bool(_PAST_HOLDER.search(role))


def _cut_short(name: str) -> bool:
    """Whether a name ends in an initial ("robert j", "robert j."): a name the sentence split
    cut off before its surname."""
    parts = name.replace(".", " ").split()
    return len(parts) >= 2 and len(parts[-1]) == 1


def _names(name: str) -> set[str]:
    """A person's full name and surname as keys."""
    parts = name.split()
    return {name, parts[-1]} if parts else {name}


def _areas_conflict(a: Claim, b: Claim, areas: dict[str, dict[str, set[str]]]) -> Any:
    """Same named place and kind of area, different direction, and neither article states the
    other's direction for it ("Kelmar's northern district" vs "Kelmar's southern district")."""
    for key in a.areas.keys() & b.areas.keys():
        va, vb = a.areas[key], b.areas[key]
        if va[0] == vb[0]:
            continue
        if va[0] in areas.get(b.article, {}).get(key, set()) or vb[0] in areas.get(
            a.article, {}
        ).get(key, set()):
            continue
        return va, vb, key
    return None


def _same_number(x: float, y: float) -> bool:
    return abs(x - y) <= NUMBER_TOLERANCE * max(abs(x), abs(y), 1e-9)


# "hadn't", "hadn’t", and "hadn ’ t" of text that was tokenized before it was published
_NEG_WORDS = re.compile(r"\b(?:not|never|no)\b|n ?['’] ?t\b", re.IGNORECASE)


#: words whose negation states what the other word states ("pleaded not guilty" / "pleaded
#: innocent"): a negation that one outlet words with the opposite word is no disagreement
_OPPOSITES: dict[str, str] = {
    "guilty": "innocent",
    "true": "false",
    "alive": "dead",
    "present": "absent",
    "legal": "illegal",
    "possible": "impossible",
    "likely": "unlikely",
    "clear": "unclear",
    "agree": "disagree",
    "include": "exclude",
    "allowed": "forbidden",
    "accept": "reject",
    "accepted": "rejected",
    "succeed": "fail",
    "succeeded": "failed",
    "remember": "forget",
    "win": "lose",
    "won": "lost",
}
_OPPOSITES.update({v: k for k, v in list(_OPPOSITES.items())})
_NEGATED_WORD = re.compile(
    r"(?:\bnot|\bnever|n['’]t)\s+(?:be\s+|been\s+)?([a-z]+)", re.IGNORECASE
)


def _worded_opposite(negated: str, affirmed: str) -> bool:
    """Whether a negated word of ``negated`` has its opposite in ``affirmed`` (see
    :data:`_OPPOSITES`): the two say the same thing."""
    words = set(re.findall(r"[a-z]+", affirmed.lower()))
    return any(
        _OPPOSITES.get(m.group(1).lower()) in words for m in _NEGATED_WORD.finditer(negated)
    )


def _polarity_conflict(a: Claim, b: Claim, cos: float) -> bool:
    if a.negated == b.negated or cos < NEGATION_SIM:
        return False
    a_worded = bool(_NEG_WORDS.search(a.text))
    if a_worded == bool(_NEG_WORDS.search(b.text)):
        return False  # both word a negation (or neither): the parse, not the outlets, differs
    neg, aff = (a, b) if a_worded else (b, a)
    if _worded_opposite(neg.text, aff.text):
        return False
    # wording must be close once the negation is taken out: same content words
    wa, wb = _polarity_words(a.text), _polarity_words(b.text)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= 0.5


@lru_cache(maxsize=8192)
def _polarity_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]{3,}", stem_text(_NEG_WORDS.sub(" ", text))))


def _places_conflict(a: Claim, b: Claim, cos: float, story_places: dict[str, set[str]]) -> Any:
    if cos < PLACE_SIM or len(a.places) != 1 or len(b.places) != 1 or a.places == b.places:
        return None
    pa, pb = next(iter(a.places)), next(iter(b.places))
    # a place the other outlet also names elsewhere is context (Moscow / Russia), not a clash
    if pa in story_places.get(b.outlet, set()) or pb in story_places.get(a.outlet, set()):
        return None
    return pa, pb


def _number_label(n: Any, unit: str) -> str:
    unit = unit.split("~", 1)[0]  # "people~kill": shown as "people" (the texts say what befell them)
    v = _fmt(n.value)
    if n.high == math.inf:
        v = f"more than {v}"
    elif n.low == 0 and n.value > 0:
        v = f"up to {v}"
    return f"{v} {unit}".strip()


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


@lru_cache(maxsize=4096)
def _day(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _participants_agree(a: Claim, b: Claim) -> bool:
    """No disjoint participants: when both name entities, they share one."""
    if a.entities and b.entities:
        return bool(a.entities & b.entities)
    return True


def same_event(
    a: Claim, b: Claim, cos: float, p: float, min_cos: float = EVENT_COSINE
) -> str | None:
    """Why ``a`` and ``b`` are about one event, or None when they may not be.

    Agreeing participants (no disjoint named entities), publication days within
    :data:`TIME_FRAME_DAYS`, and the same predicate (not a light verb like "be"/"say") or
    wording at least ``min_cos`` alike."""
    basis = _event_basis(a, b, cos, p, min_cos)
    return None if basis is None else _event_reason(a, b, cos, p, basis)


def _event_basis(a: Claim, b: Claim, cos: float, p: float, min_cos: float) -> str | None:
    """What ties ``a`` and ``b`` to one event ("verb": the same predicate, "wording": a
    cosine of at least ``min_cos``), or None: :func:`same_event` without its explanation."""
    if not _participants_agree(a, b):
        return None
    da, db = _day(a.published), _day(b.published)
    if da and db and abs((da - db).days) > TIME_FRAME_DAYS:
        return None
    if (
        a.predicate
        and a.predicate == b.predicate
        and a.predicate not in LIGHT_PREDICATES
        and (p >= MIN_P_SAME_VERB or cos >= min_cos)
    ):
        return "verb"
    return "wording" if cos >= min_cos else None


def _event_reason(a: Claim, b: Claim, cos: float, p: float, basis: str) -> str:
    """The explanation :func:`same_event` gives for a tie found by :func:`_event_basis`."""
    reason = (
        f"both say '{a.predicate}'" if basis == "verb" else f"closely worded (similarity {cos:.2f})"
    )
    shared = sorted(a.entities & b.entities)
    if shared:
        reason += " about " + ", ".join(shared[:3])
    da, db = _day(a.published), _day(b.published)
    if da and db:
        reason += f", published {da.isoformat()}" + (
            f" and {db.isoformat()}" if da != db else " by both"
        )
    return reason + f"; judge p_same {p:.2f}"


@dataclass(slots=True)
class PairConflict:
    """One slot on which two claims disagree (before grouping into :class:`Conflict`)."""

    slot: str
    a: ConflictValue
    b: ConflictValue
    kind: str = "conflict"
    why: str = ""


def _value(c: Claim, value: str, start: int, end: int, text: str) -> ConflictValue:
    return ConflictValue(value, c.article, start, end, text, c.outlet, c.published)


def _vague(d: Any) -> bool:
    return bool(_VAGUE_DATE.search(d.text))


def pair_conflicts(
    a: Claim,
    b: Claim,
    cos: float,
    p: float,
    context: StoryContext | None = None,
    story_places: dict[str, set[str]] | None = None,
    entity_spans: dict[tuple[str, str], tuple[int, int, str]] | None = None,
) -> list[PairConflict]:
    """Slot disagreements between two claims of independent outlets about one event."""
    if a.text == b.text:
        return []
    ctx = context or StoryContext()
    out: list[PairConflict] = []
    rc = _roles_conflict(a, b, ctx.named) if a.roles and b.roles else None
    if rc and _office_is_specific(a, b, rc):
        ra, rb, office = rc
        out.append(
            PairConflict(
                "person:" + office,
                _value(a, ra.text, ra.start, ra.end, ra.text),
                _value(b, rb.text, rb.start, rb.end, rb.text),
                why=f"one office ('{office}') named with two different holders",
            )
        )
    ac = _areas_conflict(a, b, ctx.areas) if a.areas and b.areas else None
    if ac:
        out.append(
            PairConflict(
                "place:" + ac[2],
                _value(a, ac[0][0], ac[0][1], ac[0][2], ac[0][3]),
                _value(b, ac[1][0], ac[1][1], ac[1][2], ac[1][3]),
                why=f"one place ('{ac[2]}') given two different parts",
            )
        )
    if not may_conflict(a, b, ctx):
        return out
    # a count of the same unit ties two claims more than a date does: looser wording for it,
    # once both publication days put them in one time frame (undated, "59 catches this
    # season" and "two catches in the first game" may be two times: the closer wording
    # then, and the judge must see them at least as related)
    da, db = _day(a.published), _day(b.published)
    dated = bool(da and db)
    count_basis = _event_basis(a, b, cos, p, COUNT_COSINE if dated else EVENT_COSINE)
    if count_basis is None:
        return out
    if (dated or p >= RELATED) and not (ctx.told_of(a) - b.persons or ctx.told_of(b) - a.persons):
        out += _count_conflicts(a, b, lambda: _event_reason(a, b, cos, p, count_basis), da, db)
    basis = _event_basis(a, b, cos, p, EVENT_COSINE)  # a date or a place needs closer wording
    if basis is None:
        return out
    found: list[tuple[str, ConflictValue, ConflictValue]] = []
    dc = _dates_conflict(a, b)
    if dc and not _vague(dc[0]) and not _vague(dc[1]):
        found.append(
            (
                "date",
                _value(a, dc[0].value, dc[0].start, dc[0].end, dc[0].text),
                _value(b, dc[1].value, dc[1].start, dc[1].end, dc[1].text),
            )
        )
    if story_places is not None and a.predicate == b.predicate:
        plc = _places_conflict(a, b, cos, story_places)
        if plc:
            spans = entity_spans or {}
            vals = []
            for cl, name in ((a, plc[0]), (b, plc[1])):
                s, e, t = spans.get((cl.id, name), (cl.start, cl.end, cl.text))
                vals.append(_value(cl, name, s, e, t))
            found.append(("place", vals[0], vals[1]))
    if a.predicate == b.predicate and _polarity_conflict(a, b, cos):
        found.append(
            (
                "negation",
                _value(a, "negated" if a.negated else "affirmed", a.start, a.end, a.text),
                _value(b, "negated" if b.negated else "affirmed", b.start, b.end, b.text),
            )
        )
    if found:  # explained once, only when there is something to explain
        why = _event_reason(a, b, cos, p, basis)
        out += [PairConflict(slot, va, vb, why=why) for slot, va, vb in found]
    return out


#: characters before a number within which a person's name tells whose count it is
_WHOSE_COUNT = 40


def _told_of(c: Claim) -> set[str]:
    """The people a claim's counts are told of: a person it names (by surname) in the
    :data:`_WHOSE_COUNT` characters before a number ("Sanders needs 836 delegates", "has
    Clinton leading Trump by six points"). A count told of someone the other claim does not
    name is another count: "Sanders needs 836 delegates" / "a candidate needs 2,383
    delegates", whatever the judge thinks of the wording."""
    if not c.persons or not c.numbers:
        return set()
    out: set[str] = set()
    for n in c.numbers:
        before = c.text[max(0, n.start - c.start - _WHOSE_COUNT) : max(0, n.start - c.start)]
        words = set(re.findall(r"[a-z][a-z'-]+", before.lower()))
        out |= {k for k in c.persons if k.split()[-1] in words}
    return out


def _count_conflicts(
    a: Claim, b: Claim, explain: Callable[[], str], da: dt.date | None, db: dt.date | None
) -> list[PairConflict]:
    """Vote tallies and counts of one unit that cannot both hold. A count reported higher
    on a later day is an update (a toll that rose), not a conflict. ``explain`` gives the
    reason the two are one event (called only when they disagree)."""
    out: list[PairConflict] = []
    moved = bool(da and db and da != db)
    tc = _tallies_conflict(a, b)
    if tc:
        va, vb = (t.text.replace("–", "-").replace(" ", "") for t in tc)
        out.append(
            PairConflict(
                "number:vote",
                _value(a, va, tc[0].start, tc[0].end, tc[0].text),
                _value(b, vb, tc[1].start, tc[1].end, tc[1].text),
                "update" if moved else "conflict",
                explain(),
            )
        )
    nc = _numbers_conflict(a, b)
    if nc:
        first, later = (nc[0], nc[1]) if da and db and da <= db else (nc[1], nc[0])
        risen = moved and later.value > first.value
        out.append(
            PairConflict(
                "number",
                _value(a, _number_label(nc[0], nc[2]), nc[0].start, nc[0].end, nc[0].text),
                _value(b, _number_label(nc[1], nc[2]), nc[1].start, nc[1].end, nc[1].text),
                "update" if risen else "conflict",
                explain(),
            )
        )
    return out


def _office_is_specific(a: Claim, b: Claim, rc: RoleConflict) -> bool:
    """An office counts as one only when it is named specifically ("port authority chief
    executive") or both claims tie it to the same organisation or place: two countries'
    "prime minister" are two offices. A role that many people hold at once ("highway patrol
    officer", "spokesman", "lawyer") is never one office."""
    ra, rb, _ = rc
    if _many_holders(ra.role) or _many_holders(rb.role):
        return False
    if len(_role_words(ra.role)) >= 3 and len(_role_words(rb.role)) >= 3:
        return True
    people = {ra.key, rb.key}
    return bool((a.entities & b.entities) - people)


def _many_holders(role: str) -> bool:
    """Whether a role names one of many people rather than an office with one holder: its
    last word is a rank or function held by many ("California Highway Patrol officer")."""
    words = re.findall(r"[a-z][a-z'-]+", role.lower())
    return bool(words) and norm_word(words[-1]) in _MANY_HOLDERS


#: head words of roles that many people hold at once: two of them are two people, not two
#: reports of one office's holder
_MANY_HOLDERS = frozenset(
    {
        "officer", "spokesman", "spokeswoman", "spokesperson", "official", "agent", "deputy",
        "member", "lawyer", "attorney", "analyst", "aide", "adviser", "advisor", "trooper",
        "detective", "investigator", "senator", "representative", "lawmaker", "legislator",
        "diplomat", "source", "witness", "employee", "worker", "soldier", "doctor", "nurse",
        "teacher", "professor", "student", "researcher", "economist", "expert", "correspondent",
        "reporter", "journalist", "commentator", "activist", "volunteer", "resident", "player",
    }
)


def merge_conflicts(pairs: list[PairConflict]) -> tuple[list[Conflict], list[Conflict]]:
    """Pair disagreements grouped by slot and kind: (conflicts, updates). A slot whose values
    all agree once merged (one article's value repeated) is dropped."""
    found: dict[tuple[str, str], tuple[dict[str, ConflictValue], str]] = {}
    for pc in pairs:
        vals, _ = found.setdefault((pc.slot, pc.kind), ({}, pc.why))
        for v in (pc.a, pc.b):
            vals.setdefault(v.article, v)
    conflicts: list[Conflict] = []
    updates: list[Conflict] = []
    for (slot, kind), (vals, why) in found.items():
        if len({v.value for v in vals.values()}) < 2:
            continue
        values = sorted(vals.values(), key=lambda v: (v.published or "", v.article))
        (updates if kind == "update" else conflicts).append(Conflict(slot, values, kind, why))
    return conflicts, updates
