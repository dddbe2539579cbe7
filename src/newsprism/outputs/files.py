"""The output files of a run: ``stories.json``, ``report.md`` and ``report.html``."""

from __future__ import annotations

from pathlib import Path

from newsprism.model import AnalysisResult
from newsprism.outputs.cache import OutputCache
from newsprism.outputs.pieces import write_outputs_streamed
from newsprism.outputs.write import ensure_dir, writing
from newsprism.runtime import fewer_collections


def write_outputs(result: AnalysisResult, outdir: str | Path) -> dict[str, Path]:
    """Write ``stories.json``, ``report.md`` and ``report.html`` into ``outdir``; returns their paths.

    All three or none: on a write failure the previous outputs stay as they were, no temporary
    file is left, and :class:`~newsprism.errors.OutputError` names the path.

    The files are written story by story, never whole in memory. Each story's pieces of the
    files are kept in ``outdir/.cache`` (:mod:`newsprism.outputs.cache`), so the next run
    renders only the stories that changed. Stories are written from ``result.story_texts``
    where it holds them (the records :func:`~newsprism.api.analyze` stored): clear it after
    changing ``result.stories``.
    """
    out = Path(outdir)
    ensure_dir(out)
    paths = {
        "json": out / "stories.json",
        "markdown": out / "report.md",
        "html": out / "report.html",
    }
    cache = OutputCache.of(out)
    with fewer_collections(), writing(list(paths.values())) as sinks:
        write_outputs_streamed(result, cache, sinks)
    cache.remove_unused()
    return paths
