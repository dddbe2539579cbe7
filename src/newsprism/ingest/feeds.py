"""RSS and Atom feeds (feedparser): one article per entry.

Per entry: text from the full content (``content:encoded`` / Atom ``content``) turned from HTML into
plain text (paragraphs one per line), else the summary/description; ``title``, ``link`` as url,
published (else updated) date, author(s), and the feed's title as the outlet (``source``).
Origins are ``path#entry N`` (1-based). An entry with no text is yielded as
``Skipped(kind="empty")``; a document that is not a feed raises ``BadInput("malformed-feed")``.
Feeds are parsed from bytes only (never a URL or a file name: feedparser would fetch or open it).
"""

from __future__ import annotations

import html as htmllib
import io
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.meta import normalize_authors, normalize_date
from newsprism.model import Skipped

logger = logging.getLogger(__name__)

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "tr",
    "table",
    "figure",
    "figcaption",
    "pre",
    "hr",
}
_DROP_TAGS = {"script", "style", "noscript", "iframe", "object", "embed", "svg", "form", "button"}
_LOOKS_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*[^>]*>")


def read(origin: str, data: bytes, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    """Yield one :class:`RawDoc` per feed entry (see the module doc)."""
    if not data.strip():
        raise BadInput("empty", "empty feed file")
    try:
        parsed = _parse(data)
    except Exception as exc:  # feedparser is tolerant, but guard hostile input
        raise BadInput(
            "malformed-feed", f"feed could not be parsed: {type(exc).__name__}"
        ) from None
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    if not entries:
        if parsed.get("bozo") and not version:
            problem = parsed.get("bozo_exception")
            raise BadInput("malformed-feed", f"not a readable RSS/Atom feed: {problem}")
        raise BadInput("empty", "the feed has no entries")
    feed = parsed.get("feed") or {}
    outlet = _clean_line(feed.get("title"))
    language = _lang(feed.get("language"))
    for n, entry in enumerate(entries, 1):
        entry_origin = f"{origin}#entry {n}"
        try:
            doc = _entry_doc(entry_origin, entry, outlet, language)
        except Exception as exc:  # one odd entry must not lose the feed
            logger.debug("%s: entry failed", entry_origin, exc_info=True)
            yield Skipped(
                entry_origin, f"feed entry {n} could not be read: {exc}", "malformed-feed"
            )
            continue
        if doc is None:
            yield Skipped(entry_origin, f"feed entry {n} has no text", "empty")
        else:
            yield doc


def _parse(data: bytes) -> Any:
    import feedparser  # heavy: feedparser, ~70 ms to import

    # sanitizing is feedparser's job, relative URIs need no base here
    return feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)


def _entry_doc(origin: str, entry: Any, outlet: str | None, language: str | None) -> RawDoc | None:
    raw = ""
    text = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        candidate = _to_text(value, content.get("type"))
        if len(candidate) > len(text):
            text, raw = candidate, value
    summary = entry.get("summary") or ""
    if not text.strip() and summary:
        detail = entry.get("summary_detail") or {}
        text, raw = _to_text(summary, detail.get("type")), summary
    if not text.strip():
        return None
    meta: dict[str, Any] = {}
    meta_origin: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        if value not in (None, "", []):
            meta[key] = value
            meta_origin[key] = "feed"

    put("title", _clean_line(_to_text(entry.get("title") or "", None)))
    link = entry.get("link")
    put("url", link.strip() if isinstance(link, str) and link.strip() else None)
    put("published", _date(entry))
    names = [a.get("name") for a in entry.get("authors") or [] if isinstance(a, dict)]
    authors = normalize_authors([n for n in names if n] or entry.get("author"))
    put("authors", authors)
    put("source", outlet)
    put("language", _lang(entry.get("language")) or language)
    if summary and raw is not summary:
        put("description", _clean_line(_to_text(summary, None)))
    return RawDoc(origin=origin, text=text, raw=raw, meta=meta, meta_origin=meta_origin)


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(key)
        if isinstance(st, time.struct_time):
            if st.tm_hour == st.tm_min == st.tm_sec == 0:
                return time.strftime("%Y-%m-%d", st)
            return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", st)  # feedparser normalizes to UTC
    for key in ("published", "updated"):
        value = entry.get(key)
        iso = normalize_date(value)  # feedparser could not parse it: RFC 2822 or free text
        if iso:
            return iso
    return None


def _lang(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip().replace("_", "-").split("-")[0].lower()[:3] or None
    return None


def _clean_line(value: str | None) -> str | None:
    if not value:
        return None
    return " ".join(value.split()) or None


def _to_text(value: str, mime: str | None) -> str:
    """Plain text of an entry's content: light HTML-to-text keeping one paragraph per line."""
    if not value:
        return ""
    if (mime and "html" not in mime) or not _LOOKS_HTML.search(value):
        return _tidy(htmllib.unescape(value))
    return html_to_text(value)


def html_to_text(fragment: str) -> str:
    """Light HTML-to-text for feed snippets: block elements become line breaks, scripts dropped."""
    from lxml import etree  # heavy: lxml, only for HTML in a feed entry
    from lxml import html as lxml_html  # heavy: as above

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(htmllib.unescape(re.sub(r"<[^>]*>", " ", fragment)))
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
