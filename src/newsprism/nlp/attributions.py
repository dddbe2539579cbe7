"""Who said what: attributions (source, cue, content) with resolved speakers.

Rules over the spaCy dependency parse, plus quotation marks found in the raw text:

* a reporting verb (``said``, ``told``, ``warned``, ``called for``...) with a subject gives the
  source; its clausal complement (or object / infinitive / prepositional object for some verbs)
  gives the content; ``"...," X said`` and ``X said: "..."`` are the same rule, the quote being
  the complement;
* ``according to X`` gives source X and the rest of its clause as content; when it modifies a
  reporting verb (``Ushakov said, according to AFP``) it also becomes that attribution's ``via``;
* a content that touches a quotation grows to cover the whole quotation (several sentences, any
  marks); later quotations of the same paragraph that nobody else claims are added to it
  (``"...," she said. "..."``);
* speakers are resolved by :mod:`newsprism.nlp.attributions_speaker`.

Spans always index ``doc.text``; nothing raises on odd input.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from newsprism.model import Attribution, AttributionKind, EntityMention, Span
from newsprism.nlp.attributions_lexicon import (
    ADDRESSEE_VERBS,
    AS_CLAUSE_VERBS,
    INVERSION_VERBS,
    NEEDS_CLAUSE,
    OBJECT_PREPS,
    PREP_CONTENT,
    REFLEXIVES,
    SPEECH_VERBS,
)
from newsprism.nlp.attributions_model import (
    cue_probability,
    draft_features,
    load_cue_model,
    load_draft_model,
    probability,
)
from newsprism.nlp.attributions_quotes import Quote, QuoteIndex, find_quotes
from newsprism.nlp.attributions_speaker import resolve_speakers
from newsprism.nlp.clauses import as_marked, misread_subject
from newsprism.nlp.dates_calendar import WEEKDAYS
from newsprism.text import dateline_end

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

_TRIM = " \t\r\n,;:—–-"
_MIN_QUOTE_WORDS = 4
_OPENERS = "\"“„«»‘'"
_CLOSERS = "\"”“»«’'"
_NAME_PARTICLES = frozenset(
    {"de", "van", "von", "da", "del", "la", "al", "bin", "of", "the", "and"}
)
_PRONOUN_CONTENT = frozenset({"it", "this", "that", "them", "him", "her", "these", "those", "so"})
_CUE_GAP = 12  # characters between two verbs of one cue ("began by saying")
_SENTENCE_START = ".!?:;\"”“»«'’"  # shorter quotations are scare quotes / titles, not speech
#: characters of content one attribution may hold (PolNeAR's longest is under 1,000); beyond it
#: the content is cut at a word boundary and the cut counted in ``doc.user_data[CONTENT_CUTS_KEY]``
MAX_CONTENT_CHARS = 2000
CONTENT_CUTS_KEY = "newsprism_content_cuts"


class Sents:
    """Sentence bounds by token index (``Token.sent`` rescans the doc on every call)."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.text = text  # Doc.text re-joins all tokens on every access
        self.bounds = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
        self._starts = [b[0] for b in self.bounds]

    def of(self, i: int) -> tuple[int, int, int, int]:
        """(first token, end token, start char, end char) of the sentence holding token ``i``."""
        k = bisect.bisect_right(self._starts, i) - 1
        return self.bounds[max(0, k)]


@dataclass(slots=True)
class Draft:
    """An attribution under construction (character ranges, not yet :class:`Span`)."""

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: list[tuple[int, int]]
    subject: Token | None = None  # head token of the source
    verb: Token | None = None  # the cue's head token
    via: str | None = None
    according: bool = False
    speaker: str | None = None
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def anchor(self) -> int:
        """Document position used to order attributions (the cue, else the content)."""
        if self.cue:
            return self.cue[0]
        return self.content[0][0] if self.content else 0


def extract_attributions(
    doc: Doc, entities: list[EntityMention] | None = None
) -> list[Attribution]:
    """Attributions of a parsed article: who (source, speaker) said what (content) how (cue).

    ``entities`` (optional) are the article's entity mentions with in-article full names and
    roles; without them spaCy's ``doc.ents`` are used to resolve speakers.
    """
    try:
        return _extract(doc, entities)
    except Exception:  # pragma: no cover - defensive: extraction must never break the pipeline
        log.warning("attribution extraction failed; returning none", exc_info=True)
        return []


def _extract(doc: Doc, entities: list[EntityMention] | None) -> list[Attribution]:
    text = doc.text
    if not text.strip() or len(doc) == 0:
        return []
    quotes = [q for q in find_quotes(text) if _n_words(text, q.start, q.end) >= 1]
    qidx = QuoteIndex(quotes)
    sents = Sents(doc, text)
    dmodel = load_draft_model()
    drafts = []
    for d in _rule_drafts(doc, qidx, sents, dmodel):
        feats = d.notes.get("feats")
        keep = (
            dmodel is None
            or not isinstance(feats, list)
            or probability(feats, dmodel) >= dmodel["threshold"]
        )
        if keep:  # the draft filter drops what PolNeAR would not annotate as an attribution
            drafts.append(d)
    drafts.extend(_labelled(doc, text, drafts))
    drafts = _link_via(text, drafts)
    drafts = [_finish(text, d, qidx) for d in drafts]
    drafts = [d for d in drafts if d.content and not _lets(text, d) and not _hypothetical(d)]
    drafts = _dedupe(drafts)
    _attach_orphan_quotes(text, drafts, quotes)
    drafts.sort(key=lambda d: d.anchor)
    resolve_speakers(doc, text, drafts, entities)
    cuts = sum(_cap_content(text, d, MAX_CONTENT_CHARS) for d in drafts)
    if cuts:
        doc.user_data[CONTENT_CUTS_KEY] = cuts
    return [_to_attribution(text, d, qidx) for d in drafts]


def _hypothetical(d: Draft) -> bool:
    """A verb of saying in a condition ("if the minister decides that ...", "unless he says
    so") reports nothing anybody said."""
    verb = d.verb
    return verb is not None and any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children
    )


def _lets(text: str, d: Draft) -> bool:
    """ "Let's say you think ...": the writer's suggestion, not anyone's statement (the "'s"
    had been the speaker)."""
    if d.source is None:
        return False
    a, b = d.source
    source = text[a:b].strip().replace("’", "'").lower()
    return source in ("'s", "s", "us") and text[max(0, a - 4) : a].lower().endswith("let")


def _cap_content(text: str, d: Draft, limit: int) -> bool:
    """Cut ``d``'s content to at most ``limit`` characters (at a space when one is near the
    end); whether it was cut. Bounds the output whatever the input (one huge "sentence")."""
    if sum(b - a for a, b in d.content) <= limit:
        return False
    kept: list[tuple[int, int]] = []
    room = limit
    for a, b in d.content:
        if room <= 0:
            break
        if b - a > room:
            end = a + room
            space = text.rfind(" ", a + room // 2, end)
            b = space if space > a else end
        kept.append((a, b))
        room -= b - a
    d.content = kept
    return True


# --------------------------------------------------------------------------- rules


def _rule_drafts(
    doc: Doc, qidx: QuoteIndex, sents: Sents, dmodel: dict[str, Any] | None
) -> list[Draft]:
    """Candidate attributions from reporting verbs, learned cue verbs and "according to".

    With a draft model, verb drafts carry their filter features in ``notes["feats"]`` and
    learned cue verbs down to the model's ``candidate_threshold`` are tried."""
    model = load_cue_model()
    if model is not None and dmodel is not None:
        cand_thr = float(dmodel.get("candidate_threshold", model["threshold"]))
    else:
        cand_thr = model["threshold"] if model is not None else 1.0
    drafts: list[Draft] = []
    lexical, verbs = _candidates(doc)
    for i in sorted(set(lexical) | set(verbs)):
        tok = doc[i]
        if not any(ch.isalpha() for ch in tok.text):
            continue  # a dash the tagger read as a verb ("Crutcher, 40 ― a father ...") says nothing
        d = None
        p = 0.0
        if tok.lower_ == "according":
            if i + 1 < len(doc) and doc[i + 1].lower_ == "to":
                d = _according(doc, tok, sents)
            if d is not None:
                drafts.append(d)
            continue
        if tok.pos_ == "ADJ":
            # "was adamant that ...", "are skeptical of ...": the adjective is the cue
            if model is not None and dmodel is not None and _stance_adjective(tok):
                d = _adjective(doc, tok, qidx, sents)
                if d is not None and d.subject is not None:
                    _set_features(d, tok, "adj:", cue_probability(tok, model), qidx)
                    drafts.append(d)
            continue
        if tok.dep_ == "advcl" and tok.lemma_.lower() in AS_CLAUSE_VERBS:
            d = _as_clause(doc, tok, qidx, sents)
            if d is not None:
                drafts.append(d)
                continue
        lexicon = tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_VERBS
        if model is not None and tok.pos_ == "VERB":
            p = cue_probability(tok, model)
        if lexicon:
            d = _verb(doc, tok, qidx, sents)
        if d is None and model is not None and tok.pos_ == "VERB" and p >= cand_thr:
            d = _verb(doc, tok, qidx, sents, learned=True)
        if d is None:
            continue
        if (
            dmodel is not None
            and d.subject is not None
            and d.notes.get("ctype") != "passive-previous"
        ):
            # ("This was reported by X" is kept as the rules build it: PolNeAR marks the bare
            # pronoun as content, so the filter has not learnt this reading)
            _set_features(d, tok, "", p, qidx)
        drafts.append(d)
    if dmodel is not None:
        _nesting_features(drafts)
    return drafts


def _set_features(d: Draft, tok: Token, prefix: str, p: float, qidx: QuoteIndex) -> None:
    """Attach the draft filter's features (``prefix`` marks the kind of cue in the ctype)."""
    assert d.subject is not None
    n = sum(b - a for a, b in d.content)
    ctype = prefix + str(d.notes.get("ctype", ""))
    d.notes["feats"] = draft_features(tok, d.subject, ctype, p, n, _touches_quote(d.content, qidx))


def _adjective(doc: Doc, tok: Token, qidx: QuoteIndex, sents: Sents) -> Draft | None:
    """A draft for a predicate adjective cue; the clause may hang off the copula ("The mayor
    was adamant that ...": the cue is then "was adamant")."""
    d = _verb(doc, tok, qidx, sents, learned=True)
    if d is None and any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.head.children):
        d = _verb(doc, tok.head, qidx, sents, learned=True)
        if d is not None and d.cue is not None:
            d.cue = (d.cue[0], max(d.cue[1], _tok_end(tok)))
    return d


def _nesting_features(drafts: list[Draft]) -> None:
    """Mark drafts whose cue lies in another draft's content (reported speech inside reported
    speech) and drafts that hold another: PolNeAR annotates the two levels differently.
    Counted with sorted bounds, so long articles with thousands of drafts stay fast."""
    spans = [(d.content[0][0], d.content[-1][1]) for d in drafts if d.content]
    starts = sorted(lo for lo, _ in spans)
    ends = sorted(hi for _, hi in spans)
    cues = sorted(d.cue[0] for d in drafts if d.cue is not None)
    for d in drafts:
        feats = d.notes.get("feats")
        if not isinstance(feats, list) or d.cue is None or not d.content:
            continue
        x = d.cue[0]
        lo, hi = d.content[0][0], d.content[-1][1]
        own = lo <= x < hi  # "The plan, he said, will fail": the cue inside its own content
        covering = bisect.bisect_right(starts, x) - bisect.bisect_right(ends, x)
        inside = covering - own > 0
        held = bisect.bisect_left(cues, hi) - bisect.bisect_left(cues, lo)
        holds = held - own > 0
        ctype = d.notes.get("ctype", "")
        feats += [f"nested={inside}", f"nested+ctype={inside}+{ctype}", f"holds={holds}"]


def _stance_adjective(tok: Token) -> bool:
    """A predicate adjective with a clause or prepositional complement ("is confident that",
    "were skeptical of", "is eager to")."""
    if tok.dep_ != "acomp" or tok.head.pos_ not in ("AUX", "VERB"):
        return False
    if any(c.dep_ in ("ccomp", "xcomp", "prep") for c in tok.children):
        return True
    return any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.head.children)


def _candidates(doc: Doc) -> tuple[list[int], list[int]]:
    """Indices of tokens that may start an attribution, found on the token arrays (fast):
    reporting verbs and "according"."""
    from spacy.attrs import LEMMA, LOWER, POS  # heavy: spacy (~1.6 s), not loaded at import

    strings = doc.vocab.strings
    arr = doc.to_array([LOWER, LEMMA, POS]).astype("int64")
    if arr.ndim == 1:
        arr = arr.reshape(-1, 3)
    lemmas = arr[:, 1].astype("uint64")
    cues = np.array([strings.add(w) for w in (*SPEECH_VERBS, "according")], dtype="uint64")
    hit = np.isin(lemmas, cues) | (
        arr[:, 0].astype("uint64") == np.uint64(strings.add("according"))
    )
    pos = arr[:, 2].astype("uint64")
    verbs = np.flatnonzero(
        (pos == np.uint64(strings.add("VERB"))) | (pos == np.uint64(strings.add("ADJ")))
    )
    return [int(i) for i in np.flatnonzero(hit)], [int(i) for i in verbs]


def _according(doc: Doc, tok: Token, sents: Sents) -> Draft | None:
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    src = _source_range(doc, pobj)
    if src is None:
        return None
    phrase_lo = tok.i
    phrase_hi = max(pobj.right_edge.i, to.i)
    head = tok.head
    subject = _subject_read_as_apposition(pobj, head)
    if subject is not None:
        # "According to the Banking Association, a typical mortgage ... will cost ...": the
        # parser hung the clause's subject on the source; it is what is said
        phrase_hi = subject.left_edge.i - 1
        src = (src[0], min(src[1], _tok_end(doc[phrase_hi - 1])))
    s_lo, s_end, _, _ = sents.of(tok.i)
    if head.i == tok.i or phrase_lo <= head.i <= phrase_hi:
        lo, hi = s_lo, s_end - 1
    else:
        lo, hi = head.left_edge.i, head.right_edge.i
        # "X said, according to AFP" keeps the whole sentence as content
        lo, hi = min(lo, s_lo), max(hi, s_end - 1)
    pieces = _pieces(doc, lo, hi, phrase_lo, phrase_hi)
    if not pieces:
        return None
    return Draft(
        source=src,
        cue=(tok.idx, _tok_end(to)),
        content=pieces,
        subject=pobj,
        verb=head,
        according=True,
    )


def _in_quotation(tok: Token, qidx: QuoteIndex, sents: Sents) -> bool:
    """Whether ``tok`` lies in a quotation of at least :data:`_MIN_QUOTE_WORDS` words: a cue
    there is part of what someone else says."""
    q = qidx.containing(tok.idx)
    return q is not None and _n_words(sents.text, q.start, q.end) >= _MIN_QUOTE_WORDS


#: what may follow a reporting verb in its "as" clause: where or by whom it was said
_AS_SOURCE_PREPS = frozenset({"in", "by"})
#: "even as he says", "just as she said": a time or a contrast, not a source
_AS_NOT_SOURCE = frozenset({"even", "just"})
_AS_COMMAS = frozenset({",", "—", "–", "-", "--"})
#: what opens a speaker's own words right after an "as" clause's verb (not "Davis' ")
_AS_OPENING = frozenset({"“", '"', "``", "‘", ":"})
#: "as they say", "as you know", "as one might say": nobody in particular
_AS_GENERIC = frozenset({"they", "you", "one"})


def _as_clause(doc: Doc, tok: Token, qidx: QuoteIndex, sents: Sents) -> Draft | None:
    """ "As Reuters reported, the minister resigned", "as stated in the Kremlin's message,
    the parties will discuss ...", "as reported by AFP": the clause the "as" clause modifies
    is what was said; the source is the "as" clause's subject, else its agent, else what it
    was stated in. The "as" clause holds no content of its own (no object or clause: "as he
    announced the plan, protesters gathered" is a time, not a source), and is read like
    "according to" (no draft filter)."""
    head = tok.head
    if head.i == tok.i or not as_marked(tok):
        return None
    if head.pos_ not in ("VERB", "AUX") or any(
        c.dep_ == "advmod" and c.lower_ in _AS_NOT_SOURCE for c in tok.children
    ):
        return None  # "as wealthy as he claims to be", "even as he says ...": no source
    if _in_quotation(tok, qidx, sents):
        return None  # "“As we noted, ...,” he said": inside what someone else says
    lemma = tok.lemma_.lower()
    if any(
        c.dep_ in ("ccomp", "xcomp")
        or (c.dep_ == "dobj" and lemma not in ADDRESSEE_VERBS)
        or (c.dep_ == "dative" and lemma != "tell")
        for c in tok.children
    ):
        return None
    if any(c.dep_ == "nsubjpass" for c in tok.children):
        return None  # "Rule 40, as it's currently written": what is said, not who says it
    after = doc[tok.i + 1 : min(tok.right_edge.i + 2, tok.i + 4)]
    if any(t.text in _AS_OPENING for t in after):
        return None  # "as she angrily said, “I am so sick ...”": her words are her own clause
    src_tok = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if src_tok is not None and src_tok.lower_ in _AS_GENERIC:
        return None  # "as they say in baseball": a saying, not a source
    if src_tok is None:
        for c in tok.children:
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in _AS_SOURCE_PREPS):
                src_tok = next((g for g in c.children if g.dep_ == "pobj"), None)
                if src_tok is not None:
                    break
    if src_tok is None or src_tok.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    src = _source_range(doc, src_tok, tok)
    if src is None:
        return None
    s_lo, s_end, _, _ = sents.of(tok.i)
    phrase_lo, phrase_hi = tok.left_edge.i, tok.right_edge.i
    lo, hi = max(head.left_edge.i, s_lo), min(head.right_edge.i, s_end - 1)
    # the commas around the "as" clause belong to neither side
    while phrase_hi + 1 < hi and doc[phrase_hi + 1].text in _AS_COMMAS:
        phrase_hi += 1
    while phrase_lo - 1 > lo and doc[phrase_lo - 1].text in _AS_COMMAS:
        phrase_lo -= 1
    while hi > lo and doc[hi].is_punct and doc[hi].text in ".,;:":
        hi -= 1
    # "Also, as stated in the message, ...": a sentence adverb before it is not what was said
    while (
        lo < phrase_lo and (doc[lo].dep_ == "advmod" or doc[lo].is_punct) and doc[lo].head == head
    ):
        lo += 1
    pieces = _pieces(doc, lo, hi, phrase_lo, phrase_hi)
    if not pieces or not any(c.isalpha() for a, b in pieces for c in sents.text[a:b]):
        return None
    # the verb with its auxiliaries is the cue, as PolNeAR marks it ("as stated in ...",
    # "as he's often alleged"); "as" belongs to the phrase left out of the content
    cue_lo, cue_hi = _cue_range(tok)
    d = Draft(
        source=src,
        cue=(doc[cue_lo].idx, _tok_end(doc[cue_hi])),
        content=pieces,
        subject=src_tok,
        verb=tok,
        according=True,
    )
    d.notes["as_phrase"] = (doc[phrase_lo].idx, _tok_end(doc[phrase_hi]))
    return d


def _subject_read_as_apposition(pobj: Token, verb: Token) -> Token | None:
    """The apposition after a comma that the parser hung on "according to"'s object where it
    is the subject of the verb that follows ("According to the Banking Association, a
    typical mortgage will cost ..."): the verb has no subject and the apposition runs up to
    it. None when there is no such apposition."""
    if verb.i <= pobj.i or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return None
    for c in pobj.children:
        if c.dep_ != "appos" or c.i < pobj.i:
            continue
        comma = c.left_edge.i - 1
        if comma <= pobj.i or pobj.doc[comma].text != ",":
            continue
        rest = pobj.doc[c.right_edge.i + 1 : verb.i]
        if all(t.head.i == verb.i and t.dep_ in ("aux", "auxpass", "neg", "advmod") for t in rest):
            return c
    return None


def _verb(
    doc: Doc, tok: Token, qidx: QuoteIndex, sents: Sents, learned: bool = False
) -> Draft | None:
    """An attribution headed by a reporting verb; ``learned``: the cue model chose the verb.

    The content is the first that applies of: a clausal complement, a "that" clause under a
    prepositional object, an open complement, the direct object, a prepositional object, the
    passive subject (or the sentence before), the clause the verb interrupts, an adjacent
    quotation (see :class:`_VerbContext` and the ``_content_*`` functions, in that order)."""
    lemma = tok.lemma_.lower()
    if lemma not in SPEECH_VERBS and not learned:
        return None
    if _in_quotation(tok, qidx, sents):
        return None  # a verb inside a quotation is part of what is said
    subj = _subject(tok)
    if subj is None:
        return None
    if subj.i > tok.i + 1 and subj.dep_ != "nsubj" and subj.head.dep_ != "agent":
        return None
    cue_lo, cue_hi = _cue_range(tok)
    cx = _VerbContext(doc, tok, lemma, subj, qidx, sents, learned, list(tok.children), cue_hi)
    content: list[tuple[int, int]] = []
    ctype = ""
    for find in _CONTENT_FINDERS:
        found = find(cx)
        if found is not None:
            content, ctype = found
            break
    if not content:
        return None
    needs_clause = lemma in NEEDS_CLAUSE and not learned
    if needs_clause and not cx.ccomps and not _touches_quote(content, qidx):
        return None
    src = _source_range(doc, subj, tok)
    if src is None:
        return None
    cue = (doc[cue_lo].idx, _tok_end(doc[cx.cue_hi]))
    # the content must not swallow the source or the cue
    content = _minus(content, [src, cue])
    if not content:
        return None
    d = Draft(source=src, cue=cue, content=content, subject=subj, verb=tok)
    d.notes["ctype"] = ctype
    return d


@dataclass
class _VerbContext:
    """What the content finders of :func:`_verb` read; ``ccomps`` (the clauses found) and
    ``cue_hi`` (a preposition the cue takes in) are what they may change."""

    doc: Doc
    tok: Token
    lemma: str
    subj: Token
    qidx: QuoteIndex
    sents: Sents
    learned: bool
    children: list[Token]
    cue_hi: int
    ccomps: list[Token] = field(default_factory=list)


_Found = tuple[list[tuple[int, int]], str] | None
_AS = frozenset({"as"})
_OBJECT_PREPS = {verb: preps | _AS for verb, preps in OBJECT_PREPS.items()}


def _content_ccomp(cx: _VerbContext) -> _Found:
    """ "said (that) the plan will fail": the clausal complement."""
    doc, tok = cx.doc, cx.tok
    cx.ccomps = [
        c
        for c in cx.children
        if c.dep_ == "ccomp"
        # "Politico reported ...; however, we are not talking about ...": a clause before a
        # semicolon is not what the later verb reports
        and not (c.i < tok.i and any(t.text == ";" for t in doc[c.right_edge.i + 1 : tok.i]))
    ]
    content = [_subtree_range(doc, c) for c in cx.ccomps]
    subject = misread_subject(cx.ccomps[0]) if cx.ccomps else None
    if subject is not None and subject.head.i == tok.i:
        # "said the launching of Zarya, ..., was a vindication": the parser took the
        # clause's subject for the verb's object (or a second subject); the content starts
        # with it
        content[0] = (doc[subject.left_edge.i].idx, content[0][1])
    return (content, "ccomp") if content else None


def _subject_of_later(noun: Token, verb: Token) -> bool:
    """Whether ``noun``, hung on ``verb`` after it, is the subject of a clause that follows
    without one ("said the launching of Zarya, ..., was a vindication")."""
    return any(
        c.dep_ == "ccomp" and getattr(misread_subject(c), "i", None) == noun.i
        for c in verb.children
    )


def _content_prep_clause(cx: _VerbContext) -> _Found:
    """ "said in a statement that ...": the clause hangs off the prepositional object."""
    content: list[tuple[int, int]] = []
    for c in cx.children:
        if c.dep_ != "prep":
            continue
        for pobj in c.children:
            for g in pobj.children:
                if g.dep_ in ("acl", "relcl", "ccomp") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in g.children
                ):
                    cx.ccomps.append(g)
                    content.append(_subtree_range(cx.doc, g))
    return (content, "prepclause") if content else None


def _content_xcomp(cx: _VerbContext) -> _Found:
    """ "pledged to act", "wants to leave": the open complement."""
    xcomps = [c for c in cx.children if c.dep_ == "xcomp"]
    content = [_subtree_range(cx.doc, c) for c in xcomps]
    dobj = next((c for c in cx.children if c.dep_ == "dobj"), None)
    if (
        xcomps
        and dobj is not None
        and cx.tok.i < dobj.i < xcomps[0].i
        and cx.lemma in ADDRESSEE_VERBS
    ):
        # "urged Britain to release Pinochet": who is urged belongs to what is urged
        content[0] = (cx.doc[dobj.left_edge.i].idx, content[0][1])
    return (content, "xcomp") if content else None


def _content_dobj(cx: _VerbContext) -> _Found:
    """ "denied the report", "mocked the plan": the direct object (for "told CNN", the
    quotation beside the verb)."""
    doc, tok, children = cx.doc, cx.tok, cx.children
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    preps = _OBJECT_PREPS.get(cx.lemma, _AS)
    if (
        dobj is not None
        and dobj.pos_ == "PRON"
        and any(c.dep_ == "prep" and c.i > dobj.i and c.lower_ not in preps for c in children)
    ):
        dobj = None  # "distanced himself from X", "pressed him on X": the phrase is what
    if dobj is not None and cx.lemma == "tell":
        # '"...," he told CNN': who was told; what was told is the quotation
        near = _adjacent_quote(doc, tok, cx.qidx, cx.sents)
        if near is not None:
            return [(near.start, near.end)], "quote"
    if dobj is None:
        return None
    lo, hi = dobj.left_edge.i, dobj.right_edge.i
    for c in children:
        # what the object was called: "called the plan a fraud", "described Roe as a
        # disgrace", or what it did: "accused the mayor of fraud" (the object alone,
        # "described Roe", says nothing)
        if c.i > dobj.i and (
            c.dep_ in ("oprd", "xcomp") or (c.dep_ == "prep" and c.lower_ in preps)
        ):
            hi = max(hi, c.right_edge.i)
    return [(doc[lo].idx, _tok_end(doc[hi]))], "dobj"


def _content_prep_object(cx: _VerbContext) -> _Found:
    """ "warned of a strike", "insisted on talks": the object of the verb's own preposition
    (the cue takes the preposition in when it follows the verb)."""
    if not (cx.lemma in PREP_CONTENT or cx.learned):
        return None
    doc, tok, children = cx.doc, cx.tok, cx.children
    preps = PREP_CONTENT.get(cx.lemma)
    for c in children:
        if c.dep_ == "prep" and c.i > tok.i and (preps is None or c.lower_ in preps):
            if _is_medium(c) or _is_time(c):
                continue  # "said in a statement", "reported on Friday": how or when, not what
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                lo, hi = obj.left_edge.i, obj.right_edge.i
                for g in children:
                    if g.dep_ in ("xcomp", "advcl") and g.i > obj.i:
                        hi = max(hi, g.right_edge.i)
                if c.i == cx.cue_hi + 1:
                    cx.cue_hi = c.i
                return [(doc[lo].idx, _tok_end(doc[hi]))], "prep=" + c.lower_
    return None


def _content_passive(cx: _VerbContext) -> _Found:
    """ "The closure was first reported by the Gazette": the passive subject is the content
    ("This was reported by the Kremlin": the sentence before)."""
    if cx.subj.head.dep_ != "agent":
        return None
    sp = next((c for c in cx.children if c.dep_ == "nsubjpass"), None)
    if sp is not None and sp.pos_ != "PRON":
        return [_subtree_range(cx.doc, sp)], "passive"
    if sp is not None and sp.lower_ in ("this", "that") and sp.i == sp.head.left_edge.i:
        sents = cx.sents
        s_lo, _, c_lo, _ = sents.of(cx.tok.i)
        if s_lo > 0:
            _, _, p_lo, p_hi = sents.of(s_lo - 1)
            if "\n\n" not in sents.text[p_lo:c_lo].rstrip():
                return [(p_lo, p_hi)], "passive-previous"
    return None


def _content_inversion(cx: _VerbContext) -> _Found:
    """ "The plan will fail, he said." / "The plan, he said, will fail." parsed with the
    reported clause as head."""
    doc, tok = cx.doc, cx.tok
    if not (
        cx.lemma in INVERSION_VERBS
        and tok.dep_ in ("parataxis", "ccomp", "advcl", "conj")
        and (tok.head.i < tok.i or tok.dep_ == "parataxis")
    ):
        return None
    head = tok.head
    lo_gap, hi_gap = sorted((head.i, tok.left_edge.i if head.i < tok.i else tok.right_edge.i))
    between = doc[lo_gap : hi_gap + 1]
    if head.pos_ in ("VERB", "AUX") and any(t.is_punct for t in between):
        lo, hi = head.left_edge.i, head.right_edge.i
        content = _pieces(doc, lo, hi, tok.left_edge.i, tok.right_edge.i)
        return (content, "inversion") if content else None
    return None


def _content_quote(cx: _VerbContext) -> _Found:
    """A speech verb beside a quotation: the quotation."""
    if cx.lemma not in SPEECH_VERBS:
        return None
    near = _adjacent_quote(cx.doc, cx.tok, cx.qidx, cx.sents)
    return ([(near.start, near.end)], "quote") if near is not None else None


#: where :func:`_verb` looks for the content, in order (the first that finds one wins)
_CONTENT_FINDERS = (
    _content_ccomp,
    _content_prep_clause,
    _content_xcomp,
    _content_dobj,
    _content_prep_object,
    _content_passive,
    _content_inversion,
    _content_quote,
)


_LABEL_RE = re.compile(r"(?m)^[ \t•*\"“-]*([A-Z][^\n:―—]{0,60}?)[ \t]*(:|―|—|--)[ \t]*(\S[^\n]*)$")
_SIGNED_RE = re.compile(r"(?m)^(\S[^\n]*[\"”“»’'])[ \t]*(―|—|–|--)[ \t]*([A-Z][^\n―—–\"“”]{0,60})$")


def _labelled(doc: Doc, text: str, drafts: list[Draft]) -> list[Draft]:
    """Paragraphs like ``SMITH: We will win.``, ``Jane Roe ― "It was fine."``, ``Poll: X leads``."""
    taken = [c for d in drafts for c in d.content]
    out: list[Draft] = []
    found = [(m, 1, 3) for m in _LABEL_RE.finditer(text)]
    found += [(m, 3, 1) for m in _SIGNED_RE.finditer(text)]
    for m, li, ci in found:
        label, content = m.group(li).strip(), m.group(ci)
        words = label.split()
        if not 1 <= len(words) <= 6 or len(content.split()) < 3:
            continue
        if not all(w[:1].isupper() or w[:1] in "(." or w.lower() in _NAME_PARTICLES for w in words):
            continue
        quoted = content[:1] in "\"“”„«»'‘"
        span = doc.char_span(m.start(li), m.start(li) + len(label), alignment_mode="expand")
        named = span is not None and any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in span)
        caps = label.replace(".", "").replace(" ", "").isupper() and len(label) > 1
        if not (quoted or named or caps or m.group(2) == "―"):
            continue
        if caps and m.group(2) in ("—", "--") and li == 1 and not quoted:
            continue  # "WASHINGTON — The senator ...": a dateline, not a speaker
        c_lo, c_hi = m.start(ci), m.end(ci)
        if any(a < c_hi and c_lo < b for a, b in taken):
            continue
        subj = span.root if span is not None and len(span) else None
        out.append(
            Draft(
                source=(m.start(li), m.start(li) + len(label)),
                cue=(m.start(2), m.end(2)),
                content=[(c_lo, c_hi)],
                subject=subj,
            )
        )
    return out


def _subject(tok: Token) -> Token | None:
    """The speaker token: the verb's subject, the subject of the verb it hangs off
    ("went on to say", "are more likely to say", "began by saying"), or the agent of a passive
    ("was reported by MSNBC")."""
    cur = tok
    for _ in range(4):
        subjects = [
            c
            for c in cur.children
            if c.dep_ == "nsubj" and not c.is_punct and c.text not in _OPENERS + "”’"
        ]
        if subjects:
            if len(subjects) > 1 and cur.i == tok.i and tok.i > 0 and _after_punct(tok):
                # "..., the plan will fail, said Jane Roe": the reported clause's subject was
                # attached to the verb too; the subject after the verb is the speaker
                after = [c for c in subjects if c.i > tok.i and not _subject_of_later(c, tok)]
                if after:
                    return after[0]
            # '"..., its heart beating, ...," said Carly Fiorina': a verb parsed as a second
            # subject inside the quotation gives way to the name
            return next((c for c in subjects if c.pos_ != "VERB"), subjects[0])
        if cur.i == tok.i:
            agent = _agent(cur)
            if agent is not None:
                return agent
        climb = cur.dep_ in ("conj", "xcomp") or (
            cur.dep_ == "advcl"
            and (
                cur.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
            )
        )
        if not climb:
            # "are more likely to say" (acomp), "began by saying" (pcomp of a preposition)
            climb = (cur.dep_ == "acomp" and cur.pos_ == "ADJ") or (
                cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.i != cur.head.head.i
            )
            if climb and cur.dep_ == "pcomp":
                cur = cur.head
        if climb and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return None


def _after_punct(tok: Token) -> bool:
    """Whether punctuation (a comma, a closing quotation mark) comes right before ``tok``."""
    return tok.nbor(-1).is_punct


def _agent(tok: Token) -> Token | None:
    """``was reported by MSNBC``: the object of a passive verb's ``by`` phrase."""
    if not any(c.dep_ == "auxpass" for c in tok.children):
        return None
    for c in tok.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _cue_range(tok: Token) -> tuple[int, int]:
    lo = hi = tok.i
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass", "neg") and c.i < tok.i and c.i >= lo - 2:
            lo = min(lo, c.i)
        elif c.dep_ == "prt" and c.i == hi + 1:
            hi = c.i
    return lo, hi


def _source_range(doc: Doc, subj: Token, anchor: Token | None = None) -> tuple[int, int] | None:
    """Character range of the subject phrase, kept in the paragraph of ``anchor`` (the cue);
    parses run across AP-style time stamps and headings."""
    lo, hi = subj.left_edge.i, subj.right_edge.i
    pivot = anchor if anchor is not None else subj
    for i in range(min(pivot.i, hi + 1) - 1, lo - 1, -1):
        if "\n" in doc[i].text_with_ws:
            lo = i + 1
            break
    for i in range(max(pivot.i, lo), hi):
        if "\n" in doc[i].text_with_ws:
            hi = i
            break
    if hi < lo:
        return None
    lo, hi = _cut_source(doc, subj, lo, hi)
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space) and not _closes_bracket(doc, lo, hi):
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space) and doc[lo].text not in "([":
        lo += 1
    if doc[lo].is_punct or doc[lo].is_space:
        return None
    end = _tok_end(doc[hi])
    # "Jane Roe, the campaign's spokeswoman, said": the closing comma of an apposition
    if (
        "closecomma" in _SOURCE_CUTS
        and hi + 1 < len(doc)
        and doc[hi + 1].text == ","
        and any(doc[i].text == "," for i in range(lo, hi))
    ):
        end = _tok_end(doc[hi + 1])
    return doc[lo].idx, end


_EMPHATIC = frozenset({"even"})
_DECLINED = frozenset({"comment", "say", "speak", "discuss", "elaborate", "respond"})
_TIME_WORDS = frozenset(
    {
        *WEEKDAYS,
        "today",
        "yesterday",
        "tonight",
        "night",
        "morning",
        "afternoon",
        "evening",
        "week",
        "weekend",
    }
)
# the source trims in force (names kept for ablation runs): "closecomma" keeps the comma that
# closes an apposition, the others are kinds of _cut_kind
_SOURCE_CUTS = {
    "acl",
    "time",
    "reflexive",
    "emphatic",
    "closecomma",
    "medium",
    "relcl_say",
    "relcl_declined",
    "relcl_say_noun",
}


def _cut_source(doc: Doc, subj: Token, lo: int, hi: int) -> tuple[int, int]:
    """Trim the subject phrase as PolNeAR does: a comma-set participle clause ("Sen. Roy Blunt,
    facing a stiff challenge,"), a time phrase ("Trump on Tuesday"), the medium ("Durbin in an
    interview"), an emphatic reflexive ("Sanders himself"), a leading "even", a comma-set
    relative clause that reports ("Cruz, who says ...,") or declines to ("Hoff, who declined to
    comment,"). Cutting every comma-set relative clause on a name ("relcl") and a trailing
    "all"/"both" ("quantifier") lost on PolNeAR train, so those kinds are not in
    ``_SOURCE_CUTS``."""
    kids = [c for c in subj.children if lo <= c.i <= hi]
    for c in reversed([c for c in kids if c.i > subj.i and not c.is_punct]):
        if c.right_edge.i < hi and not all(
            doc[k].is_punct for k in range(c.right_edge.i + 1, hi + 1)
        ):
            break
        comma = c.left_edge.i > lo and doc[c.left_edge.i - 1].text == ","
        if _cut_kind(c, subj, comma) not in _SOURCE_CUTS:
            break
        hi = c.left_edge.i - 1
        while hi > lo and doc[hi].is_punct and doc[hi].text not in ")]":
            hi -= 1
    first = doc[lo]
    if (
        "emphatic" in _SOURCE_CUTS
        and first.lower_ in _EMPHATIC
        and first.dep_ in ("advmod", "cc")
        and lo < hi
    ):
        lo += 1
    return lo, hi


def _cut_kind(c: Token, subj: Token, comma: bool) -> str | None:
    """Which trim of :func:`_cut_source` a trailing child ``c`` of the subject falls under."""
    if c.dep_ == "relcl" and comma and subj.pos_ != "PROPN":
        if c.lemma_.lower() in SPEECH_VERBS or any(k.dep_ == "ccomp" for k in c.children):
            return "relcl_say_noun"  # "the senator, who argues that ...,"
        return None
    if c.dep_ == "relcl" and comma and subj.pos_ == "PROPN":
        if c.lemma_.lower() in SPEECH_VERBS or any(k.dep_ == "ccomp" for k in c.children):
            return "relcl_say"  # "Graham, who says allies should send troops,"
        if any(k.dep_ == "xcomp" and k.lemma_.lower() in _DECLINED for k in c.children):
            return "relcl_declined"  # "Hoff, who declined to comment,"
        return "relcl"
    if c.dep_ == "acl" and comma and c.tag_ in ("VBG", "VBN"):
        return "acl"  # "Sen. Roy Blunt, facing a stiff challenge,"
    if c.dep_ == "prep" and _is_medium(c):
        return "medium"
    if c.dep_ in ("prep", "npadvmod") and _is_time(c):
        return "time"
    if c.lower_ in REFLEXIVES:
        return "reflexive"
    if c.lower_ in ("all", "both") and c.i == c.right_edge.i:
        return "quantifier"
    return None


_MEDIA = frozenset(
    {
        "interview",
        "statement",
        "email",
        "e-mail",
        "call",
        "release",
        "tweet",
        "speech",
        "appearance",
        "op-ed",
        "post",
        "letter",
        "memo",
    }
)


def _is_medium(c: Token) -> bool:
    """``in an interview``, ``via email``, ``in a statement`` after a subject."""
    if c.lower_ not in ("in", "via", "during", "on", "through") or len(list(c.subtree)) > 7:
        return False
    return any(t.lemma_.lower() in _MEDIA for t in c.subtree)


def _is_time(c: Token) -> bool:
    """``on Tuesday``, ``Monday``, ``last week`` after a subject."""
    words = [t for t in c.subtree]
    if len(words) > 4:
        return False
    head = words[-1]
    if c.dep_ == "prep" and c.lower_ not in ("on", "in", "at", "this", "last"):
        return False
    if head.ent_type_ in ("ORG", "WORK_OF_ART", "PERSON", "GPE"):
        return False  # "USA Today"
    return head.lower_ in _TIME_WORDS or (head.ent_type_ in ("DATE", "TIME") and c.dep_ != "prep")


def _closes_bracket(doc: Doc, lo: int, hi: int) -> bool:
    """``Gwen Moore (D-Wis.)``: keep a closing bracket whose opening one is in the span."""
    t = doc[hi].text
    return t in ")]" and any(doc[i].text in "([" for i in range(lo, hi))


def _adjacent_quote(doc: Doc, tok: Token, qidx: QuoteIndex, sents: Sents) -> Quote | None:
    """A quotation right before/after the verb in its sentence (``X said: "..."``)."""
    _, _, c_lo, c_hi = sents.of(tok.i)
    text = sents.text
    # a quotation closing just before the sentence: the parser split '"...," she said'
    cands = qidx.overlapping(max(0, c_lo - 2), c_hi)
    # a quotation that starts in the next sentence after "X said:"
    nxt = _tok_end(tok)
    while nxt < len(text) and text[nxt] in " :,\t":
        nxt += 1
    after = qidx.containing(nxt)
    if after is not None and after.start == nxt:
        return after
    best = None
    best_gap = 10**9
    for q in cands:
        close_before = q.end <= tok.idx and tok.idx - q.end <= 30  # '"Done," she said'
        if _n_words(text, q.start, q.end) < _MIN_QUOTE_WORDS and not close_before:
            continue
        gap = tok.idx - q.end if q.end <= tok.idx else q.start - _tok_end(tok)
        if 0 <= gap < best_gap:
            best, best_gap = q, gap
    return best


def _touches_quote(content: list[tuple[int, int]], qidx: QuoteIndex) -> bool:
    return any(qidx.overlapping(a, b) for a, b in content)


def _link_via(text: str, drafts: list[Draft]) -> list[Draft]:
    """``X said, according to AFP``: the verb attribution gets ``via``; both are kept."""
    cues = sorted(
        ((d.cue[1], d) for d in drafts if not d.according and d.cue is not None),
        key=lambda pair: pair[0],
    )
    for d in drafts:
        if not d.according or d.cue is None or d.source is None:
            continue
        inner = None
        for end, cand in cues:
            if end <= d.cue[0] and not text[end : d.cue[0]].strip(" ,;—–-"):
                inner = cand
        if inner is None and d.verb is not None:
            inner = next((c for _, c in cues if c.verb is not None and c.verb.i == d.verb.i), None)
            if inner is not None and inner.cue is not None and inner.cue[0] > d.cue[0]:
                inner = None
        if inner is None:
            continue
        inner.notes["via_span"] = d.source
        inner.content = _minus(inner.content, [(d.cue[0], d.source[1])])
    return drafts


def _finish(text: str, d: Draft, qidx: QuoteIndex) -> Draft:
    """Grow contents to whole quotations, trim edges, merge overlaps."""
    grown: list[tuple[int, int]] = []
    for a, b in d.content:
        for q in qidx.overlapping(a, b):
            if _n_words(text, q.start, q.end) >= 2 or (q.start <= a and q.end >= b):
                a, b = min(a, q.start), max(b, q.end)
        grown.append((a, b))
    blockers = [r for r in (d.source, d.cue) if r is not None]
    phrase = d.notes.get("as_phrase")
    if isinstance(phrase, tuple):
        blockers.append(phrase)  # "“As we noted, ...”": the quotation grows around it
    grown = _minus(grown, blockers)
    if d.cue is not None:  # a content stays in the cue's paragraph
        para_lo = text.rfind("\n", 0, d.cue[0]) + 1
        para_hi = text.find("\n", d.cue[1])
        para_hi = len(text) if para_hi < 0 else para_hi
        grown = [(max(a, para_lo), min(b, para_hi)) for a, b in grown]
    out: list[tuple[int, int]] = []
    for a, b in sorted(grown):
        a, b = _trim(text, a, b, qidx)
        if a == 0 or text[a - 1] == "\n":
            a += dateline_end(text[a:b])  # "WASHINGTON ― Trump's ...": no one's words
        if b - a < 2 or text[a:b].lower() in _PRONOUN_CONTENT:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    d.content = out
    return d


def _trim(text: str, a: int, b: int, qidx: QuoteIndex) -> tuple[int, int]:
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and (text[b - 1] in _TRIM or text[b - 1] == "."):
        if text[b - 1] == "." and qidx.containing(b - 1) is not None:
            break
        if (
            text[b - 1] == "."
            and b - 2 >= a
            and text[b - 2].isupper()
            and (b - 3 < a or text[b - 3] in " .")
        ):
            break  # an abbreviation such as "U.S."
        b -= 1
    # "said he respected the bank's independence but [warned ...]": a dangling conjunction
    m = _DANGLING.search(text, a, b)
    if m is not None and m.end() == b and qidx.containing(b - 1) is None:
        return _trim(text, a, m.start(), qidx)
    return a, b


_DANGLING = re.compile(r"[\s,;]+(?:but|and|or|while|as well as)$")


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """Drop an attribution whose content and source repeat another's; two nearby cues of one
    attribution merge ("began by saying", "went on to argue")."""
    seen: dict[tuple[tuple[int, int], ...], Draft] = {}
    out: list[Draft] = []
    for d in drafts:
        key = (*d.content, d.source or (-1, -1))
        kept = seen.get(key)
        if kept is None:
            seen[key] = d
            out.append(d)
        elif kept.cue is not None and d.cue is not None and not kept.according:
            lo, hi = sorted((kept.cue, d.cue))
            if 0 <= hi[0] - lo[1] <= _CUE_GAP and not d.according:
                kept.cue = (lo[0], max(lo[1], hi[1]))
    by_source: dict[tuple[int, int] | None, list[Draft]] = defaultdict(list)
    for d in out:
        by_source[d.source].append(d)
    return [
        d
        for d in out
        if not any(
            _nested_in(d, o) and not _nested_in(o, d) for o in by_source[d.source] if o is not d
        )
    ]


def _nested_in(inner: Draft, outer: Draft) -> bool:
    """``inner`` restates part of ``outer`` ("declined to discuss the attacks": the cue "to
    discuss" and its object lie in the content of "declined", with the same source)."""
    if inner.source is None or inner.source != outer.source or inner.cue is None:
        return False
    if outer.according or inner.according:
        return False
    lo, hi = outer.content[0][0], outer.content[-1][1]
    return (
        lo <= inner.cue[0]
        and inner.cue[1] <= hi
        and all(lo <= a and b <= hi for a, b in inner.content)
    )


def _attach_orphan_quotes(text: str, drafts: list[Draft], quotes: list[Quote]) -> None:
    """Quotations of a paragraph nobody claims go to the nearest quoting attribution there."""
    if not drafts or not quotes:
        return
    qidx = QuoteIndex(quotes)
    claimed = {q.start for d in drafts for a, b in d.content for q in qidx.overlapping(a, b)}
    by_para: dict[int, list[Draft]] = {}
    for d in drafts:
        if not d.according and d.cue is not None:
            by_para.setdefault(text.rfind("\n", 0, d.cue[0]) + 1, []).append(d)
    for q in quotes:
        if q.start in claimed or _n_words(text, q.start, q.end) < _MIN_QUOTE_WORDS:
            continue
        j = q.start - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j >= 0 and text[j] != "\n" and text[j] not in _SENTENCE_START:
            continue  # a quotation inside a sentence: not free-standing speech
        best: Draft | None = None
        best_gap = 10**9
        for d in by_para.get(text.rfind("\n", 0, q.start) + 1, ()):
            quoting = [r for r in d.content if text[r[0]] in _OPENERS or text[r[1] - 1] in _CLOSERS]
            if not quoting:
                continue
            gap = min(q.start - r[1] if q.start >= r[1] else abs(r[0] - q.end) for r in quoting)
            if gap < best_gap:
                best, best_gap = d, gap
        if best is None and not q.closed:
            best = _reopened_by(text, q, drafts)
        if best is not None:
            best.content = sorted([*best.content, (q.start, q.end)])
            claimed.add(q.start)


def _reopened_by(text: str, q: Quote, drafts: list[Draft]) -> Draft | None:
    """A quotation left open at a paragraph end continues in the next paragraph (newspaper
    style: each paragraph of a long quotation reopens); it belongs to whoever says that one."""
    nxt = q.end
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt >= len(text) or text[nxt] not in _OPENERS:
        return None
    for d in drafts:
        if not d.according and any(a <= nxt < b for a, b in d.content):
            return d
    return None


# --------------------------------------------------------------------------- helpers


def _tok_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _subtree_range(doc: Doc, tok: Token) -> tuple[int, int]:
    return doc[tok.left_edge.i].idx, _tok_end(doc[tok.right_edge.i])


def _pieces(doc: Doc, lo: int, hi: int, cut_lo: int, cut_hi: int) -> list[tuple[int, int]]:
    """Character ranges of tokens ``lo..hi`` without tokens ``cut_lo..cut_hi``."""
    out: list[tuple[int, int]] = []
    if lo < cut_lo:
        out.append((doc[lo].idx, _tok_end(doc[min(hi, cut_lo - 1)])))
    if hi > cut_hi:
        out.append((doc[max(lo, cut_hi + 1)].idx, _tok_end(doc[hi])))
    return [(a, b) for a, b in out if b > a]


def _minus(ranges: list[tuple[int, int]], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = list(ranges)
    for ca, cb in cuts:
        nxt: list[tuple[int, int]] = []
        for a, b in out:
            if cb <= a or ca >= b:
                nxt.append((a, b))
                continue
            if a < ca:
                nxt.append((a, ca))
            if cb < b:
                nxt.append((cb, b))
        out = nxt
    return out


def _n_words(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())


def _is_quoted(text: str, a: int, b: int, qidx: QuoteIndex) -> bool:
    qs = qidx.overlapping(a, b)
    return bool(qs) and qs[0].start <= a and qs[-1].end >= b and len(qs) == 1


def _to_attribution(text: str, d: Draft, qidx: QuoteIndex) -> Attribution:
    content = [Span.of(text, a, b) for a, b in d.content]
    quoted = [_is_quoted(text, a, b, qidx) for a, b in d.content]
    kind: AttributionKind
    if content and all(quoted):
        kind = "direct"
    elif any(qidx.overlapping(a, b) for a, b in d.content):
        kind = "mixed"
    else:
        kind = "indirect"
    return Attribution(
        source=Span.of(text, *d.source) if d.source else None,
        cue=Span.of(text, *d.cue) if d.cue else None,
        content=content,
        speaker=d.speaker,
        kind=kind,
        via=d.via,
        reporting=d.according
        or d.verb is None
        or (d.verb.pos_ in ("VERB", "AUX") and d.verb.lemma_.lower() in SPEECH_VERBS),
    )
