"""Per-stage timing of a pipeline run.

A :class:`Profile` is passed to :func:`newsprism.api.analyze` and made *active* for the run;
code deep in the pipeline (the embedder, the model loaders) records into the active profile
with :func:`stage` without being handed it. Stages nest and the time is exclusive: seconds spent
embedding inside the comparison count as ``embeddings``, not twice. Work done in worker
processes comes back as per-stage seconds and is spread over the wall time it took
(:meth:`Profile.add_parallel`). The library logs the breakdown; the CLI prints it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: Stage names in pipeline order (others may appear; they are listed after these).
STAGES = (
    "ingest",
    "models",
    "parse",
    "annotate",
    "embeddings",
    "clustering",
    "comparison",
    "outputs",
    "store",
)

#: What each stage covers, for the printed table and the docs.
STAGE_HELP = {
    "ingest": "reading, cleaning, metadata, near-duplicates",
    "models": "loading spaCy and the sentence encoder",
    "parse": "spaCy: tokens, tags, parse, sentences, NER",
    "annotate": "entities, canonical names, dates, attributions",
    "embeddings": "sentence-encoder inference (cache misses only)",
    "clustering": "grouping articles into stories (without embeddings)",
    "comparison": "claims, alignment, conflicts, timeline, framing, brief",
    "outputs": "stories.json, report.md, report.html",
    "store": "SQLite reads and writes",
}


@dataclass(frozen=True)
class StageTime:
    """One row of the breakdown: seconds in a stage, its share of the total, items handled."""

    name: str
    seconds: float
    share: float
    items: int


class Profile:
    """Exclusive wall seconds per named stage (see the module doc)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.items: dict[str, int] = {}
        self._stack: list[tuple[str, float]] = []  # (name, start of the current slice)
        self._recorded = 0.0  # seconds added so far (for laps)
        self._lap_at: float | None = None
        self._lap_recorded = 0.0

    def add(self, name: str, seconds: float, items: int = 0) -> None:
        seconds = max(0.0, seconds)
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self._recorded += seconds
        if items:
            self.items[name] = self.items.get(name, 0) + items

    def count(self, name: str, items: int) -> None:
        """Count ``items`` handled by a stage (sentences embedded, articles parsed...)."""
        self.items[name] = self.items.get(name, 0) + items

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a block as ``name``; an enclosing stage's clock stops meanwhile."""
        now = time.perf_counter()
        if self._stack:
            outer = self._stack[-1]
            self.add(outer[0], now - outer[1])
        self._stack.append((name, now))
        try:
            yield
        finally:
            end = time.perf_counter()
            top = self._stack.pop()
            self.add(name, end - top[1])
            if self._stack:
                self._stack[-1] = (self._stack[-1][0], end)

    def start_laps(self) -> None:
        self._lap_at = time.perf_counter()
        self._lap_recorded = self._recorded

    def lap(self, name: str) -> None:
        """Count the time since the previous lap as ``name``, less what stages recorded meanwhile
        (a lap marks the end of a step without wrapping it)."""
        now = time.perf_counter()
        if self._lap_at is not None:
            self.add(name, now - self._lap_at - (self._recorded - self._lap_recorded))
        self._lap_at = now
        self._lap_recorded = self._recorded

    def add_parallel(self, wall: float, worker_seconds: dict[str, float]) -> None:
        """Spread ``wall`` seconds (a parallel step) over stages in proportion to the seconds
        the workers reported for each."""
        total = sum(worker_seconds.values())
        if total <= 0:
            return
        for name, secs in worker_seconds.items():
            self.add(name, wall * secs / total)

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    def rows(self) -> list[StageTime]:
        """Stages in pipeline order, then any others, each with its share of the total."""
        total = self.total or 1.0
        names = [s for s in STAGES if s in self.seconds]
        names += sorted(set(self.seconds) - set(STAGES))
        return [
            StageTime(n, self.seconds[n], self.seconds[n] / total, self.items.get(n, 0))
            for n in names
        ]

    def to_dict(self) -> dict[str, float]:
        return {r.name: round(r.seconds, 4) for r in self.rows()}

    def log_summary(self) -> None:
        log.info(
            "profile: %s",
            ", ".join(f"{r.name} {r.seconds:.2f} s ({r.share:.0%})" for r in self.rows()),
        )


_active: ContextVar[Profile | None] = ContextVar("newsprism_profile", default=None)


def active() -> Profile | None:
    """The profile of the run in progress, if any."""
    return _active.get()


@contextmanager
def activate(profile: Profile | None) -> Iterator[Profile | None]:
    """Make ``profile`` the active one for the block (``None``: keep the current one)."""
    if profile is None:
        yield _active.get()
        return
    if profile._lap_at is None:
        profile.start_laps()
    token = _active.set(profile)
    try:
        yield profile
    finally:
        _active.reset(token)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time a block as ``name`` in the active profile; free when no profile is active."""
    profile = _active.get()
    if profile is None:
        yield
        return
    with profile.stage(name):
        yield


def lap(name: str) -> None:
    """End a step of the active profile's run here (see :meth:`Profile.lap`)."""
    profile = _active.get()
    if profile is not None:
        profile.lap(name)


class Timed:
    """``obj`` with every method call timed as ``name`` in the active profile (e.g. a store,
    so its reads and writes count as ``store`` wherever they happen)."""

    def __init__(self, obj: Any, name: str) -> None:
        self._obj = obj
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._obj, attr)
        if not callable(value):
            return value
        name = self._name

        def timed(*args: Any, **kwargs: Any) -> Any:
            with stage(name):
                return value(*args, **kwargs)

        return timed

    def __enter__(self) -> Timed:
        return self

    def __exit__(self, *exc: object) -> None:
        self._obj.__exit__(*exc)


def count(name: str, items: int) -> None:
    profile = _active.get()
    if profile is not None and items:
        profile.count(name, items)
