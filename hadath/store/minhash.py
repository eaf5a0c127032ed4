"""Near-duplicate articles: MinHash signatures over word shingles of the folded text,
and LSH bands to find candidates without comparing every pair.

Wire copy reprinted by several outlets differs in a byline, a dateline or a
sentence; its 3-word shingles still overlap heavily.  With 16 bands of 8 rows a
pair at Jaccard 0.8 becomes a candidate with probability > 0.99, a pair at 0.4
with < 0.01; candidates are then confirmed on the full signature.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np


PERMUTATIONS = 128
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 3
THRESHOLD = 0.8
"""Least estimated Jaccard similarity at which two articles are linked."""
MIN_SHINGLES = 8
"""Shorter texts are not compared: a few shared words prove nothing."""

_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20231113)
_A = _rng.integers(1, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Signature:
    values: np.ndarray          # PERMUTATIONS uint32

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Signature":
        return cls(np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32))

    def similarity(self, other: "Signature") -> float:
        return float(np.mean(self.values == other.values))

    def band_keys(self) -> list[int]:
        """One 63-bit key per band (band index mixed in, so bands never collide)."""
        keys = []
        for band in range(BANDS):
            chunk = self.values[band * ROWS:(band + 1) * ROWS].astype("<u4").tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little") >> 1)
        return keys


def shingles(folded: str) -> set[int]:
    """crc32 of every 3-word run of an already folded text."""
    words = _WORD.findall(folded)
    if len(words) < SHINGLE:
        return set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}


def signature(folded: str) -> "Signature | None":
    """The signature of an article's folded text (:func:`hadath.text.normalize.fold`),
    or None when it is too short to compare."""
    hashed = shingles(folded)
    if len(hashed) < MIN_SHINGLES:
        return None
    x = np.fromiter(hashed, dtype=np.uint64, count=len(hashed))
    # (a*x + b) mod p: a, x < 2^32 so a*x fits in 64 bits before the reduction
    values = ((np.outer(x, _A) % _PRIME + _B) % _PRIME) & _MASK
    return Signature(values.min(axis=0).astype(np.uint32))
