"""Charts as inline SVG built on the server (no script, no network): a dated timeline, attention
over time per outlet (articles per day, one lane per outlet) and counts per day. Every piece of
text is escaped; colours come from the stylesheet (classes), not from inline styles."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
LANE = 26
LEFT = 150


@dataclass
class Point:
    day: dt.date
    label: str
    href: str | None = None


def first_day(value: str | None) -> dt.date | None:
    """The first day of a TIMEX-style value (``2025-03-10``, ``2025-03``, ``2025``,
    ``2025-W11``, a range ``A/B``), or None."""
    if not value or not isinstance(value, str):
        return None
    value = value.split("/")[0].strip()
    try:
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
            return dt.date.fromisoformat(value[:10])
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return dt.date(int(value[:4]), int(value[5:7]), 1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def _x(day: dt.date, lo: dt.date, hi: dt.date, left: int = LEFT) -> float:
    span = max(1, (hi - lo).days)
    return left + (WIDTH - left - 20) * (day - lo).days / span


def _axis(lo: dt.date, hi: dt.date, y: int, left: int = LEFT) -> list[str]:
    parts = [f'<line class="axis" x1="{left}" y1="{y}" x2="{WIDTH - 20}" y2="{y}"/>']
    for day in (lo, hi) if lo != hi else (lo,):
        anchor = "start" if day == lo else "end"
        parts.append(
            f'<text class="tick" x="{_x(day, lo, hi, left):.1f}" y="{y + 14}" '
            f'text-anchor="{anchor}">{escape(day.isoformat())}</text>'
        )
    return parts


def _svg(height: int, label: str, parts: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(parts)
        + "</svg>"
    )


def timeline_svg(points: list[Point]) -> Markup:
    """Dots on a date axis, each with its text as a tooltip (and a link when given)."""
    points = sorted(points, key=lambda p: p.day)
    if not points:
        return Markup("")
    lo, hi = points[0].day, points[-1].day
    parts = _axis(lo, hi, 50, left=20)
    for n, p in enumerate(points):
        x = _x(p.day, lo, hi, left=20)
        y = 40 - 12 * (n % 3)
        dot = (
            f'<circle class="dot" cx="{x:.1f}" cy="{y}" r="5">'
            f"<title>{escape(p.day.isoformat())}: {escape(p.label)}</title></circle>"
        )
        if p.href:
            dot = f'<a href="{escape(p.href)}">{dot}</a>'
        parts.append(dot)
    return _svg(70, "timeline", parts)


def lanes_svg(lanes: dict[str, dict[dt.date, int]], label: str) -> Markup:
    """One lane per name, a bar per day scaled to the largest count."""
    days = [d for counts in lanes.values() for d in counts]
    if not days:
        return Markup("")
    lo, hi = min(days), max(days)
    top = max(c for counts in lanes.values() for c in counts.values()) or 1
    height = LANE * len(lanes) + 30
    parts: list[str] = []
    for row, (name, counts) in enumerate(lanes.items()):
        y = row * LANE + 4
        parts.append(
            f'<text class="lane" x="{LEFT - 8}" y="{y + LANE / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(name[:24])}</text>'
        )
        for day, count in sorted(counts.items()):
            h = max(2.0, (LANE - 6) * count / top)
            x = _x(day, lo, hi)
            parts.append(
                f'<rect class="bar" x="{x - 3:.1f}" y="{y + LANE - 4 - h:.1f}" width="6" '
                f'height="{h:.1f}"><title>{escape(name)} {escape(day.isoformat())}: '
                f"{count}</title></rect>"
            )
    parts += _axis(lo, hi, LANE * len(lanes) + 6)
    return _svg(height, label, parts)
