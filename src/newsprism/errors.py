"""The library's errors: one base, :class:`NewsprismError`, and a typed child per kind of fault.

Each class carries the exit code the CLI ends with when it reaches the command line
(``exit_code``; documented in docs/cli.md, "Exit codes"); the CLI turns any of them into one
line, ``newsprism: error: <message>``, in one place (``newsprism.cli._library_errors``).
The children also keep the built-in base they had before the hierarchy (``RuntimeError``,
``ValueError``, ``OSError``), so existing ``except`` clauses still catch them.

Where each is raised and re-exported from:

| class | raised by | also importable from | exit |
| --- | --- | --- | --- |
| :class:`BadInput` | a format reader, for one input it cannot read (skipped, never fatal in a run) | ``newsprism.ingest.base`` | 1 |
| :class:`UsageError` | a library check of a user-supplied value (``ExportError``: bad kind, format, date) | | 2 |
| :class:`StoreError` | the stores: cannot open, not a newsprism store, a refused query | ``newsprism.store.base``, ``newsprism.store.sqlite`` | 3 |
| :class:`ModelMissingError` | a model package is not installed (nothing is downloaded at run time) | ``newsprism.nlp.pipeline`` | 3 |
| :class:`EvaluationDataError` | an evaluation file is missing or malformed | ``newsprism.evaluate`` | 3 |
| :class:`OutputError` | an output file or folder cannot be written | ``newsprism.outputs.write`` | 3 |
"""

from __future__ import annotations

import os

__all__ = [
    "EXIT_CODES",
    "BadInput",
    "EvaluationDataError",
    "ModelMissingError",
    "NewsprismError",
    "OutputError",
    "StoreError",
    "UsageError",
]


class NewsprismError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: int = 3  #: the CLI's exit status for this error


class BadInput(NewsprismError):
    """Raised by a reader for one input it cannot read; never fatal to the run.

    ``kind`` is a short machine key (empty, binary, too-large, undecodable, unreadable,
    malformed-json, malformed-html, truncated-archive, symlink-loop, unsupported...) and
    ``reason`` a one-line human explanation.
    """

    exit_code = 1  # as "nothing could be read"

    def __init__(self, kind: str, reason: str):
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


class UsageError(NewsprismError, ValueError):
    """A value the user passed cannot be used (the library's counterpart of a usage error)."""

    exit_code = 2


class StoreError(NewsprismError, RuntimeError):
    """The store cannot be opened, is not a newsprism store, or refused a query."""


class ModelMissingError(NewsprismError, RuntimeError):
    """A model package is not installed (we never download at run time)."""


class EvaluationDataError(NewsprismError, ValueError):
    """The evaluation file is missing or not in the expected format."""


class OutputError(NewsprismError, OSError):
    """An output file or folder cannot be written; the message names the path and the reason."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(f"{os.fspath(path)}: cannot write ({reason})")
        self.path = os.fspath(path)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])


#: exit status -> meaning, as docs/cli.md lists them
EXIT_CODES: dict[int, str] = {
    0: "success (some inputs may have been skipped; each is reported on stderr)",
    1: "nothing could be read, or `--strict` and some input was skipped",
    2: "usage error (unknown option, missing argument, a value that cannot be used)",
    3: "a library error: unreadable store, missing model package, bad evaluation data, "
    "a write fault",
    130: "interrupted (Ctrl-C)",
}
