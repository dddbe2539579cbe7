"""The output files of a run: ``stories.json``, ``report.md`` and ``report.html``."""

from __future__ import annotations

from pathlib import Path

from newsprism.model import AnalysisResult
from newsprism.outputs.document import document_json, result_to_document
from newsprism.outputs.html import render_html
from newsprism.outputs.markdown import render_markdown
from newsprism.outputs.write import ensure_dir, write_files
from newsprism.runtime import fewer_collections


def write_outputs(result: AnalysisResult, outdir: str | Path) -> dict[str, Path]:
    """Write ``stories.json``, ``report.md`` and ``report.html`` into ``outdir``; returns their paths.

    All three or none: on a write failure the previous outputs stay as they were, no temporary
    file is left, and :class:`~newsprism.errors.OutputError` names the path.
    """
    out = Path(outdir)
    ensure_dir(out)
    paths = {
        "json": out / "stories.json",
        "markdown": out / "report.md",
        "html": out / "report.html",
    }
    with fewer_collections():  # the document is a few hundred thousand small dicts
        doc = result_to_document(result)
        texts = {
            paths["json"]: document_json(doc),
            paths["markdown"]: render_markdown(doc),
            paths["html"]: render_html(doc),
        }
    write_files(texts)
    return paths
