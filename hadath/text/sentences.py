"""Sentence splitting and quotation regions.

Arabic news chains clauses with «،» and runs quotations across full stops, so a
sentence ends at . ! ? ؟ … only outside quotation marks (a stop right before a
closing mark ends the sentence after the mark), and always at a paragraph break.
"""
from __future__ import annotations

from hadath.doc import Sentence, TextSpan, Token

TERMINALS = {".", "!", "?", "؟", "…"}
OPENING = {"«", "“", "„", "‹"}
CLOSING = {"»", "”", "›"}
TOGGLING = {'"', "＂"}
TRAILING = CLOSING | TOGGLING | {")", "]", "}", "'"}


def _paragraph_ranges(text: str, tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Token index ranges of paragraphs (separated by a newline in the raw text)."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(tokens)):
        if "\n" in text[tokens[i - 1].end:tokens[i].start]:
            ranges.append((start, i))
            start = i
    if tokens:
        ranges.append((start, len(tokens)))
    return ranges


def quoted_regions(text: str, tokens: tuple[Token, ...]) -> tuple[TextSpan, ...]:
    """Spans between matching quotation marks (the marks excluded), per paragraph.

    Straight quotes toggle; an unclosed quotation ends at the paragraph end.
    """
    regions: list[TextSpan] = []
    for first, last in _paragraph_ranges(text, tokens):
        open_at: int | None = None  # raw offset just after the opening mark
        for token in tokens[first:last]:
            mark = token.text
            if open_at is None and (mark in OPENING or mark in TOGGLING):
                open_at = token.end
            elif open_at is not None and (mark in CLOSING or mark in TOGGLING):
                if token.start > open_at:
                    regions.append(TextSpan(text[open_at:token.start], open_at, token.start))
                open_at = None
        if open_at is not None and tokens[last - 1].end > open_at:
            end = tokens[last - 1].end
            regions.append(TextSpan(text[open_at:end], open_at, end))
    return tuple(regions)


def split_sentences(text: str, tokens: tuple[Token, ...]) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []

    def close(first: int, last: int) -> None:
        if last > first:
            sentences.append(Sentence(len(sentences), tokens[first].start, tokens[last - 1].end, first, last))

    for para_first, para_last in _paragraph_ranges(text, tokens):
        first = para_first
        inside = False
        i = para_first
        while i < para_last:
            mark = tokens[i].text
            if mark in OPENING or (mark in TOGGLING and not inside):
                inside = True
            elif mark in CLOSING or (mark in TOGGLING and inside):
                inside = False
            elif mark in TERMINALS:
                j = i + 1
                while j < para_last and tokens[j].text in TERMINALS:
                    j += 1
                next_closes = j < para_last and tokens[j].text in (CLOSING | TOGGLING)
                if not inside or next_closes:
                    absorb = TRAILING if inside else TRAILING - TOGGLING
                    while j < para_last and tokens[j].text in absorb:
                        j += 1
                    close(first, j)
                    first = j
                    inside = False
                    i = j
                    continue
            i += 1
        close(first, para_last)
    return tuple(sentences)
