"""Who said what: a story's attributions grouped by speaker across outlets."""

from __future__ import annotations

import itertools
import re

from newsprism.model import (
    WORD_GLUED,
    Article,
    Attribution,
    Enriched,
    Quote,
    SpeakerQuotes,
    StoryAttribution,
    Word,
    WordIndex,
)
from newsprism.nlp.attributions_lexicon import (
    DOBJ_VERBS,
    PREP_CONTENT,
    REFLEXIVES,
    SPEECH_VERBS,
    STANCE_ADJECTIVES,
    XCOMP_VERBS,
)


def canonical_speakers(enriched: dict[str, Enriched]) -> None:
    """Set each attribution's speaker to the canonical name of the entity it names (by the
    mention's name or text in the same article), where the article has one."""
    for e in enriched.values():
        names = {m.name: m.canonical for m in e.entities if m.canonical}
        names.update({m.text: m.canonical for m in e.entities if m.canonical})
        for att in e.attributions:
            if att.speaker and att.speaker in names:
                att.speaker = names[att.speaker]


def story_attributions(
    members: list[Article], enriched: dict[str, Enriched]
) -> list[StoryAttribution]:
    """A story's attribution list: those of its articles, in story order. (It follows from the
    members' records and canonical names alone: a story reused under its cache key keeps
    the list of its stored record.)"""
    return [
        StoryAttribution(
            a.id, att.source, att.cue, att.content, att.speaker, att.kind, att.via, att.reporting
        )
        for a in members
        for att in enriched[a.id].attributions
    ]


def quotes_by_speaker(
    articles: list[Article], enriched: dict[str, Enriched]
) -> list[SpeakerQuotes]:
    """Attributions grouped by resolved speaker (surname variants of one person merged).

    A stance or act that is not reported speech ("rejected the offer", "stood still") is
    kept only when its speaker is a named person or organisation of the article: "the cranes
    stood" or a dateline parsed as a subject is not someone saying something. A cue in the
    infinitive ("Beijing refused *to condemn* the invasion", "Xi should use the visit *to call*
    for a withdrawal") names what was refused, wanted or asked, not what the speaker said, so
    it is left out: listed under the speaker, it would read as the opposite of the fact. An
    act told inside what someone reports ("as stated in the Kremlin's message, the parties
    will discuss “...”", "officials said the minister rejected the offer") is that someone's
    report, not words of the actor's, and is left out too."""
    groups: dict[str, SpeakerQuotes] = {}
    names: dict[str, str] = {}
    people: dict[str, None] = {}  # insertion-ordered: merges are deterministic
    for a in articles:
        en = enriched.get(a.id)
        if en is None:
            continue
        index = en.words.index() if en.words else None
        actors = {
            n
            for m in en.entities
            if m.label in _ACTOR_TYPES
            for n in (m.canonical, m.name, m.text)
            if n
        }
        # "Ushakov said ..., according to AFP": AFP shows as the quote's `via`, not as a
        # second speaker of the same words
        relayed = [
            (att.via, att.content[0].start, att.content[-1].end)
            for att in en.attributions
            if att.via and att.content
        ]
        # what a reporting attribution says: an act told inside it is its source's report
        reported = [
            (att.content[0].start, att.content[-1].end)
            for att in en.attributions
            if att.reporting and att.content
        ]
        for att in en.attributions:
            if not att.speaker or not att.content:
                continue
            if not att.reporting and att.kind == "indirect" and att.speaker not in actors:
                continue
            if (
                not att.reporting
                and att.cue is not None
                and any(lo <= att.cue.start < hi for lo, hi in reported)
            ):
                # "as stated in the Kremlin's message, the parties will discuss “...”": the
                # words are the Kremlin's, and the parties said nothing
                continue
            if att.cue and _IRREALIS.match(att.cue.text):
                continue  # "refused to condemn", "should ... to call": not said, not done
            if not _says_something(att, index):
                continue  # "published 'a few books'", "learned of 'his award'": acts
            lo, hi = att.content[0].start, att.content[-1].end
            if any(via == att.speaker and r_lo < hi and lo < r_hi for via, r_lo, r_hi in relayed):
                continue
            key = _speaker_key(att.speaker, names, people)
            g = groups.setdefault(key, SpeakerQuotes(att.speaker))
            if len(att.speaker) > len(g.speaker):
                g.speaker = att.speaker
            g.quotes.append(
                Quote(a.id, a.source or a.id, att.kind, att.via, att.cue, list(att.content))
            )
    return sorted(groups.values(), key=lambda g: (-len(g.quotes), g.speaker))


def _says_something(att: Attribution, index: WordIndex | None) -> bool:
    """Whether an attribution states something its speaker said, thought or stands for, as
    "Who said what" lists it: its cue is a verb of saying or of stance, and its content has
    the shape that verb takes. A clause ("said the talks failed") goes with any such verb; a
    noun phrase only with a verb that takes one ("rejected the plan", "praised Saramago"); an
    infinitive ("pledged to impose ...") only with a verb that takes one; a verb outside the
    attribution lexicon only with a content clause. Acts the cue model also counts
    ("published a few books", "returned to fiction", "learned of his award", "continued to
    study") are not listed. Quotations, and every attribution of an article stored without
    its words, are kept."""
    if att.cue is None or not att.content or att.kind != "indirect":
        return True  # the speaker's own words in quotation marks are always listed
    if index is None or not index.starts:
        return True  # stored without its words
    cue = index.within(att.cue.start, att.cue.end)
    verbs = [w for w in cue if w.pos in ("VERB", "AUX")]
    lo, hi = att.content[0].start, att.content[-1].end
    if not verbs and cue and all(w.pos in ("ADJ", "ADP", "PART") for w in cue):
        # an adjective of stance counts ("critical of the plan", "skeptical about the
        # reasons"); another only with a content clause ("glad that it passed"), not with an
        # object or an infinitive ("interested in politics", "quick to close embassies",
        # "guilty of interfering": a state or an act)
        adjective = next((w.lemma for w in cue if w.pos == "ADJ"), "")
        return adjective in STANCE_ADJECTIVES or _content_clause(index.within(lo, hi))
    if not verbs or any(w.lemma == "accord" for w in cue):
        return True  # "according to", a quotation label, a noun cue ("the claim that ...")
    lemma = verbs[-1].lemma
    inside = index.within(lo, hi)
    if inside and inside[0].lemma == "to" and inside[0].pos == "PART":
        return lemma in XCOMP_VERBS  # "had to call a news conference": an act
    if lemma not in _STANCE_VERBS:
        # a verb the lexicon lacks counts with a content clause ("expressed concern that the
        # war could spin out of control"), not with an object ("returned to fiction")
        return _content_clause(inside)
    if lemma == "find" and inside and inside[0].lemma in _REFLEXIVES:
        return False  # "found himself living in an isolated city": a state, not a finding
    if not any(w.pos in ("VERB", "AUX") and not w.has(WORD_GLUED) for w in inside):
        # (a participle in a compound is no verb: "claimed the lives of a high-ranking aide")
        between = index.within(att.cue.end, lo)  # "called openly for political reform"
        if (
            lemma in _CONVENE
            and not any(w.pos == "ADP" for w in (*cue, *between))
            and not _two_parts(inside)
        ):
            # "called the 72-hour stoppage", "have called a demonstration": convening is an
            # act; "called for a truce" and "called the result a vindication" are said
            return False
        return lemma in DOBJ_VERBS or lemma in PREP_CONTENT
    return True


def _two_parts(inside: list[Word]) -> bool:
    """Whether an object is followed by what it is called ("the result a vindication", "it
    disgusting", "the arrest very good news", "themselves street counselors"), not one noun
    phrase ("the 72-hour stoppage", "a demonstration outside parliament")."""
    return any(
        (a.pos in ("NOUN", "PROPN", "PRON") and b.pos in ("DET", "ADJ", "ADV"))
        or (a.pos == "PRON" and b.pos in ("NOUN", "PROPN"))
        for a, b in itertools.pairwise(inside)
    )


def _content_clause(inside: list[Word]) -> bool:
    """Whether a content opens a clause: "that", "whether" or "if" as a conjunction with a verb
    after it (the "that" of "passed a resolution that condemned ..." is a relative pronoun,
    and passing a resolution is an act)."""
    return any(
        w.lemma in ("that", "whether", "if")
        and w.pos == "SCONJ"
        and any(v.pos in ("VERB", "AUX") for v in inside[k + 1 :])
        for k, w in enumerate(inside)
    )


#: reflexives a cue's object can be ("found herself living ..."), the first person's too
_REFLEXIVES = REFLEXIVES | frozenset({"myself", "ourselves"})
#: cue lemmas that say, think or take a stance (the attribution lexicon's verbs)
_STANCE_VERBS = SPEECH_VERBS | DOBJ_VERBS | XCOMP_VERBS | frozenset(PREP_CONTENT)

_ACTOR_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: verbs whose bare object is convened, not said ("called a strike", "called an election")
_CONVENE = frozenset({"call"})
_IRREALIS = re.compile(r"to\s", re.IGNORECASE)


def _speaker_key(name: str, names: dict[str, str], people: dict[str, None]) -> str:
    """Merge "Peskov" with "Dmitry Peskov": two person-like names (at most four capitalised
    words) where one ends the other. "China" and "Ministry of Foreign Affairs of China", or an
    organisation and a phrase that coordinates it with another, stay apart. ``names`` maps
    each lower-cased name seen to its group key; ``people`` holds the person-like ones."""
    clean = re.sub(r"\s+", " ", name).strip()
    k = clean.lower()
    if k in names:
        return names[k]
    if _person_like(clean):
        people[k] = None
        words = k.split(" ")
        for other in people:
            if other == k:
                continue
            key = names[other]
            # the name must fit the other name and the group's own name ("Lena Olsen" does not
            # join "Dara Olsen" through a bare "Olsen")
            if _ends_alike(words, other.split(" ")) and _ends_alike(words, key.split(" ")):
                names[k] = key
                return key
    names[k] = k
    return k


def _ends_alike(a: list[str], b: list[str]) -> bool:
    short, long_ = sorted((a, b), key=len)
    return long_[-len(short) :] == short


def _person_like(name: str) -> bool:
    words = name.split(" ")
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words)
