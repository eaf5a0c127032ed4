"""Pieces shared by the NER trainer and the NumPy tagger (NumPy only, no torch).

- the label set (BIO over PER/LOC/ORG/MISC);
- word <-> subword alignment: each word is labelled on its first subword;
- cutting a long sentence into encoder windows at word boundaries;
- BIO-constrained Viterbi decoding, with an optional transition matrix.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

TYPES = ("PER", "LOC", "ORG", "MISC")
LABELS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in ("B", "I"))
LABEL_IDS = {label: i for i, label in enumerate(LABELS)}
NEG = np.float32(-1e4)


def allowed_transitions(labels: Sequence[str] = LABELS) -> tuple[np.ndarray, np.ndarray]:
    """``(allowed[prev, next], allowed_start[next])``: I-X only after B-X or I-X."""
    k = len(labels)
    allowed = np.ones((k, k), dtype=bool)
    start = np.ones(k, dtype=bool)
    for j, nxt in enumerate(labels):
        if nxt.startswith("I-"):
            start[j] = False
            for i, prev in enumerate(labels):
                allowed[i, j] = prev[2:] == nxt[2:] and prev[:2] in ("B-", "I-")
    return allowed, start


def transition_log_probs(tag_sequences: Sequence[Sequence[int]], k: int = len(LABELS)) -> tuple[np.ndarray, np.ndarray]:
    """Add-one smoothed ``log P(next | prev)`` and ``log P(first)`` over the allowed moves."""
    allowed, start_ok = allowed_transitions()
    counts = np.ones((k, k), dtype=np.float64) * allowed
    start = np.ones(k, dtype=np.float64) * start_ok
    for seq in tag_sequences:
        if not len(seq):
            continue
        start[seq[0]] += 1
        for a, b in zip(seq[:-1], seq[1:]):
            counts[a, b] += 1
    with np.errstate(divide="ignore"):
        trans = np.log(counts / counts.sum(1, keepdims=True))
        first = np.log(start / start.sum())
    return np.where(allowed, trans, NEG).astype(np.float32), np.where(start_ok, first, NEG).astype(np.float32)


def viterbi(emissions: np.ndarray, trans: np.ndarray | None = None, start: np.ndarray | None = None,
            weight: float = 0.0) -> list[int]:
    """Best label path for ``emissions`` (log-probs ``[n, K]``) under the BIO constraints.

    ``trans``/``start`` (log-probs, see :func:`transition_log_probs`) are added with
    ``weight``; ``weight=0`` is constraint-only decoding.
    """
    n, k = emissions.shape
    if n == 0:
        return []
    allowed, start_ok = allowed_transitions()
    t = np.where(allowed, np.float32(0), NEG)
    s = np.where(start_ok, np.float32(0), NEG)
    if weight and trans is not None:
        t = t + np.float32(weight) * np.maximum(trans, NEG)
        if start is not None:
            s = s + np.float32(weight) * np.maximum(start, NEG)
    score = emissions[0] + s
    back = np.zeros((n, k), dtype=np.int64)
    for i in range(1, n):
        cand = score[:, None] + t                    # [prev, next]
        back[i] = cand.argmax(0)
        score = cand[back[i], np.arange(k)] + emissions[i]
    path = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]


def first_subwords(offsets: Sequence[tuple[int, int]], special: Sequence[bool],
                   word_spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each word span, the index of the first (non-special) token overlapping it; -1 if none.

    Two words can share a token when the encoder's piece straddles them (``(د`` as one
    piece but two hadath tokens); both then read that token's state.
    """
    nw = len(word_spans)
    first = [-1] * nw
    w = 0
    for j, (a, b) in enumerate(offsets):
        if special[j] or a >= b:
            continue
        while w < nw and word_spans[w][1] <= a:
            w += 1
        k = w
        while k < nw and word_spans[k][0] < b:
            if first[k] < 0:
                first[k] = j
            k += 1
    return first


def windows(n_tokens: int, firsts: Sequence[int], max_len: int) -> list[tuple[int, int]]:
    """Content-token ranges ``[a, b)`` (indices into ids with ``<s>`` at 0 and ``</s>`` at
    ``n_tokens-1``) of at most ``max_len - 2`` tokens, cut at word starts where possible."""
    end = n_tokens - 1
    cap = max_len - 2
    starts = sorted({f for f in firsts if 0 < f < end})
    cuts = [1]
    last_ok = 1
    for p in starts + [end]:
        if p - cuts[-1] > cap:
            if last_ok > cuts[-1]:
                cuts.append(last_ok)
            while p - cuts[-1] > cap:
                cuts.append(cuts[-1] + cap)
        last_ok = p
    bounds = cuts + [end]
    return [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a] or [(1, max(end, 1))]


def log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(-1, keepdims=True)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


class Chunk:
    """One encoder window of a sentence: ``ids`` with ``<s>``/``</s>``, and for each word
    labelled in it (``words``) the position of its first subword (``positions``)."""

    __slots__ = ("ids", "words", "positions")

    def __init__(self, ids: list[int], words: list[int], positions: list[int]):
        self.ids, self.words, self.positions = ids, words, positions


def plan_sentence(tokenizer, text: str, word_spans: Sequence[tuple[int, int]], max_len: int,
                  prefix: str = "") -> list[Chunk]:
    """Tokenise ``text`` once and cut it into windows; words without any subword are in no chunk."""
    enc = tokenizer.encode(text, prefix)
    firsts = first_subwords(enc.offsets, enc.special, word_spans)
    ids = enc.ids
    bos, eos = ids[0], ids[-1]
    chunks = []
    for a, b in windows(len(ids), firsts, max_len):
        words = [w for w, f in enumerate(firsts) if a <= f < b]
        chunks.append(Chunk([bos, *ids[a:b], eos], words, [firsts[w] - a + 1 for w in words]))
    return chunks


def join_words(words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Words joined by single spaces, with each word's span."""
    spans = []
    pos = 0
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w) + 1
    return " ".join(words), spans


# -- optional input features: the rule-based stage's entities as BIO per word -----------
FEATURES = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
FEATURE_IDS = {f: i for i, f in enumerate(FEATURES)}


def span_features(n_words: int, word_spans: Sequence[tuple[int, int]],
                  entities: Iterable[tuple[int, int, str]]) -> list[int]:
    """BIO feature id per word from character-span entities ``(start, end, type)``
    (a word belongs to an entity it overlaps)."""
    out = [0] * n_words
    for start, end, kind in entities:
        covered = [i for i, (s, e) in enumerate(word_spans) if s < end and start < e]
        if not covered or f"B-{kind}" not in FEATURE_IDS:
            continue
        out[covered[0]] = FEATURE_IDS[f"B-{kind}"]
        for i in covered[1:]:
            out[i] = FEATURE_IDS[f"I-{kind}"]
    return out


def token_features(chunk: Chunk, word_features: Sequence[int]) -> list[int]:
    """Per-token feature ids of a chunk: every subword of a word carries the word's feature."""
    feats = [0] * len(chunk.ids)
    pos = list(chunk.positions) + [len(chunk.ids) - 1]
    for k, w in enumerate(chunk.words):
        f = word_features[w]
        if f:
            for t in range(pos[k], max(pos[k + 1], pos[k] + 1)):
                feats[t] = f
    return feats
