"""Framing: how each outlet words the same fact and names the same thing.

Three kinds of item, each citing exact spans (``text == article.text[start:end]``):

- ``substitution``: where two outlets' claims state one fact (a multi-outlet
  :class:`~newsprism.stories.facts.Fact`), their wordings are aligned token by token
  (:class:`difflib.SequenceMatcher` over lemmas; one entity is one token, keyed by its
  canonical name or, for a state named by its capital or seat, by its actor) and the short
  spans that differ (1-3 words) are substitutions: *war* / *conflict*, *plan* / *initiative*.
  Pairs that are not one referent in one role are dropped: numbers, different entities,
  function words, inflections of one lemma, different parts of speech, swaps of neutral
  reporting verbs.
- ``naming``: how each outlet refers to one entity. ``aspect`` is ``spelling`` (*Kiev* /
  *Kyiv*: the surface forms of one canonical entity, counted over the outlets' texts),
  ``title`` (*Chinese President Xi Jinping* / *the leader of the People's Republic of China,
  Xi Jinping*: the role given with a person, compared without nationality words) or ``actor``
  (*Beijing* / *China*, *the Kremlin* / *Moscow*: two names of one state actor, per the actor
  gazetteer, in the same position of one fact).
- ``hedge``: hedging and evaluative words (*reportedly*, *claimed* where others write
  *said*) from the lexicon ``newsprism/data/hedges.json`` (extensible), and scare quotes
  (a quoted phrase of a few words that no attribution covers).

Coverage is not framing: substitutions come only from facts two outlets share, naming only
from entities two outlets name, so what one outlet alone reports never appears here.

Every item has ``counts`` ``[ours by the outlet, theirs by the outlet, ours by the others,
theirs by the others]`` and a ``prior``; its ``score`` is the z-score of the weighted
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) of the
outlet choosing *ours* over *theirs* compared with the other outlets: it grows with how
consistently the outlet makes that choice. Counts are kept so that
:func:`merge_framing` can aggregate the items of several stories (a storyline) and rescore.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import logging
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.errors import ModelMissingError
from newsprism.model import (
    WORD_GLUED,
    WORD_NUMBER,
    WORD_PARTICLE,
    WORD_STOP,
    Article,
    Enriched,
    EntityMention,
    Evidence,
    FramingItem,
    Span,
    Word,
    WordIndex,
)
from newsprism.nlp.canonical import normalize_name, one_word_aliases
from newsprism.nlp.events import load_gazetteer
from newsprism.nlp.pipeline import load_nlp
from newsprism.nlp.words import parse_words
from newsprism.stopwords import spacy_english
from newsprism.stories.claims import article_sentences, entity_key, is_content_sentence

if TYPE_CHECKING:
    from newsprism.stories.claims import Claim
    from newsprism.stories.facts import Fact

log = logging.getLogger(__name__)

HEDGES_ENV = "NEWSPRISM_HEDGES"
PRIOR = 1.0  # total prior count (alpha_0) spread over the two words of a choice
MAX_SPAN = 3  # words per side of a substitution at most
MAX_BLOCK = 6  # a differing block longer than this on either side is not looked into
MAX_ITEMS = 15  # items per outlet
MAX_EVIDENCE = 4  # spans cited per item
MAX_PAIRS_PER_FACT = 6  # claim pairs of one fact aligned at most

_WORD = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]")
_QUOTE = re.compile(r"[“\"]([^“”\"\n]{1,60})[”\"]")
_FUNCTION_POS = frozenset(
    {"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT", "SYM", "SPACE", "X", "INTJ"}
)
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "PRT"})  # PRT: "put forward"
_POS_CLASS = {"NOUN": "N", "PROPN": "N", "VERB": "V", "ADJ": "A", "ADV": "R", "PRT": "V"}
_NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
        "dozen",
        "dozens",
        "half",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
    ]
)
_NEGATION = frozenset({"not", "no", "never", "n't", "none", "nor", "neither", "without"})
_NOT_NAME = frozenset({"the", "of", "and", "’s", "'s"})


# --------------------------------------------------------------------------- data types


@dataclass(slots=True)
class Choice:
    """One observed wording choice: ``outlet`` wrote ``ours`` where ``other`` wrote ``theirs``.

    ``key``/``other_key`` are the compared forms (lemmas, normalized names); ``group`` tells
    what is compared (``substitution``, ``naming:spelling:<entity>`` ...)."""

    group: str
    outlet: str
    other: str
    ours: str
    theirs: str
    key: str
    other_key: str
    evidence: list[Evidence] = field(default_factory=list)


# --------------------------------------------------------------------------- scoring


def log_odds_z(
    counts: list[int] | tuple[int, ...], prior: list[float] | tuple[float, ...]
) -> float:
    """z-score of the weighted log-odds ratio with an informative Dirichlet prior (Monroe et
    al. 2008) for a choice between two words: ``counts = [ours by the outlet, theirs by the
    outlet, ours by the others, theirs by the others]``, ``prior = [alpha_ours,
    alpha_theirs]``. Positive when the outlet prefers *ours* more than the others do."""
    a1, a2 = (max(float(p), 1e-3) for p in prior)
    y1, y2, y3, y4 = (max(0, int(c)) for c in counts)
    delta = math.log((y1 + a1) / (y2 + a2)) - math.log((y3 + a1) / (y4 + a2))
    var = 1 / (y1 + a1) + 1 / (y2 + a2) + 1 / (y3 + a1) + 1 / (y4 + a2)
    return delta / math.sqrt(var)


def informative_prior(freq_ours: float, freq_theirs: float, total: float = PRIOR) -> list[float]:
    """Prior counts for a choice: ``total`` split by how often each word is used in the
    background (the story), with one pseudo-count each so that unseen words keep a share."""
    f1, f2 = freq_ours + 1.0, freq_theirs + 1.0
    return [total * f1 / (f1 + f2), total * f2 / (f1 + f2)]


def rank_choices(
    choices: Iterable[Choice],
    kind: str,
    background: Counter[str] | None = None,
    aspect_of: dict[str, str] | None = None,
    entity_of: dict[str, str] | None = None,
) -> list[FramingItem]:
    """Aggregate observed choices into one item per (outlet, ours, theirs) and score each by
    how consistently the outlet makes that choice against the others.

    A choice of ``ours`` over ``theirs`` by outlet O counts for O's *ours*; every observation
    of the same two keys counts too: O writing *theirs* where another writes *ours* counts
    against, and the other outlets' picks fill their side."""
    choices = list(choices)
    background = background or Counter()
    # per (group, unordered key pair): per outlet, how often it used each key
    uses: dict[tuple[str, frozenset[str]], dict[str, Counter[str]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    shown: dict[tuple[str, str, str, str], list[Choice]] = defaultdict(list)
    for c in choices:
        if c.key == c.other_key:
            continue
        pair = (c.group, frozenset((c.key, c.other_key)))
        uses[pair][c.outlet][c.key] += 1  # the other side is its own (mirrored) choice
        shown[(c.group, c.outlet, c.key, c.other_key)].append(c)
    items: list[FramingItem] = []
    for (group, outlet, key, other_key), obs in shown.items():
        per = uses[(group, frozenset((key, other_key)))]
        mine = per.get(outlet, Counter())
        rest: Counter[str] = Counter()
        for o, cnt in per.items():
            if o != outlet:
                rest.update(cnt)
        counts = [mine[key], mine[other_key], rest[key], rest[other_key]]
        prior = informative_prior(background[key], background[other_key])
        z = log_odds_z(counts, prior)
        if z <= 0:
            continue  # the others use this word at least as much: not this outlet's choice
        ours = Counter(c.ours for c in obs).most_common(1)[0][0]
        theirs = Counter(c.theirs for c in obs).most_common(1)[0][0]
        evidence: list[Evidence] = []
        for c in obs:
            for e in c.evidence:
                if len(evidence) < MAX_EVIDENCE and e not in evidence:
                    evidence.append(e)
        items.append(
            FramingItem(
                kind=kind,
                outlet=outlet,
                ours=ours,
                theirs=theirs,
                score=z,
                counts=counts,
                prior=prior,
                evidence=evidence,
                others=sorted({c.other for c in obs}),
                aspect=(aspect_of or {}).get(group),
                entity=(entity_of or {}).get(group),
            )
        )
    return items


# --------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class _Unit:
    """One aligned unit of a claim: a word, or a whole entity mention."""

    text: str
    key: str  # compared form: lemma, or "@" + entity / actor key
    pos: str  # coarse part of speech ("" unknown); "ENT" for an entity
    start: int  # absolute offsets in the article
    end: int
    num: bool = False
    stop: bool = False
    lemma: str = ""
    name: str = ""  # the entity's canonical key (entities only)
    glued: bool = False  # joined to the previous word by a hyphen ("twelve-point")
    title: bool = False  # part of a person's title ("the prime minister of Italy, Prodi")


def _nlp() -> Any:
    try:
        return load_nlp()
    except ModelMissingError:  # regex tokens instead
        log.debug("framing: no spaCy pipeline, aligning plain tokens")
        return None


def _is_num(word: str) -> bool:
    low = word.lower()
    if any(ch.isdigit() for ch in low):
        return True
    parts = re.split(r"[-–]", low)
    return any(p in _NUMBER_WORDS for p in parts)


def _claim_units(
    claims: list[Claim],
    articles: dict[str, Article],
    enriched: dict[str, Enriched],
    nlp: Any = None,
) -> dict[str, list[_Unit]]:
    """Units of each claim: the words of its span (lemma, coarse POS) with entity mentions
    collapsed into one unit keyed by their canonical name or state actor. The words come from
    the article's parse kept with its enrichment (:class:`~newsprism.model.Words`); a claim of
    an article stored without them is parsed here."""
    kept: dict[str, WordIndex] = {}  # article -> its words by offset
    for aid in dict.fromkeys(c.article for c in claims):
        en = enriched.get(aid)
        index = en.words.index() if en is not None and aid in articles else None
        if index is not None and index.starts:
            kept[aid] = index
    unparsed = [c for c in claims if c.article not in kept]
    docs: dict[str, Any] = {}
    if unparsed and nlp is None:
        nlp = _nlp()  # loaded only when some article's words were not kept
    if unparsed and nlp is not None:
        # each distinct text once (wire copies repeat theirs); tokens, lemmas, tags and the
        # parse only: entities come from the enrichment, and the recogniser is half of the
        # pipeline's time
        distinct = list(dict.fromkeys(c.text for c in unparsed))
        skip = [name for name in ("ner",) if name in nlp.pipe_names]
        docs = dict(zip(distinct, nlp.pipe(distinct, batch_size=32, disable=skip), strict=True))
    out: dict[str, list[_Unit]] = {}
    for c in claims:
        if c.article in kept:
            text = articles[c.article].text
            units = [
                _word_unit(w, text[w.start : w.end]) for w in kept[c.article].within(c.start, c.end)
            ]
        elif c.text in docs:
            units = _token_units(docs[c.text], c.text, c.start)
        else:  # no spaCy pipeline: regex tokens
            units = _plain_units(c)
        en = enriched.get(c.article)
        mentions = [
            m
            for m in (en.entities if en else [])
            if c.start <= m.start and m.end <= c.end and m.label not in _NUMERIC_LABELS
        ]
        _mark_titles(units, mentions, articles[c.article].text if c.article in articles else "")
        out[c.id] = _collapse(units, mentions)
    return out


def _word_unit(w: Word, text: str) -> _Unit:
    """A unit from a word of a parse (``text`` is its surface form). Its stop-word flag is the
    parser's own: spaCy marks a word whose lower case is in its English stop list, the list
    :func:`~newsprism.stopwords.spacy_english` holds, so that list is not consulted (or
    imported) again here."""
    return _Unit(
        text,
        "a" if text.lower() == "an" else w.lemma,
        "PRT" if w.has(WORD_PARTICLE) else w.pos,
        w.start,
        w.end,
        num=w.has(WORD_NUMBER) or _is_num(text),
        stop=w.has(WORD_STOP),
        lemma=w.lemma,
        glued=w.has(WORD_GLUED),
    )


def _token_units(doc: Any, text: str, offset: int) -> list[_Unit]:
    """Units of a claim parsed on its own (``text``, starting at ``offset`` in its article)."""
    return [
        _word_unit(
            dataclasses.replace(w, start=w.start + offset, end=w.end + offset),
            text[w.start : w.end],
        )
        for w in parse_words(doc)
    ]


def _plain_units(c: Claim) -> list[_Unit]:
    """Units from regex word tokens (no parse at hand)."""
    stop = spacy_english()
    units: list[_Unit] = []
    for m in _WORD.finditer(c.text):
        w = m.group(0)
        units.append(
            _Unit(
                w,
                w.lower(),
                "",
                c.start + m.start(),
                c.start + m.end(),
                num=_is_num(w),
                stop=w.lower() in stop,
                lemma=w.lower(),
            )
        )
    return units


_NUMERIC_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"})


def _mark_titles(units: list[_Unit], mentions: list[EntityMention], text: str) -> None:
    """Mark the words of a person's title in the claim ("center-left prime minister of Italy"
    before "Romano Prodi"): how an outlet titles someone is naming, compared apart, never a
    substitution for another outlet's words ("Prodi's coalition")."""
    spans = []
    for m in mentions:
        if m.label == "PERSON" and m.role and text:
            rs, re_ = _find_role(text, m)
            if rs is not None:
                spans.append((rs, re_))
    for u in units:
        if any(rs <= u.start < re_ for rs, re_ in spans):
            u.title = True


def _collapse(words: list[_Unit], mentions: list[EntityMention]) -> list[_Unit]:
    out: list[_Unit] = []
    i = 0
    ms = sorted(mentions, key=lambda m: m.start)
    j = 0
    while i < len(words):
        w = words[i]
        while j < len(ms) and ms[j].end <= w.start:
            j += 1
        if j < len(ms) and ms[j].start <= w.start < ms[j].end:
            m = ms[j]
            k = i
            while k < len(words) and words[k].start < m.end:
                k += 1
            name = entity_key(m)
            out.append(
                _Unit(m.text, "@" + (_actor_key(m) or name), "ENT", m.start, m.end, name=name)
            )
            i = max(k, i + 1)
            j += 1
            continue
        if w.pos == "PROPN":  # a name the recogniser missed: its alias spelling as key
            low = w.text.lower()
            alt = one_word_aliases().get(low)
            key = min(alt | {low}) if alt else low
            w.key, w.name = "@" + key, key
        out.append(w)
        i += 1
    return out


_STATE_SUFFIX = re.compile(r"\s+(?:authorities|government|leadership)$", re.IGNORECASE)


def _actor_key(m: EntityMention) -> str | None:
    """``actor:<country>`` for a name that stands for a state as a whole: a country, its
    capital or seat of power ("Beijing", "the Kremlin"), "Russian authorities"; else None."""
    if m.label not in ("GPE", "ORG", "NORP", "LOC", "FAC"):
        return None
    gaz = load_gazetteer()
    base = _STATE_SUFFIX.sub("", normalize_name(m.text))
    words = [w for w in re.findall(r"[\w'’-]+", base) if w.lower() != "the"]
    if not words:
        return None
    hits = gaz.find(words)
    if len(hits) != 1 or hits[0][1] - hits[0][0] != len(words):
        return None
    info = hits[0][2]
    if not info.country or info.sector not in (None, "government"):
        return None
    if info.sector is None and m.label == "NORP" and not _STATE_SUFFIX.search(m.text):
        return None  # "Chinese" alone is a nationality, not the state
    return f"actor:{info.country}"


# --------------------------------------------------------------------------- substitutions


def substitutions(
    facts: list[Fact],
    articles: list[Article],
    enriched: dict[str, Enriched],
    nlp: Any = None,
    neutral: frozenset[str] | None = None,
) -> tuple[list[Choice], list[Choice], Counter[str]]:
    """Substitutions and actor namings in the claims of multi-outlet facts.

    Returns ``(substitutions, actor namings, aligned equal-word counts)``: for every pair of
    claims of one fact from two outlets, the wordings are aligned and each short differing
    span that passes the referent filters becomes a :class:`Choice` for both outlets; an
    entity unit that aligns with another spelling or another name of the same state actor
    becomes a naming choice."""
    neutral = neutral if neutral is not None else load_hedges().neutral
    by_id = {a.id: a for a in articles}
    pairs: list[tuple[Claim, Claim]] = []
    for f in facts:
        if len(set(f.outlets)) < 2:
            continue
        cl = [c for c in f.claims if c.article in by_id]
        n = 0
        for x, ca in enumerate(cl):
            for cb in cl[x + 1 :]:
                if ca.outlet == cb.outlet or ca.text == cb.text or n >= MAX_PAIRS_PER_FACT:
                    continue
                pairs.append((ca, cb))
                n += 1
    if not pairs:
        return [], [], Counter()
    needed = list({c.id: c for p in pairs for c in p}.values())
    units = _claim_units(needed, by_id, enriched, nlp)
    subs: list[Choice] = []
    names: list[Choice] = []
    equal: Counter[str] = Counter()
    for ca, cb in pairs:
        ua, ub = units.get(ca.id, []), units.get(cb.id, [])
        if not ua or not ub:
            continue
        sm = difflib.SequenceMatcher(None, [u.key for u in ua], [u.key for u in ub], autojunk=False)
        ops = sm.get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag != "equal":
                continue
            for x, (u, v) in enumerate(zip(ua[i1:i2], ub[j1:j2], strict=True)):
                equal[u.key] += 1
                if (
                    u.key.startswith("@actor:")
                    and u.name != v.name
                    and _same_slot(ua, ub, i1 + x, j1 + x)
                ):
                    names.extend(_naming_choices(ca, cb, u, v, by_id))
        for xa, xb in _diff_blocks(ua, ub, ops):
            pair = _substitution(xa, xb, neutral)
            if pair is None:
                continue
            sa, sb = pair
            subs.extend(_both_ways("substitution", ca, cb, sa, sb, by_id))
    return subs, names, equal


def _surface_key(text: str) -> str:
    return normalize_name(text)


def _diff_blocks(
    ua: list[_Unit], ub: list[_Unit], ops: Sequence[tuple[str, int, int, int, int]]
) -> list[tuple[list[_Unit], list[_Unit]]]:
    """Candidate pairs of the stretches where two aligned claims differ. Matches of function
    words only ("the", "a") do not separate stretches; a stretch counts when it lies between
    shared content words (or runs to the end of both claims) and is not a pure insertion."""
    anchors = [
        (i1, i2, j1, j2)
        for tag, i1, i2, j1, j2 in ops
        if tag == "equal" and _has_content(ua[i1:i2])
    ]
    out: list[tuple[list[_Unit], list[_Unit]]] = []
    prev: tuple[int, int, int, int] | None = None
    for k in range(len(anchors) + 1):
        nxt = anchors[k] if k < len(anchors) else None
        a0, b0 = (prev[1], prev[3]) if prev else (0, 0)
        a1, b1 = (nxt[0], nxt[2]) if nxt else (len(ua), len(ub))
        prev = nxt
        if a1 <= a0 or b1 <= b0:
            continue  # one side adds words, the other none: an insertion
        if k == 0:
            continue  # nothing shared before it: two openings, not one wording
        out.extend(_split_block(ua[a0:a1], ub[b0:b1]))
    return out


def _split_block(xa: list[_Unit], xb: list[_Unit]) -> list[tuple[list[_Unit], list[_Unit]]]:
    """The candidate pairs inside one differing stretch between two anchors: the stretch
    when short, else its chunks between function words, paired in order when both sides
    have as many chunks; else the first chunks, what follows them being a phrase of its own
    ("the war" / "the conflict in Ukraine"). A stretch negated on one side only ("pleaded
    innocent" / "pleaded not guilty") is none: trimmed of its "not", it would read as a
    choice of antonyms."""
    if _negated(xa) != _negated(xb):
        return []
    xa, xb = _trim(xa), _trim(xb)
    if not xa or not xb or len(xa) > MAX_BLOCK or len(xb) > MAX_BLOCK:
        return []
    if len(xa) <= MAX_SPAN and len(xb) <= MAX_SPAN and not (_has_break(xa) or _has_break(xb)):
        return [(xa, xb)]
    (ca, sa), (cb, sb) = _chunks(xa), _chunks(xb)
    if (
        len(ca) == len(cb) and sa == sb
    ):  # one structure: "presented a plan" / "put forward an initiative"
        return list(zip(ca, cb, strict=True))
    if ca and cb and (len(ca) == 1 or len(cb) == 1):
        return [(ca[0], cb[0])]  # "the war" / "the conflict in Ukraine"
    return []


def _has_content(units: list[_Unit]) -> bool:
    return any((u.pos in _CONTENT_POS or u.pos == "ENT" or not u.pos) and not u.stop for u in units)


def _has_break(units: list[_Unit]) -> bool:
    return any(u.pos in ("ADP", "CCONJ", "SCONJ", "PUNCT") for u in units[1:-1])


def _chunks(units: list[_Unit]) -> tuple[list[list[_Unit]], list[tuple[str, ...]]]:
    """Runs of content words and the function words between them (as lemma tuples)."""
    out: list[list[_Unit]] = [[]]
    seps: list[list[str]] = [[]]
    for u in units:
        if u.pos in _FUNCTION_POS or (not u.pos and u.stop):
            if out[-1]:
                out.append([])
                seps.append([])
            seps[-1].append(u.key)
            continue
        out[-1].append(u)
    chunks = [c for c in out if c]
    between = [tuple(x) for x in seps[1 : len(chunks)]]
    return chunks, between


def _trim(units: list[_Unit]) -> list[_Unit]:
    """Drop function words and quote marks at both ends of a span."""

    def weak(u: _Unit) -> bool:
        return u.pos in _FUNCTION_POS or (not u.pos and u.stop) or u.text in "“”\"'"

    s, e = 0, len(units)
    while s < e and weak(units[s]):
        s += 1
    while e > s and weak(units[e - 1]):
        e -= 1
    return units[s:e]


def _substitution(
    xa: list[_Unit], xb: list[_Unit], neutral: frozenset[str]
) -> tuple[list[_Unit], list[_Unit]] | None:
    """The two spans when they can be one referent in one role, else None."""
    na, nb = any(u.num for u in xa), any(u.num for u in xb)
    if na != nb:  # "a twelve-point plan" / "an initiative": drop the count, keep the head
        xa = _drop_counts(xa) if na else xa
        xb = _drop_counts(xb) if nb else xb
    if not xa or not xb or any(u.num for u in xa + xb):
        return None
    if len(xa) > MAX_SPAN or len(xb) > MAX_SPAN:
        return None
    if not (_one_phrase(xa) and _one_phrase(xb)):
        return None  # "accord signed", "arrest earlier": more than the word that differs
    if _negated(xa + xb):
        return None
    if any(u.title for u in xa + xb):
        return None  # a person's title: naming (handled apart), not a wording of the fact
    content_a = [
        u for u in xa if u.pos in _CONTENT_POS or u.pos == "ENT" or (not u.pos and not u.stop)
    ]
    content_b = [
        u for u in xb if u.pos in _CONTENT_POS or u.pos == "ENT" or (not u.pos and not u.stop)
    ]
    if not content_a or not content_b:
        return None  # function words
    ents_a = [u for u in xa if u.pos == "ENT" or u.key.startswith("@")]
    ents_b = [u for u in xb if u.pos == "ENT" or u.key.startswith("@")]
    if ents_a or ents_b:
        return None  # names: a different entity, or naming (handled apart)
    if {u.lemma for u in content_a} == {u.lemma for u in content_b}:
        return None  # inflection of one word
    if _inflection_only(content_a, content_b):
        return None
    cls_a = {_POS_CLASS.get(u.pos, "?") for u in content_a}
    cls_b = {_POS_CLASS.get(u.pos, "?") for u in content_b}
    head_a = _POS_CLASS.get(content_a[-1].pos, "?")
    head_b = _POS_CLASS.get(content_b[-1].pos, "?")
    if head_a != head_b and not (cls_a & cls_b - {"?"}):
        return None  # different roles: a noun for a verb
    if {"V"} >= cls_a and {"V"} >= cls_b:
        la, lb = content_a[0].lemma, content_b[0].lemma
        if la in neutral and lb in neutral:
            return None  # said / stated: neutral reporting
    if all(u.stop for u in content_a) or all(u.stop for u in content_b):
        return None
    return xa, xb


def _negated(units: list[_Unit]) -> bool:
    return any(u.lemma in _NEGATION or u.text.lower() in _NEGATION for u in units)


def _one_phrase(units: list[_Unit]) -> bool:
    """One word, a noun phrase (adjectives and nouns), or a verb with its particle or
    adverb; no function word inside."""
    if len(units) == 1:
        return True
    if any(u.pos in _FUNCTION_POS for u in units):
        return False
    kinds = [u.pos for u in units]
    if not all(kinds):  # no parse: plain tokens
        return True
    if all(k in ("ADJ", "NOUN", "PROPN") for k in kinds):
        return kinds[-1] in ("NOUN", "PROPN")
    return kinds[0] == "VERB" and all(k in ("PRT", "ADV") for k in kinds[1:])


def _drop_counts(units: list[_Unit]) -> list[_Unit]:
    """The span without its numbers and the words glued to them ("twelve-point")."""
    out = []
    prev_num = False
    for u in units:
        if u.num or (prev_num and u.glued):
            prev_num = True
            continue
        prev_num = False
        out.append(u)
    return _trim(out)


def _inflection_only(a: list[_Unit], b: list[_Unit]) -> bool:
    """One word against its derived form ("Russia"/"Russian", "attack"/"attacks")."""
    if len(a) != 1 or len(b) != 1:
        return False
    x, y = sorted((a[0].text.lower(), b[0].text.lower()), key=len)
    return y.startswith(x) and len(y) - len(x) <= 3 and len(x) >= 3


def _both_ways(
    group: str, ca: Claim, cb: Claim, sa: list[_Unit], sb: list[_Unit], by_id: dict[str, Article]
) -> list[Choice]:
    ea = _evidence(ca, sa, by_id)
    eb = _evidence(cb, sb, by_id)
    ta, tb = ea.mark.text, eb.mark.text
    ka = " ".join(u.lemma or u.key for u in sa)
    kb = " ".join(u.lemma or u.key for u in sb)
    return [
        Choice(group, ca.outlet, cb.outlet, ta, tb, ka, kb, [ea, eb]),
        Choice(group, cb.outlet, ca.outlet, tb, ta, kb, ka, [eb, ea]),
    ]


def _same_slot(ua: list[_Unit], ub: list[_Unit], i: int, j: int) -> bool:
    """Whether two aligned names stand in the same place of their clauses: the same word
    before or after them, or both followed by a verb (both subjects)."""
    if i > 0 and j > 0 and ua[i - 1].key == ub[j - 1].key:
        return True
    if i + 1 < len(ua) and j + 1 < len(ub):
        na, nb = ua[i + 1], ub[j + 1]
        if na.key == nb.key or (na.pos in ("VERB", "AUX") and nb.pos in ("VERB", "AUX")):
            return True
    return False


def _naming_choices(
    ca: Claim, cb: Claim, u: _Unit, v: _Unit, by_id: dict[str, Article]
) -> list[Choice]:
    ea, eb = _evidence(ca, [u], by_id), _evidence(cb, [v], by_id)
    group = f"naming:actor:{u.key[1:]}"
    ka, kb = _surface_key(u.text), _surface_key(v.text)
    return [
        Choice(group, ca.outlet, cb.outlet, ea.mark.text, eb.mark.text, ka, kb, [ea, eb]),
        Choice(group, cb.outlet, ca.outlet, eb.mark.text, ea.mark.text, kb, ka, [eb, ea]),
    ]


def _evidence(c: Claim, span: list[_Unit], by_id: dict[str, Article]) -> Evidence:
    text = by_id[c.article].text
    s, e = span[0].start, span[-1].end
    return Evidence(
        c.article, c.start, c.end, text[c.start : c.end], c.outlet, Span(s, e, text[s:e])
    )


# --------------------------------------------------------------------------- naming


@dataclass(slots=True)
class _Mention:
    outlet: str
    article: str
    start: int
    end: int
    text: str
    role: str | None = None
    role_start: int = 0
    role_end: int = 0


def naming(
    articles: list[Article],
    enriched: dict[str, Enriched],
    content: dict[str, list[tuple[int, int]]],
    sentences: dict[str, list[tuple[int, int]]] | None = None,
    offices: dict[str, str] | None = None,
) -> list[FramingItem]:
    """Spelling and title choices per canonical entity named by two or more outlets.

    Spellings are counted over the outlets' content sentences: every whole-word occurrence
    of a surface form of the entity (its mentions' forms and the alias file's spellings of
    them), so a mention the recogniser missed still counts. Titles are the roles given with a
    person (``EntityMention.role``), compared without nationality words."""
    texts = {a.id: a.text or "" for a in articles}
    sents = sentences or content
    forms: dict[str, set[str]] = defaultdict(set)  # entity -> surface forms
    roles: dict[str, list[_Mention]] = defaultdict(list)
    for a in articles:
        en = enriched.get(a.id)
        if not en or a.id not in content:
            continue
        outlet = a.source or a.id
        for m in en.entities:
            if m.label in _NUMERIC_LABELS or m.label == "NORP":
                continue
            key = entity_key(m)
            surface = _clean_surface(m.text)
            if not key or not surface:
                continue
            forms[key].add(surface)
            if m.label == "PERSON" and m.role and _inside(content, a.id, m.start):
                rs, re_ = _find_role(a.text, m)
                if rs is not None:
                    roles[key].append(
                        _Mention(outlet, a.id, m.start, m.end, m.text, m.role, rs, re_)
                    )
    items: list[FramingItem] = []
    for key, surfaces in forms.items():
        spellings = _spellings(surfaces)
        if len(spellings) < 2:
            continue
        seen = _scan(articles, spellings, content)
        items += _modal_items(
            seen,
            lambda mm: _surface_key(mm.text),
            texts,
            sents,
            "spelling",
            _display(key, surfaces),
        )
    for key, ms in roles.items():
        items += _modal_items(
            ms,
            lambda mm: _title_core(mm.role or ""),
            texts,
            sents,
            "title",
            _display(key, forms.get(key, {key})),
            offices,
        )
    return items


def _modal_items(
    mentions: list[_Mention],
    key_of: Any,
    texts: dict[str, str],
    sents: dict[str, list[tuple[int, int]]],
    aspect: str,
    entity: str,
    offices: dict[str, str] | None = None,
) -> list[FramingItem]:
    """Each outlet's most used form against each other outlet's most used form when they
    differ, scored on how often each side uses either form."""
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[tuple[str, str], _Mention] = {}
    for mm in mentions:
        k = key_of(mm)
        if not k:
            continue
        by_outlet[mm.outlet][k] += 1
        first.setdefault((mm.outlet, k), mm)
    if len(by_outlet) < 2:
        return []
    modal = {o: cnt.most_common(1)[0][0] for o, cnt in by_outlet.items()}
    role = aspect == "title"
    out: list[FramingItem] = []
    for o, k in modal.items():
        theirs = {
            o2: k2
            for o2, k2 in modal.items()
            if o2 != o and k2 != k and not (role and _same_title(k, k2, offices))
        }
        for k2 in dict.fromkeys(theirs.values()):
            others = sorted(o2 for o2, x in theirs.items() if x == k2)
            rest: Counter[str] = Counter()
            for o2, cnt in by_outlet.items():
                if o2 != o:
                    rest.update(cnt)
            counts = [by_outlet[o][k], by_outlet[o][k2], rest[k], rest[k2]]
            prior = informative_prior(counts[0] + counts[2], counts[1] + counts[3])
            z = log_odds_z(counts, prior)
            if z <= 0:
                continue
            ea = _mention_evidence(first[(o, k)], role, texts, sents)
            eb = _mention_evidence(first[(others[0], k2)], role, texts, sents)
            ev = [ea, eb]
            for o2 in others[1:2]:
                ev.append(_mention_evidence(first[(o2, k2)], role, texts, sents))
            out.append(
                FramingItem(
                    "naming",
                    o,
                    ea.mark.text,
                    eb.mark.text,
                    z,
                    counts,
                    prior,
                    ev,
                    others,
                    aspect,
                    entity,
                )
            )
    return out


def _clean_surface(text: str) -> str:
    s = re.sub(r"(?:'s|’s)$", "", " ".join(text.split())).strip(" \"'“”‘’.,;:()")
    return re.sub(r"^(?:the|The)\s+", "", s)


def _display(key: str, surfaces: Iterable[str]) -> str:
    for s in sorted(surfaces, key=lambda x: (-len(x), x)):
        if s.lower() == key:
            return s
    return key


def _spellings(surfaces: set[str]) -> dict[str, set[str]]:
    """Spelling key -> surface forms, for the forms that are spellings of one name rather
    than a longer or shorter name ("Xi" and "Xi Jinping" are one spelling family: the full
    name is kept; "Kiev" / "Kyiv" are two spellings)."""
    full = {s for s in surfaces if s}
    longest = max((len(s.split()) for s in full), default=0)
    keep = {s for s in full if len(s.split()) == longest}
    extra = set()
    for s in keep:
        extra |= {w.title() for w in one_word_aliases().get(s.lower(), frozenset())}
    out: dict[str, set[str]] = defaultdict(set)
    for s in keep | extra:
        out[_surface_key(s)].add(s)
    return out


def _scan(
    articles: list[Article],
    spellings: dict[str, set[str]],
    content: dict[str, list[tuple[int, int]]],
) -> list[_Mention]:
    forms = sorted({f for fs in spellings.values() for f in fs}, key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")
    out = []
    for a in articles:
        outlet = a.source or a.id
        for s, e in content.get(a.id, []):
            for m in rx.finditer(a.text, s, e):
                out.append(_Mention(outlet, a.id, m.start(), m.end(), m.group(0)))
    return out


def _mention_evidence(
    mm: _Mention, role: bool, texts: dict[str, str], sents: dict[str, list[tuple[int, int]]]
) -> Evidence:
    text = texts.get(mm.article, "")
    if role:
        s, e = min(mm.start, mm.role_start), max(mm.end, mm.role_end)
    else:
        s, e = mm.start, mm.end
    ss, se = s, e
    for a, b in sents.get(mm.article, []):
        if a <= s and e <= b:
            ss, se = a, b
            break
    return Evidence(mm.article, ss, se, text[ss:se], mm.outlet, Span(s, e, text[s:e]))


def _inside(content: dict[str, list[tuple[int, int]]], article: str, pos: int) -> bool:
    return any(a <= pos < b for a, b in content.get(article, []))


def _find_role(text: str, m: EntityMention) -> tuple[int | None, int]:
    """Offsets of the mention's role text next to it (before, or in apposition after)."""
    role = _ROLE_END.sub("", m.role or "").strip()
    if not role:
        return None, 0
    lo = max(0, m.start - 160)
    before = text.rfind(role, lo, m.start + len(role))
    if before != -1 and before < m.start:
        return before, before + len(role)
    after = text.find(role, m.end, m.end + 160)
    if after != -1:
        return after, after + len(role)
    low = text.lower()
    before = low.rfind(role.lower(), lo, m.start)
    if before != -1:
        return before, before + len(role)
    return None, 0


_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ian|ese|ish|i|ic)$")


_ROLE_END = re.compile(r"\s*(?:,|\bwho\b|\bwhich\b|\bthat\b|\bwhose\b).*$", re.IGNORECASE)
_CORE_CUT = frozenset({"of", "for", "in", "at", "to", "on", "from", "with"})


def _title_core(role: str) -> str:
    """The role without nationality words, places, organisations' acronyms and what follows
    "of"/"in": "Chinese President", "U.S. President" and "President of China" are one title
    ("president"); "leader of the ..." is another ("leader"). Coordinated titles keep each
    ("President of China and leader of the Party": "president and leader")."""
    parts = [p for p in re.split(r"\s+and\s+", role) if p.strip()]
    if len(parts) > 1:
        return " and ".join(dict.fromkeys(c for p in parts if (c := _title_core(p))))
    role = _ROLE_END.sub("", role.replace(".", ""))
    core: list[str] = []
    for w in re.findall(r"[\w'’-]+", role):
        low = w.lower()
        if low in _CORE_CUT and core:
            break
        if low in _NOT_NAME or low in ("a", "an", "its", "his", "her", "their", "former"):
            continue
        if re.sub(r"(?:'s|’s)$", "", w).isupper() and len(w) > 1:
            continue  # "NASA chief", "US President"
        if _DEMONYM.match(w) or (w[:1].isupper() and _is_place(re.sub(r"(?:'s|’s)$", "", w))):
            continue
        core.append(low)
    return " ".join(core)


def _same_title(a: str, b: str, offices: dict[str, str] | None = None) -> bool:
    """One office: the same title, one with a qualifier the other leaves out ("brother" /
    "younger brother"), words the lexicon counts as one office ("NASA chief" /
    "administrator of NASA"), or one head noun with other qualifiers ("Finance Minister" /
    "Foreign Minister": a discrepancy of fact, not a way of naming)."""
    pa, pb = a.split(" and "), b.split(" and ")
    if len(pa) > 1 or len(pb) > 1:  # coordinated titles: one office each, the same offices
        return (
            len(pa) == len(pb)
            and all(any(_same_title(x, y, offices) for y in pb) for x in pa)
            and all(any(_same_title(y, x, offices) for x in pa) for y in pb)
        )
    wa, wb = _office_words(a, offices or {}), _office_words(b, offices or {})
    return not wa or not wb or set(wa) <= set(wb) or set(wb) <= set(wa) or wa[-1] == wb[-1]


def _office_words(core: str, offices: dict[str, str]) -> list[str]:
    text = " " + core.replace("-", " ") + " "
    for phrase in sorted(offices, key=len, reverse=True):
        text = text.replace(" " + phrase.replace("-", " ") + " ", " " + offices[phrase] + " ")
    return [w for w in text.split() if not any(ch.isdigit() for ch in w)]


@lru_cache(maxsize=4096)
def _is_place(word: str) -> bool:
    try:
        hits = load_gazetteer().find([word])
        return bool(hits) and hits[0][2].country is not None
    except OSError:  # pragma: no cover - the gazetteer file is unreadable
        return False


# --------------------------------------------------------------------------- hedges


@dataclass(frozen=True, slots=True)
class Hedges:
    words: dict[str, str]  # word form -> neutral counterpart ("" none)
    neutral: frozenset[str]  # lemmas of neutral reporting verbs
    max_quote_words: int = 3
    not_before: dict[str, frozenset[str]] = field(default_factory=dict)  # no hedge before these
    only_before: dict[str, frozenset[str]] = field(default_factory=dict)  # a hedge only before
    same_titles: dict[str, str] = field(default_factory=dict)  # title word/phrase -> its office


def load_hedges(extra: str | Path | None = None) -> Hedges:
    """The shipped hedge lexicon plus ``extra`` (or ``$NEWSPRISM_HEDGES``)."""
    extra = extra or os.environ.get(HEDGES_ENV) or None
    return _hedges(str(extra) if extra else None)


@lru_cache(maxsize=8)
def _hedges(extra: str | None) -> Hedges:
    raw = json.loads(resources.files("newsprism").joinpath("data/hedges.json").read_text("utf-8"))
    words = {k.lower(): v or "" for k, v in (raw.get("hedges") or {}).items()}
    neutral = {str(w).lower() for w in raw.get("neutral_reporting") or []}
    maxq = int(raw.get("scare_quote_max_words") or 3)
    lists: dict[str, dict[str, set[str]]] = {"not_before": {}, "only_before": {}}
    for name, table in lists.items():
        for k, v in (raw.get(name) or {}).items():
            table[k.lower()] = {str(x).lower() for x in v}
    if extra:
        try:
            more = json.loads(Path(extra).read_text("utf-8"))
            for k, v in (more.get("hedges") or {}).items():
                if v or k.lower() not in words:
                    words[k.lower()] = v or ""
            neutral |= {str(w).lower() for w in more.get("neutral_reporting") or []}
            maxq = int(more.get("scare_quote_max_words") or maxq)
            for name, table in lists.items():
                for k, v in (more.get(name) or {}).items():
                    table.setdefault(k.lower(), set()).update(str(x).lower() for x in v)
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("hedge lexicon %s ignored: %s", extra, exc)
    frozen = {n: {k: frozenset(v) for k, v in t.items()} for n, t in lists.items()}
    offices = {
        str(w).lower(): str(group[0]).lower()
        for group in raw.get("same_titles") or []
        if group
        for w in group
    }
    return Hedges(
        words,
        frozenset(neutral),
        maxq,
        frozen["not_before"],
        frozen["only_before"],
        offices,
    )


def hedges(
    articles: list[Article],
    enriched: dict[str, Enriched],
    content: dict[str, list[tuple[int, int]]],
    lexicon: Hedges,
) -> list[FramingItem]:
    """Per outlet: the lexicon's hedging words and its scare quotes, scored by how much more
    often the outlet uses them than the others (per word written)."""
    outlets = list(dict.fromkeys(a.source or a.id for a in articles))
    if len(outlets) < 2:
        return []
    words_by: Counter[str] = Counter()
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    forms = sorted(lexicon.words, key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])", re.I)
    for a in articles:
        o = a.source or a.id
        en = enriched.get(a.id)
        covered = [
            (sp.start, sp.end)
            for at in (en.attributions if en else [])
            for sp in [*at.content, *([at.cue] if at.cue else [])]
        ]
        cues = [at.cue.start for at in (en.attributions if en else []) if at.cue is not None]
        said = [  # reported words: an evaluative word there is the speaker's, not the outlet's
            (sp.start, sp.end) for at in (en.attributions if en else []) for sp in at.content
        ]
        index: WordIndex | None = None  # the article's words, decoded at its first "insist"
        for s, e in content.get(a.id, []):
            sent = a.text[s:e]
            words_by[o] += len(_WORD.findall(sent))
            for m in rx.finditer(sent):
                w = m.group(1).lower()
                nxt = re.match(r"\s+([\w'’-]+)", sent[m.end() :])
                after = nxt.group(1).lower() if nxt else ""
                if after in lexicon.not_before.get(w, ()) or (
                    w in lexicon.only_before and after not in lexicon.only_before[w]
                ):
                    continue
                ms = s + m.start(1)
                if any(cs <= ms < ce for cs, ce in said):
                    continue
                if w.startswith("insist"):
                    if index is None and en is not None:
                        index = en.words.index()
                    if _demands(a.text, index, s + m.end(1), e):
                        continue  # "insisted that Arafat convene the council": a demand
                if _DENIED_LABEL.search(sent[: m.start(1)]):
                    continue  # "he is no terrorist": the label denied, not used
                _add_use(uses, where, o, w, a, s, e, ms, s + m.end(1))
            for m in _QUOTE.finditer(sent):
                inner = m.group(1).strip()
                n = len(inner.split())
                if not inner or n > lexicon.max_quote_words or not inner[:1].islower():
                    continue
                qs, qe = s + m.start(), s + m.end()
                if any(cs <= qs < ce or cs < qe <= ce for cs, ce in covered):
                    continue  # a partial quotation of someone's words
                if any(s <= c < e for c in cues):
                    # a sentence that reports someone quotes their words ("She blamed the
                    # violence on a "disturbed person"", "called the statements "childish.""),
                    # even where its reported part was not all found
                    continue
                _add_use(uses, where, o, f"“{inner.lower()}”", a, s, e, qs, qe)
    items: list[FramingItem] = []
    for o in outlets:
        for w, n in uses[o].items():
            rest_n = sum(uses[o2][w] for o2 in outlets if o2 != o)
            rest_words = sum(words_by[o2] for o2 in outlets if o2 != o)
            counts = [n, max(0, words_by[o] - n), rest_n, max(0, rest_words - rest_n)]
            prior = [0.5, 0.5]
            z = log_odds_z(counts, prior)
            if z <= 0:
                continue
            quote = w.startswith("“")
            items.append(
                FramingItem(
                    kind="hedge",
                    outlet=o,
                    ours=where[(o, w)][0].mark.text if where[(o, w)] else w,
                    theirs="" if quote else lexicon.words.get(w, ""),
                    score=z,
                    counts=counts,
                    prior=prior,
                    evidence=where[(o, w)][:MAX_EVIDENCE],
                    others=[o2 for o2 in outlets if o2 != o],
                    aspect="scare quotes" if quote else "lexicon",
                )
            )
    return items


#: what denies the label that follows it: "he is no terrorist", "not a regime"
_DENIED_LABEL = re.compile(r"\b(?:no|not\s+an?|never\s+an?)\s+$", re.IGNORECASE)
#: subjects whose verb shows the present's "-s": their bare verb after "insist that" is a
#: demand ("that he strike a deal"), not a report
_SINGULAR_SUBJECTS = frozenset({"he", "she", "it"})


def _demands(text: str, index: WordIndex | None, start: int, end: int) -> bool:
    """Whether "insist" at ``start`` demands rather than asserts: its clause ("that" optional)
    has a singular subject (he, she, it, a name, a singular noun) and a bare verb ("insisted that Arafat
    convene the council", "that he strike a deal directly"), not a finite one ("insists it
    has already banned them")."""
    if index is None or not index.starts:
        return False
    words = index.within(start, end)
    if words and words[0].lemma == "that":
        words = words[1:]
    subject: list[Word] = []
    for w in words[:8]:
        if w.pos in ("VERB", "AUX"):
            surface = text[w.start : w.end].lower()
            one = subject[-1] if subject else None
            singular = one is not None and (
                one.lemma in _SINGULAR_SUBJECTS
                or (one.pos in ("PROPN", "NOUN") and not text[one.start : one.end].endswith("s"))
            )
            return singular and surface == w.lemma and w.lemma not in ("be", "have")
        subject.append(w)
    return False


def _add_use(
    uses: dict[str, Counter[str]],
    where: dict[tuple[str, str], list[Evidence]],
    outlet: str,
    key: str,
    a: Article,
    s: int,
    e: int,
    ms: int,
    me: int,
) -> None:
    uses[outlet][key] += 1
    if len(where[(outlet, key)]) < MAX_EVIDENCE and not any(
        ev.text == a.text[s:e] for ev in where[(outlet, key)]
    ):
        where[(outlet, key)].append(
            Evidence(a.id, s, e, a.text[s:e], outlet, Span(ms, me, a.text[ms:me]))
        )


# --------------------------------------------------------------------------- orchestration


def framing_terms(
    articles: list[Article],
    enriched: dict[str, Enriched],
    facts: list[Fact] | None = None,
    hedge_lexicon: str | Path | None = None,
    max_items: int = MAX_ITEMS,
) -> dict[str, list[FramingItem]]:
    """``{outlet: [FramingItem]}`` (written ``{kind, outlet, ours, theirs, score, counts, prior,
    evidence, with, aspect?, entity?}``): the story's framing items per outlet, best first (never raises on odd
    text: an article that cannot be read contributes nothing)."""
    articles = [a for a in articles if a is not None]
    outlets = list(dict.fromkeys(a.source or a.id for a in articles))
    if len(outlets) < 2:
        return {o: [] for o in outlets}
    lexicon = load_hedges(hedge_lexicon)
    content: dict[str, list[tuple[int, int]]] = {}
    sentences: dict[str, list[tuple[int, int]]] = {}
    background: Counter[str] = Counter()
    for a in articles:
        try:
            sents = article_sentences(a, enriched.get(a.id))
        except Exception:  # guards: one unreadable article never sinks the story
            log.exception("article %s: no sentences for framing", a.id)
            continue
        sentences[a.id] = [(s.start, s.end) for s in sents]
        if a.duplicate_of:
            continue  # a reprint's wording is not its outlet's own choice
        content[a.id] = [(s.start, s.end) for s in sents if is_content_sentence(s)]
        for s, e in content[a.id]:
            background.update(w.lower() for w in _WORD.findall(a.text[s:e]))
    items: list[FramingItem] = []
    subs, actors, _ = substitutions(list(facts or []), articles, enriched, neutral=lexicon.neutral)
    items += rank_choices(subs, "substitution", background)
    aspect = {c.group: c.group.split(":")[1] for c in actors}
    entity = {c.group: c.group.split(":", 2)[2] for c in actors}
    items += rank_choices(actors, "naming", background, aspect, entity)
    items += naming(articles, enriched, content, sentences, lexicon.same_titles)
    items += hedges(articles, enriched, content, lexicon)
    return _per_outlet(items, outlets, max_items)


def _per_outlet(
    items: list[FramingItem], outlets: list[str], max_items: int
) -> dict[str, list[FramingItem]]:
    out: dict[str, list[FramingItem]] = {o: [] for o in outlets}
    by: dict[str, list[FramingItem]] = defaultdict(list)
    for it in items:
        if it.evidence:
            by[it.outlet].append(it)
    for o, its in by.items():
        its.sort(key=lambda x: (-x.score, x.kind, x.ours.lower(), x.theirs.lower()))
        out.setdefault(o, [])
        out[o] = its[:max_items]
    return out


def merge_framing(
    framings: Iterable[dict[str, list[FramingItem]]], max_items: int = MAX_ITEMS
) -> dict[str, list[FramingItem]]:
    """Aggregate the framing of several stories (a storyline): items of one outlet with the
    same kind, aspect, entity and wording have their counts summed and are rescored."""
    merged: dict[tuple[str, ...], FramingItem] = {}
    seen: dict[tuple[str, ...], int] = {}
    order: list[str] = []
    for fr in framings:
        for outlet, items in (fr or {}).items():
            if outlet not in order:
                order.append(outlet)
            for it in items or []:
                key = (
                    outlet,
                    it.kind,
                    it.aspect or "",
                    (it.entity or "").lower(),
                    it.ours.lower(),
                    it.theirs.lower(),
                )
                m = merged.get(key)
                if m is None:
                    merged[key] = dataclasses.replace(
                        it,
                        outlet=outlet,
                        counts=list(it.counts[:4]),
                        prior=list(it.prior[:2]),
                        evidence=list(it.evidence),
                        others=list(it.others),
                    )
                    seen[key] = 1
                    continue
                m.counts = [x + y for x, y in zip(m.counts, it.counts[:4], strict=True)]
                m.prior = [x + y for x, y in zip(m.prior, it.prior[:2], strict=True)]
                seen[key] += 1
                m.others = sorted(set(m.others) | set(it.others))
                for e in it.evidence:
                    if len(m.evidence) < MAX_EVIDENCE and e not in m.evidence:
                        m.evidence.append(e)
    out: dict[str, list[FramingItem]] = {o: [] for o in order}
    for k, m in merged.items():
        m.prior = [p / seen[k] for p in m.prior]
        m.score = log_odds_z(m.counts, m.prior)
        if m.score > 0:
            out[m.outlet].append(m)
    for o in out:
        out[o].sort(key=lambda x: (-x.score, x.kind, x.ours.lower()))
        out[o] = out[o][:max_items]
    return out
