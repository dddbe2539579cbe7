"""The JSON Lines stage commands keep their contracts and survive bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli import main

pytestmark = pytest.mark.slow

ARTICLES = [
    {
        "id": "r1",
        "published": "2025-05-09",
        "text": "Ferry crews in Lund walked off the job on Thursday. \u201cWe will not sail until the rota "
        "is fixed,\u201d union leader Petra Hale said. The strike could last until May 20.",
    },
    {
        "id": "r2",
        "published": "2025-05-10",
        "text": "A ferry strike that began in Lund on Thursday stranded hundreds of travellers, the "
        "port authority said in a statement.",
    },
    {
        "id": "r3",
        "text": "The central bank of Marenia raised its key rate to 4.5 percent, Governor Anton "
        "Weiss announced. He said inflation remained too high.",
    },
]


def _write(path: Path, records: list[object], bad_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(bad_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _invoke(args: list[str]) -> tuple[int, list[dict], str]:
    res = CliRunner().invoke(main, args, catch_exceptions=False)
    out = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    return res.exit_code, out, res.stderr


def test_dates_stage_contract(tmp_path: Path) -> None:
    infile = _write(tmp_path / "in.jsonl", ARTICLES, ("{not json", '["a list"]', '{"id": "x"}'))
    code, rows, err = _invoke(["dates", str(infile)])
    assert code == 0
    assert [r["id"] for r in rows] == ["r1", "r2", "r3"]
    assert err.count("skipped") >= 3 and "in.jsonl:4" in err
    thursday = next(d for d in rows[0]["dates"] if d["text"] == "Thursday")
    assert thursday["value"] == "2025-05-08"
    for rec, row in zip(ARTICLES, rows, strict=True):
        for d in row["dates"]:
            assert rec["text"][d["start"] : d["end"]] == d["text"]
            assert {"start", "end", "text", "value"} <= d.keys()


def test_dates_stage_published_option_and_output_file(tmp_path: Path) -> None:
    infile = _write(tmp_path / "in.jsonl", [{"id": "x", "text": "The talks ended on Monday."}])
    out = tmp_path / "out.jsonl"
    code, _, _ = _invoke(["dates", str(infile), "-o", str(out), "--published", "2025-05-09"])
    assert code == 0
    row = json.loads(out.read_text())
    assert row["dates"][0]["value"] == "2025-05-05"
    code, rows, _ = _invoke(["dates", str(infile)])
    assert rows[0]["dates"][0]["value"] is None  # no publication date: not guessed


def test_attributions_stage_contract(tmp_path: Path) -> None:
    infile = _write(tmp_path / "in.jsonl", ARTICLES)
    code, rows, _ = _invoke(["attributions", str(infile)])
    assert code == 0
    by_id = {r["id"]: r for r in rows}
    speakers = {a["speaker"] for a in by_id["r1"]["attributions"]}
    assert any(s and "Hale" in s for s in speakers)
    for rec in ARTICLES:
        for a in by_id[rec["id"]]["attributions"]:
            assert a["kind"] in {"direct", "indirect", "mixed"}
            for span in [a["source"], a["cue"], *a["content"]]:
                if span:
                    assert rec["text"][span["start"] : span["end"]] == span["text"]


def test_cluster_stage_contract(tmp_path: Path) -> None:
    infile = _write(tmp_path / "in.jsonl", ARTICLES)
    code, rows, err = _invoke(["cluster", str(infile)])
    assert code == 0
    story = {r["id"]: r["story"] for r in rows}
    assert story["r1"] == story["r2"] != story["r3"]
    assert "3 records in 2 stories" in err


def test_summarize_stage_contract(tmp_path: Path) -> None:
    clusters = [{"id": "c1", "articles": [ARTICLES[0]["text"], ARTICLES[1]["text"]]}]
    infile = _write(tmp_path / "in.jsonl", clusters, ('{"id": "c2"}',))
    code, rows, err = _invoke(["summarize", str(infile), "--words", "25"])
    assert code == 0 and len(rows) == 1 and "in.jsonl:2" in err
    row = rows[0]
    texts = clusters[0]["articles"]
    assert row["citations"]
    for c in row["citations"]:
        assert texts[c["article"]][c["start"] : c["end"]] in row["summary"]


def test_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["dates", str(tmp_path / "nope.jsonl")])
    assert res.exit_code != 0
    assert "nope.jsonl" in res.stderr


PAIRS = [
    {
        "id": "same",
        "a": "The Lund ferry crews walked off the job on Thursday over the new rota.",
        "b": "On Thursday, ferry crews in Lund went on strike over the new rota.",
        "a_published": "2025-05-09",
        "b_published": "2025-05-09",
        "a_source": "Lund Post",
        "b_source": "Coast Radio",
    },
    {
        "id": "conflict",
        "a": "The landslide near Orvik buried 14 houses, the mayor said.",
        "b": "The landslide near Orvik buried 31 houses, the mayor said.",
        "a_published": "2025-05-09",
        "b_published": "2025-05-09",
    },
    {
        "id": "different",
        "a": "The central bank of Marenia raised its key rate to 4.5 percent.",
        "b": "Ferry crews in Lund walked off the job on Thursday.",
    },
]


def test_align_stage_never_calls_a_doubt_the_same_fact(tmp_path: Path) -> None:
    """One text doubts what the other states: the wording is close (p_same over SAME), but the
    relation is at most related."""
    pair = {
        "id": "doubt",
        "a": "The mayor doubted that the new Lund ferry pier would reopen in May.",
        "b": "The new Lund ferry pier will reopen in May, the mayor said.",
    }
    code, rows, _ = _invoke(["align", str(_write(tmp_path / "doubt.jsonl", [pair], ()))])
    assert code == 0
    (row,) = rows
    assert row["relation"] in ("related", "different"), row


def test_align_stage_contract(tmp_path: Path) -> None:
    infile = _write(
        tmp_path / "pairs.jsonl",
        PAIRS,
        ("{broken", '{"id": "no-b", "a": "x"}', '{"id": "num", "a": 3, "b": "x"}'),
    )
    code, rows, err = _invoke(["align", str(infile)])
    assert code == 0
    assert [r["id"] for r in rows] == ["same", "conflict", "different"]
    assert "pairs.jsonl:4" in err and "pairs.jsonl:5" in err and "pairs.jsonl:6" in err
    assert "field 'a' is not a string" in err
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        assert set(r) == {"id", "relation", "p_same", "conflicts"}
        assert 0.0 <= r["p_same"] <= 1.0
    assert by_id["same"]["relation"] == "same"
    assert by_id["different"]["relation"] == "different"
    assert by_id["conflict"]["relation"] == "conflicting"
    (c,) = by_id["conflict"]["conflicts"]
    assert c["slot"] == "number" and {c["a"], c["b"]} == {"14 house", "31 house"}
    assert by_id["same"]["p_same"] > by_id["different"]["p_same"]
