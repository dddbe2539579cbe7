"""Per-article features for story clustering: hashed TF-IDF with online IDF, name keys, times.

Everything here is incremental-friendly: terms are hashed (CRC32, stable across processes)
into a fixed space, and document frequencies are counted online, so a vector computed today
means the same thing after the clusterer state is saved and reloaded.
"""

from __future__ import annotations

import logging
import math
import re
import zlib
from collections import Counter
from datetime import UTC, datetime

import numpy as np

from newsprism.packed import pack_weights, unpack_weights
from newsprism.stopwords import NEWS_STOP_WORDS
from newsprism.text import tokens

log = logging.getLogger(__name__)

HASH_BITS = 22
HASH_MASK = (1 << HASH_BITS) - 1

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)
_SENT_END = re.compile(r"(?<=[.!?])\s+|\n+")


_hash_cache: dict[str, int] = {}


def term_hash(term: str) -> int:
    """Stable hash of a term into the feature space (same value in every process)."""
    h = _hash_cache.get(term)
    if h is None:
        h = zlib.crc32(term.encode("utf-8", "surrogatepass")) & HASH_MASK
        if len(_hash_cache) < 2_000_000:
            _hash_cache[term] = h
    return h


def content_terms(text: str) -> list[str]:
    """Lower-cased content words of :func:`newsprism.text.tokens` (possessive ``'s`` cut; no stop
    words, no 1-letter tokens, no ``$``/``%``): the terms of the clustering vectors."""
    out = []
    for token in tokens(text):
        w = token.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 2 or w in NEWS_STOP_WORDS:
            continue
        out.append(w)
    return out


def name_keys(text: str, limit: int = 4000) -> list[str]:
    """Capitalised words that are not sentence-initial, and runs of them (``vincent jackson``),
    plus numbers: a cheap stand-in for entity names and event specifics.

    Used only when the caller gives no canonical entities. Works on tokenized and raw text.
    """
    keys: list[str] = []
    for sent in _SENT_END.split(text[:limit]):
        words = _WORD.findall(sent)
        run: list[str] = []
        for i, w in enumerate([*words, ""]):
            cap = i > 0 and w[:1].isupper() and len(w) > 1 and w.lower() not in NEWS_STOP_WORDS
            if cap:
                run.append(w.lower())
                keys.append(w.lower())
                continue
            if len(run) > 1:
                keys.append(" ".join(run))
            run = []
            if NUMBERS and w[:1].isdigit() and len(w) > 1:
                keys.append("#" + w)
    return keys


NUMBERS = True


def lead(text: str, chars: int) -> str:
    """The first ``chars`` characters of ``text``, cut at a word boundary."""
    if len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars)
    return text[: cut if cut > chars // 2 else chars]


class OnlineIdf:
    """Document frequencies of hashed terms, counted as documents arrive."""

    def __init__(self, n_docs: int = 0, df: dict[int, int] | None = None):
        self.n_docs = n_docs
        self.df: Counter[int] = Counter(df or {})

    def update(self, term_sets: list[set[int]]) -> None:
        for ts in term_sets:
            self.df.update(ts)
        self.n_docs += len(term_sets)

    def idf(self, h: int) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(h, 0) + 1)) + 1.0

    def to_dict(self) -> dict:
        """``df`` packed (:func:`~newsprism.packed.pack_weights`: uint32 hashes and counts)."""
        return {"n_docs": self.n_docs, "df": pack_weights(dict(sorted(self.df.items())), "<u4")}

    @classmethod
    def from_dict(cls, d: dict) -> OnlineIdf:
        return cls(int(d.get("n_docs", 0)), unpack_weights(d.get("df"), "<u4"))


def weighted_counts(parts: list[tuple[list[str], float]]) -> dict[int, float]:
    """Hashed term -> weighted count over several text parts (e.g. title x2, lead x1.5, body x1)."""
    counts: dict[int, float] = {}
    for toks, weight in parts:
        for t in toks:
            h = term_hash(t)
            counts[h] = counts.get(h, 0.0) + weight
    return counts


def tfidf_vector(counts: dict[int, float], idf: OnlineIdf, max_terms: int) -> dict[int, float]:
    """Sublinear TF x online IDF, L2-normalised, keeping the ``max_terms`` heaviest terms."""
    vec = {h: (1.0 + math.log(c)) * idf.idf(h) for h, c in counts.items() if c > 0}
    if len(vec) > max_terms:
        vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms])
    norm = math.sqrt(sum(v * v for v in vec.values()))
    if norm == 0:
        return {}
    return {h: v / norm for h, v in vec.items()}


def sparse_dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(v * get(h, 0.0) for h, v in a.items())


def project(vec: dict[int, float], dim: int) -> np.ndarray:
    """Random +-1 projection of a sparse hashed vector to ``dim`` dims (deterministic, stateless)."""
    out = np.zeros(dim, dtype=np.float32)
    for h, v in vec.items():
        r = zlib.crc32(h.to_bytes(4, "little"))
        out[r % dim] += v if (r >> 16) & 1 else -v
        out[(r >> 8) % dim] += v if (r >> 24) & 1 else -v
    n = float(np.linalg.norm(out))
    return out / n if n > 0 else out


def parse_time(value: str | None) -> float | None:
    """ISO date or datetime -> days since the epoch (UTC); None when absent or unreadable."""
    if not value or not isinstance(value, str):
        return None
    s = value.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        try:
            dt = datetime.fromisoformat(s[:10])
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp() / 86400.0
