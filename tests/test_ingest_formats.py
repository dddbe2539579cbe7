"""Format readers (HTML, JSON/JSONL, feeds, WARC, archives), near-duplicates, language, boilerplate."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.api import ingest_into_store
from newsprism.ingest import archives, boilerplate, dedup, feeds, html, jsonrec, language, warc
from newsprism.ingest.base import BadInput, IngestOptions, RawDoc
from newsprism.model import Article, Skipped
from newsprism.store.base import open_store

FIX = Path(__file__).resolve().parent / "fixtures" / "formats"
OPTS = IngestOptions()


def fixture(name: str) -> bytes:
    return (FIX / name).read_bytes()


def docs_of(items: list[RawDoc | Skipped]) -> list[RawDoc]:
    return [x for x in items if isinstance(x, RawDoc)]


def skips_of(items: list[RawDoc | Skipped]) -> list[Skipped]:
    return [x for x in items if isinstance(x, Skipped)]


# ------------------------------------------------------------------ HTML


def test_html_with_json_ld_metadata_and_main_text() -> None:
    [doc] = list(html.read("lighthouse.html", fixture("article_jsonld.html"), OPTS))
    assert doc.origin == "lighthouse.html"
    assert doc.scraped is False
    # JSON-LD wins over og: tags for every field it has
    assert doc.meta["title"] == "Brindle Cove votes to rebuild its lighthouse"
    assert doc.meta["published"] == "2031-05-01T17:45:00+01:00"
    assert doc.meta["authors"] == ["Maren Oakhurst", "Tobias Quill"]
    assert doc.meta["source"] == "The Coastal Ledger"
    assert doc.meta["url"] == "https://coastal-ledger.example/news/brindle-cove-lighthouse"
    assert {doc.meta_origin[k] for k in ("title", "published", "authors", "source", "url")} == {
        "json-ld"
    }
    # main text: paragraphs one per line, navigation / sidebar / footer gone
    lines = doc.text.splitlines()
    assert any(line.startswith("The town council of Brindle Cove voted") for line in lines)
    assert any(line.startswith("Construction is expected to begin") for line in lines)
    for junk in ("Most read", "Ferry timetable", "All rights reserved", "Sport"):
        assert junk not in doc.text
    assert "<p>" in doc.raw and "application/ld+json" in doc.raw


def test_html_without_json_ld_uses_meta_tags_title_and_htmldate() -> None:
    [doc] = list(html.read("ferry.html", fixture("article_plain.html"), OPTS))
    assert "Café owners" in doc.text  # windows-1252 page decoded through its declared charset
    assert doc.meta["title"] == "Ferry strike ends after three days"
    assert doc.meta_origin["title"] == "html-title"
    assert doc.meta["authors"] == ["Ines Cardell"]
    assert doc.meta_origin["authors"] == "html-meta"
    assert doc.meta["published"] == "2024-03-14"  # htmldate rejects future dates
    assert doc.meta_origin["published"] == "htmldate"
    assert "source" not in doc.meta and "url" not in doc.meta  # left for core's fallbacks
    assert "Front page" not in doc.text
    assert doc.text.count("\n") >= 2


@pytest.mark.parametrize(
    "data",
    [
        b"<html><head><title>x</title></head><body></body></html>",
        b"<html><head><script>var a = 1;</script></head><body><script>go()</script></body></html>",
        b"   \n  ",
        b"\x00\x01\x02\x03binary\xff\xfe",
    ],
)
def test_html_without_content_is_bad_input(data: bytes) -> None:
    with pytest.raises(BadInput) as err:
        list(html.read("bad.html", data, OPTS))
    assert err.value.kind in {"malformed-html", "empty"}


def test_html_string_that_looks_like_a_url_is_not_fetched() -> None:
    with pytest.raises(BadInput):
        list(html.read("u.html", b"https://example.invalid/never-fetched", OPTS))


# ------------------------------------------------------------------ JSON / JSONL


def test_news_please_record() -> None:
    [doc] = list(jsonrec.read("dam.json", fixture("newsplease.json"), OPTS))
    assert doc.text.startswith("Engineers at the Orrin valley dam")
    assert doc.text.count("\n\n") == 2
    assert doc.meta["title"] == "Orrin dam repairs to take another month"
    assert doc.meta["published"] == "2030-09-18T09:15:00"
    assert doc.meta["source"] == "northwind-post.example"
    assert doc.meta["authors"] == ["Petra Lindqvist"]
    assert doc.meta["language"] == "en"
    assert doc.meta["url"] == "https://northwind-post.example/2030/09/orrin-dam-repairs"
    assert doc.meta_origin["title"] == "record"
    assert json.loads(doc.raw)["source_domain"] == "northwind-post.example"


def test_jsonl_bad_line_is_reported_and_the_rest_is_read() -> None:
    items = list(jsonrec.read("court.jsonl", fixture("records.jsonl"), OPTS))
    docs, skips = docs_of(items), skips_of(items)
    assert [d.meta["id"] for d in docs] == ["np-001", "np-003"]
    assert [d.origin for d in docs] == ["court.jsonl:line 1", "court.jsonl:line 3"]
    bad = [s for s in skips if s.kind == "malformed-json"]
    assert len(bad) == 1 and bad[0].path == "court.jsonl:line 2" and "line 2" in bad[0].reason
    empty = [s for s in skips if s.kind == "empty"]
    assert [s.path for s in empty] == ["court.jsonl:line 5"]
    # the bad line is reported where it occurs: between the records of lines 1 and 3
    kinds = [type(x).__name__ for x in items]
    assert kinds.index("Skipped") == 1
    assert docs[1].meta["authors"] == ["Lena Hart", "Piet Omondi"]
    assert docs[1].meta["published"] == "2029-04-04T18:30:00"
    assert docs[0].meta["published"] == "2029-04-02"


def test_custom_layout_through_field_mapping() -> None:
    options = IngestOptions(
        fields={
            "text": "body.paragraphs",
            "source": "meta.outlet",
            "published": "meta.when",
            "url": "meta.link",
        }
    )
    docs = docs_of(list(jsonrec.read("gazette.json", fixture("custom_layout.json"), options)))
    assert len(docs) == 2
    assert docs[0].origin == "gazette.json#record 1"
    assert docs[0].text.startswith("The last glassworks in Dunmere")
    assert "\n\nWorkers' representative Sanne Ebbe" in docs[0].text
    assert docs[0].meta["title"] == "Glassworks to close in Dunmere"  # headline: a known key
    assert docs[1].meta["source"] == "Dunmere Gazette"
    assert docs[1].meta["published"] == "2033-11-08"
    assert docs[1].meta["url"] == "https://gazette.example/square"
    # without the mapping the records have no recognizable text
    plain = list(jsonrec.read("gazette.json", fixture("custom_layout.json"), OPTS))
    assert not docs_of(plain) and all(s.kind == "empty" for s in skips_of(plain))


def test_newspaper3k_record_and_json_array() -> None:
    records = [
        {
            "text": "The river festival in Ormsby drew a record crowd of twelve thousand people.",
            "title": "Record crowd at river festival",
            "publish_date": "2028-07-01 00:00:00",
            "authors": ["Kit Rowan"],
            "url": "https://ormsby-echo.example/festival",
        },
        "not a record",
    ]
    items = list(jsonrec.read("dump.json", json.dumps(records).encode(), OPTS))
    [doc] = docs_of(items)
    assert doc.origin == "dump.json#record 1"
    assert doc.meta["published"] == "2028-07-01T00:00:00"
    assert doc.meta["authors"] == ["Kit Rowan"]
    [skip] = skips_of(items)
    assert skip.path == "dump.json#record 2" and skip.kind == "malformed-json"


@pytest.mark.parametrize(
    "data", [b"{not json at all", b'{"a": 1\n{"b": \n', b"42", b"\xff\xfe\x00garbage\x00\x00"]
)
def test_unreadable_json_is_bad_input(data: bytes) -> None:
    with pytest.raises(BadInput) as err:
        list(jsonrec.read("x.json", data, OPTS))
    assert err.value.kind in {"malformed-json", "undecodable", "empty"}


def test_get_path() -> None:
    assert jsonrec.get_path({"a": {"b": [{"c": 7}]}}, "a.b.0.c") == 7
    assert jsonrec.get_path({"a": 1}, "a.b") is None


# ------------------------------------------------------------------ feeds


def test_rss_feed_entries() -> None:
    items = list(feeds.read("beacon.rss", fixture("feed.rss"), OPTS))
    docs = docs_of(items)
    assert [d.origin for d in docs] == ["beacon.rss#entry 1", "beacon.rss#entry 2"]
    first = docs[0]
    assert first.text.splitlines() == [
        "The old stone bridge over the river Ash reopened to cars on Monday after eight months of repairs.",
        "County engineer Mira Castell said the bridge had been strengthened to carry buses again.",
    ]
    assert "track()" not in first.text
    assert first.meta["title"] == "Ashford bridge reopens to traffic"
    assert first.meta["source"] == "The Ashford Beacon"
    assert first.meta["url"] == "https://ashford-beacon.example/news/bridge-reopens"
    assert first.meta["published"] == "2030-08-06T06:30:00+00:00"
    assert first.meta["authors"] == ["Hollis Grange"]
    assert first.meta["language"] == "en"
    assert first.meta_origin["source"] == "feed"
    # summary fallback when there is no full content
    assert docs[1].text.startswith("Apple growers in the Ash valley")
    [skip] = skips_of(items)
    assert skip.path == "beacon.rss#entry 3" and skip.kind == "empty"


def test_atom_feed_entries() -> None:
    docs = docs_of(list(feeds.read("kestrel.atom", fixture("feed.atom"), OPTS)))
    assert len(docs) == 2
    assert docs[0].text.splitlines()[1] == "Work will start in May and is expected to last a year."
    assert docs[0].meta["published"] == "2031-02-10T16:20:00+00:00"  # published, not updated
    assert docs[0].meta["authors"] == ["Corin Ashdown"]
    assert docs[0].meta["source"] == "Kestrel Bay Times"
    assert docs[1].meta["published"] == "2031-02-11T09:30:00+00:00"  # updated as fallback
    assert docs[1].text.startswith("Surveyors started mapping")


def test_not_a_feed_is_bad_input() -> None:
    with pytest.raises(BadInput):
        list(feeds.read("x.rss", b"<rss><channel><title>t</title></channel></rss>", OPTS))
    with pytest.raises(BadInput):
        list(feeds.read("x.rss", b"plain words, no markup", OPTS))


# ------------------------------------------------------------------ WARC


def _page(title: str, para: str) -> bytes:
    body = " ".join([para] * 3)
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | About</nav>"
        f"<article><h1>{title}</h1><p>{body}</p><p>{para}</p></article></body></html>"
    ).encode()


PAGES = [
    ("https://tidings.example/a", _page("Granary fire", "A fire destroyed the old granary at Pellworth on Friday night, the fire brigade said.")),
    ("https://tidings.example/b", _page("School choir wins", "The Pellworth school choir won the county prize on Saturday with a song about the sea.")),
    ("https://tidings.example/c", _page("New bakery", "A new bakery opened on Pellworth high street on Sunday, selling rye bread from an old family recipe.")),
]  # fmt: skip


def build_warc(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "pytest"}))
    for n, (url, body) in enumerate(PAGES):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
        if n == 0:  # an image and a redirect: not articles, passed over silently
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url + ".png", "response", payload=io.BytesIO(b"\x89PNG..."), http_headers=img
                )
            )
            moved = StatusAndHeaders(
                "301 Moved", [("Content-Type", "text/html"), ("Location", url)], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url + "/old",
                    "response",
                    payload=io.BytesIO(b"<html>moved</html>"),
                    http_headers=moved,
                )
            )
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_pages(gz: bool) -> None:
    items = list(warc.read("crawl.warc", build_warc(gz), OPTS))
    assert not skips_of(items)
    docs = docs_of(items)
    assert [d.origin for d in docs] == [f"crawl.warc#record {n}" for n in (1, 2, 3)]
    assert [d.meta["url"] for d in docs] == [u for u, _ in PAGES]
    assert docs[0].meta_origin["url"] == "warc-header"
    assert "old granary at Pellworth" in docs[0].text and "Home | About" not in docs[0].text
    assert docs[1].meta["title"] == "School choir wins"


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_yields_what_was_read_then_reports(gz: bool) -> None:
    data = build_warc(gz)
    cut = data[: data.rfind(b"WARC/1" if not gz else b"\x1f\x8b") + 200]
    items = list(warc.read("crawl.warc", cut, OPTS))
    docs = docs_of(items)
    assert [d.meta["url"] for d in docs] == [u for u, _ in PAGES[:2]]
    assert items[-1] == Skipped(items[-1].path, items[-1].reason, "truncated-archive")
    assert items[-1].path == "crawl.warc" and "truncated" in items[-1].reason
    with pytest.raises(BadInput) as err:
        list(warc.read("crawl.warc", data[:60], OPTS))
    assert err.value.kind == "truncated-archive"


# ------------------------------------------------------------------ archives


def test_gzip_wrapper_and_truncated_gzip() -> None:
    raw = fixture("records.jsonl")
    packed = gzip.compress(raw)
    items = list(archives.read("court.jsonl.gz", packed, OPTS, jsonrec.read))
    docs = docs_of(items)
    assert [d.origin for d in docs] == [
        "court.jsonl.gz#court.jsonl:line 1",
        "court.jsonl.gz#court.jsonl:line 3",
    ]
    assert not [s for s in skips_of(items) if s.kind == "truncated-archive"]
    cut = list(archives.read("court.jsonl.gz", packed[: len(packed) * 2 // 3], OPTS, jsonrec.read))
    assert docs_of(cut)  # the first records survive
    assert cut[-1].kind == "truncated-archive" and cut[-1].path == "court.jsonl.gz"
    with pytest.raises(BadInput) as err:
        list(archives.read("x.gz", packed[:12], OPTS, jsonrec.read))
    assert err.value.kind == "truncated-archive"


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<html>" + b" " * 3_000_000)
    with pytest.raises(BadInput) as err:
        list(archives.read("bomb.html.gz", bomb, IngestOptions(max_bytes=1_000_000)))
    assert err.value.kind == "too-large"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_members_are_dispatched_by_content_with_sidecars() -> None:
    sidecar = json.dumps({"source": "Brindle Cove Weekly", "published": "2031-05-03"}).encode()
    data = _zip(
        {
            "pages/lighthouse.txt": fixture("article_jsonld.html"),  # HTML despite the name
            "pages/lighthouse.txt.meta.json": sidecar,
            "dam.json": fixture("newsplease.json"),
            "beacon.xml": fixture("feed.rss"),
            "__MACOSX/._dam.json": b"\x00\x05\x16\x07junk",
            "notes/": b"",
        }
    )
    items = list(archives.read("bundle.zip", data, OPTS, archives.sniff_dispatch))
    docs = docs_of(items)
    origins = [d.origin for d in docs]
    assert origins[:2] == ["bundle.zip#pages/lighthouse.txt", "bundle.zip#dam.json"]
    assert origins[2:] == ["bundle.zip#beacon.xml#entry 1", "bundle.zip#beacon.xml#entry 2"]
    lighthouse = docs[0]
    assert lighthouse.meta["source"] == "Brindle Cove Weekly"  # sidecar beats JSON-LD
    assert lighthouse.meta_origin["source"] == "sidecar"
    assert lighthouse.meta["published"] == "2031-05-03"
    assert lighthouse.meta["title"] == "Brindle Cove votes to rebuild its lighthouse"
    assert [s.kind for s in skips_of(items)] == ["empty"]  # the feed's empty entry


def test_zip_with_core_dispatch_when_available() -> None:
    pytest.importorskip("newsprism.ingest.files")
    from newsprism.ingest import files

    if not hasattr(files, "dispatch"):
        pytest.skip("core's files.dispatch is not there yet")
    data = _zip({"dam.json": fixture("newsplease.json")})
    [doc] = docs_of(list(archives.read("bundle.zip", data, OPTS)))
    assert doc.meta["source"] == "northwind-post.example"


def test_zip_bomb_member_is_skipped_and_others_read() -> None:
    data = _zip({"big.html": b"<html>" + b"a" * 3_000_000, "dam.json": fixture("newsplease.json")})
    assert len(data) < 100_000
    items = list(
        archives.read("b.zip", data, IngestOptions(max_bytes=1_000_000), archives.sniff_dispatch)
    )
    [skip] = skips_of(items)
    assert skip.kind == "too-large" and skip.path == "b.zip#big.html"
    assert len(docs_of(items)) == 1


def test_truncated_zip_reads_members_from_local_headers() -> None:
    data = _zip(
        {
            "one.json": fixture("newsplease.json"),
            "two.jsonl": fixture("records.jsonl"),
            "three.html": fixture("article_jsonld.html"),
        }
    )
    cut = data[: data.find(b"PK\x03\x04", data.find(b"two.jsonl")) + 40]  # inside member 3
    items = list(archives.read("cut.zip", cut, OPTS, archives.sniff_dispatch))
    docs = docs_of(items)
    assert [d.origin for d in docs] == [
        "cut.zip#one.json",
        "cut.zip#two.jsonl:line 1",
        "cut.zip#two.jsonl:line 3",
    ]
    assert items[-1].kind == "truncated-archive" and "2 members read" in items[-1].reason
    with pytest.raises(BadInput):
        list(archives.read("cut.zip", data[:20], OPTS, archives.sniff_dispatch))


def _tar(members: dict[str, bytes]) -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_tar_gz_bz2_and_xz_wrappers() -> None:
    import bz2
    import lzma

    tar = _tar(
        {"a/dam.json": fixture("newsplease.json"), "a/court.jsonl": fixture("records.jsonl")}
    )
    items = list(archives.read("news.tgz", gzip.compress(tar), OPTS, archives.sniff_dispatch))
    assert [d.origin for d in docs_of(items)] == [
        "news.tgz#news.tar#a/dam.json",
        "news.tgz#news.tar#a/court.jsonl:line 1",
        "news.tgz#news.tar#a/court.jsonl:line 3",
    ]
    for packed, name in ((bz2.compress(tar), "news.tar.bz2"), (lzma.compress(tar), "news.tar.xz")):
        docs = docs_of(list(archives.read(name, packed, OPTS, archives.sniff_dispatch)))
        assert docs[0].origin == f"{name}#news.tar#a/dam.json"
        assert len(docs) == 3
    # a tar cut inside its second member: the first is read, the cut reported
    cut = tar[: tar.find(b"Tesselby") + 100]
    items = list(archives.read("news.tar", cut, OPTS, archives.sniff_dispatch))
    assert [d.origin for d in docs_of(items)] == ["news.tar#a/dam.json"]
    assert items[-1].kind == "truncated-archive"
    # bzip2 works in 900 kB blocks: a small archive cut short has nothing readable
    with pytest.raises(BadInput) as err:
        list(archives.read("news.tar.bz2", bz2.compress(tar)[:-40], OPTS, archives.sniff_dispatch))
    assert err.value.kind == "truncated-archive"


# ------------------------------------------------------------------ near-duplicates


def _articles(order: list[int] | None = None) -> list[Article]:
    recs = json.loads(fixture("near_duplicates.json"))
    arts = [
        Article(id=r["id"], text=r["text"], source=r["source"], published=r["published"])
        for r in recs
    ]
    return [arts[i] for i in order] if order else arts


def test_wire_copies_reprints_and_updates_link_to_the_earliest() -> None:
    arts = _articles()
    dedup.link_duplicates(arts)
    links = {a.id: a.duplicate_of for a in arts}
    assert links == {
        "wire-original": None,
        "reprint-coastal": "wire-original",  # intro line rewritten
        "reprint-valmont": "wire-original",
        "wire-update": "wire-original",  # updated version, published later
        "independent": None,  # same event, own words
    }
    # deterministic and order-independent for the canonical choice (earliest published)
    rev = _articles([4, 3, 2, 1, 0])
    dedup.link_duplicates(rev)
    assert {a.id: a.duplicate_of for a in rev} == links


def test_canonical_ties_go_to_first_seen_and_undated_come_last() -> None:
    arts = _articles()
    for a in arts:
        a.published = None
    dedup.link_duplicates(arts[::-1])
    assert arts[3].duplicate_of is None  # wire-update is first seen in reversed order
    assert arts[0].duplicate_of == "wire-update"
    arts = _articles()
    arts[0].published = None  # the original lost its date: a dated copy becomes canonical
    dedup.link_duplicates(arts)
    assert arts[2].duplicate_of is None and arts[0].duplicate_of == "reprint-valmont"


def test_stricter_threshold_and_odd_texts() -> None:
    arts = _articles()
    dedup.link_duplicates(arts, threshold=0.95)
    # reprints (Jaccard 0.75, containment 0.88) no longer match; the update still contains
    # 98% of the original's shingles
    assert {a.id: a.duplicate_of for a in arts if a.duplicate_of} == {
        "wire-update": "wire-original"
    }
    odd = [Article(id="e1", text=""), Article(id="e2", text=""), Article(id="p", text="!!! ...")]
    dedup.link_duplicates(odd)
    assert all(a.duplicate_of is None for a in odd)


def test_duplicate_index_incremental() -> None:
    stored = _articles()
    index = dedup.DuplicateIndex()
    fp = index.add(stored[0])
    index.add(stored[4])
    assert len(index) == 2 and "wire-original" in index
    assert index.query(stored[1]) == "wire-original"
    assert index.query(Article(id="n", text="A short unrelated note about a cat show.")) is None
    # fingerprints round-trip through storage
    again = dedup.Fingerprint.from_hashvalues(fp.minhash.tolist(), fp.size)
    assert dedup.estimated_jaccard(again.minhash, fp.minhash) == 1.0
    batch = [stored[2], stored[3]]
    dedup.link_duplicates(batch)
    assert batch[1].duplicate_of == "reprint-valmont"
    dedup.link_to_index(batch, index)
    assert [a.duplicate_of for a in batch] == ["wire-original", "wire-original"]
    assert len(index) == 4


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=300, unique=True),
    st.integers(min_value=0, max_value=5000),
)
def test_minhash_is_datasketch_affine32_bit_for_bit(hashes: list[int], more: int) -> None:
    """Fingerprints already in users' stores were made by datasketch 2 ("affine32", seed 1):
    newsprism's own MinHash gives the same values, and the same LSH candidates."""
    datasketch = pytest.importorskip("datasketch")  # a test dependency only
    values = np.array(hashes + list(range(10**6, 10**6 + more)), dtype=np.uint32)
    ref = datasketch.MinHash(
        num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme="affine32", hashfunc=lambda x: x
    )
    if len(values):
        ref.update_batch(values.tolist())
    ours = dedup.minhash(values)
    assert ours.dtype == np.uint32 and np.array_equal(ours, ref.hashvalues)


def test_band_index_proposes_what_datasketch_lsh_proposes() -> None:
    datasketch = pytest.importorskip("datasketch")
    texts = [a.text for a in _articles()] + [
        "A short unrelated note about a cat show in the old town hall.",
        "The council met on Tuesday to discuss the harbour bridge budget and its costs.",
    ]
    prints = dedup.fingerprints(texts)
    lsh = datasketch.MinHashLSH(num_perm=dedup.NUM_PERM, params=dedup.LSH_PARAMS)
    ours: dedup.BandIndex[int] = dedup.BandIndex()
    for i, fp in enumerate(prints):
        lean = datasketch.LeanMinHash(seed=dedup.SEED, hashvalues=fp.minhash, scheme="affine32")
        lsh.insert(i, lean)
        ours.insert(i, fp.minhash)
    for fp in prints:
        lean = datasketch.LeanMinHash(seed=dedup.SEED, hashvalues=fp.minhash, scheme="affine32")
        assert set(lsh.query(lean)) == ours.query(fp.minhash)
    ours.remove(0)
    assert 0 not in ours.query(prints[0].minhash)
    ours.remove(0)  # removing twice is harmless


def test_known_fingerprints_give_the_same_links_as_from_scratch() -> None:
    """Fingerprints read back from their stored records stand in for shingling and hashing
    again; the links are the same, in any order, and a bad record is refused."""
    arts = _articles()
    dedup.link_duplicates(arts)
    expected = {a.id: a.duplicate_of for a in arts}
    prints = dedup.fingerprints([a.text for a in arts])
    records = json.loads(json.dumps([fp.to_record() for fp in prints]))  # as the store keeps them
    back = [dedup.Fingerprint.from_record(r) for r in records]
    assert all(fp is not None for fp in back)
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0]):
        again = _articles(order)
        known = [back[i] for i in order]
        known[1] = None  # one article new to the store: computed here
        dedup.link_duplicates(again, prints=known)
        assert {a.id: a.duplicate_of for a in again} == expected
    for bad in (None, [3], [3, "not base64!"], [-1, records[0][1]], [2, "AAAA"], "x"):
        assert dedup.Fingerprint.from_record(bad) is None, bad


def test_a_store_keeps_fingerprints_and_a_new_reprint_is_still_linked(tmp_path: Path) -> None:
    recs = json.loads(fixture("near_duplicates.json"))
    folder = tmp_path / "in"
    folder.mkdir()
    for r in recs[:1] + recs[3:]:  # the original, the update and the independent piece
        (folder / f"{r['id']}.json").write_text(json.dumps(r), encoding="utf-8")
    db = open_store(tmp_path / "s.db")
    try:
        ingest_into_store([folder], IngestOptions(), db)
        kept = db.get_state("dedup_prints")
        assert set(kept) == {a.id for a in db.articles()}
        (folder / f"{recs[1]['id']}.json").write_text(json.dumps(recs[1]), encoding="utf-8")
        done = ingest_into_store([folder], IngestOptions(), db)
        by_source = {a.source: a for a in done.articles}
        wire = [a for a in done.articles if a.source == "Northline Wire"]
        original = min(wire, key=lambda a: a.published or "")
        assert [a.source for a in done.new] == ["Coastal Ledger"]
        assert by_source["Coastal Ledger"].duplicate_of == original.id  # the stored original
        assert by_source["Ashford Beacon"].duplicate_of is None
        assert set(db.get_state("dedup_prints")) == {a.id for a in done.articles}
    finally:
        db.close()


# ------------------------------------------------------------------ language


def test_language_detection() -> None:
    fr = (
        "Le conseil municipal de Brindle a voté jeudi soir la reconstruction du phare, "
        "détruit par les tempêtes de l'hiver dernier. Les travaux commenceront en juin."
    )
    de = (
        "Der Gemeinderat von Brindle hat am Donnerstagabend beschlossen, den im letzten "
        "Winter eingestürzten Leuchtturm wieder aufzubauen. Die Arbeiten beginnen im Juni."
    )
    en = "The council of Brindle voted on Thursday to rebuild the lighthouse that fell last winter."
    assert language.detect(fr) == "fr"
    assert language.detect(de) == "de"
    assert language.detect(en) == "en"
    assert language.detect("Oui.") is None
    assert language.detect("") is None
    assert language.detect("12 34 56 78 90 12 34 56 78") is None
    # a run lets the identifier go once its inputs are read; the next detection loads it again
    language.release()
    assert language._identifier is None
    assert language.detect(de) == "de" and language._identifier is not None


def test_ingesting_into_a_store_lets_the_language_model_go(tmp_path: Path) -> None:
    from newsprism.api import ingest_into_store
    from newsprism.ingest import IngestOptions
    from newsprism.store.sqlite import Store

    (tmp_path / "a.txt").write_text(
        "Brindle council votes to rebuild the lighthouse\n\nThe council of Brindle voted on "
        "Thursday to rebuild the lighthouse that fell last winter, officials said.",
        encoding="utf-8",
    )
    language.detect("The harbour board met on Monday to discuss the new ferry timetable.")
    assert language._identifier is not None
    with Store(tmp_path / "s.db") as db:
        done = ingest_into_store([tmp_path / "a.txt"], IngestOptions(), db)
    assert [a.language for a in done.new] == ["en"]
    assert language._identifier is None


# ------------------------------------------------------------------ outlet boilerplate

PROMO = "Sign up for the Ledger Morning newsletter and never miss a story from the coast."
COPY = "© 2031 The Coastal Ledger. All rights reserved."


def _ledger_corpus() -> list[Article]:
    stories = [
        "The harbour master said two trawlers collided near the breakwater on Monday.",
        "A new ferry timetable starts on the first of June with later evening sailings.",
        "The lifeboat crew rescued three kayakers off Gull Point on Saturday afternoon.",
        "Fishmongers on the quay say prices for cod have doubled since the spring.",
    ]
    arts = [
        Article(id=f"ledger-{n}", source="Coastal Ledger", published=f"2031-05-0{n + 1}",
                text=f"{story}\nIt was the {n + 1}th such report this year, officials added.\n\n{PROMO}\n{COPY}")
        for n, story in enumerate(stories)
    ]  # fmt: skip
    wire = _articles()[:3]  # one wire story, reprinted three times by the same outlet
    for a in wire:
        a.source = "Coastal Ledger"
        a.text = f"{a.text}\n\n{PROMO}\n{COPY}"
    other = [
        Article(
            id=f"beacon-{n}", source="Ashford Beacon", text=f"Story {n} about the valley.\n{PROMO}"
        )
        for n in range(3)
    ]
    return arts + wire + other


def test_outlet_boilerplate_is_removed_but_shared_wire_sentences_stay() -> None:
    arts = _ledger_corpus()
    dedup.link_duplicates(arts)
    boilerplate.strip_recurring(arts)
    ledger = [a for a in arts if a.source == "Coastal Ledger"]
    for a in ledger:
        assert PROMO not in a.text and COPY not in a.text
        reasons = {(r.text, r.reason) for r in a.removed}
        assert reasons == {(PROMO, "outlet-boilerplate"), (COPY, "outlet-boilerplate")}
        assert not a.text.endswith("\n")
    first = ledger[0]
    assert [r.line for r in first.removed] == [4, 5]
    # the wire story's paragraphs recur in 3 of 7 articles but are one story: kept
    assert all("Provincial governor Anselm Reeve" in a.text for a in ledger[4:])
    # an outlet with too few articles is left alone
    assert all(PROMO in a.text and not a.removed for a in arts if a.source == "Ashford Beacon")


def test_boilerplate_without_dedup_links_would_learn_wire_sentences() -> None:
    # documents why duplicates are counted once: with min_share low enough, unlinked copies of
    # one wire story would make its sentences look like boilerplate
    arts = _ledger_corpus()
    learned = boilerplate.learn_boilerplate(arts, min_articles=5, min_share=0.4)
    assert any("Anselm Reeve" in line for line in learned["Coastal Ledger"])
    arts = _ledger_corpus()
    dedup.link_duplicates(arts)
    learned = boilerplate.learn_boilerplate(arts, min_articles=5, min_share=0.4)
    assert not any("Anselm Reeve" in line for line in learned["Coastal Ledger"])


def test_boilerplate_never_empties_an_article() -> None:
    arts = [Article(id=str(n), source="Tiny Post", text=PROMO) for n in range(6)]
    boilerplate.strip_recurring(arts)
    assert all(a.text == PROMO and not a.removed for a in arts)


# ------------------------------------------------------------------ robustness (hypothesis)

READERS = {
    "html": html.read,
    "json": jsonrec.read,
    "feed": feeds.read,
    "warc": warc.read,
    "archive": lambda o, d, opt: archives.read(o, d, opt, archives.sniff_dispatch),
}
PREFIXES = [b"", b"<html><body><p>", b"{\"text\": ", b"<rss><channel><item>", b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b"PK\x03\x04", b"[{\"maintext\"", b"BZh91AY&SY", b"\xfd7zXZ\x00"]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(READERS)),
    prefix=st.sampled_from(PREFIXES),
    data=st.binary(max_size=600),
)
def test_readers_raise_only_bad_input(kind: str, prefix: bytes, data: bytes) -> None:
    try:
        for item in READERS[kind]("fuzz", prefix + data, IngestOptions(max_bytes=100_000)):
            assert isinstance(item, RawDoc | Skipped)
    except BadInput:
        pass


@settings(max_examples=25, deadline=None)
@given(cut=st.integers(min_value=0, max_value=4000), gz=st.booleans())
def test_warc_cut_anywhere_raises_only_bad_input(cut: int, gz: bool) -> None:
    data = build_warc(gz)
    try:
        items = list(warc.read("w", data[: cut % (len(data) + 1)], OPTS))
    except BadInput:
        return
    assert all(isinstance(x, RawDoc | Skipped) for x in items)


def test_near_duplicates_on_ecbplus_with_synthetic_edits(data_dir: Path) -> None:
    """ECB+ dev (196 real news documents, many about the same events) plus edited copies of half of
    them (intro line replaced, paragraph added, ending trimmed): every copy of a document with at
    least 80 shingles joins its original's group, and no link crosses ECB+ topics."""
    import random

    records = [json.loads(line) for line in (data_dir / "ecbplus_dev.jsonl").open(encoding="utf-8")]
    topic = {r["id"]: r["topic"] for r in records}
    originals = [Article(id=r["id"], text=r["text"]) for r in records]
    rng = random.Random(0)
    copies: list[tuple[Article, str]] = []
    for i, r in enumerate(records[::2]):
        lines = r["text"].split("\n")
        other = rng.choice(records)["text"].split("\n")
        kind = ("intro", "update", "trim")[i % 3]
        new = {
            "intro": [other[0], *lines[1:]],
            "update": lines + other[-2:],
            "trim": lines[: max(1, int(len(lines) * 0.8))],
        }[kind]
        copies.append((Article(id=f"{r['id']}~{kind}", text="\n".join(new)), r["id"]))
        topic[f"{r['id']}~{kind}"] = r["topic"]
    arts = originals + [c for c, _ in copies]
    dedup.link_duplicates(arts)
    group = {a.id: a.duplicate_of or a.id for a in arts}
    big = [(c, o) for c, o in copies if len(dedup.shingle_hashes(c.text)) >= 80]
    found = sum(group[c.id] == group[o] for c, o in big)
    assert len(big) >= 60 and found / len(big) >= 0.95
    assert all(topic[a.id] == topic[a.duplicate_of] for a in arts if a.duplicate_of)


def test_end_to_end_through_core_ingest(tmp_path: Path) -> None:
    """The readers' RawDocs and Skipped reports flow through core's ``ingest``."""
    from newsprism.ingest import ingest

    folder = tmp_path / "coastal-ledger"
    folder.mkdir()
    for name in ("article_jsonld.html", "records.jsonl", "feed.rss"):
        (folder / name).write_bytes(fixture(name))
    (folder / "broken.json").write_bytes(b'{"maintext": "unterminated')
    result = ingest([tmp_path], IngestOptions(), workers=1)
    by_title = {a.title: a for a in result.articles}
    lighthouse = by_title["Brindle Cove votes to rebuild its lighthouse"]
    assert (
        lighthouse.source == "The Coastal Ledger" and lighthouse.meta_origin["source"] == "json-ld"
    )
    assert lighthouse.language == "en"
    assert (
        "Tesselby library reopens" in by_title and "Ashford bridge reopens to traffic" in by_title
    )
    kinds = sorted(s.kind for s in result.skipped)
    assert kinds.count("malformed-json") == 2  # the bad JSONL line and the broken file
    assert "empty" in kinds
