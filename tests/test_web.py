"""The web app and JSON API through FastAPI's test client: pages and API over the analyzed
sample corpus, one error shape, pagination, the token on writes, body limits, path traversal,
the Content-Security-Policy, and hostile text that must come out escaped."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from newsprism.store.sqlite import Store
from test_web_fixtures import (
    HOSTILE_OUTLET,
    HOSTILE_TITLE,
    IMG,
    JS_URL,
    SCRIPT,
    analyzed_store,
    copy_store,
    hostile_store,
)

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from newsprism.web import create_app  # noqa: E402

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def sample() -> Path:
    return analyzed_store()


@pytest.fixture(scope="module")
def client(sample: Path) -> TestClient:
    return TestClient(create_app(sample, token=""))


@pytest.fixture
def writable(sample: Path, tmp_path: Path) -> TestClient:
    return TestClient(create_app(copy_store(sample, tmp_path), token=TOKEN))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, Any]]:
    path = tmp_path_factory.mktemp("hostile") / "h.db"
    info = hostile_store(path)
    return TestClient(create_app(path, token=TOKEN)), info


def _stories(path: Path) -> list[dict[str, Any]]:
    with Store(path) as db:
        return db.stories()


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    return body["error"]


# -- story list ------------------------------------------------------------------------------


def test_story_list_pages_through_every_story_once(client: TestClient, sample: Path) -> None:
    stored = {s["id"] for s in _stories(sample)}
    seen: list[str] = []
    page = 1
    while True:
        body = client.get("/api/stories", params={"per_page": 2, "page": page}).json()
        assert body["total"] == len(stored) and body["per_page"] == 2
        seen += [s["id"] for s in body["items"]]
        if page >= body["pages"]:
            break
        page += 1
    assert sorted(seen) == sorted(stored)
    assert len(seen) == len(set(seen))


def test_story_list_sorts_and_filters(client: TestClient, sample: Path) -> None:
    stories = {s["id"]: s for s in _stories(sample)}
    by_size = client.get("/api/stories", params={"sort": "size", "per_page": 200}).json()["items"]
    sizes = [s["size"] for s in by_size]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == max(len(s["articles"]) for s in stories.values())
    recent = client.get("/api/stories", params={"per_page": 200}).json()["items"]
    lasts = [s["last_published"] for s in recent]
    assert lasts == sorted(lasts, reverse=True)

    outlet = "Meridian Wire"
    items = client.get("/api/stories", params={"outlet": outlet}).json()["items"]
    assert {s["id"] for s in items} == {i for i, s in stories.items() if outlet in s["outlets"]}

    items = client.get("/api/stories", params={"status": "conflicting"}).json()["items"]
    expected = {
        i
        for i, s in stories.items()
        if any(f["status"] == "conflicting" for f in s.get("facts", []))
    }
    assert {s["id"] for s in items} == expected

    items = client.get("/api/stories", params={"since": "2025-06-01"}).json()["items"]
    assert {s["id"] for s in items} == {
        i for i, s in stories.items() if (s["last_published"] or "") >= "2025-06-01"
    }
    items = client.get("/api/stories", params={"until": "2025-03-31"}).json()["items"]
    assert {s["id"] for s in items} == {
        i for i, s in stories.items() if (s["first_published"] or "9") <= "2025-03-31"
    }

    name = "Oleksandr Marchenko"
    items = client.get("/api/stories", params={"entity": name.upper()}).json()["items"]
    assert items and {s["id"] for s in items} == {
        i for i, s in stories.items() if any(e["name"] == name for e in s.get("entities", []))
    }


def test_search_finds_the_story_of_a_matching_article(client: TestClient, sample: Path) -> None:
    strike = next(s for s in _stories(sample) if "port-sallow-strike" in s["articles"])
    items = client.get("/api/stories", params={"q": "dockworkers"}).json()["items"]
    assert strike["id"] in [s["id"] for s in items]
    assert client.get("/api/stories", params={"q": "zzyzxnothing"}).json()["total"] == 0
    sized = client.get("/api/stories", params={"q": "said", "sort": "size"}).json()["items"]
    assert len(sized) > 1 and [s["size"] for s in sized] == sorted(
        (s["size"] for s in sized), reverse=True
    )
    # FTS syntax errors and SQL-looking input do not break anything
    for q in ['"unbalanced', "AND OR NOT", "'; DROP TABLE stories; --", "strike)*("]:
        r = client.get("/api/stories", params={"q": q})
        assert r.status_code == 200, (q, r.text)
    assert client.get("/api/stories").json()["total"] == len(_stories(sample))
    html = client.get("/", params={"q": "dockworkers"}).text
    assert strike["title"] in html.replace("&#39;", "'")


def test_bad_parameters_answer_one_error_shape(client: TestClient) -> None:
    _error(client.get("/api/stories", params={"since": "last tuesday"}), 400)
    _error(client.get("/api/stories", params={"sort": "random"}), 400)
    err = _error(client.get("/api/stories", params={"per_page": 0}), 422)
    assert err["details"] and "per_page" in err["details"][0]["where"]
    _error(client.get("/api/stories/no-such-story"), 404)
    _error(client.get("/api/articles/no-such-article"), 404)
    _error(client.get("/api/entities/Nobody At All"), 404)
    _error(client.get("/api/nothing-here"), 404)
    _error(client.get("/api/export", params={"what": "secrets"}), 400)
    _error(client.delete("/api/stories"), 405)
    page = client.get("/stories/no-such-story")
    assert page.status_code == 404 and "no-such-story" in page.text


def test_every_list_is_paginated(client: TestClient) -> None:
    for url in ("/api/stories", "/api/articles", "/api/entities", "/api/watchlist"):
        body = client.get(url, params={"per_page": 1}).json()
        assert {"items", "page", "per_page", "total", "pages"} <= set(body), url
        assert len(body["items"]) <= 1
    name = client.get("/api/entities").json()["items"][0]["name"]
    stories = client.get(f"/api/entities/{name}", params={"per_page": 1}).json()["stories"]
    assert stories["per_page"] == 1 and stories["total"] >= 1


# -- story, article, entity ------------------------------------------------------------------


def test_story_page_shows_each_citation_with_its_source_sentence(
    client: TestClient, sample: Path
) -> None:
    story = next(s for s in _stories(sample) if "port-sallow-strike" in s["articles"])
    assert client.get(f"/api/stories/{story['id']}").json() == story
    html = client.get(f"/stories/{story['id']}").text
    texts = {
        a["id"]: client.get(f"/api/articles/{a['id']}").json()["text"]
        for a in [{"id": i} for i in story["articles"]]
    }
    tips = _tooltips(html)
    for line in story["brief"]:
        for c in line["citations"]:
            assert texts[c["article"]][c["start"] : c["end"]] in tips
    for section in ("facts", "coverage", "timeline", "attention", "quotes", "framing"):
        assert f'id="{section}"' in html, section
    for fact in story["facts"]:
        assert fact["status"] in html
    conflict = next(f for f in story["facts"] if f["conflicts"])
    for value in conflict["conflicts"][0]["values"]:
        assert str(value["value"]) in html
    assert "<svg" in html  # charts are inline SVG


class _Tips(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tips: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if ("class", "cite-src") in attrs:
            self.depth = 1
            self.tips.append("")
        elif self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.tips[-1] += data


def _tooltips(html: str) -> list[str]:
    p = _Tips()
    p.feed(html)
    return p.tips


def test_article_page_highlights_and_anchors_cited_spans(client: TestClient, sample: Path) -> None:
    story = next(s for s in _stories(sample) if "port-sallow-strike" in s["articles"])
    cite = next(c for line in story["brief"] for c in line["citations"])
    html = client.get(f"/articles/{cite['article']}").text
    assert f'id="c-{cite["start"]}-{cite["end"]}"' in html
    for kind in ("hl entity", "hl date", "cited"):
        assert kind in html
    data = client.get(f"/api/articles/{cite['article']}").json()
    assert story["id"] in data["stories"] and data["enrichment"]["sentences"]
    # what the cleaner removed can be shown
    with_removed = next(
        (
            a
            for a in client.get("/api/articles", params={"per_page": 200}).json()["items"]
            if client.get(f"/api/articles/{a['id']}").json()["removed"]
        ),
        None,
    )
    if with_removed is not None:
        assert "What the cleaner removed" in client.get(f"/articles/{with_removed['id']}").text


def test_entity_page_lists_stories_quotes_and_mentions(client: TestClient, sample: Path) -> None:
    name = "Oleksandr Marchenko"
    data = client.get(f"/api/entities/{name}").json()
    expected = {s["id"] for s in _stories(sample) if any(e["name"] == name for e in s["entities"])}
    assert {s["id"] for s in data["stories"]["items"]} == expected
    assert data["said"] and all(q["content"] for q in data["said"])
    assert sum(data["mentions_by_day"].values()) > 0
    html = client.get(f"/entities/{name}").text
    assert "Mentions over time" in html and "<svg" in html


# -- writes and the token --------------------------------------------------------------------


def test_without_a_token_the_app_is_read_only(client: TestClient) -> None:
    for method, url, body in [
        ("post", "/api/watchlist", {"kind": "query", "value": "strike"}),
        ("post", "/api/articles", {"articles": [{"text": "x"}]}),
        ("post", "/api/analyze", {}),
    ]:
        r = getattr(client, method)(url, json=body, headers={"Authorization": "Bearer anything"})
        _error(r, 403)
    assert client.get("/api/watchlist").json()["total"] == 0


def test_writes_need_the_right_bearer_token(writable: TestClient) -> None:
    body = {"kind": "query", "value": "ferry"}
    _error(writable.post("/api/watchlist", json=body), 401)
    _error(
        writable.post("/api/watchlist", json=body, headers={"Authorization": "Bearer nope"}), 401
    )
    _error(writable.post("/api/watchlist", json=body, headers={"Authorization": TOKEN}), 401)
    r = writable.post("/api/watchlist", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert writable.get("/api/watchlist").json()["items"][0]["value"] == "ferry"
    bad = {"kind": "shell", "value": "x"}
    _error(
        writable.post("/api/watchlist", json=bad, headers={"Authorization": f"Bearer {TOKEN}"}), 422
    )


def test_watchlist_shows_what_is_new_since_the_last_visit(writable: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    watch = writable.post(
        "/api/watchlist", json={"kind": "query", "value": "lighthouse"}, headers=auth
    ).json()
    assert writable.get(f"/api/watchlist/{watch['id']}").json()["new_articles"] == []
    posted = {
        "articles": [
            {
                "id": "lighthouse-keeper",
                "title": "Lighthouse keeper retires after forty years",
                "source": "Tern Island Tribune",
                "published": "2025-07-02",
                "text": "The last keeper of the Tern Island lighthouse retired on Tuesday after "
                "forty years, the harbour office said. The lamp now runs by itself.",
            }
        ]
    }
    r = writable.post("/api/articles", json=posted, headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["new"] == ["lighthouse-keeper"]
    now = writable.get(f"/api/watchlist/{watch['id']}").json()
    assert [a["id"] for a in now["new_articles"]] == ["lighthouse-keeper"]
    html = writable.get(f"/watchlist/{watch['id']}").text
    assert "Lighthouse keeper retires" in html
    writable.post(f"/api/watchlist/{watch['id']}/seen", headers=auth)
    assert writable.get(f"/api/watchlist/{watch['id']}").json()["new_articles"] == []
    assert writable.delete(f"/api/watchlist/{watch['id']}", headers=auth).status_code == 204
    _error(writable.get(f"/api/watchlist/{watch['id']}"), 404)


def test_request_bodies_are_limited(sample: Path, tmp_path: Path) -> None:
    small = TestClient(create_app(copy_store(sample, tmp_path), token=TOKEN, max_body=1000))
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    big = json.dumps({"kind": "query", "value": "x" * 5000})
    _error(small.post("/api/watchlist", content=big, headers=auth), 413)

    def chunks() -> Any:  # no Content-Length: counted while it streams in
        for _ in range(10):
            yield b"x" * 500

    _error(small.post("/api/watchlist", content=chunks(), headers=auth), 413)
    assert small.get("/api/watchlist").json()["total"] == 0


# -- safety ----------------------------------------------------------------------------------


def test_no_path_traversal(client: TestClient) -> None:
    secret = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()[:40]
    for url in (
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static/....//....//pyproject.toml",
        "/articles/..%2f..%2f..%2fpyproject.toml",
        "/api/articles/../../../../etc/passwd",
        "/static//etc/passwd",
    ):
        r = client.get(url)
        assert r.status_code in (400, 404), (url, r.status_code)
        assert secret not in r.text and "root:" not in r.text
    assert client.get("/static/app.css").status_code == 200


def test_strict_csp_and_no_inline_script_on_every_page(client: TestClient, sample: Path) -> None:
    story = _stories(sample)[0]
    urls = [
        "/",
        "/articles",
        "/entities",
        "/watchlist",
        "/api/docs",
        f"/stories/{story['id']}",
        f"/articles/{story['articles'][0]}",
        "/nope",
    ]
    for url in urls:
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp
            and "default-src 'none'" in csp
        )
        assert r.headers["x-content-type-options"] == "nosniff"
        _assert_inert(r.text, url)
    assert "content-security-policy" in client.get("/api/stories").headers


class _Inert(HTMLParser):
    """Collects what could execute: script elements, on* attributes, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            scripted = "".join((value or "").split()).lower()
            if name in (
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
            ) and scripted.startswith(("javascript:", "data:", "vbscript:")):
                self.urls.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data)


def _assert_inert(html: str, where: str) -> None:
    p = _Inert()
    p.feed(html)
    assert [s.get("src") for s in p.scripts] == ["/static/app.js"], where
    assert p.inline == [] and p.handlers == [] and p.urls == [], (
        where,
        p.inline,
        p.handlers,
        p.urls,
    )


def test_hostile_text_is_escaped_everywhere(hostile: tuple[TestClient, dict[str, Any]]) -> None:
    c, info = hostile
    pages = [
        "/",
        f"/stories/{info['story']}",
        "/articles/kb-1",
        "/articles/kb-2",
        "/articles",
        "/articles?q=harbour",
        "/entities",
        "/entities/Mira Oddny",
        "/?entity=Mira+Oddny",
    ]
    for url in pages:
        r = c.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        _assert_inert(r.text, url)
        assert "<script>document" not in r.text and "<img src=x" not in r.text, url
    story = c.get(f"/stories/{info['story']}").text
    assert "&lt;script&gt;document.title=" in story
    events = story[story.index('id="events"') :]
    assert "DISAPPROVE" in events and "PROTEST" in events and "/articles/kb-2#c-" in events
    assert "🛶" in c.get("/articles/kb-1").text  # odd Unicode kept, not mangled
    assert "&amp;lt;b&amp;gt;" in c.get("/articles/kb-1").text  # entities shown as typed
    # the tooltip of a citation holds the cited source text, escaped
    assert info["met"].text in _tooltips(story)
    # the API returns the text unchanged (JSON, not HTML)
    api = c.get(f"/api/stories/{info['story']}").json()
    assert api["title"] == HOSTILE_TITLE and HOSTILE_OUTLET in api["outlets"]
    # a script URL is never a link target
    assert f'href="{JS_URL}"' not in c.get("/articles/kb-1").text
    # hostile watch values are escaped too
    auth = {"Authorization": f"Bearer {TOKEN}"}
    c.post("/api/watchlist", json={"kind": "query", "value": f"pier {SCRIPT} {IMG}"}, headers=auth)
    for url in ("/watchlist", "/watchlist/1"):
        _assert_inert(c.get(url).text, url)


def test_serving_does_not_load_the_models(sample: Path) -> None:
    code = (
        "import sys; from newsprism.web import create_app; "
        f"app = create_app({str(sample)!r}); "
        "from fastapi.testclient import TestClient; c = TestClient(app); "
        "[c.get(u) for u in ('/', '/api/stories')]; "
        "print(sorted(m for m in ('torch', 'spacy', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_openapi_schema_and_docs_page(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/export", "/api/watchlist"):
        assert path in schema["paths"], path
    html = client.get("/api/docs").text
    assert "/api/stories" in html and "cdn" not in html.lower()


def test_api_export_streams_the_same_bytes_as_the_library(client: TestClient, sample: Path) -> None:
    import io

    from newsprism.store.export import write_export

    with Store(sample) as db:
        story = db.stories()[0]["id"]
        for kind, fmt, params in [
            ("facts", "csv", {}),
            ("quotes", "jsonl", {"story": story}),
            ("articles", "csv", {"since": "2025-06-01"}),
        ]:
            expected = io.BytesIO()
            write_export(
                db, kind, fmt, expected, story=params.get("story"), since=params.get("since")
            )
            r = client.get("/api/export", params={"what": kind, "format": fmt, **params})
            assert r.status_code == 200 and r.content == expected.getvalue(), (kind, fmt)
            assert "attachment" in r.headers["content-disposition"]
    pq = pytest.importorskip("pyarrow.parquet")
    r = client.get("/api/export", params={"what": "coverage", "format": "parquet"})
    assert pq.read_table(io.BytesIO(r.content)).num_rows == len(_stories(sample))
    _error(client.get("/api/export", params={"what": "facts", "story": "nope"}), 404)
    _error(client.get("/api/export", params={"what": "facts", "since": "yesterday"}), 400)


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsprism.cli import main

    r = CliRunner().invoke(main, ["serve", str(tmp_path / "nothing.db"), "--port", "8765"])
    assert r.exit_code == 2 and "no such store" in r.output
    assert not (tmp_path / "nothing.db").exists()


# -- storylines --------------------------------------------------------------------------------


def test_storylines_hold_every_story_once_in_time_order(client: TestClient, sample: Path) -> None:
    stories = {s["id"]: s for s in _stories(sample)}
    lines = client.get("/api/storylines", params={"per_page": 200}).json()
    assert lines["total"] == len(lines["items"]) >= 1
    seen: list[str] = []
    for line in lines["items"]:
        ids = [s["id"] for s in line["stories"]]
        assert line["story_count"] == len(ids) >= 1
        seen += ids
        firsts = [stories[i].get("first_published") or "" for i in ids]
        assert firsts == sorted(firsts), line["title"]
        assert all(stories[i].get("storyline") == line["id"] for i in ids)
        # the list page of the storyline's stories is exactly its stories
        listed = client.get("/api/stories", params={"storyline": line["id"], "per_page": 200})
        assert sorted(s["id"] for s in listed.json()["items"]) == sorted(ids)
    assert sorted(seen) == sorted(stories)  # each story in exactly one storyline


def test_storyline_pages_link_both_ways(client: TestClient) -> None:
    items = client.get("/api/storylines", params={"per_page": 200}).json()["items"]
    line = max(items, key=lambda x: x["story_count"])
    page = client.get(f"/storylines/{line['id']}")
    assert page.status_code == 200
    assert line["title"] in page.text.replace("&#39;", "'")
    for s in line["stories"]:
        assert f'href="/stories/{s["id"]}"' in page.text
    story = client.get(f"/stories/{line['stories'][0]['id']}")
    assert f'href="/storylines/{line["id"]}"' in story.text
    listing = client.get("/storylines")
    assert listing.text.count('class="storyline-row"') == len(items)
    assert client.get("/storylines/no-such-line").status_code == 404
    err = client.get("/api/storylines/no-such-line").json()
    assert err["error"]["code"] == "not_found"


def test_a_store_without_the_storyline_list_groups_by_each_storys_tag(
    sample: Path, tmp_path: Path
) -> None:
    from newsprism.store.base import STORYLINES_KEY

    path = copy_store(sample, tmp_path)
    with Store(path) as db:
        db.set_state(STORYLINES_KEY, None)
        tags: dict[str, list[str]] = {}
        for s in db.stories():
            tags.setdefault(s.get("storyline") or s["id"], []).append(s["id"])
    c = TestClient(create_app(path, token=""))
    items = c.get("/api/storylines", params={"per_page": 200}).json()["items"]
    got = {x["id"]: sorted(s["id"] for s in x["stories"]) for x in items}
    assert got == {k: sorted(v) for k, v in tags.items()}


def test_a_span_cited_twice_on_a_page_is_built_once() -> None:
    from newsprism.model import Article
    from newsprism.web.views import citation

    arts = {"a1": Article(id="a1", text="The quay closed. The ferry sailed.", source="Kell Post")}
    memo: dict = {}
    first = citation({"article": "a1", "start": 0, "end": 16}, arts, memo)
    again = citation({"article": "a1", "start": 0, "end": 16}, arts, memo)
    other = citation({"article": "a1", "start": 17, "end": 34}, arts, memo)
    assert again is first and first["text"] == "The quay closed."
    assert other["text"] == "The ferry sailed." and other["outlet"] == "Kell Post"
    assert citation({"article": "a1", "start": 0, "end": 16}, arts) == first  # same, unmemoized
