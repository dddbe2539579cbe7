"""The JSON API (under /api): the same data as the pages, paginated lists, one error shape,
streamed exports; writes need the bearer token."""

from __future__ import annotations

import json
import logging
import queue
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from newsprism.ingest import IngestOptions
from newsprism.outputs.document import article_to_dict
from newsprism.store.base import open_reader, open_store
from newsprism.store.export import (
    FORMATS,
    KINDS,
    MEDIA_TYPES,
    ExportError,
    export_chunks,
    export_table,
)
from newsprism.store.sql import SQLStore
from newsprism.web.archive import Archive, BadRequest, StoryQuery, check_date
from newsprism.web.params import PageNo, PerPage, Text, story_query
from newsprism.web.security import require_token

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api")


def _archive(request: Request) -> Archive:
    return request.app.state.archive


@router.get("/stories", summary="Stories: search, filter (storyline too), sort, page")
def stories(request: Request, query: Annotated[StoryQuery, Depends(story_query)]) -> dict[str, Any]:
    return _archive(request).list_stories(query).to_dict()


@router.get("/storylines", summary="Storylines, most recent first, each with its stories")
def storylines(request: Request, page: PageNo = 1, per_page: PerPage = 20) -> dict[str, Any]:
    return _archive(request).list_storylines(page, per_page).to_dict()


@router.get("/storylines/{storyline_id}", summary="One storyline: its stories and timeline")
def storyline(request: Request, storyline_id: str) -> dict[str, Any]:
    return _archive(request).storyline(storyline_id)


@router.get("/stories/{story_id}", summary="One story as stored (the stories.json form)")
def story(request: Request, story_id: str) -> dict[str, Any]:
    data, _ = _archive(request).story(story_id)
    return data


@router.get("/articles", summary="Articles: full-text search, outlet, date, page")
def articles(
    request: Request,
    q: Text = None,
    outlet: Text = None,
    since: Text = None,
    page: PageNo = 1,
    per_page: PerPage = 20,
) -> dict[str, Any]:
    return _archive(request).list_articles(q, outlet, since, page, per_page).to_dict()


@router.get("/articles/{article_id:path}", summary="One article with its enrichment and stories")
def article(request: Request, article_id: str) -> dict[str, Any]:

    a, enriched, in_stories = _archive(request).article(article_id)
    return {
        **article_to_dict(a),
        "stories": [s.get("id") for s in in_stories],
        "enrichment": enriched.to_dict() if enriched else None,
    }


@router.get("/entities", summary="Entities named in stories, most stories first")
def entities(
    request: Request, q: Text = None, page: PageNo = 1, per_page: PerPage = 50
) -> dict[str, Any]:
    return _archive(request).list_entities(q, page, per_page).to_dict()


@router.get("/entities/{name:path}", summary="One entity: stories, quotes, actions, mentions")
def entity(request: Request, name: str, page: PageNo = 1, per_page: PerPage = 20) -> dict[str, Any]:
    data = _archive(request).entity(name)
    items = data["stories"]
    start = (page - 1) * per_page
    data["stories"] = {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(items),
        "pages": max(1, -(-len(items) // per_page)),
    }
    return data


# -- watchlist -------------------------------------------------------------------------------


class WatchIn(BaseModel):
    kind: str = Field(pattern="^(query|entity)$", description="'query' (full-text) or 'entity'")
    value: str = Field(min_length=1, max_length=200)


@router.get("/watchlist", summary="Saved queries and entities")
def watchlist(request: Request, page: PageNo = 1, per_page: PerPage = 50) -> dict[str, Any]:
    items = _archive(request).watchlist()
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(items),
        "pages": max(1, -(-len(items) // per_page)),
    }


@router.get("/watchlist/{watch_id}", summary="A watch: its stories, and what is new since seen")
def watch(request: Request, watch_id: str) -> dict[str, Any]:
    return _archive(request).watch(watch_id)


@router.post(
    "/watchlist",
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Save a query or an entity (token)",
)
def add_watch(request: Request, body: WatchIn) -> dict[str, Any]:
    return _archive(request).add_watch(body.kind, body.value)


@router.post(
    "/watchlist/{watch_id}/seen",
    dependencies=[Depends(require_token)],
    summary="Mark a watch as seen now (token)",
)
def seen(request: Request, watch_id: str) -> dict[str, Any]:
    return _archive(request).mark_seen(watch_id)


@router.delete(
    "/watchlist/{watch_id}",
    status_code=204,
    dependencies=[Depends(require_token)],
    summary="Remove a watch (token)",
)
def remove_watch(request: Request, watch_id: str) -> None:
    _archive(request).remove_watch(watch_id)


# -- writes that run the pipeline ------------------------------------------------------------


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, max_length=2_000_000)
    id: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=40)


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=1000)
    analyze: bool = Field(default=False, description="Re-analyze the store after ingesting")


class AnalyzeIn(BaseModel):
    embeddings: bool = Field(default=True, description="Use sentence embeddings (slower)")


_write_lock = threading.Lock()


def _reanalyze(archive: Archive, embeddings: bool) -> dict[str, Any]:
    from newsprism import api  # heavy: loads spaCy and the encoder; only re-analysis needs it

    with open_store(archive.path) as db:
        result = api.analyze([], api.AnalyzeOptions(use_embeddings=embeddings), store=db)
    archive.invalidate()
    return {"articles": len(result.articles), "stories": len(result.stories)}


@router.post(
    "/articles",
    status_code=201,
    dependencies=[Depends(require_token)],
    summary="Ingest articles (token); optionally re-analyze",
)
def ingest(request: Request, body: IngestIn) -> dict[str, Any]:
    from newsprism.api import ingest_into_store  # heavy: loads spaCy and the encoder

    archive = _archive(request)
    with _write_lock, tempfile.TemporaryDirectory(prefix="newsprism-post-") as tmp:
        path = Path(tmp) / "posted.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for n, a in enumerate(body.articles):
                record = {k: v for k, v in a.model_dump().items() if v is not None}
                record.setdefault("id", f"posted-{n + 1}")
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        with open_store(archive.path) as db:
            result = ingest_into_store([path], IngestOptions(), db)
        archive.invalidate()
        out: dict[str, Any] = {
            "new": [a.id for a in result.new],
            "skipped": [{"kind": s.kind, "reason": s.reason} for s in result.skipped],
            "unchanged": result.unchanged,
        }
        if body.analyze:
            out["analysis"] = _reanalyze(archive, embeddings=True)
    return out


@router.post(
    "/analyze", dependencies=[Depends(require_token)], summary="Re-analyze the store (token)"
)
def analyze(request: Request, body: AnalyzeIn) -> dict[str, Any]:
    with _write_lock:
        return _reanalyze(_archive(request), body.embeddings)


# -- exports ---------------------------------------------------------------------------------


@router.get("/export", summary="Export a table (no row cap, streamed)")
def export(
    request: Request,
    what: Annotated[str, Query(description=", ".join(KINDS))],
    format: Annotated[str, Query(description=", ".join(FORMATS))] = "csv",
    story: Text = None,
    since: Text = None,
) -> StreamingResponse:
    if what not in KINDS:
        raise BadRequest(f"what: choose one of {', '.join(KINDS)}")
    if format not in FORMATS:
        raise BadRequest(f"format: choose one of {', '.join(FORMATS)}")
    since = check_date(since, "since")
    archive = _archive(request)
    if story is not None:
        archive.story(story)  # 404 before streaming starts
    return StreamingResponse(
        _stream(archive.path, what, format, story, since),
        media_type=MEDIA_TYPES[format],
        headers={"content-disposition": f'attachment; filename="newsprism-{what}.{format}"'},
    )


_DONE = object()


async def _stream(
    path: str, what: str, fmt: str, story: str | None, since: str | None
) -> AsyncIterator[bytes]:
    """Produce the export in one worker thread (its own connection) into a small queue, so
    memory stays flat and the connection is used from a single thread."""
    chunks: queue.Queue[Any] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def produce() -> None:
        try:
            with open_reader(path) as db:
                for chunk in _chunks(db, what, fmt, story, since):
                    while not stop.is_set():
                        try:
                            chunks.put(chunk, timeout=0.5)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
        except (ExportError, Exception) as exc:  # reported in the log; the stream ends
            log.error("export %s failed: %s", what, exc)
        finally:
            while not stop.is_set():
                try:
                    chunks.put(_DONE, timeout=0.5)
                    break
                except queue.Full:
                    continue

    worker = threading.Thread(target=produce, name="newsprism-export", daemon=True)
    worker.start()
    try:
        while True:
            chunk = await anyio.to_thread.run_sync(chunks.get)
            if chunk is _DONE:
                break
            yield chunk
    finally:
        stop.set()


def _chunks(
    db: SQLStore, what: str, fmt: str, story: str | None, since: str | None
) -> Iterator[bytes]:
    yield from export_chunks(export_table(db, what, story, since), fmt)


def not_found(message: str) -> HTTPException:
    return HTTPException(404, message)
