"""Core data model: plain dataclasses passed between the pipeline stages.

Offsets are Python string offsets into ``Article.text`` (the cleaned text), and a
:class:`Span` always satisfies ``article.text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "2.0"


@dataclass(frozen=True, slots=True)
class Span:
    """A character span of an article's cleaned text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass(slots=True)
class Removed:
    """A piece of the raw text that cleaning removed, kept with the reason (nothing is lost)."""

    text: str
    reason: str
    line: int | None = None


@dataclass(slots=True)
class Article:
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
        d = asdict(self)
        if not raw:
            d.pop("raw")
        return d


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class EntityMention:
    """An entity mention in one article; ``canonical`` is filled by corpus-wide merging."""

    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, EVENT, ...
    name: str  # the in-article full name this mention stands for ("Putin" -> "Vladimir Putin")
    role: str | None = None  # "Kremlin spokesman" for "Kremlin spokesman Dmitry Peskov"
    canonical: str | None = None


@dataclass(slots=True)
class Entity:
    """A corpus-wide canonical entity with its spelling variants."""

    name: str
    type: str
    variants: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0
    roles: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression; ``value`` is TIMEX3 style (``2023-03-20``, ``2023-03``, ``2023-W11``,
    ``2023-03-20/2023-03-22``) or None when it cannot be anchored."""

    start: int
    end: int
    text: str
    value: str | None
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"


AttributionKind = Literal["direct", "indirect", "mixed"]


@dataclass(slots=True)
class Attribution:
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": [c.to_dict() for c in self.content],
            "speaker": self.speaker,
            "kind": self.kind,
            "via": self.via,
            "reporting": self.reporting,
        }


@dataclass(frozen=True, slots=True)
class Clause:
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
class Event:
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

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": self.type,
            "source_actor": self.source_actor,
            "target_actor": self.target_actor,
            "trigger": self.trigger.to_dict(),
        }
        for k in _EVENT_PLAIN:
            d[k] = getattr(self, k)
        for k in ("source_span", "target_span", "date_span", "location_span"):
            span = getattr(self, k)
            d[k] = span.to_dict() if span else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """Inverse of :meth:`to_dict`; records stored before the extra fields load too."""

        def span(v: Any) -> Span | None:
            return Span(v["start"], v["end"], v["text"]) if isinstance(v, dict) else None

        trigger = span(d.get("trigger")) or Span(0, 0, "")
        kw: dict[str, Any] = {k: d.get(k) for k in _EVENT_PLAIN if d.get(k) is not None}
        names = ("source_span", "target_span", "date_span", "location_span")
        spans: dict[str, Any] = {k: span(d.get(k)) for k in names}
        return cls(d["type"], d.get("source_actor"), d.get("target_actor"), trigger, **kw, **spans)


_EVENT_PLAIN = (
    "mode",
    "modality",
    "plover_type",
    "source_country",
    "source_sector",
    "target_country",
    "target_sector",
    "date",
    "location",
    "reporter",
)


@dataclass(slots=True)
class Enriched:
    """Per-article enrichment produced by :mod:`newsprism.nlp.pipeline`."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Citation:
    """Points at ``articles[article].text[start:end]``."""

    article: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "start": self.start, "end": self.end}


@dataclass(slots=True)
class BriefLine:
    text: str
    citations: list[Citation]
    section: str = "key"  # key | adds | conflict | timeline

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "section": self.section,
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(slots=True)
class Story:
    id: str
    title: str
    articles: list[str]
    brief: list[BriefLine] = field(default_factory=list)
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # facts, timeline, framing, quotes, entities...


@dataclass(slots=True)
class Storyline:
    """A topic that holds stories (events) over time; each story is in exactly one."""

    id: str
    title: str
    stories: list[str]  # story ids, in time order
    first_published: str | None = None
    last_published: str | None = None
    timeline: list[dict[str, Any]] = field(default_factory=list)  # its stories' events, ordered

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "stories": list(self.stories),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "timeline": self.timeline,
        }


@dataclass(slots=True)
class Skipped:
    """An input that could not be read, with a one-line reason."""

    path: str
    reason: str
    kind: str  # short machine key: empty, binary, too-large, undecodable, unreadable, malformed...


@dataclass(slots=True)
class AnalysisResult:
    articles: list[Article]
    stories: list[Story]
    skipped: list[Skipped] = field(default_factory=list)
    enriched: dict[str, Enriched] = field(default_factory=dict)
    files_read: int = 0
    entities: list[Entity] = field(default_factory=list)
    unchanged: int = 0  # inputs already in the store (same content hash), not read again
    new_articles: int = 0
    storylines: list[Storyline] = field(default_factory=list)
