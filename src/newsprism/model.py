"""Core data model: plain dataclasses passed between the pipeline stages.

Offsets are Python string offsets into ``Article.text`` (the cleaned text), and a
:class:`Span` always satisfies ``article.text[span.start:span.end] == span.text``.

Every record here reads and writes itself through the one codec, :mod:`newsprism.codec`
(``to_dict``/``from_dict`` of :class:`Record`): the ``stories.json`` document, the stores, the
story cache and the Ray engine all use that form.
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, Self

from newsprism import codec
from newsprism.text import content_hash

if TYPE_CHECKING:
    from newsprism.stories.claims import Claim

SCHEMA_VERSION = "2.1"


class Record:
    """Base of the data model's dataclasses: their dict form is :mod:`newsprism.codec`'s."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return codec.to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], **override: Any) -> Self:
        return codec.from_dict(cls, data, **override)


@dataclass(frozen=True, slots=True)
class Span(Record):
    """A character span of an article's cleaned text."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass(slots=True)
class Removed(Record):
    """A piece of the raw text that cleaning removed, kept with the reason (nothing is lost)."""

    text: str
    reason: str
    line: int | None = None


@dataclass(slots=True)
class Article(Record):
    """One news article after ingest: cleaned text plus metadata.

    ``meta_origin`` records where each metadata field came from (e.g. ``{"title": "first-line"}``).
    """

    id: str
    text: str
    raw: str = ""
    path: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    captions: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    meta_origin: dict[str, str] = field(default_factory=dict)
    content_hash: str | None = None
    duplicate_of: str | None = None

    def to_dict(self, raw: bool = False) -> dict[str, Any]:
        d = codec.to_dict(self)
        if not raw:
            d.pop("raw")
        return d


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    start: int
    end: int
    text: str


@dataclass(slots=True)
class EntityMention(Record):
    """An entity mention in one article; ``canonical`` is filled by corpus-wide merging."""

    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, EVENT, ...
    name: str  # the in-article full name this mention stands for ("Putin" -> "Vladimir Putin")
    role: str | None = None  # "Kremlin spokesman" for "Kremlin spokesman Dmitry Peskov"
    canonical: str | None = None


@dataclass(slots=True)
class Entity(Record):
    """A corpus-wide canonical entity with its spelling variants; ``spelled_in`` (not written)
    holds the variants of each article that mentions it, for the entity list of a story."""

    name: str
    type: str
    variants: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0
    roles: list[str] = field(default_factory=list)
    spelled_in: dict[str, set[str]] = field(
        default_factory=dict, compare=False, repr=False, metadata=codec.SKIP
    )

    def variants_in(self, articles: Iterable[str]) -> list[str]:
        """The entity's spellings in ``articles`` (sorted; all of them where the entity does
        not know which article spells it how, as one read back from a record)."""
        if not self.spelled_in:
            return list(self.variants)
        found: set[str] = set()
        for a in articles:
            found |= self.spelled_in.get(a, set())
        return sorted(found)


@dataclass(frozen=True, slots=True)
class DateMention(Record):
    """A temporal expression; ``value`` is TIMEX3 style (``2023-03-20``, ``2023-03``, ``2023-W11``,
    ``2023-03-20/2023-03-22``) or None when it cannot be anchored."""

    start: int
    end: int
    text: str
    value: str | None
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"


AttributionKind = Literal["direct", "indirect", "mixed"]


@dataclass(slots=True)
class Attribution(Record):
    """Who said what: source (who), cue (reporting verb/phrase), content (what, maybe discontinuous)."""

    source: Span | None
    cue: Span | None
    content: list[Span]
    speaker: str | None
    kind: AttributionKind
    via: str | None = None  # nested sourcing: "Ushakov said, according to AFP" -> via "AFP"
    #: the cue reports speech ("said", "according to", a quotation label); False for a stance or
    #: act that PolNeAR-style annotation also counts ("rejected the offer", "was adamant that")
    reporting: bool = True


@dataclass(frozen=True, slots=True)
class Clause(Record):
    """One atomic proposition of a sentence (see :mod:`newsprism.nlp.clauses`).

    ``start``/``end`` is the clause's extent in the article text (what a fact cites); ``gist``
    is the wording compared across outlets (the clause's own words, with a subject borrowed
    from the governing clause where it shares one)."""

    start: int
    end: int
    sentence: int  # index of the sentence in ``Enriched.sentences``
    kind: str  # sentence | main | reported | conj | relcl | appos
    predicate: str  # lemma of the clause's head
    subject: str | None
    gist: str
    negated: bool = False
    tense: str = "present"  # past | present | future
    modal: str | None = None  # may, could, would, plan, ...


EventMode = Literal["asserted", "hypothetical", "negated"]


@dataclass(slots=True)
class Event(Record):
    """Who did what to whom (PLOVER): see docs/events.md.

    ``type`` is the action the trigger names ("will visit" -> CONSULT, mode hypothetical);
    ``plover_type`` codes it the way PLOVER's gold records do (a stated intention to cooperate is
    AGREE, to harm is THREATEN; "X must ..." said by Y is Y's DEMAND).
    """

    type: str
    source_actor: str | None
    target_actor: str | None
    trigger: Span
    mode: EventMode = "asserted"
    #: the cue of a non-asserted mode: planned, conditional, obligation, possible, negation, denied
    modality: str | None = None
    plover_type: str | None = None
    source_span: Span | None = None
    target_span: Span | None = None
    source_country: str | None = None
    source_sector: str | None = None
    target_country: str | None = None
    target_sector: str | None = None
    date: str | None = None  # TIMEX3 value of the nearest dated expression in the sentence
    date_span: Span | None = None
    location: str | None = None
    location_span: Span | None = None
    reporter: str | None = None  # who reports it (the attribution whose content covers the trigger)


#: the coarse parts of speech, each written as one letter of :attr:`Words.tags` (by position)
WORD_POS = (
    "", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
    "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE",
)  # fmt: skip
_POS_LETTERS = "abcdefghijklmnopqrs"
#: bit flags of a word, written as one digit of :attr:`Words.flags`
WORD_PARTICLE, WORD_NUMBER, WORD_STOP, WORD_GLUED = 1, 2, 4, 8
_POS_OF = dict(zip(_POS_LETTERS, WORD_POS, strict=True))
_FLAG_OF = {f"{v:x}": v for v in range(16)} | {f"{v:X}": v for v in range(16)}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of the article's parse (see :class:`Words`)."""

    start: int
    end: int
    lemma: str  # lower-cased
    pos: str  # coarse part of speech
    flags: int  # WORD_* bits

    def has(self, flag: int) -> bool:
        return bool(self.flags & flag)


@dataclass(frozen=True, slots=True)
class Words(Record):
    """The words of an article's parse, as the comparison's framing step aligns them (no
    spaces, no punctuation but quotation marks), kept compactly: a few strings per article,
    not an object per word. Empty where the article was not parsed in English (or was stored
    by an older version): the framing step then parses the claims it needs itself.

    ``spans``: base64 of little-endian uint32 ``start, end`` pairs (offsets in the article);
    ``lemmas``: lower-cased lemmas joined by spaces; ``tags``: a letter per word, its coarse
    part of speech by position in :data:`WORD_POS`; ``flags``: a hexadecimal digit per word,
    its ``WORD_*`` bits (particle, number-like, stop word, joined to the previous word by a
    hyphen)."""

    spans: str = ""
    lemmas: str = ""
    tags: str = ""
    flags: str = ""

    def __bool__(self) -> bool:
        return bool(self.tags)

    @classmethod
    def pack(cls, words: list[Word]) -> Words:
        spans = array("I", [n for w in words for n in (w.start, w.end)])
        if sys.byteorder != "little":  # pragma: no cover - the stored form is little-endian
            spans.byteswap()
        return cls(
            base64.b64encode(spans.tobytes()).decode("ascii"),
            " ".join(w.lemma.replace(" ", "_") or "_" for w in words),
            "".join(
                _POS_LETTERS[WORD_POS.index(w.pos)] if w.pos in WORD_POS else "a" for w in words
            ),
            "".join(f"{w.flags & 15:x}" for w in words),
        )

    def unpack(self) -> list[Word]:
        """The words, in text order; empty when the record is missing or malformed."""
        index = self.index()
        return index.within(0, _PAST_ANY_OFFSET) if index.starts else []

    def index(self) -> WordIndex:
        """The words by offset (see :class:`WordIndex`)."""
        return WordIndex(self)


_PAST_ANY_OFFSET = 2**32  # beyond every uint32 offset a record can hold


class WordIndex:
    """An article's :class:`Words` decoded once, each :class:`Word` made only when a span asks
    for it: a story's steps read the words of a few claims or attributions of each article,
    not all of them. Empty (``starts == []``) when the record is missing or malformed."""

    __slots__ = ("_ends", "_flags", "_lemmas", "_tags", "starts")

    def __init__(self, words: Words) -> None:
        self.starts: list[int] = []
        self._ends: list[int] = []
        self._lemmas: list[str] = []
        self._tags = self._flags = ""
        try:
            spans = array("I", base64.b64decode(words.spans, validate=True))
        except ValueError:
            return
        if sys.byteorder != "little":  # pragma: no cover - as in Words.pack
            spans.byteswap()
        lemmas = words.lemmas.split(" ")
        n = len(words.tags)
        if len(spans) != 2 * n or len(lemmas) != n or len(words.flags) != n:
            return
        if not set(words.tags) <= _POS_OF.keys() or not set(words.flags) <= _FLAG_OF.keys():
            return
        self.starts, self._ends = spans[0::2].tolist(), spans[1::2].tolist()
        self._lemmas, self._tags, self._flags = lemmas, words.tags, words.flags

    def within(self, start: int, end: int) -> list[Word]:
        """The words that lie within ``[start, end)`` of the article, in text order."""
        lo = bisect_left(self.starts, start)
        return [
            Word(
                self.starts[k],
                self._ends[k],
                self._lemmas[k],
                _POS_OF[self._tags[k]],
                _FLAG_OF[self._flags[k]],
            )
            for k in range(lo, bisect_left(self.starts, end, lo=lo))
            if self._ends[k] <= end
        ]


@dataclass(slots=True)
class Enriched(Record):
    """Per-article enrichment produced by :mod:`newsprism.nlp.pipeline`."""

    article_id: str
    #: written and read by :meth:`to_dict` / :meth:`from_dict` in a compact form of their own
    sentences: list[Sentence] = field(default_factory=list, metadata=codec.SKIP)
    entities: list[EntityMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    words: Words = field(default_factory=Words)
    #: the language analysis that made the record (:func:`newsprism.nlp.enrich.enricher_id`):
    #: a stored record made by another one is *stale*; empty in records stored before it was
    #: noted
    enricher: str = ""
    #: runtime only: the sha256 of the record as the store holds it (:meth:`record_text`,
    #: before entity names and speakers were made canonical across the archive); empty when
    #: it was never stored. A story's cache key reads it instead of encoding the record again.
    digest: str = field(default="", compare=False, metadata=codec.SKIP)
    #: runtime only: True when only ``entities`` were read from the store (what a run needs of
    #: every stored article); the other fields are then left empty, and the store's
    #: ``enrichment_of`` reads the whole record
    partial: bool = field(default=False, compare=False, metadata=codec.SKIP)

    def record_text(self) -> str:
        """The record as the store keeps it: :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict())

    def record_digest(self) -> str:
        """:attr:`digest`, or where the record was never stored, that of :meth:`record_text`."""
        return self.digest or content_hash(self.record_text())

    def to_dict(self) -> dict[str, Any]:
        """The stored form (the article id is the row's key): sentences as ``[start, end]``
        pairs, their texts apart in ``sentence_text``."""
        d: dict[str, Any] = codec.to_dict(self)
        del d["article_id"]
        d["sentences"] = [[s.start, s.end] for s in self.sentences]
        d["sentence_text"] = [s.text for s in self.sentences]
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any], **override: Any) -> Self:
        """Inverse of :meth:`to_dict`; pass ``article_id``. Records stored by older versions
        (without events, clauses or sentence texts) load too."""
        texts = data.get("sentence_text") or []
        sentences = [
            Sentence(s, e, texts[i] if i < len(texts) else "")
            for i, (s, e) in enumerate(data.get("sentences") or [])
        ]
        return codec.from_dict(cls, data, sentences=sentences, **override)


@dataclass(frozen=True, slots=True)
class Citation(Record):
    """Points at ``articles[article].text[start:end]``."""

    article: str
    start: int
    end: int


@dataclass(slots=True)
class BriefLine(Record):
    text: str
    citations: list[Citation]
    section: str = "key"  # key | adds | conflict | timeline


# --------------------------------------------------------------------------- a story's findings


@dataclass(slots=True)
class Cited(Record):
    """A span of one outlet's article that a finding cites: ``text`` is
    ``articles[article].text[start:end]``."""

    article: str
    start: int
    end: int
    text: str
    outlet: str


@dataclass(slots=True)
class Source(Cited):
    """One claim carrying a fact, as a citation with its outlet and speaker."""

    speaker: str | None = None
    published: str | None = None

    @classmethod
    def of(cls, c: Claim) -> Source:
        return cls(c.article, c.start, c.end, c.text, c.outlet, c.speaker, c.published)


@dataclass(slots=True)
class ConflictValue(Record):
    """One outlet's value of a slot, with the span that states it."""

    value: str
    article: str
    start: int
    end: int
    text: str
    outlet: str
    published: str | None = None


@dataclass(slots=True)
class Conflict(Record):
    """Two or more values of one slot. ``kind`` is ``conflict`` (they cannot all hold) or
    ``update`` (a figure reported on different days); ``why`` says why the claims are taken
    to be about the same event."""

    slot: str  # number | number:vote | date | person:<role> | place | place:<area> | negation
    values: list[ConflictValue]
    kind: str = "conflict"
    why: str = ""


@dataclass(slots=True)
class Fact(Record):
    """Claims that the same-fact judge found to state one fact (see
    :mod:`newsprism.stories.facts` for the statuses)."""

    id: str
    text: str
    status: str  # corroborated | single-source | conflicting
    outlets: list[str]
    sources: list[Source]
    conflicts: list[Conflict] = field(default_factory=list)
    updates: list[Conflict] = field(default_factory=list)
    related: list[Source] = field(default_factory=list)  # overlapping coverage, not agreement
    claims: list[Claim] = field(default_factory=list, metadata=codec.SKIP)  # runtime only
    independent: int = 1  # number of independent outlets carrying it
    centrality: float = field(default=0.0, metadata=codec.SKIP)  # runtime only (the brief)
    #: the judge's lowest probability between two of its outlets' claims
    p_same: float = field(default=1.0, metadata=codec.rounded(3))


@dataclass(slots=True)
class Coverage(Record):
    """Which outlet carries which fact: ``matrix[i][j]`` is 1 when ``outlets[i]`` carries
    ``facts[j]`` (a fact id)."""

    outlets: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)


@dataclass(slots=True)
class DatedSource(Cited):
    """A timeline entry's source: the claim's span, and the date mention that places it."""

    speaker: str | None = None
    date: Span | None = field(default=None, metadata=codec.OMIT_EMPTY)


@dataclass(slots=True)
class TimelineEntry(Record):
    """A fact placed at the date of what it describes (docs/timeline.md)."""

    date: str  # TIMEX3 value: a day, month, year, week or range
    label: str  # the date as shown ("the week of 2023-03-13")
    text: str
    fact: str  # the fact's id
    sources: list[DatedSource] = field(default_factory=list)
    #: other dates outlets give the same fact (talks on May 20 vs May 22)
    disputed: list[str] = field(default_factory=list, metadata=codec.OMIT_EMPTY)
    #: the story it comes from, in a storyline's timeline
    story: str | None = field(default=None, metadata=codec.OMIT_EMPTY)


@dataclass(slots=True)
class EventRecord(Record):
    """One event of a story as a row (the columns of docs/events.md); ``outlets`` is the number
    of independent outlets reporting the same event (same type, actor pair and day)."""

    date: str | None
    date_from: str | None  # where the date comes from: text | published
    source_actor: str | None
    source_country: str | None
    source_sector: str | None
    type: str
    plover_type: str
    mode: str
    modality: str | None
    target_actor: str | None
    target_country: str | None
    target_sector: str | None
    location: str | None
    reporter: str | None
    article: str
    outlet: str | None
    sentence_start: int | None
    sentence_end: int | None
    trigger: str
    trigger_start: int
    trigger_end: int
    outlets: int = 0


@dataclass(slots=True)
class EventPair(Record):
    """The events of one (source actor, target actor, day): how many, of which types, from how
    many independent outlets and which articles."""

    date: str | None
    source_actor: str
    source_country: str | None
    target_actor: str
    target_country: str | None
    events: int
    types: dict[str, int]
    outlets: int
    articles: list[str]


@dataclass(slots=True)
class Evidence(Cited):
    """A cited span (a claim or sentence) of one outlet with the marked words inside it."""

    mark: Span


@dataclass(slots=True)
class FramingItem(Record):
    """How one outlet words or names something against the others (docs/compare.md#framing):
    ``ours`` where the outlets in ``others`` write ``theirs``, scored by weighted log-odds with
    an informative prior over ``counts`` (ours here, all ours, theirs here, all theirs)."""

    kind: str  # substitution | naming | hedge
    outlet: str
    ours: str
    theirs: str
    score: float = field(metadata=codec.rounded(3))
    counts: list[int]
    prior: list[float] = field(metadata=codec.rounded(4))
    evidence: list[Evidence]
    others: list[str] = field(metadata=codec.renamed("with"))
    aspect: str | None = field(default=None, metadata=codec.OMIT_EMPTY)
    entity: str | None = field(default=None, metadata=codec.OMIT_EMPTY)


@dataclass(slots=True)
class Quote(Record):
    """One attribution of a speaker in one article: the cue and the content's spans."""

    article: str
    outlet: str
    kind: AttributionKind
    via: str | None
    cue: Span | None
    content: list[Span]


@dataclass(slots=True)
class SpeakerQuotes(Record):
    """What one speaker (surname variants merged) is quoted saying, across outlets."""

    speaker: str
    quotes: list[Quote] = field(default_factory=list)


@dataclass(slots=True)
class StoryEntity(Record):
    """A canonical entity as it appears in one story: its spellings and the story's articles
    that mention it."""

    name: str
    type: str
    variants: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StoryAttribution(Record):
    """An attribution of one of the story's articles (who said what, with its spans)."""

    article: str
    source: Span | None
    cue: Span | None
    content: list[Span]
    speaker: str | None
    kind: AttributionKind
    via: str | None = None
    reporting: bool = True


@dataclass(slots=True)
class Story(Record):
    """One event across outlets with everything found about it; ``stories.json`` writes it
    with its derived fields (outlets, first and last publication) as docs/schema.md shows."""

    id: str
    title: str
    articles: list[str]
    brief: list[BriefLine] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)
    timeline: list[TimelineEntry] = field(default_factory=list)
    framing: dict[str, list[FramingItem]] = field(default_factory=dict)  # per outlet, best first
    quotes: list[SpeakerQuotes] = field(default_factory=list)  # most quoted first
    events: list[EventRecord] = field(default_factory=list, metadata=codec.OMIT_EMPTY)
    event_pairs: list[EventPair] = field(default_factory=list, metadata=codec.OMIT_EMPTY)
    background: list[TimelineEntry] = field(default_factory=list)  # dated long before
    entities: list[StoryEntity] = field(default_factory=list)
    attributions: list[StoryAttribution] = field(default_factory=list)
    storyline: str | None = None


#: the fields of a story's record that a :class:`StoredStory` decodes only when one is read
STORED_LAZILY: tuple[str, ...] = (
    "attributions",
    "brief",
    "facts",
    "coverage",
    "framing",
    "quotes",
    "events",
    "event_pairs",
    "background",
)


class _FromRecord:
    """A field of :class:`StoredStory`: the story's own slot, filled from its record the first
    time it is read (every lazy field at once)."""

    __slots__ = ("slot",)

    def __init__(self, name: str) -> None:
        self.slot = Story.__dict__[name]  # the dataclass's slot of that field

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return self.slot.__get__(obj, owner)
        except AttributeError:  # not read yet
            obj._decode()
            return self.slot.__get__(obj, owner)

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)


class StoredStory(Story):
    """A story held as its record, the JSON text the store keeps (:mod:`newsprism.record`):
    its comparison (facts, brief, coverage, framing, quotes, events, background) and its
    attribution list (:data:`STORED_LAZILY`) are decoded from the text the first time one of
    them is read. A result over a large archive thus holds each story's text rather than its
    objects (about a third of the memory), and a run that reuses a stored story does not
    decode what nobody reads. It reads, compares and encodes like the :class:`Story` it stands
    for."""

    __slots__ = ("record",)
    record: str

    @classmethod
    def of(cls, record: str, **fields_: Any) -> StoredStory:
        """The story whose record is ``record`` (JSON text); ``fields_`` sets the fields that are
        not decoded lazily (id, title, articles, timeline, entities, storyline; one left out
        takes its default)."""
        story = cls.__new__(cls)
        for f in fields(Story):
            if f.name in STORED_LAZILY:
                continue
            if f.name in fields_:
                value = fields_.pop(f.name)
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            else:
                value = f.default
            object.__setattr__(story, f.name, value)
        if fields_:
            raise TypeError(f"not eager fields of a stored story: {sorted(fields_)}")
        story.record = record
        return story

    @classmethod
    def holding(cls, story: Story, record: str) -> StoredStory:
        """``story`` held as ``record``, its own record's text: its eager fields are kept as
        they are, the lazy ones let go (decoded from ``record`` when read)."""
        return cls.of(
            record,
            **{
                f.name: getattr(story, f.name) for f in fields(Story) if f.name not in STORED_LAZILY
            },
        )

    def _decode(self) -> None:
        data = json.loads(self.record)
        lazy = {k: data[k] for k in STORED_LAZILY if k in data}
        whole = Story.from_dict({"id": self.id, "title": self.title, "articles": [], **lazy})
        for name in STORED_LAZILY:
            try:
                Story.__dict__[name].__get__(self, StoredStory)
            except AttributeError:  # (a field set since is kept)
                setattr(self, name, getattr(whole, name))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Story):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Story))

    __hash__ = None  # type: ignore[assignment]  # mutable, as Story


for _name in STORED_LAZILY:
    setattr(StoredStory, _name, _FromRecord(_name))


#: the column sets of the event exports, in order (docs/events.md)
EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRecord))
PAIR_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventPair))


@dataclass(slots=True)
class Storyline(Record):
    """A topic that holds stories (events) over time; each story is in exactly one."""

    id: str
    title: str
    stories: list[str]  # story ids, in time order
    first_published: str | None = None
    last_published: str | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)  # its stories' events, ordered


@dataclass(slots=True)
class Skipped(Record):
    """An input that could not be read, with a one-line reason."""

    path: str
    reason: str
    kind: str  # short machine key: empty, binary, too-large, undecodable, unreadable, malformed...


@dataclass(slots=True)
class AnalysisResult:
    articles: list[Article]
    stories: list[Story]
    skipped: list[Skipped] = field(default_factory=list)
    #: each article's enrichment as outlines (:attr:`Enriched.partial`: entities with their
    #: canonical names); the whole records stay in the store
    #: (``open_store(path).enrichment_of(ids)``), so a result's memory does not grow with every
    #: article's parse
    enriched: dict[str, Enriched] = field(default_factory=dict)
    files_read: int = 0
    entities: list[Entity] = field(default_factory=list)
    unchanged: int = 0  # inputs already in the store (same content hash), not read again
    new_articles: int = 0
    storylines: list[Storyline] = field(default_factory=list)
    #: each story's record as the store keeps it (JSON), by story id, as ``analyze`` wrote them:
    #: the output writers key their cache on these instead of encoding every story again
    story_texts: dict[str, str] = field(default_factory=dict)
