"""Command line: parses arguments, calls the library, prints results and one-line errors.

Exit codes: 0 success; 1 nothing could be processed (or ``--strict`` and some input was
skipped); 2 usage error; 3 a library error (bad store, missing model, bad evaluation data).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from newsprism import __version__

log = logging.getLogger("newsprism.cli")

EXIT_NOTHING = 1
EXIT_ERROR = 3


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
    """Progress on stderr: a live bar on a terminal, a line per stage and 10% step otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._last: dict[str, int] = {}

    def __enter__(self) -> _Progress:
        if self.enabled and self.tty:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description:>8}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            if stage not in self._tasks:
                self._tasks[stage] = self._bar.add_task(stage, total=total)
            self._bar.update(self._tasks[stage], completed=done, total=total)
            return
        step = 10 * done // total if total else done // 1000
        if self._last.get(stage) != step and (total is None or total >= 20 or done == total):
            self._last[stage] = step
            _err(f"{stage}: {done}/{total}" if total else f"{stage}: {done}")


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
) -> Any:
    from newsprism.ingest import IngestOptions

    return IngestOptions(
        max_bytes=int(max_size * 1024 * 1024),
        fields=_parse_fields(fields),
        manifest=manifest,
        published=published,
        source=source,
    )


def _ingest_flags(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``analyze`` and ``ingest``."""
    for opt in reversed(
        [
            click.option(
                "--published",
                metavar="DATE",
                help="Publication date (YYYY-MM-DD) for articles that have none.",
            ),
            click.option(
                "--source", metavar="OUTLET", help="Outlet name for articles that have none."
            ),
            click.option(
                "--field",
                "fields",
                multiple=True,
                metavar="OURS=THEIRS,...",
                help="Map JSON record keys to ours, e.g. text=body,title=headline,published=date.",
            ),
            click.option(
                "--manifest",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="CSV with a 'path' column plus title,source,url,published,authors overriding detected metadata.",
            ),
            click.option(
                "--max-size",
                type=float,
                default=50.0,
                show_default=True,
                metavar="MB",
                help="Skip input files larger than this.",
            ),
            click.option(
                "--strict", is_flag=True, help="Exit with status 1 when any input was skipped."
            ),
        ]
    ):
        f = opt(f)
    return f


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
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite store to use and update (default: OUTDIR/newsprism.db).",
)
@_ingest_flags
@click.option(
    "--workers",
    type=int,
    help="Processes for per-article work (default: number of CPUs, at most 8).",
)
@click.option(
    "--granularity",
    type=click.Choice(["event", "topic"]),
    default="event",
    show_default=True,
    help="Story granularity: one event, or a broader topic.",
)
@click.option(
    "--no-embeddings", is_flag=True, help="Cluster with TF-IDF and entities only (faster, weaker)."
)
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra entity alias file (same format as the shipped aliases.tsv).",
)
@click.pass_context
def analyze(
    ctx: click.Context,
    paths: tuple[str, ...],
    outdir: Path,
    store_path: Path | None,
    published: str | None,
    source: str | None,
    fields: tuple[str, ...],
    manifest: Path | None,
    max_size: float,
    strict: bool,
    workers: int | None,
    granularity: str,
    no_embeddings: bool,
    aliases: Path | None,
) -> None:
    """Run the whole pipeline over PATHS (files, folders, globs, or - for JSON Lines on stdin)."""
    from newsprism.api import AnalyzeOptions
    from newsprism.api import analyze as run_analyze
    from newsprism.outputs import write_outputs

    options = AnalyzeOptions(
        ingest=_ingest_options(published, source, fields, manifest, max_size),
        workers=workers,
        granularity=granularity,
        use_embeddings=not no_embeddings,
        aliases=aliases,
    )
    store_path = store_path or outdir / "newsprism.db"
    started = time.monotonic()
    with _library_errors(), _Progress(not ctx.obj["quiet"]) as progress:
        result = run_analyze(list(paths), options, store=store_path, progress=progress)
        written = write_outputs(result, outdir)
    if not result.articles:
        _err(
            f"newsprism: no articles could be read from {', '.join(paths)} ({_skipped_summary(result.skipped)})"
        )
        sys.exit(EXIT_NOTHING)
    _err(
        f"{result.files_read} files read, {_skipped_summary(result.skipped)}"
        + (f", {result.unchanged} unchanged" if result.unchanged else "")
        + f"; {len(result.articles)} articles in {len(result.stories)} stories"
        + f" ({time.monotonic() - started:.1f} s)"
    )
    click.echo(f"report: {written['html']}")
    click.echo(f"stories: {written['json']}")
    click.echo(f"markdown: {written['markdown']}")
    click.echo(f"store: {store_path}")
    if strict and result.skipped:
        sys.exit(EXIT_NOTHING)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("newsprism.db"),
    show_default=True,
    help="SQLite store to add the articles to.",
)
@_ingest_flags
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    store_path: Path,
    published: str | None,
    source: str | None,
    fields: tuple[str, ...],
    manifest: Path | None,
    max_size: float,
    strict: bool,
) -> None:
    """Read, clean and store articles from PATHS, without further analysis."""
    from newsprism.api import ingest_into_store
    from newsprism.store.sqlite import Store

    options = _ingest_options(published, source, fields, manifest, max_size)
    with _library_errors(), _Progress(not ctx.obj["quiet"]) as progress, Store(store_path) as db:
        result = ingest_into_store(list(paths), options, db, progress)
        dups = sum(1 for a in result.articles if a.duplicate_of)
        total = len(result.articles)
    _err(
        f"{result.files_read} files read, {_skipped_summary(result.skipped)}"
        + (f", {result.unchanged} unchanged" if result.unchanged else "")
        + f"; {len(result.new)} new articles, {total} in the store ({dups} near-duplicates)"
    )
    click.echo(f"store: {store_path}")
    if total == 0 or (strict and result.skipped):
        sys.exit(EXIT_NOTHING)


def _stage_io(
    infile: str, outfile: str, required: tuple[str, ...]
) -> tuple[list[dict[str, Any]], Any]:
    from newsprism.stages import BadRecord, read_records

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


@_stage_command("dates", "Normalize temporal expressions: {id, text, published?} -> {id, dates}.")
@click.option(
    "--published", metavar="DATE", help="Publication date for records without 'published'."
)
def dates_cmd(infile: str, outfile: str, published: str | None) -> None:
    from newsprism.stages import dates_record, write_records

    records, out = _stage_io(infile, outfile, ("id", "text"))
    with _library_errors(), out:
        n = write_records((dates_record(r, published) for r in records), out)
    _err(f"dates: {n} records")


@_stage_command("attributions", "Who said what: {id, text} -> {id, attributions}.")
def attributions_cmd(infile: str, outfile: str) -> None:
    from newsprism.stages import attributions_records, write_records

    records, out = _stage_io(infile, outfile, ("id", "text"))
    with _library_errors(), out:
        n = write_records(attributions_records(records), out)
    _err(f"attributions: {n} records")


@_stage_command(
    "cluster", "Group records into stories: {id, text, title?, published?, source?} -> {id, story}."
)
@click.option(
    "--granularity", type=click.Choice(["event", "topic"]), default="event", show_default=True
)
@click.option("--no-embeddings", is_flag=True, help="TF-IDF and entities only.")
def cluster_cmd(infile: str, outfile: str, granularity: str, no_embeddings: bool) -> None:
    from newsprism.stages import cluster_records, write_records

    records, out = _stage_io(infile, outfile, ("id", "text"))
    with _library_errors(), out:
        rows = cluster_records(records, granularity, use_embeddings=not no_embeddings)
        write_records(rows, out)
    _err(f"cluster: {len(rows)} records in {len({r['story'] for r in rows})} stories")


@_stage_command(
    "summarize",
    "Extractive multi-document summary: {id, articles: [text]} -> {id, summary, citations}.",
)
@click.option(
    "--words",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Summary length in words.",
)
def summarize_cmd(infile: str, outfile: str, words: int) -> None:
    from newsprism.stages import summarize_record, write_records

    records, out = _stage_io(infile, outfile, ("id", "articles"))
    with _library_errors(), out:
        n = write_records((summarize_record(r, words) for r in records), out)
    _err(f"summarize: {n} records")


@main.command()
@click.argument("task", type=click.Choice(["dates", "attributions", "cluster", "summarize"]))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, help="Score only the first N documents/clusters.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(task: str, data: Path, limit: int | None, as_json: bool) -> None:
    """Score TASK on an annotated evaluation file (see docs/evaluation.md)."""
    from newsprism import evaluate as ev

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
@click.option(
    "--store",
    "store_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("newsprism.db"),
    show_default=True,
)
@click.option("--limit", type=int, default=20, show_default=True)
def search(query: str, store_path: Path, limit: int) -> None:
    """Full-text search over the stored articles (SQLite FTS5 query syntax)."""
    from newsprism.store.sqlite import Store

    with _library_errors(), Store(store_path) as db:
        hits = db.search(query, limit)
    for aid, snippet in hits:
        click.echo(f"{aid}\t{' '.join(snippet.split())}")
    if not hits:
        _err("no matches")


class _library_errors:
    """Turn the library's typed errors into one clear line and exit code 3."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, et: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> bool:
        if exc is None:
            return False
        from newsprism.evaluate import EvaluationDataError
        from newsprism.nlp.pipeline import ModelMissingError
        from newsprism.store.sqlite import StoreError

        if isinstance(exc, StoreError | ModelMissingError | EvaluationDataError):
            _err(f"newsprism: error: {exc}")
            sys.exit(EXIT_ERROR)
        if isinstance(exc, KeyboardInterrupt):
            _err("newsprism: interrupted")
            sys.exit(130)
        return False


if __name__ == "__main__":  # pragma: no cover
    main()
