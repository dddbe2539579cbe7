"""Clause-level claims: a parsed sentence split into the atomic propositions it asserts.

One sentence may assert several things: coordinated clauses ("The port closed and the union
walked out"), several contents of one reporting verb ("X said A and B"), and a non-restrictive
relative or appositive clause that carries its own assertion ("Lind, who took office in May,
resigned"). Each becomes a :class:`~newsprism.model.Clause` with its exact character extent in
the article (so every fact still cites source text), the lemma of its predicate, its subject,
negation, tense and modality, and a *gist*: the words that state it, with a subject borrowed
from the governing clause where it shares one. A quotation is never split.

Pure functions over a spaCy ``Doc``; called once per article during enrichment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsprism.model import Clause, Sentence
from newsprism.nlp.attributions_lexicon import INVERSION_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: verbs whose content clause is what is reported (the frame "X said" is the attribution's)
REPORTING_VERBS = INVERSION_VERBS | frozenset({"announce", "deny", "reveal", "disclose", "tell"})
#: non-punctuation tokens a piece needs before it is split off as a claim of its own
MIN_CLAUSE_TOKENS = 4
#: a shared subject longer than this many tokens is not copied into a coordinated clause's gist
MAX_BORROWED_SUBJECT = 8
#: at most this many claims from one sentence (the rest stay in the main clause)
MAX_CLAUSES_PER_SENTENCE = 6

_QUOTE_CHARS = frozenset('“”«»„"‘’')
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_PLAN_WORDS = frozenset({"plan", "intend", "expect", "schedule", "set", "due", "aim", "hope"})
_MODALS = frozenset({"may", "might", "could", "would", "should", "must", "can", "ought"})
_NEG_WORDS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_REL_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose", "where", "when"})


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly, guillemets or straight double quotes)."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    straight_open: int | None = None
    for i, ch in enumerate(text):
        if ch in "“«„":
            open_at = i
        elif ch in "”»" and open_at is not None:
            regions.append((open_at, i + 1))
            open_at = None
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                regions.append((straight_open, i + 1))
                straight_open = None
    return regions


def _inside(pos: int, regions: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in regions)


def _content_len(tokens: Iterable[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct and not t.is_space)


def _tense_modal(head: Token) -> tuple[str, str | None]:
    """('future'|'past'|'present', modal or plan word) from the head and its auxiliaries."""
    auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    modal = next((a.lower_ for a in auxes if a.lower_ in _MODALS), None)
    if words & _FUTURE_AUX:
        return "future", modal
    if head.dep_ == "xcomp" and head.head.lemma_ in _PLAN_WORDS:
        return "future", head.head.lemma_
    gov = head.head if head.dep_ in ("xcomp", "ccomp") else None
    if gov is not None and any(c.lower_ in _FUTURE_AUX for c in gov.children if c.dep_ == "aux"):
        return "future", modal
    if "Past" in head.morph.get("Tense", []) or any(
        "Past" in a.morph.get("Tense", []) for a in auxes
    ):
        if head.tag_ == "VBN" and not auxes:
            return "past", modal
        return ("past", modal) if modal not in ("would", "could") else ("present", modal)
    if any(a.lower_ in ("is", "are", "am") for a in auxes) and any(
        c.lower_ == "to" and c.dep_ == "aux" for c in head.children
    ):
        return "future", "be to"
    return "present", modal


def _negated(head: Token) -> bool:
    for c in head.children:
        if c.dep_ == "neg" or c.lower_ in ("never", "not", "n't"):
            return True
        if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and any(
            g.dep_ == "det" and g.lower_ in ("no", "neither") for g in c.children
        ):
            return True
    return False


def _subject(head: Token) -> Token | None:
    return next((c for c in head.children if c.dep_ in _SUBJ), None)


def _within(tok: Token, head: Token) -> bool:
    return head.left_edge.i <= tok.i <= head.right_edge.i


def _pronoun(tok: Token) -> bool:
    return tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "it", "they")


def _finite(verb: Token) -> bool:
    """A clause of its own: a subject, an auxiliary or a finite verb form ("stacked with
    piles" hanging off a noun is a participle, not a clause)."""
    if verb.tag_ in ("VBD", "VBZ", "VBP", "MD"):
        return True
    return any(c.dep_ in _SUBJ or c.dep_ in ("aux", "auxpass") for c in verb.children)


#: dependents that set a scene before the subject ("On Thursday,", "At the invitation of X,",
#: "Among other things,"): left out of the gist, since dates are compared as slots
_ADJUNCTS = frozenset({"prep", "advmod", "npadvmod", "advcl", "intj", "dep"})
#: a subject longer than this many tokens is shortened to the person it names
LONG_SUBJECT = 6


def _core(toks: list[Token], head: Token) -> list[Token]:
    """The words that state a clause's proposition: fronted adjuncts, the punctuation after
    them and trailing punctuation dropped; a long subject naming a person shortened to the
    name ("President of X and leader of Y Xi Jinping" -> "Xi Jinping")."""
    keep = {t.i for t in toks}
    subj = _subject(head)
    limit = subj.left_edge.i if subj is not None else head.i
    for c in head.children:
        if c.i < limit and c.dep_ in _ADJUNCTS:
            span = range(c.left_edge.i, c.right_edge.i + 1)
            keep.difference_update(span)
            nxt = c.right_edge.i + 1
            if nxt < len(head.doc) and head.doc[nxt].text in (",", "–", "—", ":"):
                keep.discard(nxt)
    if subj is not None and subj.right_edge.i - subj.left_edge.i + 1 > LONG_SUBJECT:
        names = [
            e for e in head.doc.ents if e.label_ == "PERSON" and e.start <= subj.i < e.end
        ] or [
            e
            for e in head.doc.ents
            if e.label_ == "PERSON"
            and subj.left_edge.i <= e.start
            and e.end <= subj.right_edge.i + 1
            and e.end == subj.right_edge.i + 1
        ]
        name_span = (names[0].start, names[0].end) if names else _final_name(subj)
        if name_span is not None:
            lo, hi = name_span
            keep.difference_update(range(subj.left_edge.i, subj.right_edge.i + 1))
            keep.update(range(lo, hi))
    out = [t for t in head.doc[min(keep) : max(keep) + 1] if t.i in keep] if keep else []
    while out and (out[0].is_punct or out[0].is_space or out[0].dep_ == "cc"):
        out = out[1:]
    while out and (out[-1].is_punct or out[-1].is_space):
        out = out[:-1]
    return out if _content_len(out) >= MIN_CLAUSE_TOKENS - 1 else toks


def _final_name(subj: Token) -> tuple[int, int] | None:
    """A run of 2-3 proper nouns ending a long subject ("... leader of the Party Xi Jinping")."""
    end = subj.right_edge.i + 1
    last = subj.doc[end - 1]
    if last.pos_ != "PROPN":
        return None
    i = end - 1
    while i > subj.left_edge.i:
        prev = subj.doc[i - 1]
        if prev.pos_ != "PROPN" or prev.dep_ != "compound" or prev.head.i >= end:
            break
        i -= 1
    return (i, end) if 2 <= end - i <= 3 else None


def _run_on(verb: Token) -> bool:
    """A past-tense verb the parser hung on another as an adverbial clause although nothing
    subordinates it ("he urged calm, called for talks"): coordination in all but name."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBD":
        return False
    if any(c.dep_ in ("mark", "advmod") and c.i < verb.i for c in verb.children):
        return False
    prev = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
    return prev is not None and prev.text == ","


def _agrees(pronoun: Token, antecedent: Token) -> bool:
    """Whether a subject pronoun can stand for the antecedent subject's head: "he"/"she" for a
    person, "it" for a singular non-person, "they" for a plural or a group."""
    person = antecedent.ent_type_ == "PERSON"
    plural = "Plur" in antecedent.morph.get("Number", []) or antecedent.ent_type_ == "NORP"
    word = pronoun.lower_
    if word in ("he", "she"):
        return person
    if word == "it":
        return not person and not plural
    return plural


def _text_of(tokens: list[Token]) -> str:
    parts: list[str] = []
    for k, t in enumerate(tokens):
        parts.append(t.text)
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if nxt is not None and (t.whitespace_ or nxt.i != t.i + 1):
            parts.append(" ")
    out = "".join(parts).strip()
    return out.strip(" ,;:–—-").strip()


class _Splitter:
    """Splits one sentence; collects the heads of claims and the tokens each excludes."""

    def __init__(self, sent: Span, regions: list[tuple[int, int]]) -> None:
        self.sent = sent
        self.regions = regions

    def quoted(self, tok: Token) -> bool:
        return _inside(tok.idx, self.regions)

    def heads(self) -> list[tuple[Token, str]]:
        root = self.sent.root
        first: Token = root
        kind = "main"
        if root.lemma_ in REPORTING_VERBS:
            comp = [c for c in root.children if c.dep_ == "ccomp" and not self.quoted(c)]
            if len(comp) == 1 and _content_len(comp[0].subtree) >= MIN_CLAUSE_TOKENS:
                first, kind = comp[0], "reported"
        out = [(first, kind)]
        if kind == "main":
            # a clause set beside the root with its own subject ("X is neutral – Beijing
            # refused ...", "... ; the talks failed")
            for c in root.children:
                if (
                    c.dep_ in ("ccomp", "parataxis")
                    and c.pos_ in ("VERB", "AUX")
                    and _subject(c) is not None
                    and _finite(c)
                    and not self.quoted(c)
                    and _content_len(c.subtree) >= MIN_CLAUSE_TOKENS
                ):
                    out.append((c, "conj"))
        # coordinated clauses: conj verbs of the head (and of each other), each a claim
        stack = [first]
        while stack:
            h = stack.pop()
            for c in h.children:
                if (
                    (c.dep_ == "conj" or _run_on(c))
                    and c.pos_ in ("VERB", "AUX")
                    and _finite(c)
                    and not self.quoted(c)
                    and _content_len(c.subtree) >= MIN_CLAUSE_TOKENS - 1
                ):
                    out.append((c, "conj"))
                    stack.append(c)
        # non-restrictive relative clauses and appositions set off by a comma
        for tok in self.sent:
            if tok.dep_ not in ("relcl", "appos") or self.quoted(tok):
                continue
            sub = list(tok.subtree)
            if _content_len(sub) < MIN_CLAUSE_TOKENS:
                continue
            before = self.sent.doc[sub[0].i - 1] if sub[0].i > self.sent.start else None
            if before is None or before.text not in (",", "(", "–", "—"):
                continue
            if tok.dep_ == "appos" and not any(t.pos_ == "VERB" for t in sub):
                continue  # a bare descriptor ("the North Korean capital") states no news
            out.append((tok, tok.dep_))
        return out[:MAX_CLAUSES_PER_SENTENCE]


def split_sentence(sent: Span, index: int, regions: list[tuple[int, int]]) -> list[Clause]:
    """Clauses of one parsed sentence (one clause covering it when there is nothing to split)."""
    sp = _Splitter(sent, regions)
    whole = Sentence(sent.start_char, sent.end_char, sent.text)
    text = sent.text.strip()
    if not text:
        return []
    heads = sp.heads() if _content_len(sent) >= 2 * MIN_CLAUSE_TOKENS else []
    root = sent.root
    if len(heads) <= 1:
        return [_one(sent, whole, root, index)]
    head_set = {h.i for h, _ in heads}
    # each token belongs to the nearest claim head above it
    owner: dict[int, int] = {}
    for tok in sent:
        t = tok
        while t.i not in head_set and t.head.i != t.i:
            t = t.head
        owner[tok.i] = t.i if t.i in head_set else heads[0][0].i
    main_head = heads[0][0]
    subj_main = _subject(main_head)
    # the reporting frame ("X said") belongs to the attribution, and the commas around a
    # split-off relative clause or apposition to neither claim
    dropped: set[int] = set()
    if heads[0][1] == "reported":
        dropped |= {t.i for t in sent if owner[t.i] == main_head.i and not _within(t, main_head)}
    for head, kind in heads:
        if kind in ("relcl", "appos"):
            left, right = head.left_edge.i - 1, head.right_edge.i + 1
            for k in (left, right):
                if sent.start <= k < sent.end and sent.doc[k].text in (",", "(", ")", "–", "—"):
                    dropped.add(k)
    clauses: list[Clause] = []
    for head, kind in heads:
        toks = [t for t in sent if owner[t.i] == head.i and t.i not in dropped]
        while toks and (toks[0].dep_ == "mark" or toks[0].lower_ == "that"):
            toks = toks[1:]
        if kind in ("main", "reported", "conj"):
            # a clause's own words: drop the coordinator and the frame's punctuation at the edges
            while toks and (toks[0].dep_ in ("cc", "punct") or toks[0].is_space):
                toks = toks[1:]
            while toks and (toks[-1].dep_ in ("cc", "punct") or toks[-1].is_space):
                toks = toks[:-1]
        if _content_len(toks) < MIN_CLAUSE_TOKENS - 1:
            continue
        start = min(t.idx for t in toks)
        end = max(t.idx + len(t.text) for t in toks)
        subj = _subject(head)
        if kind in ("main", "reported", "conj"):
            toks = _core(toks, head)
        gist = _text_of(toks)
        subject_text: str | None
        if kind in ("relcl", "appos"):
            noun = head.head
            np_toks = [
                t for t in noun.subtree if t.i < head.left_edge.i and owner.get(t.i) != head.i
            ]
            np_text = _text_of([t for t in np_toks if t.dep_ != "punct" or t.i > noun.left_edge.i])
            if kind == "relcl":
                rel = next((t for t in toks if t.lower_ in _REL_PRONOUNS), None)
                words = [t for t in toks if t is not rel]
                gist = f"{np_text} {_text_of(words)}" if rel is not None else gist
            else:
                gist = f"{np_text} is {gist}"
            subject_text = np_text
        elif (
            kind == "conj"
            and subj_main is not None
            and (subj is None or (_pronoun(subj) and _agrees(subj, subj_main)))
            and len(list(subj_main.subtree)) <= MAX_BORROWED_SUBJECT
        ):
            subject_text = _text_of(list(subj_main.subtree))
            if subj is None:
                gist = f"{subject_text} {gist}"
            elif not _pronoun(subj_main):  # "it did not support it": "Beijing did not ..."
                gist = _text_of([t for t in toks if t.i < subj.i]) + f" {subject_text} "
                gist = (gist + _text_of([t for t in toks if t.i > subj.i])).strip()
        elif kind == "reported" and subj is not None and _pronoun(subj):
            # "China says it is ready": the reported clause's pronoun is the speaker
            frame_subj = _subject(root)
            subject_text = _text_of(list(frame_subj.subtree)) if frame_subj is not None else None
            if frame_subj is not None and not _pronoun(frame_subj) and _agrees(subj, frame_subj):
                before = _text_of([t for t in toks if t.i < subj.i])
                after = _text_of([t for t in toks if t.i > subj.i])
                gist = f"{before} {subject_text} {after}".strip()
        else:
            subject_text = _text_of(list(subj.subtree)) if subj is not None else None
        tense, modal = _tense_modal(head)
        clauses.append(
            Clause(
                start=start,
                end=end,
                sentence=index,
                kind=kind,
                predicate=head.lemma_.lower(),
                subject=subject_text,
                gist=gist,
                negated=_negated(head),
                tense=tense,
                modal=modal,
            )
        )
    if len(clauses) <= 1:
        return [_one(sent, whole, root, index)]
    return clauses


def _one(sent: Span, whole: Sentence, root: Token, index: int) -> Clause:
    # the sentence's own text, not ``sent.doc.text``: Doc.text joins every token of the
    # article, so reading it once per sentence made an article's cost quadratic (issue 18)
    text = sent.text
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    start, end = whole.start + lo, whole.start + hi
    head = root
    gist = _text_of(_core([t for t in sent if not t.is_space], root)) or text[lo:hi]
    if root.lemma_ in REPORTING_VERBS:
        comp = next((c for c in root.children if c.dep_ == "ccomp"), None)
        head = comp or root
        if comp is not None and _content_len(comp.subtree) >= MIN_CLAUSE_TOKENS:
            gist = _reported_gist(comp, root) or gist
    subj = _subject(head)
    tense, modal = _tense_modal(head)
    return Clause(
        start=start,
        end=end,
        sentence=index,
        kind="sentence",
        predicate=head.lemma_.lower(),
        subject=_text_of(list(subj.subtree)) if subj is not None else None,
        gist=gist,
        negated=_negated(head),
        tense=tense,
        modal=modal,
    )


def _reported_gist(comp: Token, frame: Token) -> str:
    """What a reporting verb reports, as compared across outlets: the content clause without
    the frame ("X said", "according to Y") and its quotation marks, a subject pronoun that
    stands for the speaker replaced by the speaker ("China says it is ready" -> "China is
    ready"). The claim still cites the whole sentence."""
    toks = [t for t in comp.subtree if t.text not in _QUOTE_CHARS]
    while toks and (toks[0].dep_ in ("mark", "punct") or toks[0].lower_ == "that"):
        toks = toks[1:]
    toks = _core(toks, comp)
    subj = _subject(comp)
    speaker = _subject(frame)
    if (
        subj is not None
        and speaker is not None
        and _pronoun(subj)
        and not _pronoun(speaker)
        and _agrees(subj, speaker)
    ):
        before = _text_of([t for t in toks if t.i < subj.i])
        after = _text_of([t for t in toks if t.i > subj.i])
        return f"{before} {_text_of(list(speaker.subtree))} {after}".strip()
    return _text_of(toks)


def split_clauses(doc: Doc) -> list[Clause]:
    """Every sentence of a parsed article split into clause-level claims, in text order."""
    pending = sorted(quote_regions(doc.text))
    nxt = 0
    active: list[tuple[int, int]] = []
    out: list[Clause] = []
    index = 0  # counts non-blank sentences, as :func:`newsprism.nlp.pipeline.sentences` does
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        # only the quotations that overlap this sentence (same answers as the whole list, but
        # a quote-heavy article no longer costs sentences x quotations)
        while nxt < len(pending) and pending[nxt][0] < sent.end_char:
            active.append(pending[nxt])
            nxt += 1
        active = [r for r in active if r[1] > sent.start_char]
        out.extend(split_sentence(sent, index, active))
        index += 1
    return out
