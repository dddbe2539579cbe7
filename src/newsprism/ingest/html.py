"""HTML news pages: main text with trafilatura, metadata from JSON-LD, meta tags and htmldate.

The page is decoded and parsed once (lxml through trafilatura's loader); metadata is read from
the tree, then trafilatura extracts the main text (paragraphs kept, one per line, comments left
out). Metadata precedence, per field:

1. JSON-LD ``NewsArticle``/``Article``/``BlogPosting``... object (``headline``, ``datePublished``,
   ``author``, ``publisher.name``, ``url``, ``inLanguage``): origin ``"json-ld"``;
2. meta tags (``og:title``, ``og:site_name``, ``og:url``, ``article:published_time``,
   ``name=author``, ``<link rel=canonical>``, ``<html lang>``...): origin ``"html-meta"``;
3. fallbacks: publication date by htmldate (``original_date=True``, fast mode): ``"htmldate"``;
   title from the first ``<h1>`` or ``<title>``: ``"html-title"``.

A page with no extractable text (and no JSON-LD ``articleBody``) raises
``BadInput("malformed-html", ...)``. Nothing here touches the network: only parsed trees are
handed to trafilatura/htmldate (a bare string that looks like a URL would make them download).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.meta import normalize_authors, normalize_date
from newsprism.model import Skipped

logger = logging.getLogger(__name__)

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "report",
    "scholarlyarticle",
    "techarticle",
}
# meta tag key (property/name/itemprop, lower-cased) -> our field, in precedence order
_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "headline"),
    "source": ("og:site_name", "application-name", "publisher", "dc.publisher"),
    "url": ("og:url", "twitter:url"),
    "published": (
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dc.date",
        "dcterms.date",
        "date",
    ),
    "authors": ("author", "article:author", "parsely-author", "dc.creator", "sailthru.author"),
    "description": ("og:description", "description", "twitter:description"),
    "language": ("content-language", "dc.language", "og:locale"),
}


def read(origin: str, data: bytes, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    """Yield the one article of an HTML page (see the module doc); BadInput when there is none."""
    if not data.strip():
        raise BadInput("empty", "empty HTML file")
    yield extract_page(origin, decode_html(data))


def decode_html(data: bytes) -> str:
    """Decode HTML bytes: BOM, UTF-8, the declared ``<meta charset>``, then charset detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace")
        except (LookupError, ValueError):
            pass
    try:
        from charset_normalizer import from_bytes  # heavy: ~20 ms; only without a declared charset

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    except Exception:  # detection is best effort
        logger.debug("charset detection failed", exc_info=True)
    return data.decode("cp1252", errors="replace")


def extract_page(origin: str, html: str, url: str | None = None) -> RawDoc:
    """One :class:`RawDoc` from decoded HTML; ``url`` (e.g. a WARC target URI) is a last fallback.

    Raises ``BadInput("malformed-html")`` when no article text can be extracted.
    """
    try:
        return _extract_page(origin, html, url)
    except BadInput:
        raise
    except RecursionError:
        raise BadInput("malformed-html", "HTML nested too deeply to parse") from None
    except Exception as exc:  # lxml/trafilatura failures on hostile input
        logger.debug("%s: HTML extraction failed", origin, exc_info=True)
        raise BadInput(
            "malformed-html", f"HTML could not be parsed: {type(exc).__name__}"
        ) from None


def _extract_page(origin: str, html: str, url: str | None) -> RawDoc:
    import trafilatura  # heavy: trafilatura (lxml), ~0.2 s to import
    from trafilatura.utils import load_html  # heavy: as above

    clean = _BAD_CHARS.sub("", html)
    if not clean.strip():
        raise BadInput("empty", "empty HTML file")
    tree = load_html(clean)
    if tree is None:
        raise BadInput("malformed-html", "not parseable as HTML")

    meta: dict[str, Any] = {}
    meta_origin: dict[str, str] = {}
    body_fallback = _jsonld_metadata(tree, meta, meta_origin)
    _meta_tags(tree, meta, meta_origin)

    doc = trafilatura.bare_extraction(tree, options=_extractor())
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        text = body_fallback or ""
        if not text.strip():
            raise BadInput("malformed-html", "no article text could be extracted from the HTML")
        meta_origin["text"] = "json-ld"

    if "title" not in meta:
        title = _first_text(tree, ".//h1") or _first_text(tree, ".//title")
        if title:
            meta["title"] = title
            meta_origin["title"] = "html-title"
    if "url" not in meta and url:
        meta["url"] = url
        meta_origin["url"] = "warc-header"
    if "published" not in meta:
        found = _htmldate(tree, meta.get("url"))
        if found:
            meta["published"] = found
            meta_origin["published"] = "htmldate"
    return RawDoc(
        origin=origin, text=text, raw=html, meta=meta, meta_origin=meta_origin, scraped=False
    )


@functools.cache
def _extractor() -> Any:
    """trafilatura's settings, built once (read-only during extraction, safe to share)."""
    from trafilatura.settings import Extractor  # heavy: trafilatura, ~0.2 s to import

    return Extractor(output_format="python", comments=False, with_metadata=False)


def _htmldate(tree: Any, url: str | None) -> str | None:
    from htmldate import find_date  # heavy: htmldate, ~0.1 s to import

    try:
        return find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate is best effort
        logger.debug("htmldate failed", exc_info=True)
        return None


def _first_text(tree: Any, path: str) -> str | None:
    el = tree.find(path)
    if el is None:
        return None
    text = " ".join(" ".join(el.itertext()).split())
    return text or None


def _set(
    meta: dict[str, Any], meta_origin: dict[str, str], key: str, value: Any, origin: str
) -> None:
    if key in meta or value in (None, "", []):
        return
    meta[key] = value
    meta_origin[key] = origin


def _jsonld_metadata(tree: Any, meta: dict[str, Any], meta_origin: dict[str, str]) -> str | None:
    """Fill ``meta`` from the page's first JSON-LD article object; return its ``articleBody``."""
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"), strict=False)
        except (ValueError, RecursionError):
            continue
        obj = _find_article(data, 0)
        if obj is None:
            continue
        title = _str(obj.get("headline")) or _str(obj.get("name"))
        _set(meta, meta_origin, "title", _squash(title), "json-ld")
        published = normalize_date(_str(obj.get("datePublished")) or _str(obj.get("dateCreated")))
        _set(meta, meta_origin, "published", published, "json-ld")
        _set(meta, meta_origin, "authors", normalize_authors(obj.get("author")), "json-ld")
        _set(meta, meta_origin, "source", _squash(_name(obj.get("publisher"))), "json-ld")
        page = obj.get("mainEntityOfPage")
        page_url = _str(page.get("@id")) if isinstance(page, dict) else _str(page)
        obj_url = _str(obj.get("url")) or page_url
        if obj_url and obj_url.startswith("http"):
            _set(meta, meta_origin, "url", obj_url.strip(), "json-ld")
        _set(meta, meta_origin, "language", _str(obj.get("inLanguage")), "json-ld")
        _set(meta, meta_origin, "description", _squash(_str(obj.get("description"))), "json-ld")
        return _str(obj.get("articleBody"))
    return None


def _find_article(data: Any, depth: int) -> dict[str, Any] | None:
    if depth > 6:
        return None
    if isinstance(data, list):
        for item in data:
            found = _find_article(item, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(data, dict):
        return None
    types = data.get("@type")
    type_list = types if isinstance(types, list) else [types]
    if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in type_list):
        return data
    for key in ("@graph", "mainEntity", "itemListElement", "item"):
        if key in data:
            found = _find_article(data[key], depth + 1)
            if found is not None:
                return found
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _str(value.get("name"))
    return _str(value)


def _squash(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None


def _meta_tags(tree: Any, meta: dict[str, Any], meta_origin: dict[str, str]) -> None:
    tags: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), content.strip())
    for fld, keys in _META_KEYS.items():
        if fld in meta:
            continue
        for key in keys:
            value: Any = tags.get(key)
            if not value:
                continue
            if fld == "published":
                value = normalize_date(value)
            elif fld == "authors":
                value = normalize_authors(value)
            elif fld == "language":
                value = value.replace("_", "-").split("-")[0].lower()[:3]
            elif fld == "url" and not value.startswith("http"):
                continue
            else:
                value = _squash(value)
            if value:
                _set(meta, meta_origin, fld, value, "html-meta")
                break
    if "url" not in meta:
        for link in tree.iterfind(".//link"):
            href = link.get("href") or ""
            if (link.get("rel") or "").lower() == "canonical" and href.startswith("http"):
                _set(meta, meta_origin, "url", href.strip(), "html-meta")
                break
    if "language" not in meta:
        lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        if lang and lang.strip():
            _set(meta, meta_origin, "language", lang.strip().split("-")[0].lower()[:3], "html-meta")
