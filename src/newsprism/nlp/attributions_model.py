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
DRAFT_MODEL_FILE = "attribution_drafts.json"
_REL_PRONOUNS = frozenset({"who", "that", "which", "whom"})
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


def draft_features(
    tok: Token, subj: Token, ctype: str, cue_p: float, content_chars: int, quoted: bool
) -> list[str]:
    """Features of a candidate attribution headed by verb ``tok`` for the draft filter: the
    verb's cue features, how the content was found (``ctype``: ccomp, xcomp, dobj, prep=...,
    quote...), what the source looks like, the cue model's probability."""
    lemma = tok.lemma_.lower()
    spos = subj.lower_ if subj.pos_ == "PRON" else subj.pos_
    feats = [f"d:{f}" for f in cue_features(tok)]
    feats += [
        f"ctype={ctype}",
        f"lemma+ctype={lemma}+{ctype}",
        f"dep+ctype={tok.dep_}+{ctype}",
        f"cp={min(9, int(cue_p * 10))}",
        f"s.pos={spos}",
        f"s.ent={subj.ent_type_ or '-'}",
        f"s.dep={subj.dep_}",
        f"s.direct={subj.head.i == tok.i}",
        f"s.tag={subj.tag_}",
        f"ctype+s.pos={ctype}+{spos}",
        f"lemma+s.pos={lemma}+{spos}",
        f"clen={min(8, content_chars.bit_length() // 2)}",
        f"quoted={quoted}",
        f"ctype+quoted={ctype}+{quoted}",
    ]
    if subj.pos_ == "NOUN":
        feats.append(f"s.lemma={subj.lemma_.lower()}")
    for c in tok.children:
        if c.dep_ in ("dobj", "attr", "acomp"):
            feats.append(f"obj={c.dep_}={c.lemma_.lower()}")
            feats.append(f"lemma+obj={lemma}+{c.lemma_.lower()}")
    if subj.lower_ in _REL_PRONOUNS:
        feats.append("s.relative")
    if subj.head.dep_ == "agent":
        feats.append("s.agent")
    return feats


def _load(name: str) -> dict[str, Any] | None:
    try:
        raw = (Path(__file__).resolve().parent.parent / "data" / name).read_text(encoding="utf-8")
        model = json.loads(raw)
        model["weights"] = {k: float(v) for k, v in model["weights"].items()}
        model["bias"] = float(model.get("bias", 0.0))
        model["threshold"] = float(model.get("threshold", 0.5))
        return model
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("attribution model %s not available; using rules only", name)
        return None


@lru_cache(maxsize=1)
def load_cue_model() -> dict[str, Any] | None:
    """The shipped cue weights (None when the file is missing or unreadable)."""
    return _load(MODEL_FILE)


@lru_cache(maxsize=1)
def load_draft_model() -> dict[str, Any] | None:
    """The shipped draft-filter weights (None when missing: every rule draft is kept)."""
    return _load(DRAFT_MODEL_FILE)


def probability(feats: list[str], model: dict[str, Any]) -> float:
    """Logistic probability of a feature list under ``model`` (``bias`` + ``weights``)."""
    w = model["weights"]
    z = model["bias"] + sum(w.get(f, 0.0) for f in feats)
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def cue_probability(tok: Token, model: dict[str, Any]) -> float:
    """P(the verb is an attribution cue) under the logistic model."""
    return probability(cue_features(tok), model)
