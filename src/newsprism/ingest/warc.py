"""WARC and WARC.gz web archives (warcio): each HTML page of the archive becomes an article.

``response`` records with an HTTP 2xx status and an HTML content type, and ``resource`` records of
type ``text/html``, are extracted with :func:`newsprism.ingest.html.extract_page` (the record's
``WARC-Target-URI`` is the url fallback). Other records (requests, metadata, images, CSS,
redirects) are passed over silently. Origins are ``path#record N`` counting the HTML pages.

A truncated archive (cut inside a record, a header or a gzip member) yields the pages read before
the cut, then ``Skipped(kind="truncated-archive")``; when not a single page could be read it raises
``BadInput("truncated-archive")``. A page without text is yielded as
``Skipped(kind="malformed-html")``; a page over ``options.max_bytes`` as ``Skipped(kind="too-large")``.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterator
from typing import Any

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.html import decode_html, extract_page
from newsprism.model import Skipped

logger = logging.getLogger(__name__)

WARC_TYPES = {
    "warcinfo",
    "response",
    "resource",
    "request",
    "metadata",
    "revisit",
    "conversion",
    "continuation",
}


def read(origin: str, data: bytes, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    """Yield one :class:`RawDoc` per HTML page in a WARC (see the module doc)."""
    if not data.strip():
        raise BadInput("empty", "empty WARC file")
    pages = 0
    records = 0
    truncated: str | None = None
    end = 0
    iterator: Any = None
    try:
        iterator = _quiet_iterator(io.BytesIO(data))
        for record in iterator:
            rec_type = record.rec_type
            if rec_type not in WARC_TYPES or not record.rec_headers.get_header("Content-Length"):
                truncated = "a WARC record header is cut off"
                break
            records += 1
            page = _html_payload(record, options.max_bytes)
            while record.raw_stream.read(1 << 16):  # drain what was not read
                pass
            if (getattr(record.raw_stream, "limit", 0) or 0) > 0:
                uri = record.rec_headers.get_header("WARC-Target-URI")
                truncated = f"the last record ({uri}) is cut off"
                break
            try:
                end = iterator.get_record_offset() + iterator.get_record_length()
            except Exception:  # offsets are a sanity check only
                end = len(data)
            if page is None:
                continue
            pages += 1
            page_origin = f"{origin}#record {pages}"
            status, payload, url = page
            if status == "too-large":
                yield Skipped(page_origin, f"page {url} is over the size limit", "too-large")
                continue
            try:
                yield extract_page(page_origin, payload, url=url)
            except BadInput as exc:
                yield Skipped(page_origin, f"{url}: {exc.reason}", exc.kind)
    except BadInput:
        raise
    except Exception as exc:  # warcio raises assorted errors on damaged input
        logger.debug("%s: WARC read stopped", origin, exc_info=True)
        truncated = f"damaged after {records} records ({type(exc).__name__})"
    if getattr(iterator, "err_count", 0):
        logger.warning(
            "%s: %d WARC records with a wrong Content-Length", origin, iterator.err_count
        )
    if truncated is None and data[end:].strip():
        truncated = f"{len(data) - end} bytes after the last complete record could not be read"
    if truncated is not None:
        if pages == 0 and records == 0:
            raise BadInput("truncated-archive", f"not a readable WARC archive: {truncated}")
        yield Skipped(origin, f"truncated WARC archive: {truncated}", "truncated-archive")
    elif pages == 0:
        raise BadInput("empty", f"the WARC archive holds no HTML pages ({records} records)")


def _quiet_iterator(stream: io.BytesIO) -> Any:
    """warcio's ArchiveIterator, minus its direct writes to stderr (counted in ``err_count``)."""
    return _quiet_class()(stream)


@functools.cache
def _quiet_class() -> Any:
    from warcio.archiveiterator import ArchiveIterator  # heavy: warcio, ~80 ms to import

    class QuietIterator(ArchiveIterator):
        INC_RECORD = ""

    return QuietIterator


def _html_payload(record: Any, max_bytes: int) -> tuple[str, str, str | None] | None:
    """(status, decoded html, target url) for an HTML page record, else None (record drained)."""
    url = record.rec_headers.get_header("WARC-Target-URI")
    ctype = ""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = (http.get_statuscode() or "").strip()
        if not status.startswith("2"):
            return None
        ctype = (http.get_header("Content-Type") or "").lower()
    elif record.rec_type == "resource":
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    else:
        return None
    if "html" not in ctype:
        return None
    stream = record.content_stream()
    body = stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        return ("too-large", "", url)
    charset = None
    for part in ctype.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    text = None
    if charset:
        try:
            text = body.decode(charset, errors="replace")
        except LookupError:
            text = None
    return ("ok", text if text is not None else decode_html(body), url)
