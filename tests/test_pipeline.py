"""End to end: `newsprism analyze` over the bundled sample corpus and the real seed articles."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsprism.cli import main
from newsprism.model import (
    STORED_LAZILY,
    AnalysisResult,
    Article,
    BriefLine,
    Entity,
    Skipped,
    StoredStory,
    Story,
    Storyline,
)
from newsprism.outputs import pieces as pieces_mod
from newsprism.outputs import render_html, render_markdown, result_to_document, write_outputs
from newsprism.outputs.document import document_json
from newsprism.record import story_to_dict
from newsprism.store.sqlite import Store
from newsprism.text import content_hash

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"

EXPECTED = json.loads((EXAMPLES.parent / "expected.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.slow


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:
    out = tmp_path_factory.mktemp("corpus-out")
    code, stdout, stderr = _run(["analyze", str(EXAMPLES), "-o", str(out)])
    assert code == 0, stderr
    return json.loads((out / "stories.json").read_text(encoding="utf-8")), out, stdout


def _story_of(doc: dict) -> dict[str, str]:
    path_to_id = {Path(a["path"]).resolve(): a["id"] for a in doc["articles"]}
    story_of_id = {aid: s["id"] for s in doc["stories"] for aid in s["articles"]}
    return {str(p.relative_to(EXAMPLES.resolve())): story_of_id[i] for p, i in path_to_id.items()}


def test_sample_corpus_outputs_exist_and_cli_says_where(corpus_run: tuple[dict, Path, str]) -> None:
    doc, out, stdout = corpus_run
    for name in ("stories.json", "report.md", "report.html", "newsprism.db"):
        assert (out / name).is_file(), name
    assert f"report: {out / 'report.html'}" in stdout
    assert doc["summary"]["skipped"] == 0
    # outlets guessed from folder names take the declared spelling of the same outlet
    outlets = {a["source"] for a in doc["articles"]}
    assert outlets == {"Meridian Wire", "The National Ledger", "Harbour Courier", "KBN News"}


def test_sample_corpus_clusters_into_its_stories(corpus_run: tuple[dict, Path, str]) -> None:
    doc, _, _ = corpus_run
    story_of = _story_of(doc)
    expected = [set(s["files"]) for s in EXPECTED["stories"]]
    assert sorted(map(len, expected)) == sorted(len(s["articles"]) for s in doc["stories"])
    for files in expected:
        assert len({story_of[f] for f in files}) == 1, f"split: {files}"


def test_every_citation_quotes_the_cited_article(corpus_run: tuple[dict, Path, str]) -> None:
    doc, _, _ = corpus_run
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    n = 0
    for story in doc["stories"]:
        assert story["brief"], f"{story['id']} has no brief"
        for line in story["brief"]:
            assert line["citations"]
            for c in line["citations"]:
                cited = texts[c["article"]][c["start"] : c["end"]]
                assert cited.strip() and cited == cited.strip()
                n += 1
            # the line is made only of cited spans, verbatim (conflict lines join both sides)
            spans = {texts[c["article"]][c["start"] : c["end"]] for c in line["citations"]}
            for part in line["text"].split(" | "):
                assert part in spans, part
        for fact in story.get("facts", []):
            for src in fact["sources"]:
                assert texts[src["article"]][src["start"] : src["end"]] == src["text"]
    assert n >= 10


def test_wire_reprint_is_linked_to_its_original(corpus_run: tuple[dict, Path, str]) -> None:
    doc, _, _ = corpus_run
    by_path = {
        str(Path(a["path"]).resolve().relative_to(EXAMPLES.resolve())): a for a in doc["articles"]
    }
    for group in EXPECTED["wire_copies"]:
        arts = [by_path[f] for f in group]
        originals = [a for a in arts if not a["duplicate_of"]]
        assert len(originals) == 1, group
        assert all(a["duplicate_of"] == originals[0]["id"] for a in arts if a is not originals[0])


def test_rerun_is_incremental(corpus_run: tuple[dict, Path, str], tmp_path: Path) -> None:
    doc, out, _ = corpus_run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    code, _, _ = _run(["analyze", str(EXAMPLES), "-o", str(work)])
    assert code == 0
    again = json.loads((work / "stories.json").read_text(encoding="utf-8"))
    assert again["summary"]["new_articles"] == 0
    assert again["summary"]["unchanged"] == len(doc["articles"])
    assert _story_of(again) == _story_of(doc)


def test_seeds_are_one_clean_story(seeds_dir: Path, tmp_path: Path) -> None:
    code, _, stderr = _run(["analyze", str(seeds_dir), "-o", str(tmp_path)])
    assert code == 0, stderr
    doc = json.loads((tmp_path / "stories.json").read_text(encoding="utf-8"))
    assert len(doc["articles"]) == 2
    assert len(doc["stories"]) == 1
    for a in doc["articles"]:
        for junk in ("Advertisement'; }", "< /p>", "Original Source Link"):
            assert junk not in a["text"], (a["id"], junk)
    by_id = {a["id"]: a for a in doc["articles"]}
    title = (
        "The leader of the People’s Republic of China, Xi Jinping, will visit Russia on March 20-22"
    )
    assert by_id["004_6cf93bea9fa67504"]["title"] == title
    assert by_id["004_6cf93bea9fa67504"]["text"].count(title) <= 1
    assert by_id["000_26e049f72bfdd22e"]["captions"][0].startswith("This photo combination shows")


def test_bad_files_are_named_and_the_rest_is_analyzed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good = sorted(EXAMPLES.glob("meridian-wire/*.txt"))[:2]
    for f in good:
        shutil.copy(f, src / f.name)
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.txt").write_bytes(bytes(range(256)) * 40)
    latin = (
        "Le maire de Valcourt a déclaré que le pont rouvrira à l'été. Les travaux coûtent cher.\n"
    )
    (src / "latin1.txt").write_bytes(("Pont de Valcourt\n\n" + latin * 5).encode("latin-1"))
    code, _, stderr = _run(["analyze", str(src), "-o", str(tmp_path / "out")])
    assert code == 0, stderr
    lines = stderr.splitlines()
    assert sum("empty.txt" in ln for ln in lines) == 1
    assert sum("photo.txt" in ln for ln in lines) == 1
    assert not any("latin1.txt" in ln for ln in lines)
    assert "2 skipped" in stderr
    doc = json.loads((tmp_path / "out" / "stories.json").read_text(encoding="utf-8"))
    ids = {a["id"] for a in doc["articles"]}
    assert ids == {f.stem for f in good} | {"latin1"}
    latin_text = next(a["text"] for a in doc["articles"] if a["id"] == "latin1")
    assert "déclaré" in latin_text
    code, _, _ = _run(["analyze", str(src), "-o", str(tmp_path / "out2"), "--strict"])
    assert code == 1


def test_nothing_readable_is_exit_code_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, _, stderr = _run(["analyze", str(tmp_path), "-o", str(tmp_path / "out")])
    assert code == 1
    assert "no articles" in stderr


def test_sidecar_metadata_reaches_stories_json(corpus_run: tuple[dict, Path, str]) -> None:
    doc, _, _ = corpus_run
    checked = 0
    for a in doc["articles"]:
        sidecar = Path(a["path"]).with_suffix(".meta.json")
        if not sidecar.exists():
            continue
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if "published" in meta:
            assert a["published"] == meta["published"], a["id"]
            assert a["meta_origin"]["published"] == "sidecar"
            checked += 1
        if "source" in meta:
            assert a["source"] == meta["source"]
    assert checked >= 10


def _spy(
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    name: str,
    note: Callable[..., Any],
    calls: list[Any],
) -> list[Any]:
    """Wrap ``module.name`` so that each call appends ``note(*args)`` to ``calls``, then runs."""
    original = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(note(*args))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def _counting_compare(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every story compared from now on: its article ids."""
    from newsprism.stories import compare as compare_mod

    return _spy(
        monkeypatch, compare_mod, "compare_story", lambda arts, *_: [a.id for a in arts], []
    )


def test_unchanged_stories_are_reused_not_compared_again(
    corpus_run: tuple[dict, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, out, _ = corpus_run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    calls = _counting_compare(monkeypatch)
    code, _, err = _run(["analyze", str(EXAMPLES), "-o", str(work)])
    assert code == 0, err
    again = json.loads((work / "stories.json").read_text(encoding="utf-8"))
    assert calls == []  # every story came from the store
    assert again["stories"] == doc["stories"]
    # the closing line counts what the run held (read before its records are let go)
    n = len(doc["articles"])
    assert f"0 skipped, {n} unchanged; {n} articles in {len(doc['stories'])} stories (" in err


def test_another_sentence_encoder_compares_every_story_again(
    corpus_run: tuple[dict, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claims' vectors, and with them the judge's verdicts, come from the sentence encoder:
    a stored story is never reused under another one."""
    _, out, _ = corpus_run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    monkeypatch.setenv("NEWSPRISM_EMBEDDER", "onnx")  # the run above used the default, int8
    calls = _counting_compare(monkeypatch)
    code, _, err = _run(["analyze", str(EXAMPLES), "-o", str(work)])
    assert code == 0, err
    again = json.loads((work / "stories.json").read_text(encoding="utf-8"))
    assert sorted(map(sorted, calls)) == sorted(sorted(s["articles"]) for s in again["stories"])


def test_articles_enriched_by_another_version_are_named_and_redone_on_request(
    corpus_run: tuple[dict, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store enriched by an older newsprism: the run says how many records are stale and
    keeps them; with --reenrich it enriches those again (and only those), and the result is a
    fresh run's. A second --reenrich run finds nothing left to redo (a stopped redo resumes)."""
    import sqlite3

    from newsprism.engine import local
    from newsprism.nlp.enrich import enricher_id

    doc, out, _ = corpus_run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    db = work / "newsprism.db"
    old = sorted(a["id"] for a in doc["articles"])[:2]
    with sqlite3.connect(db) as con:
        con.executemany(
            "UPDATE enrichment SET data = json_set(data, '$.enricher', 'an older one') "
            "WHERE article_id = ?",
            [(i,) for i in old],
        )

    def enrichers() -> dict[str, str]:
        with sqlite3.connect(db) as con:
            rows = con.execute(
                "SELECT article_id, json_extract(data, '$.enricher') FROM enrichment"
            )
            return dict(rows.fetchall())

    enriched = _spy(monkeypatch, local, "enrich", lambda todo, *_: [a.id for a in todo], [])
    code, _, err = _run(["analyze", str(EXAMPLES), "-o", str(work)])
    assert code == 0, err
    n = len(doc["articles"])
    assert f"2 of {n} stored articles were enriched by another version of newsprism" in err
    assert "--reenrich" in err
    assert enriched == [] and {i for i, e in enrichers().items() if e != enricher_id()} == set(old)

    code, _, err = _run(["analyze", str(EXAMPLES), "-o", str(work), "--reenrich"])
    assert code == 0, err
    assert "another version" not in err
    assert enriched == [old]  # the stale ones, and no other
    assert set(enrichers().values()) == {enricher_id()}
    again = json.loads((work / "stories.json").read_text(encoding="utf-8"))
    assert again["stories"] == doc["stories"]

    code, _, err = _run(["analyze", str(EXAMPLES), "-o", str(work), "--reenrich"])
    assert code == 0, err
    assert enriched == [old]  # nothing left to redo


def test_new_articles_join_the_stories_already_in_the_store(
    corpus_run: tuple[dict, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Analyze half the corpus, then all of it with the same store: old articles keep their
    stories and the new ones join them (the story grouping equals the planted one). Only the
    stories that changed are compared again, and the result equals a fresh run."""
    first, later = tmp_path / "first", tmp_path / "all"
    for n, txt in enumerate(sorted(EXAMPLES.rglob("*.txt"))):
        for f in (txt, txt.with_suffix(".meta.json")):
            rel = f.relative_to(EXAMPLES)
            for dest in [first, later] if n % 2 == 0 else [later]:
                if f.exists():
                    (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(f, dest / rel)
    store = tmp_path / "archive.db"
    code, _, err = _run(["analyze", str(first), "-o", str(tmp_path / "o1"), "--store", str(store)])
    assert code == 0, err
    before = json.loads((tmp_path / "o1" / "stories.json").read_text(encoding="utf-8"))
    calls = _counting_compare(monkeypatch)
    # of the stored articles, the run reads outlines, and whole records only for the stories
    # it compares again (never every record)
    from newsprism.store.sql import SQLStore

    read = _spy(monkeypatch, SQLStore, "enrichment_of", lambda _db, ids: list(ids), [])
    monkeypatch.setattr(SQLStore, "enrichment", lambda _db: pytest.fail("read every record"))
    code, _, err = _run(["analyze", str(later), "-o", str(tmp_path / "o2"), "--store", str(store)])
    assert code == 0, err
    after = json.loads((tmp_path / "o2" / "stories.json").read_text(encoding="utf-8"))
    assert after["summary"]["new_articles"] == len(after["articles"]) - len(before["articles"]) > 0
    assert {i for ids in read for i in ids} == {i for c in calls for i in c}
    members = {frozenset(s["articles"]) for s in after["stories"]}
    expected = {frozenset(Path(f).stem for f in s["files"]) for s in EXPECTED["stories"]}
    assert members == expected
    for old in before["stories"]:  # no story of the first run was split
        assert any(set(old["articles"]) <= m for m in members)
    unchanged = members & {frozenset(s["articles"]) for s in before["stories"]}
    compared = {frozenset(c) for c in calls}
    assert members - unchanged <= compared  # every story with new members is compared again
    # (a story with the same members is compared again only when what it shows changed, e.g.
    # an entity it names gained a spelling in another story); the rest come from the store
    assert len(calls) < len(members)
    # the same as analysing all at once; storyline ids are kept from the first run (a storyline
    # keeps its id as it grows), so the grouping is compared rather than the ids
    fresh = corpus_run[0]["stories"]

    def strip(stories: list[dict]) -> list[dict]:
        return [{k: v for k, v in s.items() if k != "storyline"} for s in stories]

    def grouping(stories: list[dict]) -> set[frozenset[str]]:
        by_line: dict[str, set[str]] = {}
        for s in stories:
            by_line.setdefault(s["storyline"], set()).add(s["id"])
        return {frozenset(v) for v in by_line.values()}

    assert strip(after["stories"]) == strip(fresh)
    assert grouping(after["stories"]) == grouping(fresh)


def test_a_changed_file_replaces_its_stored_version_and_a_namesake_gets_its_own_id(
    tmp_path: Path,
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    story = "Lenby orchard growers blockade the ring road\n\nApple growers drove {n} tractors onto the Lenby ring road on Friday to protest against falling prices, the growers' association said.\n"
    (one / "report.txt").write_text(story.format(n="forty"), encoding="utf-8")
    store = str(tmp_path / "s.db")
    assert _run(["analyze", str(one), "-o", str(tmp_path / "o"), "--store", store])[0] == 0
    (one / "report.txt").write_text(story.format(n="sixty"), encoding="utf-8")
    (two / "report.txt").write_text(
        "Tram drivers in Osterby vote to strike\n\nTram drivers in Osterby voted on Monday to strike for two days next month, their union said.\n",
        encoding="utf-8",
    )
    code, _, err = _run(
        ["analyze", str(one), str(two), "-o", str(tmp_path / "o"), "--store", store]
    )
    assert code == 0, err
    doc = json.loads((tmp_path / "o" / "stories.json").read_text(encoding="utf-8"))
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    assert set(texts) == {"report", "report-2"}
    assert "sixty tractors" in texts["report"] and "forty" not in texts["report"]
    assert "Osterby" in texts["report-2"]
    # the old version's enrichment is gone: every span points into the new text
    for story in doc["stories"]:
        for fact in story.get("facts", []):
            for src in fact["sources"]:
                assert texts[src["article"]][src["start"] : src["end"]] == src["text"]
        for att in story.get("attributions", []):
            for span in [att["source"], att["cue"], *att["content"]]:
                if span:
                    assert texts[att["article"]][span["start"] : span["end"]] == span["text"]


@pytest.mark.slow
def test_spacy_loads_without_torch_and_torch_stays_importable() -> None:
    """Parsing never needs torch (newsprism.runtime): in a fresh process the pipeline loads
    and parses without importing it, and the encoder's fallback can still import it."""
    import subprocess

    code = (
        "import sys\n"
        "from newsprism.nlp.pipeline import load_nlp\n"
        "doc = load_nlp()('The harbour board met in Dunmore on Monday.')\n"
        "assert len(doc) > 5 and 'torch' not in sys.modules, sorted(sys.modules)\n"
        "import thinc.compat\n"
        "assert not thinc.compat.has_torch\n"
        "import torch\n"
        "assert torch.zeros(2).sum().item() == 0\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


# -- outputs and stored records proportional to what changed (issue 12) ---------------------

_GENERATED = re.compile(r'("generated_at": |generated )"?\d{4}-\d\d-\d\dT[\d:]+\+00:00"?')


def _files(folder: Path) -> dict[str, str]:
    """The three output files, their generation time masked."""
    names = ("stories.json", "report.md", "report.html")
    return {n: _GENERATED.sub(r"\1<when>", (folder / n).read_text(encoding="utf-8")) for n in names}


def _rendered_whole(result: AnalysisResult) -> dict[str, str]:
    """The three files as the whole-document renderers give them (no cache, no stored text)."""
    doc = result_to_document(result)
    texts = {
        "stories.json": document_json(doc),
        "report.md": render_markdown(doc),
        "report.html": render_html(doc),
    }
    return {n: _GENERATED.sub(r"\1<when>", t) for n, t in texts.items()}


def _result_of(doc: dict) -> AnalysisResult:
    """An analysis result read back from its ``stories.json``."""
    return AnalysisResult(
        articles=[Article.from_dict(a) for a in doc["articles"]],
        stories=[Story.from_dict(s) for s in doc["stories"]],
        skipped=[Skipped.from_dict(s) for s in doc["skipped"]],
        files_read=doc["summary"]["files_read"],
        entities=[Entity.from_dict(e) for e in doc["entities"]],
        unchanged=doc["summary"]["unchanged"],
        new_articles=doc["summary"]["new_articles"],
        storylines=[Storyline.from_dict(line) for line in doc["storylines"]],
    )


def _counting_sections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every story section rendered from now on: (format, story id)."""
    calls: list[tuple[str, str]] = []
    _spy(monkeypatch, pieces_mod, "story_markdown", lambda story, *_: ("md", story["id"]), calls)
    _spy(monkeypatch, pieces_mod, "story_html", lambda story, *_: ("html", story["id"]), calls)
    return calls


def test_outputs_from_a_warm_cache_equal_a_whole_render_after_one_story_changed(
    corpus_run: tuple[dict, Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, out, _ = corpus_run
    result = _result_of(doc)
    # the CLI's files (written from the stored story texts) are the whole render's
    assert _files(out) == _rendered_whole(result)
    warm = tmp_path / "warm"
    shutil.copytree(out, warm)  # the outputs and their cache
    assert any((warm / ".cache").rglob("*.piece"))

    calls = _counting_sections(monkeypatch)
    write_outputs(result, warm)
    assert calls == []  # nothing changed: every section came from the cache
    assert _files(warm) == _rendered_whole(result)

    # one story's brief changes; an article of another story gets a new title
    changed, other = result.stories[0], result.stories[-1]
    assert changed.brief and changed is not other
    changed.brief[0] = BriefLine(
        "Rewritten: " + changed.brief[0].text, changed.brief[0].citations, changed.brief[0].section
    )
    retitled = next(a for a in result.articles if a.id == other.articles[0])
    retitled.title = "A <new> title & more"
    write_outputs(result, warm)
    assert sorted(set(calls)) == sorted(
        (kind, s.id) for kind in ("html", "md") for s in (changed, other)
    )
    assert _files(warm) == _rendered_whole(result)
    fresh = tmp_path / "fresh"
    write_outputs(result, fresh)  # no cache at all
    assert _files(fresh) == _files(warm)
    assert "Rewritten: " in _files(warm)["report.md"]
    assert "A &lt;new&gt; title &amp; more" in _files(warm)["report.html"]
    # the entries no story uses any more (the two changed stories' old ones) are removed
    assert len([p for p in (warm / ".cache").rglob("*") if p.is_file()]) == len(result.stories)


def test_a_grown_archive_stores_each_story_as_its_record_and_renders_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Analyze the corpus but one article into a store, then all of it: the stories left as
    they were are written with their stored text (not encoded again), every stored text is what
    a fresh encoding gives, and the outputs written over the first run's (a warm cache) equal a
    whole render."""
    from newsprism.api import AnalyzeOptions, analyze  # heavy: loads spaCy and torch

    first, later = tmp_path / "first", tmp_path / "all"
    shutil.copytree(EXAMPLES, first)
    shutil.copytree(EXAMPLES, later)
    added = Path("kbn-news/dravetz-textile-fire.txt")
    (first / added).unlink()
    (first / added.with_suffix(".meta.json")).unlink(missing_ok=True)
    store, out = tmp_path / "archive.db", tmp_path / "out"
    options = AnalyzeOptions(workers=1)
    write_outputs(analyze([first], options, store=store), out)
    with Store(store) as db:
        stored = db.story_texts()
    calls = _counting_compare(monkeypatch)
    result = analyze([later], options, store=store)
    assert result.new_articles == 1 and 0 < len(calls) < len(result.stories)
    # every story is held as its record, and nothing read its comparison yet: reused or
    # compared in this run, none was decoded (storylines read timelines, kept decoded)
    assert all(isinstance(s, StoredStory) for s in result.stories)
    assert not any(_decoded(s) for s in result.stories)

    by_id = {a.id: a for a in result.articles}
    assert set(result.story_texts) == {s.id for s in result.stories}
    for s in result.stories:
        assert result.story_texts[s.id] == json.dumps(story_to_dict(s, by_id))
    kept = {s.id for s in result.stories if result.story_texts[s.id] == stored.get(s.id)}
    assert len(kept) == len(result.stories) - len(calls)
    with Store(store) as db:
        assert db.story_texts() == result.story_texts
    write_outputs(result, out)
    assert _files(out) == _rendered_whole(result)


def test_reused_stories_use_the_digests_the_state_notes_for_their_texts(
    corpus_run: tuple[dict, Path, str], tmp_path: Path
) -> None:
    """The story keys' state notes, for each stored text, the digest of its rebuilt fields, so
    a reused story's text is not decoded to compare them. Without those notes (a store of an
    older version), the texts are written anew from the rebuilt fields: the same records."""
    from newsprism.api import AnalyzeOptions, analyze  # heavy: loads spaCy and torch

    _, out, _ = corpus_run
    store = tmp_path / "np.db"
    shutil.copy(out / "newsprism.db", store)
    with Store(store) as db:
        state = db.get_state("story_keys")
        texts = db.story_texts()
    assert set(state["fields"]) == set(state["keys"])
    for key, sid in state["keys"].items():
        text_hash, _ = state["fields"][key]
        assert text_hash == content_hash(texts[sid])
    with Store(store) as db:
        db.set_state("story_keys", {"keys": state["keys"]})
    result = analyze([EXAMPLES], AnalyzeOptions(workers=1), store=store)
    assert result.story_texts == texts
    with Store(store) as db:
        assert db.get_state("story_keys") == state


def test_a_reused_story_stored_with_other_field_values_is_written_as_its_record(
    corpus_run: tuple[dict, Path, str], tmp_path: Path
) -> None:
    """A stored story whose record differs from what this run makes of it in any one field
    (another story's value put in its stored text) is still reused, and the text written for
    it is its record as a fresh encoding gives it: a field rebuilt on every run (id, title,
    entities, storyline...) is not left as it was stored."""
    from newsprism.api import AnalyzeOptions, analyze  # heavy: loads spaCy and torch

    _, out, _ = corpus_run
    store = tmp_path / "np.db"
    shutil.copy(out / "newsprism.db", store)
    with Store(store) as db:
        records = {sid: json.loads(text) for sid, text in db.story_texts().items()}
    ids = sorted(records)
    fields = sorted({k for r in records.values() for k in r})
    todo = [
        (k, sid, other)
        for k in fields
        for sid, other in zip(ids, ids[1:] + ids[:1], strict=True)
        if records[sid].get(k, "-") != records[other].get(k, "-")
    ]
    assert {"id", "title", "entities", "attributions", "storyline", "facts"} <= {
        k for k, *_ in todo
    }
    tampered_fields = set()
    while todo:
        rounds: dict[str, tuple[str, str]] = {}  # one field per story and run
        for k, sid, other in list(todo):
            if sid not in rounds and k not in {f for f, _ in rounds.values()}:
                rounds[sid] = (k, other)
                todo.remove((k, sid, other))
        with Store(store) as db:
            texts = db.story_texts()
            for sid, (k, other) in rounds.items():
                record = json.loads(texts[sid])
                if k in records[other]:
                    record[k] = records[other][k]
                else:
                    del record[k]
                db._exec("UPDATE stories SET data = ? WHERE id = ?", (json.dumps(record), sid))
            db.db.commit()
        result = analyze([EXAMPLES], AnalyzeOptions(workers=1), store=store)
        by_id = {a.id: a for a in result.articles}
        for s in result.stories:
            assert result.story_texts[s.id] == json.dumps(story_to_dict(s, by_id)), rounds
        tampered_fields |= {k for k, _ in rounds.values()}
    assert tampered_fields == {
        k for k in fields if len({json.dumps(r.get(k)) for r in records.values()}) > 1
    }


def _decoded(story: Story) -> bool:
    """Whether any lazily decoded field of a stored story has been read (or set)."""
    for name in STORED_LAZILY:
        try:
            Story.__dict__[name].__get__(story, type(story))
            return True
        except AttributeError:
            pass
    return False


def test_a_story_held_as_its_record_is_the_story(corpus_run: tuple[dict, Path, str]) -> None:
    """A StoredStory reads, compares, encodes and pickles as the story its record holds, and
    decodes the record only when a lazy field is first read."""
    import pickle

    doc, _, _ = corpus_run
    record = max(doc["stories"], key=lambda r: len(r["facts"]))
    text = json.dumps(record)
    whole = Story.from_dict(record)
    eager = {f.name: getattr(whole, f.name) for f in fields(Story) if f.name not in STORED_LAZILY}

    held = StoredStory.of(text, **eager)
    assert not _decoded(held)
    assert held.facts == whole.facts and len(held.facts) >= 3 and _decoded(held)
    assert held == whole and whole == held
    assert held.to_dict() == whole.to_dict() == StoredStory.of(text, **eager).to_dict()

    fresh = StoredStory.of(text, **eager)
    assert pickle.loads(pickle.dumps(fresh)) == whole  # (read whole to be pickled)
    fresh = StoredStory.of(text, **eager)
    fresh.facts = []  # a field set before the record is read keeps its value
    assert fresh.facts == [] and fresh.brief == whole.brief
    with pytest.raises(TypeError):
        StoredStory.of(text, facts=[])  # the comparison comes from the record only


def test_each_compared_story_is_held_as_its_record_before_the_next_is_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run over a large archive never holds all its compared stories as objects: when a
    story is compared, none compared before it is still alive as a whole :class:`Story` (each
    is held as its record text, a :class:`StoredStory`)."""
    import gc

    from newsprism import api

    compare = api.compare_members
    alive: list[int] = []

    def counting(job: api.CompareJob) -> Story:
        gc.collect()
        alive.append(
            sum(1 for o in gc.get_objects() if type(o) is Story and o.facts and o is not job.story)
        )
        return compare(job)

    monkeypatch.setattr(api, "compare_members", counting)
    code, _, err = _run(["analyze", str(EXAMPLES), "-o", str(tmp_path / "out")])
    assert code == 0, err
    assert len(alive) == len(EXPECTED["stories"])  # every story compared
    assert alive == [0] * len(alive)
