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

import bisect
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsprism.model import Clause, Sentence
from newsprism.nlp import list_marks
from newsprism.nlp.attributions_lexicon import AS_CLAUSE_VERBS, INVERSION_VERBS, ORG_NOUNS
from newsprism.nlp.entities import role_word
from newsprism.text import dateline_end

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
#: modals whose bare verb points ahead ("may reconvene on Tuesday", "must pay by Friday"); not
#: "could" and "would", which as often tell of the past ("could not attend Monday's hearing",
#: "said the vote would be held Monday", written after that Monday)
AHEAD_MODALS = frozenset({"may", "might", "should", "must", "can", "ought"})
#: verbs of a state, which a modal does not put ahead ("it must know Monday that ...": what
#: it must have known by then)
STATIVE_VERBS = frozenset(
    {"be", "have", "know", "seem", "appear", "feel", "believe", "think", "understand"}
    | {"mean", "want", "need", "remain", "like", "love", "hate", "realize", "recognize"}
)
#: a noun's modifiers that put it ahead: "Monday's upcoming trial"
_AHEAD_WORDS = frozenset({"upcoming", "coming", "forthcoming", "scheduled", "planned"})
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


def inside_quote(pos: int, regions: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies inside one of the :func:`quote_regions`."""
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
    if (
        head.lemma_ in _PLAN_WORDS
        and head.tag_ == "VBN"
        and any(a.lower_ in ("is", "are", "am", "'s", "'re") for a in auxes)
    ):  # "is scheduled to arrive", "are set for Friday", "an agreement is expected as early as
        # Thursday": a plan, not a past act
        return "future", head.lemma_
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


#: parts of speech of a word that cannot head a sentence's statement (the parser sometimes
#: makes a fronted preposition or adverb the root and the real verb its conjunct)
_ADJUNCT_POS = frozenset({"ADP", "ADV", "SCONJ", "CCONJ", "PART"})


def _verb_root(sent: Span) -> Token:
    """The verb that heads a sentence's statement: its root, or, where the parser made a
    fronted preposition or adverb the root ("After talks with X, first with Western leaders,
    and then with Putin in February, China put forward a plan": "with"), the first verb
    coordinated with it that has a subject of its own (the words before it are then adjuncts
    of that verb, not a clause of their own)."""
    root = sent.root
    if root.pos_ not in _ADJUNCT_POS:
        return root
    for c in root.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and _subject(c) is not None:
            return c
    return root


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


def _misparsed_comma(comma: Token, subj: Token | None) -> bool:
    """A comma the parser gave words of their own, all before the subject and outside any
    quotation: a fronted adjunct misparsed ("After talks ..., first with local leaders, and
    then ..., the council put forward ...": "with local leaders" hangs under the comma)."""
    if comma.text != "," or not (comma.n_lefts + comma.n_rights) or subj is None:
        return False
    if comma.right_edge.i >= subj.left_edge.i:
        return False
    return not any(t.is_quote for t in comma.doc[comma.sent.start : subj.left_edge.i])


def _core(toks: list[Token], head: Token) -> list[Token]:
    """The words that state a clause's proposition: fronted adjuncts, the punctuation after
    them and trailing punctuation dropped; a long subject naming a person shortened to the
    name ("President of X and leader of Y Xi Jinping" -> "Xi Jinping")."""
    keep = {t.i for t in toks}
    frames: set[int] = set()  # ", as can be seen from the text": how it is known, not what
    subj = _subject(head)
    limit = subj.left_edge.i if subj is not None else head.i
    for c in head.children:
        if c.i < limit and (c.dep_ in _ADJUNCTS or _misparsed_comma(c, subj)):
            span = range(c.left_edge.i, c.right_edge.i + 1)
            keep.difference_update(span)
            nxt = c.right_edge.i + 1
            if nxt < len(head.doc) and head.doc[nxt].text in (",", "–", "—", ":"):
                keep.discard(nxt)
        elif c.i > head.i and _as_frame(c):
            frames.update(range(c.left_edge.i, c.right_edge.i + 1))
            before = c.left_edge.i - 1
            if before >= 0 and head.doc[before].text == ",":
                frames.add(before)
    if subj is not None and subj.right_edge.i - subj.left_edge.i + 1 > LONG_SUBJECT:
        name_span = _name_span(subj)
        if name_span is not None:
            lo, hi = name_span
            keep.difference_update(range(subj.left_edge.i, subj.right_edge.i + 1))
            keep.update(range(lo, hi))
            after = subj.right_edge.i + 1  # the dash or comma that closed what was cut
            if after < len(head.doc) and head.doc[after].text in (",", "–", "—", "―"):
                keep.discard(after)
    out = _kept(head.doc, keep - frames) if frames else []
    if _content_len(out) < MIN_CLAUSE_TOKENS - 1:  # ("Patriot failed as predicted")
        out = _kept(head.doc, keep)
    return out if _content_len(out) >= MIN_CLAUSE_TOKENS - 1 else toks


def _kept(doc: Doc, keep: set[int]) -> list[Token]:
    """The tokens ``keep`` in order, without punctuation or a coordinator at the edges."""
    out = [t for t in doc[min(keep) : max(keep) + 1] if t.i in keep] if keep else []
    while out and (out[0].is_punct or out[0].is_space or out[0].dep_ == "cc"):
        out = out[1:]
    while out and (out[-1].is_punct or out[-1].is_space or out[-1].dep_ == "cc"):
        out = out[:-1]
    return out


def _name_span(subj: Token) -> tuple[int, int] | None:
    """The person's name that a subject is (token range): the name its head is part of, or
    the name that ends a subject headed by a title ("President of X and leader of Y Xi
    Jinping" -> "Xi Jinping"); never a name inside the modifiers of another noun ("groups
    targeted in advance of the Asian Games")."""
    end = subj.right_edge.i + 1
    titled = role_word(subj)
    for e in subj.doc.ents:
        if e.label_ == "PERSON" and (e.start <= subj.i < e.end or (titled and e.end == end)):
            return (e.start, e.end)
    span = _final_name(subj)
    if span is None:
        return None
    if span[0] <= subj.i < span[1]:
        return span
    # after a title only a name that no entity type marks as something else ("the head
    # prosecutor from the National Court" is not "National Court")
    words = subj.doc[span[0] : span[1]]
    return span if titled and all(t.ent_type_ in ("", "PERSON") for t in words) else None


def _speaker(subj: Token) -> str | None:
    """The words that stand for a subject when a pronoun is replaced by it: the whole subject
    when short, else the person's name it is; None when neither (a long subject is often a
    misparse: "Citing X's threats ..., Y and Z have said they ...")."""
    words = list(subj.subtree)
    if len(words) <= MAX_BORROWED_SUBJECT:
        return _text_of(words)
    span = _name_span(subj)
    return _text_of(list(subj.doc[span[0] : span[1]])) if span is not None else None


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


def _complementizer(tok: Token) -> bool:
    """A word that only introduces a clause ("said that ...", "because"), not the demonstrative
    "that" the clause is about ("I think that is why ...")."""
    return tok.dep_ == "mark" or (tok.lower_ == "that" and tok.dep_ not in _NOMINAL_DEPS)


_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "det", "dative"})


def _after_coordinator(verb: Token) -> bool:
    """Whether a verb without a subject of its own follows "and"/"but"/a comma, as a second
    verb of the same subject does ("inspected the tunnel and promised new pumps"); a verb
    right after a noun has that noun for its subject, whatever the parse says ("showed the
    mayor and his companies lost 9 million": not "the Post lost 9 million")."""
    k = verb.left_edge.i - 1
    if k < 0:
        return False
    prev = verb.doc[k]
    return prev.dep_ in ("cc", "punct") or prev.is_punct or prev.is_space


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
    person (a PERSON mention, or a common noun that names a person's function: "the
    spokesman said he ..."), "it" for a singular named non-person or an organisation noun
    ("the ministry said it ...", never "a retired teacher said it was the worst flood"),
    "they" for a plural or a group."""
    person = antecedent.ent_type_ == "PERSON" or (
        not antecedent.ent_type_ and role_word(antecedent)
    )
    plural = "Plur" in antecedent.morph.get("Number", []) or antecedent.ent_type_ == "NORP"
    word = pronoun.lower_
    if word in ("he", "she"):
        return person and not plural
    if word == "it":
        if person or plural:
            return False
        if antecedent.ent_type_ or antecedent.pos_ == "PROPN":
            return True
        return antecedent.lemma_.lower() in ORG_NOUNS
    return plural


def _named(tok: Token) -> bool:
    """Whether a noun names someone or something: a proper noun or a named entity's word
    (not a number, amount or date)."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in _NAMED_TYPES


#: nouns that, set in apposition after a clause, sum the clause up rather than describe the
#: noun before them ("moved soldiers into Phnom Penh, a contention that remains unproved")
_CLAUSE_NOUNS = frozenset(
    [
        "accusation",
        "allegation",
        "assertion",
        "charge",
        "claim",
        "contention",
        "decision",
        "development",
        "figure",
        "increase",
        "jump",
        "measure",
        "move",
        "rise",
        "drop",
        "fall",
        "sign",
        "step",
    ]
)

_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT"})


def _replace_subject(toks: list[Token], subj: Token, words: str) -> str:
    """The clause's words with its subject pronoun replaced by ``words`` ("she's thrilled" ->
    "Hillary Clinton's thrilled", the contraction kept on its word)."""
    before = _text_of([t for t in toks if t.i < subj.i])
    after = _text_of([t for t in toks if t.i > subj.i])
    glue = "" if subj.whitespace_ == "" and after[:1] in ("'", "’") else " "
    return f"{before} {words}{glue}{after}".strip()


def _text_of(tokens: list[Token]) -> str:
    parts: list[str] = []
    for k, t in enumerate(tokens):
        parts.append(t.text)
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if nxt is not None and (t.whitespace_ or nxt.i != t.i + 1):
            parts.append(" ")
    out = "".join(parts).strip()
    return out.strip(" ,;:–—-").strip()


def _asserted(clause: Token, verb: Token) -> bool:
    """Whether the verb a clause hangs on asserts it: not a denial ("denied that troops had
    crossed"), not negated ("did not say that ..."), not an open question ("isn't saying
    if ...", "asked whether ...")."""
    if verb.lemma_ in _DENIAL_VERBS or _negated(verb):
        return False
    if any(c.dep_ == "dobj" and c.lemma_.lower() in _DOUBT_NOUNS for c in verb.children):
        return False  # "expressed doubt that the complex would be completed on time"
    return not any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in clause.children)


#: verbs whose clause states what someone says is not so, or doubts
_DENIAL_VERBS = frozenset(
    {"deny", "dispute", "reject", "dismiss", "refute", "contest", "doubt", "question"}
)
#: nouns that, as a verb's object, make its clause doubted ("expressed doubt that ...")
_DOUBT_NOUNS = frozenset({"doubt", "doubts", "denial", "skepticism", "scepticism", "disbelief"})


def _complement_of(clause: Token, verb: Token) -> bool:
    """Whether a clause is what a verb of saying or knowing takes ("warned (that) prices would
    rise", "fears the talks will fail"), or is introduced by "that"/"whether"/"if"."""
    return (
        verb.lemma_ in REPORTING_VERBS
        or verb.lemma_ in _COMPLEMENT_VERBS
        or any(c.dep_ == "mark" for c in clause.children)
    )


#: verbs besides the reporting ones whose object is a clause that states something
_COMPLEMENT_VERBS = frozenset(
    [
        "agree",
        "assume",
        "doubt",
        "ensure",
        "expect",
        "fear",
        "feel",
        "find",
        "hear",
        "hope",
        "indicate",
        "know",
        "learn",
        "mean",
        "prove",
        "realize",
        "realise",
        "see",
        "show",
        "understand",
        "worry",
    ]
)


def _set_apart(clause: Token, verb: Token) -> bool:
    """Whether a dash, semicolon, colon, comma or line break sets a clause off from the verb it
    hangs on ("China is neutral – Beijing refused ...", a headline above its first sentence),
    unlike the object of the verb misread as a clause ("Hun Sen rejected opposition parties
    demands for talks")."""
    doc = clause.doc
    if clause.i < verb.i:  # the separator follows the clause (or ends it)
        before, edge = clause.right_edge.i, (clause.right_edge.i, clause.right_edge.i + 1)
    else:  # it precedes the clause (or opens it)
        before, edge = clause.left_edge.i - 1, (clause.left_edge.i - 1, clause.left_edge.i)
    if 0 <= before < len(doc) and "\n" in doc[before].text_with_ws:
        return True
    return any(0 <= k < len(doc) and doc[k].text in _SEPARATORS for k in edge)


_SEPARATORS = frozenset({",", ";", ":", "–", "—", "-"})


class _Splitter:
    """Splits one sentence; collects the heads of claims and the tokens each excludes."""

    def __init__(self, sent: Span, regions: list[tuple[int, int]]) -> None:
        self.sent = sent
        self.regions = regions

    def quoted(self, tok: Token) -> bool:
        return inside_quote(tok.idx, self.regions)

    def heads(self, root: Token) -> list[tuple[Token, str]]:
        """The claims' heads, the first of them the main or reported clause; ``root`` is the
        sentence's verb (:func:`_verb_root`)."""
        first: Token = root
        kind = "main"
        frame = root
        while frame.lemma_ in REPORTING_VERBS:  # frames in frames: "X said Y said ..."
            comp = [c for c in frame.children if c.dep_ == "ccomp" and not self.quoted(c)]
            if len(comp) != 1 or _content_len(comp[0].subtree) < MIN_CLAUSE_TOKENS:
                break
            if not _asserted(comp[0], frame):
                break
            first, kind = comp[0], "reported"
            frame = first
        if kind == "main":
            # a verb of knowing or showing with a "that" clause frames it as a reporting verb
            # does: "Hun Sen implied Thursday that the opposition failed ..." is one claim, not
            # "Hun Sen implied Thursday" beside "the opposition failed ..."
            comp = [c for c in root.children if c.dep_ == "ccomp" and not self.quoted(c)]
            if (
                len(comp) == 1
                and comp[0].i > root.i
                and not _set_apart(comp[0], root)
                and _complement_of(comp[0], root)
                and _asserted(comp[0], root)
                and _content_len(comp[0].subtree) >= MIN_CLAUSE_TOKENS
            ):
                first, kind = comp[0], "reported"
        out = [(first, kind)]
        if kind == "main":
            # a clause set beside the root with its own subject ("X is neutral – Beijing
            # refused ...", "... ; the talks failed")
            for c in root.children:
                if (
                    c.dep_ in ("ccomp", "parataxis")
                    and (_set_apart(c, root) or (_complement_of(c, root) and _asserted(c, root)))
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
                    and (_subject(c) is not None or _after_coordinator(c))
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
            if tok.dep_ == "appos" and not (_named(tok) or _named(tok.head)):
                continue  # a list misread as one ("clad in uniforms, rubber boots and ...")
            if tok.dep_ == "appos" and tok.lemma_.lower() in _CLAUSE_NOUNS:
                continue  # "..., a contention that remains unproved" sums up the clause
            out.append((tok, tok.dep_))
        return out[:MAX_CLAUSES_PER_SENTENCE]


def split_sentence(sent: Span, index: int, regions: list[tuple[int, int]]) -> list[Clause]:
    """Clauses of one parsed sentence (one clause covering it when there is nothing to split)."""
    sp = _Splitter(sent, regions)
    whole = Sentence(sent.start_char, sent.end_char, sent.text)
    text = sent.text.strip()
    if not text:
        return []
    root = _verb_root(sent)
    heads = sp.heads(root) if _content_len(sent) >= 2 * MIN_CLAUSE_TOKENS else []
    if not heads or (
        len(heads) == 1 and not any(t.pos_ == "ADP" and _coordinator_before(t) for t in sent)
    ):
        return [_one(sent, whole, root, index)]
    head_set = {h.i for h, _ in heads}
    # each token belongs to the nearest claim head above it
    owner: dict[int, int] = {}
    for tok in sent:
        t = tok
        while t.i not in head_set and t.head.i != t.i:
            t = t.head
        owner[tok.i] = t.i if t.i in head_set else heads[0][0].i
    _reattach_elided(sent, head_set, owner)
    # "called for corridors, but also for an end to sanctions": each complement a claim
    complements = _coordinated_complements(sent, heads, owner, sp)
    for p2, _parent, _p1 in complements:
        heads.append((p2, "comp"))
        head_set.add(p2.i)
        for t in p2.subtree:
            if owner.get(t.i) == _parent.i:
                owner[t.i] = p2.i
    parent_of = {p2.i: (parent, p1) for p2, parent, p1 in complements}
    if len(heads) <= 1:
        return [_one(sent, whole, root, index)]
    main_head = heads[0][0]
    subj_main = _subject(main_head)
    # the reporting frame ("X said") belongs to the attribution, and the commas around a
    # split-off relative clause or apposition to neither claim
    dropped: set[int] = set()
    if heads[0][1] == "reported":
        misread = misread_subject(main_head)
        subject = {t.i for t in misread.subtree} if misread is not None else set()
        dropped |= {
            t.i
            for t in sent
            if owner[t.i] == main_head.i and not _within(t, main_head) and t.i not in subject
        }
    for head, kind in heads:
        if kind in ("relcl", "appos"):
            left, right = head.left_edge.i - 1, head.right_edge.i + 1
            for k in (left, right):
                if sent.start <= k < sent.end and sent.doc[k].text in (",", "(", ")", "–", "—"):
                    dropped.add(k)
        elif kind == "comp":
            dropped.update(_coordinator_before(head))
            p1 = parent_of[head.i][1]
            if p1.i > 0 and sent.doc[p1.i - 1].lower_ in ("both", "either", "neither"):
                dropped.add(p1.i - 1)  # "resigned both as a member and as president"
    clauses: list[Clause] = []
    gists: dict[int, tuple[str, list[Token]]] = {}  # a head's gist and its words
    for head, kind in heads:
        toks = [t for t in sent if owner[t.i] == head.i and t.i not in dropped]
        while toks and _complementizer(toks[0]):
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
            if head.i == root.i != sent.root.i:  # words before a misparsed root's verb
                toks = [t for t in toks if _within(t, head)] or toks  # are its adjuncts
            toks = _core(toks, head)
        gist = _text_of(toks)
        subject_text: str | None
        if kind == "comp":
            # the governing claim's words up to its own complement, then this one's:
            # "he called for corridors" -> "he called for an end to sanctions"
            parent, p1 = parent_of[head.i]
            parent_gist, parent_toks = gists.get(parent.i, ("", []))
            frame = _text_of([t for t in parent_toks if t.i < p1.i])
            at = parent_gist.find(frame) if frame else -1
            lead = parent_gist[: at + len(frame)] if at >= 0 else frame
            gist = f"{lead} {gist}".strip()
            subject_text = None
        elif kind in ("relcl", "appos"):
            noun = head.head
            np_toks = [
                t for t in noun.subtree if t.i < head.left_edge.i and owner.get(t.i) != head.i
            ]
            np_text = _text_of([t for t in np_toks if t.dep_ != "punct" or t.i > noun.left_edge.i])
            if kind == "relcl":
                rel = next((t for t in toks if t.lower_ in _REL_PRONOUNS), None)
                words = _text_of([t for t in toks if t is not rel])
                if rel is None:
                    pass
                elif rel.lower_ in ("when", "where"):  # "since May, when they left" -> in May
                    gist = f"{words} in {np_text}"
                elif rel.lower_ == "whose":  # "Lind, whose party won" -> Lind's party won
                    gist = f"{np_text}'s {words}"
                elif rel.dep_ == "dobj" and rel.head.i == head.i:
                    # "media interviews, which she was doing when ..." -> she was doing media
                    # interviews when ...: the noun where the pronoun stood for it, after its verb
                    words_before = _text_of([t for t in toks if t.i <= head.i and t.i != rel.i])
                    words_after = _text_of([t for t in toks if t.i > head.i])
                    gist = f"{words_before} {np_text} {words_after}".strip()
                elif rel.dep_ == "pobj" and rel.head.dep_ == "prep":
                    # "the show, in which chefs were given tasks" -> chefs were ... in the show
                    prep = rel.head
                    skip = {rel.i, prep.i}
                    words = _text_of([t for t in toks if t.i not in skip])
                    gist = f"{words} {prep.text} {np_text}"
                else:
                    gist = f"{np_text} {words}"
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
                gist = _replace_subject(toks, subj, subject_text)
        elif kind == "reported" and subj is not None and _pronoun(subj):
            # "China says it is ready": the reported clause's pronoun is the speaker
            frame_subj = _subject(head.head)  # the verb that reports this clause
            subject_text = _text_of(list(frame_subj.subtree)) if frame_subj is not None else None
            speaker = _speaker(frame_subj) if frame_subj is not None else None
            if (
                frame_subj is not None
                and speaker
                and not _pronoun(frame_subj)
                and _agrees(subj, frame_subj)
                and not _direct_speech(head, head.head, frame_subj)
            ):
                gist = _replace_subject(toks, subj, speaker)
        else:
            subject_text = _text_of(list(subj.subtree)) if subj is not None else None
        if any(parent.i == head.i for parent, _ in parent_of.values()):
            gist = _GAP_BEFORE_MARK.sub(r"\1", gist)  # "sanctions , as" where "and for ..." was
        gists[head.i] = (gist, toks)
        verb = parent_of[head.i][0] if kind == "comp" else head
        tense, modal = _tense_modal(verb)
        clauses.append(
            Clause(
                start=start,
                end=end,
                sentence=index,
                kind="conj" if kind == "comp" else kind,
                predicate=verb.lemma_.lower(),
                subject=subject_text,
                gist=_undated(gist, sent) if clauses == [] else gist,
                negated=_negated(verb),
                tense=tense,
                modal=modal,
            )
        )
    if len(clauses) <= 1:
        return [_one(sent, whole, root, index)]
    return clauses


_GAP_BEFORE_MARK = re.compile(r" ([,;:])")
#: words before a first complement that make the second its contrast or its addition
_NOT_THIS_BUT = frozenset({"not", "n't", "only", "just", "merely", "solely", "never"})
#: verbs of an "as" clause that tells how a claim is known ("as can be seen", "as reported")
_AS_FRAME_VERBS = AS_CLAUSE_VERBS | frozenset({"see", "expect", "know", "show"})


def as_marked(verb: Token) -> bool:
    """Whether ``verb`` heads an "as" clause ("as can be seen", "as Reuters reported")."""
    return any(m.dep_ == "mark" and m.lower_ == "as" and m.i < verb.i for m in verb.children)


def _as_frame(c: Token) -> bool:
    """Whether ``c`` is an "as" clause after its claim that frames it: "..., as can be seen
    from the text", "..., as the ministry reported" (no object or clause of its own)."""
    return (
        c.dep_ == "advcl"
        and c.lemma_.lower() in _AS_FRAME_VERBS
        and as_marked(c)
        and not any(m.dep_ in ("dobj", "ccomp", "xcomp", "nsubjpass") for m in c.children)
    )  # ("as these crimes are mentioned in the code": a reason, with a subject of its own)


def _coordinator_before(prep: Token) -> list[int]:
    """The coordinator right before ``prep`` with what goes with it (", but also", "and"):
    token indices, empty when none."""
    doc = prep.doc
    k = prep.i - 1
    out: list[int] = []
    if k >= 0 and doc[k].dep_ == "advmod" and doc[k].lower_ in ("also", "even"):
        out.append(k)
        k -= 1
    if k < 0 or doc[k].dep_ != "cc" or doc[k].lower_ not in ("and", "but", "or"):
        return []
    out.append(k)
    if k - 1 >= 0 and doc[k - 1].text == ",":
        out.append(k - 1)
    return out


def _coordinated_complements(
    sent: Span, heads: list[tuple[Token, str]], owner: dict[int, int], sp: _Splitter
) -> list[tuple[Token, Token, Token]]:
    """Prepositional complements of one claim coordinated with their preposition repeated
    ("called for corridors, but also for an end to sanctions", "contains a call for the
    lifting of sanctions and for a truce"): each says something of its own. Returns
    ``(second preposition, the claim's head, first preposition)`` for each; "for the lifting
    of sanctions and a truce" (one preposition) stays one claim."""
    out: list[tuple[Token, Token, Token]] = []
    room = MAX_CLAUSES_PER_SENTENCE - len(heads)
    for head, kind in heads:
        if kind not in ("main", "reported", "conj"):
            continue
        preps = [
            t
            for t in sent
            if t.pos_ == "ADP"
            and owner.get(t.i) == head.i
            and not sp.quoted(t)
            and any(c.dep_ == "pobj" for c in t.children)
        ]
        framing = {t.i for c in head.children if _as_frame(c) for t in c.subtree}
        for k, p2 in enumerate(preps):
            if not _coordinator_before(p2):
                continue
            p1 = next(
                (
                    p
                    for p in reversed(preps[:k])
                    if p.lower_ == p2.lower_
                    and (p.head.i == head.i or (p.head.head.i == head.i and p.head.dep_ == "dobj"))
                    and (
                        p2.head.i == head.i
                        or _first_conjunct(p2).i == p.i
                        or _first_conjunct(p2).head.i == p.head.i  # "as A, as B and as C"
                        or owner.get(p2.head.i) != head.i
                    )
                    and ((p2.dep_ == "conj" and p2.head.i == p.i) or p2.i not in _subtree_ids(p))
                ),
                None,
            )
            if p1 is None or len(out) >= room:
                continue
            doc = p1.doc
            # the first of a list ("as A, as B and as C"): items a comma apart, not "in
            # Paris in May and in June"
            items = [q for q in preps if q.lower_ == p1.lower_ and q.head.i == p1.head.i]
            for q in reversed(items[: items.index(p1)]):
                if [t.text for t in doc[q.right_edge.i + 1 : p1.i]] != [","]:
                    break
                p1 = q
            if any(t.lower_ in _NOT_THIS_BUT for t in doc[max(0, p1.i - 2) : p1.i]):
                continue  # "not by bailouts but by investment", "not only to X but to Y"
            inner = _subtree_ids(p2) | set(_coordinator_before(p2))
            first = [t for t in p1.subtree if t.i not in inner and t.i != p1.i]
            second = [t for t in p2.subtree if t.i != p2.i]
            if _content_len(first) < 2 or _content_len(second) < 2:
                continue  # "in print or in the form of ...": too little to be a claim
            if any(
                owner.get(t.i) == head.i and not (t.is_punct or t.is_space) and t.i not in framing
                for t in doc[p2.right_edge.i + 1 : sent.end]
            ):
                # "served as dean and as president from 2002 to 2003": whose years? Words
                # after the last complement may tell of either, so the claim stays whole
                continue
            out.append((p2, head, p1))
    return out


def _first_conjunct(tok: Token) -> Token:
    """The first of the conjuncts ``tok`` belongs to ("as C" in "as A, as B and as C": "as A")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _subtree_ids(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _reattach_elided(sent: Span, head_set: set[int], owner: dict[int, int]) -> None:
    """A phrase right after a coordinator belongs to the verb the coordinator joins, where the
    verb is left out: "urged restraint, called for corridors, but also for an end to
    sanctions" calls for the end of sanctions, although the parser hangs "for an end ..." on
    "urged". ``owner`` (token index -> claim head) is corrected in place."""
    doc = sent.doc
    for prep in sent:
        if prep.dep_ != "prep" or prep.head.i not in head_set:
            continue
        k = prep.i - 1
        if k > sent.start and doc[k].dep_ == "advmod" and doc[k].head.dep_ == "cc":
            k -= 1  # "but also"
        cc = doc[k] if k >= sent.start else None
        if cc is None or cc.dep_ != "cc" or not prep.head.i < cc.head.i < cc.i:
            continue  # only a phrase hung back across the coordinator on an earlier verb
        verb = cc.head
        if verb.i not in head_set or owner.get(cc.i) != verb.i:
            continue
        for t in prep.subtree:
            if owner.get(t.i) == prep.head.i:
                owner[t.i] = verb.i


def misread_subject(comp: Token) -> Token | None:
    """The subject of the clause ``comp`` (a verb's clausal complement) where the parser hung
    it on that verb instead, as its object or a second subject ("said the launching of the
    module, ..., was a vindication"), else None."""
    frame = comp.head
    if any(c.dep_ in _SUBJ for c in comp.children):
        return None
    noun = next(
        (c for c in frame.children if c.dep_ in ("dobj", "nsubj") and frame.i < c.i < comp.i),
        None,
    )
    if noun is None or any(t.text in (":", ";") for t in comp.doc[noun.i : comp.i]):
        return None  # "described a way: draw on ...": the object announces the clause
    return noun


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
    # (``root`` is the sentence's verb, :func:`_verb_root`: what a misparsed fronted root
    # holds is an adjunct of that verb, left out of the gist as fronted adjuncts are)
    words = [t for t in sent if not t.is_space and (root.i == sent.root.i or _within(t, root))]
    gist = _text_of(_core(words, root)) or text[lo:hi]
    frame = root
    while frame.lemma_ in REPORTING_VERBS:  # frames in frames: "X said Y said ..."
        comp = next((c for c in frame.children if c.dep_ == "ccomp"), None)
        if comp is not None and not _asserted(comp, frame):
            break  # "X denied that A", "X is not saying whether A": A is not the claim
        if comp is not None and frame.i == root.i:
            head = comp  # what the sentence's frame reports, however short
        if comp is None or _content_len(comp.subtree) < MIN_CLAUSE_TOKENS:
            break
        head = comp
        gist = _reported_gist(comp, frame) or gist
        frame = comp
    subj = _subject(head)
    tense, modal = _tense_modal(head)
    return Clause(
        start=start,
        end=end,
        sentence=index,
        kind="sentence",
        predicate=head.lemma_.lower(),
        subject=_text_of(list(subj.subtree)) if subj is not None else None,
        gist=_undated(gist, sent),
        negated=_negated(head),
        tense=tense,
        modal=modal,
    )


def _undated(gist: str, sent: Span) -> str:
    """A gist without the dateline its paragraph opens with ("WASHINGTON ― The plan ..."):
    the place of filing is no part of what the sentence states."""
    if sent.start > 0:  # (not ``doc.text``: it joins the whole article on every call)
        prev = sent.doc[sent.start - 1]
        if "\n" not in prev.text + prev.whitespace_:
            return gist
    cut = dateline_end(gist, strict=True)
    return gist[cut:] if cut and gist[cut:].strip() else gist


def _reported_gist(comp: Token, frame: Token) -> str:
    """What a reporting verb reports, as compared across outlets: the content clause without
    the frame ("X said", "according to Y") and its quotation marks, a subject pronoun that
    stands for the speaker replaced by the speaker ("China says it is ready" -> "China is
    ready"). The claim still cites the whole sentence."""
    toks = [t for t in comp.subtree if t.text not in _QUOTE_CHARS]
    while toks and (toks[0].dep_ == "punct" or _complementizer(toks[0])):
        toks = toks[1:]
    toks = _core(toks, comp)
    subj = _subject(comp)
    speaker = _subject(frame)
    words = _speaker(speaker) if speaker is not None else None
    if (
        subj is not None
        and speaker is not None
        and words
        and _pronoun(subj)
        and not _pronoun(speaker)
        and _agrees(subj, speaker)
        and not _direct_speech(comp, frame, speaker)
    ):
        return _replace_subject(toks, subj, words)
    return _text_of(toks)


def _direct_speech(comp: Token, frame: Token, speaker: Token) -> bool:
    """Whether a clause is the speaker's own words: in quotation marks, or before a frame
    whose subject follows its verb ("..., said Mark Worthington"), as a quotation is set even
    where the marks were lost. A speaker says "I" of themselves there, so "he", "she", "it"
    or "they" is someone else ("“He will not resign,” said Anna Berg")."""
    doc = comp.doc
    lo, hi = max(comp.left_edge.i - 1, 0), min(comp.right_edge.i + 2, len(doc))
    if any(doc[k].text in _QUOTE_CHARS or doc[k].text in ("``", "`", "''") for k in range(lo, hi)):
        return True
    return comp.i < frame.i < speaker.i


def split_clauses(doc: Doc) -> list[Clause]:
    """Every sentence of a parsed article split into clause-level claims, in text order."""
    pending = sorted(quote_regions(doc.text))
    nxt = 0
    active: list[tuple[int, int]] = []
    out: list[Clause] = []
    index = 0  # counts non-blank sentences, as :func:`newsprism.nlp.pipeline.sentences` does
    for sent in doc.sents:
        if not sent.text.strip() or list_marks.is_list_mark(sent.text):
            continue  # (as :func:`newsprism.nlp.pipeline.sentences` skips them)
        # only the quotations that overlap this sentence (same answers as the whole list, but
        # a quote-heavy article no longer costs sentences x quotations)
        while nxt < len(pending) and pending[nxt][0] < sent.end_char:
            active.append(pending[nxt])
            nxt += 1
        active = [r for r in active if r[1] > sent.start_char]
        out.extend(split_sentence(sent, index, active))
        index += 1
    return out


def _participle_between(verb: Token, date: Token) -> bool:
    """Whether a participle that modifies a noun stands between a verb and a date the parser
    hung on that verb, with the date right after the participle's phrase: the date may as
    well be the participle's ("... less than the 13 given Xu on Monday": when the 13 years
    were given, not when he "expects to be jailed"), so the parse tells no tense."""
    if date.i <= verb.i:
        return False
    lo = date.left_edge.i if date.left_edge.i < date.i else date.i
    while lo > 0 and date.doc[lo - 1].dep_ == "prep" and date.doc[lo - 1].head.i == verb.i:
        lo -= 1  # the preposition of "on Monday", hung on the verb too
    for t in date.doc[verb.i + 1 : lo]:
        if t.tag_ == "VBN" and t.dep_ in ("acl", "amod", "relcl") and t.right_edge.i == lo - 1:
            return True
    return False


def governing_tenses(doc: Doc, spans: Iterable[tuple[int, int]]) -> dict[int, str]:
    """Start offset -> tense ("past" | "present" | "future") of the verb each span (a date
    mention) hangs from in the parse, through prepositions and adverbs only: in "“We will
    act,” the chief said Monday" Monday is said's (past), not the quotation's (future). A
    span under a noun ("Monday's attack"), under a bare participle, or with no verb above it
    is left out; "unknown" (the date keeps the value its own words gave it, the clause's
    tense is not read either) under a past participle that modifies a noun ("a letter dated
    Tuesday") and where the date may as well be such a participle's that stands between
    (:func:`_participle_between`)."""
    out: dict[int, str] = {}
    if not len(doc):
        return out
    starts = [t.idx for t in doc]
    for start, end in spans:
        k = bisect.bisect_right(starts, start) - 1
        if k < 0:
            continue
        tok = doc[k]
        while tok.i + 1 < len(doc) and doc[tok.i + 1].idx < end and tok.head.i == tok.i + 1:
            tok = doc[tok.i + 1]  # the span's own head word ("on Monday" -> Monday)
        if tok.pos_ in ("VERB", "AUX"):
            continue  # (a date read as a verb by the parser: no governor to trust)
        node = tok.head
        for _ in range(4):  # up through prepositions and adverbs only ("on", "early")
            if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("aux", "auxpass"):
                if _participle_between(node, tok):
                    out[start] = "unknown"  # "expects to be jailed ... the 13 given Xu on
                    break  # Monday": no tense to read, not even the clause's
                if _finite(node):  # (a bare participle, "followed by Friday", tells no tense)
                    tense, modal = _tense_modal(node)
                    if (
                        tense == "present"
                        and node.tag_ in ("VBZ", "VBP")
                        and not any(c.dep_ in ("aux", "auxpass") for c in node.children)
                        and node.lemma_ not in REPORTING_VERBS
                    ):
                        tense = "future"  # a schedule: "the series starts Sunday"
                    elif (
                        tense == "present"
                        and modal in AHEAD_MODALS
                        and node.tag_ == "VB"
                        and node.lemma_ not in STATIVE_VERBS
                    ):
                        tense = "future"  # "may reconvene on Tuesday"
                    out[start] = tense
                elif node.tag_ == "VBN" and node.dep_ in ("acl", "amod"):
                    out[start] = "unknown"  # "the plan approved by the board on Monday"
                break
            if node.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ == "amod" and c.lower_ in _AHEAD_WORDS for c in node.children
            ):
                out[start] = "future"  # "Monday's upcoming trial"
                break
            if node.pos_ not in ("ADP", "ADV") or node.head.i == node.i:
                break  # a noun ("Monday's attack"), a clause word, or the root: no verb
            node = node.head
    return out
