"""Scores the extractive summarizer on DUC 2004 task 2 (``duc2004_dev.jsonl``), beside LexRank.

Records carry ``cluster_id, articles[10], reference_summaries[4]``. Each cluster is summarized
in 100 words by :func:`newsprism.stories.summarize.summarize` and, on the same sentences, by
sumy's LexRank as the reference system.

ROUGE: ``rouge_score.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)``; a system summary is
truncated to its first 100 whitespace words (DUC's ``-l 100``; ours never exceeds it, LexRank's
last sentence may be cut). With several references, the recall of a summary is the **mean of
its recalls against each reference** (close to ROUGE-1.5.5's jackknifed average; not the
maximum that ``score_multi`` would take). Scores are averaged over clusters and reported as
fractions (0.36 = 36 ROUGE points); ``rouge1_margin`` is ours minus LexRank in the same units
(0.02 = 2 points).
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections import Counter
from pathlib import Path
from statistics import mean

import numpy as np

from newsprism.evaluate import EvaluationDataError, read_jsonl
from newsprism.sentences import sentence_spans
from newsprism.stories.summarize import summarize

log = logging.getLogger(__name__)

WORDS = 100


def truncate(text: str, words: int = WORDS) -> str:
    """The first ``words`` whitespace-separated words of ``text``."""
    return " ".join(text.split()[:words])


def recall_vs_refs(summary: str, references: list[str], scorer) -> tuple[float, float]:
    """Mean ROUGE-1 and ROUGE-2 recall of ``summary`` over ``references``."""
    r1, r2 = [], []
    for ref in references:
        s = scorer.score(ref, summary)  # (target, prediction)
        r1.append(s["rouge1"].recall)
        r2.append(s["rouge2"].recall)
    return mean(r1), mean(r2)


class _Tokenizer:
    """The sumy tokenizer protocol over our sentence splitter (no NLTK data needed)."""

    def __init__(self, stemmerless_words) -> None:
        self._words = stemmerless_words

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(text[s:e] for s, e in sentence_spans(text))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self._words.findall(sentence))


def _fast_lexrank_class():
    """sumy's LexRank with its two quadratic pure-Python steps vectorized (same numbers)."""
    from sumy.summarizers.lex_rank import LexRankSummarizer  # optional: needs sumy (eval extra)

    class FastLexRank(LexRankSummarizer):
        @staticmethod
        def _compute_idf(sentences):
            n = len(sentences)
            df = Counter(t for s in sentences for t in set(s))
            return {t: math.log(n / (1 + d)) for t, d in df.items()}

        def _create_matrix(self, sentences, threshold, tf_metrics, idf_metrics):
            vocab = {t: j for j, t in enumerate(idf_metrics)}
            w = np.zeros((len(sentences), len(vocab)))
            for i, tf in enumerate(tf_metrics):
                for t, v in tf.items():
                    w[i, vocab[t]] = v * idf_metrics[t]
            norms = np.sqrt((w * w).sum(axis=1))
            ok = norms > 0
            cos = np.zeros((len(sentences), len(sentences)))
            cos[np.ix_(ok, ok)] = (w[ok] @ w[ok].T) / np.outer(norms[ok], norms[ok])
            matrix = (cos > threshold).astype(float)
            degrees = matrix.sum(axis=1)
            degrees[degrees == 0] = 1
            return matrix / degrees[:, None]

    return FastLexRank


def lexrank(texts: list[str], words: int = WORDS) -> str:
    """sumy's LexRank over all articles: best-rated sentences until ``words`` words, in order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # optional: needs sumy
    from sumy.nlp.stemmers import Stemmer  # optional: needs sumy
    from sumy.utils import get_stop_words  # optional: needs sumy

    tok = _Tokenizer(re.compile(r"[^\W_]+(?:['’][^\W_]+)*"))
    paragraphs = [
        Paragraph([Sentence(s, tok) for s in tok.to_sentences(t)]) for t in texts if t and t.strip()
    ]
    document = ObjectDocumentModel(tuple(paragraphs))
    summarizer = _fast_lexrank_class()(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def upto_words(infos):
        out, n = [], 0
        for info in infos:
            if n >= words:
                break
            out.append(info)
            n += len(str(info.sentence).split())
        return out

    return " ".join(str(s) for s in summarizer(document, upto_words))


def score(path: Path, limit: int | None = None) -> dict[str, float]:
    """Summarize every cluster of ``path`` (ours and LexRank) and score ROUGE-1/2 recall."""
    from rouge_score.rouge_scorer import RougeScorer  # optional: needs rouge-score (eval extra)

    scorer = RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    ours1, ours2, lex1, lex2 = [], [], [], []
    t_ours = t_lex = 0.0
    for n, rec in enumerate(read_jsonl(Path(path))):
        if limit is not None and n >= limit:
            break
        texts = [t for t in rec.get("articles") or [] if isinstance(t, str)]
        refs = [r for r in rec.get("reference_summaries") or [] if isinstance(r, str) and r.strip()]
        if not texts or not refs:
            raise EvaluationDataError(
                f"{path}: record {n + 1} lacks articles or reference_summaries"
            )
        t0 = time.perf_counter()
        ours = summarize(texts, words=WORDS).text
        t1 = time.perf_counter()
        lex = lexrank(texts, WORDS)
        t2 = time.perf_counter()
        t_ours += t1 - t0
        t_lex += t2 - t1
        a1, a2 = recall_vs_refs(truncate(ours), refs, scorer)
        b1, b2 = recall_vs_refs(truncate(lex), refs, scorer)
        ours1.append(a1)
        ours2.append(a2)
        lex1.append(b1)
        lex2.append(b2)
        log.debug(
            "%s: ours R1 %.3f R2 %.3f | LexRank R1 %.3f R2 %.3f",
            rec.get("cluster_id"),
            a1,
            a2,
            b1,
            b2,
        )
    if not ours1:
        raise EvaluationDataError(f"{path}: no clusters to score")
    out = {
        "rouge1_recall": mean(ours1),
        "rouge2_recall": mean(ours2),
        "lexrank_rouge1_recall": mean(lex1),
        "lexrank_rouge2_recall": mean(lex2),
        "clusters": float(len(ours1)),
        "seconds_per_cluster": t_ours / len(ours1),
        "lexrank_seconds_per_cluster": t_lex / len(ours1),
    }
    out["rouge1_margin"] = out["rouge1_recall"] - out["lexrank_rouge1_recall"]
    out["rouge2_margin"] = out["rouge2_recall"] - out["lexrank_rouge2_recall"]
    return out
