"""Per-article named entities: spaCy NER, cleaned, with in-article full names and roles.

:func:`extract_entities` turns the entities of one parsed article into
:class:`~newsprism.model.EntityMention` objects:

* only name-like labels are kept (dates, numbers and amounts belong to other modules);
* the surface is cleaned (leading "the", possessive "'s", stray punctuation, headline-case
  words glued to a name such as "Xi Jinping Will");
* misfires of the small English model are dropped: sentence-initial common words, pronouns,
  single lowercase tokens, page debris ("Advertisement"), title fragments ("State" in
  "Secretary of State Anthony Blinken"); demonyms tagged GPE become NORP and names that the
  curated alias file types (e.g. "Kyiv" as GPE) get that type;
* ``name`` is the in-article full name a mention stands for: "Putin", "President Xi", "Xi"
  join an earlier (or, failing that, any) "Vladimir Putin", "Xi Jinping" of the same article;
* ``role`` keeps the title or function given with a person: "Kremlin spokesman Dmitry
  Peskov", "Dmitry Peskov, the Kremlin spokesman", "President Xi".

Corpus-wide merging of spelling variants lives in :mod:`newsprism.nlp.canonical`.
"""

from __future__ import annotations

import bisect
import logging
import re
from typing import TYPE_CHECKING

from newsprism.model import EntityMention
from newsprism.nlp.attributions_lexicon import PERSON_NOUNS
from newsprism.nlp.canonical import acronym, alias_types, token_key
from newsprism.stopwords import spacy_english

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

KEEP_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "WORK_OF_ART", "LAW", "PRODUCT"}
)
#: labels whose confusions among each other the alias file may correct
CONFUSABLE = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})

#: page debris the small model sometimes tags as an entity
JUNK = frozenset(
    {
        "advertisement",
        "advertising",
        "ad",
        "ads",
        "sponsored",
        "read more",
        "click",
        "subscribe",
        "share",
        "tweet",
        "copyright",
        "getty images",
        "photo",
        "video",
        "image",
        "original source link",
        "source link",
        "related",
        "newsletter",
        "cookie",
        "cookies",
        "loading",
    }
)

#: words that open a person's title and may be glued into the PERSON span ("President Xi")
TITLE_WORDS = frozenset(
    {
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "premier",
        "secretary",
        "general",
        "gen",
        "gen.",
        "lt",
        "lt.",
        "col",
        "col.",
        "maj",
        "maj.",
        "capt",
        "capt.",
        "admiral",
        "adm",
        "adm.",
        "sergeant",
        "sgt",
        "sgt.",
        "senator",
        "sen",
        "sen.",
        "rep",
        "rep.",
        "representative",
        "congressman",
        "congresswoman",
        "governor",
        "gov",
        "gov.",
        "mayor",
        "judge",
        "justice",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "sheikh",
        "emir",
        "sultan",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "commissioner",
        "chief",
        "leader",
        "foreign",
        "defence",
        "defense",
        "finance",
        "deputy",
        "former",
        "acting",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "professor",
        "rev",
        "rev.",
        "father",
        "sir",
        "dame",
        "lord",
        "lady",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "mx",
        "mx.",
        "madam",
    }
)
#: honorifics that are not worth keeping as a role
HONORIFICS = frozenset(
    {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "madam", "sir", "dame"}
)
#: tags that never start or end a name (verbs, modals, prepositions, pronouns...)
EDGE_TRIM_TAGS = frozenset(
    {
        "MD",
        "VB",
        "VBD",
        "VBG",
        "VBN",
        "VBP",
        "VBZ",
        "IN",
        "TO",
        "CC",
        "DT",
        "PRP",
        "PRP$",
        "WP",
        "WDT",
        "RB",
        "POS",
        "HYPH",
        ",",
        ":",
        ".",
        "``",
        "''",
        "-LRB-",
        "-RRB-",
        "NFP",
    }
)
BAD_SINGLE_POS = frozenset(
    {"VERB", "AUX", "ADV", "PRON", "ADP", "DET", "CCONJ", "SCONJ", "INTJ", "NUM", "PART", "SYM"}
)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
DEMONYM_END = re.compile(r"(?:ian|ese|ish|ean|ican|ians|eses)$")
POSSESSIVE = re.compile(r"\s*['’]s?$")
EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?*•|/\\-–—_ \t\n"
#: the same without the dot, for the right end of a span ("N.Y.", "Corp." keep theirs)
RIGHT_PUNCT = EDGE_PUNCT.replace(".", "")
#: endings of nouns that name people ("adviser", "analyst", "resident", "critic", "candidate")
ROLE_SUFFIX = re.compile(
    r"(?:er|or|ist|ant|ent|ian|man|woman|men|women|person|people|ee|ive|ate|ic|crat|naut|ess)s?$"
)
#: person nouns the suffixes miss
ROLE_NOUNS = frozenset(
    {
        "chief",
        "head",
        "leader",
        "host",
        "aide",
        "envoy",
        "guard",
        "judge",
        "member",
        "official",
        "staff",
        "boss",
        "coach",
        "nurse",
        "expert",
        "deputy",
        "pastor",
        "priest",
        "bishop",
        "monk",
        "mother",
        "mom",
        "father",
        "dad",
        "son",
        "daughter",
        "wife",
        "husband",
        "brother",
        "sister",
        "friend",
        "rival",
        "ally",
        "partner",
        "colleague",
        "counterpart",
        "celebrity",
        "star",
        "veteran",
        "heir",
        "chair",
        "general",
        "captain",
        "colonel",
        "lieutenant",
        "sergeant",
        "mayor",
        "governor",
        "president",
        "premier",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "chancellor",
        "minister",
        "secretary",
        "sheriff",
        "police",
        "attorney",
        "lawyer",
        "nominee",
        "candidate",
        "representative",
        "delegate",
        "hopeful",
        "challenger",
        "incumbent",
        "founder",
        "owner",
        "ceo",
        "cfo",
        "coo",
        "cto",
        "chairman",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "analyst",
        "economist",
        "scientist",
        "journalist",
        "correspondent",
        "editor",
        "columnist",
        "historian",
        "activist",
        "child",
        "girl",
        "boy",
        "man",
        "woman",
        "teenager",
        "student",
        "pupil",
        "victim",
        "survivor",
        "suspect",
        "witness",
        "resident",
        "citizen",
        "immigrant",
        "refugee",
        "migrant",
    }
)
ROLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "prep", "pobj", "punct", "det"})
ROLE_MAX_TOKENS = 10
DROP_ROLE_LEAD = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "my", "your"})


def extract_entities(doc: Doc) -> list[EntityMention]:
    """Named-entity mentions of one parsed article, in text order.

    Never raises on odd input: an empty doc gives an empty list.
    """
    if doc is None or len(doc) == 0:
        return []
    ctx = _DocContext(doc)
    mentions: list[EntityMention] = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        try:
            mention = _mention(ent, ctx)
        except Exception:  # pragma: no cover - one odd span never stops an article
            log.debug("skipped entity %r", ent.text, exc_info=True)
            continue
        if mention is not None:
            mentions.append(mention)
            if _place_context(ent):
                ctx.place_mentions.add(id(mention))
    _persons_by_description(mentions, ctx)
    mentions += _repeats_missed(mentions, ctx)
    mentions.sort(key=lambda m: m.start)
    _resolve_persons(mentions)
    _resolve_acronyms(mentions)
    _persons_used_as_places(mentions, ctx.place_mentions)
    return mentions


#: labels the recogniser gives a foreign person's name by mistake ("Galina Starovoitova" ORG)
_MISREAD_AS = frozenset({"ORG", "GPE", "LOC", "FAC"})
#: an age given after a name ("Starovoitova, 52, tried ...") is at most this
_MAX_AGE = 119


def _age_follows(span: Span) -> bool:
    """An age after the name ("X, 52, ..."): a small number set off by commas."""
    doc = span.doc
    k = span.end
    if k + 1 >= len(doc) or doc[k].text != "," or not doc[k + 1].text.isdigit():
        return False
    if not 0 < int(doc[k + 1].text) <= _MAX_AGE:
        return False
    return k + 2 >= len(doc) or doc[k + 2].text in (",", ")", ";")


def _person_apposition(span: Span) -> bool:
    """An apposition of the name itself ("X, a founder of ...", "X, the party's leader"; not
    of a noun the name hangs on: "Senator Y of Utah, the majority leader") whose head noun
    only a person can be; or the name set in apposition after such a noun ("the prime
    minister of Italy, Romano Prodi")."""
    root = span.root
    if root.dep_ == "pobj" or span.text.isupper():  # "of Utah, ...", "Jo Lind, MD, ..."
        return False
    if (
        len(span) >= 2  # a full name ("California", "Dr" after a title are not)
        and span.doc[span.start - 1].text == ","
        and any(
            head.i < span.start
            and head.pos_ == "NOUN"
            and head.lemma_.lower() in PERSON_NOUNS
            and any(c.dep_ in ("det", "poss") for c in head.children)  # not "Lee, president,
            for head in _titled_by(root)  # ABC Entertainment Group"
        )
    ):  # the name set after a person's title: "the prime minister of Italy, Romano Prodi"
        return True
    for tok in root.children:
        if tok.dep_ == "appos" and tok.i > span.end and tok.pos_ == "NOUN":
            first = tok.left_edge
            if first.i != span.end + 1 and not span.doc[first.i - 1].is_punct:
                continue
            if any(t.ent_type_ == "PERSON" for t in tok.subtree):
                return False  # "Reuters, Yeltsin's adviser Y": someone else named
            return tok.lemma_.lower() in PERSON_NOUNS
    return False


def _in_place_slot(doc: Doc, m: EntityMention) -> bool:
    """A mention used as a place here ("in Lincoln", "Lincoln's government")."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and _place_slot(span.root)


def _persons_by_description(mentions: list[EntityMention], ctx: _DocContext) -> None:
    """A name the recogniser took for an organisation or a place, though the article gives
    the person's age or calls them a founder, a novelist ... ("Galina Starovoitova, 52, a
    leader of the party"): that name is a person's in the whole article, and so is its last
    word on its own ("Starovoitova said") where it never stands in a place's slot, and a
    full name that ends in a surname so described."""
    doc = ctx.doc
    named: set[str] = set()
    for m in mentions:
        if m.label not in _MISREAD_AS:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not all(t.pos_ == "PROPN" for t in span):
            continue
        if _age_follows(span) or _person_apposition(span):
            named.add(m.name)
    if not named:
        return
    surnames = {n.split()[-1] for n in named if len(n.split()) >= 2}
    placed = {m.name for m in mentions if m.name in surnames and _in_place_slot(doc, m)}
    for m in mentions:
        words = m.name.split()
        if m.label in _MISREAD_AS and (
            m.name in named
            or (m.name in surnames and m.name not in placed)
            or (len(words) >= 2 and words[-1] in named)  # "Starovoitova, 52," names her
        ):
            m.label = "PERSON"
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if m.role is None and span is not None:  # a person's title, read as for one
                m.role = _role(span, list(span), [])


def _repeats_missed(mentions: list[EntityMention], ctx: _DocContext) -> list[EntityMention]:
    """Occurrences of a person's full name that the recogniser tagged elsewhere in the article
    but missed here ("... leader of the ruling Communist Party of China Xi Jinping will visit"):
    one name, one referent within an article. Only names of two or more words, only whole
    words, never inside another mention."""
    names = {m.text for m in mentions if m.label == "PERSON" and len(m.text.split()) >= 2}
    if not names:
        return []
    taken = sorted((m.start, m.end) for m in mentions)
    found: list[EntityMention] = []
    for name in sorted(names):
        for hit in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", ctx.text):
            s, e = hit.span()
            k = bisect.bisect_left(taken, (s, e))
            near = taken[max(0, k - 1) : k + 1]
            if any(a < e and s < b for a, b in near):
                continue
            span = ctx.doc.char_span(s, e, label="PERSON")
            if span is None:
                continue
            try:
                mention = _mention(span, ctx)
            except Exception:  # guards: one odd span never stops an article (as above)
                log.debug("skipped repeated name %r", name, exc_info=True)
                continue
            if mention is not None:
                found.append(mention)
                bisect.insort(taken, (mention.start, mention.end))
    return found


#: heads that make a possessive name a place: "Norvania's government", "Norvania's ambassador"
PLACE_HEADS = frozenset(
    {
        "government", "capital", "army", "military", "economy", "parliament", "border",
        "borders", "territory", "embassy", "ambassador", "population", "navy", "coast",
        "airspace", "regime", "troops", "cities", "citizens", "sovereignty", "constitution",
    }
)  # fmt: skip


def _place_context(ent: Span) -> bool:
    """A one-word PERSON used like a place: "in Estrelia", "Estrelia's government"."""
    return ent.label_ == "PERSON" and len(ent) == 1 and _place_slot(ent[0])


#: prepositions whose object is a place ("in Estrelia")
_PLACE_PREPS = frozenset({"in", "across", "throughout", "inside"})


def _place_slot(tok: Token) -> bool:
    """Whether a name's word stands where a place does: "in Estrelia", "Estrelia's army"."""
    if tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS:
        return True
    return tok.dep_ == "poss" and tok.head.lower_ in PLACE_HEADS


def _persons_used_as_places(mentions: list[EntityMention], flagged: set[int]) -> None:
    """One-word "persons" that never resolve to a full name but sit in place slots are GPEs."""
    names = {m.name for m in mentions if id(m) in flagged and " " not in m.name}
    if not names:
        return
    for m in mentions:
        if m.label == "PERSON" and m.name in names:
            m.label = "GPE"


class _DocContext:
    """Per-doc facts the filters need, computed once from the text (no token loops)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.lower_words = set(LOWER_WORD.findall(self.text))
        self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        self.headline: dict[int, bool] = {}
        self.alias_types = alias_types()
        self.place_mentions: set[int] = set()
        self.mid_sentence_ents = {e.text for e in doc.ents if not e[0].is_sent_start}
        self.ent_texts = {e.text for e in doc.ents}
        self.place_texts = {
            e.text for e in doc.ents if e.label_ in {"GPE", "LOC", "ORG", "NORP", "FAC"}
        }

    def is_headline(self, tok: Token) -> bool:
        """Whether the line of ``tok`` is in headline case.

        "Xi Will Visit Russia On Monday": most words capitalised, function words included.
        """
        line = bisect.bisect_right(self.newlines, tok.idx)
        if line not in self.headline:
            start = self.newlines[line - 1] + 1 if line > 0 else 0
            end = self.newlines[line] if line < len(self.newlines) else len(self.text)
            words = [w for w in WORD.findall(self.text[start:end]) if len(w) > 1]
            caps = [w for w in words if w[0].isupper()]
            stop = spacy_english()
            function_caps = [w for w in caps[1:] if w.lower() in stop]
            self.headline[line] = (
                len(words) >= 4 and len(caps) >= 0.75 * len(words) and bool(function_caps)
            )
        return self.headline[line]

    def starts_line_or_sentence(self, tok: Token) -> bool:
        if tok.is_sent_start or tok.i == 0:
            return True
        prev = self.doc[tok.i - 1]
        return "\n" in prev.text or "\n" in prev.whitespace_

    def common_word(self, tok: Token) -> bool:
        """A capitalised word that the article also writes in lowercase, or a stop word."""
        return tok.lower_ in self.lower_words or tok.is_stop


def _mention(ent: Span, ctx: _DocContext) -> EntityMention | None:
    """One cleaned mention, or None for a misfire."""
    doc = ctx.doc
    label = ent.label_
    start, end = ent.start, ent.end
    # cut at a line break: NER spans that run over a newline are glued fragments
    for i in range(start, end):
        if "\n" in doc[i].text or (i > start and "\n" in doc[i - 1].whitespace_):
            end = i if i > start else end
            break
    headline = ctx.is_headline(doc[start])
    # trim function words and (in headline case) common words at the edges
    while start < end and _trim_edge(doc[start], ctx, headline, first=True):
        start += 1
    while end > start and _trim_edge(doc[end - 1], ctx, headline, first=False):
        end -= 1
    if start >= end:
        return None
    span = doc[start:end]
    text = span.text.lstrip(EDGE_PUNCT).rstrip(RIGHT_PUNCT)
    if not text:
        return None
    offset = span.start_char + span.text.find(text)
    low = text.lower()
    if low in JUNK or not any(c.isalpha() for c in text):
        return None
    if len(span) == 1:
        tok = span[0]
        if (
            tok.pos_ in BAD_SINGLE_POS
            and label != "NORP"
            and (ctx.starts_line_or_sentence(tok) or headline or not tok.text[:1].isupper())
            and tok.text not in ctx.mid_sentence_ents
        ):
            return None
        if text.islower():
            return None
        if ctx.starts_line_or_sentence(tok) and tok.pos_ != "PROPN" and ctx.common_word(tok):
            return None
        if headline and ctx.common_word(tok) and label != "NORP":
            return None
        if _title_fragment(span):
            return None
    label = _fix_label(span, text, label, ctx)
    name_tokens = [t for t in span]
    title_tokens: list[Token] = []
    if label == "PERSON":
        while len(name_tokens) > 1 and name_tokens[0].lower_ in TITLE_WORDS:
            title_tokens.append(name_tokens.pop(0))
        # "mayor of [Tindmark Lena Oberg]": a place or body named elsewhere in the article
        for k in range(len(name_tokens) - 2, 0, -1):
            head_text = ctx.text[
                name_tokens[0].idx : name_tokens[k - 1].idx + len(name_tokens[k - 1])
            ]
            after_of = span.start > 0 and doc[span.start - 1].lower_ == "of"
            if head_text in ctx.place_texts or (after_of and head_text in ctx.ent_texts):
                title_tokens.extend(name_tokens[:k])
                name_tokens = name_tokens[k:]
                break
        if title_tokens:  # the mention covers the name; the title goes to the role
            n_start = name_tokens[0].idx
            text = ctx.text[n_start : offset + len(text)]
            offset = n_start
    name = _clean_name(ctx.text[name_tokens[0].idx : name_tokens[-1].idx + len(name_tokens[-1])])
    if not name:
        return None
    role = _role(span, name_tokens, title_tokens) if label == "PERSON" else None
    return EntityMention(
        start=offset,
        end=offset + len(text),
        text=text,
        label=label,
        name=name,
        role=role,
    )


def _trim_edge(tok: Token, ctx: _DocContext, headline: bool, first: bool) -> bool:
    if tok.is_space or tok.is_punct or tok.tag_ in {"POS", "HYPH"}:
        return True
    if tok.lower_ in {"the", "a", "an"} and first:
        return True
    if tok.tag_ in EDGE_TRIM_TAGS and not tok.text[:1].isupper():
        return True
    if headline and tok.tag_ in EDGE_TRIM_TAGS:
        return True
    return bool(headline and ctx.common_word(tok) and tok.lower_ not in TITLE_WORDS)


def _title_fragment(span: Span) -> bool:
    """Spot "State" in "Secretary of State Anthony Blinken": part of a title, not an organisation."""
    doc = span.doc
    i = span.start
    if i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in TITLE_WORDS:
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.ent_type_ == "PERSON":
            return True
        if span[0].lower_ in {"state", "defence", "defense", "justice", "health", "staff"}:
            return True
    return False


def _fix_label(span: Span, text: str, label: str, ctx: _DocContext) -> str:
    """Cheap corrections: curated types for known names, demonyms tagged as places."""
    typed = ctx.alias_types.get(_clean_name(text).casefold())
    if typed and label in CONFUSABLE and typed in CONFUSABLE:
        return typed
    if (
        label == "ORG"
        and len(span) == 1
        and span[0].dep_ == "poss"
        and span[0].head.lower_ in PLACE_HEADS
    ):  # "Norvania's government"
        return "GPE"
    if label == "GPE" and len(span) == 1:
        tok = span[0]
        if DEMONYM_END.search(tok.lower_) or (tok.tag_ == "JJ" and tok.lower_.endswith("i")):
            return "NORP"
    return label


def _clean_name(text: str) -> str:
    """Strip a leading article, a possessive, stray punctuation and inner runs of spaces."""
    name = " ".join(text.split())
    name = name.lstrip(EDGE_PUNCT).rstrip(RIGHT_PUNCT)
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    name = POSSESSIVE.sub("", name)
    return name.lstrip(EDGE_PUNCT).rstrip(RIGHT_PUNCT)


def _role(span: Span, name_tokens: list[Token], title_tokens: list[Token]) -> str | None:
    """Title or function given with a person in the same noun phrase, or None."""
    doc = span.doc
    parts: list[str] = []
    root = span.root
    # tokens before the name that hang off it: "Kremlin spokesman [Dmitry Peskov]"
    # (title words inside the entity span, "[President Lena Varga]", come with them)
    left = _left_modifiers(root, name_tokens[0].i)
    head = root.head
    if (
        title_tokens
        and root.dep_ == "pobj"
        and head.lower_ == "of"
        and head.head.i < head.i
        and role_word(head.head)
    ):  # "the mayor of [Tindmark] Lena Oberg"
        left = (head.head.left_edge.i, name_tokens[0].i)
    if not left and not title_tokens and root.dep_ == "conj" and head.i < name_tokens[0].i:
        left = _coordinated_titles(head, name_tokens[0].i)
    if left:
        parts.append(doc[left[0] : left[1]].text)
    elif title_tokens:
        parts.append(doc[title_tokens[0].i : title_tokens[-1].i + 1].text)
    if not parts:
        appos = _apposition(root, span)
        if appos:
            parts.append(appos)
    role = _clean_role(" ".join(parts))
    return role or None


def _left_modifiers(root: Token, ent_start: int) -> tuple[int, int] | None:
    """The contiguous, nominal run of ``root``'s subtree just before the entity."""
    lo = root.left_edge.i
    if lo >= ent_start:
        return None
    toks = [root.doc[i] for i in range(lo, ent_start)]
    # keep the part after the last clause-like token (comma, verb, quote), a conjunction
    # ("Sanders and [Clinton]": another name, not a title) or a dash ("NEW YORK - Republican
    # presidential candidate [Trump]", "senator and president - Mrs. [Clinton]")
    cut = 0
    for j, t in enumerate(toks):
        if (
            t.pos_ in {"VERB", "AUX", "PRON", "NUM", "SCONJ", "CCONJ"}
            or t.dep_ == "cc"
            or t.text in {",", ";", ":", "(", ")", '"', "“", "”"}
            or (t.text in {"-", "–", "—", "--"} and _set_apart(t))
            or "\n" in t.text
            or t.dep_ not in ROLE_DEPS
        ):
            cut = j + 1
    toks = toks[cut:]
    while toks and (toks[0].is_punct or toks[0].lower_ in DROP_ROLE_LEAD):
        toks = toks[1:]
    if not toks or len(toks) > ROLE_MAX_TOKENS:
        return None
    if not any(role_word(t) for t in toks):
        return None
    return toks[0].i, toks[-1].i + 1


#: entity types of a word that is a name, never a title before another name
_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})


def _set_apart(tok: Token) -> bool:
    """A dash with a space on either side, not the hyphen of "Secretary-General"."""
    return bool(tok.whitespace_) or (tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_))


def _coordinated_titles(head: Token, ent_start: int) -> tuple[int, int] | None:
    """ "President of China and leader of the ruling Party [Xi Jinping] will visit": the parser
    makes the name a conjunct of the first title. The titles before the name are its role when
    they are coordinated ("and") and nominal all through (no verb but a participle modifier,
    no punctuation or line break)."""
    if not role_word(head) or head.ent_type_ in _NAME_TYPES:
        return None  # "Sanders and [Clinton]": two names, whatever "Sanders" reads as
    toks = [head.doc[i] for i in range(head.left_edge.i, ent_start)]
    while toks and toks[0].lower_ in DROP_ROLE_LEAD:
        toks = toks[1:]
    if not toks or len(toks) > 2 * ROLE_MAX_TOKENS or toks[-1].dep_ == "cc":
        return None
    deps = ROLE_DEPS | {"cc", "conj"}
    if not any(t.dep_ == "cc" and t.lower_ == "and" and t.head.i == head.i for t in toks):
        return None
    for t in toks:
        if t.i == head.i:
            continue
        if (
            t.dep_ not in deps
            or (t.pos_ == "VERB" and t.dep_ != "amod")
            or t.pos_ in {"AUX", "PRON", "NUM", "SCONJ"}
            or t.is_punct
            or "\n" in t.text_with_ws
        ):
            return None
    return toks[0].i, ent_start


#: what may stand between a name and its apposition besides commas: "Jeff Terry, MD, chair of"
_DEGREES = frozenset({"MD", "M.D", "PhD", "Ph.D", "Jr", "Sr", "II", "III", "Esq"})


def _set_after(span: Span, start: int) -> bool:
    """Whether an apposition starting at token ``start`` is set right after the name: only
    commas, an age, a degree or a word such as "himself", "then" between them ("Tony Smith,
    36, editor of ..."). Not "Bin Laden ... under the protection of the Taliban, the Islamic
    fundamentalist movement", nor "Gingrich and Sen. Trent Lott, the majority leader", which
    the parser hung on the first name."""
    doc = span.doc
    return all(
        doc[i].is_punct
        or doc[i].like_num
        or doc[i].pos_ in ("ADV", "PRON")
        or doc[i].text.rstrip(".") in _DEGREES
        for i in range(span.end, start)
    )


def _titled_by(root: Token) -> list[Token]:
    """The words a name set in apposition may follow as its title: the word the parser hung
    it on, and for "the leader of Norvania, Ilse Brandt" (hung on "Norvania") the word before
    "of" too. Empty when the name is no apposition."""
    if root.dep_ != "appos":
        return []
    heads = [root.head]
    if root.head.dep_ == "pobj" and root.head.head.dep_ == "prep":
        heads.append(root.head.head.head)
    return heads


def _apposition(root: Token, span: Span) -> str | None:
    """Role from "Dmitry Peskov, the Kremlin spokesman" or "the Kremlin spokesman, Dmitry Peskov"."""
    doc = span.doc
    head: Token | None = None
    exclude: set[int] = set()
    titled = _titled_by(root)
    if titled and titled[0].pos_ == "NOUN" and titled[0].ent_type_ == "":
        head = titled[0]
        exclude = {t.i for t in root.subtree}
    elif len(titled) > 1 and titled[1].pos_ == "NOUN" and titled[1].i < root.i:
        head = titled[1]
        exclude = {t.i for t in root.subtree}
    else:
        for child in root.rights:
            if (
                child.dep_ == "appos"
                and child.pos_ == "NOUN"
                and child.ent_type_ == ""
                and _set_after(span, child.left_edge.i)
            ):
                head = child
                break
    if head is None:
        return None
    # a clause or apposition hung on the title ends it, with its words before its verb ("law
    # professor who is challenging ...": not "law professor who is")
    for child in head.children:
        if child.dep_ in {"relcl", "acl", "advcl", "appos"}:
            exclude |= {t.i for t in child.subtree}
    toks: list[Token] = []
    for t in head.subtree:
        if t.i in exclude:
            if t.i > head.i:
                break
            continue
        toks.append(t)
    idx = [t.i for t in toks if t.sent.start == span.sent.start]
    if not idx:
        return None
    # the contiguous run around the head noun
    lo = hi = head.i
    idx_set = set(idx)
    while lo - 1 in idx_set:
        lo -= 1
    while hi + 1 in idx_set:
        hi += 1
    run = [doc[i] for i in range(lo, hi + 1)]
    while run and (run[0].is_punct or run[0].lower_ in DROP_ROLE_LEAD):
        run = run[1:]
    while run and run[-1].is_punct:
        run = run[:-1]
    if not run or len(run) > ROLE_MAX_TOKENS or not role_word(head):
        return None
    return doc[run[0].i : run[-1].i + 1].text


def role_word(tok: Token) -> bool:
    """Whether a word names a person's function: "President", "spokesman", "analyst"."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    low = tok.lower_.rstrip(".")
    return (
        low in ROLE_NOUNS
        or low in TITLE_WORDS
        or bool(ROLE_SUFFIX.search(low))
        or (tok.text[:1].isupper() and low.endswith("an") and len(low) > 4)
    )


def _clean_role(role: str) -> str:
    role = " ".join(role.split()).lstrip(EDGE_PUNCT).rstrip(RIGHT_PUNCT)
    words = role.split(" ")
    while words and (words[0].lower() in DROP_ROLE_LEAD or words[0].lower() in HONORIFICS):
        words = words[1:]
    return " ".join(words)


# --------------------------------------------------------------------------- in-article names


def _tokens(name: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", name) if w]


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.?-?){1,3}", word))


def _resolve_persons(mentions: list[EntityMention]) -> None:
    """Short person mentions take the full name they stand for in the article."""
    full: list[tuple[int, EntityMention, list[str]]] = []
    for i, m in enumerate(mentions):
        if m.label != "PERSON":
            continue
        words = _tokens(m.name)
        if len(words) >= 2 and not any(_is_initial(w) for w in words):
            full.append((i, m, [token_key(w) for w in words]))
    if not full:
        return
    # how often the article names each person, a short form that fits only that person
    # ("Hillary" beside "Hillary Clinton" and "Bill Clinton") counted too
    support: dict[str, int] = {}
    for _, f, _ in full:
        support[f.name] = support.get(f.name, 0) + 1
    short: list[tuple[int, EntityMention, list[tuple[int, EntityMention]]]] = []
    for i, m in enumerate(mentions):
        if m.label != "PERSON":
            continue
        words = _tokens(m.name)
        if not words:
            continue
        if len(words) >= 2 and not any(_is_initial(w) for w in words):
            continue  # a full name stands for itself
        if len(words) == 1 and words[0].endswith("."):
            continue  # "Conn.": an abbreviation, not a surname
        keys = [token_key(w) for w in words]
        candidates = [
            (j, f) for j, f, fkeys in full if f is not m and _short_form(words, keys, fkeys)
        ]
        if candidates:
            short.append((i, m, candidates))
            names = {f.name for _, f in candidates}
            if len(names) == 1:
                support[next(iter(names))] += 1
    for i, m, candidates in short:
        # the most named of the full names it fits wins ("Clinton" after "Hillary Clinton",
        # "Hillary" three times and "Bill Clinton" once is Hillary Clinton); ties: the
        # nearest one before
        def rank(c: tuple[int, EntityMention], i: int = i) -> tuple[int, int, int]:
            j, f = c
            return (support[f.name], j < i, j if j < i else -j)

        m.name = max(candidates, key=rank)[1].name
    # "Brekke's office" tagged ORG after "Halvard Brekke": a one-word name of a person here
    surnames = {fkeys[-1]: f.name for _, f, fkeys in full}
    typed = alias_types()
    for m in mentions:
        if (
            m.label in {"ORG", "GPE", "NORP", "FAC", "LOC"}
            and " " not in m.name
            and not m.name.endswith(".")
        ):
            key = token_key(m.name)
            if key in surnames and m.name.casefold() not in typed:
                m.label = "PERSON"
                m.name = surnames[key]


def _short_form(words: list[str], keys: list[str], full_keys: list[str]) -> bool:
    """Whether a name is a shorter form of a full name (suffix, prefix or initials + surname)."""
    n = len(keys)
    if n >= len(full_keys):
        if n == len(full_keys) and keys != full_keys:
            # "J. Smith" for "John Smith"
            return all(
                k == fk or (_is_initial(w) and fk.startswith(k[:1]))
                for w, k, fk in zip(words, keys, full_keys, strict=True)
            ) and any(_is_initial(w) for w in words)
        return False
    if keys == full_keys[-n:] or keys == full_keys[:n]:
        return True
    if n >= 2 and keys[-1] == full_keys[-1]:
        return all(
            _is_initial(w) or k in full_keys for w, k in zip(words[:-1], keys[:-1], strict=True)
        )
    return False


def _resolve_acronyms(mentions: list[EntityMention]) -> None:
    """An acronym ("NATO") takes the full name it abbreviates in the same article."""
    full: dict[str, set[str]] = {}
    for m in mentions:
        if m.label in {"ORG", "GPE", "LOC", "FAC"} and len(_tokens(m.name)) >= 2:
            full.setdefault(acronym(m.name), set()).add(m.name)
    for m in mentions:
        text = m.name.replace(".", "")
        if m.label in {"ORG", "GPE", "LOC", "FAC"} and text.isupper() and 2 <= len(text) <= 6:
            names = full.get(text)
            if names and len(names) == 1:
                m.name = next(iter(names))
