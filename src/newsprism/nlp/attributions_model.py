"""A small learned cue detector: is this verb the cue of an attribution?

Logistic regression over dependency-parse features of a verb (its lemma, relation, the
relations of its children, the kind of its subject). It widens the hand-written reporting-verb
lexicon to the long tail of attribution cues in news ("backed", "attacked", "voted against",
"is defending"). Weights live in ``newsprism/data/attribution_cues.json`` (plain JSON, pruned);
``scripts/train_attributions.py`` retrains them from PolNeAR's training split.
"""

from __future__ import annotations

import json
import logging
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsprism.nlp.attributions_lexicon import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Token

log = logging.getLogger(__name__)

MODEL_FILE = "attribution_cues.json"
_COMPLEMENTS = (
    "ccomp",
    "xcomp",
    "dobj",
    "prep",
    "dative",
    "advcl",
    "acomp",
    "attr",
    "prt",
    "agent",
)


def cue_features(tok: Token) -> list[str]:
    """Sparse binary features of a verb token for the cue classifier."""
    lemma = tok.lemma_.lower()
    feats = [f"lemma={lemma}", f"dep={tok.dep_}", f"tag={tok.tag_}", f"hdep={tok.head.dep_}"]
    if lemma in SPEECH_VERBS:
        feats.append("lexicon")
    subj = "none"
    comps: list[str] = []
    for c in tok.children:
        d = c.dep_
        if d in ("nsubj", "nsubjpass"):
            subj = c.pos_
            feats.append(f"subj={c.pos_}")
            if c.ent_type_:
                feats.append(f"subjent={c.ent_type_}")
            feats.append(f"subjdep={d}")
        elif d in _COMPLEMENTS:
            comps.append(d)
            feats.append(f"child={d}")
            if d == "prep":
                feats.append(f"prep={c.lower_}")
                feats.append(f"lemma+prep={lemma}+{c.lower_}")
        elif d in ("aux", "neg", "auxpass"):
            feats.append(f"{d}={c.lower_}")
    for d in comps[:2]:
        feats.append(f"lemma+{d}={lemma}")
    feats.append(f"lemma+subj={lemma}+{subj}")
    return feats


@lru_cache(maxsize=1)
def load_cue_model() -> dict[str, Any] | None:
    """The shipped weights (None when the file is missing or unreadable)."""
    try:
        raw = (Path(__file__).resolve().parent.parent / "data" / MODEL_FILE).read_text(
            encoding="utf-8"
        )
        model = json.loads(raw)
        model["weights"] = {k: float(v) for k, v in model["weights"].items()}
        return model
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("attribution cue model %s not available; using rules only", MODEL_FILE)
        return None


def cue_probability(tok: Token, model: dict[str, Any]) -> float:
    """P(the verb is an attribution cue) under the logistic model."""
    w = model["weights"]
    z = float(model.get("bias", 0.0)) + sum(w.get(f, 0.0) for f in cue_features(tok))
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))
