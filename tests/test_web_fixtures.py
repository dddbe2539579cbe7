"""Stores for the web and export tests (no tests here; imported by test_web*.py, test_export.py).

- ``analyzed_store()``: the bundled sample corpus plus two hostile fictional articles, run
  through the whole pipeline once per test session (cached), so the pages show real output.
- ``hostile_store(path)``: a small store written straight through the Store API (no models),
  whose every field an outlet controls (titles, outlets, urls, text, quotes, framing terms,
  event actors) carries markup, script URLs, event-handler attributes, entities and odd Unicode.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from newsprism.model import (
    Article,
    BriefLine,
    Citation,
    Enriched,
    EntityMention,
    Event,
    Span,
    Story,
)
from newsprism.store.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "corpus"

SCRIPT = '<script>document.title="pwned";alert(1)</script>'
IMG = '<img src=x onerror="alert(2)">'
JS_URL = "javascript:alert(3)"
HANDLER = '" onmouseover="alert(4)" x="'
ENTITIES = "&lt;b&gt; &amp; &#60;i&#62;"
ODD = "\u202eevil\u202c zero\u200bwidth e\u0301 🛶 \ufeff"

HOSTILE_TITLE = f"Quillby bridge {SCRIPT} reopens {IMG}"
HOSTILE_OUTLET = f"Quillby <b>Post</b>{HANDLER}"

HOSTILE_ARTICLES = {
    "quillby-post/bridge.txt": (
        f"QUILLBY – The Quillby town council voted on Tuesday to reopen the old ferry bridge "
        f"{SCRIPT} after three months of repairs, the mayor, Ada Vorn, said.\n\n"
        f'"We will not be rushed {IMG} by anyone," Vorn told reporters on Tuesday. '
        f"Tolls will stay at {ENTITIES} two crowns, the council said. {ODD}\n\n"
        f'Residents can read the plan at <a href="{JS_URL}">the council site</a>.'
    ),
    "fenmoor-times/bridge-vote.txt": (
        "Quillby councillors on Tuesday approved reopening the ferry bridge after repairs that "
        "lasted three months, mayor Ada Vorn said.\n\n"
        f"Vorn said the tolls {HANDLER} would stay at two crowns. {ODD}"
    ),
}
HOSTILE_META = {
    "quillby-post/bridge.meta.json": {
        "title": HOSTILE_TITLE,
        "source": HOSTILE_OUTLET,
        "url": JS_URL,
        "published": "2031-05-13",
    },
    "fenmoor-times/bridge-vote.meta.json": {
        "title": f"Bridge vote {ENTITIES} {ODD}",
        "source": "Fenmoor Times",
        "url": "https://fenmoor.example/bridge",
        "published": "2031-05-14",
    },
}

_cache: dict[str, Path | Exception] = {}


def _tmpdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, True)
    return path


def write_hostile_corpus(folder: Path) -> None:
    for name, text in HOSTILE_ARTICLES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    for name, meta in HOSTILE_META.items():
        (folder / name).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def analyzed_store() -> Path:
    """The sample corpus + the hostile articles, analyzed once per session (a fresh copy of the
    store file is what tests that write should use: see ``copy_store``)."""
    if "analyzed" not in _cache:
        from newsprism.api import AnalyzeOptions, analyze

        work = _tmpdir("newsprism-web-")
        corpus = work / "corpus"
        shutil.copytree(EXAMPLES, corpus)
        write_hostile_corpus(corpus)
        db = work / "newsprism.db"
        try:
            analyze([corpus], AnalyzeOptions(use_embeddings=False, workers=1), store=db)
        except Exception as exc:  # fail every test that needs it, without analyzing again
            _cache["analyzed"] = exc
            raise
        _cache["analyzed"] = db
    found = _cache["analyzed"]
    if isinstance(found, Exception):
        raise RuntimeError(f"analyzing the sample corpus failed earlier: {found!r}")
    return found


def copy_store(src: Path, dest_dir: Path) -> Path:
    """A copy of a store file (checkpointed first, so the copy holds everything)."""
    with Store(src) as db:
        db.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dest = dest_dir / "copy.db"
    shutil.copyfile(src, dest)
    return dest


# -- a hostile store written directly --------------------------------------------------------


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start, start + len(needle), needle)


def _cite(article: str, span: Span, **extra: Any) -> dict[str, Any]:
    return {"article": article, "start": span.start, "end": span.end, "text": span.text, **extra}


def hostile_store(path: Path) -> dict[str, Any]:
    """Write a store of two articles in one story whose every shown field is hostile; returns
    the ids and the spans the tests look for."""
    a_text = (
        f"The harbour board of Kestrel Bay {SCRIPT} met on Friday. "
        f"Chair Mira Oddny said the pier {IMG} would close. "
        f"Fees rose to {ENTITIES} nine marks. {ODD}"
    )
    b_text = (
        f"Kestrel Bay's harbour board met on Friday{HANDLER}, and chair Mira Oddny said the "
        f"pier would shut. Fees rose to eleven marks. Visit {JS_URL} for more."
    )
    a = Article(
        id="kb-1",
        text=a_text,
        raw=a_text,
        title=HOSTILE_TITLE,
        source=HOSTILE_OUTLET,
        url=JS_URL,
        published="2031-06-06",
        removed=[],
    )
    b = Article(
        id="kb-2",
        text=b_text,
        raw=b_text,
        title=f"Pier {ENTITIES} to shut {ODD}",
        source="Fenmoor Times",
        url="https://fenmoor.example/pier",
        published="2031-06-07",
    )
    met_a = _span(a_text, f"The harbour board of Kestrel Bay {SCRIPT} met on Friday.")
    met_b = _span(b_text, f"Kestrel Bay's harbour board met on Friday{HANDLER}, and chair")
    said = _span(a_text, f"the pier {IMG} would close")
    fee_a = _span(a_text, f"{ENTITIES} nine marks")
    fee_b = _span(b_text, "eleven marks")
    oddny = _span(a_text, "Mira Oddny")
    board = _span(a_text, f"Kestrel Bay {SCRIPT}")
    story_data = {
        "id": "story-kb",
        "title": HOSTILE_TITLE,
        "articles": ["kb-1", "kb-2"],
        "outlets": sorted([HOSTILE_OUTLET, "Fenmoor Times"]),
        "first_published": "2031-06-06",
        "last_published": "2031-06-07",
        "brief": [
            {
                "text": met_a.text,
                "section": "key",
                "citations": [_cite("kb-1", met_a), _cite("kb-2", met_b)],
            }
        ],
        "facts": [
            {
                "id": "f1",
                "text": met_a.text,
                "status": "corroborated",
                "outlets": [HOSTILE_OUTLET, "Fenmoor Times"],
                "sources": [
                    _cite("kb-1", met_a, outlet=HOSTILE_OUTLET),
                    _cite("kb-2", met_b, outlet="Fenmoor Times"),
                ],
                "conflicts": [],
            },
            {
                "id": "f2",
                "text": f"Fees rose to {ENTITIES} nine marks.",
                "status": "conflicting",
                "outlets": [HOSTILE_OUTLET, "Fenmoor Times"],
                "sources": [_cite("kb-1", fee_a, outlet=HOSTILE_OUTLET)],
                "conflicts": [
                    {
                        "slot": f"number {IMG}",
                        "values": [
                            {
                                "value": f"9 mark {SCRIPT}",
                                **_cite("kb-1", fee_a, outlet=HOSTILE_OUTLET),
                            },
                            {"value": "11 mark", **_cite("kb-2", fee_b, outlet="Fenmoor Times")},
                        ],
                    }
                ],
            },
        ],
        "coverage": {
            "outlets": [HOSTILE_OUTLET, "Fenmoor Times"],
            "facts": ["f1", "f2"],
            "matrix": [[1, 1], [1, 1]],
        },
        "timeline": [
            {
                "date": "2031-06-06",
                "text": met_a.text,
                "fact": "f1",
                "sources": [_cite("kb-1", met_a, outlet=HOSTILE_OUTLET)],
            }
        ],
        "framing": {
            HOSTILE_OUTLET: [
                {
                    "term": f"pier {IMG}",
                    "score": 2.0,
                    "others": [SCRIPT],
                    "examples": [_cite("kb-1", said)],
                }
            ]
        },
        "quotes": [
            {
                "speaker": f"Mira Oddny {SCRIPT}",
                "quotes": [
                    {
                        "article": "kb-1",
                        "outlet": HOSTILE_OUTLET,
                        "kind": "indirect",
                        "via": JS_URL,
                        "cue": {"start": said.start - 5, "end": said.start - 1, "text": "said"},
                        "content": [said.to_dict()],
                    }
                ],
            }
        ],
        "entities": [
            {
                "name": "Mira Oddny",
                "type": "PERSON",
                "variants": ["Mira Oddny", IMG],
                "articles": ["kb-1", "kb-2"],
            },
            {"name": f"Kestrel Bay {SCRIPT}", "type": "GPE", "variants": [], "articles": ["kb-1"]},
        ],
        "events": [
            {
                "type": "DISAPPROVE",
                "source_actor": f"Mira Oddny {IMG}",
                "target_actor": SCRIPT,
                "article": "kb-1",
                "trigger": said.to_dict(),
            },
            {  # the flat row form (trigger text and offsets side by side)
                "type": "PROTEST",
                "source_actor": IMG,
                "target_actor": "harbour board",
                "date": "2031-06-07",
                "article": "kb-2",
                "outlet": "Fenmoor Times",
                "trigger": "shut",
                "trigger_start": b_text.index("shut"),
                "trigger_end": b_text.index("shut") + 4,
            },
        ],
    }
    with Store(path) as db:
        db.add_articles([a, b])
        db.add_enrichment(
            [
                Enriched(
                    "kb-1",
                    entities=[
                        EntityMention(oddny.start, oddny.end, oddny.text, "PERSON", "Mira Oddny"),
                        EntityMention(board.start, board.end, board.text, "GPE", board.text),
                    ],
                    events=[Event("DISAPPROVE", "Mira Oddny", SCRIPT, said)],
                ),
                Enriched("kb-2"),
            ]
        )
        story = Story(
            "story-kb",
            HOSTILE_TITLE,
            ["kb-1", "kb-2"],
            brief=[BriefLine(met_a.text, [Citation("kb-1", met_a.start, met_a.end)])],
        )
        db.replace_stories([story], [story_data])
    return {"story": "story-kb", "articles": ["kb-1", "kb-2"], "said": said, "met": met_a}
