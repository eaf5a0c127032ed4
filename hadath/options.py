"""One options object, built once (from CLI flags or by the caller) and passed down."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional


@dataclass(frozen=True)
class ExtractOptions:
    published: Optional[date] = None      # reference date when an article has none
    ner: str = "hybrid"                   # entity stage: hybrid (tagger + rules) | rules | tagger
    entities: bool = True
    events: bool = True
    quotes: bool = True
    geocode: bool = True
    dates: bool = True
    batch_size: int = 32
