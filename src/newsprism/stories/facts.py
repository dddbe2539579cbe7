"""The comparison's result types: facts, their sources, conflicts and updates, the comparison.

A :class:`Fact` groups claims that the same-fact judge found to state one fact. Its status:

- ``corroborated``: carried by two or more independent outlets (wire copies, reprints and one
  outlet's several articles count once);
- ``single-source``: carried by one;
- ``conflicting``: claims about the same event whose slots truly disagree (each
  :class:`Conflict` says which slot, both values with their spans, and why the two claims are
  about one event).

A figure that changed between two publication days is an :class:`Conflict` of kind
``update``, not a conflict. Claims that are only *related* (overlapping, not the same fact)
are listed under ``related`` and never count as agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.stories.claims import Claim


@dataclass(slots=True)
class Source:
    """One claim carrying a fact, as a citation with its outlet and speaker."""

    article: str
    start: int
    end: int
    text: str
    outlet: str
    speaker: str | None = None
    published: str | None = None

    @classmethod
    def of(cls, c: Claim) -> Source:
        return cls(c.article, c.start, c.end, c.text, c.outlet, c.speaker, c.published)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "outlet": self.outlet,
            "speaker": self.speaker,
            "published": self.published,
        }


@dataclass(slots=True)
class ConflictValue:
    value: str
    article: str
    start: int
    end: int
    text: str
    outlet: str
    published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "outlet": self.outlet,
            "published": self.published,
        }


@dataclass(slots=True)
class Conflict:
    """Two or more values of one slot. ``kind`` is ``conflict`` (they cannot all hold) or
    ``update`` (a figure reported on different days); ``why`` says why the claims are taken
    to be about the same event."""

    slot: str  # number | number:vote | date | person:<role> | place | place:<area> | negation
    values: list[ConflictValue]
    kind: str = "conflict"
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "kind": self.kind,
            "why": self.why,
            "values": [v.to_dict() for v in self.values],
        }


@dataclass(slots=True)
class Fact:
    id: str
    text: str
    status: str  # corroborated | single-source | conflicting
    outlets: list[str]
    sources: list[Source]
    conflicts: list[Conflict] = field(default_factory=list)
    updates: list[Conflict] = field(default_factory=list)
    related: list[Source] = field(default_factory=list)  # overlapping coverage, not agreement
    claims: list[Claim] = field(default_factory=list)
    independent: int = 1  # number of independent outlets carrying it
    centrality: float = 0.0
    p_same: float = 1.0  # the judge's lowest probability between two of its outlets' claims

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "status": self.status,
            "outlets": list(self.outlets),
            "independent": self.independent,
            "p_same": round(self.p_same, 3),
            "sources": [s.to_dict() for s in self.sources],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "updates": [c.to_dict() for c in self.updates],
            "related": [s.to_dict() for s in self.related],
        }


@dataclass(slots=True)
class Comparison:
    """Everything the comparison finds about one story (see :meth:`to_dict`)."""

    facts: list[Fact]
    outlets: list[str]
    timeline: list[dict[str, Any]] = field(default_factory=list)
    framing: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    event_pairs: list[dict[str, Any]] = field(default_factory=list)
    vectors: np.ndarray | None = None  # one row per fact (its representative claim)

    def coverage(self) -> dict[str, Any]:
        ids = [f.id for f in self.facts]
        matrix = [[1 if o in f.outlets else 0 for f in self.facts] for o in self.outlets]
        return {"outlets": list(self.outlets), "facts": ids, "matrix": matrix}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "facts": [f.to_dict() for f in self.facts],
            "coverage": self.coverage(),
            "timeline": self.timeline,
            "framing": self.framing,
            "quotes": self.quotes,
        }
        if self.events:
            out["events"] = self.events
            out["event_pairs"] = self.event_pairs
        return out
