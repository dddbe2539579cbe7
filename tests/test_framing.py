"""Framing: distinctive wording per outlet by weighted log-odds (Monroe et al. 2008)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from newsprism.model import Article, Enriched
from newsprism.stories.claims import split_sentences
from newsprism.stories.compare import compare_story
from newsprism.stories.framing import framing_terms, log_odds, tokens

HERALD = (
    "The invasion of Belmark entered its third week as troops shelled the outskirts of Kirrow. "
    "Residents of Kirrow fled west as the invasion continued into the night. "
    "Officials in Kirrow said the invasion had destroyed two hospitals near the river. "
    "The invasion has forced thousands of families to leave their homes in the valley."
)
COURIER = (
    "The conflict in Belmark entered its third week as troops shelled the outskirts of Kyrrow. "
    "Residents of Kyrrow fled west as the conflict continued into the night. "
    "Officials in Kyrrow said the conflict had damaged two hospitals near the river. "
    "The conflict has forced thousands of families to leave their homes in the valley."
)


def _story() -> tuple[list[Article], dict[str, Enriched]]:
    arts = [
        Article(id="h", text=HERALD, source="Eastern Herald"),
        Article(id="c", text=COURIER, source="Western Courier"),
    ]
    return arts, {a.id: Enriched(a.id, sentences=split_sentences(a.text)) for a in arts}


@pytest.fixture(scope="module")
def framing() -> dict:
    arts, en = _story()
    return compare_story(arts, en).framing


def test_log_odds_sign_and_symmetry() -> None:
    counts = {
        "a": Counter({"strike": 6, "pay": 3, "port": 5}),
        "b": Counter({"walkout": 6, "pay": 3, "port": 5}),
    }
    z = log_odds(counts)
    assert z["a"]["strike"] > 1.0 and z["b"]["walkout"] > 1.0
    assert z["a"]["strike"] == pytest.approx(z["b"]["walkout"])
    assert abs(z["a"]["pay"]) < 1e-9 and abs(z["a"]["port"]) < 1e-9


def test_tokens_drop_stop_words_and_possessives() -> None:
    assert tokens("The union's strike and the port's owners") == [
        "union",
        "strike",
        "port",
        "owners",
    ]


def test_distinctive_terms_with_counterparts(framing) -> None:
    herald = {t["term"]: t for t in framing["Eastern Herald"]}
    courier = {t["term"]: t for t in framing["Western Courier"]}
    assert "invasion" in herald and "conflict" in courier
    assert "conflict" in herald["invasion"]["others"]
    assert "invasion" in courier["conflict"]["others"]
    assert "kyrrow" in herald["kirrow"]["others"]  # a spelling variant of one place
    # shared wording is not framing
    for shared in ("hospitals", "residents", "belmark"):
        assert shared not in herald and shared not in courier
    # ranked by score
    scores = [t["score"] for t in framing["Eastern Herald"]]
    assert scores == sorted(scores, reverse=True)


def test_examples_cite_sentences_using_the_term(framing) -> None:
    arts = {a.id: a for a in _story()[0]}
    for outlet, items in framing.items():
        for item in items:
            assert item["examples"]
            for ex in item["examples"]:
                text = arts[ex["article"]].text[ex["start"] : ex["end"]]
                assert text == ex["text"]
                assert item["term"] in text.lower()
                assert arts[ex["article"]].source == outlet


def test_entity_variants_found_without_alignment() -> None:
    from newsprism.model import EntityMention

    arts, en = _story()
    for a in arts:
        surface = "Kirrow" if a.id == "h" else "Kyrrow"
        pos = a.text.find(surface)
        en[a.id].entities.append(
            EntityMention(pos, pos + 6, surface, "GPE", surface, None, "Kirrow")
        )
    out = framing_terms(arts, en, facts=None)
    kirrow = next(t for t in out["Eastern Herald"] if t["term"] == "kirrow")
    assert kirrow["others"] == ["kyrrow"]


def test_single_outlet_or_empty_story() -> None:
    assert framing_terms([], {}) == {}
    arts = [Article(id="h", text=HERALD, source="Eastern Herald")]
    assert framing_terms(arts, {}) == {"Eastern Herald": []}
    odd = [Article(id="x", text="", source="A"), Article(id="y", text="“”", source="B")]
    assert framing_terms(odd, {}) == {"A": [], "B": []}


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("story", "outlet", "term", "other"),
    [
        ("port-sallow-strike", "The National Ledger", "walkout", "strike"),
        ("dravetz-mill-fire", "KBN News", "dravetz", "dravec"),
        ("dravetz-mill-fire", "The National Ledger", "dravec", "dravetz"),
    ],
)
def test_sample_corpus_framing_pairs(story: str, outlet: str, term: str, other: str) -> None:
    """Documented framing pairs of the sample corpus (examples/EXPECTED.md section 11)."""
    expected = EXAMPLES / "expected.json"
    if not expected.is_file():
        pytest.skip("examples/expected.json not written yet")
    exp = json.loads(expected.read_text(encoding="utf-8"))
    files = next(s["files"] for s in exp["stories"] if s["name"] == story)
    arts = []
    for rel in files:
        p = EXAMPLES / "corpus" / rel
        meta_p = p.with_suffix(".meta.json")
        meta = json.loads(meta_p.read_text(encoding="utf-8")) if meta_p.exists() else {}
        arts.append(
            Article(
                id=rel,
                text=p.read_text(encoding="utf-8"),
                source=meta.get("source") or p.parent.name,
            )
        )
    framing = compare_story(arts, {}).framing
    terms = {t["term"]: t for t in framing[outlet]}
    assert term in terms
    assert other in terms[term]["others"]


@pytest.mark.slow
def test_seed_spelling_variant(seeds_dir: Path) -> None:
    """One seed outlet writes Kiev (and Kyiv once), the other only Kyiv."""
    paths = sorted(seeds_dir.glob("*.txt"))[:2]
    if len(paths) < 2:
        pytest.skip("need the two seed articles")
    arts = [
        Article(id=p.stem, text=p.read_text(encoding="utf-8"), source=f"outlet-{i}")
        for i, p in enumerate(paths)
    ]
    framing = compare_story(arts, {}).framing
    kiev = [t for ts in framing.values() for t in ts if t["term"] == "kiev"]
    assert kiev and "kyiv" in kiev[0]["others"]


def test_a_name_gets_spellings_as_counterparts_and_a_word_gets_words() -> None:
    from newsprism.model import EntityMention

    herald = HERALD.replace("troops", "Dalmor troops")
    courier = COURIER.replace("troops", "Dalmorian troops")
    arts = [
        Article(id="h", text=herald, source="Eastern Herald"),
        Article(id="c", text=courier, source="Western Courier"),
    ]
    en = {a.id: Enriched(a.id, sentences=split_sentences(a.text)) for a in arts}
    # one organisation named in full by one outlet and shortened by the other: its words are
    # not spellings of each other
    for a, surface in ((arts[0], "Officials in Kirrow"), (arts[1], "Officials in Kyrrow")):
        pos = a.text.find(surface)
        en[a.id].entities.append(
            EntityMention(pos, pos + len(surface), surface, "ORG", surface, None, "City Hall")
        )
    out = compare_story(arts, en).framing
    terms = {t["term"]: t["others"] for ts in out.values() for t in ts}
    assert "officials" not in terms.get("kirrow", [])
    assert terms.get("dalmor", []) == []  # "Dalmorian" is a derived word, not a spelling
    assert "kyrrow" in terms["kirrow"]  # a close spelling of the same place
    assert "conflict" in terms["invasion"]
    assert not set(terms["invasion"]) & {"kyrrow", "kirrow", "dalmorian"}  # names are not words
