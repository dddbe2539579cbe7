"""The CLI is thin: it parses, calls the library, and turns errors into one line + exit code."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from newsprism import __version__
from newsprism.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _invoke(args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, args)
    return res.exit_code, res.stdout, res.stderr


def test_version_and_help_list_every_command() -> None:
    code, out, _ = _invoke(["--version"])
    assert code == 0 and __version__ in out
    code, out, _ = _invoke(["--help"])
    assert code == 0
    for cmd in (
        "analyze",
        "ingest",
        "dates",
        "attributions",
        "cluster",
        "summarize",
        "evaluate",
        "search",
    ):
        assert re.search(rf"^\s+{cmd}\s", out, re.M), cmd


def test_usage_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _, err = _invoke(["analyze", str(tmp_path)])  # no -o
    assert code == 2 and "--output" in err
    code, _, err = _invoke(
        ["analyze", str(tmp_path), "-o", str(tmp_path / "o"), "--field", "textbody"]
    )
    assert code == 2 and "OURKEY=RECORDKEY" in err
    code, _, err = _invoke(["evaluate", "nonsense", str(tmp_path)])
    assert code == 2


def test_a_broken_store_is_one_clear_line_and_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"definitely not a database" * 50)
    code, _, err = _invoke(["search", "anything", "--store", str(bad)])
    assert code == 3
    assert err.strip().count("\n") == 0 and "broken.db" in err and "Traceback" not in err


def test_bad_evaluation_file_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "gold.jsonl"
    data.write_text("{not json\n")
    code, _, err = _invoke(["evaluate", "dates", str(data)])
    assert code == 3 and "gold.jsonl:1" in err


def test_ingest_then_search(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "Orchard growers protest in Lenby\n\nApple growers drove forty tractors into Lenby on "
        "Friday to protest against falling prices, the farmers' association said.\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    code, out, err = _invoke(["ingest", str(src), "--store", str(db)])
    assert code == 0, err
    assert "1 new articles, 1 in the store" in err
    code, _, err = _invoke(["ingest", str(src), "--store", str(db)])  # unchanged: nothing new
    assert code == 0 and "0 new articles" in err and "1 unchanged" in err
    code, out, _ = _invoke(["search", "tractors", "--store", str(db)])
    assert code == 0 and out.startswith("a\t") and "[tractors]" in out


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    demo, tests = blocks[0].strip(), blocks[1].strip()
    assert "python3 -m venv .venv" in demo and "newsprism analyze examples/corpus" in demo
    assert "python3 -m venv .venv" in tests and "pytest" in tests and "[test]" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines(), ".ci/run must run exactly the README's test command"
