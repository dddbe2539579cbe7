"""Writing a run's output files safely: all or nothing, no temporary file left behind.

Each file is first written to a hidden temporary file in the same folder; only when every
one of them is complete are they moved over the old outputs with :func:`os.replace` (atomic
on one file system). A failure (disk full, no permission, a path through a file) removes the
temporary files, leaves the previous outputs as they were and raises :class:`OutputError`
naming the path.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from newsprism.errors import OutputError

__all__ = ["OutputError", "ensure_dir", "write_files"]


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def ensure_dir(path: Path) -> None:
    """Create the folder ``path`` (and its parents); :class:`OutputError` when that fails."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputError(path, "a file is in the way of the output folder") from exc
    except NotADirectoryError as exc:
        raise OutputError(path, "a part of the path is a file, not a folder") from exc
    except OSError as exc:
        raise OutputError(exc.filename or path, _reason(exc)) from exc


def _write_temp(path: Path, text: str | bytes) -> Path:
    """``text`` in a new hidden file next to ``path`` (honouring the umask, like a plain open)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fb:
                fb.write(text)
            return tmp
        # a lone surrogate cannot be UTF-8: written as its escape (valid in JSON), never a crash
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write every ``path -> text`` of ``files`` (text as UTF-8, or bytes as they are), all or
    nothing (see the module docs)."""
    temps: dict[Path, Path] = {}
    current: Path | None = None
    try:
        for path, text in files.items():
            current = path
            temps[path] = _write_temp(path, text)
        for path, tmp in list(temps.items()):
            current = path
            os.replace(tmp, path)
            del temps[path]
    except OSError as exc:
        raise OutputError(current or exc.filename or "?", _reason(exc)) from exc
    finally:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
