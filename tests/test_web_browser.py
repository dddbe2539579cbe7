"""The web app end to end in a real headless browser: Debian's ``chromium`` driven by Playwright
for Python (pointed at /usr/bin/chromium, nothing downloaded), against ``newsprism serve``'s app
under uvicorn on 127.0.0.1. Opens the list, searches, opens a story, hovers and focuses a
citation and sees its source sentence, opens the cited article, adds a watchlist entry with the
token, and checks that hostile text never executes. Screenshots are kept under
``tests/artifacts/`` (or ``$NEWSPRISM_ARTIFACTS``); the folder is printed in the log."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_web_fixtures import SCRIPT, analyzed_store, copy_store

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()),
    None,
)
playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)"),
]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token"
ARTIFACTS = Path(os.environ.get("NEWSPRISM_ARTIFACTS", Path(__file__).parent / "artifacts" / "web"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from newsprism.web import create_app

    store = copy_store(analyzed_store(), tmp_path_factory.mktemp("browser"))
    port = _free_port()
    config = uvicorn.Config(
        create_app(store, token=TOKEN), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {ARTIFACTS}")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on(
        "request",
        lambda r: (
            None if r.url.startswith((server, "data:")) else problems.append(f"request {r.url}")
        ),
    )
    pg.on(
        "console",
        lambda m: (
            problems.append(f"console: {m.text}") if "Content Security Policy" in m.text else None
        ),
    )
    pg.problems = problems
    yield pg
    context.close()
    assert problems == [], problems


def _shot(pg: Any, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_list_search_story_citation_article(page: Any, server: str) -> None:
    page.goto(server + "/")
    assert page.locator("li.story-row").count() >= 5
    _shot(page, "01-story-list")

    page.fill("input[name=q]", "dockworkers")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?q=dockworkers*")
    titles = page.locator("a.story-link").all_inner_texts()
    assert any("Port Sallow" in t for t in titles), titles
    _shot(page, "02-search")

    page.locator("a.story-link", has_text="Port Sallow").first.click()
    page.wait_for_url("**/stories/**")
    story_id = page.url.rsplit("/", 1)[1]
    story = page.request.get(f"{server}/api/stories/{story_id}").json()
    cite = story["brief"][0]["citations"][0]
    article = page.request.get(f"{server}/api/articles/{cite['article']}").json()
    sentence = article["text"][cite["start"] : cite["end"]]

    first = page.locator("#brief a.cite").first
    tip = first.locator(".cite-src")
    assert not tip.is_visible()
    first.hover()
    tip.wait_for(state="visible")
    assert " ".join(tip.inner_text().split()) == " ".join(sentence.split())
    _shot(page, "03-story-citation-hover")

    page.mouse.move(0, 0)
    page.locator("h1").click()
    tip.wait_for(state="hidden")
    first.focus()  # keyboard users see it too
    tip.wait_for(state="visible")

    for section in ("#facts", "#coverage", "#timeline svg", "#attention svg", "#quotes"):
        assert page.locator(section).count() >= 1, section

    first.click()
    page.wait_for_url(f"**/articles/{cite['article']}#c-{cite['start']}-{cite['end']}")
    anchor = page.locator(f"#c-{cite['start']}-{cite['end']}")
    assert anchor.count() == 1
    assert page.locator(".text .hl.cited").count() >= 1
    assert page.locator(".text .hl.entity").count() >= 1
    _shot(page, "04-article")


def test_add_a_watchlist_entry_with_the_token(page: Any, server: str) -> None:
    page.goto(server + "/watchlist")
    page.select_option("select[name=kind]", "query")
    page.fill("input[name=value]", "harbour")
    page.fill("input[name=token]", "wrong-token")
    page.click("#watch-form button[type=submit]")
    page.locator("#watch-status", has_text="not added").wait_for()
    assert page.locator("section.watch").count() == 0

    page.fill("input[name=token]", TOKEN)
    page.click("#watch-form button[type=submit]")
    page.locator("section.watch", has_text="harbour").wait_for()
    _shot(page, "05-watchlist")
    entries = page.request.get(f"{server}/api/watchlist").json()["items"]
    assert [(e["kind"], e["value"]) for e in entries] == [("query", "harbour")]

    page.locator("section.watch a").first.click()
    page.wait_for_url("**/watchlist/*")
    assert page.locator("h1", has_text="harbour").count() == 1


def test_storylines_group_the_stories(page: Any, server: str) -> None:
    lines = page.request.get(f"{server}/api/storylines?per_page=200").json()["items"]
    line = max(lines, key=lambda x: x["story_count"])
    page.goto(server + "/")
    page.click("nav a[href='/storylines']")
    page.wait_for_url("**/storylines")
    assert page.locator("li.storyline-row").count() == len(lines)
    _shot(page, "06-storylines")

    page.locator("a.storyline-link", has_text=line["title"]).first.click()
    page.wait_for_url(f"**/storylines/{line['id']}")
    titles = page.locator("#events a.story-link").all_inner_texts()
    assert titles == [s["title"] for s in line["stories"]]

    page.locator("#events a.story-link").first.click()
    page.wait_for_url(f"**/stories/{line['stories'][0]['id']}")
    back = page.locator("a.storyline-link")
    assert back.inner_text() == line["title"]
    back.click()
    page.wait_for_url(f"**/storylines/{line['id']}")


def test_hostile_text_never_executes(page: Any, server: str) -> None:
    hits = page.request.get(f"{server}/api/stories", params={"q": "Quillby"}).json()["items"]
    assert hits, "the hostile articles were not stored"
    for story in hits:
        page.goto(f"{server}/stories/{story['id']}")
        page.locator(".cite").first.hover() if page.locator(".cite").count() else None
        data = page.request.get(f"{server}/api/stories/{story['id']}").json()
        for aid in data["articles"]:
            page.goto(f"{server}/articles/{aid}")
            page.hover(".text")
            assert page.title() != "pwned"
    # the hostile title is shown as text, exactly as the outlet wrote it
    page.goto(f"{server}/?q=Quillby")
    assert any(SCRIPT in t for t in page.locator("a.story-link").all_inner_texts())
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    _shot(page, "06-hostile")
