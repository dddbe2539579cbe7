"""File names as text: every byte kept, escaped so the name prints on one line and stores as UTF-8.

POSIX file names are bytes; Python hands the bytes that are not UTF-8 over as lone surrogates,
which neither SQLite nor a UTF-8 file can hold. :func:`display_name` turns a path into text
that can go anywhere: valid UTF-8 stays as it is, a backslash becomes ``\\\\``, and every byte
that is not UTF-8 and every control character becomes ``\\xNN``. :func:`name_bytes` undoes it
exactly, so no name is lost and two different names never display the same.
"""

from __future__ import annotations

import os
import re

__all__ = ["display_name", "name_bytes", "one_line", "scrub_text"]

_SPECIAL = re.compile(r"[\\\x00-\x1f\x7f\udc80-\udcff]")
_ESCAPE = re.compile(rb"\\(\\|x([0-9a-fA-F]{2}))")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch == "\\":
        return "\\\\"
    code = ord(ch)
    return f"\\x{code - 0xDC00 if code >= 0xDC80 else code:02x}"


def display_name(path: str | os.PathLike[str]) -> str:
    """``path`` as printable UTF-8 text with every byte recoverable (see :func:`name_bytes`)."""
    text = os.fspath(path)
    if not _SPECIAL.search(text):
        return text
    try:  # a name with lone surrogates from another source: keep what the OS would write
        text = os.fsencode(text).decode("utf-8", "surrogateescape")
    except UnicodeError:
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return _SPECIAL.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` safe to print on one line and to store: control characters and bytes that are
    not UTF-8 become ``\\xNN``, other lone surrogates U+FFFD; backslashes stay as they are
    (for origins built from a :func:`display_name`, such as ``path#member``)."""
    if not _SPECIAL.search(text):
        return text
    text = _LONE_SURROGATE.sub(
        lambda m: m.group(0) if "\udc80" <= m.group(0) <= "\udcff" else "\ufffd", text
    )
    return _SPECIAL.sub(lambda m: "\\" if m.group(0) == "\\" else _escape(m), text)


def name_bytes(display: str) -> bytes:
    """The original bytes of a name shown by :func:`display_name`."""
    raw = display.encode("utf-8")
    return _ESCAPE.sub(
        lambda m: b"\\" if m.group(1) == b"\\" else bytes([int(m.group(2), 16)]), raw
    )


def scrub_text(text: str) -> str:
    """``text`` without lone surrogates (each becomes U+FFFD), so it encodes as UTF-8."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text
