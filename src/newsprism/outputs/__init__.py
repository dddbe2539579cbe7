"""Writers for the results of a run: stories.json, report.md, report.html."""

from __future__ import annotations

from newsprism.outputs.document import result_to_document
from newsprism.outputs.files import write_outputs
from newsprism.outputs.html import render_html
from newsprism.outputs.markdown import render_markdown
from newsprism.outputs.write import OutputError

__all__ = ["OutputError", "render_html", "render_markdown", "result_to_document", "write_outputs"]
