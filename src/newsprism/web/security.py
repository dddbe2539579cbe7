"""Safety for the web app: security headers with a strict Content-Security-Policy (no inline
script, no third-party origin), a request-body limit, and the bearer token that writes need."""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import HTTPException, Request

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def error_body(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one error shape of every API error."""
    err: dict[str, Any] = {"status": status, "code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


class SecurityMiddleware:
    """Adds the security headers to every response and refuses request bodies over
    ``max_body`` bytes (413, checked on Content-Length and while the body streams in)."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in HEADERS if k not in names
                ]
            await send(message)

        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.max_body:
                await self._refuse(send_wrapper)
                return
            await self.app(scope, receive, send_wrapper)
            return
        # no Content-Length (a chunked body): read it up to the limit before the app sees it
        messages: list[dict[str, Any]] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                await self._refuse(send_wrapper)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> dict[str, Any]:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send_wrapper)

    async def _refuse(self, send: Any) -> None:
        body = json.dumps(
            error_body(413, "body_too_large", f"request body over {self.max_body} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def require_token(request: Request) -> None:
    """Writes need ``Authorization: Bearer <NEWSPRISM_TOKEN>``; without a configured token the
    app is read-only."""
    token: str | None = request.app.state.token
    if not token:
        raise HTTPException(
            403, "read-only: start the app with NEWSPRISM_TOKEN set to allow writes"
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("utf-8", "replace"), token.encode("utf-8")
    ):
        raise HTTPException(
            401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
