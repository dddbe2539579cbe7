"""The same-fact judge: shipped weights, probabilities on fictional pairs, features, CV folds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsprism.evaluate.align import folds, load_pairs, metrics, pair_groups
from newsprism.stories import judge
from newsprism.stories.judge import (
    RELATED,
    SAME,
    SAME_OTHER_PREDICATE,
    SameFactJudge,
    fit,
    predicates_agree,
    relation,
    same_threshold,
)
from newsprism.stories.judge_features import SCALAR_FEATURES, pair_features

SAME_PAIRS = [
    (
        "The Vexborough council approved a budget of 12 million crowns on Tuesday.",
        "On Tuesday the Vexborough council passed a 12 million crown budget.",
    ),
    (
        "Harbour pilots in Castellane walked off the job for two days over pay.",
        "Castellane's harbour pilots staged a two-day walkout over pay.",
    ),
]
DIFFERENT_PAIRS = [
    (
        "The Vexborough council approved a budget of 12 million crowns on Tuesday.",
        "The Vexborough council will debate a ban on night flights at its next meeting.",
    ),
    (
        "Harbour pilots in Castellane walked off the job for two days over pay.",
        "Castellane opened a new museum of harbour history, the mayor said.",
    ),
]
MATCHED = (
    "Marlin Lines, the ferry operator, cut 40 jobs at its Dunmore depot.",
    "The ferry company Marlin Lines eliminated 40 positions at the Dunmore depot.",
)
MISMATCHED = (MATCHED[0], MATCHED[1].replace("40", "400"))


def _unit(rows: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(rows, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_shipped_weights_are_small_and_match_the_thresholds() -> None:
    path = judge.WEIGHTS
    assert path.stat().st_size < 30 * 1024 * 1024
    meta = json.loads(path.read_text())["meta"]
    assert meta["threshold_same"] == SAME
    assert meta["threshold_related"] == RELATED
    assert meta["threshold_same_other_predicate"] == SAME_OTHER_PREDICATE
    assert 0 < RELATED < SAME < SAME_OTHER_PREDICATE < 1


def test_relation_thresholds() -> None:
    assert relation(SAME) == "same"
    assert relation(1.0) == "same"
    assert relation((SAME + RELATED) / 2) == "related"
    assert relation(RELATED - 0.01) == "different"
    assert relation(float("nan")) == "different"


@pytest.mark.parametrize(
    ("a_pred", "a", "b_pred", "b", "agree"),
    [
        # one verb on both sides
        ("appeal", "Kovac would likely appeal", "appeal", "Kovac will appeal the verdict", True),
        # the other side's verb among this side's words: "refused to condemn"
        (
            "refuse",
            "Halden refused to condemn the raid",
            "condemn",
            "Halden did not condemn it",
            True,
        ),
        # the other side's verb among this side's words, inflected: "offered to resign"
        ("resign", "Varga resigned on Friday", "offer", "Varga offered to resign", True),
        # different things happened to the same people
        (
            "appoint",
            "The court appointed Kovac a lawyer",
            "declare",
            "The court declared Kovac guilty",
            False,
        ),
        (
            "appeal",
            "Kovac would likely appeal",
            "protest",
            "Kovac would protest the verdict",
            False,
        ),
        # a light verb is never looked for among the other's words ("is" is everywhere)
        ("be", "One is a council member", "engage", "one council member engaged in bribery", False),
        ("be", "The quay is closed", "be", "The quay was shut", True),
        # no parse on one side: nothing to compare, so nothing is held against the pair
        ("", "The quay is closed", "shut", "The quay was shut", True),
    ],
)
def test_predicates_agree(a_pred: str, a: str, b_pred: str, b: str, agree: bool) -> None:
    assert predicates_agree([a_pred], a, [b_pred], b) is agree
    assert predicates_agree([b_pred], b, [a_pred], a) is agree
    assert same_threshold(agree) == (SAME if agree else SAME_OTHER_PREDICATE)


def test_number_mismatch_lowers_the_features_agreement() -> None:
    a = [MATCHED[0], MISMATCHED[0]]
    b = [MATCHED[1], MISMATCHED[1]]
    vecs = _unit(1, 0)
    X = pair_features(a, b, np.vstack([vecs, vecs]), np.vstack([vecs, vecs]))
    col = {n: i for i, n in enumerate(SCALAR_FEATURES)}
    assert X.shape == (2, len(SCALAR_FEATURES))
    assert X[0, col["num_unmatched"]] == 0 and X[1, col["num_unmatched"]] == 2
    assert X[1, col["num_equal"]] == 0
    assert X[0, col["cosine"]] == pytest.approx(1.0, abs=1e-5)


def test_pair_features_reject_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        pair_features(["one text"], ["a", "b"], _unit(1, 1), _unit(2, 2))


def test_fit_learns_the_direction_of_a_feature() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, len(SCALAR_FEATURES))).astype(np.float32)
    y = (X[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(int)
    model = fit(X, y)
    assert model.coef[0] > 1.0
    p = model.predict(X)
    assert ((p >= 0.5) == (y == 1)).mean() > 0.9
    again = type(model).from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(again.predict(X), p)


def test_weights_of_other_features_are_refused() -> None:
    d = json.loads(judge.WEIGHTS.read_text())
    d["features"] = ["something_else", *d["features"][1:]]
    with pytest.raises(ValueError):
        judge.JudgeModel.from_dict(d)


def test_groups_keep_pairs_that_share_a_sentence_together(tmp_path: Path) -> None:
    ids = ["1-2", "2-3", "4-5", "6-7", "8-9"]
    a = ["s1", "s2", "s4", "s6", "s8"]
    b = ["s2", "s3", "s5", "s7", "s4"]  # pair 5 shares the text of s4 with pair 3
    g = pair_groups(ids, a, b)
    assert g[0] == g[1] and g[2] == g[4]
    assert len({g[0], g[2], g[3]}) == 3
    y = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0] * 4)
    groups = np.repeat(np.arange(20), 2)
    for te in folds(y, groups, k=5):
        assert set(groups[te]).isdisjoint(set(np.setdiff1d(groups, groups[te])))


def test_load_pairs_skips_bad_records(tmp_path: Path) -> None:
    f = tmp_path / "pairs.jsonl"
    rows = [
        {"id": "1-2", "a": "A fictional sentence.", "b": "Another one.", "label": "same"},
        {"id": "3-4", "a": "Missing label."},
        {"id": "5-6", "a": "Third.", "b": "Fourth.", "label": "different"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    pairs = load_pairs(f)
    assert pairs.ids == ["1-2", "5-6"]
    assert pairs.y.tolist() == [1, 0]


def test_metrics() -> None:
    p = np.array([0.9, 0.8, 0.2, 0.7])
    y = np.array([1, 0, 0, 1])
    m = metrics(p, y, 0.75)
    assert m["accuracy"] == pytest.approx(0.5)
    assert m["precision_same"] == pytest.approx(0.5)
    assert m["recall_same"] == pytest.approx(0.5)


@pytest.mark.slow
def test_judge_on_fictional_pairs() -> None:
    j = SameFactJudge.load()
    assert SameFactJudge.load() is j
    a = [x for x, _ in SAME_PAIRS + DIFFERENT_PAIRS] + [MATCHED[0], MISMATCHED[0]]
    b = [x for _, x in SAME_PAIRS + DIFFERENT_PAIRS] + [MATCHED[1], MISMATCHED[1]]
    p = j.p_same(a, b)
    assert p.shape == (len(a),)
    assert np.all((p >= 0) & (p <= 1))
    same, diff = p[: len(SAME_PAIRS)], p[len(SAME_PAIRS) : len(SAME_PAIRS) + 2]
    # the close rewording is "same"; the heavy one ("walked off the job" / "staged a walkout")
    # is at least related: the judge leans on shared wording (docs/judge.md)
    assert same[0] >= SAME, p
    assert same.min() >= RELATED, p
    assert same.min() > diff.max() + 0.2, p
    assert diff.max() < RELATED, p
    assert p[-1] < p[-2] - 0.1, p
    singles = np.array([j.p_same([x], [z])[0] for x, z in zip(a, b, strict=True)])
    assert np.allclose(singles, p, atol=1e-5)


@pytest.mark.slow
def test_judge_takes_precomputed_vectors_and_bad_input() -> None:
    from newsprism.nlp.pipeline import embed

    j = SameFactJudge.load()
    a, b = SAME_PAIRS[0]
    with_vecs = j.p_same([a], [b], embed([a]), embed([b]))
    assert with_vecs[0] == pytest.approx(j.p_same([a], [b])[0], abs=1e-5)
    assert j.p_same([], []).shape == (0,)
    odd = j.p_same([None, ""], ["A short fictional line here.", ""])  # type: ignore[list-item]
    assert np.all(np.isfinite(odd)) and odd.shape == (2,)
    with pytest.raises(ValueError):
        j.p_same([a], [])


def test_char_cosines_of_all_pairs_at_once_equal_the_pairwise_ones() -> None:
    from newsprism.stories.judge_features import analyse, char_cosines

    def one_pair(a: dict[str, int], b: dict[str, int]) -> float:
        """The cosine of two count vectors, written out."""
        if not a or not b:
            return 0.0
        dot = sum(v * b.get(k, 0) for k, v in a.items())
        return dot / (sum(v * v for v in a.values()) ** 0.5 * sum(v * v for v in b.values()) ** 0.5)

    texts = [
        "The Vexborough council approved a budget of 12 million crowns on Tuesday.",
        "On Tuesday the Vexborough council passed a 12 million crown budget.",
        "",
        "Harbour pilots walked off the job.",
        "Ok",
        "harbour pilots walked off the job",
    ]
    infos = [analyse(t) for t in texts]
    rng = np.random.default_rng(3)
    ia = rng.integers(0, len(texts), 40)
    ib = rng.integers(0, len(texts), 40)
    got = char_cosines(infos, ia, ib)
    want = [one_pair(infos[i].char4, infos[j].char4) for i, j in zip(ia, ib, strict=True)]
    assert np.allclose(got, want, atol=1e-12)
    assert char_cosines(infos, ia[:0], ib[:0]).shape == (0,)


@pytest.mark.slow
def test_words_swapped_for_near_synonyms_count_as_matched_softly() -> None:
    # the encoder's static word vectors put "plan" near "initiative" and "war" near
    # "conflict", not near "harbour" or "ferry": a paraphrase's swapped words score as near
    # matches, another fact's different words do not
    from newsprism.nlp.embed import word_vectors

    v = word_vectors(["plan", "initiative", "war", "conflict", "harbour", "ferry"])
    sims = v @ v.T
    assert sims[0, 1] > 0.2 and sims[2, 3] > 0.3
    assert max(sims[0, 4], sims[0, 5], sims[2, 4], sims[2, 5]) < sims[0, 1]
    col = {n: i for i, n in enumerate(SCALAR_FEATURES)}
    a = ["Varnia presented a plan to end the war.", "Varnia presented a plan to end the war."]
    b = [
        "Varnia put forward an initiative to end the conflict.",
        "Varnia closed the harbour to every ferry.",
    ]
    vecs = _unit(1, 0)
    X = pair_features(a, b, np.vstack([vecs, vecs]), np.vstack([vecs, vecs]))
    assert X[0, col["soft_near"]] > X[1, col["soft_near"]]
    assert X[0, col["soft_mean"]] > X[1, col["soft_mean"]]
