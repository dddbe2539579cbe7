"""Story clustering: articles -> stories, online and incremental, near-linear in the stream.

Articles are taken in time order (by ``published`` when present, input order otherwise).
Each one either joins the most similar *active* story or opens a new one. Similarity mixes
hashed TF-IDF (title and lead weighted up, IDF counted online), overlap of canonical entity
names (or capitalised-word names when none are given), MiniLM embeddings of title + lead,
and time proximity. Candidates come from approximate nearest-neighbour search (usearch) over
the centroids of stories still inside the time window, so the cost per article stays about
constant as the archive grows. After each batch a refinement pass lets articles move to a
better story (a k-means step over the stories found), and stories whose centroids have grown
alike are merged. See ``docs/clustering.md``.
"""

from __future__ import annotations

import base64
import logging
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from newsprism.nlp.embed import cluster_backend, preload_runtime
from newsprism.nlp.pipeline import embed
from newsprism.packed import pack, pack_weights, unpack_vector, unpack_weights
from newsprism.settings import Granularity, default
from newsprism.stories.cluster_features import (
    OnlineIdf,
    content_terms,
    lead,
    name_keys,
    parse_time,
    project,
    sparse_dot,
    tfidf_vector,
    weighted_counts,
)

log = logging.getLogger(__name__)

STATE_VERSION = 1


@dataclass
class ClusterDoc:
    """One article as the clusterer sees it."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date/datetime; may be absent
    source: str | None = None  # outlet; may be absent
    entities: list[str] = field(default_factory=list)  # canonical entity names, may be empty
    duplicate_of: str | None = (
        None  # id of the canonical article when ingest found a near-duplicate
    )


@dataclass
class ClusterSettings:
    """Clustering settings. Defaults suit news without per-corpus tuning.

    ``granularity="event"`` groups articles about one real-world event (two different
    earthquakes are two stories); ``"topic"`` groups looser (all coverage of earthquakes in a
    region over a month), by lowering the join threshold and widening the time window.
    """

    granularity: Granularity = default("granularity")
    #: compute MiniLM embeddings of title + lead when none are passed; False = pure TF-IDF mode
    use_embeddings: bool = True
    #: weight of the TF-IDF cosine in the similarity
    weight_tfidf: float = 0.5
    #: weight of the embedding cosine (ignored, and the others renormalised, without embeddings)
    weight_embedding: float = 0.35
    #: weight of the entity/name cosine
    weight_entities: float = 0.35
    #: similarity an article needs to join a story (event granularity)
    join_threshold: float = 0.33
    #: similarity two stories need to be merged (event granularity)
    merge_threshold: float = 0.6
    #: join/merge thresholds are multiplied by this at topic granularity
    topic_threshold_factor: float = 0.5
    #: a story of this batch is bisected when its two halves are less similar than this (0 = never)
    split_threshold: float = 0.45
    #: an article still alone after refinement joins its nearest story above this (0 = never)
    absorb_threshold: float = 0.2
    #: ... and only when it beats the second-nearest story by this much
    absorb_margin: float = 0.0
    #: ... and only when it is this many days older than the batch's newest article (undated
    #: articles count as old): the first article of a new event must first get a chance to
    #: gather its own follow-ups
    absorb_age_days: float = 1.0
    #: smallest half a split may produce
    split_min: int = 2
    #: days after its last article that a story still attracts articles (event granularity)
    window_days: float = 7.0
    #: window at topic granularity
    topic_window_days: float = 30.0
    #: similarity subtracted, scaled by gap / window, for an article outside the story's time span
    time_penalty: float = 0.1
    #: repeat factor of title words in the TF-IDF vector
    title_weight: float = 2.0
    #: characters of the text that count as the lead (also what gets embedded)
    lead_chars: int = 500
    #: repeat factor of lead words in the TF-IDF vector
    lead_weight: float = 1.5
    #: characters of the body used for TF-IDF and names (long articles are cut)
    body_chars: int = 6000
    #: terms kept per article vector
    max_terms: int = 200
    #: terms kept per story centroid (pruned at batch end)
    centroid_terms: int = 400
    #: nearest story centroids examined per article
    candidates: int = 10
    #: refinement passes over each batch (articles move to a better story)
    refine_iterations: int = 2
    #: below this many active stories the neighbour search is exact
    exact_search_max: int = 256

    @property
    def threshold(self) -> float:
        return self.join_threshold * (
            self.topic_threshold_factor if self.granularity == "topic" else 1.0
        )

    @property
    def merge(self) -> float:
        return self.merge_threshold * (
            self.topic_threshold_factor if self.granularity == "topic" else 1.0
        )

    @property
    def split(self) -> float:
        return self.split_threshold * (
            self.topic_threshold_factor if self.granularity == "topic" else 1.0
        )

    @property
    def window(self) -> float:
        return self.topic_window_days if self.granularity == "topic" else self.window_days


@dataclass
class _DocVec:
    """Features of one article (kept only while its batch is processed)."""

    id: str
    tf: dict[int, float]
    names: dict[int, float]
    emb: np.ndarray | None
    key: np.ndarray
    t: float | None


@dataclass
class _Story:
    sid: str
    index: int
    n: int = 0
    tf: dict[int, float] = field(default_factory=dict)
    tf_norm2: float = 0.0
    names: dict[int, float] = field(default_factory=dict)
    names_norm2: float = 0.0
    emb: np.ndarray | None = None
    emb_norm2: float | None = None  # cached squared norm of ``emb``
    key: np.ndarray | None = None
    t_first: float | None = None
    t_last: float | None = None
    active: bool = True

    def gap(self, t: float | None) -> float:
        """Days between ``t`` and the story's time span (0 inside it or when unknown)."""
        if t is None or self.t_first is None or self.t_last is None:
            return 0.0
        if t < self.t_first:
            return self.t_first - t
        if t > self.t_last:
            return t - self.t_last
        return 0.0


def _accumulate(st: _Story, d: _DocVec, sign: float = 1.0) -> None:
    """Add (``sign=1``) or remove (``sign=-1``) article ``d`` to/from story ``st``."""
    st.tf_norm2 += sign * 2.0 * sparse_dot(d.tf, st.tf) + (1.0 if d.tf else 0.0)
    st.names_norm2 += sign * 2.0 * sparse_dot(d.names, st.names) + (1.0 if d.names else 0.0)
    _add_into(st.tf, d.tf, sign)
    _add_into(st.names, d.names, sign)
    st.tf_norm2 = max(st.tf_norm2, 0.0) if st.tf else 0.0
    st.names_norm2 = max(st.names_norm2, 0.0) if st.names else 0.0
    if d.emb is not None:
        st.emb = sign * d.emb.copy() if st.emb is None else st.emb + sign * d.emb
        st.emb_norm2 = None
    st.key = d.key * sign if st.key is None else st.key + sign * d.key
    st.n += 1 if sign > 0 else -1
    if sign > 0 and d.t is not None:
        st.t_first = d.t if st.t_first is None else min(st.t_first, d.t)
        st.t_last = d.t if st.t_last is None else max(st.t_last, d.t)


def _as_doc(st: _Story) -> _DocVec:
    """A one-article story seen as that article (its centroid is the article's vector)."""

    def unit(vec: dict[int, float], norm2: float) -> dict[int, float]:
        n = math.sqrt(norm2)
        return {h: v / n for h, v in vec.items()} if n > 0 else {}

    emb = None
    if st.emb is not None:
        ne = float(np.linalg.norm(st.emb))
        emb = st.emb / ne if ne > 0 else None
    key = st.key if st.key is not None else np.zeros(1, dtype=np.float32)
    return _DocVec(
        "", unit(st.tf, st.tf_norm2), unit(st.names, st.names_norm2), emb, key, st.t_first
    )


def _span_gap(a: _Story, b: _Story) -> float:
    """Days between the time spans of two stories (0 when they overlap or a date is unknown)."""
    if a.t_first is None or a.t_last is None or b.t_first is None or b.t_last is None:
        return 0.0
    return max(0.0, max(a.t_first, b.t_first) - min(a.t_last, b.t_last))


def _add_into(acc: dict[int, float], vec: dict[int, float], sign: float) -> None:
    for h, v in vec.items():
        nv = acc.get(h, 0.0) + sign * v
        if nv > 1e-9:
            acc[h] = nv
        else:
            acc.pop(h, None)


def _norm2(vec: dict[int, float]) -> float:
    return sum(v * v for v in vec.values())


def _prune(vec: dict[int, float], keep: int) -> dict[int, float]:
    if len(vec) <= keep:
        return vec
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])


class _KeyIndex:
    """Nearest-neighbour search over active story keys (usearch HNSW, exact when small)."""

    def __init__(self, ndim: int, exact_max: int, blob: bytes | None = None):
        preload_runtime()  # before usearch: see preload_runtime
        from usearch.index import Index  # optional heavy dependency, loaded when clustering

        self.ndim = ndim
        self.exact_max = exact_max
        # search-time settings are not part of the saved file: given again on restore
        restored = Index.restore(blob, expansion_add=64, expansion_search=32) if blob else None
        # small graph degree and beam: candidates only need to contain the right story,
        # the exact similarity is computed on the live centroids afterwards
        self.index: Index = (
            restored
            if restored is not None
            else Index(
                ndim=ndim,
                metric="cos",
                dtype="f16",
                connectivity=8,
                expansion_add=64,
                expansion_search=32,
            )
        )

    def put(self, key: int, vec: np.ndarray | None) -> None:
        """Index story ``key`` at ``vec`` (a story without a key vector is only unindexed)."""
        if key in self.index:
            self.index.remove(key)
        if vec is not None and np.any(vec):
            self.index.add(key, np.asarray(vec, dtype=np.float32), threads=1)

    def remove(self, key: int) -> None:
        if key in self.index:
            self.index.remove(key)

    def search(self, vec: np.ndarray | None, k: int) -> list[int]:
        n = len(self.index)
        if n == 0 or vec is None or not np.any(vec):
            return []
        m = self.index.search(
            np.asarray(vec, dtype=np.float32), min(k, n), exact=n <= self.exact_max, threads=1
        )
        return [int(x) for x in m.keys]

    def search_many(self, vecs: np.ndarray, k: int) -> list[list[int]]:
        """Batched search (one call, C++ side): one candidate list per row."""
        n = len(self.index)
        if n == 0 or len(vecs) == 0:
            return [[] for _ in range(len(vecs))]
        m = self.index.search(
            np.asarray(vecs, dtype=np.float32), min(k, n), exact=n <= self.exact_max
        )
        if not hasattr(m, "counts"):  # a single query comes back as plain Matches
            return [[int(x) for x in m.keys]]
        keys, counts = m.keys, m.counts
        return [[int(x) for x in keys[i, : counts[i]]] for i in range(len(vecs))]

    def to_bytes(self) -> bytes:
        blob = self.index.save()  # without a path: the serialized index
        assert blob is not None
        return bytes(blob)

    def reload(self) -> None:
        """Replace the index by its own saved copy.

        HNSW draws node levels from an internal random generator that is not saved; doing this
        at every batch end puts a live clusterer in exactly the state a reloaded one starts in,
        so continuing from :meth:`StoryClusterer.state` gives identical results.
        """
        self.index = _KeyIndex(self.ndim, self.exact_max, self.to_bytes()).index


class StoryClusterer:
    """Online, incremental story clustering; persist :meth:`state` to continue later."""

    def __init__(self, settings: ClusterSettings | None = None, state: dict | None = None):
        self.settings = settings or ClusterSettings()
        self._idf = OnlineIdf()
        self._stories: dict[int, _Story] = {}
        self._active: set[int] = set()  # indices of stories that still attract articles
        self._doc_story: dict[str, int] = {}  # doc id -> story index (before merges)
        self._merged: dict[int, int] = {}  # story index -> story index it was merged into
        self._next = 0
        self._clock: float | None = None
        self._emb_dim: int | None = None
        self._index: _KeyIndex | None = None
        if state:
            self._load(state)

    # ---------------------------------------------------------------- public API
    def add(self, docs: list[ClusterDoc], embeddings: np.ndarray | None = None) -> dict[str, str]:
        """Cluster ``docs`` into the stories seen so far; returns doc id -> story id for them."""
        docs = [d for d in docs if isinstance(d, ClusterDoc) and d.id is not None]
        if not docs:
            return {}
        order = _time_order(docs)
        embs = self._embeddings(docs, embeddings)
        vecs = self._features(docs, embs)

        batch_ids = {d.id for d in docs}
        is_dup = [self._is_dup(d, batch_ids) for d in docs]
        canonical_first = [i for i in order if not is_dup[i]]
        dups = [i for i in order if is_dup[i]]
        batch_stories: set[int] = set()
        for n_done, i in enumerate(canonical_first):
            d = vecs[i]
            self._advance_clock(d.t, n_done)
            target = self._best(d, exclude=None)
            if target is None:
                target = self._open()
            self._join(target, d)
            self._doc_story[d.id] = target
            batch_stories.add(target)
        batch_vecs = [vecs[i] for i in canonical_first]
        self._refine_all(batch_vecs, batch_stories)
        if self.settings.split_threshold > 0 and self._split(batch_vecs, batch_stories):
            self._refine_all(batch_vecs, batch_stories)
        self._merge_stories(batch_stories)
        if self.settings.absorb_threshold > 0:
            self._absorb_singletons(batch_vecs)
        for i in dups:
            doc = docs[i]
            canon = self._doc_story.get(doc.duplicate_of or "")
            if canon is None:  # canonical never seen: treat as an ordinary article
                v = vecs[i]
                target = self._best(v, exclude=None)
                if target is None:
                    target = self._open()
                self._join(target, v)
                canon = target
            self._doc_story[doc.id] = self._root(canon)
        for idx in self._active:
            self._compact(self._stories[idx])
        self._expire()
        assert self._index is not None
        self._index.reload()
        return {d.id: self._sid(self._doc_story[d.id]) for d in docs}

    def assignments(self) -> dict[str, str]:
        """Doc id -> story id for every article seen so far (after merges)."""
        return {doc: self._sid(idx) for doc, idx in self._doc_story.items()}

    def state(self) -> dict:
        """JSON-serialisable state: persist it to continue clustering incrementally later."""
        stories = []
        for idx in sorted(self._stories):
            st = self._stories[idx]
            rec: dict[str, Any] = {
                "index": idx,
                "n": st.n,
                "t_first": st.t_first,
                "t_last": st.t_last,
                "active": st.active,
            }
            if st.active:
                # (packed: newsprism.packed; in the dicts' own order, read back bit for bit)
                rec["tf"] = pack_weights(st.tf)
                rec["names"] = pack_weights(st.names)
                rec["norm2"] = [st.tf_norm2, st.names_norm2]
                rec["emb"] = None if st.emb is None else pack(st.emb, "<f4")
                rec["key"] = None if st.key is None else pack(st.key, "<f4")
            stories.append(rec)
        return {
            "version": STATE_VERSION,
            "settings": asdict(self.settings),
            "idf": self._idf.to_dict(),
            "next": self._next,
            "clock": self._clock,
            "emb_dim": self._emb_dim,
            "stories": stories,
            "docs": dict(self._doc_story),
            "merged": [[a, b] for a, b in sorted(self._merged.items())],
            "ann": None
            if self._index is None
            else base64.b64encode(self._index.to_bytes()).decode("ascii"),
        }

    # ---------------------------------------------------------------- features
    def _embeddings(
        self, docs: list[ClusterDoc], embeddings: np.ndarray | None
    ) -> np.ndarray | None:
        if embeddings is not None:
            arr = np.asarray(embeddings, dtype=np.float32)
            if arr.ndim != 2 or arr.shape[0] != len(docs):
                log.warning(
                    "embeddings shape %s does not match %d docs; ignored", arr.shape, len(docs)
                )
                return None
            norms = np.linalg.norm(arr, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            return arr / norms
        if not self.settings.use_embeddings:
            return None
        try:
            texts = [embed_text(d, self.settings.lead_chars) for d in docs]
            return np.asarray(embed(texts, backend=cluster_backend()), dtype=np.float32)
        # guards the sentence encoder (model package missing, a broken ONNX export, out of
        # memory): clustering falls back to TF-IDF only
        except Exception as exc:
            log.warning("embeddings unavailable (%s); clustering on TF-IDF only", exc)
            return None

    def _features(self, docs: list[ClusterDoc], embs: np.ndarray | None) -> list[_DocVec]:
        s = self.settings
        counts, name_counts = [], []
        for d in docs:
            text = d.text if isinstance(d.text, str) else ""
            body = text[: s.body_chars]
            title = d.title if isinstance(d.title, str) else ""
            counts.append(
                weighted_counts(
                    [
                        (content_terms(title), s.title_weight),
                        (content_terms(lead(body, s.lead_chars)), s.lead_weight - 1.0),
                        (content_terms(body), 1.0),
                    ]
                )
            )
            ents = [e for e in (d.entities or []) if isinstance(e, str) and e.strip()]
            if ents:
                names = ["@" + e.strip().lower() for e in ents]
            else:
                names = ["@" + k for k in name_keys(title + "\n" + body)]
            name_counts.append(weighted_counts([(names, 1.0)]))
        self._idf.update([set(c) | set(nc) for c, nc in zip(counts, name_counts, strict=True)])
        if embs is not None and self._emb_dim is None:
            self._emb_dim = embs.shape[1]
        if embs is not None and embs.shape[1] != self._emb_dim:
            log.warning("embedding dimension changed; ignoring embeddings for this batch")
            embs = None
        key_dim = self._emb_dim or 256
        if self._index is None:
            self._index = _KeyIndex(key_dim, s.exact_search_max)
        out = []
        for i, d in enumerate(docs):
            tf = tfidf_vector(counts[i], self._idf, s.max_terms)
            nm = tfidf_vector(name_counts[i], self._idf, s.max_terms)
            emb = None if embs is None else embs[i]
            key = emb if emb is not None and self._emb_dim else project(tf, key_dim)
            if emb is None and self._emb_dim:  # mixed batches: no embedding for this one
                key = np.zeros(key_dim, dtype=np.float32)
            out.append(_DocVec(d.id, tf, nm, emb, key, parse_time(d.published)))
        return out

    # ---------------------------------------------------------------- similarity
    def _weights(self, has_emb: bool) -> tuple[float, float, float]:
        s = self.settings
        wt, we, wn = s.weight_tfidf, s.weight_embedding if has_emb else 0.0, s.weight_entities
        total = wt + we + wn or 1.0
        return wt / total, we / total, wn / total

    def _sim(self, d: _DocVec, st: _Story, minus: bool = False) -> float:
        """Similarity of article ``d`` to story ``st`` (``minus``: with ``d`` taken out of it)."""
        dot_tf = sparse_dot(d.tf, st.tf)
        n2 = st.tf_norm2 + (-2.0 * dot_tf + 1.0 if minus else 0.0)
        cos_tf = (dot_tf - (1.0 if minus else 0.0)) / math.sqrt(n2) if n2 > 1e-9 else 0.0
        cos_nm = 0.0
        if d.names and st.names:
            dot_nm = sparse_dot(d.names, st.names)
            n2 = st.names_norm2 + (-2.0 * dot_nm + 1.0 if minus else 0.0)
            cos_nm = (dot_nm - (1.0 if minus else 0.0)) / math.sqrt(n2) if n2 > 1e-9 else 0.0
        cos_e = 0.0
        has_emb = d.emb is not None and st.emb is not None
        if d.emb is not None and st.emb is not None:
            if st.emb_norm2 is None:
                st.emb_norm2 = float(np.dot(st.emb, st.emb))
            dot_e = float(np.dot(d.emb, st.emb))
            n2 = st.emb_norm2 - 2.0 * dot_e + 1.0 if minus else st.emb_norm2
            cos_e = (dot_e - 1.0 if minus else dot_e) / math.sqrt(n2) if n2 > 1e-9 else 0.0
        wt, we, wn = self._weights(has_emb)
        score = wt * cos_tf + we * cos_e + wn * cos_nm
        gap = st.gap(d.t)
        if gap:
            score -= self.settings.time_penalty * min(1.0, gap / self.settings.window)
        return score

    def _story_sim(self, a: _Story, b: _Story) -> float:
        """Similarity of two stories (for splits and merges): lexical evidence only.

        Embedding centroids of two events of one kind (two earthquakes) are nearly identical,
        so only TF-IDF and names decide whether two groups of articles are one event.
        """
        cos_tf = 0.0
        if a.tf_norm2 * b.tf_norm2 > 0:
            cos_tf = sparse_dot(a.tf, b.tf) / math.sqrt(a.tf_norm2 * b.tf_norm2)
        cos_nm = 0.0
        if a.names_norm2 * b.names_norm2 > 0:
            cos_nm = sparse_dot(a.names, b.names) / math.sqrt(a.names_norm2 * b.names_norm2)
        wt, _, wn = self._weights(False)
        score = wt * cos_tf + wn * cos_nm
        gap = _span_gap(a, b)
        if gap:
            score -= self.settings.time_penalty * min(1.0, gap / self.settings.window)
        return score

    def _eligible(self, st: _Story, t: float | None) -> bool:
        return st.active and st.n > 0 and st.gap(t) <= self.settings.window

    def _best(
        self, d: _DocVec, exclude: int | None, candidates: list[int] | None = None
    ) -> int | None:
        """The most similar eligible story at or above the join threshold, else None."""
        assert self._index is not None
        best, best_score = None, self.settings.threshold
        if candidates is None:
            candidates = self._index.search(d.key, self.settings.candidates)
        for idx in candidates:
            if idx == exclude:
                continue
            st = self._stories.get(idx)
            if st is None or not self._eligible(st, d.t):
                continue
            sc = self._sim(d, st)
            if sc > best_score or (sc == best_score and best is not None and idx < best):
                best, best_score = idx, sc
        return best

    # ---------------------------------------------------------------- story updates
    def _open(self) -> int:
        idx = self._next
        self._next += 1
        self._stories[idx] = _Story(sid=_story_id(idx), index=idx)
        self._active.add(idx)
        return idx

    def _join(self, idx: int, d: _DocVec, sign: float = 1.0) -> None:
        st = self._stories[idx]
        _accumulate(st, d, sign)
        assert self._index is not None
        if st.n <= 0:
            self._index.remove(idx)
            del self._stories[idx]
            self._active.discard(idx)
        elif st.n <= 3 or st.n & (st.n - 1) == 0:
            # the centroid direction settles as a story grows: re-index at sizes 1, 2, 3, 4, 8,
            # 16, ... (the exact similarity always uses the live centroid)
            self._index.put(idx, st.key)

    def _refine_all(self, batch: list[_DocVec], touched: set[int]) -> None:
        for _ in range(max(0, self.settings.refine_iterations)):
            moved = self._refine(batch, touched)
            log.debug("refinement moved %d articles", moved)
            if not moved:
                break

    def _refine(self, batch: list[_DocVec], touched: set[int]) -> int:
        """One k-means-like pass: each article moves to a clearly better story."""
        moved = 0
        assert self._index is not None
        keys = np.stack([d.key for d in batch]) if batch else np.zeros((0, 1), np.float32)
        cands = self._index.search_many(keys, self.settings.candidates)
        for d, cand in zip(batch, cands, strict=True):
            cur = self._doc_story[d.id]
            st = self._stories.get(cur)
            if st is None:
                continue
            own = self._sim(d, st, minus=True) if st.n > 1 else -math.inf
            best = self._best(d, exclude=cur, candidates=cand)
            if best is None:
                if st.n > 1 and own < self.settings.threshold:
                    best = self._open()  # it fits nowhere: a story of its own
                else:
                    continue
            elif self._sim(d, self._stories[best]) <= own:
                continue
            self._join(cur, d, sign=-1.0)
            self._join(best, d)
            self._doc_story[d.id] = best
            touched.add(best)
            moved += 1
        return moved

    def _split(self, batch: list[_DocVec], touched: set[int]) -> int:
        """Bisect stories of this batch whose two halves are less alike than ``split_threshold``.

        Online joining can chain two similar events through an early ambiguous article; a
        2-means split of the story's articles undoes that when the halves are clearly apart.
        """
        members: dict[int, list[_DocVec]] = {}
        for d in batch:
            members.setdefault(self._doc_story[d.id], []).append(d)
        queue = sorted(idx for idx in touched if idx in members)
        n_split = 0
        while queue:
            idx = queue.pop(0)
            st = self._stories.get(idx)
            group = members.get(idx, [])
            if st is None or len(group) < 2 * self.settings.split_min or st.n != len(group):
                continue
            halves = self._bisect(group)
            if halves is None:
                continue
            a, b = halves
            sa, sb = _Story("", -1), _Story("", -1)
            for d in a:
                _accumulate(sa, d)
            for d in b:
                _accumulate(sb, d)
            if self._story_sim(sa, sb) >= self.settings.split:
                continue
            new = self._open()
            for d in b:
                self._join(idx, d, sign=-1.0)
                self._join(new, d)
                self._doc_story[d.id] = new
            members[idx], members[new] = a, b
            touched.add(new)
            queue.extend([idx, new])
            n_split += 1
        return n_split

    def _bisect(self, group: list[_DocVec]) -> tuple[list[_DocVec], list[_DocVec]] | None:
        """Deterministic 2-means over ``group``: seeds are the two most distant articles."""
        whole = _Story("", -1)
        for d in group:
            _accumulate(whole, d)
        first = min(range(len(group)), key=lambda i: (self._sim(group[i], whole), i))
        one = _Story("", -1)
        _accumulate(one, group[first])
        second = min(
            (i for i in range(len(group)) if i != first),
            key=lambda i: (self._sim(group[i], one), i),
        )
        seeds = [group[first], group[second]]
        assign: list[int] = []
        for _ in range(6):
            cents = [_Story("", -1), _Story("", -1)]
            if not assign:
                for k in (0, 1):
                    _accumulate(cents[k], seeds[k])
            else:
                for d, k in zip(group, assign, strict=True):
                    _accumulate(cents[k], d)
            new = [0 if self._sim(d, cents[0]) >= self._sim(d, cents[1]) else 1 for d in group]
            if new == assign:
                break
            assign = new
        a = [d for d, k in zip(group, assign, strict=True) if k == 0]
        b = [d for d, k in zip(group, assign, strict=True) if k == 1]
        if min(len(a), len(b)) < self.settings.split_min:
            return None
        return a, b

    def _absorb_singletons(self, batch: list[_DocVec]) -> None:
        """An article left alone in this batch joins its nearest story at a lower bar."""
        assert self._index is not None
        newest = max((d.t for d in batch if d.t is not None), default=None)
        alone = [
            d
            for d in batch
            if (st := self._stories.get(self._root(self._doc_story[d.id]))) is not None
            and st.n == 1
            and (d.t is None or newest is None or newest - d.t >= self.settings.absorb_age_days)
        ]
        if not alone:
            return
        cands = self._index.search_many(np.stack([d.key for d in alone]), self.settings.candidates)
        for d, cand in zip(alone, cands, strict=True):
            cur = self._root(self._doc_story[d.id])
            scored = []
            for idx in cand:
                other = self._stories.get(idx)
                if idx == cur or other is None or not self._eligible(other, d.t):
                    continue
                scored.append((self._sim(d, other), -idx))
            scored.sort(reverse=True)
            best = (
                -scored[0][1] if scored and scored[0][0] >= self.settings.absorb_threshold else None
            )
            # only when the choice is clear: among many look-alike stories (a busy news day
            # with several fires) a lone article is more likely a new event
            runner_up = scored[1][0] if len(scored) > 1 else 0.0
            if best is not None and scored[0][0] - runner_up >= self.settings.absorb_margin:
                self._join(cur, d, sign=-1.0)
                self._join(best, d)
                self._doc_story[d.id] = best

    def _merge_stories(self, touched: set[int]) -> None:
        """Merge stories whose centroids are similar enough (evidence accumulated over time)."""
        assert self._index is not None
        for idx in sorted(touched):
            a = self._stories.get(idx)
            if a is None or not a.active:
                continue
            for other in self._index.search(a.key, min(self.settings.candidates, 10)):
                if other == idx:
                    continue
                b = self._stories.get(other)
                if b is None or not b.active:
                    continue
                if _span_gap(a, b) <= self.settings.window and self._mergeable(a, b):
                    keep, drop = (idx, other) if idx < other else (other, idx)
                    self._absorb(keep, drop)
                    if drop == idx:
                        break
                    a = self._stories[idx]

    def _mergeable(self, a: _Story, b: _Story) -> bool:
        """Two stories are one when their centroids are alike (``merge_threshold``), or when
        one is a lone article that would now join the other (``join_threshold``)."""
        if self._story_sim(a, b) >= self.settings.merge:
            return True
        for one, other in ((a, b), (b, a)):
            if (
                one.n == 1
                and other.n > 1
                and one.tf_norm2 > 0
                and self._sim(_as_doc(one), other) >= self.settings.threshold
            ):
                return True
        return False

    def _absorb(self, keep: int, drop: int) -> None:
        a, b = self._stories[keep], self._stories.pop(drop)
        self._active.discard(drop)
        _add_into(a.tf, b.tf, 1.0)
        _add_into(a.names, b.names, 1.0)
        a.tf_norm2, a.names_norm2 = _norm2(a.tf), _norm2(a.names)
        if b.emb is not None:
            a.emb = b.emb.copy() if a.emb is None else a.emb + b.emb
            a.emb_norm2 = None
        if b.key is not None:
            a.key = b.key.copy() if a.key is None else a.key + b.key
        a.n += b.n
        for t in (b.t_first, b.t_last):
            if t is not None:
                a.t_first = t if a.t_first is None else min(a.t_first, t)
                a.t_last = t if a.t_last is None else max(a.t_last, t)
        self._merged[drop] = keep
        assert self._index is not None
        self._index.remove(drop)
        self._index.put(keep, a.key)
        log.debug("merged story %s into %s", _story_id(drop), _story_id(keep))

    def _compact(self, st: _Story) -> None:
        keep = self.settings.centroid_terms
        if len(st.tf) > keep:
            st.tf = _prune(st.tf, keep)
            st.tf_norm2 = _norm2(st.tf)
        if len(st.names) > keep:
            st.names = _prune(st.names, keep)
            st.names_norm2 = _norm2(st.names)

    def _advance_clock(self, t: float | None, n_done: int) -> None:
        if t is not None and (self._clock is None or t > self._clock):
            self._clock = t
        if n_done and n_done % 1000 == 0:
            self._expire()

    def _expire(self) -> None:
        """Retire stories whose last article is older than the window: they attract no more."""
        if self._clock is None:
            return
        assert self._index is not None
        horizon = self._clock - self.settings.window
        for idx in sorted(i for i in self._active if self._stories[i].t_last is not None):
            st = self._stories[idx]
            if st.t_last is not None and st.t_last < horizon:
                self._active.discard(idx)
                st.active = False
                st.tf, st.names, st.emb, st.key = {}, {}, None, None
                self._index.remove(idx)

    # ---------------------------------------------------------------- helpers
    def _is_dup(self, d: ClusterDoc, batch_ids: set[str]) -> bool:
        """``d`` is a near-duplicate whose canonical article is known (seen or in this batch)."""
        if not d.duplicate_of or d.duplicate_of == d.id:
            return False
        return d.duplicate_of in self._doc_story or d.duplicate_of in batch_ids

    def _root(self, idx: int) -> int:
        while idx in self._merged:
            idx = self._merged[idx]
        return idx

    def _sid(self, idx: int) -> str:
        return _story_id(self._root(idx))

    def _load(self, state: dict) -> None:
        if state.get("version") != STATE_VERSION:
            log.warning("unknown clusterer state version %r; starting fresh", state.get("version"))
            return
        self._idf = OnlineIdf.from_dict(state.get("idf", {}))
        self._next = int(state.get("next", 0))
        self._clock = state.get("clock")
        self._emb_dim = state.get("emb_dim")
        self._doc_story = {str(k): int(v) for k, v in state.get("docs", {}).items()}
        self._merged = {int(a): int(b) for a, b in state.get("merged", [])}
        blob = base64.b64decode(state["ann"]) if state.get("ann") else None
        self._index = _KeyIndex(self._emb_dim or 256, self.settings.exact_search_max, blob)
        for rec in state.get("stories", []):
            idx = int(rec["index"])
            st = _Story(
                sid=_story_id(idx),
                index=idx,
                n=int(rec.get("n", 0)),
                t_first=rec.get("t_first"),
                t_last=rec.get("t_last"),
                active=bool(rec.get("active", False)),
            )
            if st.active:
                st.tf = unpack_weights(rec.get("tf"))
                st.names = unpack_weights(rec.get("names"))
                st.tf_norm2, st.names_norm2 = rec.get("norm2") or (_norm2(st.tf), _norm2(st.names))
                if rec.get("emb") is not None:
                    st.emb = unpack_vector(rec["emb"], "<f4")
                if rec.get("key") is not None:
                    st.key = unpack_vector(rec["key"], "<f4")
                    if blob is None:
                        self._index.put(idx, st.key)
                self._active.add(idx)
            self._stories[idx] = st


def cluster(
    docs: list[ClusterDoc],
    settings: ClusterSettings | None = None,
    embeddings: np.ndarray | None = None,
) -> dict[str, str]:
    """Cluster ``docs`` in one pass; returns doc id -> story id."""
    clusterer = StoryClusterer(settings)
    clusterer.add(docs, embeddings)
    return clusterer.assignments()


def _story_id(idx: int) -> str:
    return f"s{idx + 1:05d}"


def embed_text(d: ClusterDoc, chars: int) -> str:
    """What clustering embeds of an article: its title and the lead of its text."""
    title = d.title.strip() if isinstance(d.title, str) else ""
    body = lead(d.text if isinstance(d.text, str) else "", chars)
    return f"{title}. {body}" if title else body


def _time_order(docs: list[ClusterDoc]) -> list[int]:
    """Indices in time order: by ``published`` when present; undated articles keep their place."""
    keys: list[float] = []
    last = -math.inf
    for d in docs:
        t = parse_time(d.published)
        if t is not None:
            last = t
        keys.append(last if t is None else t)
    return sorted(range(len(docs)), key=lambda i: (keys[i], i))
