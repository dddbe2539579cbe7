"""Source layout rules checked on the code itself (issue 17).

No imports inside functions, except for optional or heavy dependencies (and the few project
modules that would load one, or close an import cycle), each with a comment saying why: on the
import's first line or on the line just above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "newsprism"


def _imports_in_functions(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Import statements anywhere inside a function body (a def at any depth)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    walk(tree, False)
    return found


def _uncommented(source: str) -> list[int]:
    """Lines of the imports inside functions with no comment on their first line or above."""
    lines = source.splitlines()
    bad = []
    for node in _imports_in_functions(ast.parse(source)):
        first = lines[node.lineno - 1]
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        if "#" not in first and not above.startswith("#"):
            bad.append(node.lineno)
    return bad


def test_imports_inside_functions_are_commented() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert files, f"no sources under {SRC}"
    bad = [
        f"{path.relative_to(SRC.parent.parent)}:{line}"
        for path in files
        for line in _uncommented(path.read_text(encoding="utf-8"))
    ]
    assert not bad, (
        "imports inside functions need a comment saying why they are lazy "
        "(# heavy: ..., # optional: needs ..., # lazy: ..., # cycle: ...), "
        "or belong at the top of the module:\n" + "\n".join(bad)
    )


def test_the_check_sees_nested_and_commented_imports() -> None:
    source = (
        "import os\n"
        "if True:\n"
        "    import sys\n"
        "def f():\n"
        "    import json\n"
        "    def g():\n"
        "        import re  # heavy: an example\n"
        "    class C:\n"
        "        def m(self):\n"
        "            # lazy: an example\n"
        "            from a import (\n"
        "                b,\n"
        "            )\n"
    )
    assert [n.lineno for n in _imports_in_functions(ast.parse(source))] == [5, 7, 11]
    assert _uncommented(source) == [5]
