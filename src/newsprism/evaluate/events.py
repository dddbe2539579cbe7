"""Scorer for event extraction on PLOVER gold records (``plover_dev.jsonl``).

Each record is one sentence with one gold event: ``event`` (PLOVER type), ``source`` and
``target`` (lists of ``{actorText, code}``). The extractor runs on the sentence and its main
event (:func:`newsprism.nlp.events.primary_events`: the trigger highest in the parse) is
compared with the gold one, coded the way PLOVER codes statements about the future
(:func:`newsprism.nlp.events.plover_view`).

- ``type_accuracy``: predicted PLOVER type == gold type, over all records (no event = wrong);
  ``action_type_accuracy`` compares the uncoded action type instead.
- ``source_match`` / ``target_match``: over records whose gold side names an actor, the share
  where the predicted actor shares a distinctive word with a gold actor text (role words such
  as "government" or "officials" do not count) or carries the gold country code.
- ``source_code_accuracy``: predicted source country == gold code, where gold gives one.
- ``*_check``: the same on the check half of the records (ids whose CRC32 is odd). The rules
  were tuned looking only at the errors of the other half, so the check half is the honest
  estimate.

Mode: PLOVER's ``mode`` field is an event sub-type ("visit", "strike-hun"), not whether the
event is asserted, hypothetical or negated, so mode accuracy cannot be scored on this data;
modes are covered by tests on written sentences (tests/test_events.py).
"""

from __future__ import annotations

import logging
import re
import zlib
from pathlib import Path
from typing import Any

from newsprism.evaluate import EvaluationDataError, read_jsonl
from newsprism.nlp.attributions import extract_attributions
from newsprism.nlp.dates import find_dates
from newsprism.nlp.events import (
    actor_info,
    load_gazetteer,
    load_lexicon,
    plover_view,
    primary_events,
)
from newsprism.nlp.pipeline import parse_many

log = logging.getLogger(__name__)

# role words that do not identify an actor; one string reads best for a word list
_GENERIC = frozenset(
    """the a an of in and or to for on at by with from its their his her s government governments
    official officials president minister prime forces force army troops soldiers military
    police leader leaders rebels rebel group party people authorities members state security
    foreign affairs ministry secretary general spokesman spokesperson chief agency union court
    deputy""".split()  # noqa: SIM905
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z.'-]*", text.lower().replace("'s", "")) if w}


def _distinctive(text: str) -> set[str]:
    return {w.strip(".") for w in _words(text)} - _GENERIC - {""}


def actor_match(pred_text: str | None, pred_code: str | None, gold: list[dict[str, Any]]) -> bool:
    """Does a predicted actor match any gold actor (shared distinctive word or country code)?"""
    if not pred_text and not pred_code:
        return False
    pw = _distinctive(pred_text or "")
    for g in gold:
        gw = _distinctive(str(g.get("actorText") or ""))
        if pw & gw:
            return True
        code = g.get("code")
        if pred_code and code and pred_code == code:
            return True
    return False


def _actors(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and (a.get("actorText") or a.get("code"))]


def is_check_half(record_id: str) -> bool:
    return zlib.crc32(str(record_id).encode("utf-8")) % 2 == 1


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Event-type accuracy and actor match of the main event per PLOVER sentence."""
    from newsprism.nlp.entities import extract_entities  # lazy: nlp.entities loads spacy at import

    records = []
    for rec in read_jsonl(Path(path)):
        if not isinstance(rec.get("text"), str) or not rec.get("event"):
            continue
        records.append(rec)
        if limit and len(records) >= limit:
            break
    if not records:
        raise EvaluationDataError(f"{path}: no PLOVER records (need 'text' and 'event')")
    lex, gaz = load_lexicon(), load_gazetteer()
    tallies: dict[str, dict[str, list[int]]] = {"all": {}, "check": {}}
    for rec, doc in zip(records, parse_many(r["text"] for r in records), strict=True):
        mentions = extract_entities(doc)
        events = primary_events(
            doc,
            mentions,
            find_dates(rec["text"], None),
            extract_attributions(doc, mentions),
            lexicon=lex,
            gazetteer=gaz,
        )
        ev = events[min(events)] if events else None
        typ, src, tgt = plover_view(ev) if ev else (None, None, None)
        gold_src, gold_tgt = _actors(rec.get("source")), _actors(rec.get("target"))
        src_code = ev.source_country if ev and src == ev.source_actor else None
        if ev and src != ev.source_actor:
            src_code = actor_info(src or "", gaz).country
        tgt_code = ev.target_country if ev and tgt == ev.target_actor else None
        row = {
            "type_accuracy": int(typ == rec["event"]),
            "action_type_accuracy": int(ev is not None and ev.type == rec["event"]),
            "event_found": int(ev is not None),
        }
        if gold_src:
            row["source_match"] = int(actor_match(src, src_code, gold_src))
        if gold_tgt:
            row["target_match"] = int(actor_match(tgt, tgt_code, gold_tgt))
        codes = [a.get("code") for a in gold_src if a.get("code")]
        if codes:
            row["source_code_accuracy"] = int(bool(src_code) and src_code in codes)
        log.debug("%s gold=%s pred=%s src=%s tgt=%s", rec.get("id"), rec["event"], typ, src, tgt)
        halves = ("all", "check") if is_check_half(rec.get("id", "")) else ("all",)
        for half in halves:
            for k, v in row.items():
                tallies[half].setdefault(k, []).append(v)
    out: dict[str, float] = {"records": float(len(records))}
    for k, vals in tallies["all"].items():
        out[k] = round(sum(vals) / len(vals), 4)
    for k, vals in tallies["check"].items():
        out[f"{k}_check"] = round(sum(vals) / len(vals), 4)
    out["records_check"] = float(len(tallies["check"].get("type_accuracy", [])))
    return out
