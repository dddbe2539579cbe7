"""Rule-based sentence splitting: the one splitter for text without parser sentences.

spaCy's sentences (:mod:`newsprism.nlp.pipeline`, stored on ``Enriched.sentences``) are the
parser's; where they are missing (no model, a re-split) and for the summarizer, which splits
raw article text itself, :func:`sentence_spans` gives spans by rule and :func:`split_sentences`
the same spans as :class:`~newsprism.model.Sentence` objects.
"""

from __future__ import annotations

import re

from newsprism.model import Sentence

__all__ = ["sentence_spans", "split_sentences"]

_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "cpl",
        "pvt",
        "rev",
        "fr",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "st",
        "mt",
        "ft",
        "jr",
        "sr",
        "no",
        "nos",
        "vs",
        "v",
        "cf",
        "al",
        "approx",
        "dept",
        "est",
        "fig",
        "vol",
        "op",
    ]
)
_MONTHS = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_SOFT = frozenset(["inc", "corp", "co", "ltd", "llc", "plc", "bros", "etc", "ave", "blvd", "rd"])
_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "as",
        "if",
        "so",
        "yet",
        "meanwhile",
        "however",
        "officials",
        "police",
    ]
)
_BULLETS = "•*"
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_WORD = re.compile(r"\S+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, stripped of surrounding white space and of
    leading bullet marks (``•``, ``*``).

    A blank line always ends a sentence; a single line break does too, unless the line has
    no end punctuation and the next one starts in lower case (hard-wrapped text). End
    punctuation (``.``, ``!``, ``?``, ``…``, with closing quotes or brackets) ends a sentence
    when the next word does not start in lower case, except after a title (``Mr.``, ``Gen.``),
    a month (``Jan.``), an initial (``John F. Kennedy``), and after ``Inc.``/``U.S.`` unless
    a usual sentence opener (``The``, ``He``...) follows.
    """
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        pos = b_start
        for m in _END.finditer(text, b_start, b_end):
            if _is_boundary(text, m.start(), m.end(), b_end):
                _add(text, pos, m.end(), spans)
                pos = m.end()
        _add(text, pos, b_end, spans)
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Line-delimited blocks, joining a line break inside a hard-wrapped sentence."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"\n", text):
        before = text[start : m.start()].rstrip()
        after = text[m.end() : m.end() + 40].lstrip(" \t")
        joined = (
            before
            and after
            and not after.startswith("\n")
            and before[-1] not in ".!?…:;\"'”’»)]"
            and after[0].islower()
        )
        if not joined:
            blocks.append((start, m.start()))
            start = m.end()
    blocks.append((start, len(text)))
    return blocks


def _is_boundary(text: str, p_start: int, p_end: int, limit: int) -> bool:
    """Whether end punctuation at ``text[p_start:p_end]`` ends a sentence."""
    nxt = _WORD.search(text, p_end, limit)
    if nxt is None:
        return True
    following = nxt.group().lstrip("\"'“‘«([")
    if not following:
        return True
    first = following[0]
    if text[p_start] != ".":
        return not first.islower()
    if first.islower():
        return False
    w = text.rfind(" ", 0, p_start) + 1
    token = text[w:p_start].lstrip("\"'“‘«([").lower()
    if token in _TITLES or token in _MONTHS:
        return False
    if len(token) == 1 and token.isalpha():  # an initial: "John F. Kennedy"
        return False
    if token in _SOFT or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # "Inc.", "U.S."
        return following.lower().strip(",;:") in _STARTERS
    return True


def _add(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and (text[start].isspace() or text[start] in _BULLETS):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def split_sentences(text: str) -> list[Sentence]:
    """:func:`sentence_spans` as :class:`~newsprism.model.Sentence` objects (offsets into ``text``)."""
    return [Sentence(start, end, text[start:end]) for start, end in sentence_spans(text)]
