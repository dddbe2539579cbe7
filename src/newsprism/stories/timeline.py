"""Dated timeline of a story: facts whose claims carry normalized dates, ordered by date."""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsprism.stories.compare import Fact

log = logging.getLogger(__name__)

_SEASON = {"SP": "-03", "SU": "-06", "FA": "-09", "AU": "-09", "WI": "-12"}
_DAY = re.compile(r"^(\d{4})(?:-(\d\d|W\d\d))?(?:-(\d\d))?")


def date_sort_key(value: str) -> tuple[str, int]:
    """Sort key for a TIMEX3 value: by its first day, coarser values first on ties."""
    first = value.split("/", 1)[0]
    first = re.sub(r"-(SP|SU|FA|AU|WI)$", lambda m: _SEASON[m.group(1)], first)
    m = _DAY.match(first)
    if not m:
        return ("9999", 9)
    granularity = 3 - sum(g is not None for g in m.groups())
    return (first, -granularity)


def build_timeline(facts: list[Fact]) -> list[dict[str, Any]]:
    """One entry per (fact, date value): ``{date, text, fact, sources}``, ordered by date.

    ``text`` is the fact's text when its representative claim carries the date, else the first
    claim that does; ``sources`` are the claims of the fact that carry that date, each as
    ``{article, start, end, text, outlet, speaker}`` plus the date mention itself.
    """
    entries: list[dict[str, Any]] = []
    for f in facts:
        values: Counter[str] = Counter()
        for c in f.claims:
            values.update({d.value for d in c.dates if d.type == "DATE" and d.value})
        for value, _ in values.most_common():
            if not _DAY.match(value):
                continue  # not anchored (e.g. PRESENT_REF, XXXX-03)
            sources = []
            text = None
            for c in f.claims:
                ds = [d for d in c.dates if d.value == value]
                if not ds:
                    continue
                if text is None or c.text == f.text:
                    text = c.text
                d = ds[0]
                sources.append(
                    {
                        "article": c.article,
                        "start": c.start,
                        "end": c.end,
                        "text": c.text,
                        "outlet": c.outlet,
                        "speaker": c.speaker,
                        "date": {"start": d.start, "end": d.end, "text": d.text},
                    }
                )
            entries.append({"date": value, "text": text, "fact": f.id, "sources": sources})
    entries.sort(key=lambda e: (date_sort_key(e["date"]), -len(e["sources"])))
    return entries
