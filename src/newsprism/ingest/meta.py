"""Article metadata: sidecar files, CSV manifests, outlet names from URLs, date normalisation.

Precedence, highest first (each field separately): manifest > sidecar ``NAME.meta.json`` >
what the format reader found > the URL host (``source`` only) > ``--source``/``--published``
defaults > the parent folder name (``source`` only). A field nobody knows stays None; where
each field came from is recorded in ``Article.meta_origin``.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

__all__ = [
    "FIELDS",
    "load_manifest",
    "manifest_entry",
    "merge",
    "normalize_authors",
    "normalize_date",
    "normalize_meta",
    "read_sidecar",
    "sidecar_path",
    "url_source",
]

FIELDS = ("title", "source", "url", "published", "authors")
SIDECAR_SUFFIX = ".meta.json"


# ---------------------------------------------------------------------------------------------
# Normalisation: the one place where a date or an author list from any source is cleaned. Every
# reader (JSON records, HTML JSON-LD and meta tags, feeds, archive sidecars), the metadata merge
# (sidecars, manifests) and the ``--published`` default go through these two functions.

_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")
_EPOCH_TEXT = re.compile(r"\d{9,13}(?:\.\d+)?")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
#: Keys under which a JSON object holds a date value (JSON-LD ``@value``, MongoDB ``$date``...).
_DATE_KEYS = ("@value", "$date", "value", "text", "name")
MAX_DATE_CHARS = 100


def normalize_date(value: Any) -> str | None:
    """An ISO date (``2023-03-17``) or datetime (``2023-03-17T09:30:00+00:00``) string, or None.

    Rules, in order:

    - ``date``/``datetime`` objects: their ISO form.
    - Numbers: Unix epoch seconds (1e8 <= n < 1e10, 1973 to 2286) or milliseconds
      (1e11 < n < 1e13), as UTC; other numbers (a bare year, a count) are not dates.
    - A JSON object: its ``@value``, ``$date``, ``value``, ``text`` or ``name`` member.
    - Strings starting ``YYYY-MM-DD``: ISO, ``Z`` read as UTC; a bare date stays a date; an
      unreadable tail keeps the date part (``2023-03-17 (updated)`` -> ``2023-03-17``); an
      impossible date (``2023-02-30``) is None.
    - Strings of 9 to 13 digits: epoch seconds or milliseconds, as for numbers.
    - RFC 2822 dates (feeds, mail): ``Fri, 17 Mar 2023 09:30:00 GMT``.
    - Free text with a four-digit year (``March 17, 2023``, ``17 March 2023``) through
      dateparser; without a year the date cannot be anchored and is None.
    - Anything else (empty, over 100 characters, ``next week``, lists): None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, int | float):
        return _epoch(float(value))
    if isinstance(value, dict):
        for key in _DATE_KEYS:
            if value.get(key) not in (None, ""):
                return normalize_date(value[key])
        return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > MAX_DATE_CHARS:
        return None
    if _ISO_PREFIX.match(s):
        return _iso(s)
    if _EPOCH_TEXT.fullmatch(s):
        return _epoch(float(s))
    try:
        return parsedate_to_datetime(s).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser(s)


def _epoch(n: float) -> str | None:
    if 1e11 < n < 1e13:  # milliseconds
        n /= 1000
    elif not 1e8 <= n < 1e10:  # seconds from 1973 to 2286; smaller numbers are counts or years
        return None
    try:
        return datetime.fromtimestamp(n, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _iso(s: str) -> str | None:
    try:
        dt = datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith("Z") else s)
    except ValueError:
        try:
            return date.fromisoformat(s[:10]).isoformat()
        except ValueError:
            return None
    return dt.date().isoformat() if len(s) <= 10 else dt.isoformat()


def _dateparser(s: str) -> str | None:
    if not re.search(r"\d{4}", s):  # without a year the date cannot be anchored
        return None
    try:
        import dateparser  # heavy (slow import); only free-text dates need it
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    try:
        dt = dateparser.parse(
            s,
            languages=None,
            settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"]},
        )
    except Exception:  # dateparser raises assorted errors on odd input
        log.debug("dateparser failed on %r", s, exc_info=True)
        return None
    if dt is None:
        return None
    return dt.isoformat() if _HAS_TIME.search(s) else dt.date().isoformat()


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||\band\b|&|\n)\s*")
_BY = re.compile(r"^(?:by|von|par|por)\s+", re.I)
#: Keys under which a JSON object (schema.org ``Person``, feed author) holds a name.
_NAME_KEYS = ("name", "text", "value")
MAX_AUTHOR_CHARS = 100


def normalize_authors(value: Any) -> list[str]:
    """A clean list of author names, in order, without repeats.

    Accepts a string (``"By Jane Doe and John Roe"``, ``"Jane Doe; John Roe"``,
    ``"Jane Doe, John Roe"``), a list or tuple of those, and objects with a ``name`` (also
    ``text``, ``value``) as schema.org and feeds write them. Rules:

    - a string is split on ``;``, ``|``, ``&``, the word ``and`` and line breaks;
    - a part is split on commas only when every piece has two words or more (``"Jane Doe,
      John Roe"`` -> two names; ``"Doe, Jane"`` stays one name);
    - a leading ``By``/``von``/``par``/``por`` is dropped, white space collapsed;
    - an object's name is one name (not split); numbers and other types give nothing;
    - URLs (profile links), names over 100 characters and repeats are dropped.
    """
    out: list[str] = []
    for item in _author_items(value):
        name = _BY.sub("", " ".join(item.split())).strip(" ,;")
        if (
            name
            and not name.lower().startswith("http")
            and len(name) <= MAX_AUTHOR_CHARS
            and name not in out
        ):
            out.append(name)
    return out


def _author_items(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key in _NAME_KEYS:
            name = value.get(key)
            if isinstance(name, str) and name.strip():
                yield name
                return
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _author_items(v)
    elif isinstance(value, str):
        for part in _AUTHOR_SPLIT.split(value):
            part = _BY.sub("", part.strip())
            pieces = [p.strip() for p in part.split(",") if p.strip()]
            if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
                yield from pieces
            elif part:
                yield part


def url_source(url: str | None) -> str | None:
    """The outlet name from a URL's host: ``https://www.reuters.com/x`` -> ``reuters.com``."""
    if not url or not isinstance(url, str):
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = re.sub(r"^(?:www\d?|m|amp|mobile|edition)\.", "", host.lower())
    return host or None


def normalize_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Keep known fields with usable values: strings stripped, dates ISO, authors a list."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if value is None or value == "" or value == []:
            continue
        if key == "published":
            iso = normalize_date(value)
            if iso:
                out[key] = iso
            else:
                log.debug("unrecognised published date %r", value)
        elif key == "authors":
            authors = normalize_authors(value)
            if authors:
                out[key] = authors
        elif isinstance(value, str):
            v = " ".join(value.split())
            if v:
                out[key] = v
        else:
            out[key] = value
    return out


def merge(
    layers: list[tuple[dict[str, Any], str | dict[str, str]]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge metadata layers, highest precedence first.

    Each layer is ``(meta, origin)`` where origin names where the layer came from, or is a
    per-field mapping (a reader's ``meta_origin``). Returns the merged meta and meta_origin.
    """
    meta: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for layer, where in layers:
        for key, value in normalize_meta(layer).items():
            if key in meta:
                continue
            meta[key] = value
            origin[key] = where.get(key, "record") if isinstance(where, dict) else where
    return meta, origin


# ---------------------------------------------------------------------------------------------
# Sidecars and manifests


def sidecar_path(path: Path) -> Path:
    """``dir/NAME.meta.json`` for ``dir/NAME.txt``."""
    return (
        path.with_name(path.stem + SIDECAR_SUFFIX)
        if path.suffix
        else path.with_name(path.name + SIDECAR_SUFFIX)
    )


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata in the sidecar beside ``path`` (``NAME.meta.json`` or ``NAME.txt.meta.json``).

    Missing sidecar: ``{}``. A malformed sidecar is logged at WARNING and ignored.
    """
    for side in (sidecar_path(path), path.with_name(path.name + SIDECAR_SUFFIX)):
        if side == path or not side.is_file():
            continue
        try:
            data = json.loads(side.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.warning("%s: ignoring malformed sidecar: %s", side, exc)
            return {}
        if not isinstance(data, dict):
            log.warning("%s: ignoring sidecar: not a JSON object", side)
            return {}
        return {k: v for k, v in data.items() if k in FIELDS or k == "language"}
    return {}


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """Read a CSV manifest: a ``path`` column plus any of title, source, url, published, authors.

    Paths are relative to the manifest's folder (or absolute). Returns a mapping from the
    resolved path (and from the path as written) to its metadata. Authors may be separated
    by ``;`` or ``|``. An unreadable manifest is logged and treated as empty.
    """
    entries: dict[str, dict[str, Any]] = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
                log.warning("%s: manifest has no 'path' column; ignored", path)
                return {}
            for row in reader:
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
                where = row.get("path")
                if not where:
                    continue
                meta = {k: v for k, v in row.items() if k in FIELDS and v}
                entries[where] = meta
                p = Path(where)
                if not p.is_absolute():
                    p = path.parent / p
                entries[_key(p)] = meta
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        log.warning("%s: cannot read manifest: %s", path, exc)
        return {}
    return entries


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def manifest_entry(
    manifest: dict[str, dict[str, Any]], path: Path | None, origin: str
) -> dict[str, Any]:
    """The manifest's metadata for an input (by resolved path, then as written, then origin)."""
    if not manifest:
        return {}
    if path is not None:
        hit = manifest.get(_key(path)) or manifest.get(str(path))
        if hit:
            return hit
    return manifest.get(origin, {})


#: Outlet names guessed from a folder or a URL host; a declared name of the same outlet wins.
GUESSED_SOURCE = frozenset({"folder", "url-host"})


def outlet_key(name: str, guessed_from: str | None = None) -> str:
    """A key under which spellings of one outlet meet: "The National Ledger", "national-ledger"
    and the host "www.nationalledger.example" all give "nationalledger"."""
    s = name.casefold().strip()
    if guessed_from == "url-host":
        labels = [x for x in s.split(".") if x not in {"www", "m", "amp", "news"}]
        s = labels[0] if len(labels) > 1 else (labels[0] if labels else s)
    s = re.sub(r"^the[\s_-]+", "", s)
    return re.sub(r"[^0-9a-z]+", "", s)


def unify_outlets(articles: list[Any]) -> dict[str, str]:
    """Give articles whose outlet was only guessed (folder name, URL host) the declared name of
    the same outlet (from a sidecar, manifest or the record itself) when one is known.

    Changes ``article.source`` in place and returns ``{article id: new source}``.
    """
    declared: dict[str, str] = {}
    for a in articles:
        if a.source and a.meta_origin.get("source") not in GUESSED_SOURCE:
            declared.setdefault(outlet_key(a.source), a.source)
    changed: dict[str, str] = {}
    for a in articles:
        how = a.meta_origin.get("source")
        if a.source and how in GUESSED_SOURCE:
            name = declared.get(outlet_key(a.source, how))
            if name and name != a.source:
                a.source = name
                changed[a.id] = name
    return changed
