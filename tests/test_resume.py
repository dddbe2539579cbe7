"""Crash safety of local runs: ``newsprism analyze`` killed midway (SIGKILL, Ctrl-C) resumes
with the same command, stores every article exactly once, and ends with the stories of an
uninterrupted run. The corpus is generated here: fictional events from fictional outlets."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

OUTLETS = [
    "Vellmark Times",
    "Ostra Daily",
    "The Calder Post",
    "Brinmoor Herald",
    "Quillon Wire",
    "Saltreach Gazette",
    "The Orvane Ledger",
    "Fennick News",
]
# (place, what happened, who spoke, their role, what they said, a number)
EVENTS = [
    (
        "Tarsk",
        "a rail bridge collapsed after heavy rain",
        "Ida Morrow",
        "rail minister",
        "the line will stay closed for a month",
        14,
    ),
    (
        "Pellan",
        "nurses began a three-day strike over pay",
        "Tomas Grell",
        "union leader",
        "wards will keep emergency staff",
        2300,
    ),
    (
        "Oskveld",
        "a fire destroyed the old grain market",
        "Hanne Lutz",
        "fire chief",
        "nobody was inside when the roof fell",
        40,
    ),
    (
        "Marrow Bay",
        "fishermen blockaded the harbour mouth",
        "Col Renner",
        "harbour master",
        "ferries will sail from the north quay",
        60,
    ),
    (
        "Glentor",
        "voters rejected a plan to merge two towns",
        "Ama Voss",
        "mayor",
        "the councils will try again next year",
        52,
    ),
    (
        "Dunhallow",
        "a chemical leak closed the ring road",
        "Petra Aske",
        "police spokeswoman",
        "residents should keep windows shut",
        3,
    ),
    (
        "Ferrow",
        "the central bank raised its main rate",
        "Lars Envik",
        "bank governor",
        "prices are still rising too fast",
        5,
    ),
    (
        "Quennel",
        "miners were rescued after two days underground",
        "Rui Kastel",
        "rescue chief",
        "all of them are in good health",
        11,
    ),
    (
        "Sabrine",
        "a storm cut power to the island",
        "Nell Ostrow",
        "grid operator chief",
        "most homes will be reconnected by Friday",
        18000,
    ),
    (
        "Lornhalt",
        "students occupied the university library",
        "Bo Tennet",
        "student council head",
        "the sit-in will last until fees are frozen",
        300,
    ),
    (
        "Wexmoor",
        "a court halted the airport expansion",
        "Judge Mira Sallow",
        "presiding judge",
        "the environmental review was incomplete",
        2,
    ),
    (
        "Corrin Vale",
        "wildfire forced villages to evacuate",
        "Ansel Drue",
        "regional governor",
        "crews have contained the eastern front",
        4000,
    ),
]
OPENERS = [
    "In {place}, {what}.",
    "{What} in {place} on Monday.",
    "Officials in {place} said {what}.",
]
VERBS = ["said", "told reporters", "said in a statement"]


def _corpus(folder: Path) -> int:
    """One JSON Lines file of len(EVENTS) x len(OUTLETS) short articles."""
    lines = []
    for e, (place, what, who, role, quote, number) in enumerate(EVENTS):
        for o, outlet in enumerate(OUTLETS):
            opener = OPENERS[(e + o) % len(OPENERS)].format(
                place=place, what=what, What=what[0].upper() + what[1:]
            )
            text = (
                f"{opener} {who}, the {role}, {VERBS[o % len(VERBS)]} that {quote}. "
                f"About {number + (o % 2)} people were affected, according to local officials. "
                f'"We are doing all we can," {who.split()[-1]} added on Tuesday.'
            )
            lines.append(
                {
                    "id": f"e{e:02d}-o{o}",
                    "title": f"{place}: {what}",
                    "source": outlet,
                    "published": f"2025-04-{1 + e:02d}",
                    "text": text,
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    return len(lines)


def _cmd(corpus: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsprism.cli",
        "-q",
        "analyze",
        str(corpus),
        "-o",
        str(out),
        "--workers",
        "1",
        "--no-embeddings",
    ]


def _count(db: Path, table: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _stories(out: Path) -> object:
    doc = json.loads((out / "stories.json").read_text())
    return {k: v for k, v in doc.items() if k in ("stories", "storylines")}


def _interrupt(corpus: Path, out: Path, sig: signal.Signals) -> int:
    """Start a run, send ``sig`` once some (not all) enrichment is stored; return that count.

    On a loaded machine the test may not see a stored batch before the run ends; then it tries
    again in a fresh folder (that says nothing of the product). A run that got the signal and
    still ended well is a failure: the interrupt was lost."""
    for _attempt in range(3):
        shutil.rmtree(out, ignore_errors=True)
        proc = subprocess.Popen(
            _cmd(corpus, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        db = out / "newsprism.db"
        deadline = time.monotonic() + 300
        signalled = False
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                if _count(db, "enrichment") > 0:
                    proc.send_signal(sig)
                    signalled = True
                    break
                time.sleep(0.05)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if signalled:
            stderr = err.decode("utf-8", "replace")[-2000:]
            assert proc.returncode != 0, f"the run went on after {sig.name}:\n{stderr}"
            return _count(db, "enrichment")
    pytest.fail("the run ended three times before a batch was seen stored")


class _SwallowsCtrlC:
    """An object whose finalizer is running when Ctrl-C arrives: Python raises the interrupt
    inside ``__del__``, prints it and drops it."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the handler runs here, inside the finalizer


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_dropped_by_a_finalizer_still_stops_the_run() -> None:
    from newsprism.cli import _Progress

    before = signal.getsignal(signal.SIGINT)
    with _Progress(enabled=False) as progress:
        progress("enrich", 1, 10)
        _SwallowsCtrlC()  # dropped at once: its __del__ swallows the KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            progress("enrich", 2, 10)
    assert signal.getsignal(signal.SIGINT) is before


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, object]:
    """The corpus and the stories of an uninterrupted run over it."""
    root = tmp_path_factory.mktemp("resume")
    corpus = root / "corpus"
    total = _corpus(corpus)
    ref = root / "ref"
    subprocess.run(_cmd(corpus, ref), check=True, capture_output=True, timeout=600)
    return corpus, total, _stories(ref)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["sigkill", "ctrl-c"])
def test_a_killed_run_resumes_with_the_same_command(
    reference: tuple[Path, int, object], tmp_path: Path, sig: signal.Signals
) -> None:
    corpus, total, expected = reference
    out = tmp_path / "run"
    stored = _interrupt(corpus, out, sig)
    assert 0 < stored < total  # killed mid-enrichment, with part of the work stored
    assert _count(out / "newsprism.db", "articles") == total

    done = subprocess.run(_cmd(corpus, out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    con = sqlite3.connect(out / "newsprism.db")
    ids = [r[0] for r in con.execute("SELECT id FROM articles")]
    hashes = [r[0] for r in con.execute("SELECT content_hash FROM articles")]
    enriched = [r[0] for r in con.execute("SELECT article_id FROM enrichment")]
    con.close()
    assert len(ids) == len(set(ids)) == total  # every article exactly once
    assert len(set(hashes)) == total
    assert sorted(enriched) == sorted(ids)
    assert _stories(out) == expected
