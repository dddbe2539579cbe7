"""Shared by the benchmarks: writing one benchmark's section of docs/benchmarks.md (keeping
every other section), and reading article texts from the evaluation data."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(
    heading: str,
    section: str,
    path: Path = DOCS,
    merge: Callable[[str, str], str] | None = None,
) -> None:
    """Replace the section that starts with ``heading`` (a ``## ...`` line) by ``section``,
    or append it; ``merge(old, new)`` may combine the old section with the new one."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    found = pattern.search(text)
    if found:
        if merge is not None:
            section = merge(found.group(0), section)
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def publish(
    heading: str, text: str, raw: object = None, save: Path | None = None, write: bool = True
) -> None:
    """The end of a benchmark run: the raw measurements to ``save`` (JSON) when asked, the
    rendered section on stdout, and into docs/benchmarks.md unless ``write`` is False."""
    if save is not None:
        save.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print(text)
    if write:
        write_section(heading, text)


def output_args(ap: argparse.ArgumentParser) -> None:
    """The options a benchmark takes for its results: --no-write, --json and --from-json."""
    ap.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    ap.add_argument("--json", type=Path, help="also save the raw measurements here")
    ap.add_argument("--from-json", type=Path, help="render saved measurements, measure nothing")


def conclude(
    heading: str,
    args: argparse.Namespace,
    measure: Callable[[], Any],
    render: Callable[[Any], str],
) -> None:
    """Measure (or read the measurements of ``--from-json``), then :func:`publish` them as
    the :func:`output_args` options say."""
    res = json.loads(args.from_json.read_text(encoding="utf-8")) if args.from_json else measure()
    publish(heading, render(res), res, args.json, write=not args.no_write)


def read_texts(path: Path, limit: int) -> list[str]:
    """The ``text`` of the first ``limit`` records of a JSON Lines file."""
    texts: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return texts


def cpu_label() -> str:
    """The CPU's model name and whether it has VNNI (int8 products at full speed and without
    saturation), from /proc/cpuinfo; empty where it cannot be read."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    name = next(
        (ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")), ""
    )
    flags = set(
        next(
            (ln.split(":", 1)[1].split() for ln in info.splitlines() if ln.startswith("flags")), []
        )
    )
    vnni = "VNNI" if flags & {"avx512_vnni", "avx_vnni"} else "no VNNI"
    simd = "AVX-512" if "avx512f" in flags else ("AVX2" if "avx2" in flags else "no AVX2")
    return f"{name} ({simd}, {vnni})" if name else ""
