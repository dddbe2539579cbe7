"""Framing: substitutions in aligned facts, naming of referents, hedges; coverage kept out."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from newsprism import codec
from newsprism.model import Article, Attribution, AttributionKind, Enriched, EntityMention, Span
from newsprism.sentences import split_sentences
from newsprism.stories.claims import extract_claims
from newsprism.stories.facts import Fact, Source
from newsprism.stories.framing import (
    framing_terms,
    load_hedges,
    log_odds_z,
    merge_framing,
)

# Two fictional outlets covering one fictional event. Each numbered line is one sentence;
# lines 1-4 state the same facts in different words, the Courier's line 5 is its own coverage.
HERALD = [
    "Troops of Dalmor began the invasion of Belmark on Monday morning.",
    "Prime Minister Ilse Brandt said the invasion would fail within weeks.",
    "Aid groups counted 40 wounded civilians near the Kirrow bridge.",
    "The Kirrow council reportedly asked Mayor Tomas Reyl for shelters.",
    "The minister claimed that Belmark had rejected every peace plan.",
]
COURIER = [
    "Troops of Dalmor began the special operation in Belmark on Monday morning.",
    "The leader of Norvania, Ilse Brandt, said the operation would fail within weeks.",
    "Aid groups counted 55 wounded civilians near the Kyrrow bridge.",
    "The Kyrrow council asked Governor Anna Holm for shelters.",
    "A new stadium referendum in the northern harbour town drew record turnout.",
    "Officials described the “humanitarian pause” as a ploy.",
]


def _article(aid: str, outlet: str, lines: list[str]) -> Article:
    return Article(id=aid, text=" ".join(lines), source=outlet, published="2031-05-12")


def _mention(a: Article, surface: str, label: str, canonical: str, role: str | None = None):
    pos = a.text.find(surface)
    assert pos >= 0, surface
    return EntityMention(pos, pos + len(surface), surface, label, surface, role, canonical)


@pytest.fixture(scope="module")
def story() -> tuple[list[Article], dict[str, Enriched], list[Fact]]:
    h = _article("h", "Eastern Herald", HERALD)
    c = _article("c", "Western Courier", COURIER)
    en = {a.id: Enriched(a.id, sentences=split_sentences(a.text)) for a in (h, c)}
    for a in (h, c):
        en[a.id].entities += [
            _mention(a, "Dalmor", "GPE", "Dalmor"),
            _mention(a, "Belmark", "GPE", "Belmark"),
            _mention(a, "Ilse Brandt", "PERSON", "Ilse Brandt"),
        ]
    en["h"].entities += [
        _mention(h, "Kirrow", "GPE", "Kirrow"),
        _mention(h, "Tomas Reyl", "PERSON", "Tomas Reyl"),
    ]
    en["c"].entities += [
        _mention(c, "Kyrrow", "GPE", "Kirrow"),
        _mention(c, "Anna Holm", "PERSON", "Anna Holm"),
    ]
    # the roles the entity recogniser gives with the two mentions of Brandt
    en["h"].entities = [
        EntityMention(m.start, m.end, m.text, m.label, m.name, "Prime Minister", m.canonical)
        if m.text == "Ilse Brandt"
        else m
        for m in en["h"].entities
    ]
    en["c"].entities = [
        EntityMention(m.start, m.end, m.text, m.label, m.name, "leader of Norvania", m.canonical)
        if m.text == "Ilse Brandt"
        else m
        for m in en["c"].entities
    ]
    claims = {a.id: extract_claims(a, en[a.id]) for a in (h, c)}
    facts = []
    for k in range(4):  # the judge's job, done by hand: line k of one outlet is line k of the other
        pair = [claims["h"][k], claims["c"][k]]
        facts.append(
            Fact(
                f"f{k}",
                pair[0].text,
                "corroborated",
                [x.outlet for x in pair],
                [Source.of(x) for x in pair],
                claims=pair,
            )
        )
    for x in claims["c"][4:]:  # the Courier's own coverage: single-source facts
        facts.append(
            Fact(f"s{x.index}", x.text, "single-source", [x.outlet], [Source.of(x)], claims=[x])
        )
    return [h, c], en, facts


def _terms(*args: Any, **kwargs: Any) -> dict:
    """The framing items as ``stories.json`` writes them."""
    return codec.to_dict(framing_terms(*args, **kwargs))


@pytest.fixture(scope="module")
def typed_framing(story) -> dict:
    arts, en, facts = story
    return framing_terms(arts, en, facts)


@pytest.fixture(scope="module")
def framing(typed_framing) -> dict:
    return codec.to_dict(typed_framing)


def _items(framing: dict, outlet: str, kind: str) -> dict[tuple[str, str], dict]:
    return {
        (i["ours"].lower(), i["theirs"].lower()): i for i in framing[outlet] if i["kind"] == kind
    }


def test_log_odds_z_grows_with_consistency_and_is_antisymmetric() -> None:
    once = log_odds_z([1, 0, 0, 1], [0.5, 0.5])
    thrice = log_odds_z([3, 0, 0, 3], [0.5, 0.5])
    mixed = log_odds_z([3, 3, 3, 3], [0.5, 0.5])
    assert 0 < once < thrice
    assert mixed == pytest.approx(0.0)
    assert log_odds_z([0, 1, 1, 0], [0.5, 0.5]) == pytest.approx(-once)
    # a strong prior for "ours" (the word is common anyway) weakens the evidence
    assert log_odds_z([1, 0, 0, 1], [0.9, 0.1]) < log_odds_z([1, 0, 0, 1], [0.5, 0.5])


def test_substitutions_from_aligned_facts(framing) -> None:
    herald = _items(framing, "Eastern Herald", "substitution")
    courier = _items(framing, "Western Courier", "substitution")
    assert ("invasion", "special operation") in herald
    assert ("special operation", "invasion") in courier
    assert ("invasion", "operation") in herald  # line 2: the same choice again
    item = herald[("invasion", "special operation")]
    assert item["with"] == ["Western Courier"]
    assert item["score"] > 0


def test_substitutions_filter_what_is_not_one_referent(framing) -> None:
    pairs = {p for o in framing for p in _items(framing, o, "substitution")}
    words = {w for p in pairs for w in p}
    assert not words & {"40", "55"}  # different numbers are a conflict, not wording
    assert not words & {"tomas reyl", "anna holm", "mayor", "governor"}  # different people
    assert not words & {"kirrow", "kyrrow"}  # names are naming, not substitutions
    assert not words & {"reportedly", "the", "a", "of", "in"}  # an insertion, function words
    assert pairs == {
        ("invasion", "special operation"),
        ("special operation", "invasion"),
        ("invasion", "operation"),
        ("operation", "invasion"),
    }


def _one_fact(h: Article, c: Article, en: dict[str, Enriched]) -> Fact:
    """The first claims of two one-sentence articles as one corroborated fact (the judge's
    job, done by hand)."""
    pair = [extract_claims(h, en[h.id])[0], extract_claims(c, en[c.id])[0]]
    return Fact(
        "f0",
        pair[0].text,
        "corroborated",
        [x.outlet for x in pair],
        [Source.of(x) for x in pair],
        claims=pair,
    )


def test_a_negation_on_one_side_is_no_substitution() -> None:
    # "pleaded innocent" / "pleaded not guilty": the stretch trimmed of its "not" had read as
    # the antonyms "innocent" / "guilty"
    h = _article("h", "Eastern Herald", ["All three dockers pleaded innocent in court on Tuesday."])
    c = _article(
        "c", "Western Courier", ["All three dockers pleaded not guilty in court on Tuesday."]
    )
    en = {a.id: Enriched(a.id, sentences=split_sentences(a.text)) for a in (h, c)}
    got = _terms([h, c], en, [_one_fact(h, c, en)])
    words = {w for v in got.values() for i in v for w in (i["ours"].lower(), i["theirs"].lower())}
    assert not words & {"innocent", "guilty", "not guilty"}


def test_a_persons_title_is_no_substitution() -> None:
    # "Premier Ilse Brandt's center-left coalition lost" / "the center-left mayor of Kell, Ilse
    # Brandt, lost": the diff paired "coalition" with "mayor", a word of Brandt's title (how
    # an outlet titles her is naming, and stays)
    h = _article(
        "h",
        "Eastern Herald",
        [
            "By one vote, Premier Ilse Brandt's center-left coalition lost a confidence vote in "
            "the council on Friday."
        ],
    )
    c = _article(
        "c",
        "Western Courier",
        [
            "By only one vote, the center-left mayor of Kell, Ilse Brandt, lost a confidence "
            "vote in the council on Friday."
        ],
    )
    en = {a.id: Enriched(a.id, sentences=split_sentences(a.text)) for a in (h, c)}
    en["h"].entities = [_mention(h, "Ilse Brandt", "PERSON", "Ilse Brandt", "Premier")]
    en["c"].entities = [
        _mention(c, "Ilse Brandt", "PERSON", "Ilse Brandt", "center-left mayor of Kell")
    ]
    got = _terms([h, c], en, [_one_fact(h, c, en)])
    kinds = {(i["kind"], i["ours"]) for v in got.values() for i in v}
    assert not [k for k in kinds if k[0] == "substitution"], kinds
    assert ("naming", "Premier Ilse Brandt") in kinds


def test_every_item_cites_exact_spans(story, framing) -> None:
    arts = {a.id: a for a in story[0]}
    assert any(framing.values())
    for outlet, items in framing.items():
        for item in items:
            assert set(item) >= {"kind", "ours", "theirs", "score", "evidence", "counts"}
            assert item["evidence"]
            assert item["evidence"][0]["outlet"] == outlet
            for ev in item["evidence"]:
                text = arts[ev["article"]].text
                assert text[ev["start"] : ev["end"]] == ev["text"]
                mark = ev["mark"]
                assert text[mark["start"] : mark["end"]] == mark["text"]
                assert ev["start"] <= mark["start"] < mark["end"] <= ev["end"]
                assert arts[ev["article"]].source == ev["outlet"]
            if item["kind"] == "substitution":  # its two claims, one per outlet
                assert item["evidence"][0]["mark"]["text"] == item["ours"]
                assert item["evidence"][1]["mark"]["text"] == item["theirs"]
                assert item["evidence"][1]["outlet"] in item["with"]


def test_naming_spelling_and_title(framing) -> None:
    herald = _items(framing, "Eastern Herald", "naming")
    courier = _items(framing, "Western Courier", "naming")
    assert herald[("kirrow", "kyrrow")]["aspect"] == "spelling"
    assert courier[("kyrrow", "kirrow")]["entity"] == "Kirrow"
    title = herald[("prime minister ilse brandt", "leader of norvania, ilse brandt")]
    assert title["aspect"] == "title" and title["entity"] == "Ilse Brandt"
    # Reyl and Holm are two people, each named by one outlet: nothing to compare
    assert not any("reyl" in o or "holm" in o for p in {**herald, **courier} for o in p)


def test_naming_counts_spellings_the_recogniser_missed() -> None:
    a = _article(
        "a", "North Wire", ["Shelling hit Kirrow at dawn.", "Kirrow lost power overnight."]
    )
    b = _article(
        "b", "South Post", ["Shelling hit Kyrrow at dawn.", "Kyrrow lost power overnight."]
    )
    en = {x.id: Enriched(x.id, sentences=split_sentences(x.text)) for x in (a, b)}
    en["a"].entities.append(_mention(a, "Kirrow", "GPE", "Kirrow"))
    en["b"].entities.append(_mention(b, "Kyrrow", "GPE", "Kirrow"))  # the second one is missed
    out = _terms([a, b], en, [])
    item = next(i for i in out["North Wire"] if i["kind"] == "naming")
    assert (item["ours"], item["theirs"]) == ("Kirrow", "Kyrrow")
    assert item["counts"] == [2, 0, 0, 2]


def test_one_actor_named_two_ways_in_one_fact(tmp_path, monkeypatch) -> None:
    gaz = tmp_path / "actors.tsv"
    gaz.write_text("Dalmor\tDLM\t\nSarnec\tDLM\tgovernment\n", encoding="utf-8")
    monkeypatch.setenv("NEWSPRISM_ACTORS", str(gaz))
    a = _article("a", "North Wire", ["Dalmor rejected the ceasefire proposal on Friday."])
    b = _article("b", "South Post", ["Sarnec rejected the truce proposal on Friday."])
    en = {x.id: Enriched(x.id, sentences=split_sentences(x.text)) for x in (a, b)}
    en["a"].entities.append(_mention(a, "Dalmor", "GPE", "Dalmor"))
    en["b"].entities.append(_mention(b, "Sarnec", "GPE", "Sarnec"))
    ca, cb = extract_claims(a, en["a"])[0], extract_claims(b, en["b"])[0]
    fact = Fact("f1", ca.text, "corroborated", [ca.outlet, cb.outlet], [], claims=[ca, cb])
    out = _terms([a, b], en, [fact])
    north = {(i["kind"], i["ours"], i["theirs"]) for i in out["North Wire"]}
    assert ("naming", "Dalmor", "Sarnec") in north
    assert ("substitution", "ceasefire", "truce") in north


def test_hedges_and_scare_quotes(framing) -> None:
    herald = _items(framing, "Eastern Herald", "hedge")
    courier = _items(framing, "Western Courier", "hedge")
    assert ("reportedly", "") in herald
    assert ("claimed", "said") in herald
    assert ("“humanitarian pause”", "") in courier
    assert courier[("“humanitarian pause”", "")]["aspect"] == "scare quotes"
    assert not courier.keys() & {("reportedly", ""), ("claimed", "said")}


def _hedges_with(text: str, other: str, said: Attribution | None) -> list[str]:
    """North Wire's hedge items for its one sentence ``text`` (South Post writes ``other``),
    the sentence reporting ``said`` when given."""
    a = _article("a", "North Wire", [text])
    b = _article("b", "South Post", [other])
    en = {x.id: Enriched(x.id, sentences=split_sentences(x.text)) for x in (a, b)}
    if said is not None:
        en["a"].attributions.append(said)
    return [i["ours"] for i in _terms([a, b], en, [])["North Wire"] if i["kind"] == "hedge"]


def _said(text: str, source: str, content: tuple[int, int], kind: AttributionKind) -> Attribution:
    """``source`` said ``text[content]`` (the cue: the sentence's "said")."""
    s, cue = text.index(source), text.index("said")
    return Attribution(
        Span(s, s + len(source), source),
        Span(cue, cue + 4, "said"),
        [Span(content[0], content[1], text[content[0] : content[1]])],
        "Ilse Brandt",
        kind,
    )


def test_quoted_words_of_a_speaker_are_not_scare_quotes() -> None:
    text = "Officials described the “humanitarian pause” as a ploy, Brandt said."
    said = _said(text, "Brandt", (0, text.index("said") - 9), "mixed")
    assert not _hedges_with(text, "Officials described the pause as a ploy.", said)


def test_a_sentence_that_reports_someone_quotes_their_words() -> None:
    # "She blamed the flood on a "freak storm," and said ...": the attribution found covers
    # only what follows "said", yet the quoted words are hers, not the outlet's scare quotes.
    # Without anyone reported, the same quotation marks are the outlet's
    text = "She blamed the flood on a “freak storm,” and said the dikes had held."
    other = "The flood reached the harbour on Monday."
    said = _said(text, "She", (text.index("said") + 5, len(text) - 1), "indirect")
    assert not _hedges_with(text, other, said)
    assert _hedges_with(text, other, None) == ["“freak storm,”"]


def test_insisting_that_someone_act_is_a_demand_not_a_hedge() -> None:
    # "insisted that Brin convene the board" (a bare verb: a demand) is no loaded "said"; "insists
    # the strike has ended" is ("insisted that Arafat convene ..." was counted on DUC dev)
    from newsprism.nlp.enrich import enrich_doc
    from newsprism.nlp.pipeline import parse

    a = _article(
        "a",
        "North Wire",
        [
            "The council insisted that Brin convene the harbour board.",
            "The union insists the dock strike has ended.",
        ],
    )
    b = _article("b", "South Post", ["The council met on Monday and the union met on Tuesday."])
    en = {x.id: enrich_doc(x, parse(x.text)) for x in (a, b)}
    en["a"].attributions = []  # (what the union reports would not count as the outlet's word)
    hedges = {i["ours"].lower() for i in _terms([a, b], en, [])["North Wire"]}
    assert "insists" in hedges
    assert "insisted" not in hedges


def test_a_denied_label_is_not_the_outlets_word() -> None:
    # "he is no terrorist" denies the label; "the terrorists fled" uses it
    a = _article("a", "North Wire", ["But he is no terrorist, his lawyer said in court."])
    b = _article("b", "South Post", ["His lawyer spoke in court on Monday."])
    c = _article("c", "North Wire", ["The terrorists fled across the border."])
    for arts, used in (([a, b], False), ([c, b], True)):
        en = {x.id: Enriched(x.id, sentences=split_sentences(x.text)) for x in arts}
        hedges = {i["ours"].lower() for i in _terms(arts, en, [])["North Wire"]}
        assert ("terrorist" in hedges or "terrorists" in hedges) is used, hedges


def test_hedge_lexicon_is_extensible(tmp_path) -> None:
    extra = tmp_path / "hedges.json"
    extra.write_text(json.dumps({"hedges": {"purported": "", "claimed": ""}}), encoding="utf-8")
    lex = load_hedges(extra)
    assert lex.words["purported"] == "" and lex.words["reportedly"] == ""
    assert lex.words["claimed"] == "said"  # an empty counterpart never erases a given one
    a = _article("a", "North Wire", ["The purported deal collapsed late on Friday night."])
    b = _article("b", "South Post", ["The deal collapsed late on Friday night again."])
    en = {x.id: Enriched(x.id, sentences=split_sentences(x.text)) for x in (a, b)}
    assert not _terms([a, b], en, [])["North Wire"]
    out = _terms([a, b], en, [], hedge_lexicon=extra)
    assert [i["ours"] for i in out["North Wire"]] == ["purported"]


def test_coverage_is_not_framing(framing) -> None:
    courier_words = {
        w for i in framing["Western Courier"] for w in (i["ours"].lower(), i["theirs"].lower())
    }
    for own in ("stadium", "referendum", "harbour", "turnout", "record"):
        assert not any(own in w for w in courier_words)


def test_merge_framing_sums_counts_over_stories(framing, typed_framing) -> None:
    merged = codec.to_dict(merge_framing([typed_framing, typed_framing]))
    one = _items(framing, "Eastern Herald", "substitution")[("invasion", "special operation")]
    two = _items(merged, "Eastern Herald", "substitution")[("invasion", "special operation")]
    assert two["counts"] == [2 * c for c in one["counts"]]
    assert two["score"] > one["score"]  # the same choice in two stories is more consistent


def test_single_outlet_or_empty_story() -> None:
    assert _terms([], {}) == {}
    a = _article("h", "Eastern Herald", HERALD)
    assert _terms([a], {}) == {"Eastern Herald": []}
    odd = [Article(id="x", text="", source="A"), Article(id="y", text="“”", source="B")]
    assert _terms(odd, {}) == {"A": [], "B": []}


@pytest.mark.slow
def test_seed_framing(seeds_dir: Path) -> None:
    """The seeds' peace-plan fact, Kiev/Kyiv and the titles of Xi Jinping (issue 19)."""
    from newsprism.engine import local
    from newsprism.nlp.canonical import canonicalize
    from newsprism.stories.compare import compare_story

    paths = sorted(seeds_dir.glob("*.txt"))[:2]
    if len(paths) < 2:
        pytest.skip("need the two seed articles")
    arts = [
        Article(
            id=p.stem,
            text=p.read_text(encoding="utf-8"),
            source=f"Outlet {'AB'[i]}",
            published="2023-03-17",
        )
        for i, p in enumerate(paths)
    ]
    en = {e.article_id: e for e in local.enrich(arts, workers=1)}
    canonicalize({a.id: en[a.id].entities for a in arts})
    comp = compare_story(arts, en)
    framing = codec.to_dict(comp.framing)
    pairs = {
        (i["kind"], i["ours"].lower(), i["theirs"].lower()) for v in framing.values() for i in v
    }
    assert ("naming", "kiev", "kyiv") in pairs
    titles = [i for v in framing.values() for i in v if i.get("aspect") == "title"]
    assert any(i["entity"] == "Xi Jinping" for i in titles)
    assert {it["evidence"][0]["outlet"] for it in framing["Outlet A"]} == {"Outlet A"}
    plan = [
        f
        for f in comp.facts
        if any("twelve-point" in c.text for c in f.claims)
        and any("initiative to end" in c.text for c in f.claims)
    ]
    if not plan:
        pytest.xfail("the same-fact judge keeps the two peace-plan claims apart")
    assert ("substitution", "war", "conflict") in pairs
    assert ("substitution", "plan", "initiative") in pairs


def test_coordinated_titles_are_one_naming_choice() -> None:
    from newsprism.stories.framing import _same_title, _title_core

    both = _title_core("President of Norvania and leader of the ruling Unity Party")
    assert both == "president and leader"
    assert _title_core("Norvanian President") == "president"
    # naming a second office is a choice; the same offices in another order are not
    assert not _same_title(both, "president")
    assert _same_title(both, "leader and president")
    assert not _same_title(both, "president and chairman")


def test_the_parse_kept_with_the_enrichment_frames_as_a_parse_of_each_claim(
    story, framing: dict
) -> None:
    """The words of each article's parse kept with its enrichment (what ``analyze`` stores)
    stand in for parsing the claims again: the same framing items, no parse at compare time."""
    from newsprism.nlp.pipeline import parse  # heavy: loads spaCy
    from newsprism.nlp.words import article_words

    arts, en, facts = story
    kept = {a.id: dataclasses.replace(en[a.id], words=article_words(parse(a.text))) for a in arts}
    assert all(kept[a.id].words.unpack() for a in arts)
    assert _terms(arts, kept, facts) == framing


def test_comparing_enriched_articles_parses_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enrichment keeps the parse's words, so the comparison of a story never loads or runs
    spaCy for its framing (the main process of ``analyze`` need not hold the parser)."""
    from newsprism.engine import local  # heavy: the enrichment loads spaCy
    from newsprism.stories import framing as framing_mod
    from newsprism.stories.compare import compare_story

    arts = [_article("h", "Eastern Herald", HERALD), _article("c", "Western Courier", COURIER)]
    en = {e.article_id: e for e in local.enrich(arts, workers=1)}
    assert all(en[a.id].words for a in arts)
    stored = {aid: Enriched.from_dict(e.to_dict(), article_id=aid) for aid, e in en.items()}
    assert all(stored[a.id].words.unpack() == en[a.id].words.unpack() for a in arts)

    def no_parse() -> None:
        raise AssertionError("framing parsed claims again")

    monkeypatch.setattr(framing_mod, "_nlp", no_parse)
    comp = compare_story(arts, stored)
    assert any(f.status == "corroborated" for f in comp.facts)
    assert set(comp.framing) == {"Eastern Herald", "Western Courier"}
