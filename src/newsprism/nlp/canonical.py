"""Corpus-wide canonical entities: merge spelling and transliteration variants.

:func:`canonicalize` takes the mentions of many articles (``{article_id: [EntityMention]}``,
as produced by :func:`newsprism.nlp.entities.extract_entities`) and groups the names that
denote the same entity, within one type (PERSON with PERSON; GPE and LOC together):

1. the curated alias file (``newsprism/data/aliases.tsv``, extended by the user's own file):
   "Kiev"/"Kyiv", "Chinese Foreign Ministry"/"Ministry of Foreign Affairs of China";
2. transliteration-aware keys (:func:`token_key`): diacritics, y/i/j, ts/tz, kh/h, double
   letters, -sky/-ski/-skyi endings: "Zelenskyi", "Zelenskiy", "Zelenskyy" and "Zelensky"
   share one key, "Volodymyr" and "Volodimir" another;
3. rapidfuzz similarity of those keys for the rest (high threshold, same initial letter,
   token by token for people);
4. acronyms ("NATO") that match the initials of exactly one merged full name;
5. initials ("J. Smith") and surname-only mentions ("Smith") that match exactly one
   full-name person of the corpus.

The canonical name of an entity is its most frequent full variant (ties: the alias file's
preferred spelling, then longest, then alphabetical), so the result does not depend on input order. ``mention.canonical`` is filled
in place for every mention.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from newsprism.model import Entity, EntityMention
from newsprism.unionfind import UnionFind

log = logging.getLogger(__name__)

#: similarity (0-100) of two transliteration keys needed to merge them
FUZZY_THRESHOLD = 92.0
#: similarity of each token pair of two person names
FUZZY_TOKEN_THRESHOLD = 80.0
#: shortest key that fuzzy matching considers (short names differ by design: Iran/Iraq)
FUZZY_MIN_LEN = 6
CONFUSABLE = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_TRANSLIT = (
    ("tsch", "ch"),
    ("tch", "ch"),
    ("shch", "sh"),
    ("sch", "sh"),
    ("kh", "h"),
    ("ck", "k"),
    ("ph", "f"),
    ("tz", "ts"),
    ("x", "ks"),
    ("w", "v"),
)


# --------------------------------------------------------------------------- keys


def strip_diacritics(text: str) -> str:
    """Drop accents: "Zelenśkyj" -> "Zelenskyj" (letters kept, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def token_key(word: str) -> str:
    """Transliteration-aware key of one word: equal for common romanisation variants.

    "Zelensky", "Zelenskyi", "Zelenskiy", "Zelenskyy" -> "zelenski";
    "Volodymyr", "Volodimir" -> "volodimir"; "Kharkiv" -> "harkiv".
    """
    s = strip_diacritics(word).casefold()
    s = re.sub(r"[^a-z]", "", s)
    if not s:
        return word.casefold()
    if s.startswith("ye"):
        s = s[1:]
    for old, new in _TRANSLIT:
        s = s.replace(old, new)
    # y anywhere but word-initially, j after the first letter: "Dmitrij", "Dmitriy" -> "dmitrii"
    s = s[0] + s[1:].replace("y", "i").replace("j", "i")
    s = s.replace("ts", "c")
    s = re.sub(r"(.)\1+", r"\1", s)  # double letters
    s = re.sub(r"sk(?:i|ii|ie)$", "ski", s)
    return s


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Case-, diacritic- and punctuation-insensitive form used for exact alias matching."""
    s = strip_diacritics(name.translate(APOSTROPHES)).casefold()
    s = s.replace(".", "")
    s = re.sub(r"['\"“”]s?$", "", s.strip())
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"[\s\-–]+", " ", s)
    return s.strip(" ,;:'\"()")


def name_words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s]+", name.strip()) if w]


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Transliteration key of a whole name (hyphenated parts joined: "Wen-pin" -> "wenpin").

    An abbreviation keeps its letters ("N.Y." -> "ny", "N.J." -> "nj"): romanisation variants
    are spellings of names, and read into initials they made New York and New Jersey one key."""
    if _ABBREVIATION.fullmatch(name.strip()):
        return name.replace(".", "").strip().casefold()
    words = [w for w in re.split(r"\s+", normalize_name(name).replace(" - ", " ")) if w]
    return " ".join(token_key(w) for w in words)


#: an abbreviation written with full stops ("N.Y.", "U.S.", "D.C.") or of two or three
#: capitals ("NY", "UAE")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){1,4}[A-Z]?|[A-Z]{2,3}")


def acronym(name: str) -> str:
    """Initials of the capitalised words: "North Atlantic Treaty Organization" -> "NATO"."""
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w[0].isupper())


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.?-?){1,3}", word))


def _is_acronym(name: str) -> bool:
    bare = name.replace(".", "")
    return " " not in bare and bare.isupper() and 2 <= len(bare) <= 6


def type_group(label: str) -> str:
    """GPE and LOC merge with each other; every other label only with itself."""
    return "GPE" if label in {"GPE", "LOC"} else label


# --------------------------------------------------------------------------- alias file


@dataclass(frozen=True, slots=True)
class AliasEntry:
    type: str  # a label, or "*" for any
    names: tuple[str, ...]


def read_aliases(path: Path | None = None) -> list[AliasEntry]:
    """Entries of an alias file (the packaged one when ``path`` is None).

    A missing or unreadable file is logged and gives no entries; malformed lines are skipped.
    """
    try:
        if path is None:
            text = resources.files("newsprism").joinpath("data/aliases.tsv").read_text("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("alias file %s not read: %s", path or "aliases.tsv", exc)
        return []
    return parse_aliases(text)


def parse_aliases(text: str) -> list[AliasEntry]:
    """Parse alias-file text (see the header of ``newsprism/data/aliases.tsv``)."""
    out: list[AliasEntry] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        if len(fields) < 3:
            log.debug("alias line %d ignored (needs a type and two names): %r", lineno, line)
            continue
        out.append(AliasEntry(fields[0].upper() if fields[0] != "*" else "*", tuple(fields[1:])))
    return out


@lru_cache(maxsize=1)
def _packaged_aliases() -> tuple[AliasEntry, ...]:
    return tuple(read_aliases(None))


@lru_cache(maxsize=1)
def alias_types() -> dict[str, str]:
    """Normalized name -> type, for the typed lines of the packaged alias file."""
    out: dict[str, str] = {}
    for entry in _packaged_aliases():
        if entry.type != "*":
            for n in entry.names:
                out.setdefault(normalize_name(n), entry.type)
    return out


@lru_cache(maxsize=1)
def one_word_aliases() -> dict[str, frozenset[str]]:
    """Lower-cased one-word name -> the other one-word names of its packaged alias line
    ("kiev" -> {"kyiv"}): spellings of one name that need no fuzzy matching."""
    out: dict[str, set[str]] = {}
    for entry in _packaged_aliases():
        words = {n.lower() for n in entry.names if " " not in n.strip()}
        for w in words:
            out.setdefault(w, set()).update(words - {w})
    return {w: frozenset(o) for w, o in out.items() if o}


def _load_aliases(aliases: Path | None) -> list[AliasEntry]:
    entries = list(_packaged_aliases())
    if aliases is not None:
        entries.extend(read_aliases(Path(aliases)))
    return entries


# --------------------------------------------------------------------------- merging


@dataclass(slots=True)
class _Node:
    group: str
    norm: str
    key: str
    words: list[str]
    names: Counter = field(default_factory=Counter)  # display name -> mentions
    display: str = ""  # the most mentioned name (set once every mention is counted)
    full: bool = False  # a full name (see :meth:`settle`)
    acronym: bool = False  # the display name is an acronym

    def settle(self) -> None:
        """Fix what the merges read of the node, once its names are all counted. A full name
        is a person's of two or more words and no initials; else a name that is no acronym."""
        self.display = min(self.names.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        self.words = name_words(self.display)
        self.acronym = _is_acronym(self.display)
        if self.group == "PERSON":
            self.full = len(self.words) >= 2 and not any(_is_initial(w) for w in self.words)
        else:
            self.full = not self.acronym


def canonicalize(
    mentions: dict[str, list[EntityMention]], aliases: Path | None = None
) -> list[Entity]:
    """Merge the entity mentions of many articles into canonical entities.

    ``mentions`` maps article id -> that article's mentions; every mention gets its
    ``canonical`` name filled in place. ``aliases`` is an optional user alias file that
    extends the packaged one. Returns the entities, most mentioned first (then by name).
    """
    entries = _load_aliases(aliases)
    typed = {normalize_name(n): e.type for e in entries if e.type != "*" for n in e.names}
    # the mentions by kind (name, text, label, role), in order of first appearance: an archive
    # repeats a few thousand kinds tens of thousands of times, and every rule below reads the
    # kind only (how many, and in which articles)
    kinds: dict[tuple[str, str, str, str | None], _Kind] = {}
    for article_id in sorted(mentions, key=str):
        for m in mentions[article_id] or []:
            if not isinstance(m, EntityMention):
                continue
            key = (m.name, m.text, m.label, m.role)
            kind = kinds.get(key)
            if kind is None:
                name = (m.name or m.text or "").strip()
                if not name:
                    continue
                kind = kinds[key] = _Kind(name, m.text, m.label, m.role, type_group(m.label))
            kind.mentions.append(m)
            kind.articles.add(str(article_id))
    if not kinds:
        return []
    listed = list(kinds.values())
    groups = _vote_groups(listed, typed)
    preferred = {normalize_name(e.names[0]) for e in entries}

    nodes: list[_Node] = []
    index: dict[tuple[str, str], int] = {}
    node_of: list[int] = []
    for kind, group in zip(listed, groups, strict=True):
        norm = normalize_name(kind.name) or kind.name.casefold()
        k = (group, norm)
        if k not in index:
            index[k] = len(nodes)
            nodes.append(_Node(group, norm, name_key(kind.name) or norm, []))  # (words: settle)
        nodes[index[k]].names[kind.name] += len(kind.mentions)
        node_of.append(index[k])
    for node in nodes:
        node.settle()

    uf = UnionFind(len(nodes))
    _merge_aliases(nodes, index, entries, uf)
    _merge_keys(nodes, uf)
    _merge_fuzzy(nodes, uf)
    _merge_acronyms(nodes, uf)
    _merge_short_persons(nodes, uf)
    return _build(listed, node_of, nodes, uf, preferred)


@dataclass(slots=True)
class _Kind:
    """The mentions of one kind: one name, written one way, with one label and role."""

    name: str  # the name (or, without one, the text), stripped
    text: str
    label: str
    role: str | None
    group: str  # the label's type group
    mentions: list[EntityMention] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)


def _vote_groups(kinds: list[_Kind], typed: dict[str, str]) -> list[str]:
    """One type per name: alias-file types first, else the majority label of that exact name."""
    votes: dict[str, Counter] = defaultdict(Counter)
    norms = [normalize_name(k.mentions[0].name or k.text) for k in kinds]
    for kind, norm in zip(kinds, norms, strict=True):
        votes[norm][kind.group] += len(kind.mentions)
    out: list[str] = []
    for kind, norm in zip(kinds, norms, strict=True):
        group = kind.group
        if kind.label in CONFUSABLE:
            if norm in typed and typed[norm] in CONFUSABLE:
                group = type_group(typed[norm])
            else:
                counts = votes[norm]
                confusable = [(g, c) for g, c in counts.items() if g in CONFUSABLE]
                if len(confusable) > 1:
                    group = min(confusable, key=lambda gc: (-gc[1], gc[0]))[0]
        out.append(group)
    return out


def _merge_aliases(
    nodes: list[_Node], index: dict[tuple[str, str], int], entries: list[AliasEntry], uf: UnionFind
) -> None:
    by_norm: dict[str, list[int]] = defaultdict(list)
    for (_, norm), i in index.items():
        by_norm[norm].append(i)
    for entry in entries:
        want = None if entry.type == "*" else type_group(entry.type)
        per_group: dict[str, list[int]] = defaultdict(list)
        for n in entry.names:
            for i in by_norm.get(normalize_name(n), []):
                if want is None or nodes[i].group == want:
                    per_group[nodes[i].group].append(i)
        for ids in per_group.values():
            for i in ids[1:]:
                uf.union(ids[0], i)


def _merge_keys(nodes: list[_Node], uf: UnionFind) -> None:
    first: dict[tuple[str, str], int] = {}
    for i, node in enumerate(nodes):
        k = (node.group, node.key)
        if k in first:
            uf.union(first[k], i)
        else:
            first[k] = i


def _merge_fuzzy(nodes: list[_Node], uf: UnionFind) -> None:
    """Join keys of one type, first letter and word count that read nearly alike (rapidfuzz's
    ratio at least ``FUZZY_THRESHOLD``, lengths within 20%; people token by token too). Each
    block's pairs are scored at once; which pairs join does not depend on the order."""
    blocks: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        if len(node.key) >= FUZZY_MIN_LEN and not node.acronym:
            blocks[(node.group, node.key[0], len(node.key.split()))].append(i)
    for (group, _, _), ids in blocks.items():
        if len(ids) < 2:
            continue
        keys = [nodes[i].key for i in ids]
        for start in range(0, len(keys), _FUZZY_ROWS):  # rows in chunks: memory stays bounded
            scores = process.cdist(
                keys[start : start + _FUZZY_ROWS],
                keys,
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_THRESHOLD,
                workers=1,
            )
            for row, b_pos in zip(*np.nonzero(scores), strict=True):
                a_pos = start + int(row)
                if b_pos <= a_pos:
                    continue
                ka, kb = keys[a_pos], keys[b_pos]
                if abs(len(ka) - len(kb)) > 0.2 * max(len(ka), len(kb)):
                    continue
                if group == "PERSON" and not _person_tokens_agree(ka, kb):
                    continue
                uf.union(ids[a_pos], ids[b_pos])


_FUZZY_ROWS = 1024


def _person_tokens_agree(ka: str, kb: str) -> bool:
    """Token-by-token check for people: "Robert"/"Roberta" or "Kowalski"/"Kowalska" differ."""
    ta, tb = ka.split(), kb.split()
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb, strict=True):
        if x == y:
            continue
        if x[:1] != y[:1] or fuzz.ratio(x, y) < FUZZY_TOKEN_THRESHOLD:
            return False
        if x[:-1] == y[:-1] and {x[-1], y[-1]} & {"a", "o"}:
            return False
        if x + "a" == y or y + "a" == x:
            return False
    return True


def _clusters(nodes: list[_Node], uf: UnionFind) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        out[uf.find(i)].append(i)
    return out


def _merge_acronyms(nodes: list[_Node], uf: UnionFind) -> None:
    """An acronym joins the one merged full name whose initials it spells."""
    by_initials: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, node in enumerate(nodes):
        if len(node.words) >= 2 and not node.acronym:
            ac = acronym(node.display)
            if len(ac) >= 2:
                by_initials[(node.group, ac)].add(uf.find(i))
    for i, node in enumerate(nodes):
        if node.acronym:
            roots = {
                uf.find(r) for r in by_initials.get((node.group, node.display.replace(".", "")), ())
            }
            roots.discard(uf.find(i))
            if len(roots) == 1:
                uf.union(i, roots.pop())


def _merge_short_persons(nodes: list[_Node], uf: UnionFind) -> None:
    """Surname-only and initial forms join the one full-name person they fit."""
    last: dict[str, set[int]] = defaultdict(set)
    first: dict[str, set[int]] = defaultdict(set)
    full_of_root: dict[int, list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        if node.group == "PERSON" and node.full:
            keys = node.key.split()
            root = uf.find(i)
            last[keys[-1]].add(root)
            first[keys[0]].add(root)
            full_of_root[root].append(i)
    clusters = _clusters(nodes, uf)
    for root, ids in sorted(clusters.items()):
        if nodes[root].group != "PERSON" or root in full_of_root:
            continue
        candidates: set[int] = set()
        for i in ids:
            node = nodes[i]
            keys = node.key.split()
            if not keys or node.display.endswith("."):  # "Conn.": an abbreviation, not a name
                continue
            if len(keys) == 1:
                found = last.get(keys[0]) or first.get(keys[0]) or set()
            else:  # "J. Smith", "J. R. Smith": initials must fit the full name's first word
                initial = node.words[0][:1].casefold()
                found = {
                    r
                    for r in last.get(keys[-1], set())
                    if any(nodes[f].words[0][:1].casefold() == initial for f in full_of_root[r])
                }
            candidates |= found
        if len(candidates) == 1:
            uf.union(root, candidates.pop())
    _merge_extended_persons(nodes, uf)


def _merge_extended_persons(nodes: list[_Node], uf: UnionFind) -> None:
    """A longer name ending in exactly one known two-word name joins it.

    "Former Miss Universe Alicia Machado" tagged as "Universe Alicia Machado" joins "Alicia
    Machado"; the canonical name stays the most frequent variant.
    """
    two_word: dict[str, set[int]] = defaultdict(set)
    for i, node in enumerate(nodes):
        if node.group == "PERSON" and node.full and len(node.key.split()) == 2:
            two_word[node.key].add(uf.find(i))
    for i, node in enumerate(nodes):
        keys = node.key.split()
        if node.group != "PERSON" or len(keys) < 3 or any(_is_initial(w) for w in node.words):
            continue
        roots = {uf.find(r) for r in two_word.get(" ".join(keys[-2:]), ())}
        roots.discard(uf.find(i))
        if len(roots) == 1:
            uf.union(i, roots.pop())


def _build(
    kinds: list[_Kind],
    node_of: list[int],
    nodes: list[_Node],
    uf: UnionFind,
    preferred: set[str],
) -> list[Entity]:
    members: dict[int, list[int]] = defaultdict(list)  # root -> kind indices
    for pos, n in enumerate(node_of):
        members[uf.find(n)].append(pos)
    entities: list[Entity] = []
    for root, positions in members.items():
        group = nodes[root].group
        names: Counter = Counter()
        labels: Counter = Counter()
        variants: set[str] = set()
        articles: set[str] = set()
        roles: set[str] = set()
        count = 0
        spelled_in: dict[str, set[str]] = defaultdict(set)  # article -> its variants
        for pos in positions:
            kind = kinds[pos]
            many = len(kind.mentions)
            count += many
            names[kind.name] += many
            labels[kind.label if type_group(kind.label) == group else group] += many
            surface = _surface_of(kind.text or "", kind.role if group == "PERSON" else None)
            spelled = {kind.name, surface} if surface else {kind.name}
            variants |= spelled
            articles |= kind.articles
            for a in kind.articles:
                spelled_in[a] |= spelled
            if kind.role:
                roles.add(kind.role)
        canonical = _choose_name(names, group, preferred)
        for pos in positions:
            for m in kinds[pos].mentions:
                m.canonical = canonical
        etype = min(labels.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        entities.append(
            Entity(
                name=canonical,
                type=etype,
                variants=sorted(variants),
                articles=sorted(articles),
                mentions=count,
                roles=sorted(roles),
                spelled_in=dict(spelled_in),
            )
        )
    entities.sort(key=lambda e: (-e.mentions, e.name, e.type))
    log.debug("canonicalize: %d kinds of mention -> %d entities", len(kinds), len(entities))
    return entities


_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")


@lru_cache(maxsize=65536)
def _surface_of(written: str, role: str | None) -> str:
    """A mention as written, without a leading "the", a possessive or (a person's) glued
    title ``role``."""
    text = _POSSESSIVE.sub("", _LEADING_THE.sub("", " ".join(written.split()))).strip()
    if role and text.startswith(role + " "):
        text = text[len(role) + 1 :]
    return text


def _choose_name(names: Counter, group: str, preferred: set[str]) -> str:
    """Most frequent full variant; ties: the alias file's preferred spelling, then longest,
    then alphabetical."""

    def is_full(name: str) -> bool:
        words = name_words(name)
        if group == "PERSON":
            return len(words) >= 2 and not any(_is_initial(w) for w in words)
        return not _is_acronym(name)

    pool = [n for n in names if is_full(n)] or list(names)
    return min(pool, key=lambda n: (-names[n], normalize_name(n) not in preferred, -len(n), n))


def canonical_names(entities: Iterable[Entity]) -> dict[str, str]:
    """Variant -> canonical name, handy for callers that only have surface strings."""
    out: dict[str, str] = {}
    for e in entities:
        for v in e.variants:
            out.setdefault(v, e.name)
    return out
