"""Per-outlet recurring boilerplate: lines an outlet repeats verbatim across its articles.

Newsletter pitches, "Follow us on ...", copyright lines, standard disclaimers and the like are
learned from the corpus itself: for each outlet (``Article.source``) a line is boilerplate when it
appears (whitespace-normalized, compared exactly) in at least ``min_share`` of that outlet's
*independent* articles, and at least two of them. Independent means near-duplicates count once:
articles sharing a ``duplicate_of`` group (set by :func:`newsprism.ingest.dedup.link_duplicates`,
which should run first) form one unit, so a real sentence shared by the copies of one wire story
is never taken for boilerplate. Outlets with fewer than ``min_articles`` independent articles are
left alone (too little evidence). Lines of fewer than ``MIN_LINE_CHARS`` characters are never
learned (too generic, e.g. "Advertisement" is the cleaner's business).

Removed lines move from ``Article.text`` to ``Article.removed`` as
``Removed(line_text, "outlet-boilerplate", line_number)`` (1-based line number in the text before
removal); blank lines left over are collapsed. An article is never emptied: when every line of it
is boilerplate it is left as it is.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict

from newsprism.model import Article, Removed

logger = logging.getLogger(__name__)

MIN_LINE_CHARS = 12
REASON = "outlet-boilerplate"


def _key(line: str) -> str:
    return " ".join(line.split())


def learn_boilerplate(
    articles: list[Article], min_articles: int = 5, min_share: float = 0.5
) -> dict[str, set[str]]:
    """Outlet -> set of normalized boilerplate lines (see the module doc)."""
    by_outlet: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for article in articles:
        if not article.source or not article.text:
            continue
        unit = article.duplicate_of or article.id
        lines = by_outlet[article.source][unit]
        for line in article.text.splitlines():
            key = _key(line)
            if len(key) >= MIN_LINE_CHARS:
                lines.add(key)
    learned: dict[str, set[str]] = {}
    for outlet, units in by_outlet.items():
        if len(units) < max(min_articles, 2):
            continue
        counts: Counter[str] = Counter()
        for lines in units.values():
            counts.update(lines)
        needed = max(2, min_share * len(units))
        found = {line for line, n in counts.items() if n >= needed}
        if found:
            learned[outlet] = found
            logger.debug("%s: %d boilerplate lines learned", outlet, len(found))
    return learned


def strip_recurring(articles: list[Article], min_articles: int = 5, min_share: float = 0.5) -> None:
    """Move each outlet's recurring boilerplate lines from ``text`` to ``removed`` (in place)."""
    learned = learn_boilerplate(articles, min_articles, min_share)
    if not learned:
        return
    stripped = 0
    for article in articles:
        lines_set = learned.get(article.source or "")
        if not lines_set:
            continue
        lines = article.text.splitlines()
        keep: list[str] = []
        removed: list[Removed] = []
        for n, line in enumerate(lines, 1):
            if _key(line) in lines_set:
                removed.append(Removed(line.strip(), REASON, n))
            else:
                keep.append(line)
        if not removed or not any(line.strip() for line in keep):
            continue
        article.text = _collapse_blank(keep)
        article.removed.extend(removed)
        stripped += 1
    logger.info("outlet boilerplate removed from %d articles", stripped)


def _collapse_blank(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)
