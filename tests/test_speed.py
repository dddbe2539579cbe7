"""Pipeline speed machinery: the embedding cache (in memory and in the store), the per-stage
profile and ``analyze --profile``, and lazy model loading (``--help`` and ``search`` never
import torch or spaCy). Speed itself is measured by benchmarks/pipeline.py, not here."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism import profile as profile_mod
from newsprism.cli import main
from newsprism.nlp import embed as embed_mod
from newsprism.profile import Profile
from newsprism.store.sqlite import Store


class _CountingEncoder:
    """A deterministic stand-in encoder (a hashed bag of words) that counts what it encodes,
    so the cache tests need no model."""

    name = "test:bag-of-words"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        self.encoded.extend(texts)
        out = np.zeros((len(texts), embed_mod.DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, hash(w) % embed_mod.DIM] += 1.0
            out[i, 0] += 0.5
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> _CountingEncoder:
    enc = _CountingEncoder()
    monkeypatch.setattr(embed_mod, "load_encoder", lambda backend=None: enc)
    embed_mod.cache().clear()
    yield enc
    embed_mod.cache().clear()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 300), max_size=80), st.integers(1, 64))
def test_encoder_batches_take_every_text_once_within_the_token_budget(
    lengths: list[int], batch_size: int
) -> None:
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches = list(embed_mod._batches(order, [lengths[i] for i in order], batch_size))
    assert [i for b in batches for i in b] == order
    for b in batches:
        assert 1 <= len(b) <= batch_size
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= embed_mod.TOKEN_BUDGET


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8-static"])
def test_a_text_gets_one_vector_whatever_it_is_batched_with(backend: str) -> None:
    """Batches are cut by padded tokens (long paragraphs go a few at a time, so the runtime's
    buffers stay small); a text's vector does not depend on its neighbours, with the default
    int8 encoder too (its activation scales are fixed, not taken from the batch)."""
    encoder = embed_mod.load_encoder(backend)
    assert encoder.name == embed_mod.vectors_id(backend)
    long = " ".join(["The harbour board met again on Thursday to weigh the ferry timetable."] * 30)
    texts = [SENTENCES[0], long, SENTENCES[1], long[:400], "Strike."] * 3
    together = encoder.encode(texts, 64)
    for k, text in enumerate(texts[:5]):
        alone = encoder.encode([text], 64)[0]
        np.testing.assert_allclose(together[k], alone, atol=1e-5)
        np.testing.assert_allclose(together[k + 5], alone, atol=1e-5)


def test_the_int8_encoder_stays_close_to_full_precision() -> None:
    """The default int8 encoder gives each text nearly its full-precision vector, and pairs of
    texts nearly their full-precision cosine (what clustering and the same-fact judge read)."""
    texts = [
        *SENTENCES[:2],
        "Storm warnings stopped the Vellin Island ferry on Tuesday, the operator said.",
        "The council of Orlen voted 7 to 2 to close the old river bridge to lorries.",
        "Union leader Tomas Brenn said the dockworkers would stay out until they get a rise.",
        "Fire crews from three towns fought the blaze at the Kelmar plastics plant overnight.",
    ]
    full = embed_mod.load_encoder("onnx").encode(texts, 64)
    int8 = embed_mod.load_encoder("onnx-int8-static").encode(texts, 64)
    assert np.min(np.sum(full * int8, axis=1)) > 0.97
    assert np.max(np.abs(full @ full.T - int8 @ int8.T)) < 0.06


def test_the_int8_products_are_exact_integers_on_any_cpu() -> None:
    """Each int8 weight product of the default encoder computes exactly the integer result on
    this CPU: weights stay within 7 bits, so ONNX Runtime's uint8 x int8 kernels without VNNI
    (which sum two products in 16 bits and saturate at 255 * 127 * 2) never saturate, and every
    CPU gives a text the same vector. With 8-bit weights an AVX2 CPU got about one output in
    five off by up to 28 levels, and facts changed with the machine."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    embed_mod.load_encoder("onnx-int8-static")  # makes the graph when missing
    graph = onnx.load(str(embed_mod._onnx_path("onnx-int8-static"))).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    products = [n for n in graph.node if n.op_type == "QLinearMatMul"]
    assert len(products) == 30
    rng = np.random.default_rng(3)
    for node in products[:: len(products) // 5]:  # every layer's kind, a sixth of them
        a_scale, a_zero, w, w_scale, w_zero, y_scale, y_zero = (inits[x] for x in node.input[1:])
        assert np.abs(w.astype(np.int64) - w_zero).max() <= 64
        k, n = w.shape
        acts = rng.integers(0, 256, size=(32, k), dtype=np.uint8)  # the worst case: any byte
        names = ["a", "as", "az", "w", "ws", "wz", "ys", "yz"]
        consts = [a_scale, a_zero, w, w_scale, w_zero, y_scale, y_zero]
        model = helper.make_model(
            helper.make_graph(
                [helper.make_node("QLinearMatMul", names, ["y"])],
                "one-product",
                [helper.make_tensor_value_info("a", TensorProto.UINT8, [32, k])],
                [helper.make_tensor_value_info("y", TensorProto.UINT8, [32, n])],
                [numpy_helper.from_array(c, nm) for nm, c in zip(names[1:], consts, strict=True)],
            ),
            opset_imports=[helper.make_opsetid("", 17)],
        )
        session = ort.InferenceSession(
            model.SerializeToString(), providers=["CPUExecutionProvider"]
        )
        got = session.run(None, {"a": acts})[0]
        exact = (acts.astype(np.int64) - a_zero) @ (w.astype(np.int64) - w_zero.astype(np.int64))
        real = exact * (a_scale.astype(np.float64) * w_scale) / y_scale + y_zero
        want = np.clip(np.rint(real), 0, 255)
        # the runtime rounds its float rescale its own way: at most one level, rarely
        assert np.abs(got - want).max() <= 1
        assert np.mean(got != want) < 0.01


def test_without_an_int8_graph_the_encoder_runs_at_full_precision(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """When the int8 graph cannot be made (a quantization fault, say), the run goes on with
    the full-precision graph, under that encoder's name (so its vectors are never mixed with
    int8 ones in the store)."""
    full = embed_mod._onnx_path("onnx")
    embed_mod.load_encoder("onnx")  # the full-precision graph exists in the usual cache
    monkeypatch.setenv("NEWSPRISM_CACHE_DIR", str(tmp_path))  # no int8 graph made here yet
    (tmp_path / full.name).symlink_to(full)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("quantization tools missing")

    monkeypatch.setattr(embed_mod, "_quantize_onnx", broken)
    encoder = embed_mod._make_encoder("onnx-int8-static")
    assert encoder.name.endswith(":onnx")
    assert not list(tmp_path.glob("*int8*"))


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (None, "onnx-int8-static"),
        ("onnx", "onnx"),
        (" Torch ", "torch"),
        ("no-such", "onnx-int8-static"),
    ],
)
def test_the_encoder_is_picked_by_its_variable(
    monkeypatch: pytest.MonkeyPatch, asked: str | None, expected: str
) -> None:
    if asked is None:
        monkeypatch.delenv("NEWSPRISM_EMBEDDER", raising=False)
    else:
        monkeypatch.setenv("NEWSPRISM_EMBEDDER", asked)
    assert embed_mod.backend_name() == expected


SENTENCES = [
    "The ferry to Vellin Island was cancelled on Tuesday after a storm warning.",
    "Harbour officials in Vellin said the crossing would resume on Thursday.",
    "The ferry to Vellin Island was cancelled on Tuesday after a storm warning.",  # repeat
    "",
]


def test_each_distinct_text_is_encoded_once_per_process(counting: _CountingEncoder) -> None:
    first = embed_mod.embed(SENTENCES)
    assert first.shape == (4, embed_mod.DIM)
    assert sorted(counting.encoded) == sorted(set(SENTENCES))  # the repeat is encoded once
    np.testing.assert_allclose(first[0], first[2])
    np.testing.assert_allclose(np.linalg.norm(first[:3], axis=1), 1.0, rtol=1e-5)
    again = embed_mod.embed(SENTENCES[:2])
    assert len(counting.encoded) == 3  # nothing new encoded
    np.testing.assert_array_equal(again, first[:2])
    assert embed_mod.cache().stats.memory_hits >= 2


def test_vectors_kept_in_the_store_are_reused_by_a_new_process(
    counting: _CountingEncoder, tmp_path: Path
) -> None:
    db_path = tmp_path / "archive.db"
    with Store(db_path) as db, embed_mod.persistent(db):
        fresh = embed_mod.embed(SENTENCES[:2])
    assert len(counting.encoded) == 2
    embed_mod.cache().clear()  # as if a new process: nothing in memory
    with Store(db_path) as db, embed_mod.persistent(db):
        reread = embed_mod.embed(SENTENCES[:2])
    assert len(counting.encoded) == 2  # not encoded again
    assert embed_mod.cache().stats.store_hits == 2
    np.testing.assert_array_equal(reread, fresh)  # exactly the numbers of the fresh run
    embed_mod.cache().clear()
    embed_mod.embed(SENTENCES[:1])  # no store attached: encoded again
    assert len(counting.encoded) == 3


def test_a_broken_store_never_stops_embedding(counting: _CountingEncoder) -> None:
    class Broken:
        def get_embeddings(self, keys: object) -> dict:
            raise OSError("disk gone")

        def put_embeddings(self, items: object) -> None:
            raise OSError("disk gone")

    with embed_mod.persistent(Broken()):  # type: ignore[arg-type]
        vecs = embed_mod.embed(SENTENCES[:2])
    assert vecs.shape == (2, embed_mod.DIM)


def test_embedding_time_counts_as_embeddings_not_as_the_enclosing_stage(
    counting: _CountingEncoder,
) -> None:
    slow = counting.encode

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        time.sleep(0.05)
        return slow(texts, batch_size)

    counting.encode = encode  # type: ignore[method-assign]
    prof = Profile()
    with profile_mod.activate(prof), profile_mod.stage("comparison"):
        embed_mod.embed(SENTENCES[:2])
        embed_mod.embed(SENTENCES[:2])  # cached: no encoder time
    assert prof.seconds["embeddings"] >= 0.05
    assert prof.seconds["comparison"] < prof.seconds["embeddings"]
    assert prof.items["embeddings"] == 2


def test_laps_exclude_what_stages_recorded_meanwhile() -> None:
    prof = Profile()
    with profile_mod.activate(prof):
        time.sleep(0.02)
        profile_mod.lap("ingest")
        with profile_mod.stage("embeddings"):
            time.sleep(0.03)
        time.sleep(0.01)
        profile_mod.lap("clustering")
        prof.add_parallel(2.0, {"parse": 3.0, "annotate": 1.0})
    assert prof.seconds["ingest"] >= 0.02
    assert 0.01 <= prof.seconds["clustering"] < 0.03
    assert prof.seconds["parse"] == pytest.approx(1.5)
    assert prof.seconds["annotate"] == pytest.approx(0.5)
    names = [r.name for r in prof.rows()]
    assert names == ["ingest", "parse", "annotate", "embeddings", "clustering"]
    assert sum(r.share for r in prof.rows()) == pytest.approx(1.0)


ARTICLES = {
    "tidewater-post/ferry.txt": (
        "Ferry service to Vellin Island halted by storm\n\n"
        "The ferry to Vellin Island was cancelled on Tuesday after a storm warning, the "
        "Vellin Harbour Authority said. About 300 passengers were stranded at the port of "
        'Osterby. "We will not put crews at risk," said harbour master Ilse Varga.'
    ),
    "coastline-daily/ferry.txt": (
        "Storm strands hundreds as Vellin ferry cancelled\n\n"
        "Harbour master Ilse Varga cancelled Tuesday's ferry to Vellin Island because of the "
        "storm. Around 320 travellers waited at Osterby. The crossing will resume on Thursday, "
        "the Vellin Harbour Authority said."
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("speed-corpus")
    for rel, text in ARTICLES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.slow
def test_a_rerun_over_the_store_does_not_embed_again(corpus: Path, tmp_path: Path) -> None:
    from newsprism.api import AnalyzeOptions, analyze

    store = tmp_path / "np.db"
    embed_mod.cache().clear()
    first = Profile()
    analyze([corpus], AnalyzeOptions(workers=1), store=store, profile=first)
    computed = embed_mod.cache().stats.computed
    assert computed > 0 and first.items.get("embeddings") == computed
    # a new process, and every story compared and every article clustered again
    embed_mod.cache().clear()
    with Store(store) as db:
        db.set_state("story_keys", {"keys": {}})
        db.set_state("cluster", None)
    second = Profile()
    result = analyze([corpus], AnalyzeOptions(workers=1), store=store, profile=second)
    assert result.stories
    assert embed_mod.cache().stats.computed == 0
    assert embed_mod.cache().stats.store_hits > 0
    assert "embeddings" not in second.seconds
    assert {"ingest", "clustering", "comparison", "store"} <= set(second.seconds)


@pytest.mark.slow
def test_a_run_holds_one_encoder_at_a_time(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clustering embeds titles and leads at full precision, the comparison the claims in
    int8: the full-precision session is let go before the int8 one loads."""
    from newsprism.api import AnalyzeOptions, analyze

    monkeypatch.delenv("NEWSPRISM_EMBEDDER", raising=False)
    monkeypatch.setattr(embed_mod, "_LOADED", {})
    embed_mod.cache().clear()
    events: list[tuple[str, str]] = []
    make, release = embed_mod._make_encoder, embed_mod.release_encoder

    def making(backend: str) -> embed_mod.Encoder:
        events.append(("load", backend))
        return make(backend)

    def releasing(backend: str) -> None:
        events.append(("release", backend))
        release(backend)

    monkeypatch.setattr(embed_mod, "_make_encoder", making)
    monkeypatch.setattr("newsprism.api.release_encoder", releasing)
    analyze([corpus], AnalyzeOptions(workers=1), store=tmp_path / "np.db")
    assert events == [
        ("load", "onnx"),
        ("release", "onnx"),
        ("load", "onnx-int8-static"),
    ]
    assert list(embed_mod._LOADED) == ["onnx-int8-static"]


@pytest.mark.slow
def test_analyze_profile_prints_every_stage(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["analyze", str(corpus), "-o", str(tmp_path / "out"), "--profile"]
    )
    assert result.exit_code == 0, result.stderr
    table = result.stderr[result.stderr.index("stage ") :]
    stages = {line.split()[0] for line in table.splitlines()[1:]}
    assert {"ingest", "parse", "annotate", "clustering", "comparison", "outputs", "store"} <= stages
    assert "total" in stages
    total = float(table.splitlines()[-1].split()[1])
    assert total > 0


_IMPORT_CHECK = """
import sys
from click.testing import CliRunner
from newsprism.cli import main
result = CliRunner().invoke(main, sys.argv[1:])
heavy = sorted(m for m in ("torch", "spacy", "sentence_transformers", "onnxruntime", "transformers")
               if m in sys.modules)
print("exit", result.exit_code, "heavy", ",".join(heavy) or "-")
"""


@pytest.mark.parametrize("args", [["--help"], ["analyze", "--help"], ["search", "ferry"]])
def test_help_and_search_load_no_models(args: list[str], tmp_path: Path) -> None:
    if args[0] == "search":
        with Store(tmp_path / "s.db"):
            pass
        args = [*args, "--store", str(tmp_path / "s.db")]
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_CHECK, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "heavy -" in out.stdout, out.stdout + out.stderr
    assert out.stdout.startswith("exit 0"), out.stdout + out.stderr


def test_progress_lines_carry_an_eta_per_stage(capsys: pytest.CaptureFixture[str]) -> None:
    from newsprism.cli import _Progress

    progress = _Progress(enabled=True)
    progress.tty = False  # the line-per-step form (what a log file or CI sees)
    progress("enrich", 0, 40)
    time.sleep(0.05)
    progress("enrich", 20, 40)
    progress("compare", 0, 30)
    progress("enrich", 40, 40)
    lines = capsys.readouterr().err.splitlines()
    half = next(line for line in lines if line.startswith("enrich: 20/40"))
    assert "ETA" in half and half.endswith(" s")
    assert "enrich: 40/40" in lines  # a finished stage has no ETA
    assert "compare: 0/30" in lines


def test_english_stop_words_are_scikit_learns_without_importing_it(tmp_path: Path) -> None:
    """The list is read from scikit-learn's word-list file: the same words, and neither
    scikit-learn nor SciPy (1-2 s to import) loaded by a comparison."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from newsprism import stopwords

    assert stopwords.english() == ENGLISH_STOP_WORDS
    code = (
        "import sys; from newsprism.stopwords import english; english(); "
        "print(sorted(m for m in ('sklearn', 'scipy', 'datasketch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    # a module not laid out as a literal list is refused, not executed
    odd = tmp_path / "pkg"
    odd.mkdir()
    (odd / "__init__.py").write_text("")
    (odd / "words.py").write_text("WORDS = frozenset(open('x').read().split())\n")
    sys.path.insert(0, str(tmp_path))
    try:
        assert stopwords._literal_word_list("pkg", "words.py", "WORDS") is None
        assert stopwords._literal_word_list("pkg", "missing.py", "WORDS") is None
        assert stopwords._literal_word_list("no_such_package_here", "x.py", "WORDS") is None
    finally:
        sys.path.remove(str(tmp_path))
