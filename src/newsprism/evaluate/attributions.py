"""Scorer for attribution extraction on PolNeAR-style JSON Lines (``polnear_dev.jsonl``).

Predicted attributions are matched to gold ones one-to-one, greedily by the number of content
characters they share. For each role (content, source, cue) precision and recall are counted
over non-space characters: the characters of a prediction's role that fall in its matched gold
attribution's role, over all predicted (precision) or all gold (recall) characters of that role,
so unmatched predictions cost precision and unmatched gold costs recall. Exact-match F1 counts
matched pairs whose role spans are identical (ignoring surrounding spaces and punctuation).

Speaker resolution: PolNeAR's ``speaker`` field repeats the source text, so for a bare pronoun
source ("he", "she") it holds no antecedent. Where the gold speaker is a resolved name it is
used; otherwise the reference is *silver*: the nearest preceding gold attribution in the same
article whose source is a name (a capitalised word, not a pronoun). ``pronoun_speaker_accuracy``
is measured over gold he/she attributions that a prediction matched with a source.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from newsprism.evaluate import read_jsonl
from newsprism.model import Attribution
from newsprism.nlp.attributions import extract_attributions
from newsprism.nlp.pipeline import parse_many

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

ROLES = ("content", "source", "cue")
_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "him",
        "her",
        "his",
        "hers",
        "they",
        "them",
        "their",
        "it",
        "its",
        "who",
        "which",
        "that",
        "i",
        "we",
        "you",
        "me",
        "us",
    ]
)
_PERSONAL = frozenset({"he", "she", "him", "her"})
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
        "another",
        "some",
        "many",
        "few",
        "one",
        "two",
        "several",
    ]
)
_EDGE = " \t\r\n.,;:\"'“”‘’«»„"
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "the", "a", "an", "president", "sen", "gov", "rep"})


def _chars(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for a, b in spans:
        out.update(i for i in range(max(0, a), min(len(text), b)) if not text[i].isspace())
    return out


def _norm_spans(text: str, spans: Iterable[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    out = set()
    for a, b in spans:
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and text[b - 1] in _EDGE:
            b -= 1
        if b > a:
            out.add((a, b))
    return frozenset(out)


def _gold_roles(q: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    cues = q.get("cue_spans") or ([q["cue"]] if q.get("cue") else [])
    return {
        "content": [(s["start"], s["end"]) for s in q.get("contents") or []],
        "source": [(s["start"], s["end"]) for s in q.get("sources") or []],
        "cue": [(s["start"], s["end"]) for s in cues],
    }


def _pred_roles(a: Attribution) -> dict[str, list[tuple[int, int]]]:
    return {
        "content": [(c.start, c.end) for c in a.content],
        "source": [(a.source.start, a.source.end)] if a.source else [],
        "cue": [(a.cue.start, a.cue.end)] if a.cue else [],
    }


def match(
    text: str,
    gold: list[dict[str, list[tuple[int, int]]]],
    pred: list[dict[str, list[tuple[int, int]]]],
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, greedy by shared content characters."""
    gsets = [_chars(text, g["content"]) for g in gold]
    psets = [_chars(text, p["content"]) for p in pred]
    pairs = []
    for gi, gs in enumerate(gsets):
        for pi, ps in enumerate(psets):
            ov = len(gs & ps)
            if ov:
                pairs.append((ov, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def _surname(name: str) -> str:
    toks = [t for t in re.findall(r"[\w'-]+", name.lower()) if t not in _TITLES]
    return toks[-1] if toks else ""


def speaker_match(pred: str | None, gold: str | None) -> bool:
    """Same speaker: one contains the other's surname, or the names are close (fuzzy)."""
    if not pred or not gold:
        return False
    p, g = pred.lower().strip(), gold.lower().strip()
    ps, gs = _surname(p), _surname(g)
    if (gs and re.search(rf"\b{re.escape(gs)}\b", p)) or (
        ps and re.search(rf"\b{re.escape(ps)}\b", g)
    ):
        return True
    return fuzz.ratio(p, g) >= 85


def _silver_speaker(text: str, quotes: list[dict[str, Any]], idx: int) -> str | None:
    """The gold speaker of a pronoun source, else the nearest earlier named gold source."""
    q = quotes[idx]
    src = q["sources"][0]["text"].strip()
    if q.get("speaker") and q["speaker"].strip().lower() != src.lower():
        return q["speaker"]
    pos = q["sources"][0]["start"]
    best, best_pos = None, -1
    for other in quotes:
        if not other.get("sources"):
            continue
        s = other["sources"][0]
        if s["start"] >= pos or s["start"] <= best_pos:
            continue
        words = s["text"].split()
        if not words or s["text"].strip().lower() in _PRONOUNS:
            continue
        if words[0].lower() in _NOT_NAMES or not words[0][:1].isupper():
            continue  # a description ("The nominee", "Another critic"), not a name
        if any(w[:1].isupper() and w.lower() not in _TITLES for w in words):
            best, best_pos = s["text"], s["start"]
    return best


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Character-overlap P/R/F1 per role, exact-match F1 per role, pronoun speaker accuracy."""
    records = []
    for n, rec in enumerate(read_jsonl(Path(path))):
        if limit is not None and n >= limit:
            break
        records.append(rec)
    docs = parse_many((r["text"] for r in records), batch_size=8)
    return score_docs(records, docs, extract_attributions)


def score_docs(
    records: list[dict[str, Any]],
    docs: Iterable[Doc],
    extract: Callable[[Doc], list[Attribution]],
) -> dict[str, float]:
    """The metrics of :func:`score` over already parsed ``docs`` (one per record, in order)
    with the extractor ``extract`` (used by the training script to score held-out articles)."""
    inter = dict.fromkeys(ROLES, 0)
    n_pred = dict.fromkeys(ROLES, 0)
    n_gold = dict.fromkeys(ROLES, 0)
    ex_hit = dict.fromkeys(ROLES, 0)
    ex_pred = dict.fromkeys(ROLES, 0)
    ex_gold = dict.fromkeys(ROLES, 0)
    pron_total = pron_right = pron_gold = 0
    n_matched = n_gold_att = n_pred_att = 0
    for rec, doc in zip(records, docs, strict=True):
        text = rec["text"]
        quotes = rec.get("quotes") or []
        preds = extract(doc)
        gold = [_gold_roles(q) for q in quotes]
        pred = [_pred_roles(a) for a in preds]
        pairs = match(text, gold, pred)
        n_matched += len(pairs)
        n_gold_att += len(gold)
        n_pred_att += len(pred)
        g_of_p = {pi: gi for gi, pi in pairs}
        for role in ROLES:
            gchars = [_chars(text, g[role]) for g in gold]
            pchars = [_chars(text, p[role]) for p in pred]
            n_gold[role] += sum(len(c) for c in gchars)
            n_pred[role] += sum(len(c) for c in pchars)
            ex_gold[role] += sum(1 for g in gold if _norm_spans(text, g[role]))
            ex_pred[role] += sum(1 for p in pred if _norm_spans(text, p[role]))
            for pi, gi in g_of_p.items():
                inter[role] += len(pchars[pi] & gchars[gi])
                gn = _norm_spans(text, gold[gi][role])
                if gn and gn == _norm_spans(text, pred[pi][role]):
                    ex_hit[role] += 1
        for gi, q in enumerate(quotes):
            srcs = q.get("sources") or []
            if len(srcs) != 1 or srcs[0]["text"].strip().lower() not in _PERSONAL:
                continue
            pron_gold += 1
            found = next((p for p, g in g_of_p.items() if g == gi), None)
            if found is None or preds[found].source is None:
                continue
            pi = found
            ref = _silver_speaker(text, quotes, gi)
            if ref is None:
                continue
            pron_total += 1
            pron_right += speaker_match(preds[pi].speaker, ref)
    out: dict[str, float] = {}
    for role in ROLES:
        p = inter[role] / n_pred[role] if n_pred[role] else 0.0
        r = inter[role] / n_gold[role] if n_gold[role] else 0.0
        out[f"{role}_precision"] = round(p, 4)
        out[f"{role}_recall"] = round(r, 4)
        out[f"{role}_f1"] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
        ep = ex_hit[role] / ex_pred[role] if ex_pred[role] else 0.0
        er = ex_hit[role] / ex_gold[role] if ex_gold[role] else 0.0
        out[f"{role}_exact_f1"] = round(2 * ep * er / (ep + er) if ep + er else 0.0, 4)
    out["pronoun_speaker_accuracy"] = round(pron_right / pron_total, 4) if pron_total else 0.0
    out["pronoun_sources_scored"] = float(pron_total)
    out["pronoun_sources_gold"] = float(pron_gold)
    out["attribution_recall"] = round(n_matched / n_gold_att, 4) if n_gold_att else 0.0
    out["attribution_precision"] = round(n_matched / n_pred_att, 4) if n_pred_att else 0.0
    out["documents"] = float(len(records))
    log.info("attributions: %s", out)
    return out
