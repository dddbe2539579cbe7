from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


# -- stores on both backends (SQLite file, fresh PostgreSQL database) --------------------------

#: The PostgreSQL server the store tests use; each test gets a database of its own there.
PG_URL = os.environ.get("NEWSPRISM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_admin() -> Any:
    psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg")
    from newsprism.store.base import store_label

    try:
        return psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server answers at {store_label(PG_URL)} ({exc})")


@contextmanager
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database (its URL), dropped on exit. Skips the test, with the reason,
    when no server answers at ``NEWSPRISM_TEST_PG``."""
    admin = _pg_admin()
    name = f"newsprism_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_URL.rpartition('/')[0]}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    with pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: a SQLite file, or a fresh PostgreSQL database (dropped after)."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_location: str) -> Iterator[Any]:
    """An open, empty store on each backend (closed after the test)."""
    from newsprism.store.base import open_store

    with open_store(store_location) as db:
        yield db
