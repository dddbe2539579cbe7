"""Hostile input and faults (issue 18): every bad input ends in one line naming the file and the
reason, the other inputs are kept, file names are never lost, cost stays bounded, symlinks do
not leak files, write faults exit with code 3 and leave the previous outputs intact.

All inputs are generated here (fictional outlets and events).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import EXIT_ERROR, main
from newsprism.ingest import IngestOptions, ingest
from newsprism.ingest.clean import clean_text
from newsprism.ingest.names import display_name, name_bytes, one_line
from newsprism.model import AnalysisResult, Article, Story
from newsprism.outputs import OutputError, render_markdown, result_to_document, write_outputs
from newsprism.store.sqlite import Store

GOOD = (
    "Ferry Pier Opens in Velmora\n\n"
    "The harbour board of Velmora opened the new ferry pier on Tuesday. "
    "Board chair Ilsa Brandt said the first boats would sail to Orrin Island in May.\n"
)


def _good(folder: Path, name: str = "good.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(GOOD, encoding="utf-8")
    return path


def _run(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, args)
    return res.exit_code, res.stdout, res.stderr


def _one_line_error(stderr: str, path: str | Path) -> str:
    """The single error line of a failed run (no traceback), which names ``path``."""
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("newsprism: error:")]
    assert len(errors) == 1, stderr
    assert str(path) in errors[0]
    return errors[0]


# -- 1. file names that are not UTF-8 ---------------------------------------------------------

needs_bytes_names = pytest.mark.skipif(
    sys.platform == "darwin", reason="the file system only accepts UTF-8 names"
)


@needs_bytes_names
def test_non_utf8_file_name_is_stored_escaped_and_keeps_the_others(tmp_path: Path) -> None:
    d = tmp_path / "in"
    _good(d)
    bad = os.fsdecode(bytes(d) + b"/ferry\xff\xfe notes.txt")
    Path(bad).write_text("Pier Notes\n\nMarta Quell said on Monday the pier was ready.\n")
    result = ingest([d])
    with Store(tmp_path / "s.db") as db:
        assert db.add_articles(result.articles) == 2  # the store used to roll back both
        stored = {a.id: a for a in db.articles()}
    assert len(stored) == 2 and not result.skipped
    (odd,) = [a for a in stored.values() if a.path and "ferry" in a.path]
    assert odd.path.endswith("ferry\\xff\\xfe notes.txt")
    assert name_bytes(odd.path) == os.fsencode(bad)  # lossless: the original bytes come back
    assert odd.text.startswith("Marta Quell said")


@needs_bytes_names
def test_non_utf8_file_name_through_the_cli(tmp_path: Path) -> None:
    d = tmp_path / "in"
    _good(d)
    Path(os.fsdecode(bytes(d) + b"/bad\xff.txt")).write_text("T\n\nJon Ask said on Monday.\n")
    code, _, err = _run(["ingest", str(d), "--store", str(tmp_path / "s.db")])
    assert code == 0, err
    assert "Traceback" not in err and "2 new articles" in err


def test_display_name_escapes_controls_and_backslashes_reversibly() -> None:
    for raw in [
        b"plain.txt",
        b"a\\xff.txt",
        b"line\nbreak.txt",
        b"\xe9t\xe9.txt",
        "é.txt".encode(),
    ]:
        shown = display_name(os.fsdecode(raw))
        assert "\n" not in shown
        shown.encode("utf-8")  # always storable
        assert name_bytes(shown) == raw
    assert display_name("plain/é.txt") == "plain/é.txt"  # ordinary names are untouched
    assert one_line("x#member\nname") == "x#member\\x0aname"


def test_lone_surrogate_in_a_json_record_is_stored(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    record = {
        "id": "r1",
        "title": "Bad \\ud800 Title",
        "text": "Ana Lis said the pier \\udcff opened.",
    }
    (d / "dump.jsonl").write_text(
        json.dumps(record).replace("\\\\u", "\\u") + "\n", encoding="utf-8"
    )
    with Store(tmp_path / "s.db") as db:
        db.add_articles(ingest([d]).articles)
        (a,) = db.articles()
    assert "\ufffd" in a.title and "\ufffd" in a.text


# -- every bad input class: one line naming the file, the others kept -------------------------

BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"   \n\n  ", "empty"),
    "nul.txt": (b"Pier\x00\x00\x00 opened\x00" * 20, "binary"),
    "blob.bin": (bytes(range(256)) * 8, "binary"),
    "broken.json": (b'{"id": "x", "text": "unterminated', "malformed-json"),
    "deep.jsonl": (b'{"a": ' * 2_000 + b"1" + b"}" * 2_000 + b"\n", "malformed-json"),
    "husk.html": (b"<html><body><div><span></span></div></body></html>", "malformed-html"),
    "broken.html": (b"<html><body><div><p>\xff\xfe<<<\x00", "malformed-html"),
    "big.txt": (b"The pier opened. " * 4000, "too-large"),
}


def test_each_bad_input_is_one_named_skip_and_good_ones_stay(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    d = tmp_path / "in"
    _good(d)
    for name, (data, _) in BAD_INPUTS.items():
        (d / name).write_bytes(data)
    with caplog.at_level(logging.WARNING, logger="newsprism"):
        result = ingest([d], IngestOptions(max_bytes=32 * 1024))
    assert [a.id for a in result.articles] == ["good"]
    by_name = {Path(s.path.split(":line")[0]).name: s for s in result.skipped}
    assert set(by_name) == set(BAD_INPUTS)
    for name, (_, kind) in BAD_INPUTS.items():
        skip = by_name[name]
        assert skip.kind == kind, (name, skip)
        assert skip.reason and "\n" not in skip.reason and "Traceback" not in skip.reason
    lines = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    for name in BAD_INPUTS:
        assert sum(name in line for line in lines) == 1, (name, lines)


def test_mis_encoded_text_is_read_not_skipped(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "latin.txt").write_bytes("Café Pier\n\nThe café by the pier reopened.\n".encode("cp1252"))
    (d / "half.txt").write_bytes(b"Pier\n\nThe pier \xff\xfe opened \xe2\x82 today.\n")
    result = ingest([d])
    texts = {a.id: a.text for a in result.articles}
    assert "café" in texts["latin"]
    assert "half" in texts or any(s.path.endswith("half.txt") for s in result.skipped)


# -- 2 and 3. bounded cost ---------------------------------------------------------------------


def test_split_text_pieces_are_bounded_and_lossless() -> None:
    from newsprism.nlp.bounds import split_text

    text = ("Para one has words. " * 30 + "\n\n") * 40 + "x" * 5000 + " tail"
    pieces = split_text(text, 1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert pieces[0].endswith("\n\n")  # cut at a paragraph break when there is one
    assert split_text("short", 1000) == ["short"]


@pytest.mark.slow
def test_long_text_is_parsed_in_pieces_with_the_same_offsets() -> None:
    from newsprism.nlp.bounds import pipe_bounded
    from newsprism.nlp.pipeline import load_nlp

    para = "Mayor Ilsa Brandt of Velmora said the ferry pier would open in May.\n\n"
    text = para * 40  # about 2,800 characters: six pieces of at most 500
    (doc,) = pipe_bounded(load_nlp(), [text], limit=500)
    assert doc.text == text
    people = [e for e in doc.ents if e.text == "Ilsa Brandt"]
    assert len(people) == 40
    assert all(text[e.start_char : e.end_char] == "Ilsa Brandt" for e in people)
    assert len(list(doc.sents)) >= 40


@pytest.mark.slow
def test_no_sentence_breaks_gives_bounded_sentences_and_attributions(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from newsprism.nlp import attributions as att_mod
    from newsprism.nlp.bounds import MAX_SENTENCE_TOKENS
    from newsprism.nlp.enrich import enrich_doc
    from newsprism.nlp.pipeline import parse

    clause = "the ferry council of Velmora said that the harbour pier would open in spring and "
    text = "Pier Opening\n\n" + clause * 80  # about 6,700 characters, no full stop at all
    doc = parse(text)
    assert doc.text == text
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS + 5
    article = Article(id="no-breaks", text=text)
    with caplog.at_level(logging.WARNING, logger="newsprism"):
        enriched = enrich_doc(article, doc)
    assert any("no-breaks" in r.getMessage() and "cut" in r.getMessage() for r in caplog.records)
    total = sum(len(c.text) for a in enriched.attributions for c in a.content)
    half_text = "Pier Opening\n\n" + clause * 40
    half = enrich_doc(Article(id="half", text=half_text), parse(half_text))
    half_total = sum(len(c.text) for a in half.attributions for c in a.content)
    assert half_total > 0 and total / half_total <= 2.5  # linear in size, not quadratic
    for a in enriched.attributions:
        assert sum(len(c.text) for c in a.content) <= att_mod.MAX_CONTENT_CHARS
        for c in a.content:
            assert text[c.start : c.end] == c.text


@pytest.mark.slow
def test_attribution_content_cap_cuts_at_a_word_and_notes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsprism.nlp import attributions as att_mod
    from newsprism.nlp.pipeline import parse

    monkeypatch.setattr(att_mod, "MAX_CONTENT_CHARS", 60)
    text = (
        "Harbour master Oskar Lind said the new pier would carry two ferries a day, "
        "that the old quay would close for repairs in the autumn, and that fares would not rise."
    )
    doc = parse(text)
    atts = att_mod.extract_attributions(doc)
    assert atts and all(sum(len(c.text) for c in a.content) <= 60 for a in atts)
    assert doc.user_data.get(att_mod.CONTENT_CUTS_KEY, 0) >= 1
    for a in atts:
        for c in a.content:
            assert text[c.start : c.end] == c.text
            assert c.end == len(text) or not text[c.end - 1 : c.end + 1].isalpha()


# -- 4. symlinks -------------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "passwords.txt").write_text("Secret Ledger\n\nroot said the key is 1234.\n")
    d = tmp_path / "in"
    _good(d)
    (d / "p.txt").symlink_to(secret / "passwords.txt")
    (d / "outside").symlink_to(secret, target_is_directory=True)
    (d / "also.txt").symlink_to(d / "good.txt")  # inside the input folder: fine
    (d / "sub").mkdir()
    (d / "sub" / "loop").symlink_to(d, target_is_directory=True)
    return d


def test_symlink_outside_the_inputs_is_refused_with_a_message(linked: Path) -> None:
    result = ingest([linked])
    assert all("Secret" not in (a.title or "") for a in result.articles)
    refused = {Path(s.path).name: s for s in result.skipped if s.kind == "symlink-outside"}
    assert set(refused) == {"p.txt", "outside"}
    assert "--follow-symlinks" in refused["p.txt"].reason
    assert any(s.kind == "symlink-loop" for s in result.skipped)  # loops: as before
    assert [a.title for a in result.articles] == ["Ferry Pier Opens in Velmora"]  # once


def test_follow_symlinks_reads_them(linked: Path) -> None:
    result = ingest([linked], IngestOptions(follow_symlinks=True))
    titles = [a.title for a in result.articles]
    assert titles.count("Secret Ledger") == 1  # through the file link; the folder is the same file
    assert not [s for s in result.skipped if s.kind == "symlink-outside"]


def test_symlink_matched_by_a_glob_is_refused_but_a_named_one_is_read(linked: Path) -> None:
    result = ingest([str(linked / "*.txt")])
    assert {Path(s.path).name for s in result.skipped if s.kind == "symlink-outside"} == {"p.txt"}
    named = ingest([linked / "p.txt"])  # the user named this very file
    assert [a.title for a in named.articles] == ["Secret Ledger"]


def test_cli_follow_symlinks_flag(linked: Path, tmp_path: Path) -> None:
    code, _, err = _run(["ingest", str(linked), "--store", str(tmp_path / "a.db")])
    assert code == 0 and "symlink pointing outside the input folders" in err
    code, _, err = _run(
        ["ingest", str(linked), "--store", str(tmp_path / "b.db"), "--follow-symlinks"]
    )
    assert code == 0 and "symlink-outside" not in err


# -- 5. write faults -------------------------------------------------------------------------


def _result() -> AnalysisResult:
    art = Article(id="pier", text=GOOD, title="Ferry Pier Opens", source="Velmora Post")
    return AnalysisResult(articles=[art], stories=[Story("story-0001", art.title or "", ["pier"])])


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the outputs and their cache) with its content."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
)
def test_write_fault_keeps_previous_outputs_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    out = tmp_path / "out"
    write_outputs(_result(), out)
    before = _snapshot(out)
    real_open = os.open
    calls = {"n": 0}

    def failing_open(path, flags, mode=0o777, *a, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:  # the second output file fails, after the first one was written
            raise error
        return real_open(path, flags, mode, *a, **kw)

    monkeypatch.setattr(os, "open", failing_open)
    with pytest.raises(OutputError) as info:
        write_outputs(_result(), out)
    monkeypatch.undo()
    assert str(out / "report.md") in str(info.value)
    assert error.strerror in str(info.value)
    assert _snapshot(out) == before  # previous outputs intact, no temporary file left


def test_a_failure_midway_through_the_reports_keeps_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are written story by story: a renderer that fails after the first parts
    were written leaves the previous outputs (and their cache) as they were, no temporary file."""
    from newsprism.outputs import pieces

    out = tmp_path / "out"
    write_outputs(_result(), out)
    before = _snapshot(out)
    changed = _result()
    changed.stories[0].title = "Ferry Pier Opens Late"  # a new record: rendered again

    def failing(*args: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(pieces, "story_html", failing)
    with pytest.raises(RuntimeError, match="renderer failed"):
        write_outputs(changed, out)
    assert _snapshot(out) == before


def test_disk_full_while_writing_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):  # type: ignore[no-untyped-def]
            self.fh = fh

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **kw: Full(real_fdopen(fd, *a, **kw)))
    with pytest.raises(OutputError, match="No space left"):
        write_outputs(_result(), out)
    assert list(out.iterdir()) == []


def test_output_path_through_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "report"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="report/sub"):
        write_outputs(_result(), blocker / "sub")
    with pytest.raises(OutputError, match="file is in the way"):
        write_outputs(_result(), blocker)


@pytest.fixture
def fake_analyze(monkeypatch: pytest.MonkeyPatch) -> None:
    """``newsprism analyze`` without the NLP models: the run itself returns a fixed result."""
    import newsprism.api

    monkeypatch.setattr(newsprism.api, "analyze", lambda *a, **kw: _result())


def test_cli_output_through_a_file_exits_3_with_one_line(
    tmp_path: Path, fake_analyze: None
) -> None:
    _good(tmp_path / "in")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _run(
        [
            "analyze",
            str(tmp_path / "in"),
            "-o",
            str(blocker / "sub"),
            "--store",
            str(tmp_path / "s.db"),
        ]
    )
    assert code == EXIT_ERROR
    _one_line_error(err, blocker / "sub")


def test_cli_unwritable_output_folder_exits_3(
    tmp_path: Path, fake_analyze: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _good(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    real_open = os.open

    def no_write(path, flags, *a, **kw):  # type: ignore[no-untyped-def]
        if str(path).startswith(str(out)) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", no_write)
    code, _, err = _run(
        ["analyze", str(tmp_path / "in"), "-o", str(out), "--store", str(tmp_path / "s.db")]
    )
    monkeypatch.undo()
    assert code == EXIT_ERROR
    assert "Permission denied" in _one_line_error(err, out)
    assert list(out.iterdir()) == []


def test_cli_store_disk_full_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsprism.api

    def full(*a, **kw):  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(newsprism.api, "analyze", full)
    _good(tmp_path / "in")
    out = tmp_path / "out"
    code, _, err = _run(["analyze", str(tmp_path / "in"), "-o", str(out)])
    assert code == EXIT_ERROR
    assert "disk is full" in _one_line_error(err, "store")
    assert not out.exists() or not [p for p in out.iterdir() if p.suffix != ".db"]


def test_cli_store_under_a_file_exits_3(tmp_path: Path) -> None:
    _good(tmp_path / "in")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _run(["ingest", str(tmp_path / "in"), "--store", str(blocker / "s.db")])
    assert code == EXIT_ERROR
    _one_line_error(err, blocker)


# -- 6. Markdown escaping, sidecars, zero-width joiners ---------------------------------------


def test_markdown_escapes_raw_html_from_articles() -> None:
    art = Article(
        id="pier",
        text=GOOD,
        title='Pier <img src=x onerror="alert(1)"> Opens',
        source="<script>steal()</script> Post",
        path="in/<b>odd</b>.txt",
    )
    result = AnalysisResult(
        articles=[art], stories=[Story("story-0001", art.title or "", ["pier"])]
    )
    doc = result_to_document(result)
    doc["skipped"] = [{"path": "in/<svg onload=x>.txt", "kind": "binary", "reason": "binary <i>"}]
    md = render_markdown(doc)
    assert "<img" not in md and "<script" not in md and "<svg" not in md and "<i>" not in md
    assert "&lt;img src=x onerror=" in md
    assert "[x](javascript:" not in render_markdown(
        {**doc, "skipped": [{"path": "p", "kind": "k", "reason": "[x](javascript:alert(1))"}]}
    )


def test_sidecar_applies_to_single_article_files_only(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    rows = [
        {
            "id": "a",
            "title": "Pier Opens",
            "source": "Velmora Post",
            "text": "Ana Lis said the pier opened.",
        },
        {"id": "b", "title": "Quay Closes", "text": "Bo Rand said the quay closed for repairs."},
    ]
    (d / "dump.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    side = {"title": "Sidecar Title", "source": "Sidecar Outlet", "published": "2031-04-02"}
    (d / "dump.jsonl.meta.json").write_text(json.dumps(side))
    _good(d, "single.txt")
    (d / "single.txt.meta.json").write_text(json.dumps(side))
    arts = {a.id: a for a in ingest([d]).articles}
    assert (arts["a"].title, arts["a"].source) == ("Pier Opens", "Velmora Post")
    assert arts["b"].title == "Quay Closes" and arts["b"].source != "Sidecar Outlet"
    assert arts["b"].published is None
    assert arts["single"].source == "Sidecar Outlet"
    assert arts["single"].meta_origin["source"] == "sidecar"


def test_zero_width_joiners_in_emoji_and_scripts_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    cleaned = clean_text(
        f"Pier Day\n\nThe crowd {family} cheered.\nA sign read {persian}.\nZero\u200bwidth.\n"
    )
    assert family in cleaned.text and persian in cleaned.text
    assert "Zerowidth." in cleaned.text


def test_duplicate_ids_in_stage_input_are_named_and_skipped(tmp_path: Path) -> None:
    from newsprism.stages import BadRecord, read_records

    path = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}, {"id": "a", "text": "Three."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = list(read_records(path, ("id", "text")))
    assert [r["text"] for r in items if isinstance(r, dict)] == ["One.", "Two."]
    (bad,) = [r for r in items if isinstance(r, BadRecord)]
    assert bad.where == f"{path}:3" and "duplicate id" in bad.reason and "line 1" in bad.reason
