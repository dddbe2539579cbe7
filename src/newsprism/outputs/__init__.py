"""Writers for the results of a run: stories.json, report.md, report.html."""

from __future__ import annotations

import json
from pathlib import Path

from newsprism.model import AnalysisResult
from newsprism.outputs.document import result_to_document
from newsprism.outputs.html import render_html
from newsprism.outputs.markdown import render_markdown

__all__ = ["render_html", "render_markdown", "result_to_document", "write_outputs"]


def write_outputs(result: AnalysisResult, outdir: str | Path) -> dict[str, Path]:
    """Write ``stories.json``, ``report.md`` and ``report.html`` into ``outdir``; returns their paths."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    doc = result_to_document(result)
    paths = {
        "json": out / "stories.json",
        "markdown": out / "report.md",
        "html": out / "report.html",
    }
    _atomic_write(paths["json"], json.dumps(doc, ensure_ascii=False, indent=1))
    _atomic_write(paths["markdown"], render_markdown(doc))
    _atomic_write(paths["html"], render_html(doc))
    return paths


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
