"""The web app over a store: ``create_app(store)`` returns a FastAPI application with the HTML
pages, the JSON API under /api (OpenAPI schema at /api/openapi.json, readable docs at /api/docs),
static assets served by the app itself, security headers, a body limit and one error shape.

Nothing here loads the NLP models: they are imported only when a write runs the pipeline.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsprism import __version__
from newsprism.store.base import StoreError, is_postgres_url
from newsprism.store.export import ExportError
from newsprism.web import api_routes, pages
from newsprism.web.archive import Archive, BadRequest, NotFound
from newsprism.web.pages import render
from newsprism.web.security import SecurityMiddleware, error_body

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
MAX_BODY = 5 * 1024 * 1024
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    422: "invalid_request",
    500: "internal_error",
}


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def _handler(status: int) -> Any:
    """An exception handler that answers ``status`` with the error's message (one shape)."""

    async def handle(request: Request, exc: Exception) -> Response:
        return _error(request, status, str(exc))

    return handle


def create_app(store: str | Path, token: str | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The app over ``store``: an existing SQLite store (the file, or the folder holding
    newsprism.db) or a ``postgresql://`` URL. ``token`` defaults to the ``NEWSPRISM_TOKEN``
    environment variable; without one the app is read-only."""
    path: str | Path = str(store)
    if not is_postgres_url(path):
        path = Path(store)
        if path.is_dir():
            path = path / "newsprism.db"
        if not path.is_file():
            raise StoreError(f"{path}: no such store (run `newsprism analyze ... -o DIR` first)")
    app = FastAPI(
        title="newsprism",
        version=__version__,
        description="Stories across outlets: the JSON API of `newsprism serve`.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.archive = Archive(path)
    # build the story index in the background, so the first list request rarely waits for it
    threading.Thread(target=_warm, args=(app.state.archive,), daemon=True).start()
    app.state.token = token if token is not None else os.environ.get("NEWSPRISM_TOKEN") or None
    app.state.templates = templates()

    app.include_router(api_routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _error_handlers(app)
    app.add_middleware(SecurityMiddleware, max_body=max_body)
    return app


def _warm(archive: Archive) -> None:
    try:
        archive.index()
    except Exception as exc:  # a request will report it
        log.warning("could not index the store: %s", exc)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") and request.url.path != "/api/docs"


def _error(request: Request, status: int, message: str, details: Any = None) -> Response:
    code = CODES.get(status, "error")
    if _wants_json(request):
        return JSONResponse(error_body(status, code, message, details), status_code=status)

    return render(request, "error.html", status=status, code=code, message=message)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        response = _error(request, exc.status_code, message)
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _error(request, 422, "invalid request", details)

    # the library's own errors: their message, with the status each one means
    for kind, status in ((NotFound, 404), (BadRequest, 400), (ExportError, 400), (StoreError, 400)):
        app.add_exception_handler(kind, _handler(status))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _error(request, 500, "internal error (see the server log)")


def app_from_env() -> FastAPI:
    """The app over the store named by ``NEWSPRISM_SERVE_STORE`` (for uvicorn worker processes)."""
    return create_app(os.environ["NEWSPRISM_SERVE_STORE"])


def serve(
    store: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    workers: int = 1,
) -> None:
    """Run the app under uvicorn (blocking); ``workers`` > 1 runs that many processes."""
    import uvicorn  # heavy: uvicorn, ~90 ms; only to serve

    if workers > 1:
        create_app(store, token)  # fail here, once, on a bad store
        os.environ["NEWSPRISM_SERVE_STORE"] = str(store)
        if token is not None:
            os.environ["NEWSPRISM_TOKEN"] = token
        uvicorn.run(
            "newsprism.web.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    uvicorn.run(create_app(store, token), host=host, port=port, log_level="warning")
