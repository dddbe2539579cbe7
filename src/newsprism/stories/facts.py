"""The comparison of one story (:class:`Comparison`) and what its facts' labels mean.

The record types (:class:`Fact`, :class:`Source`, :class:`Conflict`, :class:`ConflictValue`) are
declared with the rest of the data model in :mod:`newsprism.model` and re-exported here.

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

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsprism.model import (
    Conflict,
    ConflictValue,
    Coverage,
    EventPair,
    EventRecord,
    Fact,
    FramingItem,
    Source,
    SpeakerQuotes,
    Story,
    TimelineEntry,
)

__all__ = ["Comparison", "Conflict", "ConflictValue", "Fact", "Source"]


@dataclass(slots=True)
class Comparison:
    """Everything the comparison finds about one story; :func:`newsprism.api.compare_members`
    puts it on the :class:`~newsprism.model.Story` (the claims and vectors stay behind)."""

    facts: list[Fact]
    outlets: list[str]
    timeline: list[TimelineEntry] = field(default_factory=list)
    framing: dict[str, list[FramingItem]] = field(default_factory=dict)
    quotes: list[SpeakerQuotes] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    event_pairs: list[EventPair] = field(default_factory=list)
    vectors: np.ndarray | None = None  # one row per fact (its representative claim)

    def onto(self, story: Story, **more: Any) -> Story:
        """``story`` with this comparison's findings (and ``more`` fields: the brief, the
        background); the facts keep their claims, the vectors stay behind."""
        return dataclasses.replace(
            story,
            facts=self.facts,
            coverage=self.coverage(),
            timeline=self.timeline,
            framing=self.framing,
            quotes=self.quotes,
            events=self.events,
            event_pairs=self.event_pairs,
            **more,
        )

    def coverage(self) -> Coverage:
        """Which outlet carries which fact."""
        ids = [f.id for f in self.facts]
        matrix = [[1 if o in f.outlets else 0 for f in self.facts] for o in self.outlets]
        return Coverage(list(self.outlets), ids, matrix)
