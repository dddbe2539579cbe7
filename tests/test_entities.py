"""Entities (per article) and canonical names (corpus-wide).

All texts are fictional: invented people, places and outlets.
"""

from __future__ import annotations

import random
from pathlib import Path
from unittest.mock import patch

import pytest

from newsprism.model import Entity, EntityMention
from newsprism.nlp import canonical as canonical_mod
from newsprism.nlp.canonical import (
    canonicalize,
    name_key,
    normalize_name,
    parse_aliases,
    read_aliases,
    token_key,
)

# --------------------------------------------------------------------------- helpers


def mention(
    text: str, label: str, name: str | None = None, role: str | None = None
) -> EntityMention:
    return EntityMention(0, len(text), text, label, name or text, role)


def entity_of(entities: list[Entity], variant: str) -> Entity:
    found = [e for e in entities if variant in e.variants]
    assert len(found) == 1, f"{variant!r} in {len(found)} entities: {entities}"
    return found[0]


@pytest.fixture(scope="module")
def nlp():
    from newsprism.nlp.pipeline import load_nlp

    return load_nlp()


def ents(nlp, text: str) -> list[EntityMention]:
    from newsprism.nlp.entities import extract_entities

    out = extract_entities(nlp(text))
    for m in out:
        assert text[m.start : m.end] == m.text, m
    return out


def by_text(mentions: list[EntityMention], text: str) -> list[EntityMention]:
    return [m for m in mentions if m.text == text]


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("variants", "different"),
    [
        (["Zelensky", "Zelenskyi", "Zelenskiy", "Zelenskyy", "Zelenskij"], "Zelenko"),
        (["Volodymyr", "Volodimir"], "Vladimir"),
        (["Dmitry", "Dmitriy", "Dmitrij"], "Dmytro"),
        (["Yevgenia", "Evgenia"], "Eugenia"),
        (["Aleksandr", "Alexandr"], "Aleksei"),
        (["Mikhailov", "Mihailov"], "Mikhalkov"),
        (["Kravets", "Kravetz"], "Kravchuk"),
        (["Hrynevych", "Hrynevytch"], "Hrynko"),
        (["Dvořák", "Dvorak"], "Dvorski"),
    ],
)
def test_token_key_equates_transliteration_variants(variants: list[str], different: str) -> None:
    keys = {token_key(v) for v in variants}
    assert len(keys) == 1, keys
    assert token_key(different) not in keys


def test_normalize_and_name_key() -> None:
    assert normalize_name("The U.S.") == normalize_name("US") == "us"
    assert normalize_name("People’s Republic of Norvania") == "people's republic of norvania"
    assert normalize_name("Tindmark's") == "tindmark"
    assert name_key("Ostap Melnychuk") == name_key("Ostap Melnichuk")
    assert name_key("Ostap Melnychuk") != name_key("Ostap Melnyk")


# --------------------------------------------------------------------------- canonicalize


def test_transliteration_variants_merge_and_pick_most_frequent_full_name() -> None:
    mentions = {
        "a1": [mention("Mykola Zhadanskyi", "PERSON"), mention("Mykola Zhadanskyi", "PERSON")],
        "a2": [mention("Mykola Zhadansky", "PERSON"), mention("Zhadanskiy", "PERSON")],
        "a3": [mention("Mykola Zhadanskyy", "PERSON"), mention("Mikola Zhadansky", "PERSON")],
    }
    entities = canonicalize(mentions)
    assert len(entities) == 1
    e = entities[0]
    # "Mykola Zhadanskyi" (2) beats "Mykola Zhadansky" (1) and the surname-only "Zhadanskiy"
    assert e.name == "Mykola Zhadanskyi"
    assert e.type == "PERSON"
    assert e.articles == ["a1", "a2", "a3"]
    assert e.mentions == 6
    assert e.variants == sorted(set(e.variants))
    assert "Zhadanskiy" in e.variants and "Mikola Zhadansky" in e.variants
    assert all(m.canonical == "Mykola Zhadanskyi" for ms in mentions.values() for m in ms)


def test_canonical_name_is_deterministic_and_order_independent() -> None:
    def build() -> dict[str, list[EntityMention]]:
        return {
            "x": [mention("Ilse Marran", "PERSON"), mention("Harbour Authority", "ORG")],
            "y": [mention("Ilse Maran", "PERSON"), mention("Harbour Authority", "ORG")],
        }

    first = canonicalize(build())
    shuffled = build()
    items = list(shuffled.items())
    random.Random(7).shuffle(items)
    for _, ms in items:
        ms.reverse()
    second = canonicalize(dict(items))
    assert first == second
    # a 1-1 tie between two full variants: the longer wins
    assert entity_of(first, "Ilse Maran").name == "Ilse Marran"


def test_ties_of_equal_length_break_alphabetically() -> None:
    a, b = mention("Oleh Marchenkiy", "PERSON"), mention("Oleh Marchenkyi", "PERSON")
    entities = canonicalize({"a": [a], "b": [b]})
    assert [e.name for e in entities] == ["Oleh Marchenkiy"]
    entities = canonicalize({"a": [mention("Oleh Marchenkiy", "PERSON")], "b": [b, b]})
    assert [e.name for e in entities] == ["Oleh Marchenkyi"]


def test_initials_merge_only_when_unambiguous() -> None:
    mentions = {
        "a": [mention("Tomas Oberg", "PERSON")],
        "b": [mention("T. Oberg", "PERSON")],
    }
    entities = canonicalize(mentions)
    assert len(entities) == 1 and entities[0].name == "Tomas Oberg"
    assert mentions["b"][0].canonical == "Tomas Oberg"

    ambiguous = {
        "a": [mention("Tomas Oberg", "PERSON"), mention("Teodor Oberg", "PERSON")],
        "b": [mention("T. Oberg", "PERSON")],
        "c": [mention("K. Oberg", "PERSON")],
    }
    entities = canonicalize(ambiguous)
    assert len(entities) == 4
    assert ambiguous["b"][0].canonical == "T. Oberg"
    assert ambiguous["c"][0].canonical == "K. Oberg"  # no full name starts with K


def test_surname_only_joins_the_one_full_name() -> None:
    mentions = {
        "a": [mention("Halvard Brekke", "PERSON"), mention("Lena Varga", "PERSON")],
        "b": [mention("Brekke", "PERSON"), mention("Brekke", "PERSON")],
    }
    entities = canonicalize(mentions)
    brekke = entity_of(entities, "Brekke")
    assert brekke.name == "Halvard Brekke"
    assert brekke.articles == ["a", "b"] and brekke.mentions == 3


def test_surname_only_stays_apart_when_ambiguous_or_of_another_type() -> None:
    mentions = {
        "a": [mention("Robert Lind", "PERSON"), mention("Roberta Lind", "PERSON")],
        "b": [mention("Lind", "PERSON")],
        "c": [mention("Marek Dunmore", "PERSON"), mention("Dunmore", "GPE")],
    }
    entities = canonicalize(mentions)
    names = sorted(e.name for e in entities)
    # Robert and Roberta are two people (fuzzy matching must not glue them)
    assert names == ["Dunmore", "Lind", "Marek Dunmore", "Robert Lind", "Roberta Lind"]
    assert entity_of(entities, "Dunmore").type == "GPE"


def test_types_must_agree_but_gpe_and_loc_merge() -> None:
    mentions = {
        "a": [mention("Velmora Valley", "LOC"), mention("Pelmar", "ORG")],
        "b": [mention("Velmora Valey", "GPE"), mention("Pelmar", "FAC"), mention("Pelmar", "FAC")],
    }
    entities = canonicalize(mentions)
    valley = entity_of(entities, "Velmora Valley")
    assert valley.mentions == 2 and valley.type in {"GPE", "LOC"}
    # ORG and FAC are different types: majority voting only touches names the model confuses
    pelmar = [e for e in entities if e.name == "Pelmar"]
    assert len(pelmar) == 1 and pelmar[0].type == "FAC" and pelmar[0].mentions == 3


def test_fuzzy_does_not_merge_short_or_different_names() -> None:
    mentions = {
        "a": [mention("Oran", "GPE"), mention("Oman", "GPE"), mention("Norvania", "GPE")],
        "b": [mention("Anna Kowalska", "PERSON"), mention("Anna Kowalski", "PERSON")],
        "c": [mention("Norvenia", "GPE")],
    }
    entities = canonicalize(mentions)
    names = {e.name for e in entities}
    assert {"Oran", "Oman", "Anna Kowalska", "Anna Kowalski"} <= names
    assert entity_of(entities, "Norvenia").name == "Norvania" or "Norvenia" in names


def test_fuzzy_merges_a_typo_in_a_long_organisation_name() -> None:
    mentions = {
        "a": [mention("Tindmark Institute for Coastal Research", "ORG")] * 2,
        "b": [mention("Tindmark Institute for Costal Research", "ORG")],
    }
    entities = canonicalize(mentions)
    assert len(entities) == 1
    assert entities[0].name == "Tindmark Institute for Coastal Research"


def test_an_entity_knows_how_each_article_spells_it() -> None:
    """A story lists the spellings of its own articles (the entity list of a story is
    restricted to it), so an article spelling a name anew elsewhere leaves it unchanged."""
    mentions = {
        "a1": [mention("Oleksandr Marchenko", "PERSON"), mention("Marchenko", "PERSON")],
        "a2": [mention("Olexandr Marchenko", "PERSON")],
        "a3": [mention("Oleksandr Marchenko", "PERSON")],
    }
    (e,) = canonicalize(mentions)
    assert e.variants == ["Marchenko", "Oleksandr Marchenko", "Olexandr Marchenko"]
    assert e.variants_in({"a1"}) == ["Marchenko", "Oleksandr Marchenko"]
    assert e.variants_in(["a2", "a3"]) == ["Oleksandr Marchenko", "Olexandr Marchenko"]
    assert e.variants_in(["elsewhere"]) == []
    assert Entity.from_dict(e.to_dict()) == e  # (not written: read back, all are listed)
    assert Entity.from_dict(e.to_dict()).variants_in({"a1"}) == e.variants


@pytest.mark.parametrize("rows", [1, 2, 1024])
def test_fuzzy_merges_across_the_chunks_of_a_block(rows: int) -> None:
    """Names of one block are scored a chunk of rows at a time; pairs across chunks merge as
    pairs within one do, and each merge still needs its own pair to read alike."""
    mentions = {
        "a": [mention("Tindmark Institute for Coastal Research", "ORG")] * 2,
        "b": [mention("Tindmark Harbour Authority", "ORG")],
        "c": [mention("Tindmark Institute for Costal Research", "ORG")],
        "d": [mention("Tindmark Harbor Authority", "ORG"), mention("Tindmark Rowing Club", "ORG")],
    }
    with patch.object(canonical_mod, "_FUZZY_ROWS", rows):
        entities = canonicalize(mentions)
    assert sorted((e.name, e.mentions) for e in entities) == [
        ("Tindmark Harbour Authority", 2),
        ("Tindmark Institute for Coastal Research", 3),
        ("Tindmark Rowing Club", 1),
    ]


def test_acronym_joins_its_full_name() -> None:
    mentions = {
        "a": [mention("Velmora Rail Authority", "ORG")],
        "b": [mention("VRA", "ORG"), mention("VRA", "ORG"), mention("PNB", "ORG")],
    }
    entities = canonicalize(mentions)
    vra = entity_of(entities, "VRA")
    # the full form wins over the more frequent acronym
    assert vra.name == "Velmora Rail Authority" and vra.mentions == 3
    assert entity_of(entities, "PNB").name == "PNB"


def test_two_abbreviations_are_never_one_name_by_romanisation() -> None:
    # "y" and "j" read as "i" make "Dmitriy" and "Dmitrij" one name; read into initials they
    # had made "N.Y." and "N.J." one key, and so New York and New Jersey one place
    mentions = {
        "a": [mention("New York", "GPE"), mention("N.Y.", "GPE")],
        "b": [mention("New Jersey", "GPE"), mention("N.J.", "GPE"), mention("NY", "GPE")],
    }
    entities = canonicalize(mentions)
    assert entity_of(entities, "N.Y.").name == "New York"
    assert entity_of(entities, "NY").name == "New York"
    assert entity_of(entities, "N.J.").name == "New Jersey"
    assert entity_of(entities, "New Jersey") is not entity_of(entities, "New York")


def test_packaged_alias_file_merges_and_retypes() -> None:
    mentions = {
        "a": [mention("Kyiv", "PERSON"), mention("Kiev", "GPE")],
        "b": [
            mention("Chinese Foreign Ministry", "ORG"),
            mention("Ministry of Foreign Affairs of China", "ORG"),
            mention("the U.S.", "GPE", name="U.S."),
            mention("United States", "GPE"),
        ],
    }
    entities = canonicalize(mentions)
    kyiv = entity_of(entities, "Kyiv")
    assert kyiv.type == "GPE" and kyiv.variants == ["Kiev", "Kyiv"]
    ministry = entity_of(entities, "Chinese Foreign Ministry")
    assert ministry.name == "Ministry of Foreign Affairs of China"  # tie: longest
    assert entity_of(entities, "U.S.").name == "United States"


def test_user_alias_file_extends_the_packaged_one(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# my aliases\nORG\tPelmar Daily Courier\tThe Courier\tPDC\n\nbad line without tabs\n",
        encoding="utf-8",
    )
    mentions = {
        "a": [mention("Pelmar Daily Courier", "ORG"), mention("Kiev", "GPE")],
        "b": [mention("Courier", "ORG"), mention("Kyiv", "GPE")],
    }
    without = canonicalize(
        {k: [EntityMention(**_fields(m)) for m in v] for k, v in mentions.items()}
    )
    assert len(without) == 3
    entities = canonicalize(mentions, aliases=path)
    courier = entity_of(entities, "Courier")
    assert courier.name == "Pelmar Daily Courier" and courier.articles == ["a", "b"]
    assert entity_of(entities, "Kyiv").mentions == 2  # packaged entries still apply


def _fields(m: EntityMention) -> dict:
    return {k: getattr(m, k) for k in EntityMention.__slots__}


def test_alias_parsing_and_missing_file(tmp_path: Path) -> None:
    entries = parse_aliases("# c\n*\tEuropean Union\tEU\nGPE\tonly-one\n\nloc\tA\tB\n")
    assert [(e.type, e.names) for e in entries] == [
        ("*", ("European Union", "EU")),
        ("LOC", ("A", "B")),
    ]
    assert read_aliases(tmp_path / "missing.tsv") == []
    assert len(read_aliases()) >= 20  # the packaged file
    mentions = {"a": [mention("Kiev", "GPE")]}
    assert canonicalize(mentions, aliases=tmp_path / "missing.tsv")[0].name == "Kiev"


def test_roles_are_collected_and_empty_input_is_fine() -> None:
    mentions = {
        "a": [mention("Ilse Marran", "PERSON", role="Harbour Authority spokeswoman")],
        "b": [mention("Marran", "PERSON", role="spokeswoman"), mention("", "ORG", name="")],
        "c": [],
    }
    entities = canonicalize(mentions)
    assert len(entities) == 1
    assert entities[0].roles == ["Harbour Authority spokeswoman", "spokeswoman"]
    assert canonicalize({}) == []
    assert canonicalize({"a": []}) == []


# --------------------------------------------------------------------------- extract_entities


@pytest.mark.slow
def test_roles_from_titles_and_appositions(nlp) -> None:
    text = (
        "Harbour Authority spokeswoman Ilse Marran said the ferry would resume on Friday. "
        "Jonas Whitcombe, the mayor of Pelmar, opened the bridge. "
        "The finance ministry said that Deputy Finance Minister Karel Osten would resign. "
        "Later, President Halvard Brekke met Osten."
    )
    ms = ents(nlp, text)
    marran = by_text(ms, "Ilse Marran")[0]
    assert marran.name == "Ilse Marran" and marran.role == "Harbour Authority spokeswoman"
    assert by_text(ms, "Jonas Whitcombe")[0].role == "mayor of Pelmar"
    assert by_text(ms, "Karel Osten")[0].role == "Deputy Finance Minister"
    brekke = next(m for m in ms if m.name == "Halvard Brekke")
    assert brekke.role == "President"
    assert brekke.text == "Halvard Brekke"  # the title is the role, not part of the mention


@pytest.mark.slow
def test_an_apposition_is_a_role_only_right_after_the_name(nlp) -> None:
    # the parser hangs a later apposition on the sentence's first name: "the armed movement
    # that rules the valley" had become Mira Holt's title, "the majority leader" Karl Ivers's
    text = (
        "Mira Holt remains at large and is believed to be hiding in the hills under the "
        "protection of the Velt Brotherhood, the armed movement that rules the valley.\n"
        "Karl Ivers and Sen. Ola Brin of Tindmark, the majority leader, voted against it.\n"
        "Tomas Reed, 36, editor of a harbour weekly, left for Pelmar.\n"
    )
    ms = ents(nlp, text)
    assert by_text(ms, "Mira Holt")[0].role is None
    assert by_text(ms, "Karl Ivers")[0].role is None
    assert by_text(ms, "Tomas Reed")[0].role == "editor of a harbour weekly"  # an age between


def test_an_apposition_title_ends_where_its_clause_begins(nlp) -> None:
    # the words of a relative clause before its verb were kept: "Kell law professor who is",
    # "harbour engineer who had"
    text = (
        "Ilse Brandt, a Kell law professor who is challenging the mayor, said the vote was "
        "rigged. The plan was drafted by Tomas Brek, a harbour engineer who had worked in "
        "Orlen for years."
    )
    ms = ents(nlp, text)
    assert by_text(ms, "Ilse Brandt")[0].role == "Kell law professor"
    assert by_text(ms, "Tomas Brek")[0].role == "harbour engineer"


@pytest.mark.slow
def test_a_name_set_after_a_persons_title_is_a_person(nlp) -> None:
    # the recogniser read both names as organisations; the title before them says otherwise
    # (and gives the role), but a title without its article before an organisation does not
    text = (
        "By one vote, the prime minister of Tindmark, Romano Vesti, lost a confidence vote in "
        "parliament on Friday.\n"
        "Late on Friday the hardline Norvanian president, Nikola Brekovac, refused to sign.\n"
    )
    ms = ents(nlp, text)
    vesti = by_text(ms, "Romano Vesti")[0]
    assert vesti.label == "PERSON" and vesti.role == "prime minister of Tindmark"
    brekovac = by_text(ms, "Nikola Brekovac")[0]
    assert brekovac.label == "PERSON" and brekovac.role == "hardline Norvanian president"


@pytest.mark.slow
def test_short_mentions_take_the_full_name_of_the_article(nlp) -> None:
    text = (
        "Chen Liwei arrived in Pelmar on Tuesday. Later, President Chen met local officials. "
        "Ilse Marran, a harbour engineer, joined them. Chen said the talks were useful, "
        "and Marran agreed. Marran's office later confirmed the date."
    )
    ms = ents(nlp, text)
    chen = [m for m in ms if m.text == "Chen"]
    assert len(chen) == 2 and all(m.name == "Chen Liwei" for m in chen)
    assert any(m.role == "President" for m in chen)
    marran = [m for m in ms if m.text == "Marran"]
    assert marran and all(m.name == "Ilse Marran" and m.label == "PERSON" for m in marran)
    assert by_text(ms, "Ilse Marran")[0].role == "harbour engineer"


@pytest.mark.slow
def test_a_shared_surname_goes_to_the_person_the_article_names_most(nlp) -> None:
    # two Holms, each named in full once; the article is about Linda, named three more times
    # by her first name, so her bare surname is hers even right after Erik's full name
    text = (
        "Linda Holm hid her injury from the selectors, her former coach says. "
        "Linda kept training through the spring. "
        "The coach, who had worked under the federation chief Erik Holm, said that Holm "
        "refused to see a doctor. Linda later wrote about it, and Holm wrote that she "
        "had been afraid of losing her place. Linda now coaches juniors."
    )
    ms = ents(nlp, text)
    holm = [m for m in ms if m.text == "Holm"]
    assert len(holm) == 2 and all(m.name == "Linda Holm" for m in holm)
    assert [m.name for m in ms if m.text == "Erik Holm"] == ["Erik Holm"]
    # and "Who said what" names her, never Erik, as the one who wrote it
    from newsprism.nlp.attributions import extract_attributions

    wrote = [a for a in extract_attributions(nlp(text), ms) if a.cue and a.cue.text == "wrote"]
    assert [a.speaker for a in wrote] == ["Linda Holm"]


@pytest.mark.slow
def test_strips_the_article_and_possessive(nlp) -> None:
    text = "The Pelmar Daily Courier reported that Lena Varga's car was found near the Tindmark Bridge."
    ms = ents(nlp, text)
    names = {m.name for m in ms}
    assert "Lena Varga" in names
    assert not any(n.lower().startswith("the ") or n.endswith("'s") for n in names)


def _with_ents(nlp, text: str, spans: list[tuple[str, str]]):
    """Parse ``text`` and replace its entities: simulates misfires of the small model."""
    doc = nlp(text)
    out = []
    for phrase, label in spans:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), label=label)
        assert span is not None, phrase
        out.append(span)
    doc.ents = out
    return doc


@pytest.mark.slow
def test_misfires_are_filtered(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    text = (
        "Advertisement\n"
        "Meanwhile the council of Tindmark voted again. They said the vote was close. "
        "Officials in pelmar disagreed, and the council said it would meet again on Monday."
    )
    doc = _with_ents(
        nlp,
        text,
        [
            ("Advertisement", "ORG"),
            ("Meanwhile", "PERSON"),
            ("Tindmark", "GPE"),
            ("They", "PERSON"),
            ("pelmar", "GPE"),
        ],
    )
    ms = extract_entities(doc)
    assert [(m.text, m.label) for m in ms] == [("Tindmark", "GPE")]


@pytest.mark.slow
def test_headline_case_fragments_are_trimmed(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    text = (
        "Halvard Brekke Will Visit Dunmore On Monday To Sign Harbour Deal\n"
        "The harbour deal was signed by Halvard Brekke in Dunmore, and the visit was short."
    )
    doc = _with_ents(
        nlp,
        text,
        [("Halvard Brekke Will", "PERSON"), ("Visit Dunmore", "GPE"), ("Harbour Deal", "ORG")],
    )
    ms = extract_entities(doc)
    assert [(m.text, m.label, m.name) for m in ms] == [
        ("Halvard Brekke", "PERSON", "Halvard Brekke"),
        ("Dunmore", "GPE", "Dunmore"),
        # the body's "Halvard Brekke", untagged here, is the headline's person (one name, one
        # referent within an article)
        ("Halvard Brekke", "PERSON", "Halvard Brekke"),
    ]
    assert ms[2].start == text.rindex("Halvard")


@pytest.mark.slow
def test_demonyms_and_typed_aliases_fix_labels(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    text = "Norvanian and Ukrainian officials met in Pelmar. Kyiv sent a note to Tindmark."
    doc = _with_ents(
        nlp,
        text,
        [("Norvanian", "GPE"), ("Ukrainian", "GPE"), ("Pelmar", "GPE"), ("Kyiv", "PERSON")],
    )
    labels = {m.text: m.label for m in extract_entities(doc)}
    assert labels == {"Norvanian": "NORP", "Ukrainian": "NORP", "Pelmar": "GPE", "Kyiv": "GPE"}


@pytest.mark.slow
def test_title_fragment_is_not_an_organisation(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    text = "Norvanian Secretary of State Ilse Marran warned Tindmark."
    doc = _with_ents(nlp, text, [("State", "ORG"), ("Ilse Marran", "PERSON"), ("Tindmark", "GPE")])
    ms = extract_entities(doc)
    assert [m.text for m in ms] == ["Ilse Marran", "Tindmark"]
    assert ms[0].role == "Norvanian Secretary of State"


@pytest.mark.slow
def test_acronym_takes_the_full_name_in_the_article(nlp) -> None:
    text = (
        "The Pelmar Harbour Commission (PHC) raised fees on Monday. The PHC said costs had doubled."
    )
    ms = ents(nlp, text)
    phc = [m for m in ms if m.text == "PHC"]
    assert phc and all(m.name == "Pelmar Harbour Commission" for m in phc)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    ["", "   \n\n ", "“”‘’ «» — …", "Advertisement'; }\n< /p>", "A" * 5000, "x " * 20000],
)
def test_odd_input_never_raises(nlp, text: str) -> None:
    ms = ents(nlp, text)
    assert canonicalize({"odd": ms}) is not None


@pytest.mark.slow
def test_dates_and_numbers_are_left_out(nlp) -> None:
    text = "On March 3, 2031, Lena Varga paid 40 million crowns, about 12 percent more, to Pelmar."
    labels = {m.label for m in ents(nlp, text)}
    assert labels and labels <= {"PERSON", "GPE", "ORG", "NORP", "LOC"}


# --------------------------------------------------------------------------- seeds


@pytest.mark.slow
def test_seed_articles_merge_name_variants(nlp, seeds_dir: Path) -> None:
    from newsprism.nlp.entities import extract_entities

    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        pytest.skip("no seed articles")
    mentions = {p.stem: extract_entities(nlp(p.read_text(encoding="utf-8"))) for p in paths}
    entities = canonicalize(mentions)
    zelensky = [
        e for e in entities if any(v.startswith("Zelensk") or " Zelensk" in v for v in e.variants)
    ]
    assert len(zelensky) == 1, zelensky
    assert {"Zelenskyi"} <= set(zelensky[0].variants)
    assert any(v.split()[-1] == "Zelensky" for v in zelensky[0].variants)
    assert zelensky[0].type == "PERSON"
    kyiv = [e for e in entities if {"Kiev", "Kyiv"} & set(e.variants)]
    assert len(kyiv) == 1 and {"Kiev", "Kyiv"} <= set(kyiv[0].variants)
    assert kyiv[0].type == "GPE"
    for ms in mentions.values():
        assert all(m.canonical for m in ms)
    peskov = [e for e in entities if e.name == "Dmitry Peskov"]
    assert peskov and "Kremlin spokesman" in peskov[0].roles


def test_longer_misread_name_joins_its_two_word_name() -> None:
    mentions = {
        "a": [mention("Alicia Ferrante", "PERSON"), mention("Alicia Ferrante", "PERSON")],
        "b": [mention("Universe Alicia Ferrante", "PERSON", role="Former Miss")],
        "c": [mention("Conn.", "PERSON"), mention("Marten Coone", "PERSON")],
    }
    entities = canonicalize(mentions)
    ferrante = entity_of(entities, "Universe Alicia Ferrante")
    assert ferrante.name == "Alicia Ferrante" and ferrante.mentions == 3
    # an abbreviation is no surname, even when its key ("con") fits one
    assert entity_of(entities, "Conn.").name == "Conn."


@pytest.mark.slow
def test_place_glued_to_a_name_goes_to_the_role(nlp) -> None:
    text = (
        "Tindmark is a small port town. The mayor of Tindmark Lena Oberg opened the bridge "
        "on Monday. Oberg said it was overdue."
    )
    ms = ents(nlp, text)
    oberg = [m for m in ms if m.name == "Lena Oberg"]
    assert len(oberg) == 2
    assert oberg[0].text == "Lena Oberg" and oberg[0].role == "mayor of Tindmark"
    assert all("Tindmark" not in m.name for m in ms if m.text != "Tindmark")


def _tagged(nlp, text: str, tags: list[tuple[str, str, int]]):
    """``text`` parsed, with the recogniser's entities replaced by ``tags``: (phrase, label,
    which occurrence of the phrase), so a test does not depend on what the model tags."""
    doc = nlp(text)
    spans = []
    for phrase, label, nth in tags:
        start = [i for i in range(len(text)) if text.startswith(phrase, i)][nth]
        spans.append(doc.char_span(start, start + len(phrase), label=label))
    doc.ents = spans
    return doc


@pytest.mark.slow
def test_one_word_persons_in_place_slots_become_places(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    text = (
        "Ilse Marran was born in Brask. Trade fell in Estrelia last year, and Estrelia's "
        "ambassador left. Marran's government fell, and Norvania's army stayed home."
    )
    doc = _tagged(
        nlp,
        text,
        [
            ("Ilse Marran", "PERSON", 0),
            ("Brask", "PERSON", 0),
            ("Estrelia", "PERSON", 0),
            ("Estrelia", "PERSON", 1),
            ("Marran", "PERSON", 1),
            ("Norvania", "ORG", 0),
        ],
    )
    got = [(m.text, m.label, m.name) for m in extract_entities(doc)]
    assert got == [
        ("Ilse Marran", "PERSON", "Ilse Marran"),
        ("Brask", "GPE", "Brask"),
        ("Estrelia", "GPE", "Estrelia"),
        ("Estrelia", "GPE", "Estrelia"),
        ("Marran", "PERSON", "Ilse Marran"),  # resolved to a person: stays one
        ("Norvania", "GPE", "Norvania"),
    ]


def test_alias_preferred_spelling_breaks_a_frequency_tie() -> None:
    from newsprism.model import EntityMention
    from newsprism.nlp.canonical import canonicalize

    a = [EntityMention(0, 4, "Kiev", "GPE", "Kiev")]
    b = [EntityMention(0, 4, "Kyiv", "GPE", "Kyiv")]
    (entity,) = canonicalize({"a": a, "b": b})
    assert entity.name == "Kyiv" and entity.variants == ["Kiev", "Kyiv"]
    # frequency still comes first
    (entity,) = canonicalize({"a": a * 2, "b": b})
    assert entity.name == "Kiev"


# --------------------------------------------------------------------------- parses fixed by hand


def _parsed(nlp, rows: list[tuple[str, int, str, str]], ents: list[str]):
    """A doc with a given parse: (word, head index, dependency, part of speech) per token, and
    IOB entity tags; what the model does on a real sentence, without depending on its mood."""
    from spacy.tokens import Doc

    words = [r[0] for r in rows]
    spaces = [i + 1 < len(words) and words[i + 1] not in {".", ","} for i in range(len(words))]
    return Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        ents=ents,
    )


# "President of Norvania and leader of the ruling Unity Party Ilse Brandt will visit Veloria."
# parsed the way the small model parses such a sentence: the name is a conjunct of "President"
_TITLES = [
    ("President", 13, "nsubj", "PROPN"),
    ("of", 0, "prep", "ADP"),
    ("Norvania", 1, "pobj", "PROPN"),
    ("and", 0, "cc", "CCONJ"),
    ("leader", 0, "conj", "NOUN"),
    ("of", 4, "prep", "ADP"),
    ("the", 9, "det", "DET"),
    ("ruling", 9, "amod", "VERB"),
    ("Unity", 9, "compound", "PROPN"),
    ("Party", 5, "pobj", "PROPN"),
    ("Ilse", 11, "compound", "PROPN"),
    ("Brandt", 0, "conj", "PROPN"),
    ("will", 13, "aux", "AUX"),
    ("visit", 13, "ROOT", "VERB"),
    ("Veloria", 13, "dobj", "PROPN"),
    (".", 13, "punct", "PUNCT"),
]
_TAGS = ["O", "O", "B-GPE", "O", "O", "O", "O", "O", "B-ORG", "I-ORG", "B-PERSON", "I-PERSON"]


def test_coordinated_titles_before_a_name_are_its_role(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    doc = _parsed(nlp, _TITLES, _TAGS + ["O"] * 4)
    brandt = next(m for m in extract_entities(doc) if m.text == "Ilse Brandt")
    assert brandt.role == "President of Norvania and leader of the ruling Unity Party"
    # without the coordination it is not a title run: "President of Norvania met Ilse Brandt"
    rows = list(_TITLES)
    rows[3] = ("met", 0, "relcl", "VERB")
    doc = _parsed(nlp, rows, _TAGS + ["O"] * 4)
    brandt = next(m for m in extract_entities(doc) if m.text == "Ilse Brandt")
    assert brandt.role is None


def test_a_name_or_a_dateline_before_a_name_is_no_title(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    # "The Waller and Brandt campaigns declined": "Waller" (read as one who walls) is another
    # name coordinated with Brandt, not a title run ending in "and"
    rows = [
        ("The", 4, "det", "DET"),
        ("Waller", 4, "nmod", "PROPN"),
        ("and", 1, "cc", "CCONJ"),
        ("Brandt", 1, "conj", "PROPN"),
        ("campaigns", 5, "nsubj", "NOUN"),
        ("declined", 5, "ROOT", "VERB"),
        (".", 5, "punct", "PUNCT"),
    ]
    doc = _parsed(nlp, rows, ["O", "B-ORG", "O", "B-PERSON", "O", "O", "O"])
    assert [(m.text, m.role) for m in extract_entities(doc) if m.label == "PERSON"] == [
        ("Brandt", None)
    ]
    # "KELL - Harbour commissioner Ilse Brandt said": the dateline before the dash is not part
    # of her title (the hyphen of "Secretary-General" is no such dash)
    rows = [
        ("KELL", 3, "compound", "PROPN"),
        ("-", 3, "punct", "PUNCT"),
        ("Harbour", 3, "compound", "PROPN"),
        ("commissioner", 5, "compound", "NOUN"),
        ("Ilse", 5, "compound", "PROPN"),
        ("Brandt", 6, "nsubj", "PROPN"),
        ("said", 6, "ROOT", "VERB"),
    ]
    doc = _parsed(nlp, rows, ["B-GPE", "O", "O", "O", "B-PERSON", "I-PERSON", "O"])
    brandt = next(m for m in extract_entities(doc) if m.text == "Ilse Brandt")
    assert brandt.role == "Harbour commissioner"


def test_a_full_name_the_recogniser_missed_once_is_recovered(nlp) -> None:
    from newsprism.nlp.entities import extract_entities

    text = "Ilse Brandt arrived on Monday. Officials said Ilse Brandt would stay."
    doc = nlp.make_doc(text)
    tags = ["O"] * len(doc)
    k = [t.i for t in doc if t.text == "Ilse"][1]
    tags[k], tags[k + 1] = "B-PERSON", "I-PERSON"  # only the second one tagged
    doc.ents = []
    from spacy.training import biluo_tags_to_spans, iob_to_biluo

    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(tags))
    found = [(m.start, m.text, m.label) for m in extract_entities(doc)]
    assert found == [(0, "Ilse Brandt", "PERSON"), (text.rindex("Ilse"), "Ilse Brandt", "PERSON")]
    # a name inside another mention is left alone
    tags = ["O"] * len(doc)
    tags[0], tags[1], tags[2] = "B-ORG", "I-ORG", "I-ORG"  # "Ilse Brandt arrived" as an ORG
    tags[k], tags[k + 1] = "B-PERSON", "I-PERSON"
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(tags))
    assert [m.start for m in extract_entities(doc) if m.label == "PERSON"] == [text.rindex("Ilse")]


def test_a_name_with_an_age_or_a_persons_title_is_a_person(nlp) -> None:
    # the small model reads some foreign names as organisations or places; the article's own
    # description settles it: an age after the name, or an apposition only a person can be
    from newsprism.nlp.entities import extract_entities

    text = (
        "Vera Merzlyakova was shot in Kellport on Friday. Merzlyakova, 52, had been threatened. "
        "Merzlyakova had planned to run. Arno Tessel, the novelist, spoke at her grave. "
        "Senator Ola Brin of Dunmoor, the majority leader, stayed away. "
        "In Kellport, a neighbour said the stairs were dark. Kellport, 1998, was calmer."
    )
    doc = _tagged(
        nlp,
        text,
        [
            ("Vera Merzlyakova", "ORG", 0),
            ("Kellport", "GPE", 0),
            ("Merzlyakova", "GPE", 1),
            ("Merzlyakova", "ORG", 2),
            ("Arno Tessel", "ORG", 0),
            ("Ola Brin", "PERSON", 0),
            ("Dunmoor", "GPE", 0),
            ("Kellport", "GPE", 1),
            ("Kellport", "GPE", 2),
        ],
    )
    got = [(m.text, m.label) for m in extract_entities(doc)]
    assert got == [
        ("Vera Merzlyakova", "PERSON"),  # her surname is given an age
        ("Kellport", "GPE"),
        ("Merzlyakova", "PERSON"),  # "Merzlyakova, 52,"
        ("Merzlyakova", "PERSON"),  # the same name elsewhere
        ("Arno Tessel", "PERSON"),  # "the novelist"
        ("Ola Brin", "PERSON"),
        ("Dunmoor", "GPE"),  # "of Dunmoor, the majority leader": the leader is Brin
        ("Kellport", "GPE"),  # "In Kellport, a neighbour said": a new clause's subject
        ("Kellport", "GPE"),  # "Kellport, 1998,": a year, not an age
    ]
