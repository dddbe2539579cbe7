"""Quotation spans in raw text: straight, curly, low-9 and guillemet marks, tolerant of errors.

A quote span covers the marks themselves (``“Yes,”`` is one span of six characters). Quotes that
run over several paragraphs without a closing mark (the newspaper convention of reopening each
paragraph) are cut at the paragraph end; a mark that is never closed is cut at the paragraph end
too. Nothing here raises: odd input gives fewer or shorter spans.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# opening mark -> closing marks that may end it
_PAIRS: dict[str, str] = {
    "“": '”“"',  # English curly; “ also closes for the German „...“ style; " mixed marks
    "„": "“”",
    "«": "»",
    "»": "«",  # Danish/Swedish style »...«
    "‹": "›",
    "‘": "’",
    "‚": "‘’",
    "''": "''",
    '"': '"”',  # mixed marks: "...”
}
_DOUBLE_OPEN = "“„«"
_LETTER_AFTER_APOSTROPHE = set("stdlmrvSTDLMRV")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted stretch ``text[start:end]`` including its marks; ``closed`` when a closing mark was found."""

    start: int
    end: int
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - (1 if self.closed else 0)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def find_quotes(text: str) -> list[Quote]:
    """Non-overlapping quote spans of ``text`` in order (outermost quotes only)."""
    quotes: list[Quote] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        opener = None
        if text.startswith("''", i) and (i == 0 or not _is_word(text[i - 1])):
            opener = "''"
        elif (
            ch in _DOUBLE_OPEN
            or ch == '"'
            or (
                ch == "»"
                and i + 1 < n
                and _is_word(text[i + 1])
                and (i == 0 or text[i - 1].isspace())
            )
            or (
                ch in "‘‚‹"
                and (i == 0 or not _is_word(text[i - 1]))
                and i + 1 < n
                and not text[i + 1].isspace()
            )
        ):
            opener = ch
        if opener is None:
            i += 1
            continue
        end, closed = _find_close(text, i, opener)
        if end > i + len(opener):
            quotes.append(Quote(i, end, closed))
        i = max(end, i + 1)
    return quotes


def _find_close(text: str, start: int, opener: str) -> tuple[int, bool]:
    """End offset (exclusive) of the quote opened at ``start`` and whether it was closed."""
    closers = _PAIRS[opener]
    n = len(text)
    j = start + len(opener)
    single = opener in "‘‚‹"
    while j < n:
        ch = text[j]
        if ch == "\n":
            # paragraph end: the quote stops here (reopened or not)
            return _rstrip(text, start, j), False
        if opener == "''":
            if text.startswith("''", j):
                return j + 2, True
        elif ch in closers and j > start + 1:
            if single and ch == "’" and j + 1 < n and _is_word(text[j + 1]):
                # apostrophe inside a word (don’t, Russia’s)
                j += 1
                continue
            if ch == '"' and opener != '"' and _nested_straight(text, j):
                j += 1  # a straight mark inside a curly quotation closes it only at a word end
                continue  # and when no curly closing mark follows in the paragraph
            if opener == '"' and j + 1 < n and _is_word(text[j + 1]) and not text[j - 1].isspace():
                # "foo"bar: treat as a close anyway (unbalanced text)
                return j + 1, True
            return j + 1, True
        j += 1
    return _rstrip(text, start, n), False


_REPORTING = (
    r"(?:said|says|say|wrote|writes|added|adds|told|tells|asked|asks|explained|continued|"
    r"recalled|noted|argued|insisted|tweeted|posted|replied|responded|declared|warned)\b"
)
# '“...," said Jane Roe' / '“...," Roe said' / '“...," she added': a straight mark after closing
# punctuation and before a reporting verb ends the quotation even when a curly mark follows
_CLOSES_BEFORE_CUE = re.compile(
    rf"[ \t]+(?:{_REPORTING}|(?:(?:[A-Z][\w.'’-]*|he|she|they|we|I|it)[ \t]+){{1,5}}{_REPORTING})"
)


def _nested_straight(text: str, j: int) -> bool:
    """Is the straight mark at ``j`` inside a curly quotation part of a nested quote?"""
    if text[j - 1].isspace() or (j + 1 < len(text) and _is_word(text[j + 1])):
        return True
    if _CLOSES_BEFORE_CUE.match(text, j + 1):
        return False
    para_end = text.find("\n", j)
    para_end = len(text) if para_end < 0 else para_end
    close = text.find("”", j, para_end)
    reopen = text.find("“", j, para_end)
    return close >= 0 and (reopen < 0 or close < reopen)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


class QuoteIndex:
    """Fast lookup of the quote spans that contain or overlap a character range."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self._starts = [q.start for q in quotes]
        self._ends = [q.end for q in quotes]  # sorted too: the spans never overlap

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """Quotes that share at least one character with ``[start, end)``."""
        if end <= start:
            return []
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        return self.quotes[lo:hi]

    def containing(self, pos: int) -> Quote | None:
        k = bisect.bisect_right(self._starts, pos) - 1
        if k >= 0 and self.quotes[k].start <= pos < self.quotes[k].end:
            return self.quotes[k]
        return None
