"""Arabic normalisation that never loses the way back to the raw text.

Every downstream matcher (gazetteer, trigger lexicon, quote cues) compares
*folded* strings, but every offset hadath reports must point into the raw
article.  :func:`normalize` therefore returns the folded text together with a
map from each folded character to the raw character it came from.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Characters removed outright: harakat, Quranic marks, tatweel, invisible
# format characters (ZWJ/ZWNJ, bidi marks, BOM).
_DROP = set(range(0x064B, 0x0660)) | {0x0670, 0x0640} | set(range(0x06D6, 0x06EE)) - {0x06E5, 0x06E6}
_DROP |= set(range(0x200B, 0x2010)) | {0x061C, 0xFEFF} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_DROP |= {0x00AD}  # soft hyphen

_LETTER_FOLDS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ڪ": "ك",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه",
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_PUNCT = {
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "–": "-", "—": "-", "−": "-",
}


@dataclass(frozen=True)
class NormalizeOptions:
    """Which folds to apply.  The default is the matching key used everywhere."""

    fold_letters: bool = True      # alef/ya/ta-marbuta variants
    fold_digits: bool = True       # Arabic-Indic digits -> ASCII
    fold_punctuation: bool = True  # Arabic comma, guillemets, dashes -> ASCII
    drop_marks: bool = True        # diacritics, tatweel, invisible characters


DEFAULT_OPTIONS = NormalizeOptions()


@dataclass(frozen=True)
class NormalizedText:
    """Folded text plus ``to_raw``: for folded index ``i`` the raw index it came from.

    ``to_raw`` has ``len(text) + 1`` entries; the last one is the raw length, so a
    folded half-open span ``[s, e)`` maps to the raw span ``[to_raw[s], raw_end(e))``.
    """

    raw: str
    text: str
    to_raw: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering folded ``[start, end)``."""
        if end <= start:
            pos = self.to_raw[start]
            return pos, pos
        raw_end = self.to_raw[end]  # includes marks dropped after the last character
        if raw_end <= self.to_raw[end - 1]:  # span ends inside an expanded ligature
            raw_end = self.to_raw[end - 1] + 1
        return self.to_raw[start], raw_end


@lru_cache(maxsize=8)
def _table(options: NormalizeOptions) -> dict[str, str]:
    table: dict[str, str] = {}
    if options.drop_marks:
        table.update({chr(c): "" for c in _DROP})
    if options.fold_letters:
        table.update(_LETTER_FOLDS)
    if options.fold_digits:
        table.update(_DIGITS)
    if options.fold_punctuation:
        table.update(_PUNCT)
    return table


def _expand(ch: str) -> str:
    """Arabic presentation forms (ligatures such as U+FEFB) to their letters."""
    code = ord(ch)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFC:
        return unicodedata.normalize("NFKC", ch)
    return ch


def normalize(raw: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> NormalizedText:
    """Fold ``raw`` for matching, keeping an offset map back into ``raw``."""
    table = _table(options)
    out: list[str] = []
    to_raw: list[int] = []
    for i, ch in enumerate(raw):
        piece = table.get(ch)
        if piece is None:
            piece = _expand(ch)
            if len(piece) != 1 or piece != ch:
                piece = "".join(table.get(c, c) for c in piece)
        if piece:
            out.append(piece)
            to_raw.extend([i] * len(piece))
    to_raw.append(len(raw))
    return NormalizedText(raw=raw, text="".join(out), to_raw=tuple(to_raw))


FOLD_CACHE_MAX_CHARS = 100
"""Strings up to this length (words, names, lexicon keys) are folded through a
cache; whole sentences and articles are not, so the cache never holds them."""


def fold(s: str) -> str:
    """The matching key of a string (lexicon entries and mentions compare by this)."""
    return _fold_cached(s) if len(s) <= FOLD_CACHE_MAX_CHARS else _fold(s)


@lru_cache(maxsize=200_000)
def _fold_cached(s: str) -> str:
    return _fold(s)


def _fold(s: str) -> str:
    table = _table(DEFAULT_OPTIONS)
    if s.isascii():
        return s.lower()
    pieces = []
    for ch in s:
        piece = table.get(ch)
        if piece is None:
            piece = _expand(ch)
            if piece != ch:
                piece = "".join(table.get(c, c) for c in piece)
        pieces.append(piece)
    return " ".join("".join(pieces).lower().split())
