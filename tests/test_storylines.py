"""Storylines over stories: grouping, incremental runs, and their place in stories.json and the
reports. Fixtures are fictional (invented places, people and outlets)."""

from __future__ import annotations

import json
from collections import defaultdict
from unittest.mock import patch

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.evaluate.cluster import bcubed
from newsprism.evaluate.storylines import doc_meta
from newsprism.model import AnalysisResult, Article, Story, Storyline
from newsprism.outputs.document import result_to_document
from newsprism.outputs.html import render_html
from newsprism.outputs.markdown import render_markdown
from newsprism.stories import storylines as storylines_mod
from newsprism.stories.cluster import ClusterDoc, ClusterSettings, StoryClusterer
from newsprism.stories.storylines import (
    StorylineBuilder,
    StorylineSettings,
    StorySummary,
    assemble,
    group,
    linked,
    similarity_matrix,
    storylines,
)

# (id, day, outlet, topic, text): three topics, each with events days or weeks apart
_ARTICLES = [
    (
        "m1",
        "2035-04-02",
        "Daily Lantern",
        "dam",
        "The Mervin Lake dam on the Oska river cracked on Monday, and engineers from Tollin "
        "evacuated the villages of Brask and Oddel below the Mervin reservoir.",
    ),
    (
        "m2",
        "2035-04-02",
        "Harbour Post",
        "dam",
        "Engineers said the crack in the Mervin Lake dam widened overnight; Brask and Oddel were "
        "emptied as the Oska river rose below the reservoir.",
    ),
    (
        "m3",
        "2035-04-20",
        "Daily Lantern",
        "dam",
        "Tollin approved money to rebuild the Mervin Lake dam, weeks after the crack that forced "
        "Brask and Oddel villagers from their homes along the Oska river.",
    ),
    (
        "m4",
        "2035-04-21",
        "Harbour Post",
        "dam",
        "Repair crews began pouring concrete at the Mervin Lake dam; residents of Brask returned "
        "while the Oska river reservoir stays low.",
    ),
    (
        "e1",
        "2035-04-03",
        "Harbour Post",
        "vote",
        "Borovia's parliament called a snap election after prime minister Ilse Varga lost a "
        "confidence vote over the Kessel port budget.",
    ),
    (
        "e2",
        "2035-04-03",
        "Daily Lantern",
        "vote",
        "Prime minister Ilse Varga of Borovia lost the confidence vote, and the parliament set a "
        "snap election; the Kessel port budget split her coalition.",
    ),
    (
        "e3",
        "2035-04-25",
        "Harbour Post",
        "vote",
        "Borovia voted in the snap election; Ilse Varga's party trailed the Kessel alliance as "
        "counting went on in parliament districts.",
    ),
    (
        "e4",
        "2035-04-26",
        "Daily Lantern",
        "vote",
        "The Kessel alliance won Borovia's snap election, ending Ilse Varga's time as prime "
        "minister; parliament meets next week.",
    ),
    (
        "w1",
        "2035-04-05",
        "Daily Lantern",
        "fire",
        "A wildfire spread through the Quill hills near Fennick, and firefighters closed the "
        "Quill valley road as pine forest burned.",
    ),
    (
        "w2",
        "2035-04-05",
        "Harbour Post",
        "fire",
        "Firefighters battled the Quill hills wildfire all night; the Fennick valley road stayed "
        "closed and smoke covered the pine forest.",
    ),
    (
        "w3",
        "2035-04-15",
        "Harbour Post",
        "fire",
        "Rain helped firefighters contain the Quill hills wildfire; Fennick reopened the valley "
        "road through the burned pine forest.",
    ),
]


def _docs(ids: set[str] | None = None) -> list[ClusterDoc]:
    return [
        ClusterDoc(id=i, text=t, published=day, source=o)
        for i, day, o, _, t in _ARTICLES
        if ids is None or i in ids
    ]


_GOLD = {i: topic for i, _, _, topic, _ in _ARTICLES}
_SETTINGS = ClusterSettings(use_embeddings=False)


def _groups(story_of: dict[str, str]) -> dict[str, list[ClusterDoc]]:
    by_story: dict[str, list[ClusterDoc]] = defaultdict(list)
    for d in _docs():
        if d.id in story_of:
            by_story[story_of[d.id]].append(d)
    return by_story


def _partition(line_of_doc: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for doc, line in line_of_doc.items():
        groups[line].add(doc)
    return {frozenset(g) for g in groups.values()}


def _built() -> tuple[dict[str, list[ClusterDoc]], StorylineBuilder, dict[str, str]]:
    """The fixture's stories, a builder that has grouped them, and its storylines."""
    clusterer = StoryClusterer(_SETTINGS)
    clusterer.add(_docs())
    groups = _groups(clusterer.assignments())
    builder = StorylineBuilder()
    return groups, builder, builder.update(groups)


def test_storylines_gather_the_events_of_a_topic() -> None:
    clusterer = StoryClusterer(_SETTINGS)
    clusterer.add(_docs())
    stories = clusterer.assignments()
    line_of = storylines(_groups(stories))
    per_doc = {d: line_of[s] for d, s in stories.items()}
    assert set(line_of) == set(stories.values())  # each story in exactly one storyline
    scores = bcubed(per_doc, _GOLD)
    assert scores["bcubed_f1"] == 1.0, scores
    # storylines hold more than one story each here: the event level cuts topics finer
    assert len(set(stories.values())) > len(set(line_of.values()))


def test_adding_articles_later_gives_the_same_storylines_as_one_run() -> None:
    first = {"m1", "m2", "e1", "e2", "w1", "w2"}
    clusterer = StoryClusterer(_SETTINGS)
    clusterer.add(_docs(first))
    builder = StorylineBuilder()
    builder.update(_groups(clusterer.assignments()))
    saved = json.loads(json.dumps(builder.state()))
    clusterer_state = json.loads(json.dumps(clusterer.state()))

    later = StoryClusterer(_SETTINGS, state=clusterer_state)
    later.add(_docs({i for i, *_ in _ARTICLES} - first))
    stories = later.assignments()
    resumed = StorylineBuilder(state=saved)
    line_of = resumed.update(_groups(stories))
    assert resumed.summarised < len(set(stories.values()))  # unchanged stories reused

    once = StoryClusterer(_SETTINGS)
    once.add(_docs())
    one_run = once.assignments()
    line_once = storylines(_groups(one_run))
    assert _partition({d: line_of[s] for d, s in stories.items()}) == _partition(
        {d: line_once[s] for d, s in one_run.items()}
    )
    # a storyline keeps its id when it grows
    before = StorylineBuilder(state=saved)._lines
    for lid, arts in before.items():
        assert all(line_of[stories[a]] == lid for a in arts)


def test_storylines_do_not_depend_on_story_order() -> None:
    clusterer = StoryClusterer(_SETTINGS)
    clusterer.add(_docs())
    groups = _groups(clusterer.assignments())
    forward = storylines(groups)
    backward = storylines(dict(reversed(list(groups.items()))))
    assert _partition(forward) == _partition(backward)


def test_duc_doc_ids_name_outlet_and_day() -> None:
    assert doc_meta("APW19981016.0240") == ("AP", "1998-10-16")
    assert doc_meta("NYT19981104.0369") == ("New York Times", "1998-11-04")
    assert doc_meta("odd") == (None, None)


def _result() -> AnalysisResult:
    articles = [
        Article(id=i, path=f"{i}.txt", text=t, title=t.split(";")[0][:60], source=o, published=day)
        for i, day, o, _, t in _ARTICLES
        if i in {"m1", "m3", "w1"}
    ]

    def entry(day: str, aid: str) -> dict:
        a = next(x for x in articles if x.id == aid)
        return {
            "date": day,
            "label": day,
            "text": a.text[:40],
            "fact": "f1",
            "sources": [
                {"article": aid, "start": 0, "end": 40, "text": a.text[:40], "outlet": a.source}
            ],
        }

    stories = [
        Story.from_dict(
            {"timeline": [entry("2035-04-02", "m1")], "storyline": "storyline-0001"},
            id="story-0001",
            title="Dam cracks",
            articles=["m1"],
        ),
        Story.from_dict(
            {"timeline": [entry("2035-04-20", "m3")], "storyline": "storyline-0001"},
            id="story-0002",
            title="Dam rebuilt",
            articles=["m3"],
        ),
        Story.from_dict(
            {"timeline": [], "storyline": "storyline-0002"},
            id="story-0003",
            title="Quill fire",
            articles=["w1"],
        ),
    ]
    lines = assemble(
        stories,
        {
            "story-0002": "storyline-0001",
            "story-0001": "storyline-0001",
            "story-0003": "storyline-0002",
        },
        {a.id: a for a in articles},
    )
    return AnalysisResult(articles=articles, stories=stories, storylines=lines)


def test_storylines_in_stories_json() -> None:
    doc = result_to_document(_result())
    keys = list(doc)
    assert keys.index("storylines") < keys.index("stories")
    line = doc["storylines"][0]
    assert set(line) == {"id", "title", "stories", "first_published", "last_published", "timeline"}
    assert line["stories"] == ["story-0001", "story-0002"]  # in time order
    assert (line["first_published"], line["last_published"]) == ("2035-04-02", "2035-04-20")
    assert [e["date"] for e in line["timeline"]] == ["2035-04-02", "2035-04-20"]
    assert [e["story"] for e in line["timeline"]] == ["story-0001", "story-0002"]
    assert doc["summary"]["storylines"] == 2
    every = [s for ln in doc["storylines"] for s in ln["stories"]]
    assert sorted(every) == sorted(s["id"] for s in doc["stories"])


def test_reports_group_stories_by_storyline() -> None:
    doc = result_to_document(_result())
    title = doc["storylines"][0]["title"]
    md = render_markdown(doc)
    head = md.index(f"## {title}\n")
    assert head < md.index("### Dam cracks") < md.index("### Dam rebuilt") < md.index("## Quill")
    assert "Storyline: 2 stories" in md
    html = render_html(doc)
    section = html.index('<section class="storyline" id="storyline-0001">')
    assert section < html.index('id="story-0001"') < html.index('id="story-0002"')
    assert html.index("</section>\n</section>") < html.index('id="story-0003"')


def test_builder_state_from_other_settings_is_ignored() -> None:
    groups, builder, _ = _built()
    state = builder.state()
    state["settings"]["threshold"] = 0.9
    again = StorylineBuilder(state=state)
    again.update(groups)
    assert again.summarised == len(groups)
    assert StorylineBuilder(state={"version": 99}).update({}) == {}
    line = assemble([], {}, {})
    assert line == [] and isinstance(line, list) and not isinstance(line, Storyline)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 30), min_size=1, max_size=8),  # topic words (hashed ids)
            st.lists(st.integers(100, 112), max_size=3),  # names
            st.integers(0, 400),  # first day
            st.integers(0, 40),  # days it lasts
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 7),
)
def test_grouping_by_components_is_the_linkage_of_the_whole_matrix(stories, rows) -> None:
    """The storylines found component by component (from one matrix, or pairs scored a few
    rows at a time) are those of average linkage over the whole similarity matrix."""
    summaries = [
        StorySummary(
            key=f"k{i}",
            articles=[f"a{i:03d}"],
            terms={t: float(1 + words.count(t)) for t in words},
            names={h: 1.0 for h in names},
            t_first=day * 86400.0,
            t_last=(day + span) * 86400.0,
        )
        for i, (words, names, day, span) in enumerate(stories)
    ]
    conf = StorylineSettings()
    whole = group(similarity_matrix(summaries, conf), conf.threshold)
    assert linked(summaries, conf) == whole  # (a small archive: one matrix)
    with (
        patch.object(storylines_mod, "_BLOCK_ROWS", rows),
        patch.object(storylines_mod, "_WHOLE_MAX", 0),
    ):
        assert linked(summaries, conf) == whole  # (blocks of rows)


def _scipy_groups(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """The reference: SciPy's average linkage and flat clusters on the same distances, run on
    each connected component of the pairs within the cut (SciPy's own components)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - sim, 0.0, None)
    dist = (dist + dist.T) / 2.0
    height = 1.0 - threshold
    _, comp = connected_components(dist <= height, directed=False)
    out: list[list[int]] = []
    for c in np.unique(comp):
        members = np.flatnonzero(comp == c)
        if len(members) == 1:
            out.append([int(members[0])])
            continue
        part = dist[np.ix_(members, members)].copy()
        np.fill_diagonal(part, 0.0)
        labels = fcluster(
            linkage(squareform(part, checks=False), method="average"),
            t=height,
            criterion="distance",
        )
        groups: dict[int, list[int]] = {}
        for i, lab in zip(members.tolist(), labels.tolist(), strict=True):
            groups.setdefault(int(lab), []).append(i)
        out.extend(groups.values())
    return sorted(out, key=lambda g: g[0])


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 24).flatmap(
        lambda n: st.lists(st.integers(-3, 12), min_size=n * n, max_size=n * n).map(
            lambda v: np.array(v, dtype=np.float64).reshape(n, n) / 10.0
        )
    ),
    st.sampled_from([0.05, 0.1, 0.3, 0.55]),
)
def test_average_linkage_is_scipys(sim: np.ndarray, threshold: float) -> None:
    """The storylines' own average linkage gives SciPy's groups component by component, ties
    (values on a grid of tenths) and asymmetric similarities included."""
    assert group(sim.copy(), threshold) == _scipy_groups(sim, threshold)


def test_tied_stories_group_alike_alone_and_in_the_whole_matrix() -> None:
    """Four stories of the same one word, days 0, 2, 1 and 1-2 (the case the property test
    above once found): the whole matrix, one component at a time and blocks of one row give
    the same storylines, though every pair ties."""
    summaries = [
        StorySummary(
            key=f"k{i}",
            articles=[f"a{i:03d}"],
            terms={7: 2.0},  # one topic word (a hashed id)
            names={},
            t_first=day * 86400.0,
            t_last=(day + span) * 86400.0,
        )
        for i, (day, span) in enumerate([(0, 0), (2, 0), (1, 0), (1, 1)])
    ]
    conf = StorylineSettings()
    whole = group(similarity_matrix(summaries, conf), conf.threshold)
    assert linked(summaries, conf) == whole
    with (
        patch.object(storylines_mod, "_BLOCK_ROWS", 1),
        patch.object(storylines_mod, "_WHOLE_MAX", 0),
    ):
        assert linked(summaries, conf) == whole


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.integers(0, 40), st.floats(0.5, 5.0), max_size=12),
        min_size=1,
        max_size=30,
    )
)
def test_cosines_are_those_of_a_sparse_product(vecs: list[dict[int, float]]) -> None:
    """The rows' dot products, sum by sum, as SciPy's sparse product adds them (bit for bit)."""
    from scipy.sparse import csr_matrix

    weights = storylines_mod._Weights(vecs)
    n = len(vecs)
    rows, cols, vals = [], [], []
    for r in range(n):
        for k in range(weights.row_ptr[r], weights.row_ptr[r + 1]):
            rows.append(r)
            cols.append(int(weights.row_feature[k]))
            vals.append(float(weights.row_value[k]))
    mat = csr_matrix((vals, (rows, cols)), shape=(n, max(1, max(cols, default=0) + 1)))
    everyone = np.arange(n)
    assert np.array_equal(weights.dots(everyone), (mat @ mat.T).toarray())


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(st.integers(0, 2**22 - 1), st.floats(0.0, 1e6, allow_nan=False)),
    st.dictionaries(st.integers(0, 2**22 - 1), st.floats(0.0, 50.0)),
)
def test_a_story_summary_comes_back_from_the_state_bit_for_bit(
    terms: dict[int, float], names: dict[int, float]
) -> None:
    summary = StorySummary("k1", ["a1", "a2"], terms, names, 16000.0, 16003.5)
    record = json.loads(json.dumps(summary.to_dict()))
    assert all(isinstance(x, str) for x in record["terms"] + record["names"])  # packed
    back = StorySummary.from_dict(record)
    assert back == summary
    assert list(back.terms) == sorted(terms)  # in hash order, as the summaries are read
    # a state written before the weights were packed ([hash, weight] pairs) reads the same
    older = dict(record, terms=[[h, terms[h]] for h in sorted(terms)])
    older["names"] = [[h, names[h]] for h in sorted(names)]
    assert StorySummary.from_dict(older) == summary


def test_a_damaged_summary_in_the_state_is_summarised_again() -> None:
    groups, builder, first = _built()
    state = json.loads(json.dumps(builder.state()))
    state["stories"][0]["terms"] = ["AQAAAAIAAAA=", "not base64!"]
    state["stories"][1]["names"] = ["AQAAAA==", ""]  # one hash, no weight
    again = StorylineBuilder(state=state)
    assert again.update(groups) == first
    assert again.summarised == 2


def test_an_older_state_is_written_back_packed() -> None:
    groups, builder, _ = _built()
    state = json.loads(json.dumps(builder.state()))
    for d in state["stories"]:  # as a state written before the weights were packed
        for part in ("terms", "names"):
            d[part] = [[h, w] for h, w in getattr(StorySummary.from_dict(d), part).items()]
    older = StorylineBuilder(state=state)
    older.update(groups)
    assert older.summarised == 0
    assert older.state()["stories"] == builder.state()["stories"]
