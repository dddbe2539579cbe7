"""Bounded-time fuzzing (Hypothesis) of everything that reads untrusted bytes: the format
readers (through :func:`~newsprism.ingest.files.dispatch`, by sniffing and with each reader
forced), article building and cleaning, file-name escaping, and the stage commands' JSON
Lines parser (:func:`newsprism.stages.read_records`).

The property is always the same: bad input is reported (``BadInput``, ``Skipped``,
``BadRecord``), never raised as anything else. Crashes found here are pinned as regression
tests at the bottom of this file. Each test runs a fixed number of examples with no deadline,
so the whole file takes a few seconds (``NEWSPRISM_FUZZ_EXAMPLES`` raises the count).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.ingest import build_article
from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.ingest.clean import clean_text
from newsprism.ingest.files import READERS, dispatch
from newsprism.ingest.names import display_name, name_bytes, one_line
from newsprism.model import Skipped
from newsprism.stages import BadRecord, read_records

FUZZ = settings(  # NEWSPRISM_FUZZ_EXAMPLES=2000 for a longer hunt
    max_examples=int(os.environ.get("NEWSPRISM_FUZZ_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_PREFIXES = [
    b"",
    b"<html><body><p>",
    b"<!doctype html><html><head><title>",
    b'<?xml version="1.0"?><rss><channel><item><title>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>',
    b'{"id": "a", "text": "',
    b'[{"text": ',
    b"WARC/1.0\r\nWARC-Type: response\r\n",
    b"\x1f\x8b\x08\x00",
    b"PK\x03\x04",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]
_NAMES = ["a.txt", "a.html", "a.json", "a.jsonl", "a.xml", "a.warc", "a.gz", "a.zip", "a.md", "a"]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


_fragments = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(_PREFIXES),
)
inputs = st.one_of(
    st.lists(_fragments, max_size=5).map(b"".join),
    st.binary(max_size=400).map(gzip.compress),
    st.dictionaries(
        st.from_regex(r"[a-z0-9_.é -]{1,12}(/[a-z0-9_.]{1,8})?", fullmatch=True),
        st.one_of(st.binary(max_size=200), st.sampled_from(_PREFIXES)),
        max_size=3,
    ).map(_zip),
)


def _read(origin: str, data: bytes, kind: str | None) -> list[RawDoc | Skipped]:
    options = IngestOptions(max_bytes=64 * 1024)
    try:
        out = list(dispatch(origin, data, options, kind=kind))
    except BadInput as exc:
        assert exc.kind and exc.reason and "\n" not in exc.reason
        return []
    for item in out:
        assert isinstance(item, RawDoc | Skipped | BadInput), item
    return out


@FUZZ
@given(data=inputs, name=st.sampled_from(_NAMES))
def test_readers_never_raise_on_any_bytes(data: bytes, name: str) -> None:
    for item in _read(f"in/{name}", data, None):
        if isinstance(item, RawDoc):
            art = build_article(item, "fuzz")  # metadata and cleaning never raise either
            art.text.encode("utf-8")  # always storable
            (art.title or "").encode("utf-8")


@FUZZ
@given(data=inputs, kind=st.sampled_from(sorted(READERS)))
def test_each_reader_never_raises_when_forced(data: bytes, kind: str) -> None:
    _read("in/forced", data, kind)


@FUZZ
@given(text=st.text(max_size=800), title=st.none() | st.text(max_size=60))
def test_clean_text_never_raises(text: str, title: str | None) -> None:
    cleaned = clean_text(text, title=title)
    assert isinstance(cleaned.text, str)


@FUZZ
@given(raw=st.binary(min_size=1, max_size=60))
def test_file_names_round_trip_and_print_on_one_line(raw: bytes) -> None:
    shown = display_name(os.fsdecode(raw))
    shown.encode("utf-8")
    assert "\n" not in shown and "\r" not in shown
    assert name_bytes(shown) == raw
    assert "\n" not in one_line(os.fsdecode(raw) + "#member\n")


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
_lines = st.one_of(
    st.text(max_size=80),
    _json_values.map(lambda v: json.dumps(v)),
    st.fixed_dictionaries({"id": _json_values, "text": _json_values}).map(json.dumps),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
)


@FUZZ
@given(lines=st.lists(_lines, max_size=8), tail=st.binary(max_size=40))
def test_stage_record_parser_never_raises(tmp_path_factory, lines: list[str], tail: bytes) -> None:  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("fuzz")) / "in.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n" + tail)
    for item in read_records(path, ("id", "text")):
        if isinstance(item, BadRecord):
            assert item.reason and item.where.startswith(str(path))
        else:
            assert isinstance(item, dict) and isinstance(item["text"], str) and "id" in item


# -- regressions found by the fuzz tests -------------------------------------------------------


def test_regression_deeply_nested_json_line_is_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    good = json.dumps({"id": "a", "text": "The pier opened."})
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + good + "\n", encoding="utf-8")
    items = list(read_records(path, ("id", "text")))
    assert isinstance(items[0], BadRecord) and "nested too deeply" in items[0].reason
    assert items[1] == {"id": "a", "text": "The pier opened."}
