"""Reading the bundled lexicon TSV files (header row, # comments, | lists)."""
from __future__ import annotations

from typing import Iterator


def split_bar(value: str) -> list[str]:
    """``a|b| c`` -> ``["a", "b", "c"]``."""
    return [v.strip() for v in value.split("|") if v.strip()]


def read_tsv(text: str, columns: tuple[str, ...], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as ``(line number, {column: cell})``; a wrong header or cell count is a
    ``ValueError`` naming the file and line."""
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != columns:
                raise ValueError(f"{name}:{lineno}: header must be {' | '.join(columns)}, got {cells}")
            header_seen = True
            continue
        if len(cells) != len(columns):
            raise ValueError(f"{name}:{lineno}: expected {len(columns)} tab-separated cells, got {len(cells)}")
        yield lineno, {c: v.strip() for c, v in zip(columns, cells)}
    if not header_seen:
        raise ValueError(f"{name}: empty file (no header)")
