"""Framing: the words each outlet uses where the others use different ones.

Terms are ranked per outlet by the weighted log-odds ratio with an informative Dirichlet
prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), outlet vs. all other outlets of the
story, the prior being the story's own word counts scaled by :data:`PRIOR_SCALE`. A term's
``others`` are the words other outlets use for the same referent, found three ways: (1) words
of the aligned claims (same fact) of other outlets that are distinctive for those outlets,
(2) spelling variants (``Kiev``/``Kyiv``) in other outlets' vocabulary, (3) other surface forms
of one canonical entity.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from newsprism.model import Article, Enriched
from newsprism.nlp.canonical import one_word_aliases
from newsprism.stories.claims import article_sentences, is_content_sentence

if TYPE_CHECKING:
    from newsprism.stories.compare import Fact

log = logging.getLogger(__name__)

PRIOR_SCALE = 0.5  # prior counts = story counts x this (a weaker prior lets small stories speak)
MIN_Z = 1.0  # z-score a term needs to count as distinctive for an outlet
MAX_TERMS = 10
MAX_EXAMPLES = 2
OTHERS_SHARE = 0.6  # a counterpart needs this share of the best counterpart's evidence
VARIANT_RATIO = 76  # rapidfuzz ratio for spelling variants (Dravec/Dravetz; not Orsk/Orsa)

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


_NOT_FRAMING = frozenset(
    [
        "said",
        "says",
        "also",
        "according",
        "told",
        "mr",
        "mrs",
        "ms",
        "dr",
        "today",
        "yesterday",
        "tomorrow",
        "week",
        "weeks",
        "day",
        "days",
        "year",
        "years",
        "month",
        "months",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _stop_words() -> frozenset[str]:
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS) | _NOT_FRAMING
    except ImportError:  # pragma: no cover
        return frozenset()


STOP = _stop_words()


def tokens(text: str) -> list[str]:
    """Lowercased word tokens without stop words and possessive endings."""
    out = []
    for t in _TOKEN.findall(text.lower()):
        if t.endswith(("'s", "’s")):
            t = t[:-2]
        if len(t) > 1 and t not in STOP:
            out.append(t)
    return out


def log_odds(
    counts: dict[str, Counter[str]], prior_scale: float = PRIOR_SCALE
) -> dict[str, dict[str, float]]:
    """Per group: z-scores of the weighted log-odds ratio (group vs. the rest) per word."""
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    alpha = {w: prior_scale * n for w, n in total.items()}
    a0 = sum(alpha.values())
    n_all = sum(total.values())
    out: dict[str, dict[str, float]] = {}
    for g, c in counts.items():
        n_i = sum(c.values())
        n_j = n_all - n_i
        z: dict[str, float] = {}
        if n_i == 0 or n_j == 0:
            out[g] = z
            continue
        for w, yi in c.items():
            a = alpha[w]
            yj = total[w] - yi
            d = math.log((yi + a) / (n_i + a0 - yi - a)) - math.log((yj + a) / (n_j + a0 - yj - a))
            z[w] = d / math.sqrt(1.0 / (yi + a) + 1.0 / (yj + a))
        out[g] = z
    return out


def framing_terms(
    articles: list[Article], enriched: dict[str, Enriched], facts: list[Fact] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """``{outlet: [{term, score, others, examples}]}`` for outlets with distinctive terms."""
    outlets = list(dict.fromkeys(a.source or a.id for a in articles))
    if len(outlets) < 2:
        return {o: [] for o in outlets}
    counts: dict[str, Counter[str]] = {o: Counter() for o in outlets}
    where: dict[tuple[str, str], list[tuple[str, int, int, str]]] = defaultdict(list)
    seen_dup: set[str] = set()
    caps: dict[str, list[bool]] = defaultdict(list)
    for a in articles:
        o = a.source or a.id
        try:
            sents = article_sentences(a, enriched.get(a.id))
        except Exception:
            log.exception("article %s: no sentences for framing", a.id)
            continue
        for s in sents:
            if not is_content_sentence(s):
                continue
            toks = tokens(s.text)
            for raw in _TOKEN.findall(s.text):
                low = raw.lower()
                caps[low[:-2] if low.endswith(("'s", "’s")) else low].append(raw[0].isupper())
            if a.duplicate_of and s.text in seen_dup:
                continue  # reprinted wording is not the reprinting outlet's own choice
            seen_dup.add(s.text)
            counts[o].update(toks)
            for t in set(toks):
                if len(where[(o, t)]) < MAX_EXAMPLES:
                    where[(o, t)].append((a.id, s.start, s.end, s.text))
    z = log_odds(counts)
    proper = {t for t, flags in caps.items() if sum(flags) >= 0.8 * len(flags)}
    vocab = {o: set(c) for o, c in counts.items()}
    fact_index = _fact_words(facts or [])
    variants = _entity_variants(articles, enriched)
    result: dict[str, list[dict[str, Any]]] = {}
    for o in outlets:
        ranked = sorted(
            ((w, s) for w, s in z[o].items() if s >= MIN_Z), key=lambda x: (-x[1], x[0])
        )[:MAX_TERMS]
        # below MIN_Z, a proper noun still counts when other outlets spell it differently
        # (Kiev / Kyiv): the variant itself is the evidence of a choice
        weak = [(w, s) for w, s in z[o].items() if 0 < s < MIN_Z and w in proper]
        chosen = []
        for w, s in ranked:
            chosen.append((w, s, _others(o, w, outlets, z, vocab, fact_index, variants, proper)))
        for w, s in sorted(weak, key=lambda x: (-x[1], x[0])):
            if len(chosen) >= MAX_TERMS + 3:
                break
            alt = _variants_only(o, w, outlets, z, vocab, variants, proper)
            if alt:
                chosen.append((w, s, alt))
        chosen.sort(key=lambda x: (-x[1], x[0]))
        items = []
        for w, s, others in chosen:
            items.append(
                {
                    "term": w,
                    "score": round(s, 3),
                    "others": others,
                    "examples": [
                        {"article": aid, "start": st, "end": en, "text": tx}
                        for aid, st, en, tx in where[(o, w)]
                    ],
                }
            )
        result[o] = items
    return result


def _variants_only(
    outlet: str,
    term: str,
    outlets: list[str],
    z: dict[str, dict[str, float]],
    vocab: dict[str, set[str]],
    variants: dict[str, set[str]],
    proper: set[str],
) -> list[str]:
    """Spelling variants of a proper noun that other outlets prefer (no alignment evidence)."""
    return _others(outlet, term, outlets, z, vocab, [], variants, proper)


def _fact_words(facts: list[Fact]) -> list[dict[str, set[str]]]:
    """Per multi-outlet fact: outlet -> words of its claims."""
    out = []
    for f in facts:
        if len(f.outlets) < 2:
            continue
        words: dict[str, set[str]] = defaultdict(set)
        for c in f.claims:
            words[c.outlet] |= set(tokens(c.text))
        out.append(words)
    return out


def _entity_variants(articles: list[Article], enriched: dict[str, Enriched]) -> dict[str, set[str]]:
    """Lowercased surface token -> other spellings of it among the surface forms of the same
    canonical entity: whole one-word names ("Kiev" / "Kyiv") or close spellings ("Zelensky" /
    "Zelenskyi"); the other words of a longer name ("Marenian Retail Council") are not
    spellings of each other."""
    from rapidfuzz import fuzz

    forms: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for a in articles:
        en = enriched.get(a.id)
        if not en:
            continue
        for m in en.entities:
            key = (m.canonical or m.name or "").lower()
            toks = tuple(tokens(m.text))
            if key and toks:
                forms[key].add(toks)
    out: dict[str, set[str]] = defaultdict(set)
    for surfaces in forms.values():
        for s1 in surfaces:
            for s2 in surfaces:
                for t1 in s1:
                    for t2 in s2:
                        if t1 != t2 and (
                            (len(s1) == 1 and len(s2) == 1) or fuzz.ratio(t1, t2) >= VARIANT_RATIO
                        ):
                            out[t1].add(t2)
    return out


def _others(
    outlet: str,
    term: str,
    outlets: list[str],
    z: dict[str, dict[str, float]],
    vocab: dict[str, set[str]],
    fact_index: list[dict[str, set[str]]],
    variants: dict[str, set[str]],
    proper: set[str],
) -> list[str]:
    from rapidfuzz import fuzz

    score: Counter[str] = Counter()
    # a name's counterpart is another spelling of it (below), never a common word of the
    # aligned sentence ("Marenia" is not the other outlets' word for "walkout"), and a common
    # word's counterpart is a common word
    for words in fact_index if term not in proper else ():
        mine = words.get(outlet)
        if not mine or term not in mine:
            continue
        for o, ws in words.items():
            if o == outlet or term in ws:
                continue
            for w in ws - mine:
                # the other outlet prefers w, this outlet does not: a substitute wording
                if z[o].get(w, 0.0) > 0 and z[outlet].get(w, 0.0) <= 0 and w not in proper:
                    score[w] += 1 + min(z[o][w], 3.0) / 10
    for o in outlets:
        if o == outlet or term in vocab[o]:
            continue
        if term in proper:
            for w in vocab[o] & proper:
                if (
                    w != term
                    and z[o].get(w, 0.0) > 0
                    and w[0] == term[0]
                    and fuzz.ratio(w, term) >= VARIANT_RATIO
                    and not _inflection(w, term)
                ):
                    score[w] += 2
        for w in variants.get(term, set()) | one_word_aliases().get(term, frozenset()):
            if w in vocab[o] and w != term:
                score[w] += 2
    ranked = sorted(score.items(), key=lambda x: (-x[1], x[0]))
    if not ranked:
        return []
    best = ranked[0][1]
    return [w for w, sc in ranked[:3] if sc >= OTHERS_SHARE * best]


_SUFFIXES = ("n", "an", "ian", "s", "es", "ese", "ish", "i")


def _inflection(a: str, b: str) -> bool:
    """True when one word is the other plus a derivational ending (Russia/Russian)."""
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short) and long_[len(short) :] in _SUFFIXES[:-1]
