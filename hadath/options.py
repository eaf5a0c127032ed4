"""One options object, built once (from CLI flags or by the caller) and passed down."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional


@dataclass(frozen=True)
class ExtractOptions:
    published: Optional[date] = None      # reference date when an article has none
    ner: str = "hybrid"                   # entity stage: hybrid (tagger + rules) | rules | tagger
    fast: bool = False                    # no neural model anywhere: rule entities, dictionary romanisation
    entities: bool = True
    events: bool = True
    quotes: bool = True
    geocode: bool = True
    dates: bool = True
    batch_size: int = 32

    def __post_init__(self) -> None:
        if self.fast and self.ner != "rules":
            raise ValueError(f"fast mode uses the rule-based entity stage, not {self.ner!r}")

    @property
    def profile(self) -> str:
        """The name recorded with every annotated article: the entity stage, or ``fast``."""
        return "fast" if self.fast else self.ner
