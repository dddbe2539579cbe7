"""Archive wrappers (``.gz``, ``.zip``; also ``.bz2``, ``.xz``, ``.tar``): unpack, re-dispatch members.

``read(origin, data, options, dispatch=None)`` unpacks in memory, one member at a time, and hands
each member to ``dispatch(member_origin, member_bytes, options)``, which sniffs the content and
calls the right reader (core's ``newsprism.ingest.files.dispatch`` by default; the small built-in
``sniff_dispatch`` can be passed instead). Member origins
are ``path#member`` (zip/tar member names; for ``.gz`` the gzip header's file name, else, as for
``.bz2``/``.xz``, the archive name without its suffix), nested as ``outer.zip#inner.gz#inner``.

Guards and reports (the reader yields ``RawDoc | Skipped``, raises only ``BadInput``):

- zip bombs: a member is read through a stream capped at ``options.max_bytes`` (declared sizes are
  not trusted) -> ``Skipped(kind="too-large")``; the whole archive stops after
  ``TOTAL_FACTOR * max_bytes`` unpacked bytes; a ``.gz`` over ``max_bytes`` -> ``BadInput("too-large")``.
- truncated archives: a cut ``.gz``/``.bz2``/``.xz``/``.tar`` yields what could be unpacked, then
  ``Skipped(kind="truncated-archive")``;
  a zip whose central directory is lost is read member by member from its local headers, then
  reported the same way; nothing readable -> ``BadInput("truncated-archive")``.
- a member ``X.meta.json`` next to ``X`` is a sidecar: its fields (title, source, url, published,
  authors) override what the reader found for ``X`` (``meta_origin`` ``"sidecar"``).
- encrypted or unsupported-compression members -> ``Skipped(kind="unreadable")``;
  archives nested more than ``MAX_DEPTH`` deep -> ``BadInput("unsupported")``.
- a ``.gz`` holding a WARC goes to the WARC reader as is (warcio streams gzip WARC records).
"""

from __future__ import annotations

import bz2
import io
import json
import logging
import lzma
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from newsprism.ingest import feeds, html, jsonrec, warc
from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.files import dispatch as files_dispatch
from newsprism.ingest.meta import normalize_authors, normalize_date
from newsprism.model import Skipped

logger = logging.getLogger(__name__)

Dispatch = Callable[[str, bytes, IngestOptions], Iterator[RawDoc | Skipped]]

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
BZ2_MAGIC = b"BZh"
XZ_MAGIC = b"\xfd7zXZ\x00"
TOTAL_FACTOR = 20  # an archive may unpack to at most TOTAL_FACTOR * max_bytes in all
MAX_DEPTH = 4  # nested archives
SIDECAR_FIELDS = ("title", "source", "url", "published", "authors", "language")
_CHUNK = 1 << 20


def is_tar(data: bytes) -> bool:
    """True for (POSIX/GNU) tar content."""
    return len(data) > 262 and data[257:262] == b"ustar"


def is_archive(data: bytes) -> bool:
    """True for gzip, zip, bzip2, xz or tar content."""
    return data.startswith((GZIP_MAGIC, BZ2_MAGIC, XZ_MAGIC, *ZIP_MAGICS)) or is_tar(data)


def read(
    origin: str,
    data: bytes,
    options: IngestOptions,
    dispatch: Dispatch | None = None,
) -> Iterator[RawDoc | Skipped]:
    """Unpack a ``.gz``/``.zip`` and yield what its members' readers yield (see the module doc)."""
    if not data:
        raise BadInput("empty", "empty archive")
    if origin.count("#") >= MAX_DEPTH:
        raise BadInput("unsupported", f"archives nested more than {MAX_DEPTH} deep")
    dispatch = dispatch or files_dispatch
    if data.startswith(GZIP_MAGIC):
        yield from _read_gzip(origin, data, options, dispatch)
    elif data.startswith(ZIP_MAGICS):
        yield from _read_zip(origin, data, options, dispatch)
    elif data.startswith(BZ2_MAGIC):
        yield from _read_compressed(origin, data, options, dispatch, "bzip2")
    elif data.startswith(XZ_MAGIC):
        yield from _read_compressed(origin, data, options, dispatch, "xz")
    elif is_tar(data):
        yield from _read_tar(origin, data, options, dispatch)
    else:
        raise BadInput("unsupported", "not a gzip, zip, bzip2, xz or tar archive")


def _member(
    member_origin: str, payload: bytes, options: IngestOptions, dispatch: Dispatch
) -> Iterator[RawDoc | Skipped]:
    """Dispatch one member; a BadInput for it becomes a Skipped (the archive goes on)."""
    try:
        yield from dispatch(member_origin, payload, options)
    except BadInput as exc:
        yield Skipped(member_origin, exc.reason, exc.kind)


# ---------------------------------------------------------------- gzip


def _gzip_name(origin: str, data: bytes) -> str:
    """The gzip header's original file name (FNAME), else the archive name without ``.gz``."""
    try:
        flags = data[3]
        if flags & 0x08:  # FNAME
            pos = 10
            if flags & 0x04:  # FEXTRA
                (xlen,) = struct.unpack("<H", data[10:12])
                pos = 12 + xlen
            end = data.index(b"\x00", pos, pos + 1024)
            name = data[pos:end].decode("latin-1").strip().replace("/", "_")
            if name:
                return name
    except (IndexError, ValueError, struct.error):
        pass
    return _inner_name(origin)


def _inner_name(origin: str) -> str:
    """The archive's file name without its compression suffix (``a.jsonl.bz2`` -> ``a.jsonl``)."""
    base = origin.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    lower = base.lower()
    for suffix, repl in ((".tgz", ".tar"), (".tbz2", ".tar"), (".txz", ".tar")):
        if lower.endswith(suffix):
            return base[: -len(suffix)] + repl
    for suffix in (".gz", ".gzip", ".bz2", ".xz"):
        if lower.endswith(suffix):
            return base[: -len(suffix)] or base
    return base


def gunzip(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Decompress all gzip members of ``data``; returns (content, complete).

    Raises ``BadInput("too-large")`` when the content would exceed ``max_bytes``."""
    out = bytearray()
    rest = data
    complete = True
    while rest:
        d = zlib.decompressobj(wbits=31)
        try:
            chunk = d.decompress(rest, max_bytes + 1 - len(out))
            out += chunk
            while d.unconsumed_tail and len(out) <= max_bytes:
                out += d.decompress(d.unconsumed_tail, max_bytes + 1 - len(out))
        except zlib.error:
            complete = False
            break
        if len(out) > max_bytes:
            raise BadInput("too-large", f"unpacks to over {max_bytes / 1e6:.1f} MB (--max-size)")
        if not d.eof:
            complete = False
            break
        rest = d.unused_data.lstrip(b"\x00")  # padding between members
        if rest and not rest.startswith(GZIP_MAGIC):
            break  # trailing garbage after the last member: ignored, like gzip(1)
    return bytes(out), complete


def _read_gzip(
    origin: str, data: bytes, options: IngestOptions, dispatch: Dispatch
) -> Iterator[RawDoc | Skipped]:
    head = zlib.decompressobj(wbits=31)
    try:
        start = head.decompress(data[:65536], 16)
    except zlib.error:
        start = b""
    if start.startswith(b"WARC/"):
        yield from warc.read(origin, data, options)
        return
    content, complete = gunzip(data, options.max_bytes)
    if not complete and not content.strip():
        raise BadInput("truncated-archive", "gzip data is cut off or damaged before any content")
    if complete and not content.strip():
        raise BadInput("empty", "the gzip archive holds an empty file")
    member_origin = f"{origin}#{_gzip_name(origin, data)}"
    yield from _member(member_origin, content, options, dispatch)
    if not complete:
        yield Skipped(
            origin,
            f"truncated gzip archive: only the first {len(content)} bytes could be unpacked",
            "truncated-archive",
        )


def _unpack(data: bytes, max_bytes: int, fmt: str) -> tuple[bytes, bool]:
    """Decompress all bzip2/xz streams of ``data``; returns (content, complete)."""
    magic = BZ2_MAGIC if fmt == "bzip2" else XZ_MAGIC
    out = bytearray()
    rest = data
    complete = True
    while rest:
        d: Any = bz2.BZ2Decompressor() if fmt == "bzip2" else lzma.LZMADecompressor()
        try:
            out += d.decompress(rest, max_bytes + 1 - len(out))
            while not d.eof and not d.needs_input and len(out) <= max_bytes:
                out += d.decompress(b"", max_bytes + 1 - len(out))
        except (OSError, EOFError, ValueError, lzma.LZMAError):
            complete = False
            break
        if len(out) > max_bytes:
            raise BadInput("too-large", f"unpacks to over {max_bytes / 1e6:.1f} MB (--max-size)")
        if not d.eof:
            complete = False
            break
        rest = d.unused_data
        if rest and not rest.startswith(magic):
            break
    return bytes(out), complete


def _read_compressed(
    origin: str, data: bytes, options: IngestOptions, dispatch: Dispatch, fmt: str
) -> Iterator[RawDoc | Skipped]:
    content, complete = _unpack(data, options.max_bytes, fmt)
    if not content.strip():
        if complete:
            raise BadInput("empty", f"the {fmt} archive holds an empty file")
        raise BadInput("truncated-archive", f"{fmt} data is cut off or damaged before any content")
    yield from _member(f"{origin}#{_inner_name(origin)}", content, options, dispatch)
    if not complete:
        yield Skipped(
            origin,
            f"truncated {fmt} archive: only the first {len(content)} bytes could be unpacked",
            "truncated-archive",
        )


# ---------------------------------------------------------------- tar


def _read_tar(
    origin: str, data: bytes, options: IngestOptions, dispatch: Dispatch
) -> Iterator[RawDoc | Skipped]:
    members: list[tarfile.TarInfo] = []
    problem: str | None = None
    try:
        tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:")  # noqa: SIM115 (in memory)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BadInput("truncated-archive", f"unreadable tar archive: {exc}") from None
    try:
        for info in tf:
            members.append(info)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        problem = str(exc) or type(exc).__name__
    files = [m for m in members if m.isfile() and not _skip_name(m.name)]
    names = {m.name for m in files}
    budget = TOTAL_FACTOR * options.max_bytes
    read_any = False
    for info in files:
        if info.name.endswith(".meta.json"):
            continue
        member_origin = f"{origin}#{info.name}"
        if info.size > options.max_bytes:
            yield Skipped(member_origin, _too_large(info.size, options), "too-large")
            continue
        try:
            fh = tf.extractfile(info)
            payload = fh.read(info.size) if fh is not None else b""
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            problem = problem or f"member {info.name}: {exc}"
            break
        if len(payload) < info.size:
            problem = problem or f"member {info.name} is cut off"
            break
        budget -= len(payload)
        if budget < 0:
            yield Skipped(origin, "archive unpacks to over the total limit", "too-large")
            return
        read_any = True
        docs = _member(member_origin, payload, options, dispatch)
        side = info.name + ".meta.json"
        if side in names:
            docs = _with_sidecar(docs, _tar_sidecar(tf, side, options))
        yield from docs
    if problem is not None:
        if not read_any:
            raise BadInput("truncated-archive", f"damaged tar archive: {problem}")
        yield Skipped(origin, f"truncated tar archive: {problem}", "truncated-archive")


def _tar_sidecar(tf: Any, name: str, options: IngestOptions) -> dict[str, Any]:
    try:
        fh = tf.extractfile(name)
        value = json.loads(fh.read(min(options.max_bytes, 1 << 20)) if fh else b"{}")
    except Exception:  # a bad sidecar is ignored, the article still reads
        logger.warning("%s: unreadable sidecar ignored", name)
        return {}
    return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------- zip


def _skip_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return (
        name.endswith("/")
        or name.startswith("__MACOSX/")
        or base.startswith(".")
        or base in ("Thumbs.db", "desktop.ini")
    )


def _read_zip(
    origin: str, data: bytes, options: IngestOptions, dispatch: Dispatch
) -> Iterator[RawDoc | Skipped]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        yield from _read_zip_local(origin, data, options, dispatch)
        return
    names = [i.filename for i in infos if not _skip_name(i.filename)]
    sidecars = {n[: -len(".meta.json")]: n for n in names if n.endswith(".meta.json")}
    budget = TOTAL_FACTOR * options.max_bytes
    read_any = False
    for info in infos:
        name = info.filename
        if _skip_name(name) or name.endswith(".meta.json"):
            continue
        member_origin = f"{origin}#{name}"
        if info.file_size > options.max_bytes:
            yield Skipped(member_origin, _too_large(info.file_size, options), "too-large")
            continue
        try:
            payload = _read_capped(zf, info, options.max_bytes)
        except BadInput as exc:
            yield Skipped(member_origin, exc.reason, exc.kind)
            continue
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            yield Skipped(member_origin, f"damaged zip member: {exc}", "truncated-archive")
            continue
        except (RuntimeError, NotImplementedError) as exc:  # encrypted / unknown compression
            yield Skipped(member_origin, f"cannot unpack: {exc}", "unreadable")
            continue
        budget -= len(payload)
        if budget < 0:
            yield Skipped(
                origin,
                f"archive unpacks to over {TOTAL_FACTOR * options.max_bytes / 1e6:.0f} MB; "
                "the remaining members were not read",
                "too-large",
            )
            return
        read_any = True
        docs = _member(member_origin, payload, options, dispatch)
        side = sidecars.get(name)
        if side:
            docs = _with_sidecar(docs, _load_sidecar(zf, side, options))
        yield from docs
    if not read_any:
        logger.debug("%s: zip holds no readable member", origin)


def _too_large(size: int, options: IngestOptions) -> str:
    return f"{size / 1e6:.1f} MB is over the {options.max_bytes / 1e6:.0f} MB limit (--max-size)"


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    with zf.open(info) as fh:
        out = fh.read(max_bytes + 1)
    if len(out) > max_bytes:
        raise BadInput("too-large", f"unpacks to over {max_bytes / 1e6:.1f} MB (--max-size)")
    return out


def _load_sidecar(zf: zipfile.ZipFile, name: str, options: IngestOptions) -> dict[str, Any]:
    try:
        value = json.loads(_read_capped(zf, zf.getinfo(name), min(options.max_bytes, 1 << 20)))
    except Exception:  # a bad sidecar is ignored, the article still reads
        logger.warning("%s: unreadable sidecar ignored", name)
        return {}
    return value if isinstance(value, dict) else {}


def _with_sidecar(
    docs: Iterator[RawDoc | Skipped], sidecar: dict[str, Any]
) -> Iterator[RawDoc | Skipped]:
    for doc in docs:
        if isinstance(doc, RawDoc):
            for key in SIDECAR_FIELDS:
                value = sidecar.get(key)
                if key == "published":
                    value = normalize_date(value)
                elif key == "authors":
                    value = normalize_authors(value)
                elif not isinstance(value, str) or not value.strip():
                    value = None
                if value:
                    doc.meta[key] = value
                    doc.meta_origin[key] = "sidecar"
        yield doc


def _read_zip_local(
    origin: str, data: bytes, options: IngestOptions, dispatch: Dispatch
) -> Iterator[RawDoc | Skipped]:
    """Read a zip without its central directory (cut off): walk the local file headers."""
    pos = 0
    members = 0
    budget = TOTAL_FACTOR * options.max_bytes
    problem: str | None = None
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0 or len(data) - pos < 30:
            break
        try:
            (_, _, flags, method, _, _, _, csize, _, nlen, xlen) = struct.unpack(
                "<IHHHHHIIIHH", data[pos : pos + 30]
            )
        except struct.error:
            problem = "a member header is cut off"
            break
        name = data[pos + 30 : pos + 30 + nlen].decode("utf-8", errors="replace")
        start = pos + 30 + nlen + xlen
        member_origin = f"{origin}#{name}"
        if method == 0 and not flags & 0x08:
            payload, done, used = data[start : start + csize], start + csize <= len(data), csize
        elif method == 8:
            d = zlib.decompressobj(-15)
            try:
                payload = d.decompress(data[start:], options.max_bytes + 1)
            except zlib.error:
                problem = f"member {name} is damaged"
                break
            done = d.eof
            used = len(data) - start - len(d.unused_data) - len(d.unconsumed_tail)
        else:
            yield Skipped(
                member_origin, f"unsupported zip compression method {method}", "unreadable"
            )
            pos = start + max(csize, 1)
            continue
        if len(payload) > options.max_bytes:
            yield Skipped(member_origin, _too_large(len(payload), options), "too-large")
            problem = "stopped at an oversized member"
            break
        if not done:
            problem = f"member {name} is cut off"
            break
        pos = start + max(used, 0)
        if _skip_name(name) or name.endswith(".meta.json"):
            continue
        budget -= len(payload)
        if budget < 0:
            problem = "unpacked size over the limit"
            break
        members += 1
        yield from _member(member_origin, payload, options, dispatch)
    if members == 0:
        raise BadInput(
            "truncated-archive",
            f"damaged zip archive, no member could be read ({problem or 'no member header'})",
        )
    yield Skipped(
        origin,
        f"truncated zip archive (central directory missing; {problem or 'end cut off'}): "
        f"{members} members read",
        "truncated-archive",
    )


# ---------------------------------------------------------------- fallback sniffer


def sniff_dispatch(origin: str, data: bytes, options: IngestOptions) -> Iterator[RawDoc | Skipped]:
    """Minimal content sniffer used when core's ``files.dispatch`` is not available."""
    if len(data) > options.max_bytes:
        raise BadInput("too-large", _too_large(len(data), options))
    if not data.strip():
        raise BadInput("empty", "empty file")
    if is_archive(data):
        yield from read(origin, data, options, sniff_dispatch)
        return
    if data.startswith(b"WARC/"):
        yield from warc.read(origin, data, options)
        return
    if b"\x00" in data[:8192]:
        raise BadInput("binary", "binary file (NUL bytes in the first 8 KB)")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head[:1] in (b"{", b"["):
        yield from jsonrec.read(origin, data, options)
    elif head.startswith(b"<") and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head):
        yield from feeds.read(origin, data, options)
    elif head.startswith(b"<") and any(
        t in head for t in (b"<html", b"<!doctype", b"<head", b"<body")
    ):
        yield from html.read(origin, data, options)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadInput("undecodable", f"undecodable: {exc}") from None
        yield RawDoc(origin=origin, text=text, raw=text)
