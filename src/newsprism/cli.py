"""Command line: parses arguments, calls the library, prints results and one-line errors.

Exit codes: 0 success; 1 nothing could be processed (or ``--strict`` and some input was
skipped); 2 usage error; 3 a library error (bad store, missing model, bad evaluation data, a
write fault); each :class:`newsprism.errors.NewsprismError` carries its own (docs/cli.md).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from newsprism import __version__, settings
from newsprism import evaluate as ev
from newsprism.errors import NewsprismError
from newsprism.profile import STAGE_HELP, Profile, activate
from newsprism.profile import stage as profile_stage
from newsprism.runtime import fewer_collections
from newsprism.settings import SETTING, Engine, Granularity, Setting
from newsprism.stages import (
    BadRecord,
    align_records,
    attributions_records,
    cluster_records,
    dates_record,
    events_records,
    read_records,
    summarize_record,
    write_records,
)
from newsprism.store.base import is_postgres_url, open_reader, open_store, store_label

log = logging.getLogger("newsprism.cli")

EXIT_NOTHING = 1  # nothing could be read, or --strict and something was skipped
EXIT_ERROR = 3  # a library error (NewsprismError.exit_code) or a store/write fault
EXIT_INTERRUPTED = 130


# -- console helpers -------------------------------------------------------------------------


def _err(msg: str) -> None:
    click.echo(msg, err=True)


class _StderrHandler(logging.Handler):
    """Library log records as one plain line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        prefix = {logging.WARNING: "warning: ", logging.ERROR: "error: "}.get(record.levelno, "")
        _err(f"{prefix}{record.getMessage()}")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    root = logging.getLogger("newsprism")
    root.handlers[:] = [_StderrHandler()]
    root.setLevel(level)
    root.propagate = False


class _Progress:
    """Progress on stderr with an ETA per stage: a live bar on a terminal, a line per stage and
    10% step otherwise.

    It also keeps Ctrl-C from being lost. Python raises ``KeyboardInterrupt`` wherever the main
    thread is when the signal arrives; raised inside a finalizer (a ``__del__`` or a weakref
    callback that the collector happened to run) it is printed and dropped, and the run would
    go on. While the block runs, a SIGINT is also noted, and every progress tick (each article,
    each story, quiet or not) raises it again until the run stops."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.interrupted = False
        self._old_handler: Any = None
        self.tty = sys.stderr.isatty()
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._last: dict[str, int] = {}
        self._start: dict[str, tuple[float, int]] = {}

    def _on_sigint(self, signum: int, frame: object) -> None:
        self.interrupted = True
        raise KeyboardInterrupt

    def __enter__(self) -> _Progress:
        if threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGINT, self._on_sigint)
        if self.enabled and self.tty:
            from rich.console import Console  # heavy: rich, ~25 ms; only the tty bar
            from rich.progress import (  # heavy: as above
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description:>8}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old_handler is not None:
            signal.signal(signal.SIGINT, self._old_handler)
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self.interrupted:  # a Ctrl-C that a finalizer swallowed: stop now
            raise KeyboardInterrupt
        if not self.enabled:
            return
        if self._bar is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(stage, total=total)
            self._bar.update(self._tasks[stage], completed=done, total=total)
            return
        now = time.monotonic()
        start, done0 = self._start.setdefault(stage, (now, done))
        step = 10 * done // total if total else done // 1000
        if self._last.get(stage) != step and (total is None or total >= 20 or done == total):
            self._last[stage] = step
            eta = ""
            if total and done0 < done < total:
                eta = f", ETA {_duration((now - start) / (done - done0) * (total - done))}"
            _err(f"{stage}: {done}/{total}{eta}" if total else f"{stage}: {done}")


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _parse_fields(values: tuple[str, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise click.BadParameter(
                    f"{part!r}: expected OURKEY=RECORDKEY, e.g. text=body", param_hint="--field"
                )
            ours, theirs = (x.strip() for x in part.split("=", 1))
            fields[ours] = theirs
    return fields


def _ingest_options(
    published: str | None,
    source: str | None,
    fields: tuple[str, ...],
    manifest: Path | None,
    max_size: float,
    follow_symlinks: bool = False,
) -> Any:
    from newsprism.ingest import IngestOptions  # lazy: newsprism.ingest costs ~50 ms at import

    return IngestOptions(
        max_bytes=int(max_size * 1024 * 1024),
        fields=_parse_fields(fields),
        manifest=manifest,
        published=published,
        source=source,
        follow_symlinks=follow_symlinks,
    )


class _SettingOption(click.Option):
    """A flag declared once in :mod:`newsprism.settings` (tests/test_settings.py finds these)."""

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setting = setting


def _flag(name: str, command: str, **overrides: Any) -> Callable[[Callable[..., Any]], Any]:
    """The click option of setting ``name`` on ``command``: flag, default, type and help come
    from the settings table; ``overrides`` only adjust how click shows or checks it."""
    s = SETTING[name]
    if s.flag is None:
        raise ValueError(f"setting {name!r} has no CLI flag")
    kw: dict[str, Any] = {"help": s.help, "cls": _SettingOption, "setting": s}
    if s.negated_flag or s.type is bool:
        kw["is_flag"] = True
    else:
        value = s.default_for(command)
        kw["default"] = value
        kw["show_default"] = value is not None and value != ()
        kw["multiple"] = s.multiple
        if s.choices:
            kw["type"] = click.Choice(list(s.choices))
        elif s.type is Path:
            kw["type"] = click.Path(exists=True, dir_okay=False, path_type=Path)
        elif s.type is not str:
            kw["type"] = s.type
        if s.metavar and not s.choices:
            kw["metavar"] = s.metavar
    kw.update(overrides)
    return click.option(s.flag, s.dest, **kw)


def _ingest_flags(command: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Options shared by ``analyze`` and ``ingest`` (the ingest-scope settings and --strict)."""
    names = [s.name for s in settings.for_command(command) if s.scope == "ingest"]

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed([*names, "strict"]):
            f = _flag(name, command)(f)
        return f

    return deco


def _skipped_summary(skipped: list[Any]) -> str:
    if not skipped:
        return "0 skipped"
    kinds = Counter(s.kind for s in skipped)
    return (
        f"{len(skipped)} skipped (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + ")"
    )


# -- commands --------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no progress.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """newsprism: one story, seen through every outlet."""
    _setup_logging(verbose, quiet)
    ctx.obj = {"quiet": quiet}


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for stories.json, report.md, report.html and the store.",
)
@_flag(
    "store", "analyze", help=SETTING["store"].help.rstrip(".") + " (default: OUTDIR/newsprism.db)."
)
@_ingest_flags("analyze")
@_flag("workers", "analyze")
@_flag("engine", "analyze")
@_flag("ray_address", "analyze")
@_flag("reenrich", "analyze")
@_flag("granularity", "analyze")
@_flag("use_embeddings", "analyze")
@_flag("aliases", "analyze")
@_flag("profile", "analyze")
@click.pass_context
def analyze(
    ctx: click.Context,
    paths: tuple[str, ...],
    outdir: Path,
    store: str | None,
    published: str | None,
    source: str | None,
    fields: tuple[str, ...],
    manifest: Path | None,
    max_size: float,
    strict: bool,
    follow_symlinks: bool,
    workers: int | None,
    engine: Engine,
    ray_address: str | None,
    reenrich: bool,
    granularity: Granularity,
    no_embeddings: bool,
    aliases: Path | None,
    profile: bool,
) -> None:
    """Run the whole pipeline over PATHS (files, folders, globs, or - for JSON Lines on stdin)."""
    from newsprism.api import AnalyzeOptions  # heavy: newsprism.api loads spacy and torch
    from newsprism.api import analyze as run_analyze  # heavy: as above
    from newsprism.outputs import write_outputs  # lazy: newsprism.outputs loads jinja2

    options = AnalyzeOptions(
        ingest=_ingest_options(published, source, fields, manifest, max_size, follow_symlinks),
        workers=workers,
        engine=engine,
        ray_address=ray_address,
        reenrich=reenrich,
        granularity=granularity,
        use_embeddings=not no_embeddings,
        aliases=aliases,
    )
    store_path = store or str(outdir / "newsprism.db")
    started = time.monotonic()
    run_profile = Profile() if profile else None
    # one pace of the collector for the whole run: restored between the analysis and the
    # outputs, it would walk every object of the run once more (a third of a second at 1,000)
    with _library_errors(), _Progress(not ctx.obj["quiet"]) as progress, fewer_collections():
        result = run_analyze(
            list(paths), options, store=store_path, progress=progress, profile=run_profile
        )
        with activate(run_profile), profile_stage("outputs"):
            written = write_outputs(result, outdir)
        articles, stories, new = len(result.articles), len(result.stories), result.new_articles
        files_read, unchanged, skipped = result.files_read, result.unchanged, result.skipped
        # let the run's records go while the collector is still slow: with them alive, the
        # collection that follows the thresholds' return would walk them all once more
        del result
    if not articles:
        _err(
            f"newsprism: no articles could be read from {', '.join(paths)} ({_skipped_summary(skipped)})"
        )
        sys.exit(EXIT_NOTHING)
    _err(
        f"{files_read} files read, {_skipped_summary(skipped)}"
        + (f", {unchanged} unchanged" if unchanged else "")
        + f"; {articles} articles in {stories} stories"
        + f" ({time.monotonic() - started:.1f} s)"
    )
    click.echo(f"report: {written['html']}")
    click.echo(f"stories: {written['json']}")
    click.echo(f"markdown: {written['markdown']}")
    click.echo(f"store: {store_label(store_path)}")
    if run_profile is not None:
        _err(_profile_table(run_profile, articles, new))
    if strict and skipped:
        sys.exit(EXIT_NOTHING)


def _profile_table(profile: Any, articles: int, new: int) -> str:
    """The per-stage breakdown of ``analyze --profile``."""
    lines = [f"{'stage':<11} {'seconds':>8} {'share':>6}  what"]
    for row in profile.rows():
        what = STAGE_HELP.get(row.name, "")
        if row.items:
            what += f" [{row.items:,}]"
        lines.append(f"{row.name:<11} {row.seconds:>8.2f} {row.share:>6.1%}  {what}")
    total = profile.total
    rate = f", {new / total:.1f} new articles/s" if new and total > 0 else ""
    lines.append(f"{'total':<11} {total:>8.2f} {1:>6.1%}  {articles} articles, {new} new{rate}")
    return "\n".join(lines)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_flag(
    "store", "ingest", help="Store to add the articles to: a SQLite file or a postgresql:// URL."
)
@_ingest_flags("ingest")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    store: str,
    published: str | None,
    source: str | None,
    fields: tuple[str, ...],
    manifest: Path | None,
    max_size: float,
    strict: bool,
    follow_symlinks: bool,
) -> None:
    """Read, clean and store articles from PATHS, without further analysis."""
    from newsprism.api import ingest_into_store  # heavy: newsprism.api loads spacy and torch

    options = _ingest_options(published, source, fields, manifest, max_size, follow_symlinks)
    with (
        _library_errors(),
        _Progress(not ctx.obj["quiet"]) as progress,
        open_store(store) as db,
    ):
        result = ingest_into_store(list(paths), options, db, progress)
        dups = sum(1 for a in result.articles if a.duplicate_of)
        total = len(result.articles)
    _err(
        f"{result.files_read} files read, {_skipped_summary(result.skipped)}"
        + (f", {result.unchanged} unchanged" if result.unchanged else "")
        + f"; {len(result.new)} new articles, {total} in the store ({dups} near-duplicates)"
    )
    click.echo(f"store: {store_label(store)}")
    if total == 0 or (strict and result.skipped):
        sys.exit(EXIT_NOTHING)


def _stage_io(
    infile: str, outfile: str, required: tuple[str, ...]
) -> tuple[list[dict[str, Any]], Any]:
    records: list[dict[str, Any]] = []
    bad = 0
    try:
        for rec in read_records(infile, required):
            if isinstance(rec, BadRecord):
                bad += 1
                log.warning("%s: skipped: %s", rec.where, rec.reason)
            else:
                records.append(rec)
    except OSError as exc:
        raise click.ClickException(f"{infile}: cannot read ({exc.strerror or exc})") from exc
    if bad:
        log.warning("%d bad input line(s) skipped", bad)
    out = sys.stdout if outfile == "-" else open(outfile, "w", encoding="utf-8")  # noqa: SIM115
    return records, out


def _stage_command(name: str, help_text: str) -> Callable[[Callable[..., Any]], click.Command]:
    def deco(f: Callable[..., Any]) -> click.Command:
        f = click.option(
            "-o",
            "--output",
            "outfile",
            default="-",
            show_default=True,
            help="Output JSON Lines file (- for stdout).",
        )(f)
        f = click.argument("infile")(f)
        return main.command(name=name, help=help_text)(f)

    return deco


def _run_stage(
    name: str,
    infile: str,
    outfile: str,
    required: tuple[str, ...],
    transform: Callable[[list[dict[str, Any]]], Iterable[dict[str, Any]]],
) -> None:
    """Read a stage's records, write what ``transform`` makes of them, report the count."""
    records, out = _stage_io(infile, outfile, required)
    with _library_errors(), out:
        n = write_records(transform(records), out)
    _err(f"{name}: {n} records")


@_stage_command("dates", "Normalize temporal expressions: {id, text, published?} -> {id, dates}.")
@_flag("published", "dates", help="Publication date for records without 'published'.")
def dates_cmd(infile: str, outfile: str, published: str | None) -> None:
    _run_stage(
        "dates",
        infile,
        outfile,
        ("id", "text"),
        lambda rs: (dates_record(r, published) for r in rs),
    )


@_stage_command("attributions", "Who said what: {id, text} -> {id, attributions}.")
def attributions_cmd(infile: str, outfile: str) -> None:
    _run_stage("attributions", infile, outfile, ("id", "text"), attributions_records)


@_stage_command(
    "events",
    "Who did what to whom (PLOVER): {id, text, published?} -> {id, events}.",
)
def events_cmd(infile: str, outfile: str) -> None:
    _run_stage("events", infile, outfile, ("id", "text"), events_records)


@_stage_command(
    "align",
    "Do two claims from two outlets state the same fact? "
    "{id, a, b, a_published?, b_published?, a_source?, b_source?} -> "
    "{id, relation, p_same, conflicts}.",
)
def align_cmd(infile: str, outfile: str) -> None:
    _run_stage("align", infile, outfile, ("id", "a", "b"), align_records)


@_stage_command(
    "cluster", "Group records into stories: {id, text, title?, published?, source?} -> {id, story}."
)
@_flag("granularity", "cluster")
@_flag("use_embeddings", "cluster")
def cluster_cmd(infile: str, outfile: str, granularity: Granularity, no_embeddings: bool) -> None:
    records, out = _stage_io(infile, outfile, ("id", "text"))
    with _library_errors(), out:
        rows = cluster_records(records, granularity, use_embeddings=not no_embeddings)
        write_records(rows, out)
    _err(f"cluster: {len(rows)} records in {len({r['story'] for r in rows})} stories")


@_stage_command(
    "summarize",
    "Extractive multi-document summary: {id, articles: [text]} -> {id, summary, citations}.",
)
@_flag("words", "summarize", type=click.IntRange(min=1))
def summarize_cmd(infile: str, outfile: str, words: int) -> None:
    _run_stage(
        "summarize",
        infile,
        outfile,
        ("id", "articles"),
        lambda rs: (summarize_record(r, words) for r in rs),
    )


@main.command()
@click.argument(
    "task",
    type=click.Choice(
        ["dates", "attributions", "cluster", "summarize", "storylines", "events", "align"]
    ),
)
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, help="Score only the first N documents/clusters.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(task: str, data: Path, limit: int | None, as_json: bool) -> None:
    """Score TASK on an annotated evaluation file (see docs/evaluation.md)."""
    with _library_errors():
        scores = ev.run(task, data, limit=limit)
    if as_json:
        click.echo(json.dumps(scores, indent=1, sort_keys=True))
        return
    width = max(map(len, scores), default=0)
    for k, v in scores.items():
        click.echo(f"{k:<{width}}  {v:.4f}" if isinstance(v, float) else f"{k:<{width}}  {v}")


@main.command()
@click.argument("query")
@_flag("store", "search", help="A SQLite file or a postgresql:// URL.")
@click.option("--limit", type=int, default=20, show_default=True)
def search(query: str, store: str, limit: int) -> None:
    """Full-text search over the stored articles (SQLite: FTS5 query syntax; PostgreSQL:
    web-search syntax)."""
    if not is_postgres_url(store) and not Path(store).is_file():
        raise click.BadParameter(f"{store}: no such store file", param_hint="--store")
    with _library_errors(), open_store(store) as db:
        hits = db.search(query, limit)
    for aid, snippet in hits:
        click.echo(f"{aid}\t{' '.join(snippet.split())}")
    if not hits:
        _err("no matches")


def _store_file(store: str) -> str | Path:
    """STORE as given: a ``postgresql://`` URL, or a SQLite file (or the folder holding
    newsprism.db) that must exist."""
    if is_postgres_url(store):
        return store
    path = Path(store) / "newsprism.db" if Path(store).is_dir() else Path(store)
    if not path.is_file():
        raise click.BadParameter(
            f"{path}: no such store file (run `newsprism analyze ... -o DIR` first)",
            param_hint="STORE",
        )
    return path


@main.command()
@click.argument("store", default="newsprism-out/newsprism.db")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes."
)
def serve(store: str, host: str, port: int, workers: int) -> None:
    """Browse STORE (a store file, the folder holding newsprism.db, or a postgresql:// URL) in
    a local web app with a JSON API. Writes need NEWSPRISM_TOKEN set (sent as a bearer token); without it the app
    is read-only."""
    from newsprism.web import serve as run_server  # heavy: newsprism.web loads fastapi (~240 ms)

    path = _store_file(store)
    mode = "writes need the token" if os.environ.get("NEWSPRISM_TOKEN") else "read-only"
    _err(f"newsprism: serving {store_label(path)} at http://{host}:{port}/ ({mode}; Ctrl-C stops)")
    with _library_errors():
        run_server(path, host=host, port=port, workers=workers)


@main.command()
@click.argument("store")
@click.option(
    "--what",
    type=click.Choice(["articles", "facts", "quotes", "entities", "coverage", "events"]),
    required=True,
    help="What to export, one row per item (columns in docs/web.md).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "jsonl"]),
    default="csv",
    show_default=True,
)
@click.option("--story", metavar="ID", help="Only this story.")
@click.option("--since", metavar="DATE", help="Only items published on or after DATE (YYYY-MM-DD).")
@click.option(
    "-o", "--output", "outfile", type=click.Path(dir_okay=False, path_type=Path), required=True
)
def export(
    store: str, what: str, fmt: str, story: str | None, since: str | None, outfile: Path
) -> None:
    """Export a table from STORE (a store file, the folder holding newsprism.db, or a
    postgresql:// URL) as CSV, Parquet or JSON Lines (streamed; no row cap)."""
    from newsprism.store.export import (  # lazy: store.export + store.sql cost ~12 ms at import
        ExportError,
        check_since,
        write_export,
    )

    path = _store_file(store)
    try:
        since = check_since(since)
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    with _library_errors(), open_reader(path) as db:
        if story is not None and db.story(story) is None:
            raise click.BadParameter(
                f"no story {story!r} in {store_label(path)}", param_hint="--story"
            )
        with outfile.open("wb") as fh:
            n = write_export(db, what, fmt, fh, story=story, since=since)
    _err(f"export: {n} {what} rows")
    click.echo(f"{what}: {outfile}")


class _library_errors:
    """The one place where errors become a message and an exit code: the library's typed
    errors (:mod:`newsprism.errors`, each with its ``exit_code``) and the few foreign ones that
    reach the CLI (a SQLite fault, a write fault, Ctrl-C) become one line on stderr."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, et: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if exc is None:
            return
        if isinstance(exc, NewsprismError):
            _err(f"newsprism: error: {exc}")
            sys.exit(exc.exit_code)
        if isinstance(exc, sqlite3.Error):  # disk full, read-only or locked store file
            _err(f"newsprism: error: store: {exc}")
            sys.exit(EXIT_ERROR)
        if isinstance(exc, OSError):  # a write fault outside the outputs (a store folder...)
            where = exc.filename if exc.filename is not None else "output"
            reason = exc.strerror or str(exc)
            if isinstance(exc, FileExistsError | NotADirectoryError):
                reason = "a file is in the way of a folder"
            _err(f"newsprism: error: {where}: cannot write ({reason})")
            sys.exit(EXIT_ERROR)
        if isinstance(exc, KeyboardInterrupt):
            _err("newsprism: interrupted")
            sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":  # pragma: no cover
    main()
