"""Every user-facing setting, declared once: name, default, type and help.

The CLI flags (``newsprism.cli``), the option dataclasses (:class:`newsprism.api.AnalyzeOptions`,
:class:`newsprism.ingest.base.IngestOptions`) and the option tables of ``docs/cli.md`` all come
from :data:`SETTINGS`; ``tests/test_settings.py`` checks that they agree. To add a setting, add
one :class:`Setting` here, a field to the options dataclass of its ``scope`` (default
``default("name")``), and run ``python scripts/update_cli_docs.py``.

Tunables that are not meant for users (the clustering weights and thresholds of
:class:`newsprism.stories.cluster.ClusterSettings`, the comparison constants) stay beside the code
that uses them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

Granularity = Literal["event", "topic"]
Engine = Literal["local", "ray"]

#: where a setting lives: the options object that carries it, or only the CLI
Scope = Literal["ingest", "analyze", "brief", "stage", "cli"]


@dataclass(frozen=True)
class Setting:
    """One user-facing setting."""

    name: str  #: Python name (field of the options object of ``scope``)
    default: Any
    type: type  #: type of a value (``Path``, ``str``, ``int``, ``float``, ``bool``)
    help: str  #: one line for ``--help`` and the docs
    scope: Scope
    choices: tuple[str, ...] | None = None
    flag: str | None = None  #: the CLI flag, e.g. ``--max-size``; None = Python API only
    metavar: str | None = None
    #: commands that have the flag
    commands: tuple[str, ...] = ()
    #: the flag switches the setting from its default to the opposite (``--no-embeddings``)
    negated_flag: bool = False
    multiple: bool = False  #: the flag may be repeated (values collected in a tuple)
    #: how the default reads in the docs when the value alone would mislead (e.g. ``None``)
    doc_default: str | None = None
    #: more for the docs than fits ``--help``
    doc_more: str = ""
    #: a command whose flag has another default (``analyze --store``: OUTDIR/newsprism.db)
    command_defaults: Mapping[str, Any] = field(default_factory=dict)
    #: how such a command's default reads in the docs
    command_doc_defaults: Mapping[str, str] = field(default_factory=dict)

    def default_for(self, command: str) -> Any:
        """The flag's default on ``command``."""
        return self.command_defaults.get(command, self.default)

    @property
    def dest(self) -> str:
        """The keyword the CLI function receives."""
        if self.negated_flag and self.flag:
            return self.flag.lstrip("-").replace("-", "_")
        return self.name


GRANULARITIES: tuple[str, ...] = get_args(Granularity)
ENGINES: tuple[str, ...] = get_args(Engine)
_INPUT = ("analyze", "ingest")

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store",
        "newsprism.db",
        str,
        "Store to use and update: a SQLite file or a postgresql:// URL.",
        "cli",
        flag="--store",
        metavar="DB|URL",
        commands=("analyze", "ingest", "search"),
        command_defaults={"analyze": None},
        command_doc_defaults={"analyze": "`OUTDIR/newsprism.db`"},
        doc_more="a PostgreSQL database `postgresql://user@host:5432/dbname` is shared by "
        "several writers (needs `newsprism[postgres]`)",
    ),
    Setting(
        "published",
        None,
        str,
        "Publication date (YYYY-MM-DD) for articles that have none.",
        "ingest",
        flag="--published",
        metavar="DATE",
        commands=(*_INPUT, "dates"),
        doc_more="anchors relative dates",
    ),
    Setting(
        "source",
        None,
        str,
        "Outlet name for articles that have none.",
        "ingest",
        flag="--source",
        metavar="OUTLET",
        commands=_INPUT,
    ),
    Setting(
        "fields",
        (),
        str,
        "Map JSON record keys to ours, e.g. text=body,title=headline,published=date.",
        "ingest",
        flag="--field",
        metavar="OURS=THEIRS,...",
        commands=_INPUT,
        multiple=True,
    ),
    Setting(
        "manifest",
        None,
        Path,
        "CSV with a 'path' column plus title,source,url,published,authors overriding detected "
        "metadata.",
        "ingest",
        flag="--manifest",
        metavar="FILE.csv",
        commands=_INPUT,
    ),
    Setting(
        "max_size",
        50.0,
        float,
        "Skip input files larger than this.",
        "ingest",
        flag="--max-size",
        metavar="MB",
        commands=_INPUT,
    ),
    Setting(
        "strict",
        False,
        bool,
        "Exit with status 1 when any input was skipped.",
        "cli",
        flag="--strict",
        commands=_INPUT,
    ),
    Setting(
        "follow_symlinks",
        False,
        bool,
        "Read symlinks found in input folders even when they point outside them "
        "(refused by default).",
        "ingest",
        flag="--follow-symlinks",
        commands=_INPUT,
        doc_more="a file named on the command line is always read",
    ),
    Setting(
        "workers",
        None,
        int,
        "Processes for per-article work (default: number of CPUs, at most 8).",
        "analyze",
        flag="--workers",
        metavar="N",
        commands=("analyze",),
        doc_default="CPUs (max 8)",
        doc_more="Ray workers with `--engine ray`",
    ),
    Setting(
        "engine",
        "local",
        str,
        "Where per-article work runs: local processes, or Ray Data (a local or remote Ray "
        "cluster).",
        "analyze",
        choices=ENGINES,
        flag="--engine",
        commands=("analyze",),
        doc_more="Ray needs `newsprism[ray]`; same stories either way, see [scaling](scaling.md)",
    ),
    Setting(
        "reenrich",
        False,
        bool,
        "Enrich again the stored articles that another version of newsprism enriched (their "
        "claims, quotes and dates come from older rules; by default they are kept, with a "
        "warning).",
        "analyze",
        flag="--reenrich",
        commands=("analyze",),
        doc_more="resumes if stopped: each redone batch is stored as it comes",
    ),
    Setting(
        "ray_address",
        None,
        str,
        "Ray cluster to join with --engine ray (default: start one on this machine).",
        "analyze",
        flag="--ray-address",
        metavar="ADDR",
        commands=("analyze",),
    ),
    Setting(
        "granularity",
        "event",
        str,
        "Story granularity: one event, or a broader topic.",
        "analyze",
        choices=GRANULARITIES,
        flag="--granularity",
        commands=("analyze", "cluster"),
    ),
    Setting(
        "use_embeddings",
        True,
        bool,
        "Cluster with TF-IDF and entities only (faster, weaker).",
        "analyze",
        flag="--no-embeddings",
        negated_flag=True,
        commands=("analyze", "cluster"),
        doc_more="without it, MiniLM sentence embeddings join TF-IDF and entities in "
        "clustering and comparison",
    ),
    Setting(
        "aliases",
        None,
        Path,
        "Extra entity alias file (same format as the shipped aliases.tsv).",
        "analyze",
        flag="--aliases",
        metavar="FILE",
        commands=("analyze",),
    ),
    Setting(
        "profile",
        False,
        bool,
        "Print the seconds spent in each stage (ingest, parse, embeddings, ...) at the end.",
        "cli",
        flag="--profile",
        commands=("analyze",),
        doc_more="on stderr",
    ),
    Setting(
        "max_facts",
        10,
        int,
        "Key facts in each story brief.",
        "analyze",
    ),
    Setting(
        "brief_redundancy",
        0.72,
        float,
        "Cosine above which two sentences or facts of a brief say the same thing (MMR cut-off).",
        "brief",
    ),
    Setting(
        "words",
        100,
        int,
        "Summary length in words.",
        "stage",
        flag="--words",
        metavar="N",
        commands=("summarize",),
    ),
)

SETTING: dict[str, Setting] = {s.name: s for s in SETTINGS}


def default(name: str) -> Any:
    """The default of setting ``name`` (KeyError for an undeclared name)."""
    return SETTING[name].default


def for_command(command: str) -> list[Setting]:
    """The settings that are flags of ``command``, in table order."""
    return [s for s in SETTINGS if command in s.commands]


# -- docs ------------------------------------------------------------------------------------


def _doc_default(s: Setting, command: str | None) -> str:
    if command is not None and command in s.command_doc_defaults:
        return s.command_doc_defaults[command]
    if s.doc_default is not None:
        return s.doc_default
    if s.negated_flag and command is not None:
        return "off"
    value = s.default if command is None else s.default_for(command)
    if value is None or value == ():
        return "none"
    if value is False:
        return "off"
    if value is True:
        return "on"
    if isinstance(value, float) and value.is_integer() and s.flag:
        return str(int(value))
    return str(value)


_PIPE = "\\|"  # a | inside a Markdown table cell


def _doc_option(s: Setting) -> str:
    if s.flag is None:
        return f"`{s.name}`"
    if s.choices:
        return f"`{s.flag} {_PIPE.join(s.choices)}`"
    return f"`{s.flag} {s.metavar.replace('|', _PIPE)}`" if s.metavar else f"`{s.flag}`"


def _doc_meaning(s: Setting) -> str:
    text = s.help.replace("|", _PIPE)
    return f"{text.rstrip('.')}; {s.doc_more}." if s.doc_more else text


def markdown_table(command: str | None) -> str:
    """The option table of ``command`` for docs/cli.md; ``None``: the settings without a flag."""
    rows = for_command(command) if command is not None else [s for s in SETTINGS if s.flag is None]
    head = "| option | default | meaning |" if command else "| setting | default | meaning |"
    lines = [head, "| --- | --- | --- |"]
    for s in rows:
        lines.append(f"| {_doc_option(s)} | {_doc_default(s, command)} | {_doc_meaning(s)} |")
    return "\n".join(lines)


_BLOCK = re.compile(
    r"(<!-- settings:(?P<cmd>[a-z-]+) -->\n)(?:(?!<!-- settings:).)*?(<!-- /settings -->)",
    re.DOTALL,
)


def render_docs(text: str) -> str:
    """``text`` (docs/cli.md) with every block between ``<!-- settings:COMMAND -->`` and
    ``<!-- /settings -->`` replaced by the table of COMMAND (``api``: settings without a flag)."""

    def table(m: re.Match[str]) -> str:
        cmd = m["cmd"]
        return m[1] + markdown_table(None if cmd == "api" else cmd) + "\n" + m[3]

    return _BLOCK.sub(table, text)
