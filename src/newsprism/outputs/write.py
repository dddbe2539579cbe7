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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsprism.errors import OutputError

__all__ = ["OutputError", "Sink", "ensure_dir", "write_files", "writing"]


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


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _open_temp(path: Path, binary: bool) -> tuple[Path, IO[Any]]:
    """A new hidden file next to ``path`` (honouring the umask, like a plain open), open for
    writing: bytes, or text as UTF-8 (a lone surrogate cannot be UTF-8: it is written as its
    escape, valid in JSON, never a crash)."""
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        if binary:
            return tmp, os.fdopen(fd, "wb")
        return tmp, os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace")
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_temp(path: Path, text: str | bytes) -> Path:
    """``text`` in a new hidden file next to ``path``."""
    tmp, fh = _open_temp(path, isinstance(text, bytes))
    try:
        with fh:
            fh.write(text)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


class Sink:
    """One output file being written (see :func:`writing`): a failed write names its path."""

    def __init__(self, path: Path, fh: IO[str]) -> None:
        self.path = path
        self._fh = fh

    def write(self, text: str) -> None:
        try:
            self._fh.write(text)
        except OSError as exc:
            raise OutputError(self.path, _reason(exc)) from exc


@dataclass
class _Pending:
    """The temporary files of an all-or-nothing write, by the path each one replaces, and the
    path being worked on (the one an error names)."""

    temps: dict[Path, Path] = field(default_factory=dict)
    current: Path | None = None


@contextmanager
def _replacing() -> Iterator[_Pending]:
    """The block makes temporary files (in ``pending.temps``); when it ends without an error
    each is moved over its path, and otherwise every one left is removed. An OSError becomes an
    :class:`OutputError` naming ``pending.current``."""
    pending = _Pending()
    try:
        yield pending
        for path, tmp in list(pending.temps.items()):
            pending.current = path
            os.replace(tmp, path)
            del pending.temps[path]
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(pending.current or exc.filename or "?", _reason(exc)) from exc
    finally:
        for tmp in pending.temps.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@contextmanager
def writing(paths: Sequence[Path]) -> Iterator[list[Sink]]:
    """Text files (UTF-8) written piece by piece in place of ``paths``, all or nothing (see
    the module docs): the block writes to the sinks; when it ends without an error every file
    is moved into place, and otherwise no temporary file is left and the previous outputs stay
    as they were. A file never has to be whole in memory."""
    with _replacing() as pending, contextlib.ExitStack() as stack:
        sinks = []
        for path in paths:
            pending.current = path
            tmp, fh = _open_temp(path, binary=False)
            pending.temps[path] = tmp
            sinks.append(Sink(path, stack.enter_context(fh)))
        pending.current = None
        yield sinks
        pending.current = paths[-1] if paths else None  # closing flushes the last buffers


def write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write every ``path -> text`` of ``files`` (text as UTF-8, or bytes as they are), all or
    nothing (see the module docs)."""
    with _replacing() as pending:
        for path, text in files.items():
            pending.current = path
            pending.temps[path] = _write_temp(path, text)
