"""Storylines: stories (events) grouped into the topics that hold them over time.

A story is one real-world event (``stories/cluster.py``); a storyline is the topic that a
string of such events belongs to (Hurricane Mitch: landfall, floods, aid, the death toll).
Each story belongs to exactly one storyline, which may hold just that story.

Features are lexical only: hashed term counts and names summed over a story's articles. The
embedding centroids of two events of one kind are nearly identical, which is exactly what a
storyline must not merge (two different elections), while topic words and names carry over
from event to event of one storyline.

Grouping is average-linkage agglomerative clustering over story pairs: two groups merge while
the mean similarity of their stories is at least ``threshold``. The result does not depend on
the order in which stories arrive, so a run that adds articles later gives the same storylines
as one run over everything. :class:`StorylineBuilder` keeps each story's summary (term counts,
names, time span) in its :meth:`~StorylineBuilder.state`, keyed by the story's articles and
their texts; on the next run only new or changed stories are summarised again, and storyline
ids carry over to the groups that share most articles with them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from newsprism.model import Article, Story, Storyline
from newsprism.packed import is_packed, pack_weights, unpack_weights
from newsprism.stopwords import NEWS_STOP_WORDS
from newsprism.stories.cluster import ClusterDoc
from newsprism.stories.cluster_features import (
    content_terms,
    lead,
    name_keys,
    parse_time,
    term_hash,
)
from newsprism.stories.timeline import date_sort_key
from newsprism.unionfind import UnionFind

log = logging.getLogger(__name__)

STATE_VERSION = 1


@dataclass
class StorylineSettings:
    """Storyline settings (few on purpose: they are chosen on half of the DUC topics)."""

    #: mean story-to-story similarity two groups need to be one storyline
    threshold: float = 0.1
    #: weight of the term cosine (the names cosine gets ``1 - weight_terms``)
    weight_terms: float = 0.5
    #: similarity subtracted per ``window_days`` of gap between two stories' time spans
    time_penalty: float = 0.1
    #: days of gap that cost one ``time_penalty``
    window_days: float = 30.0
    #: characters of each article used for terms and names
    body_chars: int = 4000
    #: terms (and names) kept per story summary
    max_terms: int = 300


@dataclass
class StorySummary:
    """What a storyline needs to know of one story: summed counts and its time span."""

    key: str
    articles: list[str]
    terms: dict[int, float] = field(default_factory=dict)
    names: dict[int, float] = field(default_factory=dict)
    t_first: float | None = None
    t_last: float | None = None

    def to_dict(self) -> dict:
        """The summary for the state: ``terms`` and ``names`` each as ``[hashes, weights]``,
        packed (:mod:`newsprism.packed`: uint32 and float64, in hash order), read back bit for
        bit."""
        return {
            "key": self.key,
            "articles": list(self.articles),
            "terms": pack_weights(dict(sorted(self.terms.items()))),
            "names": pack_weights(dict(sorted(self.names.items()))),
            "t_first": self.t_first,
            "t_last": self.t_last,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> StorySummary:
        return cls(
            key=str(d["key"]),
            articles=[str(a) for a in d.get("articles", [])],
            terms=unpack_weights(d.get("terms")),
            names=unpack_weights(d.get("names")),
            t_first=d.get("t_first"),
            t_last=d.get("t_last"),
        )


def _packed(record: Mapping) -> bool:
    return is_packed(record.get("terms") or ["", ""]) and is_packed(record.get("names") or ["", ""])


def story_key(docs: Sequence[ClusterDoc]) -> str:
    """A key that changes when the story's articles (or their texts) change."""
    h = hashlib.sha1()
    for d in sorted(docs, key=lambda d: d.id):
        h.update(d.id.encode("utf-8", "surrogatepass") + b"\0")
        text = d.text if isinstance(d.text, str) else ""
        h.update(hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest())
    return h.hexdigest()[:20]


def summarize_story(docs: Sequence[ClusterDoc], settings: StorylineSettings) -> StorySummary:
    """Sum the term and name counts of a story's articles (duplicates count once)."""
    terms: dict[int, float] = {}
    names: dict[int, float] = {}
    times: list[float] = []
    for d in docs:
        t = parse_time(d.published)
        if t is not None:
            times.append(t)
        if d.duplicate_of:
            continue
        text = d.text if isinstance(d.text, str) else ""
        body = text[: settings.body_chars]
        title = d.title if isinstance(d.title, str) else ""
        counts: dict[int, float] = {}
        for w in [*content_terms(title), *content_terms(lead(body, 500)), *content_terms(body)]:
            h = term_hash(w)
            counts[h] = counts.get(h, 0.0) + 1.0
        ents = [e for e in (d.entities or []) if isinstance(e, str) and e.strip()]
        keys = (
            [e.strip().lower() for e in ents]
            if ents
            else [k for k in name_keys(title + "\n" + body) if not k.startswith("#")]
        )
        ncounts: dict[int, float] = {}
        for k in keys:
            if k in NEWS_STOP_WORDS:
                continue
            h = term_hash("@" + k)
            ncounts[h] = ncounts.get(h, 0.0) + 1.0
        # sublinear per article, so that one long article does not outweigh the others
        for acc, c in ((terms, counts), (names, ncounts)):
            for h, v in c.items():
                acc[h] = acc.get(h, 0.0) + 1.0 + math.log(v)
    return StorySummary(
        key=story_key(docs),
        articles=sorted(d.id for d in docs),
        terms=_top(terms, settings.max_terms),
        names=_top(names, settings.max_terms),
        t_first=min(times) if times else None,
        t_last=max(times) if times else None,
    )


def _top(vec: dict[int, float], keep: int) -> dict[int, float]:
    if len(vec) <= keep:
        return vec
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])


def similarity_matrix(summaries: Sequence[StorySummary], settings: StorylineSettings) -> np.ndarray:
    """Story-to-story similarity: weighted term and name cosines (IDF over these stories),
    minus the time penalty for the gap between their spans (every pair: n x n)."""
    idx = np.arange(len(summaries))
    return _Similarity(summaries, settings).block(idx, idx)


class _Similarity:
    """The similarity of any block of story pairs, each value computed as the whole matrix
    would give it (the same rows and sums), without holding the whole matrix."""

    def __init__(self, summaries: Sequence[StorySummary], settings: StorylineSettings):
        self.settings = settings
        w = min(1.0, max(0.0, settings.weight_terms))
        self.parts = [
            (weight, _Weights([getattr(s, part) for s in summaries]))
            for part, weight in (("terms", w), ("names", 1.0 - w))
            if weight > 0
        ]
        self.first = np.array([np.nan if s.t_first is None else s.t_first for s in summaries])
        self.last = np.array([np.nan if s.t_last is None else s.t_last for s in summaries])

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        sim = np.zeros((len(rows), len(cols)), dtype=np.float64)
        for weight, mat in self.parts:
            sim += weight * mat.dots(rows)[:, cols]
        st = self.settings
        if st.time_penalty > 0 and st.window_days > 0:
            first, last = self.first, self.last
            gap = np.maximum(first[rows][:, None], first[cols][None, :])
            gap -= np.minimum(last[rows][:, None], last[cols][None, :])
            gap = np.nan_to_num(np.maximum(gap, 0.0), nan=0.0)
            sim -= st.time_penalty * gap / st.window_days
        return sim


class _Weights:
    """IDF-weighted, L2-normalised rows of hashed features, one row per story (IDF over these
    stories), held by row and by feature, so that the cosines of a few rows with every row
    are sums over the features they share. Each sum adds its products in the order of the
    row's features, then of the other rows: the order a sparse matrix product takes."""

    def __init__(self, vecs: Sequence[dict[int, float]]):
        n = self.n = len(vecs)
        sizes = np.fromiter((len(v) for v in vecs), dtype=np.int64, count=n)
        total = int(sizes.sum())
        hashes = np.fromiter((h for v in vecs for h in v), dtype=np.int64, count=total)
        counts = np.fromiter((c for v in vecs for c in v.values()), dtype=np.float64, count=total)
        _, cols, df = np.unique(hashes, return_inverse=True, return_counts=True)
        idf = np.array([math.log((n + 1) / (d + 1)) + 1.0 for d in df.tolist()])
        weights = counts * idf[cols]
        rows = np.repeat(np.arange(n), sizes)
        # (bincount adds each row's squares in order, as a running sum would)
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n))
        keep = norms[rows] > 0
        rows, cols, values = rows[keep], cols[keep], weights[keep] / norms[rows][keep]
        by_row = np.lexsort((cols, rows))
        self.row_ptr = np.searchsorted(rows[by_row], np.arange(n + 1))
        self.row_feature, self.row_value = cols[by_row], values[by_row]
        by_feature = np.lexsort((rows, cols))
        features = len(df)
        self.feature_ptr = np.searchsorted(cols[by_feature], np.arange(features + 1))
        self.feature_row, self.feature_value = rows[by_feature], values[by_feature]

    def dots(self, rows: np.ndarray) -> np.ndarray:
        """The dot products of each of ``rows`` with every row (len(rows) x n), a few rows at a
        time."""
        out = np.zeros((len(rows), self.n), dtype=np.float64)
        for start in range(0, len(rows), _DOT_ROWS):
            part = rows[start : start + _DOT_ROWS]
            out[start : start + len(part)] = self._dots(part).reshape(len(part), self.n)
        return out

    def _dots(self, rows: np.ndarray) -> np.ndarray:
        lo = self.row_ptr[rows]
        lens = self.row_ptr[rows + 1] - lo
        owner = np.repeat(np.arange(len(rows)), lens)
        entries = _ranges(lo, lens)  # each row's features, one row after another
        feats = self.row_feature[entries]
        starts = self.feature_ptr[feats]
        posting_lens = self.feature_ptr[feats + 1] - starts
        at = _ranges(starts, posting_lens)  # and the other rows holding each feature
        products = np.repeat(self.row_value[entries], posting_lens) * self.feature_value[at]
        cells = np.repeat(owner, posting_lens) * self.n + self.feature_row[at]
        return np.bincount(cells, weights=products, minlength=len(rows) * self.n)


#: rows whose dot products :meth:`_Weights.dots` computes at once
_DOT_ROWS = 16


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The indices ``starts[k] .. starts[k] + lens[k] - 1`` of every k, one range after another."""
    total = int(lens.sum())
    return np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)


#: rows of story pairs scored at a time while looking for the pairs that can join
_BLOCK_ROWS = 512
#: up to this many stories the similarities are computed once, as one matrix
_WHOLE_MAX = 2048
#: how far under the threshold a pair still joins the components :func:`linked` cuts out
_SLACK = 1e-9


def linked(summaries: Sequence[StorySummary], settings: StorylineSettings) -> list[list[int]]:
    """The storylines of ``summaries`` (lists of indices, each ascending, ordered by their
    first): average-linkage groups at ``settings.threshold``.

    Two groups merge only when their mean pair similarity reaches the threshold, so only when
    some pair of them does: the groups never cross the components of the graph whose edges
    are the pairs at or above it. The pairs are scored in blocks of rows to find those
    components, and the linkage runs on each component alone, with the very values it would
    have had in the whole matrix, so the groups are :func:`group`'s over the whole matrix
    (which runs component by component itself). Memory follows the largest component, not
    the archive."""
    n = len(summaries)
    if n == 0:
        return []
    sims = _Similarity(summaries, settings)
    uf = UnionFind(n)
    everyone = np.arange(n)
    # a few thousand stories: the whole matrix once (at most 32 MB), the components cut from it
    whole = sims.block(everyone, everyone) if n <= _WHOLE_MAX else None
    for start in range(0, n, _BLOCK_ROWS):
        rows = everyone[start : start + _BLOCK_ROWS]
        part = whole[rows] if whole is not None else sims.block(rows, everyone)
        # a little below the threshold, either direction: the components may only be coarser
        # than those :func:`group` cuts from the same values, never finer
        hits = np.nonzero(part >= settings.threshold - _SLACK)
        for i, j in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
            if j != start + i:
                uf.union(start + i, j)

    def grouped(idx: np.ndarray) -> list[list[int]]:
        block = whole[np.ix_(idx, idx)] if whole is not None else sims.block(idx, idx)
        return group(block, settings.threshold)

    return _by_component(uf, grouped)


def _by_component(
    uf: UnionFind, grouped: Callable[[np.ndarray], list[list[int]]]
) -> list[list[int]]:
    """The groups ``grouped`` finds within each component of ``uf`` (given the members, it
    gives groups of their positions), a lone member as it is; each ascending, ordered by
    their first."""
    out: list[list[int]] = []
    for members in uf.groups():
        if len(members) == 1:
            out.append(members)
            continue
        for g in grouped(np.array(members)):
            out.append([members[k] for k in g])
    return sorted(out, key=lambda g: g[0])


def group(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage groups of ``0..n-1`` (each ascending, ordered by their first): merge
    while the mean pair similarity of two groups is at least ``threshold``. Deterministic;
    on exact ties the input order decides. ``sim`` is used up (it becomes the distances).

    Two groups can only merge when a pair of them is within the cut, so the linkage runs on
    each component of the graph of those pairs alone. On each, it is SciPy's
    (``linkage(method="average")`` then ``fcluster`` at the distance ``1 - threshold``), step
    for step: the same nearest-neighbour chain, the same update of the distances and the same
    cut, so the same groups (a test compares them), without SciPy's import (0.3 s of every
    run). Over the whole matrix at once, SciPy's chain can end differently where distances
    tie exactly (it starts from the first point, wherever that is); component by component,
    a component's groups never depend on what else is in the matrix."""
    n = sim.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    dist = np.subtract(1.0, sim, out=sim)
    np.clip(dist, 0.0, None, out=dist)
    # the mean of (i, j) and (j, i), pair by pair (what SciPy reads in condensed form)
    mean = dist + dist.T
    mean /= 2.0
    del dist, sim
    height = 1.0 - threshold
    uf = UnionFind(n)
    close = np.nonzero(np.triu(mean <= height, 1))
    for i, j in zip(close[0].tolist(), close[1].tolist(), strict=True):
        uf.union(i, j)

    def linked_part(idx: np.ndarray) -> list[list[int]]:
        part = mean if len(idx) == n else mean[np.ix_(idx, idx)]
        return _cut(_nn_chain(part), len(idx), height)

    return _by_component(uf, linked_part)


def _nn_chain(dist: np.ndarray) -> list[tuple[int, int, float]]:
    """Average linkage by the nearest-neighbour chain, as SciPy's ``nn_chain`` runs it: the
    merges ``(x, y, distance)`` in the order they happen (``x < y``; the merged cluster takes
    ``y``'s place). ``dist`` (symmetric, n x n) is used up."""
    n = len(dist)
    size = np.ones(n, dtype=np.int64)
    open_ = np.ones(n, dtype=bool)
    chain: list[int] = []
    merges: list[tuple[int, int, float]] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(int(np.argmax(open_)))
        while True:
            x = chain[-1]
            row = np.where(open_, dist[x], np.inf)
            row[x] = np.inf
            y = int(np.argmin(row))  # the first of the nearest
            nearest = float(row[y])
            if len(chain) > 1:
                before = chain[-2]
                if not nearest < dist[x, before]:  # ties keep the chain's previous cluster
                    y, nearest = before, float(dist[x, before])
                if y == before:
                    break
            chain.append(y)
        del chain[-2:]
        x, y = min(x, y), max(x, y)
        nx, ny = int(size[x]), int(size[y])
        merges.append((x, y, nearest))
        size[x], size[y] = 0, nx + ny
        open_[x] = False
        others = open_.copy()
        others[y] = False
        updated = (nx * dist[others, x] + ny * dist[others, y]) / (nx + ny)
        dist[others, y] = updated
        dist[y, others] = updated
    return merges


def _cut(merges: list[tuple[int, int, float]], n: int, height: float) -> list[list[int]]:
    """The flat clusters of the merges at ``height``, as SciPy's ``fcluster(criterion=
    "distance")`` forms them: merges sorted by distance (stably), each joining the clusters
    that hold its two points then, and a cluster kept whole when no merge inside it lies
    above ``height`` (its largest merge distance, not only its last)."""
    order = sorted(range(len(merges)), key=lambda k: merges[k][2])
    tree = UnionFind(n)  # the dendrogram's clusters, by point
    flat = UnionFind(n)  # the clusters at the cut
    top: dict[int, float] = {}  # a cluster's root -> its largest merge distance
    for k in order:
        x, y, d = merges[k]
        rx, ry = tree.find(x), tree.find(y)
        highest = max(d, top.get(rx, d), top.get(ry, d))
        tree.union(rx, ry)
        top[tree.find(rx)] = highest
        if highest <= height:
            flat.union(rx, ry)
    return flat.groups()


class StorylineBuilder:
    """Storylines over stories, kept across runs in :meth:`state`."""

    def __init__(self, settings: StorylineSettings | None = None, state: dict | None = None):
        self.settings = settings or StorylineSettings()
        self._summaries: dict[str, StorySummary] = {}
        self._stored: dict[str, dict] = {}  # summaries as read from the state, written back as is
        self._lines: dict[str, list[str]] = {}  # storyline id -> article ids (last run)
        self._next = 0
        self.summarised = 0  # stories summarised (not taken from the state) by the last update
        if state:
            self._load(state)

    def update(self, stories: Mapping[str, Sequence[ClusterDoc]]) -> dict[str, str]:
        """Story id -> storyline id for ``stories`` (story id -> its articles).

        Stories seen before with the same articles reuse their stored summary; stories no
        longer present are forgotten. The grouping itself always covers all given stories.
        """
        ids = [sid for sid in stories if stories[sid]]
        summaries: list[StorySummary] = []
        self.summarised = 0
        for sid in ids:
            docs = [d for d in stories[sid] if isinstance(d, ClusterDoc)]
            key = story_key(docs)
            summ = self._summaries.get(key)
            if summ is None:
                summ = summarize_story(docs, self.settings)
                self.summarised += 1
            summaries.append(summ)
        self._summaries = {s.key: s for s in summaries}
        # a canonical order (by first article id) makes the result independent of input order
        order = sorted(range(len(ids)), key=lambda i: summaries[i].articles[:1])
        groups = linked([summaries[i] for i in order], self.settings)
        members = [[order[k] for k in g] for g in groups]
        names = self._name(members, summaries)
        out: dict[str, str] = {}
        for line_id, g in zip(names, members, strict=True):
            for i in g:
                out[ids[i]] = line_id
        log.info(
            "%d stories in %d storylines (%d summarised anew)",
            len(ids),
            len(groups),
            self.summarised,
        )
        return out

    def _name(self, members: list[list[int]], summaries: list[StorySummary]) -> list[str]:
        """Storyline ids: a group keeps the id of the stored storyline sharing most articles."""
        arts = [{a for i in g for a in summaries[i].articles} for g in members]
        owner = {a: lid for lid, articles in self._lines.items() for a in articles}
        overlaps = []
        for k, a in enumerate(arts):
            counts: dict[str, int] = {}
            for x in a:
                if x in owner:
                    counts[owner[x]] = counts.get(owner[x], 0) + 1
            overlaps += [(-c, lid, k) for lid, c in counts.items()]
        names: list[str | None] = [None] * len(members)
        used: set[str] = set()
        for _, lid, k in sorted(overlaps):
            if names[k] is None and lid not in used:
                names[k] = lid
                used.add(lid)
        for k in sorted(range(len(members)), key=lambda k: min(arts[k], default="")):
            if names[k] is None:
                self._next += 1
                names[k] = f"storyline-{self._next:04d}"
        self._lines = {n: sorted(a) for n, a in zip(names, arts, strict=True) if n}
        return [n or "" for n in names]

    def state(self) -> dict:
        """JSON-serialisable state: pass it back to continue from this run."""
        return {
            "version": STATE_VERSION,
            "settings": asdict(self.settings),
            "next": self._next,
            "storylines": self._lines,
            "stories": [self._stored.get(k) or s.to_dict() for k, s in self._summaries.items()],
        }

    def _load(self, state: dict) -> None:
        if state.get("version") != STATE_VERSION or state.get("settings") != asdict(self.settings):
            log.info("storyline state from other settings or version: starting afresh")
            return
        self._next = int(state.get("next", 0))
        self._lines = {str(k): list(v) for k, v in (state.get("storylines") or {}).items()}
        for d in state.get("stories", []):
            try:
                s = StorySummary.from_dict(d)
            except (KeyError, TypeError, ValueError):
                continue
            self._summaries[s.key] = s
            if _packed(d):  # (an older state's summary is written again packed)
                self._stored[s.key] = d


def storylines(
    stories: Mapping[str, Sequence[ClusterDoc]], settings: StorylineSettings | None = None
) -> dict[str, str]:
    """Story id -> storyline id in one pass."""
    return StorylineBuilder(settings).update(stories)


def assemble(
    stories: Sequence[Story], line_of: Mapping[str, str], articles: Mapping[str, Article]
) -> list[Storyline]:
    """Storyline records from the stories and their storyline ids, largest first.

    A storyline's title is that of its largest story; its timeline merges its stories' event
    timelines (not their background), each entry tagged with its ``story``, in date order.
    """
    groups: dict[str, list[Story]] = {}
    for s in stories:
        groups.setdefault(line_of.get(s.id) or f"solo-{s.id}", []).append(s)
    out: list[Storyline] = []
    for lid, members in groups.items():
        dates = sorted(p for s in members for a in s.articles if (p := _published(articles.get(a))))
        members.sort(key=lambda s: (_first(s, articles), s.id))
        largest = min(members, key=lambda s: -len(s.articles))
        entries = [
            dataclasses.replace(e, story=s.id) for s in members for e in s.timeline if e.date
        ]
        rank = {s.id: k for k, s in enumerate(members)}
        entries.sort(key=lambda e: (date_sort_key(e.date), rank[e.story or ""]))
        seen: set[str] = set()
        unique = []
        for e in entries:  # a sentence carried into two stories is listed once
            key = " ".join(e.text.lower().split())
            if key not in seen:
                seen.add(key)
                unique.append(e)
        out.append(
            Storyline(
                id=lid,
                title=largest.title,
                stories=[s.id for s in members],
                first_published=dates[0] if dates else None,
                last_published=dates[-1] if dates else None,
                timeline=unique,
            )
        )
    size = {lid: sum(len(s.articles) for s in members) for lid, members in groups.items()}
    out.sort(key=lambda ln: (-size[ln.id], ln.first_published or "9999", ln.id))
    return out


def _published(a: Article | None) -> str | None:
    return a.published if a is not None and a.published else None


def _first(story: Story, articles: Mapping[str, Article]) -> str:
    return min((p for a in story.articles if (p := _published(articles.get(a)))), default="9999")
