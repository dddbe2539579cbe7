"""Plain-text and Markdown reader: byte decoding (BOMs, UTF-8, charset detection), binary checks.

A file that is not UTF-8 is decoded with the encoding charset-normalizer finds (a Latin-1 or
cp1252 file is read correctly, not skipped). Binary files (NUL bytes, many control bytes) and
empty or whitespace-only files raise :class:`BadInput`.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator

from newsprism.ingest.base import BadInput, IngestOptions, RawDoc

log = logging.getLogger(__name__)

__all__ = ["decode", "is_binary", "read", "strip_markdown"]

SNIFF_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# control bytes that never occur in text (everything below 0x20 except \t \n \f \r and ESC)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if any."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def is_binary(data: bytes) -> str | None:
    """A one-line reason when ``data`` looks binary, else None (text with a BOM is text)."""
    if bom_encoding(data):
        return None
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        return "binary file (NUL bytes in the first 8 KB)"
    if head:
        controls = len(head) - len(head.translate(None, _CONTROL))
        if controls / len(head) > 0.1:
            return f"binary file ({controls} control bytes in the first 8 KB)"
    return None


def decode(data: bytes) -> str:
    """Decode bytes to text: BOM, then UTF-8, then the encoding charset-normalizer detects.

    Raises :class:`BadInput` (``undecodable``) when no encoding fits.
    """
    enc = bom_encoding(data)
    if enc:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            raise BadInput(
                "undecodable", f"undecodable: invalid {enc} after its BOM ({exc.reason})"
            ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    western = _western(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes  # heavy: ~20 ms; only for unusual encodings

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise BadInput(
            "undecodable",
            f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no other encoding fits",
        )
    log.debug("decoded as %s (not UTF-8)", best.encoding)
    return str(best)


_WESTERN_EXTRA = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœŒšŠžŽ")
_WESTERN_PUNCT = set("“”‘’–—…€«»°£¥©®§·¡¿×½¼¾ªº±¢\xa0")


def _western(data: bytes) -> str | None:
    """The cp1252 (Western European, a superset of Latin-1's printable range) reading of
    ``data`` when it is clearly plausible text: few non-ASCII characters, all of them accented
    Latin letters or typographic punctuation (charset detection is unreliable on short texts).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    extra = [c for c in text if ord(c) > 127]
    letters = sum(c.isalpha() for c in text)
    if not extra or not letters:
        return None
    if any(c not in _WESTERN_EXTRA and c not in _WESTERN_PUNCT for c in extra):
        return None
    accented = sum(c in _WESTERN_EXTRA for c in extra)
    return text if accented <= 0.3 * letters else None


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]+)(?:\s+\"[^\"\n]*\")?\)")
_MD_EMPH = re.compile(r"(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^ {0,3}(?:[-*_] *){3,}$", re.MULTILINE)


def strip_markdown(text: str) -> str:
    """Markdown to plain text: headings, links, images (alt text kept), bold, rules."""
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPH.sub(r"\2", text)
    return _MD_RULE.sub("", text)


def _is_markdown(origin: str, text: str) -> bool:
    name = origin.rsplit("#", 1)[-1].lower()
    if name.endswith((".md", ".markdown", ".mdown")):
        return True
    return bool(re.match(r"\s*#{1,3} \S", text)) and bool(
        _MD_LINK.search(text) or _MD_EMPH.search(text)
    )


def read(origin: str, data: bytes, options: IngestOptions) -> Iterator[RawDoc]:
    """Read one plain-text or Markdown article."""
    if not data:
        raise BadInput("empty", "empty file")
    reason = is_binary(data)
    if reason:
        raise BadInput("binary", reason)
    text = decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise BadInput("empty", "empty file (whitespace only)")
    body = strip_markdown(text) if _is_markdown(origin, text) else text
    yield RawDoc(origin=origin, text=body, raw=text)
