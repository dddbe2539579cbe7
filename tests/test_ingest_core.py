"""Ingest core: discovery, bad inputs, decoding, metadata precedence, ids, incremental runs."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.ingest import IngestOptions, ingest, sanitize_id
from newsprism.ingest.base import BadInput
from newsprism.ingest.files import sniff
from newsprism.ingest.meta import normalize_authors, normalize_date, url_source
from newsprism.ingest.text import decode, read
from newsprism.text import content_hash

FIX = Path(__file__).parent / "fixtures" / "ingest"
MIXED = FIX / "mixed"

STORY = (
    "Tram line 4 in Velin reopens after track repairs\n\n"
    "Tram line 4 in Velin reopened on Monday after three weeks of track repairs, the city transport "
    "company said.\n\nAbout 40,000 passengers use the line every day.\n"
)


def by_id(result) -> dict:
    return {a.id: a for a in result.articles}


def by_kind(result) -> dict:
    return {Path(s.path).name: s.kind for s in result.skipped}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the mixed fixture folder (tests may add to it)."""
    dest = tmp_path / "corpus"
    shutil.copytree(MIXED, dest)
    return dest


# --- a folder of good and bad files -------------------------------------------------------------


def test_mixed_folder_good_ingested_bad_skipped(corpus: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        result = ingest([corpus])
    arts = by_id(result)
    assert sorted(arts) == ["bridge-vote", "good_one", "good_two", "latin1_cafes"]
    assert by_kind(result) == {"empty.txt": "empty", "photo.dat": "binary"}
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons["photo.dat"] == "binary file (NUL bytes in the first 8 KB)"
    assert reasons["empty.txt"] == "empty file"
    assert result.files_read == 6  # hidden file and sidecar are not inputs
    # the Latin-1 file is good: decoded properly, not skipped
    cafes = arts["latin1_cafes"]
    assert cafes.title == "Café owners in Sèvres protest new terrace fees"
    assert "Élodie Marchal, who runs a café" in cafes.text
    # skips are logged as "{path}: skipped: {reason}"
    assert f"{corpus / 'empty.txt'}: skipped: empty file" in caplog.text


def test_discovery_order_is_sorted_and_deterministic(corpus: Path) -> None:
    ids = [a.id for a in ingest([corpus]).articles]
    assert ids == ["good_one", "good_two", "latin1_cafes", "bridge-vote"]
    assert ids == [a.id for a in ingest([corpus]).articles]


def test_markdown_heading_becomes_title_and_markup_is_stripped(corpus: Path) -> None:
    art = by_id(ingest([corpus / "good_two.md"]))["good_two"]
    assert art.title == "Ferry service to Lund island resumes"
    assert art.meta_origin["title"] == "first-line"
    assert "The ferry service to Lund island resumed on Friday" in art.text
    assert "the operator Nordsund Lines said" in art.text
    assert "**" not in art.text and "](" not in art.text
    assert "# Ferry" in art.raw  # the original is kept


# --- metadata ------------------------------------------------------------------------------------


def test_sidecar_metadata_and_published_reaches_article(corpus: Path) -> None:
    art = by_id(ingest([corpus]))["good_one"]
    assert art.title == "Ostra library reopens"
    assert art.source == "Ostra Courier"
    assert art.url == "https://www.ostracourier.example/news/library"
    assert art.published == "2025-03-08"  # "March 8, 2025" normalised to ISO
    assert art.authors == ["Mira Holt", "Jon Eide"]
    assert {art.meta_origin[k] for k in ("title", "source", "url", "published", "authors")} == {
        "sidecar"
    }
    # the sidecar's title differs from the first line: the first line is still the headline
    assert art.text.startswith("The public library in Ostra reopened")


def test_manifest_beats_sidecar_and_is_not_an_article(corpus: Path) -> None:
    manifest = corpus / "manifest.csv"
    manifest.write_text(
        "path,title,source,published,authors\n"
        "good_one.txt,Library doors open again,Ostra Herald,2025-03-09,Sara Vik|Ole Dahl\n"
        "outlets/tarn-gazette/bridge-vote.txt,,,2025-02-04T10:30:00Z,\n",
        encoding="utf-8",
    )
    result = ingest([corpus], IngestOptions(manifest=manifest))
    arts = by_id(result)
    assert "manifest" not in arts and "manifest.csv" not in by_kind(result)
    one = arts["good_one"]
    assert (one.title, one.source, one.published) == (
        "Library doors open again",
        "Ostra Herald",
        "2025-03-09",
    )
    assert one.authors == ["Sara Vik", "Ole Dahl"]
    assert one.meta_origin["title"] == "manifest"
    assert one.url == "https://www.ostracourier.example/news/library"  # not in the manifest
    assert one.meta_origin["url"] == "sidecar"
    bridge = arts["bridge-vote"]
    assert bridge.published == "2025-02-04T10:30:00+00:00"
    assert bridge.meta_origin["published"] == "manifest"


def test_source_precedence_url_host_option_folder(corpus: Path, tmp_path: Path) -> None:
    arts = by_id(ingest([corpus]))
    bridge = arts["bridge-vote"]  # in a subfolder of the input folder
    assert (bridge.source, bridge.meta_origin["source"]) == ("tarn-gazette", "folder")
    assert arts["good_two"].source is None  # directly in the input folder: unknown
    assert "source" not in arts["good_two"].meta_origin
    # --source beats the folder guess, not the sidecar
    arts = by_id(ingest([corpus], IngestOptions(source="Wire Desk", published="2025-01-31")))
    assert (arts["bridge-vote"].source, arts["bridge-vote"].meta_origin["source"]) == (
        "Wire Desk",
        "option",
    )
    assert arts["bridge-vote"].published == "2025-01-31"
    assert arts["good_one"].source == "Ostra Courier"
    assert arts["good_one"].published == "2025-03-08"
    # a URL in the sidecar without a source: the URL's host names the outlet
    (tmp_path / "solo.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "solo.meta.json").write_text(
        json.dumps({"url": "https://www.velin-post.example/city/trams"}), encoding="utf-8"
    )
    solo = by_id(ingest([tmp_path / "solo.txt"]))["solo"]
    assert (solo.source, solo.meta_origin["source"]) == ("velin-post.example", "url-host")
    assert solo.title == "Tram line 4 in Velin reopens after track repairs"


def test_malformed_sidecar_is_ignored_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text("{not json", encoding="utf-8")
    result = ingest([tmp_path])
    assert [a.id for a in result.articles] == ["a"] and result.skipped == []
    assert result.articles[0].meta_origin["title"] == "first-line"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2023-03-17", "2023-03-17"),
        ("March 17, 2023", "2023-03-17"),
        ("17 March 2023", "2023-03-17"),
        ("Fri, 17 Mar 2023 09:30:00 GMT", "2023-03-17T09:30:00+00:00"),
        ("2023-03-17T09:30:00Z", "2023-03-17T09:30:00+00:00"),
        (1679045400, "2023-03-17T09:30:00+00:00"),
        ("next week", None),
        ("", None),
        ("2023-02-30", None),
    ],
)
def test_normalize_date(value, iso) -> None:
    assert normalize_date(value) == iso


def test_small_metadata_helpers() -> None:
    assert url_source("https://www.meridian-wire.example/a/b?c=1") == "meridian-wire.example"
    assert url_source("not a url") is None
    assert normalize_authors("By Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert normalize_authors("Doe, Jane") == ["Doe, Jane"]
    assert normalize_authors([{"name": "Ana Lis"}, "Bo Rand"]) == ["Ana Lis", "Bo Rand"]


# --- ids -----------------------------------------------------------------------------------------


def test_ids_sanitised_and_collisions_numbered(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "report.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a" / "Tram news (final) ü.txt").write_text(STORY, encoding="utf-8")
    ids = [a.id for a in ingest([tmp_path]).articles]
    assert ids == ["Tram_news_final_u", "report", "report-2"]
    assert all(
        set(i) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        for i in ids
    )
    assert sanitize_id("000_26e049f72bfdd22e") == "000_26e049f72bfdd22e"
    assert sanitize_id("!!!") == "article"


def test_multi_record_file_ids_and_record_hashes(tmp_path: Path) -> None:
    pytest.importorskip("newsprism.ingest.jsonrec")
    rows = [
        {
            "text": "Velin council approved the budget on Monday after a short debate.",
            "title": "Budget passes",
        },
        {
            "text": "Kessel opened a new ferry terminal on Tuesday, the port said.",
            "title": "Ferry terminal opens",
        },
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = ingest([path])
    assert [a.id for a in result.articles] == ["dump-1", "dump-2"]
    assert [a.title for a in result.articles] == ["Budget passes", "Ferry terminal opens"]
    assert result.articles[0].content_hash != result.articles[1].content_hash
    # a record's own id wins; an incremental run skips records already stored
    rows[0]["id"] = "budget 2025"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    again = ingest([path], seen_hashes={result.articles[1].content_hash})
    assert [a.id for a in again.articles] == ["budget_2025"]
    assert again.unchanged == 1


def test_stdin_json_lines(monkeypatch) -> None:
    pytest.importorskip("newsprism.ingest.jsonrec")
    line = json.dumps(
        {"id": "s1", "text": "Ostra opened a new library wing on Friday, officials said."}
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((line + "\n").encode())))
    result = ingest(["-"])
    assert [a.id for a in result.articles] == ["s1"]
    assert result.articles[0].text.startswith("Ostra opened a new library wing")


# --- bad inputs ----------------------------------------------------------------------------------


def test_too_large_is_skipped_with_size_reason(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(STORY * 2000, encoding="utf-8")
    (tmp_path / "small.txt").write_text(STORY, encoding="utf-8")
    result = ingest([tmp_path], IngestOptions(max_bytes=100 * 1024))
    assert [a.id for a in result.articles] == ["small"]
    (skip,) = result.skipped
    assert skip.kind == "too-large"
    assert skip.reason.endswith("MB is over the 0.1 MB limit (--max-size)")


def test_whitespace_only_and_undecodable(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\t\n  \n", encoding="utf-8")
    # bytes that are neither UTF-8 nor any single-byte encoding charset-normalizer accepts
    (tmp_path / "noise.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFF, 0xC3]) * 300)
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")
    result = ingest([tmp_path])
    assert [a.id for a in result.articles] == ["ok"]
    kinds = by_kind(result)
    assert kinds["blank.txt"] == "empty"
    assert kinds["noise.txt"] in ("undecodable", "binary")
    assert all(s.reason for s in result.skipped)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(STORY, encoding="utf-8")
    secret.chmod(0)
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")
    try:
        result = ingest([tmp_path])
    finally:
        secret.chmod(0o644)
    assert [a.id for a in result.articles] == ["ok"]
    assert by_kind(result) == {"secret.txt": "unreadable"}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loops_reported_and_run_continues(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "story.txt").write_text(STORY, encoding="utf-8")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)  # directory loop
    (root / "self.txt").symlink_to(root / "self.txt")  # a link to itself
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    result = ingest([root])
    assert [a.id for a in result.articles] == ["story"]
    kinds = by_kind(result)
    assert kinds["back"] == "symlink-loop"
    assert kinds["self.txt"] == "symlink-loop"
    assert kinds["dangling.txt"] == "unreadable"


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(STORY, encoding="utf-8")
    result = ingest([tmp_path / "nope.txt", str(tmp_path / "*.html"), str(tmp_path / "*.txt")])
    assert [a.id for a in result.articles] == ["one"]
    assert [s.kind for s in result.skipped] == ["missing", "missing"]


def test_reader_crash_becomes_a_skip(tmp_path: Path, monkeypatch) -> None:
    import newsprism.ingest.files as files

    def broken(origin, data, options):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(files, "reader_for", lambda kind: broken)
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    result = ingest([tmp_path])
    assert result.articles == []
    assert [(s.kind, s.reason) for s in result.skipped] == [
        ("error", "reader failed: RuntimeError: boom")
    ]


def test_junk_only_file_is_skipped_as_empty(tmp_path: Path) -> None:
    (tmp_path / "ads.txt").write_text("Advertisement\n});\nShare this article\n", encoding="utf-8")
    result = ingest([tmp_path])
    assert result.articles == [] and by_kind(result) == {"ads.txt": "empty"}


# --- incremental runs, progress ------------------------------------------------------------------


def test_incremental_seen_hashes_and_progress(corpus: Path) -> None:
    first = ingest([corpus])
    seen = {a.content_hash for a in first.articles}
    assert by_id(first)["good_one"].content_hash == content_hash(
        (corpus / "good_one.txt").read_bytes()
    )
    (corpus / "new.txt").write_text(STORY, encoding="utf-8")
    calls: list[tuple[int, int | None]] = []
    second = ingest([corpus], seen_hashes=seen, progress=lambda d, t: calls.append((d, t)))
    assert [a.id for a in second.articles] == ["new"]
    assert second.unchanged == 4
    assert calls[-1] == (7, 7) and [d for d, _ in calls] == list(range(1, 8))


# --- the text reader -----------------------------------------------------------------------------


def test_text_reader_encodings_and_boms() -> None:
    text = "Fußgänger in Köln protestierten am Montag gegen die Sperrung der Brücke."
    assert decode(text.encode("latin-1")) == text
    assert decode(text.encode("cp1252")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode(text.encode("utf-16")) == text
    (doc,) = read("x.txt", "\ufeff".encode() + text.encode(), IngestOptions())
    assert doc.text == text and not doc.text.startswith("\ufeff")
    cyr = "Министр заявил во вторник, что переговоры продолжатся на следующей неделе."
    assert decode(cyr.encode("cp1251")) == cyr


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"GIF89a\x00\x01\x02", "binary"),
        (b"\x01\x02\x03\x04" * 50, "binary"),
    ],
)
def test_text_reader_bad_inputs(data: bytes, kind: str) -> None:
    with pytest.raises(BadInput) as err:
        list(read("f.txt", data, IngestOptions()))
    assert err.value.kind == kind and err.value.reason


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_text_reader_property_never_raises_other_errors(data: bytes) -> None:
    try:
        docs = list(read("f.txt", data, IngestOptions()))
    except BadInput as exc:
        assert exc.kind in {"empty", "binary", "undecodable"} and exc.reason
    else:
        assert len(docs) == 1 and docs[0].raw.strip()


def test_sniff_content_first_extension_second() -> None:
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "a.txt") == "html"
    assert sniff(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "a.dat") == "feed"
    assert sniff(b'{"text": "x"}\n{"text": "y"}\n', "dump.dat") == "json"
    assert sniff(b"WARC/1.0\r\n", "x") == "warc"
    assert sniff(b"\x1f\x8b\x08\x00", "a.txt.gz") == "archive"
    assert sniff(b"PK\x03\x04rest", "a.bin") == "archive"
    assert sniff(b"Plain words in a story.", "story.html") == "text"
    assert sniff(b"Plain words in a story.", "story") == "text"
    with pytest.raises(BadInput):
        sniff(b"path,title\n", "manifest.csv")


# --- the two real seed articles ------------------------------------------------------------------


def test_seeds_ingest(seeds_dir: Path) -> None:
    result = ingest([seeds_dir])
    arts = by_id(result)
    assert {"000_26e049f72bfdd22e", "004_6cf93bea9fa67504"} <= set(arts)
    a0, a4 = arts["000_26e049f72bfdd22e"], arts["004_6cf93bea9fa67504"]
    raw0 = (seeds_dir / "000_26e049f72bfdd22e.txt").read_text(encoding="utf-8")
    raw4 = (seeds_dir / "004_6cf93bea9fa67504.txt").read_text(encoding="utf-8")
    assert a0.captions == [raw0.splitlines()[0].strip()] and a0.title is None
    assert a4.title == raw4.splitlines()[0].strip()
    assert a4.meta_origin["title"] == "first-line"
    assert a4.text.count(a4.title) <= 1
    for art in (a0, a4):
        for junk in ("Advertisement'; }", "< /p>", "Original Source Link"):
            assert junk not in art.text
        assert art.content_hash and len(art.content_hash) == 64
        assert art.raw and art.path


def test_parallel_workers_give_the_same_result(corpus: Path) -> None:
    for i in range(12):
        (corpus / f"extra-{i:02d}.txt").write_text(
            STORY.replace("40,000", f"{i},000"), encoding="utf-8"
        )
    one = ingest([corpus], workers=1)
    two = ingest([corpus], workers=2)
    assert [a.to_dict() for a in one.articles] == [a.to_dict() for a in two.articles]
    assert [(s.path, s.kind) for s in one.skipped] == [(s.path, s.kind) for s in two.skipped]
    assert (one.files_read, one.unchanged) == (two.files_read, two.unchanged)


def test_scraped_fixtures_through_ingest_byline_becomes_authors() -> None:
    arts = by_id(ingest([FIX / "scraped"]))
    assert sorted(arts) == ["caption_first", "repeated_title", "wire_story"]
    wire = arts["wire_story"]
    assert wire.authors == ["Ingrid Salo", "Marek Feld"]
    assert wire.meta_origin["authors"] == "byline"
    assert wire.captions == ["Photo: Anna Berg/Meridian"]
    assert {r.reason for r in wire.removed} >= {"byline", "timestamp", "credit", "ad-script"}
    assert arts["repeated_title"].title.startswith("Harbour pilots in Tarnby")
    assert arts["caption_first"].title is None
    assert all("Advertisement" not in a.text for a in arts.values())


def test_html_page_headline_not_repeated_in_text(tmp_path: Path) -> None:
    pytest.importorskip("newsprism.ingest.html")
    page = (
        "<!DOCTYPE html><html><head><title>Velin opens footbridge</title>"
        '<meta property="og:title" content="Velin opens footbridge">'
        '<link rel="canonical" href="https://www.velin-post.example/city/footbridge"></head><body>'
        "<article><h1>Velin opens footbridge</h1>"
        "<p>The city of Velin opened its new footbridge over the Aske river on Wednesday, the mayor said.</p>"
        "<p>About 3,000 people crossed it on the first day, according to city officials.</p>"
        "<p>The bridge cost 12 million crowns and took two years to build.</p></article></body></html>"
    )
    (tmp_path / "footbridge.html").write_text(page, encoding="utf-8")
    (art,) = ingest([tmp_path]).articles
    assert art.id == "footbridge" and art.title == "Velin opens footbridge"
    assert not art.text.startswith("Velin opens footbridge")
    assert art.text.startswith("The city of Velin opened its new footbridge")
    assert (art.source, art.meta_origin["source"]) == ("velin-post.example", "url-host")


def test_zip_members_dispatched_with_member_ids(tmp_path: Path) -> None:
    pytest.importorskip("newsprism.ingest.archives")
    import zipfile

    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as zf:
        zf.writestr("ferry.txt", STORY.replace("Tram line 4", "The Kessel ferry"))
        zf.writestr("market.txt", STORY.replace("Tram line 4", "Ostra market"))
        zf.writestr("empty.txt", "")
    result = ingest([tmp_path])
    assert [a.id for a in result.articles] == ["ferry", "market"]
    assert result.articles[0].path.endswith("bundle.zip#ferry.txt")
    assert [s.kind for s in result.skipped] == ["empty"]


def test_permission_error_becomes_unreadable(tmp_path: Path, monkeypatch) -> None:
    """Same as test_unreadable_file, but also runs as root (open() is made to refuse)."""
    import builtins

    import newsprism.ingest.files as files

    (tmp_path / "locked.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")

    def guarded_open(path, *args, **kwargs):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", guarded_open, raising=False)
    result = ingest([tmp_path])
    assert [a.id for a in result.articles] == ["ok"]
    (skip,) = result.skipped
    assert (Path(skip.path).name, skip.kind, skip.reason) == (
        "locked.txt",
        "unreadable",
        "unreadable: Permission denied",
    )


def test_malformed_records_skipped_good_records_kept(tmp_path: Path) -> None:
    pytest.importorskip("newsprism.ingest.jsonrec")
    good = json.dumps({"text": "Velin council approved the budget on Monday, officials said."})
    (tmp_path / "feed.jsonl").write_text(
        f"{good}\n{{broken json\n{good.replace('Monday', 'Friday')}\n", encoding="utf-8"
    )
    result = ingest([tmp_path])
    assert [a.id for a in result.articles] == ["feed-1", "feed-2"]
    (skip,) = result.skipped
    assert skip.kind == "malformed-json" and skip.reason


def test_guessed_outlet_names_take_the_declared_spelling() -> None:
    from newsprism.ingest.meta import outlet_key, unify_outlets
    from newsprism.model import Article

    def art(i: str, source: str, how: str) -> Article:
        return Article(id=i, text="x", source=source, meta_origin={"source": how})

    arts = [
        art("a", "The Valmer Gazette", "sidecar"),
        art("b", "valmer-gazette", "folder"),
        art("c", "www.valmergazette.example", "url-host"),
        art("d", "tidewater-post", "folder"),  # no declared name: left as it is
        art("e", "Valmer Gazette Weekly", "sidecar"),  # a different outlet, never renamed
    ]
    assert unify_outlets(arts) == {"b": "The Valmer Gazette", "c": "The Valmer Gazette"}
    assert [a.source for a in arts][3:] == ["tidewater-post", "Valmer Gazette Weekly"]
    assert outlet_key("The National Ledger") == outlet_key("national-ledger") == "nationalledger"
