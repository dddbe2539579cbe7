"""The HTML pages: story list, story, article, entity, watchlist and the API docs. Rendered on
the server with Jinja2 (autoescaping on); the only script is the app's own static file."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from newsprism.store.export import FORMATS, KINDS
from newsprism.web.archive import STATUSES, Archive, StoryQuery
from newsprism.web.highlight import article_marks, cited_spans, segments
from newsprism.web.params import PageNo, Text, story_query
from newsprism.web.views import article_href, mentions_svg, story_view

router = APIRouter(include_in_schema=False)


def _archive(request: Request) -> Archive:
    return request.app.state.archive


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = request.app.state.templates.get_template(name)
    html = template.render(
        request_path=request.url.path,
        writable=bool(request.app.state.token),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _page_links(request: Request, page: int, pages: int) -> dict[str, str | None]:
    params = dict(request.query_params)

    def link(n: int) -> str:
        return "?" + urlencode({**params, "page": str(n)})

    return {
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
    }


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request, query: Annotated[StoryQuery, Depends(story_query)]
) -> HTMLResponse:
    archive = _archive(request)
    result = archive.list_stories(query)
    idx = archive.index()
    line = idx.storyline_by_id.get(query.storyline or "")
    return render(
        request,
        "stories.html",
        query=query,
        storyline=line,
        result=result,
        outlets=idx.outlets,
        statuses=STATUSES,
        links=_page_links(request, result.page, result.pages),
        kinds=KINDS,
        formats=FORMATS,
    )


@router.get("/storylines", response_class=HTMLResponse)
def storyline_list(request: Request, page: PageNo = 1) -> HTMLResponse:
    result = _archive(request).list_storylines(page, 20)
    return render(
        request,
        "storylines.html",
        result=result,
        links=_page_links(request, result.page, result.pages),
    )


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse)
def storyline_page(request: Request, storyline_id: str) -> HTMLResponse:
    line = _archive(request).storyline(storyline_id)
    return render(request, "storyline.html", line=line)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    archive = _archive(request)
    story, articles = archive.story(story_id)
    view = story_view(story, articles)
    line = archive.index().storyline_by_id.get(str(story.get("storyline") or ""))
    if line is not None:
        view["storyline"] = {
            "id": line["id"],
            "title": line["title"],
            "count": len(line["stories"]),
        }
    return render(
        request,
        "story.html",
        s=view,
        kinds=KINDS,
        formats=FORMATS,
        story_q=quote(story_id, safe=""),
    )


@router.get("/articles", response_class=HTMLResponse)
def article_list(
    request: Request, q: Text = None, outlet: Text = None, since: Text = None, page: PageNo = 1
) -> HTMLResponse:
    result = _archive(request).list_articles(q or None, outlet or None, since or None, page, 30)
    return render(
        request,
        "articles.html",
        q=q or "",
        outlet=outlet or "",
        since=since or "",
        outlets=_archive(request).index().outlets,
        result=result,
        links=_page_links(request, result.page, result.pages),
        href=article_href,
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    article, enriched, stories = _archive(request).article(article_id)
    cited = cited_spans(article.id, stories)
    marks = article_marks(article.text, enriched, cited)
    return render(
        request,
        "article.html",
        a=article,
        segs=segments(article.text, marks),
        stories=stories,
        counts={
            k: sum(1 for m in marks if m.kind == k) for k in ("entity", "quote", "date", "cited")
        },
    )


@router.get("/entities", response_class=HTMLResponse)
def entity_list(request: Request, q: Text = None, page: PageNo = 1) -> HTMLResponse:
    result = _archive(request).list_entities(q or None, page, 100)
    return render(
        request,
        "entities.html",
        q=q or "",
        result=result,
        links=_page_links(request, result.page, result.pages),
        quote=lambda s: quote(s, safe=""),
    )


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(request: Request, name: str) -> HTMLResponse:
    data = _archive(request).entity(name)
    return render(
        request,
        "entity.html",
        e=data,
        chart=mentions_svg(data["mentions_by_day"], data["name"]),
        href=article_href,
        quote=lambda s: quote(s, safe=""),
    )


@router.get("/watchlist", response_class=HTMLResponse)
def watchlist_page(request: Request) -> HTMLResponse:
    archive = _archive(request)
    entries = [archive.watch(e["id"]) for e in archive.watchlist()]
    return render(request, "watchlist.html", entries=entries, href=article_href)


@router.get("/watchlist/{watch_id}", response_class=HTMLResponse)
def watch_page(request: Request, watch_id: str) -> HTMLResponse:
    return render(request, "watch.html", w=_archive(request).watch(watch_id), href=article_href)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    ops = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "params": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ],
            "body": bool(op.get("requestBody")),
        }
        for path, item in schema.get("paths", {}).items()
        for method, op in item.items()
    ]
    return render(request, "apidocs.html", ops=ops)
