"""Arabic normalisation that never loses the way back to the raw text.

Every downstream matcher (gazetteer, trigger lexicon, quote cues) compares
*folded* strings, but every offset hadath reports must point into the raw
article.  :func:`normalize` therefore returns the folded text together with a
map from each folded character to the raw character it came from.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

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


@lru_cache(maxsize=8)
def _translation(options: NormalizeOptions) -> tuple[dict[int, str], Optional[re.Pattern]]:
    """``str.translate`` table of every character the fold changes (the table's entries
    and the presentation forms :func:`_expand` rewrites), and a pattern of those whose
    output is not exactly one character (dropped marks, ligatures): only at those does
    the offset map need more than ``range``."""
    table = _table(options)
    trans = {ord(ch): piece for ch, piece in table.items()}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)):
        ch = chr(code)
        if ch in table:
            continue
        expanded = _expand(ch)
        if expanded != ch:
            trans[code] = "".join(table.get(c, c) for c in expanded)
    uneven = sorted(chr(code) for code, piece in trans.items() if len(piece) != 1)
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in uneven) + "]") if uneven else None
    return trans, pattern


def normalize(raw: str, options: NormalizeOptions = DEFAULT_OPTIONS) -> NormalizedText:
    """Fold ``raw`` for matching, keeping an offset map back into ``raw``.

    One ``str.translate`` pass; the offset map is built from ranges between the few
    characters whose fold is not one character long."""
    trans, uneven = _translation(options)
    text = raw.translate(trans)
    if uneven is None or uneven.search(raw) is None:
        return NormalizedText(raw=raw, text=text, to_raw=tuple(range(len(raw) + 1)))
    to_raw: list[int] = []
    pos = 0
    for match in uneven.finditer(raw):
        i = match.start()
        to_raw.extend(range(pos, i))
        to_raw.extend([i] * len(trans[ord(raw[i])]))
        pos = i + 1
    to_raw.extend(range(pos, len(raw) + 1))
    return NormalizedText(raw=raw, text=text, to_raw=tuple(to_raw))


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
    if s.isascii():
        return s.lower()
    return " ".join(s.translate(_translation(DEFAULT_OPTIONS)[0]).lower().split())
