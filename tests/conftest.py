from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples" / "corpus"
DATA = Path(os.environ.get("NEWSPRISM_DATA", ROOT.parent / "shared" / "data"))
SEEDS = Path(os.environ.get("NEWSPRISM_SEEDS", ROOT.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"evaluation data not found at {DATA} (set NEWSPRISM_DATA)")
    return DATA


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (set NEWSPRISM_SEEDS)")
    return SEEDS
