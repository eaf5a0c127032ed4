"""Typed records of a batch run: what was asked, what a chunk holds, what came out."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from hadath.ingest.model import ArticleInput, IngestOptions, InputProblem

TABLES = ("articles", "entities", "events", "quotes", "problems")
"""The output tables; each is a directory of part files, one part per chunk."""

Rows = dict[str, list[dict[str, Any]]]
"""Rows of the output tables, by table name (one chunk's worth)."""


class BatchError(Exception):
    """A batch cannot start or go on; the message is one line for the user."""


@dataclass(frozen=True)
class BatchOptions:
    """Everything a batch run depends on, built once by the CLI (or a caller)."""

    inputs: tuple[str, ...]
    output: Path
    engine: str = "local"                 # local | ray
    workers: Optional[int] = None         # default: cores here, or the Ray cluster's CPUs
    ray_address: Optional[str] = None     # an existing Ray cluster; None starts a local one
    ner: str = "hybrid"
    fast: bool = False                    # no neural model (ner must be "rules")
    batch_size: int = 64                  # articles per chunk = per part file = per worker call
    published: Optional[date] = None
    read: IngestOptions = field(default_factory=IngestOptions)
    force: bool = False                   # start over in an output folder of another run


@dataclass(frozen=True)
class Chunk:
    """Up to ``batch_size`` articles of one input, with the problems met reading them.

    ``part`` numbers the chunk across the whole run (``part-00007.parquet``); it is
    the same in every run over the same inputs, so a rerun overwrites rather than adds.
    """

    part: int
    source: str                           # the input as named on the command line
    index: int                            # chunk number within that input
    articles: tuple[ArticleInput, ...]
    problems: tuple[InputProblem, ...]

    @property
    def key(self) -> str:
        """What the chunk holds: ids and texts (hashed), and the problems."""
        digest = hashlib.sha256(json.dumps([self.source, self.index], ensure_ascii=False).encode())
        for article in self.articles:
            digest.update(b"\x00a" + article.id.encode("utf-8", "surrogatepass"))
            digest.update(hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).digest())
        for problem in self.problems:
            digest.update(b"\x00p" + f"{problem.origin}\x00{problem.message}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:20]


@dataclass
class BatchSummary:
    """Counts for the closing line; ``resumed`` parts were done by an earlier run."""

    articles: int = 0
    problems: int = 0
    parts: int = 0
    resumed_parts: int = 0
    resumed_articles: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        done = self.articles - self.resumed_articles
        return done / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        resumed = (f" ({self.resumed_articles} from {self.resumed_parts} parts of an earlier run)"
                   if self.resumed_parts else "")
        return (f"{self.articles} articles{resumed}, {self.problems} problems, {self.parts} parts, "
                f"{self.seconds:.1f} s, {self.rate:.1f} articles/s")
