"""What every newsprism store offers, and :func:`open_store`, which picks the backend.

Two backends implement :class:`ArticleStore`: SQLite (:mod:`newsprism.store.sqlite`, one
file, the default) and PostgreSQL (:mod:`newsprism.store.postgres`, a shared server that
several writers and the web app use at once). ``open_store`` chooses by the location:
``postgresql://...`` (or ``postgres://...``) opens PostgreSQL, anything else is a SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

from newsprism.errors import StoreError
from newsprism.model import Article, Enriched, Skipped, Story

if TYPE_CHECKING:
    from newsprism.store.postgres import PostgresStore
    from newsprism.store.sql import SQLStore

PG_PREFIXES = ("postgresql://", "postgres://")
SCHEMA_VERSION = 1
#: state key holding the storylines of the last analysis (``Storyline.to_dict()`` each: id,
#: title, story ids in time order, span, timeline), as the web app reads them
STORYLINES_KEY = "storylines.view"


class StoryOutline(NamedTuple):
    """A stored story's record as stored (JSON text), with what a run reads of a story it
    reuses: its timeline (decoded) and its storyline id. The store picks the two out of the
    record, so the rest is never decoded (:meth:`ArticleStore.story_outlines`)."""

    text: str
    timeline: list[dict[str, Any]]
    storyline: str | None


@runtime_checkable
class ArticleStore(Protocol):
    """The store interface the pipeline uses (articles, enrichment, stories, state)."""

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> None: ...

    def close(self) -> None: ...

    def content_hashes(self) -> set[str]: ...

    def article_paths(self) -> dict[str, str | None]: ...

    def add_articles(self, articles: Iterable[Article]) -> int: ...

    def set_duplicates(self, links: dict[str, str | None]) -> None: ...

    def set_sources(self, sources: dict[str, str]) -> None: ...

    def articles(self) -> list[Article]: ...

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str]]: ...

    def add_enrichment(self, items: Iterable[Enriched]) -> None: ...

    def delete_enrichment(self, article_ids: Iterable[str]) -> None: ...

    def enrichment(self) -> dict[str, Enriched]: ...

    def enrichment_of(self, ids: Iterable[str]) -> dict[str, Enriched]: ...

    def enrichment_outline(self) -> dict[str, Enriched]: ...

    def replace_stories(
        self, stories: list[Story], data: Iterable[dict[str, Any] | str]
    ) -> None: ...

    def stories(self) -> list[dict[str, Any]]: ...

    def story_texts(self) -> dict[str, str]: ...

    def story_outlines(self) -> dict[str, StoryOutline]: ...

    def add_skipped(self, skipped: Iterable[Skipped]) -> None: ...

    def get_state(self, key: str) -> Any: ...

    def set_state(self, key: str, value: Any) -> None: ...

    def counts(self) -> dict[str, int]: ...


def is_postgres_url(location: str | Path) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(PG_PREFIXES)


def open_store(location: str | Path = ":memory:") -> SQLStore:
    """Open (creating if needed) the store at ``location``: a ``postgresql://`` URL or a
    SQLite file path (``:memory:`` for a throw-away store)."""
    if is_postgres_url(location):
        return _postgres(location)(str(location))
    from newsprism.store.sqlite import Store  # (the backends import this module)

    return Store(location)


def open_reader(location: str | Path) -> SQLStore:
    """An existing store opened for reading only (no schema or state written), as the web app
    and the exports use it: a ``postgresql://`` URL or a SQLite file path."""
    if is_postgres_url(location):
        return _postgres(location).reader(str(location))
    from newsprism.store.sqlite import Store  # (the backends import this module)

    return Store.reader(location)


def _postgres(location: str | Path) -> type[PostgresStore]:
    try:
        from newsprism.store.postgres import PostgresStore  # optional: needs psycopg
    except ImportError as exc:
        raise StoreError(
            f"{store_label(location)}: PostgreSQL needs psycopg (pip install 'newsprism[postgres]')"
        ) from exc
    return PostgresStore


def store_label(location: str | Path) -> str:
    """``location`` as shown to a user: a PostgreSQL URL without its password."""
    text = str(location)
    if not is_postgres_url(text):
        return text
    scheme, _, rest = text.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        creds = creds.split(":", 1)[0] + ":***"
    return f"{scheme}://{creds}{at}{host}"
