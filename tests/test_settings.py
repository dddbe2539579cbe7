"""The settings table (newsprism.settings) is the one declaration of every user-facing option:
the CLI flags, the option dataclasses and docs/cli.md must agree with it."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import click

from newsprism import cli, settings
from newsprism.api import AnalyzeOptions
from newsprism.ingest.base import IngestOptions
from newsprism.settings import SETTING, SETTINGS, render_docs
from newsprism.stories.cluster import ClusterSettings

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"

#: how an options dataclass holds a setting whose CLI form differs
_AS_FIELD: dict[str, tuple[str, Any]] = {
    "max_size": ("max_bytes", lambda mb: int(mb * 1024 * 1024)),
    "fields": ("fields", dict),
}


def _setting_options() -> list[tuple[str, click.Option, Any]]:
    """(command name, option, its default) for every flag the CLI built from the table."""
    assert isinstance(cli.main, click.Group)
    return [
        (name, p, p.get_default(click.Context(cmd), call=False))
        for name, cmd in cli.main.commands.items()
        for p in cmd.params
        if isinstance(p, cli._SettingOption)
    ]


def test_no_setting_declared_twice() -> None:
    names = Counter(s.name for s in SETTINGS)
    flags = Counter(s.flag for s in SETTINGS if s.flag)
    assert [n for n, k in names.items() if k > 1] == []
    assert [f for f, k in flags.items() if k > 1] == []
    assert len(SETTING) == len(SETTINGS)


def test_docs_hold_the_generated_tables() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render_docs(text) == text, "run scripts/update_cli_docs.py"


def test_every_setting_documented_with_its_default() -> None:
    text = DOC.read_text(encoding="utf-8")
    for s in SETTINGS:
        shown = f"`{s.flag}" if s.flag else f"`{s.name}`"
        rows = [line for line in text.splitlines() if line.startswith(f"| {shown}")]
        assert rows, f"{s.name} is not documented in docs/cli.md"
        for command in s.commands or (None,):
            want = settings._doc_default(s, command)
            assert any(f"| {want} |" in row for row in rows), (s.name, command, want)


def test_each_cli_flag_comes_from_the_table_with_its_default() -> None:
    found = _setting_options()
    for command, option, value in found:
        s = option.setting  # type: ignore[attr-defined]
        assert command in s.commands, (command, s.name)
        assert s.flag in option.opts
        if s.negated_flag or s.type is bool:
            assert option.is_flag and not value
        else:
            assert value == s.default_for(command), (command, s.name)
            if s.choices:
                assert isinstance(option.type, click.Choice)
                assert tuple(option.type.choices) == s.choices
    # and every flag the table declares is on each command it names
    declared = {(c, s.name) for s in SETTINGS if s.flag for c in s.commands}
    assert declared == {(c, o.setting.name) for c, o, _ in found}  # type: ignore[attr-defined]


def test_flags_outside_the_table_are_not_setting_names() -> None:
    """A command option that repeats a table flag must be built from the table."""
    assert isinstance(cli.main, click.Group)
    table_flags = {s.flag: s for s in SETTINGS if s.flag}
    for name, cmd in cli.main.commands.items():
        for p in cmd.params:
            if isinstance(p, click.Option) and not isinstance(p, cli._SettingOption):
                for opt in p.opts:
                    s = table_flags.get(opt)
                    # serve --workers is the web server's process count, another setting
                    assert s is None or name not in s.commands, (name, opt)


def _field_defaults(cls: type) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


def test_option_dataclasses_take_the_table_defaults() -> None:
    for scope, cls in (("ingest", IngestOptions), ("analyze", AnalyzeOptions)):
        fields = _field_defaults(cls)
        for s in (s for s in SETTINGS if s.scope == scope):
            name, convert = _AS_FIELD.get(s.name, (s.name, lambda v: v))
            assert name in fields, f"{cls.__name__} lacks setting {s.name}"
            assert fields[name] == convert(s.default), (cls.__name__, s.name)
    assert ClusterSettings().granularity == SETTING["granularity"].default
    assert ClusterSettings().use_embeddings == SETTING["use_embeddings"].default


def test_cli_passes_flags_into_the_options() -> None:
    options = cli._ingest_options("2024-03-01", "The Harbour Gazette", ("text=body",), None, 2.0)
    assert options.max_bytes == 2 * 1024 * 1024
    assert options.fields == {"text": "body"}
    assert options.published == "2024-03-01" and options.source == "The Harbour Gazette"


def test_the_granularity_default_is_declared_once() -> None:
    src = Path(settings.__file__).parent
    hits = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if 'granularity: str = "event"' in p.read_text(encoding="utf-8")
        or 'default="event"' in p.read_text(encoding="utf-8")
        or 'Literal["event", "topic"] = "event"' in p.read_text(encoding="utf-8")
    ]
    assert hits == []
