"""Story clustering: event separation, incremental state, merging, duplicates, odd input.

Fixtures are fictional articles written for these tests (invented towns, people, outlets).
Most tests run in TF-IDF mode (``use_embeddings=False``) so they need no model; the tests
marked ``slow`` load MiniLM.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsprism.evaluate.cluster import bcubed, pairwise
from newsprism.packed import unpack_vector, unpack_weights
from newsprism.stories.cluster import ClusterDoc, ClusterSettings, StoryClusterer, cluster

TFIDF = ClusterSettings(use_embeddings=False)

# (id, event, outlet, published, title, text)
ARTICLES = [
    (
        "a1",
        "flood-orvel",
        "Lakeside Gazette",
        "2024-09-02",
        "River Tamsa bursts its banks in Orvel",
        "The River Tamsa burst its banks in Orvel early on Monday, flooding the old market quarter. "
        "Mayor Ilse Varga said 340 residents had been moved to the Orvel sports hall. "
        "Firefighters used boats to reach houses on Kestrel Lane.",
    ),
    (
        "a2",
        "flood-orvel",
        "Northern Herald",
        "2024-09-02",
        "Hundreds evacuated as Tamsa floods Orvel",
        "About 340 people left their homes in Orvel after the Tamsa overflowed overnight. "
        "Ilse Varga, the town's mayor, praised volunteers at the sports hall shelter. "
        "Water stood a metre deep in the market quarter by dawn.",
    ),
    (
        "a3",
        "flood-orvel",
        "Radio Brenn",
        "2024-09-03",
        "Orvel begins clean-up after Tamsa flood",
        "Residents of Orvel returned on Tuesday to mud-filled homes in the market quarter as the "
        "Tamsa receded. Mayor Varga asked the province for emergency funds. "
        "Boats from the Orvel fire brigade were still patrolling Kestrel Lane.",
    ),
    (
        "b1",
        "flood-dunmere",
        "Northern Herald",
        "2024-09-04",
        "Flash flood hits Dunmere after cloudburst",
        "A cloudburst sent a flash flood through Dunmere on Wednesday, sweeping cars off the "
        "Harrow Road bridge. Police chief Tomas Reyl said two drivers were rescued from the "
        "Brook Alder stream. The Dunmere primary school was closed.",
    ),
    (
        "b2",
        "flood-dunmere",
        "Lakeside Gazette",
        "2024-09-04",
        "Drivers rescued as Brook Alder overflows in Dunmere",
        "Two motorists were pulled from the swollen Brook Alder in Dunmere after a sudden "
        "cloudburst, police chief Tomas Reyl said. The Harrow Road bridge was closed and the "
        "primary school sent pupils home.",
    ),
    (
        "c1",
        "chess-final",
        "Radio Brenn",
        "2024-09-03",
        "Petra Lind wins Calloway chess championship",
        "Petra Lind won the Calloway Open chess championship on Tuesday, beating grandmaster "
        "Oskar Vey in a tense final game that lasted six hours. Lind, 19, takes home the "
        "Calloway trophy and a prize of 20,000 crowns.",
    ),
    (
        "c2",
        "chess-final",
        "Metro Courier",
        "2024-09-03",
        "Teenager Lind beats Vey for Calloway title",
        "Nineteen-year-old Petra Lind is the new Calloway Open champion after defeating Oskar "
        "Vey in the final. The six-hour game ended when Vey resigned. Lind said the 20,000 "
        "crown prize would pay for her studies.",
    ),
    (
        "d1",
        "budget",
        "Metro Courier",
        "2024-09-05",
        "Finance minister Aldo Sarn unveils 2025 budget",
        "Finance minister Aldo Sarn presented the 2025 budget to parliament on Thursday, with a "
        "rise in pensions and a new tax on private jets. Sarn said the deficit would fall to "
        "2.1 percent. The opposition Green Union called the plan timid.",
    ),
    (
        "d2",
        "budget",
        "Northern Herald",
        "2024-09-05",
        "Sarn budget taxes private jets, lifts pensions",
        "Aldo Sarn's budget for 2025 raises pensions and taxes private jets, the finance minister "
        "told parliament. He forecast a deficit of 2.1 percent. Green Union leaders said the "
        "budget lacked ambition.",
    ),
    (
        "d3",
        "budget",
        "Radio Brenn",
        "2024-09-06",
        "Parliament debates Sarn's 2025 budget",
        "Members of parliament clashed on Friday over the 2025 budget of finance minister Aldo "
        "Sarn. The Green Union wants the jet tax doubled; Sarn defended the pension rise and "
        "the 2.1 percent deficit target.",
    ),
]


def make_docs(articles=ARTICLES) -> list[ClusterDoc]:
    return [
        ClusterDoc(id=a, text=t, title=ti, published=p, source=s) for a, _, s, p, ti, t in articles
    ]


GOLD = {a: e for a, e, *_ in ARTICLES}


def partition(assign: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for doc, story in assign.items():
        groups[story].add(doc)
    return {frozenset(g) for g in groups.values()}


GOLD_PARTITION = partition(GOLD)


def test_events_of_one_kind_are_kept_apart():
    assign = cluster(make_docs(), TFIDF)
    assert partition(assign) == GOLD_PARTITION
    assert set(assign) == set(GOLD)


def test_works_without_titles_dates_or_sources():
    docs = [replace(d, title=None, published=None, source=None) for d in make_docs()]
    assert partition(cluster(docs, TFIDF)) == GOLD_PARTITION


def test_deterministic_ids_and_time_order():
    first = cluster(make_docs(), TFIDF)
    assert cluster(make_docs(), TFIDF) == first
    assert all(s.startswith("s") for s in first.values())
    # input order does not matter when every article has a date (they are taken by time)
    shuffled = make_docs()
    random.Random(3).shuffle(shuffled)
    assert partition(cluster(shuffled, TFIDF)) == GOLD_PARTITION


def test_incremental_state_round_trip_through_json():
    docs = make_docs()
    first, second = docs[:5], docs[5:]
    live = StoryClusterer(TFIDF)
    live.add(first)
    state = json.loads(json.dumps(live.state()))
    resumed = StoryClusterer(TFIDF, state=state)
    out_live = live.add(second)
    out_resumed = resumed.add(second)
    assert out_resumed == out_live
    assert resumed.assignments() == live.assignments()
    # and feeding in two batches finds the same stories as one pass
    assert partition(resumed.assignments()) == GOLD_PARTITION
    assert set(out_live) == {d.id for d in second}


def _stream(n_events: int, per_event: int, seed: int) -> tuple[list[ClusterDoc], np.ndarray]:
    """A small templated stream (fictional towns and officials) with structured vectors."""
    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    syl = ["ka", "lo", "mi", "ra", "ven", "dor", "sel", "tan", "bri", "gor", "li", "sa"]
    docs, vecs = [], []
    for e in range(n_events):
        town = "".join(rnd.choice(syl) for _ in range(3)).capitalize()
        chief = "".join(rnd.choice(syl) for _ in range(2)).capitalize()
        base = rng.normal(size=24)
        day = rnd.randint(1, 20)
        for k in range(per_event):
            text = (
                f"A warehouse fire broke out in {town} on day {day}. Fire chief {chief} said "
                f"{rnd.randint(2, 9)} crews fought the blaze in {town} for hours."
            )
            docs.append(
                ClusterDoc(
                    id=f"e{e}-{k}", text=text, published=f"2024-03-{day + rnd.randint(0, 2):02d}"
                )
            )
            vecs.append(base + 0.3 * rng.normal(size=24))
    order = list(range(len(docs)))
    rnd.shuffle(order)
    order.sort(key=lambda i: docs[i].published or "")  # a stream arrives roughly in time order
    return [docs[i] for i in order], np.asarray(vecs, dtype=np.float32)[order]


def test_round_trip_is_exact_with_the_approximate_index():
    docs, vecs = _stream(60, 4, seed=5)
    settings = ClusterSettings(exact_search_max=8)  # force the HNSW path
    live = StoryClusterer(settings)
    live.add(docs[:120], vecs[:120])
    resumed = StoryClusterer(settings, state=json.loads(json.dumps(live.state())))
    assert resumed.add(docs[120:], vecs[120:]) == live.add(docs[120:], vecs[120:])
    truth = {d.id: d.id.split("-")[0] for d in docs}
    assert bcubed(live.assignments(), truth)["bcubed_f1"] > 0.95


def _unpacked(state: dict) -> dict:
    """``state`` as states held it before the packing: numbers in JSON lists."""
    old = json.loads(json.dumps(state))
    for rec in old["stories"]:
        for part in ("tf", "names"):
            if part in rec:
                rec[part] = [[h, w] for h, w in unpack_weights(rec[part]).items()]
        for part in ("emb", "key"):
            if rec.get(part) is not None:
                rec[part] = unpack_vector(rec[part], "<f4").tolist()
    old["idf"]["df"] = [[h, n] for h, n in unpack_weights(old["idf"]["df"], "<u4").items()]
    return old


def test_the_state_packs_its_numbers_and_an_older_state_resumes_the_same():
    docs, vecs = _stream(30, 4, seed=11)
    live = StoryClusterer(ClusterSettings())
    live.add(docs[:80], vecs[:80])
    state = json.loads(json.dumps(live.state()))
    active = [rec for rec in state["stories"] if rec["active"]]
    assert active and all(isinstance(rec["key"], str) for rec in active)
    assert all(isinstance(x, str) for rec in active for x in rec["tf"])
    older = _unpacked(state)
    assert isinstance(older["stories"][0].get("tf", []), list)
    packed = StoryClusterer(ClusterSettings(), state=state)
    unpacked = StoryClusterer(ClusterSettings(), state=older)
    assert packed.state() == unpacked.state() == live.state()  # the very numbers
    out = live.add(docs[80:], vecs[80:])
    assert packed.add(docs[80:], vecs[80:]) == out == unpacked.add(docs[80:], vecs[80:])


def test_old_story_stops_attracting_articles():
    docs = make_docs()
    late = replace(docs[0], id="a1-late", published="2024-10-20")
    assign = cluster([*docs, late], TFIDF)
    assert assign["a1-late"] != assign["a1"]
    # at topic granularity the window is wider (30 days)
    topic = cluster(
        [*docs, replace(late, published="2024-09-20")], replace(TFIDF, granularity="topic")
    )
    assert topic["a1-late"] == topic["a1"]


def test_near_duplicates_follow_their_canonical():
    docs = make_docs()
    # a reprint whose text was mangled by ingest still goes where its canonical went
    dup = ClusterDoc(id="dup1", text="Subscribe now! Share this article.", duplicate_of="d1")
    assign = cluster([dup, *docs], TFIDF)
    assert assign["dup1"] == assign["d1"]
    # canonical seen in an earlier batch
    clusterer = StoryClusterer(TFIDF)
    clusterer.add(docs)
    out = clusterer.add([ClusterDoc(id="dup2", text="", duplicate_of="c2")])
    assert out["dup2"] == clusterer.assignments()["c2"]
    # unknown canonical: clustered on its own text
    stray = replace(docs[5], id="c3", duplicate_of="never-seen")
    assert clusterer.add([stray])["c3"] == clusterer.assignments()["c1"]


def test_stories_merge_when_later_evidence_bridges_them():
    clusterer = StoryClusterer(TFIDF)
    early = [
        ClusterDoc(
            id="f1",
            published="2024-05-01",
            title="Ferry Aurelia capsizes off Brindle Bay",
            text="The passenger ferry Aurelia capsized off Brindle Bay on Wednesday night in heavy "
            "seas. The ferry operator Saltmere Lines confirmed the Aurelia had left port at 9 pm.",
        ),
        ClusterDoc(
            id="f2",
            published="2024-05-01",
            title="Coast guard pulls 40 from the water near Tollan Point",
            text="Coast guard crews rescued 40 people from the water near Tollan Point, commander "
            "Rhea Dask said. Helicopters from Tollan airbase searched through the night.",
        ),
    ]
    first = clusterer.add(early)
    assert first["f1"] != first["f2"]
    bridge = [
        ClusterDoc(
            id=f"f{i}",
            published="2024-05-02",
            title=title,
            text=text,
        )
        for i, (title, text) in enumerate(
            [
                (
                    "Aurelia ferry disaster: coast guard rescues 40 near Tollan Point",
                    "After the ferry Aurelia capsized off Brindle Bay, coast guard crews rescued 40 "
                    "people near Tollan Point. Saltmere Lines said the Aurelia left port at 9 pm. "
                    "Commander Rhea Dask said helicopters from Tollan airbase searched all night.",
                ),
                (
                    "Saltmere Lines ferry Aurelia: 40 rescued off Brindle Bay and Tollan Point",
                    "Commander Rhea Dask of the coast guard said 40 passengers of the Aurelia were "
                    "pulled from the water between Brindle Bay and Tollan Point. Saltmere Lines "
                    "confirmed the ferry capsized in heavy seas after leaving port at 9 pm.",
                ),
                (
                    "Questions for Saltmere Lines after Aurelia capsizes",
                    "Saltmere Lines faces questions after its ferry Aurelia capsized off Brindle "
                    "Bay. The coast guard under commander Rhea Dask rescued 40 people near Tollan "
                    "Point with helicopters from Tollan airbase.",
                ),
            ],
            start=3,
        )
    ]
    clusterer.add(bridge)
    final = clusterer.assignments()
    assert final["f1"] == final["f2"] == final["f3"] == final["f4"] == final["f5"]
    # story ids stay stable: the merged story keeps the older id
    assert final["f1"] == first["f1"]


def test_odd_input_never_raises():
    docs = [
        ClusterDoc(id="e1", text=""),
        ClusterDoc(id="e2", text="   \n\n  "),
        ClusterDoc(id="e3", text="«»“”„‚’' — …", title="", published="not a date"),
        ClusterDoc(id="e4", text="word " * 200_000, published="2024-02-30"),
        ClusterDoc(id="e5", text="Ünïcödé Straße in Zürich", published="2024-01-01T10:00:00Z"),
    ]
    assign = cluster(docs, TFIDF)
    assert set(assign) == {d.id for d in docs}
    assert cluster([], TFIDF) == {}
    assert StoryClusterer(TFIDF).add([]) == {}
    # embeddings of the wrong shape are ignored, not fatal
    out = cluster(make_docs()[:3], TFIDF, embeddings=np.zeros((2, 5)))
    assert len(set(out.values())) == 1


def test_given_embeddings_are_used():
    """Identical texts, embeddings that say 'two events': the embedding evidence splits them."""
    docs = [
        ClusterDoc(id=f"x{i}", text="Council meeting held on Monday in the town hall.")
        for i in range(4)
    ]
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=32), rng.normal(size=32)
    emb = np.stack([a, a, b, b]).astype(np.float32)
    settings = ClusterSettings(weight_tfidf=0.0, weight_entities=0.0, weight_embedding=1.0)
    assign = cluster(docs, settings, embeddings=emb)
    assert assign["x0"] == assign["x1"] != assign["x2"] == assign["x3"]


def test_scorer_metrics_on_hand_checked_example():
    gold = {"1": "A", "2": "A", "3": "B", "4": "B"}
    pred = {"1": "x", "2": "x", "3": "x", "4": "y"}
    b = bcubed(pred, gold)
    # precision: items 1,2,3 in a cluster of 3 with 2,2,1 correct -> (2/3+2/3+1/3+1)/4
    assert b["bcubed_precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert b["bcubed_recall"] == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    p = pairwise(pred, gold)
    assert p["pairwise_precision"] == pytest.approx(1 / 3)
    assert p["pairwise_recall"] == pytest.approx(1 / 2)
    assert bcubed(gold, gold)["bcubed_f1"] == 1.0


def _read_sample_corpus(root: Path) -> list[ClusterDoc]:
    docs = []
    for path in sorted(root.rglob("*.txt")):
        meta_path = path.with_suffix(".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        docs.append(
            ClusterDoc(
                id=path.relative_to(root).as_posix(),
                text=body,
                title=meta.get("title") or title.strip(),
                published=meta.get("published"),
                source=meta.get("source") or path.parent.name,
            )
        )
    return docs


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("use_embeddings", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_sample_corpus_stories(use_embeddings: bool):
    expected_path = EXAMPLES / "expected.json"
    if not expected_path.exists():
        pytest.skip("examples/corpus is absent")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    gold = {f: s["name"] for s in expected["stories"] for f in s["files"]}
    docs = _read_sample_corpus(EXAMPLES / "corpus")
    assign = cluster(docs, ClusterSettings(use_embeddings=use_embeddings))
    assert partition({d: assign[d] for d in gold}) == partition(gold)


@pytest.mark.slow
def test_seed_articles_form_one_story(seeds_dir: Path):
    paths = sorted(seeds_dir.glob("*.txt"))
    assert len(paths) >= 2
    docs = [ClusterDoc(id=p.name, text=p.read_text(encoding="utf-8")) for p in paths]
    # among unrelated fixture articles, the two seeds (one event, two outlets) are one story
    assign = cluster(docs + make_docs(), ClusterSettings())
    assert assign[paths[0].name] == assign[paths[1].name]
    assert all(assign[a] != assign[paths[0].name] for a in GOLD)


@pytest.mark.slow
def test_fixture_events_with_embeddings():
    assert partition(cluster(make_docs(), ClusterSettings())) == GOLD_PARTITION


@pytest.mark.slow
def test_ecbplus_score(data_dir: Path):
    from newsprism.evaluate.cluster import score

    path = data_dir / "ecbplus_dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    scores = score(path, limit=60)
    assert scores["n_docs"] == 60
    assert scores["bcubed_f1"] > 0.8


def test_the_encoder_loads_after_clustering_without_embeddings() -> None:
    """Clustering without embeddings, then the sentence encoder, in one fresh process: usearch
    loaded before ONNX Runtime used to crash the process (see ``embed.preload_runtime``)."""
    import subprocess
    import sys

    code = (
        "from newsprism.stories.cluster import ClusterDoc, ClusterSettings, cluster\n"
        "docs = [ClusterDoc(id=str(i), text='The Velin bridge opened on Monday.') "
        "for i in range(3)]\n"
        "cluster(docs, ClusterSettings(use_embeddings=False))\n"
        "from newsprism.nlp.pipeline import embed\n"
        "print(embed(['The bridge opened.']).shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "(1, 384)"
