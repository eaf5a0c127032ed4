"""Clitic segmentation: one surface token -> several syntactic words.

Whether a leading و/ف/ب/ل/ك/س is a clitic or part of the stem (وأكدت vs وزير,
بدران) is decided with word frequencies from Arabic news: a prefix is split off
only when what remains is itself a common word at least half as frequent as the
whole token.  The lexicon-driven matchers use :func:`lookup_keys` instead, which
lists every plausible reading and lets the lexicon decide.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from hadath.doc import Token, Word
from hadath.memo import BoundedMemo
from hadath.text.function_words import FUNCTION_WORDS
from hadath.text.normalize import normalize

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
FUTURE = "س"
IMPERFECTIVE_PREFIXES = ("ي", "ت", "ن", "ا")
ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك")
NOT_ARTICLE = frozenset({"الله", "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان",
                         "اللاتي", "اللواتي", "اللتي", "الي", "الا", "الان", "الي"})
MIN_STEM = 3


@dataclass(frozen=True)
class WordFrequencies:
    """Folded word -> corpus count (see scripts/build_wordfreq.py)."""

    counts: dict[str, int]
    segments: BoundedMemo = field(default_factory=lambda: BoundedMemo(200_000), repr=False, compare=False)

    @classmethod
    def load(cls) -> "WordFrequencies":
        counts: dict[str, int] = {}
        path = resources.files("hadath.text") / "data" / "wordfreq.tsv.gz"
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                word, _, count = line.rstrip("\n").partition("\t")
                counts[word] = int(count)
        return cls(counts)

    def __getitem__(self, word: str) -> int:
        return self.counts.get(word, 0)


def _strip_article(stem: str) -> tuple[str, str] | None:
    if stem.startswith("ال") and len(stem) >= 4 and stem not in NOT_ARTICLE:
        return "ال", stem[2:]
    return None


def segment(norm: str, freq: WordFrequencies, ta_marbuta: bool = False) -> list[tuple[str, str]]:
    """Split a folded token into ``(segment, role)`` pairs, in order (memoised per
    frequency table: the same word always splits the same way).

    ``ta_marbuta``: the raw token ends in ة, which folds to ه but is no pronoun.
    """
    return list(freq.segments.get((norm, ta_marbuta), lambda: tuple(_segment(norm, freq, ta_marbuta))))


def _segment(norm: str, freq: WordFrequencies, ta_marbuta: bool) -> list[tuple[str, str]]:
    if norm in FUNCTION_WORDS:
        return [(norm, "stem")]
    parts: list[tuple[str, str]] = []
    rest = norm

    def splittable(prefix: str, remainder: str) -> bool:
        if remainder in FUNCTION_WORDS and len(remainder) >= 2:
            return True  # وكل، ولا، ومن
        whole, without = freq[prefix + remainder], freq[remainder]
        if len(remainder) < MIN_STEM:
            return len(remainder) == 2 and without >= 50 and without >= whole * 2  # لفك، بحق
        return without >= 5 and without * 2 >= whole

    if rest[:1] in CONJUNCTIONS and splittable(rest[0], rest[1:]):
        parts.append((rest[0], "conj"))
        rest = rest[1:]
    if rest.startswith("لل") and len(rest) >= 4 and freq["ال" + rest[2:]] >= 5:
        parts.append(("ل", "prep"))
        parts.append(("ال", "det"))
        rest = rest[2:]
    elif rest[:1] in PREPOSITIONS and (rest[1:].startswith("ال") or splittable(rest[0], rest[1:])):
        if len(rest) >= MIN_STEM:
            parts.append((rest[0], "prep"))
            rest = rest[1:]
    elif rest[:1] == FUTURE and rest[1:2] in IMPERFECTIVE_PREFIXES and splittable(FUTURE, rest[1:]):
        parts.append((FUTURE, "future"))
        rest = rest[1:]
    article = _strip_article(rest)
    if article and not (parts and parts[-1][1] == "det"):
        parts.append((article[0], "det"))
        rest = article[1]
    suffix: tuple[str, str] | None = None
    for enclitic in ENCLITICS:
        stem = rest[: -len(enclitic)]
        if ta_marbuta and enclitic.endswith("ه"):
            continue
        if rest.endswith(enclitic) and len(stem) >= MIN_STEM:
            base = stem[:-1] + "ه" if stem.endswith("ت") else stem
            if freq[stem] + freq[base] >= 20 and (freq[stem] + freq[base]) * 2 >= freq[rest]:
                suffix = (enclitic, "pron")
                rest = stem
                break
    parts.append((rest, "stem"))
    if suffix:
        parts.append(suffix)
    return parts


def _ends_with_ta_marbuta(text: str) -> bool:
    stripped = text.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")
    return stripped.endswith("ة")


def words_of(token: Token, freq: WordFrequencies) -> list[Word]:
    """Words of one token with raw offsets (clitic letters map one to one)."""
    if token.kind != "word":
        return [Word(token.index, token.norm, token.start, token.end, "stem")]
    parts = segment(token.norm, freq, ta_marbuta=_ends_with_ta_marbuta(token.text))
    if len(parts) == 1:
        return [Word(token.index, token.norm, token.start, token.end, "stem")]
    # Map folded character positions back into the raw token (diacritics are dropped by fold).
    folded = normalize(token.text)
    words: list[Word] = []
    position = 0
    for text, role in parts:
        length = len(text)
        if role == "det" and words and words[-1].role == "prep" and words[-1].text == "ل" and folded.text[position:position + 1] == "ل" and folded.text[position:position + 2] != "ال":
            length = 1  # لل: the article's alef is not written
        raw_start, raw_end = folded.raw_span(position, min(position + length, len(folded.text)))
        words.append(Word(token.index, text, token.start + raw_start, token.start + raw_end, role))  # type: ignore[arg-type]
        position += length
    return words


@lru_cache(maxsize=200_000)
def _lookup_keys(norm: str) -> tuple[str, ...]:
    return tuple(_compute_lookup_keys(norm))


def lookup_keys(norm: str) -> list[str]:
    """Every plausible stem of a folded token, fewest clitics removed first (cached)."""
    return list(_lookup_keys(norm))


def _compute_lookup_keys(norm: str) -> list[str]:
    """Every plausible stem of a folded token, fewest clitics removed first.

    Used by lexicon matchers (triggers, cues, gazetteer), which accept the first
    key their lexicon knows.
    """
    keys = [norm]
    bases = [norm]
    if norm[:1] in CONJUNCTIONS and len(norm) > MIN_STEM:
        bases.append(norm[1:])
        keys.append(norm[1:])
    for base in list(bases):
        if base.startswith("لل") and len(base) > 3:
            keys.append("ال" + base[2:])
            keys.append(base[2:])
        elif base[:1] in PREPOSITIONS and len(base) > MIN_STEM:
            keys.append(base[1:])
            if base[1:].startswith("ال"):
                keys.append(base[3:])
        elif base[:1] == FUTURE and base[1:2] in IMPERFECTIVE_PREFIXES and len(base) > MIN_STEM:
            keys.append(base[1:])
        if base.startswith("ال") and base not in NOT_ARTICLE and len(base) > 3:
            keys.append(base[2:])
    seen: dict[str, None] = {}
    for key in keys:
        if len(key) >= 2:
            seen.setdefault(key, None)
    return list(seen)


def proclitic_length(norm: str, key: str) -> int:
    """How many folded characters of token ``norm`` precede ``key``, the lookup key
    (one of :func:`lookup_keys`) that matched; لل + stem counts the unwritten alef."""
    if norm.endswith(key):
        return len(norm) - len(key)
    if key.startswith("ال") and norm.endswith(key[1:]):
        return len(norm) - len(key) + 1
    return 0


def strip_enclitic(stem: str) -> list[str]:
    """Stems without an attached pronoun (تضامنها -> تضامن, حكومته -> حكومه)."""
    return list(_strip_enclitic(stem))


@lru_cache(maxsize=100_000)
def _strip_enclitic(stem: str) -> tuple[str, ...]:
    out = []
    for enclitic in ENCLITICS:
        if stem.endswith(enclitic) and len(stem) - len(enclitic) >= MIN_STEM:
            base = stem[: -len(enclitic)]
            out.append(base)
            if base.endswith("ت"):
                out.append(base[:-1] + "ه")
    return tuple(out)
