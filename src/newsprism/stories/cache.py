"""Reuse of unchanged stories between runs over a growing archive.

Comparing a story's outlets (embedding its sentences, aligning claims) is the costly part of
``analyze``. A story whose inputs have not changed since the last run gives the same result, so
the stored one is reused. The key of a story hashes everything its comparison and brief are
built from: each member article (text and metadata), each member's enrichment (the digest of
its stored record, and the canonical names its entities got across the archive), the brief
settings and the claims' encoder with how its graph was made
(:func:`newsprism.nlp.embed.vectors_id`), and the source
code of :mod:`newsprism.stories`, :mod:`newsprism.model`, :mod:`newsprism.codec` and
:mod:`newsprism.record` and the same-fact judge's weights (an upgrade never reuses a story
built by older code, an older judge or another calibration of the int8 encoder). A
reused story is held as its stored text (:class:`~newsprism.model.StoredStory`); its entity
list and attribution list are rebuilt (cheap): an entity's canonical name is chosen over the
whole archive and may have changed (its spellings are those of the story's own articles).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.fingerprint import source_digest
from newsprism.model import Article, Enriched, Story

if TYPE_CHECKING:
    from newsprism.store.base import StoryOutline


@dataclass
class StoryCache:
    """Stories of the previous run by content key, as the store keeps them (their record's
    JSON text, with its timeline and storyline picked out), and the stories built or reused
    in this run by key (saved for the next run).

    Each stored story comes with the digest of the fields of its record that are rebuilt on
    every run and may change while its key stays, as the run that stored it noted it for that
    very text (None where the text is not the one noted, or the store noted none), and the
    hash of its text. ``kept`` holds, for each story held as its text (reused, or compared in
    this run) by its id, that text, that digest and that hash (None: not known yet): while
    those fields are unchanged, the text is still the story's record and is written again
    without encoding the story (digest None: its rebuilt fields are written into it).
    ``noted`` holds, for each story's record as this run stores it, the hash of its text and
    the digest of those fields (saved for the next run)."""

    stored: dict[str, tuple[StoryOutline, str | None, str]] = field(default_factory=dict)
    built: dict[str, Story] = field(default_factory=dict)
    reused: int = 0
    kept: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    noted: dict[str, tuple[str, str]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the source of the story-building modules, the data model, the record that
    the store keeps of a story (:mod:`newsprism.record`) and the same-fact judge's shipped
    weights: retrained weights never reuse a story judged with the older ones. (A new
    calibration of the int8 encoder changes its :func:`~newsprism.nlp.embed.vectors_id`,
    which the key holds.)"""
    here = Path(__file__).resolve().parent
    root = here.parent
    return source_digest(
        [
            *sorted(here.glob("*.py")),
            root / "model.py",
            root / "codec.py",
            root / "record.py",
            root / "data" / "same_fact_judge.json",
        ]
    )


def story_key(
    members: list[Article], enriched: dict[str, Enriched], settings: dict[str, Any]
) -> str:
    """Content key of a story: equal keys give equal comparisons and briefs. (The entity list
    shown with a story, canonical names and the spellings of the story's own articles, is
    cheap and rebuilt on every run, so it is not part of the key.)"""
    h = hashlib.sha256()
    h.update(code_fingerprint().encode())
    h.update(json.dumps(settings, sort_keys=True).encode())
    for a in members:
        meta = a.to_dict()
        meta.pop("path", None)  # where the file lies does not change the story
        h.update(json.dumps(meta, sort_keys=True, default=str).encode())
        e = enriched.get(a.id)
        if e is None:
            h.update(b"-")
            continue
        # the stored record (by its digest: never encoded again), and what a run changes in
        # it: the canonical names of its entities, from the whole archive. (Speakers follow
        # from those names; dates re-resolved against an inferred publication date follow from
        # the text and that date, which is in ``meta``.)
        h.update(e.record_digest().encode())
        h.update(json.dumps([m.canonical for m in e.entities]).encode())
    return h.hexdigest()
