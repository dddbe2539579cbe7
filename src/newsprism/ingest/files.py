"""Input discovery, reading and format dispatch.

Inputs are files, directories (walked recursively, listings sorted so runs are
deterministic), glob patterns, and ``-`` (JSON Lines on stdin). Hidden files and folders and
``*.meta.json`` sidecars are not articles. A symlink found in a folder is followed only when
its target lies inside the input folders (``follow_symlinks`` lifts that); a symlink loop is
reported once and the walk goes on. Origins and skipped paths are shown with
:func:`~newsprism.ingest.names.display_name` (bytes that are not UTF-8 escaped, never lost). The format is detected from the bytes first and the file name
second, and the matching reader (``newsprism.ingest.<module>.read``) is called.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc, Reader
from newsprism.ingest.meta import SIDECAR_SUFFIX
from newsprism.ingest.names import display_name
from newsprism.model import Skipped

log = logging.getLogger(__name__)

__all__ = ["STDIN", "Input", "discover", "dispatch", "read_input", "reader_for", "sniff"]

STDIN = "-"

# format kind -> module in newsprism.ingest providing read(origin, data, options)
READERS = {
    "text": "text",
    "html": "html",
    "json": "jsonrec",
    "feed": "feeds",
    "warc": "warc",
    "archive": "archives",
}
_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "json", ".ndjson": "json", ".jsonlines": "json",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".arc": "warc",
    ".gz": "archive", ".tgz": "archive", ".zip": "archive", ".tar": "archive",
    ".bz2": "archive", ".xz": "archive",
}  # fmt: skip
_UNSUPPORTED_EXT = {
    ".csv": "CSV files are read only as a --manifest",
    ".pdf": "PDF is not supported",
}
_HTML_HINT = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|h1|meta)[\s>]", re.I
)
_FEED_HINT = re.compile(rb"<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]", re.I)


@dataclass(frozen=True)
class Input:
    """One discovered input."""

    origin: str  # the path as shown to the user (or "<stdin>")
    path: Path | None  # None for stdin
    root: Path | None = None  # the directory argument it was found under, if any


# ---------------------------------------------------------------------------------------------
# Discovery


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _is_sidecar(name: str) -> bool:
    return name.endswith(SIDECAR_SUFFIX)


def _dir_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


_OUTSIDE = "symlink pointing outside the input folders (refused; --follow-symlinks reads it)"


@dataclass
class _Walk:
    """State of one discovery: folders already walked, and the folders a symlink may point into."""

    follow_symlinks: bool
    roots: list[str]
    seen_dirs: set[tuple[int, int]]

    def escapes(self, path: Path) -> bool:
        """Whether the symlink ``path`` points outside every input folder (and that is refused)."""
        if self.follow_symlinks:
            return False
        target = _resolved(path)
        return not any(_inside(target, root) for root in self.roots)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(
    root: Path, directory: Path, ancestors: tuple[tuple[int, int], ...], walk: _Walk
) -> Iterator[Input | Skipped]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(
            display_name(directory), f"unreadable directory: {exc.strerror or exc}", "unreadable"
        )
        return
    for entry in entries:
        if _is_hidden(entry.name) or _is_sidecar(entry.name):
            continue
        path = Path(directory, entry.name)
        try:
            is_dir = entry.is_dir()  # follows symlinks
            is_link = entry.is_symlink()
        except OSError as exc:
            yield _os_error(path, exc)
            continue
        if is_link and os.path.exists(path) and walk.escapes(path):
            yield Skipped(display_name(path), _OUTSIDE, "symlink-outside")
            continue
        if is_dir:
            ident = _dir_id(path)
            if ident is None:
                yield Skipped(display_name(path), "unreadable directory", "unreadable")
            elif ident in ancestors:
                yield Skipped(
                    display_name(path),
                    "symlink loop (links back to a parent folder)",
                    "symlink-loop",
                )
            elif ident in walk.seen_dirs:
                log.debug("%s: already walked through another link", display_name(path))
            else:
                walk.seen_dirs.add(ident)
                yield from _walk(root, path, (*ancestors, ident), walk)
        else:
            yield Input(display_name(path), path, root)


def _roots(paths: list[str]) -> list[str]:
    """The resolved folders that symlinks met while walking may point into: each folder
    argument, and the fixed leading folder of each glob pattern."""
    roots: list[str] = []
    for arg in paths:
        if arg == STDIN:
            continue
        if glob.has_magic(arg) and not os.path.lexists(os.path.expanduser(arg)):
            parts = Path(os.path.expanduser(arg)).parts
            fixed = []
            for part in parts:
                if glob.has_magic(part):
                    break
                fixed.append(part)
            base = Path(*fixed) if fixed else Path(".")
        else:
            base = Path(arg).expanduser()
        with contextlib.suppress(OSError):
            if base.is_dir():
                roots.append(_resolved(base))
    return roots


def discover(
    paths: Iterable[str | Path], exclude: Iterable[Path] = (), follow_symlinks: bool = False
) -> Iterator[Input | Skipped]:
    """Expand input arguments into inputs (files, directories, globs, ``-``), in order.

    Problems (a missing path, a glob matching nothing, a symlink loop, a symlink pointing
    outside the input folders unless ``follow_symlinks``) come out as :class:`Skipped` items.
    A file named directly is always read. ``exclude`` lists resolved paths to leave out.
    """
    args = [str(p) for p in paths]
    excluded = {str(p) for p in exclude}
    seen_files: set[str] = set()
    walk = _Walk(follow_symlinks, _roots(args), set())
    for arg_s in args:
        if arg_s == STDIN:
            yield Input("<stdin>", None)
            continue
        path = Path(arg_s).expanduser()
        if not os.path.lexists(path) and glob.has_magic(arg_s):
            matches = sorted(glob.glob(os.path.expanduser(arg_s), recursive=True))
            if not matches:
                yield Skipped(display_name(arg_s), "no files match this pattern", "missing")
            items: Iterator[Input | Skipped] = (
                x
                for m in matches
                if not _is_sidecar(Path(m).name)
                for x in _expand(Path(m), walk, matched=True)
            )
        else:
            items = _expand(path, walk)
        for item in items:
            if isinstance(item, Input) and item.path is not None:
                key = _resolved(item.path)
                if key in excluded or key in seen_files:
                    continue
                seen_files.add(key)
            yield item


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _os_error(path: Path, exc: OSError) -> Skipped:
    """A path that cannot even be inspected: a symlink loop, or unreadable."""
    if exc.errno == errno.ELOOP:
        return Skipped(display_name(path), "symlink loop", "symlink-loop")
    return Skipped(display_name(path), f"unreadable: {exc.strerror or exc}", "unreadable")


def _expand(path: Path, walk: _Walk, matched: bool = False) -> Iterator[Input | Skipped]:
    """One argument (or glob match): a folder is walked, a file is an input.

    A glob match that is a symlink is held to the same rule as a symlink met in a folder.
    """
    try:
        is_dir = path.is_dir()
        if matched and path.is_symlink() and path.exists() and walk.escapes(path):
            yield Skipped(display_name(path), _OUTSIDE, "symlink-outside")
            return
    except OSError as exc:
        yield _os_error(path, exc)
        return
    if is_dir:
        ident = _dir_id(path)
        if ident is not None and ident not in walk.seen_dirs:
            walk.seen_dirs.add(ident)
            yield from _walk(path, path, (ident,), walk)
    elif os.path.lexists(path):
        yield Input(display_name(path), path)
    else:
        yield Skipped(display_name(path), "no such file or directory", "missing")


# ---------------------------------------------------------------------------------------------
# Reading


def _mb(n: float) -> str:
    """A size in MB (in KB below 0.05 MB, where one decimal of MB would read as 0)."""
    if n < 0.05 * 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def read_input(inp: Input, options: IngestOptions) -> bytes:
    """The bytes of one input; raises :class:`BadInput` (too-large, unreadable, symlink-loop...)."""
    if inp.path is None:
        data = sys.stdin.buffer.read()
        if len(data) > options.max_bytes:
            raise BadInput("too-large", _too_large(len(data), options.max_bytes))
        return data
    try:
        st = inp.path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BadInput("symlink-loop", "symlink loop") from exc
        if exc.errno == errno.ENOENT and inp.path.is_symlink():
            raise BadInput("unreadable", "broken symlink (its target does not exist)") from exc
        raise BadInput("unreadable", f"unreadable: {exc.strerror or exc}") from exc
    if not inp.path.is_file():
        raise BadInput("unsupported", "not a regular file")
    if st.st_size > options.max_bytes:
        raise BadInput("too-large", _too_large(st.st_size, options.max_bytes))
    try:
        with open(inp.path, "rb") as fh:
            data = fh.read(options.max_bytes + 1)
    except OSError as exc:
        raise BadInput("unreadable", f"unreadable: {exc.strerror or exc}") from exc
    if len(data) > options.max_bytes:  # grew while we looked
        raise BadInput("too-large", _too_large(len(data), options.max_bytes))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"{_mb(size)} is over the {_mb(limit)} limit (--max-size)"


# ---------------------------------------------------------------------------------------------
# Format detection and dispatch


def _name_of(origin: str) -> str:
    """The file name an origin refers to (the archive member for ``path#member``)."""
    name = origin.rsplit("#", 1)[-1] if "#" in origin else origin
    name = re.sub(r":line \d+$", "", name)
    return name.rsplit("/", 1)[-1].lower()


def sniff(data: bytes, name: str = "") -> str:
    """The format of ``data``: text, html, json, feed, warc or archive (content first, name second).

    Raises :class:`BadInput` (``unsupported``) for file types that are never articles.
    """
    name = name.lower()
    if data.startswith(b"\x1f\x8b"):
        return "warc" if name.endswith((".warc.gz", ".arc.gz")) else "archive"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"BZh", b"\xfd7zXZ\x00")):
        return "archive"
    if len(data) > 262 and data[257:262] == b"ustar":
        return "archive"
    if data.startswith(b"%PDF"):
        raise BadInput("unsupported", "PDF is not supported")
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            head = data[:8192].decode("utf-16").encode("utf-8")
    if head.startswith(b"WARC/"):
        return "warc"
    stripped = head.lstrip()
    ext = os.path.splitext(name)[1]
    if stripped.startswith(b"<"):
        if _FEED_HINT.search(head):
            return "feed"
        if _HTML_HINT.search(head) or ext in (".html", ".htm", ".xhtml", ".shtml"):
            return "html"
        if ext in (".xml", ".rss", ".atom"):
            return "feed"
    if stripped[:1] in (b"{", b"[") and ext not in (".txt", ".md", ".text"):
        return "json"
    if ext in _UNSUPPORTED_EXT:
        raise BadInput("unsupported", _UNSUPPORTED_EXT[ext])
    kind = _EXTENSIONS.get(ext, "text")
    if kind in ("html", "feed", "warc", "archive") and stripped[:1] not in (
        b"<",
        b"W",
        b"\x1f",
        b"",
    ):
        return "text"  # extension says markup/binary container but the bytes are plain text
    return kind


def reader_for(kind: str) -> Reader:
    """The reader function for a format kind; raises :class:`BadInput` when it is unavailable."""
    module = READERS.get(kind)
    if module is None:
        raise BadInput("unsupported", f"unsupported format: {kind}")
    try:
        mod = import_module(f"newsprism.ingest.{module}")
    except ImportError as exc:
        raise BadInput("unsupported", f"no {kind} reader available ({exc})") from exc
    read = getattr(mod, "read", None)
    if read is None:
        raise BadInput("unsupported", f"no {kind} reader available")
    return read


def dispatch(
    origin: str, data: bytes, options: IngestOptions, kind: str | None = None
) -> Iterator[RawDoc]:
    """Read ``data`` with the reader its format needs (a :data:`Reader` itself).

    Archive readers call this to re-dispatch their members (``origin`` = ``path#member``).
    """
    if kind is None:
        if not data:
            raise BadInput("empty", "empty file")
        kind = sniff(data, _name_of(origin))
    log.debug("%s: %s", origin, kind)
    return reader_for(kind)(origin, data, options)
