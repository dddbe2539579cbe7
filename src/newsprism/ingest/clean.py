"""The scraped-text cleaner: turns scraped article text into clean paragraphs.

Conservative by design: a line is removed only on strong evidence (a known junk phrase,
JavaScript debris, an HTML tag, a photo credit...), and every removed piece is kept in
:attr:`Cleaned.removed` with its reason and raw line number, so nothing is lost.

What it does, in order:

1. Unicode NFC; ``<script>``/``<style>`` blocks and HTML comments removed (``ad-script``,
   ``html-comment``); HTML entities decoded (recorded as ``html-entity``, not removed);
   HTML tags removed (``html-tag``), block tags (``</p>``, ``<br>``) becoming line breaks;
   invisible characters (zero-width spaces, soft hyphens) removed (``invisible``);
   whitespace collapsed to single spaces.
2. Junk lines removed: ad labels and ad-script debris (``Advertisement'; }``, ``});``,
   ``googletag...``), share / subscribe / newsletter / follow / read-more / comments lines,
   source links (``Original Source Link``, a trailing ``Source: ...``), photo captions and
   credits (moved to :attr:`Cleaned.captions`), bylines, timestamps, copyright notices and
   lines without any letter or digit (``empty``).
3. Title: a title repeated at the top is kept once (it becomes the title, both copies leave
   the body: reasons ``title`` and ``repeated-title``); a given ``title`` repeated as the
   first line is removed (``repeated-title``); otherwise a first line that reads like a title
   (short, no final period, capitalised) becomes the title (reason ``title``).
4. Dateline: a dateline at the start of the first paragraph (``BEIJING (Reuters) -``,
   ``Beijing/Moscow –``) is recorded in :attr:`Cleaned.dateline` but **kept in the text**: it
   is part of the article's first sentence and names the place of the report.
5. Paragraphs: one raw line is one paragraph, except hard-wrapped blocks, which are joined;
   paragraphs are separated by a blank line. Bullets (``•``) are kept, with single spacing.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field

from newsprism.model import Removed
from newsprism.text import dateline

__all__ = ["Cleaned", "clean_text", "decode_entities", "same_title"]


@dataclass
class Cleaned:
    """The result of :func:`clean_text`."""

    text: str  # cleaned text: NFC, paragraphs separated by "\n\n", single spaces
    title: str | None  # title found at the top of the text (first line or repeated title)
    captions: list[str] = field(default_factory=list)  # photo captions and credits
    removed: list[Removed] = field(default_factory=list)  # every removed piece, with its reason
    byline: str | None = None  # "Jane Doe" from "By Jane Doe"
    dateline: str | None = None  # "BEIJING (Reuters)" from "BEIJING (Reuters) - ..." (kept in text)


# ---------------------------------------------------------------------------------------------
# Markup

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

_BLOCK_RE = re.compile(
    r"<\s*(script|style|noscript)\b[^>]*>.*?<\s*/\s*\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAGS = (
    "p|br|div|li|ul|ol|h[1-6]|blockquote|section|article|aside|header|footer|nav|main|"
    "table|tbody|thead|tr|td|th|figure|figcaption|hr|pre|dl|dt|dd|html|head|body|title|iframe"
)
_INLINE_TAGS = (
    "a|abbr|b|big|center|cite|code|em|font|i|img|ins|del|mark|q|s|small|span|strong|sub|sup|"
    "u|time|picture|source|video|audio|embed|object|param|link|meta|label|button|input|form|"
    "select|option|textarea|svg|path|caption|col|colgroup|wbr|script|style|noscript"
)
_KNOWN_TAGS = frozenset(t for t in (_BLOCK_TAGS + "|" + _INLINE_TAGS).split("|") if t.isalpha()) | {
    f"h{k}" for k in range(1, 7)
}
_TAG_RE = re.compile(
    rf"<\s*/?\s*(?:(?P<block>{_BLOCK_TAGS})|(?:{_INLINE_TAGS}))\b(?:\s[^<>]{{0,500}})?/?\s*>",
    re.IGNORECASE,
)
# a tag of a site's own making ("<tweet id=...>...</tweet>"): removed, its words kept, when the
# text also closes it (a lone "<tweet" may be prose)
_CUSTOM_TAG_RE = r"<\s*/?\s*{name}\b(?:\s[^<>]{{0,500}})?/?\s*>"
_CLOSED_NAME_RE = re.compile(r"<\s*/\s*([a-z][a-z0-9-]{1,30})\s*>", re.IGNORECASE)
# the credit line a tweet embed leaves: "pic.twitter.com/x — Paul Ryan (@SpeakerRyan) July 5, 2016"
_EMBED_CREDIT_RE = re.compile(
    r"\s*(?:pic\.twitter\.com/\w+\s*)?[—–]\s*[^()\n—–]{1,80}\(@\w{1,30}\)\s+"
    r"[A-Z][a-z]+\.? \d{1,2}, \d{4}"
)
# zero-width joiners (ZWJ, ZWNJ) between two non-ASCII characters build emoji sequences and
# shape scripts such as Persian or Devanagari: those stay; elsewhere they are debris
_JOINER_KEPT = "[^\\x00-\\x7f\\s\u200b\u200c\u200d\u2060\ufeff\u00ad]"
_INVISIBLE_RE = re.compile(
    "(?:[\u200b\u2060\ufeff\u00ad]"
    f"|(?<!{_JOINER_KEPT})[\u200c\u200d]"
    f"|[\u200c\u200d](?!{_JOINER_KEPT}))+"
)


def decode_entities(text: str) -> str:
    """Decode HTML entities that end with a semicolon (``&amp;``, ``&nbsp;``, ``&#8217;``)."""
    return _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)


# ---------------------------------------------------------------------------------------------
# Junk lines

_I = re.IGNORECASE
_JS_HINT = re.compile(
    r"googletag|adsbygoogle|\bwindow\.|\bdocument\.|\bfunction\s*\(|=>|\bvar\s+\w+\s*=|"
    r"\b(?:let|const)\s+\w+\s*=|\.push\(|\bdataLayer\b|\bgtag\(|\btry\s*\{|\bcatch\s*\(|"
    r"\bconsole\.log|\bjQuery\b|\$\(|\bpbjs\b|\bsetTimeout\("
)
_JS_PUNCT = re.compile(r"^[\s{}()\[\];,'\"`]*$")
_AD_WORDS = re.compile(r"\b(?:advertisement|advertising|ad)\b", _I)
_AD_LABEL = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|paid content|"
    r"(?:story|article) continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?|"
    r"continue reading (?:the main story|below)|scroll to continue(?: with content)?|"
    r"skip advertisement|remove ads?)\W*$",
    _I,
)
_SOCIAL = r"(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|e-?mail|print|pinterest|messenger|x|viber|copy link|flipboard|pocket|bluesky|threads)"
_SHARE = re.compile(
    rf"^(?:share(?: (?:this|the))?(?: (?:article|story|post|page|link|video))?"
    rf"(?: (?:on|via|to|with) [\w ]{{1,30}})?|tweet(?: this)?|e-?mail(?: this)?(?: article)?|"
    rf"print(?: this)?(?: article| page)?|copy(?: the)?(?: article)? link|"
    rf"{_SOCIAL}(?:[\s,|/•·]+{_SOCIAL})+)\W*$",
    _I,
)
_NEWSLETTER = re.compile(
    r"^(?:sign up|subscribe|get|join|receive|don'?t miss|want|enter your e-?mail|for the latest|"
    r"our|the)\b.{0,200}\bnewsletters?\b",
    _I,
)
_SUBSCRIBE = re.compile(
    r"^(?:subscribe(?: now| today| here)?|sign up(?: now| here| today)?|sign in to|log in to|"
    r"become a (?:member|subscriber)|already a (?:subscriber|member)|"
    r"support (?:our|independent|quality) journalism|click here to subscribe|"
    r"get unlimited access|unlock (?:this|unlimited)|this (?:article|content) is for subscribers)\b",
    _I,
)
_FOLLOW = re.compile(
    r"^(?:follow|like|join|find)(?: us| \w+(?: \w+)?)? on (?:twitter|facebook|instagram|x|"
    r"telegram|linkedin|youtube|tiktok|threads|google news|whatsapp|bluesky|mastodon)\b|"
    r"^follow us\W*$",
    _I,
)
_READ_MORE = re.compile(
    r"^(?:(?:read more|read also|also read|read next|see also|more on this(?: story)?|"
    r"continue reading|you (?:may|might) also like|what to read next|most read|"
    r"recommended(?: stories| for you)?|related(?: articles?| stories| coverage| content| news)?|"
    r"more from [\w ]{1,30}|click here to read more)\W*$|"
    r"(?:read more|read also|also read|read next|see also)\b.{0,200}$|"
    r"(?:related|more|recommended|watch|listen|video)\s*[:»>|]\s*.{1,200}$)",
    _I,
)
_SOURCE_LINK = re.compile(
    r"^(?:original source link|original source|source link|link to (?:the )?(?:original|source)"
    r"(?: article)?|view (?:the )?original(?: article)?|original article|source url|"
    r"read the original(?: article)?(?: here)?|https?://\S+)\W*$",
    _I,
)
_SOURCE_LINE = re.compile(r"^(?:sources?|via|original(?: source)?)\s*:\s*\S.{0,120}$", _I)
_TIMESTAMP = re.compile(
    r"^(?:published|updated|last updated|posted|first published|modified)"
    r"(?: on| at)?\s*:?\s+(?=.*\d).{3,60}$",
    _I,
)
_COPYRIGHT = re.compile(
    r"^(?:(?:©|\(c\)|copyright)\s*.{0,150}|all rights reserved\.?|"
    r"this (?:material|article) may not be (?:published|reproduced).{0,150})$",
    _I,
)
_COMMENTS = re.compile(
    r"^(?:comments?|\d+ comments?|leave a (?:comment|reply)|show comments|view comments|"
    r"join the (?:discussion|conversation)|comment on this (?:article|story))\W*$",
    _I,
)
_CREDIT = re.compile(
    r"^\(?\s*(?i:(?:photo|photograph|image|picture|foto|video)(?:s| credit)?|credit|"
    r"photo credit|image credit|image source)\s*(?:(?i:by)\b|:|[-–—|])\s*[^.]{1,100}\)?$|"
    r"^\(?\s*(?i:photo|image|picture|foto)s?\)?$|"
    r"^\(?(?:AP|AFP|REUTERS|Reuters|EPA|Getty Images|Bloomberg|Xinhua|TASS|ANP|DPA|dpa)"
    r"(?: Photo)?(?:\s*/\s*[\w .'’-]{2,60})+\)?$",
)
_CAPTION_START = re.compile(
    r"^(?:(?:this|the|a|an|in this)\s+(?:\w+\s+){0,2}(?:photo|photograph|picture|image|"
    r"screenshot|screen grab|video grab|still|handout|combination)s?(?:\s+combination)?"
    r"(?:\s+(?:made|taken|released|provided|dated|posted|obtained|distributed)\b.{0,80}?)?"
    r"\s+(?:shows?|showing|taken|provided|released|made|obtained|distributed|posted|dated)\b"
    r"|file\s*[-–—:]\s|file photo\b|pictured\b)",
    _I,
)
_CREDIT_TAIL = re.compile(
    r"(?:\((?:AP|AFP|Reuters|EPA|Getty|Photo|Foto|Image|Picture|Handout|Xinhua|Sputnik|Pool)"
    r"[^()]{0,80}\)|\b(?:Photo|Photograph|Image|Picture|Credit|Foto)\s*(?:by|:)\s*[^.]{1,80}|"
    r"\bREUTERS/[\w .'’-]{2,60}|/\s*(?:AP|AFP|Reuters|EPA|Getty Images|Bloomberg))\.?\s*$",
)
_AGENCIES = {
    "Reuters",
    "Bloomberg",
    "Xinhua",
    "Interfax",
    "Sputnik",
    "Ukrinform",
    "Yonhap",
    "Kyodo",
}
_SAID = re.compile(r"\b(?:said|says|told|according to)\b")
_BYLINE_BY = re.compile(
    r"^(?i:by|written by|words by|story by|author:?)\s+(?P<name>[A-Z][\w.'’-]*"
    r"(?:\s+(?:[A-Z][\w.'’-]*|van|von|de|da|del|der|bin|al|la|le|and|&|,))*)"
    r"(?:\s*[,|–—-]\s*(?P<role>[\w .&'’/-]{0,60}))?$"
)
_BYLINE_ROLE = re.compile(
    r"^(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s*[|•·]\s*(?P<role>[\w .,&'’/-]{2,60})$"
)
_ROLE_WORDS = re.compile(
    r"reporter|correspondent|editor|writer|journalist|staff|contributor|columnist|news|desk|"
    r"bureau|agency|analyst|producer|author|chief|senior",
    _I,
)
_CREDITS_END = re.compile(
    r"^(?:(?:additional )?reporting|editing|writing|compiled|edited|written|"
    r"(?:with )?additional reporting) by\s.{2,300}$",
    _I,
)

_PROVIDED = re.compile(
    r"^(?:this|the) (?:article|story|report|piece) (?:was|is|has been) (?:first |originally )?"
    r"(?:provided|supplied|distributed|published|syndicated|produced) by\s.{2,120}$",
    _I,
)


def _is_credit_line(s: str) -> bool:
    """A closing line made only of credits: "This article was provided by X. Reporting by Y;
    editing by Z." """
    parts = [p for p in re.split(r"(?<=[.;])\s+(?=[A-Z(])", s.strip()) if p]
    return bool(parts) and all(
        _PROVIDED.match(p.strip("() ")) or _CREDITS_END.match(p.strip("() ")) for p in parts
    )


_WORD_RE = re.compile(r"\w+")
_BULLET_RE = re.compile(r"^([•·▪●◦‣∙◆■□➤►-])\s*")
_TERMINAL = tuple('.!?:;"”’)]»…')


def _norm_key(s: str, limit: int = 400) -> str:
    """A comparison key for titles: case-folded words only ("" for long lines, never titles)."""
    if len(s) > limit:
        return ""
    return " ".join(_WORD_RE.findall(s.casefold()))


def same_title(a: str | None, b: str | None) -> bool:
    """Whether two strings are the same title (case, punctuation and spacing ignored)."""
    if not a or not b:
        return False
    key = _norm_key(a)
    return bool(key) and key == _norm_key(b)


def _has_alnum(s: str) -> bool:
    return any(c.isalnum() for c in s)


def _is_ad_script(s: str) -> bool:
    """JavaScript / ad-script debris: ``Advertisement'; }``, ``});``, ``googletag.cmd.push(...)``."""
    if not any(c in s for c in ";{}"):
        return False
    rest = _AD_WORDS.sub("", s)
    if rest != s and _JS_PUNCT.match(rest) and any(c in rest for c in ";{}"):
        return True
    if _JS_PUNCT.match(s):
        return True
    if not s.rstrip().endswith((";", "{", "}", ")", ",")) and not s.startswith(("}", ")")):
        return False
    punct = sum(s.count(c) for c in "{}();=")
    return punct >= 2 and _JS_HINT.search(s) is not None


def _caption_kind(s: str, edge: bool) -> str | None:
    """ "caption" / "credit" / None for one line."""
    if len(s) <= 160 and _CREDIT.match(s):
        return "credit"
    if len(s) > 600:
        return None
    credit_tail = _CREDIT_TAIL.search(s[-160:]) is not None
    if _CAPTION_START.match(s) and (
        credit_tail or s.upper().startswith("FILE") or (edge and not _SAID.search(s))
    ):
        return "caption"
    if len(s) <= 400 and credit_tail and not s.startswith(("“", '"')):
        return "caption"
    return None


def _junk_reason(s: str, top: bool, bottom: bool, edge: bool = False) -> str | None:
    """Why a (whitespace-normalised, non-empty) line is junk, or None when it is text."""
    if not _has_alnum(s):
        return "ad-script" if any(c in s for c in ";{}") else "empty"
    if _is_ad_script(s):
        return "ad-script"
    n = len(s)
    if n > 600:
        return None
    words = len(s.split())
    if n <= 80 and _AD_LABEL.match(s):
        return "advertisement"
    if n <= 100 and _SHARE.match(s):
        return "share"
    # a line reporting what someone said is article text, whatever words it starts with
    if not (n > 40 and _SAID.search(s)):
        if n <= 250 and words <= 40 and _NEWSLETTER.match(s):
            return "newsletter"
        if n <= 200 and words <= 30 and _SUBSCRIBE.match(s):
            return "subscribe"
        if n <= 150 and _FOLLOW.match(s):
            return "follow"
        if n <= 250 and _READ_MORE.match(s):
            return "read-more"
    if n <= 200 and _SOURCE_LINK.match(s):
        return "source-link"
    if bottom and n <= 150 and words <= 15 and _SOURCE_LINE.match(s):
        return "source-link"
    if (top or bottom) and words <= 12 and _TIMESTAMP.match(s):
        return "timestamp"
    if n <= 200 and _COPYRIGHT.match(s):
        return "copyright"
    if n <= 60 and _COMMENTS.match(s):
        return "comments"
    if _CREDITS_END.match(s) or (bottom and n <= 400 and _is_credit_line(s)):
        return "byline"
    kind = _caption_kind(s, edge)
    if kind:
        return kind
    return None


def _byline(s: str) -> str | None:
    """The author name(s) when the line is a byline (``By Jane Doe``, ``Jane Doe | Reporter``)."""
    if len(s) > 150 or (s.endswith(".") and not re.search(r"\b[A-Z]\.$", s)):
        return None
    m = _BYLINE_BY.match(s)
    if m:
        name = m.group("name").strip(" ,&")
        role = m.group("role") or ""
        tokens = [t for t in re.split(r"[\s,&]+", name) if t and t[0].isupper()]
        single_ok = len(tokens) == 1 and (tokens[0].isupper() or tokens[0] in _AGENCIES)
        if (len(tokens) >= 2 or single_ok) and len(role.split()) <= 8:
            return name
        return None
    m = _BYLINE_ROLE.match(s)
    if m and _ROLE_WORDS.search(m.group("role")):
        return m.group("name").strip()
    return None


def _looks_like_title(s: str) -> bool:
    """A first line that reads like a headline: short, capitalised, no final period."""
    if not 8 <= len(s) <= 200 or s.endswith(("...", "…")):
        return False
    words = s.split()
    if not 2 <= len(words) <= 25:
        return False
    if s[-1] in ".,;:-–—(" or _BULLET_RE.match(s):
        return False
    first = s[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘"):
        return False
    return not re.search(r"[a-z]{2}[.!?] [A-Z]", s)  # no sentence break inside


# ---------------------------------------------------------------------------------------------
# The cleaner


@dataclass
class _Line:
    no: int  # 1-based raw line number
    text: str
    blank_before: bool = False


def _markup_pass(raw: str, removed: list[Removed]) -> list[_Line | None]:
    """NFC, script blocks, entities, tags, invisible characters, whitespace.

    Returns lines (None for a blank line), each with its raw line number.
    """
    text = unicodedata.normalize("NFC", raw)
    newlines = [i for i, c in enumerate(text) if c == "\n"] if "<" in text else []

    def block(m: re.Match[str]) -> str:
        s = m.group(0)
        no = bisect.bisect_left(newlines, m.start()) + 1
        reason = "html-comment" if s.startswith("<!--") else "ad-script"
        removed.append(Removed(s, reason, no))
        return "\n" * s.count("\n")

    if "<" in text:
        text = _BLOCK_RE.sub(block, text)
        custom = {n.lower() for n in _CLOSED_NAME_RE.findall(text)} - _KNOWN_TAGS
        if custom:
            names = "|".join(sorted(re.escape(n) for n in custom))
            custom_re = re.compile(_CUSTOM_TAG_RE.format(name=f"(?:{names})"), re.IGNORECASE)

            current = text

            def tag(m: re.Match[str]) -> str:
                no = current.count("\n", 0, m.start()) + 1
                removed.append(Removed(m.group(0), "html-tag", no))
                return ""

            text = custom_re.sub(tag, current)
    out: list[_Line | None] = []
    for no, line in enumerate(text.splitlines(), 1):
        if "&" in line:
            for ent in _ENTITY_RE.findall(line):
                if html.unescape(ent) != ent:
                    removed.append(Removed(ent, "html-entity", no))
            line = decode_entities(line)
        parts = [line]
        if "<" in line:
            parts, buf, pos = [], [], 0
            for m in _TAG_RE.finditer(line):
                removed.append(Removed(m.group(0), "html-tag", no))
                buf.append(line[pos : m.start()])
                pos = m.end()
                if m.group("block"):
                    parts.append("".join(buf))
                    buf = []
            buf.append(line[pos:])
            parts.append("".join(buf))
        for part in parts:
            if "(@" in part:
                for m in _EMBED_CREDIT_RE.finditer(part):
                    removed.append(Removed(m.group(0).strip(), "credit", no))
                part = _EMBED_CREDIT_RE.sub("", part)
            inv = _INVISIBLE_RE.findall(part)
            if inv:
                removed.append(Removed("".join(inv), "invisible", no))
                part = _INVISIBLE_RE.sub("", part)
            s = " ".join(part.split())
            out.append(_Line(no, s) if s else None)
    return out


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Join kept lines into paragraphs: one line each, except hard-wrapped blocks."""
    blocks: list[list[_Line]] = []
    for ln in lines:
        if ln.blank_before or not blocks:
            blocks.append([ln])
        else:
            blocks[-1].append(ln)
    paras: list[str] = []
    for blk in blocks:
        texts = [ln.text for ln in blk]
        body = texts[:-1]
        wrapped = (
            len(texts) >= 2
            and all(40 <= len(t) <= 100 for t in body)
            and max(map(len, body)) - min(map(len, body)) <= 40
            and not any(_BULLET_RE.match(t) for t in texts)
            and 2 * sum(not t.endswith(_TERMINAL) for t in body) >= len(body)
        )
        if wrapped:
            paras.append(" ".join(texts))
            continue
        cur = texts[0]
        for t in texts[1:]:
            joinable = (
                not cur.endswith(_TERMINAL)
                and (t[0].islower() or (cur.endswith(",") and not _BULLET_RE.match(t)))
                and len(cur) <= 120
            )
            if joinable:
                cur = f"{cur} {t}"
            else:
                paras.append(cur)
                cur = t
        paras.append(cur)
    return [_BULLET_RE.sub(lambda m: m.group(1) + " ", p, count=1) for p in paras]


def clean_text(raw: str, title: str | None = None) -> Cleaned:
    """Clean scraped article text (see the module docstring). Never raises on odd input.

    ``title``, when known from metadata, is removed from the top of the body if repeated there.
    """
    if not isinstance(raw, str):
        raw = str(raw or "")
    removed: list[Removed] = []
    raw_lines = _markup_pass(raw, removed)
    lines: list[_Line] = []
    blank = False
    for item in raw_lines:
        if item is None:
            blank = True
            continue
        item.blank_before = blank
        blank = False
        lines.append(item)

    n = len(lines)
    keep = [True] * n
    captions: list[str] = []
    byline: str | None = None

    def drop(i: int, reason: str) -> None:
        keep[i] = False
        removed.append(Removed(lines[i].text, reason, lines[i].no))
        if reason in ("caption", "credit"):
            captions.append(lines[i].text)

    for i, ln in enumerate(lines):
        name = _byline(ln.text) if i < 6 and byline is None else None
        if name:
            byline = name
            drop(i, "byline")
            continue
        reason = _junk_reason(ln.text, top=i < 3, bottom=i >= n - 3, edge=i in (0, n - 1))
        if reason:
            drop(i, reason)

    # Title at the top.
    kept = [i for i in range(n) if keep[i]]
    found_title: str | None = None
    if kept:
        first = kept[0]
        s0 = lines[first].text
        key0 = _norm_key(s0)
        if title and key0 and key0 == _norm_key(title):
            found_title = s0
            drop(first, "repeated-title")
        elif len(kept) >= 2 and key0 and key0 == _norm_key(lines[kept[1]].text) and len(s0) <= 300:
            found_title = s0
            drop(first, "title")
            drop(kept[1], "repeated-title")
        elif len(kept) >= 2 and _looks_like_title(s0) and not _TIMESTAMP.match(s0):
            found_title = s0
            drop(first, "title")
        # further copies of the title near the top
        ref = _norm_key(found_title or title or "")
        if ref:
            for i in [i for i in range(n) if keep[i]][:4]:
                close = abs(len(lines[i].text) - len(ref)) <= len(ref) // 2 + 10
                if close and _norm_key(lines[i].text) == ref:
                    drop(i, "repeated-title")
        # a byline right below the title
        if byline is None:
            for i in [i for i in range(n) if keep[i]][:2]:
                name = _byline(lines[i].text)
                if name:
                    byline = name
                    drop(i, "byline")
                    break

    paras = _paragraphs([lines[i] for i in range(n) if keep[i]])
    place = dateline(paras[0]) if paras else None
    text = unicodedata.normalize("NFC", "\n\n".join(paras))
    removed.sort(key=lambda r: r.line or 0)
    return Cleaned(
        text=text,
        title=found_title,
        captions=captions,
        removed=removed,
        byline=byline,
        dateline=place,
    )
