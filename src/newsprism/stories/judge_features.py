"""Features of a sentence pair for the same-fact judge (:mod:`newsprism.stories.judge`).

Every feature is computed for many pairs at once: each distinct text is analysed once
(:class:`TextInfo`), then pair features are cheap set and vector operations. Three groups:

* meaning: cosine of the two all-MiniLM-L6-v2 sentence vectors (the element-wise ``|u - v|``
  and ``u * v`` were tried and lowered cross-validated accuracy; see ``docs/judge.md``);
* wording: unigram/bigram/trigram overlap (Jaccard and containment both ways), stemmed
  content-word overlap, longest common token subsequence, character 4-gram cosine, lengths,
  the share of each sentence's content words the other lacks and the longest stretch of them;
* slots: numbers (value and unit, written numbers included), capitalised names, negation,
  months/weekdays/years; for each, whether both carry it, whether they agree, and how many
  values one has that the other lacks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import pairwise

import numpy as np

from newsprism.stopwords import FUNCTION_WORDS
from newsprism.stories.claims import find_numbers
from newsprism.text import DENIAL_WORDS, is_negation, stem, tokens


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")

SCALAR_FEATURES: tuple[str, ...] = (
    "cosine",
    "uni_jaccard",
    "uni_cont_min",
    "uni_cont_max",
    "bi_jaccard",
    "bi_cont_min",
    "tri_jaccard",
    "stem_jaccard",
    "stem_cont_min",
    "stem_cont_max",
    "lcs_ratio",
    "char4_cosine",
    "len_diff_ratio",
    "log_len_ratio",
    "min_len_log",
    "unmatched_max",
    "unmatched_min",
    "unmatched_share_max",
    "unmatched_share_min",
    "num_both",
    "num_one",
    "num_equal",
    "num_unmatched",
    "name_both",
    "name_unmatched_max",
    "name_unmatched_min",
    "neg_mismatch",
    "date_both",
    "date_mismatch",
    "date_unmatched",
    "run_max",
    "run_min",
    "runs3",
    "gap_max",
    "gap_min",
    "soft_near",
    "soft_mean",
)
#: static word-vector cosine at which an unmatched word has a near-synonym on the other side
SOFT_NEAR = 0.25


@dataclass(frozen=True)
class TextInfo:
    """What the pair features need from one text, computed once per distinct text."""

    tokens: tuple[str, ...]
    uni: frozenset[str]
    bi: frozenset[tuple[str, str]]
    tri: frozenset[tuple[str, str, str]]
    stems: frozenset[str]
    numbers: frozenset[tuple[float, str]]
    names: frozenset[str]
    negated: bool
    dates: frozenset[str]
    char4: dict[str, int]
    char4_norm: float  # Euclidean norm of char4
    content: tuple[str | None, ...]  # per token: its stem, or None for a function word
    content_before: tuple[int, ...]  # content words among the first i tokens, i = 0..len
    words: dict[str, str]  # stem -> the first word written with it (alphabetic, 3+ letters)


def _lower(raw: list[str]) -> tuple[str, ...]:
    return tuple(t.lower().replace("’", "'") for t in raw)


def _denies(toks: Sequence[str]) -> bool:
    return any(is_negation(t) or t in DENIAL_WORDS for t in toks)


def denies(text: str) -> bool:
    """Whether a text negates, denies or doubts what it states: the judge's negation feature
    (:attr:`TextInfo.negated`) without the rest of :func:`analyse`."""
    return _denies(_lower(tokens(text or "")))


def analyse(text: str) -> TextInfo:
    raw = tokens(text or "")
    toks = _lower(raw)
    content = [t for t in toks if t not in FUNCTION_WORDS]
    names = frozenset(
        t.lower()
        for i, t in enumerate(raw)
        if t[:1].isupper()
        and (i > 0 or len(raw) == 1)
        and t.lower() not in FUNCTION_WORDS
        and t.lower() not in _MONTHS
        and t.lower() not in _WEEKDAYS
    )
    numbers: set[tuple[float, str]] = set()
    try:
        for n in find_numbers(text or ""):
            numbers.add((round(float(n.value), 3), n.unit))
    except (ValueError, OverflowError):
        pass
    dates = frozenset(t for t in toks if t in _MONTHS or t in _WEEKDAYS or _YEAR.match(t))
    squashed = " " + " ".join(toks) + " "
    char4: dict[str, int] = {}
    for i in range(len(squashed) - 3):
        g = squashed[i : i + 4]
        char4[g] = char4.get(g, 0) + 1
    per_token = tuple(None if t in FUNCTION_WORDS else stem(t) for t in toks)
    before = [0]
    for s in per_token:
        before.append(before[-1] + (s is not None))
    return TextInfo(
        tokens=toks,
        uni=frozenset(toks),
        bi=frozenset(pairwise(toks)),
        tri=frozenset(zip(toks, toks[1:], toks[2:], strict=False)),
        stems=frozenset(stem(t) for t in content),
        numbers=frozenset(numbers),
        names=names,
        negated=_denies(toks),
        dates=dates,
        char4=char4,
        char4_norm=math.sqrt(sum(v * v for v in char4.values())),
        content=per_token,
        content_before=tuple(before),
        words=_surface_words(content),
    )


def _surface_words(content: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in content:
        if len(t) > 2 and t.isalpha():
            out.setdefault(stem(t), t)
    return out


def _soft(a: TextInfo, b: TextInfo) -> tuple[float, float]:
    """How close the words each text has and the other lacks come to each other, by the
    encoder's static word vectors (:func:`newsprism.nlp.embed.word_vectors`): the share of
    those words with a near-synonym on the other side (cosine >= :data:`SOFT_NEAR`: "plan" /
    "initiative", "war" / "conflict") and the mean best cosine. A paraphrase swaps words for
    near-synonyms; two different facts differ in words that are not."""
    ia = [k for k, st in enumerate(a.words) if st not in b.stems]
    ib = [k for k, st in enumerate(b.words) if st not in a.stems]
    if not ia or not ib:
        return 0.0, 0.0
    # each text's word vectors are stacked once, however many pairs it is in
    va = _word_matrix(tuple(a.words.values()))[ia].astype(np.float32)
    vb = _word_matrix(tuple(b.words.values()))[ib].astype(np.float32)
    sims = va @ vb.T
    best_a, best_b = sims.max(axis=1), sims.max(axis=0)
    near = int(np.count_nonzero(best_a >= SOFT_NEAR)) + int(np.count_nonzero(best_b >= SOFT_NEAR))
    return near / (len(ia) + len(ib)), float(best_a.mean() + best_b.mean()) / 2


@lru_cache(maxsize=4096)
def _word_matrix(words: tuple[str, ...]) -> np.ndarray:
    """A text's word vectors in half precision (4,096 texts of 20 words: about 60 MB)."""
    from newsprism.nlp.embed import word_vectors  # lazy: reads the model's word table once

    return word_vectors(words).astype(np.float16)


def _jac(a: frozenset, b: frozenset) -> float:
    u = len(a | b)
    return len(a & b) / u if u else 1.0


def _cont(a: frozenset, b: frozenset) -> tuple[float, float]:
    """Share of ``a`` found in ``b`` and of ``b`` found in ``a``, as (min, max)."""
    inter = len(a & b)
    ca = inter / len(a) if a else 1.0
    cb = inter / len(b) if b else 1.0
    return min(ca, cb), max(ca, cb)


def _numbers_match(a: frozenset[tuple[float, str]], b: frozenset[tuple[float, str]]) -> int:
    """How many numbers of the one side have no equal value (within 1%) on the other side."""
    va = [v for v, _ in a]
    vb = [v for v, _ in b]

    def missing(xs: list[float], ys: list[float]) -> int:
        return sum(1 for x in xs if not any(abs(x - y) <= 0.01 * max(abs(x), abs(y)) for y in ys))

    return missing(va, vb) + missing(vb, va)


def _longest_run(a: TextInfo, b: TextInfo) -> tuple[int, int]:
    """Longest run of ``a``'s content words that ``b`` lacks (stop words neither count nor
    break a run), and how many such runs hold three or more words."""
    best = cur = runs = 0
    for s in a.content:
        if s is None:
            continue
        if s in b.stems:
            runs += cur >= 3
            cur = 0
        else:
            cur += 1
            best = max(best, cur)
    runs += cur >= 3
    return best, runs


def _gaps(a: TextInfo, b: TextInfo, sm: SequenceMatcher) -> tuple[int, int]:
    """Content words in the longest unaligned stretch of ``a`` and of ``b`` (token diff)."""
    ga = gb = 0
    ca, cb = a.content_before, b.content_before
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        ga = max(ga, ca[i2] - ca[i1])
        gb = max(gb, cb[j2] - cb[j1])
    return ga, gb


#: pairs handled at a time by :func:`char_cosines` (their 4-grams matched) and
#: :func:`pair_cosines` (their rows gathered): memory bounded, every value the same
_PAIR_CHUNK = 2048


def char_cosines(infos: Sequence[TextInfo], ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Character 4-gram cosine of each pair (``infos[ia[k]]``, ``infos[ib[k]]``), all pairs in
    a few array operations: the shared 4-grams of every pair are found by one sort of
    (pair, 4-gram) keys."""
    out = np.zeros(len(ia), dtype=np.float64)
    if not len(ia):
        return out
    vocab: dict[str, int] = {}
    ids: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for info in infos:
        ids.append(np.array([vocab.setdefault(g, len(vocab)) for g in info.char4], np.int64))
        counts.append(np.array(list(info.char4.values()), dtype=np.float64))
    size = max(len(vocab), 1)
    lens = np.array([len(x) for x in ids], dtype=np.int64)
    dot = np.zeros(len(ia), dtype=np.float64)
    # pairs a chunk at a time: each pair's sum is the same (its 4-grams in the order of their
    # ids), the memory is that of the chunk's 4-grams
    for start in range(0, len(ia), _PAIR_CHUNK):
        ca, cb = ia[start : start + _PAIR_CHUNK], ib[start : start + _PAIR_CHUNK]
        pair = np.arange(len(ca), dtype=np.int64)
        ka = np.repeat(pair, lens[ca]) * size + np.concatenate([ids[i] for i in ca])
        kb = np.repeat(pair, lens[cb]) * size + np.concatenate([ids[i] for i in cb])
        wa = np.concatenate([counts[i] for i in ca])
        wb = np.concatenate([counts[i] for i in cb])
        common, xa, xb = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
        dot[start : start + len(ca)] = np.bincount(
            common // size, weights=wa[xa] * wb[xb], minlength=len(ca)
        )
    norms = np.array([info.char4_norm for info in infos], dtype=np.float64)
    denom = norms[ia] * norms[ib]
    np.divide(dot, denom, out=out, where=denom > 0)
    return out


def pair_scalars(
    a: TextInfo,
    b: TextInfo,
    cosine: float,
    char_cos: float,
    matcher: SequenceMatcher | None = None,
) -> list[float]:
    """The :data:`SCALAR_FEATURES` of one pair, in that order. ``char_cos``: the pair's
    character 4-gram cosine (:func:`char_cosines` computes those of all pairs at once);
    ``matcher``: a ``SequenceMatcher`` already holding ``b.tokens`` as its second sequence (it
    indexes that side once, for all the pairs that share it)."""
    uc = _cont(a.uni, b.uni)
    bc = _cont(a.bi, b.bi)
    sc = _cont(a.stems, b.stems)
    la, lb = max(len(a.tokens), 1), max(len(b.tokens), 1)
    if matcher is None:
        matcher = SequenceMatcher(None, b=b.tokens, autojunk=False)
    matcher.set_seq1(a.tokens)
    lcs = matcher
    lcs_len = sum(block.size for block in lcs.get_matching_blocks())
    un_a = len(a.stems - b.stems)
    un_b = len(b.stems - a.stems)
    sh_a = un_a / len(a.stems) if a.stems else 0.0
    sh_b = un_b / len(b.stems) if b.stems else 0.0
    num_unmatched = _numbers_match(a.numbers, b.numbers)
    ra, runs_a = _longest_run(a, b)
    rb, runs_b = _longest_run(b, a)
    ga, gb = _gaps(a, b, lcs)
    na_un = len(a.names - b.names)
    nb_un = len(b.names - a.names)
    soft_near, soft_mean = _soft(a, b)
    return [
        cosine,
        _jac(a.uni, b.uni),
        uc[0],
        uc[1],
        _jac(a.bi, b.bi),
        bc[0],
        _jac(a.tri, b.tri),
        _jac(a.stems, b.stems),
        sc[0],
        sc[1],
        lcs_len / max(la, lb),
        char_cos,
        abs(la - lb) / max(la, lb),
        abs(math.log(la / lb)),
        math.log(min(la, lb)),
        float(max(un_a, un_b)),
        float(min(un_a, un_b)),
        max(sh_a, sh_b),
        min(sh_a, sh_b),
        float(bool(a.numbers) and bool(b.numbers)),
        float(bool(a.numbers) != bool(b.numbers)),
        float(bool(a.numbers) and a.numbers == b.numbers),
        float(min(num_unmatched, 4)),
        float(bool(a.names) and bool(b.names)),
        float(min(max(na_un, nb_un), 6)),
        float(min(min(na_un, nb_un), 6)),
        float(a.negated != b.negated),
        float(bool(a.dates) and bool(b.dates)),
        float(bool(a.dates) and bool(b.dates) and not (a.dates & b.dates)),
        float(min(len(a.dates ^ b.dates), 4)),
        float(max(ra, rb)),
        float(min(ra, rb)),
        float(runs_a + runs_b),
        float(max(ga, gb)),
        float(min(ga, gb)),
        soft_near,
        soft_mean,
    ]


def pair_features(
    a_texts: Sequence[str], b_texts: Sequence[str], a_vecs: np.ndarray, b_vecs: np.ndarray
) -> np.ndarray:
    """Feature rows (one per pair, :data:`SCALAR_FEATURES` columns) for ``(a_texts[i], b_texts[i])``.

    ``a_vecs``/``b_vecs`` are the L2-normalised sentence vectors of the texts, row for row.
    """
    n = len(a_texts)
    if n != len(b_texts) or a_vecs.shape[0] != n or b_vecs.shape[0] != n:
        raise ValueError("a_texts, b_texts, a_vecs and b_vecs must have the same length")
    return features_given_cosines(a_texts, b_texts, pair_cosines(a_vecs, b_vecs))


def pair_cosines(
    a_vecs: np.ndarray,
    b_vecs: np.ndarray,
    ia: np.ndarray | None = None,
    ib: np.ndarray | None = None,
) -> np.ndarray:
    """The float32 cosine of each pair of L2-normalised rows: ``a_vecs[k]`` with ``b_vecs[k]``,
    or, given ``ia``/``ib``, ``a_vecs[ia[k]]`` with ``b_vecs[ib[k]]`` (rows gathered a chunk of
    pairs at a time: each value is the same, the memory that of a chunk)."""
    u = np.asarray(a_vecs, dtype=np.float32)
    v = np.asarray(b_vecs, dtype=np.float32)
    if ia is None or ib is None:
        return np.einsum("ij,ij->i", u, v)
    out = np.empty(len(ia), dtype=np.float32)
    for start in range(0, len(ia), _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        out[start:stop] = np.einsum("ij,ij->i", u[ia[start:stop]], v[ib[start:stop]])
    return out


def features_given_cosines(
    a_texts: Sequence[str], b_texts: Sequence[str], cos: np.ndarray
) -> np.ndarray:
    """:func:`pair_features` of pairs whose vector cosines are known (:func:`pair_cosines`)."""
    n = len(a_texts)
    if n != len(b_texts) or len(cos) != n:
        raise ValueError("a_texts, b_texts and cos must have the same length")
    infos: dict[str, TextInfo] = {}
    for t in (*a_texts, *b_texts):
        if t not in infos:
            infos[t] = analyse(t)
    # wire copies repeat whole pairs: each distinct (a, b, cosine) is computed once
    keys = list(dict.fromkeys(zip(a_texts, b_texts, (float(c) for c in cos), strict=True)))
    order = {t: i for i, t in enumerate(infos)}
    listed = list(infos.values())
    chars = char_cosines(
        listed,
        np.array([order[a] for a, _, _ in keys], dtype=np.int64),
        np.array([order[b] for _, b, _ in keys], dtype=np.int64),
    )
    matchers: dict[str, SequenceMatcher] = {}  # one per distinct b text, reused across pairs
    done: dict[tuple[str, str, float], list[float]] = {}
    for (a, b, c), cc in zip(keys, chars.tolist(), strict=True):
        m = matchers.get(b)
        if m is None:
            m = matchers[b] = SequenceMatcher(None, b=infos[b].tokens, autojunk=False)
        done[(a, b, c)] = pair_scalars(infos[a], infos[b], c, cc, m)
    rows = [done[(a, b, float(c))] for a, b, c in zip(a_texts, b_texts, cos, strict=True)]
    scal = np.array(
        rows,
        dtype=np.float32,
    ).reshape(n, len(SCALAR_FEATURES))
    return scal
