from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsprism.model import (
    SCHEMA_VERSION,
    AnalysisResult,
    Article,
    BriefLine,
    Citation,
    Skipped,
    Story,
)
from newsprism.outputs import render_html, render_markdown, result_to_document, write_outputs

HOSTILE = 'Officials said <script>alert("x")</script> & <img src=x onerror=alert(1)> were "tests".'


def _result() -> AnalysisResult:
    t1 = "Ferry crews in Lund walked off the job on Monday. " + HOSTILE
    t2 = "A ferry strike began in Lund on Monday, the union said."
    a1 = Article(
        id="lund-1",
        text=t1,
        title="Ferry crews walk out",
        source="Harbour Courier",
        published="2025-04-07",
        path="corpus/a.txt",
    )
    a2 = Article(
        id="lund-2",
        text=t2,
        title="Lund ferry strike",
        source="Meridian Wire",
        published="2025-04-08",
        path="corpus/b.txt",
    )
    s1 = t1.index("Ferry"), t1.index("Monday.") + len("Monday.")
    s2 = 0, len(t2)
    brief = [
        BriefLine(t1[s1[0] : s1[1]], [Citation("lund-1", *s1), Citation("lund-2", *s2)], "key"),
        BriefLine(HOSTILE, [Citation("lund-1", t1.index(HOSTILE), len(t1))], "adds"),
    ]
    story = Story.from_dict(
        {
            "facts": [
                {
                    "id": "f1",
                    "text": "Ferry crews walked off the job on Monday.",
                    "status": "corroborated",
                    "outlets": ["Harbour Courier", "Meridian Wire"],
                    "sources": [],
                    "conflicts": [
                        {
                            "slot": "date",
                            "values": [
                                {
                                    "value": "2025-04-07",
                                    "article": "lund-1",
                                    "start": s1[0],
                                    "end": s1[1],
                                    "text": t1[s1[0] : s1[1]],
                                    "outlet": "Harbour Courier",
                                },
                                {
                                    "value": "2025-04-08",
                                    "article": "lund-2",
                                    "start": 0,
                                    "end": len(t2),
                                    "text": t2,
                                    "outlet": "Meridian Wire",
                                },
                            ],
                        }
                    ],
                }
            ],
            "coverage": {
                "outlets": ["Harbour Courier", "Meridian Wire"],
                "facts": ["f1"],
                "matrix": [[1, 1]],
            },
            "timeline": [
                {
                    "date": "2025-04-07",
                    "label": "2025-04-07",
                    "text": t1[s1[0] : s1[1]],
                    "fact": "f1",
                    "sources": [
                        {
                            "article": "lund-1",
                            "start": s1[0],
                            "end": s1[1],
                            "text": t1[s1[0] : s1[1]],
                            "outlet": "Harbour Courier",
                        }
                    ],
                }
            ],
            "framing": {
                "Harbour Courier": [
                    {
                        "kind": "substitution",
                        "outlet": "Harbour Courier",
                        "ours": "walked off the job",
                        "theirs": "strike",
                        "score": 2.1,
                        "with": ["Meridian Wire"],
                        "counts": [1, 0, 0, 1],
                        "prior": [0.5, 0.5],
                        "evidence": [
                            {
                                "article": "lund-1",
                                "start": s1[0],
                                "end": s1[1],
                                "text": t1[s1[0] : s1[1]],
                                "outlet": "Harbour Courier",
                                "mark": {
                                    "start": s1[0] + 20,
                                    "end": s1[0] + 38,
                                    "text": t1[s1[0] + 20 : s1[0] + 38],
                                },
                            }
                        ],
                    }
                ],
                "Meridian Wire": [],
            },
            "quotes": [
                {
                    "speaker": "the union",
                    "quotes": [
                        {
                            "article": "lund-2",
                            "outlet": "Meridian Wire",
                            "kind": "indirect",
                            "via": "Harbour Courier",
                            "cue": {"start": 44, "end": 48, "text": "said"},
                            "content": [{"start": 0, "end": 43, "text": t2[:43]}],
                        }
                    ],
                }
            ],
        },
        id="story-0001",
        title="Ferry <strike> in Lund",
        articles=["lund-1", "lund-2"],
        brief=brief,
    )
    return AnalysisResult(
        articles=[a1, a2],
        stories=[story],
        skipped=[Skipped("corpus/bad.bin", "binary file", "binary")],
        files_read=3,
    )


def test_document_has_schema_and_citations_point_into_article_text() -> None:
    doc = result_to_document(_result())
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["summary"]["skipped_by_reason"] == {"binary": 1}
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for story in doc["stories"]:
        assert {"id", "title", "articles", "brief", "outlets"} <= story.keys()
        for line in story["brief"]:
            for c in line["citations"]:
                assert texts[c["article"]][c["start"] : c["end"]]
    json.dumps(doc)  # serialisable


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.imgs = 0
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag == "script"
        self.imgs += tag == "img"

    def handle_data(self, data: str) -> None:
        if self._in:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in = False


def test_html_report_is_self_contained_and_escapes_article_text() -> None:
    html = render_html(result_to_document(_result()))
    parser = _Scripts()
    parser.feed(html)
    assert parser.imgs == 0, "article text must never become markup"
    assert len(parser.scripts) == 1 and "alert" not in parser.scripts[0]  # only our own script
    assert "&lt;script&gt;alert" in html
    assert "Ferry &lt;strike&gt; in Lund" in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no external assets"
    # every citation links to an anchor that exists in the page
    anchors = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'class="cite" href="#([^"]+)"', html):
        assert target in anchors


def test_markdown_report_lists_brief_with_citations_and_skips() -> None:
    md = render_markdown(result_to_document(_result()))
    assert md.startswith("# newsprism report")
    assert "## Ferry &lt;strike&gt; in Lund" in md  # raw HTML from an article is escaped
    assert "[Harbour Courier: lund-1 0–" in md
    assert "### What each outlet adds" in md
    assert "`corpus/bad.bin`: binary file" in md
    assert (
        "- **2025-04-07** Ferry crews in Lund walked off the job on Monday. [Harbour Courier: lund-1"
        in md
    )
    assert "- **date** 2025-04-07 (Harbour Courier) vs 2025-04-08 (Meridian Wire)" in md
    assert "- **Harbour Courier**\n  - *substitution*: “walked off the job” where Meridian" in md
    assert "writes “strike” [Harbour Courier: lund-1" in md
    assert "- **Meridian Wire**:" not in md
    # who said what: the cue, the content, the outlet and the nested source
    said = _result().stories[0].quotes[0].quotes[0].content[0].text
    assert f"  - *said* “{said}”" in md
    assert "(Meridian Wire; indirect, via Harbour Courier)" in md


def test_write_outputs_writes_all_three_files(tmp_path: Path) -> None:
    paths = write_outputs(_result(), tmp_path / "out")
    assert {p.name for p in paths.values()} == {"stories.json", "report.md", "report.html"}
    assert json.loads(paths["json"].read_text())["summary"]["articles"] == 2
    assert not list((tmp_path / "out").glob("*.tmp"))
    # the document reads back whole, and its articles and stories are one line each
    text = paths["json"].read_text(encoding="utf-8")
    doc = json.loads(text)
    lines = text.splitlines()
    for a in doc["articles"]:
        assert (
            json.dumps(a, ensure_ascii=False) + "," in lines
            or json.dumps(a, ensure_ascii=False) in lines
        )
    story_line = next(line for line in lines if line.startswith('{"id": "story-0001"'))
    assert json.loads(story_line.rstrip(","))["title"] == "Ferry <strike> in Lund"


def test_quotes_are_wrapped_in_quotation_marks_once() -> None:
    from newsprism.outputs.view import quoted

    assert quoted(["“We will not sail,”"]) == "“We will not sail,”"
    assert quoted(["the offer remained open"]) == "“the offer remained open”"
    assert quoted(["“Part one,”", "“part two.”"]) == "“Part one,” … “part two.”"
    assert quoted(["line\n  break"]) == "“line break”"


def test_citation_labels_number_repeated_outlets() -> None:
    from newsprism.outputs.html import cite_labels

    articles = {"a": {"source": "Harbour Courier"}, "b": {"source": "Harbour Courier"}, "c": {}}
    cites = [{"article": x} for x in ("a", "c", "b")]
    assert cite_labels(cites, articles) == ["Harbour Courier 1", "c", "Harbour Courier 2"]


def test_a_quote_carried_word_for_word_by_several_outlets_is_one_line() -> None:
    from newsprism.outputs.view import speaker_quotes

    said = {"start": 10, "end": 40, "text": "the ferry will run all winter"}
    cue = {"start": 41, "end": 45, "text": "said"}
    group = {
        "speaker": "Ada Voss",
        "quotes": [
            {"article": "a", "outlet": "Wire", "kind": "indirect", "cue": cue, "content": [said]},
            {"article": "b", "outlet": "Ledger", "kind": "indirect", "cue": cue, "content": [said]},
            {"article": "c", "outlet": "Wire", "kind": "indirect", "cue": cue, "content": [said]},
            {"article": "d", "outlet": "Ledger", "kind": "indirect", "content": [said]},
        ],
    }
    lines = speaker_quotes(group)
    assert [(q.cue, q.outlets) for q in lines] == [("said", ["Wire", "Ledger"]), (None, ["Ledger"])]
    assert lines[0].content == "“the ferry will run all winter”"


_GENERATED = re.compile(r'("generated_at": |generated )"?\d{4}-\d\d-\d\dT[\d:]+\+00:00"?')


def _written(folder: Path) -> dict[str, str]:
    names = ("stories.json", "report.md", "report.html")
    return {n: _GENERATED.sub(r"\1<when>", (folder / n).read_text(encoding="utf-8")) for n in names}


def test_a_damaged_or_foreign_cache_entry_is_rendered_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(_result(), out)
    before = _written(out)
    (entry,) = (out / ".cache").rglob("*.piece")
    sound = entry.read_bytes()
    head, body = sound.split(b"\n", 1)
    header = json.loads(head)
    assert body.decode().startswith('{"id": "story-0001"')  # the stories.json line comes first
    poison = body.replace(b"Ferry", b"Fairy")  # same sizes, other text

    def written(header: dict, body: bytes = body) -> bytes:
        return json.dumps(header).encode() + b"\n" + body

    for junk in [
        b"{not json",
        sound[:-10],  # cut short
        written({**header, "fingerprint": "written-by-other-code"}, poison),
        written({**header, "sizes": [1, 2, 3]}),
        written({**header, "refs": "lund-1"}),
        written({**header, "cited": [["lund-1", "0", 5]]}),
    ]:
        entry.write_bytes(junk)
        write_outputs(_result(), out)
        assert _written(out) == before, junk
        assert entry.read_bytes() == sound  # rendered again and saved
    entry.write_bytes(written(header, poison))  # an entry is trusted while its header fits
    write_outputs(_result(), out)
    assert "Fairy crews" in _written(out)["report.md"]
    stale = entry.with_name("written-by-an-older-version.json")
    stale.write_text("{}")
    write_outputs(_result(), out)
    assert not stale.exists() and entry.exists()


def test_outputs_are_written_when_their_cache_cannot_be(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    whole = tmp_path / "whole"
    write_outputs(_result(), whole)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("a file where the cache folder goes")
    with caplog.at_level(logging.WARNING, logger="newsprism.outputs.cache"):
        write_outputs(_result(), out)
    assert _written(out) == _written(whole)
    assert "the output cache was not saved" in caplog.text


def test_report_templates_compile_once_and_a_broken_cache_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report templates are compiled into NEWSPRISM_CACHE_DIR/templates and read back by
    later runs with the same report; a damaged file there, or a cache folder that cannot be
    written, is passed over and the report is the same."""
    from newsprism.outputs import html as html_mod

    doc = result_to_document(_result())
    expected = render_html(doc)
    monkeypatch.setenv("NEWSPRISM_CACHE_DIR", str(tmp_path / "cache"))
    html_mod._env.cache_clear()
    assert _same_report(render_html(doc), expected)
    kept = sorted((tmp_path / "cache" / "templates").iterdir())
    assert len(kept) == 2  # report.html.j2 and story.html.j2
    for path in kept:
        path.write_bytes(path.read_bytes()[:40])  # damaged: cut short
    html_mod._env.cache_clear()
    assert _same_report(render_html(doc), expected)
    assert all(p.stat().st_size > 40 for p in kept)  # written again, whole
    (tmp_path / "blocked").write_text("a file where the cache folder would go")
    monkeypatch.setenv("NEWSPRISM_CACHE_DIR", str(tmp_path / "blocked"))
    html_mod._env.cache_clear()
    assert _same_report(render_html(doc), expected)
    html_mod._env.cache_clear()


def _same_report(a: str, b: str) -> bool:
    """Equal but for the per-render nonce of the script policy."""
    nonce = re.compile(r"nonce-[A-Za-z0-9_-]+|nonce=\"[A-Za-z0-9_-]+\"")
    return nonce.sub("N", a) == nonce.sub("N", b)


def test_scare_quotes_are_shown_in_quotation_marks_once() -> None:
    # a scare-quote hedge brings its own marks: both reports had shown "““reckless””"
    from newsprism.model import FramingItem

    result = _result()
    story = result.stories[0]
    hedge = FramingItem.from_dict(
        {
            "kind": "hedge",
            "outlet": "Meridian Wire",
            "ours": "\u201creckless\u201d",
            "theirs": "",
            "score": 1.2,
            "with": ["Harbour Courier"],
            "counts": [1, 9, 0, 10],
            "prior": [0.5, 0.5],
            "evidence": [],
            "aspect": "scare quotes",
        }
    )
    story.framing["Meridian Wire"] = [hedge]
    doc = result_to_document(result)
    md = render_markdown(doc)
    html = render_html(doc)
    assert "\u201creckless\u201d" in md and "\u201c\u201creckless" not in md
    assert "\u201creckless\u201d" in html and "\u201c\u201creckless" not in html
    assert "&ldquo;\u201creckless" not in html
