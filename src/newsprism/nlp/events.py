"""Who did what to whom: PLOVER event records from the dependency parse of each sentence.

A trigger (a verb, a verb phrase like "opened fire", or an event noun like "talks") names the
action; its type comes from a lexicon data file users can extend (``data/event_lexicon.json``,
plus ``NEWSPRISM_EVENT_LEXICON=path``). The source actor is the subject (or the agent of a
passive), the target the object or a prepositional object. Control verbs hand their subject
down ("plans to visit"), object-control verbs their object ("urged X to withdraw"), light verbs
hand their subject to a noun ("held talks with"). Each event carries a mode (asserted,
hypothetical -- planned, conditional, obligation, possible -- or negated -- negation, denied),
the nearest dated expression of its sentence, a location (a place in a locative phrase), and
who reports it. Actors map to entity names and, through a small gazetteer
(``data/actors.tsv`` plus ``NEWSPRISM_ACTORS=path``), to a country code and a sector.
Everything here is rules over the parse; see docs/events.md.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.model import Attribution, DateMention, EntityMention, Event, EventMode, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

log = logging.getLogger(__name__)

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
)
LEXICON_ENV = "NEWSPRISM_EVENT_LEXICON"
ACTORS_ENV = "NEWSPRISM_ACTORS"

_LIST_KEYS = (
    "control",
    "object_control",
    "intent",
    "reporting",
    "light",
    "denial",
    "hypothetical_nouns",
    "hostile",
    "group_heads",
    "effort_heads",
)
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "him", "her", "them", "us"})
_FIRST_PERSON = frozenset({"we", "i", "us"})
_LEMMA_FIXES = {"stag": "stage", "sworn": "swear"}
_NOT_OBJECTS = frozenset(
    [
        "statement",
        "report",
        "details",
        "figure",
        "figures",
        "video",
        "photo",
        "result",
        "results",
        "data",
        "document",
    ]
)
#: what is said, not given, asked for or refused: "gave no other details", "delivered a
#: speech", "ask me that question", "declined comment" (lemmas; only for those kinds of event:
#: "defended the comments" is support, "share all that information" cooperation)
_SAID_OBJECTS = frozenset(
    {"detail", "information", "question", "interview", "speech", "comment", "answer", "explanation"}
)
#: participles that serve as prepositions or conjunctions, never as an event's verb
_PARTICIPLE_PREPS = frozenset(
    {
        "given",
        "provided",
        "providing",
        "including",
        "following",
        "according",
        "concerning",
        "regarding",
        "considering",
        "barring",
        "pending",
        "excluding",
    }
)
#: entity types a trigger word inside a name never is an event of ("Islamic Holy War"): an
#: actor's name, or a work's title
_NAMED = _ACTOR_LABELS | {"WORK_OF_ART"}
_LOCATIVE = frozenset(
    ["in", "at", "near", "inside", "outside", "across", "along", "around", "throughout"]
)
_TARGET_PREPS = ("to", "with", "against", "on", "upon", "into", "from", "at", "for", "toward")
_PLANNED_AUX = frozenset({"will", "shall", "'ll", "wo", "going"})
_POSSIBLE_AUX = frozenset({"could", "can", "may", "might", "ca"})
_OBLIGATION_AUX = frozenset({"should", "must", "ought"})
_PLANNED_ADJ = frozenset(
    ["planned", "proposed", "possible", "potential", "future", "expected", "upcoming"]
)
_NEGATORS = frozenset({"not", "n't", "never", "no"})
_POSSIBLE_CONTROL = frozenset({"consider", "hope", "wish"})


# -- data files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Trigger words and the grammatical word classes the extractor relies on."""

    verbs: dict[str, str]
    nouns: dict[str, str]
    phrases: dict[str, str]
    control: frozenset[str] = frozenset()
    object_control: frozenset[str] = frozenset()
    intent: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()
    light: frozenset[str] = frozenset()
    denial: frozenset[str] = frozenset()
    hypothetical_nouns: frozenset[str] = frozenset()
    hostile: frozenset[str] = frozenset()
    group_heads: frozenset[str] = frozenset()  # "a group of", "ten days of"
    effort_heads: frozenset[str] = frozenset()  # "a mediation effort" names a mediation


def _merge_lexicon(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: (dict(v) if isinstance(v, dict) else list(v)) for k, v in base.items()
    }
    for key, value in extra.items():
        if isinstance(value, dict):
            out.setdefault(key, {}).update({str(k).lower(): v for k, v in value.items()})
        elif isinstance(value, list):
            out[key] = list(out.get(key, [])) + [str(v).lower() for v in value]
    return out


def load_lexicon(extra: str | Path | None = None) -> Lexicon:
    """The shipped lexicon merged with ``extra`` (or ``$NEWSPRISM_EVENT_LEXICON``) if given.

    A type that is not a PLOVER type is dropped with a warning; a broken user file is logged
    and ignored (never fatal).
    """
    extra = extra or os.environ.get(LEXICON_ENV) or None
    return _lexicon(str(extra) if extra else None)


@lru_cache(maxsize=8)
def _lexicon(extra: str | None) -> Lexicon:
    raw = json.loads(
        resources.files("newsprism").joinpath("data/event_lexicon.json").read_text("utf-8")
    )
    if extra:
        try:
            raw = _merge_lexicon(raw, json.loads(Path(extra).read_text("utf-8")))
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("event lexicon %s ignored: %s", extra, exc)
    maps = {}
    for key in ("verbs", "nouns", "phrases"):
        good = {}
        for word, typ in (raw.get(key) or {}).items():
            if typ in PLOVER_TYPES:
                good[word.lower()] = typ
            else:
                log.warning("event lexicon: %r -> %r is not a PLOVER type; skipped", word, typ)
        maps[key] = good
    lists = {k: frozenset(str(w).lower() for w in raw.get(k) or []) for k in _LIST_KEYS}
    lists["hostile"] = frozenset(w.upper() for w in lists["hostile"])
    return Lexicon(maps["verbs"], maps["nouns"], maps["phrases"], **lists)


@dataclass(frozen=True)
class ActorInfo:
    country: str | None
    sector: str | None


@dataclass
class Gazetteer:
    """Word patterns -> country code and sector; lookups are on whole words, case-insensitive
    except for all-capital abbreviations ("US" is not "us")."""

    entries: dict[tuple[str, ...], ActorInfo] = field(default_factory=dict)
    longest: int = 1

    def add(self, pattern: str, country: str | None, sector: str | None) -> None:
        words = _words(pattern)
        if not words:
            return
        key = tuple(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
        self.entries[key] = ActorInfo(country or None, sector or None)
        self.longest = max(self.longest, len(key))

    def find(self, words: Sequence[str]) -> list[tuple[int, int, ActorInfo]]:
        """Longest matches, left to right, non-overlapping: ``(start, end, info)`` in word indices."""
        out: list[tuple[int, int, ActorInfo]] = []
        i = 0
        while i < len(words):
            hit = None
            for n in range(min(self.longest, len(words) - i), 0, -1):
                info = self._get(words[i : i + n])
                if info is not None:
                    hit = (i, i + n, info)
                    break
            if hit:
                out.append(hit)
                i = hit[1]
            else:
                i += 1
        return out

    def _get(self, words: Sequence[str]) -> ActorInfo | None:
        exact = tuple(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
        info = self.entries.get(exact)
        if info is None and len(words) == 1 and words[0].lower().endswith("s"):
            # plural demonyms: "Palestinians", "Israelis"
            base = self.entries.get((words[0].lower()[:-1],))
            if base is not None and base.country:
                return ActorInfo(base.country, None)
        if info is None and words and not any(w.isupper() and len(w) > 1 for w in words):
            return None
        return info


_WORD_RE = re.compile(r"[A-Za-z][\w.'/-]*[\w.]|[A-Za-z]")


def _words(text: str) -> list[str]:
    out = []
    for w in _WORD_RE.findall(text):
        if w.endswith("'s"):
            w = w[:-2]
        if w.endswith(".") and w.count(".") == 1:
            w = w[:-1]
        out.append(w)
    return out


def _read_gazetteer(text: str, gaz: Gazetteer) -> None:
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.rstrip("\n").split("\t")
        country = parts[1].strip() if len(parts) > 1 else ""
        sector = parts[2].strip() if len(parts) > 2 else ""
        gaz.add(parts[0].strip(), None if country in ("", "-") else country, sector or None)


def load_gazetteer(extra: str | Path | None = None) -> Gazetteer:
    """The shipped actor gazetteer plus ``extra`` (or ``$NEWSPRISM_ACTORS``); later lines win."""
    extra = extra or os.environ.get(ACTORS_ENV) or None
    return _gazetteer(str(extra) if extra else None)


@lru_cache(maxsize=8)
def _gazetteer(extra: str | None) -> Gazetteer:
    gaz = Gazetteer()
    _read_gazetteer(
        resources.files("newsprism").joinpath("data/actors.tsv").read_text("utf-8"), gaz
    )
    if extra:
        try:
            _read_gazetteer(Path(extra).read_text("utf-8"), gaz)
        except OSError as exc:
            log.warning("actor gazetteer %s ignored: %s", extra, exc)
    return gaz


def actor_info(text: str, gazetteer: Gazetteer | None = None, head: str | None = None) -> ActorInfo:
    """Country and sector of an actor phrase ("Russian troops" -> RUS, military).

    The country is the first country-bearing match; the sector that of the match covering the
    head word, else the last sector named; a bare country, capital or seat of power is its
    government.
    """
    gaz = gazetteer or load_gazetteer()
    words = _words(text)
    matches = gaz.find(words)
    country = next((info.country for _, _, info in matches if info.country), None)
    head_i = None
    if head:
        hw = _words(head)
        if hw:
            idx = [i for i, w in enumerate(words) if w == hw[-1]]
            head_i = idx[-1] if idx else None
    sector = None
    for s, e, info in matches:
        if head_i is not None and s <= head_i < e and info.sector:
            sector = info.sector
    if sector is None:
        sectors = [info.sector for _, _, info in matches if info.sector]
        if sectors:
            sector = sectors[-1]
    if sector is None and country and matches and len(matches) == 1:
        s, e, info = matches[0]
        covers_head = head_i is None or s <= head_i < e
        if covers_head and e - s == len(words) and not _is_demonym(words[s:e], gaz):
            sector = "government"
    return ActorInfo(country, sector)


def _is_demonym(words: Sequence[str], gaz: Gazetteer) -> bool:
    return (
        len(words) == 1
        and words[0].lower().endswith("s")
        and gaz._get(words) is not None
        and ((words[0].lower(),) not in gaz.entries)
    )


def _lem(t: Token) -> str:
    lemma = t.lemma_.lower()
    return _LEMMA_FIXES.get(lemma, lemma)


# -- extraction --------------------------------------------------------------------------------


@dataclass
class _Cand:
    tok: Token
    type: str
    start: int  # token indices of the trigger span (inclusive start, exclusive end)
    end: int
    noun: bool = False
    intent: bool = False
    rank: float = 0.0
    sent_index: int = 0
    event: Event | None = None
    sent: SpacySpan | None = None
    obligation_speaker: str | None = None


@dataclass
class _Ctx:
    doc: Doc
    lex: Lexicon
    gaz: Gazetteer
    mentions: list[EntityMention]
    by_token: dict[int, EntityMention]
    dates: list[DateMention]
    attributions: list[Attribution]
    text: str = ""


def extract_events(
    doc: Doc,
    entities: Sequence[EntityMention] = (),
    dates: Sequence[DateMention] = (),
    attributions: Sequence[Attribution] = (),
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Event]:
    """Every event in a parsed article, in text order."""
    found = _extract(doc, entities, dates, attributions, lexicon, gazetteer)
    return [c.event for c in found if c.event is not None]


def primary_events(
    doc: Doc,
    entities: Sequence[EntityMention] = (),
    dates: Sequence[DateMention] = (),
    attributions: Sequence[Attribution] = (),
    lexicon: Lexicon | None = None,
    gazetteer: Gazetteer | None = None,
) -> dict[int, Event]:
    """The main event of each sentence (by sentence index): the trigger highest in the parse,
    reporting verbs aside; a complement ("to ban" under "threatened") ranks below its verb."""
    best: dict[int, _Cand] = {}
    for c in _extract(doc, entities, dates, attributions, lexicon, gazetteer):
        old = best.get(c.sent_index)
        if old is None or (c.rank, c.tok.i) < (old.rank, old.tok.i):
            best[c.sent_index] = c
    return {i: c.event for i, c in best.items() if c.event is not None}


def _extract(doc, entities, dates, attributions, lexicon, gazetteer) -> list[_Cand]:
    ctx = _Ctx(
        doc=doc,
        lex=lexicon or load_lexicon(),
        gaz=gazetteer or load_gazetteer(),
        mentions=list(entities),
        by_token={},
        dates=[d for d in dates if d.value],
        attributions=list(attributions),
        text=doc.text,
    )
    for m in ctx.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                ctx.by_token.setdefault(t.i, m)
    found: list[_Cand] = []
    for si, sent in enumerate(doc.sents):
        cands = _triggers(sent, ctx)
        for c in cands:
            c.sent_index = si
            c.sent = sent
            try:
                c.event = _build(c, ctx)
            except Exception:  # pragma: no cover - defensive: one odd parse never stops a run
                log.exception("event at %d: could not be built", c.tok.idx)
                c.event = None
        found.extend(c for c in cands if c.event is not None)
        found.extend(_denials(sent, si, ctx, found))
    found.sort(key=_trigger_key)
    return found


def _trigger_key(c: _Cand) -> tuple[int, int]:
    return (c.event.trigger.start, c.event.trigger.end) if c.event else (c.tok.idx, c.tok.idx)


def _triggers(sent: SpacySpan, ctx: _Ctx) -> list[_Cand]:
    lex = ctx.lex
    out: list[_Cand] = []
    typ: str | None
    for t in sent:
        lemma = _lem(t)
        if t.ent_type_ in _NAMED and t.pos_ in ("NOUN", "PROPN"):
            continue  # a word of a name ("Islamic Holy War", "Congolese Rally for Democracy")
        if t.dep_ == "prep" and t.lower_ in _PARTICIPLE_PREPS:
            continue  # "Given the exotic locales, ...", "provided he go into exile"
        if t.pos_ == "VERB" and t.dep_ not in ("amod", "compound"):
            ph = _phrase(t, lex)
            if lemma in lex.reporting and not ph:
                continue
            if _light_noun(t, lex) is not None and (lemma in lex.light or not ph):  # noqa: SIM102
                if lemma in lex.light or lemma not in lex.verbs:
                    continue
            if ph:
                typ, other = ph
                out.append(_Cand(t, typ, min(t.i, other.i), max(t.i, other.i) + 1))
                continue
            if lemma in lex.intent and _complement(t) is not None:
                out.append(_Cand(t, "AGREE", t.i, t.i + 1, intent=True))
                continue
            typ = lex.verbs.get(lemma)
            if typ and _verb_ok(t, lemma, typ, ctx):
                out.append(_Cand(t, typ, t.i, t.i + 1))
        elif t.pos_ == "ADJ" and lemma in lex.intent and _complement(t) is not None:
            out.append(_Cand(t, "AGREE", t.i, t.i + 1, intent=True))
        elif t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound":
            typ, start = _noun_type(t, lex)
            if typ and _noun_ok(t, ctx):
                out.append(_Cand(t, typ, start, t.i + 1, noun=True))
    for c in out:
        c.rank = _rank(c, ctx)
    return out


def _phrase(t: Token, lex: Lexicon) -> tuple[str, Token] | None:
    lemma = _lem(t)
    for c in t.children:
        if c.dep_ in ("prt", "dobj", "prep", "acomp", "advmod"):
            key = f"{lemma} {_lem(c)}"
            if key in lex.phrases:
                return lex.phrases[key], c
            if c.dep_ == "dobj" and _lem(c).endswith("s"):
                key = f"{lemma} {_lem(c)[:-1]}"
                if key in lex.phrases:
                    return lex.phrases[key], c
    return None


def _noun_type(t: Token, lex: Lexicon) -> tuple[str | None, int]:
    """Type of an event noun and the first token of its trigger ("hunger strike", "mediation
    effort" -> a mediation)."""
    lemma, low = _lem(t), t.text.lower()
    for c in t.children:
        if c.dep_ in ("compound", "amod") and c.i < t.i:
            for key in (f"{_lem(c)} {lemma}", f"{c.text.lower()} {low}"):
                if key in lex.phrases:
                    return lex.phrases[key], c.i
    typ = lex.nouns.get(low) or lex.nouns.get(lemma)
    if typ is None and lemma in lex.effort_heads:
        for c in t.children:
            if c.dep_ in ("compound", "amod") and c.i < t.i:
                inner = lex.nouns.get(c.lower_) or lex.nouns.get(_lem(c))
                if inner:
                    return inner, c.i
    return typ, t.i


def _noun_top(t: Token, lex: Lexicon) -> Token:
    """The noun phrase an event noun stands in: '10 days of war games' -> days."""
    for _ in range(3):
        head = t.head
        if t.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
            top = head.head
            if _lem(top) in lex.group_heads or top.lower_ in lex.group_heads:
                t = top
                continue
        break
    return t


def _light_noun(v: Token, lex: Lexicon) -> Token | None:
    for c in v.children:
        if c.dep_ in ("dobj", "attr"):
            if _noun_type(c, lex)[0]:
                return c
            if _lem(c) in lex.group_heads:
                for g in c.subtree:
                    if g.dep_ == "pobj" and _noun_top(g, lex).i == c.i and _noun_type(g, lex)[0]:
                        return g
    return None


def _light_governor(t: Token, lex: Lexicon) -> Token | None:
    """The light or reporting verb a noun trigger is the object of ('held talks')."""
    top = _noun_top(t, lex)
    if top.dep_ in ("dobj", "attr") and top.head.pos_ in ("VERB", "AUX"):
        hl = _lem(top.head)
        if hl in lex.light or hl in lex.reporting:
            return top.head
    return None


def _verb_ok(t: Token, lemma: str, typ: str, ctx: _Ctx) -> bool:
    dobj = next((c for c in t.children if c.dep_ == "dobj"), None)
    if dobj is not None and _lem(dobj) in _NOT_OBJECTS:
        return False
    if typ in ("AID", "DEMAND", "REJECT") and any(
        c.dep_ == "dobj" and _lem(c) in _SAID_OBJECTS for c in t.children
    ):
        return False  # (any object: "asked him that question" has two)
    if lemma == "meet" and any(_lem(c) == "end" for c in t.children if c.dep_ == "nsubj"):
        return False  # "to make ends meet"
    if lemma == "call":
        preps = {_lem(c) for c in t.children if c.dep_ in ("prep", "prt")}
        return bool(preps & {"on", "for", "upon"}) or _complement(t) is not None
    if lemma in ("fire", "strike", "block", "free", "share", "hold", "march", "support"):
        return t.dep_ not in ("amod",) and (dobj is not None or lemma != "share")
    return True


def _noun_ok(t: Token, ctx: _Ctx) -> bool:
    """An event noun counts when it has a participant: a possessor, an actor in a prepositional
    phrase, or a light verb whose subject performs it."""
    if _light_governor(t, ctx.lex) is not None:
        return True
    for c in t.children:
        if c.dep_ == "poss":
            return True
        if c.dep_ == "prep" and _lem(c) in ("with", "between", "to", "against", "by"):
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and _actor_like(obj, ctx):
                return True
        if c.dep_ in ("amod", "compound") and c.i < t.i and _actor_like(c, ctx):
            return True
    return False


def _complement(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c
    for c in t.children:  # "have sworn to fight" parsed as a purpose clause
        if (
            c.dep_ == "advcl"
            and c.i > t.i
            and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
        ):
            return c
    for c in t.children:  # "ready for talks", "committed to opening up"
        if c.dep_ == "prep":
            for g in c.children:
                if g.dep_ == "pcomp" and g.pos_ == "VERB":
                    return g
    return None


def _rank(c: _Cand, ctx: _Ctx) -> float:
    """Depth of the trigger below its sentence's root; reporting verbs and light verbs are free,
    purpose clauses and modifiers cost extra."""
    depth = 0.0
    t = c.tok
    if c.noun:
        gov = _light_governor(t, ctx.lex)
        if gov is not None:
            t = gov
        else:
            depth += 0.5
    while t.head.i != t.i:
        head = t.head
        if _lem(head) in ctx.lex.reporting and t.dep_ in ("ccomp", "xcomp", "parataxis"):
            depth += 0.1
        elif t.dep_ in ("advcl", "relcl", "acl", "pcomp", "prep", "pobj", "npadvmod"):
            depth += 1.5
        else:
            depth += 1.0
        t = head
    return depth


# -- actors ------------------------------------------------------------------------------------


@dataclass
class _Actor:
    name: str
    span: Span
    country: str | None
    sector: str | None


def _actor_like(t: Token, ctx: _Ctx) -> bool:
    if t.i in ctx.by_token and ctx.by_token[t.i].label in _ACTOR_LABELS:
        return True
    if t.ent_type_ in _ACTOR_LABELS:
        return True
    if t.lower_ in _PRONOUNS and t.pos_ == "PRON":
        return True
    words = _words(t.text)
    if words and ctx.gaz.find(words):
        return True
    return any(
        c.dep_ in ("amod", "compound", "poss", "nmod") and _actor_like(c, ctx)
        for c in t.children
        if c.i < t.i
    )


def _noun_head(t: Token, lex: Lexicon | None = None) -> Token:
    """'a group of diplomats' -> diplomats."""
    lex = lex or load_lexicon()
    for _ in range(3):
        if _lem(t) in lex.group_heads or t.lower_ in lex.group_heads:
            of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of else None
            if obj is None:
                break
            t = obj
        else:
            break
    return t


def _phrase_tokens(h: Token) -> tuple[int, int]:
    """Token range of the actor phrase headed by ``h``: its modifiers, names in apposition and an
    'of'/'in' phrase after a role noun."""
    left = h.i
    for c in h.lefts:
        if c.dep_ in ("compound", "amod", "poss", "nmod", "nn", "npadvmod", "quantmod"):
            left = min(left, c.left_edge.i)
    while left < h.i and h.doc[left].dep_ in ("det", "predet", "punct", "nummod", "cc"):
        left += 1
    right = h.i
    for c in h.rights:
        if (c.dep_ == "appos" and c.pos_ == "PROPN") or (
            c.dep_ == "prep"
            and h.pos_ != "PROPN"
            and (c.lower_ == "of" or (c.lower_ in ("in", "from") and h.tag_ in ("NNS", "NNPS")))
        ):
            right = max(right, c.right_edge.i)
        elif c.dep_ in ("compound", "flat"):
            right = max(right, c.i)
        else:
            break
    return left, right + 1


def _actor(h: Token | None, ctx: _Ctx, seen: int = 0) -> _Actor | None:
    if h is None or seen > 3:
        return None
    doc = ctx.doc
    if h.dep_ == "prep":
        h = next((g for g in h.children if g.dep_ == "pobj"), None)
        if h is None:
            return None
    h = _noun_head(h)
    if h.pos_ == "PRON":
        return _pronoun_actor(h, ctx, seen)
    if h.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PART"):
        return None
    a, b = _phrase_tokens(h)
    span = Span(doc[a].idx, doc[b - 1].idx + len(doc[b - 1]), "")
    text = ctx.text[span.start : span.end]
    span = Span(span.start, span.end, text)
    mention = _mention_for(h, a, b, ctx)
    if mention is not None:
        name = mention.canonical or mention.name
        if mention.label == "NORP" or (
            mention.label == "GPE" and h.i not in _mention_toks(mention, ctx)
        ):
            name = _clean(text)
    else:
        name = _clean(text)
    info_text = text if mention is None or not mention.role else f"{mention.role} {text}"
    info = actor_info(info_text, ctx.gaz, head=h.text)
    if info.country is None and mention is not None:
        info2 = actor_info(mention.name, ctx.gaz)
        info = ActorInfo(info2.country, info.sector or info2.sector)
    return _Actor(name, span, info.country, info.sector)


def _mention_toks(m: EntityMention, ctx: _Ctx) -> set[int]:
    return {i for i, mm in ctx.by_token.items() if mm is m}


def _mention_for(h: Token, a: int, b: int, ctx: _Ctx) -> EntityMention | None:
    m = ctx.by_token.get(h.i)
    if m is not None and m.label in _ACTOR_LABELS:
        return m
    inside = [ctx.by_token[i] for i in range(a, b) if i in ctx.by_token]
    for label in ("PERSON", "ORG", "GPE", "NORP"):
        for m in inside:
            if m.label == label:
                return m
    return None


def _clean(text: str) -> str:
    text = re.sub(r"^(?:the|a|an|some|up to|at least|more than)\s+", "", text.strip(), flags=re.I)
    return " ".join(text.split()).strip(" ,.;:'\"“”")


def _pronoun_actor(p: Token, ctx: _Ctx, seen: int) -> _Actor | None:
    low = p.lower_
    if low in _FIRST_PERSON:
        name = _reporter_of(p, ctx)
        if name:
            info = actor_info(name, ctx.gaz)
            span = Span(p.idx, p.idx + len(p), p.text)
            return _Actor(name, span, info.country, info.sector)
        return None
    # the subject of a reporting verb above: "Syria says it is willing ..."
    t = p.head
    while t.head.i != t.i:
        if _lem(t) in ctx.lex.reporting and t.pos_ == "VERB":
            subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ != "PRON":
                return _actor(subj, ctx, seen + 1)
        t = t.head
    t = p.head
    while t.i != t.head.i and t.dep_ in ("xcomp", "ccomp", "advcl", "conj"):
        t = t.head
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.pos_ != "PRON" and subj.i < p.i:
            return _actor(subj, ctx, seen + 1)
    # nearest earlier named actor of a fitting kind
    labels = {"he": ("PERSON",), "she": ("PERSON",), "him": ("PERSON",), "her": ("PERSON",)}.get(
        low, ("GPE", "ORG", "NORP", "PERSON")
    )
    best = None
    for m in ctx.mentions:
        if m.end <= p.idx and m.label in labels and p.idx - m.end < 600:
            best = m
    if best is None:
        return None
    info = actor_info(f"{best.role} {best.name}" if best.role else best.name, ctx.gaz)
    span = Span(p.idx, p.idx + len(p), p.text)
    return _Actor(best.canonical or best.name, span, info.country, info.sector)


def _reporter_of(t: Token, ctx: _Ctx) -> str | None:
    """Who reports the clause holding ``t``: an attribution whose content covers it, else the
    subject of a reporting verb or the object of 'according to' above it."""
    pos = t.idx
    for a in ctx.attributions:
        if any(c.start <= pos < c.end for c in a.content):
            if a.speaker:
                return a.speaker
            if a.source is not None:
                return _clean(a.source.text)
    cur = t
    while True:
        for c in cur.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                to = next((g for g in c.children if g.lower_ == "to"), None)
                obj = next((g for g in to.children if g.dep_ == "pobj"), None) if to else None
                if obj is not None:
                    actor = _actor(obj, ctx, 3)
                    if actor:
                        return actor.name
        if cur.head.i == cur.i:
            break
        head = cur.head
        if _lem(head) in ctx.lex.reporting and cur.dep_ in ("ccomp", "parataxis", "xcomp"):
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ != "PRON":
                actor = _actor(subj, ctx, 3)
                if actor:
                    return actor.name
        cur = head
    return None


def _subject(v: Token, ctx: _Ctx) -> tuple[Token | None, bool]:
    """The agent of verb ``v`` and whether ``v`` is passive (then its subject is the patient)."""
    subj = next((c for c in v.children if c.dep_ in ("nsubj", "csubj")), None)
    if subj is not None:
        if subj.lower_ in ("who", "which", "that") and v.dep_ == "relcl":
            return v.head, False
        return subj, False
    agent = next((c for c in v.children if c.dep_ == "agent"), None)
    if agent is not None:
        return next((g for g in agent.children if g.dep_ == "pobj"), None), True
    if any(c.dep_ == "nsubjpass" for c in v.children):
        return None, True
    head = v.head
    if head.i == v.i:
        return None, False
    if v.dep_ == "xcomp" or (v.dep_ == "pcomp" and head.dep_ == "prep"):
        gov = head if v.dep_ == "xcomp" else head.head
        if _lem(gov) in ctx.lex.object_control:
            obj = next((c for c in gov.children if c.dep_ in ("dobj", "dative")), None)
            if obj is None:
                prep = next(
                    (c for c in gov.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")),
                    None,
                )
                obj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep else None
            if obj is not None:
                return obj, False
        if gov.pos_ in ("ADJ",):
            gov = gov.head
        return _subject(gov, ctx)[0], False
    if v.dep_ in ("conj", "advcl") and head.pos_ in ("VERB", "AUX"):
        return _subject(head, ctx)[0], False
    if v.dep_ == "relcl":
        return head, False
    if v.dep_ == "acl" and head.dep_ in ("dobj", "attr") and head.head.pos_ == "VERB":
        return _subject(head.head, ctx)[0], False  # "issued a declaration demanding ..."
    return None, False


def _target(v: Token, ctx: _Ctx, passive: bool) -> Token | None:
    if passive:
        pat = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        if pat is not None:
            return pat
    dative = next((c for c in v.children if c.dep_ == "dative"), None)
    if dative is not None:
        inner = next((g for g in dative.children if g.dep_ == "pobj"), None)
        return inner or dative
    dobj = next((c for c in v.children if c.dep_ == "dobj"), None)
    own = dobj is not None and any(
        g.dep_ == "poss" and g.lower_ in _OWN_POSSESSIVES for g in dobj.children
    )  # "withdrew its troops from X": the troops are the source's own
    if (
        dobj is not None
        and not own
        and _actor_like(_noun_head(dobj), ctx)
        and _own_actor(dobj, ctx)
    ):
        return dobj
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and _actor_like(obj, ctx):
                return obj
            if obj is not None:  # "hack into the computers of X's army"
                inner = _of_actor(obj, ctx)
                if inner is not None:
                    return inner
    if dobj is not None:
        inner = _inner_actor(dobj, ctx)
        if inner is not None:
            return inner
        for c in dobj.children:  # "an appeal from X", "mediation between X and Y"
            if c.dep_ == "prep" and c.lower_ in (
                "from", "between", "with", "by", "to", "on", "against",
            ):  # fmt: skip
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and _actor_like(obj, ctx):
                    return obj
    for c in v.children:
        if c.dep_ == "ccomp":
            subj = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.pos_ != "PRON":
                return subj
    comp = _complement(v)
    if comp is not None:
        t = _target(comp, ctx, any(c.dep_ == "auxpass" for c in comp.children))
        if t is not None:
            return t
    if dobj is not None:
        return dobj
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in _LOCATIVE:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and _actor_like(obj, ctx):
                return obj
    return None


_OWN_POSSESSIVES = frozenset({"its", "their", "his", "her", "our", "my"})


def _of_actor(t: Token, ctx: _Ctx) -> Token | None:
    """An actor inside a non-actor noun: 'the computers of South Korean officers'."""
    inner = _inner_actor(t, ctx)
    if inner is not None:
        return inner
    of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if obj is not None and _actor_like(obj, ctx):
        return obj
    return None


def _own_actor(t: Token, ctx: _Ctx) -> bool:
    """The noun itself is an actor (not just modified by one: 'Palestinian homes')."""
    h = _noun_head(t)
    if h.i in ctx.by_token or h.pos_ in ("PROPN", "PRON"):
        return True
    return bool(ctx.gaz.find(_words(h.text)))


def _inner_actor(t: Token, ctx: _Ctx) -> Token | None:
    for c in t.children:
        if c.i < t.i and c.dep_ in ("poss", "amod", "compound", "nmod") and _actor_like(c, ctx):
            return c
    return None


def _noun_args(n: Token, ctx: _Ctx) -> tuple[Token | None, Token | None, Token | None]:
    """Source, target and governing verb of an event noun."""
    source = target = None
    gov = None
    top = _noun_top(n, ctx.lex)
    if top.dep_ in ("dobj", "attr", "nsubjpass", "nsubj") and top.head.pos_ in ("VERB", "AUX"):
        gov = top.head
    for c in n.children:
        if c.dep_ == "poss" or (
            c.dep_ in ("amod", "compound") and c.i < n.i and source is None and _actor_like(c, ctx)
        ):
            source = c
        elif c.dep_ == "prep":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is None:
                continue
            p = c.lower_
            if p == "by" and source is None:
                source = obj
            elif p in ("with", "to", "against", "on", "into", "from", "between") and target is None:
                if p == "between" and source is None:
                    source = obj
                    conj = next((g for g in obj.children if g.dep_ == "conj"), None)
                    target = conj
                elif _actor_like(obj, ctx) or p in ("to", "against"):
                    target = obj
    if gov is not None and _light_governor(n, ctx.lex) is not None:
        subj, passive = _subject(gov, ctx)
        if subj is not None and not passive:
            if source is not None and source.dep_ in ("amod", "compound"):
                target = target or source
            source = subj
        if target is None:
            for c in gov.children:
                if c.dep_ == "prep" and c.lower_ in ("with", "against", "to", "on", "between"):
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if obj is not None and (_actor_like(obj, ctx) or c.lower_ == "between"):
                        target = obj
                        break
    return source, target, gov


# -- mode, date, place, reporter ---------------------------------------------------------------


_CLAUSAL = frozenset({"xcomp", "ccomp", "conj", "pcomp", "acomp", "advcl", "prep", "pobj"})
_PLAN_CONTROL = frozenset({"plan", "intend", "want", "prepare", "aim", "expect", "seek"})
_REFUSE = frozenset({"refuse", "decline", "fail", "reject"})


def _mode(c: _Cand, chain_start: Token, ctx: _Ctx) -> tuple[EventMode, str | None]:
    """(mode, modality) from the trigger and the clause chain above it, up to a reporting verb."""
    lex = ctx.lex
    negated = denied = False
    modality: str | None = None
    if c.noun:
        for ch in c.tok.children:
            if ch.dep_ == "amod" and ch.lower_ in _PLANNED_ADJ:
                modality = "planned"
            if ch.dep_ == "det" and ch.lower_ == "no":
                negated = True
    t = chain_start
    for _ in range(10):
        for ch in t.children:
            low, lemma = ch.lower_, _lem(ch)
            if ch.dep_ == "neg" or (ch.dep_ == "advmod" and low == "never"):
                negated = True
            elif ch.dep_ == "aux":
                if low in _PLANNED_AUX or lemma == "will":
                    modality = modality or "planned"
                elif lemma == "would":
                    planned = _under_reporting(t, lex)
                    modality = modality or ("planned" if planned else "possible")
                elif low in _POSSIBLE_AUX:
                    modality = modality or "possible"
                elif low in _OBLIGATION_AUX:
                    modality = modality or "obligation"
        if t.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in t.children
        ):
            modality = modality or "conditional"
        for ch in t.children:  # the event is what happens unless / if something else happens
            if ch.dep_ == "advcl" and any(g.dep_ == "mark" for g in ch.children):
                mark = next(g.lower_ for g in ch.children if g.dep_ == "mark")
                if mark == "unless":
                    modality = "ultimatum"
                elif mark == "if" and modality in (None, "planned", "possible"):
                    modality = "conditional"
        head = t.head
        if head.i == t.i:
            break
        dep, hl = t.dep_, _lem(head)
        if hl in lex.denial and dep in ("ccomp", "xcomp", "dobj", "nsubjpass"):
            denied = True
            break
        if dep in ("xcomp", "pcomp", "acomp") or (dep == "prep" and head.pos_ in ("VERB", "ADJ")):
            if hl in _PLAN_CONTROL or hl in lex.intent:
                modality = modality or "planned"
            elif hl in _POSSIBLE_CONTROL:
                modality = modality or "possible"
            elif hl in _REFUSE:
                negated = True
            elif lex.verbs.get(hl) == "THREATEN":
                modality = modality or "planned"
            elif lex.verbs.get(hl) == "DEMAND" or hl in lex.object_control:
                modality = modality or "obligation"
        if dep == "prep" and _lem(head) in lex.hypothetical_nouns:
            modality = modality or "possible"
        if hl in lex.reporting and dep in ("ccomp", "xcomp", "parataxis"):
            break
        if dep not in _CLAUSAL:
            break
        t = head
    if denied:
        return "negated", "denied"
    if negated:
        return "negated", "negation"
    if modality:
        return "hypothetical", modality
    return "asserted", None


def _under_reporting(t: Token, lex: Lexicon) -> bool:
    while t.head.i != t.i:
        if _lem(t.head) in lex.reporting and t.dep_ in ("ccomp", "parataxis"):
            return True
        t = t.head
    return False


def _date(trigger: Span, sent: SpacySpan, ctx: _Ctx) -> DateMention | None:
    mid = (trigger.start + trigger.end) / 2
    best = None
    best_d = None
    for d in ctx.dates:
        if d.start >= sent.start_char and d.end <= sent.end_char and d.type in ("DATE", "TIME"):
            dist = abs((d.start + d.end) / 2 - mid)
            if best_d is None or dist < best_d:
                best, best_d = d, dist
    return best


def _location(tokens: Iterable[Token | None], ctx: _Ctx) -> tuple[str, Span] | None:
    for t in tokens:
        if t is None:
            continue
        for c in t.children:
            if c.dep_ != "prep" or c.lower_ not in _LOCATIVE:
                continue
            for g in c.subtree:
                m = ctx.by_token.get(g.i)
                label = m.label if m is not None else g.ent_type_
                if label in _PLACE_LABELS:
                    if m is not None:
                        return m.canonical or m.name, Span(m.start, m.end, m.text)
                    ent = next((e for e in ctx.doc.ents if e.start <= g.i < e.end), None)
                    if ent is not None:
                        return ent.text, Span(ent.start_char, ent.end_char, ent.text)
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ == "PROPN":  # a place the gazetteer knows
                a, b = _phrase_tokens(obj)
                while a < b and ctx.doc[a].pos_ != "PROPN":
                    a += 1
                start, end = ctx.doc[a].idx, ctx.doc[b - 1].idx + len(ctx.doc[b - 1])
                text = ctx.text[start:end]
                if actor_info(text, ctx.gaz).country and ctx.gaz.find(_words(text)):
                    return text, Span(start, end, text)
    return None


# -- assembly ----------------------------------------------------------------------------------


def _build(c: _Cand, ctx: _Ctx) -> Event | None:
    doc = ctx.doc
    sent = c.sent
    trig = Span(doc[c.start].idx, doc[c.end - 1].idx + len(doc[c.end - 1]), "")
    trig = Span(trig.start, trig.end, ctx.text[trig.start : trig.end])
    gov = None
    if c.noun:
        src_tok, tgt_tok, gov = _noun_args(c.tok, ctx)
        chain = (
            gov if gov is not None and _noun_top(c.tok, ctx.lex).dep_ in ("dobj", "attr") else c.tok
        )
    else:
        src_tok, passive = _subject(c.tok, ctx)
        tgt_tok = _target(c.tok, ctx, passive)
        chain = c.tok
    typ = c.type
    if c.intent:
        comp = _complement(c.tok)
        comp_type = _complement_type(comp, ctx) if comp is not None else None
        typ = "THREATEN" if comp_type in ctx.lex.hostile else "AGREE"
        if c.tok.pos_ == "ADJ":
            src_tok = src_tok or _subject(c.tok.head, ctx)[0]
    if tgt_tok is not None and c.start <= tgt_tok.i < c.end:
        tgt_tok = None  # "expressed concern": the object is part of the trigger
    source = _actor(src_tok, ctx)
    target = _actor(tgt_tok, ctx)
    if target is not None and source is not None and target.span == source.span:
        target = None
    mode, modality = _mode(c, chain, ctx)
    date = _date(trig, sent, ctx) if sent is not None else None
    objects = [g for g in c.tok.children if g.dep_ in ("dobj", "nsubjpass")]
    loc = _location([c.tok, gov, tgt_tok, *objects], ctx)
    reporter = _reporter_of(c.tok, ctx)
    ev = Event(
        type=typ,
        source_actor=source.name if source else None,
        target_actor=target.name if target else None,
        trigger=trig,
        mode=mode,
        modality=modality,
        source_span=source.span if source else None,
        target_span=target.span if target else None,
        source_country=source.country if source else None,
        source_sector=source.sector if source else None,
        target_country=target.country if target else None,
        target_sector=target.sector if target else None,
        date=date.value if date else None,
        date_span=Span(date.start, date.end, date.text) if date else None,
        location=loc[0] if loc else None,
        location_span=loc[1] if loc else None,
        reporter=reporter,
    )
    ev.plover_type = plover_code(ev, ctx.lex)
    return ev


def _complement_type(comp: Token, ctx: _Ctx) -> str | None:
    lemma = _lem(comp)
    ph = _phrase(comp, ctx.lex)
    if ph:
        return ph[0]
    if lemma in ctx.lex.verbs:
        return ctx.lex.verbs[lemma]
    noun = _light_noun(comp, ctx.lex)
    if noun is not None:
        return _noun_type(noun, ctx.lex)[0]
    inner = _complement(comp)
    return _complement_type(inner, ctx) if inner is not None else None


def plover_code(ev: Event, lexicon: Lexicon | None = None) -> str:
    """The PLOVER coding of an event, as its gold records code statements about the future:
    a planned cooperative act is AGREE, a planned or conditional hostile act THREATEN, a planned
    or negated cooperative act that is refused REJECT, "X must/should ..." a DEMAND."""
    lex = lexicon or load_lexicon()
    hostile = ev.type in lex.hostile
    if ev.modality == "obligation" and ev.type not in ("DEMAND", "THREATEN"):
        return "DEMAND"
    if ev.mode == "negated" and ev.modality == "negation" and not hostile:
        return "REJECT"
    if ev.mode == "hypothetical" and ev.modality == "ultimatum":
        return ev.type if ev.type in ("DEMAND", "THREATEN") else "THREATEN"
    if ev.mode == "hypothetical" and ev.modality in ("planned", "conditional"):
        if ev.type in ("DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "AGREE"):
            return ev.type
        return "THREATEN" if hostile else "AGREE"
    return ev.type


def plover_view(ev: Event) -> tuple[str, str | None, str | None]:
    """(type, source, target) as PLOVER would code the event: "Y said X must leave" is Y's
    DEMAND on X."""
    typ = ev.plover_type or ev.type
    if ev.modality == "obligation" and typ == "DEMAND" and ev.type != "DEMAND" and ev.reporter:
        return typ, ev.reporter, ev.source_actor
    return typ, ev.source_actor, ev.target_actor


def _denials(sent: SpacySpan, si: int, ctx: _Ctx, found: list[_Cand]) -> list[_Cand]:
    """'Such plans were denied': the denial of an event told in an earlier sentence becomes a
    copy of that event with the negated mode (modality 'denied') and the denial as trigger."""
    out: list[_Cand] = []
    for t in sent:
        if _lem(t) not in ctx.lex.denial or t.pos_ != "VERB":
            continue
        obj = next((c for c in t.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if obj is None or _lem(obj) not in ctx.lex.hypothetical_nouns | {
            "this",
            "that",
            "it",
        }:
            continue
        if any(c.sent_index == si and c.tok.i in {x.i for x in t.subtree} for c in found):
            continue
        earlier = [c for c in found if si - 2 <= c.sent_index < si and c.event is not None]
        if not earlier:
            continue
        ante = next(
            (c for c in reversed(earlier) if c.event and c.event.mode == "hypothetical"),
            earlier[-1],
        )
        old = ante.event
        if old is None:
            continue
        denier = None
        subj = next((c for c in t.children if c.dep_ in ("nsubj",)), None)
        if subj is not None:
            actor = _actor(subj, ctx)
            denier = actor.name if actor else None
        else:
            prep = next(
                (c for c in t.children if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "by")),
                None,
            )
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep else None
            actor = _actor(pobj, ctx) if pobj is not None else None
            denier = actor.name if actor else None
        trig = Span(t.idx, t.idx + len(t), t.text)
        date = _date(trig, sent, ctx)
        ev = dataclasses.replace(  # the denied event: its actors and place, the denial's words
            old,
            trigger=trig,
            mode="negated",
            modality="denied",
            date=date.value if date else old.date,
            date_span=Span(date.start, date.end, date.text) if date else old.date_span,
            reporter=denier or _reporter_of(t, ctx),
        )
        ev.plover_type = plover_code(ev, ctx.lex)
        cand = _Cand(t, old.type, t.i, t.i + 1, rank=_rank(_Cand(t, old.type, t.i, t.i + 1), ctx))
        cand.sent_index = si
        cand.event = ev
        out.append(cand)
    return out
