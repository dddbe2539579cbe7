"""report.html in a real headless browser (Debian ``chromium``): following a citation opens the
article that holds the cited span (Chromium expands a ``<details>`` holding the fragment target
itself; the page's script does it for browsers that do not), and only that article. This checks
that every citation's anchor exists inside the right article. Skipped with a reason where no
Chromium is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsprism.api import AnalyzeOptions, analyze
from newsprism.outputs import write_outputs

CHROMIUM = next(
    (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs a headless Chromium (Debian: chromium)"),
]

ARTICLES = {
    "gazette.txt": (
        "Ferry crews in Dunmore stopped work on Monday over a new rota, the harbour union said.\n\n"
        "The union said the walkout would last until Thursday. No ferries crossed the bay."
    ),
    "ledger.txt": (
        "Dunmore ferry crews walked out on Monday in a dispute over rotas, the union said.\n\n"
        "Commuters crowded the coastal bus instead; the union said the strike ends Thursday."
    ),
}


def _dom(html: Path, fragment: str, profile: Path) -> str:
    assert CHROMIUM is not None
    url = html.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    out = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return out.stdout


def _open_details(dom: str) -> list[str]:
    return re.findall(r'<details class="article" id="([^"]+)" open', dom)


def test_following_a_citation_opens_the_cited_article(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    result = analyze([corpus], AnalyzeOptions(use_embeddings=False))
    html = write_outputs(result, tmp_path / "out")["html"]
    page = html.read_text(encoding="utf-8")
    targets = re.findall(r'class="cite" href="#([^"]+)"', page)
    assert targets, "the report cites no span"

    assert _open_details(_dom(html, "", tmp_path / "p0")) == []  # closed until a cite is followed
    for n, target in enumerate(dict.fromkeys(targets)):
        dom = _dom(html, target, tmp_path / f"p{n + 1}")
        opened = _open_details(dom)
        assert len(opened) == 1, f"#{target}: {opened}"
        # the opened article is the one whose text holds the cited span
        details = re.search(rf'<details class="article" id="{opened[0]}".*?</details>', dom, re.S)
        assert details is not None and f'id="{target}"' in details.group(0)
