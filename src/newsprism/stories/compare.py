"""Cross-outlet comparison of one story: align claims into facts, label them, lay them side by side.

Pipeline (all per story):

1. :func:`~newsprism.stories.claims.extract_claims` turns each article into sentence-level
   claims with slots (entities, numbers with units, dates, places, negation, modality) and
   attribution (speaker, outlet).
2. Claims of different articles are *aligned* when their alignment score reaches
   :data:`ALIGN_THRESHOLD`: embedding cosine + a lexical bonus (TF-IDF cosine of rare words)
   + slot bonuses (shared entities weighted by rarity in the story, shared date values, shared
   numbers). Groups are built greedily from the best pairs down, with at most one claim per
   article in a group and average linkage kept above :data:`GROUP_LINK`. A group is a *fact*.
3. A fact is ``conflicting`` when two of its claims from different outlets disagree on a
   slot (:func:`find_conflicts`), ``corroborated`` when it is carried by two or more
   independent outlets (wire reprints, ``duplicate_of``, and articles of one outlet count
   once), else ``single-source``.
4. Coverage matrix (outlet x fact), timeline, framing and quotes grouped by speaker.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from newsprism.model import Article, BriefLine, Citation, Enriched
from newsprism.stories.claims import Claim, extract_claims, is_content_sentence

log = logging.getLogger(__name__)

ALIGN_THRESHOLD = 0.70  # alignment score needed to put two claims in one fact
MIN_COSINE = 0.45  # embedding cosine below which claims never align, whatever the slots
GROUP_LINK = 0.60  # average alignment score needed between two groups to merge them
LEXICAL_WEIGHT = 0.30  # weight of the TF-IDF cosine (shared rare words)
ENTITY_BONUS = 0.08  # per shared entity, times its rarity in the story (idf / max idf)
ENTITY_BONUS_MAX = 0.12
DATE_BONUS = 0.10  # the two claims share a normalized date value
NUMBER_BONUS = 0.06  # the two claims share a number with the same unit
MAX_CLAIMS = 3000  # claims compared per story (pair matrices are claims x claims)
MIN_CLAIMS_PER_ARTICLE = 3  # ... but at least this many lead sentences per article
SECOND_THRESHOLD = 0.85  # alignment score for a claim to join a second fact
SECOND_FACTS = 1  # second facts a claim may join (0 = one fact per claim)
CROSS_CHECKS = 3  # partners outside its fact a claim is checked against for conflicts
KEYED_BONUS = 0.75  # one office / one district filled with exclusive values (see _keyed_slot_bonus)
CONFLICT_SIM = 0.70  # embedding cosine two claims need before any slot mismatch is a conflict
CONFLICT_SCORE = 0.82  # ... or this alignment score (cosine + lexical + slot bonuses)
NEGATION_SIM = 0.80  # embedding cosine needed before a negation mismatch counts as a conflict
PLACE_SIM = 0.75  # embedding cosine needed before a place mismatch counts as a conflict
NUMBER_TOLERANCE = 0.02  # relative difference under which two numbers are the same


# --------------------------------------------------------------------------- data


@dataclass(slots=True)
class Source:
    """One claim carrying a fact, as a citation with its outlet and speaker."""

    article: str
    start: int
    end: int
    text: str
    outlet: str
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "outlet": self.outlet,
            "speaker": self.speaker,
        }


@dataclass(slots=True)
class ConflictValue:
    value: str
    article: str
    start: int
    end: int
    text: str
    outlet: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "outlet": self.outlet,
        }


@dataclass(slots=True)
class Conflict:
    slot: str  # number | date | person | place | negation
    values: list[ConflictValue]

    def to_dict(self) -> dict[str, Any]:
        return {"slot": self.slot, "values": [v.to_dict() for v in self.values]}


@dataclass(slots=True)
class Fact:
    id: str
    text: str
    status: str  # corroborated | single-source | conflicting
    outlets: list[str]
    sources: list[Source]
    conflicts: list[Conflict] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    independent: int = 1  # number of independent outlets carrying it
    centrality: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "outlets": list(self.outlets),
            "sources": [s.to_dict() for s in self.sources],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


@dataclass(slots=True)
class Comparison:
    """Everything :func:`compare_story` finds about one story (see :meth:`to_dict`)."""

    facts: list[Fact]
    outlets: list[str]
    timeline: list[dict[str, Any]] = field(default_factory=list)
    framing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    vectors: np.ndarray | None = None  # one row per fact (its representative claim)

    def coverage(self) -> dict[str, Any]:
        ids = [f.id for f in self.facts]
        matrix = [[1 if o in f.outlets else 0 for f in self.facts] for o in self.outlets]
        return {"outlets": list(self.outlets), "facts": ids, "matrix": matrix}

    def to_dict(self) -> dict[str, Any]:
        return {
            "facts": [f.to_dict() for f in self.facts],
            "coverage": self.coverage(),
            "timeline": self.timeline,
            "framing": self.framing,
            "quotes": self.quotes,
        }


@dataclass(slots=True)
class StoryContext:
    """Article-level facts used to rule out false conflicts."""

    named: dict[str, set[str]] = field(default_factory=dict)  # article -> person names/surnames
    areas: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # article -> area -> dirs


def story_context(claims: list[Claim]) -> StoryContext:
    ctx = StoryContext()
    for c in claims:
        names = ctx.named.setdefault(c.article, set())
        for e in c.entities:
            names |= _names(e)
        for key, v in c.areas.items():
            ctx.areas.setdefault(c.article, {}).setdefault(key, set()).add(v[0])
    return ctx


# --------------------------------------------------------------------------- independence


def independence_keys(articles: list[Article]) -> dict[str, str]:
    """Article id -> key of its independent origin: reprints share the key of their original,
    and all articles of one outlet share one key."""
    by_id = {a.id: a for a in articles}
    key: dict[str, str] = {}
    for a in articles:
        root, seen = a, {a.id}
        while root.duplicate_of and root.duplicate_of not in seen:
            seen.add(root.duplicate_of)
            nxt = by_id.get(root.duplicate_of)
            if nxt is None:
                key[a.id] = f"article:{root.duplicate_of}"
                break
            root = nxt
        else:
            key[a.id] = f"outlet:{root.source or root.id}"
    # outlets that reprint one another collapse together (union-find over shared keys)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a in articles:
        k1, k2 = find(key[a.id]), find(f"outlet:{a.source or a.id}")
        if k1 != k2:
            parent[k2] = k1
    return {aid: find(k) for aid, k in key.items()}


# --------------------------------------------------------------------------- alignment


def _lexical_matrix(claims: list[Claim]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(claims) < 2:
        return np.zeros((len(claims), len(claims)), dtype=np.float32)
    try:
        vec = TfidfVectorizer(
            stop_words="english",
            sublinear_tf=True,
            token_pattern=r"(?u)\b[^\W\d_]{3,}\b",
            min_df=2,
            dtype=np.float32,
        )
        x = vec.fit_transform([_stem_text(c.text) for c in claims])
    except ValueError:  # empty vocabulary
        return np.zeros((len(claims), len(claims)), dtype=np.float32)
    return (x @ x.T).toarray().astype(np.float32)


_STEM = re.compile(r"(?<=\w{4})(?:ing|ed|es|s)\b")


def _stem_text(text: str) -> str:
    return _STEM.sub("", text.lower())


def _slot_matrix(claims: list[Claim]) -> np.ndarray:
    """Slot agreement bonus for every claim pair (shared entities, dates, numbers)."""
    from scipy import sparse

    n = len(claims)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    df: Counter[str] = Counter()
    for c in claims:
        df.update(c.entities)
    if df:
        idf = {e: math.log((n + 1) / (d + 0.5)) for e, d in df.items()}
        top = max(idf.values()) or 1.0
    feats: dict[str, int] = {}
    rows, cols, vals = [], [], []

    def put(i: int, name: str, w: float) -> None:
        j = feats.setdefault(name, len(feats))
        rows.append(i)
        cols.append(j)
        vals.append(w)

    for i, c in enumerate(claims):
        for e in c.entities:
            put(i, "e:" + e, math.sqrt(ENTITY_BONUS * max(0.0, idf[e]) / top))
        for v in {d.value for d in c.dates if d.type == "DATE" and d.value}:
            put(i, "d:" + str(v), math.sqrt(DATE_BONUS))
        for v in c.date_keys:
            put(i, "k:" + v, math.sqrt(DATE_BONUS / 2))
        for k in {(n_.unit, round(n_.value, 3)) for n_ in c.numbers if n_.unit}:
            put(i, f"n:{k}", math.sqrt(NUMBER_BONUS))
    if not feats:
        return np.zeros((n, n), dtype=np.float32)
    x = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(feats)), dtype=np.float32)
    ent_cols = [j for f, j in feats.items() if f.startswith("e:")]
    other_cols = [j for f, j in feats.items() if not f.startswith("e:")]
    out = np.zeros((n, n), dtype=np.float32)
    if ent_cols:
        xe = x[:, ent_cols]
        out += np.minimum((xe @ xe.T).toarray(), ENTITY_BONUS_MAX)
    if other_cols:
        xo = x[:, other_cols]
        out += (xo @ xo.T).toarray()
    return out


def alignment_scores(claims: list[Claim], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, cosine) matrices over claims; pairs from one article score -1."""
    cos = (vectors @ vectors.T).astype(np.float32) if len(claims) else np.zeros((0, 0))
    score = cos + LEXICAL_WEIGHT * _lexical_matrix(claims) + _slot_matrix(claims)
    arts = np.array([c.article for c in claims])
    same = arts[:, None] == arts[None, :]
    score[same] = -1.0
    score[cos < MIN_COSINE] = -1.0
    return score, cos


def _attach_cross_conflicts(
    claims: list[Claim],
    groups: list[list[int]],
    score: np.ndarray,
    cos: np.ndarray,
    ind_key: dict[str, str],
    story_places: dict[str, set[str]],
    entity_spans: dict[tuple[str, str], tuple[int, int, str]],
    ctx: StoryContext,
) -> None:
    """A claim aligned with a fact but kept out of it (its article already had a claim there)
    is checked against it; when they disagree it joins that fact as the other side."""
    where = {i: k for k, g in enumerate(groups) for i in g}
    arts = [{claims[i].article for i in g} for g in groups]
    iu, ju = np.nonzero(np.triu(score >= ALIGN_THRESHOLD, k=1))
    attached: set[int] = set()
    checks: Counter[int] = Counter()
    for k in np.argsort(-score[iu, ju], kind="stable"):
        i, j = int(iu[k]), int(ju[k])
        if where[i] == where[j] or ind_key.get(claims[i].article) == ind_key.get(claims[j].article):
            continue
        if claims[j].article not in arts[where[i]] and claims[i].article not in arts[where[j]]:
            continue  # not kept out by the one-claim-per-article rule: grouping said no
        if checks[i] >= CROSS_CHECKS or checks[j] >= CROSS_CHECKS:
            continue  # only a claim's best few partners outside its fact
        if not _may_conflict(claims[i], claims[j]):
            continue
        checks[i] += 1
        checks[j] += 1
        if not find_conflicts(claims, cos, [i, j], ind_key, story_places, entity_spans, ctx, score):
            continue
        gi, gj = groups[where[i]], groups[where[j]]
        # the claim from the smaller fact joins the larger one
        host, guest = (i, j) if len(gi) >= len(gj) else (j, i)
        if guest in attached:
            continue
        attached.add(guest)
        groups[where[host]].append(guest)


def _attach_second_facts(
    claims: list[Claim], groups: list[list[int]], score: np.ndarray, ind_key: dict[str, str]
) -> None:
    """A sentence often carries two facts ("Some 3,200 dockworkers ... went on strike on
    Monday"): a claim strongly aligned (score >= SECOND_THRESHOLD) with a member of another
    fact whose outlet that fact lacks also joins it, at most SECOND_FACTS times."""
    where = {i: k for k, g in enumerate(groups) for i in g}
    keys = [{ind_key.get(claims[i].article) for i in g} for g in groups]
    iu, ju = np.nonzero(np.triu(score >= SECOND_THRESHOLD, k=1))
    extra: Counter[int] = Counter()
    for k in np.argsort(-score[iu, ju], kind="stable"):
        i, j = int(iu[k]), int(ju[k])
        for host, guest in ((i, j), (j, i)):
            g = where[host]
            if where[guest] == g or extra[guest] >= SECOND_FACTS:
                continue
            if ind_key.get(claims[guest].article) in keys[g]:
                continue
            groups[g].append(guest)
            keys[g].add(ind_key.get(claims[guest].article))
            extra[guest] += 1


def _has_slots(c: Claim) -> bool:
    """Whether a claim has anything a conflict could be about."""
    return bool(c.numbers or c.tallies or c.dates or c.roles or c.areas or c.places or c.negated)


def _slot_mask(c: Claim) -> int:
    """Bit per kind of slot a claim fills; two claims can only conflict on a shared kind."""
    return (
        (1 if any(n.units for n in c.numbers) else 0)
        | (2 if c.tallies else 0)
        | (4 if c.dates else 0)
        | (8 if c.roles else 0)
        | (16 if c.areas else 0)
        | (32 if c.places else 0)
    )


def _may_conflict(a: Claim, b: Claim) -> bool:
    return bool(_slot_mask(a) & _slot_mask(b)) or a.negated != b.negated


def _keyed_slot_bonus(claims: list[Claim], score: np.ndarray, ctx: StoryContext) -> None:
    """Align claims that fill one keyed slot with exclusive values (one office, two holders;
    one place's district, two directions): they state the same thing differently."""
    keyed = [i for i, c in enumerate(claims) if c.roles or c.areas]
    for x, i in enumerate(keyed):
        for j in keyed[x + 1 :]:
            a, b = claims[i], claims[j]
            if a.article == b.article:
                continue
            if _roles_conflict(a, b, ctx.named) or _areas_conflict(a, b, ctx.areas):
                score[i, j] = score[j, i] = max(score[i, j], 0.0) + KEYED_BONUS


def group_claims(claims: list[Claim], score: np.ndarray) -> list[list[int]]:
    """Greedy agglomeration from the best pairs down; one claim per article per group."""
    n = len(claims)
    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    arts: dict[int, set[str]] = {i: {claims[i].article} for i in range(n)}
    if n > 1:
        iu, ju = np.nonzero(np.triu(score >= ALIGN_THRESHOLD, k=1))
        order = np.argsort(-score[iu, ju], kind="stable")
        for k in order:
            gi, gj = group[iu[k]], group[ju[k]]
            if gi == gj or arts[gi] & arts[gj]:
                continue
            mi, mj = members[gi], members[gj]
            if len(mi) + len(mj) > 2:
                link = float(score[np.ix_(mi, mj)].mean())
                if link < GROUP_LINK:
                    continue
            for m in mj:
                group[m] = gi
            mi.extend(mj)
            arts[gi] |= arts.pop(gj)
            del members[gj]
    return [sorted(m) for m in members.values()]


# --------------------------------------------------------------------------- conflicts


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


def _is_day(value: str | None) -> bool:
    iv = _interval(value or "")
    return bool(iv) and iv[2] == 0


def _dates_conflict(a: Claim, b: Claim) -> tuple[Any, Any] | None:
    ia = [(d, _interval(d.value)) for d in a.dates if d.type == "DATE" and d.value]
    ib = [(d, _interval(d.value)) for d in b.dates if d.type == "DATE" and d.value]
    ia = [(d, i) for d, i in ia if i]
    ib = [(d, i) for d, i in ib if i]
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


def _numbers_conflict(a: Claim, b: Claim) -> tuple[Any, Any] | None:
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
        xs = [x for x in a.numbers if unit in x.units]
        ys = [y for y in b.numbers if unit in y.units]
        if any(_ranges_meet(x, y) for x in xs for y in ys):
            return None  # some pair agrees: the rest are probably other quantities
    x, y = pairs[0]
    return x, y, sorted(x.units & y.units, key=len)[-1]


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
    from newsprism.stories.claims import _norm_word

    words = re.findall(r"[a-z][a-z'-]+", role.lower())
    return frozenset(_norm_word(w) for w in words if w not in _ROLE_STOP)


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


def _roles_conflict(a: Claim, b: Claim, named: dict[str, set[str]]) -> tuple[Any, Any, str] | None:
    """One office, two different holders, and neither outlet's article names the other's
    holder anywhere (so the names are alternatives, not two people of one story)."""
    for ra, va in a.roles.items():
        for rb, vb in b.roles.items():
            na, nb = va[0], vb[0]
            if na == nb or na in nb or nb in na or not roles_match(va[4], vb[4]):
                continue
            if _names(na) & named.get(b.article, set()) or _names(nb) & named.get(a.article, set()):
                continue
            return va, vb, min(ra, rb, key=len)
    return None


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


_NEG_WORDS = re.compile(r"\b(?:not|never|no|n't)\b|n't", re.IGNORECASE)


def _polarity_conflict(a: Claim, b: Claim, cos: float) -> bool:
    if a.negated == b.negated or cos < NEGATION_SIM:
        return False
    # wording must be close once the negation is taken out: same content words
    wa, wb = _polarity_words(a.text), _polarity_words(b.text)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= 0.5


@lru_cache(maxsize=8192)
def _polarity_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]{3,}", _stem_text(_NEG_WORDS.sub(" ", text))))


def _places_conflict(a: Claim, b: Claim, cos: float, story_places: dict[str, set[str]]) -> Any:
    if cos < PLACE_SIM or len(a.places) != 1 or len(b.places) != 1 or a.places == b.places:
        return None
    pa, pb = next(iter(a.places)), next(iter(b.places))
    # a place the other outlet also names elsewhere is context (Moscow / Russia), not a clash
    if pa in story_places.get(b.outlet, set()) or pb in story_places.get(a.outlet, set()):
        return None
    return pa, pb


def find_conflicts(
    claims: list[Claim],
    cos: np.ndarray,
    idx: list[int],
    ind_key: dict[str, str],
    story_places: dict[str, set[str]],
    entity_spans: dict[tuple[str, str], tuple[int, int, str]],
    context: StoryContext | None = None,
    score: np.ndarray | None = None,
) -> list[Conflict]:
    """Slot disagreements between claims of a fact that come from independent outlets.

    Keyed slots (office holder, district of a place) count whatever the similarity; other
    slots (numbers, tallies, dates, places, polarity) only between claims that are close
    (cosine >= CONFLICT_SIM, or alignment score >= CONFLICT_SCORE)."""
    found: dict[str, dict[str, ConflictValue]] = {}

    def add(slot: str, c: Claim, value: str, start: int, end: int, text: str) -> None:
        vals = found.setdefault(slot, {})
        if c.article not in vals:
            vals[c.article] = ConflictValue(value, c.article, start, end, text, c.outlet)

    ctx = context or StoryContext()
    masks = [_slot_mask(claims[i]) for i in idx]
    for x in range(len(idx)):
        for y in range(x + 1, len(idx)):
            a, b = claims[idx[x]], claims[idx[y]]
            if ind_key.get(a.article) == ind_key.get(b.article) or a.text == b.text:
                continue
            if not (masks[x] & masks[y]) and a.negated == b.negated:
                continue
            c = float(cos[idx[x], idx[y]])
            rc = _roles_conflict(a, b, ctx.named) if a.roles and b.roles else None
            if rc:  # keyed slot: the office itself aligns the claims
                for cl, v in ((a, rc[0]), (b, rc[1])):
                    add("person:" + rc[2], cl, v[1], v[2], v[3], v[1])
            ac = _areas_conflict(a, b, ctx.areas) if a.areas and b.areas else None
            if ac:
                for cl, v in ((a, ac[0]), (b, ac[1])):
                    add("place:" + ac[2], cl, v[0], v[1], v[2], v[3])
            sc = float(score[idx[x], idx[y]]) if score is not None else -1.0
            if c < CONFLICT_SIM and sc < CONFLICT_SCORE:
                continue  # loosely aligned claims: different values may be different things
            tc = _tallies_conflict(a, b)
            if tc:
                for cl, t in ((a, tc[0]), (b, tc[1])):
                    add(
                        "number:vote",
                        cl,
                        t.text.replace("–", "-").replace(" ", ""),
                        t.start,
                        t.end,
                        t.text,
                    )
            nc = _numbers_conflict(a, b)
            if nc:
                for cl, n in ((a, nc[0]), (b, nc[1])):
                    add("number", cl, _number_label(n, nc[2]), n.start, n.end, n.text)
            dc = _dates_conflict(a, b)
            if dc and (c >= CONFLICT_SIM or (_is_day(dc[0].value) and _is_day(dc[1].value))):
                # a month or year apart ("February" of two years) needs the closer cosine
                for cl, d in ((a, dc[0]), (b, dc[1])):
                    add("date", cl, d.value, d.start, d.end, d.text)
            plc = _places_conflict(a, b, c, story_places)
            if plc:
                for cl, name in ((a, plc[0]), (b, plc[1])):
                    s, e, t = entity_spans.get((cl.id, name), (cl.start, cl.end, cl.text))
                    add("place", cl, name, s, e, t)
            if _polarity_conflict(a, b, c):
                for cl in (a, b):
                    add(
                        "negation",
                        cl,
                        "negated" if cl.negated else "affirmed",
                        cl.start,
                        cl.end,
                        cl.text,
                    )
    out = []
    for slot, vals in found.items():
        if len({v.value for v in vals.values()}) >= 2:
            out.append(Conflict(slot, list(vals.values())))
    return out


def _number_label(n: Any, unit: str) -> str:
    v = _fmt(n.value)
    if n.high == math.inf:
        v = f"more than {v}"
    elif n.low == 0 and n.value > 0:
        v = f"up to {v}"
    return f"{v} {unit}".strip()


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# --------------------------------------------------------------------------- quotes


def quotes_by_speaker(
    articles: list[Article], enriched: dict[str, Enriched]
) -> list[dict[str, Any]]:
    """Attributions grouped by resolved speaker (surname variants of one person merged).

    A stance or act that is not reported speech ("rejected the offer", "stood still") is
    kept only when its speaker is a named person or organisation of the article: "the cranes
    stood" or a dateline parsed as a subject is not someone saying something."""
    groups: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    people: dict[str, None] = {}  # insertion-ordered: merges are deterministic
    for a in articles:
        en = enriched.get(a.id)
        if en is None:
            continue
        actors = {
            n
            for m in en.entities
            if m.label in _ACTOR_TYPES
            for n in (m.canonical, m.name, m.text)
            if n
        }
        # "Ushakov said ..., according to AFP": AFP shows as the quote's `via`, not as a
        # second speaker of the same words
        relayed = [
            (att.via, att.content[0].start, att.content[-1].end)
            for att in en.attributions
            if att.via and att.content
        ]
        for att in en.attributions:
            if not att.speaker or not att.content:
                continue
            if not att.reporting and att.kind == "indirect" and att.speaker not in actors:
                continue
            lo, hi = att.content[0].start, att.content[-1].end
            if any(via == att.speaker and r_lo < hi and lo < r_hi for via, r_lo, r_hi in relayed):
                continue
            key = _speaker_key(att.speaker, names, people)
            g = groups.setdefault(key, {"speaker": att.speaker, "quotes": []})
            if len(att.speaker) > len(g["speaker"]):
                g["speaker"] = att.speaker
            g["quotes"].append(
                {
                    "article": a.id,
                    "outlet": a.source or a.id,
                    "kind": att.kind,
                    "via": att.via,
                    "cue": att.cue.to_dict() if att.cue else None,
                    "content": [c.to_dict() for c in att.content],
                }
            )
    return sorted(groups.values(), key=lambda g: (-len(g["quotes"]), g["speaker"]))


_ACTOR_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _speaker_key(name: str, names: dict[str, str], people: dict[str, None]) -> str:
    """Merge "Peskov" with "Dmitry Peskov": two person-like names (at most four capitalised
    words) where one ends the other. "China" and "Ministry of Foreign Affairs of China", or an
    organisation and a phrase that coordinates it with another, stay apart. ``names`` maps
    each lower-cased name seen to its group key; ``people`` holds the person-like ones."""
    clean = re.sub(r"\s+", " ", name).strip()
    k = clean.lower()
    if k in names:
        return names[k]
    if _person_like(clean):
        people[k] = None
        words = k.split(" ")
        for other in people:
            if other == k:
                continue
            key = names[other]
            # the name must fit the other name and the group's own name ("Lena Olsen" does not
            # join "Dara Olsen" through a bare "Olsen")
            if _ends_alike(words, other.split(" ")) and _ends_alike(words, key.split(" ")):
                names[k] = key
                return key
    names[k] = k
    return k


def _ends_alike(a: list[str], b: list[str]) -> bool:
    short, long_ = sorted((a, b), key=len)
    return long_[-len(short) :] == short


def _person_like(name: str) -> bool:
    words = name.split(" ")
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words)


# --------------------------------------------------------------------------- main


def compare_story(
    articles: list[Article],
    enriched: dict[str, Enriched],
    embeddings: dict[str, np.ndarray] | None = None,
) -> Comparison:
    """Align the claims of a story's articles into facts and compare the outlets (never raises
    on odd input: articles without text or enrichment just contribute nothing)."""
    from newsprism.stories.framing import framing_terms
    from newsprism.stories.timeline import build_timeline

    articles = [a for a in articles if a is not None]
    outlets = list(dict.fromkeys(a.source or a.id for a in articles))
    claims: list[Claim] = []
    vec_rows: list[np.ndarray | None] = []
    per_article = max(MIN_CLAIMS_PER_ARTICLE, MAX_CLAIMS // max(1, len(articles)))
    for a in articles:
        en = enriched.get(a.id)
        try:
            cl = extract_claims(a, en)
        except Exception:
            log.exception("article %s: claim extraction failed", a.id)
            continue
        if len(cl) > per_article:  # pairwise work is quadratic: keep each article's lead
            log.warning(
                "article %s: comparing its first %d of %d sentences", a.id, per_article, len(cl)
            )
            cl = cl[:per_article]
        pre = embeddings.get(a.id) if embeddings else None
        rows: dict[tuple[int, int], int] = {}
        if pre is not None and en is not None and len(pre) == len(en.sentences):
            rows = {(x.start, x.end): r for r, x in enumerate(en.sentences)}
        for c in cl:
            if not is_content_sentence_claim(c):
                continue
            claims.append(c)
            r = rows.get((c.start, c.end))
            vec_rows.append(pre[r] if r is not None else None)  # pieces of split lines: embed
    missing = [i for i, v in enumerate(vec_rows) if v is None]
    if missing:
        from newsprism.nlp.pipeline import embed

        new = embed([claims[i].text for i in missing])
        for k, i in enumerate(missing):
            vec_rows[i] = new[k]
        if len({np.shape(v) for v in vec_rows}) > 1:  # precomputed rows from another encoder
            vec_rows = list(embed([c.text for c in claims]))
    vectors = (
        np.vstack([np.asarray(v, dtype=np.float32) for v in vec_rows])
        if vec_rows
        else np.zeros((0, 384), dtype=np.float32)
    )
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)

    score, cos = alignment_scores(claims, vectors)
    ctx = story_context(claims)
    _keyed_slot_bonus(claims, score, ctx)
    groups = group_claims(claims, score)
    ind_key = independence_keys(articles)
    story_places: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        story_places[c.outlet] |= c.places
    entity_spans: dict[tuple[str, str], tuple[int, int, str]] = {}
    from newsprism.stories.claims import entity_key

    claim_by_article: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        claim_by_article[c.article].append(c)
    for a in articles:
        en = enriched.get(a.id)
        if not en:
            continue
        for m in en.entities:
            for c in claim_by_article.get(a.id, []):
                if c.start <= m.start < c.end:
                    entity_spans.setdefault((c.id, entity_key(m)), (m.start, m.end, m.text))

    centroid = vectors.mean(axis=0) if len(vectors) else np.zeros(384, dtype=np.float32)
    facts: list[Fact] = []
    reps: list[int] = []
    _attach_cross_conflicts(claims, groups, score, cos, ind_key, story_places, entity_spans, ctx)
    if SECOND_FACTS:
        _attach_second_facts(claims, groups, score, ind_key)
    for g in groups:
        if len(g) == 1:
            rep = g[0]
        else:
            sub = cos[np.ix_(g, g)]
            rep = g[int(np.argmax(sub.sum(axis=1)))]
        gc = [claims[i] for i in g]
        fact_outlets = list(dict.fromkeys(c.outlet for c in gc))
        indep = len({ind_key.get(c.article, c.outlet) for c in gc})
        conflicts = (
            find_conflicts(claims, cos, g, ind_key, story_places, entity_spans, ctx, score)
            if indep > 1
            else []
        )
        status = "conflicting" if conflicts else ("corroborated" if indep >= 2 else "single-source")
        srcs = [Source(c.article, c.start, c.end, c.text, c.outlet, c.speaker) for c in gc]
        facts.append(
            Fact(
                id="",
                text=claims[rep].text,
                status=status,
                outlets=fact_outlets,
                sources=srcs,
                conflicts=conflicts,
                claims=gc,
                independent=indep,
                centrality=float(vectors[rep] @ centroid),
            )
        )
        reps.append(rep)
    first = {a.id: i for i, a in enumerate(articles)}
    order = sorted(
        range(len(facts)),
        key=lambda k: (
            -facts[k].independent,
            min(first.get(c.article, 0) for c in facts[k].claims),
            min(c.index for c in facts[k].claims),
        ),
    )
    facts = [facts[k] for k in order]
    reps = [reps[k] for k in order]
    for k, f in enumerate(facts, 1):
        f.id = f"f{k}"
    comp = Comparison(facts=facts, outlets=outlets, vectors=vectors[reps] if reps else None)
    comp.timeline = build_timeline(facts)
    try:
        comp.framing = framing_terms(articles, enriched, facts)
    except Exception:
        log.exception("framing failed")
    comp.quotes = quotes_by_speaker(articles, enriched)
    log.debug("compared %d articles: %d claims, %d facts", len(articles), len(claims), len(facts))
    return comp


def is_content_sentence_claim(c: Claim) -> bool:
    from newsprism.model import Sentence

    return is_content_sentence(Sentence(c.start, c.end, c.text))


# --------------------------------------------------------------------------- brief

REDUNDANT = 0.75  # cosine between two facts' representatives above which one is left out
KEY_MIN = 5


def brief_from_comparison(
    articles: list[Article], comparison: Comparison, max_facts: int = 10
) -> list[BriefLine]:
    """Key facts, what each outlet adds, conflicts (both sides) and the dated timeline."""
    facts = comparison.facts
    vecs = comparison.vectors
    lines: list[BriefLine] = []
    if not facts or max_facts <= 0:
        return lines
    idx = {f.id: i for i, f in enumerate(facts)}

    def cites(f: Fact) -> list[Citation]:
        seen: set[str] = set()
        out = []
        for s in f.sources:
            if s.article not in seen:
                seen.add(s.article)
                out.append(Citation(s.article, s.start, s.end))
        return out

    def redundant(i: int, chosen: list[int]) -> bool:
        if vecs is None or not chosen:
            return False
        return float(np.max(vecs[chosen] @ vecs[i])) >= REDUNDANT

    ranked = sorted(
        range(len(facts)),
        key=lambda i: (-min(facts[i].independent, 3), -facts[i].centrality),
    )
    key: list[int] = []
    n_key = min(max_facts, 10)
    for i in ranked:
        if len(key) >= n_key:
            break
        f = facts[i]
        if f.independent < 2 and len(key) >= min(KEY_MIN, n_key):
            break
        if f.status == "conflicting" or redundant(i, key):
            continue
        key.append(i)
    for i in key:
        lines.append(BriefLine(facts[i].text, cites(facts[i]), "key"))

    used = set(key)
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i in sorted(range(len(facts)), key=lambda i: -facts[i].centrality):
        f = facts[i]
        if f.status == "single-source" and i not in used:
            by_outlet[f.outlets[0]].append(i)
    per_outlet = max(1, max_facts // max(1, len(by_outlet)))
    for outlet in comparison.outlets:
        picked: list[int] = []
        for i in by_outlet.get(outlet, []):
            if len(picked) >= min(per_outlet, 3):
                break
            if redundant(i, key + picked):
                continue
            picked.append(i)
        for i in picked:
            lines.append(BriefLine(facts[i].text, cites(facts[i]), "adds"))

    for f in facts:
        if f.status != "conflicting":
            continue
        sides: list[Citation] = []
        texts: list[str] = []
        seen: set[str] = set()
        for cf in f.conflicts:
            for v in cf.values:
                if v.article in seen:
                    continue
                seen.add(v.article)
                src = next(s for s in f.sources if s.article == v.article)
                sides.append(Citation(src.article, src.start, src.end))
                texts.append(src.text)
        if sides:
            lines.append(BriefLine(" | ".join(texts), sides, "conflict"))

    shown = 0
    dated: set[str] = set()
    for entry in comparison.timeline:
        if shown >= max_facts:
            break
        fid = entry.get("fact")
        if fid not in idx or fid in dated:
            continue  # one timeline line per fact
        dated.add(fid)
        cs = [Citation(s["article"], s["start"], s["end"]) for s in entry["sources"]]
        lines.append(BriefLine(entry["text"], cs, "timeline"))
        shown += 1
    return lines
