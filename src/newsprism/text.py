"""Text utilities shared by the pipeline: one implementation each."""

from __future__ import annotations

import re

_STEM = re.compile(r"(?<=\w{4})(?:ing|ed|es|s)\b")


def stem_text(text: str) -> str:
    """Lower-cased text with common English suffixes cut from longer words ("strikes" ->
    "strik", "closed" -> "clos"): a light stemmer for overlap measures, not for display."""
    return _STEM.sub("", text.lower())
