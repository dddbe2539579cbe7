"""The output files of a run: ``stories.json``, ``report.md`` and ``report.html``."""

from __future__ import annotations

from pathlib import Path

from newsprism.model import AnalysisResult
from newsprism.outputs.cache import OutputCache
from newsprism.outputs.pieces import render_outputs
from newsprism.outputs.write import ensure_dir, write_files
from newsprism.runtime import fewer_collections


def write_outputs(result: AnalysisResult, outdir: str | Path) -> dict[str, Path]:
    """Write ``stories.json``, ``report.md`` and ``report.html`` into ``outdir``; returns their paths.

    All three or none: on a write failure the previous outputs stay as they were, no temporary
    file is left, and :class:`~newsprism.errors.OutputError` names the path.

    Each story's pieces of the files are kept in ``outdir/.cache`` (:mod:`newsprism.outputs.cache`)
    once the files are written, so the next run renders only the stories that changed.
    Stories are written from ``result.story_texts`` where it holds them (the records
    :func:`~newsprism.api.analyze` stored): clear it after changing ``result.stories``.
    """
    out = Path(outdir)
    ensure_dir(out)
    paths = {
        "json": out / "stories.json",
        "markdown": out / "report.md",
        "html": out / "report.html",
    }
    cache = OutputCache.of(out)
    with fewer_collections():  # the document is a few hundred thousand small dicts
        rendered = render_outputs(result, cache)
        texts = {
            paths["json"]: rendered.json,
            paths["markdown"]: rendered.markdown,
            paths["html"]: rendered.html,
        }
    write_files(texts)
    cache.save()
    return paths
