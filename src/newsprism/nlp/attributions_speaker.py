"""Speaker resolution for attributions: a source span -> the person or organisation it names.

* a named source gives the in-article full name ("Peskov" -> "Dmitry Peskov");
* a name inside a role phrase gives the person ("Kremlin spokesman Dmitry Peskov");
* a pronoun ("he", "she", "it", "they", "who") gives the nearest compatible antecedent: the
  previous attribution's speaker, else a subject of the previous sentences, with gender
  (titles, earlier pronouns), number and person-vs-organisation agreement;
* a description ("the spokesman", "the ministry") gives the entity whose role or earlier
  source phrase contains its noun, else the description itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsprism.nlp.attributions_lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_NAMES,
    FEMALE_TITLES,
    FIRST_SECOND,
    KIN_NOUNS,
    MALE_NAMES,
    MALE_TITLES,
    NEUTER_PRONOUNS,
    ORG_NOUNS,
    PERSON_PRONOUNS,
    PERSON_ROLE_NOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    ROLE_SYNONYMS,
)
from newsprism.nlp.canonical import token_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from newsprism.model import EntityMention
    from newsprism.nlp.attributions import Draft

_PERSON = "PER"
_ORG = "ORG"
_ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
_LOOKBACK_SENTS = 6
_PEOPLE = frozenset(
    [
        "source",
        "aide",
        "official",
        "person",
        "man",
        "woman",
        "voter",
        "critic",
        "supporter",
        "expert",
        "analyst",
        "economist",
        "historian",
        "professor",
        "lawyer",
        "attorney",
        "doctor",
        "friend",
        "mother",
        "father",
        "wife",
        "husband",
        "son",
        "daughter",
        "resident",
        "worker",
        "activist",
        "organizer",
        "strategist",
        "adviser",
        "advisor",
        "host",
        "anchor",
        "reporter",
    ]
)


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    name: str
    kind: str  # PER | ORG
    sent: int
    role: str = ""
    subject: bool = False
    speaker: bool = False  # the resolved speaker of an earlier attribution
    plural: bool = False
    reported: bool = False  # inside somebody's reported content
    place: bool = False  # a country or city: never "he"/"she"


def name_gender(name: str, before: str = "") -> str:
    """'m', 'f' or '' for a person's name, from a title just before it ("Mr.", "Mrs.") or
    a given name with a clear gender ("Hillary Clinton", "H. Amanda Robb")."""
    words = before.lower().split()
    if words and words[-1] in MALE_TITLES:
        return "m"
    if words and words[-1] in FEMALE_TITLES:
        return "f"
    given = [w.lower() for w in name.split()[:-1] or name.split()[:1]]
    given = [w for w in given if len(w.rstrip(".")) > 1][:1]  # skip initials: "H. Amanda"
    if given and given[0] in MALE_NAMES:
        return "m"
    if given and given[0] in FEMALE_NAMES:
        return "f"
    return ""


def _first_key(name: str) -> str:
    words = name.split()
    return token_key(words[0]) if len(words) >= 2 else ""


def _clean_name(name: str) -> str:
    # (a source span can open on the closing quotation mark of the paragraph before:
    # '"\n\nSchiff, 56, ...')
    name = name.strip().lstrip("\"'“”‘’«»").strip()
    for suf in ("'s", "’s", "'", "’"):
        if name.endswith(suf):
            name = name[: -len(suf)]
    return name.strip(" ,.;:")


class _Context:
    """Per-document state: mentions in order, sentence index, genders learnt so far."""

    def __init__(self, doc: Doc, text: str, entities: list[EntityMention] | None) -> None:
        self.doc = doc
        self.text = text
        self.sent_starts = [s.start_char for s in doc.sents]
        self.mentions: list[Mention] = []
        self.ents = list(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.gender: dict[str, str] = {}
        if entities:
            for e in entities:
                kind = _PERSON if e.label == "PERSON" else _ORG if e.label in _ORG_LABELS else ""
                if kind:
                    self.mentions.append(
                        Mention(
                            e.start,
                            e.end,
                            _clean_name(e.name),
                            kind,
                            self.sent_of(e.start),
                            e.role or "",
                        )
                    )
        else:
            self._from_doc_ents()
        self.mentions.sort(key=lambda m: m.start)
        self.person_names = {m.name for m in self.mentions if m.kind == _PERSON}
        self.surnames = self._surnames()
        self._mark_subjects_and_genders()

    def mark_reported(self, ranges: list[tuple[int, int]]) -> None:
        """Flag mentions inside reported content: poor antecedents for the next pronoun."""
        starts = [a for a, _ in ranges]
        reach: list[int] = []  # reach[k]: the furthest end among ranges[:k + 1]
        for _, hi in ranges:
            reach.append(max(hi, reach[-1]) if reach else hi)
        for m in self.mentions:
            k = bisect.bisect_right(starts, m.start) - 1
            m.reported = k >= 0 and reach[k] > m.start

    def ent_at(self, i: int) -> SpacySpan | None:
        k = bisect.bisect_right(self._ent_starts, i) - 1
        if k >= 0 and self.ents[k].start <= i < self.ents[k].end:
            return self.ents[k]
        return None

    def span_of(self, tok: Token) -> tuple[int, int]:
        """Character range of the entity ``tok`` is a word of, else of ``tok`` alone."""
        ent = self.ent_at(tok.i)
        if ent is not None:
            return ent.start_char, ent.end_char
        return tok.idx, tok.idx + len(tok.text)

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def _surnames(self) -> dict[str, str]:
        """Last word -> full name, from multi-word names (persons first; NER often mislabels).
        A surname two different people of the article share ("Bill Clinton", "Hillary
        Clinton") stands for neither: the entity resolution, which weighs how often each is
        named, has already chosen where it could."""
        out: dict[str, str] = {}
        shared: set[str] = set()

        def add(last: str, name: str, persons: bool) -> None:
            if last in out and persons and _first_key(out[last]) != _first_key(name):
                shared.add(last)  # (not a spelling variant: "Dmitry" / "Dmitri Peskov")
            out.setdefault(last, name)

        for ent in sorted(self.ents, key=lambda e: e.label_ != "PERSON"):
            toks = [t for t in ent if t.pos_ == "PROPN"]
            if len(toks) >= 2 and len(toks) == len(ent) and len(ent) <= 4:
                add(
                    _clean_name(toks[-1].text).lower(),
                    _clean_name(ent.text),
                    ent.label_ == "PERSON",
                )
        for m in self.mentions:
            words = m.name.split()
            if m.kind == _PERSON and len(words) >= 2:
                add(words[-1].lower(), m.name, True)
        return {k: v for k, v in out.items() if k not in shared}

    def _from_doc_ents(self) -> None:
        full: dict[str, str] = {}
        for ent in self.ents:
            if ent.label_ == "PERSON":
                name = _clean_name(ent.text)
                toks = name.split()
                if len(toks) >= 2:
                    full[toks[-1].lower()] = name
                    full.setdefault(toks[0].lower(), name)
                    resolved = name
                else:
                    resolved = full.get(name.lower(), name)
                role = _role_words(ent.root)
                self.mentions.append(
                    Mention(
                        ent.start_char,
                        ent.end_char,
                        resolved,
                        _PERSON,
                        self.sent_of(ent.start_char),
                        role,
                    )
                )
            elif ent.label_ in _ORG_LABELS:
                self.mentions.append(
                    Mention(
                        ent.start_char,
                        ent.end_char,
                        _clean_name(ent.text),
                        _ORG,
                        self.sent_of(ent.start_char),
                        plural=ent.label_ == "NORP",
                    )
                )

    def _mark_subjects_and_genders(self) -> None:
        doc = self.doc
        text = self.text
        for m in self.mentions:
            tok = _token_at(doc, m.start)
            if tok is None:
                continue
            root = tok
            while root.head.i != root.i and root.head.idx >= m.start and root.head.idx < m.end:
                root = root.head
            m.subject = root.dep_ in ("nsubj", "nsubjpass")
            if m.kind == _PERSON:
                gender = name_gender(m.name, text[max(0, m.start - 6) : m.start])
                if gender:
                    self.gender.setdefault(m.name, gender)

    def full_name(self, start: int, end: int, fallback: str) -> tuple[str, str]:
        """Name and kind of the mention that overlaps ``[start, end)`` (prefer persons)."""
        best: Mention | None = None
        k = bisect.bisect_left(self.mentions, end, key=lambda x: x.start)
        for m in self.mentions[max(0, k - 12) : k]:
            if m.end > start and (best is None or (m.kind == _PERSON and best.kind != _PERSON)):
                best = m
        if best is None:
            return _clean_name(fallback), ""
        return best.name, best.kind


def _role_words(root: Token) -> str:
    """Role words around a person's name: compounds/appositions ("Kremlin spokesman")."""
    words = [
        t.text
        for t in root.lefts
        if t.dep_ in ("compound", "amod", "nmod") and t.ent_type_ != "PERSON"
    ]
    head = root.head
    if root.dep_ == "appos" or (
        head.i != root.i and head.dep_ != "ROOT" and root.dep_ in ("compound",)
    ):
        words.append(head.text)
    for c in root.children:
        if c.dep_ == "appos":
            words.extend(t.text for t in c.subtree)
    return " ".join(words)


def _token_at(doc: Doc, pos: int) -> Token | None:
    span = doc.char_span(pos, pos + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def resolve_speakers(
    doc: Doc, text: str, drafts: list[Draft], entities: list[EntityMention] | None
) -> None:
    """Fill ``speaker`` (and ``via``) of each draft, in document order (``text`` is ``doc.text``)."""
    ctx = _Context(doc, text, entities)
    ctx.mark_reported(sorted(r for d in drafts for r in d.content))
    for d in drafts:
        if d.source is None:
            continue
        src_text = text[d.source[0] : d.source[1]]
        d.speaker = _resolve(ctx, d, src_text)
        via_span = d.notes.get("via_span")
        if isinstance(via_span, tuple):
            name, _ = ctx.full_name(via_span[0], via_span[1], text[via_span[0] : via_span[1]])
            d.via = _strip_det(name)
        if d.speaker:
            kind = _kind_of(ctx, d)
            plural = d.subject is not None and d.subject.tag_ in ("NNS", "NNPS")
            gender = _pronoun_gender(d.subject) or (
                "" if plural else _reported_pronoun_gender(doc, d)
            )
            if gender and d.speaker:
                ctx.gender.setdefault(d.speaker, gender)
            m = Mention(
                d.source[0], d.source[1], d.speaker, kind, ctx.sent_of(d.source[0]), plural=plural
            )
            m.speaker = True
            m.subject = True
            m.place = d.subject is not None and d.subject.ent_type_ in ("GPE", "LOC", "NORP")
            m.role = src_text
            bisect.insort(ctx.mentions, m, key=lambda x: x.start)


def _pronoun_gender(tok: Token | None) -> str:
    return PERSON_PRONOUNS.get(tok.lower_, "") if tok is not None else ""


def _reported_pronoun_gender(doc: Doc, d: Draft) -> str:
    """The gender a named or described speaker shows by reporting of themselves: "The
    reporter said he talked to ...", whose content opens with the subject "he" (an opening
    "that" passed over). Only for a speaker whose own words are not a pronoun."""
    if d.subject is None or d.subject.lower_ in PERSON_PRONOUNS or not d.content:
        return ""
    k = _token_at(doc, d.content[0][0])
    if k is not None and k.lower_ == "that" and k.i + 1 < len(doc):
        k = doc[k.i + 1]
    if k is None or k.dep_ != "nsubj" or k.lower_ not in ("he", "she"):
        return ""
    return PERSON_PRONOUNS[k.lower_]


def _kind_of(ctx: _Context, d: Draft) -> str:
    tok = d.subject
    if tok is None:
        return ""
    if tok.lower_ in PERSON_PRONOUNS:
        return _PERSON
    if tok.lower_ in NEUTER_PRONOUNS:
        return _ORG
    if tok.ent_type_ == "PERSON":
        return _PERSON
    if tok.ent_type_ in _ORG_LABELS or tok.lemma_.lower() in ORG_NOUNS:
        return _ORG
    if (
        tok.pos_ == "PROPN"
        or tok.lemma_.lower() in PERSON_ROLE_NOUNS
        or tok.lemma_.lower() in _PEOPLE
    ):
        return _PERSON
    if d.speaker in ctx.person_names:  # "His counterpart, Yuri Koptev, said"
        return _PERSON
    return ""  # "the ruling", "the videos": no antecedent for he/she


def _strip_det(s: str) -> str:
    low = s.lower()
    for det in ("the ", "a ", "an "):
        if low.startswith(det):
            return s[len(det) :]
    return s


def _resolve(ctx: _Context, d: Draft, src_text: str) -> str | None:
    tok = d.subject
    assert d.source is not None
    if tok is None:
        return _clean_name(src_text)
    low = tok.lower_
    if low in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        ante = tok.head.head
        return ctx.full_name(ante.idx, ante.idx + len(ante.text), _np_text(ante))[0]
    if low in PERSON_PRONOUNS:
        return _antecedent(ctx, d.source[0], {_PERSON}, PERSON_PRONOUNS[low])
    if low in NEUTER_PRONOUNS:
        return _antecedent(ctx, d.source[0], {_ORG}, "")
    if low in PLURAL_PRONOUNS:
        return _antecedent(ctx, d.source[0], {_ORG, _PERSON}, "", plural=True)
    if low in FIRST_SECOND or low in RELATIVE_PRONOUNS:
        return None
    a = d.source[0]
    # "the Kremlin's message", "Davis' commentary": the message speaks for whose it is
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    if tok.lemma_.lower() in DOCUMENT_NOUNS and poss is not None and poss.pos_ == "PROPN":
        lo, hi = ctx.span_of(poss)
        return ctx.full_name(lo, hi, _strip_det(ctx.text[lo:hi]))[0]
    # a named head: the entity it belongs to
    if tok.ent_type_ in ("PERSON", *_ORG_LABELS) or tok.pos_ == "PROPN":
        head_lo, head_hi = ctx.span_of(tok)
        name, kind = ctx.full_name(head_lo, head_hi, ctx.text[head_lo:head_hi])
        if " " not in name:
            name = ctx.surnames.get(name.lower(), name)
        if kind or tok.pos_ == "PROPN":
            return name if kind else _np_text(tok)
    # a person named inside the phrase by apposition ("the spokesman, Dmitry Peskov")
    for c in tok.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            if tok.lemma_.lower() in KIN_NOUNS and any(k.dep_ == "poss" for k in tok.children):
                # "Pinochet's son, Augusto": the son, not the Augusto Pinochet of the story
                return f"{_np_text(tok)} {c.text}"
            return ctx.full_name(c.idx, c.idx + len(c.text), c.text)[0]
    # a description: "the spokesman", "the ministry"
    det = next((c for c in tok.children if c.dep_ == "det"), None)
    has_poss = any(c.dep_ == "poss" for c in tok.children)
    if (
        det is not None
        and det.lower_ in ("the", "this", "that")
        and not has_poss
        and tok.tag_ == "NN"
    ):
        found = _by_role(ctx, a, tok.lemma_.lower(), tok.lower_, _telling_modifiers(tok))
        if found:
            return found
        if tok.lemma_.lower() in PERSON_ROLE_NOUNS:  # "the senator": a definite description
            found = _antecedent(ctx, a, {_PERSON}, "")
            if found:
                return found
    return (
        _clean_name(_strip_det(src_text))
        if det is not None and det.lower_ == "the"
        else _clean_name(src_text)
    )


def _np_text(tok: Token) -> str:
    lo = tok.left_edge.i
    for t in tok.lefts:
        if t.dep_ in ("det",):
            lo = t.i + 1
    return _clean_name(tok.doc[lo : tok.i + 1].text)


#: adjectives that do not tell one party, ministry or spokesman from another
_PLAIN_MODIFIERS = frozenset(
    {"main", "new", "former", "same", "other", "local", "official", "top", "senior", "chief"}
    | {"current", "recent", "whole", "entire", "own", "latest", "first", "second", "last"}
)


def _telling_modifiers(tok: Token) -> frozenset[str]:
    """The adjectives and common nouns before it that single out what a description names
    ("the royalist party", "the prime minister"): each must be found in the name or role of
    the mention it stands for. A nationality ("the Chinese ministry") is left to the name."""
    return frozenset(
        c.lower_
        for c in tok.children
        if (c.dep_, c.tag_) in (("amod", "JJ"), ("compound", "NN"))
        and not c.ent_type_
        and c.lower_ not in _PLAIN_MODIFIERS
    )


def _by_role(
    ctx: _Context, pos: int, lemma: str, word: str, modifiers: frozenset[str] = frozenset()
) -> str | None:
    """The nearest earlier mention a description ("the ministry", "the spokesman") stands
    for: its role or its name holds the noun, and every telling adjective of the description
    ("the royalist party" is not the Cambodian People's Party)."""
    nouns = ROLE_SYNONYMS.get(lemma, frozenset({lemma, word}))
    # "the union", "the ministry": an organisation, never the person whose role names it
    # ("union leader Oleksandr Marchenko")
    org_only = lemma in ORG_NOUNS and lemma not in PERSON_ROLE_NOUNS
    k = bisect.bisect_left(ctx.mentions, pos, key=lambda x: x.start)
    for m in reversed(ctx.mentions[max(0, k - 400) : k]):
        if m.start >= pos:
            continue
        role = set(m.role.lower().replace("'s", " ").replace("’s", " ").split())
        name = m.name.lower()
        if modifiers and not modifiers <= role | set(name.split()):
            continue
        if role & nouns and not (org_only and m.kind == _PERSON):
            return m.name
        if m.kind == _ORG and (lemma in name.split() or word in name.split()):
            return m.name
    return None


#: a person this many sentences back or more is not "he"/"she" once the sentences since are
#: about an organisation or a country acting on its own ("Beijing presented a plan. ... he
#: urged ...": a translation's "he" for Beijing, not the minister two paragraphs up)
_ACTOR_SHIFT_SENTS = 3


def _shifted_to_actor(ctx: _Context, best: Mention, pos: int, sent: int) -> bool:
    """Whether the story's subject moved from the person ``best`` to a country acting on its
    own: a person pronoun at ``pos`` is then no longer about that person."""
    if sent - best.sent < _ACTOR_SHIFT_SENTS:
        return False
    names = set(best.name.lower().split())
    actor = False
    lo = bisect.bisect_right(ctx.mentions, best.end, key=lambda x: x.start)
    hi = bisect.bisect_left(ctx.mentions, pos, key=lambda x: x.start)
    for m in ctx.mentions[lo:hi]:
        if m.reported:
            continue
        if (m.kind == _PERSON and not m.plural) or set(m.name.lower().split()) & names:
            return False  # another person came in between (the scores weighed them), or
            # the same one again under another tag
        actor = actor or (
            m.kind == _ORG
            and m.subject
            and sent - m.sent <= 2
            and _label_at(ctx, m.start) == "GPE"
            and not _person_like(ctx, m.name)
        )
    return actor


def _label_at(ctx: _Context, pos: int) -> str:
    tok = _token_at(ctx.doc, pos)
    return tok.ent_type_ if tok is not None else ""


def _person_like(ctx: _Context, name: str) -> bool:
    """Whether a mention tagged as an organisation is a person's name after all (an NER slip:
    "Trump" as ORG): one of its words is a known person's surname."""
    return any(w.lower() in ctx.surnames for w in name.split())


def _antecedent(
    ctx: _Context, pos: int, kinds: set[str], gender: str, plural: bool = False
) -> str | None:
    sent = ctx.sent_of(pos)
    best: Mention | None = None
    best_score = -1e9
    k = bisect.bisect_left(ctx.mentions, pos, key=lambda x: x.start)
    for m in reversed(ctx.mentions[:k]):
        if m.start >= pos:
            continue
        if sent - m.sent > _LOOKBACK_SENTS:
            break
        if m.sent == sent and not m.speaker:
            continue
        penalty = 0.0
        if m.kind not in kinds:
            slip = m.speaker and not m.place and " " not in m.name and m.name[:1].isupper()
            if not (_PERSON in kinds and slip):
                continue
            penalty = 1.0  # an NER slip: a surname tagged as an organisation
        g = ctx.gender.get(m.name, "")
        if gender and g and g != gender:
            continue
        if plural and m.kind == _PERSON and not m.plural:
            continue
        if not plural and m.plural:
            continue
        dist = sent - m.sent
        penalty += 0.7 if m.reported else 0.0
        score = -float(dist) - penalty + (0.8 if m.speaker else 0.0) + (0.6 if m.subject else 0.0)
        score += 0.001 * m.start / max(1, pos)  # ties: the more recent
        if score > best_score:
            best, best_score = m, score
    if best is None:
        return None
    if kinds == {_PERSON} and not plural and _shifted_to_actor(ctx, best, pos, sent):
        return None
    if gender:
        ctx.gender.setdefault(best.name, gender)
    return best.name
