"""Surface tokens over the raw text (offsets are raw)."""
from __future__ import annotations

import re

from hadath.doc import Token
from hadath.text.normalize import fold

_ARABIC_LETTERS = (
    "\u0621-\u063A\u0640-\u065F\u0670-\u06D3\u06D5-\u06ED\u06FA-\u06FF"
    "\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC\u200C\u200D"
)
_DIGITS = "0-9\u0660-\u0669\u06F0-\u06F9"
_TOKEN = re.compile(
    rf"(?P<word>[{_ARABIC_LETTERS}]+)"
    rf"|(?P<number>[{_DIGITS}]+(?:[.,\u066B\u066C/:][{_DIGITS}]+)*)"
    r"|(?P<latin>[A-Za-z\u00C0-\u024F]+(?:['\u2019-][A-Za-z\u00C0-\u024F]+)*)"
    r"|(?P<punct>[^\w\s])"
    r"|(?P<symbol>[^\W_])"   # "_" separates words (#ميليشيات_الحوثي) like a space
)


def tokenize(text: str) -> tuple[Token, ...]:
    """Split raw text into word, number, Latin and punctuation tokens."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "symbol"
        surface = match.group()
        tokens.append(Token(len(tokens), surface, match.start(), match.end(), fold(surface), kind))  # type: ignore[arg-type]
    return tuple(tokens)


def is_arabic(token: Token) -> bool:
    return token.kind == "word"
