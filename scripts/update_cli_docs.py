"""Regenerate the option tables of docs/cli.md from the settings table (newsprism.settings).

.venv/bin/python scripts/update_cli_docs.py          # rewrite docs/cli.md
.venv/bin/python scripts/update_cli_docs.py --check  # exit 1 when it is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsprism.settings import render_docs

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    new = render_docs(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC}: option tables out of date; run scripts/update_cli_docs.py")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    print(f"{DOC}: option tables regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
