"""The scraped-text cleaner: each kind of junk, conservativeness, and property tests."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.ingest.clean import clean_text, decode_entities

FIX = Path(__file__).parent / "fixtures" / "ingest" / "scraped"

BODY = (
    "The regional water board approved the new reservoir plan on Tuesday after a long debate.\n"
    "Construction is expected to take three years, the board's chair Hanna Oud said.\n"
)


def reasons(cleaned) -> list[str]:
    return [r.reason for r in cleaned.removed]


def removed_with(cleaned, reason: str) -> list[str]:
    return [r.text for r in cleaned.removed if r.reason == reason]


# --- fixtures with many kinds of junk ---------------------------------------------------------


def test_caption_first_line_ad_debris_tags_and_source_link() -> None:
    c = clean_text((FIX / "caption_first.txt").read_text(encoding="utf-8"))
    assert c.title is None  # the caption is not the title
    assert c.captions and c.captions[0].startswith("This photo combination shows Mayor Elise Varro")
    assert "This photo combination" not in c.text
    for junk in ("Advertisement'; }", "});", "googletag", "< /p>", "Original Source Link", "&amp;"):
        assert junk not in c.text
    assert "a week & they want" in c.text  # entity decoded, sentence kept
    assert set(reasons(c)) >= {"caption", "ad-script", "html-tag", "html-entity", "source-link"}
    assert c.text.startswith("Dunmore/Kessel – Mayor Elise Varro will travel")  # dateline kept
    assert c.dateline == "Dunmore/Kessel"
    # a horizontal bar after the place, as some outlets set it
    assert clean_text("KESSEL ― The harbour closed on Friday after the storm.").dateline == "KESSEL"
    # the ad line is recorded with its raw line number
    assert any(r.reason == "ad-script" and r.line == 3 for r in c.removed)
    assert "\n\n" in c.text and "\n\n\n" not in c.text


def test_repeated_title_bullets_share_read_more_follow_newsletter() -> None:
    c = clean_text((FIX / "repeated_title.txt").read_text(encoding="utf-8"))
    title = "Harbour pilots in Tarnby end their two-day strike after pay offer"
    assert c.title == title
    assert title not in c.text
    assert reasons(c)[:2] == ["title", "repeated-title"]
    assert "• The strike began on Monday morning." in c.text  # bullet kept, spacing normalised
    assert "• About 120 pilots took part." in c.text
    assert "  " not in c.text
    for reason in ("share", "read-more", "follow", "newsletter"):
        assert removed_with(c, reason), reason
    assert "Share this article" not in c.text and "Follow us" not in c.text
    assert c.text.endswith("About 120 pilots took part.")


def test_wire_story_byline_dateline_credit_script_and_trailing_source() -> None:
    c = clean_text((FIX / "wire_story.txt").read_text(encoding="utf-8"))
    assert c.byline == "Ingrid Salo and Marek Feld"
    assert c.dateline == "KESSEL (Meridian)"
    assert c.text.startswith("KESSEL (Meridian) - The regional parliament")
    assert c.captions == ["Photo: Anna Berg/Meridian"]
    assert removed_with(c, "credit") == ["Photo: Anna Berg/Meridian"]
    assert removed_with(c, "timestamp") == ["Published: 12 March 2025 08:15"]
    assert removed_with(c, "source-link") == ["Source: Meridian Wire"]
    assert "The opposition walked out" in c.text  # &nbsp; decoded to a plain space
    for junk in (
        "window.",
        "<script",
        "Share on Facebook",
        "newsletter",
        "Reporting by",
        "Source:",
    ):
        assert junk not in c.text
    assert c.text.endswith("the transport ministry said.")


# --- single kinds of junk ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Advertisement'; }", "ad-script"),
        ("})();", "ad-script"),
        ("googletag.cmd.push(function() { googletag.display('ad-top'); });", "ad-script"),
        ("(adsbygoogle = window.adsbygoogle || []).push({});", "ad-script"),
        ("Share", "share"),
        ("Share on WhatsApp", "share"),
        ("Facebook Twitter Email", "share"),
        ("Subscribe now for full access", "subscribe"),
        ("Already a subscriber? Log in", "subscribe"),
        ("Get our weekly newsletter in your inbox", "newsletter"),
        ("Follow us on Telegram", "follow"),
        ("Read more", "read-more"),
        ("READ MORE: Dam protest turns tense", "read-more"),
        ("Related: Five things to know about the reservoir", "read-more"),
        ("Original Source Link", "source-link"),
        ("https://news.example/article/123", "source-link"),
        ("Photo: Karin Lund/Reuters", "credit"),
        ("(Photo by Anders Holm/AFP via Getty Images)", "credit"),
        ("© 2025 Velin Daily Post. All rights reserved.", "copyright"),
        ("* * *", "empty"),
    ],
)
def test_junk_lines_in_the_middle_are_removed(line: str, reason: str) -> None:
    raw = (
        BODY
        + line
        + "\nThe board will publish the tender documents in the autumn, officials said.\n"
    )
    c = clean_text(raw)
    assert removed_with(c, reason) == [line], (line, reasons(c))
    assert line not in c.text
    assert "The board will publish the tender documents" in c.text
    assert "The regional water board approved" in c.text


def test_trailing_source_line_only_removed_at_the_end() -> None:
    c = clean_text(BODY + "Source: Velin Water Board\n")
    assert removed_with(c, "source-link") == ["Source: Velin Water Board"]
    # the same words early in the article are text, not a source link
    c2 = clean_text(
        "Source: Velin Water Board\n" + BODY + "More text follows here for the reader.\n"
    )
    assert "source-link" not in reasons(c2)


def test_caption_with_credit_inside_body() -> None:
    cap = "Firefighters work at the scene of the blaze in Ostra on Tuesday. (AP Photo/Lars Berg)"
    c = clean_text(BODY + cap + "\nThe cause of the fire is under investigation.\n")
    assert c.captions == [cap]
    assert cap not in c.text


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By JANE DOE, Velin Daily Post", "JANE DOE"),
        ("Jane Doe | Senior Reporter", "Jane Doe"),
        ("Written by Pieter van Dam", "Pieter van Dam"),
        ("By Reuters", "Reuters"),
        ("By A. Lind and K. Moe", "A. Lind and K. Moe"),
    ],
)
def test_bylines(byline: str, name: str) -> None:
    c = clean_text("Reservoir plan approved after long debate\n" + byline + "\n" + BODY)
    assert c.byline == name
    assert removed_with(c, "byline") == [byline]
    assert c.title == "Reservoir plan approved after long debate"
    assert byline not in c.text


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("OSTRA (Velin Wire) - The board met on Monday.", "OSTRA (Velin Wire)"),
        ("Ostra/Kessel – The board met on Monday.", "Ostra/Kessel"),
        (
            "KESSEL, March 3 (Nordic Press) — The board met on Monday.",
            "KESSEL, March 3 (Nordic Press)",
        ),
        ("VELIN — The board met on Monday.", "VELIN"),
    ],
)
def test_datelines_recorded_and_kept_in_text(first: str, dateline: str) -> None:
    c = clean_text(first + "\nIt approved the budget for the coming year by a wide margin.\n")
    assert c.dateline == dateline
    assert c.text.startswith(first)  # decision: the dateline stays in the text


@pytest.mark.parametrize(
    "first",
    [
        "China is officially neutral – it refused to condemn anyone.",
        "The minister - who arrived late - spoke first.",
        "Meanwhile – the talks went on.",
    ],
)
def test_no_false_datelines(first: str) -> None:
    assert clean_text(first + "\n" + BODY).dateline is None


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, officials had counted 300 votes",
        "By noon the square was full.",
        "By then, Velin had closed the bridge.",
    ],
)
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    c = clean_text(line + "\n" + BODY)
    assert c.byline is None and "byline" not in reasons(c)
    assert c.text.startswith(line) or c.title == line  # a headline-like line may be the title


def test_given_title_repeated_at_the_top_is_removed() -> None:
    c = clean_text("Reservoir Plan Approved\n\n" + BODY, title="Reservoir plan approved")
    assert removed_with(c, "repeated-title") == ["Reservoir Plan Approved"]
    assert c.text.startswith("The regional water board")


def test_first_line_sentence_is_not_a_title() -> None:
    c = clean_text("The board approved the plan on Tuesday.\n" + BODY)
    assert c.title is None
    assert c.text.startswith("The board approved the plan on Tuesday.")


def test_single_line_is_text_not_title() -> None:
    c = clean_text("Reservoir plan approved after long debate")
    assert c.title is None and c.text == "Reservoir plan approved after long debate"


def test_real_sentences_mentioning_junk_words_are_kept() -> None:
    body = (
        "Shareholders will vote on the merger next week, the company said.\n"
        "The photo shows the two ministers shaking hands, a spokesman said, but it was taken in 2019.\n"
        "Advertisement revenue at the broadcaster fell by 12 percent last year.\n"
        "Follow-up talks are planned for June.\n"
        "Read the full statement, the opposition told reporters, and you will see the problem.\n"
        "By the end of the day, 300 people had signed the petition.\n"
        "Source code for the voting app was published on Friday.\n"
        "Sign up for the volunteer programme closes on Friday, the organisers said.\n"
        "Related talks in Kessel: the governor said no date had been set.\n"
    )
    c = clean_text(body)
    assert c.removed == []
    assert c.text == body.strip().replace("\n", "\n\n")


def test_html_tags_and_entities() -> None:
    raw = "<p>The board met in Ostra &amp; Kessel.</p><p>It approved the plan &mdash; unanimously.</p>"
    c = clean_text(raw)
    assert c.text == "The board met in Ostra & Kessel.\n\nIt approved the plan — unanimously."
    assert set(removed_with(c, "html-entity")) == {"&amp;", "&mdash;"}
    assert removed_with(c, "html-tag") == ["<p>", "</p>", "<p>", "</p>"]


def test_nfc_whitespace_and_typographic_quotes() -> None:
    raw = "Cafe\u0301 owners\u00a0in   Se\u0300vres said \u201cno\u201d to the \u2018new\u2019 fee.\t\n"
    c = clean_text(raw)
    assert c.text == "Café owners in Sèvres said “no” to the ‘new’ fee."
    assert unicodedata.is_normalized("NFC", c.text)


def test_hard_wrapped_paragraphs_are_joined() -> None:
    raw = (
        "The regional water board approved the new reservoir plan on Tuesday\n"
        "after a debate that lasted more than six hours and ended shortly\n"
        "before midnight, officials said.\n"
        "\n"
        "Construction is expected to take three years.\n"
    )
    c = clean_text(raw)
    assert c.text.split("\n\n")[0].endswith("ended shortly before midnight, officials said.")
    assert len(c.text.split("\n\n")) == 2


@pytest.mark.parametrize("raw", ["", "   \n\t\n", "\x00\x01", "<p></p>", "Advertisement", "&amp;"])
def test_degenerate_inputs(raw: str) -> None:
    c = clean_text(raw)
    assert isinstance(c.text, str)
    assert c.text.strip() in ("", "&")


def test_seeds(seeds_dir: Path) -> None:
    seed0 = seeds_dir / "000_26e049f72bfdd22e.txt"
    seed4 = seeds_dir / "004_6cf93bea9fa67504.txt"
    if not (seed0.exists() and seed4.exists()):
        pytest.skip("seed files missing")
    raw0, raw4 = seed0.read_text(encoding="utf-8"), seed4.read_text(encoding="utf-8")
    c0, c4 = clean_text(raw0), clean_text(raw4)
    first0 = raw0.splitlines()[0].strip()
    first4 = raw4.splitlines()[0].strip()
    assert c0.title is None
    assert c0.captions == [first0]
    assert removed_with(c0, "caption") == [first0]
    assert c4.title == first4
    assert c4.text.count(first4) == 0
    for c in (c0, c4):
        for junk in ("Advertisement'; }", "< /p>", "Original Source Link"):
            assert junk not in c.text
    # real sentences survive: only the flagged lines are gone
    assert len(c0.text.split("\n\n")) == len([ln for ln in raw0.splitlines() if ln.strip()]) - 2
    assert "• " in c4.text


# --- properties ---------------------------------------------------------------------------------

_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _chars(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", s) if not c.isspace() and c not in _INVISIBLE
    )


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


_JUNKY = st.sampled_from(
    [
        "Advertisement'; }",
        "< /p>",
        "<p>",
        "&amp;",
        "&nbsp;",
        "Original Source Link",
        "  •  ",
        "Read more",
        "By Jane Doe",
        "OSTRA (Wire) - ",
        "Photo: A/B",
        "\n",
        "\n\n",
        "});",
        "Share",
        "<script>x()</script>",
        "\u200b",
        "e\u0301",
        "Title line here",
    ]
)
_TEXTS = st.lists(st.one_of(st.text(max_size=40), _JUNKY), max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, st.one_of(st.none(), st.text(max_size=20)))
def test_property_never_raises_and_output_comes_from_input(raw: str, title: str | None) -> None:
    c = clean_text(raw, title=title)
    assert unicodedata.is_normalized("NFC", c.text)
    assert "\n\n\n" not in c.text and "  " not in c.text
    reference = _chars(decode_entities(unicodedata.normalize("NFC", raw)))
    # every character of the cleaned text comes from the raw text, in order
    assert _is_subsequence(_chars(c.text), reference)
    for line in c.text.split("\n"):
        assert _is_subsequence(_chars(line), reference)
    # nothing is lost: kept + removed covers the input (character multiset)
    covered = Counter(_chars(c.text)) + Counter(_chars("".join(r.text for r in c.removed)))
    missing = Counter(reference) - covered
    assert not missing, (missing, c)


def test_closing_credit_line_of_a_wire_copy_is_removed() -> None:
    body = (
        BODY
        + "\n\nThis story was provided by Coastal Wire. Reporting by Ana Brel; editing by Tomas Vik."
    )
    c = clean_text("Reservoir plan approved after long debate\n" + body)
    assert "Coastal Wire" not in c.text and "Ana Brel" not in c.text
    assert removed_with(c, "byline") == [
        "This story was provided by Coastal Wire. Reporting by Ana Brel; editing by Tomas Vik."
    ]
    # a sentence of the story that mentions who provided something stays
    kept = BODY + "\n\nThe figures were provided by the water board in March."
    assert "provided by the water board" in clean_text(kept).text


def test_a_sites_own_tags_and_a_tweet_credit_go_the_words_stay() -> None:
    raw = (
        "The mayor answered on Tuesday.\n\n"
        '<tweet id="1234" author="@KellMayor" datetime="2031-07-05">The bridge stays open '
        "for now. pic.twitter.com/AbCd12 — Lena Varga (@KellMayor) July 5, 2031</tweet>\n\n"
        "Traffic was light, with under <5 percent of lanes closed and a sign reading <tweet."
    )
    c = clean_text(raw)
    assert "The bridge stays open for now." in c.text
    assert "<tweet" not in c.text.split("reading")[0]  # the embed's tags
    assert "pic.twitter.com" not in c.text and "(@KellMayor)" not in c.text
    assert "under <5 percent" in c.text and "reading <tweet." in c.text  # prose stays
    reasons = Counter(r.reason for r in c.removed)
    assert reasons["html-tag"] == 2 and reasons["credit"] == 1
