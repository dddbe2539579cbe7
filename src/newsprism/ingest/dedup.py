"""Near-duplicate articles: wire copies, syndicated reprints and updated versions (MinHash LSH).

Each article's text is normalized (lower-cased word tokens) and cut into word 5-shingles, hashed to
32 bits (stable across runs and machines). A 128-permutation MinHash of the shingles (fixed
seed; bit for bit datasketch 2's "affine32" MinHash, so stored fingerprints stay valid, but
without importing datasketch and SciPy, about 0.4-1 s a run) goes into an LSH index (32 bands
of 4 rows) that proposes candidate pairs in near-linear time; each candidate pair is then
verified. Two articles are **near-duplicates** when

* their shingle Jaccard similarity is at least ``threshold`` (default 0.8), or
* the shorter one's shingles are at least ``threshold`` contained in the longer one *and* the
  Jaccard similarity is at least ``threshold / 2`` (an updated version that added paragraphs, a
  reprint that rewrote its intro line, a trimmed wire copy).

Near-duplicates are grouped transitively; each group's **canonical** article is the one published
earliest (ISO ``published``; articles without a date come after dated ones), ties broken by the
order the articles were given in (first seen). Every other member gets ``duplicate_of`` set to the
canonical's id. The result depends only on the texts, dates and order: it is deterministic.

Batch use (core's ingest): :func:`link_duplicates`. Incremental use against articles already in a
store: :class:`DuplicateIndex` (see its docstring) and :func:`link_to_index`.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

import numpy as np

from newsprism.model import Article
from newsprism.packed import pack, unpack
from newsprism.unionfind import UnionFind

logger = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE = 5
SEED = 1
# LSH banding for candidates: 32 bands of 4 rows catches pairs at Jaccard >= 0.6 with
# probability > 0.98 (0.87 at 0.5) while unrelated articles (Jaccard < 0.1) rarely collide.
LSH_PARAMS = (32, 4)
_WORD = re.compile(r"\w+", re.UNICODE)
BANDS, ROWS = LSH_PARAMS
K = TypeVar("K", bound=Hashable)
_WORD_HASHES: dict[str, int] = {}  # word -> CRC-32 (0 mapped to 1), bounded
_BASE = np.uint64(1_000_003)
_MIX = np.uint64(0xFF51AFD7ED558CCD)


def words(text: str) -> list[str]:
    """Normalized word tokens: lower-cased, punctuation and spacing ignored."""
    return _WORD.findall(text.lower())


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word ``k``-shingles of ``text`` (one shingle when shorter).

    Each word is hashed once (CRC-32 of its UTF-8 bytes); a shingle's hash is a polynomial
    combination of its ``k`` word hashes (mod 2^64), finalized with a 64-bit mixer and folded to
    32 bits. Stable across runs, processes and machines (no Python ``hash``)."""
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint32)
    cache = _WORD_HASHES
    if len(cache) > 1_000_000:
        cache.clear()
    wh = np.fromiter(
        (cache.get(t) or cache.setdefault(t, zlib.crc32(t.encode("utf-8")) or 1) for t in tokens),
        dtype=np.uint64,
        count=len(tokens),
    )
    n = max(len(tokens) - k + 1, 1)
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(tokens))):
        acc = acc * _BASE + wh[j : j + n]
    acc ^= acc >> np.uint64(33)
    acc *= _MIX
    acc ^= acc >> np.uint64(29)
    return np.unique((acc & np.uint64(0xFFFFFFFF)).astype(np.uint32))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a * h + b (mod 2^32, ``a`` odd: a bijection), drawn as
    datasketch 2 draws them for its "affine32" scheme and :data:`SEED`."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer (a bijection), applied once before the permutations."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


#: shingles put through the permutations at once (a 4,096 x 128 uint32 block is 2 MB)
_CHUNK = 4096


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The :data:`NUM_PERM` MinHash values (uint32) of a set of 32-bit shingle hashes; all
    2^32 - 1 for the empty set."""
    a, b = _permutations()
    out = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    mixed = _fmix32(np.asarray(hashes, dtype=np.uint32))
    for k in range(0, len(mixed), _CHUNK):
        block = mixed[k : k + _CHUNK].reshape(-1, 1)
        out = np.minimum(out, (block * a + b).min(axis=0))
    return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two MinHashes estimate: the share of equal values."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


class BandIndex(Generic[K]):
    """LSH over MinHash values: :data:`BANDS` bands of :data:`ROWS` values; two keys whose
    values agree on a whole band are candidates."""

    def __init__(self) -> None:
        self._tables: list[dict[bytes, set[K]]] = [{} for _ in range(BANDS)]
        self._values: dict[K, np.ndarray] = {}

    def _bands(self, values: np.ndarray) -> Iterator[tuple[dict[bytes, set[K]], bytes]]:
        raw = np.asarray(values, dtype="<u4")
        for i, table in enumerate(self._tables):
            yield table, raw[i * ROWS : (i + 1) * ROWS].tobytes()

    def insert(self, key: K, values: np.ndarray) -> None:
        self.remove(key)
        self._values[key] = values
        for table, band in self._bands(values):
            table.setdefault(band, set()).add(key)

    def remove(self, key: K) -> None:
        values = self._values.pop(key, None)
        if values is None:
            return
        for table, band in self._bands(values):
            bucket = table.get(band)
            if bucket is not None:
                bucket.discard(key)
                if not bucket:
                    del table[band]

    def query(self, values: np.ndarray) -> set[K]:
        found: set[K] = set()
        for table, band in self._bands(values):
            found |= table.get(band, set())
        return found


@dataclass(slots=True)
class Fingerprint:
    """What the near-duplicate check keeps of one text: its MinHash values and its shingle
    count.

    ``minhash`` (128 uint32) can be stored (e.g. as bytes) and the fingerprint rebuilt with
    :meth:`from_hashvalues`."""

    minhash: np.ndarray
    size: int

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        hashes = shingle_hashes(text)
        return cls(minhash(hashes), len(hashes))

    def to_record(self) -> list[Any]:
        """``[size, MinHash values as base64 of little-endian uint32]``, for the store."""
        return [self.size, pack(np.asarray(self.minhash), "<u4")]

    @classmethod
    def from_record(cls, record: Any) -> Fingerprint | None:
        """The fingerprint :meth:`to_record` wrote; None for anything else."""
        try:
            size, packed = record
            values = unpack(packed, "<u4")
        except (TypeError, ValueError):
            return None
        if type(size) is not int or size < 0 or len(values) != NUM_PERM:
            return None
        return cls.from_hashvalues(values.tolist(), size)

    @classmethod
    def from_hashvalues(cls, hashvalues: Iterable[int], size: int) -> Fingerprint:
        return cls(np.asarray(list(hashvalues), dtype=np.uint32), size)


def is_near_duplicate(jaccard: float, size_a: int, size_b: int, threshold: float) -> bool:
    """The verification rule (module doc) from a Jaccard value and the two shingle counts."""
    if size_a == 0 or size_b == 0:
        return False
    if jaccard >= threshold:
        return True
    if jaccard < threshold / 2:
        return False
    inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return inter / min(size_a, size_b) >= threshold


def _published_key(published: str | None) -> tuple[int, str]:
    if published and re.match(r"^\d{4}-\d{2}-\d{2}", published):
        return (0, published[:19].replace(" ", "T"))
    return (1, "")


def fingerprints(
    texts: Sequence[str], known: Sequence[Fingerprint | None] | None = None
) -> list[Fingerprint]:
    """Each text's fingerprint: ``known[i]`` where given, computed where not."""
    given = list(known or [])
    given += [None] * (len(texts) - len(given))
    return [fp or Fingerprint.of(t or "") for t, fp in zip(texts, given, strict=True)]


def find_groups(
    texts: Sequence[str],
    threshold: float = 0.8,
    prints: Sequence[Fingerprint | None] | None = None,
) -> list[list[int]]:
    """Groups (lists of indices, in input order) of near-duplicate texts; singletons left out.

    ``prints``: each text's :class:`Fingerprint` where already known (from the store), None
    where not. A known fingerprint spares the text's shingling and MinHash; shingles are then
    computed only for the candidate pairs to verify. The groups are the same either way."""
    fps = fingerprints(texts, prints)
    shingles: dict[int, np.ndarray] = {}

    def shingled(i: int) -> np.ndarray:
        if i not in shingles:
            shingles[i] = shingle_hashes(texts[i] or "")
        return shingles[i]

    lsh: BandIndex[int] = BandIndex()
    for i, fp in enumerate(fps):
        if fp.size:
            lsh.insert(i, fp.minhash)
    uf = UnionFind(len(texts))
    for i, fp in enumerate(fps):
        if not fp.size:
            continue
        for j in sorted(lsh.query(fp.minhash)):
            if j <= i or uf.find(i) == uf.find(j):
                continue
            a, b = shingled(i), shingled(j)
            inter = len(np.intersect1d(a, b, assume_unique=True))
            jac = inter / (len(a) + len(b) - inter)
            if is_near_duplicate(jac, len(a), len(b), threshold):
                uf.union(i, j)
    return [g for g in uf.groups() if len(g) > 1]


def link_duplicates(
    articles: list[Article],
    threshold: float = 0.8,
    prints: Sequence[Fingerprint | None] | None = None,
) -> None:
    """Set ``duplicate_of`` on near-duplicate articles to their group's canonical article's id.

    Recomputed from scratch for the given list: canonical and unique articles get
    ``duplicate_of = None``. Near-linear (LSH candidates, exact shingle verification); never raises
    on odd text (empty texts are never duplicates). ``prints``: the articles' fingerprints where
    known (see :func:`find_groups`)."""
    for article in articles:
        article.duplicate_of = None
    groups = find_groups([a.text for a in articles], threshold, prints)
    for group in groups:
        canonical = min(group, key=lambda i: (_published_key(articles[i].published), i))
        for i in group:
            if i != canonical:
                articles[i].duplicate_of = articles[canonical].id
    if groups:
        logger.info(
            "near-duplicates: %d articles linked in %d groups",
            sum(len(g) - 1 for g in groups),
            len(groups),
        )


class DuplicateIndex:
    """Incremental near-duplicate index over articles already stored (in memory).

    Usage::

        index = DuplicateIndex()
        for stored in store_articles:          # once, at start-up (or rebuild from saved
            index.add(stored)                  # fingerprints: add(article, fingerprint=...))
        link_duplicates(batch)                 # within the new batch
        link_to_index(batch, index)            # then against the store; adds the batch

    ``query(article)`` returns the id of the *canonical* stored article the given article
    duplicates (following a stored duplicate to its canonical), or None. It uses the same rule as
    :func:`link_duplicates`, with Jaccard estimated from the MinHashes (standard error about 0.035
    at 128 permutations) since shingle sets are not kept. A new article is always linked to the
    already-stored canonical, even if it was published earlier: stored ids stay stable.
    """

    def __init__(self, threshold: float = 0.8) -> None:
        self.threshold = threshold
        self._lsh: BandIndex[str] = BandIndex()
        self._prints: dict[str, Fingerprint] = {}
        self._canonical: dict[str, str | None] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._prints)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._prints

    def add(self, article: Article, fingerprint: Fingerprint | None = None) -> Fingerprint:
        """Index ``article`` (with its ``duplicate_of``); returns its fingerprint (for storing)."""
        fp = fingerprint or Fingerprint.of(article.text or "")
        self._lsh.remove(article.id)
        self._prints[article.id] = fp
        self._canonical[article.id] = article.duplicate_of
        self._order.setdefault(article.id, len(self._order))
        if fp.size:
            self._lsh.insert(article.id, fp.minhash)
        return fp

    def query(self, article: Article, fingerprint: Fingerprint | None = None) -> str | None:
        """Id of the canonical stored article that ``article`` near-duplicates, or None."""
        fp = fingerprint or Fingerprint.of(article.text or "")
        if not fp.size:
            return None
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(fp.minhash):
            if key == article.id:
                continue
            other = self._prints[key]
            jac = estimated_jaccard(fp.minhash, other.minhash)
            if is_near_duplicate(jac, fp.size, other.size, self.threshold):
                cand = (-jac, self._order[key], key)
                if best is None or cand < best:
                    best = cand
        if best is None:
            return None
        found = best[2]
        return self._canonical.get(found) or found


def link_to_index(articles: list[Article], index: DuplicateIndex) -> None:
    """Link a batch (already through :func:`link_duplicates`) to stored articles, then index it.

    Each batch canonical that duplicates a stored article is pointed at the stored canonical,
    and so are the batch articles that pointed at it."""
    repoint: dict[str, str] = {}
    prints: dict[str, Fingerprint] = {}
    for article in articles:
        if article.duplicate_of is None:
            fp = Fingerprint.of(article.text or "")
            prints[article.id] = fp
            stored = index.query(article, fp)
            if stored is not None and stored != article.id:
                repoint[article.id] = stored
                article.duplicate_of = stored
    for article in articles:
        if article.duplicate_of in repoint:
            article.duplicate_of = repoint[article.duplicate_of]
    for article in articles:
        index.add(article, prints.get(article.id))
