"""Helpers shared by the reader tests."""
from __future__ import annotations

from hadath.ingest import ArticleInput, InputProblem


def only_problem(items) -> InputProblem:
    assert len(items) == 1 and isinstance(items[0], InputProblem), items
    return items[0]


def only_article(items) -> ArticleInput:
    assert len(items) == 1 and isinstance(items[0], ArticleInput), items
    return items[0]


def billion_laughs(root: str, body: str) -> str:
    """The classic entity-expansion bomb: ten levels of ten references (10^9 'lol's)."""
    levels = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n ' + "\n ".join(levels) + "\n]>\n" + body
